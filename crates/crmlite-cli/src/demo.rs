//! `crmlite demo DB`: fills an empty database with realistic customers in five scripts and
//! prints a short tour of what crmlite does with them.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use crmlite::customer::{AttributeValue, CustomerKind, NewCustomer};
use crmlite::loyalty::{
    Earn, ExpiryPolicy, NewEarnRule, NewProgram, NewTier, ReversalPolicy, TierBasis,
};
use crmlite::sales::{NewOrder, NewOrderLine, NewReturn};
use crmlite::timeline::{InteractionKind, NewTimelineEntry};
use crmlite::{Crm, Currency, CustomerId, Error, Money, Result, Timestamp};
use serde_json::json;

use crate::error::Failure;
use crate::output::{Output, Table};
use crate::{Context, automation, changes, customers, demo_deals, demo_service, loyalty, timeline};

/// Arguments of `demo`. The global `--region` is not used: each batch of the demo data is
/// written through a handle opened with its own country's region.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The database file to fill (default: the global --db); it must hold no customers yet.
    db: Option<PathBuf>,
}

/// An organisation of the demo data.
struct OrgSeed {
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    tags: &'static [&'static str],
    credit_limit: &'static str,
    tax_id: &'static str,
}

/// A person of the demo data; `org` is an index into the batch's organisations and a role.
struct PersonSeed {
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    birthday: &'static str,
    tags: &'static [&'static str],
    org: Option<(usize, &'static str)>,
}

/// Customers of one country or script, entered with one default phone region.
struct Batch {
    /// Prefix of the external codes (`AM-P-01`).
    code: &'static str,
    /// Default region of the handle the batch is written through; `None`: numbers carry +country.
    region: Option<&'static str>,
    language: &'static str,
    currency: &'static str,
    /// Domain of the people's e-mail addresses.
    domain: &'static str,
    orgs: &'static [OrgSeed],
    people: &'static [PersonSeed],
    /// Interactions in the batch's language, handed out in turn.
    notes: &'static [(InteractionKind, &'static str)],
}

const fn org(
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    tags: &'static [&'static str],
    credit_limit: &'static str,
    tax_id: &'static str,
) -> OrgSeed {
    OrgSeed {
        name,
        phone,
        email,
        tags,
        credit_limit,
        tax_id,
    }
}

const fn person(
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    birthday: &'static str,
    tags: &'static [&'static str],
    org: Option<(usize, &'static str)>,
) -> PersonSeed {
    PersonSeed {
        name,
        phone,
        email,
        birthday,
        tags,
        org,
    }
}

use InteractionKind::{
    Call, Complaint, Email, Loyalty, Meeting, Note, Purchase, Sms, Survey, Visit,
};

