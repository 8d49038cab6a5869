-- Sales (orders, returns, customer purchase facts) and loyalty (programs, rules, tiers,
-- rewards, cards, the append-only points ledger and idempotency keys).
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    currency    TEXT    NOT NULL,
    total       INTEGER NOT NULL CHECK (total >= 0),
    paid        INTEGER NOT NULL CHECK (paid >= 0 AND paid <= total),
    channel     TEXT    NOT NULL DEFAULT '',
    store       TEXT    NOT NULL DEFAULT '',
    external_id TEXT,
    at          INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX orders_by_external_id ON orders (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX orders_by_customer ON orders (customer_id, currency, at);

CREATE TABLE order_lines (
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    line       INTEGER NOT NULL,
    product    TEXT    NOT NULL,
    category   TEXT    NOT NULL DEFAULT '',
    tags       TEXT    NOT NULL DEFAULT '[]',   -- JSON, sorted
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    discount   INTEGER NOT NULL CHECK (discount >= 0),
    total      INTEGER NOT NULL CHECK (total >= 0),
    reward     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line)
) STRICT;

CREATE TABLE returns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    currency    TEXT    NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    external_id TEXT,
    at          INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX returns_by_external_id ON returns (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX returns_by_order ON returns (order_id);
CREATE INDEX returns_by_customer ON returns (customer_id, currency, at);

CREATE TABLE return_lines (
    return_id INTEGER NOT NULL REFERENCES returns (id),
    line      INTEGER NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (return_id, line)
) STRICT;

-- Maintained on every order and return, so that analytics never scan every purchase.
CREATE TABLE customer_spend (
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    currency         TEXT    NOT NULL,
    order_count      INTEGER NOT NULL,
    spend            INTEGER NOT NULL,
    returned         INTEGER NOT NULL,
    first_purchase_at INTEGER NOT NULL,
    last_purchase_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, currency)
) STRICT;

CREATE TABLE loyalty_programs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    currency         TEXT    NOT NULL,
    point_value      INTEGER NOT NULL CHECK (point_value > 0),
    expiry           TEXT    NOT NULL,   -- JSON
    pending_days     INTEGER NOT NULL CHECK (pending_days >= 0),
    reversal         TEXT    NOT NULL CHECK (reversal IN ('refuse', 'clawback')),
    tier_basis       TEXT    NOT NULL CHECK (tier_basis IN ('points_earned', 'spend')),
    tier_window_days INTEGER NOT NULL CHECK (tier_window_days > 0),
    downgrade        TEXT    NOT NULL,   -- JSON
    created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE loyalty_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES loyalty_programs (id),
    position   INTEGER NOT NULL,
    body       TEXT    NOT NULL,   -- JSON of the checked rule
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX loyalty_rules_by_program ON loyalty_rules (program_id, position, id);

CREATE TABLE loyalty_tiers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES loyalty_programs (id),
    name       TEXT    NOT NULL,
    threshold  INTEGER NOT NULL CHECK (threshold >= 0),
    UNIQUE (program_id, name)
) STRICT;

CREATE TABLE loyalty_rewards (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id      INTEGER NOT NULL REFERENCES loyalty_programs (id),
    required_points INTEGER NOT NULL CHECK (required_points > 0),
    body            TEXT    NOT NULL   -- JSON of the checked reward
) STRICT;
CREATE INDEX loyalty_rewards_by_program ON loyalty_rewards (program_id, required_points, id);

CREATE TABLE loyalty_cards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id  INTEGER NOT NULL REFERENCES loyalty_programs (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    code        TEXT    NOT NULL UNIQUE,
    tier_id     INTEGER REFERENCES loyalty_tiers (id),
    tier_since  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (program_id, customer_id)
) STRICT;
CREATE INDEX loyalty_cards_by_customer ON loyalty_cards (customer_id);

-- The points ledger: append-only. A positive entry is a lot; a debit lists the lots it
-- drew from in loyalty_allocations.
CREATE TABLE loyalty_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id       INTEGER NOT NULL REFERENCES loyalty_cards (id),
    program_id    INTEGER NOT NULL REFERENCES loyalty_programs (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('award', 'adjust', 'redeem', 'expire', 'reverse', 'clawback')),
    points        INTEGER NOT NULL,
    pending_until INTEGER,
    expires_at    INTEGER,
    source_kind   TEXT    NOT NULL DEFAULT '',
    source_ref    TEXT    NOT NULL DEFAULT '',
    reason        TEXT    NOT NULL DEFAULT '',
    order_id      INTEGER REFERENCES orders (id),
    reward_id     INTEGER REFERENCES loyalty_rewards (id),
    shortfall     INTEGER NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
    at            INTEGER NOT NULL,
    CHECK (
        (kind = 'award' AND points > 0)
        OR (kind = 'adjust' AND points <> 0)
        OR (kind IN ('redeem', 'expire', 'reverse', 'clawback') AND points <= 0)
    )
) STRICT;
CREATE INDEX loyalty_entries_by_card ON loyalty_entries (card_id, id);
CREATE INDEX loyalty_entries_by_program ON loyalty_entries (program_id, at);
CREATE INDEX loyalty_entries_by_order ON loyalty_entries (card_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX loyalty_lots_by_expiry ON loyalty_entries (expires_at) WHERE points > 0 AND expires_at IS NOT NULL;
-- Accrual for a source happens at most once, with or without an idempotency key.
CREATE UNIQUE INDEX loyalty_awards_once ON loyalty_entries (card_id, source_kind, source_ref)
    WHERE kind = 'award' AND source_kind IN ('order', 'signup', 'birthday', 'referral');
-- A lot expires at most once.
CREATE UNIQUE INDEX loyalty_expiry_once ON loyalty_entries (source_ref) WHERE kind = 'expire';

CREATE TABLE loyalty_allocations (
    entry_id INTEGER NOT NULL REFERENCES loyalty_entries (id),
    lot_id   INTEGER NOT NULL REFERENCES loyalty_entries (id),
    points   INTEGER NOT NULL CHECK (points > 0),
    position INTEGER NOT NULL,   -- the order the debit drew from its lots
    PRIMARY KEY (entry_id, lot_id)
) STRICT;
CREATE INDEX loyalty_allocations_by_lot ON loyalty_allocations (lot_id);

CREATE TRIGGER loyalty_entries_no_update BEFORE UPDATE ON loyalty_entries BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER loyalty_entries_no_delete BEFORE DELETE ON loyalty_entries BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER loyalty_allocations_no_update BEFORE UPDATE ON loyalty_allocations BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER loyalty_allocations_no_delete BEFORE DELETE ON loyalty_allocations BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
-- Lot conservation: no allocation may take more than is left of its lot.
CREATE TRIGGER loyalty_allocations_within_lot BEFORE INSERT ON loyalty_allocations
WHEN (SELECT points FROM loyalty_entries WHERE id = new.lot_id AND points > 0) IS NULL
  OR (SELECT points FROM loyalty_entries WHERE id = new.lot_id)
     - (SELECT COALESCE(SUM(points), 0) FROM loyalty_allocations WHERE lot_id = new.lot_id) < new.points
BEGIN
    SELECT RAISE(ABORT, 'allocation exceeds what is left of the lot');
END;

-- Keyed ledger commands: the request fingerprint and the first outcome, kept forever.
CREATE TABLE loyalty_commands (
    key         TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    at          INTEGER NOT NULL
) STRICT;
