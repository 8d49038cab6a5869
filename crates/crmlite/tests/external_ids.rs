//! External id mappings for every record kind, and sync consumers pulling every kind of the
//! change feed as current state or tombstone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crmlite::automation::{
    Channel, NewConsent, NewMessage, NewTask, NewTemplate, NewTrigger, Purpose, TemplateFormat,
    TemplateKind, TriggerAction, TriggerEvent,
};
use crmlite::changes::ChangeOp;
use crmlite::customer::NewCustomer;
use crmlite::deal::{NewDeal, NewPipeline, NewStage, StageMove};
use crmlite::loyalty::{Earn, NewEarnRule, NewProgram, NewReward, NewTier, RewardKind};
use crmlite::reference::{
    EntryInput, FieldDef, FieldType, NewDirectoryKind, SyncRecord, UpsertOutcome,
};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
use crmlite::service::{NewComplaint, NewNpsResponse};
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, EntityKind, Error, ErrorKind, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use support::{T0, fresh};

/// Writes at least one record of every kind the library has, in Armenian, Georgian, Greek and
/// Persian, and deletes one directory entry.
fn every_kind(crm: &Crm) {
    let anahit = crm
        .add_customer(&NewCustomer::person("Անահիտ Սարգսյան").phone("+374 10 123456"))
        .unwrap();
    let firm = crm
        .add_customer(&NewCustomer::organisation("ავეჯის სახლი").external_code("ORG-1"))
        .unwrap();
    crm.link_customer(anahit.id, firm.id, "buyer").unwrap();
    crm.add_timeline_entry(&NewTimelineEntry::new(
        anahit.id,
        InteractionKind::Note,
        "τηλεφώνησε",
    ))
    .unwrap();
    crm.save_template(&NewTemplate::new(
        "thanks",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "ممنون {{ customer.first_name }}",
    ))
    .unwrap();
    crm.add_task(&NewTask::new("Զանգել", Timestamp(T0 + 86_400_000)))
        .unwrap();
    crm.add_trigger(&NewTrigger::new(
        "birthday",
        TriggerEvent::birthday("Asia/Yerevan"),
        TriggerAction::QueueMessage {
            channel: Channel::Sms,
            purpose: Purpose::Service,
            body_template: "thanks".into(),
            subject_template: None,
        },
    ))
    .unwrap();
    crm.queue_message(&NewMessage::new(
        anahit.id,
        Channel::Sms,
        Purpose::Service,
        "thanks",
    ))
    .unwrap();
    crm.record_consent(&NewConsent::grant(
        anahit.id,
        Channel::Sms,
        Purpose::Marketing,
        "till",
        "v1",
    ))
    .unwrap();
    let pipeline = crm
        .add_pipeline(&NewPipeline::new(
            "ავეჯი",
            vec![
                NewStage::open("ზარი", 10),
                NewStage::open("აზომვა", 40),
                NewStage::won("მოგებული"),
                NewStage::lost("წაგებული"),
            ],
        ))
        .unwrap();
    crm.add_lost_reason("ძვირია").unwrap();
    let deal = crm
        .add_deal(
            &NewDeal::new(pipeline.id, "სამზარეულო")
                .customer(anahit.id)
                .amount(crmlite::Money::new(
                    450_000,
                    crmlite::Currency::parse("GEL", "currency").unwrap(),
                )),
        )
        .unwrap();
    crm.move_deal(
        deal.id,
        deal.version,
        &StageMove::to(pipeline.stages[1].id, "გიორგი"),
    )
    .unwrap();
    crm.define_directory(&NewDirectoryKind {
        name: "warehouse".into(),
        label: "Պահեստ".into(),
        fields: vec![FieldDef::new("city", FieldType::Text, false)],
    })
    .unwrap();
    crm.upsert_entry("warehouse", &EntryInput::new("W-1", "Երևան"))
        .unwrap();
    crm.upsert_entry("unit", &EntryInput::new("box", "κουτί"))
        .unwrap();
    crm.delete_entry("unit", "box").unwrap();
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
    crm.add_reward(&NewReward::new(
        program.id,
        "զեղչ",
        RewardKind::FixedDiscount { amount: 5_000 },
        50,
    ))
    .unwrap();
    let card = crm.open_card(program.id, anahit.id, None).unwrap();
    crm.adjust_points(card.id, 20, "բարի գալուստ", None)
        .unwrap();
    let order = crm
        .record_order(
            &NewOrder::new(anahit.id, "AMD")
                .line(NewOrderLine::new("Վիտամին C", 2, 250_000))
                .external_id("ՉԵԿ-1"),
        )
        .unwrap();
    crm.record_return(&NewReturn::new(order.id).line(0, 1))
        .unwrap();
    crm.open_complaint(&NewComplaint::new(anahit.id, "Սուրճը սառն էր"))
        .unwrap();
    crm.record_nps(&NewNpsResponse::new(anahit.id, 9).survey("nps-2026-12"))
        .unwrap();
}

