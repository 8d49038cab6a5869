//! Model-based state-machine test over the broader API: customers (with stale-version and
//! duplicate-code conflicts), deals (moves, won, lost, stale versions, closed deals), orders
//! with their points accrual, keyed redemptions (replays and reused keys), and the outbox
//! (queue, claim, ack, a wrong token, a second ack), with the store closed and reopened at
//! random. Each step runs against crmlite and against a plain in-memory model; after every step
//! the replies must agree (same value or same error kind), the observable state must equal the
//! model's, and `verify()` must pass.
//!
//! `CRMLITE_MODEL_CASES` sets the number of cases (default 24, each up to 60 steps).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)] // test code: the case count comes from the environment

mod support;

use crmlite::automation::{
    Channel, MessageStatus, NewMessage, NewTemplate, Purpose, TemplateFormat, TemplateKind,
};
use crmlite::customer::{CustomerPatch, NewCustomer};
use crmlite::deal::{NewDeal, NewPipeline, NewStage, StageKind, StageMove};
use crmlite::loyalty::{Earn, NewEarnRule, NewProgram};
use crmlite::sales::{NewOrder, NewOrderLine};
use crmlite::{
    CardId, Crm, Currency, CustomerId, DealId, ErrorKind, LostReasonId, MessageId, Money,
    OpenOptions, PipelineId, StageId, Synchronous,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use support::{TestDb, fixed};

const NAMES: &[&str] = &[
    "Արամ Սարգսյան",
    "ნინო ბერიძე",
    "Γιώργος Παπαδόπουλος",
    "مریم احمدی",
    "Ελένη",
];

#[derive(Clone, Debug)]
enum Step {
    AddCustomer {
        name: usize,
        code: Option<u8>,
    },
    UpdateCustomer {
        pick: usize,
        stale: bool,
        name: usize,
    },
    AddDeal {
        pick: usize,
    },
    MoveDeal {
        pick: usize,
        stage: usize,
        stale: bool,
    },
    Won {
        pick: usize,
    },
    Lost {
        pick: usize,
    },
    Order {
        quantity: i64,
        price_units: i64,
    },
    Redeem {
        points: i64,
        key: Option<u8>,
    },
    Queue,
    Claim {
        n: u32,
    },
    Ack {
        pick: usize,
        wrong: bool,
    },
    Reopen,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..NAMES.len(), prop::option::of(0u8..4)).prop_map(|(name, code)| Step::AddCustomer { name, code }),
        2 => (any::<usize>(), prop::bool::weighted(0.2), 0..NAMES.len())
            .prop_map(|(pick, stale, name)| Step::UpdateCustomer { pick, stale, name }),
        2 => any::<usize>().prop_map(|pick| Step::AddDeal { pick }),
        2 => (any::<usize>(), 0usize..2, prop::bool::weighted(0.2))
            .prop_map(|(pick, stage, stale)| Step::MoveDeal { pick, stage, stale }),
        1 => any::<usize>().prop_map(|pick| Step::Won { pick }),
        1 => any::<usize>().prop_map(|pick| Step::Lost { pick }),
        3 => (1i64..4, 1i64..40).prop_map(|(quantity, price_units)| Step::Order { quantity, price_units }),
        3 => (1i64..60, prop::option::of(0u8..5)).prop_map(|(points, key)| Step::Redeem { points, key }),
        2 => Just(Step::Queue),
        2 => (1u32..4).prop_map(|n| Step::Claim { n }),
        2 => (any::<usize>(), prop::bool::weighted(0.2)).prop_map(|(pick, wrong)| Step::Ack { pick, wrong }),
        1 => Just(Step::Reopen),
    ]
}

/// What a call answered: a value to compare, or the kind of error.
type Reply = Result<Vec<i64>, ErrorKind>;

