//! Loyalty: programs, earn rules, tiers, rewards, cards and the points ledger.
//!
//! Money amounts (point value, `per`, minimums, reward amounts, spend thresholds) cross as
//! `Decimal`s (or ints) in the program's currency; points are ints.

use crate::convert::{minor_units, money_to_py, page_limit, timestamp_from_py, timestamp_to_py};
use crate::crm::Crm;
use crate::errors::{to_py, validation};
use crmlite::loyalty::{
    Balance, Card, Downgrade, Earn, EarnRule, ExpiryPolicy, LedgerEntry, LineFilter, LoyaltyEvent,
    NewEarnRule, NewProgram, NewReward, NewTier, Program, ProgramMetrics, Redemption, ReferralRole,
    ReversalPolicy, Reward, RewardKind, Tier, TierBasis,
};
use crmlite::{
    CardId, Currency, CustomerId, OrderId, ProgramId, RewardId, RuleId, TierId, Timestamp,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(create_program, m)?)?;
    m.add_function(wrap_pyfunction!(programs, m)?)?;
    m.add_function(wrap_pyfunction!(program, m)?)?;
    m.add_function(wrap_pyfunction!(add_earn_rule, m)?)?;
    m.add_function(wrap_pyfunction!(earn_rules, m)?)?;
    m.add_function(wrap_pyfunction!(add_tier, m)?)?;
    m.add_function(wrap_pyfunction!(tiers, m)?)?;
    m.add_function(wrap_pyfunction!(add_reward, m)?)?;
    m.add_function(wrap_pyfunction!(rewards, m)?)?;
    m.add_function(wrap_pyfunction!(open_card, m)?)?;
    m.add_function(wrap_pyfunction!(card, m)?)?;
    m.add_function(wrap_pyfunction!(card_by_code, m)?)?;
    m.add_function(wrap_pyfunction!(card_for, m)?)?;
    m.add_function(wrap_pyfunction!(balance, m)?)?;
    m.add_function(wrap_pyfunction!(points_history, m)?)?;
    m.add_function(wrap_pyfunction!(award_order, m)?)?;
    m.add_function(wrap_pyfunction!(award_event, m)?)?;
    m.add_function(wrap_pyfunction!(redeem_points, m)?)?;
    m.add_function(wrap_pyfunction!(redeem_reward, m)?)?;
    m.add_function(wrap_pyfunction!(adjust_points, m)?)?;
    m.add_function(wrap_pyfunction!(expire_points, m)?)?;
    m.add_function(wrap_pyfunction!(refresh_tier, m)?)?;
    m.add_function(wrap_pyfunction!(program_metrics, m)?)?;
    Ok(())
}

fn days(py: Python<'_>, value: i64, field: &str) -> PyResult<u32> {
    u32::try_from(value).map_err(|_| validation(py, field, "must be between 0 and 36600 days"))
}

