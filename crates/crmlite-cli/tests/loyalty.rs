//! End-to-end tests of `crmlite sales ...` and `crmlite loyalty ...`: each test runs the
//! binary in its own temp directory with a fixed clock.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;

use serde_json::Value;

mod common;

use common::{NOW, TempDir, crmlite, crmlite_at};

fn balance(dir: &Path, now: &str) -> i64 {
    crmlite_at(dir, now, &["--json", "loyalty", "balance", "ԴԵՂ-1"]).json()["balance"]["available"]
        .as_i64()
        .unwrap()
}

fn changes(dir: &Path) -> usize {
    crmlite(dir, &["--json", "changes", "--limit", "1000"]).json()["items"]
        .as_array()
        .unwrap()
        .len()
}

fn pharmacy(dir: &Path) {
    crmlite(
        dir,
        &[
            "customers",
            "add",
            "--name",
            "Արամ Սարգսյան",
            "--phone",
            "+374 10 123456",
        ],
    )
    .ok();
    let program = crmlite(
        dir,
        &[
            "--json",
            "loyalty",
            "program-add",
            "Դեղատուն Բոնուս",
            "--currency",
            "AMD",
            "--point-value",
            "1",
            "--expiry",
            "end-of-year",
        ],
    )
    .json();
    assert_eq!(program["id"], 1);
    crmlite(
        dir,
        &[
            "loyalty",
            "rule-add",
            "1",
            "--name",
            "ամեն 100 դրամին",
            "--earn",
            "per-amount:1:100",
        ],
    )
    .ok();
    crmlite(dir, &["loyalty", "card-open", "1", "1", "--code", "ԴԵՂ-1"]).ok();
}

fn receipt(dir: &Path) -> Value {
    crmlite(
        dir,
        &[
            "--json",
            "sales",
            "order",
            "1",
            "--currency",
            "AMD",
            "--line",
            "Պարացետամոլ:2:1500:ցավազրկող",
            "--line",
            "Վիտամին C:1:3 000",
            "--external-id",
            "ՉԵԿ-1",
        ],
    )
    .json()
}

