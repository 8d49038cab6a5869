"""Timeline and change feed through the Python API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import START, snapshot

import crmlite
from crmlite import ChangeOp, InteractionKind


def test_timeline_pages_newest_first_without_gaps(crm: crmlite.Crm) -> None:
    c = crm.add_customer("Σταύρος Νικολάου")
    added = [
        crm.add_timeline_entry(c.id, "call", f"Κλήση {i}", at=START - timedelta(days=i), author="maria")
        for i in range(7)
    ]
    seen = []
    cursor = None
    pages = 0
    while True:
        page = crm.timeline(c.id, cursor=cursor, limit=3)
        pages += 1
        seen.extend(page.items)
        if page.next is None:
            break
        cursor = page.next
    assert pages == 3
    assert [e.id for e in seen] == [e.id for e in added]  # newest first: day 0, 1, 2, ...
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)
    assert seen[0].kind is InteractionKind.CALL and seen[0].author == "maria"


def test_entry_defaults_to_the_clock_and_takes_any_aware_zone(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    c = crm.add_customer("Զարուհի")
    clock.set(datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
    now_entry = crm.add_timeline_entry(c.id, InteractionKind.VISIT, "Այցելություն", body="Գնեց քսուք")
    assert now_entry.at == datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    tehran = datetime(2027, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=3, minutes=30)))
    entry = crm.add_timeline_entry(c.id, "sms", "پیامک", at=tehran)
    assert entry.at == datetime(2027, 1, 2, 6, 30, tzinfo=UTC)
    assert entry.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("call", "Κλήση"), {"at": datetime(2026, 1, 1)}, "at"),
        (("call", "Κλήση"), {"at": "2026-01-01T00:00:00Z"}, "at"),
        (("fax", "Κλήση"), {}, "kind"),
        (("call", "  "), {}, "summary"),
    ],
)
def test_bad_entry_names_the_field_and_changes_nothing(
    crm: crmlite.Crm, args: tuple, kwargs: dict, field: str
) -> None:
    c = crm.add_customer("Θεοδώρα")
    before = snapshot(crm), crm.timeline(c.id)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_timeline_entry(c.id, *args, **kwargs)
    assert caught.value.field == field
    assert (snapshot(crm), crm.timeline(c.id)) == before


def test_entry_for_a_missing_customer_is_not_found(crm: crmlite.Crm) -> None:
    with pytest.raises(crmlite.NotFoundError):
        crm.add_timeline_entry(77, "note", "Σημείωση")
    with pytest.raises(crmlite.NotFoundError):
        crm.timeline(77)
    assert crm.changes_since(0) == []


def test_organisation_timeline_includes_its_people(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    firm = crm.add_customer("ავეჯი თბილისი", kind="organisation")
    giorgi = crm.add_customer("გიორგი")
    crm.link_customer(giorgi.id, firm.id, role="მენეჯერი")
    clock.advance(timedelta(hours=1))
    crm.add_timeline_entry(giorgi.id, "meeting", "შეხვედრა")
    summaries = [e.summary for e in crm.timeline(firm.id).items]
    assert summaries[0] == "შეხვედრა"
    assert any(e.kind is InteractionKind.SYSTEM for e in crm.timeline(firm.id).items)


def test_python_interaction_kinds_match_the_native_list() -> None:
    assert [k.value for k in InteractionKind] == list(crmlite._crmlite.INTERACTION_KINDS)


def test_change_feed_is_in_commit_order(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    a = crm.add_customer("Արմեն")
    clock.advance(timedelta(seconds=1))
    b = crm.add_customer("Βασίλης")
    clock.advance(timedelta(seconds=1))
    crm.update_customer(a.id, version=a.version, language="hy")
    entry = crm.add_timeline_entry(b.id, "email", "Email")
    changes = crm.changes_since(0)
    assert [(ch.entity, ch.entity_id, ch.op) for ch in changes] == [
        ("customer", a.id, ChangeOp.INSERT),
        ("customer", b.id, ChangeOp.INSERT),
        ("customer", a.id, ChangeOp.UPDATE),
        ("timeline_entry", entry.id, ChangeOp.INSERT),
    ]
    assert [ch.seq for ch in changes] == list(range(changes[0].seq, changes[0].seq + 4))
    assert [ch.at for ch in changes] == [START, START + timedelta(seconds=1), *[START + timedelta(seconds=2)] * 2]
    assert crm.changes_since(changes[1].seq) == changes[2:]
    assert crm.changes_since(changes[0].seq, limit=2) == changes[1:3]
    assert crm.changes_since(changes[-1].seq) == []
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.changes_since(-1)
    assert caught.value.field == "cursor"


def test_every_timeline_entry_is_in_the_change_feed(crm: crmlite.Crm) -> None:
    firm = crm.add_customer("Մեծ Խանութ ՍՊԸ", kind="organisation")
    hayk = crm.add_customer("Հայկ")
    crm.link_customer(hayk.id, firm.id, role="գնորդ")
    crm.add_timeline_entry(hayk.id, "call", "Զանգ")
    entry_ids = {e.id for e in crm.timeline(firm.id).items}
    assert len(entry_ids) == 2  # the note about the link, one call
    fed = {ch.entity_id for ch in crm.changes_since(0) if ch.entity == "timeline_entry"}
    assert fed == entry_ids
