//! Customers: drafts to add them, patches to update them, lookups, cursors, accessors and links.

use crate::boundary::{FfiError, guard};
use crate::cursor::{self, Rows};
use crate::db::crmlite;
use crate::handle::{self, Handle, Out};
use crate::status::crmlite_status;
use crate::strings::{self, c_string};
use ::crmlite::CustomerId;
use ::crmlite::customer::{
    Address, AttributeValue, Customer, CustomerKind, CustomerPatch, NewCustomer,
};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::ffi::{CString, c_char};

/// Customer kind: a natural person.
pub const CRMLITE_CUSTOMER_PERSON: i32 = 0;
/// Customer kind: a company or other organisation.
pub const CRMLITE_CUSTOMER_ORGANISATION: i32 = 1;

/// A new customer being put together; create with `crmlite_customer_draft_new`, store with
/// `crmlite_customer_add`, release with `crmlite_customer_draft_free`.
pub struct crmlite_customer_draft {
    _private: [u8; 0],
}

/// Changes to a customer being put together; create with `crmlite_customer_patch_new`, apply
/// with `crmlite_customer_update`, release with `crmlite_customer_patch_free`.
pub struct crmlite_customer_patch {
    _private: [u8; 0],
}

/// A stored person or organisation, read with the `crmlite_customer_*` accessors.
pub struct crmlite_customer {
    _private: [u8; 0],
}

/// The customers found by a query, stepped with `crmlite_customer_cursor_next`.
pub struct crmlite_customer_cursor {
    _private: [u8; 0],
}

impl Handle for crmlite_customer_draft {
    type Target = NewCustomer;
    const NAME: &'static str = "crmlite_customer_draft";
}

impl Handle for crmlite_customer_patch {
    type Target = CustomerPatch;
    const NAME: &'static str = "crmlite_customer_patch";
}

impl Handle for crmlite_customer {
    type Target = CustomerView;
    const NAME: &'static str = "crmlite_customer";
}

impl Handle for crmlite_customer_cursor {
    type Target = Rows<CustomerView>;
    const NAME: &'static str = "crmlite_customer_cursor";
}

/// A customer with C copies of its text, so accessors can lend `const char *`.
pub(crate) struct CustomerView {
    customer: Customer,
    name: CString,
    emails: Vec<CString>,
    phones: Vec<(CString, CString)>,
    tags: Vec<CString>,
    language: Option<CString>,
    external_code: Option<CString>,
    address: Option<[CString; 6]>,
    text_attributes: BTreeMap<String, CString>,
}

impl CustomerView {
    fn new(customer: Customer) -> Result<Self, FfiError> {
        let all = |items: &mut dyn Iterator<Item = &str>| {
            items.map(c_string).collect::<Result<Vec<_>, _>>()
        };
        let address = match &customer.address {
            Some(a) => Some([
                c_string(&a.line1)?,
                c_string(&a.line2)?,
                c_string(&a.city)?,
                c_string(&a.region)?,
                c_string(&a.postal_code)?,
                c_string(&a.country)?,
            ]),
            None => None,
        };
        let mut text_attributes = BTreeMap::new();
        for (key, value) in &customer.attributes {
            if let AttributeValue::Text(text) = value {
                text_attributes.insert(key.clone(), c_string(text)?);
            }
        }
        Ok(Self {
            name: c_string(&customer.name)?,
            emails: all(&mut customer.emails.iter().map(|e| e.address.as_str()))?,
            phones: customer
                .phones
                .iter()
                .map(|p| Ok((c_string(&p.e164)?, c_string(&p.raw)?)))
                .collect::<Result<_, FfiError>>()?,
            tags: all(&mut customer.tags.iter().map(String::as_str))?,
            language: customer.language.as_deref().map(c_string).transpose()?,
            external_code: customer
                .external_code
                .as_deref()
                .map(c_string)
                .transpose()?,
            address,
            text_attributes,
            customer,
        })
    }

    fn cursor(customers: Vec<Customer>, next_page: Option<String>) -> Result<Rows<Self>, FfiError> {
        let rows = customers
            .into_iter()
            .map(Self::new)
            .collect::<Result<_, _>>()?;
        Rows::page(rows, next_page)
    }
}

fn kind(value: i32) -> Result<CustomerKind, FfiError> {
    match value {
        CRMLITE_CUSTOMER_PERSON => Ok(CustomerKind::Person),
        CRMLITE_CUSTOMER_ORGANISATION => Ok(CustomerKind::Organisation),
        _ => Err(FfiError::validation(
            "kind",
            "must be CRMLITE_CUSTOMER_PERSON or CRMLITE_CUSTOMER_ORGANISATION",
        )),
    }
}

