//! Directory operations on the `Crm` handle.

use super::validate::validate_kind;
use super::{
    BUILTIN_KINDS, DirectoryKind, Entry, EntryInput, EntryRecord, FieldType, FieldValue,
    NewDirectoryKind, UpsertOutcome, builtin_kind, validate_entry,
};
use crate::changes::ChangeOp;
use crate::deal::service::mirror_lost_reason;
use crate::money::Money;
use crate::page::{Page, check_limit};
use crate::store::{ReadTx, WriteTx};
use crate::{Crm, EntityKind, EntryId, Error, Result, Timestamp};
use chrono::NaiveDate;

/// How deep a chain of parents may be before it is treated as a cycle.
const MAX_DEPTH: usize = 10_000;

impl Crm {
    /// Defines a user-defined directory kind with typed fields; a used name is a conflict.
    pub fn define_directory(&self, new: &NewDirectoryKind) -> Result<DirectoryKind> {
        let now = self.now();
        let kind = validate_kind(new)?;
        self.write(|tx| {
            for (i, def) in kind.fields.iter().enumerate() {
                if let FieldType::Reference(target) = &def.field_type
                    && *target != kind.name
                {
                    kind_def(tx, target).map_err(|e| match e {
                        Error::NotFound { .. } => Error::validation(
                            format!("fields[{i}].field_type"),
                            format!("refers to {target}, which is not a directory kind"),
                        ),
                        other => other,
                    })?;
                }
            }
            if tx.directory_kind(&kind.name)?.is_some() {
                return Err(Error::Conflict(format!(
                    "directory kind {} already exists",
                    kind.name
                )));
            }
            let id = tx.insert_directory_kind(&kind, now)?;
            tx.record_change(EntityKind::DirectoryKind, id, ChangeOp::Insert, now)?;
            Ok(kind.clone())
        })
    }

    /// Every directory kind: the built-in ones, then the user-defined ones by name.
    pub fn directory_kinds(&self) -> Result<Vec<DirectoryKind>> {
        let mut kinds: Vec<DirectoryKind> = BUILTIN_KINDS
            .iter()
            .filter_map(|k| builtin_kind(k))
            .collect();
        kinds.extend(self.read(|tx| tx.directory_kinds())?);
        Ok(kinds)
    }

    /// One directory kind by name.
    pub fn directory_kind(&self, name: &str) -> Result<DirectoryKind> {
        self.read(|tx| kind_def(tx, name))
    }

    /// Creates the entry `(kind, external_code)` or replaces its name and fields. Writes
    /// nothing, and records no change, when the entry already has this state.
    pub fn upsert_entry(&self, kind: &str, input: &EntryInput) -> Result<(Entry, UpsertOutcome)> {
        let now = self.now();
        self.write(|tx| {
            let def = kind_def(tx, kind)?;
            let entry = validate_entry(&def, input, now)?;
            let existing = tx.entry_by_code(&def.name, &entry.external_code)?;
            let record = resolve_entry(tx, &def, entry)?;
            store_entry(tx, record, existing, None, now)
        })
    }

    /// One entry by id.
    pub fn entry(&self, id: EntryId) -> Result<Entry> {
        self.read(|tx| tx.entry(id))?
            .ok_or_else(|| Error::not_found(EntityKind::DirectoryEntry, id))
    }

    /// One entry by kind and external code, archived or not.
    pub fn entry_by_code(&self, kind: &str, code: &str) -> Result<Entry> {
        self.read(|tx| get_by_code(tx, kind, code))
    }

