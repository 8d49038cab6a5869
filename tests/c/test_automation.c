/* Tests of the crmlite C API for automation: templates, tasks, run_due, the outbox, consent.
 * Prints "ok N - name" per test and "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define ARAM "Արամ Սարգսյան"
#define NBSP "\xc2\xa0"
/* 2026-12-07T09:00:00Z and 2026-12-31T00:00:00Z in Unix milliseconds. */
#define DEC_7_0900 INT64_C(1796634000000)
#define DEC_31 INT64_C(1798675200000)

#define GREETING                                                                            \
    "{% set greet = {'hy': 'Շնորհավոր ծնունդդ', 'en': 'Happy birthday'} %}"              \
    "{{ greet[customer.language] }}, {{ customer.first_name }}! "                           \
    "{{ day|date }}: {{ money(bonus, 'AMD') }}"

/* Adds a person with a phone and a language. */
static crmlite_status add_person(crmlite *db, const char *name, const char *phone, const char *language,
                                 int64_t *id) {
    crmlite_customer_draft *draft = NULL;
    crmlite_status s = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, name, &draft);
    if (s == CRMLITE_OK) s = crmlite_customer_draft_add_phone(draft, phone);
    if (s == CRMLITE_OK) s = crmlite_customer_draft_set_language(draft, language);
    if (s == CRMLITE_OK) s = crmlite_customer_add(db, draft, id);
    crmlite_customer_draft_free(draft);
    return s;
}

static int test_armenian_birthday_greeting(void) {
    crmlite *db = NULL;
    int64_t template_id = 0, aram = 0;
    char *text = NULL;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_template_save(db, "birthday_sms", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, GREETING,
                                &template_id));
    EXPECT(template_id > 0);
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    CHECK(crmlite_template_render(db, "birthday_sms", aram, "{\"bonus\": 500000, \"day\": \"2026-12-07\"}", &text));
    EXPECT_STR(text, "Շնորհավոր ծնունդդ, Արամ! 7 դեկտեմբերի 2026 թ.: 5" NBSP "000,00" NBSP "֏");
    crmlite_string_free(text);

    /* Saving the same code again replaces the template. */
    CHECK(crmlite_template_save(db, "birthday_sms", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_HTML,
                                "<b>{{ customer.name }}</b>", &template_id));
    CHECK(crmlite_template_render(db, "birthday_sms", aram, NULL, &text));
    EXPECT_STR(text, "<b>" ARAM "</b>");
    crmlite_string_free(text);
    crmlite_close(db);
    return 1;
}

