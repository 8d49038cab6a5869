//! Deals: pipelines and stages, the lost-reason list, deals with lines, stage history, reports.

use crate::convert::{
    attribute_to_py, date_from_py, money_from_py, money_to_py, page_limit, timestamp_from_py,
    timestamp_to_py,
};
use crate::crm::Crm;
use crate::errors::{to_py, validation};
use crmlite::customer::AttributeValue;
use crmlite::deal::report::{
    ForecastBy, ForecastRow, FunnelStep, LostReasonRow, StageTime, WinRate,
};
use crmlite::deal::{
    Deal, DealFilter, DealLine, DealPatch, DealStageChange, LostReason, NewDeal, NewDealLine,
    NewPipeline, NewStage, Pipeline, Stage, StageKind, StageMove, StagePatch,
};
use crmlite::{CustomerId, DealId, LostReasonId, PipelineId, StageId};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::BTreeMap;

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_stage_list, m)?)?;
    m.add_function(wrap_pyfunction!(add_pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(pipelines, m)?)?;
    m.add_function(wrap_pyfunction!(rename_pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(add_stage, m)?)?;
    m.add_function(wrap_pyfunction!(update_stage, m)?)?;
    m.add_function(wrap_pyfunction!(reorder_stages, m)?)?;
    m.add_function(wrap_pyfunction!(retire_stage, m)?)?;
    m.add_function(wrap_pyfunction!(add_lost_reason, m)?)?;
    m.add_function(wrap_pyfunction!(seed_lost_reasons, m)?)?;
    m.add_function(wrap_pyfunction!(rename_lost_reason, m)?)?;
    m.add_function(wrap_pyfunction!(retire_lost_reason, m)?)?;
    m.add_function(wrap_pyfunction!(lost_reasons, m)?)?;
    m.add_function(wrap_pyfunction!(add_deal, m)?)?;
    m.add_function(wrap_pyfunction!(deal, m)?)?;
    m.add_function(wrap_pyfunction!(deal_by_code, m)?)?;
    m.add_function(wrap_pyfunction!(update_deal, m)?)?;
    m.add_function(wrap_pyfunction!(move_deal, m)?)?;
    m.add_function(wrap_pyfunction!(mark_won, m)?)?;
    m.add_function(wrap_pyfunction!(mark_lost, m)?)?;
    m.add_function(wrap_pyfunction!(reopen_deal, m)?)?;
    m.add_function(wrap_pyfunction!(change_deal_pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(deal_history, m)?)?;
    m.add_function(wrap_pyfunction!(list_deals, m)?)?;
    m.add_function(wrap_pyfunction!(stale_deals, m)?)?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(funnel, m)?)?;
    m.add_function(wrap_pyfunction!(win_rate, m)?)?;
    m.add_function(wrap_pyfunction!(time_in_stage, m)?)?;
    m.add_function(wrap_pyfunction!(lost_reasons_report, m)?)?;
    Ok(())
}

/// Parses a stage list (`name | probability | kind | rot days` per line) into stage dicts.
#[pyfunction]
fn parse_stage_list<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
    let stages = crmlite::deal::parse_stage_list(text).map_err(|e| to_py(py, &e))?;
    let list = PyList::empty(py);
    for s in &stages {
        let d = PyDict::new(py);
        d.set_item("name", &s.name)?;
        d.set_item("probability", s.probability)?;
        d.set_item("kind", s.kind.as_str())?;
        d.set_item("rot_after_days", s.rot_after_days)?;
        list.append(d)?;
    }
    Ok(list)
}

/// Adds a pipeline with its stages (dicts with name, probability, kind, rot_after_days).
#[pyfunction]
fn add_pipeline<'py>(
    py: Python<'py>,
    crm: &Crm,
    name: String,
    stages: &Bound<'py, PyList>,
) -> PyResult<Bound<'py, PyDict>> {
    let stages = stages
        .iter()
        .enumerate()
        .map(|(i, s)| new_stage_from_py(&s, &format!("stages[{i}]")))
        .collect::<PyResult<Vec<_>>>()?;
    let new = NewPipeline::new(name, stages);
    let p = crm.run(py, |c| c.add_pipeline(&new))?;
    pipeline_to_py(py, &p)
}

