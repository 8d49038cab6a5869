/* The sanitizer run's self-check: two deliberate bugs a host could make with the C API. Run
 * as `asan_canary leak` (a database never closed) or `asan_canary double-free` (a string
 * handed out by the library freed twice); the ASan build must report each one and fail. */
#include <stdio.h>
#include <string.h>

#include "crmlite.h"

int main(int argc, char **argv) {
    crmlite *db = NULL;
    if (argc != 2 || crmlite_open(":memory:", &db) != CRMLITE_OK) return 2;
    if (strcmp(argv[1], "leak") == 0) {
        db = NULL; /* the handle is lost: LeakSanitizer must report it */
        return 0;
    }
    if (strcmp(argv[1], "double-free") == 0) {
        char *data = NULL;
        size_t len = 0;
        if (crmlite_export(db, "unit", "csv", "utf-8", ',', 0, &data, &len) != CRMLITE_OK) {
            fprintf(stderr, "export: %s\n", crmlite_last_error_message());
            return 2;
        }
        crmlite_string_free(data);
        crmlite_string_free(data); /* ASan must report it (a use after free, then a double free) */
        crmlite_close(db);
        return 0;
    }
    return 2;
}
