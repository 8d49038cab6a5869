//! Import of directory entries, customers and purchase history from CSV or JSON Lines, export of directories,
//! and the text encodings both use.

mod encoding;
mod export;
mod orders;
mod progress;
mod rows;
mod service;

pub use encoding::TextEncoding;
pub use export::{ExportOptions, field_text};
pub(crate) use progress::Progress;
pub use progress::{ImportProgress, ProgressFn};

use crate::customer::CustomerKind;
use crate::money::Currency;
use crate::{Error, Result};
use std::collections::BTreeMap;

/// The layout of an imported or exported file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values (any delimiter) with a header line.
    #[default]
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl FileFormat {
    /// Parses `csv` or `jsonl` (also `json-lines`, `ndjson`).
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "jsonl" | "json-lines" | "jsonlines" | "ndjson" => Ok(Self::JsonLines),
            _ => Err(Error::validation("format", "must be csv or jsonl")),
        }
    }
}

/// What happens to the good rows when some rows are rejected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImportMode {
    /// Any rejected row fails the import and nothing is written.
    #[default]
    AllOrNothing,
    /// Rejected rows are reported and skipped; the others are written.
    SkipBadRows,
}

/// How an imported row finds the record it updates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum MatchBy {
    /// By `(kind, external_code)`: the `external_code` column is required.
    #[default]
    ExternalCode,
    /// By the `external_id` column's mapping in this external system; new records get a
    /// mapping. Directory entries without a mapping are also matched by code.
    ExternalId(String),
}

/// How to read an import file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportOptions {
    /// CSV or JSON Lines.
    pub format: FileFormat,
    /// The CSV field delimiter (`,`, `;`, tab, `|`...).
    pub delimiter: u8,
    /// The file's character encoding.
    pub encoding: TextEncoding,
    /// Renames source columns to field names (`Артикул` -> `external_code`).
    pub mapping: BTreeMap<String, String>,
    /// All-or-nothing or skip bad rows.
    pub mode: ImportMode,
    /// How rows find existing records.
    pub match_by: MatchBy,
    /// The currency of amounts written without a currency code.
    pub currency: Option<Currency>,
    /// The kind of customers whose row has no `kind` column.
    pub customer_kind: CustomerKind,
    /// A progress callback is called every this many rows read and records written (and at
    /// the end of reading and of writing); 0 counts as 1.
    pub progress_every: u64,
    /// Orders only: every line's `product` must be the code of an active (not archived)
    /// entry of the `product` directory; off by default (any product text is taken).
    pub known_products: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: FileFormat::Csv,
            delimiter: b',',
            encoding: TextEncoding::Utf8,
            mapping: BTreeMap::new(),
            mode: ImportMode::AllOrNothing,
            match_by: MatchBy::ExternalCode,
            currency: None,
            customer_kind: CustomerKind::Person,
            progress_every: 1000,
            known_products: false,
        }
    }
}

impl ImportOptions {
    /// CSV in UTF-8 with commas, all-or-nothing, matched by external code.
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

    /// Reads source column `column` as field `field`.
    #[must_use]
    pub fn map(mut self, column: impl Into<String>, field: impl Into<String>) -> Self {
        self.mapping.insert(column.into(), field.into());
        self
    }

    /// Sets the mode.
    #[must_use]
    pub fn mode(mut self, mode: ImportMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets how rows find existing records.
    #[must_use]
    pub fn match_by(mut self, match_by: MatchBy) -> Self {
        self.match_by = match_by;
        self
    }

    /// Sets the currency of amounts without a code.
    #[must_use]
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = Some(currency);
        self
    }

    /// Sets the kind of customers without a `kind` column.
    #[must_use]
    pub fn customer_kind(mut self, kind: CustomerKind) -> Self {
        self.customer_kind = kind;
        self
    }

    /// Sets how many rows pass between two calls of a progress callback.
    #[must_use]
    pub fn progress_every(mut self, rows: u64) -> Self {
        self.progress_every = rows;
        self
    }

    /// Sets whether order lines must name products of the `product` directory by code.
    #[must_use]
    pub fn known_products(mut self, on: bool) -> Self {
        self.known_products = on;
        self
    }
}

/// A row that was not imported.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RejectedRow {
    /// The 1-based line of the file where the row starts.
    pub line: u64,
    /// The field (column) at fault, e.g. `price` or `email`.
    pub field: String,
    /// Why the row was rejected.
    pub reason: String,
}

impl RejectedRow {
    /// The rejection as a validation error with field `line[N].field`.
    #[must_use]
    pub fn to_error(&self) -> Error {
        Error::validation(
            format!("line[{}].{}", self.line, self.field),
            self.reason.clone(),
        )
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Rows that created a record.
    pub inserted: u64,
    /// Rows that changed a record.
    pub updated: u64,
    /// Rows whose record already had this state (nothing written).
    pub unchanged: u64,
    /// Rows not imported, in line order.
    pub rejected: Vec<RejectedRow>,
    /// Whether the target was empty and the import skipped per-row lookups.
    pub fast_path: bool,
}

/// Turns the rejections of an all-or-nothing import into one error naming the first row.
pub(crate) fn all_or_nothing(mode: ImportMode, rejected: &[RejectedRow]) -> Result<()> {
    match (mode, rejected.first()) {
        (ImportMode::AllOrNothing, Some(first)) => {
            let more = rejected.len() - 1;
            let e = first.to_error();
            Err(match (e, more) {
                (Error::Validation { field, reason }, n) if n > 0 => Error::Validation {
                    field,
                    reason: format!("{reason} (and {n} more rejected rows; nothing was imported)"),
                },
                (e, _) => e,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
