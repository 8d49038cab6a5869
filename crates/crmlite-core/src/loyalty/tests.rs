use super::ledger::{
    allocate, balance, expires_at, reversal_allocation, reversal_target, spend_order,
};
use super::rules::{evaluate_event, evaluate_order, next_tier, qualifying_tier};
use super::*;
use crate::sales::{NewOrder, NewOrderLine, validate_order};
use crate::{Error, Timestamp};

fn ts(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s, "at").unwrap()
}

fn rule(earn: Earn) -> NewEarnRule {
    NewEarnRule::new(ProgramId(1), "r", earn)
}

fn rules(list: Vec<NewEarnRule>) -> Vec<EarnRule> {
    list.into_iter()
        .enumerate()
        .map(|(i, r)| EarnRule {
            id: RuleId(i as i64 + 1),
            rule: validate_rule(&r).unwrap(),
            created_at: Timestamp(0),
        })
        .collect()
}

fn order(lines: Vec<NewOrderLine>, paid: Option<i64>) -> crate::sales::Order {
    let mut new = NewOrder::new(CustomerId(1), "AMD").at(ts("2026-05-05T10:00:00Z"));
    new.lines = lines;
    new.paid = paid;
    validate_order(&new, Timestamp(0)).unwrap()
}

#[test]
fn per_amount_rounds_down_once_at_the_end() {
    // 1 point per 100.00: 150.00 + 150.00 = 300.00 gives 3, not 1 + 1.
    let o = order(
        vec![
            NewOrderLine::new("a", 1, 15_000),
            NewOrderLine::new("b", 1, 15_000),
        ],
        None,
    );
    let r = rules(vec![rule(Earn::PerAmount {
        points: 1,
        per: 10_000,
    })]);
    assert_eq!(evaluate_order(&r, &o, None).unwrap(), 3);
    // 299.99 gives 2.
    let o = order(vec![NewOrderLine::new("a", 1, 29_999)], None);
    assert_eq!(evaluate_order(&r, &o, None).unwrap(), 2);
    // Half paid with points: the earn base is what was paid in money.
    let o = order(vec![NewOrderLine::new("a", 1, 30_000)], Some(15_000));
    assert_eq!(evaluate_order(&r, &o, None).unwrap(), 1);
}

#[test]
fn filters_exclusions_minimums_and_reward_lines() {
    let lines = vec![
        NewOrderLine::new("vit-c", 2, 1000)
            .category("vitamins")
            .tag("promo"),
        NewOrderLine::new("gauze", 3, 1000).category("bandages"),
        NewOrderLine::new("gift", 1, 1000)
            .category("vitamins")
            .reward(),
    ];
    let o = order(lines, None);
    let per_unit = |f: LineFilter| rules(vec![rule(Earn::PerUnit { points: 1 }).filter(f)]);
    assert_eq!(
        evaluate_order(&per_unit(LineFilter::default()), &o, None).unwrap(),
        5
    );
    assert_eq!(
        evaluate_order(
            &per_unit(LineFilter::default().categories(["vitamins"])),
            &o,
            None
        )
        .unwrap(),
        2
    );
    assert_eq!(
        evaluate_order(&per_unit(LineFilter::default().tags(["promo"])), &o, None).unwrap(),
        2
    );
    assert_eq!(
        evaluate_order(
            &per_unit(LineFilter::default().exclude_products(["gauze"])),
            &o,
            None
        )
        .unwrap(),
        2
    );
    assert_eq!(
        evaluate_order(
            &per_unit(LineFilter::default().exclude_tags(["promo"])),
            &o,
            None
        )
        .unwrap(),
        3
    );
    let min = rules(vec![rule(Earn::PerOrder { points: 10 }).min_amount(5001)]);
    assert_eq!(evaluate_order(&min, &o, None).unwrap(), 0);
    let min = rules(vec![rule(Earn::PerOrder { points: 10 }).min_quantity(5)]);
    assert_eq!(evaluate_order(&min, &o, None).unwrap(), 10);
}