#[derive(Clone, Debug, PartialEq)]
struct ModelCustomer {
    name: String,
    version: i64,
    code: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct ModelDeal {
    stage: usize,
    status: StageKind,
    version: i64,
}

#[derive(Clone, Debug, PartialEq)]
struct ModelMessage {
    status: MessageStatus,
    token: Option<String>,
}

/// The model: plain maps, no SQL.
#[derive(Default)]
struct Model {
    customers: BTreeMap<CustomerId, ModelCustomer>,
    deals: BTreeMap<DealId, ModelDeal>,
    balance: i64,
    /// key -> (points, reply)
    keys: BTreeMap<u8, (i64, Reply)>,
    messages: BTreeMap<MessageId, ModelMessage>,
}

/// The fixed records: one loyalty customer with a card, a pipeline, a template.
struct World {
    owner: CustomerId,
    card: CardId,
    pipeline: PipelineId,
    stages: Vec<StageId>,
    reason: LostReasonId,
}

fn open(db: &TestDb) -> Crm {
    db.open_with(
        OpenOptions::new().synchronous(Synchronous::Normal),
        Some(fixed()),
    )
}

fn setup(crm: &Crm, model: &mut Model) -> World {
    let owner = crm
        .add_customer(&NewCustomer::person("Աննա Հակոբյան").phone("+374 10 123456"))
        .unwrap();
    model.customers.insert(
        owner.id,
        ModelCustomer {
            name: owner.name.clone(),
            version: owner.version,
            code: None,
        },
    );
    let program = crm
        .create_program(&NewProgram::new("Բոնուս", "AMD", 1))
        .unwrap();
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "1 per 100",
        Earn::PerAmount {
            points: 1,
            per: 100,
        },
    ))
    .unwrap();
    let card = crm.open_card(program.id, owner.id, None).unwrap().id;
    let pipeline = crm
        .add_pipeline(&NewPipeline::new(
            "Վաճառք",
            vec![
                NewStage::open("Զանգ", 10),
                NewStage::open("Առաջարկ", 50),
                NewStage::won("Շահած"),
                NewStage::lost("Կորցրած"),
            ],
        ))
        .unwrap();
    let reason = crm.seed_lost_reasons(&["Թանկ է"]).unwrap()[0].id;
    crm.save_template(&NewTemplate::new(
        "note",
        TemplateKind::Sms,
        TemplateFormat::Text,
        "Բարև, {{ customer.first_name }}",
    ))
    .unwrap();
    World {
        owner: owner.id,
        card,
        pipeline: pipeline.id,
        stages: pipeline.stages.iter().map(|s| s.id).collect(),
        reason,
    }
}

fn kind<T>(r: crmlite::Result<T>) -> Result<T, ErrorKind> {
    r.map_err(|e| e.kind())
}

fn nth<K: Copy, V>(map: &BTreeMap<K, V>, pick: usize) -> Option<K> {
    (!map.is_empty()).then(|| *map.keys().nth(pick % map.len()).unwrap())
}

