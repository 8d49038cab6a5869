//! Model-based property test of the points ledger: random purchases, returns, redemptions
//! (with reused idempotency keys, some against an order), adjustments, expiry runs and clock moves run against
//! crmlite and against a simple in-test model. After every step the test checks that the
//! replies agree, that each balance equals the sum of the entries, that no lot gives out
//! more than it holds (lot conservation), that nothing is negative, and that the tier
//! follows points earned in the window. A return gives back the share of the points
//! redeemed against its order once, as a lot expiring with the latest lot they came from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // helpers outside #[test] fns

use crmlite::customer::NewCustomer;
use crmlite::loyalty::{
    Downgrade, Earn, EntryKind, ExpiryPolicy, NewEarnRule, NewProgram, NewTier, ReversalPolicy,
    TierBasis,
};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
use crmlite::{CardId, Crm, ErrorKind, FixedClock, OrderId, TierId, Timestamp};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

mod support;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const PENDING_DAYS: i64 = 3;
const EXPIRY_DAYS: i64 = 20;
const WINDOW_DAYS: i64 = 30;
const SILVER: i64 = 50;
const GOLD: i64 = 200;

#[derive(Clone, Debug)]
enum Step {
    /// Lines (quantity, unit price) and how many days ago the till says it was bought.
    Purchase(Vec<(i64, i64)>, i64),
    ResendLastReceipt,
    Return {
        order: usize,
        line: usize,
        quantity: i64,
    },
    Redeem {
        points: i64,
        key: Option<u8>,
        /// Against the last order.
        on_order: bool,
    },
    Adjust(i64),
    Expire,
    Advance(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop::collection::vec((1i64..4, 100i64..6000), 1..4), prop_oneof![3 => Just(0i64), 1 => 0i64..25])
            .prop_map(|(lines, back)| Step::Purchase(lines, back)),
        1 => Just(Step::ResendLastReceipt),
        3 => (0usize..8, 0usize..3, 1i64..3).prop_map(|(order, line, quantity)| Step::Return { order, line, quantity }),
        4 => (1i64..120, prop::option::of(0u8..4), any::<bool>())
            .prop_map(|(points, key, on_order)| Step::Redeem { points, key, on_order }),
        2 => (-60i64..80).prop_filter("non-zero", |p| *p != 0).prop_map(Step::Adjust),
        2 => Just(Step::Expire),
        3 => (0i64..8).prop_map(Step::Advance),
    ]
}

#[derive(Clone, Debug)]
struct MLot {
    points: i64,
    remaining: i64,
    pending_until: Option<i64>,
    expires_at: i64,
}

impl MLot {
    fn due(&self, now: i64) -> bool {
        self.expires_at <= now
    }
    fn spendable(&self, now: i64) -> bool {
        self.remaining > 0 && !self.due(now) && self.pending_until.is_none_or(|p| p <= now)
    }
}

#[derive(Clone, Debug)]
struct MOrder {
    id: OrderId,
    lines: Vec<(i64, i64)>, // (quantity, line total)
    returned: Vec<i64>,
    total: i64,
    returned_amount: i64,
    lot: Option<usize>,
    earned: i64,
    reversed: i64,
    /// Points redeemed against the order, given back so far, and the lots they came from.
    redeemed: i64,
    refunded: i64,
    drawn: Vec<usize>,
    receipt: NewOrder,
}

/// A keyed redemption's points, order and first outcome (the entry id or the error kind).
type KeyedRedeem = (i64, Option<OrderId>, Result<i64, ErrorKind>);

#[derive(Default)]
struct Model {
    now: i64,
    lots: Vec<MLot>,
    /// (kind counts toward tier basis, points, at)
    earned_entries: Vec<(i64, i64)>,
    ledger_sum: i64,
    orders: Vec<MOrder>,
    keys: HashMap<u8, KeyedRedeem>,
    tier: Option<usize>,
}

impl Model {
    /// Takes `points` in spend order from lots other than `skip`; returns what it could not
    /// take and the lots it drew from.
    fn take(&mut self, mut points: i64, skip: Option<usize>) -> (i64, Vec<usize>) {
        let now = self.now;
        let mut order: Vec<usize> = (0..self.lots.len())
            .filter(|&i| Some(i) != skip && self.lots[i].spendable(now))
            .collect();
        order.sort_by_key(|&i| (self.lots[i].expires_at, i));
        let mut drawn = Vec::new();
        for i in order {
            let t = points.min(self.lots[i].remaining);
            if t > 0 {
                drawn.push(i);
            }
            self.lots[i].remaining -= t;
            points -= t;
        }
        (points, drawn)
    }

