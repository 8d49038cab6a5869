//! Fault-point sweep (feature `fault-injection`, enabled for this crate's tests only): SQLite's
//! I/O-error loop one level up. For every write operation, first run it once to list the fault
//! points it passes (the store's begin, each SQL statement, the commits, the return after the
//! commit); then, on a fresh database each time, fail it at each point in turn and check that
//! the failed call returned the injected error, that the store is at the previous committed
//! state (or, for a fault after the commit, at the next one), that `verify()` passes, and that
//! the same call then succeeds and leads to the very state of the clean run.
//!
//! Runs on SQLite; on PostgreSQL (`scripts/test-postgres`) each failing point gets its own
//! schema and the comparison ignores values drawn from sequences (they are not transactional).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods
)] // test code: the child process reads its orders from the environment

mod support;

use crmlite::automation::{
    Channel, NewMessage, NewTemplate, Purpose, TemplateFormat, TemplateKind,
};
use crmlite::customer::{CustomerPatch, NewCustomer};
use crmlite::deal::{NewDeal, NewPipeline, NewStage, StageMove};
use crmlite::fault::{self, FaultAction, FaultPlan};
use crmlite::import::ImportOptions;
use crmlite::loyalty::{Earn, NewEarnRule, NewProgram};
use crmlite::reference::EntryInput;
use crmlite::sales::{NewOrder, NewOrderLine};
use crmlite::store::Value;
use crmlite::{
    CardId, Crm, Currency, CustomerId, DealId, LostReasonId, MessageId, Money, OpenOptions, Result,
    StageId,
};
use std::collections::BTreeMap;
use std::time::Instant;
use support::{TestDb, fixed, postgres_url};

/// The records every operation works on; the same ids on every fresh database.
struct Fixture {
    customer: CustomerId,
    customer_version: i64,
    card: CardId,
    pipeline: crmlite::PipelineId,
    next_stage: StageId,
    deal: DealId,
    deal_version: i64,
    lost_reason: LostReasonId,
    claimed: (MessageId, String),
}

impl Fixture {
    /// The fixture as one line, for a child process.
    fn spec(&self) -> String {
        format!(
            "{} {} {} {} {} {} {} {} {} {}",
            self.customer.0,
            self.customer_version,
            self.card.0,
            self.pipeline.0,
            self.next_stage.0,
            self.deal.0,
            self.deal_version,
            self.lost_reason.0,
            self.claimed.0.0,
            self.claimed.1
        )
    }

    fn parse(spec: &str) -> Self {
        let p: Vec<&str> = spec.split(' ').collect();
        let n = |i: usize| p[i].parse::<i64>().unwrap();
        Self {
            customer: CustomerId(n(0)),
            customer_version: n(1),
            card: CardId(n(2)),
            pipeline: crmlite::PipelineId(n(3)),
            next_stage: StageId(n(4)),
            deal: DealId(n(5)),
            deal_version: n(6),
            lost_reason: LostReasonId(n(7)),
            claimed: (MessageId(n(8)), p[9].to_owned()),
        }
    }
}

