//! A small subset of RFC 5545 recurrence rules: `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY`,
//! `INTERVAL`, `COUNT`, `UNTIL` and `BYDAY` (weekly rules only). Occurrences are computed
//! in UTC from the series start, and iteration is always bounded.

use crate::{Error, Result, Timestamp};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};

/// How many candidate dates are examined before iteration gives up.
const MAX_STEPS: u32 = 100_000;

/// How often a rule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// Every `interval` days.
    Daily,
    /// Every `interval` weeks.
    Weekly,
    /// Every `interval` months, on the start's day of the month (months without it are skipped).
    Monthly,
    /// Every `interval` years, on the start's month and day (29 February only in leap years).
    Yearly,
}

/// A parsed recurrence rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// How often.
    pub freq: Frequency,
    /// Every how many periods (1 or more).
    pub interval: u32,
    /// At most this many occurrences, counting the start.
    pub count: Option<u32>,
    /// No occurrence after this instant.
    pub until: Option<Timestamp>,
    /// Weekdays of a weekly rule; empty means the start's weekday.
    pub by_day: Vec<Weekday>,
}

fn bad(reason: impl Into<String>) -> Error {
    Error::validation("recurrence", reason)
}

fn weekday(code: &str) -> Result<Weekday> {
    Ok(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        other => {
            return Err(bad(format!(
                "BYDAY {other:?} is not one of MO, TU, WE, TH, FR, SA, SU"
            )));
        }
    })
}

fn until(value: &str) -> Result<Timestamp> {
    let v = value.trim_end_matches('Z');
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S") {
        return Ok(Timestamp::from_datetime(dt.and_utc()));
    }
    let d = NaiveDate::parse_from_str(v, "%Y%m%d")
        .map_err(|_| bad(format!("UNTIL {value:?} is not a date")))?;
    let end = d
        .and_hms_opt(23, 59, 59)
        .ok_or_else(|| bad("UNTIL is out of range"))?;
    Ok(Timestamp::from_datetime(end.and_utc()))
}

