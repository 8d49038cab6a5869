//! `copy_to` moves a database between backends keeping every id and the change feed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::NewCustomer;
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, OpenOptions};
use support::{TestDb, fixed};

fn everything(
    crm: &Crm,
) -> (
    Vec<crmlite::customer::Customer>,
    Vec<crmlite::changes::Change>,
    Vec<String>,
) {
    let customers = crm.list_customers(None, 1000).unwrap().items;
    let timeline = customers
        .iter()
        .flat_map(|c| crm.timeline(c.id, None, 1000).unwrap().items)
        .map(|e| format!("{}:{}:{}", e.id, e.customer, e.summary))
        .collect();
    (customers, crm.changes_since(0, 1000).unwrap(), timeline)
}

#[test]
fn a_copy_there_and_back_keeps_ids_timeline_and_change_feed() {
    let clock = fixed();
    let source = OpenOptions::new()
        .clock(clock.clone())
        .open(":memory:")
        .unwrap();
    let org = source
        .add_customer(&NewCustomer::organisation("Կոսմետիկա ՍՊԸ").external_code("ORG-1"))
        .unwrap();
    for name in ["Մարիամ", "Ნატო", "Σοφία", "زهرا"] {
        let p = source
            .add_customer(&NewCustomer::person(name).phone("+374 10 123456").tag("vip"))
            .unwrap();
        source.link_customer(p.id, org.id, "buyer").unwrap();
        source
            .add_timeline_entry(&NewTimelineEntry::new(
                p.id,
                InteractionKind::Visit,
                format!("{name} visited"),
            ))
            .unwrap();
    }
    let original = everything(&source);

    // There: to the test backend (PostgreSQL in the PostgreSQL run), then back to SQLite.
    let middle = TestDb::new("copy").open_with(OpenOptions::new(), Some(clock.clone()));
    let report = source.copy_to(&middle).unwrap();
    assert!(
        report
            .tables
            .iter()
            .any(|(t, n)| t == "customers" && *n == 5)
    );
    assert_eq!(everything(&middle), original);
    assert!(middle.verify().unwrap().ok());
    let back = OpenOptions::new()
        .clock(clock.clone())
        .open(":memory:")
        .unwrap();
    middle.copy_to(&back).unwrap();
    assert_eq!(everything(&back), original);
    assert_eq!(
        back.search_customers("σοφια", 5).unwrap().len(),
        1,
        "the search index was rebuilt"
    );

    // Ids and sequences continue after the copied ones on both sides.
    let next = middle.add_customer(&NewCustomer::person("Նոր")).unwrap();
    assert_eq!(next.id.0, 6);
    assert_eq!(
        middle.changes_since(0, 1000).unwrap().last().unwrap().seq,
        original.1.len() as i64 + 1
    );
    assert!(middle.verify().unwrap().ok());

    // A non-empty target is refused and left as it was.
    let err = source.copy_to(&middle).unwrap_err();
    assert_eq!(err.field(), Some("target"));
}
