//! `crmlite deals ...`: add, move, edit, win, lose, reopen, show, list deals, their history
//! and the stale ones.

use std::collections::HashMap;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use crmlite::deal::{Deal, DealFilter, DealPatch, NewDeal, NewDealLine, StageKind, StageMove};
use crmlite::money::parse_decimal;
use crmlite::{
    Crm, Currency, CustomerId, DealId, Error, LostReasonId, Money, Page, PipelineId, Result,
    StageId,
};

use crate::Context;
use crate::customers::{attr_text, parse_attr};
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `deals` subcommands.
#[derive(Debug, Subcommand)]
pub enum DealsCommand {
    /// Add a deal in a pipeline's first open stage (or `--stage`).
    Add(AddArgs),
    /// Move an open deal to another stage, or with `--pipeline` to another pipeline.
    Move(MoveArgs),
    /// Change a deal's data: title, parties, owner, amount or lines, probability, close date,
    /// source, code, attributes.
    Edit(EditArgs),
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
    /// A deal's stage history: every move with who, when and the time spent before it.
    History(ShowArgs),
    /// Open deals that stayed in their stage past its rot threshold, as of the global `--now`.
    Stale(StaleArgs),
}

/// Arguments of `deals stale`.
#[derive(Debug, Args)]
pub struct StaleArgs {
    /// Only this pipeline.
    #[arg(long)]
    pipeline: Option<i64>,
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Arguments of `deals edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The deal id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// New title.
    #[arg(long)]
    title: Option<String>,
    /// New person (a customer id; 0 removes it).
    #[arg(long)]
    customer: Option<i64>,
    /// New organisation (a customer id; 0 removes it).
    #[arg(long)]
    organisation: Option<i64>,
    /// New owner.
    #[arg(long)]
    owner: Option<String>,
    /// New amount in the deal's currency (a deal without lines).
    #[arg(long)]
    amount: Option<String>,
    /// New line items `product | quantity | unit price | discount % | product code` in the
    /// deal's currency (repeat; they replace the old lines; see `deals add --line`).
    #[arg(long = "line", value_name = "LINE")]
    lines: Vec<String>,
    /// An explicit probability (0-100; 0 stays 0).
    #[arg(long, conflicts_with = "stage_probability")]
    probability: Option<u8>,
    /// Follow the stage's default probability again.
    #[arg(long)]
    stage_probability: bool,
    /// New expected close date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "no_close")]
    close: Option<String>,
    /// Remove the expected close date.
    #[arg(long)]
    no_close: bool,
    /// New source or campaign reference.
    #[arg(long)]
    source: Option<String>,
    /// New code in the system of record.
    #[arg(long, conflicts_with = "no_code")]
    code: Option<String>,
    /// Remove the code.
    #[arg(long)]
    no_code: bool,
    /// Set a typed attribute NAME=TYPE:VALUE (repeat).
    #[arg(long = "attr", value_name = "NAME=TYPE:VALUE")]
    attributes: Vec<String>,
    /// Remove an attribute (repeat).
    #[arg(long = "unset-attr", value_name = "NAME")]
    remove_attributes: Vec<String>,
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
    /// A line item `product | quantity | unit price | discount % | product code` (repeat);
    /// discount and code are optional. The code must name an active `product` entry, whose
    /// name an empty product takes: `--line " | 2 | 150 | 0 | CH-01"`.
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
    /// Typed attribute NAME=TYPE:VALUE, TYPE one of text, integer, boolean, date, timestamp,
    /// money (`money:12500 AMD`); repeat for more.
    #[arg(long = "attr", value_name = "NAME=TYPE:VALUE")]
    attributes: Vec<String>,
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
    /// The target stage id (with `--pipeline`: an open stage of that pipeline, by default its
    /// first).
    #[arg(long, required_unless_present = "pipeline")]
    stage: Option<i64>,
    /// Move the open deal to this other pipeline.
    #[arg(long, conflicts_with = "reason")]
    pipeline: Option<i64>,
    /// The lost reason id, when the target is a lost stage.
    #[arg(long)]
    reason: Option<i64>,
    /// A note on the loss, when the target is a lost stage.
    #[arg(long, default_value = "", conflicts_with = "pipeline")]
    note: String,
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
        DealsCommand::Move(args) => match (args.pipeline, args.stage) {
            (Some(pipeline), stage) => crm.change_deal_pipeline(
                DealId(args.id),
                args.version,
                PipelineId(pipeline),
                stage.map(StageId),
                &args.by,
            )?,
            (None, Some(stage)) => {
                let mut change = StageMove::to(StageId(stage), args.by).lost_note(args.note);
                change.lost_reason = args.reason.map(LostReasonId);
                crm.move_deal(DealId(args.id), args.version, &change)?
            }
            (None, None) => return Err(Error::validation("stage", "give --stage").into()),
        },
        DealsCommand::Edit(args) => {
            let current = crm.deal(DealId(args.id))?;
            let patch = deal_patch(&args, current.amount.currency)?;
            crm.update_deal(DealId(args.id), args.version, &patch)?
        }
        DealsCommand::History(args) => return history(&crm, out, DealId(args.id)),
        DealsCommand::Stale(args) => {
            let page = crm.stale_deals(
                args.pipeline.map(PipelineId),
                args.cursor.as_deref(),
                args.limit,
            )?;
            return print_page(&crm, out, page);
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

fn date(text: &str, field: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::validation(field, "must be a date YYYY-MM-DD"))
}

fn deal_patch(args: &EditArgs, currency: Currency) -> Result<DealPatch> {
    let mut patch = DealPatch::new();
    patch.title.clone_from(&args.title);
    patch.customer = args.customer.map(|c| (c != 0).then_some(CustomerId(c)));
    patch.organisation = args.organisation.map(|c| (c != 0).then_some(CustomerId(c)));
    patch.owner.clone_from(&args.owner);
    patch.amount = args
        .amount
        .as_deref()
        .map(|a| Money::parse(a, currency, "amount"))
        .transpose()?;
    if !args.lines.is_empty() {
        patch.lines = Some(
            args.lines
                .iter()
                .enumerate()
                .map(|(i, l)| parse_line(l, currency, i))
                .collect::<Result<_>>()?,
        );
    }
    if args.stage_probability {
        patch.probability = Some(None);
    } else if let Some(p) = args.probability {
        patch.probability = Some(Some(p));
    }
    if args.no_close {
        patch.expected_close = Some(None);
    } else if let Some(c) = &args.close {
        patch.expected_close = Some(Some(date(c, "close")?));
    }
    patch.source.clone_from(&args.source);
    if args.no_code {
        patch.external_code = Some(None);
    } else if let Some(c) = &args.code {
        patch.external_code = Some(Some(c.clone()));
    }
    for a in &args.attributes {
        let (name, value) = parse_attr(a)?;
        patch.attributes.insert(name, Some(value));
    }
    for name in &args.remove_attributes {
        patch.attributes.insert(name.trim().to_owned(), None);
    }
    Ok(patch)
}

fn history(crm: &Crm, out: &mut Output, id: DealId) -> Result<(), Failure> {
    let rows = crm.deal_history(id)?;
    if out.is_json() {
        return Ok(out.json(&rows)?);
    }
    let names = stage_names(crm)?;
    let stage = |id: StageId| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let mut table = Table::new(&["WHEN", "FROM", "TO", "BY", "TIME IN FROM"]);
    for h in &rows {
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
        .map(|d| date(d, "close"))
        .transpose()?;
    new.external_code.clone_from(&args.code);
    new.attributes = args
        .attributes
        .iter()
        .map(|a| parse_attr(a))
        .collect::<Result<_>>()?;
    Ok(new)
}

/// Parses `product | quantity | unit price | discount %` (quantity up to 3 decimals).
fn parse_line(text: &str, currency: Currency, i: usize) -> Result<NewDealLine> {
    let field = format!("lines[{i}]");
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    let (product, quantity, price, discount, code) = match parts.as_slice() {
        [p, q, u] => (*p, *q, *u, "0", ""),
        [p, q, u, d] => (*p, *q, *u, *d, ""),
        [p, q, u, d, c] => (*p, *q, *u, *d, *c),
        _ => {
            return Err(Error::validation(
                field,
                "must be `product | quantity | unit price | discount % | product code`",
            ));
        }
    };
    let quantity = parse_decimal(quantity, 3, &format!("{field}.quantity_milli"))?;
    let price = Money::parse(price, currency, &format!("{field}.unit_price"))?;
    let discount_field = format!("{field}.discount_bp");
    let discount = parse_decimal(discount.trim_end_matches('%'), 2, &discount_field)?;
    let discount = u32::try_from(discount)
        .map_err(|_| Error::validation(discount_field, "must be between 0 and 100 %"))?;
    let line = NewDealLine::new(product, quantity, price).discount_bp(discount);
    Ok(if code.is_empty() {
        line
    } else {
        line.product_code(code)
    })
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
    print_page(crm, out, page)
}

fn print_page(crm: &Crm, out: &mut Output, page: Page<Deal>) -> Result<(), Failure> {
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
            (
                "attributes",
                d.attributes
                    .iter()
                    .map(|(k, v)| format!("{k}={}", attr_text(v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
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
