//! Reference directories for accounting programs: import a file, export a directory, and
//! pull the changes since the program's last run through a named sync consumer.

use crate::boundary::{FfiError, guard};
use crate::db::crmlite;
use crate::handle::Handle;
use crate::handle::{self, Out};
use crate::status::crmlite_status;
use crate::strings::{arg, arg_list, c_string, into_raw, opt_arg};
use ::crmlite::import::{
    ExportOptions, FileFormat, ImportMode, ImportOptions, ImportProgress, TextEncoding, field_text,
};
use ::crmlite::reference::{
    DirectoryKind, Entry, EntryInput, FieldDef, FieldType, NewDirectoryKind, ParseOptions,
    UpsertOutcome, parse_field_text,
};
use ::crmlite::{Currency, EntityKind};
use std::collections::BTreeMap;
use std::ffi::{CString, c_char, c_void};
use std::ops::ControlFlow;

/// Reads `len` bytes at `data`; NULL is allowed only for an empty buffer.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> Result<&'a [u8], FfiError> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(FfiError::Misuse(
            "data must not be NULL when len is not 0".to_owned(),
        ));
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

fn format_of(name: &str) -> Result<FileFormat, FfiError> {
    Ok(FileFormat::parse(name)?)
}

fn delimiter_of(delimiter: c_char) -> Result<u8, FfiError> {
    u8::try_from(delimiter)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| FfiError::validation("delimiter", "must be an ASCII character"))
}

/// Imports a CSV or JSON Lines file held in memory into directory `kind` (`product`,
/// `category`, ... or a user-defined kind), or into `customers` or `organisations`,
/// upserting by external code, or purchase history into `orders` (one row per order line
/// with `receipt`, `customer` (the buyer's external code), `product`, `quantity`,
/// `unit_price`...; a receipt already stored is unchanged), in one transaction. `format` is `csv` or `jsonl`; `encoding`
/// is `utf-8`, `windows-1251`, `windows-1252`, `windows-1253`, `windows-1256` or `armscii-8`;
/// `currency` (may be NULL) is the ISO 4217 code of amounts written without one. With
/// `skip_bad_rows` 0 the first bad row fails the whole import and nothing is written; its
/// field reads `line[N].column` in `crmlite_last_error_field`; an empty file fails on field
/// `file`. The four counts are written
/// to the outputs (`rejected_out` counts skipped rows).
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_NOT_FOUND (unknown kind),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8
/// (`currency` may be NULL); `data` points to `len` readable bytes; the outputs are writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per option
pub unsafe extern "C" fn crmlite_import(
    db: *const crmlite,
    kind: *const c_char,
    data: *const u8,
    len: usize,
    format: *const c_char,
    encoding: *const c_char,
    delimiter: c_char,
    currency: *const c_char,
    skip_bad_rows: i32,
    inserted_out: *mut i64,
    updated_out: *mut i64,
    unchanged_out: *mut i64,
    rejected_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are those of `crmlite_import_with_progress` without a
    // callback.
    unsafe {
        crmlite_import_with_progress(
            db,
            kind,
            data,
            len,
            format,
            encoding,
            delimiter,
            currency,
            skip_bad_rows,
            None,
            std::ptr::null_mut(),
            0,
            inserted_out,
            updated_out,
            unchanged_out,
            rejected_out,
        )
    }
}

/// How far an import has got, as passed to a `crmlite_import_progress_fn`: the file is read
/// first (`bytes_read` of `bytes_total`, `rows_read` rows), then `written` of `to_write`
/// records (rows, or orders for `orders`) are written, all before the commit.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct crmlite_import_progress {
    /// Rows read from the file so far.
    pub rows_read: u64,
    /// Bytes of the (decoded) file read so far.
    pub bytes_read: u64,
    /// Bytes of the (decoded) file in all.
    pub bytes_total: u64,
    /// Records written so far; 0 while reading.
    pub written: u64,
    /// Records that passed the checks and will be written; 0 while reading.
    pub to_write: u64,
    /// 1 once the whole file has been read, 0 before.
    pub read_done: i32,
}

/// A progress callback of `crmlite_import_with_progress`: `progress` is valid during the call
/// only, `user_data` is the pointer given to the import. Return 0 to go on; any other value
/// stops the import, which then returns CRMLITE_ERR_VALIDATION on field `progress` and
/// writes nothing. It is called on the importing thread and must not use `db`.
pub type crmlite_import_progress_fn = Option<
    unsafe extern "C" fn(progress: *const crmlite_import_progress, user_data: *mut c_void) -> i32,
