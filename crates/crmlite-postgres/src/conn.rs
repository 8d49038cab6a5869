//! A checked-out client inside one transaction, speaking `SqlConn`.

use crate::store::Inner;
use bytes::BytesMut;
use crmlite_core::{Error, Result, StorageKind};
use crmlite_sql::{Dialect, Row, SqlConn, Value};
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};
use std::collections::HashMap;
use std::sync::Arc;

/// Maps a postgres error to crmlite's error without exposing postgres types.
pub(crate) fn map_err(e: &postgres::Error) -> Error {
    if let Some(code) = e.code() {
        if [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::LOCK_NOT_AVAILABLE,
        ]
        .contains(code)
        {
            return Error::storage(StorageKind::Busy, e.to_string());
        }
        if [
            SqlState::UNIQUE_VIOLATION,
            SqlState::FOREIGN_KEY_VIOLATION,
            SqlState::CHECK_VIOLATION,
        ]
        .contains(code)
        {
            return Error::Conflict(format!("constraint failed: {e}"));
        }
        if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
            return Error::storage(StorageKind::ReadOnly, e.to_string());
        }
        if *code == SqlState::DISK_FULL {
            return Error::storage(StorageKind::Io, e.to_string());
        }
        return Error::storage(StorageKind::Other, e.to_string());
    }
    // No SQLSTATE: the connection failed or was closed.
    Error::storage(StorageKind::Io, format!("postgres connection: {e}"))
}

/// A client with its prepared statements.
pub(crate) struct PgConn {
    pub(crate) client: Client,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            statements: HashMap::new(),
        }
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self
            .client
            .prepare(&translate(sql))
            .map_err(|e| map_err(&e))?;
        if self.statements.len() > 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }
}

/// Rewrites `?N` placeholders as `$N`, leaving quoted text alone.
pub(crate) fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        out.push(if c == '?' && !quoted { '$' } else { c });
    }
    out
}

struct Param<'a>(&'a Value);

impl std::fmt::Debug for Param<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [
            Type::INT2,
            Type::INT4,
            Type::INT8,
            Type::BOOL,
            Type::TEXT,
            Type::VARCHAR,
            Type::BPCHAR,
            Type::NAME,
        ]
        .contains(ty)
    }

    to_sql_checked!();
}

fn read_value(row: &postgres::Row, i: usize) -> Result<Value> {
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .unwrap_or(Type::TEXT);
    let bad = |e: postgres::Error| Error::storage(StorageKind::Corrupt, format!("column {i}: {e}"));
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(bad)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(bad)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(bad)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(bad)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)
            .map_err(bad)?
            .map_or(Value::Null, Value::Text),
        other => {
            return Err(Error::storage(
                StorageKind::Other,
                format!("column {i} has unsupported type {other}"),
            ));
        }
    })
}

/// A client checked out of the pool with an open transaction.
pub(crate) struct PooledTx {
    conn: Option<PgConn>,
    home: Arc<Inner>,
    open: bool,
    /// Fault points of a test build (`postgres.commit`).
    #[cfg(feature = "fault-injection")]
    pub(crate) faults: Option<crmlite_core::fault::FaultPlan>,
}

impl PooledTx {
    /// Starts a transaction: writers lock the head row first, readers take a snapshot.
    pub(crate) fn begin(mut conn: PgConn, home: Arc<Inner>, writer: bool) -> Result<Self> {
        let begin = if writer {
            "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT seq FROM crmlite_head WHERE id = 1 FOR UPDATE"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        };
        if let Err(e) = conn.client.batch_execute(begin) {
            let err = map_err(&e);
            if conn.client.batch_execute("ROLLBACK").is_ok() {
                home.give_back(conn);
            }
            return Err(err);
        }
        Ok(Self {
            conn: Some(conn),
            home,
            open: true,
            #[cfg(feature = "fault-injection")]
            faults: None,
        })
    }

    fn conn(&mut self) -> Result<&mut PgConn> {
        self.conn
            .as_mut()
            .ok_or_else(|| Error::storage(StorageKind::Internal, "transaction already finished"))
    }
}

impl SqlConn for PooledTx {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let conn = self.conn()?;
        let stmt = conn.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        conn.client.execute(&stmt, &refs).map_err(|e| map_err(&e))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let conn = self.conn()?;
        let stmt = conn.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = conn.client.query(&stmt, &refs).map_err(|e| map_err(&e))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| read_value(r, i))
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    fn commit(&mut self) -> Result<()> {
        #[cfg(feature = "fault-injection")]
        if let Some(plan) = &self.faults {
            plan.hit(crmlite_core::fault::COMMIT_POSTGRES)?;
        }
        let conn = self.conn()?;
        conn.client
            .batch_execute("COMMIT")
            .map_err(|e| map_err(&e))?;
        self.open = false;
        Ok(())
    }
}

impl Drop for PooledTx {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if self.open && conn.client.batch_execute("ROLLBACK").is_err() {
                // A broken connection is dropped; the pool opens a new one on demand.
                return;
            }
            if !conn.client.is_closed() {
                self.home.give_back(conn);
            }
        }
    }
}
