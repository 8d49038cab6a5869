//! Loyalty tiers, the reward catalogue and program metrics: adding tiers, reading and
//! refreshing a card's tier, adding and redeeming rewards, and a program's points figures.

use crate::boundary::{FfiError, guard};
use crate::db::crmlite;
use crate::handle::{self, Out};
use crate::status::crmlite_status;
use crate::strings;
use ::crmlite::loyalty::{NewReward, NewTier, RewardKind};
use ::crmlite::{CardId, OrderId, ProgramId, RewardId, Timestamp};
use std::ffi::c_char;

/// Reward kind: `value` percent off the order's total (rounded down).
pub const CRMLITE_REWARD_PERCENT_DISCOUNT: i32 = 0;
/// Reward kind: `value` minor units off the order (at most its total).
pub const CRMLITE_REWARD_FIXED_DISCOUNT: i32 = 1;
/// Reward kind: the product `product` for free.
pub const CRMLITE_REWARD_FREE_PRODUCT: i32 = 2;
/// Reward kind: `value` minor units back to the customer's wallet.
pub const CRMLITE_REWARD_CASHBACK: i32 = 3;

/// What redeeming a reward gave; money is in minor units of the program's currency.
#[repr(C)]
pub struct crmlite_redemption {
    /// The ledger entry of the redemption.
    pub entry: i64,
    /// Points spent (positive).
    pub points: i64,
    /// The reward's kind, a `CRMLITE_REWARD_*` code.
    pub kind: i32,
    /// The discount on the order, for discount rewards; 0 otherwise.
    pub discount: i64,
    /// Money back to the wallet, for cashback rewards; 0 otherwise.
    pub cashback: i64,
}

/// A program's points movements over a period and what is outstanding now.
#[repr(C)]
pub struct crmlite_points_metrics {
    /// Points awarded and positively adjusted (refunds of points-paid orders included) in the period.
    pub issued: i64,
    /// Points redeemed in the period.
    pub redeemed: i64,
    /// Points expired in the period.
    pub expired: i64,
    /// Points reversed or clawed back on returns, and negative adjustments, in the period.
    pub reversed: i64,
    /// Points pending now.
    pub pending: i64,
    /// Points not yet spent, expired or reversed now (pending included).
    pub outstanding: i64,
    /// `outstanding` times the point value, in minor units: what the program owes.
    pub liability: i64,
}

fn reward_kind(code: i32, value: i64, product: Option<&str>) -> Result<RewardKind, FfiError> {
    Ok(match code {
        CRMLITE_REWARD_PERCENT_DISCOUNT => RewardKind::PercentDiscount { percent: value },
        CRMLITE_REWARD_FIXED_DISCOUNT => RewardKind::FixedDiscount { amount: value },
        CRMLITE_REWARD_FREE_PRODUCT => RewardKind::FreeProduct {
            product: product
                .ok_or_else(|| {
                    FfiError::validation("product", "a free-product reward needs a product")
                })?
                .to_owned(),
        },
        CRMLITE_REWARD_CASHBACK => RewardKind::Cashback { amount: value },
        _ => {
            return Err(FfiError::validation(
                "kind",
                "must be one of the CRMLITE_REWARD_* kinds",
            ));
        }
    })
}

fn reward_code(kind: &RewardKind) -> i32 {
    match kind {
        RewardKind::PercentDiscount { .. } => CRMLITE_REWARD_PERCENT_DISCOUNT,
        RewardKind::FixedDiscount { .. } => CRMLITE_REWARD_FIXED_DISCOUNT,
        RewardKind::FreeProduct { .. } => CRMLITE_REWARD_FREE_PRODUCT,
        RewardKind::Cashback { .. } => CRMLITE_REWARD_CASHBACK,
    }
}

/// Adds a tier named `name` to `program`, reached from `threshold` (points earned, or minor
/// units spent, within the program's tier window). Writes the tier's id to `*id_out`.
///
/// Ownership: `name` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name` or `threshold`),
/// CRMLITE_ERR_NOT_FOUND (no such program), CRMLITE_ERR_CONFLICT (a tier of that name
/// exists), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
/// `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_tier_add(
    db: *const crmlite,
    program: i64,
    name: *const c_char,
    threshold: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        out.set(
            db.add_tier(&NewTier::new(ProgramId(program), name, threshold))?
                .id
                .get(),
        );
        Ok(())
    })
}

/// Writes the id of the current tier of `card` to `*tier_out`, or 0 when it has none.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `tier_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_card_tier(
    db: *const crmlite,
    card: i64,
    tier_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(tier_out, "tier_out") }?;
        out.set(db.card(CardId(card))?.tier.map_or(0, |t| t.get()));
        Ok(())
    })
}

