//! Deals, continued: pipelines and their stages (list, rename, add, change, reorder, retire),
//! the lost-reason list, more draft setters, deal patches, reopening, moving a deal to another
//! pipeline, lookups by code, filtered and stale lists, and the deal accessors not in `deal`.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::deal::{
    CRMLITE_DEAL_LOST, CRMLITE_DEAL_OPEN, CRMLITE_DEAL_WON, DealView, change_deal, crmlite_deal,
    crmlite_deal_cursor, crmlite_deal_draft,
};
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::customer::AttributeValue;
use ::crmlite::deal::{
    DealFilter, DealPatch, LostReason, NewDealLine, NewStage, Pipeline, Stage, StageKind,
    StageMove, StagePatch,
};
use ::crmlite::{
    Currency, CustomerId, DealId, LostReasonId, Money, PipelineId, StageId, Timestamp,
};
use std::ffi::{CString, c_char};

/// Stage kind: open.
pub const CRMLITE_STAGE_OPEN: i32 = 0;
/// Stage kind: won.
pub const CRMLITE_STAGE_WON: i32 = 1;
/// Stage kind: lost.
pub const CRMLITE_STAGE_LOST: i32 = 2;

/// The C code of each stage kind (the tests check every kind has one).
const KINDS: [(i32, StageKind); 3] = [
    (CRMLITE_STAGE_OPEN, StageKind::Open),
    (CRMLITE_STAGE_WON, StageKind::Won),
    (CRMLITE_STAGE_LOST, StageKind::Lost),
];

fn kind_code(kind: StageKind) -> Result<i32, FfiError> {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("stage kind {} has no C code", kind.as_str())))
}

fn kind_of(value: i32, field: &str) -> Result<StageKind, FfiError> {
    KINDS
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, k)| *k)
        .ok_or_else(|| FfiError::validation(field, "must be one of the CRMLITE_STAGE_* kinds"))
}

/// A probability argument: 0..=100, or -1 for none.
fn opt_percent(value: i32, field: &str) -> Result<Option<u8>, FfiError> {
    if value == -1 {
        return Ok(None);
    }
    u8::try_from(value)
        .ok()
        .filter(|p| *p <= 100)
        .map(Some)
        .ok_or_else(|| FfiError::validation(field, "must be between 0 and 100, or -1 for none"))
}

/// A day-count argument: 0 or more, or -1 for none.
fn opt_days(value: i64, field: &str) -> Result<Option<u32>, FfiError> {
    if value == -1 {
        return Ok(None);
    }
    u32::try_from(value)
        .map(Some)
        .map_err(|_| FfiError::validation(field, "must be a number of days, or -1 for none"))
}

fn parse_date(text: &str, field: &str) -> Result<chrono::NaiveDate, FfiError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| FfiError::validation(field, "must be a date YYYY-MM-DD"))
}

/// Changes to a deal's data being put together; create with `crmlite_deal_patch_new`, apply
/// with `crmlite_deal_update`, release with `crmlite_deal_patch_free`.
pub struct crmlite_deal_patch {
    _private: [u8; 0],
}

/// One pipeline (without its stages; read those with `crmlite_pipeline_stages`).
pub struct crmlite_pipeline {
    _private: [u8; 0],
}

/// The pipelines, stepped with `crmlite_pipeline_cursor_next`.
pub struct crmlite_pipeline_cursor {
    _private: [u8; 0],
}

/// One stage of a pipeline.
pub struct crmlite_stage {
    _private: [u8; 0],
}

/// The stages of a pipeline, stepped with `crmlite_stage_cursor_next`.
pub struct crmlite_stage_cursor {
    _private: [u8; 0],
}

/// One entry of the lost-reason list.
pub struct crmlite_lost_reason {
    _private: [u8; 0],
}

/// The lost reasons, stepped with `crmlite_lost_reason_cursor_next`.
pub struct crmlite_lost_reason_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_deal_patch {
    type Target = DealPatch;
    const NAME: &'static str = "crmlite_deal_patch";
}

impl Handle for crmlite_pipeline {
    type Target = PipelineView;
    const NAME: &'static str = "crmlite_pipeline";
}

impl Handle for crmlite_pipeline_cursor {
    type Target = Rows<PipelineView>;
    const NAME: &'static str = "crmlite_pipeline_cursor";
}

impl Handle for crmlite_stage {
    type Target = StageView;
    const NAME: &'static str = "crmlite_stage";
}

impl Handle for crmlite_stage_cursor {
    type Target = Rows<StageView>;
    const NAME: &'static str = "crmlite_stage_cursor";
}

impl Handle for crmlite_lost_reason {
    type Target = ReasonView;
    const NAME: &'static str = "crmlite_lost_reason";
}

impl Handle for crmlite_lost_reason_cursor {
    type Target = Rows<ReasonView>;
    const NAME: &'static str = "crmlite_lost_reason_cursor";
}

