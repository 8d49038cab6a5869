"""Loyalty: programs, rules, tiers, the points ledger, idempotency keys and concurrent redemptions."""

from __future__ import annotations

import multiprocessing
import pathlib
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

import crmlite
from crmlite import EntryKind, NewOrderLine


def pharmacy(crm: crmlite.Crm) -> tuple[crmlite.Program, crmlite.Card, int]:
    program = crm.create_program("Դեղատուն Բոնուս", "AMD", Decimal("1"))
    crm.add_earn_rule(program.id, "ամեն 100 դրամին", "per_amount", points=1, per=Decimal("100"))
    aram = crm.add_customer("Արամ Սարգսյան")
    card = crm.open_card(program.id, aram.id, code="ԴԵՂ-1")
    return program, card, aram.id


def buy(crm: crmlite.Crm, customer: int, number: str, dram: int = 6000) -> crmlite.Order:
    return crm.record_order(customer, "AMD", [NewOrderLine("Պարացետամոլ", 2, Decimal(dram) / 2)], external_id=number)


def test_points_per_dram_awarded_once_and_reversed_on_return(crm: crmlite.Crm) -> None:
    _, card, aram = pharmacy(crm)
    order = buy(crm, aram, "Ա-1")
    buy(crm, aram, "Ա-1")
    assert crm.balance(card.id).available == 60
    assert crm.award_order(card.id, order.id).points == 60
    crm.record_return(order.id, [(0, 1)])
    balance = crm.balance(card.id)
    assert (balance.available, balance.ledger_sum) == (30, 30)
    assert balance.available_value == crmlite.Money(Decimal("30.00"), "AMD")
    kinds = [e.kind for e in crm.points_history(card.id).items]
    assert kinds == [EntryKind.REVERSE, EntryKind.AWARD]


def test_returning_an_order_paid_with_points_gives_them_back_once(crm: crmlite.Crm) -> None:
    _, card, aram = pharmacy(crm)
    crm.adjust_points(card.id, 100, "Նոր տարի")
    order = buy(crm, aram, "Պ-1", dram=8000)
    crm.redeem_points(card.id, 40, order=order.id, key="till-1")
    assert crm.balance(card.id).available == 140
    # One box of two back: half of the 40 redeemed points come back once, half of the 80 earned go.
    crm.record_return(order.id, [(0, 1)], external_id="Վ-1")
    crm.record_return(order.id, [(0, 1)], external_id="Վ-1")
    crm.redeem_points(card.id, 40, order=order.id, key="till-1")
    assert crm.balance(card.id).available == 120
    refunds = [e for e in crm.points_history(card.id).items if e.source_kind == "refund"]
    assert [(e.kind, e.points, e.order) for e in refunds] == [(EntryKind.ADJUST, 20, order.id)]
    with pytest.raises(crmlite.ValidationError) as e:
        crm.redeem_points(card.id, 5, order=order.id)
    assert e.value.field == "order"
    crm.record_return(order.id, [(0, 1)])
    balance = crm.balance(card.id)
    assert (balance.available, balance.ledger_sum) == (100, 100)


def test_redemption_draws_soonest_expiring_lots_and_expiry_runs_once(
    crm: crmlite.Crm, clock: crmlite.FixedClock
) -> None:
    program = crm.create_program("Καλάθι", "EUR", Decimal("0.01"), expiry="after_days", expiry_days=30)
    maria = crm.add_customer("Μαρία Παπαδοπούλου")
    card = crm.open_card(program.id, maria.id)
    old = crm.adjust_points(card.id, 100, "καλωσόρισμα")
    clock.advance(timedelta(days=10))
    new = crm.adjust_points(card.id, 100, "δώρο")
    redemption = crm.redeem_points(card.id, 130)
    assert redemption.entry.allocations == ((old.id, 100), (new.id, 30))
    assert redemption.value == crmlite.Money(Decimal("1.30"), "EUR")
    clock.advance(timedelta(days=25))
    assert crm.balance(card.id, within_days=10).expiring == 70
    clock.advance(timedelta(days=10))
    assert crm.expire_points(clock.now()) == crmlite.ExpiryRun(1, 70)
    assert crm.expire_points(clock.now()) == crmlite.ExpiryRun(0, 0)
    assert crm.balance(card.id).ledger_sum == 0


