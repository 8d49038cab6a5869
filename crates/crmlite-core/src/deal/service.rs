//! Pipeline, stage, lost-reason and deal operations on the `Crm` handle.

use super::validate::{self, by as check_by};
use super::{
    Deal, DealFilter, DealLine, DealPatch, DealStageChange, LostReason, NewDeal, NewPipeline,
    NewStage, Pipeline, Stage, StageKind, StageMove, StagePatch, effective_probability,
};
use crate::automation::service::{Event, on_event};
use crate::changes::ChangeOp;
use crate::customer::{CustomerKind, clean_text};
use crate::page::{Page, check_limit};
use crate::reference::Entry;
use crate::store::{ReadTx, WriteTx};
use crate::timeline::{InteractionKind, NewTimelineEntry};
use crate::{
    Crm, CustomerId, DealId, DealStageChangeId, EntityKind, Error, LostReasonId, PipelineId,
    Result, StageId, Timestamp, text,
};

impl Crm {
    /// Adds a pipeline with its stages in the given order (seeding it from a list).
    /// It needs at least one open stage; names must be unique.
    pub fn add_pipeline(&self, new: &NewPipeline) -> Result<Pipeline> {
        let now = self.now();
        let name = validate::name("name", &new.name)?;
        let mut stages = Vec::with_capacity(new.stages.len());
        for (i, s) in new.stages.iter().enumerate() {
            let position =
                i64::try_from(i).map_err(|_| Error::validation("stages", "too many stages"))?;
            let stage = validate::new_stage(&format!("stages[{i}]"), s, PipelineId(0), position)?;
            if stages
                .iter()
                .any(|o: &Stage| same_name(&o.name, &stage.name))
            {
                return Err(Error::validation(
                    format!("stages[{i}].name"),
                    "appears twice",
                ));
            }
            stages.push(stage);
        }
        if !stages.iter().any(|s| s.kind == StageKind::Open) {
            return Err(Error::validation(
                "stages",
                "must contain at least one open stage",
            ));
        }
        self.write(|tx| {
            if tx.pipelines()?.iter().any(|p| same_name(&p.name, &name)) {
                return Err(Error::Conflict(format!(
                    "a pipeline named {name:?} already exists"
                )));
            }
            let mut pipeline = Pipeline {
                id: PipelineId(0),
                name: name.clone(),
                stages: Vec::new(),
                created_at: now,
            };
            pipeline.id = tx.insert_pipeline(&pipeline)?;
            tx.record_change(EntityKind::Pipeline, pipeline.id.0, ChangeOp::Insert, now)?;
            for s in &stages {
                let mut stage = s.clone();
                stage.pipeline = pipeline.id;
                stage.id = tx.insert_stage(&stage)?;
                tx.record_change(EntityKind::Stage, stage.id.0, ChangeOp::Insert, now)?;
                pipeline.stages.push(stage);
            }
            Ok(pipeline)
        })
    }

    /// One pipeline with its stages.
    pub fn pipeline(&self, id: PipelineId) -> Result<Pipeline> {
        self.read(|tx| get_pipeline(tx, id))
    }

    /// Every pipeline with its stages, in id order.
    pub fn pipelines(&self) -> Result<Vec<Pipeline>> {
        self.read(|tx| tx.pipelines())
    }

    /// Renames a pipeline; names stay unique.
    pub fn rename_pipeline(&self, id: PipelineId, name: &str) -> Result<Pipeline> {
        let now = self.now();
        let name = validate::name("name", name)?;
        self.write(|tx| {
            let mut pipeline = get_pipeline(tx, id)?;
            if tx
                .pipelines()?
                .iter()
                .any(|p| p.id != id && same_name(&p.name, &name))
            {
                return Err(Error::Conflict(format!(
                    "a pipeline named {name:?} already exists"
                )));
            }
            pipeline.name = name.clone();
            tx.update_pipeline(&pipeline)?;
            tx.record_change(EntityKind::Pipeline, id.0, ChangeOp::Update, now)?;
            Ok(pipeline)
        })
    }

