//! The timeline: every interaction with a customer, newest first.

use crate::convert::{page_limit, timestamp_from_py, timestamp_to_py};
use crate::crm::Crm;
use crate::errors::to_py;
use crmlite::CustomerId;
use crmlite::timeline::{InteractionKind, NewTimelineEntry, TimelineEntry};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Registers this domain's functions and constants in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add_timeline_entry, m)?)?;
    m.add_function(wrap_pyfunction!(timeline, m)?)?;
    let kinds: Vec<&str> = InteractionKind::ALL.iter().map(|k| k.as_str()).collect();
    m.add("INTERACTION_KINDS", kinds)?;
    Ok(())
}

/// Records an interaction on a customer's timeline; `at=None` means the clock's now.
#[pyfunction]
#[pyo3(signature = (crm, customer, kind, summary, *, at, body, author, source))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_timeline_entry<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    kind: &str,
    summary: String,
    at: Option<&Bound<'py, PyAny>>,
    body: String,
    author: String,
    source: String,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = InteractionKind::parse(kind).map_err(|e| to_py(py, &e))?;
    let mut new = NewTimelineEntry::new(CustomerId(customer), kind, summary)
        .body(body)
        .author(author)
        .source(source);
    if let Some(at) = at {
        new = new.at(timestamp_from_py(at, "at")?);
    }
    let entry = crm.run(py, |c| c.add_timeline_entry(&new))?;
    entry_to_py(py, &entry)
}

/// One page of a customer's timeline, newest first: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, customer, *, cursor, limit))]
fn timeline<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let page = crm.run(py, |c| {
        c.timeline(CustomerId(customer), cursor.as_deref(), page_limit(limit))
    })?;
    let items = PyList::empty(py);
    for entry in &page.items {
        items.append(entry_to_py(py, entry)?)?;
    }
    Ok((items, page.next))
}

fn entry_to_py<'py>(py: Python<'py>, e: &TimelineEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", e.id.get())?;
    d.set_item("customer", e.customer.get())?;
    d.set_item("kind", e.kind.as_str())?;
    d.set_item("at", timestamp_to_py(py, e.at)?)?;
    d.set_item("summary", &e.summary)?;
    d.set_item("body", &e.body)?;
    d.set_item("author", &e.author)?;
    d.set_item("source", &e.source)?;
    Ok(d)
}
