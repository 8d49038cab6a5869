//! Imports on the `Crm` handle: directory entries and customers, in one transaction.

use super::rows::{SourceRow, read_rows};
use super::{
    ImportOptions, ImportReport, MatchBy, Progress, ProgressFn, RejectedRow, all_or_nothing,
};
use crate::changes::ChangeOp;
use crate::customer::{
    Address, Customer, CustomerKind, CustomerPatch, CustomerRecord, NewCustomer, validate_new,
    validate_patch,
};
use crate::deal::service::check_mirrored_name;
use crate::reference::service::{resolve_entry, store_entry};
use crate::reference::validate::{parse_bool, parse_date, unguard};
use crate::reference::{
    DirectoryKind, Entry, EntryInput, ExternalId, ParseOptions, UpsertOutcome, parse_field_text,
    validate_entry,
};
use crate::store::WriteTx;
use crate::{Crm, CustomerId, EntityKind, EntryId, Error, Result, Timestamp};
use std::collections::{BTreeMap, HashMap};

/// A directory row that passed the checks that need no database.
#[derive(Clone)]
struct EntryRow {
    line: u64,
    entry: Entry,
    archived: Option<bool>,
    external_id: Option<String>,
}

/// A customer row that passed the checks that need no database.
#[derive(Clone)]
struct CustomerRow {
    source: SourceRow,
    record: CustomerRecord,
    external_id: Option<String>,
}

/// From this many rows on, a fast-path customer import builds the search index after the load.
const BULK_ROWS: usize = 1000;

/// The columns a customer file may have.
const CUSTOMER_COLUMNS: &[&str] = &[
    "external_code",
    "external_id",
    "kind",
    "name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "birthday",
    "language",
    "tags",
];

/// The column of a validation error's field, as `validate_entry` or the customer checks name it.
fn column_of(field: &str) -> String {
    let head = field.split('[').next().unwrap_or(field);
    match head {
        "emails" => "email".into(),
        "phones" => "phone".into(),
        "address.line1" => "address_line1".into(),
        "address.line2" => "address_line2".into(),
        _ => head
            .strip_prefix("fields.")
            .or_else(|| head.strip_prefix("address."))
            .unwrap_or(head)
            .to_owned(),
    }
}

fn reject_error(row: &SourceRow, e: Error) -> std::result::Result<RejectedRow, Error> {
    match e {
        Error::Validation { field, reason } => Ok(row.reject(column_of(&field), reason)),
        other => Err(other),
    }
}

/// Remembers the first line of each key and rejects a repeat.
fn check_unique(
    seen: &mut HashMap<String, u64>,
    key: &str,
    column: &str,
    row: &SourceRow,
) -> Option<RejectedRow> {
    match seen.get(key) {
        Some(first) => Some(row.reject(
            column,
            format!("{key:?} appears twice in this file (first on line {first})"),
        )),
        None => {
            seen.insert(key.to_owned(), row.line);
            None
        }
    }
}

fn external_id_of(
    row: &SourceRow,
    match_by: &MatchBy,
) -> std::result::Result<Option<String>, RejectedRow> {
    match match_by {
        MatchBy::ExternalCode => Ok(None),
        MatchBy::ExternalId(_) => row
            .get("external_id")
            .map(|v| Some(v.to_owned()))
            .ok_or_else(|| row.reject("external_id", "is required")),
    }
}

pub(super) fn sort_rejected(rejected: &mut [RejectedRow]) {
    rejected.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.field.cmp(&b.field)));
}

impl Crm {
    /// Imports entries of directory `kind` from a CSV or JSON Lines file, upserting by
    /// `(kind, external_code)` or by an external id mapping, all in one transaction.
    ///
    /// Columns are `external_code`, `name`, the kind's fields and optionally `archived`.
    /// Rows identical to the stored entries write nothing and record no change. Bad rows are
    /// reported with their line, field and reason; in [`super::ImportMode::AllOrNothing`] the
    /// first one is returned as a validation error (`line[7].price`) and nothing is written.
    pub fn import_directory(
        &self,
        kind: &str,
        data: &[u8],
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        self.directory_import(kind, data, options, &mut Progress::none())
    }

    /// [`Crm::import_directory`], calling `progress` every [`ImportOptions::progress_every`]
    /// rows read and entries written, and at the end of reading and of writing, always before
    /// the commit: a callback that breaks fails the import and nothing is written.
    pub fn import_directory_with_progress(
        &self,
        kind: &str,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let every = options.progress_every;
        self.directory_import(kind, data, options, &mut Progress::new(progress, every))
    }

