//! Unit tests of deal validation, line totals and the reports.

use super::report::{
    ForecastBy, ForecastKey, ForecastPart, FunnelCounts, StageStays, forecast, forecast_from_parts,
    funnel, funnel_from_counts, lost_reasons, lost_reasons_from_counts, time_from_stays,
    time_in_stage, win_rate, win_rate_from_counts,
};
use super::validate::{amount, lines, new_stage, stage_patch};
use super::*;
use crate::money::Currency;
use crate::{Error, PipelineId};
use std::collections::{BTreeMap, BTreeSet};

fn gel(minor: i64) -> Money {
    Money::new(minor, Currency::parse("GEL", "c").unwrap())
}

fn field<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    match r {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn pipeline() -> Pipeline {
    let specs = [
        ("ზარი", 10, StageKind::Open),
        ("ვიზიტი", 30, StageKind::Open),
        ("შეთავაზება", 60, StageKind::Open),
        ("მოგებული", 100, StageKind::Won),
        ("წაგებული", 0, StageKind::Lost),
    ];
    Pipeline {
        id: PipelineId(1),
        name: "ავეჯი".into(),
        stages: specs
            .iter()
            .enumerate()
            .map(|(i, (name, probability, kind))| Stage {
                id: StageId(i as i64 + 1),
                pipeline: PipelineId(1),
                name: (*name).into(),
                position: i as i64,
                probability: *probability,
                kind: *kind,
                rot_after_days: None,
                retired: false,
            })
            .collect(),
        created_at: Timestamp(0),
    }
}

fn figures(
    id: i64,
    stage: i64,
    status: StageKind,
    owner: &str,
    minor: i64,
    probability: u8,
) -> DealFigures {
    DealFigures {
        id: DealId(id),
        pipeline: PipelineId(1),
        stage: StageId(stage),
        status,
        owner: owner.into(),
        amount: gel(minor),
        probability,
        expected_close: NaiveDate::from_ymd_opt(2026, 2 + (id % 2) as u32, 10),
        lost_reason: None,
        lost_at_stage: None,
    }
}

fn change(id: i64, deal: i64, from: Option<i64>, to: i64, spent_ms: i64) -> DealStageChange {
    DealStageChange {
        id: DealStageChangeId(id),
        deal: DealId(deal),
        from_stage: from.map(StageId),
        to_stage: StageId(to),
        by: String::new(),
        at: Timestamp(0),
        spent_ms,
    }
}

#[test]
fn effective_probability_keeps_an_explicit_zero() {
    assert_eq!(effective_probability(StageKind::Open, Some(0), 40), 0);
    assert_eq!(effective_probability(StageKind::Open, None, 40), 40);
    assert_eq!(effective_probability(StageKind::Won, Some(0), 40), 100);
    assert_eq!(effective_probability(StageKind::Lost, Some(90), 40), 0);
}

#[test]
fn line_totals_round_half_away_from_zero_and_check_overflow() {
    assert_eq!(line_total(1500, gel(333), 0, "t").unwrap(), gel(500)); // 499.5 -> 500
    assert_eq!(line_total(1000, gel(999), 3333, "t").unwrap(), gel(666)); // 666.0333 -> 666
    assert_eq!(line_total(1000, gel(1), 5000, "t").unwrap(), gel(1)); // 0.5 -> 1
    assert_eq!(line_total(1000, gel(1), 10_000, "t").unwrap(), gel(0));
    assert_eq!(line_total(1, gel(1), 0, "t").unwrap(), gel(0)); // 0.001 -> 0
    assert_eq!(
        line_total(1000, gel(i64::MAX), 0, "t").unwrap(),
        gel(i64::MAX)
    );
    assert_eq!(
        field(line_total(2000, gel(i64::MAX), 0, "lines[0].total")),
        "lines[0].total"
    );
}

#[test]
fn lines_are_checked_field_by_field() {
    let ok = NewDealLine::new("სკამი", 1000, gel(100));
    assert_eq!(lines(std::slice::from_ref(&ok)).unwrap()[0].total, gel(100));
    assert_eq!(
        field(lines(&[ok.clone(), NewDealLine::new("მაგიდა", 0, gel(1))])),
        "lines[1].quantity_milli"
    );
    assert_eq!(
        field(lines(&[NewDealLine::new("მაგიდა", 1000, gel(-1))])),
        "lines[0].unit_price"
    );
    assert_eq!(
        field(lines(&[NewDealLine::new("", 1000, gel(1))])),
        "lines[0].product"
    );
    assert_eq!(
        field(lines(&[ok.clone().discount_bp(10_001)])),
        "lines[0].discount_bp"
    );
    let eur = Money::new(1, Currency::parse("EUR", "c").unwrap());
    assert_eq!(
        field(lines(&[ok.clone(), NewDealLine::new("მაგიდა", 1000, eur)])),
        "lines[1].unit_price"
    );
    let checked = lines(&[ok.clone(), ok]).unwrap();
    assert_eq!(amount(None, &checked).unwrap(), gel(200));
    assert_eq!(field(amount(Some(gel(199)), &checked)), "amount");
    assert_eq!(field(amount(Some(eur), &checked)), "amount");
    assert_eq!(field(amount(None, &[])), "amount");
}

#[test]
fn stages_check_probability_and_kind() {
    let p = PipelineId(1);
    assert_eq!(
        new_stage("stages[0]", &NewStage::won("მოგებული"), p, 0)
            .unwrap()
            .probability,
        100
    );
    let mut bad = NewStage::won("მოგებული");
    bad.probability = Some(90);
    assert_eq!(
        field(new_stage("stages[3]", &bad, p, 3)),
        "stages[3].probability"
    );
    assert_eq!(
        field(new_stage("stages[0]", &NewStage::open("ზარი", 101), p, 0)),
        "stages[0].probability"
    );
    assert_eq!(
        field(new_stage(
            "stages[0]",
            &NewStage::open("ზარი", 10).rot_after_days(0),
            p,
            0
        )),
        "stages[0].rot_after_days"
    );
    let open = new_stage("s", &NewStage::open("ზარი", 10), p, 0).unwrap();
    assert_eq!(
        stage_patch(&open, &StagePatch::new().probability(0))
            .unwrap()
            .probability,
        0
    );
    assert_eq!(
        field(stage_patch(&open, &StagePatch::new().name(" "))),
        "name"
    );
}

#[test]
fn stage_lists_parse_with_defaults() {
    let list = parse_stage_list(
        "# სტადიები\nზარი | 10 | open | 7\n\nვიზიტი|۳۰\nმოგებული | 100 | won\nწაგებული||lost",
    )
    .unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(
        (list[0].probability, list[0].rot_after_days),
        (Some(10), Some(7))
    );
    assert_eq!(
        (list[1].probability, list[1].kind),
        (Some(30), StageKind::Open)
    );
    assert_eq!((list[3].probability, list[3].kind), (None, StageKind::Lost));
    assert_eq!(field(parse_stage_list("ზარი | x")), "stages[0].probability");
    assert_eq!(
        field(parse_stage_list("ზარი\nვიზიტი | 300")),
        "stages[1].probability"
    );
    assert_eq!(
        field(parse_stage_list("ზარი | 1 | maybe")),
        "stages[0].kind"
    );
}

#[test]
fn forecast_sums_exactly_and_rounds_once_per_group() {
    let rows = [
        figures(1, 1, StageKind::Open, "გიორგი", 1, 50), // 0.5
        figures(2, 1, StageKind::Open, "გიორგი", 1, 50), // 0.5
        figures(3, 2, StageKind::Open, "ნათია", 333, 33), // 109.89
        figures(4, 4, StageKind::Won, "ნათია", 1000, 100),
        figures(5, 5, StageKind::Lost, "ნათია", 1000, 0),
    ];
    let by_owner = forecast(&rows, ForecastBy::Owner).unwrap();
    assert_eq!(by_owner.len(), 2);
    assert_eq!(
        (
            by_owner[0].group.as_str(),
            by_owner[0].deals,
            by_owner[0].amount,
            by_owner[0].weighted
        ),
        ("გიორგი", 2, gel(2), gel(1))
    );
    assert_eq!((by_owner[1].deals, by_owner[1].weighted), (1, gel(110)));
    let by_month = forecast(&rows, ForecastBy::CloseMonth).unwrap();
    assert_eq!(
        by_month
            .iter()
            .map(|r| r.group.as_str())
            .collect::<Vec<_>>(),
        vec!["2026-02", "2026-03"]
    );
    let mut huge = figures(6, 1, StageKind::Open, "x", i64::MAX, 100);
    assert_eq!(
        forecast(&[huge.clone()], ForecastBy::Pipeline).unwrap()[0].weighted,
        gel(i64::MAX)
    );
    huge.id = DealId(7);
    assert_eq!(
        field(forecast(&[huge.clone(), huge], ForecastBy::Pipeline)),
        "amount"
    );
}

#[test]
fn funnel_counts_deals_that_reached_each_stage_or_passed_it() {
    let p = pipeline();
    // Deal 1: 1 -> 3 -> won. Deal 2: 1 -> 2 -> lost. Deal 3: 2 (created there). Deal 4: 1.
    let history = [
        change(1, 1, None, 1, 0),
        change(2, 2, None, 1, 0),
        change(3, 3, None, 2, 0),
        change(4, 4, None, 1, 0),
        change(5, 1, Some(1), 3, 100),
        change(6, 2, Some(1), 2, 300),
        change(7, 1, Some(3), 4, 50),
        change(8, 2, Some(2), 5, 20),
    ];
    let now = [
        figures(1, 4, StageKind::Won, "", 1, 100),
        figures(2, 5, StageKind::Lost, "", 1, 0),
        figures(3, 2, StageKind::Open, "", 1, 30),
        figures(4, 1, StageKind::Open, "", 1, 10),
    ];
    let steps = funnel(&p, &history, &now);
    let reached: Vec<i64> = steps.iter().map(|s| s.reached).collect();
    assert_eq!(reached, vec![4, 3, 1, 1, 1]);
    let conversion: Vec<Option<u32>> = steps.iter().map(|s| s.conversion_bp).collect();
    assert_eq!(
        conversion,
        vec![Some(7500), Some(3333), Some(10_000), None, None]
    );
    assert_eq!(
        steps.iter().map(|s| s.current).collect::<Vec<_>>(),
        vec![1, 1, 0, 1, 1]
    );

    let times = time_in_stage(&p, &history);
    assert_eq!(
        (times[0].stays, times[0].average_ms, times[0].median_ms),
        (2, Some(200), Some(200))
    );
    assert_eq!((times[1].stays, times[1].median_ms), (1, Some(20)));
    assert_eq!(
        (times[3].stays, times[3].average_ms, times[3].median_ms),
        (0, None, None)
    );
    let more = [
        change(1, 1, Some(1), 2, 1),
        change(2, 2, Some(1), 2, 2),
        change(3, 3, Some(1), 2, 4),
    ];
    let t = &time_in_stage(&p, &more)[0];
    assert_eq!((t.average_ms, t.median_ms), (Some(2), Some(2))); // 7/3 = 2.33 -> 2
    let even = [change(1, 1, Some(1), 2, 1), change(2, 2, Some(1), 2, 2)];
    assert_eq!(time_in_stage(&p, &even)[0].median_ms, Some(2)); // 1.5 -> 2

    let rate = win_rate(&now);
    assert_eq!((rate.won, rate.lost, rate.rate_bp), (1, 1, Some(5000)));
    assert_eq!(win_rate(&now[2..]).rate_bp, None);
}

#[test]
fn lost_reasons_group_by_reason_and_stage() {
    let p = pipeline();
    let reasons = [LostReason {
        id: LostReasonId(1),
        name: "ძვირია".into(),
        retired: false,
        created_at: Timestamp(0),
    }];
    let mut a = figures(1, 5, StageKind::Lost, "", 1, 0);
    a.lost_reason = Some(LostReasonId(1));
    a.lost_at_stage = Some(StageId(2));
    let mut b = a.clone();
    b.id = DealId(2);
    let mut c = a.clone();
    c.id = DealId(3);
    c.lost_at_stage = Some(StageId(1));
    let mut reopened = a.clone();
    reopened.status = StageKind::Open;
    let rows = lost_reasons(&[c, a, b, reopened], &reasons, &[p]);
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.reason_name.as_str(), r.stage_name.as_str(), r.deals))
        .collect();
    assert_eq!(got, vec![("ძვირია", "ვიზიტი", 2), ("ძვირია", "ზარი", 1)]);
}

