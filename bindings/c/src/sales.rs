//! Sales: recording purchases (which award points) and returns (which reverse them).

use crate::boundary::{FfiError, guard};
use crate::db::crmlite;
use crate::handle::{self, Out};
use crate::status::crmlite_status;
use crate::strings;
use ::crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
use ::crmlite::{CustomerId, OrderId, Timestamp};
use std::ffi::c_char;

/// Reads `count` elements of the array argument `name`; NULL is accepted only with a count of 0.
///
/// # Safety
/// `ptr` is NULL or points to `count` readable elements.
unsafe fn array<'a, T>(ptr: *const T, count: usize, name: &str) -> Result<&'a [T], FfiError> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::Misuse(format!(
            "{name} must not be NULL when the count is {count}"
        )));
    }
    // SAFETY: non-NULL, and the caller promises `count` readable elements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// Records a purchase of `customer` in `currency` (ISO 4217) with `count` lines: line `i`
/// is `quantities[i]` units of `products[i]` at `unit_prices[i]` minor units (luma for AMD).
/// `external_id` is the receipt number (NULL for none): the same receipt sent again returns
/// the first order and changes nothing. `at_ms` is when it was bought (Unix milliseconds,
/// UTC; 0 means now). Points are awarded on every card the customer holds in a program of
/// that currency. Writes the order's id to `*id_out`.
///
/// Ownership: every string and array is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`, `lines`, `lines[i].quantity`,
/// `lines[i].unit_price`, `products[i]`, ...), CRMLITE_ERR_NOT_FOUND (no such customer),
/// CRMLITE_ERR_CONFLICT (the receipt number was used for other content), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `currency` is a NUL-terminated string;
/// `external_id` is NULL or one; `products`, `quantities` and `unit_prices` each point to
/// `count` elements (or are NULL with a count of 0); `id_out` is valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a C signature: arrays and their count
pub unsafe extern "C" fn crmlite_order_record(
    db: *const crmlite,
    customer: i64,
    currency: *const c_char,
    external_id: *const c_char,
    products: *const *const c_char,
    quantities: *const i64,
    unit_prices: *const i64,
    count: usize,
    at_ms: i64,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises NUL-terminated strings (or NULL where allowed).
        let (currency, external_id) = unsafe {
            (
                strings::arg(currency, "currency")?,
                strings::opt_arg(external_id, "external_id")?,
            )
        };
        // SAFETY: the caller promises `count` elements in each array.
        let (products, quantities, prices) = unsafe {
            (
                strings::arg_list(products, count, "products")?,
                array(quantities, count, "quantities")?,
                array(unit_prices, count, "unit_prices")?,
            )
        };
        let mut new = NewOrder::new(CustomerId(customer), currency);
        for ((product, quantity), price) in products.into_iter().zip(quantities).zip(prices) {
            new = new.line(NewOrderLine::new(product, *quantity, *price));
        }
        new.external_id = external_id.map(str::to_owned);
        if at_ms != 0 {
            new = new.at(Timestamp(at_ms));
        }
        out.set(db.record_order(&new)?.id.get());
        Ok(())
    })
}

/// Records a return of `count` lines of `order`: `quantities[i]` units of order line
/// `lines[i]` (lines count from 0). The points those lines earned are reversed on every card
/// that earned them, as the program's reversal policy says. Writes the return's id to
/// `*id_out`.
///
/// Ownership: the arrays are only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `lines`, `lines[i].line` for a line
/// already returned, `lines[i].quantity` for more than is left), CRMLITE_ERR_NOT_FOUND (no
/// such order), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `lines` and `quantities` each point to
/// `count` elements (or are NULL with a count of 0); `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_return_record(
    db: *const crmlite,
    order: i64,
    lines: *const u32,
    quantities: *const i64,
    count: usize,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        // SAFETY: the caller promises `count` elements in each array.
        let (lines, quantities) = unsafe {
            (
                array(lines, count, "lines")?,
                array(quantities, count, "quantities")?,
            )
        };
        let mut new = NewReturn::new(OrderId(order));
        for (line, quantity) in lines.iter().zip(quantities) {
            new = new.line(*line, *quantity);
        }
        out.set(db.record_return(&new)?.id.get());
        Ok(())
    })
}
