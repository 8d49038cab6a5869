//! Reference directories, import and export, external ids and sync consumers.

use crate::changes::change_to_py;
use crate::convert::{money_to_py, page_limit, timestamp_to_py};
use crate::crm::Crm;
use crate::customer::customer_to_py;
use crate::deal::deal_to_py;
use crate::errors::{to_py, validation};
use crate::sales::{order_to_py, return_to_py};
use chrono::NaiveDate;
use crmlite::customer::CustomerKind;
use crmlite::import::{
    ExportOptions, FileFormat, ImportMode, ImportOptions, ImportProgress, ImportReport, MatchBy,
    TextEncoding,
};
use crmlite::money::format_decimal;
use crmlite::reference::{
    DirectoryKind, Entry, EntryInput, ExternalId, FieldDef, FieldType, FieldValue,
    NewDirectoryKind, ParseOptions, SyncRecord, parse_field_text,
};
use crmlite::{Currency, EntityKind, EntryId};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(upsert_entry, m)?)?;
    m.add_function(wrap_pyfunction!(entry_by_code, m)?)?;
    m.add_function(wrap_pyfunction!(list_entries, m)?)?;
    m.add_function(wrap_pyfunction!(set_entry_archived, m)?)?;
    m.add_function(wrap_pyfunction!(delete_entry, m)?)?;
    m.add_function(wrap_pyfunction!(import_file, m)?)?;
    m.add_function(wrap_pyfunction!(export_directory, m)?)?;
    m.add_function(wrap_pyfunction!(map_external_id, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_external_id, m)?)?;
    m.add_function(wrap_pyfunction!(sync_cursor, m)?)?;
    m.add_function(wrap_pyfunction!(advance_sync_cursor, m)?)?;
    m.add_function(wrap_pyfunction!(sync_pull, m)?)?;
    m.add_function(wrap_pyfunction!(sync_pull_json, m)?)?;
    m.add_function(wrap_pyfunction!(define_directory, m)?)?;
    m.add_function(wrap_pyfunction!(directory_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(external_ids, m)?)?;
    m.add_function(wrap_pyfunction!(unmap_external_id, m)?)?;
    m.add_function(wrap_pyfunction!(external_id_of, m)?)?;
    m.add_function(wrap_pyfunction!(directory_kind, m)?)?;
    m.add_function(wrap_pyfunction!(entry, m)?)?;
    m.add_function(wrap_pyfunction!(product_price, m)?)?;
    m.add_function(wrap_pyfunction!(export_changes, m)?)?;
    Ok(())
}

fn field_to_py<'py>(
    py: Python<'py>,
    ty: Option<&FieldType>,
    value: &FieldValue,
) -> PyResult<Bound<'py, PyAny>> {
    let decimal = |minor: i64, exp: u32| -> PyResult<Bound<'py, PyAny>> {
        py.import("decimal")?
            .getattr("Decimal")?
            .call1((format_decimal(minor, exp),))
    };
    Ok(match value {
        FieldValue::Text(t) | FieldValue::Reference(t) => t.into_pyobject(py)?.into_any(),
        FieldValue::Integer(v) => v.into_pyobject(py)?.into_any(),
        FieldValue::Decimal(v) => decimal(
            *v,
            if let Some(FieldType::Decimal(s)) = ty {
                *s
            } else {
                0
            },
        )?,
        FieldValue::Money(m) => money_to_py(py, m)?,
        FieldValue::Percent(bp) => decimal(*bp, 2)?,
        FieldValue::Boolean(b) => b.into_pyobject(py)?.to_owned().into_any(),
        FieldValue::Date(d) => d.into_pyobject(py)?.into_any(),
        FieldValue::Currency(c) => c.code().into_pyobject(py)?.into_any(),
    })
}

