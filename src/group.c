/* group.c: grouping queries over reports and the durable case records beside them. */

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "group.h"
#include "output.h"
#include "report.h"
#include "store.h"
#include "tally.h"
#include "util.h"

static const char *const kind_names[] = {
#define X(name, summary) #name,
	GROUP_KINDS(X)
#undef X
	NULL
};

static const char *const state_names[] = {
#define X(name, summary) #name,
	CASE_STATES(X)
#undef X
	NULL
};


int
group_kind_find(const char *name)
{
	return names_find(kind_names, name);
}

const char *
group_kind_list(void)
{
	static char list[128];

	return names_join(kind_names, list, sizeof list);
}

int
case_state_find(const char *name)
{
	return names_find(state_names, name);
}

const char *
case_state_list(void)
{
	static char list[128];

	return names_join(state_names, list, sizeof list);
}

/* The SQL test of the classes a listing counts (alias.class), from constant text: spam (NULL),
 * every class ("all"), or the one bound as ?7. To free. */
static char *
class_test(const char *type, const char *alias)
{
	if (type == NULL || strcmp(type, "spam") == 0)
		return xasprintf("%s.class IN (" REPORT_SPAM_CLASSES_SQL ")", alias);
	if (strcmp(type, "all") == 0)
		return xasprintf("%s.class IS NOT NULL", alias);
	return xasprintf("%s.class = ?7", alias);
}

/* The column a kind groups by: in reports, or for domain in report_domains. */
static const char *
report_column(const char *kind)
{
	return strcmp(kind, "ip") == 0 ? "source_ip" : strcmp(kind, "customer") == 0 ?
	    "customer" : strcmp(kind, "domain") == 0 ? "domain" : "source_net";
}

/*
 * A group's first complaint of all time, as an SQL expression on c.key from constant text: a
 * window (--since) counts its own reports, but FIRST SEEN is when the group began.
 */
static char *
first_ever_sql(const char *kind, const char *type)
{
	char *test = class_test(type, "y"), *sql;

	if (strcmp(kind, "domain") == 0)
		sql = xasprintf("(SELECT MIN(y.seen_at) FROM report_domains y WHERE y.domain = c.key"
		    " AND %s)", test);
	else
		sql = xasprintf("(SELECT MIN(y.seen_at) FROM reports y WHERE y.%s = c.key AND %s"
		    " AND y.duplicate_of IS NULL)", report_column(kind), test);
	free(test);
	return sql;
}

/*
 * The aggregate of each kind, as SQL from constant fragments: key, the reports of the classes
 * counted, first and last seen, and not-spam reports beside; each reads its grouping index
 * alone (key, seen_at, class). ?1 is since, ?5 until (0: none), ?6 imported since (0: any).
 * To free.
 */
static char *
group_inner_sql(const char *kind, const char *type)
{
	static const char until[] = " AND (?5 = 0 OR x.seen_at < ?5)";
	static const char imported[] = " AND (?6 = 0 OR x.message_id IN"
	    " (SELECT id FROM messages WHERE imported_at >= ?6))";
	static const char imported_domain[] = " AND (?6 = 0 OR x.report_id IN"
	    " (SELECT r.id FROM reports r JOIN messages m ON m.id = r.message_id"
	    " WHERE m.imported_at >= ?6))";
	char *m = class_test(type, "x"), *key = xasprintf("x.%s", report_column(kind)), *sql;
	int domain = strcmp(kind, "domain") == 0;

	/* A repeat (the same reporter's complaint about the same spam again) counts nowhere; it
	 * has no row in report_domains. */
	sql = xasprintf("SELECT %s AS key, SUM(%s) AS n, MIN(CASE WHEN %s THEN x.seen_at END)"
	    " AS first, MAX(CASE WHEN %s THEN x.seen_at END) AS last,"
	    " SUM(x.class IS 'not-spam') AS not_spam"
	    " FROM %s x WHERE %s IS NOT NULL AND x.seen_at >= ?1%s%s%s GROUP BY %s HAVING n > 0",
	    key, m, m, m, domain ? "report_domains" : "reports", key, until,
	    domain ? imported_domain : imported, domain ? "" :
	    " AND x.duplicate_of IS NULL AND (?9 IS NULL OR x.source_net = ?9)", key);
	free(m);
	free(key);
	return sql;
}

