/* tally.c: the counts each case keeps, folded in from the reports of a transaction.
 *
 * An import writes its reports, then, before it commits, folds the reports it wrote (their ids
 * are a range: from the first of the transaction on) into cases, case_days and case_reporters,
 * one statement per kind and table, each grouping the range by its key. The same statements
 * over every report (from id 0) count the whole database again, which is how a reparse, a new
 * customer list or a migration leaves the counts right. A listing then reads one row per case
 * (or per case and day in a time window), however many reports are stored.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "store.h"
#include "tally.h"
#include "util.h"

#define SPAM	"x.class IN (" REPORT_SPAM_CLASSES_SQL ")"

/*
 * What each kind groups: the rows (x a report; a repeat counts nowhere, an unparsed message
 * has no class), the key, and the network above an address. ?1 is the first report id.
 */
#define FROM_REPORTS(key) \
	"reports x WHERE x.id >= ?1 AND " key " IS NOT NULL AND x.duplicate_of IS NULL" \
	" AND x.class IS NOT NULL"
/* report_domains holds no repeats. */
#define FROM_DOMAINS \
	"report_domains d JOIN reports x ON x.id = d.report_id WHERE d.report_id >= ?1" \
	" AND x.class IS NOT NULL"

/* A case per key, created by its first report: ?2 is now, ?3 whether the fold is news (an
 * import) rather than a recount, which leaves updated_at as it was. */
#define CASES_SQL(kind, from, key, parent) \
	"INSERT INTO cases (kind, key, state, created_at, updated_at, state_at, reports," \
	" reports_all, not_spam, first_seen, last_seen, customer, parent)" \
	" SELECT '" kind "', " key ", 'new', ?2, ?2, ?2, SUM(" SPAM "), COUNT(*)," \
	" SUM(x.class = 'not-spam'), MIN(CASE WHEN " SPAM " THEN x.seen_at END)," \
	" MAX(CASE WHEN " SPAM " THEN x.seen_at END), MAX(x.customer), MAX(" parent ")" \
	" FROM " from " GROUP BY " key \
	" ON CONFLICT (kind, key) DO UPDATE SET reports = reports + excluded.reports," \
	" reports_all = reports_all + excluded.reports_all," \
	" not_spam = not_spam + excluded.not_spam," \
	" first_seen = COALESCE(MIN(first_seen, excluded.first_seen), first_seen," \
	" excluded.first_seen)," \
	" last_seen = COALESCE(MAX(last_seen, excluded.last_seen), last_seen," \
	" excluded.last_seen)," \
	" customer = COALESCE(excluded.customer, customer)," \
	" parent = COALESCE(parent, excluded.parent)," \
	" updated_at = CASE WHEN ?3 THEN ?2 ELSE updated_at END"

/* Complaints per case, UTC day and class, for time windows. */
#define DAYS_SQL(kind, from, key) \
	"INSERT INTO case_days (kind, day, case_id, class, reports, last_seen)" \
	" SELECT '" kind "', x.seen_at / 86400, c.id, x.class, COUNT(*), MAX(x.seen_at)" \
	" FROM " from " AND c.kind = '" kind "' AND c.key = " key \
	" GROUP BY c.id, x.seen_at / 86400, x.class" \
	" ON CONFLICT DO UPDATE SET reports = reports + excluded.reports," \
	" last_seen = MAX(last_seen, excluded.last_seen)"

/* Who complained (spam complaints only): one angry user is not forty feedback loops. */
#define REPORTERS_SQL(kind, from, key) \
	"INSERT OR IGNORE INTO case_reporters (case_id, reporter)" \
	" SELECT DISTINCT c.id, x.reporter FROM " from " AND c.kind = '" kind "'" \
	" AND c.key = " key " AND x.reporter IS NOT NULL AND " SPAM

/* The spam complaints that came after a case was notified, resolved or ignored (imported and
 * seen after it, to the second): per case, how many, and the first of them. */
