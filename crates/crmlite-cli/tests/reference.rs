//! CLI tests of directory kinds and entries one at a time, external ids of any record and
//! sync pull of orders.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;

mod common;

use common::{TempDir, crmlite};

fn change_count(dir: &Path) -> usize {
    crmlite(dir, &["--json", "changes", "--limit", "1000"]).json()["items"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn directory_kinds_and_entries_one_at_a_time() {
    let tmp = TempDir::new("entries");
    let dir = tmp.path();
    let kind = crmlite(
        dir,
        &[
            "--json",
            "directory",
            "define",
            "warehouse",
            "Պահեստ",
            "--field",
            "capacity:integer!",
            "--field",
            "store:reference:store",
        ],
    )
    .json();
    assert_eq!(kind["fields"][0]["name"], "capacity");
    assert_eq!(kind["fields"][0]["required"], true);
    crmlite(
        dir,
        &[
            "directory",
            "define",
            "rack",
            "Rack",
            "--field",
            "size:float",
        ],
    )
    .fails(2, &["fields[0].type"]);
    crmlite(dir, &["directory", "define", "warehouse", "again"]).fails(4, &["warehouse"]);
    let shown = crmlite(dir, &["directory", "show", "warehouse"])
        .ok()
        .to_owned();
    assert!(shown.contains("reference:store"), "{shown}");
    crmlite(dir, &["directory", "show", "planet"]).fails(3, &["planet"]);

    crmlite(dir, &["entries", "upsert", "store", "ST-1", "Երևան"]).ok();
    let up = crmlite(
        dir,
        &[
            "--json",
            "entries",
            "upsert",
            "warehouse",
            "W-1",
            "Կենտրոն",
            "--field",
            "capacity=۱۲۰",
            "--field",
            "store=ST-1",
        ],
    )
    .json();
    assert_eq!(up["outcome"], "inserted");
    let id = up["entry"]["id"].as_i64().unwrap().to_string();
    let before = change_count(dir);
    let same = crmlite(
        dir,
        &[
            "entries",
            "upsert",
            "warehouse",
            "W-1",
            "Կենտրոն",
            "--field",
            "capacity=120",
            "--field",
            "store=ST-1",
        ],
    );
    assert!(
        same.ok().starts_with("unchanged warehouse W-1"),
        "{}",
        same.stdout
    );
    crmlite(
        dir,
        &[
            "entries",
            "upsert",
            "warehouse",
            "W-2",
            "x",
            "--field",
            "capacity=many",
        ],
    )
    .fails(2, &["fields.capacity"]);
    assert_eq!(change_count(dir), before);
    let got = crmlite(dir, &["entries", "get", "warehouse", "--id", &id])
        .ok()
        .to_owned();
    assert!(got.contains("Կենտրոն") && got.contains("120"), "{got}");
    crmlite(dir, &["entries", "delete", "store", "ST-1"]).fails(4, &["archive"]);
    crmlite(dir, &["entries", "archive", "store", "ST-1"]).ok();
    let active = crmlite(dir, &["--json", "entries", "list", "store"]).json();
    assert!(active["items"].as_array().unwrap().is_empty());
    let all = crmlite(dir, &["--json", "entries", "list", "store", "--archived"]).json();
    assert_eq!(all["items"][0]["archived"], true);
    crmlite(dir, &["entries", "delete", "warehouse", "W-1"]).ok();
    crmlite(dir, &["entries", "get", "warehouse", "W-1"]).fails(3, &["W-1"]);

    crmlite(dir, &["entries", "upsert", "product", "SOAP", "Σαπούνι"]).ok();
    crmlite(
        dir,
        &[
            "entries",
            "upsert",
            "price_list",
            "RETAIL",
            "Λιανική",
            "--field",
            "currency=EUR",
        ],
    )
    .ok();
    crmlite(
        dir,
        &[
            "entries",
            "upsert",
            "price",
            "RETAIL-SOAP",
            "Σαπούνι",
            "--field",
            "price_list=RETAIL",
            "--field",
            "product=SOAP",
            "--field",
            "price=2,80 EUR",
            "--field",
            "valid_from=01.12.2026",
        ],
    )
    .ok();
    let price = crmlite(dir, &["entries", "price", "RETAIL", "SOAP", "2026-12-07"]);
    assert_eq!(price.ok().trim(), "2.80 EUR");
    let none = crmlite(dir, &["entries", "price", "RETAIL", "SOAP", "2026-11-07"]);
    assert_eq!(none.ok().trim(), "no price");
    crmlite(dir, &["entries", "price", "RETAIL", "SOAP", "7.12.2026"]).fails(2, &["date"]);
}

#[test]
fn external_ids_of_orders_and_customers_both_ways_and_orders_in_sync_pull() {
    let tmp = TempDir::new("external-ids");
    let dir = tmp.path();
    std::fs::write(
        dir.join("people.csv"),
        "external_code,name\nIR-1,شیرین احمدی\n",
    )
    .unwrap();
    crmlite(dir, &["import", "customers", "people.csv"]).ok();
    std::fs::write(
        dir.join("orders.csv"),
        "receipt,customer,currency,product,quantity,unit_price\nف-۱,IR-1,IRR,چای,۲,۱۲۰٬۰۰۰\n",
    )
    .unwrap();
    crmlite(dir, &["import", "orders", "orders.csv"]).ok();
    let seqs = change_count(dir);
    let again = crmlite(dir, &["import", "orders", "orders.csv"]);
    assert!(
        again.ok().starts_with("inserted 0, updated 0, unchanged 1"),
        "{}",
        again.stdout
    );
    assert_eq!(change_count(dir), seqs, "a re-import records no change");

    crmlite(dir, &["external-ids", "map", "1c", "ДОК-1", "order", "1"]).ok();
    crmlite(
        dir,
        &["external-ids", "map", "quickbooks", "qb-1", "order", "1"],
    )
    .ok();
    crmlite(dir, &["external-ids", "map", "1c", "К-1", "customer", "1"]).ok();
    let found = crmlite(dir, &["--json", "external-ids", "resolve", "1c", "ДОК-1"]).json();
    assert_eq!(found[0]["entity"], "order");
    assert_eq!(found[0]["entity_id"], 1);
    let listed = crmlite(dir, &["--json", "external-ids", "list", "order", "1"]).json();
    let systems: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["system"].as_str().unwrap())
        .collect();
    assert_eq!(systems, vec!["1c", "quickbooks"]);

    let before = change_count(dir);
    crmlite(
        dir,
        &["external-ids", "map", "1c", "ДОК-1", "customer", "1"],
    )
    .fails(4, &["external_id"]);
    crmlite(dir, &["external-ids", "map", "1c", "X", "deal", "7"]).fails(3, &["deal 7"]);
    crmlite(dir, &["external-ids", "map", "1c", "X", "planet", "1"]).fails(2, &["entity"]);
    crmlite(dir, &["external-ids", "list", "order", "99"]).fails(3, &["order 99"]);
    assert_eq!(change_count(dir), before);
    crmlite(dir, &["external-ids", "unmap", "quickbooks", "qb-1"]).ok();
    crmlite(dir, &["external-ids", "unmap", "quickbooks", "qb-1"]).fails(3, &["qb-1"]);
    crmlite(dir, &["external-ids", "resolve", "quickbooks", "qb-1"]).fails(3, &["qb-1"]);

    let pulled = crmlite(dir, &["sync", "pull", "accounting"])
        .ok()
        .to_owned();
    let order = pulled
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["record"]["type"] == "order")
        .unwrap();
    assert_eq!(order["record"]["record"]["external_id"], "ف-۱");
    assert_eq!(order["record"]["record"]["lines"][0]["product"], "چای");
    let exported = crmlite(
        dir,
        &[
            "sync",
            "export",
            "accounting",
            "--delimiter",
            ";",
            "--out",
            "changes.csv",
        ],
    );
    exported.ok();
    let csv = std::fs::read_to_string(dir.join("changes.csv")).unwrap();
    assert!(
        csv.starts_with("seq;at;op;entity;entity_id;type;record\n1;"),
        "{csv}"
    );
    assert!(csv.contains(";insert;order;1;order;"), "{csv}");
    crmlite(
        dir,
        &["sync", "export", "accounting", "--encoding", "windows-1251"],
    )
    .fails(2, &["changes["]);
    let last = pulled.lines().last().unwrap();
    assert!(
        last.contains("\"op\":\"delete\"") && last.contains("\"tombstone\""),
        "{last}"
    );
}

