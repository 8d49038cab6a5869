-- Pipelines and their stages, the lost-reason list, deals with line items, stage history.
CREATE TABLE pipelines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE deal_stages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id    INTEGER NOT NULL REFERENCES pipelines (id),
    name           TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    probability    INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind           TEXT    NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    rot_after_days INTEGER CHECK (rot_after_days > 0),
    retired        INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;
CREATE INDEX deal_stages_by_pipeline ON deal_stages (pipeline_id, position, id);

CREATE TABLE lost_reasons (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    retired    INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE deals (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id      INTEGER NOT NULL REFERENCES pipelines (id),
    stage_id         INTEGER NOT NULL REFERENCES deal_stages (id),
    status           TEXT    NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    title            TEXT    NOT NULL,
    customer_id      INTEGER REFERENCES customers (id),
    organisation_id  INTEGER REFERENCES customers (id),
    owner            TEXT    NOT NULL DEFAULT '',
    amount_minor     INTEGER NOT NULL,
    currency         TEXT    NOT NULL,
    probability      INTEGER CHECK (probability BETWEEN 0 AND 100),   -- explicit override or NULL
    expected_close   TEXT,                                            -- YYYY-MM-DD
    closed_at        INTEGER,
    source           TEXT    NOT NULL DEFAULT '',
    lost_reason_id   INTEGER REFERENCES lost_reasons (id),
    lost_at_stage_id INTEGER REFERENCES deal_stages (id),
    lost_note        TEXT    NOT NULL DEFAULT '',
    stage_entered_at INTEGER NOT NULL,
    attributes       TEXT    NOT NULL DEFAULT '{}',                   -- JSON, typed values
    external_code    TEXT,
    version          INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (customer_id IS NOT NULL OR organisation_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX deals_by_code ON deals (external_code) WHERE external_code IS NOT NULL;
CREATE INDEX deals_by_pipeline ON deals (pipeline_id, id);
CREATE INDEX deals_by_stage ON deals (stage_id, id);
CREATE INDEX deals_by_owner ON deals (owner, id);
CREATE INDEX deals_by_customer ON deals (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX deals_by_organisation ON deals (organisation_id, id) WHERE organisation_id IS NOT NULL;
CREATE INDEX deals_open_by_stage ON deals (status, stage_id, stage_entered_at);

CREATE TABLE deal_lines (
    deal_id          INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    product          TEXT    NOT NULL,
    product_code     TEXT,
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    discount_bp      INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    total_minor      INTEGER NOT NULL,
    PRIMARY KEY (deal_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE deal_stage_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id       INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    from_stage_id INTEGER REFERENCES deal_stages (id),
    to_stage_id   INTEGER NOT NULL REFERENCES deal_stages (id),
    by_user       TEXT    NOT NULL DEFAULT '',
    at            INTEGER NOT NULL,
    spent_ms      INTEGER NOT NULL CHECK (spent_ms >= 0)
) STRICT;
CREATE INDEX deal_stage_changes_by_deal ON deal_stage_changes (deal_id, id);
CREATE INDEX deal_stage_changes_by_from ON deal_stage_changes (from_stage_id);
CREATE INDEX deal_stage_changes_by_to ON deal_stage_changes (to_stage_id);
