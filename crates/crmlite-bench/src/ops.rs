//! The measured operations: each crmlite call and the hand-written rusqlite code that
//! stores or reads the same rows, with the same pragmas, schema and indexes.

use crate::data::{self, GenCustomer, Rng};
use crate::db::{Db, remove_db};
use crate::extra;
use crate::sales;
use crmlite::customer::{Address, NewCustomer};
use crmlite::{CustomerId, Synchronous};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Errors of the harness: anything that stops a measurement.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;
/// The harness's result type.
pub type BenchResult<T> = Result<T, BenchError>;

/// What one run of one operation measured.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Measurement {
    /// Named costs (microseconds), lower is better.
    pub metrics: Vec<(String, f64)>,
    /// How many calls or rows were timed.
    pub count: u64,
    /// A value both sides must agree on (rows found, ids summed), to show they did the same work.
    pub check: i64,
    /// The peak memory of a helper process that did the work (the C and Python sides), MiB.
    #[serde(default)]
    pub helper_rss_mib: Option<f64>,
}

/// Which side of a pair runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The crmlite API.
    Crmlite,
    /// rusqlite by hand, same schema and indexes as crmlite.
    Raw,
    /// rusqlite by hand on `BASELINES.md`'s minimal schema (no search index, no change feed).
    RawMinimal,
    /// The crmlite API on PostgreSQL (only when `CRMLITE_BENCH_POSTGRES` names a server).
    CrmlitePg,
    /// crmlite's Python API (only when `CRMLITE_BENCH_PYTHON` names an interpreter with crmlite).
    Python,
    /// The Python standard library's `sqlite3` by hand, same schema and rows as crmlite.
    PySqlite3,
    /// crmlite's C ABI from a C program (only when `CRMLITE_BENCH_C` names the program).
    C,
}

impl Side {
    /// The stable name used on the command line and in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Crmlite => "crmlite",
            Self::Raw => "raw",
            Self::RawMinimal => "raw-minimal",
            Self::CrmlitePg => "crmlite-pg",
            Self::Python => "python",
            Self::PySqlite3 => "py-sqlite3",
            Self::C => "c",
        }
    }

    /// Parses [`Side::as_str`].
    pub fn parse(s: &str) -> BenchResult<Self> {
        [
            Self::Crmlite,
            Self::Raw,
            Self::RawMinimal,
            Self::CrmlitePg,
            Self::Python,
            Self::PySqlite3,
            Self::C,
        ]
        .into_iter()
        .find(|side| side.as_str() == s)
        .ok_or_else(|| format!("unknown side {s:?}").into())
    }
}

/// The operations, each measured on every side it lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// All customers into an empty database in one transaction.
    BulkImport,
    /// All customers into an empty database from one CSV file.
    CsvImport,
    /// One customer per transaction, `synchronous=FULL`.
    AddOneFull,
    /// One customer per transaction, `synchronous=NORMAL`.
    AddOneNormal,
    /// A customer by id.
    GetById,
    /// Customers by e-mail address.
    GetByEmail,
    /// Customers by a fragment of their name.
    Search,
    /// Purchases recorded 1,000 per call, customers without loyalty cards.
    RecordOrders,
    /// Purchases that earn points on the buyer's card, 1,000 per call.
    Accrual,
    /// A card's balance.
    Balance,
    /// One point redeemed from a card, one call (transaction) each, `synchronous=NORMAL`.
    Redeem,
    /// The whole change feed read in pages of 1,000.
    ChangeFeed,
    /// Python: one `add_customer` call per customer, all inside `with crm.transaction():`.
    PyAddOne,
    /// Python: one `add_customer` call per customer, each its own transaction.
    PyAddOneCommit,
    /// Python: one `add_customers` call with every customer.
    PyBatch,
    /// C: one `crmlite_customer_add` per customer, `synchronous=NORMAL`.
    CAddOne,
    /// C: `crmlite_customer_get` by id.
    CGetById,
}

/// Every operation, in the order of the report.
pub const OPS: [Op; 17] = [
    Op::BulkImport,
    Op::CsvImport,
    Op::AddOneFull,
    Op::AddOneNormal,
    Op::GetById,
    Op::GetByEmail,
    Op::Search,
    Op::RecordOrders,
    Op::Accrual,
    Op::Balance,
    Op::Redeem,
    Op::ChangeFeed,
    Op::PyAddOne,
    Op::PyAddOneCommit,
    Op::PyBatch,
    Op::CAddOne,
    Op::CGetById,
];

