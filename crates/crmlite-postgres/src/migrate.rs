//! Schema migrations recorded in the `crmlite_schema` table.

use crate::conn::map_err;
use crmlite_core::{Error, Result, StorageKind};
use postgres::Client;

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

/// Brings the schema up to date, one transaction per step. Concurrent openers wait on the
/// version row, so each step runs once.
pub(crate) fn migrate(client: &mut Client) -> Result<()> {
    let latest = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    // Two processes creating the table at once may clash on the catalog; the loser retries.
    for attempt in 0..3 {
        match client.batch_execute(
            "CREATE TABLE IF NOT EXISTS crmlite_schema (id INTEGER PRIMARY KEY, version BIGINT NOT NULL); \
             INSERT INTO crmlite_schema (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING",
        ) {
            Ok(()) => break,
            Err(e) if attempt < 2 && e.code().is_some() => continue,
            Err(e) => return Err(map_err(&e)),
        }
    }
    loop {
        let mut tx = client.transaction().map_err(|e| map_err(&e))?;
        let version: i64 = tx
            .query_one(
                "SELECT version FROM crmlite_schema WHERE id = 1 FOR UPDATE",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .map_err(|e| map_err(&e))?;
        if version > latest {
            return Err(Error::storage(
                StorageKind::TooNew,
                format!(
                    "database schema version {version} is newer than this crmlite ({latest}); upgrade crmlite"
                ),
            ));
        }
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.batch_execute(sql).map_err(|e| map_err(&e))?;
        tx.execute(
            "UPDATE crmlite_schema SET version = $1 WHERE id = 1",
            &[&(version + 1)],
        )
        .map_err(|e| map_err(&e))?;
        tx.commit().map_err(|e| map_err(&e))?;
    }
}
