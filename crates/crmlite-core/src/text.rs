//! Text normalisation and validation of contact data: search keys, digits,
//! phone numbers, e-mail addresses and language tags.

use std::fmt::Write as _;
use std::str::FromStr;

use email_address::{EmailAddress, Options};
use phonenumber::Mode;
use phonenumber::country::Id as RegionId;
use phonenumber::metadata::DATABASE;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalised key used for search and duplicate detection.
///
/// Two strings that a person would read as "the same name" give the same
/// key: case, accents and other combining marks, compatibility forms,
/// Arabic/Persian letter variants, native digits and punctuation do not
/// matter. The key keeps `@ . + - _` so that e-mail addresses and phone
/// numbers stay searchable. Every run of whitespace or other punctuation
/// becomes a single ASCII space, and the key has no surrounding spaces.
pub fn search_key(s: &str) -> String {
    // Unify Arabic letters before NFKD too: NFKD would split U+06C0 (heh with
    // yeh above) into U+06D5 (ae) plus a mark rather than into heh.
    let premapped: String = ascii_digits(s).chars().map(unify_arabic_letter).collect();
    let decomposed: String = premapped.nfkd().collect();
    let folded = caseless::default_case_fold_str(&decomposed);
    // Folding can yield characters that decompose again (compatibility
    // caseless matching repeats NFKD for that reason).
    let bare: String = folded.nfkd().filter(|c| !is_combining_mark(*c)).collect();

    let mut key = String::with_capacity(bare.len());
    let mut pending_space = false;
    for c in bare.nfc() {
        match classify(unify_arabic_letter(c)) {
            KeyChar::Drop => {}
            KeyChar::Separator => pending_space = !key.is_empty(),
            KeyChar::Keep(kept) => {
                if pending_space {
                    key.push(' ');
                    pending_space = false;
                }
                key.push(kept);
            }
        }
    }
    key
}

/// What `search_key` does with one character after folding.
enum KeyChar {
    /// Invisible or in-word marks that carry no letter.
    Drop,
    /// Whitespace and punctuation: part of a single space.
    Separator,
    /// Kept, possibly replaced by a canonical look-alike.
    Keep(char),
}

fn classify(c: char) -> KeyChar {
    match c {
        '@' | '.' | '+' | '-' | '_' => KeyChar::Keep(c),
        // Hyphens, figure and en dashes, minus sign, Armenian and Hebrew hyphens.
        '\u{2010}'..='\u{2013}' | '\u{2212}' | '\u{058A}' | '\u{05BE}' | '\u{2E3A}' => {
            KeyChar::Keep('-')
        }
        // Tatweel, soft hyphen, bidi and other invisible format controls,
        // Armenian marks written over letters inside a word.
        '\u{0640}'
        | '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{055A}'..='\u{055C}'
        | '\u{055E}'
        | '\u{055F}' => KeyChar::Drop,
        _ if c.is_whitespace() || c.is_control() || c.is_ascii_punctuation() => {
            KeyChar::Separator
        }
        // Latin-1 punctuation (¡ § « ¶ · » ¿).
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
        // Armenian comma and full stop.
        | '\u{055D}' | '\u{0589}'
        // Hebrew punctuation.
        | '\u{05C0}' | '\u{05C3}' | '\u{05C6}' | '\u{05F3}' | '\u{05F4}'
        // Arabic punctuation.
        | '\u{060C}' | '\u{060D}' | '\u{061B}' | '\u{061D}'..='\u{061F}'
        | '\u{066A}'..='\u{066D}' | '\u{06D4}'
        // Georgian paragraph separator.
        | '\u{10FB}'
        // General (incl. ZWSP, ZWNJ, ZWJ) and supplemental punctuation (not
        // the vertical tilde letter), CJK punctuation and brackets, vertical
        // and small forms, halfwidth CJK punctuation.
        | '\u{2000}'..='\u{206F}'
        | '\u{2E00}'..='\u{2E2E}'
        | '\u{2E30}'..='\u{2E7F}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{3030}'
        | '\u{303D}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE6F}'
        | '\u{FF5F}'..='\u{FF65}' => KeyChar::Separator,
        _ => KeyChar::Keep(c),
    }
}

