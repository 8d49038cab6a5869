//! Deals: pipelines seeded from a stage list, lost reasons, deal drafts, moves, lists and
//! the forecast and funnel reports.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::customer::AttributeValue;
use ::crmlite::deal::report::{ForecastBy, ForecastRow, FunnelStep};
use ::crmlite::deal::{
    Deal, DealFilter, NewDeal, NewDealLine, NewPipeline, StageKind, StageMove, parse_stage_list,
};
use ::crmlite::{Currency, CustomerId, DealId, LostReasonId, Money, PipelineId, StageId};
use std::collections::BTreeMap;
use std::ffi::{CString, c_char};

/// Deal status: still being worked on.
pub const CRMLITE_DEAL_OPEN: i32 = 0;
/// Deal status: won.
pub const CRMLITE_DEAL_WON: i32 = 1;
/// Deal status: lost.
pub const CRMLITE_DEAL_LOST: i32 = 2;

/// Forecast grouping: one row per pipeline.
pub const CRMLITE_FORECAST_PIPELINE: i32 = 0;
/// Forecast grouping: one row per owner.
pub const CRMLITE_FORECAST_OWNER: i32 = 1;
/// Forecast grouping: one row per expected close month.
pub const CRMLITE_FORECAST_MONTH: i32 = 2;

/// The C code of each deal status (the tests check every status has one).
const STATUSES: [(i32, StageKind); 3] = [
    (CRMLITE_DEAL_OPEN, StageKind::Open),
    (CRMLITE_DEAL_WON, StageKind::Won),
    (CRMLITE_DEAL_LOST, StageKind::Lost),
];

/// The C code of each forecast grouping.
const GROUPINGS: [(i32, ForecastBy); 3] = [
    (CRMLITE_FORECAST_PIPELINE, ForecastBy::Pipeline),
    (CRMLITE_FORECAST_OWNER, ForecastBy::Owner),
    (CRMLITE_FORECAST_MONTH, ForecastBy::CloseMonth),
];

pub(crate) fn status_code(kind: StageKind) -> Result<i32, FfiError> {
    STATUSES
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("deal status {} has no C code", kind.as_str())))
}

fn grouping(value: i32) -> Result<ForecastBy, FfiError> {
    GROUPINGS
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, g)| *g)
        .ok_or_else(|| {
            FfiError::validation("by", "must be one of the CRMLITE_FORECAST_* groupings")
        })
}

/// A deal being written, filled with the `crmlite_deal_draft_*` setters.
pub struct crmlite_deal_draft {
    _private: [u8; 0],
}

/// A deal read from the database, read with the `crmlite_deal_*` accessors.
pub struct crmlite_deal {
    _private: [u8; 0],
}

/// The deals of one page, stepped with `crmlite_deal_cursor_next`.
pub struct crmlite_deal_cursor {
    _private: [u8; 0],
}

/// One row of the weighted forecast.
pub struct crmlite_forecast_row {
    _private: [u8; 0],
}

/// The rows of a forecast, stepped with `crmlite_forecast_cursor_next`.
pub struct crmlite_forecast_cursor {
    _private: [u8; 0],
}

/// One stage of a funnel.
pub struct crmlite_funnel_step {
    _private: [u8; 0],
}

/// The steps of a funnel, stepped with `crmlite_funnel_cursor_next`.
pub struct crmlite_funnel_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_deal_draft {
    type Target = NewDeal;
    const NAME: &'static str = "crmlite_deal_draft";
}

impl Handle for crmlite_deal {
    type Target = DealView;
    const NAME: &'static str = "crmlite_deal";
}

impl Handle for crmlite_deal_cursor {
    type Target = Rows<DealView>;
    const NAME: &'static str = "crmlite_deal_cursor";
}

impl Handle for crmlite_forecast_row {
    type Target = ForecastView;
    const NAME: &'static str = "crmlite_forecast_row";
}

impl Handle for crmlite_forecast_cursor {
    type Target = Rows<ForecastView>;
    const NAME: &'static str = "crmlite_forecast_cursor";
}

impl Handle for crmlite_funnel_step {
    type Target = StepView;
    const NAME: &'static str = "crmlite_funnel_step";
}

impl Handle for crmlite_funnel_cursor {
    type Target = Rows<StepView>;
    const NAME: &'static str = "crmlite_funnel_cursor";
}

