//! Customer service: complaints with an SLA by severity, NPS answers and the NPS report.
//! Times are Unix milliseconds, UTC; ids of optional links are 0 for none.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::service::{
    Complaint, ComplaintFilter, ComplaintStatus, NewComplaint, NewNpsResponse, Severity,
};
use ::crmlite::{ComplaintId, CustomerId, DealId, EntryId, OrderId, Timestamp};
use std::ffi::{CString, c_char};

/// Severity: answer within 3 days, resolve within 14 days.
pub const CRMLITE_SEVERITY_LOW: i32 = 0;
/// Severity: answer within 1 day, resolve within 7 days.
pub const CRMLITE_SEVERITY_NORMAL: i32 = 1;
/// Severity: answer within 4 hours, resolve within 3 days.
pub const CRMLITE_SEVERITY_HIGH: i32 = 2;
/// Severity: answer within 1 hour, resolve within 1 day.
pub const CRMLITE_SEVERITY_CRITICAL: i32 = 3;

/// Complaint status: received, nobody has started on it.
pub const CRMLITE_COMPLAINT_OPEN: i32 = 0;
/// Complaint status: someone is working on it.
pub const CRMLITE_COMPLAINT_IN_PROGRESS: i32 = 1;
/// Complaint status: a resolution was given.
pub const CRMLITE_COMPLAINT_RESOLVED: i32 = 2;
/// Complaint status: done (until reopened).
pub const CRMLITE_COMPLAINT_CLOSED: i32 = 3;

const SEVERITIES: [(i32, Severity); 4] = [
    (CRMLITE_SEVERITY_LOW, Severity::Low),
    (CRMLITE_SEVERITY_NORMAL, Severity::Normal),
    (CRMLITE_SEVERITY_HIGH, Severity::High),
    (CRMLITE_SEVERITY_CRITICAL, Severity::Critical),
];

const STATUSES: [(i32, ComplaintStatus); 4] = [
    (CRMLITE_COMPLAINT_OPEN, ComplaintStatus::Open),
    (CRMLITE_COMPLAINT_IN_PROGRESS, ComplaintStatus::InProgress),
    (CRMLITE_COMPLAINT_RESOLVED, ComplaintStatus::Resolved),
    (CRMLITE_COMPLAINT_CLOSED, ComplaintStatus::Closed),
];

fn from_code<T: Copy>(
    table: &[(i32, T)],
    value: i32,
    field: &str,
    codes: &str,
) -> Result<T, FfiError> {
    table
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| FfiError::validation(field, &format!("must be one of the {codes} codes")))
}

fn to_code<T: PartialEq>(table: &[(i32, T)], value: &T, what: &str) -> Result<i32, FfiError> {
    table
        .iter()
        .find(|(_, v)| v == value)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("{what} has no C code")))
}

/// An id argument where 0 means none.
fn link<T>(id: i64, make: fn(i64) -> T) -> Option<T> {
    (id != 0).then(|| make(id))
}

/// A complaint read from the database, read with the `crmlite_complaint_*` accessors.
pub struct crmlite_complaint {
    _private: [u8; 0],
}

/// The complaints of one page, stepped with `crmlite_complaint_cursor_next`.
pub struct crmlite_complaint_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_complaint {
    type Target = ComplaintView;
    const NAME: &'static str = "crmlite_complaint";
}

impl Handle for crmlite_complaint_cursor {
    type Target = Rows<ComplaintView>;
    const NAME: &'static str = "crmlite_complaint_cursor";
}

/// A complaint with C copies of its text and codes.
pub(crate) struct ComplaintView {
    complaint: Complaint,
    status: i32,
    severity: i32,
    subject: CString,
    assignee: CString,
    resolution: CString,
}

impl ComplaintView {
    fn new(complaint: Complaint) -> Result<Self, FfiError> {
        Ok(Self {
            status: to_code(&STATUSES, &complaint.status, "complaint status")?,
            severity: to_code(&SEVERITIES, &complaint.severity, "severity")?,
            subject: c_string(&complaint.subject)?,
            assignee: c_string(&complaint.assignee)?,
            resolution: c_string(&complaint.resolution)?,
            complaint,
        })
    }
}

