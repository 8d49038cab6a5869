# Stub of the native module crmlite._crmlite (written by hand; keep in sync with bindings/python/src).
# Functions take the Crm handle first and return plain values; the crmlite package builds records.
# Attribute values are str, int, bool, date, datetime or money as a (Decimal, currency) tuple.
import os
from datetime import date, datetime, timedelta
from typing import Any, Final

_Dict = dict[str, Any]

INTERACTION_KINDS: Final[list[str]]

class Crm:
    """An open crmlite database (native handle)."""
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...

class FixedClock:
    """A clock that stands still until it is set or advanced."""
    def __init__(self, at: datetime) -> None: ...
    def now(self) -> datetime: ...
    def set(self, at: datetime) -> None: ...
    def advance(self, delta: timedelta) -> None: ...

def open(
    path: str | os.PathLike[str],
    *,
    default_region: str | None = None,
    synchronous: str = "full",
    clock: FixedClock | None = None,
) -> Crm: ...
def sample_errors() -> list[tuple[str, BaseException | None]]: ...

# customer.rs
def add_customer(
    crm: Crm,
    name: str,
    *,
    kind: str,
    emails: list[str],
    phones: list[str],
    address: dict[str, str] | None,
    birthday: date | None,
    language: str | None,
    tags: list[str],
    attributes: dict[str, Any] | None,
    external_code: str | None,
) -> _Dict: ...
def customer(crm: Crm, id: int) -> _Dict: ...
def customer_by_code(crm: Crm, kind: str, code: str) -> _Dict: ...
def customers_by_email(crm: Crm, email: str) -> list[_Dict]: ...
def customers_by_phone(crm: Crm, phone: str) -> list[_Dict]: ...
def search_customers(crm: Crm, query: str, *, limit: int) -> list[_Dict]: ...
def list_customers(crm: Crm, *, cursor: str | None, limit: int) -> tuple[list[_Dict], str | None]: ...
def update_customer(crm: Crm, id: int, *, version: int, patch: dict[str, Any]) -> _Dict: ...
def link_customer(crm: Crm, person: int, organisation: int, *, role: str) -> _Dict: ...
def unlink_customer(crm: Crm, person: int, organisation: int) -> None: ...
def customer_links(crm: Crm, id: int) -> list[_Dict]: ...

# timeline.rs
def add_timeline_entry(
    crm: Crm,
    customer: int,
    kind: str,
    summary: str,
    *,
    at: datetime | None,
    body: str,
    author: str,
    source: str,
) -> _Dict: ...
def timeline(crm: Crm, customer: int, *, cursor: str | None, limit: int) -> tuple[list[_Dict], str | None]: ...

# changes.rs
def changes_since(crm: Crm, cursor: int, *, limit: int) -> list[_Dict]: ...
