-- A card's lots in the order debits draw from them (expiring lots by expiry, then those that
-- never expire, oldest first), with every column a debit reads, so a debit reads the first few
-- lots from this index alone instead of the card's whole history from the table.
CREATE INDEX loyalty_lots_by_card_expiry
    ON loyalty_entries (card_id, expires_at, at, id, points, pending_until) WHERE points > 0;
