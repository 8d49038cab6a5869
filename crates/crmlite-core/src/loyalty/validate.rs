//! Checks of loyalty configuration input.

use super::Downgrade;
use super::{
    Earn, ExpiryPolicy, LineFilter, NewEarnRule, NewProgram, NewReward, NewTier, Program,
    RewardKind,
};
use crate::customer::clean_text;
use crate::money::{Currency, Money};
use crate::{Error, ProgramId, Result, Timestamp};

/// The largest day count accepted for periods and windows (about 100 years).
const MAX_DAYS: u32 = 36_600;

fn days(field: &str, value: u32, min: u32) -> Result<()> {
    if value < min || value > MAX_DAYS {
        return Err(Error::validation(
            field,
            format!("must be between {min} and {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

fn positive(field: &str, value: i64) -> Result<()> {
    if value < 1 {
        return Err(Error::validation(field, "must be at least 1"));
    }
    Ok(())
}

/// Checks a new program; the id is set by the store.
pub fn validate_program(new: &NewProgram, now: Timestamp) -> Result<Program> {
    let currency = Currency::parse(&new.currency, "currency")?;
    positive("point_value", new.point_value)?;
    if let ExpiryPolicy::AfterDays { days: d } = new.expiry {
        days("expiry.days", d, 1)?;
    }
    if let Downgrade::EveryDays { days: d } = new.downgrade {
        days("downgrade.days", d, 1)?;
    }
    days("pending_days", new.pending_days, 0)?;
    days("tier_window_days", new.tier_window_days, 1)?;
    Ok(Program {
        id: ProgramId(0),
        name: clean_text("name", &new.name, 200, true)?,
        currency,
        point_value: Money::new(new.point_value, currency),
        expiry: new.expiry,
        pending_days: new.pending_days,
        reversal: new.reversal,
        tier_basis: new.tier_basis,
        tier_window_days: new.tier_window_days,
        downgrade: new.downgrade,
        created_at: now,
    })
}

fn list(field: &str, items: &[String]) -> Result<Vec<String>> {
    if items.len() > 1000 {
        return Err(Error::validation(field, "at most 1000 entries"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, s)| clean_text(&format!("{field}[{i}]"), s, 200, true))
        .collect()
}

/// Checks an earn rule and returns it cleaned.
pub fn validate_rule(new: &NewEarnRule) -> Result<NewEarnRule> {
    let mut rule = new.clone();
    rule.name = clean_text("name", &new.name, 200, true)?;
    match new.earn {
        Earn::PerAmount { points, per } => {
            positive("earn.points", points)?;
            positive("earn.per", per)?;
        }
        Earn::PerOrder { points }
        | Earn::PerUnit { points }
        | Earn::Signup { points }
        | Earn::Birthday { points }
        | Earn::Referral { points, .. }
        | Earn::Bonus { points } => positive("earn.points", points)?,
        Earn::Multiplier { percent } => {
            if !(0..=100_000).contains(&percent) {
                return Err(Error::validation(
                    "earn.percent",
                    "must be between 0 and 100000",
                ));
            }
        }
    }
    let f = &new.filter;
    rule.filter = LineFilter {
        products: list("filter.products", &f.products)?,
        categories: list("filter.categories", &f.categories)?,
        tags: list("filter.tags", &f.tags)?,
        exclude_products: list("filter.exclude_products", &f.exclude_products)?,
        exclude_categories: list("filter.exclude_categories", &f.exclude_categories)?,
        exclude_tags: list("filter.exclude_tags", &f.exclude_tags)?,
    };
    if !new.earn.is_purchase() && !rule.filter.is_empty() {
        return Err(Error::validation(
            "filter",
            "only purchase rules filter lines",
        ));
    }
    if new.min_amount < 0 {
        return Err(Error::validation("min_amount", "must not be negative"));
    }
    if new.min_quantity < 0 {
        return Err(Error::validation("min_quantity", "must not be negative"));
    }
    if let (Some(from), Some(until)) = (new.active_from, new.active_until)
        && until <= from
    {
        return Err(Error::validation(
            "active_until",
            "must be after active_from",
        ));
    }
    Ok(rule)
}

/// Checks a tier and returns it cleaned.
pub fn validate_tier(new: &NewTier) -> Result<NewTier> {
    if new.threshold < 0 {
        return Err(Error::validation("threshold", "must not be negative"));
    }
    Ok(NewTier {
        program: new.program,
        name: clean_text("name", &new.name, 100, true)?,
        threshold: new.threshold,
    })
}

/// Checks a reward and returns it cleaned.
pub fn validate_reward(new: &NewReward) -> Result<NewReward> {
    let mut reward = new.clone();
    reward.name = clean_text("name", &new.name, 200, true)?;
    positive("required_points", new.required_points)?;
    match &new.kind {
        RewardKind::PercentDiscount { percent } => {
            if !(1..=100).contains(percent) {
                return Err(Error::validation(
                    "kind.percent",
                    "must be between 1 and 100",
                ));
            }
        }
        RewardKind::FixedDiscount { amount } | RewardKind::Cashback { amount } => {
            positive("kind.amount", *amount)?
        }
        RewardKind::FreeProduct { product } => {
            reward.kind = RewardKind::FreeProduct {
                product: clean_text("kind.product", product, 200, true)?,
            };
        }
    }
    if let (Some(from), Some(until)) = (new.valid_from, new.valid_until)
        && until <= from
    {
        return Err(Error::validation("valid_until", "must be after valid_from"));
    }
    Ok(reward)
}
