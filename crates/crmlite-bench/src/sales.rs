//! Purchases, loyalty accrual and balance reads: crmlite's sales and loyalty calls next to
//! the rusqlite code that stores or reads the same rows (`BASELINES.md` D for the ledger).

use crate::data::{self, GenPurchase, Rng};
use crate::db::{Db, remove_db};
use crate::ops::{BenchResult, Measurement, Sizes, cpu_micros, open_raw, row_costs, time_each};
use crmlite::loyalty::{Earn, NewEarnRule, NewProgram};
use crmlite::sales::{NewOrder, NewOrderLine};
use crmlite::{CardId, CustomerId, Synchronous, Timestamp};
use rusqlite::{Connection, params};
use std::path::Path;
use std::time::Instant;

/// Orders per `record_orders` call and events per raw transaction.
pub const BATCH: usize = 1000;

/// The currency of every generated purchase and of the program.
const CURRENCY: &str = "EUR";

/// The purchases the write operations record: the first `sizes.orders` of `gen.py`'s table.
pub fn timed_purchases(sizes: Sizes) -> Vec<GenPurchase> {
    data::purchases(data::DEFAULT_SEED, sizes.orders, sizes.customers)
}

/// The crmlite input for a generated purchase: one line of its category.
pub fn new_order(p: &GenPurchase) -> NewOrder {
    NewOrder::new(CustomerId(p.customer_id), CURRENCY)
        .line(NewOrderLine::new(p.category, 1, p.amount_cents).category(p.category))
        .at(Timestamp(p.ts * 1000))
}

/// Every purchase of the data set (`gen.py`'s whole table): the ledger database's history.
pub fn all_purchases(sizes: Sizes) -> Vec<GenPurchase> {
    data::purchases(data::DEFAULT_SEED, sizes.history, sizes.customers)
}

/// The buyers of `purchases`, ascending: the customers that get a card, in card-id order.
pub fn buyers(purchases: &[GenPurchase]) -> Vec<i64> {
    let mut ids: Vec<i64> = purchases.iter().map(|p| p.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Adds a program earning one point per euro and opens a card for every buyer (not timed).
pub fn open_cards(crm: &crmlite::Crm, purchases: &[GenPurchase]) -> BenchResult<()> {
    let program = crm.create_program(&NewProgram::new("Բոնուս · Μπόνους · ბონუსი", CURRENCY, 1))?;
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "ένας πόντος ανά ευρώ",
        Earn::PerAmount {
            points: 1,
            per: 100,
        },
    ))?;
    for id in buyers(purchases) {
        crm.open_card(program.id, CustomerId(id), None)?;
    }
    Ok(())
}

/// Orders per `record_orders` call while loading the ledger database (not timed): fewer,
/// larger transactions write each touched index page to the WAL once for more purchases.
pub const LOAD_BATCH: usize = 50_000;

/// Records `purchases` through crmlite, [`LOAD_BATCH`] per call (not timed).
pub fn record_all(crm: &crmlite::Crm, purchases: &[GenPurchase]) -> BenchResult<()> {
    for chunk in purchases.chunks(LOAD_BATCH) {
        let orders: Vec<NewOrder> = chunk.iter().map(new_order).collect();
        crm.record_orders(&orders)?;
    }
    Ok(())
}

/// Times `Crm::record_orders`, `BATCH` orders per call, on `db` (which holds the customers).
pub fn record_crmlite(
    db: &Db,
    purchases: &[GenPurchase],
    sync: Synchronous,
) -> BenchResult<Measurement> {
    let crm = db.open(sync)?;
    let batches: Vec<Vec<NewOrder>> = purchases
        .chunks(BATCH)
        .map(|c| c.iter().map(new_order).collect())
        .collect();
    let (t, cpu) = (Instant::now(), cpu_micros());
    for batch in &batches {
        crm.record_orders(batch)?;
    }
    let count = u64::try_from(purchases.len())?;
    let metrics = row_costs(t, cpu, count);
    drop(crm);
    Ok(Measurement {
        metrics,
        count,
        check: db.scalar("SELECT COALESCE(SUM(total), 0) FROM orders")?,
        helper_rss_mib: None,
    })
}

const RAW_ORDER: &str = "INSERT INTO orders (customer_id, currency, total, paid, channel, store, external_id, at, \
    created_at) VALUES (?1, 'EUR', ?2, ?2, '', '', NULL, ?3, ?4) RETURNING id";
const RAW_LINE: &str = "INSERT INTO order_lines (order_id, line, product, category, tags, quantity, unit_price, \
    discount, total, reward) VALUES (?1, 0, ?2, ?2, '[]', 1, ?3, 0, ?3, 0)";
const RAW_SPEND: &str = "INSERT INTO customer_spend (customer_id, currency, order_count, spend, returned, \
    first_purchase_at, last_purchase_at) VALUES (?1, 'EUR', 1, ?2, 0, ?3, ?3) \
    ON CONFLICT (customer_id, currency) DO UPDATE SET order_count = customer_spend.order_count + 1, \
    spend = customer_spend.spend + excluded.spend, \
    first_purchase_at = MIN(customer_spend.first_purchase_at, excluded.first_purchase_at), \
    last_purchase_at = MAX(customer_spend.last_purchase_at, excluded.last_purchase_at)";
const RAW_NOTE: &str = "INSERT INTO timeline (customer_id, kind, at, summary, body, author, source) \
    VALUES (?1, 'purchase', ?2, ?3, '', '', ?4) RETURNING id";
const RAW_CHANGE: &str =
    "INSERT INTO changes (entity, entity_id, op, at) VALUES (?1, ?2, 'insert', ?3)";

/// Milliseconds since the epoch now, from crmlite's system clock.
fn now_ms() -> i64 {
    crmlite::Clock::now(&crmlite::SystemClock).0
}

