//! End-to-end tests of pipelines, deals, stage history and the sales reports.

// Helpers outside `#[test]` functions fail the test the same way the tests do.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use crmlite::customer::NewCustomer;
use crmlite::deal::report::ForecastBy;
use crmlite::deal::{
    DealFilter, DealPatch, NewDeal, NewDealLine, NewPipeline, NewStage, Pipeline, StageKind,
    StageMove, StagePatch,
};
use crmlite::reference::EntryInput;
use crmlite::timeline::InteractionKind;
use crmlite::{
    Crm, Currency, CustomerId, EntityKind, Error, FixedClock, Money, OpenOptions, StageId,
    Timestamp,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

mod support;

use support::TestDb;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

fn t0() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-05T09:00:00Z", "t0").unwrap()
}

/// A fresh database on the test backend, its clock at [`t0`].
fn open() -> (Crm, Arc<FixedClock>) {
    let (crm, clock) = support::fresh();
    clock.set(t0());
    (crm, clock)
}

fn gel(minor: i64) -> Money {
    Money::new(minor, Currency::parse("GEL", "c").unwrap())
}

/// The Tbilisi furniture dealer's pipeline: six open stages, won and lost.
fn furniture_stages() -> Vec<NewStage> {
    vec![
        NewStage::open("პირველი ზარი", 10).rot_after_days(7),
        NewStage::open("შოურუმის ვიზიტი", 25).rot_after_days(14),
        NewStage::open("აზომვა", 40),
        NewStage::open("შეთავაზება", 60).rot_after_days(10),
        NewStage::open("ხელშეკრულება", 80),
        NewStage::open("მიწოდება", 90),
        NewStage::won("მოგებული"),
        NewStage::lost("წაგებული"),
    ]
}

fn furniture(crm: &Crm) -> Pipeline {
    crm.add_pipeline(&NewPipeline::new("ავეჯი", furniture_stages()))
        .unwrap()
}

fn stage(p: &Pipeline, i: usize) -> StageId {
    p.stages[i].id
}

fn person(crm: &Crm, name: &str) -> CustomerId {
    crm.add_customer(&NewCustomer::person(name)).unwrap().id
}

fn field(e: Error) -> String {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn pipelines_are_seeded_and_their_stages_edited_without_breaking_deals() {
    let (crm, _) = open();
    let p = furniture(&crm);
    assert_eq!(p.stages.len(), 8);
    assert_eq!(p.stages[1].name, "შოურუმის ვიზიტი");
    assert_eq!(
        (p.stages[6].kind, p.stages[6].probability),
        (StageKind::Won, 100)
    );
    let other = crm
        .add_pipeline(&NewPipeline::new("Կորպորատիվ", crmlite::deal::parse_stage_list(
            "# Armenian corporate sales\nԶանգ | 20 | open | 5\nՊայմանագիր|70\nՇահած | 100 | won\nԿորցրած||lost",
        ).unwrap()))
        .unwrap();
    assert_eq!(other.stages[0].rot_after_days, Some(5));
    assert_eq!(other.stages[3].kind, StageKind::Lost);
    assert_eq!(crm.pipelines().unwrap().len(), 2);
    assert!(matches!(
        crm.add_pipeline(&NewPipeline::new("ᲐᲕᲔᲯᲘ", furniture_stages())),
        Err(Error::Conflict(_))
    ));

    let nino = person(&crm, "ნინო ბერიძე");
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "სამზარეულო")
                .customer(nino)
                .amount(gel(450_000))
                .stage(stage(&p, 2)),
        )
        .unwrap();
    assert_eq!(deal.probability, 40);

    // Rename, change the default, add, reorder and retire; the deal follows.
    crm.update_stage(
        stage(&p, 2),
        &StagePatch::new().name("აზომვა ბინაში").probability(45),
    )
    .unwrap();
    assert_eq!(crm.deal(deal.id).unwrap().probability, 45);
    let extra = crm.add_stage(p.id, &NewStage::open("დიზაინი", 50)).unwrap();
    let mut order: Vec<StageId> = p.stages.iter().map(|s| s.id).collect();
    order.insert(3, extra.id);
    let p2 = crm.reorder_stages(p.id, &order).unwrap();
    assert_eq!(p2.stages[3].id, extra.id);
    assert_eq!(p2.stages[4].id, stage(&p, 3));
    crm.retire_stage(stage(&p, 2)).unwrap();
    let kept = crm.deal(deal.id).unwrap();
    assert_eq!(kept.stage, stage(&p, 2));
    let e = crm
        .move_deal(
            deal.id,
            kept.version,
            &StageMove::to(stage(&p, 2), "გიორგი"),
        )
        .unwrap_err();
    assert_eq!(field(e), "stage");
    let moved = crm
        .move_deal(deal.id, kept.version, &StageMove::to(extra.id, "გიორგი"))
        .unwrap();
    assert_eq!(moved.probability, 50);
    // Retired stages follow the active ones; a reorder must name every active stage once.
    let active: Vec<StageId> = crm
        .pipeline(p.id)
        .unwrap()
        .active_stages()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        field(crm.reorder_stages(p.id, &active[1..]).unwrap_err()),
        "order"
    );
    assert_eq!(
        field(
            crm.reorder_stages(p.id, &[active[0], active[0]])
                .unwrap_err()
        ),
        "order[1]"
    );
    let reordered = crm.reorder_stages(p.id, &active).unwrap();
    assert!(reordered.stages.last().unwrap().retired);
    assert_eq!(reordered.stages.len(), 9);
    assert_eq!(
        field(
            crm.update_stage(stage(&p, 6), &StagePatch::new().probability(90))
                .unwrap_err()
        ),
        "probability"
    );
}