/// A deal with C copies of its text.
pub(crate) struct DealView {
    pub(crate) deal: Deal,
    status: i32,
    title: CString,
    owner: CString,
    pub(crate) currency: CString,
    pub(crate) source: CString,
    pub(crate) lost_note: CString,
    pub(crate) external_code: Option<CString>,
    pub(crate) expected_close: Option<CString>,
    pub(crate) text_attributes: BTreeMap<String, CString>,
    pub(crate) line_products: Vec<CString>,
    pub(crate) line_codes: Vec<Option<CString>>,
}

impl DealView {
    pub(crate) fn new(deal: Deal) -> Result<Self, FfiError> {
        let mut text_attributes = BTreeMap::new();
        for (key, value) in &deal.attributes {
            if let AttributeValue::Text(text) = value {
                text_attributes.insert(key.clone(), c_string(text)?);
            }
        }
        Ok(Self {
            status: status_code(deal.status)?,
            title: c_string(&deal.title)?,
            owner: c_string(&deal.owner)?,
            currency: c_string(deal.amount.currency.code())?,
            source: c_string(&deal.source)?,
            lost_note: c_string(&deal.lost_note)?,
            external_code: deal.external_code.as_deref().map(c_string).transpose()?,
            expected_close: deal
                .expected_close
                .map(|d| c_string(&d.format("%Y-%m-%d").to_string()))
                .transpose()?,
            text_attributes,
            line_products: deal
                .lines
                .iter()
                .map(|l| c_string(&l.product))
                .collect::<Result<_, _>>()?,
            line_codes: deal
                .lines
                .iter()
                .map(|l| l.product_code.as_deref().map(c_string).transpose())
                .collect::<Result<_, _>>()?,
            deal,
        })
    }
}

/// A forecast row with C copies of its text.
pub(crate) struct ForecastView {
    row: ForecastRow,
    group: CString,
    currency: CString,
}

impl ForecastView {
    fn new(row: ForecastRow) -> Result<Self, FfiError> {
        Ok(Self {
            group: c_string(&row.group)?,
            currency: c_string(row.amount.currency.code())?,
            row,
        })
    }
}

/// A funnel step with a C copy of its stage name.
pub(crate) struct StepView {
    step: FunnelStep,
    name: CString,
}

impl StepView {
    fn new(step: FunnelStep) -> Result<Self, FfiError> {
        Ok(Self {
            name: c_string(&step.name)?,
            step,
        })
    }
}

/// Adds a pipeline named `name` with its stages given as text, one stage a line:
/// `name | probability | kind | rot days` (kind `open`, `won` or `lost`; only the name is
/// required; `#` starts a comment). Writes the new pipeline's id to `*id_out`.
///
/// Ownership: `name` and `stages` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, `stages` or `stages[i].*`),
/// CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` and `stages` are NUL-terminated
/// strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_add(
    db: *const crmlite,
    name: *const c_char,
    stages: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (name, stages) =
            unsafe { (strings::arg(name, "name")?, strings::arg(stages, "stages")?) };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let new = NewPipeline::new(name, parse_stage_list(stages)?);
        out.set(db.add_pipeline(&new)?.id.get());
        Ok(())
    })
}

/// Writes the id of the stage at `index` (0 first, in the pipeline's order) to `*stage_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE (also for an index past the last stage).
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `stage_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_stage_id(
    db: *const crmlite,
    pipeline: i64,
    index: usize,
    stage_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(stage_out, "stage_out") }?;
        let p = db.pipeline(PipelineId(pipeline))?;
        let stage = p
            .stages
            .get(index)
            .ok_or_else(|| FfiError::Misuse(format!("index {index} is past the last stage")))?;
        out.set(stage.id.get());
        Ok(())
    })
}

/// Adds a lost reason named `name` to the reference list and writes its id to `*id_out`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_CONFLICT (the name
/// is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_add(
    db: *const crmlite,
    name: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        out.set(db.add_lost_reason(name)?.id.get());
        Ok(())
    })
}

/// Starts a new deal titled `title` in `pipeline` and writes the draft to `*draft_out`.
/// Nothing is checked beyond the arguments until `crmlite_deal_add`.
///
/// Ownership: `title` is copied. The caller owns `*draft_out` and frees it with
/// `crmlite_deal_draft_free`.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `title` is a NUL-terminated string; `draft_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_new(
    pipeline: i64,
    title: *const c_char,
    draft_out: *mut *mut crmlite_deal_draft,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a NUL-terminated string.
        let title = unsafe { strings::arg(title, "title") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(draft_out, "draft_out") }?;
        out.set(handle::into_raw(NewDeal::new(PipelineId(pipeline), title)));
        Ok(())
    })
}

