/* Tests of the crmlite C API for complaints, NPS, complaint triggers and the manual clock
 * (lease expiry of outbox claims, a birthday greeting in five languages on the clock's day).
 * Prints "ok N - name" per test and "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* 2026-12-07T09:00:00Z in Unix milliseconds. */
#define DEC_7_0900 INT64_C(1796634000000)
#define HOUR INT64_C(3600000)
#define DAY (24 * HOUR)

static crmlite_status add_person(crmlite *db, const char *name, const char *phone, int64_t *id) {
    crmlite_customer_draft *draft = NULL;
    crmlite_status s = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, name, &draft);
    if (s == CRMLITE_OK) s = crmlite_customer_draft_add_phone(draft, phone);
    if (s == CRMLITE_OK) s = crmlite_customer_add(db, draft, id);
    crmlite_customer_draft_free(draft);
    return s;
}

/* Claims up to 10 messages for `lease_ms`; writes how many were handed out and copies the
 * first token into `token` (of `size` bytes). */
static int claim(crmlite *db, int64_t lease_ms, int *count, char *token, size_t size) {
    crmlite_claim_cursor *cur = NULL;
    const crmlite_claim *row = NULL;
    const char *t = NULL;
    *count = 0;
    CHECK(crmlite_outbox_claim(db, 10, lease_ms, &cur));
    while (crmlite_claim_cursor_next(cur, &row) == CRMLITE_ROW) {
        if (*count == 0 && token != NULL) {
            CHECK(crmlite_claim_token(row, &t));
            EXPECT(strlen(t) < size);
            strcpy(token, t);
        }
        (*count)++;
    }
    crmlite_claim_cursor_free(cur);
    return 1;
}

static int test_a_lease_expires_when_the_clock_moves(void) {
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    int64_t now = 0, aram = 0, tid = 0, first = 0, second = 0;
    int count = 0;
    char token[128], later[128];

    CHECK(crmlite_clock_new(DEC_7_0900, &clock));
    CHECK(crmlite_open_v3(":memory:", NULL, CRMLITE_SYNCHRONOUS_FULL, clock, &db));
    CHECK(crmlite_clock_now(clock, &now));
    EXPECT(now == DEC_7_0900);
    CHECK(crmlite_template_save(db, "r", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "Շնորհակալություն, {{ customer.first_name }}", &tid));
    CHECK(add_person(db, "Արամ Սարգսյան", "+374 10 123456", &aram));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "r", NULL, NULL, "m1", &first));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "r", NULL, NULL, "m2", &second));

    /* The deliverer claims both for 30 s, then dies before acking. */
    if (!claim(db, 30000, &count, token, sizeof token)) return 0;
    EXPECT(count == 2);
    /* Within the lease nothing is handed out again. */
    CHECK(crmlite_clock_advance(clock, 29999));
    if (!claim(db, 30000, &count, NULL, 0)) return 0;
    EXPECT(count == 0);
    /* After the lease both come back, with new tokens; the old token is refused. */
    CHECK(crmlite_clock_advance(clock, 2));
    CHECK_STATUS(crmlite_outbox_ack(db, first, token), CRMLITE_ERR_CONFLICT);
    EXPECT(strstr(crmlite_last_error_message(), "expired") != NULL);
    if (!claim(db, 30000, &count, later, sizeof later)) return 0;
    EXPECT(count == 2);
    EXPECT(strcmp(token, later) != 0);
    CHECK(crmlite_outbox_ack(db, first, later));

    /* The database keeps the clock after the host frees it; setting it still moved time. */
    CHECK(crmlite_clock_set(clock, DEC_7_0900 + DAY));
    crmlite_clock_free(clock);
    if (!claim(db, 30000, &count, later, sizeof later)) return 0;
    EXPECT(count == 1); /* the second message: its lease expired a day ago */
    CHECK(crmlite_outbox_ack(db, second, later));
    if (!claim(db, 30000, &count, NULL, 0)) return 0;
    EXPECT(count == 0); /* both delivered, none lost */
    crmlite_close(db);
    return 1;
}

