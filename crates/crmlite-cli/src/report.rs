//! `crmlite report ...`: the weighted forecast, a pipeline's funnel, the win rate, time in
//! stage and lost reasons.

use clap::{Args, Subcommand};
use crmlite::PipelineId;
use crmlite::deal::report::{ForecastBy, LostReasonRow, WinRate};
use crmlite::money::format_decimal;

use crate::Context;
use crate::deals::duration;
use crate::error::Failure;
use crate::output::{Output, Table};

/// The `report` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Weighted forecast of open deals: sum(amount x probability) / 100, rounded once per row.
    Forecast(ForecastArgs),
    /// A pipeline's funnel, time in stage, win rate and lost reasons.
    Funnel(FunnelArgs),
    /// Won and lost deals and the win rate (of one pipeline or all).
    WinRate(PipelineFilter),
    /// Average and median time deals spent in each stage of a pipeline.
    TimeInStage(FunnelArgs),
    /// Lost deals by reason and the stage they were lost at (of one pipeline or all).
    LostReasons(PipelineFilter),
}

/// An optional pipeline.
#[derive(Debug, Args)]
pub struct PipelineFilter {
    /// Only this pipeline.
    #[arg(long)]
    pipeline: Option<i64>,
}

/// Arguments of `report forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Group by pipeline, owner or month (of the expected close date).
    #[arg(long, default_value = "owner")]
    by: String,
    /// Only this pipeline.
    #[arg(long)]
    pipeline: Option<i64>,
}

/// Arguments of `report funnel`.
#[derive(Debug, Args)]
pub struct FunnelArgs {
    /// The pipeline id.
    pipeline: i64,
}

/// Runs one `report` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: ReportCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        ReportCommand::Forecast(args) => {
            let by = ForecastBy::parse(&args.by)?;
            let rows = crm.forecast(by, args.pipeline.map(PipelineId))?;
            if out.is_json() {
                return Ok(out.json(&rows)?);
            }
            let pipelines = crm.pipelines()?;
            let header = match by {
                ForecastBy::Pipeline => "PIPELINE",
                ForecastBy::Owner => "OWNER",
                ForecastBy::CloseMonth => "MONTH",
            };
            let mut table = Table::new(&[header, "DEALS", "AMOUNT", "WEIGHTED"])
                .right(1)
                .right(2)
                .right(3);
            for r in &rows {
                let group = match by {
                    ForecastBy::Pipeline => pipelines
                        .iter()
                        .find(|p| p.id.to_string() == r.group)
                        .map_or_else(|| r.group.clone(), |p| format!("#{} {}", p.id, p.name)),
                    _ if r.group.is_empty() => "(none)".to_owned(),
                    _ => r.group.clone(),
                };
                table.row(vec![
                    group,
                    r.deals.to_string(),
                    r.amount.to_string(),
                    r.weighted.to_string(),
                ]);
            }
            Ok(out.table(&table)?)
        }
        ReportCommand::WinRate(args) => {
            let rate = crm.win_rate(args.pipeline.map(PipelineId))?;
            if out.is_json() {
                return Ok(out.json(&rate)?);
            }
            Ok(out.line(win_rate_line(&rate))?)
        }
        ReportCommand::TimeInStage(args) => {
            let times = crm.time_in_stage(PipelineId(args.pipeline))?;
            if out.is_json() {
                return Ok(out.json(&times)?);
            }
            let mut table = Table::new(&["STAGE", "STAYS", "AVG TIME", "MEDIAN"])
                .right(1)
                .right(2)
                .right(3);
            for t in &times {
                table.row(vec![
                    t.name.clone(),
                    t.stays.to_string(),
                    t.average_ms.map_or_else(String::new, duration),
                    t.median_ms.map_or_else(String::new, duration),
                ]);
            }
            Ok(out.table(&table)?)
        }
        ReportCommand::LostReasons(args) => {
            let lost = crm.lost_reasons_report(args.pipeline.map(PipelineId))?;
            if out.is_json() {
                return Ok(out.json(&lost)?);
            }
            if lost.is_empty() {
                return Ok(out.line("no lost deals")?);
            }
            Ok(out.table(&lost_table(&lost, 0))?)
        }
        ReportCommand::Funnel(args) => {
            let id = PipelineId(args.pipeline);
            let pipeline = crm.pipeline(id)?;
            let steps = crm.funnel(id)?;
            let times = crm.time_in_stage(id)?;
            let rate = crm.win_rate(Some(id))?;
            let lost = crm.lost_reasons_report(Some(id))?;
            if out.is_json() {
                return Ok(out.json(&serde_json::json!({
                    "pipeline": pipeline.id,
                    "funnel": steps,
                    "time_in_stage": times,
                    "win_rate": rate,
                    "lost_reasons": lost,
                }))?);
            }
            out.line(format!(
                "funnel of pipeline #{} {}",
                pipeline.id, pipeline.name
            ))?;
            let mut table = Table::new(&[
                "STAGE", "KIND", "REACHED", "NOW", "GO ON", "AVG TIME", "MEDIAN",
            ])
            .right(2)
            .right(3)
            .right(4)
            .right(5)
            .right(6)
            .indent(2);
            for s in &steps {
                let t = times.iter().find(|t| t.stage == s.stage);
                table.row(vec![
                    s.name.clone(),
                    s.kind.as_str().to_owned(),
                    s.reached.to_string(),
                    s.current.to_string(),
                    s.conversion_bp.map_or_else(String::new, percent),
                    t.and_then(|t| t.average_ms)
                        .map_or_else(String::new, duration),
                    t.and_then(|t| t.median_ms)
                        .map_or_else(String::new, duration),
                ]);
            }
            out.table(&table)?;
            out.line(win_rate_line(&rate))?;
            if !lost.is_empty() {
                out.table(&lost_table(&lost, 2))?;
            }
            Ok(())
        }
    }
}

/// `win rate: 75.00 % (won 3, lost 1)`.
fn win_rate_line(rate: &WinRate) -> String {
    format!(
        "win rate: {} (won {}, lost {})",
        rate.rate_bp.map_or_else(|| "-".to_owned(), percent),
        rate.won,
        rate.lost
    )
}

/// The lost-reasons rows as a table indented by `indent`.
fn lost_table(lost: &[LostReasonRow], indent: usize) -> Table {
    let mut table = Table::new(&["LOST REASON", "LOST AT", "DEALS"])
        .right(2)
        .indent(indent);
    for r in lost {
        table.row(vec![
            r.reason_name.clone(),
            r.stage_name.clone(),
            r.deals.to_string(),
        ]);
    }
    table
}

/// Basis points as a percentage with two decimals.
fn percent(bp: u32) -> String {
    format!("{} %", format_decimal(i64::from(bp), 2))
}
