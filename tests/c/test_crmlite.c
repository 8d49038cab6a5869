/* Tests of the crmlite C API: prints "ok N - name" per test and "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define ARAM "Արամ Սարգսյան"
#define NINO_UPPER "ᲜᲘᲜᲝ ᲑᲔᲠᲘᲫᲔ"
#define MARYAM "مریم احمدی"
#define PHARMACY "Նաիրի Դեղատուն ՍՊԸ"

/* Adds a person named `name` with one phone (or none when NULL). */
static crmlite_status add_person(crmlite *db, const char *name, const char *phone, int64_t *id) {
    crmlite_customer_draft *draft = NULL;
    crmlite_status s = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, name, &draft);
    if (s == CRMLITE_OK && phone != NULL) s = crmlite_customer_draft_add_phone(draft, phone);
    if (s == CRMLITE_OK) s = crmlite_customer_add(db, draft, id);
    crmlite_customer_draft_free(draft);
    return s;
}

/* Counts customers by listing every page; -1 on error. */
static int64_t count_customers(crmlite *db) {
    int64_t n = 0;
    char *page = NULL;
    do {
        crmlite_customer_cursor *cur = NULL;
        const crmlite_customer *row;
        char *next = NULL;
        crmlite_status s = crmlite_customer_list(db, page, 2, &cur);
        crmlite_string_free(page);
        if (s != CRMLITE_OK) return -1;
        while (crmlite_customer_cursor_next(cur, &row) == CRMLITE_ROW) n++;
        crmlite_customer_cursor_next_page(cur, &next);
        crmlite_customer_cursor_free(cur);
        page = next;
    } while (page != NULL);
    return n;
}

static int test_version(void) {
    EXPECT(crmlite_version_number() == CRMLITE_VERSION_NUMBER);
    EXPECT_STR(crmlite_version(), CRMLITE_VERSION);
    EXPECT(CRMLITE_VERSION_NUMBER ==
           CRMLITE_VERSION_MAJOR * 1000000 + CRMLITE_VERSION_MINOR * 1000 + CRMLITE_VERSION_PATCH);
    EXPECT_STR(crmlite_errstr(CRMLITE_ERR_NOT_FOUND), "not found");
    EXPECT_STR(crmlite_errstr(12345), "unknown status");
    return 1;
}

static int test_open_memory_and_file(void) {
    char dir[] = "/tmp/crmlite-c-XXXXXX";
    char path[256], wal[300], shm[300];
    crmlite *db = NULL;
    crmlite_customer *c = NULL;
    const char *name;
    int64_t id = 0;

    CHECK(crmlite_open(":memory:", &db));
    crmlite_close(db);

    EXPECT(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/pharmacy.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    CHECK(crmlite_open(path, &db));
    CHECK(add_person(db, ARAM, "+374 10 12-34-56", &id));
    crmlite_close(db);

    db = NULL;
    CHECK(crmlite_open_v2(path, "AM", CRMLITE_SYNCHRONOUS_NORMAL, &db));
    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_name(c, &name));
    EXPECT_STR(name, ARAM);
    crmlite_customer_free(c);
    crmlite_close(db);

    /* A larger page cache opens the same file. */
    db = NULL;
    CHECK(crmlite_open_v4(path, "AM", CRMLITE_SYNCHRONOUS_NORMAL, NULL, 32, &db));
    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_name(c, &name));
    EXPECT_STR(name, ARAM);
    crmlite_customer_free(c);
    crmlite_close(db);

    unlink(wal);
    unlink(shm);
    EXPECT(unlink(path) == 0);
    EXPECT(rmdir(dir) == 0);
    return 1;
}

static int test_customer_in_armenian_with_every_field(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer *c = NULL;
    const char *s, *raw, *l1, *l2, *city, *region, *postal, *country;
    int64_t id = 0, n64 = 0, created = 0, updated = 0;
    int32_t kind = -1, y = 0, m = 0, d = 0;
    size_t count = 0;
    bool has = false, flag = false;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK(crmlite_customer_draft_add_phone(draft, "+374 10 12-34-56"));
    CHECK(crmlite_customer_draft_add_email(draft, "aram@Example.AM"));
    CHECK(crmlite_customer_draft_set_birthday(draft, 1984, 2, 29));
    CHECK(crmlite_customer_draft_set_language(draft, "hy"));
    CHECK(crmlite_customer_draft_add_tag(draft, "ԴԵՂԱՏՈՄՍ"));
    CHECK(crmlite_customer_draft_add_tag(draft, "vip"));
    CHECK(crmlite_customer_draft_set_attribute_text(draft, "allergy", "պենիցիլին"));
    CHECK(crmlite_customer_draft_set_attribute_int(draft, "visits", 12));
    CHECK(crmlite_customer_draft_set_attribute_bool(draft, "sms_ok", true));
    CHECK(crmlite_customer_draft_set_external_code(draft, "PH-0001"));
    CHECK(crmlite_customer_draft_set_address(draft, "Աբովյան 10", "", "Երևան", "", "0001", "am"));
    CHECK(crmlite_customer_add(db, draft, &id));
    crmlite_customer_draft_free(draft);
    EXPECT(id > 0);

    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_id(c, &n64));
    EXPECT(n64 == id);
    CHECK(crmlite_customer_kind(c, &kind));
    EXPECT(kind == CRMLITE_CUSTOMER_PERSON);
    CHECK(crmlite_customer_name(c, &s));
    EXPECT_STR(s, ARAM);
    CHECK(crmlite_customer_version(c, &n64));
    EXPECT(n64 == 1);
    CHECK(crmlite_customer_phone_count(c, &count));
    EXPECT(count == 1);
    CHECK(crmlite_customer_phone_at(c, 0, &s, &raw));
    EXPECT_STR(s, "+37410123456");
    EXPECT_STR(raw, "+374 10 12-34-56");
    CHECK(crmlite_customer_email_count(c, &count));
    EXPECT(count == 1);
    CHECK(crmlite_customer_email_at(c, 0, &s));
    EXPECT_STR(s, "aram@example.am");
    CHECK(crmlite_customer_birthday(c, &has, &y, &m, &d));
    EXPECT(has && y == 1984 && m == 2 && d == 29);
    CHECK(crmlite_customer_language(c, &s));
    EXPECT_STR(s, "hy");
    CHECK(crmlite_customer_tag_count(c, &count));
    EXPECT(count == 2);
    CHECK(crmlite_customer_tag_at(c, 1, &s));
    EXPECT_STR(s, "ԴԵՂԱՏՈՄՍ");
    CHECK(crmlite_customer_attribute_text(c, "allergy", &s));
    EXPECT_STR(s, "պենիցիլին");
    CHECK(crmlite_customer_attribute_text(c, "visits", &s));
    EXPECT(s == NULL);
    CHECK(crmlite_customer_attribute_int(c, "visits", &has, &n64));
    EXPECT(has && n64 == 12);
    CHECK(crmlite_customer_attribute_bool(c, "sms_ok", &has, &flag));
    EXPECT(has && flag);
    CHECK(crmlite_customer_attribute_bool(c, "missing", &has, &flag));
    EXPECT(!has && !flag);
    CHECK(crmlite_customer_external_code(c, &s));
    EXPECT_STR(s, "PH-0001");
    CHECK(crmlite_customer_address(c, &l1, &l2, &city, &region, &postal, &country));
    EXPECT_STR(l1, "Աբովյան 10");
    EXPECT_STR(l2, "");
    EXPECT_STR(city, "Երևան");
    EXPECT_STR(country, "AM");
    CHECK(crmlite_customer_created_at(c, &created));
    CHECK(crmlite_customer_updated_at(c, &updated));
    EXPECT(created > 0 && updated == created);
    crmlite_customer_free(c);

    /* an empty customer reports absent values as NULL and zero */
    CHECK(add_person(db, NINO_UPPER, NULL, &id));
    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_language(c, &s));
    EXPECT(s == NULL);
    CHECK(crmlite_customer_external_code(c, &s));
    EXPECT(s == NULL);
    CHECK(crmlite_customer_birthday(c, &has, &y, &m, &d));
    EXPECT(!has && y == 0 && m == 0 && d == 0);
    CHECK(crmlite_customer_address(c, &l1, &l2, &city, &region, &postal, &country));
    EXPECT(l1 == NULL && country == NULL);
    crmlite_customer_free(c);
    crmlite_close(db);
    return 1;
}

