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
from ._timeline import InteractionKind, TimelineEntry
from ._values import AttributeValue, Money, Page
from .errors import BusyError, ConflictError, Error, NotFoundError, StorageError, ValidationError

__all__ = [
    "Address",
    "AttributeValue",
    "BusyError",
    "Change",
    "ChangeOp",
    "ConflictError",
    "Crm",
    "Customer",
    "CustomerKind",
    "CustomerLink",
    "Email",
    "Error",
    "FixedClock",
    "InteractionKind",
    "Money",
    "NotFoundError",
    "Page",
    "Phone",
    "StorageError",
    "TimelineEntry",
    "ValidationError",
    "open",
]