/// Runs `step` on both sides and returns (crmlite's reply, the model's reply).
fn run(crm: &mut Crm, db: &TestDb, w: &World, m: &mut Model, step: &Step) -> (Reply, Reply) {
    match *step {
        Step::AddCustomer { name, code } => {
            let code = code.map(|c| format!("Կ-{c}"));
            let mut new = NewCustomer::person(NAMES[name]);
            if let Some(c) = &code {
                new = new.external_code(c.clone());
            }
            let got = kind(crm.add_customer(&new)).map(|c| vec![c.id.0, c.version]);
            let taken = code.is_some() && m.customers.values().any(|c| c.code == code);
            let want = if taken {
                Err(ErrorKind::Conflict)
            } else {
                let id = got.as_ref().map_or(CustomerId(-1), |v| CustomerId(v[0]));
                m.customers.insert(
                    id,
                    ModelCustomer {
                        name: NAMES[name].to_owned(),
                        version: 1,
                        code,
                    },
                );
                Ok(vec![id.0, 1])
            };
            (got, want)
        }
        Step::UpdateCustomer { pick, stale, name } => {
            let id = nth(&m.customers, pick).unwrap();
            let c = m.customers.get_mut(&id).unwrap();
            let version = if stale { c.version - 1 } else { c.version };
            let patch = CustomerPatch {
                name: Some(NAMES[name].to_owned()),
                ..CustomerPatch::default()
            };
            let got = kind(crm.update_customer(id, version, &patch)).map(|c| vec![c.version]);
            let want = if stale {
                Err(ErrorKind::Conflict)
            } else {
                c.version += 1;
                c.name = NAMES[name].to_owned();
                Ok(vec![c.version])
            };
            (got, want)
        }
        Step::AddDeal { pick } => {
            let customer = nth(&m.customers, pick).unwrap();
            let amount = Money::new(50_000, Currency::parse("AMD", "amount").unwrap());
            let new = NewDeal::new(w.pipeline, "Կահույք")
                .customer(customer)
                .amount(amount);
            let got = kind(crm.add_deal(&new)).map(|d| vec![d.id.0, d.version]);
            if let Ok(v) = &got {
                m.deals.insert(
                    DealId(v[0]),
                    ModelDeal {
                        stage: 0,
                        status: StageKind::Open,
                        version: v[1],
                    },
                );
            }
            (got.clone(), got.map(|v| vec![v[0], 1]))
        }
        Step::MoveDeal { pick, stage, stale } => {
            let Some(id) = nth(&m.deals, pick) else {
                return (Ok(vec![]), Ok(vec![]));
            };
            let d = m.deals.get_mut(&id).unwrap();
            let version = if stale { d.version + 1 } else { d.version };
            let got = kind(crm.move_deal(id, version, &StageMove::to(w.stages[stage], "Արամ")))
                .map(|d| vec![d.version]);
            let want = if stale || d.status != StageKind::Open {
                Err(ErrorKind::Conflict)
            } else if d.stage == stage {
                Err(ErrorKind::Validation)
            } else {
                d.stage = stage;
                d.version += 1;
                Ok(vec![d.version])
            };
            (got, want)
        }
        Step::Won { pick } | Step::Lost { pick } => {
            let Some(id) = nth(&m.deals, pick) else {
                return (Ok(vec![]), Ok(vec![]));
            };
            let d = m.deals.get_mut(&id).unwrap();
            let won = matches!(step, Step::Won { .. });
            let got = if won {
                kind(crm.mark_won(id, d.version, "Արամ"))
            } else {
                kind(crm.mark_lost(id, d.version, Some(w.reason), "", "Արամ"))
            }
            .map(|d| vec![d.version]);
            let want = if d.status != StageKind::Open {
                Err(ErrorKind::Conflict)
            } else {
                d.stage = if won { 2 } else { 3 };
                d.status = if won { StageKind::Won } else { StageKind::Lost };
                d.version += 1;
                Ok(vec![d.version])
            };
            (got, want)
        }
        Step::Order {
            quantity,
            price_units,
        } => {
            let order = NewOrder::new(w.owner, "AMD").line(NewOrderLine::new(
                "Հաց",
                quantity,
                price_units * 100,
            ));
            let got = kind(crm.record_order(&order)).map(|_| vec![]);
            m.balance += quantity * price_units;
            (got, Ok(vec![]))
        }
        Step::Redeem { points, key } => {
            let key_text = key.map(|k| format!("till-{k}"));
            let got = kind(crm.redeem_points(w.card, points, None, key_text.as_deref()))
                .map(|r| vec![-r.entry.points.abs()]);
            let want = match key.and_then(|k| m.keys.get(&k)) {
                Some((p, _)) if *p != points => Err(ErrorKind::Conflict),
                Some((_, reply)) => reply.clone(),
                None => {
                    let reply = if points > m.balance {
                        Err(ErrorKind::Validation)
                    } else {
                        m.balance -= points;
                        Ok(vec![-points])
                    };
                    if let Some(k) = key {
                        m.keys.insert(k, (points, reply.clone()));
                    }
                    reply
                }
            };
            (got, want)
        }
        Step::Queue => {
            let got = kind(crm.queue_message(&NewMessage::new(
                w.owner,
                Channel::Sms,
                Purpose::Service,
                "note",
            )))
            .map(|msg| vec![msg.id.0]);
            if let Ok(v) = &got {
                m.messages.insert(
                    MessageId(v[0]),
                    ModelMessage {
                        status: MessageStatus::Pending,
                        token: None,
                    },
                );
            }
            (got.clone(), got)
        }
        Step::Claim { n } => {
            let claims = kind(crm.claim_messages(n, 3_600_000));
            let want: Vec<i64> = m
                .messages
                .iter()
                .filter(|(_, msg)| msg.status == MessageStatus::Pending)
                .take(n as usize)
                .map(|(id, _)| id.0)
                .collect();
            let got = claims.map(|cs| {
                for c in &cs {
                    if let Some(msg) = m.messages.get_mut(&c.message.id) {
                        msg.status = MessageStatus::Claimed;
                        msg.token = Some(c.token.clone());
                    }
                }
                cs.iter().map(|c| c.message.id.0).collect()
            });
            (got, Ok(want))
        }
        Step::Ack { pick, wrong } => {
            let Some(id) = nth(&m.messages, pick) else {
                return (Ok(vec![]), Ok(vec![]));
            };
            let msg = m.messages.get_mut(&id).unwrap();
            let token = match (&msg.token, wrong) {
                (Some(t), false) => t.clone(),
                (Some(t), true) => format!("{t}x"),
                (None, _) => "never-claimed".to_owned(),
            };
            let got = kind(crm.ack_message(id, &token)).map(|_| vec![]);
            let want = if wrong || msg.token.is_none() {
                Err(ErrorKind::Conflict)
            } else {
                msg.status = MessageStatus::Sent;
                Ok(vec![])
            };
            (got, want)
        }
        Step::Reopen => {
            *crm = open(db);
            (Ok(vec![]), Ok(vec![]))
        }
    }
}