/// One pipeline with its stages.
#[pyfunction]
fn pipeline<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let p = crm.run(py, |c| c.pipeline(PipelineId(id)))?;
    pipeline_to_py(py, &p)
}

/// Every pipeline.
#[pyfunction]
fn pipelines<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let all = crm.run(py, |c| c.pipelines())?;
    list_of(py, &all, pipeline_to_py)
}

/// Renames a pipeline.
#[pyfunction]
fn rename_pipeline<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    name: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let p = crm.run(py, |c| c.rename_pipeline(PipelineId(id), name))?;
    pipeline_to_py(py, &p)
}

/// Adds a stage (a dict) at the end of a pipeline.
#[pyfunction]
fn add_stage<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: i64,
    stage: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let new = new_stage_from_py(stage, "stage")?;
    let s = crm.run(py, |c| c.add_stage(PipelineId(pipeline), &new))?;
    stage_to_py(py, &s)
}

/// Changes a stage: `patch` holds any of name, probability, rot_after_days (`None` clears it).
#[pyfunction]
#[pyo3(signature = (crm, id, *, patch))]
fn update_stage<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    patch: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut p = StagePatch::new();
    for (key, value) in patch.iter() {
        let key: String = key.extract()?;
        match key.as_str() {
            "name" => {
                p = p.name(
                    value
                        .extract::<String>()
                        .map_err(|_| validation(py, "name", "must be a string"))?,
                )
            }
            "probability" => {
                p = p.probability(percent(
                    py,
                    value
                        .extract()
                        .map_err(|_| validation(py, "probability", "must be an int"))?,
                    "probability",
                )?)
            }
            "rot_after_days" => p = p.rot_after_days(days(&value, "rot_after_days")?),
            other => return Err(validation(py, other, "is not a stage field")),
        }
    }
    let s = crm.run(py, |c| c.update_stage(StageId(id), &p))?;
    stage_to_py(py, &s)
}

/// Puts a pipeline's active stages in the given order.
#[pyfunction]
fn reorder_stages<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: i64,
    order: Vec<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let order: Vec<StageId> = order.into_iter().map(StageId).collect();
    let p = crm.run(py, |c| c.reorder_stages(PipelineId(pipeline), &order))?;
    pipeline_to_py(py, &p)
}

/// Retires a stage.
#[pyfunction]
fn retire_stage<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let s = crm.run(py, |c| c.retire_stage(StageId(id)))?;
    stage_to_py(py, &s)
}

/// Adds a lost reason.
#[pyfunction]
fn add_lost_reason<'py>(py: Python<'py>, crm: &Crm, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let r = crm.run(py, |c| c.add_lost_reason(name))?;
    reason_to_py(py, &r)
}

/// Adds the names not on the lost-reason list yet; returns the whole list.
#[pyfunction]
fn seed_lost_reasons<'py>(
    py: Python<'py>,
    crm: &Crm,
    names: Vec<String>,
) -> PyResult<Bound<'py, PyList>> {
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let all = crm.run(py, |c| c.seed_lost_reasons(&refs))?;
    list_of(py, &all, reason_to_py)
}

/// Renames a lost reason.
#[pyfunction]
fn rename_lost_reason<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    name: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let r = crm.run(py, |c| c.rename_lost_reason(LostReasonId(id), name))?;
    reason_to_py(py, &r)
}

/// Retires a lost reason.
#[pyfunction]
fn retire_lost_reason<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let r = crm.run(py, |c| c.retire_lost_reason(LostReasonId(id)))?;
    reason_to_py(py, &r)
}

/// Every lost reason.
#[pyfunction]
fn lost_reasons<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let all = crm.run(py, |c| c.lost_reasons())?;
    list_of(py, &all, reason_to_py)
}

