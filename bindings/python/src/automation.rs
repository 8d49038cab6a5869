//! Automation: templates, tasks and reminders, triggers, the outbox and consent.
//!
//! Template variables cross as plain Python values (dict, list, str, int, bool, None, date,
//! datetime) turned into JSON; trigger events and actions cross as the core's tagged dicts
//! (`{"type": "date", "field": "birthday", ...}`).

use crate::convert::{delta_millis, page_limit, timestamp_from_py, timestamp_to_py};
use crate::crm::Crm;
use crate::errors::{plain, to_py, validation};
use chrono::NaiveDate;
use crmlite::automation::{
    Channel, Claim, Consent, MessageStatus, NewConsent, NewMessage, NewTask, NewTemplate,
    NewTrigger, OutboxMessage, Purpose, RunReport, Task, Template, TemplateFormat, TemplateKind,
    Trigger, TriggerAction, TriggerEvent, TriggerRun,
};
use crmlite::{CustomerId, MessageId, TaskId, TriggerId};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

/// How deeply template variables may nest (a list that contains itself would never end).
const MAX_DEPTH: usize = 32;

/// Registers this domain's functions and constants in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(save_template, m)?)?;
    m.add_function(wrap_pyfunction!(template, m)?)?;
    m.add_function(wrap_pyfunction!(templates, m)?)?;
    m.add_function(wrap_pyfunction!(render_template, m)?)?;
    m.add_function(wrap_pyfunction!(add_task, m)?)?;
    m.add_function(wrap_pyfunction!(task, m)?)?;
    m.add_function(wrap_pyfunction!(complete_task, m)?)?;
    m.add_function(wrap_pyfunction!(cancel_task, m)?)?;
    m.add_function(wrap_pyfunction!(due_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(overdue_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(add_trigger, m)?)?;
    m.add_function(wrap_pyfunction!(set_trigger_active, m)?)?;
    m.add_function(wrap_pyfunction!(triggers, m)?)?;
    m.add_function(wrap_pyfunction!(trigger_runs, m)?)?;
    m.add_function(wrap_pyfunction!(run_due, m)?)?;
    m.add_function(wrap_pyfunction!(queue_message, m)?)?;
    m.add_function(wrap_pyfunction!(claim_messages, m)?)?;
    m.add_function(wrap_pyfunction!(ack_message, m)?)?;
    m.add_function(wrap_pyfunction!(fail_message, m)?)?;
    m.add_function(wrap_pyfunction!(outbox_message, m)?)?;
    m.add_function(wrap_pyfunction!(outbox_messages, m)?)?;
    m.add_function(wrap_pyfunction!(record_consent, m)?)?;
    m.add_function(wrap_pyfunction!(consents, m)?)?;
    m.add_function(wrap_pyfunction!(consent_history, m)?)?;
    let kinds: Vec<&str> = TemplateKind::ALL.iter().map(|k| k.as_str()).collect();
    m.add("TEMPLATE_KINDS", kinds)?;
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    m.add("CHANNELS", channels)?;
    Ok(())
}

/// Stores a template under its code, or replaces the one with that code (version bumped).
#[pyfunction]
#[pyo3(signature = (crm, code, body, *, kind, format))]
fn save_template<'py>(
    py: Python<'py>,
    crm: &Crm,
    code: String,
    body: String,
    kind: &str,
    format: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = TemplateKind::parse(kind).map_err(|e| to_py(py, &e))?;
    let format = TemplateFormat::parse(format).map_err(|e| to_py(py, &e))?;
    let new = NewTemplate::new(code, kind, format, body);
    let saved = crm.run(py, |c| c.save_template(&new))?;
    template_to_py(py, &saved)
}

/// One template by code.
#[pyfunction]
fn template<'py>(py: Python<'py>, crm: &Crm, code: &str) -> PyResult<Bound<'py, PyDict>> {
    let found = crm.run(py, |c| c.template(code))?;
    template_to_py(py, &found)
}

