//! Domain rules of crmlite, the embeddable CRM core: customers and their timeline, deals on
//! company-defined pipelines, sales, loyalty programs with a points ledger, reference directories
//! with import, export and sync, automation, complaints and NPS, the change feed, and the [`store::Store`] trait that
//! backends implement.
//!
//! Most users want the `crmlite` crate, which adds the SQLite store and a system clock.
#![forbid(unsafe_code)]

pub mod automation;
pub mod changes;
pub mod customer;
pub mod deal;
#[cfg(feature = "fault-injection")]
pub mod fault;
pub mod import;
pub mod loyalty;
pub mod money;
pub mod page;
pub mod reference;
pub mod sales;
pub mod service;
pub mod store;
pub mod text;
pub mod timeline;
pub mod verify;

mod clock;
mod copy;
mod crm;
mod error;
mod ids;
mod lookups;
mod timeline_service;

pub use clock::{Clock, FixedClock, Timestamp};
pub use copy::CopyReport;
pub use crm::{Crm, CrmOptions};
pub use error::{EntityKind, Error, ErrorKind, Result, StorageKind};
pub use ids::{
    CardId, ComplaintId, CustomerId, DealId, DealStageChangeId, EntryId, LostReasonId, MessageId,
    NpsResponseId, OrderId, PipelineId, ProgramId, ReturnId, RewardId, RuleId, StageId, TaskId,
    TemplateId, TierId, TimelineEntryId, TriggerId,
};
pub use money::{Currency, Money};
pub use page::Page;
