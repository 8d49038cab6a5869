/* Tests of the deals part of the crmlite C API: prints "ok N - name" per test and "N passed, M failed". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The Tbilisi furniture dealer's stages: name | probability | kind | rot days. */
#define STAGES                                 \
    "პირველი ზარი | 10 | open | 7\n"           \
    "შოურუმის ვიზიტი | 25\n"                   \
    "შეთავაზება | 60\n"                        \
    "მოგებული | 100 | won\n"                   \
    "წაგებული | 0 | lost\n"

/* A database with a person (`*nino`), the furniture pipeline (`*pipeline`) and its stage ids. */
static int setup(crmlite **db, int64_t *nino, int64_t *pipeline, int64_t stages[5]) {
    crmlite_customer_draft *draft = NULL;
    size_t i;
    CHECK(crmlite_open(":memory:", db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, "ნინო ბერიძე", &draft));
    CHECK(crmlite_customer_add(*db, draft, nino));
    crmlite_customer_draft_free(draft);
    CHECK(crmlite_pipeline_add(*db, "ავეჯი", STAGES, pipeline));
    for (i = 0; i < 5; i++) CHECK(crmlite_pipeline_stage_id(*db, *pipeline, i, &stages[i]));
    CHECK_MISUSE(crmlite_pipeline_stage_id(*db, *pipeline, 5, &stages[0]));
    return 1;
}

static int test_a_deal_with_lines_moves_and_is_won(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    crmlite_deal *deal = NULL;
    int64_t nino, pipeline, stages[5], id, version, n64, minor;
    int32_t n32;
    size_t count;
    const char *s;

    if (!setup(&db, &nino, &pipeline, stages)) return 0;
    CHECK(crmlite_deal_draft_new(pipeline, "სამზარეულო", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, nino, 0));
    CHECK(crmlite_deal_draft_set_owner(draft, "გიორგი", "გიორგი"));
    /* 4.5 m at 320.00 GEL with 5 % off = 1368.00; one sink at 450.00 */
    CHECK(crmlite_deal_draft_add_line(draft, "სამუშაო ზედაპირი", 4500, 32000, "GEL", 500));
    CHECK(crmlite_deal_draft_add_line(draft, "ნიჟარა", 1000, 45000, "GEL", 0));
    CHECK(crmlite_deal_draft_set_probability(draft, 0));
    CHECK(crmlite_deal_draft_set_expected_close(draft, "2027-01-20"));
    CHECK(crmlite_deal_add(db, draft, &id));
    crmlite_deal_draft_free(draft);

    CHECK(crmlite_deal_get(db, id, &deal));
    CHECK(crmlite_deal_amount(deal, &minor, &s));
    EXPECT(minor == 181800);
    EXPECT_STR(s, "GEL");
    CHECK(crmlite_deal_probability(deal, &n32));
    EXPECT(n32 == 0); /* an explicit 0 stays 0 */
    CHECK(crmlite_deal_line_count(deal, &count));
    EXPECT(count == 2);
    CHECK(crmlite_deal_title(deal, &s));
    EXPECT_STR(s, "სამზარეულო");
    CHECK(crmlite_deal_version(deal, &version));
    crmlite_deal_free(deal);

    CHECK(crmlite_deal_move(db, id, version, stages[2], 0, "ნათია", &version));
    CHECK_STATUS(crmlite_deal_won(db, id, version - 1, "ნათია", &n64), CRMLITE_ERR_CONFLICT);
    CHECK(crmlite_deal_won(db, id, version, "ნათია", &version));
    CHECK(crmlite_deal_get(db, id, &deal));
    CHECK(crmlite_deal_status(deal, &n32));
    EXPECT(n32 == CRMLITE_DEAL_WON);
    CHECK(crmlite_deal_probability(deal, &n32));
    EXPECT(n32 == 100);
    CHECK(crmlite_deal_stage(deal, &n64));
    EXPECT(n64 == stages[3]);
    crmlite_deal_free(deal);
    crmlite_close(db);
    return 1;
}

