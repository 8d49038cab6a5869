//! Medians, ranges, same-repetition ratios and the two report files.

use crate::ops::{BenchResult, OPS, Side};
use std::fmt::Write as _;
use std::path::Path;

/// One child run of one operation on one side.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// Operation name.
    pub op: String,
    /// Which side ran.
    pub side: Side,
    /// Repetition number, from 0.
    pub rep: u32,
    /// Calls or rows timed.
    pub count: u64,
    /// The value both sides must agree on.
    pub check: i64,
    /// Named costs in microseconds.
    pub metrics: Vec<(String, f64)>,
    /// Peak resident memory of the child process, MiB.
    pub peak_rss_mib: f64,
}

/// The machine the figures come from.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Machine {
    /// Logical CPUs.
    pub nproc: usize,
    /// `/proc/cpuinfo` model name.
    pub cpu: String,
    /// Total memory, GiB.
    pub memory_gib: f64,
    /// `rustc --version`.
    pub rustc: String,
    /// The SQLite library linked into this binary.
    pub sqlite: String,
}

impl Machine {
    /// Reads the machine's description.
    pub fn probe() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .and_then(|r| r.split_once(':'))
                    .map(|(_, v)| v.trim())
            })
            .unwrap_or("unknown")
            .to_owned();
        let memory_gib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0 / 1024.0);
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown".to_owned());
        Self {
            nproc: std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
            cpu,
            memory_gib,
            rustc,
            sqlite: rusqlite::version().to_owned(),
        }
    }

    fn line(&self) -> String {
        format!(
            "nproc {}, CPU `{}`, {:.1} GiB memory, {}, SQLite {} (bundled)",
            self.nproc, self.cpu, self.memory_gib, self.rustc, self.sqlite
        )
    }
}

/// Everything one harness run measured.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Run {
    /// Where the figures come from.
    pub machine: Machine,
    /// Fraction of 1,000,000 customers.
    pub scale: f64,
    /// Customers generated (and loaded into the shared databases).
    pub customers: u64,
    /// Customers imported by the timed bulk import.
    pub bulk: u64,
    /// Purchases generated and recorded into the ledger database.
    pub history: u64,
    /// The untimed loading steps, timed once.
    pub setup: Vec<crate::ops::SetupStep>,
    /// Rows of the one-per-transaction writes.
    pub add_one_rows: u64,
    /// Timed point lookups per run.
    pub lookups: u64,
    /// Timed searches per run.
    pub searches: u64,
    /// Purchases recorded by the order and accrual operations per run.
    pub orders: u64,
    /// Timed balance reads per run.
    pub balance_reads: u64,
    /// Timed redemptions per run.
    pub redeems: u64,
    /// Customers added through Python per run.
    pub py_rows: u64,
    /// Whether the crmlite operations also ran on PostgreSQL.
    pub postgres: bool,
    /// Whether the Python sides ran.
    pub python: bool,
    /// Whether the C sides ran.
    pub c: bool,
    /// Repetitions.
    pub reps: u32,
    /// The command that produced this run.
    pub command: String,
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
    /// Every child run.
    pub samples: Vec<Sample>,
}

/// Median, minimum and maximum.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Spread {
    /// The median (mean of the two middle values for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Option<Self> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let mid = *v.get(n / 2)?;
        let median = if n % 2 == 1 {
            mid
        } else {
            (v.get(n / 2 - 1)? + mid) / 2.0
        };
        Some(Self {
            median,
            min: *v.first()?,
            max: *v.last()?,
        })
    }

    fn show(self, digits: usize) -> String {
        format!(
            "{:.d$} [{:.d$}-{:.d$}]",
            self.median,
            self.min,
            self.max,
            d = digits
        )
    }
}

/// A goal from `BASELINES.md` "Conclusions".
struct Target {
    /// Highest acceptable crmlite/raw ratio of the median.
    max_ratio: Option<f64>,
    /// Highest acceptable crmlite median, microseconds.
    max_us: Option<f64>,
    text: &'static str,
}

