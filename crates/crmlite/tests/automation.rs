//! End-to-end tests of templates, tasks and reminders, triggers, consent and the outbox.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test helpers; the crash child reads the environment

use chrono::NaiveDate;
use crmlite::automation::{
    Channel, MessageStatus, NewConsent, NewMessage, NewTask, NewTemplate, NewTrigger, Purpose,
    TaskStatus, TemplateFormat, TemplateKind, TriggerAction, TriggerEvent,
};
use crmlite::customer::{AttributeValue, NewCustomer};
use crmlite::deal::{NewDeal, NewPipeline, NewStage, StageKind, StageMove};
use crmlite::loyalty::{Earn, ExpiryPolicy, NewEarnRule, NewProgram, NewTier};
use crmlite::sales::{NewOrder, NewOrderLine};
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, CustomerId, ErrorKind, MessageId, Timestamp};
use serde_json::json;

mod support;

use support::{TestDb, fresh};

fn at(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s, "at").unwrap()
}

/// Everything observable that a failed write must leave untouched.
fn snapshot(crm: &Crm) -> (usize, usize, usize) {
    let changes = crm.changes_since(0, 1000).unwrap().len();
    let messages = crm.outbox_messages(None, None, 1000).unwrap().len();
    let templates = crm.templates().unwrap().len();
    (changes, messages, templates)
}

fn template(crm: &Crm, code: &str, kind: TemplateKind, format: TemplateFormat, body: &str) {
    crm.save_template(&NewTemplate::new(code, kind, format, body))
        .unwrap();
}

fn person(crm: &Crm, name: &str, language: &str, phone: &str) -> CustomerId {
    crm.add_customer(
        &NewCustomer::person(name)
            .language(language)
            .phone(phone)
            .birthday(NaiveDate::from_ymd_opt(1990, 12, 7).unwrap()),
    )
    .unwrap()
    .id
}

fn grant(crm: &Crm, customer: CustomerId, channel: Channel) {
    crm.record_consent(&NewConsent::grant(
        customer,
        channel,
        Purpose::Marketing,
        "till",
        "v1",
    ))
    .unwrap();
}

const GREETING: &str = "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', 'ka': 'გილოცავ დაბადების დღეს', \
    'el': 'Χρόνια πολλά', 'fa': 'تولدت مبارک', 'en': 'Happy birthday'} %}\
    {{ greet[customer.language[:2]] }}, {{ customer.first_name }}! {{ today|date }}: {{ 1500|number }} {{ money(50000, currency) }}";

#[test]
fn birthday_greeting_in_five_languages_fires_once_in_each_customers_zone() {
    let (crm, clock) = fresh();
    template(
        &crm,
        "birthday_sms",
        TemplateKind::Sms,
        TemplateFormat::Text,
        &format!("{{% set currency = 'EUR' %}}{GREETING}"),
    );
    let aram = person(&crm, "Արամ Սարգսյան", "hy-AM", "+374 10 123456");
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56");
    let giorgos = person(&crm, "Γιώργος Παπαδόπουλος", "el", "+30 210 1234567");
    let shirin = person(&crm, "شیرین احمدی", "fa-IR", "+98 912 345 6789");
    let ann = person(&crm, "Ann Smith", "en", "+44 20 7946 0000");
    let everyone = [aram, nino, giorgos, shirin, ann];
    for c in everyone {
        grant(&crm, c, Channel::Sms);
    }
    let trigger = crm
        .add_trigger(&NewTrigger::new(
            "birthday",
            TriggerEvent::birthday("Asia/Yerevan"),
            TriggerAction::QueueMessage {
                channel: Channel::Sms,
                purpose: Purpose::Marketing,
                body_template: "birthday_sms".into(),
                subject_template: None,
            },
        ))
        .unwrap();

    // The day before: nobody.
    assert_eq!(crm.run_due(at("2026-12-06T10:00:00Z")).unwrap().fired, 0);
    let now = at("2026-12-07T10:00:00Z");
    clock.set(now);
    let report = crm.run_due(now).unwrap();
    assert_eq!((report.fired, report.queued, report.skipped), (5, 5, 0));
    let sent = crm.outbox_messages(None, None, 100).unwrap();
    let body_of = |c: CustomerId| {
        sent.iter()
            .find(|m| m.customer == Some(c))
            .unwrap()
            .body
            .clone()
    };
    assert_eq!(
        body_of(aram),
        "Շնորհավոր ծնունդդ, Արամ! 7 դեկտեմբերի 2026 թ.: 1\u{a0}500 500,00\u{a0}€"
    );
    assert_eq!(
        body_of(nino),
        "გილოცავ დაბადების დღეს, ნინო! 7 დეკემბერი 2026: 1\u{a0}500 500,00\u{a0}€"
    );
    assert_eq!(
        body_of(giorgos),
        "Χρόνια πολλά, Γιώργος! 7 Δεκεμβρίου 2026: 1.500 500,00\u{a0}€"
    );
    assert_eq!(
        body_of(shirin),
        "تولدت مبارک, شیرین! ۷ دسامبر ۲۰۲۶: ۱٬۵۰۰ ۵۰۰٫۰۰\u{a0}€"
    );
    assert_eq!(
        body_of(ann),
        "Happy birthday, Ann! 7 December 2026: 1,500 €500.00"
    );
    // Right-to-left text is passed through as stored: no bidi controls are added.
    assert!(!body_of(shirin).chars().any(
        |c| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    ));
    assert!(
        sent.iter()
            .all(|m| m.channel == Channel::Sms && m.recipient.starts_with('+'))
    );

    // Idempotent: the same `now` (and a later run the same day) does nothing.
    let before = snapshot(&crm);
    assert_eq!(crm.run_due(now).unwrap(), Default::default());
    assert_eq!(crm.run_due(at("2026-12-07T18:00:00Z")).unwrap().fired, 0);
    assert_eq!(snapshot(&crm), before);
    assert_eq!(crm.trigger_runs(trigger.id, 100).unwrap().len(), 5);
}

