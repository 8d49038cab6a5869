//! Damaged environments: a full disk, a read-only file, a truncated or overwritten file, a
//! database from a newer crmlite. Each gives a typed error, never a panic, leaves nothing
//! half-written, and the same call succeeds once the condition is gone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod support;

use crmlite::customer::{AttributeValue, NewCustomer};
use crmlite::{Crm, ErrorKind, OpenOptions, StorageKind};
use support::{TestDb, fixed};

/// Customers and change-feed entries: what a failed call must leave unchanged.
fn state(crm: &Crm) -> (i64, usize) {
    let customers = crm
        .changes_since(0, 1000)
        .unwrap()
        .iter()
        .filter(|c| c.entity.as_str() == "customer")
        .count();
    (customers as i64, crm.changes_since(0, 1000).unwrap().len())
}

fn storage_kind(e: &crmlite::Error) -> Option<StorageKind> {
    match e {
        crmlite::Error::Storage { kind, .. } => Some(*kind),
        _ => None,
    }
}

fn page_count(path: &str) -> u32 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap()
}

fn customer(i: usize) -> NewCustomer {
    NewCustomer::person(format!("Ζωή Αλεξίου {i}"))
        .attribute("note", AttributeValue::Text("σημείωση ".repeat(200)))
}

#[test]
fn a_full_disk_is_a_typed_error_that_changes_nothing_and_passes() {
    let db = TestDb::new("disk_full");
    if db.is_postgres() {
        return;
    }
    db.open_with(OpenOptions::new(), Some(fixed()))
        .add_customer(&customer(0))
        .unwrap();
    let limit = page_count(&db.target) + 8;
    let crm = db.open_with(OpenOptions::new().max_page_count(limit), Some(fixed()));
    let mut i = 1;
    let err = loop {
        let before = state(&crm);
        match crm.add_customer(&customer(i)) {
            Ok(_) => i += 1,
            Err(e) => {
                assert_eq!(state(&crm), before, "a failed write left something behind");
                break e;
            }
        }
        assert!(i < 1000, "the page limit never bit");
    };
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert_eq!(storage_kind(&err), Some(StorageKind::Io), "{err}");
    assert!(err.to_string().contains("full"), "{err}");
    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
    drop(crm);

    // The disk has room again: the same call succeeds.
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let before = state(&crm);
    crm.add_customer(&customer(i)).unwrap();
    assert_eq!(state(&crm).0, before.0 + 1);
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    db.remove();
}

#[test]
fn a_read_only_database_refuses_writes_with_a_typed_error() {
    let db = TestDb::new("read_only");
    if db.is_postgres() {
        return;
    }
    db.open_with(OpenOptions::new(), Some(fixed()))
        .add_customer(&customer(0))
        .unwrap();
    // SQLite's own read-only open (a chmod would not stop a test running as root).
    let ro = format!("file:{}?mode=ro", db.target);
    let crm = OpenOptions::new().clock(fixed()).open(&ro).unwrap();
    let before = state(&crm);
    let err = crm.add_customer(&customer(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert_eq!(storage_kind(&err), Some(StorageKind::ReadOnly), "{err}");
    assert_eq!(state(&crm), before);
    assert!(crm.verify().unwrap().ok());
    drop(crm);

    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    crm.add_customer(&customer(1)).unwrap();
    assert_eq!(state(&crm).0, before.0 + 1);
    drop(crm);
    db.remove();
}

/// Opens `path` and runs `verify()`; a damaged file must give a typed storage error or a
/// failed report, never a panic or a clean bill of health.
fn open_and_verify_damaged(path: &str) {
    let outcome = OpenOptions::new()
        .clock(fixed())
        .open(path)
        .and_then(|crm| {
            let report = crm.verify()?;
            Ok((report, crm.changes_since(0, 1000)?.len()))
        });
    match outcome {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Storage, "{e}");
            assert!(
                matches!(
                    storage_kind(&e),
                    Some(StorageKind::Corrupt | StorageKind::Io)
                ),
                "{e}"
            );
        }
        Ok((report, _)) => assert!(!report.ok(), "a damaged file passed verify()"),
    }
}

#[test]
fn truncated_and_overwritten_files_give_typed_errors_and_a_restored_copy_works() {
    let db = TestDb::new("corrupt");
    if db.is_postgres() {
        return;
    }
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    for i in 0..40 {
        crm.add_customer(&customer(i)).unwrap();
    }
    drop(crm); // the last connection checkpoints the WAL into the file
    let good = std::fs::read(&db.target).unwrap();
    let restore = || {
        let _ = std::fs::remove_file(format!("{}-wal", db.target));
        let _ = std::fs::remove_file(format!("{}-shm", db.target));
        std::fs::write(&db.target, &good).unwrap();
    };

    // Truncated to half, to one page, and to nothing but the header.
    for len in [good.len() / 2, 4096, 100] {
        restore();
        std::fs::write(&db.target, &good[..len]).unwrap();
        open_and_verify_damaged(&db.target);
    }
    // Pages overwritten with a fixed pattern, at a seeded choice of offsets.
    let mut seed: u64 = 0xC0_44_0E;
    for _ in 0..12 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let page = 1 + (seed >> 33) as usize % (good.len() / 4096 - 1);
        let mut bad = good.clone();
        bad[page * 4096..page * 4096 + 4096].fill(0xA5);
        restore();
        std::fs::write(&db.target, &bad).unwrap();
        open_and_verify_damaged(&db.target);
    }
    // Not a database at all.
    restore();
    std::fs::write(
        &db.target,
        b"name,phone\n\xd4\xb1\xd6\x80\xd5\xa1\xd5\xb4,+37410123456\n".repeat(200),
    )
    .unwrap();
    let err = OpenOptions::new().open(&db.target).unwrap_err();
    assert_eq!(storage_kind(&err), Some(StorageKind::Corrupt), "{err}");

    // The backup put back: the same calls succeed.
    restore();
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    assert!(crm.verify().unwrap().ok());
    assert_eq!(state(&crm).0, 40);
    crm.add_customer(&customer(40)).unwrap();
    drop(crm);
    db.remove();
}

#[test]
fn a_database_from_a_newer_crmlite_is_refused_until_it_matches_again() {
    let db = TestDb::new("too_new");
    db.open_with(OpenOptions::new(), Some(fixed()))
        .add_customer(&customer(0))
        .unwrap();
    db.bump_schema_version();
    let err = OpenOptions::new().open(&db.target).unwrap_err();
    assert_eq!(storage_kind(&err), Some(StorageKind::TooNew), "{err}");
    db.lower_schema_version();
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    crm.add_customer(&customer(1)).unwrap();
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    db.remove();
}