/// The `(kind, id)` of every record the change feed names, in feed order, without repeats.
fn fed_records(crm: &Crm) -> Vec<(EntityKind, i64)> {
    let mut seen = BTreeSet::new();
    crm.changes_since(0, 1000)
        .unwrap()
        .into_iter()
        .map(|c| (c.entity, c.entity_id))
        .filter(|r| seen.insert((r.0.as_str(), r.1)))
        .collect()
}

#[test]
fn every_record_kind_with_an_id_maps_to_several_systems_both_ways() {
    let (crm, _) = fresh();
    every_kind(&crm);
    let records = fed_records(&crm);
    let kinds: BTreeSet<&str> = records.iter().map(|(k, _)| k.as_str()).collect();
    for kind in EntityKind::ALL {
        if *kind != EntityKind::ExternalId {
            assert!(kinds.contains(kind.as_str()), "no {kind} in the feed");
        }
    }
    let mut mapped = 0;
    for (kind, id) in &records {
        if matches!(kind, EntityKind::CustomerLink | EntityKind::ExternalId) {
            continue;
        }
        if *kind == EntityKind::DirectoryEntry && crm.entry(crmlite::EntryId(*id)).is_err() {
            // The deleted `box` unit: an unknown record is not found.
            let err = crm.map_external_id("erp", "gone", *kind, *id).unwrap_err();
            assert!(matches!(
                err,
                Error::NotFound {
                    kind: EntityKind::DirectoryEntry,
                    ..
                }
            ));
            continue;
        }
        let key = format!("{kind}/{id}");
        let m = crm.map_external_id("erp", &key, *kind, *id).unwrap();
        assert_eq!((m.entity, m.entity_id), (*kind, *id));
        crm.map_external_id("1c", &format!("Ա-{key}"), *kind, *id)
            .unwrap();
        let found = crm.resolve_external_id("erp", &key).unwrap().unwrap();
        assert_eq!((found.entity, found.entity_id), (*kind, *id));
        let systems: Vec<String> = crm
            .external_ids(*kind, *id)
            .unwrap()
            .into_iter()
            .map(|m| m.system)
            .collect();
        assert_eq!(systems, vec!["1c", "erp"], "{kind} {id}");
        assert_eq!(
            crm.external_id_of("1c", *kind, *id)
                .unwrap()
                .unwrap()
                .external_id,
            format!("Ա-{key}")
        );
        mapped += 1;
    }
    assert!(mapped >= 22, "only {mapped} records mapped");
}

