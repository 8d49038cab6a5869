//! `crmlite customers ...`: add, find, show, list, update and link persons and organisations.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use crmlite::customer::{
    AttributeValue, Customer, CustomerKind, CustomerLink, CustomerPatch, NewCustomer,
};
use crmlite::timeline::TimelineEntry;
use crmlite::{Crm, Currency, CustomerId, EntityKind, Error, Money, Result, Timestamp};
use serde_json::json;

use crate::error::Failure;
use crate::output::{Output, Table, time};
use crate::{Context, timeline};

/// How many timeline entries a customer card shows.
const CARD_TIMELINE: u32 = 5;

/// The `customers` subcommands.
#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Add a person or an organisation.
    Add(AddArgs),
    /// Find customers by name, e-mail, phone, code or tag, whatever the script, case or accents.
    Find(FindArgs),
    /// Show one customer's card by id, external code, phone or e-mail.
    Show(ShowArgs),
    /// List customers in id order, a page at a time.
    List(ListArgs),
    /// Change a customer; `--version` must be the version you last saw.
    Update(UpdateArgs),
    /// Link a person to an organisation.
    Link(LinkArgs),
}

/// Arguments of `customers add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Display name.
    #[arg(long)]
    name: String,
    /// `person` or `organisation`.
    #[arg(long, default_value = "person")]
    kind: String,
    /// E-mail address; repeat for more, the first is primary.
    #[arg(long = "email", value_name = "ADDRESS")]
    emails: Vec<String>,
    /// Phone number (+country, or local with --region); repeat for more, the first is primary.
    #[arg(long = "phone", value_name = "NUMBER")]
    phones: Vec<String>,
    /// Tag; repeat for more.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Preferred language (BCP 47: hy, ka, el, fa, en).
    #[arg(long)]
    language: Option<String>,
    /// Date of birth or foundation, YYYY-MM-DD.
    #[arg(long)]
    birthday: Option<String>,
    /// Code in the accounting system, unique per kind.
    #[arg(long)]
    code: Option<String>,
    /// Typed attribute NAME=TYPE:VALUE, TYPE one of text, integer, boolean, date, timestamp, money
    /// (`money:12500 AMD`); repeat for more.
    #[arg(long = "attr", value_name = "NAME=TYPE:VALUE")]
    attrs: Vec<String>,
}

/// Arguments of `customers find`.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// Words to look for; every word must match.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

/// Which customer `customers show` shows: exactly one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Lookup {
    /// The customer id.
    id: Option<i64>,
    /// The external code (with --kind when a person and an organisation share it).
    #[arg(long)]
    code: Option<String>,
    /// A phone number; shows every customer that has it.
    #[arg(long)]
    phone: Option<String>,
    /// An e-mail address; shows every customer that has it.
    #[arg(long)]
    email: Option<String>,
}

/// Arguments of `customers show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    lookup: Lookup,
    /// The kind to look the code up in: `person` or `organisation`.
    #[arg(long, requires = "code")]
    kind: Option<String>,
}

/// Arguments of `customers list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// Arguments of `customers update`: only the given fields change.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The customer id.
    id: i64,
    /// The version you last saw; a newer stored version is a conflict and nothing changes.
    #[arg(long)]
    version: i64,
    /// New display name.
    #[arg(long)]
    name: Option<String>,
    /// Replace the e-mail addresses (repeat; the first is primary).
    #[arg(
        long = "email",
        value_name = "ADDRESS",
        conflicts_with = "clear_emails"
    )]
    emails: Vec<String>,
    /// Remove every e-mail address.
    #[arg(long)]
    clear_emails: bool,
    /// Replace the phone numbers (repeat; the first is primary).
    #[arg(long = "phone", value_name = "NUMBER", conflicts_with = "clear_phones")]
    phones: Vec<String>,
    /// Remove every phone number.
    #[arg(long)]
    clear_phones: bool,
    /// Replace the tags (repeat).
    #[arg(long = "tag", conflicts_with = "clear_tags")]
    tags: Vec<String>,
    /// Remove every tag.
    #[arg(long)]
    clear_tags: bool,
    /// New preferred language.
    #[arg(long, conflicts_with = "clear_language")]
    language: Option<String>,
    /// Remove the preferred language.
    #[arg(long)]
    clear_language: bool,
    /// New date of birth, YYYY-MM-DD.
    #[arg(long, conflicts_with = "clear_birthday")]
    birthday: Option<String>,
    /// Remove the date of birth.
    #[arg(long)]
    clear_birthday: bool,
    /// New external code.
    #[arg(long, conflicts_with = "clear_code")]
    code: Option<String>,
    /// Remove the external code.
    #[arg(long)]
    clear_code: bool,
    /// Set a typed attribute NAME=TYPE:VALUE (repeat).
    #[arg(long = "attr", value_name = "NAME=TYPE:VALUE")]
    attrs: Vec<String>,
    /// Remove an attribute (repeat).
    #[arg(long = "unset-attr", value_name = "NAME")]
    unset_attrs: Vec<String>,
}