/// Sets the person (`customer`) and the organisation (`organisation`) of a draft; 0 means
/// none. A deal needs at least one of them.
///
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_parties(
    draft: *mut crmlite_deal_draft,
    customer: i64,
    organisation: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.customer = (customer != 0).then_some(CustomerId(customer));
            d.organisation = (organisation != 0).then_some(CustomerId(organisation));
            Ok(())
        })
    }
}

/// Sets the open stage a draft starts in (0: the pipeline's first open stage).
///
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_stage(
    draft: *mut crmlite_deal_draft,
    stage: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.stage = (stage != 0).then_some(StageId(stage));
            Ok(())
        })
    }
}

/// Sets the owner of a draft and who creates it (`by`, recorded in the stage history).
///
/// Ownership: `owner` and `by` are copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `owner` or `by`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `owner` and `by` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_owner(
    draft: *mut crmlite_deal_draft,
    owner: *const c_char,
    by: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.owner = strings::arg(owner, "owner")?.to_owned();
            d.by = strings::arg(by, "by")?.to_owned();
            Ok(())
        })
    }
}

/// Sets the amount of a draft without lines: `minor` units of `currency` (ISO 4217).
///
/// Ownership: `currency` is only read.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `currency` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_amount(
    draft: *mut crmlite_deal_draft,
    minor: i64,
    currency: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let currency = Currency::parse(strings::arg(currency, "currency")?, "currency")?;
            d.amount = Some(Money::new(minor, currency));
            Ok(())
        })
    }
}

/// Adds a line item to a draft: `quantity_milli` thousandths of a unit of `product` at
/// `unit_price_minor` minor units of `currency`, with `discount_bp` basis points off. The
/// deal's amount becomes the total of its lines.
///
/// Ownership: `product` and `currency` are copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product` or `currency`) or
/// CRMLITE_ERR_MISUSE. Quantities, prices and discounts are checked by `crmlite_deal_add`.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `product` and `currency`
/// are NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_add_line(
    draft: *mut crmlite_deal_draft,
    product: *const c_char,
    quantity_milli: i64,
    unit_price_minor: i64,
    currency: *const c_char,
    discount_bp: u32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let product = strings::arg(product, "product")?;
            let currency = Currency::parse(strings::arg(currency, "currency")?, "currency")?;
            d.lines.push(
                NewDealLine::new(
                    product,
                    quantity_milli,
                    Money::new(unit_price_minor, currency),
                )
                .discount_bp(discount_bp),
            );
            Ok(())
        })
    }
}

/// Sets an explicit probability in percent (0-100; an explicit 0 stays 0), or -1 to follow
/// the stage's default.
///
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_probability(
    draft: *mut crmlite_deal_draft,
    percent: i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.probability = match percent {
                -1 => None,
                p => Some(u8::try_from(p).map_err(|_| {
                    FfiError::validation("probability", "must be between 0 and 100, or -1")
                })?),
            };
            Ok(())
        })
    }
}

/// Sets the expected close date of a draft (`YYYY-MM-DD`).
///
/// Ownership: `date` is only read.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `expected_close`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `date` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_expected_close(
    draft: *mut crmlite_deal_draft,
    date: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let text = strings::arg(date, "expected_close")?;
            let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| FfiError::validation("expected_close", "must be a date YYYY-MM-DD"))?;
            d.expected_close = Some(date);
            Ok(())
        })
    }
}

/// Releases a draft.
///
/// Ownership: takes back ownership of `draft`.
/// Threads: any thread, once no other thread uses the draft.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `draft` is NULL or came from `crmlite_deal_draft_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_free(draft: *mut crmlite_deal_draft) {
    // SAFETY: the caller hands the draft back exactly once.
    unsafe { handle::free(draft) }
}

/// Checks and stores a draft as a new deal and writes its id to `*id_out`. Bad input
/// changes nothing.
///
/// Ownership: `draft` is only read; the caller still frees it.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, e.g. `pipeline`, `stage`,
/// `probability`, `lines[0].quantity_milli`), CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `draft` is a live draft; `id_out` is
/// valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_add(
    db: *const crmlite,
    draft: *const crmlite_deal_draft,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a live draft.
        let draft = unsafe { handle::borrow(draft, "draft") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        out.set(db.add_deal(draft)?.id.get());
        Ok(())
    })
}

