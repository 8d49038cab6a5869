/* Tests of the rest of the deals C API: stages, lost reasons, patches, reopening, pipeline
 * changes, history, stale deals and the win-rate, time-in-stage and lost-reasons reports.
 * Prints "ok N - name" per test and "N passed, M failed". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* An Armenian bakery supplier's stages: name | probability | kind | rot days. */
#define STAGES                          \
    "Առաջին զանգ | 10 | open | 3\n"     \
    "Համտես | 40\n"                     \
    "Պայմանագիր | 70\n"                 \
    "Շահված | 100 | won\n"              \
    "Կորցրած | 0 | lost\n"

#define DAY_MS 86400000LL

/* A database with a person (`*anna`), the pipeline (`*pipeline`) and its stage ids. */
static int setup(crmlite **db, int64_t *anna, int64_t *pipeline, int64_t stages[5]) {
    crmlite_customer_draft *draft = NULL;
    size_t i;
    CHECK(crmlite_open(":memory:", db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, "Աննա Հակոբյան", &draft));
    CHECK(crmlite_customer_add(*db, draft, anna));
    crmlite_customer_draft_free(draft);
    CHECK(crmlite_pipeline_add(*db, "Հացաբուլկեղեն", STAGES, pipeline));
    for (i = 0; i < 5; i++) CHECK(crmlite_pipeline_stage_id(*db, *pipeline, i, &stages[i]));
    return 1;
}

/* Adds a deal of `minor` AMD for `anna` in `stage` (0: the first open stage). */
static int add_deal(crmlite *db, int64_t pipeline, int64_t anna, int64_t stage, int64_t minor,
                    int64_t *id) {
    crmlite_deal_draft *draft = NULL;
    CHECK(crmlite_deal_draft_new(pipeline, "Լավաշ", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, anna, 0));
    CHECK(crmlite_deal_draft_set_amount(draft, minor, "AMD"));
    CHECK(crmlite_deal_draft_set_stage(draft, stage));
    CHECK(crmlite_deal_add(db, draft, id));
    crmlite_deal_draft_free(draft);
    return 1;
}