#define NBSP "\xc2\xa0"
#define GREETING                                                                                       \
    "{% set currency = 'EUR' %}"                                                                       \
    "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', 'ka': 'გილოცავ დაბადების დღეს', 'el': 'Χρόνια πολλά', " \
    "'fa': 'تولدت مبارک', 'en': 'Happy birthday'} %}"                                                  \
    "{{ greet[customer.language[:2]] }}, {{ customer.first_name }}! {{ today|date }}: {{ 1500|number }} " \
    "{{ money(50000, currency) }}"

static int test_a_birthday_greeting_in_five_languages_on_the_clocks_day(void) {
    static const struct {
        const char *name, *language, *phone, *e164, *greeting;
    } people[5] = {
        {"Արամ Սարգսյան", "hy-AM", "+374 10 123456", "+37410123456",
         "Շնորհավոր ծնունդդ, Արամ! 7 դեկտեմբերի 2026 թ.: 1" NBSP "500 500,00" NBSP "€"},
        {"ნინო ბერიძე", "ka", "+995 599 12 34 56", "+995599123456",
         "გილოცავ დაბადების დღეს, ნინო! 7 დეკემბერი 2026: 1" NBSP "500 500,00" NBSP "€"},
        {"Γιώργος Παπαδόπουλος", "el", "+30 210 1234567", "+302101234567",
         "Χρόνια πολλά, Γιώργος! 7 Δεκεμβρίου 2026: 1.500 500,00" NBSP "€"},
        {"شیرین احمدی", "fa-IR", "+98 912 345 6789", "+989123456789",
         "تولدت مبارک, شیرین! ۷ دسامبر ۲۰۲۶: ۱٬۵۰۰ ۵۰۰٫۰۰" NBSP "€"},
        {"Ann Smith", "en", "+44 20 7946 0000", "+442079460000", "Happy birthday, Ann! 7 December 2026: 1,500 €500.00"},
    };
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    crmlite_claim_cursor *cur = NULL;
    const crmlite_claim *claim = NULL;
    const char *recipient = NULL, *body = NULL;
    crmlite_run_report report;
    int64_t tid = 0, trig = 0, id = 0;
    int i, seen = 0;

    memset(&report, 0, sizeof report);
    /* 2026-12-06T10:00Z: nobody's birthday yet in Yerevan. */
    CHECK(crmlite_clock_new(DEC_7_0900 - 23 * HOUR, &clock));
    CHECK(crmlite_open_v3(":memory:", NULL, CRMLITE_SYNCHRONOUS_FULL, clock, &db));
    CHECK(crmlite_template_save(db, "birthday_sms", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, GREETING,
                                &tid));
    for (i = 0; i < 5; i++) {
        crmlite_customer_draft *draft = NULL;
        CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, people[i].name, &draft));
        CHECK(crmlite_customer_draft_add_phone(draft, people[i].phone));
        CHECK(crmlite_customer_draft_set_language(draft, people[i].language));
        CHECK(crmlite_customer_draft_set_birthday(draft, 1990, 12, 7));
        CHECK(crmlite_customer_add(db, draft, &id));
        crmlite_customer_draft_free(draft);
        CHECK(crmlite_consent_record(db, id, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, true, "till", "v1"));
    }
    CHECK(crmlite_trigger_add(db, "birthday",
                              "{\"type\": \"date\", \"field\": \"birthday\", \"offset_days\": 0, "
                              "\"time_zone\": \"Asia/Yerevan\"}",
                              "{\"type\": \"queue_message\", \"channel\": \"sms\", \"purpose\": \"marketing\", "
                              "\"body_template\": \"birthday_sms\"}",
                              &trig));
    CHECK(crmlite_run_due(db, DEC_7_0900 - 23 * HOUR, &report));
    EXPECT(report.fired == 0);
    CHECK(crmlite_clock_set(clock, DEC_7_0900 + HOUR)); /* the template's `today` follows the clock */
    CHECK(crmlite_run_due(db, DEC_7_0900 + HOUR, &report));
    EXPECT(report.fired == 5 && report.queued == 5 && report.skipped == 0);
    CHECK(crmlite_run_due(db, DEC_7_0900 + HOUR, &report));
    EXPECT(report.fired == 0); /* idempotent */

    CHECK(crmlite_outbox_claim(db, 10, 60000, &cur));
    while (crmlite_claim_cursor_next(cur, &claim) == CRMLITE_ROW) {
        CHECK(crmlite_claim_recipient(claim, &recipient));
        CHECK(crmlite_claim_body(claim, &body));
        for (i = 0; i < 5; i++) {
            if (strcmp(recipient, people[i].e164) == 0) {
                EXPECT_STR(body, people[i].greeting);
                seen++;
            }
        }
    }
    crmlite_claim_cursor_free(cur);
    EXPECT(seen == 5);
    crmlite_clock_free(clock);
    crmlite_close(db);
    return 1;
}

