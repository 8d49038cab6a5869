"""Loyalty: programs, earn rules, tiers, rewards, cards and the points ledger.

Points are ints. Money amounts (point value, ``per``, minimums, reward amounts, spend
thresholds) are ``Decimal``s (or ints) in the program's currency; floats are refused.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import _crmlite
from ._sales import money, optional_money
from ._values import Money, Page, string_list

__all__ = [
    "Balance",
    "Card",
    "EarnRule",
    "EntryKind",
    "ExpiryRun",
    "LedgerEntry",
    "LoyaltyMethods",
    "Program",
    "ProgramMetrics",
    "Redemption",
    "Reward",
    "Tier",
]


class EntryKind(enum.StrEnum):
    """What a ledger entry records."""

    AWARD = "award"
    ADJUST = "adjust"
    REDEEM = "redeem"
    EXPIRE = "expire"
    REVERSE = "reverse"
    CLAWBACK = "clawback"


@dataclass(frozen=True, slots=True)
class Program:
    """A loyalty program."""

    id: int
    name: str
    currency: str
    point_value: Money
    expiry: str
    expiry_days: int
    pending_days: int
    reversal: str
    tier_basis: str
    tier_window_days: int
    downgrade: str
    downgrade_days: int
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Program:
        return cls(**{**d, "point_value": money(d["point_value"])})


@dataclass(frozen=True, slots=True)
class EarnRule:
    """An earn rule; which fields matter depends on ``kind``."""

    id: int
    program: int
    name: str
    position: int
    kind: str
    points: int
    per: Money | None
    percent: int
    role: str | None
    products: tuple[str, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    exclude_products: tuple[str, ...]
    exclude_categories: tuple[str, ...]
    exclude_tags: tuple[str, ...]
    min_amount: Money
    min_quantity: int
    tiers: tuple[int, ...]
    active_from: datetime | None
    active_until: datetime | None
    stop: bool

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> EarnRule:
        lists = ("products", "categories", "tags", "exclude_products", "exclude_categories", "exclude_tags", "tiers")
        return cls(
            **{
                **d,
                **{k: tuple(d[k]) for k in lists},
                "per": optional_money(d["per"]),
                "min_amount": money(d["min_amount"]),
            }
        )


@dataclass(frozen=True, slots=True)
class Tier:
    """A tier; ``threshold`` is points (int) or spend (Money) as the program's basis says."""

    id: int
    program: int
    name: str
    threshold: int | Money

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Tier:
        t = d["threshold"]
        return cls(**{**d, "threshold": money(t) if isinstance(t, tuple) else t})


@dataclass(frozen=True, slots=True)
class Reward:
    """A reward in a program's catalogue."""

    id: int
    program: int
    name: str
    kind: str
    percent: int
    amount: Money | None
    product: str
    required_points: int
    valid_from: datetime | None
    valid_until: datetime | None

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Reward:
        return cls(**{**d, "amount": optional_money(d["amount"])})


