//! Where results go: aligned tables and lines for people, or JSON for scripts.

use std::fmt::Display;
use std::io::{self, BufWriter, Write};

use crmlite::Timestamp;
use serde::Serialize;

/// The command's output stream and its mode (`--json` or human).
pub struct Output {
    json: bool,
    sink: Box<dyn Write>,
}

impl Output {
    /// Buffered standard output.
    pub fn stdout(json: bool) -> Self {
        Self {
            json,
            sink: Box::new(BufWriter::new(io::stdout())),
        }
    }

    /// Whether `--json` was given: commands print exactly one JSON document then.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Writes `value` as one pretty-printed JSON document.
    pub fn json(&mut self, value: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.sink, value)?;
        writeln!(self.sink)
    }

    /// Writes one line of text.
    pub fn line(&mut self, text: impl Display) -> io::Result<()> {
        writeln!(self.sink, "{text}")
    }

    /// Writes `label  value` lines with the values aligned, indented by `indent` spaces;
    /// pairs with an empty value are skipped.
    pub fn fields(&mut self, indent: usize, pairs: &[(&str, String)]) -> io::Result<()> {
        let width = pairs
            .iter()
            .map(|(label, _)| display_width(label))
            .max()
            .unwrap_or(0);
        for (label, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            let pad = width.saturating_sub(display_width(label));
            writeln!(self.sink, "{:indent$}{label}{:pad$}  {value}", "", "")?;
        }
        Ok(())
    }

    /// Writes a table with its columns aligned.
    pub fn table(&mut self, table: &Table) -> io::Result<()> {
        table.write(&mut self.sink)
    }

    /// Flushes buffered output.
    pub fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

/// Rows of text cells under a header, printed with aligned columns.
pub struct Table {
    headers: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
    indent: usize,
}

impl Table {
    /// An empty table with these column headers, every column left-aligned.
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            right: vec![false; headers.len()],
            rows: Vec::new(),
            indent: 0,
        }
    }

    /// Right-aligns column `index` (numbers).
    #[must_use]
    pub fn right(mut self, index: usize) -> Self {
        if let Some(flag) = self.right.get_mut(index) {
            *flag = true;
        }
        self
    }

    /// Indents every line by `spaces`.
    #[must_use]
    pub fn indent(mut self, spaces: usize) -> Self {
        self.indent = spaces;
        self
    }

    /// Appends a row; missing cells are blank, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(display_width(cell));
            }
        }
        let header: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = " ".repeat(self.indent);
            let last = widths.len().saturating_sub(1);
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                let pad = " ".repeat(width.saturating_sub(display_width(cell)));
                let right = self.right.get(i).copied().unwrap_or(false);
                if i > 0 {
                    line.push_str("  ");
                }
                if right {
                    line.push_str(&pad);
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if i < last {
                        line.push_str(&pad);
                    }
                }
            }
            writeln!(w, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// The number of terminal columns `text` takes, counting every visible character as one:
/// combining marks, joiners and bidi controls (common in Persian and Greek text) take none.
pub fn display_width(text: &str) -> usize {
    text.chars().filter(|c| !is_zero_width(*c)).count()
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'   // combining diacritics (Greek tonos typed separately)
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{0610}'..='\u{061A}'
            | '\u{061C}'
            | '\u{064B}'..='\u{065F}' // Arabic harakat
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{200B}'..='\u{200F}' // zero-width space, ZWNJ (Persian), ZWJ, LRM, RLM
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// A time for people: `2026-12-07 10:30` in UTC.
pub fn time(at: Timestamp) -> String {
    at.to_datetime().map_or_else(
        || at.0.to_string(),
        |d| d.format("%Y-%m-%d %H:%M").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table) -> String {
        let mut buf = Vec::new();
        table.write(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn columns_line_up_across_scripts() {
        let mut t = Table::new(&["ID", "NAME", "PHONE"]).right(0);
        t.row(vec!["7".into(), "Γιώργος".into(), "+302101234567".into()]);
        t.row(vec!["12".into(), "ნინო".into(), String::new()]);
        // "مهر\u{200C}نوش": the ZWNJ takes no column.
        t.row(vec![
            "3".into(),
            "مهر\u{200C}نوش".into(),
            "+989121234567".into(),
        ]);
        assert_eq!(
            render(&t),
            "ID  NAME     PHONE\n 7  Γιώργος  +302101234567\n12  ნინო\n 3  مهر\u{200C}نوش   +989121234567\n"
        );
    }

    #[test]
    fn width_ignores_combining_marks() {
        assert_eq!(display_width("Γιώργος"), 7);
        assert_eq!(display_width("Γιω\u{0301}ργος"), 7);
        assert_eq!(display_width("علي"), 3);
    }

    #[test]
    fn times_are_minutes_in_utc() {
        assert_eq!(time(Timestamp(1_796_641_200_000)), "2026-12-07 11:00");
    }
}
