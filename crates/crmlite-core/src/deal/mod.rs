//! Deals on company-defined pipelines: pipelines and their ordered stages, deals with line
//! items, the lost-reason reference list, stage history, and the sales reports.
//!
//! Rounding: every division of money (line totals, weighted forecast) is done exactly in
//! `i128` and rounded once, half away from zero ([`crate::money::div_round_half_away`]),
//! then checked back into `i64`; an overflow is a validation error.

pub mod report;
pub(crate) mod service;
mod validate;

pub use validate::{line_total, parse_stage_list};

use crate::customer::AttributeValue;
use crate::money::Money;
use crate::{CustomerId, DealId, DealStageChangeId, LostReasonId, PipelineId, StageId, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What reaching a stage means for a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// The deal is still being worked on.
    Open,
    /// The deal was won.
    Won,
    /// The deal was lost.
    Lost,
}

impl StageKind {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    /// Parses `open`, `won` or `lost`; `field` names the input in the error.
    pub fn parse(s: &str, field: &str) -> crate::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Self::Open),
            "won" => Ok(Self::Won),
            "lost" => Ok(Self::Lost),
            _ => Err(crate::Error::validation(field, "must be open, won or lost")),
        }
    }
}

/// A sales pipeline: a named, ordered list of stages.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Pipeline {
    /// Store-assigned id.
    pub id: PipelineId,
    /// Display name, unique among pipelines.
    pub name: String,
    /// Its stages in order (retired ones included, flagged).
    pub stages: Vec<Stage>,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Pipeline {
    /// The stages deals can still move into, in order.
    pub fn active_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| !s.retired)
    }

    /// The first active stage of `kind`, if any.
    #[must_use]
    pub fn first_stage(&self, kind: StageKind) -> Option<&Stage> {
        self.active_stages().find(|s| s.kind == kind)
    }

    /// The stage with this id, if it belongs to this pipeline.
    #[must_use]
    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }
}

/// One stage of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Stage {
    /// Store-assigned id.
    pub id: StageId,
    /// The pipeline it belongs to.
    pub pipeline: PipelineId,
    /// Display name, unique within the pipeline.
    pub name: String,
    /// Sort position within the pipeline (0 first).
    pub position: i64,
    /// Default win probability in percent, 0..=100, for open deals without their own.
    pub probability: u8,
    /// Open, won or lost.
    pub kind: StageKind,
    /// Open deals that stay longer than this many days are stale ("rotting").
    pub rot_after_days: Option<u32>,
    /// A retired stage keeps its deals and history but accepts no new moves.
    pub retired: bool,
}

/// Input for a new stage.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewStage {
    /// Display name (required).
    pub name: String,
    /// Default probability 0..=100; `None` means 100 for won, 0 for lost, 0 for open stages.
    pub probability: Option<u8>,
    /// Open, won or lost.
    pub kind: StageKind,
    /// Days after which an open deal in this stage is stale.
    pub rot_after_days: Option<u32>,
}

impl NewStage {
    /// An open stage with a default probability.
    #[must_use]
    pub fn open(name: impl Into<String>, probability: u8) -> Self {
        Self {
            name: name.into(),
            probability: Some(probability),
            kind: StageKind::Open,
            rot_after_days: None,
        }
    }

    /// A won stage (probability 100).
    #[must_use]
    pub fn won(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            probability: Some(100),
            kind: StageKind::Won,
            rot_after_days: None,
        }
    }

    /// A lost stage (probability 0).
    #[must_use]
    pub fn lost(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            probability: Some(0),
            kind: StageKind::Lost,
            rot_after_days: None,
        }
    }

    /// Sets the number of days after which open deals here are stale.
    #[must_use]
    pub fn rot_after_days(mut self, days: u32) -> Self {
        self.rot_after_days = Some(days);
        self
    }
}

/// A change to a stage: `None` leaves a field as it is. The kind cannot change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StagePatch {
    /// New name.
    pub name: Option<String>,
    /// New default probability.
    pub probability: Option<u8>,
    /// New rot threshold, or `Some(None)` to clear it.
    pub rot_after_days: Option<Option<u32>>,
}

impl StagePatch {
    /// A patch that changes nothing.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the stage.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the default probability.
    #[must_use]
    pub fn probability(mut self, percent: u8) -> Self {
        self.probability = Some(percent);
        self
    }

    /// Sets or clears the rot threshold.
    #[must_use]
    pub fn rot_after_days(mut self, days: Option<u32>) -> Self {
        self.rot_after_days = Some(days);
        self
    }
}

