/* Test helpers for the crmlite C tests: each test is a function returning 1 (pass) or 0. */
#ifndef CRMLITE_TEST_CHECK_H
#define CRMLITE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmlite.h"

/* Prints the failed call with the thread's last error message and field. */
#define FAIL_WITH(what, status)                                                          \
    do {                                                                                 \
        const char *field_ = crmlite_last_error_field();                                 \
        fprintf(stderr, "  %s:%d: %s -> %d (%s): %s [field: %s]\n", __FILE__, __LINE__, \
                (what), (int)(status), crmlite_errstr(status),                           \
                crmlite_last_error_message(), field_ ? field_ : "none");                 \
        return 0;                                                                        \
    } while (0)

/* The call must return CRMLITE_OK. */
#define CHECK(call)                                 \
    do {                                            \
        crmlite_status s_ = (call);                 \
        if (s_ != CRMLITE_OK) FAIL_WITH(#call, s_); \
    } while (0)

/* The call must return `want`. */
#define CHECK_STATUS(call, want)                                \
    do {                                                        \
        crmlite_status s_ = (call);                             \
        if (s_ != (want)) {                                     \
            fprintf(stderr, "  expected %s\n", #want);          \
            FAIL_WITH(#call, s_);                               \
        }                                                       \
    } while (0)

/* The call must fail with CRMLITE_ERR_VALIDATION naming `want_field`. */
#define CHECK_INVALID(call, want_field)                                                  \
    do {                                                                                 \
        const char *f_;                                                                  \
        CHECK_STATUS(call, CRMLITE_ERR_VALIDATION);                                      \
        f_ = crmlite_last_error_field();                                                 \
        if (f_ == NULL || strcmp(f_, (want_field)) != 0) {                               \
            fprintf(stderr, "  %s:%d: %s: field %s, expected %s\n", __FILE__, __LINE__, \
                    #call, f_ ? f_ : "NULL", (want_field));                              \
            return 0;                                                                    \
        }                                                                                \
    } while (0)

/* The call must be refused as misuse. */
#define CHECK_MISUSE(call) CHECK_STATUS(call, CRMLITE_ERR_MISUSE)

/* A plain condition. */
#define EXPECT(cond)                                                               \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "  %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
            return 0;                                                              \
        }                                                                          \
    } while (0)

/* Two C strings must be equal (NULL equals only NULL). */
#define EXPECT_STR(actual, expected)                                                           \
    do {                                                                                       \
        const char *a_ = (actual), *e_ = (expected);                                           \
        if (!((a_ == NULL && e_ == NULL) || (a_ != NULL && e_ != NULL && strcmp(a_, e_) == 0))) { \
            fprintf(stderr, "  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,   \
                    #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)");                          \
            return 0;                                                                          \
        }                                                                                      \
    } while (0)

/* Counts change-feed entries; -1 on error. */
static inline int64_t count_changes(crmlite *db) {
    crmlite_change_cursor *cur = NULL;
    const crmlite_change *row;
    int64_t n = 0;
    if (crmlite_changes_since(db, 0, 1000, &cur) != CRMLITE_OK) return -1;
    while (crmlite_change_cursor_next(cur, &row) == CRMLITE_ROW) n++;
    crmlite_change_cursor_free(cur);
    return n;
}

/* One test of a program: a name and a function returning 1 on success. */
struct test {
    const char *name;
    int (*run)(void);
};

/* Runs every test, prints `ok N - name` lines and the closing `N passed, N failed` line;
 * returns the process exit status. */
static int run_tests(const struct test *tests, size_t n) {
    size_t i;
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

#endif /* CRMLITE_TEST_CHECK_H */
