"""Deals on company-defined pipelines: stages, lost reasons, deals with lines, history and reports."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import _crmlite
from ._values import UNSET, AttributeValue, Money, Page, Unset, decode_attribute, encode_attributes

__all__ = [
    "Deal",
    "DealLine",
    "DealLineInput",
    "DealMethods",
    "DealStageChange",
    "ForecastRow",
    "FunnelStep",
    "LostReason",
    "LostReasonRow",
    "NewStage",
    "Pipeline",
    "Stage",
    "StageKind",
    "StageTime",
    "WinRate",
    "parse_stage_list",
]


class StageKind(enum.StrEnum):
    """What reaching a stage means for a deal."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


def _money(value: tuple[Decimal, str]) -> Money:
    amount, currency = value
    return Money(amount, currency)


def _encode_money(value: Money) -> tuple[Decimal, str]:
    if not isinstance(value, Money):
        raise TypeError(f"expected crmlite.Money, not {type(value).__name__}")
    return (value.amount, value.currency)


@dataclass(frozen=True, slots=True)
class NewStage:
    """A stage to add: ``probability`` 0..100 (``None``: 100 won, 0 otherwise), optional rot days."""

    name: str
    probability: int | None = None
    kind: StageKind | str = StageKind.OPEN
    rot_after_days: int | None = None

    def _to_native(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "probability": self.probability,
            "kind": str(self.kind),
            "rot_after_days": self.rot_after_days,
        }


def parse_stage_list(text: str) -> list[NewStage]:
    """Stages from text, one a line: ``name | probability | kind | rot days`` (only the name is required)."""
    return [NewStage(**{**d, "kind": StageKind(d["kind"])}) for d in _crmlite.parse_stage_list(text)]


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a pipeline; a retired stage keeps its deals but accepts no new moves."""

    id: int
    pipeline: int
    name: str
    position: int
    probability: int
    kind: StageKind
    rot_after_days: int | None
    retired: bool

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Stage:
        return cls(**{**d, "kind": StageKind(d["kind"])})


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A pipeline and its stages in order."""

    id: int
    name: str
    stages: tuple[Stage, ...]
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Pipeline:
        return cls(**{**d, "stages": tuple(Stage._from_native(s) for s in d["stages"])})

    def stage(self, name: str) -> Stage:
        """The stage called ``name``; ``KeyError`` if there is none."""
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class LostReason:
    """An entry of the editable lost-reason list."""

    id: int
    name: str
    retired: bool
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> LostReason:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class DealLineInput:
    """A line item to store: ``quantity_milli`` is thousandths of a unit, ``discount_bp`` basis points."""

    product: str
    quantity_milli: int
    unit_price: Money
    discount_bp: int = 0
    product_code: str | None = None

    def _to_native(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "product_code": self.product_code,
            "quantity_milli": self.quantity_milli,
            "unit_price": _encode_money(self.unit_price),
            "discount_bp": self.discount_bp,
        }


@dataclass(frozen=True, slots=True)
class DealLine:
    """A stored line item; ``total`` is rounded half away from zero to the currency's minor unit."""

    product: str
    product_code: str | None
    quantity_milli: int
    unit_price: Money
    discount_bp: int
    total: Money

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> DealLine:
        return cls(**{**d, "unit_price": _money(d["unit_price"]), "total": _money(d["total"])})


@dataclass(frozen=True, slots=True)
class Deal:
    """A stored deal. Pass ``version`` back to every call that changes it."""

    id: int
    pipeline: int
    stage: int
    status: StageKind
    title: str
    customer: int | None
    organisation: int | None
    owner: str
    amount: Money
    lines: tuple[DealLine, ...]
    probability_override: int | None
    probability: int
    expected_close: date | None
    closed_at: datetime | None
    source: str
    lost_reason: int | None
    lost_at_stage: int | None
    lost_note: str
    stage_entered_at: datetime
    attributes: dict[str, AttributeValue]
    external_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Deal:
        return cls(
            **{
                **d,
                "status": StageKind(d["status"]),
                "amount": _money(d["amount"]),
                "lines": tuple(DealLine._from_native(x) for x in d["lines"]),
                "attributes": {k: decode_attribute(v) for k, v in d["attributes"].items()},
            }
        )


