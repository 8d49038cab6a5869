//! The C ABI of crmlite: `libcrmlite.so`, `libcrmlite.a` and `include/crmlite.h`.
//!
//! One module per domain (`customer`, `timeline`, `deal`, `deal_edit`, `deal_report`, `changes`, `reference`, `sales`,
//! `loyalty`, `rewards`, `points_history`, `service`, `verify`, `transaction`), each declaring its opaque
//! handle types, the `Handle` impls that say what they point to, and its exports. Every
//! export runs its body in [`boundary::guard`]; pointers go through [`handle`], strings
//! through [`strings`], result sets through [`cursor`]. No rules live here: the
//! bindings only translate to and from `crmlite::Crm`.
#![allow(non_camel_case_types)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

mod automation;
mod boundary;
mod changes;
mod cursor;
mod customer;
mod db;
mod deal;
mod deal_edit;
mod deal_report;
mod handle;
mod loyalty;
mod points_history;
mod reference;
mod rewards;
mod sales;
mod service;
mod status;
mod strings;
mod timeline;
mod transaction;
mod verify;
