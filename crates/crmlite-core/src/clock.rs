//! The injected clock and the timestamp type.

use crate::{Error, Result};
use chrono::{DateTime, Utc};

/// A point in time: milliseconds since the Unix epoch, UTC.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    #[must_use]
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The same instant as a chrono `DateTime<Utc>`, if representable.
    #[must_use]
    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        DateTime::<Utc>::from_timestamp_millis(self.0)
    }

    /// From a chrono `DateTime<Utc>`.
    #[must_use]
    pub fn from_datetime(dt: DateTime<Utc>) -> Self {
        Self(dt.timestamp_millis())
    }

    /// Parses RFC 3339 (`2026-12-07T10:00:00Z`); `field` names the input in the error.
    pub fn parse_rfc3339(s: &str, field: &str) -> Result<Self> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|d| Self(d.timestamp_millis()))
            .map_err(|e| Error::validation(field, format!("is not an RFC 3339 time: {e}")))
    }

    /// RFC 3339 text in UTC with milliseconds.
    #[must_use]
    pub fn to_rfc3339(self) -> String {
        self.to_datetime().map_or_else(
            || self.0.to_string(),
            |d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )
    }

    /// This instant plus `days` whole days, or an error on overflow.
    pub fn plus_days(self, days: i64) -> Result<Self> {
        days.checked_mul(86_400_000)
            .and_then(|ms| self.0.checked_add(ms))
            .map(Self)
            .ok_or_else(|| Error::validation("days", "overflows the time range"))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// The source of `now` for every rule; injected so that tests are deterministic.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// A clock that always returns the same instant (for tests and replays).
#[derive(Debug)]
pub struct FixedClock(std::sync::atomic::AtomicI64);

impl FixedClock {
    /// A clock stopped at `at`.
    #[must_use]
    pub fn new(at: Timestamp) -> Self {
        Self(std::sync::atomic::AtomicI64::new(at.0))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.0, std::sync::atomic::Ordering::SeqCst);
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(std::sync::atomic::Ordering::SeqCst))
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}