proptest::proptest! {
    #[test]
    fn line_totals_match_half_up_on_non_negative_inputs(q in 1i64..1_000_000_000, p in 0i64..1_000_000_000_000, d in 0u32..=10_000) {
        // For non-negative values half away from zero is half up: floor((2n + den) / (2 den)).
        let n = i128::from(q) * i128::from(p) * i128::from(10_000 - d);
        let den = 10_000_000i128;
        let expected = (2 * n + den) / (2 * den);
        match line_total(q, gel(p), d, "t") {
            Ok(total) => proptest::prop_assert_eq!(i128::from(total.minor), expected),
            Err(_) => proptest::prop_assert!(expected > i128::from(i64::MAX)),
        }
    }

    #[test]
    fn forecast_rows_add_up_to_the_deals(amounts in proptest::collection::vec((0i64..1_000_000_000, 0u8..=100), 1..40)) {
        let rows: Vec<DealFigures> = amounts
            .iter()
            .enumerate()
            .map(|(i, (a, p))| figures(i as i64, 1, StageKind::Open, if i % 2 == 0 { "ა" } else { "ბ" }, *a, *p))
            .collect();
        let out = forecast(&rows, ForecastBy::Owner).unwrap();
        let deals: i64 = out.iter().map(|r| r.deals).sum();
        let amount: i64 = out.iter().map(|r| r.amount.minor).sum();
        proptest::prop_assert_eq!(deals, rows.len() as i64);
        proptest::prop_assert_eq!(amount, amounts.iter().map(|(a, _)| a).sum::<i64>());
        for r in &out {
            let exact: i128 = rows.iter().filter(|f| f.owner == r.group).map(|f| i128::from(f.amount.minor) * i128::from(f.probability)).sum();
            proptest::prop_assert_eq!(i128::from(r.weighted.minor), (2 * exact + 100) / 200);
        }
    }
}

