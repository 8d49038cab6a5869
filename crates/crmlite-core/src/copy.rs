//! Copying a whole database to another backend (SQLite to PostgreSQL and back).

use crate::{Crm, Error, Result};

/// How many rows of each table a copy moved.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CopyReport {
    /// (table, rows) in copy order.
    pub tables: Vec<(String, u64)>,
}

const BATCH: u32 = 1000;

impl Crm {
    /// Copies everything in this database into `target`, which must be empty, keeping every
    /// id, the ledger and the change feed. Reads one snapshot; writes one transaction, so a
    /// failed copy leaves `target` empty.
    pub fn copy_to(&self, target: &Crm) -> Result<CopyReport> {
        if !target.changes_since(0, 1)?.is_empty() || target.read(|tx| tx.customer_count())? > 0 {
            return Err(Error::validation("target", "must be an empty database"));
        }
        self.read(|src| {
            target.write(|dst| {
                let mut report = CopyReport::default();
                for table in src.copy_tables() {
                    let mut offset = 0u64;
                    loop {
                        let rows = src.copy_read(table, offset, BATCH)?;
                        if rows.is_empty() {
                            break;
                        }
                        dst.copy_write(table, &rows)?;
                        offset += rows.len() as u64;
                    }
                    report.tables.push((table.to_owned(), offset));
                }
                dst.copy_finish()?;
                Ok(report)
            })
        })
    }
}
