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
    assert [i.change.entity for i in items][:2] == ["directory_entry", "directory_entry"]
    assert items[0].type == "entry" and isinstance(items[0].record, crmlite.Entry)
    assert items[0].record.external_code == "pc"
    customer = next(i for i in items if i.type == "customer")
    assert isinstance(customer.record, crmlite.Customer) and customer.record.name == "Ελένη"
    mapping = next(i for i in items if i.type == "external_id")
    assert mapping.record == mapped
    crm.advance_sync_cursor("accounting", items[-1].change.seq)
    assert crm.sync_cursor("accounting") == items[-1].change.seq
    assert crm.sync_pull("accounting") == []
    assert crm.sync_pull_json("accounting") == b""
    with pytest.raises(crmlite.ValidationError):
        crm.advance_sync_cursor("accounting", 0)


def test_user_defined_kinds_and_external_id_listing(crm: crmlite.Crm) -> None:
    kind = crm.define_directory(
        "shelf",
        "Ράφια",
        [crmlite.FieldDef("capacity", "integer", True), crmlite.FieldDef("store", "reference:store")],
    )
    assert kind.fields == (crmlite.FieldDef("capacity", "integer", True), crmlite.FieldDef("store", "reference:store"))
    assert not kind.builtin
    assert "shelf" in [k.name for k in crm.directory_kinds()]
    with pytest.raises(crmlite.ConflictError):
        crm.define_directory("shelf", "again")
    with pytest.raises(crmlite.ValidationError) as e:
        crm.define_directory("rack", "Rack", [crmlite.FieldDef("size", "float")])
    assert e.value.field == "fields[0].type"
    crm.upsert_entry("store", "ATH-1", "Αθήνα")
    shelf, _ = crm.upsert_entry("shelf", "S-1", "Ράφι Α", fields={"capacity": "۱۲۰", "store": "ATH-1"})
    assert shelf.fields == {"capacity": 120, "store": "ATH-1"}
    crm.map_external_id("erp", "SH-1", "directory_entry", shelf.id)
    crm.map_external_id("pos", "77", "directory_entry", shelf.id)
    assert [(m.system, m.external_id) for m in crm.external_ids("directory_entry", shelf.id)] == [
        ("erp", "SH-1"),
        ("pos", "77"),
    ]
    crm.unmap_external_id("pos", "77")
    assert [m.system for m in crm.external_ids("directory_entry", shelf.id)] == ["erp"]
    with pytest.raises(crmlite.NotFoundError):
        crm.unmap_external_id("pos", "77")


def test_order_history_imports_once(crm: crmlite.Crm) -> None:
    crm.import_file("customers", "external_code,name\nGR-7,Ελένη Παπαδοπούλου\n".encode())
    data = (
        "receipt;customer;at;product;quantity;unit_price\n"
        "R-1;GR-7;07.12.2026 14:30;Ελαιόλαδο;2;12,50\n"
        "R-1;GR-7;07.12.2026 14:30;Μέλι;1;8,00\n"
    ).encode("cp1253")
    options = {"encoding": "windows-1253", "delimiter": ";", "currency": "EUR"}
    assert crm.import_file("orders", data, **options).inserted == 1
    order = crm.order_by_external_id("R-1")
    assert [(line.product, line.quantity) for line in order.lines] == [("Ελαιόλαδο", 2), ("Μέλι", 1)]
    before = snapshot(crm)
    assert crm.import_file("orders", data, **options).unchanged == 1
    assert snapshot(crm) == before
