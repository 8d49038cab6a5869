//! Loyalty operations on the `Crm` handle; every ledger command is one transaction.

use super::ledger::{self, allocate, expires_at, reversal_allocation, reversal_target};
use super::rules::{evaluate_event, evaluate_order, next_tier, qualifying_tier};
use super::{
    Allocation, Balance, Card, EarnRule, EntryKind, ExpiryRun, LedgerEntry, LoyaltyEvent,
    NewEarnRule, NewProgram, NewReward, NewTier, Program, ProgramMetrics, REFUND_SOURCE,
    Redemption, ReversalPolicy, Reward, RewardKind, Tier, TierBasis, validate_program,
    validate_reward, validate_rule, validate_tier,
};
use crate::automation::service::Event;
use crate::changes::ChangeOp;
use crate::customer::clean_text;
use crate::customer::service::get as get_customer;
use crate::lookups::Lookups;
use crate::money::Money;
use crate::page::{Page, check_limit};
use crate::sales::Order;
use crate::sales::service::get_order;
use crate::store::{ReadTx, StoredCommand, WriteTx};
use crate::timeline::{InteractionKind, NewTimelineEntry};
use crate::{
    CardId, Crm, CustomerId, EntityKind, EntryId, Error, OrderId, ProgramId, Result, RewardId,
    Timestamp,
};

/// A recorded outcome of a keyed command: its result, or the business failure it met.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Outcome<T> {
    Ok(T),
    Invalid { field: String, reason: String },
    NotFound { entity: String, key: String },
}

impl<T> Outcome<T> {
    fn into_result(self) -> Result<T> {
        match self {
            Self::Ok(v) => Ok(v),
            Self::Invalid { field, reason } => Err(Error::Validation { field, reason }),
            Self::NotFound { entity, key } => Err(Error::NotFound {
                kind: EntityKind::parse(&entity).unwrap_or(EntityKind::LoyaltyCard),
                key,
            }),
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::storage(crate::StorageKind::Other, format!("json: {e}")))
}

fn overflow(field: &str) -> Error {
    Error::validation(field, "points overflow")
}

impl Crm {
    /// Runs a ledger command at most once per idempotency key. The same key and request
    /// return the first outcome (a result or a business failure) and change nothing; the
    /// same key with another request is a conflict. Without a key the command simply runs.
    fn keyed<T, R>(
        &self,
        kind: &str,
        key: Option<&str>,
        request: &R,
        mut work: impl FnMut(&mut dyn WriteTx) -> Result<T>,
    ) -> Result<T>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let key = key
            .map(|k| clean_text("idempotency_key", k, 200, true))
            .transpose()?;
        let Some(key) = key else {
            return self.write(work);
        };
        let fingerprint = json(request)?;
        let now = self.now();
        self.write(|tx| keyed_in(tx, kind, &key, &fingerprint, now, &mut work))?
            .into_result()
    }

    /// Creates a loyalty program.
    pub fn create_program(&self, new: &NewProgram) -> Result<Program> {
        let now = self.now();
        let mut program = validate_program(new, now)?;
        self.write(|tx| {
            program.id = tx.insert_program(&program)?;
            tx.record_change(
                EntityKind::LoyaltyProgram,
                program.id.0,
                ChangeOp::Insert,
                now,
            )?;
            Ok(program.clone())
        })
    }

    /// One program.
    pub fn program(&self, id: ProgramId) -> Result<Program> {
        self.read(|tx| get_program(tx, id))
    }

    /// Every program, by id.
    pub fn programs(&self) -> Result<Vec<Program>> {
        self.read(|tx| tx.programs())
    }

    /// Adds an earn rule to a program; its tiers must belong to the program.
    pub fn add_earn_rule(&self, new: &NewEarnRule) -> Result<EarnRule> {
        let now = self.now();
        let rule = validate_rule(new)?;
        self.write(|tx| {
            get_program(tx, rule.program)?;
            let tiers = tx.tiers(rule.program)?;
            for (i, t) in rule.tiers.iter().enumerate() {
                if !tiers.iter().any(|x| x.id == *t) {
                    return Err(Error::validation(
                        format!("tiers[{i}]"),
                        format!("tier {t} is not in program {}", rule.program),
                    ));
                }
            }
            let id = tx.insert_earn_rule(&rule, now)?;
            tx.record_change(EntityKind::EarnRule, id.0, ChangeOp::Insert, now)?;
            Ok(EarnRule {
                id,
                rule: rule.clone(),
                created_at: now,
            })
        })
    }

