//! `crmlite loyalty ...`: programs, rules, tiers, cards, and the points ledger.

use clap::{Args, Subcommand};
use crmlite::loyalty::{
    Card, Earn, ExpiryPolicy, LedgerEntry, LineFilter, LoyaltyEvent, NewEarnRule, NewProgram,
    NewTier, Program, ReferralRole, ReversalPolicy, TierBasis,
};
use crmlite::{CardId, Crm, CustomerId, Error, Money, OrderId, ProgramId, Result, Timestamp};
use serde_json::json;

use crate::Context;
use crate::error::Failure;
use crate::output::{Output, Table, time};

/// The `loyalty` subcommands.
#[derive(Debug, Subcommand)]
pub enum LoyaltyCommand {
    /// List the programs with their tiers.
    Programs,
    /// Create a program.
    ProgramAdd(ProgramAddArgs),
    /// List a program's earn rules in evaluation order.
    Rules(ProgramArg),
    /// Add an earn rule to a program.
    RuleAdd(RuleAddArgs),
    /// Add a tier to a program.
    TierAdd(TierAddArgs),
    /// Open a customer's card in a program.
    CardOpen(CardOpenArgs),
    /// Award points on a card: for an order, an event, or by hand with a reason.
    Award(AwardArgs),
    /// Spend points from a card.
    Redeem(RedeemArgs),
    /// Show a card's balance.
    Balance(BalanceArgs),
    /// Show a card's ledger entries, newest first.
    History(HistoryArgs),
    /// Record the expiry of every lot whose time has come (at the global --now).
    Expire,
    /// Show a program's points issued, redeemed and expired in a period, and its liability.
    Metrics(MetricsArgs),
}

/// A program id argument.
#[derive(Debug, Args)]
pub struct ProgramArg {
    /// The program id.
    program: i64,
}

/// Arguments of `loyalty program-add`.
#[derive(Debug, Args)]
pub struct ProgramAddArgs {
    /// The program's name.
    name: String,
    /// ISO 4217 currency that earns points.
    #[arg(long)]
    currency: String,
    /// What one point is worth when redeemed (a decimal in the currency).
    #[arg(long, value_name = "AMOUNT")]
    point_value: String,
    /// never, end-of-month, end-of-year, or a number of days.
    #[arg(long, default_value = "never")]
    expiry: String,
    /// Days awarded points stay locked for the return window.
    #[arg(long, default_value_t = 0)]
    pending_days: u32,
    /// What a return does when the earned points were spent: refuse or clawback.
    #[arg(long, default_value = "clawback")]
    reversal: String,
    /// What tier thresholds measure: points or spend.
    #[arg(long, default_value = "points")]
    tiers_on: String,
    /// The rolling tier window in days.
    #[arg(long, default_value_t = 365)]
    tier_window_days: u32,
}

/// Arguments of `loyalty rule-add`.
#[derive(Debug, Args)]
pub struct RuleAddArgs {
    /// The program id.
    program: i64,
    /// The rule's name.
    #[arg(long)]
    name: String,
    /// per-amount:POINTS:PER (PER a decimal), per-order:N, per-unit:N, multiplier:PERCENT,
    /// signup:N, birthday:N, referral:N[:referrer|referred|both] or bonus:N.
    #[arg(long, value_name = "SPEC")]
    earn: String,
    /// Evaluation position (lower first).
    #[arg(long, default_value_t = 0)]
    position: i32,
    /// Only lines of this category; repeatable.
    #[arg(long = "category")]
    categories: Vec<String>,
    /// Only lines of this product; repeatable.
    #[arg(long = "product")]
    products: Vec<String>,
    /// Never lines of this product; repeatable.
    #[arg(long = "exclude-product")]
    exclude_products: Vec<String>,
    /// Only cards in this tier; repeatable.
    #[arg(long = "tier")]
    tiers: Vec<i64>,
    /// Evaluate no later rule once this one applied.
    #[arg(long)]
    stop: bool,
}

/// Arguments of `loyalty tier-add`.
#[derive(Debug, Args)]
pub struct TierAddArgs {
    /// The program id.
    program: i64,
    /// The tier's name.
    #[arg(long)]
    name: String,
    /// Points (whole number), or spend (a decimal) when the program's tiers are on spend.
    #[arg(long)]
    threshold: String,
}

