//! Automation commands: `templates`, `tasks`, `triggers`, `jobs`, `outbox` and `consent`.
//! crmlite never sends anything: `jobs run` queues messages and the host delivers them
//! with `outbox claim`, then `outbox ack` or `outbox fail`.

mod consent;
mod outbox;
mod tasks;
mod templates;
mod triggers;

use clap::Subcommand;
use crmlite::automation::{
    Channel, NewConsent, NewTask, NewTemplate, NewTrigger, Purpose, TemplateFormat, TemplateKind,
    TriggerAction, TriggerEvent,
};
use crmlite::customer::{AttributeValue, CustomerKind};
use crmlite::{Crm, Result, Timestamp};
use serde_json::{Map, Value};

use crate::Context;
use crate::error::Failure;
use crate::output::Output;

/// The automation command groups, flattened into the top-level commands.
#[derive(Debug, Subcommand)]
pub enum AutomationCommand {
    /// Add, show, list and render message and document templates.
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
    /// Add, complete and list tasks and reminders.
    #[command(subcommand)]
    Tasks(tasks::TasksCommand),
    /// Add and list triggers (on a date such as a birthday, or on an event).
    #[command(subcommand)]
    Triggers(triggers::TriggersCommand),
    /// Run scheduled work.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Queue, list, claim, ack and fail outgoing messages.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Record and show a customer's consent to be contacted.
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
}

/// The `jobs` subcommands.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Fire every date trigger due now (give the time with the global --now); running it
    /// again at the same time does nothing.
    Run,
}

/// Runs one automation command.
pub fn run(ctx: &Context, out: &mut Output, cmd: AutomationCommand) -> Result<(), Failure> {
    match cmd {
        AutomationCommand::Templates(cmd) => templates::run(ctx, out, cmd),
        AutomationCommand::Tasks(cmd) => tasks::run(ctx, out, cmd),
        AutomationCommand::Triggers(cmd) => triggers::run(ctx, out, cmd),
        AutomationCommand::Jobs(JobsCommand::Run) => {
            let crm = ctx.open()?;
            let report = crm.run_due(ctx.now())?;
            if out.is_json() {
                return Ok(out.json(&report)?);
            }
            out.line(format!(
                "fired {}: {} queued, {} tasks, {} tags, {} awards, {} skipped",
                report.fired,
                report.queued,
                report.tasks,
                report.tags,
                report.awards,
                report.skipped
            ))?;
            Ok(())
        }
        AutomationCommand::Outbox(cmd) => outbox::run(ctx, out, cmd),
        AutomationCommand::Consent(cmd) => consent::run(ctx, out, cmd),
    }
}

/// Template variables from `--vars JSON` (an object); none gives an empty object.
fn parse_vars(text: Option<&str>) -> Result<Value> {
    match text {
        None => Ok(Value::Object(Map::new())),
        Some(text) => match serde_json::from_str(text) {
            Ok(value @ Value::Object(_)) => Ok(value),
            Ok(_) => Err(crmlite::Error::validation("vars", "must be a JSON object")),
            Err(e) => Err(crmlite::Error::validation(
                "vars",
                format!("is not JSON: {e}"),
            )),
        },
    }
}

/// The demo's automation: a birthday SMS template in five languages, a birthday trigger,
/// SMS marketing consent for the people who opted in, and two tasks.
pub fn seed_demo(crm: &Crm, now: Timestamp) -> Result<()> {
    crm.save_template(&NewTemplate::new(
        "birthday_sms",
        TemplateKind::Sms,
        TemplateFormat::Text,
        DEMO_GREETING,
    ))?;
    crm.add_trigger(&NewTrigger::new(
        "birthday",
        TriggerEvent::birthday("Asia/Yerevan"),
        TriggerAction::QueueMessage {
            channel: Channel::Sms,
            purpose: Purpose::Marketing,
            body_template: "birthday_sms".into(),
            subject_template: None,
        },
    ))?;
    let mut cursor = None;
    loop {
        let page = crm.list_customers(cursor.as_deref(), 100)?;
        for c in &page.items {
            if c.attributes.get("sms_opt_in") == Some(&AttributeValue::Boolean(true)) {
                let grant = NewConsent::grant(c.id, Channel::Sms, Purpose::Marketing, "demo", "v1");
                crm.record_consent(&grant)?;
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let aram = crm.customer_by_code(CustomerKind::Person, "AM-P-01")?;
    let call = NewTask::new("Զանգել Արամին պատվերի մասին", now.plus_days(1)?)
        .assignee("ani")
        .customer(aram.id);
    crm.add_task(&call)?;
    let stock = NewTask::new("Weekly stock check", now.plus_days(2)?)
        .assignee("levan")
        .recurrence("FREQ=WEEKLY");
    crm.add_task(&stock)?;
    Ok(())
}

/// The demo's birthday greeting: in the customer's language, with the date in their format.
const DEMO_GREETING: &str = "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', \
    'ka': 'გილოცავ დაბადების დღეს', 'el': 'Χρόνια πολλά', 'fa': 'تولدت مبارک'} %}\
    {% set lang = (customer.language or 'en')[:2] %}\
    {{ greet[lang] if lang in greet else 'Happy birthday' }}, {{ customer.first_name }}! ({{ today|date }})";
