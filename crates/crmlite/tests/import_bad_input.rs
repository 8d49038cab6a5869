//! Every kind of bad input the reference-directory issue lists, for directories, customers
//! and orders: each is reported with its line and field, and an all-or-nothing import
//! leaves the database exactly as it was (same records, same change feed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::NewCustomer;
use crmlite::import::{FileFormat, ImportMode, ImportOptions, ImportProgress, TextEncoding};
use crmlite::reference::EntryInput;
use crmlite::{Crm, Currency, ErrorKind};
use std::ops::ControlFlow;
use support::fresh;

/// Every product, price and customer as text, and the change feed's length.
fn snapshot(crm: &Crm) -> (Vec<String>, usize) {
    let mut all = Vec::new();
    for kind in ["product", "price_list", "price", "category"] {
        for e in crm.list_entries(kind, None, true, 1000).unwrap().items {
            all.push(format!(
                "{kind}:{}:{}:{:?}:{}",
                e.external_code, e.name, e.fields, e.version
            ));
        }
    }
    for c in crm.list_customers(None, 1000).unwrap().items {
        all.push(format!("customer:{}:{}:{}", c.id, c.name, c.version));
    }
    (all, crm.changes_since(0, 1000).unwrap().len())
}

fn seeded() -> Crm {
    let (crm, _) = fresh();
    crm.upsert_entry("category", &EntryInput::new("MED", "Դեղեր"))
        .unwrap();
    crm.upsert_entry(
        "price_list",
        &EntryInput::new("RETAIL", "Λιανική")
            .field("currency", crmlite::reference::FieldValue::Currency(amd())),
    )
    .unwrap();
    crm.import_directory(
        "product",
        "external_code;name;category;price\nA-100;Ասպիրին;MED;1 250,50\n".as_bytes(),
        &options(),
    )
    .unwrap();
    crm.add_customer(&NewCustomer::person("شیرین احمدی").external_code("IR-1"))
        .unwrap();
    crm
}

fn amd() -> Currency {
    Currency::parse("AMD", "currency").unwrap()
}

fn options() -> ImportOptions {
    ImportOptions::new().delimiter(b';').currency(amd())
}

/// Imports `file` into `kind` all-or-nothing: it must fail naming `field` and change nothing.
fn refused(crm: &Crm, kind: &str, file: &[u8], options: &ImportOptions, field: &str) {
    let before = snapshot(crm);
    let err = match kind {
        "customers" => crm.import_customers(file, options),
        "orders" => crm.import_orders(file, options),
        _ => crm.import_directory(kind, file, options),
    }
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some(field)),
        "{kind}: {err}"
    );
    assert_eq!(
        snapshot(crm),
        before,
        "{kind}: {field} changed the database"
    );
}

#[test]
fn a_malformed_csv_line_is_reported_by_line() {
    let crm = seeded();
    // An unterminated quote runs to the end of the file: the row has the wrong field count.
    refused(
        &crm,
        "product",
        b"external_code;name;price\nA-200;\"Ibuprofen;5\nA-201;Ok;6\n",
        &options(),
        "line[2].line",
    );
    // Too many fields.
    refused(
        &crm,
        "product",
        b"external_code;name;price\nA-200;x;1\nA-201;y;2;extra\n",
        &options(),
        "line[3].line",
    );
    // Too few fields, in a customers file.
    refused(
        &crm,
        "customers",
        "external_code,name,email\nK-1,Ελένη,eleni@example.gr\nK-2,Νίκος\n".as_bytes(),
        &ImportOptions::new(),
        "line[3].line",
    );
    // A JSON Lines file with a line that is not JSON.
    refused(
        &crm,
        "product",
        b"{\"external_code\":\"A-200\",\"name\":\"x\"}\n{\"external_code\":\"A-201\",\n",
        &options().format(FileFormat::JsonLines),
        "line[2].line",
    );
    // A header naming a column twice: the whole file is refused.
    refused(
        &crm,
        "product",
        b"external_code;name;name\nA-200;x;y\n",
        &options(),
        "line[1].name",
    );
}