fn target(op: &str, metric: &str) -> Option<Target> {
    let t = |max_ratio, max_us, text| {
        Some(Target {
            max_ratio,
            max_us,
            text,
        })
    };
    match (op, metric) {
        ("bulk-import", "us_per_row") => t(Some(1.5), None, "within 1.5x of raw"),
        ("add-one-full", "us_per_row") => t(Some(1.2), None, "within 1.2x of raw"),
        ("add-one-normal", "us_per_row") => t(
            Some(1.2),
            Some(1e6 / 15_000.0),
            "within 1.2x of raw and >= 15k rows/s",
        ),
        ("get-by-id", "p50_us") => t(Some(1.5), Some(6.0), "within 1.5x of raw, <= 6 us"),
        ("get-by-email", "p50_us") => t(Some(1.5), Some(9.0), "within 1.5x of raw, <= 9 us"),
        ("loyalty-accrual", "us_per_row") => t(None, Some(1e6 / 20_000.0), ">= 20k events/s"),
        // At least 1.5x faster than the loop: Python / sqlite3 <= 1/1.5.
        ("py-add-one", "us_per_row") => t(Some(1.0 / 1.5), None, ">= 1.5x faster than sqlite3"),
        ("py-batch", "us_per_row") => t(Some(1.3), None, "within 1.3x of raw"),
        ("c-add-one", "us_per_row") => t(Some(1.1), None, "within 1.1x of Rust"),
        ("c-get-by-id", "p50_us") => t(Some(1.1), None, "within 1.1x of Rust"),
        _ => None,
    }
}

/// The summary of one operation's metric.
#[derive(Debug, serde::Serialize)]
pub struct Row {
    op: String,
    metric: String,
    /// The measured side and its baseline: the ratio is `subject / baseline`.
    subject: Side,
    baseline: Side,
    /// Reported in the table of bindings.
    binding: bool,
    sides: Vec<(Side, Spread)>,
    /// crmlite / raw, each from the same repetition.
    ratio: Option<Spread>,
    /// crmlite / raw-minimal, each from the same repetition.
    ratio_minimal: Option<Spread>,
    /// crmlite on PostgreSQL / crmlite on SQLite, each from the same repetition.
    ratio_pg: Option<Spread>,
    peak_rss_mib: Vec<(Side, Spread)>,
    target: Option<String>,
    met: Option<bool>,
    checks_agree: bool,
}

fn metric_of(s: &Sample, name: &str) -> Option<f64> {
    s.metrics.iter().find(|(k, _)| k == name).map(|&(_, v)| v)
}

/// `top / bottom` of each repetition, summarised.
fn ratios_of(run: &Run, op: &str, metric: &str, top: Side, bottom: Side) -> Option<Spread> {
    let values: Vec<f64> = (0..run.reps)
        .filter_map(|rep| {
            let find = |sd: Side| {
                run.samples
                    .iter()
                    .find(|s| s.op == op && s.side == sd && s.rep == rep)
            };
            Some(metric_of(find(top)?, metric)? / metric_of(find(bottom)?, metric)?)
        })
        .collect();
    Spread::of(&values)
}

/// Summarises every operation and metric.
pub fn summarise(run: &Run) -> Vec<Row> {
    let mut rows = Vec::new();
    for op in OPS {
        let name = op.as_str();
        let of_op: Vec<&Sample> = run.samples.iter().filter(|s| s.op == name).collect();
        let Some(first) = of_op.first() else { continue };
        // Same check value on crmlite and raw in every repetition: both did the same work.
        let checks_agree = (0..run.reps).all(|rep| {
            let checks: Vec<i64> = of_op
                .iter()
                .filter(|s| s.rep == rep && s.side != Side::RawMinimal)
                .map(|s| s.check)
                .collect();
            checks.windows(2).all(|w| w.first() == w.last())
        });
        for (metric, _) in &first.metrics {
            let per_side = |f: &dyn Fn(&Sample) -> Option<f64>| -> Vec<(Side, Spread)> {
                op.sides()
                    .iter()
                    .filter_map(|&side| {
                        let v: Vec<f64> = of_op
                            .iter()
                            .filter(|s| s.side == side)
                            .filter_map(|s| f(s))
                            .collect();
                        Spread::of(&v).map(|sp| (side, sp))
                    })
                    .collect()
            };
            let sides = per_side(&|s| metric_of(s, metric));
            let (subject, baseline) = op.pair();
            let ratio = ratios_of(run, name, metric, subject, baseline);
            let ratio_minimal = ratios_of(run, name, metric, Side::Crmlite, Side::RawMinimal);
            let ratio_pg = ratios_of(run, name, metric, Side::CrmlitePg, Side::Crmlite);
            let goal = target(name, metric);
            let crm = sides
                .iter()
                .find(|(s, _)| *s == subject)
                .map(|&(_, sp)| sp.median);
            let met = goal.as_ref().map(|g| {
                g.max_ratio
                    .is_none_or(|m| ratio.is_some_and(|r| r.median <= m))
                    && g.max_us.is_none_or(|m| crm.is_some_and(|c| c <= m))
            });
            rows.push(Row {
                op: name.to_owned(),
                metric: metric.clone(),
                subject,
                baseline,
                binding: op.is_binding(),
                sides,
                ratio,
                ratio_minimal,
                ratio_pg,
                peak_rss_mib: per_side(&|s| Some(s.peak_rss_mib)),
                target: goal.map(|g| g.text.to_owned()),
                met,
                checks_agree,
            });
        }
    }
    rows
}

