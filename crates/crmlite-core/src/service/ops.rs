//! Complaint and NPS operations on the `Crm` handle.

use super::validate::{self, bump, long_text, user};
use super::{
    Complaint, ComplaintFilter, ComplaintStatus, NewComplaint, NewNpsResponse, NpsReport,
    NpsResponse,
};
use crate::automation::service::{Event, on_event};
use crate::changes::ChangeOp;
use crate::page::{Page, check_limit};
use crate::store::{ReadTx, WriteTx};
use crate::timeline::{InteractionKind, NewTimelineEntry};
use crate::{ComplaintId, Crm, EntityKind, Error, Result, Timestamp};

impl Crm {
    /// Opens a complaint of an existing customer; its deadlines come from the severity's SLA.
    /// A linked deal, order or category entry must exist (the order must be the customer's).
    /// The complaint is noted on the customer's timeline and fires `complaint opened` triggers.
    pub fn open_complaint(&self, new: &NewComplaint) -> Result<Complaint> {
        let now = self.now();
        let by = user("by", &new.by)?;
        let mut complaint = validate::new_complaint(new, now)?;
        self.write(|tx| {
            check_links(tx, &mut complaint)?;
            complaint.id = tx.insert_complaint(&complaint)?;
            tx.record_change(EntityKind::Complaint, complaint.id.0, ChangeOp::Insert, now)?;
            let summary = format!(
                "Complaint «{}» opened ({})",
                complaint.subject,
                complaint.severity.as_str()
            );
            note(tx, &complaint, &summary, &complaint.description, &by, now)?;
            let event = Event::ComplaintOpened {
                customer: complaint.customer,
                complaint: complaint.id,
            };
            on_event(tx, event, now)?;
            Ok(complaint.clone())
        })
    }

    /// One complaint by id.
    pub fn complaint(&self, id: ComplaintId) -> Result<Complaint> {
        self.read(|tx| get(tx, id))
    }

