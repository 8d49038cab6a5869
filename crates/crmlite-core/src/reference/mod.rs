//! Reference directories (products, categories, units, currencies, price lists, stores,
//! lost reasons and user-defined kinds), external id mappings and sync cursors.
//!
//! Deal stages belong to pipelines (see [`crate::deal`]) and are not a directory kind. Lost
//! reasons are one list: every write of a `lost_reason` entry (upsert, import, archive,
//! delete) updates the deals' lost-reason list in the same transaction, matched by name:
//! a new entry adds a reason, a renamed entry renames it, archiving retires it. Reasons
//! added with [`crate::Crm::add_lost_reason`] alone are not copied into the directory.

pub(crate) mod service;
mod sync;
pub(crate) mod validate;

pub use sync::{SyncItem, SyncRecord};
pub use validate::{ParseOptions, builtin_kind, parse_field_text, validate_entry};

use crate::money::{Currency, Money};
use crate::{EntityKind, EntryId, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The type of a directory field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum FieldType {
    /// Single-line text of at most 1000 characters.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number with this many digits after the mark, stored as an integer.
    Decimal(u32),
    /// An amount of money.
    Money,
    /// A percentage with two decimals, stored in basis points (`20.00` is 2000).
    Percent,
    /// True or false.
    Boolean,
    /// A calendar date.
    Date,
    /// An ISO 4217 currency code.
    Currency,
    /// The external code of an entry of the named directory kind.
    Reference(String),
}

impl FieldType {
    /// Parses a type name as the bindings and the CLI spell it: `text`, `integer`,
    /// `decimal:N`, `money`, `percent`, `boolean`, `date`, `currency` or `reference:KIND`.
    pub fn parse(name: &str, field: &str) -> crate::Result<Self> {
        let bad = || crate::Error::validation(field, format!("{name:?} is not a field type"));
        Ok(match name.trim().split_once(':') {
            Some(("decimal", scale)) => Self::Decimal(scale.trim().parse().map_err(|_| bad())?),
            Some(("reference", kind)) if !kind.trim().is_empty() => {
                Self::Reference(kind.trim().to_owned())
            }
            Some(_) => return Err(bad()),
            None => match name.trim() {
                "text" => Self::Text,
                "integer" => Self::Integer,
                "money" => Self::Money,
                "percent" => Self::Percent,
                "boolean" => Self::Boolean,
                "date" => Self::Date,
                "currency" => Self::Currency,
                _ => return Err(bad()),
            },
        })
    }

    /// The type's name as [`FieldType::parse`] reads it.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Text => "text".into(),
            Self::Integer => "integer".into(),
            Self::Decimal(scale) => format!("decimal:{scale}"),
            Self::Money => "money".into(),
            Self::Percent => "percent".into(),
            Self::Boolean => "boolean".into(),
            Self::Date => "date".into(),
            Self::Currency => "currency".into(),
            Self::Reference(kind) => format!("reference:{kind}"),
        }
    }
}

/// A field of a directory kind.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldDef {
    /// The field's name: 1-64 characters of `a-z`, `0-9` and `_`, starting with a letter.
    pub name: String,
    /// Its type.
    pub field_type: FieldType,
    /// Whether every entry must have it.
    pub required: bool,
}

impl FieldDef {
    /// A field named `name` of type `field_type`.
    #[must_use]
    pub fn new(name: impl Into<String>, field_type: FieldType, required: bool) -> Self {
        Self {
            name: name.into(),
            field_type,
            required,
        }
    }
}

/// A directory kind: built in (`product`, `category`, ...) or defined by the user.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DirectoryKind {
    /// The kind's name, e.g. `product` or `warehouse`.
    pub name: String,
    /// A human label.
    pub label: String,
    /// Its fields besides `external_code` and `name`, in export order.
    pub fields: Vec<FieldDef>,
    /// Whether the kind is built into crmlite.
    pub builtin: bool,
}

impl DirectoryKind {
    /// The field named `name`, if the kind has it.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Input for a user-defined directory kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDirectoryKind {
    /// The kind's name (same rules as a field name); must not be a built-in name.
    pub name: String,
    /// A human label.
    pub label: String,
    /// Its fields.
    pub fields: Vec<FieldDef>,
}

/// A typed field value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A decimal in units of the field's scale (`12.5` with scale 2 is 1250).
    Decimal(i64),
    /// An amount of money.
    Money(Money),
    /// Basis points.
    Percent(i64),
    /// True or false.
    Boolean(bool),
    /// A date.
    Date(NaiveDate),
    /// A currency.
    Currency(Currency),
    /// The external code of the referenced entry.
    Reference(String),
}

/// A stored directory entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Store-assigned id.
    pub id: EntryId,
    /// The directory kind.
    pub kind: String,
    /// The code in the system of record (SKU for products), unique per kind.
    pub external_code: String,
    /// Display name.
    pub name: String,
    /// Field values by name; absent optional fields are not stored.
    pub fields: BTreeMap<String, FieldValue>,
    /// Whether the entry is archived (hidden from lists, kept for references and history).
    pub archived: bool,
    /// Bumped by every change.
    pub version: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Entry {
    /// The value of field `name`, if set.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields.get(name)
    }
}

/// Input for creating or replacing a directory entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryInput {
    /// The code, unique per kind.
    pub external_code: String,
    /// Display name.
    pub name: String,
    /// Field values; fields left out are cleared.
    pub fields: BTreeMap<String, FieldValue>,
}

impl EntryInput {
    /// An entry with a code and a name and no fields.
    #[must_use]
    pub fn new(external_code: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            external_code: external_code.into(),
            name: name.into(),
            fields: BTreeMap::new(),
        }
    }

    /// Sets a field.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: FieldValue) -> Self {
        self.fields.insert(name.into(), value);
        self
    }
}

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpsertOutcome {
    /// A new record was stored.
    Inserted,
    /// An existing record was changed.
    Updated,
    /// The record already had this state; nothing was written.
    Unchanged,
}

/// A validated entry ready to store, with the ids it references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRecord {
    /// The entry (id and version set by the service).
    pub entry: Entry,
    /// Ids of the entries its reference fields point to.
    pub references: Vec<EntryId>,
}

/// A mapping of a crmlite record to its id in an external system.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExternalId {
    /// Store-assigned id of the mapping.
    pub id: i64,
    /// The external system, e.g. `1c`, `quickbooks`.
    pub system: String,
    /// The record's id in that system.
    pub external_id: String,
    /// The kind of crmlite record.
    pub entity: EntityKind,
    /// The crmlite record's id.
    pub entity_id: i64,
    /// When the mapping was made.
    pub created_at: Timestamp,
}

/// The built-in directory kinds' names.
pub const BUILTIN_KINDS: &[&str] = &[
    "product",
    "category",
    "unit",
    "currency",
    "price_list",
    "price",
    "store",
    "lost_reason",
];

#[cfg(test)]
mod tests;
