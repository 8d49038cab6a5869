//! Automation: templates, tasks and reminders, triggers, the outbox and consent.
//!
//! Template variables cross as a JSON object in a string (`{"order": {"total": 125000}}`);
//! trigger events and actions as the core's tagged JSON (`{"type": "purchase_recorded"}`);
//! times are Unix milliseconds, UTC.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::automation::{
    Channel, Claim, NewConsent, NewMessage, NewTask, NewTemplate, NewTrigger, Purpose, Task,
    TaskStatus, TemplateFormat, TemplateKind, TriggerAction, TriggerEvent,
};
use ::crmlite::{CustomerId, MessageId, ProgramId, RuleId, TaskId, Timestamp};
use std::ffi::{CString, c_char};

/// Template kind: an invoice document.
pub const CRMLITE_TEMPLATE_INVOICE: i32 = 0;
/// Template kind: a letter.
pub const CRMLITE_TEMPLATE_LETTER: i32 = 1;
/// Template kind: a contract.
pub const CRMLITE_TEMPLATE_CONTRACT: i32 = 2;
/// Template kind: a text message.
pub const CRMLITE_TEMPLATE_SMS: i32 = 3;
/// Template kind: the subject line of an e-mail.
pub const CRMLITE_TEMPLATE_EMAIL_SUBJECT: i32 = 4;
/// Template kind: the body of an e-mail.
pub const CRMLITE_TEMPLATE_EMAIL_BODY: i32 = 5;

/// Template format: plain text, nothing is escaped.
pub const CRMLITE_TEMPLATE_FORMAT_TEXT: i32 = 0;
/// Template format: HTML, every inserted value is escaped.
pub const CRMLITE_TEMPLATE_FORMAT_HTML: i32 = 1;

/// Channel: e-mail to the primary address.
pub const CRMLITE_CHANNEL_EMAIL: i32 = 0;
/// Channel: a text message to the primary phone.
pub const CRMLITE_CHANNEL_SMS: i32 = 1;
/// Channel: a phone call (consent only; messages go by e-mail or SMS).
pub const CRMLITE_CHANNEL_PHONE: i32 = 2;
/// Channel: paper mail (consent only).
pub const CRMLITE_CHANNEL_POST: i32 = 3;

/// Purpose: offers and greetings; needs the customer's consent for the channel.
pub const CRMLITE_PURPOSE_MARKETING: i32 = 0;
/// Purpose: reminders and receipts; no marketing consent needed.
pub const CRMLITE_PURPOSE_SERVICE: i32 = 1;

/// Task status: still to do.
pub const CRMLITE_TASK_OPEN: i32 = 0;
/// Task status: done.
pub const CRMLITE_TASK_DONE: i32 = 1;
/// Task status: dropped.
pub const CRMLITE_TASK_CANCELLED: i32 = 2;

const TEMPLATE_KINDS: [(i32, TemplateKind); 6] = [
    (CRMLITE_TEMPLATE_INVOICE, TemplateKind::Invoice),
    (CRMLITE_TEMPLATE_LETTER, TemplateKind::Letter),
    (CRMLITE_TEMPLATE_CONTRACT, TemplateKind::Contract),
    (CRMLITE_TEMPLATE_SMS, TemplateKind::Sms),
    (CRMLITE_TEMPLATE_EMAIL_SUBJECT, TemplateKind::EmailSubject),
    (CRMLITE_TEMPLATE_EMAIL_BODY, TemplateKind::EmailBody),
];

const CHANNELS: [(i32, Channel); 4] = [
    (CRMLITE_CHANNEL_EMAIL, Channel::Email),
    (CRMLITE_CHANNEL_SMS, Channel::Sms),
    (CRMLITE_CHANNEL_PHONE, Channel::Phone),
    (CRMLITE_CHANNEL_POST, Channel::Post),
];

/// Looks `value` up in a table of C codes; an unknown code is a validation error on `field`.
fn parse<T: Copy>(table: &[(i32, T)], value: i32, field: &str, codes: &str) -> Result<T, FfiError> {
    table
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| FfiError::validation(field, &format!("must be one of the {codes} codes")))
}

