//! The `Crm` handle: a store, a clock and options; every service hangs off it.

use crate::store::{ReadTx, Store, WriteTx};
use crate::{Clock, Error, Result, StorageKind, Timestamp};
use std::sync::{Mutex, MutexGuard};
use std::thread::ThreadId;

/// How many times a write is attempted when the store reports it is busy.
const MAX_WRITE_ATTEMPTS: u32 = 5;

/// Options that shape validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CrmOptions {
    /// ISO 3166-1 alpha-2 region for phone numbers typed without a country code (`AM`, `IR`).
    pub default_region: Option<String>,
}

impl CrmOptions {
    /// Sets the default phone region.
    #[must_use]
    pub fn default_region(mut self, region: impl Into<String>) -> Self {
        self.default_region = Some(region.into());
        self
    }
}

/// A crmlite database: the one handle every operation goes through. `Send + Sync`.
///
/// Each operation is its own transaction, unless the calling thread has opened one with
/// [`Crm::begin_transaction`] or [`Crm::transaction`]: its operations then share that one.
pub struct Crm {
    store: Box<dyn Store>,
    clock: Box<dyn Clock>,
    options: CrmOptions,
    open: Mutex<OpenTx>,
}

/// The explicit transaction of a handle, if one is open.
#[derive(Default)]
struct OpenTx {
    /// The thread that began it; `None` when no transaction is open.
    owner: Option<ThreadId>,
    /// The transaction; taken out while one of its operations runs, and gone for good
    /// (with `owner` still set) after a failure the store could not undo alone.
    tx: Option<Box<dyn WriteTx>>,
    /// Whether an operation of it is running now.
    busy: bool,
    /// Whether [`Crm::transaction`] opened it, and so ends it.
    scoped: bool,
}

/// Where an operation of the calling thread runs.
enum Route {
    /// On its own transaction (no explicit transaction is open on this thread).
    Own,
    /// On the calling thread's open transaction, taken out of the handle for the time being.
    Open(Box<dyn WriteTx>),
}

/// Marks the running operation of the open transaction as finished when dropped.
struct Running<'a>(&'a Crm);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.0.open.lock() {
            slot.busy = false;
        }
    }
}

fn no_transaction() -> Error {
    Error::validation(
        "transaction",
        "no transaction is open on this thread: call begin_transaction first",
    )
}

