/* tally.c: the counts each case keeps, gathered from the reports of a transaction.
 *
 * Each report written (an import) is added here under every case it counts for: its address,
 * its network, its customer, each of its domains. Before the transaction commits, the sums are
 * written, one upsert per case touched (and per case, day and class, and per new reporter),
 * however many of its reports the transaction held. A recount (after a reparse, a new customer
 * list, a migration) feeds every stored report through the same sums. A listing then reads one
 * row per case, or in a time window one per case and week or day it covers, however many
 * reports are stored.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "report.h"
#include "store.h"
#include "tally.h"
#include "util.h"

/* The buckets complaints are counted in: UTC days (case_days) and weeks of 7 of them
 * (case_weeks, week = day / 7), so that a long window reads a row a week. */
enum { BUCKET_DAY, BUCKET_WEEK, BUCKETS };

/* Complaints of one class in one bucket. */
struct tally_day {
	int		 bucket;	/* BUCKET_* */
	int64_t		 day;		/* the day, or the week */
	char		*class;
	int64_t		 n;
	time_t		 last;
};

/* A spam complaint, kept to tell whether it came after its case was done with. */
struct tally_recent {
	int64_t		 report;
	time_t		 seen;
	time_t		 imported;
};

struct tally_case {
	char		*kind;
	char		*key;
	int64_t		 reports;	/* spam complaints */
	int64_t		 all;		/* reports of any class */
	int64_t		 not_spam;
	time_t		 first, last;	/* of the spam complaints; 0: none */
	char		*customer;
	char		*parent;
	struct tally_day *days;
	size_t		 ndays;
	struct strlist	 reporters;
	struct tally_recent *recent;
	size_t		 nrecent;
};

struct tally {
	GHashTable	*cases;		/* "kind\tkey" -> struct tally_case */
	size_t		 added;		/* reports added since the last flush */
	/* "kind\tkey" -> the case's id (gint64), known from earlier flushes. A rolled back
	 * transaction or a recount (here or in another process) may take a row away and its id
	 * be given again: the update checks the kind and key too, and a miss asks again. */
	GHashTable	*ids;
	/* Rows known to be there: "id\treporter" in case_reporters (the same feedback loops
	 * complain of the same cases all day, each a lookup per transaction) and
	 * "d\tid\tday\tclass" in case_days and "w\tid\tweek\tclass" in case_weeks (updated,
	 * not first tried as new). */
	GHashTable	*known;
	/* PRAGMA data_version at the last flush: when another connection has written since,
	 * what was learnt is forgotten (a recount there may have taken rows away). */
	int		 data_version;
};

static void
case_free(gpointer p)
{
	struct tally_case *c = p;
	size_t i;

	for (i = 0; i < c->ndays; i++)
		free(c->days[i].class);
	free(c->days);
	strlist_free(&c->reporters);
	free(c->recent);
	free(c->kind);
	free(c->key);
	free(c->customer);
	free(c->parent);
	free(c);
}

struct tally *
tally_new(void)
{
	struct tally *t = xcalloc(1, sizeof *t);

	t->cases = g_hash_table_new_full(g_str_hash, g_str_equal, free, case_free);
	t->ids = g_hash_table_new_full(g_str_hash, g_str_equal, free, g_free);
	t->known = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	t->data_version = -1;
	return t;
}

void
tally_clear(struct tally *t)
{
	g_hash_table_remove_all(t->cases);
	t->added = 0;
}

void
tally_forget(struct tally *t)
{
	tally_clear(t);
	g_hash_table_remove_all(t->ids);
	g_hash_table_remove_all(t->known);
}

void
tally_free(struct tally *t)
{
	if (t == NULL)
		return;
	g_hash_table_destroy(t->ids);
	g_hash_table_destroy(t->known);
	g_hash_table_destroy(t->cases);
	free(t);
}