/// Every template, by code.
#[pyfunction]
fn templates<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.templates())?;
    list(py, &found, template_to_py)
}

/// Renders a template for a customer (in their language) or for no one, with extra variables.
#[pyfunction]
#[pyo3(signature = (crm, code, *, customer, vars))]
fn render_template(
    py: Python<'_>,
    crm: &Crm,
    code: &str,
    customer: Option<i64>,
    vars: &Bound<'_, PyDict>,
) -> PyResult<String> {
    let vars = json_from_py(vars.as_any(), "vars", 0)?;
    crm.run(py, |c| {
        c.render_template(code, customer.map(CustomerId), &vars)
    })
}

/// Adds a task or reminder.
#[pyfunction]
#[pyo3(signature = (crm, title, *, due, assignee, customer, record, recurrence))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_task<'py>(
    py: Python<'py>,
    crm: &Crm,
    title: String,
    due: &Bound<'py, PyAny>,
    assignee: String,
    customer: Option<i64>,
    record: String,
    recurrence: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut new = NewTask::new(title, timestamp_from_py(due, "due")?)
        .assignee(assignee)
        .record(record);
    if let Some(customer) = customer {
        new = new.customer(CustomerId(customer));
    }
    if let Some(rule) = recurrence {
        new = new.recurrence(rule);
    }
    let added = crm.run(py, |c| c.add_task(&new))?;
    task_to_py(py, &added)
}

/// One task by id.
#[pyfunction]
fn task<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let found = crm.run(py, |c| c.task(TaskId(id)))?;
    task_to_py(py, &found)
}

/// Marks an open task done: `(done, next_occurrence_or_None)`.
#[pyfunction]
fn complete_task<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
) -> PyResult<(Bound<'py, PyDict>, Option<Bound<'py, PyDict>>)> {
    let completion = crm.run(py, |c| c.complete_task(TaskId(id)))?;
    let next = completion
        .next
        .as_ref()
        .map(|t| task_to_py(py, t))
        .transpose()?;
    Ok((task_to_py(py, &completion.done)?, next))
}

/// Cancels an open task (and so ends its series).
#[pyfunction]
fn cancel_task<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let cancelled = crm.run(py, |c| c.cancel_task(TaskId(id)))?;
    task_to_py(py, &cancelled)
}

/// Open tasks due at or before `until`, earliest first.
#[pyfunction]
#[pyo3(signature = (crm, *, until, assignee, limit))]
fn due_tasks<'py>(
    py: Python<'py>,
    crm: &Crm,
    until: &Bound<'py, PyAny>,
    assignee: Option<String>,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let until = timestamp_from_py(until, "until")?;
    let found = crm.run(py, |c| {
        c.due_tasks(until, assignee.as_deref(), page_limit(limit))
    })?;
    list(py, &found, task_to_py)
}

/// Open tasks whose due time has passed, earliest first.
#[pyfunction]
#[pyo3(signature = (crm, *, assignee, limit))]
fn overdue_tasks<'py>(
    py: Python<'py>,
    crm: &Crm,
    assignee: Option<String>,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| {
        c.overdue_tasks(assignee.as_deref(), page_limit(limit))
    })?;
    list(py, &found, task_to_py)
}

/// Adds a trigger; `event` and `action` are the core's tagged dicts.
#[pyfunction]
#[pyo3(signature = (crm, code, *, event, action))]
fn add_trigger<'py>(
    py: Python<'py>,
    crm: &Crm,
    code: String,
    event: &Bound<'py, PyDict>,
    action: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let event: TriggerEvent = serde_json::from_value(json_from_py(event.as_any(), "event", 0)?)
        .map_err(|e| validation(py, "event", e.to_string()))?;
    let action: TriggerAction = serde_json::from_value(json_from_py(action.as_any(), "action", 0)?)
        .map_err(|e| validation(py, "action", e.to_string()))?;
    let new = NewTrigger::new(code, event, action);
    let added = crm.run(py, |c| c.add_trigger(&new))?;
    trigger_to_py(py, &added)
}

