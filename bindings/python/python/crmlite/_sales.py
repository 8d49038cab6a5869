"""Sales: orders with lines, returns against them, and a customer's purchase facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import _crmlite
from ._values import Money, string_list

__all__ = [
    "CustomerFacts",
    "NewOrderLine",
    "Order",
    "OrderLine",
    "Return",
    "ReturnLine",
    "SalesMethods",
    "SpendFacts",
]


def money(value: tuple[Decimal, str]) -> Money:
    """A ``Money`` from its native ``(amount, currency)`` form."""
    amount, currency = value
    return Money(amount, currency)


def optional_money(value: tuple[Decimal, str] | None) -> Money | None:
    """A ``Money`` or ``None`` from its native form."""
    return None if value is None else money(value)


@dataclass(frozen=True, slots=True)
class NewOrderLine:
    """A line of a purchase to record: amounts are ``Decimal``s (or ints) in the order's currency."""

    product: str
    quantity: int
    unit_price: Decimal | int
    category: str = ""
    tags: tuple[str, ...] = ()
    discount: Decimal | int = 0
    reward: bool = False

    def _to_native(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "category": self.category,
            "tags": string_list(self.tags),
            "discount": self.discount,
            "reward": self.reward,
        }


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A stored order line; ``total`` is ``quantity * unit_price - discount``."""

    line: int
    product: str
    category: str
    tags: tuple[str, ...]
    quantity: int
    unit_price: Money
    discount: Money
    total: Money
    reward: bool

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> OrderLine:
        return cls(
            **{
                **d,
                "tags": tuple(d["tags"]),
                "unit_price": money(d["unit_price"]),
                "discount": money(d["discount"]),
                "total": money(d["total"]),
            }
        )


@dataclass(frozen=True, slots=True)
class Order:
    """A stored purchase."""

    id: int
    customer: int
    currency: str
    lines: tuple[OrderLine, ...]
    total: Money
    paid: Money
    channel: str
    store: str
    external_id: str | None
    at: datetime
    created_at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Order:
        return cls(
            **{
                **d,
                "lines": tuple(OrderLine._from_native(x) for x in d["lines"]),
                "total": money(d["total"]),
                "paid": money(d["paid"]),
            }
        )


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """Units of one order line given back, and the money for them."""

    line: int
    quantity: int
    amount: Money


@dataclass(frozen=True, slots=True)
class Return:
    """A stored return against an order."""

    id: int
    order: int
    customer: int
    lines: tuple[ReturnLine, ...]
    amount: Money
    external_id: str | None
    at: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Return:
        lines = tuple(ReturnLine(line, qty, money(amount)) for line, qty, amount in d["lines"])
        return cls(**{**d, "lines": lines, "amount": money(d["amount"])})


@dataclass(frozen=True, slots=True)
class SpendFacts:
    """A customer's purchases in one currency."""

    currency: str
    order_count: int
    spend: Money
    returned: Money
    first_purchase: datetime
    last_purchase: datetime

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> SpendFacts:
        return cls(**{**d, "spend": money(d["spend"]), "returned": money(d["returned"])})


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """A customer's purchase facts, maintained on every order and return."""

    customer: int
    first_purchase: datetime | None
    last_purchase: datetime | None
    order_count: int
    by_currency: tuple[SpendFacts, ...]

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> CustomerFacts:
        return cls(**{**d, "by_currency": tuple(SpendFacts._from_native(x) for x in d["by_currency"])})


class SalesMethods:
    """The sales operations of :class:`crmlite.Crm`."""

    __slots__ = ()

    _native: _crmlite.Crm

    def record_order(
        self,
        customer: int,
        currency: str,
        lines: Sequence[NewOrderLine],
        *,
        paid: Decimal | int | None = None,
        channel: str = "",
        store: str = "",
        external_id: str | None = None,
        at: datetime | None = None,
    ) -> Order:
        """Records a purchase and awards points on the customer's cards in that currency.

        The same ``external_id`` with the same content returns the first order (a receipt sent
        twice); with other content it raises :class:`crmlite.ConflictError`.
        """
        return Order._from_native(
            _crmlite.record_order(
                self._native,
                customer,
                currency,
                [line._to_native() for line in lines],
                paid=paid,
                channel=channel,
                store=store,
                external_id=external_id,
                at=at,
            )
        )

    def record_return(
        self,
        order: int,
        lines: Iterable[tuple[int, int]],
        *,
        external_id: str | None = None,
        at: datetime | None = None,
    ) -> Return:
        """Records a return of ``(line, quantity)`` pairs and reverses the points they earned."""
        return Return._from_native(
            _crmlite.record_return(self._native, order, list(lines), external_id=external_id, at=at)
        )

    def order(self, id: int) -> Order:
        """One order by id."""
        return Order._from_native(_crmlite.order(self._native, id))

    def order_by_external_id(self, external_id: str) -> Order:
        """The order with this external document id (receipt number)."""
        return Order._from_native(_crmlite.order_by_external_id(self._native, external_id))

    def returns_of_order(self, id: int) -> list[Return]:
        """Every return of an order, oldest first."""
        return [Return._from_native(d) for d in _crmlite.returns_of_order(self._native, id)]

    def customer_facts(self, customer: int) -> CustomerFacts:
        """First and last purchase, order count and spend per currency."""
        return CustomerFacts._from_native(_crmlite.customer_facts(self._native, customer))
