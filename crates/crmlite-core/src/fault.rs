//! Named fault points for tests (cargo feature `fault-injection`, off by default).
//!
//! Every write passes through a few layers: the store's `begin`, each SQL statement of the
//! transaction, the store's `commit`, and the return after the commit. Each layer calls
//! [`FaultPlan::hit`] with the name of its point. A plan armed with `n` makes the `n`-th
//! point hit fail (with a typed `Storage { kind: Io }` error naming the point, or by aborting
//! the process), so a test can sweep every point of an operation in turn, as SQLite's I/O
//! error loop does one level down. Without the feature none of this is compiled.

use crate::{Error, Result, StorageKind};
use std::sync::{Arc, Mutex};

/// The kinds of fault point, in the order a write meets them. A concrete point's name starts
/// with its kind; statement points add `.<index>.<verb>.<table>` (`sql.3.insert.customers`).
pub const POINT_KINDS: &[&str] = &[
    BEGIN_SQLITE,
    BEGIN_POSTGRES,
    STATEMENT,
    COMMIT_BEFORE,
    COMMIT_SQLITE,
    COMMIT_POSTGRES,
    COMMIT_AFTER,
];

/// Before the SQLite store runs `BEGIN IMMEDIATE`.
pub const BEGIN_SQLITE: &str = "sqlite.begin";
/// Before the PostgreSQL store starts its write transaction.
pub const BEGIN_POSTGRES: &str = "postgres.begin";
/// Before one SQL statement of a write transaction runs.
pub const STATEMENT: &str = "sql";
/// Before the transaction is asked to commit.
pub const COMMIT_BEFORE: &str = "commit.before";
/// Inside the SQLite store, before `COMMIT` runs.
pub const COMMIT_SQLITE: &str = "sqlite.commit";
/// Inside the PostgreSQL store, before `COMMIT` runs.
pub const COMMIT_POSTGRES: &str = "postgres.commit";
/// After the commit succeeded, before the call returns: the write is durable but unacknowledged.
pub const COMMIT_AFTER: &str = "commit.after";

/// The name of the statement point for the `index`-th statement (from 0) of a transaction.
#[must_use]
pub fn statement_point(index: u32, sql: &str) -> String {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let verb = words.first().map_or("none", String::as_str);
    let table_after = match verb {
        "insert" => Some("into"),
        "update" => Some("update"),
        _ => Some("from"),
    };
    let table = table_after
        .and_then(|marker| words.iter().position(|w| w == marker))
        .and_then(|i| words.get(i + 1))
        .map_or("-", String::as_str);
    format!("{STATEMENT}.{index}.{verb}.{table}")
}

/// What an armed point does when it fires.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Return `Error::Storage { kind: Io }` naming the point.
    #[default]
    Error,
    /// Abort the process on the spot (a crash at that point).
    Abort,
}

#[derive(Debug, Default)]
struct State {
    hits: u64,
    fail_at: Option<u64>,
    action: FaultAction,
    trace: Vec<String>,
    fired: Option<String>,
}

/// A shared, armable plan of faults; clones share it. Pass it to the store's options.
#[derive(Clone, Debug, Default)]
pub struct FaultPlan(Arc<Mutex<State>>);

impl PartialEq for FaultPlan {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for FaultPlan {}

impl FaultPlan {
    /// A plan that records the points hit and fails none.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.0.lock() {
            Ok(mut s) => f(&mut s),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Makes the `n`-th point hit from now (1 for the next one) fire with `action`, once.
    /// Clears the trace and the record of the last fired point.
    pub fn arm(&self, n: u64, action: FaultAction) {
        self.with(|s| {
            s.hits = 0;
            s.fail_at = Some(n);
            s.action = action;
            s.trace.clear();
            s.fired = None;
        });
    }

    /// Stops firing; points are still recorded. Clears the trace.
    pub fn disarm(&self) {
        self.with(|s| {
            s.hits = 0;
            s.fail_at = None;
            s.trace.clear();
            s.fired = None;
        });
    }

    /// The names of the points hit since the last `arm`, `disarm` or `take_trace`, in order.
    pub fn take_trace(&self) -> Vec<String> {
        self.with(|s| std::mem::take(&mut s.trace))
    }

    /// The point that fired since the last `arm`, if one did.
    #[must_use]
    pub fn fired(&self) -> Option<String> {
        self.with(|s| s.fired.clone())
    }

    /// Called by the storage layers at each point: records it and fails if it is the armed one.
    pub fn hit(&self, name: &str) -> Result<()> {
        let action = self.with(|s| {
            s.hits = s.hits.saturating_add(1);
            s.trace.push(name.to_owned());
            if s.fail_at == Some(s.hits) {
                s.fail_at = None;
                s.fired = Some(name.to_owned());
                Some(s.action)
            } else {
                None
            }
        });
        match action {
            None => Ok(()),
            Some(FaultAction::Error) => Err(Error::storage(
                StorageKind::Io,
                format!("injected fault at {name}"),
            )),
            Some(FaultAction::Abort) => std::process::abort(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FaultAction, FaultPlan, POINT_KINDS, statement_point};

    #[test]
    fn statement_points_name_the_verb_and_table() {
        assert_eq!(
            statement_point(0, "INSERT INTO customers (a, b) VALUES (?1, ?2)"),
            "sql.0.insert.customers"
        );
        assert_eq!(
            statement_point(4, "  UPDATE loyalty_cards SET x = 1"),
            "sql.4.update.loyalty_cards"
        );
        assert_eq!(
            statement_point(2, "DELETE FROM customer_phones WHERE id = ?1"),
            "sql.2.delete.customer_phones"
        );
        assert_eq!(
            statement_point(7, "SELECT id FROM deals WHERE code = ?1"),
            "sql.7.select.deals"
        );
        assert_eq!(statement_point(1, ""), "sql.1.none.-");
        assert!(
            POINT_KINDS
                .iter()
                .any(|k| statement_point(0, "SELECT 1").starts_with(k))
        );
    }

    #[test]
    fn an_armed_plan_fires_once_at_the_nth_hit() {
        let plan = FaultPlan::new();
        assert!(plan.hit("a").is_ok());
        plan.arm(2, FaultAction::Error);
        assert!(plan.hit("a").is_ok());
        let err = plan.hit("b").unwrap_err();
        assert!(err.to_string().contains("injected fault at b"), "{err}");
        assert!(plan.hit("c").is_ok());
        assert_eq!(plan.fired().as_deref(), Some("b"));
        assert_eq!(plan.take_trace(), ["a", "b", "c"]);
        plan.disarm();
        assert_eq!(plan.fired(), None);
        assert!(plan.clone() == plan);
        assert!(FaultPlan::new() != plan);
    }
}
