//! The change feed: every committed change, in commit order, each exactly once.

use crate::{EntityKind, Timestamp};

/// What happened to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// The record was created.
    Insert,
    /// The record was changed.
    Update,
    /// The record was removed.
    Delete,
}

impl ChangeOp {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    /// Parses a name returned by [`ChangeOp::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Insert, Self::Update, Self::Delete]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// One entry of the change feed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Position in the feed; strictly increasing in commit order, no gaps.
    pub seq: i64,
    /// The kind of record.
    pub entity: EntityKind,
    /// The record's id.
    pub entity_id: i64,
    /// What happened.
    pub op: ChangeOp,
    /// When it was committed (the clock's `now` of the write).
    pub at: Timestamp,
}
