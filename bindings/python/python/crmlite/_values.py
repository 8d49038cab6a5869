"""Values shared by every domain: money, pages, attribute values and the 'unset' marker."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

__all__ = ["AttributeValue", "Money", "Page"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of money: a ``Decimal`` and a three-letter ISO 4217 currency code."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


AttributeValue = str | int | bool | date | datetime | Money
"""A custom attribute value. Floats are refused: use ``int`` or ``Money``."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results; pass ``next`` back as ``cursor`` for the following page (``None`` at the end)."""

    items: tuple[T, ...]
    next: str | None


class _Unset(enum.Enum):
    """Marks a keyword argument that was not given (``None`` means 'clear')."""

    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset.UNSET
Unset = _Unset


def string_list(value: Iterable[str]) -> list[str]:
    """A list from an iterable of strings; a lone ``str`` is refused rather than split into letters."""
    if isinstance(value, str):
        raise TypeError("expected a list of strings, not a single str")
    return list(value)


def encode_attribute(value: Any) -> Any:
    """The native form of an attribute value: ``Money`` crosses as ``(amount, currency)``."""
    if isinstance(value, Money):
        return (value.amount, value.currency)
    return value


def encode_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The native form of an attributes mapping."""
    return {name: encode_attribute(value) for name, value in attributes.items()}


def decode_attribute(value: Any) -> AttributeValue:
    """An attribute value from its native form (money arrives as a tuple)."""
    if isinstance(value, tuple):
        amount, currency = value
        return Money(amount, currency)
    return value  # type: ignore[no-any-return]