impl Op {
    /// The stable name used on the command line and in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BulkImport => "bulk-import",
            Self::CsvImport => "csv-import",
            Self::AddOneFull => "add-one-full",
            Self::AddOneNormal => "add-one-normal",
            Self::GetById => "get-by-id",
            Self::GetByEmail => "get-by-email",
            Self::Search => "search-fragment",
            Self::RecordOrders => "record-orders",
            Self::Accrual => "loyalty-accrual",
            Self::Balance => "balance-read",
            Self::Redeem => "redeem-one",
            Self::ChangeFeed => "change-feed",
            Self::PyAddOne => "py-add-one",
            Self::PyAddOneCommit => "py-add-one-commit",
            Self::PyBatch => "py-batch",
            Self::CAddOne => "c-add-one",
            Self::CGetById => "c-get-by-id",
        }
    }

    /// Parses [`Op::as_str`].
    pub fn parse(s: &str) -> BenchResult<Self> {
        OPS.into_iter()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| format!("unknown operation {s:?}").into())
    }

    /// The sides measured for this operation, interleaved in this order; `crmlite-pg` runs
    /// only when a PostgreSQL server is given.
    pub fn sides(self) -> &'static [Side] {
        match self {
            Self::BulkImport => &[Side::Crmlite, Side::Raw, Side::RawMinimal, Side::CrmlitePg],
            Self::PyAddOne | Self::PyAddOneCommit => &[Side::Python, Side::PySqlite3],
            Self::PyBatch => &[Side::Python, Side::Raw, Side::Crmlite],
            Self::CAddOne | Self::CGetById => &[Side::C, Side::Crmlite],
            _ => &[Side::Crmlite, Side::Raw, Side::CrmlitePg],
        }
    }

    /// The side measured and the baseline it is divided by: crmlite / raw for the core
    /// operations, the binding / its baseline for the Python and C ones.
    pub fn pair(self) -> (Side, Side) {
        match self {
            Self::PyAddOne | Self::PyAddOneCommit => (Side::Python, Side::PySqlite3),
            Self::PyBatch => (Side::Python, Side::Raw),
            Self::CAddOne | Self::CGetById => (Side::C, Side::Crmlite),
            _ => (Side::Crmlite, Side::Raw),
        }
    }

    /// Whether the operation measures a binding (reported in a table of its own).
    pub fn is_binding(self) -> bool {
        matches!(
            self,
            Self::PyAddOne | Self::PyAddOneCommit | Self::PyBatch | Self::CAddOne | Self::CGetById
        )
    }

    /// The operation's name with underscores, for PostgreSQL schema names.
    fn ident(self) -> String {
        self.as_str().replace('-', "_")
    }
}

/// Sizes derived from the scale.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Customers in the data set.
    pub customers: u64,
    /// Customers imported by the timed bulk import.
    pub bulk: u64,
    /// Purchases recorded into the ledger database before the timed runs: every purchase of
    /// the data set (`gen.py`'s ten per customer).
    pub history: u64,
    /// Calls of the one-per-transaction write.
    pub add_one: u64,
    /// Timed point lookups.
    pub lookups: u64,
    /// Timed searches.
    pub searches: u64,
    /// Purchases recorded by the write operations (the first of `gen.py`'s table, whose full
    /// size is ten per customer).
    pub orders: u64,
    /// Timed balance reads.
    pub balance_reads: u64,
    /// Timed redemptions (one per transaction).
    pub redeems: u64,
    /// Most changes read from the feed.
    pub feed: u64,
    /// Customers added through Python, per run.
    pub py_rows: u64,
}

impl Sizes {
    /// `scale` of 1,000,000 customers.
    pub fn new(scale: f64) -> Self {
        // The scale is a fraction of a million; the product is small and positive.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let customers = ((scale * 1_000_000.0).round() as u64).max(100);
        Self {
            customers,
            bulk: customers.min(100_000),
            history: customers * 10,
            add_one: (customers / 20).clamp(200, 2_000),
            lookups: (customers * 2).clamp(1_000, 50_000),
            searches: 200,
            orders: (customers * 10).min(50_000),
            balance_reads: (customers * 2).clamp(1_000, 10_000),
            redeems: (customers / 20).clamp(200, 2_000),
            feed: 1_000_000,
            py_rows: customers.min(10_000),
        }
    }
}

/// The minimal schema of `shared/perf/limits` (`BASELINES.md` A), indexes added after the load.
const MINIMAL_DDL: &str = "CREATE TABLE customers(id INTEGER PRIMARY KEY, external_code TEXT NOT NULL, \
    email TEXT NOT NULL, name TEXT NOT NULL, birthday TEXT, city TEXT, created_at INTEGER NOT NULL);";
const MINIMAL_INDEXES: &str = "CREATE UNIQUE INDEX ux_customers_email ON customers(email); \
    CREATE UNIQUE INDEX ux_customers_ext ON customers(external_code);";

/// The columns both sides fetch for a full customer.
const COLUMNS: &str = "id, kind, name, emails, phones, address, birthday, language, tags, attributes, \
                       external_code, version, created_at, updated_at";

/// The crmlite input for a generated customer.
pub fn new_customer(c: &GenCustomer) -> NewCustomer {
    let address = Address {
        city: c.city.to_owned(),
        ..Address::default()
    };
    NewCustomer::person(c.name.as_str())
        .email(c.email.as_str())
        .external_code(c.external_code.as_str())
        .birthday(c.birthday)
        .address(address)
}

/// A fresh SQLite database with crmlite's schema, as crmlite creates it.
pub fn fresh_crmlite_db(path: &Path) -> BenchResult<()> {
    Db::File(path.to_owned()).fresh()
}

