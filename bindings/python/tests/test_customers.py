"""Customers through the Python API: every script, every field, bad input, updates and links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from conftest import START, snapshot

import crmlite
from crmlite import Address, CustomerKind, Money


def test_add_customer_round_trips_every_field(crm: crmlite.Crm) -> None:
    seen = datetime(2026, 11, 30, 18, 45, 12, 345000, tzinfo=UTC)
    added = crm.add_customer(
        "Αναστασία Κωνσταντίνου",
        emails=["Anastasia@Example.GR", "info@example.gr"],
        phones=["+30 210 123 4567"],
        address=Address(line1="Οδός Ερμού 12", city="Αθήνα", postal_code="105 63", country="gr"),
        birthday=date(1988, 3, 25),
        language="el",
        tags=["vip", "newsletter"],
        attributes={
            "shoe_size": 38,
            "newsletter": True,
            "notes": "προτιμά SMS",
            "first_order": date(2020, 1, 15),
            "last_seen": seen,
            "credit": Money(Decimal("125.50"), "EUR"),
        },
        external_code="C-0001",
    )
    got = crm.customer(added.id)
    assert got == added
    assert got.kind is CustomerKind.PERSON
    assert got.primary_email == "Anastasia@example.gr"
    assert [e.primary for e in got.emails] == [True, False]
    assert got.primary_phone == "+302101234567"
    assert got.phones[0].raw == "+30 210 123 4567"
    assert got.address == Address(line1="Οδός Ερμού 12", city="Αθήνα", postal_code="105 63", country="GR")
    assert got.birthday == date(1988, 3, 25)
    assert got.tags == ("newsletter", "vip")
    assert got.attributes["shoe_size"] == 38 and type(got.attributes["shoe_size"]) is int
    assert got.attributes["newsletter"] is True
    assert got.attributes["first_order"] == date(2020, 1, 15)
    assert got.attributes["last_seen"] == seen.replace(microsecond=345000)
    assert got.attributes["last_seen"].tzinfo is not None
    assert got.attributes["credit"] == Money(Decimal("125.50"), "EUR")
    assert got.version == 1
    assert got.created_at == START and got.updated_at == START
    assert crm.customer_by_code("person", "C-0001").id == added.id
    assert [c.id for c in crm.customers_by_email("anastasia@EXAMPLE.gr")] == [added.id]


@pytest.mark.parametrize(
    ("kind", "name", "query"),
    [
        ("person", "ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ", "γιωργος"),
        ("person", "ᲜᲘᲜᲝ ბერიძე", "ნინო"),
        ("person", "علي رضایی", "علی"),
        ("person", "Արամ Պետրոսյան", "արամ"),
        ("organisation", "Möbel Straße GmbH", "strasse"),
        ("organisation", "Խանութ Մեծ", "ԽԱՆՈՒԹ"),
    ],
)
def test_search_finds_names_in_every_script(crm: crmlite.Crm, kind: str, name: str, query: str) -> None:
    crm.add_customer("Decoy Person")
    wanted = crm.add_customer(name, kind=kind)
    assert [c.id for c in crm.search_customers(query)] == [wanted.id]


def test_search_finds_a_phone_by_a_middle_fragment(crm: crmlite.Crm) -> None:
    crm.add_customer("Նարե Հակոբյան", phones=["+374 99 111222"])
    lilit = crm.add_customer("Լիլիթ Սարգսյան", phones=["+374 10 567890"])
    assert [c.id for c in crm.search_customers("056789")] == [lilit.id]
    assert [c.id for c in crm.customers_by_phone("+37410567890")] == [lilit.id]


def test_persian_digit_phone_with_default_region_ir() -> None:
    with crmlite.open(":memory:", default_region="IR") as crm:
        maryam = crm.add_customer("مریم احمدی", phones=["۰۹۱۲۳۴۵۶۷۸۹"])
        assert maryam.primary_phone == "+989123456789"
        assert maryam.phones[0].raw == "۰۹۱۲۳۴۵۶۷۸۹"
        assert [c.id for c in crm.customers_by_phone("0912 345 6789")] == [maryam.id]
        assert [c.id for c in crm.customers_by_phone("+98 912 345 6789")] == [maryam.id]
        assert [c.id for c in crm.search_customers("۳۴۵۶۷")] == [maryam.id]


NAIVE = datetime(2026, 1, 1, 12, 0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "Գևորգ", "phones": ["+374 10 12"]}, "phones[0]"),
        ({"name": "Γιάννης", "phones": ["+30 210 1234567", "not a phone"]}, "phones[1]"),
        ({"name": "   "}, "name"),
        ({"name": "ნინო", "emails": ["nino@"]}, "emails[0]"),
        ({"name": "ნინო", "kind": "robot"}, "kind"),
        ({"name": "ნინო", "attributes": {"last_seen": NAIVE}}, "attributes.last_seen"),
        ({"name": "ნინო", "attributes": {"discount": 0.15}}, "attributes.discount"),
        ({"name": "ნინო", "attributes": {"credit": Decimal("1.5")}}, "attributes.credit"),
        ({"name": "ნინო", "attributes": {"tags": ["a"]}}, "attributes.tags"),
        ({"name": "ნინო", "attributes": {"credit": Money(Decimal("1.005"), "EUR")}}, "attributes.credit.amount"),
        ({"name": "ნინო", "attributes": {"credit": Money(Decimal("1"), "EURO")}}, "attributes.credit.currency"),
        ({"name": "ნინო", "attributes": {"credit": Money(Decimal("NaN"), "EUR")}}, "attributes.credit.amount"),
        ({"name": "ნინო", "attributes": {"credit": Money(Decimal("1E30"), "EUR")}}, "attributes.credit.amount"),
        ({"name": "ნინო", "attributes": {"credit": Money(1.5, "EUR")}}, "attributes.credit.amount"),  # type: ignore
        ({"name": "ნინო", "birthday": datetime(1990, 1, 1, tzinfo=UTC)}, "birthday"),
        ({"name": "ნინო", "address": Address(country="Georgia")}, "address.country"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(crm: crmlite.Crm, kwargs: dict, field: str) -> None:
    crm.add_customer("Նունե Ավետիսյան", phones=["+374 10 111111"])
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_customer(**kwargs)
    assert caught.value.field == field
    assert caught.value.reason
    assert isinstance(caught.value, ValueError)
    assert snapshot(crm) == before


def test_money_is_exact_in_every_currency(crm: crmlite.Crm) -> None:
    attributes = {
        "dram": Money(Decimal("1500.00"), "AMD"),
        "dinar": Money(Decimal("1.234"), "BHD"),
        "yen": Money(Decimal("1200"), "JPY"),
        "whole": Money(7, "EUR"),  # type: ignore[arg-type]
        "debt": Money(Decimal("-0.01"), "GEL"),
        "long": Money(Decimal("1.10000000000000000000000000000000"), "EUR"),
    }
    c = crm.add_customer("Ռուզաննա", attributes=attributes)
    assert c.attributes["dram"] == Money(Decimal("1500.00"), "AMD")
    assert c.attributes["dinar"] == Money(Decimal("1.234"), "BHD")
    assert c.attributes["yen"] == Money(Decimal("1200"), "JPY")
    assert c.attributes["whole"] == Money(Decimal("7.00"), "EUR")
    assert c.attributes["debt"] == Money(Decimal("-0.01"), "GEL")
    assert c.attributes["long"] == Money(Decimal("1.10"), "EUR")
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_customer("x", attributes={"m": Money(Decimal("1.00000000000000000000000000001"), "EUR")})
    assert caught.value.field == "attributes.m.amount"


def test_a_single_string_is_not_a_list(crm: crmlite.Crm) -> None:
    with pytest.raises(TypeError):
        crm.add_customer("Σοφία", emails="sofia@example.gr")
    assert crm.list_customers().items == ()


def test_update_sets_clears_and_keeps(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    c = crm.add_customer(
        "Թամար",
        phones=["+374 10 222333"],
        language="hy",
        address=Address(city="Երևան", country="AM"),
        tags=["a"],
        attributes={"size": 40, "vip": True},
    )
    clock.advance(timedelta(minutes=5))
    u = crm.update_customer(
        c.id,
        version=c.version,
        name="Թամար Գրիգորյան",
        language=None,
        address=None,
        tags=["b", "c"],
        attributes={"vip": None, "city_card": "Y-77"},
    )
    assert u.version == c.version + 1
    assert u.name == "Թամար Գրիգորյան"
    assert u.language is None and u.address is None
    assert u.phones == c.phones  # not given: kept
    assert u.tags == ("b", "c")
    assert u.attributes == {"size": 40, "city_card": "Y-77"}
    assert u.updated_at == START + timedelta(minutes=5) and u.created_at == START
    assert crm.customer(c.id) == u
    cleared = crm.update_customer(c.id, version=u.version, phones=None)
    assert cleared.phones == () and cleared.primary_phone is None
    assert [ch.op for ch in crm.changes_since(0)] == ["insert", "update", "update"]


def test_stale_version_conflicts_and_changes_nothing(crm: crmlite.Crm) -> None:
    c = crm.add_customer("Ελένη")
    crm.update_customer(c.id, version=c.version, language="el")
    before = snapshot(crm)
    with pytest.raises(crmlite.ConflictError):
        crm.update_customer(c.id, version=c.version, name="Ελένη Β.")
    assert snapshot(crm) == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": None}, "name"),
        ({"emails": ["bad@"]}, "emails[0]"),
        ({"birthday": NAIVE}, "birthday"),
        ({"attributes": {"seen": NAIVE}}, "attributes.seen"),
        ({"attributes": {"ratio": 0.5}}, "attributes.ratio"),
        ({"attributes": None}, "attributes"),
    ],
)
def test_bad_update_names_the_field_and_changes_nothing(crm: crmlite.Crm, kwargs: dict, field: str) -> None:
    c = crm.add_customer("Ելենա", emails=["elena@example.am"], attributes={"ratio": 1})
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.update_customer(c.id, version=c.version, **kwargs)
    assert caught.value.field == field
    assert snapshot(crm) == before


def test_lookups_that_find_nothing(crm: crmlite.Crm) -> None:
    with pytest.raises(crmlite.NotFoundError) as caught:
        crm.customer(404)
    assert isinstance(caught.value, LookupError)
    assert (caught.value.kind, caught.value.key) == ("customer", "404")
    with pytest.raises(crmlite.NotFoundError):
        crm.customer_by_code("organisation", "NOPE")
    assert crm.customers_by_email("nobody@example.ge") == []
    assert crm.search_customers("ნინო") == []


def test_duplicate_external_code_conflicts(crm: crmlite.Crm) -> None:
    crm.add_customer("Ավագ ՍՊԸ", kind="organisation", external_code="ORG-1")
    before = snapshot(crm)
    with pytest.raises(crmlite.ConflictError):
        crm.add_customer("Ավագ ՍՊԸ 2", kind="organisation", external_code="ORG-1")
    assert snapshot(crm) == before
    person = crm.add_customer("Ավագ", external_code="ORG-1")  # codes are unique per kind
    assert person.external_code == "ORG-1"


def test_links_between_people_and_organisations(crm: crmlite.Crm) -> None:
    shop = crm.add_customer("Επιπλα Παπαδόπουλος ΑΕ", kind=CustomerKind.ORGANISATION)
    nikos = crm.add_customer("Νίκος")
    link = crm.link_customer(nikos.id, shop.id, role="αγοραστής")
    assert (link.person, link.organisation, link.role, link.created_at) == (nikos.id, shop.id, "αγοραστής", START)
    assert crm.customer_links(nikos.id) == [link]
    assert crm.customer_links(shop.id) == [link]
    with pytest.raises(crmlite.ConflictError):
        crm.link_customer(nikos.id, shop.id)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.link_customer(nikos.id, nikos.id)
    assert caught.value.field == "organisation"
    crm.unlink_customer(nikos.id, shop.id)
    assert crm.customer_links(nikos.id) == []
    with pytest.raises(crmlite.NotFoundError) as missing:
        crm.unlink_customer(nikos.id, shop.id)
    assert missing.value.kind == "customer_link"


def test_list_and_iterate_in_pages(crm: crmlite.Crm) -> None:
    names = ["Անի", "Բագրատ", "Գայանե", "Դավիթ", "Եվա"]
    ids = [crm.add_customer(n).id for n in names]
    first = crm.list_customers(limit=2)
    assert [c.id for c in first.items] == ids[:2] and first.next is not None
    second = crm.list_customers(cursor=first.next, limit=2)
    assert [c.id for c in second.items] == ids[2:4]
    assert [c.name for c in crm.iter_customers(page_size=2)] == names
    assert [c.id for c in crm.iter_customers(page_size=5)] == ids
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.iter_customers(page_size=0)
    assert caught.value.field == "limit"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.list_customers(cursor="not-a-cursor")
    assert caught.value.field == "cursor"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.search_customers("Անի", limit=-1)
    assert caught.value.field == "limit"


def test_records_are_frozen(crm: crmlite.Crm) -> None:
    c = crm.add_customer("Մարիամ")
    with pytest.raises(AttributeError):
        c.name = "x"  # type: ignore[misc]


def test_add_customers_stores_a_batch_in_order(crm: crmlite.Crm) -> None:
    ids = crm.add_customers(
        [
            {"name": "Արամ Պետրոսյան", "emails": ["aram@example.am"], "external_code": "AM-1"},
            {
                "name": "ნინო ბერიძე",
                "kind": CustomerKind.PERSON,
                "phones": ["+995 32 212 3456"],
                "address": Address(city="თბილისი", country="ge"),
                "birthday": date(1990, 5, 26),
                "tags": ["vip"],
                "attributes": {"credit": Money(Decimal("10.00"), "GEL")},
            },
            {"name": "شرکت پارس", "kind": "organisation", "language": "fa"},
        ]
    )
    assert len(ids) == 3
    got = [crm.customer(i) for i in ids]
    assert [c.name for c in got] == ["Արամ Պետրոսյան", "ნინო ბერიძე", "شرکت پارس"]
    assert got[0].external_code == "AM-1"
    assert got[1].primary_phone == "+995322123456"
    assert got[1].address is not None and got[1].address.city == "თბილისი"
    assert got[1].birthday == date(1990, 5, 26)
    assert got[1].attributes["credit"] == Money(Decimal("10.00"), "GEL")
    assert got[2].kind is CustomerKind.ORGANISATION
    assert crm.customers_by_email("aram@example.am") == [got[0]]
    assert crm.add_customers([]) == []


def test_add_customers_stores_nothing_when_one_item_is_bad(crm: crmlite.Crm) -> None:
    crm.add_customer("Ελένη Παπαδοπούλου", external_code="GR-1")
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as bad_phone:
        crm.add_customers([{"name": "Γιώργος"}, {"name": "Μαρία", "phones": ["not a phone"]}])
    assert bad_phone.value.field == "customers[1].phones[0]"
    with pytest.raises(crmlite.ValidationError) as unknown:
        crm.add_customers([{"name": "Γιώργος"}, {"name": "Μαρία", "mail": "m@example.gr"}])
    assert unknown.value.field == "customers[1].mail"
    with pytest.raises(crmlite.ValidationError) as nameless:
        crm.add_customers([{"emails": ["x@example.gr"]}])
    assert nameless.value.field == "customers[0].name"
    with pytest.raises(crmlite.ValidationError) as bad_attribute:
        crm.add_customers([{"name": "Γιώργος", "attributes": {"x": None}}])
    assert bad_attribute.value.field == "customers[0].attributes.x"
    with pytest.raises(crmlite.ConflictError):
        crm.add_customers([{"name": "Γιώργος"}, {"name": "Ελένη", "external_code": "GR-1"}])
    with pytest.raises(crmlite.ValidationError) as twice:
        crm.add_customers([{"name": "Α", "external_code": "X"}, {"name": "Β", "external_code": "X"}])
    assert twice.value.field == "customers[1].external_code"
    assert snapshot(crm) == before
