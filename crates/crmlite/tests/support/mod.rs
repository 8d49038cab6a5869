//! Opens test databases on the backend chosen by the test command: SQLite by default,
//! PostgreSQL when `CRMLITE_TEST_POSTGRES` holds a server URL (each database then gets its
//! own schema, so tests stay independent).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods
)] // test support: may read the environment

use crmlite::{Clock, Crm, FixedClock, OpenOptions, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// 2026-12-01T00:00:00Z, the start of every test's clock.
pub const T0: i64 = 1_796_083_200_000;

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A clock stopped at [`T0`].
pub fn fixed() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(Timestamp(T0)))
}

/// The PostgreSQL server URL, when the suite runs against PostgreSQL.
pub fn postgres_url() -> Option<String> {
    std::env::var("CRMLITE_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A database that several handles can open: a file, or a PostgreSQL schema.
pub struct TestDb {
    pub target: String,
}

impl TestDb {
    /// A new, empty database named after the test.
    pub fn new(name: &str) -> Self {
        let unique = format!(
            "{}_{}_{}",
            name,
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        match postgres_url() {
            Some(url) => {
                let schema = format!("t_{}", unique.replace('-', "_"));
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                    ))
                    .unwrap();
                let sep = if url.contains('?') { '&' } else { '?' };
                Self {
                    target: format!("{url}{sep}options=-csearch_path%3D{schema}%2Cpublic"),
                }
            }
            None => {
                let dir = std::env::temp_dir().join(format!("crmlite-test-{unique}"));
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).unwrap();
                Self {
                    target: dir.join("crm.db").to_string_lossy().into_owned(),
                }
            }
        }
    }

    /// Whether this database lives on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.target.starts_with("postgres")
    }

    /// Opens a handle with `options` (and `clock`, if given).
    pub fn open_with(&self, options: OpenOptions, clock: Option<Arc<dyn Clock>>) -> Crm {
        let options = match clock {
            Some(c) => options.clock(c),
            None => options,
        };
        options.open(&self.target).unwrap()
    }

    /// Opens a handle with default options and the system clock.
    pub fn open(&self) -> Crm {
        self.open_with(OpenOptions::new(), None)
    }

    /// Deletes the database's directory (SQLite); PostgreSQL schemas go with the throwaway cluster.
    pub fn remove(&self) {
        if let Some(dir) = std::path::Path::new(&self.target)
            .parent()
            .filter(|_| !self.is_postgres())
        {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// Marks the schema as written by a newer crmlite.
    pub fn bump_schema_version(&self) {
        self.shift_schema_version(1);
    }

    /// Undoes [`TestDb::bump_schema_version`].
    pub fn lower_schema_version(&self) {
        self.shift_schema_version(-1);
    }

    fn shift_schema_version(&self, by: i64) {
        if self.is_postgres() {
            let url = postgres_url().unwrap();
            let schema = self
                .target
                .rsplit("search_path%3D")
                .next()
                .unwrap()
                .split("%2C")
                .next()
                .unwrap()
                .to_owned();
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .batch_execute(&format!(
                    "UPDATE {schema}.crmlite_schema SET version = version + ({by})"
                ))
                .unwrap();
        } else {
            let conn = rusqlite::Connection::open(&self.target).unwrap();
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            conn.execute_batch(&format!("PRAGMA user_version = {}", v + by))
                .unwrap();
        }
    }
}

/// A fresh private database with a fixed clock: `:memory:` on SQLite, a new schema on PostgreSQL.
pub fn fresh_with(options: OpenOptions) -> (Crm, Arc<FixedClock>) {
    let clock = fixed();
    let crm = if postgres_url().is_some() {
        TestDb::new("fresh").open_with(options, Some(clock.clone()))
    } else {
        options.clock(clock.clone()).open(":memory:").unwrap()
    };
    (crm, clock)
}

/// A fresh private database with default options and a fixed clock.
pub fn fresh() -> (Crm, Arc<FixedClock>) {
    fresh_with(OpenOptions::new())
}