/// A rusqlite connection with the settings crmlite gives its writer connection.
pub fn open_raw(path: &Path, sync: Synchronous) -> BenchResult<Connection> {
    let conn = Connection::open(path)?;
    conn.set_prepared_statement_cache_capacity(128);
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    let sync = if sync == Synchronous::Normal {
        "NORMAL"
    } else {
        "FULL"
    };
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA trusted_schema = OFF; \
         PRAGMA synchronous = {sync}; PRAGMA journal_mode = WAL; PRAGMA cache_size = -16384; \
         PRAGMA temp_store = MEMORY;"
    ))?;
    Ok(conn)
}

/// How many customers the database holds, counted the same way for every side.
fn stored(db: &Db) -> BenchResult<i64> {
    db.scalar("SELECT COUNT(*) FROM customers")
}

/// On-CPU time of this thread so far, microseconds (`/proc/thread-self/schedstat`); SQLite
/// runs in the calling thread, so this is the work done, without time spent waiting for the disk.
pub fn cpu_micros() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace()
        .next()
        .and_then(|ns| ns.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e3)
}

/// Wall and CPU microseconds per row since (`wall`, `cpu`).
pub fn row_costs(wall: Instant, cpu: f64, rows: u64) -> Vec<(String, f64)> {
    vec![
        ("us_per_row".into(), per_row(micros(wall), rows)),
        ("cpu_us_per_row".into(), per_row(cpu_micros() - cpu, rows)),
    ]
}

/// Microseconds since `t`.
fn micros(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e6
}

fn per_row(total_us: f64, rows: u64) -> f64 {
    // Row counts stay far below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let rows = rows.max(1) as f64;
    total_us / rows
}

/// Where the runs happen: the scratch folder, and the PostgreSQL server if one is given.
#[derive(Clone, Debug)]
pub struct Place {
    /// The scratch folder for SQLite files.
    pub work: PathBuf,
    /// The PostgreSQL database URL (`CRMLITE_BENCH_POSTGRES`).
    pub pg: Option<String>,
    /// The Python interpreter with crmlite installed (`CRMLITE_BENCH_PYTHON`).
    pub python: Option<PathBuf>,
    /// The compiled C side, `crates/crmlite-bench/c/bench_c.c` (`CRMLITE_BENCH_C`).
    pub c: Option<PathBuf>,
}

/// The shared read-only customer database (every customer, added through crmlite).
pub const LOOKUP: &str = "lookup";
/// The shared customers with a loyalty program and a card for every buyer.
const LOYALTY: &str = "loyalty";
/// `LOYALTY` after every timed purchase was recorded: the balance reads' ledger.
pub const LEDGER: &str = "ledger";

impl Place {
    /// Whether `side` can run here (PostgreSQL, Python and C need their tools).
    pub fn has(&self, side: Side) -> bool {
        match side {
            Side::CrmlitePg => self.pg.is_some(),
            Side::Python | Side::PySqlite3 => self.python.is_some(),
            Side::C => self.c.is_some(),
            _ => true,
        }
    }

    /// A SQLite file in the scratch folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.work.join(format!("{name}.db"))
    }

    fn pg_schema(&self, schema: String) -> BenchResult<Db> {
        let url = self
            .pg
            .clone()
            .ok_or("the crmlite-pg side needs CRMLITE_BENCH_POSTGRES")?;
        Ok(Db::Pg { url, schema })
    }

    /// A shared database on SQLite or PostgreSQL.
    fn shared(&self, name: &str, pg: bool) -> BenchResult<Db> {
        if pg {
            self.pg_schema(format!("bench_{name}"))
        } else {
            Ok(Db::File(self.file(name)))
        }
    }

    /// A copy of the shared SQLite database `from`, named `to`.
    fn copy(&self, from: &str, to: &str) -> BenchResult<()> {
        Db::copy_file(&self.file(from), &self.file(to))
    }
}

/// Runs `op` on `side` and returns what it measured.
pub fn run(op: Op, side: Side, sizes: Sizes, place: &Place) -> BenchResult<Measurement> {
    if side == Side::CrmlitePg {
        let own = place.pg_schema(format!("bench_{}_{}", op.ident(), std::process::id()))?;
        let result = run_on(op, side, sizes, place, &own);
        own.discard()?;
        return result;
    }
    // Each run's own file goes when it is measured: the scratch disk holds one at a time.
    let path = place.file(&format!("{}-{}", op.as_str(), side.as_str()));
    let result = run_on(op, side, sizes, place, &Db::File(path.clone()));
    remove_db(&path);
    result
}

