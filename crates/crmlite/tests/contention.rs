//! Contention: 8 processes x 250 one-point redemptions on one 1,000-point card. Exactly 1,000
//! succeed, the balance ends at 0, and the only error is "insufficient points" (a validation
//! error on `points`). Runs on SQLite and, under `scripts/test-postgres`, on PostgreSQL.
//!
//! The harness checks itself: a deliberately broken redemption (the balance read in one
//! transaction, the debit written in another) run through the same processes must be caught
//! by the same checker as a double spend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods
)]

mod support;

use crmlite::customer::NewCustomer;
use crmlite::loyalty::NewProgram;
use crmlite::{CardId, Crm, Error, ErrorKind, OpenOptions};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{TestDb, fixed};

const CHILD_ENV: &str = "CRMLITE_CONTENTION_CHILD";
const PROCESSES: usize = 8;
const PER_PROCESS: usize = 250;
const INITIAL: i64 = 1_000;

/// What one worker saw: successes, "insufficient points" refusals, any other error, the longest wait.
#[derive(Debug, Default)]
struct Tally {
    ok: i64,
    insufficient: i64,
    other: Vec<String>,
    max_wait_ms: u128,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.ok += other.ok;
        self.insufficient += other.insufficient;
        self.other.extend(other.other);
        self.max_wait_ms = self.max_wait_ms.max(other.max_wait_ms);
    }

    fn line(&self) -> String {
        format!(
            "tally {} {} {} {}",
            self.ok,
            self.insufficient,
            self.max_wait_ms,
            self.other.join(" | ").replace('\n', " ")
        )
    }

    fn parse(line: &str) -> Option<Tally> {
        let mut parts = line.strip_prefix("tally ")?.splitn(4, ' ');
        let ok = parts.next()?.parse().ok()?;
        let insufficient = parts.next()?.parse().ok()?;
        let max_wait_ms = parts.next()?.parse().ok()?;
        let other = parts
            .next()
            .filter(|s| !s.is_empty())
            .map(|s| vec![s.to_owned()])
            .unwrap_or_default();
        Some(Tally {
            ok,
            insufficient,
            other,
            max_wait_ms,
        })
    }
}

/// Whether `e` is the loyalty module's refusal to spend more than the card holds.
fn is_insufficient(e: &Error) -> bool {
    e.kind() == ErrorKind::Validation
        && e.field() == Some("points")
        && e.to_string().contains("available")
}

/// How a worker redeems one point.
#[derive(Clone, Copy, Debug)]
enum Redeem {
    /// `Crm::redeem_points`: check and debit in one write transaction.
    Library,
    /// Broken on purpose: the balance is read in one transaction and the debit written in
    /// another, straight into the ledger (what a host "caching" the balance would do).
    ReadThenWrite,
}

impl Redeem {
    fn name(self) -> &'static str {
        match self {
            Self::Library => "library",
            Self::ReadThenWrite => "read-then-write",
        }
    }

    fn parse(name: &str) -> Self {
        if name == "read-then-write" {
            Self::ReadThenWrite
        } else {
            Self::Library
        }
    }
}

/// The broken redemption: reads the ledger sum through the public API, then writes a debit
/// row in a separate SQLite transaction. Correct alone, wrong under contention.
fn broken_redeem(crm: &Crm, raw: &rusqlite::Connection, card: CardId) -> crmlite::Result<()> {
    let balance = crm.balance(card, 0)?;
    if balance.ledger_sum < 1 {
        return Err(Error::validation(
            "points",
            format!("1 is more than the {} available", balance.ledger_sum),
        ));
    }
    std::thread::sleep(Duration::from_millis(2)); // a till doing something between read and write
    raw.execute(
        "INSERT INTO loyalty_entries (card_id, program_id, kind, points, source_kind, at) \
         SELECT id, program_id, 'redeem', -1, 'redemption', 0 FROM loyalty_cards WHERE id = ?1",
        [card.0],
    )
    .map_err(|e| Error::Conflict(e.to_string()))?;
    Ok(())
}

/// Redeems `count` single points from `card` and tallies the outcomes.
fn work(target: &str, card: CardId, count: usize, how: Redeem) -> Tally {
    let crm = OpenOptions::new().clock(fixed()).open(target).unwrap();
    let raw = match how {
        Redeem::ReadThenWrite => {
            let c = rusqlite::Connection::open(target).unwrap();
            c.busy_timeout(Duration::from_secs(5)).unwrap();
            Some(c)
        }
        Redeem::Library => None,
    };
    let mut tally = Tally::default();
    for _ in 0..count {
        let started = Instant::now();
        let outcome = match &raw {
            Some(raw) => broken_redeem(&crm, raw, card),
            None => crm.redeem_points(card, 1, None, None).map(|_| ()),
        };
        tally.max_wait_ms = tally.max_wait_ms.max(started.elapsed().as_millis());
        match outcome {
            Ok(()) => tally.ok += 1,
            Err(e) if is_insufficient(&e) => tally.insufficient += 1,
            Err(e) => tally.other.push(format!("{:?}: {e}", e.kind())),
        }
    }
    tally
}