/* One report under one case. */
static void
add_one(struct tally *t, const char *kind, const char *key, const struct tally_report *r)
{
	struct tally_case *c;
	struct tally_day *d;
	char name[600];
	int64_t day = (int64_t)r->seen / TALLY_DAY, n;
	int spam = report_class_is_spam(r->class), b;
	size_t i;

	/* Keys are addresses, networks, customer ids and domain names: short. */
	if ((size_t)snprintf(name, sizeof name, "%s\t%s", kind, key) >= sizeof name)
		return;
	if ((c = g_hash_table_lookup(t->cases, name)) == NULL) {
		c = xcalloc(1, sizeof *c);
		c->kind = xstrdup(kind);
		c->key = xstrdup(key);
		g_hash_table_insert(t->cases, xstrdup(name), c);
	}
	c->all++;
	if (strcmp(r->class, "not-spam") == 0)
		c->not_spam++;
	if (spam) {
		c->reports++;
		if (c->first == 0 || r->seen < c->first)
			c->first = r->seen;
		if (r->seen > c->last)
			c->last = r->seen;
		if (r->reporter != NULL)
			strlist_add_unique(&c->reporters, r->reporter);
		c->recent = xrealloc(c->recent, (c->nrecent + 1) * sizeof *c->recent);
		c->recent[c->nrecent].report = r->id;
		c->recent[c->nrecent].seen = r->seen;
		c->recent[c->nrecent++].imported = r->imported;
	}
	if (r->customer != NULL && strcmp(kind, "customer") != 0) {
		free(c->customer);
		c->customer = xstrdup(r->customer);
	}
	if (c->parent == NULL && strcmp(kind, "ip") == 0 && r->net != NULL)
		c->parent = xstrdup(r->net);
	for (b = 0; b < BUCKETS; b++) {
		n = b == BUCKET_WEEK ? day / 7 : day;
		for (i = 0; i < c->ndays; i++)
			if (c->days[i].bucket == b && c->days[i].day == n &&
			    strcmp(c->days[i].class, r->class) == 0)
				break;
		if (i == c->ndays) {
			c->days = xrealloc(c->days, (c->ndays + 1) * sizeof *c->days);
			d = &c->days[c->ndays++];
			d->bucket = b;
			d->day = n;
			d->class = xstrdup(r->class);
			d->n = 0;
			d->last = 0;
		}
		d = &c->days[i];
		d->n++;
		if (r->seen > d->last)
			d->last = r->seen;
	}
}

void
tally_add(struct tally *t, const struct tally_report *r)
{
	size_t i;

	/* A repeat counts nowhere; a message that could not be read complains of nothing. */
	if (r->class == NULL)
		return;
	if (r->ip != NULL)
		add_one(t, "ip", r->ip, r);
	if (r->net != NULL)
		add_one(t, "net", r->net, r);
	if (r->customer != NULL)
		add_one(t, "customer", r->customer, r);
	for (i = 0; i < r->ndomains; i++)
		add_one(t, "domain", r->domains[i], r);
	t->added++;
}

size_t
tally_pending(const struct tally *t)
{
	return t->added;
}

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

/*
 * Spam complaints that came after the case was notified, resolved or ignored (imported and
 * seen after it, to the second): the case is recurring, and open again when its state is one
 * that reopens (reopen_states), an event naming the first such report.
 */
static int
recur(struct store *s, const struct tally_case *c, int64_t id, const char *state,
    time_t since, int reopen)
{
	static const char count_sql[] = "UPDATE cases SET recur_n = recur_n + ? WHERE id = ?";
	static const char open_sql[] =
	    "UPDATE cases SET state = 'open', state_at = ?2, updated_at = ?2 WHERE id = ?1";
	static const char event_sql[] =
	    "INSERT INTO case_events (case_id, at, user, action, old_state, new_state, note)"
	    " VALUES (?, ?, 'arfdesk', 'reopen', ?, 'open', ?)";
	const struct tally_recent *first = NULL;
	time_t now = time(NULL);
	sqlite3_stmt *st;
	int64_t n = 0;
	char when[24], *note;
	size_t i;
	int rc;

	for (i = 0; i < c->nrecent; i++)
		if (c->recent[i].seen > since && c->recent[i].imported > since) {
			if (first == NULL || c->recent[i].report < first->report)
				first = &c->recent[i];
			n++;
		}
	if (n == 0)
		return 0;
	st = store_stmt(s, count_sql);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_int64(st, 2, id);
	if (step_done(s, st, "marking a case recurring") != 0)
		return -1;
	if ((reopen_flag(state) & reopen) == 0)
		return 0;
	st = store_stmt(s, open_sql);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(s, st, "reopening a case") != 0)
		return -1;
	time_iso(first->seen, when, sizeof when);
	note = xasprintf("report %lld, seen %s, came after it was %s", (long long)first->report,
	    when, state);
	st = store_stmt(s, event_sql);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	store_bind_text(st, 3, state);
	store_bind_text(st, 4, note);
	free(note);
	rc = step_done(s, st, "recording a reopening");
	return rc;
}