fn template_format(value: i32) -> Result<TemplateFormat, FfiError> {
    match value {
        CRMLITE_TEMPLATE_FORMAT_TEXT => Ok(TemplateFormat::Text),
        CRMLITE_TEMPLATE_FORMAT_HTML => Ok(TemplateFormat::Html),
        _ => Err(FfiError::validation(
            "format",
            "must be CRMLITE_TEMPLATE_FORMAT_TEXT or CRMLITE_TEMPLATE_FORMAT_HTML",
        )),
    }
}

fn purpose(value: i32) -> Result<Purpose, FfiError> {
    match value {
        CRMLITE_PURPOSE_MARKETING => Ok(Purpose::Marketing),
        CRMLITE_PURPOSE_SERVICE => Ok(Purpose::Service),
        _ => Err(FfiError::validation(
            "purpose",
            "must be CRMLITE_PURPOSE_MARKETING or CRMLITE_PURPOSE_SERVICE",
        )),
    }
}

fn channel_code(channel: Channel) -> Result<i32, FfiError> {
    CHANNELS
        .iter()
        .find(|(_, c)| *c == channel)
        .map(|(code, _)| *code)
        .ok_or_else(|| FfiError::Internal(format!("channel {} has no C code", channel.as_str())))
}

fn task_status_code(status: TaskStatus) -> i32 {
    match status {
        TaskStatus::Open => CRMLITE_TASK_OPEN,
        TaskStatus::Done => CRMLITE_TASK_DONE,
        TaskStatus::Cancelled => CRMLITE_TASK_CANCELLED,
    }
}

/// A customer id where 0 means none.
fn optional_customer(customer: i64) -> Option<CustomerId> {
    (customer != 0).then_some(CustomerId(customer))
}

/// Template variables from JSON text: NULL is no variables; otherwise it must be an object.
fn vars(text: Option<&str>) -> Result<serde_json::Value, FfiError> {
    let Some(text) = text else {
        return Ok(serde_json::Value::Object(serde_json::Map::new()));
    };
    match serde_json::from_str(text) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(_) => Err(FfiError::validation("vars_json", "must be a JSON object")),
        Err(e) => Err(FfiError::validation(
            "vars_json",
            &format!("is not JSON: {e}"),
        )),
    }
}

/// A validation error on `field` for tagged JSON that does not parse.
fn bad_json(field: &str, e: &serde_json::Error) -> FfiError {
    FfiError::validation(
        field,
        &format!(
            "is not a valid trigger {}: {e}",
            field.trim_end_matches("_json")
        ),
    )
}

/// What one `crmlite_run_due` call did.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct crmlite_run_report {
    /// Trigger firings recorded.
    pub fired: u32,
    /// Messages queued in the outbox.
    pub queued: u32,
    /// Tasks created.
    pub tasks: u32,
    /// Tags added or removed.
    pub tags: u32,
    /// Firings that did nothing (no consent, no recipient, a template error).
    pub skipped: u32,
    /// Point awards made.
    pub awards: u32,
}

/// A task or reminder, read with the `crmlite_task_*` accessors.
pub struct crmlite_task {
    _private: [u8; 0],
}

/// The tasks of one query, stepped with `crmlite_task_cursor_next`.
pub struct crmlite_task_cursor {
    _private: [u8; 0],
}

/// A claimed outbox message and its claim token, read with the `crmlite_claim_*` accessors.
pub struct crmlite_claim {
    _private: [u8; 0],
}

/// The messages handed out by one `crmlite_outbox_claim`, stepped with
/// `crmlite_claim_cursor_next`.
pub struct crmlite_claim_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_task {
    type Target = TaskView;
    const NAME: &'static str = "crmlite_task";
}

impl Handle for crmlite_task_cursor {
    type Target = Rows<TaskView>;
    const NAME: &'static str = "crmlite_task_cursor";
}

impl Handle for crmlite_claim {
    type Target = ClaimView;
    const NAME: &'static str = "crmlite_claim";
}

impl Handle for crmlite_claim_cursor {
    type Target = Rows<ClaimView>;
    const NAME: &'static str = "crmlite_claim_cursor";
}

/// A task with C copies of its text.
pub(crate) struct TaskView {
    task: Task,
    title: CString,
    assignee: CString,
    record: CString,
}

