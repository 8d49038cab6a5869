//! Templates, tasks, triggers and their run log, the outbox and consents.

use crate::conn::{Row, SqlConn, SqlTx, Value, from_json, limit, to_json};
use crmlite_core::automation::{
    Channel, Consent, MessageStatus, OutboxMessage, Purpose, Task, TaskStatus, Template,
    TemplateFormat, TemplateKind, Trigger, TriggerRun,
};
use crmlite_core::store::{AutomationRead, AutomationWrite};
use crmlite_core::{
    CustomerId, EntityKind, Error, MessageId, Result, StorageKind, TaskId, TemplateId, Timestamp,
    TriggerId,
};

fn corrupt(what: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| Error::storage(StorageKind::Corrupt, format!("stored {what}: {e}"))
}

pub(crate) const TEMPLATE_COLUMNS: &str =
    "id, code, kind, format, body, version, created_at, updated_at";

pub(crate) fn template_from_row(r: &Row) -> Result<Template> {
    Ok(Template {
        id: TemplateId(r.int(0)?),
        code: r.text(1)?,
        kind: TemplateKind::parse(&r.text(2)?).map_err(corrupt("template kind"))?,
        format: TemplateFormat::parse(&r.text(3)?).map_err(corrupt("template format"))?,
        body: r.text(4)?,
        version: r.int(5)?,
        created_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

const TASK_COLUMNS: &str = "id, title, due, assignee, customer_id, record, status, recurrence, series_start, occurrence, created_at, updated_at";

fn task_from_row(r: &Row) -> Result<Task> {
    Ok(Task {
        id: TaskId(r.int(0)?),
        title: r.text(1)?,
        due: Timestamp(r.int(2)?),
        assignee: r.text(3)?,
        customer: r.opt_int(4)?.map(CustomerId),
        record: r.text(5)?,
        status: TaskStatus::parse(&r.text(6)?).map_err(corrupt("task status"))?,
        recurrence: r.opt_text(7)?,
        series_start: Timestamp(r.int(8)?),
        occurrence: u32::try_from(r.int(9)?)
            .map_err(|_| Error::storage(StorageKind::Corrupt, "task occurrence"))?,
        created_at: Timestamp(r.int(10)?),
        updated_at: Timestamp(r.int(11)?),
    })
}

fn task_values(t: &Task) -> Vec<Value> {
    vec![
        t.title.clone().into(),
        t.due.0.into(),
        t.assignee.clone().into(),
        t.customer.map(|c| c.0).into(),
        t.record.clone().into(),
        t.status.as_str().into(),
        t.recurrence.clone().into(),
        t.series_start.0.into(),
        i64::from(t.occurrence).into(),
        t.created_at.0.into(),
        t.updated_at.0.into(),
    ]
}

const TRIGGER_COLUMNS: &str = "id, code, event, action, active, created_at, updated_at";

fn trigger_from_row(r: &Row) -> Result<Trigger> {
    Ok(Trigger {
        id: TriggerId(r.int(0)?),
        code: r.text(1)?,
        event: from_json(&r.text(2)?, "trigger event")?,
        action: from_json(&r.text(3)?, "trigger action")?,
        active: r.bool(4)?,
        created_at: Timestamp(r.int(5)?),
        updated_at: Timestamp(r.int(6)?),
    })
}

const MESSAGE_COLUMNS: &str = "id, customer_id, channel, purpose, recipient, subject, body, html, dedupe_key, status, \
                               attempts, available_at, lease_until, claim_token, last_error, created_at, updated_at";

fn message_from_row(r: &Row) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: MessageId(r.int(0)?),
        customer: r.opt_int(1)?.map(CustomerId),
        channel: Channel::parse(&r.text(2)?).map_err(corrupt("message channel"))?,
        purpose: Purpose::parse(&r.text(3)?).map_err(corrupt("message purpose"))?,
        recipient: r.text(4)?,
        subject: r.text(5)?,
        body: r.text(6)?,
        html: r.bool(7)?,
        dedupe_key: r.opt_text(8)?,
        status: MessageStatus::parse(&r.text(9)?).map_err(corrupt("message status"))?,
        attempts: r.int(10)?,
        available_at: Timestamp(r.int(11)?),
        lease_until: r.opt_int(12)?.map(Timestamp),
        claim_token: r.opt_text(13)?,
        last_error: r.text(14)?,
        created_at: Timestamp(r.int(15)?),
        updated_at: Timestamp(r.int(16)?),
    })
}

