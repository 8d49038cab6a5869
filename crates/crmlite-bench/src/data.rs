//! The deterministic customer and purchase generators of `shared/perf/gen.py`, ported bit for bit.
//!
//! Every field is splitmix64 of (seed, stream, row id), so any prefix of the data is the
//! same whatever the row count, and the figures stay comparable with `BASELINES.md`.

use chrono::NaiveDate;

/// The seed `gen.py` uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 0x5E_EDC0_FFEE;

const FIRST: [&str; 62] = [
    "Anna", "Ben", "Carla", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Klara",
    "Lukas", "Mia", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sven", "Tina", "Ugo", "Vera",
    "Walter", "Xenia", "Yusuf", "Zoe", "Adam", "Beatriz", "Chen", "Dmitri", "Elif", "Farid",
    "Giulia", "Hana", "Ivan", "Julia", "Kenji", "Lea", "Marco", "Nina", "Omar", "Pia", "Rafael",
    "Sara", "Tomas", "Uma", "Viktor", "Wen", "Yara", "Aiko", "Bruno", "Chloe", "Diego", "Eva",
    "Fatima", "Goran", "Helga", "Igor", "Jana", "Karim", "Lina", "Milan",
];
/// Last names; search fragments are cut from them.
pub const LAST: [&str; 64] = [
    "Smith",
    "Mueller",
    "Garcia",
    "Rossi",
    "Dubois",
    "Novak",
    "Kowalski",
    "Jensen",
    "Silva",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Ivanov",
    "Schmidt",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Koehler",
    "Maier",
    "Fischer",
    "Hofmann",
    "Schmitt",
    "Lopez",
    "Martin",
    "Bernard",
    "Moreau",
    "Laurent",
    "Leroy",
    "Fontaine",
    "Bianchi",
    "Romano",
    "Ricci",
    "Costa",
    "Santos",
    "Pereira",
    "Oliveira",
    "Andersen",
    "Nielsen",
    "Hansen",
    "Larsen",
    "Berg",
    "Lund",
    "Haas",
    "Vogel",
    "Frank",
    "Roth",
    "Beck",
    "Lang",
];
const DOMAINS: [&str; 8] = [
    "example.com",
    "mail.test",
    "inbox.test",
    "post.example",
    "corp.example",
    "shop.test",
    "web.example",
    "home.test",
];
const CITIES: [&str; 40] = [
    "Berlin",
    "Hamburg",
    "Munich",
    "Cologne",
    "Frankfurt",
    "Stuttgart",
    "Dusseldorf",
    "Leipzig",
    "Dortmund",
    "Essen",
    "Bremen",
    "Dresden",
    "Hanover",
    "Nuremberg",
    "Duisburg",
    "Bochum",
    "Wuppertal",
    "Bielefeld",
    "Bonn",
    "Munster",
    "Vienna",
    "Graz",
    "Linz",
    "Salzburg",
    "Zurich",
    "Geneva",
    "Basel",
    "Bern",
    "Lausanne",
    "Paris",
    "Lyon",
    "Marseille",
    "Madrid",
    "Barcelona",
    "Rome",
    "Milan",
    "Amsterdam",
    "Rotterdam",
    "Prague",
    "Warsaw",
];

/// Purchase categories, in `gen.py`'s order.
pub const CATEGORIES: [&str; 12] = [
    "grocery",
    "electronics",
    "clothing",
    "home",
    "beauty",
    "sports",
    "toys",
    "books",
    "garden",
    "auto",
    "pharmacy",
    "services",
];

const T_CUST0: u64 = 1_420_070_400; // 2015-01-01
const T_CUST_SPAN: u64 = 10 * 365 * 86_400;
const BIRTHDAY_DAYS: u64 = 365 * 66;
const T_PUR0: u64 = 1_577_836_800; // 2020-01-01
const T_PUR_SPAN: u64 = 5 * 365 * 86_400;
/// A prime; `idx -> (idx * PERM_MUL + 12345) mod n` spreads heavy buyers over the ids.
const PERM_MUL: u64 = 1_000_003;

/// The splitmix64 finalizer (with its increment), as `gen.py`'s `mix64`.
#[must_use]
pub fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Field `stream` of row `idx`: `gen.py`'s `h(seed, stream, idx)`.
fn h(seed: u64, stream: u64, idx: u64) -> u64 {
    mix64(idx ^ (stream << 48) ^ seed)
}

/// Picks `list[v mod len]`.
fn pick<'a>(list: &[&'a str], v: u64) -> &'a str {
    let len = u64::try_from(list.len()).unwrap_or(u64::MAX);
    usize::try_from(v % len)
        .ok()
        .and_then(|i| list.get(i))
        .copied()
        .unwrap_or_default()
}

/// One row of `gen.py`'s `customers` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenCustomer {
    /// 1-based row id.
    pub id: i64,
    /// `EXT` + 16 upper-case hex digits, unique.
    pub external_code: String,
    /// Unique e-mail address (contains the id).
    pub email: String,
    /// First and last name.
    pub name: String,
    /// Between 1940 and 2005.
    pub birthday: NaiveDate,
    /// Skewed towards the first cities of the list.
    pub city: &'static str,
    /// Unix seconds, 2015..2024.
    pub created_at: i64,
}

