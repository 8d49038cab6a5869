//! A first tour of crmlite in Rust: customers in several scripts, search, timeline, change feed.
#![allow(clippy::print_stdout)] // an example prints its tour

use crmlite::customer::NewCustomer;
use crmlite::timeline::{InteractionKind, NewTimelineEntry};

fn main() -> crmlite::Result<()> {
    let crm = crmlite::OpenOptions::new()
        .default_region("GE")
        .open(":memory:")?;

    let nino = crm.add_customer(
        &NewCustomer::person("ᲜᲘᲜᲝ ბერიძე")
            .phone("599 12 34 56")
            .email("nino@example.ge")
            .language("ka")
            .tag("vip"),
    )?;
    let shop =
        crm.add_customer(&NewCustomer::organisation("ავეჯის სახლი").external_code("ORG-17"))?;
    crm.link_customer(nino.id, shop.id, "buyer")?;
    crm.add_customer(&NewCustomer::person("Γιώργος Παπαδόπουλος").phone("+30 210 1234567"))?;

    // Case, accents and letter variants do not matter; a phone fragment is enough.
    for query in ["ნინო", "γιωργος", "1234567"] {
        let names: Vec<String> = crm
            .search_customers(query, 10)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        println!("search {query:?}: {names:?}");
    }

    crm.add_timeline_entry(&NewTimelineEntry::new(
        nino.id,
        InteractionKind::Call,
        "Asked about a sofa delivery",
    ))?;
    for entry in crm.timeline(shop.id, None, 10)?.items {
        println!(
            "timeline of {}: [{}] {}",
            shop.name,
            entry.kind.as_str(),
            entry.summary
        );
    }

    for change in crm.changes_since(0, 100)? {
        println!(
            "change {}: {} {} {}",
            change.seq,
            change.op.as_str(),
            change.entity,
            change.entity_id
        );
    }
    Ok(())
}