/// Runs `op` on `side`; `own` is the database of an operation that writes into an empty
/// or copied database (a SQLite file, or a PostgreSQL schema of its own).
fn run_on(op: Op, side: Side, sizes: Sizes, place: &Place, own: &Db) -> BenchResult<Measurement> {
    let seed = data::DEFAULT_SEED;
    let pg = side == Side::CrmlitePg;
    let own_path = || Db::path_of(own);
    if !op.sides().contains(&side) {
        return Err(format!("{} has no side {}", op.as_str(), side.as_str()).into());
    }
    match (op, side) {
        (Op::BulkImport, Side::Crmlite | Side::CrmlitePg) => {
            own.fresh()?;
            bulk_crmlite(&data::customers(seed, sizes.bulk), own)
        }
        (Op::BulkImport, Side::Raw) => bulk_raw(&data::customers(seed, sizes.bulk), &own_path()?),
        (Op::BulkImport, _) => bulk_minimal(&data::customers(seed, sizes.bulk), &own_path()?),
        (Op::CsvImport, Side::Crmlite | Side::CrmlitePg) => {
            own.fresh()?;
            csv_crmlite(&customers_csv(&data::customers(seed, sizes.customers)), own)
        }
        (Op::CsvImport, _) => csv_raw(
            &customers_csv(&data::customers(seed, sizes.customers)),
            &own_path()?,
        ),
        (Op::AddOneFull | Op::AddOneNormal, _) => {
            let sync = if op == Op::AddOneFull {
                Synchronous::Full
            } else {
                Synchronous::Normal
            };
            let rows = data::customers(seed, sizes.add_one);
            match side {
                Side::Crmlite | Side::CrmlitePg => {
                    own.fresh()?;
                    add_one_crmlite(&rows, sync, own)
                }
                _ => add_one_raw(&rows, sync, &own_path()?),
            }
        }
        (Op::GetById, _) => get_by_id(side, &sample_ids(sizes, 42), &place.shared(LOOKUP, pg)?),
        (Op::GetByEmail, _) => {
            let emails: Vec<String> = sample_ids(sizes, 43)
                .iter()
                .map(|&id| data::customer(seed, id.unsigned_abs()).email)
                .collect();
            get_by_email(side, &emails, &place.shared(LOOKUP, pg)?)
        }
        (Op::Search, _) => search(side, &fragments(sizes.searches), &place.shared(LOOKUP, pg)?),
        (Op::RecordOrders, _) => {
            let purchases = sales::timed_purchases(sizes);
            match side {
                Side::CrmlitePg => {
                    own.fresh()?;
                    fill_customers(own, sizes)?;
                    sales::record_crmlite(own, &purchases, Synchronous::Full)
                }
                Side::Crmlite => {
                    Db::copy_file(&place.file(LOOKUP), &own_path()?)?;
                    sales::record_crmlite(own, &purchases, Synchronous::Full)
                }
                _ => {
                    Db::copy_file(&place.file(LOOKUP), &own_path()?)?;
                    sales::record_raw(&own_path()?, &purchases, Synchronous::Full)
                }
            }
        }
        (Op::Accrual, _) => {
            let purchases = sales::timed_purchases(sizes);
            match side {
                Side::CrmlitePg => {
                    own.fresh()?;
                    fill_customers(own, sizes)?;
                    sales::open_cards(&own.open(Synchronous::Normal)?, &purchases)?;
                    sales::accrual_crmlite(own, &purchases, Synchronous::Normal)
                }
                Side::Crmlite => {
                    Db::copy_file(&place.file(LOYALTY), &own_path()?)?;
                    sales::accrual_crmlite(own, &purchases, Synchronous::Normal)
                }
                _ => sales::accrual_raw(&own_path()?, &purchases, Synchronous::Normal),
            }
        }
        (Op::Redeem, Side::Raw) => extra::redeem_raw(&own_path()?, sizes),
        (Op::Redeem, _) => extra::redeem_crmlite(&place.shared(LEDGER, pg)?, sizes),
        (Op::ChangeFeed, Side::Raw) => {
            extra::feed_raw(&place.file(LEDGER), feed_bound(sizes, place)?)
        }
        (Op::ChangeFeed, _) => {
            extra::feed_crmlite(&place.shared(LEDGER, pg)?, feed_bound(sizes, place)?)
        }
        (Op::PyAddOne | Op::PyAddOneCommit, _) | (Op::PyBatch, Side::Python | Side::PySqlite3) => {
            let rows = data::customers(seed, sizes.py_rows);
            extra::python(op, side, &rows, &own_path()?, place)
        }
        (Op::PyBatch, Side::Raw) => bulk_raw(&data::customers(seed, sizes.py_rows), &own_path()?),
        (Op::PyBatch, _) => {
            own.fresh()?;
            bulk_crmlite(&data::customers(seed, sizes.py_rows), own)
        }
        (Op::CAddOne, Side::C) => {
            extra::c_add_one(&data::customers(seed, sizes.add_one), &own_path()?, place)
        }
        (Op::CAddOne, _) => {
            own.fresh()?;
            add_one_crmlite(
                &data::customers(seed, sizes.add_one),
                Synchronous::Normal,
                own,
            )
        }
        (Op::CGetById, Side::C) => {
            extra::c_get_by_id(&sample_ids(sizes, 42), &place.file(LOOKUP), place)
        }
        (Op::CGetById, _) => get_by_id(
            Side::Crmlite,
            &sample_ids(sizes, 42),
            &place.shared(LOOKUP, false)?,
        ),
        (Op::Balance, _) => {
            let cards =
                sales::sample_cards(sizes, sales::buyers(&sales::all_purchases(sizes)).len());
            let db = place.shared(LEDGER, pg)?;
            match (side, &db) {
                (Side::Raw, Db::File(path)) => sales::balance_raw(path, &cards),
                _ => sales::balance_crmlite(&db, &cards),
            }
        }
    }
}

