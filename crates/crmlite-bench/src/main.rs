//! `crmlite-bench`: measures crmlite's operations next to hand-written rusqlite on the same
//! generated data, interleaved (A B A B ...), each run in its own child process for its peak
//! memory, and writes `BENCHMARKS.md` and `BENCHMARKS.json`.
//!
//! ```text
//! crmlite-bench [--scale 0.01] [--reps 3] [--out DIR] [--work DIR] [--command TEXT] [--strict]
//! ```
//!
//! `--report-only` writes `BENCHMARKS.md` again from the `BENCHMARKS.json` in `--out`
//! (after a change to the report's text), without measuring. `--strict` fails the run when the sides of an operation disagree on what they stored or
//! read. `CRMLITE_BENCH_PYTHON` (a Python with crmlite installed) and `CRMLITE_BENCH_C` (the
//! compiled `c/bench_c.c`) add the Python and C sides.
//!
//! With `CRMLITE_BENCH_POSTGRES` set to a PostgreSQL URL, every crmlite operation also runs on
//! that server (side `crmlite-pg`, in schemas it creates and drops).
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: its output is printed

mod data;
mod db;
mod extra;
mod ops;
mod report;
mod sales;

use ops::{BenchResult, Measurement, Op, Place, Side, Sizes};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Command-line settings.
struct Args {
    scale: f64,
    reps: u32,
    out: PathBuf,
    work: Option<PathBuf>,
    command: String,
    strict: bool,
    report_only: bool,
    child: Option<(Op, Side)>,
}

fn parse_args(argv: &[String]) -> BenchResult<Args> {
    let mut args = Args {
        scale: 0.01,
        reps: 3,
        out: PathBuf::from("."),
        work: None,
        command: String::new(),
        strict: false,
        report_only: false,
        child: None,
    };
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--scale" => {
                let v = value()?;
                args.scale = match v.as_str() {
                    "small" => 0.01,
                    "full" => 1.0,
                    _ => v
                        .parse()
                        .map_err(|_| format!("--scale {v:?} is not a number"))?,
                };
                if !(args.scale > 0.0 && args.scale <= 10.0) {
                    return Err("--scale must be in (0, 10]".into());
                }
            }
            "--reps" => {
                args.reps = value()?
                    .parse()
                    .map_err(|_| "--reps needs a whole number")?
            }
            "--out" => args.out = PathBuf::from(value()?),
            "--work" => args.work = Some(PathBuf::from(value()?)),
            "--command" => args.command = value()?,
            "--strict" => args.strict = true,
            "--report-only" => args.report_only = true,
            "--child" => {
                let op = Op::parse(&value()?)?;
                let side = Side::parse(&value()?)?;
                args.child = Some((op, side));
            }
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    if args.reps == 0 {
        return Err("--reps must be at least 1".into());
    }
    Ok(args)
}

/// The peak resident set of this process, MiB (`VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// One child run's output line.
#[derive(serde::Serialize, serde::Deserialize)]
struct ChildOutput {
    measurement: Measurement,
    peak_rss_mib: f64,
}

/// The PostgreSQL server the `crmlite-pg` side runs on, if any.
#[allow(clippy::disallowed_methods)] // a command-line tool, configured by its environment
fn postgres_url() -> Option<String> {
    env_value("CRMLITE_BENCH_POSTGRES")
}

/// A non-empty environment variable.
#[allow(clippy::disallowed_methods)] // a command-line tool, configured by its environment
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|s| !s.is_empty())
}

/// Where the runs happen, with the tools the environment names.
fn place_in(work: &Path) -> Place {
    Place {
        work: work.to_owned(),
        pg: postgres_url(),
        python: env_value("CRMLITE_BENCH_PYTHON").map(PathBuf::from),
        c: env_value("CRMLITE_BENCH_C").map(PathBuf::from),
    }
}

fn run_child(op: Op, side: Side, sizes: Sizes, work: &Path) -> BenchResult<()> {
    let place = place_in(work);
    let measurement = ops::run(op, side, sizes, &place)?;
    let out = ChildOutput {
        peak_rss_mib: measurement.helper_rss_mib.unwrap_or_else(peak_rss_mib),
        measurement,
    };
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}

