//! Text encodings of imported and exported files: UTF-8, four Windows code pages through
//! `encoding_rs`, and ARMSCII-8 (Armenian), which `encoding_rs` lacks, from its table.

use crate::{Error, Result};
use std::borrow::Cow;

/// The character encoding of a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte order mark.
    #[default]
    Utf8,
    /// Windows-1251 (Cyrillic).
    Windows1251,
    /// Windows-1252 (Western European).
    Windows1252,
    /// Windows-1253 (Greek).
    Windows1253,
    /// Windows-1256 (Arabic script, also Persian).
    Windows1256,
    /// ARMSCII-8 (Armenian).
    Armscii8,
}

impl TextEncoding {
    /// Parses a name such as `utf-8`, `windows-1251`, `cp1253` or `armscii-8` (any case).
    pub fn parse(name: &str) -> Result<Self> {
        let key: String = name
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Ok(match key.as_str() {
            "utf8" => Self::Utf8,
            "windows1251" | "cp1251" => Self::Windows1251,
            "windows1252" | "cp1252" => Self::Windows1252,
            "windows1253" | "cp1253" => Self::Windows1253,
            "windows1256" | "cp1256" => Self::Windows1256,
            "armscii8" => Self::Armscii8,
            _ => {
                return Err(Error::validation(
                    "encoding",
                    format!(
                        "{name:?} is not one of utf-8, windows-1251, windows-1252, windows-1253, windows-1256, armscii-8"
                    ),
                ));
            }
        })
    }

    /// The canonical name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Windows1251 => "windows-1251",
            Self::Windows1252 => "windows-1252",
            Self::Windows1253 => "windows-1253",
            Self::Windows1256 => "windows-1256",
            Self::Armscii8 => "armscii-8",
        }
    }

    fn whatwg(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Self::Utf8 | Self::Armscii8 => None,
            Self::Windows1251 => Some(encoding_rs::WINDOWS_1251),
            Self::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            Self::Windows1253 => Some(encoding_rs::WINDOWS_1253),
            Self::Windows1256 => Some(encoding_rs::WINDOWS_1256),
        }
    }

    /// Decodes a whole file strictly: a byte sequence that is not valid in this encoding is a
    /// validation error naming its line (`line[3]`). A leading UTF-8 byte order mark is dropped.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
        let bytes = match self {
            Self::Utf8 => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            _ => bytes,
        };
        match self.decode_strict(bytes) {
            Some(text) => Ok(text),
            None => {
                // Every supported encoding keeps ASCII as is, so lines split on b'\n'.
                let line = bytes
                    .split(|b| *b == b'\n')
                    .position(|l| self.decode_strict(l).is_none())
                    .unwrap_or(0);
                Err(Error::validation(
                    format!("line[{}]", line + 1),
                    format!("has bytes that are not valid {}", self.as_str()),
                ))
            }
        }
    }

    fn decode_strict<'a>(self, bytes: &'a [u8]) -> Option<Cow<'a, str>> {
        match (self, self.whatwg()) {
            (Self::Utf8, _) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            (Self::Armscii8, _) => armscii8_decode(bytes).map(Cow::Owned),
            (_, Some(enc)) => enc.decode_without_bom_handling_and_without_replacement(bytes),
            (_, None) => None,
        }
    }

    /// Encodes text; a character this encoding cannot represent is a validation error of `field`.
    pub fn encode(self, text: &str, field: &str) -> Result<Vec<u8>> {
        let unmappable = || {
            Error::validation(
                field,
                format!("has characters that {} cannot represent", self.as_str()),
            )
        };
        match (self, self.whatwg()) {
            (Self::Utf8, _) => Ok(text.as_bytes().to_vec()),
            (Self::Armscii8, _) => armscii8_encode(text).ok_or_else(unmappable),
            (_, Some(enc)) => {
                let (bytes, _, had_errors) = enc.encode(text);
                if had_errors {
                    Err(unmappable())
                } else {
                    Ok(bytes.into_owned())
                }
            }
            (_, None) => Err(unmappable()),
        }
    }
}

/// ARMSCII-8 bytes 0xA2..=0xFE. Bytes up to 0xA0 are the same code points (ASCII, C1
/// controls, no-break space); 0xA1 and 0xFF are unassigned.
const ARMSCII8_HIGH: [char; 0xFF - 0xA2] = armscii8_table();

const fn armscii8_table() -> [char; 0xFF - 0xA2] {
    let mut t = [' '; 0xFF - 0xA2];
    // Punctuation 0xA2..=0xB1.
    let punct = [
        '\u{0587}', '\u{0589}', ')', '(', '\u{00BB}', '\u{00AB}', '\u{2014}', '.', '\u{055D}', ',',
        '-', '\u{058A}', '\u{2026}', '\u{055C}', '\u{055B}', '\u{055E}',
    ];
    let mut i = 0;
    while i < punct.len() {
        t[i] = punct[i];
        i += 1;
    }
    // Letters 0xB2..=0xFD: capital U+0531 + k at 0xB2 + 2k, small U+0561 + k right after it.
    let mut k = 0;
    while k < 38 {
        let base = 0xB2 - 0xA2 + 2 * k as usize;
        t[base] = match char::from_u32(0x0531 + k) {
            Some(c) => c,
            None => ' ',
        };
        t[base + 1] = match char::from_u32(0x0561 + k) {
            Some(c) => c,
            None => ' ',
        };
        k += 1;
    }
    // The Armenian apostrophe.
    t[0xFE - 0xA2] = '\u{055A}';
    t
}

fn armscii8_decode(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        match b {
            0x00..=0xA0 => out.push(char::from(b)),
            0xA2..=0xFE => out.push(*ARMSCII8_HIGH.get(usize::from(b - 0xA2))?),
            _ => return None,
        }
    }
    Some(out)
}

fn armscii8_encode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) if b <= 0xA0 => out.push(b),
            _ => {
                let i = ARMSCII8_HIGH.iter().position(|x| *x == c)?;
                out.push(u8::try_from(i + 0xA2).ok()?);
            }
        }
    }
    Some(out)
}