static int test_clock_misuse_and_overflow(void) {
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    int64_t now = 0;

    CHECK_MISUSE(crmlite_clock_new(0, NULL));
    CHECK_MISUSE(crmlite_clock_set(NULL, 0));
    CHECK_MISUSE(crmlite_clock_now(NULL, &now));
    CHECK(crmlite_clock_new(INT64_MAX - 1, &clock));
    CHECK_INVALID(crmlite_clock_advance(clock, 5), "ms");
    CHECK(crmlite_clock_now(clock, &now));
    EXPECT(now == INT64_MAX - 1);
    CHECK_INVALID(crmlite_open_v3(":memory:", NULL, 9, clock, &db), "synchronous");
    EXPECT(db == NULL);
    crmlite_clock_free(clock);
    crmlite_clock_free(NULL);
    /* NULL is the system clock. */
    CHECK(crmlite_open_v3(":memory:", "GR", CRMLITE_SYNCHRONOUS_NORMAL, NULL, &db));
    crmlite_close(db);
    return 1;
}

static int test_a_complaint_moves_through_its_lifecycle(void) {
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    crmlite_complaint *c = NULL;
    int64_t eleni = 0, id = 0, version = 0, got = 0, customer = 0, response = 0, resolution = 0, changes = 0;
    int32_t status = -1, severity = -1;
    const char *text = NULL;

    CHECK(crmlite_clock_new(DEC_7_0900, &clock));
    CHECK(crmlite_open_v3(":memory:", NULL, CRMLITE_SYNCHRONOUS_FULL, clock, &db));
    CHECK(add_person(db, "Ελένη Γεωργίου", "+30 210 1234567", &eleni));
    CHECK(crmlite_complaint_open(db, eleni, CRMLITE_SEVERITY_HIGH, "Ο καφές ήταν κρύος", "Άργησε 40 λεπτά", "phone",
                                 "Παράδοση", 0, 0, 0, "nikos", "desk", &id));
    CHECK(crmlite_complaint_get(db, id, &c));
    CHECK(crmlite_complaint_id(c, &got));
    CHECK(crmlite_complaint_version(c, &version));
    CHECK(crmlite_complaint_customer(c, &customer));
    CHECK(crmlite_complaint_status(c, &status));
    CHECK(crmlite_complaint_severity(c, &severity));
    CHECK(crmlite_complaint_due(c, &response, &resolution));
    CHECK(crmlite_complaint_subject(c, &text));
    EXPECT_STR(text, "Ο καφές ήταν κρύος");
    CHECK(crmlite_complaint_assignee(c, &text));
    EXPECT_STR(text, "nikos");
    EXPECT(got == id && version == 1 && customer == eleni);
    EXPECT(status == CRMLITE_COMPLAINT_OPEN && severity == CRMLITE_SEVERITY_HIGH);
    EXPECT(response == DEC_7_0900 + 4 * HOUR && resolution == DEC_7_0900 + 3 * DAY);
    crmlite_complaint_free(c);

    /* Illegal moves, stale versions and bad input are typed errors that change nothing. */
    changes = count_changes(db);
    CHECK_STATUS(crmlite_complaint_move(db, id, 1, CRMLITE_COMPLAINT_CLOSED, NULL, NULL, &version),
                 CRMLITE_ERR_CONFLICT);
    CHECK_STATUS(crmlite_complaint_move(db, id, 7, CRMLITE_COMPLAINT_IN_PROGRESS, NULL, NULL, &version),
                 CRMLITE_ERR_CONFLICT);
    CHECK_INVALID(crmlite_complaint_move(db, id, 1, CRMLITE_COMPLAINT_RESOLVED, "", NULL, &version), "resolution");
    CHECK_INVALID(crmlite_complaint_move(db, id, 1, 9, NULL, NULL, &version), "to");
    CHECK_INVALID(crmlite_complaint_open(db, 999, CRMLITE_SEVERITY_LOW, "x", NULL, NULL, NULL, 0, 0, 0, NULL, NULL,
                                         &got),
                  "customer");
    CHECK_INVALID(crmlite_complaint_open(db, eleni, 7, "x", NULL, NULL, NULL, 0, 0, 0, NULL, NULL, &got),
                  "severity");
    CHECK_INVALID(crmlite_complaint_open(db, eleni, CRMLITE_SEVERITY_LOW, "x", NULL, NULL, NULL, 0, 42, 0, NULL,
                                         NULL, &got),
                  "deal");
    CHECK_MISUSE(crmlite_complaint_open(db, eleni, CRMLITE_SEVERITY_LOW, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL,
                                        &got));
    CHECK_STATUS(crmlite_complaint_get(db, 404, &c), CRMLITE_ERR_NOT_FOUND);
    EXPECT(version == 1);
    EXPECT(count_changes(db) == changes);

    CHECK(crmlite_complaint_assign(db, id, 1, "maria", "desk", &version));
    EXPECT(version == 2);
    CHECK(crmlite_clock_advance(clock, HOUR));
    CHECK(crmlite_complaint_move(db, id, version, CRMLITE_COMPLAINT_IN_PROGRESS, NULL, "maria", &version));
    CHECK(crmlite_complaint_move(db, id, version, CRMLITE_COMPLAINT_RESOLVED, "Νέος καφές", "maria", &version));
    CHECK(crmlite_complaint_move(db, id, version, CRMLITE_COMPLAINT_CLOSED, NULL, "maria", &version));
    CHECK_STATUS(crmlite_complaint_assign(db, id, version, "nikos", NULL, &version), CRMLITE_ERR_CONFLICT);
    CHECK(crmlite_complaint_move(db, id, version, CRMLITE_COMPLAINT_OPEN, "Ξανά", "desk", &version));
    EXPECT(version == 6);
    CHECK(crmlite_complaint_get(db, id, &c));
    CHECK(crmlite_complaint_status(c, &status));
    CHECK(crmlite_complaint_resolution(c, &text));
    EXPECT(status == CRMLITE_COMPLAINT_OPEN);
    EXPECT_STR(text, "");
    crmlite_complaint_free(c);
    crmlite_clock_free(clock);
    crmlite_close(db);
    return 1;
}

