//! External id mappings and named sync consumers over the change feed.

use super::{DirectoryKind, Entry, ExternalId};
use crate::automation::{Consent, OutboxMessage, Task, Template, Trigger};
use crate::changes::{Change, ChangeOp};
use crate::customer::{Customer, CustomerLink, clean_text};
use crate::deal::{Deal, DealStageChange, LostReason, Pipeline, Stage};
use crate::loyalty::{Card, EarnRule, LedgerEntry, Program, Reward, Tier};
use crate::page::check_limit;
use crate::sales::{Order, Return};
use crate::service::{Complaint, NpsResponse};
use crate::store::ReadTx;
use crate::timeline::TimelineEntry;
use crate::{
    CardId, ComplaintId, Crm, CustomerId, DealId, DealStageChangeId, EntityKind, EntryId, Error,
    LostReasonId, MessageId, NpsResponseId, OrderId, PipelineId, ProgramId, Result, ReturnId,
    RewardId, RuleId, StageId, TaskId, TemplateId, TierId, TimelineEntryId, TriggerId,
};

/// The current state of a changed record, as [`Crm::sync_pull`] returns it: one variant per
/// record kind of the change feed, or a tombstone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "record", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SyncRecord {
    /// A customer (person or organisation) as it is now.
    Customer(Box<Customer>),
    /// The links of the person named by the change, as they are now (a link has no id of its own).
    CustomerLinks(Vec<CustomerLink>),
    /// A timeline entry.
    TimelineEntry(Box<TimelineEntry>),
    /// A message template as it is now.
    Template(Box<Template>),
    /// A task as it is now.
    Task(Box<Task>),
    /// An automation trigger as it is now.
    Trigger(Box<Trigger>),
    /// An outbox message as it is now.
    OutboxMessage(Box<OutboxMessage>),
    /// A consent decision.
    Consent(Box<Consent>),
    /// A deal pipeline with its stages as it is now.
    Pipeline(Box<Pipeline>),
    /// A pipeline stage as it is now.
    Stage(Box<Stage>),
    /// A deal as it is now.
    Deal(Box<Deal>),
    /// A lost reason as it is now.
    LostReason(Box<LostReason>),
    /// A row of a deal's stage history.
    DealStageChange(Box<DealStageChange>),
    /// A user-defined directory kind.
    DirectoryKind(Box<DirectoryKind>),
    /// A directory entry as it is now.
    Entry(Box<Entry>),
    /// An external id mapping as it is now.
    ExternalId(ExternalId),
    /// A sales order (an invoice or receipt) with its lines.
    Order(Box<Order>),
    /// A return against an order.
    Return(Box<Return>),
    /// A loyalty program.
    LoyaltyProgram(Box<Program>),
    /// A loyalty card as it is now.
    LoyaltyCard(Box<Card>),
    /// An earn rule.
    EarnRule(Box<EarnRule>),
    /// A tier of a loyalty program.
    Tier(Box<Tier>),
    /// A reward of a loyalty catalogue.
    Reward(Box<Reward>),
    /// An entry of the points ledger.
    LedgerEntry(Box<LedgerEntry>),
    /// A complaint as it is now.
    Complaint(Box<Complaint>),
    /// An NPS answer.
    NpsResponse(Box<NpsResponse>),
    /// The record no longer exists.
    Tombstone,
}

/// One change of the feed with the record's current state.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SyncItem {
    /// The change.
    pub change: Change,
    /// The record now.
    pub record: SyncRecord,
}

fn system_name(system: &str) -> Result<String> {
    clean_text("system", system, 64, true)
}

fn external_key(external_id: &str) -> Result<String> {
    clean_text("external_id", external_id, 200, true)
}

/// Whether the record `(entity, id)` exists. Kinds without ids of their own (customer links,
/// whose change names the person, and external ids themselves) are a validation error.
fn record_exists(tx: &mut (impl ReadTx + ?Sized), entity: EntityKind, id: i64) -> Result<bool> {
    match entity {
        EntityKind::CustomerLink => Err(Error::validation(
            "entity",
            "a customer link has no id of its own; map the person or the organisation",
        )),
        EntityKind::ExternalId => Err(Error::validation(
            "entity",
            "an external id cannot itself be mapped to an external id",
        )),
        other => tx.record_exists(other, id),
    }
}

