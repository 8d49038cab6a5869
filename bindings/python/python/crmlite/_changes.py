"""The change feed: every committed change, in commit order, each exactly once."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import _crmlite

__all__ = ["Change", "ChangeMethods", "ChangeOp"]


class ChangeOp(enum.StrEnum):
    """What happened to a record."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change feed; ``entity`` is a record kind such as ``customer``."""

    seq: int
    entity: str
    entity_id: int
    op: ChangeOp
    at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Change:
        return cls(**{**d, "op": ChangeOp(d["op"])})


class ChangeMethods:
    """The change feed operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def changes_since(self, cursor: int = 0, *, limit: int = 100) -> list[Change]:
        """Changes after ``cursor`` (a ``seq``; 0 for the start), oldest first."""
        return [Change._from_native(d) for d in _crmlite.changes_since(self._native, cursor, limit=limit)]
