"""Reference directories, import and export of files, external ids and sync consumers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from collections.abc import Callable
from typing import Any

from . import _crmlite
from ._changes import Change
from ._customers import Customer
from ._deals import Deal
from ._sales import Order, Return, money
from ._values import Money, Page

__all__ = [
    "DirectoryKind",
    "Entry",
    "ExternalId",
    "FieldDef",
    "ImportReport",
    "ReferenceMethods",
    "RejectedRow",
    "SyncItem",
]


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A field of a directory kind. ``type`` is ``text``, ``integer``, ``decimal:N`` (N digits
    after the mark), ``money``, ``percent``, ``boolean``, ``date``, ``currency`` or
    ``reference:KIND`` (the code of an entry of another kind)."""

    name: str
    type: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class DirectoryKind:
    """A built-in or user-defined kind of directory entries with its typed fields."""

    name: str
    label: str
    fields: tuple[FieldDef, ...]
    builtin: bool

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> DirectoryKind:
        return cls(**{**d, "fields": tuple(FieldDef(*f) for f in d["fields"])})


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
class ImportProgress:
    """How far an import has got: the file is read first (``bytes_read`` of ``bytes_total``,
    ``rows_read``), then ``written`` of ``to_write`` records are written, all before the commit."""

    rows_read: int
    bytes_read: int
    bytes_total: int
    written: int
    to_write: int
    read_done: bool


@dataclass(frozen=True, slots=True)
class ExternalId:
    """A record's id in an external system; ``entity`` is a record kind such as ``customer``."""

    system: str
    external_id: str
    entity: str
    entity_id: int


SyncRecord = Customer | Entry | ExternalId | Order | Return | Deal | dict[str, Any] | list[Any]


@dataclass(frozen=True, slots=True)
class SyncItem:
    """One change pulled by a sync consumer with the record as it is now. ``type`` is the
    record kind as in the JSON Lines form (``customer``, ``entry``, ``external_id``,
    ``order``, ``return``, ``deal``, ``task``, ``loyalty_card``, ``customer_links``...) or
    ``tombstone`` (the record is gone, ``record`` is ``None``). Customers, entries, external
    ids, orders, returns and deals are typed; other kinds are their JSON form as a ``dict``
    (a ``list`` of links for ``customer_links``), amounts in integer minor units."""

    change: Change
    type: str
    record: SyncRecord | None

    @classmethod
    def _from_native(cls, t: tuple[dict[str, Any], str, Any]) -> SyncItem:
        change, kind, d = t
        record: SyncRecord | None = d
        if d is not None:
            if kind == "customer":
                record = Customer._from_native(d)
            elif kind == "entry":
                record = Entry(**d)
            elif kind == "external_id":
                record = ExternalId(**d)
            elif kind == "order":
                record = Order._from_native(d)
            elif kind == "return":
                record = Return._from_native(d)
            elif kind == "deal":
                record = Deal._from_native(d)
        return cls(Change._from_native(change), kind, record)


