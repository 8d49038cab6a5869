"""Opening and closing, files, threads, the clock and the exception tree."""

from __future__ import annotations

import pathlib
import tempfile
import threading
from datetime import UTC, datetime, timedelta

import pytest
from conftest import START

import crmlite
from crmlite import errors


def test_context_manager_closes_and_use_after_close_raises() -> None:
    with crmlite.open(":memory:") as crm:
        crm.add_customer("Սոնա")
        assert not crm.closed
    assert crm.closed
    with pytest.raises(crmlite.Error) as caught:
        crm.list_customers()
    assert type(caught.value) is crmlite.Error
    assert "closed" in str(caught.value)
    crm.close()  # closing twice is fine


def test_context_manager_closes_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), crmlite.open(":memory:") as crm:
        raise RuntimeError("boom")
    assert crm.closed


def test_file_database_survives_reopen() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "shop.crmlite"
        with crmlite.open(path, synchronous="normal") as crm:
            c = crm.add_customer("Ἀλέξανδρος", phones=["+30 2310 123456"], tags=["θεσσαλονίκη"])
            crm.add_timeline_entry(c.id, "purchase", "Παραγγελία #42")
        with crmlite.open(str(path)) as crm:
            again = crm.customer(c.id)
            assert again == c
            assert [e.summary for e in crm.timeline(c.id).items] == ["Παραγγελία #42"]
            assert len(crm.changes_since(0)) == 2


def test_a_larger_page_cache_opens_the_same_database() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "φορτωση.crmlite"
        with crmlite.open(path, synchronous="normal", cache_mib=64) as crm:
            c = crm.add_customer("Նունե Հակոբյան", tags=["բեռնում"])
        with crmlite.open(path, cache_mib=1) as crm:
            assert crm.customer(c.id) == c


@pytest.mark.parametrize("in_memory", [False, True], ids=["file", "memory"])
def test_threads_share_one_handle(in_memory: bool) -> None:
    workers, each = 6, 15
    failures: list[BaseException] = []

    def work(crm: crmlite.Crm, n: int) -> None:
        try:
            for i in range(each):
                c = crm.add_customer(f"Վարդան {n}-{i}", phones=[f"+374 10 {n:02d}{i:04d}"])
                crm.add_timeline_entry(c.id, "note", f"Նշում {n}-{i}")
                assert crm.customer(c.id).name == c.name
                crm.search_customers(f"Վարդան {n}")
        except BaseException as e:  # reported to the main thread
            failures.append(e)

    with tempfile.TemporaryDirectory() as tmp:
        path = ":memory:" if in_memory else pathlib.Path(tmp) / "t.db"
        with crmlite.open(path) as crm:
            threads = [threading.Thread(target=work, args=(crm, n)) for n in range(workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert failures == []
            assert len(list(crm.iter_customers(page_size=7))) == workers * each
            seqs = [ch.seq for ch in crm.changes_since(0, limit=1000)]
            assert seqs == list(range(1, 2 * workers * each + 1))


def test_fixed_clock_drives_every_timestamp() -> None:
    clock = crmlite.FixedClock(START)
    with crmlite.open(":memory:", clock=clock) as crm:
        a = crm.add_customer("Ժաննա")
        clock.advance(timedelta(days=1, milliseconds=5))
        b = crm.add_customer("Զավեն")
        clock.set(datetime(2030, 6, 1, tzinfo=UTC))
        c = crm.add_customer("Հասմիկ")
    assert a.created_at == START
    assert b.created_at == START + timedelta(days=1, milliseconds=5)
    assert c.created_at == datetime(2030, 6, 1, tzinfo=UTC)
    assert clock.now() == datetime(2030, 6, 1, tzinfo=UTC)
    with pytest.raises(crmlite.ValidationError) as caught:
        crmlite.FixedClock(datetime(2026, 1, 1))
    assert caught.value.field == "at"
    with pytest.raises(crmlite.ValidationError) as caught:
        clock.advance(5)  # type: ignore[arg-type]
    assert caught.value.field == "delta"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"default_region": "Armenia"}, "default_region"),
        ({"synchronous": "off"}, "synchronous"),
        ({"cache_mib": 0}, "cache_mib"),
        ({"cache_mib": -16}, "cache_mib"),
        ({"cache_mib": 65537}, "cache_mib"),
        ({"cache_mib": 2**40}, "cache_mib"),
    ],
)
def test_bad_open_options(kwargs: dict, field: str) -> None:
    with pytest.raises(crmlite.ValidationError) as caught:
        crmlite.open(":memory:", **kwargs)
    assert caught.value.field == field


def test_a_file_that_is_not_a_database_is_a_storage_error() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "notes.txt"
        path.write_bytes(b"this is not a crmlite database\n" * 200)
        with pytest.raises(crmlite.StorageError) as caught:
            crmlite.open(path)
        assert caught.value.kind == "corrupt"
        with pytest.raises(crmlite.StorageError):
            crmlite.open(pathlib.Path(tmp) / "missing-dir" / "x.db")


EXPECTED_CLASSES = {
    "validation": errors.ValidationError,
    "not_found": errors.NotFoundError,
    "conflict": errors.ConflictError,
    "storage": errors.StorageError,
    "busy": errors.BusyError,
}


def test_every_error_kind_maps_to_its_own_class() -> None:
    samples = crmlite._crmlite.sample_errors()
    assert {kind for kind, _ in samples} == set(EXPECTED_CLASSES)
    for kind, exception in samples:
        assert exception is not None, f"no sample for error kind {kind}"
        assert type(exception) is EXPECTED_CLASSES[kind], kind
        assert isinstance(exception, crmlite.Error)
        assert str(exception)
    by_kind = dict(samples)
    validation = by_kind["validation"]
    assert isinstance(validation, crmlite.ValidationError)
    assert (validation.field, validation.reason) == ("phones[0]", "is not a phone number")
    not_found = by_kind["not_found"]
    assert isinstance(not_found, crmlite.NotFoundError)
    assert (not_found.kind, not_found.key) == ("customer", "42")
    storage, busy = by_kind["storage"], by_kind["busy"]
    assert isinstance(storage, crmlite.StorageError) and isinstance(busy, crmlite.StorageError)
    assert (storage.kind, busy.kind) == ("corrupt", "busy")


def test_exception_tree() -> None:
    assert issubclass(crmlite.ValidationError, ValueError)
    assert issubclass(crmlite.NotFoundError, LookupError)
    assert issubclass(crmlite.BusyError, crmlite.StorageError)
    for cls in (crmlite.ValidationError, crmlite.NotFoundError, crmlite.ConflictError, crmlite.StorageError):
        assert issubclass(cls, crmlite.Error)
    assert crmlite.errors.Error is crmlite.Error
