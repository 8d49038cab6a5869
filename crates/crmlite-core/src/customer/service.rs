//! Customer operations on the `Crm` handle.

use super::{
    Customer, CustomerKind, CustomerLink, CustomerPatch, NewCustomer, validate_new, validate_patch,
};
use crate::changes::ChangeOp;
use crate::page::{Page, check_limit};
use crate::store::{ReadTx, WriteTx};
use crate::timeline::{InteractionKind, NewTimelineEntry};
use crate::{Crm, CustomerId, EntityKind, Error, Result, text};

impl Crm {
    /// Adds a person or organisation. Bad input is a validation error naming the field;
    /// a duplicate external code is a conflict. Nothing is stored on error.
    pub fn add_customer(&self, new: &NewCustomer) -> Result<Customer> {
        let now = self.now();
        let record = validate_new(new, self.options().default_region.as_deref(), now)?;
        self.write(|tx| {
            check_code_free(
                tx,
                record.customer.kind,
                record.customer.external_code.as_deref(),
                None,
            )?;
            let id = tx.insert_customer(&record)?;
            tx.record_change(EntityKind::Customer, id.0, ChangeOp::Insert, now)?;
            // Event triggers act in the same transaction; they may have tagged the customer,
            // which is then read back. Otherwise it is stored as given.
            let fired = crate::automation::service::on_event(
                tx,
                crate::automation::service::Event::CustomerCreated(id),
                now,
            )?;
            if fired > 0 {
                return get(tx, id);
            }
            Ok(Customer {
                id,
                ..record.customer.clone()
            })
        })
    }

