//! End-to-end tests of complaints (lifecycle, SLA deadlines, queries) and NPS, and of the
//! complaint triggers of automation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crmlite::automation::{
    Channel, MessageStatus, NewTask, NewTemplate, NewTrigger, Purpose, TemplateFormat,
    TemplateKind, TriggerAction, TriggerEvent,
};
use crmlite::customer::NewCustomer;
use crmlite::reference::EntryInput;
use crmlite::service::{ComplaintFilter, ComplaintStatus, NewComplaint, NewNpsResponse, Severity};
use crmlite::timeline::InteractionKind;
use crmlite::{ComplaintId, Crm, CustomerId, DealId, EntityKind, Error, ErrorKind, Timestamp};

mod support;

use support::{T0, fresh};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn person(crm: &Crm, name: &str, language: &str) -> CustomerId {
    crm.add_customer(
        &NewCustomer::person(name)
            .language(language)
            .email(format!("c{}@example.org", name.chars().count()))
            .phone("+374 10 123456"),
    )
    .unwrap()
    .id
}

/// What a failed write must leave untouched: the change feed and the complaint list.
fn snapshot(crm: &Crm) -> (usize, usize) {
    (
        crm.changes_since(0, 1000).unwrap().len(),
        crm.list_complaints(&ComplaintFilter::all(), None, 1000)
            .unwrap()
            .items
            .len(),
    )
}

fn kind(e: &Error) -> ErrorKind {
    e.kind()
}

#[test]
fn a_complaint_moves_through_its_lifecycle_on_the_timeline_and_in_the_feed() {
    let (crm, clock) = fresh();
    let aram = person(&crm, "Արամ Պետրոսյան", "hy");
    let before = crm.changes_since(0, 1000).unwrap().len();
    let c = crm
        .open_complaint(
            &NewComplaint::new(aram, "Սուրճը սառն էր")
                .description("Պատվերը ուշացավ 40 րոպե\nև սուրճը սառն էր")
                .severity(Severity::High)
                .channel("Phone")
                .category("Առաքում")
                .assignee("anna")
                .by("desk"),
        )
        .unwrap();
    assert_eq!(c.status, ComplaintStatus::Open);
    assert_eq!((c.channel.as_str(), c.version), ("phone", 1));
    assert_eq!(c.response_due, Timestamp(T0 + 4 * HOUR));
    assert_eq!(c.resolution_due, Timestamp(T0 + 3 * DAY));
    assert_eq!(crm.complaint(c.id).unwrap(), c);

    clock.advance(HOUR);
    let c = crm.start_complaint(c.id, 1, "anna").unwrap();
    assert_eq!(c.status, ComplaintStatus::InProgress);
    assert_eq!(c.responded_at, Some(Timestamp(T0 + HOUR)));

    // Resolving needs a note; an empty one is rejected and changes nothing.
    let snap = snapshot(&crm);
    let err = crm.resolve_complaint(c.id, 2, "  ", "anna").unwrap_err();
    assert_eq!(err.field(), Some("resolution"));
    assert_eq!(snapshot(&crm), snap);

    let c = crm
        .resolve_complaint(c.id, 2, "Ներողություն, 500 միավոր նվեր", "anna")
        .unwrap();
    assert_eq!(c.status, ComplaintStatus::Resolved);
    assert_eq!(c.resolved_at, Some(Timestamp(T0 + HOUR)));
    let c = crm.close_complaint(c.id, 3, "anna").unwrap();
    assert_eq!(
        (c.status, c.closed_at, c.version),
        (ComplaintStatus::Closed, Some(Timestamp(T0 + HOUR)), 4)
    );

    clock.advance(DAY);
    let c = crm
        .reopen_complaint(c.id, 4, "Կրկին նույնը", "desk")
        .unwrap();
    assert_eq!(c.status, ComplaintStatus::Open);
    assert_eq!(
        (c.resolved_at, c.closed_at, c.reopen_count),
        (None, None, 1)
    );
    assert_eq!(c.resolution, "");
    assert_eq!(c.resolution_due, Timestamp(T0 + HOUR + DAY + 3 * DAY));
    assert_eq!(c.responded_at, Some(Timestamp(T0 + HOUR)));

    // Every step is on the customer's timeline, newest first, and in the change feed.
    let timeline = crm.timeline(aram, None, 100).unwrap().items;
    let complaint_entries: Vec<&str> = timeline
        .iter()
        .filter(|e| e.kind == InteractionKind::Complaint)
        .map(|e| e.summary.as_str())
        .collect();
    assert_eq!(
        complaint_entries,
        [
            "Complaint «Սուրճը սառն էր» reopened",
            "Complaint «Սուրճը սառն էր»: resolved → closed",
            "Complaint «Սուրճը սառն էր»: in_progress → resolved",
            "Complaint «Սուրճը սառն էր»: open → in_progress",
            "Complaint «Սուրճը սառն էր» opened (high)",
        ]
    );
    assert!(
        timeline
            .iter()
            .all(|e| e.kind != InteractionKind::Complaint
                || e.source == format!("complaint:{}", c.id))
    );
    let changes = crm.changes_since(0, 1000).unwrap();
    let complaint_changes = changes
        .iter()
        .skip(before)
        .filter(|ch| ch.entity == EntityKind::Complaint && ch.entity_id == c.id.0)
        .count();
    assert_eq!(complaint_changes, 5);
    assert!(crm.verify().unwrap().ok());
}