static int test_bad_templates_name_the_field_and_change_nothing(void) {
    crmlite *db = NULL;
    int64_t id = -1, changes = 0;
    char *text = NULL;

    CHECK(crmlite_open(":memory:", &db));
    changes = count_changes(db);
    CHECK_INVALID(crmlite_template_save(db, "broken", CRMLITE_TEMPLATE_LETTER, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                        "ok\n{% for x in %}\n", &id),
                  "body");
    EXPECT(strstr(crmlite_last_error_message(), "line 2") != NULL);
    CHECK_INVALID(crmlite_template_save(db, "Bad Code", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", &id),
                  "code");
    CHECK_INVALID(crmlite_template_save(db, "t", 42, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", &id), "kind");
    CHECK_INVALID(crmlite_template_save(db, "t", CRMLITE_TEMPLATE_SMS, 7, "x", &id), "format");
    CHECK_INVALID(crmlite_template_save(db, "t", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "\xff", &id),
                  "body");
    EXPECT(id == -1);
    EXPECT(count_changes(db) == changes);
    CHECK_STATUS(crmlite_template_render(db, "broken", 0, NULL, &text), CRMLITE_ERR_NOT_FOUND);

    CHECK(crmlite_template_save(db, "forever", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
                                &id));
    CHECK_INVALID(crmlite_template_render(db, "forever", 0, NULL, &text), "templates.forever.template");
    EXPECT(strstr(crmlite_last_error_message(), "out of fuel") != NULL);
    CHECK(crmlite_template_save(db, "letter", CRMLITE_TEMPLATE_LETTER, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "Dear {{ name }}", &id));
    CHECK_INVALID(crmlite_template_render(db, "letter", 0, "{}", &text), "templates.letter.template");
    CHECK_INVALID(crmlite_template_render(db, "letter", 0, "[1, 2]", &text), "vars_json");
    CHECK_INVALID(crmlite_template_render(db, "letter", 0, "{\"name\":", &text), "vars_json");
    EXPECT(text == NULL);
    crmlite_close(db);
    return 1;
}

static int test_claim_deliver_and_ack(void) {
    crmlite *db = NULL;
    crmlite_claim_cursor *cur = NULL;
    const crmlite_claim *claim = NULL;
    const char *token, *recipient, *subject, *body;
    char *saved = NULL;
    int64_t aram = 0, tid = 0, msg = 0, again = 0, claimed = 0, attempts = 0, changes = 0;
    int32_t channel = -1;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_template_save(db, "receipt", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "Շնորհակալություն, {{ customer.first_name }}! {{ order }}", &tid));
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "receipt", NULL,
                               "{\"order\": \"#42\"}", "order-42", &msg));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "receipt", NULL,
                               "{\"order\": \"#42\"}", "order-42", &again));
    EXPECT(again == msg);

    CHECK(crmlite_outbox_claim(db, 10, 60000, &cur));
    CHECK_STATUS(crmlite_claim_cursor_next(cur, &claim), CRMLITE_ROW);
    CHECK(crmlite_claim_message_id(claim, &claimed));
    CHECK(crmlite_claim_token(claim, &token));
    CHECK(crmlite_claim_channel(claim, &channel));
    CHECK(crmlite_claim_recipient(claim, &recipient));
    CHECK(crmlite_claim_subject(claim, &subject));
    CHECK(crmlite_claim_body(claim, &body));
    CHECK(crmlite_claim_attempts(claim, &attempts));
    EXPECT(claimed == msg && channel == CRMLITE_CHANNEL_SMS && attempts == 1);
    EXPECT_STR(recipient, "+37410123456");
    EXPECT_STR(subject, "");
    EXPECT_STR(body, "Շնորհակալություն, Արամ! #42");
    saved = strdup(token);
    EXPECT(saved != NULL);
    CHECK_STATUS(crmlite_claim_cursor_next(cur, &claim), CRMLITE_DONE);
    crmlite_claim_cursor_free(cur);

    /* Leased: not handed out twice. */
    CHECK(crmlite_outbox_claim(db, 10, 60000, &cur));
    CHECK_STATUS(crmlite_claim_cursor_next(cur, &claim), CRMLITE_DONE);
    crmlite_claim_cursor_free(cur);

    /* A wrong token is a conflict and changes nothing. */
    changes = count_changes(db);
    CHECK_STATUS(crmlite_outbox_ack(db, msg, "nonsense"), CRMLITE_ERR_CONFLICT);
    CHECK_STATUS(crmlite_outbox_fail(db, msg, "nonsense", 0, "x"), CRMLITE_ERR_CONFLICT);
    CHECK_STATUS(crmlite_outbox_ack(db, 999, saved), CRMLITE_ERR_NOT_FOUND);
    EXPECT(count_changes(db) == changes);

    CHECK(crmlite_outbox_ack(db, msg, saved));
    changes = count_changes(db);
    CHECK(crmlite_outbox_ack(db, msg, saved)); /* a second ack is a no-op */
    EXPECT(count_changes(db) == changes);
    free(saved);
    crmlite_close(db);
    return 1;
}

