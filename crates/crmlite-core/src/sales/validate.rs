//! Checks of order and return input.

use super::{NewOrder, NewReturn, Order, OrderLine, Return, ReturnLine};
use crate::customer::clean_text;
use crate::money::{Currency, Money};
use crate::{Error, OrderId, Result, ReturnId, Timestamp};

/// The most lines an order may have.
pub const MAX_LINES: usize = 1000;

/// Checks a new order and computes its totals; the id is set by the store.
pub fn validate_order(new: &NewOrder, now: Timestamp) -> Result<Order> {
    let currency = Currency::parse(&new.currency, "currency")?;
    if new.lines.is_empty() {
        return Err(Error::validation(
            "lines",
            "an order needs at least one line",
        ));
    }
    if new.lines.len() > MAX_LINES {
        return Err(Error::validation(
            "lines",
            format!("at most {MAX_LINES} lines"),
        ));
    }
    let mut lines = Vec::with_capacity(new.lines.len());
    let mut total: i64 = 0;
    for (i, l) in new.lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let product = clean_text(&field("product"), &l.product, 200, true)?;
        let category = clean_text(&field("category"), &l.category, 200, false)?;
        let mut tags = Vec::with_capacity(l.tags.len());
        for (j, t) in l.tags.iter().enumerate() {
            let tag = clean_text(&format!("lines[{i}].tags[{j}]"), t, 64, true)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags.sort();
        if l.quantity < 1 {
            return Err(Error::validation(field("quantity"), "must be at least 1"));
        }
        if l.unit_price < 0 {
            return Err(Error::validation(
                field("unit_price"),
                "must not be negative",
            ));
        }
        if l.discount < 0 {
            return Err(Error::validation(field("discount"), "must not be negative"));
        }
        let gross = l
            .quantity
            .checked_mul(l.unit_price)
            .ok_or_else(|| Error::validation(field("unit_price"), "amount overflows"))?;
        if l.discount > gross {
            return Err(Error::validation(
                field("discount"),
                "must not exceed the line amount",
            ));
        }
        let line_total = gross - l.discount;
        total = total
            .checked_add(line_total)
            .ok_or_else(|| Error::validation(field("unit_price"), "order total overflows"))?;
        lines.push(OrderLine {
            line: u32::try_from(i).map_err(|_| Error::validation("lines", "too many lines"))?,
            product,
            category,
            tags,
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount: l.discount,
            total: line_total,
            reward: l.reward,
        });
    }
    let paid = new.paid.unwrap_or(total);
    if paid < 0 {
        return Err(Error::validation("paid", "must not be negative"));
    }
    if paid > total {
        return Err(Error::validation("paid", "must not exceed the order total"));
    }
    Ok(Order {
        id: OrderId(0),
        customer: new.customer,
        currency,
        lines,
        total: Money::new(total, currency),
        paid: Money::new(paid, currency),
        channel: clean_text("channel", &new.channel, 100, false)?,
        store: clean_text("store", &new.store, 100, false)?,
        external_id: new
            .external_id
            .as_deref()
            .map(|c| clean_text("external_id", c, 100, true))
            .transpose()?,
        at: new.at.unwrap_or(now),
        created_at: now,
    })
}

/// Units of each order line returned so far by `previous` returns.
fn returned_so_far(order: &Order, previous: &[Return]) -> Vec<i64> {
    order
        .lines
        .iter()
        .map(|l| {
            previous
                .iter()
                .flat_map(|r| r.lines.iter())
                .filter(|rl| rl.line == l.line)
                .map(|rl| rl.quantity)
                .sum()
        })
        .collect()
}

/// Checks a return against its order and the returns already made; computes the amounts.
///
/// A line's money back is its total times the returned share, rounded down, computed on the
/// cumulative quantity so that returning every unit gives back exactly the line total.
pub fn validate_return(
    new: &NewReturn,
    order: &Order,
    previous: &[Return],
    now: Timestamp,
) -> Result<Return> {
    if new.lines.is_empty() {
        return Err(Error::validation(
            "lines",
            "a return needs at least one line",
        ));
    }
    let before = returned_so_far(order, previous);
    let mut lines: Vec<ReturnLine> = Vec::with_capacity(new.lines.len());
    let mut amount: i64 = 0;
    for (i, rl) in new.lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let idx = usize::try_from(rl.line)
            .map_err(|_| Error::validation(field("line"), "no such order line"))?;
        let (Some(ol), Some(&done)) = (order.lines.get(idx), before.get(idx)) else {
            return Err(Error::validation(
                field("line"),
                format!("order {} has no line {}", order.id, rl.line),
            ));
        };
        if lines.iter().any(|l| l.line == rl.line) {
            return Err(Error::validation(
                field("line"),
                "appears twice in this return",
            ));
        }
        if rl.quantity < 1 {
            return Err(Error::validation(field("quantity"), "must be at least 1"));
        }
        let left = ol.quantity - done;
        if left == 0 {
            return Err(Error::validation(
                field("line"),
                format!("line {} was already returned", rl.line),
            ));
        }
        if rl.quantity > left {
            return Err(Error::validation(
                field("quantity"),
                format!(
                    "{} is more than the {left} bought and not yet returned",
                    rl.quantity
                ),
            ));
        }
        let after = done + rl.quantity;
        let share = |q: i64| -> i64 {
            let v = i128::from(ol.total) * i128::from(q) / i128::from(ol.quantity);
            i64::try_from(v).unwrap_or(i64::MAX)
        };
        let line_amount = share(after) - share(done);
        amount = amount
            .checked_add(line_amount)
            .ok_or_else(|| Error::validation(field("quantity"), "amount overflows"))?;
        lines.push(ReturnLine {
            line: rl.line,
            quantity: rl.quantity,
            amount: line_amount,
        });
    }
    Ok(Return {
        id: ReturnId(0),
        order: order.id,
        customer: order.customer,
        lines,
        amount: Money::new(amount, order.currency),
        external_id: new
            .external_id
            .as_deref()
            .map(|c| clean_text("external_id", c, 100, true))
            .transpose()?,
        at: new.at.unwrap_or(now),
    })
}