fn kind_code(kind: CustomerKind) -> i32 {
    match kind {
        CustomerKind::Person => CRMLITE_CUSTOMER_PERSON,
        CustomerKind::Organisation => CRMLITE_CUSTOMER_ORGANISATION,
    }
}

fn date(year: i32, month: i32, day: i32) -> Result<NaiveDate, FfiError> {
    let month = u32::try_from(month).ok();
    let day = u32::try_from(day).ok();
    month
        .zip(day)
        .and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .ok_or_else(|| FfiError::validation("birthday", "is not a calendar date"))
}

/// Reads the six address parts, each a required string (pass "" for none).
///
/// # Safety
/// Each pointer is NULL or a NUL-terminated string alive for the call.
unsafe fn address_args(parts: [*const c_char; 6]) -> Result<Address, FfiError> {
    let names = [
        "address.line1",
        "address.line2",
        "address.city",
        "address.region",
        "address.postal_code",
        "address.country",
    ];
    let mut texts = Vec::with_capacity(6);
    for (ptr, name) in parts.into_iter().zip(names) {
        // SAFETY: the caller's promise about each part is passed on.
        texts.push(unsafe { strings::arg(ptr, name) }?.to_owned());
    }
    let mut it = texts.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Address {
        line1: next(),
        line2: next(),
        city: next(),
        region: next(),
        postal_code: next(),
        country: next(),
    })
}

// ---- drafts ----

/// Starts a new customer of `kind` (`CRMLITE_CUSTOMER_PERSON` or
/// `CRMLITE_CUSTOMER_ORGANISATION`) named `name` and writes the draft to `*draft_out`.
/// Nothing is checked beyond the arguments until `crmlite_customer_add`.
///
/// Ownership: `name` is copied. The caller owns `*draft_out` and frees it with
/// `crmlite_customer_draft_free`.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind` or `name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `name` is a NUL-terminated string; `draft_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_new(
    kind: i32,
    name: *const c_char,
    draft_out: *mut *mut crmlite_customer_draft,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "name") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(draft_out, "draft_out") }?;
        out.set(handle::into_raw(NewCustomer::new(self::kind(kind)?, name)));
        Ok(())
    })
}

/// Adds an e-mail address to a draft; the first one added is the primary.
///
/// Ownership: `email` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `email`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `email` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_add_email(
    draft: *mut crmlite_customer_draft,
    email: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.emails.push(strings::arg(email, "email")?.to_owned());
            Ok(())
        })
    }
}

/// Adds a phone number, as typed, to a draft; the first one added is the primary.
///
/// Ownership: `phone` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phone`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `phone` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_add_phone(
    draft: *mut crmlite_customer_draft,
    phone: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.phones.push(strings::arg(phone, "phone")?.to_owned());
            Ok(())
        })
    }
}

/// Sets a draft's date of birth (or foundation).
///
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `birthday`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_birthday(
    draft: *mut crmlite_customer_draft,
    year: i32,
    month: i32,
    day: i32,
) -> crmlite_status {
    // SAFETY: the caller's promise is passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.birthday = Some(date(year, month, day)?);
            Ok(())
        })
    }
}

/// Sets a draft's preferred language as a BCP 47 tag (`hy`, `ka`, `fa-IR`).
///
/// Ownership: `language` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `language`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `language` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_language(
    draft: *mut crmlite_customer_draft,
    language: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.language = Some(strings::arg(language, "language")?.to_owned());
            Ok(())
        })
    }
}

/// Adds a tag to a draft.
///
/// Ownership: `tag` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `tag`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `tag` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_add_tag(
    draft: *mut crmlite_customer_draft,
    tag: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.tags.push(strings::arg(tag, "tag")?.to_owned());
            Ok(())
        })
    }
}

/// Sets a draft's code in the system of record (accounting software).
///
/// Ownership: `code` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `code` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_external_code(
    draft: *mut crmlite_customer_draft,
    code: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.external_code = Some(strings::arg(code, "external_code")?.to_owned());
            Ok(())
        })
    }
}

