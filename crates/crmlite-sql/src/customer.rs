//! Customers, contact points, tags and links.

use crate::conn::{
    Dialect, Row, SqlConn, SqlTx, Value, from_json, from_json_or_empty, limit, to_json,
};
use crmlite_core::customer::{Customer, CustomerKind, CustomerLink, CustomerRecord};
use crmlite_core::store::{CustomerRead, CustomerWrite};
use crmlite_core::{CustomerId, Error, Result, StorageKind, Timestamp};

/// The columns of a full customer row, in `customer_from_row`'s order (a macro, so the hot
/// queries below are constant strings rather than formatted on every call).
macro_rules! columns {
    () => {
        "id, kind, name, emails, phones, address, birthday, language, tags, attributes, \
         external_code, version, created_at, updated_at"
    };
    ($t:literal) => {
        concat!(
            $t,
            ".id, ",
            $t,
            ".kind, ",
            $t,
            ".name, ",
            $t,
            ".emails, ",
            $t,
            ".phones, ",
            $t,
            ".address, ",
            $t,
            ".birthday, ",
            $t,
            ".language, ",
            $t,
            ".tags, ",
            $t,
            ".attributes, ",
            $t,
            ".external_code, ",
            $t,
            ".version, ",
            $t,
            ".created_at, ",
            $t,
            ".updated_at"
        )
    };
}
const COLUMNS: &str = columns!();
const CUSTOMER_BY_ID: &str = concat!("SELECT ", columns!(), " FROM customers WHERE id = ?1");
/// Customers through a lookup table keyed by `key`: a join (the lookup table's primary key is
/// `(key, customer_id)`, so the rows come in id order without a sort or a temporary table).
macro_rules! by_lookup {
    ($table:literal, $key:literal) => {
        concat!(
            "SELECT ",
            columns!("c"),
            " FROM ",
            $table,
            " l JOIN customers c ON c.id = l.customer_id \
             WHERE l.",
            $key,
            " = ?1 ORDER BY l.customer_id"
        )
    };
}
const CUSTOMERS_BY_EMAIL: &str = by_lookup!("customer_emails", "address_key");
const CUSTOMERS_BY_PHONE: &str = by_lookup!("customer_phones", "e164");

/// A `YYYY-MM-DD` date as this crate stores it, read without the general date parser;
/// `None` for any other text (which the general parser then reads or rejects).
fn plain_date(text: &str) -> Option<chrono::NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

fn customer_from_row(mut row: Row) -> Result<Customer> {
    let kind = CustomerKind::parse(row.str(1)?)
        .map_err(|_| Error::storage(StorageKind::Corrupt, "unknown customer kind"))?;
    let birthday = row
        .opt_str(6)?
        .map(|d| {
            plain_date(d).map_or_else(
                || {
                    d.parse::<chrono::NaiveDate>()
                        .map_err(|e| Error::storage(StorageKind::Corrupt, format!("birthday: {e}")))
                },
                Ok,
            )
        })
        .transpose()?;
    Ok(Customer {
        id: CustomerId(row.int(0)?),
        kind,
        name: row.take_text(2)?,
        emails: from_json_or_empty(row.str(3)?, "[]", "emails")?,
        phones: from_json_or_empty(row.str(4)?, "[]", "phones")?,
        address: row
            .opt_str(5)?
            .map(|a| from_json(a, "address"))
            .transpose()?,
        birthday,
        language: row.take_opt_text(7)?,
        tags: from_json_or_empty(row.str(8)?, "[]", "tags")?,
        attributes: from_json_or_empty(row.str(9)?, "{}", "attributes")?,
        external_code: row.take_opt_text(10)?,
        version: row.int(11)?,
        created_at: Timestamp(row.int(12)?),
        updated_at: Timestamp(row.int(13)?),
    })
}

fn customer_values(rec: &CustomerRecord) -> Result<Vec<Value>> {
    let c = &rec.customer;
    Ok(vec![
        c.kind.as_str().into(),
        c.name.clone().into(),
        rec.name_key.clone().into(),
        rec.search_key.clone().into(),
        to_json(&c.emails)?.into(),
        to_json(&c.phones)?.into(),
        c.address.as_ref().map(to_json).transpose()?.into(),
        c.birthday.map(|d| d.format("%Y-%m-%d").to_string()).into(),
        c.language.clone().into(),
        to_json(&c.tags)?.into(),
        to_json(&c.attributes)?.into(),
        c.external_code.clone().into(),
        c.version.into(),
        c.created_at.0.into(),
        c.updated_at.0.into(),
    ])
}