const BATCHES: &[Batch] = &[
    Batch {
        code: "AM",
        region: Some("AM"),
        language: "hy",
        currency: "AMD",
        domain: "yerevan.example",
        orgs: &[
            org(
                "Արարատ Ֆարմ ՍՊԸ",
                "010 54-32-10",
                "info@araratpharm.example",
                &["pharmacy", "wholesale"],
                "5 000 000",
                "02587413",
            ),
            org(
                "Նաիրի Դեղատուն ՓԲԸ",
                "010 27-18-28",
                "office@nairi.example",
                &["pharmacy"],
                "1 500 000",
                "00912345",
            ),
        ],
        people: &[
            person(
                "Արամ Պետրոսյան",
                "077 12-34-56",
                "aram.petrosyan",
                "1979-04-12",
                &["vip"],
                Some((0, "director")),
            ),
            person(
                "ԼՈՒՍԻՆԵ ՊԵՏՐՈՍՅԱՆ",
                "091 23-45-67",
                "lusine.p",
                "1984-11-03",
                &["newsletter"],
                Some((0, "accountant")),
            ),
            person(
                "Անի Հովհաննիսյան",
                "093 34-56-78",
                "ani.hovhannisyan",
                "1992-02-28",
                &["newsletter", "vip"],
                None,
            ),
            person(
                "Տիգրան Մկրտչյան",
                "094 45-67-89",
                "tigran.m",
                "1988-07-19",
                &["wholesale"],
                Some((1, "buyer")),
            ),
            person(
                "Գոհար Սարգսյան",
                "095 56-78-90",
                "gohar.sargsyan",
                "1975-09-30",
                &[],
                Some((1, "director")),
            ),
            person(
                "Դավիթ Ավետիսյան",
                "098 67-89-01",
                "davit.avetisyan",
                "2000-01-15",
                &["newsletter"],
                None,
            ),
            person(
                "Նարե Գրիգորյան",
                "099 78-90-12",
                "nare.g",
                "1996-05-21",
                &[],
                None,
            ),
            person(
                "Սոնա Կարապետյան",
                "055 89-01-23",
                "sona.karapetyan",
                "1969-12-08",
                &["vip"],
                None,
            ),
        ],
        notes: &[
            (Call, "Զանգ՝ պատվերի կարգավիճակի մասին"),
            (Purchase, "Գնում՝ վիտամիններ և քսուք"),
            (Sms, "Ծննդյան շնորհավորանք և բոնուս"),
            (Visit, "Այցելեց Մաշտոցի պողոտայի դեղատուն"),
            (Complaint, "Դեղը բացակայում էր պահեստում"),
        ],
    },
    Batch {
        code: "GE",
        region: Some("GE"),
        language: "ka",
        currency: "GEL",
        domain: "tbilisi.example",
        orgs: &[
            org(
                "ავეჯის სახლი",
                "032 211 22 33",
                "sales@aveji.example",
                &["furniture", "wholesale"],
                "40 000",
                "404512378",
            ),
            org(
                "თბილისის ინტერიერი",
                "032 244 55 66",
                "info@interior.example",
                &["furniture"],
                "15 000",
                "405998812",
            ),
        ],
        people: &[
            person(
                "ნინო ბერიძე",
                "555 12 34 56",
                "nino.beridze",
                "1987-03-08",
                &["vip"],
                Some((0, "director")),
            ),
            person(
                "ᲜᲘᲜᲝ ᲙᲐᲞᲐᲜᲐᲫᲔ",
                "599 23 45 67",
                "n.kapanadze",
                "1990-10-10",
                &["newsletter"],
                Some((1, "buyer")),
            ),
            person(
                "გიორგი მაისურაძე",
                "577 34 56 78",
                "giorgi.m",
                "1982-06-01",
                &["wholesale"],
                Some((0, "buyer")),
            ),
            person(
                "თამარ ლომიძე",
                "558 45 67 89",
                "tamar.lomidze",
                "1995-01-26",
                &[],
                None,
            ),
            person(
                "ლევან გელაშვილი",
                "591 56 78 90",
                "levan.g",
                "1978-08-17",
                &["vip", "wholesale"],
                Some((1, "director")),
            ),
            person(
                "მარიამ ჯაფარიძე",
                "593 67 89 01",
                "mariam.j",
                "1999-04-04",
                &["newsletter"],
                None,
            ),
            person(
                "დავით ხარაიშვილი",
                "595 78 90 12",
                "davit.kh",
                "1985-12-24",
                &[],
                Some((0, "accountant")),
            ),
            person(
                "ეკატერინე წერეთელი",
                "597 89 01 23",
                "eka.tsereteli",
                "1993-09-09",
                &["newsletter"],
                None,
            ),
        ],
        notes: &[
            (Call, "პირველი ზარი: სამზარეულოს ავეჯი"),
            (Visit, "შოურუმის ვიზიტი"),
            (Meeting, "გაზომვა ბინაში"),
            (Email, "კომერციული შეთავაზება გაგზავნილია"),
            (Note, "ხელშეკრულება ხელმოწერილია, მიწოდება შემდეგ კვირას"),
        ],
    },
    Batch {
        code: "GR",
        region: Some("GR"),
        language: "el",
        currency: "EUR",
        domain: "athens.example",
        orgs: &[org(
            "Αθηναϊκή Εμπορική Α.Ε.",
            "210 123 4567",
            "info@athinaiki.example",
            &["wholesale"],
            "25 000,00",
            "EL094012345",
        )],
        people: &[
            person(
                "Γιώργος Παπαδόπουλος",
                "694 123 4567",
                "giorgos.papadopoulos",
                "1980-04-23",
                &["vip"],
                Some((0, "director")),
            ),
            person(
                "ΓΙΩΡΓΟΣ ΝΙΚΟΛΑΟΥ",
                "697 234 5678",
                "g.nikolaou",
                "1972-11-11",
                &["wholesale"],
                Some((0, "buyer")),
            ),
            person(
                "Μαρία Κωνσταντίνου",
                "698 345 6789",
                "maria.k",
                "1991-08-15",
                &["newsletter"],
                None,
            ),
            person(
                "Ελένη Γεωργίου",
                "690 456 7890",
                "eleni.georgiou",
                "1986-05-21",
                &["newsletter", "vip"],
                None,
            ),
            person(
                "Δημήτρης Αλεξίου",
                "693 567 8901",
                "dimitris.a",
                "1977-10-26",
                &[],
                Some((0, "accountant")),
            ),
            person(
                "Κατερίνα Οικονόμου",
                "695 678 9012",
                "katerina.o",
                "1998-11-25",
                &["newsletter"],
                None,
            ),
            person(
                "Νίκος Βλάχος",
                "699 789 0123",
                "nikos.vlachos",
                "1983-12-06",
                &[],
                None,
            ),
            person(
                "Σοφία Ιωάννου",
                "2310 234 567",
                "sofia.ioannou",
                "1994-09-17",
                &[],
                None,
            ),
        ],
        notes: &[
            (Email, "Επιβεβαίωση παραγγελίας #1042"),
            (Purchase, "Αγορά: παπούτσια και τσάντα"),
            (Complaint, "Καθυστέρηση αποστολής"),
            (Survey, "NPS 9: πολύ ικανοποιημένη"),
            (Call, "Ερώτηση για επιστροφή προϊόντος"),
        ],
    },
    Batch {
        code: "IR",
        region: Some("IR"),
        language: "fa",
        currency: "IRR",
        domain: "tehran.example",
        orgs: &[
            org(
                "شرکت آرایشی مهرگان",
                "۰۲۱ ۸۸۷۷ ۶۶۵۵",
                "info@mehregan.example",
                &["cosmetics", "wholesale"],
                "۲۵۰۰۰۰۰۰۰۰",
                "10103456789",
            ),
            org(
                "پخش البرز",
                "۰۲۶ ۳۴۴۵ ۵۶۶۷",
                "sales@alborz.example",
                &["wholesale"],
                "۸۰۰۰۰۰۰۰۰",
                "10861234567",
            ),
        ],
        people: &[
            person(
                "علي رضايي",
                "۰۹۱۲ ۳۴۵ ۶۷۸۹",
                "ali.rezaei",
                "1985-03-21",
                &["vip"],
                Some((0, "director")),
            ),
            person(
                "علی محمدی",
                "۰۹۳۵ ۱۲۳ ۴۵۶۷",
                "ali.mohammadi",
                "1990-06-22",
                &["newsletter"],
                Some((1, "buyer")),
            ),
            person(
                "زهرا احمدی",
                "۰۹۱۹ ۲۳۴ ۵۶۷۸",
                "zahra.ahmadi",
                "1993-09-23",
                &["newsletter", "vip"],
                None,
            ),
            person(
                "مریم حسینی",
                "۰۹۱۲ ۹۸۷ ۶۵۴۳",
                "maryam.hosseini",
                "1988-12-21",
                &[],
                Some((0, "buyer")),
            ),
            person(
                "رضا کریمی",
                "۰۹۰۱ ۲۳۴ ۵۶۷۸",
                "reza.karimi",
                "1979-02-04",
                &["wholesale"],
                Some((1, "director")),
            ),
            person(
                "فاطمه موسوی",
                "۰۹۳۹ ۸۷۶ ۵۴۳۲",
                "fatemeh.mousavi",
                "1997-07-07",
                &["newsletter"],
                None,
            ),
            person(
                "نیلوفر شاه\u{200C}محمدی",
                "۰۹۱۰ ۱۱۲ ۲۳۳۴",
                "niloufar.sm",
                "2001-01-30",
                &[],
                None,
            ),
            person(
                "امیرحسین صادقی",
                "۰۹۲۱ ۴۵۶ ۷۸۹۰",
                "amirhossein.s",
                "1983-10-13",
                &[],
                None,
            ),
        ],
        notes: &[
            (Purchase, "خرید کرم مرطوب\u{200C}کننده"),
            (Sms, "یادآوری امتیازهای باشگاه مشتریان"),
            (Call, "پرسش درباره ارسال سفارش"),
            (Visit, "بازدید از فروشگاه ونک"),
            (Loyalty, "ارتقا به سطح طلایی"),
        ],
    },
    Batch {
        code: "EU",
        region: None,
        language: "en",
        currency: "EUR",
        domain: "mail.example",
        orgs: &[org(
            "Müller & Söhne GmbH",
            "+49 30 12345678",
            "einkauf@mueller-soehne.example",
            &["wholesale"],
            "60,000.00",
            "DE123456789",
        )],
        people: &[
            person(
                "Jürgen Weiß",
                "+49 151 23456789",
                "juergen.weiss",
                "1970-02-14",
                &["wholesale"],
                Some((0, "buyer")),
            ),
            person(
                "Zoë Dupont",
                "+33 6 12 34 56 78",
                "zoe.dupont",
                "1994-07-14",
                &["newsletter"],
                None,
            ),
            person(
                "José Álvarez",
                "+34 612 34 56 78",
                "jose.alvarez",
                "1986-10-12",
                &["vip"],
                None,
            ),
            person(
                "Łukasz Wójcik",
                "+48 512 345 678",
                "lukasz.wojcik",
                "1989-11-11",
                &[],
                Some((0, "manager")),
            ),
            person(
                "Søren Østergaard",
                "+45 20 12 34 56",
                "soren.o",
                "1981-06-05",
                &["newsletter"],
                None,
            ),
            person(
                "Chloé Martin",
                "+33 1 42 68 53 00",
                "chloe.martin",
                "1999-03-03",
                &[],
                None,
            ),
            person(
                "Siobhán O'Connor",
                "+353 85 123 4567",
                "siobhan.oc",
                "1992-03-17",
                &["newsletter", "vip"],
                None,
            ),
            person(
                "Ana María Núñez",
                "+34 91 123 45 67",
                "anamaria.nunez",
                "1975-05-02",
                &[],
                Some((0, "director")),
            ),
        ],
        notes: &[
            (Email, "Asked for the autumn price list"),
            (Meeting, "Trade fair meeting in Berlin"),
            (Call, "Follow-up call about delivery dates"),
            (Note, "Prefers invoices in English"),
            (Purchase, "Ordered 12 oak chairs"),
        ],
    },
];

