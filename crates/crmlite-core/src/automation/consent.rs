//! Consent to be contacted: per customer, channel and purpose, granted or withdrawn, with
//! the time, the source and the version of the text the customer agreed to.

use crate::customer::clean_text;
use crate::{CustomerId, Error, Result, Timestamp};

/// A way of reaching a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail to the primary address.
    Email,
    /// Text message to the primary phone.
    Sms,
    /// A phone call.
    Phone,
    /// Paper mail to the postal address.
    Post,
}

impl Channel {
    /// Every channel, in a stable order.
    pub const ALL: &'static [Channel] = &[Self::Email, Self::Sms, Self::Phone, Self::Post];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Phone => "phone",
            Self::Post => "post",
        }
    }

    /// Parses a name returned by [`Channel::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Error::validation("channel", "must be one of email, sms, phone, post"))
    }
}

/// Why a customer is contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Offers and greetings: needs the customer's consent for the channel.
    Marketing,
    /// Reminders, receipts and other messages the customer expects: no marketing consent needed.
    Service,
}

impl Purpose {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Service => "service",
        }
    }

    /// Parses `marketing` or `service`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "marketing" => Ok(Self::Marketing),
            "service" => Ok(Self::Service),
            _ => Err(Error::validation("purpose", "must be marketing or service")),
        }
    }
}

/// One recorded consent decision; the latest per (customer, channel, purpose) is in force.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    /// The customer.
    pub customer: CustomerId,
    /// The channel.
    pub channel: Channel,
    /// The purpose.
    pub purpose: Purpose,
    /// Granted (`true`) or withdrawn (`false`).
    pub granted: bool,
    /// When it was recorded.
    pub at: Timestamp,
    /// Where it was given: `web-form`, `till`, `phone call`.
    pub source: String,
    /// The version of the consent text shown to the customer.
    pub text_version: String,
}

/// Input for a consent decision.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewConsent {
    /// The customer.
    pub customer: CustomerId,
    /// The channel.
    pub channel: Channel,
    /// The purpose.
    pub purpose: Purpose,
    /// Granted or withdrawn.
    pub granted: bool,
    /// Where it was given (required).
    pub source: String,
    /// The version of the consent text (required when granting).
    pub text_version: String,
}

impl NewConsent {
    /// A grant for `customer` on `channel` for `purpose`.
    #[must_use]
    pub fn grant(
        customer: CustomerId,
        channel: Channel,
        purpose: Purpose,
        source: impl Into<String>,
        text_version: impl Into<String>,
    ) -> Self {
        Self {
            customer,
            channel,
            purpose,
            granted: true,
            source: source.into(),
            text_version: text_version.into(),
        }
    }

    /// A withdrawal for `customer` on `channel` for `purpose`.
    #[must_use]
    pub fn withdraw(
        customer: CustomerId,
        channel: Channel,
        purpose: Purpose,
        source: impl Into<String>,
    ) -> Self {
        Self {
            customer,
            channel,
            purpose,
            granted: false,
            source: source.into(),
            text_version: String::new(),
        }
    }

    /// Checks the decision; `now` stamps it.
    pub fn validate(&self, now: Timestamp) -> Result<Consent> {
        Ok(Consent {
            customer: self.customer,
            channel: self.channel,
            purpose: self.purpose,
            granted: self.granted,
            at: now,
            source: clean_text("source", &self.source, 100, true)?,
            text_version: clean_text("text_version", &self.text_version, 64, self.granted)?,
        })
    }
}