static int test_persian_digits_with_region_ir(void) {
    crmlite *db = NULL;
    crmlite_customer_cursor *cur = NULL;
    const crmlite_customer *row = NULL;
    const char *e164, *raw, *name;
    int64_t id = 0, found = 0;

    CHECK(crmlite_open_v2(":memory:", "IR", CRMLITE_SYNCHRONOUS_FULL, &db));
    CHECK(add_person(db, MARYAM, "۰۹۱۲ ۳۴۵ ۶۷۸۹", &id));
    CHECK(crmlite_customer_by_phone(db, "09123456789", &cur));
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_customer_id(row, &found));
    EXPECT(found == id);
    CHECK(crmlite_customer_name(row, &name));
    EXPECT_STR(name, MARYAM);
    CHECK(crmlite_customer_phone_at(row, 0, &e164, &raw));
    EXPECT_STR(e164, "+989123456789");
    EXPECT_STR(raw, "۰۹۱۲ ۳۴۵ ۶۷۸۹");
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_DONE);
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_customer_cursor_free(cur);
    crmlite_close(db);
    return 1;
}

static int test_search_georgian_finds_mtavruli(void) {
    crmlite *db = NULL;
    crmlite_customer_cursor *cur = NULL;
    const crmlite_customer *row = NULL;
    int64_t nino = 0, found = 0, other = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, NULL, &other));
    CHECK(add_person(db, NINO_UPPER, "+995 599 12 34 56", &nino));
    CHECK(crmlite_customer_search(db, "ნინო", 10, &cur));
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_customer_id(row, &found));
    EXPECT(found == nino);
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_customer_cursor_free(cur);
    CHECK_INVALID(crmlite_customer_search(db, "  ", 10, &cur), "query");
    CHECK_INVALID(crmlite_customer_search(db, "ნინო", 0, &cur), "limit");
    crmlite_close(db);
    return 1;
}

static int test_lookups(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer *c = NULL;
    crmlite_customer_cursor *cur = NULL;
    const crmlite_customer *row = NULL;
    int64_t id = 0, found = 0;
    int rows = 0;

    CHECK(crmlite_open_v2(":memory:", "AM", CRMLITE_SYNCHRONOUS_FULL, &db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK(crmlite_customer_draft_add_phone(draft, "+374 10 12-34-56"));
    CHECK(crmlite_customer_draft_add_email(draft, "aram@example.am"));
    CHECK(crmlite_customer_draft_set_external_code(draft, "PH-0001"));
    CHECK(crmlite_customer_add(db, draft, &id));
    /* the same code again is a conflict, and the draft can be reused */
    CHECK_STATUS(crmlite_customer_add(db, draft, &found), CRMLITE_ERR_CONFLICT);
    EXPECT(found == 0);
    crmlite_customer_draft_free(draft);

    CHECK(crmlite_customer_by_code(db, CRMLITE_CUSTOMER_PERSON, "PH-0001", &c));
    CHECK(crmlite_customer_id(c, &found));
    EXPECT(found == id);
    crmlite_customer_free(c);
    c = NULL;
    CHECK_STATUS(crmlite_customer_by_code(db, CRMLITE_CUSTOMER_ORGANISATION, "PH-0001", &c), CRMLITE_ERR_NOT_FOUND);
    EXPECT(c == NULL);
    CHECK_STATUS(crmlite_customer_get(db, 999, &c), CRMLITE_ERR_NOT_FOUND);
    EXPECT(c == NULL);
    EXPECT(strlen(crmlite_last_error_message()) > 0);

    /* international, national with the default region, and Armenian spacing */
    {
        const char *phones[] = {"+37410123456", "010 12 34 56", "+374 10 12-34-56"};
        size_t i;
        for (i = 0; i < 3; i++) {
            CHECK(crmlite_customer_by_phone(db, phones[i], &cur));
            rows = 0;
            while (crmlite_customer_cursor_next(cur, &row) == CRMLITE_ROW) {
                CHECK(crmlite_customer_id(row, &found));
                EXPECT(found == id);
                rows++;
            }
            crmlite_customer_cursor_free(cur);
            EXPECT(rows == 1);
        }
    }
    CHECK(crmlite_customer_by_email(db, "ARAM@example.am", &cur));
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_ROW);
    crmlite_customer_cursor_free(cur);
    CHECK(crmlite_customer_by_phone(db, "+374 99 000000", &cur));
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_customer_cursor_free(cur);
    crmlite_close(db);
    return 1;
}

static int test_update_and_stale_version(void) {
    crmlite *db = NULL;
    crmlite_customer_patch *patch = NULL;
    crmlite_customer *c = NULL;
    const char *phones[] = {"+995 599 12 34 56", "+995 32 212 34 56"};
    const char *tags[] = {"ავეჯი"};
    const char *s, *raw;
    int64_t id = 0, version = 0, n64 = 0;
    size_t count = 0;
    bool has = true;
    int32_t y, m, d;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, "ნინო ბერიძე", "+995 599 00 00 00", &id));

    CHECK(crmlite_customer_patch_new(&patch));
    CHECK(crmlite_customer_patch_set_name(patch, NINO_UPPER));
    CHECK(crmlite_customer_patch_set_phones(patch, phones, 2));
    CHECK(crmlite_customer_patch_set_tags(patch, tags, 1));
    CHECK(crmlite_customer_patch_set_language(patch, "ka"));
    CHECK(crmlite_customer_patch_set_birthday(patch, 1990, 5, 26));
    CHECK(crmlite_customer_patch_set_attribute_int(patch, "rooms", 3));
    CHECK(crmlite_customer_patch_set_external_code(patch, "TB-77"));
    CHECK(crmlite_customer_update(db, id, 1, patch, &version));
    EXPECT(version == 2);
    /* the same patch at the old version is stale and changes nothing */
    n64 = -1;
    CHECK_STATUS(crmlite_customer_update(db, id, 1, patch, &n64), CRMLITE_ERR_CONFLICT);
    EXPECT(n64 == -1);
    crmlite_customer_patch_free(patch);

    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_version(c, &n64));
    EXPECT(n64 == 2);
    CHECK(crmlite_customer_name(c, &s));
    EXPECT_STR(s, NINO_UPPER);
    CHECK(crmlite_customer_phone_count(c, &count));
    EXPECT(count == 2);
    CHECK(crmlite_customer_phone_at(c, 1, &s, &raw));
    EXPECT_STR(s, "+995322123456");
    CHECK(crmlite_customer_tag_at(c, 0, &s));
    EXPECT_STR(s, "ავეჯი");
    CHECK(crmlite_customer_attribute_int(c, "rooms", &has, &n64));
    EXPECT(has && n64 == 3);
    crmlite_customer_free(c);

    /* clearing and removing */
    CHECK(crmlite_customer_patch_new(&patch));
    CHECK(crmlite_customer_patch_set_phones(patch, NULL, 0));
    CHECK(crmlite_customer_patch_set_emails(patch, NULL, 0));
    CHECK(crmlite_customer_patch_clear_language(patch));
    CHECK(crmlite_customer_patch_clear_birthday(patch));
    CHECK(crmlite_customer_patch_clear_external_code(patch));
    CHECK(crmlite_customer_patch_set_address(patch, "რუსთაველის 12", "", "თბილისი", "", "0108", "GE"));
    CHECK(crmlite_customer_patch_clear_address(patch));
    CHECK(crmlite_customer_patch_set_attribute_text(patch, "note", "ok"));
    CHECK(crmlite_customer_patch_set_attribute_bool(patch, "vip", false));
    CHECK(crmlite_customer_patch_remove_attribute(patch, "rooms"));
    CHECK(crmlite_customer_update(db, id, 2, patch, &version));
    EXPECT(version == 3);
    crmlite_customer_patch_free(patch);

    CHECK(crmlite_customer_get(db, id, &c));
    CHECK(crmlite_customer_phone_count(c, &count));
    EXPECT(count == 0);
    CHECK(crmlite_customer_language(c, &s));
    EXPECT(s == NULL);
    CHECK(crmlite_customer_external_code(c, &s));
    EXPECT(s == NULL);
    CHECK(crmlite_customer_birthday(c, &has, &y, &m, &d));
    EXPECT(!has);
    CHECK(crmlite_customer_attribute_int(c, "rooms", &has, &n64));
    EXPECT(!has);
    CHECK(crmlite_customer_attribute_bool(c, "vip", &has, &has));
    EXPECT(!has);
    crmlite_customer_free(c);

    CHECK(crmlite_customer_patch_new(&patch));
    CHECK_STATUS(crmlite_customer_update(db, 4242, 1, patch, &version), CRMLITE_ERR_NOT_FOUND);
    crmlite_customer_patch_free(patch);
    crmlite_close(db);
    return 1;
}