/// Sets a draft's postal address. Every part is required; pass "" for a part you lack.
/// `country` is an ISO 3166-1 alpha-2 code or "".
///
/// Ownership: every part is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `address.<part>`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; every part is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_address(
    draft: *mut crmlite_customer_draft,
    line1: *const c_char,
    line2: *const c_char,
    city: *const c_char,
    region: *const c_char,
    postal_code: *const c_char,
    country: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.address = Some(address_args([
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
            ])?);
            Ok(())
        })
    }
}

/// Sets a text attribute `name` (a-z, 0-9 and _, starting with a letter) on a draft.
///
/// Ownership: `name` and `value` are copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` and `value` are
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_attribute_text(
    draft: *mut crmlite_customer_draft,
    name: *const c_char,
    value: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            let value = AttributeValue::Text(strings::arg(value, "value")?.to_owned());
            d.attributes
                .insert(strings::arg(name, "attribute_name")?.to_owned(), value);
            Ok(())
        })
    }
}

/// Sets a whole-number attribute `name` on a draft.
///
/// Ownership: `name` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_attribute_int(
    draft: *mut crmlite_customer_draft,
    name: *const c_char,
    value: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                AttributeValue::Integer(value),
            );
            Ok(())
        })
    }
}

/// Sets a true/false attribute `name` on a draft.
///
/// Ownership: `name` is copied.
/// Threads: a draft belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_set_attribute_bool(
    draft: *mut crmlite_customer_draft,
    name: *const c_char,
    value: bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(draft, "draft", |d| {
            d.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                AttributeValue::Boolean(value),
            );
            Ok(())
        })
    }
}

/// Releases a draft.
///
/// Ownership: takes back ownership of `draft`.
/// Threads: any thread, once no other thread uses the draft.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `draft` is NULL or came from `crmlite_customer_draft_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_draft_free(draft: *mut crmlite_customer_draft) {
    // SAFETY: the caller hands the draft back exactly once.
    unsafe { handle::free(draft) }
}

// ---- storing and reading ----

/// Checks a draft and stores it as a new customer; writes the new id to `*id_out`.
/// On any error nothing is stored. The draft is not consumed.
///
/// Ownership: `draft` is only read during the call; the caller still frees it.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, such as `phones[0]`),
/// CRMLITE_ERR_CONFLICT (the external code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY
/// or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `draft` comes from
/// `crmlite_customer_draft_new` and is not freed; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_add(
    db: *const crmlite,
    draft: *const crmlite_customer_draft,
    id_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a live draft.
        let draft = unsafe { handle::borrow(draft, "draft") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(id_out, "id_out") }?;
        out.set(db.add_customer(draft)?.id.get());
        Ok(())
    })
}

/// Reads the customer with id `id` and writes it to `*customer_out`.
///
/// Ownership: the caller owns `*customer_out` and frees it with `crmlite_customer_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `customer_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_get(
    db: *const crmlite,
    id: i64,
    customer_out: *mut *mut crmlite_customer,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(customer_out, "customer_out") }?;
        out.set(handle::into_raw(CustomerView::new(
            db.customer(CustomerId(id))?,
        )?));
        Ok(())
    })
}

/// Reads the customer of `kind` with external code `code` and writes it to `*customer_out`.
///
/// Ownership: `code` is only read. The caller owns `*customer_out` and frees it with
/// `crmlite_customer_free`.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `kind` or
/// `code`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
/// `customer_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_by_code(
    db: *const crmlite,
    kind: i32,
    code: *const c_char,
    customer_out: *mut *mut crmlite_customer,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let code = unsafe { strings::arg(code, "code") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(customer_out, "customer_out") }?;
        let found = db.customer_by_code(self::kind(kind)?, code)?;
        out.set(handle::into_raw(CustomerView::new(found)?));
        Ok(())
    })
}

/// Runs a query that yields customers and writes a cursor over them to `*cursor_out`.
///
/// # Safety
/// `db` is NULL or live; `cursor_out` is NULL or writable.
unsafe fn query(
    db: *const crmlite,
    cursor_out: *mut *mut crmlite_customer_cursor,
    run: impl FnOnce(&::crmlite::Crm) -> Result<Rows<CustomerView>, FfiError>,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller's promise about db is passed on.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller's promise about cursor_out is passed on.
        let out = unsafe { Out::new(cursor_out, "cursor_out") }?;
        out.set(handle::into_raw(run(db)?));
        Ok(())
    })
}

