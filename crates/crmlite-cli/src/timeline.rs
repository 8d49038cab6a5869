//! `crmlite timeline ...`: record and show interactions with a customer.

use std::collections::HashMap;

use clap::{Args, Subcommand};
use crmlite::timeline::{InteractionKind, NewTimelineEntry, TimelineEntry};
use crmlite::{Crm, CustomerId, Result, Timestamp};

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `timeline` subcommands.
#[derive(Debug, Subcommand)]
pub enum TimelineCommand {
    /// Record an interaction (call, email, sms, meeting, note, visit, ...).
    Add(AddArgs),
    /// Show a customer's timeline, newest first; an organisation's includes its people's entries.
    Show(ShowArgs),
}

/// Arguments of `timeline add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The customer id.
    customer: i64,
    /// call, email, sms, meeting, note, visit, survey, purchase, complaint, loyalty, deal or system.
    #[arg(long)]
    kind: String,
    /// One line for lists.
    #[arg(long)]
    summary: String,
    /// Longer text.
    #[arg(long, default_value = "")]
    body: String,
    /// When it happened (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Who recorded it.
    #[arg(long, default_value = "")]
    author: String,
}

/// Arguments of `timeline show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The customer id.
    customer: i64,
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

/// Runs one `timeline` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: TimelineCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        TimelineCommand::Add(args) => {
            let mut new = NewTimelineEntry::new(
                CustomerId(args.customer),
                InteractionKind::parse(&args.kind)?,
                args.summary,
            )
            .body(args.body)
            .author(args.author);
            if let Some(at) = &args.at {
                new = new.at(Timestamp::parse_rfc3339(at, "at")?);
            }
            let entry = crm.add_timeline_entry(&new)?;
            if out.is_json() {
                return Ok(out.json(&entry)?);
            }
            out.line(format!(
                "recorded {} #{} for customer #{} at {}",
                entry.kind.as_str(),
                entry.id,
                entry.customer,
                time(entry.at)
            ))?;
            Ok(())
        }
        TimelineCommand::Show(args) => {
            let id = CustomerId(args.customer);
            let page = crm.timeline(id, args.cursor.as_deref(), args.limit)?;
            if out.is_json() {
                return Ok(out.json(&page)?);
            }
            print_timeline(&crm, out, id, &page.items)?;
            if let Some(next) = page.next {
                out.line(format!("older entries: --cursor {next}"))?;
            }
            Ok(())
        }
    }
}

/// Prints a customer's name and a page of its timeline.
pub fn print_timeline(
    crm: &Crm,
    out: &mut Output,
    customer: CustomerId,
    entries: &[TimelineEntry],
) -> Result<(), Failure> {
    let c = crm.customer(customer)?;
    out.line(format!("timeline of #{} {}", c.id, c.name))?;
    if entries.is_empty() {
        out.line("  no entries")?;
        return Ok(());
    }
    let others = entries.iter().any(|e| e.customer != customer);
    Ok(out.table(&entries_table(crm, entries, others)?.indent(2))?)
}

/// Entries as a table: when, kind, (who, when `with_who`), summary.
pub fn entries_table(crm: &Crm, entries: &[TimelineEntry], with_who: bool) -> Result<Table> {
    let mut names: HashMap<CustomerId, String> = HashMap::new();
    let headers: &[&'static str] = if with_who {
        &["WHEN", "KIND", "WHO", "SUMMARY"]
    } else {
        &["WHEN", "KIND", "SUMMARY"]
    };
    let mut table = Table::new(headers);
    for e in entries {
        let mut row = vec![time(e.at), e.kind.as_str().to_owned()];
        if with_who {
            let name = match names.get(&e.customer) {
                Some(name) => name.clone(),
                None => {
                    let name = crm.customer(e.customer)?.name;
                    names.insert(e.customer, name.clone());
                    name
                }
            };
            row.push(name);
        }
        row.push(e.summary.clone());
        table.row(row);
    }
    Ok(table)
}
