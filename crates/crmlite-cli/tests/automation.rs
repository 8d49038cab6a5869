//! End-to-end tests of the automation commands: templates, tasks, triggers, jobs, outbox, consent.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::Path;

use serde_json::Value;

mod common;

use common::{NOW, TempDir, crmlite, crmlite_at};

/// The change feed length and the outbox: what "nothing changed" compares.
fn state(dir: &Path) -> (usize, Value) {
    let changes = crmlite(dir, &["--json", "changes", "--limit", "1000"]).json();
    let outbox = crmlite(dir, &["--json", "outbox", "list", "--limit", "1000"]).json();
    (changes["items"].as_array().unwrap().len(), outbox)
}

fn add_person(dir: &Path, name: &str, phone: &str, language: &str) -> i64 {
    let c = crmlite(
        dir,
        &[
            "--json",
            "customers",
            "add",
            "--name",
            name,
            "--phone",
            phone,
            "--language",
            language,
            "--birthday",
            "1990-12-07",
        ],
    )
    .json();
    c["customer"]["id"]
        .as_i64()
        .or_else(|| c["id"].as_i64())
        .unwrap()
}

const GREETING: &str = "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', 'ka': 'გილოცავ დაბადების დღეს', \
    'el': 'Χρόνια πολλά', 'fa': 'تولدت مبارک', 'en': 'Happy birthday'} %}\
    {{ greet[customer.language[:2]] }}, {{ customer.first_name }}! {{ today|date }}";

#[test]
fn birthday_trigger_queues_greetings_in_five_languages_once() {
    let tmp = TempDir::new("birthday");
    let dir = tmp.path();
    let people = [
        (
            "Արամ Սարգսյան",
            "+374 10 123456",
            "hy",
            "Շնորհավոր ծնունդդ, Արամ! 7 դեկտեմբերի 2026 թ.",
        ),
        (
            "ნინო ბერიძე",
            "+995 599 12 34 56",
            "ka",
            "გილოცავ დაბადების დღეს, ნინო! 7 დეკემბერი 2026",
        ),
        (
            "Γιώργος Παπαδόπουλος",
            "+30 210 1234567",
            "el",
            "Χρόνια πολλά, Γιώργος! 7 Δεκεμβρίου 2026",
        ),
        (
            "شیرین احمدی",
            "+98 912 345 6789",
            "fa",
            "تولدت مبارک, شیرین! ۷ دسامبر ۲۰۲۶",
        ),
        (
            "Ann Smith",
            "+44 20 7946 0000",
            "en",
            "Happy birthday, Ann! 7 December 2026",
        ),
    ];
    let mut expected = Vec::new();
    for (name, phone, language, greeting) in people {
        let id = add_person(dir, name, phone, language);
        crmlite(
            dir,
            &[
                "consent",
                "record",
                &id.to_string(),
                "--channel",
                "sms",
                "--purpose",
                "marketing",
                "--grant",
                "--source",
                "till",
                "--text-version",
                "v1",
            ],
        )
        .ok();
        expected.push((id, greeting));
    }
    crmlite(
        dir,
        &[
            "templates",
            "add",
            "birthday_sms",
            "--kind",
            "sms",
            "--body",
            GREETING,
        ],
    )
    .ok();
    let rendered = crmlite(
        dir,
        &["templates", "render", "birthday_sms", "--customer", "1"],
    );
    assert_eq!(rendered.ok().trim_end(), expected[0].1);
    let trigger = crmlite_at(
        dir,
        "2026-12-01T00:00:00Z",
        &[
            "--json",
            "triggers",
            "add",
            "birthday",
            "--on",
            "birthday",
            "--time-zone",
            "Asia/Yerevan",
            "--queue",
            "birthday_sms",
            "--channel",
            "sms",
            "--purpose",
            "marketing",
        ],
    )
    .json();
    assert_eq!(trigger["event"]["time_zone"], "Asia/Yerevan");
    let list = crmlite(dir, &["triggers", "list"]);
    assert!(list.ok().contains("birthday"), "{}", list.stdout);

    let none = crmlite_at(dir, "2026-12-06T10:00:00Z", &["--json", "jobs", "run"]).json();
    assert_eq!(none["fired"], 0);
    let report = crmlite(dir, &["--json", "jobs", "run"]).json();
    assert_eq!(
        (report["fired"].as_i64(), report["queued"].as_i64()),
        (Some(5), Some(5))
    );
    let outbox = crmlite(dir, &["--json", "outbox", "list"]).json();
    let items = outbox["items"].as_array().unwrap();
    for (id, greeting) in &expected {
        let m = items.iter().find(|m| m["customer"] == *id).unwrap();
        assert_eq!(m["body"], *greeting);
        assert_eq!(m["status"], "pending");
    }

    let before = state(dir);
    let again = crmlite(dir, &["jobs", "run"]);
    assert_eq!(
        again.ok().trim(),
        "fired 0: 0 queued, 0 tasks, 0 tags, 0 awards, 0 skipped"
    );
    assert_eq!(state(dir), before);
}