static int test_failed_delivery_is_retried(void) {
    crmlite *db = NULL;
    crmlite_claim_cursor *cur = NULL;
    const crmlite_claim *claim = NULL;
    const char *token;
    int64_t aram = 0, tid = 0, msg = 0, attempts = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_template_save(db, "r", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "{{ customer.name }}",
                                &tid));
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "r", NULL, NULL, NULL, &msg));
    CHECK(crmlite_outbox_claim(db, 1, 60000, &cur));
    CHECK_STATUS(crmlite_claim_cursor_next(cur, &claim), CRMLITE_ROW);
    CHECK(crmlite_claim_token(claim, &token));
    CHECK_INVALID(crmlite_outbox_fail(db, msg, token, -1, "x"), "retry_after_ms");
    CHECK(crmlite_outbox_fail(db, msg, token, 0, "gateway timeout"));
    crmlite_claim_cursor_free(cur);

    CHECK(crmlite_outbox_claim(db, 1, 60000, &cur));
    CHECK_STATUS(crmlite_claim_cursor_next(cur, &claim), CRMLITE_ROW);
    CHECK(crmlite_claim_attempts(claim, &attempts));
    CHECK(crmlite_claim_token(claim, &token));
    EXPECT(attempts == 2);
    CHECK(crmlite_outbox_ack(db, msg, token));
    crmlite_claim_cursor_free(cur);
    CHECK_INVALID(crmlite_outbox_claim(db, 1, 0, &cur), "lease_ms");
    CHECK_INVALID(crmlite_outbox_claim(db, 0, 1000, &cur), "limit");
    crmlite_close(db);
    return 1;
}

static int test_consent_gates_marketing(void) {
    crmlite *db = NULL;
    int64_t aram = 0, tid = 0, msg = 0, changes = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_template_save(db, "offer", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT,
                                "Զեղչ {{ customer.first_name }}", &tid));
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    changes = count_changes(db);
    CHECK_INVALID(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, "offer", NULL, NULL,
                                       NULL, &msg),
                  "consent");
    CHECK_INVALID(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, true, "till", ""),
                  "text_version");
    CHECK_INVALID(crmlite_consent_record(db, aram, 9, CRMLITE_PURPOSE_MARKETING, true, "till", "v1"), "channel");
    CHECK_INVALID(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, 9, true, "till", "v1"), "purpose");
    EXPECT(count_changes(db) == changes);
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "offer", NULL, NULL, NULL,
                               &msg));
    CHECK(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, true, "till", "v1"));
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, "offer", NULL, NULL, NULL,
                               &msg));
    CHECK(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, false, "phone call", ""));
    CHECK_INVALID(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_MARKETING, "offer", NULL, NULL,
                                       NULL, &msg),
                  "consent");
    CHECK_STATUS(crmlite_consent_record(db, 999, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, true, "t", "v1"),
                 CRMLITE_ERR_NOT_FOUND);
    crmlite_close(db);
    return 1;
}