fn message_values(m: &OutboxMessage) -> Vec<Value> {
    vec![
        m.customer.map(|c| c.0).into(),
        m.channel.as_str().into(),
        m.purpose.as_str().into(),
        m.recipient.clone().into(),
        m.subject.clone().into(),
        m.body.clone().into(),
        m.html.into(),
        m.dedupe_key.clone().into(),
        m.status.as_str().into(),
        m.attempts.into(),
        m.available_at.0.into(),
        m.lease_until.map(|t| t.0).into(),
        m.claim_token.clone().into(),
        m.last_error.clone().into(),
        m.created_at.0.into(),
        m.updated_at.0.into(),
    ]
}

pub(crate) const CONSENT_COLUMNS: &str =
    "customer_id, channel, purpose, granted, at, source, text_version";

pub(crate) fn consent_from_row(r: &Row) -> Result<Consent> {
    Ok(Consent {
        customer: CustomerId(r.int(0)?),
        channel: Channel::parse(&r.text(1)?).map_err(corrupt("consent channel"))?,
        purpose: Purpose::parse(&r.text(2)?).map_err(corrupt("consent purpose"))?,
        granted: r.bool(3)?,
        at: Timestamp(r.int(4)?),
        source: r.text(5)?,
        text_version: r.text(6)?,
    })
}

fn expect_one(n: u64, kind: EntityKind, id: i64) -> Result<()> {
    if n == 1 {
        Ok(())
    } else {
        Err(Error::not_found(kind, id))
    }
}

impl<C: SqlConn> AutomationRead for SqlTx<C> {
    fn template_by_code(&mut self, code: &str) -> Result<Option<Template>> {
        self.0
            .query_opt(
                &format!("SELECT {TEMPLATE_COLUMNS} FROM templates WHERE code = ?1"),
                &[code.into()],
            )?
            .map(|r| template_from_row(&r))
            .transpose()
    }

    fn templates(&mut self) -> Result<Vec<Template>> {
        let rows = self.0.query(
            &format!("SELECT {TEMPLATE_COLUMNS} FROM templates ORDER BY code"),
            &[],
        )?;
        rows.iter().map(template_from_row).collect()
    }

    fn task(&mut self, id: TaskId) -> Result<Option<Task>> {
        self.0
            .query_opt(
                &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| task_from_row(&r))
            .transpose()
    }

