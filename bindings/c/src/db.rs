//! Opening and closing a database, and the library version.

use crate::boundary::{FfiError, guard};
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings;
use std::ffi::c_char;
use std::sync::Arc;

/// A crmlite database. Opaque; open with `crmlite_open`, release with `crmlite_close`.
/// May be shared between threads: calls are serialised inside.
pub struct crmlite {
    _private: [u8; 0],
}

impl Handle for crmlite {
    type Target = ::crmlite::Crm;
    const NAME: &'static str = "crmlite";
}

/// A manual clock for tests and replays: it stands still until set or advanced, and every
/// database opened with it (`crmlite_open_v3`) takes `now` from it. Create with
/// `crmlite_clock_new`, release with `crmlite_clock_free`; the same shape as Python's
/// `crmlite.FixedClock`.
pub struct crmlite_clock {
    _private: [u8; 0],
}

impl Handle for crmlite_clock {
    type Target = Arc<::crmlite::FixedClock>;
    const NAME: &'static str = "crmlite_clock";
}

/// `synchronous` for `crmlite_open_v2`: every commit survives a power cut (the default).
pub const CRMLITE_SYNCHRONOUS_FULL: i32 = 0;
/// `synchronous` for `crmlite_open_v2`: faster; a power cut may lose the last commits,
/// but never corrupts the database.
pub const CRMLITE_SYNCHRONOUS_NORMAL: i32 = 1;

const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(v) => v,
    Err(_) => c"0.0.0",
};

/// `major * 1000000 + minor * 1000 + patch`, computed from the crate version at compile time.
const VERSION_NUMBER: i32 = decimal(env!("CARGO_PKG_VERSION_MAJOR")) * 1_000_000
    + decimal(env!("CARGO_PKG_VERSION_MINOR")) * 1_000
    + decimal(env!("CARGO_PKG_VERSION_PATCH"));

const fn decimal(text: &str) -> i32 {
    let bytes = text.as_bytes();
    let mut value = 0;
    let mut i = 0;
    while i < bytes.len() {
        value = value * 10 + (bytes[i] - b'0') as i32;
        i += 1;
    }
    value
}

/// The library version, such as "0.1.0"; compare with the header's `CRMLITE_VERSION`.
///
/// Ownership: the string is static; do not free it.
/// Threads: any thread.
///
/// # Safety
/// None: the function has no arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The library version as `major * 1000000 + minor * 1000 + patch`; a host checks
/// `crmlite_version_number() == CRMLITE_VERSION_NUMBER` at start-up.
///
/// Threads: any thread.
///
/// # Safety
/// None: the function has no arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_version_number() -> i32 {
    VERSION_NUMBER
}

/// Opens (creating if needed) the database at `path` with default options and writes the
/// handle to `*db_out`. `":memory:"` opens a private in-memory database.
///
/// Ownership: `path` is only read during the call. The caller owns `*db_out` and releases it
/// with `crmlite_close`.
/// Threads: the new handle may be shared between threads.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY, CRMLITE_ERR_VALIDATION (`path`
/// is not UTF-8) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `path` is a NUL-terminated string; `db_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_open(
    path: *const c_char,
    db_out: *mut *mut crmlite,
) -> crmlite_status {
    // SAFETY: the caller's promises are exactly crmlite_open_v2's with no options.
    unsafe { crmlite_open_v2(path, std::ptr::null(), CRMLITE_SYNCHRONOUS_FULL, db_out) }
}

/// Opens the database at `path` like `crmlite_open`, with options: `default_region` (ISO
/// 3166-1 alpha-2 such as "AM" or "IR", or NULL) for phone numbers typed without a country
/// code, and `synchronous` (`CRMLITE_SYNCHRONOUS_FULL` or `CRMLITE_SYNCHRONOUS_NORMAL`).
///
/// Ownership: `path` and `default_region` are only read during the call. The caller owns
/// `*db_out` and releases it with `crmlite_close`.
/// Threads: the new handle may be shared between threads.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous` or
/// `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `path` is a NUL-terminated string; `default_region` is NULL or one; `db_out` is valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_open_v2(
    path: *const c_char,
    default_region: *const c_char,
    synchronous: i32,
    db_out: *mut *mut crmlite,
) -> crmlite_status {
    // SAFETY: the caller's promises are crmlite_open_v3's with the system clock.
    unsafe { crmlite_open_v3(path, default_region, synchronous, std::ptr::null(), db_out) }
}

