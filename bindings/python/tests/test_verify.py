"""verify(): a typed report that passes on healthy data and names what damaged data breaks."""

from __future__ import annotations

import dataclasses
import pathlib
import sqlite3
import tempfile

import pytest

import crmlite


def test_verify_passes_on_a_healthy_database(crm: crmlite.Crm) -> None:
    crm.add_customer("Ελένη Παπαδάκη", phones=["+30 210 1234567"])
    report = crm.verify()
    assert isinstance(report, crmlite.VerifyReport)
    assert report.ok
    assert report.failures == ()
    names = [c.name for c in report.checks]
    assert "change_feed_gap_free" in names
    assert "ledger_no_negative_balance" in names
    assert all(isinstance(c, crmlite.Check) and c.violations == 0 and c.detail == "" for c in report.checks)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.checks[0].violations = 1  # type: ignore[misc]


def test_verify_names_damage_made_behind_crmlite_s_back() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "shop.crmlite"
        with crmlite.open(path) as crm:
            for name in ["Γιώργος", "Მარიამ", "Պողոս"]:
                crm.add_customer(name)
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM changes WHERE seq = 2")
        conn.commit()
        conn.close()
        with crmlite.open(path) as crm:
            report = crm.verify()
            assert not report.ok
            assert [c.name for c in report.failures] == ["change_feed_gap_free"]
            assert report.failures[0].violations == 1
            assert report.failures[0].detail != ""


def test_verify_on_a_closed_database_raises(crm: crmlite.Crm) -> None:
    crm.close()
    with pytest.raises(crmlite.Error):
        crm.verify()
