//! Automation operations on the `Crm` handle.

use super::trigger::{CATCH_UP_DAYS, TIME_ZONE_ATTRIBUTE, fires_on, local_date, parse_zone};
use super::{
    Channel, Claim, Consent, Locale, MAX_ATTEMPTS, MessageStatus, NewConsent, NewMessage, NewTask,
    NewTemplate, NewTrigger, OutboxMessage, Purpose, RunReport, Task, TaskStatus, Template,
    TemplateFormat, Trigger, TriggerAction, TriggerEvent, TriggerRun,
};
use crate::changes::ChangeOp;
use crate::customer::service::get as get_customer;
use crate::customer::{AttributeValue, Customer, CustomerPatch, validate_patch};
use crate::deal::StageKind;
use crate::loyalty::LoyaltyEvent;
use crate::loyalty::service::award_event_keyed;
use crate::page::check_limit;
use crate::store::{ReadTx, WriteTx};
use crate::timeline::InteractionKind;
use crate::{
    CardId, ComplaintId, Crm, CustomerId, DealId, EntityKind, EntryId, Error, MessageId, OrderId,
    Result, TaskId, Timestamp, TriggerId,
};
use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Map, Value, json};

/// The longest lease a claim may ask for: one week.
const MAX_LEASE_MS: i64 = 7 * 86_400_000;
/// Customers read per batch by `run_due`.
const BATCH: u32 = 500;

/// A completed task and, for a recurring one, the next task of its series.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TaskCompletion {
    /// The task, now done.
    pub done: Task,
    /// The next occurrence, created open, if the rule has one.
    pub next: Option<Task>,
}

/// Something that happened, for event triggers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// A customer was added.
    CustomerCreated(CustomerId),
    /// A timeline entry was recorded.
    TimelineEntry {
        customer: CustomerId,
        kind: InteractionKind,
        entry: i64,
    },
    /// An order was recorded.
    PurchaseRecorded {
        customer: CustomerId,
        order: OrderId,
    },
    /// A deal moved into a stage of kind `to`; `change` is the stage-history row.
    DealStageChanged {
        customer: CustomerId,
        deal: DealId,
        to: StageKind,
        change: i64,
    },
    /// Points were awarded on a card: its available balance went from `before` to `after`.
    PointsAwarded {
        customer: CustomerId,
        card: CardId,
        entry: EntryId,
        before: i64,
        after: i64,
    },
    /// A card changed tier; `entry` is the timeline entry noting it.
    TierChanged {
        customer: CustomerId,
        card: CardId,
        entry: i64,
    },
    /// A complaint was opened.
    ComplaintOpened {
        customer: CustomerId,
        complaint: ComplaintId,
    },
    /// A complaint was resolved; `version` is its version after the resolution.
    ComplaintResolved {
        customer: CustomerId,
        complaint: ComplaintId,
        version: i64,
    },
}

/// What a firing is about, for the template context.
#[derive(Clone, Copy, Debug)]
enum Subject {
    /// Only the customer.
    Customer,
    /// An order (`order` in the context).
    Order(OrderId),
    /// A deal (`deal`).
    Deal(DealId),
    /// A loyalty card (`loyalty`: balance and tier).
    Card(CardId),
    /// A complaint (`complaint`); tasks link to it.
    Complaint(ComplaintId),
    /// A lot about to expire (`loyalty` and `expiring`).
    Lot {
        card: CardId,
        points: i64,
        expires_at: Timestamp,
    },
}

impl Crm {
    /// Stores a template under its code, or replaces the one with that code (version bumped).
    /// A template that does not compile is a validation error on `body` naming the line.
    pub fn save_template(&self, new: &NewTemplate) -> Result<Template> {
        let now = self.now();
        let fresh = new.validate(now)?;
        self.write(|tx| match tx.template_by_code(&fresh.code)? {
            Some(old) => {
                let next = Template {
                    id: old.id,
                    version: old
                        .version
                        .checked_add(1)
                        .ok_or_else(|| Error::validation("version", "overflows"))?,
                    created_at: old.created_at,
                    ..fresh.clone()
                };
                tx.update_template(&next)?;
                tx.record_change(EntityKind::Template, next.id.0, ChangeOp::Update, now)?;
                Ok(next)
            }
            None => {
                let stored = tx.insert_template(&fresh)?;
                tx.record_change(EntityKind::Template, stored.id.0, ChangeOp::Insert, now)?;
                Ok(stored)
            }
        })
    }

    /// One template by code.
    pub fn template(&self, code: &str) -> Result<Template> {
        let code = code.trim();
        self.read(|tx| tx.template_by_code(code))?
            .ok_or_else(|| Error::not_found(EntityKind::Template, code))
    }

    /// Every template, by code.
    pub fn templates(&self) -> Result<Vec<Template>> {
        self.read(|tx| tx.templates())
    }

    /// Renders a template for a customer (in their language) or for no one, with extra
    /// variables `vars` (a JSON object). Errors name the line and the cause.
    pub fn render_template(
        &self,
        code: &str,
        customer: Option<CustomerId>,
        vars: &Value,
    ) -> Result<String> {
        let now = self.now();
        self.read(|tx| {
            let template = tx
                .template_by_code(code.trim())?
                .ok_or_else(|| Error::not_found(EntityKind::Template, code))?;
            let customer = customer.map(|id| get_customer(tx, id)).transpose()?;
            render_for(tx, &template, customer.as_ref(), vars, now)
        })
    }