/// Reads the deal with id `id` and writes it to `*deal_out`.
///
/// Ownership: the caller owns `*deal_out` and frees it with `crmlite_deal_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `deal_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_get(
    db: *const crmlite,
    id: i64,
    deal_out: *mut *mut crmlite_deal,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(deal_out, "deal_out") }?;
        out.set(handle::into_raw(DealView::new(db.deal(DealId(id))?)?));
        Ok(())
    })
}

/// Releases a deal read with `crmlite_deal_get`.
///
/// Ownership: takes back ownership of `deal`.
/// Threads: any thread, once no other thread uses the deal.
/// Calling with NULL is fine. Do not call twice. Never pass a cursor row.
///
/// # Safety
/// `deal` is NULL or came from `crmlite_deal_get` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_free(deal: *mut crmlite_deal) {
    // SAFETY: the caller hands the deal back exactly once.
    unsafe { handle::free(deal) }
}

/// Runs a change of deal `id` and writes its new version to `*version_out`.
///
/// # Safety
/// `db` is NULL or live; `version_out` is NULL or writable.
pub(crate) unsafe fn change_deal(
    db: *const crmlite,
    version_out: *mut i64,
    work: impl FnOnce(&::crmlite::Crm) -> Result<Deal, FfiError>,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(version_out, "version_out") }?;
        out.set(work(db)?.version);
        Ok(())
    })
}

/// Moves open deal `id`, still at `version`, to `stage` of its pipeline; a lost stage needs
/// `lost_reason` (0 for none). Writes the deal's new version to `*version_out`.
///
/// Ownership: `by` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`, `lost_reason` or `by`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
/// `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_move(
    db: *const crmlite,
    id: i64,
    version: i64,
    stage: i64,
    lost_reason: i64,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises a NUL-terminated string.
            let by = strings::arg(by, "by")?;
            let mut change = StageMove::to(StageId(stage), by);
            change.lost_reason = (lost_reason != 0).then_some(LostReasonId(lost_reason));
            Ok(crm.move_deal(DealId(id), version, &change)?)
        })
    }
}

/// Marks open deal `id`, still at `version`, as won (probability 100, close time now).
/// Writes the deal's new version to `*version_out`.
///
/// Ownership: `by` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT,
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
/// `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_won(
    db: *const crmlite,
    id: i64,
    version: i64,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises a NUL-terminated string.
            let by = strings::arg(by, "by")?;
            Ok(crm.mark_won(DealId(id), version, by)?)
        })
    }
}

/// Marks open deal `id`, still at `version`, as lost for `reason` (required; 0 is reported as
/// a missing `lost_reason`) with a `note` ("" for none). Writes the new version to
/// `*version_out`.
///
/// Ownership: `note` and `by` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `lost_reason`, `lost_note` or `by`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `note` and `by` are NUL-terminated
/// strings; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_lost(
    db: *const crmlite,
    id: i64,
    version: i64,
    reason: i64,
    note: *const c_char,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises NUL-terminated strings.
            let (note, by) = (strings::arg(note, "note")?, strings::arg(by, "by")?);
            let reason = (reason != 0).then_some(LostReasonId(reason));
            Ok(crm.mark_lost(DealId(id), version, reason, note, by)?)
        })
    }
}

/// Reads one page of at most `limit` (1-1000) deals in id order, of `pipeline` (0: any) and
/// `owner` (NULL: any), starting after the page token `page` (NULL for the first page), and
/// writes a cursor to `*cursor_out`.
///
/// Ownership: `owner` and `page` are only read. The caller owns `*cursor_out` and frees it
/// with `crmlite_deal_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `owner` and `page` are NULL or
/// NUL-terminated strings; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_list(
    db: *const crmlite,
    pipeline: i64,
    owner: *const c_char,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_deal_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or NUL-terminated strings.
        let (owner, page) = unsafe {
            (
                strings::opt_arg(owner, "owner")?,
                strings::opt_arg(page, "page")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let mut filter = DealFilter::all();
        filter.pipeline = (pipeline != 0).then_some(PipelineId(pipeline));
        filter.owner = owner.map(str::to_owned);
        let found = db.list_deals(&filter, page, limit)?;
        let rows = found
            .items
            .into_iter()
            .map(DealView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::page(rows, found.next)?));
        Ok(())
    })
}