#[test]
fn a_deal_moves_is_won_and_leaves_history_timeline_and_changes() {
    let (crm, clock) = open();
    let p = furniture(&crm);
    let nino = person(&crm, "ნინო ბერიძე");
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "საძინებლის ავეჯი")
                .customer(nino)
                .owner("გიორგი")
                .amount(gel(1_200_000))
                .probability(0)
                .expected_close(NaiveDate::from_ymd_opt(2026, 3, 15).unwrap())
                .source("instagram")
                .by("გიორგი"),
        )
        .unwrap();
    assert_eq!(deal.stage, stage(&p, 0));
    assert_eq!((deal.probability_override, deal.probability), (Some(0), 0));
    let feed_start = crm.changes_since(0, 1000).unwrap().len();

    clock.advance(3 * DAY);
    let d = crm
        .move_deal(deal.id, deal.version, &StageMove::to(stage(&p, 1), "ნათია"))
        .unwrap();
    assert_eq!(d.probability, 0, "an explicit 0 stays 0");
    let d = crm
        .update_deal(d.id, d.version, &DealPatch::new().probability(None))
        .unwrap();
    assert_eq!(
        d.probability, 25,
        "cleared override follows the stage default"
    );
    clock.advance(5 * HOUR);
    let won = crm.mark_won(d.id, d.version, "ნათია").unwrap();
    assert_eq!(
        (won.status, won.probability, won.closed_at),
        (StageKind::Won, 100, Some(clock_now(&clock)))
    );
    assert_eq!(won.version, 4);

    let history = crm.deal_history(deal.id).unwrap();
    let spent: Vec<_> = history
        .iter()
        .map(|h| (h.from_stage, h.to_stage, h.spent_ms, h.by.as_str()))
        .collect();
    assert_eq!(
        spent,
        vec![
            (None, stage(&p, 0), 0, "გიორგი"),
            (Some(stage(&p, 0)), stage(&p, 1), 3 * DAY, "ნათია"),
            (Some(stage(&p, 1)), stage(&p, 6), 5 * HOUR, "ნათია"),
        ]
    );
    let timeline = crm.timeline(nino, None, 50).unwrap().items;
    let deal_entries: Vec<_> = timeline
        .iter()
        .filter(|e| e.kind == InteractionKind::Deal)
        .collect();
    assert_eq!(deal_entries.len(), 3);
    assert_eq!(
        deal_entries[0].summary,
        "Deal «საძინებლის ავეჯი»: შოურუმის ვიზიტი → მოგებული"
    );
    assert_eq!(deal_entries[0].source, format!("deal:{}", deal.id));
    let feed = crm.changes_since(0, 1000).unwrap();
    let kinds: Vec<EntityKind> = feed[feed_start..].iter().map(|c| c.entity).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EntityKind::DealStageChange)
            .count(),
        2
    );
    assert_eq!(kinds.iter().filter(|k| **k == EntityKind::Deal).count(), 3);
    assert!(kinds.contains(&EntityKind::TimelineEntry));

    // A won deal must be reopened explicitly before it moves again.
    assert!(matches!(
        crm.move_deal(won.id, won.version, &StageMove::to(stage(&p, 2), "x")),
        Err(Error::Conflict(_))
    ));
    let reopened = crm.reopen_deal(won.id, won.version, None, "ნათია").unwrap();
    assert_eq!(
        (reopened.stage, reopened.status, reopened.closed_at),
        (stage(&p, 5), StageKind::Open, None)
    );
    assert!(crm.verify().unwrap().ok());
}

fn clock_now(clock: &FixedClock) -> Timestamp {
    crmlite::Clock::now(clock)
}

#[test]
fn a_lost_deal_needs_a_reason_keeps_its_stage_and_can_be_reopened() {
    let (crm, clock) = open();
    let p = furniture(&crm);
    let reasons = crm
        .seed_lost_reasons(&["ძვირია", "კონკურენტი", "ვადები"])
        .unwrap();
    assert_eq!(
        crm.seed_lost_reasons(&["ძვირია", "სხვა"]).unwrap().len(),
        4,
        "seeding adds only new names"
    );
    let nino = person(&crm, "ნინო ბერიძე");
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "მისაღები")
                .customer(nino)
                .amount(gel(300_000))
                .stage(stage(&p, 3)),
        )
        .unwrap();
    clock.advance(DAY);

    let before = crm.changes_since(0, 1000).unwrap().len();
    assert_eq!(
        field(
            crm.mark_lost(deal.id, deal.version, None, "", "გიორგი")
                .unwrap_err()
        ),
        "lost_reason"
    );
    let retired = crm.retire_lost_reason(reasons[2].id).unwrap();
    assert!(retired.retired);
    let before = before + 1;
    assert_eq!(
        field(
            crm.mark_lost(deal.id, deal.version, Some(reasons[2].id), "", "გიორგი")
                .unwrap_err()
        ),
        "lost_reason"
    );
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before);
    assert_eq!(crm.deal(deal.id).unwrap(), deal);

    let lost = crm
        .mark_lost(
            deal.id,
            deal.version,
            Some(reasons[0].id),
            "ფასი ორჯერ მეტია",
            "გიორგი",
        )
        .unwrap();
    assert_eq!((lost.status, lost.probability), (StageKind::Lost, 0));
    assert_eq!(
        (lost.lost_reason, lost.lost_at_stage),
        (Some(reasons[0].id), Some(stage(&p, 3)))
    );
    crm.rename_lost_reason(reasons[0].id, "ძალიან ძვირია")
        .unwrap();
    let report = crm.lost_reasons_report(Some(p.id)).unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(
        (
            report[0].reason_name.as_str(),
            report[0].stage_name.as_str(),
            report[0].deals
        ),
        ("ძალიან ძვირია", "შეთავაზება", 1)
    );

    let back = crm
        .reopen_deal(lost.id, lost.version, None, "გიორგი")
        .unwrap();
    assert_eq!(
        (back.stage, back.lost_reason, back.lost_at_stage),
        (stage(&p, 3), None, None)
    );
    assert!(crm.lost_reasons_report(None).unwrap().is_empty());
    assert!(matches!(
        crm.reopen_deal(back.id, back.version, None, "x"),
        Err(Error::Conflict(_))
    ));
}

