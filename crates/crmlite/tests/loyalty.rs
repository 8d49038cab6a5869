//! End-to-end tests of sales and loyalty on SQLite with a fixed clock: the Yerevan
//! pharmacy, the Tehran retailer, bad input, idempotency, expiry, pending points,
//! reversal policies, metrics and concurrent redemptions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use crmlite::customer::NewCustomer;
use crmlite::loyalty::{
    Downgrade, Earn, EntryKind, ExpiryPolicy, LineFilter, LoyaltyEvent, NewEarnRule, NewProgram,
    NewReward, NewTier, ReferralRole, ReversalPolicy, RewardKind, TierBasis,
};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
use crmlite::timeline::InteractionKind;
use crmlite::{CardId, Crm, ErrorKind, FixedClock, OpenOptions, ProgramId, Timestamp};
use std::sync::Arc;

mod support;

use support::{TestDb, fresh};

const DAY: i64 = 86_400_000;

fn at(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s, "at").unwrap()
}

/// A fresh database (SQLite in memory, or a PostgreSQL schema) with the clock at `now`.
fn open_at(now: &str) -> (Crm, Arc<FixedClock>) {
    let (crm, clock) = fresh();
    clock.set(at(now));
    (crm, clock)
}

/// Everything a failed ledger command must leave untouched.
fn snapshot(crm: &Crm, card: CardId) -> (usize, i64, i64, usize) {
    let changes = crm.changes_since(0, 1000).unwrap().len();
    let b = crm.balance(card, 0).unwrap();
    let history = crm.points_history(card, None, 1000).unwrap().items.len();
    (changes, b.available, b.ledger_sum, history)
}

fn assert_sums(crm: &Crm, card: CardId) {
    let b = crm.balance(card, 0).unwrap();
    assert_eq!(
        b.available + b.pending + b.awaiting_expiry,
        b.ledger_sum,
        "{b:?}"
    );
    assert!(b.available >= 0 && b.pending >= 0);
    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
}

fn pharmacy(crm: &Crm) -> (ProgramId, CardId, crmlite::CustomerId) {
    let program = crm
        .create_program(
            &NewProgram::new("Դեղատուն Բոնուս", "AMD", 100).reversal(ReversalPolicy::Clawback),
        )
        .unwrap();
    // One point per 100 dram (10000 luma).
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "միավոր ամեն 100 դրամին",
        Earn::PerAmount {
            points: 1,
            per: 10_000,
        },
    ))
    .unwrap();
    let aram = crm
        .add_customer(&NewCustomer::person("Արամ Սարգսյան").phone("+374 10 123456"))
        .unwrap();
    let card = crm
        .open_card(program.id, aram.id, Some("ԴԵՂ-0001"))
        .unwrap();
    (program.id, card.id, aram.id)
}

fn receipt(customer: crmlite::CustomerId, number: &str) -> NewOrder {
    NewOrder::new(customer, "AMD")
        .line(NewOrderLine::new("Պարացետամոլ", 2, 150_000).category("ցավազրկող"))
        .line(NewOrderLine::new("Վիտամին C", 1, 300_000).category("վիտամին"))
        .channel("till")
        .store("Երևան, Աբովյան 10")
        .external_id(number)
        .at(at("2026-03-10T09:00:00Z"))
}

#[test]
fn yerevan_pharmacy_awards_per_dram_once_per_receipt_and_reverses_returns() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let (_, card, aram) = pharmacy(&crm);

    let order = crm.record_order(&receipt(aram, "ՉԵԿ-0001")).unwrap();
    assert_eq!(order.total.minor, 600_000);
    assert_eq!(crm.balance(card, 0).unwrap().available, 60);
    let before = snapshot(&crm, card);

    // The till sends the same receipt again after a network hiccup: same order, no new points.
    let again = crm.record_order(&receipt(aram, "ՉԵԿ-0001")).unwrap();
    assert_eq!(again.id, order.id);
    assert_eq!(snapshot(&crm, card), before);
    // Awarding the order explicitly also returns the first award.
    let award = crm.award_order(card, order.id, None).unwrap();
    assert_eq!(award.points, 60);
    assert_eq!(snapshot(&crm, card), before);
    // Another receipt with the same number but other content is a conflict.
    let mut other = receipt(aram, "ՉԵԿ-0001");
    other.lines.truncate(1);
    assert_eq!(
        crm.record_order(&other).unwrap_err().kind(),
        ErrorKind::Conflict
    );

    // Returning one box of paracetamol (1500 of 6000 dram) reverses a quarter of the points.
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 45);
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 30);
    assert_sums(&crm, card);

    // A second return of a line already returned in full changes nothing.
    let before = snapshot(&crm, card);
    let err = crm
        .record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap_err();
    assert_eq!(err.field(), Some("lines[0].line"));
    assert_eq!(snapshot(&crm, card), before);

    // Returning the rest reverses exactly what the order earned, no more.
    crm.record_return(&NewReturn::new(order.id).line(1, 1))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 0);
    let history = crm.points_history(card, None, 100).unwrap().items;
    let reversed: i64 = history
        .iter()
        .filter(|e| e.kind == EntryKind::Reverse)
        .map(|e| -e.points)
        .sum();
    assert_eq!(reversed, 60);

    let facts = crm.customer_facts(aram).unwrap();
    assert_eq!(facts.order_count, 1);
    assert_eq!(facts.by_currency[0].spend.minor, 0);
    assert_eq!(facts.by_currency[0].returned.minor, 600_000);
    assert_eq!(facts.first_purchase, Some(at("2026-03-10T09:00:00Z")));
    let timeline = crm.timeline(aram, None, 50).unwrap().items;
    assert_eq!(
        timeline
            .iter()
            .filter(|e| e.kind == InteractionKind::Purchase)
            .count(),
        4
    );
}

