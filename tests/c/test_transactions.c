/* Tests of explicit transactions in the crmlite C API: commit, rollback, a failing call that
 * undoes only itself, misuse, another thread kept out until the commit, close with a
 * transaction open. Prints "ok N - name" per test and "N passed, M failed". */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *const NAMES[4] = {"Արմեն Սարգսյան", "ნინო ბერიძე", "Γιώργος Παπαδόπουλος",
                                     "مریم احمدی"};

static crmlite_status add_person(crmlite *db, const char *name, const char *code, int64_t *id) {
    crmlite_customer_draft *draft = NULL;
    crmlite_status s = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, name, &draft);
    if (s == CRMLITE_OK && code != NULL) s = crmlite_customer_draft_set_external_code(draft, code);
    if (s == CRMLITE_OK) s = crmlite_customer_add(db, draft, id);
    crmlite_customer_draft_free(draft);
    return s;
}

/* Counts customers; -1 on error. */
static int64_t count_customers(const crmlite *db) {
    crmlite_customer_cursor *cur = NULL;
    const crmlite_customer *row;
    int64_t n = 0;
    if (crmlite_customer_list(db, NULL, 1000, &cur) != CRMLITE_OK) return -1;
    while (crmlite_customer_cursor_next(cur, &row) == CRMLITE_ROW) n++;
    crmlite_customer_cursor_free(cur);
    return n;
}

static int test_adds_are_committed_together(void) {
    crmlite *db = NULL;
    crmlite_customer *c = NULL;
    const char *name;
    int64_t ids[20];
    bool open = false;
    int i;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_transaction_begin(db));
    CHECK(crmlite_transaction_active(db, &open));
    EXPECT(open);
    for (i = 0; i < 20; i++) CHECK(add_person(db, NAMES[i % 4], NULL, &ids[i]));
    /* The transaction's own reads see its writes. */
    CHECK(crmlite_customer_get(db, ids[3], &c));
    CHECK(crmlite_customer_name(c, &name));
    EXPECT_STR(name, "مریم احمدی");
    crmlite_customer_free(c);
    CHECK(crmlite_transaction_commit(db));
    CHECK(crmlite_transaction_active(db, &open));
    EXPECT(!open);
    EXPECT(count_customers(db) == 20);
    EXPECT(count_changes(db) == 20);
    crmlite_close(db);
    return 1;
}

static int test_rollback_leaves_nothing(void) {
    crmlite *db = NULL;
    int64_t kept = 0, added = 0, entry = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, NAMES[0], NULL, &kept));
    CHECK(crmlite_transaction_begin(db));
    CHECK(add_person(db, NAMES[1], NULL, &added));
    CHECK(crmlite_timeline_add(db, kept, CRMLITE_TIMELINE_NOTE, "Σημείωση", "", 0, &entry));
    EXPECT(count_changes(db) == 3);
    CHECK(crmlite_transaction_rollback(db));
    EXPECT(count_customers(db) == 1);
    EXPECT(count_changes(db) == 1);
    {
        crmlite_customer *c = NULL;
        CHECK_STATUS(crmlite_customer_get(db, added, &c), CRMLITE_ERR_NOT_FOUND);
        EXPECT(c == NULL);
    }
    crmlite_close(db);
    return 1;
}

static int test_a_failing_call_undoes_only_itself(void) {
    crmlite *db = NULL;
    int64_t first = 0, clash = 0, last = 0, entry = 0;

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_transaction_begin(db));
    CHECK(add_person(db, NAMES[0], "C-1", &first));
    CHECK_STATUS(add_person(db, NAMES[1], "C-1", &clash), CRMLITE_ERR_CONFLICT);
    CHECK_INVALID(add_person(db, "  ", NULL, &clash), "name");
    CHECK_STATUS(crmlite_timeline_add(db, 999999, CRMLITE_TIMELINE_NOTE, "ghost", "", 0, &entry),
                 CRMLITE_ERR_NOT_FOUND);
    CHECK(add_person(db, NAMES[2], NULL, &last));
    CHECK(crmlite_transaction_commit(db));
    EXPECT(count_customers(db) == 2);
    EXPECT(count_changes(db) == 2);
    crmlite_close(db);
    return 1;
}

