//! End-to-end tests of the `crmlite` binary: each test runs it in its own temp directory.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;

use common::{TempDir, crmlite};

/// The number of customers and of change-feed entries: what "nothing changed" compares.
fn state(dir: &Path) -> (usize, usize) {
    let customers = crmlite(dir, &["--json", "customers", "list", "--limit", "1000"]).json();
    let changes = crmlite(dir, &["--json", "changes", "--limit", "1000"]).json();
    (
        customers["items"].as_array().unwrap().len(),
        changes["items"].as_array().unwrap().len(),
    )
}

/// The line of the tour's search table that starts with `query`.
fn search_line<'a>(tour: &'a str, query: &str) -> &'a str {
    tour.lines()
        .find(|l| l.trim_start().starts_with(&format!("{query} ")))
        .unwrap_or_else(|| panic!("no search line for {query} in:\n{tour}"))
}

fn add_giorgos(dir: &Path) -> Value {
    crmlite(
        dir,
        &[
            "--json",
            "customers",
            "add",
            "--name",
            "Γιώργος Παπαδόπουλος",
            "--phone",
            "+30 694 123 4567",
            "--email",
            "giorgos@athens.example",
            "--tag",
            "vip",
            "--language",
            "el",
            "--birthday",
            "1980-04-23",
            "--code",
            "GR-1",
            "--attr",
            "shoe_size=integer:43",
            "--attr",
            "credit=money:1 250,50 EUR",
        ],
    )
    .json()
}

#[test]
fn demo_fills_an_empty_database_and_tours_it() {
    let tmp = TempDir::new("demo");
    let run = crmlite(tmp.path(), &["demo", "demo.db"]);
    let tour = run.ok();
    assert!(tour.contains("40 people, 8 organisations"), "{tour}");

    let greek = search_line(tour, "γιωργος");
    assert!(
        greek.contains("Γιώργος Παπαδόπουλος") && greek.contains("ΓΙΩΡΓΟΣ ΝΙΚΟΛΑΟΥ"),
        "{greek}"
    );
    let georgian = search_line(tour, "ნინო");
    assert!(
        georgian.contains("ნინო ბერიძე") && georgian.contains("ᲜᲘᲜᲝ ᲙᲐᲞᲐᲜᲐᲫᲔ"),
        "{georgian}"
    );
    let persian = search_line(tour, "علی");
    assert!(
        persian.contains("علي رضايي") && persian.contains("علی محمدی"),
        "{persian}"
    );
    let armenian = search_line(tour, "պետրոսյան");
    assert!(
        armenian.contains("Արամ Պետրոսյան") && armenian.contains("ԼՈՒՍԻՆԵ ՊԵՏՐՈՍՅԱՆ"),
        "{armenian}"
    );
    assert!(search_line(tour, "weiss").contains("Jürgen Weiß"));

    assert!(
        tour.contains("Γιώργος Παπαδόπουλος (person, version 1)"),
        "card missing:\n{tour}"
    );
    assert!(
        tour.contains("694 123 4567 (+306941234567)"),
        "local phone missing:\n{tour}"
    );
    assert!(tour.contains("timeline of #11 ავეჯის სახლი"), "{tour}");
    assert!(
        tour.contains("ნინო ბერიძე joined ავეჯის სახლი as director"),
        "{tour}"
    );
    assert!(tour.contains("The latest changes"), "{tour}");

    // Persian digits were typed with the IR region of their batch.
    let ali = crmlite(
        tmp.path(),
        &[
            "--db",
            "demo.db",
            "--json",
            "customers",
            "show",
            "--code",
            "IR-P-01",
        ],
    )
    .json();
    assert_eq!(ali["customer"]["phones"][0]["e164"], "+989123456789");
    assert_eq!(ali["customer"]["phones"][0]["raw"], "۰۹۱۲ ۳۴۵ ۶۷۸۹");
    assert_eq!(ali["links"][0]["role"], "director");

    // A second run refuses and writes nothing.
    let before = state_of(tmp.path(), "demo.db");
    let again = crmlite(tmp.path(), &["demo", "demo.db"]);
    assert_eq!(again.code, 4, "{again:?}");
    assert!(
        again.stderr.starts_with("error: ") && again.stderr.contains("already holds customers"),
        "{}",
        again.stderr
    );
    assert_eq!(state_of(tmp.path(), "demo.db"), before);
    assert_eq!(before.0, 48);
}