#[test]
fn clawback_takes_spent_points_from_other_lots_and_records_the_shortfall() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let (_, card, aram) = pharmacy(&crm);
    let first = crm.record_order(&receipt(aram, "Ա-1")).unwrap();
    crm.redeem_points(card, 50, None, None).unwrap();
    crm.adjust_points(card, 5, "բարեգործական նվեր", None)
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 15);
    // Full return: 60 to reverse; 10 left in the order's lot, 5 in the gift lot, 45 short.
    crm.record_return(&NewReturn::new(first.id).line(0, 2).line(1, 1))
        .unwrap();
    let b = crm.balance(card, 0).unwrap();
    assert_eq!((b.available, b.ledger_sum), (0, 0));
    let history = crm.points_history(card, None, 100).unwrap().items;
    let claw = history
        .iter()
        .find(|e| e.kind == EntryKind::Clawback)
        .unwrap();
    assert_eq!((claw.points, claw.shortfall), (-5, 45));
}

#[test]
fn refuse_policy_refuses_a_return_whose_points_were_spent() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let program = crm
        .create_program(&NewProgram::new("Ծաղիկ", "AMD", 100).reversal(ReversalPolicy::Refuse))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "բազային",
        Earn::PerAmount {
            points: 1,
            per: 10_000,
        },
    ))
    .unwrap();
    let anna = crm
        .add_customer(&NewCustomer::person("Աննա Պետրոսյան"))
        .unwrap();
    let card = crm.open_card(program.id, anna.id, None).unwrap().id;
    let order = crm.record_order(&receipt(anna.id, "Բ-1")).unwrap();
    crm.redeem_points(card, 40, None, None).unwrap();
    let before = snapshot(&crm, card);
    let err = crm
        .record_return(&NewReturn::new(order.id).line(1, 1))
        .unwrap_err();
    assert_eq!(err.field(), Some("lines"));
    assert_eq!(snapshot(&crm, card), before);
    assert!(crm.returns_of_order(order.id).unwrap().is_empty());
    // A return still covered by the order's unspent points goes through.
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 5);
}

