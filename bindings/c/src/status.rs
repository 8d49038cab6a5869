//! Status codes returned by every fallible function, and their fixed descriptions.

use ::crmlite::ErrorKind;
use std::ffi::c_char;

/// The result of a call: `CRMLITE_OK`, an error code, or a cursor step.
///
/// Error details for the calling thread are in `crmlite_last_error_message()`
/// and `crmlite_last_error_field()`.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum crmlite_status {
    /// The call succeeded.
    CRMLITE_OK = 0,
    /// An input was rejected and nothing was changed; `crmlite_last_error_field()` names it.
    CRMLITE_ERR_VALIDATION = 1,
    /// A referenced record does not exist.
    CRMLITE_ERR_NOT_FOUND = 2,
    /// The write clashes with the stored state (a stale version, a duplicate code).
    CRMLITE_ERR_CONFLICT = 3,
    /// The database failed (damaged, unreadable, full, read-only, too new).
    CRMLITE_ERR_STORAGE = 4,
    /// The database stayed locked by another writer; retrying later may succeed.
    CRMLITE_ERR_BUSY = 5,
    /// The caller broke the API's rules: a NULL pointer, an index out of range.
    CRMLITE_ERR_MISUSE = 21,
    /// A bug in crmlite (a caught panic); please report it.
    CRMLITE_ERR_INTERNAL = 22,
    /// A cursor step produced a row.
    CRMLITE_ROW = 100,
    /// A cursor has no more rows.
    CRMLITE_DONE = 101,
}

impl From<()> for crmlite_status {
    fn from((): ()) -> Self {
        Self::CRMLITE_OK
    }
}

/// The status for an error kind. A kind added to the core later lands on
/// `CRMLITE_ERR_INTERNAL` until it is mapped here; a test walks every kind.
pub(crate) fn of_kind(kind: ErrorKind) -> crmlite_status {
    match kind {
        ErrorKind::Validation => crmlite_status::CRMLITE_ERR_VALIDATION,
        ErrorKind::NotFound => crmlite_status::CRMLITE_ERR_NOT_FOUND,
        ErrorKind::Conflict => crmlite_status::CRMLITE_ERR_CONFLICT,
        ErrorKind::Storage => crmlite_status::CRMLITE_ERR_STORAGE,
        ErrorKind::Busy => crmlite_status::CRMLITE_ERR_BUSY,
        _ => crmlite_status::CRMLITE_ERR_INTERNAL,
    }
}

/// A fixed English description of a status code, e.g. "not found".
///
/// Ownership: the string is static; do not free it.
/// Threads: any thread.
/// An unknown code gives "unknown status".
///
/// # Safety
/// None: any `code` is accepted.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_errstr(code: i32) -> *const c_char {
    let text = match code {
        0 => c"ok",
        1 => c"invalid input",
        2 => c"not found",
        3 => c"conflict",
        4 => c"storage failure",
        5 => c"database busy",
        21 => c"API misuse",
        22 => c"internal error",
        100 => c"row available",
        101 => c"no more rows",
        _ => c"unknown status",
    };
    text.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_its_own_status() {
        for &kind in ErrorKind::ALL {
            assert_ne!(
                of_kind(kind),
                crmlite_status::CRMLITE_ERR_INTERNAL,
                "{kind:?} is not mapped"
            );
        }
        let statuses: Vec<crmlite_status> = ErrorKind::ALL.iter().map(|&k| of_kind(k)).collect();
        for (i, status) in statuses.iter().enumerate() {
            assert!(
                !statuses[..i].contains(status),
                "two kinds share {status:?}"
            );
        }
    }

    #[test]
    fn errstr_names_every_status() {
        let text = |c: i32| {
            // SAFETY: crmlite_errstr returns a static NUL-terminated string for any code.
            unsafe { std::ffi::CStr::from_ptr(crmlite_errstr(c)) }
                .to_str()
                .unwrap_or_default()
        };
        for code in [0, 1, 2, 3, 4, 5, 21, 22, 100, 101] {
            assert_ne!(text(code), "unknown status", "code {code}");
        }
        assert_eq!(text(-7), "unknown status");
    }
}
