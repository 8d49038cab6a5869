//! Crash safety: a writer process killed with SIGKILL at random moments never loses an
//! acknowledged write and never leaves a damaged database (SQLite; PostgreSQL owns its own WAL).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::disallowed_methods)]

mod support;

use crmlite::customer::NewCustomer;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::TestDb;

const CHILD_ENV: &str = "CRMLITE_CRASH_CHILD_DB";
const CYCLES: u64 = 25;

/// In the child: add customers one per transaction and acknowledge each id on stdout.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let crm = crmlite::open(&path).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let c = crm.add_customer(&NewCustomer::person(format!("Կրկնող {i}")).phone("+374 10 123456")).unwrap();
        writeln!(out, "\nack {}", c.id.0).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_lose_no_acknowledged_write() {
    let db = TestDb::new("crash");
    if db.is_postgres() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged = BTreeSet::new();
    let mut seed: u64 = 0x005E_EDC0_FFEE;
    for _ in 0..CYCLES {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let kill_after = Duration::from_millis((seed >> 33) % 60);
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &db.target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, acks) = std::sync::mpsc::channel::<i64>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(id) = line.trim().strip_prefix("ack ").and_then(|s| s.parse().ok()) {
                    let _ = sender.send(id);
                }
            }
        });
        // Let the child get going, then kill it at a random moment of its write loop.
        let first = acks.recv_timeout(Duration::from_secs(60)).expect("the child never acknowledged a write");
        std::thread::sleep(kill_after);
        child.kill().unwrap(); // SIGKILL: no destructor, no flush, no rollback
        child.wait().unwrap();
        reader.join().unwrap();
        acknowledged.insert(first);
        acknowledged.extend(acks.try_iter());

        let crm = db.open();
        let report = crm.verify().unwrap();
        assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
        for id in &acknowledged {
            crm.customer(crmlite::CustomerId(*id)).unwrap();
        }
    }
    println!("{} acknowledged writes survived {CYCLES} kills", acknowledged.len());
    assert!(acknowledged.len() > CYCLES as usize, "the child barely wrote anything");
}