/// Turns a trigger on or off.
#[pyfunction]
fn set_trigger_active<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    active: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let changed = crm.run(py, |c| c.set_trigger_active(TriggerId(id), active))?;
    trigger_to_py(py, &changed)
}

/// Every trigger, in id order.
#[pyfunction]
fn triggers<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.triggers())?;
    list(py, &found, trigger_to_py)
}

/// What a trigger did, newest first.
#[pyfunction]
#[pyo3(signature = (crm, id, *, limit))]
fn trigger_runs<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.trigger_runs(TriggerId(id), page_limit(limit)))?;
    list(py, &found, run_to_py)
}

/// Fires every time trigger due at `now`; running it again at the same `now` does nothing.
#[pyfunction]
fn run_due<'py>(
    py: Python<'py>,
    crm: &Crm,
    now: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let now = timestamp_from_py(now, "now")?;
    let report = crm.run(py, |c| c.run_due(now))?;
    report_to_py(py, &report)
}

/// Renders and queues a message for a customer.
#[pyfunction]
#[pyo3(signature = (crm, customer, *, channel, purpose, body_template, subject_template, vars, dedupe_key))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn queue_message<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    channel: &str,
    purpose: &str,
    body_template: String,
    subject_template: Option<String>,
    vars: &Bound<'py, PyDict>,
    dedupe_key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let channel = Channel::parse(channel).map_err(|e| to_py(py, &e))?;
    let purpose = Purpose::parse(purpose).map_err(|e| to_py(py, &e))?;
    let mut new = NewMessage::new(CustomerId(customer), channel, purpose, body_template)
        .vars(json_from_py(vars.as_any(), "vars", 0)?);
    if let Some(code) = subject_template {
        new = new.subject_template(code);
    }
    if let Some(key) = dedupe_key {
        new = new.dedupe_key(key);
    }
    let queued = crm.run(py, |c| c.queue_message(&new))?;
    message_to_py(py, &queued)
}

/// Claims up to `n` messages under a lease (a `timedelta`): `[{"message": ..., "token": ...}]`.
#[pyfunction]
#[pyo3(signature = (crm, n, *, lease))]
fn claim_messages<'py>(
    py: Python<'py>,
    crm: &Crm,
    n: i64,
    lease: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let lease_ms = delta_millis(lease, "lease")?;
    let claims = crm.run(py, |c| c.claim_messages(page_limit(n), lease_ms))?;
    list(py, &claims, claim_to_py)
}

/// Marks a claimed message delivered.
#[pyfunction]
fn ack_message<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    token: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let acked = crm.run(py, |c| c.ack_message(MessageId(id), token))?;
    message_to_py(py, &acked)
}

/// Reports a failed delivery; the message is offered again after `retry_after` (a `timedelta`).
#[pyfunction]
#[pyo3(signature = (crm, id, token, *, retry_after, error))]
fn fail_message<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    token: &str,
    retry_after: &Bound<'py, PyAny>,
    error: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let retry_ms = delta_millis(retry_after, "retry_after")?;
    let failed = crm.run(py, |c| {
        c.fail_message(MessageId(id), token, retry_ms, error)
    })?;
    message_to_py(py, &failed)
}

/// One outbox message by id.
#[pyfunction]
fn outbox_message<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let found = crm.run(py, |c| c.outbox_message(MessageId(id)))?;
    message_to_py(py, &found)
}

/// Outbox messages after `after` in id order, optionally of one status.
#[pyfunction]
#[pyo3(signature = (crm, *, after, status, limit))]
fn outbox_messages<'py>(
    py: Python<'py>,
    crm: &Crm,
    after: Option<i64>,
    status: Option<&str>,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let status = status
        .map(MessageStatus::parse)
        .transpose()
        .map_err(|e| to_py(py, &e))?;
    let found = crm.run(py, |c| {
        c.outbox_messages(after.map(MessageId), status, page_limit(limit))
    })?;
    list(py, &found, message_to_py)
}