fn opt_time(value: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<Timestamp>> {
    value.map(|v| timestamp_from_py(v, field)).transpose()
}

fn program_currency(py: Python<'_>, crm: &Crm, program: i64) -> PyResult<Currency> {
    Ok(crm.run(py, |c| c.program(ProgramId(program)))?.currency)
}

/// Creates a loyalty program.
#[pyfunction]
#[pyo3(signature = (crm, name, currency, point_value, *, expiry, expiry_days, pending_days, reversal, tier_basis,
    tier_window_days, downgrade, downgrade_days))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn create_program<'py>(
    py: Python<'py>,
    crm: &Crm,
    name: String,
    currency: &str,
    point_value: &Bound<'py, PyAny>,
    expiry: &str,
    expiry_days: i64,
    pending_days: i64,
    reversal: &str,
    tier_basis: &str,
    tier_window_days: i64,
    downgrade: &str,
    downgrade_days: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let cur = Currency::parse(currency, "currency").map_err(|e| to_py(py, &e))?;
    let mut new = NewProgram::new(
        name,
        currency,
        minor_units(point_value, cur.exponent(), "point_value")?,
    );
    new.expiry = match expiry {
        "never" => ExpiryPolicy::Never,
        "after_days" => ExpiryPolicy::AfterDays {
            days: days(py, expiry_days, "expiry_days")?,
        },
        "end_of_month" => ExpiryPolicy::EndOfMonth,
        "end_of_year" => ExpiryPolicy::EndOfYear,
        _ => {
            return Err(validation(
                py,
                "expiry",
                "must be never, after_days, end_of_month or end_of_year",
            ));
        }
    };
    new.pending_days = days(py, pending_days, "pending_days")?;
    new.reversal = match reversal {
        "refuse" => ReversalPolicy::Refuse,
        "clawback" => ReversalPolicy::Clawback,
        _ => return Err(validation(py, "reversal", "must be refuse or clawback")),
    };
    new.tier_basis = match tier_basis {
        "points_earned" => TierBasis::PointsEarned,
        "spend" => TierBasis::Spend,
        _ => {
            return Err(validation(
                py,
                "tier_basis",
                "must be points_earned or spend",
            ));
        }
    };
    new.tier_window_days = days(py, tier_window_days, "tier_window_days")?;
    new.downgrade = match downgrade {
        "never" => Downgrade::Never,
        "automatic" => Downgrade::Automatic,
        "every_days" => Downgrade::EveryDays {
            days: days(py, downgrade_days, "downgrade_days")?,
        },
        _ => {
            return Err(validation(
                py,
                "downgrade",
                "must be never, automatic or every_days",
            ));
        }
    };
    let program = crm.run(py, |c| c.create_program(&new))?;
    program_to_py(py, &program)
}

/// Every program, by id.
#[pyfunction]
fn programs<'py>(py: Python<'py>, crm: &Crm) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for p in &crm.run(py, |c| c.programs())? {
        list.append(program_to_py(py, p)?)?;
    }
    Ok(list)
}

/// One program.
#[pyfunction]
fn program<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    program_to_py(py, &crm.run(py, |c| c.program(ProgramId(id)))?)
}

/// Adds an earn rule of `kind` to a program.
#[pyfunction]
#[pyo3(signature = (crm, program, name, kind, *, points, per, percent, role, position, products, categories, tags,
    exclude_products, exclude_categories, exclude_tags, min_amount, min_quantity, tiers, active_from, active_until,
    stop))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_earn_rule<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    name: String,
    kind: &str,
    points: i64,
    per: Option<&Bound<'py, PyAny>>,
    percent: i64,
    role: &str,
    position: i32,
    products: Vec<String>,
    categories: Vec<String>,
    tags: Vec<String>,
    exclude_products: Vec<String>,
    exclude_categories: Vec<String>,
    exclude_tags: Vec<String>,
    min_amount: Option<&Bound<'py, PyAny>>,
    min_quantity: i64,
    tiers: Vec<i64>,
    active_from: Option<&Bound<'py, PyAny>>,
    active_until: Option<&Bound<'py, PyAny>>,
    stop: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let cur = program_currency(py, crm, program)?;
    let earn = match kind {
        "per_amount" => {
            let per =
                per.ok_or_else(|| validation(py, "per", "is required for per_amount rules"))?;
            Earn::PerAmount {
                points,
                per: minor_units(per, cur.exponent(), "per")?,
            }
        }
        "per_order" => Earn::PerOrder { points },
        "per_unit" => Earn::PerUnit { points },
        "multiplier" => Earn::Multiplier { percent },
        "signup" => Earn::Signup { points },
        "birthday" => Earn::Birthday { points },
        "referral" => Earn::Referral {
            points,
            role: parse_role(py, role)?,
        },
        "bonus" => Earn::Bonus { points },
        _ => {
            return Err(validation(
                py,
                "kind",
                "must be per_amount, per_order, per_unit, multiplier, signup, birthday, referral or bonus",
            ));
        }
    };
    let filter = LineFilter::default()
        .products(products)
        .categories(categories)
        .tags(tags)
        .exclude_products(exclude_products)
        .exclude_categories(exclude_categories)
        .exclude_tags(exclude_tags);
    let mut rule = NewEarnRule::new(ProgramId(program), name, earn)
        .position(position)
        .filter(filter)
        .min_quantity(min_quantity)
        .tiers(tiers.into_iter().map(TierId).collect())
        .active(
            opt_time(active_from, "active_from")?,
            opt_time(active_until, "active_until")?,
        );
    if let Some(m) = min_amount {
        rule = rule.min_amount(minor_units(m, cur.exponent(), "min_amount")?);
    }
    if stop {
        rule = rule.stop();
    }
    let stored = crm.run(py, |c| c.add_earn_rule(&rule))?;
    rule_to_py(py, &stored, cur)
}