#[test]
fn birthday_follows_the_customers_time_zone() {
    let (crm, _) = fresh();
    template(
        &crm,
        "hb",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "{{ customer.first_name }}",
    );
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let giorgos = crm
        .add_customer(
            &NewCustomer::person("Γιώργος Παπαδόπουλος")
                .phone("+30 210 1234567")
                .birthday(NaiveDate::from_ymd_opt(1985, 12, 7).unwrap())
                .attribute("time_zone", AttributeValue::Text("Europe/Athens".into())),
        )
        .unwrap()
        .id;
    let action = TriggerAction::QueueMessage {
        channel: Channel::Sms,
        purpose: Purpose::Service,
        body_template: "hb".into(),
        subject_template: None,
    };
    crm.add_trigger(&NewTrigger::new(
        "hb",
        TriggerEvent::birthday("Asia/Yerevan"),
        action,
    ))
    .unwrap();
    // 21:30 UTC on the 6th is already the 7th in Yerevan (+04), still the 6th in Athens (+02).
    assert_eq!(crm.run_due(at("2026-12-06T21:30:00Z")).unwrap().queued, 1);
    let queued: Vec<_> = crm
        .outbox_messages(None, None, 10)
        .unwrap()
        .iter()
        .map(|m| m.customer)
        .collect();
    assert_eq!(queued, [Some(aram)]);
    assert_eq!(crm.run_due(at("2026-12-06T22:30:00Z")).unwrap().queued, 1);
    let queued: Vec<_> = crm
        .outbox_messages(None, None, 10)
        .unwrap()
        .iter()
        .map(|m| m.customer)
        .collect();
    assert_eq!(queued, [Some(aram), Some(giorgos)]);
}

#[test]
fn a_template_that_loops_forever_is_stopped_by_fuel_and_queues_nothing() {
    let (crm, _) = fresh();
    template(
        &crm,
        "forever",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a * b }}{% endfor %}{% endfor %}",
    );
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56");
    let err = crm
        .render_template("forever", Some(nino), &json!({}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("out of fuel"), "{err}");
    let before = snapshot(&crm);
    let err = crm
        .queue_message(&NewMessage::new(
            nino,
            Channel::Sms,
            Purpose::Service,
            "forever",
        ))
        .unwrap_err();
    assert!(err.to_string().contains("out of fuel"), "{err}");
    assert_eq!(snapshot(&crm), before);
}

#[test]
fn template_errors_name_the_line_and_bad_templates_are_not_stored() {
    let (crm, _) = fresh();
    template(
        &crm,
        "letter",
        TemplateKind::Letter,
        TemplateFormat::Text,
        "Dear {{ customer.name }},\n{{ customer.nickname }}\n",
    );
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let err = crm
        .render_template("letter", Some(aram), &json!({}))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        err.field().unwrap().starts_with("templates.letter"),
        "{msg}"
    );
    assert!(
        msg.contains("line 2") && msg.contains("customer.nickname"),
        "{msg}"
    );

    let before = snapshot(&crm);
    let err = crm
        .save_template(&NewTemplate::new(
            "broken",
            TemplateKind::Contract,
            TemplateFormat::Text,
            "ok\n{% for x in %}\n",
        ))
        .unwrap_err();
    assert_eq!(err.field(), Some("body"));
    assert!(err.to_string().contains("line 2"), "{err}");
    assert_eq!(snapshot(&crm), before);
    assert_eq!(
        crm.template("broken").unwrap_err().kind(),
        ErrorKind::NotFound
    );

    // Replacing a template bumps its version.
    template(
        &crm,
        "letter",
        TemplateKind::Letter,
        TemplateFormat::Text,
        "Dear {{ customer.name }}",
    );
    assert_eq!(crm.template("letter").unwrap().version, 2);
    assert_eq!(
        crm.render_template("letter", Some(aram), &json!({}))
            .unwrap(),
        "Dear Արամ Սարգսյան"
    );
}

#[test]
fn html_templates_escape_values_and_text_templates_do_not() {
    let (crm, _) = fresh();
    template(
        &crm,
        "body",
        TemplateKind::EmailBody,
        TemplateFormat::Html,
        "<p>{{ customer.name }} {{ note }}</p>",
    );
    template(
        &crm,
        "subject",
        TemplateKind::EmailSubject,
        TemplateFormat::Text,
        "{{ customer.name }} & {{ note }}",
    );
    let c = crm
        .add_customer(&NewCustomer::person("Γιώργος <script>").email("giorgos@example.gr"))
        .unwrap()
        .id;
    let vars = json!({"note": "{{ 7*7 }} <b>"});
    assert_eq!(
        crm.render_template("body", Some(c), &vars).unwrap(),
        "<p>Γιώργος &lt;script&gt; {{ 7*7 }} &lt;b&gt;</p>"
    );
    let m = crm
        .queue_message(
            &NewMessage::new(c, Channel::Email, Purpose::Service, "body")
                .subject_template("subject")
                .vars(vars),
        )
        .unwrap();
    assert!(m.html);
    assert_eq!(m.subject, "Γιώργος <script> & {{ 7*7 }} <b>");
    assert_eq!(m.recipient, "giorgos@example.gr");
}

fn service_message(crm: &Crm) -> MessageId {
    template(
        crm,
        "receipt",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Thanks, {{ customer.first_name }}",
    );
    let c = person(crm, "شیرین احمدی", "fa", "+98 912 345 6789");
    crm.queue_message(&NewMessage::new(
        c,
        Channel::Sms,
        Purpose::Service,
        "receipt",
    ))
    .unwrap()
    .id
}

