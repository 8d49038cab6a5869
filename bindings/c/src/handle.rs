//! Opaque handles: each C-visible type is a marker struct; the pointer is a `Box` of its
//! Rust target. These helpers do every cast, so the exports never touch raw pointers.

use crate::boundary::FfiError;
use std::ptr::NonNull;

/// A C-visible marker type and the Rust value its pointers really point to.
pub(crate) trait Handle {
    /// The Rust value behind the pointer.
    type Target;
    /// The C type name, for misuse messages.
    const NAME: &'static str;
}

/// Moves `value` to the heap and hands its pointer to C.
pub(crate) fn into_raw<H: Handle>(value: H::Target) -> *mut H {
    Box::into_raw(Box::new(value)).cast()
}

/// A row pointer into a value owned elsewhere (a cursor's current row).
pub(crate) fn as_ptr<H: Handle>(value: &H::Target) -> *const H {
    std::ptr::from_ref(value).cast()
}

/// Borrows the value behind `ptr`; NULL is misuse.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw`]/[`as_ptr`] for `H`, is still alive for `'a`, and is
/// not mutated meanwhile.
pub(crate) unsafe fn borrow<'a, H: Handle>(
    ptr: *const H,
    name: &str,
) -> Result<&'a H::Target, FfiError> {
    let ptr = NonNull::new(ptr.cast_mut()).ok_or_else(|| null(H::NAME, name))?;
    // SAFETY: the caller promises a live, unaliased-for-writes value of H::Target.
    Ok(unsafe { ptr.cast::<H::Target>().as_ref() })
}

/// Borrows the value behind `ptr` for mutation; NULL is misuse.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw`] for `H`, is still alive for `'a`, and no other
/// reference to it is used meanwhile (one thread at a time).
pub(crate) unsafe fn borrow_mut<'a, H: Handle>(
    ptr: *mut H,
    name: &str,
) -> Result<&'a mut H::Target, FfiError> {
    let ptr = NonNull::new(ptr).ok_or_else(|| null(H::NAME, name))?;
    // SAFETY: the caller promises exclusive access to a live H::Target.
    Ok(unsafe { ptr.cast::<H::Target>().as_mut() })
}

/// Drops the value behind `ptr`; NULL is fine.
///
/// # Safety
/// `ptr` is NULL or came from [`into_raw`] for `H` and is not used after this call.
pub(crate) unsafe fn free<H: Handle>(ptr: *mut H) {
    if let Some(ptr) = NonNull::new(ptr) {
        // SAFETY: the caller promises this Box pointer is released exactly once.
        drop(unsafe { Box::from_raw(ptr.cast::<H::Target>().as_ptr()) });
    }
}

/// An output parameter, checked for NULL before any work and written only on success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks the output pointer `name`; NULL is misuse.
    ///
    /// # Safety
    /// `ptr` is NULL or valid for writing a `T` (it may be uninitialised) until [`Out::set`].
    pub(crate) unsafe fn new(ptr: *mut T, name: &str) -> Result<Self, FfiError> {
        NonNull::new(ptr)
            .map(Self)
            .ok_or_else(|| FfiError::Misuse(format!("{name} must not be NULL")))
    }

    /// Writes the result, without reading or dropping what was there.
    pub(crate) fn set(self, value: T) {
        // SAFETY: `new`'s caller promised the pointer is writable; it is not NULL.
        unsafe { self.0.as_ptr().write(value) }
    }
}

fn null(type_name: &str, name: &str) -> FfiError {
    FfiError::Misuse(format!("{name} ({type_name} *) must not be NULL"))
}

/// Runs an accessor: borrows `ptr` (named `name`), computes a value from it with `read`, and
/// writes it to `out` (named `out_name`) only if that succeeds.
///
/// # Safety
/// As for [`borrow`] and [`Out::new`].
pub(crate) unsafe fn read<H: Handle, T>(
    ptr: *const H,
    name: &str,
    out: *mut T,
    out_name: &str,
    read: impl FnOnce(&H::Target) -> Result<T, FfiError>,
) -> crate::status::crmlite_status {
    crate::boundary::guard(|| {
        // SAFETY: the caller's promise about `ptr` is passed on.
        let value = unsafe { borrow(ptr, name) }?;
        // SAFETY: the caller's promise about `out` is passed on.
        let out = unsafe { Out::new(out, out_name) }?;
        out.set(read(value)?);
        Ok(())
    })
}

/// Runs a builder setter: borrows `ptr` (named `name`) for mutation and applies `change`.
///
/// # Safety
/// As for [`borrow_mut`].
pub(crate) unsafe fn change<H: Handle>(
    ptr: *mut H,
    name: &str,
    change: impl FnOnce(&mut H::Target) -> Result<(), FfiError>,
) -> crate::status::crmlite_status {
    crate::boundary::guard(|| {
        // SAFETY: the caller's promise about `ptr` is passed on.
        change(unsafe { borrow_mut(ptr, name) }?)
    })
}
