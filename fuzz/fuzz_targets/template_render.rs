//! Arbitrary template sources through the renderer, in both formats and locales, against a
//! multilingual context. Must hold: no panic, no hang (fuel), a refusal is a `Validation`
//! error naming `template`.
#![no_main]

use crmlite::ErrorKind;
use crmlite::automation::{Locale, TemplateFormat, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&control, source)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(source) else {
        return;
    };
    let context = serde_json::json!({
        "customer": {
            "name": "Աննա Հակոբյան",
            "first_name": "Աննա",
            "email": "anna@example.am",
            "tags": ["vip", "ნინო", "Γιώργος"],
            "points": 1200
        },
        "vars": {"total": 12_500, "currency": "AMD", "items": [1, 2, 3], "note": "مریم {{ 7*7 }}"},
        "now": "2026-12-01T00:00:00Z"
    });
    let format = if control & 1 == 0 {
        TemplateFormat::Text
    } else {
        TemplateFormat::Html
    };
    let locale =
        [Locale::En, Locale::Hy, Locale::Ka, Locale::El, Locale::Fa][usize::from(control >> 1) % 5];
    if let Err(e) = render(source, format, locale, &context) {
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        assert!(e.field().is_some_and(|f| !f.is_empty()), "{e}");
    }
});
