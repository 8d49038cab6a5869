//! `crmlite directory`, `entries` and `external-ids`: one directory kind or entry at a time,
//! and the ids records have in external systems.

use chrono::NaiveDate;
use clap::Subcommand;
use crmlite::import::field_text;
use crmlite::reference::{
    DirectoryKind, Entry, EntryInput, ExternalId, FieldDef, FieldType, NewDirectoryKind,
    ParseOptions, parse_field_text,
};
use crmlite::{Currency, EntityKind, EntryId, Error, Result};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// `directory` subcommands.
#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Define a directory kind of your own with typed fields.
    Define {
        /// The kind's name (`a-z`, `0-9`, `_`), e.g. `warehouse`.
        name: String,
        /// A human label.
        label: String,
        /// A field as NAME:TYPE, with `!` at the end when required (repeatable): `--field
        /// capacity:integer!`, `--field city:text`, `--field store:reference:store`. Types:
        /// text, integer, decimal:N, money, percent, boolean, date, currency, reference:KIND.
        #[arg(long = "field", value_name = "NAME:TYPE[!]")]
        fields: Vec<String>,
    },
    /// Show one directory kind and its fields.
    Show {
        /// The kind, e.g. `product` or `warehouse`.
        kind: String,
    },
}

/// `entries` subcommands.
#[derive(Debug, Subcommand)]
pub enum EntriesCommand {
    /// Create or replace the entry KIND CODE; fields are written as in an import file.
    Upsert {
        /// The directory kind.
        kind: String,
        /// The entry's external code (SKU for products).
        code: String,
        /// The entry's name.
        name: String,
        /// A field as NAME=VALUE (repeatable): `--field "price=1 250,50"`.
        #[arg(long = "field", value_name = "NAME=VALUE")]
        fields: Vec<String>,
        /// The currency of amounts written without a code (ISO 4217).
        #[arg(long)]
        currency: Option<String>,
    },
    /// Show one entry by kind and code, or by id with `--id`.
    Get {
        /// The directory kind (ignored with `--id`).
        kind: String,
        /// The external code.
        code: Option<String>,
        /// The entry's id instead of a code.
        #[arg(long)]
        id: Option<i64>,
    },
    /// List the entries of a kind in id order.
    List {
        /// The directory kind.
        kind: String,
        /// Include archived entries.
        #[arg(long)]
        archived: bool,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Continue after this cursor (printed by the previous page).
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Archive an entry (it keeps its references and history), or restore it.
    Archive {
        /// The directory kind.
        kind: String,
        /// The external code.
        code: String,
        /// Restore instead of archiving.
        #[arg(long)]
        restore: bool,
    },
    /// Delete an entry that nothing references.
    Delete {
        /// The directory kind.
        kind: String,
        /// The external code.
        code: String,
    },
    /// The price of product SKU in PRICE_LIST valid on DATE (YYYY-MM-DD).
    Price {
        /// The price list's code.
        price_list: String,
        /// The product's code.
        sku: String,
        /// The day.
        date: String,
    },
}

/// `external-ids` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExternalIdsCommand {
    /// Map record ENTITY ID (customer, deal, order, directory_entry, loyalty_card, task...) to
    /// EXTERNAL_ID in SYSTEM.
    Map {
        /// The external system, e.g. `1c`.
        system: String,
        /// The record's id in that system.
        external_id: String,
        /// The record kind.
        entity: String,
        /// The record's crmlite id.
        id: i64,
    },
    /// The record that EXTERNAL_ID of SYSTEM maps to.
    Resolve {
        /// The external system.
        system: String,
        /// The id in that system.
        external_id: String,
    },
    /// Every external id of record ENTITY ID.
    List {
        /// The record kind.
        entity: String,
        /// The record's crmlite id.
        id: i64,
    },
    /// Remove the mapping of EXTERNAL_ID in SYSTEM.
    Unmap {
        /// The external system.
        system: String,
        /// The id in that system.
        external_id: String,
    },
}

