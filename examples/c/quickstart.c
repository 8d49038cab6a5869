/*
 * crmlite quickstart: a pharmacy in Yerevan.
 *
 * Opens a database, adds a customer with an Armenian name and phone, finds them again by
 * the phone number as a cashier types it, notes a call on their timeline, and reads the
 * change feed the way a nightly sync would.
 *
 * Build: gcc -std=c99 -I include examples/c/quickstart.c -L target/debug -lcrmlite
 * Run:   ./a.out [database path, default :memory:]
 */
#include <stdio.h>
#include <stdlib.h>

#include "crmlite.h"

/* Prints the failed call's status and message, then returns from main. */
#define TRY(call)                                                                   \
    do {                                                                            \
        crmlite_status s_ = (call);                                                 \
        if (s_ != CRMLITE_OK) {                                                     \
            fprintf(stderr, "%s failed: %s: %s\n", #call, crmlite_errstr(s_),       \
                    crmlite_last_error_message());                                  \
            return EXIT_FAILURE;                                                    \
        }                                                                           \
    } while (0)

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : ":memory:";
    crmlite *db = NULL;
    crmlite_customer_draft *draft = NULL;
    crmlite_customer_cursor *found = NULL;
    crmlite_change_cursor *changes = NULL;
    const crmlite_customer *customer = NULL;
    const crmlite_change *change = NULL;
    const char *name, *phone, *typed, *entity, *op;
    int64_t id = 0, note = 0, seq = 0, entity_id = 0;

    /* The header and the library must be the same version. */
    if (crmlite_version_number() != CRMLITE_VERSION_NUMBER) {
        fprintf(stderr, "crmlite.h is %s but the library is %s\n", CRMLITE_VERSION, crmlite_version());
        return EXIT_FAILURE;
    }

    /* Phone numbers typed without +374 are Armenian. */
    TRY(crmlite_open_v2(path, "AM", CRMLITE_SYNCHRONOUS_FULL, &db));

    TRY(crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, "Անահիտ Հովհաննիսյան", &draft));
    TRY(crmlite_customer_draft_add_phone(draft, "+374 10 12-34-56"));
    TRY(crmlite_customer_draft_set_language(draft, "hy"));
    TRY(crmlite_customer_draft_set_birthday(draft, 1985, 3, 8));
    TRY(crmlite_customer_add(db, draft, &id));
    crmlite_customer_draft_free(draft);
    printf("added customer %lld\n", (long long)id);

    /* At the till the cashier types the number the way the customer says it. */
    TRY(crmlite_customer_by_phone(db, "010 123 456", &found));
    while (crmlite_customer_cursor_next(found, &customer) == CRMLITE_ROW) {
        TRY(crmlite_customer_name(customer, &name));
        TRY(crmlite_customer_phone_at(customer, 0, &phone, &typed));
        printf("found %s, %s (typed as %s)\n", name, phone, typed);
    }
    crmlite_customer_cursor_free(found);

    TRY(crmlite_timeline_add(db, id, CRMLITE_TIMELINE_CALL, "Հարցրեց ինսուլինի մասին",
                             "Կզանգենք, երբ դեղը գա։", 0, &note));
    printf("noted call %lld\n", (long long)note);

    /* The nightly sync reads everything after the last seq it saw (0 the first time). */
    TRY(crmlite_changes_since(db, 0, 100, &changes));
    while (crmlite_change_cursor_next(changes, &change) == CRMLITE_ROW) {
        TRY(crmlite_change_seq(change, &seq));
        TRY(crmlite_change_entity(change, &entity));
        TRY(crmlite_change_entity_id(change, &entity_id));
        TRY(crmlite_change_op(change, &op));
        printf("change %lld: %s %lld %s\n", (long long)seq, entity, (long long)entity_id, op);
    }
    crmlite_change_cursor_free(changes);

    crmlite_close(db);
    return EXIT_SUCCESS;
}
