//! The native module `crmlite._crmlite`: thin functions over `crmlite::Crm` that take and
//! return plain Python values. The typed public API lives in the Python package `crmlite`.
//!
//! Each domain is one file with a `register` function: `customer.rs`, `timeline.rs`, `deal.rs`,
//! `changes.rs`, `reference.rs`, `sales.rs`, `loyalty.rs`, `service.rs`, `verify.rs`,
//! `transaction.rs`.
//! Every function takes the `Crm` handle first and runs the store call through [`crm::Crm::run`].
#![forbid(unsafe_code)]

mod automation;
mod changes;
mod convert;
mod crm;
mod customer;
mod deal;
mod errors;
mod loyalty;
mod reference;
mod sales;
mod service;
mod timeline;
mod transaction;
mod verify;

use pyo3::prelude::*;
use pyo3::types::PyList;

#[pymodule]
fn _crmlite(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<crm::Crm>()?;
    m.add_class::<crm::FixedClock>()?;
    m.add_function(wrap_pyfunction!(crm::open, m)?)?;
    m.add_function(wrap_pyfunction!(sample_errors, m)?)?;
    m.add_function(wrap_pyfunction!(crm::_panic_in_write, m)?)?;
    customer::register(m)?;
    timeline::register(m)?;
    deal::register(m)?;
    changes::register(m)?;
    reference::register(m)?;
    sales::register(m)?;
    loyalty::register(m)?;
    automation::register(m)?;
    service::register(m)?;
    verify::register(m)?;
    transaction::register(m)?;
    Ok(())
}

/// One sample error of every `crmlite::ErrorKind`, mapped to Python: `[(kind_name, exception or None)]`.
/// Lets the tests prove that every kind reaches its own exception class.
#[pyfunction]
fn sample_errors(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    use crmlite::{EntityKind, Error, ErrorKind, StorageKind};
    let list = PyList::empty(py);
    for kind in ErrorKind::ALL {
        let sample = match kind {
            ErrorKind::Validation => Some(Error::validation("phones[0]", "is not a phone number")),
            ErrorKind::NotFound => Some(Error::not_found(EntityKind::Customer, 42)),
            ErrorKind::Conflict => Some(Error::Conflict(
                "customer 1 is at version 2, not 1".to_owned(),
            )),
            ErrorKind::Storage => Some(Error::storage(
                StorageKind::Corrupt,
                "file is not a database",
            )),
            ErrorKind::Busy => Some(Error::storage(StorageKind::Busy, "database is locked")),
            _ => None,
        };
        let exception = match sample {
            Some(err) => {
                debug_assert_eq!(err.kind(), *kind);
                Some(errors::to_py(py, &err).into_value(py))
            }
            None => None,
        };
        list.append((errors::kind_name(*kind), exception))?;
    }
    Ok(list)
}
