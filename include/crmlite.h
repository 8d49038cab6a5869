/*
 * crmlite: an embeddable CRM library. C API.
 *
 * Generated from bindings/c by bindings/c/tests/header.rs; do not edit.
 *
 * Encoding: every string in and out is UTF-8 and NUL-terminated. Invalid UTF-8 is
 *   rejected with CRMLITE_ERR_VALIDATION naming the argument.
 *
 * Ownership:
 *   - Every fallible function returns a crmlite_status; results go through `*_out`
 *     parameters, which are written only on success.
 *   - Objects you receive (crmlite, drafts, patches, customers, cursors) are yours: release
 *     each with its crmlite_<noun>_free (crmlite_close for the database). NULL is fine.
 *   - `char *` results are yours: release them with crmlite_string_free, never free().
 *   - `const char *` results are borrowed from the object they came from and live as long
 *     as it does. Rows from a cursor are borrowed from the cursor; do not free them.
 *   - Inputs are only read during the call; drafts and patches are not consumed.
 *
 * Threads: a crmlite * may be shared between threads; calls are serialised inside.
 *   Drafts, patches, customers, cursors and returned strings belong to one thread at a
 *   time. crmlite_last_error_message() and crmlite_last_error_field() report the last
 *   call made on the calling thread.
 *
 * Errors: a status other than CRMLITE_OK, CRMLITE_ROW or CRMLITE_DONE comes with a message
 *   (crmlite_last_error_message) and, for invalid input, the field (crmlite_last_error_field).
 *
 * Versions: check crmlite_version_number() == CRMLITE_VERSION_NUMBER at start-up, so the
 *   header and the library you load match. Released functions never change; a changed
 *   call gets a new _v2 name.
 *
 * Linking: prefer libcrmlite.so. libcrmlite.a contains a complete SQLite (all sqlite3_*
 *   symbols), which clashes with a host that links its own SQLite; link it with
 *   -lpthread -ldl -lm. Never open the same database file from two SQLite copies at once.
 */

#ifndef CRMLITE_H
#define CRMLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/** The version of this header; compare with crmlite_version(). */
#define CRMLITE_VERSION_MAJOR 0
#define CRMLITE_VERSION_MINOR 1
#define CRMLITE_VERSION_PATCH 0
#define CRMLITE_VERSION "0.1.0"
/** MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with crmlite_version_number(). */
#define CRMLITE_VERSION_NUMBER 1000

/**
 * Template kind: an invoice document.
 */
#define CRMLITE_TEMPLATE_INVOICE 0

/**
 * Template kind: a letter.
 */
#define CRMLITE_TEMPLATE_LETTER 1

/**
 * Template kind: a contract.
 */
#define CRMLITE_TEMPLATE_CONTRACT 2

/**
 * Template kind: a text message.
 */
#define CRMLITE_TEMPLATE_SMS 3

/**
 * Template kind: the subject line of an e-mail.
 */
#define CRMLITE_TEMPLATE_EMAIL_SUBJECT 4

/**
 * Template kind: the body of an e-mail.
 */
#define CRMLITE_TEMPLATE_EMAIL_BODY 5

/**
 * Template format: plain text, nothing is escaped.
 */
#define CRMLITE_TEMPLATE_FORMAT_TEXT 0

/**
 * Template format: HTML, every inserted value is escaped.
 */
#define CRMLITE_TEMPLATE_FORMAT_HTML 1

/**
 * Channel: e-mail to the primary address.
 */
#define CRMLITE_CHANNEL_EMAIL 0

/**
 * Channel: a text message to the primary phone.
 */
#define CRMLITE_CHANNEL_SMS 1

/**
 * Channel: a phone call (consent only; messages go by e-mail or SMS).
 */
#define CRMLITE_CHANNEL_PHONE 2

/**
 * Channel: paper mail (consent only).
 */
#define CRMLITE_CHANNEL_POST 3

/**
 * Purpose: offers and greetings; needs the customer's consent for the channel.
 */
#define CRMLITE_PURPOSE_MARKETING 0

/**
 * Purpose: reminders and receipts; no marketing consent needed.
 */
#define CRMLITE_PURPOSE_SERVICE 1

/**
 * Task status: still to do.
 */
#define CRMLITE_TASK_OPEN 0

/**
 * Task status: done.
 */
#define CRMLITE_TASK_DONE 1

/**
 * Task status: dropped.
 */
#define CRMLITE_TASK_CANCELLED 2

/**
 * Customer kind: a natural person.
 */
#define CRMLITE_CUSTOMER_PERSON 0

/**
 * Customer kind: a company or other organisation.
 */
#define CRMLITE_CUSTOMER_ORGANISATION 1

/**
 * `synchronous` for `crmlite_open_v2`: every commit survives a power cut (the default).
 */
#define CRMLITE_SYNCHRONOUS_FULL 0

/**
 * `synchronous` for `crmlite_open_v2`: faster; a power cut may lose the last commits,
 * but never corrupts the database.
 */
#define CRMLITE_SYNCHRONOUS_NORMAL 1

/**
 * Deal status: still being worked on.
 */
#define CRMLITE_DEAL_OPEN 0

/**
 * Deal status: won.
 */
#define CRMLITE_DEAL_WON 1

/**
 * Deal status: lost.
 */
#define CRMLITE_DEAL_LOST 2

/**
 * Forecast grouping: one row per pipeline.
 */
#define CRMLITE_FORECAST_PIPELINE 0

/**
 * Forecast grouping: one row per owner.
 */
#define CRMLITE_FORECAST_OWNER 1

/**
 * Forecast grouping: one row per expected close month.
 */
#define CRMLITE_FORECAST_MONTH 2

/**
 * Stage kind: open.
 */
#define CRMLITE_STAGE_OPEN 0

/**
 * Stage kind: won.
 */
#define CRMLITE_STAGE_WON 1

/**
 * Stage kind: lost.
 */
#define CRMLITE_STAGE_LOST 2

/**
 * Expiry policy: points never expire.
 */
#define CRMLITE_EXPIRY_NEVER 0

/**
 * Expiry policy: points expire a number of days after the award.
 */
#define CRMLITE_EXPIRY_AFTER_DAYS 1

/**
 * Expiry policy: points expire at the start of the month after the award (UTC).
 */
#define CRMLITE_EXPIRY_END_OF_MONTH 2

/**
 * Expiry policy: points expire at the start of the year after the award (UTC).
 */
#define CRMLITE_EXPIRY_END_OF_YEAR 3

/**
 * Reversal policy: a return whose points were already spent is refused.
 */
#define CRMLITE_REVERSAL_REFUSE 0

/**
 * Reversal policy: spent points of a returned order are clawed back from other points.
 */
#define CRMLITE_REVERSAL_CLAWBACK 1

/**
 * Earn rule: `value` points per `per` minor units paid.
 */
#define CRMLITE_EARN_PER_AMOUNT 0

/**
 * Earn rule: `value` points per order.
 */
#define CRMLITE_EARN_PER_ORDER 1

/**
 * Earn rule: `value` points per unit bought.
 */
#define CRMLITE_EARN_PER_UNIT 2

/**
 * Earn rule: multiplies what earlier rules earned by `value` percent.
 */
#define CRMLITE_EARN_MULTIPLIER 3

/**
 * Earn rule: `value` points for signing up.
 */
#define CRMLITE_EARN_SIGNUP 4

/**
 * Earn rule: `value` points on the birthday, once a year.
 */
#define CRMLITE_EARN_BIRTHDAY 5

/**
 * Earn rule: `value` points as a manual bonus.
 */
#define CRMLITE_EARN_BONUS 6

/**
 * Entry kind: points earned (a lot).
 */
#define CRMLITE_ENTRY_AWARD 0

/**
 * Entry kind: a correction with a reason (a lot if positive); also the points given back
 * when an order paid with points is returned (source kind `refund`).
 */
#define CRMLITE_ENTRY_ADJUST 1

/**
 * Entry kind: points spent.
 */
#define CRMLITE_ENTRY_REDEEM 2

/**
 * Entry kind: the unspent rest of a lot whose time came.
 */
#define CRMLITE_ENTRY_EXPIRE 3

/**
 * Entry kind: points an order earned, taken back on its return.
 */
#define CRMLITE_ENTRY_REVERSE 4

/**
 * Entry kind: points taken from other lots when a returned order's points were spent.
 */
#define CRMLITE_ENTRY_CLAWBACK 5

/**
 * A `crmlite_import_with_flags` flag: skip bad rows instead of importing nothing.
 */
#define CRMLITE_IMPORT_SKIP_BAD_ROWS 1

/**
 * A `crmlite_import_with_flags` flag: order lines must name active product codes.
 */
#define CRMLITE_IMPORT_KNOWN_PRODUCTS 2

/**
 * An upsert created the entry.
 */
#define CRMLITE_UPSERT_INSERTED 0

/**
 * An upsert changed the entry.
 */
#define CRMLITE_UPSERT_UPDATED 1

/**
 * The entry already had this state; nothing was written.
 */
#define CRMLITE_UPSERT_UNCHANGED 2

/**
 * Reward kind: `value` percent off the order's total (rounded down).
 */
#define CRMLITE_REWARD_PERCENT_DISCOUNT 0

/**
 * Reward kind: `value` minor units off the order (at most its total).
 */
#define CRMLITE_REWARD_FIXED_DISCOUNT 1

/**
 * Reward kind: the product `product` for free.
 */
#define CRMLITE_REWARD_FREE_PRODUCT 2

/**
 * Reward kind: `value` minor units back to the customer's wallet.
 */
#define CRMLITE_REWARD_CASHBACK 3

/**
 * Severity: answer within 3 days, resolve within 14 days.
 */
#define CRMLITE_SEVERITY_LOW 0

/**
 * Severity: answer within 1 day, resolve within 7 days.
 */
#define CRMLITE_SEVERITY_NORMAL 1

/**
 * Severity: answer within 4 hours, resolve within 3 days.
 */
#define CRMLITE_SEVERITY_HIGH 2

/**
 * Severity: answer within 1 hour, resolve within 1 day.
 */
#define CRMLITE_SEVERITY_CRITICAL 3

/**
 * Complaint status: received, nobody has started on it.
 */
#define CRMLITE_COMPLAINT_OPEN 0

/**
 * Complaint status: someone is working on it.
 */
#define CRMLITE_COMPLAINT_IN_PROGRESS 1

/**
 * Complaint status: a resolution was given.
 */
#define CRMLITE_COMPLAINT_RESOLVED 2

/**
 * Complaint status: done (until reopened).
 */
#define CRMLITE_COMPLAINT_CLOSED 3

/**
 * Timeline kind: a phone call.
 */
#define CRMLITE_TIMELINE_CALL 0

/**
 * Timeline kind: an e-mail.
 */
#define CRMLITE_TIMELINE_EMAIL 1

/**
 * Timeline kind: a text message.
 */
#define CRMLITE_TIMELINE_SMS 2

/**
 * Timeline kind: a meeting.
 */
#define CRMLITE_TIMELINE_MEETING 3

/**
 * Timeline kind: a free note by staff.
 */
#define CRMLITE_TIMELINE_NOTE 4

/**
 * Timeline kind: a visit to a shop or showroom.
 */
#define CRMLITE_TIMELINE_VISIT 5

/**
 * Timeline kind: a survey answer.
 */
#define CRMLITE_TIMELINE_SURVEY 6

/**
 * Timeline kind: a purchase or a return.
 */
#define CRMLITE_TIMELINE_PURCHASE 7

/**
 * Timeline kind: a complaint.
 */
#define CRMLITE_TIMELINE_COMPLAINT 8

/**
 * Timeline kind: a loyalty event.
 */
#define CRMLITE_TIMELINE_LOYALTY 9

/**
 * Timeline kind: a deal event.
 */
#define CRMLITE_TIMELINE_DEAL 10

/**
 * Timeline kind: a change made by the system (created, linked).
 */
#define CRMLITE_TIMELINE_SYSTEM 11

/**
 * The result of a call: `CRMLITE_OK`, an error code, or a cursor step.
 *
 * Error details for the calling thread are in `crmlite_last_error_message()`
 * and `crmlite_last_error_field()`.
 */
enum crmlite_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * The call succeeded.
   */
  CRMLITE_OK = 0,
  /**
   * An input was rejected and nothing was changed; `crmlite_last_error_field()` names it.
   */
  CRMLITE_ERR_VALIDATION = 1,
  /**
   * A referenced record does not exist.
   */
  CRMLITE_ERR_NOT_FOUND = 2,
  /**
   * The write clashes with the stored state (a stale version, a duplicate code).
   */
  CRMLITE_ERR_CONFLICT = 3,
  /**
   * The database failed (damaged, unreadable, full, read-only, too new).
   */
  CRMLITE_ERR_STORAGE = 4,
  /**
   * The database stayed locked by another writer; retrying later may succeed.
   */
  CRMLITE_ERR_BUSY = 5,
  /**
   * The caller broke the API's rules: a NULL pointer, an index out of range.
   */
  CRMLITE_ERR_MISUSE = 21,
  /**
   * A bug in crmlite (a caught panic); please report it.
   */
  CRMLITE_ERR_INTERNAL = 22,
  /**
   * A cursor step produced a row.
   */
  CRMLITE_ROW = 100,
  /**
   * A cursor has no more rows.
   */
  CRMLITE_DONE = 101,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum crmlite_status crmlite_status;
#else
typedef int32_t crmlite_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * A crmlite database. Opaque; open with `crmlite_open`, release with `crmlite_close`.
 * May be shared between threads: calls are serialised inside.
 */
typedef struct crmlite crmlite;

/**
 * One entry of the change feed, read with the `crmlite_change_*` accessors.
 */
typedef struct crmlite_change crmlite_change;

/**
 * A batch of change-feed entries, stepped with `crmlite_change_cursor_next`.
 */
typedef struct crmlite_change_cursor crmlite_change_cursor;

/**
 * A claimed outbox message and its claim token, read with the `crmlite_claim_*` accessors.
 */
typedef struct crmlite_claim crmlite_claim;

/**
 * The messages handed out by one `crmlite_outbox_claim`, stepped with
 * `crmlite_claim_cursor_next`.
 */
typedef struct crmlite_claim_cursor crmlite_claim_cursor;

/**
 * A manual clock for tests and replays: it stands still until set or advanced, and every
 * database opened with it (`crmlite_open_v3`) takes `now` from it. Create with
 * `crmlite_clock_new`, release with `crmlite_clock_free`; the same shape as Python's
 * `crmlite.FixedClock`.
 */
typedef struct crmlite_clock crmlite_clock;

/**
 * A complaint read from the database, read with the `crmlite_complaint_*` accessors.
 */
typedef struct crmlite_complaint crmlite_complaint;

/**
 * The complaints of one page, stepped with `crmlite_complaint_cursor_next`.
 */
typedef struct crmlite_complaint_cursor crmlite_complaint_cursor;

/**
 * A stored person or organisation, read with the `crmlite_customer_*` accessors.
 */
typedef struct crmlite_customer crmlite_customer;

/**
 * The customers found by a query, stepped with `crmlite_customer_cursor_next`.
 */
typedef struct crmlite_customer_cursor crmlite_customer_cursor;

/**
 * A new customer being put together; create with `crmlite_customer_draft_new`, store with
 * `crmlite_customer_add`, release with `crmlite_customer_draft_free`.
 */
typedef struct crmlite_customer_draft crmlite_customer_draft;

/**
 * Changes to a customer being put together; create with `crmlite_customer_patch_new`, apply
 * with `crmlite_customer_update`, release with `crmlite_customer_patch_free`.
 */
typedef struct crmlite_customer_patch crmlite_customer_patch;

/**
 * A deal read from the database, read with the `crmlite_deal_*` accessors.
 */
typedef struct crmlite_deal crmlite_deal;

/**
 * The deals of one page, stepped with `crmlite_deal_cursor_next`.
 */
typedef struct crmlite_deal_cursor crmlite_deal_cursor;

/**
 * A deal being written, filled with the `crmlite_deal_draft_*` setters.
 */
typedef struct crmlite_deal_draft crmlite_deal_draft;

/**
 * Changes to a deal's data being put together; create with `crmlite_deal_patch_new`, apply
 * with `crmlite_deal_update`, release with `crmlite_deal_patch_free`.
 */
typedef struct crmlite_deal_patch crmlite_deal_patch;

/**
 * A directory entry (a product, a unit, a store...) read from the database.
 */
typedef struct crmlite_entry crmlite_entry;

/**
 * The rows of a forecast, stepped with `crmlite_forecast_cursor_next`.
 */
typedef struct crmlite_forecast_cursor crmlite_forecast_cursor;

/**
 * One row of the weighted forecast.
 */
typedef struct crmlite_forecast_row crmlite_forecast_row;

/**
 * The steps of a funnel, stepped with `crmlite_funnel_cursor_next`.
 */
typedef struct crmlite_funnel_cursor crmlite_funnel_cursor;

/**
 * One stage of a funnel.
 */
typedef struct crmlite_funnel_step crmlite_funnel_step;

/**
 * One entry of the lost-reason list.
 */
typedef struct crmlite_lost_reason crmlite_lost_reason;

/**
 * The lost reasons, stepped with `crmlite_lost_reason_cursor_next`.
 */
typedef struct crmlite_lost_reason_cursor crmlite_lost_reason_cursor;

/**
 * Lost deals for one reason at one stage.
 */
typedef struct crmlite_lost_reason_row crmlite_lost_reason_row;

/**
 * The rows of a lost-reasons report, stepped with `crmlite_lost_reason_row_cursor_next`.
 */
typedef struct crmlite_lost_reason_row_cursor crmlite_lost_reason_row_cursor;

/**
 * One pipeline (without its stages; read those with `crmlite_pipeline_stages`).
 */
typedef struct crmlite_pipeline crmlite_pipeline;

/**
 * The pipelines, stepped with `crmlite_pipeline_cursor_next`.
 */
typedef struct crmlite_pipeline_cursor crmlite_pipeline_cursor;

/**
 * The entries of one history page, stepped with `crmlite_points_cursor_next`.
 */
typedef struct crmlite_points_cursor crmlite_points_cursor;

/**
 * One ledger entry, read with the `crmlite_points_entry_*` accessors.
 */
typedef struct crmlite_points_entry crmlite_points_entry;

/**
 * One stage of a pipeline.
 */
typedef struct crmlite_stage crmlite_stage;

/**
 * One row of a deal's stage history.
 */
typedef struct crmlite_stage_change crmlite_stage_change;

/**
 * A deal's stage history, stepped with `crmlite_stage_change_cursor_next`.
 */
typedef struct crmlite_stage_change_cursor crmlite_stage_change_cursor;

/**
 * The stages of a pipeline, stepped with `crmlite_stage_cursor_next`.
 */
typedef struct crmlite_stage_cursor crmlite_stage_cursor;

/**
 * How long deals stayed in one stage.
 */
typedef struct crmlite_stage_time crmlite_stage_time;

