"""crmlite: an embeddable CRM core on SQLite.

>>> import crmlite
>>> with crmlite.open(":memory:") as crm:
...     giorgos = crm.add_customer("Γιώργος Παπαδόπουλος", phones=["+30 210 1234567"])
...     [c.name for c in crm.search_customers("γιωργος")]
['Γιώργος Παπαδόπουλος']
"""

from ._automation import (
    AddTag,
    Channel,
    Claim,
    Consent,
    CreateTask,
    CustomerCreated,
    DateReached,
    MessageStatus,
    OutboxMessage,
    Purpose,
    QueueMessage,
    RemoveTag,
    RunReport,
    Task,
    TaskStatus,
    Template,
    TemplateFormat,
    TemplateKind,
    TimelineEntryRecorded,
    Trigger,
    TriggerAction,
    TriggerEvent,
    TriggerRun,
)
from ._changes import Change, ChangeOp
from ._crm import Crm, FixedClock, open
from ._customers import Address, Customer, CustomerKind, CustomerLink, Email, Phone
from ._timeline import InteractionKind, TimelineEntry
from ._values import AttributeValue, Money, Page
from .errors import BusyError, ConflictError, Error, NotFoundError, StorageError, ValidationError

__all__ = [
    "AddTag",
    "Address",
    "AttributeValue",
    "BusyError",
    "Change",
    "ChangeOp",
    "Channel",
    "Claim",
    "ConflictError",
    "Consent",
    "CreateTask",
    "Crm",
    "Customer",
    "CustomerCreated",
    "CustomerKind",
    "CustomerLink",
    "DateReached",
    "Email",
    "Error",
    "FixedClock",
    "InteractionKind",
    "MessageStatus",
    "Money",
    "NotFoundError",
    "OutboxMessage",
    "Page",
    "Phone",
    "Purpose",
    "QueueMessage",
    "RemoveTag",
    "RunReport",
    "StorageError",
    "Task",
    "TaskStatus",
    "Template",
    "TemplateFormat",
    "TemplateKind",
    "TimelineEntry",
    "TimelineEntryRecorded",
    "Trigger",
    "TriggerAction",
    "TriggerEvent",
    "TriggerRun",
    "ValidationError",
    "open",
]
