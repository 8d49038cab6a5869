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
pub use outbox::{Claim, MessageStatus, NewMessage, OutboxMessage, MAX_ATTEMPTS};
pub use service::TaskCompletion;
pub use task::{NewTask, Task, TaskStatus};
pub use template::{compile_check, render, NewTemplate, Template, TemplateFormat, TemplateKind, FUEL, MAX_OUTPUT};
pub use trigger::{
    fires_on, local_date, parse_zone, NewTrigger, RunReport, Trigger, TriggerAction, TriggerEvent, TriggerRun,
    CATCH_UP_DAYS, TIME_ZONE_ATTRIBUTE,
};

