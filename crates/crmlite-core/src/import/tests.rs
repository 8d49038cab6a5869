//! Unit tests of encodings and file reading.

use super::rows::read_rows;
use super::{FileFormat, ImportOptions, ImportProgress, Progress, TextEncoding};
use crate::ErrorKind;
use std::ops::ControlFlow;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn armscii8_matches_the_published_mapping() {
    // Bytes produced by glibc's ARMSCII-8 converter for the same text.
    let bytes = hex("baf1a2b3dd2c20a7b8bbd5b3efe1f5dda620a82031203235302c3530");
    let text = "Երևան, «Դեղատուն» — 1 250,50";
    assert_eq!(TextEncoding::Armscii8.decode(&bytes).unwrap(), text);
    assert_eq!(TextEncoding::Armscii8.encode(text, "x").unwrap(), bytes);
    // Every capital and small letter, both ways.
    for k in 0..38u32 {
        let capital = char::from_u32(0x0531 + k).unwrap().to_string();
        let small = char::from_u32(0x0561 + k).unwrap().to_string();
        let b = u8::try_from(0xB2 + 2 * k).unwrap();
        assert_eq!(
            TextEncoding::Armscii8.encode(&capital, "x").unwrap(),
            vec![b]
        );
        assert_eq!(
            TextEncoding::Armscii8.encode(&small, "x").unwrap(),
            vec![b + 1]
        );
    }
    assert_eq!(TextEncoding::Armscii8.decode(&[0xFE]).unwrap(), "\u{55A}");
}

#[test]
fn armscii8_rejects_unassigned_bytes_and_unmappable_characters() {
    let err = TextEncoding::Armscii8
        .decode(b"code,name\n1,\xFF\n")
        .unwrap_err();
    assert_eq!(err.field(), Some("line[2]"));
    assert!(TextEncoding::Armscii8.decode(&[0xA1]).is_err());
    // The dram sign is newer than ARMSCII-8.
    assert_eq!(
        TextEncoding::Armscii8
            .encode("1 ֏", "price")
            .unwrap_err()
            .field(),
        Some("price")
    );
}

#[test]
fn windows_code_pages_decode_and_bad_bytes_name_the_line() {
    assert_eq!(
        TextEncoding::Windows1253
            .decode(&hex("c1e8deede1"))
            .unwrap(),
        "Αθήνα"
    );
    assert_eq!(
        TextEncoding::Windows1251
            .decode(&hex("cceef1eae2e0"))
            .unwrap(),
        "Москва"
    );
    assert_eq!(
        TextEncoding::Windows1251.encode("Москва", "x").unwrap(),
        hex("cceef1eae2e0")
    );
    // Windows-1251 bytes read as UTF-8 are not valid: the error names line 3.
    let mut file = b"external_code,name\nP1,ok\nP2,".to_vec();
    file.extend(hex("cceef1eae2e0"));
    let err = TextEncoding::Utf8.decode(&file).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("line[3]"));
    // 0xAA is unassigned in Windows-1253.
    assert_eq!(
        TextEncoding::Windows1253
            .decode(b"a\nb\xAA")
            .unwrap_err()
            .field(),
        Some("line[2]")
    );
    assert!(TextEncoding::Windows1252.encode("Москва", "x").is_err());
}

#[test]
fn encoding_names_parse() {
    assert_eq!(
        TextEncoding::parse("CP1251").unwrap(),
        TextEncoding::Windows1251
    );
    assert_eq!(
        TextEncoding::parse("armscii-8").unwrap(),
        TextEncoding::Armscii8
    );
    assert_eq!(TextEncoding::parse("UTF-8").unwrap(), TextEncoding::Utf8);
    assert_eq!(
        TextEncoding::parse("koi8-r").unwrap_err().field(),
        Some("encoding")
    );
}

