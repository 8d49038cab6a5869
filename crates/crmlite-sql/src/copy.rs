//! Table-by-table copy between backends, keeping every id and the change feed.

use crate::conn::{Dialect, SqlConn, SqlTx, Value};
use crmlite_core::store::{CopyRead, CopyWrite};
use crmlite_core::{Error, Result};

/// A copied table: its columns (the same on every backend) and a stable order.
struct CopyTable {
    name: &'static str,
    columns: &'static str,
    order: &'static str,
    /// The identity column PostgreSQL must move past the copied ids.
    identity: Option<&'static str>,
}

/// Every table, parents before children. A domain adds its tables here.
const TABLES: &[CopyTable] = &[
    CopyTable {
        name: "customers",
        columns: "id, kind, name, name_key, search_key, emails, phones, address, birthday, language, tags, \
                  attributes, external_code, version, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "customer_emails",
        columns: "address_key, customer_id",
        order: "customer_id, address_key",
        identity: None,
    },
    CopyTable {
        name: "customer_phones",
        columns: "e164, customer_id",
        order: "customer_id, e164",
        identity: None,
    },
    CopyTable {
        name: "customer_tags",
        columns: "tag, customer_id",
        order: "customer_id, tag",
        identity: None,
    },
    CopyTable {
        name: "customer_links",
        columns: "person_id, organisation_id, role, created_at",
        order: "person_id, organisation_id",
        identity: None,
    },
    CopyTable {
        name: "pipelines",
        columns: "id, name, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "deal_stages",
        columns: "id, pipeline_id, name, position, probability, kind, rot_after_days, retired",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "lost_reasons",
        columns: "id, name, retired, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "deals",
        columns: "id, pipeline_id, stage_id, status, title, customer_id, organisation_id, owner, amount_minor, \
                  currency, probability, expected_close, closed_at, source, lost_reason_id, lost_at_stage_id, \
                  lost_note, stage_entered_at, attributes, external_code, version, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "deal_lines",
        columns: "deal_id, line_no, product, product_code, quantity_milli, unit_price_minor, discount_bp, total_minor",
        order: "deal_id, line_no",
        identity: None,
    },
    CopyTable {
        name: "deal_stage_changes",
        columns: "id, deal_id, from_stage_id, to_stage_id, by_user, at, spent_ms",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "timeline",
        columns: "id, customer_id, kind, at, summary, body, author, source",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "templates",
        columns: "id, code, kind, format, body, version, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "tasks",
        columns: "id, title, due, assignee, customer_id, record, status, recurrence, series_start, occurrence, \
                  created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "triggers",
        columns: "id, code, event, action, active, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "trigger_runs",
        columns: "trigger_id, customer_id, occurrence, at, outcome",
        order: "trigger_id, customer_id, occurrence",
        identity: None,
    },
    CopyTable {
        name: "outbox",
        columns: "id, customer_id, channel, purpose, recipient, subject, body, html, dedupe_key, status, attempts, \
                  available_at, lease_until, claim_token, last_error, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "consents",
        columns: "id, customer_id, channel, purpose, granted, at, source, text_version",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "directory_kinds",
        columns: "id, name, label, fields, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "directory_entries",
        columns: "id, kind, external_code, name, fields, archived, version, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "directory_refs",
        columns: "from_id, to_id",
        order: "from_id, to_id",
        identity: None,
    },
    CopyTable {
        name: "external_ids",
        columns: "id, system, external_id, entity, entity_id, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "sync_cursors",
        columns: "name, seq, updated_at",
        order: "name",
        identity: None,
    },
    CopyTable {
        name: "orders",
        columns: "id, customer_id, currency, total, paid, channel, store, external_id, at, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "order_lines",
        columns: "order_id, line, product, category, tags, quantity, unit_price, discount, total, reward",
        order: "order_id, line",
        identity: None,
    },
    CopyTable {
        name: "returns",
        columns: "id, order_id, customer_id, currency, amount, external_id, at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "return_lines",
        columns: "return_id, line, quantity, amount",
        order: "return_id, line",
        identity: None,
    },
    CopyTable {
        name: "customer_spend",
        columns: "customer_id, currency, order_count, spend, returned, first_purchase_at, last_purchase_at",
        order: "customer_id, currency",
        identity: None,
    },
    CopyTable {
        name: "loyalty_programs",
        columns: "id, name, currency, point_value, expiry, pending_days, reversal, tier_basis, tier_window_days, \
                  downgrade, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_rules",
        columns: "id, program_id, position, body, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_tiers",
        columns: "id, program_id, name, threshold",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_rewards",
        columns: "id, program_id, required_points, body",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_cards",
        columns: "id, program_id, customer_id, code, tier_id, tier_since, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_entries",
        columns: "id, card_id, program_id, kind, points, pending_until, expires_at, source_kind, source_ref, reason, \
                  order_id, reward_id, shortfall, at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "loyalty_allocations",
        columns: "entry_id, lot_id, points, position",
        order: "entry_id, lot_id",
        identity: None,
    },
    CopyTable {
        name: "loyalty_commands",
        columns: "key, kind, fingerprint, outcome, at",
        order: "key",
        identity: None,
    },
    CopyTable {
        name: "complaints",
        columns: "id, customer_id, deal_id, order_id, channel, category, category_entry_id, severity, subject, \
                  description, status, assignee, response_due, resolution_due, responded_at, resolved_at, \
                  closed_at, resolution, reopen_count, version, created_at, updated_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "nps_responses",
        columns: "id, customer_id, score, comment, survey, at, created_at",
        order: "id",
        identity: Some("id"),
    },
    CopyTable {
        name: "changes",
        columns: "seq, entity, entity_id, op, at",
        order: "seq",
        identity: None,
    },
];

fn table(name: &str) -> Result<&'static CopyTable> {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| Error::validation("table", format!("{name} is not copied")))
}

impl<C: SqlConn> CopyRead for SqlTx<C> {
    fn copy_tables(&self) -> Vec<&'static str> {
        TABLES.iter().map(|t| t.name).collect()
    }

    fn copy_read(&mut self, name: &str, offset: u64, limit: u32) -> Result<Vec<Vec<Value>>> {
        let t = table(name)?;
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {} LIMIT ?1 OFFSET ?2",
            t.columns, t.name, t.order
        );
        let offset =
            i64::try_from(offset).map_err(|_| Error::validation("offset", "is too large"))?;
        let rows = self
            .0
            .query(&sql, &[i64::from(limit).into(), offset.into()])?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

impl<C: SqlConn> CopyWrite for SqlTx<C> {
    fn copy_write(&mut self, name: &str, rows: &[Vec<Value>]) -> Result<()> {
        let t = table(name)?;
        let width = t.columns.split(',').count();
        let placeholders: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            t.columns,
            placeholders.join(", ")
        );
        for row in rows {
            if row.len() != width {
                return Err(Error::validation(
                    "rows",
                    format!("{name} rows have {width} columns"),
                ));
            }
            self.0.execute(&sql, row)?;
        }
        Ok(())
    }

    fn copy_finish(&mut self) -> Result<()> {
        if self.0.dialect() == Dialect::Postgres {
            for t in TABLES {
                if let Some(col) = t.identity {
                    self.0.query(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE((SELECT MAX({1}) FROM {0}), 0) + 1, false)",
                            t.name, col
                        ),
                        &[],
                    )?;
                }
            }
            self.0.execute("UPDATE crmlite_head SET seq = (SELECT COALESCE(MAX(seq), 0) FROM changes) WHERE id = 1", &[])?;
        }
        Ok(())
    }
}