void
group_recur_text(const char *state, time_t at, int64_t n, char *out, size_t size)
{
	char when[24];

	*out = '\0';
	if (n <= 0 || state == NULL)
		return;
	output_time(at, when, sizeof when);
	/* The date alone: "on 2026-11-20". */
	when[10] = '\0';
	snprintf(out, size, "%lld since %s on %s", (long long)n, state, when);
}

const char *
group_report_filter(const char *kind)
{
	if (strcmp(kind, "ip") == 0)
		return "r.source_ip = ?";
	if (strcmp(kind, "net") == 0)
		return "r.source_net = ?";
	if (strcmp(kind, "customer") == 0)
		return "r.customer = ?";
	return "r.id IN (SELECT report_id FROM report_domains WHERE domain = ?)";
}

/*
 * A time window in the pieces the counts are kept in: the whole weeks inside it, read from
 * case_weeks, the whole UTC days before and after them from case_days, and the parts of a day
 * at either end from the reports (reports_seen holds what they count). Each piece is a range
 * [lo, hi): days[0] and days[1] in days, weeks in weeks, edge[0] and edge[1] in seconds;
 * empty when lo >= hi.
 */
struct window {
	int64_t	 days[2][2];
	int64_t	 weeks[2];
	int64_t	 edge[2][2];
};

static void
window_split(time_t since, time_t until, struct window *w)
{
	int64_t d1, d2, w1, w2;

	memset(w, 0, sizeof *w);
	d1 = since > 0 ? ((int64_t)since + TALLY_DAY - 1) / TALLY_DAY : INT64_MIN / 2;
	d2 = until > 0 ? (int64_t)until / TALLY_DAY : INT64_MAX / 2;
	if (d1 > d2) {
		/* Inside one day: the reports alone. */
		w->edge[0][0] = since;
		w->edge[0][1] = until;
		return;
	}
	if (since > 0) {
		w->edge[0][0] = since;
		w->edge[0][1] = d1 * TALLY_DAY;
	}
	if (until > 0) {
		w->edge[1][0] = d2 * TALLY_DAY;
		w->edge[1][1] = until;
	}
	/* Weeks are day / 7 (days before the epoch are no window's concern: a window without
	 * a start takes every week before its end). */
	w1 = since > 0 ? (d1 + 6) / 7 : INT64_MIN / 2;
	w2 = until > 0 ? d2 / 7 : INT64_MAX / 2;
	if (w1 >= w2) {
		w->days[0][0] = d1;
		w->days[0][1] = d2;
		return;
	}
	w->weeks[0] = w1;
	w->weeks[1] = w2;
	if (since > 0) {
		w->days[0][0] = d1;
		w->days[0][1] = w1 * 7;
	}
	if (until > 0) {
		w->days[1][0] = w2 * 7;
		w->days[1][1] = d2;
	}
}

/* The rows of one range of case_days or case_weeks (table, and its bucket column), one per
 * case, bucket and class: the case, its complaints of the class asked for (test, on alias d),
 * the last of them, its not-spam reports; the range is ?lo to ?hi. From constant text. */
static char *
bucket_sql(const char *table, const char *column, const char *test, int lo, int hi)
{
	return xasprintf("SELECT d.case_id AS id, CASE WHEN %s THEN d.reports ELSE 0 END AS n,"
	    " CASE WHEN %s THEN d.last_seen END AS last,"
	    " CASE WHEN d.class = 'not-spam' THEN d.reports ELSE 0 END AS not_spam"
	    " FROM %s d WHERE d.kind = ?2 AND d.%s >= ?%d AND d.%s < ?%d", test, test, table,
	    column, lo, column, hi);
}

/* One edge of a window: the reports seen in [?lo, ?hi), per case, read from reports_seen or
 * report_domains_seen and summed per key before each key is looked up in the cases (CROSS
 * JOIN keeps that order: without statistics sqlite may start from the cases). From constant
 * text. */
