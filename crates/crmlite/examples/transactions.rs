//! Transactions in Rust: many calls committed together, a failing call that undoes only itself.
#![allow(clippy::print_stdout)] // an example prints its tour

use crmlite::customer::NewCustomer;
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Error, ErrorKind};

fn main() -> crmlite::Result<()> {
    let crm = crmlite::open(":memory:")?;
    // Every call in the closure runs in one transaction: committed when it returns Ok,
    // rolled back when it returns Err.
    let added = crm.transaction(|crm| {
        let mut ids = Vec::new();
        for name in [
            "Արմեն Սարգսյան",
            "ნინო ბერიძე",
            "Γιώργος Παπαδόπουλος",
            "مریم احمدی",
        ] {
            let c = crm.add_customer(
                &NewCustomer::person(name).external_code(format!("C-{}", ids.len())),
            )?;
            crm.add_timeline_entry(&NewTimelineEntry::new(
                c.id,
                InteractionKind::Note,
                "imported",
            ))?;
            ids.push(c.id);
        }
        // A call that fails undoes only its own changes; the transaction goes on.
        if let Err(e @ Error::Conflict(_)) =
            crm.add_customer(&NewCustomer::person("Anna").external_code("C-0"))
        {
            println!("skipped: {e}");
        }
        Ok(ids)
    })?;
    println!("committed {} customers", added.len());

    // Or by hand: begin, then commit or roll back (dropping the handle rolls back too).
    crm.begin_transaction()?;
    crm.add_customer(&NewCustomer::person("Temporary"))?;
    crm.rollback_transaction()?;
    let count = crm.list_customers(None, 100)?.items.len();
    println!("{count} customers after the rollback");
    assert_eq!(count, 4);
    // Transactions do not nest: a second begin is a validation error on `transaction`.
    crm.begin_transaction()?;
    if let Err(e) = crm.begin_transaction() {
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::Validation, Some("transaction"))
        );
        println!("refused: {e}");
    }
    crm.commit_transaction()?;
    Ok(())
}