>;

/// `crmlite_import` that calls `progress` (may be NULL) with `user_data` every
/// `progress_every` rows read and records written (0 means 1000) and at the end of reading
/// and of writing, always before the commit.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (also when the callback stops the import),
/// CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// As `crmlite_import`; `progress` is NULL or a function that may be called with
/// `user_data` on this thread during the call.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per option
pub unsafe extern "C" fn crmlite_import_with_progress(
    db: *const crmlite,
    kind: *const c_char,
    data: *const u8,
    len: usize,
    format: *const c_char,
    encoding: *const c_char,
    delimiter: c_char,
    currency: *const c_char,
    skip_bad_rows: i32,
    progress: crmlite_import_progress_fn,
    user_data: *mut c_void,
    progress_every: u64,
    inserted_out: *mut i64,
    updated_out: *mut i64,
    unchanged_out: *mut i64,
    rejected_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are those of `crmlite_import_with_flags`.
    unsafe {
        crmlite_import_with_flags(
            db,
            kind,
            data,
            len,
            format,
            encoding,
            delimiter,
            currency,
            u32::from(skip_bad_rows != 0) * CRMLITE_IMPORT_SKIP_BAD_ROWS,
            progress,
            user_data,
            progress_every,
            inserted_out,
            updated_out,
            unchanged_out,
            rejected_out,
        )
    }
}

/// A `crmlite_import_with_flags` flag: skip bad rows instead of importing nothing.
pub const CRMLITE_IMPORT_SKIP_BAD_ROWS: u32 = 1;
/// A `crmlite_import_with_flags` flag: order lines must name active product codes.
pub const CRMLITE_IMPORT_KNOWN_PRODUCTS: u32 = 2;

/// `crmlite_import_with_progress` with `flags` (a sum of `CRMLITE_IMPORT_*` bits) instead of
/// `skip_bad_rows`: `CRMLITE_IMPORT_SKIP_BAD_ROWS` skips bad rows,
/// `CRMLITE_IMPORT_KNOWN_PRODUCTS` (orders) rejects a line whose `product` is not the code of
/// an active entry of the `product` directory (field `product`). An unknown bit is a
/// validation error on `flags`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (also when the callback stops the import),
/// CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// As `crmlite_import_with_progress`; `progress` is NULL or a function that may be called with
/// `user_data` on this thread during the call.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per option
pub unsafe extern "C" fn crmlite_import_with_flags(
    db: *const crmlite,
    kind: *const c_char,
    data: *const u8,
    len: usize,
    format: *const c_char,
    encoding: *const c_char,
    delimiter: c_char,
    currency: *const c_char,
    flags: u32,
    progress: crmlite_import_progress_fn,
    user_data: *mut c_void,
    progress_every: u64,
    inserted_out: *mut i64,
    updated_out: *mut i64,
    unchanged_out: *mut i64,
    rejected_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (currency may be NULL).
        let (kind, format, encoding, currency) = unsafe {
            (
                arg(kind, "kind")?,
                arg(format, "format")?,
                arg(encoding, "encoding")?,
                opt_arg(currency, "currency")?,
            )
        };
        // SAFETY: the caller promises `len` readable bytes.
        let data = unsafe { bytes(data, len) }?;
        // SAFETY: the caller promises writable outputs.
        let outs = unsafe {
            (
                Out::new(inserted_out, "inserted_out")?,
                Out::new(updated_out, "updated_out")?,
                Out::new(unchanged_out, "unchanged_out")?,
                Out::new(rejected_out, "rejected_out")?,
            )
        };
        let mut options = ImportOptions::new()
            .format(format_of(format)?)
            .encoding(TextEncoding::parse(encoding)?)
            .delimiter(delimiter_of(delimiter)?);
        if let Some(code) = currency {
            options = options.currency(Currency::parse(code, "currency")?);
        }
        if flags & !(CRMLITE_IMPORT_SKIP_BAD_ROWS | CRMLITE_IMPORT_KNOWN_PRODUCTS) != 0 {
            return Err(FfiError::validation(
                "flags",
                "has a bit that is not a CRMLITE_IMPORT_* flag",
            ));
        }
        if flags & CRMLITE_IMPORT_SKIP_BAD_ROWS != 0 {
            options = options.mode(ImportMode::SkipBadRows);
        }
        options = options.known_products(flags & CRMLITE_IMPORT_KNOWN_PRODUCTS != 0);
        if progress_every != 0 {
            options = options.progress_every(progress_every);
        }
        let mut callback = |p: &ImportProgress| -> ControlFlow<()> {
            let Some(f) = progress else {
                return ControlFlow::Continue(());
            };
            let figures = crmlite_import_progress {
                rows_read: p.rows_read,
                bytes_read: p.bytes_read,
                bytes_total: p.bytes_total,
                written: p.written,
                to_write: p.to_write,
                read_done: i32::from(p.read_done),
            };
            // SAFETY: the caller promises a function that takes these arguments; `figures`
            // lives for the call.
            match unsafe { f(&raw const figures, user_data) } {
                0 => ControlFlow::Continue(()),
                _ => ControlFlow::Break(()),
            }
        };
        let report = match kind {
            "customers" => db.import_customers_with_progress(data, &options, &mut callback)?,
            "organisations" => db.import_customers_with_progress(
                data,
                &options.customer_kind(::crmlite::customer::CustomerKind::Organisation),
                &mut callback,
            )?,
            "orders" => db.import_orders_with_progress(data, &options, &mut callback)?,
            _ => db.import_directory_with_progress(kind, data, &options, &mut callback)?,
        };
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        outs.0.set(count(report.inserted));
        outs.1.set(count(report.updated));
        outs.2.set(count(report.unchanged));
        outs.3
            .set(i64::try_from(report.rejected.len()).unwrap_or(i64::MAX));
        Ok(())
    })
}

