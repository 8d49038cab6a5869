//! Money as integer minor units with an ISO 4217 currency.

use crate::{Error, Result};
use std::fmt;

/// An ISO 4217 currency code such as `AMD` or `EUR`, stored as its three letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parses and checks a code against ISO 4217 (case-insensitive); `field` names the input.
    pub fn parse(code: &str, field: &str) -> Result<Self> {
        let upper = code.trim().to_ascii_uppercase();
        let bytes: [u8; 3] = upper
            .as_bytes()
            .try_into()
            .map_err(|_| Error::validation(field, "must be a three-letter ISO 4217 code"))?;
        if iso_currency::Currency::from_code(&upper).is_none() {
            return Err(Error::validation(
                field,
                format!("{upper} is not an ISO 4217 currency"),
            ));
        }
        Ok(Self(bytes))
    }

    /// The three-letter code.
    #[must_use]
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (AMD 2, JPY 0, BHD 3); 0 for codes without minor units.
    #[must_use]
    pub fn exponent(&self) -> u32 {
        iso_currency::Currency::from_code(self.code())
            .and_then(|c| c.exponent())
            .map_or(0, u32::from)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s, "currency").map_err(serde::de::Error::custom)
    }
}

/// An amount of money: integer minor units (cents, luma, tetri) and a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Money {
    /// The amount in minor units.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// An amount of `minor` units of `currency`.
    #[must_use]
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a decimal amount such as `1 234,56`, `1,234.56`, `-12.5` or Persian digits,
    /// exactly (never through floating point). More fraction digits than the currency has is an error.
    pub fn parse(text: &str, currency: Currency, field: &str) -> Result<Self> {
        let minor = parse_decimal(text, currency.exponent(), field)?;
        Ok(Self { minor, currency })
    }

    /// Adds two amounts of the same currency; a currency mismatch or an overflow is an error.
    pub fn checked_add(self, other: Self, field: &str) -> Result<Self> {
        self.same_currency(other, field)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Self {
                minor,
                currency: self.currency,
            })
            .ok_or_else(|| Error::validation(field, "amount overflows"))
    }

    /// Subtracts `other`; a currency mismatch or an overflow is an error.
    pub fn checked_sub(self, other: Self, field: &str) -> Result<Self> {
        self.same_currency(other, field)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Self {
                minor,
                currency: self.currency,
            })
            .ok_or_else(|| Error::validation(field, "amount overflows"))
    }

    fn same_currency(self, other: Self, field: &str) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::validation(
                field,
                format!(
                    "currency {} does not match {}",
                    other.currency, self.currency
                ),
            ))
        }
    }

    /// The amount as a plain decimal string with the currency's digits, e.g. `1234.50`.
    #[must_use]
    pub fn to_decimal_string(&self) -> String {
        format_decimal(self.minor, self.currency.exponent())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

/// `num / den` rounded half away from zero (`2.5 -> 3`, `-2.5 -> -3`): crmlite's one rounding
/// rule for money. Exact in `i128`; `None` when `den` is zero or the result overflows.
#[must_use]
pub fn div_round_half_away(num: i128, den: i128) -> Option<i128> {
    if den == 0 {
        return None;
    }
    let quotient = num.checked_div(den)?;
    let remainder = num.checked_rem(den)?;
    // |remainder| * 2 >= |den| means the fraction is at least one half.
    let twice = remainder.unsigned_abs().checked_mul(2)?;
    if twice >= den.unsigned_abs() {
        let away = if (num < 0) == (den < 0) { 1 } else { -1 };
        quotient.checked_add(away)
    } else {
        Some(quotient)
    }
}

/// Formats `minor` units with `exponent` fraction digits.
#[must_use]
pub fn format_decimal(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(exponent);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = exponent as usize
    )
}