    fn available(&self) -> i64 {
        self.lots
            .iter()
            .filter(|l| l.spendable(self.now))
            .map(|l| l.remaining)
            .sum()
    }

    fn earned_in_window(&self) -> i64 {
        let from = self.now - WINDOW_DAYS * DAY;
        self.earned_entries
            .iter()
            .filter(|(_, at)| *at >= from && *at <= self.now)
            .map(|(p, _)| p)
            .sum()
    }

    fn update_tier(&mut self) {
        let earned = self.earned_in_window();
        self.tier = if earned >= GOLD {
            Some(1)
        } else if earned >= SILVER {
            Some(0)
        } else {
            None
        };
    }

    /// A lot awarded for something that happened at `base` (pending for purchases).
    fn new_lot(&mut self, points: i64, base: i64, pending: bool) -> usize {
        self.lots.push(MLot {
            points,
            remaining: points,
            pending_until: pending.then_some(base + PENDING_DAYS * DAY),
            expires_at: base + EXPIRY_DAYS * DAY,
        });
        self.ledger_sum += points;
        self.lots.len() - 1
    }
}

struct Sut {
    crm: Crm,
    clock: Arc<FixedClock>,
    card: CardId,
    customer: crmlite::CustomerId,
    tiers: [TierId; 2],
}

fn setup() -> Sut {
    let (crm, clock) = support::fresh();
    clock.set(Timestamp(T0));
    let program = crm
        .create_program(
            &NewProgram::new("Մոդել", "AMD", 100)
                .expiry(ExpiryPolicy::AfterDays {
                    days: EXPIRY_DAYS as u32,
                })
                .pending_days(PENDING_DAYS as u32)
                .reversal(ReversalPolicy::Clawback)
                .tiers_on(TierBasis::PointsEarned, WINDOW_DAYS as u32)
                .downgrade(Downgrade::Automatic),
        )
        .unwrap();
    let silver = crm
        .add_tier(&NewTier::new(program.id, "արծաթ", SILVER))
        .unwrap();
    let gold = crm
        .add_tier(&NewTier::new(program.id, "ոսկի", GOLD))
        .unwrap();
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "դրամ",
            Earn::PerAmount {
                points: 1,
                per: 100,
            },
        )
        .position(1),
    )
    .unwrap();
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "ոսկե կրկնապատիկ",
            Earn::Multiplier { percent: 200 },
        )
        .position(2)
        .tiers(vec![gold.id]),
    )
    .unwrap();
    let customer = crm
        .add_customer(&NewCustomer::person("Գայանե Մկրտչյան"))
        .unwrap()
        .id;
    let card = crm.open_card(program.id, customer, None).unwrap().id;
    Sut {
        crm,
        clock,
        card,
        customer,
        tiers: [silver.id, gold.id],
    }
}