/*
 * The statements of a flush change one row each and say OR FAIL: a failure then undoes
 * nothing of its own statement, so sqlite keeps no statement journal for them (an upsert
 * copies every page it touches into one, a few times the work of the change itself).
 */
static const char case_update_sql[] =
    "UPDATE OR FAIL cases SET reports = reports + ?3, reports_all = reports_all + ?4,"
    " not_spam = not_spam + ?5,"
    " first_seen = COALESCE(MIN(first_seen, ?6), first_seen, ?6),"
    " last_seen = COALESCE(MAX(last_seen, ?7), last_seen, ?7),"
    " customer = COALESCE(?8, customer), parent = COALESCE(parent, ?9)"
    " WHERE id = ?11 AND kind = ?1 AND key = ?2";
static const char case_insert_sql[] =
    "INSERT OR FAIL INTO cases (kind, key, reports, reports_all, not_spam, first_seen,"
    " last_seen, customer, parent, state, created_at, updated_at, state_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'new', ?10, ?10, ?10)";
static const char case_id_sql[] = "SELECT id FROM cases WHERE kind = ? AND key = ?";
/* Not RETURNING: sqlite gathers what that returns in a temporary table, a file of its own. */
static const char case_state_sql[] =
    "SELECT state, recur_state, recur_at FROM cases WHERE id = ?";

/* Known rows at most: past this, what was learnt is dropped and learnt again. */
#define TALLY_KNOWN_MAX	500000

/* Remember a row (taking the string). */
static void
remember(struct tally *t, char *pair)
{
	if (g_hash_table_size(t->known) >= TALLY_KNOWN_MAX)
		g_hash_table_remove_all(t->known);
	g_hash_table_add(t->known, pair);
}

/* The id of a case (0: none yet), from what earlier flushes learnt, else from the table. */
static int64_t
case_id(struct store *s, struct tally *t, const char *name, const struct tally_case *c)
{
	sqlite3_stmt *st;
	gint64 *known = g_hash_table_lookup(t->ids, name);
	int64_t id = 0;

	if (known != NULL)
		return *known;
	st = store_stmt(s, case_id_sql);
	sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static void
case_bind(sqlite3_stmt *st, const struct tally_case *c, int64_t id)
{
	sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->reports);
	sqlite3_bind_int64(st, 4, c->all);
	sqlite3_bind_int64(st, 5, c->not_spam);
	if (c->first > 0) {
		sqlite3_bind_int64(st, 6, (sqlite3_int64)c->first);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)c->last);
	}
	store_bind_text(st, 8, c->customer);
	store_bind_text(st, 9, c->parent);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)time(NULL));
	if (id > 0)
		sqlite3_bind_int64(st, 11, id);
}

/*
 * Write one case's sums: its row (made by its first report), its days, its new reporters.
 * When some case could recur (recurring), its state is read for recurrence.
 */
