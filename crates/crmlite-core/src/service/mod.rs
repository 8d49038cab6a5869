//! Customer service: complaints (tickets with a status lifecycle and a deadline from a simple
//! SLA by severity) and NPS survey answers with the NPS computation.
//!
//! A complaint moves `open -> in_progress -> resolved -> closed`; `reopen` takes a resolved or
//! closed complaint back to `open`. Every move bumps the version, is noted on the customer's
//! timeline and in the change feed, and may fire automation triggers in the same transaction.
//!
//! NPS rounding: for `n` answers with `p` promoters (9-10) and `d` detractors (0-6), the score
//! is `100 * (p - d) / n` rounded once to the nearest integer, halves away from zero, computed
//! exactly in integers; passives (7-8) count in `n`. See [`nps_score`].

mod ops;
mod validate;

#[cfg(test)]
mod tests;

use crate::{ComplaintId, CustomerId, DealId, EntryId, NpsResponseId, OrderId, Timestamp};

pub use validate::{new_complaint, new_nps_response};

/// Where a complaint stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Received, nobody has started on it.
    Open,
    /// Someone is working on it (the first response was given).
    InProgress,
    /// A resolution was given to the customer.
    Resolved,
    /// Done for good (until reopened).
    Closed,
}

impl ComplaintStatus {
    /// Every status, in lifecycle order.
    pub const ALL: &'static [ComplaintStatus] =
        &[Self::Open, Self::InProgress, Self::Resolved, Self::Closed];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    /// Parses a name returned by [`ComplaintStatus::as_str`]; `field` names the input.
    pub fn parse(s: &str, field: &str) -> crate::Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                crate::Error::validation(field, "must be open, in_progress, resolved or closed")
            })
    }

    /// Whether the complaint still needs work (open or in progress).
    #[must_use]
    pub fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }

    /// Whether a complaint may move from `self` to `to` (reopening included).
    #[must_use]
    pub fn can_move_to(self, to: Self) -> bool {
        matches!(
            (self, to),
            (Self::Open, Self::InProgress)
                | (Self::Open | Self::InProgress, Self::Resolved)
                | (Self::Resolved, Self::Closed)
                | (Self::Resolved | Self::Closed, Self::Open)
        )
    }
}

/// How serious a complaint is; sets its response and resolution deadlines.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Answer within 3 days, resolve within 14 days.
    Low,
    /// Answer within 1 day, resolve within 7 days.
    Normal,
    /// Answer within 4 hours, resolve within 3 days.
    High,
    /// Answer within 1 hour, resolve within 1 day.
    Critical,
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

impl Severity {
    /// Every severity, from least to most serious.
    pub const ALL: &'static [Severity] = &[Self::Low, Self::Normal, Self::High, Self::Critical];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// Parses a name returned by [`Severity::as_str`]; `field` names the input.
    pub fn parse(s: &str, field: &str) -> crate::Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::Error::validation(field, "must be low, normal, high or critical"))
    }

    /// The SLA of this severity: `(response_ms, resolution_ms)` after the complaint is opened.
    #[must_use]
    pub fn sla(self) -> (i64, i64) {
        match self {
            Self::Low => (3 * DAY_MS, 14 * DAY_MS),
            Self::Normal => (DAY_MS, 7 * DAY_MS),
            Self::High => (4 * HOUR_MS, 3 * DAY_MS),
            Self::Critical => (HOUR_MS, DAY_MS),
        }
    }
}