/// Finds customers whose name, e-mail, phone, code or tags match every word of `query`,
/// whatever the case, accents or letter variants (`ნინო` finds `ᲜᲘᲜᲝ`); at most `limit`
/// (1-1000). Writes a cursor to `*cursor_out`.
///
/// Ownership: `query` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_customer_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `query` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `query` is a NUL-terminated string;
/// `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_search(
    db: *const crmlite,
    query: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_customer_cursor,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        self::query(db, cursor_out, |db| {
            let found = db.search_customers(strings::arg(query, "query")?, limit)?;
            CustomerView::cursor(found, None)
        })
    }
}

/// Finds the customers that have the e-mail address `email` and writes a cursor to
/// `*cursor_out`.
///
/// Ownership: `email` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_customer_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `email`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `email` is a NUL-terminated string;
/// `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_by_email(
    db: *const crmlite,
    email: *const c_char,
    cursor_out: *mut *mut crmlite_customer_cursor,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        query(db, cursor_out, |db| {
            CustomerView::cursor(db.customers_by_email(strings::arg(email, "email")?)?, None)
        })
    }
}

/// Finds the customers that have the phone number `phone`, typed in any form the default
/// region allows (`+374 10 12-34-56`, Persian digits), and writes a cursor to `*cursor_out`.
///
/// Ownership: `phone` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_customer_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phone`), CRMLITE_ERR_STORAGE or
/// CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `phone` is a NUL-terminated string;
/// `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_by_phone(
    db: *const crmlite,
    phone: *const c_char,
    cursor_out: *mut *mut crmlite_customer_cursor,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        query(db, cursor_out, |db| {
            CustomerView::cursor(db.customers_by_phone(strings::arg(phone, "phone")?)?, None)
        })
    }
}

/// Lists customers in id order, one page of at most `limit` (1-1000), starting after the
/// page token `page` (NULL for the first page). Writes a cursor to `*cursor_out`; its
/// `crmlite_customer_cursor_next_page` gives the token for the following page.
///
/// Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
/// `crmlite_customer_cursor_free`.
/// Threads: `db` may be used from several threads at once; the cursor by one at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
/// CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
/// string; `cursor_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_list(
    db: *const crmlite,
    page: *const c_char,
    limit: u32,
    cursor_out: *mut *mut crmlite_customer_cursor,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        query(db, cursor_out, |db| {
            let found = db.list_customers(strings::opt_arg(page, "page")?, limit)?;
            CustomerView::cursor(found.items, found.next)
        })
    }
}

/// Steps a customer cursor: writes the next customer to `*row_out` and returns CRMLITE_ROW,
/// or returns CRMLITE_DONE when there are no more.
///
/// Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed;
/// do not free it.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from a customer query and is not freed; `row_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_cursor_next(
    cursor: *mut crmlite_customer_cursor,
    row_out: *mut *const crmlite_customer,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next(cursor, row_out) }
}

/// Writes the token of the page after this one to `*token_out`, or NULL on the last page
/// (and for queries that are not paged). Pass it to `crmlite_customer_list`.
///
/// Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
/// Threads: a cursor belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `cursor` comes from a customer query and is not freed; `token_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_cursor_next_page(
    cursor: *const crmlite_customer_cursor,
    token_out: *mut *mut c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { cursor::next_page(cursor, token_out) }
}

/// Releases a customer cursor and every row it lent.
///
/// Ownership: takes back ownership of `cursor`.
/// Threads: any thread, once no other thread uses the cursor.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `cursor` is NULL or came from a customer query and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_cursor_free(cursor: *mut crmlite_customer_cursor) {
    // SAFETY: the caller hands the cursor back exactly once.
    unsafe { handle::free(cursor) }
}

/// Releases a customer returned by `crmlite_customer_get` or `crmlite_customer_by_code`
/// (never a row lent by a cursor).
///
/// Ownership: takes back ownership of `customer`.
/// Threads: any thread, once no other thread uses the customer.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `customer` is NULL or came from `crmlite_customer_get`/`crmlite_customer_by_code` and is
/// not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_free(customer: *mut crmlite_customer) {
    // SAFETY: the caller hands the customer back exactly once.
    unsafe { handle::free(customer) }
}

// ---- accessors ----

/// Borrows the customer behind `customer` and writes `read(view)` to `out`.
///
/// # Safety
/// `customer` is NULL or a live customer; `out` is NULL or writable.
unsafe fn field<T>(
    customer: *const crmlite_customer,
    out: *mut T,
    out_name: &str,
    read: impl FnOnce(&CustomerView) -> Result<T, FfiError>,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { handle::read(customer, "customer", out, out_name, read) }
}

