//! Tasks and reminders for staff: a title, a due time, an assignee, a link to a customer
//! or another record, a status, and an optional recurrence rule.

use super::rrule::Rule;
use crate::customer::clean_text;
use crate::{CustomerId, Error, Result, TaskId, Timestamp};

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Still to do.
    Open,
    /// Done.
    Done,
    /// Dropped.
    Cancelled,
}

impl TaskStatus {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a name returned by [`TaskStatus::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Self::Open),
            "done" => Ok(Self::Done),
            "cancelled" | "canceled" => Ok(Self::Cancelled),
            _ => Err(Error::validation(
                "status",
                "must be open, done or cancelled",
            )),
        }
    }
}

/// A stored task or reminder.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    /// Store-assigned id.
    pub id: TaskId,
    /// What to do.
    pub title: String,
    /// When it is due.
    pub due: Timestamp,
    /// Who should do it (a user reference chosen by the host), may be empty.
    pub assignee: String,
    /// The customer it is about, if any.
    pub customer: Option<CustomerId>,
    /// Another record it is about, such as `deal:17` or `complaint:3`, may be empty.
    pub record: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// The recurrence rule (`FREQ=WEEKLY;BYDAY=MO`), if it repeats.
    pub recurrence: Option<String>,
    /// The due time of the series' first occurrence.
    pub series_start: Timestamp,
    /// This task's 1-based position in its series.
    pub occurrence: u32,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Input for a new task.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewTask {
    /// What to do (required).
    pub title: String,
    /// When it is due.
    pub due: Timestamp,
    /// Who should do it.
    pub assignee: String,
    /// The customer it is about.
    pub customer: Option<CustomerId>,
    /// Another record it is about (`deal:17`).
    pub record: String,
    /// A recurrence rule in the supported RRULE subset.
    pub recurrence: Option<String>,
}

impl NewTask {
    /// A task titled `title` due at `due`.
    #[must_use]
    pub fn new(title: impl Into<String>, due: Timestamp) -> Self {
        Self {
            title: title.into(),
            due,
            assignee: String::new(),
            customer: None,
            record: String::new(),
            recurrence: None,
        }
    }

    /// Sets the assignee.
    #[must_use]
    pub fn assignee(mut self, who: impl Into<String>) -> Self {
        self.assignee = who.into();
        self
    }

    /// Links the task to a customer.
    #[must_use]
    pub fn customer(mut self, id: CustomerId) -> Self {
        self.customer = Some(id);
        self
    }

    /// Links the task to another record, such as `deal:17`.
    #[must_use]
    pub fn record(mut self, reference: impl Into<String>) -> Self {
        self.record = reference.into();
        self
    }

    /// Links the task to a complaint (`complaint:<id>`).
    #[must_use]
    pub fn complaint(self, id: crate::ComplaintId) -> Self {
        self.record(format!("complaint:{id}"))
    }

    /// Makes the task repeat by an RRULE (`FREQ=MONTHLY;COUNT=6`).
    #[must_use]
    pub fn recurrence(mut self, rule: impl Into<String>) -> Self {
        self.recurrence = Some(rule.into());
        self
    }

    /// Checks and normalises the task; nothing is stored.
    pub fn validate(&self, now: Timestamp) -> Result<Task> {
        let record = clean_text("record", &self.record, 100, false)?;
        if !record.is_empty()
            && !record
                .split_once(':')
                .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())
        {
            return Err(Error::validation(
                "record",
                "must look like kind:id, e.g. deal:17",
            ));
        }
        let recurrence = self
            .recurrence
            .as_deref()
            .map(|r| Rule::parse(r).map(|r| r.to_text()))
            .transpose()?;
        Ok(Task {
            id: TaskId(0),
            title: clean_text("title", &self.title, 500, true)?,
            due: self.due,
            assignee: clean_text("assignee", &self.assignee, 100, false)?,
            customer: self.customer,
            record,
            status: TaskStatus::Open,
            recurrence,
            series_start: self.due,
            occurrence: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

impl Task {
    /// The next task of a recurring series after this one, if the rule has one.
    pub fn next_occurrence(&self, now: Timestamp) -> Result<Option<Task>> {
        let Some(text) = &self.recurrence else {
            return Ok(None);
        };
        let rule = Rule::parse(text)?;
        Ok(rule
            .next_after(self.series_start, self.due)?
            .map(|(occurrence, due)| Task {
                id: TaskId(0),
                due,
                status: TaskStatus::Open,
                occurrence,
                created_at: now,
                updated_at: now,
                ..self.clone()
            }))
    }

    /// Whether the task is open and its due time has passed at `now`.
    #[must_use]
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status == TaskStatus::Open && self.due < now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s, "t").unwrap()
    }

    #[test]
    fn validation_names_the_field() {
        let due = t("2026-12-07T09:00:00Z");
        assert_eq!(
            NewTask::new("", due).validate(due).unwrap_err().field(),
            Some("title")
        );
        assert_eq!(
            NewTask::new("x", due)
                .record("deal")
                .validate(due)
                .unwrap_err()
                .field(),
            Some("record")
        );
        assert_eq!(
            NewTask::new("x", due)
                .recurrence("FREQ=SECONDLY")
                .validate(due)
                .unwrap_err()
                .field(),
            Some("recurrence")
        );
        let task = NewTask::new(" Զանգել Արամին ", due)
            .record("deal:17")
            .validate(due)
            .unwrap();
        assert_eq!(
            (task.title.as_str(), task.record.as_str(), task.occurrence),
            ("Զանգել Արամին", "deal:17", 1)
        );
    }

    #[test]
    fn next_occurrence_follows_the_rule_from_the_series_start() {
        let due = t("2027-01-31T09:00:00Z");
        let task = NewTask::new("rent", due)
            .recurrence("FREQ=MONTHLY;COUNT=3")
            .validate(due)
            .unwrap();
        let second = task.next_occurrence(due).unwrap().unwrap();
        assert_eq!(
            (second.due, second.occurrence, second.series_start),
            (t("2027-03-31T09:00:00Z"), 2, due)
        );
        let third = second.next_occurrence(due).unwrap().unwrap();
        assert_eq!(third.due, t("2027-05-31T09:00:00Z"));
        assert!(third.next_occurrence(due).unwrap().is_none());
        assert!(
            NewTask::new("once", due)
                .validate(due)
                .unwrap()
                .next_occurrence(due)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn overdue_means_open_and_past_due() {
        let due = t("2026-12-07T09:00:00Z");
        let mut task = NewTask::new("x", due).validate(due).unwrap();
        assert!(!task.is_overdue(due));
        assert!(task.is_overdue(Timestamp(due.0 + 1)));
        task.status = TaskStatus::Done;
        assert!(!task.is_overdue(Timestamp(due.0 + 1)));
    }
}