impl TaskView {
    fn new(task: Task) -> Result<Self, FfiError> {
        Ok(Self {
            title: c_string(&task.title)?,
            assignee: c_string(&task.assignee)?,
            record: c_string(&task.record)?,
            task,
        })
    }
}

/// A claim with C copies of its text.
pub(crate) struct ClaimView {
    claim: Claim,
    channel: i32,
    token: CString,
    recipient: CString,
    subject: CString,
    body: CString,
}

impl ClaimView {
    fn new(claim: Claim) -> Result<Self, FfiError> {
        Ok(Self {
            channel: channel_code(claim.message.channel)?,
            token: c_string(&claim.token)?,
            recipient: c_string(&claim.message.recipient)?,
            subject: c_string(&claim.message.subject)?,
            body: c_string(&claim.message.body)?,
            claim,
        })
    }
}

/// Stores a template under `code` (1-64 characters of a-z, 0-9, `_`, `-`, `.`), or replaces
/// the one with that code (its version goes up). `kind` is a `CRMLITE_TEMPLATE_*` code,
/// `format` is `CRMLITE_TEMPLATE_FORMAT_TEXT` or `CRMLITE_TEMPLATE_FORMAT_HTML`, and `body`
/// the minijinja source. Writes the template's id to `*id_out`.
///
/// Ownership: `code` and `body` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`, `kind`, `format` or `body`; a
/// `body` that does not compile names the line), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` and `body` are NUL-terminated
/// strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_template_save(
    db: *const crmlite,
    code: *const c_char,
    kind: i32,
    format: i32,
    body: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (code, body) = unsafe { (strings::arg(code, "code")?, strings::arg(body, "body")?) };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let kind = parse(&TEMPLATE_KINDS, kind, "kind", "CRMLITE_TEMPLATE_*")?;
        let new = NewTemplate::new(code, kind, template_format(format)?, body);
        out.set(db.save_template(&new)?.id.get());
        Ok(())
    })
}

/// Renders the template `code` for `customer` (in the customer's language; 0 for no
/// customer) with the extra variables in `vars_json` (a JSON object, or NULL for none), and
/// writes the text to `*text_out`.
///
/// Ownership: `code` and `vars_json` are only read. The caller owns `*text_out` and frees it
/// with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `vars_json`, or
/// `templates.<code>.template` with the line and the cause: an unknown variable, a template
/// that runs out of fuel), CRMLITE_ERR_NOT_FOUND (no such template or customer),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
/// `vars_json` is NULL or one; `text_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_template_render(
    db: *const crmlite,
    code: *const c_char,
    customer: i64,
    vars_json: *const c_char,
    text_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (vars_json may be NULL).
        let (code, vars_json) = unsafe {
            (
                strings::arg(code, "code")?,
                strings::opt_arg(vars_json, "vars_json")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(text_out, "text_out") }?;
        let text = db.render_template(code, optional_customer(customer), &vars(vars_json)?)?;
        out.set(strings::into_raw(c_string(&text)?));
        Ok(())
    })
}

/// Adds a task titled `title`, due at `due_ms`, for `assignee` ("" for nobody), about
/// `customer` (0 for none), repeating by the RRULE `recurrence` (NULL for a one-off, e.g.
/// "FREQ=WEEKLY;BYDAY=MO"). Writes the task's id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`, `assignee`, `customer` or
/// `recurrence`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `title` and `assignee` are
/// NUL-terminated strings; `recurrence` is NULL or one; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_add(
    db: *const crmlite,
    title: *const c_char,
    due_ms: i64,
    assignee: *const c_char,
    customer: i64,
    recurrence: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (recurrence may be NULL).
        let (title, assignee, recurrence) = unsafe {
            (
                strings::arg(title, "title")?,
                strings::arg(assignee, "assignee")?,
                strings::opt_arg(recurrence, "recurrence")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new = NewTask::new(title, Timestamp(due_ms)).assignee(assignee);
        if let Some(c) = optional_customer(customer) {
            new = new.customer(c);
        }
        if let Some(rule) = recurrence {
            new = new.recurrence(rule);
        }
        out.set(db.add_task(&new)?.id.get());
        Ok(())
    })
}

