//! Complaints and NPS answers.

use crate::conn::{Row, SqlConn, SqlTx, Value, limit};
use crmlite_core::service::{Complaint, ComplaintFilter, ComplaintStatus, NpsResponse, Severity};
use crmlite_core::store::{ServiceRead, ServiceWrite};
use crmlite_core::{
    ComplaintId, CustomerId, DealId, EntityKind, EntryId, Error, NpsResponseId, OrderId, Result,
    StorageKind, Timestamp,
};

const COMPLAINT_COLUMNS: &str = "id, customer_id, deal_id, order_id, channel, category, category_entry_id, \
     severity, subject, description, status, assignee, response_due, resolution_due, responded_at, \
     resolved_at, closed_at, resolution, reopen_count, version, created_at, updated_at";

const NPS_COLUMNS: &str = "id, customer_id, score, comment, survey, at, created_at";

fn corrupt(what: &str) -> Error {
    Error::storage(StorageKind::Corrupt, format!("invalid stored {what}"))
}

fn complaint_from_row(r: &Row) -> Result<Complaint> {
    Ok(Complaint {
        id: ComplaintId(r.int(0)?),
        customer: CustomerId(r.int(1)?),
        deal: r.opt_int(2)?.map(DealId),
        order: r.opt_int(3)?.map(OrderId),
        channel: r.text(4)?,
        category: r.text(5)?,
        category_entry: r.opt_int(6)?.map(EntryId),
        severity: Severity::parse(r.str(7)?, "severity").map_err(|_| corrupt("severity"))?,
        subject: r.text(8)?,
        description: r.text(9)?,
        status: ComplaintStatus::parse(r.str(10)?, "status")
            .map_err(|_| corrupt("complaint status"))?,
        assignee: r.text(11)?,
        response_due: Timestamp(r.int(12)?),
        resolution_due: Timestamp(r.int(13)?),
        responded_at: r.opt_int(14)?.map(Timestamp),
        resolved_at: r.opt_int(15)?.map(Timestamp),
        closed_at: r.opt_int(16)?.map(Timestamp),
        resolution: r.text(17)?,
        reopen_count: u32::try_from(r.int(18)?).map_err(|_| corrupt("reopen_count"))?,
        version: r.int(19)?,
        created_at: Timestamp(r.int(20)?),
        updated_at: Timestamp(r.int(21)?),
    })
}

fn complaint_values(c: &Complaint) -> Vec<Value> {
    vec![
        c.customer.0.into(),
        c.deal.map(|d| d.0).into(),
        c.order.map(|o| o.0).into(),
        c.channel.clone().into(),
        c.category.clone().into(),
        c.category_entry.map(|e| e.0).into(),
        c.severity.as_str().into(),
        c.subject.clone().into(),
        c.description.clone().into(),
        c.status.as_str().into(),
        c.assignee.clone().into(),
        c.response_due.0.into(),
        c.resolution_due.0.into(),
        c.responded_at.map(|t| t.0).into(),
        c.resolved_at.map(|t| t.0).into(),
        c.closed_at.map(|t| t.0).into(),
        c.resolution.clone().into(),
        i64::from(c.reopen_count).into(),
        c.version.into(),
        c.created_at.0.into(),
        c.updated_at.0.into(),
    ]
}

fn nps_from_row(r: &Row) -> Result<NpsResponse> {
    Ok(NpsResponse {
        id: NpsResponseId(r.int(0)?),
        customer: CustomerId(r.int(1)?),
        score: u8::try_from(r.int(2)?)
            .ok()
            .filter(|s| *s <= 10)
            .ok_or_else(|| corrupt("nps score"))?,
        comment: r.text(3)?,
        survey: r.text(4)?,
        at: Timestamp(r.int(5)?),
        created_at: Timestamp(r.int(6)?),
    })
}

