//! Automation: templates, tasks and reminders, triggers, consent and the outbox.
//!
//! crmlite never sends anything: it renders, schedules and queues, and the host delivers
//! from the outbox (claim, deliver, then ack or fail).

mod consent;
pub mod format;
mod outbox;
pub mod rrule;
pub(crate) mod service;
mod task;
mod template;
mod trigger;

pub use consent::{Channel, Consent, NewConsent, Purpose};
pub use format::Locale;
pub use outbox::{Claim, MAX_ATTEMPTS, MessageStatus, NewMessage, OutboxMessage};
pub use service::TaskCompletion;
pub use task::{NewTask, Task, TaskStatus};
pub use template::{
    FUEL, MAX_OUTPUT, NewTemplate, Template, TemplateFormat, TemplateKind, compile_check, render,
};
pub use trigger::{
    CATCH_UP_DAYS, NewTrigger, RunReport, TIME_ZONE_ATTRIBUTE, Trigger, TriggerAction,
    TriggerEvent, TriggerRun, fires_on, local_date, parse_zone,
};