/// Removes the lookup rows (e-mails, phones, tags) of one customer.
fn delete_lookups<C: SqlConn>(conn: &mut C, id: CustomerId) -> Result<()> {
    conn.execute(
        "DELETE FROM customer_emails WHERE customer_id = ?1",
        &[id.0.into()],
    )?;
    conn.execute(
        "DELETE FROM customer_phones WHERE customer_id = ?1",
        &[id.0.into()],
    )?;
    conn.execute(
        "DELETE FROM customer_tags WHERE customer_id = ?1",
        &[id.0.into()],
    )?;
    Ok(())
}

/// Writes the lookup rows (e-mails, phones, tags) of one customer that has none.
fn write_lookups<C: SqlConn>(conn: &mut C, rec: &CustomerRecord, id: CustomerId) -> Result<()> {
    for e in &rec.customer.emails {
        conn.execute(
            "INSERT INTO customer_emails (address_key, customer_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[e.address.to_lowercase().into(), id.0.into()],
        )?;
    }
    for p in &rec.customer.phones {
        conn.execute(
            "INSERT INTO customer_phones (e164, customer_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[p.e164.clone().into(), id.0.into()],
        )?;
    }
    for t in &rec.customer.tags {
        conn.execute(
            "INSERT INTO customer_tags (tag, customer_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[t.clone().into(), id.0.into()],
        )?;
    }
    Ok(())
}

fn ids(rows: Vec<Row>) -> Result<Vec<CustomerId>> {
    rows.iter().map(|r| r.int(0).map(CustomerId)).collect()
}

/// Quotes one token as an FTS5 string.
fn fts_quote(token: &str) -> String {
    format!("\"{}\"", token.replace('"', "\"\""))
}

impl<C: SqlConn> CustomerRead for SqlTx<C> {
    fn customer(&mut self, id: CustomerId) -> Result<Option<Customer>> {
        self.0
            .query_opt(CUSTOMER_BY_ID, &[id.0.into()])?
            .map(customer_from_row)
            .transpose()
    }

    fn customer_exists(&mut self, id: CustomerId) -> Result<bool> {
        Ok(self
            .0
            .query_opt("SELECT 1 FROM customers WHERE id = ?1", &[id.0.into()])?
            .is_some())
    }

    fn customer_by_code(&mut self, kind: CustomerKind, code: &str) -> Result<Option<Customer>> {
        self.0
            .query_opt(
                &format!("SELECT {COLUMNS} FROM customers WHERE kind = ?1 AND external_code = ?2"),
                &[kind.as_str().into(), code.into()],
            )?
            .map(customer_from_row)
            .transpose()
    }

    fn customers_after(&mut self, after: Option<CustomerId>, n: u32) -> Result<Vec<Customer>> {
        let rows = self.0.query(
            &format!("SELECT {COLUMNS} FROM customers WHERE id > ?1 ORDER BY id LIMIT ?2"),
            &[after.map_or(0, |a| a.0).into(), limit(n)],
        )?;
        rows.into_iter().map(customer_from_row).collect()
    }

    fn customers_by_email(&mut self, email: &str) -> Result<Vec<Customer>> {
        // One statement: the lookup row and the customer rows together.
        let rows = self
            .0
            .query(CUSTOMERS_BY_EMAIL, &[email.to_lowercase().into()])?;
        rows.into_iter().map(customer_from_row).collect()
    }

    fn customers_by_phone(&mut self, e164: &str) -> Result<Vec<Customer>> {
        let rows = self.0.query(CUSTOMERS_BY_PHONE, &[e164.into()])?;
        rows.into_iter().map(customer_from_row).collect()
    }

