//! Customers: add, look up, search, list, update and link persons and organisations.

use crate::convert::{
    attribute_from_py, attribute_to_py, date_from_py, page_limit, timestamp_to_py,
};
use crate::crm::Crm;
use crate::errors::validation;
use crmlite::CustomerId;
use crmlite::customer::{
    Address, Customer, CustomerKind, CustomerLink, CustomerPatch, NewCustomer,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::BTreeMap;

/// Registers this domain's functions in the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add_customer, m)?)?;
    m.add_function(wrap_pyfunction!(add_customers, m)?)?;
    m.add_function(wrap_pyfunction!(customer, m)?)?;
    m.add_function(wrap_pyfunction!(customer_by_code, m)?)?;
    m.add_function(wrap_pyfunction!(customers_by_email, m)?)?;
    m.add_function(wrap_pyfunction!(customers_by_phone, m)?)?;
    m.add_function(wrap_pyfunction!(search_customers, m)?)?;
    m.add_function(wrap_pyfunction!(list_customers, m)?)?;
    m.add_function(wrap_pyfunction!(update_customer, m)?)?;
    m.add_function(wrap_pyfunction!(link_customer, m)?)?;
    m.add_function(wrap_pyfunction!(unlink_customer, m)?)?;
    m.add_function(wrap_pyfunction!(customer_links, m)?)?;
    Ok(())
}

/// Adds a person or organisation and returns it as a dict.
#[pyfunction]
#[pyo3(signature = (crm, name, *, kind, emails, phones, address, birthday, language, tags, attributes, external_code))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python method
fn add_customer<'py>(
    py: Python<'py>,
    crm: &Crm,
    name: String,
    kind: &str,
    emails: Vec<String>,
    phones: Vec<String>,
    address: Option<&Bound<'py, PyDict>>,
    birthday: Option<&Bound<'py, PyAny>>,
    language: Option<String>,
    tags: Vec<String>,
    attributes: Option<&Bound<'py, PyDict>>,
    external_code: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let new = new_customer(
        py,
        name,
        kind,
        emails,
        phones,
        address,
        birthday,
        language,
        tags,
        attributes,
        external_code,
    )?;
    let customer = crm.run(py, |c| c.add_customer(&new))?;
    customer_to_py(py, &customer)
}

/// The `NewCustomer` the keyword arguments of `add_customer` describe.
#[allow(clippy::too_many_arguments)] // one parameter per keyword argument
fn new_customer<'py>(
    py: Python<'py>,
    name: String,
    kind: &str,
    emails: Vec<String>,
    phones: Vec<String>,
    address: Option<&Bound<'py, PyDict>>,
    birthday: Option<&Bound<'py, PyAny>>,
    language: Option<String>,
    tags: Vec<String>,
    attributes: Option<&Bound<'py, PyDict>>,
    external_code: Option<String>,
) -> PyResult<NewCustomer> {
    let mut new = NewCustomer::new(parse_kind(py, kind)?, name);
    new.emails = emails;
    new.phones = phones;
    new.address = address.map(address_from_py).transpose()?;
    new.birthday = birthday.map(|b| date_from_py(b, "birthday")).transpose()?;
    new.language = language;
    new.tags = tags;
    if let Some(attributes) = attributes {
        for (key, value) in attributes_from_py(attributes)? {
            match value {
                Some(value) => new.attributes.insert(key, value),
                None => {
                    return Err(validation(
                        py,
                        &format!("attributes.{key}"),
                        "must not be None",
                    ));
                }
            };
        }
    }
    new.external_code = external_code;
    Ok(new)
}

