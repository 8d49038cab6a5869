/* crmlite-bench's C side: the per-call operations through the C ABI, timed like the Rust side.
 *
 *   bench_c add-one   ROWS.tsv DB    one crmlite_customer_add per row (synchronous=NORMAL),
 *                                    drafts built before the timer
 *   bench_c get-by-id IDS.txt  DB    crmlite_customer_get per id, after 1,000 untimed calls
 *
 * ROWS.tsv: id, name, e-mail, external code, birthday (YYYY-MM-DD), city, one customer a line.
 * Prints one JSON line: {"metrics": [[name, us], ...], "count": N, "check": C, "peak_rss_mib": M}.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "crmlite.h"

static void die(const char *what, crmlite_status st) {
    fprintf(stderr, "bench_c: %s failed with status %d: %s\n", what, (int)st, crmlite_last_error_message());
    exit(1);
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* On-CPU time of this thread, microseconds (as the Rust side reads /proc/thread-self/schedstat). */
static double cpu_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double peak_rss_mib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static crmlite *open_db(const char *path) {
    crmlite *db = NULL;
    crmlite_status st = crmlite_open_v2(path, NULL, CRMLITE_SYNCHRONOUS_NORMAL, &db);
    if (st != CRMLITE_OK) die("crmlite_open_v2", st);
    return db;
}

static int add_one(const char *rows_path, const char *db_path) {
    FILE *f = fopen(rows_path, "r");
    if (!f) { perror(rows_path); return 1; }
    size_t cap = 1024, n = 0;
    crmlite_customer_draft **drafts = malloc(cap * sizeof *drafts);
    char *line = NULL;
    size_t len = 0;
    while (getline(&line, &len, f) > 0) {
        char *fields[6];
        char *save = NULL, *p = line;
        for (int i = 0; i < 6; i++) {
            fields[i] = strtok_r(p, "\t\n", &save);
            p = NULL;
            if (!fields[i]) { fprintf(stderr, "bench_c: short row\n"); return 1; }
        }
        int y = 0, m = 0, d = 0;
        if (sscanf(fields[4], "%d-%d-%d", &y, &m, &d) != 3) { fprintf(stderr, "bench_c: bad date\n"); return 1; }
        if (n == cap) { cap *= 2; drafts = realloc(drafts, cap * sizeof *drafts); }
        crmlite_customer_draft *dr = NULL;
        crmlite_status st = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, fields[1], &dr);
        if (st != CRMLITE_OK) die("crmlite_customer_draft_new", st);
        if ((st = crmlite_customer_draft_add_email(dr, fields[2])) != CRMLITE_OK) die("add_email", st);
        if ((st = crmlite_customer_draft_set_external_code(dr, fields[3])) != CRMLITE_OK) die("set_external_code", st);
        if ((st = crmlite_customer_draft_set_birthday(dr, y, m, d)) != CRMLITE_OK) die("set_birthday", st);
        if ((st = crmlite_customer_draft_set_address(dr, "", "", fields[5], "", "", "")) != CRMLITE_OK) die("set_address", st);
        drafts[n++] = dr;
    }
    free(line);
    fclose(f);
    crmlite *db = open_db(db_path);
    int64_t check = 0;
    double t = now_us(), c = cpu_us();
    for (size_t i = 0; i < n; i++) {
        int64_t id = 0;
        crmlite_status st = crmlite_customer_add(db, drafts[i], &id);
        if (st != CRMLITE_OK) die("crmlite_customer_add", st);
        check++;
    }
    double wall = now_us() - t, cpu = cpu_us() - c;
    crmlite_close(db);
    for (size_t i = 0; i < n; i++) crmlite_customer_draft_free(drafts[i]);
    free(drafts);
    double rows = n ? (double)n : 1.0;
    printf("{\"metrics\": [[\"us_per_row\", %.6f], [\"cpu_us_per_row\", %.6f]], \"count\": %zu, "
           "\"check\": %lld, \"peak_rss_mib\": %.3f}\n",
           wall / rows, cpu / rows, n, (long long)check, peak_rss_mib());
    return 0;
}

static int get_by_id(const char *ids_path, const char *db_path) {
    FILE *f = fopen(ids_path, "r");
    if (!f) { perror(ids_path); return 1; }
    size_t cap = 1024, n = 0;
    int64_t *ids = malloc(cap * sizeof *ids);
    long long v;
    while (fscanf(f, "%lld", &v) == 1) {
        if (n == cap) { cap *= 2; ids = realloc(ids, cap * sizeof *ids); }
        ids[n++] = (int64_t)v;
    }
    fclose(f);
    crmlite *db = open_db(db_path);
    double *lat = malloc((n ? n : 1) * sizeof *lat);
    int64_t check = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t upto = pass == 0 ? (n < 1000 ? n : 1000) : n;
        for (size_t i = 0; i < upto; i++) {
            double t = now_us();
            crmlite_customer *cu = NULL;
            crmlite_status st = crmlite_customer_get(db, ids[i], &cu);
            if (st != CRMLITE_OK) die("crmlite_customer_get", st);
            int64_t id = 0;
            if ((st = crmlite_customer_id(cu, &id)) != CRMLITE_OK) die("crmlite_customer_id", st);
            crmlite_customer_free(cu);
            if (pass == 1) {
                lat[i] = now_us() - t;
                check += id;
            }
        }
    }
    crmlite_close(db);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += lat[i];
    qsort(lat, n, sizeof *lat, cmp_double);
    size_t last = n ? n - 1 : 0;
    double p50 = n ? lat[(size_t)((double)last * 0.5 + 0.5)] : 0;
    double p99 = n ? lat[(size_t)((double)last * 0.99 + 0.5)] : 0;
    printf("{\"metrics\": [[\"p50_us\", %.6f], [\"p99_us\", %.6f], [\"mean_us\", %.6f]], \"count\": %zu, "
           "\"check\": %lld, \"peak_rss_mib\": %.3f}\n",
           p50, p99, n ? sum / (double)n : 0, n, (long long)check, peak_rss_mib());
    free(lat);
    free(ids);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_c add-one|get-by-id INPUT DB\n");
        return 2;
    }
    if (strcmp(argv[1], "add-one") == 0) return add_one(argv[2], argv[3]);
    if (strcmp(argv[1], "get-by-id") == 0) return get_by_id(argv[2], argv[3]);
    fprintf(stderr, "bench_c: unknown operation %s\n", argv[1]);
    return 2;
}
