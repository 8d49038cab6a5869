//! Sales: orders with lines, returns against them, and a customer's purchase facts.
//!
//! Amounts cross as `Decimal`s (or ints) in the order's currency; the core keeps minor units.

use crate::convert::{minor_units, money_to_py, timestamp_from_py, timestamp_to_py};
use crate::crm::Crm;
use crate::errors::{to_py, validation};
use crmlite::sales::{CustomerFacts, NewOrder, NewOrderLine, NewReturn, Order, Return};
use crmlite::{Currency, CustomerId, Money, OrderId};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(record_order, m)?)?;
    m.add_function(wrap_pyfunction!(record_return, m)?)?;
    m.add_function(wrap_pyfunction!(order, m)?)?;
    m.add_function(wrap_pyfunction!(order_by_external_id, m)?)?;
    m.add_function(wrap_pyfunction!(returns_of_order, m)?)?;
    m.add_function(wrap_pyfunction!(customer_facts, m)?)?;
    Ok(())
}

fn item<'py>(d: &Bound<'py, PyDict>, key: &str, field: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?
        .ok_or_else(|| validation(d.py(), field, "is missing"))
}

fn line_from_py(d: &Bound<'_, PyDict>, i: usize, currency: Currency) -> PyResult<NewOrderLine> {
    let f = |name: &str| format!("lines[{i}].{name}");
    let py = d.py();
    let product: String = item(d, "product", &f("product"))?.extract()?;
    let quantity: i64 = item(d, "quantity", &f("quantity"))?
        .extract()
        .map_err(|_| validation(py, &f("quantity"), "must be an int"))?;
    let price = minor_units(
        &item(d, "unit_price", &f("unit_price"))?,
        currency.exponent(),
        &f("unit_price"),
    )?;
    let mut line = NewOrderLine::new(product, quantity, price);
    if let Some(c) = d.get_item("category")? {
        line = line.category(c.extract::<String>()?);
    }
    if let Some(tags) = d.get_item("tags")? {
        line.tags = tags.extract()?;
    }
    if let Some(discount) = d.get_item("discount")? {
        line = line.discount(minor_units(&discount, currency.exponent(), &f("discount"))?);
    }
    if d.get_item("reward")?
        .is_some_and(|r| r.is_truthy().unwrap_or(false))
    {
        line = line.reward();
    }
    Ok(line)
}

/// Records a purchase (awarding points on the customer's cards) and returns the order.
#[pyfunction]
#[pyo3(signature = (crm, customer, currency, lines, *, paid, channel, store, external_id, at))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn record_order<'py>(
    py: Python<'py>,
    crm: &Crm,
    customer: i64,
    currency: &str,
    lines: Vec<Bound<'py, PyDict>>,
    paid: Option<&Bound<'py, PyAny>>,
    channel: String,
    store: String,
    external_id: Option<String>,
    at: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cur = Currency::parse(currency, "currency").map_err(|e| to_py(py, &e))?;
    let mut new = NewOrder::new(CustomerId(customer), currency)
        .channel(channel)
        .store(store);
    for (i, l) in lines.iter().enumerate() {
        new = new.line(line_from_py(l, i, cur)?);
    }
    new.paid = paid
        .map(|p| minor_units(p, cur.exponent(), "paid"))
        .transpose()?;
    new.external_id = external_id;
    new.at = at.map(|a| timestamp_from_py(a, "at")).transpose()?;
    let order = crm.run(py, |c| c.record_order(&new))?;
    order_to_py(py, &order)
}

/// Records a return of `(line, quantity)` pairs of an order and returns it.
#[pyfunction]
#[pyo3(signature = (crm, order, lines, *, external_id, at))]
fn record_return<'py>(
    py: Python<'py>,
    crm: &Crm,
    order: i64,
    lines: Vec<(i64, i64)>,
    external_id: Option<String>,
    at: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut new = NewReturn::new(OrderId(order));
    for (i, (line, quantity)) in lines.into_iter().enumerate() {
        let line = u32::try_from(line)
            .map_err(|_| validation(py, &format!("lines[{i}].line"), "no such order line"))?;
        new = new.line(line, quantity);
    }
    new.external_id = external_id;
    new.at = at.map(|a| timestamp_from_py(a, "at")).transpose()?;
    let ret = crm.run(py, |c| c.record_return(&new))?;
    return_to_py(py, &ret)
}

