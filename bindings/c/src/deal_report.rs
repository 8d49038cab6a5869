//! Deals, continued: a deal's stage history, and the win-rate, time-in-stage and lost-reasons
//! reports.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::c_string;
use ::crmlite::deal::DealStageChange;
use ::crmlite::deal::report::{LostReasonRow, StageTime};
use ::crmlite::{DealId, PipelineId};
use std::ffi::{CString, c_char};

/// One row of a deal's stage history.
pub struct crmlite_stage_change {
    _private: [u8; 0],
}

/// A deal's stage history, stepped with `crmlite_stage_change_cursor_next`.
pub struct crmlite_stage_change_cursor {
    _private: [u8; 0],
}

/// How long deals stayed in one stage.
pub struct crmlite_stage_time {
    _private: [u8; 0],
}

/// The rows of a time-in-stage report, stepped with `crmlite_stage_time_cursor_next`.
pub struct crmlite_stage_time_cursor {
    _private: [u8; 0],
}

/// Lost deals for one reason at one stage.
pub struct crmlite_lost_reason_row {
    _private: [u8; 0],
}

/// The rows of a lost-reasons report, stepped with `crmlite_lost_reason_row_cursor_next`.
pub struct crmlite_lost_reason_row_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_stage_change {
    type Target = ChangeView;
    const NAME: &'static str = "crmlite_stage_change";
}

impl Handle for crmlite_stage_change_cursor {
    type Target = Rows<ChangeView>;
    const NAME: &'static str = "crmlite_stage_change_cursor";
}

impl Handle for crmlite_stage_time {
    type Target = TimeView;
    const NAME: &'static str = "crmlite_stage_time";
}

impl Handle for crmlite_stage_time_cursor {
    type Target = Rows<TimeView>;
    const NAME: &'static str = "crmlite_stage_time_cursor";
}

impl Handle for crmlite_lost_reason_row {
    type Target = LostView;
    const NAME: &'static str = "crmlite_lost_reason_row";
}

impl Handle for crmlite_lost_reason_row_cursor {
    type Target = Rows<LostView>;
    const NAME: &'static str = "crmlite_lost_reason_row_cursor";
}

/// A history row with a C copy of who made the move.
pub(crate) struct ChangeView {
    change: DealStageChange,
    by: CString,
}

/// A time-in-stage row with a C copy of the stage name.
pub(crate) struct TimeView {
    time: StageTime,
    name: CString,
}

/// A lost-reasons row with C copies of its names.
pub(crate) struct LostView {
    row: LostReasonRow,
    reason_name: CString,
    stage_name: CString,
}

fn opt_pipeline(pipeline: i64) -> Option<PipelineId> {
    (pipeline != 0).then_some(PipelineId(pipeline))
}

/// Reads the stage history of deal `id`, oldest first, and writes a cursor over it to
/// `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with
/// `crmlite_stage_change_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_deal_history(
    db: *const crmlite,
    id: i64,
    cursor_out: *mut *mut crmlite_stage_change_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .deal_history(DealId(id))?
            .into_iter()
            .map(|change| {
                Ok(ChangeView {
                    by: c_string(&change.by)?,
                    change,
                })
            })
            .collect::<Result<_, FfiError>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a history cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_deal_history` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_change_cursor_next(
    cursor: *mut crmlite_stage_change_cursor,
    row_out: *mut *const crmlite_stage_change,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a history cursor and every row it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_deal_history` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_change_cursor_free(
    cursor: *mut crmlite_stage_change_cursor,
) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes one history row: the stage left (0 when the deal was created) to
/// `*from_stage_out`, the stage entered to `*to_stage_out`, who moved it to `*by_out`, when
/// (milliseconds since the Unix epoch, UTC) to `*at_out`, and the milliseconds spent in the
/// stage left (0 on creation) to `*spent_ms_out`.
/// Ownership: `*by_out` is borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_change_details(
    change: *const crmlite_stage_change,
    from_stage_out: *mut i64,
    to_stage_out: *mut i64,
    by_out: *mut *const c_char,
    at_out: *mut i64,
    spent_ms_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let c = unsafe { handle::borrow(change, "change") }?;
        // SAFETY: the caller promises writable outputs.
        let (from, to, by, at, spent) = unsafe {
            (
                Out::new(from_stage_out, "from_stage_out")?,
                Out::new(to_stage_out, "to_stage_out")?,
                Out::new(by_out, "by_out")?,
                Out::new(at_out, "at_out")?,
                Out::new(spent_ms_out, "spent_ms_out")?,
            )
        };
        from.set(c.change.from_stage.map_or(0, |s| s.get()));
        to.set(c.change.to_stage.get());
        by.set(c.by.as_ptr());
        at.set(c.change.at.0);
        spent.set(c.change.spent_ms);
        Ok(())
    })
}

