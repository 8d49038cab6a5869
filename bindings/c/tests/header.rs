//! Checks that `include/crmlite.h` is exactly what cbindgen generates from the sources.
//! Run with `CRMLITE_BLESS=1` to rewrite the header after changing the C API.
#![allow(clippy::expect_used)] // a test helper that cannot set up must fail loudly

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `#define`s for the version, derived from this crate's version.
fn version_macros() -> String {
    let [major, minor, patch] = [
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    ]
    .map(|part| part.parse::<u32>().expect("a numeric version part"));
    let number = major * 1_000_000 + minor * 1_000 + patch;
    format!(
        "/** The version of this header; compare with crmlite_version(). */\n\
         #define CRMLITE_VERSION_MAJOR {major}\n\
         #define CRMLITE_VERSION_MINOR {minor}\n\
         #define CRMLITE_VERSION_PATCH {patch}\n\
         #define CRMLITE_VERSION \"{major}.{minor}.{patch}\"\n\
         /** MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with crmlite_version_number(). */\n\
         #define CRMLITE_VERSION_NUMBER {number}"
    )
}

fn generate() -> Vec<u8> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    config.after_includes = Some(version_macros());
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

#[test]
fn committed_header_is_up_to_date() {
    let path = repo_root().join("include/crmlite.h");
    let generated = generate();
    // Tests may read the environment; the library never does.
    #[allow(clippy::disallowed_methods)]
    let bless = std::env::var("CRMLITE_BLESS").is_ok_and(|v| v == "1");
    if bless {
        std::fs::write(&path, &generated).expect("write include/crmlite.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/crmlite.h is stale or missing: run `CRMLITE_BLESS=1 cargo test -p crmlite-c --test header` and commit it"
    );
}

#[test]
fn header_declares_every_export() {
    let header = String::from_utf8(generate()).expect("UTF-8 header");
    let src = repo_root().join("bindings/c/src");
    let mut exports = 0;
    for entry in std::fs::read_dir(&src).expect("read src") {
        let text = std::fs::read_to_string(entry.expect("dir entry").path()).expect("read source");
        for line in text.lines() {
            if let Some(rest) = line
                .trim_start()
                .strip_prefix("pub unsafe extern \"C\" fn ")
            {
                let name = rest.split('(').next().unwrap_or_default();
                let declared =
                    header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}("));
                assert!(declared, "{name} is missing from the header");
                exports += 1;
            }
        }
    }
    assert!(exports > 50, "found only {exports} exports");
    for name in [
        "crmlite_customer",
        "crmlite_customer_cursor",
        "crmlite_timeline_cursor",
        "crmlite_change_cursor",
    ] {
        assert!(
            header.contains(&format!("typedef struct {name} {name};")),
            "{name} is not opaque"
        );
    }
}