/// Arguments of `customers link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The person's id.
    person: i64,
    /// The organisation's id.
    organisation: i64,
    /// The person's role there (director, buyer, ...).
    #[arg(long, default_value = "")]
    role: String,
}

/// Runs one `customers` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: CustomersCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        CustomersCommand::Add(args) => {
            let customer = crm.add_customer(&new_customer(&args)?)?;
            print_card(&crm, out, &customer)
        }
        CustomersCommand::Find(args) => {
            let found = crm.search_customers(&args.query.join(" "), args.limit)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "items": found }))?);
            }
            print_list(out, &found, "no customer matches")
        }
        CustomersCommand::Show(args) => show(&crm, out, &args),
        CustomersCommand::List(args) => {
            let page = crm.list_customers(args.cursor.as_deref(), args.limit)?;
            if out.is_json() {
                return Ok(out.json(&page)?);
            }
            print_list(out, &page.items, "no customers yet")?;
            if let Some(next) = page.next {
                out.line(format!("next page: --cursor {next}"))?;
            }
            Ok(())
        }
        CustomersCommand::Update(args) => {
            let patch = patch(&args)?;
            let customer = crm.update_customer(CustomerId(args.id), args.version, &patch)?;
            print_card(&crm, out, &customer)
        }
        CustomersCommand::Link(args) => {
            let link = crm.link_customer(
                CustomerId(args.person),
                CustomerId(args.organisation),
                &args.role,
            )?;
            if out.is_json() {
                return Ok(out.json(&link)?);
            }
            let person = crm.customer(link.person)?;
            out.line(format!(
                "linked #{} {}: {}",
                person.id,
                person.name,
                link_line(&crm, &link, link.person)?
            ))?;
            Ok(())
        }
    }
}

fn show(crm: &Crm, out: &mut Output, args: &ShowArgs) -> Result<(), Failure> {
    let lookup = &args.lookup;
    if let Some(id) = lookup.id {
        return print_card(crm, out, &crm.customer(CustomerId(id))?);
    }
    if let Some(code) = &lookup.code {
        let customer = match &args.kind {
            Some(kind) => crm.customer_by_code(CustomerKind::parse(kind)?, code)?,
            None => by_code_any_kind(crm, code)?,
        };
        return print_card(crm, out, &customer);
    }
    let (found, what) = match (&lookup.phone, &lookup.email) {
        (Some(phone), _) => (
            crm.customers_by_phone(phone)?,
            format!("with phone {phone}"),
        ),
        (None, Some(email)) => (
            crm.customers_by_email(email)?,
            format!("with e-mail {email}"),
        ),
        (None, None) => {
            return Err(Error::validation("id", "give an id, --code, --phone or --email").into());
        }
    };
    if found.is_empty() {
        return Err(Error::not_found(EntityKind::Customer, what).into());
    }
    if out.is_json() {
        let cards = found
            .iter()
            .map(|c| card_json(crm, c))
            .collect::<Result<Vec<_>>>()?;
        return Ok(out.json(&json!({ "items": cards }))?);
    }
    for (i, customer) in found.iter().enumerate() {
        if i > 0 {
            out.line("")?;
        }
        print_card(crm, out, customer)?;
    }
    Ok(())
}

/// The customer with `code`, as a person or an organisation; a code used by both is ambiguous.
fn by_code_any_kind(crm: &Crm, code: &str) -> Result<Customer> {
    let found = [CustomerKind::Person, CustomerKind::Organisation]
        .into_iter()
        .map(|kind| match crm.customer_by_code(kind, code) {
            Err(Error::NotFound { .. }) => Ok(None),
            other => other.map(Some),
        })
        .collect::<Result<Vec<_>>>()?;
    match found.into_iter().flatten().collect::<Vec<_>>().as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::not_found(EntityKind::Customer, code.trim())),
        _ => Err(Error::validation(
            "kind",
            "a person and an organisation share this code: pass --kind",
        )),
    }
}

