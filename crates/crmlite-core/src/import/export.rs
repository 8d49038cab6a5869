//! Export of a whole directory as CSV or JSON Lines, in a form the import reads back.

use super::{FileFormat, TextEncoding};
use crate::money::format_decimal;
use crate::reference::service::kind_def;
use crate::reference::{DirectoryKind, Entry, FieldType, FieldValue};
use crate::{Crm, Error, Result};

/// How to write an export file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// CSV or JSON Lines.
    pub format: FileFormat,
    /// The CSV field delimiter.
    pub delimiter: u8,
    /// The file's character encoding.
    pub encoding: TextEncoding,
    /// Write `,` as the decimal mark instead of `.`.
    pub decimal_comma: bool,
    /// Include archived entries (the `archived` column tells them apart).
    pub include_archived: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            format: FileFormat::Csv,
            delimiter: b',',
            encoding: TextEncoding::Utf8,
            decimal_comma: false,
            include_archived: true,
        }
    }
}

impl ExportOptions {
    /// UTF-8 CSV with commas and `.` decimals, archived entries included.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the format.
    #[must_use]
    pub fn format(mut self, format: FileFormat) -> Self {
        self.format = format;
        self
    }

    /// Sets the CSV delimiter.
    #[must_use]
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Sets the encoding.
    #[must_use]
    pub fn encoding(mut self, encoding: TextEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Writes decimal commas.
    #[must_use]
    pub fn decimal_comma(mut self, on: bool) -> Self {
        self.decimal_comma = on;
        self
    }

    /// Includes or leaves out archived entries.
    #[must_use]
    pub fn include_archived(mut self, on: bool) -> Self {
        self.include_archived = on;
        self
    }
}

/// Puts `'` before text a spreadsheet would run as a formula.
fn guard(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn decimal(minor: i64, exponent: u32, comma: bool) -> String {
    let s = format_decimal(minor, exponent);
    if comma { s.replace('.', ",") } else { s }
}

/// A field value as plain text that an import reads back: money with its currency code
/// (`1250.50 AMD`), percentages and decimals with a decimal point, dates as `2026-12-07`.
#[must_use]
pub fn field_text(ty: &FieldType, value: &FieldValue) -> String {
    match value {
        FieldValue::Text(t) => t.clone(),
        other => value_text(ty, other, false),
    }
}

/// A field value as export text: money with its currency code, percentages with two decimals.
fn value_text(ty: &FieldType, value: &FieldValue, comma: bool) -> String {
    match value {
        FieldValue::Text(t) => guard(t),
        FieldValue::Integer(v) => v.to_string(),
        FieldValue::Decimal(v) => decimal(
            *v,
            if let FieldType::Decimal(s) = ty {
                *s
            } else {
                0
            },
            comma,
        ),
        FieldValue::Money(m) => format!(
            "{} {}",
            decimal(m.minor, m.currency.exponent(), comma),
            m.currency
        ),
        FieldValue::Percent(bp) => decimal(*bp, 2, comma),
        FieldValue::Boolean(b) => b.to_string(),
        FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        FieldValue::Currency(c) => c.code().to_owned(),
        FieldValue::Reference(code) => code.clone(),
    }
}

fn columns(def: &DirectoryKind) -> Vec<String> {
    let mut cols = vec!["external_code".to_owned(), "name".to_owned()];
    cols.extend(def.fields.iter().map(|f| f.name.clone()));
    cols.push("archived".to_owned());
    cols
}

fn cells(def: &DirectoryKind, e: &Entry, comma: bool) -> Vec<String> {
    let mut out = vec![guard(&e.external_code), guard(&e.name)];
    out.extend(def.fields.iter().map(|f| {
        e.field(&f.name)
            .map(|v| value_text(&f.field_type, v, comma))
            .unwrap_or_default()
    }));
    out.push(e.archived.to_string());
    out
}

impl Crm {
    /// Writes every entry of directory `kind`, in id order, as a file that
    /// [`Crm::import_directory`] reads back unchanged: CSV with a header (delimiter and
    /// encoding as asked, text that a spreadsheet would run as a formula prefixed with `'`)
    /// or JSON Lines with every value as a string. A character the encoding cannot
    /// represent is a validation error naming the entry.
    pub fn export_directory(&self, kind: &str, options: &ExportOptions) -> Result<Vec<u8>> {
        let (def, entries) = self.read(|tx| {
            let def = kind_def(tx, kind)?;
            let mut entries = Vec::new();
            let mut after = None;
            loop {
                let page = tx.entries_after(
                    &def.name,
                    after,
                    options.include_archived,
                    crate::page::MAX_PAGE,
                )?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                entries.extend(page);
            }
            Ok((def, entries))
        })?;
        let comma = options.decimal_comma;
        let cols = columns(&def);
        let mut lines: Vec<(String, String)> = Vec::with_capacity(entries.len() + 1);
        match options.format {
            FileFormat::Csv => {
                if comma && options.delimiter == b',' {
                    return Err(Error::validation(
                        "delimiter",
                        "must not be a comma when decimals use commas",
                    ));
                }
                lines.push(("header".into(), csv_line(&cols, options.delimiter)?));
                for e in &entries {
                    lines.push((
                        e.external_code.clone(),
                        csv_line(&cells(&def, e, comma), options.delimiter)?,
                    ));
                }
            }
            FileFormat::JsonLines => {
                for e in &entries {
                    let object: serde_json::Map<String, serde_json::Value> = cols
                        .iter()
                        .cloned()
                        .zip(
                            cells(&def, e, comma)
                                .into_iter()
                                .map(serde_json::Value::String),
                        )
                        .filter(|(_, v)| v.as_str().is_some_and(|s| !s.is_empty()))
                        .collect();
                    let text = serde_json::to_string(&object).map_err(|err| {
                        Error::validation("entries", format!("cannot be written as JSON: {err}"))
                    })?;
                    lines.push((e.external_code.clone(), format!("{text}\n")));
                }
            }
        }
        let mut out = Vec::new();
        for (code, line) in &lines {
            out.extend(options.encoding.encode(line, &format!("entries[{code}]"))?);
        }
        Ok(out)
    }
}

/// One CSV record with its line end, quoting only where needed.
fn csv_line(cells: &[String], delimiter: u8) -> Result<String> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let failed = |e: &dyn std::fmt::Display| {
        Error::validation("delimiter", format!("cannot write CSV: {e}"))
    };
    writer.write_record(cells).map_err(|e| failed(&e))?;
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

/// The columns of a change export in CSV.
const CHANGE_COLUMNS: &[&str] = &["seq", "at", "op", "entity", "entity_id", "type", "record"];

impl Crm {
    /// Writes the changes after sync consumer `name`'s cursor (at most `limit`), each with
    /// its record as it is now, as [`Crm::sync_pull`] returns them. JSON Lines is
    /// [`Crm::sync_pull_json_lines`]; CSV has the columns `seq`, `at` (RFC 3339), `op`,
    /// `entity`, `entity_id`, `type` (the record kind, or `tombstone`) and `record` (the
    /// record as JSON, amounts in integer minor units), in the delimiter and encoding asked,
    /// spreadsheet-safe. Does not move the cursor. A character the encoding cannot represent
    /// is a validation error naming the change (`changes[12]`).
    pub fn export_changes(
        &self,
        name: &str,
        limit: u32,
        options: &ExportOptions,
    ) -> Result<Vec<u8>> {
        let items = self.sync_pull(name, limit)?;
        let mut lines: Vec<(i64, String)> = Vec::with_capacity(items.len() + 1);
        match options.format {
            FileFormat::JsonLines => {
                for item in &items {
                    let text = serde_json::to_string(item).map_err(|e| {
                        Error::validation("record", format!("cannot be written as JSON: {e}"))
                    })?;
                    lines.push((item.change.seq, format!("{text}\n")));
                }
            }
            FileFormat::Csv => {
                let header: Vec<String> = CHANGE_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
                lines.push((0, csv_line(&header, options.delimiter)?));
                for item in &items {
                    let record = serde_json::to_value(&item.record).map_err(|e| {
                        Error::validation("record", format!("cannot be written as JSON: {e}"))
                    })?;
                    let kind = record
                        .get("type")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("tombstone")
                        .to_owned();
                    let body = record
                        .get("record")
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let c = &item.change;
                    let cells = vec![
                        c.seq.to_string(),
                        c.at.to_rfc3339(),
                        c.op.as_str().to_owned(),
                        c.entity.as_str().to_owned(),
                        c.entity_id.to_string(),
                        kind,
                        guard(&body),
                    ];
                    lines.push((c.seq, csv_line(&cells, options.delimiter)?));
                }
            }
        }
        let mut out = Vec::new();
        for (seq, line) in &lines {
            let field = if *seq == 0 {
                "header".to_owned()
            } else {
                format!("changes[{seq}]")
            };
            out.extend(options.encoding.encode(line, &field)?);
        }
        Ok(out)
    }
}
