"""``verify()``: checks the stored data against crmlite's invariants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _crmlite

__all__ = ["Check", "VerifyMethods", "VerifyReport"]


@dataclass(frozen=True, slots=True)
class Check:
    """One invariant check: a stable ``name``, how many records break it, and what was found."""

    name: str
    violations: int
    detail: str

    @property
    def ok(self) -> bool:
        """Whether the invariant holds."""
        return self.violations == 0

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Check:
        return cls(**d)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Every check that ``verify()`` ran, in order."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Whether every invariant holds."""
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that found violations."""
        return tuple(c for c in self.checks if not c.ok)


class VerifyMethods:
    """The integrity check of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def verify(self) -> VerifyReport:
        """Checks the whole database in one snapshot (storage integrity, foreign keys, the change
        feed, ledger sums, lot conservation, ...); never changes anything."""
        return VerifyReport(tuple(Check._from_native(d) for d in _crmlite.verify(self._native)))
