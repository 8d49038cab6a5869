//! Validation and normalisation of customer input.

use super::{
    Address, AttributeValue, Customer, CustomerPatch, CustomerRecord, Email, NewCustomer, Phone,
};
use crate::{CustomerId, Error, Result, Timestamp, text};
use std::collections::BTreeMap;

const MAX_NAME: usize = 200;
const MAX_TAG: usize = 64;
const MAX_CODE: usize = 100;
const MAX_TEXT: usize = 4000;
const MAX_ITEMS: usize = 50;

/// Checks and normalises a new customer; nothing is stored.
pub fn validate_new(
    new: &NewCustomer,
    default_region: Option<&str>,
    now: Timestamp,
) -> Result<CustomerRecord> {
    let customer = Customer {
        id: CustomerId(0),
        kind: new.kind,
        name: name(&new.name)?,
        emails: emails(&new.emails)?,
        phones: phones(&new.phones, default_region)?,
        address: address(new.address.as_ref())?,
        birthday: new.birthday,
        language: language(new.language.as_deref())?,
        tags: tags(&new.tags)?,
        attributes: attributes(&new.attributes)?,
        external_code: external_code(new.external_code.as_deref())?,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    Ok(record(customer))
}

/// Applies a patch to the current state, checking every changed field; nothing is stored.
pub fn validate_patch(
    current: &Customer,
    patch: &CustomerPatch,
    default_region: Option<&str>,
    now: Timestamp,
) -> Result<CustomerRecord> {
    let mut next = current.clone();
    if let Some(n) = &patch.name {
        next.name = name(n)?;
    }
    if let Some(list) = &patch.emails {
        next.emails = emails(list)?;
    }
    if let Some(list) = &patch.phones {
        next.phones = phones(list, default_region)?;
    }
    if let Some(a) = &patch.address {
        next.address = address(a.as_ref())?;
    }
    if let Some(b) = patch.birthday {
        next.birthday = b;
    }
    if let Some(l) = &patch.language {
        next.language = language(l.as_deref())?;
    }
    if let Some(t) = &patch.tags {
        next.tags = tags(t)?;
    }
    for (key, value) in &patch.attributes {
        let key = attribute_name(key)?;
        match value {
            Some(v) => {
                next.attributes
                    .insert(key.clone(), attribute_value(&key, v)?);
            }
            None => {
                next.attributes.remove(&key);
            }
        }
    }
    if next.attributes.len() > MAX_ITEMS {
        return Err(Error::validation(
            "attributes",
            format!("at most {MAX_ITEMS} attributes"),
        ));
    }
    if let Some(c) = &patch.external_code {
        next.external_code = external_code(c.as_deref())?;
    }
    next.version = current
        .version
        .checked_add(1)
        .ok_or_else(|| Error::validation("version", "overflows"))?;
    next.updated_at = now;
    Ok(record(next))
}

fn record(customer: Customer) -> CustomerRecord {
    let name_key = text::search_key(&customer.name);
    let mut parts = vec![name_key.clone()];
    parts.extend(customer.emails.iter().map(|e| text::search_key(&e.address)));
    parts.extend(customer.phones.iter().map(|p| text::digits_only(&p.e164)));
    parts.extend(customer.external_code.iter().map(|c| text::search_key(c)));
    parts.extend(customer.tags.iter().map(|t| text::search_key(t)));
    CustomerRecord {
        customer,
        search_key: parts.join(" "),
        name_key,
    }
}

/// A trimmed single-line text of at most `max` characters, without control characters.
pub(crate) fn clean_text(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(Error::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

fn name(value: &str) -> Result<String> {
    clean_text("name", value, MAX_NAME, true)
}

fn emails(list: &[String]) -> Result<Vec<Email>> {
    if list.len() > MAX_ITEMS {
        return Err(Error::validation(
            "emails",
            format!("at most {MAX_ITEMS} e-mail addresses"),
        ));
    }
    let mut out: Vec<Email> = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let field = format!("emails[{i}]");
        let address = text::normalize_email(raw).map_err(|r| Error::validation(&field, r))?;
        if out.iter().any(|e| e.address.eq_ignore_ascii_case(&address)) {
            return Err(Error::validation(field, "appears twice"));
        }
        out.push(Email {
            address,
            primary: i == 0,
        });
    }
    Ok(out)
}

fn phones(list: &[String], default_region: Option<&str>) -> Result<Vec<Phone>> {
    if list.len() > MAX_ITEMS {
        return Err(Error::validation(
            "phones",
            format!("at most {MAX_ITEMS} phone numbers"),
        ));
    }
    let mut out: Vec<Phone> = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let field = format!("phones[{i}]");
        let e164 =
            text::parse_phone(raw, default_region).map_err(|r| Error::validation(&field, r))?;
        if out.iter().any(|p| p.e164 == e164) {
            return Err(Error::validation(field, "appears twice"));
        }
        let raw = clean_text(&field, raw, 64, true)?;
        out.push(Phone {
            e164,
            raw,
            primary: i == 0,
        });
    }
    Ok(out)
}

fn address(value: Option<&Address>) -> Result<Option<Address>> {
    let Some(a) = value else { return Ok(None) };
    let country = a.country.trim().to_ascii_uppercase();
    if !country.is_empty()
        && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(Error::validation(
            "address.country",
            "must be an ISO 3166-1 alpha-2 code",
        ));
    }
    let cleaned = Address {
        line1: clean_text("address.line1", &a.line1, 200, false)?,
        line2: clean_text("address.line2", &a.line2, 200, false)?,
        city: clean_text("address.city", &a.city, 100, false)?,
        region: clean_text("address.region", &a.region, 100, false)?,
        postal_code: clean_text("address.postal_code", &a.postal_code, 20, false)?,
        country,
    };
    Ok((!cleaned.is_empty()).then_some(cleaned))
}