#[test]
fn multipliers_stop_flags_windows_and_tiers() {
    let o = order(
        vec![
            NewOrderLine::new("a", 1, 10_000).category("x"),
            NewOrderLine::new("b", 1, 10_000),
        ],
        None,
    );
    let base = rule(Earn::PerAmount {
        points: 1,
        per: 100,
    })
    .position(1);
    let double_x = rule(Earn::Multiplier { percent: 200 })
        .filter(LineFilter::default().categories(["x"]))
        .position(2);
    assert_eq!(
        evaluate_order(&rules(vec![base.clone(), double_x.clone()]), &o, None).unwrap(),
        300
    );
    // A multiplier placed before the base rule has nothing to multiply.
    assert_eq!(
        evaluate_order(
            &rules(vec![base.clone().position(3), double_x.clone()]),
            &o,
            None
        )
        .unwrap(),
        200
    );
    // Stop after the base rule.
    assert_eq!(
        evaluate_order(
            &rules(vec![base.clone().stop(), double_x.clone()]),
            &o,
            None
        )
        .unwrap(),
        200
    );
    // Tier-targeted multiplier.
    let gold = TierId(9);
    let tiered = rule(Earn::Multiplier { percent: 150 })
        .tiers(vec![gold])
        .position(4);
    assert_eq!(
        evaluate_order(&rules(vec![base.clone(), tiered.clone()]), &o, None).unwrap(),
        200
    );
    assert_eq!(
        evaluate_order(&rules(vec![base.clone(), tiered]), &o, Some(gold)).unwrap(),
        300
    );
    // Outside the active window.
    let later = base.clone().active(Some(ts("2026-06-01T00:00:00Z")), None);
    assert_eq!(evaluate_order(&rules(vec![later]), &o, None).unwrap(), 0);
    let earlier = base.active(None, Some(ts("2026-05-05T10:00:00Z")));
    assert_eq!(evaluate_order(&rules(vec![earlier]), &o, None).unwrap(), 0);
}

#[test]
fn overflow_is_an_error_not_a_wrap() {
    let o = order(vec![NewOrderLine::new("a", 1, i64::MAX)], None);
    let r = rules(vec![rule(Earn::PerAmount {
        points: i64::MAX,
        per: 1,
    })]);
    let err = evaluate_order(&r, &o, None).unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "points"));
}

#[test]
fn events_match_their_rules_and_roles() {
    let r = rules(vec![
        rule(Earn::Signup { points: 10 }),
        rule(Earn::Referral {
            points: 5,
            role: ReferralRole::Referrer,
        }),
        rule(Earn::Referral {
            points: 7,
            role: ReferralRole::Both,
        }),
        rule(Earn::Bonus { points: 3 }),
    ]);
    let now = ts("2026-01-01T00:00:00Z");
    assert_eq!(
        evaluate_event(&r, &LoyaltyEvent::Signup, now, None).unwrap(),
        10
    );
    let referrer = LoyaltyEvent::Referral {
        other: CustomerId(2),
        role: ReferralRole::Referrer,
    };
    let referred = LoyaltyEvent::Referral {
        other: CustomerId(2),
        role: ReferralRole::Referred,
    };
    assert_eq!(evaluate_event(&r, &referrer, now, None).unwrap(), 12);
    assert_eq!(evaluate_event(&r, &referred, now, None).unwrap(), 7);
    assert_eq!(
        evaluate_event(&r, &LoyaltyEvent::Bonus { rule: RuleId(4) }, now, None).unwrap(),
        3
    );
    assert_eq!(
        evaluate_event(&r, &LoyaltyEvent::Bonus { rule: RuleId(1) }, now, None).unwrap(),
        0
    );
    assert_eq!(
        evaluate_event(&r, &LoyaltyEvent::Birthday { year: 2026 }, now, None).unwrap(),
        0
    );
}