#[test]
fn outbox_lease_expires_and_the_message_is_handed_out_again_then_acked_once() {
    let (crm, clock) = fresh();
    let id = service_message(&crm);
    let first = crm.claim_messages(10, 30_000).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].message.id, id);
    assert!(
        crm.claim_messages(10, 30_000).unwrap().is_empty(),
        "a leased message is not handed out twice"
    );

    // The deliverer dies; the lease runs out; the message comes back with a new token.
    clock.advance(30_000);
    let second = crm.claim_messages(10, 30_000).unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].message.id, id);
    assert_ne!(second[0].token, first[0].token);
    assert_eq!(second[0].message.attempts, 2);

    // The old token (expired) and a made-up one are conflicts and change nothing.
    let before = snapshot(&crm);
    for token in [first[0].token.as_str(), "nonsense"] {
        assert_eq!(
            crm.ack_message(id, token).unwrap_err().kind(),
            ErrorKind::Conflict
        );
        assert_eq!(
            crm.fail_message(id, token, 0, "x").unwrap_err().kind(),
            ErrorKind::Conflict
        );
    }
    assert_eq!(
        crm.ack_message(MessageId(999), &second[0].token)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(snapshot(&crm), before);
    assert_eq!(
        crm.outbox_message(id).unwrap().status,
        MessageStatus::Claimed
    );

    let sent = crm.ack_message(id, &second[0].token).unwrap();
    assert_eq!(sent.status, MessageStatus::Sent);
    let after_ack = snapshot(&crm);
    assert_eq!(
        crm.ack_message(id, &second[0].token).unwrap().status,
        MessageStatus::Sent,
        "a second ack is a no-op"
    );
    assert_eq!(snapshot(&crm), after_ack);
    clock.advance(10 * 60_000);
    assert!(crm.claim_messages(10, 30_000).unwrap().is_empty());
}

#[test]
fn an_ack_after_the_lease_expired_is_refused_and_the_message_stays_deliverable() {
    let (crm, clock) = fresh();
    let id = service_message(&crm);
    let claim = crm.claim_messages(1, 1_000).unwrap().remove(0);
    clock.advance(1_000);
    assert_eq!(
        crm.ack_message(id, &claim.token).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        crm.outbox_message(id).unwrap().status,
        MessageStatus::Claimed
    );
    assert_eq!(crm.claim_messages(1, 1_000).unwrap()[0].message.id, id);
}

#[test]
fn a_failed_delivery_is_retried_after_the_back_off() {
    let (crm, clock) = fresh();
    let id = service_message(&crm);
    let claim = crm.claim_messages(1, 60_000).unwrap().remove(0);
    let failed = crm
        .fail_message(id, &claim.token, 5_000, "gateway timeout")
        .unwrap();
    assert_eq!(
        (failed.status, failed.last_error.as_str()),
        (MessageStatus::Pending, "gateway timeout")
    );
    assert!(crm.claim_messages(1, 60_000).unwrap().is_empty());
    clock.advance(5_000);
    let again = crm.claim_messages(1, 60_000).unwrap().remove(0);
    assert_eq!(again.message.id, id);
    assert_eq!(
        crm.fail_message(id, &claim.token, 0, "late")
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        crm.ack_message(id, &again.token).unwrap().status,
        MessageStatus::Sent
    );
    let err = crm.fail_message(id, &again.token, -1, "x").unwrap_err();
    assert_eq!(err.field(), Some("retry_after_ms"));
    assert_eq!(crm.claim_messages(0, 1).unwrap_err().field(), Some("limit"));
    assert_eq!(
        crm.claim_messages(1, 0).unwrap_err().field(),
        Some("lease_ms")
    );
}

#[test]
fn a_crash_between_claim_and_ack_loses_nothing() {
    let db = TestDb::new("outbox_crash");
    let clock = support::fixed();
    let id = {
        let crm = db.open_with(crmlite::OpenOptions::new(), Some(clock.clone()));
        let id = service_message(&crm);
        assert_eq!(crm.claim_messages(5, 20_000).unwrap().len(), 1);
        id
        // The handle is dropped here without an ack, as if the process had been killed.
    };
    let crm = db.open_with(crmlite::OpenOptions::new(), Some(clock.clone()));
    assert!(crm.claim_messages(5, 20_000).unwrap().is_empty());
    clock.advance(20_000);
    let claim = crm.claim_messages(5, 20_000).unwrap().remove(0);
    assert_eq!(claim.message.id, id);
    assert_eq!(
        crm.ack_message(id, &claim.token).unwrap().status,
        MessageStatus::Sent
    );
}

#[test]
fn consent_blocks_marketing_but_not_service_messages_and_withdrawal_cancels_queued_ones() {
    let (crm, _) = fresh();
    template(
        &crm,
        "offer",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Offer for {{ customer.first_name }}",
    );
    let shirin = person(&crm, "شیرین احمدی", "fa", "+98 912 345 6789");
    let marketing = NewMessage::new(shirin, Channel::Sms, Purpose::Marketing, "offer");
    let service = NewMessage::new(shirin, Channel::Sms, Purpose::Service, "offer");

    let before = snapshot(&crm);
    assert_eq!(
        crm.queue_message(&marketing).unwrap_err().field(),
        Some("consent")
    );
    assert_eq!(snapshot(&crm), before);
    let receipt = crm.queue_message(&service).unwrap();

    // Consent on another channel does not count.
    grant(&crm, shirin, Channel::Email);
    assert_eq!(
        crm.queue_message(&marketing).unwrap_err().field(),
        Some("consent")
    );
    grant(&crm, shirin, Channel::Sms);
    let offer = crm.queue_message(&marketing).unwrap();
    assert_eq!(offer.status, MessageStatus::Pending);

    crm.record_consent(&NewConsent::withdraw(
        shirin,
        Channel::Sms,
        Purpose::Marketing,
        "phone call",
    ))
    .unwrap();
    assert_eq!(
        crm.outbox_message(offer.id).unwrap().status,
        MessageStatus::Cancelled
    );
    assert_eq!(
        crm.outbox_message(receipt.id).unwrap().status,
        MessageStatus::Pending
    );
    assert_eq!(
        crm.queue_message(&marketing).unwrap_err().field(),
        Some("consent")
    );

    let history = crm.consent_history(shirin).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[1].text_version, "v1");
    let current = crm.consents(shirin).unwrap();
    assert_eq!(current.len(), 2);
    assert!(
        current
            .iter()
            .any(|c| c.channel == Channel::Sms && !c.granted && c.source == "phone call")
    );

    // A grant needs the text version; nothing is recorded otherwise.
    let err = crm
        .record_consent(&NewConsent::grant(
            shirin,
            Channel::Post,
            Purpose::Marketing,
            "web",
            "",
        ))
        .unwrap_err();
    assert_eq!(err.field(), Some("text_version"));
    assert_eq!(crm.consent_history(shirin).unwrap().len(), 3);
}

