//! Pure earn-rule evaluation with integer arithmetic only.
//!
//! Order of evaluation: rules sorted by `position`, then by id. A rule applies when the
//! time is inside its active window, the card's tier is one it targets (or it targets
//! none), and its matching lines reach `min_amount` and `min_quantity`. A rule with
//! `stop` set ends the evaluation once it applied.
//!
//! The earn base of a line is what was paid for it: its total, scaled by the order's
//! `paid / total` when part of the order was paid with points. Reward lines earn nothing.
//!
//! Rounding, the one rule: every step works in millionths of a point and rounds down
//! (`floor`); the order's sum is rounded down to whole points once, at the end.

use super::{Earn, EarnRule, LineFilter, LoyaltyEvent, ReferralRole};
use crate::sales::{Order, OrderLine};
use crate::{Error, Result, TierId, Timestamp};

/// Millionths of a point: the working unit of the evaluation.
const SCALE: i128 = 1_000_000;

fn overflow() -> Error {
    Error::validation("points", "earned points overflow")
}

fn matches(filter: &LineFilter, line: &OrderLine) -> bool {
    if line.reward {
        return false;
    }
    let has_tag = |list: &[String]| line.tags.iter().any(|t| list.contains(t));
    if filter.exclude_products.contains(&line.product)
        || (!line.category.is_empty() && filter.exclude_categories.contains(&line.category))
        || has_tag(&filter.exclude_tags)
    {
        return false;
    }
    let any_include =
        !(filter.products.is_empty() && filter.categories.is_empty() && filter.tags.is_empty());
    !any_include
        || filter.products.contains(&line.product)
        || (!line.category.is_empty() && filter.categories.contains(&line.category))
        || has_tag(&filter.tags)
}

fn active(rule: &EarnRule, at: Timestamp, tier: Option<TierId>) -> bool {
    let r = &rule.rule;
    r.active_from.is_none_or(|f| at >= f)
        && r.active_until.is_none_or(|u| at < u)
        && (r.tiers.is_empty() || tier.is_some_and(|t| r.tiers.contains(&t)))
}

fn sorted(rules: &[EarnRule]) -> Vec<&EarnRule> {
    let mut out: Vec<&EarnRule> = rules.iter().collect();
    out.sort_by_key(|r| (r.rule.position, r.id));
    out
}

/// The earn base of each line: its total scaled by `paid / total`, rounded down.
fn line_bases(order: &Order) -> Vec<i128> {
    let total = i128::from(order.total.minor);
    let paid = i128::from(order.paid.minor);
    order
        .lines
        .iter()
        .map(|l| {
            if total <= 0 {
                0
            } else {
                i128::from(l.total) * paid / total
            }
        })
        .collect()
}

fn to_points(micro: i128) -> Result<i64> {
    i64::try_from(micro.max(0) / SCALE).map_err(|_| overflow())
}

