//! `verify()`: checks the stored data against crmlite's invariants.

use crate::{Crm, Result};

/// The outcome of one invariant check.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// A stable name, e.g. `change_feed_gap_free`.
    pub name: String,
    /// How many records break the invariant (0 when it holds).
    pub violations: i64,
    /// What was found, empty when the check passed.
    pub detail: String,
}

impl Check {
    /// A check that found `violations` problems.
    #[must_use]
    pub fn new(name: impl Into<String>, violations: i64, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            violations,
            detail: detail.into(),
        }
    }
}

/// Every check that `verify()` ran.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
}

impl VerifyReport {
    /// Whether every invariant holds.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.violations == 0)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.violations != 0)
    }
}

impl Crm {
    /// Checks the database in one read snapshot: the storage engine's own integrity, the
    /// change feed and every domain's invariants. Never changes anything.
    pub fn verify(&self) -> Result<VerifyReport> {
        let checks = self.read(|tx| tx.verify_checks())?;
        Ok(VerifyReport { checks })
    }
}
