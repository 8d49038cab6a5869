//! `crmlite triggers ...`: do something for a customer on a date or an event.

use clap::{ArgGroup, Args, Subcommand};
use crmlite::automation::{Channel, NewTrigger, Purpose, Trigger, TriggerAction, TriggerEvent};
use crmlite::deal::StageKind;
use crmlite::service::Severity;
use crmlite::timeline::InteractionKind;
use crmlite::{Error, ProgramId, Result, RuleId};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table};

/// The `triggers` subcommands.
#[derive(Debug, Subcommand)]
pub enum TriggersCommand {
    /// Add a trigger: one event (--on) and one action (--queue, --task, --add-tag, --remove-tag
    /// or --award-points).
    Add(Box<AddArgs>),
    /// List every trigger.
    List,
}

/// Arguments of `triggers add`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("action").required(true).args(["queue", "task", "add_tag", "remove_tag", "award_points"])))]
pub struct AddArgs {
    /// Unique code: a-z, 0-9, `_`, `-` and `.`.
    code: String,
    /// When it fires: birthday, created_at or attributes.<name> (a date, in the customer's
    /// time zone), customer-created, timeline:<kind> (e.g. timeline:complaint), purchase,
    /// deal-stage or deal-stage:<won|lost|open>, points-milestone:<points>, tier-changed,
    /// points-expiring:<days before>, no-purchase:<days>, complaint-opened or
    /// complaint-opened:<least severity: low|normal|high|critical>, or complaint-resolved.
    #[arg(long, value_name = "EVENT")]
    on: String,
    /// For a date: fire this many days after (negative: before) it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    offset_days: i32,
    /// For a date: the IANA time zone of customers without a time_zone attribute.
    #[arg(long, default_value = "UTC")]
    time_zone: String,
    /// Queue a message rendered from this body template.
    #[arg(long, value_name = "TEMPLATE", requires_all = ["channel", "purpose"])]
    queue: Option<String>,
    /// The message's channel: email or sms.
    #[arg(long, requires = "queue")]
    channel: Option<String>,
    /// The message's purpose: marketing (needs consent) or service.
    #[arg(long, requires = "queue")]
    purpose: Option<String>,
    /// The message's subject template (e-mail).
    #[arg(long, value_name = "TEMPLATE", requires = "queue")]
    subject: Option<String>,
    /// Create a task with this title about the customer.
    #[arg(long, value_name = "TITLE")]
    task: Option<String>,
    /// Who the task is for.
    #[arg(long, default_value = "", requires = "task")]
    assignee: String,
    /// The task is due this many days after the trigger fires.
    #[arg(long, default_value_t = 0, requires = "task")]
    due_in_days: u32,
    /// Add this tag to the customer.
    #[arg(long, value_name = "TAG")]
    add_tag: Option<String>,
    /// Remove this tag from the customer.
    #[arg(long, value_name = "TAG")]
    remove_tag: Option<String>,
    /// Award points on the customer's card in this loyalty program (the birthday bonus, or
    /// the bonus rule given with --rule), once per firing.
    #[arg(long, value_name = "PROGRAM")]
    award_points: Option<i64>,
    /// The bonus earn rule to award with --award-points.
    #[arg(long, value_name = "RULE", requires = "award_points")]
    rule: Option<i64>,
}

/// Runs one `triggers` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: TriggersCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        TriggersCommand::Add(args) => {
            let new = NewTrigger::new(args.code.as_str(), event(&args)?, action(&args)?);
            let trigger = crm.add_trigger(&new)?;
            if out.is_json() {
                return Ok(out.json(&trigger)?);
            }
            out.line(format!(
                "added trigger #{} {}: {} -> {}",
                trigger.id,
                trigger.code,
                describe(&trigger.event),
                describe(&trigger.action)
            ))?;
            Ok(())
        }
        TriggersCommand::List => {
            let all = crm.triggers()?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": all }))?);
            }
            print_triggers(out, &all)
        }
    }
}

