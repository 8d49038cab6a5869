"""Templates, tasks, triggers, the outbox and consent through the Python API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import START, snapshot

import crmlite
from crmlite import (
    AddTag,
    AwardPoints,
    Channel,
    CreateTask,
    CustomerCreated,
    DateReached,
    InteractionKind,
    MessageStatus,
    NewOrderLine,
    NoPurchaseFor,
    PointsExpiring,
    PointsMilestone,
    PurchaseRecorded,
    Purpose,
    QueueMessage,
    TaskStatus,
    TemplateFormat,
    TemplateKind,
    TierChanged,
    TimelineEntryRecorded,
)

GREETING = (
    "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', 'ka': 'გილოცავ დაბადების დღეს', "
    "'el': 'Χρόνια πολλά', 'fa': 'تولدت مبارک', 'en': 'Happy birthday'} %}"
    "{{ greet[customer.language[:2]] }}, {{ customer.first_name }}! {{ today|date }}: "
    "{{ 1500|number }} {{ money(bonus, 'EUR') }}"
)

PEOPLE = [
    ("Արամ Սարգսյան", "hy-AM", "+374 10 123456", "Շնորհավոր ծնունդդ, Արամ! 7 դեկտեմբերի 2026 թ.: 1\u00a0500 500,00\u00a0€"),
    ("ნინო ბერიძე", "ka", "+995 599 12 34 56", "გილოცავ დაბადების დღეს, ნინო! 7 დეკემბერი 2026: 1\u00a0500 500,00\u00a0€"),
    ("Γιώργος Παπαδόπουλος", "el", "+30 210 1234567", "Χρόνια πολλά, Γιώργος! 7 Δεκεμβρίου 2026: 1.500 500,00\u00a0€"),
    ("شیرین احمدی", "fa-IR", "+98 912 345 6789", "تولدت مبارک, شیرین! ۷ دسامبر ۲۰۲۶: ۱٬۵۰۰ ۵۰۰٫۰۰\u00a0€"),
    ("Ann Smith", "en", "+44 20 7946 0000", "Happy birthday, Ann! 7 December 2026: 1,500 €500.00"),
]


def _person(crm: crmlite.Crm, name: str, language: str, phone: str) -> crmlite.Customer:
    return crm.add_customer(name, language=language, phones=[phone], birthday=date(1990, 12, 7))


def _state(crm: crmlite.Crm) -> tuple[object, ...]:
    """Everything a refused call must leave untouched."""
    return snapshot(crm), crm.outbox_messages(limit=1000), crm.templates()


def test_birthday_greeting_renders_in_five_languages(crm: crmlite.Crm) -> None:
    template = crm.save_template("birthday_sms", GREETING, kind=TemplateKind.SMS)
    assert (template.kind, template.format, template.version) == (TemplateKind.SMS, TemplateFormat.TEXT, 1)
    rendered = {}
    for name, language, phone, expected in PEOPLE:
        c = _person(crm, name, language, phone)
        rendered[language] = crm.render_template("birthday_sms", customer=c.id, vars={"bonus": 50000})
        assert rendered[language] == expected
    # Persian digits only in Persian; right-to-left text is passed through without bidi controls.
    persian = rendered["fa-IR"]
    assert "۲۰۲۶" in persian and "2026" not in persian
    assert not any(ch in persian for ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e")


def test_birthday_trigger_queues_each_greeting_once(crm: crmlite.Crm) -> None:
    crm.save_template("birthday_sms", GREETING.replace("money(bonus, 'EUR')", "money(50000, 'EUR')"), kind="sms")
    ids = {}
    for name, language, phone, expected in PEOPLE:
        c = _person(crm, name, language, phone)
        crm.record_consent(c.id, channel=Channel.SMS, purpose=Purpose.MARKETING, granted=True, source="till", text_version="v1")
        ids[c.id] = expected
    trigger = crm.add_trigger(
        "birthday", DateReached.birthday("Asia/Yerevan"), QueueMessage(Channel.SMS, Purpose.MARKETING, "birthday_sms")
    )
    assert crm.triggers() == [trigger]
    assert trigger.event == DateReached("birthday", 0, "Asia/Yerevan")
    assert trigger.action == QueueMessage(Channel.SMS, Purpose.MARKETING, "birthday_sms", None)

    assert crm.run_due(START - timedelta(days=1)).fired == 0
    report = crm.run_due(START)
    assert (report.fired, report.queued, report.skipped) == (5, 5, 0)
    queued = crm.outbox_messages()
    assert {m.customer: m.body for m in queued} == ids
    assert all(m.recipient.startswith("+") and m.status is MessageStatus.PENDING for m in queued)

    before = _state(crm)
    assert crm.run_due(START) == crmlite.RunReport(0, 0, 0, 0, 0)
    assert _state(crm) == before
    runs = crm.trigger_runs(trigger.id)
    assert len(runs) == 5 and all(r.occurrence == "2026-12-07" for r in runs)


def test_a_template_that_loops_forever_is_stopped_by_fuel(crm: crmlite.Crm) -> None:
    forever = "Γεια\n{% for a in range(100000) %}{% for b in range(100000) %}{{ a * b }}{% endfor %}{% endfor %}"
    crm.save_template("forever", forever, kind="letter")
    c = _person(crm, "Ελένη Γεωργίου", "el", "+30 210 1234567")
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.render_template("forever", customer=c.id)
    assert caught.value.field == "templates.forever.template"
    assert "line 2" in caught.value.reason and "out of fuel" in caught.value.reason
    before = _state(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.queue_message(c.id, "forever", channel="sms", purpose="service")
    assert caught.value.field.startswith("templates.forever")
    assert _state(crm) == before


def test_bad_templates_name_the_field_and_line_and_change_nothing(crm: crmlite.Crm) -> None:
    before = _state(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.save_template("broken", "ok\n{% for x in %}\n", kind="contract")
    assert caught.value.field == "body" and "line 2" in caught.value.reason
    for kwargs, field in [({"kind": "fax"}, "kind"), ({"kind": "sms", "format": "pdf"}, "format")]:
        with pytest.raises(crmlite.ValidationError) as caught:
            crm.save_template("t", "x", **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.save_template("Bad Code", "x", kind="sms")
    assert caught.value.field == "code"
    assert _state(crm) == before
    with pytest.raises(crmlite.NotFoundError):
        crm.template("broken")

    crm.save_template("letter", "Dear {{ customer.name }},\n{{ customer.nickname }}", kind="letter")
    c = _person(crm, "Արամ Սարգսյան", "hy", "+374 10 123456")
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.render_template("letter", customer=c.id)
    assert "line 2" in caught.value.reason and "customer.nickname" in caught.value.reason
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.render_template("letter", customer=c.id, vars={"price": 1.5})
    assert caught.value.field == "vars.price"

    updated = crm.save_template("letter", "Dear {{ customer.name }}, {{ order.items[0] }}", kind="letter")
    assert updated.version == 2 and crm.template("letter") == updated
    assert [t.code for t in crm.templates()] == ["letter"]
    out = crm.render_template("letter", customer=c.id, vars={"order": {"items": ["Քսուք", 2]}})
    assert out == "Dear Արամ Սարգսյան, Քսուք"


def test_html_templates_escape_values(crm: crmlite.Crm) -> None:
    crm.save_template("body", "<p>{{ note }} {{ day|date }}</p>", kind=TemplateKind.EMAIL_BODY, format=TemplateFormat.HTML)
    out = crm.render_template("body", vars={"note": "<b>Γιώργος & Co</b>", "day": date(2026, 12, 24)})
    assert out == "<p>&lt;b&gt;Γιώργος &amp; Co&lt;&#x2f;b&gt; 24 December 2026</p>"


def _receipt(crm: crmlite.Crm) -> crmlite.OutboxMessage:
    crm.save_template("receipt", "مرسی، {{ customer.first_name }}", kind="sms")
    c = _person(crm, "شیرین احمدی", "fa", "+98 912 345 6789")
    return crm.queue_message(c.id, "receipt", channel=Channel.SMS, purpose=Purpose.SERVICE)


def test_outbox_lease_expires_and_the_message_is_claimed_again_then_acked(
    crm: crmlite.Crm, clock: crmlite.FixedClock
) -> None:
    message = _receipt(crm)
    assert (message.status, message.recipient, message.attempts) == (MessageStatus.PENDING, "+989123456789", 0)
    first = crm.claim_messages(10, lease=timedelta(seconds=30))
    assert [c.message.id for c in first] == [message.id]
    assert first[0].message.status is MessageStatus.CLAIMED
    assert first[0].message.lease_until == START + timedelta(seconds=30)
    assert crm.claim_messages(10, lease=timedelta(seconds=30)) == []

    clock.advance(timedelta(seconds=30))
    second = crm.claim_messages(10, lease=timedelta(seconds=30))
    assert [c.message.id for c in second] == [message.id]
    assert second[0].token != first[0].token and second[0].message.attempts == 2

    sent = crm.ack_message(message.id, second[0].token)
    assert sent.status is MessageStatus.SENT
    before = _state(crm)
    assert crm.ack_message(message.id, second[0].token) == sent  # a second ack is a no-op
    assert _state(crm) == before
    clock.advance(timedelta(hours=1))
    assert crm.claim_messages(10, lease=timedelta(seconds=30)) == []


def test_a_wrong_token_is_a_conflict_and_changes_nothing(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    message = _receipt(crm)
    claim = crm.claim_messages(1, lease=timedelta(minutes=1))[0]
    before = _state(crm)
    for token in ["nonsense", claim.token + "x"]:
        with pytest.raises(crmlite.ConflictError):
            crm.ack_message(message.id, token)
        with pytest.raises(crmlite.ConflictError):
            crm.fail_message(message.id, token, error="x")
    with pytest.raises(crmlite.NotFoundError):
        crm.ack_message(999, claim.token)
    assert _state(crm) == before
    assert crm.outbox_message(message.id).status is MessageStatus.CLAIMED

    failed = crm.fail_message(message.id, claim.token, retry_after=timedelta(seconds=5), error="gateway timeout")
    assert (failed.status, failed.last_error) == (MessageStatus.PENDING, "gateway timeout")
    assert crm.claim_messages(1, lease=timedelta(minutes=1)) == []
    clock.advance(timedelta(seconds=5))
    again = crm.claim_messages(1, lease=timedelta(minutes=1))[0]
    assert again.message.id == message.id
    with pytest.raises(crmlite.ConflictError):
        crm.ack_message(message.id, claim.token)  # the first claim's token is stale
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.claim_messages(1, lease=timedelta(0))
    assert caught.value.field == "lease_ms"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.claim_messages(1, lease=30)  # type: ignore[arg-type]
    assert caught.value.field == "lease"


def test_consent_blocks_marketing_but_not_service_messages(crm: crmlite.Crm) -> None:
    crm.save_template("offer", "Προσφορά για {{ customer.first_name }}", kind="sms")
    eleni = _person(crm, "Ελένη Γεωργίου", "el", "+30 210 1234567")
    before = _state(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.queue_message(eleni.id, "offer", channel="sms", purpose="marketing")
    assert caught.value.field == "consent"
    assert _state(crm) == before
    receipt = crm.queue_message(eleni.id, "offer", channel="sms", purpose="service")
    assert receipt.body == "Προσφορά για Ελένη"

    consent = crm.record_consent(
        eleni.id, channel=Channel.SMS, purpose=Purpose.MARKETING, granted=True, source="web-form", text_version="v3"
    )
    assert (consent.granted, consent.at, consent.text_version) == (True, START, "v3")
    offer = crm.queue_message(eleni.id, "offer", channel="sms", purpose="marketing", dedupe_key="offer-dec")
    assert crm.queue_message(eleni.id, "offer", channel="sms", purpose="marketing", dedupe_key="offer-dec") == offer

    crm.record_consent(eleni.id, channel="sms", purpose="marketing", granted=False, source="phone call")
    assert crm.outbox_message(offer.id).status is MessageStatus.CANCELLED
    assert crm.outbox_message(receipt.id).status is MessageStatus.PENDING
    assert [m.id for m in crm.outbox_messages(status="pending")] == [receipt.id]
    current = crm.consents(eleni.id)
    assert [(c.channel, c.purpose, c.granted, c.source) for c in current] == [
        (Channel.SMS, Purpose.MARKETING, False, "phone call")
    ]
    assert len(crm.consent_history(eleni.id)) == 2
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.record_consent(eleni.id, channel="post", purpose="marketing", granted=True, source="web")
    assert caught.value.field == "text_version"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.record_consent(eleni.id, channel="pigeon", purpose="marketing", granted=True, source="web")
    assert caught.value.field == "channel"
    assert len(crm.consent_history(eleni.id)) == 2


def test_tasks_recur_and_due_and_overdue_follow_the_clock(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    nino = _person(crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56")
    # 2026-12-03 is a Thursday.
    first = crm.add_task(
        "დაურეკე ნინოს",
        due=datetime(2026, 12, 3, 9, tzinfo=UTC),
        assignee="levan",
        customer=nino.id,
        recurrence="FREQ=WEEKLY;BYDAY=MO,TH;COUNT=2",
    )
    assert (first.status, first.occurrence, first.recurrence) == (TaskStatus.OPEN, 1, "FREQ=WEEKLY;COUNT=2;BYDAY=MO,TH")
    second = crm.complete_task(first.id)
    assert second is not None
    assert (second.due, second.occurrence, second.customer) == (datetime(2026, 12, 7, 9, tzinfo=UTC), 2, nino.id)
    assert crm.task(first.id).status is TaskStatus.DONE
    assert crm.complete_task(second.id) is None
    with pytest.raises(crmlite.ConflictError):
        crm.complete_task(second.id)

    call = crm.add_task("Call Արամ", due=datetime(2026, 12, 8, 12, tzinfo=UTC), assignee="ani", record="deal:17")
    visit = crm.add_task("Visit", due=datetime(2026, 12, 12, 12, tzinfo=UTC), assignee="levan")
    clock.set(datetime(2026, 12, 9, tzinfo=UTC))
    end = datetime(2026, 12, 31, tzinfo=UTC)
    assert [t.id for t in crm.overdue_tasks()] == [call.id]
    assert [t.id for t in crm.due_tasks(end)] == [call.id, visit.id]
    assert [t.id for t in crm.due_tasks(end, assignee="levan")] == [visit.id]
    assert crm.cancel_task(visit.id).status is TaskStatus.CANCELLED
    assert [t.id for t in crm.due_tasks(end)] == [call.id]

    before = _state(crm)
    for kwargs, field in [
        ({"due": datetime(2026, 12, 9)}, "due"),
        ({"due": end, "recurrence": "FREQ=HOURLY"}, "recurrence"),
        ({"due": end, "customer": 999}, "customer"),
        ({"due": end, "record": "deal"}, "record"),
    ]:
        with pytest.raises(crmlite.ValidationError) as caught:
            crm.add_task("x", **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field
    assert _state(crm) == before


def test_event_triggers_tag_and_create_tasks(crm: crmlite.Crm) -> None:
    tag = crm.add_trigger("welcome", CustomerCreated(), AddTag("new"))
    task = crm.add_trigger(
        "complaint", TimelineEntryRecorded(InteractionKind.COMPLAINT), CreateTask("Call back", "mariam", 1)
    )
    assert (tag.event, tag.action, task.event) == (
        CustomerCreated(),
        AddTag("new"),
        TimelineEntryRecorded(InteractionKind.COMPLAINT),
    )
    aram = crm.add_customer("Արամ Սարգսյան")
    assert crm.customer(aram.id).tags == ("new",)
    crm.add_timeline_entry(aram.id, "complaint", "Կոտրված տուփ")
    tasks = crm.due_tasks(datetime(2030, 1, 1, tzinfo=UTC), assignee="mariam")
    assert [(t.title, t.customer) for t in tasks] == [("Call back", aram.id)]

    assert crm.set_trigger_active(tag.id, False).active is False
    assert crm.add_customer("Νίκος").tags == ()

    before = _state(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_trigger("t", DateReached("shoe_size"), AddTag("x"))
    assert caught.value.field == "event.field"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_trigger("t", DateReached.birthday("Mars/Olympus"), AddTag("x"))
    assert caught.value.field == "event.time_zone"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_trigger("t", CustomerCreated(), QueueMessage(Channel.EMAIL, Purpose.SERVICE, "nope"))
    assert caught.value.field == "action.body_template"
    with pytest.raises(crmlite.ConflictError):
        crm.add_trigger("welcome", CustomerCreated(), AddTag("x"))
    assert _state(crm) == before


def test_python_enums_match_the_native_lists() -> None:
    assert [k.value for k in TemplateKind] == list(crmlite._crmlite.TEMPLATE_KINDS)
    assert [c.value for c in Channel] == list(crmlite._crmlite.CHANNELS)


def test_sales_and_loyalty_triggers_fire_once_and_award_the_birthday_bonus(crm: crmlite.Crm) -> None:
    giorgos = _person(crm, "Γιώργος Παπαδόπουλος", "el", "+30 210 1234567")
    program = crm.create_program("Καλάθι", "EUR", 1)
    crm.add_earn_rule(program.id, "βασικός", "per_amount", points=1, per=1)
    crm.add_earn_rule(program.id, "γενέθλια", "birthday", points=500)
    card = crm.open_card(program.id, giorgos.id)
    crm.save_template("thanks", "{{ money(order.total, order.currency) }} #{{ order.id }}", kind="sms")
    crm.save_template("milestone", "{{ loyalty.balance }}{% if loyalty.tier %} {{ loyalty.tier }}{% endif %}", kind="sms")
    thanks = crm.add_trigger("thanks", PurchaseRecorded(), QueueMessage(Channel.SMS, Purpose.SERVICE, "thanks"))
    crm.add_trigger("milestone", PointsMilestone(100), QueueMessage(Channel.SMS, Purpose.SERVICE, "milestone"))
    crm.add_trigger("tier", TierChanged(), AddTag("tier"))
    crm.add_trigger("expiring", PointsExpiring(7), AddTag("expiring"))
    crm.add_trigger("quiet", NoPurchaseFor(30), AddTag("quiet"))
    bday = crm.add_trigger("bday", DateReached.birthday("Europe/Athens"), AwardPoints(program.id))
    assert thanks.event == PurchaseRecorded()
    assert bday.action == AwardPoints(program.id, None)
    assert [t.event for t in crm.triggers()][1:5] == [PointsMilestone(100), TierChanged(), PointsExpiring(7), NoPurchaseFor(30)]

    crm.record_order(giorgos.id, "EUR", [NewOrderLine("Ελαιόλαδο", 1, 120)])
    bodies = [m.body for m in crm.outbox_messages()]
    assert len(bodies) == 2 and bodies[0] == "120" and bodies[1].startswith("120,00") and bodies[1].endswith(" #1"), bodies
    assert crm.trigger_runs(thanks.id)[0].occurrence.startswith("order:")

    first = crm.run_due(START)
    assert (first.fired, first.awards) == (1, 1)
    assert crm.run_due(START).fired == 0
    assert crm.balance(card.id).available == 620
    assert crm.run_due(START + timedelta(days=31)).tags == 1
    assert crm.run_due(START + timedelta(days=31)).fired == 0

    before = _state(crm)
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_trigger("bad", PointsMilestone(0), AddTag("x"))
    assert caught.value.field == "event.points"
    with pytest.raises(crmlite.ValidationError) as caught:
        crm.add_trigger("bad", CustomerCreated(), AwardPoints(9999))
    assert caught.value.field == "action.program"
    assert _state(crm) == before
