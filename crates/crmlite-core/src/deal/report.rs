//! Sales reports over deals and their stage history: weighted forecast, funnel, win rate,
//! time in stage and lost reasons. All arithmetic is exact integer arithmetic; every
//! division rounds once, half away from zero.

use super::service::get_pipeline;
use super::{DealFigures, DealStageChange, LostReason, Pipeline, StageKind};
use crate::money::{Currency, Money, div_round_half_away};
use crate::{Crm, Error, LostReasonId, PipelineId, Result, StageId};
use std::collections::{BTreeMap, BTreeSet};

/// How forecast rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastBy {
    /// One row per pipeline; the group is the pipeline id.
    Pipeline,
    /// One row per owner; the group is the owner (empty for unassigned deals).
    Owner,
    /// One row per expected close month; the group is `YYYY-MM`, empty for deals without a date.
    CloseMonth,
}

impl ForecastBy {
    /// Parses `pipeline`, `owner` or `month`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pipeline" => Ok(Self::Pipeline),
            "owner" => Ok(Self::Owner),
            "month" | "close_month" => Ok(Self::CloseMonth),
            _ => Err(Error::validation("by", "must be pipeline, owner or month")),
        }
    }
}

/// One row of the weighted forecast of open deals. Currencies are never mixed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ForecastRow {
    /// The group: a pipeline id, an owner or a `YYYY-MM` month (see [`ForecastBy`]).
    pub group: String,
    /// The number of open deals in the group with this currency.
    pub deals: i64,
    /// Their total amount.
    pub amount: Money,
    /// Σ(amount × probability) / 100, summed exactly and rounded once, half away from zero.
    pub weighted: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Pipeline(i64),
    Owner(String),
    Month(Option<(i32, u32)>),
}

impl GroupKey {
    fn label(&self) -> String {
        match self {
            Self::Pipeline(id) => id.to_string(),
            Self::Owner(o) => o.clone(),
            Self::Month(None) => String::new(),
            Self::Month(Some((y, m))) => format!("{y:04}-{m:02}"),
        }
    }
}

/// The weighted forecast of the open deals among `figures`, grouped `by`, then by currency.
pub fn forecast(figures: &[DealFigures], by: ForecastBy) -> Result<Vec<ForecastRow>> {
    use chrono::Datelike;
    let overflow = || Error::validation("amount", "the forecast total overflows");
    let mut groups: BTreeMap<(GroupKey, Currency), (i64, i128, i128)> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.status == StageKind::Open) {
        let key = match by {
            ForecastBy::Pipeline => GroupKey::Pipeline(f.pipeline.0),
            ForecastBy::Owner => GroupKey::Owner(f.owner.clone()),
            ForecastBy::CloseMonth => {
                GroupKey::Month(f.expected_close.map(|d| (d.year(), d.month())))
            }
        };
        let entry = groups.entry((key, f.amount.currency)).or_insert((0, 0, 0));
        let amount = i128::from(f.amount.minor);
        *entry = (
            entry.0.checked_add(1).ok_or_else(overflow)?,
            entry.1.checked_add(amount).ok_or_else(overflow)?,
            amount
                .checked_mul(i128::from(f.probability))
                .and_then(|w| entry.2.checked_add(w))
                .ok_or_else(overflow)?,
        );
    }
    groups
        .into_iter()
        .map(|((key, currency), (deals, amount, weighted))| {
            let weighted = div_round_half_away(weighted, 100).ok_or_else(overflow)?;
            Ok(ForecastRow {
                group: key.label(),
                deals,
                amount: Money::new(i64::try_from(amount).map_err(|_| overflow())?, currency),
                weighted: Money::new(i64::try_from(weighted).map_err(|_| overflow())?, currency),
            })
        })
        .collect()
}

/// One stage of a pipeline's funnel.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FunnelStep {
    /// The stage.
    pub stage: StageId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: StageKind,
    /// Deals that reached it: for an open stage, deals that entered it, a later open stage or
    /// a won stage; for a won or lost stage, deals that entered it.
    pub reached: i64,
    /// Deals in it now.
    pub current: i64,
    /// For an open stage: deals that reached the next open stage (after the last one: a won
    /// stage) per 10,000 that reached this one, rounded half away from zero; `None` when none
    /// reached it, and for won and lost stages.
    pub conversion_bp: Option<u32>,
}