static int test_bad_input_names_the_field_and_changes_nothing(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    int64_t nino, pipeline, other, stages[5], other_stage, id, version, reason, before;

    if (!setup(&db, &nino, &pipeline, stages)) return 0;
    CHECK(crmlite_pipeline_add(db, "კორპორატიული", "ზარი | 15\nმოგებული | 100 | won", &other));
    CHECK(crmlite_pipeline_stage_id(db, other, 0, &other_stage));
    before = count_changes(db);

    CHECK(crmlite_deal_draft_new(pipeline, "ოფისი", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, nino, 0));
    CHECK(crmlite_deal_draft_set_amount(draft, 100000, "GEL"));
    CHECK(crmlite_deal_draft_set_probability(draft, 101));
    CHECK_INVALID(crmlite_deal_add(db, draft, &id), "probability");
    CHECK_INVALID(crmlite_deal_draft_set_probability(draft, 300), "probability");
    CHECK(crmlite_deal_draft_set_probability(draft, -1));
    CHECK(crmlite_deal_draft_set_stage(draft, other_stage));
    CHECK_INVALID(crmlite_deal_add(db, draft, &id), "stage");
    CHECK(crmlite_deal_draft_set_stage(draft, 0));
    CHECK(crmlite_deal_draft_add_line(draft, "სკამი", -1000, 100, "GEL", 0));
    CHECK_INVALID(crmlite_deal_add(db, draft, &id), "lines[0].quantity_milli");
    crmlite_deal_draft_free(draft);

    CHECK(crmlite_deal_draft_new(999, "ოფისი", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, nino, 0));
    CHECK(crmlite_deal_draft_set_amount(draft, 100, "GEL"));
    CHECK_INVALID(crmlite_deal_add(db, draft, &id), "pipeline");
    CHECK_INVALID(crmlite_deal_draft_set_amount(draft, 100, "XYZ"), "currency");
    CHECK_INVALID(crmlite_deal_draft_set_expected_close(draft, "2027-02-30"), "expected_close");
    crmlite_deal_draft_free(draft);
    EXPECT(count_changes(db) == before);

    CHECK(crmlite_deal_draft_new(pipeline, "ოფისი", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, nino, 0));
    CHECK(crmlite_deal_draft_set_amount(draft, 100, "GEL"));
    CHECK(crmlite_deal_add(db, draft, &id));
    crmlite_deal_draft_free(draft);
    version = 1;
    before = count_changes(db);
    CHECK_INVALID(crmlite_deal_lost(db, id, version, 0, "", "გიორგი", &version), "lost_reason");
    CHECK_INVALID(crmlite_deal_move(db, id, version, other_stage, 0, "გიორგი", &version), "stage");
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_lost_reason_add(db, "ძვირია", &reason));
    CHECK(crmlite_deal_lost(db, id, version, reason, "იპოვა იაფი", "გიორგი", &version));
    EXPECT(version == 2);
    crmlite_close(db);
    return 1;
}

