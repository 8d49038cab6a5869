//! Unit tests of complaint validation, the lifecycle table, the SLA and NPS arithmetic.

use super::*;
use crate::{CustomerId, Error};

fn field<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    match r {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn lifecycle_allows_only_the_documented_moves() {
    use ComplaintStatus::*;
    let allowed = [
        (Open, InProgress),
        (Open, Resolved),
        (InProgress, Resolved),
        (Resolved, Closed),
        (Resolved, Open),
        (Closed, Open),
    ];
    for from in ComplaintStatus::ALL {
        for to in ComplaintStatus::ALL {
            assert_eq!(
                from.can_move_to(*to),
                allowed.contains(&(*from, *to)),
                "{from:?} -> {to:?}"
            );
        }
    }
    assert_eq!(
        ComplaintStatus::parse("In-Progress", "s").unwrap(),
        InProgress
    );
    assert_eq!(field(ComplaintStatus::parse("done", "to")), "to");
}

#[test]
fn deadlines_follow_the_severity() {
    let now = Timestamp(1_000);
    let c = new_complaint(
        &NewComplaint::new(CustomerId(1), " Ο καφές ήταν κρύος ").severity(Severity::Critical),
        now,
    )
    .unwrap();
    assert_eq!(c.subject, "Ο καφές ήταν κρύος");
    assert_eq!(c.response_due, Timestamp(1_000 + 3_600_000));
    assert_eq!(c.resolution_due, Timestamp(1_000 + 86_400_000));
    assert!(!c.is_overdue(Timestamp(1_000 + 3_600_000)));
    assert!(c.is_overdue(Timestamp(1_000 + 3_600_001)));
    let mut responded = c.clone();
    responded.responded_at = Some(now);
    assert!(!responded.is_overdue(Timestamp(1_000 + 3_600_001)));
    assert!(responded.is_overdue(Timestamp(1_000 + 86_400_001)));
    responded.status = ComplaintStatus::Resolved;
    assert!(!responded.is_overdue(Timestamp(1_000 + 86_400_001)));
    assert!(Severity::Low.sla().1 > Severity::Normal.sla().1);
    assert!(Severity::Critical > Severity::High);
}

#[test]
fn bad_complaints_name_the_field() {
    let now = Timestamp(0);
    assert_eq!(
        field(new_complaint(&NewComplaint::new(CustomerId(1), "  "), now)),
        "subject"
    );
    assert_eq!(
        field(new_complaint(
            &NewComplaint::new(CustomerId(1), "x").description("a\u{0}b"),
            now
        )),
        "description"
    );
    assert_eq!(
        field(new_complaint(
            &NewComplaint::new(CustomerId(1), "x"),
            Timestamp(i64::MAX)
        )),
        "response_due"
    );
    let ok = new_complaint(
        &NewComplaint::new(CustomerId(1), "شکایت").description("خط اول\nخط دوم"),
        now,
    )
    .unwrap();
    assert_eq!(ok.description, "خط اول\nخط دوم");
}

#[test]
fn nps_scores_are_checked() {
    let now = Timestamp(5);
    for bad in [-1, 11, 1_000] {
        assert_eq!(
            field(new_nps_response(
                &NewNpsResponse::new(CustomerId(1), bad),
                now
            )),
            "score"
        );
    }
    let r = new_nps_response(&NewNpsResponse::new(CustomerId(1), 10), now).unwrap();
    assert_eq!(
        (r.score, r.at, r.category()),
        (10, now, NpsCategory::Promoter)
    );
    assert_eq!(NpsCategory::of(6), NpsCategory::Detractor);
    assert_eq!(NpsCategory::of(7), NpsCategory::Passive);
    assert_eq!(NpsCategory::of(8), NpsCategory::Passive);
    assert_eq!(NpsCategory::of(9), NpsCategory::Promoter);
}

#[test]
fn nps_rounds_half_away_from_zero_exactly() {
    assert_eq!(nps_score(0, 0, 0), None);
    assert_eq!(nps_score(1, 0, 3), Some(33)); // 33.33
    assert_eq!(nps_score(2, 0, 3), Some(67)); // 66.67
    assert_eq!(nps_score(1, 0, 8), Some(13)); // 12.5 -> 13
    assert_eq!(nps_score(0, 1, 8), Some(-13)); // -12.5 -> -13
    assert_eq!(nps_score(3, 3, 7), Some(0));
    assert_eq!(nps_score(10, 0, 10), Some(100));
    assert_eq!(nps_score(0, 10, 10), Some(-100));
    assert_eq!(nps_score(1, 0, 200), Some(1)); // 0.5 -> 1
    assert_eq!(nps_score(0, 1, 201), Some(0)); // -0.497 -> 0
    assert_eq!(nps_score(i64::MAX, 0, i64::MAX), Some(100));
    let mut counts = [0i64; 11];
    counts[10] = 5;
    counts[9] = 2;
    counts[8] = 3;
    counts[3] = 1;
    counts[0] = 1;
    let r = NpsReport::from_counts(Timestamp(0), Timestamp(1), None, counts);
    assert_eq!(
        (r.responses, r.promoters, r.passives, r.detractors, r.nps),
        (12, 7, 3, 2, Some(42))
    );
}