impl Crm {
    /// Maps a record of any kind with an id (a customer or organisation, deal, order, return,
    /// directory entry, loyalty card, task, template...) to its id in an external system. A
    /// record may have ids in several systems. Mapping the same pair again returns the first
    /// mapping; an unknown record is not found; a `(system, external_id)` already mapped to
    /// another record is a conflict naming the field (`external_id: ...`).
    pub fn map_external_id(
        &self,
        system: &str,
        external_id: &str,
        entity: EntityKind,
        id: i64,
    ) -> Result<ExternalId> {
        let now = self.now();
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.write(|tx| {
            if !record_exists(tx, entity, id)? {
                return Err(Error::not_found(entity, id));
            }
            if let Some(found) = tx.external_id(&system, &external_id)? {
                if found.entity == entity && found.entity_id == id {
                    return Ok(found);
                }
                return Err(Error::Conflict(format!(
                    "external_id: {system} id {external_id:?} is already mapped to {} {}",
                    found.entity, found.entity_id
                )));
            }
            let mut mapping = ExternalId {
                id: 0,
                system: system.clone(),
                external_id: external_id.clone(),
                entity,
                entity_id: id,
                created_at: now,
            };
            mapping.id = tx.insert_external_id(&mapping)?;
            tx.record_change(EntityKind::ExternalId, mapping.id, ChangeOp::Insert, now)?;
            Ok(mapping)
        })
    }

    /// The record that `(system, external_id)` maps to, if any (the lookup from the external
    /// side; [`Crm::external_ids`] is the lookup from the crmlite side).
    pub fn resolve_external_id(
        &self,
        system: &str,
        external_id: &str,
    ) -> Result<Option<ExternalId>> {
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.read(|tx| tx.external_id(&system, &external_id))
    }

    /// Every external id of one record, by system; an unknown record is not found.
    pub fn external_ids(&self, entity: EntityKind, id: i64) -> Result<Vec<ExternalId>> {
        self.read(|tx| {
            if !record_exists(tx, entity, id)? {
                return Err(Error::not_found(entity, id));
            }
            tx.external_ids_of(entity, id)
        })
    }

    /// The id that record `(entity, id)` has in external system `system`, if any (the first
    /// by external id if it has several there); an unknown record is not found.
    pub fn external_id_of(
        &self,
        system: &str,
        entity: EntityKind,
        id: i64,
    ) -> Result<Option<ExternalId>> {
        let system = system_name(system)?;
        Ok(self
            .external_ids(entity, id)?
            .into_iter()
            .find(|m| m.system == system))
    }

    /// Removes the mapping of `(system, external_id)`; an unknown one is not found.
    pub fn unmap_external_id(&self, system: &str, external_id: &str) -> Result<()> {
        let now = self.now();
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.write(|tx| {
            let found = tx.external_id(&system, &external_id)?.ok_or_else(|| {
                Error::not_found(EntityKind::ExternalId, format!("{system}:{external_id}"))
            })?;
            tx.delete_external_id(found.id)?;
            tx.record_change(EntityKind::ExternalId, found.id, ChangeOp::Delete, now)?;
            Ok(())
        })
    }

    /// The change-feed position that the sync consumer `name` has acknowledged (0 if none yet).
    pub fn sync_cursor(&self, name: &str) -> Result<i64> {
        let name = clean_text("name", name, 64, true)?;
        Ok(self.read(|tx| tx.sync_cursor(&name))?.unwrap_or(0))
    }

    /// Acknowledges everything up to `seq` for consumer `name`. The cursor never moves back
    /// and never past the newest change.
    pub fn advance_sync_cursor(&self, name: &str, seq: i64) -> Result<()> {
        let now = self.now();
        let name = clean_text("name", name, 64, true)?;
        self.write(|tx| {
            let current = tx.sync_cursor(&name)?.unwrap_or(0);
            if seq < current {
                return Err(Error::validation(
                    "seq",
                    format!("{seq} is behind the acknowledged {current}"),
                ));
            }
            let latest = tx.latest_change_seq()?;
            if seq > latest {
                return Err(Error::validation(
                    "seq",
                    format!("{seq} is past the newest change {latest}"),
                ));
            }
            if seq != current {
                tx.set_sync_cursor(&name, seq, now)?;
            }
            Ok(())
        })
    }