    /// Hands a complaint that is not closed to `assignee` (empty to unassign) if it is still at
    /// `expected_version`.
    pub fn assign_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        assignee: &str,
        by: &str,
    ) -> Result<Complaint> {
        let now = self.now();
        let assignee = user("assignee", assignee)?;
        let by = user("by", by)?;
        self.write(|tx| {
            let mut c = get(tx, id)?;
            check_version(&c, expected_version)?;
            if c.status == ComplaintStatus::Closed {
                return Err(Error::Conflict(format!(
                    "complaint {id} is closed; reopen it first"
                )));
            }
            if c.assignee == assignee {
                return Ok(c);
            }
            c.assignee = assignee.clone();
            bump(&mut c, now)?;
            tx.update_complaint(&c)?;
            tx.record_change(EntityKind::Complaint, id.0, ChangeOp::Update, now)?;
            let summary = if assignee.is_empty() {
                format!("Complaint «{}» unassigned", c.subject)
            } else {
                format!("Complaint «{}» assigned to {assignee}", c.subject)
            };
            note(tx, &c, &summary, "", &by, now)?;
            Ok(c)
        })
    }

    /// Moves a complaint along its lifecycle if it is still at `expected_version`:
    /// `open -> in_progress`, `open | in_progress -> resolved` (`note` is the resolution and is
    /// required), `resolved -> closed`, and `resolved | closed -> open` (a reopen; the
    /// resolution deadline starts again). Any other move is a conflict and changes nothing.
    pub fn move_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        to: ComplaintStatus,
        note_text: &str,
        by: &str,
    ) -> Result<Complaint> {
        let now = self.now();
        let by = user("by", by)?;
        let text = long_text("note", note_text)?;
        if to == ComplaintStatus::Resolved && text.is_empty() {
            return Err(Error::validation(
                "resolution",
                "must not be empty to resolve a complaint",
            ));
        }
        self.write(|tx| {
            let mut c = get(tx, id)?;
            check_version(&c, expected_version)?;
            let from = c.status;
            if !from.can_move_to(to) {
                return Err(Error::Conflict(format!(
                    "complaint {id} cannot move from {} to {}",
                    from.as_str(),
                    to.as_str()
                )));
            }
            match to {
                ComplaintStatus::InProgress => {
                    c.responded_at.get_or_insert(now);
                }
                ComplaintStatus::Resolved => {
                    c.responded_at.get_or_insert(now);
                    c.resolved_at = Some(now);
                    c.resolution = text.clone();
                }
                ComplaintStatus::Closed => c.closed_at = Some(now),
                ComplaintStatus::Open => {
                    let (_, resolution_ms) = c.severity.sla();
                    c.resolution_due =
                        Timestamp(now.0.checked_add(resolution_ms).ok_or_else(|| {
                            Error::validation("resolution_due", "overflows the time range")
                        })?);
                    c.resolved_at = None;
                    c.closed_at = None;
                    c.resolution = String::new();
                    c.reopen_count = c
                        .reopen_count
                        .checked_add(1)
                        .ok_or_else(|| Error::validation("reopen_count", "overflows"))?;
                }
            }
            c.status = to;
            bump(&mut c, now)?;
            tx.update_complaint(&c)?;
            tx.record_change(EntityKind::Complaint, id.0, ChangeOp::Update, now)?;
            let summary = if to == ComplaintStatus::Open {
                format!("Complaint «{}» reopened", c.subject)
            } else {
                format!(
                    "Complaint «{}»: {} → {}",
                    c.subject,
                    from.as_str(),
                    to.as_str()
                )
            };
            note(tx, &c, &summary, &text, &by, now)?;
            if to == ComplaintStatus::Resolved {
                let event = Event::ComplaintResolved {
                    customer: c.customer,
                    complaint: c.id,
                    version: c.version,
                };
                on_event(tx, event, now)?;
            }
            Ok(c)
        })
    }

    /// Starts work on an open complaint (`open -> in_progress`).
    pub fn start_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        by: &str,
    ) -> Result<Complaint> {
        self.move_complaint(id, expected_version, ComplaintStatus::InProgress, "", by)
    }

    /// Resolves an open or in-progress complaint with a resolution note (required).
    pub fn resolve_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        resolution: &str,
        by: &str,
    ) -> Result<Complaint> {
        self.move_complaint(
            id,
            expected_version,
            ComplaintStatus::Resolved,
            resolution,
            by,
        )
    }

    /// Closes a resolved complaint.
    pub fn close_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        by: &str,
    ) -> Result<Complaint> {
        self.move_complaint(id, expected_version, ComplaintStatus::Closed, "", by)
    }

    /// Reopens a resolved or closed complaint; `reason` goes on the timeline.
    pub fn reopen_complaint(
        &self,
        id: ComplaintId,
        expected_version: i64,
        reason: &str,
        by: &str,
    ) -> Result<Complaint> {
        self.move_complaint(id, expected_version, ComplaintStatus::Open, reason, by)
    }

    /// Complaints matching `filter`, in id order, one page at a time.
    pub fn list_complaints(
        &self,
        filter: &ComplaintFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Complaint>> {
        let limit = check_limit(limit)?;
        let after = parse_cursor(cursor)?;
        let items = self.read(|tx| tx.complaints_after(filter, after, limit))?;
        Ok(page(items, limit))
    }

    /// Open or in-progress complaints that missed their response or resolution deadline as of
    /// now, in id order, one page at a time.
    pub fn overdue_complaints(&self, cursor: Option<&str>, limit: u32) -> Result<Page<Complaint>> {
        let limit = check_limit(limit)?;
        let after = parse_cursor(cursor)?;
        let now = self.now();
        let items = self.read(|tx| tx.overdue_complaints_after(now, after, limit))?;
        Ok(page(items, limit))
    }

    /// Records an NPS answer of an existing customer (score 0..=10) and notes it on the
    /// customer's timeline. A customer answers a named survey once; a second answer is a
    /// conflict.
    pub fn record_nps(&self, new: &NewNpsResponse) -> Result<NpsResponse> {
        let now = self.now();
        let mut response = validate::new_nps_response(new, now)?;
        self.write(|tx| {
            check_customer(tx, response.customer)?;
            if !response.survey.is_empty()
                && tx
                    .nps_response_of(response.customer, &response.survey)?
                    .is_some()
            {
                return Err(Error::Conflict(format!(
                    "customer {} already answered survey {:?}",
                    response.customer, response.survey
                )));
            }
            response.id = tx.insert_nps_response(&response)?;
            tx.record_change(
                EntityKind::NpsResponse,
                response.id.0,
                ChangeOp::Insert,
                now,
            )?;
            let summary = format!(
                "NPS {} ({}){}",
                response.score,
                response.category().as_str(),
                if response.survey.is_empty() {
                    String::new()
                } else {
                    format!(" for {}", response.survey)
                }
            );
            let entry = NewTimelineEntry::new(response.customer, InteractionKind::Survey, summary)
                .at(response.at)
                .body(response.comment.clone())
                .source(format!("nps_response:{}", response.id))
                .validate(now)?;
            let entry_id = tx.insert_timeline_entry(&entry)?;
            tx.record_change(EntityKind::TimelineEntry, entry_id.0, ChangeOp::Insert, now)?;
            Ok(response.clone())
        })
    }

    /// NPS over answers with `from <= at < until`, optionally of one survey: counts per
    /// category and per score and the score (see [`super::nps_score`] for the rounding).
    pub fn nps_report(
        &self,
        from: Timestamp,
        until: Timestamp,
        survey: Option<&str>,
    ) -> Result<NpsReport> {
        if until <= from {
            return Err(Error::validation("until", "must be after from"));
        }
        let survey = survey.map(str::trim).filter(|s| !s.is_empty());
        let counts = self.read(|tx| tx.nps_counts(from, until, survey))?;
        Ok(NpsReport::from_counts(
            from,
            until,
            survey.map(str::to_owned),
            counts,
        ))
    }
}