#[test]
fn illegal_moves_stale_versions_and_unknown_records_change_nothing() {
    let (crm, _clock) = fresh();
    let nino = person(&crm, "ნინო ბერიძე", "ka");
    let c = crm
        .open_complaint(&NewComplaint::new(nino, "ხარვეზი ანგარიშში"))
        .unwrap();
    let snap = snapshot(&crm);

    // open -> closed skips resolution.
    let err = crm.close_complaint(c.id, 1, "x").unwrap_err();
    assert_eq!(kind(&err), ErrorKind::Conflict, "{err}");
    // reopen of an open complaint.
    let err = crm.reopen_complaint(c.id, 1, "", "x").unwrap_err();
    assert_eq!(kind(&err), ErrorKind::Conflict);
    // A stale version.
    let err = crm.start_complaint(c.id, 7, "x").unwrap_err();
    assert_eq!(kind(&err), ErrorKind::Conflict);
    assert!(err.to_string().contains("version"), "{err}");
    let err = crm.assign_complaint(c.id, 0, "levan", "x").unwrap_err();
    assert_eq!(kind(&err), ErrorKind::Conflict);
    // Unknown complaint, customer, deal and category entry.
    let err = crm.start_complaint(ComplaintId(999), 1, "x").unwrap_err();
    assert_eq!(kind(&err), ErrorKind::NotFound);
    let err = crm
        .open_complaint(&NewComplaint::new(CustomerId(999), "x"))
        .unwrap_err();
    assert_eq!(err.field(), Some("customer"));
    let err = crm
        .open_complaint(&NewComplaint::new(nino, "x").deal(DealId(5)))
        .unwrap_err();
    assert_eq!(err.field(), Some("deal"));
    let err = crm
        .open_complaint(&NewComplaint::new(nino, "x").category_entry(crmlite::EntryId(77)))
        .unwrap_err();
    assert_eq!(err.field(), Some("category_entry"));
    let err = crm
        .open_complaint(&NewComplaint::new(nino, ""))
        .unwrap_err();
    assert_eq!(err.field(), Some("subject"));
    assert_eq!(snapshot(&crm), snap);
    assert_eq!(crm.complaint(c.id).unwrap(), c);
}

#[test]
fn a_directory_entry_can_be_the_category() {
    let (crm, _clock) = fresh();
    let maria = person(&crm, "Μαρία Παπαδάκη", "el");
    let (entry, _) = crm
        .upsert_entry("category", &EntryInput::new("DELIVERY", "Παράδοση"))
        .unwrap();
    let c = crm
        .open_complaint(&NewComplaint::new(maria, "Άργησε η παράδοση").category_entry(entry.id))
        .unwrap();
    assert_eq!(
        (c.category.as_str(), c.category_entry),
        ("Παράδοση", Some(entry.id))
    );
    crm.set_entry_archived("category", "DELIVERY", true)
        .unwrap();
    let err = crm
        .open_complaint(&NewComplaint::new(maria, "Ξανά").category_entry(entry.id))
        .unwrap_err();
    assert_eq!(err.field(), Some("category_entry"));
}