/// Input for a new pipeline with its stages in order (seeding from a list).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewPipeline {
    /// Display name (required, unique).
    pub name: String,
    /// Stages in order.
    pub stages: Vec<NewStage>,
}

impl NewPipeline {
    /// A pipeline named `name` with `stages` in order.
    #[must_use]
    pub fn new(name: impl Into<String>, stages: Vec<NewStage>) -> Self {
        Self {
            name: name.into(),
            stages,
        }
    }
}

/// An entry of the editable lost-reason reference list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LostReason {
    /// Store-assigned id.
    pub id: LostReasonId,
    /// Display name, unique.
    pub name: String,
    /// A retired reason stays on old deals but cannot be chosen again.
    pub retired: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// One line item of a deal. The total is derived; see [`line_total`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DealLine {
    /// Product name as free text.
    pub product: String,
    /// Product code in the reference directory or accounting program, if any.
    pub product_code: Option<String>,
    /// Quantity in thousandths of a unit (`1500` is 1.5 units); positive.
    pub quantity_milli: i64,
    /// Price of one unit; not negative.
    pub unit_price: Money,
    /// Discount in basis points, 0..=10000 (`1250` is 12.5 %).
    pub discount_bp: u32,
    /// quantity x unit price x (1 - discount), rounded half away from zero to minor units.
    pub total: Money,
}

/// Input for a line item.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewDealLine {
    /// Product name; required unless `product_code` is given, whose entry's name it then takes.
    pub product: String,
    /// Product code: an active (not archived) entry of the `product` directory, if any.
    pub product_code: Option<String>,
    /// Quantity in thousandths of a unit.
    pub quantity_milli: i64,
    /// Price of one unit.
    pub unit_price: Money,
    /// Discount in basis points.
    pub discount_bp: u32,
}

impl NewDealLine {
    /// A line of `quantity_milli / 1000` units of `product` at `unit_price`, no discount.
    #[must_use]
    pub fn new(product: impl Into<String>, quantity_milli: i64, unit_price: Money) -> Self {
        Self {
            product: product.into(),
            product_code: None,
            quantity_milli,
            unit_price,
            discount_bp: 0,
        }
    }

    /// Sets the product code.
    #[must_use]
    pub fn product_code(mut self, code: impl Into<String>) -> Self {
        self.product_code = Some(code.into());
        self
    }

    /// Sets the discount in basis points.
    #[must_use]
    pub fn discount_bp(mut self, bp: u32) -> Self {
        self.discount_bp = bp;
        self
    }
}

/// A stored deal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Deal {
    /// Store-assigned id.
    pub id: DealId,
    /// The pipeline it is in.
    pub pipeline: PipelineId,
    /// Its current stage; for a lost deal the lost stage.
    pub stage: StageId,
    /// The kind of its current stage.
    pub status: StageKind,
    /// Short title.
    pub title: String,
    /// The person it is with.
    pub customer: Option<CustomerId>,
    /// The organisation it is with.
    pub organisation: Option<CustomerId>,
    /// Who owns it: a user reference chosen by the host; may be empty.
    pub owner: String,
    /// Value of the deal; the line total when it has lines.
    pub amount: Money,
    /// Line items.
    pub lines: Vec<DealLine>,
    /// The probability set by a user, if any (an explicit 0 stays 0).
    pub probability_override: Option<u8>,
    /// Effective probability: 100 won, 0 lost, else the override or the stage default.
    pub probability: u8,
    /// When the deal is expected to close.
    pub expected_close: Option<NaiveDate>,
    /// When it was won or lost.
    pub closed_at: Option<Timestamp>,
    /// Source or campaign reference (`instagram`, `campaign:12`); may be empty.
    pub source: String,
    /// Why it was lost.
    pub lost_reason: Option<LostReasonId>,
    /// The open stage it was in when it was lost.
    pub lost_at_stage: Option<StageId>,
    /// A note on the loss; may be empty.
    pub lost_note: String,
    /// When it entered its current stage.
    pub stage_entered_at: Timestamp,
    /// Typed custom attributes.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Code in the system of record, unique among deals.
    pub external_code: Option<String>,
    /// Bumped by every change; pass it back to change the deal again.
    pub version: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// The effective probability of a deal in a stage of `kind`.
#[must_use]
pub fn effective_probability(
    kind: StageKind,
    probability_override: Option<u8>,
    stage_default: u8,
) -> u8 {
    match kind {
        StageKind::Won => 100,
        StageKind::Lost => 0,
        StageKind::Open => probability_override.unwrap_or(stage_default),
    }
}