/// Adds a task like `crmlite_task_add`, linked to another record `record` such as
/// "complaint:3" or "deal:17" (a complaint must exist). Writes the task's id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`, `assignee`, `customer`, `record`
/// or `recurrence`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `title`, `assignee` and `record` are
/// NUL-terminated strings; `recurrence` is NULL or one; `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // one flat call is simplest from C
pub unsafe extern "C" fn crmlite_task_add_linked(
    db: *const crmlite,
    title: *const c_char,
    due_ms: i64,
    assignee: *const c_char,
    customer: i64,
    record: *const c_char,
    recurrence: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (recurrence may be NULL).
        let (title, assignee, record, recurrence) = unsafe {
            (
                strings::arg(title, "title")?,
                strings::arg(assignee, "assignee")?,
                strings::arg(record, "record")?,
                strings::opt_arg(recurrence, "recurrence")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let mut new = NewTask::new(title, Timestamp(due_ms))
            .assignee(assignee)
            .record(record);
        if let Some(c) = optional_customer(customer) {
            new = new.customer(c);
        }
        if let Some(rule) = recurrence {
            new = new.recurrence(rule);
        }
        out.set(db.add_task(&new)?.id.get());
        Ok(())
    })
}

/// Marks the open task `id` done and writes the id of the next task of its series to
/// `*next_id_out`, or 0 when it does not repeat (or its rule has ended).
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (the task is not open),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `next_id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_complete(
    db: *const crmlite,
    id: i64,
    next_id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(next_id_out, "next_id_out") }?;
        let done = db.complete_task(TaskId(id))?;
        out.set(done.next.map_or(0, |t| t.id.get()));
        Ok(())
    })
}

/// Reads at most `limit` (1-1000) open tasks due at or before `until_ms`, earliest first,
/// of `assignee` (NULL for everyone), and writes a cursor to `*cursor_out`.
///
/// Ownership: `assignee` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_task_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `limit`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `assignee` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_due(
    db: *const crmlite,
    until_ms: i64,
    assignee: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_task_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let assignee = unsafe { strings::opt_arg(assignee, "assignee") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let tasks = db.due_tasks(Timestamp(until_ms), assignee, limit)?;
        let rows = tasks
            .into_iter()
            .map(TaskView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Steps a task cursor: writes the next task to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_task_due` and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_cursor_next(
    cursor: *mut crmlite_task_cursor,
    row_out: *mut *const crmlite_task,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a task cursor and every task it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_task_due` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_cursor_free(cursor: *mut crmlite_task_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the task's id to `*id_out`.
///
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_id(
    task: *const crmlite_task,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(task, "task", id_out, "id_out", |t| Ok(t.task.id.get())) }
}

/// Writes the task's title to `*title_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `title_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_title(
    task: *const crmlite_task,
    title_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(task, "task", title_out, "title_out", |t| {
            Ok(t.title.as_ptr())
        })
    }
}

/// Writes when the task is due (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_due_at(
    task: *const crmlite_task,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(task, "task", ms_out, "ms_out", |t| Ok(t.task.due.millis())) }
}

/// Writes who should do the task ("" for nobody) to `*assignee_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `assignee_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_assignee(
    task: *const crmlite_task,
    assignee_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(task, "task", assignee_out, "assignee_out", |t| {
            Ok(t.assignee.as_ptr())
        })
    }
}

/// Writes the id of the customer the task is about (0 for none) to `*customer_out`.
///
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `customer_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_customer(
    task: *const crmlite_task,
    customer_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(task, "task", customer_out, "customer_out", |t| {
            Ok(t.task.customer.map_or(0, CustomerId::get))
        })
    }
}

/// Writes the record the task is about ("complaint:3", "deal:17", or "" for none) to
/// `*record_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `record_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_record(
    task: *const crmlite_task,
    record_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(task, "task", record_out, "record_out", |t| {
            Ok(t.record.as_ptr())
        })
    }
}

/// Writes the task's status (a `CRMLITE_TASK_*` code) to `*status_out`.
///
/// Threads: the task belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `task` is a live cursor row; `status_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_task_status(
    task: *const crmlite_task,
    status_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(task, "task", status_out, "status_out", |t| {
            Ok(task_status_code(t.task.status))
        })
    }
}