/// The rows crmlite stores for an order, by hand: the order and its line, its change-feed
/// row, the customer's spend facts, the timeline note and its change-feed row.
fn raw_order(conn: &Connection, p: &GenPurchase, now: i64) -> BenchResult<()> {
    let at = p.ts * 1000;
    let id: i64 = conn
        .prepare_cached(RAW_ORDER)?
        .query_row(params![p.customer_id, p.amount_cents, at, now], |r| {
            r.get(0)
        })?;
    conn.prepare_cached(RAW_LINE)?
        .execute(params![id, p.category, p.amount_cents])?;
    conn.prepare_cached(RAW_CHANGE)?
        .execute(params!["order", id, now])?;
    conn.prepare_cached(RAW_SPEND)?
        .execute(params![p.customer_id, p.amount_cents, at])?;
    let summary = format!(
        "Purchase {}.{:02} EUR",
        p.amount_cents / 100,
        p.amount_cents % 100
    );
    let note: i64 = conn.prepare_cached(RAW_NOTE)?.query_row(
        params![p.customer_id, at, summary, format!("order:{id}")],
        |r| r.get(0),
    )?;
    conn.prepare_cached(RAW_CHANGE)?
        .execute(params!["timeline_entry", note, now])?;
    Ok(())
}

/// Raw inserts of the rows `record_crmlite` stores, `BATCH` orders per transaction.
pub fn record_raw(
    path: &Path,
    purchases: &[GenPurchase],
    sync: Synchronous,
) -> BenchResult<Measurement> {
    let mut conn = open_raw(path, sync)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    for chunk in purchases.chunks(BATCH) {
        let now = now_ms();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for p in chunk {
            raw_order(&tx, p, now)?;
        }
        tx.commit()?;
    }
    let count = u64::try_from(purchases.len())?;
    let metrics = row_costs(t, cpu, count);
    drop(conn);
    Ok(Measurement {
        metrics,
        count,
        check: Db::File(path.to_owned()).scalar("SELECT COALESCE(SUM(total), 0) FROM orders")?,
        helper_rss_mib: None,
    })
}

/// Crmlite's accrual: orders recorded on customers holding a card, `BATCH` per call; each
/// earns a ledger lot. The check is the number of lots written.
pub fn accrual_crmlite(
    db: &Db,
    purchases: &[GenPurchase],
    sync: Synchronous,
) -> BenchResult<Measurement> {
    let mut m = record_crmlite(db, purchases, sync)?;
    m.check = db.scalar("SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'award'")?;
    Ok(m)
}

/// `BASELINES.md` D: a ledger row and a balance upsert per event, `BATCH` per transaction,
/// with the per-customer ledger index, on its own two tables.
pub fn accrual_raw(
    path: &Path,
    purchases: &[GenPurchase],
    sync: Synchronous,
) -> BenchResult<Measurement> {
    remove_db(path);
    let mut conn = open_raw(path, sync)?;
    conn.execute_batch(
        "CREATE TABLE ledger(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, purchase_id INTEGER NOT NULL, \
         points INTEGER NOT NULL, ts INTEGER NOT NULL); \
         CREATE TABLE balances(customer_id INTEGER PRIMARY KEY, points INTEGER NOT NULL, updated_at INTEGER NOT NULL); \
         CREATE INDEX ix_ledger_customer ON ledger(customer_id, id);",
    )?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    for chunk in purchases.chunks(BATCH) {
        let tx = conn.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO ledger(customer_id, purchase_id, points, ts) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut up = tx.prepare_cached(
                "INSERT INTO balances(customer_id, points, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(customer_id) DO UPDATE SET points = points + excluded.points, updated_at = excluded.updated_at",
            )?;
            for p in chunk {
                let points = p.amount_cents / 100;
                ins.execute(params![p.customer_id, p.id, points, p.ts])?;
                up.execute(params![p.customer_id, points, p.ts])?;
            }
        }
        tx.commit()?;
    }
    let count = u64::try_from(purchases.len())?;
    let metrics = row_costs(t, cpu, count);
    let sums: (i64, i64) = conn.query_row(
        "SELECT (SELECT SUM(points) FROM ledger), (SELECT SUM(points) FROM balances)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if sums.0 != sums.1 {
        return Err(format!("raw ledger sums {} but balances {}", sums.0, sums.1).into());
    }
    let check = conn.query_row("SELECT COUNT(*) FROM ledger WHERE points > 0", [], |r| {
        r.get(0)
    })?;
    Ok(Measurement {
        metrics,
        count,
        check,
        helper_rss_mib: None,
    })
}

/// Random card ids among the `cards` opened (splitmix64, seed 44).
pub fn sample_cards(sizes: Sizes, cards: usize) -> Vec<i64> {
    let mut rng = Rng(44);
    let n = u64::try_from(cards).unwrap_or(1);
    (0..sizes.balance_reads)
        .map(|_| i64::try_from(rng.below(n) + 1).unwrap_or(1))
        .collect()
}

/// `Crm::balance(card, 0)` per key; the check sums the ledger sums it reports.
pub fn balance_crmlite(db: &Db, cards: &[i64]) -> BenchResult<Measurement> {
    let crm = db.open(Synchronous::Full)?;
    time_each(cards, |&id| Ok(crm.balance(CardId(id), 0)?.ledger_sum))
}

/// The raw balance: one `SUM` over the card's ledger entries.
pub fn balance_raw(path: &Path, cards: &[i64]) -> BenchResult<Measurement> {
    let conn = open_raw(path, Synchronous::Full)?;
    let sql =
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM loyalty_entries WHERE card_id = ?1";
    time_each(cards, |&id| {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([id], |r| r.get::<_, i64>(0))?)
    })
}