def test_tiers_on_spend_never_demote_on_redeem(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    program = crm.create_program(
        "باشگاه مشتریان", "IRR", Decimal("1"), expiry="end_of_year", tier_basis="spend", tier_window_days=365
    )
    silver = crm.add_tier(program.id, "نقره‌ای", Decimal("500000"))
    gold = crm.add_tier(program.id, "طلایی", Decimal("2000000"))
    assert crm.tiers(program.id)[1].threshold == crmlite.Money(Decimal("2000000.00"), "IRR")
    crm.add_earn_rule(program.id, "پایه", "per_amount", points=1, per=Decimal("10000"), position=1)
    crm.add_earn_rule(program.id, "طلایی", "multiplier", percent=200, tiers=[gold.id], position=2)
    shirin = crm.add_customer("شیرین احمدی")
    card = crm.open_card(program.id, shirin.id)
    crm.record_order(shirin.id, "IRR", [NewOrderLine("کرم", 1, Decimal("600000"))])
    assert crm.card(card.id).tier == silver.id
    crm.record_order(shirin.id, "IRR", [NewOrderLine("عطر", 1, Decimal("1500000"))])
    assert crm.card(card.id).tier == gold.id
    crm.redeem_points(card.id, 200)
    assert crm.refresh_tier(card.id).tier == gold.id
    rules = crm.earn_rules(program.id)
    assert [r.kind for r in rules] == ["per_amount", "multiplier"]
    assert rules[0].per == crmlite.Money(Decimal("10000.00"), "IRR")


def test_idempotency_keys_replay_and_conflict(crm: crmlite.Crm) -> None:
    _, card, aram = pharmacy(crm)
    buy(crm, aram, "Բ-1")
    first = crm.redeem_points(card.id, 20, key="till-1")
    changes = crm.changes_since(0, limit=1000)
    assert crm.redeem_points(card.id, 20, key="till-1") == first
    with pytest.raises(crmlite.ConflictError):
        crm.redeem_points(card.id, 21, key="till-1")
    assert crm.changes_since(0, limit=1000) == changes
    with pytest.raises(crmlite.ValidationError) as e:
        crm.redeem_points(card.id, 1000, key="till-2")
    assert e.value.field == "points"
    crm.adjust_points(card.id, 1000, "նվեր")
    with pytest.raises(crmlite.ValidationError):
        crm.redeem_points(card.id, 1000, key="till-2")


def test_events_rewards_metrics_and_bad_input(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    program, card, aram = pharmacy(crm)
    crm.add_earn_rule(program.id, "գրանցում", "signup", points=50)
    assert crm.award_event(card.id, "signup").points == 50
    assert crm.award_event(card.id, "signup").points == 50
    reward = crm.add_reward(program.id, "10%", "percent_discount", 40, percent=10)
    order = buy(crm, aram, "Գ-1")
    r = crm.redeem_reward(card.id, reward.id, order=order.id)
    assert r.discount == crmlite.Money(Decimal("600.00"), "AMD")
    assert r.entry.reward == reward.id
    with pytest.raises(crmlite.ValidationError) as e:
        crm.redeem_points(card.id, 71)
    assert e.value.field == "points"
    with pytest.raises(crmlite.NotFoundError):
        crm.open_card(999, aram)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.create_program("x", "AMD", 1.5)  # type: ignore[arg-type]
    assert e.value.field == "point_value"
    clock.advance(timedelta(days=1))
    m = crm.program_metrics(program.id, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert (m.issued, m.redeemed, m.outstanding) == (110, 40, 70)
    assert m.liability == crmlite.Money(Decimal("70.00"), "AMD")
    assert [p.name for p in crm.programs()] == ["Դեղատուն Բոնուս"]


def _redeem_until_empty(path: str, card: int, worker: int) -> int:
    spent = 0
    with crmlite.open(path) as crm:
        i = 0
        while True:
            try:
                spent += -crm.redeem_points(card, 7, key=f"p{worker}-{i}").entry.points
            except crmlite.ValidationError:
                return spent
            except crmlite.BusyError:
                continue
            i += 1


def test_several_processes_redeeming_from_one_card_never_spend_a_point_twice() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = str(pathlib.Path(tmp) / "loyalty.crmlite")
        with crmlite.open(path) as crm:
            _, card, _ = pharmacy(crm)
            crm.adjust_points(card.id, 500, "սկզբնական մնացորդ")
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(4) as pool:
            spent = pool.starmap(_redeem_until_empty, [(path, card.id, w) for w in range(4)])
        assert sum(spent) == 500 - 500 % 7
        with crmlite.open(path) as crm:
            balance = crm.balance(card.id)
            assert (balance.available, balance.ledger_sum) == (500 % 7, 500 % 7)