fn new_customer(args: &AddArgs) -> Result<NewCustomer> {
    let mut new = NewCustomer::new(CustomerKind::parse(&args.kind)?, args.name.as_str());
    new.emails.clone_from(&args.emails);
    new.phones.clone_from(&args.phones);
    new.tags.clone_from(&args.tags);
    new.language.clone_from(&args.language);
    new.birthday = args.birthday.as_deref().map(parse_birthday).transpose()?;
    new.external_code.clone_from(&args.code);
    for attr in &args.attrs {
        let (name, value) = parse_attr(attr)?;
        new.attributes.insert(name, value);
    }
    Ok(new)
}

fn patch(args: &UpdateArgs) -> Result<CustomerPatch> {
    let mut patch = CustomerPatch::default();
    patch.name.clone_from(&args.name);
    patch.emails = replace_list(&args.emails, args.clear_emails);
    patch.phones = replace_list(&args.phones, args.clear_phones);
    patch.tags = replace_list(&args.tags, args.clear_tags);
    patch.language = set_or_clear(args.language.clone(), args.clear_language);
    patch.birthday = set_or_clear(
        args.birthday.as_deref().map(parse_birthday).transpose()?,
        args.clear_birthday,
    );
    patch.external_code = set_or_clear(args.code.clone(), args.clear_code);
    for attr in &args.attrs {
        let (name, value) = parse_attr(attr)?;
        patch.attributes.insert(name, Some(value));
    }
    for name in &args.unset_attrs {
        patch.attributes.insert(name.clone(), None);
    }
    if patch == CustomerPatch::default() {
        return Err(Error::validation(
            "update",
            "give at least one field to change, such as --name or --tag",
        ));
    }
    Ok(patch)
}

fn replace_list(values: &[String], clear: bool) -> Option<Vec<String>> {
    (clear || !values.is_empty()).then(|| values.to_vec())
}

fn set_or_clear<T>(value: Option<T>, clear: bool) -> Option<Option<T>> {
    if clear { Some(None) } else { value.map(Some) }
}

fn parse_birthday(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::validation("birthday", "must be a date written YYYY-MM-DD"))
}

/// Parses `NAME=TYPE:VALUE` into an attribute; errors name `attributes.NAME`.
pub fn parse_attr(text: &str) -> Result<(String, AttributeValue)> {
    let Some((name, typed)) = text.split_once('=') else {
        return Err(Error::validation(
            "attributes",
            format!("{text:?} is not NAME=TYPE:VALUE"),
        ));
    };
    let name = name.trim().to_owned();
    let field = format!("attributes.{name}");
    let Some((kind, value)) = typed.split_once(':') else {
        return Err(Error::validation(
            field,
            "is not TYPE:VALUE, e.g. text:blue or integer:42",
        ));
    };
    let value = value.trim();
    let bad = |what: &str| Error::validation(&field, format!("{value:?} is not {what}"));
    let parsed = match kind.trim().to_ascii_lowercase().as_str() {
        "text" => AttributeValue::Text(value.to_owned()),
        "integer" | "int" => {
            AttributeValue::Integer(value.parse().map_err(|_| bad("a whole number"))?)
        }
        "boolean" | "bool" => AttributeValue::Boolean(match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            _ => return Err(bad("true or false")),
        }),
        "date" => AttributeValue::Date(
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| bad("a date written YYYY-MM-DD"))?,
        ),
        "timestamp" | "time" => AttributeValue::Timestamp(Timestamp::parse_rfc3339(value, &field)?),
        "money" => {
            let (amount, currency) = value
                .rsplit_once(char::is_whitespace)
                .ok_or_else(|| bad("an amount and a currency, e.g. 12500 AMD"))?;
            let currency = Currency::parse(currency, &field)?;
            AttributeValue::Money(Money::parse(amount, currency, &field)?)
        }
        _ => {
            return Err(Error::validation(
                field,
                format!(
                    "unknown type {kind:?}: use text, integer, boolean, date, timestamp or money"
                ),
            ));
        }
    };
    Ok((name, parsed))
}

/// An attribute value as people write it.
pub fn attr_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Text(t) => t.clone(),
        AttributeValue::Integer(i) => i.to_string(),
        AttributeValue::Boolean(b) => b.to_string(),
        AttributeValue::Date(d) => d.to_string(),
        AttributeValue::Timestamp(t) => time(*t),
        AttributeValue::Money(m) => m.to_string(),
    }
}