fn entry_to_py<'py>(py: Python<'py>, crm: &Crm, e: &Entry) -> PyResult<Bound<'py, PyDict>> {
    let kind = crm.run(py, |c| c.directory_kind(&e.kind))?;
    let d = PyDict::new(py);
    d.set_item("id", e.id.0)?;
    d.set_item("kind", &e.kind)?;
    d.set_item("external_code", &e.external_code)?;
    d.set_item("name", &e.name)?;
    let fields = PyDict::new(py);
    for (name, value) in &e.fields {
        fields.set_item(
            name,
            field_to_py(py, kind.field(name).map(|f| &f.field_type), value)?,
        )?;
    }
    d.set_item("fields", fields)?;
    d.set_item("archived", e.archived)?;
    d.set_item("version", e.version)?;
    d.set_item("created_at", timestamp_to_py(py, e.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, e.updated_at)?)?;
    Ok(d)
}

fn kind_to_py<'py>(py: Python<'py>, k: &DirectoryKind) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &k.name)?;
    d.set_item("label", &k.label)?;
    let fields = PyList::empty(py);
    for f in &k.fields {
        fields.append((&f.name, f.field_type.name(), f.required))?;
    }
    d.set_item("fields", fields)?;
    d.set_item("builtin", k.builtin)?;
    Ok(d)
}

/// Defines a user-defined directory kind; `fields` are `(name, type, required)`.
#[pyfunction]
fn define_directory<'py>(
    py: Python<'py>,
    crm: &Crm,
    name: String,
    label: String,
    fields: Vec<(String, String, bool)>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut defs = Vec::with_capacity(fields.len());
    for (i, (field, ty, required)) in fields.iter().enumerate() {
        defs.push(FieldDef::new(
            field,
            FieldType::parse(ty, &format!("fields[{i}].type")).map_err(|e| to_py(py, &e))?,
            *required,
        ));
    }
    let new = NewDirectoryKind {
        name,
        label,
        fields: defs,
    };
    let kind = crm.run(py, |c| c.define_directory(&new))?;
    kind_to_py(py, &kind)
}

/// One directory kind by name.
#[pyfunction]
fn directory_kind<'py>(py: Python<'py>, crm: &Crm, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let kind = crm.run(py, |c| c.directory_kind(name))?;
    kind_to_py(py, &kind)
}

/// One directory entry by id.
#[pyfunction]
fn entry<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let e = crm.run(py, |c| c.entry(EntryId(id)))?;
    entry_to_py(py, crm, &e)
}

/// The price of product `sku` in `price_list` on day `on`, or `None`.
#[pyfunction]
fn product_price<'py>(
    py: Python<'py>,
    crm: &Crm,
    price_list: &str,
    sku: &str,
    on: NaiveDate,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let price = crm.run(py, |c| c.product_price(price_list, sku, on))?;
    price.map(|m| money_to_py(py, &m)).transpose()
}

/// The id one record has in one external system, or `None`.
#[pyfunction]
fn external_id_of<'py>(
    py: Python<'py>,
    crm: &Crm,
    system: &str,
    entity_kind: &str,
    id: i64,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let kind = entity(py, entity_kind)?;
    let m = crm.run(py, |c| c.external_id_of(system, kind, id))?;
    m.map(|m| mapping_to_py(py, &m)).transpose()
}

/// Every directory kind, built-in ones first.
#[pyfunction]
fn directory_kinds<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let kinds = crm.run(py, |c| c.directory_kinds())?;
    let list = PyList::empty(py);
    for k in &kinds {
        list.append(kind_to_py(py, k)?)?;
    }
    Ok(list)
}

/// Every external id of one record.
#[pyfunction]
fn external_ids<'py>(
    py: Python<'py>,
    crm: &Crm,
    entity_kind: &str,
    id: i64,
) -> PyResult<Bound<'py, PyList>> {
    let kind = entity(py, entity_kind)?;
    let mappings = crm.run(py, |c| c.external_ids(kind, id))?;
    let list = PyList::empty(py);
    for m in &mappings {
        list.append(mapping_to_py(py, m)?)?;
    }
    Ok(list)
}

/// Removes an external id mapping.
#[pyfunction]
fn unmap_external_id(py: Python<'_>, crm: &Crm, system: &str, external_id: &str) -> PyResult<()> {
    crm.run(py, |c| c.unmap_external_id(system, external_id))
}

fn mapping_to_py<'py>(py: Python<'py>, m: &ExternalId) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("system", &m.system)?;
    d.set_item("external_id", &m.external_id)?;
    d.set_item("entity", m.entity.as_str())?;
    d.set_item("entity_id", m.entity_id)?;
    Ok(d)
}