#[test]
fn line_items_total_exactly_with_one_rounding_rule() {
    let (crm, _) = open();
    let p = furniture(&crm);
    let org = crm
        .add_customer(&NewCustomer::organisation("შპს თბილისის სასტუმრო"))
        .unwrap()
        .id;
    crm.upsert_entry("product", &EntryInput::new("CH-01", "სკამი"))
        .unwrap();
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "სასტუმროს ნომრები")
                .organisation(org)
                // 2.5 chairs at 33.33 with 10 % off: 2.5 * 3333 * 0.9 = 7499.25 -> 7499
                .line(
                    NewDealLine::new("სკამი", 2500, gel(3333))
                        .discount_bp(1000)
                        .product_code("CH-01"),
                )
                // 3 tables at 0.05 with 50 % off: 3 * 5 * 0.5 = 7.5 -> 8 (half away from zero)
                .line(NewDealLine::new("მაგიდა", 3000, gel(5)).discount_bp(5000)),
        )
        .unwrap();
    assert_eq!(deal.lines[0].total, gel(7499));
    assert_eq!(deal.lines[1].total, gel(8));
    assert_eq!(deal.amount, gel(7507));
    let stored = crm.deal(deal.id).unwrap();
    assert_eq!(stored.lines, deal.lines);
    assert_eq!(stored.lines[0].product_code.as_deref(), Some("CH-01"));

    let e = crm
        .update_deal(deal.id, deal.version, &DealPatch::new().amount(gel(1)))
        .unwrap_err();
    assert_eq!(field(e), "amount");
    let patched = crm
        .update_deal(
            deal.id,
            deal.version,
            &DealPatch::new().lines(vec![NewDealLine::new("კარადა", 1000, gel(99_999))]),
        )
        .unwrap();
    assert_eq!((patched.amount, patched.lines.len()), (gel(99_999), 1));
}

#[test]
fn bad_input_names_the_field_and_changes_nothing() {
    let (crm, _) = open();
    let p = furniture(&crm);
    let other = crm
        .add_pipeline(&NewPipeline::new(
            "კორპორატიული",
            vec![NewStage::open("ზარი", 10), NewStage::won("მოგებული")],
        ))
        .unwrap();
    let nino = person(&crm, "ნინო ბერიძე");
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "სამზარეულო")
                .customer(nino)
                .amount(gel(100)),
        )
        .unwrap();
    let usd = Money::new(100, Currency::parse("USD", "c").unwrap());
    let snapshot = || {
        (
            crm.changes_since(0, 1000).unwrap().len(),
            crm.list_deals(&DealFilter::all(), None, 100).unwrap().items,
        )
    };
    let before = snapshot();

    let base = || NewDeal::new(p.id, "ახალი").customer(nino).amount(gel(100));
    let cases: Vec<(NewDeal, &str)> = vec![
        (
            NewDeal::new(crmlite::PipelineId(999), "x")
                .customer(nino)
                .amount(gel(1)),
            "pipeline",
        ),
        (base().stage(StageId(999)), "stage"),
        (base().stage(other.stages[0].id), "stage"),
        (base().stage(stage(&p, 6)), "stage"),
        (base().probability(101), "probability"),
        (base().customer(CustomerId(999)), "customer"),
        (NewDeal::new(p.id, "x").amount(gel(1)), "customer"),
        (
            NewDeal::new(p.id, "  ").customer(nino).amount(gel(1)),
            "title",
        ),
        (NewDeal::new(p.id, "x").customer(nino), "amount"),
        (
            NewDeal::new(p.id, "x").customer(nino).amount(gel(-1)),
            "amount",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", -1000, gel(100))),
            "lines[0].quantity_milli",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", 1000, gel(100)).discount_bp(10_001)),
            "lines[0].discount_bp",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", 1000, gel(100)))
                .line(NewDealLine::new("მაგიდა", 1000, usd)),
            "lines[1].unit_price",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", 1000, gel(100)))
                .amount(usd),
            "amount",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", i64::MAX, gel(i64::MAX))),
            "lines[0].total",
        ),
        (
            NewDeal::new(p.id, "x")
                .customer(nino)
                .line(NewDealLine::new("სკამი", 1000, gel(i64::MAX)))
                .line(NewDealLine::new("მაგიდა", 1000, gel(1))),
            "lines[1].total",
        ),
    ];
    for (new, want) in cases {
        assert_eq!(field(crm.add_deal(&new).unwrap_err()), want, "{new:?}");
    }
    assert_eq!(snapshot(), before);

    let v = deal.version;
    assert_eq!(
        field(
            crm.move_deal(deal.id, v, &StageMove::to(StageId(999), "x"))
                .unwrap_err()
        ),
        "stage"
    );
    assert_eq!(
        field(
            crm.move_deal(deal.id, v, &StageMove::to(other.stages[0].id, "x"))
                .unwrap_err()
        ),
        "stage"
    );
    assert_eq!(
        field(
            crm.move_deal(deal.id, v, &StageMove::to(stage(&p, 7), "x"))
                .unwrap_err()
        ),
        "lost_reason"
    );
    assert_eq!(
        field(
            crm.update_deal(deal.id, v, &DealPatch::new().probability(Some(150)))
                .unwrap_err()
        ),
        "probability"
    );
    assert_eq!(
        field(
            crm.change_deal_pipeline(deal.id, v, crmlite::PipelineId(999), None, "x")
                .unwrap_err()
        ),
        "pipeline"
    );
    assert_eq!(
        field(
            crm.change_deal_pipeline(deal.id, v, other.id, Some(stage(&p, 1)), "x")
                .unwrap_err()
        ),
        "stage"
    );
    assert!(matches!(
        crm.move_deal(deal.id, v + 1, &StageMove::to(stage(&p, 1), "x")),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        crm.update_deal(deal.id, v - 1, &DealPatch::default()),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        crm.move_deal(crmlite::DealId(999), 1, &StageMove::to(stage(&p, 1), "x")),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        field(
            crm.list_deals(&DealFilter::all(), Some("12"), 10)
                .unwrap_err()
        ),
        "cursor"
    );
    assert_eq!(
        field(
            crm.add_pipeline(&NewPipeline::new("x", vec![NewStage::won("w")]))
                .unwrap_err()
        ),
        "stages"
    );
    assert_eq!(
        field(
            crm.add_pipeline(&NewPipeline::new(
                "x",
                vec![NewStage::open("ა", 10), NewStage::open("ა", 20)]
            ))
            .unwrap_err()
        ),
        "stages[1].name"
    );
    assert_eq!(
        field(
            crm.add_pipeline(&NewPipeline::new("x", vec![NewStage::open("ა", 101)]))
                .unwrap_err()
        ),
        "stages[0].probability"
    );
    assert_eq!(snapshot(), before);
    assert_eq!(crm.pipelines().unwrap().len(), 2);
    assert_eq!(crm.deal(deal.id).unwrap(), deal);
}