/// An NPS report: counts per category and per score, and the score.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct crmlite_nps_figures {
    /// Number of answers.
    pub responses: i64,
    /// Answers scoring 9 or 10.
    pub promoters: i64,
    /// Answers scoring 7 or 8.
    pub passives: i64,
    /// Answers scoring 0 to 6.
    pub detractors: i64,
    /// Answers per score: `by_score[s]` counts the answers scoring `s`.
    pub by_score: [i64; 11],
    /// 1 when there are answers and `nps` holds the score, 0 otherwise.
    pub has_nps: i32,
    /// %promoters - %detractors, rounded half away from zero.
    pub nps: i64,
}

/// Opens a complaint of `customer` with a `severity` (a `CRMLITE_SEVERITY_*` code) whose
/// deadlines come from its SLA, and writes its id to `*id_out`. `deal`, `order` and
/// `category_entry` (a directory entry) are 0 for none; the strings other than `subject` may
/// be NULL for empty. It goes on the customer's timeline and fires `complaint_opened`
/// triggers in the same transaction.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `customer`, `severity`, `subject`,
/// `description`, `channel`, `category`, `category_entry`, `deal`, `order`, `assignee` or
/// `by`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `subject` is a NUL-terminated string,
/// the other strings NULL or NUL-terminated; `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // one flat call is simplest from C
pub unsafe extern "C" fn crmlite_complaint_open(
    db: *const crmlite,
    customer: i64,
    severity: i32,
    subject: *const c_char,
    description: *const c_char,
    channel: *const c_char,
    category: *const c_char,
    category_entry: i64,
    deal: i64,
    order: i64,
    assignee: *const c_char,
    by: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (all but subject may be NULL).
        let (subject, description, channel, category, assignee, by) = unsafe {
            (
                strings::arg(subject, "subject")?,
                strings::opt_arg(description, "description")?.unwrap_or_default(),
                strings::opt_arg(channel, "channel")?.unwrap_or_default(),
                strings::opt_arg(category, "category")?.unwrap_or_default(),
                strings::opt_arg(assignee, "assignee")?.unwrap_or_default(),
                strings::opt_arg(by, "by")?.unwrap_or_default(),
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new = NewComplaint::new(CustomerId(customer), subject)
            .severity(from_code(
                &SEVERITIES,
                severity,
                "severity",
                "CRMLITE_SEVERITY_*",
            )?)
            .description(description)
            .channel(channel)
            .category(category)
            .assignee(assignee)
            .by(by);
        new.category_entry = link(category_entry, EntryId);
        new.deal = link(deal, DealId);
        new.order = link(order, OrderId);
        out.set(db.open_complaint(&new)?.id.get());
        Ok(())
    })
}

/// Reads complaint `id` and writes it to `*complaint_out`.
///
/// Ownership: the caller owns `*complaint_out` and frees it with `crmlite_complaint_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `complaint_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_get(
    db: *const crmlite,
    id: i64,
    complaint_out: *mut *mut crmlite_complaint,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(complaint_out, "complaint_out") }?;
        out.set(handle::into_raw(ComplaintView::new(
            db.complaint(ComplaintId(id))?,
        )?));
        Ok(())
    })
}

/// Releases a complaint read with `crmlite_complaint_get`.
///
/// Ownership: takes back ownership of `complaint`.
/// Threads: any thread, once no other thread uses it.
/// Calling with NULL is fine. Do not call twice. Never pass a cursor row.
///
/// # Safety
/// `complaint` is NULL or came from `crmlite_complaint_get` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_free(complaint: *mut crmlite_complaint) {
    // SAFETY: the caller hands the complaint back exactly once.
    unsafe { handle::free(complaint) }
}

/// Hands complaint `id`, still at `version`, to `assignee` ("" unassigns) and writes its new
/// version to `*version_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `assignee` or `by`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the complaint is closed),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `assignee` is a NUL-terminated string;
/// `by` is NULL or one; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_assign(
    db: *const crmlite,
    id: i64,
    version: i64,
    assignee: *const c_char,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (by may be NULL).
        let (assignee, by) = unsafe {
            (
                strings::arg(assignee, "assignee")?,
                strings::opt_arg(by, "by")?.unwrap_or_default(),
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(version_out, "version_out") }?;
        out.set(
            db.assign_complaint(ComplaintId(id), version, assignee, by)?
                .version,
        );
        Ok(())
    })
}