/// Like [`state`] for a named database file.
fn state_of(dir: &Path, db: &str) -> (usize, usize) {
    let customers = crmlite(
        dir,
        &["--db", db, "--json", "customers", "list", "--limit", "1000"],
    )
    .json();
    let changes = crmlite(dir, &["--db", db, "--json", "changes", "--limit", "1000"]).json();
    (
        customers["items"].as_array().unwrap().len(),
        changes["items"].as_array().unwrap().len(),
    )
}

#[test]
fn demo_is_reproducible_with_a_fixed_clock_and_has_a_json_tour() {
    let tmp = TempDir::new("demo-repro");
    let a = crmlite(tmp.path(), &["demo", "a.db"])
        .ok()
        .replace("a.db", "X");
    let b = crmlite(tmp.path(), &["demo", "b.db"])
        .ok()
        .replace("b.db", "X");
    assert_eq!(a, b);

    let tour = crmlite(tmp.path(), &["--json", "demo", "c.db"]).json();
    assert_eq!(tour["counts"]["people"], 40);
    assert_eq!(tour["counts"]["organisations"], 8);
    let greek = &tour["searches"][0];
    assert_eq!(greek["query"], "γιωργος");
    let names: Vec<&str> = greek["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Γιώργος Παπαδόπουλος") && names.contains(&"ΓΙΩΡΓΟΣ ΝΙΚΟΛΑΟΥ"),
        "{names:?}"
    );
    assert_eq!(tour["card"]["customer"]["name"], "Γιώργος Παπαδόπουλος");
    assert_eq!(tour["recent_changes"].as_array().unwrap().len(), 5);
}

#[test]
fn add_find_show_and_update_with_optimistic_versions() {
    let tmp = TempDir::new("crud");
    let dir = tmp.path();
    let card = add_giorgos(dir);
    assert_eq!(card["links"], serde_json::json!([]));
    let added = &card["customer"];
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["version"], 1);
    assert_eq!(added["phones"][0]["e164"], "+306941234567");
    assert_eq!(
        added["attributes"]["shoe_size"],
        serde_json::json!({ "type": "integer", "value": 43 })
    );
    assert_eq!(added["attributes"]["credit"]["value"]["minor"], 125_050);

    let found = crmlite(dir, &["--json", "customers", "find", "ΓΙΩΡΓΟΣ"]).json();
    assert_eq!(found["items"][0]["id"], id);
    let human = crmlite(dir, &["customers", "find", "γιωργος", "παπα"]);
    assert!(human.ok().contains("Γιώργος Παπαδόπουλος"), "{human:?}");
    assert!(
        crmlite(dir, &["customers", "find", "ნინო"])
            .ok()
            .contains("no customer matches")
    );

    let shown = crmlite(dir, &["--json", "customers", "show", &id.to_string()]).json();
    assert_eq!(shown["customer"]["name"], "Γιώργος Παπαδόπουλος");
    let by_code = crmlite(dir, &["--json", "customers", "show", "--code", "GR-1"]).json();
    assert_eq!(by_code["customer"]["id"], id);
    let by_phone = crmlite(
        dir,
        &[
            "--region",
            "GR",
            "--json",
            "customers",
            "show",
            "--phone",
            "694 123 4567",
        ],
    )
    .json();
    assert_eq!(by_phone["items"][0]["customer"]["id"], id);
    let by_email = crmlite(
        dir,
        &["customers", "show", "--email", "giorgos@ATHENS.example"],
    );
    assert!(
        by_email
            .ok()
            .contains("#1 Γιώργος Παπαδόπουλος (person, version 1)"),
        "{by_email:?}"
    );

    let id = id.to_string();
    let updated = crmlite(
        dir,
        &[
            "--json",
            "customers",
            "update",
            &id,
            "--version",
            "1",
            "--name",
            "Γιώργος Π.",
            "--tag",
            "newsletter",
            "--tag",
            "vip",
        ],
    )
    .json();
    let updated = &updated["customer"];
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["tags"], serde_json::json!(["newsletter", "vip"]));

    let before = state(dir);
    let stale = crmlite(
        dir,
        &[
            "customers",
            "update",
            &id,
            "--version",
            "1",
            "--name",
            "Stale",
        ],
    );
    assert_eq!(stale.code, 4, "{stale:?}");
    assert!(
        stale.stderr.starts_with("error: conflict:") && stale.stderr.contains("version 2"),
        "{}",
        stale.stderr
    );
    assert_eq!(state(dir), before);
    let after = crmlite(dir, &["--json", "customers", "show", &id]).json();
    assert_eq!(after["customer"]["name"], "Γιώργος Π.");
    assert_eq!(after["customer"]["version"], 2);

    let duplicate = crmlite(
        dir,
        &["customers", "add", "--name", "Άλλος", "--code", "GR-1"],
    );
    assert_eq!(duplicate.code, 4, "{duplicate:?}");
    assert_eq!(state(dir), before);
}

