//! Reference directories, external id mappings and sync cursors.

use crate::conn::{Dialect, Row, SqlConn, SqlTx, Value, from_json, limit, to_json};
use crmlite_core::reference::{DirectoryKind, Entry, EntryRecord, ExternalId};
use crmlite_core::store::{ReferenceRead, ReferenceWrite};
use crmlite_core::{EntityKind, EntryId, Error, Result, StorageKind, Timestamp};

const ENTRY_COLUMNS: &str =
    "id, kind, external_code, name, fields, archived, version, created_at, updated_at";
const MAPPING_COLUMNS: &str = "id, system, external_id, entity, entity_id, created_at";

fn entry_from_row(row: &Row) -> Result<Entry> {
    Ok(Entry {
        id: EntryId(row.int(0)?),
        kind: row.text(1)?,
        external_code: row.text(2)?,
        name: row.text(3)?,
        fields: from_json(&row.text(4)?, "fields")?,
        archived: row.bool(5)?,
        version: row.int(6)?,
        created_at: Timestamp(row.int(7)?),
        updated_at: Timestamp(row.int(8)?),
    })
}

pub(crate) fn kind_from_row(row: &Row) -> Result<DirectoryKind> {
    Ok(DirectoryKind {
        name: row.text(0)?,
        label: row.text(1)?,
        fields: from_json(&row.text(2)?, "fields")?,
        builtin: false,
    })
}

fn mapping_from_row(row: &Row) -> Result<ExternalId> {
    Ok(ExternalId {
        id: row.int(0)?,
        system: row.text(1)?,
        external_id: row.text(2)?,
        entity: EntityKind::parse(&row.text(3)?).ok_or_else(|| {
            Error::storage(
                StorageKind::Corrupt,
                "unknown entity kind of an external id",
            )
        })?,
        entity_id: row.int(4)?,
        created_at: Timestamp(row.int(5)?),
    })
}

fn write_refs<C: SqlConn>(conn: &mut C, record: &EntryRecord, id: EntryId) -> Result<()> {
    conn.execute(
        "DELETE FROM directory_refs WHERE from_id = ?1",
        &[id.0.into()],
    )?;
    for target in &record.references {
        conn.execute(
            "INSERT INTO directory_refs (from_id, to_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[id.0.into(), target.0.into()],
        )?;
    }
    Ok(())
}

impl<C: SqlConn> ReferenceRead for SqlTx<C> {
    fn directory_kinds(&mut self) -> Result<Vec<DirectoryKind>> {
        let rows = self.0.query(
            "SELECT name, label, fields FROM directory_kinds ORDER BY name",
            &[],
        )?;
        rows.iter().map(kind_from_row).collect()
    }

    fn directory_kind(&mut self, name: &str) -> Result<Option<DirectoryKind>> {
        self.0
            .query_opt(
                "SELECT name, label, fields FROM directory_kinds WHERE name = ?1",
                &[name.into()],
            )?
            .map(|r| kind_from_row(&r))
            .transpose()
    }

    fn entry(&mut self, id: EntryId) -> Result<Option<Entry>> {
        self.0
            .query_opt(
                &format!("SELECT {ENTRY_COLUMNS} FROM directory_entries WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| entry_from_row(&r))
            .transpose()
    }

    fn entry_by_code(&mut self, kind: &str, code: &str) -> Result<Option<Entry>> {
        self.0
            .query_opt(
                &format!("SELECT {ENTRY_COLUMNS} FROM directory_entries WHERE kind = ?1 AND external_code = ?2"),
                &[kind.into(), code.into()],
            )?
            .map(|r| entry_from_row(&r))
            .transpose()
    }

    fn entries_after(
        &mut self,
        kind: &str,
        after: Option<EntryId>,
        archived: bool,
        n: u32,
    ) -> Result<Vec<Entry>> {
        let rows = self.0.query(
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM directory_entries \
                 WHERE kind = ?1 AND id > ?2 AND (archived = 0 OR ?3 = 1) ORDER BY id LIMIT ?4"
            ),
            &[
                kind.into(),
                after.map_or(0, |a| a.0).into(),
                archived.into(),
                limit(n),
            ],
        )?;
        rows.iter().map(entry_from_row).collect()
    }

    fn entry_count(&mut self, kind: &str) -> Result<i64> {
        self.0
            .query_one(
                "SELECT COUNT(*) FROM directory_entries WHERE kind = ?1",
                &[kind.into()],
            )?
            .int(0)
    }

    fn entry_referrer_count(&mut self, id: EntryId) -> Result<i64> {
        self.0
            .query_one(
                "SELECT COUNT(*) FROM directory_refs WHERE to_id = ?1 AND from_id <> ?1",
                &[id.0.into()],
            )?
            .int(0)
    }

    fn external_id(&mut self, system: &str, external_id: &str) -> Result<Option<ExternalId>> {
        self.0
            .query_opt(
                &format!("SELECT {MAPPING_COLUMNS} FROM external_ids WHERE system = ?1 AND external_id = ?2"),
                &[system.into(), external_id.into()],
            )?
            .map(|r| mapping_from_row(&r))
            .transpose()
    }

    fn external_ids_of(&mut self, entity: EntityKind, id: i64) -> Result<Vec<ExternalId>> {
        let rows = self.0.query(
            &format!(
                "SELECT {MAPPING_COLUMNS} FROM external_ids WHERE entity = ?1 AND entity_id = ?2 ORDER BY system, external_id"
            ),
            &[entity.as_str().into(), id.into()],
        )?;
        rows.iter().map(mapping_from_row).collect()
    }

    fn external_id_by_id(&mut self, id: i64) -> Result<Option<ExternalId>> {
        self.0
            .query_opt(
                &format!("SELECT {MAPPING_COLUMNS} FROM external_ids WHERE id = ?1"),
                &[id.into()],
            )?
            .map(|r| mapping_from_row(&r))
            .transpose()
    }

    fn sync_cursor(&mut self, name: &str) -> Result<Option<i64>> {
        self.0
            .query_opt(
                "SELECT seq FROM sync_cursors WHERE name = ?1",
                &[name.into()],
            )?
            .map(|r| r.int(0))
            .transpose()
    }

    fn latest_change_seq(&mut self) -> Result<i64> {
        Ok(self
            .0
            .query_one("SELECT MAX(seq) FROM changes", &[])?
            .opt_int(0)?
            .unwrap_or(0))
    }
}

impl<C: SqlConn> ReferenceWrite for SqlTx<C> {
    fn insert_directory_kind(&mut self, kind: &DirectoryKind, at: Timestamp) -> Result<i64> {
        self.0
            .query_one(
                "INSERT INTO directory_kinds (name, label, fields, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &[kind.name.clone().into(), kind.label.clone().into(), to_json(&kind.fields)?.into(), at.0.into()],
            )?
            .int(0)
    }

