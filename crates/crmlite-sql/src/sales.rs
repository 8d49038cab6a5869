//! Orders, returns and customer purchase facts.

use crate::conn::{Row, SqlConn, SqlTx, from_json, to_json};
use crmlite_core::money::{Currency, Money};
use crmlite_core::sales::{Order, OrderLine, Return, ReturnLine, SpendFacts};
use crmlite_core::store::{SalesRead, SalesWrite};
use crmlite_core::{CustomerId, Error, OrderId, Result, ReturnId, StorageKind, Timestamp};

const ORDER_COLUMNS: &str =
    "id, customer_id, currency, total, paid, channel, store, external_id, at, created_at";
pub(crate) const RETURN_COLUMNS: &str =
    "id, order_id, customer_id, currency, amount, external_id, at";

fn currency(code: &str) -> Result<Currency> {
    Currency::parse(code, "currency")
        .map_err(|_| Error::storage(StorageKind::Corrupt, format!("unknown currency {code}")))
}

fn line_no(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| Error::storage(StorageKind::Corrupt, "bad line number"))
}

fn load_order<C: SqlConn>(conn: &mut C, row: &Row) -> Result<Order> {
    let id = OrderId(row.int(0)?);
    let cur = currency(&row.text(2)?)?;
    let lines = conn
        .query(
            "SELECT line, product, category, tags, quantity, unit_price, discount, total, reward \
             FROM order_lines WHERE order_id = ?1 ORDER BY line",
            &[id.0.into()],
        )?
        .iter()
        .map(|r| {
            Ok(OrderLine {
                line: line_no(r.int(0)?)?,
                product: r.text(1)?,
                category: r.text(2)?,
                tags: from_json(&r.text(3)?, "tags")?,
                quantity: r.int(4)?,
                unit_price: r.int(5)?,
                discount: r.int(6)?,
                total: r.int(7)?,
                reward: r.bool(8)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Order {
        id,
        customer: CustomerId(row.int(1)?),
        currency: cur,
        lines,
        total: Money::new(row.int(3)?, cur),
        paid: Money::new(row.int(4)?, cur),
        channel: row.text(5)?,
        store: row.text(6)?,
        external_id: row.opt_text(7)?,
        at: Timestamp(row.int(8)?),
        created_at: Timestamp(row.int(9)?),
    })
}

pub(crate) fn load_return<C: SqlConn>(conn: &mut C, row: &Row) -> Result<Return> {
    let id = ReturnId(row.int(0)?);
    let cur = currency(&row.text(3)?)?;
    let lines = conn
        .query(
            "SELECT line, quantity, amount FROM return_lines WHERE return_id = ?1 ORDER BY line",
            &[id.0.into()],
        )?
        .iter()
        .map(|r| {
            Ok(ReturnLine {
                line: line_no(r.int(0)?)?,
                quantity: r.int(1)?,
                amount: r.int(2)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Return {
        id,
        order: OrderId(row.int(1)?),
        customer: CustomerId(row.int(2)?),
        lines,
        amount: Money::new(row.int(4)?, cur),
        external_id: row.opt_text(5)?,
        at: Timestamp(row.int(6)?),
    })
}

impl<C: SqlConn> SalesRead for SqlTx<C> {
    fn order(&mut self, id: OrderId) -> Result<Option<Order>> {
        let row = self.0.query_opt(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"),
            &[id.0.into()],
        )?;
        row.map(|r| load_order(&mut self.0, &r)).transpose()
    }

    fn order_by_external_id(&mut self, external_id: &str) -> Result<Option<Order>> {
        let row = self.0.query_opt(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE external_id = ?1"),
            &[external_id.into()],
        )?;
        row.map(|r| load_order(&mut self.0, &r)).transpose()
    }

    fn return_by_external_id(&mut self, external_id: &str) -> Result<Option<Return>> {
        let row = self.0.query_opt(
            &format!("SELECT {RETURN_COLUMNS} FROM returns WHERE external_id = ?1"),
            &[external_id.into()],
        )?;
        row.map(|r| load_return(&mut self.0, &r)).transpose()
    }

    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>> {
        let rows = self.0.query(
            &format!("SELECT {RETURN_COLUMNS} FROM returns WHERE order_id = ?1 ORDER BY id"),
            &[order.0.into()],
        )?;
        rows.iter().map(|r| load_return(&mut self.0, r)).collect()
    }

    fn spend_facts(&mut self, customer: CustomerId) -> Result<Vec<SpendFacts>> {
        let rows = self.0.query(
            "SELECT currency, order_count, spend, returned, first_purchase_at, last_purchase_at \
             FROM customer_spend WHERE customer_id = ?1 ORDER BY currency",
            &[customer.0.into()],
        )?;
        rows.iter()
            .map(|r| {
                let cur = currency(&r.text(0)?)?;
                Ok(SpendFacts {
                    currency: cur,
                    order_count: r.int(1)?,
                    spend: Money::new(r.int(2)?, cur),
                    returned: Money::new(r.int(3)?, cur),
                    first_purchase: Timestamp(r.int(4)?),
                    last_purchase: Timestamp(r.int(5)?),
                })
            })
            .collect()
    }

    fn spend_between(
        &mut self,
        customer: CustomerId,
        cur: Currency,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<i64> {
        let params = [
            customer.0.into(),
            cur.code().into(),
            from.0.into(),
            until.0.into(),
        ];
        let paid = self
            .0
            .query_one(
                "SELECT CAST(COALESCE(SUM(paid), 0) AS BIGINT) FROM orders \
                 WHERE customer_id = ?1 AND currency = ?2 AND at >= ?3 AND at < ?4",
                &params,
            )?
            .int(0)?;
        let returned = self
            .0
            .query_one(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM returns \
                 WHERE customer_id = ?1 AND currency = ?2 AND at >= ?3 AND at < ?4",
                &params,
            )?
            .int(0)?;
        Ok(paid.saturating_sub(returned))
    }
}

impl<C: SqlConn> SalesWrite for SqlTx<C> {
    fn insert_order(&mut self, o: &Order) -> Result<OrderId> {
        let id = OrderId(
            self.0
                .insert(
                    "INSERT INTO orders (customer_id, currency, total, paid, channel, store, external_id, at, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                    &[
                        o.customer.0.into(),
                        o.currency.code().into(),
                        o.total.minor.into(),
                        o.paid.minor.into(),
                        o.channel.clone().into(),
                        o.store.clone().into(),
                        o.external_id.clone().into(),
                        o.at.0.into(),
                        o.created_at.0.into(),
                    ],
                )?,
        );
        for l in &o.lines {
            self.0.execute(
                "INSERT INTO order_lines (order_id, line, product, category, tags, quantity, unit_price, discount, total, reward) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                &[
                    id.0.into(),
                    i64::from(l.line).into(),
                    l.product.clone().into(),
                    l.category.clone().into(),
                    to_json(&l.tags)?.into(),
                    l.quantity.into(),
                    l.unit_price.into(),
                    l.discount.into(),
                    l.total.into(),
                    l.reward.into(),
                ],
            )?;
        }
        Ok(id)
    }

    fn insert_return(&mut self, r: &Return) -> Result<ReturnId> {
        let id = ReturnId(
            self.0
                .query_one(
                    "INSERT INTO returns (order_id, customer_id, currency, amount, external_id, at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                    &[
                        r.order.0.into(),
                        r.customer.0.into(),
                        r.amount.currency.code().into(),
                        r.amount.minor.into(),
                        r.external_id.clone().into(),
                        r.at.0.into(),
                    ],
                )?
                .int(0)?,
        );
        for l in &r.lines {
            self.0.execute(
                "INSERT INTO return_lines (return_id, line, quantity, amount) VALUES (?1, ?2, ?3, ?4)",
                &[id.0.into(), i64::from(l.line).into(), l.quantity.into(), l.amount.into()],
            )?;
        }
        Ok(id)
    }

    fn add_spend_facts(
        &mut self,
        customer: CustomerId,
        cur: Currency,
        at: Option<Timestamp>,
        orders: i64,
        spend: i64,
        returned: i64,
    ) -> Result<()> {
        let at = at.map(|t| t.0);
        self.0.execute(
            "INSERT INTO customer_spend (customer_id, currency, order_count, spend, returned, first_purchase_at, last_purchase_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(CAST(?6 AS BIGINT), 0), COALESCE(CAST(?6 AS BIGINT), 0)) \
             ON CONFLICT (customer_id, currency) DO UPDATE SET \
               order_count = customer_spend.order_count + excluded.order_count, \
               spend = customer_spend.spend + excluded.spend, \
               returned = customer_spend.returned + excluded.returned, \
               first_purchase_at = CASE WHEN CAST(?6 AS BIGINT) < customer_spend.first_purchase_at \
                                   THEN CAST(?6 AS BIGINT) ELSE customer_spend.first_purchase_at END, \
               last_purchase_at = CASE WHEN CAST(?6 AS BIGINT) > customer_spend.last_purchase_at \
                                  THEN CAST(?6 AS BIGINT) ELSE customer_spend.last_purchase_at END",
            &[customer.0.into(), cur.code().into(), orders.into(), spend.into(), returned.into(), at.into()],
        )?;
        Ok(())
    }
}
