-- Complaints (tickets with SLA deadlines and a status lifecycle) and NPS survey answers.
CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    deal_id           INTEGER REFERENCES deals (id),
    order_id          INTEGER REFERENCES orders (id),
    channel           TEXT    NOT NULL DEFAULT '',
    category          TEXT    NOT NULL DEFAULT '',
    category_entry_id INTEGER REFERENCES directory_entries (id),
    severity          TEXT    NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'critical')),
    subject           TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
    assignee          TEXT    NOT NULL DEFAULT '',
    response_due      INTEGER NOT NULL,
    resolution_due    INTEGER NOT NULL,
    responded_at      INTEGER,
    resolved_at       INTEGER,
    closed_at         INTEGER,
    resolution        TEXT    NOT NULL DEFAULT '',
    reopen_count      INTEGER NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    version           INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX complaints_by_customer ON complaints (customer_id, id);
CREATE INDEX complaints_by_status ON complaints (status, id);
CREATE INDEX complaints_by_assignee ON complaints (assignee, id);
CREATE INDEX complaints_active_by_due ON complaints (resolution_due, id) WHERE status IN ('open', 'in_progress');

CREATE TABLE nps_responses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment     TEXT    NOT NULL DEFAULT '',
    survey      TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX nps_responses_by_at ON nps_responses (at);
CREATE UNIQUE INDEX nps_responses_once_per_survey ON nps_responses (customer_id, survey) WHERE survey <> '';