/// Re-evaluates the tier of `card` now (downgrades when nothing else happened; a change is
/// noted on the customer's timeline) and writes the resulting tier id, or 0 for none, to
/// `*tier_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `tier_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_card_refresh_tier(
    db: *const crmlite,
    card: i64,
    tier_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(tier_out, "tier_out") }?;
        out.set(db.refresh_tier(CardId(card))?.tier.map_or(0, |t| t.get()));
        Ok(())
    })
}

/// Adds a reward of `kind` (`CRMLITE_REWARD_*`) to the catalogue of `program`, costing
/// `required_points`. `value` is the percent or the amount in minor units (ignored for a
/// free product); `product` names the free product (NULL for the other kinds). Writes the
/// reward's id to `*id_out`.
///
/// Ownership: `name` and `product` are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `name`, `product`, `kind.product`,
/// `required_points`, `kind.percent` or `kind.amount`), CRMLITE_ERR_NOT_FOUND (no such
/// program), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
/// `product` is NULL or one; `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: one argument per setting
pub unsafe extern "C" fn crmlite_reward_add(
    db: *const crmlite,
    program: i64,
    name: *const c_char,
    kind: i32,
    value: i64,
    product: *const c_char,
    required_points: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises a NUL-terminated name and NULL or a NUL-terminated product.
        let (name, product) = unsafe {
            (
                strings::arg(name, "name")?,
                strings::opt_arg(product, "product")?,
            )
        };
        let new = NewReward::new(
            ProgramId(program),
            name,
            reward_kind(kind, value, product)?,
            required_points,
        );
        out.set(db.add_reward(&new)?.id.get());
        Ok(())
    })
}

/// Spends the points `reward` costs from `card`, against `order` (0 for none; a discount
/// reward needs one), and writes what it gave to `*redemption_out`. `key` (NULL for none)
/// makes a retry safe as for `crmlite_points_redeem`.
///
/// Ownership: `key` is only read.
/// Threads: `db` may be used from several threads and processes at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points`: fewer available than the
/// reward costs; `reward`: of another program or not valid now; `order`), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `key` is NULL or a NUL-terminated
/// string; `redemption_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_reward_redeem(
    db: *const crmlite,
    card: i64,
    reward: i64,
    order: i64,
    key: *const c_char,
    redemption_out: *mut crmlite_redemption,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(redemption_out, "redemption_out") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let key = unsafe { strings::opt_arg(key, "key") }?;
        let order = (order != 0).then_some(OrderId(order));
        let r = db.redeem_reward(CardId(card), RewardId(reward), order, key)?;
        let kind = db
            .rewards(r.entry.program)?
            .iter()
            .find(|x| x.id == RewardId(reward))
            .map(|x| reward_code(&x.reward.kind))
            .ok_or_else(|| FfiError::Internal(format!("reward {reward} is not in its program")))?;
        out.set(crmlite_redemption {
            entry: r.entry.id.get(),
            points: r.entry.points.checked_neg().unwrap_or(i64::MAX),
            kind,
            discount: r.discount.map_or(0, |m| m.minor),
            cashback: r.cashback.map_or(0, |m| m.minor),
        });
        Ok(())
    })
}

/// Writes the points `program` issued, redeemed, expired and reversed with
/// `from_ms <= at < until_ms` (Unix milliseconds, UTC), and the points pending and
/// outstanding now with their liability, to `*metrics_out`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `until`: not after `from`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `metrics_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_program_metrics(
    db: *const crmlite,
    program: i64,
    from_ms: i64,
    until_ms: i64,
    metrics_out: *mut crmlite_points_metrics,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(metrics_out, "metrics_out") }?;
        let m = db.program_metrics(ProgramId(program), Timestamp(from_ms), Timestamp(until_ms))?;
        out.set(crmlite_points_metrics {
            issued: m.issued,
            redeemed: m.redeemed,
            expired: m.expired,
            reversed: m.reversed,
            pending: m.pending,
            outstanding: m.outstanding,
            liability: m.liability.minor,
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reward_kind_has_a_code_both_ways() {
        for code in CRMLITE_REWARD_PERCENT_DISCOUNT..=CRMLITE_REWARD_CASHBACK {
            let kind = reward_kind(code, 10, Some("ჩაი")).ok();
            assert_eq!(kind.as_ref().map(reward_code), Some(code));
        }
        assert!(reward_kind(CRMLITE_REWARD_FREE_PRODUCT, 0, None).is_err());
        assert!(reward_kind(4, 1, None).is_err() && reward_kind(-1, 1, None).is_err());
    }
}
