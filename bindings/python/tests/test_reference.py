"""Directories, import, export, external ids and sync consumers through the Python API."""

from __future__ import annotations

from datetime import UTC, date, datetime
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


def _records_of_many_kinds(crm: crmlite.Crm) -> dict[str, int]:
    """A customer, an organisation, a deal, an order, a task, a loyalty card and an entry."""
    anahit = crm.add_customer("Անահիտ Սարգսյան")
    firm = crm.add_customer("ავეჯის სახლი", kind="organisation")
    stages = [crmlite.NewStage("Ζήτηση", 20), crmlite.NewStage("Κέρδος", kind=crmlite.StageKind.WON)]
    pipeline = crm.add_pipeline("Πωλήσεις", stages)
    deal = crm.add_deal(pipeline.id, "سفارش مبل", customer=anahit.id, amount=crmlite.Money(Decimal("1200"), "EUR"))
    order = crm.record_order(anahit.id, "AMD", [crmlite.NewOrderLine("Վիտամին C", 2, 2500)], external_id="ՉԵԿ-1")
    task = crm.add_task("Զանգել", due=datetime(2026, 12, 9, 9, tzinfo=UTC))
    program = crm.create_program("Դեղատուն", "AMD", 1)
    card = crm.open_card(program.id, anahit.id)
    entry, _ = crm.upsert_entry("unit", "pc", "հատ")
    return {
        "customer": anahit.id,
        "organisation": firm.id,
        "deal": deal.id,
        "order": order.id,
        "task": task.id,
        "loyalty_card": card.id,
        "directory_entry": entry.id,
    }


def test_external_ids_map_every_record_kind_both_ways(crm: crmlite.Crm) -> None:
    ids = _records_of_many_kinds(crm)
    for label, record_id in ids.items():
        kind = "customer" if label == "organisation" else label
        mapped = crm.map_external_id("1c", f"{label}-{record_id}", kind, record_id)
        crm.map_external_id("quickbooks", f"qb-{label}", kind, record_id)
        assert crm.resolve_external_id("1c", f"{label}-{record_id}") == mapped
        assert (mapped.entity, mapped.entity_id) == (kind, record_id)
        assert [m.system for m in crm.external_ids(kind, record_id)] == ["1c", "quickbooks"]
        found = crm.external_id_of("quickbooks", kind, record_id)
        assert found is not None and found.external_id == f"qb-{label}"
    assert crm.external_id_of("sap", "deal", ids["deal"]) is None


def test_external_id_errors_are_typed_and_change_nothing(crm: crmlite.Crm) -> None:
    ids = _records_of_many_kinds(crm)
    crm.map_external_id("erp", "INV-7", "order", ids["order"])
    before = snapshot(crm)
    with pytest.raises(crmlite.NotFoundError):
        crm.map_external_id("erp", "X", "deal", 987654)
    with pytest.raises(crmlite.NotFoundError):
        crm.external_ids("loyalty_card", 987654)
    with pytest.raises(crmlite.ConflictError) as conflict:
        crm.map_external_id("erp", "INV-7", "deal", ids["deal"])
    assert "external_id" in str(conflict.value)
    with pytest.raises(crmlite.ValidationError) as bad:
        crm.map_external_id("erp", "L-1", "customer_link", ids["customer"])
    assert bad.value.field == "entity"
    with pytest.raises(crmlite.ValidationError) as bad:
        crm.map_external_id("erp", "L-1", "invoice", ids["order"])
    assert bad.value.field == "entity"
    assert snapshot(crm) == before


