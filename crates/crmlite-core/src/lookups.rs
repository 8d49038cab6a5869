//! What recording purchases reads again and again inside one write transaction: programs,
//! their earn rules and tiers, and the event triggers. A batch of orders reads each once.
//!
//! Nothing on the purchase path writes these rows except a trigger's action, so the cache
//! is emptied whenever a trigger fires; every other writer starts with a fresh cache.

use crate::automation::service::{Event, on_event_among};
use crate::automation::{Trigger, TriggerEvent};
use crate::loyalty::{EarnRule, Program, Tier};
use crate::store::WriteTx;
use crate::{CustomerId, EntityKind, Error, ProgramId, Result, Timestamp};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Rows read once per transaction (see the module documentation).
#[derive(Default)]
pub(crate) struct Lookups {
    programs: HashMap<ProgramId, Rc<Program>>,
    rules: HashMap<ProgramId, Vec<EarnRule>>,
    tiers: HashMap<ProgramId, Vec<Tier>>,
    triggers: Option<Vec<Trigger>>,
    customers: HashSet<CustomerId>,
}

impl Lookups {
    /// Forgets everything (a trigger's action may have changed any of it).
    fn clear(&mut self) {
        *self = Self::default();
    }

    /// One program, or a not-found error.
    pub(crate) fn program(&mut self, tx: &mut dyn WriteTx, id: ProgramId) -> Result<Rc<Program>> {
        if let Some(program) = self.programs.get(&id) {
            return Ok(Rc::clone(program));
        }
        let program = Rc::new(
            tx.program(id)?
                .ok_or_else(|| Error::not_found(EntityKind::LoyaltyProgram, id))?,
        );
        self.programs.insert(id, Rc::clone(&program));
        Ok(program)
    }

    /// A program's earn rules.
    pub(crate) fn earn_rules(
        &mut self,
        tx: &mut dyn WriteTx,
        program: ProgramId,
    ) -> Result<&[EarnRule]> {
        let rules = match self.rules.entry(program) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(tx.earn_rules(program)?),
        };
        Ok(rules)
    }

    /// A program's tiers, by threshold.
    pub(crate) fn tiers(&mut self, tx: &mut dyn WriteTx, program: ProgramId) -> Result<&[Tier]> {
        let tiers = match self.tiers.entry(program) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(tx.tiers(program)?),
        };
        Ok(tiers)
    }

    /// Every trigger, in id order.
    fn triggers(&mut self, tx: &mut dyn WriteTx) -> Result<&[Trigger]> {
        if self.triggers.is_none() {
            self.triggers = Some(tx.triggers()?);
        }
        Ok(self.triggers.as_deref().unwrap_or(&[]))
    }

    /// Whether an active trigger fires on points milestones (the only reader of
    /// [`Event::PointsAwarded`]).
    pub(crate) fn watches_points(&mut self, tx: &mut dyn WriteTx) -> Result<bool> {
        Ok(self
            .triggers(tx)?
            .iter()
            .any(|t| t.active && matches!(t.event, TriggerEvent::PointsMilestone { .. })))
    }

    /// Fires the triggers that match `event`, as [`crate::automation::service::on_event`];
    /// when one fired, everything cached is forgotten.
    pub(crate) fn on_event(
        &mut self,
        tx: &mut dyn WriteTx,
        event: Event,
        now: Timestamp,
    ) -> Result<u32> {
        let triggers = self.triggers(tx)?;
        if triggers.is_empty() {
            return Ok(0);
        }
        let fired = on_event_among(tx, triggers, event, now)?;
        if fired > 0 {
            self.clear();
        }
        Ok(fired)
    }

    /// Checks that a customer exists (a not-found error otherwise).
    pub(crate) fn check_customer(&mut self, tx: &mut dyn WriteTx, id: CustomerId) -> Result<()> {
        if self.customers.contains(&id) {
            return Ok(());
        }
        if !tx.customer_exists(id)? {
            return Err(Error::not_found(EntityKind::Customer, id));
        }
        self.customers.insert(id);
        Ok(())
    }
}
