//! The invariant checks behind `verify()`, written once for every backend.

use crate::conn::{Dialect, SqlConn, SqlTx};
use crmlite_core::Result;
use crmlite_core::store::VerifyRead;
use crmlite_core::verify::Check;

/// One check: a name, a query counting the rows that break it, and what a violation means.
struct Rule {
    name: &'static str,
    count_sql: &'static str,
    meaning: &'static str,
}

/// Counts external ids whose record does not exist (one branch per mappable kind).
pub(crate) const EXTERNAL_IDS_RULE: &str = "SELECT COUNT(*) FROM external_ids e WHERE NOT (\
                    (e.entity = 'customer' AND EXISTS (SELECT 1 FROM customers t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'timeline_entry' AND EXISTS (SELECT 1 FROM timeline t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'template' AND EXISTS (SELECT 1 FROM templates t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'task' AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'trigger' AND EXISTS (SELECT 1 FROM triggers t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'outbox_message' AND EXISTS (SELECT 1 FROM outbox t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'consent' AND EXISTS (SELECT 1 FROM consents t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'pipeline' AND EXISTS (SELECT 1 FROM pipelines t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'stage' AND EXISTS (SELECT 1 FROM deal_stages t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'deal' AND EXISTS (SELECT 1 FROM deals t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'lost_reason' AND EXISTS (SELECT 1 FROM lost_reasons t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'deal_stage_change' AND EXISTS (SELECT 1 FROM deal_stage_changes t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'directory_kind' AND EXISTS (SELECT 1 FROM directory_kinds t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'directory_entry' AND EXISTS (SELECT 1 FROM directory_entries t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'order' AND EXISTS (SELECT 1 FROM orders t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'return' AND EXISTS (SELECT 1 FROM returns t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'loyalty_program' AND EXISTS (SELECT 1 FROM loyalty_programs t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'loyalty_card' AND EXISTS (SELECT 1 FROM loyalty_cards t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'earn_rule' AND EXISTS (SELECT 1 FROM loyalty_rules t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'tier' AND EXISTS (SELECT 1 FROM loyalty_tiers t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'reward' AND EXISTS (SELECT 1 FROM loyalty_rewards t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'ledger_entry' AND EXISTS (SELECT 1 FROM loyalty_entries t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'complaint' AND EXISTS (SELECT 1 FROM complaints t WHERE t.id = e.entity_id)) \
                    OR (e.entity = 'nps_response' AND EXISTS (SELECT 1 FROM nps_responses t WHERE t.id = e.entity_id)))";

