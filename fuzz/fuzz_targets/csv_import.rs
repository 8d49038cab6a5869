//! Arbitrary bytes into the customer and directory importers, with options chosen by the
//! first byte. Must hold: no panic; a refusal is a `Validation` error naming a field; an
//! accepted file imported again changes nothing (I24); `verify()` passes.
#![no_main]

use crmlite::import::{FileFormat, ImportMode, ImportOptions, TextEncoding};
use crmlite::{Crm, ErrorKind, FixedClock, OpenOptions, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

fn open_at(path: &Path) -> Crm {
    OpenOptions::new()
        .clock(Arc::new(FixedClock::new(Timestamp(1_796_083_200_000))))
        .synchronous(crmlite::Synchronous::Normal)
        .open(path)
        .expect("open")
}

/// A migrated, empty database made once per process (`scripts/fuzz` removes the directory).
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("crmlite-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("template.db");
        drop(open_at(&path)); // closing the last connection checkpoints the WAL into the file
        path
    })
}

/// A fresh copy of the empty database for each input, so every run starts from the same state
/// (and a crash reproduces from its input alone) without paying for the migrations each time.
fn open() -> Crm {
    let template = template();
    let work = template.with_file_name("work.db");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    std::fs::copy(template, &work).expect("copy the template");
    open_at(&work)
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, file)) = data.split_first() else {
        return;
    };
    let crm = open();
    let mut options = ImportOptions::new()
        .delimiter([b',', b';', b'\t', b'|'][usize::from(control >> 2 & 3)])
        .encoding(match control >> 4 & 3 {
            0 | 1 => TextEncoding::Utf8,
            2 => TextEncoding::Windows1251,
            _ => TextEncoding::Armscii8,
        });
    if control & 1 == 1 {
        options = options.mode(ImportMode::SkipBadRows);
    }
    if control & 2 == 2 {
        options = options.format(FileFormat::JsonLines);
    }
    let import = |crm: &Crm| match control >> 6 {
        0 | 1 => crm.import_customers(file, &options),
        2 => crm.import_directory("unit", file, &options),
        _ => crm.import_directory("product", file, &options),
    };
    match import(&crm) {
        Ok(report) => {
            let again = import(&crm).expect("the same file again");
            assert_eq!(
                (again.inserted, again.updated),
                (0, 0),
                "a second import changed something: first {report:?}, second {again:?}"
            );
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert!(e.field().is_some_and(|f| !f.is_empty()), "{e}");
        }
    }
    let report = crm.verify().expect("verify");
    assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
});