#[test]
fn marketing_triggers_skip_customers_without_consent_and_record_why() {
    let (crm, _) = fresh();
    template(
        &crm,
        "hb",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "{{ customer.first_name }}",
    );
    person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let t = crm
        .add_trigger(&NewTrigger::new(
            "hb",
            TriggerEvent::birthday("UTC"),
            TriggerAction::QueueMessage {
                channel: Channel::Sms,
                purpose: Purpose::Marketing,
                body_template: "hb".into(),
                subject_template: None,
            },
        ))
        .unwrap();
    let report = crm.run_due(at("2026-12-07T09:00:00Z")).unwrap();
    assert_eq!((report.fired, report.queued, report.skipped), (1, 0, 1));
    assert!(crm.outbox_messages(None, None, 10).unwrap().is_empty());
    let runs = crm.trigger_runs(t.id, 10).unwrap();
    assert_eq!(runs[0].occurrence, "2026-12-07");
    assert!(
        runs[0].outcome.contains("no marketing consent"),
        "{}",
        runs[0].outcome
    );
}

#[test]
fn recurring_reminders_roll_forward_until_the_rule_ends() {
    let (crm, clock) = fresh();
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56");
    // 2026-12-03 is a Thursday.
    let first = crm
        .add_task(
            &NewTask::new("დაურეკე ნინოს", at("2026-12-03T09:00:00Z"))
                .assignee("levan")
                .customer(nino)
                .recurrence("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3"),
        )
        .unwrap();
    assert_eq!(
        first.recurrence.as_deref(),
        Some("FREQ=WEEKLY;COUNT=3;BYDAY=MO,TH")
    );
    let second = crm.complete_task(first.id).unwrap().next.unwrap();
    assert_eq!(
        (second.due, second.occurrence),
        (at("2026-12-07T09:00:00Z"), 2)
    );
    assert_eq!(crm.task(first.id).unwrap().status, TaskStatus::Done);
    let third = crm.complete_task(second.id).unwrap().next.unwrap();
    assert_eq!(
        (third.due, third.occurrence),
        (at("2026-12-10T09:00:00Z"), 3)
    );
    assert!(
        crm.complete_task(third.id).unwrap().next.is_none(),
        "COUNT=3 ends the series"
    );
    assert_eq!(
        crm.complete_task(third.id).unwrap_err().kind(),
        ErrorKind::Conflict
    );

    // Due and overdue as of now.
    let call = crm
        .add_task(&NewTask::new("Call Արամ", at("2026-12-08T12:00:00Z")).assignee("ani"))
        .unwrap();
    let visit = crm
        .add_task(&NewTask::new("Visit", at("2026-12-12T12:00:00Z")).assignee("levan"))
        .unwrap();
    clock.set(at("2026-12-09T00:00:00Z"));
    let ids =
        |tasks: Vec<crmlite::automation::Task>| tasks.iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(crm.overdue_tasks(None, 100).unwrap()), [call.id]);
    assert_eq!(
        ids(crm
            .due_tasks(at("2026-12-31T00:00:00Z"), None, 100)
            .unwrap()),
        [call.id, visit.id]
    );
    assert_eq!(
        ids(crm
            .due_tasks(at("2026-12-31T00:00:00Z"), Some("levan"), 100)
            .unwrap()),
        [visit.id]
    );
    crm.cancel_task(visit.id).unwrap();
    assert_eq!(
        ids(crm
            .due_tasks(at("2026-12-31T00:00:00Z"), None, 100)
            .unwrap()),
        [call.id]
    );

    let before = snapshot(&crm);
    let err = crm
        .add_task(&NewTask::new("x", at("2026-12-09T00:00:00Z")).recurrence("FREQ=HOURLY"))
        .unwrap_err();
    assert_eq!(err.field(), Some("recurrence"));
    let err = crm
        .add_task(&NewTask::new("x", at("2026-12-09T00:00:00Z")).customer(CustomerId(999)))
        .unwrap_err();
    assert_eq!(err.field(), Some("customer"));
    assert_eq!(
        crm.add_task(&NewTask::new(" ", at("2026-12-09T00:00:00Z")))
            .unwrap_err()
            .field(),
        Some("title")
    );
    assert_eq!(snapshot(&crm), before);
}