/**
 * The rows of a time-in-stage report, stepped with `crmlite_stage_time_cursor_next`.
 */
typedef struct crmlite_stage_time_cursor crmlite_stage_time_cursor;

/**
 * A task or reminder, read with the `crmlite_task_*` accessors.
 */
typedef struct crmlite_task crmlite_task;

/**
 * The tasks of one query, stepped with `crmlite_task_cursor_next`.
 */
typedef struct crmlite_task_cursor crmlite_task_cursor;

/**
 * The entries of one timeline page, stepped with `crmlite_timeline_cursor_next`.
 */
typedef struct crmlite_timeline_cursor crmlite_timeline_cursor;

/**
 * An entry on a customer's timeline, read with the `crmlite_timeline_entry_*` accessors.
 */
typedef struct crmlite_timeline_entry crmlite_timeline_entry;

/**
 * The report of one `crmlite_verify` run, read with the `crmlite_verify_report_*` accessors.
 */
typedef struct crmlite_verify_report crmlite_verify_report;

/**
 * What one `crmlite_run_due` call did.
 */
typedef struct {
  /**
   * Trigger firings recorded.
   */
  uint32_t fired;
  /**
   * Messages queued in the outbox.
   */
  uint32_t queued;
  /**
   * Tasks created.
   */
  uint32_t tasks;
  /**
   * Tags added or removed.
   */
  uint32_t tags;
  /**
   * Firings that did nothing (no consent, no recipient, a template error).
   */
  uint32_t skipped;
  /**
   * Point awards made.
   */
  uint32_t awards;
} crmlite_run_report;

/**
 * A card's points at one instant; `available + pending + awaiting_expiry == ledger_sum`.
 */
typedef struct {
  /**
   * Points that can be spent now.
   */
  int64_t available;
  /**
   * Points locked in their pending period.
   */
  int64_t pending;
  /**
   * `available + pending`.
   */
  int64_t total;
  /**
   * Points of `total` that expire within the asked number of days.
   */
  int64_t expiring;
  /**
   * Points whose expiry has come but is not yet recorded by an expiry run.
   */
  int64_t awaiting_expiry;
  /**
   * The sum of every ledger entry of the card.
   */
  int64_t ledger_sum;
} crmlite_balance;

/**
 * How far an import has got, as passed to a `crmlite_import_progress_fn`: the file is read
 * first (`bytes_read` of `bytes_total`, `rows_read` rows), then `written` of `to_write`
 * records (rows, or orders for `orders`) are written, all before the commit.
 */
typedef struct {
  /**
   * Rows read from the file so far.
   */
  uint64_t rows_read;
  /**
   * Bytes of the (decoded) file read so far.
   */
  uint64_t bytes_read;
  /**
   * Bytes of the (decoded) file in all.
   */
  uint64_t bytes_total;
  /**
   * Records written so far; 0 while reading.
   */
  uint64_t written;
  /**
   * Records that passed the checks and will be written; 0 while reading.
   */
  uint64_t to_write;
  /**
   * 1 once the whole file has been read, 0 before.
   */
  int32_t read_done;
} crmlite_import_progress;

/**
 * A progress callback of `crmlite_import_with_progress`: `progress` is valid during the call
 * only, `user_data` is the pointer given to the import. Return 0 to go on; any other value
 * stops the import, which then returns CRMLITE_ERR_VALIDATION on field `progress` and
 * writes nothing. It is called on the importing thread and must not use `db`.
 */
typedef int32_t (*crmlite_import_progress_fn)(const crmlite_import_progress *progress,
                                              void *user_data);

/**
 * What redeeming a reward gave; money is in minor units of the program's currency.
 */
typedef struct {
  /**
   * The ledger entry of the redemption.
   */
  int64_t entry;
  /**
   * Points spent (positive).
   */
  int64_t points;
  /**
   * The reward's kind, a `CRMLITE_REWARD_*` code.
   */
  int32_t kind;
  /**
   * The discount on the order, for discount rewards; 0 otherwise.
   */
  int64_t discount;
  /**
   * Money back to the wallet, for cashback rewards; 0 otherwise.
   */
  int64_t cashback;
} crmlite_redemption;

/**
 * A program's points movements over a period and what is outstanding now.
 */
typedef struct {
  /**
   * Points awarded and positively adjusted (refunds of points-paid orders included) in the period.
   */
  int64_t issued;
  /**
   * Points redeemed in the period.
   */
  int64_t redeemed;
  /**
   * Points expired in the period.
   */
  int64_t expired;
  /**
   * Points reversed or clawed back on returns, and negative adjustments, in the period.
   */
  int64_t reversed;
  /**
   * Points pending now.
   */
  int64_t pending;
  /**
   * Points not yet spent, expired or reversed now (pending included).
   */
  int64_t outstanding;
  /**
   * `outstanding` times the point value, in minor units: what the program owes.
   */
  int64_t liability;
} crmlite_points_metrics;

/**
 * An NPS report: counts per category and per score, and the score.
 */
typedef struct {
  /**
   * Number of answers.
   */
  int64_t responses;
  /**
   * Answers scoring 9 or 10.
   */
  int64_t promoters;
  /**
   * Answers scoring 7 or 8.
   */
  int64_t passives;
  /**
   * Answers scoring 0 to 6.
   */
  int64_t detractors;
  /**
   * Answers per score: `by_score[s]` counts the answers scoring `s`.
   */
  int64_t by_score[11];
  /**
   * 1 when there are answers and `nps` holds the score, 0 otherwise.
   */
  int32_t has_nps;
  /**
   * %promoters - %detractors, rounded half away from zero.
   */
  int64_t nps;
} crmlite_nps_figures;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Stores a template under `code` (1-64 characters of a-z, 0-9, `_`, `-`, `.`), or replaces
 * the one with that code (its version goes up). `kind` is a `CRMLITE_TEMPLATE_*` code,
 * `format` is `CRMLITE_TEMPLATE_FORMAT_TEXT` or `CRMLITE_TEMPLATE_FORMAT_HTML`, and `body`
 * the minijinja source. Writes the template's id to `*id_out`.
 *
 * Ownership: `code` and `body` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`, `kind`, `format` or `body`; a
 * `body` that does not compile names the line), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` and `body` are NUL-terminated
 * strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_template_save(const crmlite *db,
                                     const char *code,
                                     int32_t kind,
                                     int32_t format,
                                     const char *body,
                                     int64_t *id_out);

/**
 * Renders the template `code` for `customer` (in the customer's language; 0 for no
 * customer) with the extra variables in `vars_json` (a JSON object, or NULL for none), and
 * writes the text to `*text_out`.
 *
 * Ownership: `code` and `vars_json` are only read. The caller owns `*text_out` and frees it
 * with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `vars_json`, or
 * `templates.<code>.template` with the line and the cause: an unknown variable, a template
 * that runs out of fuel), CRMLITE_ERR_NOT_FOUND (no such template or customer),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
 * `vars_json` is NULL or one; `text_out` is valid for writing.
 */
crmlite_status crmlite_template_render(const crmlite *db,
                                       const char *code,
                                       int64_t customer,
                                       const char *vars_json,
                                       char **text_out);

/**
 * Adds a task titled `title`, due at `due_ms`, for `assignee` ("" for nobody), about
 * `customer` (0 for none), repeating by the RRULE `recurrence` (NULL for a one-off, e.g.
 * "FREQ=WEEKLY;BYDAY=MO"). Writes the task's id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`, `assignee`, `customer` or
 * `recurrence`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `title` and `assignee` are
 * NUL-terminated strings; `recurrence` is NULL or one; `id_out` is valid for writing.
 */
crmlite_status crmlite_task_add(const crmlite *db,
                                const char *title,
                                int64_t due_ms,
                                const char *assignee,
                                int64_t customer,
                                const char *recurrence,
                                int64_t *id_out);

/**
 * Adds a task like `crmlite_task_add`, linked to another record `record` such as
 * "complaint:3" or "deal:17" (a complaint must exist). Writes the task's id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`, `assignee`, `customer`, `record`
 * or `recurrence`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `title`, `assignee` and `record` are
 * NUL-terminated strings; `recurrence` is NULL or one; `id_out` is valid for writing.
 */
crmlite_status crmlite_task_add_linked(const crmlite *db,
                                       const char *title,
                                       int64_t due_ms,
                                       const char *assignee,
                                       int64_t customer,
                                       const char *record,
                                       const char *recurrence,
                                       int64_t *id_out);

/**
 * Marks the open task `id` done and writes the id of the next task of its series to
 * `*next_id_out`, or 0 when it does not repeat (or its rule has ended).
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (the task is not open),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `next_id_out` is valid for writing.
 */
crmlite_status crmlite_task_complete(const crmlite *db, int64_t id, int64_t *next_id_out);

/**
 * Reads at most `limit` (1-1000) open tasks due at or before `until_ms`, earliest first,
 * of `assignee` (NULL for everyone), and writes a cursor to `*cursor_out`.
 *
 * Ownership: `assignee` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_task_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `limit`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `assignee` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_task_due(const crmlite *db,
                                int64_t until_ms,
                                const char *assignee,
                                uint32_t limit,
                                crmlite_task_cursor **cursor_out);

/**
 * Steps a task cursor: writes the next task to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_task_due` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_task_cursor_next(crmlite_task_cursor *cursor, const crmlite_task **row_out);

/**
 * Releases a task cursor and every task it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_task_due` and is not used afterwards.
 */
void crmlite_task_cursor_free(crmlite_task_cursor *cursor);

/**
 * Writes the task's id to `*id_out`.
 *
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_task_id(const crmlite_task *task, int64_t *id_out);

/**
 * Writes the task's title to `*title_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `title_out` is valid for writing.
 */
crmlite_status crmlite_task_title(const crmlite_task *task, const char **title_out);

/**
 * Writes when the task is due (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_task_due_at(const crmlite_task *task, int64_t *ms_out);

/**
 * Writes who should do the task ("" for nobody) to `*assignee_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `assignee_out` is valid for writing.
 */
crmlite_status crmlite_task_assignee(const crmlite_task *task, const char **assignee_out);

/**
 * Writes the id of the customer the task is about (0 for none) to `*customer_out`.
 *
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `customer_out` is valid for writing.
 */
crmlite_status crmlite_task_customer(const crmlite_task *task, int64_t *customer_out);

/**
 * Writes the record the task is about ("complaint:3", "deal:17", or "" for none) to
 * `*record_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `record_out` is valid for writing.
 */
crmlite_status crmlite_task_record(const crmlite_task *task, const char **record_out);

/**
 * Writes the task's status (a `CRMLITE_TASK_*` code) to `*status_out`.
 *
 * Threads: the task belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `task` is a live cursor row; `status_out` is valid for writing.
 */
crmlite_status crmlite_task_status(const crmlite_task *task, int32_t *status_out);

/**
 * Fires every time trigger due at `now_ms` (birthdays and other dates in each customer's
 * time zone, points about to expire, customers quiet for N days) and writes what happened to `*report_out`. Running it again at the same
 * `now_ms` does nothing.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE. A firing
 * that cannot act (no consent, no recipient) is counted as skipped, not an error.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `report_out` is valid for writing.
 */
crmlite_status crmlite_run_due(const crmlite *db,
                               int64_t now_ms,
                               crmlite_run_report *report_out);

/**
 * Adds a trigger under `code`: `event_json` says when it fires and `action_json` what it
 * does, both as tagged JSON objects. Events: `{"type": "customer_created"}`,
 * `{"type": "timeline_entry", "kind": "complaint"}`, `{"type": "date", "field": "birthday",
 * "offset_days": 0, "time_zone": "Asia/Yerevan"}`, `{"type": "purchase_recorded"}`,
 * `{"type": "deal_stage_changed", "to": "won"}` (`to` null for any move),
 * `{"type": "points_milestone", "points": 1000}`, `{"type": "tier_changed"}`,
 * `{"type": "points_expiring", "days_before": 7}` and `{"type": "no_purchase_for", "days": 90}`.
 * Actions: `queue_message` (`channel`, `purpose`, `body_template`, `subject_template`),
 * `create_task` (`title`, `assignee`, `due_in_days`), `add_tag` / `remove_tag` (`tag`) and
 * `award_points` (`program`, `rule` or null for the birthday bonus). Writes the id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `event_json`, `action_json`, `code`,
 * `event.<field>` or `action.<field>`), CRMLITE_ERR_CONFLICT (the code is used),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code`, `event_json` and `action_json`
 * are NUL-terminated strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_trigger_add(const crmlite *db,
                                   const char *code,
                                   const char *event_json,
                                   const char *action_json,
                                   int64_t *id_out);

/**
 * Adds a trigger `code` that awards points on each customer's birthday (in their time zone,
 * else `time_zone`) on their card in `program`: the bonus earn rule `rule`, or the program's
 * birthday bonus when `rule` is 0. `crmlite_run_due` awards at most once per customer and
 * birthday. Writes the id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`, `event.time_zone`,
 * `action.program` or `action.rule`), CRMLITE_ERR_CONFLICT (the code is used),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` and `time_zone` are
 * NUL-terminated strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_trigger_add_birthday_points(const crmlite *db,
                                                   const char *code,
                                                   const char *time_zone,
                                                   int64_t program,
                                                   int64_t rule,
                                                   int64_t *id_out);

/**
 * Renders the template `body_template` (and `subject_template` for e-mail, or NULL) for
 * `customer` with the variables in `vars_json` (a JSON object, or NULL) and queues the
 * message on `channel` (`CRMLITE_CHANNEL_EMAIL` or `CRMLITE_CHANNEL_SMS`) for `purpose` (a
 * `CRMLITE_PURPOSE_*` code) to the customer's primary e-mail or phone. A `dedupe_key`
 * (or NULL) queued before gives that message again. Writes the message id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `channel`, `purpose`, `vars_json`,
 * `consent` for marketing without consent, `recipient`, `body_template`, or the template's
 * line), CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_CONFLICT (the dedupe key
 * belongs to another message), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `body_template` is a NUL-terminated
 * string; `subject_template`, `vars_json` and `dedupe_key` are NULL or such strings;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_outbox_queue(const crmlite *db,
                                    int64_t customer,
                                    int32_t channel,
                                    int32_t purpose,
                                    const char *body_template,
                                    const char *subject_template,
                                    const char *vars_json,
                                    const char *dedupe_key,
                                    int64_t *id_out);

/**
 * Hands out up to `n` (1-1000) deliverable messages under a lease of `lease_ms`
 * milliseconds and writes a cursor of claims to `*cursor_out`. Deliver each, then
 * `crmlite_outbox_ack` or `crmlite_outbox_fail` it with its token; a message not acked
 * before its lease ends is handed out again.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_claim_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `limit` or `lease_ms`),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_outbox_claim(const crmlite *db,
                                    uint32_t n,
                                    int64_t lease_ms,
                                    crmlite_claim_cursor **cursor_out);

/**
 * Marks the claimed message `id` delivered. Acking again with the same token does nothing.
 *
 * Ownership: `token` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (a wrong token or an
 * expired lease; nothing changes), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `token` is a NUL-terminated string.
 */
crmlite_status crmlite_outbox_ack(const crmlite *db, int64_t id, const char *token);

/**
 * Reports that delivering the claimed message `id` failed with `error` ("" if unknown):
 * it is offered again after `retry_after_ms`, or given up after too many attempts.
 *
 * Ownership: `token` and `error` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `retry_after_ms` or `error`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (a wrong token or an expired lease),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `token` and `error` are NUL-terminated
 * strings.
 */
crmlite_status crmlite_outbox_fail(const crmlite *db,
                                   int64_t id,
                                   const char *token,
                                   int64_t retry_after_ms,
                                   const char *error);

/**
 * Steps a claim cursor: writes the next claim to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_outbox_claim` and is not freed; `row_out` is valid for
 * writing.
 */
crmlite_status crmlite_claim_cursor_next(crmlite_claim_cursor *cursor,
                                         const crmlite_claim **row_out);

/**
 * Releases a claim cursor and every claim it lent. The messages stay claimed until their
 * lease ends.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_outbox_claim` and is not used afterwards.
 */
void crmlite_claim_cursor_free(crmlite_claim_cursor *cursor);

/**
 * Writes the claimed message's id to `*id_out`.
 *
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_claim_message_id(const crmlite_claim *claim, int64_t *id_out);

/**
 * Writes the claim token (pass it to `crmlite_outbox_ack` or `crmlite_outbox_fail`) to
 * `*token_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `token_out` is valid for writing.
 */
crmlite_status crmlite_claim_token(const crmlite_claim *claim, const char **token_out);

/**
 * Writes the message's channel (`CRMLITE_CHANNEL_EMAIL` or `CRMLITE_CHANNEL_SMS`) to
 * `*channel_out`.
 *
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `channel_out` is valid for writing.
 */
crmlite_status crmlite_claim_channel(const crmlite_claim *claim, int32_t *channel_out);

/**
 * Writes the recipient (an e-mail address or an E.164 phone number) to `*recipient_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `recipient_out` is valid for writing.
 */
crmlite_status crmlite_claim_recipient(const crmlite_claim *claim, const char **recipient_out);

/**
 * Writes the subject line ("" for a text message) to `*subject_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `subject_out` is valid for writing.
 */
crmlite_status crmlite_claim_subject(const crmlite_claim *claim, const char **subject_out);

/**
 * Writes the rendered body to `*body_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `body_out` is valid for writing.
 */
crmlite_status crmlite_claim_body(const crmlite_claim *claim, const char **body_out);

/**
 * Writes how many times the message has been claimed, this claim included, to
 * `*attempts_out`.
 *
 * Threads: the claim belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `claim` is a live cursor row; `attempts_out` is valid for writing.
 */
crmlite_status crmlite_claim_attempts(const crmlite_claim *claim, int64_t *attempts_out);

/**
 * Records that `customer` granted (`granted` true) or withdrew consent to be contacted on
 * `channel` (a `CRMLITE_CHANNEL_*` code) for `purpose` (a `CRMLITE_PURPOSE_*` code), given
 * through `source` (such as "till" or "web-form"), agreeing to the consent text
 * `text_version` (required when granting; "" when withdrawing). Withdrawing marketing
 * consent cancels the customer's pending marketing messages on that channel.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `channel`, `purpose`, `source` or
 * `text_version`), CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `source` and `text_version` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_consent_record(const crmlite *db,
                                      int64_t customer,
                                      int32_t channel,
                                      int32_t purpose,
                                      bool granted,
                                      const char *source,
                                      const char *text_version);

/**
 * The message of the last failed call on this thread, or "" if the last call succeeded.
 *
 * Ownership: borrowed from the library; valid until the next crmlite call on this thread.
 * Do not free it.
 * Threads: reports the last call made **on the calling thread**.
 *
 * # Safety
 * None: the returned pointer must only not be used after the next crmlite call on this thread.
 */
const char *crmlite_last_error_message(void);