    /// Adds a stage at the end of a pipeline.
    pub fn add_stage(&self, pipeline: PipelineId, new: &NewStage) -> Result<Stage> {
        let now = self.now();
        self.write(|tx| {
            let p = get_pipeline(tx, pipeline)?;
            let position = p
                .stages
                .iter()
                .map(|s| s.position)
                .max()
                .map_or(Ok(0), |m| {
                    m.checked_add(1)
                        .ok_or_else(|| Error::validation("position", "overflows"))
                })?;
            let mut stage = validate::new_stage("stage", new, pipeline, position)?;
            if p.active_stages().any(|s| same_name(&s.name, &stage.name)) {
                return Err(Error::validation(
                    "stage.name",
                    "is already used in this pipeline",
                ));
            }
            stage.id = tx.insert_stage(&stage)?;
            tx.record_change(EntityKind::Stage, stage.id.0, ChangeOp::Insert, now)?;
            Ok(stage)
        })
    }

    /// Renames a stage or changes its default probability or rot threshold. Open deals
    /// without their own probability follow the new default.
    pub fn update_stage(&self, id: StageId, patch: &StagePatch) -> Result<Stage> {
        let now = self.now();
        self.write(|tx| {
            let current = get_stage(tx, id)?;
            let next = validate::stage_patch(&current, patch)?;
            let p = get_pipeline(tx, current.pipeline)?;
            if p.active_stages()
                .any(|s| s.id != id && same_name(&s.name, &next.name))
            {
                return Err(Error::validation(
                    "name",
                    "is already used in this pipeline",
                ));
            }
            tx.update_stage(&next)?;
            tx.record_change(EntityKind::Stage, id.0, ChangeOp::Update, now)?;
            Ok(next)
        })
    }

    /// Puts a pipeline's active stages in the given order; `order` must list each active stage
    /// exactly once. Retired stages go after them.
    pub fn reorder_stages(&self, pipeline: PipelineId, order: &[StageId]) -> Result<Pipeline> {
        let now = self.now();
        self.write(|tx| {
            let p = get_pipeline(tx, pipeline)?;
            let active: Vec<StageId> = p.active_stages().map(|s| s.id).collect();
            for (i, id) in order.iter().enumerate() {
                if !active.contains(id) {
                    return Err(Error::validation(
                        format!("order[{i}]"),
                        format!("stage {id} is not an active stage of pipeline {pipeline}"),
                    ));
                }
                if order.iter().take(i).any(|o| o == id) {
                    return Err(Error::validation(format!("order[{i}]"), "appears twice"));
                }
            }
            if order.len() != active.len() {
                return Err(Error::validation(
                    "order",
                    format!("must list all {} active stages", active.len()),
                ));
            }
            let retired = p.stages.iter().filter(|s| s.retired).map(|s| s.id);
            for (position, id) in order.iter().copied().chain(retired).enumerate() {
                let mut stage = get_stage(tx, id)?;
                let position = i64::try_from(position)
                    .map_err(|_| Error::validation("order", "too many stages"))?;
                if stage.position != position {
                    stage.position = position;
                    tx.update_stage(&stage)?;
                    tx.record_change(EntityKind::Stage, id.0, ChangeOp::Update, now)?;
                }
            }
            get_pipeline(tx, pipeline)
        })
    }

    /// Retires a stage: its deals and history stay, but no deal can move into it again.
    /// The last active open stage of a pipeline cannot be retired.
    pub fn retire_stage(&self, id: StageId) -> Result<Stage> {
        let now = self.now();
        self.write(|tx| {
            let mut stage = get_stage(tx, id)?;
            if stage.retired {
                return Ok(stage);
            }
            let p = get_pipeline(tx, stage.pipeline)?;
            if stage.kind == StageKind::Open
                && p.active_stages()
                    .filter(|s| s.kind == StageKind::Open)
                    .count()
                    <= 1
            {
                return Err(Error::validation(
                    "stage",
                    "is the last open stage of its pipeline",
                ));
            }
            stage.retired = true;
            tx.update_stage(&stage)?;
            tx.record_change(EntityKind::Stage, id.0, ChangeOp::Update, now)?;
            Ok(stage)
        })
    }

