//! Locale helpers for templates: money by currency exponent, dates and numbers in the
//! customer's language. Right-to-left text is passed through untouched (no bidi marks added).

use crate::money::{Money, format_decimal};
use chrono::{Datelike, NaiveDate};

/// A language crmlite formats numbers and dates for; anything else falls back to English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Locale {
    /// English.
    En,
    /// Armenian.
    Hy,
    /// Georgian.
    Ka,
    /// Greek.
    El,
    /// Persian (Persian digits).
    Fa,
}

impl Locale {
    /// The locale of a BCP 47 tag by its primary language (`hy-AM` is Armenian); English otherwise.
    #[must_use]
    pub fn from_tag(tag: Option<&str>) -> Self {
        let primary = tag
            .unwrap_or("")
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "hy" => Self::Hy,
            "ka" => Self::Ka,
            "el" => Self::El,
            "fa" => Self::Fa,
            _ => Self::En,
        }
    }

    /// The thousands separator and the decimal mark.
    fn marks(self) -> (&'static str, &'static str) {
        match self {
            Self::En => (",", "."),
            Self::Hy | Self::Ka => ("\u{a0}", ","),
            Self::El => (".", ","),
            Self::Fa => ("\u{66c}", "\u{66b}"),
        }
    }

    /// Month names in the form used after a day number.
    fn months(self) -> [&'static str; 12] {
        match self {
            Self::En => [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            Self::Hy => [
                "հունվարի",
                "փետրվարի",
                "մարտի",
                "ապրիլի",
                "մայիսի",
                "հունիսի",
                "հուլիսի",
                "օգոստոսի",
                "սեպտեմբերի",
                "հոկտեմբերի",
                "նոյեմբերի",
                "դեկտեմբերի",
            ],
            Self::Ka => [
                "იანვარი",
                "თებერვალი",
                "მარტი",
                "აპრილი",
                "მაისი",
                "ივნისი",
                "ივლისი",
                "აგვისტო",
                "სექტემბერი",
                "ოქტომბერი",
                "ნოემბერი",
                "დეკემბერი",
            ],
            Self::El => [
                "Ιανουαρίου",
                "Φεβρουαρίου",
                "Μαρτίου",
                "Απριλίου",
                "Μαΐου",
                "Ιουνίου",
                "Ιουλίου",
                "Αυγούστου",
                "Σεπτεμβρίου",
                "Οκτωβρίου",
                "Νοεμβρίου",
                "Δεκεμβρίου",
            ],
            Self::Fa => [
                "ژانویه",
                "فوریه",
                "مارس",
                "آوریل",
                "مه",
                "ژوئن",
                "ژوئیه",
                "اوت",
                "سپتامبر",
                "اکتبر",
                "نوامبر",
                "دسامبر",
            ],
        }
    }

    /// Replaces ASCII digits with the locale's digits (Persian digits for `fa`).
    fn digits(self, text: &str) -> String {
        match self {
            Self::Fa => text
                .chars()
                .map(|c| {
                    c.to_digit(10)
                        .and_then(|d| char::from_u32(0x06F0 + d))
                        .unwrap_or(c)
                })
                .collect(),
            _ => text.to_owned(),
        }
    }
}