/// A pipeline with a C copy of its name.
pub(crate) struct PipelineView {
    pipeline: Pipeline,
    name: CString,
}

impl PipelineView {
    fn new(pipeline: Pipeline) -> Result<Self, FfiError> {
        Ok(Self {
            name: c_string(&pipeline.name)?,
            pipeline,
        })
    }
}

/// A stage with a C copy of its name and its kind's code.
pub(crate) struct StageView {
    stage: Stage,
    kind: i32,
    name: CString,
}

impl StageView {
    fn new(stage: Stage) -> Result<Self, FfiError> {
        Ok(Self {
            kind: kind_code(stage.kind)?,
            name: c_string(&stage.name)?,
            stage,
        })
    }
}

/// A lost reason with a C copy of its name.
pub(crate) struct ReasonView {
    reason: LostReason,
    name: CString,
}

impl ReasonView {
    fn new(reason: LostReason) -> Result<Self, FfiError> {
        Ok(Self {
            name: c_string(&reason.name)?,
            reason,
        })
    }
}

// ---- pipelines and stages ----

/// Reads every pipeline in id order and writes a cursor over them to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_pipeline_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_list(
    db: *const crmlite,
    cursor_out: *mut *mut crmlite_pipeline_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .pipelines()?
            .into_iter()
            .map(PipelineView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a pipeline cursor: writes the next pipeline to `*row_out` and returns CRMLITE_ROW,
/// or returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_pipeline_list` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_cursor_next(
    cursor: *mut crmlite_pipeline_cursor,
    row_out: *mut *const crmlite_pipeline,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a pipeline cursor and every pipeline it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_pipeline_list` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_cursor_free(cursor: *mut crmlite_pipeline_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the pipeline's id to `*id_out`.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `pipeline` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_id(
    pipeline: *const crmlite_pipeline,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(pipeline, "pipeline", id_out, "id_out", |p| {
            Ok(p.pipeline.id.get())
        })
    }
}

/// Writes the pipeline's name to `*name_out`.
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `pipeline` is a live cursor row; `name_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_name(
    pipeline: *const crmlite_pipeline,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(pipeline, "pipeline", name_out, "name_out", |p| {
            Ok(p.name.as_ptr())
        })
    }
}

/// Writes the number of the pipeline's stages (retired ones included) to `*count_out`.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `pipeline` is a live cursor row; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_stage_count(
    pipeline: *const crmlite_pipeline,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(pipeline, "pipeline", count_out, "count_out", |p| {
            Ok(p.pipeline.stages.len())
        })
    }
}

/// Renames pipeline `id` to `name`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_rename(
    db: *const crmlite,
    id: i64,
    name: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        db.rename_pipeline(PipelineId(id), name)?;
        Ok(())
    })
}

/// Reads the stages of `pipeline` in order (retired ones included) and writes a cursor over
/// them to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_stage_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_pipeline_stages(
    db: *const crmlite,
    pipeline: i64,
    cursor_out: *mut *mut crmlite_stage_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .pipeline(PipelineId(pipeline))?
            .stages
            .into_iter()
            .map(StageView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a stage cursor: writes the next stage to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_pipeline_stages` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_cursor_next(
    cursor: *mut crmlite_stage_cursor,
    row_out: *mut *const crmlite_stage,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a stage cursor and every stage it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_pipeline_stages` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_cursor_free(cursor: *mut crmlite_stage_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the stage's id to `*id_out`.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `stage` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_id(
    stage: *const crmlite_stage,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(stage, "stage", id_out, "id_out", |s| Ok(s.stage.id.get())) }
}