    /// Adds a lost reason to the reference list; names are unique.
    pub fn add_lost_reason(&self, name: &str) -> Result<LostReason> {
        let now = self.now();
        let name = validate::name("name", name)?;
        self.write(|tx| {
            if tx.lost_reasons()?.iter().any(|r| same_name(&r.name, &name)) {
                return Err(Error::Conflict(format!(
                    "a lost reason named {name:?} already exists"
                )));
            }
            insert_lost_reason(tx, &name, now)
        })
    }

    /// Adds each name of `names` that is not on the lost-reason list yet; returns the whole list.
    pub fn seed_lost_reasons(&self, names: &[&str]) -> Result<Vec<LostReason>> {
        let now = self.now();
        let names = names
            .iter()
            .enumerate()
            .map(|(i, n)| validate::name(&format!("names[{i}]"), n))
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx| {
            let mut existing = tx.lost_reasons()?;
            for name in &names {
                if !existing.iter().any(|r| same_name(&r.name, name)) {
                    existing.push(insert_lost_reason(tx, name, now)?);
                }
            }
            Ok(existing)
        })
    }

    /// Renames a lost reason; deals lost for it show the new name.
    pub fn rename_lost_reason(&self, id: LostReasonId, name: &str) -> Result<LostReason> {
        let now = self.now();
        let name = validate::name("name", name)?;
        self.write(|tx| {
            let mut reason = get_lost_reason(tx, id)?;
            if tx
                .lost_reasons()?
                .iter()
                .any(|r| r.id != id && same_name(&r.name, &name))
            {
                return Err(Error::Conflict(format!(
                    "a lost reason named {name:?} already exists"
                )));
            }
            reason.name = name.clone();
            tx.update_lost_reason(&reason)?;
            tx.record_change(EntityKind::LostReason, id.0, ChangeOp::Update, now)?;
            Ok(reason)
        })
    }

    /// Retires a lost reason: old deals keep it, new losses cannot choose it.
    pub fn retire_lost_reason(&self, id: LostReasonId) -> Result<LostReason> {
        let now = self.now();
        self.write(|tx| {
            let mut reason = get_lost_reason(tx, id)?;
            if !reason.retired {
                reason.retired = true;
                tx.update_lost_reason(&reason)?;
                tx.record_change(EntityKind::LostReason, id.0, ChangeOp::Update, now)?;
            }
            Ok(reason)
        })
    }

    /// Every lost reason, retired ones included, in id order.
    pub fn lost_reasons(&self) -> Result<Vec<LostReason>> {
        self.read(|tx| tx.lost_reasons())
    }

    /// Adds a deal in an open stage (the pipeline's first open stage by default). It needs a
    /// customer (a person) or an organisation, or both. Nothing is stored on error.
    pub fn add_deal(&self, new: &NewDeal) -> Result<Deal> {
        let now = self.now();
        let who = check_by(&new.by)?;
        self.write(|tx| {
            let pipeline = tx.pipeline(new.pipeline)?.ok_or_else(|| {
                Error::validation(
                    "pipeline",
                    format!("pipeline {} does not exist", new.pipeline),
                )
            })?;
            let stage = match new.stage {
                Some(id) => target_stage(tx, &pipeline, id)?,
                None => pipeline
                    .first_stage(StageKind::Open)
                    .cloned()
                    .ok_or_else(|| {
                        Error::validation("stage", "the pipeline has no active open stage")
                    })?,
            };
            if stage.kind != StageKind::Open {
                return Err(Error::validation(
                    "stage",
                    "a new deal starts in an open stage",
                ));
            }
            let mut deal = validate::new_deal(new, &stage, now)?;
            check_products(tx, &mut deal.lines)?;
            check_parties(tx, deal.customer, deal.organisation)?;
            check_code_free(tx, deal.external_code.as_deref(), None)?;
            deal.id = tx.insert_deal(&deal)?;
            tx.record_change(EntityKind::Deal, deal.id.0, ChangeOp::Insert, now)?;
            let change = DealStageChange {
                id: DealStageChangeId(0),
                deal: deal.id,
                from_stage: None,
                to_stage: stage.id,
                by: who.clone(),
                at: now,
                spent_ms: 0,
            };
            record_stage_change(
                tx,
                &deal,
                &change,
                &format!("Deal «{}» opened in {}", deal.title, stage.name),
            )?;
            Ok(deal)
        })
    }

    /// One deal with its lines.
    pub fn deal(&self, id: DealId) -> Result<Deal> {
        self.read(|tx| get_deal(tx, id))
    }

    /// One deal by its external code.
    pub fn deal_by_code(&self, code: &str) -> Result<Deal> {
        let code = code.trim();
        self.read(|tx| tx.deal_by_code(code))?
            .ok_or_else(|| Error::not_found(EntityKind::Deal, code))
    }

    /// Changes a deal's data (not its stage) if it is still at `expected_version`.
    pub fn update_deal(
        &self,
        id: DealId,
        expected_version: i64,
        patch: &DealPatch,
    ) -> Result<Deal> {
        let now = self.now();
        self.write(|tx| {
            let current = get_deal(tx, id)?;
            check_version(&current, expected_version)?;
            let mut next = validate::deal_patch(&current, patch, now)?;
            if patch.lines.is_some() {
                check_products(tx, &mut next.lines)?;
            }
            check_parties(tx, next.customer, next.organisation)?;
            check_code_free(tx, next.external_code.as_deref(), Some(id))?;
            let stage = get_stage(tx, next.stage)?;
            next.probability =
                effective_probability(next.status, next.probability_override, stage.probability);
            tx.update_deal(&next)?;
            tx.record_change(EntityKind::Deal, id.0, ChangeOp::Update, now)?;
            Ok(next)
        })
    }

    /// Moves an open deal to another stage of its pipeline. A won stage sets the probability to
    /// 100 and the close time; a lost stage needs a lost reason and remembers the stage the
    /// deal was lost at. A won or lost deal must be reopened first.
    pub fn move_deal(&self, id: DealId, expected_version: i64, change: &StageMove) -> Result<Deal> {
        let now = self.now();
        let who = check_by(&change.by)?;
        let note = clean_text("lost_note", &change.lost_note, 1000, false)?;
        self.write(|tx| {
            let mut deal = get_deal(tx, id)?;
            check_version(&deal, expected_version)?;
            check_open(&deal)?;
            let pipeline = get_pipeline(tx, deal.pipeline)?;
            let target = target_stage(tx, &pipeline, change.stage)?;
            if target.id == deal.stage {
                return Err(Error::validation(
                    "stage",
                    "the deal is already in this stage",
                ));
            }
            let lost = match target.kind {
                StageKind::Lost => Some(check_lost_reason(tx, change.lost_reason)?),
                StageKind::Open | StageKind::Won => None,
            };
            move_to(
                tx,
                &mut deal,
                &target,
                &who,
                now,
                lost.map(|r| (r, note.clone())),
            )?;
            Ok(deal)
        })
    }

    /// Moves an open deal to its pipeline's first won stage.
    pub fn mark_won(&self, id: DealId, expected_version: i64, by: &str) -> Result<Deal> {
        let stage = self.closing_stage(id, StageKind::Won)?;
        self.move_deal(id, expected_version, &StageMove::to(stage, by))
    }

    /// Moves an open deal to its pipeline's first lost stage, for `reason`.
    pub fn mark_lost(
        &self,
        id: DealId,
        expected_version: i64,
        reason: Option<LostReasonId>,
        note: &str,
        by: &str,
    ) -> Result<Deal> {
        let stage = self.closing_stage(id, StageKind::Lost)?;
        let mut change = StageMove::to(stage, by).lost_note(note);
        change.lost_reason = reason;
        self.move_deal(id, expected_version, &change)
    }

    fn closing_stage(&self, id: DealId, kind: StageKind) -> Result<StageId> {
        self.read(|tx| {
            let deal = get_deal(tx, id)?;
            let pipeline = get_pipeline(tx, deal.pipeline)?;
            pipeline.first_stage(kind).map(|s| s.id).ok_or_else(|| {
                Error::validation(
                    "stage",
                    format!(
                        "pipeline {} has no active {} stage",
                        pipeline.id,
                        kind.as_str()
                    ),
                )
            })
        })
    }

    /// Reopens a won or lost deal into an open stage: `stage`, or by default the stage it was
    /// lost at (a won deal: the last open stage). Clears the close time and the lost reason.
    pub fn reopen_deal(
        &self,
        id: DealId,
        expected_version: i64,
        stage: Option<StageId>,
        by: &str,
    ) -> Result<Deal> {
        let now = self.now();
        let who = check_by(by)?;
        self.write(|tx| {
            let mut deal = get_deal(tx, id)?;
            check_version(&deal, expected_version)?;
            if deal.status == StageKind::Open {
                return Err(Error::Conflict(format!(
                    "deal {id} is open, not won or lost"
                )));
            }
            let pipeline = get_pipeline(tx, deal.pipeline)?;
            let target = match stage {
                Some(s) => target_stage(tx, &pipeline, s)?,
                None => deal
                    .lost_at_stage
                    .and_then(|s| pipeline.stage(s).filter(|s| !s.retired))
                    .or_else(|| {
                        pipeline
                            .active_stages()
                            .filter(|s| s.kind == StageKind::Open)
                            .last()
                    })
                    .cloned()
                    .ok_or_else(|| {
                        Error::validation("stage", "the pipeline has no active open stage")
                    })?,
            };
            if target.kind != StageKind::Open {
                return Err(Error::validation(
                    "stage",
                    "a deal is reopened into an open stage",
                ));
            }
            move_to(tx, &mut deal, &target, &who, now, None)?;
            Ok(deal)
        })
    }

    /// Moves an open deal to another pipeline, into `stage` (an open stage of that pipeline)
    /// or that pipeline's first open stage.
    pub fn change_deal_pipeline(
        &self,
        id: DealId,
        expected_version: i64,
        pipeline: PipelineId,
        stage: Option<StageId>,
        by: &str,
    ) -> Result<Deal> {
        let now = self.now();
        let who = check_by(by)?;
        self.write(|tx| {
            let mut deal = get_deal(tx, id)?;
            check_version(&deal, expected_version)?;
            check_open(&deal)?;
            let target_pipeline = tx.pipeline(pipeline)?.ok_or_else(|| {
                Error::validation("pipeline", format!("pipeline {pipeline} does not exist"))
            })?;
            if target_pipeline.id == deal.pipeline {
                return Err(Error::validation(
                    "pipeline",
                    "the deal is already in this pipeline",
                ));
            }
            let target = match stage {
                Some(s) => target_stage(tx, &target_pipeline, s)?,
                None => target_pipeline
                    .first_stage(StageKind::Open)
                    .cloned()
                    .ok_or_else(|| {
                        Error::validation("stage", "the pipeline has no active open stage")
                    })?,
            };
            if target.kind != StageKind::Open {
                return Err(Error::validation(
                    "stage",
                    "a deal changes pipeline into an open stage",
                ));
            }
            move_to(tx, &mut deal, &target, &who, now, None)?;
            Ok(deal)
        })
    }

    /// A deal's stage history, oldest first.
    pub fn deal_history(&self, id: DealId) -> Result<Vec<DealStageChange>> {
        self.read(|tx| {
            get_deal(tx, id)?;
            tx.deal_history(id)
        })
    }

    /// Deals matching `filter`, in id order, one page at a time.
    pub fn list_deals(
        &self,
        filter: &DealFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Deal>> {
        let limit = check_limit(limit)?;
        let after = parse_cursor(cursor)?;
        let items = self.read(|tx| tx.deals_after(filter, after, limit))?;
        Ok(page(items, limit))
    }

    /// Open deals that stayed in their stage longer than its rot threshold, as of now.
    pub fn stale_deals(
        &self,
        pipeline: Option<PipelineId>,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Deal>> {
        self.stale_deals_at(pipeline, self.now(), cursor, limit)
    }

    /// Open deals that stayed in their stage longer than its rot threshold, as of `now`.
    pub fn stale_deals_at(
        &self,
        pipeline: Option<PipelineId>,
        now: Timestamp,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Deal>> {
        let limit = check_limit(limit)?;
        let after = parse_cursor(cursor)?;
        let items = self.read(|tx| tx.stale_deals_after(pipeline, now, after, limit))?;
        Ok(page(items, limit))
    }
}

fn page(items: Vec<Deal>, limit: u32) -> Page<Deal> {
    let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
    let next = if full {
        items.last().map(|d| format!("d{}", d.id.0))
    } else {
        None
    };
    Page { items, next }
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<DealId>> {
    cursor
        .map(|c| {
            c.strip_prefix('d')
                .and_then(|n| n.parse::<i64>().ok())
                .map(DealId)
                .ok_or_else(|| Error::validation("cursor", "is not a deal cursor"))
        })
        .transpose()
}

/// Whether two names read the same (case, accents, letter variants ignored).
fn same_name(a: &str, b: &str) -> bool {
    text::search_key(a) == text::search_key(b)
}

/// Reads one pipeline or fails with not found.
pub(crate) fn get_pipeline(tx: &mut (impl ReadTx + ?Sized), id: PipelineId) -> Result<Pipeline> {
    tx.pipeline(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Pipeline, id))
}

fn get_stage(tx: &mut (impl ReadTx + ?Sized), id: StageId) -> Result<Stage> {
    tx.stage(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Stage, id))
}

fn get_lost_reason(tx: &mut (impl ReadTx + ?Sized), id: LostReasonId) -> Result<LostReason> {
    tx.lost_reason(id)?
        .ok_or_else(|| Error::not_found(EntityKind::LostReason, id))
}

fn get_deal(tx: &mut (impl ReadTx + ?Sized), id: DealId) -> Result<Deal> {
    tx.deal(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Deal, id))
}

