//! The minimal connection interface a backend provides.

pub use crmlite_core::store::Value;
use crmlite_core::store::{ReadTx, WriteTx};
use crmlite_core::{Error, Result, StorageKind};

/// Which SQL dialect a connection speaks, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.45 or newer with FTS5.
    Sqlite,
    /// PostgreSQL 15 or newer with `pg_trgm`.
    Postgres,
}

/// One result row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| Error::storage(StorageKind::Other, format!("result has no column {i}")))
    }

    /// An integer column.
    pub fn int(&self, i: usize) -> Result<i64> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            other => Err(type_error(i, "integer", other)),
        }
    }

    /// A nullable integer column.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            other => Err(type_error(i, "integer", other)),
        }
    }

    /// A boolean column stored as 0/1.
    pub fn bool(&self, i: usize) -> Result<bool> {
        Ok(self.int(i)? != 0)
    }

    /// A text column.
    pub fn text(&self, i: usize) -> Result<String> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(type_error(i, "text", other)),
        }
    }

    /// A text column, moved out of the row (which keeps an empty string in its place).
    pub fn take_text(&mut self, i: usize) -> Result<String> {
        match self.0.get_mut(i) {
            Some(Value::Text(v)) => Ok(std::mem::take(v)),
            _ => self.text(i),
        }
    }

    /// A nullable text column, moved out of the row.
    pub fn take_opt_text(&mut self, i: usize) -> Result<Option<String>> {
        match self.0.get_mut(i) {
            Some(Value::Text(v)) => Ok(Some(std::mem::take(v))),
            _ => self.opt_text(i),
        }
    }

    /// A text column, borrowed.
    pub fn str(&self, i: usize) -> Result<&str> {
        match self.at(i)? {
            Value::Text(v) => Ok(v),
            other => Err(type_error(i, "text", other)),
        }
    }

    /// A nullable text column, borrowed.
    pub fn opt_str(&self, i: usize) -> Result<Option<&str>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v)),
            other => Err(type_error(i, "text", other)),
        }
    }

    /// A nullable text column.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.clone())),
            other => Err(type_error(i, "text", other)),
        }
    }
}

fn type_error(i: usize, want: &str, got: &Value) -> Error {
    Error::storage(
        StorageKind::Corrupt,
        format!("column {i}: expected {want}, found {got:?}"),
    )
}

/// A connection inside one open transaction, as a backend provides it.
///
/// Dropping it without `commit` must roll the transaction back.
pub trait SqlConn: Send {
    /// The dialect this connection speaks.
    fn dialect(&self) -> Dialect;
    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs a query and returns all its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Commits the transaction.
    fn commit(&mut self) -> Result<()>;

    /// Runs a query expected to return at most one row.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs a query that returns exactly one row.
    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| Error::storage(StorageKind::Other, "query returned no row"))
    }
    /// Inserts one row with `sql`, an `INSERT ... RETURNING <key>` whose key is the table's
    /// integer primary key, and returns the new key. A backend may run the `INSERT` without
    /// its `RETURNING` clause and read the key another way (SQLite: the last inserted rowid,
    /// which spares the temporary table `RETURNING` fills).
    fn insert(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_one(sql, params)?.int(0)
    }
}

/// A transaction of any [`SqlConn`]: implements every domain's store traits.
pub struct SqlTx<C: SqlConn>(pub C);

impl<C: SqlConn + 'static> WriteTx for SqlTx<C> {
    fn commit(mut self: Box<Self>) -> Result<()> {
        self.0.commit()
    }

    fn begin_operation(&mut self) -> Result<()> {
        self.0.execute("SAVEPOINT crm_operation", &[])?;
        Ok(())
    }

    fn undo_operation(&mut self) -> Result<()> {
        self.0.execute("ROLLBACK TO SAVEPOINT crm_operation", &[])?;
        self.0.execute("RELEASE SAVEPOINT crm_operation", &[])?;
        Ok(())
    }

    fn end_operation(&mut self) -> Result<()> {
        self.0.execute("RELEASE SAVEPOINT crm_operation", &[])?;
        Ok(())
    }

    fn as_read(&mut self) -> &mut dyn ReadTx {
        self
    }
}

/// Converts a `u32` limit for binding.
pub(crate) fn limit(n: u32) -> Value {
    Value::Int(i64::from(n))
}

/// Parses a JSON column written by this crate.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::storage(StorageKind::Corrupt, format!("{what}: {e}")))
}

/// Parses a JSON list or map column; its empty form (`empty`, e.g. `[]`) skips the parser.
pub(crate) fn from_json_or_empty<T: serde::de::DeserializeOwned + Default>(
    text: &str,
    empty: &str,
    what: &str,
) -> Result<T> {
    if text == empty {
        Ok(T::default())
    } else {
        from_json(text, what)
    }
}

/// Serialises a value for a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::storage(StorageKind::Other, format!("json: {e}")))
}