/**
 * The input field the last failed call on this thread rejected (such as `phones[0]`),
 * or NULL if it named none.
 *
 * Ownership: borrowed from the library; valid until the next crmlite call on this thread.
 * Do not free it.
 * Threads: reports the last call made **on the calling thread**.
 *
 * # Safety
 * None: the returned pointer must only not be used after the next crmlite call on this thread.
 */
const char *crmlite_last_error_field(void);

/**
 * Reads at most `limit` (1-1000) changes committed after `cursor` (0 for the start) and
 * writes a cursor over them to `*cursor_out`. Remember the last `seq` you processed and
 * pass it as `cursor` next time.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_change_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_changes_since(const crmlite *db,
                                     int64_t cursor,
                                     uint32_t limit,
                                     crmlite_change_cursor **cursor_out);

/**
 * Steps a change cursor: writes the next change to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_changes_since` and is not freed; `row_out` is valid for
 * writing.
 */
crmlite_status crmlite_change_cursor_next(crmlite_change_cursor *cursor,
                                          const crmlite_change **row_out);

/**
 * Releases a change cursor and every change it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_changes_since` and is not used afterwards.
 */
void crmlite_change_cursor_free(crmlite_change_cursor *cursor);

/**
 * Writes the change's position in the feed (strictly increasing, no gaps) to `*seq_out`.
 *
 * Threads: the change belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; `seq_out` is valid for writing.
 */
crmlite_status crmlite_change_seq(const crmlite_change *change, int64_t *seq_out);

/**
 * Writes the kind of record that changed (`customer`, `customer_link`, `timeline_entry`)
 * to `*entity_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the change belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; `entity_out` is valid for writing.
 */
crmlite_status crmlite_change_entity(const crmlite_change *change, const char **entity_out);

/**
 * Writes the id of the record that changed to `*id_out` (for a link, the person's id).
 *
 * Threads: the change belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_change_entity_id(const crmlite_change *change, int64_t *id_out);

/**
 * Writes what happened (`insert`, `update`, `delete`) to `*op_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the change belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; `op_out` is valid for writing.
 */
crmlite_status crmlite_change_op(const crmlite_change *change, const char **op_out);

/**
 * Writes when the change was committed (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: the change belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_change_at(const crmlite_change *change, int64_t *ms_out);

/**
 * Starts a new customer of `kind` (`CRMLITE_CUSTOMER_PERSON` or
 * `CRMLITE_CUSTOMER_ORGANISATION`) named `name` and writes the draft to `*draft_out`.
 * Nothing is checked beyond the arguments until `crmlite_customer_add`.
 *
 * Ownership: `name` is copied. The caller owns `*draft_out` and frees it with
 * `crmlite_customer_draft_free`.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind` or `name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `name` is a NUL-terminated string; `draft_out` is valid for writing a pointer.
 */
crmlite_status crmlite_customer_draft_new(int32_t kind,
                                          const char *name,
                                          crmlite_customer_draft **draft_out);

/**
 * Adds an e-mail address to a draft; the first one added is the primary.
 *
 * Ownership: `email` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `email`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `email` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_add_email(crmlite_customer_draft *draft, const char *email);

/**
 * Adds a phone number, as typed, to a draft; the first one added is the primary.
 *
 * Ownership: `phone` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phone`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `phone` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_add_phone(crmlite_customer_draft *draft, const char *phone);

/**
 * Sets a draft's date of birth (or foundation).
 *
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `birthday`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed.
 */
crmlite_status crmlite_customer_draft_set_birthday(crmlite_customer_draft *draft,
                                                   int32_t year,
                                                   int32_t month,
                                                   int32_t day);

/**
 * Sets a draft's preferred language as a BCP 47 tag (`hy`, `ka`, `fa-IR`).
 *
 * Ownership: `language` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `language`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `language` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_set_language(crmlite_customer_draft *draft,
                                                   const char *language);

/**
 * Adds a tag to a draft.
 *
 * Ownership: `tag` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `tag`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `tag` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_add_tag(crmlite_customer_draft *draft, const char *tag);

/**
 * Sets a draft's code in the system of record (accounting software).
 *
 * Ownership: `code` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `code` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_set_external_code(crmlite_customer_draft *draft,
                                                        const char *code);

/**
 * Sets a draft's postal address. Every part is required; pass "" for a part you lack.
 * `country` is an ISO 3166-1 alpha-2 code or "".
 *
 * Ownership: every part is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `address.<part>`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; every part is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_set_address(crmlite_customer_draft *draft,
                                                  const char *line1,
                                                  const char *line2,
                                                  const char *city,
                                                  const char *region,
                                                  const char *postal_code,
                                                  const char *country);

/**
 * Sets a text attribute `name` (a-z, 0-9 and _, starting with a letter) on a draft.
 *
 * Ownership: `name` and `value` are copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` and `value` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_customer_draft_set_attribute_text(crmlite_customer_draft *draft,
                                                         const char *name,
                                                         const char *value);

/**
 * Sets a whole-number attribute `name` on a draft.
 *
 * Ownership: `name` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_set_attribute_int(crmlite_customer_draft *draft,
                                                        const char *name,
                                                        int64_t value);

/**
 * Sets a true/false attribute `name` on a draft.
 *
 * Ownership: `name` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_customer_draft_new` and is not freed; `name` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_customer_draft_set_attribute_bool(crmlite_customer_draft *draft,
                                                         const char *name,
                                                         bool value);

/**
 * Releases a draft.
 *
 * Ownership: takes back ownership of `draft`.
 * Threads: any thread, once no other thread uses the draft.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `draft` is NULL or came from `crmlite_customer_draft_new` and is not used afterwards.
 */
void crmlite_customer_draft_free(crmlite_customer_draft *draft);

/**
 * Checks a draft and stores it as a new customer; writes the new id to `*id_out`.
 * On any error nothing is stored. The draft is not consumed.
 *
 * Ownership: `draft` is only read during the call; the caller still frees it.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, such as `phones[0]`),
 * CRMLITE_ERR_CONFLICT (the external code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY
 * or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `draft` comes from
 * `crmlite_customer_draft_new` and is not freed; `id_out` is valid for writing.
 */
crmlite_status crmlite_customer_add(const crmlite *db,
                                    const crmlite_customer_draft *draft,
                                    int64_t *id_out);

/**
 * Reads the customer with id `id` and writes it to `*customer_out`.
 *
 * Ownership: the caller owns `*customer_out` and frees it with `crmlite_customer_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `customer_out` is valid for writing.
 */
crmlite_status crmlite_customer_get(const crmlite *db, int64_t id, crmlite_customer **customer_out);

/**
 * Reads the customer of `kind` with external code `code` and writes it to `*customer_out`.
 *
 * Ownership: `code` is only read. The caller owns `*customer_out` and frees it with
 * `crmlite_customer_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `kind` or
 * `code`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
 * `customer_out` is valid for writing.
 */
crmlite_status crmlite_customer_by_code(const crmlite *db,
                                        int32_t kind,
                                        const char *code,
                                        crmlite_customer **customer_out);

/**
 * Finds customers whose name, e-mail, phone, code or tags match every word of `query`,
 * whatever the case, accents or letter variants (`ნინო` finds `ᲜᲘᲜᲝ`); at most `limit`
 * (1-1000). Writes a cursor to `*cursor_out`.
 *
 * Ownership: `query` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_customer_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `query` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `query` is a NUL-terminated string;
 * `cursor_out` is valid for writing.
 */
crmlite_status crmlite_customer_search(const crmlite *db,
                                       const char *query,
                                       uint32_t limit,
                                       crmlite_customer_cursor **cursor_out);

/**
 * Finds the customers that have the e-mail address `email` and writes a cursor to
 * `*cursor_out`.
 *
 * Ownership: `email` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_customer_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `email`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `email` is a NUL-terminated string;
 * `cursor_out` is valid for writing.
 */
crmlite_status crmlite_customer_by_email(const crmlite *db,
                                         const char *email,
                                         crmlite_customer_cursor **cursor_out);

/**
 * Finds the customers that have the phone number `phone`, typed in any form the default
 * region allows (`+374 10 12-34-56`, Persian digits), and writes a cursor to `*cursor_out`.
 *
 * Ownership: `phone` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_customer_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phone`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `phone` is a NUL-terminated string;
 * `cursor_out` is valid for writing.
 */
crmlite_status crmlite_customer_by_phone(const crmlite *db,
                                         const char *phone,
                                         crmlite_customer_cursor **cursor_out);

/**
 * Lists customers in id order, one page of at most `limit` (1-1000), starting after the
 * page token `page` (NULL for the first page). Writes a cursor to `*cursor_out`; its
 * `crmlite_customer_cursor_next_page` gives the token for the following page.
 *
 * Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_customer_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_customer_list(const crmlite *db,
                                     const char *page,
                                     uint32_t limit,
                                     crmlite_customer_cursor **cursor_out);

/**
 * Steps a customer cursor: writes the next customer to `*row_out` and returns CRMLITE_ROW,
 * or returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed;
 * do not free it.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from a customer query and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_customer_cursor_next(crmlite_customer_cursor *cursor,
                                            const crmlite_customer **row_out);

/**
 * Writes the token of the page after this one to `*token_out`, or NULL on the last page
 * (and for queries that are not paged). Pass it to `crmlite_customer_list`.
 *
 * Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from a customer query and is not freed; `token_out` is valid for writing.
 */
crmlite_status crmlite_customer_cursor_next_page(const crmlite_customer_cursor *cursor,
                                                 char **token_out);

/**
 * Releases a customer cursor and every row it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from a customer query and is not used afterwards.
 */
void crmlite_customer_cursor_free(crmlite_customer_cursor *cursor);

/**
 * Releases a customer returned by `crmlite_customer_get` or `crmlite_customer_by_code`
 * (never a row lent by a cursor).
 *
 * Ownership: takes back ownership of `customer`.
 * Threads: any thread, once no other thread uses the customer.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `customer` is NULL or came from `crmlite_customer_get`/`crmlite_customer_by_code` and is
 * not used afterwards.
 */
void crmlite_customer_free(crmlite_customer *customer);

/**
 * Writes the customer's id to `*id_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_customer_id(const crmlite_customer *customer, int64_t *id_out);

/**
 * Writes the customer's kind (`CRMLITE_CUSTOMER_PERSON` or `CRMLITE_CUSTOMER_ORGANISATION`)
 * to `*kind_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `kind_out` is valid for writing.
 */
crmlite_status crmlite_customer_kind(const crmlite_customer *customer, int32_t *kind_out);

/**
 * Writes the customer's display name to `*name_out`.
 *
 * Ownership: `*name_out` is borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `name_out` is valid for writing.
 */
crmlite_status crmlite_customer_name(const crmlite_customer *customer, const char **name_out);

/**
 * Writes the customer's version to `*version_out`; pass it to `crmlite_customer_update`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `version_out` is valid for writing.
 */
crmlite_status crmlite_customer_version(const crmlite_customer *customer, int64_t *version_out);

/**
 * Writes how many e-mail addresses the customer has to `*count_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `count_out` is valid for writing.
 */
crmlite_status crmlite_customer_email_count(const crmlite_customer *customer, size_t *count_out);

/**
 * Writes e-mail address number `index` (0 is the primary) to `*email_out`.
 *
 * Ownership: `*email_out` is borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `customer` is a live customer or cursor row; `email_out` is valid for writing.
 */
crmlite_status crmlite_customer_email_at(const crmlite_customer *customer,
                                         size_t index,
                                         const char **email_out);

/**
 * Writes how many phone numbers the customer has to `*count_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `count_out` is valid for writing.
 */
crmlite_status crmlite_customer_phone_count(const crmlite_customer *customer, size_t *count_out);

/**
 * Writes phone number `index` (0 is the primary) in E.164 form (`+37410123456`) to
 * `*e164_out` and as it was typed to `*raw_out`.
 *
 * Ownership: both strings are borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `customer` is a live customer or cursor row; `e164_out` and `raw_out` are valid for
 * writing.
 */
crmlite_status crmlite_customer_phone_at(const crmlite_customer *customer,
                                         size_t index,
                                         const char **e164_out,
                                         const char **raw_out);

/**
 * Writes whether the customer has a birthday to `*has_out`, and its year, month (1-12) and
 * day (1-31) to the other outputs (zeros when it has none).
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; every output is valid for writing.
 */
crmlite_status crmlite_customer_birthday(const crmlite_customer *customer,
                                         bool *has_out,
                                         int32_t *year_out,
                                         int32_t *month_out,
                                         int32_t *day_out);

/**
 * Writes the customer's preferred language (a BCP 47 tag) to `*language_out`, or NULL if
 * none is set.
 *
 * Ownership: `*language_out` is borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `language_out` is valid for writing.
 */
crmlite_status crmlite_customer_language(const crmlite_customer *customer,
                                         const char **language_out);

/**
 * Writes how many tags the customer has to `*count_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `count_out` is valid for writing.
 */
crmlite_status crmlite_customer_tag_count(const crmlite_customer *customer, size_t *count_out);

/**
 * Writes tag number `index` (tags are sorted) to `*tag_out`.
 *
 * Ownership: `*tag_out` is borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `customer` is a live customer or cursor row; `tag_out` is valid for writing.
 */
crmlite_status crmlite_customer_tag_at(const crmlite_customer *customer,
                                       size_t index,
                                       const char **tag_out);

/**
 * Writes the customer's external code to `*code_out`, or NULL if none is set.
 *
 * Ownership: `*code_out` is borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `code_out` is valid for writing.
 */
crmlite_status crmlite_customer_external_code(const crmlite_customer *customer,
                                              const char **code_out);

/**
 * Writes the six parts of the customer's postal address to the outputs, or NULL to each
 * when it has no address. Empty parts are "".
 *
 * Ownership: the strings are borrowed from the customer; valid until it is freed.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; every output is valid for writing.
 */
crmlite_status crmlite_customer_address(const crmlite_customer *customer,
                                        const char **line1_out,
                                        const char **line2_out,
                                        const char **city_out,
                                        const char **region_out,
                                        const char **postal_code_out,
                                        const char **country_out);

/**
 * Writes the text attribute `name` to `*value_out`, or NULL if the customer has no text
 * attribute of that name.
 *
 * Ownership: `name` is only read; `*value_out` is borrowed from the customer.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `name` is a NUL-terminated string;
 * `value_out` is valid for writing.
 */
crmlite_status crmlite_customer_attribute_text(const crmlite_customer *customer,
                                               const char *name,
                                               const char **value_out);

/**
 * Writes whether the customer has a whole-number attribute `name` to `*has_out`, and its
 * value (0 when absent) to `*value_out`.
 *
 * Ownership: `name` is only read.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `name` is a NUL-terminated string; the
 * outputs are valid for writing.
 */
crmlite_status crmlite_customer_attribute_int(const crmlite_customer *customer,
                                              const char *name,
                                              bool *has_out,
                                              int64_t *value_out);

/**
 * Writes whether the customer has a true/false attribute `name` to `*has_out`, and its
 * value (false when absent) to `*value_out`.
 *
 * Ownership: `name` is only read.
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `name` is a NUL-terminated string; the
 * outputs are valid for writing.
 */
crmlite_status crmlite_customer_attribute_bool(const crmlite_customer *customer,
                                               const char *name,
                                               bool *has_out,
                                               bool *value_out);

/**
 * Writes when the customer was created (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_customer_created_at(const crmlite_customer *customer, int64_t *ms_out);

/**
 * Writes when the customer was last changed (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: a customer belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `customer` is a live customer or cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_customer_updated_at(const crmlite_customer *customer, int64_t *ms_out);

/**
 * Starts an empty patch (it changes nothing until a setter is called) and writes it to
 * `*patch_out`.
 *
 * Ownership: the caller owns `*patch_out` and frees it with `crmlite_customer_patch_free`.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch_out` is valid for writing a pointer.
 */
crmlite_status crmlite_customer_patch_new(crmlite_customer_patch **patch_out);

/**
 * Sets a new display name. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_name(crmlite_customer_patch *patch,
                                               const char *name);

/**
 * Replaces the e-mail addresses with `count` addresses from `emails` (primary first); a count of 0 removes them all. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `emails[i]`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `emails` points to `count` NUL-terminated strings (or is NULL with a count of 0).
 */
crmlite_status crmlite_customer_patch_set_emails(crmlite_customer_patch *patch,
                                                 const char *const *emails,
                                                 size_t count);

/**
 * Replaces the phone numbers with `count` numbers from `phones` (primary first); a count of 0 removes them all. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `phones[i]`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `phones` points to `count` NUL-terminated strings (or is NULL with a count of 0).
 */
crmlite_status crmlite_customer_patch_set_phones(crmlite_customer_patch *patch,
                                                 const char *const *phones,
                                                 size_t count);

/**
 * Replaces the tags with `count` tags from `tags`; a count of 0 removes them all. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `tags[i]`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `tags` points to `count` NUL-terminated strings (or is NULL with a count of 0).
 */
crmlite_status crmlite_customer_patch_set_tags(crmlite_customer_patch *patch,
                                               const char *const *tags,
                                               size_t count);

/**
 * Sets the preferred language (a BCP 47 tag). Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `language`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `language` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_language(crmlite_customer_patch *patch,
                                                   const char *language);

/**
 * Removes the preferred language. Checked by `crmlite_customer_update`.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed.
 */
crmlite_status crmlite_customer_patch_clear_language(crmlite_customer_patch *patch);

/**
 * Sets the date of birth (or foundation). Checked by `crmlite_customer_update`.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `birthday`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed.
 */
crmlite_status crmlite_customer_patch_set_birthday(crmlite_customer_patch *patch,
                                                   int32_t year,
                                                   int32_t month,
                                                   int32_t day);

/**
 * Removes the date of birth. Checked by `crmlite_customer_update`.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed.
 */
crmlite_status crmlite_customer_patch_clear_birthday(crmlite_customer_patch *patch);

/**
 * Sets the code in the system of record. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `code` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_external_code(crmlite_customer_patch *patch,
                                                        const char *code);

/**
 * Removes the code in the system of record. Checked by `crmlite_customer_update`.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed.
 */
crmlite_status crmlite_customer_patch_clear_external_code(crmlite_customer_patch *patch);

/**
 * Sets the postal address; every part is required, pass "" for a part you lack. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `address.<part>`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; every part is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_address(crmlite_customer_patch *patch,
                                                  const char *line1,
                                                  const char *line2,
                                                  const char *city,
                                                  const char *region,
                                                  const char *postal_code,
                                                  const char *country);

/**
 * Removes the postal address. Checked by `crmlite_customer_update`.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed.
 */
crmlite_status crmlite_customer_patch_clear_address(crmlite_customer_patch *patch);

/**
 * Sets the text attribute `name`. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` and `value` are NUL-terminated strings.
 */
crmlite_status crmlite_customer_patch_set_attribute_text(crmlite_customer_patch *patch,
                                                         const char *name,
                                                         const char *value);