/// Arguments of `loyalty card-open`.
#[derive(Debug, Args)]
pub struct CardOpenArgs {
    /// The program id.
    program: i64,
    /// The customer id.
    customer: i64,
    /// The card code (default PROGRAM-CUSTOMER).
    #[arg(long)]
    code: Option<String>,
}

/// Arguments of `loyalty award`.
#[derive(Debug, Args)]
pub struct AwardArgs {
    /// The card code or id.
    card: String,
    /// Award the points this order earns (at most once per order).
    #[arg(long, conflicts_with_all = ["event", "points"])]
    order: Option<i64>,
    /// Award an event: signup, birthday:YEAR, bonus:RULE, or referral:CUSTOMER[:ROLE] where
    /// ROLE is referrer (the default: this card's customer brought CUSTOMER in), referred, or
    /// both (also awards CUSTOMER's card in the same program as the referred side).
    #[arg(long, conflicts_with = "points")]
    event: Option<String>,
    /// Add (or with a minus sign take) points by hand; needs --reason.
    #[arg(long, allow_hyphen_values = true, requires = "reason")]
    points: Option<i64>,
    /// Why, for points given by hand.
    #[arg(long)]
    reason: Option<String>,
    /// Idempotency key: retrying with the same key changes nothing.
    #[arg(long)]
    key: Option<String>,
}

/// Arguments of `loyalty redeem`.
#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// The card code or id.
    card: String,
    /// Points to spend.
    points: i64,
    /// The order they pay for.
    #[arg(long)]
    order: Option<i64>,
    /// Idempotency key: retrying with the same key changes nothing.
    #[arg(long)]
    key: Option<String>,
}

/// Arguments of `loyalty balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// The card code or id.
    card: String,
    /// Also count the points that expire within this many days.
    #[arg(long, default_value_t = 30)]
    within_days: u32,
}

/// Arguments of `loyalty history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The card code or id.
    card: String,
    /// The `next` cursor of the previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Page size.
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

/// Arguments of `loyalty metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// The program id.
    program: i64,
    /// Start of the period (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    from: String,
    /// End of the period (RFC 3339, exclusive).
    #[arg(long, value_name = "RFC3339")]
    until: String,
}

/// A card by code, or by id when no card has that code and it is a number.
pub fn find_card(crm: &Crm, card: &str) -> Result<Card> {
    match crm.card_by_code(card) {
        Err(Error::NotFound { .. }) => match card.trim().parse::<i64>() {
            Ok(id) => crm.card(CardId(id)),
            Err(_) => crm.card_by_code(card),
        },
        other => other,
    }
}

fn positive(value: &str, field: &str) -> Result<i64> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::validation(field, "must be a whole number"))
}

fn parse_earn(spec: &str, program: &Program) -> Result<Earn> {
    let parts: Vec<&str> = spec.split(':').collect();
    let n = |i: usize| -> Result<i64> { positive(parts.get(i).copied().unwrap_or(""), "earn") };
    Ok(match parts.first().copied().unwrap_or("") {
        "per-amount" => {
            let per = Money::parse(
                parts.get(2).copied().unwrap_or(""),
                program.currency,
                "earn",
            )?;
            Earn::PerAmount {
                points: n(1)?,
                per: per.minor,
            }
        }
        "per-order" => Earn::PerOrder { points: n(1)? },
        "per-unit" => Earn::PerUnit { points: n(1)? },
        "multiplier" => Earn::Multiplier { percent: n(1)? },
        "signup" => Earn::Signup { points: n(1)? },
        "birthday" => Earn::Birthday { points: n(1)? },
        "referral" => Earn::Referral {
            points: n(1)?,
            role: match parts.get(2).copied().unwrap_or("both") {
                "referrer" => ReferralRole::Referrer,
                "referred" => ReferralRole::Referred,
                "both" => ReferralRole::Both,
                _ => {
                    return Err(Error::validation(
                        "earn",
                        "role must be referrer, referred or both",
                    ));
                }
            },
        },
        "bonus" => Earn::Bonus { points: n(1)? },
        _ => {
            return Err(Error::validation(
                "earn",
                "must be per-amount:POINTS:PER, per-order:N, per-unit:N, multiplier:PERCENT, \
                 signup:N, birthday:N, referral:N[:ROLE] or bonus:N",
            ));
        }
    })
}