#[test]
fn event_triggers_act_in_the_same_transaction_as_the_change() {
    let (crm, _) = fresh();
    crm.add_trigger(&NewTrigger::new(
        "welcome_tag",
        TriggerEvent::CustomerCreated,
        TriggerAction::AddTag { tag: "new".into() },
    ))
    .unwrap();
    crm.add_trigger(&NewTrigger::new(
        "complaint_task",
        TriggerEvent::TimelineEntry {
            kind: InteractionKind::Complaint,
        },
        TriggerAction::CreateTask {
            title: "Call back about the complaint".into(),
            assignee: "mariam".into(),
            due_in_days: 1,
        },
    ))
    .unwrap();
    let aram = crm
        .add_customer(&NewCustomer::person("Արամ Սարգսյան"))
        .unwrap();
    assert_eq!(aram.tags, ["new"]);
    assert_eq!(aram.version, 2);
    crm.add_timeline_entry(&NewTimelineEntry::new(
        aram.id,
        InteractionKind::Note,
        "visited",
    ))
    .unwrap();
    assert!(
        crm.due_tasks(at("2030-01-01T00:00:00Z"), None, 10)
            .unwrap()
            .is_empty()
    );
    crm.add_timeline_entry(&NewTimelineEntry::new(
        aram.id,
        InteractionKind::Complaint,
        "broken box",
    ))
    .unwrap();
    let tasks = crm
        .due_tasks(at("2030-01-01T00:00:00Z"), Some("mariam"), 10)
        .unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].customer, Some(aram.id));
}

#[test]
fn bad_triggers_are_rejected_and_change_nothing() {
    let (crm, _) = fresh();
    let before = snapshot(&crm);
    let tag = TriggerAction::AddTag { tag: "vip".into() };
    let unknown_field = TriggerEvent::Date {
        field: "shoe_size".into(),
        offset_days: 0,
        time_zone: "UTC".into(),
    };
    let err = crm
        .add_trigger(&NewTrigger::new("t", unknown_field, tag.clone()))
        .unwrap_err();
    assert_eq!(err.field(), Some("event.field"));
    let err = crm
        .add_trigger(&NewTrigger::new(
            "t",
            TriggerEvent::birthday("Asia/Nowhere"),
            tag.clone(),
        ))
        .unwrap_err();
    assert_eq!(err.field(), Some("event.time_zone"));
    let missing = TriggerAction::QueueMessage {
        channel: Channel::Email,
        purpose: Purpose::Service,
        body_template: "nope".into(),
        subject_template: None,
    };
    let err = crm
        .add_trigger(&NewTrigger::new(
            "t",
            TriggerEvent::CustomerCreated,
            missing,
        ))
        .unwrap_err();
    assert_eq!(err.field(), Some("action.body_template"));
    assert_eq!(snapshot(&crm), before);
    assert!(crm.triggers().unwrap().is_empty());
    crm.add_trigger(&NewTrigger::new(
        "t",
        TriggerEvent::CustomerCreated,
        tag.clone(),
    ))
    .unwrap();
    assert_eq!(
        crm.add_trigger(&NewTrigger::new("t", TriggerEvent::CustomerCreated, tag))
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn queueing_with_a_dedupe_key_twice_returns_the_first_message() {
    let (crm, _) = fresh();
    template(
        &crm,
        "r",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "hi {{ customer.first_name }}",
    );
    let c = person(&crm, "Ann Smith", "en", "+44 20 7946 0000");
    let new =
        NewMessage::new(c, Channel::Sms, Purpose::Service, "r").dedupe_key("order-42-receipt");
    let first = crm.queue_message(&new).unwrap();
    let before = snapshot(&crm);
    assert_eq!(crm.queue_message(&new).unwrap().id, first.id);
    let other =
        NewMessage::new(c, Channel::Sms, Purpose::Marketing, "r").dedupe_key("order-42-receipt");
    assert_eq!(
        crm.queue_message(&other).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(snapshot(&crm), before);
    let err = crm
        .queue_message(&NewMessage::new(c, Channel::Email, Purpose::Service, "r"))
        .unwrap_err();
    assert_eq!(err.field(), Some("recipient"));
}

#[test]
fn verify_is_clean_and_a_copy_keeps_every_automation_record() {
    let (source, clock) = fresh();
    template(
        &source,
        "offer",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Օֆեր {{ customer.first_name }}",
    );
    let aram = person(&source, "Արամ Սարգսյան", "hy", "+374 10 123456");
    grant(&source, aram, Channel::Sms);
    let offer = source
        .queue_message(&NewMessage::new(
            aram,
            Channel::Sms,
            Purpose::Marketing,
            "offer",
        ))
        .unwrap();
    source.claim_messages(1, 60_000).unwrap();
    let task = source
        .add_task(
            &NewTask::new("Զանգ", at("2026-12-09T09:00:00Z"))
                .customer(aram)
                .recurrence("FREQ=DAILY"),
        )
        .unwrap();
    source
        .add_trigger(&NewTrigger::new(
            "tag",
            TriggerEvent::CustomerCreated,
            TriggerAction::AddTag { tag: "new".into() },
        ))
        .unwrap();
    assert!(source.verify().unwrap().ok());

    let target =
        TestDb::new("automation_copy").open_with(crmlite::OpenOptions::new(), Some(clock.clone()));
    source.copy_to(&target).unwrap();
    assert!(target.verify().unwrap().ok());
    assert_eq!(
        target.outbox_message(offer.id).unwrap(),
        source.outbox_message(offer.id).unwrap()
    );
    assert_eq!(target.task(task.id).unwrap(), task);
    assert_eq!(target.triggers().unwrap(), source.triggers().unwrap());
    assert_eq!(
        target.consent_history(aram).unwrap(),
        source.consent_history(aram).unwrap()
    );
    assert_eq!(
        target.template("offer").unwrap(),
        source.template("offer").unwrap()
    );
    // Ids continue after the copied ones.
    let next = target
        .add_task(&NewTask::new("Հաջորդ", at("2026-12-10T09:00:00Z")))
        .unwrap();
    assert_eq!(next.id.0, task.id.0 + 1);
}

#[test]
fn verify_reports_marketing_messages_without_consent_and_leaseless_claims() {
    let db = TestDb::new("automation_damage");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    template(
        &crm,
        "offer",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Προσφορά",
    );
    let eleni = person(&crm, "Ελένη Γεωργίου", "el", "+30 210 1234567");
    grant(&crm, eleni, Channel::Sms);
    crm.queue_message(&NewMessage::new(
        eleni,
        Channel::Sms,
        Purpose::Marketing,
        "offer",
    ))
    .unwrap();
    crm.queue_message(&NewMessage::new(
        eleni,
        Channel::Sms,
        Purpose::Service,
        "offer",
    ))
    .unwrap();
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute_batch(
        "DELETE FROM consents; \
         UPDATE outbox SET status = 'claimed' WHERE purpose = 'service';",
    )
    .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(
        failed,
        vec!["outbox_claims_have_leases", "outbox_marketing_has_consent"]
    );
}

const OUTBOX_CHILD_ENV: &str = "CRMLITE_OUTBOX_CHILD_DB";

/// In the child: claim one message under a 5 s lease, report it, then hang as if delivering.
#[test]
fn outbox_crash_child() {
    let Ok(target) = std::env::var(OUTBOX_CHILD_ENV) else {
        return;
    };
    let db = TestDb { target };
    let crm = db.open_with(crmlite::OpenOptions::new(), Some(support::fixed()));
    let claim = crm.claim_messages(1, 5_000).unwrap().remove(0);
    println!("\nclaimed {}", claim.message.id.0);
    std::thread::sleep(std::time::Duration::from_secs(600));
}

#[test]
fn a_process_killed_between_claim_and_ack_loses_no_message() {
    use std::io::{BufRead, BufReader};
    let db = TestDb::new("outbox_kill");
    let clock = support::fixed();
    let id = service_message(&db.open_with(crmlite::OpenOptions::new(), Some(clock.clone())));
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "outbox_crash_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(OUTBOX_CHILD_ENV, &db.target)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let claimed = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("claimed ")
                .and_then(|n| n.parse::<i64>().ok())
        });
    child.kill().unwrap(); // SIGKILL between claim and ack
    child.wait().unwrap();
    assert_eq!(claimed, Some(id.0));

    let crm = db.open_with(crmlite::OpenOptions::new(), Some(clock.clone()));
    assert_eq!(
        crm.outbox_message(id).unwrap().status,
        MessageStatus::Claimed
    );
    assert!(
        crm.claim_messages(10, 5_000).unwrap().is_empty(),
        "still leased to the dead process"
    );
    clock.advance(5_000);
    let again = crm.claim_messages(10, 5_000).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message.id, id);
    assert_eq!(
        crm.ack_message(id, &again[0].token).unwrap().status,
        MessageStatus::Sent
    );
    assert!(crm.verify().unwrap().ok());
}