/// Maps Arabic letter variants to the Persian letters used in the key.
fn unify_arabic_letter(c: char) -> char {
    match c {
        // Arabic yeh, alef maksura -> Farsi yeh.
        '\u{064A}' | '\u{0649}' => '\u{06CC}',
        // Arabic kaf -> keheh.
        '\u{0643}' => '\u{06A9}',
        // Teh marbuta, heh with yeh above (and its presentation forms) -> heh.
        '\u{0629}' | '\u{06C0}' | '\u{FBA4}' | '\u{FBA5}' => '\u{0647}',
        // Alef with madda, hamza above, hamza below, wasla -> alef.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => '\u{0627}',
        other => other,
    }
}

/// Maps Persian (U+06F0..=U+06F9), Arabic-Indic (U+0660..=U+0669) and fullwidth digits to ASCII digits; other chars unchanged.
pub fn ascii_digits(s: &str) -> String {
    s.chars().map(ascii_digit).collect()
}

fn ascii_digit(c: char) -> char {
    let zero = match c {
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        _ => return c,
    };
    u32::from(c)
        .checked_sub(zero)
        .and_then(|value| char::from_digit(value, 10))
        .unwrap_or(c)
}

/// Only the ASCII digits of `s` after `ascii_digits` (used to index/search phone fragments).
pub fn digits_only(s: &str) -> String {
    s.chars()
        .map(ascii_digit)
        .filter(char::is_ascii_digit)
        .collect()
}

/// Parses a phone number into E.164 ("+37410123456").
///
/// The input may contain spaces, dashes, dots, slashes, parentheses,
/// Persian/Arabic-Indic/fullwidth digits, and a leading "+" or "00" before
/// the country code. `default_region` is an ISO 3166-1 alpha-2 code
/// (case-insensitive) used for numbers written without a country code.
/// Only numbers that are valid for their country are accepted.
pub fn parse_phone(raw: &str, default_region: Option<&str>) -> Result<String, String> {
    let text = ascii_digits(raw);
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty".to_owned());
    }
    let region = default_region.map(parse_region).transpose()?;

    let mut digits = String::with_capacity(text.len());
    let mut plus = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '+' || c == '\u{FF0B}' {
            if plus || !digits.is_empty() {
                return Err("has a + that is not at the start".to_owned());
            }
            plus = true;
        } else if !is_phone_separator(c) {
            return Err("contains characters that are not allowed in a phone number".to_owned());
        }
    }
    if digits.is_empty() {
        return Err("has no digits".to_owned());
    }
    if !plus && let Some(rest) = digits.strip_prefix("00") {
        digits = rest.to_owned();
        plus = true;
    }

    let invalid = || match region {
        Some(id) if !plus => format!("is not a valid phone number for region {}", id.as_ref()),
        _ => "is not a valid phone number".to_owned(),
    };
    let input = if plus {
        format!("+{digits}")
    } else if region.is_some() {
        digits.clone()
    } else {
        return Err("needs a leading + and country code, or a default region".to_owned());
    };

    valid_e164(region, &input)
        .or_else(|| {
            if plus {
                international_by_metadata(&digits)
            } else {
                region.and_then(|id| national_by_metadata(id, &digits))
            }
        })
        .ok_or_else(invalid)
}

/// Parses `input` with `phonenumber` and formats it if it is a valid number.
fn valid_e164(region: Option<RegionId>, input: &str) -> Option<String> {
    let number = phonenumber::parse(region, input).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    let mut e164 = String::with_capacity(16);
    write!(e164, "{}", number.format().mode(Mode::E164)).ok()?;
    Some(e164)
}

// `phonenumber` strips a national prefix wherever it finds one, even after
// "+" or after the prefix was already stripped, so it rejects valid numbers
// whose national part starts with that prefix, such as Russian
// "+7 812 ..." and "8 800 ..." (national prefix 8). The two functions below
// check such numbers against the same metadata without that step.