    /// A program's earn rules in evaluation order.
    pub fn earn_rules(&self, program: ProgramId) -> Result<Vec<EarnRule>> {
        self.read(|tx| {
            get_program(tx, program)?;
            tx.earn_rules(program)
        })
    }

    /// Adds a tier to a program.
    pub fn add_tier(&self, new: &NewTier) -> Result<Tier> {
        let now = self.now();
        let tier = validate_tier(new)?;
        self.write(|tx| {
            get_program(tx, tier.program)?;
            let id = tx.insert_tier(&tier)?;
            tx.record_change(EntityKind::Tier, id.0, ChangeOp::Insert, now)?;
            Ok(Tier {
                id,
                program: tier.program,
                name: tier.name.clone(),
                threshold: tier.threshold,
            })
        })
    }

    /// A program's tiers, lowest threshold first.
    pub fn tiers(&self, program: ProgramId) -> Result<Vec<Tier>> {
        self.read(|tx| {
            get_program(tx, program)?;
            tx.tiers(program)
        })
    }

    /// Adds a reward to a program's catalogue.
    pub fn add_reward(&self, new: &NewReward) -> Result<Reward> {
        let now = self.now();
        let reward = validate_reward(new)?;
        self.write(|tx| {
            get_program(tx, reward.program)?;
            let id = tx.insert_reward(&reward)?;
            tx.record_change(EntityKind::Reward, id.0, ChangeOp::Insert, now)?;
            Ok(Reward {
                id,
                reward: reward.clone(),
            })
        })
    }

    /// A program's rewards, cheapest first.
    pub fn rewards(&self, program: ProgramId) -> Result<Vec<Reward>> {
        self.read(|tx| {
            get_program(tx, program)?;
            tx.rewards(program)
        })
    }

    /// Opens a customer's card in a program; `code` defaults to `<program>-<customer>`.
    /// A second card of the customer in the program, or a code in use, is a conflict.
    pub fn open_card(
        &self,
        program: ProgramId,
        customer: CustomerId,
        code: Option<&str>,
    ) -> Result<Card> {
        let now = self.now();
        let code = match code {
            Some(c) => clean_text("code", c, 64, true)?,
            None => format!("{}-{}", program.0, customer.0),
        };
        self.write(|tx| {
            get_program(tx, program)?;
            get_customer(tx, customer)?;
            if let Some(existing) = tx.card_of(program, customer)? {
                return Err(Error::Conflict(format!(
                    "customer {customer} already has card {} in program {program}",
                    existing.code
                )));
            }
            if tx.card_by_code(&code)?.is_some() {
                return Err(Error::Conflict(format!(
                    "card code {code:?} is already in use"
                )));
            }
            let mut card = Card {
                id: CardId(0),
                program,
                customer,
                code: code.clone(),
                tier: None,
                tier_since: now,
                created_at: now,
            };
            card.id = tx.insert_card(&card)?;
            tx.record_change(EntityKind::LoyaltyCard, card.id.0, ChangeOp::Insert, now)?;
            Ok(card)
        })
    }

    /// One card.
    pub fn card(&self, id: CardId) -> Result<Card> {
        self.read(|tx| get_card(tx, id))
    }

    /// The card with this code.
    pub fn card_by_code(&self, code: &str) -> Result<Card> {
        let code = code.trim();
        self.read(|tx| tx.card_by_code(code))?
            .ok_or_else(|| Error::not_found(EntityKind::LoyaltyCard, code))
    }

    /// A customer's card in a program.
    pub fn card_for(&self, program: ProgramId, customer: CustomerId) -> Result<Card> {
        self.read(|tx| tx.card_of(program, customer))?
            .ok_or_else(|| {
                Error::not_found(EntityKind::LoyaltyCard, format!("{program}/{customer}"))
            })
    }

