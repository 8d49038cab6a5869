//! Loyalty programs: earn rules, tiers, rewards, cards and the append-only, lot-based points ledger.
//!
//! Points are whole `i64` numbers. Every award is a *lot*; every debit (redemption, expiry,
//! reversal, negative adjustment) records which lots it drew from, so that a card's balance is
//! always the sum of its entries and no lot gives out more than it holds. See [`ledger`] for
//! the allocation order and [`rules`] for the earn arithmetic and its one rounding rule.
//!
//! Returns: a return first gives back the share of the points redeemed against the order
//! (`floor(redeemed * returned / total)` cumulatively, so exactly once in total) as one new
//! lot per return (an `adjust` entry with source [`REFUND_SOURCE`], expiring when the
//! latest lot the redemptions drew from would have), then reverses the same share of the
//! points the order earned. Redemptions against an order must come before its first return.

pub mod ledger;
pub mod rules;
pub(crate) mod service;
mod validate;

pub use validate::{validate_program, validate_reward, validate_rule, validate_tier};

use crate::money::{Currency, Money};
use crate::{CardId, CustomerId, EntryId, OrderId, ProgramId, RewardId, RuleId, TierId, Timestamp};

/// The `source_kind` of the lot that gives back points redeemed against an order when the
/// order is returned; its `source_ref` is the return's id and its `order` the order.
pub const REFUND_SOURCE: &str = "refund";

/// When awarded points expire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExpiryPolicy {
    /// Points never expire.
    Never,
    /// Points expire `days` whole days after they were awarded.
    AfterDays {
        /// Days from the award.
        days: u32,
    },
    /// Points expire at the first instant (00:00 UTC) of the month after the award.
    EndOfMonth,
    /// Points expire at the first instant (00:00 UTC) of the year after the award.
    EndOfYear,
}

/// What a return does when the points its order earned were already spent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReversalPolicy {
    /// The return is refused with an error and nothing changes.
    Refuse,
    /// The shortfall is taken from the card's other available points as a clawback entry;
    /// what even they cannot cover is recorded as the entry's `shortfall`, never as a negative balance.
    Clawback,
}

/// What a tier threshold is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierBasis {
    /// Points awarded (less points reversed) within the tier window; never the balance.
    PointsEarned,
    /// Money paid (less money returned) in the program currency, minor units, within the window.
    Spend,
}

/// When a card may drop to a lower tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Downgrade {
    /// Never: a card keeps the highest tier it reached.
    Never,
    /// Whenever the qualifying amount in the window falls below the threshold.
    Automatic,
    /// At most once every `days` days after the last tier change.
    EveryDays {
        /// Days between re-qualifications.
        days: u32,
    },
}

/// Input for a new program.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewProgram {
    /// Display name, unique.
    pub name: String,
    /// ISO 4217 currency that earns points.
    pub currency: String,
    /// Worth of one point when redeemed, in minor units of the currency.
    pub point_value: i64,
    /// When points expire.
    pub expiry: ExpiryPolicy,
    /// Days awarded points stay pending (locked for the return window) before they can be spent.
    pub pending_days: u32,
    /// What a return does when the earned points were spent.
    pub reversal: ReversalPolicy,
    /// What tier thresholds measure.
    pub tier_basis: TierBasis,
    /// The rolling window, in days, over which the tier basis is summed.
    pub tier_window_days: u32,
    /// When a card may drop a tier.
    pub downgrade: Downgrade,
}

impl NewProgram {
    /// A program named `name` in `currency` where a point is worth `point_value` minor units;
    /// points never expire, are available at once, returns claw back, tiers on 365 days of points.
    #[must_use]
    pub fn new(name: impl Into<String>, currency: impl Into<String>, point_value: i64) -> Self {
        Self {
            name: name.into(),
            currency: currency.into(),
            point_value,
            expiry: ExpiryPolicy::Never,
            pending_days: 0,
            reversal: ReversalPolicy::Clawback,
            tier_basis: TierBasis::PointsEarned,
            tier_window_days: 365,
            downgrade: Downgrade::Automatic,
        }
    }