    /// Adds a task or reminder; a linked customer must exist.
    pub fn add_task(&self, new: &NewTask) -> Result<Task> {
        let now = self.now();
        let mut task = new.validate(now)?;
        self.write(|tx| {
            if let Some(c) = task.customer {
                get_customer(tx, c).map_err(|e| match e {
                    Error::NotFound { .. } => {
                        Error::validation("customer", format!("customer {c} does not exist"))
                    }
                    other => other,
                })?;
            }
            check_record(tx, &task.record)?;
            task.id = tx.insert_task(&task)?;
            tx.record_change(EntityKind::Task, task.id.0, ChangeOp::Insert, now)?;
            Ok(task.clone())
        })
    }

    /// One task by id.
    pub fn task(&self, id: TaskId) -> Result<Task> {
        self.read(|tx| tx.task(id))?
            .ok_or_else(|| Error::not_found(EntityKind::Task, id))
    }

    /// Marks an open task done; a recurring task's next occurrence is created in the same step.
    pub fn complete_task(&self, id: TaskId) -> Result<TaskCompletion> {
        let now = self.now();
        self.write(|tx| {
            let done = close_task(tx, id, TaskStatus::Done, now)?;
            let next = match done.next_occurrence(now)? {
                Some(mut next) => {
                    next.id = tx.insert_task(&next)?;
                    tx.record_change(EntityKind::Task, next.id.0, ChangeOp::Insert, now)?;
                    Some(next)
                }
                None => None,
            };
            Ok(TaskCompletion {
                done: done.clone(),
                next,
            })
        })
    }

    /// Cancels an open task (and so ends its series).
    pub fn cancel_task(&self, id: TaskId) -> Result<Task> {
        let now = self.now();
        self.write(|tx| close_task(tx, id, TaskStatus::Cancelled, now))
    }