/// I9: returning an order paid partly with points gives the redeemed points back once, in
/// proportion to the money returned, as new lots that keep the spent lots' expiry.
#[test]
fn returning_an_order_paid_with_points_gives_them_back_once() {
    let (crm, clock) = open_at("2026-05-01T10:00:00Z");
    let program = crm
        .create_program(
            &NewProgram::new("ავეჯის კლუბი", "GEL", 100)
                .expiry(ExpiryPolicy::AfterDays { days: 90 }),
        )
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "ქულა ყოველ 10 ლარზე",
        Earn::PerAmount {
            points: 1,
            per: 1_000,
        },
    ))
    .unwrap();
    let voucher = crm
        .add_reward(&NewReward::new(
            program.id,
            "50 ლარი ფასდაკლება",
            RewardKind::FixedDiscount { amount: 5_000 },
            50,
        ))
        .unwrap();
    let nino = crm
        .add_customer(&NewCustomer::person("ნინო ბერიძე"))
        .unwrap();
    let card = crm
        .open_card(program.id, nino.id, Some("ავეჯი-7"))
        .unwrap()
        .id;
    let gift = crm.adjust_points(card, 500, "კეთილი ნება", None).unwrap();
    assert_eq!(gift.expires_at, Some(at("2026-07-30T10:00:00Z")));

    clock.set(at("2026-05-11T10:00:00Z"));
    let order = crm
        .record_order(
            &NewOrder::new(nino.id, "GEL")
                .line(NewOrderLine::new("სკამი", 2, 10_000).category("სკამები"))
                .line(NewOrderLine::new("მაგიდა", 1, 20_000).category("მაგიდები"))
                .external_id("თბ-0042"),
        )
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 540);
    // 100 points and a 50-point voucher paid part of the order; both draw from the gift lot,
    // which expires before the order's own lot.
    crm.redeem_points(card, 100, Some(order.id), Some("გადახდა-1"))
        .unwrap();
    crm.redeem_reward(card, voucher.id, Some(order.id), None)
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 390);

    // A quarter of the money comes back: floor(150 / 4) = 37 points back, floor(40 / 4) = 10 reversed.
    let first = crm
        .record_return(&NewReturn::new(order.id).line(0, 1).external_id("დაბრ-1"))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 417);
    let history = crm.points_history(card, None, 100).unwrap().items;
    let refund = &history[1];
    assert_eq!(
        (refund.kind, refund.points, refund.source_kind.as_str()),
        (EntryKind::Adjust, 37, "refund")
    );
    assert_eq!(refund.order, Some(order.id));
    assert_eq!(refund.source_ref, first.id.0.to_string());
    assert_eq!(refund.expires_at, gift.expires_at);
    assert_eq!(refund.pending_until, None);
    assert_eq!(
        (history[0].kind, history[0].points),
        (EntryKind::Reverse, -10)
    );
    assert_sums(&crm, card);

    // The same return sent again, and a redemption retried with its key, change nothing:
    // the points are neither given back twice nor charged again.
    let before = snapshot(&crm, card);
    assert_eq!(
        crm.record_return(&NewReturn::new(order.id).line(0, 1).external_id("დაბრ-1"))
            .unwrap()
            .id,
        first.id
    );
    crm.redeem_points(card, 100, Some(order.id), Some("გადახდა-1"))
        .unwrap();
    assert_eq!(snapshot(&crm, card), before);
    // A new redemption against an order that already has a return is refused, nothing changes.
    let err = crm
        .redeem_points(card, 10, Some(order.id), None)
        .unwrap_err();
    assert_eq!(err.field(), Some("order"));
    assert_eq!(snapshot(&crm, card), before);

    // The rest comes back in two returns: in all, exactly the 150 redeemed points come back
    // and exactly the 40 earned are reversed.
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 445);
    crm.record_return(&NewReturn::new(order.id).line(1, 1))
        .unwrap();
    let b = crm.balance(card, 0).unwrap();
    assert_eq!((b.available, b.ledger_sum), (500, 500));
    let history = crm.points_history(card, None, 100).unwrap().items;
    let refunds: Vec<i64> = history
        .iter()
        .rev()
        .filter(|e| e.source_kind == "refund")
        .map(|e| e.points)
        .collect();
    assert_eq!(refunds, vec![37, 38, 75]);
    assert_eq!(
        history
            .iter()
            .filter(|e| e.kind == EntryKind::Redeem)
            .count(),
        2
    );
    let reversed: i64 = history
        .iter()
        .filter(|e| e.kind == EntryKind::Reverse)
        .map(|e| -e.points)
        .sum();
    assert_eq!(reversed, 40);
    assert_sums(&crm, card);
    // The given-back points do not count towards tiers: the metrics call them issued, and
    // they expire with the gift lot they came from.
    clock.set(at("2026-07-30T10:00:00Z"));
    let run = crm.expire_points(at("2026-07-30T10:00:00Z")).unwrap();
    assert_eq!((run.lots, run.points), (4, 500));
    assert_eq!(crm.balance(card, 0).unwrap().ledger_sum, 0);
    assert_sums(&crm, card);
}

fn tehran(crm: &Crm) -> (ProgramId, crmlite::TierId, crmlite::TierId) {
    let program = crm
        .create_program(
            &NewProgram::new("باشگاه مشتریان", "IRR", 100)
                .expiry(ExpiryPolicy::EndOfYear)
                .tiers_on(TierBasis::Spend, 365)
                .downgrade(Downgrade::Automatic),
        )
        .unwrap();
    let silver = crm
        .add_tier(&NewTier::new(program.id, "نقره‌ای", 50_000_000))
        .unwrap();
    let gold = crm
        .add_tier(&NewTier::new(program.id, "طلایی", 200_000_000))
        .unwrap();
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "پایه",
            Earn::PerAmount {
                points: 1,
                per: 1_000_000,
            },
        )
        .position(1),
    )
    .unwrap();
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "طلایی دو برابر",
            Earn::Multiplier { percent: 200 },
        )
        .position(2)
        .tiers(vec![gold.id]),
    )
    .unwrap();
    (program.id, silver.id, gold.id)
}