impl std::fmt::Debug for Crm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crm")
            .field("backend", &self.store.backend_name())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Crm {
    /// A handle over `store` that takes `now` from `clock`.
    pub fn new(
        store: impl Store + 'static,
        clock: impl Clock + 'static,
        options: CrmOptions,
    ) -> Result<Self> {
        if let Some(region) = &options.default_region {
            crate::text::check_region(region)
                .map_err(|r| crate::Error::validation("default_region", r))?;
        }
        Ok(Self {
            store: Box::new(store),
            clock: Box::new(clock),
            options,
            open: Mutex::new(OpenTx::default()),
        })
    }

    /// The current time from the injected clock.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The options this handle was opened with.
    #[must_use]
    pub fn options(&self) -> &CrmOptions {
        &self.options
    }

    /// The backend's name.
    #[must_use]
    pub fn backend_name(&self) -> &'static str {
        self.store.backend_name()
    }

    fn slot(&self) -> Result<MutexGuard<'_, OpenTx>> {
        self.open
            .lock()
            .map_err(|_| Error::storage(StorageKind::Internal, "transaction lock poisoned"))
    }

    /// Whether the calling thread has a transaction open on this handle.
    pub fn in_transaction(&self) -> Result<bool> {
        let me = std::thread::current().id();
        Ok(self.slot()?.owner == Some(me))
    }

    /// Opens a transaction owned by the calling thread: until [`Crm::commit_transaction`] or
    /// [`Crm::rollback_transaction`], every operation this thread runs on this handle joins it,
    /// each under a savepoint (a failing one undoes only its own changes), and reads see its
    /// uncommitted changes. Other threads read the last committed state (on an in-memory SQLite
    /// database, which has one connection, their reads wait too) and their writes wait until it
    /// ends. Nothing inside is retried when busy. A second one on the same thread is a
    /// validation error on `transaction`, as is ending one that is not open. A thread that ends
    /// without committing leaves its transaction open, holding up every other writer, until the
    /// handle is dropped (which rolls it back): end it on the thread that began it.
    pub fn begin_transaction(&self) -> Result<()> {
        self.open_transaction(false)
    }

    fn open_transaction(&self, scoped: bool) -> Result<()> {
        let me = std::thread::current().id();
        {
            let slot = self.slot()?;
            if slot.owner == Some(me) {
                return Err(Error::validation(
                    "transaction",
                    "a transaction is already open on this thread: transactions do not nest",
                ));
            }
        }
        // Waits, like any write, for a transaction of another thread to end.
        let tx = self.with_retry(|| self.store.begin_write())?;
        let mut slot = self.slot()?;
        *slot = OpenTx {
            owner: Some(me),
            tx: Some(tx),
            busy: false,
            scoped,
        };
        Ok(())
    }

    /// Makes every change of the calling thread's open transaction durable and closes it.
    /// If the commit fails, nothing of the transaction is kept and it is closed all the same.
    pub fn commit_transaction(&self) -> Result<()> {
        self.commit_open(false)
    }

    fn commit_open(&self, scoped: bool) -> Result<()> {
        let tx = self.close_transaction(scoped)?.ok_or_else(|| {
            Error::storage(
                StorageKind::Other,
                "the transaction was rolled back after a failure; nothing was committed",
            )
        })?;
        tx.commit()
    }

    /// Undoes every change of the calling thread's open transaction and closes it.
    pub fn rollback_transaction(&self) -> Result<()> {
        drop(self.close_transaction(false)?);
        Ok(())
    }

    /// Runs `work` in one transaction: commits when it returns `Ok`, rolls back on `Err` and
    /// returns that error. Operations inside run on the transaction; one that fails undoes only
    /// its own changes, so `work` may go on after handling its error.
    pub fn transaction<T>(&self, work: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        self.open_transaction(true)?;
        match work(self) {
            Ok(value) => {
                self.commit_open(true)?;
                Ok(value)
            }
            Err(e) => {
                // The work's error says more than a failure to roll back would.
                let _ = self.close_transaction(true);
                Err(e)
            }
        }
    }

    /// Takes the calling thread's open transaction out of the handle and closes it;
    /// `scoped` says whether [`Crm::transaction`] asks.
    fn close_transaction(&self, scoped: bool) -> Result<Option<Box<dyn WriteTx>>> {
        let me = std::thread::current().id();
        let mut slot = self.slot()?;
        if slot.owner != Some(me) {
            return Err(no_transaction());
        }
        if slot.busy {
            return Err(Error::validation(
                "transaction",
                "an operation of this transaction is still running: it cannot end from inside one",
            ));
        }
        if slot.scoped && !scoped {
            return Err(Error::validation(
                "transaction",
                "this transaction was opened by Crm::transaction, which ends it when its closure returns",
            ));
        }
        let tx = slot.tx.take();
        *slot = OpenTx::default();
        Ok(tx)
    }

    /// Where an operation of the calling thread runs.
    fn route(&self) -> Result<Route> {
        let me = std::thread::current().id();
        let mut slot = self.slot()?;
        if slot.owner != Some(me) {
            return Ok(Route::Own);
        }
        if slot.busy {
            return Err(Error::storage(
                StorageKind::Internal,
                "an operation was started from inside another operation of the open transaction",
            ));
        }
        let tx = slot.tx.take().ok_or_else(|| {
            Error::storage(
                StorageKind::Other,
                "the open transaction was rolled back after a failure: roll it back and \
                 start again",
            )
        })?;
        slot.busy = true;
        Ok(Route::Open(tx))
    }

    /// Runs one operation on the open transaction `tx` under a savepoint: a failure undoes
    /// only this operation's changes. Puts the transaction back unless it could not be undone.
    fn run_in_open<T>(
        &self,
        mut tx: Box<dyn WriteTx>,
        work: impl FnOnce(&mut dyn WriteTx) -> Result<T>,
    ) -> Result<T> {
        // If `work` panics, `tx` is dropped (rolled back) while unwinding and this guard marks
        // the operation as finished, so the owner can still roll back and start again.
        let _running = Running(self);
        // A failure of the savepoint statements themselves means the store may have ended the
        // transaction (SQLite does on some I/O errors): it is then dropped, which rolls it back.
        let mut broken = false;
        let outcome = match tx.begin_operation() {
            Err(e) => {
                broken = true;
                Err(e)
            }
            Ok(()) => match work(&mut *tx) {
                Ok(value) => tx
                    .end_operation()
                    .map(|()| value)
                    .inspect_err(|_| broken = true),
                Err(e) => match tx.undo_operation() {
                    Ok(()) => Err(e),
                    Err(undo) => {
                        broken = true;
                        Err(Error::storage(
                            StorageKind::Other,
                            format!(
                                "{e}; the transaction could not undo it and was rolled back: {undo}"
                            ),
                        ))
                    }
                },
            },
        };
        let keep = !broken;
        let mut slot = self.slot()?;
        slot.busy = false;
        if keep {
            slot.tx = Some(tx);
        }
        outcome
    }

    /// Runs `work` in one read transaction, or on the calling thread's open transaction.
    pub fn read<T>(&self, work: impl FnOnce(&mut dyn ReadTx) -> Result<T>) -> Result<T> {
        match self.route()? {
            Route::Own => {
                let mut tx = self.store.begin_read()?;
                work(&mut *tx)
            }
            Route::Open(tx) => self.run_in_open(tx, |tx| work(tx.as_read())),
        }
    }

    /// Runs `work` in one write transaction and commits it; any error rolls all of it back.
    /// A busy store is retried a few times: this is the one place that retries.
    /// On the calling thread's open transaction, it runs there under a savepoint instead:
    /// an error undoes only this operation, and nothing is retried or committed.
    pub fn write<T>(&self, mut work: impl FnMut(&mut dyn WriteTx) -> Result<T>) -> Result<T> {
        if let Route::Open(tx) = self.route()? {
            return self.run_in_open(tx, work);
        }
        self.with_retry(|| {
            let mut tx = self.store.begin_write()?;
            let value = work(&mut *tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// Runs `attempt` again while the store reports it is busy, a few times.
    fn with_retry<T>(&self, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
        let mut n = 1;
        loop {
            match attempt() {
                Err(e) if e.is_retryable() && n < MAX_WRITE_ATTEMPTS => {
                    n += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10 * u64::from(n)));
                }
                other => return other,
            }
        }
    }
}