#[test]
fn an_armscii8_file_imports_once() {
    let tmp = TempDir::new("armscii");
    let dir = tmp.path();
    // Ասպիրին in ARMSCII-8, a decimal comma and a thousands space.
    let mut file = b"external_code;name;price\nA-100;".to_vec();
    file.extend([0xB2, 0xEB, 0xE5, 0xC7, 0xF1, 0xC7, 0xDD]);
    file.extend(b";1 250,50\n");
    std::fs::write(dir.join("products.csv"), file).unwrap();
    let args = [
        "import",
        "product",
        "products.csv",
        "--encoding",
        "armscii-8",
        "--delimiter",
        ";",
        "--currency",
        "AMD",
    ];
    assert!(
        crmlite(dir, &args)
            .ok()
            .starts_with("inserted 1, updated 0, unchanged 0, rejected 0")
    );
    let shown = crmlite(dir, &["--json", "entries", "get", "product", "A-100"]).json();
    assert_eq!(shown["name"], "Ասպիրին");
    assert_eq!(shown["fields"]["price"]["value"]["minor"], 125_050);
    let before = change_count(dir);
    assert!(
        crmlite(dir, &args)
            .ok()
            .starts_with("inserted 0, updated 0, unchanged 1, rejected 0")
    );
    assert_eq!(change_count(dir), before);
}