/// Exports every entry of directory `kind` as a file in `format` (`csv` or `jsonl`) and
/// `encoding`, with `delimiter` and, if `decimal_comma` is not 0, decimal commas. Writes the
/// bytes (no NUL inside, NUL-terminated) to `*data_out` and their number to `*len_out`.
///
/// Ownership: the caller owns `*data_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (a character the encoding lacks names
/// `entries[CODE]`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// the outputs are writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per option
pub unsafe extern "C" fn crmlite_export(
    db: *const crmlite,
    kind: *const c_char,
    format: *const c_char,
    encoding: *const c_char,
    delimiter: c_char,
    decimal_comma: i32,
    data_out: *mut *mut c_char,
    len_out: *mut usize,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (kind, format, encoding) = unsafe {
            (
                arg(kind, "kind")?,
                arg(format, "format")?,
                arg(encoding, "encoding")?,
            )
        };
        // SAFETY: the caller promises writable outputs.
        let (data_out, len_out) = unsafe {
            (
                Out::new(data_out, "data_out")?,
                Out::new(len_out, "len_out")?,
            )
        };
        let options = ExportOptions::new()
            .format(format_of(format)?)
            .encoding(TextEncoding::parse(encoding)?)
            .delimiter(delimiter_of(delimiter)?)
            .decimal_comma(decimal_comma != 0);
        let data = db.export_directory(kind, &options)?;
        let len = data.len();
        let text = CString::new(data)
            .map_err(|_| FfiError::Internal("an export contains a NUL byte".to_owned()))?;
        data_out.set(into_raw(text));
        len_out.set(len);
        Ok(())
    })
}

/// Writes the changes after sync consumer `consumer`'s cursor (at most `limit`, 1-1000) to
/// `*json_out` as JSON Lines, one `{"change":{"seq":..},"record":..}` per line with each
/// record's current state (or `{"type":"tombstone"}`); amounts are integer minor units.
/// Apply them, then call `crmlite_sync_ack` with the last `seq`.
///
/// Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`name`, `limit`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8;
/// `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_sync_pull(
    db: *const crmlite,
    consumer: *const c_char,
    limit: u32,
    json_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let consumer = unsafe { arg(consumer, "consumer") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(json_out, "json_out") }?;
        let data = db.sync_pull_json_lines(consumer, limit)?;
        let text = String::from_utf8(data)
            .map_err(|_| FfiError::Internal("sync output is not UTF-8".to_owned()))?;
        out.set(into_raw(c_string(&text)?));
        Ok(())
    })
}

/// Acknowledges every change up to `seq` for sync consumer `consumer`; the cursor never
/// moves back or past the newest change.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`seq`, `name`), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_sync_ack(
    db: *const crmlite,
    consumer: *const c_char,
    seq: i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let consumer = unsafe { arg(consumer, "consumer") }?;
        db.advance_sync_cursor(consumer, seq)?;
        Ok(())
    })
}

