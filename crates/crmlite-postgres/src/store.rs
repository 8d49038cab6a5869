//! The PostgreSQL store: a small pool of clients, checked out per transaction.

use crate::conn::{PgConn, PooledTx, map_err};
use crate::migrate::migrate;
use crmlite_core::store::{ReadTx, Store, WriteTx};
use crmlite_core::{Error, Result, StorageKind};
use crmlite_sql::SqlTx;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How to connect to PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PgOptions {
    /// How long to wait for the server when connecting.
    pub connect_timeout: Duration,
    /// Idle clients kept for reuse.
    pub max_idle: usize,
    /// Fault points armed by a test in every write transaction (feature `fault-injection`).
    #[cfg(feature = "fault-injection")]
    pub faults: Option<crmlite_core::fault::FaultPlan>,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            max_idle: 8,
            #[cfg(feature = "fault-injection")]
            faults: None,
        }
    }
}

/// Shared state: the connection settings and the idle clients.
pub(crate) struct Inner {
    config: postgres::Config,
    options: PgOptions,
    idle: Mutex<Vec<PgConn>>,
}

impl Inner {
    /// Returns a healthy client to the pool.
    pub(crate) fn give_back(&self, conn: PgConn) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.options.max_idle
        {
            idle.push(conn);
        }
    }

    fn checkout(&self) -> Result<PgConn> {
        let reused = self
            .idle
            .lock()
            .map_err(|_| Error::storage(StorageKind::Internal, "connection pool lock poisoned"))?
            .pop();
        match reused {
            Some(conn) if !conn.client.is_closed() => Ok(conn),
            _ => self.connect(),
        }
    }

    fn connect(&self) -> Result<PgConn> {
        let mut config = self.config.clone();
        config.connect_timeout(self.options.connect_timeout);
        let client = config.connect(postgres::NoTls).map_err(|e| map_err(&e))?;
        Ok(PgConn::new(client))
    }
}

/// The PostgreSQL store. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("hosts", &self.inner.config.get_hosts())
            .field("dbname", &self.inner.config.get_dbname())
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgresql://user:pass@host:port/db?options=...`) and brings the
    /// schema up to date. A schema newer than this build is refused.
    pub fn open(url: &str, options: PgOptions) -> Result<Self> {
        let config = postgres::Config::from_str(url)
            .map_err(|e| Error::validation("url", format!("is not a PostgreSQL URL: {e}")))?;
        let inner = Arc::new(Inner {
            config,
            options,
            idle: Mutex::new(Vec::new()),
        });
        let mut conn = inner.connect()?;
        migrate(&mut conn.client)?;
        inner.give_back(conn);
        Ok(Self { inner })
    }
}

impl Store for PgStore {
    fn begin_read(&self) -> Result<Box<dyn ReadTx>> {
        let conn = self.inner.checkout()?;
        Ok(Box::new(SqlTx(PooledTx::begin(
            conn,
            Arc::clone(&self.inner),
            false,
        )?)))
    }

    fn begin_write(&self) -> Result<Box<dyn WriteTx>> {
        let conn = self.inner.checkout()?;
        #[cfg(feature = "fault-injection")]
        if let Some(plan) = &self.inner.options.faults {
            if let Err(e) = plan.hit(crmlite_core::fault::BEGIN_POSTGRES) {
                self.inner.give_back(conn);
                return Err(e);
            }
            let mut tx = PooledTx::begin(conn, Arc::clone(&self.inner), true)?;
            tx.faults = Some(plan.clone());
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
        "postgres"
    }
}
