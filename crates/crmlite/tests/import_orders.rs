//! End-to-end tests of importing purchase history (orders with lines) from CSV and JSON Lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::customer::{CustomerKind, NewCustomer};
use crmlite::import::{FileFormat, ImportMode, ImportOptions, MatchBy, TextEncoding};
use crmlite::reference::EntryInput;
use crmlite::{Crm, CustomerId, EntityKind, ErrorKind, Timestamp};
use support::fresh;

fn customer(crm: &Crm, name: &str, code: &str) -> CustomerId {
    let mut new = NewCustomer::new(CustomerKind::Person, name);
    new.external_code = Some(code.to_owned());
    crm.add_customer(&new).unwrap().id
}

fn change_count(crm: &Crm) -> usize {
    crm.changes_since(0, 1000).unwrap().len()
}

/// The Greek shop's history: `;`-separated, decimal commas, three date forms, two lines
/// on one receipt, in windows-1253.
fn greek_history() -> Vec<u8> {
    let text = "receipt;customer;currency;at;product;category;quantity;unit_price;discount;channel\n\
                R-1001;GR-7;EUR;07.12.2026 14:30;Ελαιόλαδο 1L;Τρόφιμα;2;12,50;1,00;web\n\
                R-1001;GR-7;EUR;07.12.2026 14:30;Μέλι θυμαρίσιο;Τρόφιμα;1;1.250,00;;web\n\
                R-1002;GR-7;EUR;2026-12-08;Σαπούνι;Καλλυντικά;3;4,20;;till\n";
    TextEncoding::Windows1253.encode(text, "file").unwrap()
}

#[test]
fn orders_import_groups_lines_by_receipt_and_reimport_writes_nothing() {
    let (crm, _) = fresh();
    let buyer = customer(&crm, "Ελένη Παπαδοπούλου", "GR-7");
    let options = ImportOptions::new()
        .delimiter(b';')
        .encoding(TextEncoding::Windows1253);
    let report = crm.import_orders(&greek_history(), &options).unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (2, 0, 0),
        "{report:?}"
    );
    assert!(report.rejected.is_empty());

    let first = crm.order_by_external_id("R-1001").unwrap();
    assert_eq!(first.customer, buyer);
    assert_eq!(first.lines.len(), 2);
    assert_eq!(first.lines[0].product, "Ελαιόλαδο 1L");
    assert_eq!(
        (
            first.lines[0].quantity,
            first.lines[0].unit_price,
            first.lines[0].discount
        ),
        (2, 1250, 100)
    );
    assert_eq!(first.lines[1].unit_price, 125_000);
    assert_eq!(first.total.minor, 2400 + 125_000);
    assert_eq!(first.channel, "web");
    assert_eq!(
        first.at,
        Timestamp::parse_rfc3339("2026-12-07T14:30:00Z", "at").unwrap()
    );
    let second = crm.order_by_external_id("R-1002").unwrap();
    assert_eq!(
        second.at,
        Timestamp::parse_rfc3339("2026-12-08T00:00:00Z", "at").unwrap()
    );
    assert_eq!(second.total.minor, 1260);
    let facts = crm.customer_facts(buyer).unwrap();
    assert_eq!(facts.order_count, 2);

    let seqs = change_count(&crm);
    let again = crm.import_orders(&greek_history(), &options).unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(change_count(&crm), seqs, "a re-import records no change");
    assert_eq!(crm.customer_facts(buyer).unwrap().order_count, 2);
}

