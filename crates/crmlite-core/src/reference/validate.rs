//! Built-in directory kinds, checks of kinds and entries, and parsing of field text.

use super::{
    BUILTIN_KINDS, DirectoryKind, Entry, EntryInput, FieldDef, FieldType, FieldValue,
    NewDirectoryKind,
};
use crate::customer::clean_text;
use crate::money::{Currency, Money, parse_decimal};
use crate::{EntryId, Error, Result, Timestamp, text};
use chrono::NaiveDate;
use std::collections::BTreeMap;

const MAX_CODE: usize = 100;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 1000;
const MAX_FIELDS: usize = 50;
/// The largest percentage accepted, in basis points (10 000 %).
const MAX_PERCENT_BP: i64 = 1_000_000;

fn f(name: &str, field_type: FieldType, required: bool) -> FieldDef {
    FieldDef::new(name, field_type, required)
}

fn reference(kind: &str) -> FieldType {
    FieldType::Reference(kind.to_owned())
}

/// The definition of a built-in kind, or `None` for any other name.
#[must_use]
pub fn builtin_kind(name: &str) -> Option<DirectoryKind> {
    let (label, fields) = match name {
        "product" => (
            "Products",
            vec![
                f("category", reference("category"), false),
                f("unit", reference("unit"), false),
                f("price", FieldType::Money, false),
                f("tax_rate", FieldType::Percent, false),
                f("barcode", FieldType::Text, false),
            ],
        ),
        "category" => (
            "Categories",
            vec![f("parent", reference("category"), false)],
        ),
        "unit" => ("Units", vec![f("symbol", FieldType::Text, false)]),
        "currency" => ("Currencies", vec![f("symbol", FieldType::Text, false)]),
        "price_list" => (
            "Price lists",
            vec![
                f("currency", FieldType::Currency, true),
                f("valid_from", FieldType::Date, false),
                f("valid_to", FieldType::Date, false),
            ],
        ),
        "price" => (
            "Prices",
            vec![
                f("price_list", reference("price_list"), true),
                f("product", reference("product"), true),
                f("price", FieldType::Money, true),
                f("valid_from", FieldType::Date, false),
                f("valid_to", FieldType::Date, false),
            ],
        ),
        "store" => (
            "Stores and points of sale",
            vec![
                f("address", FieldType::Text, false),
                f("city", FieldType::Text, false),
                f("phone", FieldType::Text, false),
            ],
        ),
        "lost_reason" => ("Lost reasons", Vec::new()),
        _ => return None,
    };
    Some(DirectoryKind {
        name: name.to_owned(),
        label: label.to_owned(),
        fields,
        builtin: true,
    })
}

/// Checks a name of a kind or a field: 1-64 characters of `a-z`, `0-9`, `_`, starting with a letter.
pub(crate) fn identifier(field: &str, name: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if ok {
        Ok(name.to_owned())
    } else {
        Err(Error::validation(
            field,
            "must be 1-64 characters of a-z, 0-9 and _, starting with a letter",
        ))
    }
}

/// Checks a new user-defined kind; references to other kinds are checked by the service.
pub(crate) fn validate_kind(new: &NewDirectoryKind) -> Result<DirectoryKind> {
    let name = identifier("name", &new.name)?;
    if BUILTIN_KINDS.contains(&name.as_str()) {
        return Err(Error::validation(
            "name",
            format!("{name} is a built-in kind"),
        ));
    }
    let label = clean_text("label", &new.label, MAX_NAME, true)?;
    if new.fields.len() > MAX_FIELDS {
        return Err(Error::validation(
            "fields",
            format!("at most {MAX_FIELDS} fields"),
        ));
    }
    let mut fields: Vec<FieldDef> = Vec::with_capacity(new.fields.len());
    for (i, def) in new.fields.iter().enumerate() {
        let field = format!("fields[{i}].name");
        let n = identifier(&field, &def.name)?;
        if matches!(n.as_str(), "external_code" | "name" | "archived")
            || fields.iter().any(|d| d.name == n)
        {
            return Err(Error::validation(
                field,
                format!("{n} is used twice or reserved"),
            ));
        }
        fields.push(FieldDef {
            name: n,
            field_type: def.field_type.clone(),
            required: def.required,
        });
    }
    Ok(DirectoryKind {
        name,
        label,
        fields,
        builtin: false,
    })
}

