//! End-to-end tests of `crmlite complaints` and `crmlite nps`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;

use serde_json::Value;

mod common;

use common::{TempDir, crmlite_at};

const DAY1: &str = "2026-12-07T11:00:00Z";
const DAY3: &str = "2026-12-09T11:00:00Z";

fn json(dir: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    crmlite_at(dir, now, &all).json()
}

fn customer(dir: &Path, name: &str) -> String {
    json(
        dir,
        DAY1,
        &[
            "customers",
            "add",
            "--name",
            name,
            "--email",
            "x@example.am",
        ],
    )["customer"]["id"]
        .to_string()
}

fn changes(dir: &Path) -> usize {
    json(dir, DAY1, &["changes", "--limit", "1000"])["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn a_complaint_is_opened_worked_resolved_closed_and_reopened() {
    let tmp = TempDir::new("complaints-flow");
    let dir = tmp.path();
    let aram = customer(dir, "Արամ Պետրոսյան");
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "open",
            "--customer",
            &aram,
            "--subject",
            "Սուրճը սառն էր",
            "--severity",
            "critical",
            "--channel",
            "phone",
            "--assignee",
            "anna",
        ],
    );
    let id = c["id"].to_string();
    assert_eq!(c["status"], "open");
    assert_eq!(c["severity"], "critical");
    assert_eq!(c["version"], 1);

    // The human form names the status and the deadline.
    let shown = crmlite_at(dir, DAY1, &["complaints", "show", &id]);
    assert!(shown.ok().contains("Սուրճը սառն էր"), "{}", shown.stdout);
    assert!(shown.ok().contains("critical"));

    // Overdue two days later (critical: 1 day to resolve).
    let overdue = json(dir, DAY3, &["complaints", "overdue"]);
    assert_eq!(overdue["items"][0]["id"].to_string(), id);
    let text = crmlite_at(dir, DAY3, &["complaints", "overdue"]);
    assert!(text.ok().contains("(overdue)"), "{}", text.stdout);

    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "assign",
            &id,
            "--version",
            "1",
            "--to",
            "levon",
        ],
    );
    assert_eq!(
        (c["assignee"].as_str(), c["version"].as_i64()),
        (Some("levon"), Some(2))
    );
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "move",
            &id,
            "--version",
            "2",
            "--to",
            "in-progress",
        ],
    );
    assert_eq!(c["status"], "in_progress");
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "resolve",
            &id,
            "--version",
            "3",
            "--resolution",
            "Նոր սուրճ և ներողություն",
        ],
    );
    assert_eq!(c["status"], "resolved");
    let c = json(dir, DAY1, &["complaints", "close", &id, "--version", "4"]);
    assert_eq!(c["status"], "closed");
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "reopen",
            &id,
            "--version",
            "5",
            "--reason",
            "again",
        ],
    );
    assert_eq!(
        (c["status"].as_str(), c["reopen_count"].as_i64()),
        (Some("open"), Some(1))
    );

    // Lists by status, assignee and customer, with a cursor.
    json(
        dir,
        DAY1,
        &[
            "complaints",
            "open",
            "--customer",
            &aram,
            "--subject",
            "Երկրորդ",
        ],
    );
    let page = json(dir, DAY1, &["complaints", "list", "--limit", "1"]);
    assert_eq!(page["items"][0]["id"].to_string(), id);
    let next = page["next"].as_str().unwrap().to_owned();
    let page2 = json(
        dir,
        DAY1,
        &["complaints", "list", "--limit", "1", "--cursor", &next],
    );
    assert_eq!(page2["items"][0]["subject"], "Երկրորդ");
    let levon = json(dir, DAY1, &["complaints", "list", "--assignee", "levon"]);
    assert_eq!(levon["items"].as_array().unwrap().len(), 1);
    let open = json(
        dir,
        DAY1,
        &[
            "complaints",
            "list",
            "--status",
            "open",
            "--customer",
            &aram,
        ],
    );
    assert_eq!(open["items"].as_array().unwrap().len(), 2);
    let table = crmlite_at(dir, DAY1, &["complaints", "list"]);
    assert!(table.ok().contains("Երկրորդ"));
}

#[test]
fn bad_input_fails_with_the_documented_exit_codes_and_changes_nothing() {
    let tmp = TempDir::new("complaints-bad");
    let dir = tmp.path();
    let nino = customer(dir, "ნინო ბერიძე");
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "open",
            "--customer",
            &nino,
            "--subject",
            "ხარვეზი",
        ],
    );
    let id = c["id"].to_string();
    let before = changes(dir);
    assert!(before >= 3, "{before}");
    crmlite_at(
        dir,
        DAY1,
        &["complaints", "open", "--customer", "999", "--subject", "x"],
    )
    .fails(2, &["customer"]);
    crmlite_at(
        dir,
        DAY1,
        &[
            "complaints",
            "open",
            "--customer",
            &nino,
            "--subject",
            "x",
            "--severity",
            "urgent",
        ],
    )
    .fails(2, &["severity"]);
    // open -> closed is not a move; a stale version is a conflict.
    crmlite_at(dir, DAY1, &["complaints", "close", &id, "--version", "1"]).fails(4, &["closed"]);
    crmlite_at(
        dir,
        DAY1,
        &[
            "complaints",
            "move",
            &id,
            "--version",
            "9",
            "--to",
            "in_progress",
        ],
    )
    .fails(4, &["version"]);
    crmlite_at(
        dir,
        DAY1,
        &[
            "complaints",
            "resolve",
            &id,
            "--version",
            "1",
            "--resolution",
            " ",
        ],
    )
    .fails(2, &["resolution"]);
    crmlite_at(dir, DAY1, &["complaints", "show", "404"]).fails(3, &["complaint"]);
    crmlite_at(
        dir,
        DAY1,
        &["nps", "add", "--customer", &nino, "--score", "11"],
    )
    .fails(2, &["score"]);
    crmlite_at(
        dir,
        DAY1,
        &["nps", "add", "--customer", &nino, "--score", "-1"],
    )
    .fails(2, &["score"]);
    assert_eq!(changes(dir), before);
}