#[test]
fn csv_reads_bom_quotes_delimiters_mapping_and_reports_short_rows() {
    let known = |f: &str| ["external_code", "name", "price"].contains(&f);
    let file = "\u{feff}Артикул;name;price\nA-1;\"Ասպիրին; 500 մգ\";\"1 250,50\"\n\nA-2;only two\n";
    let options = ImportOptions::new()
        .delimiter(b';')
        .map("Артикул", "external_code");
    let (rows, rejected) =
        read_rows(file.as_bytes(), &options, &known, &mut Progress::none()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].get("name"), Some("Ասպիրին; 500 մգ"));
    assert_eq!(rows[0].get("price"), Some("1 250,50"));
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].line, rejected[0].field.as_str()), (4, "line"));
}

#[test]
fn an_unknown_or_repeated_column_fails_the_whole_file() {
    let known = |f: &str| ["external_code", "name"].contains(&f);
    let err = read_rows(
        b"external_code,name,colour\n1,a,red\n",
        &ImportOptions::new(),
        &known,
        &mut Progress::none(),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("line[1].colour"));
    let err = read_rows(
        b"external_code,name,name\n",
        &ImportOptions::new(),
        &known,
        &mut Progress::none(),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("line[1].name"));
}

#[test]
fn json_lines_take_strings_whole_numbers_and_lists_but_never_fractions() {
    let known = |f: &str| ["external_code", "name", "price", "email"].contains(&f);
    let file = "{\"external_code\":7,\"name\":\"Νίκος\",\"email\":[\"a@x.gr\",\"b@x.gr\"]}\n\n\
                {\"external_code\":\"8\",\"price\":12.5}\n[1]\n{\"colour\":\"red\"}\n";
    let options = ImportOptions::new().format(FileFormat::JsonLines);
    let (rows, rejected) =
        read_rows(file.as_bytes(), &options, &known, &mut Progress::none()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get("external_code"), Some("7"));
    assert_eq!(rows[0].get("email"), Some("a@x.gr;b@x.gr"));
    let found: Vec<(u64, &str)> = rejected
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(found, vec![(3, "price"), (4, "line"), (5, "colour")]);
}

#[test]
fn reading_reports_progress_every_n_rows_and_at_the_end() {
    let known = |f: &str| ["external_code", "name"].contains(&f);
    let file = "external_code,name\n1,Արամ\n2,ნინო\n3,Ελένη\n4,پریسا\n5,Anna\n";
    let mut seen = Vec::new();
    let mut record = |p: &ImportProgress| {
        seen.push(*p);
        ControlFlow::Continue(())
    };
    let mut progress = Progress::new(&mut record, 2);
    let (rows, _) = read_rows(
        file.as_bytes(),
        &ImportOptions::new(),
        &known,
        &mut progress,
    )
    .unwrap();
    assert_eq!(rows.len(), 5);
    let counts: Vec<(u64, bool)> = seen.iter().map(|p| (p.rows_read, p.read_done)).collect();
    assert_eq!(counts, [(2, false), (4, false), (5, true)]);
    let total = u64::try_from(file.len()).unwrap();
    assert!(
        seen.iter()
            .all(|p| p.bytes_total == total && p.bytes_read <= total)
    );
    assert!(seen[0].bytes_read < seen[1].bytes_read);
    assert_eq!(seen[2].bytes_read, total);
}

#[test]
fn a_callback_that_breaks_stops_reading_with_a_progress_error() {
    let known = |f: &str| ["external_code", "name"].contains(&f);
    let file = "{\"external_code\":\"1\"}\n{\"external_code\":\"2\"}\n";
    let options = ImportOptions::new().format(FileFormat::JsonLines);
    let mut calls = 0;
    let mut stop = |_: &ImportProgress| {
        calls += 1;
        ControlFlow::Break(())
    };
    let mut progress = Progress::new(&mut stop, 1);
    let err = read_rows(file.as_bytes(), &options, &known, &mut progress).unwrap_err();
    assert_eq!(err.field(), Some("progress"));
    assert_eq!(calls, 1);
}
