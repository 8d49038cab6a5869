//! Redemption, the change feed, and the Python and C bindings: crmlite next to the code a
//! user would write instead (rusqlite, the standard library's `sqlite3`, the Rust API).

use crate::data::{GenCustomer, Rng};
use crate::db::{Db, remove_db};
use crate::ops::{
    BenchResult, Measurement, Op, Place, Side, Sizes, cpu_micros, fresh_crmlite_db, open_raw,
    row_costs,
};
use crate::sales;
use crmlite::{CardId, Synchronous};
use rusqlite::params;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Points redeemed per call.
const REDEEM_POINTS: i64 = 1;

/// Cards to redeem from, random (splitmix64, seed 45) among the buyers whose timed purchases
/// (the raw ledger's events) earned at least 100 points, as (card id, customer id); the
/// ledger database opened the cards in the order of all buyers.
fn redeem_keys(sizes: Sizes) -> Vec<(i64, i64)> {
    let all = sales::buyers(&sales::all_purchases(sizes));
    let mut earned: HashMap<i64, i64> = HashMap::new();
    for p in sales::timed_purchases(sizes) {
        *earned.entry(p.customer_id).or_default() += p.amount_cents / 100;
    }
    let rich: Vec<(i64, i64)> = all
        .iter()
        .enumerate()
        .filter(|(_, c)| earned.get(c).copied().unwrap_or(0) >= 100)
        .map(|(i, &c)| (i64::try_from(i).unwrap_or(0) + 1, c))
        .collect();
    let n = u64::try_from(rich.len()).unwrap_or(0);
    if n == 0 {
        return Vec::new();
    }
    let mut rng = Rng(45);
    (0..sizes.redeems)
        .filter_map(|_| {
            rich.get(usize::try_from(rng.below(n)).unwrap_or(0))
                .copied()
        })
        .collect()
}

/// `Crm::redeem_points(card, 1)` one call each, on the shared ledger database (every
/// repetition redeems a few more points; the balance and feed operations allow for it).
/// The check is the number of redemptions the ledger holds.
pub fn redeem_crmlite(db: &Db, sizes: Sizes) -> BenchResult<Measurement> {
    let keys = redeem_keys(sizes);
    let crm = db.open(Synchronous::Normal)?;
    let before = db.scalar("SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'redeem'")?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    for &(card, _) in &keys {
        crm.redeem_points(CardId(card), REDEEM_POINTS, None, None)?;
    }
    let count = u64::try_from(keys.len())?;
    let metrics = row_costs(t, cpu, count);
    drop(crm);
    let after = db.scalar("SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'redeem'")?;
    Ok(Measurement {
        metrics,
        count,
        check: after - before,
        helper_rss_mib: None,
    })
}

/// The raw ledger (`BASELINES.md` D's tables, loaded untimed with the timed purchases): per
/// redemption `BEGIN IMMEDIATE`, the balance read and checked, a negative ledger row, the
/// balance update, `COMMIT`.
pub fn redeem_raw(path: &Path, sizes: Sizes) -> BenchResult<Measurement> {
    sales::accrual_raw(path, &sales::timed_purchases(sizes), Synchronous::Normal)?;
    let keys = redeem_keys(sizes);
    let conn = open_raw(path, Synchronous::Normal)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    for &(_, customer) in &keys {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        let ts = crmlite::Clock::now(&crmlite::SystemClock).0;
        let balance: i64 = conn
            .prepare_cached("SELECT points FROM balances WHERE customer_id = ?1")?
            .query_row([customer], |r| r.get(0))?;
        if balance < REDEEM_POINTS {
            return Err(format!("customer {customer} has {balance} points").into());
        }
        conn.prepare_cached(
            "INSERT INTO ledger(customer_id, purchase_id, points, ts) VALUES (?1, 0, ?2, ?3)",
        )?
        .execute(params![customer, -REDEEM_POINTS, ts])?;
        conn.prepare_cached(
            "UPDATE balances SET points = points - ?2, updated_at = ?3 WHERE customer_id = ?1",
        )?
        .execute(params![customer, REDEEM_POINTS, ts])?;
        conn.prepare_cached("COMMIT")?.execute([])?;
    }
    let count = u64::try_from(keys.len())?;
    let metrics = row_costs(t, cpu, count);
    let check = conn.query_row("SELECT COUNT(*) FROM ledger WHERE points < 0", [], |r| {
        r.get(0)
    })?;
    Ok(Measurement {
        metrics,
        count,
        check,
        helper_rss_mib: None,
    })
}

/// Changes per page of the feed.
const FEED_PAGE: u32 = 1000;

/// `Crm::changes_since` page after page from the start, `bound` changes in all; the check
/// is the count plus the sum of the entity ids.
pub fn feed_crmlite(db: &Db, bound: u64) -> BenchResult<Measurement> {
    let crm = db.open(Synchronous::Full)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let (mut cursor, mut count, mut check) = (0i64, 0u64, 0i64);
    while count < bound {
        let want = u32::try_from((bound - count).min(u64::from(FEED_PAGE)))?;
        let page = crm.changes_since(cursor, want)?;
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        count += u64::try_from(page.len())?;
        check = page.iter().fold(check, |acc, c| {
            acc.wrapping_add(c.entity_id).wrapping_add(1)
        });
    }
    Ok(Measurement {
        metrics: row_costs(t, cpu, count),
        count,
        check,
        helper_rss_mib: None,
    })
}