#[test]
fn deals_are_listed_by_pipeline_stage_owner_and_customer_with_keyset_pages() {
    let (crm, _) = open();
    let p = furniture(&crm);
    let nino = person(&crm, "ნინო ბერიძე");
    let ani = person(&crm, "Անի Պետրոսյան");
    let org = crm
        .add_customer(&NewCustomer::organisation("Ξενοδοχείο Αθήνα"))
        .unwrap()
        .id;
    for i in 0..25 {
        let who = if i % 2 == 0 { nino } else { ani };
        let mut new = NewDeal::new(p.id, format!("შეკვეთა {i}"))
            .customer(who)
            .amount(gel(1000 + i))
            .owner(if i % 3 == 0 {
                "გიორგი"
            } else {
                "მარიამ"
            });
        if i % 5 == 0 {
            new = new.organisation(org).stage(stage(&p, 2));
        }
        crm.add_deal(&new).unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = crm
            .list_deals(&DealFilter::all().owner("მარიამ"), cursor.as_deref(), 4)
            .unwrap();
        seen.extend(page.items.iter().map(|d| d.id));
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 16);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        crm.list_deals(&DealFilter::all().customer(nino), None, 100)
            .unwrap()
            .items
            .len(),
        13
    );
    assert_eq!(
        crm.list_deals(&DealFilter::all().customer(org), None, 100)
            .unwrap()
            .items
            .len(),
        5
    );
    assert_eq!(
        crm.list_deals(&DealFilter::all().stage(stage(&p, 2)), None, 100)
            .unwrap()
            .items
            .len(),
        5
    );
    assert_eq!(
        crm.list_deals(
            &DealFilter::all().pipeline(p.id).status(StageKind::Open),
            None,
            100
        )
        .unwrap()
        .items
        .len(),
        25
    );
    assert_eq!(
        crm.list_deals(&DealFilter::all().status(StageKind::Won), None, 100)
            .unwrap()
            .items
            .len(),
        0
    );
}

