//! Sales reports over deals and their stage history: weighted forecast, funnel, win rate,
//! time in stage and lost reasons. All arithmetic is exact integer arithmetic; every
//! division rounds once, half away from zero.
//!
//! The `Crm` reports let the store count and sum (`GROUP BY` in SQL, the same on SQLite and
//! PostgreSQL) and finish here with the `*_from_*` functions: weighting, the one rounding,
//! ratios and medians from the middle values. The row-by-row functions ([`forecast`],
//! [`funnel`], [`win_rate`], [`time_in_stage`], [`lost_reasons`]) compute the same results
//! from deal figures and history rows; a property test holds the two ways equal.

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

/// The group of a forecast row as the store reads it; rows are ordered by it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForecastKey {
    /// A pipeline id.
    Pipeline(i64),
    /// An owner (empty for unassigned deals).
    Owner(String),
    /// An expected close year and month, `None` for deals without a date.
    Month(Option<(i32, u32)>),
}

impl ForecastKey {
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
    let mut groups: BTreeMap<(ForecastKey, Currency), (i64, i128, i128)> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.status == StageKind::Open) {
        let key = match by {
            ForecastBy::Pipeline => ForecastKey::Pipeline(f.pipeline.0),
            ForecastBy::Owner => ForecastKey::Owner(f.owner.clone()),
            ForecastBy::CloseMonth => {
                ForecastKey::Month(f.expected_close.map(|d| (d.year(), d.month())))
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

/// Open deals of one forecast group, currency and effective probability, summed by the store
/// (`GROUP BY` in SQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForecastPart {
    /// The group.
    pub key: ForecastKey,
    /// The currency of the amounts.
    pub currency: Currency,
    /// The effective probability shared by these deals.
    pub probability: u8,
    /// How many deals.
    pub deals: i64,
    /// Their total amount in minor units, exact.
    pub amount: i128,
}

/// The weighted forecast from the store's sums: per group and currency, Σ(amount ×
/// probability) / 100 summed exactly and rounded once, half away from zero. Gives the same
/// rows as [`forecast`] over the same deals.
pub fn forecast_from_parts(parts: &[ForecastPart]) -> Result<Vec<ForecastRow>> {
    let overflow = || Error::validation("amount", "the forecast total overflows");
    let mut groups: BTreeMap<(ForecastKey, Currency), (i64, i128, i128)> = BTreeMap::new();
    for part in parts {
        let entry = groups
            .entry((part.key.clone(), part.currency))
            .or_insert((0, 0, 0));
        *entry = (
            entry.0.checked_add(part.deals).ok_or_else(overflow)?,
            entry.1.checked_add(part.amount).ok_or_else(overflow)?,
            part.amount
                .checked_mul(i128::from(part.probability))
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

/// The counts behind a pipeline's funnel, computed by the store (`GROUP BY` in SQL).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunnelCounts {
    /// Deals in each stage now.
    pub current: Vec<(StageId, i64)>,
    /// Distinct deals that entered each stage of the pipeline.
    pub entered: Vec<(StageId, i64)>,
    /// Deals with history in the pipeline, by the furthest open-stage position they entered
    /// (`None`: no open stage) and whether they ever entered a won stage.
    pub reach: Vec<(Option<i64>, bool, i64)>,
}

/// The funnel of `pipeline` from the store's counts. Gives the same steps as [`funnel`]
/// over the same history.
#[must_use]
pub fn funnel_from_counts(pipeline: &Pipeline, counts: &FunnelCounts) -> Vec<FunnelStep> {
    let reached_open = |position: i64| -> i64 {
        counts
            .reach
            .iter()
            .filter(|(furthest, won, _)| *won || furthest.is_some_and(|f| f >= position))
            .fold(0_i64, |sum, (_, _, n)| sum.saturating_add(*n))
    };
    let won_total = counts
        .reach
        .iter()
        .filter(|(_, won, _)| *won)
        .fold(0_i64, |sum, (_, _, n)| sum.saturating_add(*n));
    let count_of = |list: &[(StageId, i64)], id: StageId| {
        list.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n)
    };
    let open: Vec<_> = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    pipeline
        .stages
        .iter()
        .map(|s| {
            let (reached, conversion_bp) = match s.kind {
                StageKind::Open => {
                    let reached = reached_open(s.position);
                    let next = open
                        .iter()
                        .find(|o| o.position > s.position)
                        .map_or(won_total, |o| reached_open(o.position));
                    (reached, ratio_bp(next, reached))
                }
                StageKind::Won | StageKind::Lost => (count_of(&counts.entered, s.id), None),
            };
            FunnelStep {
                stage: s.id,
                name: s.name.clone(),
                kind: s.kind,
                reached,
                current: count_of(&counts.current, s.id),
                conversion_bp,
            }
        })
        .collect()
}

/// Completed stays in one stage, summed by the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageStays {
    /// The stage.
    pub stage: StageId,
    /// The number of completed stays.
    pub stays: i64,
    /// Their total length in milliseconds, exact.
    pub total_ms: i128,
    /// The middle stay (odd count) or the two middle stays (even count), shortest first.
    pub middle_ms: Vec<i64>,
}

/// Time in each stage of `pipeline` from the store's sums and middle values. Gives the same
/// rows as [`time_in_stage`] over the same history.
#[must_use]
pub fn time_from_stays(pipeline: &Pipeline, stays: &[StageStays]) -> Vec<StageTime> {
    pipeline
        .stages
        .iter()
        .map(|s| {
            let found = stays.iter().find(|x| x.stage == s.id);
            let count = found.map_or(0, |x| x.stays);
            let average_ms = found
                .and_then(|x| div_round_half_away(x.total_ms, i128::from(x.stays)))
                .and_then(|v| i64::try_from(v).ok());
            let median_ms = match found.map(|x| x.middle_ms.as_slice()) {
                Some([one]) => Some(*one),
                Some([a, b]) => div_round_half_away(i128::from(*a) + i128::from(*b), 2)
                    .and_then(|v| i64::try_from(v).ok()),
                _ => None,
            };
            StageTime {
                stage: s.id,
                name: s.name.clone(),
                stays: count,
                average_ms,
                median_ms,
            }
        })
        .collect()
}

/// The win rate from the store's count of deals now won and lost.
#[must_use]
pub fn win_rate_from_counts(won: i64, lost: i64) -> WinRate {
    WinRate {
        won,
        lost,
        rate_bp: ratio_bp(won, won.saturating_add(lost)),
    }
}

/// The lost-reasons rows from the store's counts per (reason, lost-at stage), most frequent
/// first. Gives the same rows as [`lost_reasons`] over the same deals.
#[must_use]
pub fn lost_reasons_from_counts(
    counts: &[(LostReasonId, StageId, i64)],
    reasons: &[LostReason],
    pipelines: &[Pipeline],
) -> Vec<LostReasonRow> {
    let mut rows: Vec<LostReasonRow> = counts
        .iter()
        .map(|&(reason, stage, deals)| LostReasonRow {
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
    sort_lost(&mut rows);
    rows
}

fn sort_lost(rows: &mut [LostReasonRow]) {
    rows.sort_by(|a, b| {
        b.deals
            .cmp(&a.deals)
            .then(a.reason.cmp(&b.reason))
            .then(a.stage.cmp(&b.stage))
    });
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
    sort_lost(&mut rows);
    rows
}

impl Crm {
    /// The weighted forecast of open deals (of `pipeline`, if given), grouped `by`. The
    /// store sums per group, currency and probability; the weighting and the one rounding
    /// happen here, exactly.
    pub fn forecast(
        &self,
        by: ForecastBy,
        pipeline: Option<PipelineId>,
    ) -> Result<Vec<ForecastRow>> {
        let parts = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            tx.forecast_parts(pipeline, by)
        })?;
        forecast_from_parts(&parts)
    }

    /// The funnel of a pipeline, stage by stage in order.
    pub fn funnel(&self, pipeline: PipelineId) -> Result<Vec<FunnelStep>> {
        let (p, counts) =
            self.read(|tx| Ok((get_pipeline(tx, pipeline)?, tx.funnel_counts(pipeline)?)))?;
        Ok(funnel_from_counts(&p, &counts))
    }

    /// The win rate of deals now closed (in `pipeline`, if given).
    pub fn win_rate(&self, pipeline: Option<PipelineId>) -> Result<WinRate> {
        let counts = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            tx.deal_status_counts(pipeline)
        })?;
        let count = |kind| {
            counts
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0, |(_, n)| *n)
        };
        Ok(win_rate_from_counts(
            count(StageKind::Won),
            count(StageKind::Lost),
        ))
    }

    /// Average and median time deals spent in each stage of a pipeline.
    pub fn time_in_stage(&self, pipeline: PipelineId) -> Result<Vec<StageTime>> {
        let (p, stays) =
            self.read(|tx| Ok((get_pipeline(tx, pipeline)?, tx.stage_stays(pipeline)?)))?;
        Ok(time_from_stays(&p, &stays))
    }

    /// Lost deals (of `pipeline`, if given) by reason and the stage they were lost at.
    pub fn lost_reasons_report(&self, pipeline: Option<PipelineId>) -> Result<Vec<LostReasonRow>> {
        let (counts, reasons, pipelines) = self.read(|tx| {
            if let Some(p) = pipeline {
                get_pipeline(tx, p)?;
            }
            Ok((
                tx.lost_counts(pipeline)?,
                tx.lost_reasons()?,
                tx.pipelines()?,
            ))
        })?;
        Ok(lost_reasons_from_counts(&counts, &reasons, &pipelines))
    }
}
