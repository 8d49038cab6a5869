//! End-to-end tests of `crmlite verify` and `crmlite copy --to`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers below are test code and fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("crmlite-cli-verify-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `crmlite --db <dir>/crm.db <args>`: (exit code, stdout, stderr).
fn crmlite(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_crmlite"))
        .current_dir(dir)
        .args(["--db", "crm.db", "--now", "2026-12-07T11:00:00Z"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn add(dir: &Path, name: &str) {
    let (code, _, err) = crmlite(dir, &["customers", "add", "--name", name]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn verify_exits_0_on_healthy_data_and_6_on_damage() {
    let tmp = TempDir::new("damage");
    for name in ["Nino Beridze", "Ნინო Ბერიძე", "Ἑλένη"] {
        add(&tmp.0, name);
    }
    let (code, out, err) = crmlite(&tmp.0, &["verify"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("change_feed_gap_free") && out.contains("checks passed"),
        "{out}"
    );

    let conn = rusqlite::Connection::open(tmp.0.join("crm.db")).unwrap();
    conn.execute_batch("DELETE FROM changes WHERE seq = 2")
        .unwrap();
    drop(conn);

    let (code, out, err) = crmlite(&tmp.0, &["--json", "verify"]);
    assert_eq!(code, 6, "{out}{err}");
    assert!(err.contains("verify found 1 violations"), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["ok"], false);
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["violations"] != 0)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["change_feed_gap_free"]);

    let (code, out, _) = crmlite(&tmp.0, &["verify"]);
    assert_eq!(code, 6);
    assert!(out.contains("FAILED: 1 of"), "{out}");
}

#[test]
fn verify_of_a_file_that_is_not_a_database_is_a_storage_failure() {
    let tmp = TempDir::new("garbage");
    std::fs::write(tmp.0.join("crm.db"), vec![0x5a_u8; 8192]).unwrap();
    let (code, _, err) = crmlite(&tmp.0, &["verify"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn copy_to_an_empty_file_keeps_everything_and_refuses_a_full_one() {
    let tmp = TempDir::new("copy");
    add(&tmp.0, "Մարիամ Պետրոսյան");
    add(&tmp.0, "مریم رضایی");
    let (code, out, err) = crmlite(&tmp.0, &["--json", "copy", "--to", "copy.db"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let customers = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "customers")
        .unwrap();
    assert_eq!(customers["rows"], 2);

    let list = |db: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_crmlite"))
            .current_dir(&tmp.0)
            .args(["--db", db, "--json", "customers", "list"])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["items"].clone()
    };
    assert_eq!(list("crm.db"), list("copy.db"));
    let verify = Command::new(env!("CARGO_BIN_EXE_crmlite"))
        .current_dir(&tmp.0)
        .args(["--db", "copy.db", "verify"])
        .status()
        .unwrap();
    assert_eq!(verify.code(), Some(0));

    // The target now holds data: a second copy is refused and changes nothing.
    let (code, _, err) = crmlite(&tmp.0, &["copy", "--to", "copy.db"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("target"), "{err}");
    assert_eq!(list("copy.db").as_array().unwrap().len(), 2);
}
