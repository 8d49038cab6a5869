//! The storage trait every backend implements, split into per-domain parts.
//!
//! A backend hands out owned transaction objects. A write transaction is
//! all-or-nothing: dropping it without [`WriteTx::commit`] rolls everything back.

use crate::changes::{Change, ChangeOp};
use crate::customer::{Customer, CustomerKind, CustomerLink, CustomerRecord};
use crate::timeline::TimelineEntry;
use crate::{CustomerId, EntityKind, Result, TimelineEntryId, Timestamp};

/// A storage backend: hands out read and write transactions.
pub trait Store: Send + Sync {
    /// Starts a read transaction that sees one consistent snapshot.
    fn begin_read(&self) -> Result<Box<dyn ReadTx>>;
    /// Starts a write transaction; writers are serialised.
    fn begin_write(&self) -> Result<Box<dyn WriteTx>>;
    /// A short name of the backend, e.g. `sqlite`.
    fn backend_name(&self) -> &'static str;
}

/// Reads of customers and their links.
pub trait CustomerRead {
    /// One customer by id.
    fn customer(&mut self, id: CustomerId) -> Result<Option<Customer>>;
    /// One customer by kind and external code.
    fn customer_by_code(&mut self, kind: CustomerKind, code: &str) -> Result<Option<Customer>>;
    /// Customers with ids greater than `after`, in id order.
    fn customers_after(&mut self, after: Option<CustomerId>, limit: u32) -> Result<Vec<Customer>>;
    /// Customers that have this (normalised) e-mail address, in id order.
    fn customers_by_email(&mut self, email: &str) -> Result<Vec<Customer>>;
    /// Customers that have this E.164 phone number, in id order.
    fn customers_by_phone(&mut self, e164: &str) -> Result<Vec<Customer>>;
    /// Ids of customers whose search key matches every token (a word prefix or a fragment).
    fn search_customer_ids(&mut self, tokens: &[String], limit: u32) -> Result<Vec<CustomerId>>;
    /// Links in which `customer` is the person or the organisation.
    fn customer_links(&mut self, customer: CustomerId) -> Result<Vec<CustomerLink>>;
    /// The number of customers.
    fn customer_count(&mut self) -> Result<i64>;
}

/// Writes of customers and their links.
pub trait CustomerWrite {
    /// Stores a new customer and returns its id.
    fn insert_customer(&mut self, record: &CustomerRecord) -> Result<CustomerId>;
    /// Replaces a stored customer's state (same id) with `record`.
    fn update_customer(&mut self, record: &CustomerRecord) -> Result<()>;
    /// Stores a link; a duplicate is a conflict.
    fn insert_customer_link(&mut self, link: &CustomerLink) -> Result<()>;
    /// Removes a link; returns whether it existed.
    fn delete_customer_link(&mut self, person: CustomerId, organisation: CustomerId) -> Result<bool>;
}

/// Reads of the timeline.
pub trait TimelineRead {
    /// Entries of any of `customers`, newest first, strictly before `before` (time, id).
    fn timeline(
        &mut self,
        customers: &[CustomerId],
        before: Option<(Timestamp, TimelineEntryId)>,
        limit: u32,
    ) -> Result<Vec<TimelineEntry>>;
}

/// Writes of the timeline.
pub trait TimelineWrite {
    /// Stores an entry and returns its id.
    fn insert_timeline_entry(&mut self, entry: &TimelineEntry) -> Result<TimelineEntryId>;
}

/// Reads of the change feed.
pub trait ChangeRead {
    /// Changes with `seq > after`, in order.
    fn changes_since(&mut self, after: i64, limit: u32) -> Result<Vec<Change>>;
}

/// Writes of the change feed.
pub trait ChangeWrite {
    /// Appends a change inside the current transaction and returns its sequence number.
    fn record_change(&mut self, entity: EntityKind, id: i64, op: ChangeOp, at: Timestamp) -> Result<i64>;
}

/// Invariant checks run by `verify()`.
pub trait VerifyRead {
    /// Runs every check the backend knows, in a stable order.
    fn verify_checks(&mut self) -> Result<Vec<crate::verify::Check>>;
}

/// A read transaction: every read part together.
pub trait ReadTx: CustomerRead + TimelineRead + ChangeRead + VerifyRead + Send {}

impl<T: CustomerRead + TimelineRead + ChangeRead + VerifyRead + Send> ReadTx for T {}

/// A write transaction. Dropping it without `commit` rolls back.
pub trait WriteTx: ReadTx + CustomerWrite + TimelineWrite + ChangeWrite {
    /// Makes every write of this transaction durable, or none of them.
    fn commit(self: Box<Self>) -> Result<()>;
}
