//! `verify()`: the invariant checks of the whole database, as a list of dicts.

use crate::crm::Crm;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    Ok(())
}

/// Runs every invariant check in one read snapshot; returns `[{name, violations, detail}]`.
#[pyfunction]
fn verify<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let report = crm.run(py, |c| c.verify())?;
    let list = PyList::empty(py);
    for check in &report.checks {
        let d = PyDict::new(py);
        d.set_item("name", &check.name)?;
        d.set_item("violations", check.violations)?;
        d.set_item("detail", &check.detail)?;
        list.append(d)?;
    }
    Ok(list)
}
