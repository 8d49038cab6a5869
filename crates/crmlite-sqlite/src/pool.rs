//! The SQLite store: one writer connection and a few readers, checked out per transaction.

use crate::conn::{PooledTx, map_err};
use crate::migrate::migrate;
use crmlite_core::store::{ReadTx, Store, WriteTx};
use crmlite_core::{Error, Result, StorageKind};
use crmlite_sql::SqlTx;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// SQLite's `synchronous` setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Synchronous {
    /// Every commit is durable, even after a power cut (the default).
    #[default]
    Full,
    /// Faster; a power cut may lose the last commits, but never corrupts the database.
    Normal,
}

/// How to open a SQLite database.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SqliteOptions {
    /// Durability of commits.
    pub synchronous: Synchronous,
    /// How long a writer waits for another process's lock before reporting busy.
    pub busy_timeout: Duration,
    /// Reader connections kept for concurrent reads (file databases only).
    pub max_readers: usize,
    /// Caps the database at this many pages (`PRAGMA max_page_count`): a write that needs
    /// more fails with a typed `Io` error ("database or disk is full") and changes nothing.
    pub max_page_count: Option<u32>,
    /// The page cache of each connection, MiB (`PRAGMA cache_size`); `None` keeps the
    /// defaults: 16 MiB for the writer, SQLite's 2 MiB for each reader. A larger cache helps
    /// big write transactions on large databases (bulk loads). At least 1, at most
    /// [`MAX_CACHE_MIB`].
    pub cache_mib: Option<u32>,
    /// Fault points armed by a test in every write transaction (feature `fault-injection`).
    #[cfg(feature = "fault-injection")]
    pub faults: Option<crmlite_core::fault::FaultPlan>,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Full,
            busy_timeout: Duration::from_secs(5),
            max_readers: 4,
            max_page_count: None,
            cache_mib: None,
            #[cfg(feature = "fault-injection")]
            faults: None,
        }
    }
}

#[derive(Default)]
struct Slots {
    writer: Option<Connection>,
    writer_out: bool,
    readers: Vec<Connection>,
    readers_open: usize,
}

/// Shared state of a store: where the database is and its idle connections.
pub(crate) struct Inner {
    path: Option<PathBuf>,
    options: SqliteOptions,
    slots: Mutex<Slots>,
    freed: Condvar,
}

impl Inner {
    fn lock(&self) -> Result<MutexGuard<'_, Slots>> {
        self.slots
            .lock()
            .map_err(|_| Error::storage(StorageKind::Internal, "connection pool lock poisoned"))
    }

    /// Returns a connection to the pool.
    pub(crate) fn give_back(&self, conn: Connection, writer: bool) {
        if let Ok(mut slots) = self.lock() {
            if writer {
                slots.writer = Some(conn);
                slots.writer_out = false;
            } else {
                slots.readers.push(conn);
            }
        }
        self.freed.notify_all();
    }

    /// Forgets a connection that could not be reset; a new one is opened on demand.
    pub(crate) fn discard(&self, writer: bool) {
        if let Ok(mut slots) = self.lock() {
            if writer {
                slots.writer_out = false;
            } else {
                slots.readers_open = slots.readers_open.saturating_sub(1);
            }
        }
        self.freed.notify_all();
    }

    fn open_connection(&self, writer: bool) -> Result<Connection> {
        let conn = match &self.path {
            None => Connection::open_in_memory(),
            Some(p) => {
                let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI;
                if writer {
                    flags |= OpenFlags::SQLITE_OPEN_CREATE;
                }
                Connection::open_with_flags(p, flags)
            }
        }
        .map_err(map_err)?;
        conn.busy_timeout(self.options.busy_timeout)
            .map_err(map_err)?;
        conn.set_prepared_statement_cache_capacity(128);
        // One plan per statement whatever the bound values: without it, every cached statement
        // of the form `WHERE column = ?1 ORDER BY ...` is compiled again on each execution.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(map_err)?;
        let sync = match self.options.synchronous {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        };
        let mut pragmas = format!(
            "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA trusted_schema = OFF; \
             PRAGMA synchronous = {sync};"
        );
        if self.path.is_some() {
            pragmas.push_str(" PRAGMA journal_mode = WAL;");
        }
        if writer {
            // Writes of a thousand rows per transaction touch thousands of index pages, and
            // each statement of a transaction saves the pages it changes again in a statement
            // journal: a 16 MiB page cache keeps them from spilling to the WAL mid-transaction,
            // and the statement journals stay in memory instead of a temporary file.
            let kib = self
                .options
                .cache_mib
                .map_or(16 * 1024, |m| i64::from(m) * 1024);
            pragmas.push_str(&format!(
                " PRAGMA cache_size = -{kib}; PRAGMA temp_store = MEMORY;"
            ));
        } else {
            if let Some(mib) = self.options.cache_mib {
                pragmas.push_str(&format!(" PRAGMA cache_size = -{};", i64::from(mib) * 1024));
            }
            pragmas.push_str(" PRAGMA query_only = ON;");
        }
        if let Some(pages) = self.options.max_page_count {
            pragmas.push_str(&format!(" PRAGMA max_page_count = {pages};"));
        }
        conn.execute_batch(&pragmas).map_err(map_err)?;
        Ok(conn)
    }

    fn checkout_writer(&self) -> Result<Connection> {
        let mut slots = self.lock()?;
        loop {
            if !slots.writer_out {
                slots.writer_out = true;
                if let Some(conn) = slots.writer.take() {
                    return Ok(conn);
                }
                drop(slots);
                return self
                    .open_connection(true)
                    .inspect_err(|_| self.discard(true));
            }
            slots = self.freed.wait(slots).map_err(|_| {
                Error::storage(StorageKind::Internal, "connection pool lock poisoned")
            })?;
        }
    }

    fn checkout_reader(&self) -> Result<Connection> {
        let mut slots = self.lock()?;
        loop {
            if let Some(conn) = slots.readers.pop() {
                return Ok(conn);
            }
            if slots.readers_open < self.options.max_readers {
                slots.readers_open += 1;
                drop(slots);
                return self
                    .open_connection(false)
                    .inspect_err(|_| self.discard(false));
            }
            slots = self.freed.wait(slots).map_err(|_| {
                Error::storage(StorageKind::Internal, "connection pool lock poisoned")
            })?;
        }
    }
}