    /// Sets the expiry policy.
    #[must_use]
    pub fn expiry(mut self, expiry: ExpiryPolicy) -> Self {
        self.expiry = expiry;
        self
    }

    /// Sets the pending period in days.
    #[must_use]
    pub fn pending_days(mut self, days: u32) -> Self {
        self.pending_days = days;
        self
    }

    /// Sets the reversal policy.
    #[must_use]
    pub fn reversal(mut self, policy: ReversalPolicy) -> Self {
        self.reversal = policy;
        self
    }

    /// Sets the tier basis and window.
    #[must_use]
    pub fn tiers_on(mut self, basis: TierBasis, window_days: u32) -> Self {
        self.tier_basis = basis;
        self.tier_window_days = window_days;
        self
    }

    /// Sets the downgrade policy.
    #[must_use]
    pub fn downgrade(mut self, downgrade: Downgrade) -> Self {
        self.downgrade = downgrade;
        self
    }
}

/// A stored program.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Program {
    /// Store-assigned id.
    pub id: ProgramId,
    /// Display name.
    pub name: String,
    /// The currency that earns points.
    pub currency: Currency,
    /// Worth of one point.
    pub point_value: Money,
    /// When points expire.
    pub expiry: ExpiryPolicy,
    /// Days points stay pending.
    pub pending_days: u32,
    /// What a return does when the earned points were spent.
    pub reversal: ReversalPolicy,
    /// What tier thresholds measure.
    pub tier_basis: TierBasis,
    /// Tier window in days.
    pub tier_window_days: u32,
    /// When a card may drop a tier.
    pub downgrade: Downgrade,
    /// When it was created.
    pub created_at: Timestamp,
}

/// Which side of a referral a rule rewards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralRole {
    /// The customer who brought someone in.
    Referrer,
    /// The customer who was brought in.
    Referred,
    /// Both of them.
    Both,
}

/// What an earn rule gives. Purchase kinds apply to orders; event kinds to [`LoyaltyEvent`]s.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Earn {
    /// `points` for every `per` minor units paid on the matching lines.
    PerAmount {
        /// Points per step.
        points: i64,
        /// Minor units per step (e.g. 10000 for 100.00).
        per: i64,
    },
    /// `points` once per order that has a matching line.
    PerOrder {
        /// Points per order.
        points: i64,
    },
    /// `points` per unit bought on the matching lines.
    PerUnit {
        /// Points per unit.
        points: i64,
    },
    /// Multiplies what earlier rules earned on the matching lines by `percent` / 100
    /// (and the per-order part too when the rule has no line filter).
    Multiplier {
        /// 150 means one and a half times.
        percent: i64,
    },
    /// Points for joining (opening a card).
    Signup {
        /// Points.
        points: i64,
    },
    /// Points once a year on the customer's birthday.
    Birthday {
        /// Points.
        points: i64,
    },
    /// Points for a referral.
    Referral {
        /// Points.
        points: i64,
        /// Who gets them.
        role: ReferralRole,
    },
    /// A bonus staff award by hand, by naming this rule.
    Bonus {
        /// Points.
        points: i64,
    },
}

impl Earn {
    /// Whether the rule applies to orders (as opposed to events).
    #[must_use]
    pub fn is_purchase(&self) -> bool {
        matches!(
            self,
            Self::PerAmount { .. }
                | Self::PerOrder { .. }
                | Self::PerUnit { .. }
                | Self::Multiplier { .. }
        )
    }
}

/// Which order lines a rule looks at. A line matches when it passes every exclusion and, if
/// any inclusion list is set, is named by at least one of them. Reward lines never match.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct LineFilter {
    /// Products that match.
    pub products: Vec<String>,
    /// Categories that match.
    pub categories: Vec<String>,
    /// Tags that match.
    pub tags: Vec<String>,
    /// Products that never match.
    pub exclude_products: Vec<String>,
    /// Categories that never match.
    pub exclude_categories: Vec<String>,
    /// Tags that never match.
    pub exclude_tags: Vec<String>,
}