fn side_cell(row: &Row, side: Side, digits: usize) -> String {
    row.sides
        .iter()
        .find(|(s, _)| *s == side)
        .map_or_else(|| "-".to_owned(), |(_, sp)| sp.show(digits))
}

fn markdown(run: &Run, rows: &[Row]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks: crmlite next to hand-written rusqlite\n");
    let _ = writeln!(
        md,
        "Generated by `crmlite-bench` (crates/crmlite-bench); do not edit by hand. Produced with:\n\n```sh\n{}\n```\n",
        if run.command.is_empty() {
            "scripts/bench"
        } else {
            run.command.as_str()
        }
    );
    let _ = writeln!(md, "- Machine: {}.", run.machine.line());
    let _ = writeln!(
        md,
        "- Data: `shared/perf/gen.py`'s customers and purchases (seed 0x5EEDC0FFEE), scale {} = {} customers \
         and {} purchases; every customer and all {} purchases are loaded before the timed runs (see \
         Loading). Timed per run: {} customers \
         bulk-imported, {} one-per-transaction writes, {} point lookups, {} searches, the first {} \
         purchases, {} balance reads, {} redemptions, the ledger's change feed, {} customers through Python.",
        run.scale,
        run.customers,
        run.customers * 10,
        run.history,
        run.bulk,
        run.add_one_rows,
        run.lookups,
        run.searches,
        run.orders,
        run.balance_reads,
        run.redeems,
        run.py_rows
    );
    if run.postgres {
        let _ = writeln!(
            md,
            "- Column crmlite-pg: the same crmlite calls on PostgreSQL (`CRMLITE_BENCH_POSTGRES`), in the same \
             repetitions; there is no raw PostgreSQL baseline, so its ratio compares it with crmlite on SQLite."
        );
    } else {
        let _ = writeln!(
            md,
            "- PostgreSQL: not measured in this run (`CRMLITE_BENCH_POSTGRES` was not set)."
        );
    }
    let _ = writeln!(
        md,
        "- {} repetitions; within each, the sides run one after another (A B A B ...), each in a fresh \
         child process. Figures are median [min-max] over the repetitions; the ratio divides crmlite by \
         raw within the same repetition, then takes the median. Whole run: {:.0} s.\n",
        run.reps, run.seconds
    );
    let pg_head = if run.postgres {
        " crmlite-pg | crmlite-pg / crmlite |"
    } else {
        ""
    };
    let _ = writeln!(
        md,
        "| operation | metric | crmlite | raw | crmlite / raw | raw-minimal | crmlite / raw-minimal |{pg_head} goal | met | same results | peak RSS MiB crmlite / raw |"
    );
    let _ = writeln!(
        md,
        "|---|---|---|---|---|---|---|{}---|---|---|---|",
        if run.postgres { "---|---|" } else { "" }
    );
    for r in rows.iter().filter(|r| !r.binding) {
        let ratio =
            |sp: Option<Spread>| sp.map_or_else(|| "-".to_owned(), |s| format!("{}x", s.show(2)));
        let pg = if run.postgres {
            format!(
                " {} | {} |",
                side_cell(r, Side::CrmlitePg, 2),
                ratio(r.ratio_pg)
            )
        } else {
            String::new()
        };
        let rss = |side: Side| {
            r.peak_rss_mib
                .iter()
                .find(|(s, _)| *s == side)
                .map_or_else(|| "-".to_owned(), |(_, sp)| format!("{:.0}", sp.median))
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |{pg} {} | {} | {} | {} / {} |",
            r.op,
            r.metric,
            side_cell(r, Side::Crmlite, 2),
            side_cell(r, Side::Raw, 2),
            ratio(r.ratio),
            side_cell(r, Side::RawMinimal, 2),
            ratio(r.ratio_minimal),
            r.target.as_deref().unwrap_or(""),
            r.met.map_or("", |m| if m { "yes" } else { "**no**" }),
            if r.checks_agree { "yes" } else { "**no**" },
            rss(Side::Crmlite),
            rss(Side::Raw),
        );
    }
    binding_table(&mut md, run, rows);
    setup_section(&mut md, run);
    let _ = writeln!(md, "\nRates (from the medians of `us_per_row`):\n");
    for r in rows
        .iter()
        .filter(|r| r.metric == "us_per_row" && !r.binding)
    {
        let rate = |side: Side| {
            r.sides.iter().find(|(s, _)| *s == side).map_or_else(
                || "-".to_owned(),
                |(_, sp)| format!("{:.0}", 1e6 / sp.median),
            )
        };
        let _ = write!(
            md,
            "- {}: crmlite {} rows/s, raw {} rows/s",
            r.op,
            rate(Side::Crmlite),
            rate(Side::Raw)
        );
        if run.postgres {
            let _ = write!(md, ", crmlite-pg {} rows/s", rate(Side::CrmlitePg));
        }
        if r.sides.iter().any(|(s, _)| *s == Side::RawMinimal) {
            let _ = write!(md, ", raw-minimal {} rows/s", rate(Side::RawMinimal));
        }
        let _ = writeln!(md, ".");
    }
    md.push_str(NOTES);
    md
}