/// Fires every time trigger due at `now_ms` (birthdays and other dates in each customer's
/// time zone, points about to expire, customers quiet for N days) and writes what happened to `*report_out`. Running it again at the same
/// `now_ms` does nothing.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE. A firing
/// that cannot act (no consent, no recipient) is counted as skipped, not an error.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `report_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_run_due(
    db: *const crmlite,
    now_ms: i64,
    report_out: *mut crmlite_run_report,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(report_out, "report_out") }?;
        let r = db.run_due(Timestamp(now_ms))?;
        out.set(crmlite_run_report {
            fired: r.fired,
            queued: r.queued,
            tasks: r.tasks,
            tags: r.tags,
            skipped: r.skipped,
            awards: r.awards,
        });
        Ok(())
    })
}

/// Adds a trigger under `code`: `event_json` says when it fires and `action_json` what it
/// does, both as tagged JSON objects. Events: `{"type": "customer_created"}`,
/// `{"type": "timeline_entry", "kind": "complaint"}`, `{"type": "date", "field": "birthday",
/// "offset_days": 0, "time_zone": "Asia/Yerevan"}`, `{"type": "purchase_recorded"}`,
/// `{"type": "deal_stage_changed", "to": "won"}` (`to` null for any move),
/// `{"type": "points_milestone", "points": 1000}`, `{"type": "tier_changed"}`,
/// `{"type": "points_expiring", "days_before": 7}` and `{"type": "no_purchase_for", "days": 90}`.
/// Actions: `queue_message` (`channel`, `purpose`, `body_template`, `subject_template`),
/// `create_task` (`title`, `assignee`, `due_in_days`), `add_tag` / `remove_tag` (`tag`) and
/// `award_points` (`program`, `rule` or null for the birthday bonus). Writes the id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `event_json`, `action_json`, `code`,
/// `event.<field>` or `action.<field>`), CRMLITE_ERR_CONFLICT (the code is used),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code`, `event_json` and `action_json`
/// are NUL-terminated strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_trigger_add(
    db: *const crmlite,
    code: *const c_char,
    event_json: *const c_char,
    action_json: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (code, event, action) = unsafe {
            (
                strings::arg(code, "code")?,
                strings::arg(event_json, "event_json")?,
                strings::arg(action_json, "action_json")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let event: TriggerEvent =
            serde_json::from_str(event).map_err(|e| bad_json("event_json", &e))?;
        let action: TriggerAction =
            serde_json::from_str(action).map_err(|e| bad_json("action_json", &e))?;
        out.set(
            db.add_trigger(&NewTrigger::new(code, event, action))?
                .id
                .get(),
        );
        Ok(())
    })
}

/// Adds a trigger `code` that awards points on each customer's birthday (in their time zone,
/// else `time_zone`) on their card in `program`: the bonus earn rule `rule`, or the program's
/// birthday bonus when `rule` is 0. `crmlite_run_due` awards at most once per customer and
/// birthday. Writes the id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`, `event.time_zone`,
/// `action.program` or `action.rule`), CRMLITE_ERR_CONFLICT (the code is used),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` and `time_zone` are
/// NUL-terminated strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_trigger_add_birthday_points(
    db: *const crmlite,
    code: *const c_char,
    time_zone: *const c_char,
    program: i64,
    rule: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (code, zone) = unsafe {
            (
                strings::arg(code, "code")?,
                strings::arg(time_zone, "time_zone")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let action = TriggerAction::AwardPoints {
            program: ProgramId(program),
            rule: (rule != 0).then_some(RuleId(rule)),
        };
        out.set(
            db.add_trigger(&NewTrigger::new(code, TriggerEvent::birthday(zone), action))?
                .id
                .get(),
        );
        Ok(())
    })
}