#[test]
fn outbox_claim_lease_expiry_ack_and_fail() {
    let tmp = TempDir::new("outbox");
    let dir = tmp.path();
    let id = add_person(dir, "Ελένη Γεωργίου", "+30 210 1234567", "el");
    crmlite(
        dir,
        &[
            "templates",
            "add",
            "receipt",
            "--kind",
            "sms",
            "--body",
            "Ευχαριστούμε, {{ customer.first_name }} {{ order }}",
        ],
    )
    .ok();
    let queued = crmlite(
        dir,
        &[
            "--json",
            "outbox",
            "queue",
            &id.to_string(),
            "--template",
            "receipt",
            "--channel",
            "sms",
            "--purpose",
            "service",
            "--vars",
            r##"{"order": "#42"}"##,
            "--dedupe-key",
            "order-42",
        ],
    )
    .json();
    assert_eq!(queued["body"], "Ευχαριστούμε, Ελένη #42");
    assert_eq!(queued["recipient"], "+302101234567");
    let msg = queued["id"].as_i64().unwrap().to_string();

    let first = crmlite(dir, &["--json", "outbox", "claim", "--lease", "30"]).json();
    let token1 = first["items"][0]["token"].as_str().unwrap().to_owned();
    assert_eq!(
        first["items"][0]["message"]["id"]
            .as_i64()
            .unwrap()
            .to_string(),
        msg
    );
    let held = crmlite(dir, &["outbox", "claim", "--lease", "30"]);
    assert_eq!(held.ok().trim(), "nothing to deliver");

    // The deliverer died: after the lease the message is handed out again with a new token.
    let later = "2026-12-07T11:00:30Z";
    crmlite_at(dir, later, &["outbox", "ack", &msg, &token1]).fails(4, &["lease", "expired"]);
    let second = crmlite_at(dir, later, &["--json", "outbox", "claim", "--lease", "30"]).json();
    let token2 = second["items"][0]["token"].as_str().unwrap().to_owned();
    assert_ne!(token1, token2);
    assert_eq!(second["items"][0]["message"]["attempts"], 2);

    let before = state(dir);
    crmlite_at(dir, later, &["outbox", "ack", &msg, &token1]).fails(4, &["claim token"]);
    crmlite_at(dir, later, &["outbox", "ack", &msg, "nonsense"]).fails(4, &["claim token"]);
    crmlite_at(dir, later, &["outbox", "ack", "999", &token2]).fails(3, &[]);
    assert_eq!(state(dir), before);

    let failed = crmlite_at(
        dir,
        later,
        &[
            "--json",
            "outbox",
            "fail",
            &msg,
            &token2,
            "--retry-after",
            "60",
            "--error",
            "gateway timeout",
        ],
    )
    .json();
    assert_eq!(
        (failed["status"].as_str(), failed["last_error"].as_str()),
        (Some("pending"), Some("gateway timeout"))
    );
    let retry = crmlite_at(dir, "2026-12-07T11:01:30Z", &["outbox", "claim"]);
    let text = retry.ok();
    assert!(
        text.contains(&format!("message #{msg} to +302101234567 by sms, token ")),
        "{text}"
    );
    let token3 = text
        .split("token ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let sent = crmlite_at(
        dir,
        "2026-12-07T11:01:40Z",
        &["outbox", "ack", &msg, &token3],
    );
    assert_eq!(sent.ok().trim(), format!("message #{msg} sent"));
    crmlite_at(
        dir,
        "2026-12-07T11:01:50Z",
        &["outbox", "ack", &msg, &token3],
    )
    .ok();
    let listed = crmlite(dir, &["outbox", "list", "--status", "sent"]);
    assert!(
        listed.ok().contains("Ευχαριστούμε, Ελένη #42"),
        "{}",
        listed.stdout
    );
}