/// Opens the database at `path` like `crmlite_open_v2`, taking `now` from `clock` (a
/// `crmlite_clock`, or NULL for the system clock). Moving the clock moves the database's
/// time: leases expire, tasks fall due.
///
/// Ownership: `path` and `default_region` are only read. The database keeps its own
/// reference to `clock`, so the clock may be freed before or after the database. The caller
/// owns `*db_out` and releases it with `crmlite_close`.
/// Threads: the new handle may be shared between threads.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous` or
/// `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `path` is a NUL-terminated string; `default_region` is NULL or one; `clock` is NULL or
/// came from `crmlite_clock_new` and is not freed during the call; `db_out` is valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_open_v3(
    path: *const c_char,
    default_region: *const c_char,
    synchronous: i32,
    clock: *const crmlite_clock,
    db_out: *mut *mut crmlite,
) -> crmlite_status {
    // SAFETY: the caller's promises are crmlite_open_v4's with the default page cache.
    unsafe { crmlite_open_v4(path, default_region, synchronous, clock, 0, db_out) }
}

/// Opens the database at `path` like `crmlite_open_v3`, with SQLite's page cache of each
/// connection set to `cache_mib` MiB (1 to 65536), or 0 for the default (16 MiB for writes,
/// 2 MiB for each reader). A larger cache speeds up loading many rows into a large database;
/// it costs that much memory per connection.
///
/// Ownership: as `crmlite_open_v3`.
/// Threads: the new handle may be shared between threads.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous`,
/// `cache_mib` or `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// As `crmlite_open_v3`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_open_v4(
    path: *const c_char,
    default_region: *const c_char,
    synchronous: i32,
    clock: *const crmlite_clock,
    cache_mib: i32,
    db_out: *mut *mut crmlite,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises NUL-terminated strings (or NULL) alive for the call.
        let path = unsafe { strings::arg(path, "path") }?;
        // SAFETY: as above.
        let region = unsafe { strings::opt_arg(default_region, "default_region") }?;
        let clock = if clock.is_null() {
            None
        } else {
            // SAFETY: the caller promises NULL or a live clock from crmlite_clock_new.
            let shared = unsafe { handle::borrow(clock, "clock") }?;
            Some(Arc::clone(shared))
        };
        // SAFETY: the caller promises db_out is NULL or writable.
        let out = unsafe { Out::new(db_out, "db_out") }?;
        let synchronous = match synchronous {
            CRMLITE_SYNCHRONOUS_FULL => ::crmlite::Synchronous::Full,
            CRMLITE_SYNCHRONOUS_NORMAL => ::crmlite::Synchronous::Normal,
            _ => {
                return Err(FfiError::validation(
                    "synchronous",
                    "must be CRMLITE_SYNCHRONOUS_FULL or CRMLITE_SYNCHRONOUS_NORMAL",
                ));
            }
        };
        let mut options = ::crmlite::OpenOptions::new().synchronous(synchronous);
        if let Some(region) = region {
            options = options.default_region(region);
        }
        if cache_mib != 0 {
            // A negative size becomes 0, which the library rejects naming `cache_mib`.
            options = options.cache_mib(u32::try_from(cache_mib).unwrap_or(0));
        }
        if let Some(clock) = clock {
            let shared: Arc<dyn ::crmlite::Clock> = clock;
            options = options.clock(shared);
        }
        out.set(handle::into_raw(options.open(path)?));
        Ok(())
    })
}

/// Creates a manual clock standing at `at_ms` (Unix milliseconds, UTC) and writes it to
/// `*clock_out`. Pass it to `crmlite_open_v3`.
///
/// Ownership: the caller owns `*clock_out` and releases it with `crmlite_clock_free`.
/// Threads: the clock may be shared between threads.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `clock_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_clock_new(
    at_ms: i64,
    clock_out: *mut *mut crmlite_clock,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises clock_out is NULL or writable.
        let out = unsafe { Out::new(clock_out, "clock_out") }?;
        let clock = Arc::new(::crmlite::FixedClock::new(::crmlite::Timestamp(at_ms)));
        out.set(handle::into_raw::<crmlite_clock>(clock));
        Ok(())
    })
}

/// Moves the clock to `at_ms` (Unix milliseconds, UTC), for every database opened with it.
///
/// Threads: any thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `clock` came from `crmlite_clock_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_clock_set(
    clock: *const crmlite_clock,
    at_ms: i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live clock.
        let clock = unsafe { handle::borrow(clock, "clock") }?;
        clock.set(::crmlite::Timestamp(at_ms));
        Ok(())
    })
}

