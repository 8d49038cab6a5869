//! The demo's deals: the Tbilisi furniture dealer's pipeline with deals in several stages.

use crmlite::customer::CustomerKind;
use crmlite::deal::report::ForecastBy;
use crmlite::deal::{NewDeal, NewDealLine, NewPipeline, Pipeline, StageMove, parse_stage_list};
use crmlite::{Crm, Currency, Error, Money, Result};

use crate::error::Failure;
use crate::output::{Output, Table};

/// The furniture dealer's stages: name | probability | kind | rot after days.
const STAGES: &str = "პირველი ზარი | 10 | open | 7
შოურუმის ვიზიტი | 25 | open | 14
აზომვა | 40
შეთავაზება | 60 | open | 10
ხელშეკრულება | 80
მიწოდება | 90
მოგებული | 100 | won
წაგებული | 0 | lost";

/// Why deals are lost.
const LOST_REASONS: &[&str] = &["ძვირია", "კონკურენტი", "ვადები არ აწყობს"];

/// A line: product, quantity in thousandths, unit price in tetri, discount in basis points.
type Line = (&'static str, i64, i64, u32);

/// The deals: title, owner, lines, the stage index it ends in (6 won, 7 lost).
const DEALS: &[(&str, &str, &[Line], usize)] = &[
    (
        "სამზარეულოს ავეჯი",
        "გიორგი",
        &[
            ("სამუშაო ზედაპირი", 4_500, 32_000, 500),
            ("ნიჟარა", 1_000, 45_000, 0),
        ],
        0,
    ),
    (
        "საძინებელი",
        "ნათია",
        &[
            ("საწოლი", 1_000, 189_000, 0),
            ("კარადა", 2_000, 95_000, 1_000),
        ],
        1,
    ),
    (
        "მისაღები ოთახი",
        "გიორგი",
        &[("დივანი", 1_000, 240_000, 0)],
        2,
    ),
    (
        "საბავშვო ოთახი",
        "ლევანი",
        &[("საწოლი", 2_000, 65_000, 0), ("მაგიდა", 1_000, 38_000, 0)],
        3,
    ),
    (
        "ოფისის სკამები",
        "ნათია",
        &[("სკამი", 12_000, 18_500, 1_500)],
        4,
    ),
    (
        "სასადილო მაგიდა",
        "ლევანი",
        &[("მაგიდა", 1_000, 120_000, 0), ("სკამი", 6_000, 21_000, 0)],
        5,
    ),
    ("გარდერობი", "გიორგი", &[("კარადა", 1_000, 310_000, 700)], 6),
    (
        "აივნის ავეჯი",
        "ნათია",
        &[("სავარძელი", 4_000, 27_500, 0)],
        7,
    ),
];

/// Adds the pipeline, the lost reasons and the deals with the Georgian customers of the demo.
pub fn seed(crm: &Crm) -> Result<usize> {
    let pipeline = crm.add_pipeline(&NewPipeline::new("ავეჯი", parse_stage_list(STAGES)?))?;
    let reasons = crm.seed_lost_reasons(LOST_REASONS)?;
    let gel = Currency::parse("GEL", "currency")?;
    for (i, (title, owner, lines, end)) in DEALS.iter().enumerate() {
        let customer = crm.customer_by_code(CustomerKind::Person, &format!("GE-P-{:02}", i + 1))?;
        let mut new = NewDeal::new(pipeline.id, *title)
            .customer(customer.id)
            .owner(*owner)
            .source("demo")
            .by(*owner);
        for (product, quantity, price, discount) in *lines {
            new = new.line(
                NewDealLine::new(*product, *quantity, Money::new(*price, gel))
                    .discount_bp(*discount),
            );
        }
        let deal = crm.add_deal(&new)?;
        match *end {
            6 => {
                crm.mark_won(deal.id, deal.version, owner)?;
            }
            7 => {
                let reason = reasons.first().map(|r| r.id);
                crm.mark_lost(deal.id, deal.version, reason, "", owner)?;
            }
            0 => {}
            index => {
                let stage = pipeline
                    .stages
                    .get(index)
                    .map(|s| s.id)
                    .ok_or_else(|| Error::validation("stage", "demo stage missing"))?;
                crm.move_deal(deal.id, deal.version, &StageMove::to(stage, *owner))?;
            }
        }
    }
    Ok(DEALS.len())
}

/// The demo's pipeline.
pub fn pipeline(crm: &Crm) -> Result<Pipeline> {
    crm.pipelines()?
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found(crmlite::EntityKind::Pipeline, 1))
}

/// The tour's deals part: deals per stage and the forecast by owner.
pub fn tour(crm: &Crm, out: &mut Output) -> Result<(), Failure> {
    let p = pipeline(crm)?;
    out.line(format!(
        "Deals move through the furniture pipeline (report funnel {}):",
        p.id
    ))?;
    let mut table = Table::new(&["STAGE", "DEALS NOW", "REACHED"])
        .right(1)
        .right(2)
        .indent(2);
    for s in crm.funnel(p.id)? {
        table.row(vec![s.name, s.current.to_string(), s.reached.to_string()]);
    }
    out.table(&table)?;
    out.line("")?;
    out.line("The weighted forecast of open deals (report forecast --by owner):")?;
    let mut table = Table::new(&["OWNER", "DEALS", "AMOUNT", "WEIGHTED"])
        .right(1)
        .right(2)
        .right(3)
        .indent(2);
    for r in crm.forecast(ForecastBy::Owner, Some(p.id))? {
        table.row(vec![
            r.group,
            r.deals.to_string(),
            r.amount.to_string(),
            r.weighted.to_string(),
        ]);
    }
    Ok(out.table(&table)?)
}

/// The tour's deals part as JSON.
pub fn tour_json(crm: &Crm) -> Result<serde_json::Value> {
    let p = pipeline(crm)?;
    Ok(serde_json::json!({
        "pipeline": p.id,
        "funnel": crm.funnel(p.id)?,
        "forecast": crm.forecast(ForecastBy::Owner, Some(p.id))?,
    }))
}