    /// Open tasks due at or before `until`, earliest first, optionally of one assignee.
    pub fn due_tasks(
        &self,
        until: Timestamp,
        assignee: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Task>> {
        let limit = check_limit(limit)?;
        self.read(|tx| tx.open_tasks_due(None, until, assignee, limit))
    }

    /// Open tasks whose due time has passed as of now, earliest first.
    pub fn overdue_tasks(&self, assignee: Option<&str>, limit: u32) -> Result<Vec<Task>> {
        let limit = check_limit(limit)?;
        let before = Timestamp(self.now().0.saturating_sub(1));
        self.read(|tx| tx.open_tasks_due(None, before, assignee, limit))
    }

    /// Adds a trigger; templates it names must exist.
    pub fn add_trigger(&self, new: &NewTrigger) -> Result<Trigger> {
        let now = self.now();
        let mut trigger = new.validate(now)?;
        self.write(|tx| {
            if let TriggerAction::QueueMessage {
                body_template,
                subject_template,
                ..
            } = &trigger.action
            {
                for (field, code) in [
                    ("action.body_template", Some(body_template)),
                    ("action.subject_template", subject_template.as_ref()),
                ] {
                    if let Some(code) = code
                        && tx.template_by_code(code)?.is_none()
                    {
                        return Err(Error::validation(
                            field,
                            format!("template {code:?} does not exist"),
                        ));
                    }
                }
            }
            if let TriggerAction::AwardPoints { program, rule } = &trigger.action {
                if tx.program(*program)?.is_none() {
                    return Err(Error::validation(
                        "action.program",
                        format!("loyalty program {program} does not exist"),
                    ));
                }
                if let Some(rule) = rule
                    && !tx.earn_rules(*program)?.iter().any(|r| r.id == *rule)
                {
                    return Err(Error::validation(
                        "action.rule",
                        format!("earn rule {rule} is not in program {program}"),
                    ));
                }
            }
            if tx.trigger_by_code(&trigger.code)?.is_some() {
                return Err(Error::Conflict(format!(
                    "trigger code {:?} is already used",
                    trigger.code
                )));
            }
            trigger.id = tx.insert_trigger(&trigger)?;
            tx.record_change(EntityKind::Trigger, trigger.id.0, ChangeOp::Insert, now)?;
            Ok(trigger.clone())
        })
    }

    /// Turns a trigger on or off.
    pub fn set_trigger_active(&self, id: TriggerId, active: bool) -> Result<Trigger> {
        let now = self.now();
        self.write(|tx| {
            let mut t = tx
                .trigger(id)?
                .ok_or_else(|| Error::not_found(EntityKind::Trigger, id))?;
            if t.active != active {
                t.active = active;
                t.updated_at = now;
                tx.update_trigger(&t)?;
                tx.record_change(EntityKind::Trigger, id.0, ChangeOp::Update, now)?;
            }
            Ok(t)
        })
    }

    /// Every trigger, in id order.
    pub fn triggers(&self) -> Result<Vec<Trigger>> {
        self.read(|tx| tx.triggers())
    }

    /// What a trigger did, newest first.
    pub fn trigger_runs(&self, id: TriggerId, limit: u32) -> Result<Vec<TriggerRun>> {
        let limit = check_limit(limit)?;
        self.read(|tx| {
            tx.trigger(id)?
                .ok_or_else(|| Error::not_found(EntityKind::Trigger, id))?;
            tx.trigger_runs(id, limit)
        })
    }

    /// Fires every time trigger that is due at `now`: date triggers (in each customer's time
    /// zone) once per trigger, customer and date; expiring points once per lot; no purchase
    /// once per quiet spell. Running it again at the same `now` does nothing.
    pub fn run_due(&self, now: Timestamp) -> Result<RunReport> {
        self.write(|tx| {
            let mut report = RunReport::default();
            let triggers: Vec<Trigger> = tx
                .triggers()?
                .into_iter()
                .filter(|t| t.active && t.event.is_timed())
                .collect();
            let (per_lot, per_customer): (Vec<&Trigger>, Vec<&Trigger>) = triggers
                .iter()
                .partition(|t| matches!(t.event, TriggerEvent::PointsExpiring { .. }));
            for trigger in per_lot {
                let TriggerEvent::PointsExpiring { days_before } = trigger.event else {
                    continue;
                };
                for lot in tx.due_lots(now.plus_days(i64::from(days_before))?)? {
                    let Some(expires_at) = lot.expires_at.filter(|e| *e > now) else {
                        continue;
                    };
                    let Some(card) = tx.card(lot.card)? else {
                        continue;
                    };
                    let subject = Subject::Lot {
                        card: card.id,
                        points: lot.remaining,
                        expires_at,
                    };
                    fire(
                        tx,
                        trigger,
                        card.customer,
                        &format!("lot:{}", lot.id),
                        subject,
                        now,
                        &mut report,
                    )?;
                }
            }
            if per_customer.is_empty() {
                return Ok(report);
            }
            let mut after = None;
            loop {
                let batch = tx.customers_after(after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = Some(last.id);
                for customer in &batch {
                    let mut last_purchase = None;
                    for trigger in &per_customer {
                        let occurrence = match trigger.event {
                            TriggerEvent::NoPurchaseFor { days } => {
                                if last_purchase.is_none() {
                                    last_purchase = Some(
                                        tx.spend_facts(customer.id)?
                                            .iter()
                                            .map(|f| f.last_purchase)
                                            .max(),
                                    );
                                }
                                quiet_spell(last_purchase.flatten(), days, now)?
                            }
                            _ => due_day(trigger, customer, now)?,
                        };
                        if let Some(occurrence) = occurrence {
                            fire(
                                tx,
                                trigger,
                                customer.id,
                                &occurrence,
                                Subject::Customer,
                                now,
                                &mut report,
                            )?;
                        }
                    }
                }
            }
            Ok(report)
        })
    }

    /// Renders a message for a customer and queues it. A marketing message needs the
    /// customer's consent for the channel; the recipient is their primary e-mail or phone.
    /// A message with a dedupe key that was queued before is returned as it is; the same key
    /// for another customer, channel or purpose is a conflict.
    pub fn queue_message(&self, new: &NewMessage) -> Result<OutboxMessage> {
        let now = self.now();
        if let Some(key) = &new.dedupe_key {
            crate::customer::clean_text("dedupe_key", key, 200, true)?;
        }
        self.write(|tx| {
            if let Some(key) = &new.dedupe_key
                && let Some(existing) = tx.outbox_by_dedupe_key(key.trim())?
            {
                if (existing.customer, existing.channel, existing.purpose) != (Some(new.customer), new.channel, new.purpose) {
                    return Err(Error::Conflict(format!(
                        "dedupe_key {key:?} was used for message {} to another customer, channel or purpose",
                        existing.id
                    )));
                }
                return Ok(existing);
            }
            let customer = get_customer(tx, new.customer)?;
            let spec = MessageSpec {
                channel: new.channel,
                purpose: new.purpose,
                body_template: &new.body_template,
                subject_template: new.subject_template.as_deref(),
            };
            let mut message = prepare_message(tx, &customer, &spec, &new.vars, now)?;
            message.dedupe_key = new.dedupe_key.as_ref().map(|k| k.trim().to_owned());
            store_message(tx, message, now)
        })
    }

    /// Hands out up to `n` deliverable messages under a lease of `lease_ms` milliseconds.
    /// A message whose lease expires before it is acked is handed out again.
    pub fn claim_messages(&self, n: u32, lease_ms: i64) -> Result<Vec<Claim>> {
        let n = check_limit(n)?;
        if !(1..=MAX_LEASE_MS).contains(&lease_ms) {
            return Err(Error::validation(
                "lease_ms",
                format!("must be between 1 and {MAX_LEASE_MS}"),
            ));
        }
        let now = self.now();
        self.write(|tx| {
            let mut claims = Vec::new();
            for mut m in tx.claimable_messages(now, n)? {
                m.attempts = m
                    .attempts
                    .checked_add(1)
                    .ok_or_else(|| Error::validation("attempts", "overflows"))?;
                let token = format!("{}.{}.{}", m.id, m.attempts, now.0);
                m.status = MessageStatus::Claimed;
                m.lease_until = Some(Timestamp(now.0.saturating_add(lease_ms)));
                m.claim_token = Some(token.clone());
                m.updated_at = now;
                tx.update_outbox_message(&m)?;
                tx.record_change(EntityKind::OutboxMessage, m.id.0, ChangeOp::Update, now)?;
                claims.push(Claim { message: m, token });
            }
            Ok(claims)
        })
    }

    /// Marks a claimed message delivered. Acking again with the same token is a no-op; a wrong
    /// token or an expired lease is a conflict and changes nothing.
    pub fn ack_message(&self, id: MessageId, token: &str) -> Result<OutboxMessage> {
        let now = self.now();
        self.write(|tx| {
            let mut m = held_message(tx, id, token, now, true)?;
            if m.status == MessageStatus::Sent {
                return Ok(m);
            }
            m.status = MessageStatus::Sent;
            m.lease_until = None;
            m.updated_at = now;
            tx.update_outbox_message(&m)?;
            tx.record_change(EntityKind::OutboxMessage, id.0, ChangeOp::Update, now)?;
            Ok(m)
        })
    }

    /// Reports a failed delivery: the message is offered again after `retry_after_ms`, or
    /// given up after [`MAX_ATTEMPTS`] claims. A wrong token or an expired lease is a conflict.
    pub fn fail_message(
        &self,
        id: MessageId,
        token: &str,
        retry_after_ms: i64,
        error: &str,
    ) -> Result<OutboxMessage> {
        let now = self.now();
        if !(0..=MAX_LEASE_MS * 4).contains(&retry_after_ms) {
            return Err(Error::validation(
                "retry_after_ms",
                format!("must be between 0 and {}", MAX_LEASE_MS * 4),
            ));
        }
        let error = crate::customer::clean_text("error", error, 1000, false)?;
        self.write(|tx| {
            let mut m = held_message(tx, id, token, now, false)?;
            m.status = if m.attempts >= MAX_ATTEMPTS {
                MessageStatus::Failed
            } else {
                MessageStatus::Pending
            };
            m.available_at = Timestamp(now.0.saturating_add(retry_after_ms));
            m.lease_until = None;
            m.last_error = error.clone();
            m.updated_at = now;
            tx.update_outbox_message(&m)?;
            tx.record_change(EntityKind::OutboxMessage, id.0, ChangeOp::Update, now)?;
            Ok(m)
        })
    }

    /// One outbox message by id.
    pub fn outbox_message(&self, id: MessageId) -> Result<OutboxMessage> {
        self.read(|tx| tx.outbox_message(id))?
            .ok_or_else(|| Error::not_found(EntityKind::OutboxMessage, id))
    }

    /// Outbox messages after `after` in id order, optionally of one status.
    pub fn outbox_messages(
        &self,
        after: Option<MessageId>,
        status: Option<MessageStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>> {
        let limit = check_limit(limit)?;
        self.read(|tx| tx.outbox_messages(after, status, limit))
    }

    /// Records a consent decision. A marketing withdrawal cancels that customer's pending
    /// marketing messages on the channel, in the same transaction.
    pub fn record_consent(&self, new: &NewConsent) -> Result<Consent> {
        let now = self.now();
        let consent = new.validate(now)?;
        self.write(|tx| {
            get_customer(tx, consent.customer)?;
            let id = tx.insert_consent(&consent)?;
            tx.record_change(EntityKind::Consent, id, ChangeOp::Insert, now)?;
            if !consent.granted && consent.purpose == Purpose::Marketing {
                for m in tx.cancel_marketing_messages(consent.customer, consent.channel, now)? {
                    tx.record_change(EntityKind::OutboxMessage, m.0, ChangeOp::Update, now)?;
                }
            }
            Ok(consent.clone())
        })
    }

    /// The decisions in force for a customer, one per channel and purpose that has any.
    pub fn consents(&self, customer: CustomerId) -> Result<Vec<Consent>> {
        self.read(|tx| {
            get_customer(tx, customer)?;
            let mut out = Vec::new();
            for channel in Channel::ALL {
                for purpose in [Purpose::Marketing, Purpose::Service] {
                    out.extend(tx.current_consent(customer, *channel, purpose)?);
                }
            }
            Ok(out)
        })
    }

    /// Every consent decision of a customer, oldest first.
    pub fn consent_history(&self, customer: CustomerId) -> Result<Vec<Consent>> {
        self.read(|tx| {
            get_customer(tx, customer)?;
            tx.consent_history(customer)
        })
    }
}

/// Checks that a task's `complaint:<id>` link names an existing complaint.
fn check_record(tx: &mut dyn WriteTx, record: &str) -> Result<()> {
    let Some(id) = record.strip_prefix("complaint:") else {
        return Ok(());
    };
    let found = match id.parse::<i64>() {
        Ok(id) => tx.complaint(ComplaintId(id))?.is_some(),
        Err(_) => false,
    };
    if found {
        Ok(())
    } else {
        Err(Error::validation(
            "record",
            format!("complaint {id} does not exist"),
        ))
    }
}

fn close_task(
    tx: &mut dyn WriteTx,
    id: TaskId,
    status: TaskStatus,
    now: Timestamp,
) -> Result<Task> {
    let mut task = tx
        .task(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Task, id))?;
    if task.status != TaskStatus::Open {
        return Err(Error::Conflict(format!(
            "task {id} is already {}",
            task.status.as_str()
        )));
    }
    task.status = status;
    task.updated_at = now;
    tx.update_task(&task)?;
    tx.record_change(EntityKind::Task, id.0, ChangeOp::Update, now)?;
    Ok(task)
}

/// Loads a message and checks that `token` holds it (or, for an ack, held it when it was sent).
fn held_message(
    tx: &mut dyn WriteTx,
    id: MessageId,
    token: &str,
    now: Timestamp,
    ack: bool,
) -> Result<OutboxMessage> {
    let m = tx
        .outbox_message(id)?
        .ok_or_else(|| Error::not_found(EntityKind::OutboxMessage, id))?;
    let same = m.claim_token.as_deref() == Some(token);
    match m.status {
        MessageStatus::Sent if ack && same => Ok(m),
        MessageStatus::Claimed if same => match m.lease_until {
            Some(until) if until > now => Ok(m),
            _ => Err(Error::Conflict(format!(
                "the lease on message {id} has expired; it will be handed out again"
            ))),
        },
        _ => Err(Error::Conflict(format!(
            "message {id} is not held with this claim token ({})",
            m.status.as_str()
        ))),
    }
}

/// What to render and queue.
struct MessageSpec<'a> {
    channel: Channel,
    purpose: Purpose,
    body_template: &'a str,
    subject_template: Option<&'a str>,
}

/// Checks consent and the recipient, renders the templates; writes nothing.
fn prepare_message(
    tx: &mut dyn WriteTx,
    customer: &Customer,
    spec: &MessageSpec<'_>,
    vars: &Value,
    now: Timestamp,
) -> Result<OutboxMessage> {
    let recipient = match spec.channel {
        Channel::Email => customer.primary_email(),
        Channel::Sms => customer.primary_phone(),
        Channel::Phone | Channel::Post => {
            return Err(Error::validation("channel", "messages go by email or sms"));
        }
    }
    .ok_or_else(|| {
        Error::validation(
            "recipient",
            format!(
                "customer {} has no {} to send to",
                customer.id,
                spec.channel.as_str()
            ),
        )
    })?
    .to_owned();
    if spec.purpose == Purpose::Marketing {
        let ok = tx
            .current_consent(customer.id, spec.channel, Purpose::Marketing)?
            .is_some_and(|c| c.granted);
        if !ok {
            return Err(Error::validation(
                "consent",
                format!(
                    "customer {} has no marketing consent for {}",
                    customer.id,
                    spec.channel.as_str()
                ),
            ));
        }
    }
    let load = |tx: &mut dyn WriteTx, field: &str, code: &str| {
        tx.template_by_code(code)?
            .ok_or_else(|| Error::validation(field, format!("template {code:?} does not exist")))
    };
    let body_template = load(tx, "body_template", spec.body_template)?;
    let body = render_for(tx, &body_template, Some(customer), vars, now)?;
    let subject = match spec.subject_template {
        Some(code) => {
            let t = load(tx, "subject_template", code)?;
            render_for(tx, &t, Some(customer), vars, now)?
                .trim()
                .to_owned()
        }
        None => String::new(),
    };
    Ok(OutboxMessage {
        id: MessageId(0),
        customer: Some(customer.id),
        channel: spec.channel,
        purpose: spec.purpose,
        recipient,
        subject,
        body,
        html: body_template.format == TemplateFormat::Html,
        dedupe_key: None,
        status: MessageStatus::Pending,
        attempts: 0,
        available_at: now,
        lease_until: None,
        claim_token: None,
        last_error: String::new(),
        created_at: now,
        updated_at: now,
    })
}

fn store_message(
    tx: &mut dyn WriteTx,
    mut message: OutboxMessage,
    now: Timestamp,
) -> Result<OutboxMessage> {
    message.id = tx.insert_outbox_message(&message)?;
    tx.record_change(
        EntityKind::OutboxMessage,
        message.id.0,
        ChangeOp::Insert,
        now,
    )?;
    Ok(message)
}

/// The template context: the customer, their first organisation, today, and `vars`.
fn context(
    tx: &mut (impl ReadTx + ?Sized),
    customer: Option<&Customer>,
    vars: &Value,
    now: Timestamp,
) -> Result<Value> {
    let mut ctx = match vars {
        Value::Object(map) => map.clone(),
        Value::Null => Map::new(),
        _ => return Err(Error::validation("vars", "must be a JSON object")),
    };
    let today = now
        .to_datetime()
        .map(|d| d.date_naive().to_string())
        .unwrap_or_default();
    ctx.insert("today".into(), Value::String(today));
    if let Some(c) = customer {
        let attributes: Map<String, Value> = c
            .attributes
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    AttributeValue::Text(t) => json!(t),
                    AttributeValue::Integer(i) => json!(i),
                    AttributeValue::Boolean(b) => json!(b),
                    AttributeValue::Date(d) => json!(d.to_string()),
                    AttributeValue::Timestamp(t) => json!(t.to_rfc3339()),
                    AttributeValue::Money(m) => {
                        json!({"minor": m.minor, "currency": m.currency.code()})
                    }
                };
                (k.clone(), value)
            })
            .collect();
        let first_name = c.name.split_whitespace().next().unwrap_or("").to_owned();
        ctx.insert(
            "customer".into(),
            json!({
                "id": c.id.0,
                "kind": c.kind.as_str(),
                "name": c.name,
                "first_name": first_name,
                "email": c.primary_email(),
                "phone": c.primary_phone(),
                "birthday": c.birthday.map(|d| d.to_string()),
                "language": c.language,
                "tags": c.tags,
                "attributes": attributes,
                "external_code": c.external_code,
            }),
        );
        let organisation = match tx.customer_links(c.id)?.iter().find(|l| l.person == c.id) {
            Some(link) => tx
                .customer(link.organisation)?
                .map(|o| json!({"id": o.id.0, "name": o.name})),
            None => None,
        };
        ctx.insert("organisation".into(), organisation.unwrap_or(Value::Null));
    }
    Ok(Value::Object(ctx))
}

