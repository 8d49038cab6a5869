//! Result sets stepped from C like `sqlite3_step`: `*_next` gives `CRMLITE_ROW` and a row
//! pointer, then `CRMLITE_DONE`. Every domain's cursor is a [`Rows`] of its row type.

use crate::boundary::{FfiError, guard};
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings;
use std::ffi::{CString, c_char};

/// The rows of one query, a read position, and the token for the next page, if any.
pub(crate) struct Rows<T> {
    rows: Vec<T>,
    next: usize,
    next_page: Option<CString>,
}

impl<T> Rows<T> {
    /// Rows of a query that has no further pages.
    pub(crate) fn new(rows: Vec<T>) -> Self {
        Self {
            rows,
            next: 0,
            next_page: None,
        }
    }

    /// Rows of one page; `next_page` continues after it.
    pub(crate) fn page(rows: Vec<T>, next_page: Option<String>) -> Result<Self, FfiError> {
        let next_page = next_page.as_deref().map(strings::c_string).transpose()?;
        Ok(Self {
            rows,
            next: 0,
            next_page,
        })
    }
}

/// Steps the cursor: writes the next row to `*row_out` and returns `CRMLITE_ROW`, or returns
/// `CRMLITE_DONE` (leaving `*row_out` alone) when no rows are left.
///
/// # Safety
/// `cursor` is NULL or a live cursor of type `C` used by this thread only; `row_out` is NULL
/// or writable.
pub(crate) unsafe fn next<C, R>(cursor: *mut C, row_out: *mut *const R) -> crmlite_status
where
    C: Handle<Target = Rows<R::Target>>,
    R: Handle,
{
    guard(|| {
        // SAFETY: the caller promises a live cursor used by one thread.
        let rows = unsafe { handle::borrow_mut(cursor, "cursor") }?;
        // SAFETY: the caller promises row_out is NULL or writable.
        let out = unsafe { Out::new(row_out, "row_out") }?;
        let Some(row) = rows.rows.get(rows.next) else {
            return Ok(crmlite_status::CRMLITE_DONE);
        };
        rows.next += 1;
        out.set(handle::as_ptr::<R>(row));
        Ok(crmlite_status::CRMLITE_ROW)
    })
}

/// Writes a copy of the next-page token to `*token_out` (to free with `crmlite_string_free`),
/// or NULL when this is the last page.
///
/// # Safety
/// `cursor` is NULL or a live cursor of type `C`; `token_out` is NULL or writable.
pub(crate) unsafe fn next_page<C, T>(
    cursor: *const C,
    token_out: *mut *mut c_char,
) -> crmlite_status
where
    C: Handle<Target = Rows<T>>,
{
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(cursor, "cursor", token_out, "token_out", |rows| {
            Ok(rows
                .next_page
                .clone()
                .map_or(std::ptr::null_mut(), strings::into_raw))
        })
    }
}