    fn directory_import(
        &self,
        kind: &str,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut Progress<'_, '_>,
    ) -> Result<ImportReport> {
        let now = self.now();
        let def = self.directory_kind(kind)?;
        let known = |f: &str| {
            matches!(f, "external_code" | "name" | "archived")
                || (f == "external_id" && matches!(options.match_by, MatchBy::ExternalId(_)))
                || def.field(f).is_some()
        };
        let (rows, mut rejected) = read_rows(data, options, &known, progress)?;
        let parse = ParseOptions {
            currency: options.currency,
        };
        let mut good = Vec::with_capacity(rows.len());
        let mut codes = HashMap::new();
        let mut ids = HashMap::new();
        for row in &rows {
            match entry_row(&def, row, &parse, &options.match_by, now) {
                Ok(Ok(candidate)) => {
                    let dup = check_unique(
                        &mut codes,
                        &candidate.entry.external_code,
                        "external_code",
                        row,
                    )
                    .or_else(|| {
                        candidate
                            .external_id
                            .as_deref()
                            .and_then(|x| check_unique(&mut ids, x, "external_id", row))
                    });
                    match dup {
                        Some(r) => rejected.push(r),
                        None => good.push(candidate),
                    }
                }
                Ok(Err(r)) => rejected.push(r),
                Err(e) => return Err(e),
            }
        }
        sort_rejected(&mut rejected);
        all_or_nothing(options.mode, &rejected)?;
        self.write(|tx| {
            let mut report = ImportReport {
                rejected: rejected.clone(),
                ..ImportReport::default()
            };
            progress.start_writing(good.len());
            write_entries(tx, &def, good.clone(), options, now, &mut report, progress)?;
            progress.write_done()?;
            sort_rejected(&mut report.rejected);
            all_or_nothing(options.mode, &report.rejected)?;
            Ok(report)
        })
    }

    /// Imports persons and organisations with their contact points from a CSV or JSON Lines
    /// file, upserting by `(kind, external_code)` or by an external id mapping, in one
    /// transaction, with the same checks as [`Crm::add_customer`] and [`Crm::update_customer`].
    ///
    /// Columns: `external_code`, `external_id`, `kind`, `name`, `email` and `phone` (several
    /// separated by `;`), `address_line1`, `address_line2`, `city`, `region`, `postal_code`,
    /// `country`, `birthday`, `language`, `tags` (separated by `;`). A column left out of the
    /// file leaves that field of existing customers as it is.
    pub fn import_customers(&self, data: &[u8], options: &ImportOptions) -> Result<ImportReport> {
        self.customer_import(data, options, &mut Progress::none())
    }

    /// [`Crm::import_customers`], calling `progress` as
    /// [`Crm::import_directory_with_progress`] does.
    pub fn import_customers_with_progress(
        &self,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let every = options.progress_every;
        self.customer_import(data, options, &mut Progress::new(progress, every))
    }

    fn customer_import(
        &self,
        data: &[u8],
        options: &ImportOptions,
        progress: &mut Progress<'_, '_>,
    ) -> Result<ImportReport> {
        let now = self.now();
        let known = |f: &str| {
            CUSTOMER_COLUMNS.contains(&f)
                && (f != "external_id" || matches!(options.match_by, MatchBy::ExternalId(_)))
        };
        let (rows, mut rejected) = read_rows(data, options, &known, progress)?;
        let region = self.options().default_region.clone();
        let mut good = Vec::with_capacity(rows.len());
        let mut codes = HashMap::new();
        let mut ids = HashMap::new();
        for row in rows {
            match customer_row(row, options, region.as_deref(), now)? {
                Ok(candidate) => {
                    let c = &candidate.record.customer;
                    let code_key = c
                        .external_code
                        .as_ref()
                        .map(|code| format!("{}:{code}", c.kind.as_str()));
                    let dup = code_key
                        .and_then(|k| {
                            check_unique(&mut codes, &k, "external_code", &candidate.source)
                        })
                        .or_else(|| {
                            candidate.external_id.as_deref().and_then(|x| {
                                check_unique(&mut ids, x, "external_id", &candidate.source)
                            })
                        });
                    match dup {
                        Some(r) => rejected.push(r),
                        None => good.push(candidate),
                    }
                }
                Err(r) => rejected.push(r),
            }
        }
        sort_rejected(&mut rejected);
        all_or_nothing(options.mode, &rejected)?;
        self.write(|tx| {
            let mut report = ImportReport {
                rejected: rejected.clone(),
                ..ImportReport::default()
            };
            report.fast_path =
                matches!(options.match_by, MatchBy::ExternalCode) && tx.customer_count()? == 0;
            // Into an empty table, the search index is built once after the load.
            let suspended = if report.fast_path && good.len() >= BULK_ROWS {
                tx.suspend_customer_search()?
            } else {
                Vec::new()
            };
            progress.start_writing(good.len());
            for row in &good {
                match write_customer(tx, row, options, region.as_deref(), now, report.fast_path)? {
                    Ok(outcome) => count(&mut report, outcome),
                    Err(r) => report.rejected.push(r),
                }
                progress.wrote()?;
            }
            tx.resume_customer_search(&suspended)?;
            progress.write_done()?;
            sort_rejected(&mut report.rejected);
            all_or_nothing(options.mode, &report.rejected)?;
            Ok(report)
        })
    }
}