/// Every customer, imported through crmlite from one CSV file into the empty database `db`
/// (the import's fast path; not timed). Ids follow the file's order, so they are `gen.py`'s.
fn fill_customers(db: &Db, sizes: Sizes) -> BenchResult<()> {
    let crm = db
        .options(Synchronous::Normal)
        .cache_mib(LOAD_CACHE_MIB)
        .open(db.target())?;
    let rows = data::customers(data::DEFAULT_SEED, sizes.customers);
    let report = crm.import_customers(
        &customers_csv(&rows),
        &crmlite::import::ImportOptions::new(),
    )?;
    if !report.fast_path || !report.rejected.is_empty() || report.inserted != sizes.customers {
        return Err(format!("the customer import did not load every row: {report:?}").into());
    }
    for c in [rows.first(), rows.last()].into_iter().flatten() {
        let stored = crm.customer(CustomerId(c.id))?;
        if stored.external_code.as_deref() != Some(c.external_code.as_str()) {
            return Err(format!("customer {} is not gen.py's row {}", stored.id, c.id).into());
        }
    }
    Ok(())
}

/// The SQLite page cache of the loading steps, MiB: a batch of purchases touches index pages
/// all over a database of gigabytes, and the default 16 MiB writes many of them out again
/// within the batch.
pub const LOAD_CACHE_MIB: u32 = 2048;

/// How many changes the feed operation reads: the ledger database's feed as `prepare` left
/// it (redemptions add to it later), at most `sizes.feed`.
fn feed_bound(sizes: Sizes, place: &Place) -> BenchResult<u64> {
    let text = std::fs::read_to_string(place.work.join(FEED_COUNT))?;
    let prepared: u64 = text.trim().parse()?;
    Ok(prepared.min(sizes.feed))
}

/// The file where `prepare` notes the length of the ledger database's change feed.
const FEED_COUNT: &str = "ledger-changes.txt";

/// One untimed step of `prepare`, timed once (n = 1) for the report.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SetupStep {
    /// What was done.
    pub what: String,
    /// Rows, calls or events.
    pub count: u64,
    /// Wall seconds.
    pub seconds: f64,
    /// The database's size afterwards, MiB (SQLite only).
    pub db_mib: Option<f64>,
}

fn file_mib(path: &Path) -> Option<f64> {
    let mut total = 0u64;
    for suffix in ["", "-wal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        total += std::fs::metadata(&p).map_or(0, |m| m.len());
    }
    // Sizes stay far below 2^52 bytes.
    #[allow(clippy::cast_precision_loss)]
    Some(total as f64 / 1024.0 / 1024.0)
}

/// Builds the shared databases the operations read (not timed, but each step is timed once
/// for the report): every customer through the CSV import (LOOKUP); a copy with a loyalty
/// program and a card for every buyer of the whole purchase table (LOYALTY); a copy of that
/// with every purchase of the table recorded through `record_orders`, [`sales::LOAD_BATCH`]
/// per call with a [`LOAD_CACHE_MIB`] page cache, each earning points (LEDGER). On SQLite, and
/// on PostgreSQL when a server is given.
pub fn prepare(sizes: Sizes, place: &Place) -> BenchResult<Vec<SetupStep>> {
    let purchases = sales::all_purchases(sizes);
    let mut steps = Vec::new();
    for pg in [false, true] {
        if pg && place.pg.is_none() {
            continue;
        }
        let on = if pg { " (PostgreSQL)" } else { "" };
        let lookup = place.shared(LOOKUP, pg)?;
        lookup.fresh()?;
        let t = Instant::now();
        fill_customers(&lookup, sizes)?;
        steps.push(SetupStep {
            what: format!("customers imported from one CSV file (import_customers){on}"),
            count: sizes.customers,
            seconds: t.elapsed().as_secs_f64(),
            db_mib: if pg {
                None
            } else {
                file_mib(&place.file(LOOKUP))
            },
        });
        let ledger = place.shared(LEDGER, pg)?;
        let cards = u64::try_from(sales::buyers(&purchases).len())?;
        let t = Instant::now();
        if pg {
            ledger.fresh()?;
            fill_customers(&ledger, sizes)?;
            sales::open_cards(&ledger.open(Synchronous::Normal)?, &purchases)?;
        } else {
            place.copy(LOOKUP, LOYALTY)?;
            sales::open_cards(
                &place.shared(LOYALTY, false)?.open(Synchronous::Normal)?,
                &purchases,
            )?;
            steps.push(SetupStep {
                what: "loyalty cards opened, open_card one call each".to_owned(),
                count: cards,
                seconds: t.elapsed().as_secs_f64(),
                db_mib: file_mib(&place.file(LOYALTY)),
            });
            place.copy(LOYALTY, LEDGER)?;
        }
        let t = Instant::now();
        sales::record_all(
            &ledger
                .options(Synchronous::Normal)
                .cache_mib(LOAD_CACHE_MIB)
                .open(ledger.target())?,
            &purchases,
        )?;
        steps.push(SetupStep {
            what: format!(
                "purchases recorded with accrual, record_orders {} per call, synchronous=NORMAL, cache_mib {LOAD_CACHE_MIB}{on}",
                sales::LOAD_BATCH
            ),
            count: sizes.history,
            seconds: t.elapsed().as_secs_f64(),
            db_mib: if pg { None } else { file_mib(&place.file(LEDGER)) },
        });
        if !pg {
            let changes = ledger.scalar("SELECT COUNT(*) FROM changes")?;
            std::fs::write(place.work.join(FEED_COUNT), changes.to_string())?;
        }
    }
    Ok(steps)
}