/// Computes the win rate of deals now closed (in `pipeline`, 0: every pipeline): deals won to
/// `*won_out`, deals lost to `*lost_out`, and won / (won + lost) in basis points, rounded half
/// away from zero (-1 when none is closed), to `*rate_bp_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_win_rate(
    db: *const crmlite,
    pipeline: i64,
    won_out: *mut i64,
    lost_out: *mut i64,
    rate_bp_out: *mut i32,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises writable outputs.
        let (won, lost, rate) = unsafe {
            (
                Out::new(won_out, "won_out")?,
                Out::new(lost_out, "lost_out")?,
                Out::new(rate_bp_out, "rate_bp_out")?,
            )
        };
        let r = db.win_rate(opt_pipeline(pipeline))?;
        won.set(r.won);
        lost.set(r.lost);
        rate.set(r.rate_bp.and_then(|b| i32::try_from(b).ok()).unwrap_or(-1));
        Ok(())
    })
}

/// Computes how long deals stayed in each stage of `pipeline` (completed stays only) and
/// writes a cursor over one row per stage, in order, to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_stage_time_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_time_in_stage(
    db: *const crmlite,
    pipeline: i64,
    cursor_out: *mut *mut crmlite_stage_time_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .time_in_stage(PipelineId(pipeline))?
            .into_iter()
            .map(|time| {
                Ok(TimeView {
                    name: c_string(&time.name)?,
                    time,
                })
            })
            .collect::<Result<_, FfiError>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a time-in-stage cursor: writes the next row to `*row_out` and returns CRMLITE_ROW,
/// or returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_time_in_stage` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_time_cursor_next(
    cursor: *mut crmlite_stage_time_cursor,
    row_out: *mut *const crmlite_stage_time,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a time-in-stage cursor and every row it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_time_in_stage` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_time_cursor_free(cursor: *mut crmlite_stage_time_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes one time-in-stage row: the stage id to `*stage_out`, its name to `*name_out`, the
/// number of completed stays to `*stays_out`, the mean stay in milliseconds (rounded half away
/// from zero, -1 with no stays) to `*average_ms_out` and the median stay (the mean of the
/// middle two for an even count, rounded the same way; -1 with no stays) to `*median_ms_out`.
/// Ownership: `*name_out` is borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_stage_time_details(
    row: *const crmlite_stage_time,
    stage_out: *mut i64,
    name_out: *mut *const c_char,
    stays_out: *mut i64,
    average_ms_out: *mut i64,
    median_ms_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let r = unsafe { handle::borrow(row, "row") }?;
        // SAFETY: the caller promises writable outputs.
        let (stage, name, stays, average, median) = unsafe {
            (
                Out::new(stage_out, "stage_out")?,
                Out::new(name_out, "name_out")?,
                Out::new(stays_out, "stays_out")?,
                Out::new(average_ms_out, "average_ms_out")?,
                Out::new(median_ms_out, "median_ms_out")?,
            )
        };
        stage.set(r.time.stage.get());
        name.set(r.name.as_ptr());
        stays.set(r.time.stays);
        average.set(r.time.average_ms.unwrap_or(-1));
        median.set(r.time.median_ms.unwrap_or(-1));
        Ok(())
    })
}

/// Counts the deals now lost (in `pipeline`, 0: every pipeline) by lost reason and the stage
/// they were lost at, most frequent first, and writes a cursor over the rows to `*cursor_out`.
///
/// Ownership: the caller owns `*cursor_out` and frees it with
/// `crmlite_lost_reason_row_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reasons_report(
    db: *const crmlite,
    pipeline: i64,
    cursor_out: *mut *mut crmlite_lost_reason_row_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .lost_reasons_report(opt_pipeline(pipeline))?
            .into_iter()
            .map(|row| {
                Ok(LostView {
                    reason_name: c_string(&row.reason_name)?,
                    stage_name: c_string(&row.stage_name)?,
                    row,
                })
            })
            .collect::<Result<_, FfiError>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a lost-reasons cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_lost_reasons_report` and is not freed; `row_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_row_cursor_next(
    cursor: *mut crmlite_lost_reason_row_cursor,
    row_out: *mut *const crmlite_lost_reason_row,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a lost-reasons cursor and every row it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_lost_reasons_report` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_row_cursor_free(
    cursor: *mut crmlite_lost_reason_row_cursor,
) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes one lost-reasons row: the reason's id to `*reason_out` and name to
/// `*reason_name_out`, the stage the deals were lost at to `*stage_out` and its name to
/// `*stage_name_out`, and how many deals to `*deals_out`.
/// Ownership: the names are borrowed from the cursor; valid until it is freed.
/// Threads: the row belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `row` is a live cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_lost_reason_row_details(
    row: *const crmlite_lost_reason_row,
    reason_out: *mut i64,
    reason_name_out: *mut *const c_char,
    stage_out: *mut i64,
    stage_name_out: *mut *const c_char,
    deals_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live row.
        let r = unsafe { handle::borrow(row, "row") }?;
        // SAFETY: the caller promises writable outputs.
        let (reason, reason_name, stage, stage_name, deals) = unsafe {
            (
                Out::new(reason_out, "reason_out")?,
                Out::new(reason_name_out, "reason_name_out")?,
                Out::new(stage_out, "stage_out")?,
                Out::new(stage_name_out, "stage_name_out")?,
                Out::new(deals_out, "deals_out")?,
            )
        };
        reason.set(r.row.reason.get());
        reason_name.set(r.reason_name.as_ptr());
        stage.set(r.row.stage.get());
        stage_name.set(r.stage_name.as_ptr());
        deals.set(r.row.deals);
        Ok(())
    })
}
