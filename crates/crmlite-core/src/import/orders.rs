//! Import of purchase history: one row per order line, grouped into orders by receipt number.

use super::rows::{SourceRow, read_rows};
use super::service::{count, sort_rejected, split_list};
use super::{
    ImportOptions, ImportReport, MatchBy, Progress, ProgressFn, RejectedRow, all_or_nothing,
};
use crate::deal::service::active_product;
use crate::lookups::Lookups;
use crate::money::{Currency, parse_decimal};
use crate::reference::UpsertOutcome;
use crate::reference::validate::{parse_amount, parse_bool, parse_date, unguard};
use crate::sales::service::{insert_order, same_order};
use crate::sales::{NewOrder, NewOrderLine, validate_order};
use crate::store::WriteTx;
use crate::{Crm, CustomerId, EntityKind, Error, Result, Timestamp, text};
use chrono::{Datelike, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

/// The columns an orders file may have.
const ORDER_COLUMNS: &[&str] = &[
    "receipt",
    "customer",
    "currency",
    "at",
    "channel",
    "store",
    "paid",
    "product",
    "category",
    "tags",
    "quantity",
    "unit_price",
    "discount",
    "reward",
];

/// From this many orders on, a fast-path import builds the order indexes after the load.
const BULK_ORDERS: usize = 1000;

/// The order-level columns: every line of one receipt must give them the same value.
const HEADER_COLUMNS: &[&str] = &["customer", "currency", "at", "channel", "store", "paid"];

/// One order assembled from its rows, before the customer is looked up.
struct OrderRows {
    receipt: String,
    rows: Vec<SourceRow>,
    customer: String,
    order: NewOrder,
}

impl Crm {
    /// Imports purchase history from a CSV or JSON Lines file with one row per order line,
    /// grouped into orders by the `receipt` column (the order's external id), in one
    /// transaction. Each order goes through the same checks and effects as
    /// [`Crm::record_order`] (customer facts, timeline, loyalty points).
    ///
    /// Columns: `receipt` and `customer` (required); `currency` (or the import's currency),
    /// `at` (a date or a date and time in UTC, see [`parse_time`]), `channel`, `store`,
    /// `paid` (the same on every line of a receipt); `product` (required), `category`, `tags`
    /// (separated by `;`), `quantity` (default 1), `unit_price` (required), `discount` and
    /// `reward` per line. Amounts are in the currency's major units and accept decimal
    /// commas, thousands separators and Persian or Arabic-Indic digits.
    ///
    /// `customer` is the buyer's `external_code` among customers of the import's customer
    /// kind, or with [`MatchBy::ExternalId`] the buyer's id in that external system.
    /// A receipt already stored with the same content is unchanged; with other content its
    /// rows are rejected. With [`ImportOptions::known_products`] each line's `product` must be
    /// the code of an active entry of the `product` directory, or its row is rejected on
    /// `product`. The report counts orders, not rows; a rejected order reports each
    /// of its rows at fault (or its first row for an order-level problem).
    pub fn import_orders(&self, data: &[u8], options: &ImportOptions) -> Result<ImportReport> {
        self.order_import(data, options, &mut Progress::none())
    }

    /// [`Crm::import_orders`], calling `progress` as [`Crm::import_directory_with_progress`]
    /// does; the records written are orders.
    pub fn import_orders_with_progress(
        &self,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let every = options.progress_every;
        self.order_import(data, options, &mut Progress::new(progress, every))
    }

    fn order_import(
        &self,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut Progress<'_, '_>,
    ) -> Result<ImportReport> {
        let now = self.now();
        let known = |f: &str| ORDER_COLUMNS.contains(&f);
        let (rows, mut rejected) = read_rows(data, options, &known, progress)?;
        let orders = group_orders(rows, options, now, &mut rejected);
        sort_rejected(&mut rejected);
        all_or_nothing(options.mode, &rejected)?;
        self.write(|tx| {
            let mut report = ImportReport {
                rejected: rejected.clone(),
                ..ImportReport::default()
            };
            // Into an empty orders table no receipt can be stored yet; without loyalty
            // programs nothing reads orders by customer during the load, so the order
            // indexes are built once after it.
            report.fast_path = tx.order_count()? == 0;
            let suspended =
                if report.fast_path && orders.len() >= BULK_ORDERS && tx.programs()?.is_empty() {
                    tx.suspend_order_indexes()?
                } else {
                    Vec::new()
                };
            let mut buyers = HashMap::new();
            let mut products = HashMap::new();
            progress.start_writing(orders.len());
            for order in &orders {
                match write_order(
                    tx,
                    order,
                    options,
                    &mut buyers,
                    &mut products,
                    report.fast_path,
                    now,
                )? {
                    Ok(outcome) => count(&mut report, outcome),
                    Err(r) => report.rejected.extend(r),
                }
                progress.wrote()?;
            }
            tx.resume_order_indexes(&suspended)?;
            progress.write_done()?;
            sort_rejected(&mut report.rejected);
            all_or_nothing(options.mode, &report.rejected)?;
            Ok(report)
        })
    }
}

/// Groups the rows by receipt in order of first appearance and checks each order without the
/// database; an order with a bad row is dropped and its bad rows are reported.
fn group_orders(
    rows: Vec<SourceRow>,
    options: &ImportOptions,
    now: Timestamp,
    rejected: &mut Vec<RejectedRow>,
) -> Vec<OrderRows> {
    let mut groups: Vec<(String, Vec<SourceRow>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let Some(receipt) = row.get("receipt").map(unguard) else {
            rejected.push(row.reject("receipt", "is required"));
            continue;
        };
        match index.get(&receipt) {
            Some(&i) => {
                if let Some((_, group)) = groups.get_mut(i) {
                    group.push(row);
                }
            }
            None => {
                index.insert(receipt.clone(), groups.len());
                groups.push((receipt, vec![row]));
            }
        }
    }
    let mut orders = Vec::with_capacity(groups.len());
    for (receipt, rows) in groups {
        match order_of(receipt, rows, options, now) {
            Ok(order) => orders.push(order),
            Err(bad) => rejected.extend(bad),
        }
    }
    orders
}

/// Builds and checks one order from its rows.
fn order_of(
    receipt: String,
    rows: Vec<SourceRow>,
    options: &ImportOptions,
    now: Timestamp,
) -> std::result::Result<OrderRows, Vec<RejectedRow>> {
    let Some(first) = rows.first() else {
        return Err(Vec::new());
    };
    let mut bad = Vec::new();
    for row in rows.iter().skip(1) {
        for column in HEADER_COLUMNS {
            if row.get(column) != first.get(column) {
                bad.push(row.reject(
                    *column,
                    format!(
                        "differs from line {} of receipt {receipt:?}; an order has one {column}",
                        first.line
                    ),
                ));
            }
        }
    }
    let header = header_of(first, options);
    let currency = match &header {
        Ok((_, new)) => Currency::parse(&new.currency, "currency").ok(),
        Err(_) => None,
    };
    let mut lines = Vec::with_capacity(rows.len());
    for row in &rows {
        match currency.map(|c| line_of(row, c)) {
            Some(Ok(line)) => lines.push(line),
            Some(Err(r)) => bad.push(r),
            None => {}
        }
    }
    let (customer, mut new) = match header {
        Ok(h) => h,
        Err(r) => {
            bad.push(r);
            return Err(bad);
        }
    };
    if !bad.is_empty() {
        return Err(bad);
    }
    new.lines = lines;
    new.external_id = Some(receipt.clone());
    match validate_order(&new, now) {
        Ok(_) => Ok(OrderRows {
            receipt,
            rows,
            customer,
            order: new,
        }),
        Err(e) => Err(vec![order_error(&rows, e)]),
    }
}

/// The order-level values of a receipt's first row: the customer key and the order without lines.
fn header_of(
    row: &SourceRow,
    options: &ImportOptions,
) -> std::result::Result<(String, NewOrder), RejectedRow> {
    let customer = row
        .get("customer")
        .map(unguard)
        .ok_or_else(|| row.reject("customer", "is required"))?;
    let currency = match (row.get("currency"), options.currency) {
        (Some(code), _) => {
            Currency::parse(code, "currency").map_err(|e| reject_or(row, e, "currency"))?
        }
        (None, Some(c)) => c,
        (None, None) => {
            return Err(row.reject("currency", "is required (or set the import's currency)"));
        }
    };
    let mut new = NewOrder::new(CustomerId(0), currency.code());
    new.at = row
        .get("at")
        .map(|t| parse_time(t, "at"))
        .transpose()
        .map_err(|e| reject_or(row, e, "at"))?;
    new.channel = row.get("channel").map(unguard).unwrap_or_default();
    new.store = row.get("store").map(unguard).unwrap_or_default();
    new.paid = row
        .get("paid")
        .map(|t| parse_amount(t, currency.exponent(), "paid"))
        .transpose()
        .map_err(|e| reject_or(row, e, "paid"))?;
    Ok((customer, new))
}

/// One order line from its row.
fn line_of(row: &SourceRow, currency: Currency) -> std::result::Result<NewOrderLine, RejectedRow> {
    let product = row
        .get("product")
        .map(unguard)
        .ok_or_else(|| row.reject("product", "is required"))?;
    let quantity = row
        .get("quantity")
        .map(|t| parse_decimal(t, 0, "quantity"))
        .transpose()
        .map_err(|e| reject_or(row, e, "quantity"))?;
    let unit_price = row
        .get("unit_price")
        .ok_or_else(|| row.reject("unit_price", "is required"))?;
    let unit_price = parse_amount(unit_price, currency.exponent(), "unit_price")
        .map_err(|e| reject_or(row, e, "unit_price"))?;
    let discount = row
        .get("discount")
        .map(|t| parse_amount(t, currency.exponent(), "discount"))
        .transpose()
        .map_err(|e| reject_or(row, e, "discount"))?;
    let reward = row
        .get("reward")
        .map(|t| parse_bool(t, "reward"))
        .transpose()
        .map_err(|e| reject_or(row, e, "reward"))?;
    let mut line = NewOrderLine::new(product, quantity.unwrap_or(1), unit_price)
        .discount(discount.unwrap_or(0));
    line.category = row.get("category").map(unguard).unwrap_or_default();
    line.tags = row.get("tags").map(split_list).unwrap_or_default();
    line.reward = reward.unwrap_or(false);
    Ok(line)
}

/// A parse error of `column` as a rejection of `row`.
fn reject_or(row: &SourceRow, e: Error, column: &str) -> RejectedRow {
    match e {
        Error::Validation { reason, .. } => row.reject(column, reason),
        other => row.reject(column, other.to_string()),
    }
}

/// A check of the whole order as a rejection of the row it names: `lines[2].discount` is the
/// third row's `discount`; an order-level field is the first row's.
fn order_error(rows: &[SourceRow], e: Error) -> RejectedRow {
    let (field, reason) = match e {
        Error::Validation { field, reason } => (field, reason),
        other => ("receipt".to_owned(), other.to_string()),
    };
    let line = field
        .strip_prefix("lines[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(i, col)| Some((i.parse::<usize>().ok()?, col.trim_start_matches('.'))));
    match line.and_then(|(i, col)| rows.get(i).map(|r| (r, col))) {
        Some((row, col)) => row.reject(col.split(['[', '.']).next().unwrap_or(col), reason),
        None => match rows.first() {
            Some(row) => row.reject(
                if field == "lines" {
                    "receipt"
                } else {
                    field.as_str()
                },
                reason,
            ),
            None => RejectedRow {
                line: 0,
                field,
                reason,
            },
        },
    }
}

/// Finds the buyer (remembered in `buyers` by key) and stores one checked order; an unknown
/// buyer or a receipt stored with other content rejects the order. `fast` (the orders table
/// was empty) skips the lookup of the receipt: receipts are unique within the file.
fn write_order(
    tx: &mut dyn WriteTx,
    group: &OrderRows,
    options: &ImportOptions,
    buyers: &mut HashMap<String, Option<CustomerId>>,
    products: &mut HashMap<String, Option<String>>,
    fast: bool,
    now: Timestamp,
) -> Result<std::result::Result<UpsertOutcome, Vec<RejectedRow>>> {
    let Some(first) = group.rows.first() else {
        return Ok(Ok(UpsertOutcome::Unchanged));
    };
    if options.known_products {
        let unknown = unknown_products(tx, group, products)?;
        if !unknown.is_empty() {
            return Ok(Err(unknown));
        }
    }
    let key = &group.customer;
    let customer = match buyers.get(key) {
        Some(found) => *found,
        None => {
            let found = match find_buyer(tx, key, options)? {
                Ok(found) => found,
                Err(reason) => return Ok(Err(vec![first.reject("customer", reason)])),
            };
            buyers.insert(key.clone(), found);
            found
        }
    };
    let Some(customer) = customer else {
        let how = match &options.match_by {
            MatchBy::ExternalCode => format!(
                "no {} has external code {key:?}",
                options.customer_kind.as_str()
            ),
            MatchBy::ExternalId(system) => format!("no customer has {system} id {key:?}"),
        };
        return Ok(Err(vec![first.reject("customer", how)]));
    };
    let mut new = group.order.clone();
    new.customer = customer;
    let order = match validate_order(&new, now) {
        Ok(o) => o,
        Err(e) => return Ok(Err(vec![order_error(&group.rows, e)])),
    };
    if !fast && let Some(existing) = tx.order_by_external_id(&group.receipt)? {
        return Ok(if same_order(&existing, &order, new.at.is_some()) {
            Ok(UpsertOutcome::Unchanged)
        } else {
            Err(vec![first.reject(
                "receipt",
                format!(
                    "{:?} is already used by order {} with other content",
                    group.receipt, existing.id
                ),
            )])
        });
    }
    insert_order(tx, &mut Lookups::default(), order, now)?;
    Ok(Ok(UpsertOutcome::Inserted))
}

/// The rows of an order whose `product` is not the code of an active product entry, each
/// rejected on `product`; `products` remembers each code's fault (`None`: known).
fn unknown_products(
    tx: &mut dyn WriteTx,
    group: &OrderRows,
    products: &mut HashMap<String, Option<String>>,
) -> Result<Vec<RejectedRow>> {
    let mut bad = Vec::new();
    for (row, line) in group.rows.iter().zip(&group.order.lines) {
        let fault = match products.get(&line.product) {
            Some(fault) => fault.clone(),
            None => {
                let fault = match active_product(tx, &line.product, "product") {
                    Ok(_) => None,
                    Err(Error::Validation { reason, .. }) => Some(reason),
                    Err(e) => return Err(e),
                };
                products.insert(line.product.clone(), fault.clone());
                fault
            }
        };
        if let Some(reason) = fault {
            bad.push(row.reject("product", reason));
        }
    }
    Ok(bad)
}

/// The buyer a row's `customer` key names, if any; a key mapped to a record that is not a
/// customer is the inner error.
fn find_buyer(
    tx: &mut dyn WriteTx,
    key: &str,
    options: &ImportOptions,
) -> Result<std::result::Result<Option<CustomerId>, String>> {
    Ok(Ok(match &options.match_by {
        MatchBy::ExternalCode => tx
            .customer_by_code(options.customer_kind, key)?
            .map(|c| c.id),
        MatchBy::ExternalId(system) => match tx.external_id(system, key)? {
            Some(m) if m.entity == EntityKind::Customer => Some(CustomerId(m.entity_id)),
            Some(_) => return Ok(Err(format!("{system} id {key:?} is not a customer"))),
            None => None,
        },
    }))
}

/// Reads a purchase time in UTC: RFC 3339, or a date in one of the import's date forms
/// optionally followed by a space or `T` and `HH:MM` or `HH:MM:SS`; a date alone is midnight.
/// Years before 1900 are refused: they are almost always Solar Hijri dates (`1405/09/16`).
pub(crate) fn parse_time(t: &str, field: &str) -> Result<Timestamp> {
    let t = text::ascii_digits(t.trim());
    if let Ok(ts) = Timestamp::parse_rfc3339(&t, field) {
        return Ok(ts);
    }
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t.as_str(), None),
    };
    let bad = || {
        Error::validation(
            field,
            format!("{t:?} is not a time (use 2026-12-07 14:30 or 07.12.2026 14:30)"),
        )
    };
    let date = parse_date(date, field).map_err(|_| bad())?;
    let time = match time {
        Some(s) => NaiveTime::parse_from_str(s, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
            .map_err(|_| bad())?,
        None => NaiveTime::MIN,
    };
    if date.year() < 1900 {
        return Err(Error::validation(
            field,
            format!("{t:?} is before 1900; write Gregorian dates, not Solar Hijri ones"),
        ));
    }
    Ok(Timestamp::from_datetime(
        NaiveDateTime::new(date, time).and_utc(),
    ))
}
