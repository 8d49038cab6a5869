"""The crmlite exception tree: catch ``crmlite.Error`` for any crmlite failure."""

from __future__ import annotations

__all__ = [
    "BusyError",
    "ConflictError",
    "Error",
    "NotFoundError",
    "StorageError",
    "ValidationError",
]


class Error(Exception):
    """Base class of every error raised by crmlite."""


class ValidationError(Error, ValueError):
    """An input was rejected and nothing was changed.

    ``field`` names the input (``name``, ``phones[0]``, ``attributes.vat``) and ``reason`` says why.
    """

    field: str
    reason: str

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid {field}: {reason}")
        self.field = field
        self.reason = reason


class NotFoundError(Error, LookupError):
    """A referenced record does not exist; ``kind`` and ``key`` say which."""

    kind: str
    key: str

    def __init__(self, message: str, *, kind: str = "", key: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.key = key


class ConflictError(Error):
    """The write clashes with the stored state: a stale version, a duplicate code, an existing link."""


class StorageError(Error):
    """The database failed; ``kind`` is one of busy, corrupt, too_new, io, read_only, internal, other."""

    kind: str

    def __init__(self, message: str, *, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


class BusyError(StorageError):
    """The database stayed locked by another writer; retrying later may succeed."""
