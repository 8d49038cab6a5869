//! `crmlite templates ...`: message and document templates.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use crmlite::automation::{NewTemplate, Template, TemplateFormat, TemplateKind};
use crmlite::{CustomerId, Error, Result};
use serde_json::json;

use super::parse_vars;
use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `templates` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Store a template, or replace the one with the same code (its version goes up).
    Add(AddArgs),
    /// Show one template with its source.
    Show(ShowArgs),
    /// List every template.
    List,
    /// Render a template for a customer (in their language) or for no one.
    Render(RenderArgs),
}

/// Arguments of `templates add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Unique code: a-z, 0-9, `_`, `-` and `.` (e.g. birthday_sms).
    code: String,
    /// invoice, letter, contract, sms, email_subject or email_body.
    #[arg(long)]
    kind: String,
    /// text, or html (inserted values are escaped).
    #[arg(long, default_value = "text")]
    format: String,
    /// The template source (minijinja).
    #[arg(long, required_unless_present = "file", conflicts_with = "file")]
    body: Option<String>,
    /// Read the template source from this file.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
}

/// Arguments of `templates show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The template code.
    code: String,
}

/// Arguments of `templates render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template code.
    code: String,
    /// The customer id to render for.
    #[arg(long)]
    customer: Option<i64>,
    /// Extra variables as a JSON object, e.g. '{"order": {"total": 125000}}'.
    #[arg(long, value_name = "JSON")]
    vars: Option<String>,
}

/// Runs one `templates` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: TemplatesCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        TemplatesCommand::Add(args) => {
            let body = match (&args.body, &args.file) {
                (Some(body), _) => body.clone(),
                (None, Some(path)) => std::fs::read_to_string(path).map_err(|e| {
                    Error::validation("file", format!("cannot read {}: {e}", path.display()))
                })?,
                (None, None) => {
                    return Err(Error::validation("body", "give --body or --file").into());
                }
            };
            let new = NewTemplate::new(
                args.code,
                TemplateKind::parse(&args.kind)?,
                TemplateFormat::parse(&args.format)?,
                body,
            );
            let saved = crm.save_template(&new)?;
            if out.is_json() {
                return Ok(out.json(&saved)?);
            }
            out.line(format!(
                "saved template {} ({} {}), version {}",
                saved.code,
                saved.kind.as_str(),
                saved.format.as_str(),
                saved.version
            ))?;
            Ok(())
        }
        TemplatesCommand::Show(args) => {
            let t = crm.template(&args.code)?;
            if out.is_json() {
                return Ok(out.json(&t)?);
            }
            out.line(format!("template {}", t.code))?;
            out.fields(
                2,
                &[
                    ("kind", t.kind.as_str().to_owned()),
                    ("format", t.format.as_str().to_owned()),
                    ("version", t.version.to_string()),
                    ("updated", time(t.updated_at)),
                ],
            )?;
            out.line("")?;
            out.line(&t.body)?;
            Ok(())
        }
        TemplatesCommand::List => {
            let all = crm.templates()?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": all }))?);
            }
            print_templates(out, &all)
        }
        TemplatesCommand::Render(args) => {
            let vars = parse_vars(args.vars.as_deref())?;
            let text = crm.render_template(&args.code, args.customer.map(CustomerId), &vars)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "text": text }))?);
            }
            out.line(text)?;
            Ok(())
        }
    }
}

fn print_templates(out: &mut Output, all: &[Template]) -> Result<(), Failure> {
    if all.is_empty() {
        out.line("no templates yet")?;
        return Ok(());
    }
    let mut table = Table::new(&["CODE", "KIND", "FORMAT", "VERSION", "UPDATED"]).right(3);
    for t in all {
        table.row(vec![
            t.code.clone(),
            t.kind.as_str().to_owned(),
            t.format.as_str().to_owned(),
            t.version.to_string(),
            time(t.updated_at),
        ]);
    }
    Ok(out.table(&table)?)
}
