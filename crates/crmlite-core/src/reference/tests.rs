//! Unit tests of directory validation and field parsing.

use super::validate::validate_kind;
use super::{
    EntryInput, FieldDef, FieldType, FieldValue, NewDirectoryKind, ParseOptions, builtin_kind,
    parse_field_text, validate_entry,
};
use crate::Timestamp;
use crate::money::{Currency, Money};
use chrono::NaiveDate;

fn amd() -> Currency {
    Currency::parse("AMD", "c").unwrap()
}

fn parse(ty: &FieldType, text: &str) -> crate::Result<Option<FieldValue>> {
    parse_field_text(
        ty,
        text,
        &ParseOptions {
            currency: Some(amd()),
        },
        "f",
    )
}

#[test]
fn numbers_read_decimal_commas_separators_and_eastern_digits() {
    assert_eq!(
        parse(&FieldType::Money, "1 250,50").unwrap(),
        Some(FieldValue::Money(Money::new(125_050, amd())))
    );
    assert_eq!(
        parse(&FieldType::Money, "1.250,50").unwrap(),
        Some(FieldValue::Money(Money::new(125_050, amd())))
    );
    let eur = Currency::parse("EUR", "c").unwrap();
    assert_eq!(
        parse(&FieldType::Money, "12,30 EUR").unwrap(),
        Some(FieldValue::Money(Money::new(1230, eur)))
    );
    assert_eq!(
        parse(&FieldType::Money, "EUR 12.30").unwrap(),
        Some(FieldValue::Money(Money::new(1230, eur)))
    );
    assert_eq!(
        parse(&FieldType::Money, "۱۲۵٫۵").unwrap(),
        Some(FieldValue::Money(Money::new(12_550, amd())))
    );
    assert_eq!(
        parse(&FieldType::Integer, "١٢٣").unwrap(),
        Some(FieldValue::Integer(123))
    );
    assert_eq!(
        parse(&FieldType::Percent, "20%").unwrap(),
        Some(FieldValue::Percent(2000))
    );
    assert_eq!(
        parse(&FieldType::Percent, "۹٫۵").unwrap(),
        Some(FieldValue::Percent(950))
    );
    assert_eq!(
        parse(&FieldType::Decimal(3), "0,125").unwrap(),
        Some(FieldValue::Decimal(125))
    );
    assert_eq!(
        parse(&FieldType::Decimal(3), "-1.5").unwrap(),
        Some(FieldValue::Decimal(-1500))
    );
    assert_eq!(
        parse(&FieldType::Decimal(3), "1 234,5").unwrap(),
        Some(FieldValue::Decimal(1_234_500))
    );
    assert!(parse(&FieldType::Decimal(3), "1,2345").is_err());
    let bhd = Currency::parse("BHD", "c").unwrap();
    assert_eq!(
        parse(&FieldType::Money, "1.500 BHD").unwrap(),
        Some(FieldValue::Money(Money::new(1500, bhd)))
    );
    assert_eq!(parse(&FieldType::Money, "  ").unwrap(), None);
    assert_eq!(
        parse(&FieldType::Money, "12,5x").unwrap_err().field(),
        Some("f")
    );
    assert!(parse_field_text(&FieldType::Money, "12", &ParseOptions::default(), "price").is_err());
}

#[test]
fn dates_read_several_forms_and_persian_digits() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    for text in [
        "2026-12-07",
        "07.12.2026",
        "07/12/2026",
        "2026/12/07",
        "20261207",
        "۲۰۲۶-۱۲-۰۷",
    ] {
        assert_eq!(
            parse(&FieldType::Date, text).unwrap(),
            Some(FieldValue::Date(d)),
            "{text}"
        );
    }
    assert!(parse(&FieldType::Date, "12/31/2026").is_err());
    assert!(parse(&FieldType::Date, "2026-02-30").is_err());
}

#[test]
fn text_loses_the_spreadsheet_guard_only_before_formula_characters() {
    assert_eq!(
        parse(&FieldType::Text, "'=SUM(A1)").unwrap(),
        Some(FieldValue::Text("=SUM(A1)".into()))
    );
    assert_eq!(
        parse(&FieldType::Text, "'quoted'").unwrap(),
        Some(FieldValue::Text("'quoted'".into()))
    );
}

#[test]
fn entries_are_checked_against_their_kind() {
    let product = builtin_kind("product").unwrap();
    let now = Timestamp(0);
    let ok = EntryInput::new(" SKU-1 ", "Ասպիրին").field("tax_rate", FieldValue::Percent(2000));
    let e = validate_entry(&product, &ok, now).unwrap();
    assert_eq!(e.external_code, "SKU-1");
    let bad = [
        (EntryInput::new("", "x"), "external_code"),
        (EntryInput::new("S", " "), "name"),
        (
            EntryInput::new("S", "x").field("colour", FieldValue::Text("red".into())),
            "fields.colour",
        ),
        (
            EntryInput::new("S", "x").field("price", FieldValue::Integer(5)),
            "fields.price",
        ),
        (
            EntryInput::new("S", "x").field("tax_rate", FieldValue::Percent(-1)),
            "fields.tax_rate",
        ),
    ];
    for (input, field) in bad {
        assert_eq!(
            validate_entry(&product, &input, now).unwrap_err().field(),
            Some(field)
        );
    }
    let list = builtin_kind("price_list").unwrap();
    assert_eq!(
        validate_entry(&list, &EntryInput::new("R", "Retail"), now)
            .unwrap_err()
            .field(),
        Some("fields.currency")
    );
    let currency = builtin_kind("currency").unwrap();
    assert_eq!(
        validate_entry(&currency, &EntryInput::new("amd", "Dram"), now)
            .unwrap()
            .external_code,
        "AMD"
    );
    assert!(validate_entry(&currency, &EntryInput::new("XYZ", "?"), now).is_err());
}

#[test]
fn user_kinds_need_fresh_names_and_distinct_fields() {
    let kind = |name: &str, fields: Vec<FieldDef>| NewDirectoryKind {
        name: name.into(),
        label: "Warehouses".into(),
        fields,
    };
    assert!(
        validate_kind(&kind(
            "warehouse",
            vec![FieldDef::new("capacity", FieldType::Integer, true)]
        ))
        .is_ok()
    );
    assert_eq!(
        validate_kind(&kind("product", vec![])).unwrap_err().field(),
        Some("name")
    );
    assert_eq!(
        validate_kind(&kind("Склад", vec![])).unwrap_err().field(),
        Some("name")
    );
    let twice = vec![
        FieldDef::new("a", FieldType::Text, false),
        FieldDef::new("a", FieldType::Text, false),
    ];
    assert_eq!(
        validate_kind(&kind("w", twice)).unwrap_err().field(),
        Some("fields[1].name")
    );
    assert!(
        validate_kind(&kind(
            "w",
            vec![FieldDef::new("name", FieldType::Text, false)]
        ))
        .is_err()
    );
}
