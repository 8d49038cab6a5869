//! Timeline operations on the `Crm` handle.

use crate::changes::ChangeOp;
use crate::customer::{CustomerKind, service::get};
use crate::page::{Page, check_limit};
use crate::timeline::{NewTimelineEntry, TimelineEntry, cursor_of, parse_cursor};
use crate::{Crm, CustomerId, EntityKind, Result};

impl Crm {
    /// Records an interaction on a customer's timeline.
    pub fn add_timeline_entry(&self, new: &NewTimelineEntry) -> Result<TimelineEntry> {
        let now = self.now();
        let mut entry = new.validate(now)?;
        self.write(|tx| {
            get(tx, entry.customer)?;
            let id = tx.insert_timeline_entry(&entry)?;
            tx.record_change(EntityKind::TimelineEntry, id.0, ChangeOp::Insert, now)?;
            let event = crate::automation::service::Event::TimelineEntry {
                customer: entry.customer,
                kind: entry.kind,
                entry: id.0,
            };
            crate::automation::service::on_event(tx, event, now)?;
            entry.id = id;
            Ok(entry.clone())
        })
    }

    /// A customer's timeline, newest first. For an organisation it also holds the entries
    /// of the people linked to it.
    pub fn timeline(
        &self,
        customer: CustomerId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<TimelineEntry>> {
        let limit = check_limit(limit)?;
        let before = cursor.map(parse_cursor).transpose()?;
        let items = self.read(|tx| {
            let c = get(tx, customer)?;
            let mut ids = vec![customer];
            if c.kind == CustomerKind::Organisation {
                ids.extend(tx.customer_links(customer)?.iter().map(|l| l.person));
            }
            tx.timeline(&ids, before, limit)
        })?;
        let full = u32::try_from(items.len()).is_ok_and(|n| n == limit);
        let next = if full {
            items.last().map(cursor_of)
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Changes after `cursor` (0 for the start), in commit order, at most `limit`.
    pub fn changes_since(&self, cursor: i64, limit: u32) -> Result<Vec<crate::changes::Change>> {
        let limit = check_limit(limit)?;
        if cursor < 0 {
            return Err(crate::Error::validation("cursor", "must not be negative"));
        }
        self.read(|tx| tx.changes_since(cursor, limit))
    }
}
