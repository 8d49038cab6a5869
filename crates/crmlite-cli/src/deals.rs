//! `crmlite deals ...`: add, move, win, lose, reopen, show and list deals.

use std::collections::HashMap;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use crmlite::deal::{Deal, DealFilter, NewDeal, NewDealLine, StageKind, StageMove};
use crmlite::money::parse_decimal;
use crmlite::{
    Crm, Currency, CustomerId, DealId, Error, LostReasonId, Money, PipelineId, Result, StageId,
};

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `deals` subcommands.
#[derive(Debug, Subcommand)]
pub enum DealsCommand {
    /// Add a deal in a pipeline's first open stage (or `--stage`).
    Add(AddArgs),
    /// Move an open deal to another stage of its pipeline.
    Move(MoveArgs),
    /// Mark an open deal as won.
    Won(CloseArgs),
    /// Mark an open deal as lost, for a reason from `pipelines lost-reasons`.
    Lost(LostArgs),
    /// Reopen a won or lost deal (by default into the stage it was lost at).
    Reopen(ReopenArgs),
    /// Show a deal with its lines and stage history.
    Show(ShowArgs),
    /// List deals by pipeline, stage, owner, customer or status; `--stale` for rotting ones.
    List(ListArgs),
}

/// Arguments of `deals add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The pipeline id.
    #[arg(long)]
    pipeline: i64,
    /// A short title.
    #[arg(long)]
    title: String,
    /// The person (a customer id).
    #[arg(long)]
    customer: Option<i64>,
    /// The organisation (a customer id).
    #[arg(long)]
    organisation: Option<i64>,
    /// The open stage to start in.
    #[arg(long)]
    stage: Option<i64>,
    /// Who owns the deal.
    #[arg(long, default_value = "")]
    owner: String,
    /// The currency of the amount and the lines (ISO 4217).
    #[arg(long)]
    currency: String,
    /// The amount, e.g. `1 250,50` (left out when lines are given).
    #[arg(long)]
    amount: Option<String>,
    /// A line item `product | quantity | unit price | discount %` (repeat).
    #[arg(long = "line", value_name = "LINE")]
    lines: Vec<String>,
    /// An explicit probability (0-100) instead of the stage default.
    #[arg(long)]
    probability: Option<u8>,
    /// Expected close date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    close: Option<String>,
    /// Source or campaign reference.
    #[arg(long, default_value = "")]
    source: String,
    /// Code in the system of record.
    #[arg(long)]
    code: Option<String>,
    /// Who adds it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `deals move`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The deal id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// The target stage id.
    #[arg(long)]
    stage: i64,
    /// The lost reason id, when the target is a lost stage.
    #[arg(long)]
    reason: Option<i64>,
    /// Who moves it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `deals won`.
#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The deal id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// Who closes it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `deals lost`.
#[derive(Debug, Args)]
pub struct LostArgs {
    /// The deal id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// The lost reason id (required by the rules; missing is reported as invalid input).
    #[arg(long)]
    reason: Option<i64>,
    /// A note on the loss.
    #[arg(long, default_value = "")]
    note: String,
    /// Who closes it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `deals reopen`.
#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The deal id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// The open stage to reopen into.
    #[arg(long)]
    stage: Option<i64>,
    /// Who reopens it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `deals show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The deal id.
    id: i64,
}