static int test_stages_are_added_renamed_reordered_and_retired(void) {
    crmlite *db = NULL;
    crmlite_stage_cursor *sc = NULL;
    crmlite_pipeline_cursor *pc = NULL;
    const crmlite_stage *stage;
    const crmlite_pipeline *p;
    int64_t anna, pipeline, stages[5], extra, deal, n64, rot, before, order[4];
    int32_t kind, prob;
    bool retired;
    size_t count;
    const char *s;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    if (!add_deal(db, pipeline, anna, stages[1], 1000, &deal)) return 0;
    CHECK(crmlite_stage_add(db, pipeline, "Բանակցություն", CRMLITE_STAGE_OPEN, 55, 10, &extra));
    CHECK(crmlite_stage_rename(db, stages[1], "Համտեսում"));
    CHECK(crmlite_stage_set_probability(db, stages[1], 45));
    CHECK(crmlite_stage_set_rot_after_days(db, stages[1], 5));
    CHECK(crmlite_stage_set_rot_after_days(db, stages[0], -1));

    /* bad input names the field and changes nothing */
    before = count_changes(db);
    CHECK_INVALID(crmlite_stage_add(db, pipeline, "Ուրիշ", 9, -1, -1, &n64), "kind");
    CHECK_INVALID(crmlite_stage_add(db, pipeline, "Ուրիշ", CRMLITE_STAGE_OPEN, 101, -1, &n64),
                  "probability");
    CHECK_INVALID(crmlite_stage_add(db, pipeline, "", CRMLITE_STAGE_OPEN, 10, -1, &n64), "stage.name");
    CHECK_STATUS(crmlite_stage_add(db, 999, "Ուրիշ", CRMLITE_STAGE_OPEN, 10, -1, &n64),
                 CRMLITE_ERR_NOT_FOUND);
    CHECK_INVALID(crmlite_stage_set_probability(db, stages[1], -1), "probability");
    CHECK_INVALID(crmlite_stage_set_rot_after_days(db, stages[1], 0), "rot_after_days");
    CHECK_INVALID(crmlite_stage_rename(db, stages[0], "Պայմանագիր"), "name");
    order[0] = stages[2];
    order[1] = stages[0];
    CHECK_INVALID(crmlite_stage_reorder(db, pipeline, order, 2), "order");
    CHECK_MISUSE(crmlite_stage_reorder(db, pipeline, NULL, 3));
    EXPECT(count_changes(db) == before);

    /* the open stages in a new order: the new stage first */
    order[0] = extra;
    order[1] = stages[0];
    order[2] = stages[1];
    order[3] = stages[2];
    {
        int64_t all[6];
        all[0] = extra;
        all[1] = stages[0];
        all[2] = stages[1];
        all[3] = stages[2];
        all[4] = stages[3];
        all[5] = stages[4];
        CHECK(crmlite_stage_reorder(db, pipeline, all, 6));
    }
    CHECK(crmlite_stage_retire(db, stages[2]));

    CHECK(crmlite_pipeline_stages(db, pipeline, &sc));
    CHECK_STATUS(crmlite_stage_cursor_next(sc, &stage), CRMLITE_ROW);
    CHECK(crmlite_stage_id(stage, &n64));
    EXPECT(n64 == extra);
    CHECK(crmlite_stage_name(stage, &s));
    EXPECT_STR(s, "Բանակցություն");
    CHECK(crmlite_stage_details(stage, &kind, &prob, &rot, &retired));
    EXPECT(kind == CRMLITE_STAGE_OPEN && prob == 55 && rot == 10 && !retired);
    CHECK_STATUS(crmlite_stage_cursor_next(sc, &stage), CRMLITE_ROW);
    CHECK(crmlite_stage_details(stage, &kind, &prob, &rot, &retired));
    EXPECT(rot == -1); /* cleared */
    CHECK_STATUS(crmlite_stage_cursor_next(sc, &stage), CRMLITE_ROW);
    CHECK(crmlite_stage_name(stage, &s));
    EXPECT_STR(s, "Համտեսում");
    CHECK(crmlite_stage_details(stage, &kind, &prob, &rot, &retired));
    EXPECT(prob == 45 && rot == 5);
    count = 3;
    while (crmlite_stage_cursor_next(sc, &stage) == CRMLITE_ROW) {
        CHECK(crmlite_stage_id(stage, &n64));
        CHECK(crmlite_stage_details(stage, &kind, &prob, &rot, &retired));
        EXPECT(retired == (n64 == stages[2]));
        count++;
    }
    EXPECT(count == 6);
    crmlite_stage_cursor_free(sc);

    /* the deal in the renamed stage keeps it and follows its new default */
    {
        crmlite_deal *d = NULL;
        CHECK(crmlite_deal_get(db, deal, &d));
        CHECK(crmlite_deal_stage(d, &n64));
        EXPECT(n64 == stages[1]);
        CHECK(crmlite_deal_probability(d, &prob));
        EXPECT(prob == 45);
        crmlite_deal_free(d);
    }
    /* no move into a retired stage */
    CHECK_INVALID(crmlite_deal_move(db, deal, 1, stages[2], 0, "Արամ", &n64), "stage");

    CHECK(crmlite_pipeline_rename(db, pipeline, "Հաց և թխվածք"));
    CHECK_INVALID(crmlite_pipeline_rename(db, pipeline, "  "), "name");
    CHECK(crmlite_pipeline_list(db, &pc));
    CHECK_STATUS(crmlite_pipeline_cursor_next(pc, &p), CRMLITE_ROW);
    CHECK(crmlite_pipeline_id(p, &n64));
    EXPECT(n64 == pipeline);
    CHECK(crmlite_pipeline_name(p, &s));
    EXPECT_STR(s, "Հաց և թխվածք");
    CHECK(crmlite_pipeline_stage_count(p, &count));
    EXPECT(count == 6);
    CHECK_STATUS(crmlite_pipeline_cursor_next(pc, &p), CRMLITE_DONE);
    crmlite_pipeline_cursor_free(pc);
    crmlite_close(db);
    return 1;
}

