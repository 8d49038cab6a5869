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
    "ConflictError",
    "Crm",
    "Customer",
    "CustomerFacts",
    "CustomerKind",
    "CustomerLink",
    "EarnRule",
    "Email",
    "EntryKind",
    "Error",
    "ExpiryRun",
    "FixedClock",
    "InteractionKind",
    "LedgerEntry",
    "Money",
    "NewOrderLine",
    "NotFoundError",
    "Order",
    "OrderLine",
    "Page",
    "Phone",
    "Program",
    "ProgramMetrics",
    "Redemption",
    "Return",
    "ReturnLine",
    "Reward",
    "SpendFacts",
    "StorageError",
    "Tier",
    "TimelineEntry",
    "ValidationError",
    "open",
]