@dataclass(frozen=True, slots=True)
class DealStageChange:
    """One move of a deal: from (``None`` on creation), to, who, when, and ms spent in ``from_stage``."""

    id: int
    deal: int
    from_stage: int | None
    to_stage: int
    by: str
    at: datetime
    spent_ms: int

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> DealStageChange:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """Open deals of one group and currency: ``weighted`` is sum(amount x probability) / 100, rounded once."""

    group: str
    deals: int
    amount: Money
    weighted: Money

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> ForecastRow:
        return cls(**{**d, "amount": _money(d["amount"]), "weighted": _money(d["weighted"])})


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """One stage of a funnel; ``conversion_bp`` is basis points of ``reached`` that went on."""

    stage: int
    name: str
    kind: StageKind
    reached: int
    current: int
    conversion_bp: int | None

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> FunnelStep:
        return cls(**{**d, "kind": StageKind(d["kind"])})


@dataclass(frozen=True, slots=True)
class WinRate:
    """Deals now won and lost; ``rate_bp`` is won / (won + lost) in basis points."""

    won: int
    lost: int
    rate_bp: int | None


@dataclass(frozen=True, slots=True)
class StageTime:
    """Completed stays in one stage: count, mean and median in milliseconds."""

    stage: int
    name: str
    stays: int
    average_ms: int | None
    median_ms: int | None


@dataclass(frozen=True, slots=True)
class LostReasonRow:
    """Lost deals for one reason at one stage."""

    reason: int
    reason_name: str
    stage: int
    stage_name: str
    deals: int


