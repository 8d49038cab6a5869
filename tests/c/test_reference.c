/* C tests of directories, external ids of every record kind and sync of orders. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "crmlite.h"

/* Անահիտ, Վիտամին C, Դեղատուն */
static const char ANAHIT[] = "\xd4\xb1\xd5\xb6\xd5\xa1\xd5\xb0\xd5\xab\xd5\xbf";
static const char VITAMIN[] = "\xd5\x8e\xd5\xab\xd5\xbf\xd5\xa1\xd5\xb4\xd5\xab\xd5\xb6 C";

static crmlite_status add_person(crmlite *db, const char *name, int64_t *id) {
    crmlite_customer_draft *draft = NULL;
    crmlite_status s = crmlite_customer_draft_new(CRMLITE_CUSTOMER_PERSON, name, &draft);
    if (s == CRMLITE_OK) s = crmlite_customer_add(db, draft, id);
    crmlite_customer_draft_free(draft);
    return s;
}

static int test_external_ids_of_orders_pipelines_and_customers(void) {
    crmlite *db = NULL;
    int64_t person = 0, order = 0, pipeline = 0, found = 0, before;
    char *entity = NULL, *text = NULL;
    const char *products[] = {VITAMIN};
    const int64_t quantities[] = {2};
    const int64_t prices[] = {250000};
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ANAHIT, &person));
    CHECK(crmlite_order_record(db, person, "AMD", "INV-1", products, quantities, prices, 1, 0, &order));
    CHECK(crmlite_pipeline_add(db, "\xce\xa0\xcf\x89\xce\xbb\xce\xae\xcf\x83\xce\xb5\xce\xb9\xcf\x82",
                               "Lead | 10\nWon | 100 | won", &pipeline));

    /* An invoice, a pipeline and a customer, each in two systems. */
    CHECK(crmlite_external_id_map(db, "1c", "\xd0\xa1\xd0\xa4-0001", "order", order));
    CHECK(crmlite_external_id_map(db, "quickbooks", "qb-77", "order", order));
    CHECK(crmlite_external_id_map(db, "1c", "P-1", "pipeline", pipeline));
    CHECK(crmlite_external_id_map(db, "1c", "K-1", "customer", person));
    CHECK(crmlite_external_id_resolve(db, "1c", "\xd0\xa1\xd0\xa4-0001", &entity, &found));
    EXPECT(found == order);
    EXPECT_STR(entity, "order");
    crmlite_string_free(entity);
    CHECK(crmlite_external_id_of(db, "quickbooks", "order", order, &text));
    EXPECT_STR(text, "qb-77");
    crmlite_string_free(text);
    CHECK(crmlite_external_ids(db, "order", order, &text));
    EXPECT(strstr(text, "\"system\":\"1c\"") != NULL && strstr(text, "\"system\":\"quickbooks\"") != NULL);
    EXPECT(strstr(text, "\"system\":\"1c\"") < strstr(text, "\"system\":\"quickbooks\""));
    crmlite_string_free(text);

    /* Typed errors, and nothing changes. */
    before = count_changes(db);
    CHECK_STATUS(crmlite_external_id_map(db, "1c", "X", "order", order + 100), CRMLITE_ERR_NOT_FOUND);
    CHECK_STATUS(crmlite_external_id_map(db, "1c", "P-1", "order", order), CRMLITE_ERR_CONFLICT);
    EXPECT(strstr(crmlite_last_error_message(), "external_id") != NULL);
    CHECK_INVALID(crmlite_external_id_map(db, "1c", "L-1", "customer_link", person), "entity");
    CHECK_STATUS(crmlite_external_id_of(db, "sap", "order", order, &text), CRMLITE_ERR_NOT_FOUND);
    CHECK_STATUS(crmlite_external_ids(db, "deal", 4242, &text), CRMLITE_ERR_NOT_FOUND);
    CHECK_MISUSE(crmlite_external_ids(db, "order", order, NULL));
    EXPECT(count_changes(db) == before);

    CHECK(crmlite_external_id_unmap(db, "quickbooks", "qb-77"));
    CHECK_STATUS(crmlite_external_id_unmap(db, "quickbooks", "qb-77"), CRMLITE_ERR_NOT_FOUND);
    CHECK_STATUS(crmlite_external_id_of(db, "quickbooks", "order", order, &text), CRMLITE_ERR_NOT_FOUND);
    crmlite_close(db);
    return 1;
}