/// Random deal paths on [`pipeline`]: each deal starts in an open stage and makes some moves.
fn random_history(steps: &[(u8, u8, u16)]) -> (Vec<DealStageChange>, Vec<DealFigures>) {
    let mut history = Vec::new();
    let mut now = Vec::new();
    let mut at: BTreeMap<i64, i64> = BTreeMap::new();
    for (i, (deal, to, spent)) in steps.iter().enumerate() {
        let deal = i64::from(*deal % 8) + 1;
        let to = i64::from(*to % 5) + 1;
        let from = at.get(&deal).copied();
        if from == Some(to) {
            continue;
        }
        let spent = if from.is_some() { i64::from(*spent) } else { 0 };
        history.push(change(i as i64 + 1, deal, from, to, spent));
        at.insert(deal, to);
    }
    for (deal, stage) in at {
        let status = match stage {
            4 => StageKind::Won,
            5 => StageKind::Lost,
            _ => StageKind::Open,
        };
        let mut f = figures(deal, stage, status, "", 1, 0);
        if status == StageKind::Lost {
            f.lost_reason = Some(LostReasonId(1 + deal % 2));
            f.lost_at_stage = Some(StageId(1 + deal % 3));
        }
        now.push(f);
    }
    (history, now)
}

proptest::proptest! {
    #[test]
    fn store_aggregates_give_the_same_reports_as_the_rows(
        steps in proptest::collection::vec((0u8..8, 0u8..5, 0u16..500), 0..60),
        amounts in proptest::collection::vec((0i64..i64::MAX / 64, 0u8..=100, 0u8..3), 1..30),
    ) {
        let p = pipeline();
        let (history, now) = random_history(&steps);

        // The funnel's counts as a GROUP BY would compute them.
        let mut reach: BTreeMap<i64, (Option<i64>, bool)> = BTreeMap::new();
        let mut entered: BTreeMap<StageId, BTreeSet<i64>> = BTreeMap::new();
        for h in &history {
            let s = p.stage(h.to_stage).unwrap();
            entered.entry(s.id).or_default().insert(h.deal.0);
            let r = reach.entry(h.deal.0).or_insert((None, false));
            match s.kind {
                StageKind::Open => r.0 = Some(r.0.map_or(s.position, |f| f.max(s.position))),
                StageKind::Won => r.1 = true,
                StageKind::Lost => {}
            }
        }
        let mut grouped: BTreeMap<(Option<i64>, bool), i64> = BTreeMap::new();
        for r in reach.values() {
            *grouped.entry(*r).or_default() += 1;
        }
        let mut current: BTreeMap<StageId, i64> = BTreeMap::new();
        for f in &now {
            *current.entry(f.stage).or_default() += 1;
        }
        let counts = FunnelCounts {
            current: current.into_iter().collect(),
            entered: entered.into_iter().map(|(s, d)| (s, d.len() as i64)).collect(),
            reach: grouped.into_iter().map(|((f, w), n)| (f, w, n)).collect(),
        };
        proptest::prop_assert_eq!(funnel_from_counts(&p, &counts), funnel(&p, &history, &now));

        // Stays: count, total and the middle one or two, per stage left.
        let mut by_stage: BTreeMap<StageId, Vec<i64>> = BTreeMap::new();
        for h in &history {
            if let Some(from) = h.from_stage {
                by_stage.entry(from).or_default().push(h.spent_ms);
            }
        }
        let stays: Vec<StageStays> = by_stage
            .into_iter()
            .map(|(stage, mut v)| {
                v.sort_unstable();
                let n = v.len();
                let middle = if n % 2 == 1 { vec![v[n / 2]] } else { vec![v[n / 2 - 1], v[n / 2]] };
                StageStays { stage, stays: n as i64, total_ms: v.iter().map(|x| i128::from(*x)).sum(), middle_ms: middle }
            })
            .collect();
        proptest::prop_assert_eq!(time_from_stays(&p, &stays), time_in_stage(&p, &history));

        let won = now.iter().filter(|f| f.status == StageKind::Won).count() as i64;
        let lost = now.iter().filter(|f| f.status == StageKind::Lost).count() as i64;
        proptest::prop_assert_eq!(win_rate_from_counts(won, lost), win_rate(&now));

        let reasons: Vec<LostReason> = (1..=2)
            .map(|i| LostReason { id: LostReasonId(i), name: format!("მიზეზი {i}"), retired: false, created_at: Timestamp(0) })
            .collect();
        let mut lost_counts: BTreeMap<(LostReasonId, StageId), i64> = BTreeMap::new();
        for f in now.iter().filter(|f| f.status == StageKind::Lost) {
            *lost_counts.entry((f.lost_reason.unwrap(), f.lost_at_stage.unwrap())).or_default() += 1;
        }
        let lost_counts: Vec<_> = lost_counts.into_iter().map(|((r, s), n)| (r, s, n)).collect();
        proptest::prop_assert_eq!(
            lost_reasons_from_counts(&lost_counts, &reasons, std::slice::from_ref(&p)),
            lost_reasons(&now, &reasons, std::slice::from_ref(&p))
        );

        // The forecast: parts per (owner, currency, probability), near the i64 limits too.
        let usd = Currency::parse("USD", "c").unwrap();
        let rows: Vec<DealFigures> = amounts
            .iter()
            .enumerate()
            .map(|(i, (a, prob, owner))| {
                let mut f = figures(i as i64, 1, StageKind::Open, ["ა", "ბ", ""][usize::from(*owner)], *a, *prob);
                if i % 3 == 0 {
                    f.amount = Money::new(*a, usd);
                }
                f
            })
            .collect();
        let mut parts: BTreeMap<(String, Currency, u8), (i64, i128)> = BTreeMap::new();
        for f in &rows {
            let e = parts.entry((f.owner.clone(), f.amount.currency, f.probability)).or_default();
            e.0 += 1;
            e.1 += i128::from(f.amount.minor);
        }
        let parts: Vec<ForecastPart> = parts
            .into_iter()
            .map(|((owner, currency, probability), (deals, amount))| ForecastPart {
                key: ForecastKey::Owner(owner),
                currency,
                probability,
                deals,
                amount,
            })
            .collect();
        let from_parts = forecast_from_parts(&parts);
        let from_rows = forecast(&rows, ForecastBy::Owner);
        match (from_parts, from_rows) {
            (Ok(a), Ok(b)) => proptest::prop_assert_eq!(a, b),
            (Err(a), Err(b)) => proptest::prop_assert_eq!(a.field(), b.field()),
            (a, b) => proptest::prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }
}
