"""Directories, import, export, external ids and sync consumers through the Python API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import snapshot

import crmlite


def test_a_windows_1253_shop_file_imports_once_and_round_trips(crm: crmlite.Crm) -> None:
    text = "external_code;name;price;tax_rate\nΕ-1;Κρέμα χεριών;1.234,56;24%\nΕ-2;Σαπούνι;3,5;24\n"
    data = text.encode("cp1253")
    report = crm.import_file("product", data, encoding="windows-1253", delimiter=";", currency="EUR")
    assert (report.inserted, report.fast_path) == (2, True)
    cream = crm.entry_by_code("product", "Ε-1")
    assert cream.fields["price"] == (Decimal("1234.56"), "EUR")
    assert cream.fields["tax_rate"] == Decimal("24.00")
    before = snapshot(crm)
    again = crm.import_file("product", data, encoding="windows-1253", delimiter=";", currency="EUR")
    assert (again.unchanged, again.inserted, again.updated) == (2, 0, 0)
    assert snapshot(crm) == before
    exported = crm.export_directory("product", encoding="windows-1253", delimiter=";", decimal_comma=True)
    with crmlite.open(":memory:") as copy:
        copy.import_file("product", exported, encoding="windows-1253", delimiter=";")
        assert copy.export_directory("product", encoding="windows-1253", delimiter=";", decimal_comma=True) == exported


def test_a_bad_row_raises_with_its_line_and_changes_nothing(crm: crmlite.Crm) -> None:
    data = "external_code,name,price\nP-1,Ok,1\nP-2,Bad,12x\n".encode()
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.import_file("product", data, currency="EUR")
    assert e.value.field == "line[3].price"
    assert snapshot(crm) == before
    report = crm.import_file("product", data, currency="EUR", skip_bad_rows=True)
    assert report.inserted == 1
    assert report.rejected == (crmlite.RejectedRow(3, "price", report.rejected[0].reason),)


def test_entries_external_ids_and_a_sync_consumer(crm: crmlite.Crm) -> None:
    crm.upsert_entry("unit", "pc", "τεμάχιο")
    entry, outcome = crm.upsert_entry("product", "SOAP", "Σαπούνι", fields={"unit": "pc", "price": "2,50 EUR"})
    assert outcome == "inserted"
    assert crm.upsert_entry("product", "SOAP", "Σαπούνι", fields={"unit": "pc", "price": "2.50 EUR"})[1] == "unchanged"
    with pytest.raises(crmlite.ConflictError):
        crm.delete_entry("unit", "pc")
    assert crm.set_entry_archived("product", "SOAP").archived
    assert crm.list_entries("product").items == ()
    customers = crm.import_file("customers", "external_code,name,email\nK-1,Ελένη,eleni@example.gr\n".encode())
    assert customers.inserted == 1
    mapped = crm.map_external_id("erp", "C-100", "directory_entry", entry.id)
    assert crm.resolve_external_id("erp", "C-100") == mapped
    assert crm.resolve_external_id("erp", "nope") is None
    items = crm.sync_pull("accounting", limit=100)
    assert [i["change"]["entity"] for i in items][:2] == ["directory_entry", "directory_entry"]
    crm.advance_sync_cursor("accounting", items[-1]["change"]["seq"])
    assert crm.sync_cursor("accounting") == items[-1]["change"]["seq"]
    assert crm.sync_pull("accounting") == []
    with pytest.raises(crmlite.ValidationError):
        crm.advance_sync_cursor("accounting", 0)