/// Moves the clock forward by `ms` milliseconds (backwards when negative).
///
/// Threads: any thread.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `ms`: the time would overflow) or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `clock` came from `crmlite_clock_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_clock_advance(
    clock: *const crmlite_clock,
    ms: i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live clock.
        let clock = unsafe { handle::borrow(clock, "clock") }?;
        let now = ::crmlite::Clock::now(&**clock);
        let at = now
            .millis()
            .checked_add(ms)
            .ok_or_else(|| FfiError::validation("ms", "moves the clock out of range"))?;
        clock.set(::crmlite::Timestamp(at));
        Ok(())
    })
}

/// Writes the clock's time (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: any thread.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `clock` came from `crmlite_clock_new` and is not freed; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_clock_now(
    clock: *const crmlite_clock,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(clock, "clock", ms_out, "ms_out", |c| {
            Ok(::crmlite::Clock::now(&**c).millis())
        })
    }
}

/// Releases a clock. Databases opened with it keep their own reference and go on working at
/// the time it last had.
///
/// Ownership: takes back ownership of `clock`.
/// Threads: no other thread may be using `clock` during or after the call.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `clock` is NULL or came from `crmlite_clock_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_clock_free(clock: *mut crmlite_clock) {
    // SAFETY: the caller hands back a clock from crmlite_clock_new exactly once.
    unsafe { handle::free(clock) }
}

/// Closes a database and releases its handle. Cursors and customers read from it stay valid.
///
/// Ownership: takes back ownership of `db`.
/// Threads: no other thread may be using `db` during or after the call.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `db` is NULL or came from `crmlite_open`/`crmlite_open_v2` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_close(db: *mut crmlite) {
    // The guard only catches a panic in the drop; a close has no status to return.
    let _ = guard(|| {
        // SAFETY: the caller hands back a handle from crmlite_open exactly once.
        unsafe { handle::free(db) };
        Ok::<(), FfiError>(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_number_matches_the_version_text() {
        let text = VERSION.to_str().unwrap_or_default();
        let parts: Vec<i32> = text.split('.').map(|p| p.parse().unwrap_or(-1)).collect();
        assert_eq!(parts.len(), 3, "{text}");
        assert_eq!(
            VERSION_NUMBER,
            parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2]
        );
    }

    #[test]
    fn open_rejects_a_bad_region_and_synchronous_without_writing_the_output() {
        let mut db: *mut crmlite = std::ptr::null_mut();
        // SAFETY: static strings and a writable output.
        let status =
            unsafe { crmlite_open_v2(c":memory:".as_ptr(), c"Armenia".as_ptr(), 0, &raw mut db) };
        assert_eq!(status, crmlite_status::CRMLITE_ERR_VALIDATION);
        assert!(db.is_null());
        // SAFETY: as above.
        let status =
            unsafe { crmlite_open_v2(c":memory:".as_ptr(), c"AM".as_ptr(), 7, &raw mut db) };
        assert_eq!(status, crmlite_status::CRMLITE_ERR_VALIDATION);
        assert!(db.is_null());
        // SAFETY: as above; the handle is closed once.
        unsafe {
            assert_eq!(
                crmlite_open_v2(c":memory:".as_ptr(), c"AM".as_ptr(), 1, &raw mut db),
                crmlite_status::CRMLITE_OK
            );
            assert!(!db.is_null());
            crmlite_close(db);
        }
    }

    #[test]
    fn open_v4_takes_a_page_cache_and_rejects_a_bad_one() {
        let mut db: *mut crmlite = std::ptr::null_mut();
        for bad in [-1, 65_537] {
            // SAFETY: static strings, no clock, a writable output.
            let status = unsafe {
                crmlite_open_v4(
                    c":memory:".as_ptr(),
                    std::ptr::null(),
                    0,
                    std::ptr::null(),
                    bad,
                    &raw mut db,
                )
            };
            assert_eq!(status, crmlite_status::CRMLITE_ERR_VALIDATION, "{bad}");
            assert!(db.is_null());
        }
        // SAFETY: as above; the handle is closed once.
        unsafe {
            assert_eq!(
                crmlite_open_v4(
                    c":memory:".as_ptr(),
                    std::ptr::null(),
                    0,
                    std::ptr::null(),
                    64,
                    &raw mut db
                ),
                crmlite_status::CRMLITE_OK
            );
            assert!(!db.is_null());
            crmlite_close(db);
        }
    }
}