/// Input for a new deal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewDeal {
    /// The pipeline.
    pub pipeline: PipelineId,
    /// The open stage to start in; `None` means the pipeline's first open stage.
    pub stage: Option<StageId>,
    /// Short title (required).
    pub title: String,
    /// The person.
    pub customer: Option<CustomerId>,
    /// The organisation.
    pub organisation: Option<CustomerId>,
    /// The owner.
    pub owner: String,
    /// The amount; may be left out when lines are given (then it is their total).
    pub amount: Option<Money>,
    /// Line items.
    pub lines: Vec<NewDealLine>,
    /// An explicit probability.
    pub probability: Option<u8>,
    /// Expected close date.
    pub expected_close: Option<NaiveDate>,
    /// Source or campaign reference.
    pub source: String,
    /// Custom attributes.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Code in the system of record.
    pub external_code: Option<String>,
    /// Who creates it (recorded in the stage history).
    pub by: String,
}

impl NewDeal {
    /// A deal titled `title` in `pipeline`, with nothing else set.
    #[must_use]
    pub fn new(pipeline: PipelineId, title: impl Into<String>) -> Self {
        Self {
            pipeline,
            stage: None,
            title: title.into(),
            customer: None,
            organisation: None,
            owner: String::new(),
            amount: None,
            lines: Vec::new(),
            probability: None,
            expected_close: None,
            source: String::new(),
            attributes: BTreeMap::new(),
            external_code: None,
            by: String::new(),
        }
    }

    /// Sets the starting stage.
    #[must_use]
    pub fn stage(mut self, stage: StageId) -> Self {
        self.stage = Some(stage);
        self
    }

    /// Sets the person.
    #[must_use]
    pub fn customer(mut self, id: CustomerId) -> Self {
        self.customer = Some(id);
        self
    }

    /// Sets the organisation.
    #[must_use]
    pub fn organisation(mut self, id: CustomerId) -> Self {
        self.organisation = Some(id);
        self
    }

    /// Sets the owner.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = owner.into();
        self
    }

    /// Sets the amount.
    #[must_use]
    pub fn amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Adds a line item.
    #[must_use]
    pub fn line(mut self, line: NewDealLine) -> Self {
        self.lines.push(line);
        self
    }

    /// Sets an explicit probability.
    #[must_use]
    pub fn probability(mut self, percent: u8) -> Self {
        self.probability = Some(percent);
        self
    }

    /// Sets the expected close date.
    #[must_use]
    pub fn expected_close(mut self, date: NaiveDate) -> Self {
        self.expected_close = Some(date);
        self
    }

    /// Sets the source or campaign reference.
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Sets a custom attribute.
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.attributes.insert(name.into(), value);
        self
    }

    /// Sets the external code.
    #[must_use]
    pub fn external_code(mut self, code: impl Into<String>) -> Self {
        self.external_code = Some(code.into());
        self
    }

    /// Sets who creates it.
    #[must_use]
    pub fn by(mut self, who: impl Into<String>) -> Self {
        self.by = who.into();
        self
    }
}

/// A partial update of a deal's data (not its stage): `None` leaves a field as it is,
/// `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DealPatch {
    /// New title.
    pub title: Option<String>,
    /// New person.
    pub customer: Option<Option<CustomerId>>,
    /// New organisation.
    pub organisation: Option<Option<CustomerId>>,
    /// New owner.
    pub owner: Option<String>,
    /// New amount (only for a deal without lines).
    pub amount: Option<Money>,
    /// New line items (replace the old ones; the amount becomes their total).
    pub lines: Option<Vec<NewDealLine>>,
    /// New explicit probability, or `Some(None)` to follow the stage default again.
    pub probability: Option<Option<u8>>,
    /// New expected close date.
    pub expected_close: Option<Option<NaiveDate>>,
    /// New source or campaign reference.
    pub source: Option<String>,
    /// Attributes to set; a `None` value removes that attribute.
    pub attributes: BTreeMap<String, Option<AttributeValue>>,
    /// New external code.
    pub external_code: Option<Option<String>>,
}

impl DealPatch {
    /// A patch that changes nothing.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets or clears the person.
    #[must_use]
    pub fn customer(mut self, id: Option<CustomerId>) -> Self {
        self.customer = Some(id);
        self
    }

    /// Sets or clears the organisation.
    #[must_use]
    pub fn organisation(mut self, id: Option<CustomerId>) -> Self {
        self.organisation = Some(id);
        self
    }

