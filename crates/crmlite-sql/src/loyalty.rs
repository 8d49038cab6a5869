//! Loyalty programs, rules, tiers, rewards, cards and the append-only points ledger.

use crate::conn::{Row, SqlConn, SqlTx, Value, from_json, limit, to_json};
use crmlite_core::loyalty::{
    Allocation, Card, EarnRule, EntryKind, LedgerEntry, Lot, NewEarnRule, NewReward, NewTier,
    Program, ReversalPolicy, Reward, Tier, TierBasis,
};
use crmlite_core::money::{Currency, Money};
use crmlite_core::store::{EntrySums, LoyaltyRead, LoyaltyWrite, StoredCommand};
use crmlite_core::{
    CardId, CustomerId, EntryId, Error, OrderId, ProgramId, Result, RewardId, RuleId, StorageKind,
    TierId, Timestamp,
};

macro_rules! program_columns {
    () => {
        "id, name, currency, point_value, expiry, pending_days, reversal, tier_basis, tier_window_days, downgrade, created_at"
    };
}
macro_rules! card_columns {
    () => {
        "id, program_id, customer_id, code, tier_id, tier_since, created_at"
    };
}
const PROGRAM_COLUMNS: &str = program_columns!();
const PROGRAM_BY_ID: &str = concat!(
    "SELECT ",
    program_columns!(),
    " FROM loyalty_programs WHERE id = ?1"
);
const CARD_COLUMNS: &str = card_columns!();
const CARD_BY_ID: &str = concat!(
    "SELECT ",
    card_columns!(),
    " FROM loyalty_cards WHERE id = ?1"
);
const ENTRY_COLUMNS: &str = "id, card_id, program_id, kind, points, pending_until, expires_at, source_kind, source_ref, \
                             reason, order_id, reward_id, shortfall, at";
/// Lots with what is left of them: columns id, card, points, remaining, pending_until, expires_at, at.
const LOT_SELECT: &str = "SELECT e.id, e.card_id, e.points, \
     e.points - CAST(COALESCE((SELECT SUM(a.points) FROM loyalty_allocations a WHERE a.lot_id = e.id), 0) AS BIGINT), \
     e.pending_until, e.expires_at, e.at FROM loyalty_entries e";

/// [`LOT_SELECT`]'s columns for the spendable lots of card `?1` at `?2` (something left, not
/// pending), followed by the expiry condition, the order and `LIMIT ?3`.
macro_rules! spendable_lots {
    ($expiry:literal, $order:literal) => {
        concat!(
            "SELECT e.id, e.card_id, e.points, e.points - ",
            spent!(),
            ", e.pending_until, e.expires_at, e.at FROM loyalty_entries e \
             WHERE e.card_id = ?1 AND e.points > 0 AND ",
            $expiry,
            " AND (e.pending_until IS NULL OR e.pending_until <= ?2) AND e.points > ",
            spent!(),
            " ORDER BY ",
            $order,
            " LIMIT ?3"
        )
    };
}
/// What has been taken from lot `e` so far.
macro_rules! spent {
    () => {
        "CAST(COALESCE((SELECT SUM(a.points) FROM loyalty_allocations a WHERE a.lot_id = e.id), 0) AS BIGINT)"
    };
}
/// Every lot of card `?1` with what is left of it, in no particular order.
const CARD_LOTS: &str = concat!(
    "SELECT e.id, e.card_id, e.points, e.points - ",
    spent!(),
    ", e.pending_until, e.expires_at, e.at FROM loyalty_entries e WHERE e.card_id = ?1 AND e.points > 0"
);
const SPENDABLE_EXPIRING: &str = spendable_lots!("e.expires_at > ?2", "e.expires_at, e.at, e.id");
const SPENDABLE_NEVER_EXPIRING: &str = spendable_lots!("e.expires_at IS NULL", "e.at, e.id");

fn corrupt(what: &str) -> Error {
    Error::storage(StorageKind::Corrupt, format!("unknown {what}"))
}