/**
 * Sets the whole-number attribute `name`. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_attribute_int(crmlite_customer_patch *patch,
                                                        const char *name,
                                                        int64_t value);

/**
 * Sets the true/false attribute `name`. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_set_attribute_bool(crmlite_customer_patch *patch,
                                                         const char *name,
                                                         bool value);

/**
 * Removes the attribute `name`, whatever its type. Checked by `crmlite_customer_update`.
 *
 * Ownership: strings are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_customer_patch_new` and is not freed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_patch_remove_attribute(crmlite_customer_patch *patch,
                                                       const char *name);

/**
 * Releases a patch.
 *
 * Ownership: takes back ownership of `patch`.
 * Threads: any thread, once no other thread uses the patch.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `patch` is NULL or came from `crmlite_customer_patch_new` and is not used afterwards.
 */
void crmlite_customer_patch_free(crmlite_customer_patch *patch);

/**
 * Applies `patch` to customer `id` if it is still at `expected_version`, and writes the new
 * version to `*new_version_out`. A stale version is CRMLITE_ERR_CONFLICT; on any error
 * nothing is changed. The patch is not consumed.
 *
 * Ownership: `patch` is only read; the caller still frees it.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `patch` comes from
 * `crmlite_customer_patch_new` and is not freed; `new_version_out` is valid for writing.
 */
crmlite_status crmlite_customer_update(const crmlite *db,
                                       int64_t id,
                                       int64_t expected_version,
                                       const crmlite_customer_patch *patch,
                                       int64_t *new_version_out);

/**
 * Links the person `person` to the organisation `organisation` with a `role` ("" for none).
 * The link is noted on both timelines, and the organisation's timeline then also shows the
 * person's entries.
 *
 * Ownership: `role` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `person`, `organisation` or `role`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (already linked), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `role` is a NUL-terminated string.
 */
crmlite_status crmlite_customer_link(const crmlite *db,
                                     int64_t person,
                                     int64_t organisation,
                                     const char *role);

/**
 * Removes the link between `person` and `organisation`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such link), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_customer_unlink(const crmlite *db, int64_t person, int64_t organisation);

/**
 * The library version, such as "0.1.0"; compare with the header's `CRMLITE_VERSION`.
 *
 * Ownership: the string is static; do not free it.
 * Threads: any thread.
 *
 * # Safety
 * None: the function has no arguments.
 */
const char *crmlite_version(void);

/**
 * The library version as `major * 1000000 + minor * 1000 + patch`; a host checks
 * `crmlite_version_number() == CRMLITE_VERSION_NUMBER` at start-up.
 *
 * Threads: any thread.
 *
 * # Safety
 * None: the function has no arguments.
 */
int32_t crmlite_version_number(void);

/**
 * Opens (creating if needed) the database at `path` with default options and writes the
 * handle to `*db_out`. `":memory:"` opens a private in-memory database.
 *
 * Ownership: `path` is only read during the call. The caller owns `*db_out` and releases it
 * with `crmlite_close`.
 * Threads: the new handle may be shared between threads.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY, CRMLITE_ERR_VALIDATION (`path`
 * is not UTF-8) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `path` is a NUL-terminated string; `db_out` is valid for writing a pointer.
 */
crmlite_status crmlite_open(const char *path, crmlite **db_out);

/**
 * Opens the database at `path` like `crmlite_open`, with options: `default_region` (ISO
 * 3166-1 alpha-2 such as "AM" or "IR", or NULL) for phone numbers typed without a country
 * code, and `synchronous` (`CRMLITE_SYNCHRONOUS_FULL` or `CRMLITE_SYNCHRONOUS_NORMAL`).
 *
 * Ownership: `path` and `default_region` are only read during the call. The caller owns
 * `*db_out` and releases it with `crmlite_close`.
 * Threads: the new handle may be shared between threads.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous` or
 * `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `path` is a NUL-terminated string; `default_region` is NULL or one; `db_out` is valid for
 * writing a pointer.
 */
crmlite_status crmlite_open_v2(const char *path,
                               const char *default_region,
                               int32_t synchronous,
                               crmlite **db_out);

/**
 * Opens the database at `path` like `crmlite_open_v2`, taking `now` from `clock` (a
 * `crmlite_clock`, or NULL for the system clock). Moving the clock moves the database's
 * time: leases expire, tasks fall due.
 *
 * Ownership: `path` and `default_region` are only read. The database keeps its own
 * reference to `clock`, so the clock may be freed before or after the database. The caller
 * owns `*db_out` and releases it with `crmlite_close`.
 * Threads: the new handle may be shared between threads.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous` or
 * `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `path` is a NUL-terminated string; `default_region` is NULL or one; `clock` is NULL or
 * came from `crmlite_clock_new` and is not freed during the call; `db_out` is valid for
 * writing a pointer.
 */
crmlite_status crmlite_open_v3(const char *path,
                               const char *default_region,
                               int32_t synchronous,
                               const crmlite_clock *clock,
                               crmlite **db_out);

/**
 * Opens the database at `path` like `crmlite_open_v3`, with SQLite's page cache of each
 * connection set to `cache_mib` MiB (1 to 65536), or 0 for the default (16 MiB for writes,
 * 2 MiB for each reader). A larger cache speeds up loading many rows into a large database;
 * it costs that much memory per connection.
 *
 * Ownership: as `crmlite_open_v3`.
 * Threads: the new handle may be shared between threads.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `default_region`, `synchronous`,
 * `cache_mib` or `path`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * As `crmlite_open_v3`.
 */
crmlite_status crmlite_open_v4(const char *path,
                               const char *default_region,
                               int32_t synchronous,
                               const crmlite_clock *clock,
                               int32_t cache_mib,
                               crmlite **db_out);

/**
 * Creates a manual clock standing at `at_ms` (Unix milliseconds, UTC) and writes it to
 * `*clock_out`. Pass it to `crmlite_open_v3`.
 *
 * Ownership: the caller owns `*clock_out` and releases it with `crmlite_clock_free`.
 * Threads: the clock may be shared between threads.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `clock_out` is valid for writing a pointer.
 */
crmlite_status crmlite_clock_new(int64_t at_ms, crmlite_clock **clock_out);

/**
 * Moves the clock to `at_ms` (Unix milliseconds, UTC), for every database opened with it.
 *
 * Threads: any thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `clock` came from `crmlite_clock_new` and is not freed.
 */
crmlite_status crmlite_clock_set(const crmlite_clock *clock, int64_t at_ms);

/**
 * Moves the clock forward by `ms` milliseconds (backwards when negative).
 *
 * Threads: any thread.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `ms`: the time would overflow) or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `clock` came from `crmlite_clock_new` and is not freed.
 */
crmlite_status crmlite_clock_advance(const crmlite_clock *clock, int64_t ms);

/**
 * Writes the clock's time (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: any thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `clock` came from `crmlite_clock_new` and is not freed; `ms_out` is valid for writing.
 */
crmlite_status crmlite_clock_now(const crmlite_clock *clock, int64_t *ms_out);

/**
 * Releases a clock. Databases opened with it keep their own reference and go on working at
 * the time it last had.
 *
 * Ownership: takes back ownership of `clock`.
 * Threads: no other thread may be using `clock` during or after the call.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `clock` is NULL or came from `crmlite_clock_new` and is not used afterwards.
 */
void crmlite_clock_free(crmlite_clock *clock);

/**
 * Closes a database and releases its handle. Cursors and customers read from it stay valid.
 *
 * Ownership: takes back ownership of `db`.
 * Threads: no other thread may be using `db` during or after the call.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `db` is NULL or came from `crmlite_open`/`crmlite_open_v2` and is not used afterwards.
 */
void crmlite_close(crmlite *db);

/**
 * Adds a pipeline named `name` with its stages given as text, one stage a line:
 * `name | probability | kind | rot days` (kind `open`, `won` or `lost`; only the name is
 * required; `#` starts a comment). Writes the new pipeline's id to `*id_out`.
 *
 * Ownership: `name` and `stages` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, `stages` or `stages[i].*`),
 * CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` and `stages` are NUL-terminated
 * strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_add(const crmlite *db,
                                    const char *name,
                                    const char *stages,
                                    int64_t *id_out);

/**
 * Writes the id of the stage at `index` (0 first, in the pipeline's order) to `*stage_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE (also for an index past the last stage).
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `stage_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_stage_id(const crmlite *db,
                                         int64_t pipeline,
                                         size_t index,
                                         int64_t *stage_out);

/**
 * Adds a lost reason named `name` to the reference list and writes its id to `*id_out`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_CONFLICT (the name
 * is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_lost_reason_add(const crmlite *db, const char *name, int64_t *id_out);

/**
 * Starts a new deal titled `title` in `pipeline` and writes the draft to `*draft_out`.
 * Nothing is checked beyond the arguments until `crmlite_deal_add`.
 *
 * Ownership: `title` is copied. The caller owns `*draft_out` and frees it with
 * `crmlite_deal_draft_free`.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `title` is a NUL-terminated string; `draft_out` is valid for writing a pointer.
 */
crmlite_status crmlite_deal_draft_new(int64_t pipeline,
                                      const char *title,
                                      crmlite_deal_draft **draft_out);

/**
 * Sets the person (`customer`) and the organisation (`organisation`) of a draft; 0 means
 * none. A deal needs at least one of them.
 *
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed.
 */
crmlite_status crmlite_deal_draft_set_parties(crmlite_deal_draft *draft,
                                              int64_t customer,
                                              int64_t organisation);

/**
 * Sets the open stage a draft starts in (0: the pipeline's first open stage).
 *
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed.
 */
crmlite_status crmlite_deal_draft_set_stage(crmlite_deal_draft *draft, int64_t stage);

/**
 * Sets the owner of a draft and who creates it (`by`, recorded in the stage history).
 *
 * Ownership: `owner` and `by` are copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `owner` or `by`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `owner` and `by` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_deal_draft_set_owner(crmlite_deal_draft *draft,
                                            const char *owner,
                                            const char *by);

/**
 * Sets the amount of a draft without lines: `minor` units of `currency` (ISO 4217).
 *
 * Ownership: `currency` is only read.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `currency` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_deal_draft_set_amount(crmlite_deal_draft *draft,
                                             int64_t minor,
                                             const char *currency);

/**
 * Adds a line item to a draft: `quantity_milli` thousandths of a unit of `product` at
 * `unit_price_minor` minor units of `currency`, with `discount_bp` basis points off. The
 * deal's amount becomes the total of its lines.
 *
 * Ownership: `product` and `currency` are copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product` or `currency`) or
 * CRMLITE_ERR_MISUSE. Quantities, prices and discounts are checked by `crmlite_deal_add`.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `product` and `currency`
 * are NUL-terminated strings.
 */
crmlite_status crmlite_deal_draft_add_line(crmlite_deal_draft *draft,
                                           const char *product,
                                           int64_t quantity_milli,
                                           int64_t unit_price_minor,
                                           const char *currency,
                                           uint32_t discount_bp);

/**
 * Sets an explicit probability in percent (0-100; an explicit 0 stays 0), or -1 to follow
 * the stage's default.
 *
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed.
 */
crmlite_status crmlite_deal_draft_set_probability(crmlite_deal_draft *draft, int32_t percent);

/**
 * Sets the expected close date of a draft (`YYYY-MM-DD`).
 *
 * Ownership: `date` is only read.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `expected_close`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `date` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_draft_set_expected_close(crmlite_deal_draft *draft, const char *date);

/**
 * Releases a draft.
 *
 * Ownership: takes back ownership of `draft`.
 * Threads: any thread, once no other thread uses the draft.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `draft` is NULL or came from `crmlite_deal_draft_new` and is not used afterwards.
 */
void crmlite_deal_draft_free(crmlite_deal_draft *draft);

/**
 * Checks and stores a draft as a new deal and writes its id to `*id_out`. Bad input
 * changes nothing.
 *
 * Ownership: `draft` is only read; the caller still frees it.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, e.g. `pipeline`, `stage`,
 * `probability`, `lines[0].quantity_milli`), CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `draft` is a live draft; `id_out` is
 * valid for writing.
 */
crmlite_status crmlite_deal_add(const crmlite *db,
                                const crmlite_deal_draft *draft,
                                int64_t *id_out);

/**
 * Reads the deal with id `id` and writes it to `*deal_out`.
 *
 * Ownership: the caller owns `*deal_out` and frees it with `crmlite_deal_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `deal_out` is valid for writing.
 */
crmlite_status crmlite_deal_get(const crmlite *db, int64_t id, crmlite_deal **deal_out);

/**
 * Releases a deal read with `crmlite_deal_get`.
 *
 * Ownership: takes back ownership of `deal`.
 * Threads: any thread, once no other thread uses the deal.
 * Calling with NULL is fine. Do not call twice. Never pass a cursor row.
 *
 * # Safety
 * `deal` is NULL or came from `crmlite_deal_get` and is not used afterwards.
 */
void crmlite_deal_free(crmlite_deal *deal);

/**
 * Moves open deal `id`, still at `version`, to `stage` of its pipeline; a lost stage needs
 * `lost_reason` (0 for none). Writes the deal's new version to `*version_out`.
 *
 * Ownership: `by` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`, `lost_reason` or `by`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
 * `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_move(const crmlite *db,
                                 int64_t id,
                                 int64_t version,
                                 int64_t stage,
                                 int64_t lost_reason,
                                 const char *by,
                                 int64_t *version_out);

/**
 * Marks open deal `id`, still at `version`, as won (probability 100, close time now).
 * Writes the deal's new version to `*version_out`.
 *
 * Ownership: `by` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT,
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
 * `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_won(const crmlite *db,
                                int64_t id,
                                int64_t version,
                                const char *by,
                                int64_t *version_out);

/**
 * Marks open deal `id`, still at `version`, as lost for `reason` (required; 0 is reported as
 * a missing `lost_reason`) with a `note` ("" for none). Writes the new version to
 * `*version_out`.
 *
 * Ownership: `note` and `by` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `lost_reason`, `lost_note` or `by`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `note` and `by` are NUL-terminated
 * strings; `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_lost(const crmlite *db,
                                 int64_t id,
                                 int64_t version,
                                 int64_t reason,
                                 const char *note,
                                 const char *by,
                                 int64_t *version_out);

/**
 * Reads one page of at most `limit` (1-1000) deals in id order, of `pipeline` (0: any) and
 * `owner` (NULL: any), starting after the page token `page` (NULL for the first page), and
 * writes a cursor to `*cursor_out`.
 *
 * Ownership: `owner` and `page` are only read. The caller owns `*cursor_out` and frees it
 * with `crmlite_deal_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `owner` and `page` are NULL or
 * NUL-terminated strings; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_deal_list(const crmlite *db,
                                 int64_t pipeline,
                                 const char *owner,
                                 const char *page,
                                 uint32_t limit,
                                 crmlite_deal_cursor **cursor_out);

/**
 * Steps a deal cursor: writes the next deal to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_deal_list` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_deal_cursor_next(crmlite_deal_cursor *cursor, const crmlite_deal **row_out);

/**
 * Writes the token of the page after this one to `*token_out`, or NULL on the last page.
 * Pass it to `crmlite_deal_list`.
 *
 * Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_deal_list` and is not freed; `token_out` is valid for writing.
 */
crmlite_status crmlite_deal_cursor_next_page(const crmlite_deal_cursor *cursor, char **token_out);

/**
 * Releases a deal cursor and every deal it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_deal_list` and is not used afterwards.
 */
void crmlite_deal_cursor_free(crmlite_deal_cursor *cursor);

/**
 * Computes the weighted forecast of open deals grouped `by` (a `CRMLITE_FORECAST_*` code),
 * of `pipeline` (0: every pipeline), and writes a cursor over its rows to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_forecast_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `by` or `amount`), CRMLITE_ERR_NOT_FOUND
 * (no such pipeline), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_forecast(const crmlite *db,
                                int32_t by,
                                int64_t pipeline,
                                crmlite_forecast_cursor **cursor_out);

/**
 * Steps a forecast cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_forecast` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_forecast_cursor_next(crmlite_forecast_cursor *cursor,
                                            const crmlite_forecast_row **row_out);

/**
 * Releases a forecast cursor and every row it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_forecast` and is not used afterwards.
 */
void crmlite_forecast_cursor_free(crmlite_forecast_cursor *cursor);

/**
 * Computes the funnel of `pipeline` and writes a cursor over its steps (one per stage, in
 * order) to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_funnel_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_funnel(const crmlite *db,
                              int64_t pipeline,
                              crmlite_funnel_cursor **cursor_out);

/**
 * Steps a funnel cursor: writes the next step to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_funnel` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_funnel_cursor_next(crmlite_funnel_cursor *cursor,
                                          const crmlite_funnel_step **row_out);

/**
 * Releases a funnel cursor and every step it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_funnel` and is not used afterwards.
 */
void crmlite_funnel_cursor_free(crmlite_funnel_cursor *cursor);

/**
 * Writes the deal's amount: `minor` units to `*minor_out` and the ISO 4217 code to
 * `*currency_out`.
 *
 * Ownership: `*currency_out` is borrowed from the deal; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `minor_out` and `currency_out` are valid for writing.
 */
crmlite_status crmlite_deal_amount(const crmlite_deal *deal,
                                   int64_t *minor_out,
                                   const char **currency_out);

/**
 * Writes a forecast row's total amount: `minor` units to `*minor_out` and the ISO 4217 code
 * (the weighted amount has the same currency) to `*currency_out`.
 *
 * Ownership: `*currency_out` is borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live cursor row; `minor_out` and `currency_out` are valid for writing.
 */
crmlite_status crmlite_forecast_row_amount(const crmlite_forecast_row *row,
                                           int64_t *minor_out,
                                           const char **currency_out);

/**
 * Writes the deal's id to `*id_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_deal_id(const crmlite_deal *deal, int64_t *id_out);

/**
 * Writes the deal's version (pass it to the next change) to `*version_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_version(const crmlite_deal *deal, int64_t *version_out);

/**
 * Writes the id of the deal's pipeline to `*pipeline_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `pipeline_out` is valid for writing.
 */
crmlite_status crmlite_deal_pipeline(const crmlite_deal *deal, int64_t *pipeline_out);

/**
 * Writes the id of the deal's stage (for a lost deal, the lost stage) to `*stage_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `stage_out` is valid for writing.
 */
crmlite_status crmlite_deal_stage(const crmlite_deal *deal, int64_t *stage_out);

/**
 * Writes the deal's status (a `CRMLITE_DEAL_*` code) to `*status_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `status_out` is valid for writing.
 */
crmlite_status crmlite_deal_status(const crmlite_deal *deal, int32_t *status_out);

/**
 * Writes the deal's effective probability in percent to `*probability_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `probability_out` is valid for writing.
 */
crmlite_status crmlite_deal_probability(const crmlite_deal *deal, int32_t *probability_out);

