//! Persons and organisations, their contact points, tags, attributes and links.

pub(crate) mod service;
mod validate;

pub(crate) use validate::{attribute_name, attribute_value, attributes, clean_text, external_code};
pub use validate::{validate_new, validate_patch};

use crate::money::Money;
use crate::{CustomerId, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Whether a customer is a person or an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    /// A natural person.
    Person,
    /// A company or other organisation.
    Organisation,
}

impl CustomerKind {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    /// Parses `person` or `organisation` (also `organization`, `org`, `company`).
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" => Ok(Self::Person),
            "organisation" | "organization" | "org" | "company" => Ok(Self::Organisation),
            _ => Err(crate::Error::validation(
                "kind",
                "must be person or organisation",
            )),
        }
    }
}

/// An e-mail address of a customer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Email {
    /// The address, domain lower-cased.
    pub address: String,
    /// Whether this is the customer's primary address (exactly one is, if any exist).
    pub primary: bool,
}

/// A phone number of a customer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phone {
    /// The number in E.164 form, e.g. `+37410123456`.
    pub e164: String,
    /// The number as it was typed.
    pub raw: String,
    /// Whether this is the customer's primary phone (exactly one is, if any exist).
    pub primary: bool,
}

/// A postal address; every part is optional free text except the ISO country code.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Address {
    /// Street and house.
    pub line1: String,
    /// Apartment, building, district.
    pub line2: String,
    /// City or town.
    pub city: String,
    /// Region, province or state.
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code, upper case, or empty.
    pub country: String,
}

impl Address {
    /// Whether every part is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|s| s.is_empty())
    }
}

/// A typed custom attribute value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttributeValue {
    /// Free text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// True or false.
    Boolean(bool),
    /// A calendar date.
    Date(NaiveDate),
    /// An instant.
    Timestamp(Timestamp),
    /// An amount of money.
    Money(Money),
}

/// A stored person or organisation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Customer {
    /// Store-assigned id.
    pub id: CustomerId,
    /// Person or organisation.
    pub kind: CustomerKind,
    /// Display name.
    pub name: String,
    /// E-mail addresses; the primary first.
    pub emails: Vec<Email>,
    /// Phone numbers; the primary first.
    pub phones: Vec<Phone>,
    /// Postal address.
    pub address: Option<Address>,
    /// Date of birth (persons) or foundation.
    pub birthday: Option<NaiveDate>,
    /// Preferred language as a BCP 47 tag (`hy`, `ka`, `el`, `fa-IR`).
    pub language: Option<String>,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// Typed custom attributes by name.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Code in the system of record (accounting software), unique per kind.
    pub external_code: Option<String>,
    /// Bumped by every update; pass it back to update again.
    pub version: i64,
    /// When the record was created.
    pub created_at: Timestamp,
    /// When the record was last changed.
    pub updated_at: Timestamp,
}

impl Customer {
    /// The primary e-mail address, if any.
    #[must_use]
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.primary)
            .map(|e| e.address.as_str())
    }

    /// The primary phone in E.164 form, if any.
    #[must_use]
    pub fn primary_phone(&self) -> Option<&str> {
        self.phones
            .iter()
            .find(|p| p.primary)
            .map(|p| p.e164.as_str())
    }
}

/// Input for a new customer. The first e-mail and the first phone become primary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewCustomer {
    /// Person or organisation.
    pub kind: CustomerKind,
    /// Display name (required).
    pub name: String,
    /// E-mail addresses, primary first.
    pub emails: Vec<String>,
    /// Phone numbers as typed, primary first.
    pub phones: Vec<String>,
    /// Postal address.
    pub address: Option<Address>,
    /// Date of birth.
    pub birthday: Option<NaiveDate>,
    /// BCP 47 language tag.
    pub language: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Custom attributes.
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Code in the system of record.
    pub external_code: Option<String>,
}

impl NewCustomer {
    /// A person named `name`.
    #[must_use]
    pub fn person(name: impl Into<String>) -> Self {
        Self::new(CustomerKind::Person, name)
    }

    /// An organisation named `name`.
    #[must_use]
    pub fn organisation(name: impl Into<String>) -> Self {
        Self::new(CustomerKind::Organisation, name)
    }

    /// A customer of `kind` named `name`, with nothing else set.
    #[must_use]
    pub fn new(kind: CustomerKind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
            emails: Vec::new(),
            phones: Vec::new(),
            address: None,
            birthday: None,
            language: None,
            tags: Vec::new(),
            attributes: BTreeMap::new(),
            external_code: None,
        }
    }

    /// Adds an e-mail address.
    #[must_use]
    pub fn email(mut self, address: impl Into<String>) -> Self {
        self.emails.push(address.into());
        self
    }

    /// Adds a phone number.
    #[must_use]
    pub fn phone(mut self, number: impl Into<String>) -> Self {
        self.phones.push(number.into());
        self
    }

    /// Sets the address.
    #[must_use]
    pub fn address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }

    /// Sets the birthday.
    #[must_use]
    pub fn birthday(mut self, date: NaiveDate) -> Self {
        self.birthday = Some(date);
        self
    }

    /// Sets the preferred language.
    #[must_use]
    pub fn language(mut self, tag: impl Into<String>) -> Self {
        self.language = Some(tag.into());
        self
    }

    /// Adds a tag.
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets a custom attribute.
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.attributes.insert(name.into(), value);
        self
    }

    /// Sets the external code.
    #[must_use]
    pub fn external_code(mut self, code: impl Into<String>) -> Self {
        self.external_code = Some(code.into());
        self
    }
}

/// A partial update: `None` leaves a field as it is; `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerPatch {
    /// New display name.
    pub name: Option<String>,
    /// New list of e-mails (replaces the old list), primary first.
    pub emails: Option<Vec<String>>,
    /// New list of phones (replaces the old list), primary first.
    pub phones: Option<Vec<String>>,
    /// New address, or `Some(None)` to clear it.
    pub address: Option<Option<Address>>,
    /// New birthday, or `Some(None)` to clear it.
    pub birthday: Option<Option<NaiveDate>>,
    /// New language, or `Some(None)` to clear it.
    pub language: Option<Option<String>>,
    /// New tag set (replaces the old one).
    pub tags: Option<Vec<String>>,
    /// Attributes to set; a `None` value removes that attribute.
    pub attributes: BTreeMap<String, Option<AttributeValue>>,
    /// New external code, or `Some(None)` to clear it.
    pub external_code: Option<Option<String>>,
}

/// A person's link to an organisation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CustomerLink {
    /// The person.
    pub person: CustomerId,
    /// The organisation.
    pub organisation: CustomerId,
    /// The person's role there (`director`, `buyer`), may be empty.
    pub role: String,
    /// When the link was made.
    pub created_at: Timestamp,
}

/// A validated customer ready to store, with derived columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRecord {
    /// The customer as it will be stored (id and version are set by the store on insert).
    pub customer: Customer,
    /// The normalised search text (names, codes, e-mails, phone digits).
    pub search_key: String,
    /// The normalised name alone, for duplicate detection and sorting.
    pub name_key: String,
}

#[cfg(test)]
mod tests;