/// Arguments of `deals list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this pipeline.
    #[arg(long)]
    pipeline: Option<i64>,
    /// Only this stage.
    #[arg(long)]
    stage: Option<i64>,
    /// Only this owner.
    #[arg(long)]
    owner: Option<String>,
    /// Only deals with this customer (person or organisation).
    #[arg(long)]
    customer: Option<i64>,
    /// Only open, won or lost deals.
    #[arg(long)]
    status: Option<String>,
    /// Only open deals that stayed in their stage past its rot threshold.
    #[arg(long, conflicts_with_all = ["stage", "owner", "customer", "status"])]
    stale: bool,
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Runs one `deals` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: DealsCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    let deal = match cmd {
        DealsCommand::Add(args) => crm.add_deal(&new_deal(&args)?)?,
        DealsCommand::Move(args) => {
            let mut change = StageMove::to(StageId(args.stage), args.by);
            change.lost_reason = args.reason.map(LostReasonId);
            crm.move_deal(DealId(args.id), args.version, &change)?
        }
        DealsCommand::Won(args) => crm.mark_won(DealId(args.id), args.version, &args.by)?,
        DealsCommand::Lost(args) => crm.mark_lost(
            DealId(args.id),
            args.version,
            args.reason.map(LostReasonId),
            &args.note,
            &args.by,
        )?,
        DealsCommand::Reopen(args) => crm.reopen_deal(
            DealId(args.id),
            args.version,
            args.stage.map(StageId),
            &args.by,
        )?,
        DealsCommand::Show(args) => crm.deal(DealId(args.id))?,
        DealsCommand::List(args) => return list(&crm, out, &args),
    };
    print_deal(&crm, out, &deal)
}

fn new_deal(args: &AddArgs) -> Result<NewDeal> {
    let currency = Currency::parse(&args.currency, "currency")?;
    let mut new = NewDeal::new(PipelineId(args.pipeline), args.title.as_str())
        .owner(args.owner.as_str())
        .source(args.source.as_str())
        .by(args.by.as_str());
    new.stage = args.stage.map(StageId);
    new.customer = args.customer.map(CustomerId);
    new.organisation = args.organisation.map(CustomerId);
    new.amount = args
        .amount
        .as_deref()
        .map(|a| Money::parse(a, currency, "amount"))
        .transpose()?;
    new.lines = args
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| parse_line(l, currency, i))
        .collect::<Result<_>>()?;
    new.probability = args.probability;
    new.expected_close = args
        .close
        .as_deref()
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| Error::validation("close", "must be a date YYYY-MM-DD"))
        })
        .transpose()?;
    new.external_code.clone_from(&args.code);
    Ok(new)
}

/// Parses `product | quantity | unit price | discount %` (quantity up to 3 decimals).
fn parse_line(text: &str, currency: Currency, i: usize) -> Result<NewDealLine> {
    let field = format!("lines[{i}]");
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    let (product, quantity, price, discount) = match parts.as_slice() {
        [p, q, u] => (*p, *q, *u, "0"),
        [p, q, u, d] => (*p, *q, *u, *d),
        _ => {
            return Err(Error::validation(
                field,
                "must be `product | quantity | unit price | discount %`",
            ));
        }
    };
    let quantity = parse_decimal(quantity, 3, &format!("{field}.quantity_milli"))?;
    let price = Money::parse(price, currency, &format!("{field}.unit_price"))?;
    let discount_field = format!("{field}.discount_bp");
    let discount = parse_decimal(discount.trim_end_matches('%'), 2, &discount_field)?;
    let discount = u32::try_from(discount)
        .map_err(|_| Error::validation(discount_field, "must be between 0 and 100 %"))?;
    Ok(NewDealLine::new(product, quantity, price).discount_bp(discount))
}

fn list(crm: &Crm, out: &mut Output, args: &ListArgs) -> Result<(), Failure> {
    let page = if args.stale {
        crm.stale_deals(
            args.pipeline.map(PipelineId),
            args.cursor.as_deref(),
            args.limit,
        )?
    } else {
        let mut filter = DealFilter::all();
        filter.pipeline = args.pipeline.map(PipelineId);
        filter.stage = args.stage.map(StageId);
        filter.owner.clone_from(&args.owner);
        filter.customer = args.customer.map(CustomerId);
        filter.status = args
            .status
            .as_deref()
            .map(|s| StageKind::parse(s, "status"))
            .transpose()?;
        crm.list_deals(&filter, args.cursor.as_deref(), args.limit)?
    };
    if out.is_json() {
        return Ok(out.json(&page)?);
    }
    if page.items.is_empty() {
        out.line("no deals")?;
        return Ok(());
    }
    let names = stage_names(crm)?;
    let mut table = Table::new(&["ID", "TITLE", "STAGE", "OWNER", "AMOUNT", "PROB", "CLOSE"])
        .right(0)
        .right(4)
        .right(5);
    for d in &page.items {
        table.row(vec![
            d.id.to_string(),
            d.title.clone(),
            names.get(&d.stage).cloned().unwrap_or_default(),
            d.owner.clone(),
            d.amount.to_string(),
            format!("{} %", d.probability),
            d.expected_close.map_or_else(String::new, |c| c.to_string()),
        ]);
    }
    out.table(&table)?;
    if let Some(next) = page.next {
        out.line(format!("more: --cursor {next}"))?;
    }
    Ok(())
}

