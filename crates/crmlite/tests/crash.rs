//! Crash safety: a writer process doing random acknowledged writes across the domains
//! (customers, deals, purchases with their points accrual, redemptions, outbox messages) is
//! killed with SIGKILL at random moments. After every kill the parent reopens the database,
//! runs `verify()` and checks that every write the child acknowledged is there, whole
//! (SQLite; PostgreSQL owns its own WAL).
//!
//! `CRMLITE_CRASH_CYCLES` sets the number of kills (default 200; the release run uses 500).
//!
//! The harness checks itself: a canary child that acknowledges each write before committing
//! it (`ack-before-commit`) must make the same checker report lost writes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods
)]

mod support;

use crmlite::automation::{
    Channel, NewMessage, NewTemplate, Purpose, TemplateFormat, TemplateKind,
};
use crmlite::customer::NewCustomer;
use crmlite::deal::{NewDeal, NewPipeline, NewStage};
use crmlite::loyalty::{Earn, EntryKind, NewEarnRule, NewProgram};
use crmlite::sales::{NewOrder, NewOrderLine};
use crmlite::{
    CardId, Crm, Currency, CustomerId, DealId, EntryId, MessageId, Money, OpenOptions, OrderId,
    PipelineId,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{TestDb, fixed};

const CHILD_ENV: &str = "CRMLITE_CRASH_CHILD";
const CYCLES_ENV: &str = "CRMLITE_CRASH_CYCLES";
const DEFAULT_CYCLES: u64 = 200;

/// The fixed records every child writes against.
struct Fixture {
    customer: CustomerId,
    card: CardId,
    pipeline: PipelineId,
}

impl Fixture {
    fn create(crm: &Crm) -> Self {
        let customer = crm
            .add_customer(&NewCustomer::person("Աննա Հակոբյան").phone("+374 10 123456"))
            .unwrap()
            .id;
        let program = crm
            .create_program(&NewProgram::new("Դեղատուն Բոնուս", "AMD", 100))
            .unwrap();
        crm.add_earn_rule(&NewEarnRule::new(
            program.id,
            "ամեն 100 դրամին",
            Earn::PerAmount {
                points: 1,
                per: 10_000,
            },
        ))
        .unwrap();
        let card = crm
            .open_card(program.id, customer, Some("ԴԵՂ-1"))
            .unwrap()
            .id;
        let stages = vec![
            NewStage::open("ზარი", 10),
            NewStage::open("შეთავაზება", 50),
            NewStage::won("მოგებული"),
            NewStage::lost("წაგებული"),
        ];
        let pipeline = crm
            .add_pipeline(&NewPipeline::new("ავეჯი", stages))
            .unwrap()
            .id;
        crm.save_template(&NewTemplate::new(
            "receipt",
            TemplateKind::Sms,
            TemplateFormat::Text,
            "Շնորհակալություն, {{ customer.first_name }}",
        ))
        .unwrap();
        Self {
            customer,
            card,
            pipeline,
        }
    }

    fn spec(&self) -> String {
        format!("{} {} {}", self.customer.0, self.card.0, self.pipeline.0)
    }

    fn parse(spec: &str) -> Self {
        let ids: Vec<i64> = spec.split(' ').map(|s| s.parse().unwrap()).collect();
        Self {
            customer: CustomerId(ids[0]),
            card: CardId(ids[1]),
            pipeline: PipelineId(ids[2]),
        }
    }
}

/// A small deterministic generator (one seed per cycle, printed on failure).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One acknowledged write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ack {
    Customer(i64),
    Deal(i64),
    /// An order and the points it earned.
    Order(i64, i64),
    /// A redemption's ledger entry.
    Redeem(i64),
    Message(i64),
}

impl Ack {
    fn line(self) -> String {
        match self {
            Self::Customer(id) => format!("ack customer {id}"),
            Self::Deal(id) => format!("ack deal {id}"),
            Self::Order(id, points) => format!("ack order {id} {points}"),
            Self::Redeem(id) => format!("ack redeem {id}"),
            Self::Message(id) => format!("ack message {id}"),
        }
    }

