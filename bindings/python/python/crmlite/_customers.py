"""Customers: persons and organisations, their contact points, attributes and links."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import _crmlite
from ._values import (
    UNSET,
    AttributeValue,
    Page,
    Unset,
    decode_attribute,
    encode_attributes,
    string_list,
)
from .errors import ValidationError

__all__ = ["Address", "Customer", "CustomerKind", "CustomerLink", "CustomerMethods", "Email", "Phone"]


class CustomerKind(enum.StrEnum):
    """Whether a customer is a person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Email:
    """An e-mail address of a customer (domain lower-cased)."""

    address: str
    primary: bool


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number of a customer: ``e164`` (``+37410123456``) and ``raw`` as typed."""

    e164: str
    raw: str
    primary: bool


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; every part is free text except ``country`` (ISO 3166-1 alpha-2)."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    """A stored person or organisation. Pass ``version`` back to ``update_customer``."""

    id: int
    kind: CustomerKind
    name: str
    emails: tuple[Email, ...]
    phones: tuple[Phone, ...]
    address: Address | None
    birthday: date | None
    language: str | None
    tags: tuple[str, ...]
    attributes: dict[str, AttributeValue]
    external_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def primary_email(self) -> str | None:
        """The primary e-mail address, if any."""
        return next((e.address for e in self.emails if e.primary), None)

    @property
    def primary_phone(self) -> str | None:
        """The primary phone number in E.164 form, if any."""
        return next((p.e164 for p in self.phones if p.primary), None)

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Customer:
        address = d["address"]
        return cls(
            id=d["id"],
            kind=CustomerKind(d["kind"]),
            name=d["name"],
            emails=tuple(Email(**e) for e in d["emails"]),
            phones=tuple(Phone(**p) for p in d["phones"]),
            address=None if address is None else Address(**address),
            birthday=d["birthday"],
            language=d["language"],
            tags=tuple(d["tags"]),
            attributes={k: decode_attribute(v) for k, v in d["attributes"].items()},
            external_code=d["external_code"],
            version=d["version"],
            created_at=d["created_at"],
            updated_at=d["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class CustomerLink:
    """A person's link to an organisation, with the person's role there (may be empty)."""

    person: int
    organisation: int
    role: str
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> CustomerLink:
        return cls(**d)


# The keys an `add_customers` item may have: the arguments of `add_customer`.
_CUSTOMER_KEYS = frozenset(
    ["name", "kind", "emails", "phones", "address", "birthday", "language", "tags", "attributes", "external_code"]
)


def _address(address: Address | None) -> dict[str, str] | None:
    # The parts by hand: `dataclasses.asdict` deep-copies and costs several microseconds a call.
    if address is None:
        return None
    return {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
    }


class CustomerMethods:
    """The customer operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def add_customer(
        self,
        name: str,
        *,
        kind: CustomerKind | str = CustomerKind.PERSON,
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        address: Address | None = None,
        birthday: date | None = None,
        language: str | None = None,
        tags: Iterable[str] = (),
        attributes: Mapping[str, AttributeValue] | None = None,
        external_code: str | None = None,
    ) -> Customer:
        """Adds a person or organisation; the first e-mail and phone become primary."""
        return Customer._from_native(
            _crmlite.add_customer(
                self._native,
                name,
                kind=str(kind),
                emails=string_list(emails),
                phones=string_list(phones),
                address=_address(address),
                birthday=birthday,
                language=language,
                tags=string_list(tags),
                attributes=None if attributes is None else encode_attributes(attributes),
                external_code=external_code,
            )
        )

    def add_customers(self, customers: Iterable[Mapping[str, Any]]) -> list[int]:
        """Adds many customers in one transaction and returns their ids, in order.

        Each item is a mapping with the keyword arguments of :meth:`add_customer` (``name`` is
        required). All are stored or, if any item is bad or any external code clashes, none; the
        error names the item, e.g. ``customers[7].phones[0]``.
        """
        batch = []
        for i, item in enumerate(customers):
            unknown = sorted(set(item) - _CUSTOMER_KEYS)
            if unknown:
                raise ValidationError(f"customers[{i}].{unknown[0]}", "is not an argument of add_customer")
            if "name" not in item:
                raise ValidationError(f"customers[{i}].name", "is missing")
            try:
                address = item.get("address")
                attributes = item.get("attributes")
                batch.append(
                    {
                        "name": item["name"],
                        "kind": str(item.get("kind", CustomerKind.PERSON)),
                        "emails": string_list(item.get("emails", ())),
                        "phones": string_list(item.get("phones", ())),
                        "address": _address(address),
                        "birthday": item.get("birthday"),
                        "language": item.get("language"),
                        "tags": string_list(item.get("tags", ())),
                        "attributes": None if attributes is None else encode_attributes(attributes),
                        "external_code": item.get("external_code"),
                    }
                )
            except TypeError as e:
                raise TypeError(f"customers[{i}]: {e}") from e
        return _crmlite.add_customers(self._native, batch)

    def customer(self, id: int) -> Customer:
        """One customer by id; raises :class:`NotFoundError` if there is none."""
        return Customer._from_native(_crmlite.customer(self._native, id))

    def customer_by_code(self, kind: CustomerKind | str, code: str) -> Customer:
        """One customer by kind and external code."""
        return Customer._from_native(_crmlite.customer_by_code(self._native, str(kind), code))

    def customers_by_email(self, email: str) -> list[Customer]:
        """Customers that have this e-mail address."""
        return [Customer._from_native(d) for d in _crmlite.customers_by_email(self._native, email)]

    def customers_by_phone(self, phone: str) -> list[Customer]:
        """Customers that have this phone number, typed in any form the default region allows."""
        return [Customer._from_native(d) for d in _crmlite.customers_by_phone(self._native, phone)]

    def search_customers(self, query: str, *, limit: int = 20) -> list[Customer]:
        """Customers matching every word of ``query``, whatever the script, case or accents."""
        return [Customer._from_native(d) for d in _crmlite.search_customers(self._native, query, limit=limit)]

    def list_customers(self, *, cursor: str | None = None, limit: int = 100) -> Page[Customer]:
        """One page of customers in id order."""
        items, next_cursor = _crmlite.list_customers(self._native, cursor=cursor, limit=limit)
        return Page(tuple(Customer._from_native(d) for d in items), next_cursor)

    def iter_customers(self, *, page_size: int = 100) -> Iterator[Customer]:
        """Every customer in id order, fetched a page at a time (no lock is held between pages)."""
        first = self.list_customers(limit=page_size)

        def pages() -> Iterator[Customer]:
            page = first
            while True:
                yield from page.items
                if page.next is None:
                    return
                page = self.list_customers(cursor=page.next, limit=page_size)

        return pages()

    def update_customer(
        self,
        id: int,
        *,
        version: int,
        name: str | Unset = UNSET,
        emails: Iterable[str] | None | Unset = UNSET,
        phones: Iterable[str] | None | Unset = UNSET,
        address: Address | None | Unset = UNSET,
        birthday: date | None | Unset = UNSET,
        language: str | None | Unset = UNSET,
        tags: Iterable[str] | None | Unset = UNSET,
        attributes: Mapping[str, AttributeValue | None] | Unset = UNSET,
        external_code: str | None | Unset = UNSET,
    ) -> Customer:
        """Changes the given fields if the customer is still at ``version``.

        An argument left out keeps its value; ``None`` clears it. In ``attributes``, a ``None``
        value removes that attribute and the others are set. A stale ``version`` raises
        :class:`ConflictError` and changes nothing.
        """
        patch: dict[str, Any] = {}
        if name is not UNSET:
            patch["name"] = name
        for field, values in (("emails", emails), ("phones", phones), ("tags", tags)):
            if values is not UNSET:
                patch[field] = None if values is None else string_list(values)  # type: ignore[arg-type]
        if address is not UNSET:
            patch["address"] = _address(address)
        if birthday is not UNSET:
            patch["birthday"] = birthday
        if language is not UNSET:
            patch["language"] = language
        if external_code is not UNSET:
            patch["external_code"] = external_code
        if not isinstance(attributes, Unset):
            patch["attributes"] = None if attributes is None else encode_attributes(attributes)
        return Customer._from_native(_crmlite.update_customer(self._native, id, version=version, patch=patch))

    def link_customer(self, person: int, organisation: int, *, role: str = "") -> CustomerLink:
        """Links a person to an organisation; noted on both timelines."""
        return CustomerLink._from_native(_crmlite.link_customer(self._native, person, organisation, role=role))

    def unlink_customer(self, person: int, organisation: int) -> None:
        """Removes a person's link to an organisation."""
        _crmlite.unlink_customer(self._native, person, organisation)

    def customer_links(self, id: int) -> list[CustomerLink]:
        """A person's organisations, or an organisation's people."""
        return [CustomerLink._from_native(d) for d in _crmlite.customer_links(self._native, id)]