fn render_for(
    tx: &mut (impl ReadTx + ?Sized),
    template: &Template,
    customer: Option<&Customer>,
    vars: &Value,
    now: Timestamp,
) -> Result<String> {
    let ctx = context(tx, customer, vars, now)?;
    let locale = Locale::from_tag(customer.and_then(|c| c.language.as_deref()));
    super::template::render(&template.body, template.format, locale, &ctx)
        .map_err(|e| e.in_field(&format!("templates.{}", template.code)))
}

/// The local date (as text) on which a date trigger fires for a customer at `now`, if any:
/// today in the customer's zone, or a day missed within [`CATCH_UP_DAYS`] after the trigger existed.
fn due_day(trigger: &Trigger, customer: &Customer, now: Timestamp) -> Result<Option<String>> {
    let TriggerEvent::Date {
        field,
        offset_days,
        time_zone,
    } = &trigger.event
    else {
        return Ok(None);
    };
    let zone = match customer.attributes.get(TIME_ZONE_ATTRIBUTE) {
        Some(AttributeValue::Text(own)) => parse_zone(own).or_else(|_| parse_zone(time_zone))?,
        _ => parse_zone(time_zone)?,
    };
    let (base, yearly) = match field.as_str() {
        "birthday" => (customer.birthday, true),
        "created_at" => (local_date(customer.created_at, zone), false),
        other => match other
            .strip_prefix("attributes.")
            .and_then(|name| customer.attributes.get(name))
        {
            Some(AttributeValue::Date(d)) => (Some(*d), false),
            _ => (None, false),
        },
    };
    let (Some(base), Some(today), Some(since)) = (
        base,
        local_date(now, zone),
        local_date(trigger.created_at, zone),
    ) else {
        return Ok(None);
    };
    for lag in 0..=CATCH_UP_DAYS {
        let Some(day) = today.checked_sub_days(Days::new(lag)) else {
            break;
        };
        if day < since {
            break;
        }
        if fires_on(base, yearly, *offset_days, day) {
            return Ok(Some(day.to_string()));
        }
    }
    Ok(None)
}