/// Checks and normalises an entry of `kind`; references are resolved by the caller.
pub fn validate_entry(kind: &DirectoryKind, input: &EntryInput, now: Timestamp) -> Result<Entry> {
    let mut code = clean_text("external_code", &input.external_code, MAX_CODE, true)?;
    if kind.name == "currency" {
        code = Currency::parse(&code, "external_code")?.code().to_owned();
    }
    let name = clean_text("name", &input.name, MAX_NAME, true)?;
    let mut fields = BTreeMap::new();
    for (key, value) in &input.fields {
        let path = format!("fields.{key}");
        let def = kind
            .field(key)
            .ok_or_else(|| Error::validation(&path, format!("is not a field of {}", kind.name)))?;
        fields.insert(key.clone(), check_value(&path, &def.field_type, value)?);
    }
    for def in &kind.fields {
        if def.required && !fields.contains_key(&def.name) {
            return Err(Error::validation(
                format!("fields.{}", def.name),
                "is required",
            ));
        }
    }
    if let (Some(FieldValue::Date(from)), Some(FieldValue::Date(to))) =
        (fields.get("valid_from"), fields.get("valid_to"))
        && from > to
    {
        return Err(Error::validation("fields.valid_to", "is before valid_from"));
    }
    Ok(Entry {
        id: EntryId(0),
        kind: kind.name.clone(),
        external_code: code,
        name,
        fields,
        archived: false,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

fn check_value(path: &str, ty: &FieldType, value: &FieldValue) -> Result<FieldValue> {
    let mismatch = || Error::validation(path, format!("must be a {}", type_name(ty)));
    Ok(match (ty, value) {
        (FieldType::Text, FieldValue::Text(t)) => {
            FieldValue::Text(clean_text(path, t, MAX_TEXT, false)?)
        }
        (FieldType::Integer, FieldValue::Integer(v)) => FieldValue::Integer(*v),
        (FieldType::Decimal(_), FieldValue::Decimal(v)) => FieldValue::Decimal(*v),
        (FieldType::Money, FieldValue::Money(m)) => FieldValue::Money(*m),
        (FieldType::Percent, FieldValue::Percent(bp)) => {
            if !(0..=MAX_PERCENT_BP).contains(bp) {
                return Err(Error::validation(
                    path,
                    "must be between 0 and 10000 percent",
                ));
            }
            FieldValue::Percent(*bp)
        }
        (FieldType::Boolean, FieldValue::Boolean(b)) => FieldValue::Boolean(*b),
        (FieldType::Date, FieldValue::Date(d)) => FieldValue::Date(*d),
        (FieldType::Currency, FieldValue::Currency(c)) => FieldValue::Currency(*c),
        (FieldType::Reference(_), FieldValue::Reference(code)) => {
            FieldValue::Reference(clean_text(path, code, MAX_CODE, true)?)
        }
        _ => return Err(mismatch()),
    })
}

/// A short name of a field type for messages.
pub(crate) fn type_name(ty: &FieldType) -> String {
    match ty {
        FieldType::Text => "text".into(),
        FieldType::Integer => "whole number".into(),
        FieldType::Decimal(scale) => format!("decimal with at most {scale} fraction digits"),
        FieldType::Money => "money amount".into(),
        FieldType::Percent => "percentage".into(),
        FieldType::Boolean => "boolean".into(),
        FieldType::Date => "date".into(),
        FieldType::Currency => "currency code".into(),
        FieldType::Reference(kind) => format!("{kind} code"),
    }
}

/// How text from a file is read into typed values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The currency of money amounts written without a currency code.
    pub currency: Option<Currency>,
}

impl ParseOptions {
    /// Options that read amounts without a code in `currency`.
    #[must_use]
    pub fn new(currency: Option<Currency>) -> Self {
        Self { currency }
    }
}

/// Reads a field value from text as found in CSV or JSON Lines; empty text is `None`.
///
/// Numbers accept decimal commas, thousands separators and Persian or Arabic-Indic digits.
/// Dates accept `2026-12-07`, `07.12.2026`, `07/12/2026`, `2026/12/07`, `2026.12.07` and
/// `20261207` (day before month; the US month-first form is not accepted). Money accepts a
/// currency code before or after the amount. Text that starts with `'` followed by `=`, `+`,
/// `-` or `@` loses the `'` that spreadsheet-safe exports add.
pub fn parse_field_text(
    ty: &FieldType,
    raw: &str,
    options: &ParseOptions,
    field: &str,
) -> Result<Option<FieldValue>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Ok(Some(match ty {
        FieldType::Text => FieldValue::Text(unguard(t)),
        FieldType::Integer => FieldValue::Integer(parse_decimal(t, 0, field)?),
        FieldType::Decimal(scale) => FieldValue::Decimal(parse_amount(t, *scale, field)?),
        FieldType::Money => FieldValue::Money(parse_money(t, options, field)?),
        FieldType::Percent => FieldValue::Percent(parse_decimal(
            t.trim_end_matches(['%', '٪']).trim_end(),
            2,
            field,
        )?),
        FieldType::Boolean => FieldValue::Boolean(parse_bool(t, field)?),
        FieldType::Date => FieldValue::Date(parse_date(t, field)?),
        FieldType::Currency => FieldValue::Currency(Currency::parse(t, field)?),
        FieldType::Reference(_) => FieldValue::Reference(t.to_owned()),
    }))
}

/// Drops the `'` that spreadsheet-safe exports put before text starting with `=`, `+`, `-` or `@`.
pub(crate) fn unguard(t: &str) -> String {
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => t.to_owned(),
    }
}

