//! End-to-end tests of reference directories, external ids, sync consumers, import and export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::NaiveDate;
use crmlite::changes::ChangeOp;
use crmlite::customer::{CustomerKind, NewCustomer};
use crmlite::import::{
    ExportOptions, FileFormat, ImportMode, ImportOptions, MatchBy, TextEncoding,
};
use crmlite::reference::{
    EntryInput, FieldDef, FieldType, FieldValue, NewDirectoryKind, SyncRecord, UpsertOutcome,
};
use crmlite::{Crm, Currency, EntityKind, ErrorKind, Money};
use support::fresh;

fn amd() -> Currency {
    Currency::parse("AMD", "currency").unwrap()
}

/// Everything a failed import must leave untouched: every entry of the kinds used here,
/// every customer and the whole change feed.
fn snapshot(crm: &Crm) -> (Vec<String>, usize, usize) {
    let mut entries = Vec::new();
    for kind in [
        "product",
        "category",
        "unit",
        "price_list",
        "price",
        "store",
    ] {
        for e in crm.list_entries(kind, None, true, 1000).unwrap().items {
            entries.push(format!(
                "{kind}:{}:{}:{:?}:{}",
                e.external_code, e.name, e.fields, e.version
            ));
        }
    }
    let customers = crm.list_customers(None, 1000).unwrap().items.len();
    (
        entries,
        customers,
        crm.changes_since(0, 1000).unwrap().len(),
    )
}

fn seed_basics(crm: &Crm) {
    crm.upsert_entry("unit", &EntryInput::new("pc", "հատ"))
        .unwrap();
    crm.upsert_entry("category", &EntryInput::new("MED", "Դեղեր"))
        .unwrap();
    crm.upsert_entry(
        "category",
        &EntryInput::new("MED-PAIN", "Ցավազրկողներ")
            .field("parent", FieldValue::Reference("MED".into())),
    )
    .unwrap();
}

/// A products file from the Yerevan pharmacy's accounting program, in ARMSCII-8 with `;`
/// and decimal commas.
fn pharmacy_products() -> Vec<u8> {
    let text = "external_code;name;category;unit;price;tax_rate\n\
                A-100;Ասպիրին 500 մգ;MED-PAIN;pc;1 250,50;20\n\
                A-101;Պարացետամոլ;MED-PAIN;pc;890;20\n\
                A-102;Վիտամին C «Երևան»;MED;pc;2 100,00;0\n";
    TextEncoding::Armscii8.encode(text, "file").unwrap()
}

#[test]
fn directories_keep_a_tree_references_archive_and_history() {
    let (crm, _) = fresh();
    seed_basics(&crm);
    let cycle =
        EntryInput::new("MED", "Դեղեր").field("parent", FieldValue::Reference("MED-PAIN".into()));
    let err = crm.upsert_entry("category", &cycle).unwrap_err();
    assert_eq!(err.field(), Some("fields.parent"));
    let missing = EntryInput::new("X", "x").field("category", FieldValue::Reference("NOPE".into()));
    assert_eq!(
        crm.upsert_entry("product", &missing).unwrap_err().field(),
        Some("fields.category")
    );

    let aspirin = EntryInput::new("A-1", "Ասպիրին")
        .field("category", FieldValue::Reference("MED-PAIN".into()))
        .field("price", FieldValue::Money(Money::new(125_050, amd())))
        .field("tax_rate", FieldValue::Percent(2000));
    let (first, outcome) = crm.upsert_entry("product", &aspirin).unwrap();
    assert_eq!(outcome, UpsertOutcome::Inserted);
    let seq = crm.changes_since(0, 1000).unwrap().len();
    let (same, outcome) = crm.upsert_entry("product", &aspirin).unwrap();
    assert_eq!((outcome, same.version), (UpsertOutcome::Unchanged, 1));
    assert_eq!(
        crm.changes_since(0, 1000).unwrap().len(),
        seq,
        "an unchanged upsert records no change"
    );

    // A referenced category cannot be deleted, only archived; archived entries leave lists.
    assert_eq!(
        crm.delete_entry("category", "MED-PAIN").unwrap_err().kind(),
        ErrorKind::Conflict
    );
    let archived = crm
        .set_entry_archived("category", "MED-PAIN", true)
        .unwrap();
    assert!(archived.archived && archived.version == 2);
    let listed = crm
        .list_entries("category", None, false, 100)
        .unwrap()
        .items;
    assert_eq!(
        listed
            .iter()
            .map(|e| e.external_code.as_str())
            .collect::<Vec<_>>(),
        vec!["MED"]
    );
    assert_eq!(
        crm.entry_by_code("category", "MED-PAIN").unwrap().name,
        "Ցավազրկողներ"
    );

    crm.delete_entry("product", "A-1").unwrap();
    assert_eq!(crm.entry(first.id).unwrap_err().kind(), ErrorKind::NotFound);
    crm.delete_entry("category", "MED-PAIN").unwrap();
    let history: Vec<(ChangeOp, i64)> = crm
        .changes_since(0, 1000)
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == EntityKind::DirectoryEntry)
        .map(|c| (c.op, c.entity_id))
        .collect();
    assert_eq!(history.last(), Some(&(ChangeOp::Delete, archived.id.0)));
    assert!(history.contains(&(ChangeOp::Update, archived.id.0)));
    assert!(history.contains(&(ChangeOp::Delete, first.id.0)));
}