/// A stored complaint.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Complaint {
    /// Store-assigned id.
    pub id: ComplaintId,
    /// The customer who complained.
    pub customer: CustomerId,
    /// The deal it is about, if any.
    pub deal: Option<DealId>,
    /// The order it is about, if any.
    pub order: Option<OrderId>,
    /// How it came in (`phone`, `email`, `shop`, `web`...), may be empty.
    pub channel: String,
    /// Its category as text (the entry's name when a directory entry is given), may be empty.
    pub category: String,
    /// The reference directory entry of its category, if one was chosen.
    pub category_entry: Option<EntryId>,
    /// How serious it is.
    pub severity: Severity,
    /// One line for lists.
    pub subject: String,
    /// The customer's words, may be empty.
    pub description: String,
    /// Where it stands.
    pub status: ComplaintStatus,
    /// Who handles it (a user reference chosen by the host), may be empty.
    pub assignee: String,
    /// The first response is due by then.
    pub response_due: Timestamp,
    /// The resolution is due by then.
    pub resolution_due: Timestamp,
    /// When work started (the first move to in progress), if it did.
    pub responded_at: Option<Timestamp>,
    /// When it was last resolved, while resolved or closed.
    pub resolved_at: Option<Timestamp>,
    /// When it was closed, while closed.
    pub closed_at: Option<Timestamp>,
    /// What was done for the customer, set when resolved.
    pub resolution: String,
    /// How many times it was reopened.
    pub reopen_count: u32,
    /// Bumped by every change; writes name the version they expect.
    pub version: i64,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Complaint {
    /// Whether it is still being worked on and missed a deadline at `now`: no response by
    /// `response_due`, or no resolution by `resolution_due`.
    #[must_use]
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status.is_active()
            && (self.resolution_due < now
                || (self.responded_at.is_none() && self.response_due < now))
    }
}

/// Input for a new complaint.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewComplaint {
    /// The customer (required, must exist).
    pub customer: CustomerId,
    /// The deal it is about.
    #[serde(default)]
    pub deal: Option<DealId>,
    /// The order it is about.
    #[serde(default)]
    pub order: Option<OrderId>,
    /// How it came in.
    #[serde(default)]
    pub channel: String,
    /// Free-text category.
    #[serde(default)]
    pub category: String,
    /// A reference directory entry as the category.
    #[serde(default)]
    pub category_entry: Option<EntryId>,
    /// How serious it is.
    pub severity: Severity,
    /// One line for lists (required).
    pub subject: String,
    /// The customer's words.
    #[serde(default)]
    pub description: String,
    /// Who handles it.
    #[serde(default)]
    pub assignee: String,
    /// Who records it (timeline author).
    #[serde(default)]
    pub by: String,
}

impl NewComplaint {
    /// A complaint of `customer` with a subject, of normal severity.
    #[must_use]
    pub fn new(customer: CustomerId, subject: impl Into<String>) -> Self {
        Self {
            customer,
            deal: None,
            order: None,
            channel: String::new(),
            category: String::new(),
            category_entry: None,
            severity: Severity::Normal,
            subject: subject.into(),
            description: String::new(),
            assignee: String::new(),
            by: String::new(),
        }
    }

    /// Sets the severity.
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Sets the channel it came in by.
    #[must_use]
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = channel.into();
        self
    }

    /// Sets a free-text category.
    #[must_use]
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = category.into();
        self
    }

    /// Uses a reference directory entry as the category.
    #[must_use]
    pub fn category_entry(mut self, entry: EntryId) -> Self {
        self.category_entry = Some(entry);
        self
    }

    /// Links a deal.
    #[must_use]
    pub fn deal(mut self, deal: DealId) -> Self {
        self.deal = Some(deal);
        self
    }

    /// Links an order.
    #[must_use]
    pub fn order(mut self, order: OrderId) -> Self {
        self.order = Some(order);
        self
    }

    /// Sets the assignee.
    #[must_use]
    pub fn assignee(mut self, who: impl Into<String>) -> Self {
        self.assignee = who.into();
        self
    }

    /// Sets who records it.
    #[must_use]
    pub fn by(mut self, who: impl Into<String>) -> Self {
        self.by = who.into();
        self
    }
}

/// Which complaints a list query returns; unset fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ComplaintFilter {
    /// Only complaints in this status.
    pub status: Option<ComplaintStatus>,
    /// Only complaints of this assignee.
    pub assignee: Option<String>,
    /// Only complaints of this customer.
    pub customer: Option<CustomerId>,
}

impl ComplaintFilter {
    /// Every complaint.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// Only complaints in `status`.
    #[must_use]
    pub fn status(mut self, status: ComplaintStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only complaints of `assignee`.
    #[must_use]
    pub fn assignee(mut self, who: impl Into<String>) -> Self {
        self.assignee = Some(who.into());
        self
    }

    /// Only complaints of `customer`.
    #[must_use]
    pub fn customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }
}

/// Where a score puts an NPS answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    /// Scores 0 to 6.
    Detractor,
    /// Scores 7 and 8.
    Passive,
    /// Scores 9 and 10.
    Promoter,
}

