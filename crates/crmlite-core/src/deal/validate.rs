//! Validation of pipeline, stage, lost-reason and deal input.

use super::{
    Deal, DealLine, DealPatch, NewDeal, NewDealLine, NewStage, PipelineId, Stage, StageKind,
    StagePatch,
};
use crate::customer::{attribute_name, attribute_value, attributes, clean_text, external_code};
use crate::money::{Money, div_round_half_away};
use crate::{DealId, Error, Result, StageId, Timestamp};

const MAX_NAME: usize = 200;
const MAX_ITEMS: usize = 200;
/// Quantities are in thousandths of a unit.
const QUANTITY_SCALE: i128 = 1000;
/// Discounts are in basis points.
const BP_SCALE: i128 = 10_000;

/// A pipeline, stage or lost-reason name.
pub(crate) fn name(field: &str, value: &str) -> Result<String> {
    clean_text(field, value, MAX_NAME, true)
}

/// A probability in percent.
pub(crate) fn probability(field: &str, value: u8) -> Result<u8> {
    if value > 100 {
        return Err(Error::validation(field, "must be between 0 and 100"));
    }
    Ok(value)
}

/// A new stage at `position` of `pipeline`; `field` is e.g. `stages[2]`.
pub(crate) fn new_stage(
    field: &str,
    new: &NewStage,
    pipeline: PipelineId,
    position: i64,
) -> Result<Stage> {
    let default = match new.kind {
        StageKind::Won => 100,
        StageKind::Open | StageKind::Lost => 0,
    };
    let probability = probability(
        &format!("{field}.probability"),
        new.probability.unwrap_or(default),
    )?;
    match (new.kind, probability) {
        (StageKind::Won, p) if p != 100 => {
            return Err(Error::validation(
                format!("{field}.probability"),
                "must be 100 for a won stage",
            ));
        }
        (StageKind::Lost, p) if p != 0 => {
            return Err(Error::validation(
                format!("{field}.probability"),
                "must be 0 for a lost stage",
            ));
        }
        _ => {}
    }
    Ok(Stage {
        id: StageId(0),
        pipeline,
        name: name(&format!("{field}.name"), &new.name)?,
        position,
        probability,
        kind: new.kind,
        rot_after_days: rot_after_days(&format!("{field}.rot_after_days"), new.rot_after_days)?,
        retired: false,
    })
}

fn rot_after_days(field: &str, days: Option<u32>) -> Result<Option<u32>> {
    match days {
        Some(0) => Err(Error::validation(field, "must be at least 1 day")),
        Some(d) if d > 36_500 => Err(Error::validation(field, "must be at most 36500 days")),
        other => Ok(other),
    }
}

/// Applies a stage patch.
pub(crate) fn stage_patch(current: &Stage, patch: &StagePatch) -> Result<Stage> {
    let mut next = current.clone();
    if let Some(n) = &patch.name {
        next.name = name("name", n)?;
    }
    if let Some(p) = patch.probability {
        next.probability = probability("probability", p)?;
        let fixed = match current.kind {
            StageKind::Won => Some(100),
            StageKind::Lost => Some(0),
            StageKind::Open => None,
        };
        if fixed.is_some_and(|f| f != next.probability) {
            return Err(Error::validation(
                "probability",
                "is fixed for won (100) and lost (0) stages",
            ));
        }
    }
    if let Some(r) = patch.rot_after_days {
        next.rot_after_days = rot_after_days("rot_after_days", r)?;
    }
    Ok(next)
}

/// The total of one line: quantity x unit price x (1 - discount), rounded half away from zero.
///
/// Computed exactly as `quantity_milli * unit_price * (10000 - discount_bp) / 10_000_000` in
/// `i128`; a result outside `i64` is a validation error on `field`.
pub fn line_total(
    quantity_milli: i64,
    unit_price: Money,
    discount_bp: u32,
    field: &str,
) -> Result<Money> {
    let overflow = || Error::validation(field, "amount overflows");
    let keep = BP_SCALE - i128::from(discount_bp);
    let numerator = i128::from(quantity_milli)
        .checked_mul(i128::from(unit_price.minor))
        .and_then(|v| v.checked_mul(keep))
        .ok_or_else(overflow)?;
    let total = div_round_half_away(numerator, QUANTITY_SCALE * BP_SCALE).ok_or_else(overflow)?;
    let minor = i64::try_from(total).map_err(|_| overflow())?;
    Ok(Money::new(minor, unit_price.currency))
}