/* Counts the complaints of a cursor and returns the first id in `*first`. */
static int drain(crmlite_complaint_cursor *cur, int *count, int64_t *first) {
    const crmlite_complaint *row = NULL;
    *count = 0;
    while (crmlite_complaint_cursor_next(cur, &row) == CRMLITE_ROW) {
        if (*count == 0) CHECK(crmlite_complaint_id(row, first));
        (*count)++;
    }
    crmlite_complaint_cursor_free(cur);
    return 1;
}

static int test_lists_pages_and_overdue(void) {
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    crmlite_complaint_cursor *cur = NULL;
    int64_t a = 0, b = 0, critical = 0, low = 0, normal = 0, first = 0;
    int count = 0;
    char *next = NULL;

    CHECK(crmlite_clock_new(DEC_7_0900, &clock));
    CHECK(crmlite_open_v3(":memory:", NULL, CRMLITE_SYNCHRONOUS_FULL, clock, &db));
    CHECK(add_person(db, "ნინო ბერიძე", "+995 32 2123456", &a));
    CHECK(add_person(db, "مریم احمدی", "+98 21 1234 5678", &b));
    CHECK(crmlite_complaint_open(db, a, CRMLITE_SEVERITY_CRITICAL, "ხარვეზი", NULL, NULL, NULL, 0, 0, 0, "levan",
                                 NULL, &critical));
    CHECK(crmlite_complaint_open(db, b, CRMLITE_SEVERITY_LOW, "تأخیر", NULL, NULL, NULL, 0, 0, 0, "anna", NULL, &low));
    CHECK(crmlite_complaint_open(db, a, CRMLITE_SEVERITY_NORMAL, "ზარი", NULL, NULL, NULL, 0, 0, 0, "levan", NULL,
                                 &normal));

    CHECK(crmlite_complaint_list(db, -1, NULL, 0, NULL, 2, &cur));
    CHECK(crmlite_complaint_cursor_next_page(cur, &next));
    EXPECT(next != NULL);
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 2 && first == critical);
    CHECK(crmlite_complaint_list(db, -1, NULL, 0, next, 2, &cur));
    crmlite_string_free(next);
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 1 && first == normal);
    CHECK(crmlite_complaint_list(db, CRMLITE_COMPLAINT_OPEN, "levan", a, NULL, 10, &cur));
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 2);
    CHECK(crmlite_complaint_list(db, -1, NULL, b, NULL, 10, &cur));
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 1 && first == low);
    CHECK_INVALID(crmlite_complaint_list(db, 5, NULL, 0, NULL, 10, &cur), "status");
    CHECK_INVALID(crmlite_complaint_list(db, -1, NULL, 0, "nonsense", 10, &cur), "cursor");

    CHECK(crmlite_complaint_overdue(db, NULL, 10, &cur));
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 0);
    CHECK(crmlite_clock_advance(clock, 2 * HOUR)); /* the critical one missed its 1 h response */
    CHECK(crmlite_complaint_overdue(db, NULL, 10, &cur));
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 1 && first == critical);
    CHECK(crmlite_clock_advance(clock, 2 * DAY)); /* and the normal one its 1 day response */
    CHECK(crmlite_complaint_overdue(db, NULL, 10, &cur));
    if (!drain(cur, &count, &first)) return 0;
    EXPECT(count == 2);
    crmlite_clock_free(clock);
    crmlite_close(db);
    return 1;
}

