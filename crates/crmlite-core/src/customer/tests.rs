use super::*;
use crate::{ErrorKind, Timestamp};

fn ok(new: &NewCustomer) -> CustomerRecord {
    validate_new(new, Some("AM"), Timestamp(0)).unwrap()
}

#[test]
fn first_contact_points_are_primary_and_tags_are_sorted_and_unique() {
    let rec = ok(&NewCustomer::person("  Անի  ")
        .email("ani@example.am")
        .email("ani.work@example.am")
        .phone("010 123456")
        .tag("vip")
        .tag("newsletter")
        .tag("vip"));
    let c = &rec.customer;
    assert_eq!(c.name, "Անի");
    assert_eq!(c.primary_email(), Some("ani@example.am"));
    assert!(!c.emails[1].primary);
    assert_eq!(c.primary_phone(), Some("+37410123456"));
    assert_eq!(c.tags, vec!["newsletter", "vip"]);
    assert_eq!(c.version, 1);
}

#[test]
fn search_key_holds_name_contacts_code_and_tags() {
    let rec = ok(&NewCustomer::person("Γιώργος")
        .email("g@x.gr")
        .phone("+30 210 1234567")
        .external_code("GR-7")
        .tag("VIP"));
    for part in ["γιωργοσ", "g@x.gr", "302101234567", "gr-7", "vip"] {
        assert!(
            rec.search_key.contains(part),
            "{part} missing from {}",
            rec.search_key
        );
    }
    assert_eq!(rec.name_key, "γιωργοσ");
}

#[test]
fn duplicates_within_one_customer_are_rejected() {
    let err = validate_new(
        &NewCustomer::person("A")
            .phone("+37410123456")
            .phone("+374 10 12 34 56"),
        None,
        Timestamp(0),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("phones[1]"));
    let err = validate_new(
        &NewCustomer::person("A").email("a@x.am").email("A@X.AM"),
        None,
        Timestamp(0),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("emails[1]"));
}

#[test]
fn patch_changes_only_what_it_names_and_bumps_the_version() {
    let rec = ok(&NewCustomer::person("A")
        .language("hy")
        .attribute("points_card", AttributeValue::Text("X1".into())));
    let patch = CustomerPatch {
        language: Some(None),
        attributes: [
            ("points_card".to_owned(), None),
            ("floor".to_owned(), Some(AttributeValue::Integer(3))),
        ]
        .into(),
        ..CustomerPatch::default()
    };
    let next = validate_patch(&rec.customer, &patch, None, Timestamp(5))
        .unwrap()
        .customer;
    assert_eq!(next.name, "A");
    assert_eq!(next.language, None);
    assert_eq!(next.attributes.len(), 1);
    assert_eq!(next.version, 2);
    assert_eq!(next.updated_at, Timestamp(5));
    let bad = CustomerPatch {
        name: Some(String::new()),
        ..CustomerPatch::default()
    };
    let err = validate_patch(&rec.customer, &bad, None, Timestamp(5)).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("name"))
    );
}

#[test]
fn kinds_parse_from_their_names() {
    assert_eq!(
        CustomerKind::parse("Organization").unwrap(),
        CustomerKind::Organisation
    );
    assert_eq!(
        CustomerKind::parse("robot").unwrap_err().field(),
        Some("kind")
    );
}
