//! `crmlite complaints ...` and `crmlite nps ...`: complaints with an SLA, NPS answers and the NPS report.

use clap::{Args, Subcommand};
use crmlite::service::{
    Complaint, ComplaintFilter, ComplaintStatus, NewComplaint, NewNpsResponse, NpsReport, Severity,
};
use crmlite::{ComplaintId, Crm, CustomerId, DealId, EntryId, OrderId, Page, Result, Timestamp};

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `complaints` subcommands.
#[derive(Debug, Subcommand)]
pub enum ComplaintsCommand {
    /// Open a complaint; its deadlines come from the severity (critical 1 h / 1 d, high 4 h /
    /// 3 d, normal 1 d / 7 d, low 3 d / 14 d for response / resolution).
    Open(OpenArgs),
    /// Hand a complaint to someone (`--to ""` unassigns it).
    Assign(AssignArgs),
    /// Move a complaint to another status: in_progress, resolved (needs --note), closed, open.
    Move(MoveArgs),
    /// Resolve an open or in-progress complaint with a resolution note.
    Resolve(ResolveArgs),
    /// Close a resolved complaint.
    Close(StepArgs),
    /// Reopen a resolved or closed complaint.
    Reopen(ReopenArgs),
    /// List complaints by status, assignee or customer, in id order.
    List(ListArgs),
    /// List open or in-progress complaints that missed a deadline as of now.
    Overdue(PageArgs),
    /// Show one complaint.
    Show(ShowArgs),
}

/// Arguments of `complaints open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The customer id.
    #[arg(long)]
    customer: i64,
    /// One line for lists.
    #[arg(long)]
    subject: String,
    /// The customer's words.
    #[arg(long, default_value = "")]
    description: String,
    /// low, normal, high or critical.
    #[arg(long, default_value = "normal")]
    severity: String,
    /// How it came in (phone, email, shop, web...).
    #[arg(long, default_value = "")]
    channel: String,
    /// A free-text category.
    #[arg(long, default_value = "")]
    category: String,
    /// A reference directory entry id as the category.
    #[arg(long, value_name = "ENTRY")]
    category_entry: Option<i64>,
    /// The deal it is about.
    #[arg(long)]
    deal: Option<i64>,
    /// The order it is about (an order of the same customer).
    #[arg(long)]
    order: Option<i64>,
    /// Who handles it.
    #[arg(long, default_value = "")]
    assignee: String,
    /// Who records it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The complaint id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// The new assignee.
    #[arg(long)]
    to: String,
    /// Who assigns it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints move`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The complaint id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// The target status.
    #[arg(long)]
    to: String,
    /// A note: the resolution when moving to resolved, else a comment on the timeline.
    #[arg(long, default_value = "")]
    note: String,
    /// Who moves it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The complaint id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// What was done for the customer.
    #[arg(long)]
    resolution: String,
    /// Who resolves it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints close`.
#[derive(Debug, Args)]
pub struct StepArgs {
    /// The complaint id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// Who does it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints reopen`.
#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The complaint id.
    id: i64,
    /// The version you last saw.
    #[arg(long)]
    version: i64,
    /// Why it is reopened.
    #[arg(long, default_value = "")]
    reason: String,
    /// Who reopens it.
    #[arg(long, default_value = "")]
    by: String,
}

/// Arguments of `complaints list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this status.
    #[arg(long)]
    status: Option<String>,
    /// Only this assignee.
    #[arg(long)]
    assignee: Option<String>,
    /// Only this customer.
    #[arg(long)]
    customer: Option<i64>,
    #[command(flatten)]
    page: PageArgs,
}

/// Paging of a list.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Arguments of `complaints show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The complaint id.
    id: i64,
}

/// The `nps` subcommands.
#[derive(Debug, Subcommand)]
pub enum NpsCommand {
    /// Record a customer's answer (0-10) to "how likely are you to recommend us".
    Add(NpsAddArgs),
    /// NPS over a period: %promoters - %detractors, rounded half away from zero.
    Report(NpsReportArgs),
}