#[test]
fn lists_filter_by_status_assignee_and_customer_a_page_at_a_time_and_find_overdue_ones() {
    let (crm, clock) = fresh();
    let a = person(&crm, "Արամ", "hy");
    let b = person(&crm, "Σοφία", "el");
    let severities = [
        Severity::Critical,
        Severity::Normal,
        Severity::Low,
        Severity::High,
        Severity::Normal,
    ];
    let mut ids = Vec::new();
    for (i, severity) in severities.iter().enumerate() {
        let customer = if i % 2 == 0 { a } else { b };
        let assignee = if i < 3 { "anna" } else { "levon" };
        ids.push(
            crm.open_complaint(
                &NewComplaint::new(customer, format!("شکایت {i}"))
                    .severity(*severity)
                    .assignee(assignee),
            )
            .unwrap()
            .id,
        );
    }
    // Pages of two, by id.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = crm
            .list_complaints(&ComplaintFilter::all(), cursor.as_deref(), 2)
            .unwrap();
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let of = |f: &ComplaintFilter| -> Vec<ComplaintId> {
        crm.list_complaints(f, None, 100)
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        of(&ComplaintFilter::all().customer(a)),
        [ids[0], ids[2], ids[4]]
    );
    assert_eq!(
        of(&ComplaintFilter::all().assignee("levon")),
        [ids[3], ids[4]]
    );
    crm.start_complaint(ids[1], 1, "anna").unwrap();
    assert_eq!(
        of(&ComplaintFilter::all()
            .status(ComplaintStatus::InProgress)
            .assignee("anna")),
        [ids[1]]
    );
    assert!(
        crm.list_complaints(&ComplaintFilter::all(), Some("x1"), 2)
            .unwrap_err()
            .field()
            == Some("cursor")
    );

    // Nothing is overdue at the start; after 2 hours the critical one missed its response.
    let overdue = |crm: &Crm| -> Vec<ComplaintId> {
        crm.overdue_complaints(None, 100)
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert!(overdue(&crm).is_empty());
    clock.advance(2 * HOUR);
    assert_eq!(overdue(&crm), [ids[0]]);
    // After 2 days: the critical one (resolution 1 day) and the unanswered normal one
    // (response 1 day); the normal one in progress has answered; high is past 4 h.
    clock.advance(2 * DAY);
    assert_eq!(overdue(&crm), [ids[0], ids[3], ids[4]]);
    // Resolving takes a complaint off the overdue list.
    crm.resolve_complaint(ids[0], 1, "refund", "anna").unwrap();
    assert_eq!(overdue(&crm), [ids[3], ids[4]]);
    let first = crm.overdue_complaints(None, 1).unwrap();
    let rest = crm.overdue_complaints(first.next.as_deref(), 1).unwrap();
    assert_eq!((first.items[0].id, rest.items[0].id), (ids[3], ids[4]));
}

#[test]
fn nps_counts_categories_and_rounds_as_documented() {
    let (crm, clock) = fresh();
    let scores = [10, 9, 9, 8, 7, 6, 0, 10];
    let mut customers = Vec::new();
    for (i, score) in scores.iter().enumerate() {
        let c = person(&crm, &format!("Մարիամ {i}"), "hy");
        customers.push(c);
        crm.record_nps(
            &NewNpsResponse::new(c, *score)
                .survey("nps-2026-12")
                .comment("Շատ լավ սպասարկում"),
        )
        .unwrap();
    }
    let report = crm
        .nps_report(Timestamp(T0), Timestamp(T0 + DAY), None)
        .unwrap();
    // 4 promoters, 2 passives, 2 detractors of 8: (4 - 2) / 8 = 25 %.
    assert_eq!(
        (
            report.responses,
            report.promoters,
            report.passives,
            report.detractors
        ),
        (8, 4, 2, 2)
    );
    assert_eq!(report.nps, Some(25));
    assert_eq!(report.by_score[10], 2);
    assert_eq!(report.by_score[9], 2);

    // An answer one day later in another survey: (5 - 2) / 9 = 33.3 -> 33.
    clock.advance(DAY);
    crm.record_nps(&NewNpsResponse::new(customers[0], 9).survey("after-complaint"))
        .unwrap();
    let all = crm
        .nps_report(Timestamp(T0), Timestamp(T0 + 2 * DAY), None)
        .unwrap();
    assert_eq!((all.responses, all.nps), (9, Some(33)));
    let one = crm
        .nps_report(
            Timestamp(T0),
            Timestamp(T0 + 2 * DAY),
            Some("after-complaint"),
        )
        .unwrap();
    assert_eq!((one.responses, one.nps), (1, Some(100)));
    let empty = crm
        .nps_report(Timestamp(T0 - DAY), Timestamp(T0), None)
        .unwrap();
    assert_eq!((empty.responses, empty.nps), (0, None));

    // The answer is on the timeline as a survey.
    let entries = crm.timeline(customers[0], None, 10).unwrap().items;
    assert!(
        entries
            .iter()
            .any(|e| e.kind == InteractionKind::Survey && e.summary.starts_with("NPS 9 (promoter)"))
    );

    // Score 11, an unknown customer and a second answer to the same survey change nothing.
    let before = crm.changes_since(0, 1000).unwrap().len();
    let err = crm
        .record_nps(&NewNpsResponse::new(customers[1], 11))
        .unwrap_err();
    assert_eq!(err.field(), Some("score"));
    let err = crm
        .record_nps(&NewNpsResponse::new(CustomerId(999), 5))
        .unwrap_err();
    assert_eq!(err.field(), Some("customer"));
    let err = crm
        .record_nps(&NewNpsResponse::new(customers[1], 5).survey("nps-2026-12"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let err = crm
        .nps_report(Timestamp(T0), Timestamp(T0), None)
        .unwrap_err();
    assert_eq!(err.field(), Some("until"));
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before);
    assert!(crm.verify().unwrap().ok());
}

fn complaint_triggers(crm: &Crm) {
    crm.save_template(&NewTemplate::new(
        "complaint_ack",
        TemplateKind::EmailBody,
        TemplateFormat::Text,
        "{{ customer.first_name }}, we received «{{ complaint.subject }}» ({{ complaint.severity }}); \
         we answer by {{ complaint.response_due }}.",
    ))
    .unwrap();
    crm.save_template(&NewTemplate::new(
        "nps_invite",
        TemplateKind::EmailBody,
        TemplateFormat::Text,
        "«{{ complaint.subject }}» is resolved: {{ complaint.resolution }}. How likely are you to recommend us (0-10)?",
    ))
    .unwrap();
    crm.add_trigger(&NewTrigger::new(
        "complaint-ack",
        TriggerEvent::ComplaintOpened { min_severity: None },
        TriggerAction::QueueMessage {
            channel: Channel::Email,
            purpose: Purpose::Service,
            body_template: "complaint_ack".into(),
            subject_template: None,
        },
    ))
    .unwrap();
    crm.add_trigger(&NewTrigger::new(
        "complaint-call-back",
        TriggerEvent::ComplaintOpened {
            min_severity: Some(Severity::High),
        },
        TriggerAction::CreateTask {
            title: "Call the customer back".into(),
            assignee: String::new(),
            due_in_days: 0,
        },
    ))
    .unwrap();
    crm.add_trigger(&NewTrigger::new(
        "complaint-nps",
        TriggerEvent::ComplaintResolved,
        TriggerAction::QueueMessage {
            channel: Channel::Email,
            purpose: Purpose::Service,
            body_template: "nps_invite".into(),
            subject_template: None,
        },
    ))
    .unwrap();
}

#[test]
fn a_complaint_opened_queues_a_service_message_and_creates_a_task_in_the_same_transaction() {
    let (crm, _clock) = fresh();
    complaint_triggers(&crm);
    let giorgos = person(&crm, "Γιώργος Παπαδόπουλος", "el");
    let c = crm
        .open_complaint(
            &NewComplaint::new(giorgos, "Χαλασμένο προϊόν")
                .severity(Severity::High)
                .assignee("eleni"),
        )
        .unwrap();
    // The service message needs no marketing consent and is in the outbox already.
    let messages = crm
        .outbox_messages(None, Some(MessageStatus::Pending), 100)
        .unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].purpose, Purpose::Service);
    assert_eq!(messages[0].customer, Some(giorgos));
    assert!(
        messages[0]
            .body
            .starts_with("Γιώργος, we received «Χαλασμένο προϊόν» (high)"),
        "{}",
        messages[0].body
    );
    // The task is linked to the complaint and goes to its assignee.
    let tasks = crm.due_tasks(Timestamp(T0 + DAY), None, 100).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].record, format!("complaint:{}", c.id));
    assert_eq!(tasks[0].customer, Some(giorgos));
    assert_eq!(tasks[0].assignee, "eleni");

    // A normal complaint gets the message but no task (the task trigger wants high or more).
    crm.open_complaint(&NewComplaint::new(giorgos, "Ερώτηση"))
        .unwrap();
    assert_eq!(crm.outbox_messages(None, None, 100).unwrap().len(), 2);
    assert_eq!(
        crm.due_tasks(Timestamp(T0 + DAY), None, 100).unwrap().len(),
        1
    );

    // Resolving queues the NPS invitation; resolving again after a reopen queues another.
    let c = crm.start_complaint(c.id, 1, "eleni").unwrap();
    let c = crm
        .resolve_complaint(c.id, c.version, "Νέο προϊόν στάλθηκε", "eleni")
        .unwrap();
    let bodies: Vec<String> = crm
        .outbox_messages(None, None, 100)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies[2].contains("Νέο προϊόν στάλθηκε"), "{}", bodies[2]);
    let c = crm.reopen_complaint(c.id, c.version, "", "eleni").unwrap();
    crm.resolve_complaint(c.id, c.version, "Επιστροφή χρημάτων", "eleni")
        .unwrap();
    assert_eq!(crm.outbox_messages(None, None, 100).unwrap().len(), 4);
    assert!(crm.verify().unwrap().ok());
}