/// Checks line items and computes their totals; all must share one currency.
pub(crate) fn lines(list: &[NewDealLine]) -> Result<Vec<DealLine>> {
    if list.len() > MAX_ITEMS {
        return Err(Error::validation(
            "lines",
            format!("at most {MAX_ITEMS} lines"),
        ));
    }
    let mut out: Vec<DealLine> = Vec::with_capacity(list.len());
    for (i, l) in list.iter().enumerate() {
        let field = format!("lines[{i}]");
        if let Some(first) = out.first()
            && first.unit_price.currency != l.unit_price.currency
        {
            return Err(Error::validation(
                format!("{field}.unit_price"),
                format!(
                    "currency {} does not match {}",
                    l.unit_price.currency, first.unit_price.currency
                ),
            ));
        }
        if l.quantity_milli <= 0 {
            return Err(Error::validation(
                format!("{field}.quantity_milli"),
                "must be positive",
            ));
        }
        if l.unit_price.minor < 0 {
            return Err(Error::validation(
                format!("{field}.unit_price"),
                "must not be negative",
            ));
        }
        if i128::from(l.discount_bp) > BP_SCALE {
            return Err(Error::validation(
                format!("{field}.discount_bp"),
                "must be between 0 and 10000",
            ));
        }
        // With a product code the name may be left empty: the service takes the entry's.
        let product = clean_text(
            &format!("{field}.product"),
            &l.product,
            MAX_NAME,
            l.product_code.is_none(),
        )?;
        let product_code = l
            .product_code
            .as_deref()
            .map(|c| clean_text(&format!("{field}.product_code"), c, 100, true))
            .transpose()?;
        let total = line_total(
            l.quantity_milli,
            l.unit_price,
            l.discount_bp,
            &format!("{field}.total"),
        )?;
        out.push(DealLine {
            product,
            product_code,
            quantity_milli: l.quantity_milli,
            unit_price: l.unit_price,
            discount_bp: l.discount_bp,
            total,
        });
    }
    Ok(out)
}

/// The deal amount: the line total when there are lines (a given amount must then match it
/// in currency and value), else the given amount, which must not be negative.
pub(crate) fn amount(given: Option<Money>, lines: &[DealLine]) -> Result<Money> {
    let Some(first) = lines.first() else {
        let amount = given
            .ok_or_else(|| Error::validation("amount", "is required when there are no lines"))?;
        if amount.minor < 0 {
            return Err(Error::validation("amount", "must not be negative"));
        }
        return Ok(amount);
    };
    let mut total = Money::new(0, first.total.currency);
    for (i, l) in lines.iter().enumerate() {
        total = total.checked_add(l.total, &format!("lines[{i}].total"))?;
    }
    if let Some(g) = given {
        if g.currency != total.currency {
            return Err(Error::validation(
                "amount",
                format!(
                    "currency {} does not match the lines' {}",
                    g.currency, total.currency
                ),
            ));
        }
        if g.minor != total.minor {
            return Err(Error::validation(
                "amount",
                format!("must equal the line total {total} or be left out"),
            ));
        }
    }
    Ok(total)
}