fn parse_role(py: Python<'_>, role: &str) -> PyResult<ReferralRole> {
    match role {
        "referrer" => Ok(ReferralRole::Referrer),
        "referred" => Ok(ReferralRole::Referred),
        "both" => Ok(ReferralRole::Both),
        _ => Err(validation(py, "role", "must be referrer, referred or both")),
    }
}

/// A program's earn rules in evaluation order.
#[pyfunction]
fn earn_rules<'py>(py: Python<'py>, crm: &Crm, program: i64) -> PyResult<Bound<'py, PyList>> {
    let cur = program_currency(py, crm, program)?;
    let list = PyList::empty(py);
    for r in &crm.run(py, |c| c.earn_rules(ProgramId(program)))? {
        list.append(rule_to_py(py, r, cur)?)?;
    }
    Ok(list)
}

/// Adds a tier; the threshold is points (an int) or spend (a Decimal) as the program's basis says.
#[pyfunction]
fn add_tier<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    name: String,
    threshold: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = crm.run(py, |c| c.program(ProgramId(program)))?;
    let threshold = match p.tier_basis {
        TierBasis::PointsEarned => threshold
            .extract::<i64>()
            .map_err(|_| validation(py, "threshold", "must be an int of points"))?,
        TierBasis::Spend => minor_units(threshold, p.currency.exponent(), "threshold")?,
    };
    let tier = crm.run(py, |c| {
        c.add_tier(&NewTier::new(ProgramId(program), name, threshold))
    })?;
    tier_to_py(py, &tier, &p)
}

/// A program's tiers, lowest first.
#[pyfunction]
fn tiers<'py>(py: Python<'py>, crm: &Crm, program: i64) -> PyResult<Bound<'py, PyList>> {
    let (p, tiers) = crm.run(py, |c| {
        Ok((c.program(ProgramId(program))?, c.tiers(ProgramId(program))?))
    })?;
    let list = PyList::empty(py);
    for t in &tiers {
        list.append(tier_to_py(py, t, &p)?)?;
    }
    Ok(list)
}

/// Adds a reward of `kind` (percent_discount, fixed_discount, free_product, cashback).
#[pyfunction]
#[pyo3(signature = (crm, program, name, kind, required_points, *, percent, amount, product, valid_from, valid_until))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_reward<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    name: String,
    kind: &str,
    required_points: i64,
    percent: i64,
    amount: Option<&Bound<'py, PyAny>>,
    product: String,
    valid_from: Option<&Bound<'py, PyAny>>,
    valid_until: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cur = program_currency(py, crm, program)?;
    let money = |field: &str| -> PyResult<i64> {
        let a =
            amount.ok_or_else(|| validation(py, field, "is required for this kind of reward"))?;
        minor_units(a, cur.exponent(), field)
    };
    let kind = match kind {
        "percent_discount" => RewardKind::PercentDiscount { percent },
        "fixed_discount" => RewardKind::FixedDiscount {
            amount: money("amount")?,
        },
        "free_product" => RewardKind::FreeProduct { product },
        "cashback" => RewardKind::Cashback {
            amount: money("amount")?,
        },
        _ => {
            return Err(validation(
                py,
                "kind",
                "must be percent_discount, fixed_discount, free_product or cashback",
            ));
        }
    };
    let new = NewReward::new(ProgramId(program), name, kind, required_points).valid(
        opt_time(valid_from, "valid_from")?,
        opt_time(valid_until, "valid_until")?,
    );
    let reward = crm.run(py, |c| c.add_reward(&new))?;
    reward_to_py(py, &reward, cur)
}