fn item<'a, T>(items: &'a [T], index: usize, what: &str) -> Result<&'a T, FfiError> {
    items.get(index).ok_or_else(|| {
        FfiError::Misuse(format!(
            "index {index} is out of range: the customer has {} {what}",
            items.len()
        ))
    })
}

/// Writes the customer's id to `*id_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `id_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_id(
    customer: *const crmlite_customer,
    id_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(customer, id_out, "id_out", |c| Ok(c.customer.id.get())) }
}

/// Writes the customer's kind (`CRMLITE_CUSTOMER_PERSON` or `CRMLITE_CUSTOMER_ORGANISATION`)
/// to `*kind_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `kind_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_kind(
    customer: *const crmlite_customer,
    kind_out: *mut i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, kind_out, "kind_out", |c| {
            Ok(kind_code(c.customer.kind))
        })
    }
}

/// Writes the customer's display name to `*name_out`.
///
/// Ownership: `*name_out` is borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `name_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_name(
    customer: *const crmlite_customer,
    name_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(customer, name_out, "name_out", |c| Ok(c.name.as_ptr())) }
}

/// Writes the customer's version to `*version_out`; pass it to `crmlite_customer_update`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_version(
    customer: *const crmlite_customer,
    version_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, version_out, "version_out", |c| {
            Ok(c.customer.version)
        })
    }
}

/// Writes how many e-mail addresses the customer has to `*count_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_email_count(
    customer: *const crmlite_customer,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(customer, count_out, "count_out", |c| Ok(c.emails.len())) }
}

/// Writes e-mail address number `index` (0 is the primary) to `*email_out`.
///
/// Ownership: `*email_out` is borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `customer` is a live customer or cursor row; `email_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_email_at(
    customer: *const crmlite_customer,
    index: usize,
    email_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, email_out, "email_out", |c| {
            Ok(item(&c.emails, index, "e-mails")?.as_ptr())
        })
    }
}

/// Writes how many phone numbers the customer has to `*count_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_phone_count(
    customer: *const crmlite_customer,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(customer, count_out, "count_out", |c| Ok(c.phones.len())) }
}

/// Writes phone number `index` (0 is the primary) in E.164 form (`+37410123456`) to
/// `*e164_out` and as it was typed to `*raw_out`.
///
/// Ownership: both strings are borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `customer` is a live customer or cursor row; `e164_out` and `raw_out` are valid for
/// writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_phone_at(
    customer: *const crmlite_customer,
    index: usize,
    e164_out: *mut *const c_char,
    raw_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live customer.
        let c = unsafe { handle::borrow(customer, "customer") }?;
        // SAFETY: the caller promises writable outputs.
        let (e164_out, raw_out) = unsafe {
            (
                Out::new(e164_out, "e164_out")?,
                Out::new(raw_out, "raw_out")?,
            )
        };
        let (e164, raw) = item(&c.phones, index, "phones")?;
        e164_out.set(e164.as_ptr());
        raw_out.set(raw.as_ptr());
        Ok(())
    })
}

/// Writes whether the customer has a birthday to `*has_out`, and its year, month (1-12) and
/// day (1-31) to the other outputs (zeros when it has none).
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_birthday(
    customer: *const crmlite_customer,
    has_out: *mut bool,
    year_out: *mut i32,
    month_out: *mut i32,
    day_out: *mut i32,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live customer.
        let c = unsafe { handle::borrow(customer, "customer") }?;
        // SAFETY: the caller promises writable outputs.
        let outs = unsafe {
            (
                Out::new(has_out, "has_out")?,
                Out::new(year_out, "year_out")?,
                Out::new(month_out, "month_out")?,
                Out::new(day_out, "day_out")?,
            )
        };
        let birthday = c.customer.birthday;
        let number = |n: u32| i32::try_from(n).unwrap_or_default();
        outs.0.set(birthday.is_some());
        outs.1.set(birthday.map_or(0, |d| d.year()));
        outs.2.set(birthday.map_or(0, |d| number(d.month())));
        outs.3.set(birthday.map_or(0, |d| number(d.day())));
        Ok(())
    })
}

/// Writes the customer's preferred language (a BCP 47 tag) to `*language_out`, or NULL if
/// none is set.
///
/// Ownership: `*language_out` is borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `language_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_language(
    customer: *const crmlite_customer,
    language_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, language_out, "language_out", |c| {
            Ok(optional(c.language.as_ref()))
        })
    }
}

