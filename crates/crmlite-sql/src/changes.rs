//! The change feed.

use crate::conn::{Dialect, SqlConn, SqlTx, limit};
use crmlite_core::changes::{Change, ChangeOp};
use crmlite_core::store::{ChangeRead, ChangeWrite};
use crmlite_core::{EntityKind, Error, Result, StorageKind, Timestamp};

impl<C: SqlConn> ChangeRead for SqlTx<C> {
    fn changes_since(&mut self, after: i64, n: u32) -> Result<Vec<Change>> {
        let rows = self.0.query(
            "SELECT seq, entity, entity_id, op, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            &[after.into(), limit(n)],
        )?;
        rows.iter()
            .map(|r| {
                let corrupt = |what: &str| {
                    Error::storage(StorageKind::Corrupt, format!("unknown change {what}"))
                };
                Ok(Change {
                    seq: r.int(0)?,
                    entity: EntityKind::parse(&r.text(1)?).ok_or_else(|| corrupt("entity"))?,
                    entity_id: r.int(2)?,
                    op: ChangeOp::parse(&r.text(3)?).ok_or_else(|| corrupt("op"))?,
                    at: Timestamp(r.int(4)?),
                })
            })
            .collect()
    }
}

impl<C: SqlConn> ChangeWrite for SqlTx<C> {
    fn record_change(
        &mut self,
        entity: EntityKind,
        id: i64,
        op: ChangeOp,
        at: Timestamp,
    ) -> Result<i64> {
        let values = [
            entity.as_str().into(),
            id.into(),
            op.as_str().into(),
            at.0.into(),
        ];
        match self.0.dialect() {
            // SQLite serialises writers; AUTOINCREMENT rolls back with the transaction.
            Dialect::Sqlite => self.0.insert(
                "INSERT INTO changes (entity, entity_id, op, at) VALUES (?1, ?2, ?3, ?4) RETURNING seq",
                &values,
            ),
            // The head row is already locked by this transaction (see crmlite-postgres), and a
            // counter in a row rolls back, unlike a sequence: no gaps, commit order.
            Dialect::Postgres => {
                let seq = self.0.query_one("UPDATE crmlite_head SET seq = seq + 1 WHERE id = 1 RETURNING seq", &[])?.int(0)?;
                let mut params = vec![seq.into()];
                params.extend(values);
                self.0.execute("INSERT INTO changes (seq, entity, entity_id, op, at) VALUES (?1, ?2, ?3, ?4, ?5)", &params)?;
                Ok(seq)
            }
        }
    }
}