    fn search_customer_ids(&mut self, tokens: &[String], n: u32) -> Result<Vec<CustomerId>> {
        match self.0.dialect() {
            Dialect::Sqlite => {
                // Short tokens must be word prefixes; longer ones may be any fragment.
                let (short, long): (Vec<&String>, Vec<&String>) =
                    tokens.iter().partition(|t| t.chars().count() < 3);
                let mut parts = Vec::new();
                let mut params = Vec::new();
                if !short.is_empty() {
                    let q: Vec<String> =
                        short.iter().map(|t| format!("{}*", fts_quote(t))).collect();
                    params.push(Value::Text(q.join(" ")));
                    parts.push(format!(
                        "SELECT rowid FROM customer_words WHERE customer_words MATCH ?{}",
                        params.len()
                    ));
                }
                if !long.is_empty() {
                    let q: Vec<String> = long.iter().map(|t| fts_quote(t)).collect();
                    params.push(Value::Text(q.join(" ")));
                    parts.push(format!(
                        "SELECT rowid FROM customer_trigrams WHERE customer_trigrams MATCH ?{}",
                        params.len()
                    ));
                }
                params.push(limit(n));
                let sql = format!(
                    "SELECT id FROM customers WHERE id IN ({}) ORDER BY name_key, id LIMIT ?{}",
                    parts.join(" INTERSECT "),
                    params.len()
                );
                ids(self.0.query(&sql, &params)?)
            }
            Dialect::Postgres => {
                let mut conds = Vec::new();
                let mut params = Vec::new();
                for t in tokens {
                    let escaped = t
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    params.push(Value::Text(if t.chars().count() < 3 {
                        format!("{escaped}%")
                    } else {
                        format!("%{escaped}%")
                    }));
                    let i = params.len();
                    conds.push(if t.chars().count() < 3 {
                        format!("(search_key LIKE ?{i} OR search_key LIKE '% ' || ?{i})")
                    } else {
                        format!("search_key LIKE ?{i}")
                    });
                }
                params.push(limit(n));
                let sql = format!(
                    "SELECT id FROM customers WHERE {} ORDER BY name_key, id LIMIT ?{}",
                    conds.join(" AND "),
                    params.len()
                );
                ids(self.0.query(&sql, &params)?)
            }
        }
    }

    fn customer_links(&mut self, customer: CustomerId) -> Result<Vec<CustomerLink>> {
        let rows = self.0.query(
            "SELECT person_id, organisation_id, role, created_at FROM customer_links \
             WHERE person_id = ?1 OR organisation_id = ?1 ORDER BY person_id, organisation_id",
            &[customer.0.into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CustomerLink {
                    person: CustomerId(r.int(0)?),
                    organisation: CustomerId(r.int(1)?),
                    role: r.text(2)?,
                    created_at: Timestamp(r.int(3)?),
                })
            })
            .collect()
    }

    fn customer_count(&mut self) -> Result<i64> {
        self.0
            .query_one("SELECT COUNT(*) FROM customers", &[])?
            .int(0)
    }
}

impl<C: SqlConn> CustomerWrite for SqlTx<C> {
    fn insert_customer(&mut self, rec: &CustomerRecord) -> Result<CustomerId> {
        let id = self.0.insert(
            "INSERT INTO customers (kind, name, name_key, search_key, emails, phones, address, birthday, \
             language, tags, attributes, external_code, version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
            &customer_values(rec)?,
        )?;
        let id = CustomerId(id);
        write_lookups(&mut self.0, rec, id)?;
        Ok(id)
    }

    fn update_customer(&mut self, rec: &CustomerRecord) -> Result<()> {
        let id = rec.customer.id;
        let mut params = customer_values(rec)?;
        params.push(id.0.into());
        let n = self.0.execute(
            "UPDATE customers SET kind = ?1, name = ?2, name_key = ?3, search_key = ?4, emails = ?5, \
             phones = ?6, address = ?7, birthday = ?8, language = ?9, tags = ?10, attributes = ?11, \
             external_code = ?12, version = ?13, created_at = ?14, updated_at = ?15 WHERE id = ?16",
            &params,
        )?;
        if n != 1 {
            return Err(Error::not_found(crmlite_core::EntityKind::Customer, id));
        }
        delete_lookups(&mut self.0, id)?;
        write_lookups(&mut self.0, rec, id)
    }

    fn insert_customer_link(&mut self, link: &CustomerLink) -> Result<()> {
        self.0.execute(
            "INSERT INTO customer_links (person_id, organisation_id, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            &[link.person.0.into(), link.organisation.0.into(), link.role.clone().into(), link.created_at.0.into()],
        )?;
        Ok(())
    }

    fn delete_customer_link(
        &mut self,
        person: CustomerId,
        organisation: CustomerId,
    ) -> Result<bool> {
        let n = self.0.execute(
            "DELETE FROM customer_links WHERE person_id = ?1 AND organisation_id = ?2",
            &[person.0.into(), organisation.0.into()],
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::plain_date;

    #[test]
    fn plain_dates_read_as_the_general_parser_reads_them() {
        for text in [
            "1987-03-14",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-10",
            "2026/01/10",
            "+2026-01-10",
            "٢٠٢٦-٠١-١٠",
            "",
        ] {
            let general = text.parse::<chrono::NaiveDate>().ok();
            let fast = plain_date(text);
            assert!(fast.is_none() || fast == general, "{text}");
            if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
                assert_eq!(fast, general, "{text}");
            }
        }
    }
}
