//! The `Crm` handle: a store, a clock and options; every service hangs off it.

use crate::store::{ReadTx, Store, WriteTx};
use crate::{Clock, Result, Timestamp};

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
pub struct Crm {
    store: Box<dyn Store>,
    clock: Box<dyn Clock>,
    options: CrmOptions,
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

    /// Runs `work` in one read transaction.
    pub fn read<T>(&self, work: impl FnOnce(&mut dyn ReadTx) -> Result<T>) -> Result<T> {
        let mut tx = self.store.begin_read()?;
        work(&mut *tx)
    }

    /// Runs `work` in one write transaction and commits it; any error rolls all of it back.
    /// A busy store is retried a few times: this is the one place that retries.
    pub fn write<T>(&self, mut work: impl FnMut(&mut dyn WriteTx) -> Result<T>) -> Result<T> {
        let mut attempt = 1;
        loop {
            let outcome = self.store.begin_write().and_then(|mut tx| {
                let value = work(&mut *tx)?;
                tx.commit()?;
                Ok(value)
            });
            match outcome {
                Err(e) if e.is_retryable() && attempt < MAX_WRITE_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10 * u64::from(attempt)));
                }
                other => return other,
            }
        }
    }
}