static int test_tasks_and_run_due(void) {
    crmlite *db = NULL;
    crmlite_task_cursor *cur = NULL;
    const crmlite_task *row = NULL;
    const char *title, *assignee;
    crmlite_run_report report = {9, 9, 9, 9, 9, 9};
    int64_t aram = 0, first = 0, next = -1, last = -1, id = 0, due = 0, customer = -1;
    int32_t status = -1;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    CHECK(crmlite_task_add(db, "Զանգել Արամին", DEC_7_0900, "ani", aram, "FREQ=DAILY;COUNT=2", &first));
    CHECK(crmlite_task_complete(db, first, &next));
    EXPECT(next > first);
    CHECK(crmlite_task_complete(db, next, &last));
    EXPECT(last == 0);
    CHECK_STATUS(crmlite_task_complete(db, next, &last), CRMLITE_ERR_CONFLICT);
    CHECK_STATUS(crmlite_task_complete(db, 999, &last), CRMLITE_ERR_NOT_FOUND);
    CHECK(crmlite_task_add(db, "Պատվեր", DEC_7_0900, "", 0, NULL, &id));
    CHECK_INVALID(crmlite_task_add(db, "x", DEC_7_0900, "", 0, "FREQ=HOURLY", &id), "recurrence");
    CHECK_INVALID(crmlite_task_add(db, " ", DEC_7_0900, "", 0, NULL, &id), "title");

    CHECK(crmlite_task_due(db, DEC_31, NULL, 10, &cur));
    CHECK_STATUS(crmlite_task_cursor_next(cur, &row), CRMLITE_ROW);
    CHECK(crmlite_task_id(row, &id));
    CHECK(crmlite_task_title(row, &title));
    CHECK(crmlite_task_assignee(row, &assignee));
    CHECK(crmlite_task_due_at(row, &due));
    CHECK(crmlite_task_customer(row, &customer));
    CHECK(crmlite_task_status(row, &status));
    EXPECT_STR(title, "Պատվեր");
    EXPECT_STR(assignee, "");
    EXPECT(due == DEC_7_0900 && customer == 0 && status == CRMLITE_TASK_OPEN);
    CHECK_STATUS(crmlite_task_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_task_cursor_free(cur);
    CHECK(crmlite_task_due(db, DEC_7_0900 - 1, "ani", 10, &cur));
    CHECK_STATUS(crmlite_task_cursor_next(cur, &row), CRMLITE_DONE);
    crmlite_task_cursor_free(cur);

    CHECK(crmlite_run_due(db, DEC_7_0900, &report));
    EXPECT(report.fired == 0 && report.queued == 0 && report.tasks == 0 && report.tags == 0 && report.skipped == 0 &&
           report.awards == 0);
    crmlite_close(db);
    return 1;
}

static int test_birthday_points_and_tagged_triggers(void) {
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_run_report report = {9, 9, 9, 9, 9, 9};
    crmlite_balance balance;
    int64_t aram = 0, program = 0, rule = 0, card = 0, trigger = 0, quiet = 0, id = 0;
    int64_t before;
    /* Triggers fire only on days after they were added (by the real clock): run at noon UTC
     * about a year from now, on a day that is a birthday in every year. */
    int64_t days = (int64_t)time(NULL) / 86400 + 400;
    time_t seconds;
    struct tm day;
    int64_t noon;

    seconds = (time_t)(days * 86400);
    gmtime_r(&seconds, &day);
    if (day.tm_mon == 1 && day.tm_mday == 29) {
        days++;
        seconds = (time_t)(days * 86400);
        gmtime_r(&seconds, &day);
    }
    noon = days * INT64_C(86400000) + INT64_C(43200000);
    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, ARAM, &draft));
    CHECK(crmlite_customer_draft_set_birthday(draft, 1990, day.tm_mon + 1, day.tm_mday));
    CHECK(crmlite_customer_add(db, draft, &aram));
    crmlite_customer_draft_free(draft);
    CHECK(crmlite_program_create(db, "Դեղատուն Բոնուս", "AMD", 100, CRMLITE_EXPIRY_NEVER, 0, 0,
                                 CRMLITE_REVERSAL_CLAWBACK, &program));
    CHECK(crmlite_earn_rule_add(db, program, "ծննդյան օր", CRMLITE_EARN_BIRTHDAY, 500, 0, 0, &rule));
    CHECK(crmlite_card_open(db, program, aram, NULL, &card));

    before = count_changes(db);
    CHECK_INVALID(crmlite_trigger_add_birthday_points(db, "bday", "Asia/Yerevan", 999, 0, &id), "action.program");
    CHECK_INVALID(crmlite_trigger_add_birthday_points(db, "bday", "Mars/Olympus", program, 0, &id), "event.time_zone");
    CHECK_INVALID(crmlite_trigger_add(db, "quiet", "{\"type\": \"no_purchase_for\"}", "{\"type\": \"add_tag\", \"tag\": \"x\"}", &id),
                  "event_json");
    CHECK_INVALID(crmlite_trigger_add(db, "quiet", "{\"type\": \"points_milestone\", \"points\": 0}",
                                      "{\"type\": \"add_tag\", \"tag\": \"x\"}", &id),
                  "event.points");
    EXPECT(count_changes(db) == before);

    CHECK(crmlite_trigger_add_birthday_points(db, "bday", "UTC", program, 0, &trigger));
    CHECK(crmlite_trigger_add(db, "quiet", "{\"type\": \"no_purchase_for\", \"days\": 90}",
                              "{\"type\": \"add_tag\", \"tag\": \"քնած\"}", &quiet));
    EXPECT(trigger > 0 && quiet > trigger);
    CHECK_STATUS(crmlite_trigger_add(db, "quiet", "{\"type\": \"tier_changed\"}", "{\"type\": \"add_tag\", \"tag\": \"x\"}", &id),
                 CRMLITE_ERR_CONFLICT);

    CHECK(crmlite_run_due(db, noon, &report));
    EXPECT(report.fired == 1 && report.awards == 1 && report.skipped == 0 && report.queued == 0);
    CHECK(crmlite_run_due(db, noon, &report));
    EXPECT(report.fired == 0 && report.awards == 0);
    CHECK(crmlite_points_balance(db, card, 0, &balance));
    EXPECT(balance.available == 500);
    crmlite_close(db);
    return 1;
}

