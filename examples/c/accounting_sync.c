/*
 * A Yerevan pharmacy's accounting program talks to crmlite through the C ABI. Each night it
 * pushes its products and its invoices from ARMSCII-8 CSV exports (semicolons, decimal
 * commas), maps each invoice to its own document id, pushes the same files again (nothing
 * changes), then pulls every change since its last run (products, customers, invoices...)
 * with each record's current state, and acknowledges what it applied.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmlite.h"

/* "external_code;name;price" then Ասպիրին and Պարացետամոլ in ARMSCII-8. */
static const char PRODUCTS[] =
    "external_code;name;price\n"
    "A-100;\xb2\xeb\xe5\xc7\xf1\xc7\xdd;1 250,50\n"
    "A-101;\xe4\xb3\xf1\xb3\xf3\xbb\xef\xb3\xd9\xe1\xc9;890\n";

/* The pharmacy's regular customers: Անահիտ and Նարեկ. */
static const char CUSTOMERS[] =
    "external_code;name\n"
    "K-1;\xb2\xdd\xb3\xd1\xc7\xef\n"
    "K-2;\xdc\xb3\xf1\xbb\xcf\n";

/* Two invoices: one row per line, grouped by the receipt number. */
static const char INVOICES[] =
    "receipt;customer;at;product;quantity;unit_price\n"
    "\xb2-0001;K-1;07.12.2026 10:15;A-100;2;1 250,50\n"
    "\xb2-0001;K-1;07.12.2026 10:15;A-101;1;890\n"
    "\xb2-0002;K-2;07.12.2026 17:40;A-101;3;890\n";

static int fail(crmlite *db, const char *what, crmlite_status status) {
    const char *field = crmlite_last_error_field();
    fprintf(stderr, "%s: %s (%s): %s\n", what, crmlite_errstr(status), field ? field : "-",
            crmlite_last_error_message());
    crmlite_close(db);
    return 1;
}

/* Imports one ARMSCII-8 file into `kind` and prints the summary line. */
static crmlite_status push(crmlite *db, const char *kind, const char *data, int run) {
    int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0;
    crmlite_status rc = crmlite_import(db, kind, (const uint8_t *)data, strlen(data), "csv", "armscii-8", ';', "AMD", 0,
                                       &inserted, &updated, &unchanged, &rejected);
    if (rc == CRMLITE_OK) {
        printf("%s %d: inserted %lld, updated %lld, unchanged %lld, rejected %lld\n", kind, run, (long long)inserted,
               (long long)updated, (long long)unchanged, (long long)rejected);
    }
    return rc;
}

/* Copies the JSON string value after `key` in `line` (at most `size - 1` bytes) to `out`. */
static void json_string(const char *line, const char *key, char *out, size_t size) {
    const char *at = strstr(line, key);
    size_t n = 0;
    out[0] = '\0';
    if (at == NULL) return;
    at += strlen(key);
    while (at[n] != '"' && at[n] != '\0' && n + 1 < size) n++;
    memcpy(out, at, n);
    out[n] = '\0';
}

int main(void) {
    crmlite *db = NULL;
    int64_t seq = 0, order = 0;
    char *lines = NULL, *entity = NULL, *line = NULL, *next = NULL;
    crmlite_status rc = crmlite_open(":memory:", &db);
    if (rc != CRMLITE_OK) return fail(db, "open", rc);

    for (int run = 1; run <= 2; run++) {
        if ((rc = push(db, "product", PRODUCTS, run)) != CRMLITE_OK) return fail(db, "products", rc);
        if ((rc = push(db, "customers", CUSTOMERS, run)) != CRMLITE_OK) return fail(db, "customers", rc);
        if ((rc = push(db, "orders", INVOICES, run)) != CRMLITE_OK) return fail(db, "invoices", rc);
    }

    /* Everything since the last run; invoice Ա-0001 gets the program's own document id. */
    rc = crmlite_sync_pull(db, "accounting", 1000, &lines);
    if (rc != CRMLITE_OK) return fail(db, "sync pull", rc);
    for (line = lines; line != NULL && *line != '\0'; line = next) {
        char type[32], receipt[32];
        next = strchr(line, '\n');
        if (next != NULL) *next++ = '\0';
        seq = (int64_t)strtoll(strstr(line, "\"seq\":") + 6, NULL, 10);
        json_string(line, "\"record\":{\"type\":\"", type, sizeof type);
        json_string(line, "\"external_id\":\"", receipt, sizeof receipt);
        if (strcmp(type, "order") == 0) {
            order = (int64_t)strtoll(strstr(line, "\"record\":{\"id\":") + 15, NULL, 10);
            printf("seq %lld: invoice %s is order %lld\n", (long long)seq, receipt, (long long)order);
            if (strcmp(receipt, "\xd4\xb1-0001") == 0) {
                rc = crmlite_external_id_map(db, "1c", "DOC-000731", "order", order);
                if (rc != CRMLITE_OK) { crmlite_string_free(lines); return fail(db, "map", rc); }
            }
        } else {
            printf("seq %lld: %s\n", (long long)seq, type);
        }
    }
    crmlite_string_free(lines);

    rc = crmlite_external_id_resolve(db, "1c", "DOC-000731", &entity, &order);
    if (rc != CRMLITE_OK) return fail(db, "resolve", rc);
    printf("1c DOC-000731 is %s %lld\n", entity, (long long)order);
    crmlite_string_free(entity);

    rc = crmlite_sync_ack(db, "accounting", seq);
    if (rc != CRMLITE_OK) return fail(db, "sync ack", rc);
    /* Only the new mapping is left to pull. */
    rc = crmlite_sync_pull(db, "accounting", 1000, &lines);
    if (rc != CRMLITE_OK) return fail(db, "sync pull", rc);
    printf("acknowledged %lld; then pulled: %s", (long long)seq, lines);
    for (line = strstr(lines, "\"seq\":"); line != NULL; line = strstr(line + 1, "\"seq\":")) {
        seq = (int64_t)strtoll(line + 6, NULL, 10);
    }
    crmlite_string_free(lines);
    rc = crmlite_sync_ack(db, "accounting", seq);
    if (rc != CRMLITE_OK) return fail(db, "sync ack", rc);
    rc = crmlite_sync_pull(db, "accounting", 1000, &lines);
    if (rc != CRMLITE_OK) return fail(db, "sync pull", rc);
    printf("acknowledged %lld; left to pull: %zu bytes\n", (long long)seq, strlen(lines));
    crmlite_string_free(lines);
    crmlite_close(db);
    return 0;
}