#[test]
fn a_till_records_receipts_once_redeems_with_keys_and_returns_reverse_points() {
    let tmp = TempDir::new("till");
    let dir = tmp.path();
    pharmacy(dir);
    let order = receipt(dir);
    assert_eq!(order["total"]["minor"], 600_000);
    assert_eq!(balance(dir, NOW), 60);
    // The same receipt again: the same order, nothing new.
    let before = changes(dir);
    assert_eq!(receipt(dir)["id"], order["id"]);
    assert_eq!(changes(dir), before);

    // More than available: a validation error (exit 2) naming the field, nothing changes.
    let refused = crmlite(dir, &["loyalty", "redeem", "ԴԵՂ-1", "70"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("points"), "{}", refused.stderr);
    assert_eq!(changes(dir), before);

    let first = crmlite(
        dir,
        &[
            "--json", "loyalty", "redeem", "ԴԵՂ-1", "20", "--key", "till-1/7",
        ],
    )
    .json();
    let again = crmlite(
        dir,
        &[
            "--json", "loyalty", "redeem", "ԴԵՂ-1", "20", "--key", "till-1/7",
        ],
    )
    .json();
    assert_eq!(first, again);
    assert_eq!(balance(dir, NOW), 40);
    assert_eq!(
        crmlite(
            dir,
            &["loyalty", "redeem", "ԴԵՂ-1", "21", "--key", "till-1/7"]
        )
        .code,
        4
    );

    // One box of paracetamol comes back: a quarter of the 60 points is reversed.
    crmlite(dir, &["sales", "return", "1", "--line", "0:1"]).ok();
    assert_eq!(balance(dir, NOW), 25);
    let history = crmlite(dir, &["--json", "loyalty", "history", "ԴԵՂ-1"]).json();
    let kinds: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reverse", "redeem", "award"]);
    let text = crmlite(dir, &["loyalty", "history", "ԴԵՂ-1"])
        .ok()
        .to_owned();
    assert!(text.contains("award") && text.contains("+60"), "{text}");
    let shown = crmlite(dir, &["sales", "show", "1"]).ok().to_owned();
    assert!(
        shown.contains("Պարացետամոլ") && shown.contains("returned 1500.00 AMD"),
        "{shown}"
    );
    assert_eq!(
        crmlite(dir, &["sales", "return", "1", "--line", "0:2"]).code,
        2
    );
}

#[test]
fn points_expire_at_the_end_of_the_year_once_and_metrics_add_up() {
    let tmp = TempDir::new("expire");
    let dir = tmp.path();
    pharmacy(dir);
    receipt(dir);
    crmlite(
        dir,
        &[
            "loyalty",
            "award",
            "ԴԵՂ-1",
            "--points",
            "5",
            "--reason",
            "ներողություն",
        ],
    )
    .ok();
    let text = crmlite(dir, &["loyalty", "balance", "ԴԵՂ-1"])
        .ok()
        .to_owned();
    assert!(
        text.contains("available") && text.contains("65 (65.00 AMD)"),
        "{text}"
    );

    let new_year = "2027-01-01T00:00:00Z";
    let run = crmlite_at(dir, new_year, &["--json", "loyalty", "expire"]).json();
    assert_eq!(
        (run["lots"].as_i64(), run["points"].as_i64()),
        (Some(2), Some(65))
    );
    let again = crmlite_at(dir, new_year, &["--json", "loyalty", "expire"]).json();
    assert_eq!(again["points"], 0);
    assert_eq!(balance(dir, new_year), 0);

    let m = crmlite_at(
        dir,
        new_year,
        &[
            "--json",
            "loyalty",
            "metrics",
            "1",
            "--from",
            "2026-01-01T00:00:00Z",
            "--until",
            "2027-02-01T00:00:00Z",
        ],
    )
    .json();
    assert_eq!(
        (
            m["issued"].as_i64(),
            m["expired"].as_i64(),
            m["outstanding"].as_i64()
        ),
        (Some(65), Some(65), Some(0))
    );
    let programs = crmlite(dir, &["loyalty", "programs"]).ok().to_owned();
    assert!(
        programs.contains("Դեղատուն Բոնուս") && programs.contains("end_of_year"),
        "{programs}"
    );
    let rules = crmlite(dir, &["--json", "loyalty", "rules", "1"]).json();
    assert_eq!(rules[0]["rule"]["earn"]["kind"], "per_amount");
}

#[test]
fn bad_loyalty_input_names_the_field_and_exits_with_its_code() {
    let tmp = TempDir::new("bad");
    let dir = tmp.path();
    pharmacy(dir);
    let before = changes(dir);
    let cases: [(&[&str], i32, &str); 6] = [
        (&["loyalty", "card-open", "9", "1"], 3, "loyalty_program"),
        (&["loyalty", "card-open", "1", "1"], 4, "already has"),
        (&["loyalty", "balance", "ԱՆՀԱՅՏ"], 3, "loyalty_card"),
        (
            &[
                "sales",
                "order",
                "1",
                "--currency",
                "AMD",
                "--line",
                "x:-1:100",
            ],
            2,
            "lines[0].quantity",
        ),
        (
            &[
                "sales",
                "order",
                "1",
                "--currency",
                "AMD",
                "--line",
                "x:1:12.3456",
            ],
            2,
            "lines[0].unit_price",
        ),
        (
            &[
                "loyalty",
                "rule-add",
                "1",
                "--name",
                "x",
                "--earn",
                "per-amount:0:100",
            ],
            2,
            "earn.points",
        ),
    ];
    for (args, code, needle) in cases {
        let run = crmlite(dir, args);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert_eq!(changes(dir), before);
}

#[test]
fn the_demo_has_a_pharmacy_bonus_program() {
    let tmp = TempDir::new("demo");
    let dir = tmp.path();
    let tour = crmlite(dir, &["--json", "demo", "demo.db"]).json();
    assert_eq!(tour["loyalty"]["card"]["code"], "ԴԵՂ-0001");
    let available = tour["loyalty"]["balance"]["available"].as_i64().unwrap();
    assert!(available > 0);
    let again = crmlite(
        dir,
        &[
            "--db",
            "demo.db",
            "--json",
            "loyalty",
            "balance",
            "ԴԵՂ-0001",
        ],
    )
    .json();
    assert_eq!(again["balance"]["available"].as_i64(), Some(available));
    let programs = crmlite(dir, &["--db", "demo.db", "--json", "loyalty", "programs"]).json();
    assert_eq!(programs[0]["tiers"].as_array().unwrap().len(), 2);
    let text = crmlite(dir, &["demo", "other.db"]).ok().to_owned();
    assert!(text.contains("A pharmacy bonus card"), "{text}");
}

#[test]
fn a_referral_for_both_sides_awards_both_cards_once() {
    let tmp = TempDir::new("referral");
    let dir = tmp.path();
    pharmacy(dir);
    crmlite(dir, &["customers", "add", "--name", "Անի Հակոբյան"]).ok();
    crmlite(dir, &["loyalty", "card-open", "1", "2", "--code", "ԴԵՂ-2"]).ok();
    let rule = [
        "loyalty",
        "rule-add",
        "1",
        "--name",
        "հրավեր",
        "--earn",
        "referral:10:both",
    ];
    crmlite(dir, &rule).ok();
    let award = ["loyalty", "award", "ԴԵՂ-1", "--event", "referral:2:both"];
    let text = crmlite(dir, &award).ok().to_owned();
    assert!(
        text.contains("+10 points on card ԴԵՂ-2") && text.contains("+10 points on card ԴԵՂ-1"),
        "{text}"
    );
    let available = |code: &str| {
        crmlite(dir, &["--json", "loyalty", "balance", code]).json()["balance"]["available"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((available("ԴԵՂ-1"), available("ԴԵՂ-2")), (10, 10));
    // Once per pair and side: the same referral again changes nothing.
    crmlite(dir, &award).ok();
    assert_eq!((available("ԴԵՂ-1"), available("ԴԵՂ-2")), (10, 10));
    // The referred side alone, from the other card, is the same award.
    crmlite(
        dir,
        &[
            "loyalty",
            "award",
            "ԴԵՂ-2",
            "--event",
            "referral:1:referred",
        ],
    )
    .ok();
    assert_eq!(available("ԴԵՂ-2"), 10);
    let before = changes(dir);
    assert_eq!(
        crmlite(
            dir,
            &[
                "loyalty",
                "award",
                "ԴԵՂ-1",
                "--event",
                "referral:2:everyone"
            ]
        )
        .code,
        2
    );
    assert_eq!(
        crmlite(dir, &["loyalty", "award", "ԴԵՂ-1", "--event", "referral:1"]).code,
        2
    );
    assert_eq!(changes(dir), before);
}