fn parse_money(t: &str, options: &ParseOptions, field: &str) -> Result<Money> {
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic());
    let (amount, code) = match (
        t.split_once(char::is_whitespace),
        t.rsplit_once(char::is_whitespace),
    ) {
        (_, Some((amount, code))) if is_code(code) => (amount.trim(), Some(code)),
        (Some((code, amount)), _) if is_code(code) => (amount.trim(), Some(code)),
        _ => (t, None),
    };
    let currency = match code {
        Some(c) => Currency::parse(c, field)?,
        None => options.currency.ok_or_else(|| {
            Error::validation(
                field,
                "has no currency code and the import sets no currency",
            )
        })?,
    };
    Ok(Money::new(
        parse_amount(amount, currency.exponent(), field)?,
        currency,
    ))
}

/// Like [`parse_decimal`], except that with three or more fraction digits allowed, a lone
/// mark followed by three digits (`0,125`, `1.500`) is read as the decimal mark: that is how
/// such amounts are written, and how exports write them.
pub(crate) fn parse_amount(t: &str, exponent: u32, field: &str) -> Result<i64> {
    let ascii = text::ascii_digits(t.trim());
    let marks: Vec<(usize, char)> = ascii
        .char_indices()
        .filter(|(_, c)| matches!(c, '.' | ',' | '\u{66b}'))
        .collect();
    let lone = match marks.as_slice() {
        [(at, mark)] if exponent >= 3 => Some((*at, mark.len_utf8())),
        _ => None,
    };
    let Some((at, width)) = lone else {
        return parse_decimal(t, exponent, field);
    };
    let (int_part, frac_part) = (
        ascii.get(..at).unwrap_or(""),
        ascii.get(at + width..).unwrap_or(""),
    );
    if frac_part.is_empty() || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return parse_decimal(t, exponent, field);
    }
    let frac_len = u32::try_from(frac_part.len()).unwrap_or(u32::MAX);
    if frac_len > exponent {
        return Err(Error::validation(
            field,
            format!("{t:?} has more than {exponent} digits after the decimal mark"),
        ));
    }
    let negative = int_part.trim_start().starts_with('-');
    let whole = if int_part.trim().trim_start_matches(['-', '+']).is_empty() {
        0
    } else {
        parse_decimal(int_part, 0, field)?
    };
    let overflow = || Error::validation(field, "amount overflows");
    let mut frac: i64 = frac_part.parse().map_err(|_| overflow())?;
    for _ in frac_len..exponent {
        frac = frac.checked_mul(10).ok_or_else(overflow)?;
    }
    let scale = 10i64.checked_pow(exponent).ok_or_else(overflow)?;
    let magnitude = whole
        .checked_abs()
        .and_then(|w| w.checked_mul(scale))
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(overflow)?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// Reads `1/0`, `true/false`, `yes/no`, `y/n` in any case.
pub(crate) fn parse_bool(t: &str, field: &str) -> Result<bool> {
    match text::ascii_digits(t).to_lowercase().as_str() {
        "1" | "true" | "yes" | "y" => Ok(true),
        "0" | "false" | "no" | "n" => Ok(false),
        _ => Err(Error::validation(
            field,
            format!("{t:?} is not true or false"),
        )),
    }
}

/// Reads a date in one of the accepted forms (see [`parse_field_text`]).
pub(crate) fn parse_date(t: &str, field: &str) -> Result<NaiveDate> {
    let ascii = text::ascii_digits(t.trim());
    [
        "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d",
    ]
    .iter()
    .find_map(|fmt| NaiveDate::parse_from_str(&ascii, fmt).ok())
    .ok_or_else(|| {
        Error::validation(
            field,
            format!("{t:?} is not a date (use 2026-12-07 or 07.12.2026)"),
        )
    })
}