static int test_lost_reasons_are_seeded_renamed_and_retired(void) {
    crmlite *db = NULL;
    crmlite_lost_reason_cursor *cur = NULL;
    const crmlite_lost_reason *row;
    const char *names[] = {"Թանկ է", "Ընտրեց ուրիշին", "Թանկ է"};
    const char *bad[] = {"Լավ", ""};
    int64_t anna, pipeline, stages[5], id, first = 0, deal, version, n = 0, before;
    bool retired;
    const char *s;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    CHECK(crmlite_lost_reason_seed(db, names, 3));
    before = count_changes(db);
    CHECK_INVALID(crmlite_lost_reason_seed(db, bad, 2), "names[1]");
    CHECK_MISUSE(crmlite_lost_reason_seed(db, NULL, 1));
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_lost_reason_list(db, &cur));
    while (crmlite_lost_reason_cursor_next(cur, &row) == CRMLITE_ROW) {
        CHECK(crmlite_lost_reason_details(row, &id, &s, &retired));
        if (n == 0) {
            first = id;
            EXPECT_STR(s, "Թանկ է");
        }
        EXPECT(!retired);
        n++;
    }
    crmlite_lost_reason_cursor_free(cur);
    EXPECT(n == 2); /* the repeated name is added once */

    CHECK(crmlite_lost_reason_rename(db, first, "Գինը բարձր է"));
    CHECK_INVALID(crmlite_lost_reason_rename(db, first, ""), "name");
    CHECK_STATUS(crmlite_lost_reason_rename(db, 999, "Ոչ"), CRMLITE_ERR_NOT_FOUND);
    CHECK(crmlite_lost_reason_retire(db, first));
    CHECK(crmlite_lost_reason_list(db, &cur));
    CHECK_STATUS(crmlite_lost_reason_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_lost_reason_details(row, &id, &s, &retired));
    EXPECT_STR(s, "Գինը բարձր է");
    EXPECT(retired);
    crmlite_lost_reason_cursor_free(cur);

    /* a retired reason cannot be chosen */
    if (!add_deal(db, pipeline, anna, 0, 5000, &deal)) return 0;
    version = 1;
    CHECK_INVALID(crmlite_deal_lost(db, deal, version, first, "", "Արամ", &version), "lost_reason");
    EXPECT(version == 1);
    crmlite_close(db);
    return 1;
}

