//! Conversions between crmlite values and Python objects: times, dates, money, attributes.
//!
//! Times are aware `datetime`s in UTC (naive ones are rejected), dates are `date`s, and money
//! crosses as a `(Decimal, currency)` tuple that the Python layer wraps in `crmlite.Money`.

use crate::errors::validation;
use chrono::{DateTime, NaiveDate, Utc};
use crmlite::customer::AttributeValue;
use crmlite::{Currency, Money, Timestamp};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDelta, PyFloat, PyInt, PyString, PyTuple, PyTzInfo,
};

/// An aware UTC `datetime` for `ts`.
pub(crate) fn timestamp_to_py(py: Python<'_>, ts: Timestamp) -> PyResult<Bound<'_, PyAny>> {
    let dt = ts
        .to_datetime()
        .ok_or_else(|| validation(py, "timestamp", "is outside the datetime range"))?;
    Ok(dt.into_pyobject(py)?.into_any())
}

/// A timestamp from an aware `datetime`; a naive one or any other type is a validation error on `field`.
pub(crate) fn timestamp_from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Timestamp> {
    let py = value.py();
    let dt = value.cast::<PyDateTime>().map_err(|_| {
        validation(
            py,
            field,
            format!("must be a datetime, not {}", type_name(value)),
        )
    })?;
    if dt.call_method0("utcoffset")?.is_none() {
        return Err(validation(
            py,
            field,
            "must be an aware datetime (give it a tzinfo such as UTC)",
        ));
    }
    let utc = dt.call_method1("astimezone", (PyTzInfo::utc(py)?,))?;
    let dt: DateTime<Utc> = utc.extract()?;
    Ok(Timestamp::from_datetime(dt))
}

/// A calendar date; a `datetime` (which is also a `date`) or another type is a validation error on `field`.
pub(crate) fn date_from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDate> {
    if value.is_instance_of::<PyDateTime>() || !value.is_instance_of::<PyDate>() {
        return Err(validation(
            value.py(),
            field,
            format!("must be a date, not {}", type_name(value)),
        ));
    }
    value.extract()
}

/// Milliseconds in a `timedelta` (microseconds are dropped).
pub(crate) fn delta_millis(value: &Bound<'_, PyAny>, field: &str) -> PyResult<i64> {
    let py = value.py();
    let delta = value.cast::<PyDelta>().map_err(|_| {
        validation(
            py,
            field,
            format!("must be a timedelta, not {}", type_name(value)),
        )
    })?;
    let delta: chrono::TimeDelta = delta.extract()?;
    Ok(delta.num_milliseconds())
}

/// A `(Decimal, currency)` tuple for `money`; the Decimal has exactly the currency's digits.
pub(crate) fn money_to_py<'py>(py: Python<'py>, money: &Money) -> PyResult<Bound<'py, PyAny>> {
    let amount = py
        .import("decimal")?
        .getattr("Decimal")?
        .call1((money.to_decimal_string(),))?;
    Ok((amount, money.currency.code())
        .into_pyobject(py)?
        .into_any())
}

/// Money from a `(Decimal | int, currency)` tuple, exactly: never through floating point.
pub(crate) fn money_from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Money> {
    let py = value.py();
    let tuple = value
        .cast::<PyTuple>()
        .ok()
        .filter(|t| t.len() == 2)
        .ok_or_else(|| validation(py, field, "must be crmlite.Money(amount, currency)"))?;
    let code: String = tuple
        .get_item(1)?
        .extract()
        .map_err(|_| validation(py, &format!("{field}.currency"), "must be a string"))?;
    let currency = Currency::parse(&code, &format!("{field}.currency"))
        .map_err(|e| crate::errors::to_py(py, &e))?;
    let minor = minor_units(
        &tuple.get_item(0)?,
        currency.exponent(),
        &format!("{field}.amount"),
    )?;
    Ok(Money::new(minor, currency))
}