/// Checks a new deal's own fields. Pipeline, stage and references are checked by the service.
pub(crate) fn new_deal(new: &NewDeal, stage: &Stage, now: Timestamp) -> Result<Deal> {
    let title = name("title", &new.title)?;
    let lines = lines(&new.lines)?;
    let amount = amount(new.amount, &lines)?;
    let probability_override = new
        .probability
        .map(|p| probability("probability", p))
        .transpose()?;
    Ok(Deal {
        id: DealId(0),
        pipeline: stage.pipeline,
        stage: stage.id,
        status: stage.kind,
        title,
        customer: new.customer,
        organisation: new.organisation,
        owner: owner(&new.owner)?,
        amount,
        lines,
        probability_override,
        probability: super::effective_probability(
            stage.kind,
            probability_override,
            stage.probability,
        ),
        expected_close: new.expected_close,
        closed_at: None,
        source: source(&new.source)?,
        lost_reason: None,
        lost_at_stage: None,
        lost_note: String::new(),
        stage_entered_at: now,
        attributes: attributes(&new.attributes)?,
        external_code: external_code(new.external_code.as_deref())?,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// Applies a patch to a deal's data; the caller sets the effective probability afterwards.
pub(crate) fn deal_patch(current: &Deal, patch: &DealPatch, now: Timestamp) -> Result<Deal> {
    let mut next = current.clone();
    if let Some(t) = &patch.title {
        next.title = name("title", t)?;
    }
    if let Some(c) = patch.customer {
        next.customer = c;
    }
    if let Some(o) = patch.organisation {
        next.organisation = o;
    }
    if let Some(o) = &patch.owner {
        next.owner = owner(o)?;
    }
    if let Some(l) = &patch.lines {
        next.lines = lines(l)?;
        next.amount = amount(patch.amount, &next.lines)?;
    } else if let Some(a) = patch.amount {
        if !next.lines.is_empty() {
            return Err(Error::validation(
                "amount",
                "is the line total; change the lines instead",
            ));
        }
        next.amount = amount(Some(a), &[])?;
    }
    if let Some(p) = patch.probability {
        next.probability_override = p.map(|p| probability("probability", p)).transpose()?;
    }
    if let Some(d) = patch.expected_close {
        next.expected_close = d;
    }
    if let Some(s) = &patch.source {
        next.source = source(s)?;
    }
    for (key, value) in &patch.attributes {
        let key = attribute_name(key)?;
        match value {
            Some(v) => {
                next.attributes
                    .insert(key.clone(), attribute_value(&key, v)?);
            }
            None => {
                next.attributes.remove(&key);
            }
        }
    }
    if next.attributes.len() > 50 {
        return Err(Error::validation("attributes", "at most 50 attributes"));
    }
    if let Some(c) = &patch.external_code {
        next.external_code = external_code(c.as_deref())?;
    }
    bump(&mut next, now)?;
    Ok(next)
}

/// Bumps the version and the update time.
pub(crate) fn bump(deal: &mut Deal, now: Timestamp) -> Result<()> {
    deal.version = deal
        .version
        .checked_add(1)
        .ok_or_else(|| Error::validation("version", "overflows"))?;
    deal.updated_at = now;
    Ok(())
}

/// A user reference (owner, mover).
pub(crate) fn owner(value: &str) -> Result<String> {
    clean_text("owner", value, 100, false)
}

/// Who made a change.
pub(crate) fn by(value: &str) -> Result<String> {
    clean_text("by", value, 100, false)
}

fn source(value: &str) -> Result<String> {
    clean_text("source", value, 100, false)
}

/// Parses a stage list, one stage a line: `name | probability | kind | rot days`.
///
/// Only the name is required; the kind defaults to `open`, blank lines and lines starting
/// with `#` are skipped. Errors name the line as `stages[i]`, counting stages from 0.
pub fn parse_stage_list(text: &str) -> Result<Vec<NewStage>> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let field = format!("stages[{}]", out.len());
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() > 4 {
            return Err(Error::validation(
                field,
                "has more than 4 parts: name | probability | kind | rot days",
            ));
        }
        let part = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());
        let number = |i: usize, what: &str| -> Result<Option<u32>> {
            part(i)
                .map(|p| {
                    crate::text::ascii_digits(p)
                        .trim_end_matches('%')
                        .parse::<u32>()
                        .map_err(|_| {
                            Error::validation(format!("{field}.{what}"), "is not a whole number")
                        })
                })
                .transpose()
        };
        let probability = number(1, "probability")?
            .map(|p| {
                u8::try_from(p).map_err(|_| {
                    Error::validation(format!("{field}.probability"), "must be between 0 and 100")
                })
            })
            .transpose()?;
        let kind = part(2)
            .map(|k| StageKind::parse(k, &format!("{field}.kind")))
            .transpose()?
            .unwrap_or(StageKind::Open);
        out.push(NewStage {
            name: part(0).unwrap_or_default().to_owned(),
            probability,
            kind,
            rot_after_days: number(3, "rot_after_days")?,
        });
    }
    Ok(out)
}