fn optional(text: Option<&CString>) -> *const c_char {
    text.map_or(std::ptr::null(), |t| t.as_ptr())
}

/// Writes how many tags the customer has to `*count_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `count_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_tag_count(
    customer: *const crmlite_customer,
    count_out: *mut usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe { field(customer, count_out, "count_out", |c| Ok(c.tags.len())) }
}

/// Writes tag number `index` (tags are sorted) to `*tag_out`.
///
/// Ownership: `*tag_out` is borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
///
/// # Safety
/// `customer` is a live customer or cursor row; `tag_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_tag_at(
    customer: *const crmlite_customer,
    index: usize,
    tag_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, tag_out, "tag_out", |c| {
            Ok(item(&c.tags, index, "tags")?.as_ptr())
        })
    }
}

/// Writes the customer's external code to `*code_out`, or NULL if none is set.
///
/// Ownership: `*code_out` is borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `code_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_external_code(
    customer: *const crmlite_customer,
    code_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, code_out, "code_out", |c| {
            Ok(optional(c.external_code.as_ref()))
        })
    }
}

/// Writes the six parts of the customer's postal address to the outputs, or NULL to each
/// when it has no address. Empty parts are "".
///
/// Ownership: the strings are borrowed from the customer; valid until it is freed.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; every output is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_address(
    customer: *const crmlite_customer,
    line1_out: *mut *const c_char,
    line2_out: *mut *const c_char,
    city_out: *mut *const c_char,
    region_out: *mut *const c_char,
    postal_code_out: *mut *const c_char,
    country_out: *mut *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live customer.
        let c = unsafe { handle::borrow(customer, "customer") }?;
        let pointers = [
            line1_out,
            line2_out,
            city_out,
            region_out,
            postal_code_out,
            country_out,
        ];
        let names = [
            "line1_out",
            "line2_out",
            "city_out",
            "region_out",
            "postal_code_out",
            "country_out",
        ];
        let mut outs = Vec::with_capacity(6);
        for (ptr, name) in pointers.into_iter().zip(names) {
            // SAFETY: the caller promises writable outputs.
            outs.push(unsafe { Out::new(ptr, name) }?);
        }
        for (i, out) in outs.into_iter().enumerate() {
            out.set(
                c.address
                    .as_ref()
                    .and_then(|parts| parts.get(i))
                    .map_or(std::ptr::null(), |p| p.as_ptr()),
            );
        }
        Ok(())
    })
}

/// Writes the text attribute `name` to `*value_out`, or NULL if the customer has no text
/// attribute of that name.
///
/// Ownership: `name` is only read; `*value_out` is borrowed from the customer.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `name` is a NUL-terminated string;
/// `value_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_attribute_text(
    customer: *const crmlite_customer,
    name: *const c_char,
    value_out: *mut *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, value_out, "value_out", |c| {
            Ok(optional(
                c.text_attributes.get(strings::arg(name, "attribute_name")?),
            ))
        })
    }
}

/// Writes whether the customer has a whole-number attribute `name` to `*has_out`, and its
/// value (0 when absent) to `*value_out`.
///
/// Ownership: `name` is only read.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `name` is a NUL-terminated string; the
/// outputs are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_attribute_int(
    customer: *const crmlite_customer,
    name: *const c_char,
    has_out: *mut bool,
    value_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        attribute(customer, name, has_out, value_out, |v| match v {
            AttributeValue::Integer(n) => Some(*n),
            _ => None,
        })
    }
}

/// Writes whether the customer has a true/false attribute `name` to `*has_out`, and its
/// value (false when absent) to `*value_out`.
///
/// Ownership: `name` is only read.
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `name` is a NUL-terminated string; the
/// outputs are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_attribute_bool(
    customer: *const crmlite_customer,
    name: *const c_char,
    has_out: *mut bool,
    value_out: *mut bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        attribute(customer, name, has_out, value_out, |v| match v {
            AttributeValue::Boolean(b) => Some(*b),
            _ => None,
        })
    }
}

/// Reads a scalar attribute of one type into `has_out` and `value_out`.
///
/// # Safety
/// Each pointer is NULL or valid as the exports above require.
unsafe fn attribute<T: Default>(
    customer: *const crmlite_customer,
    name: *const c_char,
    has_out: *mut bool,
    value_out: *mut T,
    pick: impl Fn(&AttributeValue) -> Option<T>,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live customer.
        let c = unsafe { handle::borrow(customer, "customer") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let name = unsafe { strings::arg(name, "attribute_name") }?;
        // SAFETY: the caller promises writable outputs.
        let (has_out, value_out) = unsafe {
            (
                Out::new(has_out, "has_out")?,
                Out::new(value_out, "value_out")?,
            )
        };
        let value = c.customer.attributes.get(name).and_then(pick);
        has_out.set(value.is_some());
        value_out.set(value.unwrap_or_default());
        Ok(())
    })
}

