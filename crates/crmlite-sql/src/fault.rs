//! A connection wrapper that puts a fault point before every statement and around the commit
//! of a write transaction (feature `fault-injection`, tests only).

use crate::conn::{Dialect, Row, SqlConn, Value};
use crmlite_core::Result;
use crmlite_core::fault::{self, FaultPlan};

/// A write transaction's connection with fault points: `sql.<i>.<verb>.<table>` before each
/// statement, `commit.before` and `commit.after` around the commit.
pub struct FaultConn<C: SqlConn> {
    inner: C,
    plan: FaultPlan,
    statements: u32,
}

impl<C: SqlConn> FaultConn<C> {
    /// Wraps `inner`, consulting `plan` at each point.
    pub fn new(inner: C, plan: FaultPlan) -> Self {
        Self {
            inner,
            plan,
            statements: 0,
        }
    }

    fn statement(&mut self, sql: &str) -> Result<()> {
        let name = fault::statement_point(self.statements, sql);
        self.statements = self.statements.saturating_add(1);
        self.plan.hit(&name)
    }
}

impl<C: SqlConn> SqlConn for FaultConn<C> {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.statement(sql)?;
        self.inner.execute(sql, params)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.statement(sql)?;
        self.inner.query(sql, params)
    }

    fn commit(&mut self) -> Result<()> {
        self.plan.hit(fault::COMMIT_BEFORE)?;
        self.inner.commit()?;
        self.plan.hit(fault::COMMIT_AFTER)
    }
}