/// Writes the stage's name to `*name_out`.
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `stage` is a live cursor row; `name_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_name(
    stage: *const crmlite_stage,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(stage, "stage", name_out, "name_out", |s| {
            Ok(s.name.as_ptr())
        })
    }
}

/// Writes the stage's details: its kind (a `CRMLITE_STAGE_*` code) to `*kind_out`, its default
/// probability in percent to `*probability_out`, its rot threshold in days (-1 for none) to
/// `*rot_after_days_out` and whether it is retired to `*retired_out`.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `stage` is a live cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_details(
    stage: *const crmlite_stage,
    kind_out: *mut i32,
    probability_out: *mut i32,
    rot_after_days_out: *mut i64,
    retired_out: *mut bool,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let s = unsafe { handle::borrow(stage, "stage") }?;
        // SAFETY: the caller promises writable outputs.
        let (kind, probability, rot, retired) = unsafe {
            (
                Out::new(kind_out, "kind_out")?,
                Out::new(probability_out, "probability_out")?,
                Out::new(rot_after_days_out, "rot_after_days_out")?,
                Out::new(retired_out, "retired_out")?,
            )
        };
        kind.set(s.kind);
        probability.set(i32::from(s.stage.probability));
        rot.set(s.stage.rot_after_days.map_or(-1, i64::from));
        retired.set(s.stage.retired);
        Ok(())
    })
}

/// Adds a stage at the end of `pipeline`: `name`, `kind` (a `CRMLITE_STAGE_*` code), default
/// `probability` (0-100, or -1 for the kind's default: 100 won, 0 otherwise) and
/// `rot_after_days` (-1 for none). Writes the new stage's id to `*id_out`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `probability`, `rot_after_days`,
/// or `stage.name` also when the name is taken in the pipeline), CRMLITE_ERR_NOT_FOUND (no
/// such pipeline), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_add(
    db: *const crmlite,
    pipeline: i64,
    name: *const c_char,
    kind: i32,
    probability: i32,
    rot_after_days: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new = NewStage::open(name, 0);
        new.kind = kind_of(kind, "kind")?;
        new.probability = opt_percent(probability, "probability")?;
        new.rot_after_days = opt_days(rot_after_days, "rot_after_days")?;
        out.set(db.add_stage(PipelineId(pipeline), &new)?.id.get());
        Ok(())
    })
}

/// Applies a stage patch, guarded.
///
/// # Safety
/// `db` is NULL or live.
unsafe fn patch_stage(
    db: *const crmlite,
    id: i64,
    make: impl FnOnce() -> Result<StagePatch, FfiError>,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.update_stage(StageId(id), &make()?)?;
        Ok(())
    })
}

/// Renames stage `id` to `name`; its deals and history keep pointing at it.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, also when the name is taken in
/// the pipeline), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_rename(
    db: *const crmlite,
    id: i64,
    name: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        patch_stage(db, id, || {
            // SAFETY: the caller promises a NUL-terminated string.
            let name = strings::arg(name, "name")?;
            Ok(StagePatch::new().name(name))
        })
    }
}

/// Sets the default probability (0-100) of stage `id`; open deals without their own follow it.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_set_probability(
    db: *const crmlite,
    id: i64,
    probability: i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        patch_stage(db, id, || {
            let p = opt_percent(probability, "probability")?
                .ok_or_else(|| FfiError::validation("probability", "must be between 0 and 100"))?;
            Ok(StagePatch::new().probability(p))
        })
    }
}

/// Sets the rot threshold of stage `id` in days, or clears it with -1.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `rot_after_days`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_set_rot_after_days(
    db: *const crmlite,
    id: i64,
    rot_after_days: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        patch_stage(db, id, || {
            Ok(StagePatch::new().rot_after_days(opt_days(rot_after_days, "rot_after_days")?))
        })
    }
}

/// Puts the active stages of `pipeline` in the order of the `count` stage ids in `order`
/// (every active stage once; retired stages keep their place after them).
///
/// Ownership: `order` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `order`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `order` points to `count` ids (or is
/// NULL with a count of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_reorder(
    db: *const crmlite,
    pipeline: i64,
    order: *const i64,
    count: usize,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        let ids: Vec<StageId> = if count == 0 {
            Vec::new()
        } else if order.is_null() {
            return Err(FfiError::Misuse(format!(
                "order must not be NULL when its count is {count}"
            )));
        } else {
            // SAFETY: non-NULL, and the caller promises `count` readable ids.
            unsafe { std::slice::from_raw_parts(order, count) }
                .iter()
                .map(|id| StageId(*id))
                .collect()
        };
        db.reorder_stages(PipelineId(pipeline), &ids)?;
        Ok(())
    })
}

/// Retires stage `id`: its deals and history stay, no deal moves into it again.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_retire(db: *const crmlite, id: i64) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.retire_stage(StageId(id))?;
        Ok(())
    })
}

// ---- lost reasons ----

/// Adds each of the `count` names in `names` to the lost-reason list unless a reason of that
/// name is already there (seeding from a list). All or nothing.
///
/// Ownership: `names` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `names[i]`), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `names` points to `count` NUL-terminated
/// strings (or is NULL with a count of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_seed(
    db: *const crmlite,
    names: *const *const c_char,
    count: usize,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises `count` strings.
        let names = unsafe { strings::arg_list(names, count, "names") }?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        db.seed_lost_reasons(&names)?;
        Ok(())
    })
}

/// Renames lost reason `id` to `name`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_rename(
    db: *const crmlite,
    id: i64,
    name: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        db.rename_lost_reason(LostReasonId(id), name)?;
        Ok(())
    })
}

/// Retires lost reason `id`: it stays on old deals but cannot be chosen again.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_retire(db: *const crmlite, id: i64) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.retire_lost_reason(LostReasonId(id))?;
        Ok(())
    })
}

/// Reads the lost-reason list in id order (retired ones included) and writes a cursor over it
/// to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_lost_reason_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_list(
    db: *const crmlite,
    cursor_out: *mut *mut crmlite_lost_reason_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .lost_reasons()?
            .into_iter()
            .map(ReasonView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a lost-reason cursor: writes the next reason to `*row_out` and returns CRMLITE_ROW,
/// or returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_lost_reason_list` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_cursor_next(
    cursor: *mut crmlite_lost_reason_cursor,
    row_out: *mut *const crmlite_lost_reason,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a lost-reason cursor and every reason it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_lost_reason_list` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_cursor_free(cursor: *mut crmlite_lost_reason_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the reason's id to `*id_out`, its name to `*name_out` and whether it is retired to
/// `*retired_out`.
/// Ownership: `*name_out` is borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `reason` is a live cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_details(
    reason: *const crmlite_lost_reason,
    id_out: *mut i64,
    name_out: *mut *const c_char,
    retired_out: *mut bool,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let r = unsafe { handle::borrow(reason, "reason") }?;
        // SAFETY: the caller promises writable outputs.
        let (id, name, retired) = unsafe {
            (
                Out::new(id_out, "id_out")?,
                Out::new(name_out, "name_out")?,
                Out::new(retired_out, "retired_out")?,
            )
        };
        id.set(r.reason.id.get());
        name.set(r.name.as_ptr());
        retired.set(r.reason.retired);
        Ok(())
    })
}

// ---- more draft setters ----

/// Sets the source or campaign reference (`instagram`, `campaign:12`) of a draft.
///
/// Ownership: `source` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `source`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `source` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_source(
    draft: *mut crmlite_deal_draft,
    source: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.source = strings::arg(source, "source")?.to_owned();
            Ok(())
        })
    }
}

/// Sets the code of a draft in the system of record (unique among deals).
///
/// Ownership: `code` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `code` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_external_code(
    draft: *mut crmlite_deal_draft,
    code: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.external_code = Some(strings::arg(code, "external_code")?.to_owned());
            Ok(())
        })
    }
}

/// Sets the product code of the draft's last added line.
///
/// Ownership: `code` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product_code`) or CRMLITE_ERR_MISUSE
/// (also when the draft has no line yet).
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `code` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_line_product_code(
    draft: *mut crmlite_deal_draft,
    code: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let code = strings::arg(code, "product_code")?.to_owned();
            let line = d
                .lines
                .last_mut()
                .ok_or_else(|| FfiError::Misuse("the draft has no line yet".to_owned()))?;
            line.product_code = Some(code);
            Ok(())
        })
    }
}

