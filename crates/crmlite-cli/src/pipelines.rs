//! `crmlite pipelines ...`: pipelines, their stages and the lost-reason list.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use crmlite::deal::{LostReason, NewPipeline, Pipeline, StagePatch, parse_stage_list};
use crmlite::{Error, LostReasonId, PipelineId, StageId};

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table};

/// The `pipelines` subcommands.
#[derive(Debug, Subcommand)]
pub enum PipelinesCommand {
    /// Add a pipeline with its stages, each `name | probability | kind | rot days`.
    Add(AddArgs),
    /// List every pipeline with its stages.
    List,
    /// Show one pipeline's stages.
    Show(IdArgs),
    /// Rename a pipeline.
    Rename(RenameArgs),
    /// Add a stage at the end of a pipeline.
    AddStage(AddStageArgs),
    /// Rename a stage; its deals and history keep pointing at it.
    RenameStage(RenameArgs),
    /// Rename a stage or change its default probability or rot threshold.
    UpdateStage(UpdateStageArgs),
    /// Put a pipeline's active stages in a new order.
    Reorder(ReorderArgs),
    /// Retire a stage: its deals stay, no deal moves into it again.
    RetireStage(StageArgs),
    /// List the lost reasons, adding the given names that are not on the list yet.
    LostReasons(LostReasonsArgs),
    /// Rename a lost reason.
    RenameLostReason(RenameArgs),
    /// Retire a lost reason: it stays on old deals but cannot be chosen again.
    RetireLostReason(IdArgs),
}

/// An id and a new name.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The id.
    id: i64,
    /// The new name.
    name: String,
}

/// Arguments of `pipelines add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The pipeline's name.
    name: String,
    /// A stage as `name | probability | kind | rot days` (repeat, in order).
    #[arg(long = "stage", value_name = "STAGE")]
    stages: Vec<String>,
    /// A file with one stage a line (`#` starts a comment).
    #[arg(long, value_name = "PATH")]
    stages_file: Option<PathBuf>,
}

/// A pipeline id.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The pipeline id.
    id: i64,
}

/// Arguments of `pipelines add-stage`.
#[derive(Debug, Args)]
pub struct AddStageArgs {
    /// The pipeline id.
    pipeline: i64,
    /// The stage as `name | probability | kind | rot days`.
    stage: String,
}

/// Arguments of `pipelines update-stage`.
#[derive(Debug, Args)]
pub struct UpdateStageArgs {
    /// The stage id.
    stage: i64,
    /// New name.
    #[arg(long)]
    name: Option<String>,
    /// New default probability (0-100).
    #[arg(long)]
    probability: Option<u8>,
    /// New rot threshold in days.
    #[arg(long, conflicts_with = "no_rot")]
    rot_after_days: Option<u32>,
    /// Remove the rot threshold.
    #[arg(long)]
    no_rot: bool,
}

/// Arguments of `pipelines reorder`.
#[derive(Debug, Args)]
pub struct ReorderArgs {
    /// The pipeline id.
    pipeline: i64,
    /// Every active stage id, in the new order.
    #[arg(required = true)]
    stages: Vec<i64>,
}

/// A stage id.
#[derive(Debug, Args)]
pub struct StageArgs {
    /// The stage id.
    stage: i64,
}

/// Arguments of `pipelines lost-reasons`.
#[derive(Debug, Args)]
pub struct LostReasonsArgs {
    /// A reason to add when missing (repeat).
    #[arg(long = "add", value_name = "NAME")]
    add: Vec<String>,
}

