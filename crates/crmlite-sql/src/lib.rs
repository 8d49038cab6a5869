//! crmlite's storage layer written once in portable SQL.
//!
//! Every domain's queries live here and run on any backend that implements
//! [`SqlConn`]: the SQLite and PostgreSQL stores only provide connections,
//! transactions, migrations and the few dialect-specific statements (search).
//! SQL uses `?1`-style placeholders; backends translate them when needed.
#![forbid(unsafe_code)]

mod automation;
mod changes;
mod conn;
mod copy;
mod customer;
mod deal;
#[cfg(feature = "fault-injection")]
mod fault;
mod loyalty;
mod reference;
mod sales;
mod service;
mod sync;
mod timeline;
mod verify;

pub use conn::{Dialect, Row, SqlConn, SqlTx, Value};
#[cfg(feature = "fault-injection")]
pub use fault::FaultConn;