/// Records a consent decision (a grant or a withdrawal).
#[pyfunction]
#[pyo3(signature = (crm, customer, *, channel, purpose, granted, source, text_version))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn record_consent<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    channel: &str,
    purpose: &str,
    granted: bool,
    source: String,
    text_version: String,
) -> PyResult<Bound<'py, PyDict>> {
    let channel = Channel::parse(channel).map_err(|e| to_py(py, &e))?;
    let purpose = Purpose::parse(purpose).map_err(|e| to_py(py, &e))?;
    let customer = CustomerId(customer);
    let new = if granted {
        NewConsent::grant(customer, channel, purpose, source, text_version)
    } else {
        NewConsent::withdraw(customer, channel, purpose, source)
    };
    let recorded = crm.run(py, |c| c.record_consent(&new))?;
    consent_to_py(py, &recorded)
}

/// The consent decisions in force for a customer.
#[pyfunction]
fn consents<'py>(py: Python<'py>, crm: &Crm, customer: i64) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.consents(CustomerId(customer)))?;
    list(py, &found, consent_to_py)
}

/// Every consent decision of a customer, oldest first.
#[pyfunction]
fn consent_history<'py>(py: Python<'py>, crm: &Crm, customer: i64) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.consent_history(CustomerId(customer)))?;
    list(py, &found, consent_to_py)
}

fn list<'py, T>(
    py: Python<'py>,
    items: &[T],
    convert: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in items {
        out.append(convert(py, item)?)?;
    }
    Ok(out)
}

/// A template variable tree as JSON; floats and other types are validation errors on `field`.
fn json_from_py(value: &Bound<'_, PyAny>, field: &str, depth: usize) -> PyResult<Value> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(validation(
            py,
            field,
            format!("nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        let i: i64 = value
            .extract()
            .map_err(|_| validation(py, field, "does not fit in 64 bits"))?;
        return Ok(Value::from(i));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Value::String(value.extract()?));
    }
    if value.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(timestamp_from_py(value, field)?.to_rfc3339()));
    }
    if value.is_instance_of::<PyDate>() {
        let d: NaiveDate = value.extract()?;
        return Ok(Value::String(d.to_string()));
    }
    if value.is_instance_of::<PyFloat>() {
        return Err(validation(
            py,
            field,
            "must not be a float: use an int (minor units for money) or a str",
        ));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, item) in dict.iter() {
            let key: String = key
                .extract()
                .map_err(|_| validation(py, field, "keys must be strings"))?;
            let inner = json_from_py(&item, &format!("{field}.{key}"), depth + 1)?;
            map.insert(key, inner);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            items.push(json_from_py(&item?, &format!("{field}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    let type_name = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    Err(validation(
        py,
        field,
        format!(
            "has unsupported type {type_name}: use dict, list, str, int, bool, None, date or datetime"
        ),
    ))
}

/// A JSON value (a trigger's event or action) as plain Python values.
fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => return Err(plain(py, "a stored trigger holds a non-integer number")),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let out = PyList::empty(py);
            for item in items {
                out.append(json_to_py(py, item)?)?;
            }
            out.into_any()
        }
        Value::Object(map) => {
            let out = PyDict::new(py);
            for (key, item) in map {
                out.set_item(key, json_to_py(py, item)?)?;
            }
            out.into_any()
        }
    })
}

fn serde_to_py<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| plain(py, &format!("cannot convert a trigger: {e}")))?;
    json_to_py(py, &json)
}