/// Sets a text attribute `name` (a-z, 0-9 and _, starting with a letter) on a draft.
///
/// Ownership: `name` and `value` are copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
/// CRMLITE_ERR_MISUSE. Names are checked by `crmlite_deal_add`.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` and `value` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_attribute_text(
    draft: *mut crmlite_deal_draft,
    name: *const c_char,
    value: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let value = AttributeValue::Text(strings::arg(value, "value")?.to_owned());
            d.attributes
                .insert(strings::arg(name, "attribute_name")?.to_owned(), value);
            Ok(())
        })
    }
}

/// Sets a whole-number attribute `name` on a draft.
///
/// Ownership: `name` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_attribute_int(
    draft: *mut crmlite_deal_draft,
    name: *const c_char,
    value: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                AttributeValue::Integer(value),
            );
            Ok(())
        })
    }
}

/// Sets a true/false attribute `name` on a draft.
///
/// Ownership: `name` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_draft_set_attribute_bool(
    draft: *mut crmlite_deal_draft,
    name: *const c_char,
    value: bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                AttributeValue::Boolean(value),
            );
            Ok(())
        })
    }
}

// ---- patches ----

/// Starts an empty deal patch (it changes nothing until a setter is called) and writes it to
/// `*patch_out`.
///
/// Ownership: the caller owns `*patch_out` and frees it with `crmlite_deal_patch_free`.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_new(
    patch_out: *mut *mut crmlite_deal_patch,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(patch_out, "patch_out") }?;
        out.set(handle::into_raw(DealPatch::new()));
        Ok(())
    })
}

/// Releases a deal patch.
///
/// Ownership: takes back ownership of `patch`.
/// Threads: any thread, once no other thread uses the patch.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `patch` is NULL or came from `crmlite_deal_patch_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_free(patch: *mut crmlite_deal_patch) {
    // SAFETY: the caller hands the patch back exactly once.
    unsafe { handle::free(patch) }
}

/// Sets a new title. Checked by `crmlite_deal_update`.
///
/// Ownership: `title` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `title` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_title(
    patch: *mut crmlite_deal_patch,
    title: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.title = Some(strings::arg(title, "title")?.to_owned());
            Ok(())
        })
    }
}