/// A program's rewards, cheapest first.
#[pyfunction]
fn rewards<'py>(py: Python<'py>, crm: &Crm, program: i64) -> PyResult<Bound<'py, PyList>> {
    let cur = program_currency(py, crm, program)?;
    let list = PyList::empty(py);
    for r in &crm.run(py, |c| c.rewards(ProgramId(program)))? {
        list.append(reward_to_py(py, r, cur)?)?;
    }
    Ok(list)
}

/// Opens a customer's card in a program.
#[pyfunction]
#[pyo3(signature = (crm, program, customer, *, code))]
fn open_card<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    customer: i64,
    code: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    card_to_py(
        py,
        &crm.run(py, |c| {
            c.open_card(ProgramId(program), CustomerId(customer), code.as_deref())
        })?,
    )
}

/// One card by id.
#[pyfunction]
fn card<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    card_to_py(py, &crm.run(py, |c| c.card(CardId(id)))?)
}

/// The card with this code.
#[pyfunction]
fn card_by_code<'py>(py: Python<'py>, crm: &Crm, code: &str) -> PyResult<Bound<'py, PyDict>> {
    card_to_py(py, &crm.run(py, |c| c.card_by_code(code))?)
}

/// A customer's card in a program.
#[pyfunction]
fn card_for<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    customer: i64,
) -> PyResult<Bound<'py, PyDict>> {
    card_to_py(
        py,
        &crm.run(py, |c| c.card_for(ProgramId(program), CustomerId(customer)))?,
    )
}

/// A card's balance now.
#[pyfunction]
#[pyo3(signature = (crm, card, *, within_days))]
fn balance<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    within_days: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let within = days(py, within_days, "within_days")?;
    balance_to_py(py, &crm.run(py, |c| c.balance(CardId(card), within))?)
}

/// One page of a card's ledger entries, newest first: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, card, *, cursor, limit))]
fn points_history<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let page = crm.run(py, |c| {
        c.points_history(CardId(card), cursor.as_deref(), page_limit(limit))
    })?;
    let items = PyList::empty(py);
    for e in &page.items {
        items.append(entry_to_py(py, e)?)?;
    }
    Ok((items, page.next))
}

/// Awards an order's points on a card, at most once.
#[pyfunction]
#[pyo3(signature = (crm, card, order, *, key))]
fn award_order<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    order: i64,
    key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    entry_to_py(
        py,
        &crm.run(py, |c| {
            c.award_order(CardId(card), OrderId(order), key.as_deref())
        })?,
    )
}

/// Awards a non-purchase event: signup, birthday (`year`), referral (`other`, `role`) or bonus (`rule`).
#[pyfunction]
#[pyo3(signature = (crm, card, event, *, year, other, role, rule, key))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn award_event<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    event: &str,
    year: i32,
    other: i64,
    role: &str,
    rule: i64,
    key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let event = match event {
        "signup" => LoyaltyEvent::Signup,
        "birthday" => LoyaltyEvent::Birthday { year },
        "referral" => LoyaltyEvent::Referral {
            other: CustomerId(other),
            role: parse_role(py, role)?,
        },
        "bonus" => LoyaltyEvent::Bonus { rule: RuleId(rule) },
        _ => {
            return Err(validation(
                py,
                "event",
                "must be signup, birthday, referral or bonus",
            ));
        }
    };
    entry_to_py(
        py,
        &crm.run(py, |c| c.award_event(CardId(card), &event, key.as_deref()))?,
    )
}