/// Writes the position sync consumer `consumer` has acknowledged (0 at first) to `*seq_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8;
/// `seq_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_sync_cursor(
    db: *const crmlite,
    consumer: *const c_char,
    seq_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let consumer = unsafe { arg(consumer, "consumer") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(seq_out, "seq_out") }?;
        out.set(db.sync_cursor(consumer)?);
        Ok(())
    })
}

/// An upsert created the entry.
pub const CRMLITE_UPSERT_INSERTED: i32 = 0;
/// An upsert changed the entry.
pub const CRMLITE_UPSERT_UPDATED: i32 = 1;
/// The entry already had this state; nothing was written.
pub const CRMLITE_UPSERT_UNCHANGED: i32 = 2;

/// A directory entry (a product, a unit, a store...) read from the database.
#[allow(non_camel_case_types)] // the C type name
pub struct crmlite_entry {
    _private: [u8; 0],
}

impl Handle for crmlite_entry {
    type Target = EntryView;
    const NAME: &'static str = "crmlite_entry";
}

/// An entry with C copies of its text, so accessors can lend `const char *`.
pub(crate) struct EntryView {
    entry: Entry,
    kind: CString,
    code: CString,
    name: CString,
    fields: BTreeMap<String, CString>,
}

impl EntryView {
    fn new(entry: Entry, def: &DirectoryKind) -> Result<Self, FfiError> {
        let mut fields = BTreeMap::new();
        for (name, value) in &entry.fields {
            let text = match def.field(name) {
                Some(f) => field_text(&f.field_type, value),
                None => field_text(&FieldType::Text, value),
            };
            fields.insert(name.clone(), c_string(&text)?);
        }
        Ok(Self {
            kind: c_string(&entry.kind)?,
            code: c_string(&entry.external_code)?,
            name: c_string(&entry.name)?,
            fields,
            entry,
        })
    }
}

/// Creates or replaces the entry `(kind, external_code)` named `name`. Field `i` is named
/// `field_names[i]` and holds `field_values[i]` written as in an import file (`"1 250,50"`,
/// `"20%"`, `"07.12.2026"`, `"۱۲۰"`, a referenced entry's code); an empty value leaves the
/// field unset. `currency` (may be NULL) is the ISO 4217 code of amounts written without
/// one. Writes the stored entry to `*entry_out` and `CRMLITE_UPSERT_INSERTED`, `_UPDATED` or
/// `_UNCHANGED` to `*outcome_out`.
///
/// Ownership: the inputs are only read. The caller owns `*entry_out` and frees it with
/// `crmlite_entry_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `fields.price`, `external_code`...),
/// CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8
/// (`currency` may be NULL); `field_names` and `field_values` each point to `field_count`
/// strings (both may be NULL when `field_count` is 0); the outputs are writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per input
pub unsafe extern "C" fn crmlite_entry_upsert(
    db: *const crmlite,
    kind: *const c_char,
    external_code: *const c_char,
    name: *const c_char,
    field_names: *const *const c_char,
    field_values: *const *const c_char,
    field_count: usize,
    currency: *const c_char,
    entry_out: *mut *mut crmlite_entry,
    outcome_out: *mut i32,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (currency may be NULL).
        let (kind, code, name, currency) = unsafe {
            (
                arg(kind, "kind")?,
                arg(external_code, "external_code")?,
                arg(name, "name")?,
                opt_arg(currency, "currency")?,
            )
        };
        // SAFETY: the caller promises `field_count` strings in each list.
        let (names, values) = unsafe {
            (
                arg_list(field_names, field_count, "field_names")?,
                arg_list(field_values, field_count, "field_values")?,
            )
        };
        // SAFETY: the caller promises writable outputs.
        let (entry_out, outcome_out) = unsafe {
            (
                Out::new(entry_out, "entry_out")?,
                Out::new(outcome_out, "outcome_out")?,
            )
        };
        let def = db.directory_kind(kind)?;
        let currency = currency
            .map(|c| Currency::parse(c, "currency"))
            .transpose()?;
        let options = ParseOptions::new(currency);
        let mut input = EntryInput::new(code, name);
        for (field, text) in names.iter().zip(&values) {
            let path = format!("fields.{field}");
            let ty = def
                .field(field)
                .ok_or_else(|| FfiError::validation(&path, &format!("is not a field of {kind}")))?;
            if let Some(value) = parse_field_text(&ty.field_type, text, &options, &path)? {
                input.fields.insert(field.clone(), value);
            }
        }
        let (entry, outcome) = db.upsert_entry(kind, &input)?;
        let view = EntryView::new(entry, &def)?;
        entry_out.set(handle::into_raw(view));
        outcome_out.set(match outcome {
            UpsertOutcome::Inserted => CRMLITE_UPSERT_INSERTED,
            UpsertOutcome::Updated => CRMLITE_UPSERT_UPDATED,
            UpsertOutcome::Unchanged => CRMLITE_UPSERT_UNCHANGED,
        });
        Ok(())
    })
}