#[test]
fn nps_answers_make_a_report() {
    let tmp = TempDir::new("nps");
    let dir = tmp.path();
    for (i, score) in ["10", "9", "8", "3"].iter().enumerate() {
        let c = customer(dir, &format!("Σοφία {i}"));
        let r = json(
            dir,
            DAY1,
            &[
                "nps",
                "add",
                "--customer",
                &c,
                "--score",
                score,
                "--survey",
                "q4",
                "--comment",
                "Πολύ καλή εξυπηρέτηση",
            ],
        );
        assert_eq!(r["score"].to_string(), *score);
    }
    // 2 promoters, 1 passive, 1 detractor of 4: (2 - 1) / 4 = 25 %.
    let r = json(
        dir,
        DAY3,
        &[
            "nps",
            "report",
            "--from",
            "2026-12-01",
            "--until",
            "2027-01-01",
        ],
    );
    assert_eq!(r["nps"], 25);
    assert_eq!(
        (
            r["promoters"].as_i64(),
            r["passives"].as_i64(),
            r["detractors"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let text = crmlite_at(
        dir,
        DAY3,
        &[
            "nps",
            "report",
            "--from",
            "2026-12-01",
            "--until",
            "2027-01-01",
            "--survey",
            "q4",
        ],
    );
    assert!(text.ok().contains("NPS"), "{}", text.stdout);
    assert!(text.ok().contains("50.0 %"), "{}", text.stdout);
    let none = json(
        dir,
        DAY3,
        &[
            "nps",
            "report",
            "--from",
            "2026-11-01",
            "--until",
            "2026-12-01",
        ],
    );
    assert_eq!(none["nps"], Value::Null);
}

#[test]
fn a_complaint_trigger_queues_a_message_and_creates_a_task() {
    let tmp = TempDir::new("complaints-trigger");
    let dir = tmp.path();
    crmlite_at(
        dir,
        DAY1,
        &[
            "templates",
            "add",
            "ack",
            "--kind",
            "email_body",
            "--body",
            "{{ customer.name }}: «{{ complaint.subject }}» №{{ complaint.id }}",
        ],
    )
    .ok();
    crmlite_at(
        dir,
        DAY1,
        &[
            "triggers",
            "add",
            "ack",
            "--on",
            "complaint-opened",
            "--queue",
            "ack",
            "--channel",
            "email",
            "--purpose",
            "service",
        ],
    )
    .ok();
    crmlite_at(
        dir,
        DAY1,
        &[
            "triggers",
            "add",
            "call",
            "--on",
            "complaint-opened:high",
            "--task",
            "Call back",
            "--assignee",
            "anna",
        ],
    )
    .ok();
    let aram = customer(dir, "Արամ");
    let c = json(
        dir,
        DAY1,
        &[
            "complaints",
            "open",
            "--customer",
            &aram,
            "--subject",
            "Կոտրված",
            "--severity",
            "high",
        ],
    );
    let claims = json(dir, DAY1, &["outbox", "claim"]);
    let body = claims["items"][0]["message"]["body"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(body, format!("Արամ: «Կոտրված» №{}", c["id"]));
    let tasks = json(
        dir,
        DAY1,
        &["tasks", "due", "--until", "2026-12-08T11:00:00Z"],
    );
    assert_eq!(
        tasks["items"][0]["record"].as_str(),
        Some(format!("complaint:{}", c["id"]).as_str())
    );
    crmlite_at(
        dir,
        DAY1,
        &[
            "tasks",
            "add",
            "--title",
            "x",
            "--due",
            DAY3,
            "--record",
            "complaint:404",
        ],
    )
    .fails(2, &["record", "complaint 404"]);
    let linked = json(
        dir,
        DAY1,
        &[
            "tasks",
            "add",
            "--title",
            "Հետևել",
            "--due",
            DAY3,
            "--record",
            &format!("complaint:{}", c["id"]),
        ],
    );
    assert_eq!(linked["record"], format!("complaint:{}", c["id"]));
}

#[test]
fn the_demo_has_complaints_in_five_scripts_and_an_nps_survey() {
    let tmp = TempDir::new("service-demo");
    let dir = tmp.path();
    let tour = json(dir, DAY1, &["demo", "demo.db"]);
    assert_eq!(tour["counts"]["complaints"], 6);
    assert_eq!(tour["counts"]["nps_answers"], 10);
    let statuses: Vec<&str> = tour["service"]["complaints"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        statuses,
        [
            "resolved",
            "open",
            "in_progress",
            "closed",
            "open",
            "resolved"
        ]
    );
    // 5 promoters, 2 passives, 3 detractors of 10.
    assert_eq!(tour["service"]["nps"]["nps"], 20);
    let text = crmlite_at(dir, DAY3, &["--db", "demo.db", "complaints", "overdue"]);
    assert!(text.ok().contains("დივანი"), "{}", text.stdout);
}
