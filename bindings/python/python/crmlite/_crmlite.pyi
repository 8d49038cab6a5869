# Stub of the native module crmlite._crmlite (written by hand; keep in sync with bindings/python/src).
# Functions take the Crm handle first and return plain values; the crmlite package builds records.
# Attribute values are str, int, bool, date, datetime or money as a (Decimal, currency) tuple.
import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

_Dict = dict[str, Any]
_Amount = Decimal | int

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

# sales.rs
def record_order(
    crm: Crm,
    customer: int,
    currency: str,
    lines: list[_Dict],
    *,
    paid: _Amount | None,
    channel: str,
    store: str,
    external_id: str | None,
    at: datetime | None,
) -> _Dict: ...
def record_return(
    crm: Crm, order: int, lines: list[tuple[int, int]], *, external_id: str | None, at: datetime | None
) -> _Dict: ...
def order(crm: Crm, id: int) -> _Dict: ...
def returns_of_order(crm: Crm, id: int) -> list[_Dict]: ...
def customer_facts(crm: Crm, customer: int) -> _Dict: ...

# loyalty.rs
def create_program(
    crm: Crm,
    name: str,
    currency: str,
    point_value: _Amount,
    *,
    expiry: str,
    expiry_days: int,
    pending_days: int,
    reversal: str,
    tier_basis: str,
    tier_window_days: int,
    downgrade: str,
    downgrade_days: int,
) -> _Dict: ...
def programs(crm: Crm) -> list[_Dict]: ...
def program(crm: Crm, id: int) -> _Dict: ...
def add_earn_rule(
    crm: Crm,
    program: int,
    name: str,
    kind: str,
    *,
    points: int,
    per: _Amount | None,
    percent: int,
    role: str,
    position: int,
    products: list[str],
    categories: list[str],
    tags: list[str],
    exclude_products: list[str],
    exclude_categories: list[str],
    exclude_tags: list[str],
    min_amount: _Amount | None,
    min_quantity: int,
    tiers: list[int],
    active_from: datetime | None,
    active_until: datetime | None,
    stop: bool,
) -> _Dict: ...
def earn_rules(crm: Crm, program: int) -> list[_Dict]: ...
def add_tier(crm: Crm, program: int, name: str, threshold: _Amount) -> _Dict: ...
def tiers(crm: Crm, program: int) -> list[_Dict]: ...
def add_reward(
    crm: Crm,
    program: int,
    name: str,
    kind: str,
    required_points: int,
    *,
    percent: int,
    amount: _Amount | None,
    product: str,
    valid_from: datetime | None,
    valid_until: datetime | None,
) -> _Dict: ...
def rewards(crm: Crm, program: int) -> list[_Dict]: ...
def open_card(crm: Crm, program: int, customer: int, *, code: str | None) -> _Dict: ...
def card(crm: Crm, id: int) -> _Dict: ...
def card_by_code(crm: Crm, code: str) -> _Dict: ...
def card_for(crm: Crm, program: int, customer: int) -> _Dict: ...
def balance(crm: Crm, card: int, *, within_days: int) -> _Dict: ...
def points_history(crm: Crm, card: int, *, cursor: str | None, limit: int) -> tuple[list[_Dict], str | None]: ...
def award_order(crm: Crm, card: int, order: int, *, key: str | None) -> _Dict: ...
def award_event(
    crm: Crm, card: int, event: str, *, year: int, other: int, role: str, rule: int, key: str | None
) -> _Dict: ...
def redeem_points(crm: Crm, card: int, points: int, *, order: int | None, key: str | None) -> _Dict: ...
def redeem_reward(crm: Crm, card: int, reward: int, *, order: int | None, key: str | None) -> _Dict: ...
def adjust_points(crm: Crm, card: int, points: int, reason: str, *, key: str | None) -> _Dict: ...
def expire_points(crm: Crm, now: datetime) -> tuple[int, int]: ...
def refresh_tier(crm: Crm, card: int) -> _Dict: ...
def program_metrics(crm: Crm, program: int, from_: datetime, until: datetime) -> _Dict: ...