#[test]
fn tehran_retailer_tiers_on_twelve_months_of_spend_expire_at_year_end_and_never_demote_on_redeem() {
    let (crm, clock) = open_at("2026-03-01T08:00:00Z");
    let (program, silver, gold) = tehran(&crm);
    let shirin = crm
        .add_customer(&NewCustomer::person("شیرین احمدی").phone("+98 912 345 6789"))
        .unwrap();
    let card = crm.open_card(program, shirin.id, Some("۱۲۳۴")).unwrap().id;
    let buy = |amount: i64, doc: &str| {
        crm.record_order(
            &NewOrder::new(shirin.id, "IRR")
                .line(NewOrderLine::new("کرم مرطوب کننده", 1, amount))
                .external_id(doc),
        )
        .unwrap()
    };

    buy(60_000_000, "ف-۱");
    assert_eq!(crm.card(card).unwrap().tier, Some(silver));
    assert_eq!(crm.balance(card, 0).unwrap().available, 60);
    buy(150_000_000, "ف-۲"); // earned at silver: 150 points; spend is now 210M: gold
    assert_eq!(crm.card(card).unwrap().tier, Some(gold));
    buy(10_000_000, "ف-۳"); // gold doubles: 20 points
    assert_eq!(crm.balance(card, 0).unwrap().available, 230);

    // Redeeming never demotes: the tier rests on spend, not on the balance.
    let r = crm.redeem_points(card, 200, None, None).unwrap();
    assert_eq!(r.value.unwrap().minor, 20_000);
    assert_eq!(crm.refresh_tier(card).unwrap().tier, Some(gold));

    // Every point of 2026 expires on 2027-01-01 00:00 UTC; only the unspent 30 expire, once.
    let b = crm.balance(card, 31).unwrap();
    assert_eq!(b.expiring, 0);
    clock.set(at("2026-12-15T00:00:00Z"));
    assert_eq!(crm.balance(card, 30).unwrap().expiring, 30);
    let new_year = at("2027-01-01T00:00:00Z");
    assert_eq!(
        crm.expire_points(Timestamp(new_year.0 - 1)).unwrap().points,
        0
    );
    clock.set(new_year);
    assert_eq!(crm.balance(card, 0).unwrap().awaiting_expiry, 30);
    let run = crm.expire_points(new_year).unwrap();
    assert_eq!(
        (run.lots, run.points),
        (2, 30),
        "the first lot was spent in full"
    );
    let changes = crm.changes_since(0, 1000).unwrap().len();
    assert_eq!(crm.expire_points(new_year).unwrap().points, 0);
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), changes);
    let b = crm.balance(card, 0).unwrap();
    assert_eq!((b.available, b.awaiting_expiry, b.ledger_sum), (0, 0, 0));

    // Twelve months after the last purchase the spend window is empty: automatic downgrade.
    clock.set(at("2027-03-02T08:00:00Z"));
    assert_eq!(crm.refresh_tier(card).unwrap().tier, None);
    let tier_notes = crm
        .timeline(shirin.id, None, 50)
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.kind == InteractionKind::Loyalty)
        .count();
    assert_eq!(tier_notes, 3);
}

#[test]
fn redemptions_draw_from_the_soonest_expiring_lot_and_expiry_takes_only_the_rest() {
    let (crm, clock) = open_at("2026-01-10T00:00:00Z");
    let program = crm
        .create_program(
            &NewProgram::new("Καλάθι", "EUR", 1).expiry(ExpiryPolicy::AfterDays { days: 30 }),
        )
        .unwrap();
    let maria = crm
        .add_customer(&NewCustomer::person("Μαρία Παπαδοπούλου"))
        .unwrap();
    let card = crm.open_card(program.id, maria.id, None).unwrap().id;
    let old = crm.adjust_points(card, 100, "καλωσόρισμα", None).unwrap();
    clock.advance(10 * DAY);
    let newer = crm.adjust_points(card, 100, "δώρο", None).unwrap();
    let r = crm.redeem_points(card, 130, None, None).unwrap();
    assert_eq!(
        r.entry
            .allocations
            .iter()
            .map(|a| (a.lot, a.points))
            .collect::<Vec<_>>(),
        vec![(old.id, 100), (newer.id, 30)]
    );
    clock.advance(25 * DAY);
    let run = crm.expire_points(crm.now()).unwrap();
    assert_eq!(
        (run.lots, run.points),
        (0, 0),
        "the old lot was spent in full"
    );
    clock.advance(10 * DAY);
    let run = crm.expire_points(crm.now()).unwrap();
    assert_eq!((run.lots, run.points), (1, 70));
    assert_sums(&crm, card);
}

