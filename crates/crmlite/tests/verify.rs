//! `verify()` passes on healthy data and names the invariant that damaged data breaks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::NewCustomer;
use support::{fresh, TestDb};

#[test]
fn verify_passes_on_a_healthy_database() {
    let (crm, _) = fresh();
    let org = crm.add_customer(&NewCustomer::organisation("Φαρμακείο Αθηνών")).unwrap();
    let p = crm.add_customer(&NewCustomer::person("Ελένη").phone("+30 210 1234567").email("eleni@example.gr")).unwrap();
    crm.link_customer(p.id, org.id, "owner").unwrap();
    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(report.checks.iter().any(|c| c.name == "change_feed_gap_free"));
}

#[test]
fn verify_reports_damage_made_behind_crmlite_s_back() {
    let db = TestDb::new("damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    for name in ["Ա", "Բ", "Գ"] {
        crm.add_customer(&NewCustomer::person(name).phone("+374 10 123456")).unwrap();
    }
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute_batch(
        "DELETE FROM changes WHERE seq = 2; \
         INSERT INTO customer_phones (e164, customer_id) VALUES ('+37499999999', 1);",
    )
    .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, vec!["change_feed_gap_free", "customer_phone_lookup"]);
}
