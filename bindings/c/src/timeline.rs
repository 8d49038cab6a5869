//! Customer timelines: recording interactions and reading them back, newest first.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::timeline::{InteractionKind, NewTimelineEntry, TimelineEntry};
use ::crmlite::{CustomerId, Timestamp};
use std::ffi::{CString, c_char};

/// Timeline kind: a phone call.
pub const CRMLITE_TIMELINE_CALL: i32 = 0;
/// Timeline kind: an e-mail.
pub const CRMLITE_TIMELINE_EMAIL: i32 = 1;
/// Timeline kind: a text message.
pub const CRMLITE_TIMELINE_SMS: i32 = 2;
/// Timeline kind: a meeting.
pub const CRMLITE_TIMELINE_MEETING: i32 = 3;
/// Timeline kind: a free note by staff.
pub const CRMLITE_TIMELINE_NOTE: i32 = 4;
/// Timeline kind: a visit to a shop or showroom.
pub const CRMLITE_TIMELINE_VISIT: i32 = 5;
/// Timeline kind: a survey answer.
pub const CRMLITE_TIMELINE_SURVEY: i32 = 6;
/// Timeline kind: a purchase or a return.
pub const CRMLITE_TIMELINE_PURCHASE: i32 = 7;
/// Timeline kind: a complaint.
pub const CRMLITE_TIMELINE_COMPLAINT: i32 = 8;
/// Timeline kind: a loyalty event.
pub const CRMLITE_TIMELINE_LOYALTY: i32 = 9;
/// Timeline kind: a deal event.
pub const CRMLITE_TIMELINE_DEAL: i32 = 10;
/// Timeline kind: a change made by the system (created, linked).
pub const CRMLITE_TIMELINE_SYSTEM: i32 = 11;

/// The C code of each interaction kind; a kind the core adds later has no code until it is
/// listed here (the tests check every kind has one).
const KINDS: [(i32, InteractionKind); 12] = [
    (CRMLITE_TIMELINE_CALL, InteractionKind::Call),
    (CRMLITE_TIMELINE_EMAIL, InteractionKind::Email),
    (CRMLITE_TIMELINE_SMS, InteractionKind::Sms),
    (CRMLITE_TIMELINE_MEETING, InteractionKind::Meeting),
    (CRMLITE_TIMELINE_NOTE, InteractionKind::Note),
    (CRMLITE_TIMELINE_VISIT, InteractionKind::Visit),
    (CRMLITE_TIMELINE_SURVEY, InteractionKind::Survey),
    (CRMLITE_TIMELINE_PURCHASE, InteractionKind::Purchase),
    (CRMLITE_TIMELINE_COMPLAINT, InteractionKind::Complaint),
    (CRMLITE_TIMELINE_LOYALTY, InteractionKind::Loyalty),
    (CRMLITE_TIMELINE_DEAL, InteractionKind::Deal),
    (CRMLITE_TIMELINE_SYSTEM, InteractionKind::System),
];

fn kind(value: i32) -> Result<InteractionKind, FfiError> {
    KINDS
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, k)| *k)
        .ok_or_else(|| FfiError::validation("kind", "must be one of the CRMLITE_TIMELINE_* kinds"))
}

fn kind_code(kind: InteractionKind) -> Result<i32, FfiError> {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("timeline kind {} has no C code", kind.as_str())))
}

/// An entry on a customer's timeline, read with the `crmlite_timeline_entry_*` accessors.
pub struct crmlite_timeline_entry {
    _private: [u8; 0],
}

/// The entries of one timeline page, stepped with `crmlite_timeline_cursor_next`.
pub struct crmlite_timeline_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_timeline_entry {
    type Target = EntryView;
    const NAME: &'static str = "crmlite_timeline_entry";
}

impl Handle for crmlite_timeline_cursor {
    type Target = Rows<EntryView>;
    const NAME: &'static str = "crmlite_timeline_cursor";
}

/// A timeline entry with C copies of its text.
pub(crate) struct EntryView {
    entry: TimelineEntry,
    kind: i32,
    summary: CString,
    body: CString,
    author: CString,
    source: CString,
}

impl EntryView {
    fn new(entry: TimelineEntry) -> Result<Self, FfiError> {
        Ok(Self {
            kind: kind_code(entry.kind)?,
            summary: c_string(&entry.summary)?,
            body: c_string(&entry.body)?,
            author: c_string(&entry.author)?,
            source: c_string(&entry.source)?,
            entry,
        })
    }
}