    /// A card's balance now; `expiring` counts points that expire within `within_days` days.
    pub fn balance(&self, card: CardId, within_days: u32) -> Result<Balance> {
        let now = self.now();
        self.read(|tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            let lots = tx.lots(card.id)?;
            let sum = tx.ledger_sum(card.id)?;
            ledger::balance(&lots, now, within_days, sum, program.point_value)
        })
    }

    /// A card's ledger entries, newest first, one page at a time.
    pub fn points_history(
        &self,
        card: CardId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<LedgerEntry>> {
        let limit = check_limit(limit)?;
        let before = cursor
            .map(|c| {
                c.parse::<i64>()
                    .map(EntryId)
                    .map_err(|_| Error::validation("cursor", "is not a ledger cursor"))
            })
            .transpose()?;
        let items = self.read(|tx| {
            get_card(tx, card)?;
            tx.ledger_entries(card, before, limit)
        })?;
        let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
        let next = if full {
            items.last().map(|e| e.id.0.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Awards the points an order earns on a card (for orders recorded before the card was
    /// opened). An order is awarded at most once: a second call returns the first award.
    pub fn award_order(
        &self,
        card: CardId,
        order: OrderId,
        key: Option<&str>,
    ) -> Result<LedgerEntry> {
        let now = self.now();
        self.keyed("award_order", key, &(card, order), |tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            let order = get_order(tx, order)?;
            if order.customer != card.customer {
                return Err(Error::validation(
                    "order",
                    format!("order {} belongs to another customer", order.id),
                ));
            }
            if order.currency != program.currency {
                return Err(Error::validation(
                    "order",
                    format!(
                        "order {} is in {}, program {} earns in {}",
                        order.id, order.currency, program.id, program.currency
                    ),
                ));
            }
            if tx
                .award_for(card.id, "order", &order.id.0.to_string())?
                .is_none()
                && !tx.returns_of_order(order.id)?.is_empty()
            {
                return Err(Error::validation(
                    "order",
                    format!("order {} already has returns", order.id),
                ));
            }
            accrue_order(tx, &mut Lookups::default(), &program, &card, &order, now)?.ok_or_else(
                || {
                    Error::validation(
                        "order",
                        format!(
                            "order {} earns no points under the program's rules",
                            order.id
                        ),
                    )
                },
            )
        })
    }

    /// Awards the points a non-purchase event earns. Signup, birthday (per year) and
    /// referral (per other customer and side) are awarded at most once per card.
    pub fn award_event(
        &self,
        card: CardId,
        event: &LoyaltyEvent,
        key: Option<&str>,
    ) -> Result<LedgerEntry> {
        let now = self.now();
        self.keyed("award_event", key, &(card, event), |tx| {
            award_event_in(tx, card, event, now)
        })
    }

    /// Spends `points` from a card, soonest-expiring lots first, optionally against an order.
    /// More than is available is an error naming `points`, and nothing changes.
    pub fn redeem_points(
        &self,
        card: CardId,
        points: i64,
        order: Option<OrderId>,
        key: Option<&str>,
    ) -> Result<Redemption> {
        let now = self.now();
        if points < 1 {
            return Err(Error::validation("points", "must be at least 1"));
        }
        self.keyed("redeem_points", key, &(card, points, order), |tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            let order = order.map(|o| order_of(tx, &card, o)).transpose()?;
            let entry = debit(
                tx,
                &card,
                EntryKind::Redeem,
                points,
                "redemption",
                order.as_ref().map(|o| o.id),
                now,
            )?;
            let value = points
                .checked_mul(program.point_value.minor)
                .ok_or_else(|| overflow("points"))?;
            Ok(Redemption {
                entry,
                value: Some(Money::new(value, program.currency)),
                discount: None,
                free_product: None,
                cashback: None,
            })
        })
    }

    /// Spends a reward's required points from a card and says what it gives; a discount
    /// reward needs the order it applies to.
    pub fn redeem_reward(
        &self,
        card: CardId,
        reward: RewardId,
        order: Option<OrderId>,
        key: Option<&str>,
    ) -> Result<Redemption> {
        let now = self.now();
        self.keyed("redeem_reward", key, &(card, reward, order), |tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            let reward = tx
                .reward(reward)?
                .ok_or_else(|| Error::not_found(EntityKind::Reward, reward))?;
            let r = &reward.reward;
            if r.program != card.program {
                return Err(Error::validation(
                    "reward",
                    format!("reward {} belongs to another program", reward.id),
                ));
            }
            if r.valid_from.is_some_and(|f| now < f) || r.valid_until.is_some_and(|u| now >= u) {
                return Err(Error::validation(
                    "reward",
                    format!("reward {} is not valid now", reward.id),
                ));
            }
            let order = order.map(|o| order_of(tx, &card, o)).transpose()?;
            let cur = program.currency;
            let (mut discount, mut free_product, mut cashback) = (None, None, None);
            match &r.kind {
                RewardKind::PercentDiscount { percent } => {
                    let o = order.as_ref().ok_or_else(|| {
                        Error::validation("order", "a percentage discount needs an order")
                    })?;
                    let v = i128::from(o.total.minor) * i128::from(*percent) / 100;
                    discount = Some(Money::new(
                        i64::try_from(v).map_err(|_| overflow("order"))?,
                        cur,
                    ));
                }
                RewardKind::FixedDiscount { amount } => {
                    let cap = order
                        .as_ref()
                        .map_or(*amount, |o| o.total.minor.min(*amount));
                    discount = Some(Money::new(cap, cur));
                }
                RewardKind::FreeProduct { product } => free_product = Some(product.clone()),
                RewardKind::Cashback { amount } => cashback = Some(Money::new(*amount, cur)),
            }
            let mut entry = debit(
                tx,
                &card,
                EntryKind::Redeem,
                r.required_points,
                "reward",
                order.as_ref().map(|o| o.id),
                now,
            );
            if let Ok(e) = &mut entry {
                e.reward = Some(reward.id);
            }
            let entry = entry?;
            Ok(Redemption {
                entry,
                value: None,
                discount,
                free_product,
                cashback,
            })
        })
    }

    /// A manual correction with a reason: positive points make a new lot (expiring under the
    /// program's policy), negative points are taken from the spendable lots.
    pub fn adjust_points(
        &self,
        card: CardId,
        points: i64,
        reason: &str,
        key: Option<&str>,
    ) -> Result<LedgerEntry> {
        let now = self.now();
        if points == 0 {
            return Err(Error::validation("points", "must not be zero"));
        }
        if points == i64::MIN {
            return Err(overflow("points"));
        }
        let reason = clean_text("reason", reason, 500, true)?;
        self.keyed("adjust_points", key, &(card, points, &reason), |tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            let mut entry = if points > 0 {
                let lot = new_lot(&program, &card, EntryKind::Adjust, points, now, None, now)?;
                append(
                    tx,
                    LedgerEntry {
                        source_kind: "manual".to_owned(),
                        ..lot
                    },
                    now,
                )?
            } else {
                debit_entry(
                    tx,
                    &card,
                    EntryKind::Adjust,
                    -points,
                    "manual",
                    None,
                    now,
                    reason.clone(),
                )?
            };
            entry.reason.clone_from(&reason);
            Ok(entry)
        })
    }

    /// Records the expiry of every lot whose time has come at `now`: only its unspent
    /// remainder, once. Running it again at the same `now` changes nothing.
    pub fn expire_points(&self, now: Timestamp) -> Result<ExpiryRun> {
        self.write(|tx| {
            let mut run = ExpiryRun::default();
            for lot in tx.due_lots(now)? {
                let card = get_card(tx, lot.card)?;
                let entry = LedgerEntry {
                    id: EntryId(0),
                    card: card.id,
                    program: card.program,
                    kind: EntryKind::Expire,
                    points: -lot.remaining,
                    pending_until: None,
                    expires_at: None,
                    source_kind: "lot".to_owned(),
                    source_ref: lot.id.0.to_string(),
                    reason: String::new(),
                    order: None,
                    reward: None,
                    shortfall: 0,
                    at: now,
                    allocations: vec![Allocation {
                        lot: lot.id,
                        points: lot.remaining,
                    }],
                };
                append(tx, entry, now)?;
                run.lots += 1;
                run.points = run
                    .points
                    .checked_add(lot.remaining)
                    .ok_or_else(|| overflow("points"))?;
            }
            Ok(run)
        })
    }

    /// Re-evaluates a card's tier now (for downgrades when nothing else happened).
    pub fn refresh_tier(&self, card: CardId) -> Result<Card> {
        let now = self.now();
        self.write(|tx| {
            let card = get_card(tx, card)?;
            let program = get_program(tx, card.program)?;
            update_tier(tx, &mut Lookups::default(), &program, &card, now)
        })
    }

    /// Points issued, redeemed, expired and reversed by a program with `from <= at < until`,
    /// and the points pending and outstanding now with their liability in money.
    pub fn program_metrics(
        &self,
        program: ProgramId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<ProgramMetrics> {
        let now = self.now();
        if until <= from {
            return Err(Error::validation("until", "must be after from"));
        }
        self.read(|tx| {
            let p = get_program(tx, program)?;
            let sums = tx.entry_sums(program, from, until)?;
            let of = |k: EntryKind| sums.iter().find(|s| s.kind == k).copied();
            let credits = |k| of(k).map_or(0, |s| s.credits);
            let debits = |k| of(k).map_or(0, |s| s.debits.checked_neg().unwrap_or(i64::MAX));
            let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| overflow("points"));
            let lots = tx.open_lots(program)?;
            let b = ledger::balance(&lots, now, 0, 0, p.point_value)?;
            let liability = b
                .total
                .checked_mul(p.point_value.minor)
                .ok_or_else(|| overflow("points"))?;
            Ok(ProgramMetrics {
                program,
                from,
                until,
                issued: add(credits(EntryKind::Award), credits(EntryKind::Adjust))?,
                redeemed: debits(EntryKind::Redeem),
                expired: debits(EntryKind::Expire),
                reversed: add(
                    add(debits(EntryKind::Reverse), debits(EntryKind::Clawback))?,
                    debits(EntryKind::Adjust),
                )?,
                pending: b.pending,
                outstanding: b.total,
                liability: Money::new(liability, p.currency),
            })
        })
    }
}

