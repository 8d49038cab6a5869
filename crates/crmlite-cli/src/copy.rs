//! `crmlite copy --to TARGET`: copies the whole database to an empty SQLite file or PostgreSQL database.

use clap::Args;
use crmlite::Result;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table};

/// Arguments of `copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Where to copy to: a file path or a `postgresql://` URL; it must be empty.
    #[arg(long, value_name = "TARGET")]
    to: String,
}

/// Runs `copy`: every table, keeping ids, the ledger and the change feed; prints rows per table.
pub fn run(ctx: &Context, out: &mut Output, args: &CopyArgs) -> Result<(), Failure> {
    let source = ctx.open()?;
    let target = ctx.open_at(std::path::Path::new(&args.to), ctx.region.as_deref())?;
    let report = source.copy_to(&target)?;
    if out.is_json() {
        let tables: Vec<_> = report
            .tables
            .iter()
            .map(|(table, rows)| serde_json::json!({ "table": table, "rows": rows }))
            .collect();
        return Ok(out.json(&serde_json::json!({ "tables": tables }))?);
    }
    let mut table = Table::new(&["TABLE", "ROWS"]).right(1);
    let mut total = 0u64;
    for (name, rows) in &report.tables {
        total = total.saturating_add(*rows);
        table.row(vec![name.clone(), rows.to_string()]);
    }
    out.table(&table)?;
    out.line(format!(
        "copied {total} rows in {} tables",
        report.tables.len()
    ))?;
    Ok(())
}
