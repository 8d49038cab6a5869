//! The demo's complaints and NPS answers: a few complaints in each of the five scripts, at
//! different points of their lifecycle, and an NPS survey answered in every language.

use crmlite::customer::CustomerKind;
use crmlite::service::{ComplaintFilter, NewComplaint, NewNpsResponse, NpsReport, Severity};
use crmlite::{Crm, Result, Timestamp};

use crate::error::Failure;
use crate::output::{Output, Table};

/// The demo's NPS survey.
pub const SURVEY: &str = "nps-demo";

/// How far a demo complaint gets: 0 open, 1 in progress, 2 resolved, 3 closed.
type Stage = u8;

/// Complaints: customer code, severity, channel, subject, description, assignee, stage, resolution.
const COMPLAINTS: &[(&str, Severity, &str, &str, &str, &str, Stage, &str)] = &[
    (
        "AM-P-01",
        Severity::High,
        "phone",
        "Դեղը սխալ էր",
        "Ստացել եմ 400 մգ՝ 500 մգ-ի փոխարեն",
        "anna",
        2,
        "Դեղը փոխարինվեց, 200 միավոր նվեր",
    ),
    (
        "AM-P-02",
        Severity::Normal,
        "shop",
        "Երկար հերթ դրամարկղում",
        "",
        "",
        0,
        "",
    ),
    (
        "GE-P-01",
        Severity::Critical,
        "email",
        "დივანი დაზიანებული მოვიდა",
        "ფეხი მოტეხილია, მიწოდება 3 დღით დაგვიანდა",
        "giorgi",
        1,
        "",
    ),
    (
        "GR-P-01",
        Severity::Normal,
        "web",
        "Η παραγγελία άργησε",
        "Παραδόθηκε μία εβδομάδα μετά",
        "eleni",
        3,
        "Δωρεάν μεταφορικά στην επόμενη παραγγελία",
    ),
    (
        "IR-P-01",
        Severity::Low,
        "phone",
        "رسید خرید ارسال نشد",
        "پیامک رسید نیامد",
        "",
        0,
        "",
    ),
    (
        "EU-P-01",
        Severity::High,
        "email",
        "Double charge on my card",
        "The receipt shows one order, the bank two payments",
        "sam",
        2,
        "Second payment refunded",
    ),
];

/// NPS answers: customer code, score, comment.
const ANSWERS: &[(&str, i64, &str)] = &[
    ("AM-P-01", 9, "Արագ լուծեցին խնդիրը"),
    ("AM-P-03", 10, "Շատ բարեհամբույր դեղագործ"),
    ("GE-P-02", 7, "კარგი ავეჯია, მაგრამ ძვირი"),
    ("GE-P-03", 4, "მიწოდება ძალიან ნელია"),
    ("GR-P-01", 8, "Καλή εξυπηρέτηση"),
    ("GR-P-02", 10, "Τέλεια"),
    ("IR-P-01", 6, "قیمت‌ها بالاست"),
    ("IR-P-02", 9, "خیلی خوب"),
    ("EU-P-01", 9, "Sorted out quickly"),
    ("EU-P-02", 3, "Hard to reach by phone"),
];

/// Opens the demo complaints and records the NPS answers; returns (complaints, answers).
pub fn seed(crm: &Crm) -> Result<(usize, usize)> {
    for (code, severity, channel, subject, description, assignee, stage, resolution) in COMPLAINTS {
        let customer = crm.customer_by_code(CustomerKind::Person, code)?;
        let mut c = crm.open_complaint(
            &NewComplaint::new(customer.id, *subject)
                .severity(*severity)
                .channel(*channel)
                .description(*description)
                .assignee(*assignee)
                .by("demo"),
        )?;
        if *stage >= 1 {
            c = crm.start_complaint(c.id, c.version, assignee)?;
        }
        if *stage >= 2 {
            c = crm.resolve_complaint(c.id, c.version, resolution, assignee)?;
        }
        if *stage >= 3 {
            crm.close_complaint(c.id, c.version, assignee)?;
        }
    }
    for (code, score, comment) in ANSWERS {
        let customer = crm.customer_by_code(CustomerKind::Person, code)?;
        crm.record_nps(
            &NewNpsResponse::new(customer.id, *score)
                .comment(*comment)
                .survey(SURVEY),
        )?;
    }
    Ok((COMPLAINTS.len(), ANSWERS.len()))
}

/// The survey's NPS up to now (answers of the last year).
pub fn report(crm: &Crm) -> Result<NpsReport> {
    let now = crm.now();
    crm.nps_report(
        now.plus_days(-365)?,
        Timestamp(now.0.saturating_add(1)),
        Some(SURVEY),
    )
}

/// Prints the complaints and the NPS of the demo.
pub fn tour(crm: &Crm, out: &mut Output) -> Result<(), Failure> {
    let complaints = crm
        .list_complaints(&ComplaintFilter::all(), None, 20)?
        .items;
    out.line("Complaints with an SLA by severity (complaints list; complaints overdue):")?;
    let mut table = Table::new(&["ID", "STATUS", "SEVERITY", "ASSIGNEE", "SUBJECT"])
        .right(0)
        .indent(2);
    for c in &complaints {
        table.row(vec![
            c.id.to_string(),
            c.status.as_str().to_owned(),
            c.severity.as_str().to_owned(),
            c.assignee.clone(),
            c.subject.clone(),
        ]);
    }
    out.table(&table)?;
    out.line("")?;
    let r = report(crm)?;
    out.line(format!(
        "NPS of the survey {SURVEY}: {} ({} promoters, {} passives, {} detractors of {}; nps report --survey {SURVEY})",
        r.nps.map_or_else(|| "no answers".to_owned(), |n| n.to_string()),
        r.promoters,
        r.passives,
        r.detractors,
        r.responses
    ))?;
    Ok(())
}