/// Runs `work` at most once per idempotency key inside the caller's transaction and returns
/// its recorded outcome (see `Crm::keyed`).
fn keyed_in<T>(
    tx: &mut dyn WriteTx,
    kind: &str,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
    work: &mut dyn FnMut(&mut dyn WriteTx) -> Result<T>,
) -> Result<Outcome<T>>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    if let Some(stored) = tx.stored_command(key)? {
        if stored.kind != kind || stored.fingerprint != fingerprint {
            return Err(Error::Conflict(format!(
                "idempotency key {key:?} was used for a different {} request",
                stored.kind
            )));
        }
        let outcome: Outcome<T> = serde_json::from_str(&stored.outcome).map_err(|e| {
            Error::storage(crate::StorageKind::Corrupt, format!("stored outcome: {e}"))
        })?;
        return Ok(outcome);
    }
    tx.savepoint()?;
    let outcome = match work(tx) {
        Ok(v) => {
            tx.release_savepoint()?;
            Outcome::Ok(v)
        }
        Err(Error::Validation { field, reason }) => {
            tx.rollback_to_savepoint()?;
            Outcome::Invalid { field, reason }
        }
        Err(Error::NotFound {
            kind: entity,
            key: missing,
        }) => {
            tx.rollback_to_savepoint()?;
            Outcome::NotFound {
                entity: entity.as_str().to_owned(),
                key: missing,
            }
        }
        Err(other) => return Err(other),
    };
    let command = StoredCommand {
        kind: kind.to_owned(),
        fingerprint: fingerprint.to_owned(),
        outcome: json(&outcome)?,
    };
    tx.insert_command(key, &command, now)?;
    Ok(outcome)
}