class DealMethods:
    """The pipeline, deal and sales-report operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    # Pipelines and stages.

    def add_pipeline(self, name: str, stages: Iterable[NewStage]) -> Pipeline:
        """Adds a pipeline with its stages in order; it needs at least one open stage."""
        return Pipeline._from_native(_crmlite.add_pipeline(self._native, name, [s._to_native() for s in stages]))

    def pipeline(self, id: int) -> Pipeline:
        """One pipeline with its stages."""
        return Pipeline._from_native(_crmlite.pipeline(self._native, id))

    def pipelines(self) -> list[Pipeline]:
        """Every pipeline, in id order."""
        return [Pipeline._from_native(d) for d in _crmlite.pipelines(self._native)]

    def rename_pipeline(self, id: int, name: str) -> Pipeline:
        """Renames a pipeline."""
        return Pipeline._from_native(_crmlite.rename_pipeline(self._native, id, name))

    def add_stage(self, pipeline: int, stage: NewStage) -> Stage:
        """Adds a stage at the end of a pipeline."""
        return Stage._from_native(_crmlite.add_stage(self._native, pipeline, stage._to_native()))

    def update_stage(
        self,
        id: int,
        *,
        name: str | Unset = UNSET,
        probability: int | Unset = UNSET,
        rot_after_days: int | None | Unset = UNSET,
    ) -> Stage:
        """Renames a stage or changes its default probability or rot threshold (``None`` clears it)."""
        patch: dict[str, Any] = {}
        if name is not UNSET:
            patch["name"] = name
        if probability is not UNSET:
            patch["probability"] = probability
        if rot_after_days is not UNSET:
            patch["rot_after_days"] = rot_after_days
        return Stage._from_native(_crmlite.update_stage(self._native, id, patch=patch))

    def reorder_stages(self, pipeline: int, order: Iterable[int]) -> Pipeline:
        """Puts the pipeline's active stages in this order (every active stage once)."""
        return Pipeline._from_native(_crmlite.reorder_stages(self._native, pipeline, list(order)))

    def retire_stage(self, id: int) -> Stage:
        """Retires a stage: its deals stay, no deal can move into it again."""
        return Stage._from_native(_crmlite.retire_stage(self._native, id))

    # Lost reasons.

    def add_lost_reason(self, name: str) -> LostReason:
        """Adds a lost reason; names are unique."""
        return LostReason._from_native(_crmlite.add_lost_reason(self._native, name))

    def seed_lost_reasons(self, names: Iterable[str]) -> list[LostReason]:
        """Adds the names not on the list yet; returns the whole list."""
        if isinstance(names, str):
            raise TypeError("expected a list of names, not a single str")
        return [LostReason._from_native(d) for d in _crmlite.seed_lost_reasons(self._native, list(names))]

    def rename_lost_reason(self, id: int, name: str) -> LostReason:
        """Renames a lost reason."""
        return LostReason._from_native(_crmlite.rename_lost_reason(self._native, id, name))

    def retire_lost_reason(self, id: int) -> LostReason:
        """Retires a lost reason: old deals keep it, new losses cannot choose it."""
        return LostReason._from_native(_crmlite.retire_lost_reason(self._native, id))

    def lost_reasons(self) -> list[LostReason]:
        """Every lost reason, retired ones included."""
        return [LostReason._from_native(d) for d in _crmlite.lost_reasons(self._native)]

    # Deals.

    def add_deal(
        self,
        pipeline: int,
        title: str,
        *,
        stage: int | None = None,
        customer: int | None = None,
        organisation: int | None = None,
        owner: str = "",
        amount: Money | None = None,
        lines: Iterable[DealLineInput] = (),
        probability: int | None = None,
        expected_close: date | None = None,
        source: str = "",
        attributes: Mapping[str, AttributeValue] | None = None,
        external_code: str | None = None,
        by: str = "",
    ) -> Deal:
        """Adds a deal in an open stage (the first by default) for a customer and/or organisation.

        With ``lines`` the amount is their total; ``probability=None`` follows the stage default.
        """
        return Deal._from_native(
            _crmlite.add_deal(
                self._native,
                pipeline,
                title,
                stage=stage,
                customer=customer,
                organisation=organisation,
                owner=owner,
                amount=None if amount is None else _encode_money(amount),
                lines=[line._to_native() for line in lines],
                probability=probability,
                expected_close=expected_close,
                source=source,
                attributes=None if attributes is None else encode_attributes(attributes),
                external_code=external_code,
                by=by,
            )
        )

    def deal(self, id: int) -> Deal:
        """One deal with its lines."""
        return Deal._from_native(_crmlite.deal(self._native, id))

    def deal_by_code(self, code: str) -> Deal:
        """One deal by external code."""
        return Deal._from_native(_crmlite.deal_by_code(self._native, code))

    def update_deal(
        self,
        id: int,
        *,
        version: int,
        title: str | Unset = UNSET,
        customer: int | None | Unset = UNSET,
        organisation: int | None | Unset = UNSET,
        owner: str | Unset = UNSET,
        amount: Money | Unset = UNSET,
        lines: Iterable[DealLineInput] | Unset = UNSET,
        probability: int | None | Unset = UNSET,
        expected_close: date | None | Unset = UNSET,
        source: str | Unset = UNSET,
        attributes: Mapping[str, AttributeValue | None] | Unset = UNSET,
        external_code: str | None | Unset = UNSET,
    ) -> Deal:
        """Changes the given fields (not the stage) if the deal is still at ``version``.

        ``probability=None`` follows the stage default again; an explicit 0 stays 0.
        """
        patch: dict[str, Any] = {}
        for key, value in (
            ("title", title),
            ("customer", customer),
            ("organisation", organisation),
            ("owner", owner),
            ("probability", probability),
            ("expected_close", expected_close),
            ("source", source),
            ("external_code", external_code),
        ):
            if value is not UNSET:
                patch[key] = value
        if not isinstance(amount, Unset):
            patch["amount"] = _encode_money(amount)
        if not isinstance(lines, Unset):
            patch["lines"] = [line._to_native() for line in lines]
        if not isinstance(attributes, Unset):
            patch["attributes"] = encode_attributes(attributes)
        return Deal._from_native(_crmlite.update_deal(self._native, id, version=version, patch=patch))

    def move_deal(
        self,
        id: int,
        *,
        version: int,
        stage: int,
        by: str = "",
        lost_reason: int | None = None,
        lost_note: str = "",
    ) -> Deal:
        """Moves an open deal to a stage of its pipeline; a lost stage needs ``lost_reason``."""
        return Deal._from_native(
            _crmlite.move_deal(
                self._native, id, version=version, stage=stage, by=by, lost_reason=lost_reason, lost_note=lost_note
            )
        )

    def mark_won(self, id: int, *, version: int, by: str = "") -> Deal:
        """Moves an open deal to its pipeline's won stage: probability 100, close time now."""
        return Deal._from_native(_crmlite.mark_won(self._native, id, version=version, by=by))

    def mark_lost(self, id: int, *, version: int, reason: int | None, note: str = "", by: str = "") -> Deal:
        """Moves an open deal to its pipeline's lost stage; ``reason`` is required."""
        return Deal._from_native(_crmlite.mark_lost(self._native, id, version=version, reason=reason, note=note, by=by))

    def reopen_deal(self, id: int, *, version: int, stage: int | None = None, by: str = "") -> Deal:
        """Reopens a won or lost deal, by default into the stage it was lost at."""
        return Deal._from_native(_crmlite.reopen_deal(self._native, id, version=version, stage=stage, by=by))

    def change_deal_pipeline(
        self, id: int, *, version: int, pipeline: int, stage: int | None = None, by: str = ""
    ) -> Deal:
        """Moves an open deal to another pipeline (its first open stage by default)."""
        return Deal._from_native(
            _crmlite.change_deal_pipeline(self._native, id, version=version, pipeline=pipeline, stage=stage, by=by)
        )

    def deal_history(self, id: int) -> list[DealStageChange]:
        """A deal's stage history, oldest first."""
        return [DealStageChange._from_native(d) for d in _crmlite.deal_history(self._native, id)]

    def list_deals(
        self,
        *,
        pipeline: int | None = None,
        stage: int | None = None,
        owner: str | None = None,
        customer: int | None = None,
        status: StageKind | str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page[Deal]:
        """One page of deals in id order matching every filter given."""
        items, next_cursor = _crmlite.list_deals(
            self._native,
            pipeline=pipeline,
            stage=stage,
            owner=owner,
            customer=customer,
            status=None if status is None else str(status),
            cursor=cursor,
            limit=limit,
        )
        return Page(tuple(Deal._from_native(d) for d in items), next_cursor)

    def iter_deals(self, *, page_size: int = 100, **filters: Any) -> Iterator[Deal]:
        """Every deal matching ``filters`` (as in :meth:`list_deals`), a page at a time."""
        cursor: str | None = None
        while True:
            page = self.list_deals(cursor=cursor, limit=page_size, **filters)
            yield from page.items
            if page.next is None:
                return
            cursor = page.next

    def stale_deals(
        self,
        *,
        pipeline: int | None = None,
        cursor: str | None = None,
        limit: int = 100,
        now: datetime | None = None,
    ) -> Page[Deal]:
        """Open deals that stayed in their stage longer than its rot threshold, as of ``now``
        (by default the database clock's now)."""
        items, next_cursor = _crmlite.stale_deals(self._native, pipeline=pipeline, cursor=cursor, limit=limit, now=now)
        return Page(tuple(Deal._from_native(d) for d in items), next_cursor)

    # Reports.

    def forecast(self, by: str = "owner", *, pipeline: int | None = None) -> list[ForecastRow]:
        """Weighted forecast of open deals by ``"pipeline"``, ``"owner"`` or ``"month"`` (``YYYY-MM``)."""
        return [ForecastRow._from_native(d) for d in _crmlite.forecast(self._native, by, pipeline=pipeline)]

    def funnel(self, pipeline: int) -> list[FunnelStep]:
        """The funnel of a pipeline, stage by stage."""
        return [FunnelStep._from_native(d) for d in _crmlite.funnel(self._native, pipeline)]

    def win_rate(self, *, pipeline: int | None = None) -> WinRate:
        """Deals now won and lost and the win rate."""
        return WinRate(**_crmlite.win_rate(self._native, pipeline=pipeline))

    def time_in_stage(self, pipeline: int) -> list[StageTime]:
        """Average and median time deals spent in each stage."""
        return [StageTime(**d) for d in _crmlite.time_in_stage(self._native, pipeline)]

    def lost_reasons_report(self, *, pipeline: int | None = None) -> list[LostReasonRow]:
        """Lost deals by reason and the stage they were lost at, most frequent first."""
        return [LostReasonRow(**d) for d in _crmlite.lost_reasons_report(self._native, pipeline=pipeline)]