/// The loading steps, each timed once.
fn setup_section(md: &mut String, run: &Run) {
    let _ = writeln!(
        md,
        "\n### Loading (untimed steps before the runs, each measured once)\n"
    );
    let _ = writeln!(
        md,
        "The customers go in through the CSV import's fast path (an empty database, ids in the file's \
         order, so they are `gen.py`'s ids). A copy gets the program and a card for every buyer; a copy \
         of that gets every purchase of the data set through `Crm::record_orders` in large batches \
         with a large page cache (`OpenOptions::cache_mib`): each transaction writes the index pages it \
         touches to the WAL once, so fewer, larger transactions rewrite fewer pages per purchase.\n"
    );
    let _ = writeln!(md, "| step | count | seconds | per second | database MiB |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for s in &run.setup {
        // Counts stay far below 2^52.
        #[allow(clippy::cast_precision_loss)]
        let rate = s.count as f64 / s.seconds.max(1e-9);
        let _ = writeln!(
            md,
            "| {} | {} | {:.1} | {:.0} | {} |",
            s.what,
            s.count,
            s.seconds,
            rate,
            s.db_mib
                .map_or_else(|| "-".to_owned(), |m| format!("{m:.0}"))
        );
    }
}

/// The Python and C operations: each binding next to its own baseline.
fn binding_table(md: &mut String, run: &Run, rows: &[Row]) {
    let bindings: Vec<&Row> = rows.iter().filter(|r| r.binding).collect();
    let _ = writeln!(md, "\n### Bindings\n");
    if bindings.is_empty() {
        let _ = writeln!(
            md,
            "Not measured in this run (`CRMLITE_BENCH_PYTHON` and `CRMLITE_BENCH_C` were not set; \
             `scripts/bench` sets both)."
        );
        return;
    }
    let _ = writeln!(
        md,
        "Python: {} customers per run; C: {} calls per run. The ratio divides the first side by \
         the second within each repetition.\n",
        run.py_rows, run.add_one_rows
    );
    let _ = writeln!(
        md,
        "| operation | metric | side | value | baseline | value | side / baseline | other | goal | met | same results | peak RSS MiB side / baseline |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in bindings {
        let rss = |side: Side| {
            r.peak_rss_mib
                .iter()
                .find(|(s, _)| *s == side)
                .map_or_else(|| "-".to_owned(), |(_, sp)| format!("{:.0}", sp.median))
        };
        let others: Vec<String> = r
            .sides
            .iter()
            .filter(|(s, _)| *s != r.subject && *s != r.baseline)
            .map(|(s, sp)| format!("{} {}", s.as_str(), sp.show(2)))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
            r.op,
            r.metric,
            r.subject.as_str(),
            side_cell(r, r.subject, 2),
            r.baseline.as_str(),
            side_cell(r, r.baseline, 2),
            r.ratio
                .map_or_else(|| "-".to_owned(), |s| format!("{}x", s.show(2))),
            if others.is_empty() {
                "-".to_owned()
            } else {
                others.join(", ")
            },
            r.target.as_deref().unwrap_or(""),
            r.met.map_or("", |m| if m { "yes" } else { "**no**" }),
            if r.checks_agree { "yes" } else { "**no**" },
            rss(r.subject),
            rss(r.baseline),
        );
    }
}

const NOTES: &str = "
## What each side does

