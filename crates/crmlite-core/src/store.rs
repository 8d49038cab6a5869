//! The storage trait every backend implements, split into per-domain parts.
//!
//! A backend hands out owned transaction objects. A write transaction is
//! all-or-nothing: dropping it without [`WriteTx::commit`] rolls everything back.

use crate::automation::{
    Channel, Consent, MessageStatus, OutboxMessage, Purpose, Task, Template, Trigger, TriggerRun,
};
use crate::changes::{Change, ChangeOp};
use crate::customer::{Customer, CustomerKind, CustomerLink, CustomerRecord};
use crate::deal::{Deal, DealFilter, DealStageChange, LostReason, Pipeline, Stage, StageKind};
use crate::loyalty::{
    Card, EarnRule, EntryKind, LedgerEntry, Lot, NewEarnRule, NewReward, NewTier, Program, Reward,
    Tier,
};
use crate::money::Currency;
use crate::reference::{DirectoryKind, Entry, EntryRecord, ExternalId};
use crate::sales::{Order, Return, SpendFacts};
use crate::service::{Complaint, ComplaintFilter, NpsResponse};
use crate::timeline::TimelineEntry;
use crate::{
    CardId, ComplaintId, CustomerId, DealId, DealStageChangeId, EntityKind, EntryId, LostReasonId,
    MessageId, NpsResponseId, OrderId, PipelineId, ProgramId, Result, ReturnId, RewardId, RuleId,
    StageId, TaskId, TemplateId, TierId, TimelineEntryId, Timestamp, TriggerId,
};

/// A value bound to or read from SQL.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (also booleans as 0/1).
    Int(i64),
    /// UTF-8 text.
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// Copying a whole database to another backend, table by table, keeping every id.
pub trait CopyRead {
    /// The tables to copy, parents before children.
    fn copy_tables(&self) -> Vec<&'static str>;
    /// Up to `limit` rows of `table` from `offset`, in a stable order.
    fn copy_read(&mut self, table: &str, offset: u64, limit: u32) -> Result<Vec<Vec<Value>>>;
}

/// The receiving side of a copy.
pub trait CopyWrite {
    /// Inserts rows read by [`CopyRead::copy_read`] as they are.
    fn copy_write(&mut self, table: &str, rows: &[Vec<Value>]) -> Result<()>;
    /// Brings id generators and counters past the copied rows.
    fn copy_finish(&mut self) -> Result<()>;
}

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
    /// Whether a customer with this id exists (as `customer(id)` finding one, without
    /// reading the row).
    fn customer_exists(&mut self, id: CustomerId) -> Result<bool> {
        Ok(self.customer(id)?.is_some())
    }
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
    fn delete_customer_link(
        &mut self,
        person: CustomerId,
        organisation: CustomerId,
    ) -> Result<bool>;
}

