"""Explicit transactions: ``with crm.transaction():`` and begin/commit/rollback."""

from __future__ import annotations

import pathlib
import threading
import time

import pytest

import crmlite
from conftest import snapshot

NAMES = ["Արմեն Սարգսյան", "ნინო ბერიძე", "Γιώργος Παπαδόπουλος", "مریم احمدی"]


def test_calls_in_a_with_block_are_committed_together(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "t.db"
    with crmlite.open(path) as crm, crmlite.open(path) as other:
        with crm.transaction() as tx:
            assert tx is crm
            assert crm.in_transaction
            ids = [crm.add_customer(f"{NAMES[i % 4]} {i}").id for i in range(20)]
            # The transaction's own reads see its writes; another handle does not.
            assert crm.customer(ids[2]).name == "Γιώργος Παπαδόπουλος 2"
            assert len(crm.search_customers("ნინო", limit=50)) == 5
            assert list(other.iter_customers()) == []
        assert not crm.in_transaction
        assert [c.id for c in other.iter_customers()] == ids
        assert [ch.entity_id for ch in other.changes_since(0, limit=100)] == ids
        assert other.verify().ok


def test_an_exception_rolls_the_block_back_and_is_re_raised(crm: crmlite.Crm) -> None:
    kept = crm.add_customer("Արմեն")
    before = snapshot(crm)
    with pytest.raises(KeyError, match="stop"):
        with crm.transaction():
            added = crm.add_customer("مریم")
            crm.add_timeline_entry(kept.id, "note", "Σημείωση")
            crm.add_timeline_entry(added.id, "call", "تماس")
            raise KeyError("stop")
    assert not crm.in_transaction
    assert snapshot(crm) == before
    assert crm.timeline(kept.id).items == ()
    with pytest.raises(crmlite.NotFoundError):
        crm.customer(added.id)


def test_a_failing_call_undoes_only_itself(crm: crmlite.Crm) -> None:
    with crm.transaction():
        first = crm.add_customer("Արմեն", external_code="C-1")
        with pytest.raises(crmlite.ConflictError):
            crm.add_customers([{"name": "ნინო"}, {"name": "Γιώργος"}, {"name": "مریم", "external_code": "C-1"}])
        with pytest.raises(crmlite.ValidationError) as bad:
            crm.add_customer("  ")
        assert bad.value.field == "name"
        last = crm.add_customer("Παπαδόπουλος")
    assert [c.name for c in crm.iter_customers()] == ["Արմեն", "Παπαδόπουλος"]
    assert [ch.entity_id for ch in crm.changes_since(0)] == [first.id, last.id]
    assert crm.verify().ok


def test_begin_commit_and_rollback_methods(crm: crmlite.Crm) -> None:
    crm.begin_transaction()
    crm.add_customer("ნინო ბერიძე")
    crm.rollback_transaction()
    assert list(crm.iter_customers()) == []
    crm.begin_transaction()
    c = crm.add_customer("Γιώργος")
    crm.commit_transaction()
    assert crm.customer(c.id).name == "Γιώργος"


def test_misuse_raises_a_validation_error_on_transaction(crm: crmlite.Crm) -> None:
    for call in (crm.commit_transaction, crm.rollback_transaction):
        with pytest.raises(crmlite.ValidationError) as e:
            call()
        assert e.value.field == "transaction"
        assert "no transaction is open" in str(e.value)
    with crm.transaction():
        with pytest.raises(crmlite.ValidationError, match="do not nest") as e:
            with crm.transaction():
                pass
        assert e.value.field == "transaction"
        # The refused nesting left the outer transaction open.
        assert crm.in_transaction
        crm.add_customer("Արմեն")
    assert len(list(crm.iter_customers())) == 1


def test_other_threads_read_committed_state_and_their_writes_wait(tmp_path: pathlib.Path) -> None:
    with crmlite.open(tmp_path / "t.db") as crm:
        crm.add_customer("Արմեն")
        seen: list[list[str]] = []
        done = threading.Event()

        def read() -> None:
            seen.append([c.name for c in crm.iter_customers()])

        def write() -> None:
            crm.add_customer("Γιώργος")
            done.set()

        with crm.transaction():
            crm.add_customer("ნინო")
            reader = threading.Thread(target=read)
            reader.start()
            reader.join()
            writer = threading.Thread(target=write)
            writer.start()
            # The writer waits without holding the GIL: this thread keeps running Python.
            time.sleep(0.3)
            assert not done.is_set()
            crm.add_customer("مریم")
        writer.join()
        assert seen == [["Արմեն"]]
        assert [c.name for c in crm.iter_customers()] == ["Արմեն", "ნინო", "مریم", "Γιώργος"]


def test_a_panic_inside_a_transaction_rolls_it_back(crm: crmlite.Crm) -> None:
    from crmlite import _crmlite

    crm.add_customer("Արմեն")
    with pytest.raises(crmlite.StorageError):
        with crm.transaction():
            crm.add_customer("ნინო")
            with pytest.raises(crmlite.StorageError, match="deliberate panic"):
                _crmlite._panic_in_write(crm._native)
            crm.add_customer("Γιώργος")  # refused: the transaction was rolled back
    assert not crm.in_transaction
    assert [c.name for c in crm.iter_customers()] == ["Արմեն"]
    with crm.transaction():
        crm.add_customer("مریم")
    assert len(list(crm.iter_customers())) == 2