fn spawn_child(op: Op, side: Side, args: &Args, work: &Path) -> BenchResult<ChildOutput> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .args([
            "--child",
            op.as_str(),
            side.as_str(),
            "--scale",
            &args.scale.to_string(),
        ])
        .arg("--work")
        .arg(work)
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "{} on {} failed: {}",
            op.as_str(),
            side.as_str(),
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

fn run_parent(args: &Args) -> BenchResult<()> {
    let sizes = Sizes::new(args.scale);
    let (work, temporary) = match &args.work {
        Some(w) => (w.clone(), false),
        None => (
            std::env::temp_dir().join(format!("crmlite-bench-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&work)?;
    eprintln!(
        "crmlite-bench: {} customers, {} repetitions, scratch {}",
        sizes.customers,
        args.reps,
        work.display()
    );
    let started = std::time::Instant::now();
    let place = place_in(&work);
    if place.pg.is_some() {
        eprintln!("  crmlite also runs on PostgreSQL (CRMLITE_BENCH_POSTGRES)");
    }
    if place.python.is_none() {
        eprintln!("  CRMLITE_BENCH_PYTHON is not set: the Python sides are skipped");
    }
    if place.c.is_none() {
        eprintln!("  CRMLITE_BENCH_C is not set: the C sides are skipped");
    }
    let setup = ops::prepare(sizes, &place)?;
    eprintln!(
        "  shared databases ready ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let mut samples = Vec::new();
    for rep in 0..args.reps {
        for op in ops::OPS {
            for &side in op.sides() {
                if !place.has(side) {
                    continue;
                }
                let out = spawn_child(op, side, args, &work)?;
                eprintln!(
                    "  rep {rep} {:<16} {:<12} {}",
                    op.as_str(),
                    side.as_str(),
                    out.measurement
                        .metrics
                        .iter()
                        .map(|(k, v)| format!("{k}={v:.2}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                samples.push(report::Sample {
                    op: op.as_str().to_owned(),
                    side,
                    rep,
                    count: out.measurement.count,
                    check: out.measurement.check,
                    metrics: out.measurement.metrics,
                    peak_rss_mib: out.peak_rss_mib,
                });
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    ops::cleanup(&place)?;
    if temporary {
        std::fs::remove_dir_all(&work)?;
    }
    let run = report::Run {
        machine: report::Machine::probe(),
        scale: args.scale,
        customers: sizes.customers,
        add_one_rows: sizes.add_one,
        lookups: sizes.lookups,
        searches: sizes.searches,
        orders: sizes.orders,
        balance_reads: sizes.balance_reads,
        redeems: sizes.redeems,
        py_rows: sizes.py_rows,
        bulk: sizes.bulk,
        history: sizes.history,
        setup,
        postgres: place.pg.is_some(),
        python: place.python.is_some(),
        c: place.c.is_some(),
        reps: args.reps,
        command: args.command.clone(),
        seconds: elapsed,
        samples,
    };
    report::write(&run, &args.out)?;
    let disagree = report::disagreements(&run);
    if args.strict && !disagree.is_empty() {
        return Err(format!(
            "the sides of {} did not store or read the same thing",
            disagree.join(", ")
        )
        .into());
    }
    eprintln!(
        "wrote {} and BENCHMARKS.json in {elapsed:.0} s",
        args.out.join("BENCHMARKS.md").display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let outcome = parse_args(&argv).and_then(|args| match args.child {
        Some((op, side)) => {
            let work = args.work.clone().ok_or("--child needs --work")?;
            run_child(op, side, Sizes::new(args.scale), &work)
        }
        None if args.report_only => {
            report::write(&report::read(&args.out)?, &args.out)?;
            eprintln!(
                "rewrote the report from {}",
                args.out.join("BENCHMARKS.json").display()
            );
            Ok(())
        }
        None => run_parent(&args),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crmlite-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