/// One item of an `add_customers` batch: a dict with every keyword of `add_customer`
/// (the Python layer fills in the defaults).
fn new_customer_from_dict<'py>(
    py: Python<'py>,
    item: &Bound<'py, PyDict>,
) -> PyResult<NewCustomer> {
    let get = |key: &str| -> PyResult<Bound<'py, PyAny>> {
        item.get_item(key)?
            .ok_or_else(|| validation(py, key, "is missing"))
    };
    let optional = |key: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
        let value = get(key)?;
        Ok((!value.is_none()).then_some(value))
    };
    let address = optional("address")?;
    let attributes = optional("attributes")?;
    let birthday = optional("birthday")?;
    new_customer(
        py,
        get("name")?.extract()?,
        &get("kind")?.extract::<String>()?,
        get("emails")?.extract()?,
        get("phones")?.extract()?,
        address.as_ref().map(|a| a.cast::<PyDict>()).transpose()?,
        birthday.as_ref(),
        get("language")?.extract()?,
        get("tags")?.extract()?,
        attributes
            .as_ref()
            .map(|a| a.cast::<PyDict>())
            .transpose()?,
        get("external_code")?.extract()?,
    )
}

/// Adds many customers in one transaction (all or none) and returns their ids in order.
#[pyfunction]
fn add_customers(
    py: Python<'_>,
    crm: &Crm,
    customers: Vec<Bound<'_, PyDict>>,
) -> PyResult<Vec<i64>> {
    let batch = customers
        .iter()
        .enumerate()
        .map(|(i, item)| {
            new_customer_from_dict(py, item).map_err(|e| {
                let prefix = format!("customers[{i}]");
                match e
                    .value(py)
                    .getattr("field")
                    .and_then(|f| f.extract::<String>())
                {
                    Ok(field) => validation(
                        py,
                        &format!("{prefix}.{field}"),
                        e.value(py)
                            .getattr("reason")
                            .and_then(|r| r.extract::<String>())
                            .unwrap_or_default(),
                    ),
                    Err(_) => e,
                }
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let ids = crm.run(py, |c| c.add_customers(&batch))?;
    Ok(ids.into_iter().map(|id| id.0).collect())
}

/// One customer by id.
#[pyfunction]
fn customer<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyDict>> {
    let customer = crm.run(py, |c| c.customer(CustomerId(id)))?;
    customer_to_py(py, &customer)
}

/// One customer by kind and external code.
#[pyfunction]
fn customer_by_code<'py>(
    py: Python<'py>,
    crm: &Crm,
    kind: &str,
    code: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = parse_kind(py, kind)?;
    let customer = crm.run(py, |c| c.customer_by_code(kind, code))?;
    customer_to_py(py, &customer)
}

/// Customers having this e-mail address.
#[pyfunction]
fn customers_by_email<'py>(
    py: Python<'py>,
    crm: &Crm,
    email: &str,
) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.customers_by_email(email))?;
    customers_to_py(py, &found)
}

/// Customers having this phone number.
#[pyfunction]
fn customers_by_phone<'py>(
    py: Python<'py>,
    crm: &Crm,
    phone: &str,
) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.customers_by_phone(phone))?;
    customers_to_py(py, &found)
}

/// Customers matching every word of `query`, in any script.
#[pyfunction]
#[pyo3(signature = (crm, query, *, limit))]
fn search_customers<'py>(
    py: Python<'py>,
    crm: &Crm,
    query: &str,
    limit: i64,
) -> PyResult<Bound<'py, PyList>> {
    let found = crm.run(py, |c| c.search_customers(query, page_limit(limit)))?;
    customers_to_py(py, &found)
}

/// One page of customers in id order: `(items, next_cursor)`.
#[pyfunction]
#[pyo3(signature = (crm, *, cursor, limit))]
fn list_customers<'py>(
    py: Python<'py>,
    crm: &Crm,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
    let page = crm.run(py, |c| {
        c.list_customers(cursor.as_deref(), page_limit(limit))
    })?;
    Ok((customers_to_py(py, &page.items)?, page.next))
}