@dataclass(frozen=True, slots=True)
class Card:
    """A customer's membership in a program."""

    id: int
    program: int
    customer: int
    code: str
    tier: int | None
    tier_since: datetime
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Card:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class Balance:
    """A card's points now: ``available + pending + awaiting_expiry == ledger_sum``."""

    available: int
    pending: int
    total: int
    expiring: int
    awaiting_expiry: int
    ledger_sum: int
    available_value: Money

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Balance:
        return cls(**{**d, "available_value": money(d["available_value"])})


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One append-only ledger entry; ``allocations`` are the ``(lot, points)`` a debit drew from."""

    id: int
    card: int
    program: int
    kind: EntryKind
    points: int
    pending_until: datetime | None
    expires_at: datetime | None
    source_kind: str
    source_ref: str
    reason: str
    order: int | None
    reward: int | None
    shortfall: int
    at: datetime
    allocations: tuple[tuple[int, int], ...]

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> LedgerEntry:
        return cls(**{**d, "kind": EntryKind(d["kind"]), "allocations": tuple(tuple(a) for a in d["allocations"])})


@dataclass(frozen=True, slots=True)
class Redemption:
    """What a redemption gave: the entry, and the value, discount, product or cashback."""

    entry: LedgerEntry
    value: Money | None
    discount: Money | None
    free_product: str | None
    cashback: Money | None

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Redemption:
        return cls(
            entry=LedgerEntry._from_native(d["entry"]),
            value=optional_money(d["value"]),
            discount=optional_money(d["discount"]),
            free_product=d["free_product"],
            cashback=optional_money(d["cashback"]),
        )


@dataclass(frozen=True, slots=True)
class ExpiryRun:
    """What an expiry run did."""

    lots: int
    points: int


@dataclass(frozen=True, slots=True)
class ProgramMetrics:
    """Points movements of a program over a period, and what is outstanding now."""

    program: int
    from_: datetime
    until: datetime
    issued: int
    redeemed: int
    expired: int
    reversed: int
    pending: int
    outstanding: int
    liability: Money

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> ProgramMetrics:
        fields = {k: v for k, v in d.items() if k != "from"}
        return cls(**{**fields, "from_": d["from"], "liability": money(d["liability"])})


class LoyaltyMethods:
    """The loyalty operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def create_program(
        self,
        name: str,
        currency: str,
        point_value: Decimal | int,
        *,
        expiry: str = "never",
        expiry_days: int = 0,
        pending_days: int = 0,
        reversal: str = "clawback",
        tier_basis: str = "points_earned",
        tier_window_days: int = 365,
        downgrade: str = "automatic",
        downgrade_days: int = 0,
    ) -> Program:
        """Creates a program. ``expiry``: never, after_days, end_of_month, end_of_year;
        ``reversal``: refuse, clawback; ``tier_basis``: points_earned, spend;
        ``downgrade``: never, automatic, every_days."""
        return Program._from_native(
            _crmlite.create_program(
                self._native,
                name,
                currency,
                point_value,
                expiry=expiry,
                expiry_days=expiry_days,
                pending_days=pending_days,
                reversal=reversal,
                tier_basis=tier_basis,
                tier_window_days=tier_window_days,
                downgrade=downgrade,
                downgrade_days=downgrade_days,
            )
        )

    def programs(self) -> list[Program]:
        """Every program, by id."""
        return [Program._from_native(d) for d in _crmlite.programs(self._native)]

    def program(self, id: int) -> Program:
        """One program."""
        return Program._from_native(_crmlite.program(self._native, id))

    def add_earn_rule(
        self,
        program: int,
        name: str,
        kind: str,
        *,
        points: int = 0,
        per: Decimal | int | None = None,
        percent: int = 0,
        role: str = "both",
        position: int = 0,
        products: Iterable[str] = (),
        categories: Iterable[str] = (),
        tags: Iterable[str] = (),
        exclude_products: Iterable[str] = (),
        exclude_categories: Iterable[str] = (),
        exclude_tags: Iterable[str] = (),
        min_amount: Decimal | int | None = None,
        min_quantity: int = 0,
        tiers: Iterable[int] = (),
        active_from: datetime | None = None,
        active_until: datetime | None = None,
        stop: bool = False,
    ) -> EarnRule:
        """Adds an earn rule: per_amount (``points`` per ``per`` spent), per_order, per_unit,
        multiplier (``percent``), signup, birthday, referral (``role``) or bonus."""
        return EarnRule._from_native(
            _crmlite.add_earn_rule(
                self._native,
                program,
                name,
                kind,
                points=points,
                per=per,
                percent=percent,
                role=role,
                position=position,
                products=string_list(products),
                categories=string_list(categories),
                tags=string_list(tags),
                exclude_products=string_list(exclude_products),
                exclude_categories=string_list(exclude_categories),
                exclude_tags=string_list(exclude_tags),
                min_amount=min_amount,
                min_quantity=min_quantity,
                tiers=list(tiers),
                active_from=active_from,
                active_until=active_until,
                stop=stop,
            )
        )

    def earn_rules(self, program: int) -> list[EarnRule]:
        """A program's earn rules in evaluation order."""
        return [EarnRule._from_native(d) for d in _crmlite.earn_rules(self._native, program)]

    def add_tier(self, program: int, name: str, threshold: int | Decimal) -> Tier:
        """Adds a tier from ``threshold`` up: points (int) or spend (Decimal) per the program's basis."""
        return Tier._from_native(_crmlite.add_tier(self._native, program, name, threshold))

    def tiers(self, program: int) -> list[Tier]:
        """A program's tiers, lowest first."""
        return [Tier._from_native(d) for d in _crmlite.tiers(self._native, program)]

    def add_reward(
        self,
        program: int,
        name: str,
        kind: str,
        required_points: int,
        *,
        percent: int = 0,
        amount: Decimal | int | None = None,
        product: str = "",
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> Reward:
        """Adds a reward: percent_discount, fixed_discount, free_product or cashback."""
        return Reward._from_native(
            _crmlite.add_reward(
                self._native,
                program,
                name,
                kind,
                required_points,
                percent=percent,
                amount=amount,
                product=product,
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )

    def rewards(self, program: int) -> list[Reward]:
        """A program's rewards, cheapest first."""
        return [Reward._from_native(d) for d in _crmlite.rewards(self._native, program)]

    def open_card(self, program: int, customer: int, *, code: str | None = None) -> Card:
        """Opens a customer's card in a program (one per customer and program)."""
        return Card._from_native(_crmlite.open_card(self._native, program, customer, code=code))

    def card(self, id: int) -> Card:
        """One card by id."""
        return Card._from_native(_crmlite.card(self._native, id))

    def card_by_code(self, code: str) -> Card:
        """The card with this code."""
        return Card._from_native(_crmlite.card_by_code(self._native, code))

    def card_for(self, program: int, customer: int) -> Card:
        """A customer's card in a program."""
        return Card._from_native(_crmlite.card_for(self._native, program, customer))

    def balance(self, card: int, *, within_days: int = 0) -> Balance:
        """A card's balance now; ``expiring`` counts points expiring within ``within_days``."""
        return Balance._from_native(_crmlite.balance(self._native, card, within_days=within_days))

    def points_history(self, card: int, *, cursor: str | None = None, limit: int = 50) -> Page[LedgerEntry]:
        """One page of a card's ledger entries, newest first."""
        items, next_cursor = _crmlite.points_history(self._native, card, cursor=cursor, limit=limit)
        return Page(tuple(LedgerEntry._from_native(d) for d in items), next_cursor)

    def award_order(self, card: int, order: int, *, key: str | None = None) -> LedgerEntry:
        """Awards an order's points on a card; a second call returns the first award."""
        return LedgerEntry._from_native(_crmlite.award_order(self._native, card, order, key=key))

    def award_event(
        self,
        card: int,
        event: str,
        *,
        year: int = 0,
        other: int = 0,
        role: str = "referrer",
        rule: int = 0,
        key: str | None = None,
    ) -> LedgerEntry:
        """Awards an event: signup, birthday (``year``), referral (``other``, ``role``) or bonus (``rule``)."""
        return LedgerEntry._from_native(
            _crmlite.award_event(self._native, card, event, year=year, other=other, role=role, rule=rule, key=key)
        )

    def redeem_points(self, card: int, points: int, *, order: int | None = None, key: str | None = None) -> Redemption:
        """Spends points, soonest-expiring first; more than available raises ValidationError('points')."""
        return Redemption._from_native(_crmlite.redeem_points(self._native, card, points, order=order, key=key))

    def redeem_reward(
        self, card: int, reward: int, *, order: int | None = None, key: str | None = None
    ) -> Redemption:
        """Spends a reward's points and says what it gives."""
        return Redemption._from_native(_crmlite.redeem_reward(self._native, card, reward, order=order, key=key))

    def adjust_points(self, card: int, points: int, reason: str, *, key: str | None = None) -> LedgerEntry:
        """A manual correction with a reason (positive: a new lot; negative: a debit)."""
        return LedgerEntry._from_native(_crmlite.adjust_points(self._native, card, points, reason, key=key))

    def expire_points(self, now: datetime) -> ExpiryRun:
        """Records the expiry of every lot due at ``now``; running it twice changes nothing."""
        lots, points = _crmlite.expire_points(self._native, now)
        return ExpiryRun(lots, points)

    def refresh_tier(self, card: int) -> Card:
        """Re-evaluates a card's tier now."""
        return Card._from_native(_crmlite.refresh_tier(self._native, card))

    def program_metrics(self, program: int, from_: datetime, until: datetime) -> ProgramMetrics:
        """Issued, redeemed, expired and reversed points in ``[from_, until)``; pending, outstanding and liability now."""
        return ProgramMetrics._from_native(_crmlite.program_metrics(self._native, program, from_, until))