impl LineFilter {
    /// Whether the filter sets nothing (every line matches).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Sets the products that match.
    #[must_use]
    pub fn products<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.products = items.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the categories that match.
    #[must_use]
    pub fn categories<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.categories = items.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the tags that match.
    #[must_use]
    pub fn tags<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.tags = items.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the products that never match.
    #[must_use]
    pub fn exclude_products<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.exclude_products = items.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the categories that never match.
    #[must_use]
    pub fn exclude_categories<S: Into<String>>(
        mut self,
        items: impl IntoIterator<Item = S>,
    ) -> Self {
        self.exclude_categories = items.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the tags that never match.
    #[must_use]
    pub fn exclude_tags<S: Into<String>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.exclude_tags = items.into_iter().map(Into::into).collect();
        self
    }
}

/// Input for an earn rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewEarnRule {
    /// The program.
    pub program: ProgramId,
    /// Display name.
    pub name: String,
    /// Evaluation position: lower first, ties by id.
    pub position: i32,
    /// What it gives.
    pub earn: Earn,
    /// Which lines it looks at (purchase rules).
    pub filter: LineFilter,
    /// Least amount paid on the matching lines, minor units; 0 for none.
    pub min_amount: i64,
    /// Least units on the matching lines; 0 for none.
    pub min_quantity: i64,
    /// Tiers it is limited to; empty for every card.
    pub tiers: Vec<TierId>,
    /// Start of the active window (inclusive).
    pub active_from: Option<Timestamp>,
    /// End of the active window (exclusive).
    pub active_until: Option<Timestamp>,
    /// Whether no later rule is evaluated once this one applied.
    pub stop: bool,
}

impl NewEarnRule {
    /// A rule of `program` that gives `earn`, at position 0, for every line and card.
    #[must_use]
    pub fn new(program: ProgramId, name: impl Into<String>, earn: Earn) -> Self {
        Self {
            program,
            name: name.into(),
            position: 0,
            earn,
            filter: LineFilter::default(),
            min_amount: 0,
            min_quantity: 0,
            tiers: Vec::new(),
            active_from: None,
            active_until: None,
            stop: false,
        }
    }

    /// Sets the evaluation position.
    #[must_use]
    pub fn position(mut self, position: i32) -> Self {
        self.position = position;
        self
    }

    /// Sets the line filter.
    #[must_use]
    pub fn filter(mut self, filter: LineFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Sets the minimum amount.
    #[must_use]
    pub fn min_amount(mut self, minor: i64) -> Self {
        self.min_amount = minor;
        self
    }

    /// Sets the minimum quantity.
    #[must_use]
    pub fn min_quantity(mut self, units: i64) -> Self {
        self.min_quantity = units;
        self
    }

    /// Limits the rule to cards in these tiers.
    #[must_use]
    pub fn tiers(mut self, tiers: Vec<TierId>) -> Self {
        self.tiers = tiers;
        self
    }

    /// Sets the active window.
    #[must_use]
    pub fn active(mut self, from: Option<Timestamp>, until: Option<Timestamp>) -> Self {
        self.active_from = from;
        self.active_until = until;
        self
    }

    /// Stops evaluation after this rule applied.
    #[must_use]
    pub fn stop(mut self) -> Self {
        self.stop = true;
        self
    }
}

/// A stored earn rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EarnRule {
    /// Store-assigned id.
    pub id: RuleId,
    /// The rule as it was given, checked.
    pub rule: NewEarnRule,
    /// When it was created.
    pub created_at: Timestamp,
}

/// Input for a tier.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewTier {
    /// The program.
    pub program: ProgramId,
    /// Display name (`silver`, `طلایی`).
    pub name: String,
    /// Least qualifying amount (points, or minor units of spend) in the window.
    pub threshold: i64,
}

impl NewTier {
    /// A tier of `program` named `name` from `threshold` up.
    #[must_use]
    pub fn new(program: ProgramId, name: impl Into<String>, threshold: i64) -> Self {
        Self {
            program,
            name: name.into(),
            threshold,
        }
    }
}

