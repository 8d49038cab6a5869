//! Sales operations on the `Crm` handle.

use super::{CustomerFacts, NewOrder, NewReturn, Order, Return, validate_order, validate_return};
use crate::automation::service::Event;
use crate::changes::ChangeOp;
use crate::customer::service::get as get_customer;
use crate::lookups::Lookups;
use crate::loyalty::service as loyalty;
use crate::store::{ReadTx, WriteTx};
use crate::timeline::{InteractionKind, NewTimelineEntry};
use crate::{Crm, CustomerId, EntityKind, Error, OrderId, Result, Timestamp};

impl Crm {
    /// Records a purchase, updates the customer's facts, notes it on the timeline and
    /// awards points on every card the customer holds in a program of the order's currency.
    /// The same external id with the same content returns the first order and changes
    /// nothing (a receipt sent twice); with other content it is a conflict.
    pub fn record_order(&self, new: &NewOrder) -> Result<Order> {
        let now = self.now();
        let order = validate_order(new, now)?;
        self.write(|tx| store_order(tx, &mut Lookups::default(), &order, new.at.is_some(), now))
    }

    /// Records a batch of purchases in one transaction, each as [`Crm::record_order`] does,
    /// and returns them in input order. Every order is checked before anything is written;
    /// an error names the order (`orders[3].lines[0].quantity`) and nothing is stored.
    pub fn record_orders(&self, batch: &[NewOrder]) -> Result<Vec<Order>> {
        let now = self.now();
        let orders = batch
            .iter()
            .enumerate()
            .map(|(i, new)| {
                validate_order(new, now).map_err(|e| e.in_field(&format!("orders[{i}]")))
            })
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx| {
            let mut lookups = Lookups::default();
            let mut stored = Vec::with_capacity(orders.len());
            for (i, (order, new)) in orders.iter().zip(batch).enumerate() {
                let one =
                    store_order(tx, &mut lookups, order, new.at.is_some(), now).map_err(|e| {
                        let item = format!("orders[{i}]");
                        match e {
                            Error::NotFound {
                                kind: EntityKind::Customer,
                                key,
                            } => Error::validation(
                                format!("{item}.customer"),
                                format!("customer {key} does not exist"),
                            ),
                            Error::Conflict(m) => Error::Conflict(format!("{item}: {m}")),
                            other => other.in_field(&item),
                        }
                    })?;
                stored.push(one);
            }
            Ok(stored)
        })
    }

    /// Records a return of some lines of an order: updates the customer's facts, notes it on
    /// the timeline, gives back on every card the share of the points redeemed against the
    /// order that the returned money represents (once, as a new lot; see the loyalty module),
    /// and then reverses the same share of the points the order earned. A return the reversal
    /// policy refuses changes nothing. The same external id with the same content returns the first return.
    pub fn record_return(&self, new: &NewReturn) -> Result<Return> {
        let now = self.now();
        self.write(|tx| {
            let order = get_order(tx, new.order)?;
            let previous = tx.returns_of_order(order.id)?;
            let ret = validate_return(new, &order, &previous, now)?;
            if let Some(ext) = &ret.external_id
                && let Some(existing) = tx.return_by_external_id(ext)?
            {
                let same = existing.order == ret.order
                    && existing
                        .lines
                        .iter()
                        .map(|l| (l.line, l.quantity))
                        .eq(new.lines.iter().map(|l| (l.line, l.quantity)));
                return if same {
                    Ok(existing)
                } else {
                    Err(Error::Conflict(format!(
                        "external_id {ext:?} is already used by return {}",
                        existing.id
                    )))
                };
            }
            let mut stored = ret.clone();
            stored.id = tx.insert_return(&stored)?;
            tx.record_change(EntityKind::Return, stored.id.0, ChangeOp::Insert, now)?;
            tx.add_spend_facts(
                stored.customer,
                order.currency,
                None,
                0,
                -stored.amount.minor,
                stored.amount.minor,
            )?;
            note(
                tx,
                stored.customer,
                stored.at,
                format!("Return {} of order {}", stored.amount, order.id),
                format!("return:{}", stored.id),
                now,
            )?;
            let returned = previous
                .iter()
                .map(|r| r.amount.minor)
                .try_fold(stored.amount.minor, i64::checked_add)
                .ok_or_else(|| Error::validation("lines", "amount overflows"))?;
            for card in tx.cards_of_customer(stored.customer)? {
                loyalty::refund_redeemed(tx, &card, &order, returned, stored.id, now)?;
                let program = loyalty::get_program(tx, card.program)?;
                if program.currency == order.currency {
                    loyalty::reverse_order(tx, &program, &card, &order, returned, now)?;
                }
            }
            Ok(stored)
        })
    }

    /// One order with its lines.
    pub fn order(&self, id: OrderId) -> Result<Order> {
        self.read(|tx| get_order(tx, id))
    }

    /// The order with this external document id.
    pub fn order_by_external_id(&self, external_id: &str) -> Result<Order> {
        let ext = external_id.trim();
        self.read(|tx| tx.order_by_external_id(ext))?
            .ok_or_else(|| Error::not_found(EntityKind::Order, ext))
    }

    /// Every return of an order, oldest first.
    pub fn returns_of_order(&self, id: OrderId) -> Result<Vec<Return>> {
        self.read(|tx| {
            get_order(tx, id)?;
            tx.returns_of_order(id)
        })
    }

    /// A customer's purchase facts: first and last purchase, order count and spend per currency.
    pub fn customer_facts(&self, customer: CustomerId) -> Result<CustomerFacts> {
        self.read(|tx| {
            get_customer(tx, customer)?;
            let by_currency = tx.spend_facts(customer)?;
            Ok(CustomerFacts {
                customer,
                first_purchase: by_currency.iter().map(|f| f.first_purchase).min(),
                last_purchase: by_currency.iter().map(|f| f.last_purchase).max(),
                order_count: by_currency.iter().map(|f| f.order_count).sum(),
                by_currency,
            })
        })
    }
}