fn insert_lost_reason(tx: &mut dyn WriteTx, name: &str, now: Timestamp) -> Result<LostReason> {
    let mut reason = LostReason {
        id: LostReasonId(0),
        name: name.to_owned(),
        retired: false,
        created_at: now,
    };
    reason.id = tx.insert_lost_reason(&reason)?;
    tx.record_change(EntityKind::LostReason, reason.id.0, ChangeOp::Insert, now)?;
    Ok(reason)
}

/// Keeps the deals' lost-reason list in step with a `lost_reason` directory entry, so both
/// are one list: the reason named `old` (or, if none, `name`) takes the entry's name and its
/// archived flag as retired; a missing one is added. `old` is the entry's previous name.
pub(crate) fn mirror_lost_reason(
    tx: &mut (impl WriteTx + ?Sized),
    old: Option<&str>,
    name: &str,
    archived: bool,
    now: Timestamp,
) -> Result<()> {
    check_mirrored_name(tx, old, name)?;
    let reasons = tx.lost_reasons()?;
    let Some(found) = mirrored(&reasons, old, name) else {
        let mut reason = LostReason {
            id: LostReasonId(0),
            name: name.to_owned(),
            retired: archived,
            created_at: now,
        };
        reason.id = tx.insert_lost_reason(&reason)?;
        tx.record_change(EntityKind::LostReason, reason.id.0, ChangeOp::Insert, now)?;
        return Ok(());
    };
    if found.name == name && found.retired == archived {
        return Ok(());
    }
    let mut reason = found.clone();
    reason.name = name.to_owned();
    reason.retired = archived;
    tx.update_lost_reason(&reason)?;
    tx.record_change(EntityKind::LostReason, reason.id.0, ChangeOp::Update, now)?;
    Ok(())
}