/// `award_event` inside the caller's transaction, at most once per idempotency `key`.
pub(crate) fn award_event_keyed(
    tx: &mut dyn WriteTx,
    card: CardId,
    event: &LoyaltyEvent,
    key: &str,
    now: Timestamp,
) -> Result<LedgerEntry> {
    let fingerprint = json(&(card, event))?;
    keyed_in(tx, "award_event", key, &fingerprint, now, &mut |tx| {
        award_event_in(tx, card, event, now)
    })?
    .into_result()
}

/// Awards the points a non-purchase event earns on a card (see `Crm::award_event`).
fn award_event_in(
    tx: &mut dyn WriteTx,
    card: CardId,
    event: &LoyaltyEvent,
    now: Timestamp,
) -> Result<LedgerEntry> {
    let card = get_card(tx, card)?;
    let program = get_program(tx, card.program)?;
    let (source_kind, source_ref, once) = match event {
        LoyaltyEvent::Signup => ("signup", String::new(), true),
        LoyaltyEvent::Birthday { year } => ("birthday", year.to_string(), true),
        LoyaltyEvent::Referral { other, role } => {
            if *other == card.customer {
                return Err(Error::validation(
                    "event.other",
                    "a customer cannot refer themselves",
                ));
            }
            get_customer(tx, *other).map_err(|_| {
                Error::validation("event.other", format!("customer {other} does not exist"))
            })?;
            (
                "referral",
                format!("{}:{other}", json(role)?.trim_matches('"')),
                true,
            )
        }
        LoyaltyEvent::Bonus { rule } => ("bonus", rule.0.to_string(), false),
    };
    if once && let Some(existing) = tx.award_for(card.id, source_kind, &source_ref)? {
        return Ok(existing);
    }
    let rules = tx.earn_rules(program.id)?;
    let points = evaluate_event(&rules, event, now, card.tier)?;
    if points == 0 {
        return Err(Error::validation(
            "event",
            "no active rule of the program awards points for it",
        ));
    }
    let entry = new_lot(&program, &card, EntryKind::Award, points, now, None, now)?;
    let entry = LedgerEntry {
        source_kind: source_kind.to_owned(),
        source_ref,
        ..entry
    };
    let mut lookups = Lookups::default();
    let entry = append_award(tx, &mut lookups, &card, entry, now)?;
    update_tier(tx, &mut lookups, &program, &card, now)?;
    Ok(entry)
}