/**
 * Writes the stage a lost deal was lost at (0 if it is not lost) to `*stage_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `stage_out` is valid for writing.
 */
crmlite_status crmlite_deal_lost_at_stage(const crmlite_deal *deal, int64_t *stage_out);

/**
 * Writes the number of line items to `*count_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `count_out` is valid for writing.
 */
crmlite_status crmlite_deal_line_count(const crmlite_deal *deal, size_t *count_out);

/**
 * Writes the deal's title to `*title_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `title_out` is valid for writing.
 */
crmlite_status crmlite_deal_title(const crmlite_deal *deal, const char **title_out);

/**
 * Writes the deal's owner ("" if none) to `*owner_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `owner_out` is valid for writing.
 */
crmlite_status crmlite_deal_owner(const crmlite_deal *deal, const char **owner_out);

/**
 * Writes the row's group: a pipeline id, an owner or a `YYYY-MM` month ("" for none) to `*group_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live object or cursor row; `group_out` is valid for writing.
 */
crmlite_status crmlite_forecast_row_group(const crmlite_forecast_row *row,
                                          const char **group_out);

/**
 * Writes the number of open deals in the row to `*deals_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live object or cursor row; `deals_out` is valid for writing.
 */
crmlite_status crmlite_forecast_row_deals(const crmlite_forecast_row *row, int64_t *deals_out);

/**
 * Writes the weighted amount in minor units: sum(amount x probability) / 100, rounded once, half away from zero to `*minor_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live object or cursor row; `minor_out` is valid for writing.
 */
crmlite_status crmlite_forecast_row_weighted(const crmlite_forecast_row *row,
                                             int64_t *minor_out);

/**
 * Writes the step's stage id to `*stage_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `step` is a live object or cursor row; `stage_out` is valid for writing.
 */
crmlite_status crmlite_funnel_step_stage(const crmlite_funnel_step *step, int64_t *stage_out);

/**
 * Writes the step's stage name to `*name_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `step` is a live object or cursor row; `name_out` is valid for writing.
 */
crmlite_status crmlite_funnel_step_name(const crmlite_funnel_step *step, const char **name_out);

/**
 * Writes how many deals reached the stage (or a later one) to `*reached_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `step` is a live object or cursor row; `reached_out` is valid for writing.
 */
crmlite_status crmlite_funnel_step_reached(const crmlite_funnel_step *step, int64_t *reached_out);

/**
 * Writes how many deals are in the stage now to `*current_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `step` is a live object or cursor row; `current_out` is valid for writing.
 */
crmlite_status crmlite_funnel_step_current(const crmlite_funnel_step *step, int64_t *current_out);

/**
 * Writes the share that went on to the next open stage in basis points (-1 when none) to `*bp_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `step` is a live object or cursor row; `bp_out` is valid for writing.
 */
crmlite_status crmlite_funnel_step_conversion_bp(const crmlite_funnel_step *step, int32_t *bp_out);

/**
 * Reads every pipeline in id order and writes a cursor over them to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_pipeline_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_list(const crmlite *db, crmlite_pipeline_cursor **cursor_out);

/**
 * Steps a pipeline cursor: writes the next pipeline to `*row_out` and returns CRMLITE_ROW,
 * or returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_pipeline_list` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_cursor_next(crmlite_pipeline_cursor *cursor,
                                            const crmlite_pipeline **row_out);

/**
 * Releases a pipeline cursor and every pipeline it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_pipeline_list` and is not used afterwards.
 */
void crmlite_pipeline_cursor_free(crmlite_pipeline_cursor *cursor);

/**
 * Writes the pipeline's id to `*id_out`.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `pipeline` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_id(const crmlite_pipeline *pipeline, int64_t *id_out);

/**
 * Writes the pipeline's name to `*name_out`.
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `pipeline` is a live cursor row; `name_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_name(const crmlite_pipeline *pipeline, const char **name_out);

/**
 * Writes the number of the pipeline's stages (retired ones included) to `*count_out`.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `pipeline` is a live cursor row; `count_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_stage_count(const crmlite_pipeline *pipeline, size_t *count_out);

/**
 * Renames pipeline `id` to `name`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_pipeline_rename(const crmlite *db, int64_t id, const char *name);

/**
 * Reads the stages of `pipeline` in order (retired ones included) and writes a cursor over
 * them to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_stage_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_pipeline_stages(const crmlite *db,
                                       int64_t pipeline,
                                       crmlite_stage_cursor **cursor_out);

/**
 * Steps a stage cursor: writes the next stage to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_pipeline_stages` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_stage_cursor_next(crmlite_stage_cursor *cursor,
                                         const crmlite_stage **row_out);

/**
 * Releases a stage cursor and every stage it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_pipeline_stages` and is not used afterwards.
 */
void crmlite_stage_cursor_free(crmlite_stage_cursor *cursor);

/**
 * Writes the stage's id to `*id_out`.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `stage` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_stage_id(const crmlite_stage *stage, int64_t *id_out);

/**
 * Writes the stage's name to `*name_out`.
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `stage` is a live cursor row; `name_out` is valid for writing.
 */
crmlite_status crmlite_stage_name(const crmlite_stage *stage, const char **name_out);

/**
 * Writes the stage's details: its kind (a `CRMLITE_STAGE_*` code) to `*kind_out`, its default
 * probability in percent to `*probability_out`, its rot threshold in days (-1 for none) to
 * `*rot_after_days_out` and whether it is retired to `*retired_out`.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `stage` is a live cursor row; every output is valid for writing.
 */
crmlite_status crmlite_stage_details(const crmlite_stage *stage,
                                     int32_t *kind_out,
                                     int32_t *probability_out,
                                     int64_t *rot_after_days_out,
                                     bool *retired_out);

/**
 * Adds a stage at the end of `pipeline`: `name`, `kind` (a `CRMLITE_STAGE_*` code), default
 * `probability` (0-100, or -1 for the kind's default: 100 won, 0 otherwise) and
 * `rot_after_days` (-1 for none). Writes the new stage's id to `*id_out`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `probability`, `rot_after_days`,
 * or `stage.name` also when the name is taken in the pipeline), CRMLITE_ERR_NOT_FOUND (no
 * such pipeline), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_stage_add(const crmlite *db,
                                 int64_t pipeline,
                                 const char *name,
                                 int32_t kind,
                                 int32_t probability,
                                 int64_t rot_after_days,
                                 int64_t *id_out);

/**
 * Renames stage `id` to `name`; its deals and history keep pointing at it.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, also when the name is taken in
 * the pipeline), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_stage_rename(const crmlite *db, int64_t id, const char *name);

/**
 * Sets the default probability (0-100) of stage `id`; open deals without their own follow it.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_stage_set_probability(const crmlite *db, int64_t id, int32_t probability);

/**
 * Sets the rot threshold of stage `id` in days, or clears it with -1.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `rot_after_days`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_stage_set_rot_after_days(const crmlite *db,
                                                int64_t id,
                                                int64_t rot_after_days);

/**
 * Puts the active stages of `pipeline` in the order of the `count` stage ids in `order`
 * (every active stage once; retired stages keep their place after them).
 *
 * Ownership: `order` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `order`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `order` points to `count` ids (or is
 * NULL with a count of 0).
 */
crmlite_status crmlite_stage_reorder(const crmlite *db,
                                     int64_t pipeline,
                                     const int64_t *order,
                                     size_t count);

/**
 * Retires stage `id`: its deals and history stay, no deal moves into it again.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_stage_retire(const crmlite *db, int64_t id);

/**
 * Adds each of the `count` names in `names` to the lost-reason list unless a reason of that
 * name is already there (seeding from a list). All or nothing.
 *
 * Ownership: `names` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `names[i]`), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `names` points to `count` NUL-terminated
 * strings (or is NULL with a count of 0).
 */
crmlite_status crmlite_lost_reason_seed(const crmlite *db, const char *const *names, size_t count);

/**
 * Renames lost reason `id` to `name`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT (the name is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string.
 */
crmlite_status crmlite_lost_reason_rename(const crmlite *db, int64_t id, const char *name);

/**
 * Retires lost reason `id`: it stays on old deals but cannot be chosen again.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_lost_reason_retire(const crmlite *db, int64_t id);

/**
 * Reads the lost-reason list in id order (retired ones included) and writes a cursor over it
 * to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_lost_reason_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_lost_reason_list(const crmlite *db, crmlite_lost_reason_cursor **cursor_out);

/**
 * Steps a lost-reason cursor: writes the next reason to `*row_out` and returns CRMLITE_ROW,
 * or returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_lost_reason_list` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_lost_reason_cursor_next(crmlite_lost_reason_cursor *cursor,
                                               const crmlite_lost_reason **row_out);

/**
 * Releases a lost-reason cursor and every reason it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_lost_reason_list` and is not used afterwards.
 */
void crmlite_lost_reason_cursor_free(crmlite_lost_reason_cursor *cursor);

/**
 * Writes the reason's id to `*id_out`, its name to `*name_out` and whether it is retired to
 * `*retired_out`.
 * Ownership: `*name_out` is borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `reason` is a live cursor row; every output is valid for writing.
 */
crmlite_status crmlite_lost_reason_details(const crmlite_lost_reason *reason,
                                           int64_t *id_out,
                                           const char **name_out,
                                           bool *retired_out);

/**
 * Sets the source or campaign reference (`instagram`, `campaign:12`) of a draft.
 *
 * Ownership: `source` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `source`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `source` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_deal_draft_set_source(crmlite_deal_draft *draft, const char *source);

/**
 * Sets the code of a draft in the system of record (unique among deals).
 *
 * Ownership: `code` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `code` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_draft_set_external_code(crmlite_deal_draft *draft, const char *code);

/**
 * Sets the product code of the draft's last added line.
 *
 * Ownership: `code` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product_code`) or CRMLITE_ERR_MISUSE
 * (also when the draft has no line yet).
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `code` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_draft_set_line_product_code(crmlite_deal_draft *draft,
                                                        const char *code);

/**
 * Sets a text attribute `name` (a-z, 0-9 and _, starting with a letter) on a draft.
 *
 * Ownership: `name` and `value` are copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
 * CRMLITE_ERR_MISUSE. Names are checked by `crmlite_deal_add`.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` and `value` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_deal_draft_set_attribute_text(crmlite_deal_draft *draft,
                                                     const char *name,
                                                     const char *value);

/**
 * Sets a whole-number attribute `name` on a draft.
 *
 * Ownership: `name` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_draft_set_attribute_int(crmlite_deal_draft *draft,
                                                    const char *name,
                                                    int64_t value);

/**
 * Sets a true/false attribute `name` on a draft.
 *
 * Ownership: `name` is copied.
 * Threads: a draft belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `draft` comes from `crmlite_deal_draft_new` and is not freed; `name` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_draft_set_attribute_bool(crmlite_deal_draft *draft,
                                                     const char *name,
                                                     bool value);

/**
 * Starts an empty deal patch (it changes nothing until a setter is called) and writes it to
 * `*patch_out`.
 *
 * Ownership: the caller owns `*patch_out` and frees it with `crmlite_deal_patch_free`.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch_out` is valid for writing a pointer.
 */
crmlite_status crmlite_deal_patch_new(crmlite_deal_patch **patch_out);

/**
 * Releases a deal patch.
 *
 * Ownership: takes back ownership of `patch`.
 * Threads: any thread, once no other thread uses the patch.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `patch` is NULL or came from `crmlite_deal_patch_new` and is not used afterwards.
 */
void crmlite_deal_patch_free(crmlite_deal_patch *patch);

/**
 * Sets a new title. Checked by `crmlite_deal_update`.
 *
 * Ownership: `title` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `title`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `title` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_set_title(crmlite_deal_patch *patch, const char *title);

/**
 * Sets the person (`customer`) and the organisation (`organisation`); 0 means none. A deal
 * keeps at least one of them.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed.
 */
crmlite_status crmlite_deal_patch_set_parties(crmlite_deal_patch *patch,
                                              int64_t customer,
                                              int64_t organisation);

/**
 * Sets a new owner ("" for none).
 *
 * Ownership: `owner` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `owner`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `owner` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_set_owner(crmlite_deal_patch *patch, const char *owner);

/**
 * Sets a new amount (only for a deal without lines): `minor` units of `currency`.
 *
 * Ownership: `currency` is only read.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `currency` is a
 * NUL-terminated string.
 */
crmlite_status crmlite_deal_patch_set_amount(crmlite_deal_patch *patch,
                                             int64_t minor,
                                             const char *currency);

/**
 * Adds a line to the patch's new line list: the first call replaces the deal's lines with
 * this one, later calls add to it; the amount becomes their total. Arguments as for
 * `crmlite_deal_draft_add_line`.
 *
 * Ownership: `product` and `currency` are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `product` or `currency`) or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `product` and `currency` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_deal_patch_add_line(crmlite_deal_patch *patch,
                                           const char *product,
                                           int64_t quantity_milli,
                                           int64_t unit_price_minor,
                                           const char *currency,
                                           uint32_t discount_bp);

/**
 * Sets an explicit probability in percent (0-100; an explicit 0 stays 0), or -1 to follow
 * the stage's default again.
 *
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `probability`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed.
 */
crmlite_status crmlite_deal_patch_set_probability(crmlite_deal_patch *patch, int32_t probability);

/**
 * Sets the expected close date (`YYYY-MM-DD`), or clears it with NULL.
 *
 * Ownership: `date` is only read.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `expected_close`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `date` is NULL or a
 * NUL-terminated string.
 */
crmlite_status crmlite_deal_patch_set_expected_close(crmlite_deal_patch *patch, const char *date);

/**
 * Sets the source or campaign reference ("" for none).
 *
 * Ownership: `source` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `source`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `source` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_set_source(crmlite_deal_patch *patch, const char *source);

/**
 * Sets the external code, or clears it with NULL.
 *
 * Ownership: `code` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `external_code`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `code` is NULL or a
 * NUL-terminated string.
 */
crmlite_status crmlite_deal_patch_set_external_code(crmlite_deal_patch *patch, const char *code);

/**
 * Sets the text attribute `name`. Checked by `crmlite_deal_update`.
 *
 * Ownership: `name` and `value` are copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name` or `value`) or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` and `value` are
 * NUL-terminated strings.
 */
crmlite_status crmlite_deal_patch_set_attribute_text(crmlite_deal_patch *patch,
                                                     const char *name,
                                                     const char *value);

/**
 * Sets the whole-number attribute `name`. Checked by `crmlite_deal_update`.
 *
 * Ownership: `name` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_set_attribute_int(crmlite_deal_patch *patch,
                                                    const char *name,
                                                    int64_t value);

/**
 * Sets the true/false attribute `name`. Checked by `crmlite_deal_update`.
 *
 * Ownership: `name` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_set_attribute_bool(crmlite_deal_patch *patch,
                                                     const char *name,
                                                     bool value);

/**
 * Removes the attribute `name`, whatever its type. Checked by `crmlite_deal_update`.
 *
 * Ownership: `name` is copied.
 * Threads: a patch belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `patch` comes from `crmlite_deal_patch_new` and is not freed; `name` is a NUL-terminated
 * string.
 */
crmlite_status crmlite_deal_patch_remove_attribute(crmlite_deal_patch *patch, const char *name);

/**
 * Applies `patch` to deal `id` if it is still at `version` and writes the new version to
 * `*version_out`. Bad input changes nothing.
 *
 * Ownership: `patch` is only read; the caller still frees it.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (the field, e.g. `title`, `amount`,
 * `lines[0].quantity_milli`, `attributes.x`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT
 * (stale version, or the code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `patch` is a live patch; `version_out`
 * is valid for writing.
 */
crmlite_status crmlite_deal_update(const crmlite *db,
                                   int64_t id,
                                   int64_t version,
                                   const crmlite_deal_patch *patch,
                                   int64_t *version_out);

/**
 * Like `crmlite_deal_move`, with a note on the loss (`lost_note`, "" for none) when `stage`
 * is a lost stage: moves open deal `id`, still at `version`, to `stage` of its pipeline; a
 * lost stage needs `lost_reason` (0 for none). Writes the new version to `*version_out`.
 *
 * Ownership: `lost_note` and `by` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage`, `lost_reason`, `lost_note` or
 * `by`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `lost_note` and `by` are NUL-terminated
 * strings; `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_move_v2(const crmlite *db,
                                    int64_t id,
                                    int64_t version,
                                    int64_t stage,
                                    int64_t lost_reason,
                                    const char *lost_note,
                                    const char *by,
                                    int64_t *version_out);

/**
 * Reopens won or lost deal `id`, still at `version`, into open `stage` (0: the stage it was
 * lost at, for a won deal the last open stage). Writes the new version to `*version_out`.
 *
 * Ownership: `by` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `stage` or `by`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT (stale version, or the deal is open), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
 * `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_reopen(const crmlite *db,
                                   int64_t id,
                                   int64_t version,
                                   int64_t stage,
                                   const char *by,
                                   int64_t *version_out);

/**
 * Moves open deal `id`, still at `version`, to another `pipeline`, into its open `stage`
 * (0: that pipeline's first open stage). Writes the new version to `*version_out`.
 *
 * Ownership: `by` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `pipeline`, `stage` or `by`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the deal is closed),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `by` is a NUL-terminated string;
 * `version_out` is valid for writing.
 */
crmlite_status crmlite_deal_change_pipeline(const crmlite *db,
                                            int64_t id,
                                            int64_t version,
                                            int64_t pipeline,
                                            int64_t stage,
                                            const char *by,
                                            int64_t *version_out);

/**
 * Reads the deal with external code `code` and writes it to `*deal_out`.
 *
 * Ownership: `code` is only read. The caller owns `*deal_out` and frees it with
 * `crmlite_deal_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `code`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
 * `deal_out` is valid for writing.
 */
crmlite_status crmlite_deal_get_by_code(const crmlite *db,
                                        const char *code,
                                        crmlite_deal **deal_out);

/**
 * Reads one page of at most `limit` (1-1000) deals in id order matching every given filter:
 * `pipeline`, `stage`, `customer` (as person or organisation; 0: any), `owner` (NULL: any) and
 * `status` (a `CRMLITE_DEAL_*` code, -1: any), starting after the page token `page` (NULL
 * for the first page), and writes a cursor to `*cursor_out`.
 *
 * Ownership: `owner` and `page` are only read. The caller owns `*cursor_out` and frees it
 * with `crmlite_deal_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `status`, `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `owner` and `page` are NULL or
 * NUL-terminated strings; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_deal_find(const crmlite *db,
                                 int64_t pipeline,
                                 int64_t stage,
                                 int64_t customer,
                                 const char *owner,
                                 int32_t status,
                                 const char *page,
                                 uint32_t limit,
                                 crmlite_deal_cursor **cursor_out);

/**
 * Reads one page of at most `limit` (1-1000) open deals (of `pipeline`, 0: any) that stayed
 * in their stage longer than its rot threshold as of `now_ms` (milliseconds since the Unix
 * epoch, UTC), in id order, after the page token `page` (NULL for the first page), and writes a cursor to
 * `*cursor_out`.
 *
 * Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_deal_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_deal_stale(const crmlite *db,
                                  int64_t pipeline,
                                  int64_t now_ms,
                                  const char *page,
                                  uint32_t limit,
                                  crmlite_deal_cursor **cursor_out);

/**
 * Writes the deal's person to `*customer_out` and organisation to `*organisation_out`
 * (0 for none).
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; both outputs are valid for writing.
 */
