//! Loyalty: programs, earn rules, cards, and the points ledger (award, redeem, adjust,
//! balance, expiry). Points are `int64_t`; money is minor units of the program's currency.

use crate::boundary::{FfiError, guard};
use crate::db::crmlite;
use crate::handle::{self, Out};
use crate::status::crmlite_status;
use crate::strings;
use ::crmlite::loyalty::{Earn, ExpiryPolicy, NewEarnRule, NewProgram, ReversalPolicy};
use ::crmlite::{CardId, CustomerId, OrderId, ProgramId, Timestamp};
use std::ffi::c_char;

/// Expiry policy: points never expire.
pub const CRMLITE_EXPIRY_NEVER: i32 = 0;
/// Expiry policy: points expire a number of days after the award.
pub const CRMLITE_EXPIRY_AFTER_DAYS: i32 = 1;
/// Expiry policy: points expire at the start of the month after the award (UTC).
pub const CRMLITE_EXPIRY_END_OF_MONTH: i32 = 2;
/// Expiry policy: points expire at the start of the year after the award (UTC).
pub const CRMLITE_EXPIRY_END_OF_YEAR: i32 = 3;

/// Reversal policy: a return whose points were already spent is refused.
pub const CRMLITE_REVERSAL_REFUSE: i32 = 0;
/// Reversal policy: spent points of a returned order are clawed back from other points.
pub const CRMLITE_REVERSAL_CLAWBACK: i32 = 1;

/// Earn rule: `value` points per `per` minor units paid.
pub const CRMLITE_EARN_PER_AMOUNT: i32 = 0;
/// Earn rule: `value` points per order.
pub const CRMLITE_EARN_PER_ORDER: i32 = 1;
/// Earn rule: `value` points per unit bought.
pub const CRMLITE_EARN_PER_UNIT: i32 = 2;
/// Earn rule: multiplies what earlier rules earned by `value` percent.
pub const CRMLITE_EARN_MULTIPLIER: i32 = 3;
/// Earn rule: `value` points for signing up.
pub const CRMLITE_EARN_SIGNUP: i32 = 4;
/// Earn rule: `value` points on the birthday, once a year.
pub const CRMLITE_EARN_BIRTHDAY: i32 = 5;
/// Earn rule: `value` points as a manual bonus.
pub const CRMLITE_EARN_BONUS: i32 = 6;

/// A card's points at one instant; `available + pending + awaiting_expiry == ledger_sum`.
#[repr(C)]
pub struct crmlite_balance {
    /// Points that can be spent now.
    pub available: i64,
    /// Points locked in their pending period.
    pub pending: i64,
    /// `available + pending`.
    pub total: i64,
    /// Points of `total` that expire within the asked number of days.
    pub expiring: i64,
    /// Points whose expiry has come but is not yet recorded by an expiry run.
    pub awaiting_expiry: i64,
    /// The sum of every ledger entry of the card.
    pub ledger_sum: i64,
}

fn expiry(code: i32, days: u32) -> Result<ExpiryPolicy, FfiError> {
    Ok(match code {
        CRMLITE_EXPIRY_NEVER => ExpiryPolicy::Never,
        CRMLITE_EXPIRY_AFTER_DAYS => ExpiryPolicy::AfterDays { days },
        CRMLITE_EXPIRY_END_OF_MONTH => ExpiryPolicy::EndOfMonth,
        CRMLITE_EXPIRY_END_OF_YEAR => ExpiryPolicy::EndOfYear,
        _ => {
            return Err(FfiError::validation(
                "expiry",
                "must be one of the CRMLITE_EXPIRY_* policies",
            ));
        }
    })
}

fn reversal(code: i32) -> Result<ReversalPolicy, FfiError> {
    match code {
        CRMLITE_REVERSAL_REFUSE => Ok(ReversalPolicy::Refuse),
        CRMLITE_REVERSAL_CLAWBACK => Ok(ReversalPolicy::Clawback),
        _ => Err(FfiError::validation(
            "reversal",
            "must be one of the CRMLITE_REVERSAL_* policies",
        )),
    }
}