#[test]
fn tasks_repeat_and_are_due_and_overdue_as_of_now() {
    let tmp = TempDir::new("tasks");
    let dir = tmp.path();
    let nino = add_person(dir, "ნინო ბერიძე", "+995 599 12 34 56", "ka").to_string();
    let first = crmlite(
        dir,
        &[
            "--json",
            "tasks",
            "add",
            "--title",
            "დაურეკე ნინოს",
            "--due",
            "2026-12-03T09:00:00Z",
            "--assignee",
            "levan",
            "--customer",
            &nino,
            "--repeat",
            "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=2",
        ],
    )
    .json();
    let done = crmlite(dir, &["--json", "tasks", "done", &first["id"].to_string()]).json();
    assert_eq!(done["done"]["status"], "done");
    assert_eq!(done["next"]["due"].as_i64(), Some(1_796_634_000_000)); // 2026-12-07T09:00Z
    let next = done["next"]["id"].to_string();
    let text = crmlite(dir, &["tasks", "done", &next]);
    assert_eq!(
        text.ok().trim(),
        format!("done: task #{next} დაურეკე ნინოს")
    );
    crmlite(dir, &["tasks", "done", &next]).fails(4, &["already done"]);

    crmlite(
        dir,
        &[
            "tasks",
            "add",
            "--title",
            "Զանգ",
            "--due",
            "2026-12-07T10:00:00Z",
            "--assignee",
            "ani",
        ],
    )
    .ok();
    crmlite(
        dir,
        &[
            "tasks",
            "add",
            "--title",
            "Επίσκεψη",
            "--due",
            "2026-12-09T10:00:00Z",
            "--assignee",
            "levan",
        ],
    )
    .ok();
    let overdue = crmlite(dir, &["tasks", "overdue"]);
    assert!(
        overdue.ok().contains("Զանգ") && !overdue.stdout.contains("Επίσκεψη"),
        "{}",
        overdue.stdout
    );
    let due = crmlite(
        dir,
        &[
            "--json",
            "tasks",
            "due",
            "--until",
            "2026-12-31T00:00:00Z",
            "--assignee",
            "levan",
        ],
    )
    .json();
    let titles: Vec<&str> = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Επίσκεψη"]);
    let none = crmlite_at(dir, "2026-12-01T00:00:00Z", &["tasks", "due"]);
    assert_eq!(none.ok().trim(), "no tasks due");
}