const DAY: i64 = 86_400_000;

fn sms_trigger(
    crm: &Crm,
    code: &str,
    event: TriggerEvent,
    purpose: Purpose,
    body: &str,
) -> crmlite::TriggerId {
    template(crm, code, TemplateKind::Sms, TemplateFormat::Text, body);
    let action = TriggerAction::QueueMessage {
        channel: Channel::Sms,
        purpose,
        body_template: code.into(),
        subject_template: None,
    };
    crm.add_trigger(&NewTrigger::new(code, event, action))
        .unwrap()
        .id
}

fn bodies(crm: &Crm) -> Vec<String> {
    crm.outbox_messages(None, None, 100)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect()
}

fn amd_order(crm: &Crm, customer: CustomerId, number: &str, minor: i64) -> crmlite::sales::Order {
    crm.record_order(
        &NewOrder::new(customer, "AMD")
            .line(NewOrderLine::new("Վիտամին C", 1, minor))
            .external_id(number),
    )
    .unwrap()
}

#[test]
fn a_purchase_fires_once_per_order_with_the_order_in_the_context() {
    let (crm, _) = fresh();
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let t = sms_trigger(
        &crm,
        "thanks",
        TriggerEvent::PurchaseRecorded,
        Purpose::Service,
        "{{ customer.first_name }}: {{ money(order.total, order.currency) }} ({{ order.external_id }})",
    );
    let promo = sms_trigger(
        &crm,
        "promo",
        TriggerEvent::PurchaseRecorded,
        Purpose::Marketing,
        "{{ order.id }}",
    );
    let order = amd_order(&crm, aram, "ՉԵԿ-1", 250_000);
    amd_order(&crm, aram, "ՉԵԿ-1", 250_000); // the same receipt again changes nothing
    let sent = bodies(&crm);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].starts_with("Արամ: ") && sent[0].contains("500,00") && sent[0].ends_with("(ՉԵԿ-1)"),
        "{}",
        sent[0]
    );
    assert_eq!(
        crm.trigger_runs(t, 10).unwrap()[0].occurrence,
        format!("order:{}", order.id)
    );
    let skipped = crm.trigger_runs(promo, 10).unwrap();
    assert!(
        skipped[0].outcome.contains("no marketing consent"),
        "{}",
        skipped[0].outcome
    );
}