/// The searches of the tour: a query, the script it shows, and why it is interesting.
const SEARCHES: &[(&str, &str)] = &[
    ("γιωργος", "Greek: no accents, final sigma"),
    ("ნინო", "Georgian: Mtavruli capitals"),
    ("علی", "Persian: ی and ي are one letter"),
    ("պետրոսյան", "Armenian: capitals"),
    ("weiss", "Latin: ß is ss"),
    ("muller", "Latin: no umlaut"),
];

/// The person whose card the tour shows, and the organisation whose timeline it shows.
const CARD_CODE: &str = "GR-P-01";
const ORG_CODE: &str = "GE-O-01";

/// Timeline entries per person and per organisation.
const NOTES_PER_PERSON: usize = 3;
const NOTES_PER_ORG: usize = 2;

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// What the demo wrote.
#[derive(Debug, Default)]
struct Counts {
    people: usize,
    organisations: usize,
    links: usize,
    interactions: usize,
    deals: usize,
    orders: usize,
    cards: usize,
    complaints: usize,
    nps_answers: usize,
}

/// Runs `demo`.
pub fn run(ctx: &Context, out: &mut Output, args: &DemoArgs) -> Result<(), Failure> {
    let path = args.db.as_deref().unwrap_or(&ctx.db);
    let crm = ctx.open_at(path, None)?;
    if !crm.list_customers(None, 1)?.items.is_empty() {
        return Err(Error::Conflict(format!(
            "{} already holds customers; the demo only fills an empty database, pick a new file",
            path.display()
        ))
        .into());
    }
    let now = ctx.now();
    let mut counts = Counts::default();
    for batch in BATCHES {
        // One handle per batch, opened with the batch's region, so local numbers parse.
        let handle = ctx.open_at(path, batch.region)?;
        seed(&handle, batch, now, &mut counts)?;
    }
    counts.deals = demo_deals::seed(&crm)?;
    seed_loyalty(&crm, now, &mut counts)?;
    automation::seed_demo(&crm, now)?;
    (counts.complaints, counts.nps_answers) = demo_service::seed(&crm)?;
    tour(&crm, out, path, &counts)
}