static int test_misuse(void) {
    crmlite *db = NULL;
    bool open = true;

    CHECK(crmlite_open(":memory:", &db));
    CHECK_INVALID(crmlite_transaction_commit(db), "transaction");
    EXPECT(strstr(crmlite_last_error_message(), "no transaction is open") != NULL);
    CHECK_INVALID(crmlite_transaction_rollback(db), "transaction");
    CHECK(crmlite_transaction_begin(db));
    CHECK_INVALID(crmlite_transaction_begin(db), "transaction");
    EXPECT(strstr(crmlite_last_error_message(), "do not nest") != NULL);
    CHECK(crmlite_transaction_active(db, &open));
    EXPECT(open);
    CHECK(crmlite_transaction_rollback(db));
    CHECK_MISUSE(crmlite_transaction_begin(NULL));
    CHECK_MISUSE(crmlite_transaction_commit(NULL));
    CHECK_MISUSE(crmlite_transaction_rollback(NULL));
    CHECK_MISUSE(crmlite_transaction_active(db, NULL));
    CHECK_MISUSE(crmlite_transaction_active(NULL, &open));
    crmlite_close(db);
    return 1;
}

struct other {
    crmlite *db;
    int64_t seen;
    crmlite_status begin;
    crmlite_status added;
    volatile int done;
};

static void *read_other(void *arg) {
    struct other *o = arg;
    o->seen = count_customers(o->db);
    o->begin = crmlite_transaction_commit(o->db); /* not this thread's transaction */
    return NULL;
}

static void *write_other(void *arg) {
    struct other *o = arg;
    int64_t id = 0;
    o->added = add_person(o->db, NAMES[3], NULL, &id);
    o->done = 1;
    return NULL;
}

static int test_other_threads_are_kept_out_until_the_commit(void) {
    char dir[] = "/tmp/crmlite-tx-XXXXXX", path[256], wal[270], shm[270];
    crmlite *db = NULL;
    struct other o = {NULL, -1, CRMLITE_OK, CRMLITE_OK, 0};
    pthread_t t;
    int64_t id = 0;
    struct timespec pause = {0, 400 * 1000 * 1000};

    EXPECT(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/tx.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    CHECK(crmlite_open(path, &db));
    o.db = db;
    CHECK(add_person(db, NAMES[0], NULL, &id));
    CHECK(crmlite_transaction_begin(db));
    CHECK(add_person(db, NAMES[1], NULL, &id));

    EXPECT(pthread_create(&t, NULL, read_other, &o) == 0);
    EXPECT(pthread_join(t, NULL) == 0);
    EXPECT(o.seen == 1);
    EXPECT(o.begin == CRMLITE_ERR_VALIDATION);

    EXPECT(pthread_create(&t, NULL, write_other, &o) == 0);
    nanosleep(&pause, NULL);
    EXPECT(!o.done);
    CHECK(crmlite_transaction_commit(db));
    EXPECT(pthread_join(t, NULL) == 0);
    EXPECT(o.added == CRMLITE_OK);
    EXPECT(count_customers(db) == 3);
    crmlite_close(db);

    unlink(wal);
    unlink(shm);
    EXPECT(unlink(path) == 0);
    EXPECT(rmdir(dir) == 0);
    return 1;
}

static int test_close_rolls_an_open_transaction_back(void) {
    char dir[] = "/tmp/crmlite-tx-XXXXXX", path[256], wal[270], shm[270];
    crmlite *db = NULL;
    int64_t id = 0;

    EXPECT(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/tx.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    CHECK(crmlite_open(path, &db));
    CHECK(crmlite_transaction_begin(db));
    CHECK(add_person(db, NAMES[2], NULL, &id));
    crmlite_close(db);
    db = NULL;
    CHECK(crmlite_open(path, &db));
    EXPECT(count_customers(db) == 0);
    EXPECT(count_changes(db) == 0);
    crmlite_close(db);

    unlink(wal);
    unlink(shm);
    EXPECT(unlink(path) == 0);
    EXPECT(rmdir(dir) == 0);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"adds are committed together", test_adds_are_committed_together},
        {"a rollback leaves nothing", test_rollback_leaves_nothing},
        {"a failing call undoes only itself", test_a_failing_call_undoes_only_itself},
        {"misuse", test_misuse},
        {"other threads are kept out until the commit",
         test_other_threads_are_kept_out_until_the_commit},
        {"close rolls an open transaction back", test_close_rolls_an_open_transaction_back},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
