-- Automation: templates, tasks, triggers and their run log, the outbox and consents.
CREATE TABLE templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL,
    format     TEXT    NOT NULL CHECK (format IN ('text', 'html')),
    body       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    due          INTEGER NOT NULL,
    assignee     TEXT    NOT NULL DEFAULT '',
    customer_id  INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    record       TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    recurrence   TEXT,
    series_start INTEGER NOT NULL,
    occurrence   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX tasks_open_by_due ON tasks (status, due, id);
CREATE INDEX tasks_by_customer ON tasks (customer_id);

CREATE TABLE triggers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    event      TEXT    NOT NULL,   -- JSON
    action     TEXT    NOT NULL,   -- JSON
    active     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- One row per firing: the key makes run_due idempotent.
CREATE TABLE trigger_runs (
    trigger_id  INTEGER NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL,
    occurrence  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    outcome     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (trigger_id, customer_id, occurrence)
) STRICT;
CREATE INDEX trigger_runs_by_time ON trigger_runs (trigger_id, at DESC);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER,
    channel      TEXT    NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('marketing', 'service')),
    recipient    TEXT    NOT NULL,
    subject      TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL,
    html         INTEGER NOT NULL,
    dedupe_key   TEXT,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    lease_until  INTEGER,
    claim_token  TEXT,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX outbox_by_dedupe_key ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_by_status ON outbox (status, available_at, id);
CREATE INDEX outbox_by_customer ON outbox (customer_id, status);

-- Consent decisions, append-only: the latest per (customer, channel, purpose) is in force.
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
    purpose      TEXT    NOT NULL CHECK (purpose IN ('marketing', 'service')),
    granted      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    text_version TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX consents_by_customer ON consents (customer_id, channel, purpose, id);