#[test]
fn bad_input_exits_2_naming_the_field_and_changes_nothing() {
    let tmp = TempDir::new("bad");
    let dir = tmp.path();
    let aram = add_person(dir, "Արամ Սարգսյան", "+374 10 123456", "hy").to_string();
    crmlite(dir, &["templates", "add", "forever", "--kind", "sms", "--body", "x\n{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"]).ok();
    crmlite(
        dir,
        &[
            "templates",
            "add",
            "offer",
            "--kind",
            "sms",
            "--body",
            "Զեղչ {{ customer.first_name }}",
        ],
    )
    .ok();
    let before = state(dir);

    crmlite(
        dir,
        &[
            "templates",
            "add",
            "broken",
            "--kind",
            "letter",
            "--body",
            "ok\n{% for x in %}",
        ],
    )
    .fails(2, &["body", "line 2"]);
    crmlite(
        dir,
        &["templates", "add", "t", "--kind", "fax", "--body", "x"],
    )
    .fails(2, &["kind"]);
    crmlite(
        dir,
        &["templates", "render", "forever", "--customer", &aram],
    )
    .fails(2, &["templates.forever", "line 2", "out of fuel"]);
    crmlite(dir, &["templates", "render", "offer", "--vars", "[1]"]).fails(2, &["vars"]);
    crmlite(dir, &["templates", "show", "nope"]).fails(3, &[]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "shoe_size",
            "--add-tag",
            "x",
        ],
    )
    .fails(2, &["event.field"]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "timeline:fax",
            "--add-tag",
            "x",
        ],
    )
    .fails(2, &["on.kind"]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "customer-created",
            "--queue",
            "nope",
            "--channel",
            "sms",
            "--purpose",
            "service",
        ],
    )
    .fails(2, &["action.body_template"]);
    crmlite(
        dir,
        &[
            "outbox",
            "queue",
            &aram,
            "--template",
            "offer",
            "--channel",
            "sms",
            "--purpose",
            "marketing",
        ],
    )
    .fails(2, &["consent"]);
    crmlite(
        dir,
        &[
            "consent",
            "record",
            &aram,
            "--channel",
            "sms",
            "--purpose",
            "marketing",
            "--grant",
            "--source",
            "till",
        ],
    )
    .fails(2, &["text_version"]);
    crmlite(dir, &["tasks", "add", "--title", "x", "--due", "tomorrow"]).fails(2, &["due"]);
    crmlite(
        dir,
        &[
            "tasks",
            "add",
            "--title",
            "x",
            "--due",
            NOW,
            "--repeat",
            "FREQ=HOURLY",
        ],
    )
    .fails(2, &["recurrence"]);
    crmlite(dir, &["outbox", "claim", "--lease", "0"]).fails(2, &["lease_ms"]);
    assert_eq!(state(dir), before);
    let templates = crmlite(dir, &["--json", "templates", "list"]).json();
    assert_eq!(templates["items"].as_array().unwrap().len(), 2);
}

#[test]
fn consent_is_recorded_shown_and_withdrawal_cancels_marketing() {
    let tmp = TempDir::new("consent");
    let dir = tmp.path();
    let shirin = add_person(dir, "شیرین احمدی", "+98 912 345 6789", "fa").to_string();
    crmlite(
        dir,
        &[
            "templates",
            "add",
            "offer",
            "--kind",
            "sms",
            "--body",
            "تخفیف {{ 20|number }}٪",
        ],
    )
    .ok();
    crmlite(
        dir,
        &[
            "consent",
            "record",
            &shirin,
            "--channel",
            "sms",
            "--purpose",
            "marketing",
            "--grant",
            "--source",
            "web-form",
            "--text-version",
            "v2",
        ],
    )
    .ok();
    let offer = crmlite(
        dir,
        &[
            "--json",
            "outbox",
            "queue",
            &shirin,
            "--template",
            "offer",
            "--channel",
            "sms",
            "--purpose",
            "marketing",
        ],
    )
    .json();
    assert_eq!(offer["body"], "تخفیف ۲۰٪");
    let shown = crmlite(dir, &["consent", "show", &shirin]);
    assert!(
        shown.ok().contains("web-form") && shown.stdout.contains("v2"),
        "{}",
        shown.stdout
    );

    let withdrawn = crmlite(
        dir,
        &[
            "consent",
            "record",
            &shirin,
            "--channel",
            "sms",
            "--purpose",
            "marketing",
            "--withdraw",
            "--source",
            "phone call",
        ],
    );
    assert_eq!(
        withdrawn.ok().trim(),
        format!("customer #{shirin} withdrew marketing by sms")
    );
    let cancelled = crmlite(dir, &["--json", "outbox", "list", "--status", "cancelled"]).json();
    assert_eq!(cancelled["items"][0]["id"], offer["id"]);
    let history = crmlite(dir, &["--json", "consent", "show", &shirin, "--history"]).json();
    assert_eq!(history["items"].as_array().unwrap().len(), 2);
    crmlite(
        dir,
        &[
            "consent",
            "record",
            &shirin,
            "--channel",
            "sms",
            "--purpose",
            "marketing",
            "--source",
            "x",
        ],
    )
    .fails(2, &[]);
}