crmlite_status crmlite_deal_parties(const crmlite_deal *deal,
                                    int64_t *customer_out,
                                    int64_t *organisation_out);

/**
 * Writes the probability set by hand (an explicit 0 stays 0), or -1 when the deal follows
 * its stage's default, to `*probability_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `probability_out` is valid for writing.
 */
crmlite_status crmlite_deal_probability_override(const crmlite_deal *deal,
                                                 int32_t *probability_out);

/**
 * Writes the expected close date (`YYYY-MM-DD`, NULL for none) to `*date_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `date_out` is valid for writing.
 */
crmlite_status crmlite_deal_expected_close(const crmlite_deal *deal, const char **date_out);

/**
 * Writes the deal's times in milliseconds since the Unix epoch (UTC): when it was won or
 * lost (0 while open) to `*closed_at_out`, when it entered its current stage to
 * `*stage_entered_at_out`, and when it was created and last changed to `*created_at_out`
 * and `*updated_at_out`.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; every output is valid for writing.
 */
crmlite_status crmlite_deal_times(const crmlite_deal *deal,
                                  int64_t *closed_at_out,
                                  int64_t *stage_entered_at_out,
                                  int64_t *created_at_out,
                                  int64_t *updated_at_out);

/**
 * Writes the deal's source or campaign reference ("" for none) to `*source_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `source_out` is valid for writing.
 */
crmlite_status crmlite_deal_source(const crmlite_deal *deal, const char **source_out);

/**
 * Writes the deal's external code (NULL for none) to `*code_out`.
 * Ownership: borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `code_out` is valid for writing.
 */
crmlite_status crmlite_deal_external_code(const crmlite_deal *deal, const char **code_out);

/**
 * Writes why a lost deal was lost: the lost reason's id (0 if not lost) to `*reason_out` and
 * the note on the loss ("" for none) to `*note_out`.
 * Ownership: `*note_out` is borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; both outputs are valid for writing.
 */
crmlite_status crmlite_deal_lost_reason(const crmlite_deal *deal,
                                        int64_t *reason_out,
                                        const char **note_out);

/**
 * Writes the text attribute `name` to `*value_out`, or NULL if the deal has no text
 * attribute of that name.
 * Ownership: `name` is only read; `*value_out` is borrowed from the object.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `name` is a NUL-terminated string; `value_out` is
 * valid for writing.
 */
crmlite_status crmlite_deal_attribute_text(const crmlite_deal *deal,
                                           const char *name,
                                           const char **value_out);

/**
 * Writes whether the deal has a whole-number attribute `name` to `*has_out`, and its value
 * (0 if not) to `*value_out`.
 * Ownership: `name` is only read.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `name` is a NUL-terminated string; both outputs
 * are valid for writing.
 */
crmlite_status crmlite_deal_attribute_int(const crmlite_deal *deal,
                                          const char *name,
                                          bool *has_out,
                                          int64_t *value_out);

/**
 * Writes whether the deal has a true/false attribute `name` to `*has_out`, and its value
 * (false if not) to `*value_out`.
 * Ownership: `name` is only read.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `attribute_name`) or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `deal` is a live object or cursor row; `name` is a NUL-terminated string; both outputs
 * are valid for writing.
 */
crmlite_status crmlite_deal_attribute_bool(const crmlite_deal *deal,
                                           const char *name,
                                           bool *has_out,
                                           bool *value_out);

/**
 * Writes line item `index` (0 first) of the deal: its product name to `*product_out`, its
 * product code (NULL for none) to `*product_code_out`, its quantity in thousandths to
 * `*quantity_milli_out`, its unit price in minor units to `*unit_price_minor_out`, its
 * discount in basis points to `*discount_bp_out` and its total in minor units (rounded half
 * away from zero) to `*total_minor_out`. The currency is the deal's.
 * Ownership: the strings are borrowed from the object; valid until it is freed.
 * Threads: the object belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index past the last line).
 *
 * # Safety
 * `deal` is a live object or cursor row; every output is valid for writing.
 */
crmlite_status crmlite_deal_line(const crmlite_deal *deal,
                                 size_t index,
                                 const char **product_out,
                                 const char **product_code_out,
                                 int64_t *quantity_milli_out,
                                 int64_t *unit_price_minor_out,
                                 uint32_t *discount_bp_out,
                                 int64_t *total_minor_out);

/**
 * Reads the stage history of deal `id`, oldest first, and writes a cursor over it to
 * `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with
 * `crmlite_stage_change_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_deal_history(const crmlite *db,
                                    int64_t id,
                                    crmlite_stage_change_cursor **cursor_out);

/**
 * Steps a history cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_deal_history` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_stage_change_cursor_next(crmlite_stage_change_cursor *cursor,
                                                const crmlite_stage_change **row_out);

/**
 * Releases a history cursor and every row it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_deal_history` and is not used afterwards.
 */
void crmlite_stage_change_cursor_free(crmlite_stage_change_cursor *cursor);

/**
 * Writes one history row: the stage left (0 when the deal was created) to
 * `*from_stage_out`, the stage entered to `*to_stage_out`, who moved it to `*by_out`, when
 * (milliseconds since the Unix epoch, UTC) to `*at_out`, and the milliseconds spent in the
 * stage left (0 on creation) to `*spent_ms_out`.
 * Ownership: `*by_out` is borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `change` is a live cursor row; every output is valid for writing.
 */
crmlite_status crmlite_stage_change_details(const crmlite_stage_change *change,
                                            int64_t *from_stage_out,
                                            int64_t *to_stage_out,
                                            const char **by_out,
                                            int64_t *at_out,
                                            int64_t *spent_ms_out);

/**
 * Computes the win rate of deals now closed (in `pipeline`, 0: every pipeline): deals won to
 * `*won_out`, deals lost to `*lost_out`, and won / (won + lost) in basis points, rounded half
 * away from zero (-1 when none is closed), to `*rate_bp_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; every output is valid for writing.
 */
crmlite_status crmlite_win_rate(const crmlite *db,
                                int64_t pipeline,
                                int64_t *won_out,
                                int64_t *lost_out,
                                int32_t *rate_bp_out);

/**
 * Computes how long deals stayed in each stage of `pipeline` (completed stays only) and
 * writes a cursor over one row per stage, in order, to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with `crmlite_stage_time_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_time_in_stage(const crmlite *db,
                                     int64_t pipeline,
                                     crmlite_stage_time_cursor **cursor_out);

/**
 * Steps a time-in-stage cursor: writes the next row to `*row_out` and returns CRMLITE_ROW,
 * or returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_time_in_stage` and is not freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_stage_time_cursor_next(crmlite_stage_time_cursor *cursor,
                                              const crmlite_stage_time **row_out);

/**
 * Releases a time-in-stage cursor and every row it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_time_in_stage` and is not used afterwards.
 */
void crmlite_stage_time_cursor_free(crmlite_stage_time_cursor *cursor);

/**
 * Writes one time-in-stage row: the stage id to `*stage_out`, its name to `*name_out`, the
 * number of completed stays to `*stays_out`, the mean stay in milliseconds (rounded half away
 * from zero, -1 with no stays) to `*average_ms_out` and the median stay (the mean of the
 * middle two for an even count, rounded the same way; -1 with no stays) to `*median_ms_out`.
 * Ownership: `*name_out` is borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live cursor row; every output is valid for writing.
 */
crmlite_status crmlite_stage_time_details(const crmlite_stage_time *row,
                                          int64_t *stage_out,
                                          const char **name_out,
                                          int64_t *stays_out,
                                          int64_t *average_ms_out,
                                          int64_t *median_ms_out);

/**
 * Counts the deals now lost (in `pipeline`, 0: every pipeline) by lost reason and the stage
 * they were lost at, most frequent first, and writes a cursor over the rows to `*cursor_out`.
 *
 * Ownership: the caller owns `*cursor_out` and frees it with
 * `crmlite_lost_reason_row_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such pipeline), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_lost_reasons_report(const crmlite *db,
                                           int64_t pipeline,
                                           crmlite_lost_reason_row_cursor **cursor_out);

/**
 * Steps a lost-reasons cursor: writes the next row to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_lost_reasons_report` and is not freed; `row_out` is valid for
 * writing.
 */
crmlite_status crmlite_lost_reason_row_cursor_next(crmlite_lost_reason_row_cursor *cursor,
                                                   const crmlite_lost_reason_row **row_out);

/**
 * Releases a lost-reasons cursor and every row it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_lost_reasons_report` and is not used afterwards.
 */
void crmlite_lost_reason_row_cursor_free(crmlite_lost_reason_row_cursor *cursor);

/**
 * Writes one lost-reasons row: the reason's id to `*reason_out` and name to
 * `*reason_name_out`, the stage the deals were lost at to `*stage_out` and its name to
 * `*stage_name_out`, and how many deals to `*deals_out`.
 * Ownership: the names are borrowed from the cursor; valid until it is freed.
 * Threads: the row belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `row` is a live cursor row; every output is valid for writing.
 */
crmlite_status crmlite_lost_reason_row_details(const crmlite_lost_reason_row *row,
                                               int64_t *reason_out,
                                               const char **reason_name_out,
                                               int64_t *stage_out,
                                               const char **stage_name_out,
                                               int64_t *deals_out);

/**
 * Creates a loyalty program named `name` in `currency` where one point is worth
 * `point_value` minor units, with an expiry policy (`CRMLITE_EXPIRY_*`; `expiry_days` for
 * `CRMLITE_EXPIRY_AFTER_DAYS`), `pending_days` of lock for the return window and a reversal
 * policy (`CRMLITE_REVERSAL_*`). Writes the program's id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name`, `currency`, `point_value`,
 * `expiry`, `expiry.days`, `pending_days` or `reversal`), CRMLITE_ERR_CONFLICT (a program
 * with that name exists), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` and `currency` are
 * NUL-terminated strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_program_create(const crmlite *db,
                                      const char *name,
                                      const char *currency,
                                      int64_t point_value,
                                      int32_t expiry_policy,
                                      uint32_t expiry_days,
                                      uint32_t pending_days,
                                      int32_t reversal_policy,
                                      int64_t *id_out);

/**
 * Adds an earn rule of `kind` (`CRMLITE_EARN_*`) to `program`, evaluated at `position`
 * (lower first). `value` is the points (or the percent of a multiplier); `per` is the minor
 * units per step of a `CRMLITE_EARN_PER_AMOUNT` rule (10000 for 100.00) and ignored
 * otherwise. Writes the rule's id to `*id_out`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `name`, `earn.points`,
 * `earn.per` or `earn.percent`), CRMLITE_ERR_NOT_FOUND (no such program),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_earn_rule_add(const crmlite *db,
                                     int64_t program,
                                     const char *name,
                                     int32_t kind,
                                     int64_t value,
                                     int64_t per,
                                     int32_t position,
                                     int64_t *id_out);

/**
 * Opens the card of `customer` in `program` with `code` (NULL for `<program>-<customer>`)
 * and writes its id to `*id_out`.
 *
 * Ownership: `code` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`), CRMLITE_ERR_NOT_FOUND (no
 * such program or customer), CRMLITE_ERR_CONFLICT (the customer has a card in the program,
 * or the code is taken), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` is NULL or a NUL-terminated
 * string; `id_out` is valid for writing.
 */
crmlite_status crmlite_card_open(const crmlite *db,
                                 int64_t program,
                                 int64_t customer,
                                 const char *code,
                                 int64_t *id_out);

/**
 * Finds the card with `code` and writes its id to `*id_out`.
 *
 * Ownership: `code` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `code`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `code` is a NUL-terminated string;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_card_by_code(const crmlite *db, const char *code, int64_t *id_out);

/**
 * Spends `points` from `card`, soonest-expiring lots first, against `order` (0 for none).
 * `key` (NULL for none) makes a retry safe: the same key and request return the first
 * result and change nothing; the same key with another request is CRMLITE_ERR_CONFLICT.
 * Writes the ledger entry's id to `*entry_out`.
 *
 * Ownership: `key` is only read.
 * Threads: `db` may be used from several threads and processes at once; no point is ever
 * spent twice.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points`: not positive or more than
 * available), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `key` is NULL or a NUL-terminated
 * string; `entry_out` is valid for writing.
 */
crmlite_status crmlite_points_redeem(const crmlite *db,
                                     int64_t card,
                                     int64_t points,
                                     int64_t order,
                                     const char *key,
                                     int64_t *entry_out);

/**
 * Corrects the points of `card` by hand with a `reason`: positive `points` make a new lot,
 * negative ones are taken from the available points. `key` as for `crmlite_points_redeem`.
 * Writes the ledger entry's id to `*entry_out`.
 *
 * Ownership: `reason` and `key` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points` or `reason`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `reason` is a NUL-terminated string;
 * `key` is NULL or one; `entry_out` is valid for writing.
 */
crmlite_status crmlite_points_adjust(const crmlite *db,
                                     int64_t card,
                                     int64_t points,
                                     const char *reason,
                                     const char *key,
                                     int64_t *entry_out);

/**
 * Writes the balance of `card` now to `*balance_out`; `expiring` counts the points that
 * expire within `within_days` days.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION (field `days`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `balance_out` is valid for writing.
 */
crmlite_status crmlite_points_balance(const crmlite *db,
                                      int64_t card,
                                      uint32_t within_days,
                                      crmlite_balance *balance_out);

/**
 * Records the expiry of every lot whose time has come at `now_ms` (Unix milliseconds, UTC):
 * only its unspent remainder, once; running it again at the same time changes nothing.
 * Writes the number of lots and of points expired to `*lots_out` and `*points_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `lots_out` and `points_out` are valid
 * for writing.
 */
crmlite_status crmlite_points_expire(const crmlite *db,
                                     int64_t now_ms,
                                     uint64_t *lots_out,
                                     int64_t *points_out);

/**
 * Reads one page of at most `limit` (1-1000) ledger entries of `card`, newest first,
 * starting after the page token `page` (NULL for the first page), and writes a cursor to
 * `*cursor_out`.
 *
 * Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_points_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_points_history(const crmlite *db,
                                      int64_t card,
                                      const char *page,
                                      uint32_t limit,
                                      crmlite_points_cursor **cursor_out);

/**
 * Steps a points cursor: writes the next entry to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_points_history` and is not freed; `row_out` is valid for
 * writing.
 */
crmlite_status crmlite_points_cursor_next(crmlite_points_cursor *cursor,
                                          const crmlite_points_entry **row_out);

/**
 * Writes the token of the page after this one to `*token_out`, or NULL on the last page.
 * Pass it to `crmlite_points_history`.
 *
 * Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_points_history` and is not freed; `token_out` is valid for
 * writing.
 */
crmlite_status crmlite_points_cursor_next_page(const crmlite_points_cursor *cursor,
                                               char **token_out);

/**
 * Releases a points cursor and every entry it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_points_history` and is not used afterwards.
 */
void crmlite_points_cursor_free(crmlite_points_cursor *cursor);

/**
 * Writes the entry's id (for a lot, also the lot's id) to `*id_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_id(const crmlite_points_entry *entry, int64_t *id_out);

/**
 * Writes the entry's kind (a `CRMLITE_ENTRY_*` code) to `*kind_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `kind_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_kind(const crmlite_points_entry *entry, int32_t *kind_out);

/**
 * Writes the entry's signed change of the balance (positive for lots) to `*points_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `points_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_points(const crmlite_points_entry *entry, int64_t *points_out);

/**
 * Writes what caused the entry (`order`, `refund`, `signup`, `manual`, `redemption`,
 * `reward`, `lot`, ...) to `*source_kind_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `source_kind_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_source_kind(const crmlite_points_entry *entry,
                                                const char **source_kind_out);

/**
 * Writes which one caused it (an order or return id, a year; "" if none) to
 * `*source_ref_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `source_ref_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_source_ref(const crmlite_points_entry *entry,
                                               const char **source_ref_out);

/**
 * Writes the reason of an adjustment ("" if none) to `*reason_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `reason_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_reason(const crmlite_points_entry *entry,
                                           const char **reason_out);

/**
 * Writes the id of the order the entry relates to, or 0 for none, to `*order_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `order_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_order(const crmlite_points_entry *entry, int64_t *order_out);

/**
 * Writes when a lot expires (Unix milliseconds, UTC), or 0 when it never does or the entry
 * is not a lot, to `*ms_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_expires_at(const crmlite_points_entry *entry, int64_t *ms_out);

/**
 * Writes when the entry was recorded (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_points_entry_at(const crmlite_points_entry *entry, int64_t *ms_out);

/**
 * Imports a CSV or JSON Lines file held in memory into directory `kind` (`product`,
 * `category`, ... or a user-defined kind), or into `customers` or `organisations`,
 * upserting by external code, or purchase history into `orders` (one row per order line
 * with `receipt`, `customer` (the buyer's external code), `product`, `quantity`,
 * `unit_price`...; a receipt already stored is unchanged), in one transaction. `format` is `csv` or `jsonl`; `encoding`
 * is `utf-8`, `windows-1251`, `windows-1252`, `windows-1253`, `windows-1256` or `armscii-8`;
 * `currency` (may be NULL) is the ISO 4217 code of amounts written without one. With
 * `skip_bad_rows` 0 the first bad row fails the whole import and nothing is written; its
 * field reads `line[N].column` in `crmlite_last_error_field`; an empty file fails on field
 * `file`. The four counts are written
 * to the outputs (`rejected_out` counts skipped rows).
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_NOT_FOUND (unknown kind),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8
 * (`currency` may be NULL); `data` points to `len` readable bytes; the outputs are writable.
 */
crmlite_status crmlite_import(const crmlite *db,
                              const char *kind,
                              const uint8_t *data,
                              size_t len,
                              const char *format,
                              const char *encoding,
                              char delimiter,
                              const char *currency,
                              int32_t skip_bad_rows,
                              int64_t *inserted_out,
                              int64_t *updated_out,
                              int64_t *unchanged_out,
                              int64_t *rejected_out);

/**
 * `crmlite_import` that calls `progress` (may be NULL) with `user_data` every
 * `progress_every` rows read and records written (0 means 1000) and at the end of reading
 * and of writing, always before the commit.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (also when the callback stops the import),
 * CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * As `crmlite_import`; `progress` is NULL or a function that may be called with
 * `user_data` on this thread during the call.
 */