- **crmlite**: the public API of the `crmlite` crate on a file database opened with
  `OpenOptions` (WAL; `synchronous=FULL`, crmlite's default, except where the operation says NORMAL).
  Inputs (`NewCustomer` values: name, e-mail, external code, birthday, city) are built before the timer.
- **raw**: rusqlite by hand on the schema crmlite creates (same tables, B-tree indexes, FTS5 search
  tables and triggers) with the pragmas crmlite sets, cached prepared statements, and the same rows
  crmlite stores: the customer row (derived keys computed with `to_lowercase`, JSON built with
  `format!`), its e-mail lookup row and its change-feed row. This is the best a user could do by
  hand while keeping the same search, lookups and change feed.
- **raw-minimal** (bulk import only): `BASELINES.md` A's path on its minimal 7-column table with two
  unique indexes built after the load, to compare with the published figures.
- **bulk-import**: the customers (all of them up to 100,000; the first 100,000 above) into an empty
  database in one transaction. crmlite: one
  `Crm::add_customers` call. raw: crmlite's B-tree indexes dropped, one transaction, the indexes built
  again after the load (inside the timer).
- **csv-import**: the same customers as one CSV file (`external_code,name,email,city,birthday`,
  built before the timer) into an empty database. crmlite: one `Crm::import_customers` call (CSV
  parsing, the same checks as `add_customer`, the empty-table fast path with the search index built
  after the load). raw: the file checked as UTF-8 and split on commas by hand (it needs no quoting,
  and nothing is validated), then bulk-import's raw path.
- **add-one-full / add-one-normal**: `Crm::add_customer` once per row, each its own transaction, vs raw
  `BEGIN IMMEDIATE` + inserts + `COMMIT` per row, into an empty database.
- **get-by-id / get-by-email**: `Crm::customer` and `Crm::customers_by_email` vs one raw `SELECT` of the
  full row (by id, or joined to the e-mail lookup table, whose primary key gives the rows in id
  order), on the database of every customer, filled once through crmlite.
  Keys are random (splitmix64, seeds 42 and 43), after 1,000 untimed warm-up calls.
- **search-fragment**: `Crm::search_customers(fragment, 20)` vs the raw FTS5 trigram query with the same
  ordering and limit; fragments are four letters of a last name (`muel`, `chmi`).
- **record-orders**: the first purchases of `gen.py`'s table (at most 50,000 per run) (one line each, EUR, bought at its `ts`),
  customers without loyalty cards, into a copy of the customer database: `Crm::record_orders` with 1,000
  orders per call (one transaction each) vs raw `BEGIN IMMEDIATE` + the same rows per order (the order,
  its line, the customer's spend facts upserted, the timeline note, two change-feed rows) + `COMMIT`
  every 1,000 orders. Both with `synchronous=FULL`.
- **loyalty-accrual**: the same purchases, now on customers who each hold a card in a program earning one
  point per euro; `Crm::record_orders`, 1,000 per call, stores each order and its ledger lot. The raw side
  is `BASELINES.md` D as written: per event one `INSERT` into its own `ledger` table (indexed on
  `(customer_id, id)`) and one balance upsert, 1,000 events per transaction. The raw side does far less
  than crmlite (no order, no facts, no timeline, no change feed, no award-once check), so the ratio is
  the price of the whole purchase path against the bare ledger; the absolute goal (20k events/s) is the
  one that matters. Both with `synchronous=NORMAL`, as in D.
- **balance-read**: `Crm::balance(card, 0)` (the card, its program, every open lot with what is left of
  it, and the ledger sum) vs one raw `SELECT SUM(points) FROM loyalty_entries WHERE card_id = ?`, on a
  database where the loaded purchases were recorded on cards (later repetitions also see the
  redemptions of earlier ones, on every side alike). Cards are random (splitmix64, seed 44).
- **redeem-one**: `Crm::redeem_points(card, 1)` one call (transaction) each on the ledger database (every
  purchase of the data set recorded, so the cards carry their whole history), vs the raw ledger of
  `BASELINES.md` D (loaded untimed with the timed purchases): `BEGIN IMMEDIATE`, the balance read and
  checked, a negative ledger row, the balance update, `COMMIT`. Cards are random among buyers with at
  least 100 points (splitmix64, seed 45). Both with `synchronous=NORMAL`. crmlite also reads the card and
  its program, takes the points from the open lots soonest-expiring first (one allocation row per lot
  touched) and appends the change-feed row. It reads the card's first lots in that order through an
  index of lots by card and expiry, not every lot of the card (a heavy buyer holds thousands of them
  once every purchase is recorded): its cost grows with the fully spent lots it steps over, not with the
  card's whole history.
- **change-feed**: `Crm::changes_since(cursor, 1000)` page after page over the ledger database's feed as
  loading left it (at most 1,000,000 changes), vs the same cached `SELECT ... WHERE seq > ? ORDER BY seq
  LIMIT ?` with rusqlite, rows kept as text; per change.
- **py-add-one**: crmlite's Python API, `crm.add_customer(name, emails=[...], external_code=...,
  birthday=..., address=Address(city=...))` per customer, every call inside one
  `with crm.transaction():` (each call under its own savepoint, one commit at the end),
  `synchronous=\"normal\"`, vs the standard library's `sqlite3` loop a user
  would write for the same rows on crmlite's schema (the customer row with its search keys and JSON
  built per row, the e-mail lookup row, the change-feed row; `execute` per row, one transaction,
  the same pragmas except `trusted_schema`, which the system SQLite of `sqlite3` needs on for the
  search triggers). Inputs are built before the timer.
