//! Triggers: on an event or on a date, do an action for the customer concerned.
//! crmlite never sends anything itself: messages go to the outbox for the host.

use super::consent::{Channel, Purpose};
use super::template::check_code;
use crate::customer::clean_text;
use crate::deal::StageKind;
use crate::service::Severity;
use crate::timeline::InteractionKind;
use crate::{CustomerId, Error, ProgramId, Result, RuleId, Timestamp, TriggerId};
use chrono::{Datelike, Days, NaiveDate};

/// Days after a date during which a missed time trigger still fires (if `run_due` did not run).
pub const CATCH_UP_DAYS: u64 = 2;

/// The customer attribute (text) that holds a customer's own IANA time zone.
pub const TIME_ZONE_ATTRIBUTE: &str = "time_zone";

/// What makes a trigger fire. New event kinds are added as other modules emit them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TriggerEvent {
    /// A customer was added.
    CustomerCreated,
    /// A timeline entry of this kind was recorded.
    TimelineEntry {
        /// The interaction kind.
        kind: InteractionKind,
    },
    /// A date field, plus or minus `offset_days`, is today in the customer's time zone.
    /// `birthday` repeats every year; `created_at` and `attributes.<name>` (a date) fire once.
    Date {
        /// `birthday`, `created_at` or `attributes.<name>`.
        field: String,
        /// Days after (positive) or before (negative) the date.
        offset_days: i32,
        /// IANA zone (`Asia/Yerevan`) used when the customer has no `time_zone` attribute.
        time_zone: String,
    },
    /// A purchase was recorded for the customer.
    PurchaseRecorded,
    /// A deal of the customer (else its organisation) moved to another stage.
    DealStageChanged {
        /// Only moves into a stage of this kind (`won`, `lost`, `open`); `None` for every move.
        #[serde(default)]
        to: Option<StageKind>,
    },
    /// An award lifted a card's available balance from below `points` to at least `points`.
    PointsMilestone {
        /// The threshold, at least 1.
        points: i64,
    },
    /// A loyalty card moved to another tier (up or down).
    TierChanged,
    /// A lot of points expires within `days_before` days (checked by `run_due`, once per lot).
    PointsExpiring {
        /// Days before the lot's expiry, 1 to 366.
        days_before: u32,
    },
    /// A complaint of the customer was opened.
    ComplaintOpened {
        /// Only complaints of this severity or more serious; `None` for every complaint.
        #[serde(default)]
        min_severity: Option<Severity>,
    },
    /// A complaint of the customer was resolved (again after each reopen).
    ComplaintResolved,
    /// The customer's last purchase is at least `days` days old (checked by `run_due`,
    /// once per quiet spell: a new purchase starts a new one).
    NoPurchaseFor {
        /// Days without a purchase, 1 to 3660.
        days: u32,
    },
}

impl TriggerEvent {
    /// A birthday trigger: fires on the customer's birthday in their time zone.
    #[must_use]
    pub fn birthday(time_zone: impl Into<String>) -> Self {
        Self::Date {
            field: "birthday".into(),
            offset_days: 0,
            time_zone: time_zone.into(),
        }
    }

    /// Whether `run_due` checks this trigger (rather than a write firing it).
    #[must_use]
    pub fn is_timed(&self) -> bool {
        matches!(
            self,
            Self::Date { .. } | Self::PointsExpiring { .. } | Self::NoPurchaseFor { .. }
        )
    }
}

/// What a trigger does for the customer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TriggerAction {
    /// Renders templates and queues the message in the outbox.
    QueueMessage {
        /// E-mail or SMS.
        channel: Channel,
        /// Marketing (skipped without consent) or service.
        purpose: Purpose,
        /// Code of the body template.
        body_template: String,
        /// Code of the subject template, for e-mail.
        subject_template: Option<String>,
    },
    /// Creates a task about the customer.
    CreateTask {
        /// The task title.
        title: String,
        /// Who should do it.
        assignee: String,
        /// Due this many days after the trigger fires.
        due_in_days: u32,
    },
    /// Adds a tag to the customer.
    AddTag {
        /// The tag.
        tag: String,
    },
    /// Removes a tag from the customer.
    RemoveTag {
        /// The tag.
        tag: String,
    },
    /// Awards points on the customer's card in `program` through its earn rules: the bonus
    /// rule `rule`, or without one the birthday bonus of the occurrence's year. Each firing
    /// awards at most once (the idempotency key is the trigger, customer and occurrence).
    AwardPoints {
        /// The loyalty program.
        program: ProgramId,
        /// A bonus earn rule of the program; `None` awards the birthday bonus.
        #[serde(default)]
        rule: Option<RuleId>,
    },
}