/// Moves complaint `id`, still at `version`, to status `to` (a `CRMLITE_COMPLAINT_*` code):
/// open -> in progress, open or in progress -> resolved (`note` is the resolution and is
/// required), resolved -> closed, resolved or closed -> open (a reopen). Writes the new
/// version to `*version_out`. Resolving fires `complaint_resolved` triggers.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `to`, `resolution`, `note` or `by`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version or a move the lifecycle does
/// not allow), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `note` and `by` are NULL or
/// NUL-terminated strings; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_move(
    db: *const crmlite,
    id: i64,
    version: i64,
    to: i32,
    note: *const c_char,
    by: *const c_char,
    version_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or NUL-terminated strings.
        let (note, by) = unsafe {
            (
                strings::opt_arg(note, "note")?.unwrap_or_default(),
                strings::opt_arg(by, "by")?.unwrap_or_default(),
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(version_out, "version_out") }?;
        let to = from_code(&STATUSES, to, "to", "CRMLITE_COMPLAINT_*")?;
        out.set(
            db.move_complaint(ComplaintId(id), version, to, note, by)?
                .version,
        );
        Ok(())
    })
}

/// Reads one page of at most `limit` (1-1000) complaints in id order, of `status` (a
/// `CRMLITE_COMPLAINT_*` code, or -1 for any), `assignee` (NULL for any) and `customer` (0
/// for any), after the page token `page` (NULL for the first page); writes a cursor to
/// `*cursor_out`.
///
/// Ownership: the strings are only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_complaint_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `status`, `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `assignee` and `page` are NULL or
/// NUL-terminated strings; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_list(
    db: *const crmlite,
    status: i32,
    assignee: *const c_char,
    customer: i64,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_complaint_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or NUL-terminated strings.
        let (assignee, page) = unsafe {
            (
                strings::opt_arg(assignee, "assignee")?,
                strings::opt_arg(page, "page")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let mut filter = ComplaintFilter::all();
        if status != -1 {
            filter.status = Some(from_code(
                &STATUSES,
                status,
                "status",
                "CRMLITE_COMPLAINT_* (or -1)",
            )?);
        }
        filter.assignee = assignee.map(str::to_owned);
        filter.customer = link(customer, CustomerId);
        let found = db.list_complaints(&filter, page, limit)?;
        out.set(handle::into_raw(rows(found)?));
        Ok(())
    })
}

/// Reads one page of at most `limit` (1-1000) open or in-progress complaints that missed
/// their response or resolution deadline as of the database's clock, in id order, after the
/// page token `page` (NULL for the first page); writes a cursor to `*cursor_out`.
///
/// Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_complaint_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_overdue(
    db: *const crmlite,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_complaint_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let page = unsafe { strings::opt_arg(page, "page") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let found = db.overdue_complaints(page, limit)?;
        out.set(handle::into_raw(rows(found)?));
        Ok(())
    })
}

fn rows(found: ::crmlite::Page<Complaint>) -> Result<Rows<ComplaintView>, FfiError> {
    let items = found
        .items
        .into_iter()
        .map(ComplaintView::new)
        .collect::<Result<_, _>>()?;
    Rows::page(items, found.next)
}

/// Steps a complaint cursor: writes the next complaint to `*row_out` and returns
/// CRMLITE_ROW, or returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_complaint_list` or `crmlite_complaint_overdue` and is not
/// freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_cursor_next(
    cursor: *mut crmlite_complaint_cursor,
    row_out: *mut *const crmlite_complaint,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Writes the token of the page after this one to `*token_out`, or NULL on the last page.
///
/// Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` is a live complaint cursor; `token_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_cursor_next_page(
    cursor: *const crmlite_complaint_cursor,
    token_out: *mut *mut c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next_page(cursor, token_out) }
}

/// Releases a complaint cursor and every complaint it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or a complaint cursor that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_cursor_free(cursor: *mut crmlite_complaint_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the complaint's id to `*id_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_id(
    complaint: *const crmlite_complaint,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", id_out, "id_out", |c| {
            Ok(c.complaint.id.get())
        })
    }
}

/// Writes the complaint's version (pass it to the next change) to `*version_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_version(
    complaint: *const crmlite_complaint,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", version_out, "version_out", |c| {
            Ok(c.complaint.version)
        })
    }
}

/// Writes the id of the customer who complained to `*customer_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `customer_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_customer(
    complaint: *const crmlite_complaint,
    customer_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", customer_out, "customer_out", |c| {
            Ok(c.complaint.customer.get())
        })
    }
}

/// Writes the complaint's status (a `CRMLITE_COMPLAINT_*` code) to `*status_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `status_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_status(
    complaint: *const crmlite_complaint,
    status_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", status_out, "status_out", |c| {
            Ok(c.status)
        })
    }
}