/// Points an order earns under `rules` for a card in `tier`. Event rules are ignored.
pub fn evaluate_order(rules: &[EarnRule], order: &Order, tier: Option<TierId>) -> Result<i64> {
    let bases = line_bases(order);
    let mut per_line: Vec<i128> = vec![0; order.lines.len()];
    let mut per_order: i128 = 0;
    for rule in sorted(rules) {
        if !rule.rule.earn.is_purchase() || !active(rule, order.at, tier) {
            continue;
        }
        let hits: Vec<usize> = order
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| matches(&rule.rule.filter, l))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            continue;
        }
        let amount: i128 = hits
            .iter()
            .map(|&i| bases.get(i).copied().unwrap_or(0))
            .sum();
        let units: i128 = hits
            .iter()
            .filter_map(|&i| order.lines.get(i))
            .map(|l| i128::from(l.quantity))
            .sum();
        if amount < i128::from(rule.rule.min_amount) || units < i128::from(rule.rule.min_quantity) {
            continue;
        }
        match rule.rule.earn {
            Earn::PerAmount { points, per } => {
                for &i in &hits {
                    let base = bases.get(i).copied().unwrap_or(0);
                    let add = base
                        .checked_mul(i128::from(points))
                        .and_then(|v| v.checked_mul(SCALE))
                        .ok_or_else(overflow)?
                        / i128::from(per.max(1));
                    if let Some(slot) = per_line.get_mut(i) {
                        *slot = slot.checked_add(add).ok_or_else(overflow)?;
                    }
                }
            }
            Earn::PerUnit { points } => {
                for &i in &hits {
                    let q = order.lines.get(i).map_or(0, |l| i128::from(l.quantity));
                    let add = q
                        .checked_mul(i128::from(points))
                        .and_then(|v| v.checked_mul(SCALE))
                        .ok_or_else(overflow)?;
                    if let Some(slot) = per_line.get_mut(i) {
                        *slot = slot.checked_add(add).ok_or_else(overflow)?;
                    }
                }
            }
            Earn::PerOrder { points } => {
                per_order = per_order
                    .checked_add(i128::from(points) * SCALE)
                    .ok_or_else(overflow)?;
            }
            Earn::Multiplier { percent } => {
                let pct = i128::from(percent);
                for &i in &hits {
                    if let Some(slot) = per_line.get_mut(i) {
                        *slot = slot.checked_mul(pct).ok_or_else(overflow)? / 100;
                    }
                }
                if rule.rule.filter.is_empty() {
                    per_order = per_order.checked_mul(pct).ok_or_else(overflow)? / 100;
                }
            }
            Earn::Signup { .. }
            | Earn::Birthday { .. }
            | Earn::Referral { .. }
            | Earn::Bonus { .. } => {}
        }
        if rule.rule.stop {
            break;
        }
    }
    let sum = per_line
        .iter()
        .try_fold(per_order, |a, v| a.checked_add(*v))
        .ok_or_else(overflow)?;
    to_points(sum)
}

/// Points an event earns under `rules` at `at` for a card in `tier`. Purchase rules are ignored.
pub fn evaluate_event(
    rules: &[EarnRule],
    event: &LoyaltyEvent,
    at: Timestamp,
    tier: Option<TierId>,
) -> Result<i64> {
    let mut total: i64 = 0;
    for rule in sorted(rules) {
        if !active(rule, at, tier) {
            continue;
        }
        let points = match (&rule.rule.earn, event) {
            (Earn::Signup { points }, LoyaltyEvent::Signup)
            | (Earn::Birthday { points }, LoyaltyEvent::Birthday { .. }) => *points,
            (Earn::Referral { points, role }, LoyaltyEvent::Referral { role: side, .. })
                if *role == ReferralRole::Both || role == side =>
            {
                *points
            }
            (Earn::Bonus { points }, LoyaltyEvent::Bonus { rule: id }) if *id == rule.id => *points,
            _ => continue,
        };
        total = total.checked_add(points).ok_or_else(overflow)?;
        if rule.rule.stop {
            break;
        }
    }
    Ok(total)
}

/// The highest tier whose threshold `amount` reaches (tiers in any order), if any.
#[must_use]
pub fn qualifying_tier(tiers: &[super::Tier], amount: i64) -> Option<TierId> {
    tiers
        .iter()
        .filter(|t| t.threshold <= amount)
        .max_by_key(|t| (t.threshold, t.id))
        .map(|t| t.id)
}

/// The tier a card moves to: up at once; down only as the downgrade policy allows
/// (`Never`: never; `Automatic`: at once; `EveryDays`: once `days` passed since the last change).
pub fn next_tier(
    policy: super::Downgrade,
    tiers: &[super::Tier],
    current: Option<TierId>,
    since: Timestamp,
    qualified: Option<TierId>,
    now: Timestamp,
) -> Result<Option<TierId>> {
    let rank = |t: Option<TierId>| {
        t.and_then(|id| tiers.iter().find(|x| x.id == id))
            .map(|x| (x.threshold, x.id))
    };
    if rank(qualified) >= rank(current) {
        return Ok(qualified);
    }
    Ok(match policy {
        super::Downgrade::Never => current,
        super::Downgrade::Automatic => qualified,
        super::Downgrade::EveryDays { days } => {
            if now >= since.plus_days(i64::from(days))? {
                qualified
            } else {
                current
            }
        }
    })
}