#[test]
fn mapping_errors_are_typed_name_the_field_and_change_nothing() {
    let (crm, _) = fresh();
    every_kind(&crm);
    let records = fed_records(&crm);
    let deal = records
        .iter()
        .find(|(k, _)| *k == EntityKind::Deal)
        .unwrap()
        .1;
    let order = records
        .iter()
        .find(|(k, _)| *k == EntityKind::Order)
        .unwrap()
        .1;
    crm.map_external_id("erp", "INV-7", EntityKind::Order, order)
        .unwrap();
    let before = crm.changes_since(0, 1000).unwrap().len();

    for kind in EntityKind::ALL {
        let err = crm
            .map_external_id("erp", "X-1", *kind, 987_654)
            .unwrap_err();
        match kind {
            EntityKind::CustomerLink | EntityKind::ExternalId => {
                assert_eq!(err.field(), Some("entity"), "{kind}");
            }
            _ => assert!(
                matches!(&err, Error::NotFound { kind: k, key } if k == kind && key == "987654"),
                "{kind}: {err}"
            ),
        }
        if !matches!(kind, EntityKind::CustomerLink | EntityKind::ExternalId) {
            assert_eq!(
                crm.external_ids(*kind, 987_654).unwrap_err().kind(),
                ErrorKind::NotFound
            );
        }
    }
    let err = crm
        .map_external_id("erp", "INV-7", EntityKind::Deal, deal)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("external_id"), "{err}");
    assert!(err.to_string().contains(&format!("order {order}")), "{err}");
    assert_eq!(
        crm.map_external_id(" ", "INV-8", EntityKind::Deal, deal)
            .unwrap_err()
            .field(),
        Some("system")
    );
    assert_eq!(
        crm.map_external_id("erp", "", EntityKind::Deal, deal)
            .unwrap_err()
            .field(),
        Some("external_id")
    );
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before);
    assert!(crm.external_ids(EntityKind::Deal, deal).unwrap().is_empty());
    assert_eq!(
        crm.resolve_external_id("erp", "INV-7")
            .unwrap()
            .unwrap()
            .entity,
        EntityKind::Order
    );
}

