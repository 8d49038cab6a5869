//! Schema migrations on `PRAGMA user_version`.

use crate::conn::map_err;
use crmlite_core::{Error, Result, StorageKind};
use rusqlite::Connection;

/// Every migration in order; migration `i` moves the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_customers.sql"),
    include_str!("migrations/0002_automation.sql"),
    include_str!("migrations/0003_deals.sql"),
    include_str!("migrations/0004_reference.sql"),
    include_str!("migrations/0005_loyalty.sql"),
    include_str!("migrations/0006_service.sql"),
    include_str!("migrations/0007_spend_order.sql"),
];

/// The schema version stored in the file; refuses a version newer than this library's.
fn schema_version(conn: &Connection, latest: i64) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(map_err)?;
    if version > latest {
        return Err(Error::storage(
            StorageKind::TooNew,
            format!(
                "database schema version {version} is newer than this crmlite ({latest}); upgrade crmlite"
            ),
        ));
    }
    Ok(version)
}

/// Brings the schema up to date, each step in its own immediate transaction. A database
/// already up to date is only read: opening it takes no write lock, so processes opening
/// while others write do not queue behind them.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let latest = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if schema_version(conn, latest)? == latest {
        return Ok(());
    }
    loop {
        conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)?;
        let step = (|| {
            let version = schema_version(conn, latest)?;
            let Some(sql) = usize::try_from(version)
                .ok()
                .and_then(|v| MIGRATIONS.get(v))
            else {
                return Ok(false);
            };
            conn.execute_batch(sql).map_err(map_err)?;
            conn.execute_batch(&format!("PRAGMA user_version = {}", version + 1))
                .map_err(map_err)?;
            Ok(true)
        })();
        match step {
            Ok(more) => {
                conn.execute_batch("COMMIT").map_err(map_err)?;
                if !more {
                    return Ok(());
                }
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::migrate;
    use rusqlite::Connection;

    fn ledger_db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (kind, name, name_key, search_key, version, created_at, updated_at)
                 VALUES ('person', 'Արամ', 'արամ', 'արամ', 1, 0, 0);
             INSERT INTO loyalty_programs (name, currency, point_value, expiry, pending_days, reversal, tier_basis,
                 tier_window_days, downgrade, created_at)
                 VALUES ('p', 'AMD', 100, '{\"kind\":\"never\"}', 0, 'refuse', 'spend', 365, '{\"kind\":\"never\"}', 0);
             INSERT INTO loyalty_cards (program_id, customer_id, code, tier_since, created_at) VALUES (1, 1, 'c', 0, 0);
             INSERT INTO loyalty_entries (card_id, program_id, kind, points, at) VALUES (1, 1, 'award', 10, 0);
             INSERT INTO loyalty_entries (card_id, program_id, kind, points, at) VALUES (1, 1, 'redeem', -4, 0);
             INSERT INTO loyalty_allocations (entry_id, lot_id, points, position) VALUES (2, 1, 4, 0);",
        )
        .unwrap();
        conn
    }

    #[test]
    fn the_points_ledger_is_append_only() {
        let conn = ledger_db();
        for sql in [
            "UPDATE loyalty_entries SET points = 1000 WHERE id = 1",
            "DELETE FROM loyalty_entries WHERE id = 2",
            "UPDATE loyalty_allocations SET points = 1",
            "DELETE FROM loyalty_allocations",
        ] {
            let err = conn.execute_batch(sql).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        let sum: i64 = conn
            .query_row("SELECT SUM(points) FROM loyalty_entries", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, 6);
    }

    #[test]
    fn an_allocation_cannot_take_more_than_is_left_of_its_lot() {
        let conn = ledger_db();
        conn.execute_batch(
            "INSERT INTO loyalty_entries (card_id, program_id, kind, points, at) VALUES (1, 1, 'redeem', -7, 0)",
        )
        .unwrap();
        let err = conn
            .execute_batch("INSERT INTO loyalty_allocations (entry_id, lot_id, points, position) VALUES (3, 1, 7, 0)")
            .unwrap_err();
        assert!(err.to_string().contains("exceeds"), "{err}");
        // A debit cannot draw from another debit.
        let err = conn
            .execute_batch("INSERT INTO loyalty_allocations (entry_id, lot_id, points, position) VALUES (3, 2, 1, 0)")
            .unwrap_err();
        assert!(err.to_string().contains("exceeds"), "{err}");
        conn.execute_batch("INSERT INTO loyalty_allocations (entry_id, lot_id, points, position) VALUES (3, 1, 6, 0)").unwrap();
        let err = conn
            .execute_batch(
                "INSERT INTO loyalty_entries (card_id, program_id, kind, points, at) VALUES (1, 1, 'award', -1, 0)",
            )
            .unwrap_err();
        assert!(err.to_string().contains("CHECK"), "{err}");
    }
}
