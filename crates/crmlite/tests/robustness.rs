//! Fuzz-style robustness with fixed seeds (runs on the stable toolchain in the normal test
//! command): random bytes and mutated files into CSV import, random template sources into
//! the renderer, random strings into the phone, e-mail and search-key parsers. Nothing may
//! panic; every refusal is a typed validation error; the database stays valid.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod support;

use crmlite::ErrorKind;
use crmlite::automation::{Locale, TemplateFormat, render};
use crmlite::customer::NewCustomer;
use crmlite::import::ImportOptions;
use crmlite::text::{normalize_email, parse_phone, search_key};
use serde_json::json;
use std::panic::{AssertUnwindSafe, catch_unwind};
use support::fresh;

/// A small deterministic generator; each test starts from its own fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        (0..self.below(max + 1))
            .map(|_| self.next() as u8)
            .collect()
    }
}

/// Pieces of text that parsers find interesting: scripts, digits, separators, quotes, controls.
const ATOMS: &[&str] = &[
    "Արամ",
    "ნინო",
    "Γιώργος",
    "مریم",
    "۰۹۱۲",
    "٠١٢",
    "+",
    "+374",
    "00",
    "(",
    ")",
    "-",
    " ",
    "\t",
    "\n",
    "\r\n",
    ",",
    ";",
    "\"",
    "'",
    "@",
    ".",
    "..",
    "@@",
    "example.am",
    "\u{200d}",
    "\u{feff}",
    "\0",
    "ß",
    "İ",
    "ﬁ",
    "ᲜᲘᲜᲝ",
    "😀",
    "1",
    "9",
    "123456",
    "99999999999999999999",
    "=",
    "-1",
    "e",
    "xn--",
    "%",
    "\\",
    "|",
    "{{",
    "}}",
];

fn random_text(rng: &mut Rng, max_atoms: usize) -> String {
    (0..rng.below(max_atoms + 1))
        .map(|_| rng.pick(ATOMS))
        .collect()
}

const CSV_HEADERS: &[&str] = &[
    "external_code",
    "kind",
    "name",
    "email",
    "phone",
    "city",
    "country",
    "tags",
    "birthday",
    "language",
    "bogus",
    "",
];

/// A file that looks like a customer import: a header of known and unknown columns, rows of random cells.
fn random_csv(rng: &mut Rng) -> Vec<u8> {
    let columns = 1 + rng.below(6);
    let header: Vec<&str> = (0..columns).map(|_| rng.pick(CSV_HEADERS)).collect();
    let mut file = header.join(",");
    for _ in 0..rng.below(6) {
        file.push('\n');
        let cells: Vec<String> = (0..columns + rng.below(2))
            .map(|_| random_text(rng, 4))
            .collect();
        file.push_str(&cells.join(","));
    }
    let mut bytes = file.into_bytes();
    if rng.below(4) == 0 && !bytes.is_empty() {
        let at = rng.below(bytes.len());
        bytes[at] = rng.next() as u8; // a damaged byte, maybe breaking UTF-8
    }
    bytes
}

#[test]
fn csv_import_of_random_and_mutated_files_never_panics() {
    let (crm, _) = fresh();
    let mut rng = Rng(0x1A2B_3C4D_5E6F_7081);
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..1500 {
        let data = if case % 3 == 0 {
            rng.bytes(300)
        } else {
            random_csv(&mut rng)
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            crm.import_customers(&data, &ImportOptions::new())
        }));
        match outcome {
            Err(_) => panic!(
                "case {case} panicked on {:?}",
                String::from_utf8_lossy(&data)
            ),
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(e)) => {
                assert_eq!(e.kind(), ErrorKind::Validation, "case {case}: {e}");
                assert!(e.field().is_some_and(|f| !f.is_empty()), "case {case}: {e}");
                refused += 1;
            }
        }
    }
    let report = crm.verify().unwrap();
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(
        accepted > 20 && refused > 100,
        "the generator is too narrow: {accepted} accepted, {refused} refused"
    );
    println!("csv import: 1500 cases, {accepted} accepted, {refused} refused, 0 panics");
}

const TEMPLATE_ATOMS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    " if ",
    " endif ",
    " for x in ",
    " endfor ",
    " else ",
    " set y = ",
    " macro m() ",
    " endmacro ",
    "customer.name",
    "customer",
    "x",
    "y",
    "vars.total",
    "|upper",
    "|money",
    "|date",
    "|default('ա')",
    "(",
    ")",
    "[",
    "]",
    "0",
    "-1",
    "9999999999999999999",
    "'",
    "\"",
    "~",
    "+",
    "*",
    "/",
    "//",
    "**",
    " range(100000) ",
    "loop.index",
    "Γειά σου ",
    "გამარჯობა ",
    "سلام ",
    "\n",
    " ",
    "{{{",
    "}}}",
    "{%-",
    "-%}",
    "raw",
    "endraw",
];