static int test_lists_forecast_and_funnel(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    crmlite_deal_cursor *cur = NULL;
    crmlite_forecast_cursor *fc = NULL;
    crmlite_funnel_cursor *nc = NULL;
    const crmlite_deal *row;
    const crmlite_forecast_row *frow;
    const crmlite_funnel_step *step;
    int64_t nino, pipeline, stages[5], id, n64, minor, rows = 0;
    int32_t bp;
    char *page = NULL;
    const char *s;
    int i;

    if (!setup(&db, &nino, &pipeline, stages)) return 0;
    for (i = 0; i < 5; i++) {
        CHECK(crmlite_deal_draft_new(pipeline, "შეკვეთა", &draft));
        CHECK(crmlite_deal_draft_set_parties(draft, nino, 0));
        CHECK(crmlite_deal_draft_set_owner(draft, i % 2 ? "ნათია" : "გიორგი", ""));
        CHECK(crmlite_deal_draft_set_amount(draft, 10001, "GEL"));
        CHECK(crmlite_deal_draft_set_stage(draft, stages[i % 3]));
        CHECK(crmlite_deal_add(db, draft, &id));
        crmlite_deal_draft_free(draft);
    }
    do {
        char *next = NULL;
        CHECK(crmlite_deal_list(db, pipeline, "გიორგი", page, 2, &cur));
        crmlite_string_free(page);
        while (crmlite_deal_cursor_next(cur, &row) == CRMLITE_ROW) {
            CHECK(crmlite_deal_owner(row, &s));
            EXPECT_STR(s, "გიორგი");
            rows++;
        }
        CHECK(crmlite_deal_cursor_next_page(cur, &next));
        crmlite_deal_cursor_free(cur);
        page = next;
    } while (page != NULL);
    EXPECT(rows == 3);

    /* გიორგი: deals at 10 %, 60 % and 25 %: 10001 * 95 / 100 = 9500.95 -> 9501 */
    CHECK(crmlite_forecast(db, CRMLITE_FORECAST_OWNER, 0, &fc));
    CHECK_STATUS(crmlite_forecast_cursor_next(fc, &frow), CRMLITE_ROW);
    CHECK(crmlite_forecast_row_group(frow, &s));
    EXPECT_STR(s, "გიორგი");
    CHECK(crmlite_forecast_row_deals(frow, &n64));
    EXPECT(n64 == 3);
    CHECK(crmlite_forecast_row_amount(frow, &minor, &s));
    EXPECT(minor == 30003);
    EXPECT_STR(s, "GEL");
    CHECK(crmlite_forecast_row_weighted(frow, &minor));
    EXPECT(minor == 9501);
    crmlite_forecast_cursor_free(fc);
    CHECK_INVALID(crmlite_forecast(db, 7, 0, &fc), "by");

    CHECK(crmlite_funnel(db, pipeline, &nc));
    CHECK_STATUS(crmlite_funnel_cursor_next(nc, &step), CRMLITE_ROW);
    CHECK(crmlite_funnel_step_name(step, &s));
    EXPECT_STR(s, "პირველი ზარი");
    CHECK(crmlite_funnel_step_reached(step, &n64));
    EXPECT(n64 == 5);
    CHECK(crmlite_funnel_step_current(step, &n64));
    EXPECT(n64 == 2);
    CHECK(crmlite_funnel_step_conversion_bp(step, &bp));
    EXPECT(bp == 6000);
    crmlite_funnel_cursor_free(nc);
    crmlite_close(db);
    return 1;
}

static int test_null_and_invalid_utf8(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    crmlite_deal *deal = NULL;
    int64_t id;
    CHECK(crmlite_open(":memory:", &db));
    CHECK_MISUSE(crmlite_pipeline_add(NULL, "ავეჯი", STAGES, &id));
    CHECK_MISUSE(crmlite_pipeline_add(db, "ავეჯი", STAGES, NULL));
    CHECK_MISUSE(crmlite_pipeline_add(db, NULL, STAGES, &id));
    CHECK_INVALID(crmlite_pipeline_add(db, "\xff", STAGES, &id), "name");
    CHECK_INVALID(crmlite_pipeline_add(db, "ავეჯი", "ზარი | 500", &id), "stages[0].probability");
    CHECK_INVALID(crmlite_deal_draft_new(1, "\xc0\x80", &draft), "title");
    EXPECT(draft == NULL);
    CHECK_MISUSE(crmlite_deal_draft_new(1, "x", NULL));
    CHECK_MISUSE(crmlite_deal_draft_set_owner(NULL, "x", "y"));
    CHECK_MISUSE(crmlite_deal_add(db, NULL, &id));
    CHECK_MISUSE(crmlite_deal_get(db, 1, NULL));
    CHECK_STATUS(crmlite_deal_get(db, 99, &deal), CRMLITE_ERR_NOT_FOUND);
    EXPECT(deal == NULL);
    CHECK_MISUSE(crmlite_deal_list(db, 0, NULL, NULL, 10, NULL));
    CHECK_MISUSE(crmlite_forecast(db, CRMLITE_FORECAST_OWNER, 0, NULL));
    CHECK_MISUSE(crmlite_funnel(NULL, 1, NULL));
    crmlite_deal_draft_free(NULL);
    crmlite_deal_free(NULL);
    crmlite_deal_cursor_free(NULL);
    crmlite_forecast_cursor_free(NULL);
    crmlite_funnel_cursor_free(NULL);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"a deal with lines moves and is won", test_a_deal_with_lines_moves_and_is_won},
        {"bad input names the field and changes nothing", test_bad_input_names_the_field_and_changes_nothing},
        {"lists, forecast and funnel", test_lists_forecast_and_funnel},
        {"NULL pointers and invalid UTF-8", test_null_and_invalid_utf8},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