/// Customer `id` (1-based) of the data set with `seed`.
#[must_use]
pub fn customer(seed: u64, id: u64) -> GenCustomer {
    let ext = mix64(id ^ seed ^ (99 << 48));
    let first = pick(&FIRST, h(seed, 1, id));
    let last = pick(&LAST, h(seed, 2, id));
    let domain = pick(&DOMAINS, h(seed, 3, id));
    let days = i64::try_from(h(seed, 4, id) % BIRTHDAY_DAYS).unwrap_or(0);
    let epoch = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default();
    let c = h(seed, 5, id);
    let city = pick(&CITIES, (c % 40).min((c >> 32) % 40));
    GenCustomer {
        id: i64::try_from(id).unwrap_or(i64::MAX),
        external_code: format!("EXT{ext:016X}"),
        email: format!(
            "{}.{}{id}@{domain}",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        name: format!("{first} {last}"),
        birthday: epoch + chrono::Days::new(u64::try_from(days).unwrap_or(0)),
        city,
        created_at: i64::try_from(T_CUST0 + h(seed, 6, id) % T_CUST_SPAN).unwrap_or(i64::MAX),
    }
}

/// The first `n` customers.
#[must_use]
pub fn customers(seed: u64, n: u64) -> Vec<GenCustomer> {
    (1..=n).map(|id| customer(seed, id)).collect()
}

/// One row of `gen.py`'s `purchases` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenPurchase {
    /// 1-based row id.
    pub id: i64,
    /// The buyer, 1..=n, heavily skewed.
    pub customer_id: i64,
    /// Unix seconds, 2020-01-01..2024-12-30.
    pub ts: i64,
    /// 1.99..99.99 with a 10% tail up to +500.00, in cents.
    pub amount_cents: i64,
    /// One of [`CATEGORIES`].
    pub category: &'static str,
}

/// Purchase `id` (1-based) of the data set with `seed` over `n` customers (`n` must not be a
/// multiple of 1,000,003, as `gen.py` asserts).
#[must_use]
pub fn purchase(seed: u64, n: u64, id: u64) -> GenPurchase {
    let n = n.max(1);
    let x = h(seed, 10, id);
    let idx = (x % n) >> ((x >> 40) % 11);
    let customer = idx.wrapping_mul(PERM_MUL).wrapping_add(12_345) % n + 1;
    let y = h(seed, 12, id);
    let tail = if (y >> 32).is_multiple_of(10) {
        (y >> 40) % 50_000
    } else {
        0
    };
    let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    GenPurchase {
        id: as_i64(id),
        customer_id: as_i64(customer),
        ts: as_i64(T_PUR0 + h(seed, 11, id) % T_PUR_SPAN),
        amount_cents: as_i64(199 + y % 9_801 + tail),
        category: pick(&CATEGORIES, h(seed, 13, id)),
    }
}

/// The first `m` purchases over `n` customers.
#[must_use]
pub fn purchases(seed: u64, m: u64, n: u64) -> Vec<GenPurchase> {
    (1..=m).map(|id| purchase(seed, n, id)).collect()
}

/// A stream of pseudo-random numbers (splitmix64 state), as the baseline program's `Rng`.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let state = self.0;
        self.0 = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(state)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows 1-5 and 996-1000 as `gen.customers(1000)` of `shared/perf/gen.py` writes them
    /// (numpy 2.4.6, pandas 3.1.2, seed 0x5EEDC0FFEE).
    const GEN_PY_ROWS: &str = include_str!("gen_py_rows.csv");

    #[test]
    fn rows_match_gen_py() {
        let lines: Vec<&str> = GEN_PY_ROWS.lines().skip(1).collect();
        assert_eq!(lines.len(), 10);
        for line in lines {
            let id: u64 = line
                .split(',')
                .next()
                .and_then(|f| f.parse().ok())
                .unwrap_or(0);
            let c = customer(DEFAULT_SEED, id);
            let row = format!(
                "{},{},{},{},{},{},{}",
                c.id, c.external_code, c.email, c.name, c.birthday, c.city, c.created_at
            );
            assert_eq!(row, line);
        }
    }

    /// Rows 1-5 and 996-1000 as `gen.purchases(1000, 10000)` of `shared/perf/gen.py` writes them.
    const GEN_PY_PURCHASES: &str = include_str!("gen_py_purchases.csv");

    #[test]
    fn purchases_match_gen_py() {
        let lines: Vec<&str> = GEN_PY_PURCHASES.lines().skip(1).collect();
        assert_eq!(lines.len(), 10);
        for line in lines {
            let id: u64 = line
                .split(',')
                .next()
                .and_then(|f| f.parse().ok())
                .unwrap_or(0);
            let p = purchase(DEFAULT_SEED, 10_000, id);
            let row = format!(
                "{},{},{},{},{}",
                p.id, p.customer_id, p.ts, p.amount_cents, p.category
            );
            assert_eq!(row, line);
        }
        // The buyer depends on the customer count: gen.purchases(20, 1000) starts with 514.
        assert_eq!(purchase(DEFAULT_SEED, 1_000, 1).customer_id, 514);
        assert_eq!(
            purchases(DEFAULT_SEED, 3, 1_000)[2],
            purchase(DEFAULT_SEED, 1_000, 3)
        );
    }

    #[test]
    fn a_prefix_does_not_depend_on_the_row_count() {
        assert_eq!(
            customers(DEFAULT_SEED, 3),
            customers(DEFAULT_SEED, 50)[..3].to_vec()
        );
        assert_eq!(customer(DEFAULT_SEED, 40), customers(DEFAULT_SEED, 40)[39]);
        assert_ne!(customer(DEFAULT_SEED, 1), customer(DEFAULT_SEED + 1, 1));
    }

    #[test]
    fn splitmix_matches_the_reference_vector() {
        // splitmix64 seeded with 0: the first output of the published reference generator.
        assert_eq!(Rng(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
    }
}
