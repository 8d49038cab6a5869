//! crmlite: an embeddable CRM core.
//!
//! Customers and their timeline, deals on company-defined pipelines, sales, loyalty programs
//! with a points ledger that never loses or double-spends a point, reference directories, a
//! change feed for sync, on an embedded SQLite
//! database. Open a database, add a customer and find it again in any script:
//!
//! ```
//! use crmlite::customer::NewCustomer;
//!
//! let crm = crmlite::open(":memory:")?;
//! let giorgos = crm.add_customer(&NewCustomer::person("Γιώργος Παπαδόπουλος").phone("+30 210 1234567"))?;
//! let found = crm.search_customers("γιωργος", 10)?;
//! assert_eq!(found[0].id, giorgos.id);
//! # Ok::<(), crmlite::Error>(())
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "fault-injection")]
pub use crmlite_core::fault;
pub use crmlite_core::{
    CardId, Clock, ComplaintId, CopyReport, Crm, CrmOptions, Currency, CustomerId, DealId,
    DealStageChangeId, EntityKind, EntryId, Error, ErrorKind, FixedClock, LostReasonId, MessageId,
    Money, NpsResponseId, OrderId, Page, PipelineId, ProgramId, Result, ReturnId, RewardId, RuleId,
    StageId, StorageKind, TaskId, TemplateId, TierId, TimelineEntryId, Timestamp, TriggerId,
    automation, changes, customer, deal, import, loyalty, money, page, reference, sales, service,
    store, text, timeline, verify,
};
#[cfg(feature = "postgres")]
pub use crmlite_postgres::{PgOptions, PgStore};
#[cfg(feature = "sqlite")]
pub use crmlite_sqlite::{MAX_CACHE_MIB, SqliteOptions, SqliteStore, Synchronous};

use std::path::Path;
use std::sync::Arc;

/// The wall clock: the one place crmlite reads the system time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the injected clock's production implementation
    fn now(&self) -> Timestamp {
        Timestamp(chrono::Utc::now().timestamp_millis())
    }
}

/// How to open a database: validation options, storage options and the clock.
#[derive(Clone, Default)]
pub struct OpenOptions {
    crm: CrmOptions,
    #[cfg(feature = "sqlite")]
    sqlite: SqliteOptions,
    clock: Option<Arc<dyn Clock>>,
    #[cfg(feature = "fault-injection")]
    faults: Option<fault::FaultPlan>,
}

impl std::fmt::Debug for OpenOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenOptions")
            .field("crm", &self.crm)
            .finish_non_exhaustive()
    }
}

impl OpenOptions {
    /// Defaults: no default phone region, `synchronous=FULL`, 5 s busy timeout, the system clock.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Region (ISO 3166-1 alpha-2) for phone numbers typed without a country code.
    #[must_use]
    pub fn default_region(mut self, region: impl Into<String>) -> Self {
        self.crm = self.crm.default_region(region);
        self
    }

    /// SQLite durability; `Normal` trades the last commits on power loss for speed.
    #[cfg(feature = "sqlite")]
    #[must_use]
    pub fn synchronous(mut self, value: Synchronous) -> Self {
        self.sqlite.synchronous = value;
        self
    }

    /// How long a write waits for another process's lock.
    #[cfg(feature = "sqlite")]
    #[must_use]
    pub fn busy_timeout(mut self, value: std::time::Duration) -> Self {
        self.sqlite.busy_timeout = value;
        self
    }

    /// Caps the SQLite database at `pages` pages: writes that need more fail with a typed
    /// `Io` error and change nothing (a quota, or a disk-full test).
    #[cfg(feature = "sqlite")]
    #[must_use]
    pub fn max_page_count(mut self, pages: u32) -> Self {
        self.sqlite.max_page_count = Some(pages);
        self
    }

    /// The SQLite page cache of each connection, in MiB (default: 16 for the writer, 2 for
    /// each reader). A large cache speeds up loading many rows into a large database; it
    /// costs that much memory per connection. Checked when opening: 0 or more than
    /// [`MAX_CACHE_MIB`] is a validation error on `cache_mib`. PostgreSQL ignores it.
    #[cfg(feature = "sqlite")]
    #[must_use]
    pub fn cache_mib(mut self, mib: u32) -> Self {
        self.sqlite.cache_mib = Some(mib);
        self
    }

    /// Consults `plan` at every fault point of every write transaction (tests only: feature
    /// `fault-injection`).
    #[cfg(feature = "fault-injection")]
    #[must_use]
    pub fn faults(mut self, plan: fault::FaultPlan) -> Self {
        self.faults = Some(plan);
        self
    }

    /// Takes `now` from `clock` instead of the system clock (tests, replays).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Opens the database at `path` (`:memory:` for a private in-memory one), or the
    /// PostgreSQL database at a `postgresql://` URL when the `postgres` feature is on.
    pub fn open(self, path: impl AsRef<Path>) -> Result<Crm> {
        #[cfg(feature = "sqlite")]
        if let Some(mib) = self.sqlite.cache_mib
            && !(1..=MAX_CACHE_MIB).contains(&mib)
        {
            return Err(Error::validation(
                "cache_mib",
                format!("must be between 1 and {MAX_CACHE_MIB} (MiB), got {mib}"),
            ));
        }
        let clock: Arc<dyn Clock> = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let target = path.as_ref().to_string_lossy();
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            {
                #[allow(unused_mut)]
                let mut pg = crmlite_postgres::PgOptions::default();
                #[cfg(feature = "fault-injection")]
                {
                    pg.faults = self.faults.clone();
                }
                let store = crmlite_postgres::PgStore::open(&target, pg)?;
                return Crm::new(store, clock, self.crm);
            }
            #[cfg(not(feature = "postgres"))]
            return Err(Error::validation(
                "path",
                "PostgreSQL support was not compiled in (feature `postgres`)",
            ));
        }
        #[cfg(feature = "sqlite")]
        {
            #[allow(unused_mut)]
            let mut sqlite = self.sqlite;
            #[cfg(feature = "fault-injection")]
            {
                sqlite.faults = self.faults;
            }
            let store = SqliteStore::open(path, sqlite)?;
            Crm::new(store, clock, self.crm)
        }
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = (path, clock);
            Err(Error::validation(
                "path",
                "no storage backend was compiled in",
            ))
        }
    }
}

/// Opens the database at `path` with default options.
pub fn open(path: impl AsRef<Path>) -> Result<Crm> {
    OpenOptions::new().open(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn handle_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<crate::Crm>();
    }
}
