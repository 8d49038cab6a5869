//! Customer service: complaints with an SLA and NPS answers with the NPS report.

use crate::convert::{page_limit, timestamp_from_py, timestamp_to_py};
use crate::crm::Crm;
use crate::errors::to_py;
use crmlite::service::{
    Complaint, ComplaintFilter, ComplaintStatus, NewComplaint, NewNpsResponse, NpsReport,
    NpsResponse, Severity,
};
use crmlite::{ComplaintId, CustomerId, DealId, EntryId, OrderId};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(open_complaint, m)?)?;
    m.add_function(wrap_pyfunction!(complaint, m)?)?;
    m.add_function(wrap_pyfunction!(assign_complaint, m)?)?;
    m.add_function(wrap_pyfunction!(move_complaint, m)?)?;
    m.add_function(wrap_pyfunction!(list_complaints, m)?)?;
    m.add_function(wrap_pyfunction!(overdue_complaints, m)?)?;
    m.add_function(wrap_pyfunction!(record_nps, m)?)?;
    m.add_function(wrap_pyfunction!(nps_report, m)?)?;
    Ok(())
}

/// Opens a complaint; its deadlines come from the severity's SLA.
#[pyfunction]
#[pyo3(signature = (crm, customer, subject, *, severity, description, channel, category, category_entry, deal, order, assignee, by))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn open_complaint<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    subject: String,
    severity: &str,
    description: String,
    channel: String,
    category: String,
    category_entry: Option<i64>,
    deal: Option<i64>,
    order: Option<i64>,
    assignee: String,
    by: String,
) -> PyResult<Bound<'py, PyDict>> {
    let severity = Severity::parse(severity, "severity").map_err(|e| to_py(py, &e))?;
    let mut new = NewComplaint::new(CustomerId(customer), subject)
        .severity(severity)
        .description(description)
        .channel(channel)
        .category(category)
        .assignee(assignee)
        .by(by);
    new.category_entry = category_entry.map(EntryId);
    new.deal = deal.map(DealId);
    new.order = order.map(OrderId);
    let c = crm.run(py, |c| c.open_complaint(&new))?;
    complaint_to_py(py, &c)
}

/// One complaint by id.
#[pyfunction]
fn complaint<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let c = crm.run(py, |c| c.complaint(ComplaintId(id)))?;
    complaint_to_py(py, &c)
}

/// Hands a complaint to `assignee` if it is still at `version`.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, assignee, by))]
fn assign_complaint<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    assignee: &str,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let c = crm.run(py, |c| {
        c.assign_complaint(ComplaintId(id), version, assignee, by)
    })?;
    complaint_to_py(py, &c)
}

/// Moves a complaint to status `to` (`note` is the resolution when resolving).
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, to, note, by))]
fn move_complaint<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    to: &str,
    note: &str,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let to = ComplaintStatus::parse(to, "to").map_err(|e| to_py(py, &e))?;
    let c = crm.run(py, |c| {
        c.move_complaint(ComplaintId(id), version, to, note, by)
    })?;
    complaint_to_py(py, &c)
}

/// One page of complaints in id order: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, *, status, assignee, customer, cursor, limit))]
fn list_complaints<'py>(
    py: Python<'py>,
    crm: &Crm,
    status: Option<&str>,
    assignee: Option<String>,
    customer: Option<i64>,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let mut filter = ComplaintFilter::all();
    filter.status = status
        .map(|s| ComplaintStatus::parse(s, "status"))
        .transpose()
        .map_err(|e| to_py(py, &e))?;
    filter.assignee = assignee;
    filter.customer = customer.map(CustomerId);
    let page = crm.run(py, |c| {
        c.list_complaints(&filter, cursor.as_deref(), page_limit(limit))
    })?;
    Ok((list_of(py, &page.items)?, page.next))
}

/// One page of complaints past a deadline as of the clock's now: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, *, cursor, limit))]
fn overdue_complaints<'py>(
    py: Python<'py>,
    crm: &Crm,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let page = crm.run(py, |c| {
        c.overdue_complaints(cursor.as_deref(), page_limit(limit))
    })?;
    Ok((list_of(py, &page.items)?, page.next))
}

