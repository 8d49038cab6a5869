//! Measurement (not a test): a 1,000,000-row product file with one bad row in the middle.
//!
//! The bad row references a category that does not exist, which only the write finds (the
//! rows before it are already written in the transaction). All-or-nothing must roll all of
//! it back and leave the database exactly as before; skip-bad-rows must import every other
//! row and report the bad one by line and field. Prints the times and rows/s.
//!
//! `cargo run --release -p crmlite --example large_import -- [ROWS]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a measurement program: reports on stdout

use crmlite::import::{ImportMode, ImportOptions};
use crmlite::reference::EntryInput;
use crmlite::{Crm, OpenOptions};
use std::time::Instant;

const NAMES: &[&str] = &["Ասպիրին", "ასპირინი", "Ασπιρίνη", "آسپرین", "Paracetamol"];

/// Everything an import may touch: every product and category, and the change feed.
fn state(crm: &Crm) -> (i64, i64, Vec<String>) {
    let mut products = 0_i64;
    let mut cursor = None;
    loop {
        let page = crm
            .list_entries("product", cursor.as_deref(), true, 1000)
            .unwrap();
        products += i64::try_from(page.items.len()).unwrap();
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let categories: Vec<String> = crm
        .list_entries("category", None, true, 1000)
        .unwrap()
        .items
        .iter()
        .map(|e| format!("{}:{}:{}", e.external_code, e.name, e.version))
        .collect();
    let mut latest = 0;
    loop {
        let page = crm.changes_since(latest, 1000).unwrap();
        match page.last() {
            Some(last) => latest = last.seq,
            None => break,
        }
    }
    (products, latest, categories)
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let bad = rows / 2;
    let mut csv = String::from("external_code;name;category;price\n");
    for i in 0..rows {
        let category = if i == bad {
            "NOPE"
        } else {
            ["MED", "VIT"][i % 2]
        };
        let name = NAMES[i % NAMES.len()];
        csv.push_str(&format!(
            "SKU-{i};{name} {i};{category};{},{:02}\n",
            100 + i % 5000,
            i % 100
        ));
    }
    let dir = std::env::temp_dir().join(format!("crmlite-large-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let crm = OpenOptions::new().open(dir.join("crm.db")).unwrap();
    crm.upsert_entry("category", &EntryInput::new("MED", "Դեղեր"))
        .unwrap();
    crm.upsert_entry("category", &EntryInput::new("VIT", "ვიტამინები"))
        .unwrap();
    let options = ImportOptions::new()
        .delimiter(b';')
        .currency(crmlite::Currency::parse("AMD", "currency").unwrap());

    let before = state(&crm);
    let start = Instant::now();
    let err = crm
        .import_directory("product", csv.as_bytes(), &options)
        .unwrap_err();
    let failed_secs = start.elapsed().as_secs_f64();
    let after = state(&crm);
    assert_eq!(after, before, "all-or-nothing changed the database");
    println!("rows: {rows}, bad row on line {}", bad + 2);
    println!(
        "all-or-nothing: refused in {failed_secs:.2} s ({:.0} rows/s checked and written, then rolled back): {err}",
        rows as f64 / failed_secs
    );
    println!(
        "  database unchanged: {} products, change feed at {}, {} categories",
        after.0,
        after.1,
        after.2.len()
    );
    assert!(crm.verify().unwrap().ok());

    let start = Instant::now();
    let report = crm
        .import_directory(
            "product",
            csv.as_bytes(),
            &options.clone().mode(ImportMode::SkipBadRows),
        )
        .unwrap();
    let skip_secs = start.elapsed().as_secs_f64();
    assert_eq!(report.inserted as usize, rows - 1);
    assert_eq!(report.rejected.len(), 1);
    let rejected = &report.rejected[0];
    assert_eq!(
        (rejected.line, rejected.field.as_str()),
        (bad as u64 + 2, "category")
    );
    println!(
        "skip-bad-rows: {} inserted in {skip_secs:.2} s ({:.0} rows/s, fast path {}), rejected line {} {}: {}",
        report.inserted,
        report.inserted as f64 / skip_secs,
        report.fast_path,
        rejected.line,
        rejected.field,
        rejected.reason
    );
    let start = Instant::now();
    let again = crm
        .import_directory(
            "product",
            csv.as_bytes(),
            &options.mode(ImportMode::SkipBadRows),
        )
        .unwrap();
    let again_secs = start.elapsed().as_secs_f64();
    assert_eq!((again.inserted, again.updated), (0, 0));
    println!(
        "re-import: {} unchanged in {again_secs:.2} s ({:.0} rows/s), nothing written",
        again.unchanged,
        again.unchanged as f64 / again_secs
    );
    drop(crm);
    let _ = std::fs::remove_dir_all(&dir);
}
