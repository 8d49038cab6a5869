//! End-to-end tests of `crmlite pipelines`, `crmlite deals` and `crmlite report`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;

use serde_json::Value;

mod common;

use common::TempDir;

/// Runs `crmlite --now NOW <args>` in `dir`: exit code, stdout, stderr.
fn crmlite(dir: &Path, now: &str, args: &[&str]) -> (i32, String, String) {
    let run = common::crmlite_at(dir, now, args);
    (run.code, run.stdout, run.stderr)
}

fn json(dir: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = crmlite(dir, now, &all);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

const DAY1: &str = "2026-12-07T11:00:00Z";
const DAY3: &str = "2026-12-09T11:00:00Z";

/// A pipeline and a customer: (pipeline json, customer id).
fn setup(dir: &Path) -> (Value, String) {
    let p = json(
        dir,
        DAY1,
        &[
            "pipelines",
            "add",
            "ავეჯი",
            "--stage",
            "პირველი ზარი | 10 | open | 1",
            "--stage",
            "შეთავაზება | 60",
            "--stage",
            "მოგებული | 100 | won",
            "--stage",
            "წაგებული || lost",
        ],
    );
    json(
        dir,
        DAY1,
        &[
            "pipelines",
            "lost-reasons",
            "--add",
            "ძვირია",
            "--add",
            "კონკურენტი",
        ],
    );
    let c = json(dir, DAY1, &["customers", "add", "--name", "ნინო ბერიძე"]);
    (p, c["customer"]["id"].to_string())
}

#[test]
fn a_deal_is_added_moved_won_and_reported() {
    let tmp = TempDir::new("flow");
    let dir = tmp.path();
    let (p, nino) = setup(dir);
    let pid = p["id"].to_string();
    let quote = p["stages"][1]["id"].to_string();
    let d = json(
        dir,
        DAY1,
        &[
            "deals",
            "add",
            "--pipeline",
            &pid,
            "--title",
            "სამზარეულო",
            "--customer",
            &nino,
            "--owner",
            "გიორგი",
            "--currency",
            "GEL",
            "--line",
            "ზედაპირი | 4,5 | 320 | 5%",
            "--line",
            "ნიჟარა | 1 | 450.00",
            "--close",
            "2027-01-20",
        ],
    );
    let id = d["deal"]["id"].to_string();
    assert_eq!(d["deal"]["amount"]["minor"], 181_800);
    assert_eq!(d["deal"]["probability"], 10);

    let (code, stdout, _) = crmlite(dir, DAY3, &["deals", "list", "--stale"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("სამზარეულო"), "{stdout}");

    let moved = json(
        dir,
        DAY3,
        &[
            "deals",
            "move",
            &id,
            "--version",
            "1",
            "--stage",
            &quote,
            "--by",
            "ნათია",
        ],
    );
    assert_eq!(moved["deal"]["probability"], 60);
    assert_eq!(moved["history"][1]["spent_ms"], 2 * 86_400_000_i64);
    let forecast = json(dir, DAY3, &["report", "forecast", "--by", "month"]);
    assert_eq!(forecast[0]["group"], "2027-01");
    assert_eq!(forecast[0]["weighted"]["minor"], 109_080);

    let (code, _, stderr) = crmlite(dir, DAY3, &["deals", "won", &id, "--version", "1"]);
    assert_eq!(code, 4, "a stale version is a conflict: {stderr}");
    let won = json(
        dir,
        DAY3,
        &["deals", "won", &id, "--version", "2", "--by", "ნათია"],
    );
    assert_eq!(
        (
            won["deal"]["status"].as_str(),
            won["deal"]["probability"].as_i64()
        ),
        (Some("won"), Some(100))
    );

    let (code, text, _) = crmlite(dir, DAY3, &["report", "funnel", &pid]);
    assert_eq!(code, 0);
    assert!(
        text.contains("win rate: 100.00 % (won 1, lost 0)"),
        "{text}"
    );
    let (code, card, _) = crmlite(dir, DAY3, &["deals", "show", &id]);
    assert_eq!(code, 0);
    assert!(
        card.contains("მოგებული (won)") && card.contains("2.0 d"),
        "{card}"
    );
}

#[test]
fn bad_deal_input_exits_with_validation_and_changes_nothing() {
    let tmp = TempDir::new("bad");
    let dir = tmp.path();
    let (p, nino) = setup(dir);
    let pid = p["id"].to_string();
    let changes = || {
        json(dir, DAY1, &["changes", "--limit", "1000"])["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = changes();
    for (args, field) in [
        (vec!["--pipeline", "99", "--amount", "1"], "pipeline"),
        (
            vec!["--pipeline", &pid, "--amount", "1", "--probability", "101"],
            "probability",
        ),
        (
            vec!["--pipeline", &pid, "--line", "სკამი | -1 | 10"],
            "lines[0].quantity_milli",
        ),
        (
            vec!["--pipeline", &pid, "--amount", "1", "--stage", "99"],
            "stage",
        ),
    ] {
        let mut all = vec![
            "deals",
            "add",
            "--title",
            "x",
            "--customer",
            &nino,
            "--currency",
            "GEL",
        ];
        all.extend(args);
        let (code, _, stderr) = crmlite(dir, DAY1, &all);
        assert_eq!(code, 2, "{all:?}");
        assert!(stderr.contains(&format!("invalid {field}:")), "{stderr}");
    }
    let d = json(
        dir,
        DAY1,
        &[
            "deals",
            "add",
            "--pipeline",
            &pid,
            "--title",
            "x",
            "--customer",
            &nino,
            "--currency",
            "GEL",
            "--amount",
            "10",
        ],
    );
    let id = d["deal"]["id"].to_string();
    let after_add = changes();
    let (code, _, stderr) = crmlite(dir, DAY1, &["deals", "lost", &id, "--version", "1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid lost_reason:"), "{stderr}");
    assert_eq!(changes(), after_add);
    assert!(after_add > before);
    let lost = json(
        dir,
        DAY1,
        &["deals", "lost", &id, "--version", "1", "--reason", "1"],
    );
    assert_eq!(lost["deal"]["lost_at_stage"], p["stages"][0]["id"]);
    let reopened = json(dir, DAY1, &["deals", "reopen", &id, "--version", "2"]);
    assert_eq!(reopened["deal"]["status"], "open");
}

#[test]
fn the_demo_has_deals_in_several_stages() {
    let tmp = TempDir::new("demo");
    let dir = tmp.path();
    let tour = json(dir, DAY1, &["demo", "demo.db"]);
    assert_eq!(tour["counts"]["deals"], 8);
    let funnel = tour["deals"]["funnel"].as_array().unwrap();
    assert!(
        funnel
            .iter()
            .filter(|s| s["current"].as_i64().unwrap_or(0) > 0)
            .count()
            >= 6
    );
    let (code, list, _) = crmlite(
        dir,
        DAY1,
        &["--db", "demo.db", "deals", "list", "--status", "open"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        list.lines().count(),
        7,
        "a header and six open deals:\n{list}"
    );
}
