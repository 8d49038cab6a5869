//! Explicit transactions: many operations of one thread committed or rolled back together,
//! a failing operation undoing only itself, other threads kept out until the commit.
//! Runs on SQLite and, under `scripts/test-postgres`, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use crmlite::customer::{CustomerKind, NewCustomer};
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, CustomerId, Error, ErrorKind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::TestDb;

const NAMES: [&str; 4] = [
    "Արմեն Սարգսյան",
    "ნინო ბერიძე",
    "Γιώργος Παπαδόπουλος",
    "مریم احمدی",
];

fn all_customers(crm: &Crm) -> Vec<String> {
    crm.list_customers(None, 1000)
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn change_count(crm: &Crm) -> usize {
    crm.changes_since(0, 1000).unwrap().len()
}

fn is_transaction_error(e: &Error) -> bool {
    e.kind() == ErrorKind::Validation && e.field() == Some("transaction")
}

#[test]
fn many_adds_are_committed_together_and_seen_by_other_handles_only_after_the_commit() {
    let db = TestDb::new("tx_many");
    let crm = db.open();
    let other = db.open();
    crm.begin_transaction().unwrap();
    assert!(crm.in_transaction().unwrap());
    let mut ids = Vec::new();
    for i in 0..40 {
        let name = format!("{} {i}", NAMES[i % NAMES.len()]);
        ids.push(crm.add_customer(&NewCustomer::person(name)).unwrap().id);
    }
    // The transaction's own reads see its writes, search included.
    assert_eq!(all_customers(&crm).len(), 40);
    assert_eq!(crm.search_customers("ნინო", 100).unwrap().len(), 10);
    assert_eq!(crm.customer(ids[3]).unwrap().name, "مریم احمدی 3");
    assert_eq!(change_count(&crm), 40);
    assert!(crm.verify().unwrap().ok());
    // Another handle sees nothing yet.
    assert!(all_customers(&other).is_empty());
    assert_eq!(change_count(&other), 0);
    crm.commit_transaction().unwrap();
    assert!(!crm.in_transaction().unwrap());
    assert_eq!(all_customers(&other).len(), 40);
    assert_eq!(other.search_customers("Γιώργος", 100).unwrap().len(), 10);
    let changes = other.changes_since(0, 1000).unwrap();
    assert_eq!(changes.len(), 40);
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(other.verify().unwrap().ok());
    db.remove();
}

#[test]
fn a_rollback_leaves_no_customer_timeline_entry_or_change() {
    let db = TestDb::new("tx_rollback");
    let crm = db.open();
    let kept = crm
        .add_customer(&NewCustomer::person("Արմեն Սարգսյան"))
        .unwrap();
    crm.begin_transaction().unwrap();
    let added = crm
        .add_customer(&NewCustomer::person("ნინო ბერიძე"))
        .unwrap();
    crm.add_timeline_entry(&NewTimelineEntry::new(
        kept.id,
        InteractionKind::Note,
        "Σημείωση",
    ))
    .unwrap();
    crm.add_timeline_entry(&NewTimelineEntry::new(
        added.id,
        InteractionKind::Call,
        "تماس",
    ))
    .unwrap();
    assert_eq!(crm.timeline(kept.id, None, 10).unwrap().items.len(), 1);
    crm.rollback_transaction().unwrap();
    assert_eq!(all_customers(&crm), vec!["Արմեն Սարգսյան".to_owned()]);
    assert!(crm.timeline(kept.id, None, 10).unwrap().items.is_empty());
    assert_eq!(
        crm.customer(added.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(change_count(&crm), 1);
    assert!(db.open().search_customers("ნინო", 10).unwrap().is_empty());
    assert!(crm.verify().unwrap().ok());

    // The closure form rolls back on error and returns it.
    let err = crm
        .transaction(|crm| {
            crm.add_customer(&NewCustomer::person("مریم احمدی"))?;
            crm.customer(CustomerId(999_999))
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!crm.in_transaction().unwrap());
    assert_eq!(all_customers(&crm).len(), 1);
    assert_eq!(change_count(&crm), 1);
    db.remove();
}

#[test]
fn a_failing_operation_undoes_only_itself() {
    let db = TestDb::new("tx_failing_op");
    let crm = db.open();
    let ids = crm
        .transaction(|crm| {
            let first = crm.add_customer(&NewCustomer::person("Արմեն").external_code("C-1"))?;
            // A batch whose third customer clashes: the first two of it are written, then
            // taken back with the failing operation alone.
            let batch = [
                NewCustomer::person("ნინო"),
                NewCustomer::person("Γιώργος"),
                NewCustomer::person("مریم").external_code("C-1"),
            ];
            let err = crm.add_customers(&batch).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
            // Bad input and a missing record: typed errors, the transaction goes on.
            let err = crm.add_customer(&NewCustomer::person("  ")).unwrap_err();
            assert_eq!(err.field(), Some("name"));
            let err = crm
                .add_timeline_entry(&NewTimelineEntry::new(
                    CustomerId(999_999),
                    InteractionKind::Note,
                    "ghost",
                ))
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotFound);
            let last = crm.add_customer(&NewCustomer::person("Παπαδόπουλος"))?;
            Ok(vec![first.id, last.id])
        })
        .unwrap();
    assert_eq!(
        all_customers(&crm),
        vec!["Արմեն".to_owned(), "Παπαδόπουλος".to_owned()]
    );
    let changes = crm.changes_since(0, 100).unwrap();
    let ids_in_feed: Vec<i64> = changes.iter().map(|c| c.entity_id).collect();
    assert_eq!(ids_in_feed, ids.iter().map(|i| i.0).collect::<Vec<_>>());
    assert!(crm.search_customers("ნინო", 10).unwrap().is_empty());
    assert_eq!(
        crm.customer_by_code(CustomerKind::Person, "C-1")
            .unwrap()
            .name,
        "Արմեն"
    );
    assert!(crm.verify().unwrap().ok());
    db.remove();
}

#[test]
fn another_thread_reads_the_committed_state_and_its_write_waits_for_the_commit() {
    let db = TestDb::new("tx_threads");
    let crm = Arc::new(db.open());
    crm.add_customer(&NewCustomer::person("Արմեն")).unwrap();
    crm.begin_transaction().unwrap();
    let mine = crm.add_customer(&NewCustomer::person("ნინო")).unwrap();

    // A read on another thread, through the same handle, sees only committed rows.
    let reader = Arc::clone(&crm);
    let seen = std::thread::spawn(move || {
        assert!(!reader.in_transaction().unwrap());
        // Ending a transaction this thread does not own is refused.
        assert!(is_transaction_error(
            &reader.commit_transaction().unwrap_err()
        ));
        all_customers(&reader)
    });
    // SQLite's in-memory databases share one connection; file databases and PostgreSQL
    // give readers their own.
    assert_eq!(seen.join().unwrap(), vec!["Արմեն".to_owned()]);

    // A write on another thread waits until the transaction ends.
    let done = Arc::new(AtomicBool::new(false));
    let writer = Arc::clone(&crm);
    let flag = Arc::clone(&done);
    let handle = std::thread::spawn(move || {
        let added = writer
            .add_customer(&NewCustomer::person("Γιώργος"))
            .unwrap();
        flag.store(true, Ordering::SeqCst);
        added
    });
    std::thread::sleep(Duration::from_millis(400));
    assert!(!done.load(Ordering::SeqCst), "the write did not wait");
    crm.add_customer(&NewCustomer::person("مریم")).unwrap();
    crm.commit_transaction().unwrap();
    let theirs = handle.join().unwrap();
    assert!(theirs.id > mine.id);
    assert_eq!(
        all_customers(&crm),
        vec![
            "Արմեն".to_owned(),
            "ნინო".to_owned(),
            "مریم".to_owned(),
            "Γιώργος".to_owned()
        ]
    );
    assert!(crm.verify().unwrap().ok());
    db.remove();
}

#[test]
fn misuse_gets_typed_errors_naming_the_transaction() {
    let (crm, _) = support::fresh();
    let e = crm.commit_transaction().unwrap_err();
    assert!(is_transaction_error(&e), "{e}");
    assert!(e.to_string().contains("no transaction is open"), "{e}");
    let e = crm.rollback_transaction().unwrap_err();
    assert!(is_transaction_error(&e), "{e}");
    crm.begin_transaction().unwrap();
    let e = crm.begin_transaction().unwrap_err();
    assert!(is_transaction_error(&e), "{e}");
    assert!(e.to_string().contains("do not nest"), "{e}");
    let e = crm.transaction(|_| Ok(())).unwrap_err();
    assert!(is_transaction_error(&e), "{e}");
    // The refused nesting left the first transaction open and usable.
    assert!(crm.in_transaction().unwrap());
    crm.add_customer(&NewCustomer::person("Արմեն")).unwrap();
    crm.commit_transaction().unwrap();
    assert_eq!(all_customers(&crm).len(), 1);
    let e = crm
        .transaction(|crm| {
            crm.add_customer(&NewCustomer::person("ნინო"))?;
            crm.commit_transaction()
        })
        .unwrap_err();
    assert!(is_transaction_error(&e), "{e}");
    assert_eq!(all_customers(&crm).len(), 1);
}

#[test]
fn dropping_the_handle_rolls_an_open_transaction_back() {
    let db = TestDb::new("tx_drop");
    let crm = db.open();
    crm.begin_transaction().unwrap();
    crm.add_customer(&NewCustomer::person("Γιώργος")).unwrap();
    drop(crm);
    let crm = db.open();
    assert!(all_customers(&crm).is_empty());
    assert_eq!(change_count(&crm), 0);
    // The writer is free again.
    crm.add_customer(&NewCustomer::person("مریم")).unwrap();
    assert_eq!(all_customers(&crm).len(), 1);
    db.remove();
}

#[test]
fn a_panicking_operation_rolls_the_transaction_back_and_leaves_the_handle_usable() {
    let (crm, _) = support::fresh();
    crm.add_customer(&NewCustomer::person("Արմեն")).unwrap();
    crm.begin_transaction().unwrap();
    crm.add_customer(&NewCustomer::person("ნინო")).unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crm.write(|_tx| -> crmlite::Result<()> { panic!("deliberate") })
    }));
    assert!(panicked.is_err());
    // The transaction is gone: its calls are refused until it is rolled back.
    assert!(crm.in_transaction().unwrap());
    let e = crm
        .add_customer(&NewCustomer::person("Γιώργος"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage, "{e}");
    assert!(crm.commit_transaction().is_err());
    assert!(!crm.in_transaction().unwrap());
    assert_eq!(all_customers(&crm), vec!["Արմեն".to_owned()]);
    crm.transaction(|crm| crm.add_customer(&NewCustomer::person("مریم")))
        .unwrap();
    assert_eq!(all_customers(&crm).len(), 2);
}