/// Applies `patch` (a dict of the fields to change; `None` clears) if the customer is at `version`.
#[pyfunction]
#[pyo3(signature = (crm, id, *, version, patch))]
fn update_customer<'py>(
    py: Python<'py>,
    crm: &Crm,
    id: i64,
    version: i64,
    patch: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let patch = patch_from_py(patch)?;
    let customer = crm.run(py, |c| c.update_customer(CustomerId(id), version, &patch))?;
    customer_to_py(py, &customer)
}

/// Links a person to an organisation.
#[pyfunction]
#[pyo3(signature = (crm, person, organisation, *, role))]
fn link_customer<'py>(
    py: Python<'py>,
    crm: &Crm,
    person: i64,
    organisation: i64,
    role: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let link = crm.run(py, |c| {
        c.link_customer(CustomerId(person), CustomerId(organisation), role)
    })?;
    link_to_py(py, &link)
}

/// Removes a person's link to an organisation.
#[pyfunction]
fn unlink_customer(py: Python<'_>, crm: &Crm, person: i64, organisation: i64) -> PyResult<()> {
    crm.run(py, |c| {
        c.unlink_customer(CustomerId(person), CustomerId(organisation))
    })
}

/// The links of a customer.
#[pyfunction]
fn customer_links<'py>(py: Python<'py>, crm: &Crm, id: i64) -> PyResult<Bound<'py, PyList>> {
    let links = crm.run(py, |c| c.customer_links(CustomerId(id)))?;
    let list = PyList::empty(py);
    for link in &links {
        list.append(link_to_py(py, link)?)?;
    }
    Ok(list)
}

fn parse_kind(py: Python<'_>, kind: &str) -> PyResult<CustomerKind> {
    CustomerKind::parse(kind).map_err(|e| crate::errors::to_py(py, &e))
}

const ADDRESS_PARTS: [&str; 6] = ["line1", "line2", "city", "region", "postal_code", "country"];

fn address_from_py(dict: &Bound<'_, PyDict>) -> PyResult<Address> {
    let py = dict.py();
    let mut address = Address::default();
    for (key, value) in dict.iter() {
        let key: String = key.extract()?;
        let field = || format!("address.{key}");
        let text: String = if value.is_none() {
            String::new()
        } else {
            value
                .extract()
                .map_err(|_| validation(py, &field(), "must be a string"))?
        };
        match key.as_str() {
            "line1" => address.line1 = text,
            "line2" => address.line2 = text,
            "city" => address.city = text,
            "region" => address.region = text,
            "postal_code" => address.postal_code = text,
            "country" => address.country = text,
            _ => {
                return Err(validation(
                    py,
                    &field(),
                    format!("is not one of {}", ADDRESS_PARTS.join(", ")),
                ));
            }
        }
    }
    Ok(address)
}

fn attributes_from_py(
    dict: &Bound<'_, PyDict>,
) -> PyResult<BTreeMap<String, Option<crmlite::customer::AttributeValue>>> {
    let mut out = BTreeMap::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| validation(dict.py(), "attributes", "names must be strings"))?;
        let value = if value.is_none() {
            None
        } else {
            Some(attribute_from_py(&value, &format!("attributes.{key}"))?)
        };
        out.insert(key, value);
    }
    Ok(out)
}

/// Reads an optional string patch value: `None` clears.
fn optional_string(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    value
        .extract()
        .map(Some)
        .map_err(|_| validation(value.py(), field, "must be a string or None"))
}