- **py-add-one-commit**: the same calls without `crm.transaction()`, so each commits on its own
  (a WAL append and the search indexes flushed per call), vs the same one-transaction `sqlite3` loop.
- **py-batch**: one `crm.add_customers([...])` call with every customer (dicts of `add_customer`'s
  arguments), vs raw rusqlite's bulk path (the raw side of bulk-import); the other column is the same
  batch through the Rust API (`Crm::add_customers`), which shows what the Python layer adds.
- **c-add-one / c-get-by-id**: a C program (`crates/crmlite-bench/c/bench_c.c`, `gcc -O2`, linked with
  the bench-release `libcrmlite.a`) calling `crmlite_customer_add` per customer (drafts built before
  the timer, `synchronous=NORMAL`) and `crmlite_customer_get` + `crmlite_customer_id` +
  `crmlite_customer_free` per id, vs the same calls through the Rust API (`Crm::add_customer`,
  `Crm::customer`) in the same repetition.
- **crmlite-pg** (when measured): the crmlite calls above on PostgreSQL, each writing run in a schema of
  its own (customers, program and cards loaded untimed first), the reads on shared schemas loaded once.
  `synchronous` does not apply; durability is the server's (the `--postgres` cluster of `scripts/bench`
  keeps fsync on).
- *same results*: both sides stored the same number of rows or returned the same customers (a sum of ids);
  for orders the sum of order totals, for accrual the number of lots, for balances the sum of the balances.
- Peak RSS is `VmHWM` of each child process, and includes the generated input held in memory.
- `cpu_us_per_row` is the on-CPU time of the measuring thread (`/proc/thread-self/schedstat`); on this
  shared machine the wall time of the writes depends mostly on other processes' disk traffic.

## Reading the figures

- Both sides of the bulk import pay for crmlite's schema: the two FTS5 search tables (word prefixes and
  trigrams, filled by triggers) make every row cost far more than on `BASELINES.md`'s minimal table
  (column raw-minimal). That is a schema cost, not a library one; the crmlite / raw ratio is the
  library's own overhead (validation, normalised search keys, the external-code check, indexes kept
  during the load instead of built after it).
- crmlite's one-call writes run validation and text normalisation and probe the external code before
  inserting; the CPU column shows that overhead without the disk's noise.
- A read is a transaction (`BEGIN`, the query, `ROLLBACK`) around one or two statements, and decodes the
  JSON columns into typed values; the raw side runs one autocommit statement and keeps the text.
- A purchase in crmlite checks that the buyer exists, checks the receipt number, and looks up the
  customer's cards; with a card it also checks that the order was not awarded before and appends the
  lot with its change-feed row. The program, its earn rules and tiers and the event triggers are read
  once per `record_orders` call. The raw D baseline writes two rows.
- A balance reads the card, the program and every open lot with what was spent from it (expiry and
  pending points need the lots), so heavy buyers with thousands of lots set the p99; the raw side only
  sums one column.
- On this shared machine the disk is busy with other work: compare the `cpu_us_per_row` rows, which
  count only the measuring thread's time on the CPU.

## Changes made in crmlite after profiling this harness

- The read transaction ends with a cached `ROLLBACK` statement; it was parsed again on every call.
- `customers_by_email` and `customers_by_phone` fetch the customers in one statement (the store method
  returns rows instead of ids, then one query per id).
- Customer rows are decoded from borrowed text; empty JSON lists and maps skip the parser; birthdays
  use the ISO date parser instead of a format string.
- Adding a customer no longer deletes e-mail, phone and tag lookup rows it cannot have yet.
- `Crm::record_orders` records a batch of purchases in one transaction (there was only the
  one-order call); the order and accrual operations use it.
- The award lookup made on every accrual repeats the condition of the partial unique award index, so
  SQLite uses that index; before, it walked every ledger entry of the card, and accrual slowed down as
  a card's ledger grew (quadratic for heavy buyers).
- SQLite connections enable the query planner stability guarantee (QPSG). Without it, SQLite 3.54
  compiled every cached statement of the form `WHERE column = ?1 ORDER BY ...` again on each run
  (cards of a customer, tiers, earn rules, timeline pages): a quarter of accrual's time.
- The writer connection has a 16 MiB page cache and keeps statement journals in memory: a batch of a
  thousand orders dirties thousands of index pages, and each statement's journal spilled to a
  temporary file. The raw side uses the same settings.
- A tier update looks for the program's tiers before reading the card again (one query fewer per accrual
  in a program without tiers).

Second round (profiled with `valgrind --tool=callgrind`, which counts instructions and is not disturbed
by the other work on this machine; the child process of each operation run alone at scale 0.002):

