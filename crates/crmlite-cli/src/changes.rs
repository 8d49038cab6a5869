//! `crmlite changes`: the change feed, for sync scripts and for a look at what happened.

use clap::Args;
use crmlite::changes::Change;
use crmlite::{Error, Result};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// Arguments of `changes`.
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Show changes after this sequence number (the `next` of the previous call; 0 for all).
    #[arg(long, default_value_t = 0)]
    since: u64,
    /// At most this many changes.
    #[arg(long, default_value_t = 100)]
    limit: u32,
}

/// Runs `changes`.
pub fn run(ctx: &Context, out: &mut Output, args: &ChangesArgs) -> Result<(), Failure> {
    let crm = ctx.open()?;
    let since =
        i64::try_from(args.since).map_err(|_| Error::validation("since", "is too large"))?;
    let items = crm.changes_since(since, args.limit)?;
    let next = items.last().map_or(since, |c| c.seq);
    if out.is_json() {
        return Ok(out.json(&json!({ "items": items, "next": next }))?);
    }
    if items.is_empty() {
        out.line(format!("no changes after {since}"))?;
        return Ok(());
    }
    print_changes(out, &items)?;
    out.line(format!("next: --since {next}"))?;
    Ok(())
}

/// Prints changes as a table.
pub fn print_changes(out: &mut Output, items: &[Change]) -> Result<(), Failure> {
    let mut table = Table::new(&["SEQ", "WHEN", "ENTITY", "ID", "OP"])
        .right(0)
        .right(3);
    for c in items {
        table.row(vec![
            c.seq.to_string(),
            time(c.at),
            c.entity.as_str().to_owned(),
            c.entity_id.to_string(),
            c.op.as_str().to_owned(),
        ]);
    }
    Ok(out.table(&table)?)
}
