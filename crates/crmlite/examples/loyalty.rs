//! A pharmacy bonus card in Yerevan: points per dram, a receipt sent twice, a return, a
//! redemption retried with the same key, and an expiry run.
#![allow(clippy::print_stdout)] // an example prints its tour

use crmlite::customer::NewCustomer;
use crmlite::loyalty::{Earn, ExpiryPolicy, NewEarnRule, NewProgram};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};

fn main() -> crmlite::Result<()> {
    let crm = crmlite::open(":memory:")?;
    // One point per 100 dram (10000 luma); a point is worth 1 dram; points expire on 1 January.
    let program = crm.create_program(
        &NewProgram::new("Դեղատուն Բոնուս", "AMD", 100).expiry(ExpiryPolicy::EndOfYear),
    )?;
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "per 100 dram",
        Earn::PerAmount {
            points: 1,
            per: 10_000,
        },
    ))?;
    let aram = crm.add_customer(&NewCustomer::person("Արամ Սարգսյան").phone("+374 10 123456"))?;
    let card = crm.open_card(program.id, aram.id, Some("ԴԵՂ-0001"))?;

    // The till sends the receipt twice after a network hiccup: it is recorded and awarded once.
    let receipt = NewOrder::new(aram.id, "AMD")
        .line(NewOrderLine::new("Պարացետամոլ", 2, 150_000))
        .line(NewOrderLine::new("Վիտամին C", 1, 300_000))
        .external_id("ՉԵԿ-0001");
    let order = crm.record_order(&receipt)?;
    crm.record_order(&receipt)?;
    println!(
        "after the receipt: {} points",
        crm.balance(card.id, 0)?.available
    );

    // A box comes back: the share of the points it earned is reversed.
    crm.record_return(&NewReturn::new(order.id).line(0, 1))?;
    println!(
        "after the return: {} points",
        crm.balance(card.id, 0)?.available
    );

    // A redemption retried with the same idempotency key spends once.
    for _ in 0..2 {
        crm.redeem_points(card.id, 20, None, Some("till-7/0001"))?;
    }
    let balance = crm.balance(card.id, 30)?;
    println!(
        "after redeeming: {} points worth {}",
        balance.available, balance.available_value
    );
    for entry in crm.points_history(card.id, None, 10)?.items {
        println!(
            "  {:<8} {:+} ({} {})",
            entry.kind.as_str(),
            entry.points,
            entry.source_kind,
            entry.source_ref
        );
    }
    Ok(())
}