/// Reads a list-of-strings patch value: `None` is the empty list.
fn string_list(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<String>> {
    if value.is_none() {
        return Ok(Vec::new());
    }
    value
        .extract()
        .map_err(|_| validation(value.py(), field, "must be a list of strings"))
}

fn patch_from_py(dict: &Bound<'_, PyDict>) -> PyResult<CustomerPatch> {
    let py = dict.py();
    let mut patch = CustomerPatch::default();
    for (key, value) in dict.iter() {
        let key: String = key.extract()?;
        match key.as_str() {
            "name" => {
                patch.name = Some(value.extract().map_err(|_| {
                    validation(py, "name", "must be a string (a name cannot be cleared)")
                })?);
            }
            "emails" => patch.emails = Some(string_list(&value, "emails")?),
            "phones" => patch.phones = Some(string_list(&value, "phones")?),
            "tags" => patch.tags = Some(string_list(&value, "tags")?),
            "address" => {
                patch.address = Some(if value.is_none() {
                    None
                } else {
                    let dict = value
                        .cast::<PyDict>()
                        .map_err(|_| validation(py, "address", "must be an Address or None"))?;
                    Some(address_from_py(dict)?)
                });
            }
            "birthday" => {
                patch.birthday = Some(if value.is_none() {
                    None
                } else {
                    Some(date_from_py(&value, "birthday")?)
                });
            }
            "language" => patch.language = Some(optional_string(&value, "language")?),
            "external_code" => {
                patch.external_code = Some(optional_string(&value, "external_code")?)
            }
            "attributes" => {
                let dict = value.cast::<PyDict>().map_err(|_| {
                    validation(
                        py,
                        "attributes",
                        "must be a dict (a None value removes one attribute)",
                    )
                })?;
                patch.attributes = attributes_from_py(dict)?;
            }
            other => return Err(validation(py, other, "is not a customer field")),
        }
    }
    Ok(patch)
}

fn customers_to_py<'py>(py: Python<'py>, customers: &[Customer]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for customer in customers {
        list.append(customer_to_py(py, customer)?)?;
    }
    Ok(list)
}

/// A customer as a plain dict; the Python layer turns it into `crmlite.Customer`.
pub(crate) fn customer_to_py<'py>(py: Python<'py>, c: &Customer) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", c.id.get())?;
    d.set_item("kind", c.kind.as_str())?;
    d.set_item("name", &c.name)?;
    let emails = PyList::empty(py);
    for e in &c.emails {
        let item = PyDict::new(py);
        item.set_item("address", &e.address)?;
        item.set_item("primary", e.primary)?;
        emails.append(item)?;
    }
    d.set_item("emails", emails)?;
    let phones = PyList::empty(py);
    for p in &c.phones {
        let item = PyDict::new(py);
        item.set_item("e164", &p.e164)?;
        item.set_item("raw", &p.raw)?;
        item.set_item("primary", p.primary)?;
        phones.append(item)?;
    }
    d.set_item("phones", phones)?;
    match &c.address {
        Some(a) => {
            let item = PyDict::new(py);
            for (key, value) in ADDRESS_PARTS.iter().zip([
                &a.line1,
                &a.line2,
                &a.city,
                &a.region,
                &a.postal_code,
                &a.country,
            ]) {
                item.set_item(key, value)?;
            }
            d.set_item("address", item)?;
        }
        None => d.set_item("address", py.None())?,
    }
    d.set_item("birthday", c.birthday)?;
    d.set_item("language", &c.language)?;
    d.set_item("tags", &c.tags)?;
    let attributes = PyDict::new(py);
    for (key, value) in &c.attributes {
        attributes.set_item(key, attribute_to_py(py, value)?)?;
    }
    d.set_item("attributes", attributes)?;
    d.set_item("external_code", &c.external_code)?;
    d.set_item("version", c.version)?;
    d.set_item("created_at", timestamp_to_py(py, c.created_at)?)?;
    d.set_item("updated_at", timestamp_to_py(py, c.updated_at)?)?;
    Ok(d)
}

fn link_to_py<'py>(py: Python<'py>, link: &CustomerLink) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("person", link.person.get())?;
    d.set_item("organisation", link.organisation.get())?;
    d.set_item("role", &link.role)?;
    d.set_item("created_at", timestamp_to_py(py, link.created_at)?)?;
    Ok(d)
}