static int test_sync_pull_carries_orders(void) {
    crmlite *db = NULL;
    int64_t person = 0, order = 0;
    char *json = NULL;
    const char *products[] = {VITAMIN};
    const int64_t quantities[] = {1};
    const int64_t prices[] = {99000};
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ANAHIT, &person));
    CHECK(crmlite_order_record(db, person, "AMD", "INV-9", products, quantities, prices, 1, 0, &order));
    CHECK(crmlite_sync_pull(db, "accounting", 100, &json));
    EXPECT(strstr(json, "{\"type\":\"order\",\"record\":{") != NULL);
    EXPECT(strstr(json, "\"external_id\":\"INV-9\"") != NULL);
    EXPECT(strstr(json, VITAMIN) != NULL);
    EXPECT(strstr(json, "\"type\":\"timeline_entry\"") != NULL);
    crmlite_string_free(json);
    crmlite_close(db);
    return 1;
}

static int test_changes_export_as_windows_1251_csv(void) {
    crmlite *db = NULL;
    int64_t person = 0, cursor = -1;
    char *data = NULL;
    size_t len = 0;
    /* Иван in UTF-8 and in windows-1251. */
    static const char IVAN[] = "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd";
    static const char IVAN_1251[] = "\xc8\xe2\xe0\xed";
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, IVAN, &person));
    CHECK(crmlite_export_changes(db, "1c", 100, "csv", "windows-1251", ';', &data, &len));
    EXPECT(len == strlen(data));
    EXPECT(strncmp(data, "seq;at;op;entity;entity_id;type;record\n1;", 41) == 0);
    EXPECT(strstr(data, ";insert;customer;") != NULL && strstr(data, IVAN_1251) != NULL);
    crmlite_string_free(data);
    CHECK(crmlite_sync_cursor(db, "1c", &cursor));
    EXPECT(cursor == 0);
    CHECK(add_person(db, ANAHIT, &person));
    CHECK_INVALID(crmlite_export_changes(db, "1c", 100, "csv", "windows-1251", ';', &data, &len), "changes[2]");
    CHECK_INVALID(crmlite_export_changes(db, "1c", 100, "xlsx", "utf-8", ';', &data, &len), "format");
    crmlite_close(db);
    return 1;
}