static int test_null_pointers_are_misuse(void) {
    crmlite *db = NULL;
    crmlite_claim_cursor *claims = NULL;
    crmlite_task_cursor *tasks = NULL;
    const crmlite_claim *claim = NULL;
    const crmlite_task *task = NULL;
    crmlite_run_report report;
    const char *s;
    char *text = NULL;
    int64_t id = 0, aram = 0;
    int32_t n32 = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ARAM, "+374 10 123456", "hy", &aram));
    CHECK_MISUSE(crmlite_template_save(NULL, "t", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", &id));
    CHECK_MISUSE(crmlite_template_save(db, NULL, CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", &id));
    CHECK_MISUSE(crmlite_template_save(db, "t", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, NULL, &id));
    CHECK_MISUSE(crmlite_template_save(db, "t", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", NULL));
    CHECK(crmlite_template_save(db, "t", CRMLITE_TEMPLATE_SMS, CRMLITE_TEMPLATE_FORMAT_TEXT, "x", &id));
    CHECK_MISUSE(crmlite_template_render(NULL, "t", 0, NULL, &text));
    CHECK_MISUSE(crmlite_template_render(db, NULL, 0, NULL, &text));
    CHECK_MISUSE(crmlite_template_render(db, "t", 0, NULL, NULL));
    CHECK_MISUSE(crmlite_task_add(NULL, "t", 0, "", 0, NULL, &id));
    CHECK_MISUSE(crmlite_task_add(db, NULL, 0, "", 0, NULL, &id));
    CHECK_MISUSE(crmlite_task_add(db, "t", 0, NULL, 0, NULL, &id));
    CHECK_MISUSE(crmlite_task_add(db, "t", 0, "", 0, NULL, NULL));
    CHECK_MISUSE(crmlite_task_complete(NULL, 1, &id));
    CHECK_MISUSE(crmlite_task_complete(db, 1, NULL));
    CHECK_MISUSE(crmlite_task_due(NULL, 0, NULL, 10, &tasks));
    CHECK_MISUSE(crmlite_task_due(db, 0, NULL, 10, NULL));
    CHECK_MISUSE(crmlite_task_cursor_next(NULL, &task));
    CHECK_MISUSE(crmlite_task_id(NULL, &id));
    CHECK_MISUSE(crmlite_task_title(NULL, &s));
    CHECK_MISUSE(crmlite_task_due_at(NULL, &id));
    CHECK_MISUSE(crmlite_task_assignee(NULL, &s));
    CHECK_MISUSE(crmlite_task_customer(NULL, &id));
    CHECK_MISUSE(crmlite_task_status(NULL, &n32));
    CHECK_MISUSE(crmlite_run_due(NULL, 0, &report));
    CHECK_MISUSE(crmlite_run_due(db, 0, NULL));
    CHECK_MISUSE(crmlite_trigger_add(NULL, "t", "{}", "{}", &id));
    CHECK_MISUSE(crmlite_trigger_add(db, "t", NULL, "{}", &id));
    CHECK_MISUSE(crmlite_trigger_add(db, "t", "{}", NULL, &id));
    CHECK_MISUSE(crmlite_trigger_add(db, "t", "{}", "{}", NULL));
    CHECK_MISUSE(crmlite_trigger_add_birthday_points(db, NULL, "UTC", 1, 0, &id));
    CHECK_MISUSE(crmlite_trigger_add_birthday_points(db, "t", NULL, 1, 0, &id));
    CHECK_MISUSE(crmlite_outbox_queue(NULL, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "t", NULL, NULL, NULL,
                                      &id));
    CHECK_MISUSE(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, NULL, NULL, NULL, NULL,
                                      &id));
    CHECK_MISUSE(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "t", NULL, NULL, NULL,
                                      NULL));
    CHECK_MISUSE(crmlite_outbox_claim(NULL, 1, 1000, &claims));
    CHECK_MISUSE(crmlite_outbox_claim(db, 1, 1000, NULL));
    CHECK_MISUSE(crmlite_outbox_ack(NULL, 1, "t"));
    CHECK_MISUSE(crmlite_outbox_ack(db, 1, NULL));
    CHECK_MISUSE(crmlite_outbox_fail(NULL, 1, "t", 0, ""));
    CHECK_MISUSE(crmlite_outbox_fail(db, 1, NULL, 0, ""));
    CHECK_MISUSE(crmlite_outbox_fail(db, 1, "t", 0, NULL));
    CHECK_MISUSE(crmlite_consent_record(NULL, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, true, "s", "v"));
    CHECK_MISUSE(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, true, NULL, "v"));
    CHECK_MISUSE(crmlite_consent_record(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, true, "s", NULL));

    /* Row accessors with a NULL output, on a real claim and task. */
    CHECK(crmlite_outbox_queue(db, aram, CRMLITE_CHANNEL_SMS, CRMLITE_PURPOSE_SERVICE, "t", NULL, NULL, NULL, &id));
    CHECK(crmlite_outbox_claim(db, 1, 1000, &claims));
    CHECK_MISUSE(crmlite_claim_cursor_next(NULL, &claim));
    CHECK_MISUSE(crmlite_claim_cursor_next(claims, NULL));
    CHECK_STATUS(crmlite_claim_cursor_next(claims, &claim), CRMLITE_ROW);
    CHECK_MISUSE(crmlite_claim_message_id(NULL, &id));
    CHECK_MISUSE(crmlite_claim_message_id(claim, NULL));
    CHECK_MISUSE(crmlite_claim_token(NULL, &s));
    CHECK_MISUSE(crmlite_claim_token(claim, NULL));
    CHECK_MISUSE(crmlite_claim_channel(NULL, &n32));
    CHECK_MISUSE(crmlite_claim_channel(claim, NULL));
    CHECK_MISUSE(crmlite_claim_recipient(NULL, &s));
    CHECK_MISUSE(crmlite_claim_recipient(claim, NULL));
    CHECK_MISUSE(crmlite_claim_subject(NULL, &s));
    CHECK_MISUSE(crmlite_claim_subject(claim, NULL));
    CHECK_MISUSE(crmlite_claim_body(NULL, &s));
    CHECK_MISUSE(crmlite_claim_body(claim, NULL));
    CHECK_MISUSE(crmlite_claim_attempts(NULL, &id));
    CHECK_MISUSE(crmlite_claim_attempts(claim, NULL));
    crmlite_claim_cursor_free(claims);

    CHECK(crmlite_task_add(db, "t", 0, "", 0, NULL, &id));
    CHECK(crmlite_task_due(db, 0, NULL, 10, &tasks));
    CHECK_MISUSE(crmlite_task_cursor_next(tasks, NULL));
    CHECK_STATUS(crmlite_task_cursor_next(tasks, &task), CRMLITE_ROW);
    CHECK_MISUSE(crmlite_task_id(task, NULL));
    CHECK_MISUSE(crmlite_task_title(task, NULL));
    CHECK_MISUSE(crmlite_task_due_at(task, NULL));
    CHECK_MISUSE(crmlite_task_assignee(task, NULL));
    CHECK_MISUSE(crmlite_task_customer(task, NULL));
    CHECK_MISUSE(crmlite_task_status(task, NULL));
    crmlite_task_cursor_free(tasks);

    crmlite_task_cursor_free(NULL);
    crmlite_claim_cursor_free(NULL);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"Armenian birthday greeting", test_armenian_birthday_greeting},
        {"bad templates name the field and change nothing", test_bad_templates_name_the_field_and_change_nothing},
        {"claim, deliver and ack", test_claim_deliver_and_ack},
        {"failed delivery is retried", test_failed_delivery_is_retried},
        {"consent gates marketing", test_consent_gates_marketing},
        {"tasks and run_due", test_tasks_and_run_due},
        {"birthday points and tagged triggers", test_birthday_points_and_tagged_triggers},
        {"NULL pointers are misuse", test_null_pointers_are_misuse},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