/// Spends points from a card, soonest-expiring lots first.
#[pyfunction]
#[pyo3(signature = (crm, card, points, *, order, key))]
fn redeem_points<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    points: i64,
    order: Option<i64>,
    key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = crm.run(py, |c| {
        c.redeem_points(CardId(card), points, order.map(OrderId), key.as_deref())
    })?;
    redemption_to_py(py, &r)
}

/// Spends a reward's points and says what it gives.
#[pyfunction]
#[pyo3(signature = (crm, card, reward, *, order, key))]
fn redeem_reward<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    reward: i64,
    order: Option<i64>,
    key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = crm.run(py, |c| {
        c.redeem_reward(
            CardId(card),
            RewardId(reward),
            order.map(OrderId),
            key.as_deref(),
        )
    })?;
    redemption_to_py(py, &r)
}

/// A manual correction with a reason.
#[pyfunction]
#[pyo3(signature = (crm, card, points, reason, *, key))]
fn adjust_points<'py>(
    py: Python<'py>,
    crm: &Crm,
    card: i64,
    points: i64,
    reason: &str,
    key: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    entry_to_py(
        py,
        &crm.run(py, |c| {
            c.adjust_points(CardId(card), points, reason, key.as_deref())
        })?,
    )
}

/// Records the expiry of every lot due at `now`: `(lots, points)`.
#[pyfunction]
fn expire_points(py: Python<'_>, crm: &Crm, now: &Bound<'_, PyAny>) -> PyResult<(u64, i64)> {
    let now = timestamp_from_py(now, "now")?;
    let run = crm.run(py, |c| c.expire_points(now))?;
    Ok((run.lots, run.points))
}

/// Re-evaluates a card's tier now.
#[pyfunction]
fn refresh_tier<'py>(py: Python<'py>, crm: &Crm, card: i64) -> PyResult<Bound<'py, PyDict>> {
    card_to_py(py, &crm.run(py, |c| c.refresh_tier(CardId(card)))?)
}

/// Points movements of a program in `[from, until)` and what is outstanding now.
#[pyfunction]
fn program_metrics<'py>(
    py: Python<'py>,
    crm: &Crm,
    program: i64,
    from_: &Bound<'py, PyAny>,
    until: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let (from, until) = (
        timestamp_from_py(from_, "from")?,
        timestamp_from_py(until, "until")?,
    );
    metrics_to_py(
        py,
        &crm.run(py, |c| c.program_metrics(ProgramId(program), from, until))?,
    )
}

fn amount<'py>(py: Python<'py>, minor: i64, currency: Currency) -> PyResult<Bound<'py, PyAny>> {
    money_to_py(py, &crmlite::Money::new(minor, currency))
}

fn program_to_py<'py>(py: Python<'py>, p: &Program) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", p.id.get())?;
    d.set_item("name", &p.name)?;
    d.set_item("currency", p.currency.code())?;
    d.set_item("point_value", money_to_py(py, &p.point_value)?)?;
    let (expiry, expiry_days) = match p.expiry {
        ExpiryPolicy::Never => ("never", 0),
        ExpiryPolicy::AfterDays { days } => ("after_days", days),
        ExpiryPolicy::EndOfMonth => ("end_of_month", 0),
        ExpiryPolicy::EndOfYear => ("end_of_year", 0),
    };
    d.set_item("expiry", expiry)?;
    d.set_item("expiry_days", expiry_days)?;
    d.set_item("pending_days", p.pending_days)?;
    d.set_item(
        "reversal",
        if p.reversal == ReversalPolicy::Refuse {
            "refuse"
        } else {
            "clawback"
        },
    )?;
    d.set_item(
        "tier_basis",
        if p.tier_basis == TierBasis::Spend {
            "spend"
        } else {
            "points_earned"
        },
    )?;
    d.set_item("tier_window_days", p.tier_window_days)?;
    let (downgrade, downgrade_days) = match p.downgrade {
        Downgrade::Never => ("never", 0),
        Downgrade::Automatic => ("automatic", 0),
        Downgrade::EveryDays { days } => ("every_days", days),
    };
    d.set_item("downgrade", downgrade)?;
    d.set_item("downgrade_days", downgrade_days)?;
    d.set_item("created_at", timestamp_to_py(py, p.created_at)?)?;
    Ok(d)
}