class ReferenceMethods:
    """The directory, import, export and sync operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def define_directory(self, name: str, label: str, fields: list[FieldDef] | None = None) -> DirectoryKind:
        """Defines a user-defined directory kind (``name`` of ``a-z``, ``0-9``, ``_``) with
        typed fields; a name already used raises :class:`crmlite.ConflictError`."""
        specs = [(f.name, f.type, f.required) for f in fields or []]
        return DirectoryKind._from_native(_crmlite.define_directory(self._native, name, label, specs))

    def directory_kind(self, name: str) -> DirectoryKind:
        """One directory kind, built in or user-defined; an unknown name raises
        :class:`crmlite.NotFoundError`."""
        return DirectoryKind._from_native(_crmlite.directory_kind(self._native, name))

    def entry(self, id: int) -> Entry:  # noqa: A002 - the record's id
        """One directory entry by id."""
        return Entry(**_crmlite.entry(self._native, id))

    def product_price(self, price_list: str, sku: str, on: date) -> Money | None:
        """The price of product ``sku`` in ``price_list`` valid on day ``on``, or ``None``."""
        found = _crmlite.product_price(self._native, price_list, sku, on)
        return None if found is None else money(found)

    def directory_kinds(self) -> list[DirectoryKind]:
        """Every directory kind: the built-in ones, then the user-defined ones by name."""
        return [DirectoryKind._from_native(d) for d in _crmlite.directory_kinds(self._native)]

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
        progress: Callable[[ImportProgress], object] | None = None,
        progress_every: int = 1000,
        known_products: bool = False,
    ) -> ImportReport:
        """Imports a CSV or JSON Lines file into directory ``kind``, or ``"customers"`` /
        ``"organisations"``, or ``"orders"`` (purchase history: one row per order line, grouped
        by ``receipt``; ``customer`` is the buyer's code, or its id in ``match_system``).
        All or nothing unless ``skip_bad_rows``: the first bad row raises
        :class:`crmlite.ValidationError` with ``field`` like ``line[7].price``. An empty file
        raises it with ``field`` ``file``. ``progress`` is called with an
        :class:`ImportProgress` every ``progress_every`` rows read and records written and at
        the end of reading and of writing; an exception it raises stops the import, nothing
        is written, and the exception propagates. With ``known_products`` (orders only) each
        line's ``product`` must be the code of an active entry of the ``product`` directory,
        or its row is rejected on field ``product``."""

        def report(d: dict[str, Any]) -> None:
            if progress is not None:
                progress(ImportProgress(**d))

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
                progress=report if progress is not None else None,
                progress_every=progress_every,
                known_products=known_products,
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
        """Maps a record of any kind with an id (``"customer"``, ``"deal"``, ``"order"``,
        ``"directory_entry"``, ``"loyalty_card"``, ``"task"``, ``"template"``...) to its id in
        ``system``; a record may have ids in several systems. An unknown record raises
        :class:`crmlite.NotFoundError`; an id of ``system`` already mapped to another record
        raises :class:`crmlite.ConflictError`."""
        return ExternalId(**_crmlite.map_external_id(self._native, system, external_id, entity, entity_id))

    def resolve_external_id(self, system: str, external_id: str) -> ExternalId | None:
        """The record an external id maps to, or ``None``."""
        d = _crmlite.resolve_external_id(self._native, system, external_id)
        return None if d is None else ExternalId(**d)

    def external_ids(self, entity: str, entity_id: int) -> list[ExternalId]:
        """Every external id of one record, by system; an unknown record raises
        :class:`crmlite.NotFoundError`."""
        return [ExternalId(**d) for d in _crmlite.external_ids(self._native, entity, entity_id)]

    def external_id_of(self, system: str, entity: str, entity_id: int) -> ExternalId | None:
        """The id one record has in ``system``, or ``None``."""
        d = _crmlite.external_id_of(self._native, system, entity, entity_id)
        return None if d is None else ExternalId(**d)

    def unmap_external_id(self, system: str, external_id: str) -> None:
        """Removes a mapping; an unknown one raises :class:`crmlite.NotFoundError`."""
        _crmlite.unmap_external_id(self._native, system, external_id)

    def sync_cursor(self, consumer: str) -> int:
        """The change-feed position ``consumer`` has acknowledged (0 at first)."""
        return _crmlite.sync_cursor(self._native, consumer)

    def advance_sync_cursor(self, consumer: str, seq: int) -> None:
        """Acknowledges every change up to ``seq`` for ``consumer``."""
        _crmlite.advance_sync_cursor(self._native, consumer, seq)

    def sync_pull(self, consumer: str, *, limit: int = 100) -> list[SyncItem]:
        """The changes after the consumer's cursor, oldest first, each with its record as it
        is now (see :class:`SyncItem`) or a tombstone. Acknowledge with :meth:`advance_sync_cursor`."""
        return [SyncItem._from_native(t) for t in _crmlite.sync_pull(self._native, consumer, limit=limit)]

    def export_changes(
        self,
        consumer: str,
        *,
        limit: int = 100,
        format: str = "csv",  # noqa: A002 - the file format's name
        encoding: str = "utf-8",
        delimiter: str = ",",
    ) -> bytes:
        """The changes after the consumer's cursor as a file: CSV with the columns ``seq``,
        ``at``, ``op``, ``entity``, ``entity_id``, ``type`` and ``record`` (the record as JSON),
        spreadsheet-safe, in ``encoding`` and ``delimiter``; or JSON Lines. Does not move the
        cursor."""
        return _crmlite.export_changes(
            self._native, consumer, limit=limit, format=format, encoding=encoding, delimiter=delimiter
        )

    def sync_pull_json(self, consumer: str, *, limit: int = 100) -> bytes:
        """Like :meth:`sync_pull`, as JSON Lines bytes (amounts in integer minor units), ready
        to hand to another program."""
        return _crmlite.sync_pull_json(self._native, consumer, limit=limit)