crmlite_status crmlite_import_with_progress(const crmlite *db,
                                            const char *kind,
                                            const uint8_t *data,
                                            size_t len,
                                            const char *format,
                                            const char *encoding,
                                            char delimiter,
                                            const char *currency,
                                            int32_t skip_bad_rows,
                                            crmlite_import_progress_fn progress,
                                            void *user_data,
                                            uint64_t progress_every,
                                            int64_t *inserted_out,
                                            int64_t *updated_out,
                                            int64_t *unchanged_out,
                                            int64_t *rejected_out);

/**
 * `crmlite_import_with_progress` with `flags` (a sum of `CRMLITE_IMPORT_*` bits) instead of
 * `skip_bad_rows`: `CRMLITE_IMPORT_SKIP_BAD_ROWS` skips bad rows,
 * `CRMLITE_IMPORT_KNOWN_PRODUCTS` (orders) rejects a line whose `product` is not the code of
 * an active entry of the `product` directory (field `product`). An unknown bit is a
 * validation error on `flags`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (also when the callback stops the import),
 * CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * As `crmlite_import_with_progress`; `progress` is NULL or a function that may be called with
 * `user_data` on this thread during the call.
 */
crmlite_status crmlite_import_with_flags(const crmlite *db,
                                         const char *kind,
                                         const uint8_t *data,
                                         size_t len,
                                         const char *format,
                                         const char *encoding,
                                         char delimiter,
                                         const char *currency,
                                         uint32_t flags,
                                         crmlite_import_progress_fn progress,
                                         void *user_data,
                                         uint64_t progress_every,
                                         int64_t *inserted_out,
                                         int64_t *updated_out,
                                         int64_t *unchanged_out,
                                         int64_t *rejected_out);

/**
 * Exports every entry of directory `kind` as a file in `format` (`csv` or `jsonl`) and
 * `encoding`, with `delimiter` and, if `decimal_comma` is not 0, decimal commas. Writes the
 * bytes (no NUL inside, NUL-terminated) to `*data_out` and their number to `*len_out`.
 *
 * Ownership: the caller owns `*data_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (a character the encoding lacks names
 * `entries[CODE]`), CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * the outputs are writable.
 */
crmlite_status crmlite_export(const crmlite *db,
                              const char *kind,
                              const char *format,
                              const char *encoding,
                              char delimiter,
                              int32_t decimal_comma,
                              char **data_out,
                              size_t *len_out);

/**
 * Writes the changes after sync consumer `consumer`'s cursor (at most `limit`, 1-1000) to
 * `*json_out` as JSON Lines, one `{"change":{"seq":..},"record":..}` per line with each
 * record's current state (or `{"type":"tombstone"}`); amounts are integer minor units.
 * Apply them, then call `crmlite_sync_ack` with the last `seq`.
 *
 * Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`name`, `limit`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8;
 * `json_out` is writable.
 */
crmlite_status crmlite_sync_pull(const crmlite *db,
                                 const char *consumer,
                                 uint32_t limit,
                                 char **json_out);

/**
 * Acknowledges every change up to `seq` for sync consumer `consumer`; the cursor never
 * moves back or past the newest change.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`seq`, `name`), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8.
 */
crmlite_status crmlite_sync_ack(const crmlite *db, const char *consumer, int64_t seq);

/**
 * Writes the position sync consumer `consumer` has acknowledged (0 at first) to `*seq_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `consumer` is NUL-terminated UTF-8;
 * `seq_out` is writable.
 */
crmlite_status crmlite_sync_cursor(const crmlite *db, const char *consumer, int64_t *seq_out);

/**
 * Creates or replaces the entry `(kind, external_code)` named `name`. Field `i` is named
 * `field_names[i]` and holds `field_values[i]` written as in an import file (`"1 250,50"`,
 * `"20%"`, `"07.12.2026"`, `"۱۲۰"`, a referenced entry's code); an empty value leaves the
 * field unset. `currency` (may be NULL) is the ISO 4217 code of amounts written without
 * one. Writes the stored entry to `*entry_out` and `CRMLITE_UPSERT_INSERTED`, `_UPDATED` or
 * `_UNCHANGED` to `*outcome_out`.
 *
 * Ownership: the inputs are only read. The caller owns `*entry_out` and frees it with
 * `crmlite_entry_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `fields.price`, `external_code`...),
 * CRMLITE_ERR_NOT_FOUND (unknown kind), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8
 * (`currency` may be NULL); `field_names` and `field_values` each point to `field_count`
 * strings (both may be NULL when `field_count` is 0); the outputs are writable.
 */
crmlite_status crmlite_entry_upsert(const crmlite *db,
                                    const char *kind,
                                    const char *external_code,
                                    const char *name,
                                    const char *const *field_names,
                                    const char *const *field_values,
                                    size_t field_count,
                                    const char *currency,
                                    crmlite_entry **entry_out,
                                    int32_t *outcome_out);

/**
 * Reads the entry of directory `kind` with external code `code` (archived or not) and
 * writes it to `*entry_out`.
 *
 * Ownership: the caller owns `*entry_out` and frees it with `crmlite_entry_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * `entry_out` is writable.
 */
crmlite_status crmlite_entry_get(const crmlite *db,
                                 const char *kind,
                                 const char *code,
                                 crmlite_entry **entry_out);

/**
 * Releases an entry returned by `crmlite_entry_upsert` or `crmlite_entry_get`.
 *
 * Ownership: takes back ownership of `entry`.
 * Threads: any thread, once no other thread uses the entry.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `entry` is NULL or came from `crmlite_entry_upsert`/`crmlite_entry_get` and is not used
 * afterwards.
 */
void crmlite_entry_free(crmlite_entry *entry);

/**
 * Writes the entry's id to `*id_out` (for `crmlite_external_id_map`).
 *
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `id_out` is writable.
 */
crmlite_status crmlite_entry_id(const crmlite_entry *entry, int64_t *id_out);

/**
 * Writes the entry's kind to `*kind_out`.
 *
 * Ownership: `*kind_out` is borrowed from the entry; valid until it is freed.
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `kind_out` is writable.
 */
crmlite_status crmlite_entry_kind(const crmlite_entry *entry, const char **kind_out);

/**
 * Writes the entry's external code to `*code_out`.
 *
 * Ownership: `*code_out` is borrowed from the entry; valid until it is freed.
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `code_out` is writable.
 */
crmlite_status crmlite_entry_code(const crmlite_entry *entry, const char **code_out);

/**
 * Writes the entry's name to `*name_out`.
 *
 * Ownership: `*name_out` is borrowed from the entry; valid until it is freed.
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `name_out` is writable.
 */
crmlite_status crmlite_entry_name(const crmlite_entry *entry, const char **name_out);

/**
 * Writes 1 to `*archived_out` if the entry is archived, else 0.
 *
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `archived_out` is writable.
 */
crmlite_status crmlite_entry_archived(const crmlite_entry *entry, int32_t *archived_out);

/**
 * Writes the entry's version (1 when created, +1 per change) to `*version_out`.
 *
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `version_out` is writable.
 */
crmlite_status crmlite_entry_version(const crmlite_entry *entry, int64_t *version_out);

/**
 * Writes field `field` of the entry as text to `*value_out`, or NULL if the entry has no
 * value for it: money as `1250.50 AMD`, percentages and decimals with a decimal point,
 * dates as `2026-12-07`, references as the referenced entry's code.
 *
 * Ownership: `*value_out` is borrowed from the entry; valid until it is freed.
 * Threads: an entry belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live entry; `field` is NUL-terminated UTF-8; `value_out` is writable.
 */
crmlite_status crmlite_entry_field(const crmlite_entry *entry,
                                   const char *field,
                                   const char **value_out);

/**
 * Maps record `id` of kind `entity` (any record kind with an id: `customer` for persons
 * and organisations, `deal`, `order`, `return`, `directory_entry`, `loyalty_card`, `task`,
 * `template`...) to `external_id` in external system `system` (`1c`, `erp`...). A record
 * may have ids in several systems. Mapping the same pair again is fine; a pair already
 * mapped to another record is a conflict (its message starts with `external_id:`).
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`system`, `external_id`, `entity`),
 * CRMLITE_ERR_NOT_FOUND (no such record), CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
 */
crmlite_status crmlite_external_id_map(const crmlite *db,
                                       const char *system,
                                       const char *external_id,
                                       const char *entity,
                                       int64_t id);

/**
 * Looks up `external_id` of external system `system`: writes the record's id to `*id_out`
 * and its kind (`customer`, `order`, `directory_entry`...) to `*entity_out`.
 *
 * Ownership: the caller owns `*entity_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (not mapped), CRMLITE_ERR_VALIDATION,
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * the outputs are writable.
 */
crmlite_status crmlite_external_id_resolve(const crmlite *db,
                                           const char *system,
                                           const char *external_id,
                                           char **entity_out,
                                           int64_t *id_out);

/**
 * Reads the directory entry with id `id` and writes it to `*entry_out`.
 *
 * Ownership: the caller owns `*entry_out` and frees it with `crmlite_entry_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `entry_out` is writable.
 */
crmlite_status crmlite_entry_get_by_id(const crmlite *db, int64_t id, crmlite_entry **entry_out);

/**
 * Archives (`archived` 1) or restores (`archived` 0) the entry `(kind, code)`; an archived
 * entry keeps its references and history and is left out of lists.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_VALIDATION, CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
 */
crmlite_status crmlite_entry_archive(const crmlite *db,
                                     const char *kind,
                                     const char *code,
                                     int32_t archived);

/**
 * Deletes the entry `(kind, code)` with its external ids; an entry that other entries
 * reference is a conflict (archive it instead).
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
 */
crmlite_status crmlite_entry_delete(const crmlite *db, const char *kind, const char *code);

/**
 * Writes directory kind `name` (built in or user-defined) to `*json_out` as one JSON
 * object: `{"name","label","builtin","fields":[{"name","type","required"}]}`.
 *
 * Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is NUL-terminated UTF-8;
 * `json_out` is writable.
 */
crmlite_status crmlite_directory_kind(const crmlite *db, const char *name, char **json_out);

/**
 * Writes every directory kind (built-in ones first) to `*json_out` as a JSON array of the
 * objects `crmlite_directory_kind` writes.
 *
 * Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `json_out` is writable.
 */
crmlite_status crmlite_directory_kinds(const crmlite *db, char **json_out);

/**
 * Defines a user-defined directory kind `name` labelled `label` with `field_count` typed
 * fields: field `i` is named `field_names[i]`, has type `field_types[i]` (`text`,
 * `integer`, `decimal:N`, `money`, `percent`, `boolean`, `date`, `currency` or
 * `reference:KIND`) and is required when `field_required[i]` is not 0.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`name`, `fields[1].type`...),
 * CRMLITE_ERR_CONFLICT (the name is used), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * `field_names`, `field_types` and `field_required` each point to `field_count` elements
 * (all may be NULL when `field_count` is 0).
 */
crmlite_status crmlite_directory_define(const crmlite *db,
                                        const char *name,
                                        const char *label,
                                        const char *const *field_names,
                                        const char *const *field_types,
                                        const int32_t *field_required,
                                        size_t field_count);

/**
 * Looks up the price of product `sku` in price list `price_list` valid on day `on`
 * (`YYYY-MM-DD`): writes 1 to `*found_out`, the amount in minor units to `*minor_out` and
 * the ISO 4217 code to `*currency_out`; or 0 to `*found_out` (and nothing else) when the
 * list has no price for it that day.
 *
 * Ownership: the caller owns `*currency_out` (when set) and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (`on`), CRMLITE_ERR_NOT_FOUND (no such price
 * list or product), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * the outputs are writable.
 */
crmlite_status crmlite_product_price(const crmlite *db,
                                     const char *price_list,
                                     const char *sku,
                                     const char *on,
                                     int32_t *found_out,
                                     int64_t *minor_out,
                                     char **currency_out);

/**
 * Writes the id record `(entity, id)` has in external system `system` to
 * `*external_id_out` (the first by external id if it has several there): the lookup from
 * the crmlite side, the other way round from `crmlite_external_id_resolve`.
 *
 * Ownership: the caller owns `*external_id_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such record, or no id in that system),
 * CRMLITE_ERR_VALIDATION (`system`, `entity`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * `external_id_out` is writable.
 */
crmlite_status crmlite_external_id_of(const crmlite *db,
                                      const char *system,
                                      const char *entity,
                                      int64_t id,
                                      char **external_id_out);

/**
 * Writes every external id of record `(entity, id)` to `*json_out` as a JSON array, by
 * system: `[{"id":..,"system":"1c","external_id":"..","entity":"order","entity_id":..,
 * "created_at":..}]` (times in Unix milliseconds).
 *
 * Ownership: the caller owns `*json_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (no such record), CRMLITE_ERR_VALIDATION
 * (`entity`), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `entity` is NUL-terminated UTF-8;
 * `json_out` is writable.
 */
crmlite_status crmlite_external_ids(const crmlite *db,
                                    const char *entity,
                                    int64_t id,
                                    char **json_out);

/**
 * Removes the mapping of `external_id` in external system `system`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND (not mapped), CRMLITE_ERR_VALIDATION,
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8.
 */
crmlite_status crmlite_external_id_unmap(const crmlite *db,
                                         const char *system,
                                         const char *external_id);

/**
 * Writes the changes after sync consumer `consumer`'s cursor (at most `limit`, 1-1000) with
 * each record's current state as a file in `*data_out` (`*len_out` bytes, NUL-terminated):
 * `format` `csv` (columns `seq`, `at`, `op`, `entity`, `entity_id`, `type`, `record`, the
 * record as JSON; spreadsheet-safe) or `jsonl` (as `crmlite_sync_pull`), in `encoding`
 * (`utf-8`, `windows-1251`, ..., `armscii-8`) with `delimiter`. Does not move the cursor.
 *
 * Ownership: the caller owns `*data_out` and frees it with `crmlite_string_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (a character the encoding lacks names
 * `changes[SEQ]`; `limit`, `format`, `encoding`, `delimiter`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; the strings are NUL-terminated UTF-8;
 * the outputs are writable.
 */
crmlite_status crmlite_export_changes(const crmlite *db,
                                      const char *consumer,
                                      uint32_t limit,
                                      const char *format,
                                      const char *encoding,
                                      char delimiter,
                                      char **data_out,
                                      size_t *len_out);

/**
 * Adds a tier named `name` to `program`, reached from `threshold` (points earned, or minor
 * units spent, within the program's tier window). Writes the tier's id to `*id_out`.
 *
 * Ownership: `name` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `name` or `threshold`),
 * CRMLITE_ERR_NOT_FOUND (no such program), CRMLITE_ERR_CONFLICT (a tier of that name
 * exists), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
 * `id_out` is valid for writing.
 */
crmlite_status crmlite_tier_add(const crmlite *db,
                                int64_t program,
                                const char *name,
                                int64_t threshold,
                                int64_t *id_out);

/**
 * Writes the id of the current tier of `card` to `*tier_out`, or 0 when it has none.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `tier_out` is valid for writing.
 */
crmlite_status crmlite_card_tier(const crmlite *db, int64_t card, int64_t *tier_out);

/**
 * Re-evaluates the tier of `card` now (downgrades when nothing else happened; a change is
 * noted on the customer's timeline) and writes the resulting tier id, or 0 for none, to
 * `*tier_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `tier_out` is valid for writing.
 */
crmlite_status crmlite_card_refresh_tier(const crmlite *db, int64_t card, int64_t *tier_out);

/**
 * Adds a reward of `kind` (`CRMLITE_REWARD_*`) to the catalogue of `program`, costing
 * `required_points`. `value` is the percent or the amount in minor units (ignored for a
 * free product); `product` names the free product (NULL for the other kinds). Writes the
 * reward's id to `*id_out`.
 *
 * Ownership: `name` and `product` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `name`, `product`, `kind.product`,
 * `required_points`, `kind.percent` or `kind.amount`), CRMLITE_ERR_NOT_FOUND (no such
 * program), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `name` is a NUL-terminated string;
 * `product` is NULL or one; `id_out` is valid for writing.
 */
crmlite_status crmlite_reward_add(const crmlite *db,
                                  int64_t program,
                                  const char *name,
                                  int32_t kind,
                                  int64_t value,
                                  const char *product,
                                  int64_t required_points,
                                  int64_t *id_out);

/**
 * Spends the points `reward` costs from `card`, against `order` (0 for none; a discount
 * reward needs one), and writes what it gave to `*redemption_out`. `key` (NULL for none)
 * makes a retry safe as for `crmlite_points_redeem`.
 *
 * Ownership: `key` is only read.
 * Threads: `db` may be used from several threads and processes at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `points`: fewer available than the
 * reward costs; `reward`: of another program or not valid now; `order`), CRMLITE_ERR_NOT_FOUND,
 * CRMLITE_ERR_CONFLICT, CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `key` is NULL or a NUL-terminated
 * string; `redemption_out` is valid for writing.
 */
crmlite_status crmlite_reward_redeem(const crmlite *db,
                                     int64_t card,
                                     int64_t reward,
                                     int64_t order,
                                     const char *key,
                                     crmlite_redemption *redemption_out);

/**
 * Writes the points `program` issued, redeemed, expired and reversed with
 * `from_ms <= at < until_ms` (Unix milliseconds, UTC), and the points pending and
 * outstanding now with their liability, to `*metrics_out`.
 *
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `until`: not after `from`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `metrics_out` is valid for writing.
 */
crmlite_status crmlite_program_metrics(const crmlite *db,
                                       int64_t program,
                                       int64_t from_ms,
                                       int64_t until_ms,
                                       crmlite_points_metrics *metrics_out);

/**
 * Records a purchase of `customer` in `currency` (ISO 4217) with `count` lines: line `i`
 * is `quantities[i]` units of `products[i]` at `unit_prices[i]` minor units (luma for AMD).
 * `external_id` is the receipt number (NULL for none): the same receipt sent again returns
 * the first order and changes nothing. `at_ms` is when it was bought (Unix milliseconds,
 * UTC; 0 means now). Points are awarded on every card the customer holds in a program of
 * that currency. Writes the order's id to `*id_out`.
 *
 * Ownership: every string and array is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `currency`, `lines`, `lines[i].quantity`,
 * `lines[i].unit_price`, `products[i]`, ...), CRMLITE_ERR_NOT_FOUND (no such customer),
 * CRMLITE_ERR_CONFLICT (the receipt number was used for other content), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `currency` is a NUL-terminated string;
 * `external_id` is NULL or one; `products`, `quantities` and `unit_prices` each point to
 * `count` elements (or are NULL with a count of 0); `id_out` is valid for writing.
 */
crmlite_status crmlite_order_record(const crmlite *db,
                                    int64_t customer,
                                    const char *currency,
                                    const char *external_id,
                                    const char *const *products,
                                    const int64_t *quantities,
                                    const int64_t *unit_prices,
                                    size_t count,
                                    int64_t at_ms,
                                    int64_t *id_out);