#[test]
fn expiry_dates_follow_the_policy_in_utc() {
    let at = ts("2026-01-22T15:30:00Z");
    assert_eq!(expires_at(ExpiryPolicy::Never, at).unwrap(), None);
    assert_eq!(
        expires_at(ExpiryPolicy::AfterDays { days: 10 }, at).unwrap(),
        Some(ts("2026-02-01T15:30:00Z"))
    );
    assert_eq!(
        expires_at(ExpiryPolicy::EndOfMonth, at).unwrap(),
        Some(ts("2026-02-01T00:00:00Z"))
    );
    assert_eq!(
        expires_at(ExpiryPolicy::EndOfMonth, ts("2026-12-31T23:59:59Z")).unwrap(),
        Some(ts("2027-01-01T00:00:00Z"))
    );
    assert_eq!(
        expires_at(ExpiryPolicy::EndOfYear, at).unwrap(),
        Some(ts("2027-01-01T00:00:00Z"))
    );
}

fn lot(id: i64, remaining: i64, expires: Option<&str>, at: i64) -> Lot {
    Lot {
        id: EntryId(id),
        card: CardId(1),
        points: 100,
        remaining,
        pending_until: None,
        expires_at: expires.map(ts),
        at: Timestamp(at),
    }
}

#[test]
fn allocation_takes_soonest_expiry_first_then_oldest_and_never_expiring_last() {
    let now = ts("2026-06-01T00:00:00Z");
    let lots = vec![
        lot(1, 50, None, 1),
        lot(2, 30, Some("2026-12-01T00:00:00Z"), 5),
        lot(3, 20, Some("2026-07-01T00:00:00Z"), 9),
        lot(4, 10, Some("2026-12-01T00:00:00Z"), 2),
        lot(5, 99, Some("2026-05-01T00:00:00Z"), 0), // due: not spendable
        lot(6, 0, Some("2026-06-15T00:00:00Z"), 0),  // empty
    ];
    let order: Vec<i64> = spend_order(&lots, now).iter().map(|l| l.id.0).collect();
    assert_eq!(order, vec![3, 4, 2, 1]);
    let a = allocate(&lots, 45, now).unwrap();
    assert_eq!(
        a.iter().map(|x| (x.lot.0, x.points)).collect::<Vec<_>>(),
        vec![(3, 20), (4, 10), (2, 15)]
    );
    assert_eq!(allocate(&lots, 111, now), Err(110));
    let mut pending = lots.clone();
    pending[0].pending_until = Some(ts("2026-06-10T00:00:00Z"));
    assert_eq!(allocate(&pending, 61, now), Err(60));
    let b = balance(
        &pending,
        now,
        30,
        209,
        crate::Money::new(100, crate::Currency::parse("AMD", "c").unwrap()),
    )
    .unwrap();
    assert_eq!(
        (b.available, b.pending, b.awaiting_expiry, b.expiring),
        (60, 50, 99, 20)
    );
    assert_eq!(b.available + b.pending + b.awaiting_expiry, b.ledger_sum);
    assert_eq!(b.available_value.minor, 6000);
}

#[test]
fn reversals_are_proportional_cumulative_and_bounded() {
    assert_eq!(reversal_target(60, 150_000, 600_000), 15);
    assert_eq!(reversal_target(10, 1, 3), 3);
    assert_eq!(reversal_target(10, 2, 3), 6);
    assert_eq!(reversal_target(10, 3, 3), 10);
    assert_eq!(reversal_target(10, 5, 3), 10);
    let now = ts("2026-06-01T00:00:00Z");
    let lots = vec![lot(1, 5, None, 1), lot(2, 4, None, 2), lot(3, 3, None, 3)];
    let (own, others, short) = reversal_allocation(&lots, Some(EntryId(2)), 10, now);
    assert_eq!(
        own,
        vec![Allocation {
            lot: EntryId(2),
            points: 4
        }]
    );
    assert_eq!(
        others,
        vec![
            Allocation {
                lot: EntryId(1),
                points: 5
            },
            Allocation {
                lot: EntryId(3),
                points: 1
            }
        ]
    );
    assert_eq!(short, 0);
    let (_, _, short) = reversal_allocation(&lots, Some(EntryId(2)), 20, now);
    assert_eq!(short, 8);
}

