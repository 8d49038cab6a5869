//! Shared helpers of the CLI tests: a temp directory per test and a runner of the built binary.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixed clock of every run unless a test moves it.
pub const NOW: &str = "2026-12-07T11:00:00Z";

/// A directory under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty directory named after the test and this test process.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("crmlite-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The JSON printed by a successful run.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// The output of a successful run.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        &self.stdout
    }

    /// Asserts the run failed with `code` and an error message holding every word.
    pub fn fails(&self, code: i32, words: &[&str]) {
        assert_eq!(
            self.code, code,
            "stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        for word in words {
            assert!(
                self.stderr.contains(word),
                "{word:?} not in {}",
                self.stderr
            );
        }
    }
}

/// Runs `crmlite --now <now> <args>` in `dir` (so `--db` defaults to `dir/crmlite.db`).
pub fn crmlite_at(dir: &Path, now: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_crmlite"))
        .current_dir(dir)
        .arg("--now")
        .arg(now)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `crmlite --now NOW <args>` in `dir`.
pub fn crmlite(dir: &Path, args: &[&str]) -> Run {
    crmlite_at(dir, NOW, args)
}
