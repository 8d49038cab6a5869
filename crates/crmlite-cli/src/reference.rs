//! `crmlite import`, `export`, `directories` and `sync`: reference data in and out of the
//! database, for accounting programs.

use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use crmlite::customer::CustomerKind;
use crmlite::import::{
    ExportOptions, FileFormat, ImportMode, ImportOptions, ImportProgress, MatchBy, TextEncoding,
};
use crmlite::{Currency, Error, Result};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table};

/// How a file is laid out, shared by `import` and `export`.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// `csv` or `jsonl`.
    #[arg(long, default_value = "csv")]
    format: String,
    /// utf-8, windows-1251, windows-1252, windows-1253, windows-1256 or armscii-8.
    #[arg(long, default_value = "utf-8")]
    encoding: String,
    /// The CSV delimiter: one character, or `tab`.
    #[arg(long, default_value = ",")]
    delimiter: String,
}

impl FileArgs {
    fn parse(&self) -> Result<(FileFormat, TextEncoding, u8)> {
        let delimiter = match self.delimiter.as_str() {
            "tab" | "\\t" | "\t" => b'\t',
            d if d.len() == 1 => d.as_bytes().first().copied().unwrap_or(b','),
            _ => {
                return Err(Error::validation(
                    "delimiter",
                    "must be one ASCII character or `tab`",
                ));
            }
        };
        Ok((
            FileFormat::parse(&self.format)?,
            TextEncoding::parse(&self.encoding)?,
            delimiter,
        ))
    }
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A directory kind (`product`, `category`, ... or your own), `customers`, `organisations`,
    /// or `orders` (purchase history: one row per order line with `receipt`, `customer` (the
    /// buyer's external code, or its id in --match-system), `product`, `quantity`,
    /// `unit_price`, `discount`, `currency`, `at`...).
    kind: String,
    /// The file to read.
    file: PathBuf,
    #[command(flatten)]
    file_args: FileArgs,
    /// Read column COL as field FIELD (repeatable): `--map Артикул=external_code`.
    #[arg(long = "map", value_name = "COL=FIELD")]
    map: Vec<String>,
    /// The currency of amounts written without a code (ISO 4217).
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// Match rows by their `external_id` column in this external system instead of by code.
    #[arg(long, value_name = "SYSTEM")]
    match_system: Option<String>,
    /// Import the good rows and report the bad ones (default: all or nothing).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Write rejected rows (line, field, reason) to this CSV file.
    #[arg(long, value_name = "PATH")]
    rejects: Option<PathBuf>,
    /// Show a progress bar on standard error even when it is not a terminal (it is shown
    /// on a terminal anyway).
    #[arg(long)]
    progress: bool,
    /// Orders: every line's `product` must be the code of an active product entry.
    #[arg(long)]
    known_products: bool,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory kind.
    kind: String,
    #[command(flatten)]
    file_args: FileArgs,
    /// Write decimal commas.
    #[arg(long)]
    decimal_comma: bool,
    /// Leave archived entries out.
    #[arg(long)]
    active_only: bool,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

/// `sync` subcommands: named consumers of the change feed.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Print the changes after the consumer's cursor with each record's current state, as JSON Lines.
    Pull {
        /// The consumer's name, e.g. `accounting`.
        consumer: String,
        /// At most this many changes.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Acknowledge everything up to SEQ for the consumer.
    Ack {
        /// The consumer's name.
        consumer: String,
        /// The last applied change's sequence number.
        seq: i64,
    },
    /// Show the consumer's acknowledged position.
    Cursor {
        /// The consumer's name.
        consumer: String,
    },
    /// Write the changes after the consumer's cursor as CSV (seq, at, op, entity, entity_id,
    /// type, record as JSON) or JSON Lines, in a chosen encoding; the cursor does not move.
    Export {
        /// The consumer's name.
        consumer: String,
        /// At most this many changes.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Format, encoding and delimiter.
        #[command(flatten)]
        file_args: FileArgs,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// A one-line progress bar on standard error, redrawn in place.
struct ProgressBar {
    on: bool,
    drawn: bool,
}

impl ProgressBar {
    const WIDTH: u64 = 30;

    fn new(on: bool) -> Self {
        Self { on, drawn: false }
    }

    fn show(&mut self, p: &ImportProgress) {
        if !self.on {
            return;
        }
        let (done, total, what) = if p.read_done {
            (
                p.written,
                p.to_write,
                format!("writing {} of {} records", p.written, p.to_write),
            )
        } else {
            (
                p.bytes_read,
                p.bytes_total,
                format!(
                    "reading {} rows, {} of {} KiB",
                    p.rows_read,
                    p.bytes_read / 1024,
                    p.bytes_total.div_ceil(1024)
                ),
            )
        };
        let filled = (done.saturating_mul(Self::WIDTH))
            .checked_div(total)
            .unwrap_or(Self::WIDTH)
            .min(Self::WIDTH);
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let bar: String = (0..Self::WIDTH)
            .map(|i| if i < filled { '#' } else { '-' })
            .collect();
        // A progress bar that cannot be drawn is not worth failing the import for.
        let _ = write!(io::stderr().lock(), "\r[{bar}] {percent:>3}% {what}\x1b[K");
        self.drawn = true;
    }

    fn finish(&mut self) {
        if self.drawn {
            let _ = writeln!(io::stderr().lock());
            self.drawn = false;
        }
    }
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::validation("file", format!("{}: {e}", path.display())))
}

fn write_file(path: &PathBuf, data: &[u8]) -> Result<()> {
    std::fs::write(path, data)
        .map_err(|e| Error::validation("out", format!("{}: {e}", path.display())))
}

/// Runs `import`.
pub fn import(ctx: &Context, out: &mut Output, args: &ImportArgs) -> Result<(), Failure> {
    let (format, encoding, delimiter) = args.file_args.parse()?;
    let mut options = ImportOptions::new()
        .format(format)
        .encoding(encoding)
        .delimiter(delimiter);
    for pair in &args.map {
        let (col, field) = pair
            .split_once('=')
            .ok_or_else(|| Error::validation("map", format!("{pair:?} is not COL=FIELD")))?;
        options = options.map(col.trim(), field.trim());
    }
    if let Some(code) = &args.currency {
        options = options.currency(Currency::parse(code, "currency")?);
    }
    if let Some(system) = &args.match_system {
        options = options.match_by(MatchBy::ExternalId(system.clone()));
    }
    if args.skip_bad_rows {
        options = options.mode(ImportMode::SkipBadRows);
    }
    options = options.known_products(args.known_products);
    let data = read_file(&args.file)?;
    let crm = ctx.open()?;
    let mut bar = ProgressBar::new(args.progress || io::stderr().is_terminal());
    // Redraw about every half percent of a big file, at least every 1000 rows.
    let rows_guess = u64::try_from(data.len() / 20_000).unwrap_or(u64::MAX);
    options = options.progress_every(rows_guess.clamp(1, 1000));
    let mut show = |p: &ImportProgress| {
        bar.show(p);
        ControlFlow::Continue(())
    };
    let report = match args.kind.as_str() {
        "customers" | "persons" | "people" => {
            crm.import_customers_with_progress(&data, &options, &mut show)
        }
        "organisations" | "organizations" => crm.import_customers_with_progress(
            &data,
            &options.customer_kind(CustomerKind::Organisation),
            &mut show,
        ),
        "orders" => crm.import_orders_with_progress(&data, &options, &mut show),
        kind => crm.import_directory_with_progress(kind, &data, &options, &mut show),
    };
    bar.finish();
    let report = report?;
    if let Some(path) = &args.rejects {
        let mut text = String::from("line,field,reason\n");
        for r in &report.rejected {
            let reason = r.reason.replace('"', "\"\"");
            text.push_str(&format!("{},{},\"{reason}\"\n", r.line, r.field));
        }
        write_file(path, text.as_bytes())?;
    }
    if out.is_json() {
        return Ok(out.json(&report)?);
    }
    out.line(format!(
        "inserted {}, updated {}, unchanged {}, rejected {}{}",
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected.len(),
        if report.fast_path { " (fast path)" } else { "" }
    ))?;
    for r in report.rejected.iter().take(20) {
        out.line(format!("  line {}: {}: {}", r.line, r.field, r.reason))?;
    }
    Ok(())
}

/// Runs `export`.
pub fn export(ctx: &Context, out: &mut Output, args: &ExportArgs) -> Result<(), Failure> {
    let (format, encoding, delimiter) = args.file_args.parse()?;
    let options = ExportOptions::new()
        .format(format)
        .encoding(encoding)
        .delimiter(delimiter)
        .decimal_comma(args.decimal_comma)
        .include_archived(!args.active_only);
    let data = ctx.open()?.export_directory(&args.kind, &options)?;
    match &args.out {
        Some(path) => Ok(write_file(path, &data)?),
        None => Ok(out.bytes(&data)?),
    }
}

/// Runs `directories`: lists every directory kind and its fields.
pub fn directories(ctx: &Context, out: &mut Output) -> Result<(), Failure> {
    let kinds = ctx.open()?.directory_kinds()?;
    if out.is_json() {
        return Ok(out.json(&kinds)?);
    }
    let mut table = Table::new(&["KIND", "LABEL", "FIELDS"]);
    for k in &kinds {
        let fields: Vec<String> = k
            .fields
            .iter()
            .map(|f| {
                if f.required {
                    format!("{}*", f.name)
                } else {
                    f.name.clone()
                }
            })
            .collect();
        table.row(vec![k.name.clone(), k.label.clone(), fields.join(", ")]);
    }
    Ok(out.table(&table)?)
}

/// Runs `sync`.
pub fn sync(ctx: &Context, out: &mut Output, cmd: SyncCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        SyncCommand::Pull { consumer, limit } => {
            Ok(out.bytes(&crm.sync_pull_json_lines(&consumer, limit)?)?)
        }
        SyncCommand::Ack { consumer, seq } => {
            crm.advance_sync_cursor(&consumer, seq)?;
            cursor(out, &consumer, crm.sync_cursor(&consumer)?)
        }
        SyncCommand::Cursor { consumer } => cursor(out, &consumer, crm.sync_cursor(&consumer)?),
        SyncCommand::Export {
            consumer,
            limit,
            file_args,
            out: path,
        } => {
            let (format, encoding, delimiter) = file_args.parse()?;
            let options = ExportOptions::new()
                .format(format)
                .encoding(encoding)
                .delimiter(delimiter);
            let data = crm.export_changes(&consumer, limit, &options)?;
            match path {
                Some(path) => Ok(write_file(&path, &data)?),
                None => Ok(out.bytes(&data)?),
            }
        }
    }
}

fn cursor(out: &mut Output, consumer: &str, seq: i64) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(&json!({ "consumer": consumer, "seq": seq }))?);
    }
    Ok(out.line(format!("{consumer}: {seq}"))?)
}
