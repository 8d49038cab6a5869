//! Input checks for complaints and NPS answers; nothing is stored here.

use super::{Complaint, ComplaintStatus, NewComplaint, NewNpsResponse, NpsResponse};
use crate::customer::clean_text;
use crate::{ComplaintId, Error, NpsResponseId, Result, Timestamp};

/// Longest subject, in characters.
const MAX_SUBJECT: usize = 500;
/// Longest description, resolution or comment, in characters.
const MAX_TEXT: usize = 20_000;

/// Checks free text that may span lines: trimmed, bounded, no control characters but
/// line breaks and tabs.
pub(crate) fn long_text(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > MAX_TEXT {
        return Err(Error::validation(
            field,
            format!("must be at most {MAX_TEXT} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A user reference (assignee, author): at most 100 characters, may be empty.
pub(crate) fn user(field: &str, value: &str) -> Result<String> {
    clean_text(field, value, 100, false)
}

/// Checks a new complaint and fills its deadlines from the severity's SLA at `now`.
/// References (customer, deal, order, category entry) are checked by the service.
pub fn new_complaint(new: &NewComplaint, now: Timestamp) -> Result<Complaint> {
    let (response_ms, resolution_ms) = new.severity.sla();
    let due = |ms: i64, field: &str| {
        now.0
            .checked_add(ms)
            .map(Timestamp)
            .ok_or_else(|| Error::validation(field, "overflows the time range"))
    };
    let channel = clean_text("channel", &new.channel, 50, false)?;
    Ok(Complaint {
        id: ComplaintId(0),
        customer: new.customer,
        deal: new.deal,
        order: new.order,
        channel: channel.to_lowercase(),
        category: clean_text("category", &new.category, 200, false)?,
        category_entry: new.category_entry,
        severity: new.severity,
        subject: clean_text("subject", &new.subject, MAX_SUBJECT, true)?,
        description: long_text("description", &new.description)?,
        status: ComplaintStatus::Open,
        assignee: user("assignee", &new.assignee)?,
        response_due: due(response_ms, "response_due")?,
        resolution_due: due(resolution_ms, "resolution_due")?,
        responded_at: None,
        resolved_at: None,
        closed_at: None,
        resolution: String::new(),
        reopen_count: 0,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// Checks an NPS answer: the score is 0..=10; `now` fills a missing time.
pub fn new_nps_response(new: &NewNpsResponse, now: Timestamp) -> Result<NpsResponse> {
    let score = u8::try_from(new.score)
        .ok()
        .filter(|s| *s <= 10)
        .ok_or_else(|| Error::validation("score", "must be between 0 and 10"))?;
    Ok(NpsResponse {
        id: NpsResponseId(0),
        customer: new.customer,
        score,
        comment: long_text("comment", &new.comment)?,
        survey: clean_text("survey", &new.survey, 100, false)?,
        at: new.at.unwrap_or(now),
        created_at: now,
    })
}

/// Bumps a complaint's version and change time.
pub(crate) fn bump(complaint: &mut Complaint, now: Timestamp) -> Result<()> {
    complaint.version = complaint
        .version
        .checked_add(1)
        .ok_or_else(|| Error::validation("version", "overflows"))?;
    complaint.updated_at = now;
    Ok(())
}