fn setup(crm: &Crm) -> Fixture {
    let customer = crm
        .add_customer(
            &NewCustomer::person("Ελένη Παπαδοπούλου")
                .phone("+30 210 1234567")
                .email("eleni@example.gr"),
        )
        .unwrap();
    let program = crm
        .create_program(&NewProgram::new("Πόντοι", "EUR", 1))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "1 ανά ευρώ",
        Earn::PerAmount {
            points: 1,
            per: 100,
        },
    ))
    .unwrap();
    let card = crm.open_card(program.id, customer.id, None).unwrap().id;
    crm.record_order(
        &NewOrder::new(customer.id, "EUR")
            .line(NewOrderLine::new("Καφές", 2, 1_500))
            .external_id("ΑΠ-1"),
    )
    .unwrap();
    let pipeline = crm
        .add_pipeline(&NewPipeline::new(
            "Πωλήσεις",
            vec![
                NewStage::open("Επαφή", 10),
                NewStage::open("Προσφορά", 50),
                NewStage::won("Κερδήθηκε"),
                NewStage::lost("Χάθηκε"),
            ],
        ))
        .unwrap();
    let deal = crm
        .add_deal(
            &NewDeal::new(pipeline.id, "Έπιπλα γραφείου")
                .customer(customer.id)
                .amount(Money::new(
                    250_000,
                    Currency::parse("EUR", "amount").unwrap(),
                )),
        )
        .unwrap();
    let lost_reason = crm.seed_lost_reasons(&["Ακριβό"]).unwrap()[0].id;
    crm.save_template(&NewTemplate::new(
        "receipt",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Ευχαριστούμε, {{ customer.first_name }}",
    ))
    .unwrap();
    for _ in 0..2 {
        crm.queue_message(&NewMessage::new(
            customer.id,
            Channel::Sms,
            Purpose::Service,
            "receipt",
        ))
        .unwrap();
    }
    let claim = crm.claim_messages(1, 60_000).unwrap().remove(0);
    Fixture {
        customer: customer.id,
        customer_version: customer.version,
        card,
        pipeline: pipeline.id,
        next_stage: pipeline.stages[1].id,
        deal: deal.id,
        deal_version: deal.version,
        lost_reason,
        claimed: (claim.message.id, claim.token),
    }
}

type Op = fn(&Crm, &Fixture) -> Result<()>;

/// The write operations swept: (name, call).
const OPERATIONS: &[(&str, Op)] = &[
    ("add_customer", |crm, _| {
        crm.add_customer(
            &NewCustomer::person("مریم احمدی")
                .phone("+98 21 1234 5678")
                .email("maryam@example.ir"),
        )
        .map(drop)
    }),
    ("update_customer", |crm, f| {
        let patch = CustomerPatch {
            name: Some("Ελένη Γεωργίου".into()),
            phones: Some(vec!["+30 210 7654321".into()]),
            ..CustomerPatch::default()
        };
        crm.update_customer(f.customer, f.customer_version, &patch)
            .map(drop)
    }),
    ("add_deal", |crm, f| {
        let amount = Money::new(40_000, Currency::parse("EUR", "amount").unwrap());
        crm.add_deal(
            &NewDeal::new(f.pipeline, "Καρέκλες")
                .customer(f.customer)
                .amount(amount),
        )
        .map(drop)
    }),
    ("move_deal", |crm, f| {
        crm.move_deal(
            f.deal,
            f.deal_version,
            &StageMove::to(f.next_stage, "Νίκος"),
        )
        .map(drop)
    }),
    ("mark_won", |crm, f| {
        crm.mark_won(f.deal, f.deal_version, "Νίκος").map(drop)
    }),
    ("mark_lost", |crm, f| {
        crm.mark_lost(f.deal, f.deal_version, Some(f.lost_reason), "τιμή", "Νίκος")
            .map(drop)
    }),
    ("record_order_with_accrual", |crm, f| {
        crm.record_order(
            &NewOrder::new(f.customer, "EUR")
                .line(NewOrderLine::new("Τσάι", 3, 800))
                .external_id("ΑΠ-2"),
        )
        .map(drop)
    }),
    ("redeem_points_with_key", |crm, f| {
        crm.redeem_points(f.card, 12, None, Some("till-7/0042"))
            .map(drop)
    }),
    ("queue_message", |crm, f| {
        crm.queue_message(&NewMessage::new(
            f.customer,
            Channel::Sms,
            Purpose::Service,
            "receipt",
        ))
        .map(drop)
    }),
    ("claim_messages", |crm, _| {
        crm.claim_messages(5, 60_000).map(drop)
    }),
    ("ack_message", |crm, f| {
        crm.ack_message(f.claimed.0, &f.claimed.1).map(drop)
    }),
    ("upsert_entry", |crm, _| {
        crm.upsert_entry("unit", &EntryInput::new("kg", "κιλό"))
            .map(drop)
    }),
    ("import_customers_csv", |crm, _| {
        let file = "external_code,kind,name,email,phone,city,country,tags\n\
            K-1,person,Արամ Սարգսյան,aram@example.am,+374 10 123456,Երևան,AM,vip\n\
            K-2,person,ნინო ბერიძე,nino@example.ge,+995 32 212 3456,თბილისი,GE,\n\
            K-3,organisation,Καφέ Αθήνα,info@example.gr,,Αθήνα,GR,\n";
        crm.import_customers(file.as_bytes(), &ImportOptions::new())
            .map(drop)
    }),
    ("import_directory_csv", |crm, _| {
        let file = "external_code,name\nl,λίτρο\nm,μέτρο\n";
        crm.import_directory("unit", file.as_bytes(), &ImportOptions::new())
            .map(drop)
    }),
];