#[test]
fn pending_points_unlock_after_the_return_window() {
    let (crm, clock) = open_at("2026-05-01T10:00:00Z");
    let program = crm
        .create_program(&NewProgram::new("ავეჯი", "GEL", 1).pending_days(14))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "ყოველ ლარზე",
        Earn::PerAmount {
            points: 1,
            per: 100,
        },
    ))
    .unwrap();
    let nino = crm
        .add_customer(&NewCustomer::person("ნინო ბერიძე"))
        .unwrap();
    let card = crm.open_card(program.id, nino.id, None).unwrap().id;
    crm.record_order(&NewOrder::new(nino.id, "GEL").line(NewOrderLine::new("დივანი", 1, 120_000)))
        .unwrap();
    let b = crm.balance(card, 0).unwrap();
    assert_eq!((b.available, b.pending, b.total), (0, 1200, 1200));
    let err = crm.redeem_points(card, 1, None, None).unwrap_err();
    assert_eq!(err.field(), Some("points"));
    clock.advance(14 * DAY);
    assert_eq!(crm.balance(card, 0).unwrap().available, 1200);
    crm.redeem_points(card, 1200, None, None).unwrap();
}

#[test]
fn bad_input_is_a_typed_error_naming_the_field_and_changes_nothing() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let (program, card, aram) = pharmacy(&crm);
    let order = crm.record_order(&receipt(aram, "Գ-1")).unwrap();
    let before = snapshot(&crm, card);

    let err = crm.redeem_points(card, 61, None, None).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("points"))
    );
    assert_eq!(
        crm.redeem_points(card, 0, None, None).unwrap_err().field(),
        Some("points")
    );
    assert_eq!(
        crm.open_card(ProgramId(999), aram, None)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        crm.program(ProgramId(999)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        crm.open_card(program, aram, None).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    let overflow = NewOrder::new(aram, "AMD").line(NewOrderLine::new("Ինսուլին", 2, i64::MAX));
    assert_eq!(
        crm.record_order(&overflow).unwrap_err().field(),
        Some("lines[0].unit_price")
    );
    let negative = NewOrder::new(aram, "AMD")
        .line(NewOrderLine::new("Ինսուլին", 1, 100))
        .line(NewOrderLine::new("Բինտ", -1, 100));
    assert_eq!(
        crm.record_order(&negative).unwrap_err().field(),
        Some("lines[1].quantity")
    );
    assert_eq!(
        crm.record_order(&NewOrder::new(aram, "AMD"))
            .unwrap_err()
            .field(),
        Some("lines")
    );
    assert_eq!(
        crm.record_order(&NewOrder::new(aram, "ABC").line(NewOrderLine::new("x", 1, 1)))
            .unwrap_err()
            .field(),
        Some("currency")
    );
    let err = crm
        .record_return(&NewReturn::new(order.id).line(0, 3))
        .unwrap_err();
    assert_eq!(err.field(), Some("lines[0].quantity"));
    assert_eq!(
        crm.record_return(&NewReturn::new(order.id).line(0, -1))
            .unwrap_err()
            .field(),
        Some("lines[0].quantity")
    );
    assert_eq!(
        crm.record_return(&NewReturn::new(order.id).line(7, 1))
            .unwrap_err()
            .field(),
        Some("lines[0].line")
    );
    assert_eq!(
        crm.record_return(&NewReturn::new(order.id).line(0, 1).line(0, 1))
            .unwrap_err()
            .field(),
        Some("lines[1].line")
    );
    assert_eq!(
        crm.adjust_points(card, i64::MIN, "x", None)
            .unwrap_err()
            .field(),
        Some("points")
    );
    assert_eq!(
        crm.adjust_points(card, 5, "  ", None).unwrap_err().field(),
        Some("reason")
    );
    assert_eq!(
        crm.adjust_points(card, -100, "x", None)
            .unwrap_err()
            .field(),
        Some("points")
    );

    crm.redeem_points(card, 10, None, Some("till-7/42"))
        .unwrap();
    let before_key = snapshot(&crm, card);
    let err = crm
        .redeem_points(card, 11, None, Some("till-7/42"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let err = crm
        .adjust_points(card, 10, "x", Some("till-7/42"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(snapshot(&crm, card), before_key);
    assert_eq!(before_key.1, before.1 - 10);
}

#[test]
fn keyed_commands_replay_their_first_outcome_even_a_failure() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let (_, card, aram) = pharmacy(&crm);
    crm.record_order(&receipt(aram, "Դ-1")).unwrap();
    let first = crm.redeem_points(card, 20, None, Some("k1")).unwrap();
    let before = snapshot(&crm, card);
    let again = crm.redeem_points(card, 20, None, Some("k1")).unwrap();
    assert_eq!(first, again);
    assert_eq!(snapshot(&crm, card), before);

    // A failure for lack of points is recorded and replayed, even once points arrive.
    let err = crm.redeem_points(card, 100, None, Some("k2")).unwrap_err();
    assert_eq!(err.field(), Some("points"));
    crm.adjust_points(card, 100, "ներողություն", None).unwrap();
    let replay = crm.redeem_points(card, 100, None, Some("k2")).unwrap_err();
    assert_eq!(
        (replay.kind(), replay.field()),
        (ErrorKind::Validation, Some("points"))
    );
    crm.redeem_points(card, 100, None, Some("k3")).unwrap();
    assert_sums(&crm, card);
}

#[test]
fn events_rewards_and_metrics() {
    let (crm, clock) = open_at("2026-06-01T10:00:00Z");
    let (program, card, aram) = pharmacy(&crm);
    crm.add_earn_rule(&NewEarnRule::new(
        program,
        "գրանցում",
        Earn::Signup { points: 50 },
    ))
    .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program,
        "ծննդյան օր",
        Earn::Birthday { points: 100 },
    ))
    .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program,
        "ընկեր",
        Earn::Referral {
            points: 30,
            role: ReferralRole::Both,
        },
    ))
    .unwrap();
    let bonus = crm
        .add_earn_rule(&NewEarnRule::new(
            program,
            "բոնուս",
            Earn::Bonus { points: 7 },
        ))
        .unwrap();
    assert_eq!(
        crm.award_event(card, &LoyaltyEvent::Signup, None)
            .unwrap()
            .points,
        50
    );
    assert_eq!(
        crm.award_event(card, &LoyaltyEvent::Signup, None)
            .unwrap()
            .points,
        50
    );
    crm.award_event(card, &LoyaltyEvent::Birthday { year: 2026 }, None)
        .unwrap();
    crm.award_event(card, &LoyaltyEvent::Birthday { year: 2026 }, None)
        .unwrap();
    let lilit = crm
        .add_customer(&NewCustomer::person("Լիլիթ Հակոբյան"))
        .unwrap();
    crm.award_event(
        card,
        &LoyaltyEvent::Referral {
            other: lilit.id,
            role: ReferralRole::Referrer,
        },
        None,
    )
    .unwrap();
    crm.award_event(card, &LoyaltyEvent::Bonus { rule: bonus.id }, Some("b1"))
        .unwrap();
    crm.award_event(card, &LoyaltyEvent::Bonus { rule: bonus.id }, Some("b1"))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 187);
    let err = crm
        .award_event(
            card,
            &LoyaltyEvent::Referral {
                other: aram,
                role: ReferralRole::Referred,
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("event.other"));

    let reward = crm
        .add_reward(&NewReward::new(
            program,
            "10% զեղչ",
            RewardKind::PercentDiscount { percent: 10 },
            150,
        ))
        .unwrap();
    let order = crm.record_order(&receipt(aram, "Ե-1")).unwrap();
    let r = crm
        .redeem_reward(card, reward.id, Some(order.id), None)
        .unwrap();
    assert_eq!(r.discount.unwrap().minor, 60_000);
    assert_eq!(r.entry.reward, Some(reward.id));
    assert_eq!(
        crm.redeem_reward(card, reward.id, None, None)
            .unwrap_err()
            .field(),
        Some("order")
    );
    let err = crm
        .redeem_reward(card, reward.id, Some(order.id), None)
        .unwrap_err();
    assert_eq!(err.field(), Some("points"));

    clock.advance(DAY);
    let m = crm
        .program_metrics(
            program,
            at("2026-01-01T00:00:00Z"),
            at("2027-01-01T00:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        (m.issued, m.redeemed, m.expired, m.outstanding),
        (247, 150, 0, 97)
    );
    assert_eq!(m.liability.minor, 9_700);
}

#[test]
fn concurrent_redemptions_from_one_card_never_spend_a_point_twice() {
    let db = TestDb::new("loyalty_concurrent");
    let clock = Arc::new(FixedClock::new(at("2026-03-10T10:00:00Z")));
    let open = || db.open_with(OpenOptions::new(), Some(clock.clone()));
    let crm = open();
    let (_, card, _) = pharmacy(&crm);
    crm.adjust_points(card, 1000, "սկզբնական մնացորդ", None)
        .unwrap();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let crm = open();
            std::thread::spawn(move || {
                let mut spent = 0;
                for i in 0.. {
                    match crm.redeem_points(card, 7, None, Some(&format!("t{t}-{i}"))) {
                        Ok(r) => spent += -r.entry.points,
                        Err(e) if e.field() == Some("points") => break,
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                spent
            })
        })
        .collect();
    let spent: i64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(spent, 1000 - 1000 % 7);
    let b = crm.balance(card, 0).unwrap();
    assert_eq!((b.available, b.ledger_sum), (1000 % 7, 1000 % 7));
    assert_sums(&crm, card);
}

#[test]
fn filters_and_stop_flag_shape_what_an_order_earns() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let program = crm
        .create_program(&NewProgram::new("Φαρμακείο", "EUR", 1))
        .unwrap();
    let only_vitamins = LineFilter::default().categories(["βιταμίνες"]);
    crm.add_earn_rule(
        &NewEarnRule::new(program.id, "βιταμίνες x3", Earn::PerUnit { points: 3 })
            .filter(only_vitamins)
            .position(1)
            .stop(),
    )
    .unwrap();
    crm.add_earn_rule(
        &NewEarnRule::new(program.id, "ανά παραγγελία", Earn::PerOrder { points: 100 }).position(2),
    )
    .unwrap();
    let eleni = crm
        .add_customer(&NewCustomer::person("Ελένη Γεωργίου"))
        .unwrap();
    let card = crm.open_card(program.id, eleni.id, None).unwrap().id;
    crm.record_order(
        &NewOrder::new(eleni.id, "EUR")
            .line(NewOrderLine::new("Vit C", 2, 500).category("βιταμίνες")),
    )
    .unwrap();
    assert_eq!(
        crm.balance(card, 0).unwrap().available,
        6,
        "the stop flag skips the per-order rule"
    );
    crm.record_order(
        &NewOrder::new(eleni.id, "EUR")
            .line(NewOrderLine::new("Γάζα", 1, 500).category("επίδεσμοι")),
    )
    .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 106);
    let rules = crm.earn_rules(program.id).unwrap();
    assert_eq!(rules.len(), 2);
}