fn days(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| corrupt("day count"))
}

fn program_from_row(r: &Row) -> Result<Program> {
    let currency = Currency::parse(&r.text(2)?, "currency").map_err(|_| corrupt("currency"))?;
    Ok(Program {
        id: ProgramId(r.int(0)?),
        name: r.text(1)?,
        currency,
        point_value: Money::new(r.int(3)?, currency),
        expiry: from_json(&r.text(4)?, "expiry")?,
        pending_days: days(r.int(5)?)?,
        reversal: match r.text(6)?.as_str() {
            "refuse" => ReversalPolicy::Refuse,
            "clawback" => ReversalPolicy::Clawback,
            _ => return Err(corrupt("reversal policy")),
        },
        tier_basis: match r.text(7)?.as_str() {
            "points_earned" => TierBasis::PointsEarned,
            "spend" => TierBasis::Spend,
            _ => return Err(corrupt("tier basis")),
        },
        tier_window_days: days(r.int(8)?)?,
        downgrade: from_json(&r.text(9)?, "downgrade")?,
        created_at: Timestamp(r.int(10)?),
    })
}

fn card_from_row(r: &Row) -> Result<Card> {
    Ok(Card {
        id: CardId(r.int(0)?),
        program: ProgramId(r.int(1)?),
        customer: CustomerId(r.int(2)?),
        code: r.text(3)?,
        tier: r.opt_int(4)?.map(TierId),
        tier_since: Timestamp(r.int(5)?),
        created_at: Timestamp(r.int(6)?),
    })
}

fn lot_from_row(r: &Row) -> Result<Lot> {
    Ok(Lot {
        id: EntryId(r.int(0)?),
        card: CardId(r.int(1)?),
        points: r.int(2)?,
        remaining: r.int(3)?,
        pending_until: r.opt_int(4)?.map(Timestamp),
        expires_at: r.opt_int(5)?.map(Timestamp),
        at: Timestamp(r.int(6)?),
    })
}