/// One order or a not-found error.
pub(crate) fn get_order(tx: &mut (impl ReadTx + ?Sized), id: OrderId) -> Result<Order> {
    tx.order(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Order, id))
}

/// Stores a checked order: a resent external id returns the stored order, or is a conflict
/// when the content differs; otherwise as [`insert_order`].
fn store_order(
    tx: &mut dyn WriteTx,
    lookups: &mut Lookups,
    order: &Order,
    time_given: bool,
    now: Timestamp,
) -> Result<Order> {
    lookups.check_customer(tx, order.customer)?;
    if let Some(ext) = &order.external_id
        && let Some(existing) = tx.order_by_external_id(ext)?
    {
        return if same_order(&existing, order, time_given) {
            Ok(existing)
        } else {
            Err(Error::Conflict(format!(
                "external_id {ext:?} is already used by order {}",
                existing.id
            )))
        };
    }
    insert_order(tx, lookups, order.clone(), now)
}

/// Stores a checked order of an existing customer: the order, its change, the customer's
/// facts, the timeline note and the points on the customer's cards in the order's currency.
pub(crate) fn insert_order(
    tx: &mut dyn WriteTx,
    lookups: &mut Lookups,
    order: Order,
    now: Timestamp,
) -> Result<Order> {
    let mut stored = order;
    stored.id = tx.insert_order(&stored)?;
    tx.record_change(EntityKind::Order, stored.id.0, ChangeOp::Insert, now)?;
    tx.add_spend_facts(
        stored.customer,
        stored.currency,
        Some(stored.at),
        1,
        stored.paid.minor,
        0,
    )?;
    note(
        tx,
        stored.customer,
        stored.at,
        format!("Purchase {}", stored.total),
        format!("order:{}", stored.id),
        now,
    )?;
    for card in tx.cards_of_customer(stored.customer)? {
        let program = lookups.program(tx, card.program)?;
        if program.currency == stored.currency {
            loyalty::accrue_order(tx, lookups, &program, &card, &stored, now)?;
        }
    }
    let event = Event::PurchaseRecorded {
        customer: stored.customer,
        order: stored.id,
    };
    lookups.on_event(tx, event, now)?;
    Ok(stored)
}

/// Whether a resent order is the stored one: same content; the time only when it was given.
pub(crate) fn same_order(stored: &Order, new: &Order, time_given: bool) -> bool {
    stored.customer == new.customer
        && stored.currency == new.currency
        && stored.lines == new.lines
        && stored.paid == new.paid
        && stored.channel == new.channel
        && stored.store == new.store
        && (!time_given || stored.at == new.at)
}

fn note(
    tx: &mut dyn WriteTx,
    customer: CustomerId,
    at: Timestamp,
    summary: String,
    source: String,
    now: Timestamp,
) -> Result<()> {
    let entry = NewTimelineEntry::new(customer, InteractionKind::Purchase, summary)
        .at(at)
        .source(source)
        .validate(now)?;
    let id = tx.insert_timeline_entry(&entry)?;
    tx.record_change(EntityKind::TimelineEntry, id.0, ChangeOp::Insert, now)?;
    Ok(())
}