/// The observable state equals the model's.
fn check_state(crm: &Crm, w: &World, m: &Model) -> Result<(), String> {
    for (id, c) in &m.customers {
        let got = crm
            .customer(*id)
            .map_err(|e| format!("customer {id}: {e}"))?;
        let seen = ModelCustomer {
            name: got.name.clone(),
            version: got.version,
            code: got.external_code.clone(),
        };
        if &seen != c {
            return Err(format!("customer {id}: {seen:?} != model {c:?}"));
        }
    }
    if crm.list_customers(None, 1000).unwrap().items.len() != m.customers.len() {
        return Err("customer count differs".into());
    }
    for (id, d) in &m.deals {
        let got = crm.deal(*id).map_err(|e| format!("deal {id}: {e}"))?;
        let seen = ModelDeal {
            stage: w.stages.iter().position(|s| *s == got.stage).unwrap_or(99),
            status: got.status,
            version: got.version,
        };
        if &seen != d {
            return Err(format!("deal {id}: {seen:?} != model {d:?}"));
        }
    }
    let b = crm.balance(w.card, 0).unwrap();
    if (b.available, b.ledger_sum) != (m.balance, m.balance) {
        return Err(format!("balance {b:?} != model {}", m.balance));
    }
    for (id, msg) in &m.messages {
        let got = crm.outbox_message(*id).unwrap();
        if got.status != msg.status || got.claim_token != msg.token {
            return Err(format!(
                "message {id}: {:?}/{:?} != model {msg:?}",
                got.status, got.claim_token
            ));
        }
    }
    let report = crm.verify().unwrap();
    if !report.ok() {
        return Err(format!(
            "verify: {:?}",
            report.failures().collect::<Vec<_>>()
        ));
    }
    Ok(())
}

fn run_case(steps: &[Step]) -> Result<(), TestCaseError> {
    let db = TestDb::new("api-model");
    let mut crm = open(&db);
    let mut model = Model::default();
    let world = setup(&crm, &mut model);
    for (i, step) in steps.iter().enumerate() {
        let (got, want) = run(&mut crm, &db, &world, &mut model, step);
        prop_assert_eq!(&got, &want, "step {} {:?}", i, step);
        check_state(&crm, &world, &model)
            .map_err(|e| TestCaseError::fail(format!("after step {i} {step:?}: {e}")))?;
    }
    drop(crm);
    db.remove();
    Ok(())
}

fn cases() -> u32 {
    std::env::var("CRMLITE_MODEL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_api_agrees_with_the_model(steps in prop::collection::vec(step(), 1..60)) {
        run_case(&steps)?;
    }
}