/// E.164 for `digits` (country code and national number, without "+") if
/// the national number is valid for one of the code's regions.
fn international_by_metadata(digits: &str) -> Option<String> {
    (1..=3).find_map(|len| {
        let (code, national) = digits.split_at_checked(len)?;
        let regions = DATABASE.by_code(&code.parse::<u16>().ok()?)?;
        regions
            .into_iter()
            .any(|meta| is_valid_national(meta, national))
            .then(|| format!("+{digits}"))
    })
}

/// E.164 for `digits` written in the national form of `region`.
fn national_by_metadata(region: RegionId, digits: &str) -> Option<String> {
    let meta = DATABASE.by_id(region.as_ref())?;
    let national = meta
        .national_prefix()
        .and_then(|prefix| digits.strip_prefix(prefix))
        .unwrap_or(digits);
    is_valid_national(meta, national).then(|| format!("+{}{national}", meta.country_code()))
}

/// Whether `national` matches the general pattern and a type of number of `meta`.
fn is_valid_national(meta: &phonenumber::Metadata, national: &str) -> bool {
    let kinds = meta.descriptors();
    kinds.general().is_match(national)
        && [
            kinds.fixed_line(),
            kinds.mobile(),
            kinds.toll_free(),
            kinds.premium_rate(),
            kinds.shared_cost(),
            kinds.personal_number(),
            kinds.voip(),
            kinds.pager(),
            kinds.uan(),
            kinds.voicemail(),
        ]
        .into_iter()
        .flatten()
        .any(|kind| kind.is_match(national))
}

/// Checks that `region` is an ISO 3166-1 alpha-2 code (case-insensitive) usable as the default region of `parse_phone`; returns it upper-cased.
pub fn check_region(region: &str) -> Result<String, String> {
    parse_region(region).map(|id| id.as_ref().to_owned())
}

fn parse_region(raw: &str) -> Result<RegionId, String> {
    let code = raw.trim().to_ascii_uppercase();
    let unknown = || format!("unknown default region {code}");
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(unknown());
    }
    let id = RegionId::from_str(&code).map_err(|_| unknown())?;
    // The parser assumes the region has metadata; check it here instead.
    if DATABASE.by_id(id.as_ref()).is_none() {
        return Err(unknown());
    }
    Ok(id)
}

fn is_phone_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.'
                | '/'
                | '('
                | ')'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '\u{30FC}'
                | '\u{FF0D}'
                | '\u{FF0E}'
                | '\u{FF08}'
                | '\u{FF09}'
                // Bidi marks around numbers in right-to-left text.
                | '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Validates an e-mail address and returns it normalised.
///
/// Surrounding whitespace is trimmed and the domain is lower-cased; the local
/// part is kept as written. Display names ("Ann <ann@example.com>"), domain
/// literals ("user@[127.0.0.1]") and single-label domains ("a@b") are
/// rejected. Internationalised (non-ASCII) local parts and domains are
/// accepted.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let address = raw.trim();
    if address.is_empty() {
        return Err("is empty".to_owned());
    }
    let options = Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    EmailAddress::parse_with_options(address, options).map_err(|e| email_error(&e))?;
    // A domain cannot contain '@', so the last one separates the parts.
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(email_error(&email_address::Error::MissingSeparator));
    };
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