/// Runs one `pipelines` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: PipelinesCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        PipelinesCommand::Add(args) => {
            let mut text = args.stages.join("\n");
            if let Some(path) = &args.stages_file {
                let file = std::fs::read_to_string(path).map_err(|e| {
                    Error::validation("stages_file", format!("cannot be read: {e}"))
                })?;
                text.push('\n');
                text.push_str(&file);
            }
            let p = crm.add_pipeline(&NewPipeline::new(args.name, parse_stage_list(&text)?))?;
            show(out, &p)
        }
        PipelinesCommand::List => {
            let all = crm.pipelines()?;
            if out.is_json() {
                return Ok(out.json(&all)?);
            }
            if all.is_empty() {
                out.line("no pipelines")?;
            }
            for p in &all {
                show(out, p)?;
            }
            Ok(())
        }
        PipelinesCommand::Show(args) => show(out, &crm.pipeline(PipelineId(args.id))?),
        PipelinesCommand::Rename(args) => {
            show(out, &crm.rename_pipeline(PipelineId(args.id), &args.name)?)
        }
        PipelinesCommand::RenameStage(args) => {
            let s = crm.update_stage(StageId(args.id), &StagePatch::new().name(args.name))?;
            show(out, &crm.pipeline(s.pipeline)?)
        }
        PipelinesCommand::RenameLostReason(args) => {
            let r = crm.rename_lost_reason(LostReasonId(args.id), &args.name)?;
            reasons(out, &[r])
        }
        PipelinesCommand::RetireLostReason(args) => {
            let r = crm.retire_lost_reason(LostReasonId(args.id))?;
            reasons(out, &[r])
        }
        PipelinesCommand::AddStage(args) => {
            let [stage] = <[_; 1]>::try_from(parse_stage_list(&args.stage)?)
                .map_err(|_| Error::validation("stage", "give exactly one stage"))?;
            let s = crm.add_stage(PipelineId(args.pipeline), &stage)?;
            show(out, &crm.pipeline(s.pipeline)?)
        }
        PipelinesCommand::UpdateStage(args) => {
            let mut patch = StagePatch::new();
            if let Some(name) = args.name {
                patch = patch.name(name);
            }
            if let Some(p) = args.probability {
                patch = patch.probability(p);
            }
            if args.no_rot {
                patch = patch.rot_after_days(None);
            } else if let Some(days) = args.rot_after_days {
                patch = patch.rot_after_days(Some(days));
            }
            let s = crm.update_stage(StageId(args.stage), &patch)?;
            show(out, &crm.pipeline(s.pipeline)?)
        }
        PipelinesCommand::Reorder(args) => {
            let order: Vec<StageId> = args.stages.into_iter().map(StageId).collect();
            show(out, &crm.reorder_stages(PipelineId(args.pipeline), &order)?)
        }
        PipelinesCommand::RetireStage(args) => {
            let s = crm.retire_stage(StageId(args.stage))?;
            show(out, &crm.pipeline(s.pipeline)?)
        }
        PipelinesCommand::LostReasons(args) => {
            let names: Vec<&str> = args.add.iter().map(String::as_str).collect();
            let all = if names.is_empty() {
                crm.lost_reasons()?
            } else {
                crm.seed_lost_reasons(&names)?
            };
            reasons(out, &all)
        }
    }
}

/// Prints lost reasons (or them as JSON).
fn reasons(out: &mut Output, all: &[LostReason]) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(&all)?);
    }
    let mut table = Table::new(&["ID", "REASON", "STATE"]).right(0);
    for r in all {
        table.row(vec![
            r.id.to_string(),
            r.name.clone(),
            if r.retired { "retired" } else { "" }.to_owned(),
        ]);
    }
    Ok(out.table(&table)?)
}

/// Prints a pipeline and its stages (or the pipeline as JSON).
fn show(out: &mut Output, p: &Pipeline) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(p)?);
    }
    out.line(format!("pipeline #{} {}", p.id, p.name))?;
    let mut table = Table::new(&["ID", "STAGE", "KIND", "PROBABILITY", "ROT AFTER", "STATE"])
        .right(0)
        .right(3)
        .indent(2);
    for s in &p.stages {
        table.row(vec![
            s.id.to_string(),
            s.name.clone(),
            s.kind.as_str().to_owned(),
            format!("{} %", s.probability),
            s.rot_after_days
                .map_or_else(String::new, |d| format!("{d} days")),
            if s.retired { "retired" } else { "" }.to_owned(),
        ]);
    }
    Ok(out.table(&table)?)
}
