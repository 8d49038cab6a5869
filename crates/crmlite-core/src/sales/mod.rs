//! Sales records: orders with lines, returns against them, and the customer facts they maintain.

pub(crate) mod service;
mod validate;

pub use validate::{validate_order, validate_return};

use crate::money::{Currency, Money};
use crate::{CustomerId, OrderId, ReturnId, Timestamp};

/// Input for one order line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewOrderLine {
    /// Product reference or code (required).
    pub product: String,
    /// Product category, may be empty.
    pub category: String,
    /// Product tags used by earn-rule filters.
    pub tags: Vec<String>,
    /// Units bought; at least 1.
    pub quantity: i64,
    /// Price of one unit in minor units of the order currency; not negative.
    pub unit_price: i64,
    /// Discount on the whole line in minor units; not negative, at most the line's gross.
    pub discount: i64,
    /// Whether the line is a loyalty reward (it never earns points).
    pub reward: bool,
}

impl NewOrderLine {
    /// `quantity` units of `product` at `unit_price` minor units each.
    #[must_use]
    pub fn new(product: impl Into<String>, quantity: i64, unit_price: i64) -> Self {
        Self {
            product: product.into(),
            category: String::new(),
            tags: Vec::new(),
            quantity,
            unit_price,
            discount: 0,
            reward: false,
        }
    }

    /// Sets the category.
    #[must_use]
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = category.into();
        self
    }

    /// Adds a tag.
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets the line discount in minor units.
    #[must_use]
    pub fn discount(mut self, discount: i64) -> Self {
        self.discount = discount;
        self
    }

    /// Marks the line as a loyalty reward.
    #[must_use]
    pub fn reward(mut self) -> Self {
        self.reward = true;
        self
    }
}

/// Input for a purchase.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewOrder {
    /// The buyer.
    pub customer: CustomerId,
    /// ISO 4217 currency of every amount.
    pub currency: String,
    /// The lines; at least one.
    pub lines: Vec<NewOrderLine>,
    /// Amount paid in money, in minor units; `None` means the order total. Less than the
    /// total when part was paid with points.
    pub paid: Option<i64>,
    /// Sales channel (`till`, `web`), may be empty.
    pub channel: String,
    /// Store or branch, may be empty.
    pub store: String,
    /// The receipt or document id in the system of record; a second order with the same
    /// id and content returns the first one, with other content it is a conflict.
    pub external_id: Option<String>,
    /// When it was bought; `None` means now.
    pub at: Option<Timestamp>,
}

impl NewOrder {
    /// An order of `customer` in `currency` with no lines yet.
    #[must_use]
    pub fn new(customer: CustomerId, currency: impl Into<String>) -> Self {
        Self {
            customer,
            currency: currency.into(),
            lines: Vec::new(),
            paid: None,
            channel: String::new(),
            store: String::new(),
            external_id: None,
            at: None,
        }
    }

    /// Adds a line.
    #[must_use]
    pub fn line(mut self, line: NewOrderLine) -> Self {
        self.lines.push(line);
        self
    }

    /// Sets the amount paid in money.
    #[must_use]
    pub fn paid(mut self, minor: i64) -> Self {
        self.paid = Some(minor);
        self
    }

    /// Sets the channel.
    #[must_use]
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = channel.into();
        self
    }

    /// Sets the store.
    #[must_use]
    pub fn store(mut self, store: impl Into<String>) -> Self {
        self.store = store.into();
        self
    }

    /// Sets the external document id.
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Sets the purchase time.
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }
}

/// A stored order line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderLine {
    /// Position in the order, from 0.
    pub line: u32,
    /// Product reference or code.
    pub product: String,
    /// Category, may be empty.
    pub category: String,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// Units bought.
    pub quantity: i64,
    /// Price of one unit (minor units).
    pub unit_price: i64,
    /// Discount on the line (minor units).
    pub discount: i64,
    /// `quantity * unit_price - discount` (minor units).
    pub total: i64,
    /// Whether the line is a loyalty reward.
    pub reward: bool,
}

/// A stored purchase.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Order {
    /// Store-assigned id.
    pub id: OrderId,
    /// The buyer.
    pub customer: CustomerId,
    /// The currency of every amount.
    pub currency: Currency,
    /// The lines in order.
    pub lines: Vec<OrderLine>,
    /// Sum of the line totals.
    pub total: Money,
    /// Amount paid in money.
    pub paid: Money,
    /// Sales channel.
    pub channel: String,
    /// Store or branch.
    pub store: String,
    /// Document id in the system of record.
    pub external_id: Option<String>,
    /// When it was bought.
    pub at: Timestamp,
    /// When it was recorded.
    pub created_at: Timestamp,
}

/// One line of a return request: which order line and how many units.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewReturnLine {
    /// The order line's position (`OrderLine::line`).
    pub line: u32,
    /// Units returned; at least 1 and at most what is left of the line.
    pub quantity: i64,
}

/// Input for a return of some lines of an order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewReturn {
    /// The original order.
    pub order: OrderId,
    /// The returned lines; at least one, each order line at most once.
    pub lines: Vec<NewReturnLine>,
    /// The return document id in the system of record.
    pub external_id: Option<String>,
    /// When it happened; `None` means now.
    pub at: Option<Timestamp>,
}

impl NewReturn {
    /// A return against `order` with no lines yet.
    #[must_use]
    pub fn new(order: OrderId) -> Self {
        Self {
            order,
            lines: Vec::new(),
            external_id: None,
            at: None,
        }
    }

    /// Returns `quantity` units of order line `line`.
    #[must_use]
    pub fn line(mut self, line: u32, quantity: i64) -> Self {
        self.lines.push(NewReturnLine { line, quantity });
        self
    }

    /// Sets the external document id.
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Sets when it happened.
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }
}

/// A stored return line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReturnLine {
    /// The order line's position.
    pub line: u32,
    /// Units returned.
    pub quantity: i64,
    /// Money given back for these units (minor units): the line total times the returned
    /// share, rounded down.
    pub amount: i64,
}

/// A stored return.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Return {
    /// Store-assigned id.
    pub id: ReturnId,
    /// The original order.
    pub order: OrderId,
    /// The customer of the order.
    pub customer: CustomerId,
    /// The returned lines.
    pub lines: Vec<ReturnLine>,
    /// Sum of the line amounts.
    pub amount: Money,
    /// The return document id.
    pub external_id: Option<String>,
    /// When it happened.
    pub at: Timestamp,
}

/// A customer's purchase facts in one currency, maintained on every order and return.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SpendFacts {
    /// The currency.
    pub currency: Currency,
    /// Orders in this currency.
    pub order_count: i64,
    /// Paid amounts minus returned amounts.
    pub spend: Money,
    /// Returned amounts.
    pub returned: Money,
    /// The earliest purchase in this currency.
    pub first_purchase: Timestamp,
    /// The latest purchase in this currency.
    pub last_purchase: Timestamp,
}

/// A customer's purchase facts across currencies.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CustomerFacts {
    /// The customer.
    pub customer: CustomerId,
    /// The earliest purchase, if any.
    pub first_purchase: Option<Timestamp>,
    /// The latest purchase, if any.
    pub last_purchase: Option<Timestamp>,
    /// Orders in every currency.
    pub order_count: i64,
    /// Facts per currency, by currency code.
    pub by_currency: Vec<SpendFacts>,
}

#[cfg(test)]
mod tests;