/// Reads the entry of directory `kind` with external code `code` (archived or not) and
/// writes it to `*entry_out`.
///
/// Ownership: the caller owns `*entry_out` and frees it with `crmlite_entry_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// `entry_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_get(
    db: *const crmlite,
    kind: *const c_char,
    code: *const c_char,
    entry_out: *mut *mut crmlite_entry,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (kind, code) = unsafe { (arg(kind, "kind")?, arg(code, "code")?) };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(entry_out, "entry_out") }?;
        let def = db.directory_kind(kind)?;
        let entry = db.entry_by_code(kind, code)?;
        out.set(handle::into_raw(EntryView::new(entry, &def)?));
        Ok(())
    })
}

/// Releases an entry returned by `crmlite_entry_upsert` or `crmlite_entry_get`.
///
/// Ownership: takes back ownership of `entry`.
/// Threads: any thread, once no other thread uses the entry.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `entry` is NULL or came from `crmlite_entry_upsert`/`crmlite_entry_get` and is not used
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_free(entry: *mut crmlite_entry) {
    // SAFETY: the caller hands the entry back exactly once.
    unsafe { handle::free(entry) }
}

/// Writes the entry's id to `*id_out` (for `crmlite_external_id_map`).
///
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `id_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_id(
    entry: *const crmlite_entry,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(entry, "entry", id_out, "id_out", |e| Ok(e.entry.id.0)) }
}

/// Writes the entry's kind to `*kind_out`.
///
/// Ownership: `*kind_out` is borrowed from the entry; valid until it is freed.
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `kind_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_kind(
    entry: *const crmlite_entry,
    kind_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", kind_out, "kind_out", |e| {
            Ok(e.kind.as_ptr())
        })
    }
}

/// Writes the entry's external code to `*code_out`.
///
/// Ownership: `*code_out` is borrowed from the entry; valid until it is freed.
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `code_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_code(
    entry: *const crmlite_entry,
    code_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", code_out, "code_out", |e| {
            Ok(e.code.as_ptr())
        })
    }
}

/// Writes the entry's name to `*name_out`.
///
/// Ownership: `*name_out` is borrowed from the entry; valid until it is freed.
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `name_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_name(
    entry: *const crmlite_entry,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", name_out, "name_out", |e| {
            Ok(e.name.as_ptr())
        })
    }
}

/// Writes 1 to `*archived_out` if the entry is archived, else 0.
///
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `archived_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_archived(
    entry: *const crmlite_entry,
    archived_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", archived_out, "archived_out", |e| {
            Ok(i32::from(e.entry.archived))
        })
    }
}

/// Writes the entry's version (1 when created, +1 per change) to `*version_out`.
///
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `version_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_version(
    entry: *const crmlite_entry,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", version_out, "version_out", |e| {
            Ok(e.entry.version)
        })
    }
}

/// Writes field `field` of the entry as text to `*value_out`, or NULL if the entry has no
/// value for it: money as `1250.50 AMD`, percentages and decimals with a decimal point,
/// dates as `2026-12-07`, references as the referenced entry's code.
///
/// Ownership: `*value_out` is borrowed from the entry; valid until it is freed.
/// Threads: an entry belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `entry` is a live entry; `field` is NUL-terminated UTF-8; `value_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_field(
    entry: *const crmlite_entry,
    field: *const c_char,
    value_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller promises a NUL-terminated string; an error is reported by `read`.
    let field = unsafe { arg(field, "field") }.map(str::to_owned);
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(entry, "entry", value_out, "value_out", |e| {
            let field = field?;
            Ok(e.fields
                .get(&field)
                .map_or(std::ptr::null(), |v| v.as_ptr()))
        })
    }
}

