"""The database handle: opening, closing and the operations of every domain."""

from __future__ import annotations

import os
from types import TracebackType

from . import _crmlite
from ._automation import AutomationMethods
from ._changes import ChangeMethods
from ._customers import CustomerMethods
from ._deals import DealMethods
from ._reference import ReferenceMethods
from ._loyalty import LoyaltyMethods
from ._sales import SalesMethods
from ._service import ServiceMethods
from ._timeline import TimelineMethods
from ._transaction import TransactionMethods
from ._verify import VerifyMethods

__all__ = ["Crm", "FixedClock", "open"]

FixedClock = _crmlite.FixedClock
"""A clock that stands still until ``set(datetime)`` or ``advance(timedelta)``; pass it to ``open``."""


class Crm(
    CustomerMethods,
    TimelineMethods,
    DealMethods,
    ChangeMethods,
    ReferenceMethods,
    SalesMethods,
    LoyaltyMethods,
    AutomationMethods,
    ServiceMethods,
    VerifyMethods,
    TransactionMethods,
):
    """An open crmlite database. Safe to share between threads; use ``with`` to close it."""

    __slots__ = ("_native", "_path")

    def __init__(self, native: _crmlite.Crm, path: str) -> None:
        self._native = native
        self._path = path

    def close(self) -> None:
        """Closes the database; any later call raises :class:`crmlite.Error`."""
        self._native.close()

    @property
    def closed(self) -> bool:
        """Whether the database was closed."""
        return self._native.closed

    def __enter__(self) -> Crm:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<crmlite.Crm {self._path!r} {state}>"


def open(  # noqa: A001 - mirrors sqlite3.connect / builtins.open naming on purpose
    path: str | os.PathLike[str],
    *,
    default_region: str | None = None,
    synchronous: str = "full",
    clock: FixedClock | None = None,
    cache_mib: int | None = None,
) -> Crm:
    """Opens (creating if needed) the database at ``path``; ``":memory:"`` is a private in-memory one.

    ``default_region`` (ISO 3166-1 alpha-2, e.g. ``"AM"``, ``"IR"``) reads phone numbers typed
    without a country code; ``synchronous`` is ``"full"`` (durable) or ``"normal"`` (faster);
    ``clock`` replaces the system clock (tests, replays); ``cache_mib`` sets SQLite's page cache
    of each connection in MiB (default 16 for the writer, 2 for readers; 1 to 65536), which
    speeds up loading many rows into a large database.
    """
    native = _crmlite.open(
        path, default_region=default_region, synchronous=synchronous, clock=clock, cache_mib=cache_mib
    )
    return Crm(native, os.fspath(path))