#[test]
fn tiers_rise_at_once_and_fall_only_as_the_policy_allows() {
    let t = |id: i64, threshold: i64| Tier {
        id: TierId(id),
        program: ProgramId(1),
        name: format!("t{id}"),
        threshold,
    };
    let tiers = vec![t(1, 100), t(2, 500)];
    assert_eq!(qualifying_tier(&tiers, 99), None);
    assert_eq!(qualifying_tier(&tiers, 100), Some(TierId(1)));
    assert_eq!(qualifying_tier(&tiers, 10_000), Some(TierId(2)));
    let since = ts("2026-01-01T00:00:00Z");
    let soon = ts("2026-01-20T00:00:00Z");
    let later = ts("2026-03-01T00:00:00Z");
    let gold = Some(TierId(2));
    let silver = Some(TierId(1));
    assert_eq!(
        next_tier(Downgrade::Never, &tiers, silver, since, gold, soon).unwrap(),
        gold
    );
    assert_eq!(
        next_tier(Downgrade::Never, &tiers, gold, since, None, later).unwrap(),
        gold
    );
    assert_eq!(
        next_tier(Downgrade::Automatic, &tiers, gold, since, silver, soon).unwrap(),
        silver
    );
    let every = Downgrade::EveryDays { days: 30 };
    assert_eq!(
        next_tier(every, &tiers, gold, since, silver, soon).unwrap(),
        gold
    );
    assert_eq!(
        next_tier(every, &tiers, gold, since, silver, later).unwrap(),
        silver
    );
}

#[test]
fn configuration_is_checked() {
    let p = |f: fn(NewProgram) -> NewProgram| {
        validate_program(&f(NewProgram::new("p", "AMD", 100)), Timestamp(0))
    };
    assert_eq!(
        p(|n| NewProgram {
            point_value: 0,
            ..n
        })
        .unwrap_err()
        .field(),
        Some("point_value")
    );
    assert_eq!(
        p(|n| n.expiry(ExpiryPolicy::AfterDays { days: 0 }))
            .unwrap_err()
            .field(),
        Some("expiry.days")
    );
    assert_eq!(
        p(|n| n.tiers_on(TierBasis::Spend, 0)).unwrap_err().field(),
        Some("tier_window_days")
    );
    assert_eq!(
        p(|n| NewProgram {
            currency: "??".into(),
            ..n
        })
        .unwrap_err()
        .field(),
        Some("currency")
    );
    let r = |e: Earn| {
        validate_rule(&NewEarnRule::new(ProgramId(1), "r", e))
            .map(|_| ())
            .unwrap_err()
    };
    assert_eq!(
        r(Earn::PerAmount { points: 1, per: 0 }).field(),
        Some("earn.per")
    );
    assert_eq!(r(Earn::PerUnit { points: -1 }).field(), Some("earn.points"));
    assert_eq!(
        r(Earn::Multiplier { percent: -5 }).field(),
        Some("earn.percent")
    );
    let bad_filter = NewEarnRule::new(ProgramId(1), "r", Earn::Signup { points: 1 })
        .filter(LineFilter::default().tags(["x"]));
    assert_eq!(
        validate_rule(&bad_filter).unwrap_err().field(),
        Some("filter")
    );
    let reward = |k: RewardKind, pts: i64| {
        validate_reward(&NewReward::new(ProgramId(1), "w", k, pts)).unwrap_err()
    };
    assert_eq!(
        reward(RewardKind::PercentDiscount { percent: 101 }, 1).field(),
        Some("kind.percent")
    );
    assert_eq!(
        reward(RewardKind::Cashback { amount: 5 }, 0).field(),
        Some("required_points")
    );
    assert_eq!(
        validate_tier(&NewTier::new(ProgramId(1), "t", -1))
            .unwrap_err()
            .field(),
        Some("threshold")
    );
}