fn event(args: &AddArgs) -> Result<TriggerEvent> {
    let on = args.on.trim();
    if on == "customer-created" {
        return Ok(TriggerEvent::CustomerCreated);
    }
    if let Some(kind) = on.strip_prefix("timeline:") {
        return Ok(TriggerEvent::TimelineEntry {
            kind: InteractionKind::parse(kind).map_err(|e| e.in_field("on"))?,
        });
    }
    match on {
        "purchase" => return Ok(TriggerEvent::PurchaseRecorded),
        "deal-stage" => return Ok(TriggerEvent::DealStageChanged { to: None }),
        "tier-changed" => return Ok(TriggerEvent::TierChanged),
        "complaint-opened" => return Ok(TriggerEvent::ComplaintOpened { min_severity: None }),
        "complaint-resolved" => return Ok(TriggerEvent::ComplaintResolved),
        _ => {}
    }
    if let Some(severity) = on.strip_prefix("complaint-opened:") {
        return Ok(TriggerEvent::ComplaintOpened {
            min_severity: Some(Severity::parse(severity, "on")?),
        });
    }
    if let Some(kind) = on.strip_prefix("deal-stage:") {
        return Ok(TriggerEvent::DealStageChanged {
            to: Some(StageKind::parse(kind, "on")?),
        });
    }
    if let Some(points) = on.strip_prefix("points-milestone:") {
        return Ok(TriggerEvent::PointsMilestone {
            points: number(points)?,
        });
    }
    if let Some(days) = on.strip_prefix("points-expiring:") {
        return Ok(TriggerEvent::PointsExpiring {
            days_before: number(days)?,
        });
    }
    if let Some(days) = on.strip_prefix("no-purchase:") {
        return Ok(TriggerEvent::NoPurchaseFor {
            days: number(days)?,
        });
    }
    Ok(TriggerEvent::Date {
        field: on.to_owned(),
        offset_days: args.offset_days,
        time_zone: args.time_zone.clone(),
    })
}

fn action(args: &AddArgs) -> Result<TriggerAction> {
    if let Some(template) = &args.queue {
        let channel = args
            .channel
            .as_deref()
            .ok_or_else(|| Error::validation("channel", "is required with --queue"))?;
        let purpose = args
            .purpose
            .as_deref()
            .ok_or_else(|| Error::validation("purpose", "is required with --queue"))?;
        return Ok(TriggerAction::QueueMessage {
            channel: Channel::parse(channel)?,
            purpose: Purpose::parse(purpose)?,
            body_template: template.clone(),
            subject_template: args.subject.clone(),
        });
    }
    if let Some(title) = &args.task {
        return Ok(TriggerAction::CreateTask {
            title: title.clone(),
            assignee: args.assignee.clone(),
            due_in_days: args.due_in_days,
        });
    }
    if let Some(tag) = &args.add_tag {
        return Ok(TriggerAction::AddTag { tag: tag.clone() });
    }
    if let Some(program) = args.award_points {
        return Ok(TriggerAction::AwardPoints {
            program: ProgramId(program),
            rule: args.rule.map(RuleId),
        });
    }
    match &args.remove_tag {
        Some(tag) => Ok(TriggerAction::RemoveTag { tag: tag.clone() }),
        None => Err(Error::validation(
            "action",
            "give --queue, --task, --add-tag, --remove-tag or --award-points",
        )),
    }
}

/// The number after the colon of an `--on` event.
fn number<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.trim()
        .parse()
        .map_err(|_| Error::validation("on", format!("{text:?} is not a whole number")))
}

/// A one-line description of an event or action: its JSON form without the quotes.
fn describe(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).map_or_else(|e| e.to_string(), |s| s.replace('"', ""))
}

fn print_triggers(out: &mut Output, all: &[Trigger]) -> Result<(), Failure> {
    if all.is_empty() {
        out.line("no triggers yet")?;
        return Ok(());
    }
    let mut table = Table::new(&["ID", "CODE", "ACTIVE", "ON", "ACTION"]).right(0);
    for t in all {
        table.row(vec![
            t.id.to_string(),
            t.code.clone(),
            if t.active { "yes" } else { "no" }.to_owned(),
            describe(&t.event),
            describe(&t.action),
        ]);
    }
    Ok(out.table(&table)?)
}