/// The reason a `lost_reason` entry named `name` (previously `old`) stands for.
fn mirrored<'a>(
    reasons: &'a [LostReason],
    old: Option<&str>,
    name: &str,
) -> Option<&'a LostReason> {
    old.and_then(|o| reasons.iter().find(|r| same_name(&r.name, o)))
        .or_else(|| reasons.iter().find(|r| same_name(&r.name, name)))
}

/// Rejects renaming the reason a `lost_reason` entry stands for onto another reason's name.
pub(crate) fn check_mirrored_name(
    tx: &mut (impl ReadTx + ?Sized),
    old: Option<&str>,
    name: &str,
) -> Result<()> {
    let reasons = tx.lost_reasons()?;
    let id = mirrored(&reasons, old, name).map(|r| r.id);
    if reasons
        .iter()
        .any(|r| Some(r.id) != id && same_name(&r.name, name))
    {
        return Err(Error::validation(
            "name",
            format!("another lost reason is named {name:?}"),
        ));
    }
    Ok(())
}

/// A stage a deal may move into: it exists, belongs to `pipeline` and is not retired.
fn target_stage(tx: &mut dyn WriteTx, pipeline: &Pipeline, id: StageId) -> Result<Stage> {
    let stage = tx
        .stage(id)?
        .ok_or_else(|| Error::validation("stage", format!("stage {id} does not exist")))?;
    if stage.pipeline != pipeline.id {
        return Err(Error::validation(
            "stage",
            format!(
                "stage {id} belongs to pipeline {}, not {}",
                stage.pipeline, pipeline.id
            ),
        ));
    }
    if stage.retired {
        return Err(Error::validation("stage", format!("stage {id} is retired")));
    }
    Ok(stage)
}