/// Creates or replaces `(kind, external_code)`; field values are text read as an import file
/// reads them (`"1 250,50 AMD"`, `"20%"`, `"07.12.2026"`). Returns `(entry, outcome)`.
#[pyfunction]
#[pyo3(signature = (crm, kind, external_code, name, *, fields, currency))]
fn upsert_entry<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    external_code: String,
    name: String,
    fields: BTreeMap<String, String>,
    currency: Option<String>,
) -> PyResult<(Bound<'py, PyDict>, &'static str)> {
    let def = crm.run(py, |c| c.directory_kind(kind))?;
    let currency = currency
        .map(|c| Currency::parse(&c, "currency"))
        .transpose()
        .map_err(|e| to_py(py, &e))?;
    let options = ParseOptions::new(currency);
    let mut input = EntryInput::new(external_code, name);
    for (field, text) in &fields {
        let path = format!("fields.{field}");
        let ty = def
            .field(field)
            .ok_or_else(|| validation(py, &path, format!("is not a field of {kind}")))?;
        if let Some(value) =
            parse_field_text(&ty.field_type, text, &options, &path).map_err(|e| to_py(py, &e))?
        {
            input.fields.insert(field.clone(), value);
        }
    }
    let (entry, outcome) = crm.run(py, |c| c.upsert_entry(kind, &input))?;
    let outcome = match outcome {
        crmlite::reference::UpsertOutcome::Inserted => "inserted",
        crmlite::reference::UpsertOutcome::Updated => "updated",
        crmlite::reference::UpsertOutcome::Unchanged => "unchanged",
    };
    Ok((entry_to_py(py, crm, &entry)?, outcome))
}

/// One entry by kind and code.
#[pyfunction]
fn entry_by_code<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    code: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let entry = crm.run(py, |c| c.entry_by_code(kind, code))?;
    entry_to_py(py, crm, &entry)
}

/// One page of a directory: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, kind, *, include_archived, cursor, limit))]
fn list_entries<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    include_archived: bool,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let page = crm.run(py, |c| {
        c.list_entries(kind, cursor.as_deref(), include_archived, page_limit(limit))
    })?;
    let list = PyList::empty(py);
    for e in &page.items {
        list.append(entry_to_py(py, crm, e)?)?;
    }
    Ok((list, page.next))
}

/// Archives or restores an entry.
#[pyfunction]
fn set_entry_archived<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    code: &str,
    archived: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let entry = crm.run(py, |c| c.set_entry_archived(kind, code, archived))?;
    entry_to_py(py, crm, &entry)
}

/// Deletes an entry that nothing references.
#[pyfunction]
fn delete_entry(py: Python<'_>, crm: &Crm, kind: &str, code: &str) -> PyResult<()> {
    crm.run(py, |c| c.delete_entry(kind, code))
}

fn report_to_py<'py>(py: Python<'py>, r: &ImportReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("inserted", r.inserted)?;
    d.set_item("updated", r.updated)?;
    d.set_item("unchanged", r.unchanged)?;
    d.set_item("fast_path", r.fast_path)?;
    let rejected = PyList::empty(py);
    for x in &r.rejected {
        rejected.append((x.line, &x.field, &x.reason))?;
    }
    d.set_item("rejected", rejected)?;
    Ok(d)
}

