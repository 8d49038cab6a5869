"""The timeline: every interaction with a customer, newest first."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import _crmlite
from ._values import Page

__all__ = ["InteractionKind", "TimelineEntry", "TimelineMethods"]


class InteractionKind(enum.StrEnum):
    """What kind of interaction a timeline entry records."""

    CALL = "call"
    EMAIL = "email"
    SMS = "sms"
    MEETING = "meeting"
    NOTE = "note"
    VISIT = "visit"
    SURVEY = "survey"
    PURCHASE = "purchase"
    COMPLAINT = "complaint"
    LOYALTY = "loyalty"
    DEAL = "deal"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One interaction on a customer's timeline."""

    id: int
    customer: int
    kind: InteractionKind
    at: datetime
    summary: str
    body: str
    author: str
    source: str

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> TimelineEntry:
        return cls(**{**d, "kind": InteractionKind(d["kind"])})


class TimelineMethods:
    """The timeline operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def add_timeline_entry(
        self,
        customer: int,
        kind: InteractionKind | str,
        summary: str,
        *,
        at: datetime | None = None,
        body: str = "",
        author: str = "",
        source: str = "",
    ) -> TimelineEntry:
        """Records an interaction; ``at`` must be an aware datetime (``None`` means now)."""
        return TimelineEntry._from_native(
            _crmlite.add_timeline_entry(
                self._native, customer, str(kind), summary, at=at, body=body, author=author, source=source
            )
        )

    def timeline(self, customer: int, *, cursor: str | None = None, limit: int = 50) -> Page[TimelineEntry]:
        """One page of a customer's timeline, newest first; an organisation's includes its people."""
        items, next_cursor = _crmlite.timeline(self._native, customer, cursor=cursor, limit=limit)
        return Page(tuple(TimelineEntry._from_native(d) for d in items), next_cursor)
