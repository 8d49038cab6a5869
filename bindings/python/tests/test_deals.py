"""Pipelines, deals, stage history and the sales reports through the Python API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import START

import crmlite
from crmlite import DealLineInput, Money, NewStage, StageKind

STAGES = """
# Το κατάστημα: name | probability | kind | rot days
Πρώτη επαφή | 10 | open | 7
Προσφορά | 50
Διαπραγμάτευση | 75
Κερδήθηκε | 100 | won
Χάθηκε | 0 | lost
"""


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


@pytest.fixture
def shop(crm: crmlite.Crm) -> crmlite.Pipeline:
    return crm.add_pipeline("Ηλεκτρονικό κατάστημα", crmlite.parse_stage_list(STAGES))


def everything(crm: crmlite.Crm) -> tuple[object, ...]:
    """Everything a failed call must leave untouched."""
    return (list(crm.iter_deals()), crm.pipelines(), crm.lost_reasons(), crm.changes_since(0, limit=1000))


def test_stage_lists_parse_and_seed_a_pipeline(crm: crmlite.Crm, shop: crmlite.Pipeline) -> None:
    assert [s.name for s in shop.stages][:2] == ["Πρώτη επαφή", "Προσφορά"]
    assert shop.stages[0].rot_after_days == 7
    assert shop.stage("Κερδήθηκε").kind is StageKind.WON
    assert crm.pipelines() == [shop]
    extra = crm.add_stage(shop.id, NewStage("Επίδειξη", 30))
    order = [shop.stages[0].id, extra.id, *(s.id for s in shop.stages[1:])]
    reordered = crm.reorder_stages(shop.id, order)
    assert [s.id for s in reordered.stages] == order
    renamed = crm.update_stage(extra.id, name="Δοκιμή", probability=35, rot_after_days=None)
    assert (renamed.name, renamed.probability) == ("Δοκιμή", 35)
    assert crm.retire_stage(extra.id).retired


def test_a_deal_moves_through_the_pipeline_with_history(
    crm: crmlite.Crm, clock: crmlite.FixedClock, shop: crmlite.Pipeline
) -> None:
    eleni = crm.add_customer("Ελένη Παπαδοπούλου")
    crm.upsert_entry("product", "SOFA-3", "Καναπές τριθέσιος")
    deal = crm.add_deal(
        shop.id,
        "Καναπές και πολυθρόνες",
        customer=eleni.id,
        owner="Νίκος",
        lines=[
            DealLineInput("Καναπές", 1000, eur("899.90"), discount_bp=1000, product_code="SOFA-3"),
            DealLineInput("Πολυθρόνα", 2000, eur("249.99")),
        ],
        probability=0,
        expected_close=date(2027, 1, 15),
        attributes={"channel": "instagram"},
        by="Νίκος",
    )
    # 899.90 * 0.9 = 809.91, plus 2 * 249.99 = 499.98
    assert deal.lines[0].total == eur("809.91")
    assert deal.amount == eur("1309.89")
    assert (deal.probability_override, deal.probability) == (0, 0)
    clock.advance(timedelta(days=2))
    moved = crm.move_deal(deal.id, version=deal.version, stage=shop.stage("Προσφορά").id, by="Μαρία")
    assert moved.probability == 0
    following = crm.update_deal(moved.id, version=moved.version, probability=None)
    assert following.probability == 50
    assert crm.forecast("owner") == [crmlite.ForecastRow("Νίκος", 1, eur("1309.89"), eur("654.95"))]
    assert crm.forecast("month")[0].group == "2027-01"
    clock.advance(timedelta(hours=3))
    won = crm.mark_won(following.id, version=following.version, by="Μαρία")
    assert (won.status, won.probability, won.closed_at) == (StageKind.WON, 100, clock.now())
    history = crm.deal_history(deal.id)
    assert [(h.from_stage, h.spent_ms) for h in history] == [
        (None, 0),
        (shop.stages[0].id, 2 * 86_400_000),
        (shop.stages[1].id, 3 * 3_600_000),
    ]
    notes = [e for e in crm.timeline(eleni.id).items if e.kind is crmlite.InteractionKind.DEAL]
    assert len(notes) == 3 and notes[0].source == f"deal:{deal.id}"
    assert crm.win_rate(pipeline=shop.id) == crmlite.WinRate(1, 0, 10_000)
    assert crm.funnel(shop.id)[0].reached == 1
    assert crm.time_in_stage(shop.id)[0].average_ms == 2 * 86_400_000


def test_a_lost_deal_needs_a_reason_and_can_be_reopened(crm: crmlite.Crm, shop: crmlite.Pipeline) -> None:
    reasons = crm.seed_lost_reasons(["Ακριβό", "Ανταγωνιστής"])
    kostas = crm.add_customer("Κώστας Γεωργίου")
    deal = crm.add_deal(shop.id, "Τραπεζαρία", customer=kostas.id, amount=eur("1200"), stage=shop.stages[1].id)
    before = everything(crm)
    with pytest.raises(crmlite.ValidationError) as err:
        crm.mark_lost(deal.id, version=deal.version, reason=None)
    assert err.value.field == "lost_reason"
    assert everything(crm) == before
    lost = crm.mark_lost(deal.id, version=deal.version, reason=reasons[0].id, note="Βρήκε φθηνότερο")
    assert (lost.lost_at_stage, lost.lost_note) == (shop.stages[1].id, "Βρήκε φθηνότερο")
    [row] = crm.lost_reasons_report()
    assert (row.reason_name, row.stage_name, row.deals) == ("Ακριβό", "Προσφορά", 1)
    back = crm.reopen_deal(lost.id, version=lost.version)
    assert (back.stage, back.status, back.lost_reason) == (shop.stages[1].id, StageKind.OPEN, None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stage": 999}, "stage"),
        ({"probability": 101}, "probability"),
        ({"probability": -1}, "probability"),
        ({"lines": [DealLineInput("Καρέκλα", -1000, eur("10"))]}, "lines[0].quantity_milli"),
        ({"lines": [DealLineInput("Καρέκλα", 1000, eur("10")), DealLineInput("Τραπέζι", 1000, Money(Decimal(1), "USD"))]}, "lines[1].unit_price"),
        ({"lines": [DealLineInput("Καρέκλα", 2**62, Money(Decimal(2**60), "JPY"))]}, "lines[0].total"),
        ({"amount": Money(Decimal("0.001"), "EUR")}, "amount.amount"),
        ({"customer": 999}, "customer"),
    ],
)
def test_bad_deal_input_names_the_field_and_changes_nothing(
    crm: crmlite.Crm, shop: crmlite.Pipeline, kwargs: dict[str, object], field: str
) -> None:
    eleni = crm.add_customer("Ελένη")
    args: dict[str, object] = {"customer": eleni.id, "amount": eur("10")}
    if "lines" in kwargs:
        args.pop("amount")
    args.update(kwargs)
    before = everything(crm)
    with pytest.raises(crmlite.ValidationError) as err:
        crm.add_deal(shop.id, "Λάθος", **args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert everything(crm) == before


def test_unknown_pipeline_other_pipeline_stage_and_stale_version(crm: crmlite.Crm, shop: crmlite.Pipeline) -> None:
    other = crm.add_pipeline("Χονδρική", [NewStage("Επαφή", 20), NewStage("Κερδήθηκε", kind="won")])
    eleni = crm.add_customer("Ελένη")
    deal = crm.add_deal(shop.id, "Κρεβάτι", customer=eleni.id, amount=eur("500"))
    before = everything(crm)
    with pytest.raises(crmlite.ValidationError) as err:
        crm.add_deal(999, "Κρεβάτι", customer=eleni.id, amount=eur("1"))
    assert err.value.field == "pipeline"
    with pytest.raises(crmlite.ValidationError) as err:
        crm.move_deal(deal.id, version=deal.version, stage=other.stages[0].id)
    assert err.value.field == "stage"
    with pytest.raises(crmlite.ConflictError):
        crm.move_deal(deal.id, version=deal.version + 1, stage=shop.stages[1].id)
    with pytest.raises(crmlite.ValidationError) as err:
        crm.update_deal(deal.id, version=deal.version, probability=300)
    assert err.value.field == "probability"
    assert everything(crm) == before
    moved = crm.change_deal_pipeline(deal.id, version=deal.version, pipeline=other.id)
    assert (moved.pipeline, moved.stage, moved.probability) == (other.id, other.stages[0].id, 20)


def test_deals_page_by_filter_and_stale_deals_rot(
    crm: crmlite.Crm, clock: crmlite.FixedClock, shop: crmlite.Pipeline
) -> None:
    people = [crm.add_customer(n) for n in ("Ελένη", "Νίνο", "Արամ")]
    for i in range(7):
        crm.add_deal(shop.id, f"Παραγγελία {i}", customer=people[i % 3].id, owner="Νίκος" if i % 2 else "Μαρία", amount=eur("100"))
    first = crm.list_deals(owner="Νίκος", limit=2)
    second = crm.list_deals(owner="Νίκος", cursor=first.next, limit=2)
    assert len(first.items) == 2 and len(second.items) == 1 and second.next is None
    assert len(list(crm.iter_deals(page_size=3, customer=people[0].id))) == 3
    assert list(crm.iter_deals(status="won")) == []
    assert crm.stale_deals().items == ()
    clock.set(START + timedelta(days=7))
    assert len(crm.stale_deals(pipeline=shop.id).items) == 7


def test_pipelines_and_lost_reasons_are_renamed_and_retired(crm: crmlite.Crm, shop: crmlite.Pipeline) -> None:
    renamed = crm.rename_pipeline(shop.id, "Κατάστημα και αποθήκη")
    assert renamed.name == "Κατάστημα και αποθήκη" and renamed.stages == shop.stages
    reason = crm.add_lost_reason("Ακριβό")
    assert crm.rename_lost_reason(reason.id, "Πολύ ακριβό").name == "Πολύ ακριβό"
    before = everything(crm)
    with pytest.raises(crmlite.ValidationError) as err:
        crm.rename_lost_reason(reason.id, "  ")
    assert err.value.field == "name"
    with pytest.raises(crmlite.NotFoundError):
        crm.retire_lost_reason(999)
    assert everything(crm) == before
    assert crm.retire_lost_reason(reason.id).retired
    eleni = crm.add_customer("Ελένη")
    deal = crm.add_deal(shop.id, "Ψυγείο", customer=eleni.id, amount=eur("900"))
    with pytest.raises(crmlite.ValidationError) as err:
        crm.mark_lost(deal.id, version=deal.version, reason=reason.id)
    assert err.value.field == "lost_reason"


def test_a_deal_is_edited_found_by_code_and_stale_as_of_a_given_time(
    crm: crmlite.Crm, shop: crmlite.Pipeline
) -> None:
    eleni = crm.add_customer("Ελένη")
    deal = crm.add_deal(shop.id, "Πλυντήριο", customer=eleni.id, amount=eur("450"), external_code="ERP-9")
    edited = crm.update_deal(
        deal.id,
        version=deal.version,
        probability=0,
        expected_close=date(2027, 2, 1),
        attributes={"floor": "τρίτος"},
        owner="Νίκος",
    )
    assert (edited.probability, edited.probability_override) == (0, 0)
    assert edited.attributes == {"floor": "τρίτος"} and edited.owner == "Νίκος"
    assert crm.deal_by_code("ERP-9") == edited
    back = crm.update_deal(
        deal.id, version=edited.version, probability=None, external_code=None, attributes={"floor": None}
    )
    assert (back.probability, back.probability_override, back.external_code) == (10, None, None)
    assert back.attributes == {}
    with pytest.raises(crmlite.NotFoundError):
        crm.deal_by_code("ERP-9")
    # stale as of an explicit time, without moving the clock
    assert crm.stale_deals().items == ()
    later = crm.stale_deals(now=back.stage_entered_at + timedelta(days=7))
    assert [d.id for d in later.items] == [deal.id]
    assert crm.stale_deals(now=back.stage_entered_at + timedelta(days=7) - timedelta(milliseconds=1)).items == ()
    month = crm.forecast("month")
    assert [(r.group, r.weighted) for r in month] == [("2027-02", eur("45.00"))]


def test_a_line_product_code_names_an_active_product(crm: crmlite.Crm, shop: crmlite.Pipeline) -> None:
    buyer = crm.add_customer("Արամ Պետրոսյան")
    crm.upsert_entry("product", "ARM-1", "Բազկաթոռ")
    crm.upsert_entry("product", "OLD-1", "Παλιό τραπέζι")
    crm.set_entry_archived("product", "OLD-1")
    before = crm.changes_since(0, limit=1000)
    for code in ["NOPE-9", "OLD-1"]:
        with pytest.raises(crmlite.ValidationError) as e:
            crm.add_deal(
                shop.id,
                "Γραφείο",
                customer=buyer.id,
                lines=[DealLineInput("میز", 1000, eur("1")), DealLineInput("", 1000, eur("2"), product_code=code)],
            )
        assert e.value.field == "lines[1].product_code"
    assert crm.changes_since(0, limit=1000) == before
    deal = crm.add_deal(
        shop.id, "Γραφείο", customer=buyer.id, lines=[DealLineInput("", 2000, eur("5"), product_code="ARM-1")]
    )
    assert (deal.lines[0].product, deal.lines[0].product_code) == ("Բազկաթոռ", "ARM-1")
    with pytest.raises(crmlite.ValidationError) as e:
        crm.update_deal(deal.id, version=deal.version, lines=[DealLineInput("x", 1000, eur("1"), product_code="OLD-1")])
    assert e.value.field == "lines[0].product_code"
    assert crm.deal(deal.id) == deal