fn apply(sut: &Sut, m: &mut Model, step: &Step, receipts: &mut u32) {
    let crm = &sut.crm;
    match step {
        Step::Purchase(lines, back) => {
            *receipts += 1;
            let bought = m.now - back * DAY;
            let mut receipt = NewOrder::new(sut.customer, "AMD")
                .external_id(format!("ՉԵԿ-{receipts}"))
                .at(Timestamp(bought));
            for (q, p) in lines {
                receipt = receipt.line(NewOrderLine::new("դեղ", *q, *p));
            }
            let order = crm.record_order(&receipt).unwrap();
            let totals: Vec<(i64, i64)> = lines.iter().map(|(q, p)| (*q, q * p)).collect();
            let total: i64 = totals.iter().map(|t| t.1).sum();
            let multiplier = if m.tier == Some(1) { 2 } else { 1 };
            let earned = total * multiplier / 100;
            let lot = (earned > 0).then(|| m.new_lot(earned, bought, true));
            if earned > 0 {
                m.earned_entries.push((earned, m.now));
                m.update_tier();
            }
            m.orders.push(MOrder {
                id: order.id,
                returned: vec![0; totals.len()],
                lines: totals,
                total,
                returned_amount: 0,
                lot,
                earned,
                reversed: 0,
                redeemed: 0,
                refunded: 0,
                drawn: Vec::new(),
                receipt,
            });
        }
        Step::ResendLastReceipt => {
            if let Some(o) = m.orders.last() {
                assert_eq!(crm.record_order(&o.receipt).unwrap().id, o.id);
            }
        }
        Step::Return {
            order,
            line,
            quantity,
        } => {
            if m.orders.is_empty() {
                return;
            }
            let oi = order % m.orders.len();
            let li = line % m.orders[oi].lines.len();
            let reply =
                crm.record_return(&NewReturn::new(m.orders[oi].id).line(li as u32, *quantity));
            let o = &m.orders[oi];
            let (qty, line_total) = o.lines[li];
            let left = qty - o.returned[li];
            if left == 0 {
                assert_eq!(reply.unwrap_err().field(), Some("lines[0].line"));
                return;
            }
            if *quantity > left {
                assert_eq!(reply.unwrap_err().field(), Some("lines[0].quantity"));
                return;
            }
            reply.unwrap();
            let before = o.returned[li];
            let amount = line_total * (before + quantity) / qty - line_total * before / qty;
            let (earned, total, lot) = (o.earned, o.total, o.lot);
            let returned_amount = o.returned_amount + amount;
            // First the points redeemed against the order come back, once in total.
            let share = |points: i64| {
                if returned_amount >= total {
                    points
                } else {
                    points * returned_amount / total
                }
            };
            let give_back = share(o.redeemed) - o.refunded;
            let target = share(earned);
            let due = target - o.reversed;
            if give_back > 0 {
                let expires_at = o.drawn.iter().map(|&i| m.lots[i].expires_at).max().unwrap();
                m.orders[oi].refunded += give_back;
                m.lots.push(MLot {
                    points: give_back,
                    remaining: give_back,
                    pending_until: None,
                    expires_at,
                });
                m.ledger_sum += give_back;
            }
            {
                let o = &mut m.orders[oi];
                o.returned[li] += quantity;
                o.returned_amount = returned_amount;
                o.reversed = target.max(o.reversed);
            }
            if due > 0 {
                let mut left = due;
                if let Some(l) = lot
                    && !m.lots[l].due(m.now)
                {
                    let t = left.min(m.lots[l].remaining);
                    m.lots[l].remaining -= t;
                    left -= t;
                }
                let (shortfall, _) = m.take(left, lot);
                let taken = due - shortfall;
                m.ledger_sum -= taken;
                m.earned_entries.push((-taken, m.now));
                m.update_tier();
            }
        }
        Step::Redeem {
            points,
            key,
            on_order,
        } => {
            let key_text = key.map(|k| format!("k{k}"));
            let order = if *on_order {
                m.orders.len().checked_sub(1)
            } else {
                None
            };
            let order_id = order.map(|i| m.orders[i].id);
            let reply = crm.redeem_points(sut.card, *points, order_id, key_text.as_deref());
            if let Some(k) = key
                && let Some((p, o, first)) = m.keys.get(k)
            {
                if p == points && *o == order_id {
                    match (first, reply) {
                        (Ok(entry), Ok(r)) => assert_eq!(r.entry.id.0, *entry),
                        (Err(kind), Err(e)) => assert_eq!(e.kind(), *kind),
                        (a, b) => panic!("replay of key {k} gave {b:?}, first was {a:?}"),
                    }
                } else {
                    assert_eq!(reply.unwrap_err().kind(), ErrorKind::Conflict);
                }
                return;
            }
            let returned = order.is_some_and(|i| m.orders[i].returned_amount > 0);
            let outcome = if returned {
                let e = reply.unwrap_err();
                assert_eq!(
                    e.field(),
                    Some("order"),
                    "no redemption against a returned order"
                );
                Err(e.kind())
            } else if m.available() >= *points {
                let r = reply.unwrap();
                assert_eq!(r.entry.points, -points);
                assert_eq!(r.entry.order, order_id);
                let (short, drawn) = m.take(*points, None);
                assert_eq!(short, 0);
                m.ledger_sum -= points;
                if let Some(i) = order {
                    m.orders[i].redeemed += points;
                    m.orders[i].drawn.extend(drawn);
                }
                Ok(r.entry.id.0)
            } else {
                let e = reply.unwrap_err();
                assert_eq!(e.field(), Some("points"));
                Err(e.kind())
            };
            if let Some(k) = key {
                m.keys.insert(*k, (*points, order_id, outcome));
            }
        }
        Step::Adjust(points) => {
            let reply = crm.adjust_points(sut.card, *points, "ճշգրտում", None);
            if *points > 0 {
                reply.unwrap();
                m.new_lot(*points, m.now, false);
            } else if m.available() >= -points {
                reply.unwrap();
                let _ = m.take(-points, None);
                m.ledger_sum += points;
            } else {
                assert_eq!(reply.unwrap_err().field(), Some("points"));
            }
        }
        Step::Expire => {
            let run = crm.expire_points(Timestamp(m.now)).unwrap();
            let mut expected = 0;
            for l in m
                .lots
                .iter_mut()
                .filter(|l| l.due(m.now) && l.remaining > 0)
            {
                expected += l.remaining;
                l.remaining = 0;
            }
            m.ledger_sum -= expected;
            assert_eq!(run.points, expected);
            assert_eq!(
                crm.expire_points(Timestamp(m.now)).unwrap().points,
                0,
                "expiry is idempotent"
            );
        }
        Step::Advance(days) => {
            m.now += days * DAY;
            sut.clock.set(Timestamp(m.now));
        }
    }
}

