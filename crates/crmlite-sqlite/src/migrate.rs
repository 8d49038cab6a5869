//! Schema migrations on `PRAGMA user_version`.

use crate::conn::map_err;
use crmlite_core::{Error, Result, StorageKind};
use rusqlite::Connection;

/// Every migration in order; migration `i` moves the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] =
    &[include_str!("migrations/0001_customers.sql"), include_str!("migrations/0003_loyalty.sql")];

/// Brings the schema up to date, each step in its own immediate transaction.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let latest = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    loop {
        conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)?;
        let step = (|| {
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(map_err)?;
            if version > latest {
                return Err(Error::storage(
                    StorageKind::TooNew,
                    format!("database schema version {version} is newer than this crmlite ({latest}); upgrade crmlite"),
                ));
            }
            let Some(sql) = usize::try_from(version).ok().and_then(|v| MIGRATIONS.get(v)) else {
                return Ok(false);
            };
            conn.execute_batch(sql).map_err(map_err)?;
            conn.execute_batch(&format!("PRAGMA user_version = {}", version + 1)).map_err(map_err)?;
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
