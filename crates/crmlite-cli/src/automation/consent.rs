//! `crmlite consent ...`: a customer's consent to be contacted, per channel and purpose.

use clap::{ArgGroup, Args, Subcommand};
use crmlite::automation::{Channel, Consent, NewConsent, Purpose};
use crmlite::{CustomerId, Result};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `consent` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Record a grant (--grant --text-version V) or a withdrawal (--withdraw).
    Record(RecordArgs),
    /// Show the decisions in force for a customer (--history: every decision).
    Show(ShowArgs),
}

/// Arguments of `consent record`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("decision").required(true).args(["grant", "withdraw"])))]
pub struct RecordArgs {
    /// The customer id.
    customer: i64,
    /// email, sms, phone or post.
    #[arg(long)]
    channel: String,
    /// marketing or service.
    #[arg(long)]
    purpose: String,
    /// The customer agreed.
    #[arg(long)]
    grant: bool,
    /// The customer withdrew; pending marketing messages on the channel are cancelled.
    #[arg(long)]
    withdraw: bool,
    /// Where it was given: till, web-form, phone call.
    #[arg(long)]
    source: String,
    /// The version of the consent text the customer agreed to (required with --grant).
    #[arg(long, default_value = "")]
    text_version: String,
}

/// Arguments of `consent show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The customer id.
    customer: i64,
    /// Every decision, oldest first, instead of those in force.
    #[arg(long)]
    history: bool,
}

/// Runs one `consent` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: ConsentCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        ConsentCommand::Record(args) => {
            let (customer, channel, purpose) = (
                CustomerId(args.customer),
                Channel::parse(&args.channel)?,
                Purpose::parse(&args.purpose)?,
            );
            let new = if args.grant {
                NewConsent::grant(customer, channel, purpose, args.source, args.text_version)
            } else {
                NewConsent::withdraw(customer, channel, purpose, args.source)
            };
            let c = crm.record_consent(&new)?;
            if out.is_json() {
                return Ok(out.json(&c)?);
            }
            out.line(format!(
                "customer #{} {} {} by {}",
                c.customer,
                if c.granted { "granted" } else { "withdrew" },
                c.purpose.as_str(),
                c.channel.as_str()
            ))?;
            Ok(())
        }
        ConsentCommand::Show(args) => {
            let id = CustomerId(args.customer);
            let items = if args.history {
                crm.consent_history(id)?
            } else {
                crm.consents(id)?
            };
            if out.is_json() {
                return Ok(out.json(&json!({ "items": items }))?);
            }
            print_consents(out, &items)
        }
    }
}

fn print_consents(out: &mut Output, items: &[Consent]) -> Result<(), Failure> {
    if items.is_empty() {
        out.line("no consent recorded")?;
        return Ok(());
    }
    let mut table = Table::new(&["CHANNEL", "PURPOSE", "GRANTED", "WHEN", "SOURCE", "TEXT"]);
    for c in items {
        table.row(vec![
            c.channel.as_str().to_owned(),
            c.purpose.as_str().to_owned(),
            if c.granted { "yes" } else { "no" }.to_owned(),
            time(c.at),
            c.source.clone(),
            c.text_version.clone(),
        ]);
    }
    Ok(out.table(&table)?)
}
