//! `crmlite`: the command-line tool over a crmlite database.
//!
//! Every command group lives in its own module with a clap `Subcommand` or `Args` type and a
//! `run(&Context, &mut Output, args)` function; this file only parses, dispatches and maps
//! errors to exit codes (see [`error::Failure`]).
#![forbid(unsafe_code)]

mod automation;
mod changes;
mod copy;
mod customers;
mod deals;
mod demo;
mod demo_deals;
mod demo_service;
mod directory;
mod error;
mod loyalty;
mod output;
mod pipelines;
mod reference;
mod report;
mod sales;
mod service;
mod timeline;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use crmlite::{Clock, Crm, FixedClock, OpenOptions, SystemClock, Timestamp};

use error::Failure;
use output::Output;

/// The `crmlite` command line.
#[derive(Debug, Parser)]
#[command(
    name = "crmlite",
    version,
    about = "An embeddable CRM on a single SQLite file",
    after_help = "Exit codes: 0 ok, 1 output could not be written, 2 usage or invalid input, \
                  3 not found, 4 conflict (stale version, duplicate code, non-empty demo file), 5 storage failure, \
                  6 verify found violations."
)]
struct Cli {
    /// The database file (created on first use).
    #[arg(long, global = true, value_name = "PATH", default_value = "crmlite.db")]
    db: PathBuf,
    /// Print JSON for scripts instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Region (ISO 3166-1 alpha-2, e.g. AM, GE, GR, IR) for phone numbers typed without +country.
    #[arg(long, global = true, value_name = "CC")]
    region: Option<String>,
    /// Fix the clock at this RFC 3339 time, for reproducible runs.
    #[arg(long, global = true, value_name = "RFC3339")]
    now: Option<String>,
    /// SQLite page cache of each connection in MiB (1 to 65536; default 16 for writes): a
    /// larger cache speeds up big imports into a large database.
    #[arg(long, global = true, value_name = "MIB")]
    cache_mib: Option<u32>,
    #[command(subcommand)]
    command: Command,
}

/// The command groups.
#[derive(Debug, Subcommand)]
enum Command {
    /// Fill an empty database with demo data and print a short tour.
    Demo(demo::DemoArgs),
    /// Add, find, show, list, update and link customers.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// Record and show interactions with a customer.
    #[command(subcommand)]
    Timeline(timeline::TimelineCommand),
    /// Show the change feed.
    Changes(changes::ChangesArgs),
    /// Pipelines, their stages and the lost-reason list.
    #[command(subcommand)]
    Pipelines(pipelines::PipelinesCommand),
    /// Add, move, edit, win, lose, reopen, show and list deals, their history and the stale ones.
    #[command(subcommand)]
    Deals(deals::DealsCommand),
    /// Sales reports: weighted forecast, funnel, win rate, time in stage and lost reasons.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Import directory entries, customers, organisations or orders from CSV or JSON Lines.
    Import(reference::ImportArgs),
    /// Export a whole directory as CSV or JSON Lines.
    Export(reference::ExportArgs),
    /// List the directory kinds and their fields.
    Directories,
    /// Define a directory kind of your own, or show one.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Upsert, show, list, archive and delete directory entries; look up a price.
    #[command(subcommand)]
    Entries(directory::EntriesCommand),
    /// Map any record to its ids in external systems and look them up both ways.
    #[command(subcommand)]
    ExternalIds(directory::ExternalIdsCommand),
    /// Pull changes for a named sync consumer and acknowledge them.
    #[command(subcommand)]
    Sync(reference::SyncCommand),
    /// Record purchases and returns.
    #[command(subcommand)]
    Sales(sales::SalesCommand),
    /// Loyalty programs, cards and points: programs, rules, award, redeem, balance, history, expire.
    #[command(subcommand)]
    Loyalty(loyalty::LoyaltyCommand),
    /// Complaints with an SLA: open, assign, move, resolve, close, reopen, list, overdue, show.
    #[command(subcommand)]
    Complaints(service::ComplaintsCommand),
    /// NPS answers and the NPS report.
    #[command(subcommand)]
    Nps(service::NpsCommand),
    #[command(flatten)]
    Automation(automation::AutomationCommand),
    /// Check the database against crmlite's invariants (exit 6 when any is broken).
    Verify,
    /// Copy the whole database to an empty SQLite file or PostgreSQL database (--to PATH|URL).
    Copy(copy::CopyArgs),
}

/// What every command needs: where the database is and how to open it.
pub struct Context {
    /// The database file.
    pub db: PathBuf,
    /// The default phone region from `--region`.
    pub region: Option<String>,
    /// The clock: fixed by `--now`, else the system clock.
    pub clock: Arc<dyn Clock>,
    /// The page cache from `--cache-mib`.
    pub cache_mib: Option<u32>,
}

impl Context {
    /// Opens the database with the global options.
    pub fn open(&self) -> crmlite::Result<Crm> {
        self.open_at(&self.db, self.region.as_deref())
    }

    /// Opens the database at `path` with a specific default phone region.
    pub fn open_at(&self, path: &std::path::Path, region: Option<&str>) -> crmlite::Result<Crm> {
        let mut options = OpenOptions::new().clock(Arc::clone(&self.clock));
        if let Some(region) = region {
            options = options.default_region(region);
        }
        if let Some(mib) = self.cache_mib {
            options = options.cache_mib(mib);
        }
        options.open(path)
    }

    /// The current time of the context's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

fn run(cli: Cli, out: &mut Output) -> Result<(), Failure> {
    let clock: Arc<dyn Clock> = match &cli.now {
        Some(text) => Arc::new(FixedClock::new(Timestamp::parse_rfc3339(text, "now")?)),
        None => Arc::new(SystemClock),
    };
    let ctx = Context {
        db: cli.db,
        region: cli.region,
        clock,
        cache_mib: cli.cache_mib,
    };
    match cli.command {
        Command::Demo(args) => demo::run(&ctx, out, &args),
        Command::Customers(cmd) => customers::run(&ctx, out, cmd),
        Command::Timeline(cmd) => timeline::run(&ctx, out, cmd),
        Command::Changes(args) => changes::run(&ctx, out, &args),
        Command::Pipelines(cmd) => pipelines::run(&ctx, out, cmd),
        Command::Deals(cmd) => deals::run(&ctx, out, cmd),
        Command::Report(cmd) => report::run(&ctx, out, cmd),
        Command::Import(args) => reference::import(&ctx, out, &args),
        Command::Export(args) => reference::export(&ctx, out, &args),
        Command::Directories => reference::directories(&ctx, out),
        Command::Directory(cmd) => directory::directory(&ctx, out, cmd),
        Command::Entries(cmd) => directory::entries(&ctx, out, cmd),
        Command::ExternalIds(cmd) => directory::external_ids(&ctx, out, cmd),
        Command::Sync(cmd) => reference::sync(&ctx, out, cmd),
        Command::Sales(cmd) => sales::run(&ctx, out, cmd),
        Command::Loyalty(cmd) => loyalty::run(&ctx, out, cmd),
        Command::Complaints(cmd) => service::complaints(&ctx, out, cmd),
        Command::Nps(cmd) => service::nps(&ctx, out, cmd),
        Command::Automation(cmd) => automation::run(&ctx, out, cmd),
        Command::Verify => verify::run(&ctx, out),
        Command::Copy(args) => copy::run(&ctx, out, &args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::stdout(cli.json);
    // A failed `verify` has printed its report: flush it before reporting the failure.
    let outcome = run(cli, &mut out);
    let flushed = out.flush();
    let outcome = outcome.and_then(|()| flushed.map_err(Failure::from));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
