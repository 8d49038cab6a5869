//! The invariant checks behind `verify()`, written once for every backend.

use crate::conn::{Dialect, SqlConn, SqlTx};
use crmlite_core::store::VerifyRead;
use crmlite_core::verify::Check;
use crmlite_core::Result;

/// One check: a name, a query counting the rows that break it, and what a violation means.
struct Rule {
    name: &'static str,
    count_sql: &'static str,
    meaning: &'static str,
}

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
];

impl<C: SqlConn> SqlTx<C> {
    fn storage_checks(&mut self) -> Result<Vec<Check>> {
        match self.0.dialect() {
            Dialect::Sqlite => {
                let rows = self.0.query("PRAGMA quick_check", &[])?;
                let problems: Vec<String> =
                    rows.iter().filter_map(|r| r.text(0).ok()).filter(|t| t != "ok").collect();
                let integrity = Check::new(
                    "sqlite_quick_check",
                    i64::try_from(problems.len()).unwrap_or(i64::MAX),
                    problems.join("; "),
                );
                let fk = self.0.query("PRAGMA foreign_key_check", &[])?;
                let fk_check = Check::new(
                    "sqlite_foreign_keys",
                    i64::try_from(fk.len()).unwrap_or(i64::MAX),
                    if fk.is_empty() { String::new() } else { "rows reference missing parents".to_owned() },
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
            checks.push(Check::new(rule.name, n, if n == 0 { "" } else { rule.meaning }));
        }
        Ok(checks)
    }
}
