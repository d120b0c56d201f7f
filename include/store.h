/* store.h: the sqlite store: schema, migrations, transactions and the writes of the import. */
#ifndef ARFDESK_STORE_H
#define ARFDESK_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "report.h"

struct store;

/* Open the database: to write (created with mode 0600 and migrated when needed), or read-only
 * (it must exist and be up to date). Another program's sqlite database is refused untouched.
 * A connection waits for another's write lock as long as that one makes progress, and gives up
 * after busy_timeout_ms without any. Returns 0, or -1 reported. */
int	 store_open(const char *path, int readonly, long busy_timeout_ms, struct store **);
void	 store_close(struct store *);
sqlite3	*store_db(struct store *);
const char *store_path(struct store *);
/* A prepared statement for constant SQL text, cached for the life of the store and reset. */
sqlite3_stmt *store_stmt(struct store *, const char *sql);
/* Report the database's last error for a step that failed; returns -1. */
int	 store_fail(struct store *, const char *what);

int	 store_begin(struct store *);
/* 1 when another connection is waiting for the write lock (a long writer then commits and lets
 * it in), else 0. */
int	 store_writer_waiting(struct store *);
int	 store_commit(struct store *);
void	 store_rollback(struct store *);
/* Move the WAL into the database and cut it to nothing, as far as readers allow. */
void	 store_checkpoint(struct store *);
/* Forget what the writer learnt of the cases' rows (they were all counted again). */
void	 store_tally_forget(struct store *);
/* Between a long writer's transactions: keep the WAL from growing past journal_size_limit,
 * without waiting for anyone. */
void	 store_wal_trim(struct store *);

struct customers;

/* The desk's customers (read once per connection), or NULL (reported). */
int	 store_customers(struct store *);
const struct customers *store_customer_list(struct store *);
/* Replace them in the open transaction and give each report the customer it hits now: the
 * number of reports whose customer changed, or -1 (reported). */
long	 store_customers_replace(struct store *, const struct customers *);

/* The case states that a spam complaint seen after them reopens (reopen_states). */
#define STORE_REOPEN_NOTIFIED	0x1
#define STORE_REOPEN_RESOLVED	0x2
#define STORE_REOPEN_IGNORED	0x4
void	 store_set_reopen(struct store *, int states);

/* 1 if a message with this sha256 is stored, 0 if not, -1 on error. */
int	 store_has_message(struct store *, const char *sha256);
/* Store the raw message and its parsed reports (the first and its chain of samples) in the
 * open transaction; *id is the first report's id, *repeats how many were the same reporter's
 * complaint about a spam already stored (linked to it by duplicate_of, counted nowhere). */
int	 store_add_message(struct store *, const char *source, const char *source_pos,
	    const char *sha256, const void *raw, size_t len, const struct report *,
	    int64_t *id, int *repeats);
/* Replace the reports of a stored message (reparse), keeping each sample's report id. */
int	 store_replace_report(struct store *, int64_t message_id, const struct report *);

/* Bind helper: NULL text binds SQL NULL. */
void	 store_bind_text(sqlite3_stmt *, int, const char *);
/* Column helper: a copy of a text column, NULL when SQL NULL. */
char	*store_column_text(sqlite3_stmt *, int);

#endif