    fn parse(line: &str) -> Option<Self> {
        let mut parts = line.trim().strip_prefix("ack ")?.split(' ');
        let kind = parts.next()?;
        let id: i64 = parts.next()?.parse().ok()?;
        Some(match kind {
            "customer" => Self::Customer(id),
            "deal" => Self::Deal(id),
            "order" => Self::Order(id, parts.next()?.parse().ok()?),
            "redeem" => Self::Redeem(id),
            "message" => Self::Message(id),
            _ => return None,
        })
    }
}

/// One random write; `None` when the store refused it for a business reason (too few points).
fn random_write(crm: &Crm, f: &Fixture, rng: &mut Rng, seed: u64, i: u64) -> Option<Ack> {
    Some(match rng.below(5) {
        0 => Ack::Customer(
            crm.add_customer(
                &NewCustomer::person(format!("Կրկնող {seed}-{i}"))
                    .email(format!("krknogh.{seed}.{i}@example.am")),
            )
            .unwrap()
            .id
            .0,
        ),
        1 => {
            let amount = Money::new(
                100 * (1 + rng.below(5_000) as i64),
                Currency::parse("GEL", "amount").unwrap(),
            );
            let deal = NewDeal::new(f.pipeline, format!("სამზარეულო {seed}-{i}"))
                .customer(f.customer)
                .amount(amount);
            Ack::Deal(crm.add_deal(&deal).unwrap().id.0)
        }
        2 => {
            let quantity = 1 + rng.below(3) as i64;
            let order = NewOrder::new(f.customer, "AMD")
                .line(NewOrderLine::new("Պարացետամոլ", quantity, 150_000))
                .external_id(format!("ՉԵԿ-{seed}-{i}"));
            let before = crm.balance(f.card, 0).unwrap().ledger_sum;
            let order = crm.record_order(&order).unwrap();
            Ack::Order(
                order.id.0,
                crm.balance(f.card, 0).unwrap().ledger_sum - before,
            )
        }
        3 => {
            let points = 1 + rng.below(20) as i64;
            match crm.redeem_points(f.card, points, None, Some(&format!("crash-{seed}-{i}"))) {
                Ok(r) => Ack::Redeem(r.entry.id.0),
                Err(e) if e.field() == Some("points") => return None,
                Err(e) => panic!("redeem failed: {e}"),
            }
        }
        _ => Ack::Message(
            crm.queue_message(&NewMessage::new(
                f.customer,
                Channel::Sms,
                Purpose::Service,
                "receipt",
            ))
            .unwrap()
            .id
            .0,
        ),
    })
}

/// How the child acknowledges its writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// After the call returned: the contract.
    AfterCommit,
    /// The canary: a customer's id is announced before the call that commits it.
    AckBeforeCommit,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Self::AfterCommit => "after-commit",
            Self::AckBeforeCommit => "ack-before-commit",
        }
    }
}

