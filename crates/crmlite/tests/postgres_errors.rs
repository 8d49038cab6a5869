//! A PostgreSQL server that cannot be reached, or a URL that is not one, is a typed error,
//! never a panic (no server needed).
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crmlite::{ErrorKind, OpenOptions, StorageKind};

#[test]
fn an_unreachable_server_is_a_storage_error() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let err = OpenOptions::new().open("postgresql://crmlite@127.0.0.1:1/crmlite").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert!(matches!(err, crmlite::Error::Storage { kind: StorageKind::Io, .. }), "{err:?}");
}

#[test]
fn a_malformed_url_is_a_validation_error_naming_the_url() {
    let err = OpenOptions::new().open("postgresql://crmlite@127.0.0.1:notaport/crmlite").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_eq!(err.field(), Some("url"));
}