def test_sync_pull_carries_orders_deals_and_every_other_kind(crm: crmlite.Crm) -> None:
    ids = _records_of_many_kinds(crm)
    crm.delete_entry("unit", "pc")
    items = crm.sync_pull("accounting", limit=1000)
    assert len(items) == len(crm.changes_since(0, limit=1000))
    order = next(i for i in items if i.type == "order")
    assert isinstance(order.record, crmlite.Order) and order.record.external_id == "ՉԵԿ-1"
    assert order.record.lines[0].product == "Վիտամին C"
    deal = next(i for i in items if i.type == "deal")
    assert isinstance(deal.record, crmlite.Deal) and deal.record.id == ids["deal"]
    card = next(i for i in items if i.type == "loyalty_card")
    assert isinstance(card.record, dict) and card.record["id"] == ids["loyalty_card"]
    task = next(i for i in items if i.type == "task")
    assert isinstance(task.record, dict) and task.record["title"] == "Զանգել"
    assert items[-1].type == "tombstone" and items[-1].record is None
    types = {i.type for i in items}
    assert {"customer", "pipeline", "stage", "timeline_entry", "loyalty_program"} <= types


def test_directory_kind_entry_by_id_and_product_price(crm: crmlite.Crm) -> None:
    product = crm.directory_kind("product")
    assert product.builtin and "price" in [f.name for f in product.fields]
    with pytest.raises(crmlite.NotFoundError):
        crm.directory_kind("warehouse")
    crm.define_directory("warehouse", "Αποθήκη", [crmlite.FieldDef("city", "text")])
    assert crm.directory_kind("warehouse").label == "Αποθήκη"
    crm.upsert_entry("product", "SOAP", "صابون", fields={"price": "۲٫۵۰ EUR"})
    crm.upsert_entry("price_list", "RETAIL", "Λιανική", fields={"currency": "EUR"})
    crm.upsert_entry(
        "price",
        "RETAIL-SOAP",
        "Σαπούνι λιανική",
        fields={"price_list": "RETAIL", "product": "SOAP", "price": "2,80 EUR", "valid_from": "01.12.2026"},
    )
    soap = crm.entry_by_code("product", "SOAP")
    assert crm.entry(soap.id) == soap
    assert crm.product_price("RETAIL", "SOAP", date(2026, 12, 7)) == crmlite.Money(Decimal("2.80"), "EUR")
    assert crm.product_price("RETAIL", "SOAP", date(2026, 11, 7)) is None
    with pytest.raises(crmlite.NotFoundError):
        crm.product_price("RETAIL", "NOPE", date(2026, 12, 7))


def test_reimporting_orders_records_no_change(crm: crmlite.Crm) -> None:
    crm.import_file("customers", "external_code,name\nIR-1,شیرین احمدی\n".encode())
    data = "receipt,customer,currency,product,quantity,unit_price\nف-۱,IR-1,IRR,چای,۲,۱۲۰٬۰۰۰\n".encode()
    assert crm.import_file("orders", data).inserted == 1
    seqs = crm.changes_since(0, limit=1000)
    again = crm.import_file("orders", data)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    assert crm.changes_since(0, limit=1000) == seqs


def test_changes_export_as_windows_1251_csv(crm: crmlite.Crm) -> None:
    ivan = crm.add_customer("Иван Петров")
    data = crm.export_changes("1c", encoding="windows-1251", delimiter=";")
    lines = data.decode("cp1251").splitlines()
    assert lines[0] == "seq;at;op;entity;entity_id;type;record"
    assert lines[1].startswith(f"1;2026-12-07T10:00:00.000Z;insert;customer;{ivan.id};customer;")
    assert "Иван Петров" in lines[1]
    assert crm.sync_cursor("1c") == 0
    assert crm.export_changes("1c", format="jsonl") == crm.sync_pull_json("1c")
    crm.add_customer("Նարեկ")
    with pytest.raises(crmlite.ValidationError) as e:
        crm.export_changes("1c", encoding="windows-1251")
    assert e.value.field == "changes[2]"