#[test]
fn a_wrong_encoding_is_reported_by_line() {
    let crm = seeded();
    // Windows-1251 bytes in a file read as UTF-8.
    let mut cp1251 = b"external_code;name;price\nA-200;ok;1\nA-201;".to_vec();
    cp1251.extend(TextEncoding::Windows1251.encode("Аспирин", "f").unwrap());
    cp1251.extend(b";5\n");
    refused(&crm, "product", &cp1251, &options(), "line[3]");
    // A byte ARMSCII-8 does not assign, in a file read as ARMSCII-8 (0xFF after the text).
    let armscii = b"external_code;name;price\nA-200;\xb2\xeb\xff;1\n";
    refused(
        &crm,
        "product",
        armscii,
        &options().encoding(TextEncoding::Armscii8),
        "line[2]",
    );
    // UTF-8 Greek read as windows-1253: the stray bytes decode to control characters,
    // which no name may hold.
    refused(
        &crm,
        "product",
        "external_code;name;price\nA-200;Σαπούνι;1\n".as_bytes(),
        &options().encoding(TextEncoding::Windows1253),
        "line[2].name",
    );
}

#[test]
fn an_unknown_column_fails_the_whole_file() {
    let crm = seeded();
    refused(
        &crm,
        "product",
        b"external_code;name;colour\nA-200;x;red\n",
        &options(),
        "line[1].colour",
    );
    refused(
        &crm,
        "customers",
        b"external_code,name,shoe_size\nK-1,x,42\n",
        &ImportOptions::new(),
        "line[1].shoe_size",
    );
    refused(
        &crm,
        "orders",
        b"receipt;customer;product;unit_price;colour\nR-1;IR-1;A-100;1;red\n",
        &options(),
        "line[1].colour",
    );
}

#[test]
fn a_duplicate_code_within_one_file_is_reported_on_its_second_line() {
    let crm = seeded();
    refused(
        &crm,
        "product",
        "external_code;name;price\nA-200;x;1\nA-201;y;2\nA-200;z;3\n".as_bytes(),
        &options(),
        "line[4].external_code",
    );
    refused(
        &crm,
        "customers",
        "external_code,name\nK-7,Արամ\nK-7,Աննա\n".as_bytes(),
        &ImportOptions::new(),
        "line[3].external_code",
    );
    // One receipt whose lines disagree on the buyer.
    refused(
        &crm,
        "orders",
        "receipt;customer;product;unit_price\nR-1;IR-1;A-100;1\nR-1;IR-2;A-100;1\n".as_bytes(),
        &options(),
        "line[3].customer",
    );
}

#[test]
fn an_amount_that_does_not_parse_is_reported_by_field() {
    let crm = seeded();
    for bad in ["12x", "1,2,3,4x", "--5", "١٢x"] {
        refused(
            &crm,
            "product",
            format!("external_code;name;price\nA-200;x;{bad}\n").as_bytes(),
            &options(),
            "line[2].price",
        );
        refused(
            &crm,
            "orders",
            format!("receipt;customer;product;unit_price\nR-1;IR-1;A-100;{bad}\n").as_bytes(),
            &options(),
            "line[2].unit_price",
        );
    }
    // An amount in a currency the import does not know how to read.
    refused(
        &crm,
        "product",
        b"external_code;name;price\nA-200;x;5\n",
        &ImportOptions::new().delimiter(b';'),
        "line[2].price",
    );
}

#[test]
fn a_reference_to_a_missing_product_or_customer_is_reported() {
    let crm = seeded();
    refused(
        &crm,
        "price",
        "external_code;name;price_list;product;price\nP-1;x;RETAIL;NOPE;1 300\n".as_bytes(),
        &options(),
        "line[2].product",
    );
    refused(
        &crm,
        "product",
        "external_code;name;category\nA-200;x;NO-CAT\n".as_bytes(),
        &options(),
        "line[2].category",
    );
    refused(
        &crm,
        "orders",
        "receipt;customer;product;unit_price\nR-1;IR-404;A-100;1\n".as_bytes(),
        &options(),
        "line[2].customer",
    );
    // Skip-bad-rows writes the good price and reports the bad one.
    let report = crm
        .import_directory(
            "price",
            "external_code;name;price_list;product;price\nP-1;x;RETAIL;NOPE;1\nP-2;y;RETAIL;A-100;2\n"
                .as_bytes(),
            &options().mode(ImportMode::SkipBadRows),
        )
        .unwrap();
    assert_eq!(report.inserted, 1);
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].field.as_str()),
        (2, "product")
    );
}

#[test]
fn an_empty_file_is_refused_naming_file() {
    let crm = seeded();
    for kind in ["product", "customers", "orders"] {
        refused(&crm, kind, b"", &options(), "file");
        refused(&crm, kind, b"\xef\xbb\xbf\n \n", &options(), "file");
        refused(
            &crm,
            kind,
            b"",
            &options().format(FileFormat::JsonLines),
            "file",
        );
    }
    // Skipping bad rows does not make an empty file acceptable.
    refused(
        &crm,
        "customers",
        b"",
        &ImportOptions::new().mode(ImportMode::SkipBadRows),
        "file",
    );
}