fn entity_of(name: &str) -> Result<EntityKind, FfiError> {
    EntityKind::parse(name)
        .ok_or_else(|| FfiError::validation("entity", &format!("{name:?} is not a record kind")))
}

/// Maps record `id` of kind `entity` (any record kind with an id: `customer` for persons
/// and organisations, `deal`, `order`, `return`, `directory_entry`, `loyalty_card`, `task`,
/// `template`...) to `external_id` in external system `system` (`1c`, `erp`...). A record
/// may have ids in several systems. Mapping the same pair again is fine; a pair already
/// mapped to another record is a conflict (its message starts with `external_id:`).
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`system`, `external_id`, `entity`),
/// CRMLITE_ERR_NOT_FOUND (no such record), CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_external_id_map(
    db: *const crmlite,
    system: *const c_char,
    external_id: *const c_char,
    entity: *const c_char,
    id: i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (system, external_id, entity) = unsafe {
            (
                arg(system, "system")?,
                arg(external_id, "external_id")?,
                arg(entity, "entity")?,
            )
        };
        db.map_external_id(system, external_id, entity_of(entity)?, id)?;
        Ok(())
    })
}

/// Looks up `external_id` of external system `system`: writes the record's id to `*id_out`
/// and its kind (`customer`, `order`, `directory_entry`...) to `*entity_out`.
///
/// Ownership: the caller owns `*entity_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (not mapped), CRMLITE_ERR_VALIDATION,
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// the outputs are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_external_id_resolve(
    db: *const crmlite,
    system: *const c_char,
    external_id: *const c_char,
    entity_out: *mut *mut c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (system, external_id) =
            unsafe { (arg(system, "system")?, arg(external_id, "external_id")?) };
        // SAFETY: the caller promises writable outputs.
        let (entity_out, id_out) = unsafe {
            (
                Out::new(entity_out, "entity_out")?,
                Out::new(id_out, "id_out")?,
            )
        };
        let mapping = db
            .resolve_external_id(system, external_id)?
            .ok_or_else(|| {
                ::crmlite::Error::not_found(
                    EntityKind::ExternalId,
                    format!("{system}:{external_id}"),
                )
            })?;
        id_out.set(mapping.entity_id);
        entity_out.set(into_raw(c_string(mapping.entity.as_str())?));
        Ok(())
    })
}

/// Reads the directory entry with id `id` and writes it to `*entry_out`.
///
/// Ownership: the caller owns `*entry_out` and frees it with `crmlite_entry_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `entry_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_get_by_id(
    db: *const crmlite,
    id: i64,
    entry_out: *mut *mut crmlite_entry,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(entry_out, "entry_out") }?;
        let entry = db.entry(::crmlite::EntryId(id))?;
        let def = db.directory_kind(&entry.kind)?;
        out.set(handle::into_raw(EntryView::new(entry, &def)?));
        Ok(())
    })
}

/// Archives (`archived` 1) or restores (`archived` 0) the entry `(kind, code)`; an archived
/// entry keeps its references and history and is left out of lists.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_archive(
    db: *const crmlite,
    kind: *const c_char,
    code: *const c_char,
    archived: i32,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (kind, code) = unsafe { (arg(kind, "kind")?, arg(code, "code")?) };
        db.set_entry_archived(kind, code, archived != 0)?;
        Ok(())
    })
}

/// Deletes the entry `(kind, code)` with its external ids; an entry that other entries
/// reference is a conflict (archive it instead).
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_entry_delete(
    db: *const crmlite,
    kind: *const c_char,
    code: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (kind, code) = unsafe { (arg(kind, "kind")?, arg(code, "code")?) };
        db.delete_entry(kind, code)?;
        Ok(())
    })
}

/// A directory kind as JSON: `{"name":..,"label":..,"builtin":..,"fields":[{"name":..,
/// "type":"decimal:2","required":true}]}`, types spelled as `crmlite_directory_define` reads them.
fn kind_json(kind: &DirectoryKind) -> serde_json::Value {
    serde_json::json!({
        "name": kind.name,
        "label": kind.label,
        "builtin": kind.builtin,
        "fields": kind.fields.iter().map(|f| serde_json::json!({
            "name": f.name,
            "type": f.field_type.name(),
            "required": f.required,
        })).collect::<Vec<_>>(),
    })
}

fn json_text(value: &serde_json::Value) -> Result<CString, FfiError> {
    c_string(&value.to_string())
}