#[test]
fn stale_deals_are_found_as_of_now() {
    let (crm, clock) = open();
    let p = furniture(&crm);
    let nino = person(&crm, "ნინო ბერიძე");
    let first = crm
        .add_deal(&NewDeal::new(p.id, "ა").customer(nino).amount(gel(1)))
        .unwrap(); // rots after 7 days
    let measured = crm
        .add_deal(
            &NewDeal::new(p.id, "ბ")
                .customer(nino)
                .amount(gel(1))
                .stage(stage(&p, 2)),
        )
        .unwrap(); // never rots
    clock.advance(7 * DAY - 1);
    assert!(crm.stale_deals(None, None, 10).unwrap().items.is_empty());
    clock.advance(1);
    let stale = crm.stale_deals(Some(p.id), None, 10).unwrap().items;
    assert_eq!(
        stale.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    let moved = crm
        .move_deal(first.id, first.version, &StageMove::to(stage(&p, 1), "x"))
        .unwrap();
    assert!(crm.stale_deals(None, None, 10).unwrap().items.is_empty());
    clock.advance(14 * DAY);
    assert_eq!(crm.stale_deals(None, None, 10).unwrap().items.len(), 1);
    crm.mark_won(moved.id, moved.version, "x").unwrap();
    assert!(crm.stale_deals(None, None, 10).unwrap().items.is_empty());
    assert_eq!(crm.deal(measured.id).unwrap().status, StageKind::Open);
}

#[test]
fn a_deal_moves_to_another_pipeline() {
    let (crm, clock) = open();
    let p = furniture(&crm);
    let corp = crm
        .add_pipeline(&NewPipeline::new(
            "კორპორატიული",
            vec![
                NewStage::open("ზარი", 15),
                NewStage::open("ტენდერი", 35),
                NewStage::won("მოგებული"),
            ],
        ))
        .unwrap();
    let nino = person(&crm, "ნინო ბერიძე");
    let deal = crm
        .add_deal(
            &NewDeal::new(p.id, "ოფისი")
                .customer(nino)
                .amount(gel(5_000_000)),
        )
        .unwrap();
    clock.advance(2 * DAY);
    let moved = crm
        .change_deal_pipeline(
            deal.id,
            deal.version,
            corp.id,
            Some(corp.stages[1].id),
            "გიორგი",
        )
        .unwrap();
    assert_eq!(
        (moved.pipeline, moved.stage, moved.probability),
        (corp.id, corp.stages[1].id, 35)
    );
    let h = crm.deal_history(deal.id).unwrap();
    assert_eq!(
        (h[1].from_stage, h[1].to_stage, h[1].spent_ms),
        (Some(stage(&p, 0)), corp.stages[1].id, 2 * DAY)
    );
    let by_pipeline = crm.forecast(ForecastBy::Pipeline, None).unwrap();
    assert_eq!(by_pipeline.len(), 1);
    assert_eq!(
        (by_pipeline[0].group.clone(), by_pipeline[0].weighted),
        (corp.id.to_string(), gel(1_750_000))
    );
    let times = crm.time_in_stage(p.id).unwrap();
    assert_eq!((times[0].stays, times[0].average_ms), (1, Some(2 * DAY)));
}

#[test]
fn deals_survive_reopening_the_database() {
    let db = TestDb::new("deals");
    let clock = Arc::new(FixedClock::new(t0()));
    let id = {
        let crm = db.open_with(OpenOptions::new(), Some(clock.clone()));
        let p = furniture(&crm);
        let nino = person(&crm, "ნინო ბერიძე");
        let deal = crm
            .add_deal(
                &NewDeal::new(p.id, "კარადა")
                    .customer(nino)
                    .line(NewDealLine::new("კარადა", 2000, gel(150_050))),
            )
            .unwrap();
        crm.move_deal(
            deal.id,
            deal.version,
            &StageMove::to(stage(&p, 3), "გიორგი"),
        )
        .unwrap();
        deal.id
    };
    let crm = db.open_with(OpenOptions::new(), Some(clock));
    let deal = crm.deal(id).unwrap();
    assert_eq!(
        (deal.amount, deal.probability, deal.version),
        (gel(300_100), 60, 2)
    );
    assert_eq!(crm.deal_history(id).unwrap().len(), 2);
    assert!(crm.verify().unwrap().ok());
}

/// Everything observable about deals, for comparing two databases.
fn deal_state(
    crm: &Crm,
) -> (
    Vec<crmlite::deal::Deal>,
    Vec<Vec<crmlite::deal::DealStageChange>>,
    Vec<Pipeline>,
    String,
) {
    let deals = crm
        .list_deals(&DealFilter::all(), None, 1000)
        .unwrap()
        .items;
    let history = deals
        .iter()
        .map(|d| crm.deal_history(d.id).unwrap())
        .collect();
    let reports = format!(
        "{:?} {:?} {:?}",
        crm.forecast(ForecastBy::Owner, None).unwrap(),
        crm.lost_reasons_report(None).unwrap(),
        crm.lost_reasons().unwrap()
    );
    (deals, history, crm.pipelines().unwrap(), reports)
}

#[test]
fn copy_to_keeps_pipelines_deals_lines_and_history() {
    let clock = Arc::new(FixedClock::new(t0()));
    let source = OpenOptions::new()
        .clock(clock.clone())
        .open(":memory:")
        .unwrap();
    let p = furniture(&source);
    let reasons = source.seed_lost_reasons(&["ძვირია"]).unwrap();
    let nino = person(&source, "ნინო ბერიძე");
    let a = source
        .add_deal(
            &NewDeal::new(p.id, "ა")
                .customer(nino)
                .owner("გიორგი")
                .line(NewDealLine::new("სკამი", 4000, gel(12_550)).discount_bp(500)),
        )
        .unwrap();
    let b = source
        .add_deal(
            &NewDeal::new(p.id, "ბ")
                .customer(nino)
                .amount(gel(70_000))
                .probability(0),
        )
        .unwrap();
    clock.advance(DAY);
    source
        .move_deal(a.id, a.version, &StageMove::to(stage(&p, 2), "გიორგი"))
        .unwrap();
    source
        .mark_lost(b.id, b.version, Some(reasons[0].id), "", "გიორგი")
        .unwrap();
    let original = deal_state(&source);

    let target = TestDb::new("deals_copy").open_with(OpenOptions::new(), Some(clock.clone()));
    let report = source.copy_to(&target).unwrap();
    assert!(
        report
            .tables
            .iter()
            .any(|(t, n)| t == "deal_stage_changes" && *n == 4)
    );
    assert_eq!(deal_state(&target), original);
    assert!(
        target.verify().unwrap().ok(),
        "{:?}",
        target.verify().unwrap().failures().collect::<Vec<_>>()
    );
    let next = target
        .add_deal(&NewDeal::new(p.id, "გ").customer(nino).amount(gel(1)))
        .unwrap();
    assert_eq!(next.id.0, b.id.0 + 1, "ids continue after the copied ones");
}

/// A small deterministic random generator, so that the replay is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The test's own record of one deal.
struct Record {
    version: i64,
    pipeline: usize,
    stage: usize,
    amount: i64,
    owner: String,
    close: Option<NaiveDate>,
    override_p: Option<u8>,
    entered: i64,
    /// Open-stage indexes of the furniture pipeline it entered, and whether it was ever won there.
    visited: BTreeSet<usize>,
    won_ever: bool,
    /// Lost-reason index and the stage index it was lost at, while lost.
    lost: Option<(usize, usize)>,
}

/// `n / d` rounded half away from zero, written independently of the library.
fn round_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d.abs() {
        q + n.signum() * d.signum()
    } else {
        q
    }
}

