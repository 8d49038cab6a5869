//! Explicit transactions: many calls of one thread committed or rolled back together.

use crate::crm::Crm;
use pyo3::prelude::*;

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(begin_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(commit_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(rollback_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(in_transaction, m)?)?;
    Ok(())
}

/// Opens a transaction owned by the calling thread; waits (without the GIL) for another
/// thread's transaction to end.
#[pyfunction]
fn begin_transaction(py: Python<'_>, crm: &Crm) -> PyResult<()> {
    crm.run(py, crmlite::Crm::begin_transaction)
}

/// Commits the calling thread's open transaction.
#[pyfunction]
fn commit_transaction(py: Python<'_>, crm: &Crm) -> PyResult<()> {
    crm.run(py, crmlite::Crm::commit_transaction)
}

/// Rolls back the calling thread's open transaction.
#[pyfunction]
fn rollback_transaction(py: Python<'_>, crm: &Crm) -> PyResult<()> {
    crm.run(py, crmlite::Crm::rollback_transaction)
}

/// Whether the calling thread has a transaction open.
#[pyfunction]
fn in_transaction(py: Python<'_>, crm: &Crm) -> PyResult<bool> {
    crm.run(py, crmlite::Crm::in_transaction)
}