/// Adds a deal; `lines` is a list of dicts (product, product_code, quantity_milli, unit_price, discount_bp).
#[pyfunction]
#[pyo3(signature = (crm, pipeline, title, *, stage, customer, organisation, owner, amount, lines, probability,
                    expected_close, source, attributes, external_code, by))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_deal<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: i64,
    title: String,
    stage: Option<i64>,
    customer: Option<i64>,
    organisation: Option<i64>,
    owner: String,
    amount: Option<&Bound<'py, PyAny>>,
    lines: &Bound<'py, PyList>,
    probability: Option<i64>,
    expected_close: Option<&Bound<'py, PyAny>>,
    source: String,
    attributes: Option<&Bound<'py, PyDict>>,
    external_code: Option<String>,
    by: String,
) -> PyResult<Bound<'py, PyDict>> {
    let mut new = NewDeal::new(PipelineId(pipeline), title)
        .owner(owner)
        .source(source)
        .by(by);
    new.stage = stage.map(StageId);
    new.customer = customer.map(CustomerId);
    new.organisation = organisation.map(CustomerId);
    new.amount = amount.map(|a| money_from_py(a, "amount")).transpose()?;
    new.lines = lines_from_py(lines)?;
    new.probability = probability
        .map(|p| percent(py, p, "probability"))
        .transpose()?;
    new.expected_close = expected_close
        .map(|d| date_from_py(d, "expected_close"))
        .transpose()?;
    if let Some(attributes) = attributes {
        for (key, value) in attributes_from_py(attributes)? {
            match value {
                Some(value) => new.attributes.insert(key, value),
                None => {
                    return Err(validation(
                        py,
                        &format!("attributes.{key}"),
                        "must not be None",
                    ));
                }
            };
        }
    }
    new.external_code = external_code;
    let d = crm.run(py, |c| c.add_deal(&new))?;
    deal_to_py(py, &d)
}

/// One deal.
#[pyfunction]
fn deal<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| c.deal(DealId(id)))?;
    deal_to_py(py, &d)
}

/// One deal by external code.
#[pyfunction]
fn deal_by_code<'py>(py: Python<'py>, crm: &Crm, code: &str) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| c.deal_by_code(code))?;
    deal_to_py(py, &d)
}

/// Applies `patch` (a dict of the fields to change; `None` clears) if the deal is at `version`.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, patch))]
fn update_deal<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    patch: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let patch = patch_from_py(patch)?;
    let d = crm.run(py, |c| c.update_deal(DealId(id), version, &patch))?;
    deal_to_py(py, &d)
}

/// Moves an open deal to another stage of its pipeline.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, stage, by, lost_reason, lost_note))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn move_deal<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    stage: i64,
    by: &str,
    lost_reason: Option<i64>,
    lost_note: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let mut change = StageMove::to(StageId(stage), by).lost_note(lost_note);
    change.lost_reason = lost_reason.map(LostReasonId);
    let d = crm.run(py, |c| c.move_deal(DealId(id), version, &change))?;
    deal_to_py(py, &d)
}

/// Moves an open deal to its pipeline's won stage.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, by))]
fn mark_won<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| c.mark_won(DealId(id), version, by))?;
    deal_to_py(py, &d)
}

/// Moves an open deal to its pipeline's lost stage for `reason`.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, reason, note, by))]
fn mark_lost<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    reason: Option<i64>,
    note: &str,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| {
        c.mark_lost(DealId(id), version, reason.map(LostReasonId), note, by)
    })?;
    deal_to_py(py, &d)
}

/// Reopens a won or lost deal.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, stage, by))]
fn reopen_deal<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    stage: Option<i64>,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| {
        c.reopen_deal(DealId(id), version, stage.map(StageId), by)
    })?;
    deal_to_py(py, &d)
}

/// Moves an open deal to another pipeline.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, pipeline, stage, by))]
fn change_deal_pipeline<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    pipeline: i64,
    stage: Option<i64>,
    by: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = crm.run(py, |c| {
        c.change_deal_pipeline(
            DealId(id),
            version,
            PipelineId(pipeline),
            stage.map(StageId),
            by,
        )
    })?;
    deal_to_py(py, &d)
}

/// A deal's stage history, oldest first.
#[pyfunction]
fn deal_history<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyList>> {
    let rows = crm.run(py, |c| c.deal_history(DealId(id)))?;
    list_of(py, &rows, change_to_py)
}

