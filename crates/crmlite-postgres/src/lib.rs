//! The PostgreSQL store of crmlite.
//!
//! The same domain SQL as the SQLite store (from `crmlite-sql`) over the synchronous
//! `postgres` client. Every write transaction first locks the single head row, so writers
//! are serialised exactly as in SQLite: the change feed's sequence is handed out in commit
//! order without gaps, and ledger commands cannot double-spend. Readers use
//! `REPEATABLE READ READ ONLY` snapshots and never wait for writers.
#![forbid(unsafe_code)]

mod conn;
mod migrate;
mod store;

pub use store::{PgOptions, PgStore};

/// Whether `target` looks like a PostgreSQL connection URL.
#[must_use]
pub fn is_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}