#[test]
fn orders_import_reads_persian_digits_and_finds_buyers_by_external_id() {
    let (crm, _) = fresh();
    let buyer = customer(&crm, "نگار رضایی", "IR-1");
    crm.map_external_id("hesabdari", "۹۰۱", EntityKind::Customer, buyer.0)
        .unwrap();
    let file = concat!(
        r#"{"receipt":"فاکتور-۱۴","customer":"۹۰۱","at":"۱۴۰۵/۰۹/۱۶","product":"کرم مرطوب‌کننده","quantity":"۲","unit_price":"۱٬۲۵۰٫۵۰"}"#,
        "\n",
        r#"{"receipt":"فاکتور-۱۴","customer":"۹۰۱","at":"۱۴۰۵/۰۹/۱۶","product":"رژ لب","quantity":1,"unit_price":"۹۹۰"}"#,
        "\n"
    );
    // The Persian calendar date is not a Gregorian date: the import reports it.
    let options = ImportOptions::new()
        .format(FileFormat::JsonLines)
        .match_by(MatchBy::ExternalId("hesabdari".into()))
        .currency(crmlite::Currency::parse("EUR", "c").unwrap());
    let before = change_count(&crm);
    let err = crm.import_orders(file.as_bytes(), &options).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("line[1].at"));
    assert_eq!(change_count(&crm), before);

    let fixed = file.replace("۱۴۰۵/۰۹/۱۶", "۲۰۲۶-۱۲-۰۷ ۰۹:۱۵");
    let report = crm.import_orders(fixed.as_bytes(), &options).unwrap();
    assert_eq!(report.inserted, 1, "{report:?}");
    let order = crm.order_by_external_id("فاکتور-۱۴").unwrap();
    assert_eq!(order.customer, buyer);
    assert_eq!(order.currency.code(), "EUR");
    assert_eq!(
        (order.lines[0].quantity, order.lines[0].unit_price),
        (2, 125_050)
    );
    assert_eq!(order.lines[1].unit_price, 99_000);
    assert_eq!(
        order.at,
        Timestamp::parse_rfc3339("2026-12-07T09:15:00Z", "at").unwrap()
    );
}