#[test]
fn random_template_sources_render_or_fail_with_a_typed_error() {
    let mut rng = Rng(0x7E37_1A7E_0000_0042);
    let context = json!({
        "customer": { "name": "Մարիամ", "first_name": "Մարիամ" },
        "vars": { "total": { "minor": 150000, "currency": "AMD" } },
    });
    let locales = [Locale::En, Locale::Hy];
    let (mut rendered, mut refused) = (0, 0);
    for case in 0..3000 {
        let source: String = (0..rng.below(24))
            .map(|_| rng.pick(TEMPLATE_ATOMS))
            .collect();
        let format = if rng.below(2) == 0 {
            TemplateFormat::Text
        } else {
            TemplateFormat::Html
        };
        let locale = locales[rng.below(locales.len())];
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            render(&source, format, locale, &context)
        }));
        match outcome {
            Err(_) => panic!("case {case} panicked on template {source:?}"),
            Ok(Ok(_)) => rendered += 1,
            Ok(Err(e)) => {
                assert_eq!(
                    e.kind(),
                    ErrorKind::Validation,
                    "case {case} {source:?}: {e}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        rendered > 100 && refused > 100,
        "the generator is too narrow: {rendered} rendered, {refused} refused"
    );
    println!("templates: 3000 cases, {rendered} rendered, {refused} refused, 0 panics");
}

/// A number that may well be valid: a country prefix, digits in any script, random separators.
fn phone_like(rng: &mut Rng) -> String {
    let mut text = rng
        .pick(&[
            "+374 10 ", "+995 32 ", "+30 210 ", "+98 912 ", "0", "۰۹۱۲", "00374", "", "+",
        ])
        .to_owned();
    let digits = ["0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"][rng.below(3)];
    let digits: Vec<char> = digits.chars().collect();
    for _ in 0..5 + rng.below(5) {
        text.push(digits[rng.below(10)]);
        if rng.below(4) == 0 {
            text.push_str(rng.pick(&[" ", "-", "(", ")", ".", "x"]));
        }
    }
    text
}

#[test]
fn random_strings_into_phone_email_and_search_key_parsers() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let regions = [
        None,
        Some("AM"),
        Some("GE"),
        Some("GR"),
        Some("IR"),
        Some("ZZ"),
        Some(""),
    ];
    let (mut phones, mut emails) = (0, 0);
    for case in 0..5000 {
        let text = match case % 4 {
            0 => String::from_utf8_lossy(&rng.bytes(40)).into_owned(),
            1 => phone_like(&mut rng),
            _ => random_text(&mut rng, 8),
        };
        let region = regions[rng.below(regions.len())];
        let outcome = catch_unwind(|| {
            (
                parse_phone(&text, region),
                normalize_email(&text),
                search_key(&text),
            )
        });
        let Ok((phone, email, key)) = outcome else {
            panic!("case {case} panicked on {text:?}")
        };
        if let Ok(e164) = phone {
            assert!(
                e164.starts_with('+') && e164[1..].bytes().all(|b| b.is_ascii_digit()),
                "{text:?} -> {e164:?}"
            );
            phones += 1;
        }
        if let Ok(address) = email {
            assert!(address.contains('@'), "{text:?} -> {address:?}");
            emails += 1;
        }
        assert_eq!(
            search_key(&key),
            key,
            "search_key is not idempotent on {text:?}"
        );
    }
    assert!(
        phones > 50,
        "no random phone ever parsed: the generator is too narrow"
    );
    println!("parsers: 5000 cases, {phones} phones and {emails} e-mails accepted, 0 panics");
}

#[test]
fn random_contact_points_through_the_api_change_nothing_when_refused() {
    let (crm, _) = fresh();
    let mut rng = Rng(0xFEED_FACE_CAFE_BEEF);
    for case in 0..800 {
        let new = NewCustomer::person(random_text(&mut rng, 3))
            .phone(random_text(&mut rng, 5))
            .email(random_text(&mut rng, 5));
        let before = crm.changes_since(0, 1000).unwrap().len();
        match crm.add_customer(&new) {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Validation, "case {case}: {e}");
                assert_eq!(
                    crm.changes_since(0, 1000).unwrap().len(),
                    before,
                    "case {case}: a refused customer left a change"
                );
            }
        }
    }
    assert!(crm.verify().unwrap().ok());
}