/**
 * Records a return of `count` lines of `order`: `quantities[i]` units of order line
 * `lines[i]` (lines count from 0). The points those lines earned are reversed on every card
 * that earned them, as the program's reversal policy says. Writes the return's id to
 * `*id_out`.
 *
 * Ownership: the arrays are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `lines`, `lines[i].line` for a line
 * already returned, `lines[i].quantity` for more than is left), CRMLITE_ERR_NOT_FOUND (no
 * such order), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `lines` and `quantities` each point to
 * `count` elements (or are NULL with a count of 0); `id_out` is valid for writing.
 */
crmlite_status crmlite_return_record(const crmlite *db,
                                     int64_t order,
                                     const uint32_t *lines,
                                     const int64_t *quantities,
                                     size_t count,
                                     int64_t *id_out);

/**
 * Opens a complaint of `customer` with a `severity` (a `CRMLITE_SEVERITY_*` code) whose
 * deadlines come from its SLA, and writes its id to `*id_out`. `deal`, `order` and
 * `category_entry` (a directory entry) are 0 for none; the strings other than `subject` may
 * be NULL for empty. It goes on the customer's timeline and fires `complaint_opened`
 * triggers in the same transaction.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `customer`, `severity`, `subject`,
 * `description`, `channel`, `category`, `category_entry`, `deal`, `order`, `assignee` or
 * `by`), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `subject` is a NUL-terminated string,
 * the other strings NULL or NUL-terminated; `id_out` is valid for writing.
 */
crmlite_status crmlite_complaint_open(const crmlite *db,
                                      int64_t customer,
                                      int32_t severity,
                                      const char *subject,
                                      const char *description,
                                      const char *channel,
                                      const char *category,
                                      int64_t category_entry,
                                      int64_t deal,
                                      int64_t order,
                                      const char *assignee,
                                      const char *by,
                                      int64_t *id_out);

/**
 * Reads complaint `id` and writes it to `*complaint_out`.
 *
 * Ownership: the caller owns `*complaint_out` and frees it with `crmlite_complaint_free`.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `complaint_out` is valid for writing.
 */
crmlite_status crmlite_complaint_get(const crmlite *db,
                                     int64_t id,
                                     crmlite_complaint **complaint_out);

/**
 * Releases a complaint read with `crmlite_complaint_get`.
 *
 * Ownership: takes back ownership of `complaint`.
 * Threads: any thread, once no other thread uses it.
 * Calling with NULL is fine. Do not call twice. Never pass a cursor row.
 *
 * # Safety
 * `complaint` is NULL or came from `crmlite_complaint_get` and is not used afterwards.
 */
void crmlite_complaint_free(crmlite_complaint *complaint);

/**
 * Hands complaint `id`, still at `version`, to `assignee` ("" unassigns) and writes its new
 * version to `*version_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `assignee` or `by`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version, or the complaint is closed),
 * CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `assignee` is a NUL-terminated string;
 * `by` is NULL or one; `version_out` is valid for writing.
 */
crmlite_status crmlite_complaint_assign(const crmlite *db,
                                        int64_t id,
                                        int64_t version,
                                        const char *assignee,
                                        const char *by,
                                        int64_t *version_out);

/**
 * Moves complaint `id`, still at `version`, to status `to` (a `CRMLITE_COMPLAINT_*` code):
 * open -> in progress, open or in progress -> resolved (`note` is the resolution and is
 * required), resolved -> closed, resolved or closed -> open (a reopen). Writes the new
 * version to `*version_out`. Resolving fires `complaint_resolved` triggers.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `to`, `resolution`, `note` or `by`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_CONFLICT (stale version or a move the lifecycle does
 * not allow), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `note` and `by` are NULL or
 * NUL-terminated strings; `version_out` is valid for writing.
 */
crmlite_status crmlite_complaint_move(const crmlite *db,
                                      int64_t id,
                                      int64_t version,
                                      int32_t to,
                                      const char *note,
                                      const char *by,
                                      int64_t *version_out);

/**
 * Reads one page of at most `limit` (1-1000) complaints in id order, of `status` (a
 * `CRMLITE_COMPLAINT_*` code, or -1 for any), `assignee` (NULL for any) and `customer` (0
 * for any), after the page token `page` (NULL for the first page); writes a cursor to
 * `*cursor_out`.
 *
 * Ownership: the strings are only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_complaint_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `status`, `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `assignee` and `page` are NULL or
 * NUL-terminated strings; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_complaint_list(const crmlite *db,
                                      int32_t status,
                                      const char *assignee,
                                      int64_t customer,
                                      const char *page,
                                      uint32_t limit,
                                      crmlite_complaint_cursor **cursor_out);

/**
 * Reads one page of at most `limit` (1-1000) open or in-progress complaints that missed
 * their response or resolution deadline as of the database's clock, in id order, after the
 * page token `page` (NULL for the first page); writes a cursor to `*cursor_out`.
 *
 * Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_complaint_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_complaint_overdue(const crmlite *db,
                                         const char *page,
                                         uint32_t limit,
                                         crmlite_complaint_cursor **cursor_out);

/**
 * Steps a complaint cursor: writes the next complaint to `*row_out` and returns
 * CRMLITE_ROW, or returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_complaint_list` or `crmlite_complaint_overdue` and is not
 * freed; `row_out` is valid for writing.
 */
crmlite_status crmlite_complaint_cursor_next(crmlite_complaint_cursor *cursor,
                                             const crmlite_complaint **row_out);

/**
 * Writes the token of the page after this one to `*token_out`, or NULL on the last page.
 *
 * Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` is a live complaint cursor; `token_out` is valid for writing.
 */
crmlite_status crmlite_complaint_cursor_next_page(const crmlite_complaint_cursor *cursor,
                                                  char **token_out);

/**
 * Releases a complaint cursor and every complaint it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or a complaint cursor that is not used afterwards.
 */
void crmlite_complaint_cursor_free(crmlite_complaint_cursor *cursor);

/**
 * Writes the complaint's id to `*id_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `id_out` is valid for writing.
 */
crmlite_status crmlite_complaint_id(const crmlite_complaint *complaint, int64_t *id_out);

/**
 * Writes the complaint's version (pass it to the next change) to `*version_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `version_out` is valid for writing.
 */
crmlite_status crmlite_complaint_version(const crmlite_complaint *complaint, int64_t *version_out);

/**
 * Writes the id of the customer who complained to `*customer_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `customer_out` is valid for writing.
 */
crmlite_status crmlite_complaint_customer(const crmlite_complaint *complaint,
                                          int64_t *customer_out);

/**
 * Writes the complaint's status (a `CRMLITE_COMPLAINT_*` code) to `*status_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `status_out` is valid for writing.
 */
crmlite_status crmlite_complaint_status(const crmlite_complaint *complaint, int32_t *status_out);

/**
 * Writes the complaint's severity (a `CRMLITE_SEVERITY_*` code) to `*severity_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `severity_out` is valid for writing.
 */
crmlite_status crmlite_complaint_severity(const crmlite_complaint *complaint,
                                          int32_t *severity_out);

/**
 * Writes the complaint's subject to `*subject_out`.
 *
 * Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `subject_out` is valid for writing.
 */
crmlite_status crmlite_complaint_subject(const crmlite_complaint *complaint,
                                         const char **subject_out);

/**
 * Writes who handles the complaint ("" for nobody) to `*assignee_out`.
 *
 * Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `assignee_out` is valid for writing.
 */
crmlite_status crmlite_complaint_assignee(const crmlite_complaint *complaint,
                                          const char **assignee_out);

/**
 * Writes the complaint's resolution note ("" until resolved) to `*resolution_out`.
 *
 * Ownership: borrowed from the complaint; valid until it (or its cursor) is freed.
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; `resolution_out` is valid for writing.
 */
crmlite_status crmlite_complaint_resolution(const crmlite_complaint *complaint,
                                            const char **resolution_out);

/**
 * Writes the complaint's response and resolution deadlines (Unix milliseconds, UTC) to
 * `*response_due_out` and `*resolution_due_out`.
 *
 * Threads: the complaint belongs to its owner's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `complaint` is live; both outputs are valid for writing.
 */
crmlite_status crmlite_complaint_due(const crmlite_complaint *complaint,
                                     int64_t *response_due_out,
                                     int64_t *resolution_due_out);

/**
 * Records an NPS answer of `customer` with `score` (0-10), a `comment` and a `survey` (a
 * survey or campaign reference; a customer answers a named survey once), answered at
 * `at_ms` (Unix milliseconds, UTC; 0 for the database's now). Writes its id to `*id_out`.
 *
 * Ownership: the strings are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `score`, `customer`, `comment` or
 * `survey`), CRMLITE_ERR_CONFLICT (the survey was answered), CRMLITE_ERR_STORAGE,
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `comment` and `survey` are NULL or
 * NUL-terminated strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_nps_record(const crmlite *db,
                                  int64_t customer,
                                  int64_t score,
                                  const char *comment,
                                  const char *survey,
                                  int64_t at_ms,
                                  int64_t *id_out);

/**
 * Computes NPS over answers with `from_ms <= at < until_ms` (of `survey`, or every survey
 * when NULL) and writes it to `*report_out`.
 *
 * Ownership: `survey` is only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `until`), CRMLITE_ERR_STORAGE or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `survey` is NULL or a NUL-terminated
 * string; `report_out` is valid for writing.
 */
crmlite_status crmlite_nps_report(const crmlite *db,
                                  int64_t from_ms,
                                  int64_t until_ms,
                                  const char *survey,
                                  crmlite_nps_figures *report_out);

/**
 * A fixed English description of a status code, e.g. "not found".
 *
 * Ownership: the string is static; do not free it.
 * Threads: any thread.
 * An unknown code gives "unknown status".
 *
 * # Safety
 * None: any `code` is accepted.
 */
const char *crmlite_errstr(int32_t code);

/**
 * Frees a string that crmlite returned to the caller (never use the C library's `free()`).
 *
 * Ownership: takes back ownership of `text`.
 * Threads: any thread.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `text` is NULL or a string returned by crmlite as owned by the caller, not yet freed.
 */
void crmlite_string_free(char *text);

/**
 * Records an interaction of `kind` (a `CRMLITE_TIMELINE_*` code) on the timeline of
 * `customer`, with a one-line `summary` and a `body` ("" for none), at `at_ms` (Unix
 * milliseconds, UTC; 0 means now). Writes the new entry's id to `*id_out`.
 *
 * Ownership: `summary` and `body` are only read.
 * Threads: `db` may be used from several threads at once.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `kind`, `summary` or `body`),
 * CRMLITE_ERR_NOT_FOUND (no such customer), CRMLITE_ERR_STORAGE, CRMLITE_ERR_BUSY or
 * CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `summary` and `body` are
 * NUL-terminated strings; `id_out` is valid for writing.
 */
crmlite_status crmlite_timeline_add(const crmlite *db,
                                    int64_t customer,
                                    int32_t kind,
                                    const char *summary,
                                    const char *body,
                                    int64_t at_ms,
                                    int64_t *id_out);

/**
 * Reads one page of at most `limit` (1-1000) entries of the timeline of `customer`, newest
 * first, starting after the page token `page` (NULL for the first page), and writes a
 * cursor to `*cursor_out`. An organisation's timeline also holds the entries of the
 * people linked to it.
 *
 * Ownership: `page` is only read. The caller owns `*cursor_out` and frees it with
 * `crmlite_timeline_cursor_free`.
 * Threads: `db` may be used from several threads at once; the cursor by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `cursor` or `limit`),
 * CRMLITE_ERR_NOT_FOUND, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `page` is NULL or a NUL-terminated
 * string; `cursor_out` is valid for writing.
 */
crmlite_status crmlite_timeline_list(const crmlite *db,
                                     int64_t customer,
                                     const char *page,
                                     uint32_t limit,
                                     crmlite_timeline_cursor **cursor_out);

/**
 * Steps a timeline cursor: writes the next entry to `*row_out` and returns CRMLITE_ROW, or
 * returns CRMLITE_DONE when there are no more.
 *
 * Ownership: `*row_out` is borrowed from the cursor and valid until the cursor is freed.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_ROW, CRMLITE_DONE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_timeline_list` and is not freed; `row_out` is valid for
 * writing.
 */
crmlite_status crmlite_timeline_cursor_next(crmlite_timeline_cursor *cursor,
                                            const crmlite_timeline_entry **row_out);

/**
 * Writes the token of the page after this one to `*token_out`, or NULL on the last page.
 * Pass it to `crmlite_timeline_list`.
 *
 * Ownership: the caller owns `*token_out` and frees it with `crmlite_string_free`.
 * Threads: a cursor belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `cursor` comes from `crmlite_timeline_list` and is not freed; `token_out` is valid for
 * writing.
 */
crmlite_status crmlite_timeline_cursor_next_page(const crmlite_timeline_cursor *cursor,
                                                 char **token_out);

/**
 * Releases a timeline cursor and every entry it lent.
 *
 * Ownership: takes back ownership of `cursor`.
 * Threads: any thread, once no other thread uses the cursor.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `cursor` is NULL or came from `crmlite_timeline_list` and is not used afterwards.
 */
void crmlite_timeline_cursor_free(crmlite_timeline_cursor *cursor);

/**
 * Writes the entry's id to `*id_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `id_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_id(const crmlite_timeline_entry *entry, int64_t *id_out);

/**
 * Writes the id of the customer the entry belongs to to `*customer_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `customer_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_customer(const crmlite_timeline_entry *entry,
                                               int64_t *customer_out);

/**
 * Writes the entry's kind (a `CRMLITE_TIMELINE_*` code) to `*kind_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `kind_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_kind(const crmlite_timeline_entry *entry, int32_t *kind_out);

/**
 * Writes when the interaction happened (Unix milliseconds, UTC) to `*ms_out`.
 *
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `ms_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_at(const crmlite_timeline_entry *entry, int64_t *ms_out);

/**
 * Writes the entry's one-line summary to `*summary_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `summary_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_summary(const crmlite_timeline_entry *entry,
                                              const char **summary_out);

/**
 * Writes the entry's body text ("" if none) to `*body_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `body_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_body(const crmlite_timeline_entry *entry,
                                           const char **body_out);

/**
 * Writes who recorded the entry ("" if unknown) to `*author_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `author_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_author(const crmlite_timeline_entry *entry,
                                             const char **author_out);

/**
 * Writes the record the entry comes from (such as `customer:7`, "" if none) to
 * `*source_out`.
 *
 * Ownership: borrowed from the cursor; valid until it is freed.
 * Threads: the entry belongs to its cursor's thread.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `entry` is a live cursor row; `source_out` is valid for writing.
 */
crmlite_status crmlite_timeline_entry_source(const crmlite_timeline_entry *entry,
                                             const char **source_out);

/**
 * Opens a transaction owned by the calling thread. Until `crmlite_transaction_commit` or
 * `crmlite_transaction_rollback`, every call this thread makes on `db` runs in it and sees its
 * uncommitted changes; a call that fails undoes only its own changes and reports its error as
 * usual. Other threads read the last committed state, and their writes wait until it ends.
 * Transactions do not nest. `crmlite_close` rolls back a transaction still open.
 *
 * Threads: only the calling thread may commit or roll it back.
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: this thread already has
 * one open), CRMLITE_ERR_BUSY, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_transaction_begin(const crmlite *db);

/**
 * Makes every change of the calling thread's transaction durable and closes it. If the
 * commit fails, nothing of the transaction is kept and it is closed all the same.
 *
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: no transaction is open on
 * this thread), CRMLITE_ERR_BUSY, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_transaction_commit(const crmlite *db);

/**
 * Undoes every change of the calling thread's transaction and closes it.
 *
 * Returns CRMLITE_OK, CRMLITE_ERR_VALIDATION (field `transaction`: no transaction is open on
 * this thread), CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed.
 */
crmlite_status crmlite_transaction_rollback(const crmlite *db);

/**
 * Writes whether the calling thread has a transaction open on `db` to `*open_out`.
 *
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `open_out` is valid for writing.
 */
crmlite_status crmlite_transaction_active(const crmlite *db, bool *open_out);

/**
 * Runs every invariant check in one read snapshot (the storage engine's integrity, foreign
 * keys, the change feed, ledger sums and lot conservation, ...) and writes the report to
 * `*report_out`. Never changes anything. A report with violations is still CRMLITE_OK: read
 * `crmlite_verify_report_ok`.
 *
 * Ownership: the caller owns `*report_out` and frees it with `crmlite_verify_report_free`.
 * Threads: `db` may be used from several threads at once; the report by one at a time.
 * Returns CRMLITE_OK, CRMLITE_ERR_STORAGE (the checks could not run, e.g. a corrupt file),
 * CRMLITE_ERR_BUSY or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `db` comes from `crmlite_open` and is not closed; `report_out` is valid for writing.
 */
crmlite_status crmlite_verify(const crmlite *db, crmlite_verify_report **report_out);

/**
 * Releases a verify report and every string it lent.
 *
 * Ownership: takes back ownership of `report`.
 * Threads: any thread, once no other thread uses the report.
 * Calling with NULL is fine. Do not call twice.
 *
 * # Safety
 * `report` is NULL or came from `crmlite_verify` and is not used afterwards.
 */
void crmlite_verify_report_free(crmlite_verify_report *report);

/**
 * Writes whether every invariant holds (no check found a violation) to `*ok_out`.
 *
 * Threads: a report belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `report` is a live report; `ok_out` is valid for writing.
 */
crmlite_status crmlite_verify_report_ok(const crmlite_verify_report *report, bool *ok_out);

/**
 * Writes how many checks ran to `*count_out`.
 *
 * Threads: a report belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE.
 *
 * # Safety
 * `report` is a live report; `count_out` is valid for writing.
 */
crmlite_status crmlite_verify_report_count(const crmlite_verify_report *report, size_t *count_out);

/**
 * Writes the stable name of check `index` (e.g. `points_balance_is_ledger_sum`) to `*name_out`.
 *
 * Ownership: borrowed from the report; valid until it is freed.
 * Threads: a report belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `report` is a live report; `name_out` is valid for writing.
 */
crmlite_status crmlite_verify_report_name_at(const crmlite_verify_report *report,
                                             size_t index,
                                             const char **name_out);

/**
 * Writes how many records break check `index` (0 when it holds) to `*violations_out`.
 *
 * Threads: a report belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `report` is a live report; `violations_out` is valid for writing.
 */
crmlite_status crmlite_verify_report_violations_at(const crmlite_verify_report *report,
                                                   size_t index,
                                                   int64_t *violations_out);

/**
 * Writes what check `index` found (empty when it holds) to `*detail_out`.
 *
 * Ownership: borrowed from the report; valid until it is freed.
 * Threads: a report belongs to one thread at a time.
 * Returns CRMLITE_OK or CRMLITE_ERR_MISUSE (also for an index out of range).
 *
 * # Safety
 * `report` is a live report; `detail_out` is valid for writing.
 */
crmlite_status crmlite_verify_report_detail_at(const crmlite_verify_report *report,
                                               size_t index,
                                               const char **detail_out);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* CRMLITE_H */