#[test]
fn user_defined_kinds_have_typed_fields() {
    let (crm, _) = fresh();
    crm.upsert_entry("store", &EntryInput::new("YER-1", "Կենտրոն"))
        .unwrap();
    let kind = NewDirectoryKind {
        name: "shelf".into(),
        label: "Դարակներ".into(),
        fields: vec![
            FieldDef::new("store", FieldType::Reference("store".into()), true),
            FieldDef::new("capacity", FieldType::Integer, true),
            FieldDef::new("cold", FieldType::Boolean, false),
        ],
    };
    crm.define_directory(&kind).unwrap();
    assert_eq!(
        crm.define_directory(&kind).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    let bad_ref = NewDirectoryKind {
        name: "bin".into(),
        label: "Bins".into(),
        fields: vec![FieldDef::new(
            "x",
            FieldType::Reference("nothing".into()),
            false,
        )],
    };
    assert_eq!(
        crm.define_directory(&bad_ref).unwrap_err().field(),
        Some("fields[0].field_type")
    );
    assert!(
        crm.directory_kinds()
            .unwrap()
            .iter()
            .any(|k| k.name == "shelf" && !k.builtin)
    );

    let file =
        "external_code,name,store,capacity,cold\nS-1,Սառնարան,YER-1,۱۲۰,yes\nS-2,Դարակ,YER-1,40,\n";
    let report = crm
        .import_directory("shelf", file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(report.inserted, 2);
    let cold = crm.entry_by_code("shelf", "S-1").unwrap();
    assert_eq!(cold.field("capacity"), Some(&FieldValue::Integer(120)));
    assert_eq!(cold.field("cold"), Some(&FieldValue::Boolean(true)));
    assert_eq!(
        crm.delete_entry("store", "YER-1").unwrap_err().kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn price_lists_give_the_price_valid_on_a_day() {
    let (crm, _) = fresh();
    crm.import_directory("product", &pharmacy_products(), &pharmacy_options())
        .expect_err("categories are missing");
    seed_basics(&crm);
    crm.import_directory("product", &pharmacy_products(), &pharmacy_options())
        .unwrap();
    crm.upsert_entry(
        "price_list",
        &EntryInput::new("RETAIL", "Մանրածախ").field("currency", FieldValue::Currency(amd())),
    )
    .unwrap();
    let prices = "external_code;price_list;product;price;valid_from;valid_to\n\
                  R-1;RETAIL;A-100;1 200;01.01.2026;30.06.2026\n\
                  R-2;RETAIL;A-100;1 300,00;01.07.2026;\n";
    let report = crm
        .import_directory(
            "price",
            prices.as_bytes(),
            &pharmacy_options().map("external_code", "external_code"),
        )
        .unwrap_err();
    assert_eq!(report.field(), Some("line[2].name"), "prices need a name");
    let prices = prices
        .replace("external_code;", "external_code;name;")
        .replace("\nR-1;", "\nR-1;H1;")
        .replace("\nR-2;", "\nR-2;H2;");
    crm.import_directory("price", prices.as_bytes(), &pharmacy_options())
        .unwrap();
    let on = |m, d| {
        crm.product_price(
            "RETAIL",
            "A-100",
            NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(on(3, 1), Some(Money::new(120_000, amd())));
    assert_eq!(on(12, 7), Some(Money::new(130_000, amd())));
    assert_eq!(
        crm.product_price(
            "RETAIL",
            "A-101",
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        )
        .unwrap(),
        None
    );
    let missing = "external_code;name;price_list;product;price\nR-3;H3;RETAIL;NO-SUCH;10\n";
    let err = crm
        .import_directory("price", missing.as_bytes(), &pharmacy_options())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].product"));
}

fn pharmacy_options() -> ImportOptions {
    ImportOptions::new()
        .encoding(TextEncoding::Armscii8)
        .delimiter(b';')
        .currency(amd())
}

#[test]
fn an_armscii8_file_imports_once_and_a_second_import_changes_nothing() {
    let (crm, _) = fresh();
    seed_basics(&crm);
    let report = crm
        .import_directory("product", &pharmacy_products(), &pharmacy_options())
        .unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (3, 0, 0)
    );
    assert!(report.fast_path);
    let aspirin = crm.entry_by_code("product", "A-100").unwrap();
    assert_eq!(aspirin.name, "Ասպիրին 500 մգ");
    assert_eq!(
        aspirin.field("price"),
        Some(&FieldValue::Money(Money::new(125_050, amd())))
    );
    assert_eq!(aspirin.field("tax_rate"), Some(&FieldValue::Percent(2000)));
    assert_eq!(
        crm.entry_by_code("product", "A-102").unwrap().name,
        "Վիտամին C «Երևան»"
    );

    let before = snapshot(&crm);
    let again = crm
        .import_directory("product", &pharmacy_products(), &pharmacy_options())
        .unwrap();
    assert_eq!(
        (
            again.inserted,
            again.updated,
            again.unchanged,
            again.fast_path
        ),
        (0, 0, 3, false)
    );
    assert_eq!(
        snapshot(&crm),
        before,
        "the second import wrote rows or changes"
    );

    // One changed price updates one entry and records one change.
    let changed = TextEncoding::Armscii8
        .decode(&pharmacy_products())
        .unwrap()
        .replace("890", "900");
    let file = TextEncoding::Armscii8.encode(&changed, "file").unwrap();
    let third = crm
        .import_directory("product", &file, &pharmacy_options())
        .unwrap();
    assert_eq!((third.inserted, third.updated, third.unchanged), (0, 1, 2));
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), before.2 + 1);
}

#[test]
fn windows_1251_persian_digit_and_decimal_comma_files_import() {
    let (crm, _) = fresh();
    let units = TextEncoding::Windows1251
        .encode(
            "external_code\tname\tsymbol\nkg\tКилограмм\tкг\nl\tЛитр\tл\n",
            "f",
        )
        .unwrap();
    let options = ImportOptions::new()
        .encoding(TextEncoding::Windows1251)
        .delimiter(b'\t');
    assert_eq!(
        crm.import_directory("unit", &units, &options)
            .unwrap()
            .inserted,
        2
    );
    assert_eq!(crm.entry_by_code("unit", "kg").unwrap().name, "Килограмм");

    let irr = Currency::parse("IRR", "c").unwrap();
    let persian = "external_code,name,price,tax_rate\nک-۱,کرم مرطوب‌کننده,\"۱٬۲۵۰٬۰۰۰\",۹\n";
    let report = crm
        .import_directory(
            "product",
            persian.as_bytes(),
            &ImportOptions::new().currency(irr),
        )
        .unwrap();
    assert_eq!(report.inserted, 1);
    let cream = crm.entry_by_code("product", "ک-۱").unwrap();
    assert_eq!(
        cream.field("price"),
        Some(&FieldValue::Money(Money::new(125_000_000, irr)))
    );
    assert_eq!(cream.field("tax_rate"), Some(&FieldValue::Percent(900)));

    let eur = Currency::parse("EUR", "c").unwrap();
    let greek = TextEncoding::Windows1253
        .encode(
            "external_code;name;price\nΕ-1;Κρέμα χεριών;1.234,56\nΕ-2;Σαπούνι;3,5\n",
            "f",
        )
        .unwrap();
    let options = ImportOptions::new()
        .encoding(TextEncoding::Windows1253)
        .delimiter(b';')
        .currency(eur);
    assert_eq!(
        crm.import_directory("product", &greek, &options)
            .unwrap()
            .inserted,
        2
    );
    assert_eq!(
        crm.entry_by_code("product", "Ε-1").unwrap().field("price"),
        Some(&FieldValue::Money(Money::new(123_456, eur)))
    );
    assert_eq!(
        crm.entry_by_code("product", "Ε-2").unwrap().field("price"),
        Some(&FieldValue::Money(Money::new(350, eur)))
    );
}

#[test]
fn export_import_export_is_byte_identical_and_spreadsheet_safe() {
    let (crm, _) = fresh();
    seed_basics(&crm);
    crm.import_directory("product", &pharmacy_products(), &pharmacy_options())
        .unwrap();
    crm.upsert_entry("product", &EntryInput::new("A-103", "=HYPERLINK(\"x\")"))
        .unwrap();
    crm.set_entry_archived("product", "A-101", true).unwrap();

    for options in [
        ExportOptions::new()
            .encoding(TextEncoding::Armscii8)
            .delimiter(b';')
            .decimal_comma(true),
        ExportOptions::new(),
        ExportOptions::new().format(FileFormat::JsonLines),
    ] {
        let first = crm.export_directory("product", &options).unwrap();
        let text = options.encoding.decode(&first).unwrap().into_owned();
        if options.format == FileFormat::Csv {
            assert!(
                text.contains("'=HYPERLINK"),
                "a formula must not reach a spreadsheet as is: {text}"
            );
        }
        let (copy, _) = fresh();
        seed_basics(&copy);
        let import = ImportOptions::new()
            .encoding(options.encoding)
            .delimiter(options.delimiter)
            .format(options.format);
        let report = copy.import_directory("product", &first, &import).unwrap();
        assert_eq!(report.inserted, 4);
        assert_eq!(
            copy.entry_by_code("product", "A-103").unwrap().name,
            "=HYPERLINK(\"x\")"
        );
        assert!(copy.entry_by_code("product", "A-101").unwrap().archived);
        assert_eq!(
            copy.export_directory("product", &options).unwrap(),
            first,
            "{options:?}"
        );
    }
    // Armenian text has no Windows-1252 form: the error names the entry.
    let err = crm
        .export_directory(
            "product",
            &ExportOptions::new().encoding(TextEncoding::Windows1252),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("entries[A-100]"));
}

#[test]
fn bad_files_are_rejected_with_line_and_field_and_change_nothing() {
    let (crm, _) = fresh();
    seed_basics(&crm);
    crm.import_directory("product", &pharmacy_products(), &pharmacy_options())
        .unwrap();
    let before = snapshot(&crm);
    let utf8 = ImportOptions::new().delimiter(b';').currency(amd());
    let mut wrong_bytes = b"external_code;name;price\nA-100;ok;1\nA-200;".to_vec();
    wrong_bytes.extend(TextEncoding::Windows1251.encode("Аспирин", "f").unwrap());
    wrong_bytes.extend(b";5\n");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (wrong_bytes, "line[3]"),
        (
            b"external_code;name;price\nA-100;x;1\nA-200;y;12,3,4x\n".to_vec(),
            "line[3].price",
        ),
        (
            b"external_code;name;colour\nA-200;y;red\n".to_vec(),
            "line[1].colour",
        ),
        (
            b"external_code;name;price\nA-200;y;1\nA-201;z;2\nA-200;w;3\n".to_vec(),
            "line[4].external_code",
        ),
        (
            b"external_code;name;price\nA-200;;1\n".to_vec(),
            "line[2].name",
        ),
        (
            b"name;price\nnameless;1\n".to_vec(),
            "line[2].external_code",
        ),
        (
            b"external_code;name;unit\nA-200;y;box\n".to_vec(),
            "line[2].unit",
        ),
    ];
    for (file, field) in cases {
        let err = crm.import_directory("product", &file, &utf8).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Validation, Some(field)),
            "{err}"
        );
        assert_eq!(
            snapshot(&crm),
            before,
            "a rejected import changed the database ({field})"
        );
    }
}