/// Arguments of `nps add`.
#[derive(Debug, Args)]
pub struct NpsAddArgs {
    /// The customer id.
    #[arg(long)]
    customer: i64,
    /// The score, 0 to 10.
    #[arg(long, allow_negative_numbers = true)]
    score: i64,
    /// The customer's comment.
    #[arg(long, default_value = "")]
    comment: String,
    /// The survey or campaign it answers; a customer answers a named survey once.
    #[arg(long, default_value = "")]
    survey: String,
    /// When they answered (RFC 3339); now by default.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

/// Arguments of `nps report`.
#[derive(Debug, Args)]
pub struct NpsReportArgs {
    /// First instant counted (RFC 3339, or a date YYYY-MM-DD meaning its UTC midnight).
    #[arg(long)]
    from: String,
    /// End of the period, exclusive (same forms).
    #[arg(long)]
    until: String,
    /// Only answers to this survey.
    #[arg(long)]
    survey: Option<String>,
}

/// Runs one `complaints` subcommand.
pub fn complaints(ctx: &Context, out: &mut Output, cmd: ComplaintsCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    let c = match cmd {
        ComplaintsCommand::Open(args) => crm.open_complaint(&new_complaint(&args)?)?,
        ComplaintsCommand::Assign(a) => {
            crm.assign_complaint(ComplaintId(a.id), a.version, &a.to, &a.by)?
        }
        ComplaintsCommand::Move(a) => crm.move_complaint(
            ComplaintId(a.id),
            a.version,
            ComplaintStatus::parse(&a.to, "to")?,
            &a.note,
            &a.by,
        )?,
        ComplaintsCommand::Resolve(a) => {
            crm.resolve_complaint(ComplaintId(a.id), a.version, &a.resolution, &a.by)?
        }
        ComplaintsCommand::Close(a) => crm.close_complaint(ComplaintId(a.id), a.version, &a.by)?,
        ComplaintsCommand::Reopen(a) => {
            crm.reopen_complaint(ComplaintId(a.id), a.version, &a.reason, &a.by)?
        }
        ComplaintsCommand::Show(a) => crm.complaint(ComplaintId(a.id))?,
        ComplaintsCommand::List(a) => {
            let mut filter = ComplaintFilter::all();
            filter.status = a
                .status
                .as_deref()
                .map(|s| ComplaintStatus::parse(s, "status"))
                .transpose()?;
            filter.assignee.clone_from(&a.assignee);
            filter.customer = a.customer.map(CustomerId);
            let page = crm.list_complaints(&filter, a.page.cursor.as_deref(), a.page.limit)?;
            return print_page(&crm, out, &page, "no complaints");
        }
        ComplaintsCommand::Overdue(a) => {
            let page = crm.overdue_complaints(a.cursor.as_deref(), a.limit)?;
            return print_page(&crm, out, &page, "no overdue complaints");
        }
    };
    print_complaint(&crm, out, &c)
}

/// Runs one `nps` subcommand.
pub fn nps(ctx: &Context, out: &mut Output, cmd: NpsCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        NpsCommand::Add(a) => {
            let mut new = NewNpsResponse::new(CustomerId(a.customer), a.score)
                .comment(a.comment.as_str())
                .survey(a.survey.as_str());
            if let Some(at) = &a.at {
                new = new.at(Timestamp::parse_rfc3339(at, "at")?);
            }
            let r = crm.record_nps(&new)?;
            if out.is_json() {
                return Ok(out.json(&r)?);
            }
            out.line(format!(
                "recorded NPS answer #{}: customer #{} scored {} ({})",
                r.id,
                r.customer,
                r.score,
                r.category().as_str()
            ))?;
            Ok(())
        }
        NpsCommand::Report(a) => {
            let from = instant(&a.from, "from")?;
            let until = instant(&a.until, "until")?;
            let report = crm.nps_report(from, until, a.survey.as_deref())?;
            if out.is_json() {
                return Ok(out.json(&report)?);
            }
            print_report(out, &report)
        }
    }
}

fn new_complaint(a: &OpenArgs) -> Result<NewComplaint> {
    let mut new = NewComplaint::new(CustomerId(a.customer), a.subject.as_str())
        .severity(Severity::parse(&a.severity, "severity")?)
        .description(a.description.as_str())
        .channel(a.channel.as_str())
        .category(a.category.as_str())
        .assignee(a.assignee.as_str())
        .by(a.by.as_str());
    if let Some(e) = a.category_entry {
        new = new.category_entry(EntryId(e));
    }
    if let Some(d) = a.deal {
        new = new.deal(DealId(d));
    }
    if let Some(o) = a.order {
        new = new.order(OrderId(o));
    }
    Ok(new)
}