fn check_version(deal: &Deal, expected: i64) -> Result<()> {
    if deal.version == expected {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "deal {} is at version {}, not {expected}",
            deal.id, deal.version
        )))
    }
}

fn check_open(deal: &Deal) -> Result<()> {
    if deal.status == StageKind::Open {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "deal {} is {}; reopen it first",
            deal.id,
            deal.status.as_str()
        )))
    }
}

fn check_lost_reason(tx: &mut dyn WriteTx, reason: Option<LostReasonId>) -> Result<LostReasonId> {
    let id =
        reason.ok_or_else(|| Error::validation("lost_reason", "is required to lose a deal"))?;
    let reason = tx.lost_reason(id)?.ok_or_else(|| {
        Error::validation("lost_reason", format!("lost reason {id} does not exist"))
    })?;
    if reason.retired {
        return Err(Error::validation(
            "lost_reason",
            format!("lost reason {id} is retired"),
        ));
    }
    Ok(id)
}

fn check_parties(
    tx: &mut dyn WriteTx,
    customer: Option<CustomerId>,
    organisation: Option<CustomerId>,
) -> Result<()> {
    if customer.is_none() && organisation.is_none() {
        return Err(Error::validation(
            "customer",
            "a deal needs a customer or an organisation",
        ));
    }
    for (field, id, kind) in [
        ("customer", customer, CustomerKind::Person),
        ("organisation", organisation, CustomerKind::Organisation),
    ] {
        let Some(id) = id else { continue };
        let c = tx
            .customer(id)?
            .ok_or_else(|| Error::validation(field, format!("customer {id} does not exist")))?;
        if c.kind != kind {
            return Err(Error::validation(
                field,
                format!("customer {id} is not a {}", kind.as_str()),
            ));
        }
    }
    Ok(())
}