static char *
edge_sql(const char *kind, const char *test, int lo, int hi)
{
	char *inner, *sql;

	/* report_domains keeps each report's seen_at and class, and no repeats. */
	if (strcmp(kind, "domain") == 0)
		inner = xasprintf("SELECT x.domain AS k, SUM(%s) AS n,"
		    " MAX(CASE WHEN %s THEN x.seen_at END) AS last,"
		    " SUM(x.class IS 'not-spam') AS not_spam FROM report_domains x"
		    " WHERE x.seen_at >= ?%d AND x.seen_at < ?%d AND x.class IS NOT NULL"
		    " GROUP BY x.domain", test, test, lo, hi);
	else
		inner = xasprintf("SELECT x.%s AS k, SUM(%s) AS n,"
		    " MAX(CASE WHEN %s THEN x.seen_at END) AS last,"
		    " SUM(x.class IS 'not-spam') AS not_spam FROM reports x"
		    " WHERE x.seen_at >= ?%d AND x.seen_at < ?%d AND x.duplicate_of IS NULL"
		    " AND x.class IS NOT NULL AND x.%s IS NOT NULL GROUP BY x.%s",
		    report_column(kind), test, test, lo, hi, report_column(kind),
		    report_column(kind));
	sql = xasprintf("SELECT e.id, g.n, g.last, g.not_spam FROM (%s) g CROSS JOIN cases e"
	    " ON e.kind = ?2 AND e.key = g.k", inner);
	free(inner);
	return sql;
}

/*
 * The listing's query, from constant fragments, with the same parameters for every form:
 * ?1 since, ?2 kind, ?3 state, ?4 limit, ?5 until, ?6 imported since, ?7 class, ?8 todo,
 * ?9 network, ?10 and ?11 the window's days before its weeks, ?12 and ?13 its first edge,
 * ?14 and ?15 its days after its weeks, ?16 and ?17 its weeks, ?18 and ?19 its last edge,
 * ?20 the rows skipped. Its columns: case id, key, count, first seen, last seen, state, not spam, recur state,
 * recur at, recur n. To free.
 */
static char *
group_sql(const struct group_query *q)
{
	static const char *const order[] = {
		[GROUP_SORT_REPORTS] = "n DESC, last DESC, c.key",
		[GROUP_SORT_LAST] = "last DESC, n DESC, c.key",
		[GROUP_SORT_KEY] = "c.key",
	};
	struct buf where;
	char *sql, *inner, *first, *dtest, *xtest, *e1, *e2, *d1, *d2, *wk;
	int spam = q->type == NULL || strcmp(q->type, "spam") == 0;

	/* Only the conditions asked for, so that an index in the listing's order serves. */
	buf_init(&where);
	buf_adds(&where, "c.kind = ?2");
	if (q->state != NULL)
		buf_adds(&where, " AND c.state = ?3");
	if (q->todo)
		buf_adds(&where, " AND " CASE_TODO);
	if (q->in_net != NULL)
		buf_adds(&where, " AND c.parent = ?9");
	if (q->imported_since > 0) {
		/* What came in since: counted from the reports themselves. */
		inner = group_inner_sql(q->kind, q->type);
		first = q->since > 0 || q->until > 0 || !spam ? first_ever_sql(q->kind, q->type) :
		    xstrdup("c.first_seen");
		sql = xasprintf("SELECT c.id, c.key, g.n AS n, %s, g.last AS last, c.state,"
		    " g.not_spam, c.recur_state, c.recur_at, c.recur_n FROM (%s) g JOIN cases c"
		    " ON c.kind = ?2 AND c.key = g.key WHERE %s ORDER BY %s LIMIT ?4 OFFSET ?20",
		    first, inner, where.data, order[q->sort]);
		free(inner);
		free(first);
	} else if (q->since == 0 && q->until == 0 && spam) {
		/* The common listing: one row per case, in an index's order. */
		sql = xasprintf("SELECT c.id, c.key, c.reports AS n, c.first_seen,"
		    " c.last_seen AS last, c.state, c.not_spam, c.recur_state, c.recur_at, c.recur_n"
		    " FROM cases c WHERE %s AND c.reports > 0 ORDER BY %s LIMIT ?4 OFFSET ?20",
		    where.data,
		    q->sort == GROUP_SORT_REPORTS ? "c.reports DESC, c.last_seen DESC, c.key" :
		    q->sort == GROUP_SORT_LAST ? "c.last_seen DESC, c.reports DESC, c.key" :
		    "c.key");
	} else {
		/* A window (or another class): whole weeks from case_weeks, whole days from
		 * case_days, the edges from the reports; summed per case once. */
		dtest = class_test(q->type, "d");
		xtest = class_test(q->type, "x");
		d1 = bucket_sql("case_days", "day", dtest, 10, 11);
		wk = bucket_sql("case_weeks", "week", dtest, 16, 17);
		d2 = bucket_sql("case_days", "day", dtest, 14, 15);
		e1 = edge_sql(q->kind, xtest, 12, 13);
		e2 = edge_sql(q->kind, xtest, 18, 19);
		first = spam ? xstrdup("c.first_seen") : first_ever_sql(q->kind, q->type);
		sql = xasprintf("SELECT c.id, c.key, w.n AS n, %s, w.last AS last, c.state,"
		    " w.not_spam, c.recur_state, c.recur_at, c.recur_n FROM"
		    " (SELECT p.id, SUM(p.n) AS n, MAX(p.last) AS last, SUM(p.not_spam) AS not_spam"
		    " FROM (%s UNION ALL %s UNION ALL %s UNION ALL %s UNION ALL %s) p"
		    " GROUP BY p.id) w JOIN cases c ON c.id = w.id WHERE %s AND w.n > 0"
		    " ORDER BY %s LIMIT ?4 OFFSET ?20", first, d1, wk, d2, e1, e2, where.data,
		    order[q->sort]);
		free(dtest);
		free(xtest);
		free(d1);
		free(d2);
		free(wk);
		free(e1);
		free(e2);
		free(first);
	}
	buf_free(&where);
	return sql;
}