/// The model's own self-check: a store that lost one redemption's debit (written behind
/// crmlite's back, as a bug would) no longer agrees with the model.
#[test]
fn the_model_catches_a_balance_that_drifts() {
    let db = TestDb::new("api-model-canary");
    let crm = open(&db);
    let mut model = Model::default();
    let world = setup(&crm, &mut model);
    let mut crm = crm;
    for step in [
        Step::Order {
            quantity: 2,
            price_units: 30,
        },
        Step::Redeem {
            points: 10,
            key: Some(1),
        },
    ] {
        let (got, want) = run(&mut crm, &db, &world, &mut model, &step);
        assert_eq!(got, want);
    }
    check_state(&crm, &world, &model).unwrap();
    // The model believes in a redemption the store never saw: the check must say so.
    model.balance -= 5;
    let err = check_state(&crm, &world, &model).unwrap_err();
    assert!(err.contains("balance"), "{err}");
    // A customer renamed outside the model is caught too.
    let first = *model.customers.keys().next().unwrap();
    model.customers.get_mut(&first).unwrap().name = "Ուրիշ".into();
    model.balance += 5;
    assert!(check_state(&crm, &world, &model).is_err());
    drop(crm);
    db.remove();
}

/// A scripted walk through the model's error paths, so the random test is known to reach
/// them: each step's reply from crmlite is compared with the expected kind and the model.
#[test]
fn the_model_error_paths_are_real() {
    use ErrorKind::{Conflict, Validation};
    let db = TestDb::new("api-model-script");
    let mut crm = open(&db);
    let mut model = Model::default();
    let world = setup(&crm, &mut model);
    let script: Vec<(Step, Option<ErrorKind>)> = vec![
        (
            Step::AddCustomer {
                name: 1,
                code: Some(1),
            },
            None,
        ),
        (
            Step::AddCustomer {
                name: 2,
                code: Some(1),
            },
            Some(Conflict),
        ),
        (
            Step::UpdateCustomer {
                pick: 1,
                stale: true,
                name: 3,
            },
            Some(Conflict),
        ),
        (
            Step::UpdateCustomer {
                pick: 1,
                stale: false,
                name: 3,
            },
            None,
        ),
        (Step::AddDeal { pick: 0 }, None),
        (
            Step::MoveDeal {
                pick: 0,
                stage: 0,
                stale: false,
            },
            Some(Validation),
        ),
        (
            Step::MoveDeal {
                pick: 0,
                stage: 1,
                stale: true,
            },
            Some(Conflict),
        ),
        (
            Step::MoveDeal {
                pick: 0,
                stage: 1,
                stale: false,
            },
            None,
        ),
        (Step::Won { pick: 0 }, None),
        (Step::Lost { pick: 0 }, Some(Conflict)),
        (
            Step::Redeem {
                points: 5,
                key: Some(0),
            },
            Some(Validation),
        ),
        (
            Step::Order {
                quantity: 2,
                price_units: 10,
            },
            None,
        ),
        (
            Step::Redeem {
                points: 5,
                key: Some(0),
            },
            Some(Validation),
        ),
        (
            Step::Redeem {
                points: 6,
                key: Some(0),
            },
            Some(Conflict),
        ),
        (
            Step::Redeem {
                points: 5,
                key: Some(1),
            },
            None,
        ),
        (
            Step::Redeem {
                points: 5,
                key: Some(1),
            },
            None,
        ),
        (Step::Queue, None),
        (
            Step::Ack {
                pick: 0,
                wrong: false,
            },
            Some(Conflict),
        ),
        (Step::Claim { n: 2 }, None),
        (
            Step::Ack {
                pick: 0,
                wrong: true,
            },
            Some(Conflict),
        ),
        (Step::Reopen, None),
        (
            Step::Ack {
                pick: 0,
                wrong: false,
            },
            None,
        ),
        (
            Step::Ack {
                pick: 0,
                wrong: false,
            },
            None,
        ),
    ];
    for (i, (step, expected)) in script.iter().enumerate() {
        let (got, want) = run(&mut crm, &db, &world, &mut model, step);
        assert_eq!(got, want, "step {i} {step:?}");
        assert_eq!(got.err(), *expected, "step {i} {step:?}");
        check_state(&crm, &world, &model).unwrap();
    }
    assert_eq!(model.balance, 15);
    drop(crm);
    db.remove();
}
