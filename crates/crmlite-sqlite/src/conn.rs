//! A checked-out connection inside one transaction, speaking `SqlConn`.

use crate::pool::Inner;
use crmlite_core::{Error, Result, StorageKind};
use crmlite_sql::{Dialect, Row, SqlConn, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode};
use std::sync::Arc;

/// Maps a rusqlite error to crmlite's error without exposing rusqlite types.
pub(crate) fn map_err(e: rusqlite::Error) -> Error {
    let kind = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StorageKind::Busy,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StorageKind::Corrupt,
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure | ErrorCode::CannotOpen) => {
            StorageKind::Io
        }
        Some(ErrorCode::ReadOnly) => StorageKind::ReadOnly,
        Some(ErrorCode::ConstraintViolation) => {
            return Error::Conflict(format!("constraint failed: {e}"));
        }
        _ => StorageKind::Other,
    };
    Error::storage(kind, e.to_string())
}

struct Param<'a>(&'a Value);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

fn read_value(v: ValueRef<'_>) -> Result<Value> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(
            String::from_utf8(t.to_vec())
                .map_err(|_| Error::storage(StorageKind::Corrupt, "text is not UTF-8"))?,
        ),
        ValueRef::Real(_) | ValueRef::Blob(_) => {
            return Err(Error::storage(
                StorageKind::Corrupt,
                "unexpected real or blob value",
            ));
        }
    })
}

/// A connection checked out of the pool with an open transaction.
pub(crate) struct PooledTx {
    conn: Option<Connection>,
    home: Arc<Inner>,
    writer: bool,
    open: bool,
    #[cfg(feature = "fault-injection")]
    faults: Option<crmlite_core::fault::FaultPlan>,
}

impl PooledTx {
    /// Starts `BEGIN IMMEDIATE` (writer) or `BEGIN` (reader) on a checked-out connection.
    pub(crate) fn begin(conn: Connection, home: Arc<Inner>, writer: bool) -> Result<Self> {
        let mut tx = Self {
            conn: Some(conn),
            home,
            writer,
            open: false,
            #[cfg(feature = "fault-injection")]
            faults: None,
        };
        tx.start()?;
        Ok(tx)
    }

    /// Like [`PooledTx::begin`] for a write transaction, consulting `plan` at the store's
    /// fault points (`sqlite.begin`, `sqlite.commit`).
    #[cfg(feature = "fault-injection")]
    pub(crate) fn begin_faulty(
        conn: Connection,
        home: Arc<Inner>,
        plan: crmlite_core::fault::FaultPlan,
    ) -> Result<Self> {
        let mut tx = Self {
            conn: Some(conn),
            home,
            writer: true,
            open: false,
            faults: Some(plan),
        };
        tx.fault(crmlite_core::fault::BEGIN_SQLITE)?;
        tx.start()?;
        Ok(tx)
    }

    #[cfg(feature = "fault-injection")]
    fn fault(&self, point: &str) -> Result<()> {
        self.faults.as_ref().map_or(Ok(()), |plan| plan.hit(point))
    }

    fn start(&mut self) -> Result<()> {
        let writer = self.writer;
        let begin = if writer { "BEGIN IMMEDIATE" } else { "BEGIN" };
        self.conn()?
            .prepare_cached(begin)
            .and_then(|mut s| s.execute([]))
            .map_err(map_err)?;
        self.open = true;
        Ok(())
    }

    fn conn(&mut self) -> Result<&mut Connection> {
        self.conn
            .as_mut()
            .ok_or_else(|| Error::storage(StorageKind::Internal, "transaction already finished"))
    }
}

impl SqlConn for PooledTx {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(sql).map_err(map_err)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(params.iter().map(Param)))
            .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(sql).map_err(map_err)?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter().map(Param)))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(read_value(row.get_ref(i).map_err(map_err)?)?);
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn commit(&mut self) -> Result<()> {
        #[cfg(feature = "fault-injection")]
        self.fault(crmlite_core::fault::COMMIT_SQLITE)?;
        let conn = self.conn()?;
        conn.prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]))
            .map_err(map_err)?;
        self.open = false;
        Ok(())
    }
}

impl Drop for PooledTx {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if self.open || !conn.is_autocommit() {
                // Every read ends here, so the statement is cached rather than parsed each time.
                // A failed rollback leaves the connection unusable; drop it instead of pooling it.
                let rolled_back = conn
                    .prepare_cached("ROLLBACK")
                    .and_then(|mut s| s.execute([]));
                if rolled_back.is_err() {
                    self.home.discard(self.writer);
                    return;
                }
            }
            self.home.give_back(conn, self.writer);
        }
    }
}