fn check_code_free(tx: &mut dyn WriteTx, code: Option<&str>, own: Option<DealId>) -> Result<()> {
    let Some(code) = code else { return Ok(()) };
    match tx.deal_by_code(code)? {
        Some(other) if Some(other.id) != own => Err(Error::Conflict(format!(
            "external_code {code:?} is already used by deal {}",
            other.id
        ))),
        _ => Ok(()),
    }
}

/// Moves `deal` into `target`, records the history row, the timeline entry and the changes,
/// and stores the deal. `lost` carries the reason and note of a loss.
fn move_to(
    tx: &mut dyn WriteTx,
    deal: &mut Deal,
    target: &Stage,
    by: &str,
    now: Timestamp,
    lost: Option<(LostReasonId, String)>,
) -> Result<()> {
    let from = get_stage(tx, deal.stage)?;
    let spent_ms = now.0.saturating_sub(deal.stage_entered_at.0).max(0);
    match target.kind {
        StageKind::Open => {
            deal.closed_at = None;
            deal.lost_reason = None;
            deal.lost_at_stage = None;
            deal.lost_note = String::new();
        }
        StageKind::Won => {
            deal.closed_at = Some(now);
            deal.lost_reason = None;
            deal.lost_at_stage = None;
            deal.lost_note = String::new();
        }
        StageKind::Lost => {
            let (reason, note) =
                lost.ok_or_else(|| Error::validation("lost_reason", "is required to lose a deal"))?;
            deal.closed_at = Some(now);
            deal.lost_reason = Some(reason);
            deal.lost_at_stage = Some(from.id);
            deal.lost_note = note;
        }
    }
    deal.pipeline = target.pipeline;
    deal.stage = target.id;
    deal.status = target.kind;
    deal.stage_entered_at = now;
    deal.probability =
        effective_probability(target.kind, deal.probability_override, target.probability);
    validate::bump(deal, now)?;
    tx.update_deal(deal)?;
    tx.record_change(EntityKind::Deal, deal.id.0, ChangeOp::Update, now)?;
    let change = DealStageChange {
        id: DealStageChangeId(0),
        deal: deal.id,
        from_stage: Some(from.id),
        to_stage: target.id,
        by: by.to_owned(),
        at: now,
        spent_ms,
    };
    let id = record_stage_change(
        tx,
        deal,
        &change,
        &format!("Deal «{}»: {} → {}", deal.title, from.name, target.name),
    )?;
    if let Some(customer) = deal.customer.or(deal.organisation) {
        let event = Event::DealStageChanged {
            customer,
            deal: deal.id,
            to: target.kind,
            change: id.0,
        };
        on_event(tx, event, now)?;
    }
    Ok(())
}

