//! The outbox: messages crmlite has rendered for the host to deliver. Delivery is
//! at-least-once: the host claims a batch under a lease, then acks or fails each message;
//! a message whose lease expired is handed out again, so nothing is lost.

use super::consent::{Channel, Purpose};
use crate::{CustomerId, Error, MessageId, Result, Timestamp};

/// After this many failed deliveries a message is given up (status `failed`).
pub const MAX_ATTEMPTS: i64 = 10;

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting to be claimed (possibly after `available_at`).
    Pending,
    /// Claimed by a deliverer until `lease_until`.
    Claimed,
    /// Delivered and acknowledged.
    Sent,
    /// Given up after [`MAX_ATTEMPTS`] failures.
    Failed,
    /// Cancelled before delivery (for example, consent was withdrawn).
    Cancelled,
}

impl MessageStatus {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Claimed => "claimed",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a name returned by [`MessageStatus::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => Self::Pending,
            "claimed" => Self::Claimed,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            _ => {
                return Err(Error::validation(
                    "status",
                    "must be pending, claimed, sent, failed or cancelled",
                ));
            }
        })
    }
}

/// A message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OutboxMessage {
    /// Stable id.
    pub id: MessageId,
    /// The customer it is for.
    pub customer: Option<CustomerId>,
    /// How to deliver it.
    pub channel: Channel,
    /// Marketing or service.
    pub purpose: Purpose,
    /// The e-mail address or E.164 phone number.
    pub recipient: String,
    /// Subject line (e-mail), may be empty.
    pub subject: String,
    /// The rendered body.
    pub body: String,
    /// Whether the body is HTML.
    pub html: bool,
    /// Queueing the same key again returns this message instead of a new one.
    pub dedupe_key: Option<String>,
    /// Where it stands.
    pub status: MessageStatus,
    /// Claims so far.
    pub attempts: i64,
    /// Not claimable before this time (retry back-off).
    pub available_at: Timestamp,
    /// The current claim's lease end.
    pub lease_until: Option<Timestamp>,
    /// The current (or last) claim's token.
    pub claim_token: Option<String>,
    /// The last failure reported by the host.
    pub last_error: String,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// A message handed to a deliverer, with the token to ack or fail it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    /// The message.
    pub message: OutboxMessage,
    /// Pass this to `ack_message` or `fail_message`.
    pub token: String,
}

/// A message to queue for a customer from templates.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewMessage {
    /// The customer (the recipient is their primary e-mail or phone for the channel).
    pub customer: CustomerId,
    /// E-mail or SMS.
    pub channel: Channel,
    /// Marketing (needs consent) or service.
    pub purpose: Purpose,
    /// Code of the body template.
    pub body_template: String,
    /// Code of the subject template (e-mail only).
    pub subject_template: Option<String>,
    /// Extra template variables (a JSON object), e.g. an order or a deal.
    pub vars: serde_json::Value,
    /// A key that makes queueing idempotent.
    pub dedupe_key: Option<String>,
}

impl NewMessage {
    /// A message for `customer` on `channel` for `purpose`, from the body template `body_template`.
    #[must_use]
    pub fn new(
        customer: CustomerId,
        channel: Channel,
        purpose: Purpose,
        body_template: impl Into<String>,
    ) -> Self {
        Self {
            customer,
            channel,
            purpose,
            body_template: body_template.into(),
            subject_template: None,
            vars: serde_json::Value::Object(serde_json::Map::new()),
            dedupe_key: None,
        }
    }

    /// Sets the subject template.
    #[must_use]
    pub fn subject_template(mut self, code: impl Into<String>) -> Self {
        self.subject_template = Some(code.into());
        self
    }

    /// Sets the extra template variables.
    #[must_use]
    pub fn vars(mut self, vars: serde_json::Value) -> Self {
        self.vars = vars;
        self
    }

    /// Sets the dedupe key.
    #[must_use]
    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}
