//! Strings across the boundary: NUL-terminated UTF-8 in, library-allocated C strings out.

use crate::boundary::{FfiError, guard};
use std::ffi::{CStr, CString, c_char};

/// Reads the required string argument `name`: NULL is misuse, invalid UTF-8 a validation
/// error naming `name`.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::Misuse(format!("{name} must not be NULL")));
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string living for 'a.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes
        .to_str()
        .map_err(|_| FfiError::validation(name, "is not valid UTF-8"))
}

/// Reads the optional string argument `name`: NULL gives `None`.
///
/// # Safety
/// As for [`arg`].
pub(crate) unsafe fn opt_arg<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, FfiError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's promise is passed on; ptr is non-NULL.
    unsafe { arg(ptr, name) }.map(Some)
}

/// Reads an array of `count` strings named `name`; an element's errors name it as `name[i]`.
/// NULL is accepted only with a count of 0.
///
/// # Safety
/// `ptr` is NULL or points to `count` pointers, each NULL or a NUL-terminated string.
pub(crate) unsafe fn arg_list(
    ptr: *const *const c_char,
    count: usize,
    name: &str,
) -> Result<Vec<String>, FfiError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(FfiError::Misuse(format!(
            "{name} must not be NULL when its count is {count}"
        )));
    }
    // SAFETY: non-NULL, and the caller promises `count` readable elements.
    let items = unsafe { std::slice::from_raw_parts(ptr, count) };
    items
        .iter()
        .enumerate()
        // SAFETY: each element is NULL or a NUL-terminated string, as promised by the caller.
        .map(|(i, &p)| unsafe { arg(p, &format!("{name}[{i}]")) }.map(str::to_owned))
        .collect()
}

/// A C copy of text read from the database; validation keeps NUL out of stored text,
/// so one inside is a bug.
pub(crate) fn c_string(text: &str) -> Result<CString, FfiError> {
    CString::new(text)
        .map_err(|_| FfiError::Internal("stored text contains a NUL character".to_owned()))
}

/// Hands an owned string to C; the caller frees it with `crmlite_string_free`.
pub(crate) fn into_raw(text: CString) -> *mut c_char {
    text.into_raw()
}

/// Frees a string that crmlite returned to the caller (never use the C library's `free()`).
///
/// Ownership: takes back ownership of `text`.
/// Threads: any thread.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `text` is NULL or a string returned by crmlite as owned by the caller, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_string_free(text: *mut c_char) {
    if text.is_null() {
        return;
    }
    // The guard only catches a panic in the drop; a free has no status to return.
    let _ = guard(|| {
        // SAFETY: the caller promises `text` came from `into_raw` and is freed once.
        drop(unsafe { CString::from_raw(text) });
        Ok::<(), FfiError>(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::crmlite_status;

    #[test]
    fn null_is_misuse_and_bad_utf8_names_the_argument() {
        // SAFETY: NULL is allowed by `arg`.
        let status = guard(|| unsafe { arg(std::ptr::null(), "name") }.map(drop));
        assert_eq!(status, crmlite_status::CRMLITE_ERR_MISUSE);

        let bad = c"\xff\xfe";
        // SAFETY: a static NUL-terminated string.
        let err = unsafe { arg(bad.as_ptr(), "name") }.err();
        assert!(matches!(err, Some(FfiError::Crm(e)) if e.field() == Some("name")));
    }

    #[test]
    fn list_elements_are_named_by_index() {
        let items = [c"+374 10 12-34-56".as_ptr(), c"\xc3".as_ptr()];
        // SAFETY: two valid pointers to NUL-terminated strings.
        let err = unsafe { arg_list(items.as_ptr(), 2, "phones") }.err();
        assert!(matches!(err, Some(FfiError::Crm(e)) if e.field() == Some("phones[1]")));
        assert_eq!(
            // SAFETY: a count of 0 never reads the pointer.
            unsafe { arg_list(std::ptr::null(), 0, "phones") }.ok(),
            Some(Vec::new())
        );
    }

    #[test]
    fn owned_strings_round_trip() {
        let raw = into_raw(c_string("Արամ").unwrap_or_default());
        // SAFETY: `raw` came from into_raw and is freed once; NULL is fine.
        unsafe {
            crmlite_string_free(raw);
            crmlite_string_free(std::ptr::null_mut());
        }
    }
}