/// Steps a deal cursor: writes the next deal to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_deal_list` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_cursor_next(
    cursor: *mut crmlite_deal_cursor,
    row_out: *mut *const crmlite_deal,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Writes the token of the page after this one to `*token_out`, or NULL on the last page.
/// Pass it to `crmlite_deal_list`.
///
/// Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_deal_list` and is not freed; `token_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_cursor_next_page(
    cursor: *const crmlite_deal_cursor,
    token_out: *mut *mut c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next_page(cursor, token_out) }
}

/// Releases a deal cursor and every deal it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_deal_list` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_cursor_free(cursor: *mut crmlite_deal_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Computes the weighted forecast of open deals grouped `by` (a `CRMLITE_FORECAST_*` code),
/// of `pipeline` (0: every pipeline), and writes a cursor over its rows to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_forecast_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `by` or `amount`), CRMLITE_ERR_NOT_FOUND
/// (no such pipeline), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast(
    db: *const crmlite,
    by: i32,
    pipeline: i64,
    cursor_out: *mut *mut crmlite_forecast_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db.forecast(
            grouping(by)?,
            (pipeline != 0).then_some(PipelineId(pipeline)),
        )?;
        let rows = rows
            .into_iter()
            .map(ForecastView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a forecast cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_forecast` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_cursor_next(
    cursor: *mut crmlite_forecast_cursor,
    row_out: *mut *const crmlite_forecast_row,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a forecast cursor and every row it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_forecast` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_cursor_free(cursor: *mut crmlite_forecast_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Computes the funnel of `pipeline` and writes a cursor over its steps (one per stage, in
/// order) to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_funnel_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel(
    db: *const crmlite,
    pipeline: i64,
    cursor_out: *mut *mut crmlite_funnel_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let steps = db.funnel(PipelineId(pipeline))?;
        let steps = steps
            .into_iter()
            .map(StepView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(steps)));
        Ok(())
    })
}

/// Steps a funnel cursor: writes the next step to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_funnel` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_cursor_next(
    cursor: *mut crmlite_funnel_cursor,
    row_out: *mut *const crmlite_funnel_step,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a funnel cursor and every step it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_funnel` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_cursor_free(cursor: *mut crmlite_funnel_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the deal's amount: `minor` units to `*minor_out` and the ISO 4217 code to
/// `*currency_out`.
///
/// Ownership: `*currency_out` is borrowed from the deal; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `minor_out` and `currency_out` are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_amount(
    deal: *const crmlite_deal,
    minor_out: *mut i64,
    currency_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises writable outputs.
        let (minor, currency) = unsafe {
            (
                Out::new(minor_out, "minor_out")?,
                Out::new(currency_out, "currency_out")?,
            )
        };
        minor.set(d.deal.amount.minor);
        currency.set(d.currency.as_ptr());
        Ok(())
    })
}

/// Writes a forecast row's total amount: `minor` units to `*minor_out` and the ISO 4217 code
/// (the weighted amount has the same currency) to `*currency_out`.
///
/// Ownership: `*currency_out` is borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live cursor row; `minor_out` and `currency_out` are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_row_amount(
    row: *const crmlite_forecast_row,
    minor_out: *mut i64,
    currency_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let r = unsafe { handle::borrow(row, "row") }?;
        // SAFETY: the caller promises writable outputs.
        let (minor, currency) = unsafe {
            (
                Out::new(minor_out, "minor_out")?,
                Out::new(currency_out, "currency_out")?,
            )
        };
        minor.set(r.row.amount.minor);
        currency.set(r.currency.as_ptr());
        Ok(())
    })
}

/// Writes the deal's id to `*id_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_id(
    deal: *const crmlite_deal,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(deal, "deal", id_out, "id_out", |e| Ok(e.deal.id.get())) }
}

/// Writes the deal's version (pass it to the next change) to `*version_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_version(
    deal: *const crmlite_deal,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", version_out, "version_out", |e| {
            Ok(e.deal.version)
        })
    }
}

/// Writes the id of the deal's pipeline to `*pipeline_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `pipeline_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_pipeline(
    deal: *const crmlite_deal,
    pipeline_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", pipeline_out, "pipeline_out", |e| {
            Ok(e.deal.pipeline.get())
        })
    }
}

/// Writes the id of the deal's stage (for a lost deal, the lost stage) to `*stage_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `stage_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_stage(
    deal: *const crmlite_deal,
    stage_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", stage_out, "stage_out", |e| {
            Ok(e.deal.stage.get())
        })
    }
}