#[test]
fn a_copy_to_another_backend_keeps_orders_cards_and_the_ledger() {
    let (source, clock) = open_at("2026-03-10T10:00:00Z");
    let (program, card, aram) = pharmacy(&source);
    let order = source.record_order(&receipt(aram, "Զ-1")).unwrap();
    source
        .redeem_points(card, 25, Some(order.id), Some("zk"))
        .unwrap();
    source
        .record_return(&NewReturn::new(order.id).line(1, 1))
        .unwrap();
    let target = TestDb::new("loyalty_copy").open_with(OpenOptions::new(), Some(clock.clone()));
    source.copy_to(&target).unwrap();
    for crm in [&source, &target] {
        assert_sums(crm, card);
    }
    assert_eq!(
        target.balance(card, 0).unwrap(),
        source.balance(card, 0).unwrap()
    );
    assert_eq!(
        target.points_history(card, None, 100).unwrap(),
        source.points_history(card, None, 100).unwrap()
    );
    assert_eq!(target.order(order.id).unwrap(), order);
    assert_eq!(
        target.customer_facts(aram).unwrap(),
        source.customer_facts(aram).unwrap()
    );
    // Keys, ids and uniqueness carry over: a replay changes nothing, new rows continue the ids.
    let before = snapshot(&target, card);
    target
        .redeem_points(card, 25, Some(order.id), Some("zk"))
        .unwrap();
    assert_eq!(snapshot(&target, card), before);
    let next = target.adjust_points(card, 1, "փորձ", None).unwrap();
    assert!(next.id.0 > source.points_history(card, None, 1).unwrap().items[0].id.0);
    assert_eq!(
        target.program(program).unwrap(),
        source.program(program).unwrap()
    );
}

