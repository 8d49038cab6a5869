//! Benchmark (not a test): imports N customers (default 1,000,000) from a CSV file into an
//! empty database with `Crm::import_customers`, then inserts the same rows with raw
//! rusqlite in one transaction with cached prepared statements and the same pragmas, twice:
//! into a minimal table with a unique index on `(kind, external_code)`, and into crmlite's
//! own schema (search indexes, e-mail lookup rows, the change feed). Prints rows/s for each.
//!
//! `cargo run --release -p crmlite --example import_bench -- [ROWS]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark program: reports on stdout

use crmlite::import::ImportOptions;
use crmlite::{OpenOptions, Synchronous};
use std::time::Instant;

const NAMES: &[&str] = &[
    "Արամ Սարգսյան",
    "ნინო ბერიძე",
    "Γιώργος Παπαδόπουλος",
    "شیرین احمدی",
    "Maria Rossi",
];

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut csv = String::from("external_code,name,email,city\n");
    for i in 0..rows {
        let name = NAMES[i % NAMES.len()];
        csv.push_str(&format!(
            "K-{i},{name} {i},c{i}@example.com,City {}\n",
            i % 100
        ));
    }
    let dir = std::env::temp_dir().join(format!("crmlite-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let crm = OpenOptions::new()
        .synchronous(Synchronous::Normal)
        .open(dir.join("crm.db"))
        .unwrap();
    let start = Instant::now();
    let report = crm
        .import_customers(csv.as_bytes(), &ImportOptions::new())
        .unwrap();
    let crm_secs = start.elapsed().as_secs_f64();
    assert_eq!(report.inserted as usize, rows);

    let conn = rusqlite::Connection::open(dir.join("raw.db")).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         CREATE TABLE customers (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, \
         external_code TEXT, emails TEXT NOT NULL, address TEXT) STRICT; \
         CREATE UNIQUE INDEX customers_by_code ON customers (kind, external_code);",
    )
    .unwrap();
    let start = Instant::now();
    let tx = conn.unchecked_transaction().unwrap();
    {
        let mut stmt = tx
            .prepare_cached("INSERT INTO customers (kind, name, external_code, emails, address) VALUES ('person', ?1, ?2, ?3, ?4)")
            .unwrap();
        for line in csv.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            stmt.execute((cols[1], cols[0], format!("[\"{}\"]", cols[2]), cols[3]))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let raw_secs = start.elapsed().as_secs_f64();

    let full = rusqlite::Connection::open(dir.join("raw-full.db")).unwrap();
    full.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        .unwrap();
    full.execute_batch(include_str!(
        "../../crmlite-sqlite/src/migrations/0001_customers.sql"
    ))
    .unwrap();
    let start = Instant::now();
    let tx = full.unchecked_transaction().unwrap();
    {
        let mut customer = tx
            .prepare_cached(
                "INSERT INTO customers (kind, name, name_key, search_key, emails, address, external_code, version, \
                 created_at, updated_at) VALUES ('person', ?1, lower(?1), lower(?1 || ' ' || ?2 || ' ' || ?3), ?4, ?5, ?2, 1, 0, 0) \
                 RETURNING id",
            )
            .unwrap();
        let mut email = tx
            .prepare_cached(
                "INSERT INTO customer_emails (address_key, customer_id) VALUES (?1, ?2)",
            )
            .unwrap();
        let mut change =
            tx.prepare_cached("INSERT INTO changes (entity, entity_id, op, at) VALUES ('customer', ?1, 'insert', 0)").unwrap();
        for line in csv.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            let emails = format!("[{{\"address\":\"{}\",\"primary\":true}}]", cols[2]);
            let id: i64 = customer
                .query_row(
                    (
                        cols[1],
                        cols[0],
                        cols[2],
                        emails,
                        format!("{{\"city\":\"{}\"}}", cols[3]),
                    ),
                    |r| r.get(0),
                )
                .unwrap();
            email.execute((cols[2], id)).unwrap();
            change.execute([id]).unwrap();
        }
    }
    tx.commit().unwrap();
    let full_secs = start.elapsed().as_secs_f64();

    let rate = |secs: f64| rows as f64 / secs;
    println!("rows: {rows}");
    println!(
        "crmlite import_customers: {:>10.0} rows/s ({crm_secs:.2} s, fast path {})",
        rate(crm_secs),
        report.fast_path
    );
    println!(
        "raw rusqlite insert:      {:>10.0} rows/s ({raw_secs:.2} s)",
        rate(raw_secs)
    );
    println!(
        "raw rusqlite, crmlite schema: {:>6.0} rows/s ({full_secs:.2} s)",
        rate(full_secs)
    );
    println!(
        "crmlite takes {:.2}x the minimal raw time, {:.2}x the same-schema raw time",
        crm_secs / raw_secs,
        crm_secs / full_secs
    );
    let _ = std::fs::remove_dir_all(&dir);
}
