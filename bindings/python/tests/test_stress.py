"""Reliability from Python: many threads on one handle, several processes on one file, and no
`PanicException` (a `BaseException`) ever reaching the caller."""

from __future__ import annotations

import multiprocessing
import pathlib
import tempfile
import threading
from collections import Counter
from decimal import Decimal

import pytest

import crmlite
from crmlite import NewOrderLine

WORKERS = 8
EACH = 250
POINTS = 1000


def scarce_card(crm: crmlite.Crm) -> int:
    """A card holding exactly POINTS points."""
    program = crm.create_program("Ձմեռ", "AMD", Decimal("1"))
    customer = crm.add_customer("Աննա Հակոբյան", phones=["+374 10 123456"])
    card = crm.open_card(program.id, customer.id)
    crm.adjust_points(card.id, POINTS, "սկիզբ")
    return card.id


def redeem_one_by_one(crm: crmlite.Crm, card: int, worker: int) -> Counter[str]:
    """EACH one-point redemptions with unique keys; counts outcomes by kind."""
    outcome: Counter[str] = Counter()
    for i in range(EACH):
        try:
            crm.redeem_points(card, 1, key=f"w{worker}-{i}")
            outcome["ok"] += 1
        except crmlite.ValidationError as e:
            outcome["insufficient" if e.field == "points" else f"validation:{e.field}"] += 1
        except crmlite.Error as e:
            outcome[f"{type(e).__name__}: {e}"] += 1
    return outcome


def assert_exactly_spent(crm: crmlite.Crm, card: int, total: Counter[str]) -> None:
    assert total == Counter(ok=POINTS, insufficient=WORKERS * EACH - POINTS), total
    balance = crm.balance(card)
    assert (balance.available, balance.ledger_sum) == (0, 0)
    report = crm.verify()
    assert report.ok, report.failures


@pytest.mark.parametrize("in_memory", [True, False], ids=["memory", "file"])
def test_threads_on_one_handle_spend_exactly_the_points_there_are(in_memory: bool) -> None:
    """8 threads x 250 redemptions on a 1,000-point card, while other threads read and write."""
    with tempfile.TemporaryDirectory() as tmp:
        path = ":memory:" if in_memory else str(pathlib.Path(tmp) / "stress.crmlite")
        with crmlite.open(path) as crm:
            card = scarce_card(crm)
            results: list[Counter[str]] = []
            escaped: list[BaseException] = []
            stop = threading.Event()
            mixed: Counter[str] = Counter()

            def redeemer(worker: int) -> None:
                try:
                    results.append(redeem_one_by_one(crm, card, worker))
                except BaseException as e:  # noqa: BLE001 - anything else is the failure we look for
                    escaped.append(e)

            def mixer(worker: int) -> None:
                try:
                    n = 0
                    while not stop.is_set():
                        n += 1
                        c = crm.add_customer(f"Γιώργος {worker}-{n}", emails=[f"g{worker}.{n}@example.gr"])
                        assert crm.customer(c.id).name == f"Γιώργος {worker}-{n}"
                        crm.search_customers("γιωργος", limit=5)
                        crm.balance(card)
                        crm.changes_since(0, limit=20)
                        order = crm.record_order(
                            c.id, "AMD", [NewOrderLine("Հաց", 1, Decimal(500))], external_id=f"Ա-{worker}-{n}"
                        )
                        assert crm.order(order.id).customer == c.id
                        mixed["rounds"] += 1
                except BaseException as e:  # noqa: BLE001
                    escaped.append(e)

            redeemers = [threading.Thread(target=redeemer, args=(w,)) for w in range(WORKERS)]
            mixers = [threading.Thread(target=mixer, args=(w,)) for w in range(2)]
            for t in redeemers + mixers:
                t.start()
            for t in redeemers:
                t.join(timeout=300)
            stop.set()
            for t in mixers:
                t.join(timeout=60)
            assert not any(t.is_alive() for t in redeemers + mixers), "a thread hung"
            assert not escaped, escaped
            assert mixed["rounds"] > 0
            assert_exactly_spent(crm, card, sum(results, Counter()))


def _process_redeemer(path: str, card: int, worker: int) -> Counter[str]:
    with crmlite.open(path) as crm:
        return redeem_one_by_one(crm, card, worker)


def test_processes_on_one_file_spend_exactly_the_points_there_are() -> None:
    """8 processes x 250 one-point redemptions on one 1,000-point card."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(pathlib.Path(tmp) / "contention.crmlite")
        with crmlite.open(path) as crm:
            card = scarce_card(crm)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(WORKERS) as pool:
            results = pool.starmap(_process_redeemer, [(path, card, w) for w in range(WORKERS)])
        with crmlite.open(path) as crm:
            assert_exactly_spent(crm, card, sum(results, Counter()))


def test_the_checker_catches_a_double_spend() -> None:
    """The stress checker's self-check: counts that add up to more than the card held fail it."""
    with crmlite.open(":memory:") as crm:
        card = scarce_card(crm)
        crm.redeem_points(card, POINTS)
        with pytest.raises(AssertionError):
            assert_exactly_spent(crm, card, Counter(ok=POINTS + 1, insufficient=WORKERS * EACH - POINTS - 1))


def test_a_panic_inside_a_call_is_a_crmlite_error_and_the_handle_survives() -> None:
    """A bug that panics in Rust surfaces as `crmlite.StorageError` (kind `internal`), which
    `except Exception` catches; the write it interrupted is rolled back."""
    with crmlite.open(":memory:") as crm:
        before = crm.changes_since(0, limit=100)
        for _ in range(3):
            try:
                crmlite._crmlite._panic_in_write(crm._native)
            except Exception as e:  # noqa: BLE001 - the point: it is an Exception, not a BaseException
                caught = e
            else:
                pytest.fail("the hook did not fail")
            assert isinstance(caught, crmlite.StorageError), type(caught)
            assert caught.kind == "internal"
            assert "deliberate panic" in str(caught)
        assert crm.changes_since(0, limit=100) == before
        assert crm.add_customer("ნინო ბერიძე").name == "ნინო ბერიძე"
        assert crm.verify().ok


def test_panics_in_threads_never_escape_as_base_exceptions() -> None:
    with crmlite.open(":memory:") as crm:
        kinds: list[str] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(20):
                try:
                    crmlite._crmlite._panic_in_write(crm._native)
                except crmlite.Error as e:
                    with lock:
                        kinds.append(type(e).__name__)
                crm.add_customer("Μαρία")

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert kinds == ["StorageError"] * 80
        assert len(crm.search_customers("μαρια", limit=100)) == 80
        assert crm.verify().ok
