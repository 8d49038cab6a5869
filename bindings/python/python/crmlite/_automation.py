"""Automation: templates, tasks and reminders, triggers, the outbox and consent.

crmlite never sends anything: it renders, schedules and queues, and the host delivers from
the outbox (claim, deliver, then ack or fail).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import _crmlite
from ._deals import StageKind
from ._service import Severity
from ._timeline import InteractionKind

__all__ = [
    "AddTag",
    "AutomationMethods",
    "AwardPoints",
    "Channel",
    "Claim",
    "Consent",
    "ComplaintOpened",
    "ComplaintResolved",
    "CreateTask",
    "CustomerCreated",
    "DateReached",
    "DealStageChanged",
    "MessageStatus",
    "NoPurchaseFor",
    "OutboxMessage",
    "PointsExpiring",
    "PointsMilestone",
    "PurchaseRecorded",
    "Purpose",
    "QueueMessage",
    "RemoveTag",
    "RunReport",
    "Task",
    "TaskStatus",
    "Template",
    "TemplateFormat",
    "TemplateKind",
    "TierChanged",
    "TimelineEntryRecorded",
    "Trigger",
    "TriggerAction",
    "TriggerEvent",
    "TriggerRun",
]


class TemplateKind(enum.StrEnum):
    """What a template is for."""

    INVOICE = "invoice"
    LETTER = "letter"
    CONTRACT = "contract"
    SMS = "sms"
    EMAIL_SUBJECT = "email_subject"
    EMAIL_BODY = "email_body"


class TemplateFormat(enum.StrEnum):
    """Plain text, or HTML (every inserted value is escaped)."""

    TEXT = "text"
    HTML = "html"


class TaskStatus(enum.StrEnum):
    """Where a task stands."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Channel(enum.StrEnum):
    """A way of reaching a customer; messages go by e-mail or SMS."""

    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    POST = "post"


class Purpose(enum.StrEnum):
    """Why a customer is contacted: marketing needs consent for the channel, service does not."""

    MARKETING = "marketing"
    SERVICE = "service"