/// Writes the complaint's severity (a `CRMLITE_SEVERITY_*` code) to `*severity_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `severity_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_severity(
    complaint: *const crmlite_complaint,
    severity_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", severity_out, "severity_out", |c| {
            Ok(c.severity)
        })
    }
}

/// Writes the complaint's subject to `*subject_out`.
///
/// Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `subject_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_subject(
    complaint: *const crmlite_complaint,
    subject_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", subject_out, "subject_out", |c| {
            Ok(c.subject.as_ptr())
        })
    }
}

/// Writes who handles the complaint ("" for nobody) to `*assignee_out`.
///
/// Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `assignee_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_assignee(
    complaint: *const crmlite_complaint,
    assignee_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(complaint, "complaint", assignee_out, "assignee_out", |c| {
            Ok(c.assignee.as_ptr())
        })
    }
}

/// Writes the complaint's resolution note ("" until resolved) to `*resolution_out`.
///
/// Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; `resolution_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_resolution(
    complaint: *const crmlite_complaint,
    resolution_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(
            complaint,
            "complaint",
            resolution_out,
            "resolution_out",
            |c| Ok(c.resolution.as_ptr()),
        )
    }
}

/// Writes the complaint's response and resolution deadlines (Unix milliseconds, UTC) to
/// `*response_due_out` and `*resolution_due_out`.
///
/// Threads: the complaint belongs to its owner's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `complaint` is live; both outputs are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_complaint_due(
    complaint: *const crmlite_complaint,
    response_due_out: *mut i64,
    resolution_due_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live complaint.
        let c = unsafe { handle::borrow(complaint, "complaint") }?;
        // SAFETY: the caller promises writable outputs.
        let (response, resolution) = unsafe {
            (
                Out::new(response_due_out, "response_due_out")?,
                Out::new(resolution_due_out, "resolution_due_out")?,
            )
        };
        response.set(c.complaint.response_due.millis());
        resolution.set(c.complaint.resolution_due.millis());
        Ok(())
    })
}

/// Records an NPS answer of `customer` with `score` (0-10), a `comment` and a `survey` (a
/// survey or campaign reference; a customer answers a named survey once), answered at
/// `at_ms` (Unix milliseconds, UTC; 0 for the database's now). Writes its id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `score`, `customer`, `comment` or
/// `survey`), CRMLITE_ERR_CONFLICT (the survey was answered), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `comment` and `survey` are NULL or
/// NUL-terminated strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_nps_record(
    db: *const crmlite,
    customer: i64,
    score: i64,
    comment: *const c_char,
    survey: *const c_char,
    at_ms: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or NUL-terminated strings.
        let (comment, survey) = unsafe {
            (
                strings::opt_arg(comment, "comment")?.unwrap_or_default(),
                strings::opt_arg(survey, "survey")?.unwrap_or_default(),
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new = NewNpsResponse::new(CustomerId(customer), score)
            .comment(comment)
            .survey(survey);
        if at_ms != 0 {
            new = new.at(Timestamp(at_ms));
        }
        out.set(db.record_nps(&new)?.id.get());
        Ok(())
    })
}

/// Computes NPS over answers with `from_ms <= at < until_ms` (of `survey`, or every survey
/// when NULL) and writes it to `*report_out`.
///
/// Ownership: `survey` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `until`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `survey` is NULL or a NUL-terminated
/// string; `report_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_nps_report(
    db: *const crmlite,
    from_ms: i64,
    until_ms: i64,
    survey: *const c_char,
    report_out: *mut crmlite_nps_figures,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let survey = unsafe { strings::opt_arg(survey, "survey") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(report_out, "report_out") }?;
        let r = db.nps_report(Timestamp(from_ms), Timestamp(until_ms), survey)?;
        let mut by_score = [0i64; 11];
        for (slot, n) in by_score.iter_mut().zip(&r.by_score) {
            *slot = *n;
        }
        out.set(crmlite_nps_figures {
            responses: r.responses,
            promoters: r.promoters,
            passives: r.passives,
            detractors: r.detractors,
            by_score,
            has_nps: i32::from(r.nps.is_some()),
            nps: r.nps.unwrap_or(0),
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_severity_has_a_code() {
        for s in ComplaintStatus::ALL {
            assert!(to_code(&STATUSES, s, "s").is_ok());
        }
        for s in Severity::ALL {
            assert!(to_code(&SEVERITIES, s, "s").is_ok());
        }
    }
}