/// Imports `data` into directory `kind`, or `customers` / `organisations` / `orders`: the report as a dict.
#[pyfunction]
#[pyo3(signature = (crm, kind, data, *, format, encoding, delimiter, mapping, skip_bad_rows, match_system, currency, progress=None, progress_every=1000, known_products=false))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn import_file<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    data: &[u8],
    format: &str,
    encoding: &str,
    delimiter: &str,
    mapping: BTreeMap<String, String>,
    skip_bad_rows: bool,
    match_system: Option<String>,
    currency: Option<String>,
    progress: Option<Py<PyAny>>,
    progress_every: u64,
    known_products: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let err = |e: crmlite::Error| to_py(py, &e);
    let delimiter = match delimiter.as_bytes() {
        [b] => *b,
        _ => return Err(validation(py, "delimiter", "must be one ASCII character")),
    };
    let mut options = ImportOptions::new()
        .format(FileFormat::parse(format).map_err(err)?)
        .encoding(TextEncoding::parse(encoding).map_err(err)?)
        .delimiter(delimiter);
    options.mapping = mapping;
    if skip_bad_rows {
        options = options.mode(ImportMode::SkipBadRows);
    }
    if let Some(system) = match_system {
        options = options.match_by(MatchBy::ExternalId(system));
    }
    if let Some(code) = currency {
        options = options.currency(Currency::parse(&code, "currency").map_err(err)?);
    }
    options = options
        .progress_every(progress_every)
        .known_products(known_products);
    let data = data.to_vec();
    // The callback's exception, raised again once the import has failed and written nothing.
    let mut raised: Option<PyErr> = None;
    let outcome = crm.run(py, |c| {
        let mut callback = |p: &ImportProgress| -> ControlFlow<()> {
            let Some(f) = progress.as_ref() else {
                return ControlFlow::Continue(());
            };
            match Python::attach(|py| progress_to_py(py, p).and_then(|d| f.call1(py, (d,)))) {
                Ok(_) => ControlFlow::Continue(()),
                Err(e) => {
                    raised = Some(e);
                    ControlFlow::Break(())
                }
            }
        };
        match kind {
            "customers" => c.import_customers_with_progress(&data, &options, &mut callback),
            "organisations" => c.import_customers_with_progress(
                &data,
                &options.clone().customer_kind(CustomerKind::Organisation),
                &mut callback,
            ),
            "orders" => c.import_orders_with_progress(&data, &options, &mut callback),
            _ => c.import_directory_with_progress(kind, &data, &options, &mut callback),
        }
    });
    match (outcome, raised) {
        (Err(_), Some(e)) => Err(e),
        (outcome, _) => report_to_py(py, &outcome?),
    }
}

/// An import's progress as a dict.
fn progress_to_py<'py>(py: Python<'py>, p: &ImportProgress) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("rows_read", p.rows_read)?;
    d.set_item("bytes_read", p.bytes_read)?;
    d.set_item("bytes_total", p.bytes_total)?;
    d.set_item("written", p.written)?;
    d.set_item("to_write", p.to_write)?;
    d.set_item("read_done", p.read_done)?;
    Ok(d)
}

/// A whole directory as file bytes.
#[pyfunction]
#[pyo3(signature = (crm, kind, *, format, encoding, delimiter, decimal_comma, include_archived))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn export_directory<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    format: &str,
    encoding: &str,
    delimiter: &str,
    decimal_comma: bool,
    include_archived: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let err = |e: crmlite::Error| to_py(py, &e);
    let delimiter = match delimiter.as_bytes() {
        [b] => *b,
        _ => return Err(validation(py, "delimiter", "must be one ASCII character")),
    };
    let options = ExportOptions::new()
        .format(FileFormat::parse(format).map_err(err)?)
        .encoding(TextEncoding::parse(encoding).map_err(err)?)
        .delimiter(delimiter)
        .decimal_comma(decimal_comma)
        .include_archived(include_archived);
    let data = crm.run(py, |c| c.export_directory(kind, &options))?;
    Ok(PyBytes::new(py, &data))
}

/// The changes after a consumer's cursor with each record's current state, as CSV (columns
/// `seq`, `at`, `op`, `entity`, `entity_id`, `type`, `record`) or JSON Lines bytes.
#[pyfunction]
#[pyo3(signature = (crm, consumer, *, limit, format, encoding, delimiter))]
fn export_changes<'py>(
    py: Python<'py>,
    crm: &Crm,
    consumer: &str,
    limit: i64,
    format: &str,
    encoding: &str,
    delimiter: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let err = |e: crmlite::Error| to_py(py, &e);
    let delimiter = match delimiter.as_bytes() {
        [b] => *b,
        _ => return Err(validation(py, "delimiter", "must be one ASCII character")),
    };
    let options = ExportOptions::new()
        .format(FileFormat::parse(format).map_err(err)?)
        .encoding(TextEncoding::parse(encoding).map_err(err)?)
        .delimiter(delimiter);
    let data = crm.run(py, |c| {
        c.export_changes(consumer, page_limit(limit), &options)
    })?;
    Ok(PyBytes::new(py, &data))
}