fn check(sut: &Sut, m: &Model) {
    let crm = &sut.crm;
    let b = crm.balance(sut.card, 0).unwrap();
    let now = m.now;
    let pending: i64 = m
        .lots
        .iter()
        .filter(|l| !l.due(now) && l.remaining > 0 && !l.spendable(now))
        .map(|l| l.remaining)
        .sum();
    let awaiting: i64 = m
        .lots
        .iter()
        .filter(|l| l.due(now))
        .map(|l| l.remaining)
        .sum();
    assert_eq!(
        (b.available, b.pending, b.awaiting_expiry),
        (m.available(), pending, awaiting)
    );
    assert_eq!(b.ledger_sum, m.ledger_sum);
    assert_eq!(
        b.available + b.pending + b.awaiting_expiry,
        b.ledger_sum,
        "balance = sum of entries"
    );
    assert!(
        b.available >= 0 && b.pending >= 0 && b.awaiting_expiry >= 0,
        "no negative balance"
    );

    // Lot conservation, recomputed from the entries alone.
    let entries = crm.points_history(sut.card, None, 1000).unwrap().items;
    let mut lots: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut sum = 0;
    for e in &entries {
        sum += e.points;
        if e.points > 0 {
            lots.entry(e.id.0).or_default().0 = e.points;
        }
    }
    for e in &entries {
        let drawn: i64 = e.allocations.iter().map(|a| a.points).sum();
        assert!(e.points <= 0 || drawn == 0);
        if e.kind != EntryKind::Clawback || e.points != 0 {
            assert_eq!(
                drawn,
                -e.points.min(0),
                "a debit draws exactly its points from lots: {e:?}"
            );
        }
        for a in &e.allocations {
            lots.get_mut(&a.lot.0).expect("allocations point at lots").1 += a.points;
        }
    }
    assert_eq!(sum, b.ledger_sum);
    let remaining: Vec<i64> = lots
        .values()
        .map(|(points, drawn)| points - drawn)
        .collect();
    assert!(
        lots.values().all(|(points, drawn)| *drawn <= *points),
        "no lot gives out more than it holds"
    );
    let model: Vec<i64> = m.lots.iter().map(|l| l.remaining).collect();
    assert_eq!(remaining, model);
    assert!(m.lots.iter().all(|l| l.remaining <= l.points));

    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());

    // The tier follows points earned in the window, never the balance.
    assert_eq!(
        crm.card(sut.card).unwrap().tier,
        m.tier.map(|i| sut.tiers[i])
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_matches_a_simple_model(steps in prop::collection::vec(step(), 1..30)) {
        let sut = setup();
        let mut model = Model { now: T0, ..Model::default() };
        let mut receipts = 0;
        for s in &steps {
            let tier_before = sut.crm.card(sut.card).unwrap().tier;
            apply(&sut, &mut model, s, &mut receipts);
            if matches!(s, Step::Redeem { .. }) {
                prop_assert_eq!(sut.crm.card(sut.card).unwrap().tier, tier_before, "redeeming never changes the tier");
            }
            check(&sut, &model);
        }
    }
}