#[test]
fn deal_stage_triggers_filter_on_the_stage_kind_and_see_the_deal() {
    let (crm, _) = fresh();
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56");
    let pipeline = crm
        .add_pipeline(&NewPipeline::new(
            "ავეჯი",
            vec![
                NewStage::open("პირველი ზარი", 10),
                NewStage::open("აზომვა", 40),
                NewStage::won("მოგებული"),
                NewStage::lost("წაგებული"),
            ],
        ))
        .unwrap();
    let won = sms_trigger(
        &crm,
        "won",
        TriggerEvent::DealStageChanged {
            to: Some(StageKind::Won),
        },
        Purpose::Service,
        "{{ deal.title }}: {{ deal.status }} / {{ deal.stage }}",
    );
    let task = crm
        .add_trigger(&NewTrigger::new(
            "any_move",
            TriggerEvent::DealStageChanged { to: None },
            TriggerAction::CreateTask {
                title: "დარეკე".into(),
                assignee: "გიორგი".into(),
                due_in_days: 1,
            },
        ))
        .unwrap();
    let deal = crm
        .add_deal(
            &NewDeal::new(pipeline.id, "სამზარეულო")
                .customer(nino)
                .amount(crmlite::Money::new(
                    450_000,
                    crmlite::money::Currency::parse("GEL", "c").unwrap(),
                )),
        )
        .unwrap();
    let deal = crm
        .move_deal(
            deal.id,
            deal.version,
            &StageMove::to(pipeline.stages[1].id, "გიორგი"),
        )
        .unwrap();
    assert!(
        bodies(&crm).is_empty(),
        "an open stage does not fire the won trigger"
    );
    crm.mark_won(deal.id, deal.version, "გიორგი").unwrap();
    assert_eq!(bodies(&crm), vec!["სამზარეულო: won / მოგებული".to_owned()]);
    assert_eq!(crm.trigger_runs(won, 10).unwrap().len(), 1);
    assert_eq!(
        crm.trigger_runs(task.id, 10).unwrap().len(),
        2,
        "both moves fire the unfiltered trigger"
    );
}

#[test]
fn milestone_and_tier_triggers_fire_when_crossed_with_balance_and_tier() {
    let (crm, _) = fresh();
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let program = crm
        .create_program(&NewProgram::new("Դեղատուն", "AMD", 100))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "հիմնական",
        Earn::PerAmount {
            points: 1,
            per: 10_000,
        },
    ))
    .unwrap();
    crm.add_tier(&NewTier::new(program.id, "Ոսկե", 150))
        .unwrap();
    crm.open_card(program.id, aram, None).unwrap();
    let milestone = sms_trigger(
        &crm,
        "milestone",
        TriggerEvent::PointsMilestone { points: 100 },
        Purpose::Service,
        "{{ loyalty.balance }} {{ loyalty.program_name }}",
    );
    let tier = sms_trigger(
        &crm,
        "tier",
        TriggerEvent::TierChanged,
        Purpose::Service,
        "tier={{ loyalty.tier }}",
    );
    amd_order(&crm, aram, "1", 800_000); // 80 points
    assert!(bodies(&crm).is_empty());
    amd_order(&crm, aram, "2", 800_000); // 160: crosses 100 and reaches the tier
    amd_order(&crm, aram, "3", 800_000); // 240: already above both
    let sent = bodies(&crm);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent.contains(&"160 Դեղատուն".to_owned()) && sent.contains(&"tier=Ոսկե".to_owned()),
        "{sent:?}"
    );
    assert_eq!(crm.trigger_runs(milestone, 10).unwrap().len(), 1);
    assert_eq!(crm.trigger_runs(tier, 10).unwrap().len(), 1);
}

#[test]
fn expiring_points_fire_once_per_lot_before_expiry() {
    let (crm, _) = fresh();
    let maria = person(&crm, "Μαρία Παπαδοπούλου", "el", "+30 210 1234567");
    let program = crm
        .create_program(
            &NewProgram::new("Καλάθι", "EUR", 1).expiry(ExpiryPolicy::AfterDays { days: 30 }),
        )
        .unwrap();
    let card = crm.open_card(program.id, maria, None).unwrap().id;
    crm.adjust_points(card, 120, "καλωσόρισμα", None).unwrap();
    let t = sms_trigger(
        &crm,
        "expiring",
        TriggerEvent::PointsExpiring { days_before: 7 },
        Purpose::Service,
        "{{ expiring.points }} / {{ loyalty.balance }}",
    );
    let start = crm.now();
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 22 * DAY)).unwrap().fired,
        0,
        "8 days before: not yet"
    );
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 24 * DAY)).unwrap().queued,
        1
    );
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 24 * DAY)).unwrap().fired,
        0,
        "run_due twice fires once"
    );
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 25 * DAY)).unwrap().fired,
        0,
        "once per lot"
    );
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 31 * DAY)).unwrap().fired,
        0,
        "an expired lot is past warning"
    );
    assert_eq!(bodies(&crm), vec!["120 / 120".to_owned()]);
    assert!(
        crm.trigger_runs(t, 10).unwrap()[0]
            .occurrence
            .starts_with("lot:")
    );
}

#[test]
fn no_purchase_fires_once_per_quiet_spell() {
    let (crm, clock) = fresh();
    let shirin = person(&crm, "شیرین احمدی", "fa", "+98 912 345 6789");
    person(&crm, "Γιώργος Παπαδόπουλος", "el", "+30 210 1234567"); // never bought: no spell
    let t = crm
        .add_trigger(&NewTrigger::new(
            "dormant",
            TriggerEvent::NoPurchaseFor { days: 30 },
            TriggerAction::AddTag {
                tag: "خواب".into()
            },
        ))
        .unwrap();
    amd_order(&crm, shirin, "۱", 100_000);
    let start = crm.now();
    assert_eq!(crm.run_due(Timestamp(start.0 + 29 * DAY)).unwrap().fired, 0);
    assert_eq!(crm.run_due(Timestamp(start.0 + 30 * DAY)).unwrap().tags, 1);
    assert_eq!(crm.run_due(Timestamp(start.0 + 30 * DAY)).unwrap().fired, 0);
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 45 * DAY)).unwrap().fired,
        0,
        "the same spell fires once"
    );
    assert!(
        crm.customer(shirin)
            .unwrap()
            .tags
            .contains(&"خواب".to_owned())
    );
    clock.set(Timestamp(start.0 + 50 * DAY));
    amd_order(&crm, shirin, "۲", 100_000);
    assert_eq!(crm.run_due(Timestamp(start.0 + 79 * DAY)).unwrap().fired, 0);
    assert_eq!(
        crm.run_due(Timestamp(start.0 + 80 * DAY)).unwrap().fired,
        1,
        "a new spell after a new purchase"
    );
    let runs = crm.trigger_runs(t.id, 10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_ne!(runs[0].occurrence, runs[1].occurrence);
}