/// Appends an award lot and tells automation about the card's available balance before and after.
fn append_award(
    tx: &mut dyn WriteTx,
    lookups: &mut Lookups,
    card: &Card,
    entry: LedgerEntry,
    now: Timestamp,
) -> Result<LedgerEntry> {
    let entry = append(tx, entry, now)?;
    // Only points-milestone triggers look at this event, and the balance before and after it
    // reads every open lot of the card: without such a trigger both are skipped.
    if !lookups.watches_points(tx)? {
        return Ok(entry);
    }
    let after = ledger::available(&tx.lots(card.id)?, now);
    let locked =
        entry.pending_until.is_some_and(|p| p > now) || entry.expires_at.is_some_and(|e| e <= now);
    let before = if locked {
        after
    } else {
        after.saturating_sub(entry.points)
    };
    let event = Event::PointsAwarded {
        customer: card.customer,
        card: card.id,
        entry: entry.id,
        before,
        after,
    };
    lookups.on_event(tx, event, now)?;
    Ok(entry)
}

/// One program or a not-found error.
pub(crate) fn get_program(tx: &mut (impl ReadTx + ?Sized), id: ProgramId) -> Result<Program> {
    tx.program(id)?
        .ok_or_else(|| Error::not_found(EntityKind::LoyaltyProgram, id))
}

fn get_card(tx: &mut (impl ReadTx + ?Sized), id: CardId) -> Result<Card> {
    tx.card(id)?
        .ok_or_else(|| Error::not_found(EntityKind::LoyaltyCard, id))
}

/// The order a redemption is made against: the card's customer's, and not yet returned
/// (a refund gives back a share of the points redeemed against the order, so every
/// redemption must come before the first return).
fn order_of(tx: &mut dyn WriteTx, card: &Card, id: OrderId) -> Result<Order> {
    let order = get_order(tx, id)?;
    if order.customer != card.customer {
        return Err(Error::validation(
            "order",
            format!("order {id} belongs to another customer"),
        ));
    }
    if !tx.returns_of_order(id)?.is_empty() {
        return Err(Error::validation(
            "order",
            format!("order {id} already has returns"),
        ));
    }
    Ok(order)
}

/// A new lot entry (not yet stored) of `points` awarded at `base` (which sets expiry and pending).
fn new_lot(
    program: &Program,
    card: &Card,
    kind: EntryKind,
    points: i64,
    base: Timestamp,
    pending_days: Option<u32>,
    now: Timestamp,
) -> Result<LedgerEntry> {
    let pending_until = match pending_days {
        Some(d) if d > 0 => Some(base.plus_days(i64::from(d))?),
        _ => None,
    };
    Ok(LedgerEntry {
        id: EntryId(0),
        card: card.id,
        program: program.id,
        kind,
        points,
        pending_until,
        expires_at: expires_at(program.expiry, base)?,
        source_kind: String::new(),
        source_ref: String::new(),
        reason: String::new(),
        order: None,
        reward: None,
        shortfall: 0,
        at: now,
        allocations: Vec::new(),
    })
}

/// Appends an entry, records it in the change feed and returns it with its id.
fn append(tx: &mut dyn WriteTx, mut entry: LedgerEntry, now: Timestamp) -> Result<LedgerEntry> {
    entry.id = tx.insert_ledger_entry(&entry)?;
    tx.record_change(EntityKind::LedgerEntry, entry.id.0, ChangeOp::Insert, now)?;
    Ok(entry)
}

fn debit(
    tx: &mut dyn WriteTx,
    card: &Card,
    kind: EntryKind,
    points: i64,
    source_kind: &str,
    order: Option<OrderId>,
    now: Timestamp,
) -> Result<LedgerEntry> {
    debit_entry(
        tx,
        card,
        kind,
        points,
        source_kind,
        order,
        now,
        String::new(),
    )
}

/// How many lots a debit reads, in spend order, before it reads all of them.
const SPEND_HEADS: [u32; 2] = [8, 128];

