//! Pipelines, stages, lost reasons, deals with their lines, and stage history.

use crate::conn::{Row, SqlConn, SqlTx, Value, from_json, limit, to_json};
use crmlite_core::deal::report::{ForecastBy, ForecastKey, ForecastPart, FunnelCounts, StageStays};
use crmlite_core::deal::{
    Deal, DealFilter, DealLine, DealStageChange, LostReason, Pipeline, Stage, StageKind,
    effective_probability,
};
use crmlite_core::money::{Currency, Money};
use crmlite_core::store::{DealRead, DealWrite};
use crmlite_core::{
    CustomerId, DealId, DealStageChangeId, EntityKind, Error, LostReasonId, PipelineId, Result,
    StageId, StorageKind, Timestamp,
};

const STAGE_COLUMNS: &str =
    "id, pipeline_id, name, position, probability, kind, rot_after_days, retired";

const DEAL_COLUMNS: &str = "d.id, d.pipeline_id, d.stage_id, d.status, d.title, d.customer_id, d.organisation_id, \
     d.owner, d.amount_minor, d.currency, d.probability, s.probability, d.expected_close, d.closed_at, d.source, \
     d.lost_reason_id, d.lost_at_stage_id, d.lost_note, d.stage_entered_at, d.attributes, d.external_code, \
     d.version, d.created_at, d.updated_at";

const DEAL_FROM: &str = "FROM deals d JOIN deal_stages s ON s.id = d.stage_id";

pub(crate) const CHANGE_COLUMNS: &str =
    "id, deal_id, from_stage_id, to_stage_id, by_user, at, spent_ms";

fn corrupt(what: &str) -> Error {
    Error::storage(StorageKind::Corrupt, format!("invalid stored {what}"))
}

fn kind(text: &str) -> Result<StageKind> {
    StageKind::parse(text, "kind").map_err(|_| corrupt("stage kind"))
}

fn percent(v: i64) -> Result<u8> {
    u8::try_from(v).map_err(|_| corrupt("probability"))
}

fn currency(code: &str) -> Result<Currency> {
    Currency::parse(code, "currency").map_err(|_| corrupt("currency"))
}

fn date(text: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| corrupt("date")))
        .transpose()
}

fn stage_from_row(r: &Row) -> Result<Stage> {
    Ok(Stage {
        id: StageId(r.int(0)?),
        pipeline: PipelineId(r.int(1)?),
        name: r.text(2)?,
        position: r.int(3)?,
        probability: percent(r.int(4)?)?,
        kind: kind(&r.text(5)?)?,
        rot_after_days: r
            .opt_int(6)?
            .map(|d| u32::try_from(d).map_err(|_| corrupt("rot_after_days")))
            .transpose()?,
        retired: r.bool(7)?,
    })
}

fn reason_from_row(r: &Row) -> Result<LostReason> {
    Ok(LostReason {
        id: LostReasonId(r.int(0)?),
        name: r.text(1)?,
        retired: r.bool(2)?,
        created_at: Timestamp(r.int(3)?),
    })
}

pub(crate) fn change_from_row(r: &Row) -> Result<DealStageChange> {
    Ok(DealStageChange {
        id: DealStageChangeId(r.int(0)?),
        deal: DealId(r.int(1)?),
        from_stage: r.opt_int(2)?.map(StageId),
        to_stage: StageId(r.int(3)?),
        by: r.text(4)?,
        at: Timestamp(r.int(5)?),
        spent_ms: r.int(6)?,
    })
}

fn deal_from_row(r: &Row) -> Result<Deal> {
    let status = kind(&r.text(3)?)?;
    let probability_override = r.opt_int(10)?.map(percent).transpose()?;
    let stage_default = percent(r.int(11)?)?;
    Ok(Deal {
        id: DealId(r.int(0)?),
        pipeline: PipelineId(r.int(1)?),
        stage: StageId(r.int(2)?),
        status,
        title: r.text(4)?,
        customer: r.opt_int(5)?.map(CustomerId),
        organisation: r.opt_int(6)?.map(CustomerId),
        owner: r.text(7)?,
        amount: Money::new(r.int(8)?, currency(&r.text(9)?)?),
        lines: Vec::new(),
        probability_override,
        probability: effective_probability(status, probability_override, stage_default),
        expected_close: date(r.opt_text(12)?)?,
        closed_at: r.opt_int(13)?.map(Timestamp),
        source: r.text(14)?,
        lost_reason: r.opt_int(15)?.map(LostReasonId),
        lost_at_stage: r.opt_int(16)?.map(StageId),
        lost_note: r.text(17)?,
        stage_entered_at: Timestamp(r.int(18)?),
        attributes: from_json(&r.text(19)?, "deal attributes")?,
        external_code: r.opt_text(20)?,
        version: r.int(21)?,
        created_at: Timestamp(r.int(22)?),
        updated_at: Timestamp(r.int(23)?),
    })
}