static int test_link_and_organisation_timeline(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_timeline_cursor *cur = NULL;
    const crmlite_timeline_entry *row = NULL;
    const char *s;
    char *page = NULL;
    int64_t org = 0, person = 0, note = 0, n64 = 0, at = 0;
    int32_t kind = -1;
    int notes = 0, joined = 0, rows = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_ORGANISATION, PHARMACY, &draft));
    CHECK(crmlite_customer_add(db, draft, &org));
    crmlite_customer_draft_free(draft);
    CHECK(add_person(db, ARAM, NULL, &person));

    CHECK_INVALID(crmlite_customer_link(db, org, person, "դեղագործ"), "person");
    CHECK(crmlite_customer_link(db, person, org, "դեղագործ"));
    CHECK_STATUS(crmlite_customer_link(db, person, org, "դեղագործ"), CRMLITE_ERR_CONFLICT);
    CHECK(crmlite_timeline_add(db, person, CRMLITE_TIMELINE_NOTE, "Զանգահարեց դեղատոմսի մասին",
                               "Պետք է ինսուլին", 1767225600000, &note));
    EXPECT(note > 0);
    CHECK_INVALID(crmlite_timeline_add(db, person, CRMLITE_TIMELINE_CALL, "   ", "", 0, &n64), "summary");
    CHECK_STATUS(crmlite_timeline_add(db, 9999, CRMLITE_TIMELINE_CALL, "x", "", 0, &n64), CRMLITE_ERR_NOT_FOUND);

    /* the organisation's timeline holds its own entry and the linked person's */
    CHECK(crmlite_timeline_list(db, org, NULL, 100, &cur));
    while (crmlite_timeline_cursor_next(cur, &row) == CRMLITE_ROW) {
        CHECK(crmlite_timeline_entry_kind(row, &kind));
        CHECK(crmlite_timeline_entry_summary(row, &s));
        if (kind == CRMLITE_TIMELINE_NOTE) {
            CHECK(crmlite_timeline_entry_id(row, &n64));
            EXPECT(n64 == note);
            CHECK(crmlite_timeline_entry_customer(row, &n64));
            EXPECT(n64 == person);
            CHECK(crmlite_timeline_entry_at(row, &at));
            EXPECT(at == 1767225600000);
            EXPECT_STR(s, "Զանգահարեց դեղատոմսի մասին");
            CHECK(crmlite_timeline_entry_body(row, &s));
            EXPECT_STR(s, "Պետք է ինսուլին");
            CHECK(crmlite_timeline_entry_author(row, &s));
            EXPECT_STR(s, "");
            notes++;
        } else if (kind == CRMLITE_TIMELINE_SYSTEM) {
            CHECK(crmlite_timeline_entry_source(row, &s));
            EXPECT(strncmp(s, "customer:", 9) == 0);
            joined++;
        }
    }
    crmlite_timeline_cursor_free(cur);
    EXPECT(notes == 1 && joined >= 1);

    /* one entry per page, following the page tokens */
    do {
        char *next = NULL;
        CHECK(crmlite_timeline_list(db, org, page, 1, &cur));
        crmlite_string_free(page);
        while (crmlite_timeline_cursor_next(cur, &row) == CRMLITE_ROW) rows++;
        CHECK(crmlite_timeline_cursor_next_page(cur, &next));
        crmlite_timeline_cursor_free(cur);
        page = next;
    } while (page != NULL && rows < 10);
    crmlite_string_free(page);
    EXPECT(rows == notes + joined);

    CHECK(crmlite_customer_unlink(db, person, org));
    CHECK_STATUS(crmlite_customer_unlink(db, person, org), CRMLITE_ERR_NOT_FOUND);
    crmlite_close(db);
    return 1;
}