def test_armscii8_and_windows_1251_files_made_by_the_test(crm: crmlite.Crm) -> None:
    # Ասպիրին in ARMSCII-8 (Python has no codec for it), with a decimal comma and a thousands space.
    armscii = b"external_code;name;price\nA-100;\xb2\xeb\xe5\xc7\xf1\xc7\xdd;1 250,50\n"
    options = {"encoding": "armscii-8", "delimiter": ";", "currency": "AMD"}
    assert crm.import_file("product", armscii, **options).inserted == 1
    assert crm.entry_by_code("product", "A-100").name == "Ասպիրին"
    units = "external_code\tname\nkg\tКилограмм\n".encode("cp1251")
    assert crm.import_file("unit", units, encoding="windows-1251", delimiter="\t").inserted == 1
    assert crm.entry_by_code("unit", "kg").name == "Килограмм"
    before = snapshot(crm)
    assert crm.import_file("product", armscii, **options).unchanged == 1
    assert crm.import_file("unit", units, encoding="windows-1251", delimiter="\t").unchanged == 1
    assert snapshot(crm) == before


def _people(n: int) -> bytes:
    names = ["Արամ", "ნინო", "Ελένη", "پریسا"]
    rows = "".join(f"P-{i},{names[i % 4]} {i}\n" for i in range(n))
    return ("external_code,name\n" + rows).encode()


def test_an_import_reports_progress_and_the_same_report(crm: crmlite.Crm) -> None:
    seen: list[crmlite.ImportProgress] = []
    data = _people(10)
    report = crm.import_file("customers", data, progress=seen.append, progress_every=3)
    assert report.inserted == 10
    assert [p.rows_read for p in seen if not p.read_done] == [3, 6, 9]
    assert [(p.written, p.to_write) for p in seen if p.read_done] == [(0, 0), (3, 10), (6, 10), (9, 10), (10, 10)]
    assert all(p.bytes_total == len(data) for p in seen)
    assert seen[-1].bytes_read == len(data)
    with crmlite.open(":memory:") as plain, crmlite.open(":memory:") as watched:
        assert plain.import_file("customers", data) == watched.import_file("customers", data, progress=lambda p: None)


def test_an_exception_from_the_progress_callback_stops_the_import(crm: crmlite.Crm) -> None:
    class Stop(Exception):
        pass

    calls: list[crmlite.ImportProgress] = []

    def stop_while_writing(p: crmlite.ImportProgress) -> None:
        calls.append(p)
        if p.written >= 4:
            raise Stop("enough")

    before = snapshot(crm)
    with pytest.raises(Stop):
        crm.import_file("customers", _people(10), progress=stop_while_writing, progress_every=2)
    assert calls[-1].written == 4
    assert snapshot(crm) == before


def test_an_empty_file_is_refused_naming_file(crm: crmlite.Crm) -> None:
    before = snapshot(crm)
    for kind in ["product", "customers", "orders"]:
        for data, fmt in [(b"", "csv"), (b"\n\n", "csv"), (b"", "jsonl")]:
            with pytest.raises(crmlite.ValidationError) as e:
                crm.import_file(kind, data, format=fmt)
            assert e.value.field == "file"
    assert snapshot(crm) == before


def test_known_products_rejects_order_lines_naming_no_active_product(crm: crmlite.Crm) -> None:
    crm.import_file("customers", "external_code,name\nIR-1,شیرین احمدی\n".encode())
    crm.upsert_entry("product", "چای", "چای سبز")
    crm.upsert_entry("product", "Μέλι", "Μέλι θυμαρίσιο")
    crm.set_entry_archived("product", "Μέλι")
    data = (
        "receipt,customer,currency,product,quantity,unit_price\n"
        "R-1,IR-1,EUR,چای,1,2\n"
        "R-2,IR-1,EUR,ღვინო,1,9\n"
        "R-3,IR-1,EUR,Μέλι,1,8\n"
    ).encode()
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.import_file("orders", data, known_products=True)
    assert e.value.field == "line[3].product"
    assert "ღვინო" in str(e.value)
    assert snapshot(crm) == before
    report = crm.import_file("orders", data, known_products=True, skip_bad_rows=True)
    assert report.inserted == 1
    assert [(r.line, r.field) for r in report.rejected] == [(3, "product"), (4, "product")]
    assert "archived" in report.rejected[1].reason
    with pytest.raises(crmlite.NotFoundError):
        crm.order_by_external_id("R-2")
    # Off by default: free text is taken.
    assert crm.import_file("orders", data).inserted == 2
