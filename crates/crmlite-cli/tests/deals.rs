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
        (
            vec!["--pipeline", &pid, "--line", " | 1 | 10 | 0 | NOPE-9"],
            "lines[0].product_code",
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

#[test]
fn deals_are_edited_moved_across_pipelines_and_reported() {
    let tmp = TempDir::new("more");
    let dir = tmp.path();
    let (p, nino) = setup(dir);
    let pid = p["id"].to_string();
    let first = p["stages"][0]["id"].to_string();
    let quote = p["stages"][1]["id"].to_string();
    let other = json(
        dir,
        DAY1,
        &[
            "pipelines",
            "add",
            "კორპორატიული",
            "--stage",
            "მოთხოვნა | 20 | open | 5",
            "--stage",
            "მოგებული | 100 | won",
        ],
    );
    let other_id = other["id"].to_string();
    let add = |title: &str| {
        json(
            dir,
            DAY1,
            &[
                "deals",
                "add",
                "--pipeline",
                &pid,
                "--title",
                title,
                "--customer",
                &nino,
                "--currency",
                "GEL",
                "--amount",
                "100",
            ],
        )["deal"]["id"]
            .to_string()
    };
    let with_attr = json(
        dir,
        DAY1,
        &[
            "deals",
            "add",
            "--pipeline",
            &pid,
            "--title",
            "თარო",
            "--customer",
            &nino,
            "--currency",
            "GEL",
            "--amount",
            "5",
            "--attr",
            "floor=text:პირველი",
        ],
    );
    assert_eq!(with_attr["deal"]["attributes"]["floor"]["value"], "პირველი");
    let shelf = with_attr["deal"]["id"].to_string();
    let (code, card, _) = crmlite(dir, DAY1, &["deals", "show", &shelf]);
    assert_eq!(code, 0);
    assert!(card.contains("floor=პირველი"), "{card}");
    let a = add("სკამები");
    let b = add("მაგიდა");
    let changes = || {
        json(dir, DAY1, &["changes", "--limit", "1000"])["items"]
            .as_array()
            .unwrap()
            .len()
    };

    // deals edit: an explicit 0 stays 0; bad input changes nothing
    let before = changes();
    for (args, field) in [
        (vec!["--probability", "101"], "probability"),
        (vec!["--close", "2027-02-30"], "close"),
        (vec!["--line", "სკამი | -2 | 10"], "lines[0].quantity_milli"),
        (vec!["--attr", "no-equals"], "attributes"),
        (vec!["--attr", "floor=integer:x"], "attributes.floor"),
    ] {
        let mut all = vec!["deals", "edit", &a, "--version", "1"];
        all.extend(args);
        let (code, _, stderr) = crmlite(dir, DAY1, &all);
        assert_eq!(code, 2, "{all:?}: {stderr}");
        assert!(stderr.contains(&format!("invalid {field}:")), "{stderr}");
    }
    let (code, _, _) = crmlite(dir, DAY1, &["deals", "edit", &a, "--version", "9"]);
    assert_eq!(code, 4, "a stale version is a conflict");
    assert_eq!(changes(), before);
    let edited = json(
        dir,
        DAY1,
        &[
            "deals",
            "edit",
            &a,
            "--version",
            "1",
            "--title",
            "სკამები ოფისისთვის",
            "--owner",
            "ნათია",
            "--probability",
            "0",
            "--close",
            "2027-03-01",
            "--code",
            "1C-77",
            "--attr",
            "floor=text:მესამე",
            "--line",
            "სკამი | 4 | 125,50",
        ],
    );
    let d = &edited["deal"];
    assert_eq!(d["title"], "სკამები ოფისისთვის");
    assert_eq!(
        (
            d["probability"].as_i64(),
            d["probability_override"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(d["amount"]["minor"], 50_200);
    assert_eq!(d["external_code"], "1C-77");
    assert_eq!(d["expected_close"], "2027-03-01");
    let back = json(
        dir,
        DAY1,
        &[
            "deals",
            "edit",
            &a,
            "--version",
            "2",
            "--stage-probability",
            "--no-close",
            "--no-code",
        ],
    );
    assert_eq!(back["deal"]["probability"], 10);
    assert!(back["deal"]["expected_close"].is_null() && back["deal"]["external_code"].is_null());

    // deals move --pipeline, then history
    let (code, _, stderr) = crmlite(
        dir,
        DAY3,
        &[
            "deals",
            "move",
            &a,
            "--version",
            "3",
            "--pipeline",
            &other_id,
            "--stage",
            &quote,
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("invalid stage:"), "{stderr}");
    let moved = json(
        dir,
        DAY3,
        &[
            "deals",
            "move",
            &a,
            "--version",
            "3",
            "--pipeline",
            &other_id,
            "--by",
            "ნათია",
        ],
    );
    assert_eq!(moved["deal"]["pipeline"], other["id"]);
    assert_eq!(moved["deal"]["stage"], other["stages"][0]["id"]);
    let history = json(dir, DAY3, &["deals", "history", &a]);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["spent_ms"], 2 * 86_400_000_i64);
    assert_eq!(history[1]["by"], "ნათია");
    let (code, text, _) = crmlite(dir, DAY3, &["deals", "history", &a]);
    assert_eq!(code, 0);
    assert!(
        text.contains("მოთხოვნა") && text.contains("2.0 d"),
        "{text}"
    );

    // deals stale as of --now: the shelf and b rot after 1 day in the first stage, a after 5
    // in the other pipeline
    let stale = json(dir, DAY3, &["deals", "stale"]);
    let ids: Vec<String> = stale["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].to_string())
        .collect();
    assert_eq!(ids, vec![shelf, b.clone()]);
    let later = json(
        dir,
        "2026-12-20T11:00:00Z",
        &["deals", "stale", "--pipeline", &other_id],
    );
    assert_eq!(later["items"][0]["id"].to_string(), a);
    assert!(
        json(dir, DAY1, &["deals", "stale"])["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // stages and lost reasons
    let renamed = json(
        dir,
        DAY3,
        &["pipelines", "rename-stage", &first, "პირველი კონტაქტი"],
    );
    assert_eq!(renamed["stages"][0]["name"], "პირველი კონტაქტი");
    let (code, _, stderr) = crmlite(
        dir,
        DAY3,
        &["pipelines", "rename-stage", &first, "შეთავაზება"],
    );
    assert_eq!(code, 2, "{stderr}");
    let renamed = json(dir, DAY3, &["pipelines", "rename", &pid, "ავეჯი და დეკორი"]);
    assert_eq!(renamed["name"], "ავეჯი და დეკორი");
    let reason = json(
        dir,
        DAY3,
        &["pipelines", "rename-lost-reason", "1", "ძალიან ძვირია"],
    );
    assert_eq!(reason[0]["name"], "ძალიან ძვირია");
    let retired = json(dir, DAY3, &["pipelines", "retire-lost-reason", "2"]);
    assert_eq!(retired[0]["retired"], true);
    let (code, _, stderr) = crmlite(
        dir,
        DAY3,
        &["deals", "lost", &b, "--version", "1", "--reason", "2"],
    );
    assert_eq!(code, 2, "a retired reason cannot be chosen: {stderr}");
    json(
        dir,
        DAY3,
        &["deals", "move", &b, "--version", "1", "--stage", &quote],
    );
    let lost_stage = p["stages"][3]["id"].to_string();
    let (code, _, stderr) = crmlite(
        dir,
        DAY3,
        &[
            "deals",
            "move",
            &b,
            "--version",
            "2",
            "--stage",
            &lost_stage,
        ],
    );
    assert_eq!(code, 2, "a lost move needs a reason: {stderr}");
    assert!(stderr.contains("invalid lost_reason:"), "{stderr}");
    let lost = json(
        dir,
        DAY3,
        &[
            "deals",
            "move",
            &b,
            "--version",
            "2",
            "--stage",
            &lost_stage,
            "--reason",
            "1",
            "--note",
            "იპოვა იაფი",
        ],
    );
    assert_eq!(lost["deal"]["lost_note"], "იპოვა იაფი");
    assert_eq!(lost["deal"]["lost_at_stage"].to_string(), quote);

    // reports
    let rate = json(dir, DAY3, &["report", "win-rate"]);
    assert_eq!(
        (
            rate["won"].as_i64(),
            rate["lost"].as_i64(),
            rate["rate_bp"].as_i64()
        ),
        (Some(0), Some(1), Some(0))
    );
    let (code, text, _) = crmlite(dir, DAY3, &["report", "win-rate", "--pipeline", &pid]);
    assert_eq!(code, 0);
    assert!(text.contains("win rate: 0.00 % (won 0, lost 1)"), "{text}");
    let lost = json(dir, DAY3, &["report", "lost-reasons"]);
    assert_eq!(lost[0]["reason_name"], "ძალიან ძვირია");
    assert_eq!(lost[0]["stage_name"], "შეთავაზება");
    assert_eq!(lost[0]["deals"], 1);
    let times = json(dir, DAY3, &["report", "time-in-stage", &pid]);
    // two stays in the first stage, both 2 days; one in the quote stage of 0 ms
    assert_eq!(times[0]["stays"], 2);
    assert_eq!(times[0]["median_ms"], 2 * 86_400_000_i64);
    let (code, text, _) = crmlite(dir, DAY3, &["report", "time-in-stage", &pid]);
    assert_eq!(code, 0);
    assert!(
        text.contains("პირველი კონტაქტი") && text.contains("2.0 d"),
        "{text}"
    );
    let (code, _, stderr) = crmlite(dir, DAY3, &["report", "time-in-stage", "99"]);
    assert_eq!(code, 3, "{stderr}");
}

#[test]
fn a_line_product_code_takes_the_product_name() {
    let tmp = TempDir::new("product-code");
    let dir = tmp.path();
    let (p, nino) = setup(dir);
    let pid = p["id"].to_string();
    let (code, _, stderr) = crmlite(
        dir,
        DAY1,
        &["entries", "upsert", "product", "CH-01", "სკამი"],
    );
    assert_eq!(code, 0, "{stderr}");
    let add = |line: &str| {
        crmlite(
            dir,
            DAY1,
            &[
                "--json",
                "deals",
                "add",
                "--pipeline",
                &pid,
                "--title",
                "ოფისი",
                "--customer",
                &nino,
                "--currency",
                "GEL",
                "--line",
                line,
            ],
        )
    };
    let (code, stdout, stderr) = add(" | 2 | 150 | 0 | CH-01");
    assert_eq!(code, 0, "{stderr}");
    let d: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(d["deal"]["lines"][0]["product"], "სკამი");
    assert_eq!(d["deal"]["lines"][0]["product_code"], "CH-01");
    let (code, _, stderr) = crmlite(dir, DAY1, &["entries", "archive", "product", "CH-01"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = add("Chair | 2 | 150 | 0 | CH-01");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid lines[0].product_code:"),
        "{stderr}"
    );
}