/// Reads of pipelines, stages, lost reasons, deals and their history.
pub trait DealRead {
    /// One pipeline with its stages in order.
    fn pipeline(&mut self, id: PipelineId) -> Result<Option<Pipeline>>;
    /// Every pipeline with its stages, in id order.
    fn pipelines(&mut self) -> Result<Vec<Pipeline>>;
    /// One stage by id.
    fn stage(&mut self, id: StageId) -> Result<Option<Stage>>;
    /// One lost reason by id.
    fn lost_reason(&mut self, id: LostReasonId) -> Result<Option<LostReason>>;
    /// Every lost reason, in id order.
    fn lost_reasons(&mut self) -> Result<Vec<LostReason>>;
    /// One deal with its lines.
    fn deal(&mut self, id: DealId) -> Result<Option<Deal>>;
    /// One deal by external code.
    fn deal_by_code(&mut self, code: &str) -> Result<Option<Deal>>;
    /// Deals matching `filter` with ids greater than `after`, in id order.
    fn deals_after(
        &mut self,
        filter: &DealFilter,
        after: Option<DealId>,
        limit: u32,
    ) -> Result<Vec<Deal>>;
    /// Open deals (of `pipeline`, if given) whose stage has a rot threshold that has passed at
    /// `now`, with ids greater than `after`, in id order.
    fn stale_deals_after(
        &mut self,
        pipeline: Option<PipelineId>,
        now: Timestamp,
        after: Option<DealId>,
        limit: u32,
    ) -> Result<Vec<Deal>>;
    /// The stage history of one deal, oldest first.
    fn deal_history(&mut self, deal: DealId) -> Result<Vec<DealStageChange>>;
    /// Open deals (of `pipeline`, if given) counted and summed per forecast group `by`,
    /// currency and effective probability.
    fn forecast_parts(
        &mut self,
        pipeline: Option<PipelineId>,
        by: crate::deal::report::ForecastBy,
    ) -> Result<Vec<crate::deal::report::ForecastPart>>;
    /// The counts behind the funnel of `pipeline`.
    fn funnel_counts(&mut self, pipeline: PipelineId) -> Result<crate::deal::report::FunnelCounts>;
    /// Deals (of `pipeline`, if given) counted per status.
    fn deal_status_counts(&mut self, pipeline: Option<PipelineId>)
    -> Result<Vec<(StageKind, i64)>>;
    /// Lost deals (of `pipeline`, if given) with a reason, counted per reason and lost-at stage.
    fn lost_counts(
        &mut self,
        pipeline: Option<PipelineId>,
    ) -> Result<Vec<(LostReasonId, StageId, i64)>>;
    /// Completed stays in each stage of `pipeline` that has any: count, total, middle values.
    fn stage_stays(&mut self, pipeline: PipelineId)
    -> Result<Vec<crate::deal::report::StageStays>>;
}

/// Writes of pipelines, stages, lost reasons, deals and their history.
pub trait DealWrite {
    /// Stores a new pipeline (without stages) and returns its id.
    fn insert_pipeline(&mut self, pipeline: &Pipeline) -> Result<PipelineId>;
    /// Replaces a pipeline's own fields (not its stages).
    fn update_pipeline(&mut self, pipeline: &Pipeline) -> Result<()>;
    /// Stores a new stage and returns its id.
    fn insert_stage(&mut self, stage: &Stage) -> Result<StageId>;
    /// Replaces a stored stage's state.
    fn update_stage(&mut self, stage: &Stage) -> Result<()>;
    /// Stores a new lost reason and returns its id.
    fn insert_lost_reason(&mut self, reason: &LostReason) -> Result<LostReasonId>;
    /// Replaces a stored lost reason's state.
    fn update_lost_reason(&mut self, reason: &LostReason) -> Result<()>;
    /// Stores a new deal with its lines and returns its id.
    fn insert_deal(&mut self, deal: &Deal) -> Result<DealId>;
    /// Replaces a stored deal's state and lines.
    fn update_deal(&mut self, deal: &Deal) -> Result<()>;
    /// Appends a row to a deal's stage history and returns its id.
    fn insert_stage_change(&mut self, change: &DealStageChange) -> Result<DealStageChangeId>;
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
    fn record_change(
        &mut self,
        entity: EntityKind,
        id: i64,
        op: ChangeOp,
        at: Timestamp,
    ) -> Result<i64>;
}