static int
flush_case(struct store *s, struct tally *t, const char *name, const struct tally_case *c,
    int reopen, int recurring)
{
	/* Per bucket: [0] the update, [1] the insert. */
	static const char *const bucket_sql[BUCKETS][2] = {
		[BUCKET_DAY] = {
		    "UPDATE OR FAIL case_days SET reports = reports + ?5,"
		    " last_seen = MAX(last_seen, ?6)"
		    " WHERE kind = ?1 AND day = ?2 AND case_id = ?3 AND class = ?4",
		    "INSERT OR IGNORE INTO case_days (kind, day, case_id, class, reports,"
		    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
		[BUCKET_WEEK] = {
		    "UPDATE OR FAIL case_weeks SET reports = reports + ?5,"
		    " last_seen = MAX(last_seen, ?6)"
		    " WHERE kind = ?1 AND week = ?2 AND case_id = ?3 AND class = ?4",
		    "INSERT OR IGNORE INTO case_weeks (kind, week, case_id, class, reports,"
		    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	};
	const struct tally_day *d;
	static const char reporter_sql[] =
	    "INSERT OR IGNORE INTO case_reporters (case_id, reporter) VALUES (?, ?)";
	sqlite3_stmt *st;
	char *state = NULL, *pair;
	gint64 *boxed;
	int64_t id;
	time_t since = 0;
	int done_with = 0, known, k;
	size_t i;

	/* The row as it is, updated; else a new one. */
	for (k = 0; k < 2 && (id = case_id(s, t, name, c)) > 0; k++) {
		st = store_stmt(s, case_update_sql);
		case_bind(st, c, id);
		if (step_done(s, st, "counting a case") != 0)
			return -1;
		if (sqlite3_changes(store_db(s)) > 0)
			break;
		/* Gone, or another case's now: forget it and ask the table. */
		g_hash_table_remove(t->ids, name);
		id = 0;
	}
	if (id == 0) {
		st = store_stmt(s, case_insert_sql);
		case_bind(st, c, 0);
		if (step_done(s, st, "counting a new case") != 0)
			return -1;
		id = sqlite3_last_insert_rowid(store_db(s));
	}
	boxed = g_new(gint64, 1);
	*boxed = id;
	g_hash_table_replace(t->ids, xstrdup(name), boxed);
	if (recurring) {
		/* What it is now: recurrence depends on it. */
		st = store_stmt(s, case_state_sql);
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			state = store_column_text(st, 0);
			done_with = sqlite3_column_type(st, 1) != SQLITE_NULL;
			since = (time_t)sqlite3_column_int64(st, 2);
		}
		sqlite3_reset(st);
	}
	for (i = 0; i < c->ndays; i++) {
		/* A bucket this connection has written to is updated; another is first inserted
		 * (an import's days are mostly new), and updated when it was there. */
		d = &c->days[i];
		pair = xasprintf("%c\t%lld\t%lld\t%s", "dw"[d->bucket], (long long)id,
		    (long long)d->day, d->class);
		known = g_hash_table_contains(t->known, pair);
		remember(t, pair);
		for (k = 0; k < 2; k++) {
			st = store_stmt(s, bucket_sql[d->bucket][known == (k == 0) ? 0 : 1]);
			sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, d->day);
			sqlite3_bind_int64(st, 3, id);
			sqlite3_bind_text(st, 4, d->class, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 5, d->n);
			sqlite3_bind_int64(st, 6, (sqlite3_int64)d->last);
			if (step_done(s, st, "counting complaints per day") != 0)
				goto fail;
			if (sqlite3_changes(store_db(s)) > 0)
				break;
		}
	}
	for (i = 0; i < c->reporters.count; i++) {
		pair = xasprintf("%lld\t%s", (long long)id, c->reporters.items[i]);
		if (g_hash_table_contains(t->known, pair)) {
			free(pair);
			continue;
		}
		remember(t, pair);
		st = store_stmt(s, reporter_sql);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, c->reporters.items[i], -1, SQLITE_STATIC);
		if (step_done(s, st, "counting reporters") != 0)
			goto fail;
	}
	if (done_with && recur(s, c, id, state, since, reopen) != 0)
		goto fail;
	free(state);
	return 0;
fail:
	free(state);
	return -1;
}

int
tally_flush(struct store *s, struct tally *t, int reopen)
{
	static const char any_sql[] =
	    "SELECT EXISTS (SELECT 1 FROM cases WHERE recur_state IS NOT NULL)";
	static const char version_sql[] = "PRAGMA data_version";
	GHashTableIter it;
	gpointer name, value;
	sqlite3_stmt *st;
	int rc = 0, recurring, version = -1;

	/* Another connection's commit since the last flush: forget what was learnt. */
	st = store_stmt(s, version_sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (version != t->data_version) {
		g_hash_table_remove_all(t->ids);
		g_hash_table_remove_all(t->known);
		t->data_version = version;
	}

	/* Most desks' imports meet no case that could recur: one look (an index) first. */
	st = store_stmt(s, any_sql);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		tally_clear(t);
		return store_fail(s, "looking for cases that could recur");
	}
	recurring = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	g_hash_table_iter_init(&it, t->cases);
	while (rc == 0 && g_hash_table_iter_next(&it, &name, &value))
		rc = flush_case(s, t, name, value, reopen, recurring);
	tally_clear(t);
	return rc;
}