fn entity_of(name: &str) -> Result<EntityKind> {
    EntityKind::parse(name.trim())
        .ok_or_else(|| Error::validation("entity", format!("{name:?} is not a record kind")))
}

fn field_def(i: usize, spec: &str) -> Result<FieldDef> {
    let path = format!("fields[{i}]");
    let (name, ty) = spec
        .split_once(':')
        .ok_or_else(|| Error::validation(&path, format!("{spec:?} is not NAME:TYPE")))?;
    let (ty, required) = match ty.trim().strip_suffix('!') {
        Some(t) => (t, true),
        None => (ty, false),
    };
    let ty = FieldType::parse(ty, &format!("{path}.type"))?;
    Ok(FieldDef::new(name.trim(), ty, required))
}

fn show_kind(out: &mut Output, kind: &DirectoryKind) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(kind)?);
    }
    out.fields(
        0,
        &[
            ("kind", kind.name.clone()),
            ("label", kind.label.clone()),
            ("built in", kind.builtin.to_string()),
        ],
    )?;
    let mut table = Table::new(&["FIELD", "TYPE", "REQUIRED"]).indent(2);
    for f in &kind.fields {
        table.row(vec![
            f.name.clone(),
            f.field_type.name(),
            if f.required { "yes" } else { "no" }.into(),
        ]);
    }
    Ok(out.table(&table)?)
}

fn show_entry(out: &mut Output, def: &DirectoryKind, e: &Entry) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(e)?);
    }
    let mut pairs = vec![
        ("id", e.id.to_string()),
        ("kind", e.kind.clone()),
        ("code", e.external_code.clone()),
        ("name", e.name.clone()),
        ("archived", e.archived.to_string()),
        ("version", e.version.to_string()),
        ("updated", time(e.updated_at)),
    ];
    let texts: Vec<(String, String)> = e
        .fields
        .iter()
        .map(|(name, value)| {
            let ty = def
                .field(name)
                .map_or(FieldType::Text, |f| f.field_type.clone());
            (name.clone(), field_text(&ty, value))
        })
        .collect();
    pairs.extend(texts.iter().map(|(n, v)| (n.as_str(), v.clone())));
    Ok(out.fields(0, &pairs)?)
}

fn show_mappings(out: &mut Output, mappings: &[ExternalId]) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(&mappings)?);
    }
    let mut table = Table::new(&["SYSTEM", "EXTERNAL ID", "RECORD", "ID"]);
    for m in mappings {
        table.row(vec![
            m.system.clone(),
            m.external_id.clone(),
            m.entity.as_str().into(),
            m.entity_id.to_string(),
        ]);
    }
    Ok(out.table(&table)?)
}

/// Runs `directory`.
pub fn directory(ctx: &Context, out: &mut Output, cmd: DirectoryCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        DirectoryCommand::Define {
            name,
            label,
            fields,
        } => {
            let fields = fields
                .iter()
                .enumerate()
                .map(|(i, spec)| field_def(i, spec))
                .collect::<Result<Vec<_>>>()?;
            let kind = crm.define_directory(&NewDirectoryKind {
                name,
                label,
                fields,
            })?;
            show_kind(out, &kind)
        }
        DirectoryCommand::Show { kind } => show_kind(out, &crm.directory_kind(&kind)?),
    }
}