/// A stored tier.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tier {
    /// Store-assigned id.
    pub id: TierId,
    /// The program.
    pub program: ProgramId,
    /// Display name.
    pub name: String,
    /// Least qualifying amount.
    pub threshold: i64,
}

/// What a reward gives.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RewardKind {
    /// A percentage off an order's total (rounded down).
    PercentDiscount {
        /// 1..=100.
        percent: i64,
    },
    /// A fixed amount off an order (at most its total).
    FixedDiscount {
        /// Minor units.
        amount: i64,
    },
    /// A product for free.
    FreeProduct {
        /// Product reference.
        product: String,
    },
    /// Money back to the customer's wallet.
    Cashback {
        /// Minor units.
        amount: i64,
    },
}

/// Input for a reward.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct NewReward {
    /// The program.
    pub program: ProgramId,
    /// Display name.
    pub name: String,
    /// What it gives.
    pub kind: RewardKind,
    /// Points it costs; at least 1.
    pub required_points: i64,
    /// Start of validity (inclusive).
    pub valid_from: Option<Timestamp>,
    /// End of validity (exclusive).
    pub valid_until: Option<Timestamp>,
}

impl NewReward {
    /// A reward of `program` that costs `required_points` and gives `kind`, always valid.
    #[must_use]
    pub fn new(
        program: ProgramId,
        name: impl Into<String>,
        kind: RewardKind,
        required_points: i64,
    ) -> Self {
        Self {
            program,
            name: name.into(),
            kind,
            required_points,
            valid_from: None,
            valid_until: None,
        }
    }

    /// Sets the validity window.
    #[must_use]
    pub fn valid(mut self, from: Option<Timestamp>, until: Option<Timestamp>) -> Self {
        self.valid_from = from;
        self.valid_until = until;
        self
    }
}

/// A stored reward.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reward {
    /// Store-assigned id.
    pub id: RewardId,
    /// The reward as it was given, checked.
    pub reward: NewReward,
}

/// A customer's membership in a program.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    /// Store-assigned id.
    pub id: CardId,
    /// The program.
    pub program: ProgramId,
    /// The member.
    pub customer: CustomerId,
    /// The card code, unique across programs.
    pub code: String,
    /// The current tier, if any.
    pub tier: Option<TierId>,
    /// When the tier last changed (or the card was opened).
    pub tier_since: Timestamp,
    /// When the card was opened.
    pub created_at: Timestamp,
}

/// What a ledger entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Points earned (a lot).
    Award,
    /// A correction with a reason: a lot if positive, a debit if negative. Manual ones have
    /// source `manual`; the points given back when an order paid with points is returned
    /// are a lot with source [`REFUND_SOURCE`].
    Adjust,
    /// Points spent.
    Redeem,
    /// The unspent remainder of one lot whose time came.
    Expire,
    /// Points an order earned, taken back on its return.
    Reverse,
    /// Points taken from other lots when a returned order's points were already spent.
    Clawback,
}

impl EntryKind {
    /// Every kind, in a stable order.
    pub const ALL: &'static [EntryKind] = &[
        Self::Award,
        Self::Adjust,
        Self::Redeem,
        Self::Expire,
        Self::Reverse,
        Self::Clawback,
    ];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Award => "award",
            Self::Adjust => "adjust",
            Self::Redeem => "redeem",
            Self::Expire => "expire",
            Self::Reverse => "reverse",
            Self::Clawback => "clawback",
        }
    }

    /// Parses a name returned by [`EntryKind::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// Points a debit took from one lot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Allocation {
    /// The lot (the entry id of an award or positive adjustment).
    pub lot: EntryId,
    /// Points taken; positive.
    pub points: i64,
}