static int test_directories_from_c(void) {
    crmlite *db = NULL;
    crmlite_entry *entry = NULL;
    int32_t outcome = -1, archived = -1, found = -1;
    int64_t id = 0, again = 0, minor = 0, before;
    char *json = NULL, *currency = NULL;
    const char *field_names[] = {"city", "capacity"};
    const char *field_types[] = {"text", "integer"};
    const int32_t required[] = {0, 1};
    const char *bad_types[] = {"text", "float"};
    const char *price_names[] = {"price_list", "product", "price", "valid_from"};
    const char *price_values[] = {"RETAIL", "A-100", "1 300,00", "01.12.2026"};
    const char *list_names[] = {"currency"};
    const char *list_values[] = {"AMD"};
    const char *capacity_names[] = {"capacity"};
    const char *capacity_values[] = {"\xdb\xb1\xdb\xb2\xdb\xb0"}; /* ۱۲۰ */

    CHECK(crmlite_open(":memory:", &db));
    CHECK(crmlite_directory_define(db, "warehouse", "\xd5\x8a\xd5\xa1\xd5\xb0\xd5\xa5\xd5\xbd\xd5\xbf", field_names,
                                   field_types, required, 2));
    CHECK_INVALID(crmlite_directory_define(db, "rack", "Rack", field_names, bad_types, required, 2), "fields[1].type");
    CHECK_STATUS(crmlite_directory_define(db, "warehouse", "again", NULL, NULL, NULL, 0), CRMLITE_ERR_CONFLICT);
    CHECK_MISUSE(crmlite_directory_define(db, "shelf", "Shelf", field_names, field_types, NULL, 2));
    CHECK(crmlite_directory_kind(db, "warehouse", &json));
    EXPECT(strstr(json, "{\"name\":\"capacity\",\"required\":true,\"type\":\"integer\"}") != NULL);
    crmlite_string_free(json);
    CHECK_STATUS(crmlite_directory_kind(db, "planet", &json), CRMLITE_ERR_NOT_FOUND);
    CHECK(crmlite_directory_kinds(db, &json));
    EXPECT(strstr(json, "\"name\":\"product\"") < strstr(json, "\"name\":\"warehouse\""));
    crmlite_string_free(json);

    CHECK(crmlite_entry_upsert(db, "warehouse", "W-1", "\xd4\xb5\xd6\x80\xd6\x87\xd5\xa1\xd5\xb6", capacity_names,
                               capacity_values, 1, NULL, &entry, &outcome));
    CHECK(crmlite_entry_id(entry, &id));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_get_by_id(db, id, &entry));
    CHECK(crmlite_entry_id(entry, &again));
    EXPECT(again == id);
    crmlite_entry_free(entry);
    CHECK_STATUS(crmlite_entry_get_by_id(db, id + 1000, &entry), CRMLITE_ERR_NOT_FOUND);

    CHECK(crmlite_entry_upsert(db, "product", "A-100", VITAMIN, NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_upsert(db, "price_list", "RETAIL", "Retail", list_names, list_values, 1, NULL, &entry,
                               &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_upsert(db, "price", "RETAIL-A-100", VITAMIN, price_names, price_values, 4, "AMD", &entry,
                               &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_product_price(db, "RETAIL", "A-100", "2026-12-07", &found, &minor, &currency));
    EXPECT(found == 1 && minor == 130000);
    EXPECT_STR(currency, "AMD");
    crmlite_string_free(currency);
    CHECK(crmlite_product_price(db, "RETAIL", "A-100", "2026-11-07", &found, &minor, &currency));
    EXPECT(found == 0);
    CHECK_INVALID(crmlite_product_price(db, "RETAIL", "A-100", "07/12/2026", &found, &minor, &currency), "on");
    CHECK_STATUS(crmlite_product_price(db, "RETAIL", "NOPE", "2026-12-07", &found, &minor, &currency),
                 CRMLITE_ERR_NOT_FOUND);

    /* A referenced product cannot be deleted; it can be archived. */
    before = count_changes(db);
    CHECK_STATUS(crmlite_entry_delete(db, "product", "A-100"), CRMLITE_ERR_CONFLICT);
    EXPECT(count_changes(db) == before);
    CHECK(crmlite_entry_archive(db, "product", "A-100", 1));
    CHECK(crmlite_entry_get(db, "product", "A-100", &entry));
    CHECK(crmlite_entry_archived(entry, &archived));
    EXPECT(archived == 1);
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_delete(db, "warehouse", "W-1"));
    CHECK_STATUS(crmlite_entry_get(db, "warehouse", "W-1", &entry), CRMLITE_ERR_NOT_FOUND);
    CHECK_STATUS(crmlite_entry_delete(db, "warehouse", "W-1"), CRMLITE_ERR_NOT_FOUND);
    crmlite_close(db);
    return 1;
}

/* Records every progress report; stops the import at report number `stop_at` (0: never). */
struct progress_log {
    int calls;
    int stop_at;
    crmlite_import_progress last;
};

static int32_t on_progress(const crmlite_import_progress *p, void *user_data) {
    struct progress_log *log = user_data;
    log->calls++;
    log->last = *p;
    return log->stop_at != 0 && log->calls >= log->stop_at;
}

static int test_import_progress_and_empty_files(void) {
    crmlite *db = NULL;
    int64_t ins = -1, upd = -1, same = -1, rej = -1, person = 0;
    crmlite_customer *found = NULL;
    /* Anahit, Nino, Eleni, Parisa: four people in four scripts. */
    static const char PEOPLE[] = "external_code,name\n"
                                 "P-1,\xd4\xb1\xd5\xb6\xd5\xa1\xd5\xb0\xd5\xab\xd5\xbf\n"
                                 "P-2,\xe1\x83\x9c\xe1\x83\x98\xe1\x83\x9c\xe1\x83\x9d\n"
                                 "P-3,\xce\x95\xce\xbb\xce\xad\xce\xbd\xce\xb7\n"
                                 "P-4,\xd9\xbe\xd8\xb1\xdb\x8c\xd8\xb3\xd8\xa7\n";
    struct progress_log stop = {0, 4, {0}};
    struct progress_log log = {0, 0, {0}};
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ANAHIT, &person));
    /* Stopped at the fourth report (the first while writing): nothing is written. */
    CHECK_INVALID(crmlite_import_with_progress(db, "customers", (const uint8_t *)PEOPLE, strlen(PEOPLE), "csv",
                                               "utf-8", ',', NULL, 0, on_progress, &stop, 2, &ins, &upd, &same, &rej),
                  "progress");
    EXPECT(stop.calls == 4 && stop.last.read_done == 1 && stop.last.written == 2 && stop.last.to_write == 4);
    CHECK_STATUS(crmlite_customer_by_code(db, CRMLITE_CUSTOMER_PERSON, "P-1", &found), CRMLITE_ERR_NOT_FOUND);
    /* Reports at rows 2 and 4, end of reading, 2 and 4 written, end of writing. */
    CHECK(crmlite_import_with_progress(db, "customers", (const uint8_t *)PEOPLE, strlen(PEOPLE), "csv", "utf-8", ',',
                                       NULL, 0, on_progress, &log, 2, &ins, &upd, &same, &rej));
    EXPECT(ins == 4 && upd == 0 && same == 0 && rej == 0);
    EXPECT(log.calls == 6);
    EXPECT(log.last.rows_read == 4 && log.last.written == 4 && log.last.to_write == 4);
    EXPECT(log.last.bytes_read == strlen(PEOPLE) && log.last.bytes_total == strlen(PEOPLE));
    /* No callback is fine too. */
    CHECK(crmlite_import_with_progress(db, "customers", (const uint8_t *)PEOPLE, strlen(PEOPLE), "csv", "utf-8", ',',
                                       NULL, 0, NULL, NULL, 0, &ins, &upd, &same, &rej));
    EXPECT(same == 4);
    /* An empty file is refused on field `file`, with or without data pointer. */
    CHECK_INVALID(crmlite_import(db, "customers", NULL, 0, "csv", "utf-8", ',', NULL, 0, &ins, &upd, &same, &rej),
                  "file");
    CHECK_INVALID(crmlite_import(db, "product", (const uint8_t *)"\n", 1, "jsonl", "utf-8", ',', NULL, 1, &ins, &upd,
                                 &same, &rej),
                  "file");
    CHECK(crmlite_customer_by_code(db, CRMLITE_CUSTOMER_PERSON, "P-4", &found));
    crmlite_customer_free(found);
    crmlite_close(db);
    return 1;
}