- Accrual had regressed to 149 us of CPU per purchase (42 us when this file was last produced): the
  points-milestone triggers added since then made every award read all open lots of the card, to
  compute the balance before and after it for the `PointsAwarded` event. That read was 74% of the
  instructions of recording 20,000 purchases on cards, and it grows with a card's history (quadratic
  for heavy buyers). The balances are now computed only when an active points-milestone trigger is
  there to read them: 38.50 G instructions before, 9.78 G after (1.93 M to 0.49 M per purchase, 3.9x
  fewer).
- An event with no triggers defined returns before building the occurrence text (one query per event).
- `add_customer` returns the customer it stored instead of reading it back, unless an event trigger fired
  (a trigger may tag the new customer): 627 k to 607 k instructions per call. What is left is SQLite,
  and most of it is FTS5 flushing the two search indexes at each commit, which the raw side pays alike.
- SQLite inserts take the new key from the connection's last rowid instead of `INSERT ... RETURNING`:
  SQLite runs each `RETURNING` statement into a temporary B-tree (opened, a zeroed page allocated,
  closed: 12 per purchase with accrual, a zeroing `memset` alone was 16% of the remaining instructions).
  PostgreSQL keeps `RETURNING`. Recording the same 20,000 purchases on cards: 9.78 G to 6.96 G
  instructions (0.49 M to 0.35 M per purchase; this last figure from the `release` build, the two
  before from `bench-release`, which adds thin LTO).
- The Python layer turned each `Address` into a dict with `dataclasses.asdict`, which deep-copies
  (about 17 us per call on this machine, 0.7 us for the six fields by hand). py-batch went from 1.63x raw
  (99 us per customer, the first full run) to 1.19x (74 us).

Third round (callgrind, the `loyalty-accrual` child alone at scale 0.002: 20,000 purchases on cards,
`bench-release`):

- `record_orders` read the program, its earn rules, its tiers and the trigger list (twice) again for
  every order of the batch, and the whole buyer row (JSON columns decoded) to check that it exists. The
  batch now reads each once per transaction (forgotten whenever a trigger fires, since its action may
  change anything) and the buyer check selects no column: 16 statements per purchase to 11, 6.72 G to
  5.56 G instructions (336 k to 278 k per purchase).
- What is left is mostly SQLite. The schema's `CHECK (x IN (...))` constraints and the partial award
  index's `source_kind IN (...)` list have more than two constants, and SQLite evaluates such a list
  by building a temporary B-tree on every row: six per purchase (the three change-feed rows, the
  ledger row twice, the award lookup), about a third of the remaining instructions (zeroing their
  fresh pages alone is 18%). Writing those conditions as `x = 'a' OR x = 'b' ...` needs a migration.

## The goals that are missed, and why

- **loyalty-accrual, 20,000 events/s**: each event is a whole purchase (order, line, spend facts,
  timeline note, three change-feed rows, the award-once check and the lot: 11 statements), not the two
  rows of the D baseline. Its CPU time alone (`cpu_us_per_row`) allows about 20,000/s; the wall time adds
  the WAL writes of the randomly touched index pages, which grow with the database and with the other
  work on this machine.
- **add-one-normal, 15,000 rows/s**: the target came from `BASELINES.md` B, a 7-column table with two
  unique indexes. On crmlite's schema the two FTS5 search indexes are flushed at every commit, and the
  raw side, doing the same by hand, is as slow (the ratio part of the goal is met).
- **py-add-one, 1.5x faster than the sqlite3 loop**: both sides now run in one transaction, and the
  SQLite work of the rows is the same on both: the customer, e-mail and change-feed inserts and the
  FTS5 search triggers, whose index is flushed and merged at every statement boundary. That work alone
  is most of either side (raw rusqlite's bulk path for the same rows, py-batch's baseline, is only
  about 1.2x faster than the loop), so no binding can be 1.5x faster than the loop. A callgrind look at 3,000
  calls: about 70 % of the instructions are inside SQLite (40 % FTS5 flushing and merging), 8 %
  validation, 4 % building the returned record; the Python layer adds about 12 % of the wall time.
  Each call also runs under a savepoint (so a failing call undoes only itself), which costs about
  13 % in the same loop written with `sqlite3`. `py-add-one-commit` shows what committing every call
  costs on top.
- The goals for get-by-id and get-by-email sit at the edge: raw rusqlite itself needs about 5 and 9 us
  at p50 on a 1,000,000-customer file on this machine now (4.0 and 6.1 us in `BASELINES.md`), so the
  absolute limits pass or fail by a few tenths of a microsecond from run to run; the ratios hold.

## PostgreSQL per call (from the scale 0.002 run with `--postgres`; the full run has no PostgreSQL column)