/// An amount (a `Decimal` or an `int`) in minor units with `exponent` fraction digits.
pub(crate) fn minor_units(amount: &Bound<'_, PyAny>, exponent: u32, field: &str) -> PyResult<i64> {
    let py = amount.py();
    let overflow = || validation(py, field, "overflows");
    let scale = 10i64.checked_pow(exponent).ok_or_else(overflow)?;
    if amount.is_instance_of::<PyInt>() && !amount.is_instance_of::<PyBool>() {
        let whole: i64 = amount.extract().map_err(|_| overflow())?;
        return whole.checked_mul(scale).ok_or_else(overflow);
    }
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    if !amount.is_instance(&decimal)? {
        return Err(validation(
            py,
            field,
            format!("must be a Decimal or an int, not {}", type_name(amount)),
        ));
    }
    if !amount.call_method0("is_finite")?.is_truthy()? {
        return Err(validation(py, field, "must be a finite number"));
    }
    // `as_tuple()` is exact; arithmetic on Decimals would round to the context's precision.
    let (sign, digits, exp): (i64, Vec<i64>, i64) = amount.call_method0("as_tuple")?.extract()?;
    let shift = exp.checked_add(i64::from(exponent)).ok_or_else(overflow)?;
    let dropped = usize::try_from(shift.min(0).unsigned_abs()).unwrap_or(usize::MAX);
    let kept = digits.len().saturating_sub(dropped);
    if digits.iter().skip(kept).any(|d| *d != 0) {
        return Err(validation(
            py,
            field,
            format!("has more than {exponent} digits after the decimal point"),
        ));
    }
    let mut value: i64 = 0;
    for d in digits.iter().take(kept) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(*d))
            .ok_or_else(overflow)?;
    }
    if value != 0 {
        for _ in 0..shift.max(0) {
            value = value.checked_mul(10).ok_or_else(overflow)?;
        }
    }
    Ok(if sign == 1 { -value } else { value })
}

/// The Python value of an attribute: `str`, `int`, `bool`, `date`, `datetime` or a money tuple.
pub(crate) fn attribute_to_py<'py>(
    py: Python<'py>,
    value: &AttributeValue,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        AttributeValue::Text(t) => t.into_pyobject(py)?.into_any(),
        AttributeValue::Integer(i) => i.into_pyobject(py)?.into_any(),
        AttributeValue::Boolean(b) => PyBool::new(py, *b).to_owned().into_any(),
        AttributeValue::Date(d) => d.into_pyobject(py)?.into_any(),
        AttributeValue::Timestamp(ts) => timestamp_to_py(py, *ts)?,
        AttributeValue::Money(m) => money_to_py(py, m)?,
    })
}

/// An attribute value from Python; floats and unknown types are validation errors on `field`.
pub(crate) fn attribute_from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<AttributeValue> {
    let py = value.py();
    if value.is_instance_of::<PyBool>() {
        return Ok(AttributeValue::Boolean(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        let i: i64 = value
            .extract()
            .map_err(|_| validation(py, field, "does not fit in 64 bits"))?;
        return Ok(AttributeValue::Integer(i));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(AttributeValue::Text(value.extract()?));
    }
    if value.is_instance_of::<PyDateTime>() {
        return Ok(AttributeValue::Timestamp(timestamp_from_py(value, field)?));
    }
    if value.is_instance_of::<PyDate>() {
        return Ok(AttributeValue::Date(value.extract()?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Err(validation(
            py,
            field,
            "must not be a float: use an int, or crmlite.Money for amounts",
        ));
    }
    if value.is_instance_of::<PyTuple>() {
        return Ok(AttributeValue::Money(money_from_py(value, field)?));
    }
    Err(validation(
        py,
        field,
        format!(
            "has unsupported type {}: use str, int, bool, date, datetime or crmlite.Money",
            type_name(value)
        ),
    ))
}

/// A page size from Python; anything outside `u32` becomes 0, which the core rejects as `limit`.
pub(crate) fn page_limit(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}