/// The quiet spell (`quiet_since:<ms>`) a customer whose last purchase was at `last` is in at
/// `now`, if it has lasted at least `days` days.
fn quiet_spell(last: Option<Timestamp>, days: u32, now: Timestamp) -> Result<Option<String>> {
    let Some(last) = last else { return Ok(None) };
    Ok((last.plus_days(i64::from(days))? <= now).then(|| format!("quiet_since:{}", last.0)))
}

/// Fires the event triggers that match `event`, inside the caller's transaction, and says
/// how many fired (an action may have changed the customer).
pub(crate) fn on_event(tx: &mut dyn WriteTx, event: Event, now: Timestamp) -> Result<u32> {
    let triggers = tx.triggers()?;
    on_event_among(tx, &triggers, event, now)
}

/// [`on_event`] with the triggers already read (every trigger, in id order).
pub(crate) fn on_event_among(
    tx: &mut dyn WriteTx,
    triggers: &[Trigger],
    event: Event,
    now: Timestamp,
) -> Result<u32> {
    if triggers.is_empty() {
        return Ok(0);
    }
    let (customer, occurrence, subject) = match event {
        Event::CustomerCreated(c) => (c, format!("customer:{c}"), Subject::Customer),
        Event::TimelineEntry {
            customer, entry, ..
        } => (
            customer,
            format!("timeline_entry:{entry}"),
            Subject::Customer,
        ),
        Event::PurchaseRecorded { customer, order } => {
            (customer, format!("order:{order}"), Subject::Order(order))
        }
        Event::DealStageChanged {
            customer,
            deal,
            change,
            ..
        } => (
            customer,
            format!("deal_stage_change:{change}"),
            Subject::Deal(deal),
        ),
        Event::PointsAwarded {
            customer,
            card,
            entry,
            ..
        } => (
            customer,
            format!("ledger_entry:{entry}"),
            Subject::Card(card),
        ),
        Event::TierChanged {
            customer,
            card,
            entry,
        } => (
            customer,
            format!("tier_change:{entry}"),
            Subject::Card(card),
        ),
        Event::ComplaintOpened {
            customer,
            complaint,
        } => (
            customer,
            format!("complaint:{complaint}"),
            Subject::Complaint(complaint),
        ),
        Event::ComplaintResolved {
            customer,
            complaint,
            version,
        } => (
            customer,
            format!("complaint_resolved:{complaint}:v{version}"),
            Subject::Complaint(complaint),
        ),
    };
    let severity = match event {
        Event::ComplaintOpened { complaint, .. } => tx.complaint(complaint)?.map(|c| c.severity),
        _ => None,
    };
    let mut report = RunReport::default();
    for trigger in triggers {
        let matches = match (&trigger.event, event) {
            (TriggerEvent::CustomerCreated, Event::CustomerCreated(_))
            | (TriggerEvent::PurchaseRecorded, Event::PurchaseRecorded { .. })
            | (TriggerEvent::TierChanged, Event::TierChanged { .. })
            | (TriggerEvent::ComplaintResolved, Event::ComplaintResolved { .. }) => true,
            (TriggerEvent::ComplaintOpened { min_severity }, Event::ComplaintOpened { .. }) => {
                min_severity.is_none_or(|m| severity.is_some_and(|s| s >= m))
            }
            (TriggerEvent::TimelineEntry { kind }, Event::TimelineEntry { kind: k, .. }) => {
                *kind == k
            }
            (TriggerEvent::DealStageChanged { to }, Event::DealStageChanged { to: k, .. }) => {
                to.is_none_or(|t| t == k)
            }
            (
                TriggerEvent::PointsMilestone { points },
                Event::PointsAwarded { before, after, .. },
            ) => before < *points && after >= *points,
            _ => false,
        };
        if trigger.active && matches {
            fire(
                tx,
                trigger,
                customer,
                &occurrence,
                subject,
                now,
                &mut report,
            )?;
        }
    }
    Ok(report.fired)
}

