//! Regression (found by the API state machine): renaming customers across scripts on a file
//! database, with `verify()` between the writes, keeps the search index whole and `verify()`
//! clean. Pooled readers used to check the FTS5 index against a stale cached structure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crmlite::customer::{CustomerPatch, NewCustomer};
use crmlite::{Crm, CustomerId, OpenOptions};

mod support;

const ARAM: &str = "Արամ Սարգսյան";
const ELENI: &str = "Ελένη";
const MARYAM: &str = "مریم احمدی";

fn assert_clean(crm: &Crm, after: &str) {
    let report = crm.verify().unwrap();
    assert!(report.ok(), "after {after}: {report:?}");
}

#[test]
fn renames_across_scripts_keep_the_search_index_whole() {
    let db = support::TestDb::new("search-index");
    if db.is_postgres() {
        return; // the stale cache was SQLite's FTS5; PostgreSQL runs the rest of the suite
    }
    let crm = db.open_with(OpenOptions::new(), Some(support::fixed()));
    let rename = |id: i64, name: &str| {
        let c = crm.customer(CustomerId(id)).unwrap();
        let patch = CustomerPatch {
            name: Some(name.to_owned()),
            ..CustomerPatch::default()
        };
        crm.update_customer(c.id, c.version, &patch).unwrap();
        assert_clean(&crm, &format!("renaming {id} to {name}"));
    };
    let add = |name: &str| {
        crm.add_customer(&NewCustomer::person(name)).unwrap();
        assert_clean(&crm, &format!("adding {name}"));
    };
    add("Աննա Հակոբյան");
    rename(1, ARAM);
    for _ in 0..3 {
        add(ARAM);
    }
    rename(1, ARAM);
    for _ in 0..4 {
        add(ARAM);
    }
    rename(5, ELENI);
    rename(7, MARYAM);
    add(ARAM);
    rename(1, ARAM);
    rename(8, MARYAM);
    add(MARYAM);
    assert_eq!(crm.search_customers("مریم", 50).unwrap().len(), 3);
    assert_eq!(crm.search_customers("ελενη", 50).unwrap().len(), 1);
    assert_eq!(crm.search_customers("Արամ", 50).unwrap().len(), 6);
    drop(crm);
    db.remove();
}