const RULES: &[Rule] = &[
    Rule {
        name: "change_feed_starts_at_one",
        count_sql: "SELECT COUNT(*) FROM (SELECT MIN(seq) AS first FROM changes) m WHERE m.first IS NOT NULL AND m.first <> 1",
        meaning: "the change feed does not start at sequence 1",
    },
    Rule {
        name: "change_feed_gap_free",
        count_sql: "SELECT COUNT(*) FROM changes c WHERE c.seq > 1 \
                    AND NOT EXISTS (SELECT 1 FROM changes p WHERE p.seq = c.seq - 1)",
        meaning: "sequence numbers missing from the change feed",
    },
    Rule {
        name: "customer_email_lookup",
        count_sql: "SELECT COUNT(*) FROM customer_emails e WHERE NOT EXISTS \
                    (SELECT 1 FROM customers c WHERE c.id = e.customer_id)",
        meaning: "e-mail lookup rows of missing customers",
    },
    Rule {
        name: "customer_phone_lookup",
        count_sql: "SELECT COUNT(*) FROM customer_phones p WHERE NOT EXISTS \
                    (SELECT 1 FROM customers c WHERE c.id = p.customer_id AND c.phones LIKE '%\"' || p.e164 || '\"%')",
        meaning: "phone lookup rows that do not match the customer's phones",
    },
    Rule {
        name: "customer_links_kinds",
        count_sql: "SELECT COUNT(*) FROM customer_links l JOIN customers p ON p.id = l.person_id \
                    JOIN customers o ON o.id = l.organisation_id WHERE p.kind <> 'person' OR o.kind <> 'organisation'",
        meaning: "links whose person is not a person or whose organisation is not an organisation",
    },
    Rule {
        name: "customer_versions_positive",
        count_sql: "SELECT COUNT(*) FROM customers WHERE version < 1 OR updated_at < created_at",
        meaning: "customers with a version below 1 or updated before they were created",
    },
    Rule {
        name: "outbox_claims_have_leases",
        count_sql: "SELECT COUNT(*) FROM outbox WHERE (status = 'claimed' AND (lease_until IS NULL OR claim_token IS NULL)) \
                    OR (status = 'pending' AND lease_until IS NOT NULL) OR attempts < 0",
        meaning: "outbox messages claimed without a lease or token, or pending with a lease",
    },
    Rule {
        name: "outbox_marketing_has_consent",
        count_sql: "SELECT COUNT(*) FROM outbox o WHERE o.purpose = 'marketing' AND o.status IN ('pending', 'claimed') \
                    AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.customer_id = o.customer_id \
                    AND c.channel = o.channel AND c.purpose = 'marketing' AND c.granted = 1 AND c.id = \
                    (SELECT MAX(id) FROM consents l WHERE l.customer_id = o.customer_id AND l.channel = o.channel \
                    AND l.purpose = 'marketing'))",
        meaning: "undelivered marketing messages whose customer has no marketing consent for the channel",
    },
    Rule {
        name: "deal_stage_in_pipeline",
        count_sql: "SELECT COUNT(*) FROM deals d JOIN deal_stages s ON s.id = d.stage_id \
                    WHERE s.pipeline_id <> d.pipeline_id OR s.kind <> d.status",
        meaning: "deals whose stage is of another pipeline or whose status is not their stage's kind",
    },
    Rule {
        name: "deal_closed_fields",
        count_sql: "SELECT COUNT(*) FROM deals WHERE (status = 'open') <> (closed_at IS NULL) \
                    OR (status = 'lost') <> (lost_reason_id IS NOT NULL) \
                    OR (status = 'lost') <> (lost_at_stage_id IS NOT NULL)",
        meaning: "deals whose close time or lost reason and stage do not match their status",
    },
    Rule {
        name: "deal_line_totals",
        count_sql: "SELECT COUNT(*) FROM deals d WHERE EXISTS (SELECT 1 FROM deal_lines l WHERE l.deal_id = d.id) \
                    AND d.amount_minor <> (SELECT CAST(SUM(l.total_minor) AS BIGINT) FROM deal_lines l WHERE l.deal_id = d.id)",
        meaning: "deals whose amount is not the total of their lines",
    },
    Rule {
        name: "deal_history_current",
        count_sql: "SELECT COUNT(*) FROM deals d WHERE NOT EXISTS (SELECT 1 FROM deal_stage_changes h \
                    WHERE h.deal_id = d.id AND h.to_stage_id = d.stage_id AND h.id = \
                    (SELECT MAX(x.id) FROM deal_stage_changes x WHERE x.deal_id = d.id))",
        meaning: "deals whose last stage history row does not end in their current stage",
    },
    Rule {
        name: "deal_versions_positive",
        count_sql: "SELECT COUNT(*) FROM deals WHERE version < 1 OR updated_at < created_at",
        meaning: "deals with a version below 1 or updated before they were created",
    },
    Rule {
        name: "sales_facts_match_orders",
        count_sql: "SELECT COUNT(*) FROM customer_spend s WHERE s.order_count <> \
                    (SELECT COUNT(*) FROM orders o WHERE o.customer_id = s.customer_id AND o.currency = s.currency) \
                    OR s.spend <> (SELECT COALESCE(SUM(o.paid), 0) FROM orders o \
                                   WHERE o.customer_id = s.customer_id AND o.currency = s.currency) \
                                - (SELECT COALESCE(SUM(r.amount), 0) FROM returns r \
                                   WHERE r.customer_id = s.customer_id AND r.currency = s.currency)",
        meaning: "customer purchase facts that differ from the orders and returns",
    },
    Rule {
        name: "returns_within_order_lines",
        count_sql: "SELECT COUNT(*) FROM order_lines l WHERE l.quantity < (SELECT COALESCE(SUM(rl.quantity), 0) \
                    FROM return_lines rl JOIN returns r ON r.id = rl.return_id \
                    WHERE r.order_id = l.order_id AND rl.line = l.line)",
        meaning: "order lines returned more often than they were bought",
    },
    Rule {
        name: "ledger_lot_conservation",
        count_sql: "SELECT COUNT(*) FROM loyalty_entries e WHERE e.points > 0 \
                    AND (SELECT COALESCE(SUM(a.points), 0) FROM loyalty_allocations a WHERE a.lot_id = e.id) > e.points",
        meaning: "lots that gave out more points than they hold",
    },
    Rule {
        name: "ledger_debits_drawn_from_lots",
        count_sql: "SELECT COUNT(*) FROM loyalty_entries e WHERE e.points <= 0 AND -e.points <> \
                    (SELECT COALESCE(SUM(a.points), 0) FROM loyalty_allocations a WHERE a.entry_id = e.id)",
        meaning: "debits whose points differ from the points they drew from lots",
    },
    Rule {
        name: "ledger_allocations_from_own_earlier_lots",
        count_sql: "SELECT COUNT(*) FROM loyalty_allocations a JOIN loyalty_entries d ON d.id = a.entry_id \
                    JOIN loyalty_entries l ON l.id = a.lot_id \
                    WHERE l.points <= 0 OR d.points > 0 OR l.card_id <> d.card_id OR l.id >= d.id",
        meaning: "allocations that draw from something other than an earlier lot of the same card",
    },
    Rule {
        name: "ledger_no_negative_balance",
        count_sql: "SELECT COUNT(*) FROM (SELECT card_id, SUM(points) AS total FROM loyalty_entries \
                    GROUP BY card_id) t WHERE t.total < 0",
        meaning: "cards whose entries sum to a negative balance",
    },
    Rule {
        name: "ledger_reversals_within_award",
        count_sql: "SELECT COUNT(*) FROM (SELECT card_id, order_id, SUM(shortfall - points) AS reversed \
                    FROM loyalty_entries WHERE kind IN ('reverse', 'clawback') GROUP BY card_id, order_id) t \
                    WHERE t.reversed > (SELECT COALESCE(SUM(a.points), 0) FROM loyalty_entries a \
                    WHERE a.kind = 'award' AND a.card_id = t.card_id AND a.order_id = t.order_id)",
        meaning: "orders whose returns reversed more points than the order earned",
    },
    Rule {
        name: "ledger_refunds_within_redeemed",
        count_sql: "SELECT COUNT(*) FROM (SELECT card_id, order_id, SUM(points) AS refunded FROM loyalty_entries \
                    WHERE kind = 'adjust' AND source_kind = 'refund' GROUP BY card_id, order_id) t \
                    WHERE t.order_id IS NULL \
                    OR NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = t.order_id) \
                    OR t.refunded > (SELECT COALESCE(-SUM(d.points), 0) FROM loyalty_entries d \
                    WHERE d.kind = 'redeem' AND d.card_id = t.card_id AND d.order_id = t.order_id)",
        meaning: "orders whose returns gave back more points than were redeemed against them, or without a return",
    },
    Rule {
        name: "complaint_status_fields",
        count_sql: "SELECT COUNT(*) FROM complaints WHERE (status IN ('resolved', 'closed')) <> (resolved_at IS NOT NULL) \
                    OR (status = 'closed') <> (closed_at IS NOT NULL) \
                    OR (status IN ('resolved', 'closed') AND resolution = '') \
                    OR (status <> 'open' AND responded_at IS NULL)",
        meaning: "complaints whose response, resolution or close fields do not match their status",
    },
    Rule {
        name: "complaint_versions_positive",
        count_sql: "SELECT COUNT(*) FROM complaints WHERE version < 1 OR updated_at < created_at \
                    OR response_due < created_at OR resolution_due < response_due",
        meaning: "complaints with a version below 1, updated before they were opened, or deadlines out of order",
    },
    Rule {
        name: "external_ids_point_to_records",
        count_sql: EXTERNAL_IDS_RULE,
        meaning: "external ids mapped to records that do not exist, or to kinds without ids",
    },
];