/// Records a firing (once per occurrence) and performs its action. Bad data (no consent, no
/// recipient, a template error) is recorded as the outcome; storage errors abort.
fn fire(
    tx: &mut dyn WriteTx,
    trigger: &Trigger,
    customer: CustomerId,
    occurrence: &str,
    subject: Subject,
    now: Timestamp,
    report: &mut RunReport,
) -> Result<()> {
    let mut run = TriggerRun {
        trigger: trigger.id,
        customer,
        occurrence: occurrence.to_owned(),
        at: now,
        outcome: String::new(),
    };
    if !tx.insert_trigger_run(&run)? {
        return Ok(());
    }
    report.fired += 1;
    run.outcome = match act(tx, trigger, customer, occurrence, subject, now, report) {
        Ok(outcome) => outcome,
        Err(e @ Error::Validation { .. }) => {
            report.skipped += 1;
            format!("skipped: {e}")
        }
        Err(e) => return Err(e),
    };
    tx.set_trigger_run_outcome(&run)
}

fn act(
    tx: &mut dyn WriteTx,
    trigger: &Trigger,
    customer_id: CustomerId,
    occurrence: &str,
    subject: Subject,
    now: Timestamp,
    report: &mut RunReport,
) -> Result<String> {
    let customer = get_customer(tx, customer_id)?;
    match &trigger.action {
        TriggerAction::QueueMessage {
            channel,
            purpose,
            body_template,
            subject_template,
        } => {
            let spec = MessageSpec {
                channel: *channel,
                purpose: *purpose,
                body_template,
                subject_template: subject_template.as_deref(),
            };
            let mut vars = Map::new();
            vars.insert("trigger".into(), json!(trigger.code));
            vars.insert("occurrence".into(), json!(occurrence));
            subject_vars(tx, subject, &mut vars, now)?;
            let vars = Value::Object(vars);
            let mut message = prepare_message(tx, &customer, &spec, &vars, now)?;
            message.dedupe_key = Some(format!(
                "trigger:{}:{}:{occurrence}",
                trigger.id, customer_id
            ));
            let stored = store_message(tx, message, now)?;
            report.queued += 1;
            Ok(format!("queued message {}", stored.id))
        }
        TriggerAction::CreateTask {
            title,
            assignee,
            due_in_days,
        } => {
            let due = now.plus_days(i64::from(*due_in_days))?;
            let mut new = NewTask::new(title.clone(), due)
                .assignee(assignee.clone())
                .customer(customer_id);
            if let Subject::Complaint(id) = subject {
                new = new.record(format!("complaint:{id}"));
                if assignee.is_empty()
                    && let Some(c) = tx.complaint(id)?
                {
                    new = new.assignee(c.assignee);
                }
            }
            let mut task = new.validate(now)?;
            task.id = tx.insert_task(&task)?;
            tx.record_change(EntityKind::Task, task.id.0, ChangeOp::Insert, now)?;
            report.tasks += 1;
            Ok(format!("created task {}", task.id))
        }
        TriggerAction::AddTag { tag } | TriggerAction::RemoveTag { tag } => {
            let add = matches!(trigger.action, TriggerAction::AddTag { .. });
            let mut tags = customer.tags.clone();
            let had = tags.contains(tag);
            if had == add {
                return Ok(format!(
                    "tag {tag:?} already {}",
                    if add { "present" } else { "absent" }
                ));
            }
            if add {
                tags.push(tag.clone());
            } else {
                tags.retain(|t| t != tag);
            }
            let patch = CustomerPatch {
                tags: Some(tags),
                ..CustomerPatch::default()
            };
            let record = validate_patch(&customer, &patch, None, now)?;
            tx.update_customer(&record)?;
            tx.record_change(EntityKind::Customer, customer_id.0, ChangeOp::Update, now)?;
            report.tags += 1;
            Ok(format!(
                "{} tag {tag:?}",
                if add { "added" } else { "removed" }
            ))
        }
        TriggerAction::AwardPoints { program, rule } => {
            let card = tx.card_of(*program, customer_id)?.ok_or_else(|| {
                Error::validation(
                    "action.program",
                    format!("customer {customer_id} has no card in program {program}"),
                )
            })?;
            let event = match rule {
                Some(rule) => LoyaltyEvent::Bonus { rule: *rule },
                None => LoyaltyEvent::Birthday {
                    year: occurrence_year(occurrence, now),
                },
            };
            let key = format!("trigger:{}:{customer_id}:{occurrence}", trigger.id);
            let entry = award_event_keyed(tx, card.id, &event, &key, now).map_err(|e| match e {
                Error::NotFound { .. } => Error::validation("action", e.to_string()),
                other => other,
            })?;
            report.awards += 1;
            Ok(format!(
                "awarded {} points (ledger entry {})",
                entry.points, entry.id
            ))
        }
    }
}