/* ჩაი (tea, Georgian), Μέλι (honey, Greek), زعفران (saffron, Persian). */
#define TEA "\xe1\x83\xa9\xe1\x83\x90\xe1\x83\x98"
#define HONEY "\xce\x9c\xce\xad\xce\xbb\xce\xb9"
#define SAFFRON "\xd8\xb2\xd8\xb9\xd9\x81\xd8\xb1\xd8\xa7\xd9\x86"

static int test_import_orders_of_known_products(void) {
    crmlite *db = NULL;
    crmlite_entry *entry = NULL;
    int32_t outcome = -1;
    int64_t ins = -1, upd = -1, same = -1, rej = -1, person = 0, before;
    static const char PEOPLE[] = "external_code,name\nP-1,\xd4\xb1\xd5\xb6\xd5\xa1\xd5\xb0\xd5\xab\xd5\xbf\n";
    static const char ORDERS[] = "receipt,customer,currency,product,quantity,unit_price\n"
                                 "R-1,P-1,EUR," TEA ",1,2\n"
                                 "R-2,P-1,EUR," SAFFRON ",1,9\n"
                                 "R-3,P-1,EUR," HONEY ",1,8\n";
    CHECK(crmlite_open(":memory:", &db));
    CHECK(add_person(db, ANAHIT, &person));
    CHECK(crmlite_import(db, "customers", (const uint8_t *)PEOPLE, strlen(PEOPLE), "csv", "utf-8", ',', NULL, 0, &ins,
                         &upd, &same, &rej));
    CHECK(crmlite_entry_upsert(db, "product", TEA, TEA " green", NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_upsert(db, "product", HONEY, HONEY, NULL, NULL, 0, NULL, &entry, &outcome));
    crmlite_entry_free(entry);
    CHECK(crmlite_entry_archive(db, "product", HONEY, 1));
    before = count_changes(db);
    /* All or nothing: the unknown saffron on line 3 stops the import and nothing changes. */
    CHECK_INVALID(crmlite_import_with_flags(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ',',
                                            NULL, CRMLITE_IMPORT_KNOWN_PRODUCTS, NULL, NULL, 0, &ins, &upd, &same,
                                            &rej),
                  "line[3].product");
    EXPECT(strstr(crmlite_last_error_message(), SAFFRON) != NULL);
    EXPECT(count_changes(db) == before);
    /* An unknown flag bit is refused. */
    CHECK_INVALID(crmlite_import_with_flags(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ',',
                                            NULL, 8, NULL, NULL, 0, &ins, &upd, &same, &rej),
                  "flags");
    /* Skipping bad rows imports the tea and rejects the saffron and the archived honey. */
    CHECK(crmlite_import_with_flags(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ',', NULL,
                                    CRMLITE_IMPORT_KNOWN_PRODUCTS | CRMLITE_IMPORT_SKIP_BAD_ROWS, NULL, NULL, 0, &ins,
                                    &upd, &same, &rej));
    EXPECT(ins == 1 && rej == 2);
    /* Without the flag any product text is taken: R-1 is stored already, R-2 and R-3 were not. */
    CHECK(crmlite_import_with_flags(db, "orders", (const uint8_t *)ORDERS, strlen(ORDERS), "csv", "utf-8", ',', NULL,
                                    0, NULL, NULL, 0, &ins, &upd, &same, &rej));
    EXPECT(ins == 2 && same == 1 && rej == 0);
    crmlite_close(db);
    return 1;
}

int main(void) {
    static const struct test tests[] = {
        {"external ids of orders, pipelines and customers", test_external_ids_of_orders_pipelines_and_customers},
        {"sync pull carries orders", test_sync_pull_carries_orders},
        {"changes export as windows-1251 CSV", test_changes_export_as_windows_1251_csv},
        {"directories from C", test_directories_from_c},
        {"import progress and empty files", test_import_progress_and_empty_files},
        {"import orders of known products", test_import_orders_of_known_products},
    };
    return run_tests(tests, sizeof tests / sizeof tests[0]);
}