#[test]
fn replay_of_a_thousand_deals_over_months_matches_independent_figures() {
    let (crm, clock) = open();
    let p = furniture(&crm);
    let corp = crm
        .add_pipeline(&NewPipeline::new(
            "კორპორატიული",
            vec![
                NewStage::open("ზარი", 15),
                NewStage::open("ტენდერი", 35),
                NewStage::won("მოგებული"),
            ],
        ))
        .unwrap();
    let reasons = crm
        .seed_lost_reasons(&["ძვირია", "კონკურენტი", "ვადები", "აღარ სჭირდება"])
        .unwrap();
    let probs = [10u8, 25, 40, 60, 80, 90, 100, 0];
    let corp_probs = [15u8, 35, 100];
    let owners = ["გიორგი", "ნათია", "ლევანი", "მარიამ"];
    let customers: Vec<CustomerId> = [
        "ნინო",
        "დავით",
        "თამარ",
        "ირაკლი",
        "ეკა",
        "სანდრო",
        "ქეთევან",
        "ზურაბ",
    ]
    .iter()
    .map(|n| person(&crm, &format!("{n} ბერიძე")))
    .collect();

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut deals: Vec<(crmlite::DealId, Record)> = Vec::new();
    let mut stays: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
    let mut steps = 0;
    while deals.len() < 1000 || steps < 9000 {
        steps += 1;
        clock.advance(10 * 60_000 + i64::try_from(rng.below(2 * HOUR as u64)).unwrap());
        let now = clock_now(&clock).0;
        if deals.len() < 1000 && rng.below(3) == 0 {
            let amount = 50_000 + i64::try_from(rng.below(5_000_000)).unwrap();
            let owner = owners[rng.below(4) as usize].to_owned();
            let close =
                NaiveDate::from_ymd_opt(2026, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                    .filter(|_| rng.below(10) != 0);
            let override_p = (rng.below(8) == 0).then(|| rng.below(101) as u8);
            let mut new = NewDeal::new(p.id, format!("შეკვეთა {}", deals.len()))
                .customer(customers[rng.below(8) as usize])
                .owner(owner.clone())
                .amount(gel(amount))
                .by(owner.clone());
            if let Some(c) = close {
                new = new.expected_close(c);
            }
            if let Some(o) = override_p {
                new = new.probability(o);
            }
            let d = crm.add_deal(&new).unwrap();
            deals.push((
                d.id,
                Record {
                    version: d.version,
                    pipeline: 0,
                    stage: 0,
                    amount,
                    owner,
                    close,
                    override_p,
                    entered: now,
                    visited: BTreeSet::from([0]),
                    won_ever: false,
                    lost: None,
                },
            ));
            continue;
        }
        if deals.is_empty() {
            continue;
        }
        let i = rng.below(deals.len() as u64) as usize;
        let (id, r) = &mut deals[i];
        let spent = now - r.entered;
        let roll = rng.below(100);
        let result = if r.pipeline == 1 {
            if r.stage == 2 {
                continue;
            }
            let to = r.stage + 1;
            let d = crm
                .move_deal(*id, r.version, &StageMove::to(corp.stages[to].id, "x"))
                .unwrap();
            r.stage = to;
            d
        } else if r.stage == 6 {
            continue;
        } else if r.stage == 7 {
            if roll >= 3 {
                continue;
            }
            let d = crm.reopen_deal(*id, r.version, None, "x").unwrap();
            stays.entry(7).or_default().push(spent);
            let back = p.stages.iter().position(|s| s.id == d.stage).unwrap();
            assert_eq!(
                Some(back),
                r.lost.map(|(_, at)| at),
                "reopened where it was lost"
            );
            r.lost = None;
            r.stage = back;
            r.visited.insert(back);
            d
        } else if roll < 12 {
            let reason = rng.below(4) as usize;
            let d = crm
                .mark_lost(*id, r.version, Some(reasons[reason].id), "", "x")
                .unwrap();
            stays.entry(r.stage).or_default().push(spent);
            r.lost = Some((reason, r.stage));
            r.stage = 7;
            d
        } else if roll < 15 && r.stage < 3 {
            let d = crm
                .change_deal_pipeline(*id, r.version, corp.id, None, "x")
                .unwrap();
            stays.entry(r.stage).or_default().push(spent);
            r.pipeline = 1;
            r.stage = 0;
            d
        } else if roll < 20 && r.stage >= 4 {
            let d = crm.mark_won(*id, r.version, "x").unwrap();
            stays.entry(r.stage).or_default().push(spent);
            r.stage = 6;
            r.won_ever = true;
            d
        } else if roll < 60 {
            let to = if r.stage < 4 && roll < 25 {
                r.stage + 2
            } else {
                r.stage + 1
            };
            let d = crm
                .move_deal(*id, r.version, &StageMove::to(stage(&p, to), "x"))
                .unwrap();
            stays.entry(r.stage).or_default().push(spent);
            r.stage = to;
            if to == 6 {
                r.won_ever = true;
            } else {
                r.visited.insert(to);
            }
            d
        } else {
            continue;
        };
        assert_eq!(result.stage_entered_at.0, now);
        r.version = result.version;
        r.entered = now;
    }

    // The test's own view of each deal's effective probability.
    let probability = |r: &Record| -> u8 {
        match (r.pipeline, r.stage) {
            (0, 6) | (1, 2) => 100,
            (0, 7) => 0,
            (pl, s) => r
                .override_p
                .unwrap_or(if pl == 0 { probs[s] } else { corp_probs[s] }),
        }
    };
    let open = |r: &Record| !matches!((r.pipeline, r.stage), (0, 6) | (0, 7) | (1, 2));
    assert!(
        deals.iter().filter(|(_, r)| open(r)).count() > 100,
        "the replay leaves open deals"
    );
    assert!(
        deals
            .iter()
            .filter(|(_, r)| r.stage == 6 && r.pipeline == 0)
            .count()
            > 50,
        "the replay wins deals"
    );
    assert!(
        deals.iter().filter(|(_, r)| r.stage == 7).count() > 50,
        "the replay loses deals"
    );

    // Forecast by owner, by close month and by pipeline.
    let expected = |key: &dyn Fn(&Record) -> String| -> BTreeMap<String, (i64, i64, i64)> {
        let mut sums: BTreeMap<String, (i64, i128, i128)> = BTreeMap::new();
        for (_, r) in deals.iter().filter(|(_, r)| open(r)) {
            let e = sums.entry(key(r)).or_default();
            e.0 += 1;
            e.1 += i128::from(r.amount);
            e.2 += i128::from(r.amount) * i128::from(probability(r));
        }
        sums.into_iter()
            .map(|(k, (n, a, w))| (k, (n, a as i64, round_div(w, 100) as i64)))
            .collect()
    };
    let actual = |by| -> BTreeMap<String, (i64, i64, i64)> {
        crm.forecast(by, None)
            .unwrap()
            .into_iter()
            .map(|r| (r.group, (r.deals, r.amount.minor, r.weighted.minor)))
            .collect()
    };
    assert_eq!(
        actual(ForecastBy::Owner),
        expected(&|r: &Record| r.owner.clone())
    );
    assert_eq!(
        actual(ForecastBy::CloseMonth),
        expected(&|r: &Record| r
            .close
            .map_or(String::new(), |d| d.format("%Y-%m").to_string()))
    );
    let pipeline_ids = [p.id.to_string(), corp.id.to_string()];
    assert_eq!(
        actual(ForecastBy::Pipeline),
        expected(&|r: &Record| pipeline_ids[r.pipeline].clone())
    );

    // Funnel of the furniture pipeline.
    let funnel = crm.funnel(p.id).unwrap();
    for (s, step) in funnel.iter().enumerate().take(6) {
        let reached = |pos: usize| {
            deals
                .iter()
                .filter(|(_, r)| r.won_ever || r.visited.iter().any(|v| *v >= pos))
                .count() as i64
        };
        assert_eq!(step.reached, reached(s), "reached {s}");
        let next = if s < 5 {
            reached(s + 1)
        } else {
            deals.iter().filter(|(_, r)| r.won_ever).count() as i64
        };
        assert_eq!(
            step.conversion_bp,
            Some(round_div(i128::from(next) * 10_000, i128::from(reached(s))) as u32),
            "conversion {s}"
        );
        let current = deals
            .iter()
            .filter(|(_, r)| r.pipeline == 0 && r.stage == s)
            .count() as i64;
        assert_eq!(step.current, current, "current {s}");
    }
    assert_eq!(
        funnel[6].reached,
        deals.iter().filter(|(_, r)| r.won_ever).count() as i64
    );
    assert_eq!(funnel[0].reached, 1000);

    // Win rate and time in stage.
    let won = deals
        .iter()
        .filter(|(_, r)| r.pipeline == 0 && r.stage == 6)
        .count() as i64;
    let lost = deals.iter().filter(|(_, r)| r.stage == 7).count() as i64;
    let rate = crm.win_rate(Some(p.id)).unwrap();
    assert_eq!((rate.won, rate.lost), (won, lost));
    assert_eq!(
        rate.rate_bp,
        Some(round_div(i128::from(won) * 10_000, i128::from(won + lost)) as u32)
    );
    let times = crm.time_in_stage(p.id).unwrap();
    for (s, t) in times.iter().enumerate() {
        let mut v = stays.get(&s).cloned().unwrap_or_default();
        v.sort_unstable();
        assert_eq!(t.stays, v.len() as i64, "stays {s}");
        if v.is_empty() {
            assert_eq!((t.average_ms, t.median_ms), (None, None));
            continue;
        }
        let sum: i128 = v.iter().map(|x| i128::from(*x)).sum();
        assert_eq!(
            t.average_ms,
            Some(round_div(sum, v.len() as i128) as i64),
            "average {s}"
        );
        let median = if v.len() % 2 == 1 {
            v[v.len() / 2]
        } else {
            round_div(
                i128::from(v[v.len() / 2 - 1]) + i128::from(v[v.len() / 2]),
                2,
            ) as i64
        };
        assert_eq!(t.median_ms, Some(median), "median {s}");
    }

    // Lost reasons by the stage each deal was lost at.
    let mut expected_lost: BTreeMap<(crmlite::LostReasonId, StageId), i64> = BTreeMap::new();
    for (_, r) in &deals {
        if let Some((reason, at)) = r.lost {
            *expected_lost
                .entry((reasons[reason].id, stage(&p, at)))
                .or_default() += 1;
        }
    }
    let report = crm.lost_reasons_report(Some(p.id)).unwrap();
    assert!(report.windows(2).all(|w| w[0].deals >= w[1].deals));
    let actual_lost: BTreeMap<_, _> = report
        .iter()
        .map(|r| ((r.reason, r.stage), r.deals))
        .collect();
    assert_eq!(actual_lost, expected_lost);
    assert_eq!(actual_lost.values().sum::<i64>(), lost);
    let months = (clock_now(&clock).0 - t0().0) / (30 * DAY);
    assert!(months >= 6, "the replay spans months ({months})");
    let health = crm.verify().unwrap();
    assert!(health.ok(), "{:?}", health.failures().collect::<Vec<_>>());
}

#[test]
fn verify_names_the_deal_invariants_that_damaged_data_breaks() {
    let db = TestDb::new("deals_damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let clock = Arc::new(FixedClock::new(t0()));
    let crm = db.open_with(OpenOptions::new(), Some(clock));
    let p = furniture(&crm);
    let nino = person(&crm, "ნინო ბერიძე");
    crm.add_deal(
        &NewDeal::new(p.id, "ა")
            .customer(nino)
            .line(NewDealLine::new("სკამი", 1000, gel(100))),
    )
    .unwrap();
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute_batch("UPDATE deals SET status = 'won', amount_minor = 99")
        .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(
        failed,
        vec![
            "deal_stage_in_pipeline",
            "deal_closed_fields",
            "deal_line_totals"
        ]
    );
}

#[test]
fn reports_summed_by_the_database_stay_exact_near_the_limits() {
    let (crm, _clock) = open();
    let p = furniture(&crm);
    let nino = person(&crm, "ნინო ბერიძე");
    let add = |owner: &str, minor: i64, probability: u8| {
        crm.add_deal(
            &NewDeal::new(p.id, "დიდი შეკვეთა")
                .customer(nino)
                .owner(owner)
                .amount(gel(minor))
                .probability(probability),
        )
        .unwrap()
    };
    // Two amounts whose sum still fits in i64 but whose plain SQL sum of products would not.
    let big = i64::MAX / 2;
    add("ნათია", big, 99);
    add("ნათია", big, 1);
    add("გიორგი", 3, 50);
    add("გიორგი", 2, 50);
    let rows = crm.forecast(ForecastBy::Owner, None).unwrap();
    let natia = rows.iter().find(|r| r.group == "ნათია").unwrap();
    assert_eq!(natia.deals, 2);
    assert_eq!(natia.amount.minor, big * 2);
    // (big × 99 + big × 1) / 100 = big, exactly
    assert_eq!(natia.weighted.minor, big);
    let giorgi = rows.iter().find(|r| r.group == "გიორგი").unwrap();
    // (3 × 50 + 2 × 50) / 100 = 2.5, rounded once half away from zero
    assert_eq!(giorgi.weighted.minor, 3);

    // One more big deal makes the owner's total overflow: a typed error, not a storage fault.
    add("ნათია", big, 10);
    assert_eq!(
        field(crm.forecast(ForecastBy::Owner, None).unwrap_err()),
        "amount"
    );
    // So does every grouping that puts the big deals together.
    assert_eq!(
        field(crm.forecast(ForecastBy::Pipeline, Some(p.id)).unwrap_err()),
        "amount"
    );
    assert!(crm.forecast(ForecastBy::CloseMonth, None).is_err());
}

#[test]
fn a_line_product_code_must_name_an_active_product_whose_name_an_empty_line_takes() {
    let (crm, _) = open();
    let p = furniture(&crm);
    let org = crm
        .add_customer(&NewCustomer::organisation("Ծաղիկ ՍՊԸ"))
        .unwrap()
        .id;
    crm.upsert_entry("product", &EntryInput::new("ARM-1", "Բազկաթոռ"))
        .unwrap();
    crm.upsert_entry("product", &EntryInput::new("OLD-1", "Παλιό τραπέζι"))
        .unwrap();
    crm.set_entry_archived("product", "OLD-1", true).unwrap();
    let with = |code: &str, name: &str| {
        NewDeal::new(p.id, "Գրասենյակ")
            .organisation(org)
            .line(NewDealLine::new("میز", 1000, gel(100)))
            .line(NewDealLine::new(name, 2000, gel(50)).product_code(code))
    };
    let before = crm.changes_since(0, 1000).unwrap().len();
    for (code, name) in [("NOPE-9", "x"), ("OLD-1", "x"), ("NOPE-9", "")] {
        let e = crm.add_deal(&with(code, name)).unwrap_err();
        assert_eq!(field(e), "lines[1].product_code", "{code}");
    }
    // Without a code the name is still required.
    let e = crm
        .add_deal(
            &NewDeal::new(p.id, "x")
                .organisation(org)
                .line(NewDealLine::new(" ", 1000, gel(1))),
        )
        .unwrap_err();
    assert_eq!(field(e), "lines[0].product");
    assert!(
        crm.list_deals(&DealFilter::all(), None, 100)
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before);

    // An empty name takes the entry's; a given one is kept.
    let deal = crm.add_deal(&with("ARM-1", "")).unwrap();
    assert_eq!(deal.lines[1].product, "Բազկաթոռ");
    assert_eq!(crm.deal(deal.id).unwrap().lines, deal.lines);
    let kept = crm.add_deal(&with("ARM-1", "Κόκκινη πολυθρόνα")).unwrap();
    assert_eq!(kept.lines[1].product, "Κόκκινη πολυθρόνα");

    // Updating the lines checks the codes too; other patches do not look at them.
    let before = crm.changes_since(0, 1000).unwrap().len();
    let bad = DealPatch::new().lines(vec![
        NewDealLine::new("", 1000, gel(5)).product_code("OLD-1"),
    ]);
    let e = crm.update_deal(deal.id, deal.version, &bad).unwrap_err();
    assert_eq!(field(e), "lines[0].product_code");
    let stored = crm.deal(deal.id).unwrap();
    assert_eq!(
        (stored.version, stored.lines),
        (deal.version, deal.lines.clone())
    );
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before);
    crm.set_entry_archived("product", "ARM-1", true).unwrap();
    let renamed = crm
        .update_deal(
            deal.id,
            deal.version,
            &DealPatch::new().title("Գրասենյակ 2"),
        )
        .unwrap();
    assert_eq!(renamed.lines, deal.lines);
}