/// Sets the person (`customer`) and the organisation (`organisation`); 0 means none. A deal
/// keeps at least one of them.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_parties(
    patch: *mut crmlite_deal_patch,
    customer: i64,
    organisation: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.customer = Some((customer != 0).then_some(CustomerId(customer)));
            p.organisation = Some((organisation != 0).then_some(CustomerId(organisation)));
            Ok(())
        })
    }
}

/// Sets a new owner ("" for none).
///
/// Ownership: `owner` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `owner`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `owner` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_owner(
    patch: *mut crmlite_deal_patch,
    owner: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.owner = Some(strings::arg(owner, "owner")?.to_owned());
            Ok(())
        })
    }
}

/// Sets a new amount (only for a deal without lines): `minor` units of `currency`.
///
/// Ownership: `currency` is only read.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `currency` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_amount(
    patch: *mut crmlite_deal_patch,
    minor: i64,
    currency: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            let currency = Currency::parse(strings::arg(currency, "currency")?, "currency")?;
            p.amount = Some(Money::new(minor, currency));
            Ok(())
        })
    }
}

/// Adds a line to the patch's new line list: the first call replaces the deal's lines with
/// this one, later calls add to it; the amount becomes their total. Arguments as for
/// `crmlite_deal_draft_add_line`.
///
/// Ownership: `product` and `currency` are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product` or `currency`) or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `product` and `currency` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_add_line(
    patch: *mut crmlite_deal_patch,
    product: *const c_char,
    quantity_milli: i64,
    unit_price_minor: i64,
    currency: *const c_char,
    discount_bp: u32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            let product = strings::arg(product, "product")?;
            let currency = Currency::parse(strings::arg(currency, "currency")?, "currency")?;
            let line = NewDealLine::new(
                product,
                quantity_milli,
                Money::new(unit_price_minor, currency),
            )
            .discount_bp(discount_bp);
            p.lines.get_or_insert_with(Vec::new).push(line);
            Ok(())
        })
    }
}

/// Sets an explicit probability in percent (0-100; an explicit 0 stays 0), or -1 to follow
/// the stage's default again.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_probability(
    patch: *mut crmlite_deal_patch,
    probability: i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.probability = Some(opt_percent(probability, "probability")?);
            Ok(())
        })
    }
}

/// Sets the expected close date (`YYYY-MM-DD`), or clears it with NULL.
///
/// Ownership: `date` is only read.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `expected_close`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `date` is NULL or a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_expected_close(
    patch: *mut crmlite_deal_patch,
    date: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            let date = strings::opt_arg(date, "expected_close")?
                .map(|d| parse_date(d, "expected_close"))
                .transpose()?;
            p.expected_close = Some(date);
            Ok(())
        })
    }
}

/// Sets the source or campaign reference ("" for none).
///
/// Ownership: `source` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `source`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `source` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_source(
    patch: *mut crmlite_deal_patch,
    source: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.source = Some(strings::arg(source, "source")?.to_owned());
            Ok(())
        })
    }
}

/// Sets the external code, or clears it with NULL.
///
/// Ownership: `code` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `code` is NULL or a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_external_code(
    patch: *mut crmlite_deal_patch,
    code: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.external_code = Some(strings::opt_arg(code, "external_code")?.map(str::to_owned));
            Ok(())
        })
    }
}

/// Sets the text attribute `name`. Checked by `crmlite_deal_update`.
///
/// Ownership: `name` and `value` are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` and `value` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_attribute_text(
    patch: *mut crmlite_deal_patch,
    name: *const c_char,
    value: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            let value = AttributeValue::Text(strings::arg(value, "value")?.to_owned());
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(value),
            );
            Ok(())
        })
    }
}

/// Sets the whole-number attribute `name`. Checked by `crmlite_deal_update`.
///
/// Ownership: `name` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_attribute_int(
    patch: *mut crmlite_deal_patch,
    name: *const c_char,
    value: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(AttributeValue::Integer(value)),
            );
            Ok(())
        })
    }
}

/// Sets the true/false attribute `name`. Checked by `crmlite_deal_update`.
///
/// Ownership: `name` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_set_attribute_bool(
    patch: *mut crmlite_deal_patch,
    name: *const c_char,
    value: bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(AttributeValue::Boolean(value)),
            );
            Ok(())
        })
    }
}

/// Removes the attribute `name`, whatever its type. Checked by `crmlite_deal_update`.
///
/// Ownership: `name` is copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_patch_remove_attribute(
    patch: *mut crmlite_deal_patch,
    name: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes
                .insert(strings::arg(name, "attribute_name")?.to_owned(), None);
            Ok(())
        })
    }
}

