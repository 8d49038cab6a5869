//! End-to-end tests of customers, links, the timeline and the change feed on SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use crmlite::customer::{Address, AttributeValue, CustomerKind, CustomerPatch, NewCustomer};
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, ErrorKind, OpenOptions, Timestamp};
use std::sync::Arc;

mod support;

use support::{T0, TestDb, fresh, fresh_with};

/// Everything observable that a failed write must leave untouched.
fn snapshot(crm: &Crm) -> (usize, usize) {
    let customers = crm.list_customers(None, 1000).unwrap().items.len();
    let changes = crm.changes_since(0, 1000).unwrap().len();
    (customers, changes)
}

fn names(found: &[crmlite::customer::Customer]) -> Vec<String> {
    found.iter().map(|c| c.name.clone()).collect()
}

#[test]
fn search_folds_case_accents_and_letter_variants_in_every_script() {
    let (crm, _) = fresh();
    for name in [
        "ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ",
        "ᲜᲘᲜᲝ ბერიძე",
        "علي رضایی",
        "Hans Straße",
        "Արամ Սարգսյան",
    ] {
        crm.add_customer(&NewCustomer::person(name)).unwrap();
    }
    let cases = [
        ("γιωργος", "ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ"),
        ("Γιώργος", "ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ"),
        ("παπαδοπ", "ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ"),
        ("ნინო", "ᲜᲘᲜᲝ ბერიძე"),
        ("علی", "علي رضایی"),
        ("strasse", "Hans Straße"),
        ("ԱՐԱՄ", "Արամ Սարգսյան"),
        ("սարգս", "Արամ Սարգսյան"),
    ];
    for (query, expected) in cases {
        assert_eq!(
            names(&crm.search_customers(query, 10).unwrap()),
            vec![expected.to_owned()],
            "query {query}"
        );
    }
    assert!(crm.search_customers("nobody", 10).unwrap().is_empty());
}

#[test]
fn phones_are_stored_as_e164_and_found_by_any_form_or_fragment() {
    let (crm, _) = fresh_with(OpenOptions::new().default_region("IR"));
    let shirin = crm
        .add_customer(
            &NewCustomer::person("شیرین احمدی")
                .phone("۰۹۱۲۳۴۵۶۷۸۹")
                .phone("+374 10 12-34-56"),
        )
        .unwrap();
    assert_eq!(shirin.phones[0].e164, "+989123456789");
    assert_eq!(shirin.phones[0].raw, "۰۹۱۲۳۴۵۶۷۸۹");
    assert!(shirin.phones[0].primary && !shirin.phones[1].primary);
    assert_eq!(shirin.phones[1].e164, "+37410123456");
    for query in ["09123456789", "+98 912 345 6789", "٠٩١٢٣٤٥٦٧٨٩"] {
        assert_eq!(
            crm.customers_by_phone(query).unwrap()[0].id,
            shirin.id,
            "{query}"
        );
    }
    assert_eq!(crm.search_customers("234567", 10).unwrap()[0].id, shirin.id);
    assert_eq!(crm.search_customers("1012", 10).unwrap()[0].id, shirin.id);
}

