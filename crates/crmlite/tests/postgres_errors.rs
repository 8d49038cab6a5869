//! A PostgreSQL server that cannot be reached, or a URL that is not one, is a typed error,
//! never a panic (no server needed).
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crmlite::{ErrorKind, OpenOptions, StorageKind};

#[test]
fn an_unreachable_server_is_a_storage_error() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let err = OpenOptions::new()
        .open("postgresql://crmlite@127.0.0.1:1/crmlite")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert!(
        matches!(
            err,
            crmlite::Error::Storage {
                kind: StorageKind::Io,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_malformed_url_is_a_validation_error_naming_the_url() {
    let err = OpenOptions::new()
        .open("postgresql://crmlite@127.0.0.1:notaport/crmlite")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_eq!(err.field(), Some("url"));
}

mod support;

#[test]
fn a_dropped_connection_is_a_typed_error_and_the_handle_recovers() {
    let Some(url) = support::postgres_url() else {
        return;
    };
    let db = support::TestDb::new("dropped");
    let crm = db.open();
    let first = crm
        .add_customer(&crmlite::customer::NewCustomer::person("Πρώτος"))
        .unwrap();
    // The server ends every other session of this database, as a restart or a network cut would.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .unwrap();
    // The pooled connection is dead: the next call either fails with a typed storage error and
    // writes nothing, or has already reconnected; the one after that must work.
    let mut outcomes = Vec::new();
    for name in ["Δεύτερος", "Τρίτος"] {
        match crm.add_customer(&crmlite::customer::NewCustomer::person(name)) {
            Ok(c) => outcomes.push(Some(c.id)),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Storage, "{e}");
                outcomes.push(None);
            }
        }
    }
    assert!(
        outcomes[1].is_some(),
        "the handle did not recover: {outcomes:?}"
    );
    let names: Vec<String> = crm
        .list_customers(None, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect();
    let expected: usize = 1 + outcomes.iter().filter(|o| o.is_some()).count();
    assert_eq!(names.len(), expected, "{names:?}");
    assert_eq!(names[0], first.name);
    assert!(crm.verify().unwrap().ok());
}

#[test]
fn wrong_credentials_are_a_storage_error() {
    let Some(url) = support::postgres_url() else {
        return;
    };
    // A role the server does not know: refused at login, like a wrong password.
    let Some(rest) = url.split_once("://").map(|(_, rest)| rest) else {
        return;
    };
    let host_and_db = rest.split_once('@').map_or(rest, |(_, h)| h);
    let err = OpenOptions::new()
        .open(format!("postgresql://no_such_role@{host_and_db}"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
}