static int test_a_patch_edits_the_deal_and_bad_input_changes_nothing(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    crmlite_customer_draft *cdraft = NULL;
    crmlite_deal_patch *patch = NULL;
    crmlite_deal *d = NULL;
    int64_t anna, pipeline, stages[5], id, version, n64, before, qty, price, total, org;
    int32_t prob;
    uint32_t disc;
    bool has, flag;
    const char *s, *code;
    crmlite_entry *entry = NULL;
    int32_t outcome = -1;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    CHECK(crmlite_entry_upsert(db, "product", "FLOUR-1", "Ալյուր", NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_deal_draft_new(pipeline, "Մատնաքաշ", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, anna, 0));
    CHECK(crmlite_deal_draft_add_line(draft, "Ալյուր", 2500, 40000, "AMD", 1000));
    CHECK(crmlite_deal_draft_set_line_product_code(draft, "FLOUR-1"));
    CHECK(crmlite_deal_draft_set_source(draft, "instagram"));
    CHECK(crmlite_deal_draft_set_external_code(draft, "1C-0042"));
    CHECK(crmlite_deal_draft_set_attribute_text(draft, "district", "Կենտրոն"));
    CHECK(crmlite_deal_draft_set_attribute_int(draft, "ovens", 3));
    CHECK(crmlite_deal_draft_set_attribute_bool(draft, "wholesale", true));
    CHECK(crmlite_deal_add(db, draft, &id));
    crmlite_deal_draft_free(draft);

    CHECK(crmlite_deal_get_by_code(db, "1C-0042", &d));
    CHECK(crmlite_deal_id(d, &n64));
    EXPECT(n64 == id);
    CHECK(crmlite_deal_line(d, 0, &s, &code, &qty, &price, &disc, &total));
    /* 2.5 x 400.00 with 10 % off = 900.00 */
    EXPECT_STR(s, "Ալյուր");
    EXPECT_STR(code, "FLOUR-1");
    EXPECT(qty == 2500 && price == 40000 && disc == 1000 && total == 90000);
    CHECK_MISUSE(crmlite_deal_line(d, 1, &s, &code, &qty, &price, &disc, &total));
    CHECK(crmlite_deal_source(d, &s));
    EXPECT_STR(s, "instagram");
    CHECK(crmlite_deal_attribute_text(d, "district", &s));
    EXPECT_STR(s, "Կենտրոն");
    CHECK(crmlite_deal_attribute_int(d, "ovens", &has, &n64));
    EXPECT(has && n64 == 3);
    CHECK(crmlite_deal_attribute_bool(d, "wholesale", &has, &flag));
    EXPECT(has && flag);
    CHECK(crmlite_deal_attribute_bool(d, "ovens", &has, &flag));
    EXPECT(!has && !flag); /* a whole number is not a true/false attribute */
    CHECK(crmlite_deal_probability_override(d, &prob));
    EXPECT(prob == -1);
    CHECK(crmlite_deal_version(d, &version));
    crmlite_deal_free(d);
    CHECK_STATUS(crmlite_deal_get_by_code(db, "none", &d), CRMLITE_ERR_NOT_FOUND);

    /* bad input: nothing changes */
    before = count_changes(db);
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK(crmlite_deal_patch_set_title(patch, "Նոր անուն"));
    CHECK(crmlite_deal_patch_add_line(patch, "Ալյուր", -1, 100, "AMD", 0));
    CHECK_INVALID(crmlite_deal_update(db, id, version, patch, &n64), "lines[0].quantity_milli");
    crmlite_deal_patch_free(patch);
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK(crmlite_deal_patch_set_amount(patch, 100, "AMD"));
    CHECK_INVALID(crmlite_deal_update(db, id, version, patch, &n64), "amount");
    crmlite_deal_patch_free(patch);
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK_INVALID(crmlite_deal_patch_set_probability(patch, 101), "probability");
    CHECK_INVALID(crmlite_deal_patch_set_expected_close(patch, "2027-13-01"), "expected_close");
    CHECK_INVALID(crmlite_deal_patch_set_amount(patch, 1, "ABC"), "currency");
    CHECK(crmlite_deal_patch_set_title(patch, "Նոր անուն"));
    CHECK_STATUS(crmlite_deal_update(db, id, version + 1, patch, &n64), CRMLITE_ERR_CONFLICT);
    CHECK(crmlite_deal_patch_set_parties(patch, 0, 0));
    CHECK_INVALID(crmlite_deal_update(db, id, version, patch, &n64), "customer");
    crmlite_deal_patch_free(patch);
    EXPECT(count_changes(db) == before);

    /* a good patch: an explicit 0 stays 0 */
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_ORGANISATION, "Արարատ ՍՊԸ", &cdraft));
    CHECK(crmlite_customer_add(db, cdraft, &org));
    crmlite_customer_draft_free(cdraft);
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK(crmlite_deal_patch_set_title(patch, "Մատնաքաշ, շաբաթական"));
    CHECK(crmlite_deal_patch_set_parties(patch, anna, org));
    CHECK(crmlite_deal_patch_set_owner(patch, "Արամ"));
    CHECK(crmlite_deal_patch_add_line(patch, "Ալյուր", 3000, 40000, "AMD", 0));
    CHECK(crmlite_deal_patch_add_line(patch, "Աղ", 1000, 500, "AMD", 0));
    CHECK(crmlite_deal_patch_set_probability(patch, 0));
    CHECK(crmlite_deal_patch_set_expected_close(patch, "2027-03-31"));
    CHECK(crmlite_deal_patch_set_source(patch, "campaign:7"));
    CHECK(crmlite_deal_patch_set_external_code(patch, NULL));
    CHECK(crmlite_deal_patch_set_attribute_int(patch, "ovens", 4));
    CHECK(crmlite_deal_patch_set_attribute_bool(patch, "wholesale", false));
    CHECK(crmlite_deal_patch_remove_attribute(patch, "district"));
    CHECK(crmlite_deal_update(db, id, version, patch, &version));
    crmlite_deal_patch_free(patch);
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_title(d, &s));
    EXPECT_STR(s, "Մատնաքաշ, շաբաթական");
    CHECK(crmlite_deal_parties(d, &n64, &qty));
    EXPECT(n64 == anna && qty == org);
    CHECK(crmlite_deal_owner(d, &s));
    EXPECT_STR(s, "Արամ");
    CHECK(crmlite_deal_amount(d, &n64, &s));
    EXPECT(n64 == 120500);
    CHECK(crmlite_deal_probability(d, &prob));
    EXPECT(prob == 0);
    CHECK(crmlite_deal_probability_override(d, &prob));
    EXPECT(prob == 0);
    CHECK(crmlite_deal_expected_close(d, &s));
    EXPECT_STR(s, "2027-03-31");
    CHECK(crmlite_deal_external_code(d, &s));
    EXPECT(s == NULL);
    CHECK(crmlite_deal_attribute_text(d, "district", &s));
    EXPECT(s == NULL);
    CHECK(crmlite_deal_attribute_int(d, "ovens", &has, &n64));
    EXPECT(has && n64 == 4);
    CHECK(crmlite_deal_attribute_bool(d, "wholesale", &has, &flag));
    EXPECT(has && !flag);
    crmlite_deal_free(d);

    /* back to the stage default, and the close date cleared */
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK(crmlite_deal_patch_set_probability(patch, -1));
    CHECK(crmlite_deal_patch_set_expected_close(patch, NULL));
    CHECK(crmlite_deal_update(db, id, version, patch, &version));
    crmlite_deal_patch_free(patch);
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_probability(d, &prob));
    EXPECT(prob == 10);
    CHECK(crmlite_deal_expected_close(d, &s));
    EXPECT(s == NULL);
    crmlite_deal_free(d);
    crmlite_close(db);
    return 1;
}