#[test]
fn the_demo_queues_a_birthday_greeting_for_a_customer_who_opted_in() {
    let tmp = TempDir::new("demo");
    let dir = tmp.path();
    crmlite(dir, &["demo", "demo.db"]).ok();
    let due = crmlite(
        dir,
        &[
            "--db",
            "demo.db",
            "--json",
            "tasks",
            "due",
            "--until",
            "2030-01-01T00:00:00Z",
        ],
    )
    .json();
    assert_eq!(due["items"].as_array().unwrap().len(), 2);
    // ԼՈՒՍԻՆԵ ՊԵՏՐՈՍՅԱՆ (born 1984-11-03) opted in to SMS.
    let birthday = "2027-11-03T10:00:00Z";
    let report = crmlite_at(dir, birthday, &["--db", "demo.db", "--json", "jobs", "run"]).json();
    assert_eq!(report["queued"], 1, "{report}");
    let outbox = crmlite(dir, &["--db", "demo.db", "--json", "outbox", "list"]).json();
    assert_eq!(
        outbox["items"][0]["body"],
        "Շնորհավոր ծնունդդ, ԼՈՒՍԻՆԵ! (3 նոյեմբերի 2027 թ.)"
    );
}

#[test]
fn triggers_award_birthday_points_once_and_take_the_new_events() {
    let tmp = TempDir::new("award");
    let dir = tmp.path();
    add_person(dir, "Արամ Սարգսյան", "+374 10 123456", "hy");
    crmlite(
        dir,
        &[
            "loyalty",
            "program-add",
            "Դեղատուն Բոնուս",
            "--currency",
            "AMD",
            "--point-value",
            "1",
        ],
    )
    .ok();
    crmlite(
        dir,
        &[
            "loyalty",
            "rule-add",
            "1",
            "--name",
            "ծննդյան օր",
            "--earn",
            "birthday:500",
        ],
    )
    .ok();
    crmlite(dir, &["loyalty", "card-open", "1", "1", "--code", "ԴԵՂ-1"]).ok();

    let before = state(dir);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "points-milestone:0",
            "--add-tag",
            "x",
        ],
    )
    .fails(2, &["event.points"]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "no-purchase:many",
            "--add-tag",
            "x",
        ],
    )
    .fails(2, &["on"]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "deal-stage:maybe",
            "--add-tag",
            "x",
        ],
    )
    .fails(2, &["on"]);
    crmlite(
        dir,
        &[
            "triggers",
            "add",
            "t",
            "--on",
            "birthday",
            "--award-points",
            "9",
        ],
    )
    .fails(2, &["action.program"]);
    assert_eq!(state(dir), before);

    let added = crmlite_at(
        dir,
        "2026-12-01T00:00:00Z",
        &[
            "--json",
            "triggers",
            "add",
            "bday",
            "--on",
            "birthday",
            "--time-zone",
            "Asia/Yerevan",
            "--award-points",
            "1",
        ],
    )
    .json();
    assert_eq!(added["action"]["type"], "award_points");
    for (code, on) in [
        ("buy", "purchase"),
        ("won", "deal-stage:won"),
        ("k", "points-milestone:1000"),
        ("tier", "tier-changed"),
        ("exp", "points-expiring:7"),
        ("quiet", "no-purchase:90"),
    ] {
        let t = crmlite(
            dir,
            &[
                "--json",
                "triggers",
                "add",
                code,
                "--on",
                on,
                "--add-tag",
                code,
            ],
        )
        .json();
        assert_ne!(t["event"]["type"], "date", "{on}");
    }
    let list = crmlite(dir, &["triggers", "list"]).ok().to_owned();
    assert!(
        list.contains("no_purchase_for") && list.contains("award_points"),
        "{list}"
    );

    let report = crmlite(dir, &["--json", "jobs", "run"]).json();
    assert_eq!(
        (report["fired"].as_i64(), report["awards"].as_i64()),
        (Some(1), Some(1))
    );
    let again = crmlite(dir, &["jobs", "run"]);
    assert_eq!(
        again.ok().trim(),
        "fired 0: 0 queued, 0 tasks, 0 tags, 0 awards, 0 skipped"
    );
    let balance = crmlite(dir, &["--json", "loyalty", "balance", "ԴԵՂ-1"]).json();
    assert_eq!(balance["balance"]["available"], 500);
}