    /// The next changes after consumer `name`'s cursor, each with its record as it is now
    /// (or a tombstone), in feed order. Does not move the cursor: acknowledge with
    /// [`Crm::advance_sync_cursor`] once they are applied.
    pub fn sync_pull(&self, name: &str, limit: u32) -> Result<Vec<SyncItem>> {
        let limit = check_limit(limit)?;
        let name = clean_text("name", name, 64, true)?;
        self.read(|tx| {
            let after = tx.sync_cursor(&name)?.unwrap_or(0);
            let changes = tx.changes_since(after, limit)?;
            changes
                .into_iter()
                .map(|change| {
                    let record = current_state(tx, &change)?;
                    Ok(SyncItem { change, record })
                })
                .collect()
        })
    }

    /// [`Crm::sync_pull`] as JSON Lines, one item per line (`{"change":{"seq":..},"record":..}`),
    /// amounts as integer minor units; acknowledge the last line's `change.seq` when applied.
    pub fn sync_pull_json_lines(&self, name: &str, limit: u32) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for item in self.sync_pull(name, limit)? {
            serde_json::to_writer(&mut out, &item).map_err(|e| {
                Error::validation("record", format!("cannot be written as JSON: {e}"))
            })?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

fn current_state(tx: &mut (impl ReadTx + ?Sized), change: &Change) -> Result<SyncRecord> {
    use SyncRecord as R;
    if change.op == ChangeOp::Delete && change.entity != EntityKind::CustomerLink {
        return Ok(R::Tombstone);
    }
    let id = change.entity_id;
    fn boxed<T>(found: Option<T>, wrap: impl FnOnce(Box<T>) -> SyncRecord) -> SyncRecord {
        found.map_or(SyncRecord::Tombstone, |v| wrap(Box::new(v)))
    }
    Ok(match change.entity {
        EntityKind::Customer => boxed(tx.customer(CustomerId(id))?, R::Customer),
        EntityKind::CustomerLink => R::CustomerLinks(tx.customer_links(CustomerId(id))?),
        EntityKind::TimelineEntry => {
            boxed(tx.timeline_entry(TimelineEntryId(id))?, R::TimelineEntry)
        }
        EntityKind::Template => boxed(tx.template_by_id(TemplateId(id))?, R::Template),
        EntityKind::Task => boxed(tx.task(TaskId(id))?, R::Task),
        EntityKind::Trigger => boxed(tx.trigger(TriggerId(id))?, R::Trigger),
        EntityKind::OutboxMessage => boxed(tx.outbox_message(MessageId(id))?, R::OutboxMessage),
        EntityKind::Consent => boxed(tx.consent_by_id(id)?, R::Consent),
        EntityKind::Pipeline => boxed(tx.pipeline(PipelineId(id))?, R::Pipeline),
        EntityKind::Stage => boxed(tx.stage(StageId(id))?, R::Stage),
        EntityKind::Deal => boxed(tx.deal(DealId(id))?, R::Deal),
        EntityKind::LostReason => boxed(tx.lost_reason(LostReasonId(id))?, R::LostReason),
        EntityKind::DealStageChange => boxed(
            tx.deal_stage_change(DealStageChangeId(id))?,
            R::DealStageChange,
        ),
        EntityKind::DirectoryKind => boxed(tx.directory_kind_by_id(id)?, R::DirectoryKind),
        EntityKind::DirectoryEntry => boxed(tx.entry(EntryId(id))?, R::Entry),
        EntityKind::ExternalId => tx
            .external_id_by_id(id)?
            .map_or(R::Tombstone, R::ExternalId),
        EntityKind::Order => boxed(tx.order(OrderId(id))?, R::Order),
        EntityKind::Return => boxed(tx.return_by_id(ReturnId(id))?, R::Return),
        EntityKind::LoyaltyProgram => boxed(tx.program(ProgramId(id))?, R::LoyaltyProgram),
        EntityKind::LoyaltyCard => boxed(tx.card(CardId(id))?, R::LoyaltyCard),
        EntityKind::EarnRule => boxed(tx.earn_rule(RuleId(id))?, R::EarnRule),
        EntityKind::Tier => boxed(tx.tier(TierId(id))?, R::Tier),
        EntityKind::Reward => boxed(tx.reward(RewardId(id))?, R::Reward),
        EntityKind::LedgerEntry => boxed(tx.ledger_entry(EntryId(id))?, R::LedgerEntry),
        EntityKind::Complaint => boxed(tx.complaint(ComplaintId(id))?, R::Complaint),
        EntityKind::NpsResponse => boxed(tx.nps_response(NpsResponseId(id))?, R::NpsResponse),
    })
}