fn rule_to_py<'py>(py: Python<'py>, r: &EarnRule, cur: Currency) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let rule = &r.rule;
    d.set_item("id", r.id.get())?;
    d.set_item("program", rule.program.get())?;
    d.set_item("name", &rule.name)?;
    d.set_item("position", rule.position)?;
    let (kind, points, per, percent, role) = match &rule.earn {
        Earn::PerAmount { points, per } => ("per_amount", *points, Some(*per), 0, None),
        Earn::PerOrder { points } => ("per_order", *points, None, 0, None),
        Earn::PerUnit { points } => ("per_unit", *points, None, 0, None),
        Earn::Multiplier { percent } => ("multiplier", 0, None, *percent, None),
        Earn::Signup { points } => ("signup", *points, None, 0, None),
        Earn::Birthday { points } => ("birthday", *points, None, 0, None),
        Earn::Referral { points, role } => ("referral", *points, None, 0, Some(*role)),
        Earn::Bonus { points } => ("bonus", *points, None, 0, None),
    };
    d.set_item("kind", kind)?;
    d.set_item("points", points)?;
    d.set_item("per", per.map(|p| amount(py, p, cur)).transpose()?)?;
    d.set_item("percent", percent)?;
    d.set_item(
        "role",
        role.map(|r| match r {
            ReferralRole::Referrer => "referrer",
            ReferralRole::Referred => "referred",
            ReferralRole::Both => "both",
        }),
    )?;
    let f = &rule.filter;
    d.set_item("products", &f.products)?;
    d.set_item("categories", &f.categories)?;
    d.set_item("tags", &f.tags)?;
    d.set_item("exclude_products", &f.exclude_products)?;
    d.set_item("exclude_categories", &f.exclude_categories)?;
    d.set_item("exclude_tags", &f.exclude_tags)?;
    d.set_item("min_amount", amount(py, rule.min_amount, cur)?)?;
    d.set_item("min_quantity", rule.min_quantity)?;
    d.set_item(
        "tiers",
        rule.tiers.iter().map(|t| t.get()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "active_from",
        rule.active_from
            .map(|t| timestamp_to_py(py, t))
            .transpose()?,
    )?;
    d.set_item(
        "active_until",
        rule.active_until
            .map(|t| timestamp_to_py(py, t))
            .transpose()?,
    )?;
    d.set_item("stop", rule.stop)?;
    Ok(d)
}

fn tier_to_py<'py>(py: Python<'py>, t: &Tier, p: &Program) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", t.id.get())?;
    d.set_item("program", t.program.get())?;
    d.set_item("name", &t.name)?;
    match p.tier_basis {
        TierBasis::PointsEarned => d.set_item("threshold", t.threshold)?,
        TierBasis::Spend => d.set_item("threshold", amount(py, t.threshold, p.currency)?)?,
    }
    Ok(d)
}

