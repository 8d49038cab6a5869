//! The demo's complaints and NPS answers: a few complaints in each of the five scripts, at
//! different points of their lifecycle, and an NPS survey answered in every language.

use crmlite::customer::CustomerKind;
use crmlite::service::{ComplaintFilter, NewComplaint, NewNpsResponse, NpsReport, Severity};
use crmlite::{Crm, Result, Timestamp};

use crate::error::Failure;
use crate::output::{Output, Table};

/// The demo's NPS survey.
pub const SURVEY: &str = "nps-demo";

/// A demo complaint and how far it gets.
struct ComplaintSeed {
    customer: &'static str,
    severity: Severity,
    channel: &'static str,
    subject: &'static str,
    description: &'static str,
    assignee: &'static str,
    /// 0 open, 1 in progress, 2 resolved, 3 closed.
    stage: u8,
    resolution: &'static str,
}

const COMPLAINTS: &[ComplaintSeed] = &[
    ComplaintSeed {
        customer: "AM-P-01",
        severity: Severity::High,
        channel: "phone",
        subject: "Դեղը սխալ էր",
        description: "Ստացել եմ 400 մգ՝ 500 մգ-ի փոխարեն",
        assignee: "anna",
        stage: 2,
        resolution: "Դեղը փոխարինվեց, 200 միավոր նվեր",
    },
    ComplaintSeed {
        customer: "AM-P-02",
        severity: Severity::Normal,
        channel: "shop",
        subject: "Երկար հերթ դրամարկղում",
        description: "",
        assignee: "",
        stage: 0,
        resolution: "",
    },
    ComplaintSeed {
        customer: "GE-P-01",
        severity: Severity::Critical,
        channel: "email",
        subject: "დივანი დაზიანებული მოვიდა",
        description: "ფეხი მოტეხილია, მიწოდება 3 დღით დაგვიანდა",
        assignee: "giorgi",
        stage: 1,
        resolution: "",
    },
    ComplaintSeed {
        customer: "GR-P-01",
        severity: Severity::Normal,
        channel: "web",
        subject: "Η παραγγελία άργησε",
        description: "Παραδόθηκε μία εβδομάδα μετά",
        assignee: "eleni",
        stage: 3,
        resolution: "Δωρεάν μεταφορικά στην επόμενη παραγγελία",
    },
    ComplaintSeed {
        customer: "IR-P-01",
        severity: Severity::Low,
        channel: "phone",
        subject: "رسید خرید ارسال نشد",
        description: "پیامک رسید نیامد",
        assignee: "",
        stage: 0,
        resolution: "",
    },
    ComplaintSeed {
        customer: "EU-P-01",
        severity: Severity::High,
        channel: "email",
        subject: "Double charge on my card",
        description: "The receipt shows one order, the bank two payments",
        assignee: "sam",
        stage: 2,
        resolution: "Second payment refunded",
    },
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
    for seed in COMPLAINTS {
        let customer = crm.customer_by_code(CustomerKind::Person, seed.customer)?;
        let mut c = crm.open_complaint(
            &NewComplaint::new(customer.id, seed.subject)
                .severity(seed.severity)
                .channel(seed.channel)
                .description(seed.description)
                .assignee(seed.assignee)
                .by("demo"),
        )?;
        if seed.stage >= 1 {
            c = crm.start_complaint(c.id, c.version, seed.assignee)?;
        }
        if seed.stage >= 2 {
            c = crm.resolve_complaint(c.id, c.version, seed.resolution, seed.assignee)?;
        }
        if seed.stage >= 3 {
            crm.close_complaint(c.id, c.version, seed.assignee)?;
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