/// The demo pharmacy's card that the tour shows.
const LOYALTY_CARD: &str = "ԴԵՂ-0001";

/// Products of the demo pharmacy: name, category, price in dram.
const PHARMACY_PRODUCTS: &[(&str, &str, &str)] = &[
    ("Պարացետամոլ 500 մգ", "ցավազրկող", "1 200"),
    ("Վիտամին C 1000", "վիտամին", "3 500"),
    ("Իբուպրոֆեն 400 մգ", "ցավազրկող", "1 800"),
    ("Ձեռքի կրեմ", "խնամք", "2 700"),
];

/// The Yerevan pharmacy's bonus program: a point per 100 dram, points expire at the end of
/// the year, silver and gold tiers on 12 months of spend; each Armenian customer gets a card
/// and a few receipts, one receipt is sent twice, one medicine comes back, one card redeems.
fn seed_loyalty(crm: &Crm, now: Timestamp, counts: &mut Counts) -> Result<()> {
    let amd = Currency::parse("AMD", "currency")?;
    let program = crm.create_program(
        &NewProgram::new("Դեղատուն Բոնուս", "AMD", 100)
            .expiry(ExpiryPolicy::EndOfYear)
            .pending_days(0)
            .reversal(ReversalPolicy::Clawback)
            .tiers_on(TierBasis::Spend, 365),
    )?;
    crm.add_tier(&NewTier::new(
        program.id,
        "Արծաթ",
        Money::parse("20 000", amd, "threshold")?.minor,
    ))?;
    let gold = crm.add_tier(&NewTier::new(
        program.id,
        "Ոսկի",
        Money::parse("50 000", amd, "threshold")?.minor,
    ))?;
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "1 միավոր ամեն 100 դրամին",
            Earn::PerAmount {
                points: 1,
                per: 10_000,
            },
        )
        .position(1),
    )?;
    crm.add_earn_rule(
        &NewEarnRule::new(
            program.id,
            "Ոսկե կրկնապատիկ",
            Earn::Multiplier { percent: 200 },
        )
        .position(2)
        .tiers(vec![gold.id]),
    )?;
    crm.add_earn_rule(&NewEarnRule::new(
        program.id,
        "Գրանցման նվեր",
        Earn::Signup { points: 100 },
    ))?;
    let Some(am) = BATCHES.iter().find(|b| b.code == "AM") else {
        return Ok(());
    };
    for (i, _) in am.people.iter().enumerate() {
        let customer = crm.customer_by_code(CustomerKind::Person, &format!("AM-P-{:02}", i + 1))?;
        let card = crm.open_card(program.id, customer.id, Some(&format!("ԴԵՂ-{:04}", i + 1)))?;
        crm.award_event(card.id, &crmlite::loyalty::LoyaltyEvent::Signup, None)?;
        for r in 0..(i % 3 + 1) {
            let mut order = NewOrder::new(customer.id, "AMD")
                .channel("till")
                .store("Երևան, Աբովյան 10")
                .external_id(format!("ՉԵԿ-{:02}-{r}", i + 1))
                .at(now.plus_days(-i64::try_from(20 * r + i + 1).unwrap_or(1))?);
            for k in 0..(r % 2 + 2) {
                let (name, category, price) =
                    PHARMACY_PRODUCTS[(i + r + k) % PHARMACY_PRODUCTS.len()];
                let units = i64::try_from((i + k) % 3 + 1).unwrap_or(1);
                order = order.line(
                    NewOrderLine::new(name, units, Money::parse(price, amd, "price")?.minor)
                        .category(category),
                );
            }
            crm.record_order(&order)?;
            // The till's network drops once: the same receipt arrives twice and counts once.
            if i == 0 && r == 0 {
                crm.record_order(&order)?;
            }
            counts.orders += 1;
        }
    }
    let first = crm.order_by_external_id("ՉԵԿ-01-0")?;
    crm.record_return(&NewReturn::new(first.id).line(0, 1))?;
    let card = crm.card_by_code(LOYALTY_CARD)?;
    crm.redeem_points(card.id, 50, None, Some("demo-redeem-1"))?;
    counts.cards = am.people.len();
    Ok(())
}