#define RECUR_SQL(kind, from, key) \
	"SELECT c.id, c.state, MIN(x.id), COUNT(*) FROM " from " AND c.kind = '" kind "'" \
	" AND c.key = " key " AND c.recur_state IS NOT NULL AND x.seen_at > c.recur_at" \
	" AND " SPAM " AND (SELECT m.imported_at FROM messages m WHERE m.id = x.message_id)" \
	" > c.recur_at GROUP BY c.id"

/* The join with cases goes into the FROM of the statements that need a case id. */
#define JOIN_REPORTS(key) \
	"reports x JOIN cases c ON 1 WHERE x.id >= ?1 AND " key " IS NOT NULL" \
	" AND x.duplicate_of IS NULL AND x.class IS NOT NULL"
#define JOIN_DOMAINS \
	"report_domains d JOIN reports x ON x.id = d.report_id JOIN cases c ON 1" \
	" WHERE d.report_id >= ?1 AND x.class IS NOT NULL"

#define KIND_SQL(kind, key, parent) { kind, \
	CASES_SQL(kind, FROM_REPORTS(key), key, parent), \
	DAYS_SQL(kind, JOIN_REPORTS(key), key), \
	REPORTERS_SQL(kind, JOIN_REPORTS(key), key), \
	RECUR_SQL(kind, JOIN_REPORTS(key), key) }

static const struct tally_kind {
	const char	*kind;
	const char	*cases;
	const char	*days;
	const char	*reporters;
	const char	*recur;
} kinds[] = {
	KIND_SQL("ip", "x.source_ip", "x.source_net"),
	KIND_SQL("net", "x.source_net", "NULL"),
	KIND_SQL("customer", "x.customer", "NULL"),
	{ "domain",
	    CASES_SQL("domain", FROM_DOMAINS, "d.domain", "NULL"),
	    DAYS_SQL("domain", JOIN_DOMAINS, "d.domain"),
	    REPORTERS_SQL("domain", JOIN_DOMAINS, "d.domain"),
	    RECUR_SQL("domain", JOIN_DOMAINS, "d.domain") },
};

#define NKINDS	(sizeof kinds / sizeof kinds[0])

struct recurrence {
	int64_t	 case_id;
	char	*state;
	int64_t	 report;	/* the first complaint that came after */
	int64_t	 n;
};

/* The reopen flag of a case state, or 0. */
static int
reopen_flag(const char *state)
{
	if (strcmp(state, "notified") == 0)
		return STORE_REOPEN_NOTIFIED;
	if (strcmp(state, "resolved") == 0)
		return STORE_REOPEN_RESOLVED;
	if (strcmp(state, "ignored") == 0)
		return STORE_REOPEN_IGNORED;
	return 0;
}

static int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, what);
}

/* Count the recurrence, and reopen the case when its state is one that does. */
static int
recur_apply(struct store *s, const struct recurrence *r, int reopen, time_t now)
{
	static const char count_sql[] = "UPDATE cases SET recur_n = recur_n + ? WHERE id = ?";
	static const char open_sql[] =
	    "UPDATE cases SET state = 'open', state_at = ?2, updated_at = ?2 WHERE id = ?1";
	static const char seen_sql[] = "SELECT seen_at FROM reports WHERE id = ?";
	static const char event_sql[] =
	    "INSERT INTO case_events (case_id, at, user, action, old_state, new_state, note)"
	    " VALUES (?, ?, 'arfdesk', 'reopen', ?, 'open', ?)";
	sqlite3_stmt *st = store_stmt(s, count_sql);
	char when[24] = "", *note;
	int rc;

	sqlite3_bind_int64(st, 1, r->n);
	sqlite3_bind_int64(st, 2, r->case_id);
	if (step_done(s, st, "marking a case recurring") != 0)
		return -1;
	if ((reopen_flag(r->state) & reopen) == 0)
		return 0;
	st = store_stmt(s, open_sql);
	sqlite3_bind_int64(st, 1, r->case_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(s, st, "reopening a case") != 0)
		return -1;
	st = store_stmt(s, seen_sql);
	sqlite3_bind_int64(st, 1, r->report);
	if (sqlite3_step(st) == SQLITE_ROW)
		time_iso((time_t)sqlite3_column_int64(st, 0), when, sizeof when);
	sqlite3_reset(st);
	note = xasprintf("report %lld, seen %s, came after it was %s", (long long)r->report, when,
	    r->state);
	st = store_stmt(s, event_sql);
	sqlite3_bind_int64(st, 1, r->case_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	store_bind_text(st, 3, r->state);
	store_bind_text(st, 4, note);
	free(note);
	rc = step_done(s, st, "recording a reopening");
	return rc;
}

/* The recurrences of one kind: read them all first (the statement reads cases), then write. */
static int
recur_kind(struct store *s, const struct tally_kind *k, int64_t first, int reopen, time_t now)
{
	struct recurrence *v = NULL;
	sqlite3_stmt *st = store_stmt(s, k->recur);
	size_t n = 0, i;
	int rc;

	sqlite3_bind_int64(st, 1, first);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n].case_id = sqlite3_column_int64(st, 0);
		v[n].state = store_column_text(st, 1);
		v[n].report = sqlite3_column_int64(st, 2);
		v[n++].n = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_fail(s, "looking for recurring cases");
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = recur_apply(s, &v[i], reopen, now);
		free(v[i].state);
	}
	free(v);
	return rc;
}

