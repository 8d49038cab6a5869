//! Pure lot logic: expiry dates, allocation order, balances and proportional reversal.
//!
//! - A lot is *spendable* at `now` when something is left, its pending period is over
//!   (`pending_until <= now`) and its expiry has not come (`expires_at > now`).
//! - A debit draws from spendable lots soonest expiry first; lots that never expire go last;
//!   ties go to the oldest lot (award time, then id).
//! - Expiry takes only the unspent remainder of a lot whose time has come, once.

use super::{Allocation, Balance, ExpiryPolicy, Lot};
use crate::money::Money;
use crate::{Error, Result, Timestamp};
use chrono::{Datelike, NaiveDate, TimeZone, Utc};

/// When a lot awarded at `at` expires under `policy`; `None` for never.
pub fn expires_at(policy: ExpiryPolicy, at: Timestamp) -> Result<Option<Timestamp>> {
    let bad = || Error::validation("at", "is outside the supported time range");
    let first_of = |y: i32, m: u32| -> Result<Timestamp> {
        let date = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let dt = date.and_hms_opt(0, 0, 0).ok_or_else(bad)?;
        Ok(Timestamp::from_datetime(Utc.from_utc_datetime(&dt)))
    };
    match policy {
        ExpiryPolicy::Never => Ok(None),
        ExpiryPolicy::AfterDays { days } => at.plus_days(i64::from(days)).map(Some),
        ExpiryPolicy::EndOfMonth => {
            let d = at.to_datetime().ok_or_else(bad)?;
            let (y, m) = if d.month() == 12 {
                (d.year() + 1, 1)
            } else {
                (d.year(), d.month() + 1)
            };
            first_of(y, m).map(Some)
        }
        ExpiryPolicy::EndOfYear => {
            let d = at.to_datetime().ok_or_else(bad)?;
            first_of(d.year() + 1, 1).map(Some)
        }
    }
}

/// Whether a lot's expiry has come at `now`.
#[must_use]
pub fn is_due(lot: &Lot, now: Timestamp) -> bool {
    lot.expires_at.is_some_and(|e| e <= now)
}

/// Whether a lot is still locked at `now`.
#[must_use]
pub fn is_pending(lot: &Lot, now: Timestamp) -> bool {
    lot.pending_until.is_some_and(|p| p > now)
}

/// Whether points can be taken from a lot at `now`.
#[must_use]
pub fn is_spendable(lot: &Lot, now: Timestamp) -> bool {
    lot.remaining > 0 && !is_due(lot, now) && !is_pending(lot, now)
}

/// Spendable lots in the order debits draw from them.
#[must_use]
pub fn spend_order(lots: &[Lot], now: Timestamp) -> Vec<Lot> {
    let mut out: Vec<Lot> = lots
        .iter()
        .copied()
        .filter(|l| is_spendable(l, now))
        .collect();
    out.sort_by_key(|l| (l.expires_at.is_none(), l.expires_at, l.at, l.id));
    out
}

/// Takes `points` from the spendable lots in spend order. If they hold less, the error
/// carries how many points are available.
pub fn allocate(
    lots: &[Lot],
    points: i64,
    now: Timestamp,
) -> std::result::Result<Vec<Allocation>, i64> {
    let mut left = points;
    let mut out = Vec::new();
    let mut available: i64 = 0;
    for lot in spend_order(lots, now) {
        available = available.saturating_add(lot.remaining);
        if left > 0 {
            let take = left.min(lot.remaining);
            out.push(Allocation {
                lot: lot.id,
                points: take,
            });
            left -= take;
        }
    }
    if left > 0 { Err(available) } else { Ok(out) }
}

/// Sum of what is left of the spendable lots.
#[must_use]
pub fn available(lots: &[Lot], now: Timestamp) -> i64 {
    lots.iter()
        .filter(|l| is_spendable(l, now))
        .fold(0i64, |a, l| a.saturating_add(l.remaining))
}

/// A card's balance at `now`. `ledger_sum` is the separately read sum of its entries;
/// `expiring` counts points of `total` that expire within `within_days` days.
pub fn balance(
    lots: &[Lot],
    now: Timestamp,
    within_days: u32,
    ledger_sum: i64,
    point_value: Money,
) -> Result<Balance> {
    let horizon = now.plus_days(i64::from(within_days))?;
    let overflow = || Error::validation("points", "balance overflows");
    let (mut avail, mut pending, mut expiring, mut awaiting) = (0i64, 0i64, 0i64, 0i64);
    for l in lots.iter().filter(|l| l.remaining > 0) {
        let slot = if is_due(l, now) {
            &mut awaiting
        } else if is_pending(l, now) {
            &mut pending
        } else {
            &mut avail
        };
        *slot = slot.checked_add(l.remaining).ok_or_else(overflow)?;
        if !is_due(l, now) && l.expires_at.is_some_and(|e| e <= horizon) {
            expiring = expiring.checked_add(l.remaining).ok_or_else(overflow)?;
        }
    }
    let value = avail
        .checked_mul(point_value.minor)
        .ok_or_else(|| Error::validation("points", "value overflows"))?;
    Ok(Balance {
        available: avail,
        pending,
        total: avail.checked_add(pending).ok_or_else(overflow)?,
        expiring,
        awaiting_expiry: awaiting,
        ledger_sum,
        available_value: Money::new(value, point_value.currency),
    })
}

/// How many points the returns of an order should have reversed in total once
/// `returned` of its `total` (minor units) came back, when it earned `earned` points:
/// `floor(earned * returned / total)`, so a full return reverses exactly `earned`.
#[must_use]
pub fn reversal_target(earned: i64, returned: i64, total: i64) -> i64 {
    if total <= 0 || returned >= total {
        return earned;
    }
    let v = i128::from(earned) * i128::from(returned.max(0)) / i128::from(total);
    i64::try_from(v).unwrap_or(earned).min(earned)
}

/// A debit of a returned order's points: first from the order's own lot (pending or not,
/// not yet due), then, under clawback, from the card's other spendable lots.
/// Returns the allocations from the order's lot, the allocations from other lots, and the
/// shortfall that nothing could cover.
#[must_use]
pub fn reversal_allocation(
    lots: &[Lot],
    order_lot: Option<crate::EntryId>,
    points: i64,
    now: Timestamp,
) -> (Vec<Allocation>, Vec<Allocation>, i64) {
    let mut left = points;
    let mut own = Vec::new();
    if let Some(lot) = order_lot.and_then(|id| lots.iter().find(|l| l.id == id))
        && lot.remaining > 0
        && !is_due(lot, now)
        && left > 0
    {
        let take = left.min(lot.remaining);
        own.push(Allocation {
            lot: lot.id,
            points: take,
        });
        left -= take;
    }
    let mut others = Vec::new();
    for lot in spend_order(lots, now)
        .iter()
        .filter(|l| Some(l.id) != order_lot)
    {
        if left == 0 {
            break;
        }
        let take = left.min(lot.remaining);
        others.push(Allocation {
            lot: lot.id,
            points: take,
        });
        left -= take;
    }
    (own, others, left)
}