/// Applies `patch` to deal `id` if it is still at `version` and writes the new version to
/// `*version_out`. Bad input changes nothing.
///
/// Ownership: `patch` is only read; the caller still frees it.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, e.g. `title`, `amount`,
/// `lines[0].quantity_milli`, `attributes.x`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT
/// (stale version, or the code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `patch` is a live patch; `version_out`
/// is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_update(
    db: *const crmlite,
    id: i64,
    version: i64,
    patch: *const crmlite_deal_patch,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises a live patch.
            let patch = handle::borrow(patch, "patch")?;
            Ok(crm.update_deal(DealId(id), version, patch)?)
        })
    }
}

// ---- reopen, change pipeline ----

/// Like `crmlite_deal_move`, with a note on the loss (`lost_note`, "" for none) when `stage`
/// is a lost stage: moves open deal `id`, still at `version`, to `stage` of its pipeline; a
/// lost stage needs `lost_reason` (0 for none). Writes the new version to `*version_out`.
///
/// Ownership: `lost_note` and `by` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`, `lost_reason`, `lost_note` or
/// `by`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `lost_note` and `by` are NUL-terminated
/// strings; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_move_v2(
    db: *const crmlite,
    id: i64,
    version: i64,
    stage: i64,
    lost_reason: i64,
    lost_note: *const c_char,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises NUL-terminated strings.
            let (note, by) = (
                strings::arg(lost_note, "lost_note")?,
                strings::arg(by, "by")?,
            );
            let mut change = StageMove::to(StageId(stage), by).lost_note(note);
            change.lost_reason = (lost_reason != 0).then_some(LostReasonId(lost_reason));
            Ok(crm.move_deal(DealId(id), version, &change)?)
        })
    }
}

/// Reopens won or lost deal `id`, still at `version`, into open `stage` (0: the stage it was
/// lost at, for a won deal the last open stage). Writes the new version to `*version_out`.
///
/// Ownership: `by` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage` or `by`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT (stale version, or the deal is open), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
/// `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_reopen(
    db: *const crmlite,
    id: i64,
    version: i64,
    stage: i64,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises a NUL-terminated string.
            let by = strings::arg(by, "by")?;
            let stage = (stage != 0).then_some(StageId(stage));
            Ok(crm.reopen_deal(DealId(id), version, stage, by)?)
        })
    }
}

/// Moves open deal `id`, still at `version`, to another `pipeline`, into its open `stage`
/// (0: that pipeline's first open stage). Writes the new version to `*version_out`.
///
/// Ownership: `by` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `pipeline`, `stage` or `by`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
/// `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_change_pipeline(
    db: *const crmlite,
    id: i64,
    version: i64,
    pipeline: i64,
    stage: i64,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        change_deal(db, version_out, |crm| {
            // SAFETY: the caller promises a NUL-terminated string.
            let by = strings::arg(by, "by")?;
            let stage = (stage != 0).then_some(StageId(stage));
            Ok(crm.change_deal_pipeline(DealId(id), version, PipelineId(pipeline), stage, by)?)
        })
    }
}

// ---- lookups and lists ----

/// Reads the deal with external code `code` and writes it to `*deal_out`.
///
/// Ownership: `code` is only read. The caller owns `*deal_out` and frees it with
/// `crmlite_deal_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `code`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
/// `deal_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_get_by_code(
    db: *const crmlite,
    code: *const c_char,
    deal_out: *mut *mut crmlite_deal,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let code = unsafe { strings::arg(code, "code") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(deal_out, "deal_out") }?;
        out.set(handle::into_raw(DealView::new(db.deal_by_code(code)?)?));
        Ok(())
    })
}

fn deal_rows(page: ::crmlite::Page<::crmlite::deal::Deal>) -> Result<Rows<DealView>, FfiError> {
    let rows = page
        .items
        .into_iter()
        .map(DealView::new)
        .collect::<Result<_, _>>()?;
    Rows::page(rows, page.next)
}

/// Reads one page of at most `limit` (1-1000) deals in id order matching every given filter:
/// `pipeline`, `stage`, `customer` (as person or organisation; 0: any), `owner` (NULL: any) and
/// `status` (a `CRMLITE_DEAL_*` code, -1: any), starting after the page token `page` (NULL
/// for the first page), and writes a cursor to `*cursor_out`.
///
/// Ownership: `owner` and `page` are only read. The caller owns `*cursor_out` and frees it
/// with `crmlite_deal_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `status`, `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `owner` and `page` are NULL or
/// NUL-terminated strings; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_find(
    db: *const crmlite,
    pipeline: i64,
    stage: i64,
    customer: i64,
    owner: *const c_char,
    status: i32,
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
        filter.stage = (stage != 0).then_some(StageId(stage));
        filter.customer = (customer != 0).then_some(CustomerId(customer));
        filter.owner = owner.map(str::to_owned);
        filter.status = match status {
            -1 => None,
            CRMLITE_DEAL_OPEN => Some(StageKind::Open),
            CRMLITE_DEAL_WON => Some(StageKind::Won),
            CRMLITE_DEAL_LOST => Some(StageKind::Lost),
            _ => {
                return Err(FfiError::validation(
                    "status",
                    "must be one of the CRMLITE_DEAL_* codes or -1",
                ));
            }
        };
        out.set(handle::into_raw(deal_rows(
            db.list_deals(&filter, page, limit)?,
        )?));
        Ok(())
    })
}