/// A stored trigger.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Trigger {
    /// Store-assigned id.
    pub id: TriggerId,
    /// Unique code.
    pub code: String,
    /// When it fires.
    pub event: TriggerEvent,
    /// What it does.
    pub action: TriggerAction,
    /// Inactive triggers never fire.
    pub active: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Input for a new trigger.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewTrigger {
    /// Unique code: 1-64 characters of a-z, 0-9, `_`, `-` and `.`.
    pub code: String,
    /// When it fires.
    pub event: TriggerEvent,
    /// What it does.
    pub action: TriggerAction,
}

impl NewTrigger {
    /// A trigger with a code, an event and an action.
    #[must_use]
    pub fn new(code: impl Into<String>, event: TriggerEvent, action: TriggerAction) -> Self {
        Self {
            code: code.into(),
            event,
            action,
        }
    }

    /// Checks the code, the field, the time zone and the action (templates are checked by the service).
    pub fn validate(&self, now: Timestamp) -> Result<Trigger> {
        let code = check_code("code", &self.code)?;
        let event = match &self.event {
            TriggerEvent::Date {
                field,
                offset_days,
                time_zone,
            } => {
                let field = field.trim().to_owned();
                check_field(&field)?;
                if offset_days.unsigned_abs() > 366 {
                    return Err(Error::validation(
                        "event.offset_days",
                        "must be between -366 and 366",
                    ));
                }
                parse_zone(time_zone).map_err(|e| e.in_field("event"))?;
                TriggerEvent::Date {
                    field,
                    offset_days: *offset_days,
                    time_zone: time_zone.trim().to_owned(),
                }
            }
            TriggerEvent::PointsMilestone { points } if *points < 1 => {
                return Err(Error::validation("event.points", "must be at least 1"));
            }
            TriggerEvent::PointsExpiring { days_before } if !(1..=366).contains(days_before) => {
                return Err(Error::validation(
                    "event.days_before",
                    "must be between 1 and 366",
                ));
            }
            TriggerEvent::NoPurchaseFor { days } if !(1..=3660).contains(days) => {
                return Err(Error::validation(
                    "event.days",
                    "must be between 1 and 3660",
                ));
            }
            other => other.clone(),
        };
        let action = match &self.action {
            TriggerAction::QueueMessage {
                channel,
                purpose,
                body_template,
                subject_template,
            } => {
                if !matches!(channel, Channel::Email | Channel::Sms) {
                    return Err(Error::validation(
                        "action.channel",
                        "messages go by email or sms",
                    ));
                }
                TriggerAction::QueueMessage {
                    channel: *channel,
                    purpose: *purpose,
                    body_template: check_code("action.body_template", body_template)?,
                    subject_template: subject_template
                        .as_deref()
                        .map(|s| check_code("action.subject_template", s))
                        .transpose()?,
                }
            }
            TriggerAction::CreateTask {
                title,
                assignee,
                due_in_days,
            } => {
                if *due_in_days > 3660 {
                    return Err(Error::validation(
                        "action.due_in_days",
                        "must be at most 3660",
                    ));
                }
                TriggerAction::CreateTask {
                    title: clean_text("action.title", title, 500, true)?,
                    assignee: clean_text("action.assignee", assignee, 100, false)?,
                    due_in_days: *due_in_days,
                }
            }
            TriggerAction::AddTag { tag } => TriggerAction::AddTag {
                tag: clean_text("action.tag", tag, 64, true)?,
            },
            TriggerAction::RemoveTag { tag } => TriggerAction::RemoveTag {
                tag: clean_text("action.tag", tag, 64, true)?,
            },
            TriggerAction::AwardPoints { program, rule } => TriggerAction::AwardPoints {
                program: *program,
                rule: *rule,
            },
        };
        Ok(Trigger {
            id: TriggerId(0),
            code,
            event,
            action,
            active: true,
            created_at: now,
            updated_at: now,
        })
    }
}

/// Accepts `birthday`, `created_at` and `attributes.<name>`.
fn check_field(field: &str) -> Result<()> {
    let ok = match field {
        "birthday" | "created_at" => true,
        _ => field.strip_prefix("attributes.").is_some_and(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "event.field",
            format!("unknown field {field:?}: use birthday, created_at or attributes.<name>"),
        ))
    }
}

/// Parses an IANA time zone name.
pub fn parse_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        Error::validation(
            "time_zone",
            format!("{name:?} is not an IANA time zone such as Asia/Yerevan"),
        )
    })
}

