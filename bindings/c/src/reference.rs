//! Reference directories for accounting programs: import a file, export a directory, and
//! pull the changes since the program's last run through a named sync consumer.

use crate::boundary::{guard, FfiError};
use crate::db::crmlite;
use crate::handle::{self, Out};
use crate::status::crmlite_status;
use crate::strings::{arg, c_string, into_raw, opt_arg};
use ::crmlite::import::{ExportOptions, FileFormat, ImportMode, ImportOptions, TextEncoding};
use ::crmlite::Currency;
use std::ffi::{c_char, CString};

/// Reads `len` bytes at `data`; NULL is allowed only for an empty buffer.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> Result<&'a [u8], FfiError> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(FfiError::Misuse("data must not be NULL when len is not 0".to_owned()));
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
/// upserting by external code, in one transaction. `format` is `csv` or `jsonl`; `encoding`
/// is `utf-8`, `windows-1251`, `windows-1252`, `windows-1253`, `windows-1256` or `armscii-8`;
/// `currency` (may be NULL) is the ISO 4217 code of amounts written without one. With
/// `skip_bad_rows` 0 the first bad row fails the whole import and nothing is written; its
/// field reads `line[N].column` in `crmlite_last_error_field`. The four counts are written
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
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises NUL-terminated strings (currency may be NULL).
        let (kind, format, encoding, currency) = unsafe {
            (arg(kind, "kind")?, arg(format, "format")?, arg(encoding, "encoding")?, opt_arg(currency, "currency")?)
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
        if skip_bad_rows != 0 {
            options = options.mode(ImportMode::SkipBadRows);
        }
        let report = match kind {
            "customers" => db.import_customers(data, &options)?,
            "organisations" => db.import_customers(
                data,
                &options.customer_kind(::crmlite::customer::CustomerKind::Organisation),
            )?,
            _ => db.import_directory(kind, data, &options)?,
        };
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        outs.0.set(count(report.inserted));
        outs.1.set(count(report.updated));
        outs.2.set(count(report.unchanged));
        outs.3.set(i64::try_from(report.rejected.len()).unwrap_or(i64::MAX));
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
        let (kind, format, encoding) = unsafe { (arg(kind, "kind")?, arg(format, "format")?, arg(encoding, "encoding")?) };
        // SAFETY: the caller promises writable outputs.
        let (data_out, len_out) = unsafe { (Out::new(data_out, "data_out")?, Out::new(len_out, "len_out")?) };
        let options = ExportOptions::new()
            .format(format_of(format)?)
            .encoding(TextEncoding::parse(encoding)?)
            .delimiter(delimiter_of(delimiter)?)
            .decimal_comma(decimal_comma != 0);
        let data = db.export_directory(kind, &options)?;
        let len = data.len();
        let text = CString::new(data).map_err(|_| FfiError::Internal("an export contains a NUL byte".to_owned()))?;
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
        let text = String::from_utf8(data).map_err(|_| FfiError::Internal("sync output is not UTF-8".to_owned()))?;
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
pub unsafe extern "C" fn crmlite_sync_ack(db: *const crmlite, consumer: *const c_char, seq: i64) -> crmlite_status {
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
pub unsafe extern "C" fn crmlite_sync_cursor(db: *const crmlite, consumer: *const c_char, seq_out: *mut i64) -> crmlite_status {
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