#[test]
fn a_batch_of_orders_is_one_transaction_that_awards_points_and_names_a_bad_order() {
    let (crm, _) = open_at("2026-03-10T10:00:00Z");
    let (_, card, aram) = pharmacy(&crm);
    let anahit = crm
        .add_customer(&NewCustomer::person("Անահիտ Պետրոսյան"))
        .unwrap();
    let batch: Vec<NewOrder> = (1..=4)
        .map(|i| {
            receipt(
                if i % 2 == 0 { anahit.id } else { aram },
                &format!("ՉԵԿ-Բ{i}"),
            )
        })
        .collect();

    // One bad line: nothing is stored, the error names the order and its field.
    let mut bad = batch.clone();
    bad[3].lines[0].quantity = 0;
    let before = snapshot(&crm, card);
    let e = crm.record_orders(&bad).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("orders[3].lines[0].quantity"), "{e}");
    // A missing buyer is found inside the transaction: it too stores nothing.
    let mut ghost = batch.clone();
    ghost[1].customer = crmlite::CustomerId(9_999);
    let e = crm.record_orders(&ghost).unwrap_err();
    assert!(e.to_string().contains("orders[1].customer"), "{e}");
    // A receipt number used twice with other content is a conflict naming the second order.
    let mut twice = batch.clone();
    twice[1].external_id = Some("ՉԵԿ-Բ1".into());
    let e = crm.record_orders(&twice).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.to_string().contains("orders[1]"), "{e}");
    assert_eq!(snapshot(&crm, card), before);
    assert_eq!(crm.customer_facts(aram).unwrap().order_count, 0);

    let orders = crm.record_orders(&batch).unwrap();
    let numbers: Vec<String> = orders
        .iter()
        .map(|o| o.external_id.clone().unwrap())
        .collect();
    assert_eq!(numbers, ["ՉԵԿ-Բ1", "ՉԵԿ-Բ2", "ՉԵԿ-Բ3", "ՉԵԿ-Բ4"]);
    assert_eq!(crm.customer_facts(aram).unwrap().order_count, 2);
    assert_eq!(crm.customer_facts(anahit.id).unwrap().order_count, 2);
    // Aram holds the card: his two receipts of 6000 dram earn 60 points each; Anahit has none.
    let history = crm.points_history(card, None, 10).unwrap().items;
    assert_eq!(
        history.iter().map(|e| e.points).collect::<Vec<_>>(),
        [60, 60]
    );
    // Sent again, the batch returns the stored orders and changes nothing.
    let changes = crm.changes_since(0, 1000).unwrap().len();
    assert_eq!(crm.record_orders(&batch).unwrap(), orders);
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), changes);
    assert!(crm.record_orders(&[]).unwrap().is_empty());
    assert_sums(&crm, card);
}