static int
fold(struct store *s, int64_t first, int news, int reopen)
{
	static const char any_sql[] =
	    "SELECT EXISTS (SELECT 1 FROM cases WHERE recur_state IS NOT NULL)";
	time_t now = time(NULL);
	sqlite3_stmt *st;
	size_t i;
	int any;

	for (i = 0; i < NKINDS; i++) {
		st = store_stmt(s, kinds[i].cases);
		sqlite3_bind_int64(st, 1, first);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		sqlite3_bind_int(st, 3, news);
		if (step_done(s, st, "counting cases") != 0)
			return -1;
		st = store_stmt(s, kinds[i].days);
		sqlite3_bind_int64(st, 1, first);
		if (step_done(s, st, "counting complaints per day") != 0)
			return -1;
		st = store_stmt(s, kinds[i].reporters);
		sqlite3_bind_int64(st, 1, first);
		if (step_done(s, st, "counting reporters") != 0)
			return -1;
	}
	/* Most transactions meet no case that could recur: one look (an index) first. */
	st = store_stmt(s, any_sql);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, "looking for cases that could recur");
	}
	any = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	for (i = 0; any && i < NKINDS; i++)
		if (recur_kind(s, &kinds[i], first, reopen, now) != 0)
			return -1;
	return 0;
}

int
tally_fold(struct store *s, int64_t first, int reopen)
{
	return fold(s, first, 1, reopen);
}

int
tally_rebuild(struct store *s)
{
	static const char reset_sql[] =
	    "UPDATE cases SET reports = 0, reports_all = 0, not_spam = 0, first_seen = NULL,"
	    " last_seen = NULL, customer = NULL, recur_n = 0;"
	    "DELETE FROM case_days;"
	    "DELETE FROM case_reporters;";
	/* A case nobody touched, with no reports left, was only ever a count. */
	static const char prune_sql[] =
	    "DELETE FROM cases WHERE reports_all = 0 AND state = 'new' AND assignee IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id);"
	    "DELETE FROM store_flags WHERE name = 'tally-stale';";
	if (sqlite3_exec(store_db(s), reset_sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "counting the cases again");
	if (fold(s, 0, 0, 0) != 0)
		return -1;
	if (sqlite3_exec(store_db(s), prune_sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "removing empty cases");
	return 0;
}

int
tally_stale(struct store *s)
{
	static const char sql[] = "SELECT 1 FROM store_flags WHERE name = 'tally-stale'";
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_ROW;
}

int
tally_mark_stale(struct store *s)
{
	static const char sql[] = "INSERT OR IGNORE INTO store_flags (name) VALUES ('tally-stale')";

	return step_done(s, store_stmt(s, sql), "marking the counts out of date");
}
