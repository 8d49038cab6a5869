"""Sales: orders, returns, resent receipts and customer facts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

import crmlite
from crmlite import NewOrderLine


def receipt(crm: crmlite.Crm, customer: int, number: str) -> crmlite.Order:
    return crm.record_order(
        customer,
        "AMD",
        [
            NewOrderLine("Պարացետամոլ", 2, Decimal("1500"), category="ցավազրկող"),
            NewOrderLine("Վիտամին C", 1, Decimal("3000.00"), tags=("վիտամին",)),
        ],
        channel="till",
        external_id=number,
        at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )


def test_orders_are_exact_and_a_resent_receipt_is_the_same_order(crm: crmlite.Crm) -> None:
    aram = crm.add_customer("Արամ Սարգսյան")
    order = receipt(crm, aram.id, "ՉԵԿ-1")
    assert order.total == crmlite.Money(Decimal("6000.00"), "AMD")
    assert order.lines[0].total.amount == Decimal("3000.00")
    assert order.lines[1].tags == ("վիտամին",)
    changes = len(crm.changes_since(0, limit=1000))
    assert receipt(crm, aram.id, "ՉԵԿ-1") == order
    assert len(crm.changes_since(0, limit=1000)) == changes
    assert crm.order(order.id) == order


def test_returns_and_facts(crm: crmlite.Crm) -> None:
    aram = crm.add_customer("Արամ Սարգսյան")
    order = receipt(crm, aram.id, "ՉԵԿ-2")
    ret = crm.record_return(order.id, [(0, 1)])
    assert ret.amount == crmlite.Money(Decimal("1500.00"), "AMD")
    assert ret.lines[0].line == 0
    with pytest.raises(crmlite.ValidationError) as e:
        crm.record_return(order.id, [(0, 2)])
    assert e.value.field == "lines[0].quantity"
    crm.record_return(order.id, [(0, 1)])
    with pytest.raises(crmlite.ValidationError) as e:
        crm.record_return(order.id, [(0, 1)])
    assert e.value.field == "lines[0].line"
    assert len(crm.returns_of_order(order.id)) == 2
    facts = crm.customer_facts(aram.id)
    assert facts.order_count == 1
    assert facts.by_currency[0].spend == crmlite.Money(Decimal("3000.00"), "AMD")
    assert facts.first_purchase == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_bad_orders_name_the_field_and_change_nothing(crm: crmlite.Crm) -> None:
    aram = crm.add_customer("Արամ Սարգսյան")
    before = crm.changes_since(0, limit=1000)
    cases = [
        ([NewOrderLine("x", -1, 100)], "lines[0].quantity"),
        ([NewOrderLine("x", 1, 1.5)], "lines[0].unit_price"),  # type: ignore[arg-type]
        ([NewOrderLine("x", 1, Decimal("0.001"))], "lines[0].unit_price"),
        ([NewOrderLine("x", 2, 2**62)], "lines[0].unit_price"),
        ([], "lines"),
    ]
    for lines, field in cases:
        with pytest.raises(crmlite.ValidationError) as e:
            crm.record_order(aram.id, "AMD", lines)
        assert e.value.field == field
    with pytest.raises(crmlite.NotFoundError):
        crm.record_order(999, "AMD", [NewOrderLine("x", 1, 1)])
    assert crm.changes_since(0, limit=1000) == before