/// The award lookup made on every accrual uses the unique award index, not a walk over all
/// of the card's entries (which made accrual slow down as a card's ledger grew).
#[test]
fn the_award_lookup_uses_the_award_index() {
    let db = TestDb::new("loyalty_award_plan");
    if db.is_postgres() {
        return;
    }
    let crm = db.open_with(
        OpenOptions::new(),
        Some(Arc::new(FixedClock::new(at("2026-03-10T10:00:00Z")))),
    );
    let (_, card, aram) = pharmacy(&crm);
    let batch: Vec<NewOrder> = (0..50)
        .map(|i| receipt(aram, &format!("ՉԵԿ-Պ{i}")))
        .collect();
    crm.record_orders(&batch).unwrap();
    assert_eq!(crm.points_history(card, None, 100).unwrap().items.len(), 50);
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id FROM loyalty_entries \
             WHERE card_id = ?1 AND kind = 'award' AND source_kind = ?2 AND source_ref = ?3 \
             AND source_kind IN ('order', 'signup', 'birthday', 'referral')",
        )
        .unwrap()
        .query_map(rusqlite::params![card.0, "order", "7"], |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter().any(|p| p.contains("loyalty_awards_once")),
        "{plan:?}"
    );
}

/// Debits read only the first lots in spend order when they suffice, and every lot when they
/// do not: both give the same allocations as drawing from all lots soonest expiry first, then
/// the oldest, even when ids, award times and expiries disagree (the clock moves back and forth).
#[test]
fn debits_over_many_lots_draw_in_spend_order() {
    for expiry in [ExpiryPolicy::AfterDays { days: 30 }, ExpiryPolicy::Never] {
        let (crm, clock) = open_at("2026-06-01T00:00:00Z");
        let program = crm
            .create_program(&NewProgram::new("Բազմաթիվ", "AMD", 1).expiry(expiry))
            .unwrap();
        let anna = crm
            .add_customer(&NewCustomer::person("Աննա Պետրոսյան"))
            .unwrap();
        let card = crm.open_card(program.id, anna.id, None).unwrap().id;
        let start = crm.now();
        // 45 lots of 1..=45 points, awarded at scrambled times within 20 days.
        let mut lots = Vec::new();
        for i in 0..45i64 {
            clock.set(Timestamp(start.0 + (i * 7 % 45) * DAY / 3));
            let e = crm.adjust_points(card, i + 1, "δώρο", None).unwrap();
            lots.push((e.expires_at, e.at, e.id, e.points));
        }
        clock.set(Timestamp(start.0 + 21 * DAY));
        lots.sort_by_key(|&(exp, at, id, _)| (exp.is_none(), exp, at, id));
        let mut left: Vec<(crmlite::EntryId, i64)> =
            lots.iter().map(|&(_, _, id, p)| (id, p)).collect();
        let total: i64 = left.iter().map(|l| l.1).sum();
        // One point (from the first lot), more than any 32 lots hold (sum(14..=45) = 944),
        // then the rest.
        for want in [1, 960, total - 961] {
            let mut expected = Vec::new();
            let mut need = want;
            for (id, rest) in left.iter_mut().filter(|l| l.1 > 0) {
                if need == 0 {
                    break;
                }
                let take = need.min(*rest);
                expected.push((*id, take));
                *rest -= take;
                need -= take;
            }
            let r = crm.redeem_points(card, want, None, None).unwrap();
            let got: Vec<_> = r
                .entry
                .allocations
                .iter()
                .map(|a| (a.lot, a.points))
                .collect();
            assert_eq!(got, expected, "{expiry:?}, {want} points");
        }
        let err = crm.adjust_points(card, -1, "τέλος", None).unwrap_err();
        assert_eq!(err.field(), Some("points"));
        assert_eq!(crm.balance(card, 0).unwrap().available, 0);
        assert_sums(&crm, card);
    }
}