fn load_entry<C: SqlConn>(conn: &mut C, r: &Row) -> Result<LedgerEntry> {
    let id = EntryId(r.int(0)?);
    let allocations = conn
        .query(
            "SELECT lot_id, points FROM loyalty_allocations WHERE entry_id = ?1 ORDER BY position",
            &[id.0.into()],
        )?
        .iter()
        .map(|a| {
            Ok(Allocation {
                lot: EntryId(a.int(0)?),
                points: a.int(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LedgerEntry {
        id,
        card: CardId(r.int(1)?),
        program: ProgramId(r.int(2)?),
        kind: EntryKind::parse(&r.text(3)?).ok_or_else(|| corrupt("ledger entry kind"))?,
        points: r.int(4)?,
        pending_until: r.opt_int(5)?.map(Timestamp),
        expires_at: r.opt_int(6)?.map(Timestamp),
        source_kind: r.text(7)?,
        source_ref: r.text(8)?,
        reason: r.text(9)?,
        order: r.opt_int(10)?.map(OrderId),
        reward: r.opt_int(11)?.map(RewardId),
        shortfall: r.int(12)?,
        at: Timestamp(r.int(13)?),
        allocations,
    })
}

fn load_entries<C: SqlConn>(conn: &mut C, sql: &str, params: &[Value]) -> Result<Vec<LedgerEntry>> {
    let rows = conn.query(sql, params)?;
    rows.iter().map(|r| load_entry(conn, r)).collect()
}

fn lots<C: SqlConn>(conn: &mut C, filter: &str, params: &[Value]) -> Result<Vec<Lot>> {
    conn.query(
        &format!("{LOT_SELECT} WHERE e.points > 0 AND {filter} ORDER BY e.id"),
        params,
    )?
    .iter()
    .map(lot_from_row)
    .collect()
}

impl<C: SqlConn> LoyaltyRead for SqlTx<C> {
    fn program(&mut self, id: ProgramId) -> Result<Option<Program>> {
        self.0
            .query_opt(PROGRAM_BY_ID, &[id.0.into()])?
            .map(|r| program_from_row(&r))
            .transpose()
    }

    fn programs(&mut self) -> Result<Vec<Program>> {
        self.0
            .query(
                &format!("SELECT {PROGRAM_COLUMNS} FROM loyalty_programs ORDER BY id"),
                &[],
            )?
            .iter()
            .map(program_from_row)
            .collect()
    }

    fn earn_rules(&mut self, program: ProgramId) -> Result<Vec<EarnRule>> {
        self.0
            .query(
                "SELECT id, body, created_at FROM loyalty_rules WHERE program_id = ?1 ORDER BY position, id",
                &[program.0.into()],
            )?
            .iter()
            .map(|r| {
                Ok(EarnRule {
                    id: RuleId(r.int(0)?),
                    rule: from_json(&r.text(1)?, "rule")?,
                    created_at: Timestamp(r.int(2)?),
                })
            })
            .collect()
    }

    fn tiers(&mut self, program: ProgramId) -> Result<Vec<Tier>> {
        self.0
            .query(
                "SELECT id, program_id, name, threshold FROM loyalty_tiers WHERE program_id = ?1 ORDER BY threshold, id",
                &[program.0.into()],
            )?
            .iter()
            .map(|r| Ok(Tier { id: TierId(r.int(0)?), program: ProgramId(r.int(1)?), name: r.text(2)?, threshold: r.int(3)? }))
            .collect()
    }

    fn reward(&mut self, id: RewardId) -> Result<Option<Reward>> {
        self.0
            .query_opt(
                "SELECT id, body FROM loyalty_rewards WHERE id = ?1",
                &[id.0.into()],
            )?
            .map(|r| {
                Ok(Reward {
                    id: RewardId(r.int(0)?),
                    reward: from_json(&r.text(1)?, "reward")?,
                })
            })
            .transpose()
    }

    fn rewards(&mut self, program: ProgramId) -> Result<Vec<Reward>> {
        self.0
            .query(
                "SELECT id, body FROM loyalty_rewards WHERE program_id = ?1 ORDER BY required_points, id",
                &[program.0.into()],
            )?
            .iter()
            .map(|r| Ok(Reward { id: RewardId(r.int(0)?), reward: from_json(&r.text(1)?, "reward")? }))
            .collect()
    }

    fn card(&mut self, id: CardId) -> Result<Option<Card>> {
        self.0
            .query_opt(CARD_BY_ID, &[id.0.into()])?
            .map(|r| card_from_row(&r))
            .transpose()
    }

    fn card_by_code(&mut self, code: &str) -> Result<Option<Card>> {
        self.0
            .query_opt(
                &format!("SELECT {CARD_COLUMNS} FROM loyalty_cards WHERE code = ?1"),
                &[code.into()],
            )?
            .map(|r| card_from_row(&r))
            .transpose()
    }

    fn card_of(&mut self, program: ProgramId, customer: CustomerId) -> Result<Option<Card>> {
        self.0
            .query_opt(
                &format!("SELECT {CARD_COLUMNS} FROM loyalty_cards WHERE program_id = ?1 AND customer_id = ?2"),
                &[program.0.into(), customer.0.into()],
            )?
            .map(|r| card_from_row(&r))
            .transpose()
    }

    fn cards_of_customer(&mut self, customer: CustomerId) -> Result<Vec<Card>> {
        self.0
            .query(
                &format!(
                    "SELECT {CARD_COLUMNS} FROM loyalty_cards WHERE customer_id = ?1 ORDER BY id"
                ),
                &[customer.0.into()],
            )?
            .iter()
            .map(card_from_row)
            .collect()
    }

    fn lots(&mut self, card: CardId) -> Result<Vec<Lot>> {
        // Without an ORDER BY the card's lots come from `loyalty_lots_by_card_expiry` alone
        // (it holds every column read), not from table rows scattered over the whole ledger.
        let mut out = self
            .0
            .query(CARD_LOTS, &[card.0.into()])?
            .iter()
            .map(lot_from_row)
            .collect::<Result<Vec<_>>>()?;
        out.sort_unstable_by_key(|l| l.id);
        Ok(out)
    }

    fn spendable_lots(&mut self, card: CardId, now: Timestamp, n: u32) -> Result<Vec<Lot>> {
        // Lots that expire come first, by expiry, then those that never do; each part is read
        // in spend order through `loyalty_lots_by_card_expiry`, stopping after `n` lots.
        let params = [card.0.into(), now.0.into(), limit(n)];
        let mut out: Vec<Lot> = self
            .0
            .query(SPENDABLE_EXPIRING, &params)?
            .iter()
            .map(lot_from_row)
            .collect::<Result<_>>()?;
        let have = u32::try_from(out.len()).unwrap_or(u32::MAX);
        if have < n {
            let params = [card.0.into(), now.0.into(), limit(n - have)];
            for r in self.0.query(SPENDABLE_NEVER_EXPIRING, &params)?.iter() {
                out.push(lot_from_row(r)?);
            }
        }
        Ok(out)
    }

    fn due_lots(&mut self, now: Timestamp) -> Result<Vec<Lot>> {
        let all = lots(
            &mut self.0,
            "e.expires_at IS NOT NULL AND e.expires_at <= ?1",
            &[now.0.into()],
        )?;
        Ok(all.into_iter().filter(|l| l.remaining > 0).collect())
    }

    fn ledger_sum(&mut self, card: CardId) -> Result<i64> {
        self.0
            .query_one(
                "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM loyalty_entries WHERE card_id = ?1",
                &[card.0.into()],
            )?
            .int(0)
    }

    fn ledger_entry(&mut self, id: EntryId) -> Result<Option<LedgerEntry>> {
        let row = self.0.query_opt(
            &format!("SELECT {ENTRY_COLUMNS} FROM loyalty_entries WHERE id = ?1"),
            &[id.0.into()],
        )?;
        row.map(|r| load_entry(&mut self.0, &r)).transpose()
    }

    fn ledger_entries(
        &mut self,
        card: CardId,
        before: Option<EntryId>,
        n: u32,
    ) -> Result<Vec<LedgerEntry>> {
        load_entries(
            &mut self.0,
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM loyalty_entries WHERE card_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
            ),
            &[
                card.0.into(),
                before.map_or(i64::MAX, |b| b.0).into(),
                limit(n),
            ],
        )
    }

    fn award_for(
        &mut self,
        card: CardId,
        source_kind: &str,
        source_ref: &str,
    ) -> Result<Option<LedgerEntry>> {
        // The repeated condition is the partial unique index's own: without it the planner
        // cannot use that index and walks every entry of the card.
        let row = self.0.query_opt(
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM loyalty_entries \
                 WHERE card_id = ?1 AND kind = 'award' AND source_kind = ?2 AND source_ref = ?3 \
                 AND source_kind IN ('order', 'signup', 'birthday', 'referral')"
            ),
            &[card.0.into(), source_kind.into(), source_ref.into()],
        )?;
        row.map(|r| load_entry(&mut self.0, &r)).transpose()
    }

    fn reversed_for_order(&mut self, card: CardId, order: OrderId) -> Result<i64> {
        self.0
            .query_one(
                "SELECT CAST(COALESCE(SUM(shortfall - points), 0) AS BIGINT) FROM loyalty_entries \
                 WHERE card_id = ?1 AND order_id = ?2 AND kind IN ('reverse', 'clawback')",
                &[card.0.into(), order.0.into()],
            )?
            .int(0)
    }

    fn order_entries(&mut self, card: CardId, order: OrderId) -> Result<Vec<LedgerEntry>> {
        load_entries(
            &mut self.0,
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM loyalty_entries WHERE card_id = ?1 AND order_id = ?2 ORDER BY id"
            ),
            &[card.0.into(), order.0.into()],
        )
    }

    fn earned_between(&mut self, card: CardId, from: Timestamp, until: Timestamp) -> Result<i64> {
        self.0
            .query_one(
                "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM loyalty_entries \
                 WHERE card_id = ?1 AND kind IN ('award', 'reverse', 'clawback') AND at >= ?2 AND at < ?3",
                &[card.0.into(), from.0.into(), until.0.into()],
            )?
            .int(0)
    }

    fn entry_sums(
        &mut self,
        program: ProgramId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<EntrySums>> {
        self.0
            .query(
                "SELECT kind, CAST(COALESCE(SUM(CASE WHEN points > 0 THEN points ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN points < 0 THEN points ELSE 0 END), 0) AS BIGINT) \
                 FROM loyalty_entries WHERE program_id = ?1 AND at >= ?2 AND at < ?3 GROUP BY kind ORDER BY kind",
                &[program.0.into(), from.0.into(), until.0.into()],
            )?
            .iter()
            .map(|r| {
                Ok(EntrySums {
                    kind: EntryKind::parse(&r.text(0)?).ok_or_else(|| corrupt("ledger entry kind"))?,
                    credits: r.int(1)?,
                    debits: r.int(2)?,
                })
            })
            .collect()
    }

    fn open_lots(&mut self, program: ProgramId) -> Result<Vec<Lot>> {
        let all = lots(&mut self.0, "e.program_id = ?1", &[program.0.into()])?;
        Ok(all.into_iter().filter(|l| l.remaining > 0).collect())
    }

    fn stored_command(&mut self, key: &str) -> Result<Option<StoredCommand>> {
        self.0
            .query_opt(
                "SELECT kind, fingerprint, outcome FROM loyalty_commands WHERE key = ?1",
                &[key.into()],
            )?
            .map(|r| {
                Ok(StoredCommand {
                    kind: r.text(0)?,
                    fingerprint: r.text(1)?,
                    outcome: r.text(2)?,
                })
            })
            .transpose()
    }
}

impl<C: SqlConn> LoyaltyWrite for SqlTx<C> {
    fn insert_program(&mut self, p: &Program) -> Result<ProgramId> {
        if self
            .0
            .query_opt(
                "SELECT id FROM loyalty_programs WHERE name = ?1",
                &[p.name.clone().into()],
            )?
            .is_some()
        {
            return Err(Error::Conflict(format!(
                "a program named {:?} exists",
                p.name
            )));
        }
        let reversal = match p.reversal {
            ReversalPolicy::Refuse => "refuse",
            ReversalPolicy::Clawback => "clawback",
        };
        let basis = match p.tier_basis {
            TierBasis::PointsEarned => "points_earned",
            TierBasis::Spend => "spend",
        };
        let row = self.0.query_one(
            "INSERT INTO loyalty_programs (name, currency, point_value, expiry, pending_days, reversal, tier_basis, \
             tier_window_days, downgrade, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
            &[
                p.name.clone().into(),
                p.currency.code().into(),
                p.point_value.minor.into(),
                to_json(&p.expiry)?.into(),
                i64::from(p.pending_days).into(),
                reversal.into(),
                basis.into(),
                i64::from(p.tier_window_days).into(),
                to_json(&p.downgrade)?.into(),
                p.created_at.0.into(),
            ],
        )?;
        Ok(ProgramId(row.int(0)?))
    }

    fn insert_earn_rule(&mut self, rule: &NewEarnRule, at: Timestamp) -> Result<RuleId> {
        let row = self.0.query_one(
            "INSERT INTO loyalty_rules (program_id, position, body, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            &[rule.program.0.into(), i64::from(rule.position).into(), to_json(rule)?.into(), at.0.into()],
        )?;
        Ok(RuleId(row.int(0)?))
    }

    fn insert_tier(&mut self, tier: &NewTier) -> Result<TierId> {
        let row = self.0.query_one(
            "INSERT INTO loyalty_tiers (program_id, name, threshold) VALUES (?1, ?2, ?3) RETURNING id",
            &[tier.program.0.into(), tier.name.clone().into(), tier.threshold.into()],
        )?;
        Ok(TierId(row.int(0)?))
    }

    fn insert_reward(&mut self, reward: &NewReward) -> Result<RewardId> {
        let row = self.0.query_one(
            "INSERT INTO loyalty_rewards (program_id, required_points, body) VALUES (?1, ?2, ?3) RETURNING id",
            &[reward.program.0.into(), reward.required_points.into(), to_json(reward)?.into()],
        )?;
        Ok(RewardId(row.int(0)?))
    }

    fn insert_card(&mut self, c: &Card) -> Result<CardId> {
        let row = self.0.query_one(
            "INSERT INTO loyalty_cards (program_id, customer_id, code, tier_id, tier_since, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            &[
                c.program.0.into(),
                c.customer.0.into(),
                c.code.clone().into(),
                c.tier.map(|t| t.0).into(),
                c.tier_since.0.into(),
                c.created_at.0.into(),
            ],
        )?;
        Ok(CardId(row.int(0)?))
    }

    fn update_card_tier(
        &mut self,
        card: CardId,
        tier: Option<TierId>,
        since: Timestamp,
    ) -> Result<()> {
        self.0.execute(
            "UPDATE loyalty_cards SET tier_id = ?1, tier_since = ?2 WHERE id = ?3",
            &[tier.map(|t| t.0).into(), since.0.into(), card.0.into()],
        )?;
        Ok(())
    }

    fn insert_ledger_entry(&mut self, e: &LedgerEntry) -> Result<EntryId> {
        let id = self.0.insert(
            "INSERT INTO loyalty_entries (card_id, program_id, kind, points, pending_until, expires_at, source_kind, \
             source_ref, reason, order_id, reward_id, shortfall, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
            &[
                e.card.0.into(),
                e.program.0.into(),
                e.kind.as_str().into(),
                e.points.into(),
                e.pending_until.map(|t| t.0).into(),
                e.expires_at.map(|t| t.0).into(),
                e.source_kind.clone().into(),
                e.source_ref.clone().into(),
                e.reason.clone().into(),
                e.order.map(|o| o.0).into(),
                e.reward.map(|r| r.0).into(),
                e.shortfall.into(),
                e.at.0.into(),
            ],
        )?;
        let id = EntryId(id);
        for (position, a) in (0i64..).zip(&e.allocations) {
            self.0.execute(
                "INSERT INTO loyalty_allocations (entry_id, lot_id, points, position) VALUES (?1, ?2, ?3, ?4)",
                &[id.0.into(), a.lot.0.into(), a.points.into(), position.into()],
            )?;
        }
        Ok(id)
    }

    fn insert_command(&mut self, key: &str, c: &StoredCommand, at: Timestamp) -> Result<()> {
        self.0.execute(
            "INSERT INTO loyalty_commands (key, kind, fingerprint, outcome, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[key.into(), c.kind.clone().into(), c.fingerprint.clone().into(), c.outcome.clone().into(), at.0.into()],
        )?;
        Ok(())
    }

    fn savepoint(&mut self) -> Result<()> {
        self.0.execute("SAVEPOINT ledger_command", &[])?;
        Ok(())
    }

    fn rollback_to_savepoint(&mut self) -> Result<()> {
        self.0
            .execute("ROLLBACK TO SAVEPOINT ledger_command", &[])?;
        self.0.execute("RELEASE SAVEPOINT ledger_command", &[])?;
        Ok(())
    }

    fn release_savepoint(&mut self) -> Result<()> {
        self.0.execute("RELEASE SAVEPOINT ledger_command", &[])?;
        Ok(())
    }
}
