//! Explicit transactions: many calls of one thread committed or rolled back together.

use crate::boundary::guard;
use crate::db::crmlite;
use crate::handle;
use crate::status::crmlite_status;

/// Opens a transaction owned by the calling thread. Until `crmlite_transaction_commit` or
/// `crmlite_transaction_rollback`, every call this thread makes on `db` runs in it and sees its
/// uncommitted changes; a call that fails undoes only its own changes and reports its error as
/// usual. Other threads read the last committed state, and their writes wait until it ends.
/// Transactions do not nest. `crmlite_close` rolls back a transaction still open.
///
/// Threads: only the calling thread may commit or roll it back.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: this thread already has
/// one open), CRMLITE_ERR_BUSY, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_transaction_begin(db: *const crmlite) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.begin_transaction()?;
        Ok(())
    })
}

/// Makes every change of the calling thread's transaction durable and closes it. If the
/// commit fails, nothing of the transaction is kept and it is closed all the same.
///
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: no transaction is open on
/// this thread), CRMLITE_ERR_BUSY, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_transaction_commit(db: *const crmlite) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.commit_transaction()?;
        Ok(())
    })
}

/// Undoes every change of the calling thread's transaction and closes it.
///
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: no transaction is open on
/// this thread), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_transaction_rollback(db: *const crmlite) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.rollback_transaction()?;
        Ok(())
    })
}

/// Writes whether the calling thread has a transaction open on `db` to `*open_out`.
///
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `open_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_transaction_active(
    db: *const crmlite,
    open_out: *mut bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::read(
            db,
            "db",
            open_out,
            "open_out",
            |db| Ok(db.in_transaction()?),
        )
    }
}