/// Every row of every table, in a stable order: the logical state of the database.
type Dump = Vec<(&'static str, Vec<Vec<Value>>)>;

fn dump(crm: &Crm) -> Dump {
    crm.read(|tx| {
        let mut out = Vec::new();
        for table in tx.copy_tables() {
            out.push((table, tx.copy_read(table, 0, u32::MAX)?));
        }
        Ok(out)
    })
    .unwrap()
}

/// A dump with integers blanked out: on PostgreSQL ids come from sequences, which a
/// rolled-back transaction still advances, so a retried call gets other ids.
fn shape(d: &Dump) -> Vec<(&'static str, usize)> {
    d.iter().map(|(t, rows)| (*t, rows.len())).collect()
}

/// A fresh database with the fixture, and its fault plan (disarmed).
fn fresh() -> (Crm, FaultPlan, Fixture, Option<TestDb>) {
    let plan = FaultPlan::new();
    let options = OpenOptions::new().faults(plan.clone()).clock(fixed());
    let (crm, db) = if postgres_url().is_some() {
        let db = TestDb::new("faults");
        (options.open(&db.target).unwrap(), Some(db))
    } else {
        (options.open(":memory:").unwrap(), None)
    };
    let f = setup(&crm);
    plan.disarm();
    (crm, plan, f, db)
}

struct Sweep {
    points: usize,
    rolled_back: usize,
    committed: usize,
}

fn sweep(name: &str, op: Op, exact: bool) -> Sweep {
    // The clean run: the points the call passes, and the state before and after it.
    let (crm, plan, f, _db) = fresh();
    let before = dump(&crm);
    op(&crm, &f).unwrap_or_else(|e| panic!("{name}: the clean run failed: {e}"));
    let trace = plan.take_trace();
    let after = dump(&crm);
    assert_ne!(before, after, "{name}: the clean run changed nothing");
    assert!(crm.verify().unwrap().ok(), "{name}: clean run");
    for kind in [fault::STATEMENT, fault::COMMIT_BEFORE, fault::COMMIT_AFTER] {
        assert!(
            trace.iter().any(|p| p.starts_with(kind)),
            "{name}: never passed a {kind} point: {trace:?}"
        );
    }
    let begin = if postgres_url().is_some() {
        fault::BEGIN_POSTGRES
    } else {
        fault::BEGIN_SQLITE
    };
    assert!(trace.iter().any(|p| p == begin), "{name}: {trace:?}");
    for p in &trace {
        assert!(
            fault::POINT_KINDS.iter().any(|k| p.starts_with(k)),
            "{name}: unregistered point {p}"
        );
    }
    drop(crm);

    let mut result = Sweep {
        points: trace.len(),
        rolled_back: 0,
        committed: 0,
    };
    for (i, point) in trace.iter().enumerate() {
        let (crm, plan, f, _db) = fresh();
        let ctx = format!("{name}, point {} of {}: {point}", i + 1, trace.len());
        plan.arm(i as u64 + 1, FaultAction::Error);
        let err = match op(&crm, &f) {
            Ok(()) => panic!("{ctx}: the call succeeded despite the fault"),
            Err(e) => e,
        };
        assert_eq!(plan.fired().as_deref(), Some(point.as_str()), "{ctx}");
        assert_eq!(
            err.to_string(),
            format!("storage failure (Io): injected fault at {point}"),
            "{ctx}: the fault was not reported as it happened"
        );
        plan.disarm();
        let state = dump(&crm);
        let committed = point == fault::COMMIT_AFTER;
        let same = |a: &Dump, b: &Dump| if exact { a == b } else { shape(a) == shape(b) };
        if committed {
            assert!(
                same(&state, &after),
                "{ctx}: not at the next committed state"
            );
            result.committed += 1;
        } else {
            assert!(
                same(&state, &before),
                "{ctx}: not at the previous committed state"
            );
            result.rolled_back += 1;
        }
        let report = crm.verify().unwrap();
        assert!(
            report.ok(),
            "{ctx}: {:?}",
            report.failures().collect::<Vec<_>>()
        );
        match op(&crm, &f) {
            Ok(()) => {}
            // A fault after the commit means the call did happen: a retry of a call that is
            // not idempotent may now be refused (the deal already moved, the token used up).
            Err(e) if committed => {
                assert!(
                    matches!(
                        e.kind(),
                        crmlite::ErrorKind::Conflict | crmlite::ErrorKind::Validation
                    ),
                    "{ctx}: retry after a committed fault: {e}"
                );
            }
            Err(e) => panic!("{ctx}: the same call failed after the fault was gone: {e}"),
        }
        if !committed {
            assert!(
                same(&dump(&crm), &after),
                "{ctx}: the retried call did not reach the clean run's state"
            );
        }
        assert!(crm.verify().unwrap().ok(), "{ctx}: after the retry");
    }
    result
}

#[test]
fn every_fault_point_of_every_write_leaves_a_committed_state() {
    let exact = postgres_url().is_none();
    let started = Instant::now();
    let mut points_by_op = BTreeMap::new();
    let mut total = Sweep {
        points: 0,
        rolled_back: 0,
        committed: 0,
    };
    for (name, op) in OPERATIONS {
        let s = sweep(name, *op, exact);
        points_by_op.insert(*name, s.points);
        total.points += s.points;
        total.rolled_back += s.rolled_back;
        total.committed += s.committed;
    }
    assert_eq!(total.committed, OPERATIONS.len(), "one commit.after each");
    println!(
        "fault sweep: {} operations, {} fault points, {} rolled back, {} committed, 0 violations, {:.1} s; points by operation: {points_by_op:?}",
        OPERATIONS.len(),
        total.points,
        total.rolled_back,
        total.committed,
        started.elapsed().as_secs_f64()
    );
}

/// The sweep's own check: a plan armed past the last point fires nowhere, and the call succeeds.
#[test]
fn a_plan_armed_past_the_last_point_never_fires() {
    let (crm, plan, f, _db) = fresh();
    OPERATIONS[0].1(&crm, &f).unwrap();
    let n = plan.take_trace().len() as u64;
    plan.arm(n + 1, FaultAction::Error);
    OPERATIONS[0].1(&crm, &f).unwrap();
    assert_eq!(plan.fired(), None);
    assert_eq!(plan.take_trace().len() as u64, n);
}

/// The sweep's self-check: a write split over two transactions (a customer, then in a second
/// transaction the message about it) is caught, because a fault in the second transaction
/// leaves a state that is neither the previous nor the next one.
#[test]
fn the_sweep_catches_a_write_split_over_two_transactions() {
    fn split(crm: &Crm, f: &Fixture) -> Result<()> {
        crm.add_customer(&NewCustomer::person("Νέα πελάτισσα"))?;
        crm.queue_message(&NewMessage::new(
            f.customer,
            Channel::Sms,
            Purpose::Service,
            "receipt",
        ))
        .map(drop)
    }
    let caught = std::panic::catch_unwind(|| sweep("split", split, postgres_url().is_none()));
    let message = match caught {
        Ok(_) => panic!("the sweep passed a write split over two transactions"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default(),
    };
    assert!(
        message.contains("not at the next committed state")
            || message.contains("not at the previous committed state"),
        "{message}"
    );
}

const CHILD_ENV: &str = "CRMLITE_FAULT_CHILD";

/// In the child: `CRMLITE_FAULT_CHILD=<operation> <n> <path> <fixture>`; runs the operation
/// with the `n`-th fault point armed to abort the process.
#[test]
fn fault_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.splitn(4, ' ');
    let op: usize = parts.next().unwrap().parse().unwrap();
    let n: u64 = parts.next().unwrap().parse().unwrap();
    let path = parts.next().unwrap();
    let f = Fixture::parse(parts.next().unwrap());
    let plan = FaultPlan::new();
    let crm = open_file(std::path::Path::new(path), Some(&plan));
    plan.arm(n, FaultAction::Abort);
    let _ = OPERATIONS[op].1(&crm, &f);
    panic!("operation {op} passed fewer than {n} fault points");
}

fn copy_db(from: &std::path::Path, to: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).unwrap();
}

