//! Reads by id for external id mappings and sync consumers.

use crate::automation::{CONSENT_COLUMNS, TEMPLATE_COLUMNS, consent_from_row, template_from_row};
use crate::conn::{SqlConn, SqlTx, from_json};
use crate::deal::{CHANGE_COLUMNS, change_from_row};
use crate::reference::kind_from_row;
use crate::sales::{RETURN_COLUMNS, load_return};
use crate::timeline::{TIMELINE_COLUMNS, timeline_from_row};
use crmlite_core::automation::{Consent, Template};
use crmlite_core::deal::DealStageChange;
use crmlite_core::loyalty::{EarnRule, Tier};
use crmlite_core::reference::DirectoryKind;
use crmlite_core::sales::Return;
use crmlite_core::store::SyncRead;
use crmlite_core::timeline::TimelineEntry;
use crmlite_core::{
    DealStageChangeId, EntityKind, ProgramId, Result, ReturnId, RuleId, TemplateId, TierId,
    TimelineEntryId, Timestamp,
};

/// The table holding records of `entity` by an `id` column; `None` for kinds without ids of
/// their own.
fn table_of(entity: EntityKind) -> Option<&'static str> {
    Some(match entity {
        EntityKind::Customer => "customers",
        EntityKind::TimelineEntry => "timeline",
        EntityKind::Template => "templates",
        EntityKind::Task => "tasks",
        EntityKind::Trigger => "triggers",
        EntityKind::OutboxMessage => "outbox",
        EntityKind::Consent => "consents",
        EntityKind::Pipeline => "pipelines",
        EntityKind::Stage => "deal_stages",
        EntityKind::Deal => "deals",
        EntityKind::LostReason => "lost_reasons",
        EntityKind::DealStageChange => "deal_stage_changes",
        EntityKind::DirectoryKind => "directory_kinds",
        EntityKind::DirectoryEntry => "directory_entries",
        EntityKind::Order => "orders",
        EntityKind::Return => "returns",
        EntityKind::LoyaltyProgram => "loyalty_programs",
        EntityKind::LoyaltyCard => "loyalty_cards",
        EntityKind::EarnRule => "loyalty_rules",
        EntityKind::Tier => "loyalty_tiers",
        EntityKind::Reward => "loyalty_rewards",
        EntityKind::LedgerEntry => "loyalty_entries",
        EntityKind::Complaint => "complaints",
        EntityKind::NpsResponse => "nps_responses",
        _ => return None,
    })
}

impl<C: SqlConn> SyncRead for SqlTx<C> {
    fn record_exists(&mut self, entity: EntityKind, id: i64) -> Result<bool> {
        let Some(table) = table_of(entity) else {
            return Ok(false);
        };
        Ok(self
            .0
            .query_opt(
                &format!("SELECT 1 FROM {table} WHERE id = ?1"),
                &[id.into()],
            )?
            .is_some())
    }

    fn template_by_id(&mut self, id: TemplateId) -> Result<Option<Template>> {
        self.0
            .query_opt(
                &format!("SELECT {TEMPLATE_COLUMNS} FROM templates WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| template_from_row(&r))
            .transpose()
    }

    fn timeline_entry(&mut self, id: TimelineEntryId) -> Result<Option<TimelineEntry>> {
        self.0
            .query_opt(
                &format!("SELECT {TIMELINE_COLUMNS} FROM timeline WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| timeline_from_row(&r))
            .transpose()
    }

    fn consent_by_id(&mut self, id: i64) -> Result<Option<Consent>> {
        self.0
            .query_opt(
                &format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE id = ?1"),
                &[id.into()],
            )?
            .map(|r| consent_from_row(&r))
            .transpose()
    }

    fn deal_stage_change(&mut self, id: DealStageChangeId) -> Result<Option<DealStageChange>> {
        self.0
            .query_opt(
                &format!("SELECT {CHANGE_COLUMNS} FROM deal_stage_changes WHERE id = ?1"),
                &[id.0.into()],
            )?
            .map(|r| change_from_row(&r))
            .transpose()
    }

    fn return_by_id(&mut self, id: ReturnId) -> Result<Option<Return>> {
        let row = self.0.query_opt(
            &format!("SELECT {RETURN_COLUMNS} FROM returns WHERE id = ?1"),
            &[id.0.into()],
        )?;
        row.map(|r| load_return(&mut self.0, &r)).transpose()
    }

    fn earn_rule(&mut self, id: RuleId) -> Result<Option<EarnRule>> {
        self.0
            .query_opt(
                "SELECT id, body, created_at FROM loyalty_rules WHERE id = ?1",
                &[id.0.into()],
            )?
            .map(|r| {
                Ok(EarnRule {
                    id: RuleId(r.int(0)?),
                    rule: from_json(&r.text(1)?, "rule")?,
                    created_at: Timestamp(r.int(2)?),
                })
            })
            .transpose()
    }

    fn tier(&mut self, id: TierId) -> Result<Option<Tier>> {
        self.0
            .query_opt(
                "SELECT id, program_id, name, threshold FROM loyalty_tiers WHERE id = ?1",
                &[id.0.into()],
            )?
            .map(|r| {
                Ok(Tier {
                    id: TierId(r.int(0)?),
                    program: ProgramId(r.int(1)?),
                    name: r.text(2)?,
                    threshold: r.int(3)?,
                })
            })
            .transpose()
    }

    fn directory_kind_by_id(&mut self, id: i64) -> Result<Option<DirectoryKind>> {
        self.0
            .query_opt(
                "SELECT name, label, fields FROM directory_kinds WHERE id = ?1",
                &[id.into()],
            )?
            .map(|r| kind_from_row(&r))
            .transpose()
    }

    fn order_count(&mut self) -> Result<i64> {
        self.0.query_one("SELECT COUNT(*) FROM orders", &[])?.int(0)
    }
}

#[cfg(test)]
mod tests {
    use super::table_of;
    use crmlite_core::EntityKind;

    #[test]
    fn the_verify_rule_checks_every_mappable_kind() {
        let rule = crate::verify::EXTERNAL_IDS_RULE;
        for kind in EntityKind::ALL {
            if let Some(table) = table_of(*kind) {
                let branch = format!(
                    "(e.entity = '{kind}' AND EXISTS (SELECT 1 FROM {table} t WHERE t.id = e.entity_id))"
                );
                assert!(rule.contains(&branch), "{kind}");
            }
        }
    }

    #[test]
    fn every_kind_with_an_id_has_a_table() {
        for kind in EntityKind::ALL {
            let expected = !matches!(kind, EntityKind::CustomerLink | EntityKind::ExternalId);
            assert_eq!(table_of(*kind).is_some(), expected, "{kind}");
        }
    }
}