fn language(value: Option<&str>) -> Result<Option<String>> {
    value
        .map(|v| text::language_tag(v).map_err(|r| Error::validation("language", r)))
        .transpose()
}

fn tags(list: &[String]) -> Result<Vec<String>> {
    if list.len() > MAX_ITEMS {
        return Err(Error::validation(
            "tags",
            format!("at most {MAX_ITEMS} tags"),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let tag = clean_text(&format!("tags[{i}]"), t, MAX_TAG, true)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out.sort();
    Ok(out)
}

/// Checks a custom attribute name.
pub(crate) fn attribute_name(key: &str) -> Result<String> {
    let ok = !key.is_empty()
        && key.len() <= MAX_TAG
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && key.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if ok {
        Ok(key.to_owned())
    } else {
        Err(Error::validation(
            format!("attributes.{key}"),
            "names are 1-64 characters of a-z, 0-9 and _, starting with a letter",
        ))
    }
}

/// Checks a custom attribute value (trims text).
pub(crate) fn attribute_value(key: &str, value: &AttributeValue) -> Result<AttributeValue> {
    Ok(match value {
        AttributeValue::Text(t) => AttributeValue::Text(clean_text(
            &format!("attributes.{key}"),
            t,
            MAX_TEXT,
            false,
        )?),
        other => other.clone(),
    })
}

/// Checks a whole attribute map.
pub(crate) fn attributes(
    map: &BTreeMap<String, AttributeValue>,
) -> Result<BTreeMap<String, AttributeValue>> {
    if map.len() > MAX_ITEMS {
        return Err(Error::validation(
            "attributes",
            format!("at most {MAX_ITEMS} attributes"),
        ));
    }
    map.iter()
        .map(|(k, v)| {
            let k = attribute_name(k)?;
            let v = attribute_value(&k, v)?;
            Ok((k, v))
        })
        .collect()
}

/// Checks an external code: 1-100 characters, no control characters, trimmed.
pub(crate) fn external_code(value: Option<&str>) -> Result<Option<String>> {
    value
        .map(|c| clean_text("external_code", c, MAX_CODE, true))
        .transpose()
}