/// Writes the deal's status (a `CRMLITE_DEAL_*` code) to `*status_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `status_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_status(
    deal: *const crmlite_deal,
    status_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(deal, "deal", status_out, "status_out", |e| Ok(e.status)) }
}

/// Writes the deal's effective probability in percent to `*probability_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `probability_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_probability(
    deal: *const crmlite_deal,
    probability_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", probability_out, "probability_out", |e| {
            Ok(i32::from(e.deal.probability))
        })
    }
}

/// Writes the stage a lost deal was lost at (0 if it is not lost) to `*stage_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `stage_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_lost_at_stage(
    deal: *const crmlite_deal,
    stage_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", stage_out, "stage_out", |e| {
            Ok(e.deal.lost_at_stage.map_or(0, |s| s.get()))
        })
    }
}

/// Writes the number of line items to `*count_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_line_count(
    deal: *const crmlite_deal,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", count_out, "count_out", |e| {
            Ok(e.deal.lines.len())
        })
    }
}

/// Writes the deal's title to `*title_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `title_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_title(
    deal: *const crmlite_deal,
    title_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", title_out, "title_out", |e| {
            Ok(e.title.as_ptr())
        })
    }
}

/// Writes the deal's owner ("" if none) to `*owner_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `owner_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_owner(
    deal: *const crmlite_deal,
    owner_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", owner_out, "owner_out", |e| {
            Ok(e.owner.as_ptr())
        })
    }
}

/// Writes the row's group: a pipeline id, an owner or a `YYYY-MM` month ("" for none) to `*group_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live object or cursor row; `group_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_row_group(
    row: *const crmlite_forecast_row,
    group_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(row, "row", group_out, "group_out", |e| Ok(e.group.as_ptr())) }
}

/// Writes the number of open deals in the row to `*deals_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live object or cursor row; `deals_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_row_deals(
    row: *const crmlite_forecast_row,
    deals_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(row, "row", deals_out, "deals_out", |e| Ok(e.row.deals)) }
}

/// Writes the weighted amount in minor units: sum(amount x probability) / 100, rounded once, half away from zero to `*minor_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live object or cursor row; `minor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_forecast_row_weighted(
    row: *const crmlite_forecast_row,
    minor_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(row, "row", minor_out, "minor_out", |e| {
            Ok(e.row.weighted.minor)
        })
    }
}

/// Writes the step's stage id to `*stage_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `step` is a live object or cursor row; `stage_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_step_stage(
    step: *const crmlite_funnel_step,
    stage_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(step, "step", stage_out, "stage_out", |e| {
            Ok(e.step.stage.get())
        })
    }
}

/// Writes the step's stage name to `*name_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `step` is a live object or cursor row; `name_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_step_name(
    step: *const crmlite_funnel_step,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(step, "step", name_out, "name_out", |e| Ok(e.name.as_ptr())) }
}

/// Writes how many deals reached the stage (or a later one) to `*reached_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `step` is a live object or cursor row; `reached_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_step_reached(
    step: *const crmlite_funnel_step,
    reached_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(step, "step", reached_out, "reached_out", |e| {
            Ok(e.step.reached)
        })
    }
}

/// Writes how many deals are in the stage now to `*current_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `step` is a live object or cursor row; `current_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_step_current(
    step: *const crmlite_funnel_step,
    current_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(step, "step", current_out, "current_out", |e| {
            Ok(e.step.current)
        })
    }
}

/// Writes the share that went on to the next open stage in basis points (-1 when none) to `*bp_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `step` is a live object or cursor row; `bp_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_funnel_step_conversion_bp(
    step: *const crmlite_funnel_step,
    bp_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(step, "step", bp_out, "bp_out", |e| {
            Ok(e.step
                .conversion_bp
                .and_then(|b| i32::try_from(b).ok())
                .unwrap_or(-1))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_grouping_has_one_code() {
        for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            assert!(status_code(kind).is_ok(), "{kind:?} has no code");
        }
        for by in [
            ForecastBy::Pipeline,
            ForecastBy::Owner,
            ForecastBy::CloseMonth,
        ] {
            assert!(
                GROUPINGS
                    .iter()
                    .any(|(code, g)| *g == by && grouping(*code).ok() == Some(by))
            );
        }
        assert!(grouping(3).is_err() && grouping(-1).is_err());
    }
}
