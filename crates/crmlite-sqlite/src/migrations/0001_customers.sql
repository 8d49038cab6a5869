-- Customers, contact points, tags, links, the timeline and the change feed.
CREATE TABLE customers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL CHECK (kind IN ('person', 'organisation')),
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL,
    search_key    TEXT    NOT NULL,
    emails        TEXT    NOT NULL DEFAULT '[]',   -- JSON, primary first
    phones        TEXT    NOT NULL DEFAULT '[]',   -- JSON, primary first
    address       TEXT,                            -- JSON or NULL
    birthday      TEXT,                            -- YYYY-MM-DD
    language      TEXT,
    tags          TEXT    NOT NULL DEFAULT '[]',   -- JSON, sorted
    attributes    TEXT    NOT NULL DEFAULT '{}',   -- JSON, typed values
    external_code TEXT,
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX customers_by_code ON customers (kind, external_code) WHERE external_code IS NOT NULL;
CREATE INDEX customers_by_name ON customers (name_key, id);

CREATE TABLE customer_emails (
    address_key TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (address_key, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_emails_by_customer ON customer_emails (customer_id);

CREATE TABLE customer_phones (
    e164        TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (e164, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_phones_by_customer ON customer_phones (customer_id);

CREATE TABLE customer_tags (
    tag         TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_tags_by_customer ON customer_tags (customer_id);

CREATE TABLE customer_links (
    person_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (person_id, organisation_id)
) STRICT;
CREATE INDEX customer_links_by_organisation ON customer_links (organisation_id);

-- Word-prefix search and fragment search over the Rust-computed key.
CREATE VIRTUAL TABLE customer_words USING fts5 (
    search_key, content = 'customers', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE customer_trigrams USING fts5 (
    search_key, content = 'customers', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_words (rowid, search_key) VALUES (new.id, new.search_key);
    INSERT INTO customer_trigrams (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_words (customer_words, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_trigrams (customer_trigrams, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF search_key ON customers BEGIN
    INSERT INTO customer_words (customer_words, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_trigrams (customer_trigrams, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_words (rowid, search_key) VALUES (new.id, new.search_key);
    INSERT INTO customer_trigrams (rowid, search_key) VALUES (new.id, new.search_key);
END;

CREATE TABLE timeline (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    summary     TEXT    NOT NULL,
    body        TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    source      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX timeline_by_customer ON timeline (customer_id, at DESC, id DESC);

-- The change feed: seq is assigned inside the write transaction; writers are serialised.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    op        TEXT    NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    at        INTEGER NOT NULL
) STRICT;