/// Reads of templates, tasks, triggers, the outbox and consents.
pub trait AutomationRead {
    /// One template by code.
    fn template_by_code(&mut self, code: &str) -> Result<Option<Template>>;
    /// Every template, by code.
    fn templates(&mut self) -> Result<Vec<Template>>;
    /// One task by id.
    fn task(&mut self, id: TaskId) -> Result<Option<Task>>;
    /// Open tasks due at or before `until` (and after `after`, exclusive, if given), optionally
    /// of one assignee, earliest first.
    fn open_tasks_due(
        &mut self,
        after: Option<Timestamp>,
        until: Timestamp,
        assignee: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Task>>;
    /// One trigger by id.
    fn trigger(&mut self, id: TriggerId) -> Result<Option<Trigger>>;
    /// One trigger by code.
    fn trigger_by_code(&mut self, code: &str) -> Result<Option<Trigger>>;
    /// Every trigger, in id order.
    fn triggers(&mut self) -> Result<Vec<Trigger>>;
    /// The run log of a trigger, newest first.
    fn trigger_runs(&mut self, trigger: TriggerId, limit: u32) -> Result<Vec<TriggerRun>>;
    /// One outbox message by id.
    fn outbox_message(&mut self, id: MessageId) -> Result<Option<OutboxMessage>>;
    /// The message queued with this dedupe key, if any.
    fn outbox_by_dedupe_key(&mut self, key: &str) -> Result<Option<OutboxMessage>>;
    /// Messages with ids greater than `after`, in id order, optionally of one status.
    fn outbox_messages(
        &mut self,
        after: Option<MessageId>,
        status: Option<MessageStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>>;
    /// Messages that can be claimed at `now`: pending and available, or claimed with an
    /// expired lease; oldest first.
    fn claimable_messages(&mut self, now: Timestamp, limit: u32) -> Result<Vec<OutboxMessage>>;
    /// The decision in force for a customer, channel and purpose.
    fn current_consent(
        &mut self,
        customer: CustomerId,
        channel: Channel,
        purpose: Purpose,
    ) -> Result<Option<Consent>>;
    /// Every consent decision of a customer, oldest first.
    fn consent_history(&mut self, customer: CustomerId) -> Result<Vec<Consent>>;
}

/// Writes of templates, tasks, triggers, the outbox and consents.
pub trait AutomationWrite {
    /// Stores a new template and returns it with its id.
    fn insert_template(&mut self, template: &Template) -> Result<Template>;
    /// Replaces a stored template (same id).
    fn update_template(&mut self, template: &Template) -> Result<()>;
    /// Stores a new task and returns its id.
    fn insert_task(&mut self, task: &Task) -> Result<TaskId>;
    /// Replaces a stored task (same id).
    fn update_task(&mut self, task: &Task) -> Result<()>;
    /// Stores a new trigger and returns its id.
    fn insert_trigger(&mut self, trigger: &Trigger) -> Result<TriggerId>;
    /// Replaces a stored trigger (same id).
    fn update_trigger(&mut self, trigger: &Trigger) -> Result<()>;
    /// Records a firing; returns `false` (and stores nothing) if that occurrence already fired.
    fn insert_trigger_run(&mut self, run: &TriggerRun) -> Result<bool>;
    /// Sets the outcome of a recorded firing.
    fn set_trigger_run_outcome(&mut self, run: &TriggerRun) -> Result<()>;
    /// Stores a new message and returns its id.
    fn insert_outbox_message(&mut self, message: &OutboxMessage) -> Result<MessageId>;
    /// Replaces a stored message (same id).
    fn update_outbox_message(&mut self, message: &OutboxMessage) -> Result<()>;
    /// Cancels a customer's pending marketing messages on a channel; returns their ids.
    fn cancel_marketing_messages(
        &mut self,
        customer: CustomerId,
        channel: Channel,
        at: Timestamp,
    ) -> Result<Vec<MessageId>>;
    /// Appends a consent decision.
    fn insert_consent(&mut self, consent: &Consent) -> Result<i64>;
}

/// Reads of orders, returns and customer purchase facts.
pub trait SalesRead {
    /// One order with its lines.
    fn order(&mut self, id: OrderId) -> Result<Option<Order>>;
    /// The order with this external document id.
    fn order_by_external_id(&mut self, external_id: &str) -> Result<Option<Order>>;
    /// The return with this external document id.
    fn return_by_external_id(&mut self, external_id: &str) -> Result<Option<Return>>;
    /// Every return of an order, oldest first.
    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>>;
    /// A customer's facts per currency, by currency code.
    fn spend_facts(&mut self, customer: CustomerId) -> Result<Vec<SpendFacts>>;
    /// Money paid less money returned by a customer in `currency` with `from <= at < until`.
    fn spend_between(
        &mut self,
        customer: CustomerId,
        currency: Currency,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<i64>;
}

/// Writes of orders, returns and customer purchase facts.
pub trait SalesWrite {
    /// Stores an order with its lines and returns its id.
    fn insert_order(&mut self, order: &Order) -> Result<OrderId>;
    /// Stores a return with its lines and returns its id.
    fn insert_return(&mut self, ret: &Return) -> Result<ReturnId>;
    /// Adds to a customer's facts in one currency: `orders` more orders at `at`,
    /// `spend` more spend and `returned` more returns (minor units, may be negative for spend).
    fn add_spend_facts(
        &mut self,
        customer: CustomerId,
        currency: Currency,
        at: Option<Timestamp>,
        orders: i64,
        spend: i64,
        returned: i64,
    ) -> Result<()>;
}

/// A stored outcome of a keyed ledger command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCommand {
    /// The command kind, e.g. `redeem`.
    pub kind: String,
    /// The request's canonical form.
    pub fingerprint: String,
    /// The outcome (a result or a recorded failure) as JSON.
    pub outcome: String,
}

/// Sums of one entry kind of a program over a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntrySums {
    /// The kind.
    pub kind: EntryKind,
    /// Sum of the positive entries.
    pub credits: i64,
    /// Sum of the negative entries (zero or less).
    pub debits: i64,
}

/// Reads of loyalty programs, cards and the points ledger.
pub trait LoyaltyRead {
    /// One program.
    fn program(&mut self, id: ProgramId) -> Result<Option<Program>>;
    /// Every program, by id.
    fn programs(&mut self) -> Result<Vec<Program>>;
    /// A program's earn rules, by position and id.
    fn earn_rules(&mut self, program: ProgramId) -> Result<Vec<EarnRule>>;
    /// A program's tiers, by threshold.
    fn tiers(&mut self, program: ProgramId) -> Result<Vec<Tier>>;
    /// One reward.
    fn reward(&mut self, id: RewardId) -> Result<Option<Reward>>;
    /// A program's rewards, by required points.
    fn rewards(&mut self, program: ProgramId) -> Result<Vec<Reward>>;
    /// One card.
    fn card(&mut self, id: CardId) -> Result<Option<Card>>;
    /// The card with this code.
    fn card_by_code(&mut self, code: &str) -> Result<Option<Card>>;
    /// A customer's card in a program.
    fn card_of(&mut self, program: ProgramId, customer: CustomerId) -> Result<Option<Card>>;
    /// Every card of a customer, by id.
    fn cards_of_customer(&mut self, customer: CustomerId) -> Result<Vec<Card>>;
    /// Every lot of a card with what is left of it, by id.
    fn lots(&mut self, card: CardId) -> Result<Vec<Lot>>;
    /// The first spendable lots of a card at `now` (something left, not pending, not due) in
    /// the order debits draw from them (soonest expiry first, never-expiring last, then the
    /// oldest), at most `n`: a prefix of `ledger::spend_order` over [`LoyaltyRead::lots`].
    fn spendable_lots(&mut self, card: CardId, now: Timestamp, n: u32) -> Result<Vec<Lot>>;
    /// Lots of every card whose expiry is at or before `now` and that still hold points.
    fn due_lots(&mut self, now: Timestamp) -> Result<Vec<Lot>>;
    /// The sum of every entry of a card.
    fn ledger_sum(&mut self, card: CardId) -> Result<i64>;
    /// One entry with its allocations.
    fn ledger_entry(&mut self, id: EntryId) -> Result<Option<LedgerEntry>>;
    /// A card's entries newest first, with ids below `before`.
    fn ledger_entries(
        &mut self,
        card: CardId,
        before: Option<EntryId>,
        limit: u32,
    ) -> Result<Vec<LedgerEntry>>;
    /// The award of a card for a source awarded at most once (`order`, `signup`,
    /// `birthday`, `referral`), if any.
    fn award_for(
        &mut self,
        card: CardId,
        source_kind: &str,
        source_ref: &str,
    ) -> Result<Option<LedgerEntry>>;
    /// Points already reversed for an order on a card: reversals, clawbacks and their shortfalls.
    fn reversed_for_order(&mut self, card: CardId, order: OrderId) -> Result<i64>;
    /// A card's entries linked to an order (its award, redemptions, reversals, refunds), oldest first.
    fn order_entries(&mut self, card: CardId, order: OrderId) -> Result<Vec<LedgerEntry>>;
    /// Points awarded less points reversed on a card with `from <= at < until`.
    fn earned_between(&mut self, card: CardId, from: Timestamp, until: Timestamp) -> Result<i64>;
    /// Sums per entry kind of a program's entries with `from <= at < until`.
    fn entry_sums(
        &mut self,
        program: ProgramId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<EntrySums>>;
    /// Every lot of a program that still holds points.
    fn open_lots(&mut self, program: ProgramId) -> Result<Vec<Lot>>;
    /// The stored outcome of a keyed command.
    fn stored_command(&mut self, key: &str) -> Result<Option<StoredCommand>>;
}

/// Writes of loyalty programs, cards and the points ledger (append-only).
pub trait LoyaltyWrite {
    /// Stores a program; a duplicate name is a conflict.
    fn insert_program(&mut self, program: &Program) -> Result<ProgramId>;
    /// Stores an earn rule.
    fn insert_earn_rule(&mut self, rule: &NewEarnRule, at: Timestamp) -> Result<RuleId>;
    /// Stores a tier; a duplicate name in the program is a conflict.
    fn insert_tier(&mut self, tier: &NewTier) -> Result<TierId>;
    /// Stores a reward.
    fn insert_reward(&mut self, reward: &NewReward) -> Result<RewardId>;
    /// Stores a card; a second card of the customer in the program or a reused code is a conflict.
    fn insert_card(&mut self, card: &Card) -> Result<CardId>;
    /// Sets a card's tier.
    fn update_card_tier(
        &mut self,
        card: CardId,
        tier: Option<TierId>,
        since: Timestamp,
    ) -> Result<()>;
    /// Appends an entry with its allocations and returns its id.
    fn insert_ledger_entry(&mut self, entry: &LedgerEntry) -> Result<EntryId>;
    /// Stores a keyed command's outcome.
    fn insert_command(&mut self, key: &str, command: &StoredCommand, at: Timestamp) -> Result<()>;
    /// Marks a point inside the transaction to which [`LoyaltyWrite::rollback_to_savepoint`] returns.
    fn savepoint(&mut self) -> Result<()>;
    /// Undoes everything since the last savepoint and drops it.
    fn rollback_to_savepoint(&mut self) -> Result<()>;
    /// Keeps everything since the last savepoint and drops it.
    fn release_savepoint(&mut self) -> Result<()>;
}

/// Invariant checks run by `verify()`.
pub trait VerifyRead {
    /// Runs every check the backend knows, in a stable order.
    fn verify_checks(&mut self) -> Result<Vec<crate::verify::Check>>;
}

/// Reads of reference directories, external id mappings and sync cursors.
pub trait ReferenceRead {
    /// All user-defined directory kinds, by name.
    fn directory_kinds(&mut self) -> Result<Vec<DirectoryKind>>;
    /// One user-defined kind by name.
    fn directory_kind(&mut self, name: &str) -> Result<Option<DirectoryKind>>;
    /// One entry by id.
    fn entry(&mut self, id: EntryId) -> Result<Option<Entry>>;
    /// One entry by kind and external code.
    fn entry_by_code(&mut self, kind: &str, code: &str) -> Result<Option<Entry>>;
    /// Entries of `kind` with ids greater than `after`, in id order; archived ones only if asked.
    fn entries_after(
        &mut self,
        kind: &str,
        after: Option<EntryId>,
        archived: bool,
        limit: u32,
    ) -> Result<Vec<Entry>>;
    /// The number of entries of `kind`, archived ones included.
    fn entry_count(&mut self, kind: &str) -> Result<i64>;
    /// The number of entries whose reference fields point to `id`.
    fn entry_referrer_count(&mut self, id: EntryId) -> Result<i64>;
    /// The mapping of `(system, external_id)`, if any.
    fn external_id(&mut self, system: &str, external_id: &str) -> Result<Option<ExternalId>>;
    /// Every mapping of one record, by system.
    fn external_ids_of(&mut self, entity: EntityKind, id: i64) -> Result<Vec<ExternalId>>;
    /// One mapping by its id.
    fn external_id_by_id(&mut self, id: i64) -> Result<Option<ExternalId>>;
    /// The acknowledged change-feed position of a sync consumer, if it has one.
    fn sync_cursor(&mut self, name: &str) -> Result<Option<i64>>;
    /// The sequence number of the newest change, 0 if none.
    fn latest_change_seq(&mut self) -> Result<i64>;
}

/// Writes of reference directories, external id mappings and sync cursors.
pub trait ReferenceWrite {
    /// Stores a user-defined kind and returns its id; a duplicate name is a conflict.
    fn insert_directory_kind(&mut self, kind: &DirectoryKind, at: Timestamp) -> Result<i64>;
    /// Stores a new entry with its references and returns its id.
    fn insert_entry(&mut self, record: &EntryRecord) -> Result<EntryId>;
    /// Replaces a stored entry's state (same id) and its references.
    fn update_entry(&mut self, record: &EntryRecord) -> Result<()>;
    /// Removes an entry; returns whether it existed.
    fn delete_entry(&mut self, id: EntryId) -> Result<bool>;
    /// Stores a mapping and returns its id; a used `(system, external_id)` is a conflict.
    fn insert_external_id(&mut self, mapping: &ExternalId) -> Result<i64>;
    /// Removes a mapping by id; returns whether it existed.
    fn delete_external_id(&mut self, id: i64) -> Result<bool>;
    /// Sets a sync consumer's acknowledged position.
    fn set_sync_cursor(&mut self, name: &str, seq: i64, at: Timestamp) -> Result<()>;
    /// Stops maintaining the customer search index row by row, for a bulk load into an empty
    /// customers table; returns what [`ReferenceWrite::resume_customer_search`] needs.
    fn suspend_customer_search(&mut self) -> Result<Vec<String>>;
    /// Restores what `suspend_customer_search` stopped and builds the index over every row.
    fn resume_customer_search(&mut self, saved: &[String]) -> Result<()>;
    /// Drops the secondary order indexes for a bulk load into an empty `orders` table and
    /// returns what [`ReferenceWrite::resume_order_indexes`] needs to build them again.
    fn suspend_order_indexes(&mut self) -> Result<Vec<String>>;
    /// Builds again the indexes that [`ReferenceWrite::suspend_order_indexes`] dropped.
    fn resume_order_indexes(&mut self, saved: &[String]) -> Result<()>;
}

/// Reads by id that external id mappings and sync consumers need for every record kind.
pub trait SyncRead {
    /// Whether a record of kind `entity` with this id exists (`false` for kinds without ids
    /// of their own: customer links and external ids).
    fn record_exists(&mut self, entity: EntityKind, id: i64) -> Result<bool>;
    /// One template by id.
    fn template_by_id(&mut self, id: TemplateId) -> Result<Option<Template>>;
    /// One timeline entry by id.
    fn timeline_entry(&mut self, id: TimelineEntryId) -> Result<Option<TimelineEntry>>;
    /// One consent decision by id.
    fn consent_by_id(&mut self, id: i64) -> Result<Option<Consent>>;
    /// One row of a deal's stage history by id.
    fn deal_stage_change(&mut self, id: DealStageChangeId) -> Result<Option<DealStageChange>>;
    /// One return by id.
    fn return_by_id(&mut self, id: ReturnId) -> Result<Option<Return>>;
    /// One earn rule by id.
    fn earn_rule(&mut self, id: RuleId) -> Result<Option<EarnRule>>;
    /// One loyalty tier by id.
    fn tier(&mut self, id: TierId) -> Result<Option<Tier>>;
    /// One user-defined directory kind by id.
    fn directory_kind_by_id(&mut self, id: i64) -> Result<Option<DirectoryKind>>;
    /// How many orders are stored.
    fn order_count(&mut self) -> Result<i64>;
}

/// Reads of complaints and NPS answers.
pub trait ServiceRead {
    /// One complaint by id.
    fn complaint(&mut self, id: ComplaintId) -> Result<Option<Complaint>>;
    /// Complaints matching `filter` with ids greater than `after`, in id order.
    fn complaints_after(
        &mut self,
        filter: &ComplaintFilter,
        after: Option<ComplaintId>,
        limit: u32,
    ) -> Result<Vec<Complaint>>;
    /// Open or in-progress complaints past their resolution deadline, or past their response
    /// deadline without a response, at `now`; ids greater than `after`, in id order.
    fn overdue_complaints_after(
        &mut self,
        now: Timestamp,
        after: Option<ComplaintId>,
        limit: u32,
    ) -> Result<Vec<Complaint>>;
    /// One NPS answer by id.
    fn nps_response(&mut self, id: NpsResponseId) -> Result<Option<NpsResponse>>;
    /// A customer's answer to a named survey, if any.
    fn nps_response_of(
        &mut self,
        customer: CustomerId,
        survey: &str,
    ) -> Result<Option<NpsResponse>>;
    /// Answers with `from <= at < until` (of `survey`, if given), counted per score 0..=10.
    fn nps_counts(
        &mut self,
        from: Timestamp,
        until: Timestamp,
        survey: Option<&str>,
    ) -> Result<[i64; 11]>;
}

/// Writes of complaints and NPS answers.
pub trait ServiceWrite {
    /// Stores a new complaint and returns its id.
    fn insert_complaint(&mut self, complaint: &Complaint) -> Result<ComplaintId>;
    /// Replaces a stored complaint's state (same id).
    fn update_complaint(&mut self, complaint: &Complaint) -> Result<()>;
    /// Stores an NPS answer and returns its id.
    fn insert_nps_response(&mut self, response: &NpsResponse) -> Result<NpsResponseId>;
}

/// A read transaction: every read part together.
pub trait ReadTx:
    CustomerRead
    + DealRead
    + TimelineRead
    + ChangeRead
    + AutomationRead
    + ReferenceRead
    + SyncRead
    + SalesRead
    + LoyaltyRead
    + ServiceRead
    + VerifyRead
    + CopyRead
    + Send
{
}

impl<T> ReadTx for T where
    T: CustomerRead
        + DealRead
        + TimelineRead
        + ChangeRead
        + AutomationRead
        + ReferenceRead
        + SyncRead
        + SalesRead
        + LoyaltyRead
        + ServiceRead
        + VerifyRead
        + CopyRead
        + Send
{
}

/// A write transaction. Dropping it without `commit` rolls back.
pub trait WriteTx:
    ReadTx
    + CustomerWrite
    + DealWrite
    + TimelineWrite
    + ChangeWrite
    + AutomationWrite
    + ReferenceWrite
    + SalesWrite
    + LoyaltyWrite
    + ServiceWrite
    + CopyWrite
{
    /// Makes every write of this transaction durable, or none of them.
    fn commit(self: Box<Self>) -> Result<()>;
    /// Marks the start of one operation inside a longer transaction, so that
    /// [`WriteTx::undo_operation`] can take back its changes alone.
    fn begin_operation(&mut self) -> Result<()>;
    /// Undoes every change since the matching [`WriteTx::begin_operation`] and ends it.
    fn undo_operation(&mut self) -> Result<()>;
    /// Keeps the changes since the matching [`WriteTx::begin_operation`] and ends it.
    fn end_operation(&mut self) -> Result<()>;
    /// This transaction seen as a read transaction.
    fn as_read(&mut self) -> &mut dyn ReadTx;
}