#[test]
fn a_birthday_trigger_awards_the_bonus_once() {
    let (crm, _) = fresh();
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56"); // no card
    let program = crm
        .create_program(&NewProgram::new("Դեղատուն", "AMD", 100))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "ծննդյան օր",
        Earn::Birthday { points: 500 },
    ))
    .unwrap();
    let card = crm.open_card(program.id, aram, None).unwrap().id;
    let before = snapshot(&crm);
    let bad = TriggerAction::AwardPoints {
        program: crmlite::ProgramId(999),
        rule: None,
    };
    let err = crm
        .add_trigger(&NewTrigger::new(
            "bad",
            TriggerEvent::birthday("Asia/Yerevan"),
            bad,
        ))
        .unwrap_err();
    assert_eq!(err.field(), Some("action.program"));
    assert_eq!(snapshot(&crm), before);
    let t = crm
        .add_trigger(&NewTrigger::new(
            "bday_points",
            TriggerEvent::birthday("Asia/Yerevan"),
            TriggerAction::AwardPoints {
                program: program.id,
                rule: None,
            },
        ))
        .unwrap();
    let report = crm.run_due(at("2026-12-07T09:00:00Z")).unwrap();
    assert_eq!((report.fired, report.awards, report.skipped), (2, 1, 1));
    assert_eq!(crm.run_due(at("2026-12-07T09:00:00Z")).unwrap().fired, 0);
    assert_eq!(crm.run_due(at("2026-12-08T09:00:00Z")).unwrap().fired, 0);
    assert_eq!(crm.balance(card, 0).unwrap().available, 500);
    let runs = crm.trigger_runs(t.id, 10).unwrap();
    let nino_run = runs.iter().find(|r| r.customer == nino).unwrap();
    assert!(nino_run.outcome.contains("no card"), "{}", nino_run.outcome);
}

/// What a run of purchases leaves behind that triggers and accrual decide.
type Outcome = (
    Vec<String>,
    Vec<usize>,
    Vec<(i64, Option<i64>)>,
    Vec<Vec<String>>,
    usize,
);

/// Two customers with cards in a program with a tier, milestone and tier triggers (and, with
/// `tag`, a trigger tagging every buyer); six purchases recorded one call each or in one batch.
fn purchases_with_triggers(batch: bool, tag: bool) -> Outcome {
    let (crm, _) = fresh();
    let aram = person(&crm, "Արամ Սարգսյան", "hy", "+374 10 123456");
    let nino = person(&crm, "ნინო ბერიძე", "ka", "+995 599 12 34 56");
    let program = crm
        .create_program(&NewProgram::new("Դեղատուն", "AMD", 100))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "հիմնական",
        Earn::PerAmount {
            points: 1,
            per: 10_000,
        },
    ))
    .unwrap();
    crm.add_tier(&NewTier::new(program.id, "Ոսկե", 150))
        .unwrap();
    let cards: Vec<_> = [aram, nino]
        .iter()
        .map(|&c| crm.open_card(program.id, c, None).unwrap().id)
        .collect();
    let mut triggers = vec![
        sms_trigger(
            &crm,
            "milestone",
            TriggerEvent::PointsMilestone { points: 100 },
            Purpose::Service,
            "{{ loyalty.balance }} {{ loyalty.program_name }}",
        ),
        sms_trigger(
            &crm,
            "tier",
            TriggerEvent::TierChanged,
            Purpose::Service,
            "tier={{ loyalty.tier }}",
        ),
    ];
    if tag {
        let t = crm
            .add_trigger(&NewTrigger::new(
                "buyer",
                TriggerEvent::PurchaseRecorded,
                TriggerAction::AddTag {
                    tag: "αγοραστής".into(),
                },
            ))
            .unwrap();
        triggers.push(t.id);
    }
    let orders: Vec<NewOrder> = (0..6)
        .map(|i| {
            NewOrder::new(if i == 4 { nino } else { aram }, "AMD")
                .line(NewOrderLine::new("Վիտամին C", 1, 800_000))
                .external_id(format!("ՉԵԿ-{i}"))
        })
        .collect();
    if batch {
        crm.record_orders(&orders).unwrap();
    } else {
        for o in &orders {
            crm.record_order(o).unwrap();
        }
    }
    let mut sent = bodies(&crm);
    sent.sort();
    let runs = triggers
        .iter()
        .map(|&t| crm.trigger_runs(t, 100).unwrap().len())
        .collect();
    let cards = cards
        .iter()
        .map(|&c| {
            (
                crm.balance(c, 0).unwrap().available,
                crm.card(c).unwrap().tier.map(|t| t.0),
            )
        })
        .collect();
    let tags = [aram, nino]
        .iter()
        .map(|&c| crm.customer(c).unwrap().tags)
        .collect();
    let changes = crm.changes_since(0, 1000).unwrap().len();
    (sent, runs, cards, tags, changes)
}

#[test]
fn a_batch_of_purchases_fires_and_awards_as_the_same_purchases_one_by_one() {
    for tag in [false, true] {
        let one_by_one = purchases_with_triggers(false, tag);
        // Aram crosses 100 points and reaches the tier on his second purchase; Nino never does.
        assert_eq!(one_by_one.0, ["160 Դեղատուն", "tier=Ոսկե"], "tag {tag}");
        assert_eq!(one_by_one.2, [(400, one_by_one.2[0].1), (80, None)]);
        assert!(one_by_one.2[0].1.is_some(), "Aram holds the tier");
        assert_eq!(purchases_with_triggers(true, tag), one_by_one, "tag {tag}");
    }
}
