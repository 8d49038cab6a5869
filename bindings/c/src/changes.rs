//! The change feed: every committed change in commit order, for syncing another system.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::c_string;
use ::crmlite::changes::Change;
use std::ffi::{CString, c_char};

/// One entry of the change feed, read with the `crmlite_change_*` accessors.
pub struct crmlite_change {
    _private: [u8; 0],
}

/// A batch of change-feed entries, stepped with `crmlite_change_cursor_next`.
pub struct crmlite_change_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_change {
    type Target = ChangeView;
    const NAME: &'static str = "crmlite_change";
}

impl Handle for crmlite_change_cursor {
    type Target = Rows<ChangeView>;
    const NAME: &'static str = "crmlite_change_cursor";
}

/// A change with C copies of its names.
pub(crate) struct ChangeView {
    change: Change,
    entity: CString,
    op: CString,
}

impl ChangeView {
    fn new(change: Change) -> Result<Self, FfiError> {
        Ok(Self {
            entity: c_string(change.entity.as_str())?,
            op: c_string(change.op.as_str())?,
            change,
        })
    }
}

/// Reads at most `limit` (1-1000) changes committed after `cursor` (0 for the start) and
/// writes a cursor over them to `*cursor_out`. Remember the last `seq` you processed and
/// pass it as `cursor` next time.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_change_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_changes_since(
    db: *const crmlite,
    cursor: i64,
    limit: u32,
    cursor_out: *mut *mut crmlite_change_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let rows = db
            .changes_since(cursor, limit)?
            .into_iter()
            .map(ChangeView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a change cursor: writes the next change to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_changes_since` and is not freed; `row_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_cursor_next(
    cursor: *mut crmlite_change_cursor,
    row_out: *mut *const crmlite_change,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a change cursor and every change it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_changes_since` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_cursor_free(cursor: *mut crmlite_change_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Borrows the change behind `change` and writes `read(view)` to `out`.
///
/// # Safety
/// `change` is NULL or a live cursor row; `out` is NULL or writable.
unsafe fn field<T>(
    change: *const crmlite_change,
    out: *mut T,
    out_name: &str,
    read: impl FnOnce(&ChangeView) -> T,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(change, "change", out, out_name, |c| Ok(read(c))) }
}

/// Writes the change's position in the feed (strictly increasing, no gaps) to `*seq_out`.
///
/// Threads: the change belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; `seq_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_seq(
    change: *const crmlite_change,
    seq_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(change, seq_out, "seq_out", |c| c.change.seq) }
}

/// Writes the kind of record that changed (`customer`, `customer_link`, `timeline_entry`)
/// to `*entity_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the change belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; `entity_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_entity(
    change: *const crmlite_change,
    entity_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(change, entity_out, "entity_out", |c| c.entity.as_ptr()) }
}

/// Writes the id of the record that changed to `*id_out` (for a link, the person's id).
///
/// Threads: the change belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_entity_id(
    change: *const crmlite_change,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(change, id_out, "id_out", |c| c.change.entity_id) }
}

/// Writes what happened (`insert`, `update`, `delete`) to `*op_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the change belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; `op_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_op(
    change: *const crmlite_change,
    op_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(change, op_out, "op_out", |c| c.op.as_ptr()) }
}

/// Writes when the change was committed (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: the change belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `change` is a live cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_change_at(
    change: *const crmlite_change,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(change, ms_out, "ms_out", |c| c.change.at.millis()) }
}
