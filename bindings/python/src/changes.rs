//! The change feed: every committed change, in commit order.

use crate::convert::{page_limit, timestamp_to_py};
use crate::crm::Crm;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(changes_since, m)?)?;
    Ok(())
}

/// Changes after `cursor` (0 for the start), oldest first, as dicts.
#[pyfunction]
#[pyo3(signature = (crm, cursor, *, limit))]
fn changes_since<'py>(
    py: Python<'py>,
    crm: &Crm,
    cursor: i64,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let changes = crm.run(py, |c| c.changes_since(cursor, page_limit(limit)))?;
    let list = PyList::empty(py);
    for change in &changes {
        list.append(change_to_py(py, change)?)?;
    }
    Ok(list)
}

/// One change as a plain dict; the Python layer turns it into `crmlite.Change`.
pub(crate) fn change_to_py<'py>(
    py: Python<'py>,
    change: &crmlite::changes::Change,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("seq", change.seq)?;
    d.set_item("entity", change.entity.as_str())?;
    d.set_item("entity_id", change.entity_id)?;
    d.set_item("op", change.op.as_str())?;
    d.set_item("at", timestamp_to_py(py, change.at)?)?;
    Ok(d)
}
