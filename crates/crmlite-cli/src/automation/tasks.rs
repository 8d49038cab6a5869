//! `crmlite tasks ...`: tasks and reminders for staff.

use clap::{Args, Subcommand};
use crmlite::automation::{NewTask, Task};
use crmlite::{CustomerId, Result, TaskId, Timestamp};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `tasks` subcommands.
#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Add a task or a recurring reminder.
    Add(AddArgs),
    /// Mark a task done; a recurring one gets its next occurrence.
    Done(IdArgs),
    /// Cancel a task (and so end its series).
    Cancel(IdArgs),
    /// Open tasks due by a time (default now), earliest first.
    Due(DueArgs),
    /// Open tasks whose due time has passed, earliest first.
    Overdue(OverdueArgs),
}

/// Arguments of `tasks add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// What to do.
    #[arg(long)]
    title: String,
    /// When it is due (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    due: String,
    /// Who should do it.
    #[arg(long, default_value = "")]
    assignee: String,
    /// The customer it is about.
    #[arg(long)]
    customer: Option<i64>,
    /// Another record it is about, such as deal:17 or complaint:3 (the complaint must exist).
    #[arg(long, default_value = "")]
    record: String,
    /// Repeat by an RRULE, e.g. FREQ=WEEKLY;BYDAY=MO.
    #[arg(long, value_name = "RRULE")]
    repeat: Option<String>,
}

/// A task id.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The task id.
    id: i64,
}

/// Arguments of `tasks due`.
#[derive(Debug, Args)]
pub struct DueArgs {
    /// Show tasks due at or before this time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    until: Option<String>,
    /// Only this assignee's tasks.
    #[arg(long)]
    assignee: Option<String>,
    /// At most this many tasks.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Arguments of `tasks overdue`.
#[derive(Debug, Args)]
pub struct OverdueArgs {
    /// Only this assignee's tasks.
    #[arg(long)]
    assignee: Option<String>,
    /// At most this many tasks.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Runs one `tasks` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: TasksCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        TasksCommand::Add(args) => {
            let mut new = NewTask::new(args.title, Timestamp::parse_rfc3339(&args.due, "due")?)
                .assignee(args.assignee)
                .record(args.record);
            if let Some(customer) = args.customer {
                new = new.customer(CustomerId(customer));
            }
            if let Some(rule) = args.repeat {
                new = new.recurrence(rule);
            }
            let task = crm.add_task(&new)?;
            if out.is_json() {
                return Ok(out.json(&task)?);
            }
            out.line(format!(
                "added task #{} due {}: {}",
                task.id,
                time(task.due),
                task.title
            ))?;
            Ok(())
        }
        TasksCommand::Done(args) => {
            let completion = crm.complete_task(TaskId(args.id))?;
            if out.is_json() {
                return Ok(out.json(&completion)?);
            }
            out.line(format!(
                "done: task #{} {}",
                completion.done.id, completion.done.title
            ))?;
            if let Some(next) = &completion.next {
                out.line(format!("next: task #{} due {}", next.id, time(next.due)))?;
            }
            Ok(())
        }
        TasksCommand::Cancel(args) => {
            let task = crm.cancel_task(TaskId(args.id))?;
            if out.is_json() {
                return Ok(out.json(&task)?);
            }
            out.line(format!("cancelled: task #{} {}", task.id, task.title))?;
            Ok(())
        }
        TasksCommand::Due(args) => {
            let until = match &args.until {
                Some(text) => Timestamp::parse_rfc3339(text, "until")?,
                None => ctx.now(),
            };
            let tasks = crm.due_tasks(until, args.assignee.as_deref(), args.limit)?;
            print_tasks(out, &tasks, "no tasks due")
        }
        TasksCommand::Overdue(args) => {
            let tasks = crm.overdue_tasks(args.assignee.as_deref(), args.limit)?;
            print_tasks(out, &tasks, "no overdue tasks")
        }
    }
}

/// Prints tasks as a table (or JSON `{"items": [...]}`).
pub fn print_tasks(out: &mut Output, tasks: &[Task], empty: &str) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(&json!({ "items": tasks }))?);
    }
    if tasks.is_empty() {
        out.line(empty)?;
        return Ok(());
    }
    let mut table = Table::new(&["ID", "DUE", "ASSIGNEE", "CUSTOMER", "TITLE"]).right(0);
    for t in tasks {
        table.row(vec![
            t.id.to_string(),
            time(t.due),
            t.assignee.clone(),
            t.customer.map(|c| format!("#{c}")).unwrap_or_default(),
            t.title.clone(),
        ]);
    }
    Ok(out.table(&table)?)
}
