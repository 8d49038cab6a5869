//! `crmlite verify`: checks the database against crmlite's invariants.

use crmlite::Result;
use crmlite::verify::VerifyReport;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table};

/// Runs `verify`: prints every check; fails with exit code 6 when any invariant is broken.
pub fn run(ctx: &Context, out: &mut Output) -> Result<(), Failure> {
    let crm = ctx.open()?;
    let report = crm.verify()?;
    if out.is_json() {
        out.json(&serde_json::json!({ "ok": report.ok(), "checks": report.checks }))?;
    } else {
        print_report(out, &report)?;
    }
    let violations: i64 = report
        .failures()
        .map(|c| c.violations)
        .fold(0, i64::saturating_add);
    if report.ok() {
        Ok(())
    } else {
        Err(Failure::Violations(violations))
    }
}

fn print_report(out: &mut Output, report: &VerifyReport) -> Result<(), Failure> {
    let mut table = Table::new(&["CHECK", "VIOLATIONS", "DETAIL"]).right(1);
    for c in &report.checks {
        table.row(vec![
            c.name.clone(),
            c.violations.to_string(),
            c.detail.clone(),
        ]);
    }
    out.table(&table)?;
    let failed = report.failures().count();
    if failed == 0 {
        out.line(format!("ok: {} checks passed", report.checks.len()))?;
    } else {
        out.line(format!(
            "FAILED: {failed} of {} checks found violations",
            report.checks.len()
        ))?;
    }
    Ok(())
}