fn entity(py: Python<'_>, name: &str) -> PyResult<EntityKind> {
    EntityKind::parse(name)
        .ok_or_else(|| validation(py, "entity", format!("{name:?} is not a record kind")))
}

/// Maps a record to its id in an external system.
#[pyfunction]
fn map_external_id<'py>(
    py: Python<'py>,
    crm: &Crm,
    system: &str,
    external_id: &str,
    entity_kind: &str,
    id: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = entity(py, entity_kind)?;
    let m = crm.run(py, |c| c.map_external_id(system, external_id, kind, id))?;
    mapping_to_py(py, &m)
}

/// The record an external id maps to, or `None`.
#[pyfunction]
fn resolve_external_id<'py>(
    py: Python<'py>,
    crm: &Crm,
    system: &str,
    external_id: &str,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let m = crm.run(py, |c| c.resolve_external_id(system, external_id))?;
    m.map(|m| mapping_to_py(py, &m)).transpose()
}

/// A sync consumer's acknowledged position.
#[pyfunction]
fn sync_cursor(py: Python<'_>, crm: &Crm, consumer: &str) -> PyResult<i64> {
    crm.run(py, |c| c.sync_cursor(consumer))
}

/// Acknowledges everything up to `seq` for a consumer.
#[pyfunction]
fn advance_sync_cursor(py: Python<'_>, crm: &Crm, consumer: &str, seq: i64) -> PyResult<()> {
    crm.run(py, |c| c.advance_sync_cursor(consumer, seq))
}

/// The changes after a consumer's cursor as `(change, type, record)`. `type` is the record
/// kind as in the JSON Lines form (`customer`, `entry`, `order`, `deal`, `loyalty_card`,
/// `customer_links`, ... or `tombstone`); `record` is a dict: customers, entries, external
/// ids, orders, returns and deals as their own functions return them, other kinds as their
/// JSON form (amounts in integer minor units); `None` for a tombstone.
#[pyfunction]
#[pyo3(signature = (crm, consumer, *, limit))]
fn sync_pull<'py>(
    py: Python<'py>,
    crm: &Crm,
    consumer: &str,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let items = crm.run(py, |c| c.sync_pull(consumer, page_limit(limit)))?;
    let loads = py.import("json")?.getattr("loads")?;
    let list = PyList::empty(py);
    for item in &items {
        let json = serde_json::to_value(&item.record)
            .map_err(|e| validation(py, "record", format!("cannot be written as JSON: {e}")))?;
        let kind = json
            .get("type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("tombstone")
            .to_owned();
        let record: Option<Bound<'py, PyAny>> = match &item.record {
            SyncRecord::Customer(c) => Some(customer_to_py(py, c)?.into_any()),
            SyncRecord::Entry(e) => Some(entry_to_py(py, crm, e)?.into_any()),
            SyncRecord::ExternalId(m) => Some(mapping_to_py(py, m)?.into_any()),
            SyncRecord::Order(o) => Some(order_to_py(py, o)?.into_any()),
            SyncRecord::Return(r) => Some(return_to_py(py, r)?.into_any()),
            SyncRecord::Deal(d) => Some(deal_to_py(py, d)?.into_any()),
            SyncRecord::Tombstone => None,
            _ => match json.get("record") {
                Some(r) => Some(loads.call1((r.to_string(),))?),
                None => None,
            },
        };
        list.append((change_to_py(py, &item.change)?, kind, record))?;
    }
    Ok(list)
}

/// The changes after a consumer's cursor with each record's current state, as JSON Lines bytes.
#[pyfunction]
#[pyo3(signature = (crm, consumer, *, limit))]
fn sync_pull_json<'py>(
    py: Python<'py>,
    crm: &Crm,
    consumer: &str,
    limit: i64,
) -> PyResult<Bound<'py, PyBytes>> {
    let data = crm.run(py, |c| c.sync_pull_json_lines(consumer, page_limit(limit)))?;
    Ok(PyBytes::new(py, &data))
}