/// Renders the template `body_template` (and `subject_template` for e-mail, or NULL) for
/// `customer` with the variables in `vars_json` (a JSON object, or NULL) and queues the
/// message on `channel` (`CRMLITE_CHANNEL_EMAIL` or `CRMLITE_CHANNEL_SMS`) for `purpose` (a
/// `CRMLITE_PURPOSE_*` code) to the customer's primary e-mail or phone. A `dedupe_key`
/// (or NULL) queued before gives that message again. Writes the message id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `channel`, `purpose`, `vars_json`,
/// `consent` for marketing without consent, `recipient`, `body_template`, or the template's
/// line), CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_CONFLICT (the dedupe key
/// belongs to another message), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `body_template` is a NUL-terminated
/// string; `subject_template`, `vars_json` and `dedupe_key` are NULL or such strings;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // one flat call keeps C callers free of a draft object
pub unsafe extern "C" fn crmlite_outbox_queue(
    db: *const crmlite,
    customer: i64,
    channel: i32,
    purpose: i32,
    body_template: *const c_char,
    subject_template: *const c_char,
    vars_json: *const c_char,
    dedupe_key: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (all but body_template may be NULL).
        let (body, subject, vars_json, key) = unsafe {
            (
                strings::arg(body_template, "body_template")?,
                strings::opt_arg(subject_template, "subject_template")?,
                strings::opt_arg(vars_json, "vars_json")?,
                strings::opt_arg(dedupe_key, "dedupe_key")?,
            )
        };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        let channel = parse(&CHANNELS, channel, "channel", "CRMLITE_CHANNEL_*")?;
        let mut new = NewMessage::new(CustomerId(customer), channel, self::purpose(purpose)?, body)
            .vars(vars(vars_json)?);
        if let Some(code) = subject {
            new = new.subject_template(code);
        }
        if let Some(key) = key {
            new = new.dedupe_key(key);
        }
        out.set(db.queue_message(&new)?.id.get());
        Ok(())
    })
}

/// Hands out up to `n` (1-1000) deliverable messages under a lease of `lease_ms`
/// milliseconds and writes a cursor of claims to `*cursor_out`. Deliver each, then
/// `crmlite_outbox_ack` or `crmlite_outbox_fail` it with its token; a message not acked
/// before its lease ends is handed out again.
///
/// Ownership: the caller owns `*cursor_out` and frees it with `crmlite_claim_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `limit` or `lease_ms`),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_outbox_claim(
    db: *const crmlite,
    n: u32,
    lease_ms: i64,
    cursor_out: *mut *mut crmlite_claim_cursor,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        let claims = db.claim_messages(n, lease_ms)?;
        let rows = claims
            .into_iter()
            .map(ClaimView::new)
            .collect::<Result<_, _>>()?;
        out.set(handle::into_raw(Rows::new(rows)));
        Ok(())
    })
}

/// Marks the claimed message `id` delivered. Acking again with the same token does nothing.
///
/// Ownership: `token` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (a wrong token or an
/// expired lease; nothing changes), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `token` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_outbox_ack(
    db: *const crmlite,
    id: i64,
    token: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let token = unsafe { strings::arg(token, "token") }?;
        db.ack_message(MessageId(id), token)?;
        Ok(())
    })
}

/// Reports that delivering the claimed message `id` failed with `error` ("" if unknown):
/// it is offered again after `retry_after_ms`, or given up after too many attempts.
///
/// Ownership: `token` and `error` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `retry_after_ms` or `error`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (a wrong token or an expired lease),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `token` and `error` are NUL-terminated
/// strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_outbox_fail(
    db: *const crmlite,
    id: i64,
    token: *const c_char,
    retry_after_ms: i64,
    error: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (token, error) =
            unsafe { (strings::arg(token, "token")?, strings::arg(error, "error")?) };
        db.fail_message(MessageId(id), token, retry_after_ms, error)?;
        Ok(())
    })
}

/// Steps a claim cursor: writes the next claim to `*row_out` and returns CRMLITE_ROW, or
/// returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from `crmlite_outbox_claim` and is not freed; `row_out` is valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_cursor_next(
    cursor: *mut crmlite_claim_cursor,
    row_out: *mut *const crmlite_claim,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Releases a claim cursor and every claim it lent. The messages stay claimed until their
/// lease ends.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from `crmlite_outbox_claim` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_cursor_free(cursor: *mut crmlite_claim_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Writes the claimed message's id to `*id_out`.
///
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_message_id(
    claim: *const crmlite_claim,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", id_out, "id_out", |c| {
            Ok(c.claim.message.id.get())
        })
    }
}

/// Writes the claim token (pass it to `crmlite_outbox_ack` or `crmlite_outbox_fail`) to
/// `*token_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `token_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_token(
    claim: *const crmlite_claim,
    token_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", token_out, "token_out", |c| {
            Ok(c.token.as_ptr())
        })
    }
}