/// The canary writer: announces the id the next customer will get, then adds it a moment
/// later (as a host that acknowledges a sale and commits it in the background would).
fn ack_before_commit(crm: &Crm, seed: u64, out: &mut impl Write) {
    let mut last = 0;
    let mut cursor: Option<String> = None;
    loop {
        let page = crm.list_customers(cursor.as_deref(), 1000).unwrap();
        last = page.items.last().map_or(last, |c| c.id.0);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    for i in 0.. {
        writeln!(out, "{}", Ack::Customer(last + 1).line()).unwrap();
        out.flush().unwrap();
        std::thread::sleep(Duration::from_millis(3));
        let added = crm
            .add_customer(&NewCustomer::person(format!("Καναρίνι {seed}-{i}")))
            .unwrap();
        last = added.id.0;
    }
}

/// In the child: `CRMLITE_CRASH_CHILD=<mode> <seed> <fixture> <path>`; writes until killed and
/// acknowledges each write on stdout only after it returned (unless it is the canary).
#[test]
fn crash_child_writer() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.splitn(6, ' ');
    let mode = parts.next().unwrap();
    let seed: u64 = parts.next().unwrap().parse().unwrap();
    let f = Fixture::parse(
        &[
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        ]
        .join(" "),
    );
    let crm = OpenOptions::new()
        .clock(fixed())
        .open(parts.next().unwrap())
        .unwrap();
    let mut rng = Rng(seed);
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nready").unwrap();
    out.flush().unwrap();
    if mode == Mode::AckBeforeCommit.name() {
        ack_before_commit(&crm, seed, &mut out);
    }
    for i in 0.. {
        if let Some(ack) = random_write(&crm, &f, &mut rng, seed, i) {
            writeln!(out, "{}", ack.line()).unwrap();
            out.flush().unwrap();
        }
    }
}

/// Every points-ledger entry of the card: id -> (kind, order).
fn ledger(crm: &Crm, card: CardId) -> BTreeMap<i64, (EntryKind, Option<OrderId>)> {
    let mut entries = BTreeMap::new();
    let mut cursor = None;
    loop {
        let page = crm.points_history(card, cursor.as_deref(), 1000).unwrap();
        entries.extend(page.items.iter().map(|e| (e.id.0, (e.kind, e.order))));
        match page.next {
            Some(next) => cursor = Some(next),
            None => return entries,
        }
    }
}

/// Checks that `ack` is in the reopened database, whole; returns the violation if not.
fn missing(
    crm: &Crm,
    entries: &BTreeMap<i64, (EntryKind, Option<OrderId>)>,
    ack: Ack,
    seed: u64,
) -> Option<String> {
    let lost = |e: crmlite::Error| Some(format!("seed {seed}: lost {ack:?}: {e}"));
    match ack {
        Ack::Customer(id) => crm.customer(CustomerId(id)).err().and_then(lost),
        Ack::Deal(id) => crm.deal(DealId(id)).err().and_then(lost),
        Ack::Order(id, points) => {
            if let Err(e) = crm.order(OrderId(id)) {
                return lost(e);
            }
            let awards = entries
                .values()
                .filter(|(k, o)| *k == EntryKind::Award && *o == Some(OrderId(id)))
                .count();
            (awards != usize::from(points > 0))
                .then(|| format!("seed {seed}: {ack:?} has {awards} awards"))
        }
        Ack::Redeem(id) => (!entries.contains_key(&id))
            .then(|| format!("seed {seed}: lost {ack:?} (entry {:?})", EntryId(id))),
        Ack::Message(id) => crm.outbox_message(MessageId(id)).err().and_then(lost),
    }
}

/// What a crash loop saw: the acknowledged writes by kind and every violation found.
struct Outcome {
    acknowledged: usize,
    per_kind: BTreeMap<&'static str, usize>,
    violations: Vec<String>,
}