/// An RFC 3339 time or a date (its UTC midnight).
fn instant(text: &str, field: &str) -> Result<Timestamp> {
    match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(d) => Ok(Timestamp::from_datetime(
            d.and_time(chrono::NaiveTime::MIN).and_utc(),
        )),
        Err(_) => Timestamp::parse_rfc3339(text, field),
    }
}

fn print_page(
    crm: &Crm,
    out: &mut Output,
    page: &Page<Complaint>,
    empty: &str,
) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(page)?);
    }
    if page.items.is_empty() {
        out.line(empty)?;
        return Ok(());
    }
    let now = crm.now();
    let mut table = Table::new(&[
        "ID", "STATUS", "SEVERITY", "CUSTOMER", "ASSIGNEE", "NEXT DUE", "SUBJECT",
    ])
    .right(0)
    .right(3);
    for c in &page.items {
        table.row(vec![
            c.id.to_string(),
            c.status.as_str().to_owned(),
            c.severity.as_str().to_owned(),
            c.customer.to_string(),
            c.assignee.clone(),
            format!(
                "{}{}",
                time(next_due(c)),
                if c.is_overdue(now) { " (overdue)" } else { "" }
            ),
            c.subject.clone(),
        ]);
    }
    out.table(&table)?;
    if let Some(next) = &page.next {
        out.line(format!("more: --cursor {next}"))?;
    }
    Ok(())
}

/// The deadline that matters next: the response while none was given, else the resolution.
fn next_due(c: &Complaint) -> Timestamp {
    match c.responded_at {
        None => c.response_due.min(c.resolution_due),
        Some(_) => c.resolution_due,
    }
}

fn print_complaint(crm: &Crm, out: &mut Output, c: &Complaint) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(c)?);
    }
    let customer = crm.customer(c.customer)?;
    let opt = |t: Option<Timestamp>| t.map_or_else(String::new, time);
    out.line(format!(
        "complaint #{} {} (version {})",
        c.id, c.subject, c.version
    ))?;
    out.fields(
        2,
        &[
            (
                "status",
                format!(
                    "{}{}",
                    c.status.as_str(),
                    if c.is_overdue(crm.now()) {
                        " (overdue)"
                    } else {
                        ""
                    }
                ),
            ),
            ("severity", c.severity.as_str().to_owned()),
            ("customer", format!("#{} {}", customer.id, customer.name)),
            ("assignee", c.assignee.clone()),
            ("channel", c.channel.clone()),
            ("category", c.category.clone()),
            ("deal", c.deal.map_or_else(String::new, |d| d.to_string())),
            ("order", c.order.map_or_else(String::new, |o| o.to_string())),
            ("response due", time(c.response_due)),
            ("resolution due", time(c.resolution_due)),
            ("responded", opt(c.responded_at)),
            ("resolved", opt(c.resolved_at)),
            ("closed", opt(c.closed_at)),
            ("resolution", c.resolution.clone()),
            ("reopened", c.reopen_count.to_string()),
            ("description", c.description.clone()),
        ],
    )?;
    Ok(())
}

fn print_report(out: &mut Output, r: &NpsReport) -> Result<(), Failure> {
    let pct = |n: i64| {
        if r.responses == 0 {
            String::new()
        } else {
            let tenths =
                crmlite::money::div_round_half_away(i128::from(n) * 1000, i128::from(r.responses))
                    .and_then(|t| i64::try_from(t).ok())
                    .unwrap_or(0);
            format!("{} %", crmlite::money::format_decimal(tenths, 1))
        }
    };
    out.line(format!(
        "NPS {} to {}{}: {}",
        time(r.from),
        time(r.until),
        r.survey
            .as_deref()
            .map_or_else(String::new, |s| format!(" (survey {s})")),
        r.nps
            .map_or_else(|| "no answers".to_owned(), |n| n.to_string())
    ))?;
    let mut table = Table::new(&["CATEGORY", "ANSWERS", "SHARE"])
        .right(1)
        .right(2);
    for (name, n) in [
        ("promoters (9-10)", r.promoters),
        ("passives (7-8)", r.passives),
        ("detractors (0-6)", r.detractors),
        ("all", r.responses),
    ] {
        table.row(vec![name.to_owned(), n.to_string(), pct(n)]);
    }
    Ok(out.table(&table)?)
}