int
group_list(struct store *s, const struct group_query *q,
    int (*fn)(const struct group_row *, void *), void *arg)
{
	struct group_row row;
	struct window w;
	sqlite3_stmt *st;
	char *sql;
	int rc, cb;

	sql = group_sql(q);
	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_fail(s, "preparing the group query");
	window_split(q->since, q->until, &w);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)q->since);
	sqlite3_bind_text(st, 2, q->kind, -1, SQLITE_STATIC);
	store_bind_text(st, 3, q->state);
	sqlite3_bind_int64(st, 4, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)q->until);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)q->imported_since);
	if (q->type != NULL)
		sqlite3_bind_text(st, 7, q->type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, q->todo);
	store_bind_text(st, 9, q->in_net);
	sqlite3_bind_int64(st, 10, w.days[0][0]);
	sqlite3_bind_int64(st, 11, w.days[0][1]);
	sqlite3_bind_int64(st, 12, w.edge[0][0]);
	sqlite3_bind_int64(st, 13, w.edge[0][1]);
	sqlite3_bind_int64(st, 14, w.days[1][0]);
	sqlite3_bind_int64(st, 15, w.days[1][1]);
	sqlite3_bind_int64(st, 16, w.weeks[0]);
	sqlite3_bind_int64(st, 17, w.weeks[1]);
	sqlite3_bind_int64(st, 18, w.edge[1][0]);
	sqlite3_bind_int64(st, 19, w.edge[1][1]);
	sqlite3_bind_int64(st, 20, q->offset);
	cb = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.id = sqlite3_column_int64(st, 0);
		row.kind = q->kind;
		row.key = (const char *)sqlite3_column_text(st, 1);
		row.reports = sqlite3_column_int64(st, 2);
		row.first_seen = (time_t)sqlite3_column_int64(st, 3);
		row.last_seen = (time_t)sqlite3_column_int64(st, 4);
		row.state = (const char *)sqlite3_column_text(st, 5);
		row.not_spam = sqlite3_column_int64(st, 6);
		row.recur_state = (const char *)sqlite3_column_text(st, 7);
		row.recur_at = (time_t)sqlite3_column_int64(st, 8);
		row.recur_n = sqlite3_column_int64(st, 9);
		/* Distinct complainants of all time, for the rows shown only. */
		row.reporters = q->no_reporters ? -1 : group_reporters(s, row.id);
		if ((cb = fn(&row, arg)) != 0)
			break;
	}
	if (cb == 0 && rc != SQLITE_DONE)
		cb = store_fail(s, "reading groups");
	sqlite3_finalize(st);
	return cb;
}

int64_t
case_info_read(sqlite3_stmt *st, struct case_info *c)
{
	c->kind = store_column_text(st, 0);
	c->key = store_column_text(st, 1);
	c->state = store_column_text(st, 2);
	c->updated_at = (time_t)sqlite3_column_int64(st, 3);
	c->assignee = store_column_text(st, 4);
	c->recur_state = store_column_text(st, 5);
	c->recur_at = (time_t)sqlite3_column_int64(st, 6);
	c->recur_n = sqlite3_column_int64(st, 7);
	c->reports = sqlite3_column_int64(st, 8);
	c->first_seen = (time_t)sqlite3_column_int64(st, 9);
	c->last_seen = (time_t)sqlite3_column_int64(st, 10);
	c->not_spam = sqlite3_column_int64(st, 11);
	/* A customer's case is its own customer. */
	if (c->kind != NULL && strcmp(c->kind, "customer") != 0)
		c->customer = store_column_text(st, 12);
	c->reporters = sqlite3_column_int64(st, 13);
	return sqlite3_column_int64(st, 14);
}