#[test]
fn skip_bad_rows_writes_the_good_rows_and_reports_the_rest() {
    let (crm, _) = fresh();
    seed_basics(&crm);
    let mut file = String::from("external_code,name,category,price\n");
    for i in 0..1000 {
        let price = if i == 500 {
            "12x".to_owned()
        } else {
            format!("{i}.50")
        };
        file.push_str(&format!("P-{i},Ապրանք {i},MED,{price}\n"));
    }
    file.push_str("P-1,Կրկնօրինակ,MED,1\nP-2000,Orphan,NO-CAT,1\n");
    let all = ImportOptions::new().currency(amd());
    let before = snapshot(&crm);
    let err = crm
        .import_directory("product", file.as_bytes(), &all)
        .unwrap_err();
    assert_eq!(err.field(), Some("line[502].price"));
    assert_eq!(snapshot(&crm), before);

    let report = crm
        .import_directory(
            "product",
            file.as_bytes(),
            &all.clone().mode(ImportMode::SkipBadRows),
        )
        .unwrap();
    assert_eq!(report.inserted, 999);
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![(502, "price"), (1002, "external_code"), (1003, "category")]
    );
    assert_eq!(
        crm.list_entries("product", None, true, 1000)
            .unwrap()
            .items
            .len(),
        999
    );
}