#[test]
fn bad_order_rows_are_reported_and_all_or_nothing_writes_nothing() {
    let (crm, _) = fresh();
    customer(&crm, "Նարեկ Սարգսյան", "AM-1");
    let file = "receipt,customer,currency,at,product,quantity,unit_price,discount\n\
                K-1,AM-1,AMD,2026-12-01,Ասպիրին,1,500,\n\
                K-2,AM-1,AMD,2026-12-02,Վիտամին,2,abc,\n\
                K-3,NOBODY,AMD,2026-12-02,Թեյ,1,100,\n\
                K-4,AM-1,AMD,2026-12-03,Սիրոպ,1,100,250\n\
                K-5,AM-1,AMD,2026-12-03,Քսուք,1,100,\n\
                K-5,AM-1,USD,2026-12-03,Օճառ,1,100,\n";
    let before = change_count(&crm);
    let err = crm
        .import_orders(file.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[3].unit_price"));
    assert_eq!(change_count(&crm), before, "all-or-nothing wrote nothing");
    assert_eq!(
        crm.order_by_external_id("K-1").unwrap_err().kind(),
        ErrorKind::NotFound
    );

    let skip = ImportOptions::new().mode(ImportMode::SkipBadRows);
    let report = crm.import_orders(file.as_bytes(), &skip).unwrap();
    assert_eq!(report.inserted, 1);
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, "unit_price"),
            (4, "customer"),
            (5, "discount"),
            (7, "currency")
        ],
        "{report:?}"
    );
    assert!(report.rejected[1].reason.contains("NOBODY"));
    assert!(report.rejected[3].reason.contains("line 6"));
    assert!(crm.order_by_external_id("K-1").is_ok());
    assert_eq!(
        crm.order_by_external_id("K-5").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn a_receipt_stored_with_other_content_is_rejected() {
    let (crm, _) = fresh();
    customer(&crm, "ნინო ბერიძე", "GE-1");
    let file = "receipt,customer,currency,product,unit_price\nT-1,GE-1,GEL,სკამი,\"150,00\"\n";
    assert_eq!(
        crm.import_orders(file.as_bytes(), &ImportOptions::new())
            .unwrap()
            .inserted,
        1
    );
    let before = change_count(&crm);
    let changed = file.replace("150,00", "175,00");
    let err = crm
        .import_orders(changed.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].receipt"));
    assert_eq!(change_count(&crm), before);
    let missing = "receipt,customer,currency,product\nT-2,GE-1,GEL,მაგიდა\n";
    let err = crm
        .import_orders(missing.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].unit_price"));
    let unknown = "receipt,customer,colour\nT-3,GE-1,red\n";
    assert_eq!(
        crm.import_orders(unknown.as_bytes(), &ImportOptions::new())
            .unwrap_err()
            .field(),
        Some("line[1].colour")
    );
}

#[test]
fn imported_lost_reasons_are_the_ones_deals_use() {
    let (crm, _) = fresh();
    crm.add_lost_reason("Ακριβό").unwrap();
    let file = "external_code,name\nLR-1,Ακριβό\nLR-2,Δεν απάντησε\nLR-3,Επέλεξε ανταγωνιστή\n";
    let report = crm
        .import_directory("lost_reason", file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(report.inserted, 3);
    let names = |crm: &Crm| {
        crm.lost_reasons()
            .unwrap()
            .into_iter()
            .map(|r| (r.name, r.retired))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&crm),
        vec![
            ("Ακριβό".to_owned(), false),
            ("Δεν απάντησε".to_owned(), false),
            ("Επέλεξε ανταγωνιστή".to_owned(), false)
        ],
        "the reason that already existed is not added twice"
    );
    let seqs = change_count(&crm);
    crm.import_directory("lost_reason", file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(change_count(&crm), seqs, "a re-import touches neither list");

    let renamed = "external_code,name,archived\nLR-2,Δεν απαντά,no\nLR-3,Επέλεξε ανταγωνιστή,yes\n";
    let report = crm
        .import_directory("lost_reason", renamed.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(report.updated, 2);
    assert_eq!(
        names(&crm)[1..],
        [
            ("Δεν απαντά".to_owned(), false),
            ("Επέλεξε ανταγωνιστή".to_owned(), true)
        ],
        "renaming an entry renames the reason and archiving retires it"
    );
    crm.set_entry_archived("lost_reason", "LR-3", false)
        .unwrap();
    assert!(!crm.lost_reasons().unwrap()[2].retired);
    crm.delete_entry("lost_reason", "LR-3").unwrap();
    assert!(
        crm.lost_reasons().unwrap()[2].retired,
        "deals lost for it keep it, retired"
    );

    // A rename onto another reason's name is rejected with the row, and nothing changes.
    let clash = "external_code,name\nLR-2,Ακριβό\n";
    let before = (names(&crm), change_count(&crm));
    let err = crm
        .import_directory("lost_reason", clash.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].name"));
    assert_eq!((names(&crm), change_count(&crm)), before);
}

/// Every change seq of the feed, read page by page.
fn all_seqs(crm: &Crm) -> Vec<i64> {
    let mut seqs = Vec::new();
    loop {
        let page = crm
            .changes_since(seqs.last().copied().unwrap_or(0), 1000)
            .unwrap();
        if page.is_empty() {
            return seqs;
        }
        seqs.extend(page.iter().map(|c| c.seq));
    }
}

#[test]
fn a_bulk_orders_import_into_an_empty_table_takes_the_fast_path_and_reimports_as_unchanged() {
    let (crm, _) = fresh();
    let buyers: Vec<CustomerId> = (0..30)
        .map(|i| customer(&crm, &format!("Արմեն Պետրոսյան {i}"), &format!("AM-{i}")))
        .collect();
    let mut file = String::from("receipt,customer,currency,at,product,quantity,unit_price\n");
    for i in 0..1200 {
        let buyer = i % 30;
        file.push_str(&format!(
            "ՉԵԿ-{i},AM-{buyer},AMD,2026-11-{:02} 10:00,Պարացետամոլ,1,1 500\n",
            1 + i % 28
        ));
        if i % 3 == 0 {
            file.push_str(&format!(
                "ՉԵԿ-{i},AM-{buyer},AMD,2026-11-{:02} 10:00,Վիտամին C,2,\"2 000,50\"\n",
                1 + i % 28
            ));
        }
    }
    let report = crm
        .import_orders(file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(
        (report.inserted, report.fast_path),
        (1200, true),
        "{report:?}"
    );
    let order = crm.order_by_external_id("ՉԵԿ-999").unwrap();
    assert_eq!((order.customer, order.lines.len()), (buyers[9], 2));
    assert_eq!(order.total.minor, 150_000 + 2 * 200_050);
    assert_eq!(crm.customer_facts(buyers[9]).unwrap().order_count, 40);
    let seqs = all_seqs(&crm);

    let again = crm
        .import_orders(file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(
        (again.inserted, again.unchanged, again.fast_path),
        (0, 1200, false)
    );
    assert_eq!(all_seqs(&crm), seqs, "a re-import records no change");
    // The receipt index is back: a resent receipt with other content is still refused.
    let clash = "receipt,customer,currency,product,unit_price\nՉԵԿ-5,AM-5,AMD,Այլ,1\n";
    let err = crm
        .import_orders(clash.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].receipt"));
    assert!(crm.verify().unwrap().ok());
}

#[test]
fn with_known_products_an_order_line_must_name_an_active_product_code() {
    let (crm, _) = fresh();
    let buyer = customer(&crm, "Նարեկ Սարգսյան", "AM-1");
    crm.upsert_entry("product", &EntryInput::new("Ասպիրին", "Ասպիրին 500մգ"))
        .unwrap();
    crm.upsert_entry("product", &EntryInput::new("ჩაი", "მწვანე ჩაი"))
        .unwrap();
    crm.upsert_entry("product", &EntryInput::new("Μέλι", "Μέλι θυμαρίσιο"))
        .unwrap();
    crm.set_entry_archived("product", "Μέλι", true).unwrap();
    let file = "receipt,customer,currency,at,product,quantity,unit_price\n\
                K-1,AM-1,AMD,2026-12-01,Ասպիրին,1,500\n\
                K-1,AM-1,AMD,2026-12-01,ჩაი,2,300\n\
                K-2,AM-1,AMD,2026-12-02,ჩაი,1,300\n\
                K-2,AM-1,AMD,2026-12-02,زعفران,1,900\n\
                K-3,AM-1,AMD,2026-12-03,Μέλι,1,700\n\
                K-4,AM-1,AMD,2026-12-04,ჩაი,3,300\n";

    let before = change_count(&crm);
    let known = ImportOptions::new().known_products(true);
    let err = crm.import_orders(file.as_bytes(), &known).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("line[5].product"), "{err}");
    assert!(err.to_string().contains("زعفران"), "{err}");
    assert_eq!(change_count(&crm), before, "all-or-nothing wrote nothing");
    assert_eq!(crm.customer_facts(buyer).unwrap().order_count, 0);

    let skip = known.clone().mode(ImportMode::SkipBadRows);
    let report = crm.import_orders(file.as_bytes(), &skip).unwrap();
    assert_eq!(report.inserted, 2, "{report:?}");
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(rejected, vec![(5, "product"), (6, "product")], "{report:?}");
    assert!(report.rejected[0].reason.contains("\"زعفران\""));
    assert!(report.rejected[1].reason.contains("archived"));
    assert!(report.rejected[1].reason.contains("Μέλι"));
    assert_eq!(crm.order_by_external_id("K-1").unwrap().lines.len(), 2);
    assert!(crm.order_by_external_id("K-4").is_ok());
    for receipt in ["K-2", "K-3"] {
        assert_eq!(
            crm.order_by_external_id(receipt).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }
    assert_eq!(crm.customer_facts(buyer).unwrap().order_count, 2);

    // Without the option the same file imports the two other receipts as free text.
    let report = crm
        .import_orders(
            file.as_bytes(),
            &ImportOptions::new().mode(ImportMode::SkipBadRows),
        )
        .unwrap();
    assert_eq!((report.inserted, report.unchanged), (2, 2), "{report:?}");
    assert!(report.rejected.is_empty());
    assert_eq!(
        crm.order_by_external_id("K-2").unwrap().lines[1].product,
        "زعفران"
    );
}
