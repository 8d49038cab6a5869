//! Timeline entries.

use crate::conn::{Row, SqlConn, SqlTx, Value, limit};
use crmlite_core::store::{TimelineRead, TimelineWrite};
use crmlite_core::timeline::{InteractionKind, TimelineEntry};
use crmlite_core::{CustomerId, Error, Result, StorageKind, TimelineEntryId, Timestamp};

impl<C: SqlConn> TimelineRead for SqlTx<C> {
    fn timeline(
        &mut self,
        customers: &[CustomerId],
        before: Option<(Timestamp, TimelineEntryId)>,
        n: u32,
    ) -> Result<Vec<TimelineEntry>> {
        if customers.is_empty() {
            return Ok(Vec::new());
        }
        let (at, id) = before.map_or((i64::MAX, i64::MAX), |(t, i)| (t.0, i.0));
        let mut params: Vec<Value> = vec![at.into(), id.into(), limit(n)];
        let placeholders: Vec<String> = customers
            .iter()
            .map(|c| {
                params.push(c.0.into());
                format!("?{}", params.len())
            })
            .collect();
        let sql = format!(
            "SELECT {TIMELINE_COLUMNS} FROM timeline \
             WHERE customer_id IN ({}) AND (at < ?1 OR (at = ?1 AND id < ?2)) \
             ORDER BY at DESC, id DESC LIMIT ?3",
            placeholders.join(", ")
        );
        let rows = self.0.query(&sql, &params)?;
        rows.iter().map(timeline_from_row).collect()
    }
}

/// The columns [`timeline_from_row`] reads, in order.
pub(crate) const TIMELINE_COLUMNS: &str =
    "id, customer_id, kind, at, summary, body, author, source";

/// A timeline entry from a row of [`TIMELINE_COLUMNS`].
pub(crate) fn timeline_from_row(r: &Row) -> Result<TimelineEntry> {
    Ok(TimelineEntry {
        id: TimelineEntryId(r.int(0)?),
        customer: CustomerId(r.int(1)?),
        kind: InteractionKind::parse(&r.text(2)?)
            .map_err(|_| Error::storage(StorageKind::Corrupt, "unknown timeline kind"))?,
        at: Timestamp(r.int(3)?),
        summary: r.text(4)?,
        body: r.text(5)?,
        author: r.text(6)?,
        source: r.text(7)?,
    })
}

impl<C: SqlConn> TimelineWrite for SqlTx<C> {
    fn insert_timeline_entry(&mut self, e: &TimelineEntry) -> Result<TimelineEntryId> {
        let id = self.0.insert(
            "INSERT INTO timeline (customer_id, kind, at, summary, body, author, source) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                e.customer.0.into(),
                e.kind.as_str().into(),
                e.at.0.into(),
                e.summary.clone().into(),
                e.body.clone().into(),
                e.author.clone().into(),
                e.source.clone().into(),
            ],
        )?;
        Ok(TimelineEntryId(id))
    }
}