    /// Sets the owner.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Sets the amount of a deal without lines.
    #[must_use]
    pub fn amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Replaces the line items.
    #[must_use]
    pub fn lines(mut self, lines: Vec<NewDealLine>) -> Self {
        self.lines = Some(lines);
        self
    }

    /// Sets an explicit probability, or `None` to follow the stage default.
    #[must_use]
    pub fn probability(mut self, percent: Option<u8>) -> Self {
        self.probability = Some(percent);
        self
    }

    /// Sets or clears the expected close date.
    #[must_use]
    pub fn expected_close(mut self, date: Option<NaiveDate>) -> Self {
        self.expected_close = Some(date);
        self
    }

    /// Sets the source or campaign reference.
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets (`Some`) or removes (`None`) a custom attribute.
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: Option<AttributeValue>) -> Self {
        self.attributes.insert(name.into(), value);
        self
    }

    /// Sets or clears the external code.
    #[must_use]
    pub fn external_code(mut self, code: Option<String>) -> Self {
        self.external_code = Some(code);
        self
    }
}

/// Which deals a list query returns; unset fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DealFilter {
    /// Only deals in this pipeline.
    pub pipeline: Option<PipelineId>,
    /// Only deals in this stage.
    pub stage: Option<StageId>,
    /// Only deals of this owner.
    pub owner: Option<String>,
    /// Only deals with this customer as person or organisation.
    pub customer: Option<CustomerId>,
    /// Only deals of this status.
    pub status: Option<StageKind>,
}

impl DealFilter {
    /// Every deal.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// Only deals in `pipeline`.
    #[must_use]
    pub fn pipeline(mut self, id: PipelineId) -> Self {
        self.pipeline = Some(id);
        self
    }

    /// Only deals in `stage`.
    #[must_use]
    pub fn stage(mut self, id: StageId) -> Self {
        self.stage = Some(id);
        self
    }

    /// Only deals of `owner`.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Only deals with `customer`.
    #[must_use]
    pub fn customer(mut self, id: CustomerId) -> Self {
        self.customer = Some(id);
        self
    }

    /// Only deals of `status`.
    #[must_use]
    pub fn status(mut self, status: StageKind) -> Self {
        self.status = Some(status);
        self
    }
}

/// One row of a deal's stage history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DealStageChange {
    /// Store-assigned id.
    pub id: DealStageChangeId,
    /// The deal.
    pub deal: DealId,
    /// The stage it left; `None` when the deal was created.
    pub from_stage: Option<StageId>,
    /// The stage it entered.
    pub to_stage: StageId,
    /// Who moved it.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// Milliseconds it spent in `from_stage` (0 on creation).
    pub spent_ms: i64,
}

/// The figures of one deal that the row-by-row reports in [`report`] take (the `Crm` reports
/// get the same results from sums the store computes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealFigures {
    /// The deal.
    pub id: DealId,
    /// Its pipeline.
    pub pipeline: PipelineId,
    /// Its current stage.
    pub stage: StageId,
    /// Its status.
    pub status: StageKind,
    /// Its owner.
    pub owner: String,
    /// Its amount.
    pub amount: Money,
    /// Its effective probability.
    pub probability: u8,
    /// Its expected close date.
    pub expected_close: Option<NaiveDate>,
    /// Why it was lost.
    pub lost_reason: Option<LostReasonId>,
    /// Where it was lost.
    pub lost_at_stage: Option<StageId>,
}

/// A move of a deal to another stage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StageMove {
    /// The target stage.
    pub stage: StageId,
    /// Who moves it.
    pub by: String,
    /// Required when the target is a lost stage.
    pub lost_reason: Option<LostReasonId>,
    /// A note on the loss.
    pub lost_note: String,
}

impl StageMove {
    /// A move to `stage` by `by`.
    #[must_use]
    pub fn to(stage: StageId, by: impl Into<String>) -> Self {
        Self {
            stage,
            by: by.into(),
            lost_reason: None,
            lost_note: String::new(),
        }
    }

    /// Sets the lost reason.
    #[must_use]
    pub fn lost_reason(mut self, reason: LostReasonId) -> Self {
        self.lost_reason = Some(reason);
        self
    }

    /// Sets the note on the loss.
    #[must_use]
    pub fn lost_note(mut self, note: impl Into<String>) -> Self {
        self.lost_note = note.into();
        self
    }
}

#[cfg(test)]
mod tests;