/// Runs one `loyalty` subcommand.
pub fn run(ctx: &Context, out: &mut Output, cmd: LoyaltyCommand) -> Result<(), Failure> {
    let crm = ctx.open()?;
    match cmd {
        LoyaltyCommand::Programs => programs(&crm, out),
        LoyaltyCommand::ProgramAdd(args) => {
            let currency = crmlite::Currency::parse(&args.currency, "currency")?;
            let value = Money::parse(&args.point_value, currency, "point_value")?;
            let mut new = NewProgram::new(args.name, currency.code(), value.minor)
                .pending_days(args.pending_days)
                .expiry(match args.expiry.as_str() {
                    "never" => ExpiryPolicy::Never,
                    "end-of-month" => ExpiryPolicy::EndOfMonth,
                    "end-of-year" => ExpiryPolicy::EndOfYear,
                    days => ExpiryPolicy::AfterDays {
                        days: days.parse().map_err(|_| {
                            Error::validation(
                                "expiry",
                                "must be never, end-of-month, end-of-year or days",
                            )
                        })?,
                    },
                })
                .reversal(match args.reversal.as_str() {
                    "refuse" => ReversalPolicy::Refuse,
                    "clawback" => ReversalPolicy::Clawback,
                    _ => {
                        return Err(
                            Error::validation("reversal", "must be refuse or clawback").into()
                        );
                    }
                });
            let basis = match args.tiers_on.as_str() {
                "points" => TierBasis::PointsEarned,
                "spend" => TierBasis::Spend,
                _ => return Err(Error::validation("tiers_on", "must be points or spend").into()),
            };
            new = new.tiers_on(basis, args.tier_window_days);
            let program = crm.create_program(&new)?;
            if out.is_json() {
                return Ok(out.json(&program)?);
            }
            out.line(format!("created program #{} {}", program.id, program.name))?;
            Ok(())
        }
        LoyaltyCommand::Rules(args) => {
            let rules = crm.earn_rules(ProgramId(args.program))?;
            if out.is_json() {
                return Ok(out.json(&rules)?);
            }
            let mut table = Table::new(&["ID", "POS", "NAME", "EARN", "STOP"])
                .right(0)
                .right(1);
            for r in &rules {
                let earn = serde_json::to_string(&r.rule.earn).unwrap_or_default();
                table.row(vec![
                    r.id.to_string(),
                    r.rule.position.to_string(),
                    r.rule.name.clone(),
                    earn,
                    if r.rule.stop {
                        "stop".into()
                    } else {
                        String::new()
                    },
                ]);
            }
            Ok(out.table(&table)?)
        }
        LoyaltyCommand::RuleAdd(args) => {
            let program = crm.program(ProgramId(args.program))?;
            let filter = LineFilter::default()
                .categories(args.categories)
                .products(args.products)
                .exclude_products(args.exclude_products);
            let mut rule =
                NewEarnRule::new(program.id, args.name, parse_earn(&args.earn, &program)?)
                    .position(args.position)
                    .filter(filter)
                    .tiers(args.tiers.into_iter().map(crmlite::TierId).collect());
            if args.stop {
                rule = rule.stop();
            }
            let rule = crm.add_earn_rule(&rule)?;
            if out.is_json() {
                return Ok(out.json(&rule)?);
            }
            out.line(format!("added rule #{} {}", rule.id, rule.rule.name))?;
            Ok(())
        }
        LoyaltyCommand::TierAdd(args) => {
            let program = crm.program(ProgramId(args.program))?;
            let threshold = match program.tier_basis {
                TierBasis::PointsEarned => positive(&args.threshold, "threshold")?,
                TierBasis::Spend => {
                    Money::parse(&args.threshold, program.currency, "threshold")?.minor
                }
            };
            let tier = crm.add_tier(&NewTier::new(program.id, args.name, threshold))?;
            if out.is_json() {
                return Ok(out.json(&tier)?);
            }
            out.line(format!("added tier #{} {}", tier.id, tier.name))?;
            Ok(())
        }
        LoyaltyCommand::CardOpen(args) => {
            let card = crm.open_card(
                ProgramId(args.program),
                CustomerId(args.customer),
                args.code.as_deref(),
            )?;
            if out.is_json() {
                return Ok(out.json(&card)?);
            }
            out.line(format!(
                "opened card {} (#{}) for customer #{}",
                card.code, card.id, card.customer
            ))?;
            Ok(())
        }
        LoyaltyCommand::Award(args) => {
            let card = find_card(&crm, &args.card)?;
            let key = args.key.as_deref();
            let entry = if let Some(order) = args.order {
                crm.award_order(card.id, OrderId(order), key)?
            } else if let Some(event) = &args.event {
                let (event, both) = parse_event(event)?;
                if let (true, LoyaltyEvent::Referral { other, .. }) = (both, &event) {
                    let theirs = crm.card_for(card.program, *other)?;
                    let referred = LoyaltyEvent::Referral {
                        other: card.customer,
                        role: ReferralRole::Referred,
                    };
                    let their_key = key.map(|k| format!("{k}/referred"));
                    let e = crm.award_event(theirs.id, &referred, their_key.as_deref())?;
                    if !out.is_json() {
                        out.line(format!(
                            "{:+} points on card {} (award)",
                            e.points, theirs.code
                        ))?;
                    }
                }
                crm.award_event(card.id, &event, key)?
            } else if let Some(points) = args.points {
                crm.adjust_points(card.id, points, args.reason.as_deref().unwrap_or(""), key)?
            } else {
                return Err(Error::validation("award", "give --order, --event or --points").into());
            };
            if out.is_json() {
                return Ok(out.json(&entry)?);
            }
            out.line(format!(
                "{:+} points on card {} ({})",
                entry.points,
                card.code,
                entry.kind.as_str()
            ))?;
            Ok(())
        }
        LoyaltyCommand::Redeem(args) => {
            let card = find_card(&crm, &args.card)?;
            let r = crm.redeem_points(
                card.id,
                args.points,
                args.order.map(OrderId),
                args.key.as_deref(),
            )?;
            if out.is_json() {
                return Ok(out.json(&r)?);
            }
            let value = r.value.map(|v| format!(" worth {v}")).unwrap_or_default();
            out.line(format!(
                "redeemed {} points{value} from card {}",
                -r.entry.points, card.code
            ))?;
            Ok(())
        }
        LoyaltyCommand::Balance(args) => {
            let card = find_card(&crm, &args.card)?;
            let b = crm.balance(card.id, args.within_days)?;
            if out.is_json() {
                return Ok(out.json(&json!({ "card": card, "balance": b }))?);
            }
            out.line(format!("card {} of customer #{}", card.code, card.customer))?;
            out.fields(
                2,
                &[
                    (
                        "available",
                        format!("{} ({})", b.available, b.available_value),
                    ),
                    ("pending", b.pending.to_string()),
                    ("total", b.total.to_string()),
                    (
                        &format!("expiring in {} days", args.within_days),
                        b.expiring.to_string(),
                    ),
                    ("awaiting expiry", b.awaiting_expiry.to_string()),
                ],
            )?;
            Ok(())
        }
        LoyaltyCommand::History(args) => {
            let card = find_card(&crm, &args.card)?;
            let page = crm.points_history(card.id, args.cursor.as_deref(), args.limit)?;
            if out.is_json() {
                return Ok(out.json(&page)?);
            }
            print_history(out, &page.items)?;
            if let Some(next) = page.next {
                out.line(format!("older entries: --cursor {next}"))?;
            }
            Ok(())
        }
        LoyaltyCommand::Expire => {
            let run = crm.expire_points(ctx.now())?;
            if out.is_json() {
                return Ok(out.json(&run)?);
            }
            out.line(format!(
                "expired {} points from {} lots",
                run.points, run.lots
            ))?;
            Ok(())
        }
        LoyaltyCommand::Metrics(args) => {
            let from = Timestamp::parse_rfc3339(&args.from, "from")?;
            let until = Timestamp::parse_rfc3339(&args.until, "until")?;
            let m = crm.program_metrics(ProgramId(args.program), from, until)?;
            if out.is_json() {
                return Ok(out.json(&m)?);
            }
            out.fields(
                0,
                &[
                    ("issued", m.issued.to_string()),
                    ("redeemed", m.redeemed.to_string()),
                    ("expired", m.expired.to_string()),
                    ("reversed", m.reversed.to_string()),
                    ("pending now", m.pending.to_string()),
                    ("outstanding now", m.outstanding.to_string()),
                    ("liability now", m.liability.to_string()),
                ],
            )?;
            Ok(())
        }
    }
}