/// Reads one page of at most `limit` (1-1000) open deals (of `pipeline`, 0: any) that stayed
/// in their stage longer than its rot threshold as of `now_ms` (milliseconds since the Unix
/// epoch, UTC), in id order, after the page token `page` (NULL for the first page), and writes a cursor to
/// `*cursor_out`.
///
/// Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_deal_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_stale(
    db: *const crmlite,
    pipeline: i64,
    now_ms: i64,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_deal_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let page = unsafe { strings::opt_arg(page, "page") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let pipeline = (pipeline != 0).then_some(PipelineId(pipeline));
        let found = db.stale_deals_at(pipeline, Timestamp(now_ms), page, limit)?;
        out.set(handle::into_raw(deal_rows(found)?));
        Ok(())
    })
}

// ---- more deal accessors ----

/// Writes the deal's person to `*customer_out` and organisation to `*organisation_out`
/// (0 for none).
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; both outputs are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_parties(
    deal: *const crmlite_deal,
    customer_out: *mut i64,
    organisation_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises writable outputs.
        let (customer, organisation) = unsafe {
            (
                Out::new(customer_out, "customer_out")?,
                Out::new(organisation_out, "organisation_out")?,
            )
        };
        customer.set(d.deal.customer.map_or(0, |c| c.get()));
        organisation.set(d.deal.organisation.map_or(0, |c| c.get()));
        Ok(())
    })
}

/// Writes the probability set by hand (an explicit 0 stays 0), or -1 when the deal follows
/// its stage's default, to `*probability_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `probability_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_probability_override(
    deal: *const crmlite_deal,
    probability_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", probability_out, "probability_out", |e| {
            Ok(e.deal.probability_override.map_or(-1, i32::from))
        })
    }
}

/// Writes the expected close date (`YYYY-MM-DD`, NULL for none) to `*date_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `date_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_expected_close(
    deal: *const crmlite_deal,
    date_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", date_out, "date_out", |e| {
            Ok(e.expected_close
                .as_ref()
                .map_or(std::ptr::null(), |d| d.as_ptr()))
        })
    }
}

/// Writes the deal's times in milliseconds since the Unix epoch (UTC): when it was won or
/// lost (0 while open) to `*closed_at_out`, when it entered its current stage to
/// `*stage_entered_at_out`, and when it was created and last changed to `*created_at_out`
/// and `*updated_at_out`.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_times(
    deal: *const crmlite_deal,
    closed_at_out: *mut i64,
    stage_entered_at_out: *mut i64,
    created_at_out: *mut i64,
    updated_at_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises writable outputs.
        let (closed, entered, created, updated) = unsafe {
            (
                Out::new(closed_at_out, "closed_at_out")?,
                Out::new(stage_entered_at_out, "stage_entered_at_out")?,
                Out::new(created_at_out, "created_at_out")?,
                Out::new(updated_at_out, "updated_at_out")?,
            )
        };
        closed.set(d.deal.closed_at.map_or(0, |t| t.0));
        entered.set(d.deal.stage_entered_at.0);
        created.set(d.deal.created_at.0);
        updated.set(d.deal.updated_at.0);
        Ok(())
    })
}

/// Writes the deal's source or campaign reference ("" for none) to `*source_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `source_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_source(
    deal: *const crmlite_deal,
    source_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", source_out, "source_out", |e| {
            Ok(e.source.as_ptr())
        })
    }
}

/// Writes the deal's external code (NULL for none) to `*code_out`.
/// Ownership: borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `code_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_external_code(
    deal: *const crmlite_deal,
    code_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(deal, "deal", code_out, "code_out", |e| {
            Ok(e.external_code
                .as_ref()
                .map_or(std::ptr::null(), |c| c.as_ptr()))
        })
    }
}

/// Writes why a lost deal was lost: the lost reason's id (0 if not lost) to `*reason_out` and
/// the note on the loss ("" for none) to `*note_out`.
/// Ownership: `*note_out` is borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; both outputs are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_lost_reason(
    deal: *const crmlite_deal,
    reason_out: *mut i64,
    note_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises writable outputs.
        let (reason, note) = unsafe {
            (
                Out::new(reason_out, "reason_out")?,
                Out::new(note_out, "note_out")?,
            )
        };
        reason.set(d.deal.lost_reason.map_or(0, |r| r.get()));
        note.set(d.lost_note.as_ptr());
        Ok(())
    })
}

