//! Deals in Rust: the Tbilisi furniture dealer's pipeline, a deal with line items, a forecast.
#![allow(clippy::print_stdout)] // an example prints its tour

use crmlite::customer::NewCustomer;
use crmlite::deal::report::ForecastBy;
use crmlite::deal::{NewDeal, NewDealLine, NewPipeline, StageMove, parse_stage_list};
use crmlite::{Currency, Money};

fn main() -> crmlite::Result<()> {
    let crm = crmlite::open(":memory:")?;
    // Stages as a company writes them once: name | probability | kind | rot after days.
    let stages = parse_stage_list(
        "პირველი ზარი | 10 | open | 7\nშოურუმის ვიზიტი | 25\nაზომვა | 40\nშეთავაზება | 60 | open | 10\n\
         ხელშეკრულება | 80\nმიწოდება | 90\nმოგებული | 100 | won\nწაგებული | 0 | lost",
    )?;
    let pipeline = crm.add_pipeline(&NewPipeline::new("ავეჯი", stages))?;
    crm.seed_lost_reasons(&["ძვირია", "კონკურენტი"])?;

    let nino = crm.add_customer(&NewCustomer::person("ნინო ბერიძე").phone("+995 599 12 34 56"))?;
    let gel = Currency::parse("GEL", "currency")?;
    let deal = crm.add_deal(
        &NewDeal::new(pipeline.id, "სამზარეულოს ავეჯი")
            .customer(nino.id)
            .owner("გიორგი")
            // 4.5 m of worktop at 320.00 GEL with 5 % off, and one sink.
            .line(
                NewDealLine::new("სამუშაო ზედაპირი", 4500, Money::new(32_000, gel))
                    .discount_bp(500),
            )
            .line(NewDealLine::new("ნიჟარა", 1000, Money::new(45_000, gel))),
    )?;
    println!("{}: {} at {} %", deal.title, deal.amount, deal.probability);

    let quote = pipeline
        .stages
        .get(3)
        .map(|s| s.id)
        .ok_or(crmlite::Error::not_found(crmlite::EntityKind::Stage, 3))?;
    let deal = crm.move_deal(deal.id, deal.version, &StageMove::to(quote, "გიორგი"))?;
    println!("moved to the quote stage: {} %", deal.probability);
    for row in crm.forecast(ForecastBy::Owner, None)? {
        println!(
            "forecast for {}: {} deal(s), {} weighted",
            row.group, row.deals, row.weighted
        );
    }
    let won = crm.mark_won(deal.id, deal.version, "გიორგი")?;
    println!(
        "won: {} %, history of {} moves",
        won.probability,
        crm.deal_history(won.id)?.len()
    );
    Ok(())
}