#[test]
fn lookups_by_code_and_email_and_shared_contact_points() {
    let (crm, _) = fresh();
    let a = crm
        .add_customer(
            &NewCustomer::person("Anna Petrosyan")
                .email("Family@Example.AM")
                .external_code("C-001"),
        )
        .unwrap();
    let b = crm
        .add_customer(&NewCustomer::person("Levon Petrosyan").email("family@example.am"))
        .unwrap();
    assert_eq!(a.emails[0].address, "Family@example.am");
    let by_email: Vec<_> = crm
        .customers_by_email("FAMILY@example.am")
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(by_email, vec![a.id, b.id]);
    assert_eq!(
        crm.customer_by_code(CustomerKind::Person, "C-001")
            .unwrap()
            .id,
        a.id
    );
    let err = crm
        .customer_by_code(CustomerKind::Organisation, "C-001")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let before = snapshot(&crm);
    let err = crm
        .add_customer(&NewCustomer::person("Copy").external_code("C-001"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(snapshot(&crm), before);
    // The same code is free for another kind.
    crm.add_customer(&NewCustomer::organisation("Petrosyan LLC").external_code("C-001"))
        .unwrap();
}

#[test]
fn bad_input_is_a_validation_error_naming_the_field_and_changes_nothing() {
    let (crm, _) = fresh();
    crm.add_customer(&NewCustomer::person("Existing")).unwrap();
    let before = snapshot(&crm);
    let cases: Vec<(NewCustomer, &str)> = vec![
        (NewCustomer::person("   "), "name"),
        (NewCustomer::person("Ann").phone("12"), "phones[0]"),
        (
            NewCustomer::person("Ann")
                .phone("+374 10 123456")
                .phone("not a phone"),
            "phones[1]",
        ),
        (NewCustomer::person("Ann").phone("010 123456"), "phones[0]"),
        (NewCustomer::person("Ann").email("ann@"), "emails[0]"),
        (
            NewCustomer::person("Ann").email("Ann <ann@x.am>"),
            "emails[0]",
        ),
        (NewCustomer::person("Ann").language("english"), "language"),
        (NewCustomer::person("Ann").tag(""), "tags[0]"),
        (
            NewCustomer::person("Ann").attribute("Bad Name", AttributeValue::Integer(1)),
            "attributes.Bad Name",
        ),
        (
            NewCustomer::person("Ann").address(Address {
                country: "Armenia".into(),
                ..Address::default()
            }),
            "address.country",
        ),
        (NewCustomer::person("Ann\u{0}x"), "name"),
    ];
    for (input, field) in cases {
        let err = crm.add_customer(&input).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{field}: {err}");
        assert_eq!(err.field(), Some(field), "{err}");
    }
    assert_eq!(snapshot(&crm), before);
}

#[test]
fn updates_use_versions_and_a_stale_version_is_a_conflict() {
    let (crm, clock) = fresh();
    let c = crm
        .add_customer(
            &NewCustomer::person("Nino Beridze")
                .tag("vip")
                .phone("+995 599 12 34 56"),
        )
        .unwrap();
    assert_eq!(c.version, 1);
    clock.advance(60_000);
    let patch = CustomerPatch {
        name: Some("ნინო ბერიძე".into()),
        language: Some(Some("ka".into())),
        tags: Some(vec!["wholesale".into(), "vip".into()]),
        attributes: [("shoe_size".to_owned(), Some(AttributeValue::Integer(38)))].into(),
        ..CustomerPatch::default()
    };
    let updated = crm.update_customer(c.id, 1, &patch).unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.tags, vec!["vip", "wholesale"]);
    assert_eq!(updated.updated_at, Timestamp(T0 + 60_000));
    assert_eq!(updated.created_at, Timestamp(T0));
    assert_eq!(crm.customer(c.id).unwrap(), updated);
    assert_eq!(crm.search_customers("ნინო", 5).unwrap()[0].id, c.id);
    assert!(
        crm.search_customers("nino", 5).unwrap().is_empty(),
        "the old name left the index"
    );

    let before = snapshot(&crm);
    let stale = crm.update_customer(
        c.id,
        1,
        &CustomerPatch {
            name: Some("Other".into()),
            ..CustomerPatch::default()
        },
    );
    assert_eq!(stale.unwrap_err().kind(), ErrorKind::Conflict);
    let bad = crm.update_customer(
        c.id,
        2,
        &CustomerPatch {
            phones: Some(vec!["x".into()]),
            ..CustomerPatch::default()
        },
    );
    assert_eq!(bad.unwrap_err().field(), Some("phones[0]"));
    assert_eq!(snapshot(&crm), before);
    assert_eq!(crm.customer(c.id).unwrap(), updated);
    let missing = crm.update_customer(crmlite::CustomerId(999), 1, &CustomerPatch::default());
    assert_eq!(missing.unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn organisation_timeline_includes_its_people() {
    let (crm, clock) = fresh();
    let org = crm
        .add_customer(&NewCustomer::organisation("Դեղատուն ՍՊԸ"))
        .unwrap();
    let p1 = crm.add_customer(&NewCustomer::person("Արամ")).unwrap();
    let p2 = crm.add_customer(&NewCustomer::person("Անի")).unwrap();
    let other = crm.add_customer(&NewCustomer::person("Stranger")).unwrap();
    crm.link_customer(p1.id, org.id, "director").unwrap();
    crm.link_customer(p2.id, org.id, "buyer").unwrap();
    assert_eq!(
        crm.link_customer(p1.id, org.id, "again")
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        crm.link_customer(org.id, p1.id, "").unwrap_err().field(),
        Some("person")
    );
    for (i, who) in [p1.id, p2.id, other.id, org.id, p1.id]
        .into_iter()
        .enumerate()
    {
        clock.advance(1000);
        crm.add_timeline_entry(&NewTimelineEntry::new(
            who,
            InteractionKind::Call,
            format!("call {i}"),
        ))
        .unwrap();
    }
    let page = crm.timeline(org.id, None, 3).unwrap();
    let summaries: Vec<_> = page.items.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(summaries, vec!["call 4", "call 3", "call 1"]);
    let rest = crm.timeline(org.id, page.next.as_deref(), 10).unwrap();
    let summaries: Vec<_> = rest.items.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(summaries[0], "call 0");
    assert!(
        rest.items
            .iter()
            .all(|e| e.kind != InteractionKind::Call || e.customer != other.id)
    );
    assert!(rest.next.is_none());
    let links = crm.customer_links(org.id).unwrap();
    assert_eq!(links.len(), 2);
    crm.unlink_customer(p2.id, org.id).unwrap();
    assert_eq!(
        crm.unlink_customer(p2.id, org.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let err = crm.add_timeline_entry(&NewTimelineEntry::new(
        crmlite::CustomerId(404),
        InteractionKind::Note,
        "x",
    ));
    assert_eq!(err.unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn change_feed_lists_every_change_once_in_order() {
    let (crm, _) = fresh();
    let a = crm.add_customer(&NewCustomer::person("A")).unwrap();
    let b = crm.add_customer(&NewCustomer::organisation("B")).unwrap();
    crm.update_customer(
        a.id,
        1,
        &CustomerPatch {
            name: Some("A2".into()),
            ..CustomerPatch::default()
        },
    )
    .unwrap();
    crm.link_customer(a.id, b.id, "").unwrap();
    let all = crm.changes_since(0, 100).unwrap();
    let seqs: Vec<i64> = all.iter().map(|c| c.seq).collect();
    // The link also notes itself on the person's timeline: a fifth change.
    assert_eq!(seqs, (1..=5).collect::<Vec<_>>());
    assert_eq!(all[4].entity, crmlite::EntityKind::TimelineEntry);
    assert_eq!(all[2].op, crmlite::changes::ChangeOp::Update);
    assert_eq!(all[2].entity_id, a.id.0);
    let tail = crm.changes_since(2, 100).unwrap();
    assert_eq!(tail.len(), 3);
    assert_eq!(crm.changes_since(0, 2).unwrap().len(), 2);
    assert_eq!(
        crm.changes_since(-1, 2).unwrap_err().field(),
        Some("cursor")
    );
}

#[test]
fn keyset_listing_walks_every_customer_once() {
    let (crm, _) = fresh();
    for i in 0..25 {
        crm.add_customer(&NewCustomer::person(format!("Person {i}")))
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = crm.list_customers(cursor.as_deref(), 10).unwrap();
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        crm.list_customers(None, 0).unwrap_err().field(),
        Some("limit")
    );
    assert_eq!(
        crm.list_customers(Some("x"), 10).unwrap_err().field(),
        Some("cursor")
    );
}

#[test]
fn a_database_survives_reopening_and_refuses_a_newer_schema() {
    let db = TestDb::new("reopen");
    let id = {
        let crm = db.open();
        crm.add_customer(
            &NewCustomer::person("Γιώργος")
                .birthday(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()),
        )
        .unwrap()
        .id
    };
    let crm = db.open();
    let c = crm.customer(id).unwrap();
    assert_eq!(c.birthday, chrono::NaiveDate::from_ymd_opt(1990, 5, 17));
    drop(crm);
    db.bump_schema_version();
    let err = OpenOptions::new().open(&db.target).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn threads_share_one_handle_and_writes_serialise() {
    let crm = Arc::new(TestDb::new("threads").open());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let crm = Arc::clone(&crm);
            std::thread::spawn(move || {
                for i in 0..25 {
                    crm.add_customer(&NewCustomer::person(format!("T{t} P{i}")))
                        .unwrap();
                    crm.search_customers(&format!("t{t}"), 5).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(crm.list_customers(None, 1000).unwrap().items.len(), 100);
    let seqs: Vec<i64> = crm
        .changes_since(0, 1000)
        .unwrap()
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(seqs, (1..=100).collect::<Vec<_>>());
}

#[test]
fn two_handles_on_one_file_see_each_others_commits() {
    let db = TestDb::new("two_handles");
    let a = db.open();
    let b = db.open();
    let c = a
        .add_customer(&NewCustomer::person("Written by A"))
        .unwrap();
    assert_eq!(b.customer(c.id).unwrap().name, "Written by A");
    b.add_customer(&NewCustomer::person("Written by B"))
        .unwrap();
    assert_eq!(a.changes_since(0, 10).unwrap().len(), 2);
}

#[test]
fn a_write_transaction_dropped_without_commit_rolls_back() {
    let (crm, _) = fresh();
    let before = snapshot(&crm);
    let result: crmlite::Result<()> = crm.write(|tx| {
        let rec =
            crmlite::customer::validate_new(&NewCustomer::person("Ghost"), None, Timestamp(T0))?;
        tx.insert_customer(&rec)?;
        Err(crmlite::Error::validation("test", "abort on purpose"))
    });
    assert!(result.is_err());
    assert_eq!(snapshot(&crm), before);
    assert!(crm.search_customers("ghost", 5).unwrap().is_empty());
}

#[test]
fn a_batch_is_added_all_or_nothing() {
    let (crm, _) = fresh();
    let ids = crm
        .add_customers(&[
            NewCustomer::person("Ա").external_code("P1"),
            NewCustomer::person("Բ").external_code("P2"),
        ])
        .unwrap();
    assert_eq!(ids.len(), 2);
    let before = snapshot(&crm);
    let bad = crm
        .add_customers(&[
            NewCustomer::person("Գ"),
            NewCustomer::person("Դ").phone("nope"),
        ])
        .unwrap_err();
    assert_eq!(bad.field(), Some("customers[1].phones[0]"));
    let dup = crm.add_customers(&[
        NewCustomer::person("Ե").external_code("X"),
        NewCustomer::person("Զ").external_code("X"),
    ]);
    assert_eq!(dup.unwrap_err().field(), Some("customers[1].external_code"));
    let clash = crm.add_customers(&[
        NewCustomer::person("Է"),
        NewCustomer::person("Ը").external_code("P1"),
    ]);
    assert_eq!(clash.unwrap_err().kind(), ErrorKind::Conflict);
    assert_eq!(snapshot(&crm), before);
}