impl Rule {
    /// Parses `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10` (an optional `RRULE:` prefix is allowed).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        let mut freq = None;
        let mut rule = Rule {
            freq: Frequency::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
        };
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| bad(format!("{part:?} is not NAME=VALUE")))?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match value.to_ascii_uppercase().as_str() {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        other => return Err(bad(format!("FREQ {other} is not supported"))),
                    });
                }
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| bad("INTERVAL must be a whole number from 1 to 1000"))?;
                }
                "COUNT" => {
                    rule.count = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| bad("COUNT must be a whole number of 1 or more"))?,
                    );
                }
                "UNTIL" => rule.until = Some(until(value)?),
                "BYDAY" => {
                    for code in value.split(',') {
                        let d = weekday(&code.trim().to_ascii_uppercase())?;
                        if !rule.by_day.contains(&d) {
                            rule.by_day.push(d);
                        }
                    }
                    rule.by_day.sort_by_key(Weekday::num_days_from_monday);
                }
                other => {
                    return Err(bad(format!(
                        "{other} is not supported (FREQ, INTERVAL, COUNT, UNTIL, BYDAY)"
                    )));
                }
            }
        }
        rule.freq = freq.ok_or_else(|| bad("FREQ is required"))?;
        if rule.count.is_some() && rule.until.is_some() {
            return Err(bad("COUNT and UNTIL cannot both be given"));
        }
        if !rule.by_day.is_empty() && rule.freq != Frequency::Weekly {
            return Err(bad("BYDAY is supported with FREQ=WEEKLY only"));
        }
        Ok(rule)
    }

    /// The rule as text, in the canonical form accepted by [`Rule::parse`].
    #[must_use]
    pub fn to_text(&self) -> String {
        let freq = match self.freq {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        };
        let mut out = format!("FREQ={freq}");
        if self.interval != 1 {
            out.push_str(&format!(";INTERVAL={}", self.interval));
        }
        if let Some(c) = self.count {
            out.push_str(&format!(";COUNT={c}"));
        }
        if let Some(u) = self.until.and_then(Timestamp::to_datetime) {
            out.push_str(&format!(";UNTIL={}", u.format("%Y%m%dT%H%M%SZ")));
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|d| d.to_string().to_ascii_uppercase().chars().take(2).collect())
                .collect();
            out.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        out
    }

    /// Occurrences of the series starting at `start`, in order, that fall in `[from, to]`,
    /// at most `max` of them. Each comes with its 1-based position in the series.
    pub fn occurrences(
        &self,
        start: Timestamp,
        from: Timestamp,
        to: Timestamp,
        max: usize,
    ) -> Result<Vec<(u32, Timestamp)>> {
        let start_dt = start
            .to_datetime()
            .ok_or_else(|| bad("start is out of range"))?;
        let mut out = Vec::new();
        let mut index: u32 = 0;
        let mut steps: u32 = 0;
        let mut period: u32 = 0;
        while steps < MAX_STEPS && out.len() < max {
            let Some(candidates) = self.period_candidates(start_dt, period) else {
                break;
            };
            period = period
                .checked_add(1)
                .ok_or_else(|| bad("too many periods"))?;
            steps += 1;
            for at in candidates {
                steps += 1;
                if at < start {
                    continue;
                }
                if self.until.is_some_and(|u| at > u) || at > to {
                    return Ok(out);
                }
                index += 1;
                if self.count.is_some_and(|c| index > c) {
                    return Ok(out);
                }
                if at >= from && out.len() < max {
                    out.push((index, at));
                }
            }
        }
        Ok(out)
    }

    /// The occurrence right after `after` in the series starting at `start`, within ten years.
    pub fn next_after(
        &self,
        start: Timestamp,
        after: Timestamp,
    ) -> Result<Option<(u32, Timestamp)>> {
        let from = Timestamp(after.0.saturating_add(1));
        let to = after.plus_days(3660).unwrap_or(Timestamp(i64::MAX));
        Ok(self.occurrences(start, from, to, 1)?.into_iter().next())
    }

    /// The candidate instants of period `n` (in order), or `None` once past chrono's range.
    fn period_candidates(&self, start: DateTime<Utc>, n: u32) -> Option<Vec<Timestamp>> {
        let step = n.checked_mul(self.interval)?;
        let ts = |dt: DateTime<Utc>| Timestamp::from_datetime(dt);
        Some(match self.freq {
            Frequency::Daily => vec![ts(start.checked_add_days(Days::new(u64::from(step)))?)],
            Frequency::Weekly if self.by_day.is_empty() => {
                vec![ts(start.checked_add_days(Days::new(u64::from(step) * 7))?)]
            }
            Frequency::Weekly => {
                let monday = start.checked_sub_days(Days::new(u64::from(
                    start.weekday().num_days_from_monday(),
                )))?;
                let week = monday.checked_add_days(Days::new(u64::from(step) * 7))?;
                self.by_day
                    .iter()
                    .filter_map(|d| {
                        week.checked_add_days(Days::new(u64::from(d.num_days_from_monday())))
                    })
                    .map(ts)
                    .collect()
            }
            Frequency::Monthly | Frequency::Yearly => {
                let months = if self.freq == Frequency::Yearly {
                    step.checked_mul(12)?
                } else {
                    step
                };
                let first = start.with_day(1)?.checked_add_months(Months::new(months))?;
                // A month without the start's day has no occurrence (RFC 5545).
                first.with_day(start.day()).map(ts).into_iter().collect()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s, "t").unwrap()
    }

    fn dates(rule: &str, start: &str, to: &str) -> Vec<String> {
        Rule::parse(rule)
            .unwrap()
            .occurrences(t(start), t(start), t(to), 100)
            .unwrap()
            .into_iter()
            .map(|(_, at)| at.to_rfc3339()[..10].to_owned())
            .collect()
    }

    #[test]
    fn daily_with_interval_and_count() {
        assert_eq!(
            dates(
                "FREQ=DAILY;INTERVAL=2;COUNT=3",
                "2026-12-01T09:00:00Z",
                "2027-12-01T00:00:00Z"
            ),
            ["2026-12-01", "2026-12-03", "2026-12-05"]
        );
    }

    #[test]
    fn weekly_by_day_starts_at_the_start() {
        // 2026-12-02 is a Wednesday: the Monday of that week is before the start and skipped.
        assert_eq!(
            dates(
                "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=5",
                "2026-12-02T09:00:00Z",
                "2027-12-01T00:00:00Z"
            ),
            [
                "2026-12-02",
                "2026-12-04",
                "2026-12-07",
                "2026-12-09",
                "2026-12-11"
            ]
        );
        assert_eq!(
            dates(
                "FREQ=WEEKLY;INTERVAL=2",
                "2026-12-02T09:00:00Z",
                "2026-12-31T00:00:00Z"
            ),
            ["2026-12-02", "2026-12-16", "2026-12-30"]
        );
    }

    #[test]
    fn monthly_skips_short_months_and_until_is_inclusive() {
        assert_eq!(
            dates(
                "FREQ=MONTHLY;UNTIL=20270531",
                "2027-01-31T08:00:00Z",
                "2030-01-01T00:00:00Z"
            ),
            ["2027-01-31", "2027-03-31", "2027-05-31"]
        );
    }

    #[test]
    fn yearly_leap_day_only_in_leap_years() {
        assert_eq!(
            dates(
                "FREQ=YEARLY;COUNT=2",
                "2024-02-29T00:00:00Z",
                "2040-01-01T00:00:00Z"
            ),
            ["2024-02-29", "2028-02-29"]
        );
    }

    #[test]
    fn an_endless_rule_is_bounded_by_the_window() {
        let rule = Rule::parse("FREQ=DAILY").unwrap();
        let all = rule
            .occurrences(
                t("2026-01-01T00:00:00Z"),
                t("2026-01-01T00:00:00Z"),
                t("2126-01-01T00:00:00Z"),
                10,
            )
            .unwrap();
        assert_eq!(all.len(), 10);
        let next = rule
            .next_after(t("2026-01-01T00:00:00Z"), t("2026-01-05T00:00:00Z"))
            .unwrap();
        assert_eq!(next, Some((6, t("2026-01-06T00:00:00Z"))));
    }

    #[test]
    fn bad_rules_are_rejected() {
        for bad in [
            "",
            "FREQ=HOURLY",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;COUNT=2;UNTIL=20270101",
            "FREQ=MONTHLY;BYDAY=MO",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=DAILY;BYHOUR=3",
            "FREQ",
        ] {
            assert_eq!(
                Rule::parse(bad).unwrap_err().field(),
                Some("recurrence"),
                "{bad}"
            );
        }
        assert_eq!(
            Rule::parse("RRULE:FREQ=WEEKLY;BYDAY=FR,MO;INTERVAL=2")
                .unwrap()
                .to_text(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"
        );
    }
}