/// One change row as a hand-written reader keeps it.
#[allow(dead_code)] // read into memory as an application would; only the id is summed
struct RawChange {
    seq: i64,
    entity: String,
    entity_id: i64,
    op: String,
    at: i64,
}

/// The same pages with rusqlite: one cached `SELECT ... WHERE seq > ? ORDER BY seq LIMIT ?`.
pub fn feed_raw(path: &Path, bound: u64) -> BenchResult<Measurement> {
    let conn = open_raw(path, Synchronous::Full)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let (mut cursor, mut count, mut check) = (0i64, 0u64, 0i64);
    while count < bound {
        let want = i64::try_from((bound - count).min(u64::from(FEED_PAGE)))?;
        let page = conn
            .prepare_cached(
                "SELECT seq, entity, entity_id, op, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(params![cursor, want], |r| {
                Ok(RawChange {
                    seq: r.get(0)?,
                    entity: r.get(1)?,
                    entity_id: r.get(2)?,
                    op: r.get(3)?,
                    at: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        count += u64::try_from(page.len())?;
        check = page.iter().fold(check, |acc, c| {
            acc.wrapping_add(c.entity_id).wrapping_add(1)
        });
    }
    Ok(Measurement {
        metrics: row_costs(t, cpu, count),
        count,
        check,
        helper_rss_mib: None,
    })
}

/// What the C and Python helpers print.
#[derive(serde::Deserialize)]
struct HelperOutput {
    metrics: Vec<(String, f64)>,
    count: u64,
    check: i64,
    peak_rss_mib: f64,
}

/// Runs a helper program and reads its one JSON line.
fn run_helper(cmd: &mut Command) -> BenchResult<Measurement> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    let h: HelperOutput = serde_json::from_slice(&out.stdout)?;
    Ok(Measurement {
        metrics: h.metrics,
        count: h.count,
        check: h.check,
        helper_rss_mib: Some(h.peak_rss_mib),
    })
}

/// Writes the customers as the helpers read them: id, name, e-mail, external code,
/// birthday, city, created_at, tab-separated.
fn write_rows(rows: &[GenCustomer], path: &Path) -> BenchResult<()> {
    let mut text = String::with_capacity(rows.len() * 96);
    for c in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            c.id,
            c.name,
            c.email,
            c.external_code,
            c.birthday.format("%Y-%m-%d"),
            c.city,
            c.created_at
        ));
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// The helper scripts and programs live next to this crate's sources.
fn helper_source(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The Python sides: crmlite's Python API (`add_customer` per row or one `add_customers`)
/// or the standard library's `sqlite3` loop on crmlite's schema.
pub fn python(
    op: Op,
    side: Side,
    rows: &[GenCustomer],
    db: &Path,
    place: &Place,
) -> BenchResult<Measurement> {
    let python = place
        .python
        .as_ref()
        .ok_or("the Python sides need CRMLITE_BENCH_PYTHON")?;
    let input = place.file(&format!("rows-{}", std::process::id()));
    write_rows(rows, &input)?;
    if side == Side::PySqlite3 {
        fresh_crmlite_db(db)?;
    } else {
        remove_db(db);
    }
    let (op_name, side_name) = match (op, side) {
        (Op::PyBatch, _) => ("batch", "python"),
        (_, Side::PySqlite3) => ("add-one", "sqlite3"),
        (Op::PyAddOneCommit, _) => ("add-one-commit", "python"),
        _ => ("add-one", "python"),
    };
    let result = run_helper(
        Command::new(python)
            .arg(helper_source("python/bench_py.py"))
            .args([op_name, side_name])
            .arg(&input)
            .arg(db),
    );
    let _ = std::fs::remove_file(&input);
    result
}

/// `crmlite_customer_add` per row from C, into an empty database (`synchronous=NORMAL`).
pub fn c_add_one(rows: &[GenCustomer], db: &Path, place: &Place) -> BenchResult<Measurement> {
    let program = place.c.as_ref().ok_or("the C side needs CRMLITE_BENCH_C")?;
    let input = place.file(&format!("rows-{}", std::process::id()));
    write_rows(rows, &input)?;
    remove_db(db);
    let result = run_helper(Command::new(program).arg("add-one").arg(&input).arg(db));
    let _ = std::fs::remove_file(&input);
    result
}

/// `crmlite_customer_get` per id from C on the shared customer database.
pub fn c_get_by_id(ids: &[i64], lookup: &Path, place: &Place) -> BenchResult<Measurement> {
    let program = place.c.as_ref().ok_or("the C side needs CRMLITE_BENCH_C")?;
    let input = place.file(&format!("ids-{}", std::process::id()));
    let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
    std::fs::write(&input, text)?;
    let result = run_helper(
        Command::new(program)
            .arg("get-by-id")
            .arg(&input)
            .arg(lookup),
    );
    let _ = std::fs::remove_file(&input);
    result
}