/// Kills `cycles` children of `mode` at random moments and checks the database after each.
fn crash_loop(db: &TestDb, fixture: &Fixture, cycles: u64, mode: Mode) -> Outcome {
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged: BTreeSet<Ack> = BTreeSet::new();
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut violations = Vec::new();
    let mut master = Rng(0x005E_EDC0_FFEE);
    for _ in 0..cycles {
        let seed = master.next();
        let kill_after = Duration::from_millis(master.below(200));
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(
                CHILD_ENV,
                format!("{} {seed} {} {}", mode.name(), fixture.spec(), db.target),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit()) // a child that fails shows why
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        // Wait until the child has opened the database, then kill it at a random moment.
        let deadline = Instant::now() + Duration::from_secs(60);
        while lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the child never got ready")
            .trim()
            != "ready"
        {}
        std::thread::sleep(kill_after);
        child.kill().unwrap(); // SIGKILL: no destructor, no flush, no rollback
        child.wait().unwrap();
        reader.join().unwrap();
        let cycle: Vec<Ack> = lines.try_iter().filter_map(|l| Ack::parse(&l)).collect();

        let crm = db.open_with(OpenOptions::new(), Some(fixed()));
        let report = crm.verify().unwrap();
        if !report.ok() {
            violations.push(format!(
                "seed {seed}: verify: {:?}",
                report.failures().collect::<Vec<_>>()
            ));
        }
        let b = crm.balance(fixture.card, 0).unwrap();
        if b.available + b.pending + b.awaiting_expiry != b.ledger_sum {
            violations.push(format!("seed {seed}: balance equation broken: {b:?}"));
        }
        let entries = ledger(&crm, fixture.card);
        for ack in &cycle {
            violations.extend(missing(&crm, &entries, *ack, seed));
            let kind = match ack {
                Ack::Customer(_) => "customers",
                Ack::Deal(_) => "deals",
                Ack::Order(..) => "orders with accrual",
                Ack::Redeem(_) => "redemptions",
                Ack::Message(_) => "outbox messages",
            };
            *per_kind.entry(kind).or_default() += 1;
        }
        acknowledged.extend(cycle);
    }
    // Once more at the end: nothing acknowledged in an earlier cycle went missing later.
    let crm = db.open_with(OpenOptions::new(), Some(fixed()));
    let entries = ledger(&crm, fixture.card);
    for ack in &acknowledged {
        violations.extend(missing(&crm, &entries, *ack, 0));
    }
    Outcome {
        acknowledged: acknowledged.len(),
        per_kind,
        violations,
    }
}

#[test]
fn killed_writers_lose_no_acknowledged_write() {
    let db = TestDb::new("crash");
    if db.is_postgres() {
        return;
    }
    let cycles: u64 = std::env::var(CYCLES_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CYCLES);
    let fixture = Fixture::create(&db.open_with(OpenOptions::new(), Some(fixed())));
    let started = Instant::now();
    let outcome = crash_loop(&db, &fixture, cycles, Mode::AfterCommit);
    assert!(
        outcome.violations.is_empty(),
        "{} violations: {:#?}",
        outcome.violations.len(),
        outcome.violations
    );
    println!(
        "crash loop: {cycles} SIGKILLs, {} acknowledged writes present, 0 violations, {:.1} s; by kind: {:?}",
        outcome.acknowledged,
        started.elapsed().as_secs_f64(),
        outcome.per_kind
    );
    assert!(
        outcome.acknowledged as u64 > cycles,
        "the child barely wrote anything"
    );
    assert_eq!(
        outcome.per_kind.len(),
        5,
        "some kind of write never happened: {:?}",
        outcome.per_kind
    );
    db.remove();
}

/// The harness's self-check: a child that acknowledges a customer before the call that
/// commits it must be caught losing acknowledged writes.
#[test]
fn the_crash_loop_catches_a_child_that_acknowledges_before_committing() {
    let db = TestDb::new("crash-canary");
    if db.is_postgres() {
        return;
    }
    let fixture = Fixture::create(&db.open_with(OpenOptions::new(), Some(fixed())));
    let cycles = 20;
    let outcome = crash_loop(&db, &fixture, cycles, Mode::AckBeforeCommit);
    let lost = outcome
        .violations
        .iter()
        .filter(|v| v.contains("lost Customer"))
        .count();
    println!(
        "crash canary (ack-before-commit): {cycles} SIGKILLs, {} acknowledgements, {lost} lost writes found",
        outcome.acknowledged
    );
    assert!(
        lost > 0,
        "the checker missed every write acknowledged before its commit: {:?}",
        outcome.violations
    );
    assert_eq!(
        lost,
        outcome.violations.len(),
        "the canary should only lose writes: {:?}",
        outcome.violations
    );
    db.remove();
}