fn email_error(error: &email_address::Error) -> String {
    use email_address::Error as E;
    let reason = match error {
        E::InvalidCharacter => "it contains a character that is not allowed here".to_owned(),
        E::MissingSeparator => "it has no @".to_owned(),
        E::LocalPartEmpty => "the part before @ is empty".to_owned(),
        E::LocalPartTooLong => "the part before @ is too long".to_owned(),
        E::DomainEmpty => "the domain is empty".to_owned(),
        E::DomainTooLong => "the domain is too long".to_owned(),
        E::SubDomainEmpty => "the domain has an empty label".to_owned(),
        E::SubDomainTooLong => "a label of the domain is too long".to_owned(),
        E::DomainTooFew => "the domain needs at least two labels, such as example.com".to_owned(),
        E::DomainInvalidSeparator => "the domain has a misplaced dot".to_owned(),
        E::UnbalancedQuotes => "its quotes are unbalanced".to_owned(),
        E::InvalidComment => "it has a malformed comment".to_owned(),
        E::InvalidIPAddress => "its IP address is invalid".to_owned(),
        E::UnsupportedDomainLiteral => {
            "domain literals such as [127.0.0.1] are not allowed".to_owned()
        }
        E::UnsupportedDisplayName | E::MissingDisplayName => {
            "it must be a bare address without a display name".to_owned()
        }
        E::MissingEndBracket => "it has a < without a closing >".to_owned(),
        #[allow(unreachable_patterns)]
        other => other
            .to_string()
            .to_lowercase()
            .trim_end_matches('.')
            .to_owned(),
    };
    format!("is not a valid e-mail address: {reason}")
}

/// Checks a BCP 47 language tag is well formed and returns it in canonical case.
///
/// The tag is a language (2-3 letters, optionally followed by up to three
/// 3-letter extended language subtags), an optional script (4 letters), an
/// optional region (2 letters or 3 digits), variants, extensions and private
/// use; a tag may also be private use alone ("x-..."). The result has the
/// language lower-case, the Script in title case and the REGION upper-case
/// ("sr-latn-rs" -> "sr-Latn-RS"); all other subtags are lower-case.
/// Surrounding whitespace is trimmed. The subtags are not checked against
/// the IANA registry.
pub fn language_tag(raw: &str) -> Result<String, String> {
    let tag = raw.trim();
    if tag.is_empty() {
        return Err("is empty".to_owned());
    }
    let subtags: Vec<&str> = tag.split('-').collect();
    for subtag in &subtags {
        if subtag.is_empty() {
            return Err("is not a well-formed language tag: it has an empty subtag".to_owned());
        }
        if !subtag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(
                "is not a well-formed language tag: only ASCII letters, digits and - are allowed"
                    .to_owned(),
            );
        }
        if subtag.len() > 8 {
            return Err(format!(
                "is not a well-formed language tag: subtag {subtag} is longer than 8 characters"
            ));
        }
    }

    let mut parts: Vec<String> = Vec::with_capacity(subtags.len());
    let mut rest = subtags.as_slice();

    if let Some((first, _)) = rest.split_first()
        && !first.eq_ignore_ascii_case("x")
    {
        rest = language_part(rest, &mut parts)?;
    }
    rest = variants_and_extensions(rest, &mut parts)?;
    if let Some((first, tail)) = rest.split_first()
        && first.eq_ignore_ascii_case("x")
    {
        if tail.is_empty() {
            return Err(
                "is not a well-formed language tag: private use x needs at least one subtag"
                    .to_owned(),
            );
        }
        parts.extend(rest.iter().map(|s| s.to_ascii_lowercase()));
        rest = &[];
    }
    if let Some(misplaced) = rest.first() {
        return Err(format!(
            "is not a well-formed language tag: subtag {misplaced} is misplaced"
        ));
    }
    Ok(parts.join("-"))
}

fn is_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_digit(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Language, extended languages, script and region; returns the subtags left.
fn language_part<'a, 'b>(
    mut rest: &'a [&'b str],
    parts: &mut Vec<String>,
) -> Result<&'a [&'b str], String> {
    let Some((language, tail)) = rest.split_first() else {
        return Ok(rest);
    };
    // 5-8 letter languages are reserved by RFC 5646 and none is registered;
    // refusing them keeps words such as "english" out.
    if !(is_alpha(language) && (2..=3).contains(&language.len())) {
        return Err(format!(
            "is not a well-formed language tag: {language} is not a 2 or 3 letter language code"
        ));
    }
    parts.push(language.to_ascii_lowercase());
    rest = tail;

    let mut extlangs = 0;
    while let Some((subtag, tail)) = rest.split_first()
        && extlangs < 3
        && subtag.len() == 3
        && is_alpha(subtag)
    {
        parts.push(subtag.to_ascii_lowercase());
        extlangs += 1;
        rest = tail;
    }
    if let Some((script, tail)) = rest.split_first()
        && script.len() == 4
        && is_alpha(script)
    {
        let lower = script.to_ascii_lowercase();
        let mut chars = lower.chars();
        let titled: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        parts.push(titled);
        rest = tail;
    }
    if let Some((region, tail)) = rest.split_first()
        && ((region.len() == 2 && is_alpha(region)) || (region.len() == 3 && is_digit(region)))
    {
        parts.push(region.to_ascii_uppercase());
        rest = tail;
    }
    Ok(rest)
}