int
case_get(struct store *s, const char *kind, const char *key, struct case_info *info)
{
	static const char case_sql[] =
	    "SELECT " CASE_COLUMNS " FROM cases c WHERE c.kind = ? AND c.key = ?";
	static const char events_sql[] =
	    "SELECT at, user, action, old_state, new_state, note FROM case_events"
	    " WHERE case_id = ? ORDER BY at, id";
	sqlite3_stmt *st;
	int64_t case_id = 0;
	struct case_event *ev;
	int rc;

	memset(info, 0, sizeof *info);
	st = store_stmt(s, case_sql);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		case_id = case_info_read(st, info);
	else {
		info->kind = xstrdup(kind);
		info->key = xstrdup(key);
		info->state = xstrdup("new");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "reading a case");
	if (case_id == 0)
		return 0;
	st = store_stmt(s, events_sql);
	sqlite3_bind_int64(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		info->events = xrealloc(info->events, (info->nevents + 1) * sizeof *info->events);
		ev = &info->events[info->nevents++];
		ev->at = (time_t)sqlite3_column_int64(st, 0);
		ev->user = store_column_text(st, 1);
		ev->action = store_column_text(st, 2);
		ev->old_state = store_column_text(st, 3);
		ev->new_state = store_column_text(st, 4);
		ev->note = store_column_text(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "reading case history");
}

void
case_group_row(const struct case_info *c, struct group_row *row)
{
	memset(row, 0, sizeof *row);
	row->kind = c->kind;
	row->key = c->key;
	row->reports = c->reports;
	row->first_seen = c->first_seen;
	row->last_seen = c->last_seen;
	row->state = c->state;
	row->reporters = c->reporters;
	row->not_spam = c->not_spam;
	row->recur_state = c->recur_state;
	row->recur_at = c->recur_at;
	row->recur_n = c->recur_n;
}

void
case_info_free(struct case_info *info)
{
	size_t i;

	for (i = 0; i < info->nevents; i++) {
		free(info->events[i].user);
		free(info->events[i].action);
		free(info->events[i].old_state);
		free(info->events[i].new_state);
		free(info->events[i].note);
	}
	free(info->events);
	free(info->kind);
	free(info->key);
	free(info->state);
	free(info->assignee);
	free(info->recur_state);
	free(info->customer);
	memset(info, 0, sizeof *info);
}

static int
case_event_add(struct store *s, int64_t case_id, time_t now, const char *user,
    const char *action, const char *old_state, const char *new_state, const char *note)
{
	static const char sql[] =
	    "INSERT INTO case_events (case_id, at, user, action, old_state, new_state, note)"
	    " VALUES (?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, sql);

	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	store_bind_text(st, 3, user);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, old_state);
	store_bind_text(st, 6, new_state);
	store_bind_text(st, 7, note);
	/* Reported by the caller, once. */
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int
case_apply(struct store *s, const char *kind, const char *key, const struct case_change *c)
{
	static const char upsert_sql[] =
	    "INSERT INTO cases (kind, key, state, created_at, updated_at, state_at)"
	    " VALUES (?1,?2,'new',?3,?3,?3) ON CONFLICT (kind, key) DO UPDATE SET updated_at = ?3";
	static const char get_sql[] =
	    "SELECT id, state, assignee FROM cases WHERE kind = ? AND key = ?";
	/* A state that says the work was done starts counting what comes after it. */
	static const char state_sql[] =
	    "UPDATE cases SET state = ?1, state_at = ?3,"
	    " recur_state = CASE WHEN ?1 IN ('notified', 'resolved', 'ignored') THEN ?1 END,"
	    " recur_at = CASE WHEN ?1 IN ('notified', 'resolved', 'ignored') THEN ?3 END,"
	    " recur_n = 0 WHERE id = ?2";
	static const char assign_sql[] = "UPDATE cases SET assignee = ? WHERE id = ?";
	time_t now = time(NULL);
	sqlite3_stmt *st;
	int64_t id;
	char *old = NULL, *old_assignee = NULL;
	size_t i;
	int rc = -1;

	st = store_stmt(s, upsert_sql);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	st = store_stmt(s, get_sql);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	id = sqlite3_column_int64(st, 0);
	old = store_column_text(st, 1);
	old_assignee = store_column_text(st, 2);
	sqlite3_reset(st);
	if (c->state != NULL && strcmp(c->state, old) != 0) {
		st = store_stmt(s, state_sql);
		sqlite3_bind_text(st, 1, c->state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
		if (sqlite3_step(st) != SQLITE_DONE ||
		    case_event_add(s, id, now, c->user, "state", old, c->state, NULL) != 0)
			goto fail;
	}
	if (c->assign && !(c->assignee == NULL ? old_assignee == NULL :
	    old_assignee != NULL && strcmp(c->assignee, old_assignee) == 0)) {
		st = store_stmt(s, assign_sql);
		store_bind_text(st, 1, c->assignee);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE || case_event_add(s, id, now, c->user,
		    "assign", old_assignee, c->assignee, NULL) != 0)
			goto fail;
	}
	for (i = 0; i < c->nnotes; i++)
		if (case_event_add(s, id, now, c->user, "note", NULL, NULL, c->notes[i]) != 0)
			goto fail;
	rc = 0;
fail:
	if (rc != 0)
		store_fail(s, "updating a case");
	free(old);
	free(old_assignee);
	return rc;
}

int64_t
group_reporters(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT COUNT(*) FROM case_reporters WHERE case_id = ?");
	int64_t n;

	sqlite3_bind_int64(st, 1, id);
	n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

int
group_days(struct store *s, const char *kind, const char *key, int64_t day_from, size_t ndays,
    int64_t *counts)
{
	static const char sql[] =
	    "SELECT d.day, SUM(d.reports) FROM cases c JOIN case_days d ON d.case_id = c.id"
	    " WHERE c.kind = ?1 AND c.key = ?2 AND d.day >= ?3 AND d.day < ?4"
	    " AND d.class IN (" REPORT_SPAM_CLASSES_SQL ") GROUP BY d.day";
	sqlite3_stmt *st = store_stmt(s, sql);
	int64_t day;
	int rc;

	memset(counts, 0, ndays * sizeof *counts);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, day_from);
	sqlite3_bind_int64(st, 4, day_from + (int64_t)ndays);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		day = sqlite3_column_int64(st, 0);
		if (day >= day_from && day < day_from + (int64_t)ndays)
			counts[day - day_from] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "reading a case's days");
}