/// The largest page cache [`SqliteOptions::cache_mib`] accepts, MiB (64 GiB).
pub const MAX_CACHE_MIB: u32 = 65_536;

/// The SQLite store. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, or an in-memory database for `:memory:`.
    ///
    /// A `cache_mib` of 0 or above [`MAX_CACHE_MIB`] is a validation error on `cache_mib`.
    pub fn open(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self> {
        if let Some(mib) = options.cache_mib
            && !(1..=MAX_CACHE_MIB).contains(&mib)
        {
            return Err(Error::validation(
                "cache_mib",
                format!("must be between 1 and {MAX_CACHE_MIB} (MiB), got {mib}"),
            ));
        }
        let path = path.as_ref();
        let path = (path != Path::new(":memory:")).then(|| path.to_path_buf());
        let inner = Arc::new(Inner {
            path,
            options,
            slots: Mutex::new(Slots::default()),
            freed: Condvar::new(),
        });
        let writer = inner.checkout_writer()?;
        let migrated = migrate(&writer);
        inner.give_back(writer, true);
        migrated?;
        Ok(Self { inner })
    }

    /// Opens a fresh in-memory database.
    pub fn open_in_memory() -> Result<Self> {
        Self::open(":memory:", SqliteOptions::default())
    }

    fn is_memory(&self) -> bool {
        self.inner.path.is_none()
    }
}

impl Store for SqliteStore {
    fn begin_read(&self) -> Result<Box<dyn ReadTx>> {
        // An in-memory database lives in its one connection, so reads share the writer.
        let writer = self.is_memory();
        let conn = if writer {
            self.inner.checkout_writer()?
        } else {
            self.inner.checkout_reader()?
        };
        Ok(Box::new(SqlTx(PooledTx::begin(
            conn,
            Arc::clone(&self.inner),
            writer,
        )?)))
    }

    fn begin_write(&self) -> Result<Box<dyn WriteTx>> {
        let conn = self.inner.checkout_writer()?;
        #[cfg(feature = "fault-injection")]
        if let Some(plan) = &self.inner.options.faults {
            let tx = PooledTx::begin_faulty(conn, Arc::clone(&self.inner), plan.clone())?;
            return Ok(Box::new(SqlTx(crmlite_sql::FaultConn::new(
                tx,
                plan.clone(),
            ))));
        }
        Ok(Box::new(SqlTx(PooledTx::begin(
            conn,
            Arc::clone(&self.inner),
            true,
        )?)))
    }

    fn backend_name(&self) -> &'static str {
        "sqlite"
    }
}

#[cfg(test)]
mod tests {
    use super::{Inner, Slots, SqliteOptions};
    use crate::migrate::migrate;
    use rusqlite::StatementStatus;
    use std::sync::{Condvar, Mutex};

    #[test]
    fn cached_statements_are_not_compiled_again_on_each_run() {
        let slots = Mutex::new(Slots::default());
        let inner = Inner {
            path: None,
            options: SqliteOptions::default(),
            slots,
            freed: Condvar::new(),
        };
        let conn = inner.open_connection(true).unwrap();
        migrate(&conn).unwrap();
        let sql = "SELECT id FROM loyalty_cards WHERE customer_id = ?1 ORDER BY id";
        for customer in 1..=3 {
            let mut stmt = conn.prepare_cached(sql).unwrap();
            assert_eq!(stmt.query_map([customer], |_| Ok(())).unwrap().count(), 0);
            assert_eq!(
                stmt.get_status(StatementStatus::RePrepare),
                0,
                "run {customer}"
            );
        }
    }

    #[test]
    fn the_writer_keeps_a_larger_cache_and_its_statement_journals_in_memory() {
        let slots = Mutex::new(Slots::default());
        let inner = Inner {
            path: None,
            options: SqliteOptions::default(),
            slots,
            freed: Condvar::new(),
        };
        let conn = inner.open_connection(true).unwrap();
        let pragma = |name: &str| {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0))
                .unwrap()
        };
        assert_eq!(pragma("cache_size"), -16384);
        assert_eq!(pragma("temp_store"), 2);
        let reader = inner.open_connection(false).unwrap();
        assert_eq!(
            reader
                .query_row("PRAGMA temp_store", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            0
        );
    }

    #[test]
    fn cache_mib_sizes_every_connection() {
        let inner = Inner {
            path: None,
            options: SqliteOptions {
                cache_mib: Some(48),
                ..SqliteOptions::default()
            },
            slots: Mutex::new(Slots::default()),
            freed: Condvar::new(),
        };
        for writer in [true, false] {
            let conn = inner.open_connection(writer).unwrap();
            let size: i64 = conn
                .query_row("PRAGMA cache_size", [], |r| r.get(0))
                .unwrap();
            assert_eq!(size, -48 * 1024, "writer {writer}");
        }
    }
}
