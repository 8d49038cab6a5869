"""Reference directories, import and export of files, external ids and sync consumers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import _crmlite
from ._values import Page

__all__ = ["Entry", "ExternalId", "ImportReport", "ReferenceMethods", "RejectedRow"]


@dataclass(frozen=True, slots=True)
class Entry:
    """A directory entry (a product, a unit, a store...); ``fields`` hold typed values:
    ``Decimal`` numbers and percentages, ``(Decimal, currency)`` money, ``date``, ``str`` codes."""

    id: int
    kind: str
    external_code: str
    name: str
    fields: dict[str, Any]
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that was not imported: its 1-based line, the column at fault and why."""

    line: int
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did."""

    inserted: int
    updated: int
    unchanged: int
    rejected: tuple[RejectedRow, ...]
    fast_path: bool

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> ImportReport:
        return cls(**{**d, "rejected": tuple(RejectedRow(*r) for r in d["rejected"])})


@dataclass(frozen=True, slots=True)
class ExternalId:
    """A record's id in an external system; ``entity`` is a record kind such as ``customer``."""

    system: str
    external_id: str
    entity: str
    entity_id: int


class ReferenceMethods:
    """The directory, import, export and sync operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def upsert_entry(
        self,
        kind: str,
        external_code: str,
        name: str,
        *,
        fields: dict[str, str] | None = None,
        currency: str | None = None,
    ) -> tuple[Entry, str]:
        """Creates or replaces the entry; field values are text as in an import file
        (``"1 250,50"``, ``"20%"``, ``"07.12.2026"``). Returns the entry and
        ``"inserted"``, ``"updated"`` or ``"unchanged"``."""
        d, outcome = _crmlite.upsert_entry(
            self._native, kind, external_code, name, fields=dict(fields or {}), currency=currency
        )
        return Entry(**d), outcome

    def entry_by_code(self, kind: str, code: str) -> Entry:
        """One entry by kind and code, archived or not."""
        return Entry(**_crmlite.entry_by_code(self._native, kind, code))

    def list_entries(
        self, kind: str, *, include_archived: bool = False, cursor: str | None = None, limit: int = 100
    ) -> Page[Entry]:
        """One page of a directory in id order."""
        items, nxt = _crmlite.list_entries(
            self._native, kind, include_archived=include_archived, cursor=cursor, limit=limit
        )
        return Page(tuple(Entry(**d) for d in items), nxt)

    def set_entry_archived(self, kind: str, code: str, archived: bool = True) -> Entry:
        """Archives (or restores) an entry; it keeps its references and history."""
        return Entry(**_crmlite.set_entry_archived(self._native, kind, code, archived))

    def delete_entry(self, kind: str, code: str) -> None:
        """Deletes an entry that nothing references (archive it otherwise)."""
        _crmlite.delete_entry(self._native, kind, code)

    def import_file(
        self,
        kind: str,
        data: bytes,
        *,
        format: str = "csv",  # noqa: A002 - the file format's name
        encoding: str = "utf-8",
        delimiter: str = ",",
        mapping: dict[str, str] | None = None,
        skip_bad_rows: bool = False,
        match_system: str | None = None,
        currency: str | None = None,
    ) -> ImportReport:
        """Imports a CSV or JSON Lines file into directory ``kind``, or ``"customers"`` /
        ``"organisations"``. All or nothing unless ``skip_bad_rows``: the first bad row raises
        :class:`crmlite.ValidationError` with ``field`` like ``line[7].price``."""
        return ImportReport._from_native(
            _crmlite.import_file(
                self._native,
                kind,
                bytes(data),
                format=format,
                encoding=encoding,
                delimiter=delimiter,
                mapping=dict(mapping or {}),
                skip_bad_rows=skip_bad_rows,
                match_system=match_system,
                currency=currency,
            )
        )

    def export_directory(
        self,
        kind: str,
        *,
        format: str = "csv",  # noqa: A002 - the file format's name
        encoding: str = "utf-8",
        delimiter: str = ",",
        decimal_comma: bool = False,
        include_archived: bool = True,
    ) -> bytes:
        """A whole directory as a file that :meth:`import_file` reads back unchanged."""
        return _crmlite.export_directory(
            self._native,
            kind,
            format=format,
            encoding=encoding,
            delimiter=delimiter,
            decimal_comma=decimal_comma,
            include_archived=include_archived,
        )

    def map_external_id(self, system: str, external_id: str, entity: str, entity_id: int) -> ExternalId:
        """Maps a record (``"customer"`` or ``"directory_entry"``) to its id in ``system``."""
        return ExternalId(**_crmlite.map_external_id(self._native, system, external_id, entity, entity_id))

    def resolve_external_id(self, system: str, external_id: str) -> ExternalId | None:
        """The record an external id maps to, or ``None``."""
        d = _crmlite.resolve_external_id(self._native, system, external_id)
        return None if d is None else ExternalId(**d)

    def sync_cursor(self, consumer: str) -> int:
        """The change-feed position ``consumer`` has acknowledged (0 at first)."""
        return _crmlite.sync_cursor(self._native, consumer)

    def advance_sync_cursor(self, consumer: str, seq: int) -> None:
        """Acknowledges every change up to ``seq`` for ``consumer``."""
        _crmlite.advance_sync_cursor(self._native, consumer, seq)

    def sync_pull(self, consumer: str, *, limit: int = 100) -> list[dict[str, Any]]:
        """The changes after the consumer's cursor, each ``{"change": ..., "record": ...}``
        with the record's current state or a tombstone; amounts are integer minor units."""
        data = _crmlite.sync_pull(self._native, consumer, limit=limit)
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