/// Imports with a progress callback, returning what it was told.
fn with_progress(
    crm: &Crm,
    kind: &str,
    file: &[u8],
    options: &ImportOptions,
    stop_at: Option<usize>,
) -> (
    crmlite::Result<crmlite::import::ImportReport>,
    Vec<ImportProgress>,
) {
    let mut seen = Vec::new();
    let mut callback = |p: &ImportProgress| {
        seen.push(*p);
        if stop_at.is_some_and(|n| seen.len() >= n) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let result = match kind {
        "customers" => crm.import_customers_with_progress(file, options, &mut callback),
        "orders" => crm.import_orders_with_progress(file, options, &mut callback),
        _ => crm.import_directory_with_progress(kind, file, options, &mut callback),
    };
    (result, seen)
}

fn customers_file(n: usize) -> Vec<u8> {
    let names = ["Արամ", "ნინო", "Ελένη", "پریسا"];
    let mut file = String::from("external_code,name\n");
    for i in 0..n {
        file.push_str(&format!("P-{i},{} {i}\n", names[i % names.len()]));
    }
    file.into_bytes()
}

#[test]
fn progress_is_reported_while_reading_and_writing_and_the_report_is_unchanged() {
    let crm = seeded();
    let file = customers_file(10);
    let every3 = ImportOptions::new().progress_every(3);
    let (report, seen) = with_progress(&crm, "customers", &file, &every3, None);
    let report = report.unwrap();
    assert_eq!((report.inserted, report.rejected.len()), (10, 0));
    let total = u64::try_from(file.len()).unwrap();
    let reading: Vec<u64> = seen
        .iter()
        .filter(|p| !p.read_done)
        .map(|p| p.rows_read)
        .collect();
    assert_eq!(reading, [3, 6, 9]);
    let writing: Vec<(u64, u64)> = seen
        .iter()
        .filter(|p| p.read_done)
        .map(|p| (p.written, p.to_write))
        .collect();
    assert_eq!(writing, [(0, 0), (3, 10), (6, 10), (9, 10), (10, 10)]);
    assert!(seen.iter().all(|p| p.bytes_total == total));
    assert!(seen.windows(2).all(|w| w[0].bytes_read <= w[1].bytes_read));
    assert_eq!(seen.last().unwrap().bytes_read, total);

    // The same file again with progress: same report as without.
    let (again, _) = with_progress(&crm, "customers", &file, &every3, None);
    assert_eq!(
        again.unwrap(),
        crm.import_customers(&file, &ImportOptions::new()).unwrap()
    );

    // Directory entries and orders report their writes too (orders count receipts).
    let products = "external_code;name;price\nA-300;Ψωμί;1\nA-301;პური;2\nA-302;نان;3\n";
    let (report, seen) = with_progress(
        &crm,
        "product",
        products.as_bytes(),
        &options().progress_every(2),
        None,
    );
    assert_eq!(report.unwrap().inserted, 3);
    assert_eq!(
        seen.last().map(|p| (p.rows_read, p.written, p.to_write)),
        Some((3, 3, 3))
    );
    let history = "receipt;customer;product;quantity;unit_price\n\
                   R-1;IR-1;Ասպիրին;1;10\nR-1;IR-1;Ψωμί;2;5\nR-2;IR-1;نان;1;3\n";
    let (report, seen) = with_progress(&crm, "orders", history.as_bytes(), &options(), None);
    assert_eq!(report.unwrap().inserted, 2);
    assert_eq!(
        seen.last().map(|p| (p.rows_read, p.written, p.to_write)),
        Some((3, 2, 2))
    );
}

#[test]
fn a_progress_callback_that_stops_the_import_leaves_everything_unchanged() {
    let crm = seeded();
    let file = customers_file(10);
    let options = ImportOptions::new().progress_every(2);
    // Stopped while reading, while writing, and at the very last report before the commit.
    for stop_at in [1, 8, 12] {
        let before = snapshot(&crm);
        let (result, seen) = with_progress(&crm, "customers", &file, &options, Some(stop_at));
        let err = result.unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Validation, Some("progress"))
        );
        assert_eq!(seen.len(), stop_at);
        assert_eq!(snapshot(&crm), before, "stopped at report {stop_at}");
    }
    // Twelve reports in all: the last one was the final one.
    let (result, seen) = with_progress(&crm, "customers", &file, &options, None);
    assert_eq!(result.unwrap().inserted, 10);
    assert_eq!(seen.len(), 12);
}