/// Records an NPS answer (score 0..=10); `at=None` means the clock's now.
#[pyfunction]
#[pyo3(signature = (crm, customer, score, *, comment, survey, at))]
fn record_nps<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    score: i64,
    comment: String,
    survey: String,
    at: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut new = NewNpsResponse::new(CustomerId(customer), score)
        .comment(comment)
        .survey(survey);
    if let Some(at) = at {
        new = new.at(timestamp_from_py(at, "at")?);
    }
    let r = crm.run(py, |c| c.record_nps(&new))?;
    nps_to_py(py, &r)
}

/// NPS over answers with `from_ <= at < until`, optionally of one survey.
#[pyfunction]
#[pyo3(signature = (crm, from_, until, *, survey))]
fn nps_report<'py>(
    py: Python<'py>,
    crm: &Crm,
    from_: &Bound<'py, PyAny>,
    until: &Bound<'py, PyAny>,
    survey: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let start = timestamp_from_py(from_, "from")?;
    let until = timestamp_from_py(until, "until")?;
    let r = crm.run(py, |c| c.nps_report(start, until, survey.as_deref()))?;
    report_to_py(py, &r)
}

fn list_of<'py>(py: Python<'py>, items: &[Complaint]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for c in items {
        list.append(complaint_to_py(py, c)?)?;
    }
    Ok(list)
}

fn opt_time<'py>(
    py: Python<'py>,
    t: Option<crmlite::Timestamp>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    t.map(|t| timestamp_to_py(py, t)).transpose()
}

fn complaint_to_py<'py>(py: Python<'py>, c: &Complaint) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", c.id.get())?;
    d.set_item("customer", c.customer.get())?;
    d.set_item("deal", c.deal.map(DealId::get))?;
    d.set_item("order", c.order.map(OrderId::get))?;
    d.set_item("channel", &c.channel)?;
    d.set_item("category", &c.category)?;
    d.set_item("category_entry", c.category_entry.map(EntryId::get))?;
    d.set_item("severity", c.severity.as_str())?;
    d.set_item("subject", &c.subject)?;
    d.set_item("description", &c.description)?;
    d.set_item("status", c.status.as_str())?;
    d.set_item("assignee", &c.assignee)?;
    d.set_item("response_due", timestamp_to_py(py, c.response_due)?)?;
    d.set_item("resolution_due", timestamp_to_py(py, c.resolution_due)?)?;
    d.set_item("responded_at", opt_time(py, c.responded_at)?)?;
    d.set_item("resolved_at", opt_time(py, c.resolved_at)?)?;
    d.set_item("closed_at", opt_time(py, c.closed_at)?)?;
    d.set_item("resolution", &c.resolution)?;
    d.set_item("reopen_count", c.reopen_count)?;
    d.set_item("version", c.version)?;
    d.set_item("created_at", timestamp_to_py(py, c.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, c.updated_at)?)?;
    Ok(d)
}

fn nps_to_py<'py>(py: Python<'py>, r: &NpsResponse) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", r.id.get())?;
    d.set_item("customer", r.customer.get())?;
    d.set_item("score", r.score)?;
    d.set_item("comment", &r.comment)?;
    d.set_item("survey", &r.survey)?;
    d.set_item("at", timestamp_to_py(py, r.at)?)?;
    d.set_item("created_at", timestamp_to_py(py, r.created_at)?)?;
    Ok(d)
}

fn report_to_py<'py>(py: Python<'py>, r: &NpsReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("from_", timestamp_to_py(py, r.from)?)?;
    d.set_item("until", timestamp_to_py(py, r.until)?)?;
    d.set_item("survey", &r.survey)?;
    d.set_item("responses", r.responses)?;
    d.set_item("promoters", r.promoters)?;
    d.set_item("passives", r.passives)?;
    d.set_item("detractors", r.detractors)?;
    d.set_item("by_score", &r.by_score)?;
    d.set_item("nps", r.nps)?;
    Ok(d)
}
