//! The one error type of crmlite and its kinds.

use std::fmt;

/// Result alias used across crmlite.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of record an error or a change refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntityKind {
    /// A person or an organisation.
    Customer,
    /// A person's link to an organisation.
    CustomerLink,
    /// An entry on a customer's timeline.
    TimelineEntry,
    /// A message template.
    Template,
    /// A task or reminder.
    Task,
    /// An automation trigger.
    Trigger,
    /// A message in the outbox.
    OutboxMessage,
    /// A consent record.
    Consent,
    /// A deal pipeline.
    Pipeline,
    /// A stage of a pipeline.
    Stage,
    /// A deal.
    Deal,
    /// An entry of the lost-reason reference list.
    LostReason,
    /// One row of a deal's stage history.
    DealStageChange,
    /// A user-defined directory kind.
    DirectoryKind,
    /// An entry of a reference directory (a product, a unit, a store...).
    DirectoryEntry,
    /// A mapping of a record to its id in an external system.
    ExternalId,
    /// A sales order.
    Order,
    /// A return against an order.
    Return,
    /// A loyalty program.
    LoyaltyProgram,
    /// A customer's loyalty card.
    LoyaltyCard,
    /// An earn rule of a loyalty program.
    EarnRule,
    /// A tier of a loyalty program.
    Tier,
    /// A reward in a loyalty catalogue.
    Reward,
    /// An entry of the points ledger.
    LedgerEntry,
    /// A complaint.
    Complaint,
    /// An NPS survey answer.
    NpsResponse,
}

impl EntityKind {
    /// The stable lower-case name used in the change feed, the CLI and the bindings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::CustomerLink => "customer_link",
            Self::TimelineEntry => "timeline_entry",
            Self::Template => "template",
            Self::Task => "task",
            Self::Trigger => "trigger",
            Self::OutboxMessage => "outbox_message",
            Self::Consent => "consent",
            Self::Pipeline => "pipeline",
            Self::Stage => "stage",
            Self::Deal => "deal",
            Self::LostReason => "lost_reason",
            Self::DealStageChange => "deal_stage_change",
            Self::DirectoryKind => "directory_kind",
            Self::DirectoryEntry => "directory_entry",
            Self::ExternalId => "external_id",
            Self::Order => "order",
            Self::Return => "return",
            Self::LoyaltyProgram => "loyalty_program",
            Self::LoyaltyCard => "loyalty_card",
            Self::EarnRule => "earn_rule",
            Self::Tier => "tier",
            Self::Reward => "reward",
            Self::LedgerEntry => "ledger_entry",
            Self::Complaint => "complaint",
            Self::NpsResponse => "nps_response",
        }
    }

    /// Parses the name returned by [`EntityKind::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Every kind, in a stable order.
    pub const ALL: &'static [EntityKind] = &[
        Self::Customer,
        Self::CustomerLink,
        Self::TimelineEntry,
        Self::Template,
        Self::Task,
        Self::Trigger,
        Self::OutboxMessage,
        Self::Consent,
        Self::Pipeline,
        Self::Stage,
        Self::Deal,
        Self::LostReason,
        Self::DealStageChange,
        Self::DirectoryKind,
        Self::DirectoryEntry,
        Self::ExternalId,
        Self::Order,
        Self::Return,
        Self::LoyaltyProgram,
        Self::LoyaltyCard,
        Self::EarnRule,
        Self::Tier,
        Self::Reward,
        Self::LedgerEntry,
        Self::Complaint,
        Self::NpsResponse,
    ];
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong in a store backend, without exposing the backend's types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StorageKind {
    /// The database was locked by another writer for too long; retrying may succeed.
    Busy,
    /// The database file is damaged or is not a crmlite database.
    Corrupt,
    /// The database was written by a newer crmlite.
    TooNew,
    /// The disk is full or the file could not be read or written.
    Io,
    /// The database is read-only.
    ReadOnly,
    /// A lock was poisoned by a panic in another thread.
    Internal,
    /// Any other backend failure.
    Other,
}

/// One error type for the whole API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input was rejected; nothing was changed.
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The input field, e.g. `phones[0]` or `name`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A referenced record does not exist.
    #[error("{kind} {key} does not exist")]
    NotFound {
        /// The record kind.
        kind: EntityKind,
        /// The id or code that was looked up.
        key: String,
    },
    /// The write clashes with the stored state: a stale version, a duplicate code, a reused key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The storage backend failed.
    #[error("storage failure ({kind:?}): {message}")]
    Storage {
        /// What kind of failure.
        kind: StorageKind,
        /// A description from the backend.
        message: String,
    },
}

/// The fieldless kind of an [`Error`], for bindings to switch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::Validation`].
    Validation,
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::Conflict`].
    Conflict,
    /// See [`Error::Storage`] (except busy).
    Storage,
    /// A storage error of kind [`StorageKind::Busy`]: the caller may retry later.
    Busy,
}

impl ErrorKind {
    /// Every kind; binding tests walk this list.
    pub const ALL: &'static [ErrorKind] = &[
        Self::Validation,
        Self::NotFound,
        Self::Conflict,
        Self::Storage,
        Self::Busy,
    ];
}

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A not-found error for a record kind and key.
    pub fn not_found(kind: EntityKind, key: impl fmt::Display) -> Self {
        Self::NotFound {
            kind,
            key: key.to_string(),
        }
    }

    /// A storage error.
    pub fn storage(kind: StorageKind, message: impl Into<String>) -> Self {
        Self::Storage {
            kind,
            message: message.into(),
        }
    }

    /// The error's kind.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation { .. } => ErrorKind::Validation,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Storage {
                kind: StorageKind::Busy,
                ..
            } => ErrorKind::Busy,
            Self::Storage { .. } => ErrorKind::Storage,
        }
    }

    /// The field a validation error names, if any.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Whether retrying the whole transaction may succeed.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Storage {
                kind: StorageKind::Busy,
                ..
            }
        )
    }

    /// Prefixes the field of a validation error, e.g. `phones[1]` + `.number`.
    #[must_use]
    pub fn in_field(self, prefix: &str) -> Self {
        match self {
            Self::Validation { field, reason } => Self::Validation {
                field: format!("{prefix}.{field}"),
                reason,
            },
            other => other,
        }
    }
}