/// Writes the text attribute `name` to `*value_out`, or NULL if the deal has no text
/// attribute of that name.
/// Ownership: `name` is only read; `*value_out` is borrowed from the object.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `name` is a NUL-terminated string; `value_out` is
/// valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_attribute_text(
    deal: *const crmlite_deal,
    name: *const c_char,
    value_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "attribute_name") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(value_out, "value_out") }?;
        out.set(
            d.text_attributes
                .get(name)
                .map_or(std::ptr::null(), |v| v.as_ptr()),
        );
        Ok(())
    })
}

/// Writes whether the deal has a whole-number attribute `name` to `*has_out`, and its value
/// (0 if not) to `*value_out`.
/// Ownership: `name` is only read.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `name` is a NUL-terminated string; both outputs
/// are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_attribute_int(
    deal: *const crmlite_deal,
    name: *const c_char,
    has_out: *mut bool,
    value_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "attribute_name") }?;
        // SAFETY: the caller promises writable outputs.
        let (has, value) = unsafe {
            (
                Out::new(has_out, "has_out")?,
                Out::new(value_out, "value_out")?,
            )
        };
        let found = match d.deal.attributes.get(name) {
            Some(AttributeValue::Integer(v)) => Some(*v),
            _ => None,
        };
        has.set(found.is_some());
        value.set(found.unwrap_or(0));
        Ok(())
    })
}

/// Writes whether the deal has a true/false attribute `name` to `*has_out`, and its value
/// (false if not) to `*value_out`.
/// Ownership: `name` is only read.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `deal` is a live object or cursor row; `name` is a NUL-terminated string; both outputs
/// are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_attribute_bool(
    deal: *const crmlite_deal,
    name: *const c_char,
    has_out: *mut bool,
    value_out: *mut bool,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "attribute_name") }?;
        // SAFETY: the caller promises writable outputs.
        let (has, value) = unsafe {
            (
                Out::new(has_out, "has_out")?,
                Out::new(value_out, "value_out")?,
            )
        };
        let found = match d.deal.attributes.get(name) {
            Some(AttributeValue::Boolean(v)) => Some(*v),
            _ => None,
        };
        has.set(found.is_some());
        value.set(found.unwrap_or(false));
        Ok(())
    })
}

/// Writes line item `index` (0 first) of the deal: its product name to `*product_out`, its
/// product code (NULL for none) to `*product_code_out`, its quantity in thousandths to
/// `*quantity_milli_out`, its unit price in minor units to `*unit_price_minor_out`, its
/// discount in basis points to `*discount_bp_out` and its total in minor units (rounded half
/// away from zero) to `*total_minor_out`. The currency is the deal's.
/// Ownership: the strings are borrowed from the object; valid until it is freed.
/// Threads: the object belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index past the last line).
///
/// # Safety
/// `deal` is a live object or cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_line(
    deal: *const crmlite_deal,
    index: usize,
    product_out: *mut *const c_char,
    product_code_out: *mut *const c_char,
    quantity_milli_out: *mut i64,
    unit_price_minor_out: *mut i64,
    discount_bp_out: *mut u32,
    total_minor_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live deal.
        let d = unsafe { handle::borrow(deal, "deal") }?;
        // SAFETY: the caller promises writable outputs.
        let (product, code, quantity, price, discount, total) = unsafe {
            (
                Out::new(product_out, "product_out")?,
                Out::new(product_code_out, "product_code_out")?,
                Out::new(quantity_milli_out, "quantity_milli_out")?,
                Out::new(unit_price_minor_out, "unit_price_minor_out")?,
                Out::new(discount_bp_out, "discount_bp_out")?,
                Out::new(total_minor_out, "total_minor_out")?,
            )
        };
        let past = || FfiError::Misuse(format!("index {index} is past the last line"));
        let line = d.deal.lines.get(index).ok_or_else(past)?;
        let name = d.line_products.get(index).ok_or_else(past)?;
        let line_code = d.line_codes.get(index).ok_or_else(past)?;
        product.set(name.as_ptr());
        code.set(line_code.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()));
        quantity.set(line.quantity_milli);
        price.set(line.unit_price.minor);
        discount.set(line.discount_bp);
        total.set(line.total.minor);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_code_and_ranges_are_checked() {
        for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            let code = kind_code(kind).ok();
            assert!(code.is_some_and(|c| kind_of(c, "kind").ok() == Some(kind)));
        }
        assert!(kind_of(3, "kind").is_err());
        assert_eq!(opt_percent(-1, "p").ok(), Some(None));
        assert_eq!(opt_percent(0, "p").ok(), Some(Some(0)));
        assert!(opt_percent(101, "p").is_err() && opt_percent(-2, "p").is_err());
        assert_eq!(opt_days(-1, "d").ok(), Some(None));
        assert!(opt_days(-2, "d").is_err());
    }
}