fn reward_to_py<'py>(py: Python<'py>, r: &Reward, cur: Currency) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let w = &r.reward;
    d.set_item("id", r.id.get())?;
    d.set_item("program", w.program.get())?;
    d.set_item("name", &w.name)?;
    let (kind, percent, money, product) = match &w.kind {
        RewardKind::PercentDiscount { percent } => ("percent_discount", *percent, None, ""),
        RewardKind::FixedDiscount { amount } => ("fixed_discount", 0, Some(*amount), ""),
        RewardKind::FreeProduct { product } => ("free_product", 0, None, product.as_str()),
        RewardKind::Cashback { amount } => ("cashback", 0, Some(*amount), ""),
    };
    d.set_item("kind", kind)?;
    d.set_item("percent", percent)?;
    d.set_item("amount", money.map(|m| amount(py, m, cur)).transpose()?)?;
    d.set_item("product", product)?;
    d.set_item("required_points", w.required_points)?;
    d.set_item(
        "valid_from",
        w.valid_from.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    d.set_item(
        "valid_until",
        w.valid_until.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    Ok(d)
}

fn card_to_py<'py>(py: Python<'py>, c: &Card) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", c.id.get())?;
    d.set_item("program", c.program.get())?;
    d.set_item("customer", c.customer.get())?;
    d.set_item("code", &c.code)?;
    d.set_item("tier", c.tier.map(TierId::get))?;
    d.set_item("tier_since", timestamp_to_py(py, c.tier_since)?)?;
    d.set_item("created_at", timestamp_to_py(py, c.created_at)?)?;
    Ok(d)
}

fn balance_to_py<'py>(py: Python<'py>, b: &Balance) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("available", b.available)?;
    d.set_item("pending", b.pending)?;
    d.set_item("total", b.total)?;
    d.set_item("expiring", b.expiring)?;
    d.set_item("awaiting_expiry", b.awaiting_expiry)?;
    d.set_item("ledger_sum", b.ledger_sum)?;
    d.set_item("available_value", money_to_py(py, &b.available_value)?)?;
    Ok(d)
}

fn entry_to_py<'py>(py: Python<'py>, e: &LedgerEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", e.id.get())?;
    d.set_item("card", e.card.get())?;
    d.set_item("program", e.program.get())?;
    d.set_item("kind", e.kind.as_str())?;
    d.set_item("points", e.points)?;
    d.set_item(
        "pending_until",
        e.pending_until
            .map(|t| timestamp_to_py(py, t))
            .transpose()?,
    )?;
    d.set_item(
        "expires_at",
        e.expires_at.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    d.set_item("source_kind", &e.source_kind)?;
    d.set_item("source_ref", &e.source_ref)?;
    d.set_item("reason", &e.reason)?;
    d.set_item("order", e.order.map(OrderId::get))?;
    d.set_item("reward", e.reward.map(RewardId::get))?;
    d.set_item("shortfall", e.shortfall)?;
    d.set_item("at", timestamp_to_py(py, e.at)?)?;
    let allocations = PyList::empty(py);
    for a in &e.allocations {
        allocations.append(PyTuple::new(py, [a.lot.get(), a.points])?)?;
    }
    d.set_item("allocations", allocations)?;
    Ok(d)
}

fn redemption_to_py<'py>(py: Python<'py>, r: &Redemption) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("entry", entry_to_py(py, &r.entry)?)?;
    d.set_item(
        "value",
        r.value.as_ref().map(|m| money_to_py(py, m)).transpose()?,
    )?;
    d.set_item(
        "discount",
        r.discount
            .as_ref()
            .map(|m| money_to_py(py, m))
            .transpose()?,
    )?;
    d.set_item("free_product", &r.free_product)?;
    d.set_item(
        "cashback",
        r.cashback
            .as_ref()
            .map(|m| money_to_py(py, m))
            .transpose()?,
    )?;
    Ok(d)
}

fn metrics_to_py<'py>(py: Python<'py>, m: &ProgramMetrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("program", m.program.get())?;
    d.set_item("from", timestamp_to_py(py, m.from)?)?;
    d.set_item("until", timestamp_to_py(py, m.until)?)?;
    d.set_item("issued", m.issued)?;
    d.set_item("redeemed", m.redeemed)?;
    d.set_item("expired", m.expired)?;
    d.set_item("reversed", m.reversed)?;
    d.set_item("pending", m.pending)?;
    d.set_item("outstanding", m.outstanding)?;
    d.set_item("liability", money_to_py(py, &m.liability)?)?;
    Ok(d)
}