static int test_reopen_change_pipeline_history_and_stale(void) {
    crmlite *db = NULL;
    crmlite_deal *d = NULL;
    crmlite_deal_cursor *cur = NULL;
    crmlite_stage_change_cursor *hc = NULL;
    const crmlite_stage_change *h;
    const crmlite_deal *row;
    int64_t anna, pipeline, stages[5], other, other_stages[2], id, id2, version, reason, n64,
        closed, entered, created, updated, from, to, at, spent, before, rows;
    int32_t status;
    const char *s;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    CHECK(crmlite_pipeline_add(db, "Մեծածախ", "Հայտ | 20 | open | 2\nՇահված | 100 | won", &other));
    CHECK(crmlite_pipeline_stage_id(db, other, 0, &other_stages[0]));
    CHECK(crmlite_pipeline_stage_id(db, other, 1, &other_stages[1]));
    CHECK(crmlite_lost_reason_add(db, "Թանկ է", &reason));
    if (!add_deal(db, pipeline, anna, stages[1], 7000, &id)) return 0;
    if (!add_deal(db, pipeline, anna, 0, 8000, &id2)) return 0;
    version = 1;
    CHECK(crmlite_deal_lost(db, id, version, reason, "գինը", "Արամ", &version));
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_lost_reason(d, &n64, &s));
    EXPECT(n64 == reason);
    EXPECT_STR(s, "գինը");
    CHECK(crmlite_deal_lost_at_stage(d, &n64));
    EXPECT(n64 == stages[1]);
    crmlite_deal_free(d);

    /* reopening: bad input changes nothing, then back into the stage it was lost at */
    before = count_changes(db);
    CHECK_STATUS(crmlite_deal_reopen(db, id, version - 1, 0, "Արամ", &n64), CRMLITE_ERR_CONFLICT);
    CHECK_INVALID(crmlite_deal_reopen(db, id, version, stages[3], "Արամ", &n64), "stage");
    CHECK_INVALID(crmlite_deal_reopen(db, id, version, other_stages[0], "Արամ", &n64), "stage");
    CHECK_STATUS(crmlite_deal_reopen(db, id2, 1, 0, "Արամ", &n64), CRMLITE_ERR_CONFLICT);
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_deal_reopen(db, id, version, 0, "Արամ", &version));
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_status(d, &status));
    EXPECT(status == CRMLITE_DEAL_OPEN);
    CHECK(crmlite_deal_stage(d, &n64));
    EXPECT(n64 == stages[1]);
    CHECK(crmlite_deal_lost_reason(d, &n64, &s));
    EXPECT(n64 == 0);
    crmlite_deal_free(d);

    /* to another pipeline */
    before = count_changes(db);
    CHECK_INVALID(crmlite_deal_change_pipeline(db, id, version, 999, 0, "Արամ", &n64), "pipeline");
    CHECK_INVALID(crmlite_deal_change_pipeline(db, id, version, pipeline, 0, "Արամ", &n64), "pipeline");
    CHECK_INVALID(crmlite_deal_change_pipeline(db, id, version, other, stages[0], "Արամ", &n64), "stage");
    CHECK_INVALID(crmlite_deal_change_pipeline(db, id, version, other, other_stages[1], "Արամ", &n64), "stage");
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_deal_change_pipeline(db, id, version, other, 0, "Արամ", &version));
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_pipeline(d, &n64));
    EXPECT(n64 == other);
    CHECK(crmlite_deal_stage(d, &n64));
    EXPECT(n64 == other_stages[0]);
    CHECK(crmlite_deal_times(d, &closed, &entered, &created, &updated));
    EXPECT(closed == 0 && entered >= created && updated >= created);
    crmlite_deal_free(d);

    /* the history: created, lost, reopened, moved to the other pipeline */
    CHECK(crmlite_deal_history(db, id, &hc));
    rows = 0;
    while (crmlite_stage_change_cursor_next(hc, &h) == CRMLITE_ROW) {
        CHECK(crmlite_stage_change_details(h, &from, &to, &s, &at, &spent));
        if (rows == 0) EXPECT(from == 0 && to == stages[1] && spent == 0);
        if (rows == 1) EXPECT(from == stages[1] && to == stages[4]);
        if (rows == 3) {
            EXPECT(from == stages[1] && to == other_stages[0]);
            EXPECT_STR(s, "Արամ");
        }
        EXPECT(spent >= 0 && at >= created);
        rows++;
    }
    EXPECT(rows == 4);
    crmlite_stage_change_cursor_free(hc);
    CHECK_STATUS(crmlite_deal_history(db, 999, &hc), CRMLITE_ERR_NOT_FOUND);

    /* stale as of a given time: the other pipeline's stage rots after 2 days */
    CHECK(crmlite_deal_stale(db, 0, entered + 2 * DAY_MS - 1, NULL, 10, &cur));
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_deal_cursor_free(cur);
    CHECK(crmlite_deal_stale(db, other, entered + 2 * DAY_MS, NULL, 10, &cur));
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_deal_id(row, &n64));
    EXPECT(n64 == id);
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_deal_cursor_free(cur);
    /* the first pipeline's first stage rots after 3 days: the second deal */
    CHECK(crmlite_deal_stale(db, pipeline, entered + 30 * DAY_MS, NULL, 10, &cur));
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_deal_id(row, &n64));
    EXPECT(n64 == id2);
    crmlite_deal_cursor_free(cur);
    CHECK_INVALID(crmlite_deal_stale(db, 0, 0, "bad", 10, &cur), "cursor");
    CHECK_INVALID(crmlite_deal_stale(db, 0, 0, NULL, 0, &cur), "limit");

    /* filtered lists */
    CHECK(crmlite_deal_find(db, 0, 0, anna, NULL, CRMLITE_DEAL_OPEN, NULL, 10, &cur));
    rows = 0;
    while (crmlite_deal_cursor_next(cur, &row) == CRMLITE_ROW) rows++;
    EXPECT(rows == 2);
    crmlite_deal_cursor_free(cur);
    CHECK(crmlite_deal_find(db, pipeline, stages[0], 0, NULL, -1, NULL, 10, &cur));
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_deal_id(row, &n64));
    EXPECT(n64 == id2);
    CHECK_STATUS(crmlite_deal_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_deal_cursor_free(cur);
    CHECK_INVALID(crmlite_deal_find(db, 0, 0, 0, NULL, 5, NULL, 10, &cur), "status");
    crmlite_close(db);
    return 1;
}