/// The funnel of `pipeline` from its stage `history` and the current `figures` of its deals.
#[must_use]
pub fn funnel(
    pipeline: &Pipeline,
    history: &[DealStageChange],
    figures: &[DealFigures],
) -> Vec<FunnelStep> {
    // Per deal: the furthest open position it entered and whether it ever entered a won stage.
    let mut furthest: BTreeMap<i64, Option<i64>> = BTreeMap::new();
    let mut won: BTreeSet<i64> = BTreeSet::new();
    let mut entered: BTreeMap<StageId, BTreeSet<i64>> = BTreeMap::new();
    for h in history {
        let Some(stage) = pipeline.stage(h.to_stage) else {
            continue;
        };
        entered.entry(stage.id).or_default().insert(h.deal.0);
        match stage.kind {
            StageKind::Open => {
                let f = furthest.entry(h.deal.0).or_insert(None);
                *f = Some(f.map_or(stage.position, |p| p.max(stage.position)));
            }
            StageKind::Won => {
                won.insert(h.deal.0);
            }
            StageKind::Lost => {}
        }
    }
    let reached_open = |position: i64| -> i64 {
        let deals = furthest
            .iter()
            .filter(|(d, f)| won.contains(d) || f.is_some_and(|p| p >= position))
            .map(|(d, _)| *d)
            .chain(won.iter().copied())
            .collect::<BTreeSet<i64>>();
        i64::try_from(deals.len()).unwrap_or(i64::MAX)
    };
    let won_total = i64::try_from(won.len()).unwrap_or(i64::MAX);
    let open: Vec<_> = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    pipeline
        .stages
        .iter()
        .map(|s| {
            let current = figures.iter().filter(|f| f.stage == s.id).count();
            let (reached, conversion_bp) = match s.kind {
                StageKind::Open => {
                    let reached = reached_open(s.position);
                    let next = open
                        .iter()
                        .find(|o| o.position > s.position)
                        .map_or(won_total, |o| reached_open(o.position));
                    (reached, ratio_bp(next, reached))
                }
                StageKind::Won | StageKind::Lost => {
                    let n = entered.get(&s.id).map_or(0, BTreeSet::len);
                    (i64::try_from(n).unwrap_or(i64::MAX), None)
                }
            };
            FunnelStep {
                stage: s.id,
                name: s.name.clone(),
                kind: s.kind,
                reached,
                current: i64::try_from(current).unwrap_or(i64::MAX),
                conversion_bp,
            }
        })
        .collect()
}

/// `part / whole` in basis points, rounded half away from zero; `None` when `whole` is 0.
fn ratio_bp(part: i64, whole: i64) -> Option<u32> {
    let bp = div_round_half_away(i128::from(part) * 10_000, i128::from(whole))?;
    u32::try_from(bp).ok()
}

/// Won and lost deals and the win rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WinRate {
    /// Deals now won.
    pub won: i64,
    /// Deals now lost.
    pub lost: i64,
    /// won / (won + lost) in basis points, rounded half away from zero; `None` if none closed.
    pub rate_bp: Option<u32>,
}

/// The win rate of `figures`.
#[must_use]
pub fn win_rate(figures: &[DealFigures]) -> WinRate {
    let count =
        |k| i64::try_from(figures.iter().filter(|f| f.status == k).count()).unwrap_or(i64::MAX);
    let (won, lost) = (count(StageKind::Won), count(StageKind::Lost));
    WinRate {
        won,
        lost,
        rate_bp: ratio_bp(won, won.saturating_add(lost)),
    }
}

/// How long deals stayed in one stage (completed stays only).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StageTime {
    /// The stage.
    pub stage: StageId,
    /// Its name.
    pub name: String,
    /// The number of completed stays.
    pub stays: i64,
    /// Mean stay in milliseconds, rounded half away from zero.
    pub average_ms: Option<i64>,
    /// Median stay in milliseconds; with an even count the mean of the middle two, rounded
    /// half away from zero.
    pub median_ms: Option<i64>,
}