static int test_change_feed(void) {
    crmlite *db = NULL;
    crmlite_change_cursor *cur = NULL;
    crmlite_customer_patch *patch = NULL;
    const crmlite_change *row = NULL;
    const char *entity, *op;
    int64_t a = 0, b = 0, entry = 0, version = 0, seq = 0, last = 0, id = 0, at = 0;
    const char *want_entity[] = {"customer", "customer", "customer", "timeline_entry"};
    const char *want_op[] = {"insert", "insert", "update", "insert"};
    int n = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, NULL, &a));
    CHECK(add_person(db, MARYAM, NULL, &b));
    CHECK(crmlite_customer_patch_new(&patch));
    CHECK(crmlite_customer_patch_set_name(patch, "Արամ Պետրոսյան"));
    CHECK(crmlite_customer_update(db, a, 1, patch, &version));
    crmlite_customer_patch_free(patch);
    CHECK(crmlite_timeline_add(db, b, CRMLITE_TIMELINE_PURCHASE, "خرید کرم", "", 0, &entry));

    CHECK(crmlite_changes_since(db, 0, 100, &cur));
    while (crmlite_change_cursor_next(cur, &row) == CRMLITE_ROW) {
        EXPECT(n < 4);
        CHECK(crmlite_change_seq(row, &seq));
        EXPECT(seq > last);
        last = seq;
        CHECK(crmlite_change_entity(row, &entity));
        CHECK(crmlite_change_op(row, &op));
        CHECK(crmlite_change_entity_id(row, &id));
        CHECK(crmlite_change_at(row, &at));
        EXPECT_STR(entity, want_entity[n]);
        EXPECT_STR(op, want_op[n]);
        EXPECT(id == (n == 0 || n == 2 ? a : n == 1 ? b : entry));
        EXPECT(at > 0);
        n++;
    }
    crmlite_change_cursor_free(cur);
    EXPECT(n == 4);

    /* reading on from the last seq sees nothing until the next write */
    CHECK(crmlite_changes_since(db, last, 100, &cur));
    CHECK_STATUS(crmlite_change_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_change_cursor_free(cur);
    CHECK(add_person(db, NINO_UPPER, NULL, &a));
    CHECK(crmlite_changes_since(db, last, 100, &cur));
    CHECK_STATUS(crmlite_change_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK_STATUS(crmlite_change_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_change_cursor_free(cur);
    CHECK_INVALID(crmlite_changes_since(db, -1, 100, &cur), "cursor");
    crmlite_close(db);
    return 1;
}

static int test_list_pages(void) {
    crmlite *db = NULL;
    crmlite_customer_cursor *cur = NULL;
    const crmlite_customer *row = NULL;
    char *page = NULL;
    int64_t id = 0;
    int rows = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, NULL, &id));
    CHECK(add_person(db, NINO_UPPER, NULL, &id));
    CHECK(add_person(db, MARYAM, NULL, &id));
    CHECK(crmlite_customer_list(db, NULL, 2, &cur));
    while (crmlite_customer_cursor_next(cur, &row) == CRMLITE_ROW) rows++;
    CHECK(crmlite_customer_cursor_next_page(cur, &page));
    crmlite_customer_cursor_free(cur);
    EXPECT(rows == 2 && page != NULL);
    CHECK(crmlite_customer_list(db, page, 2, &cur));
    crmlite_string_free(page);
    page = NULL;
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_customer_id(row, &id));
    EXPECT(id == 3);
    CHECK_STATUS(crmlite_customer_cursor_next(cur, &row), CRMLITE_DONE);
    CHECK(crmlite_customer_cursor_next_page(cur, &page));
    EXPECT(page == NULL);
    crmlite_customer_cursor_free(cur);
    CHECK_INVALID(crmlite_customer_list(db, "not-a-page", 2, &cur), "cursor");
    EXPECT(count_customers(db) == 3);
    crmlite_close(db);
    return 1;
}

static int test_bad_phone_changes_nothing(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer_patch *patch = NULL;
    const char *bad_phones[] = {"+374 10 12-34-56", "not a phone"};
    int64_t id = 0, before_customers, before_changes, version = -1;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, MARYAM, "+98 912 345 6789", &id));
    before_customers = count_customers(db);
    before_changes = count_changes(db);
    EXPECT(before_customers == 1 && before_changes == 1);

    id = -1;
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK(crmlite_customer_draft_add_phone(draft, "12-ab"));
    CHECK(crmlite_customer_draft_add_phone(draft, "+374 10 12-34-56"));
    CHECK_INVALID(crmlite_customer_add(db, draft, &id), "phones[0]");
    EXPECT(id == -1);
    crmlite_customer_draft_free(draft);

    CHECK(crmlite_customer_patch_new(&patch));
    CHECK(crmlite_customer_patch_set_phones(patch, bad_phones, 2));
    CHECK_INVALID(crmlite_customer_update(db, 1, 1, patch, &version), "phones[1]");
    EXPECT(version == -1);
    crmlite_customer_patch_free(patch);

    EXPECT(count_customers(db) == before_customers);
    EXPECT(count_changes(db) == before_changes);
    crmlite_close(db);
    return 1;
}

static int test_invalid_utf8_and_enums(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer_patch *patch = NULL;
    crmlite_customer_cursor *cur = NULL;
    crmlite_customer *c = NULL;
    const char *mixed[] = {"+374 10 12-34-56", "\xd5"};
    int64_t id = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK_INVALID(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, "\xff\xfe", &draft), "name");
    EXPECT(draft == NULL);
    CHECK_INVALID(crmlite_customer_draft_new(7, ARAM, &draft), "kind");
    EXPECT(draft == NULL);
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK_INVALID(crmlite_customer_draft_add_phone(draft, "\xc0\x80"), "phone");
    CHECK_INVALID(crmlite_customer_draft_add_email(draft, "\x80"), "email");
    CHECK_INVALID(crmlite_customer_draft_set_attribute_text(draft, "note", "\xe0\x80"), "value");
    CHECK_INVALID(crmlite_customer_draft_set_birthday(draft, 2023, 2, 29), "birthday");
    CHECK_INVALID(crmlite_customer_draft_set_birthday(draft, 2023, -1, 1), "birthday");
    crmlite_customer_draft_free(draft);

    CHECK(crmlite_customer_patch_new(&patch));
    CHECK_INVALID(crmlite_customer_patch_set_phones(patch, mixed, 2), "phones[1]");
    CHECK_INVALID(crmlite_customer_patch_set_name(patch, "\xd5"), "name");
    crmlite_customer_patch_free(patch);

    CHECK_INVALID(crmlite_customer_search(db, "\xe1\x83", 10, &cur), "query");
    CHECK_INVALID(crmlite_customer_by_code(db, 3, "PH-0001", &c), "kind");
    EXPECT(c == NULL);
    CHECK(add_person(db, ARAM, NULL, &id));
    CHECK_INVALID(crmlite_timeline_add(db, id, 99, "x", "", 0, &id), "kind");
    CHECK_INVALID(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_NOTE, "\xff", "", 0, &id), "summary");
    crmlite_close(db);

    db = NULL;
    CHECK_INVALID(crmlite_open_v2(":memory:", NULL, 5, &db), "synchronous");
    CHECK_INVALID(crmlite_open_v2(":memory:", "Armenia", 0, &db), "default_region");
    CHECK_INVALID(crmlite_open_v4(":memory:", NULL, 0, NULL, -1, &db), "cache_mib");
    CHECK_INVALID(crmlite_open_v4(":memory:", NULL, 0, NULL, 65537, &db), "cache_mib");
    CHECK_INVALID(crmlite_open("\xff.db", &db), "path");
    EXPECT(db == NULL);
    return 1;
}

