//! The one guard every export runs its body in, and the thread-local last error.

use crate::status::{self, crmlite_status};
use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why a call failed, before it becomes a status and a last-error message.
#[derive(Debug)]
pub(crate) enum FfiError {
    /// An error from crmlite itself.
    Crm(::crmlite::Error),
    /// The caller broke the API's rules (a NULL pointer, an index out of range).
    Misuse(String),
    /// A bug on our side that was detected without a panic.
    Internal(String),
}

impl From<::crmlite::Error> for FfiError {
    fn from(e: ::crmlite::Error) -> Self {
        Self::Crm(e)
    }
}

impl FfiError {
    /// A validation error naming the argument `field`.
    pub(crate) fn validation(field: &str, reason: &str) -> Self {
        Self::Crm(::crmlite::Error::validation(field, reason))
    }

    fn status(&self) -> crmlite_status {
        match self {
            Self::Crm(e) => status::of_kind(e.kind()),
            Self::Misuse(_) => crmlite_status::CRMLITE_ERR_MISUSE,
            Self::Internal(_) => crmlite_status::CRMLITE_ERR_INTERNAL,
        }
    }

    fn into_last_error(self) -> LastError {
        let (message, field) = match self {
            Self::Crm(e) => (e.to_string(), e.field().map(str::to_owned)),
            Self::Misuse(m) => (format!("API misuse: {m}"), None),
            Self::Internal(m) => (format!("internal error: {m}"), None),
        };
        LastError {
            message: c_text(message),
            field: field.map(c_text),
        }
    }
}

/// Runs the body of an export: a panic becomes `CRMLITE_ERR_INTERNAL`, an error becomes its
/// status plus the thread's last error, and success clears the last error.
/// The body returns `()` for `CRMLITE_OK`, or a status such as `CRMLITE_ROW`.
pub(crate) fn guard<S: Into<crmlite_status>>(
    body: impl FnOnce() -> Result<S, FfiError>,
) -> crmlite_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(done)) => {
            set_last(None);
            done.into()
        }
        Ok(Err(e)) => {
            let status = e.status();
            set_last(Some(e.into_last_error()));
            status
        }
        Err(_) => {
            let e = FfiError::Internal(
                "a bug in crmlite (a panic was caught); please report it".to_owned(),
            );
            set_last(Some(e.into_last_error()));
            crmlite_status::CRMLITE_ERR_INTERNAL
        }
    }
}

struct LastError {
    message: CString,
    field: Option<CString>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn set_last(value: Option<LastError>) {
    LAST_ERROR.with(|cell| *cell.borrow_mut() = value);
}

/// Text as a C string; a NUL inside (which validation never lets through) is replaced.
fn c_text(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let cleaned: Vec<u8> = e
            .into_vec()
            .into_iter()
            .map(|b| if b == 0 { b'?' } else { b })
            .collect();
        CString::new(cleaned).unwrap_or_default()
    })
}

/// The message of the last failed call on this thread, or "" if the last call succeeded.
///
/// Ownership: borrowed from the library; valid until the next crmlite call on this thread.
/// Do not free it.
/// Threads: reports the last call made **on the calling thread**.
///
/// # Safety
/// None: the returned pointer must only not be used after the next crmlite call on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_last_error_message() -> *const c_char {
    LAST_ERROR.with(|cell| {
        cell.borrow()
            .as_ref()
            .map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// The input field the last failed call on this thread rejected (such as `phones[0]`),
/// or NULL if it named none.
///
/// Ownership: borrowed from the library; valid until the next crmlite call on this thread.
/// Do not free it.
/// Threads: reports the last call made **on the calling thread**.
///
/// # Safety
/// None: the returned pointer must only not be used after the next crmlite call on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_last_error_field() -> *const c_char {
    LAST_ERROR.with(|cell| {
        cell.borrow()
            .as_ref()
            .and_then(|e| e.field.as_ref())
            .map_or(std::ptr::null(), |f| f.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn message() -> String {
        // SAFETY: the pointer is valid until the next crmlite call on this thread.
        unsafe { CStr::from_ptr(crmlite_last_error_message()) }
            .to_string_lossy()
            .into_owned()
    }

    fn field() -> Option<String> {
        // SAFETY: as above; NULL is checked first.
        let ptr = unsafe { crmlite_last_error_field() };
        (!ptr.is_null()).then(|| {
            // SAFETY: a non-NULL field is a NUL-terminated string owned by the last error.
            unsafe { CStr::from_ptr(ptr) }
                .to_string_lossy()
                .into_owned()
        })
    }

    #[test]
    fn error_sets_status_message_and_field_and_success_clears_them() {
        let status = guard(|| -> Result<(), FfiError> {
            Err(FfiError::validation("phones[0]", "has no digits"))
        });
        assert_eq!(status, crmlite_status::CRMLITE_ERR_VALIDATION);
        assert_eq!(message(), "invalid phones[0]: has no digits");
        assert_eq!(field().as_deref(), Some("phones[0]"));

        assert_eq!(guard(|| Ok::<(), FfiError>(())), crmlite_status::CRMLITE_OK);
        assert_eq!(message(), "");
        assert_eq!(field(), None);
    }

    #[test]
    fn panic_becomes_internal() {
        #[allow(clippy::panic)]
        let status = guard(|| -> Result<(), FfiError> { panic!("boom") });
        assert_eq!(status, crmlite_status::CRMLITE_ERR_INTERNAL);
        assert!(message().starts_with("internal error"), "{}", message());
        assert_eq!(field(), None);
    }

    #[test]
    fn body_may_return_a_step_status() {
        assert_eq!(
            guard(|| Ok::<_, FfiError>(crmlite_status::CRMLITE_DONE)),
            crmlite_status::CRMLITE_DONE
        );
    }
}
