//! The native database handle, opening a database, and the test clock.

use crate::convert::{delta_millis, timestamp_from_py, timestamp_to_py};
use crate::errors::{plain, to_py, validation};
use crmlite::{Clock, OpenOptions, Synchronous};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// An open crmlite database. Thread-safe: every call releases the GIL while it works.
#[pyclass(frozen, module = "crmlite._crmlite")]
pub(crate) struct Crm {
    /// The handle; `None` once closed. The lock is only held to clone or take the `Arc`.
    handle: Mutex<Option<Arc<crmlite::Crm>>>,
}

impl Crm {
    /// Runs `work` on the handle with the GIL released and maps its error to a Python exception.
    /// A panic (a bug) becomes `crmlite.StorageError` of kind `internal`, never a
    /// `PanicException`, which derives from `BaseException` and escapes `except Exception`;
    /// the write it interrupted was rolled back and the handle stays usable.
    pub(crate) fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&crmlite::Crm) -> crmlite::Result<T> + Send,
    ) -> PyResult<T> {
        let crm = self.handle(py)?;
        py.detach(|| guarded(|| work(&crm)))
            .map_err(|e| to_py(py, &e))
    }

    fn handle(&self, py: Python<'_>) -> PyResult<Arc<crmlite::Crm>> {
        let slot = self
            .handle
            .lock()
            .map_err(|_| plain(py, "the database handle lock is poisoned"))?;
        slot.as_ref()
            .map(Arc::clone)
            .ok_or_else(|| plain(py, "the database is closed"))
    }
}

#[pymethods]
impl Crm {
    /// Closes the database; calls already running finish first. Closing twice is allowed.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self
            .handle
            .lock()
            .map_err(|_| plain(py, "the database handle lock is poisoned"))?
            .take();
        py.detach(|| drop(taken));
        Ok(())
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(self
            .handle
            .lock()
            .map_err(|_| plain(py, "the database handle lock is poisoned"))?
            .is_none())
    }
}

/// Runs `work`, turning a panic into `Storage { kind: Internal }` naming the panic message.
pub(crate) fn guarded<T>(work: impl FnOnce() -> crmlite::Result<T>) -> crmlite::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(crmlite::Error::storage(
            crmlite::StorageKind::Internal,
            format!("internal error (a bug in crmlite): {message}"),
        ))
    })
}

/// Test hook: panics inside a write transaction on `crm`, through the same guarded path as
/// every call, so the tests can show that no `PanicException` escapes and the handle still works.
#[pyfunction]
pub(crate) fn _panic_in_write(py: Python<'_>, crm: &Crm) -> PyResult<()> {
    crm.run(py, |crm| {
        crm.write(|_tx| -> crmlite::Result<()> {
            #[allow(clippy::panic)] // the point of the hook
            {
                panic!("deliberate panic from crmlite._crmlite._panic_in_write")
            }
        })
    })
}

/// A clock that stands still until it is set or advanced, for deterministic tests.
#[pyclass(frozen, module = "crmlite._crmlite")]
pub(crate) struct FixedClock {
    clock: Arc<crmlite::FixedClock>,
}

#[pymethods]
impl FixedClock {
    /// A clock stopped at the aware datetime `at`.
    #[new]
    fn new(at: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            clock: Arc::new(crmlite::FixedClock::new(timestamp_from_py(at, "at")?)),
        })
    }

    /// The clock's current time (an aware UTC datetime).
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        timestamp_to_py(py, self.clock.now())
    }

    /// Moves the clock to the aware datetime `at`.
    fn set(&self, at: &Bound<'_, PyAny>) -> PyResult<()> {
        self.clock.set(timestamp_from_py(at, "at")?);
        Ok(())
    }

    /// Moves the clock by a `timedelta` (millisecond precision).
    fn advance(&self, py: Python<'_>, delta: &Bound<'_, PyAny>) -> PyResult<()> {
        let ms = delta_millis(delta, "delta")?;
        if self.clock.now().millis().checked_add(ms).is_none() {
            return Err(validation(py, "delta", "overflows"));
        }
        self.clock.advance(ms);
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("FixedClock({})", self.clock.now())
    }
}

/// Opens (creating if needed) the database at `path`; `":memory:"` gives a private in-memory one.
#[pyfunction]
#[pyo3(signature = (path, *, default_region=None, synchronous="full", clock=None, cache_mib=None))]
pub(crate) fn open(
    py: Python<'_>,
    path: PathBuf,
    default_region: Option<String>,
    synchronous: &str,
    clock: Option<&Bound<'_, FixedClock>>,
    cache_mib: Option<i64>,
) -> PyResult<Crm> {
    let mut options = OpenOptions::new().synchronous(match synchronous {
        "full" => Synchronous::Full,
        "normal" => Synchronous::Normal,
        _ => {
            return Err(validation(
                py,
                "synchronous",
                "must be \"full\" or \"normal\"",
            ));
        }
    });
    if let Some(region) = default_region {
        options = options.default_region(region);
    }
    if let Some(mib) = cache_mib {
        // Out-of-range values reach the library's check, which names the field.
        let mib = u32::try_from(mib.max(0)).unwrap_or(u32::MAX);
        options = options.cache_mib(mib);
    }
    if let Some(clock) = clock {
        let shared: Arc<dyn Clock> = clock.get().clock.clone();
        options = options.clock(shared);
    }
    let crm = py
        .detach(|| options.open(path))
        .map_err(|e| to_py(py, &e))?;
    Ok(Crm {
        handle: Mutex::new(Some(Arc::new(crm))),
    })
}