    fn open_tasks_due(
        &mut self,
        after: Option<Timestamp>,
        until: Timestamp,
        assignee: Option<&str>,
        n: u32,
    ) -> Result<Vec<Task>> {
        let rows = self.0.query(
            &format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE status = 'open' AND due > ?1 AND due <= ?2 \
                 AND (?3 = '' OR assignee = ?3) ORDER BY due, id LIMIT ?4"
            ),
            &[
                after.map_or(i64::MIN, |t| t.0).into(),
                until.0.into(),
                assignee.unwrap_or("").into(),
                limit(n),
            ],
        )?;
        rows.iter().map(task_from_row).collect()
    }

    fn trigger(&mut self, id: TriggerId) -> Result<Option<Trigger>> {
        self.0
            .query_opt(
                &format!("SELECT {TRIGGER_COLUMNS} FROM triggers WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| trigger_from_row(&r))
            .transpose()
    }

    fn trigger_by_code(&mut self, code: &str) -> Result<Option<Trigger>> {
        self.0
            .query_opt(
                &format!("SELECT {TRIGGER_COLUMNS} FROM triggers WHERE code = ?1"),
                &[code.into()],
            )?
            .map(|r| trigger_from_row(&r))
            .transpose()
    }

    fn triggers(&mut self) -> Result<Vec<Trigger>> {
        let rows = self.0.query(
            &format!("SELECT {TRIGGER_COLUMNS} FROM triggers ORDER BY id"),
            &[],
        )?;
        rows.iter().map(trigger_from_row).collect()
    }

    fn trigger_runs(&mut self, trigger: TriggerId, n: u32) -> Result<Vec<TriggerRun>> {
        let rows = self.0.query(
            "SELECT trigger_id, customer_id, occurrence, at, outcome FROM trigger_runs WHERE trigger_id = ?1 \
             ORDER BY at DESC, customer_id DESC, occurrence DESC LIMIT ?2",
            &[trigger.0.into(), limit(n)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(TriggerRun {
                    trigger: TriggerId(r.int(0)?),
                    customer: CustomerId(r.int(1)?),
                    occurrence: r.text(2)?,
                    at: Timestamp(r.int(3)?),
                    outcome: r.text(4)?,
                })
            })
            .collect()
    }

    fn outbox_message(&mut self, id: MessageId) -> Result<Option<OutboxMessage>> {
        self.0
            .query_opt(
                &format!("SELECT {MESSAGE_COLUMNS} FROM outbox WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| message_from_row(&r))
            .transpose()
    }

    fn outbox_by_dedupe_key(&mut self, key: &str) -> Result<Option<OutboxMessage>> {
        self.0
            .query_opt(
                &format!("SELECT {MESSAGE_COLUMNS} FROM outbox WHERE dedupe_key = ?1"),
                &[key.into()],
            )?
            .map(|r| message_from_row(&r))
            .transpose()
    }

    fn outbox_messages(
        &mut self,
        after: Option<MessageId>,
        status: Option<MessageStatus>,
        n: u32,
    ) -> Result<Vec<OutboxMessage>> {
        let rows = self.0.query(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE id > ?1 AND (?2 = '' OR status = ?2) ORDER BY id LIMIT ?3"
            ),
            &[after.map_or(0, |m| m.0).into(), status.map_or("", MessageStatus::as_str).into(), limit(n)],
        )?;
        rows.iter().map(message_from_row).collect()
    }

    fn claimable_messages(&mut self, now: Timestamp, n: u32) -> Result<Vec<OutboxMessage>> {
        let rows = self.0.query(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox \
                 WHERE (status = 'pending' AND available_at <= ?1) OR (status = 'claimed' AND lease_until <= ?1) \
                 ORDER BY id LIMIT ?2"
            ),
            &[now.0.into(), limit(n)],
        )?;
        rows.iter().map(message_from_row).collect()
    }

    fn current_consent(
        &mut self,
        customer: CustomerId,
        channel: Channel,
        purpose: Purpose,
    ) -> Result<Option<Consent>> {
        self.0
            .query_opt(
                &format!(
                    "SELECT {CONSENT_COLUMNS} FROM consents WHERE customer_id = ?1 AND channel = ?2 AND purpose = ?3 \
                     ORDER BY id DESC LIMIT 1"
                ),
                &[customer.0.into(), channel.as_str().into(), purpose.as_str().into()],
            )?
            .map(|r| consent_from_row(&r))
            .transpose()
    }

    fn consent_history(&mut self, customer: CustomerId) -> Result<Vec<Consent>> {
        let rows = self.0.query(
            &format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE customer_id = ?1 ORDER BY id"),
            &[customer.0.into()],
        )?;
        rows.iter().map(consent_from_row).collect()
    }
}

impl<C: SqlConn> AutomationWrite for SqlTx<C> {
    fn insert_template(&mut self, t: &Template) -> Result<Template> {
        let row = self.0.query_one(
            "INSERT INTO templates (code, kind, format, body, version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                t.code.clone().into(),
                t.kind.as_str().into(),
                t.format.as_str().into(),
                t.body.clone().into(),
                t.version.into(),
                t.created_at.0.into(),
                t.updated_at.0.into(),
            ],
        )?;
        Ok(Template {
            id: TemplateId(row.int(0)?),
            ..t.clone()
        })
    }

    fn update_template(&mut self, t: &Template) -> Result<()> {
        let n = self.0.execute(
            "UPDATE templates SET code = ?1, kind = ?2, format = ?3, body = ?4, version = ?5, created_at = ?6, \
             updated_at = ?7 WHERE id = ?8",
            &[
                t.code.clone().into(),
                t.kind.as_str().into(),
                t.format.as_str().into(),
                t.body.clone().into(),
                t.version.into(),
                t.created_at.0.into(),
                t.updated_at.0.into(),
                t.id.0.into(),
            ],
        )?;
        expect_one(n, EntityKind::Template, t.id.0)
    }

    fn insert_task(&mut self, t: &Task) -> Result<TaskId> {
        let row = self.0.query_one(
            "INSERT INTO tasks (title, due, assignee, customer_id, record, status, recurrence, series_start, \
             occurrence, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            &task_values(t),
        )?;
        Ok(TaskId(row.int(0)?))
    }

    fn update_task(&mut self, t: &Task) -> Result<()> {
        let mut params = task_values(t);
        params.push(t.id.0.into());
        let n = self.0.execute(
            "UPDATE tasks SET title = ?1, due = ?2, assignee = ?3, customer_id = ?4, record = ?5, status = ?6, \
             recurrence = ?7, series_start = ?8, occurrence = ?9, created_at = ?10, updated_at = ?11 WHERE id = ?12",
            &params,
        )?;
        expect_one(n, EntityKind::Task, t.id.0)
    }

    fn insert_trigger(&mut self, t: &Trigger) -> Result<TriggerId> {
        let row = self.0.query_one(
            "INSERT INTO triggers (code, event, action, active, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            &[
                t.code.clone().into(),
                to_json(&t.event)?.into(),
                to_json(&t.action)?.into(),
                t.active.into(),
                t.created_at.0.into(),
                t.updated_at.0.into(),
            ],
        )?;
        Ok(TriggerId(row.int(0)?))
    }

    fn update_trigger(&mut self, t: &Trigger) -> Result<()> {
        let n = self.0.execute(
            "UPDATE triggers SET code = ?1, event = ?2, action = ?3, active = ?4, created_at = ?5, updated_at = ?6 \
             WHERE id = ?7",
            &[
                t.code.clone().into(),
                to_json(&t.event)?.into(),
                to_json(&t.action)?.into(),
                t.active.into(),
                t.created_at.0.into(),
                t.updated_at.0.into(),
                t.id.0.into(),
            ],
        )?;
        expect_one(n, EntityKind::Trigger, t.id.0)
    }

    fn insert_trigger_run(&mut self, run: &TriggerRun) -> Result<bool> {
        let n = self.0.execute(
            "INSERT INTO trigger_runs (trigger_id, customer_id, occurrence, at, outcome) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT DO NOTHING",
            &[
                run.trigger.0.into(),
                run.customer.0.into(),
                run.occurrence.clone().into(),
                run.at.0.into(),
                run.outcome.clone().into(),
            ],
        )?;
        Ok(n == 1)
    }

    fn set_trigger_run_outcome(&mut self, run: &TriggerRun) -> Result<()> {
        let n = self.0.execute(
            "UPDATE trigger_runs SET outcome = ?1 WHERE trigger_id = ?2 AND customer_id = ?3 AND occurrence = ?4",
            &[run.outcome.clone().into(), run.trigger.0.into(), run.customer.0.into(), run.occurrence.clone().into()],
        )?;
        expect_one(n, EntityKind::Trigger, run.trigger.0)
    }

    fn insert_outbox_message(&mut self, m: &OutboxMessage) -> Result<MessageId> {
        let row = self.0.query_one(
            "INSERT INTO outbox (customer_id, channel, purpose, recipient, subject, body, html, dedupe_key, status, \
             attempts, available_at, lease_until, claim_token, last_error, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id",
            &message_values(m),
        )?;
        Ok(MessageId(row.int(0)?))
    }

    fn update_outbox_message(&mut self, m: &OutboxMessage) -> Result<()> {
        let mut params = message_values(m);
        params.push(m.id.0.into());
        let n = self.0.execute(
            "UPDATE outbox SET customer_id = ?1, channel = ?2, purpose = ?3, recipient = ?4, subject = ?5, body = ?6, \
             html = ?7, dedupe_key = ?8, status = ?9, attempts = ?10, available_at = ?11, lease_until = ?12, \
             claim_token = ?13, last_error = ?14, created_at = ?15, updated_at = ?16 WHERE id = ?17",
            &params,
        )?;
        expect_one(n, EntityKind::OutboxMessage, m.id.0)
    }

    fn cancel_marketing_messages(
        &mut self,
        customer: CustomerId,
        channel: Channel,
        at: Timestamp,
    ) -> Result<Vec<MessageId>> {
        let params = [customer.0.into(), channel.as_str().into()];
        let rows = self.0.query(
            "SELECT id FROM outbox WHERE customer_id = ?1 AND channel = ?2 AND purpose = 'marketing' \
             AND status = 'pending' ORDER BY id",
            &params,
        )?;
        let ids: Vec<MessageId> = rows
            .iter()
            .map(|r| r.int(0).map(MessageId))
            .collect::<Result<_>>()?;
        for id in &ids {
            self.0.execute(
                "UPDATE outbox SET status = 'cancelled', updated_at = ?1 WHERE id = ?2",
                &[at.0.into(), id.0.into()],
            )?;
        }
        Ok(ids)
    }

    fn insert_consent(&mut self, c: &Consent) -> Result<i64> {
        self.0
            .query_one(
                "INSERT INTO consents (customer_id, channel, purpose, granted, at, source, text_version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &[
                    c.customer.0.into(),
                    c.channel.as_str().into(),
                    c.purpose.as_str().into(),
                    c.granted.into(),
                    c.at.0.into(),
                    c.source.clone().into(),
                    c.text_version.clone().into(),
                ],
            )?
            .int(0)
    }
}