#[test]
fn sync_pull_carries_every_kind_as_current_state_or_tombstone() {
    let (crm, _) = fresh();
    every_kind(&crm);
    let deal_before = crm.list_deals(&Default::default(), None, 10).unwrap();
    let items = crm.sync_pull("accounting", 1000).unwrap();
    assert_eq!(items.len(), crm.changes_since(0, 1000).unwrap().len());
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for item in &items {
        let json = serde_json::to_value(&item.record).unwrap();
        let ty = json["type"].as_str().unwrap().to_owned();
        let expected = match item.change.entity {
            EntityKind::DirectoryEntry => "entry",
            EntityKind::CustomerLink => "customer_links",
            other => other.as_str(),
        };
        if ty == "tombstone" {
            // Only the deleted unit is gone.
            assert_eq!(item.change.entity, EntityKind::DirectoryEntry);
            assert!(crm.entry(crmlite::EntryId(item.change.entity_id)).is_err());
        } else {
            assert_eq!(ty, expected, "{:?}", item.change);
            assert!(
                item.change.entity == EntityKind::CustomerLink
                    || json["record"]["id"] == serde_json::json!(item.change.entity_id)
                    || item.change.entity == EntityKind::Consent
                    || item.change.entity == EntityKind::DirectoryKind,
                "{json}"
            );
        }
        *by_type.entry(ty).or_default() += 1;
    }
    assert!(by_type.len() >= 23, "{by_type:?}");
    // An order comes with its lines, a deal with its current stage (after the move).
    let order = items
        .iter()
        .find_map(|i| match &i.record {
            SyncRecord::Order(o) => Some(o),
            _ => None,
        })
        .unwrap();
    assert_eq!(order.lines[0].product, "Վիտամին C");
    assert_eq!(order.external_id.as_deref(), Some("ՉԵԿ-1"));
    let deals: Vec<_> = items
        .iter()
        .filter_map(|i| match &i.record {
            SyncRecord::Deal(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(deals.len(), 2, "added, then moved");
    assert!(deals.iter().all(|d| d.stage == deal_before.items[0].stage));
    let links = items
        .iter()
        .find_map(|i| match &i.record {
            SyncRecord::CustomerLinks(l) => Some(l),
            _ => None,
        })
        .unwrap();
    assert_eq!(links[0].role, "buyer");
    // The JSON Lines form carries the same records.
    let lines = String::from_utf8(crm.sync_pull_json_lines("accounting", 1000).unwrap()).unwrap();
    let order_line = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["record"]["type"] == "order")
        .unwrap();
    assert_eq!(
        order_line["record"]["record"]["external_id"],
        serde_json::json!("ՉԵԿ-1")
    );
    assert_eq!(order_line["change"]["op"], "insert");
}

#[test]
fn unlinking_pulls_the_persons_remaining_links_not_a_tombstone() {
    let (crm, _) = fresh();
    let nino = crm.add_customer(&NewCustomer::person("ნინო")).unwrap();
    let a = crm
        .add_customer(&NewCustomer::organisation("Α.Ε. Ένα"))
        .unwrap();
    let b = crm
        .add_customer(&NewCustomer::organisation("شرکت دو"))
        .unwrap();
    crm.link_customer(nino.id, a.id, "buyer").unwrap();
    crm.link_customer(nino.id, b.id, "director").unwrap();
    crm.unlink_customer(nino.id, a.id).unwrap();
    let items = crm.sync_pull("web", 100).unwrap();
    let last = items.last().unwrap();
    assert_eq!(last.change.op, ChangeOp::Delete);
    match &last.record {
        SyncRecord::CustomerLinks(links) => {
            assert_eq!(links.len(), 1);
            assert_eq!(links[0].organisation, b.id);
        }
        other => panic!("{other:?}"),
    }
    let (_, outcome) = crm
        .upsert_entry("unit", &EntryInput::new("pc", "հատ"))
        .unwrap();
    assert_eq!(outcome, UpsertOutcome::Inserted);
}

#[test]
fn verify_reports_an_external_id_of_a_missing_record() {
    let db = support::TestDb::new("external_ids_verify");
    if db.is_postgres() {
        return; // the damage below is written with SQLite directly
    }
    let crm = db.open();
    every_kind(&crm);
    for (kind, id) in fed_records(&crm) {
        if !matches!(kind, EntityKind::CustomerLink | EntityKind::DirectoryEntry) {
            crm.map_external_id("erp", &format!("{kind}-{id}"), kind, id)
                .unwrap();
        }
    }
    assert!(crm.verify().unwrap().ok());
    drop(crm);
    let conn = rusqlite::Connection::open(&db.target).unwrap();
    conn.execute_batch(
        "INSERT INTO external_ids (system, external_id, entity, entity_id, created_at) \
         VALUES ('erp', 'ghost', 'deal', 4242, 0)",
    )
    .unwrap();
    drop(conn);
    let report = db.open().verify().unwrap();
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, vec!["external_ids_point_to_records"]);
}

#[test]
fn changes_export_as_csv_in_a_legacy_encoding_or_as_json_lines() {
    use crmlite::import::{ExportOptions, FileFormat, TextEncoding};
    let (crm, _) = fresh();
    let ivan = crm
        .add_customer(&NewCustomer::person("Иван Петров"))
        .unwrap();
    crm.upsert_entry("unit", &EntryInput::new("pc", "=шт"))
        .unwrap();
    crm.upsert_entry("unit", &EntryInput::new("kg", "кг"))
        .unwrap();
    crm.delete_entry("unit", "kg").unwrap();
    let options = ExportOptions::new()
        .delimiter(b';')
        .encoding(TextEncoding::Windows1251);
    let bytes = crm.export_changes("1c", 100, &options).unwrap();
    let text = TextEncoding::Windows1251.decode(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "seq;at;op;entity;entity_id;type;record");
    assert!(
        lines[1].starts_with(&format!(
            "1;2026-12-01T00:00:00.000Z;insert;customer;{};customer;",
            ivan.id
        )),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("Иван Петров"), "{}", lines[1]);
    assert!(
        lines[2].contains(";entry;") && lines[2].contains("\"\"name\"\":\"\"=шт\"\""),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with(";insert;directory_entry;2;tombstone;"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].ends_with(";delete;directory_entry;2;tombstone;"),
        "{}",
        lines[4]
    );
    assert_eq!(lines.len(), 5);
    assert_eq!(
        crm.sync_cursor("1c").unwrap(),
        0,
        "an export does not move the cursor"
    );
    assert_eq!(
        crm.export_changes(
            "1c",
            100,
            &ExportOptions::new().format(FileFormat::JsonLines)
        )
        .unwrap(),
        crm.sync_pull_json_lines("1c", 100).unwrap()
    );
    // Armenian has no windows-1251 form: the error names the change.
    crm.add_customer(&NewCustomer::person("Նարեկ")).unwrap();
    assert_eq!(
        crm.export_changes("1c", 100, &options).unwrap_err().field(),
        Some("changes[5]")
    );
}