class MessageStatus(enum.StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Template:
    """A stored template; ``version`` goes up each time it is saved again."""

    id: int
    code: str
    kind: TemplateKind
    format: TemplateFormat
    body: str
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Template:
        return cls(**{**d, "kind": TemplateKind(d["kind"]), "format": TemplateFormat(d["format"])})


@dataclass(frozen=True, slots=True)
class Task:
    """A task or reminder; a recurring one carries its RRULE and its place in the series."""

    id: int
    title: str
    due: datetime
    assignee: str
    customer: int | None
    record: str
    status: TaskStatus
    recurrence: str | None
    series_start: datetime
    occurrence: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Task:
        return cls(**{**d, "status": TaskStatus(d["status"])})


@dataclass(frozen=True, slots=True)
class CustomerCreated:
    """Trigger event: a customer was added."""

    def _to_native(self) -> dict[str, Any]:
        return {"type": "customer_created"}


@dataclass(frozen=True, slots=True)
class TimelineEntryRecorded:
    """Trigger event: a timeline entry of ``kind`` was recorded (a complaint, a purchase)."""

    kind: InteractionKind

    def _to_native(self) -> dict[str, Any]:
        return {"type": "timeline_entry", "kind": str(self.kind)}


@dataclass(frozen=True, slots=True)
class DateReached:
    """Trigger event: a date field plus ``offset_days`` is today in the customer's time zone.

    ``field`` is ``birthday`` (every year), ``created_at`` or ``attributes.<name>`` (once);
    ``time_zone`` (IANA) applies to customers without a ``time_zone`` attribute.
    """

    field: str
    offset_days: int = 0
    time_zone: str = "UTC"

    @classmethod
    def birthday(cls, time_zone: str = "UTC") -> DateReached:
        """Fires on each customer's birthday."""
        return cls("birthday", 0, time_zone)

    def _to_native(self) -> dict[str, Any]:
        return {"type": "date", "field": self.field, "offset_days": self.offset_days, "time_zone": self.time_zone}


@dataclass(frozen=True, slots=True)
class PurchaseRecorded:
    """Trigger event: a purchase was recorded; templates see ``order``."""

    def _to_native(self) -> dict[str, Any]:
        return {"type": "purchase_recorded"}


@dataclass(frozen=True, slots=True)
class DealStageChanged:
    """Trigger event: a deal of the customer moved into a stage of kind ``to`` (any move if ``None``);
    templates see ``deal``."""

    to: StageKind | None = None

    def _to_native(self) -> dict[str, Any]:
        return {"type": "deal_stage_changed", "to": None if self.to is None else str(self.to)}


@dataclass(frozen=True, slots=True)
class PointsMilestone:
    """Trigger event: an award lifted a card's available balance to ``points`` or more;
    templates see ``loyalty`` (balance, tier)."""

    points: int

    def _to_native(self) -> dict[str, Any]:
        return {"type": "points_milestone", "points": self.points}


@dataclass(frozen=True, slots=True)
class TierChanged:
    """Trigger event: a loyalty card moved to another tier; templates see ``loyalty``."""

    def _to_native(self) -> dict[str, Any]:
        return {"type": "tier_changed"}


@dataclass(frozen=True, slots=True)
class ComplaintOpened:
    """Trigger event: a complaint of the customer was opened (only of ``min_severity`` or more
    serious, if given); templates see ``complaint`` and created tasks link to it."""

    min_severity: Severity | None = None

    def _to_native(self) -> dict[str, Any]:
        return {
            "type": "complaint_opened",
            "min_severity": None if self.min_severity is None else str(self.min_severity),
        }


@dataclass(frozen=True, slots=True)
class ComplaintResolved:
    """Trigger event: a complaint of the customer was resolved (again after each reopen);
    templates see ``complaint`` (with its ``resolution``)."""

    def _to_native(self) -> dict[str, Any]:
        return {"type": "complaint_resolved"}


@dataclass(frozen=True, slots=True)
class PointsExpiring:
    """Trigger event (checked by ``run_due``): a lot of points expires within ``days_before`` days,
    once per lot; templates see ``loyalty`` and ``expiring`` (points, expires_at)."""

    days_before: int

    def _to_native(self) -> dict[str, Any]:
        return {"type": "points_expiring", "days_before": self.days_before}


@dataclass(frozen=True, slots=True)
class NoPurchaseFor:
    """Trigger event (checked by ``run_due``): the last purchase is ``days`` days old, once per quiet spell."""

    days: int

    def _to_native(self) -> dict[str, Any]:
        return {"type": "no_purchase_for", "days": self.days}


TriggerEvent = (
    CustomerCreated
    | TimelineEntryRecorded
    | DateReached
    | PurchaseRecorded
    | DealStageChanged
    | PointsMilestone
    | TierChanged
    | ComplaintOpened
    | ComplaintResolved
    | PointsExpiring
    | NoPurchaseFor
)
"""What makes a trigger fire."""


@dataclass(frozen=True, slots=True)
class QueueMessage:
    """Trigger action: render templates and queue the message (marketing is skipped without consent)."""

    channel: Channel
    purpose: Purpose
    body_template: str
    subject_template: str | None = None

    def _to_native(self) -> dict[str, Any]:
        return {
            "type": "queue_message",
            "channel": str(self.channel),
            "purpose": str(self.purpose),
            "body_template": self.body_template,
            "subject_template": self.subject_template,
        }


@dataclass(frozen=True, slots=True)
class CreateTask:
    """Trigger action: create a task about the customer, due ``due_in_days`` after firing."""

    title: str
    assignee: str = ""
    due_in_days: int = 0

    def _to_native(self) -> dict[str, Any]:
        return {"type": "create_task", "title": self.title, "assignee": self.assignee, "due_in_days": self.due_in_days}


@dataclass(frozen=True, slots=True)
class AddTag:
    """Trigger action: add a tag to the customer."""

    tag: str

    def _to_native(self) -> dict[str, Any]:
        return {"type": "add_tag", "tag": self.tag}


@dataclass(frozen=True, slots=True)
class RemoveTag:
    """Trigger action: remove a tag from the customer."""

    tag: str

    def _to_native(self) -> dict[str, Any]:
        return {"type": "remove_tag", "tag": self.tag}


@dataclass(frozen=True, slots=True)
class AwardPoints:
    """Trigger action: award points on the customer's card in ``program``: the bonus earn rule
    ``rule``, or the birthday bonus without one; at most once per firing."""

    program: int
    rule: int | None = None

    def _to_native(self) -> dict[str, Any]:
        return {"type": "award_points", "program": self.program, "rule": self.rule}


TriggerAction = QueueMessage | CreateTask | AddTag | RemoveTag | AwardPoints
"""What a trigger does for the customer."""


def _event(d: dict[str, Any]) -> TriggerEvent:
    kind = d["type"]
    if kind == "customer_created":
        return CustomerCreated()
    if kind == "timeline_entry":
        return TimelineEntryRecorded(InteractionKind(d["kind"]))
    if kind == "date":
        return DateReached(d["field"], d["offset_days"], d["time_zone"])
    if kind == "purchase_recorded":
        return PurchaseRecorded()
    if kind == "deal_stage_changed":
        return DealStageChanged(None if d["to"] is None else StageKind(d["to"]))
    if kind == "points_milestone":
        return PointsMilestone(d["points"])
    if kind == "tier_changed":
        return TierChanged()
    if kind == "complaint_opened":
        return ComplaintOpened(None if d["min_severity"] is None else Severity(d["min_severity"]))
    if kind == "complaint_resolved":
        return ComplaintResolved()
    if kind == "points_expiring":
        return PointsExpiring(d["days_before"])
    if kind == "no_purchase_for":
        return NoPurchaseFor(d["days"])
    raise ValueError(f"unknown trigger event {kind!r}")


def _action(d: dict[str, Any]) -> TriggerAction:
    kind = d["type"]
    if kind == "queue_message":
        return QueueMessage(Channel(d["channel"]), Purpose(d["purpose"]), d["body_template"], d["subject_template"])
    if kind == "create_task":
        return CreateTask(d["title"], d["assignee"], d["due_in_days"])
    if kind == "add_tag":
        return AddTag(d["tag"])
    if kind == "remove_tag":
        return RemoveTag(d["tag"])
    if kind == "award_points":
        return AwardPoints(d["program"], d["rule"])
    raise ValueError(f"unknown trigger action {kind!r}")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A stored trigger: when it fires and what it does."""

    id: int
    code: str
    event: TriggerEvent
    action: TriggerAction
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Trigger:
        return cls(**{**d, "event": _event(d["event"]), "action": _action(d["action"])})


@dataclass(frozen=True, slots=True)
class TriggerRun:
    """One firing of a trigger for a customer; ``outcome`` says what happened or why it was skipped."""

    trigger: int
    customer: int
    occurrence: str
    at: datetime
    outcome: str

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> TriggerRun:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a ``run_due`` call did."""

    fired: int
    queued: int
    tasks: int
    tags: int
    skipped: int
    awards: int = 0

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> RunReport:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A rendered message waiting for (or done with) delivery by the host."""

    id: int
    customer: int | None
    channel: Channel
    purpose: Purpose
    recipient: str
    subject: str
    body: str
    html: bool
    dedupe_key: str | None
    status: MessageStatus
    attempts: int
    available_at: datetime
    lease_until: datetime | None
    last_error: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> OutboxMessage:
        return cls(
            **{
                **d,
                "channel": Channel(d["channel"]),
                "purpose": Purpose(d["purpose"]),
                "status": MessageStatus(d["status"]),
            }
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """A message handed to a deliverer; pass ``token`` to ``ack_message`` or ``fail_message``."""

    message: OutboxMessage
    token: str

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Claim:
        return cls(OutboxMessage._from_native(d["message"]), d["token"])


@dataclass(frozen=True, slots=True)
class Consent:
    """A consent decision: granted or withdrawn, when, where, and the text version agreed to."""

    customer: int
    channel: Channel
    purpose: Purpose
    granted: bool
    at: datetime
    source: str
    text_version: str

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Consent:
        return cls(**{**d, "channel": Channel(d["channel"]), "purpose": Purpose(d["purpose"])})


def _vars(vars: Mapping[str, Any] | None) -> dict[str, Any]:
    return {} if vars is None else dict(vars)


class AutomationMethods:
    """The automation operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    # Templates

    def save_template(
        self,
        code: str,
        body: str,
        *,
        kind: TemplateKind | str,
        format: TemplateFormat | str = TemplateFormat.TEXT,  # noqa: A002 - the template's format
    ) -> Template:
        """Stores a template under ``code``, or replaces the one with that code (its version goes up).

        A template that does not compile raises :class:`ValidationError` on ``body`` naming the line.
        """
        return Template._from_native(_crmlite.save_template(self._native, code, body, kind=str(kind), format=str(format)))

    def template(self, code: str) -> Template:
        """One template by code."""
        return Template._from_native(_crmlite.template(self._native, code))

    def templates(self) -> list[Template]:
        """Every template, by code."""
        return [Template._from_native(d) for d in _crmlite.templates(self._native)]

    def render_template(self, code: str, *, customer: int | None = None, vars: Mapping[str, Any] | None = None) -> str:
        """Renders a template for ``customer`` (in their language) with extra ``vars``.

        Values may be dicts, lists, str, int, bool, None, date or datetime; money goes in as
        minor units (``money(12500, 'AMD')`` in the template). An unknown variable, a syntax
        error or a template that runs out of fuel raises :class:`ValidationError` naming the
        template (``templates.<code>.template``) and the line.
        """
        return _crmlite.render_template(self._native, code, customer=customer, vars=_vars(vars))

    # Tasks and reminders

    def add_task(
        self,
        title: str,
        *,
        due: datetime,
        assignee: str = "",
        customer: int | None = None,
        record: str = "",
        recurrence: str | None = None,
        complaint: int | None = None,
    ) -> Task:
        """Adds a task or reminder; ``recurrence`` is an RRULE such as ``FREQ=WEEKLY;BYDAY=MO``.

        ``complaint`` links the task to a complaint (the record ``complaint:<id>``, which must exist)."""
        if complaint is not None:
            if record:
                raise ValueError("give record or complaint, not both")
            record = f"complaint:{complaint}"
        return Task._from_native(
            _crmlite.add_task(
                self._native,
                title,
                due=due,
                assignee=assignee,
                customer=customer,
                record=record,
                recurrence=recurrence,
            )
        )

    def task(self, id: int) -> Task:
        """One task by id."""
        return Task._from_native(_crmlite.task(self._native, id))

    def complete_task(self, id: int) -> Task | None:
        """Marks an open task done and returns the next occurrence of its series (``None`` if there is none)."""
        _done, next_task = _crmlite.complete_task(self._native, id)
        return None if next_task is None else Task._from_native(next_task)

    def cancel_task(self, id: int) -> Task:
        """Cancels an open task, which ends its series."""
        return Task._from_native(_crmlite.cancel_task(self._native, id))

    def due_tasks(self, until: datetime, *, assignee: str | None = None, limit: int = 100) -> list[Task]:
        """Open tasks due at or before ``until``, earliest first."""
        return [
            Task._from_native(d) for d in _crmlite.due_tasks(self._native, until=until, assignee=assignee, limit=limit)
        ]

    def overdue_tasks(self, *, assignee: str | None = None, limit: int = 100) -> list[Task]:
        """Open tasks whose due time has passed as of the clock's now, earliest first."""
        return [Task._from_native(d) for d in _crmlite.overdue_tasks(self._native, assignee=assignee, limit=limit)]

    # Triggers

    def add_trigger(self, code: str, event: TriggerEvent, action: TriggerAction) -> Trigger:
        """Adds a trigger; the templates its action names must exist."""
        return Trigger._from_native(
            _crmlite.add_trigger(self._native, code, event=event._to_native(), action=action._to_native())
        )

    def set_trigger_active(self, id: int, active: bool) -> Trigger:
        """Turns a trigger on or off."""
        return Trigger._from_native(_crmlite.set_trigger_active(self._native, id, active))

    def triggers(self) -> list[Trigger]:
        """Every trigger, in id order."""
        return [Trigger._from_native(d) for d in _crmlite.triggers(self._native)]

    def trigger_runs(self, id: int, *, limit: int = 100) -> list[TriggerRun]:
        """What a trigger did, newest first."""
        return [TriggerRun._from_native(d) for d in _crmlite.trigger_runs(self._native, id, limit=limit)]

    def run_due(self, now: datetime) -> RunReport:
        """Fires every date trigger due at ``now``; running it again at the same ``now`` does nothing."""
        return RunReport._from_native(_crmlite.run_due(self._native, now))

    # The outbox

    def queue_message(
        self,
        customer: int,
        body_template: str,
        *,
        channel: Channel | str,
        purpose: Purpose | str,
        subject_template: str | None = None,
        vars: Mapping[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> OutboxMessage:
        """Renders and queues a message to the customer's primary e-mail or phone.

        A marketing message without the customer's consent for the channel raises
        :class:`ValidationError` on ``consent``; a ``dedupe_key`` queued before returns that message.
        """
        return OutboxMessage._from_native(
            _crmlite.queue_message(
                self._native,
                customer,
                channel=str(channel),
                purpose=str(purpose),
                body_template=body_template,
                subject_template=subject_template,
                vars=_vars(vars),
                dedupe_key=dedupe_key,
            )
        )

    def claim_messages(self, n: int, *, lease: timedelta) -> list[Claim]:
        """Hands out up to ``n`` deliverable messages for ``lease``; unacked ones come back after it."""
        return [Claim._from_native(d) for d in _crmlite.claim_messages(self._native, n, lease=lease)]

    def ack_message(self, id: int, token: str) -> OutboxMessage:
        """Marks a claimed message sent. Acking again is a no-op; a wrong token or an expired lease
        raises :class:`ConflictError` and changes nothing."""
        return OutboxMessage._from_native(_crmlite.ack_message(self._native, id, token))

    def fail_message(
        self, id: int, token: str, *, retry_after: timedelta = timedelta(minutes=5), error: str = ""
    ) -> OutboxMessage:
        """Reports a failed delivery: the message is offered again after ``retry_after``."""
        return OutboxMessage._from_native(
            _crmlite.fail_message(self._native, id, token, retry_after=retry_after, error=error)
        )

    def outbox_message(self, id: int) -> OutboxMessage:
        """One outbox message by id."""
        return OutboxMessage._from_native(_crmlite.outbox_message(self._native, id))

    def outbox_messages(
        self, *, after: int | None = None, status: MessageStatus | str | None = None, limit: int = 100
    ) -> list[OutboxMessage]:
        """Outbox messages after id ``after`` in id order, optionally of one status."""
        found = _crmlite.outbox_messages(
            self._native, after=after, status=None if status is None else str(status), limit=limit
        )
        return [OutboxMessage._from_native(d) for d in found]

    # Consent

    def record_consent(
        self,
        customer: int,
        *,
        channel: Channel | str,
        purpose: Purpose | str,
        granted: bool,
        source: str,
        text_version: str = "",
    ) -> Consent:
        """Records a grant (``text_version`` required) or a withdrawal; withdrawing marketing
        consent cancels the customer's pending marketing messages on that channel."""
        return Consent._from_native(
            _crmlite.record_consent(
                self._native,
                customer,
                channel=str(channel),
                purpose=str(purpose),
                granted=granted,
                source=source,
                text_version=text_version,
            )
        )

    def consents(self, customer: int) -> list[Consent]:
        """The decisions in force for a customer, one per channel and purpose that has any."""
        return [Consent._from_native(d) for d in _crmlite.consents(self._native, customer)]

    def consent_history(self, customer: int) -> list[Consent]:
        """Every consent decision of a customer, oldest first."""
        return [Consent._from_native(d) for d in _crmlite.consent_history(self._native, customer)]