static int test_win_rate_time_in_stage_and_lost_reasons(void) {
    crmlite *db = NULL;
    crmlite_stage_time_cursor *tc = NULL;
    crmlite_lost_reason_row_cursor *lc = NULL;
    const crmlite_stage_time *t;
    const crmlite_lost_reason_row *l;
    int64_t anna, pipeline, stages[5], ids[4], version, reason, won, lost, stage, stays, avg, med,
        deals, n64;
    int32_t rate;
    const char *name, *stage_name;
    int i;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    CHECK(crmlite_lost_reason_add(db, "Ընտրեց ուրիշին", &reason));
    for (i = 0; i < 4; i++)
        if (!add_deal(db, pipeline, anna, 0, 1000 * (i + 1), &ids[i])) return 0;
    /* three won, one lost from the tasting stage */
    for (i = 0; i < 3; i++) CHECK(crmlite_deal_won(db, ids[i], 1, "Արամ", &version));
    CHECK(crmlite_deal_move(db, ids[3], 1, stages[1], 0, "Արամ", &version));
    CHECK_INVALID(crmlite_deal_move_v2(db, ids[3], version, stages[4], 0, "", "Արամ", &n64),
                  "lost_reason");
    CHECK(crmlite_deal_move_v2(db, ids[3], version, stages[4], reason, "գնեց հարևանից", "Արամ",
                               &version));
    {
        crmlite_deal *d = NULL;
        const char *note;
        CHECK(crmlite_deal_get(db, ids[3], &d));
        CHECK(crmlite_deal_lost_reason(d, &n64, &note));
        EXPECT(n64 == reason);
        EXPECT_STR(note, "գնեց հարևանից");
        crmlite_deal_free(d);
    }

    CHECK(crmlite_win_rate(db, pipeline, &won, &lost, &rate));
    EXPECT(won == 3 && lost == 1 && rate == 7500);
    CHECK(crmlite_win_rate(db, 0, &won, &lost, &rate));
    EXPECT(won == 3 && lost == 1);
    CHECK_STATUS(crmlite_win_rate(db, 999, &won, &lost, &rate), CRMLITE_ERR_NOT_FOUND);
    CHECK_MISUSE(crmlite_win_rate(db, 0, &won, NULL, &rate));

    CHECK(crmlite_time_in_stage(db, pipeline, &tc));
    CHECK_STATUS(crmlite_stage_time_cursor_next(tc, &t), CRMLITE_ROW);
    CHECK(crmlite_stage_time_details(t, &stage, &name, &stays, &avg, &med));
    EXPECT(stage == stages[0]);
    EXPECT_STR(name, "Առաջին զանգ");
    EXPECT(stays == 4 && avg >= 0 && med >= 0);
    CHECK_STATUS(crmlite_stage_time_cursor_next(tc, &t), CRMLITE_ROW);
    CHECK(crmlite_stage_time_details(t, &stage, &name, &stays, &avg, &med));
    EXPECT(stays == 1);
    CHECK_STATUS(crmlite_stage_time_cursor_next(tc, &t), CRMLITE_ROW);
    CHECK(crmlite_stage_time_details(t, &stage, &name, &stays, &avg, &med));
    EXPECT(stays == 0 && avg == -1 && med == -1);
    crmlite_stage_time_cursor_free(tc);
    CHECK_STATUS(crmlite_time_in_stage(db, 999, &tc), CRMLITE_ERR_NOT_FOUND);

    CHECK(crmlite_lost_reasons_report(db, pipeline, &lc));
    CHECK_STATUS(crmlite_lost_reason_row_cursor_next(lc, &l), CRMLITE_ROW);
    CHECK(crmlite_lost_reason_row_details(l, &n64, &name, &stage, &stage_name, &deals));
    EXPECT(n64 == reason && stage == stages[1] && deals == 1);
    EXPECT_STR(name, "Ընտրեց ուրիշին");
    EXPECT_STR(stage_name, "Համտես");
    CHECK_STATUS(crmlite_lost_reason_row_cursor_next(lc, &l), CRMLITE_DONE);
    crmlite_lost_reason_row_cursor_free(lc);
    crmlite_close(db);
    return 1;
}