/// Drops the shared PostgreSQL schemas.
pub fn cleanup(place: &Place) -> BenchResult<()> {
    if place.pg.is_some() {
        for name in [LOOKUP, LEDGER] {
            place.shared(name, true)?.discard()?;
        }
    }
    Ok(())
}

pub fn bulk_crmlite(rows: &[GenCustomer], db: &Db) -> BenchResult<Measurement> {
    let crm = db.open(Synchronous::Full)?;
    let batch: Vec<NewCustomer> = rows.iter().map(new_customer).collect();
    let (t, cpu) = (Instant::now(), cpu_micros());
    let ids = crm.add_customers(&batch)?;
    let count = u64::try_from(ids.len())?;
    let metrics = row_costs(t, cpu, count);
    drop(crm);
    Ok(Measurement {
        metrics,
        count,
        check: stored(db)?,
        helper_rss_mib: None,
    })
}

/// The generated customers as the CSV file an accounting program exports: a header, then
/// `external_code,name,email,city,birthday` (no field needs quotes).
pub fn customers_csv(rows: &[GenCustomer]) -> Vec<u8> {
    let mut csv = String::from("external_code,name,email,city,birthday\n");
    for c in rows {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            c.external_code,
            c.name,
            c.email,
            c.city,
            c.birthday.format("%Y-%m-%d")
        ));
    }
    csv.into_bytes()
}

/// `Crm::import_customers` of the whole file into an empty database (its fast path).
fn csv_crmlite(csv: &[u8], db: &Db) -> BenchResult<Measurement> {
    let crm = db.open(Synchronous::Full)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let report = crm.import_customers(csv, &crmlite::import::ImportOptions::new())?;
    let metrics = row_costs(t, cpu, report.inserted);
    if !report.fast_path || !report.rejected.is_empty() {
        return Err(
            format!("the CSV import did not take the fast path cleanly: {report:?}").into(),
        );
    }
    drop(crm);
    Ok(Measurement {
        metrics,
        count: report.inserted,
        check: stored(db)?,
        helper_rss_mib: None,
    })
}

/// Raw rusqlite reading the same file: UTF-8 check, split on commas (the file needs no
/// quoting), then [`bulk_raw`]'s path: indexes dropped, one transaction, indexes rebuilt.
fn csv_raw(csv: &[u8], path: &Path) -> BenchResult<Measurement> {
    fresh_crmlite_db(path)?;
    let mut conn = open_raw(path, Synchronous::Full)?;
    let indexes = drop_customer_indexes(&conn)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let text = std::str::from_utf8(csv)?;
    let tx = conn.transaction()?;
    let mut count = 0_u64;
    for (i, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let [code, name, email, city, birthday] = f.as_slice() else {
            return Err(format!("line {}: not five fields", i + 2).into());
        };
        let id = i64::try_from(i)? + 1;
        let name_key = name.to_lowercase();
        let search_key = format!("{name_key} {email} {}", code.to_lowercase());
        let emails = format!(r#"[{{"address":"{email}","primary":true}}]"#);
        let address = format!(
            r#"{{"line1":"","line2":"","city":"{city}","region":"","postal_code":"","country":""}}"#
        );
        tx.prepare_cached(RAW_INSERT)?.execute(params![
            id, name, name_key, search_key, emails, address, birthday, code, CSV_AT
        ])?;
        tx.prepare_cached(RAW_INSERT_EMAIL)?
            .execute(params![email, id])?;
        tx.prepare_cached(RAW_INSERT_CHANGE)?
            .execute(params![id, CSV_AT])?;
        count += 1;
    }
    tx.commit()?;
    for (_, sql) in &indexes {
        conn.execute_batch(sql)?;
    }
    let metrics = row_costs(t, cpu, count);
    Ok(Measurement {
        metrics,
        count,
        check: stored(&Db::File(path.to_owned()))?,
        helper_rss_mib: None,
    })
}

/// The creation time the raw CSV side stores (crmlite stores its clock's now).
const CSV_AT: i64 = 1_765_000_000_000;

/// Drops the B-tree indexes of the tables a customer insert writes and returns their SQL.
fn drop_customer_indexes(conn: &Connection) -> BenchResult<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ('customers', 'customer_emails', 'changes')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX {name}"))?;
    }
    Ok(indexes)
}

/// The derived columns a hand-written program stores for a generated customer.
struct RawRow {
    name_key: String,
    search_key: String,
    emails: String,
    address: String,
}

