//! The change feed under concurrent writers: a reader tailing it never skips or repeats a change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::NewCustomer;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::TestDb;

#[test]
fn a_tailing_reader_sees_every_change_exactly_once_while_writers_run() {
    const WRITERS: usize = 4;
    const EACH: usize = 40;
    let db = TestDb::new("tail");
    // Each writer uses its own handle, as separate processes or application servers would.
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let crm = db.open();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|i| {
                        crm.add_customer(&NewCustomer::person(format!("Writer {w} #{i}")))
                            .unwrap()
                            .id
                            .0
                    })
                    .collect::<Vec<i64>>()
            })
        })
        .collect();
    let reader = {
        let crm = Arc::new(db.open());
        std::thread::spawn(move || {
            let mut cursor = 0;
            let mut seen = Vec::new();
            while seen.len() < WRITERS * EACH {
                let batch = crm.changes_since(cursor, 7).unwrap();
                for change in &batch {
                    assert_eq!(
                        change.seq,
                        cursor + 1,
                        "the feed skipped or repeated a sequence number"
                    );
                    cursor = change.seq;
                    seen.push(change.entity_id);
                }
                if batch.is_empty() {
                    std::thread::yield_now();
                }
            }
            seen
        })
    };
    let written: BTreeSet<i64> = writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let seen = reader.join().unwrap();
    assert_eq!(seen.len(), WRITERS * EACH);
    assert_eq!(seen.iter().copied().collect::<BTreeSet<i64>>(), written);
}