fn earn(code: i32, value: i64, per: i64) -> Result<Earn, FfiError> {
    Ok(match code {
        CRMLITE_EARN_PER_AMOUNT => Earn::PerAmount { points: value, per },
        CRMLITE_EARN_PER_ORDER => Earn::PerOrder { points: value },
        CRMLITE_EARN_PER_UNIT => Earn::PerUnit { points: value },
        CRMLITE_EARN_MULTIPLIER => Earn::Multiplier { percent: value },
        CRMLITE_EARN_SIGNUP => Earn::Signup { points: value },
        CRMLITE_EARN_BIRTHDAY => Earn::Birthday { points: value },
        CRMLITE_EARN_BONUS => Earn::Bonus { points: value },
        _ => {
            return Err(FfiError::validation(
                "kind",
                "must be one of the CRMLITE_EARN_* kinds",
            ));
        }
    })
}

/// Creates a loyalty program named `name` in `currency` where one point is worth
/// `point_value` minor units, with an expiry policy (`CRMLITE_EXPIRY_*`; `expiry_days` for
/// `CRMLITE_EXPIRY_AFTER_DAYS`), `pending_days` of lock for the return window and a reversal
/// policy (`CRMLITE_REVERSAL_*`). Writes the program's id to `*id_out`.
///
/// Ownership: the strings are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, `currency`, `point_value`,
/// `expiry`, `expiry.days`, `pending_days` or `reversal`), CRMLITE_ERR_CONFLICT (a program
/// with that name exists), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` and `currency` are
/// NUL-terminated strings; `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: one argument per setting
pub unsafe extern "C" fn crmlite_program_create(
    db: *const crmlite,
    name: *const c_char,
    currency: *const c_char,
    point_value: i64,
    expiry_policy: i32,
    expiry_days: u32,
    pending_days: u32,
    reversal_policy: i32,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises NUL-terminated strings.
        let (name, currency) = unsafe {
            (
                strings::arg(name, "name")?,
                strings::arg(currency, "currency")?,
            )
        };
        let new = NewProgram::new(name, currency, point_value)
            .expiry(expiry(expiry_policy, expiry_days)?)
            .pending_days(pending_days)
            .reversal(reversal(reversal_policy)?);
        out.set(db.create_program(&new)?.id.get());
        Ok(())
    })
}

/// Adds an earn rule of `kind` (`CRMLITE_EARN_*`) to `program`, evaluated at `position`
/// (lower first). `value` is the points (or the percent of a multiplier); `per` is the minor
/// units per step of a `CRMLITE_EARN_PER_AMOUNT` rule (10000 for 100.00) and ignored
/// otherwise. Writes the rule's id to `*id_out`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `name`, `earn.points`,
/// `earn.per` or `earn.percent`), CRMLITE_ERR_NOT_FOUND (no such program),
/// CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: one argument per setting
pub unsafe extern "C" fn crmlite_earn_rule_add(
    db: *const crmlite,
    program: i64,
    name: *const c_char,
    kind: i32,
    value: i64,
    per: i64,
    position: i32,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        let rule =
            NewEarnRule::new(ProgramId(program), name, earn(kind, value, per)?).position(position);
        out.set(db.add_earn_rule(&rule)?.id.get());
        Ok(())
    })
}

/// Opens the card of `customer` in `program` with `code` (NULL for `<program>-<customer>`)
/// and writes its id to `*id_out`.
///
/// Ownership: `code` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`), CRMLITE_ERR_NOT_FOUND (no
/// such program or customer), CRMLITE_ERR_CONFLICT (the customer has a card in the program,
/// or the code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` is NULL or a NUL-terminated
/// string; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_card_open(
    db: *const crmlite,
    program: i64,
    customer: i64,
    code: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let code = unsafe { strings::opt_arg(code, "code") }?;
        out.set(
            db.open_card(ProgramId(program), CustomerId(customer), code)?
                .id
                .get(),
        );
        Ok(())
    })
}

/// Finds the card with `code` and writes its id to `*id_out`.
///
/// Ownership: `code` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_card_by_code(
    db: *const crmlite,
    code: *const c_char,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let code = unsafe { strings::arg(code, "code") }?;
        out.set(db.card_by_code(code)?.id.get());
        Ok(())
    })
}