/// One page of deals matching the filters: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, *, pipeline, stage, owner, customer, status, cursor, limit))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn list_deals<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: Option<i64>,
    stage: Option<i64>,
    owner: Option<String>,
    customer: Option<i64>,
    status: Option<&str>,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let mut filter = DealFilter::all();
    filter.pipeline = pipeline.map(PipelineId);
    filter.stage = stage.map(StageId);
    filter.owner = owner;
    filter.customer = customer.map(CustomerId);
    filter.status = status
        .map(|s| StageKind::parse(s, "status"))
        .transpose()
        .map_err(|e| to_py(py, &e))?;
    let page = crm.run(py, |c| {
        c.list_deals(&filter, cursor.as_deref(), page_limit(limit))
    })?;
    Ok((list_of(py, &page.items, deal_to_py)?, page.next))
}

/// One page of stale open deals as of `now` (default: the clock's now): `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, *, pipeline, cursor, limit, now=None))]
fn stale_deals<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: Option<i64>,
    cursor: Option<String>,
    limit: i64,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let now = now.map(|n| timestamp_from_py(n, "now")).transpose()?;
    let page = crm.run(py, |c| {
        let pipeline = pipeline.map(PipelineId);
        match now {
            Some(now) => c.stale_deals_at(pipeline, now, cursor.as_deref(), page_limit(limit)),
            None => c.stale_deals(pipeline, cursor.as_deref(), page_limit(limit)),
        }
    })?;
    Ok((list_of(py, &page.items, deal_to_py)?, page.next))
}

/// The weighted forecast of open deals grouped by `pipeline`, `owner` or `month`.
#[pyfunction]
#[pyo3(signature = (crm, by, *, pipeline))]
fn forecast<'py>(
    py: Python<'py>,
    crm: &Crm,
    by: &str,
    pipeline: Option<i64>,
) -> PyResult<Bound<'py, PyList>> {
    let by = ForecastBy::parse(by).map_err(|e| to_py(py, &e))?;
    let rows = crm.run(py, |c| c.forecast(by, pipeline.map(PipelineId)))?;
    list_of(py, &rows, forecast_to_py)
}

/// The funnel of a pipeline.
#[pyfunction]
fn funnel<'py>(py: Python<'py>, crm: &Crm, pipeline: i64) -> PyResult<Bound<'py, PyList>> {
    let rows = crm.run(py, |c| c.funnel(PipelineId(pipeline)))?;
    list_of(py, &rows, step_to_py)
}

/// The win rate of closed deals.
#[pyfunction]
#[pyo3(signature = (crm, *, pipeline))]
fn win_rate<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let r: WinRate = crm.run(py, |c| c.win_rate(pipeline.map(PipelineId)))?;
    let d = PyDict::new(py);
    d.set_item("won", r.won)?;
    d.set_item("lost", r.lost)?;
    d.set_item("rate_bp", r.rate_bp)?;
    Ok(d)
}

/// Average and median time in each stage of a pipeline.
#[pyfunction]
fn time_in_stage<'py>(py: Python<'py>, crm: &Crm, pipeline: i64) -> PyResult<Bound<'py, PyList>> {
    let rows = crm.run(py, |c| c.time_in_stage(PipelineId(pipeline)))?;
    list_of(py, &rows, stage_time_to_py)
}

/// Lost deals by reason and the stage they were lost at.
#[pyfunction]
#[pyo3(signature = (crm, *, pipeline))]
fn lost_reasons_report<'py>(
    py: Python<'py>,
    crm: &Crm,
    pipeline: Option<i64>,
) -> PyResult<Bound<'py, PyList>> {
    let rows = crm.run(py, |c| c.lost_reasons_report(pipeline.map(PipelineId)))?;
    list_of(py, &rows, lost_row_to_py)
}

/// A percentage from Python; outside 0..=255 it is rejected here, above 100 by the core.
fn percent(py: Python<'_>, value: i64, field: &str) -> PyResult<u8> {
    u8::try_from(value).map_err(|_| validation(py, field, "must be between 0 and 100"))
}