/// Runs `entries`.
pub fn entries(ctx: &Context, out: &mut Output, cmd: EntriesCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        EntriesCommand::Upsert {
            kind,
            code,
            name,
            fields,
            currency,
        } => {
            let def = crm.directory_kind(&kind)?;
            let currency = currency
                .map(|c| Currency::parse(&c, "currency"))
                .transpose()?;
            let options = ParseOptions::new(currency);
            let mut input = EntryInput::new(code, name);
            for pair in &fields {
                let (field, text) = pair.split_once('=').ok_or_else(|| {
                    Error::validation("field", format!("{pair:?} is not NAME=VALUE"))
                })?;
                let field = field.trim();
                let path = format!("fields.{field}");
                let ty = def
                    .field(field)
                    .ok_or_else(|| Error::validation(&path, format!("is not a field of {kind}")))?;
                if let Some(value) = parse_field_text(&ty.field_type, text, &options, &path)? {
                    input.fields.insert(field.to_owned(), value);
                }
            }
            let (entry, outcome) = crm.upsert_entry(&kind, &input)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "outcome": outcome, "entry": entry }))?);
            }
            out.line(format!(
                "{} {} {} ({})",
                serde_json::to_value(outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                entry.kind,
                entry.external_code,
                entry.id
            ))?;
            Ok(())
        }
        EntriesCommand::Get { kind, code, id } => {
            let entry = match (id, code) {
                (Some(id), _) => crm.entry(EntryId(id))?,
                (None, Some(code)) => crm.entry_by_code(&kind, &code)?,
                (None, None) => return Err(Error::validation("code", "give a code or --id").into()),
            };
            let def = crm.directory_kind(&entry.kind)?;
            show_entry(out, &def, &entry)
        }
        EntriesCommand::List {
            kind,
            archived,
            limit,
            cursor,
        } => {
            let page = crm.list_entries(&kind, cursor.as_deref(), archived, limit)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": page.items, "next": page.next }))?);
            }
            let mut table = Table::new(&["ID", "CODE", "NAME", "ARCHIVED"]).right(0);
            for e in &page.items {
                table.row(vec![
                    e.id.to_string(),
                    e.external_code.clone(),
                    e.name.clone(),
                    if e.archived { "yes" } else { "" }.into(),
                ]);
            }
            out.table(&table)?;
            if let Some(next) = page.next {
                out.line(format!("next page: --cursor {next}"))?;
            }
            Ok(())
        }
        EntriesCommand::Archive {
            kind,
            code,
            restore,
        } => {
            let entry = crm.set_entry_archived(&kind, &code, !restore)?;
            let def = crm.directory_kind(&entry.kind)?;
            show_entry(out, &def, &entry)
        }
        EntriesCommand::Delete { kind, code } => {
            crm.delete_entry(&kind, &code)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "deleted": { "kind": kind, "code": code } }))?);
            }
            Ok(out.line(format!("deleted {kind} {code}"))?)
        }
        EntriesCommand::Price {
            price_list,
            sku,
            date,
        } => {
            let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| Error::validation("date", "must be a date as YYYY-MM-DD"))?;
            let price = crm.product_price(&price_list, &sku, day)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "price": price }))?);
            }
            Ok(out.line(price.map_or_else(|| "no price".to_owned(), |m| m.to_string()))?)
        }
    }
}

/// Runs `external-ids`.
pub fn external_ids(
    ctx: &Context,
    out: &mut Output,
    cmd: ExternalIdsCommand,
) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        ExternalIdsCommand::Map {
            system,
            external_id,
            entity,
            id,
        } => {
            let m = crm.map_external_id(&system, &external_id, entity_of(&entity)?, id)?;
            show_mappings(out, std::slice::from_ref(&m))
        }
        ExternalIdsCommand::Resolve {
            system,
            external_id,
        } => {
            let m = crm
                .resolve_external_id(&system, &external_id)?
                .ok_or_else(|| {
                    Error::not_found(EntityKind::ExternalId, format!("{system}:{external_id}"))
                })?;
            show_mappings(out, std::slice::from_ref(&m))
        }
        ExternalIdsCommand::List { entity, id } => {
            show_mappings(out, &crm.external_ids(entity_of(&entity)?, id)?)
        }
        ExternalIdsCommand::Unmap {
            system,
            external_id,
        } => {
            crm.unmap_external_id(&system, &external_id)?;
            if out.is_json() {
                return Ok(out.json(
                    &json!({ "unmapped": { "system": system, "external_id": external_id } }),
                )?);
            }
            Ok(out.line(format!("unmapped {system} {external_id}"))?)
        }
    }
}