fn deal_values(d: &Deal) -> Result<Vec<Value>> {
    Ok(vec![
        d.pipeline.0.into(),
        d.stage.0.into(),
        d.status.as_str().into(),
        d.title.clone().into(),
        d.customer.map(|c| c.0).into(),
        d.organisation.map(|c| c.0).into(),
        d.owner.clone().into(),
        d.amount.minor.into(),
        d.amount.currency.code().into(),
        d.probability_override.map(i64::from).into(),
        d.expected_close
            .map(|x| x.format("%Y-%m-%d").to_string())
            .into(),
        d.closed_at.map(|t| t.0).into(),
        d.source.clone().into(),
        d.lost_reason.map(|r| r.0).into(),
        d.lost_at_stage.map(|s| s.0).into(),
        d.lost_note.clone().into(),
        d.stage_entered_at.0.into(),
        to_json(&d.attributes)?.into(),
        d.external_code.clone().into(),
        d.version.into(),
        d.created_at.0.into(),
        d.updated_at.0.into(),
    ])
}

/// `?n, ?n+1, ...` placeholders for `values`, appended to `params`.
fn placeholders(params: &mut Vec<Value>, values: impl IntoIterator<Item = i64>) -> String {
    let mut out = Vec::new();
    for v in values {
        params.push(v.into());
        out.push(format!("?{}", params.len()));
    }
    out.join(", ")
}

impl<C: SqlConn> SqlTx<C> {
    fn stages_of(&mut self, pipeline: PipelineId) -> Result<Vec<Stage>> {
        let rows = self.0.query(
            &format!("SELECT {STAGE_COLUMNS} FROM deal_stages WHERE pipeline_id = ?1 ORDER BY position, id"),
            &[pipeline.0.into()],
        )?;
        rows.iter().map(stage_from_row).collect()
    }

    fn pipeline_from_row(&mut self, r: &Row) -> Result<Pipeline> {
        let id = PipelineId(r.int(0)?);
        Ok(Pipeline {
            id,
            name: r.text(1)?,
            stages: self.stages_of(id)?,
            created_at: Timestamp(r.int(2)?),
        })
    }

    /// Deals from `rows` with their lines, read in one query.
    fn with_lines(&mut self, rows: &[Row]) -> Result<Vec<Deal>> {
        let mut deals = rows.iter().map(deal_from_row).collect::<Result<Vec<_>>>()?;
        if deals.is_empty() {
            return Ok(deals);
        }
        let mut params = Vec::new();
        let list = placeholders(&mut params, deals.iter().map(|d| d.id.0));
        let lines = self.0.query(
            &format!(
                "SELECT deal_id, product, product_code, quantity_milli, unit_price_minor, discount_bp, total_minor \
                 FROM deal_lines WHERE deal_id IN ({list}) ORDER BY deal_id, line_no"
            ),
            &params,
        )?;
        for l in &lines {
            let id = DealId(l.int(0)?);
            let Some(deal) = deals.iter_mut().find(|d| d.id == id) else {
                continue;
            };
            let cur = deal.amount.currency;
            deal.lines.push(DealLine {
                product: l.text(1)?,
                product_code: l.opt_text(2)?,
                quantity_milli: l.int(3)?,
                unit_price: Money::new(l.int(4)?, cur),
                discount_bp: u32::try_from(l.int(5)?).map_err(|_| corrupt("discount"))?,
                total: Money::new(l.int(6)?, cur),
            });
        }
        Ok(deals)
    }

    fn write_lines(&mut self, deal: &Deal, id: DealId) -> Result<()> {
        self.0
            .execute("DELETE FROM deal_lines WHERE deal_id = ?1", &[id.0.into()])?;
        for (i, l) in deal.lines.iter().enumerate() {
            self.0.execute(
                "INSERT INTO deal_lines (deal_id, line_no, product, product_code, quantity_milli, \
                 unit_price_minor, discount_bp, total_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                &[
                    id.0.into(),
                    i64::try_from(i).unwrap_or(i64::MAX).into(),
                    l.product.clone().into(),
                    l.product_code.clone().into(),
                    l.quantity_milli.into(),
                    l.unit_price.minor.into(),
                    i64::from(l.discount_bp).into(),
                    l.total.minor.into(),
                ],
            )?;
        }
        Ok(())
    }
}