/// Takes `points` from the card's spendable lots in spend order, or fails naming `points`.
#[allow(clippy::too_many_arguments)]
fn debit_entry(
    tx: &mut dyn WriteTx,
    card: &Card,
    kind: EntryKind,
    points: i64,
    source_kind: &str,
    order: Option<OrderId>,
    now: Timestamp,
    reason: String,
) -> Result<LedgerEntry> {
    // Most debits are covered by the first few lots in spend order: read only those (more
    // of them while they fall short), and every lot of the card (a long history holds
    // thousands) only as the last step, which also counts what is available for the error.
    let mut lots = None;
    for n in SPEND_HEADS {
        let head = tx.spendable_lots(card.id, now, n)?;
        let covered = head
            .iter()
            .fold(0i64, |sum, lot| sum.saturating_add(lot.remaining));
        if covered >= points {
            lots = Some(head);
            break;
        }
        if head.len() < usize::try_from(n).unwrap_or(usize::MAX) {
            break; // every spendable lot was read and they fall short
        }
    }
    let lots = match lots {
        Some(head) => head,
        None => tx.lots(card.id)?,
    };
    let allocations = allocate(&lots, points, now).map_err(|avail| {
        Error::validation(
            "points",
            format!("{points} is more than the {avail} available"),
        )
    })?;
    let entry = LedgerEntry {
        id: EntryId(0),
        card: card.id,
        program: card.program,
        kind,
        points: -points,
        pending_until: None,
        expires_at: None,
        source_kind: source_kind.to_owned(),
        source_ref: order.map(|o| o.0.to_string()).unwrap_or_default(),
        reason,
        order,
        reward: None,
        shortfall: 0,
        at: now,
        allocations,
    };
    append(tx, entry, now)
}

/// Awards an order's points on a card once; returns the award (the earlier one if it
/// exists) or `None` when the rules give nothing.
pub(crate) fn accrue_order(
    tx: &mut dyn WriteTx,
    lookups: &mut Lookups,
    program: &Program,
    card: &Card,
    order: &Order,
    now: Timestamp,
) -> Result<Option<LedgerEntry>> {
    let source_ref = order.id.0.to_string();
    if let Some(existing) = tx.award_for(card.id, "order", &source_ref)? {
        return Ok(Some(existing));
    }
    let points = evaluate_order(lookups.earn_rules(tx, program.id)?, order, card.tier)?;
    if points == 0 {
        return Ok(None);
    }
    let lot = new_lot(
        program,
        card,
        EntryKind::Award,
        points,
        order.at,
        Some(program.pending_days),
        now,
    )?;
    let lot = LedgerEntry {
        source_kind: "order".to_owned(),
        source_ref,
        order: Some(order.id),
        ..lot
    };
    let entry = append_award(tx, lookups, card, lot, now)?;
    update_tier(tx, lookups, program, card, now)?;
    Ok(Some(entry))
}

/// Reverses the share of an order's award that `returned` (cumulative money returned)
/// represents, less what earlier returns reversed. Under `Refuse`, points already spent
/// make it an error; under `Clawback` they are taken from other lots, and what even they
/// cannot cover is recorded as the clawback's shortfall.
pub(crate) fn reverse_order(
    tx: &mut dyn WriteTx,
    program: &Program,
    card: &Card,
    order: &Order,
    returned: i64,
    now: Timestamp,
) -> Result<()> {
    let Some(award) = tx.award_for(card.id, "order", &order.id.0.to_string())? else {
        return Ok(());
    };
    let target = reversal_target(award.points, returned, order.total.minor);
    let done = tx.reversed_for_order(card.id, order.id)?;
    let due = target.saturating_sub(done);
    if due <= 0 {
        return Ok(());
    }
    let lots = tx.lots(card.id)?;
    let (own, others, shortfall) = reversal_allocation(&lots, Some(award.id), due, now);
    if program.reversal == ReversalPolicy::Refuse && (!others.is_empty() || shortfall > 0) {
        return Err(Error::validation(
            "lines",
            format!(
                "{due} points earned by order {} must be reversed but some were already spent; program {} refuses the return",
                order.id, program.id
            ),
        ));
    }
    let base = LedgerEntry {
        id: EntryId(0),
        card: card.id,
        program: program.id,
        kind: EntryKind::Reverse,
        points: 0,
        pending_until: None,
        expires_at: None,
        source_kind: "order".to_owned(),
        source_ref: order.id.0.to_string(),
        reason: String::new(),
        order: Some(order.id),
        reward: None,
        shortfall: 0,
        at: now,
        allocations: Vec::new(),
    };
    let sum = |a: &[Allocation]| a.iter().map(|x| x.points).sum::<i64>();
    if !own.is_empty() {
        append(
            tx,
            LedgerEntry {
                points: -sum(&own),
                allocations: own.clone(),
                ..base.clone()
            },
            now,
        )?;
    }
    if !others.is_empty() || shortfall > 0 {
        let claw = LedgerEntry {
            kind: EntryKind::Clawback,
            points: -sum(&others),
            allocations: others,
            shortfall,
            ..base
        };
        append(tx, claw, now)?;
    }
    update_tier(tx, &mut Lookups::default(), program, card, now)?;
    Ok(())
}