/// Opens a file; `synchronous=NORMAL` because a process crash loses no commit at any
/// setting (only power loss does), and the sweep makes hundreds of commits.
fn open_file(path: &std::path::Path, plan: Option<&FaultPlan>) -> Crm {
    let options = OpenOptions::new()
        .clock(fixed())
        .synchronous(crmlite::Synchronous::Normal);
    let options = match plan {
        Some(p) => options.faults(p.clone()),
        None => options,
    };
    options.open(path).unwrap()
}

/// SQLite's crash loop at named points: a child process aborts at each fault point of each
/// write operation in turn (no destructor, no rollback: SQLite recovers from its WAL on
/// reopen). The reopened file must be at the previous committed state, or at the next one
/// when the abort came after the commit; `verify()` passes and the call then succeeds.
#[test]
fn an_abort_at_every_fault_point_leaves_a_committed_state() {
    use std::os::unix::process::ExitStatusExt;
    if postgres_url().is_some() {
        return; // PostgreSQL owns its recovery; the error sweep above runs there
    }
    let started = Instant::now();
    let db = TestDb::new("fault-abort");
    let dir = std::path::Path::new(&db.target)
        .parent()
        .unwrap()
        .to_path_buf();
    let template = dir.join("template.db");
    let work = dir.join("work.db");
    let f = {
        let crm = open_file(&template, None);
        setup(&crm)
    }; // closing the last connection checkpoints the WAL into the file
    let exe = std::env::current_exe().unwrap();
    let (mut aborts, mut committed) = (0, 0);
    for (index, (name, op)) in OPERATIONS.iter().enumerate() {
        copy_db(&template, &work);
        let plan = FaultPlan::new();
        let (before, after, trace) = {
            let crm = open_file(&work, Some(&plan));
            let before = dump(&crm);
            plan.disarm();
            op(&crm, &f).unwrap();
            (before, dump(&crm), plan.take_trace())
        };
        for (i, point) in trace.iter().enumerate() {
            let ctx = format!(
                "{name}, abort at point {} of {}: {point}",
                i + 1,
                trace.len()
            );
            copy_db(&template, &work);
            let status = std::process::Command::new(&exe)
                .args(["--exact", "fault_child", "--nocapture", "--test-threads=1"])
                .env(
                    CHILD_ENV,
                    format!("{index} {} {} {}", i + 1, work.display(), f.spec()),
                )
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(
                status.signal(),
                Some(6),
                "{ctx}: the child did not abort: {status}"
            );
            aborts += 1;
            let crm = open_file(&work, None);
            let state = dump(&crm);
            if point == fault::COMMIT_AFTER {
                assert!(state == after, "{ctx}: not at the next committed state");
                committed += 1;
            } else {
                assert!(
                    state == before,
                    "{ctx}: not at the previous committed state"
                );
            }
            let report = crm.verify().unwrap();
            assert!(
                report.ok(),
                "{ctx}: {:?}",
                report.failures().collect::<Vec<_>>()
            );
            if point != fault::COMMIT_AFTER {
                op(&crm, &f)
                    .unwrap_or_else(|e| panic!("{ctx}: the call failed after the crash: {e}"));
                assert!(
                    dump(&crm) == after,
                    "{ctx}: the retry did not reach the clean state"
                );
            }
        }
    }
    assert_eq!(committed, OPERATIONS.len());
    println!(
        "abort sweep: {} operations, {aborts} child processes aborted at a fault point, {committed} after the commit, 0 violations, {:.1} s",
        OPERATIONS.len(),
        started.elapsed().as_secs_f64()
    );
    db.remove();
}