#[test]
fn import_shows_progress_on_stderr_and_keeps_the_summary() {
    let tmp = TempDir::new("progress");
    let dir = tmp.path();
    let names = ["Արամ", "ნინო", "Ελένη", "پریسا"];
    let mut file = String::from("external_code,name\n");
    for i in 0..50 {
        file.push_str(&format!("P-{i},{} {i}\n", names[i % 4]));
    }
    std::fs::write(dir.join("people.csv"), &file).unwrap();
    std::fs::write(dir.join("more.csv"), file.replace("P-", "Q-")).unwrap();
    let plain = crmlite(dir, &["import", "customers", "people.csv"]);
    assert_eq!(
        plain.ok(),
        "inserted 50, updated 0, unchanged 0, rejected 0 (fast path)\n"
    );
    // Not a terminal: no bar unless asked for.
    assert_eq!(plain.stderr, "");
    let shown = crmlite(dir, &["import", "customers", "more.csv", "--progress"]);
    assert_eq!(
        shown.ok(),
        "inserted 50, updated 0, unchanged 0, rejected 0\n"
    );
    assert!(shown.stderr.contains("reading"), "{}", shown.stderr);
    assert!(
        shown.stderr.contains("100% writing 50 of 50 records"),
        "{}",
        shown.stderr
    );
    assert!(shown.stderr.ends_with('\n'));
    // JSON on stdout stays clean too.
    let json = crmlite(
        dir,
        &["--json", "import", "customers", "more.csv", "--progress"],
    );
    assert_eq!(json.json()["unchanged"], 50);
    assert!(json.stderr.contains("writing"));
}

#[test]
fn an_empty_import_file_is_refused() {
    let tmp = TempDir::new("empty-import");
    let dir = tmp.path();
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    for kind in ["product", "customers", "orders"] {
        crmlite(dir, &["import", kind, "empty.csv"]).fails(2, &["file", "empty"]);
    }
    assert_eq!(change_count(dir), 0);
}

#[test]
fn known_products_rejects_order_lines_naming_no_active_product() {
    let tmp = TempDir::new("known-products");
    let dir = tmp.path();
    std::fs::write(
        dir.join("people.csv"),
        "external_code,name\nIR-1,شیرین احمدی\n",
    )
    .unwrap();
    crmlite(dir, &["import", "customers", "people.csv"]).ok();
    crmlite(dir, &["entries", "upsert", "product", "ჩაი", "მწვანე ჩაი"]).ok();
    crmlite(
        dir,
        &["entries", "upsert", "product", "Μέλι", "Μέλι θυμαρίσιο"],
    )
    .ok();
    crmlite(dir, &["entries", "archive", "product", "Μέλι"]).ok();
    std::fs::write(
        dir.join("orders.csv"),
        "receipt,customer,currency,product,quantity,unit_price\n\
         R-1,IR-1,EUR,ჩაი,1,2\n\
         R-2,IR-1,EUR,زعفران,1,9\n\
         R-3,IR-1,EUR,Μέλι,1,8\n",
    )
    .unwrap();
    let before = change_count(dir);
    crmlite(dir, &["import", "orders", "orders.csv", "--known-products"])
        .fails(2, &["line[3].product", "زعفران"]);
    assert_eq!(change_count(dir), before, "all-or-nothing wrote nothing");

    let report = crmlite(
        dir,
        &[
            "--json",
            "import",
            "orders",
            "orders.csv",
            "--known-products",
            "--skip-bad-rows",
        ],
    )
    .json();
    assert_eq!(report["inserted"], 1);
    let rejected = report["rejected"].as_array().unwrap();
    let at: Vec<(u64, &str)> = rejected
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(at, vec![(3, "product"), (4, "product")]);
    assert!(rejected[1]["reason"].as_str().unwrap().contains("archived"));

    // Without the flag the free-text products are taken.
    let plain = crmlite(dir, &["--json", "import", "orders", "orders.csv"]).json();
    assert_eq!(
        (plain["inserted"].as_u64(), plain["unchanged"].as_u64()),
        (Some(2), Some(1))
    );
}