/// Writes the message's channel (`CRMLITE_CHANNEL_EMAIL` or `CRMLITE_CHANNEL_SMS`) to
/// `*channel_out`.
///
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `channel_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_channel(
    claim: *const crmlite_claim,
    channel_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(
            claim,
            "claim",
            channel_out,
            "channel_out",
            |c| Ok(c.channel),
        )
    }
}

/// Writes the recipient (an e-mail address or an E.164 phone number) to `*recipient_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `recipient_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_recipient(
    claim: *const crmlite_claim,
    recipient_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", recipient_out, "recipient_out", |c| {
            Ok(c.recipient.as_ptr())
        })
    }
}

/// Writes the subject line ("" for a text message) to `*subject_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `subject_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_subject(
    claim: *const crmlite_claim,
    subject_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", subject_out, "subject_out", |c| {
            Ok(c.subject.as_ptr())
        })
    }
}

/// Writes the rendered body to `*body_out`.
///
/// Ownership: borrowed from the cursor; valid until it is freed.
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `body_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_body(
    claim: *const crmlite_claim,
    body_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", body_out, "body_out", |c| {
            Ok(c.body.as_ptr())
        })
    }
}

/// Writes how many times the message has been claimed, this claim included, to
/// `*attempts_out`.
///
/// Threads: the claim belongs to its cursor's thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `claim` is a live cursor row; `attempts_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_claim_attempts(
    claim: *const crmlite_claim,
    attempts_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(claim, "claim", attempts_out, "attempts_out", |c| {
            Ok(c.claim.message.attempts)
        })
    }
}

/// Records that `customer` granted (`granted` true) or withdrew consent to be contacted on
/// `channel` (a `CRMLITE_CHANNEL_*` code) for `purpose` (a `CRMLITE_PURPOSE_*` code), given
/// through `source` (such as "till" or "web-form"), agreeing to the consent text
/// `text_version` (required when granting; "" when withdrawing). Withdrawing marketing
/// consent cancels the customer's pending marketing messages on that channel.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `channel`, `purpose`, `source` or
/// `text_version`), CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `source` and `text_version` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_consent_record(
    db: *const crmlite,
    customer: i64,
    channel: i32,
    purpose: i32,
    granted: bool,
    source: *const c_char,
    text_version: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (source, text_version) = unsafe {
            (
                strings::arg(source, "source")?,
                strings::arg(text_version, "text_version")?,
            )
        };
        let channel = parse(&CHANNELS, channel, "channel", "CRMLITE_CHANNEL_*")?;
        let (customer, purpose) = (CustomerId(customer), self::purpose(purpose)?);
        let new = if granted {
            NewConsent::grant(customer, channel, purpose, source, text_version)
        } else {
            NewConsent::withdraw(customer, channel, purpose, source)
        };
        db.record_consent(&new)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_kind_and_channel_has_one_code() {
        for &k in TemplateKind::ALL {
            let code = TEMPLATE_KINDS
                .iter()
                .find(|(_, v)| *v == k)
                .map(|(c, _)| *c);
            assert_eq!(
                code.and_then(|c| parse(&TEMPLATE_KINDS, c, "kind", "").ok()),
                Some(k),
                "{k:?}"
            );
        }
        assert_eq!(TEMPLATE_KINDS.len(), TemplateKind::ALL.len());
        for &c in Channel::ALL {
            let code = channel_code(c).ok();
            assert_eq!(
                code.and_then(|n| parse(&CHANNELS, n, "channel", "").ok()),
                Some(c),
                "{c:?}"
            );
        }
        assert_eq!(CHANNELS.len(), Channel::ALL.len());
        assert!(
            parse(&CHANNELS, 4, "channel", "").is_err()
                && parse(&TEMPLATE_KINDS, -1, "kind", "").is_err()
        );
        assert!(template_format(2).is_err() && purpose(2).is_err());
    }

    #[test]
    fn vars_must_be_a_json_object() {
        assert!(vars(None).is_ok_and(|v| v.is_object()));
        assert!(vars(Some(r#"{"a": [1, "Ա"]}"#)).is_ok());
        for bad in ["[1]", "{", "7"] {
            assert!(
                matches!(vars(Some(bad)), Err(FfiError::Crm(e)) if e.field() == Some("vars_json")),
                "{bad}"
            );
        }
    }
}