/// Writes directory kind `name` (built in or user-defined) to `*json_out` as one JSON
/// object: `{"name","label","builtin","fields":[{"name","type","required"}]}`.
///
/// Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is NUL-terminated UTF-8;
/// `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_directory_kind(
    db: *const crmlite,
    name: *const c_char,
    json_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { arg(name, "name") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(json_out, "json_out") }?;
        let kind = db.directory_kind(name)?;
        out.set(into_raw(json_text(&kind_json(&kind))?));
        Ok(())
    })
}

/// Writes every directory kind (built-in ones first) to `*json_out` as a JSON array of the
/// objects `crmlite_directory_kind` writes.
///
/// Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_directory_kinds(
    db: *const crmlite,
    json_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(json_out, "json_out") }?;
        let kinds: Vec<serde_json::Value> = db.directory_kinds()?.iter().map(kind_json).collect();
        out.set(into_raw(json_text(&serde_json::Value::Array(kinds))?));
        Ok(())
    })
}

/// Defines a user-defined directory kind `name` labelled `label` with `field_count` typed
/// fields: field `i` is named `field_names[i]`, has type `field_types[i]` (`text`,
/// `integer`, `decimal:N`, `money`, `percent`, `boolean`, `date`, `currency` or
/// `reference:KIND`) and is required when `field_required[i]` is not 0.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`name`, `fields[1].type`...),
/// CRMLITE_ERR_CONFLICT (the name is used), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// `field_names`, `field_types` and `field_required` each point to `field_count` elements
/// (all may be NULL when `field_count` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_directory_define(
    db: *const crmlite,
    name: *const c_char,
    label: *const c_char,
    field_names: *const *const c_char,
    field_types: *const *const c_char,
    field_required: *const i32,
    field_count: usize,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (name, label) = unsafe { (arg(name, "name")?, arg(label, "label")?) };
        // SAFETY: the caller promises `field_count` strings in each list.
        let (names, types) = unsafe {
            (
                arg_list(field_names, field_count, "field_names")?,
                arg_list(field_types, field_count, "field_types")?,
            )
        };
        let required: &[i32] = if field_count == 0 {
            &[]
        } else if field_required.is_null() {
            return Err(FfiError::Misuse(
                "field_required must not be NULL when field_count is not 0".to_owned(),
            ));
        } else {
            // SAFETY: non-NULL, and the caller promises `field_count` readable ints.
            unsafe { std::slice::from_raw_parts(field_required, field_count) }
        };
        let mut fields = Vec::with_capacity(field_count);
        for (i, ((field, ty), req)) in names.iter().zip(&types).zip(required).enumerate() {
            let ty = FieldType::parse(ty, &format!("fields[{i}].type"))?;
            fields.push(FieldDef::new(field, ty, *req != 0));
        }
        db.define_directory(&NewDirectoryKind {
            name: name.to_owned(),
            label: label.to_owned(),
            fields,
        })?;
        Ok(())
    })
}

/// Looks up the price of product `sku` in price list `price_list` valid on day `on`
/// (`YYYY-MM-DD`): writes 1 to `*found_out`, the amount in minor units to `*minor_out` and
/// the ISO 4217 code to `*currency_out`; or 0 to `*found_out` (and nothing else) when the
/// list has no price for it that day.
///
/// Ownership: the caller owns `*currency_out` (when set) and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`on`), CRMLITE_ERR_NOT_FOUND (no such price
/// list or product), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// the outputs are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_product_price(
    db: *const crmlite,
    price_list: *const c_char,
    sku: *const c_char,
    on: *const c_char,
    found_out: *mut i32,
    minor_out: *mut i64,
    currency_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (list, sku, on) = unsafe {
            (
                arg(price_list, "price_list")?,
                arg(sku, "sku")?,
                arg(on, "on")?,
            )
        };
        // SAFETY: the caller promises writable outputs.
        let (found_out, minor_out, currency_out) = unsafe {
            (
                Out::new(found_out, "found_out")?,
                Out::new(minor_out, "minor_out")?,
                Out::new(currency_out, "currency_out")?,
            )
        };
        let day = chrono::NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d")
            .map_err(|_| FfiError::validation("on", "must be a date as YYYY-MM-DD"))?;
        match db.product_price(list, sku, day)? {
            Some(price) => {
                minor_out.set(price.minor);
                currency_out.set(into_raw(c_string(price.currency.code())?));
                found_out.set(1);
            }
            None => found_out.set(0),
        }
        Ok(())
    })
}