fn template_to_py<'py>(py: Python<'py>, t: &Template) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", t.id.get())?;
    d.set_item("code", &t.code)?;
    d.set_item("kind", t.kind.as_str())?;
    d.set_item("format", t.format.as_str())?;
    d.set_item("body", &t.body)?;
    d.set_item("version", t.version)?;
    d.set_item("created_at", timestamp_to_py(py, t.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, t.updated_at)?)?;
    Ok(d)
}

fn task_to_py<'py>(py: Python<'py>, t: &Task) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", t.id.get())?;
    d.set_item("title", &t.title)?;
    d.set_item("due", timestamp_to_py(py, t.due)?)?;
    d.set_item("assignee", &t.assignee)?;
    d.set_item("customer", t.customer.map(CustomerId::get))?;
    d.set_item("record", &t.record)?;
    d.set_item("status", t.status.as_str())?;
    d.set_item("recurrence", &t.recurrence)?;
    d.set_item("series_start", timestamp_to_py(py, t.series_start)?)?;
    d.set_item("occurrence", t.occurrence)?;
    d.set_item("created_at", timestamp_to_py(py, t.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, t.updated_at)?)?;
    Ok(d)
}

fn trigger_to_py<'py>(py: Python<'py>, t: &Trigger) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", t.id.get())?;
    d.set_item("code", &t.code)?;
    d.set_item("event", serde_to_py(py, &t.event)?)?;
    d.set_item("action", serde_to_py(py, &t.action)?)?;
    d.set_item("active", t.active)?;
    d.set_item("created_at", timestamp_to_py(py, t.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, t.updated_at)?)?;
    Ok(d)
}

fn run_to_py<'py>(py: Python<'py>, r: &TriggerRun) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("trigger", r.trigger.get())?;
    d.set_item("customer", r.customer.get())?;
    d.set_item("occurrence", &r.occurrence)?;
    d.set_item("at", timestamp_to_py(py, r.at)?)?;
    d.set_item("outcome", &r.outcome)?;
    Ok(d)
}

fn report_to_py<'py>(py: Python<'py>, r: &RunReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("fired", r.fired)?;
    d.set_item("queued", r.queued)?;
    d.set_item("tasks", r.tasks)?;
    d.set_item("tags", r.tags)?;
    d.set_item("awards", r.awards)?;
    d.set_item("skipped", r.skipped)?;
    Ok(d)
}

fn message_to_py<'py>(py: Python<'py>, m: &OutboxMessage) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", m.id.get())?;
    d.set_item("customer", m.customer.map(CustomerId::get))?;
    d.set_item("channel", m.channel.as_str())?;
    d.set_item("purpose", m.purpose.as_str())?;
    d.set_item("recipient", &m.recipient)?;
    d.set_item("subject", &m.subject)?;
    d.set_item("body", &m.body)?;
    d.set_item("html", m.html)?;
    d.set_item("dedupe_key", &m.dedupe_key)?;
    d.set_item("status", m.status.as_str())?;
    d.set_item("attempts", m.attempts)?;
    d.set_item("available_at", timestamp_to_py(py, m.available_at)?)?;
    d.set_item(
        "lease_until",
        m.lease_until.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    d.set_item("last_error", &m.last_error)?;
    d.set_item("created_at", timestamp_to_py(py, m.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, m.updated_at)?)?;
    Ok(d)
}

fn claim_to_py<'py>(py: Python<'py>, c: &Claim) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("message", message_to_py(py, &c.message)?)?;
    d.set_item("token", &c.token)?;
    Ok(d)
}

fn consent_to_py<'py>(py: Python<'py>, c: &Consent) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("customer", c.customer.get())?;
    d.set_item("channel", c.channel.as_str())?;
    d.set_item("purpose", c.purpose.as_str())?;
    d.set_item("granted", c.granted)?;
    d.set_item("at", timestamp_to_py(py, c.at)?)?;
    d.set_item("source", &c.source)?;
    d.set_item("text_version", &c.text_version)?;
    Ok(d)
}
