//! `crmlite outbox ...`: messages waiting for the host to deliver them.

use clap::{Args, Subcommand};
use crmlite::automation::{Channel, MessageStatus, NewMessage, OutboxMessage, Purpose};
use crmlite::{CustomerId, Error, MessageId, Result};
use serde_json::json;

use super::parse_vars;
use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `outbox` subcommands.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Render a template for a customer and queue the message.
    Queue(QueueArgs),
    /// List messages in id order.
    List(ListArgs),
    /// Claim deliverable messages under a lease; deliver each, then ack or fail it with its token.
    Claim(ClaimArgs),
    /// Mark a claimed message delivered.
    Ack(AckArgs),
    /// Report a failed delivery; the message is offered again after --retry-after.
    Fail(FailArgs),
}

/// Arguments of `outbox queue`.
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// The customer id.
    customer: i64,
    /// The body template code.
    #[arg(long)]
    template: String,
    /// email or sms.
    #[arg(long)]
    channel: String,
    /// marketing (needs consent) or service.
    #[arg(long)]
    purpose: String,
    /// The subject template code (e-mail).
    #[arg(long, value_name = "TEMPLATE")]
    subject: Option<String>,
    /// Extra variables as a JSON object.
    #[arg(long, value_name = "JSON")]
    vars: Option<String>,
    /// A key that makes queueing idempotent (e.g. order-42-receipt).
    #[arg(long)]
    dedupe_key: Option<String>,
}

/// Arguments of `outbox list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only messages in this status: pending, claimed, sent, failed or cancelled.
    #[arg(long)]
    status: Option<String>,
    /// Start after this message id.
    #[arg(long)]
    after: Option<i64>,
    /// At most this many messages.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Arguments of `outbox claim`.
#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// At most this many messages.
    #[arg(long, default_value_t = 10)]
    limit: u32,
    /// Seconds the claim holds; unacked messages are handed out again after it.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    lease: i64,
}

/// Arguments of `outbox ack`.
#[derive(Debug, Args)]
pub struct AckArgs {
    /// The message id.
    id: i64,
    /// The token from `outbox claim`.
    token: String,
}

/// Arguments of `outbox fail`.
#[derive(Debug, Args)]
pub struct FailArgs {
    /// The message id.
    id: i64,
    /// The token from `outbox claim`.
    token: String,
    /// Seconds to wait before the message is offered again.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    retry_after: i64,
    /// What went wrong.
    #[arg(long, default_value = "")]
    error: String,
}

/// Runs one `outbox` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: OutboxCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        OutboxCommand::Queue(args) => {
            let mut new = NewMessage::new(
                CustomerId(args.customer),
                Channel::parse(&args.channel)?,
                Purpose::parse(&args.purpose)?,
                args.template,
            )
            .vars(parse_vars(args.vars.as_deref())?);
            if let Some(subject) = args.subject {
                new = new.subject_template(subject);
            }
            if let Some(key) = args.dedupe_key {
                new = new.dedupe_key(key);
            }
            let m = crm.queue_message(&new)?;
            if out.is_json() {
                return Ok(out.json(&m)?);
            }
            out.line(format!(
                "queued message #{} to {} by {}",
                m.id,
                m.recipient,
                m.channel.as_str()
            ))?;
            Ok(())
        }
        OutboxCommand::List(args) => {
            let status = args
                .status
                .as_deref()
                .map(MessageStatus::parse)
                .transpose()?;
            let items = crm.outbox_messages(args.after.map(MessageId), status, args.limit)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": items }))?);
            }
            print_messages(out, &items)
        }
        OutboxCommand::Claim(args) => {
            let lease_ms = seconds_to_ms(args.lease, "lease")?;
            let claims = crm.claim_messages(args.limit, lease_ms)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": claims }))?);
            }
            if claims.is_empty() {
                out.line("nothing to deliver")?;
                return Ok(());
            }
            for c in &claims {
                let m = &c.message;
                out.line(format!(
                    "message #{} to {} by {}, token {}",
                    m.id,
                    m.recipient,
                    m.channel.as_str(),
                    c.token
                ))?;
                if !m.subject.is_empty() {
                    out.line(format!("  subject: {}", m.subject))?;
                }
                out.line(format!("  {}", m.body))?;
            }
            Ok(())
        }
        OutboxCommand::Ack(args) => {
            let m = crm.ack_message(MessageId(args.id), &args.token)?;
            if out.is_json() {
                return Ok(out.json(&m)?);
            }
            out.line(format!("message #{} {}", m.id, m.status.as_str()))?;
            Ok(())
        }
        OutboxCommand::Fail(args) => {
            let retry_ms = seconds_to_ms(args.retry_after, "retry_after")?;
            let m = crm.fail_message(MessageId(args.id), &args.token, retry_ms, &args.error)?;
            if out.is_json() {
                return Ok(out.json(&m)?);
            }
            out.line(format!(
                "message #{} {}, next try after {}",
                m.id,
                m.status.as_str(),
                time(m.available_at)
            ))?;
            Ok(())
        }
    }
}

fn seconds_to_ms(seconds: i64, field: &str) -> Result<i64> {
    seconds
        .checked_mul(1000)
        .ok_or_else(|| Error::validation(field, "is too large"))
}

fn print_messages(out: &mut Output, items: &[OutboxMessage]) -> Result<(), Failure> {
    if items.is_empty() {
        out.line("no messages")?;
        return Ok(());
    }
    let mut table = Table::new(&["ID", "STATUS", "CHANNEL", "PURPOSE", "TO", "TRIES", "BODY"])
        .right(0)
        .right(5);
    for m in items {
        table.row(vec![
            m.id.to_string(),
            m.status.as_str().to_owned(),
            m.channel.as_str().to_owned(),
            m.purpose.as_str().to_owned(),
            m.recipient.clone(),
            m.attempts.to_string(),
            m.body.lines().next().unwrap_or_default().to_owned(),
        ]);
    }
    Ok(out.table(&table)?)
}