/// Writes when the customer was created (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_created_at(
    customer: *const crmlite_customer,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, ms_out, "ms_out", |c| {
            Ok(c.customer.created_at.millis())
        })
    }
}

/// Writes when the customer was last changed (Unix milliseconds, UTC) to `*ms_out`.
///
/// Threads: a customer belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `customer` is a live customer or cursor row; `ms_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_updated_at(
    customer: *const crmlite_customer,
    ms_out: *mut i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        field(customer, ms_out, "ms_out", |c| {
            Ok(c.customer.updated_at.millis())
        })
    }
}

// ---- patches ----

/// Starts an empty patch (it changes nothing until a setter is called) and writes it to
/// `*patch_out`.
///
/// Ownership: the caller owns `*patch_out` and frees it with `crmlite_customer_patch_free`.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch_out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_new(
    patch_out: *mut *mut crmlite_customer_patch,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(patch_out, "patch_out") }?;
        out.set(handle::into_raw(CustomerPatch::default()));
        Ok(())
    })
}

/// Sets a new display name. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_name(
    patch: *mut crmlite_customer_patch,
    name: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.name = Some(strings::arg(name, "name")?.to_owned());
            Ok(())
        })
    }
}

/// Replaces the e-mail addresses with `count` addresses from `emails` (primary first); a count of 0 removes them all. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `emails[i]`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `emails` points to `count` NUL-terminated strings (or is NULL with a count of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_emails(
    patch: *mut crmlite_customer_patch,
    emails: *const *const c_char,
    count: usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.emails = Some(strings::arg_list(emails, count, "emails")?);
            Ok(())
        })
    }
}

/// Replaces the phone numbers with `count` numbers from `phones` (primary first); a count of 0 removes them all. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phones[i]`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `phones` points to `count` NUL-terminated strings (or is NULL with a count of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_phones(
    patch: *mut crmlite_customer_patch,
    phones: *const *const c_char,
    count: usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.phones = Some(strings::arg_list(phones, count, "phones")?);
            Ok(())
        })
    }
}

/// Replaces the tags with `count` tags from `tags`; a count of 0 removes them all. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `tags[i]`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `tags` points to `count` NUL-terminated strings (or is NULL with a count of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_tags(
    patch: *mut crmlite_customer_patch,
    tags: *const *const c_char,
    count: usize,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.tags = Some(strings::arg_list(tags, count, "tags")?);
            Ok(())
        })
    }
}

/// Sets the preferred language (a BCP 47 tag). Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `language`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `language` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_language(
    patch: *mut crmlite_customer_patch,
    language: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.language = Some(Some(strings::arg(language, "language")?.to_owned()));
            Ok(())
        })
    }
}

/// Removes the preferred language. Checked by `crmlite_customer_update`.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_clear_language(
    patch: *mut crmlite_customer_patch,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.language = Some(None);
            Ok(())
        })
    }
}

/// Sets the date of birth (or foundation). Checked by `crmlite_customer_update`.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `birthday`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_birthday(
    patch: *mut crmlite_customer_patch,
    year: i32,
    month: i32,
    day: i32,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.birthday = Some(Some(date(year, month, day)?));
            Ok(())
        })
    }
}

/// Removes the date of birth. Checked by `crmlite_customer_update`.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_clear_birthday(
    patch: *mut crmlite_customer_patch,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.birthday = Some(None);
            Ok(())
        })
    }
}

/// Sets the code in the system of record. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `code` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_external_code(
    patch: *mut crmlite_customer_patch,
    code: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.external_code = Some(Some(strings::arg(code, "external_code")?.to_owned()));
            Ok(())
        })
    }
}

/// Removes the code in the system of record. Checked by `crmlite_customer_update`.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_clear_external_code(
    patch: *mut crmlite_customer_patch,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.external_code = Some(None);
            Ok(())
        })
    }
}

/// Sets the postal address; every part is required, pass "" for a part you lack. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `address.<part>`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; every part is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_address(
    patch: *mut crmlite_customer_patch,
    line1: *const c_char,
    line2: *const c_char,
    city: *const c_char,
    region: *const c_char,
    postal_code: *const c_char,
    country: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.address = Some(Some(address_args([
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
            ])?));
            Ok(())
        })
    }
}