#[test]
fn a_child_row_may_come_before_its_parent_in_the_file() {
    let (crm, _) = fresh();
    let file = "external_code,name,parent\nC-3,Երրորդ,C-2\nC-2,Երկրորդ,C-1\nC-1,Առաջին,\n";
    let report = crm
        .import_directory("category", file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!(report.inserted, 3);
    let cycle = "external_code,name,parent\nC-1,Առաջին,C-3\n";
    let err = crm
        .import_directory("category", cycle.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].parent"));
}

#[test]
fn customers_and_organisations_import_with_contact_points_and_upsert() {
    let (crm, _) = fresh();
    let file = "external_code,kind,name,email,phone,city,country,tags\n\
                K-1,person,Արամ Սարգսյան,aram@example.am,+374 10 123456,Երևան,AM,vip;pharmacy\n\
                K-2,organisation,ООО «Ромашка»,info@example.ru,,Москва,RU,\n\
                K-3,person,Νίκος Παπαδόπουλος,nikos@example.gr;n@example.gr,+30 210 1234567,Αθήνα,GR,\n";
    let report = crm
        .import_customers(file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!((report.inserted, report.fast_path), (3, true));
    let aram = crm.customer_by_code(CustomerKind::Person, "K-1").unwrap();
    assert_eq!(aram.primary_phone(), Some("+37410123456"));
    assert_eq!(aram.tags, vec!["pharmacy", "vip"]);
    assert_eq!(aram.address.as_ref().unwrap().city, "Երևան");
    let nikos = crm.customer_by_code(CustomerKind::Person, "K-3").unwrap();
    assert_eq!(nikos.emails.len(), 2);
    assert_eq!(
        crm.customer_by_code(CustomerKind::Organisation, "K-2")
            .unwrap()
            .name,
        "ООО «Ромашка»"
    );

    let before = snapshot(&crm);
    let again = crm
        .import_customers(file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!((again.unchanged, again.inserted, again.updated), (3, 0, 0));
    assert_eq!(snapshot(&crm), before);

    // A file with fewer columns changes only what it names.
    let rename = "external_code,name\nK-1,Արամ Սարգսյան-Պետրոսյան\n";
    assert_eq!(
        crm.import_customers(rename.as_bytes(), &ImportOptions::new())
            .unwrap()
            .updated,
        1
    );
    let aram2 = crm.customer(aram.id).unwrap();
    assert_eq!(
        (aram2.version, aram2.emails.len(), aram2.tags.len()),
        (2, 1, 2)
    );

    // The customer rules apply: a bad e-mail is rejected with its line and column.
    let before = snapshot(&crm);
    let bad = "external_code,name,email\nK-9,Շողիկ,not-an-email\n";
    let err = crm
        .import_customers(bad.as_bytes(), &ImportOptions::new())
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2].email"));
    assert_eq!(snapshot(&crm), before);
}

#[test]
fn customers_match_by_an_external_mapping_and_json_lines() {
    let (crm, _) = fresh();
    let options = ImportOptions::new()
        .format(FileFormat::JsonLines)
        .match_by(MatchBy::ExternalId("1c".into()));
    let file = "{\"external_id\":\"000123\",\"name\":\"شیرین احمدی\",\"phone\":\"+98 912 345 6789\"}\n\
                {\"external_id\":\"000124\",\"name\":\"علی رضایی\",\"kind\":\"person\"}\n";
    assert_eq!(
        crm.import_customers(file.as_bytes(), &options)
            .unwrap()
            .inserted,
        2
    );
    let shirin = crm.resolve_external_id("1c", "000123").unwrap().unwrap();
    assert_eq!(shirin.entity, EntityKind::Customer);
    let before = snapshot(&crm);
    let report = crm.import_customers(file.as_bytes(), &options).unwrap();
    assert_eq!(report.unchanged, 2);
    assert_eq!(snapshot(&crm), before);
    let renamed = file.replace("شیرین احمدی", "شیرین احمدی‌نژاد");
    assert_eq!(
        crm.import_customers(renamed.as_bytes(), &options)
            .unwrap()
            .updated,
        1
    );
    assert_eq!(
        crm.customer(crmlite::CustomerId(shirin.entity_id))
            .unwrap()
            .name,
        "شیرین احمدی‌نژاد"
    );
}

#[test]
fn external_ids_map_records_of_several_systems_both_ways() {
    let (crm, _) = fresh();
    let giorgi = crm
        .add_customer(&NewCustomer::person("გიორგი ბერიძე"))
        .unwrap();
    let (sofa, _) = crm
        .upsert_entry("product", &EntryInput::new("SOFA-1", "დივანი"))
        .unwrap();
    let m1 = crm
        .map_external_id("1c", "C-77", EntityKind::Customer, giorgi.id.0)
        .unwrap();
    crm.map_external_id("quickbooks", "qb-9", EntityKind::Customer, giorgi.id.0)
        .unwrap();
    crm.map_external_id("1c", "N-5", EntityKind::DirectoryEntry, sofa.id.0)
        .unwrap();
    assert_eq!(
        crm.map_external_id("1c", "C-77", EntityKind::Customer, giorgi.id.0)
            .unwrap(),
        m1
    );
    assert_eq!(
        crm.map_external_id("1c", "C-77", EntityKind::DirectoryEntry, sofa.id.0)
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        crm.map_external_id("1c", "C-78", EntityKind::Customer, 9999)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        crm.map_external_id("", "C-78", EntityKind::Customer, giorgi.id.0)
            .unwrap_err()
            .field(),
        Some("system")
    );
    let systems: Vec<String> = crm
        .external_ids(EntityKind::Customer, giorgi.id.0)
        .unwrap()
        .into_iter()
        .map(|m| m.system)
        .collect();
    assert_eq!(systems, vec!["1c", "quickbooks"]);
    let found = crm.resolve_external_id("1c", "N-5").unwrap().unwrap();
    assert_eq!(
        (found.entity, found.entity_id),
        (EntityKind::DirectoryEntry, sofa.id.0)
    );
    crm.unmap_external_id("1c", "C-77").unwrap();
    assert!(crm.resolve_external_id("1c", "C-77").unwrap().is_none());
    assert_eq!(
        crm.unmap_external_id("1c", "C-77").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn sync_consumers_pull_current_records_and_keep_their_own_cursor() {
    let (crm, _) = fresh();
    assert_eq!(crm.sync_cursor("accounting").unwrap(), 0);
    let aram = crm.add_customer(&NewCustomer::person("Արամ")).unwrap();
    crm.upsert_entry("unit", &EntryInput::new("pc", "հատ"))
        .unwrap();
    crm.upsert_entry("unit", &EntryInput::new("pc", "հատ."))
        .unwrap();
    crm.upsert_entry("unit", &EntryInput::new("box", "տուփ"))
        .unwrap();
    crm.delete_entry("unit", "box").unwrap();

    let items = crm.sync_pull("accounting", 100).unwrap();
    assert_eq!(items.len(), 5);
    assert!(matches!(&items[0].record, SyncRecord::Customer(c) if c.id == aram.id));
    // Both changes of `pc` carry its current state.
    for item in &items[1..3] {
        assert!(matches!(&item.record, SyncRecord::Entry(e) if e.name == "հատ."));
    }
    assert!(matches!(items[3].record, SyncRecord::Tombstone));
    assert!(matches!(items[4].record, SyncRecord::Tombstone));

    crm.advance_sync_cursor("accounting", items[2].change.seq)
        .unwrap();
    assert_eq!(crm.sync_cursor("accounting").unwrap(), items[2].change.seq);
    assert_eq!(crm.sync_pull("accounting", 100).unwrap().len(), 2);
    assert_eq!(
        crm.sync_pull("website", 100).unwrap().len(),
        5,
        "each consumer has its own cursor"
    );
    assert_eq!(
        crm.advance_sync_cursor("accounting", 1)
            .unwrap_err()
            .field(),
        Some("seq")
    );
    assert_eq!(
        crm.advance_sync_cursor("accounting", 99)
            .unwrap_err()
            .field(),
        Some("seq")
    );
    assert_eq!(crm.sync_cursor("accounting").unwrap(), items[2].change.seq);
    let lines = String::from_utf8(crm.sync_pull_json_lines("accounting", 100).unwrap()).unwrap();
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["change"]["seq"],
        serde_json::json!(items[3].change.seq)
    );
    assert_eq!(first["record"]["type"], "tombstone");
    assert_eq!(lines.lines().count(), 2);
    crm.advance_sync_cursor("accounting", items[4].change.seq)
        .unwrap();
    assert!(crm.sync_pull("accounting", 100).unwrap().is_empty());
}

#[test]
fn a_bulk_customer_import_builds_the_search_index_after_the_load() {
    let (crm, _) = fresh();
    let mut file = String::from("external_code,name,email\n");
    for i in 0..1500 {
        file.push_str(&format!("K-{i},Ελένη Νικολάου {i},e{i}@example.gr\n"));
    }
    let report = crm
        .import_customers(file.as_bytes(), &ImportOptions::new())
        .unwrap();
    assert_eq!((report.inserted, report.fast_path), (1500, true));
    let found = crm.search_customers("ελενη 1234", 10).unwrap();
    assert_eq!(
        found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Ελένη Νικολάου 1234"]
    );
    assert_eq!(crm.customers_by_email("e777@example.gr").unwrap().len(), 1);
    // Customers added one by one afterwards are indexed as before.
    crm.add_customer(&NewCustomer::person("Σοφία Γεωργίου"))
        .unwrap();
    assert_eq!(crm.search_customers("σοφια", 10).unwrap().len(), 1);
    assert_eq!(crm.changes_since(0, 1000).unwrap().len(), 1000);
}