fn seed(crm: &Crm, batch: &Batch, now: Timestamp, counts: &mut Counts) -> Result<()> {
    let currency = Currency::parse(batch.currency, "currency")?;
    let mut org_ids = Vec::with_capacity(batch.orgs.len());
    for (i, o) in batch.orgs.iter().enumerate() {
        let mut new = NewCustomer::organisation(o.name)
            .phone(o.phone)
            .email(o.email)
            .language(batch.language)
            .external_code(format!("{}-O-{:02}", batch.code, i + 1))
            .attribute(
                "credit_limit",
                AttributeValue::Money(Money::parse(o.credit_limit, currency, "credit_limit")?),
            )
            .attribute("tax_id", AttributeValue::Text(o.tax_id.to_owned()));
        new.tags = o.tags.iter().map(|t| (*t).to_owned()).collect();
        let id = crm.add_customer(&new)?.id;
        counts.organisations += 1;
        counts.interactions += add_notes(crm, batch, id, i + 7, NOTES_PER_ORG, now)?;
        org_ids.push(id);
    }
    for (i, p) in batch.people.iter().enumerate() {
        let birthday = NaiveDate::parse_from_str(p.birthday, "%Y-%m-%d").map_err(|_| {
            Error::validation(
                "birthday",
                format!("demo birthday {} of {}", p.birthday, p.name),
            )
        })?;
        let mut new = NewCustomer::person(p.name)
            .phone(p.phone)
            .email(format!("{}@{}", p.email, batch.domain))
            .birthday(birthday)
            .language(batch.language)
            .external_code(format!("{}-P-{:02}", batch.code, i + 1))
            .attribute(
                "discount_percent",
                AttributeValue::Integer(i64::try_from(i % 4 * 5).unwrap_or(0)),
            )
            .attribute("sms_opt_in", AttributeValue::Boolean(i % 3 != 0));
        let since_days = i64::try_from(i * 97 % 1500 + 30).unwrap_or(30);
        if let Some(since) = now.plus_days(-since_days)?.to_datetime() {
            new = new.attribute("customer_since", AttributeValue::Date(since.date_naive()));
        }
        new.tags = p.tags.iter().map(|t| (*t).to_owned()).collect();
        let id = crm.add_customer(&new)?.id;
        counts.people += 1;
        if let Some((org_index, role)) = p.org
            && let Some(org) = org_ids.get(org_index)
        {
            crm.link_customer(id, *org, role)?;
            counts.links += 1;
        }
        counts.interactions += add_notes(crm, batch, id, i, NOTES_PER_PERSON, now)?;
    }
    Ok(())
}