/// Variants and extensions; returns the subtags left.
fn variants_and_extensions<'a, 'b>(
    mut rest: &'a [&'b str],
    parts: &mut Vec<String>,
) -> Result<&'a [&'b str], String> {
    let mut variants: Vec<String> = Vec::new();
    while let Some((variant, tail)) = rest.split_first()
        && is_variant(variant)
    {
        let lower = variant.to_ascii_lowercase();
        if variants.contains(&lower) {
            return Err(format!(
                "is not a well-formed language tag: variant {lower} is repeated"
            ));
        }
        variants.push(lower.clone());
        parts.push(lower);
        rest = tail;
    }

    let mut singletons: Vec<String> = Vec::new();
    while let Some((singleton, tail)) = rest.split_first()
        && singleton.len() == 1
        && !singleton.eq_ignore_ascii_case("x")
    {
        let lower = singleton.to_ascii_lowercase();
        if singletons.contains(&lower) {
            return Err(format!(
                "is not a well-formed language tag: extension {lower} is repeated"
            ));
        }
        let count = tail
            .iter()
            .take_while(|s| (2..=8).contains(&s.len()))
            .count();
        let Some((body, after)) = tail.split_at_checked(count).filter(|_| count > 0) else {
            return Err(format!(
                "is not a well-formed language tag: extension {lower} needs at least one subtag of 2 to 8 characters"
            ));
        };
        singletons.push(lower.clone());
        parts.push(lower);
        parts.extend(body.iter().map(|s| s.to_ascii_lowercase()));
        rest = after;
    }
    Ok(rest)
}