crmlite on PostgreSQL was 10-20x slower per call than on SQLite. Statements are prepared once per pooled
connection and cached, so it is not preparation; it is round trips. A read is `BEGIN ... READ ONLY`, the
query and `ROLLBACK`: three round trips over loopback TCP (about 20 us each on this loaded machine, so
about 60 us p50 for a customer by id against 4 us in-process). A purchase with accrual runs 15 statements
(counted under callgrind on SQLite: 300,000 `query`/`execute` calls for 20,000 purchases), each a round
trip on PostgreSQL, plus an `UPDATE` of the head row for each of its three change-feed rows (the gapless
sequence), plus `BEGIN` with the head-row lock and `COMMIT` per batch: about 18 round trips, 1-1.5 ms.
For `add-one-normal`, `synchronous` applies to SQLite only: PostgreSQL flushes its WAL at every commit
(`synchronous_commit=on`, fsync on in the bench cluster), so that column compares an fsync per commit
with none (`add-one-full`, where both flush, is even). Not changed: `synchronous_commit=off` for
`Synchronous::Normal` would be the same trade-off but changes PostgreSQL's durability for existing
callers, and sending a single-statement read without `BEGIN`/`ROLLBACK`, or pipelining statements,
changes the snapshot each read sees; both need their own design and tests.

## Not measured

- RFM segmentation: crmlite has no analytics API (no RFM or segmentation call), so there is nothing to
  compare with `shared/perf/rfm_ref.py`.
- A Python transaction spanning several calls: crmlite has none (in any language); the per-call Python
  path commits each call, and `add_customers` is the one-transaction path.
";

/// The operations whose sides did not store or read the same thing in some repetition.
pub fn disagreements(run: &Run) -> Vec<String> {
    let mut ops: Vec<String> = summarise(run)
        .into_iter()
        .filter(|r| !r.checks_agree)
        .map(|r| r.op)
        .collect();
    ops.dedup();
    ops
}

/// Reads the run recorded in `dir/BENCHMARKS.json` (to write its report again).
pub fn read(dir: &Path) -> BenchResult<Run> {
    #[derive(serde::Deserialize)]
    struct File {
        run: Run,
    }
    let text = std::fs::read_to_string(dir.join("BENCHMARKS.json"))?;
    Ok(serde_json::from_str::<File>(&text)?.run)
}

/// Writes `BENCHMARKS.md` and `BENCHMARKS.json` into `dir`.
pub fn write(run: &Run, dir: &Path) -> BenchResult<()> {
    let rows = summarise(run);
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("BENCHMARKS.md"), markdown(run, &rows))?;
    let json = serde_json::json!({ "run": run, "summary": rows });
    std::fs::write(
        dir.join("BENCHMARKS.json"),
        serde_json::to_string_pretty(&json)? + "\n",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_the_middle_and_the_ends() {
        let s = Spread::of(&[3.0, 1.0, 2.0]).unwrap_or(Spread {
            median: 0.0,
            min: 0.0,
            max: 0.0,
        });
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        let even = Spread::of(&[4.0, 1.0, 2.0, 3.0]).map(|s| s.median);
        assert_eq!(even, Some(2.5));
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn ratios_pair_samples_of_the_same_repetition() {
        let sample = |side, rep, v| Sample {
            op: "get-by-id".into(),
            side,
            rep,
            count: 1,
            check: 7,
            metrics: vec![("p50_us".into(), v)],
            peak_rss_mib: 10.0,
        };
        let run = Run {
            machine: Machine {
                nproc: 2,
                cpu: "x".into(),
                memory_gib: 1.0,
                rustc: "r".into(),
                sqlite: "s".into(),
            },
            scale: 0.01,
            customers: 1,
            bulk: 1,
            history: 1,
            setup: Vec::new(),
            add_one_rows: 1,
            lookups: 1,
            searches: 1,
            orders: 1,
            balance_reads: 1,
            redeems: 1,
            py_rows: 1,
            postgres: false,
            python: false,
            c: false,
            reps: 2,
            command: String::new(),
            seconds: 1.0,
            samples: vec![
                sample(Side::Crmlite, 0, 8.0),
                sample(Side::Raw, 0, 4.0),
                sample(Side::Crmlite, 1, 3.0),
                sample(Side::Raw, 1, 3.0),
            ],
        };
        let rows = summarise(&run);
        let row = rows.iter().find(|r| r.metric == "p50_us");
        let ratio = row.and_then(|r| r.ratio);
        // (8/4 + 3/3) / 2, not median(8,3)/median(4,3).
        assert_eq!(ratio.map(|r| r.median), Some(1.5));
        // crmlite's median is 5.5 us (<= 6) and the ratio 1.5x (<= 1.5): the goal is met.
        assert_eq!(row.and_then(|r| r.met), Some(true));
        assert!(row.is_some_and(|r| r.checks_agree));
    }
}