/// In the child: `CRMLITE_CONTENTION_CHILD=<mode> <card> <target>`; prints its tally.
#[test]
fn contention_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.splitn(3, ' ');
    let how = Redeem::parse(parts.next().unwrap());
    let card = CardId(parts.next().unwrap().parse().unwrap());
    let target = parts.next().unwrap();
    let tally = work(target, card, PER_PROCESS, how);
    let mut out = std::io::stdout().lock();
    writeln!(out, "\n{}", tally.line()).unwrap();
    out.flush().unwrap();
}

/// A database with one 1,000-point card; returns the card.
fn card_with_points(db: &TestDb) -> CardId {
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let program = crm
        .create_program(&NewProgram::new("Ταμείο Πόντων", "EUR", 1))
        .unwrap();
    let maria = crm
        .add_customer(&NewCustomer::person("Μαρία Κωνσταντίνου"))
        .unwrap();
    let card = crm.open_card(program.id, maria.id, None).unwrap().id;
    crm.adjust_points(card, INITIAL, "αρχικό υπόλοιπο", None)
        .unwrap();
    card
}

/// Runs `PROCESSES` child processes redeeming from `card` at once; sums their tallies.
fn run_processes(db: &TestDb, card: CardId, how: Redeem) -> Tally {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "contention_child",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(
                    CHILD_ENV,
                    format!("{} {} {}", how.name(), card.0, db.target),
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut total = Tally::default();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let tally = stdout.lines().find_map(Tally::parse);
        let Some(tally) = tally else {
            panic!(
                "a child printed no tally: {}\n{}",
                stdout,
                String::from_utf8_lossy(&out.stderr)
            );
        };
        total.add(tally);
    }
    total
}

/// The checker: every way the outcome can break I2/I19/I21. Empty when all is well.
fn problems(crm: &Crm, card: CardId, tally: &Tally, attempts: i64) -> Vec<String> {
    let mut found = Vec::new();
    if tally.ok + tally.insufficient + tally.other.len() as i64 != attempts {
        found.push(format!(
            "{} outcomes for {attempts} attempts",
            tally.ok + tally.insufficient
        ));
    }
    if tally.ok > INITIAL {
        found.push(format!(
            "double spend: {} redemptions succeeded on a {INITIAL}-point card",
            tally.ok
        ));
    }
    if tally.ok < INITIAL {
        found.push(format!(
            "lost redemptions: only {} of {INITIAL} succeeded",
            tally.ok
        ));
    }
    if !tally.other.is_empty() {
        found.push(format!(
            "errors other than insufficient points: {:?}",
            tally.other
        ));
    }
    let b = crm.balance(card, 0).unwrap();
    if b.ledger_sum != INITIAL - tally.ok || b.available != b.ledger_sum {
        found.push(format!(
            "balance {} / ledger sum {} after {} redemptions",
            b.available, b.ledger_sum, tally.ok
        ));
    }
    if b.ledger_sum != 0 {
        found.push(format!("the card ends at {} points, not 0", b.ledger_sum));
    }
    let report = crm.verify().unwrap();
    found.extend(
        report
            .failures()
            .map(|c| format!("verify: {} ({})", c.name, c.detail)),
    );
    found
}

#[test]
fn eight_processes_redeem_exactly_the_thousand_points_there_are() {
    let db = TestDb::new("contention");
    let card = card_with_points(&db);
    let started = Instant::now();
    let tally = run_processes(&db, card, Redeem::Library);
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let attempts = (PROCESSES * PER_PROCESS) as i64;
    let found = problems(&crm, card, &tally, attempts);
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(
        (tally.ok, tally.insufficient),
        (INITIAL, attempts - INITIAL)
    );
    println!(
        "contention ({}): {PROCESSES} processes x {PER_PROCESS}: {} ok, {} insufficient, 0 other; longest call {} ms; {} ms in all",
        if db.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        },
        tally.ok,
        tally.insufficient,
        tally.max_wait_ms,
        started.elapsed().as_millis()
    );
    drop(crm);
    db.remove();
}

#[test]
fn eight_threads_redeem_exactly_the_thousand_points_there_are() {
    let db = TestDb::new("contention_threads");
    let card = card_with_points(&db);
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            let target = db.target.clone();
            std::thread::spawn(move || work(&target, card, PER_PROCESS, Redeem::Library))
        })
        .collect();
    let mut tally = Tally::default();
    for w in workers {
        tally.add(w.join().unwrap());
    }
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let found = problems(&crm, card, &tally, (PROCESSES * PER_PROCESS) as i64);
    assert!(found.is_empty(), "{found:#?}");
    drop(crm);
    db.remove();
}

#[test]
fn the_checker_catches_a_redemption_that_reads_outside_its_transaction() {
    let db = TestDb::new("contention_canary");
    if db.is_postgres() {
        return; // the broken redemption writes its debit with SQLite directly
    }
    let card = card_with_points(&db);
    let tally = run_processes(&db, card, Redeem::ReadThenWrite);
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let found = problems(&crm, card, &tally, (PROCESSES * PER_PROCESS) as i64);
    println!(
        "the broken redemption: {} ok; the checker found {found:#?}",
        tally.ok
    );
    assert!(
        found.iter().any(|p| p.starts_with("double spend")),
        "the checker missed the double spend: {found:#?}"
    );
    assert!(
        found.iter().any(|p| p.starts_with("the card ends at -")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("verify: ledger_no_negative_balance")),
        "{found:#?}"
    );
    drop(crm);
    db.remove();
}