pub(super) fn count(report: &mut ImportReport, outcome: UpsertOutcome) {
    match outcome {
        UpsertOutcome::Inserted => report.inserted += 1,
        UpsertOutcome::Updated => report.updated += 1,
        UpsertOutcome::Unchanged => report.unchanged += 1,
    }
}

/// Checks one directory row without the database. The outer error is a failure of the
/// whole import; the inner one rejects the row.
fn entry_row(
    def: &DirectoryKind,
    row: &SourceRow,
    parse: &ParseOptions,
    match_by: &MatchBy,
    now: Timestamp,
) -> Result<std::result::Result<EntryRow, RejectedRow>> {
    let external_id = match external_id_of(row, match_by) {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let mut input = EntryInput::new(
        unguard(row.get("external_code").unwrap_or_default()),
        unguard(row.get("name").unwrap_or_default()),
    );
    for field in &def.fields {
        let Some(text) = row.values.get(&field.name) else {
            continue;
        };
        match parse_field_text(&field.field_type, text, parse, &field.name) {
            Ok(Some(value)) => {
                input.fields.insert(field.name.clone(), value);
            }
            Ok(None) => {}
            Err(e) => return reject_error(row, e).map(Err),
        }
    }
    let archived = match row
        .get("archived")
        .map(|t| parse_bool(t, "archived"))
        .transpose()
    {
        Ok(a) => a,
        Err(e) => return reject_error(row, e).map(Err),
    };
    match validate_entry(def, &input, now) {
        Ok(entry) => Ok(Ok(EntryRow {
            line: row.line,
            entry,
            archived,
            external_id,
        })),
        Err(e) => reject_error(row, e).map(Err),
    }
}

/// Writes the checked directory rows. A row whose reference points to a row later in the
/// file waits for it: each pass writes the rows that resolve, until a pass makes no progress
/// (a file listing a long chain of parents child-first therefore takes one pass per level).
fn write_entries(
    tx: &mut dyn WriteTx,
    def: &DirectoryKind,
    mut pending: Vec<EntryRow>,
    options: &ImportOptions,
    now: Timestamp,
    report: &mut ImportReport,
    progress: &mut Progress<'_, '_>,
) -> Result<()> {
    report.fast_path =
        matches!(options.match_by, MatchBy::ExternalCode) && tx.entry_count(&def.name)? == 0;
    let mut last_errors: BTreeMap<u64, RejectedRow> = BTreeMap::new();
    loop {
        let before = pending.len();
        let mut waiting = Vec::new();
        for row in pending {
            let source = SourceRow {
                line: row.line,
                values: BTreeMap::new(),
            };
            let existing = match find_entry(tx, def, &row, options, report.fast_path)? {
                Ok(e) => e,
                Err(r) => {
                    report.rejected.push(r);
                    progress.wrote()?;
                    continue;
                }
            };
            let record = match resolve_entry(tx, def, row.entry.clone()) {
                Ok(r) => r,
                Err(e) => {
                    last_errors.insert(row.line, reject_error(&source, e)?);
                    waiting.push(row);
                    continue;
                }
            };
            if def.name == "lost_reason"
                && let Err(e) = check_mirrored_name(
                    tx,
                    existing.as_ref().map(|e| e.name.as_str()),
                    &row.entry.name,
                )
            {
                report.rejected.push(reject_error(&source, e)?);
                progress.wrote()?;
                continue;
            }
            let (stored, outcome) = store_entry(tx, record, existing, row.archived, now)?;
            if let (Some(system), Some(x)) = (system_of(options), row.external_id.as_deref())
                && tx.external_id(system, x)?.is_none()
            {
                map_new(tx, system, x, EntityKind::DirectoryEntry, stored.id.0, now)?;
            }
            last_errors.remove(&row.line);
            count(report, outcome);
            progress.wrote()?;
        }
        if waiting.is_empty() || waiting.len() == before {
            report
                .rejected
                .extend(waiting.iter().filter_map(|r| last_errors.remove(&r.line)));
            return Ok(());
        }
        pending = waiting;
    }
}

fn system_of(options: &ImportOptions) -> Option<&str> {
    match &options.match_by {
        MatchBy::ExternalId(system) => Some(system.as_str()),
        MatchBy::ExternalCode => None,
    }
}

fn map_new(
    tx: &mut dyn WriteTx,
    system: &str,
    external_id: &str,
    entity: EntityKind,
    id: i64,
    now: Timestamp,
) -> Result<()> {
    let mapping = ExternalId {
        id: 0,
        system: system.to_owned(),
        external_id: external_id.to_owned(),
        entity,
        entity_id: id,
        created_at: now,
    };
    let mapping_id = tx.insert_external_id(&mapping)?;
    tx.record_change(EntityKind::ExternalId, mapping_id, ChangeOp::Insert, now)?;
    Ok(())
}

/// The stored entry a row updates, if any; a mapping to another record rejects the row.
fn find_entry(
    tx: &mut dyn WriteTx,
    def: &DirectoryKind,
    row: &EntryRow,
    options: &ImportOptions,
    fast: bool,
) -> Result<std::result::Result<Option<Entry>, RejectedRow>> {
    if fast {
        return Ok(Ok(None));
    }
    let reject = |field: &str, reason: String| RejectedRow {
        line: row.line,
        field: field.into(),
        reason,
    };
    let by_code = tx.entry_by_code(&def.name, &row.entry.external_code)?;
    let (Some(system), Some(x)) = (system_of(options), row.external_id.as_deref()) else {
        return Ok(Ok(by_code));
    };
    let Some(mapping) = tx.external_id(system, x)? else {
        return Ok(Ok(by_code));
    };
    let mapped = match mapping.entity {
        EntityKind::DirectoryEntry => tx
            .entry(EntryId(mapping.entity_id))?
            .filter(|e| e.kind == def.name),
        _ => None,
    };
    let Some(mapped) = mapped else {
        return Ok(Err(reject(
            "external_id",
            format!("{system} id {x:?} is mapped to another kind of record"),
        )));
    };
    if let Some(other) = by_code.filter(|o| o.id != mapped.id) {
        return Ok(Err(reject(
            "external_code",
            format!(
                "{:?} is already used by another {} ({})",
                other.external_code, def.name, other.id
            ),
        )));
    }
    Ok(Ok(Some(mapped)))
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn address_of(row: &SourceRow, base: Option<&Address>) -> Address {
    let mut a = base.cloned().unwrap_or_default();
    for (column, part) in [
        ("address_line1", &mut a.line1),
        ("address_line2", &mut a.line2),
        ("city", &mut a.city),
        ("region", &mut a.region),
        ("postal_code", &mut a.postal_code),
        ("country", &mut a.country),
    ] {
        if let Some(v) = row.values.get(column) {
            v.trim().clone_into(part);
        }
    }
    a
}

const ADDRESS_COLUMNS: &[&str] = &[
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
];

/// Checks one customer row without the database. The outer error fails the import.
fn customer_row(
    row: SourceRow,
    options: &ImportOptions,
    region: Option<&str>,
    now: Timestamp,
) -> Result<std::result::Result<CustomerRow, RejectedRow>> {
    let external_id = match external_id_of(&row, &options.match_by) {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    if matches!(options.match_by, MatchBy::ExternalCode) && row.get("external_code").is_none() {
        return Ok(Err(row.reject("external_code", "is required")));
    }
    let kind = match row.get("kind").map(CustomerKind::parse).transpose() {
        Ok(k) => k.unwrap_or(options.customer_kind),
        Err(e) => return reject_error(&row, e).map(Err),
    };
    let birthday = match row
        .get("birthday")
        .map(|t| parse_date(t, "birthday"))
        .transpose()
    {
        Ok(b) => b,
        Err(e) => return reject_error(&row, e).map(Err),
    };
    let mut new = NewCustomer::new(kind, unguard(row.get("name").unwrap_or_default()));
    new.emails = row.get("email").map(split_list).unwrap_or_default();
    new.phones = row.get("phone").map(split_list).unwrap_or_default();
    new.address = Some(address_of(&row, None));
    new.birthday = birthday;
    new.language = row.get("language").map(str::to_owned);
    new.tags = row.get("tags").map(split_list).unwrap_or_default();
    new.external_code = row.get("external_code").map(unguard);
    match validate_new(&new, region, now) {
        Ok(record) => Ok(Ok(CustomerRow {
            source: row,
            record,
            external_id,
        })),
        Err(e) => reject_error(&row, e).map(Err),
    }
}

/// The patch that makes `current` match the columns the row has.
fn customer_patch(row: &CustomerRow, current: &Customer) -> CustomerPatch {
    let (src, c) = (&row.source, &row.record.customer);
    CustomerPatch {
        name: Some(c.name.clone()),
        emails: src
            .has("email")
            .then(|| src.get("email").map(split_list).unwrap_or_default()),
        phones: src
            .has("phone")
            .then(|| src.get("phone").map(split_list).unwrap_or_default()),
        address: ADDRESS_COLUMNS
            .iter()
            .any(|col| src.has(col))
            .then(|| Some(address_of(src, current.address.as_ref()))),
        birthday: src.has("birthday").then_some(c.birthday),
        language: src.has("language").then(|| c.language.clone()),
        tags: src.has("tags").then(|| c.tags.clone()),
        attributes: BTreeMap::new(),
        external_code: src.has("external_code").then(|| c.external_code.clone()),
    }
}

/// Inserts or updates one checked customer row; a clash with a stored record rejects it.
fn write_customer(
    tx: &mut dyn WriteTx,
    row: &CustomerRow,
    options: &ImportOptions,
    region: Option<&str>,
    now: Timestamp,
    fast: bool,
) -> Result<std::result::Result<UpsertOutcome, RejectedRow>> {
    let src = &row.source;
    let c = &row.record.customer;
    let by_code = match (&c.external_code, fast) {
        (Some(code), false) => tx.customer_by_code(c.kind, code)?,
        _ => None,
    };
    let existing = match (system_of(options), row.external_id.as_deref(), fast) {
        (Some(system), Some(x), false) => match tx.external_id(system, x)? {
            Some(m) if m.entity == EntityKind::Customer => {
                let mapped = tx.customer(CustomerId(m.entity_id))?;
                if let (Some(o), Some(m)) = (&by_code, &mapped)
                    && o.id != m.id
                {
                    return Ok(Err(src.reject(
                        "external_code",
                        format!("is already used by customer {}", o.id),
                    )));
                }
                mapped
            }
            Some(_) => {
                return Ok(Err(src.reject(
                    "external_id",
                    format!("{system} id {x:?} is mapped to another kind of record"),
                )));
            }
            None => by_code,
        },
        _ => by_code,
    };
    let (id, outcome) = match existing {
        None => {
            let id = tx.insert_customer(&row.record)?;
            tx.record_change(EntityKind::Customer, id.0, ChangeOp::Insert, now)?;
            (id, UpsertOutcome::Inserted)
        }
        Some(current) => match update_customer_row(tx, row, current, region, now)? {
            Ok(done) => done,
            Err(r) => return Ok(Err(r)),
        },
    };
    if let (Some(system), Some(x), false) = (system_of(options), row.external_id.as_deref(), fast)
        && tx.external_id(system, x)?.is_none()
    {
        map_new(tx, system, x, EntityKind::Customer, id.0, now)?;
    }
    Ok(Ok(outcome))
}

/// Updates a stored customer to a checked row, unless it already has that state.
fn update_customer_row(
    tx: &mut dyn WriteTx,
    row: &CustomerRow,
    current: Customer,
    region: Option<&str>,
    now: Timestamp,
) -> Result<std::result::Result<(CustomerId, UpsertOutcome), RejectedRow>> {
    let (src, c) = (&row.source, &row.record.customer);
    if current.kind != c.kind {
        return Ok(Err(src.reject(
            "kind",
            format!("customer {} is a {}", current.id, current.kind.as_str()),
        )));
    }
    let record = match validate_patch(&current, &customer_patch(row, &current), region, now) {
        Ok(r) => r,
        Err(e) => return reject_error(src, e).map(Err),
    };
    let mut same = record.customer.clone();
    same.version = current.version;
    same.updated_at = current.updated_at;
    if same == current {
        return Ok(Ok((current.id, UpsertOutcome::Unchanged)));
    }
    tx.update_customer(&record)?;
    tx.record_change(EntityKind::Customer, current.id.0, ChangeOp::Update, now)?;
    Ok(Ok((current.id, UpsertOutcome::Updated)))
}
