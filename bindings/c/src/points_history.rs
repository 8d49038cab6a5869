//! A card's points history: its ledger entries, newest first, stepped with a cursor.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::CardId;
use ::crmlite::loyalty::{EntryKind, LedgerEntry};
use std::ffi::{CString, c_char};

/// Entry kind: points earned (a lot).
pub const CRMLITE_ENTRY_AWARD: i32 = 0;
/// Entry kind: a correction with a reason (a lot if positive); also the points given back
/// when an order paid with points is returned (source kind `refund`).
pub const CRMLITE_ENTRY_ADJUST: i32 = 1;
/// Entry kind: points spent.
pub const CRMLITE_ENTRY_REDEEM: i32 = 2;
/// Entry kind: the unspent rest of a lot whose time came.
pub const CRMLITE_ENTRY_EXPIRE: i32 = 3;
/// Entry kind: points an order earned, taken back on its return.
pub const CRMLITE_ENTRY_REVERSE: i32 = 4;
/// Entry kind: points taken from other lots when a returned order's points were spent.
pub const CRMLITE_ENTRY_CLAWBACK: i32 = 5;

/// The C code of each entry kind; the tests check every kind has one.
const KINDS: [(i32, EntryKind); 6] = [
    (CRMLITE_ENTRY_AWARD, EntryKind::Award),
    (CRMLITE_ENTRY_ADJUST, EntryKind::Adjust),
    (CRMLITE_ENTRY_REDEEM, EntryKind::Redeem),
    (CRMLITE_ENTRY_EXPIRE, EntryKind::Expire),
    (CRMLITE_ENTRY_REVERSE, EntryKind::Reverse),
    (CRMLITE_ENTRY_CLAWBACK, EntryKind::Clawback),
];

fn kind_code(kind: EntryKind) -> Result<i32, FfiError> {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("entry kind {} has no C code", kind.as_str())))
}

/// One ledger entry, read with the `crmlite_points_entry_*` accessors.
pub struct crmlite_points_entry {
    _private: [u8; 0],
}

/// The entries of one history page, stepped with `crmlite_points_cursor_next`.
pub struct crmlite_points_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_points_entry {
    type Target = EntryView;
    const NAME: &'static str = "crmlite_points_entry";
}

impl Handle for crmlite_points_cursor {
    type Target = Rows<EntryView>;
    const NAME: &'static str = "crmlite_points_cursor";
}

/// A ledger entry with C copies of its text.
pub(crate) struct EntryView {
    entry: LedgerEntry,
    kind: i32,
    source_kind: CString,
    source_ref: CString,
    reason: CString,
}

impl EntryView {
    fn new(entry: LedgerEntry) -> Result<Self, FfiError> {
        Ok(Self {
            kind: kind_code(entry.kind)?,
            source_kind: c_string(&entry.source_kind)?,
            source_ref: c_string(&entry.source_ref)?,
            reason: c_string(&entry.reason)?,
            entry,
        })
    }
}

/// Reads one page of at most `limit` (1-1000) ledger entries of `card`, newest first,
/// starting after the page token `page` (NULL for the first page), and writes a cursor to
/// `*cursor_out`.
///
/// Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_points_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_history(
    db: *const crmlite,
    card: i64,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_points_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let page = unsafe { strings::opt_arg(page, "page") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let found = db.points_history(CardId(card), page, limit)?;
        let rows = found
            .items
            .into_iter()
            .map(EntryView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::page(rows, found.next)?));
        Ok(())
    })
}

/// Steps a points cursor: writes the next entry to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_points_history` and is not freed; `row_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_cursor_next(
    cursor: *mut crmlite_points_cursor,
    row_out: *mut *const crmlite_points_entry,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Writes the token of the page after this one to `*token_out`, or NULL on the last page.
/// Pass it to `crmlite_points_history`.
///
/// Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_points_history` and is not freed; `token_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_cursor_next_page(
    cursor: *const crmlite_points_cursor,
    token_out: *mut *mut c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next_page(cursor, token_out) }
}

/// Releases a points cursor and every entry it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_points_history` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_cursor_free(cursor: *mut crmlite_points_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Borrows the entry behind `entry` and writes `read(view)` to `out`.
///
/// # Safety
/// `entry` is NULL or a live cursor row; `out` is NULL or writable.
unsafe fn field<T>(
    entry: *const crmlite_points_entry,
    out: *mut T,
    out_name: &str,
    read: impl FnOnce(&EntryView) -> T,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(entry, "entry", out, out_name, |e| Ok(read(e))) }
}

/// Writes the entry's id (for a lot, also the lot's id) to `*id_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_id(
    entry: *const crmlite_points_entry,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, id_out, "id_out", |e| e.entry.id.get()) }
}

/// Writes the entry's kind (a `CRMLITE_ENTRY_*` code) to `*kind_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `kind_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_kind(
    entry: *const crmlite_points_entry,
    kind_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, kind_out, "kind_out", |e| e.kind) }
}

/// Writes the entry's signed change of the balance (positive for lots) to `*points_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `points_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_points(
    entry: *const crmlite_points_entry,
    points_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, points_out, "points_out", |e| e.entry.points) }
}

/// Writes what caused the entry (`order`, `refund`, `signup`, `manual`, `redemption`,
/// `reward`, `lot`, ...) to `*source_kind_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `source_kind_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_source_kind(
    entry: *const crmlite_points_entry,
    source_kind_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(entry, source_kind_out, "source_kind_out", |e| {
            e.source_kind.as_ptr()
        })
    }
}

/// Writes which one caused it (an order or return id, a year; "" if none) to
/// `*source_ref_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `source_ref_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_source_ref(
    entry: *const crmlite_points_entry,
    source_ref_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(entry, source_ref_out, "source_ref_out", |e| {
            e.source_ref.as_ptr()
        })
    }
}

/// Writes the reason of an adjustment ("" if none) to `*reason_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `reason_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_reason(
    entry: *const crmlite_points_entry,
    reason_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, reason_out, "reason_out", |e| e.reason.as_ptr()) }
}

/// Writes the id of the order the entry relates to, or 0 for none, to `*order_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `order_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_order(
    entry: *const crmlite_points_entry,
    order_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(entry, order_out, "order_out", |e| {
            e.entry.order.map_or(0, |o| o.get())
        })
    }
}

/// Writes when a lot expires (Unix milliseconds, UTC), or 0 when it never does or the entry
/// is not a lot, to `*ms_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_expires_at(
    entry: *const crmlite_points_entry,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(entry, ms_out, "ms_out", |e| {
            e.entry.expires_at.map_or(0, |t| t.millis())
        })
    }
}

/// Writes when the entry was recorded (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_entry_at(
    entry: *const crmlite_points_entry,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, ms_out, "ms_out", |e| e.entry.at.millis()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_kind_has_one_code() {
        for &k in EntryKind::ALL {
            assert!(kind_code(k).is_ok(), "{k:?} has no code");
        }
        assert_eq!(KINDS.len(), EntryKind::ALL.len());
        let mut codes: Vec<i32> = KINDS.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes.len(), KINDS.len());
    }
}