impl NpsCategory {
    /// The category of a score 0..=10.
    #[must_use]
    pub fn of(score: u8) -> Self {
        match score {
            9.. => Self::Promoter,
            7 | 8 => Self::Passive,
            _ => Self::Detractor,
        }
    }

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detractor => "detractor",
            Self::Passive => "passive",
            Self::Promoter => "promoter",
        }
    }
}

/// A stored NPS answer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NpsResponse {
    /// Store-assigned id.
    pub id: NpsResponseId,
    /// Who answered.
    pub customer: CustomerId,
    /// 0 to 10: how likely they are to recommend.
    pub score: u8,
    /// Their comment, may be empty.
    pub comment: String,
    /// The survey or campaign it answers (`nps-2026-q4`), may be empty.
    pub survey: String,
    /// When they answered.
    pub at: Timestamp,
    /// When it was recorded.
    pub created_at: Timestamp,
}

impl NpsResponse {
    /// The answer's category.
    #[must_use]
    pub fn category(&self) -> NpsCategory {
        NpsCategory::of(self.score)
    }
}

/// Input for an NPS answer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewNpsResponse {
    /// Who answered (must exist).
    pub customer: CustomerId,
    /// 0 to 10.
    pub score: i64,
    /// Their comment.
    #[serde(default)]
    pub comment: String,
    /// The survey or campaign reference; a customer answers a named survey once.
    #[serde(default)]
    pub survey: String,
    /// When they answered; `None` means now.
    #[serde(default)]
    pub at: Option<Timestamp>,
}

impl NewNpsResponse {
    /// An answer of `customer` with `score`.
    #[must_use]
    pub fn new(customer: CustomerId, score: i64) -> Self {
        Self {
            customer,
            score,
            comment: String::new(),
            survey: String::new(),
            at: None,
        }
    }

    /// Sets the comment.
    #[must_use]
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = comment.into();
        self
    }

    /// Sets the survey or campaign reference.
    #[must_use]
    pub fn survey(mut self, survey: impl Into<String>) -> Self {
        self.survey = survey.into();
        self
    }

    /// Sets when they answered.
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }
}

/// NPS over a period: counts per category and per score, and the score.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NpsReport {
    /// First instant counted (inclusive).
    pub from: Timestamp,
    /// End of the period (exclusive).
    pub until: Timestamp,
    /// Only answers to this survey, if given.
    pub survey: Option<String>,
    /// Number of answers.
    pub responses: i64,
    /// Answers scoring 9 or 10.
    pub promoters: i64,
    /// Answers scoring 7 or 8.
    pub passives: i64,
    /// Answers scoring 0 to 6.
    pub detractors: i64,
    /// Answers per score: index 0 counts zeros, index 10 counts tens.
    pub by_score: Vec<i64>,
    /// %promoters - %detractors rounded half away from zero; `None` without answers.
    pub nps: Option<i64>,
}

impl NpsReport {
    /// A report from counts per score (11 entries, index = score).
    #[must_use]
    pub fn from_counts(
        from: Timestamp,
        until: Timestamp,
        survey: Option<String>,
        by_score: [i64; 11],
    ) -> Self {
        let sum = |r: std::ops::RangeInclusive<usize>| -> i64 {
            by_score
                .iter()
                .skip(*r.start())
                .take(r.end() - r.start() + 1)
                .fold(0i64, |a, b| a.saturating_add(*b))
        };
        let detractors = sum(0..=6);
        let passives = sum(7..=8);
        let promoters = sum(9..=10);
        let responses = detractors
            .saturating_add(passives)
            .saturating_add(promoters);
        Self {
            from,
            until,
            survey,
            responses,
            promoters,
            passives,
            detractors,
            by_score: by_score.to_vec(),
            nps: nps_score(promoters, detractors, responses),
        }
    }
}

/// `100 * (promoters - detractors) / responses` rounded half away from zero, exactly in
/// integers; `None` when there are no responses or the counts are inconsistent.
#[must_use]
pub fn nps_score(promoters: i64, detractors: i64, responses: i64) -> Option<i64> {
    if responses <= 0 || promoters < 0 || detractors < 0 {
        return None;
    }
    let num = i128::from(promoters.checked_sub(detractors)?) * 100;
    let rounded = crate::money::div_round_half_away(num, i128::from(responses))?;
    i64::try_from(rounded).ok()
}
