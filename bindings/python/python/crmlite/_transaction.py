"""Explicit transactions: many calls of one thread committed or rolled back together."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from . import _crmlite
from .errors import Error

if TYPE_CHECKING:
    from ._crm import Crm

__all__ = ["TransactionMethods"]


class TransactionMethods:
    """Transactions of :class:`crmlite.Crm`.

    A transaction belongs to the thread that began it: that thread's calls run in it and see
    its uncommitted changes; a call that fails undoes only its own changes and raises as usual.
    Other threads see the last committed state, and their writes wait until it ends.
    """

    __slots__ = ()

    _native: _crmlite.Crm

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Crm]:
        """``with crm.transaction():`` runs the block in one transaction: commits when the block
        ends normally, rolls back (and re-raises) when it raises. Transactions do not nest."""
        _crmlite.begin_transaction(self._native)
        try:
            yield cast("Crm", self)
        except BaseException:
            # The block's exception says more than a failure to roll back would.
            with contextlib.suppress(Error):
                _crmlite.rollback_transaction(self._native)
            raise
        _crmlite.commit_transaction(self._native)

    def begin_transaction(self) -> None:
        """Opens a transaction owned by the calling thread (waits for another thread's to end)."""
        _crmlite.begin_transaction(self._native)

    def commit_transaction(self) -> None:
        """Makes every change of the calling thread's transaction durable and closes it."""
        _crmlite.commit_transaction(self._native)

    def rollback_transaction(self) -> None:
        """Undoes every change of the calling thread's transaction and closes it."""
        _crmlite.rollback_transaction(self._native)

    @property
    def in_transaction(self) -> bool:
        """Whether the calling thread has a transaction open."""
        return _crmlite.in_transaction(self._native)