/* The reports a recount reads at a time before writing their sums. */
#define REBUILD_BATCH	20000

int
tally_rebuild(struct store *s)
{
	static const char reset_sql[] =
	    "UPDATE cases SET reports = 0, reports_all = 0, not_spam = 0, first_seen = NULL,"
	    " last_seen = NULL, customer = NULL, recur_n = 0;"
	    "DELETE FROM case_days;"
	    "DELETE FROM case_weeks;"
	    "DELETE FROM case_reporters;";
	/* Every report that counts, each domain of it a row of its own (in id order). */
	static const char reports_sql[] =
	    "SELECT r.id, r.source_ip, r.source_net, r.customer, r.class, r.seen_at, r.reporter,"
	    " m.imported_at, d.domain FROM reports r JOIN messages m ON m.id = r.message_id"
	    " LEFT JOIN report_domains d ON d.report_id = r.id"
	    " WHERE r.duplicate_of IS NULL AND r.class IS NOT NULL ORDER BY r.id";
	/* A case nobody touched, with no reports left, was only ever a count. */
	static const char prune_sql[] =
	    "DELETE FROM cases WHERE reports_all = 0 AND state = 'new' AND assignee IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id);"
	    "DELETE FROM store_flags WHERE name = 'tally-stale';";
	struct tally *t = tally_new();
	struct tally_report r;

	struct strlist domains = { 0 };
	char *ip = NULL, *net = NULL, *customer = NULL, *class = NULL, *reporter = NULL;
	const char *domain;
	sqlite3_stmt *st;
	int64_t id, cur = 0;
	int rc;

	store_tally_forget(s);
	if (sqlite3_exec(store_db(s), reset_sql, NULL, NULL, NULL) != SQLITE_OK) {
		tally_free(t);
		return store_fail(s, "counting the cases again");
	}
	if (sqlite3_prepare_v2(store_db(s), reports_sql, -1, &st, NULL) != SQLITE_OK) {
		tally_free(t);
		return store_fail(s, "reading the reports");
	}
	memset(&r, 0, sizeof r);
	/* The rows of one report are gathered, then added; the sums are written every
	 * REBUILD_BATCH reports (the read goes on: it reads other tables than they write). */
	for (;;) {
		rc = sqlite3_step(st);
		id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		if (cur != 0 && id != cur) {
			r.domains = (const char *const *)domains.items;
			r.ndomains = domains.count;
			tally_add(t, &r);
			strlist_free(&domains);
			if (tally_pending(t) >= REBUILD_BATCH && tally_flush(s, t, 0) != 0)
				break;
		}
		if (rc != SQLITE_ROW)
			break;
		if (id != cur) {
			cur = id;
			free(ip);
			free(net);
			free(customer);
			free(class);
			free(reporter);
			ip = store_column_text(st, 1);
			net = store_column_text(st, 2);
			customer = store_column_text(st, 3);
			class = store_column_text(st, 4);
			reporter = store_column_text(st, 6);
			r.id = id;
			r.ip = ip;
			r.net = net;
			r.customer = customer;
			r.class = class;
			r.seen = (time_t)sqlite3_column_int64(st, 5);
			r.reporter = reporter;
			r.imported = (time_t)sqlite3_column_int64(st, 7);
		}
		if ((domain = (const char *)sqlite3_column_text(st, 8)) != NULL)
			strlist_add(&domains, domain);
	}
	sqlite3_finalize(st);
	strlist_free(&domains);
	free(ip);
	free(net);
	free(customer);
	free(class);
	free(reporter);
	if (rc != SQLITE_DONE) {
		tally_free(t);
		return rc == SQLITE_ROW ? -1 : store_fail(s, "reading the reports");
	}
	rc = tally_flush(s, t, 0);
	tally_free(t);
	if (rc != 0)
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