/// Reads one complaint or fails with not found.
pub(crate) fn get(tx: &mut (impl ReadTx + ?Sized), id: ComplaintId) -> Result<Complaint> {
    tx.complaint(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Complaint, id))
}

fn check_customer(tx: &mut dyn WriteTx, id: crate::CustomerId) -> Result<()> {
    if tx.customer(id)?.is_none() {
        return Err(Error::validation(
            "customer",
            format!("customer {id} does not exist"),
        ));
    }
    Ok(())
}

/// Checks the customer, deal, order and category entry of a new complaint; an entry's name
/// becomes the category when no text is given.
fn check_links(tx: &mut dyn WriteTx, c: &mut Complaint) -> Result<()> {
    check_customer(tx, c.customer)?;
    if let Some(deal) = c.deal
        && tx.deal(deal)?.is_none()
    {
        return Err(Error::validation(
            "deal",
            format!("deal {deal} does not exist"),
        ));
    }
    if let Some(id) = c.order {
        let order = tx
            .order(id)?
            .ok_or_else(|| Error::validation("order", format!("order {id} does not exist")))?;
        if order.customer != c.customer {
            return Err(Error::validation(
                "order",
                format!("order {id} belongs to customer {}", order.customer),
            ));
        }
    }
    if let Some(id) = c.category_entry {
        let entry = tx.entry(id)?.ok_or_else(|| {
            Error::validation("category_entry", format!("entry {id} does not exist"))
        })?;
        if entry.archived {
            return Err(Error::validation(
                "category_entry",
                format!("entry {id} is archived"),
            ));
        }
        if c.category.is_empty() {
            c.category = entry.name;
        }
    }
    Ok(())
}

fn check_version(c: &Complaint, expected: i64) -> Result<()> {
    if c.version == expected {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "complaint {} is at version {}, not {expected}",
            c.id, c.version
        )))
    }
}

/// Notes a complaint event on the customer's timeline.
fn note(
    tx: &mut dyn WriteTx,
    c: &Complaint,
    summary: &str,
    body: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    let summary: String = summary.chars().take(500).collect();
    let entry = NewTimelineEntry::new(c.customer, InteractionKind::Complaint, summary)
        .at(now)
        .body(body)
        .author(by)
        .source(format!("complaint:{}", c.id))
        .validate(now)?;
    let id = tx.insert_timeline_entry(&entry)?;
    tx.record_change(EntityKind::TimelineEntry, id.0, ChangeOp::Insert, now)?;
    Ok(())
}

fn page(items: Vec<Complaint>, limit: u32) -> Page<Complaint> {
    let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
    let next = if full {
        items.last().map(|c| format!("c{}", c.id.0))
    } else {
        None
    };
    Page { items, next }
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<ComplaintId>> {
    cursor
        .map(|c| {
            c.strip_prefix('c')
                .and_then(|n| n.parse::<i64>().ok())
                .map(ComplaintId)
                .ok_or_else(|| Error::validation("cursor", "is not a complaint cursor"))
        })
        .transpose()
}
