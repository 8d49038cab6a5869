/*
 * A Yerevan pharmacy's accounting program talks to crmlite through the C ABI: it pushes
 * its products from an ARMSCII-8 CSV export (semicolons, decimal commas), pushes the same
 * file again (nothing changes), then pulls what changed since its last run and acknowledges it.
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

static int fail(const char *what, crmlite_status status) {
    const char *field = crmlite_last_error_field();
    fprintf(stderr, "%s: %s (%s)\n", what, crmlite_errstr(status), field ? field : "-");
    return 1;
}

int main(void) {
    crmlite *db = NULL;
    int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0, seq = 0;
    char *lines = NULL;
    char *last = NULL;
    char *at = NULL;
    crmlite_status rc = crmlite_open(":memory:", &db);
    if (rc != CRMLITE_OK) return fail("open", rc);

    for (int run = 1; run <= 2; run++) {
        rc = crmlite_import(db, "product", (const uint8_t *)PRODUCTS, strlen(PRODUCTS), "csv", "armscii-8", ';', "AMD", 0,
                            &inserted, &updated, &unchanged, &rejected);
        if (rc != CRMLITE_OK) { crmlite_close(db); return fail("import", rc); }
        printf("import %d: inserted %lld, updated %lld, unchanged %lld, rejected %lld\n", run, (long long)inserted,
               (long long)updated, (long long)unchanged, (long long)rejected);
    }

    rc = crmlite_sync_pull(db, "accounting", 100, &lines);
    if (rc != CRMLITE_OK) { crmlite_close(db); return fail("sync pull", rc); }
    printf("%s", lines);
    /* The last line's seq is what to acknowledge. */
    for (at = strstr(lines, "\"seq\":"); at != NULL; at = strstr(at + 1, "\"seq\":")) last = at;
    if (last != NULL) seq = (int64_t)strtoll(last + 6, NULL, 10);
    crmlite_string_free(lines);
    rc = crmlite_sync_ack(db, "accounting", seq);
    if (rc != CRMLITE_OK) { crmlite_close(db); return fail("sync ack", rc); }
    rc = crmlite_sync_pull(db, "accounting", 100, &lines);
    if (rc != CRMLITE_OK) { crmlite_close(db); return fail("sync pull", rc); }
    printf("acknowledged %lld; left to pull: %zu bytes\n", (long long)seq, strlen(lines));
    crmlite_string_free(lines);
    crmlite_close(db);
    return 0;
}