static int test_null_pointers(void) {
    crmlite *db = NULL;
    crmlite_deal_patch *patch = NULL;
    int64_t id;
    CHECK(crmlite_open(":memory:", &db));
    CHECK_MISUSE(crmlite_pipeline_list(db, NULL));
    CHECK_MISUSE(crmlite_pipeline_rename(NULL, 1, "x"));
    CHECK_MISUSE(crmlite_stage_add(db, 1, NULL, CRMLITE_STAGE_OPEN, 10, -1, &id));
    CHECK_MISUSE(crmlite_stage_rename(db, 1, NULL));
    CHECK_INVALID(crmlite_stage_rename(db, 1, "\xff"), "name");
    CHECK_MISUSE(crmlite_lost_reason_list(db, NULL));
    CHECK_MISUSE(crmlite_deal_patch_new(NULL));
    CHECK_MISUSE(crmlite_deal_patch_set_title(NULL, "x"));
    CHECK(crmlite_deal_patch_new(&patch));
    CHECK_INVALID(crmlite_deal_patch_set_owner(patch, "\xc0\x80"), "owner");
    CHECK_MISUSE(crmlite_deal_update(db, 1, 1, NULL, &id));
    CHECK_MISUSE(crmlite_deal_update(db, 1, 1, patch, NULL));
    crmlite_deal_patch_free(patch);
    CHECK_MISUSE(crmlite_deal_reopen(db, 1, 1, 0, NULL, &id));
    CHECK_MISUSE(crmlite_deal_history(db, 1, NULL));
    CHECK_MISUSE(crmlite_time_in_stage(NULL, 1, NULL));
    CHECK_MISUSE(crmlite_lost_reasons_report(db, 0, NULL));
    CHECK_MISUSE(crmlite_deal_parties(NULL, &id, &id));
    crmlite_deal_patch_free(NULL);
    crmlite_pipeline_cursor_free(NULL);
    crmlite_stage_cursor_free(NULL);
    crmlite_lost_reason_cursor_free(NULL);
    crmlite_stage_change_cursor_free(NULL);
    crmlite_stage_time_cursor_free(NULL);
    crmlite_lost_reason_row_cursor_free(NULL);
    crmlite_close(db);
    return 1;
}