/// Spends `points` from `card`, soonest-expiring lots first, against `order` (0 for none).
/// `key` (NULL for none) makes a retry safe: the same key and request return the first
/// result and change nothing; the same key with another request is CRMLITE_ERR_CONFLICT.
/// Writes the ledger entry's id to `*entry_out`.
///
/// Ownership: `key` is only read.
/// Threads: `db` may be used from several threads and processes at once; no point is ever
/// spent twice.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points`: not positive or more than
/// available), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `key` is NULL or a NUL-terminated
/// string; `entry_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_redeem(
    db: *const crmlite,
    card: i64,
    points: i64,
    order: i64,
    key: *const c_char,
    entry_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(entry_out, "entry_out") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let key = unsafe { strings::opt_arg(key, "key") }?;
        let order = (order != 0).then_some(OrderId(order));
        out.set(
            db.redeem_points(CardId(card), points, order, key)?
                .entry
                .id
                .get(),
        );
        Ok(())
    })
}

/// Corrects the points of `card` by hand with a `reason`: positive `points` make a new lot,
/// negative ones are taken from the available points. `key` as for `crmlite_points_redeem`.
/// Writes the ledger entry's id to `*entry_out`.
///
/// Ownership: `reason` and `key` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points` or `reason`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `reason` is a NUL-terminated string;
/// `key` is NULL or one; `entry_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_adjust(
    db: *const crmlite,
    card: i64,
    points: i64,
    reason: *const c_char,
    key: *const c_char,
    entry_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(entry_out, "entry_out") }?;
        // SAFETY: the caller promises NUL-terminated strings (or NULL for the key).
        let (reason, key) = unsafe {
            (
                strings::arg(reason, "reason")?,
                strings::opt_arg(key, "key")?,
            )
        };
        out.set(
            db.adjust_points(CardId(card), points, reason, key)?
                .id
                .get(),
        );
        Ok(())
    })
}

/// Writes the balance of `card` now to `*balance_out`; `expiring` counts the points that
/// expire within `within_days` days.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `days`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `balance_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_balance(
    db: *const crmlite,
    card: i64,
    within_days: u32,
    balance_out: *mut crmlite_balance,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(balance_out, "balance_out") }?;
        let b = db.balance(CardId(card), within_days)?;
        out.set(crmlite_balance {
            available: b.available,
            pending: b.pending,
            total: b.total,
            expiring: b.expiring,
            awaiting_expiry: b.awaiting_expiry,
            ledger_sum: b.ledger_sum,
        });
        Ok(())
    })
}

/// Records the expiry of every lot whose time has come at `now_ms` (Unix milliseconds, UTC):
/// only its unspent remainder, once; running it again at the same time changes nothing.
/// Writes the number of lots and of points expired to `*lots_out` and `*points_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `lots_out` and `points_out` are valid
/// for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_points_expire(
    db: *const crmlite,
    now_ms: i64,
    lots_out: *mut u64,
    points_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises writable outputs.
        let (lots, points) = unsafe {
            (
                Out::new(lots_out, "lots_out")?,
                Out::new(points_out, "points_out")?,
            )
        };
        let run = db.expire_points(Timestamp(now_ms))?;
        lots.set(run.lots);
        points.set(run.points);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_and_rule_kind_has_a_code() {
        for code in [
            CRMLITE_EXPIRY_NEVER,
            CRMLITE_EXPIRY_AFTER_DAYS,
            CRMLITE_EXPIRY_END_OF_MONTH,
            CRMLITE_EXPIRY_END_OF_YEAR,
        ] {
            assert!(expiry(code, 1).is_ok());
        }
        assert!(expiry(4, 1).is_err());
        assert!(
            reversal(CRMLITE_REVERSAL_REFUSE).is_ok()
                && reversal(CRMLITE_REVERSAL_CLAWBACK).is_ok()
        );
        assert!(reversal(2).is_err());
        for code in CRMLITE_EARN_PER_AMOUNT..=CRMLITE_EARN_BONUS {
            assert!(earn(code, 1, 1).is_ok(), "{code}");
        }
        assert!(earn(7, 1, 1).is_err());
    }
}
