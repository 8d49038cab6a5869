-- Reference directories, external id mappings and sync consumers' cursors.
CREATE TABLE directory_kinds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    fields     TEXT    NOT NULL,                 -- JSON list of field definitions
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE directory_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,              -- built-in kind or directory_kinds.name
    external_code TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    fields        TEXT    NOT NULL DEFAULT '{}', -- JSON, typed values by field name
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX directory_entries_by_code ON directory_entries (kind, external_code);

-- Which entries a reference field points to; a referenced entry cannot be deleted.
CREATE TABLE directory_refs (
    from_id INTEGER NOT NULL REFERENCES directory_entries (id) ON DELETE CASCADE,
    to_id   INTEGER NOT NULL REFERENCES directory_entries (id),
    PRIMARY KEY (from_id, to_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX directory_refs_by_target ON directory_refs (to_id);

CREATE TABLE external_ids (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    system      TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX external_ids_by_key ON external_ids (system, external_id);
CREATE INDEX external_ids_by_record ON external_ids (entity, entity_id);

CREATE TABLE sync_cursors (
    name       TEXT    PRIMARY KEY,
    seq        INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
