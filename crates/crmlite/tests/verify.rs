//! `verify()` passes on healthy data and names the invariant that damaged data breaks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::NewCustomer;
use support::{TestDb, fresh};

#[test]
fn verify_passes_on_a_healthy_database() {
    let (crm, _) = fresh();
    let org = crm
        .add_customer(&NewCustomer::organisation("Φαρμακείο Αθηνών"))
        .unwrap();
    let p = crm
        .add_customer(
            &NewCustomer::person("Ελένη")
                .phone("+30 210 1234567")
                .email("eleni@example.gr"),
        )
        .unwrap();
    crm.link_customer(p.id, org.id, "owner").unwrap();
    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(
        report
            .checks
            .iter()
            .any(|c| c.name == "change_feed_gap_free")
    );
}

#[test]
fn verify_reports_damage_made_behind_crmlite_s_back() {
    let db = TestDb::new("damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    for name in ["Ա", "Բ", "Գ"] {
        crm.add_customer(&NewCustomer::person(name).phone("+374 10 123456"))
            .unwrap();
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
    assert_eq!(
        failed,
        vec!["change_feed_gap_free", "customer_phone_lookup"]
    );
}

#[test]
fn verify_reports_points_given_back_without_a_redemption() {
    use crmlite::loyalty::{Earn, NewEarnRule, NewProgram};
    use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
    let db = TestDb::new("refund_damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    let program = crm
        .create_program(&NewProgram::new("Πόντοι", "EUR", 1))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "βάση",
        Earn::PerAmount {
            points: 1,
            per: 100,
        },
    ))
    .unwrap();
    let maria = crm
        .add_customer(&NewCustomer::person("Μαρία Παπαδοπούλου"))
        .unwrap();
    let card = crm.open_card(program.id, maria.id, None).unwrap();
    let order = crm
        .record_order(&NewOrder::new(maria.id, "EUR").line(NewOrderLine::new("κρέμα", 1, 2_000)))
        .unwrap();
    crm.redeem_points(card.id, 5, Some(order.id), None).unwrap();
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute(
        "INSERT INTO loyalty_entries (card_id, program_id, kind, points, source_kind, source_ref, order_id, at) \
         VALUES (?1, ?2, 'adjust', 1, 'refund', '1', ?3, 0)",
        (card.id.0, program.id.0, order.id.0),
    )
    .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, vec!["ledger_refunds_within_redeemed"]);
}