/// The local calendar date of `at` in `zone`.
pub fn local_date(at: Timestamp, zone: chrono_tz::Tz) -> Option<NaiveDate> {
    at.to_datetime()
        .map(|d| d.with_timezone(&zone).date_naive())
}

/// The date a yearly date falls on in `year` (29 February becomes 28 February in other years).
fn anniversary(date: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
}

/// The day a date trigger fires for a base date, if it fires on `day`: a yearly field
/// checks the anniversaries around `day`, a one-off field its own date.
#[must_use]
pub fn fires_on(base: NaiveDate, yearly: bool, offset_days: i32, day: NaiveDate) -> bool {
    let shift = |d: NaiveDate| {
        let n = Days::new(u64::from(offset_days.unsigned_abs()));
        if offset_days >= 0 {
            d.checked_add_days(n)
        } else {
            d.checked_sub_days(n)
        }
    };
    if yearly {
        [day.year() - 1, day.year(), day.year() + 1]
            .into_iter()
            .filter_map(|y| anniversary(base, y).and_then(shift))
            .any(|d| d == day)
    } else {
        shift(base) == Some(day)
    }
}

/// One firing of a trigger for a customer, kept so that it never fires twice.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TriggerRun {
    /// The trigger.
    pub trigger: TriggerId,
    /// The customer.
    pub customer: CustomerId,
    /// Which occurrence: the local date of a date trigger, the event's record, the expiring
    /// lot (`lot:<entry>`) or the quiet spell (`quiet_since:<last purchase ms>`).
    pub occurrence: String,
    /// When it fired.
    pub at: Timestamp,
    /// What happened: `queued message 7`, `skipped: no marketing consent for sms`, `error: ...`.
    pub outcome: String,
}

/// What a `run_due` call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    /// Trigger firings recorded.
    pub fired: u32,
    /// Messages queued.
    pub queued: u32,
    /// Tasks created.
    pub tasks: u32,
    /// Tags added or removed.
    pub tags: u32,
    /// Point awards made.
    pub awards: u32,
    /// Firings that did nothing (no consent, no recipient, a template error); see the run log.
    pub skipped: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn yearly_dates_fire_on_anniversaries_with_offsets() {
        assert!(fires_on(d(1990, 12, 7), true, 0, d(2026, 12, 7)));
        assert!(!fires_on(d(1990, 12, 7), true, 0, d(2026, 12, 8)));
        assert!(fires_on(d(1990, 1, 2), true, -3, d(2026, 12, 30)));
        assert!(fires_on(d(1992, 2, 29), true, 0, d(2027, 2, 28)));
        assert!(fires_on(d(1992, 2, 29), true, 0, d(2028, 2, 29)));
        assert!(!fires_on(d(1992, 2, 29), true, 0, d(2028, 2, 28)));
        assert!(fires_on(d(2026, 11, 30), false, 7, d(2026, 12, 7)));
        assert!(!fires_on(d(2025, 11, 30), false, 7, d(2026, 12, 7)));
    }

    #[test]
    fn unknown_fields_and_zones_are_rejected() {
        let action = TriggerAction::AddTag { tag: "vip".into() };
        let bad_field = TriggerEvent::Date {
            field: "shoe_size".into(),
            offset_days: 0,
            time_zone: "UTC".into(),
        };
        let err = NewTrigger::new("t", bad_field, action.clone())
            .validate(Timestamp(0))
            .unwrap_err();
        assert_eq!(err.field(), Some("event.field"));
        let err = NewTrigger::new("t", TriggerEvent::birthday("Mars/Olympus"), action.clone())
            .validate(Timestamp(0))
            .unwrap_err();
        assert_eq!(err.field(), Some("event.time_zone"));
        assert!(
            NewTrigger::new("t", TriggerEvent::birthday("Asia/Tehran"), action)
                .validate(Timestamp(0))
                .is_ok()
        );
    }

    #[test]
    fn local_dates_follow_the_zone() {
        // 2026-12-06T21:30Z is already 7 December in Yerevan (+04) but not in Athens (+02).
        let at = Timestamp::parse_rfc3339("2026-12-06T21:30:00Z", "t").unwrap();
        assert_eq!(
            local_date(at, parse_zone("Asia/Yerevan").unwrap()),
            Some(d(2026, 12, 7))
        );
        assert_eq!(
            local_date(at, parse_zone("Europe/Athens").unwrap()),
            Some(d(2026, 12, 6))
        );
    }
}