/// One order by id.
#[pyfunction]
fn order<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let order = crm.run(py, |c| c.order(OrderId(id)))?;
    order_to_py(py, &order)
}

/// The order with this external document id (receipt number).
#[pyfunction]
fn order_by_external_id<'py>(
    py: Python<'py>,
    crm: &Crm,
    external_id: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let order = crm.run(py, |c| c.order_by_external_id(external_id))?;
    order_to_py(py, &order)
}

/// Every return of an order, oldest first.
#[pyfunction]
fn returns_of_order<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyList>> {
    let returns = crm.run(py, |c| c.returns_of_order(OrderId(id)))?;
    let list = PyList::empty(py);
    for r in &returns {
        list.append(return_to_py(py, r)?)?;
    }
    Ok(list)
}

/// A customer's purchase facts.
#[pyfunction]
fn customer_facts<'py>(py: Python<'py>, crm: &Crm, customer: i64) -> PyResult<Bound<'py, PyDict>> {
    let facts = crm.run(py, |c| c.customer_facts(CustomerId(customer)))?;
    facts_to_py(py, &facts)
}

fn money<'py>(py: Python<'py>, minor: i64, currency: Currency) -> PyResult<Bound<'py, PyAny>> {
    money_to_py(py, &Money::new(minor, currency))
}

pub(crate) fn order_to_py<'py>(py: Python<'py>, o: &Order) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", o.id.get())?;
    d.set_item("customer", o.customer.get())?;
    d.set_item("currency", o.currency.code())?;
    let lines = PyList::empty(py);
    for l in &o.lines {
        let ld = PyDict::new(py);
        ld.set_item("line", l.line)?;
        ld.set_item("product", &l.product)?;
        ld.set_item("category", &l.category)?;
        ld.set_item("tags", &l.tags)?;
        ld.set_item("quantity", l.quantity)?;
        ld.set_item("unit_price", money(py, l.unit_price, o.currency)?)?;
        ld.set_item("discount", money(py, l.discount, o.currency)?)?;
        ld.set_item("total", money(py, l.total, o.currency)?)?;
        ld.set_item("reward", l.reward)?;
        lines.append(ld)?;
    }
    d.set_item("lines", lines)?;
    d.set_item("total", money_to_py(py, &o.total)?)?;
    d.set_item("paid", money_to_py(py, &o.paid)?)?;
    d.set_item("channel", &o.channel)?;
    d.set_item("store", &o.store)?;
    d.set_item("external_id", &o.external_id)?;
    d.set_item("at", timestamp_to_py(py, o.at)?)?;
    d.set_item("created_at", timestamp_to_py(py, o.created_at)?)?;
    Ok(d)
}

pub(crate) fn return_to_py<'py>(py: Python<'py>, r: &Return) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", r.id.get())?;
    d.set_item("order", r.order.get())?;
    d.set_item("customer", r.customer.get())?;
    let lines = PyList::empty(py);
    for l in &r.lines {
        lines.append((l.line, l.quantity, money(py, l.amount, r.amount.currency)?))?;
    }
    d.set_item("lines", lines)?;
    d.set_item("amount", money_to_py(py, &r.amount)?)?;
    d.set_item("external_id", &r.external_id)?;
    d.set_item("at", timestamp_to_py(py, r.at)?)?;
    Ok(d)
}

fn facts_to_py<'py>(py: Python<'py>, f: &CustomerFacts) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("customer", f.customer.get())?;
    d.set_item(
        "first_purchase",
        f.first_purchase
            .map(|t| timestamp_to_py(py, t))
            .transpose()?,
    )?;
    d.set_item(
        "last_purchase",
        f.last_purchase
            .map(|t| timestamp_to_py(py, t))
            .transpose()?,
    )?;
    d.set_item("order_count", f.order_count)?;
    let by = PyList::empty(py);
    for s in &f.by_currency {
        let sd = PyDict::new(py);
        sd.set_item("currency", s.currency.code())?;
        sd.set_item("order_count", s.order_count)?;
        sd.set_item("spend", money_to_py(py, &s.spend)?)?;
        sd.set_item("returned", money_to_py(py, &s.returned)?)?;
        sd.set_item("first_purchase", timestamp_to_py(py, s.first_purchase)?)?;
        sd.set_item("last_purchase", timestamp_to_py(py, s.last_purchase)?)?;
        by.append(sd)?;
    }
    d.set_item("by_currency", by)?;
    Ok(d)
}