    /// Adds many customers in one transaction: all of them or, if any input is bad or any
    /// external code clashes, none (the error names the item, e.g. `customers[7].phones[0]`).
    pub fn add_customers(&self, batch: &[NewCustomer]) -> Result<Vec<CustomerId>> {
        let now = self.now();
        let region = self.options().default_region.as_deref();
        let records = batch
            .iter()
            .enumerate()
            .map(|(i, new)| {
                validate_new(new, region, now).map_err(|e| e.in_field(&format!("customers[{i}]")))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut codes = std::collections::HashSet::new();
        for (i, r) in records.iter().enumerate() {
            if let Some(code) = &r.customer.external_code
                && !codes.insert((r.customer.kind, code.as_str()))
            {
                return Err(Error::validation(
                    format!("customers[{i}].external_code"),
                    "appears twice in the batch",
                ));
            }
        }
        self.write(|tx| {
            let mut ids = Vec::with_capacity(records.len());
            for (i, record) in records.iter().enumerate() {
                check_code_free(
                    tx,
                    record.customer.kind,
                    record.customer.external_code.as_deref(),
                    None,
                )
                .map_err(|e| match e {
                    Error::Conflict(m) => Error::Conflict(format!("customers[{i}]: {m}")),
                    other => other,
                })?;
                let id = tx.insert_customer(record)?;
                tx.record_change(EntityKind::Customer, id.0, ChangeOp::Insert, now)?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// One customer by id.
    pub fn customer(&self, id: CustomerId) -> Result<Customer> {
        self.read(|tx| get(tx, id))
    }

    /// One customer by kind and external code.
    pub fn customer_by_code(&self, kind: CustomerKind, code: &str) -> Result<Customer> {
        let code = code.trim();
        self.read(|tx| tx.customer_by_code(kind, code))?
            .ok_or_else(|| Error::not_found(EntityKind::Customer, code))
    }

    /// Customers that have this e-mail address (families and colleagues may share one).
    pub fn customers_by_email(&self, email: &str) -> Result<Vec<Customer>> {
        let email = text::normalize_email(email).map_err(|r| Error::validation("email", r))?;
        self.read(|tx| tx.customers_by_email(&email))
    }

    /// Customers that have this phone number, typed in any form the default region allows.
    pub fn customers_by_phone(&self, phone: &str) -> Result<Vec<Customer>> {
        let e164 = text::parse_phone(phone, self.options().default_region.as_deref())
            .map_err(|r| Error::validation("phone", r))?;
        self.read(|tx| tx.customers_by_phone(&e164))
    }

    /// Customers whose name, e-mail, phone, code or tags match every word of `query`,
    /// whatever the case, accents or letter variants (`γιωργος` finds `ΓΙΏΡΓΟΣ`).
    /// A word matches a word prefix, or any fragment of three or more characters.
    pub fn search_customers(&self, query: &str, limit: u32) -> Result<Vec<Customer>> {
        let limit = check_limit(limit)?;
        let tokens = search_tokens(query)?;
        self.read(|tx| {
            let ids = tx.search_customer_ids(&tokens, limit)?;
            ids.into_iter().map(|id| get(tx, id)).collect()
        })
    }

    /// Customers in id order, one page at a time; pass the returned cursor to continue.
    pub fn list_customers(&self, cursor: Option<&str>, limit: u32) -> Result<Page<Customer>> {
        let limit = check_limit(limit)?;
        let after = cursor
            .map(|c| {
                c.parse::<i64>()
                    .map(CustomerId)
                    .map_err(|_| Error::validation("cursor", "is not a customer cursor"))
            })
            .transpose()?;
        let items = self.read(|tx| tx.customers_after(after, limit))?;
        let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
        let next = if full {
            items.last().map(|c| c.id.0.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Applies `patch` if the customer is still at `expected_version`; a stale version is a
    /// conflict and changes nothing. Returns the new state (version bumped by one).
    pub fn update_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        patch: &CustomerPatch,
    ) -> Result<Customer> {
        let now = self.now();
        self.write(|tx| {
            let current = get(tx, id)?;
            if current.version != expected_version {
                return Err(Error::Conflict(format!(
                    "customer {id} is at version {}, not {expected_version}",
                    current.version
                )));
            }
            let record = validate_patch(
                &current,
                patch,
                self.options().default_region.as_deref(),
                now,
            )?;
            check_code_free(
                tx,
                record.customer.kind,
                record.customer.external_code.as_deref(),
                Some(id),
            )?;
            tx.update_customer(&record)?;
            tx.record_change(EntityKind::Customer, id.0, ChangeOp::Update, now)?;
            Ok(record.customer)
        })
    }

    /// Links a person to an organisation with a role; noted on the person's timeline.
    pub fn link_customer(
        &self,
        person: CustomerId,
        organisation: CustomerId,
        role: &str,
    ) -> Result<CustomerLink> {
        let now = self.now();
        let role = super::validate::clean_text("role", role, 100, false)?;
        self.write(|tx| {
            let p = get(tx, person)?;
            let o = get(tx, organisation)?;
            if p.kind != CustomerKind::Person {
                return Err(Error::validation("person", "must be a person"));
            }
            if o.kind != CustomerKind::Organisation {
                return Err(Error::validation("organisation", "must be an organisation"));
            }
            if tx
                .customer_links(person)?
                .iter()
                .any(|l| l.organisation == organisation)
            {
                return Err(Error::Conflict(format!(
                    "customer {person} is already linked to {organisation}"
                )));
            }
            let link = CustomerLink {
                person,
                organisation,
                role: role.clone(),
                created_at: now,
            };
            tx.insert_customer_link(&link)?;
            tx.record_change(EntityKind::CustomerLink, person.0, ChangeOp::Insert, now)?;
            // One entry on the person's timeline; the organisation's view includes its people.
            let what = if role.is_empty() {
                String::new()
            } else {
                format!(" as {role}")
            };
            let entry = NewTimelineEntry::new(
                person,
                InteractionKind::System,
                format!("{} joined {}{what}", p.name, o.name),
            )
            .source(format!("customer:{organisation}"))
            .validate(now)?;
            let entry_id = tx.insert_timeline_entry(&entry)?;
            tx.record_change(EntityKind::TimelineEntry, entry_id.0, ChangeOp::Insert, now)?;
            Ok(link)
        })
    }

    /// Removes a person's link to an organisation; an unknown link is not found.
    pub fn unlink_customer(&self, person: CustomerId, organisation: CustomerId) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            if !tx.delete_customer_link(person, organisation)? {
                return Err(Error::not_found(
                    EntityKind::CustomerLink,
                    format!("{person}->{organisation}"),
                ));
            }
            tx.record_change(EntityKind::CustomerLink, person.0, ChangeOp::Delete, now)?;
            Ok(())
        })
    }

    /// Links of a customer: its organisations if a person, its people if an organisation.
    pub fn customer_links(&self, id: CustomerId) -> Result<Vec<CustomerLink>> {
        self.read(|tx| {
            get(tx, id)?;
            tx.customer_links(id)
        })
    }
}

/// Reads one customer or fails with not found.
pub(crate) fn get(tx: &mut (impl ReadTx + ?Sized), id: CustomerId) -> Result<Customer> {
    tx.customer(id)?
        .ok_or_else(|| Error::not_found(EntityKind::Customer, id))
}

fn check_code_free(
    tx: &mut dyn WriteTx,
    kind: CustomerKind,
    code: Option<&str>,
    own: Option<CustomerId>,
) -> Result<()> {
    let Some(code) = code else { return Ok(()) };
    match tx.customer_by_code(kind, code)? {
        Some(other) if Some(other.id) != own => Err(Error::Conflict(format!(
            "external_code {code:?} is already used by {} {}",
            kind.as_str(),
            other.id
        ))),
        _ => Ok(()),
    }
}

/// Splits a query into normalised search tokens; an empty query is a validation error.
pub(crate) fn search_tokens(query: &str) -> Result<Vec<String>> {
    let key = text::search_key(query);
    let tokens: Vec<String> = key.split_whitespace().take(8).map(str::to_owned).collect();
    if tokens.is_empty() {
        return Err(Error::validation("query", "must contain a letter or digit"));
    }
    Ok(tokens)
}