/// Adds `count` interactions of the batch to a customer, spread over the last six months.
fn add_notes(
    crm: &Crm,
    batch: &Batch,
    customer: CustomerId,
    seed: usize,
    count: usize,
    now: Timestamp,
) -> Result<usize> {
    let mut added = 0;
    for j in 0..count {
        let Some((kind, summary)) = batch.notes.get((seed + 2 * j) % batch.notes.len().max(1))
        else {
            continue;
        };
        let days = i64::try_from((seed * 11 + j * 41 + 3) % 170 + 1).unwrap_or(1);
        // Office hours (09:00-16:45 UTC) of a day before today.
        let minutes = i64::try_from(9 * 60 + (seed + j) % 8 * 60 + seed % 4 * 15).unwrap_or(0);
        let midnight = Timestamp(now.0 - now.0.rem_euclid(DAY_MS));
        let at = Timestamp(
            midnight
                .plus_days(-days)?
                .0
                .saturating_add(minutes * 60_000),
        );
        let mut entry = NewTimelineEntry::new(customer, *kind, *summary)
            .at(at)
            .author("demo");
        if *kind == Complaint {
            entry = entry.body("Escalated to the shop manager; answer promised within two days.");
        }
        crm.add_timeline_entry(&entry)?;
        added += 1;
    }
    Ok(added)
}