    /// Entries of a kind in id order, one page at a time; archived entries only if asked.
    pub fn list_entries(
        &self,
        kind: &str,
        cursor: Option<&str>,
        include_archived: bool,
        limit: u32,
    ) -> Result<Page<Entry>> {
        let limit = check_limit(limit)?;
        let after = cursor
            .map(|c| {
                c.parse::<i64>()
                    .map(EntryId)
                    .map_err(|_| Error::validation("cursor", "is not an entry cursor"))
            })
            .transpose()?;
        let items = self.read(|tx| {
            kind_def(tx, kind)?;
            tx.entries_after(kind, after, include_archived, limit)
        })?;
        let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
        let next = if full {
            items.last().map(|e| e.id.0.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Archives or restores an entry; it stays readable by code and keeps its references.
    pub fn set_entry_archived(&self, kind: &str, code: &str, archived: bool) -> Result<Entry> {
        let now = self.now();
        self.write(|tx| {
            let mut entry = get_by_code(tx, kind, code)?;
            if entry.archived == archived {
                return Ok(entry);
            }
            let def = kind_def(tx, kind)?;
            entry.archived = archived;
            entry.version = bump(entry.version)?;
            entry.updated_at = now;
            let record = resolve_entry(tx, &def, entry)?;
            tx.update_entry(&record)?;
            tx.record_change(
                EntityKind::DirectoryEntry,
                record.entry.id.0,
                ChangeOp::Update,
                now,
            )?;
            mirror(tx, None, &record.entry, now)?;
            Ok(record.entry)
        })
    }

    /// Deletes an entry that nothing references (archive it otherwise), with its external ids.
    /// Deleting a `lost_reason` entry retires the deals' reason of that name.
    pub fn delete_entry(&self, kind: &str, code: &str) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            let entry = get_by_code(tx, kind, code)?;
            let referrers = tx.entry_referrer_count(entry.id)?;
            if referrers > 0 {
                return Err(Error::Conflict(format!(
                    "{kind} {code} is referenced by {referrers} entries; archive it instead"
                )));
            }
            for mapping in tx.external_ids_of(EntityKind::DirectoryEntry, entry.id.0)? {
                tx.delete_external_id(mapping.id)?;
                tx.record_change(EntityKind::ExternalId, mapping.id, ChangeOp::Delete, now)?;
            }
            tx.delete_entry(entry.id)?;
            tx.record_change(
                EntityKind::DirectoryEntry,
                entry.id.0,
                ChangeOp::Delete,
                now,
            )?;
            // Deals lost for it keep the reason, retired.
            mirror(
                tx,
                None,
                &Entry {
                    archived: true,
                    ..entry
                },
                now,
            )?;
            Ok(())
        })
    }

    /// The price of product `sku` in price list `price_list` on day `on`: the price entry
    /// valid that day with the latest `valid_from`; `None` if the list has no such price.
    pub fn product_price(
        &self,
        price_list: &str,
        sku: &str,
        on: NaiveDate,
    ) -> Result<Option<Money>> {
        let (price_list, sku) = (price_list.trim(), sku.trim());
        self.read(|tx| {
            let list = get_by_code(tx, "price_list", price_list)?;
            get_by_code(tx, "product", sku)?;
            if !valid_on(&list, on) {
                return Ok(None);
            }
            let mut best: Option<(Option<NaiveDate>, Money)> = None;
            let mut after = None;
            loop {
                let page = tx.entries_after("price", after, false, crate::page::MAX_PAGE)?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for p in &page {
                    let is_ref = |field: &str, code: &str| {
                        p.field(field) == Some(&FieldValue::Reference(code.to_owned()))
                    };
                    if !is_ref("price_list", price_list)
                        || !is_ref("product", sku)
                        || !valid_on(p, on)
                    {
                        continue;
                    }
                    let from = match p.field("valid_from") {
                        Some(FieldValue::Date(d)) => Some(*d),
                        _ => None,
                    };
                    if let Some(FieldValue::Money(m)) = p.field("price")
                        && best.as_ref().is_none_or(|(b, _)| from >= *b)
                    {
                        best = Some((from, *m));
                    }
                }
            }
            Ok(best.map(|(_, m)| m))
        })
    }
}

fn valid_on(entry: &Entry, on: NaiveDate) -> bool {
    let from_ok = !matches!(entry.field("valid_from"), Some(FieldValue::Date(d)) if *d > on);
    let to_ok = !matches!(entry.field("valid_to"), Some(FieldValue::Date(d)) if *d < on);
    from_ok && to_ok
}

fn bump(version: i64) -> Result<i64> {
    version
        .checked_add(1)
        .ok_or_else(|| Error::validation("version", "overflows"))
}

/// The definition of a built-in or user-defined kind, or not found.
pub(crate) fn kind_def(tx: &mut (impl ReadTx + ?Sized), name: &str) -> Result<DirectoryKind> {
    if let Some(def) = builtin_kind(name) {
        return Ok(def);
    }
    tx.directory_kind(name)?
        .ok_or_else(|| Error::not_found(EntityKind::DirectoryKind, name))
}

