"""Shared fixtures: an in-memory database on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import crmlite

START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> crmlite.FixedClock:
    return crmlite.FixedClock(START)


@pytest.fixture
def crm(clock: crmlite.FixedClock) -> Iterator[crmlite.Crm]:
    with crmlite.open(":memory:", clock=clock) as db:
        yield db


def snapshot(db: crmlite.Crm) -> tuple[list[crmlite.Customer], list[crmlite.Change]]:
    """Everything a failed call must leave untouched: all customers and the whole change feed."""
    return list(db.iter_customers()), db.changes_since(0, limit=1000)