/// An optional number of days.
fn days(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Option<u32>> {
    if value.is_none() {
        return Ok(None);
    }
    let n: i64 = value
        .extract()
        .map_err(|_| validation(value.py(), field, "must be an int or None"))?;
    u32::try_from(n)
        .map(Some)
        .map_err(|_| validation(value.py(), field, "must be a positive number of days"))
}

fn item<'py>(dict: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(dict.get_item(key)?.filter(|v| !v.is_none()))
}

fn new_stage_from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<NewStage> {
    let py = value.py();
    let dict = value
        .cast::<PyDict>()
        .map_err(|_| validation(py, field, "must be a crmlite.NewStage"))?;
    let name: String = item(dict, "name")?
        .map(|n| n.extract())
        .transpose()
        .map_err(|_| validation(py, &format!("{field}.name"), "must be a string"))?
        .unwrap_or_default();
    let kind: String = item(dict, "kind")?
        .map(|k| k.extract())
        .transpose()?
        .unwrap_or_else(|| "open".to_owned());
    let kind = StageKind::parse(&kind, &format!("{field}.kind")).map_err(|e| to_py(py, &e))?;
    let probability = item(dict, "probability")?
        .map(|p| {
            p.extract::<i64>()
                .map_err(|_| validation(py, &format!("{field}.probability"), "must be an int"))
        })
        .transpose()?
        .map(|p| percent(py, p, &format!("{field}.probability")))
        .transpose()?;
    let rot = match item(dict, "rot_after_days")? {
        Some(v) => days(&v, &format!("{field}.rot_after_days"))?,
        None => None,
    };
    let mut stage = match kind {
        StageKind::Open => NewStage::open(name, probability.unwrap_or(0)),
        StageKind::Won => NewStage::won(name),
        StageKind::Lost => NewStage::lost(name),
    };
    stage.probability = probability.or(stage.probability);
    stage.rot_after_days = rot;
    Ok(stage)
}

fn lines_from_py(list: &Bound<'_, PyList>) -> PyResult<Vec<NewDealLine>> {
    let py = list.py();
    list.iter()
        .enumerate()
        .map(|(i, value)| {
            let field = format!("lines[{i}]");
            let dict = value
                .cast::<PyDict>()
                .map_err(|_| validation(py, &field, "must be a crmlite.DealLineInput"))?;
            let product: String = item(dict, "product")?
                .map(|p| p.extract())
                .transpose()
                .map_err(|_| validation(py, &format!("{field}.product"), "must be a string"))?
                .unwrap_or_default();
            let quantity: i64 = item(dict, "quantity_milli")?
                .ok_or_else(|| validation(py, &format!("{field}.quantity_milli"), "is required"))?
                .extract()
                .map_err(|_| {
                    validation(
                        py,
                        &format!("{field}.quantity_milli"),
                        "must be an int that fits in 64 bits",
                    )
                })?;
            let price = item(dict, "unit_price")?
                .ok_or_else(|| validation(py, &format!("{field}.unit_price"), "is required"))?;
            let price = money_from_py(&price, &format!("{field}.unit_price"))?;
            let discount: i64 = item(dict, "discount_bp")?
                .map(|d| d.extract())
                .transpose()
                .map_err(|_| validation(py, &format!("{field}.discount_bp"), "must be an int"))?
                .unwrap_or(0);
            let discount = u32::try_from(discount).map_err(|_| {
                validation(
                    py,
                    &format!("{field}.discount_bp"),
                    "must be between 0 and 10000",
                )
            })?;
            let mut line = NewDealLine::new(product, quantity, price).discount_bp(discount);
            line.product_code = item(dict, "product_code")?
                .map(|c| c.extract())
                .transpose()
                .map_err(|_| {
                    validation(
                        py,
                        &format!("{field}.product_code"),
                        "must be a string or None",
                    )
                })?;
            Ok(line)
        })
        .collect()
}