/// One append-only entry of the points ledger.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerEntry {
    /// Store-assigned id; for a lot, also the lot id.
    pub id: EntryId,
    /// The card.
    pub card: CardId,
    /// The program.
    pub program: ProgramId,
    /// What it records.
    pub kind: EntryKind,
    /// Signed change of the balance: positive for lots, negative for debits.
    pub points: i64,
    /// Until when a lot is locked (pending).
    pub pending_until: Option<Timestamp>,
    /// When a lot expires.
    pub expires_at: Option<Timestamp>,
    /// What caused it (`order`, `return`, `signup`, `birthday`, `referral`, `bonus`,
    /// `lot`, `manual`, `redemption`, `reward`).
    pub source_kind: String,
    /// Which one (an id, a year), may be empty.
    pub source_ref: String,
    /// Why, for adjustments; may be empty.
    pub reason: String,
    /// The order it relates to, if any.
    pub order: Option<OrderId>,
    /// The reward redeemed, if any.
    pub reward: Option<RewardId>,
    /// For a clawback: points that could not be recovered (the balance never goes negative).
    pub shortfall: i64,
    /// When it was recorded.
    pub at: Timestamp,
    /// For debits: the lots it drew from.
    pub allocations: Vec<Allocation>,
}

/// A lot and what is left of it, as the ledger logic sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lot {
    /// The lot's entry id.
    pub id: EntryId,
    /// The card.
    pub card: CardId,
    /// Points awarded.
    pub points: i64,
    /// Points not yet redeemed, expired or reversed.
    pub remaining: i64,
    /// Until when it is locked.
    pub pending_until: Option<Timestamp>,
    /// When it expires.
    pub expires_at: Option<Timestamp>,
    /// When it was awarded.
    pub at: Timestamp,
}

/// A card's points at one instant; `available + pending + awaiting_expiry` equals the sum of
/// every entry of the card, which is `ledger_sum`, read separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Balance {
    /// Points that can be spent now.
    pub available: i64,
    /// Points locked in their pending period.
    pub pending: i64,
    /// `available + pending`.
    pub total: i64,
    /// Points of `total` that expire within the asked number of days.
    pub expiring: i64,
    /// Points whose expiry time has come but which the next expiry run has yet to record.
    pub awaiting_expiry: i64,
    /// The sum of every ledger entry of the card.
    pub ledger_sum: i64,
    /// Worth of `available` in money.
    pub available_value: Money,
}

/// A non-purchase event that can earn points.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoyaltyEvent {
    /// The customer joined; at most once per card.
    Signup,
    /// The customer's birthday in `year`; at most once per card and year.
    Birthday {
        /// The year.
        year: i32,
    },
    /// A referral: `other` is the customer on the other side; at most once per pair and role.
    Referral {
        /// The other customer.
        other: CustomerId,
        /// Which side this card's customer is on (`Referrer` or `Referred`).
        role: ReferralRole,
    },
    /// A manual bonus naming a `Bonus` rule; repeatable (pass an idempotency key).
    Bonus {
        /// The bonus rule.
        rule: RuleId,
    },
}

/// What a redemption gave.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Redemption {
    /// The redeem entry, with the lots it drew from.
    pub entry: LedgerEntry,
    /// The money the points are worth (points times the point value), for points redemptions.
    pub value: Option<Money>,
    /// The discount on the order, for discount rewards.
    pub discount: Option<Money>,
    /// The free product, for product rewards.
    pub free_product: Option<String>,
    /// Money back to the wallet, for cashback rewards.
    pub cashback: Option<Money>,
}

/// What an expiry run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExpiryRun {
    /// Lots expired.
    pub lots: u64,
    /// Points expired.
    pub points: i64,
}

/// Points movements of a program over a period, and what is outstanding now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProgramMetrics {
    /// The program.
    pub program: ProgramId,
    /// Start of the period (inclusive).
    pub from: Timestamp,
    /// End of the period (exclusive).
    pub until: Timestamp,
    /// Points awarded and positively adjusted in the period.
    pub issued: i64,
    /// Points redeemed in the period.
    pub redeemed: i64,
    /// Points expired in the period.
    pub expired: i64,
    /// Points reversed or clawed back on returns, and negative adjustments, in the period.
    pub reversed: i64,
    /// Points pending now.
    pub pending: i64,
    /// Points not yet spent, expired or reversed now (pending included).
    pub outstanding: i64,
    /// `outstanding` times the point value: what the program owes.
    pub liability: Money,
}

#[cfg(test)]
mod tests;