/// The year of a date trigger's occurrence (`2026-12-07`), else of `now`.
fn occurrence_year(occurrence: &str, now: Timestamp) -> i32 {
    occurrence
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .or_else(|| now.to_datetime().map(|d| d.date_naive()))
        .map_or(1970, |d| d.year())
}

/// Adds what the firing is about to the template variables: `order`, `deal`, or `loyalty`
/// (card, program, available balance, tier) and `expiring` (points and when).
fn subject_vars(
    tx: &mut dyn WriteTx,
    subject: Subject,
    vars: &mut Map<String, Value>,
    now: Timestamp,
) -> Result<()> {
    match subject {
        Subject::Customer => {}
        Subject::Order(id) => {
            if let Some(o) = tx.order(id)? {
                vars.insert(
                    "order".into(),
                    json!({
                        "id": o.id.0,
                        "total": o.total.minor,
                        "paid": o.paid.minor,
                        "currency": o.currency.code(),
                        "at": o.at.to_rfc3339(),
                        "external_id": o.external_id,
                        "channel": o.channel,
                        "store": o.store,
                    }),
                );
            }
        }
        Subject::Deal(id) => {
            if let Some(d) = tx.deal(id)? {
                let stage = tx.stage(d.stage)?.map(|s| s.name);
                vars.insert(
                    "deal".into(),
                    json!({
                        "id": d.id.0,
                        "title": d.title,
                        "status": d.status.as_str(),
                        "stage": stage,
                        "amount": d.amount.minor,
                        "currency": d.amount.currency.code(),
                        "owner": d.owner,
                    }),
                );
            }
        }
        Subject::Card(card) => loyalty_vars(tx, card, vars, now)?,
        Subject::Complaint(id) => {
            if let Some(c) = tx.complaint(id)? {
                vars.insert(
                    "complaint".into(),
                    json!({
                        "id": c.id.0,
                        "subject": c.subject,
                        "description": c.description,
                        "status": c.status.as_str(),
                        "severity": c.severity.as_str(),
                        "category": c.category,
                        "channel": c.channel,
                        "assignee": c.assignee,
                        "response_due": c.response_due.to_rfc3339(),
                        "resolution_due": c.resolution_due.to_rfc3339(),
                        "resolution": c.resolution,
                        "deal": c.deal.map(|d| d.0),
                        "order": c.order.map(|o| o.0),
                    }),
                );
            }
        }
        Subject::Lot {
            card,
            points,
            expires_at,
        } => {
            loyalty_vars(tx, card, vars, now)?;
            vars.insert(
                "expiring".into(),
                json!({"points": points, "expires_at": expires_at.to_rfc3339()}),
            );
        }
    }
    Ok(())
}

fn loyalty_vars(
    tx: &mut dyn WriteTx,
    card: CardId,
    vars: &mut Map<String, Value>,
    now: Timestamp,
) -> Result<()> {
    let Some(card) = tx.card(card)? else {
        return Ok(());
    };
    let program = tx.program(card.program)?;
    let tier = match card.tier {
        Some(t) => tx
            .tiers(card.program)?
            .into_iter()
            .find(|x| x.id == t)
            .map(|x| x.name),
        None => None,
    };
    let balance = crate::loyalty::ledger::available(&tx.lots(card.id)?, now);
    vars.insert(
        "loyalty".into(),
        json!({
            "card": card.id.0,
            "code": card.code,
            "program": card.program.0,
            "program_name": program.map(|p| p.name),
            "balance": balance,
            "tier": tier,
        }),
    );
    Ok(())
}
