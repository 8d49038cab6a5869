"""crmlite: an embeddable CRM core on SQLite.

>>> import crmlite
>>> with crmlite.open(":memory:") as crm:
...     giorgos = crm.add_customer("Γιώργος Παπαδόπουλος", phones=["+30 210 1234567"])
...     [c.name for c in crm.search_customers("γιωργος")]
['Γιώργος Παπαδόπουλος']
"""

from ._changes import Change, ChangeOp
from ._crm import Crm, FixedClock, open
from ._customers import Address, Customer, CustomerKind, CustomerLink, Email, Phone
from ._deals import (
    Deal,
    DealLine,
    DealLineInput,
    DealStageChange,
    ForecastRow,
    FunnelStep,
    LostReason,
    LostReasonRow,
    NewStage,
    Pipeline,
    Stage,
    StageKind,
    StageTime,
    WinRate,
    parse_stage_list,
)
from ._reference import Entry, ExternalId, ImportReport, RejectedRow
from ._loyalty import (
    Balance,
    Card,
    EarnRule,
    EntryKind,
    ExpiryRun,
    LedgerEntry,
    Program,
    ProgramMetrics,
    Redemption,
    Reward,
    Tier,
)
from ._sales import CustomerFacts, NewOrderLine, Order, OrderLine, Return, ReturnLine, SpendFacts
from ._timeline import InteractionKind, TimelineEntry
from ._verify import Check, VerifyReport
from ._values import AttributeValue, Money, Page
from .errors import BusyError, ConflictError, Error, NotFoundError, StorageError, ValidationError

__all__ = [
    "Address",
    "AttributeValue",
    "Balance",
    "BusyError",
    "Card",
    "Change",
    "ChangeOp",
    "Check",
    "ConflictError",
    "Crm",
    "Customer",
    "CustomerFacts",
    "CustomerKind",
    "CustomerLink",
    "Deal",
    "DealLine",
    "DealLineInput",
    "DealStageChange",
    "EarnRule",
    "Email",
    "Entry",
    "EntryKind",
    "Error",
    "ExpiryRun",
    "ExternalId",
    "FixedClock",
    "ForecastRow",
    "FunnelStep",
    "ImportReport",
    "InteractionKind",
    "LedgerEntry",
    "LostReason",
    "LostReasonRow",
    "Money",
    "NewOrderLine",
    "NewStage",
    "NotFoundError",
    "Order",
    "OrderLine",
    "Page",
    "Phone",
    "Pipeline",
    "Program",
    "ProgramMetrics",
    "Redemption",
    "RejectedRow",
    "Return",
    "ReturnLine",
    "Reward",
    "SpendFacts",
    "Stage",
    "StageKind",
    "StageTime",
    "StorageError",
    "Tier",
    "TimelineEntry",
    "ValidationError",
    "VerifyReport",
    "WinRate",
    "open",
    "parse_stage_list",
]
