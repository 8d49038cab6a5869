"""Complaints (lifecycle, SLA, lists, overdue), NPS and the complaint triggers through the Python API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import START, snapshot

import crmlite
from crmlite import ComplaintStatus, Severity


def greek(crm: crmlite.Crm, name: str = "Ελένη Γεωργίου") -> int:
    return crm.add_customer(name, emails=["eleni@example.gr"], language="el").id


def test_a_complaint_moves_through_its_lifecycle(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    eleni = greek(crm)
    c = crm.open_complaint(
        eleni,
        "Ο καφές ήταν κρύος",
        severity=Severity.HIGH,
        description="Η παραγγελία άργησε\nκαι ο καφές ήταν κρύος",
        channel="phone",
        assignee="nikos",
    )
    assert (c.status, c.severity, c.version) == (ComplaintStatus.OPEN, Severity.HIGH, 1)
    assert c.response_due == START + timedelta(hours=4)
    assert c.resolution_due == START + timedelta(days=3)
    assert crm.complaint(c.id) == c

    clock.advance(timedelta(hours=1))
    c = crm.start_complaint(c.id, version=1, by="nikos")
    assert c.responded_at == START + timedelta(hours=1)
    c = crm.resolve_complaint(c.id, version=2, resolution="Νέος καφές και συγγνώμη", by="nikos")
    assert c.status is ComplaintStatus.RESOLVED
    c = crm.close_complaint(c.id, version=3)
    assert c.status is ComplaintStatus.CLOSED and c.closed_at is not None
    c = crm.reopen_complaint(c.id, version=4, reason="Ξανά το ίδιο")
    assert (c.status, c.reopen_count, c.resolution) == (ComplaintStatus.OPEN, 1, "")

    kinds = [e.kind for e in crm.timeline(eleni).items]
    assert kinds.count(crmlite.InteractionKind.COMPLAINT) == 5
    assert crm.verify().ok


def test_bad_input_raises_typed_errors_and_changes_nothing(crm: crmlite.Crm) -> None:
    eleni = greek(crm)
    c = crm.open_complaint(eleni, "Λάθος χρέωση")
    before = snapshot(crm)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.open_complaint(999, "x")
    assert e.value.field == "customer"
    with pytest.raises(crmlite.ValidationError) as e:
        crm.open_complaint(eleni, "x", severity="urgent")
    assert e.value.field == "severity"
    with pytest.raises(crmlite.ConflictError):
        crm.close_complaint(c.id, version=1)
    with pytest.raises(crmlite.ConflictError):
        crm.start_complaint(c.id, version=5)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.resolve_complaint(c.id, version=1, resolution="  ")
    assert e.value.field == "resolution"
    with pytest.raises(crmlite.NotFoundError):
        crm.complaint(404)
    with pytest.raises(crmlite.ValidationError) as e:
        crm.record_nps(eleni, 11)
    assert e.value.field == "score"
    with pytest.raises(crmlite.ValidationError) as e:
        crm.add_task("x", due=START, complaint=404)
    assert e.value.field == "record"
    assert snapshot(crm) == before


def test_lists_and_overdue(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    a = greek(crm, "Αραμ")
    b = crm.add_customer("ნინო ბერიძე").id
    ids = [
        crm.open_complaint(a, "ένα", severity=Severity.CRITICAL, assignee="anna").id,
        crm.open_complaint(b, "ორი", severity=Severity.LOW, assignee="levan").id,
        crm.open_complaint(a, "τρία", assignee="anna").id,
    ]
    assert [c.id for c in crm.iter_complaints(page_size=1)] == ids
    assert [c.id for c in crm.list_complaints(customer=a).items] == [ids[0], ids[2]]
    assert [c.id for c in crm.list_complaints(assignee="levan").items] == [ids[1]]
    assert crm.list_complaints(status=ComplaintStatus.IN_PROGRESS).items == ()
    assert crm.overdue_complaints().items == ()
    clock.advance(timedelta(hours=2))
    overdue = crm.overdue_complaints().items
    assert [c.id for c in overdue] == [ids[0]]
    assert overdue[0].is_overdue(clock.now())


def test_nps_report(crm: crmlite.Crm, clock: crmlite.FixedClock) -> None:
    for i, score in enumerate([10, 9, 7, 6, 0]):
        c = crm.add_customer(f"مریم {i}").id
        r = crm.record_nps(c, score, survey="q4", comment="خیلی خوب")
        assert r.score == score
    assert r.category is crmlite.NpsCategory.DETRACTOR
    report = crm.nps_report(START, START + timedelta(days=1))
    # 2 promoters, 1 passive, 2 detractors of 5: 0.
    assert (report.responses, report.promoters, report.passives, report.detractors) == (5, 2, 1, 2)
    assert report.nps == 0
    assert report.by_score[10] == 1 and len(report.by_score) == 11
    assert crm.nps_report(START, START + timedelta(days=1), survey="other").nps is None
    with pytest.raises(crmlite.ConflictError):
        crm.record_nps(c, 5, survey="q4")


def test_a_complaint_opened_queues_a_service_message_and_creates_a_task(crm: crmlite.Crm) -> None:
    crm.save_template(
        "ack",
        kind=crmlite.TemplateKind.EMAIL_BODY,
        body="{{ customer.first_name }}: «{{ complaint.subject }}» ({{ complaint.severity }})",
    )
    crm.add_trigger(
        "ack",
        crmlite.ComplaintOpened(),
        crmlite.QueueMessage(crmlite.Channel.EMAIL, crmlite.Purpose.SERVICE, "ack"),
    )
    trigger = crm.add_trigger(
        "call", crmlite.ComplaintOpened(Severity.HIGH), crmlite.CreateTask("Τηλεφώνησε πίσω", due_in_days=1)
    )
    assert trigger.event == crmlite.ComplaintOpened(Severity.HIGH)
    eleni = greek(crm)
    c = crm.open_complaint(eleni, "Σπασμένο", severity="critical", assignee="nikos")
    claims = crm.claim_messages(10, lease=timedelta(seconds=30))
    assert [m.message.body for m in claims] == ["Ελένη: «Σπασμένο» (critical)"]
    assert claims[0].message.purpose is crmlite.Purpose.SERVICE
    tasks = crm.due_tasks(START + timedelta(days=2))
    assert [(t.record, t.assignee) for t in tasks] == [(f"complaint:{c.id}", "nikos")]
    linked = crm.add_task("Follow up", due=START, complaint=c.id)
    assert linked.record == f"complaint:{c.id}"