/// Records an interaction of `kind` (a `CRMLITE_TIMELINE_*` code) on the timeline of
/// `customer`, with a one-line `summary` and a `body` ("" for none), at `at_ms` (Unix
/// milliseconds, UTC; 0 means now). Writes the new entry's id to `*id_out`.
///
/// Ownership: `summary` and `body` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `summary` or `body`),
/// CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `summary` and `body` are
/// NUL-terminated strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_add(
    db: *const crmlite,
    customer: i64,
    kind: i32,
    summary: *const c_char,
    body: *const c_char,
    at_ms: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (summary, body) = unsafe {
            (
                strings::arg(summary, "summary")?,
                strings::arg(body, "body")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new =
            NewTimelineEntry::new(CustomerId(customer), self::kind(kind)?, summary).body(body);
        if at_ms != 0 {
            new = new.at(Timestamp(at_ms));
        }
        out.set(db.add_timeline_entry(&new)?.id.get());
        Ok(())
    })
}

/// Reads one page of at most `limit` (1-1000) entries of the timeline of `customer`, newest
/// first, starting after the page token `page` (NULL for the first page), and writes a
/// cursor to `*cursor_out`. An organisation's timeline also holds the entries of the
/// people linked to it.
///
/// Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_timeline_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_list(
    db: *const crmlite,
    customer: i64,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_timeline_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let page = unsafe { strings::opt_arg(page, "page") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let found = db.timeline(CustomerId(customer), page, limit)?;
        let rows = found
            .items
            .into_iter()
            .map(EntryView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::page(rows, found.next)?));
        Ok(())
    })
}

/// Steps a timeline cursor: writes the next entry to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_timeline_list` and is not freed; `row_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_cursor_next(
    cursor: *mut crmlite_timeline_cursor,
    row_out: *mut *const crmlite_timeline_entry,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Writes the token of the page after this one to `*token_out`, or NULL on the last page.
/// Pass it to `crmlite_timeline_list`.
///
/// Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_timeline_list` and is not freed; `token_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_cursor_next_page(
    cursor: *const crmlite_timeline_cursor,
    token_out: *mut *mut c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next_page(cursor, token_out) }
}

/// Releases a timeline cursor and every entry it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_timeline_list` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_cursor_free(cursor: *mut crmlite_timeline_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Borrows the entry behind `entry` and writes `read(view)` to `out`.
///
/// # Safety
/// `entry` is NULL or a live cursor row; `out` is NULL or writable.
unsafe fn field<T>(
    entry: *const crmlite_timeline_entry,
    out: *mut T,
    out_name: &str,
    read: impl FnOnce(&EntryView) -> T,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(entry, "entry", out, out_name, |e| Ok(read(e))) }
}

/// Writes the entry's id to `*id_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_id(
    entry: *const crmlite_timeline_entry,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, id_out, "id_out", |e| e.entry.id.get()) }
}

/// Writes the id of the customer the entry belongs to to `*customer_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `customer_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_customer(
    entry: *const crmlite_timeline_entry,
    customer_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(entry, customer_out, "customer_out", |e| {
            e.entry.customer.get()
        })
    }
}

/// Writes the entry's kind (a `CRMLITE_TIMELINE_*` code) to `*kind_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `kind_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_kind(
    entry: *const crmlite_timeline_entry,
    kind_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, kind_out, "kind_out", |e| e.kind) }
}

/// Writes when the interaction happened (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_at(
    entry: *const crmlite_timeline_entry,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, ms_out, "ms_out", |e| e.entry.at.millis()) }
}

/// Writes the entry's one-line summary to `*summary_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `summary_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_summary(
    entry: *const crmlite_timeline_entry,
    summary_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, summary_out, "summary_out", |e| e.summary.as_ptr()) }
}

/// Writes the entry's body text ("" if none) to `*body_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `body_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_body(
    entry: *const crmlite_timeline_entry,
    body_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, body_out, "body_out", |e| e.body.as_ptr()) }
}

/// Writes who recorded the entry ("" if unknown) to `*author_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `author_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_author(
    entry: *const crmlite_timeline_entry,
    author_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, author_out, "author_out", |e| e.author.as_ptr()) }
}

/// Writes the record the entry comes from (such as `customer:7`, "" if none) to
/// `*source_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the entry belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live cursor row; `source_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_timeline_entry_source(
    entry: *const crmlite_timeline_entry,
    source_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(entry, source_out, "source_out", |e| e.source.as_ptr()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interaction_kind_has_one_code() {
        for &k in InteractionKind::ALL {
            let code = kind_code(k).ok();
            assert!(code.is_some(), "{k:?} has no code");
            assert_eq!(code.and_then(|c| kind(c).ok()), Some(k));
        }
        assert_eq!(KINDS.len(), InteractionKind::ALL.len());
        assert!(kind(12).is_err() && kind(-1).is_err());
    }
}
