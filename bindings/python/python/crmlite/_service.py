"""Customer service: complaints with an SLA by severity, NPS answers and the NPS report."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import _crmlite
from ._values import Page

__all__ = [
    "Complaint",
    "ComplaintStatus",
    "NpsCategory",
    "NpsReport",
    "NpsResponse",
    "ServiceMethods",
    "Severity",
]


class ComplaintStatus(enum.StrEnum):
    """Where a complaint stands: ``open -> in_progress -> resolved -> closed``; reopen goes back to open."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Severity(enum.StrEnum):
    """How serious a complaint is; response / resolution deadlines: critical 1 h / 1 d,
    high 4 h / 3 d, normal 1 d / 7 d, low 3 d / 14 d."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class NpsCategory(enum.StrEnum):
    """Where a score puts an NPS answer: 0-6 detractor, 7-8 passive, 9-10 promoter."""

    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint (a ticket) with its deadlines and where it stands."""

    id: int
    customer: int
    deal: int | None
    order: int | None
    channel: str
    category: str
    category_entry: int | None
    severity: Severity
    subject: str
    description: str
    status: ComplaintStatus
    assignee: str
    response_due: datetime
    resolution_due: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str
    reopen_count: int
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Complaint:
        return cls(**{**d, "severity": Severity(d["severity"]), "status": ComplaintStatus(d["status"])})

    def is_overdue(self, now: datetime) -> bool:
        """Whether it is still being worked on and missed its response or resolution deadline at ``now``."""
        if self.status not in (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS):
            return False
        return self.resolution_due < now or (self.responded_at is None and self.response_due < now)


@dataclass(frozen=True, slots=True)
class NpsResponse:
    """A customer's answer (0-10) to "how likely are you to recommend us"."""

    id: int
    customer: int
    score: int
    comment: str
    survey: str
    at: datetime
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> NpsResponse:
        return cls(**d)

    @property
    def category(self) -> NpsCategory:
        """The answer's category."""
        if self.score >= 9:
            return NpsCategory.PROMOTER
        if self.score >= 7:
            return NpsCategory.PASSIVE
        return NpsCategory.DETRACTOR


@dataclass(frozen=True, slots=True)
class NpsReport:
    """NPS over ``[from_, until)``: counts per category and per score (``by_score[s]``), and
    ``nps`` = %promoters - %detractors rounded half away from zero (``None`` without answers)."""

    from_: datetime
    until: datetime
    survey: str | None
    responses: int
    promoters: int
    passives: int
    detractors: int
    by_score: tuple[int, ...]
    nps: int | None

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> NpsReport:
        return cls(**{**d, "by_score": tuple(d["by_score"])})


class ServiceMethods:
    """Complaint and NPS operations of :class:`crmlite.Crm`."""

    __slots__ = ()
    _native: _crmlite.Crm

    def open_complaint(
        self,
        customer: int,
        subject: str,
        *,
        severity: Severity | str = Severity.NORMAL,
        description: str = "",
        channel: str = "",
        category: str = "",
        category_entry: int | None = None,
        deal: int | None = None,
        order: int | None = None,
        assignee: str = "",
        by: str = "",
    ) -> Complaint:
        """Opens a complaint of an existing customer; deadlines come from ``severity``.

        ``category_entry`` (a directory entry id) gives the category when ``category`` is empty;
        the complaint goes on the timeline and fires ``ComplaintOpened`` triggers."""
        return Complaint._from_native(
            _crmlite.open_complaint(
                self._native,
                customer,
                subject,
                severity=str(severity),
                description=description,
                channel=channel,
                category=category,
                category_entry=category_entry,
                deal=deal,
                order=order,
                assignee=assignee,
                by=by,
            )
        )

    def complaint(self, id: int) -> Complaint:
        """One complaint; :class:`crmlite.NotFoundError` if there is none."""
        return Complaint._from_native(_crmlite.complaint(self._native, id))

    def assign_complaint(self, id: int, *, version: int, assignee: str, by: str = "") -> Complaint:
        """Hands a complaint that is not closed to ``assignee`` ("" unassigns) if it is still at ``version``."""
        return Complaint._from_native(
            _crmlite.assign_complaint(self._native, id, version=version, assignee=assignee, by=by)
        )

    def move_complaint(
        self, id: int, *, version: int, to: ComplaintStatus | str, note: str = "", by: str = ""
    ) -> Complaint:
        """Moves a complaint along its lifecycle; moving to resolved needs ``note`` (the resolution).

        Any move the lifecycle does not allow raises :class:`crmlite.ConflictError` and changes nothing."""
        return Complaint._from_native(
            _crmlite.move_complaint(self._native, id, version=version, to=str(to), note=note, by=by)
        )

    def start_complaint(self, id: int, *, version: int, by: str = "") -> Complaint:
        """Starts work on an open complaint (``open -> in_progress``)."""
        return self.move_complaint(id, version=version, to=ComplaintStatus.IN_PROGRESS, by=by)

    def resolve_complaint(self, id: int, *, version: int, resolution: str, by: str = "") -> Complaint:
        """Resolves an open or in-progress complaint; fires ``ComplaintResolved`` triggers."""
        return self.move_complaint(id, version=version, to=ComplaintStatus.RESOLVED, note=resolution, by=by)

    def close_complaint(self, id: int, *, version: int, by: str = "") -> Complaint:
        """Closes a resolved complaint."""
        return self.move_complaint(id, version=version, to=ComplaintStatus.CLOSED, by=by)

    def reopen_complaint(self, id: int, *, version: int, reason: str = "", by: str = "") -> Complaint:
        """Reopens a resolved or closed complaint; its resolution deadline starts again."""
        return self.move_complaint(id, version=version, to=ComplaintStatus.OPEN, note=reason, by=by)

    def list_complaints(
        self,
        *,
        status: ComplaintStatus | str | None = None,
        assignee: str | None = None,
        customer: int | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page[Complaint]:
        """One page of complaints in id order matching every filter given."""
        items, next_cursor = _crmlite.list_complaints(
            self._native,
            status=None if status is None else str(status),
            assignee=assignee,
            customer=customer,
            cursor=cursor,
            limit=limit,
        )
        return Page(tuple(Complaint._from_native(d) for d in items), next_cursor)

    def iter_complaints(self, *, page_size: int = 100, **filters: Any) -> Iterator[Complaint]:
        """Every complaint matching ``filters`` (as in :meth:`list_complaints`), a page at a time."""
        cursor: str | None = None
        while True:
            page = self.list_complaints(cursor=cursor, limit=page_size, **filters)
            yield from page.items
            if page.next is None:
                return
            cursor = page.next

    def overdue_complaints(self, *, cursor: str | None = None, limit: int = 100) -> Page[Complaint]:
        """Open or in-progress complaints past a deadline as of the clock's now, in id order."""
        items, next_cursor = _crmlite.overdue_complaints(self._native, cursor=cursor, limit=limit)
        return Page(tuple(Complaint._from_native(d) for d in items), next_cursor)

    def record_nps(
        self, customer: int, score: int, *, comment: str = "", survey: str = "", at: datetime | None = None
    ) -> NpsResponse:
        """Records an answer (0-10) of an existing customer; a named survey is answered once per customer."""
        return NpsResponse._from_native(
            _crmlite.record_nps(self._native, customer, score, comment=comment, survey=survey, at=at)
        )

    def nps_report(self, from_: datetime, until: datetime, *, survey: str | None = None) -> NpsReport:
        """NPS over answers with ``from_ <= at < until``, optionally of one survey."""
        return NpsReport._from_native(_crmlite.nps_report(self._native, from_, until, survey=survey))