fn is_variant(s: &str) -> bool {
    (5..=8).contains(&s.len())
        || (s.len() == 4 && s.bytes().next().is_some_and(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn search_key_greek_case_accents_and_final_sigma() {
        let key = search_key("γιωργος");
        assert_eq!(key, "γιωργοσ");
        assert_eq!(search_key("ΓΙΏΡΓΟΣ"), key);
        assert_eq!(search_key("Γιώργος"), key);
        assert_eq!(search_key("ς"), search_key("σ"));
    }

    #[test]
    fn search_key_georgian_mtavruli() {
        assert_eq!(search_key("ᲜᲘᲜᲝ"), search_key("ნინო"));
        assert_eq!(search_key("ნინო"), "ნინო");
    }

    #[test]
    fn search_key_arabic_and_persian_letters() {
        assert_eq!(search_key("علي"), search_key("علی"));
        assert_eq!(search_key("كريم"), search_key("کریم"));
        assert_eq!(search_key("علی"), "علی");
        assert_eq!(search_key("کریم"), "کریم");
        // Alef variants, teh marbuta, heh with yeh above, alef maksura.
        assert_eq!(search_key("أحمد"), search_key("احمد"));
        assert_eq!(search_key("إيمان"), search_key("ایمان"));
        assert_eq!(search_key("آرش"), search_key("ارش"));
        assert_eq!(search_key("ٱلله"), search_key("الله"));
        assert_eq!(search_key("فاطمة"), search_key("فاطمه"));
        assert_eq!(search_key("خانۀ"), search_key("خانه"));
        assert_eq!(search_key("مصطفى"), search_key("مصطفی"));
        // Tatweel and harakat are dropped.
        assert_eq!(search_key("محـــمد"), search_key("محمد"));
        assert_eq!(search_key("مُحَمَّد"), search_key("محمد"));
        // Presentation forms fold to the base letters.
        assert_eq!(search_key("\u{FEE9}\u{FEF2}"), search_key("هی"));
    }

    #[test]
    fn search_key_zwnj_becomes_space() {
        assert_eq!(search_key("مهدی\u{200C}زاده"), "مهدی زاده");
        assert_eq!(search_key("a\u{200D}b"), "a b");
    }

    #[test]
    fn search_key_german_sharp_s() {
        assert_eq!(search_key("Straße"), search_key("strasse"));
        assert_eq!(search_key("Straße"), "strasse");
    }

    #[test]
    fn search_key_turkish_dotted_capital_i() {
        assert!(search_key("İstanbul").starts_with("istanbul"));
        assert_eq!(search_key("İstanbul"), "istanbul");
    }

    #[test]
    fn search_key_armenian() {
        assert_eq!(search_key("Արամ"), search_key("ԱՐԱՄ"));
        assert_eq!(search_key("Արամ"), "արամ");
        assert_eq!(search_key("և"), "եւ");
        assert_eq!(search_key("Երևան"), search_key("ԵՐԵՒԱՆ"));
        // Question mark written over a vowel inside a word.
        assert_eq!(search_key("ինչո՞ւ"), "ինչու");
    }

    #[test]
    fn search_key_digits_and_accents() {
        assert_eq!(search_key("۰۹۱۲"), "0912");
        assert_eq!(search_key("٠٩١٢"), "0912");
        assert_eq!(search_key("０９１２"), "0912");
        assert_eq!(search_key("Café"), "cafe");
        assert_eq!(search_key("Cafe\u{0301}"), "cafe");
    }

    #[test]
    fn search_key_whitespace_and_punctuation() {
        assert_eq!(search_key("  Ann,   Smith!! "), "ann smith");
        assert_eq!(search_key("O'Brien"), search_key("O’Brien"));
        assert_eq!(search_key("Ann@Example.AM"), "ann@example.am");
        assert_eq!(search_key("+374 (10) 12-34_56"), "+374 10 12-34_56");
        assert_eq!(search_key("Jean\u{2010}Paul"), "jean-paul");
        assert_eq!(search_key("a\u{00A0}b\tc\n"), "a b c");
        assert_eq!(search_key("soft\u{00AD}hyphen\u{200F}"), "softhyphen");
        assert_eq!(search_key("«Արամ»"), "արամ");
        assert_eq!(search_key("سلام، دنیا؟"), "سلام دنیا");
        assert_eq!(search_key("東京、日本。"), "東京 日本");
        assert_eq!(search_key("時々"), "時々");
        assert_eq!(search_key(""), "");
        assert_eq!(search_key(" ,;! "), "");
    }

    #[test]
    fn ascii_digits_maps_only_digits() {
        assert_eq!(ascii_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(ascii_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(ascii_digits("０１２３４５６７８９"), "0123456789");
        assert_eq!(ascii_digits("tel: ۰۹۱۲-abc"), "tel: 0912-abc");
        assert_eq!(ascii_digits("²"), "²");
    }

    #[test]
    fn digits_only_keeps_ascii_digits() {
        assert_eq!(digits_only("+374 (10) ۱۲۳-456"), "37410123456");
        assert_eq!(digits_only("abc"), "");
    }

    #[test]
    fn parse_phone_international() {
        assert_eq!(parse_phone("+374 10 123456", None).unwrap(), "+37410123456");
        assert_eq!(
            parse_phone("+995 599 12 34 56", None).unwrap(),
            "+995599123456"
        );
        assert_eq!(
            parse_phone("+30 210 1234567", None).unwrap(),
            "+302101234567"
        );
        assert_eq!(parse_phone("0037410123456", None).unwrap(), "+37410123456");
        assert_eq!(
            parse_phone("(+374) 10.12.34.56", None).unwrap(),
            "+37410123456"
        );
        // National part starting with the national prefix (8 in Russia).
        assert_eq!(
            parse_phone("+7 812 123-45-67", None).unwrap(),
            "+78121234567"
        );
        assert_eq!(
            parse_phone("+7 800 555 35 35", None).unwrap(),
            "+78005553535"
        );
        assert_eq!(
            parse_phone("+7 495 123 45 67", None).unwrap(),
            "+74951234567"
        );
        // A trunk prefix written after the country code is dropped.
        assert_eq!(
            parse_phone("+44 (0)20 7946 0000", None).unwrap(),
            "+442079460000"
        );
        // An international number ignores the default region.
        assert_eq!(
            parse_phone("+374 10 123456", Some("IR")).unwrap(),
            "+37410123456"
        );
    }

    #[test]
    fn parse_phone_national_with_region() {
        assert_eq!(
            parse_phone("010 123456", Some("AM")).unwrap(),
            "+37410123456"
        );
        assert_eq!(
            parse_phone("010 123456", Some("am")).unwrap(),
            "+37410123456"
        );
        assert_eq!(
            parse_phone("۰۹۱۲۳۴۵۶۷۸۹", Some("IR")).unwrap(),
            "+989123456789"
        );
        assert_eq!(
            parse_phone("٠٩١٢٣٤٥٦٧٨٩", Some("IR")).unwrap(),
            "+989123456789"
        );
        assert_eq!(
            parse_phone("0037410123456", Some("GR")).unwrap(),
            "+37410123456"
        );
    }

    #[test]
    fn parse_phone_errors() {
        assert_eq!(parse_phone("", None).unwrap_err(), "is empty");
        assert_eq!(parse_phone("   ", Some("AM")).unwrap_err(), "is empty");
        assert!(parse_phone("123", None).is_err());
        assert_eq!(
            parse_phone("123", Some("AM")).unwrap_err(),
            "is not a valid phone number for region AM"
        );
        assert_eq!(
            parse_phone("abc", None).unwrap_err(),
            "contains characters that are not allowed in a phone number"
        );
        assert!(parse_phone("abc", Some("AM")).is_err());
        assert_eq!(
            parse_phone("010 123456", None).unwrap_err(),
            "needs a leading + and country code, or a default region"
        );
        assert_eq!(
            parse_phone("010 123456", Some("XX")).unwrap_err(),
            "unknown default region XX"
        );
        assert_eq!(
            parse_phone("010 123456", Some("ARM")).unwrap_err(),
            "unknown default region ARM"
        );
        assert_eq!(
            parse_phone("+374 1", None).unwrap_err(),
            "is not a valid phone number"
        );
        assert_eq!(
            parse_phone("374+10123456", None).unwrap_err(),
            "has a + that is not at the start"
        );
        assert_eq!(parse_phone("+", None).unwrap_err(), "has no digits");
    }

    #[test]
    fn check_region_accepts_known_codes_only() {
        assert_eq!(check_region("am").unwrap(), "AM");
        assert_eq!(check_region(" Ir ").unwrap(), "IR");
        assert_eq!(check_region("XX").unwrap_err(), "unknown default region XX");
        assert_eq!(check_region("").unwrap_err(), "unknown default region ");
        assert!(check_region("ARM").is_err());
    }

    #[test]
    fn normalize_email_valid() {
        assert_eq!(
            normalize_email(" Ann@Example.AM ").unwrap(),
            "Ann@example.am"
        );
        assert_eq!(
            normalize_email("a.b+tag@sub.example.com").unwrap(),
            "a.b+tag@sub.example.com"
        );
    }

    #[test]
    fn normalize_email_internationalised_is_accepted() {
        // email_address 0.2.x accepts any alphanumeric Unicode character in
        // the local part and in domain labels.
        assert_eq!(
            normalize_email("γιώργος@παράδειγμα.ελ").unwrap(),
            "γιώργος@παράδειγμα.ελ"
        );
        assert_eq!(
            normalize_email("Γιώργος@ΠΑΡΆΔΕΙΓΜΑ.ΕΛ").unwrap(),
            "Γιώργος@παράδειγμα.ελ"
        );
    }

    #[test]
    fn normalize_email_errors() {
        assert_eq!(normalize_email("").unwrap_err(), "is empty");
        assert_eq!(normalize_email("  ").unwrap_err(), "is empty");
        assert_eq!(
            normalize_email("Ann <ann@x.am>").unwrap_err(),
            "is not a valid e-mail address: it must be a bare address without a display name"
        );
        assert_eq!(
            normalize_email("a@b").unwrap_err(),
            "is not a valid e-mail address: the domain needs at least two labels, such as example.com"
        );
        assert_eq!(
            normalize_email("user@[127.0.0.1]").unwrap_err(),
            "is not a valid e-mail address: domain literals such as [127.0.0.1] are not allowed"
        );
        assert_eq!(
            normalize_email("no-at-sign").unwrap_err(),
            "is not a valid e-mail address: it has no @"
        );
        assert!(normalize_email("a b@example.com").is_err());
        assert!(normalize_email("@example.com").is_err());
        assert!(normalize_email("ann@example..com").is_err());
    }

    #[test]
    fn language_tag_canonical_case() {
        assert_eq!(language_tag("hy-am").unwrap(), "hy-AM");
        assert_eq!(language_tag("sr-latn-rs").unwrap(), "sr-Latn-RS");
        assert_eq!(language_tag("fa").unwrap(), "fa");
        assert_eq!(language_tag("EN").unwrap(), "en");
        assert_eq!(language_tag("es-419").unwrap(), "es-419");
        assert_eq!(language_tag("zh-yue-hant-hk").unwrap(), "zh-yue-Hant-HK");
        assert_eq!(language_tag("de-CH-1901").unwrap(), "de-CH-1901");
        assert_eq!(language_tag("sl-rozaj-biske").unwrap(), "sl-rozaj-biske");
        assert_eq!(
            language_tag("EN-US-U-CA-GREGORY-X-Private").unwrap(),
            "en-US-u-ca-gregory-x-private"
        );
        assert_eq!(language_tag("x-Whatever").unwrap(), "x-whatever");
        assert_eq!(language_tag(" hy-AM ").unwrap(), "hy-AM");
    }

    #[test]
    fn language_tag_errors() {
        for bad in [
            "",
            " ",
            "english",
            "e",
            "en_US",
            "en--us",
            "en-",
            "-en",
            "en-US-x",
            "en-a",
            "en-a-bb-a-cc",
            "de-1901-1901",
            "en-US-US",
            "toolonglang",
            "en-abcdefghi",
            "enga",
            "en-US-é",
        ] {
            assert!(language_tag(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(language_tag("").unwrap_err(), "is empty");
    }

    proptest! {
        #[test]
        fn parse_phone_never_panics(raw in "\\PC{0,24}", region in "[A-Za-z]{0,3}") {
            let _ = parse_phone(&raw, Some(&region));
            let _ = parse_phone(&raw, None);
        }

        #[test]
        fn parse_phone_digits_never_panic(raw in "[+0-9 ()-]{0,24}") {
            let _ = parse_phone(&raw, Some("AM"));
            let _ = parse_phone(&raw, Some("US"));
            let _ = parse_phone(&raw, None);
        }

        #[test]
        fn parse_phone_output_is_e164(raw in "\\+[0-9]{6,15}") {
            if let Ok(e164) = parse_phone(&raw, None) {
                prop_assert!(e164.starts_with('+'));
                prop_assert!(e164.len() <= 16);
                prop_assert!(e164.bytes().skip(1).all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn search_key_is_idempotent_and_trimmed(s in "\\PC{0,32}") {
            let key = search_key(&s);
            prop_assert_eq!(search_key(&key), key.clone());
            prop_assert_eq!(key.trim(), key.as_str());
            prop_assert!(!key.contains("  "));
        }

        #[test]
        fn other_functions_never_panic(s in "\\PC{0,32}") {
            let _ = normalize_email(&s);
            let _ = language_tag(&s);
            let _ = digits_only(&s);
        }
    }
}