impl<C: SqlConn> SqlTx<C> {
    /// Makes every FTS5 table of this connection load its index structure afresh. A pooled
    /// reader keeps the structure it last read; `PRAGMA quick_check` checks the index against
    /// that cached copy, so after other connections' writes it would report a sound index as
    /// corrupt. A query through the table reloads the structure when the file has changed.
    fn refresh_search_indexes(&mut self) -> Result<()> {
        let tables = self.0.query(
            "SELECT name FROM sqlite_schema WHERE type = 'table' \
             AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'",
            &[],
        )?;
        for row in tables {
            let table = row.text(0)?.replace('"', "\"\"");
            self.0.query(
                &format!(
                    "SELECT rowid FROM \"{table}\" WHERE \"{table}\" MATCH '\"verify\"' LIMIT 1"
                ),
                &[],
            )?;
        }
        Ok(())
    }

    fn storage_checks(&mut self) -> Result<Vec<Check>> {
        match self.0.dialect() {
            Dialect::Sqlite => {
                self.refresh_search_indexes()?;
                let rows = self.0.query("PRAGMA quick_check", &[])?;
                let problems: Vec<String> = rows
                    .iter()
                    .filter_map(|r| r.text(0).ok())
                    .filter(|t| t != "ok")
                    .collect();
                let integrity = Check::new(
                    "sqlite_quick_check",
                    i64::try_from(problems.len()).unwrap_or(i64::MAX),
                    problems.join("; "),
                );
                let fk = self.0.query("PRAGMA foreign_key_check", &[])?;
                let fk_check = Check::new(
                    "sqlite_foreign_keys",
                    i64::try_from(fk.len()).unwrap_or(i64::MAX),
                    if fk.is_empty() {
                        String::new()
                    } else {
                        "rows reference missing parents".to_owned()
                    },
                );
                Ok(vec![integrity, fk_check])
            }
            // PostgreSQL enforces its constraints and checksums itself.
            Dialect::Postgres => Ok(Vec::new()),
        }
    }
}

impl<C: SqlConn> VerifyRead for SqlTx<C> {
    fn verify_checks(&mut self) -> Result<Vec<Check>> {
        let mut checks = self.storage_checks()?;
        for rule in RULES {
            let n = self.0.query_one(rule.count_sql, &[])?.int(0)?;
            checks.push(Check::new(
                rule.name,
                n,
                if n == 0 { "" } else { rule.meaning },
            ));
        }
        Ok(checks)
    }
}