impl<C: SqlConn> ServiceRead for SqlTx<C> {
    fn complaint(&mut self, id: ComplaintId) -> Result<Option<Complaint>> {
        self.0
            .query_opt(
                &format!("SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| complaint_from_row(&r))
            .transpose()
    }

    fn complaints_after(
        &mut self,
        filter: &ComplaintFilter,
        after: Option<ComplaintId>,
        n: u32,
    ) -> Result<Vec<Complaint>> {
        let mut params: Vec<Value> = vec![after.map_or(0, |a| a.0).into(), limit(n)];
        let mut conds = vec!["id > ?1".to_owned()];
        if let Some(s) = filter.status {
            params.push(s.as_str().into());
            conds.push(format!("status = ?{}", params.len()));
        }
        if let Some(a) = &filter.assignee {
            params.push(a.trim().into());
            conds.push(format!("assignee = ?{}", params.len()));
        }
        if let Some(c) = filter.customer {
            params.push(c.0.into());
            conds.push(format!("customer_id = ?{}", params.len()));
        }
        let rows = self.0.query(
            &format!(
                "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE {} ORDER BY id LIMIT ?2",
                conds.join(" AND ")
            ),
            &params,
        )?;
        rows.iter().map(complaint_from_row).collect()
    }

    fn overdue_complaints_after(
        &mut self,
        now: Timestamp,
        after: Option<ComplaintId>,
        n: u32,
    ) -> Result<Vec<Complaint>> {
        let rows = self.0.query(
            &format!(
                "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE status IN ('open', 'in_progress') \
                 AND (resolution_due < ?1 OR (responded_at IS NULL AND response_due < ?1)) AND id > ?2 \
                 ORDER BY id LIMIT ?3"
            ),
            &[now.0.into(), after.map_or(0, |a| a.0).into(), limit(n)],
        )?;
        rows.iter().map(complaint_from_row).collect()
    }

    fn nps_response(&mut self, id: NpsResponseId) -> Result<Option<NpsResponse>> {
        self.0
            .query_opt(
                &format!("SELECT {NPS_COLUMNS} FROM nps_responses WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| nps_from_row(&r))
            .transpose()
    }

    fn nps_response_of(
        &mut self,
        customer: CustomerId,
        survey: &str,
    ) -> Result<Option<NpsResponse>> {
        self.0
            .query_opt(
                &format!(
                    "SELECT {NPS_COLUMNS} FROM nps_responses WHERE customer_id = ?1 AND survey = ?2 \
                     ORDER BY id LIMIT 1"
                ),
                &[customer.0.into(), survey.into()],
            )?
            .map(|r| nps_from_row(&r))
            .transpose()
    }

    fn nps_counts(
        &mut self,
        from: Timestamp,
        until: Timestamp,
        survey: Option<&str>,
    ) -> Result<[i64; 11]> {
        let rows = self.0.query(
            "SELECT score, CAST(COUNT(*) AS BIGINT) FROM nps_responses \
             WHERE at >= ?1 AND at < ?2 AND (?3 = 0 OR survey = ?4) GROUP BY score",
            &[
                from.0.into(),
                until.0.into(),
                survey.is_some().into(),
                survey.unwrap_or("").into(),
            ],
        )?;
        let mut counts = [0i64; 11];
        for r in &rows {
            let slot = usize::try_from(r.int(0)?)
                .ok()
                .and_then(|s| counts.get_mut(s))
                .ok_or_else(|| corrupt("nps score"))?;
            *slot = r.int(1)?;
        }
        Ok(counts)
    }
}

impl<C: SqlConn> ServiceWrite for SqlTx<C> {
    fn insert_complaint(&mut self, c: &Complaint) -> Result<ComplaintId> {
        let row = self.0.query_one(
            "INSERT INTO complaints (customer_id, deal_id, order_id, channel, category, category_entry_id, \
             severity, subject, description, status, assignee, response_due, resolution_due, responded_at, \
             resolved_at, closed_at, resolution, reopen_count, version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, \
             ?20, ?21) RETURNING id",
            &complaint_values(c),
        )?;
        Ok(ComplaintId(row.int(0)?))
    }

    fn update_complaint(&mut self, c: &Complaint) -> Result<()> {
        let mut params = complaint_values(c);
        params.push(c.id.0.into());
        let n = self.0.execute(
            "UPDATE complaints SET customer_id = ?1, deal_id = ?2, order_id = ?3, channel = ?4, category = ?5, \
             category_entry_id = ?6, severity = ?7, subject = ?8, description = ?9, status = ?10, assignee = ?11, \
             response_due = ?12, resolution_due = ?13, responded_at = ?14, resolved_at = ?15, closed_at = ?16, \
             resolution = ?17, reopen_count = ?18, version = ?19, created_at = ?20, updated_at = ?21 \
             WHERE id = ?22",
            &params,
        )?;
        if n != 1 {
            return Err(Error::not_found(EntityKind::Complaint, c.id));
        }
        Ok(())
    }

    fn insert_nps_response(&mut self, r: &NpsResponse) -> Result<NpsResponseId> {
        let row = self.0.query_one(
            "INSERT INTO nps_responses (customer_id, score, comment, survey, at, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            &[
                r.customer.0.into(),
                i64::from(r.score).into(),
                r.comment.clone().into(),
                r.survey.clone().into(),
                r.at.0.into(),
                r.created_at.0.into(),
            ],
        )?;
        Ok(NpsResponseId(row.int(0)?))
    }
}
