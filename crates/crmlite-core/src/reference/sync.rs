//! External id mappings and named sync consumers over the change feed.

use super::{Entry, ExternalId};
use crate::changes::{Change, ChangeOp};
use crate::customer::{Customer, clean_text};
use crate::page::check_limit;
use crate::store::ReadTx;
use crate::{Crm, CustomerId, EntityKind, EntryId, Error, Result};

/// The current state of a changed record, as [`Crm::sync_pull`] returns it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "record", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SyncRecord {
    /// A customer as it is now.
    Customer(Box<Customer>),
    /// A directory entry as it is now.
    Entry(Box<Entry>),
    /// An external id mapping as it is now.
    ExternalId(ExternalId),
    /// The record no longer exists.
    Tombstone,
    /// A record kind that sync does not carry (links, timeline entries, kind definitions).
    NotCarried,
}

/// One change of the feed with the record's current state.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SyncItem {
    /// The change.
    pub change: Change,
    /// The record now.
    pub record: SyncRecord,
}

fn system_name(system: &str) -> Result<String> {
    clean_text("system", system, 64, true)
}

fn external_key(external_id: &str) -> Result<String> {
    clean_text("external_id", external_id, 200, true)
}

/// Whether the record `(entity, id)` exists; kinds that cannot be mapped are a validation error.
fn record_exists(tx: &mut (impl ReadTx + ?Sized), entity: EntityKind, id: i64) -> Result<bool> {
    match entity {
        EntityKind::Customer => Ok(tx.customer(CustomerId(id))?.is_some()),
        EntityKind::DirectoryEntry => Ok(tx.entry(EntryId(id))?.is_some()),
        other => Err(Error::validation(
            "entity",
            format!("{other} records cannot be mapped to external ids"),
        )),
    }
}

impl Crm {
    /// Maps a record (a customer or a directory entry) to its id in an external system. A
    /// record may have ids in several systems. Mapping the same pair again returns the first
    /// mapping; a `(system, external_id)` already mapped to another record is a conflict.
    pub fn map_external_id(
        &self,
        system: &str,
        external_id: &str,
        entity: EntityKind,
        id: i64,
    ) -> Result<ExternalId> {
        let now = self.now();
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.write(|tx| {
            if !record_exists(tx, entity, id)? {
                return Err(Error::not_found(entity, id));
            }
            if let Some(found) = tx.external_id(&system, &external_id)? {
                if found.entity == entity && found.entity_id == id {
                    return Ok(found);
                }
                return Err(Error::Conflict(format!(
                    "{system} id {external_id:?} is already mapped to {} {}",
                    found.entity, found.entity_id
                )));
            }
            let mut mapping = ExternalId {
                id: 0,
                system: system.clone(),
                external_id: external_id.clone(),
                entity,
                entity_id: id,
                created_at: now,
            };
            mapping.id = tx.insert_external_id(&mapping)?;
            tx.record_change(EntityKind::ExternalId, mapping.id, ChangeOp::Insert, now)?;
            Ok(mapping)
        })
    }

    /// The record that `(system, external_id)` maps to, if any.
    pub fn resolve_external_id(
        &self,
        system: &str,
        external_id: &str,
    ) -> Result<Option<ExternalId>> {
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.read(|tx| tx.external_id(&system, &external_id))
    }

    /// Every external id of one record, by system.
    pub fn external_ids(&self, entity: EntityKind, id: i64) -> Result<Vec<ExternalId>> {
        self.read(|tx| tx.external_ids_of(entity, id))
    }

    /// Removes the mapping of `(system, external_id)`; an unknown one is not found.
    pub fn unmap_external_id(&self, system: &str, external_id: &str) -> Result<()> {
        let now = self.now();
        let system = system_name(system)?;
        let external_id = external_key(external_id)?;
        self.write(|tx| {
            let found = tx.external_id(&system, &external_id)?.ok_or_else(|| {
                Error::not_found(EntityKind::ExternalId, format!("{system}:{external_id}"))
            })?;
            tx.delete_external_id(found.id)?;
            tx.record_change(EntityKind::ExternalId, found.id, ChangeOp::Delete, now)?;
            Ok(())
        })
    }

    /// The change-feed position that the sync consumer `name` has acknowledged (0 if none yet).
    pub fn sync_cursor(&self, name: &str) -> Result<i64> {
        let name = clean_text("name", name, 64, true)?;
        Ok(self.read(|tx| tx.sync_cursor(&name))?.unwrap_or(0))
    }

    /// Acknowledges everything up to `seq` for consumer `name`. The cursor never moves back
    /// and never past the newest change.
    pub fn advance_sync_cursor(&self, name: &str, seq: i64) -> Result<()> {
        let now = self.now();
        let name = clean_text("name", name, 64, true)?;
        self.write(|tx| {
            let current = tx.sync_cursor(&name)?.unwrap_or(0);
            if seq < current {
                return Err(Error::validation(
                    "seq",
                    format!("{seq} is behind the acknowledged {current}"),
                ));
            }
            let latest = tx.latest_change_seq()?;
            if seq > latest {
                return Err(Error::validation(
                    "seq",
                    format!("{seq} is past the newest change {latest}"),
                ));
            }
            if seq != current {
                tx.set_sync_cursor(&name, seq, now)?;
            }
            Ok(())
        })
    }

    /// The next changes after consumer `name`'s cursor, each with its record as it is now
    /// (or a tombstone), in feed order. Does not move the cursor: acknowledge with
    /// [`Crm::advance_sync_cursor`] once they are applied.
    pub fn sync_pull(&self, name: &str, limit: u32) -> Result<Vec<SyncItem>> {
        let limit = check_limit(limit)?;
        let name = clean_text("name", name, 64, true)?;
        self.read(|tx| {
            let after = tx.sync_cursor(&name)?.unwrap_or(0);
            let changes = tx.changes_since(after, limit)?;
            changes
                .into_iter()
                .map(|change| {
                    let record = current_state(tx, &change)?;
                    Ok(SyncItem { change, record })
                })
                .collect()
        })
    }

    /// [`Crm::sync_pull`] as JSON Lines, one item per line (`{"change":{"seq":..},"record":..}`),
    /// amounts as integer minor units; acknowledge the last line's `change.seq` when applied.
    pub fn sync_pull_json_lines(&self, name: &str, limit: u32) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for item in self.sync_pull(name, limit)? {
            serde_json::to_writer(&mut out, &item).map_err(|e| {
                Error::validation("record", format!("cannot be written as JSON: {e}"))
            })?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

fn current_state(tx: &mut (impl ReadTx + ?Sized), change: &Change) -> Result<SyncRecord> {
    if change.op == ChangeOp::Delete {
        return Ok(SyncRecord::Tombstone);
    }
    Ok(match change.entity {
        EntityKind::Customer => tx
            .customer(CustomerId(change.entity_id))?
            .map_or(SyncRecord::Tombstone, |c| SyncRecord::Customer(Box::new(c))),
        EntityKind::DirectoryEntry => tx
            .entry(EntryId(change.entity_id))?
            .map_or(SyncRecord::Tombstone, |e| SyncRecord::Entry(Box::new(e))),
        EntityKind::ExternalId => tx
            .external_id_by_id(change.entity_id)?
            .map_or(SyncRecord::Tombstone, SyncRecord::ExternalId),
        _ => SyncRecord::NotCarried,
    })
}