/// Time spent in each stage of `pipeline`, from the history rows that leave its stages.
#[must_use]
pub fn time_in_stage(pipeline: &Pipeline, history: &[DealStageChange]) -> Vec<StageTime> {
    pipeline
        .stages
        .iter()
        .map(|s| {
            let mut stays: Vec<i64> = history
                .iter()
                .filter(|h| h.from_stage == Some(s.id))
                .map(|h| h.spent_ms)
                .collect();
            stays.sort_unstable();
            let n = i128::try_from(stays.len()).unwrap_or(i128::MAX);
            let sum: i128 = stays.iter().map(|v| i128::from(*v)).sum();
            let average_ms = div_round_half_away(sum, n).and_then(|v| i64::try_from(v).ok());
            let mid = stays.len() / 2;
            let median_ms = if stays.len() % 2 == 1 {
                stays.get(mid).copied()
            } else {
                match (
                    mid.checked_sub(1).and_then(|i| stays.get(i)),
                    stays.get(mid),
                ) {
                    (Some(a), Some(b)) => div_round_half_away(i128::from(*a) + i128::from(*b), 2)
                        .and_then(|v| i64::try_from(v).ok()),
                    _ => None,
                }
            };
            StageTime {
                stage: s.id,
                name: s.name.clone(),
                stays: i64::try_from(stays.len()).unwrap_or(i64::MAX),
                average_ms,
                median_ms,
            }
        })
        .collect()
}

/// Lost deals for one reason at one stage.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LostReasonRow {
    /// The reason.
    pub reason: LostReasonId,
    /// Its name.
    pub reason_name: String,
    /// The open stage the deals were lost at.
    pub stage: StageId,
    /// Its name.
    pub stage_name: String,
    /// How many deals.
    pub deals: i64,
}

/// Deals now lost, grouped by reason and lost-at stage; most frequent first.
#[must_use]
pub fn lost_reasons(
    figures: &[DealFigures],
    reasons: &[LostReason],
    pipelines: &[Pipeline],
) -> Vec<LostReasonRow> {
    let mut counts: BTreeMap<(LostReasonId, StageId), i64> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.status == StageKind::Lost) {
        if let (Some(r), Some(s)) = (f.lost_reason, f.lost_at_stage) {
            *counts.entry((r, s)).or_insert(0) += 1;
        }
    }
    let mut rows: Vec<LostReasonRow> = counts
        .into_iter()
        .map(|((reason, stage), deals)| LostReasonRow {
            reason,
            reason_name: reasons
                .iter()
                .find(|r| r.id == reason)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            stage,
            stage_name: pipelines
                .iter()
                .find_map(|p| p.stage(stage))
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            deals,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.deals
            .cmp(&a.deals)
            .then(a.reason.cmp(&b.reason))
            .then(a.stage.cmp(&b.stage))
    });
    rows
}

impl Crm {
    /// The weighted forecast of open deals (of `pipeline`, if given), grouped `by`.
    pub fn forecast(
        &self,
        by: ForecastBy,
        pipeline: Option<PipelineId>,
    ) -> Result<Vec<ForecastRow>> {
        let figures = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            tx.deal_figures(pipeline)
        })?;
        forecast(&figures, by)
    }

    /// The funnel of a pipeline, stage by stage in order.
    pub fn funnel(&self, pipeline: PipelineId) -> Result<Vec<FunnelStep>> {
        let (p, history, figures) = self.read(|tx| {
            let p = get_pipeline(tx, pipeline)?;
            Ok((
                p,
                tx.pipeline_history(pipeline)?,
                tx.deal_figures(Some(pipeline))?,
            ))
        })?;
        Ok(funnel(&p, &history, &figures))
    }

    /// The win rate of deals now closed (in `pipeline`, if given).
    pub fn win_rate(&self, pipeline: Option<PipelineId>) -> Result<WinRate> {
        let figures = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            tx.deal_figures(pipeline)
        })?;
        Ok(win_rate(&figures))
    }

    /// Average and median time deals spent in each stage of a pipeline.
    pub fn time_in_stage(&self, pipeline: PipelineId) -> Result<Vec<StageTime>> {
        let (p, history) =
            self.read(|tx| Ok((get_pipeline(tx, pipeline)?, tx.pipeline_history(pipeline)?)))?;
        Ok(time_in_stage(&p, &history))
    }

    /// Lost deals (of `pipeline`, if given) by reason and the stage they were lost at.
    pub fn lost_reasons_report(&self, pipeline: Option<PipelineId>) -> Result<Vec<LostReasonRow>> {
        let (figures, reasons, pipelines) = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            Ok((
                tx.deal_figures(pipeline)?,
                tx.lost_reasons()?,
                tx.pipelines()?,
            ))
        })?;
        Ok(lost_reasons(&figures, &reasons, &pipelines))
    }
}