static int test_a_complaint_opened_queues_a_message_and_creates_a_task(void) {
    crmlite_clock *clock = NULL;
    crmlite *db = NULL;
    crmlite_claim_cursor *claims = NULL;
    crmlite_task_cursor *tasks = NULL;
    const crmlite_claim *claim = NULL;
    const crmlite_task *task = NULL;
    const char *body = NULL, *assignee = NULL, *text = NULL;
    int64_t tid = 0, trig = 0, aram = 0, id = 0, customer = 0, linked = 0;
    char record[64];

    CHECK(crmlite_clock_new(DEC_7_0900, &clock));
    CHECK(crmlite_open_v3(":memory:", NULL, CRMLITE_SYNCHRONOUS_FULL, clock, &db));
    CHECK(crmlite_template_save(db, "ack", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "{{ customer.first_name }}, «{{ complaint.subject }}» №{{ complaint.id }}", &tid));
    CHECK(crmlite_trigger_add(db, "ack", "{\"type\": \"complaint_opened\"}",
                              "{\"type\": \"queue_message\", \"channel\": \"sms\", \"purpose\": \"service\", "
                              "\"body_template\": \"ack\"}",
                              &trig));
    CHECK(crmlite_trigger_add(db, "call", "{\"type\": \"complaint_opened\", \"min_severity\": \"high\"}",
                              "{\"type\": \"create_task\", \"title\": \"Զանգել\", \"assignee\": \"\", "
                              "\"due_in_days\": 1}",
                              &trig));
    CHECK_INVALID(crmlite_trigger_add(db, "bad", "{\"type\": \"complaint_opened\", \"min_severity\": \"huge\"}",
                                      "{\"type\": \"add_tag\", \"tag\": \"x\"}", &trig),
                  "event_json");
    CHECK(add_person(db, "Արամ Սարգսյան", "+374 10 123456", &aram));
    CHECK(crmlite_complaint_open(db, aram, CRMLITE_SEVERITY_CRITICAL, "Կոտրված", NULL, "phone", NULL, 0, 0, 0,
                                 "anna", NULL, &id));

    CHECK(crmlite_outbox_claim(db, 10, 60000, &claims));
    CHECK_STATUS(crmlite_claim_cursor_next(claims, &claim), CRMLITE_ROW);
    CHECK(crmlite_claim_body(claim, &body));
    EXPECT(strncmp(body, "Արամ, «Կոտրված» №", strlen("Արամ, «Կոտրված» №")) == 0);
    CHECK_STATUS(crmlite_claim_cursor_next(claims, &claim), CRMLITE_DONE);
    crmlite_claim_cursor_free(claims);

    CHECK(crmlite_task_due(db, DEC_7_0900 + 2 * DAY, NULL, 10, &tasks));
    CHECK_STATUS(crmlite_task_cursor_next(tasks, &task), CRMLITE_ROW);
    CHECK(crmlite_task_customer(task, &customer));
    CHECK(crmlite_task_assignee(task, &assignee));
    EXPECT(customer == aram);
    EXPECT_STR(assignee, "anna"); /* the complaint's assignee */
    snprintf(record, sizeof record, "complaint:%lld", (long long)id);
    CHECK(crmlite_task_record(task, &text));
    EXPECT_STR(text, record);
    CHECK_STATUS(crmlite_task_cursor_next(tasks, &task), CRMLITE_DONE);
    crmlite_task_cursor_free(tasks);

    /* A task a host adds links to the complaint too; an unknown complaint is refused. */
    CHECK(crmlite_task_add_linked(db, "Հետևել", DEC_7_0900 + DAY, "anna", aram, record, NULL, &linked));
    EXPECT(linked > 0);
    CHECK_INVALID(crmlite_task_add_linked(db, "x", DEC_7_0900, "", 0, "complaint:404", NULL, &linked), "record");
    crmlite_clock_free(clock);
    crmlite_close(db);
    return 1;
}