/// An event named on the command line, and whether a referral is for both sides.
fn parse_event(spec: &str) -> Result<(LoyaltyEvent, bool)> {
    let (kind, arg) = spec.split_once(':').unwrap_or((spec, ""));
    if kind == "referral" {
        let bad = || Error::validation("event", "referral:CUSTOMER[:referrer|referred|both]");
        let (other, role) = arg.split_once(':').unwrap_or((arg, "referrer"));
        let other = CustomerId(other.parse().map_err(|_| bad())?);
        let (role, both) = match role {
            "referrer" => (ReferralRole::Referrer, false),
            "referred" => (ReferralRole::Referred, false),
            "both" => (ReferralRole::Referrer, true),
            _ => return Err(bad()),
        };
        return Ok((LoyaltyEvent::Referral { other, role }, both));
    }
    let event = match kind {
        "signup" => LoyaltyEvent::Signup,
        "birthday" => LoyaltyEvent::Birthday {
            year: arg
                .parse()
                .map_err(|_| Error::validation("event", "birthday:YEAR"))?,
        },
        "bonus" => LoyaltyEvent::Bonus {
            rule: crmlite::RuleId(
                arg.parse()
                    .map_err(|_| Error::validation("event", "bonus:RULE"))?,
            ),
        },
        _ => {
            return Err(Error::validation(
                "event",
                "must be signup, birthday:YEAR, bonus:RULE or referral:CUSTOMER[:ROLE]",
            ));
        }
    };
    Ok((event, false))
}