fn tour(crm: &Crm, out: &mut Output, path: &Path, counts: &Counts) -> Result<(), Failure> {
    let searches = SEARCHES
        .iter()
        .map(|(query, note)| Ok((*query, *note, crm.search_customers(query, 10)?)))
        .collect::<Result<Vec<_>>>()?;
    let card = crm.customer_by_code(CustomerKind::Person, CARD_CODE)?;
    let org = crm.customer_by_code(CustomerKind::Organisation, ORG_CODE)?;
    let org_timeline = crm.timeline(org.id, None, 12)?.items;
    let (total_changes, recent_changes) = last_changes(crm, 5)?;
    let loyalty_card = crm.card_by_code(LOYALTY_CARD)?;
    let balance = crm.balance(loyalty_card.id, 30)?;
    let history = crm.points_history(loyalty_card.id, None, 6)?.items;

    if out.is_json() {
        let searches: Vec<_> = searches
            .iter()
            .map(|(query, note, found)| {
                let matches: Vec<_> = found
                    .iter()
                    .map(|c| json!({ "id": c.id, "name": c.name }))
                    .collect();
                json!({ "query": query, "note": note, "matches": matches })
            })
            .collect();
        return Ok(out.json(&json!({
            "db": path.display().to_string(),
            "counts": {
                "people": counts.people,
                "organisations": counts.organisations,
                "links": counts.links,
                "interactions": counts.interactions,
                "deals": counts.deals,
                "orders": counts.orders,
                "cards": counts.cards,
                "complaints": counts.complaints,
                "nps_answers": counts.nps_answers,
                "changes": total_changes,
            },
            "loyalty": { "card": loyalty_card, "balance": balance, "history": history },
            "searches": searches,
            "card": customers::card_json(crm, &card)?,
            "organisation_timeline": { "organisation": org.id, "items": org_timeline },
            "recent_changes": recent_changes,
            "deals": demo_deals::tour_json(crm)?,
            "service": {
                "complaints": crm.list_complaints(&crmlite::service::ComplaintFilter::all(), None, 20)?.items,
                "nps": demo_service::report(crm)?,
            },
        }))?);
    }

    out.line(format!(
        "Filled {}: {} people, {} organisations, {} links, {} interactions, {} deals, {} changes in the feed.",
        path.display(),
        counts.people,
        counts.organisations,
        counts.links,
        counts.interactions,
        counts.deals,
        total_changes
    ))?;
    out.line("")?;
    out.line("Search ignores case, accents and letter variants (customers find QUERY):")?;
    let mut table = Table::new(&["QUERY", "FINDS", "WHY"]).indent(2);
    for (query, note, found) in &searches {
        let names: Vec<String> = found
            .iter()
            .map(|c| format!("#{} {}", c.id, c.name))
            .collect();
        table.row(vec![
            (*query).to_owned(),
            names.join(", "),
            (*note).to_owned(),
        ]);
    }
    out.table(&table)?;
    out.line("")?;
    out.line(format!("A customer card (customers show {}):", card.id))?;
    customers::print_card(crm, out, &card)?;
    out.line("")?;
    out.line(format!(
        "An organisation's timeline holds its people's entries too (timeline show {}):",
        org.id
    ))?;
    timeline::print_timeline(crm, out, org.id, &org_timeline)?;
    out.line("")?;
    demo_deals::tour(crm, out)?;
    out.line("")?;
    out.line(format!(
        "A pharmacy bonus card: a point per 100 dram, {} cards, {} receipts (loyalty balance {LOYALTY_CARD}):",
        counts.cards, counts.orders
    ))?;
    out.fields(
        2,
        &[
            (
                "available",
                format!("{} points ({})", balance.available, balance.available_value),
            ),
            ("expiring in 30 days", balance.expiring.to_string()),
        ],
    )?;
    loyalty::print_history(out, &history)?;
    out.line("")?;
    demo_service::tour(crm, out)?;
    out.line("")?;
    let since = recent_changes
        .first()
        .map_or(0, |c| c.seq.saturating_sub(1));
    out.line(format!("The latest changes (changes --since {since}):"))?;
    changes::print_changes(out, &recent_changes)?;
    out.line("")?;
    out.line(format!(
        "Try: crmlite --db {} customers find γιωργος",
        path.display()
    ))?;
    out.line(format!(
        "Automation: crmlite --db {} tasks due --until 2030-01-01T00:00:00Z; jobs run; outbox claim",
        path.display()
    ))?;
    Ok(())
}

/// The number of changes in the feed and the last `keep` of them.
fn last_changes(crm: &Crm, keep: usize) -> Result<(usize, Vec<crmlite::changes::Change>)> {
    let mut total = 0;
    let mut tail: Vec<crmlite::changes::Change> = Vec::new();
    let mut cursor = 0;
    loop {
        let page = crm.changes_since(cursor, crmlite::page::MAX_PAGE)?;
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        total += page.len();
        tail.extend(page);
        let excess = tail.len().saturating_sub(keep);
        tail.drain(..excess);
    }
    Ok((total, tail))
}