#[test]
fn a_skipped_trigger_action_does_not_stop_the_complaint_and_tasks_link_to_complaints() {
    let (crm, _clock) = fresh();
    complaint_triggers(&crm);
    // No e-mail address: the acknowledgement is skipped (logged), the complaint still opens.
    let farhad = crm
        .add_customer(&NewCustomer::person("فرهاد رضایی").language("fa"))
        .unwrap()
        .id;
    let c = crm
        .open_complaint(&NewComplaint::new(farhad, "تأخیر در ارسال"))
        .unwrap();
    assert!(crm.outbox_messages(None, None, 100).unwrap().is_empty());
    assert_eq!(crm.complaint(c.id).unwrap().status, ComplaintStatus::Open);

    // A task names an existing complaint, or it is rejected.
    let task = crm
        .add_task(&NewTask::new("پیگیری", Timestamp(T0 + DAY)).complaint(c.id))
        .unwrap();
    assert_eq!(task.record, format!("complaint:{}", c.id));
    let err = crm
        .add_task(&NewTask::new("x", Timestamp(T0)).complaint(ComplaintId(404)))
        .unwrap_err();
    assert_eq!(err.field(), Some("record"));
}

#[test]
fn complaints_and_nps_answers_survive_a_copy_between_backends() {
    let (source, clock) = fresh();
    let zahra = person(&source, "زهرا کریمی", "fa");
    let c = source
        .open_complaint(&NewComplaint::new(zahra, "ارسال دیر شد").severity(Severity::Low))
        .unwrap();
    let c = source.start_complaint(c.id, c.version, "reza").unwrap();
    source
        .record_nps(&NewNpsResponse::new(zahra, 8).survey("q4").comment("خوب"))
        .unwrap();
    let target = support::TestDb::new("service_copy").open_with(
        crmlite::OpenOptions::new(),
        Some(clock.clone() as std::sync::Arc<dyn crmlite::Clock>),
    );
    let report = source.copy_to(&target).unwrap();
    for table in ["complaints", "nps_responses"] {
        assert!(
            report.tables.iter().any(|(t, n)| t == table && *n == 1),
            "{table}: {:?}",
            report.tables
        );
    }
    assert_eq!(target.complaint(c.id).unwrap(), c);
    let range = (Timestamp(T0), Timestamp(T0 + DAY));
    assert_eq!(
        target.nps_report(range.0, range.1, None).unwrap(),
        source.nps_report(range.0, range.1, None).unwrap()
    );
    assert!(target.verify().unwrap().ok());
    // Ids continue after the copied ones.
    let next = target
        .open_complaint(&NewComplaint::new(zahra, "دوباره"))
        .unwrap();
    assert_eq!(next.id.0, c.id.0 + 1);
    let err = target
        .record_nps(&NewNpsResponse::new(zahra, 9).survey("q4"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn a_resolved_complaint_carries_goodwill_points_once_per_resolution() {
    use crmlite::loyalty::{Earn, NewEarnRule, NewProgram};
    let (crm, _clock) = fresh();
    let aram = person(&crm, "Արամ Պետրոսյան", "hy");
    let program = crm
        .create_program(&NewProgram::new("Դեղատուն", "AMD", 100))
        .unwrap();
    let goodwill = crm
        .add_earn_rule(&NewEarnRule::new(
            program.id,
            "Ներողություն",
            Earn::Bonus { points: 200 },
        ))
        .unwrap();
    let card = crm.open_card(program.id, aram, None).unwrap().id;
    crm.add_trigger(&NewTrigger::new(
        "goodwill",
        TriggerEvent::ComplaintResolved,
        TriggerAction::AwardPoints {
            program: program.id,
            rule: Some(goodwill.id),
        },
    ))
    .unwrap();
    let c = crm
        .open_complaint(&NewComplaint::new(aram, "Սխալ դեղ"))
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 0);
    let c = crm
        .resolve_complaint(c.id, c.version, "Փոխարինվեց", "anna")
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 200);
    // Closing does not award again; a reopen and a second resolution does.
    let c = crm.close_complaint(c.id, c.version, "anna").unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 200);
    let c = crm.reopen_complaint(c.id, c.version, "", "anna").unwrap();
    crm.resolve_complaint(c.id, c.version, "Գումարը վերադարձվեց", "anna")
        .unwrap();
    assert_eq!(crm.balance(card, 0).unwrap().available, 400);
    assert!(crm.verify().unwrap().ok());
}