/// Parses a decimal amount into minor units with `exponent` fraction digits.
///
/// Accepts a leading sign, spaces, apostrophes or the other mark as thousands separators,
/// `.` or `,` as the decimal mark (the last one wins when both appear), and Persian or
/// Arabic-Indic digits. Rejects more fraction digits than `exponent` and overflow.
pub fn parse_decimal(text: &str, exponent: u32, field: &str) -> Result<i64> {
    let ascii = crate::text::ascii_digits(text.trim());
    let (negative, body) = match ascii.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (
            false,
            ascii.strip_prefix('+').unwrap_or(&ascii).trim_start(),
        ),
    };
    if body.is_empty() {
        return Err(Error::validation(field, "is empty"));
    }
    let cleaned: String = body
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '\u{66c}'))
        .map(|c| if c == '\u{66b}' { '.' } else { c })
        .collect();
    let last_dot = cleaned.rfind('.');
    let last_comma = cleaned.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(d), None) => single_mark_is_decimal(&cleaned, '.').then_some(d),
        (None, Some(c)) => single_mark_is_decimal(&cleaned, ',').then_some(c),
        (None, None) => None,
    };
    let (int_part, frac_part) = match decimal_at {
        Some(i) => (&cleaned[..i], &cleaned[i + 1..]),
        None => (cleaned.as_str(), ""),
    };
    let int_digits: String = int_part
        .chars()
        .filter(|c| *c != ',' && *c != '.')
        .collect();
    if int_digits.is_empty() && frac_part.is_empty() {
        return Err(Error::validation(
            field,
            format!("{text:?} is not a number"),
        ));
    }
    if !int_digits.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Error::validation(
            field,
            format!("{text:?} is not a number"),
        ));
    }
    let frac_len = u32::try_from(frac_part.len()).unwrap_or(u32::MAX);
    if frac_len > exponent {
        return Err(Error::validation(
            field,
            format!("{text:?} has more than {exponent} digits after the decimal mark"),
        ));
    }
    let overflow = || Error::validation(field, "amount overflows");
    let mut value: i64 = 0;
    for c in int_digits.chars().chain(frac_part.chars()) {
        let d = i64::from(c.to_digit(10).unwrap_or(0));
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d))
            .ok_or_else(overflow)?;
    }
    for _ in frac_len..exponent {
        value = value.checked_mul(10).ok_or_else(overflow)?;
    }
    Ok(if negative { -value } else { value })
}

/// With only one kind of mark: it is a decimal mark unless it appears more than once or
/// is followed by exactly three digits after an integer part that has 1-3 digits
/// repeated in groups (ambiguous `1,234` is read as a thousands separator).
fn single_mark_is_decimal(s: &str, mark: char) -> bool {
    let count = s.matches(mark).count();
    if count > 1 {
        return false;
    }
    match s.rsplit_once(mark) {
        Some((_, frac)) => frac.len() != 3,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> Currency {
        Currency::parse(c, "currency").unwrap()
    }

    #[test]
    fn exponents_come_from_iso_4217() {
        assert_eq!(cur("AMD").exponent(), 2);
        assert_eq!(cur("jpy").exponent(), 0);
        assert_eq!(cur("BHD").exponent(), 3);
        assert!(Currency::parse("XYZ", "c").is_err());
        assert!(Currency::parse("EURO", "c").is_err());
    }

    #[test]
    fn parses_decimal_forms_exactly() {
        let eur = cur("EUR");
        for (text, minor) in [
            ("1 234,56", 123_456),
            ("1,234.56", 123_456),
            ("1.234,56", 123_456),
            ("12.5", 1250),
            ("-0,01", -1),
            ("1,234", 123_400),
            ("۱۲۳٫۴۵", 12_345),
            ("7", 700),
        ] {
            assert_eq!(
                Money::parse(text, eur, "amount").unwrap().minor,
                minor,
                "{text}"
            );
        }
        assert_eq!(
            Money::parse("1.234", cur("JPY"), "amount").unwrap().minor,
            1234,
            "a lone mark before three digits groups thousands"
        );
        assert!(Money::parse("1.5", cur("JPY"), "amount").is_err());
        assert!(Money::parse("12.3456", eur, "amount").is_err());
        assert!(Money::parse("abc", eur, "amount").is_err());
        assert!(Money::parse("", eur, "amount").is_err());
        assert!(Money::parse("99999999999999999999", eur, "amount").is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round_half_away(5, 2), Some(3));
        assert_eq!(div_round_half_away(-5, 2), Some(-3));
        assert_eq!(div_round_half_away(5, -2), Some(-3));
        assert_eq!(div_round_half_away(7, 3), Some(2));
        assert_eq!(div_round_half_away(8, 3), Some(3));
        assert_eq!(div_round_half_away(-8, 3), Some(-3));
        assert_eq!(div_round_half_away(149, 100), Some(1));
        assert_eq!(div_round_half_away(150, 100), Some(2));
        assert_eq!(div_round_half_away(1, 0), None);
        assert_eq!(div_round_half_away(i128::MIN, -1), None);
    }

    #[test]
    fn arithmetic_is_checked_and_currency_safe() {
        let a = Money::new(i64::MAX, cur("EUR"));
        assert!(a.checked_add(Money::new(1, cur("EUR")), "x").is_err());
        assert!(
            Money::new(1, cur("EUR"))
                .checked_add(Money::new(1, cur("USD")), "x")
                .is_err()
        );
        assert_eq!(Money::new(-105, cur("EUR")).to_string(), "-1.05 EUR");
        assert_eq!(Money::new(5, cur("BHD")).to_decimal_string(), "0.005");
    }
}
