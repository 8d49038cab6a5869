//! Every interaction with a customer, in one chronological view.

use crate::{CustomerId, Error, Result, TimelineEntryId, Timestamp};

/// What kind of interaction a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InteractionKind {
    /// A phone call.
    Call,
    /// An e-mail.
    Email,
    /// A text message.
    Sms,
    /// A meeting.
    Meeting,
    /// A free note by staff.
    Note,
    /// A visit to a shop or showroom.
    Visit,
    /// A survey answer.
    Survey,
    /// A purchase or a return.
    Purchase,
    /// A complaint.
    Complaint,
    /// A loyalty event (points, tier).
    Loyalty,
    /// A deal event (stage change).
    Deal,
    /// A change made by the system (created, merged, linked).
    System,
}

impl InteractionKind {
    /// Every kind, in a stable order.
    pub const ALL: &'static [InteractionKind] = &[
        Self::Call,
        Self::Email,
        Self::Sms,
        Self::Meeting,
        Self::Note,
        Self::Visit,
        Self::Survey,
        Self::Purchase,
        Self::Complaint,
        Self::Loyalty,
        Self::Deal,
        Self::System,
    ];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Meeting => "meeting",
            Self::Note => "note",
            Self::Visit => "visit",
            Self::Survey => "survey",
            Self::Purchase => "purchase",
            Self::Complaint => "complaint",
            Self::Loyalty => "loyalty",
            Self::Deal => "deal",
            Self::System => "system",
        }
    }

    /// Parses a name returned by [`InteractionKind::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
                Error::validation("kind", format!("must be one of {}", names.join(", ")))
            })
    }
}

/// A stored timeline entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TimelineEntry {
    /// Store-assigned id.
    pub id: TimelineEntryId,
    /// The customer it belongs to.
    pub customer: CustomerId,
    /// What kind of interaction.
    pub kind: InteractionKind,
    /// When it happened.
    pub at: Timestamp,
    /// One line for lists.
    pub summary: String,
    /// Longer text, may be empty.
    pub body: String,
    /// Who recorded it (a user reference chosen by the host), may be empty.
    pub author: String,
    /// The record it comes from, such as `deal:17` or `order:42`, may be empty.
    pub source: String,
}

/// Input for a new timeline entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewTimelineEntry {
    /// The customer.
    pub customer: CustomerId,
    /// What kind of interaction.
    pub kind: InteractionKind,
    /// When it happened; `None` means now.
    pub at: Option<Timestamp>,
    /// One line for lists (required).
    pub summary: String,
    /// Longer text.
    pub body: String,
    /// Who recorded it.
    pub author: String,
    /// The record it comes from.
    pub source: String,
}

impl NewTimelineEntry {
    /// An entry of `kind` for `customer` with a summary line.
    #[must_use]
    pub fn new(customer: CustomerId, kind: InteractionKind, summary: impl Into<String>) -> Self {
        Self {
            customer,
            kind,
            at: None,
            summary: summary.into(),
            body: String::new(),
            author: String::new(),
            source: String::new(),
        }
    }

    /// Sets when it happened.
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }

    /// Sets the body text.
    #[must_use]
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets the author.
    #[must_use]
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = author.into();
        self
    }

    /// Sets the source record reference.
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Checks and normalises the entry; `now` fills a missing time.
    pub fn validate(&self, now: Timestamp) -> Result<TimelineEntry> {
        use crate::customer::clean_text;
        let body = self.body.trim();
        if body.chars().count() > 20_000 {
            return Err(Error::validation(
                "body",
                "must be at most 20000 characters",
            ));
        }
        Ok(TimelineEntry {
            id: TimelineEntryId(0),
            customer: self.customer,
            kind: self.kind,
            at: self.at.unwrap_or(now),
            summary: clean_text("summary", &self.summary, 500, true)?,
            body: body.to_owned(),
            author: clean_text("author", &self.author, 100, false)?,
            source: clean_text("source", &self.source, 100, false)?,
        })
    }
}

/// Encodes a timeline position as an opaque cursor.
#[must_use]
pub fn cursor_of(entry: &TimelineEntry) -> String {
    format!("{}:{}", entry.at.0, entry.id.0)
}

/// Decodes a cursor made by [`cursor_of`].
pub fn parse_cursor(cursor: &str) -> Result<(Timestamp, TimelineEntryId)> {
    let bad = || Error::validation("cursor", "is not a timeline cursor");
    let (at, id) = cursor.split_once(':').ok_or_else(bad)?;
    Ok((
        Timestamp(at.parse().map_err(|_| bad())?),
        TimelineEntryId(id.parse().map_err(|_| bad())?),
    ))
}