static int test_last_error_is_per_call(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;

    CHECK_INVALID(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, "\xff", &draft), "name");
    EXPECT(strstr(crmlite_last_error_message(), "name") != NULL);
    CHECK(crmlite_open(":memory:", &db));
    EXPECT_STR(crmlite_last_error_message(), "");
    EXPECT(crmlite_last_error_field() == NULL);
    CHECK_MISUSE(crmlite_customer_add(db, NULL, NULL));
    EXPECT(strstr(crmlite_last_error_message(), "misuse") != NULL);
    EXPECT(crmlite_last_error_field() == NULL);
    crmlite_close(db);
    return 1;
}

static int test_null_pointers_are_misuse(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer_patch *patch = NULL;
    crmlite_customer *c = NULL;
    crmlite_customer_cursor *cc = NULL;
    crmlite_timeline_cursor *tc = NULL;
    crmlite_change_cursor *ch = NULL;
    const crmlite_customer *crow = NULL;
    const crmlite_timeline_entry *trow = NULL;
    const crmlite_change *chrow = NULL;
    const char *s;
    char *owned;
    int64_t id = 0, n64;
    int32_t i32;
    size_t count;
    bool has;
    const char *one[] = {"x"};

    CHECK_MISUSE(crmlite_open(NULL, &db));
    CHECK_MISUSE(crmlite_open(":memory:", NULL));
    CHECK_MISUSE(crmlite_open_v2(NULL, NULL, 0, &db));
    CHECK_MISUSE(crmlite_open_v2(":memory:", "AM", 0, NULL));
    EXPECT(db == NULL);
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, "+374 10 12-34-56", &id));

    /* drafts */
    CHECK_MISUSE(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, NULL, &draft));
    CHECK_MISUSE(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, NULL));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK_MISUSE(crmlite_customer_draft_add_email(NULL, "a@b.am"));
    CHECK_MISUSE(crmlite_customer_draft_add_email(draft, NULL));
    CHECK_MISUSE(crmlite_customer_draft_add_phone(NULL, "+37410123456"));
    CHECK_MISUSE(crmlite_customer_draft_add_phone(draft, NULL));
    CHECK_MISUSE(crmlite_customer_draft_set_birthday(NULL, 1990, 1, 1));
    CHECK_MISUSE(crmlite_customer_draft_set_language(NULL, "hy"));
    CHECK_MISUSE(crmlite_customer_draft_set_language(draft, NULL));
    CHECK_MISUSE(crmlite_customer_draft_add_tag(NULL, "vip"));
    CHECK_MISUSE(crmlite_customer_draft_add_tag(draft, NULL));
    CHECK_MISUSE(crmlite_customer_draft_set_external_code(NULL, "A"));
    CHECK_MISUSE(crmlite_customer_draft_set_external_code(draft, NULL));
    CHECK_MISUSE(crmlite_customer_draft_set_address(NULL, "", "", "", "", "", ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, NULL, "", "", "", "", ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, "", NULL, "", "", "", ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, "", "", NULL, "", "", ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, "", "", "", NULL, "", ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, "", "", "", "", NULL, ""));
    CHECK_MISUSE(crmlite_customer_draft_set_address(draft, "", "", "", "", "", NULL));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_text(NULL, "a", "b"));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_text(draft, NULL, "b"));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_text(draft, "a", NULL));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_int(NULL, "a", 1));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_int(draft, NULL, 1));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_bool(NULL, "a", true));
    CHECK_MISUSE(crmlite_customer_draft_set_attribute_bool(draft, NULL, true));

    /* storing and reading */
    n64 = -5;
    CHECK_MISUSE(crmlite_customer_add(NULL, draft, &n64));
    CHECK_MISUSE(crmlite_customer_add(db, NULL, &n64));
    CHECK_MISUSE(crmlite_customer_add(db, draft, NULL));
    EXPECT(n64 == -5);
    EXPECT(count_customers(db) == 1);
    crmlite_customer_draft_free(draft);
    CHECK_MISUSE(crmlite_customer_get(NULL, id, &c));
    CHECK_MISUSE(crmlite_customer_get(db, id, NULL));
    CHECK_MISUSE(crmlite_customer_by_code(NULL, 0, "A", &c));
    CHECK_MISUSE(crmlite_customer_by_code(db, 0, NULL, &c));
    CHECK_MISUSE(crmlite_customer_by_code(db, 0, "A", NULL));
    CHECK_MISUSE(crmlite_customer_search(NULL, "a", 10, &cc));
    CHECK_MISUSE(crmlite_customer_search(db, NULL, 10, &cc));
    CHECK_MISUSE(crmlite_customer_search(db, "a", 10, NULL));
    CHECK_MISUSE(crmlite_customer_by_email(NULL, "a@b.am", &cc));
    CHECK_MISUSE(crmlite_customer_by_email(db, NULL, &cc));
    CHECK_MISUSE(crmlite_customer_by_email(db, "a@b.am", NULL));
    CHECK_MISUSE(crmlite_customer_by_phone(NULL, "+37410123456", &cc));
    CHECK_MISUSE(crmlite_customer_by_phone(db, NULL, &cc));
    CHECK_MISUSE(crmlite_customer_by_phone(db, "+37410123456", NULL));
    CHECK_MISUSE(crmlite_customer_list(NULL, NULL, 10, &cc));
    CHECK_MISUSE(crmlite_customer_list(db, NULL, 10, NULL));
    EXPECT(c == NULL && cc == NULL);

    /* cursors */
    CHECK(crmlite_customer_list(db, NULL, 10, &cc));
    CHECK_MISUSE(crmlite_customer_cursor_next(NULL, &crow));
    CHECK_MISUSE(crmlite_customer_cursor_next(cc, NULL));
    CHECK_MISUSE(crmlite_customer_cursor_next_page(NULL, &owned));
    CHECK_MISUSE(crmlite_customer_cursor_next_page(cc, NULL));
    CHECK_STATUS(crmlite_customer_cursor_next(cc, &crow), CRMLITE_ROW);

    /* accessors */
    CHECK_MISUSE(crmlite_customer_id(NULL, &n64));
    CHECK_MISUSE(crmlite_customer_id(crow, NULL));
    CHECK_MISUSE(crmlite_customer_kind(NULL, &i32));
    CHECK_MISUSE(crmlite_customer_kind(crow, NULL));
    CHECK_MISUSE(crmlite_customer_name(NULL, &s));
    CHECK_MISUSE(crmlite_customer_name(crow, NULL));
    CHECK_MISUSE(crmlite_customer_version(NULL, &n64));
    CHECK_MISUSE(crmlite_customer_version(crow, NULL));
    CHECK_MISUSE(crmlite_customer_email_count(NULL, &count));
    CHECK_MISUSE(crmlite_customer_email_count(crow, NULL));
    CHECK_MISUSE(crmlite_customer_email_at(NULL, 0, &s));
    CHECK_MISUSE(crmlite_customer_email_at(crow, 0, &s)); /* out of range: no e-mails */
    CHECK_MISUSE(crmlite_customer_phone_count(NULL, &count));
    CHECK_MISUSE(crmlite_customer_phone_count(crow, NULL));
    CHECK_MISUSE(crmlite_customer_phone_at(NULL, 0, &s, &s));
    CHECK_MISUSE(crmlite_customer_phone_at(crow, 0, NULL, &s));
    CHECK_MISUSE(crmlite_customer_phone_at(crow, 0, &s, NULL));
    CHECK_MISUSE(crmlite_customer_phone_at(crow, 1, &s, &s));
    CHECK_MISUSE(crmlite_customer_birthday(NULL, &has, &i32, &i32, &i32));
    CHECK_MISUSE(crmlite_customer_birthday(crow, NULL, &i32, &i32, &i32));
    CHECK_MISUSE(crmlite_customer_birthday(crow, &has, NULL, &i32, &i32));
    CHECK_MISUSE(crmlite_customer_birthday(crow, &has, &i32, NULL, &i32));
    CHECK_MISUSE(crmlite_customer_birthday(crow, &has, &i32, &i32, NULL));
    CHECK_MISUSE(crmlite_customer_language(NULL, &s));
    CHECK_MISUSE(crmlite_customer_language(crow, NULL));
    CHECK_MISUSE(crmlite_customer_tag_count(NULL, &count));
    CHECK_MISUSE(crmlite_customer_tag_count(crow, NULL));
    CHECK_MISUSE(crmlite_customer_tag_at(NULL, 0, &s));
    CHECK_MISUSE(crmlite_customer_tag_at(crow, 0, &s));
    CHECK_MISUSE(crmlite_customer_external_code(NULL, &s));
    CHECK_MISUSE(crmlite_customer_external_code(crow, NULL));
    CHECK_MISUSE(crmlite_customer_address(NULL, &s, &s, &s, &s, &s, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, NULL, &s, &s, &s, &s, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, &s, NULL, &s, &s, &s, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, &s, &s, NULL, &s, &s, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, &s, &s, &s, NULL, &s, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, &s, &s, &s, &s, NULL, &s));
    CHECK_MISUSE(crmlite_customer_address(crow, &s, &s, &s, &s, &s, NULL));
    CHECK_MISUSE(crmlite_customer_attribute_text(NULL, "a", &s));
    CHECK_MISUSE(crmlite_customer_attribute_text(crow, NULL, &s));
    CHECK_MISUSE(crmlite_customer_attribute_text(crow, "a", NULL));
    CHECK_MISUSE(crmlite_customer_attribute_int(NULL, "a", &has, &n64));
    CHECK_MISUSE(crmlite_customer_attribute_int(crow, NULL, &has, &n64));
    CHECK_MISUSE(crmlite_customer_attribute_int(crow, "a", NULL, &n64));
    CHECK_MISUSE(crmlite_customer_attribute_int(crow, "a", &has, NULL));
    CHECK_MISUSE(crmlite_customer_attribute_bool(NULL, "a", &has, &has));
    CHECK_MISUSE(crmlite_customer_attribute_bool(crow, NULL, &has, &has));
    CHECK_MISUSE(crmlite_customer_attribute_bool(crow, "a", NULL, &has));
    CHECK_MISUSE(crmlite_customer_attribute_bool(crow, "a", &has, NULL));
    CHECK_MISUSE(crmlite_customer_created_at(NULL, &n64));
    CHECK_MISUSE(crmlite_customer_created_at(crow, NULL));
    CHECK_MISUSE(crmlite_customer_updated_at(NULL, &n64));
    CHECK_MISUSE(crmlite_customer_updated_at(crow, NULL));
    crmlite_customer_cursor_free(cc);

    /* patches and updates */
    CHECK_MISUSE(crmlite_customer_patch_new(NULL));
    CHECK(crmlite_customer_patch_new(&patch));
    CHECK_MISUSE(crmlite_customer_patch_set_name(NULL, "a"));
    CHECK_MISUSE(crmlite_customer_patch_set_name(patch, NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_emails(NULL, one, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_emails(patch, NULL, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_phones(NULL, one, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_phones(patch, NULL, 1));
    {
        const char *with_null[] = {"+37410123456", NULL};
        CHECK_MISUSE(crmlite_customer_patch_set_phones(patch, with_null, 2));
    }
    CHECK_MISUSE(crmlite_customer_patch_set_tags(NULL, one, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_tags(patch, NULL, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_language(NULL, "hy"));
    CHECK_MISUSE(crmlite_customer_patch_set_language(patch, NULL));
    CHECK_MISUSE(crmlite_customer_patch_clear_language(NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_birthday(NULL, 1990, 1, 1));
    CHECK_MISUSE(crmlite_customer_patch_clear_birthday(NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_external_code(NULL, "A"));
    CHECK_MISUSE(crmlite_customer_patch_set_external_code(patch, NULL));
    CHECK_MISUSE(crmlite_customer_patch_clear_external_code(NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_address(NULL, "", "", "", "", "", ""));
    CHECK_MISUSE(crmlite_customer_patch_set_address(patch, "", "", "", "", "", NULL));
    CHECK_MISUSE(crmlite_customer_patch_clear_address(NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_text(NULL, "a", "b"));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_text(patch, NULL, "b"));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_text(patch, "a", NULL));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_int(NULL, "a", 1));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_int(patch, NULL, 1));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_bool(NULL, "a", true));
    CHECK_MISUSE(crmlite_customer_patch_set_attribute_bool(patch, NULL, true));
    CHECK_MISUSE(crmlite_customer_patch_remove_attribute(NULL, "a"));
    CHECK_MISUSE(crmlite_customer_patch_remove_attribute(patch, NULL));
    CHECK_MISUSE(crmlite_customer_update(NULL, id, 1, patch, &n64));
    CHECK_MISUSE(crmlite_customer_update(db, id, 1, NULL, &n64));
    CHECK_MISUSE(crmlite_customer_update(db, id, 1, patch, NULL));
    crmlite_customer_patch_free(patch);

    /* links, timeline, change feed */
    CHECK_MISUSE(crmlite_customer_link(NULL, 1, 2, ""));
    CHECK_MISUSE(crmlite_customer_link(db, 1, 2, NULL));
    CHECK_MISUSE(crmlite_customer_unlink(NULL, 1, 2));
    CHECK_MISUSE(crmlite_timeline_add(NULL, id, CRMLITE_TIMELINE_NOTE, "a", "", 0, &n64));
    CHECK_MISUSE(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_NOTE, NULL, "", 0, &n64));
    CHECK_MISUSE(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_NOTE, "a", NULL, 0, &n64));
    CHECK_MISUSE(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_NOTE, "a", "", 0, NULL));
    CHECK_MISUSE(crmlite_timeline_list(NULL, id, NULL, 10, &tc));
    CHECK_MISUSE(crmlite_timeline_list(db, id, NULL, 10, NULL));
    CHECK(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_NOTE, "Բարև", "", 0, &n64));
    CHECK(crmlite_timeline_list(db, id, NULL, 10, &tc));
    CHECK_MISUSE(crmlite_timeline_cursor_next(NULL, &trow));
    CHECK_MISUSE(crmlite_timeline_cursor_next(tc, NULL));
    CHECK_MISUSE(crmlite_timeline_cursor_next_page(NULL, &owned));
    CHECK_MISUSE(crmlite_timeline_cursor_next_page(tc, NULL));
    CHECK_STATUS(crmlite_timeline_cursor_next(tc, &trow), CRMLITE_ROW);
    CHECK_MISUSE(crmlite_timeline_entry_id(NULL, &n64));
    CHECK_MISUSE(crmlite_timeline_entry_id(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_customer(NULL, &n64));
    CHECK_MISUSE(crmlite_timeline_entry_customer(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_kind(NULL, &i32));
    CHECK_MISUSE(crmlite_timeline_entry_kind(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_at(NULL, &n64));
    CHECK_MISUSE(crmlite_timeline_entry_at(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_summary(NULL, &s));
    CHECK_MISUSE(crmlite_timeline_entry_summary(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_body(NULL, &s));
    CHECK_MISUSE(crmlite_timeline_entry_body(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_author(NULL, &s));
    CHECK_MISUSE(crmlite_timeline_entry_author(trow, NULL));
    CHECK_MISUSE(crmlite_timeline_entry_source(NULL, &s));
    CHECK_MISUSE(crmlite_timeline_entry_source(trow, NULL));
    crmlite_timeline_cursor_free(tc);

    CHECK_MISUSE(crmlite_changes_since(NULL, 0, 10, &ch));
    CHECK_MISUSE(crmlite_changes_since(db, 0, 10, NULL));
    CHECK(crmlite_changes_since(db, 0, 10, &ch));
    CHECK_MISUSE(crmlite_change_cursor_next(NULL, &chrow));
    CHECK_MISUSE(crmlite_change_cursor_next(ch, NULL));
    CHECK_STATUS(crmlite_change_cursor_next(ch, &chrow), CRMLITE_ROW);
    CHECK_MISUSE(crmlite_change_seq(NULL, &n64));
    CHECK_MISUSE(crmlite_change_seq(chrow, NULL));
    CHECK_MISUSE(crmlite_change_entity(NULL, &s));
    CHECK_MISUSE(crmlite_change_entity(chrow, NULL));
    CHECK_MISUSE(crmlite_change_entity_id(NULL, &n64));
    CHECK_MISUSE(crmlite_change_entity_id(chrow, NULL));
    CHECK_MISUSE(crmlite_change_op(NULL, &s));
    CHECK_MISUSE(crmlite_change_op(chrow, NULL));
    CHECK_MISUSE(crmlite_change_at(NULL, &n64));
    CHECK_MISUSE(crmlite_change_at(chrow, NULL));
    crmlite_change_cursor_free(ch);
    crmlite_close(db);
    return 1;
}

static int test_close_and_free_accept_null(void) {
    crmlite_close(NULL);
    crmlite_customer_draft_free(NULL);
    crmlite_customer_patch_free(NULL);
    crmlite_customer_free(NULL);
    crmlite_customer_cursor_free(NULL);
    crmlite_timeline_cursor_free(NULL);
    crmlite_change_cursor_free(NULL);
    crmlite_string_free(NULL);
    return 1;
}

static int test_import_export_and_sync(void) {
    crmlite *db = NULL;
    int64_t ins = 0, upd = 0, same = 0, rej = 0, before, cursor = -1;
    char *data = NULL;
    char *json = NULL;
    size_t len = 0;
    /* Windows-1251 units: Килограмм, tab-separated. */
    static const char UNITS[] = "external_code\tname\nkg\t\xca\xe8\xeb\xee\xe3\xf0\xe0\xec\xec\n";
    static const char BAD[] = "external_code;name;price\nP-1;ok;1\nP-2;bad;12x\n";
    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_import(db, "unit", (const uint8_t *)UNITS, strlen(UNITS), "csv", "windows-1251", '\t', NULL, 0, &ins,
                         &upd, &same, &rej));
    EXPECT(ins == 1 && rej == 0);
    before = count_changes(db);
    CHECK_INVALID(crmlite_import(db, "product", (const uint8_t *)BAD, strlen(BAD), "csv", "utf-8", ';', "EUR", 0, &ins,
                                 &upd, &same, &rej),
                  "line[3].price");
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_import(db, "product", (const uint8_t *)BAD, strlen(BAD), "csv", "utf-8", ';', "EUR", 1, &ins, &upd,
                         &same, &rej));
    EXPECT(ins == 1 && rej == 1);
    CHECK(crmlite_export(db, "unit", "csv", "windows-1251", ';', 0, &data, &len));
    EXPECT(len == strlen(data) && strstr(data, "kg;\xca\xe8\xeb") != NULL);
    crmlite_string_free(data);
    CHECK_INVALID(crmlite_export(db, "unit", "csv", "armscii-8", ';', 0, &data, &len), "entries[kg]");
    CHECK(crmlite_sync_pull(db, "erp", 1, &json));
    EXPECT(strstr(json, "\"seq\":1,") != NULL && strstr(json, "\xd0\x9a\xd0\xb8\xd0\xbb") != NULL);
    crmlite_string_free(json);
    CHECK(crmlite_sync_ack(db, "erp", 1));
    CHECK(crmlite_sync_cursor(db, "erp", &cursor));
    EXPECT(cursor == 1);
    CHECK_INVALID(crmlite_sync_ack(db, "erp", 0), "seq");
    CHECK_MISUSE(crmlite_import(db, "unit", NULL, 5, "csv", "utf-8", ',', NULL, 0, &ins, &upd, &same, &rej));
    crmlite_close(db);
    return 1;
}

static int test_entries_external_ids_and_orders(void) {
    crmlite *db = NULL;
    crmlite_entry *entry = NULL;
    int32_t outcome = -1, archived = -1;
    int64_t id = 0, again_id = 0, mapped_id = 0, version = 0, before;
    int64_t ins = 0, upd = 0, same = 0, rej = 0;
    const char *text = NULL;
    char *entity = NULL;
    const char *names[] = {"unit", "price", "tax_rate"};
    const char *values[] = {"pc", "1 250,50", "20%"};
    const char *bad_values[] = {"pc", "12x", "20%"};
    /* Ասպիրին, Նարեկ */
    static const char ASPIRIN[] = "\xd4\xb1\xd5\xbd\xd5\xba\xd5\xab\xd6\x80\xd5\xab\xd5\xb6";
    static const char PEOPLE[] = "external_code,name\nAM-1,\xd5\x86\xd5\xa1\xd6\x80\xd5\xa5\xd5\xaf\n";
    static const char ORDERS[] = "receipt;customer;at;product;quantity;unit_price\n"
                                 "K-1;AM-1;07.12.2026 10:00;A-100;2;1 250,50\n"
                                 "K-1;AM-1;07.12.2026 10:00;A-101;1;890\n";
    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_entry_upsert(db, "unit", "pc", "hat", NULL, NULL, 0, NULL, &entry, &outcome));
    EXPECT(outcome == CRMLITE_UPSERT_INSERTED);
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_upsert(db, "product", "A-100", ASPIRIN, names, values, 3, "AMD", &entry, &outcome));
    EXPECT(outcome == CRMLITE_UPSERT_INSERTED);
    CHECK(crmlite_entry_id(entry, &id));
    crmlite_entry_free(entry);
    before = count_changes(db);
    CHECK(crmlite_entry_upsert(db, "product", "A-100", ASPIRIN, names, values, 3, "AMD", &entry, &outcome));
    EXPECT(outcome == CRMLITE_UPSERT_UNCHANGED && count_changes(db) == before);
    crmlite_entry_free(entry);
    CHECK_INVALID(crmlite_entry_upsert(db, "product", "A-100", ASPIRIN, names, bad_values, 3, "AMD", &entry, &outcome),
                  "fields.price");
    /* An amount without a currency code needs the currency argument. */
    CHECK_INVALID(crmlite_entry_upsert(db, "product", "A-100", ASPIRIN, &names[1], &values[1], 1, NULL, &entry, &outcome),
                  "fields.price");
    EXPECT(count_changes(db) == before);

    CHECK(crmlite_entry_get(db, "product", "A-100", &entry));
    CHECK(crmlite_entry_id(entry, &again_id));
    EXPECT(again_id == id);
    CHECK(crmlite_entry_name(entry, &text));
    EXPECT(strcmp(text, ASPIRIN) == 0);
    CHECK(crmlite_entry_code(entry, &text));
    EXPECT(strcmp(text, "A-100") == 0);
    CHECK(crmlite_entry_kind(entry, &text));
    EXPECT(strcmp(text, "product") == 0);
    CHECK(crmlite_entry_field(entry, "price", &text));
    EXPECT(strcmp(text, "1250.50 AMD") == 0);
    CHECK(crmlite_entry_field(entry, "tax_rate", &text));
    EXPECT(strcmp(text, "20.00") == 0);
    CHECK(crmlite_entry_field(entry, "barcode", &text));
    EXPECT(text == NULL);
    CHECK(crmlite_entry_archived(entry, &archived));
    CHECK(crmlite_entry_version(entry, &version));
    EXPECT(archived == 0 && version == 1);
    crmlite_entry_free(entry);
    CHECK_STATUS(crmlite_entry_get(db, "product", "NOPE", &entry), CRMLITE_ERR_NOT_FOUND);
    CHECK_MISUSE(crmlite_entry_id(NULL, &id));

    CHECK(crmlite_external_id_map(db, "1c", "000123", "directory_entry", id));
    CHECK(crmlite_external_id_map(db, "1c", "000123", "directory_entry", id));
    CHECK_STATUS(crmlite_external_id_map(db, "1c", "000123", "directory_entry", id + 1000), CRMLITE_ERR_NOT_FOUND);
    CHECK_INVALID(crmlite_external_id_map(db, "1c", "x", "planet", id), "entity");
    CHECK(crmlite_external_id_resolve(db, "1c", "000123", &entity, &mapped_id));
    EXPECT(mapped_id == id && strcmp(entity, "directory_entry") == 0);
    crmlite_string_free(entity);
    CHECK_STATUS(crmlite_external_id_resolve(db, "1c", "999", &entity, &mapped_id), CRMLITE_ERR_NOT_FOUND);

    CHECK(crmlite_import(db, "customers", (const uint8_t *)PEOPLE, strlen(PEOPLE), "csv", "utf-8", ',', NULL, 0, &ins,
                         &upd, &same, &rej));
    CHECK(crmlite_import(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ';', "AMD", 0, &ins,
                         &upd, &same, &rej));
    EXPECT(ins == 1 && same == 0 && rej == 0);
    before = count_changes(db);
    CHECK(crmlite_import(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ';', "AMD", 0, &ins,
                         &upd, &same, &rej));
    EXPECT(ins == 0 && same == 1 && count_changes(db) == before);
    crmlite_close(db);
    return 1;
}

static int test_verify_report(void) {
    crmlite *db = NULL;
    crmlite_verify_report *report = NULL;
    const char *name = NULL, *detail = NULL;
    bool ok = false, seen_feed = false;
    size_t count = 0, i;
    int64_t id = 0, violations = -1;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, "+374 10 12-34-56", &id));
    CHECK(crmlite_verify(db, &report));
    CHECK(crmlite_verify_report_ok(report, &ok));
    EXPECT(ok);
    CHECK(crmlite_verify_report_count(report, &count));
    EXPECT(count > 10);
    for (i = 0; i < count; i++) {
        CHECK(crmlite_verify_report_name_at(report, i, &name));
        CHECK(crmlite_verify_report_violations_at(report, i, &violations));
        CHECK(crmlite_verify_report_detail_at(report, i, &detail));
        EXPECT(violations == 0);
        EXPECT_STR(detail, "");
        if (strcmp(name, "change_feed_gap_free") == 0) seen_feed = true;
    }
    EXPECT(seen_feed);
    /* Out of range and NULL are misuse; the outputs stay untouched. */
    name = NULL;
    CHECK_MISUSE(crmlite_verify_report_name_at(report, count, &name));
    EXPECT(name == NULL);
    CHECK_MISUSE(crmlite_verify_report_ok(NULL, &ok));
    CHECK_MISUSE(crmlite_verify_report_count(report, NULL));
    CHECK_MISUSE(crmlite_verify(db, NULL));
    crmlite_verify_report_free(report);
    crmlite_verify_report_free(NULL);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"version macros match the library", test_version},
        {"open :memory: and a file", test_open_memory_and_file},
        {"customer in Armenian with every field", test_customer_in_armenian_with_every_field},
        {"Persian digits with region IR", test_persian_digits_with_region_ir},
        {"search ნინო finds ᲜᲘᲜᲝ", test_search_georgian_finds_mtavruli},
        {"get, by code, by phone, by e-mail", test_lookups},
        {"update and stale version", test_update_and_stale_version},
        {"link and organisation timeline", test_link_and_organisation_timeline},
        {"change feed cursor", test_change_feed},
        {"list pages", test_list_pages},
        {"bad phone changes nothing", test_bad_phone_changes_nothing},
        {"invalid UTF-8 and enums name the field", test_invalid_utf8_and_enums},
        {"last error is per call", test_last_error_is_per_call},
        {"NULL pointers are misuse", test_null_pointers_are_misuse},
        {"close and free accept NULL", test_close_and_free_accept_null},
        {"import, export and sync consumers", test_import_export_and_sync},
        {"verify report", test_verify_report},
        {"entries, external ids and order history", test_entries_external_ids_and_orders},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
