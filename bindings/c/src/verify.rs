//! `crmlite_verify`: checks the stored data against crmlite's invariants and reports each check.

use crate::boundary::{FfiError, guard};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::c_string;
use std::ffi::{CString, c_char};

/// The report of one `crmlite_verify` run, read with the `crmlite_verify_report_*` accessors.
pub struct crmlite_verify_report {
    _private: [u8; 0],
}

impl Handle for crmlite_verify_report {
    type Target = ReportView;
    const NAME: &'static str = "crmlite_verify_report";
}

/// One check with C copies of its name and detail.
pub(crate) struct CheckView {
    name: CString,
    violations: i64,
    detail: CString,
}

/// A report with its checks converted for C.
pub(crate) struct ReportView {
    ok: bool,
    checks: Vec<CheckView>,
}

/// Runs every invariant check in one read snapshot (the storage engine's integrity, foreign
/// keys, the change feed, ledger sums and lot conservation, ...) and writes the report to
/// `*report_out`. Never changes anything. A report with violations is still CRMLITE_OK: read
/// `crmlite_verify_report_ok`.
///
/// Ownership: the caller owns `*report_out` and frees it with `crmlite_verify_report_free`.
/// Threads: `db` may be used from several threads at once; the report by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE (the checks could not run, e.g. a corrupt file),
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `report_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify(
    db: *const crmlite,
    report_out: *mut *mut crmlite_verify_report,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(report_out, "report_out") }?;
        let report = db.verify()?;
        let checks = report
            .checks
            .iter()
            .map(|c| {
                Ok(CheckView {
                    name: c_string(&c.name)?,
                    violations: c.violations,
                    detail: c_string(&c.detail)?,
                })
            })
            .collect::<Result<Vec<_>, FfiError>>()?;
        out.set(handle::into_raw::<crmlite_verify_report>(ReportView {
            ok: report.ok(),
            checks,
        }));
        Ok(())
    })
}

/// Releases a verify report and every string it lent.
///
/// Ownership: takes back ownership of `report`.
/// Threads: any thread, once no other thread uses the report.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `report` is NULL or came from `crmlite_verify` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_free(report: *mut crmlite_verify_report) {
    // SAFETY: the caller hands the report back exactly once.
    unsafe { handle::free(report) }
}

fn check(report: &ReportView, index: usize) -> Result<&CheckView, FfiError> {
    report.checks.get(index).ok_or_else(|| {
        FfiError::Misuse(format!(
            "index {index} is out of range: the report has {} checks",
            report.checks.len()
        ))
    })
}

/// Writes whether every invariant holds (no check found a violation) to `*ok_out`.
///
/// Threads: a report belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `report` is a live report; `ok_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_ok(
    report: *const crmlite_verify_report,
    ok_out: *mut bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(report, "report", ok_out, "ok_out", |r| Ok(r.ok)) }
}

/// Writes how many checks ran to `*count_out`.
///
/// Threads: a report belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `report` is a live report; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_count(
    report: *const crmlite_verify_report,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(report, "report", count_out, "count_out", |r| {
            Ok(r.checks.len())
        })
    }
}

/// Writes the stable name of check `index` (e.g. `points_balance_is_ledger_sum`) to `*name_out`.
///
/// Ownership: borrowed from the report; valid until it is freed.
/// Threads: a report belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `report` is a live report; `name_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_name_at(
    report: *const crmlite_verify_report,
    index: usize,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(report, "report", name_out, "name_out", |r| {
            Ok(check(r, index)?.name.as_ptr())
        })
    }
}

/// Writes how many records break check `index` (0 when it holds) to `*violations_out`.
///
/// Threads: a report belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `report` is a live report; `violations_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_violations_at(
    report: *const crmlite_verify_report,
    index: usize,
    violations_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(report, "report", violations_out, "violations_out", |r| {
            Ok(check(r, index)?.violations)
        })
    }
}

/// Writes what check `index` found (empty when it holds) to `*detail_out`.
///
/// Ownership: borrowed from the report; valid until it is freed.
/// Threads: a report belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `report` is a live report; `detail_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_verify_report_detail_at(
    report: *const crmlite_verify_report,
    index: usize,
    detail_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(report, "report", detail_out, "detail_out", |r| {
            Ok(check(r, index)?.detail.as_ptr())
        })
    }
}