fn attributes_from_py(
    dict: &Bound<'_, PyDict>,
) -> PyResult<BTreeMap<String, Option<AttributeValue>>> {
    let mut out = BTreeMap::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| validation(dict.py(), "attributes", "names must be strings"))?;
        let value = if value.is_none() {
            None
        } else {
            Some(crate::convert::attribute_from_py(
                &value,
                &format!("attributes.{key}"),
            )?)
        };
        out.insert(key, value);
    }
    Ok(out)
}

fn optional<T>(
    value: &Bound<'_, PyAny>,
    read: impl FnOnce(&Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Option<T>> {
    if value.is_none() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

fn patch_from_py(dict: &Bound<'_, PyDict>) -> PyResult<DealPatch> {
    let py = dict.py();
    let mut patch = DealPatch::new();
    let text = |v: &Bound<'_, PyAny>, field: &str| -> PyResult<String> {
        v.extract()
            .map_err(|_| validation(py, field, "must be a string"))
    };
    let id = |v: &Bound<'_, PyAny>, field: &str| -> PyResult<i64> {
        v.extract()
            .map_err(|_| validation(py, field, "must be an int"))
    };
    for (key, value) in dict.iter() {
        let key: String = key.extract()?;
        match key.as_str() {
            "title" => patch = patch.title(text(&value, "title")?),
            "owner" => patch = patch.owner(text(&value, "owner")?),
            "source" => patch = patch.source(text(&value, "source")?),
            "customer" => {
                patch = patch.customer(optional(&value, |v| id(v, "customer"))?.map(CustomerId))
            }
            "organisation" => {
                patch =
                    patch.organisation(optional(&value, |v| id(v, "organisation"))?.map(CustomerId))
            }
            "amount" => patch = patch.amount(money_from_py(&value, "amount")?),
            "lines" => {
                let list = value
                    .cast::<PyList>()
                    .map_err(|_| validation(py, "lines", "must be a list"))?;
                patch = patch.lines(lines_from_py(list)?);
            }
            "probability" => {
                let p = optional(&value, |v| id(v, "probability"))?
                    .map(|p| percent(py, p, "probability"))
                    .transpose()?;
                patch = patch.probability(p);
            }
            "expected_close" => {
                patch =
                    patch.expected_close(optional(&value, |v| date_from_py(v, "expected_close"))?)
            }
            "external_code" => {
                patch = patch.external_code(optional(&value, |v| text(v, "external_code"))?)
            }
            "attributes" => {
                let attrs = value.cast::<PyDict>().map_err(|_| {
                    validation(
                        py,
                        "attributes",
                        "must be a dict (a None value removes one attribute)",
                    )
                })?;
                for (k, v) in attributes_from_py(attrs)? {
                    patch = patch.attribute(k, v);
                }
            }
            other => return Err(validation(py, other, "is not a deal field")),
        }
    }
    Ok(patch)
}

fn list_of<'py, T>(
    py: Python<'py>,
    items: &[T],
    convert: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for item in items {
        list.append(convert(py, item)?)?;
    }
    Ok(list)
}

fn stage_to_py<'py>(py: Python<'py>, s: &Stage) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", s.id.get())?;
    d.set_item("pipeline", s.pipeline.get())?;
    d.set_item("name", &s.name)?;
    d.set_item("position", s.position)?;
    d.set_item("probability", s.probability)?;
    d.set_item("kind", s.kind.as_str())?;
    d.set_item("rot_after_days", s.rot_after_days)?;
    d.set_item("retired", s.retired)?;
    Ok(d)
}

fn pipeline_to_py<'py>(py: Python<'py>, p: &Pipeline) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", p.id.get())?;
    d.set_item("name", &p.name)?;
    d.set_item("stages", list_of(py, &p.stages, stage_to_py)?)?;
    d.set_item("created_at", timestamp_to_py(py, p.created_at)?)?;
    Ok(d)
}

fn reason_to_py<'py>(py: Python<'py>, r: &LostReason) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", r.id.get())?;
    d.set_item("name", &r.name)?;
    d.set_item("retired", r.retired)?;
    d.set_item("created_at", timestamp_to_py(py, r.created_at)?)?;
    Ok(d)
}