fn programs(crm: &Crm, out: &mut Output) -> Result<(), Failure> {
    let programs = crm.programs()?;
    let mut rows = Vec::with_capacity(programs.len());
    for p in programs {
        let tiers = crm.tiers(p.id)?;
        rows.push((p, tiers));
    }
    if out.is_json() {
        let items: Vec<_> = rows
            .iter()
            .map(|(p, t)| json!({ "program": p, "tiers": t }))
            .collect();
        return Ok(out.json(&items)?);
    }
    if rows.is_empty() {
        out.line("no programs")?;
        return Ok(());
    }
    let mut table = Table::new(&["ID", "NAME", "CURRENCY", "POINT", "EXPIRY", "TIERS"]).right(0);
    for (p, tiers) in &rows {
        let names: Vec<&str> = tiers.iter().map(|t| t.name.as_str()).collect();
        table.row(vec![
            p.id.to_string(),
            p.name.clone(),
            p.currency.code().to_owned(),
            p.point_value.to_decimal_string(),
            serde_json::to_value(p.expiry)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_owned)))
                .unwrap_or_default(),
            names.join(", "),
        ]);
    }
    Ok(out.table(&table)?)
}

/// Prints ledger entries as a table.
pub fn print_history(out: &mut Output, entries: &[LedgerEntry]) -> Result<(), Failure> {
    let mut table = Table::new(&["ID", "WHEN", "KIND", "POINTS", "SOURCE", "EXPIRES"])
        .right(0)
        .right(3)
        .indent(2);
    for e in entries {
        let source = if e.source_ref.is_empty() {
            e.source_kind.clone()
        } else {
            format!("{} {}", e.source_kind, e.source_ref)
        };
        table.row(vec![
            e.id.to_string(),
            time(e.at),
            e.kind.as_str().to_owned(),
            format!("{:+}", e.points),
            source,
            e.expires_at.map(time).unwrap_or_default(),
        ]);
    }
    Ok(out.table(&table)?)
}