/// One entry by kind and code, or not found.
pub(crate) fn get_by_code(
    tx: &mut (impl ReadTx + ?Sized),
    kind: &str,
    code: &str,
) -> Result<Entry> {
    let code = code.trim();
    tx.entry_by_code(kind, code)?
        .ok_or_else(|| Error::not_found(EntityKind::DirectoryEntry, format!("{kind}:{code}")))
}

/// Resolves the reference fields of a validated entry to ids, and rejects a missing target
/// or a chain of parents that would loop back to the entry itself.
pub(crate) fn resolve_entry(
    tx: &mut (impl ReadTx + ?Sized),
    def: &DirectoryKind,
    entry: Entry,
) -> Result<EntryRecord> {
    let mut references = Vec::new();
    for field in &def.fields {
        let FieldType::Reference(target) = &field.field_type else {
            continue;
        };
        let Some(FieldValue::Reference(code)) = entry.fields.get(&field.name) else {
            continue;
        };
        let path = format!("fields.{}", field.name);
        if *target == entry.kind {
            check_no_cycle(tx, &entry, &field.name, code, &path)?;
        }
        let found = tx
            .entry_by_code(target, code)?
            .ok_or_else(|| Error::validation(&path, format!("{target} {code:?} does not exist")))?;
        if !references.contains(&found.id) {
            references.push(found.id);
        }
    }
    Ok(EntryRecord { entry, references })
}

fn check_no_cycle(
    tx: &mut (impl ReadTx + ?Sized),
    entry: &Entry,
    field: &str,
    start: &str,
    path: &str,
) -> Result<()> {
    let mut code = start.to_owned();
    for _ in 0..MAX_DEPTH {
        if code == entry.external_code {
            return Err(Error::validation(
                path,
                format!(
                    "{code:?} would make {} its own ancestor",
                    entry.external_code
                ),
            ));
        }
        let next = tx.entry_by_code(&entry.kind, &code)?;
        match next.as_ref().and_then(|e| e.field(field)) {
            Some(FieldValue::Reference(parent)) => code.clone_from(parent),
            _ => return Ok(()),
        }
    }
    Err(Error::validation(path, "the chain of parents is too deep"))
}

/// Mirrors a stored `lost_reason` entry into the deals' lost-reason list (see
/// [`mirror_lost_reason`]); entries of other kinds are left alone.
fn mirror(
    tx: &mut (impl WriteTx + ?Sized),
    old_name: Option<&str>,
    entry: &Entry,
    now: Timestamp,
) -> Result<()> {
    if entry.kind == "lost_reason" {
        mirror_lost_reason(tx, old_name, &entry.name, entry.archived, now)?;
    }
    Ok(())
}

/// Inserts `record` or updates `existing` to it, recording the change; an entry that
/// already has this name, these fields and this archived flag is left untouched. `archived`
/// `None` keeps the stored flag.
pub(crate) fn store_entry(
    tx: &mut (impl WriteTx + ?Sized),
    mut record: EntryRecord,
    existing: Option<Entry>,
    archived: Option<bool>,
    now: Timestamp,
) -> Result<(Entry, UpsertOutcome)> {
    match existing {
        None => {
            record.entry.archived = archived.unwrap_or(false);
            let id = tx.insert_entry(&record)?;
            tx.record_change(EntityKind::DirectoryEntry, id.0, ChangeOp::Insert, now)?;
            record.entry.id = id;
            mirror(tx, None, &record.entry, now)?;
            Ok((record.entry, UpsertOutcome::Inserted))
        }
        Some(old)
            if old.name == record.entry.name
                && old.fields == record.entry.fields
                && archived.is_none_or(|a| a == old.archived) =>
        {
            Ok((old, UpsertOutcome::Unchanged))
        }
        Some(old) => {
            let e = &mut record.entry;
            e.id = old.id;
            e.archived = archived.unwrap_or(old.archived);
            e.created_at = old.created_at;
            e.version = bump(old.version)?;
            e.updated_at = now;
            tx.update_entry(&record)?;
            tx.record_change(EntityKind::DirectoryEntry, old.id.0, ChangeOp::Update, now)?;
            mirror(tx, Some(&old.name), &record.entry, now)?;
            Ok((record.entry, UpsertOutcome::Updated))
        }
    }
}