static int test_nps_answers_and_report(void) {
    crmlite *db = NULL;
    crmlite_nps_figures report;
    int64_t ids[5], id = 0, changes = 0;
    const int64_t scores[5] = {10, 9, 8, 6, 0};
    int i;

    memset(&report, 0, sizeof report);
    CHECK(crmlite_open(":memory:", &db));
    for (i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "Σοφία %d", i);
        CHECK(add_person(db, name, "+30 210 1234567", &ids[i]));
        CHECK(crmlite_nps_record(db, ids[i], scores[i], "Πολύ καλά", "q4", DEC_7_0900 + i, &id));
    }
    changes = count_changes(db);
    CHECK_INVALID(crmlite_nps_record(db, ids[0], 11, NULL, NULL, 0, &id), "score");
    CHECK_INVALID(crmlite_nps_record(db, ids[0], -1, NULL, NULL, 0, &id), "score");
    CHECK_INVALID(crmlite_nps_record(db, 999, 5, NULL, NULL, 0, &id), "customer");
    CHECK_STATUS(crmlite_nps_record(db, ids[0], 5, NULL, "q4", 0, &id), CRMLITE_ERR_CONFLICT);
    CHECK_INVALID(crmlite_nps_report(db, DEC_7_0900, DEC_7_0900, NULL, &report), "until");
    EXPECT(count_changes(db) == changes);

    /* 2 promoters, 1 passive, 2 detractors of 5: 0. */
    CHECK(crmlite_nps_report(db, DEC_7_0900, DEC_7_0900 + DAY, NULL, &report));
    EXPECT(report.responses == 5 && report.promoters == 2 && report.passives == 1 && report.detractors == 2);
    EXPECT(report.has_nps == 1 && report.nps == 0);
    EXPECT(report.by_score[10] == 1 && report.by_score[0] == 1 && report.by_score[5] == 0);
    /* The first two answers only: 100. */
    CHECK(crmlite_nps_report(db, DEC_7_0900, DEC_7_0900 + 2, "q4", &report));
    EXPECT(report.responses == 2 && report.nps == 100);
    CHECK(crmlite_nps_report(db, 0, DEC_7_0900, NULL, &report));
    EXPECT(report.responses == 0 && report.has_nps == 0);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"a lease expires when the clock moves", test_a_lease_expires_when_the_clock_moves},
        {"clock misuse and overflow", test_clock_misuse_and_overflow},
        {"a birthday greeting in five languages on the clock's day",
         test_a_birthday_greeting_in_five_languages_on_the_clocks_day},
        {"a complaint moves through its lifecycle", test_a_complaint_moves_through_its_lifecycle},
        {"lists, pages and overdue", test_lists_pages_and_overdue},
        {"a complaint opened queues a message and creates a task",
         test_a_complaint_opened_queues_a_message_and_creates_a_task},
        {"NPS answers and report", test_nps_answers_and_report},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