fn line_to_py<'py>(py: Python<'py>, l: &DealLine) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("product", &l.product)?;
    d.set_item("product_code", &l.product_code)?;
    d.set_item("quantity_milli", l.quantity_milli)?;
    d.set_item("unit_price", money_to_py(py, &l.unit_price)?)?;
    d.set_item("discount_bp", l.discount_bp)?;
    d.set_item("total", money_to_py(py, &l.total)?)?;
    Ok(d)
}

/// A deal as a plain dict; the Python layer turns it into `crmlite.Deal`.
pub(crate) fn deal_to_py<'py>(py: Python<'py>, x: &Deal) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", x.id.get())?;
    d.set_item("pipeline", x.pipeline.get())?;
    d.set_item("stage", x.stage.get())?;
    d.set_item("status", x.status.as_str())?;
    d.set_item("title", &x.title)?;
    d.set_item("customer", x.customer.map(CustomerId::get))?;
    d.set_item("organisation", x.organisation.map(CustomerId::get))?;
    d.set_item("owner", &x.owner)?;
    d.set_item("amount", money_to_py(py, &x.amount)?)?;
    d.set_item("lines", list_of(py, &x.lines, line_to_py)?)?;
    d.set_item("probability_override", x.probability_override)?;
    d.set_item("probability", x.probability)?;
    d.set_item("expected_close", x.expected_close)?;
    d.set_item(
        "closed_at",
        x.closed_at.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    d.set_item("source", &x.source)?;
    d.set_item("lost_reason", x.lost_reason.map(LostReasonId::get))?;
    d.set_item("lost_at_stage", x.lost_at_stage.map(StageId::get))?;
    d.set_item("lost_note", &x.lost_note)?;
    d.set_item("stage_entered_at", timestamp_to_py(py, x.stage_entered_at)?)?;
    let attributes = PyDict::new(py);
    for (key, value) in &x.attributes {
        attributes.set_item(key, attribute_to_py(py, value)?)?;
    }
    d.set_item("attributes", attributes)?;
    d.set_item("external_code", &x.external_code)?;
    d.set_item("version", x.version)?;
    d.set_item("created_at", timestamp_to_py(py, x.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, x.updated_at)?)?;
    Ok(d)
}

fn change_to_py<'py>(py: Python<'py>, c: &DealStageChange) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", c.id.get())?;
    d.set_item("deal", c.deal.get())?;
    d.set_item("from_stage", c.from_stage.map(StageId::get))?;
    d.set_item("to_stage", c.to_stage.get())?;
    d.set_item("by", &c.by)?;
    d.set_item("at", timestamp_to_py(py, c.at)?)?;
    d.set_item("spent_ms", c.spent_ms)?;
    Ok(d)
}

fn forecast_to_py<'py>(py: Python<'py>, r: &ForecastRow) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("group", &r.group)?;
    d.set_item("deals", r.deals)?;
    d.set_item("amount", money_to_py(py, &r.amount)?)?;
    d.set_item("weighted", money_to_py(py, &r.weighted)?)?;
    Ok(d)
}

fn step_to_py<'py>(py: Python<'py>, s: &FunnelStep) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("stage", s.stage.get())?;
    d.set_item("name", &s.name)?;
    d.set_item("kind", s.kind.as_str())?;
    d.set_item("reached", s.reached)?;
    d.set_item("current", s.current)?;
    d.set_item("conversion_bp", s.conversion_bp)?;
    Ok(d)
}

fn stage_time_to_py<'py>(py: Python<'py>, t: &StageTime) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("stage", t.stage.get())?;
    d.set_item("name", &t.name)?;
    d.set_item("stays", t.stays)?;
    d.set_item("average_ms", t.average_ms)?;
    d.set_item("median_ms", t.median_ms)?;
    Ok(d)
}

fn lost_row_to_py<'py>(py: Python<'py>, r: &LostReasonRow) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("reason", r.reason.get())?;
    d.set_item("reason_name", &r.reason_name)?;
    d.set_item("stage", r.stage.get())?;
    d.set_item("stage_name", &r.stage_name)?;
    d.set_item("deals", r.deals)?;
    Ok(d)
}