/// Gives back, as one new lot, the share of the points redeemed against an order (points
/// and rewards) that `returned` (cumulative money returned) represents, less what earlier
/// returns gave back: `floor(redeemed * returned / total)`, so a full return gives back
/// exactly what was redeemed and never more. The lot is an `adjust` entry with source
/// `refund` (the return's id), linked to the order; it is not pending, does not count
/// towards tiers, and expires when the latest-expiring lot the redemptions drew from would
/// have expired (never, if any of them never expires). Points whose time has already come
/// are given back due, and the next expiry run expires them: a refund restores what the
/// customer had, no more.
pub(crate) fn refund_redeemed(
    tx: &mut dyn WriteTx,
    card: &Card,
    order: &Order,
    returned: i64,
    ret: crate::ReturnId,
    now: Timestamp,
) -> Result<Option<LedgerEntry>> {
    let entries = tx.order_entries(card.id, order.id)?;
    let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| overflow("points"));
    let (mut redeemed, mut refunded) = (0i64, 0i64);
    let mut drawn = Vec::new();
    for e in &entries {
        match e.kind {
            EntryKind::Redeem => {
                redeemed = add(
                    redeemed,
                    e.points.checked_neg().ok_or_else(|| overflow("points"))?,
                )?;
                drawn.extend(e.allocations.iter().map(|a| a.lot));
            }
            EntryKind::Adjust if e.source_kind == REFUND_SOURCE => {
                refunded = add(refunded, e.points)?
            }
            _ => {}
        }
    }
    let due = reversal_target(redeemed, returned, order.total.minor).saturating_sub(refunded);
    if due <= 0 {
        return Ok(None);
    }
    let lots = tx.lots(card.id)?;
    let mut expires_at = Some(Timestamp(i64::MIN));
    for id in drawn {
        let lot_expiry = lots.iter().find(|l| l.id == id).and_then(|l| l.expires_at);
        expires_at = expires_at.zip(lot_expiry).map(|(a, b)| a.max(b));
    }
    let entry = LedgerEntry {
        id: EntryId(0),
        card: card.id,
        program: card.program,
        kind: EntryKind::Adjust,
        points: due,
        pending_until: None,
        expires_at,
        source_kind: REFUND_SOURCE.to_owned(),
        source_ref: ret.0.to_string(),
        reason: format!(
            "points redeemed on order {} given back on return {ret}",
            order.id
        ),
        order: Some(order.id),
        reward: None,
        shortfall: 0,
        at: now,
        allocations: Vec::new(),
    };
    append(tx, entry, now).map(Some)
}

/// Re-evaluates a card's tier at `now` and records a change on the card, the change feed
/// and the customer's timeline.
/// `card` was read in this transaction; without tiers it cannot have changed.
fn update_tier(
    tx: &mut dyn WriteTx,
    lookups: &mut Lookups,
    program: &Program,
    card: &Card,
    now: Timestamp,
) -> Result<Card> {
    let tiers = lookups.tiers(tx, program.id)?;
    if tiers.is_empty() {
        return Ok(card.clone());
    }
    let tiers = tiers.to_vec();
    let card = get_card(tx, card.id)?;
    let from = now.plus_days(-i64::from(program.tier_window_days))?;
    let until = Timestamp(now.0.saturating_add(1));
    let amount = match program.tier_basis {
        TierBasis::PointsEarned => tx.earned_between(card.id, from, until)?,
        TierBasis::Spend => tx.spend_between(card.customer, program.currency, from, until)?,
    };
    let qualified = qualifying_tier(&tiers, amount);
    let next = next_tier(
        program.downgrade,
        &tiers,
        card.tier,
        card.tier_since,
        qualified,
        now,
    )?;
    if next == card.tier {
        return Ok(card);
    }
    tx.update_card_tier(card.id, next, now)?;
    tx.record_change(EntityKind::LoyaltyCard, card.id.0, ChangeOp::Update, now)?;
    let name = |t: Option<crate::TierId>| {
        t.and_then(|id| tiers.iter().find(|x| x.id == id))
            .map_or_else(|| "none".to_owned(), |x| x.name.clone())
    };
    let summary = format!(
        "Tier in {}: {} → {}",
        program.name,
        name(card.tier),
        name(next)
    );
    let entry = NewTimelineEntry::new(card.customer, InteractionKind::Loyalty, summary)
        .source(format!("card:{}", card.id))
        .validate(now)?;
    let id = tx.insert_timeline_entry(&entry)?;
    tx.record_change(EntityKind::TimelineEntry, id.0, ChangeOp::Insert, now)?;
    lookups.on_event(
        tx,
        Event::TierChanged {
            customer: card.customer,
            card: card.id,
            entry: id.0,
        },
        now,
    )?;
    Ok(Card {
        tier: next,
        tier_since: now,
        ..card
    })
}