/// Removes the postal address. Checked by `crmlite_customer_update`.
///
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_clear_address(
    patch: *mut crmlite_customer_patch,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.address = Some(None);
            Ok(())
        })
    }
}

/// Sets the text attribute `name`. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` and `value` are NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_attribute_text(
    patch: *mut crmlite_customer_patch,
    name: *const c_char,
    value: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            let value = AttributeValue::Text(strings::arg(value, "value")?.to_owned());
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(value),
            );
            Ok(())
        })
    }
}

/// Sets the whole-number attribute `name`. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_attribute_int(
    patch: *mut crmlite_customer_patch,
    name: *const c_char,
    value: i64,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(AttributeValue::Integer(value)),
            );
            Ok(())
        })
    }
}

/// Sets the true/false attribute `name`. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_set_attribute_bool(
    patch: *mut crmlite_customer_patch,
    name: *const c_char,
    value: bool,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes.insert(
                strings::arg(name, "attribute_name")?.to_owned(),
                Some(AttributeValue::Boolean(value)),
            );
            Ok(())
        })
    }
}

/// Removes the attribute `name`, whatever its type. Checked by `crmlite_customer_update`.
///
/// Ownership: strings are copied.
/// Threads: a patch belongs to one thread at a time.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_remove_attribute(
    patch: *mut crmlite_customer_patch,
    name: *const c_char,
) -> crmlite_status {
    // SAFETY: the caller's promises are passed on.
    unsafe {
        handle::change(patch, "patch", |p| {
            p.attributes
                .insert(strings::arg(name, "attribute_name")?.to_owned(), None);
            Ok(())
        })
    }
}

/// Releases a patch.
///
/// Ownership: takes back ownership of `patch`.
/// Threads: any thread, once no other thread uses the patch.
/// Calling with NULL is fine. Do not call twice.
///
/// # Safety
/// `patch` is NULL or came from `crmlite_customer_patch_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_patch_free(patch: *mut crmlite_customer_patch) {
    // SAFETY: the caller hands the patch back exactly once.
    unsafe { handle::free(patch) }
}

/// Applies `patch` to customer `id` if it is still at `expected_version`, and writes the new
/// version to `*new_version_out`. A stale version is CRMLITE_ERR_CONFLICT; on any error
/// nothing is changed. The patch is not consumed.
///
/// Ownership: `patch` is only read; the caller still frees it.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field), CRMLITE_ERR_NOT_FOUND,
/// CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `patch` comes from
/// `crmlite_customer_patch_new` and is not freed; `new_version_out` is valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_update(
    db: *const crmlite,
    id: i64,
    expected_version: i64,
    patch: *const crmlite_customer_patch,
    new_version_out: *mut i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a live patch.
        let patch = unsafe { handle::borrow(patch, "patch") }?;
        // SAFETY: the caller promises a writable output.
        let out = unsafe { Out::new(new_version_out, "new_version_out") }?;
        out.set(
            db.update_customer(CustomerId(id), expected_version, patch)?
                .version,
        );
        Ok(())
    })
}

// ---- links ----

/// Links the person `person` to the organisation `organisation` with a `role` ("" for none).
/// The link is noted on both timelines, and the organisation's timeline then also shows the
/// person's entries.
///
/// Ownership: `role` is only read.
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `person`, `organisation` or `role`),
/// CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (already linked), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed; `role` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_link(
    db: *const crmlite,
    person: i64,
    organisation: i64,
    role: *const c_char,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        // SAFETY: the caller promises a NUL-terminated string.
        let role = unsafe { strings::arg(role, "role") }?;
        db.link_customer(CustomerId(person), CustomerId(organisation), role)?;
        Ok(())
    })
}

/// Removes the link between `person` and `organisation`.
///
/// Threads: `db` may be used from several threads at once.
/// Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such link), CRMLITE_ERR_STORAGE,
/// CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
///
/// # Safety
/// `db` comes from `crmlite_open` and is not closed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn crmlite_customer_unlink(
    db: *const crmlite,
    person: i64,
    organisation: i64,
) -> crmlite_status {
    guard(|| {
        // SAFETY: the caller promises a live database handle.
        let db = unsafe { handle::borrow(db, "db") }?;
        db.unlink_customer(CustomerId(person), CustomerId(organisation))?;
        Ok(())
    })
}