/// Every stage's name by id.
pub fn stage_names(crm: &Crm) -> Result<HashMap<StageId, String>> {
    Ok(crm
        .pipelines()?
        .into_iter()
        .flat_map(|p| p.stages)
        .map(|s| (s.id, s.name))
        .collect())
}

/// Prints a deal card with its lines and history (or the deal and history as JSON).
pub fn print_deal(crm: &Crm, out: &mut Output, d: &Deal) -> Result<(), Failure> {
    let history = crm.deal_history(d.id)?;
    if out.is_json() {
        return Ok(out.json(&serde_json::json!({ "deal": d, "history": history }))?);
    }
    let names = stage_names(crm)?;
    let stage = |id: StageId| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let customer = |id: Option<CustomerId>| -> Result<String> {
        id.map_or(Ok(String::new()), |id| {
            crm.customer(id).map(|c| format!("#{} {}", c.id, c.name))
        })
    };
    let lost_reason = match d.lost_reason {
        Some(r) => crm
            .lost_reasons()?
            .into_iter()
            .find(|x| x.id == r)
            .map_or_else(|| r.to_string(), |x| x.name),
        None => String::new(),
    };
    out.line(format!(
        "deal #{} {} (version {})",
        d.id, d.title, d.version
    ))?;
    out.fields(
        2,
        &[
            (
                "stage",
                format!("{} ({})", stage(d.stage), d.status.as_str()),
            ),
            ("customer", customer(d.customer)?),
            ("organisation", customer(d.organisation)?),
            ("owner", d.owner.clone()),
            ("amount", d.amount.to_string()),
            (
                "probability",
                format!(
                    "{} %{}",
                    d.probability,
                    if d.probability_override.is_some() {
                        " (set by hand)"
                    } else {
                        ""
                    }
                ),
            ),
            (
                "expected close",
                d.expected_close.map_or_else(String::new, |c| c.to_string()),
            ),
            ("closed", d.closed_at.map_or_else(String::new, time)),
            ("lost reason", lost_reason),
            ("lost at", d.lost_at_stage.map_or_else(String::new, stage)),
            ("source", d.source.clone()),
            ("code", d.external_code.clone().unwrap_or_default()),
        ],
    )?;
    if !d.lines.is_empty() {
        let mut table = Table::new(&["PRODUCT", "QTY", "UNIT PRICE", "DISCOUNT", "TOTAL"])
            .right(1)
            .right(2)
            .right(3)
            .right(4)
            .indent(2);
        for l in &d.lines {
            table.row(vec![
                l.product.clone(),
                crmlite::money::format_decimal(l.quantity_milli, 3),
                l.unit_price.to_string(),
                format!(
                    "{} %",
                    crmlite::money::format_decimal(i64::from(l.discount_bp), 2)
                ),
                l.total.to_string(),
            ]);
        }
        out.table(&table)?;
    }
    let mut table = Table::new(&["WHEN", "FROM", "TO", "BY", "TIME IN FROM"]).indent(2);
    for h in &history {
        table.row(vec![
            time(h.at),
            h.from_stage.map_or_else(String::new, stage),
            stage(h.to_stage),
            h.by.clone(),
            if h.from_stage.is_some() {
                duration(h.spent_ms)
            } else {
                String::new()
            },
        ]);
    }
    Ok(out.table(&table)?)
}

/// A duration for people: days with one decimal, rounded half away from zero.
pub fn duration(ms: i64) -> String {
    let tenths = crmlite::money::div_round_half_away(i128::from(ms) * 10, 86_400_000)
        .and_then(|t| i64::try_from(t).ok())
        .unwrap_or(0);
    format!("{} d", crmlite::money::format_decimal(tenths, 1))
}
