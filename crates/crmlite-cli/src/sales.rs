//! `crmlite sales ...`: record purchases and returns, show an order.

use clap::{Args, Subcommand};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn, Order};
use crmlite::{Currency, CustomerId, Error, Money, OrderId, Result, Timestamp};

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `sales` subcommands.
#[derive(Debug, Subcommand)]
pub enum SalesCommand {
    /// Record a purchase; points are awarded on the customer's cards in that currency.
    Order(OrderArgs),
    /// Record a return of some lines of an order; the points they earned are reversed.
    Return(ReturnArgs),
    /// Show an order with its lines and returns.
    Show(ShowArgs),
}

/// Arguments of `sales order`.
#[derive(Debug, Args)]
pub struct OrderArgs {
    /// The customer id.
    customer: i64,
    /// ISO 4217 currency of every amount.
    #[arg(long)]
    currency: String,
    /// A line `PRODUCT:QUANTITY:UNIT_PRICE[:CATEGORY]`, the price a decimal (`1500`, `12,50`); repeatable.
    #[arg(long = "line", value_name = "SPEC", required = true)]
    lines: Vec<String>,
    /// Amount paid in money when part was paid with points (default: the order total).
    #[arg(long, value_name = "AMOUNT")]
    paid: Option<String>,
    /// The receipt number; sending the same receipt again records nothing new.
    #[arg(long)]
    external_id: Option<String>,
    /// Sales channel (till, web).
    #[arg(long, default_value = "")]
    channel: String,
    /// Store or branch.
    #[arg(long, default_value = "")]
    store: String,
    /// When it was bought (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

/// Arguments of `sales return`.
#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// The order id.
    order: i64,
    /// A returned line `LINE:QUANTITY` (lines count from 0); repeatable.
    #[arg(long = "line", value_name = "SPEC", required = true)]
    lines: Vec<String>,
    /// The return document number.
    #[arg(long)]
    external_id: Option<String>,
}

/// Arguments of `sales show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The order id.
    order: i64,
}

fn parse_line(spec: &str, i: usize, currency: Currency) -> Result<NewOrderLine> {
    let field = format!("lines[{i}]");
    let parts: Vec<&str> = spec.split(':').collect();
    let (Some(product), Some(qty), Some(price)) = (parts.first(), parts.get(1), parts.get(2))
    else {
        return Err(Error::validation(
            field,
            "must be PRODUCT:QUANTITY:UNIT_PRICE[:CATEGORY]",
        ));
    };
    let quantity: i64 = qty
        .trim()
        .parse()
        .map_err(|_| Error::validation(format!("{field}.quantity"), "must be a whole number"))?;
    let price = Money::parse(price, currency, &format!("{field}.unit_price"))?;
    let mut line = NewOrderLine::new(*product, quantity, price.minor);
    if let Some(category) = parts.get(3) {
        line = line.category(*category);
    }
    Ok(line)
}

/// Runs one `sales` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: SalesCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        SalesCommand::Order(args) => {
            let currency = Currency::parse(&args.currency, "currency")?;
            let mut new = NewOrder::new(CustomerId(args.customer), currency.code())
                .channel(args.channel)
                .store(args.store);
            for (i, spec) in args.lines.iter().enumerate() {
                new = new.line(parse_line(spec, i, currency)?);
            }
            new.paid = args
                .paid
                .map(|p| Money::parse(&p, currency, "paid").map(|m| m.minor))
                .transpose()?;
            new.external_id = args.external_id;
            new.at = args
                .at
                .map(|a| Timestamp::parse_rfc3339(&a, "at"))
                .transpose()?;
            let order = crm.record_order(&new)?;
            if out.is_json() {
                return Ok(out.json(&order)?);
            }
            out.line(format!(
                "recorded order #{} for customer #{}: {}",
                order.id, order.customer, order.total
            ))?;
            Ok(())
        }
        SalesCommand::Return(args) => {
            let mut new = NewReturn::new(OrderId(args.order));
            for (i, spec) in args.lines.iter().enumerate() {
                let field = format!("lines[{i}]");
                let (line, qty) = spec
                    .split_once(':')
                    .ok_or_else(|| Error::validation(&field, "must be LINE:QUANTITY"))?;
                let line: u32 = line.trim().parse().map_err(|_| {
                    Error::validation(format!("{field}.line"), "must be a line number")
                })?;
                let qty: i64 = qty.trim().parse().map_err(|_| {
                    Error::validation(format!("{field}.quantity"), "must be a whole number")
                })?;
                new = new.line(line, qty);
            }
            new.external_id = args.external_id;
            let ret = crm.record_return(&new)?;
            if out.is_json() {
                return Ok(out.json(&ret)?);
            }
            out.line(format!(
                "recorded return #{} of order #{}: {}",
                ret.id, ret.order, ret.amount
            ))?;
            Ok(())
        }
        SalesCommand::Show(args) => {
            let order = crm.order(OrderId(args.order))?;
            let returns = crm.returns_of_order(order.id)?;
            if out.is_json() {
                return Ok(out.json(&serde_json::json!({ "order": order, "returns": returns }))?);
            }
            print_order(out, &order)?;
            for r in &returns {
                out.line(format!(
                    "  returned {} on {} (return #{})",
                    r.amount,
                    time(r.at),
                    r.id
                ))?;
            }
            Ok(())
        }
    }
}

fn print_order(out: &mut Output, o: &Order) -> Result<(), Failure> {
    out.line(format!(
        "order #{} of customer #{} on {}: total {}, paid {}",
        o.id,
        o.customer,
        time(o.at),
        o.total,
        o.paid
    ))?;
    let mut table = Table::new(&["LINE", "PRODUCT", "CATEGORY", "QTY", "TOTAL"])
        .right(0)
        .right(3)
        .right(4)
        .indent(2);
    for l in &o.lines {
        table.row(vec![
            l.line.to_string(),
            l.product.clone(),
            l.category.clone(),
            l.quantity.to_string(),
            Money::new(l.total, o.currency).to_decimal_string(),
        ]);
    }
    Ok(out.table(&table)?)
}
