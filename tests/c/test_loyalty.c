/* Tests of the crmlite C API for sales and loyalty: the Yerevan pharmacy's till. */
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

    /* One box back: a quarter of the 60 points is reversed. */
    CHECK(crmlite_return_record(db, order, line0, one, 1, &ret));
    EXPECT(available(db, card) == 25);
    CHECK_INVALID(crmlite_return_record(db, order, line0, two, 1, &ret), "lines[0].quantity");
    CHECK(crmlite_points_adjust(db, card, 5, "ներողություն", NULL, &entry));
    EXPECT(available(db, card) == 30);
    CHECK_INVALID(crmlite_points_adjust(db, card, -31, "ուղղում", NULL, &entry), "points");
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

struct test {
    const char *name;
    int (*run)(void);
};

int main(void) {
    static const struct test tests[] = {
        {"receipt once, redeem with a key, return reverses", test_receipt_once_redeem_with_key_and_return},
        {"expiry takes the unspent rest once", test_expiry_takes_the_rest_once},
        {"bad input names the field", test_bad_input_names_the_field},
        {"NULL pointers are misuse", test_null_pointers_are_misuse},
    };
    size_t i, n = sizeof tests / sizeof tests[0];
    int passed = 0, failed = 0;

    for (i = 0; i < n; i++) {
        if (tests[i].run()) {
            printf("ok %d - %s\n", (int)i + 1, tests[i].name);
            passed++;
        } else {
            printf("not ok %d - %s\n", (int)i + 1, tests[i].name);
            failed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