/// Stores a history row and notes it on the customer's (else the organisation's) timeline.
fn record_stage_change(
    tx: &mut dyn WriteTx,
    deal: &Deal,
    change: &DealStageChange,
    summary: &str,
) -> Result<DealStageChangeId> {
    let id = tx.insert_stage_change(change)?;
    tx.record_change(
        EntityKind::DealStageChange,
        id.0,
        ChangeOp::Insert,
        change.at,
    )?;
    if let Some(customer) = deal.customer.or(deal.organisation) {
        let summary: String = summary.chars().take(500).collect();
        let entry = NewTimelineEntry::new(customer, InteractionKind::Deal, summary)
            .at(change.at)
            .author(change.by.clone())
            .source(format!("deal:{}", deal.id))
            .validate(change.at)?;
        let entry_id = tx.insert_timeline_entry(&entry)?;
        tx.record_change(
            EntityKind::TimelineEntry,
            entry_id.0,
            ChangeOp::Insert,
            change.at,
        )?;
    }
    Ok(id)
}

/// Checks that each line's product code names an active entry of the `product` directory;
/// a line without a product name takes the entry's name.
fn check_products(tx: &mut dyn WriteTx, lines: &mut [DealLine]) -> Result<()> {
    for (i, line) in lines.iter_mut().enumerate() {
        let Some(code) = line.product_code.as_deref() else {
            continue;
        };
        let entry = active_product(tx, code, &format!("lines[{i}].product_code"))?;
        if line.product.is_empty() {
            line.product = entry.name;
        }
    }
    Ok(())
}

/// The active (not archived) entry of the `product` directory with code `code`; an unknown
/// or archived code is a validation error on `field`.
pub(crate) fn active_product(tx: &mut dyn WriteTx, code: &str, field: &str) -> Result<Entry> {
    match tx.entry_by_code("product", code)? {
        Some(entry) if entry.archived => Err(Error::validation(
            field,
            format!("product {code:?} is archived"),
        )),
        Some(entry) => Ok(entry),
        None => Err(Error::validation(
            field,
            format!("no product has the code {code:?}"),
        )),
    }
}