/// Groups the integer part of a plain decimal string (`-1234.50`) with the locale's marks.
fn group(plain: &str, locale: Locale) -> String {
    let (sep, dec) = locale.marks();
    let (sign, body) = plain.strip_prefix('-').map_or(("", plain), |b| ("-", b));
    let (int, frac) = body
        .split_once('.')
        .map_or((body, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push_str(dec);
        out.push_str(f);
    }
    locale.digits(&format!("{sign}{out}"))
}

/// A whole number with the locale's grouping and digits: `1,234,567`, `1.234.567`, `۱٬۲۳۴٬۵۶۷`.
#[must_use]
pub fn format_number(value: i64, locale: Locale) -> String {
    group(&value.to_string(), locale)
}

/// The currency's sign where one is customary, else its code.
fn currency_sign(code: &str) -> &str {
    match code {
        "AMD" => "֏",
        "GEL" => "₾",
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "IRR" => "ریال",
        other => other,
    }
}

/// An amount with exactly the currency's fraction digits (AMD 2, JPY 0, BHD 3), grouped for
/// the locale, with the currency's sign: `€1,234.50` (en), `1.234,50 €` (el), `۱۲٬۰۰۰٫۰۰ ریال` (fa).
#[must_use]
pub fn format_money(money: &Money, locale: Locale) -> String {
    let amount = group(
        &format_decimal(money.minor, money.currency.exponent()),
        locale,
    );
    let sign = currency_sign(money.currency.code());
    match locale {
        Locale::En if sign.chars().count() == 1 => match amount.strip_prefix('-') {
            Some(abs) => format!("-{sign}{abs}"),
            None => format!("{sign}{amount}"),
        },
        Locale::En => format!("{sign} {amount}"),
        _ => format!("{amount}\u{a0}{sign}"),
    }
}

/// A date written out in the locale: `7 December 2026`, `7 դեկտեմբերի 2026 թ.`,
/// `7 დეკემბერი 2026`, `7 Δεκεμβρίου 2026`, `۷ دسامبر ۲۰۲۶` (Gregorian calendar).
#[must_use]
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    let months = locale.months();
    let month = months.get(date.month0() as usize).copied().unwrap_or("");
    let text = match locale {
        Locale::Hy => format!("{} {month} {} թ.", date.day(), date.year()),
        _ => format!("{} {month} {}", date.day(), date.year()),
    };
    locale.digits(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn money(minor: i64, code: &str) -> Money {
        Money::new(minor, Currency::parse(code, "c").unwrap())
    }

    #[test]
    fn locales_come_from_the_primary_subtag() {
        assert_eq!(Locale::from_tag(Some("hy-AM")), Locale::Hy);
        assert_eq!(Locale::from_tag(Some("fa-IR")), Locale::Fa);
        assert_eq!(Locale::from_tag(Some("ka")), Locale::Ka);
        assert_eq!(Locale::from_tag(Some("el")), Locale::El);
        assert_eq!(Locale::from_tag(Some("de")), Locale::En);
        assert_eq!(Locale::from_tag(None), Locale::En);
    }

    #[test]
    fn numbers_group_per_locale() {
        assert_eq!(format_number(1_234_567, Locale::En), "1,234,567");
        assert_eq!(format_number(1_234_567, Locale::El), "1.234.567");
        assert_eq!(format_number(1_234_567, Locale::Hy), "1\u{a0}234\u{a0}567");
        assert_eq!(format_number(1_234_567, Locale::Fa), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(format_number(-999, Locale::En), "-999");
        assert_eq!(format_number(-1000, Locale::En), "-1,000");
        assert_eq!(format_number(0, Locale::Fa), "۰");
        assert_eq!(
            format_number(i64::MIN, Locale::En),
            "-9,223,372,036,854,775,808"
        );
    }

    #[test]
    fn money_uses_the_currency_exponent() {
        assert_eq!(
            format_money(&money(123_450, "EUR"), Locale::En),
            "€1,234.50"
        );
        assert_eq!(format_money(&money(-5, "EUR"), Locale::En), "-€0.05");
        assert_eq!(
            format_money(&money(123_450, "EUR"), Locale::El),
            "1.234,50\u{a0}€"
        );
        assert_eq!(
            format_money(&money(500_000, "AMD"), Locale::Hy),
            "5\u{a0}000,00\u{a0}֏"
        );
        // ISO 4217 gives the rial two minor digits.
        assert_eq!(
            format_money(&money(1_200_000, "IRR"), Locale::Fa),
            "۱۲٬۰۰۰٫۰۰\u{a0}ریال"
        );
        assert_eq!(format_money(&money(1500, "JPY"), Locale::En), "JPY 1,500");
        assert_eq!(
            format_money(&money(1_234_567, "BHD"), Locale::En),
            "BHD 1,234.567"
        );
        assert_eq!(
            format_money(&money(4_550, "GEL"), Locale::Ka),
            "45,50\u{a0}₾"
        );
    }

    #[test]
    fn dates_are_written_out_per_locale() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(format_date(d, Locale::En), "7 December 2026");
        assert_eq!(format_date(d, Locale::Hy), "7 դեկտեմբերի 2026 թ.");
        assert_eq!(format_date(d, Locale::Ka), "7 დეკემბერი 2026");
        assert_eq!(format_date(d, Locale::El), "7 Δεκεμβρίου 2026");
        assert_eq!(format_date(d, Locale::Fa), "۷ دسامبر ۲۰۲۶");
    }
}