impl<C: SqlConn> DealRead for SqlTx<C> {
    fn pipeline(&mut self, id: PipelineId) -> Result<Option<Pipeline>> {
        let row = self.0.query_opt(
            "SELECT id, name, created_at FROM pipelines WHERE id = ?1",
            &[id.0.into()],
        )?;
        row.map(|r| self.pipeline_from_row(&r)).transpose()
    }

    fn pipelines(&mut self) -> Result<Vec<Pipeline>> {
        let rows = self.0.query(
            "SELECT id, name, created_at FROM pipelines ORDER BY id",
            &[],
        )?;
        rows.iter().map(|r| self.pipeline_from_row(r)).collect()
    }

    fn stage(&mut self, id: StageId) -> Result<Option<Stage>> {
        self.0
            .query_opt(
                &format!("SELECT {STAGE_COLUMNS} FROM deal_stages WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| stage_from_row(&r))
            .transpose()
    }

    fn lost_reason(&mut self, id: LostReasonId) -> Result<Option<LostReason>> {
        self.0
            .query_opt(
                "SELECT id, name, retired, created_at FROM lost_reasons WHERE id = ?1",
                &[id.0.into()],
            )?
            .map(|r| reason_from_row(&r))
            .transpose()
    }

    fn lost_reasons(&mut self) -> Result<Vec<LostReason>> {
        let rows = self.0.query(
            "SELECT id, name, retired, created_at FROM lost_reasons ORDER BY id",
            &[],
        )?;
        rows.iter().map(reason_from_row).collect()
    }

    fn deal(&mut self, id: DealId) -> Result<Option<Deal>> {
        let rows = self.0.query(
            &format!("SELECT {DEAL_COLUMNS} {DEAL_FROM} WHERE d.id = ?1"),
            &[id.0.into()],
        )?;
        Ok(self.with_lines(&rows)?.into_iter().next())
    }

    fn deal_by_code(&mut self, code: &str) -> Result<Option<Deal>> {
        let rows = self.0.query(
            &format!("SELECT {DEAL_COLUMNS} {DEAL_FROM} WHERE d.external_code = ?1"),
            &[code.into()],
        )?;
        Ok(self.with_lines(&rows)?.into_iter().next())
    }

    fn deals_after(
        &mut self,
        filter: &DealFilter,
        after: Option<DealId>,
        n: u32,
    ) -> Result<Vec<Deal>> {
        let mut params: Vec<Value> = vec![after.map_or(0, |a| a.0).into(), limit(n)];
        let mut conds = vec!["d.id > ?1".to_owned()];
        if let Some(p) = filter.pipeline {
            params.push(p.0.into());
            conds.push(format!("d.pipeline_id = ?{}", params.len()));
        }
        if let Some(s) = filter.stage {
            params.push(s.0.into());
            conds.push(format!("d.stage_id = ?{}", params.len()));
        }
        if let Some(o) = &filter.owner {
            params.push(o.clone().into());
            conds.push(format!("d.owner = ?{}", params.len()));
        }
        if let Some(c) = filter.customer {
            params.push(c.0.into());
            let i = params.len();
            conds.push(format!(
                "(d.customer_id = ?{i} OR d.organisation_id = ?{i})"
            ));
        }
        if let Some(k) = filter.status {
            params.push(k.as_str().into());
            conds.push(format!("d.status = ?{}", params.len()));
        }
        let sql = format!(
            "SELECT {DEAL_COLUMNS} {DEAL_FROM} WHERE {} ORDER BY d.id LIMIT ?2",
            conds.join(" AND ")
        );
        let rows = self.0.query(&sql, &params)?;
        self.with_lines(&rows)
    }

    fn stale_deals_after(
        &mut self,
        pipeline: Option<PipelineId>,
        now: Timestamp,
        after: Option<DealId>,
        n: u32,
    ) -> Result<Vec<Deal>> {
        let mut params: Vec<Value> = vec![now.0.into(), after.map_or(0, |a| a.0).into(), limit(n)];
        let by_pipeline = pipeline.map_or(String::new(), |p| {
            params.push(p.0.into());
            format!(" AND d.pipeline_id = ?{}", params.len())
        });
        let rows = self.0.query(
            &format!(
                "SELECT {DEAL_COLUMNS} {DEAL_FROM} WHERE d.status = 'open' AND s.rot_after_days IS NOT NULL \
                 AND d.stage_entered_at + CAST(s.rot_after_days AS BIGINT) * 86400000 <= ?1 AND d.id > ?2{by_pipeline} \
                 ORDER BY d.id LIMIT ?3"
            ),
            &params,
        )?;
        self.with_lines(&rows)
    }

    fn deal_history(&mut self, deal: DealId) -> Result<Vec<DealStageChange>> {
        let rows = self.0.query(
            &format!(
                "SELECT {CHANGE_COLUMNS} FROM deal_stage_changes WHERE deal_id = ?1 ORDER BY id"
            ),
            &[deal.0.into()],
        )?;
        rows.iter().map(change_from_row).collect()
    }

    fn forecast_parts(
        &mut self,
        pipeline: Option<PipelineId>,
        by: ForecastBy,
    ) -> Result<Vec<ForecastPart>> {
        let key = match by {
            ForecastBy::Pipeline => "d.pipeline_id",
            ForecastBy::Owner => "d.owner",
            ForecastBy::CloseMonth => "SUBSTR(d.expected_close, 1, 7)",
        };
        // Amounts are summed in two halves (quotient and remainder by 2^32) so that no sum
        // can overflow a BIGINT; the halves are joined exactly in i128.
        let rows = self.0.query(
            &format!(
                "SELECT {key}, d.currency, COALESCE(d.probability, s.probability), COUNT(*), \
                 CAST(SUM(d.amount_minor / {HALF}) AS BIGINT), CAST(SUM(d.amount_minor % {HALF}) AS BIGINT) \
                 FROM deals d JOIN deal_stages s ON s.id = d.stage_id \
                 WHERE d.status = 'open' AND (d.pipeline_id = ?1 OR ?2 = 1) GROUP BY 1, 2, 3"
            ),
            &[pipeline.map_or(0, |p| p.0).into(), pipeline.is_none().into()],
        )?;
        rows.iter()
            .map(|r| {
                let key = match by {
                    ForecastBy::Pipeline => ForecastKey::Pipeline(r.int(0)?),
                    ForecastBy::Owner => ForecastKey::Owner(r.text(0)?),
                    ForecastBy::CloseMonth => {
                        ForecastKey::Month(r.opt_text(0)?.map(|m| month(&m)).transpose()?)
                    }
                };
                Ok(ForecastPart {
                    key,
                    currency: currency(&r.text(1)?)?,
                    probability: percent(r.int(2)?)?,
                    deals: r.int(3)?,
                    amount: halves(r.int(4)?, r.int(5)?),
                })
            })
            .collect()
    }

    fn funnel_counts(&mut self, pipeline: PipelineId) -> Result<FunnelCounts> {
        let p = [pipeline.0.into()];
        let pairs = |rows: Vec<Row>| -> Result<Vec<(StageId, i64)>> {
            rows.iter()
                .map(|r| Ok((StageId(r.int(0)?), r.int(1)?)))
                .collect()
        };
        let current = pairs(self.0.query(
            "SELECT d.stage_id, COUNT(*) FROM deals d WHERE d.pipeline_id = ?1 GROUP BY 1",
            &p,
        )?)?;
        let entered = pairs(self.0.query(
            "SELECT h.to_stage_id, COUNT(DISTINCT h.deal_id) FROM deal_stage_changes h \
             JOIN deal_stages s ON s.id = h.to_stage_id WHERE s.pipeline_id = ?1 GROUP BY 1",
            &p,
        )?)?;
        let reach = self
            .0
            .query(
                "SELECT t.furthest, t.won, COUNT(*) FROM (SELECT h.deal_id, \
                 CAST(MAX(CASE WHEN s.kind = 'open' THEN s.position END) AS BIGINT) AS furthest, \
                 CAST(MAX(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END) AS BIGINT) AS won \
                 FROM deal_stage_changes h JOIN deal_stages s ON s.id = h.to_stage_id \
                 WHERE s.pipeline_id = ?1 GROUP BY h.deal_id) t GROUP BY 1, 2",
                &p,
            )?
            .iter()
            .map(|r| Ok((r.opt_int(0)?, r.int(1)? == 1, r.int(2)?)))
            .collect::<Result<_>>()?;
        Ok(FunnelCounts {
            current,
            entered,
            reach,
        })
    }

    fn deal_status_counts(
        &mut self,
        pipeline: Option<PipelineId>,
    ) -> Result<Vec<(StageKind, i64)>> {
        let rows = self.0.query(
            "SELECT d.status, COUNT(*) FROM deals d WHERE d.pipeline_id = ?1 OR ?2 = 1 GROUP BY 1",
            &[
                pipeline.map_or(0, |p| p.0).into(),
                pipeline.is_none().into(),
            ],
        )?;
        rows.iter()
            .map(|r| Ok((kind(&r.text(0)?)?, r.int(1)?)))
            .collect()
    }

    fn lost_counts(
        &mut self,
        pipeline: Option<PipelineId>,
    ) -> Result<Vec<(LostReasonId, StageId, i64)>> {
        let rows = self.0.query(
            "SELECT d.lost_reason_id, d.lost_at_stage_id, COUNT(*) FROM deals d \
             WHERE d.status = 'lost' AND d.lost_reason_id IS NOT NULL AND d.lost_at_stage_id IS NOT NULL \
             AND (d.pipeline_id = ?1 OR ?2 = 1) GROUP BY 1, 2",
            &[pipeline.map_or(0, |p| p.0).into(), pipeline.is_none().into()],
        )?;
        rows.iter()
            .map(|r| Ok((LostReasonId(r.int(0)?), StageId(r.int(1)?), r.int(2)?)))
            .collect()
    }

    fn stage_stays(&mut self, pipeline: PipelineId) -> Result<Vec<StageStays>> {
        let p = [pipeline.0.into()];
        let sums = self.0.query(
            &format!(
                "SELECT h.from_stage_id, COUNT(*), CAST(SUM(h.spent_ms / {HALF}) AS BIGINT), \
                 CAST(SUM(h.spent_ms % {HALF}) AS BIGINT) FROM deal_stage_changes h \
                 JOIN deal_stages s ON s.id = h.from_stage_id WHERE s.pipeline_id = ?1 GROUP BY 1"
            ),
            &p,
        )?;
        // The middle one or two stays of each stage, picked by the database's window functions.
        let middle = self.0.query(
            "SELECT t.from_stage_id, t.spent_ms FROM (SELECT h.from_stage_id, h.spent_ms, \
             ROW_NUMBER() OVER (PARTITION BY h.from_stage_id ORDER BY h.spent_ms) AS rn, \
             COUNT(*) OVER (PARTITION BY h.from_stage_id) AS n \
             FROM deal_stage_changes h JOIN deal_stages s ON s.id = h.from_stage_id \
             WHERE s.pipeline_id = ?1) t \
             WHERE t.rn = (t.n + 1) / 2 OR t.rn = (t.n + 2) / 2 ORDER BY t.from_stage_id, t.spent_ms",
            &p,
        )?;
        let mut out: Vec<StageStays> = sums
            .iter()
            .map(|r| {
                Ok(StageStays {
                    stage: StageId(r.int(0)?),
                    stays: r.int(1)?,
                    total_ms: halves(r.int(2)?, r.int(3)?),
                    middle_ms: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
        for r in &middle {
            let stage = StageId(r.int(0)?);
            if let Some(s) = out.iter_mut().find(|s| s.stage == stage) {
                s.middle_ms.push(r.int(1)?);
            }
        }
        Ok(out)
    }
}

/// The divisor that splits a BIGINT into two halves whose sums cannot overflow.
const HALF: i64 = 1 << 32;

/// Joins the summed quotients and remainders by [`HALF`] back into the exact sum.
fn halves(quotients: i64, remainders: i64) -> i128 {
    i128::from(quotients) * i128::from(HALF) + i128::from(remainders)
}

/// Parses a stored `YYYY-MM` month.
fn month(text: &str) -> Result<(i32, u32)> {
    let (y, m) = text.split_once('-').ok_or_else(|| corrupt("date"))?;
    Ok((
        y.parse().map_err(|_| corrupt("date"))?,
        m.parse().map_err(|_| corrupt("date"))?,
    ))
}

impl<C: SqlConn> DealWrite for SqlTx<C> {
    fn insert_pipeline(&mut self, p: &Pipeline) -> Result<PipelineId> {
        let row = self.0.query_one(
            "INSERT INTO pipelines (name, created_at) VALUES (?1, ?2) RETURNING id",
            &[p.name.clone().into(), p.created_at.0.into()],
        )?;
        Ok(PipelineId(row.int(0)?))
    }

    fn update_pipeline(&mut self, p: &Pipeline) -> Result<()> {
        let n = self.0.execute(
            "UPDATE pipelines SET name = ?1 WHERE id = ?2",
            &[p.name.clone().into(), p.id.0.into()],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(Error::not_found(EntityKind::Pipeline, p.id))
        }
    }

    fn insert_stage(&mut self, s: &Stage) -> Result<StageId> {
        let row = self.0.query_one(
            "INSERT INTO deal_stages (pipeline_id, name, position, probability, kind, rot_after_days, retired) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                s.pipeline.0.into(),
                s.name.clone().into(),
                s.position.into(),
                i64::from(s.probability).into(),
                s.kind.as_str().into(),
                s.rot_after_days.map(i64::from).into(),
                s.retired.into(),
            ],
        )?;
        Ok(StageId(row.int(0)?))
    }

    fn update_stage(&mut self, s: &Stage) -> Result<()> {
        let n = self.0.execute(
            "UPDATE deal_stages SET name = ?1, position = ?2, probability = ?3, rot_after_days = ?4, retired = ?5 \
             WHERE id = ?6",
            &[
                s.name.clone().into(),
                s.position.into(),
                i64::from(s.probability).into(),
                s.rot_after_days.map(i64::from).into(),
                s.retired.into(),
                s.id.0.into(),
            ],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(Error::not_found(EntityKind::Stage, s.id))
        }
    }

    fn insert_lost_reason(&mut self, r: &LostReason) -> Result<LostReasonId> {
        let row = self.0.query_one(
            "INSERT INTO lost_reasons (name, retired, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            &[
                r.name.clone().into(),
                r.retired.into(),
                r.created_at.0.into(),
            ],
        )?;
        Ok(LostReasonId(row.int(0)?))
    }

    fn update_lost_reason(&mut self, r: &LostReason) -> Result<()> {
        let n = self.0.execute(
            "UPDATE lost_reasons SET name = ?1, retired = ?2 WHERE id = ?3",
            &[r.name.clone().into(), r.retired.into(), r.id.0.into()],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(Error::not_found(EntityKind::LostReason, r.id))
        }
    }

    fn insert_deal(&mut self, d: &Deal) -> Result<DealId> {
        let row = self.0.query_one(
            "INSERT INTO deals (pipeline_id, stage_id, status, title, customer_id, organisation_id, owner, \
             amount_minor, currency, probability, expected_close, closed_at, source, lost_reason_id, \
             lost_at_stage_id, lost_note, stage_entered_at, attributes, external_code, version, created_at, \
             updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
             ?18, ?19, ?20, ?21, ?22) RETURNING id",
            &deal_values(d)?,
        )?;
        let id = DealId(row.int(0)?);
        self.write_lines(d, id)?;
        Ok(id)
    }

    fn update_deal(&mut self, d: &Deal) -> Result<()> {
        let mut params = deal_values(d)?;
        params.push(d.id.0.into());
        let n = self.0.execute(
            "UPDATE deals SET pipeline_id = ?1, stage_id = ?2, status = ?3, title = ?4, customer_id = ?5, \
             organisation_id = ?6, owner = ?7, amount_minor = ?8, currency = ?9, probability = ?10, \
             expected_close = ?11, closed_at = ?12, source = ?13, lost_reason_id = ?14, lost_at_stage_id = ?15, \
             lost_note = ?16, stage_entered_at = ?17, attributes = ?18, external_code = ?19, version = ?20, \
             created_at = ?21, updated_at = ?22 WHERE id = ?23",
            &params,
        )?;
        if n != 1 {
            return Err(Error::not_found(EntityKind::Deal, d.id));
        }
        self.write_lines(d, d.id)
    }

    fn insert_stage_change(&mut self, c: &DealStageChange) -> Result<DealStageChangeId> {
        let row = self.0.query_one(
            "INSERT INTO deal_stage_changes (deal_id, from_stage_id, to_stage_id, by_user, at, spent_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            &[
                c.deal.0.into(),
                c.from_stage.map(|s| s.0).into(),
                c.to_stage.0.into(),
                c.by.clone().into(),
                c.at.0.into(),
                c.spent_ms.into(),
            ],
        )?;
        Ok(DealStageChangeId(row.int(0)?))
    }
}
