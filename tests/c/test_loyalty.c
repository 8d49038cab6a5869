/* Tests of the crmlite C API for sales and loyalty: the Yerevan pharmacy's till, its tiers,
 * vouchers, points history and program metrics. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define ARAM "Արամ Սարգսյան"
#define DAY_MS 86400000LL

static const char *const PRODUCTS[] = {"Պարացետամոլ", "Վիտամին C"};
static const int64_t QUANTITIES[] = {2, 1};
static const int64_t PRICES[] = {150000, 300000}; /* luma: 1500 and 3000 dram */

/* Opens :memory: with a pharmacy program (a point per 100 dram), Aram and his card. */
static int pharmacy(crmlite **db, int32_t expiry, uint32_t days, int64_t *customer, int64_t *card) {
    crmlite_customer_draft *draft = NULL;
    int64_t program = 0, rule = 0;
    CHECK(crmlite_open(":memory:", db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK(crmlite_customer_add(*db, draft, customer));
    crmlite_customer_draft_free(draft);
    CHECK(crmlite_program_create(*db, "Դեղատուն Բոնուս", "AMD", 100, expiry, days, 0, CRMLITE_REVERSAL_CLAWBACK,
                                 &program));
    CHECK(crmlite_earn_rule_add(*db, program, "ամեն 100 դրամին", CRMLITE_EARN_PER_AMOUNT, 1, 10000, 0, &rule));
    CHECK(crmlite_card_open(*db, program, *customer, "ԴԵՂ-1", card));
    return 1;
}

static int64_t available(crmlite *db, int64_t card) {
    crmlite_balance b;
    if (crmlite_points_balance(db, card, 0, &b) != CRMLITE_OK) return -1;
    if (b.available + b.pending + b.awaiting_expiry != b.ledger_sum) return -2;
    return b.available;
}

static int test_receipt_once_redeem_with_key_and_return(void) {
    crmlite *db = NULL;
    int64_t aram = 0, card = 0, found = 0, order = 0, again = 0, entry = 0, entry2 = 0, ret = 0;
    const uint32_t line0[] = {0};
    const int64_t one[] = {1}, two[] = {2};
    if (!pharmacy(&db, CRMLITE_EXPIRY_END_OF_YEAR, 0, &aram, &card)) return 0;
    CHECK(crmlite_card_by_code(db, "ԴԵՂ-1", &found));
    EXPECT(found == card);

    CHECK(crmlite_order_record(db, aram, "AMD", "ՉԵԿ-1", PRODUCTS, QUANTITIES, PRICES, 2, 0, &order));
    EXPECT(available(db, card) == 60);
    /* The receipt again after a network hiccup: the same order, no new points. */
    CHECK(crmlite_order_record(db, aram, "AMD", "ՉԵԿ-1", PRODUCTS, QUANTITIES, PRICES, 2, 0, &again));
    EXPECT(again == order);
    EXPECT(available(db, card) == 60);

    CHECK_INVALID(crmlite_points_redeem(db, card, 70, 0, NULL, &entry), "points");
    CHECK(crmlite_points_redeem(db, card, 20, order, "till-7/1", &entry));
    CHECK(crmlite_points_redeem(db, card, 20, order, "till-7/1", &entry2));
    EXPECT(entry == entry2);
    CHECK_STATUS(crmlite_points_redeem(db, card, 21, order, "till-7/1", &entry2), CRMLITE_ERR_CONFLICT);
    EXPECT(available(db, card) == 40);

    /* One box back: a quarter of the 60 points is reversed, and a quarter of the 20 points
     * redeemed against the order comes back. */
    CHECK(crmlite_return_record(db, order, line0, one, 1, &ret));
    EXPECT(available(db, card) == 30);
    CHECK_INVALID(crmlite_return_record(db, order, line0, two, 1, &ret), "lines[0].quantity");
    CHECK(crmlite_points_adjust(db, card, 5, "ներողություն", NULL, &entry));
    EXPECT(available(db, card) == 35);
    CHECK_INVALID(crmlite_points_adjust(db, card, -36, "ուղղում", NULL, &entry), "points");
    crmlite_close(db);
    return 1;
}

static int test_expiry_takes_the_rest_once(void) {
    crmlite *db = NULL;
    int64_t aram = 0, card = 0, order = 0, entry = 0, points = 0;
    uint64_t lots = 0;
    crmlite_balance b;
    int64_t now = (int64_t)time(NULL) * 1000;
    if (!pharmacy(&db, CRMLITE_EXPIRY_AFTER_DAYS, 30, &aram, &card)) return 0;
    /* Bought 40 days ago (an offline till syncing late): its points are already due. */
    CHECK(crmlite_order_record(db, aram, "AMD", NULL, PRODUCTS, QUANTITIES, PRICES, 2, now - 40 * DAY_MS, &order));
    CHECK(crmlite_points_adjust(db, card, 7, "նվեր", NULL, &entry));
    CHECK(crmlite_points_balance(db, card, 31, &b));
    EXPECT(b.available == 7 && b.awaiting_expiry == 60 && b.expiring == 7 && b.ledger_sum == 67);
    CHECK(crmlite_points_expire(db, now, &lots, &points));
    EXPECT(lots == 1 && points == 60);
    CHECK(crmlite_points_expire(db, now, &lots, &points));
    EXPECT(lots == 0 && points == 0);
    CHECK(crmlite_points_balance(db, card, 0, &b));
    EXPECT(b.available == 7 && b.awaiting_expiry == 0 && b.ledger_sum == 7);
    crmlite_close(db);
    return 1;
}

static int test_bad_input_names_the_field(void) {
    crmlite *db = NULL;
    int64_t aram = 0, card = 0, id = 0;
    const char *bad_utf8[] = {"\xff\xfe"};
    const int64_t negative[] = {-1};
    const int64_t price[] = {100};
    if (!pharmacy(&db, CRMLITE_EXPIRY_NEVER, 0, &aram, &card)) return 0;
    CHECK_INVALID(crmlite_program_create(db, "x", "AMD", 100, 9, 0, 0, CRMLITE_REVERSAL_REFUSE, &id), "expiry");
    CHECK_INVALID(crmlite_program_create(db, "x", "AMD", 100, CRMLITE_EXPIRY_NEVER, 0, 0, 5, &id), "reversal");
    CHECK_INVALID(crmlite_program_create(db, "x", "AMD", 0, CRMLITE_EXPIRY_NEVER, 0, 0, 0, &id), "point_value");
    CHECK_INVALID(crmlite_earn_rule_add(db, 1, "x", 99, 1, 1, 0, &id), "kind");
    CHECK_INVALID(crmlite_earn_rule_add(db, 1, "x", CRMLITE_EARN_PER_AMOUNT, 1, 0, 0, &id), "earn.per");
    CHECK_STATUS(crmlite_earn_rule_add(db, 99, "x", CRMLITE_EARN_SIGNUP, 1, 0, 0, &id), CRMLITE_ERR_NOT_FOUND);
    CHECK_INVALID(crmlite_order_record(db, aram, "AMD", NULL, bad_utf8, QUANTITIES, price, 1, 0, &id), "products[0]");
    CHECK_INVALID(crmlite_order_record(db, aram, "AMD", NULL, PRODUCTS, negative, price, 1, 0, &id),
                  "lines[0].quantity");
    CHECK_INVALID(crmlite_order_record(db, aram, "ABC", NULL, PRODUCTS, QUANTITIES, price, 1, 0, &id), "currency");
    CHECK_STATUS(crmlite_card_open(db, 1, aram, NULL, &id), CRMLITE_ERR_CONFLICT);
    CHECK_STATUS(crmlite_card_by_code(db, "ԱՆՀԱՅՏ", &id), CRMLITE_ERR_NOT_FOUND);
    EXPECT(available(db, card) == 0);
    crmlite_close(db);
    return 1;
}

static int test_null_pointers_are_misuse(void) {
    crmlite *db = NULL;
    int64_t aram = 0, card = 0, id = 0, n = 0;
    uint64_t lots = 0;
    crmlite_balance b;
    if (!pharmacy(&db, CRMLITE_EXPIRY_NEVER, 0, &aram, &card)) return 0;
    CHECK_MISUSE(crmlite_program_create(NULL, "x", "AMD", 1, 0, 0, 0, 0, &id));
    CHECK_MISUSE(crmlite_program_create(db, NULL, "AMD", 1, 0, 0, 0, 0, &id));
    CHECK_MISUSE(crmlite_program_create(db, "x", NULL, 1, 0, 0, 0, 0, &id));
    CHECK_MISUSE(crmlite_program_create(db, "x", "AMD", 1, 0, 0, 0, 0, NULL));
    CHECK_MISUSE(crmlite_earn_rule_add(db, 1, NULL, CRMLITE_EARN_SIGNUP, 1, 0, 0, &id));
    CHECK_MISUSE(crmlite_earn_rule_add(db, 1, "x", CRMLITE_EARN_SIGNUP, 1, 0, 0, NULL));
    CHECK_MISUSE(crmlite_card_open(db, 1, aram, NULL, NULL));
    CHECK_MISUSE(crmlite_card_by_code(db, NULL, &id));
    CHECK_MISUSE(crmlite_card_by_code(db, "x", NULL));
    CHECK_MISUSE(crmlite_order_record(db, aram, NULL, NULL, PRODUCTS, QUANTITIES, PRICES, 2, 0, &id));
    CHECK_MISUSE(crmlite_order_record(db, aram, "AMD", NULL, NULL, QUANTITIES, PRICES, 2, 0, &id));
    CHECK_MISUSE(crmlite_order_record(db, aram, "AMD", NULL, PRODUCTS, NULL, PRICES, 2, 0, &id));
    CHECK_MISUSE(crmlite_order_record(db, aram, "AMD", NULL, PRODUCTS, QUANTITIES, NULL, 2, 0, &id));
    CHECK_MISUSE(crmlite_order_record(db, aram, "AMD", NULL, PRODUCTS, QUANTITIES, PRICES, 2, 0, NULL));
    CHECK_MISUSE(crmlite_return_record(db, 1, NULL, QUANTITIES, 1, &id));
    CHECK_MISUSE(crmlite_return_record(db, 1, NULL, NULL, 0, NULL));
    CHECK_MISUSE(crmlite_points_redeem(db, card, 1, 0, NULL, NULL));
    CHECK_MISUSE(crmlite_points_adjust(db, card, 1, NULL, NULL, &id));
    CHECK_MISUSE(crmlite_points_adjust(db, card, 1, "x", NULL, NULL));
    CHECK_MISUSE(crmlite_points_balance(NULL, card, 0, &b));
    CHECK_MISUSE(crmlite_points_balance(db, card, 0, NULL));
    CHECK_MISUSE(crmlite_points_expire(db, 0, NULL, &n));
    CHECK_MISUSE(crmlite_points_expire(db, 0, &lots, NULL));
    EXPECT(available(db, card) == 0);
    crmlite_close(db);
    return 1;
}

/* One history row's kind, points and source kind must be as given. */
static int row_is(const crmlite_points_entry *row, int32_t kind, int64_t points, const char *source) {
    int32_t k = -1;
    int64_t p = 0;
    const char *src = NULL;
    CHECK(crmlite_points_entry_kind(row, &k));
    CHECK(crmlite_points_entry_points(row, &p));
    CHECK(crmlite_points_entry_source_kind(row, &src));
    if (k != kind || p != points || strcmp(src, source) != 0) {
        fprintf(stderr, "  row is %d %lld %s, expected %d %lld %s\n", (int)k, (long long)p, src, (int)kind,
                (long long)points, source);
        return 0;
    }
    return 1;
}

static int test_tiers_rewards_history_and_metrics(void) {
    crmlite *db = NULL;
    crmlite_points_cursor *cursor = NULL;
    const crmlite_points_entry *row = NULL;
    crmlite_redemption r;
    crmlite_points_metrics m;
    char *token = NULL;
    const char *ref = NULL;
    int64_t aram = 0, card = 0, order = 0, ret = 0, silver = 0, gold = 0, tier = -1, voucher = 0, id = 0;
    int64_t linked = 0, at = 0, now = (int64_t)time(NULL) * 1000;
    int32_t kind = -1;
    const uint32_t line0[] = {0};
    const int64_t one[] = {1};
    if (!pharmacy(&db, CRMLITE_EXPIRY_NEVER, 0, &aram, &card)) return 0;
    CHECK(crmlite_tier_add(db, 1, "արծաթ", 50, &silver));
    CHECK(crmlite_tier_add(db, 1, "ոսկի", 100, &gold));
    CHECK_INVALID(crmlite_tier_add(db, 1, "պղինձ", -1, &id), "threshold");
    CHECK_STATUS(crmlite_tier_add(db, 1, "ոսկի", 200, &id), CRMLITE_ERR_CONFLICT);
    CHECK(crmlite_card_tier(db, card, &tier));
    EXPECT(tier == 0);

    /* 60 points earned: silver. */
    CHECK(crmlite_order_record(db, aram, "AMD", "ՉԵԿ-9", PRODUCTS, QUANTITIES, PRICES, 2, 0, &order));
    CHECK(crmlite_card_tier(db, card, &tier));
    EXPECT(tier == silver);

    /* A 500-dram voucher for 30 points, paid against the order; redeeming never demotes. */
    CHECK(crmlite_reward_add(db, 1, "500 դրամ զեղչ", CRMLITE_REWARD_FIXED_DISCOUNT, 50000, NULL, 30, &voucher));
    CHECK_INVALID(crmlite_reward_add(db, 1, "x", 9, 1, NULL, 30, &id), "kind");
    CHECK_INVALID(crmlite_reward_add(db, 1, "x", CRMLITE_REWARD_FREE_PRODUCT, 0, NULL, 30, &id), "product");
    CHECK_INVALID(crmlite_reward_add(db, 1, "x", CRMLITE_REWARD_PERCENT_DISCOUNT, 101, NULL, 30, &id), "kind.percent");
    CHECK(crmlite_reward_redeem(db, card, voucher, order, "till-9/1", &r));
    EXPECT(r.points == 30 && r.kind == CRMLITE_REWARD_FIXED_DISCOUNT && r.discount == 50000 && r.cashback == 0);
    id = r.entry;
    CHECK(crmlite_reward_redeem(db, card, voucher, order, "till-9/1", &r));
    EXPECT(r.entry == id);
    EXPECT(available(db, card) == 30);
    CHECK(crmlite_card_refresh_tier(db, card, &tier));
    EXPECT(tier == silver);

    /* A quarter back: floor(30 / 4) = 7 redeemed points come back once, 15 earned are reversed,
     * and 45 earned points are below silver. */
    CHECK(crmlite_return_record(db, order, line0, one, 1, &ret));
    EXPECT(available(db, card) == 22);
    CHECK(crmlite_card_tier(db, card, &tier));
    EXPECT(tier == 0);

    /* The history, newest first, two rows a page. */
    CHECK(crmlite_points_history(db, card, NULL, 2, &cursor));
    CHECK_STATUS(crmlite_points_cursor_next(cursor, &row), CRMLITE_ROW);
    if (!row_is(row, CRMLITE_ENTRY_REVERSE, -15, "order")) return 0;
    CHECK_STATUS(crmlite_points_cursor_next(cursor, &row), CRMLITE_ROW);
    if (!row_is(row, CRMLITE_ENTRY_ADJUST, 7, "refund")) return 0;
    CHECK(crmlite_points_entry_order(row, &linked));
    CHECK(crmlite_points_entry_source_ref(row, &ref));
    CHECK(crmlite_points_entry_at(row, &at));
    EXPECT(linked == order && atoll(ref) == ret && at > 0);
    CHECK_STATUS(crmlite_points_cursor_next(cursor, &row), CRMLITE_DONE);
    CHECK(crmlite_points_cursor_next_page(cursor, &token));
    EXPECT(token != NULL);
    crmlite_points_cursor_free(cursor);
    CHECK(crmlite_points_history(db, card, token, 2, &cursor));
    crmlite_string_free(token);
    CHECK_STATUS(crmlite_points_cursor_next(cursor, &row), CRMLITE_ROW);
    if (!row_is(row, CRMLITE_ENTRY_REDEEM, -30, "reward")) return 0;
    CHECK_STATUS(crmlite_points_cursor_next(cursor, &row), CRMLITE_ROW);
    if (!row_is(row, CRMLITE_ENTRY_AWARD, 60, "order")) return 0;
    CHECK(crmlite_points_entry_kind(row, &kind));
    EXPECT(kind == CRMLITE_ENTRY_AWARD);
    CHECK(crmlite_points_entry_expires_at(row, &at));
    EXPECT(at == 0);
    crmlite_points_cursor_free(cursor);
    CHECK_INVALID(crmlite_points_history(db, card, "x", 2, &cursor), "cursor");

    /* Issued counts the 60 earned and the 7 given back; 22 outstanding worth 22 × 100 luma. */
    CHECK(crmlite_program_metrics(db, 1, 0, now + DAY_MS, &m));
    EXPECT(m.issued == 67 && m.redeemed == 30 && m.reversed == 15 && m.expired == 0);
    EXPECT(m.pending == 0 && m.outstanding == 22 && m.liability == 2200);
    CHECK_INVALID(crmlite_program_metrics(db, 1, now, now, &m), "until");
    CHECK_STATUS(crmlite_program_metrics(db, 99, 0, now, &m), CRMLITE_ERR_NOT_FOUND);

    CHECK_MISUSE(crmlite_tier_add(db, 1, NULL, 1, &id));
    CHECK_MISUSE(crmlite_tier_add(db, 1, "x", 1, NULL));
    CHECK_MISUSE(crmlite_card_tier(db, card, NULL));
    CHECK_MISUSE(crmlite_card_refresh_tier(NULL, card, &tier));
    CHECK_MISUSE(crmlite_reward_add(db, 1, NULL, CRMLITE_REWARD_CASHBACK, 1, NULL, 1, &id));
    CHECK_MISUSE(crmlite_reward_redeem(db, card, voucher, 0, NULL, NULL));
    CHECK_MISUSE(crmlite_points_history(db, card, NULL, 2, NULL));
    CHECK_MISUSE(crmlite_points_cursor_next(NULL, &row));
    CHECK_MISUSE(crmlite_points_entry_points(NULL, &id));
    CHECK_MISUSE(crmlite_program_metrics(db, 1, 0, now, NULL));
    EXPECT(available(db, card) == 22);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"receipt once, redeem with a key, return reverses", test_receipt_once_redeem_with_key_and_return},
        {"expiry takes the unspent rest once", test_expiry_takes_the_rest_once},
        {"bad input names the field", test_bad_input_names_the_field},
        {"NULL pointers are misuse", test_null_pointers_are_misuse},
        {"tiers, rewards, history and metrics; a return gives redeemed points back", test_tiers_rewards_history_and_metrics},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