#[test]
fn verify_names_complaints_whose_fields_contradict_their_status() {
    let db = support::TestDb::new("complaint_damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    let nino = person(&crm, "ნინო ბერიძე", "ka");
    let a = crm
        .open_complaint(&NewComplaint::new(nino, "პირველი"))
        .unwrap();
    let b = crm
        .open_complaint(&NewComplaint::new(nino, "მეორე"))
        .unwrap();
    let b = crm
        .resolve_complaint(b.id, b.version, "კარგი", "x")
        .unwrap();
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute(
        "UPDATE complaints SET status = 'closed' WHERE id = ?1",
        [a.id.0],
    )
    .unwrap();
    conn.execute("UPDATE complaints SET version = 0 WHERE id = ?1", [b.id.0])
        .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(
        failed,
        ["complaint_status_fields", "complaint_versions_positive"]
    );
}

#[test]
fn sync_pull_carries_complaints_and_nps_answers_as_they_are_now() {
    let (crm, _clock) = fresh();
    let nino = person(&crm, "ნინო ბერიძე", "ka");
    let start = crm.changes_since(0, 1000).unwrap().len() as i64;
    crm.advance_sync_cursor("1c", start).unwrap();
    let c = crm
        .open_complaint(&NewComplaint::new(nino, "ყავა ცივი იყო").severity(Severity::Low))
        .unwrap();
    crm.record_nps(&NewNpsResponse::new(nino, 3).survey("nps-2026-12"))
        .unwrap();
    let items = crm.sync_pull("1c", 100).unwrap();
    let complaint = items.iter().find_map(|i| match &i.record {
        crmlite::reference::SyncRecord::Complaint(x) => Some(x),
        _ => None,
    });
    assert_eq!(
        complaint.map(|x| (x.id, x.subject.as_str())),
        Some((c.id, "ყავა ცივი იყო"))
    );
    let answer = items.iter().find_map(|i| match &i.record {
        crmlite::reference::SyncRecord::NpsResponse(x) => Some(x),
        _ => None,
    });
    assert_eq!(answer.map(|x| (x.customer, x.score)), Some((nino, 3)));
}
