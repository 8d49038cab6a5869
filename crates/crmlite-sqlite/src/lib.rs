//! The embedded SQLite store of crmlite.
//!
//! Bundled SQLite, WAL with `synchronous=FULL` by default, `BEGIN IMMEDIATE` for every
//! write, foreign keys on, migrations on `PRAGMA user_version`. One writer connection and
//! a few reader connections; `:memory:` databases use a single connection.
#![forbid(unsafe_code)]

mod conn;
mod migrate;
mod pool;

pub use pool::{MAX_CACHE_MIB, SqliteOptions, SqliteStore, Synchronous};

/// The schema version this build writes; a newer database is refused.
pub const SCHEMA_VERSION: i64 = migrate::MIGRATIONS.len() as i64;