fn raw_row(c: &GenCustomer) -> RawRow {
    let name_key = c.name.to_lowercase();
    RawRow {
        search_key: format!("{name_key} {} {}", c.email, c.external_code.to_lowercase()),
        name_key,
        emails: format!(r#"[{{"address":"{}","primary":true}}]"#, c.email),
        address: format!(
            r#"{{"line1":"","line2":"","city":"{}","region":"","postal_code":"","country":""}}"#,
            c.city
        ),
    }
}

const RAW_INSERT: &str = "INSERT INTO customers (id, kind, name, name_key, search_key, emails, phones, address, \
    birthday, language, tags, attributes, external_code, version, created_at, updated_at) \
    VALUES (?1, 'person', ?2, ?3, ?4, ?5, '[]', ?6, ?7, NULL, '[]', '{}', ?8, 1, ?9, ?9)";
const RAW_INSERT_EMAIL: &str =
    "INSERT INTO customer_emails (address_key, customer_id) VALUES (?1, ?2)";
const RAW_INSERT_CHANGE: &str =
    "INSERT INTO changes (entity, entity_id, op, at) VALUES ('customer', ?1, 'insert', ?2)";

/// Writes one customer the way crmlite stores it: the row (the schema's triggers index it
/// for search), its e-mail lookup row and its change-feed entry.
fn raw_insert(conn: &Connection, c: &GenCustomer) -> BenchResult<()> {
    let r = raw_row(c);
    let at = c.created_at * 1000;
    let birthday = c.birthday.format("%Y-%m-%d").to_string();
    conn.prepare_cached(RAW_INSERT)?.execute(params![
        c.id,
        c.name,
        r.name_key,
        r.search_key,
        r.emails,
        r.address,
        birthday,
        c.external_code,
        at
    ])?;
    conn.prepare_cached(RAW_INSERT_EMAIL)?
        .execute(params![c.email, c.id])?;
    conn.prepare_cached(RAW_INSERT_CHANGE)?
        .execute(params![c.id, at])?;
    Ok(())
}

/// Raw rusqlite's best path: crmlite's schema with its B-tree indexes dropped, one
/// transaction with cached statements, then the indexes built again.
pub fn bulk_raw(rows: &[GenCustomer], path: &Path) -> BenchResult<Measurement> {
    fresh_crmlite_db(path)?;
    let mut conn = open_raw(path, Synchronous::Full)?;
    let indexes = drop_customer_indexes(&conn)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let tx = conn.transaction()?;
    for c in rows {
        raw_insert(&tx, c)?;
    }
    tx.commit()?;
    for (_, sql) in &indexes {
        conn.execute_batch(sql)?;
    }
    let count = u64::try_from(rows.len())?;
    let metrics = row_costs(t, cpu, count);
    let check = stored(&Db::File(path.to_owned()))?;
    Ok(Measurement {
        metrics,
        count,
        check,
        helper_rss_mib: None,
    })
}

/// `BASELINES.md` A's "created after load" path on its minimal schema.
fn bulk_minimal(rows: &[GenCustomer], path: &Path) -> BenchResult<Measurement> {
    remove_db(path);
    let mut conn = open_raw(path, Synchronous::Full)?;
    conn.execute_batch(MINIMAL_DDL)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    let tx = conn.transaction()?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO customers(id, external_code, email, name, birthday, city, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for c in rows {
            let birthday = c.birthday.format("%Y-%m-%d").to_string();
            st.execute(params![
                c.id,
                c.external_code,
                c.email,
                c.name,
                birthday,
                c.city,
                c.created_at
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch(MINIMAL_INDEXES)?;
    let count = u64::try_from(rows.len())?;
    let metrics = row_costs(t, cpu, count);
    let check = stored(&Db::File(path.to_owned()))?;
    Ok(Measurement {
        metrics,
        count,
        check,
        helper_rss_mib: None,
    })
}

pub fn add_one_crmlite(
    rows: &[GenCustomer],
    sync: Synchronous,
    db: &Db,
) -> BenchResult<Measurement> {
    let crm = db.open(sync)?;
    let inputs: Vec<NewCustomer> = rows.iter().map(new_customer).collect();
    let (t, cpu) = (Instant::now(), cpu_micros());
    for new in &inputs {
        crm.add_customer(new)?;
    }
    let count = u64::try_from(rows.len())?;
    let metrics = row_costs(t, cpu, count);
    drop(crm);
    Ok(Measurement {
        metrics,
        count,
        check: stored(db)?,
        helper_rss_mib: None,
    })
}

fn add_one_raw(rows: &[GenCustomer], sync: Synchronous, path: &Path) -> BenchResult<Measurement> {
    fresh_crmlite_db(path)?;
    let conn = open_raw(path, sync)?;
    let (t, cpu) = (Instant::now(), cpu_micros());
    for c in rows {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        raw_insert(&conn, c)?;
        conn.prepare_cached("COMMIT")?.execute([])?;
    }
    let count = u64::try_from(rows.len())?;
    let metrics = row_costs(t, cpu, count);
    let check = stored(&Db::File(path.to_owned()))?;
    Ok(Measurement {
        metrics,
        count,
        check,
        helper_rss_mib: None,
    })
}

/// Random existing ids, as the baseline program draws them.
fn sample_ids(sizes: Sizes, seed: u64) -> Vec<i64> {
    let mut rng = Rng(seed);
    (0..sizes.lookups)
        .map(|_| i64::try_from(rng.below(sizes.customers) + 1).unwrap_or(1))
        .collect()
}

/// Four-letter fragments of last names, lower case, as a person types them.
fn fragments(n: u64) -> Vec<String> {
    let mut rng = Rng(7);
    (0..n)
        .map(|_| {
            let idx = usize::try_from(rng.below(data::LAST.len() as u64)).unwrap_or(0);
            let last = data::LAST
                .get(idx)
                .copied()
                .unwrap_or("Smith")
                .to_lowercase();
            let room = u64::try_from(last.len().saturating_sub(3)).unwrap_or(1);
            let start = usize::try_from(rng.below(room)).unwrap_or(0);
            last.get(start..start + 4).unwrap_or(&last).to_owned()
        })
        .collect()
}

/// A full customer row as a hand-written program reads it.
#[allow(dead_code)] // the fields are read into memory, as an application would; only `id` is summed
struct RawCustomer {
    id: i64,
    kind: String,
    name: String,
    emails: String,
    phones: String,
    address: Option<String>,
    birthday: Option<String>,
    language: Option<String>,
    tags: String,
    attributes: String,
    external_code: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

fn raw_customer(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawCustomer> {
    Ok(RawCustomer {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        emails: r.get(3)?,
        phones: r.get(4)?,
        address: r.get(5)?,
        birthday: r.get(6)?,
        language: r.get(7)?,
        tags: r.get(8)?,
        attributes: r.get(9)?,
        external_code: r.get(10)?,
        version: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

/// Latency percentiles of `lat` (microseconds): p50, p99 and the mean.
pub fn latency_metrics(mut lat: Vec<f64>) -> Vec<(String, f64)> {
    lat.sort_by(f64::total_cmp);
    let at = |p: f64| {
        // An index into a non-empty vector: rounding a product of the length.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((lat.len().saturating_sub(1)) as f64 * p).round() as usize;
        lat.get(i).copied().unwrap_or(f64::NAN)
    };
    #[allow(clippy::cast_precision_loss)]
    let mean = lat.iter().sum::<f64>() / lat.len().max(1) as f64;
    vec![
        ("p50_us".into(), at(0.5)),
        ("p99_us".into(), at(0.99)),
        ("mean_us".into(), mean),
    ]
}

/// Times `call` once per key after an untimed warm-up over the first keys.
pub fn time_each<K>(
    keys: &[K],
    mut call: impl FnMut(&K) -> BenchResult<i64>,
) -> BenchResult<Measurement> {
    for k in keys.iter().take(1_000) {
        call(k)?;
    }
    let mut lat = Vec::with_capacity(keys.len());
    let mut check = 0i64;
    for k in keys {
        let t = Instant::now();
        let v = call(k)?;
        lat.push(micros(t));
        check = check.wrapping_add(v);
    }
    Ok(Measurement {
        metrics: latency_metrics(lat),
        count: u64::try_from(keys.len())?,
        check,
        helper_rss_mib: None,
    })
}

pub fn get_by_id(side: Side, ids: &[i64], db: &Db) -> BenchResult<Measurement> {
    if let (Side::Crmlite | Side::CrmlitePg, _) | (_, Db::Pg { .. }) = (side, db) {
        let crm = db.open(Synchronous::Full)?;
        time_each(ids, |&id| Ok(crm.customer(CustomerId(id))?.id.0))
    } else {
        let conn = open_raw(&Db::path_of(db)?, Synchronous::Full)?;
        let sql = format!("SELECT {COLUMNS} FROM customers WHERE id = ?1");
        time_each(ids, |&id| {
            Ok(conn.prepare_cached(&sql)?.query_row([id], raw_customer)?.id)
        })
    }
}

fn get_by_email(side: Side, emails: &[String], db: &Db) -> BenchResult<Measurement> {
    if let (Side::Crmlite | Side::CrmlitePg, _) | (_, Db::Pg { .. }) = (side, db) {
        let crm = db.open(Synchronous::Full)?;
        time_each(emails, |e| {
            Ok(crm.customers_by_email(e)?.iter().map(|c| c.id.0).sum())
        })
    } else {
        let conn = open_raw(&Db::path_of(db)?, Synchronous::Full)?;
        // The lookup table's primary key is (address_key, customer_id): a join reads the
        // rows in id order without a sort or a temporary table (as crmlite does).
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM customer_emails l JOIN customers c ON c.id = l.customer_id \
             WHERE l.address_key = ?1 ORDER BY l.customer_id"
        );
        time_each(emails, |e| {
            let rows = conn
                .prepare_cached(&sql)?
                .query_map([e], raw_customer)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows.iter().map(|c| c.id).sum())
        })
    }
}

fn search(side: Side, fragments: &[String], db: &Db) -> BenchResult<Measurement> {
    const LIMIT: u32 = 20;
    if let (Side::Crmlite | Side::CrmlitePg, _) | (_, Db::Pg { .. }) = (side, db) {
        let crm = db.open(Synchronous::Full)?;
        time_each(fragments, |f| {
            Ok(crm.search_customers(f, LIMIT)?.iter().map(|c| c.id.0).sum())
        })
    } else {
        let conn = open_raw(&Db::path_of(db)?, Synchronous::Full)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM customers WHERE id IN \
             (SELECT rowid FROM customer_trigrams WHERE customer_trigrams MATCH ?1) ORDER BY name_key, id LIMIT ?2"
        );
        time_each(fragments, |f| {
            let query = format!("\"{f}\"");
            let rows = conn
                .prepare_cached(&sql)?
                .query_map(params![query, LIMIT], raw_customer)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows.iter().map(|c| c.id).sum())
        })
    }
}
