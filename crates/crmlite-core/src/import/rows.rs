//! Reading an import file into rows of named text values.

use super::{FileFormat, ImportOptions, Progress, RejectedRow};
use crate::{Error, Result};
use std::collections::BTreeMap;

/// One row of the file: its line and its values by field name (after mapping).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceRow {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// Values by field name; empty text means "no value".
    pub values: BTreeMap<String, String>,
}

impl SourceRow {
    /// The trimmed value of `field`, if the row has a non-empty one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values
            .get(field)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Whether the file has the column `field` (even if empty in this row).
    pub fn has(&self, field: &str) -> bool {
        self.values.contains_key(field)
    }

    /// A rejection of this row.
    pub fn reject(&self, field: impl Into<String>, reason: impl Into<String>) -> RejectedRow {
        RejectedRow {
            line: self.line,
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Decodes and splits a file into rows. A problem with the whole file (bad bytes, no text at
/// all, an unknown or repeated column) is an error; a problem with one row is a rejection.
pub(crate) fn read_rows(
    data: &[u8],
    options: &ImportOptions,
    known: &dyn Fn(&str) -> bool,
    progress: &mut Progress<'_, '_>,
) -> Result<(Vec<SourceRow>, Vec<RejectedRow>)> {
    let text = options.encoding.decode(data)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(Error::validation(
            "file",
            "is empty: there is nothing to import",
        ));
    }
    progress.start(text.len());
    let read = match options.format {
        FileFormat::Csv => read_csv(text, options, known, progress),
        FileFormat::JsonLines => read_json_lines(text, options, known, progress),
    }?;
    progress.read_done()?;
    Ok(read)
}

fn field_name<'a>(options: &'a ImportOptions, column: &'a str) -> &'a str {
    options.mapping.get(column).map_or(column, String::as_str)
}

fn read_csv(
    text: &str,
    options: &ImportOptions,
    known: &dyn Fn(&str) -> bool,
    progress: &mut Progress<'_, '_>,
) -> Result<(Vec<SourceRow>, Vec<RejectedRow>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(options.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::validation("line[1]", format!("is not a CSV header: {e}")))?
        .clone();
    let mut fields: Vec<String> = Vec::with_capacity(headers.len());
    for column in &headers {
        let column = column.trim();
        let field = field_name(options, column);
        if !known(field) {
            return Err(Error::validation(
                format!("line[1].{column}"),
                "is not a known column; map it or remove it",
            ));
        }
        if fields.iter().any(|f| f == field) {
            return Err(Error::validation(
                format!("line[1].{column}"),
                format!("{field} appears twice"),
            ));
        }
        fields.push(field.to_owned());
    }
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                rejected.push(RejectedRow {
                    line,
                    field: "line".into(),
                    reason: format!("is not valid CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        progress.row_read(record.position().map_or(0, csv::Position::byte))?;
        if record.len() == 1 && record.get(0).is_some_and(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != fields.len() {
            rejected.push(RejectedRow {
                line,
                field: "line".into(),
                reason: format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    fields.len()
                ),
            });
            continue;
        }
        let values = fields
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push(SourceRow { line, values });
    }
    Ok((rows, rejected))
}

/// Turns increasing byte offsets into 1-based line numbers.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the reader reports at `byte`; the reader reports where it
    /// started reading, before any blank lines it skipped.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut end = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(end)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            end += 1;
        }
        if end > self.offset {
            let newlines = self
                .text
                .get(self.offset..end)
                .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
            self.line += u64::try_from(newlines).unwrap_or(0);
            self.offset = end;
        }
        self.line
    }
}

fn read_json_lines(
    text: &str,
    options: &ImportOptions,
    known: &dyn Fn(&str) -> bool,
    progress: &mut Progress<'_, '_>,
) -> Result<(Vec<SourceRow>, Vec<RejectedRow>)> {
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut offset = 0u64;
    for (i, raw) in text.lines().enumerate() {
        let line = u64::try_from(i).map_or(u64::MAX, |i| i + 1);
        offset = offset.saturating_add(
            u64::try_from(raw.len())
                .unwrap_or(u64::MAX)
                .saturating_add(1),
        );
        if raw.trim().is_empty() {
            continue;
        }
        progress.row_read(offset)?;
        let reject = |field: &str, reason: String| RejectedRow {
            line,
            field: field.into(),
            reason,
        };
        let object = match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                rejected.push(reject("line", "is not a JSON object".into()));
                continue;
            }
            Err(e) => {
                rejected.push(reject("line", format!("is not valid JSON: {e}")));
                continue;
            }
        };
        let mut values = BTreeMap::new();
        let mut bad = None;
        for (key, value) in &object {
            let field = field_name(options, key);
            if !known(field) {
                bad = Some(reject(
                    key,
                    "is not a known field; map it or remove it".into(),
                ));
                break;
            }
            match json_text(value) {
                Some(v) => {
                    values.insert(field.to_owned(), v);
                }
                None => {
                    bad = Some(reject(key, "must be a string, a whole number, a boolean, null or a list of strings (write decimals as strings)".into()));
                    break;
                }
            }
        }
        match bad {
            Some(r) => rejected.push(r),
            None => rows.push(SourceRow { line, values }),
        }
    }
    Ok((rows, rejected))
}

/// A JSON value as the text a CSV cell would hold. Only whole numbers are taken as numbers:
/// a fraction would pass through floating point, so decimals must be written as strings.
fn json_text(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    match value {
        J::Null => Some(String::new()),
        J::Bool(b) => Some(b.to_string()),
        J::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        J::Number(_) => None,
        J::String(s) => Some(s.clone()),
        J::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
            parts.map(|p| p.join(";"))
        }
        J::Object(_) => None,
    }
}