#[test]
fn bad_input_exits_2_naming_the_field_and_changes_nothing() {
    let tmp = TempDir::new("bad-input");
    let dir = tmp.path();
    add_giorgos(dir);
    let before = state(dir);

    let cases: &[(&[&str], &str)] = &[
        (
            &["customers", "add", "--name", "Արամ", "--phone", "12345"],
            "phones[0]",
        ),
        (
            &[
                "--region",
                "IR",
                "customers",
                "add",
                "--name",
                "علی",
                "--phone",
                "۰۹۱۲",
            ],
            "phones[0]",
        ),
        (
            &[
                "customers",
                "add",
                "--name",
                "Արամ",
                "--phone",
                "+374 77 123456",
                "--phone",
                "abc",
            ],
            "phones[1]",
        ),
        (
            &[
                "customers",
                "add",
                "--name",
                "ნინო",
                "--email",
                "not-an-address",
            ],
            "emails[0]",
        ),
        (
            &[
                "customers",
                "add",
                "--name",
                "ნინო",
                "--birthday",
                "1990-13-01",
            ],
            "birthday",
        ),
        (
            &[
                "customers",
                "add",
                "--name",
                "ნინო",
                "--attr",
                "size=integer:big",
            ],
            "attributes.size",
        ),
        (
            &[
                "customers",
                "add",
                "--name",
                "ნინო",
                "--attr",
                "credit=money:12 XYZ",
            ],
            "attributes.credit",
        ),
        (
            &["customers", "add", "--name", "ნინო", "--kind", "robot"],
            "kind",
        ),
        (&["customers", "add", "--name", "   "], "name"),
        (
            &[
                "customers",
                "update",
                "1",
                "--version",
                "1",
                "--phone",
                "12",
            ],
            "phones[0]",
        ),
        (&["customers", "update", "1", "--version", "1"], "update"),
        (&["customers", "list", "--limit", "0"], "limit"),
        (
            &["timeline", "add", "1", "--kind", "fax", "--summary", "x"],
            "kind",
        ),
        (
            &[
                "timeline",
                "add",
                "1",
                "--kind",
                "call",
                "--summary",
                "x",
                "--at",
                "yesterday",
            ],
            "at",
        ),
        (&["--region", "XX", "customers", "list"], "default_region"),
        (&["--cache-mib", "0", "customers", "list"], "cache_mib"),
        (&["--cache-mib", "65537", "customers", "list"], "cache_mib"),
    ];
    for (args, field) in cases {
        let run = crmlite(dir, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.starts_with(&format!("error: invalid {field}:")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(state(dir), before);

    // clap's own usage errors use 2 as well.
    assert_eq!(
        crmlite(dir, &["customers", "update", "1", "--name", "x"]).code,
        2
    );
    assert_eq!(crmlite(dir, &["customers", "bogus"]).code, 2);
    let bad_now = Command::new(env!("CARGO_BIN_EXE_crmlite"))
        .current_dir(dir)
        .args(["--now", "tomorrow", "changes"])
        .output()
        .unwrap();
    assert_eq!(bad_now.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_now.stderr).starts_with("error: invalid now:"));
    assert_eq!(state(dir), before);
}

#[test]
fn unknown_records_exit_3() {
    let tmp = TempDir::new("not-found");
    let dir = tmp.path();
    add_giorgos(dir);
    for args in [
        &["customers", "show", "99"][..],
        &["customers", "show", "--code", "NOPE"],
        &["customers", "show", "--email", "nobody@athens.example"],
        &["timeline", "show", "99"],
        &[
            "timeline",
            "add",
            "99",
            "--kind",
            "call",
            "--summary",
            "Καλημέρα",
        ],
        &["customers", "link", "99", "1"],
    ] {
        let run = crmlite(dir, args);
        assert_eq!(run.code, 3, "{args:?}: {run:?}");
        assert!(
            run.stderr.starts_with("error: ") && run.stderr.contains("does not exist"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn links_and_timelines_page_through_in_json_and_text() {
    let tmp = TempDir::new("timeline");
    let dir = tmp.path();
    let org = crmlite(
        dir,
        &[
            "--json",
            "customers",
            "add",
            "--kind",
            "organisation",
            "--name",
            "ავეჯის სახლი",
        ],
    )
    .json();
    let nino = crmlite(
        dir,
        &[
            "--json",
            "customers",
            "add",
            "--name",
            "ნინო ბერიძე",
            "--region",
            "GE",
            "--phone",
            "555 12 34 56",
        ],
    );
    let nino = nino.json();
    let (org, nino) = (
        org["customer"]["id"].to_string(),
        nino["customer"]["id"].to_string(),
    );
    assert_eq!(
        crmlite(
            dir,
            &[
                "--json",
                "customers",
                "link",
                &nino,
                &org,
                "--role",
                "director"
            ]
        )
        .json()["role"],
        "director"
    );
    assert_eq!(crmlite(dir, &["customers", "link", &nino, &org]).code, 4);

    for (day, summary) in [
        ("01", "პირველი ზარი"),
        ("02", "შოურუმის ვიზიტი"),
        ("03", "გაზომვა ბინაში"),
    ] {
        let at = format!("2026-12-{day}T10:00:00+04:00");
        let entry = crmlite(
            dir,
            &[
                "--json",
                "timeline",
                "add",
                &nino,
                "--kind",
                "call",
                "--summary",
                summary,
                "--at",
                &at,
            ],
        )
        .json();
        assert_eq!(entry["kind"], "call");
    }
    // The organisation's timeline holds the person's calls and the link note: 4 entries.
    let first = crmlite(dir, &["--json", "timeline", "show", &org, "--limit", "3"]).json();
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next"].as_str().unwrap().to_owned();
    let second = crmlite(
        dir,
        &[
            "--json", "timeline", "show", &org, "--limit", "3", "--cursor", &cursor,
        ],
    )
    .json();
    let rest: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(rest, ["პირველი ზარი"]);
    assert!(second["next"].is_null());

    let text = crmlite(dir, &["timeline", "show", &org]);
    assert!(
        text.ok()
            .contains("2026-12-03 06:00  call    ნინო ბერიძე  გაზომვა ბინაში"),
        "{}",
        text.stdout
    );
    let card = crmlite(dir, &["customers", "show", &nino]);
    assert!(
        card.ok().contains("at #1 ავეჯის სახლი as director"),
        "{}",
        card.stdout
    );
    assert!(
        card.stdout.contains("555 12 34 56 (+995555123456)"),
        "{}",
        card.stdout
    );

    let page = crmlite(dir, &["--json", "customers", "list", "--limit", "1"]).json();
    assert_eq!(page["items"][0]["name"], "ავეჯის სახლი");
    let next = page["next"].as_str().unwrap();
    let page = crmlite(
        dir,
        &[
            "--json",
            "customers",
            "list",
            "--limit",
            "1",
            "--cursor",
            next,
        ],
    )
    .json();
    assert_eq!(page["items"][0]["name"], "ნინო ბერიძე");
}

#[test]
fn changes_since_returns_only_later_changes() {
    let tmp = TempDir::new("changes");
    let dir = tmp.path();
    for name in ["Արամ Պետրոսյան", "ნინო ბერიძე", "مریم حسینی"]
    {
        crmlite(dir, &["customers", "add", "--name", name]).ok();
    }
    let all = crmlite(dir, &["--json", "changes"]).json();
    let seqs: Vec<i64> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(all["next"], 3);
    assert_eq!(all["items"][0]["entity"], "customer");
    assert_eq!(all["items"][0]["op"], "insert");

    let later = crmlite(dir, &["--json", "changes", "--since", "2"]).json();
    assert_eq!(later["items"].as_array().unwrap().len(), 1);
    assert_eq!(later["items"][0]["seq"], 3);
    assert_eq!(later["items"][0]["entity_id"], 3);

    let limited = crmlite(dir, &["--json", "changes", "--limit", "2"]).json();
    assert_eq!(limited["next"], 2);

    let text = crmlite(dir, &["changes", "--since", "1"]);
    assert!(text.ok().contains("next: --since 3"), "{}", text.stdout);
    assert!(
        crmlite(dir, &["changes", "--since", "3"])
            .ok()
            .contains("no changes after 3")
    );
}

#[test]
fn a_file_that_is_not_a_database_exits_5() {
    let tmp = TempDir::new("storage");
    let junk = tmp.path().join("notes.db");
    std::fs::write(
        &junk,
        "Ժամանակ, დრო, χρόνος, زمان: this is not a database file at all, only text.\n".repeat(20),
    )
    .unwrap();
    let run = crmlite(tmp.path(), &["--db", "notes.db", "customers", "list"]);
    assert_eq!(run.code, 5, "{run:?}");
    assert!(
        run.stderr.starts_with("error: storage failure"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read_to_string(&junk)
            .unwrap()
            .starts_with("Ժամանակ"),
        "the file was changed"
    );
}

#[test]
fn import_export_directories_and_sync_for_an_accounting_program() {
    let tmp = TempDir::new("reference");
    let dir = tmp.path();
    // Windows-1251 units with a tab delimiter, as an old accounting export writes them.
    let units: Vec<u8> = "external_code\tname\nkg\t"
        .bytes()
        .chain([0xCA, 0xE8, 0xEB, 0xEE, 0xE3, 0xF0, 0xE0, 0xEC, 0xEC]) // Килограмм
        .chain(*b"\n")
        .collect();
    std::fs::write(dir.join("units.csv"), units).unwrap();
    let run = crmlite(
        dir,
        &[
            "import",
            "unit",
            "units.csv",
            "--encoding",
            "windows-1251",
            "--delimiter",
            "tab",
        ],
    );
    assert!(
        run.ok()
            .starts_with("inserted 1, updated 0, unchanged 0, rejected 0"),
        "{}",
        run.stdout
    );

    let products = "Артикул;name;unit;price\nP-1;Κρέμα;kg;1 234,50\nP-2;Σαπούνι;kg;oops\nP-3;Σφουγγάρι;kg;3,5\n";
    std::fs::write(dir.join("products.csv"), products).unwrap();
    let base = [
        "import",
        "product",
        "products.csv",
        "--delimiter",
        ";",
        "--map",
        "Артикул=external_code",
        "--currency",
        "EUR",
    ];
    let before = state(dir);
    let run = crmlite(dir, &base);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line[3].price"), "{}", run.stderr);
    assert_eq!(state(dir), before);
    let mut skip = base.to_vec();
    skip.extend(["--skip-bad-rows", "--rejects", "rejects.csv"]);
    let report = crmlite(dir, &[&["--json"][..], &skip].concat()).json();
    assert_eq!(
        (
            report["inserted"].as_u64(),
            report["rejected"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    let rejects = std::fs::read_to_string(dir.join("rejects.csv")).unwrap();
    assert!(
        rejects.starts_with("line,field,reason\n3,price,"),
        "{rejects}"
    );
    let again = crmlite(dir, &[&["--json"][..], &skip].concat()).json();
    assert_eq!(again["unchanged"].as_u64(), Some(2));

    let exported = crmlite(
        dir,
        &["export", "product", "--delimiter", ";", "--decimal-comma"],
    );
    assert_eq!(
        exported.ok(),
        "external_code;name;category;unit;price;tax_rate;barcode;archived\n\
         P-1;Κρέμα;;kg;1234,50 EUR;;;false\nP-3;Σφουγγάρι;;kg;3,50 EUR;;;false\n"
    );
    let kinds = crmlite(dir, &["--json", "directories"]).json();
    assert!(
        kinds
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["name"] == "price_list")
    );

    let pulled = crmlite(dir, &["sync", "pull", "accounting", "--limit", "2"]);
    let lines: Vec<Value> = pulled
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["record"]["record"]["name"], "Килограмм");
    let seq = lines[1]["change"]["seq"].as_i64().unwrap().to_string();
    let acked = crmlite(dir, &["--json", "sync", "ack", "accounting", &seq]).json();
    assert_eq!(acked["seq"].to_string(), seq);
    let rest = crmlite(dir, &["sync", "pull", "accounting"]);
    assert_eq!(rest.ok().lines().count(), 1);
    assert_eq!(crmlite(dir, &["sync", "ack", "accounting", "1"]).code, 2);
}

#[test]
fn import_orders_brings_in_a_purchase_history_once() {
    let tmp = TempDir::new("orders");
    let dir = tmp.path();
    std::fs::write(
        dir.join("people.csv"),
        "external_code,name\nGE-1,ნინო ბერიძე\n",
    )
    .unwrap();
    assert!(
        crmlite(dir, &["import", "customers", "people.csv"])
            .ok()
            .starts_with("inserted 1")
    );
    let history = "receipt;customer;at;product;quantity;unit_price;discount\n\
                   T-1;GE-1;07.12.2026 10:00;სკამი;2;150,00;10,00\n\
                   T-1;GE-1;07.12.2026 10:00;მაგიდა;1;420,50;\n\
                   T-2;GE-1;2026-12-08;ნათურა;1;35;\n";
    std::fs::write(dir.join("history.csv"), history).unwrap();
    let args = [
        "--json",
        "import",
        "orders",
        "history.csv",
        "--delimiter",
        ";",
        "--currency",
        "GEL",
    ];
    let report = crmlite(dir, &args).json();
    assert_eq!(
        (report["inserted"].as_u64(), report["unchanged"].as_u64()),
        (Some(2), Some(0)),
        "{report}"
    );
    let again = crmlite(dir, &args).json();
    assert_eq!(
        (again["inserted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );

    std::fs::write(
        dir.join("bad.csv"),
        "receipt;customer;product;unit_price\nT-3;NOBODY;ნათურა;35\n",
    )
    .unwrap();
    let before = state(dir);
    let run = crmlite(
        dir,
        &[
            "import",
            "orders",
            "bad.csv",
            "--delimiter",
            ";",
            "--currency",
            "GEL",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line[2].customer"), "{}", run.stderr);
    assert_eq!(state(dir), before);
}

#[test]
fn a_larger_page_cache_reads_and_writes_the_same_file() {
    let tmp = TempDir::new("cache_mib");
    let dir = tmp.path();
    let added = crmlite(
        dir,
        &[
            "--cache-mib",
            "64",
            "--json",
            "customers",
            "add",
            "--name",
            "ნინო ბერიძე",
        ],
    )
    .json();
    let id = added["customer"]["id"].as_i64().unwrap().to_string();
    let shown = crmlite(
        dir,
        &["--cache-mib", "1", "--json", "customers", "show", &id],
    )
    .json();
    assert_eq!(shown["customer"]["name"], "ნინო ბერიძე");
}