int
case_list(struct store *s, const struct case_query *q,
    int (*fn)(const struct case_info *, void *), void *arg)
{
	struct case_info info;
	sqlite3_stmt *st;
	struct buf where;
	char *sql;
	int rc, param = 0, stopped = 0;

	/* From constant fragments; the values are bound below in the same order. */
	buf_init(&where);
	buf_adds(&where, "c.updated_at >= ?");
	if (q->state != NULL)
		buf_adds(&where, " AND c.state = ?");
	if (q->kind != NULL)
		buf_adds(&where, " AND c.kind = ?");
	if (q->assignee != NULL)
		buf_adds(&where, " AND c.assignee = ?");
	if (q->unassigned)
		buf_adds(&where, " AND c.assignee IS NULL");
	if (q->todo)
		buf_adds(&where, " AND " CASE_TODO);
	/* Served in the order of an index: cases_updated, cases_count (one kind), or the key. */
	sql = xasprintf("SELECT " CASE_COLUMNS " FROM cases c WHERE %s ORDER BY %s LIMIT ?"
	    " OFFSET ?", where.data, q->sort == CASE_SORT_KEY ? "c.kind, c.key" :
	    q->sort == CASE_SORT_REPORTS ? "c.reports DESC, c.last_seen DESC, c.kind, c.key" :
	    "c.updated_at DESC, c.id DESC");
	buf_free(&where);
	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_fail(s, "preparing the case query");
	sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->since);
	if (q->state != NULL)
		sqlite3_bind_text(st, ++param, q->state, -1, SQLITE_STATIC);
	if (q->kind != NULL)
		sqlite3_bind_text(st, ++param, q->kind, -1, SQLITE_STATIC);
	if (q->assignee != NULL)
		sqlite3_bind_text(st, ++param, q->assignee, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, ++param, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, ++param, q->offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&info, 0, sizeof info);
		case_info_read(st, &info);
		stopped = fn(&info, arg);
		case_info_free(&info);
		if (stopped != 0)
			break;
	}
	if (stopped == 0 && rc != SQLITE_DONE)
		stopped = store_fail(s, "reading cases");
	sqlite3_finalize(st);
	return stopped;
}