    fn insert_entry(&mut self, record: &EntryRecord) -> Result<EntryId> {
        let e = &record.entry;
        let row = self.0.query_one(
            "INSERT INTO directory_entries (kind, external_code, name, fields, archived, version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            &entry_values(e)?,
        )?;
        let id = EntryId(row.int(0)?);
        write_refs(&mut self.0, record, id)?;
        Ok(id)
    }

    fn update_entry(&mut self, record: &EntryRecord) -> Result<()> {
        let e = &record.entry;
        let mut params = entry_values(e)?;
        params.push(e.id.0.into());
        let n = self.0.execute(
            "UPDATE directory_entries SET kind = ?1, external_code = ?2, name = ?3, fields = ?4, archived = ?5, \
             version = ?6, created_at = ?7, updated_at = ?8 WHERE id = ?9",
            &params,
        )?;
        if n != 1 {
            return Err(Error::not_found(EntityKind::DirectoryEntry, e.id));
        }
        write_refs(&mut self.0, record, e.id)
    }

    fn delete_entry(&mut self, id: EntryId) -> Result<bool> {
        self.0.execute(
            "DELETE FROM directory_refs WHERE from_id = ?1",
            &[id.0.into()],
        )?;
        Ok(self.0.execute(
            "DELETE FROM directory_entries WHERE id = ?1",
            &[id.0.into()],
        )? > 0)
    }

    fn insert_external_id(&mut self, m: &ExternalId) -> Result<i64> {
        self.0
            .query_one(
                "INSERT INTO external_ids (system, external_id, entity, entity_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                &[
                    m.system.clone().into(),
                    m.external_id.clone().into(),
                    m.entity.as_str().into(),
                    m.entity_id.into(),
                    m.created_at.0.into(),
                ],
            )?
            .int(0)
    }

    fn delete_external_id(&mut self, id: i64) -> Result<bool> {
        Ok(self
            .0
            .execute("DELETE FROM external_ids WHERE id = ?1", &[id.into()])?
            > 0)
    }

    fn set_sync_cursor(&mut self, name: &str, seq: i64, at: Timestamp) -> Result<()> {
        self.0.execute(
            "INSERT INTO sync_cursors (name, seq, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at",
            &[name.into(), seq.into(), at.0.into()],
        )?;
        Ok(())
    }

    fn suspend_customer_search(&mut self) -> Result<Vec<String>> {
        let (find, drop) = match self.0.dialect() {
            Dialect::Sqlite => (
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'customers_search_insert'",
                "DROP TRIGGER customers_search_insert",
            ),
            Dialect::Postgres => (
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'customers_search'",
                "DROP INDEX customers_search",
            ),
        };
        let saved: Vec<String> = self
            .0
            .query(find, &[])?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<_>>()?;
        if !saved.is_empty() {
            self.0.execute(drop, &[])?;
        }
        Ok(saved)
    }

    fn suspend_order_indexes(&mut self) -> Result<Vec<String>> {
        let find = match self.0.dialect() {
            Dialect::Sqlite => {
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1 AND sql IS NOT NULL"
            }
            Dialect::Postgres => {
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?1"
            }
        };
        let mut saved = Vec::new();
        for name in ORDER_INDEXES {
            if let Some(row) = self.0.query_opt(find, &[(*name).into()])? {
                saved.push(row.text(0)?);
                self.0.execute(&format!("DROP INDEX {name}"), &[])?;
            }
        }
        Ok(saved)
    }

    fn resume_order_indexes(&mut self, saved: &[String]) -> Result<()> {
        for sql in saved {
            self.0.execute(sql, &[])?;
        }
        Ok(())
    }

    fn resume_customer_search(&mut self, saved: &[String]) -> Result<()> {
        for sql in saved {
            self.0.execute(sql, &[])?;
        }
        if self.0.dialect() == Dialect::Sqlite && !saved.is_empty() {
            for table in ["customer_words", "customer_trigrams"] {
                self.0.execute(
                    &format!("INSERT INTO {table} ({table}) VALUES ('rebuild')"),
                    &[],
                )?;
            }
        }
        Ok(())
    }
}

/// The order indexes a bulk load into an empty `orders` table builds after the load.
const ORDER_INDEXES: &[&str] = &["orders_by_customer", "orders_by_external_id"];

fn entry_values(e: &Entry) -> Result<Vec<Value>> {
    Ok(vec![
        e.kind.clone().into(),
        e.external_code.clone().into(),
        e.name.clone().into(),
        to_json(&e.fields)?.into(),
        e.archived.into(),
        e.version.into(),
        e.created_at.0.into(),
        e.updated_at.0.into(),
    ])
}