/// Prints customers as a table (or `empty` when there are none).
pub fn print_list(out: &mut Output, customers: &[Customer], empty: &str) -> Result<(), Failure> {
    if customers.is_empty() {
        out.line(empty)?;
        return Ok(());
    }
    let mut table = Table::new(&["ID", "KIND", "NAME", "PHONE", "E-MAIL", "TAGS"]).right(0);
    for c in customers {
        table.row(vec![
            c.id.to_string(),
            kind_label(c.kind).to_owned(),
            c.name.clone(),
            c.phones.first().map(|p| p.raw.clone()).unwrap_or_default(),
            c.primary_email().unwrap_or_default().to_owned(),
            c.tags.join(","),
        ]);
    }
    Ok(out.table(&table)?)
}

fn kind_label(kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Person => "person",
        CustomerKind::Organisation => "org",
    }
}

/// A customer with its links and latest timeline entries, as JSON.
pub fn card_json(crm: &Crm, customer: &Customer) -> Result<serde_json::Value> {
    let links = crm.customer_links(customer.id)?;
    let recent = crm.timeline(customer.id, None, CARD_TIMELINE)?.items;
    Ok(json!({ "customer": customer, "links": links, "recent": recent }))
}

/// Prints a customer's card: its fields, links and latest timeline entries.
pub fn print_card(crm: &Crm, out: &mut Output, c: &Customer) -> Result<(), Failure> {
    if out.is_json() {
        return Ok(out.json(&card_json(crm, c)?)?);
    }
    out.line(format!(
        "#{} {} ({}, version {})",
        c.id,
        c.name,
        c.kind.as_str(),
        c.version
    ))?;
    let phones: Vec<String> = c
        .phones
        .iter()
        .map(|p| {
            if p.raw == p.e164 {
                p.e164.clone()
            } else {
                format!("{} ({})", p.raw, p.e164)
            }
        })
        .collect();
    let emails: Vec<&str> = c.emails.iter().map(|e| e.address.as_str()).collect();
    let address = c.address.as_ref().map_or_else(String::new, |a| {
        [
            &a.line1,
            &a.line2,
            &a.postal_code,
            &a.city,
            &a.region,
            &a.country,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
    });
    let attributes: Vec<String> = c
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}={}", attr_text(v)))
        .collect();
    out.fields(
        2,
        &[
            ("code", c.external_code.clone().unwrap_or_default()),
            ("phones", phones.join(", ")),
            ("e-mails", emails.join(", ")),
            ("address", address),
            (
                "birthday",
                c.birthday.map(|d| d.to_string()).unwrap_or_default(),
            ),
            ("language", c.language.clone().unwrap_or_default()),
            ("tags", c.tags.join(", ")),
            ("attributes", attributes.join(", ")),
            ("created", time(c.created_at)),
            (
                "updated",
                if c.updated_at == c.created_at {
                    String::new()
                } else {
                    time(c.updated_at)
                },
            ),
        ],
    )?;
    let links = crm.customer_links(c.id)?;
    if !links.is_empty() {
        out.line("  links:")?;
        for link in &links {
            out.line(format!("    {}", link_line(crm, link, c.id)?))?;
        }
    }
    let recent = crm.timeline(c.id, None, CARD_TIMELINE)?.items;
    if !recent.is_empty() {
        out.line("  recent:")?;
        print_recent(crm, out, &recent)?;
    }
    Ok(())
}

fn print_recent(crm: &Crm, out: &mut Output, entries: &[TimelineEntry]) -> Result<(), Failure> {
    let table = timeline::entries_table(crm, entries, false)?.indent(4);
    Ok(out.table(&table)?)
}

/// One link as seen from `from`: `at #3 <organisation> as buyer` or `#9 <person> as buyer`.
fn link_line(crm: &Crm, link: &CustomerLink, from: CustomerId) -> Result<String> {
    let role = if link.role.is_empty() {
        String::new()
    } else {
        format!(" as {}", link.role)
    };
    Ok(if from == link.person {
        let org = crm.customer(link.organisation)?;
        format!("at #{} {}{role}", org.id, org.name)
    } else {
        let person = crm.customer(link.person)?;
        format!("#{} {}{role}", person.id, person.name)
    })
}