/// Writes the id record `(entity, id)` has in external system `system` to
/// `*external_id_out` (the first by external id if it has several there): the lookup from
/// the crmlite side, the other way round from `crmlite_external_id_resolve`.
///
/// Ownership: the caller owns `*external_id_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such record, or no id in that system),
/// CRMLITE_ERR_VALIDATION (`system`, `entity`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// `external_id_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_external_id_of(
    db: *const crmlite,
    system: *const c_char,
    entity: *const c_char,
    id: i64,
    external_id_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (system, entity) = unsafe { (arg(system, "system")?, arg(entity, "entity")?) };
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(external_id_out, "external_id_out") }?;
        let kind = entity_of(entity)?;
        let mapping = db.external_id_of(system, kind, id)?.ok_or_else(|| {
            ::crmlite::Error::not_found(EntityKind::ExternalId, format!("{system}:{kind}:{id}"))
        })?;
        out.set(into_raw(c_string(&mapping.external_id)?));
        Ok(())
    })
}

/// Writes every external id of record `(entity, id)` to `*json_out` as a JSON array, by
/// system: `[{"id":..,"system":"1c","external_id":"..","entity":"order","entity_id":..,
/// "created_at":..}]` (times in Unix milliseconds).
///
/// Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such record), CRMLITE_ERR_VALIDATION
/// (`entity`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `entity` is NUL-terminated UTF-8;
/// `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_external_ids(
    db: *const crmlite,
    entity: *const c_char,
    id: i64,
    json_out: *mut *mut c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let entity = unsafe { arg(entity, "entity") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(json_out, "json_out") }?;
        let mappings = db.external_ids(entity_of(entity)?, id)?;
        let json = serde_json::to_value(&mappings)
            .map_err(|e| FfiError::Internal(format!("cannot write JSON: {e}")))?;
        out.set(into_raw(json_text(&json)?));
        Ok(())
    })
}

/// Removes the mapping of `external_id` in external system `system`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (not mapped), CRMLITE_ERR_VALIDATION,
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_external_id_unmap(
    db: *const crmlite,
    system: *const c_char,
    external_id: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (system, external_id) =
            unsafe { (arg(system, "system")?, arg(external_id, "external_id")?) };
        db.unmap_external_id(system, external_id)?;
        Ok(())
    })
}

/// Writes the changes after sync consumer `consumer`'s cursor (at most `limit`, 1-1000) with
/// each record's current state as a file in `*data_out` (`*len_out` bytes, NUL-terminated):
/// `format` `csv` (columns `seq`, `at`, `op`, `entity`, `entity_id`, `type`, `record`, the
/// record as JSON; spreadsheet-safe) or `jsonl` (as `crmlite_sync_pull`), in `encoding`
/// (`utf-8`, `windows-1251`, ..., `armscii-8`) with `delimiter`. Does not move the cursor.
///
/// Ownership: the caller owns `*data_out` and frees it with `crmlite_string_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (a character the encoding lacks names
/// `changes[SEQ]`; `limit`, `format`, `encoding`, `delimiter`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
/// the outputs are writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C signature, one value per option
pub unsafe extern "C" fn crmlite_export_changes(
    db: *const crmlite,
    consumer: *const c_char,
    limit: u32,
    format: *const c_char,
    encoding: *const c_char,
    delimiter: c_char,
    data_out: *mut *mut c_char,
    len_out: *mut usize,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (consumer, format, encoding) = unsafe {
            (
                arg(consumer, "consumer")?,
                arg(format, "format")?,
                arg(encoding, "encoding")?,
            )
        };
        // SAFETY: the caller promises writable outputs.
        let (data_out, len_out) = unsafe {
            (
                Out::new(data_out, "data_out")?,
                Out::new(len_out, "len_out")?,
            )
        };
        let options = ExportOptions::new()
            .format(format_of(format)?)
            .encoding(TextEncoding::parse(encoding)?)
            .delimiter(delimiter_of(delimiter)?);
        let data = db.export_changes(consumer, limit, &options)?;
        let len = data.len();
        let text = CString::new(data)
            .map_err(|_| FfiError::Internal("an export contains a NUL byte".to_owned()))?;
        data_out.set(into_raw(text));
        len_out.set(len);
        Ok(())
    })
}