static int test_a_line_product_code_names_an_active_product(void) {
    crmlite *db = NULL;
    crmlite_deal_draft *draft = NULL;
    crmlite_deal *d = NULL;
    crmlite_entry *entry = NULL;
    int64_t anna, pipeline, stages[5], id = 0, before, qty, price, total;
    int32_t outcome = -1;
    uint32_t disc;
    const char *product, *code;
    const char *bad[] = {"NOPE-9", "OLD-1"};
    size_t i;

    if (!setup(&db, &anna, &pipeline, stages)) return 0;
    CHECK(crmlite_entry_upsert(db, "product", "OVEN-1", "Թոնիր", NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_upsert(db, "product", "OLD-1", "Παλιός φούρνος", NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_archive(db, "product", "OLD-1", 1));
    before = count_changes(db);
    for (i = 0; i < 2; i++) {
        CHECK(crmlite_deal_draft_new(pipeline, "Փուռ", &draft));
        CHECK(crmlite_deal_draft_set_parties(draft, anna, 0));
        CHECK(crmlite_deal_draft_add_line(draft, "", 1000, 500000, "AMD", 0));
        CHECK(crmlite_deal_draft_set_line_product_code(draft, bad[i]));
        CHECK_INVALID(crmlite_deal_add(db, draft, &id), "lines[0].product_code");
        crmlite_deal_draft_free(draft);
    }
    EXPECT(count_changes(db) == before);
    /* An empty product name takes the entry's. */
    CHECK(crmlite_deal_draft_new(pipeline, "Փուռ", &draft));
    CHECK(crmlite_deal_draft_set_parties(draft, anna, 0));
    CHECK(crmlite_deal_draft_add_line(draft, "", 1000, 500000, "AMD", 0));
    CHECK(crmlite_deal_draft_set_line_product_code(draft, "OVEN-1"));
    CHECK(crmlite_deal_add(db, draft, &id));
    crmlite_deal_draft_free(draft);
    CHECK(crmlite_deal_get(db, id, &d));
    CHECK(crmlite_deal_line(d, 0, &product, &code, &qty, &price, &disc, &total));
    EXPECT_STR(product, "Թոնիր");
    EXPECT_STR(code, "OVEN-1");
    crmlite_deal_free(d);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"stages are added, renamed, reordered and retired", test_stages_are_added_renamed_reordered_and_retired},
        {"lost reasons are seeded, renamed and retired", test_lost_reasons_are_seeded_renamed_and_retired},
        {"a patch edits the deal; bad input changes nothing", test_a_patch_edits_the_deal_and_bad_input_changes_nothing},
        {"reopen, change pipeline, history and stale deals", test_reopen_change_pipeline_history_and_stale},
        {"win rate, time in stage and lost reasons", test_win_rate_time_in_stage_and_lost_reasons},
        {"NULL pointers", test_null_pointers},
        {"a line product code names an active product", test_a_line_product_code_names_an_active_product},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
