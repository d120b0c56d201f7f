/* group.c: grouping queries over reports and the durable case records beside them. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "report.h"
#include "store.h"
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

/* A case counts its spam complaints. */
#define CASE_SPAM	"r.class IN (" REPORT_SPAM_CLASSES_SQL ")"

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

/*
 * A group's first complaint of all time, as an SQL expression on g.key from constant text: a
 * window (--since) counts its own reports, but FIRST SEEN is when the group began.
 */
static char *
first_ever_sql(const char *kind, const char *type)
{
	char *test = class_test(type, "y"), *sql;

	if (strcmp(kind, "domain") == 0)
		sql = xasprintf("(SELECT MIN(y.seen_at) FROM report_domains y WHERE y.domain = g.key"
		    " AND %s)", test);
	else
		sql = xasprintf("(SELECT MIN(y.seen_at) FROM reports y WHERE y.%s = g.key AND %s"
		    " AND y.duplicate_of IS NULL)", strcmp(kind, "ip") == 0 ? "source_ip" :
		    strcmp(kind, "customer") == 0 ? "customer" : "source_net", test);
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
	char *m = class_test(type, "x"), *sql;
	const char *key;
	int domain = strcmp(kind, "domain") == 0;

	key = domain ? "x.domain" : strcmp(kind, "ip") == 0 ? "x.source_ip" :
	    strcmp(kind, "customer") == 0 ? "x.customer" : "x.source_net";
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

int
group_list(struct store *s, const struct group_query *q,
    int (*fn)(const struct group_row *, void *), void *arg)
{
	static const char *const order[] = {
		[GROUP_SORT_REPORTS] = "g.n DESC, g.last DESC, g.key",
		[GROUP_SORT_LAST] = "g.last DESC, g.n DESC, g.key",
		[GROUP_SORT_KEY] = "g.key",
	};
	struct group_row row;
	sqlite3_stmt *st;
	char *sql, *inner, *first;
	int rc, cb, windowed;

	/* Built only from the constant fragments above; every value is a bound parameter. */
	inner = group_inner_sql(q->kind, q->type);
	windowed = q->since > 0 || q->until > 0 || q->imported_since > 0;
	first = windowed ? first_ever_sql(q->kind, q->type) : xstrdup("g.first");
	sql = xasprintf("SELECT g.key, g.n, %s, g.last, COALESCE(c.state, 'new'),"
	    " g.not_spam, c.recur_state, c.recur_at, COALESCE(c.recur_n, 0)"
	    " FROM (%s) g LEFT JOIN cases c ON c.kind = ?2 AND c.key = g.key"
	    " WHERE (?3 IS NULL OR COALESCE(c.state, 'new') = ?3) AND (?8 = 0 OR %s)"
	    " ORDER BY %s LIMIT ?4", first, inner, CASE_TODO, order[q->sort]);
	free(inner);
	free(first);
	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_fail(s, "preparing the group query");
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
	cb = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.kind = q->kind;
		row.key = (const char *)sqlite3_column_text(st, 0);
		row.reports = sqlite3_column_int64(st, 1);
		row.first_seen = (time_t)sqlite3_column_int64(st, 2);
		row.last_seen = (time_t)sqlite3_column_int64(st, 3);
		row.state = (const char *)sqlite3_column_text(st, 4);
		row.reporters = -1;
		row.not_spam = sqlite3_column_int64(st, 5);
		row.recur_state = (const char *)sqlite3_column_text(st, 6);
		row.recur_at = (time_t)sqlite3_column_int64(st, 7);
		row.recur_n = sqlite3_column_int64(st, 8);
		if ((cb = fn(&row, arg)) != 0)
			break;
	}
	if (cb == 0 && rc != SQLITE_DONE)
		cb = store_fail(s, "reading groups");
	sqlite3_finalize(st);
	return cb;
}

int
case_get(struct store *s, const char *kind, const char *key, struct case_info *info)
{
	static const char case_sql[] =
	    "SELECT id, state, updated_at, assignee, recur_state, recur_at, recur_n FROM cases"
	    " WHERE kind = ? AND key = ?";
	static const char events_sql[] =
	    "SELECT at, user, action, old_state, new_state, note FROM case_events"
	    " WHERE case_id = ? ORDER BY at, id";
	sqlite3_stmt *st;
	char *sql;
	int64_t case_id = 0;
	struct case_event *ev;
	int rc;

	memset(info, 0, sizeof *info);
	info->kind = xstrdup(kind);
	info->key = xstrdup(key);
	sql = xasprintf("SELECT COALESCE(SUM(%s), 0), MIN(CASE WHEN %s THEN r.seen_at END),"
	    " MAX(CASE WHEN %s THEN r.seen_at END), COUNT(DISTINCT CASE WHEN %s THEN r.reporter END),"
	    " COALESCE(SUM(r.class IS 'not-spam'), 0) FROM reports r WHERE r.duplicate_of IS NULL"
	    " AND %s", CASE_SPAM,
	    CASE_SPAM, CASE_SPAM, CASE_SPAM, group_report_filter(kind));
	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_fail(s, "preparing the case query");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		info->reports = sqlite3_column_int64(st, 0);
		info->first_seen = (time_t)sqlite3_column_int64(st, 1);
		info->last_seen = (time_t)sqlite3_column_int64(st, 2);
		info->reporters = sqlite3_column_int64(st, 3);
		info->not_spam = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	/* Whose it is: the customer most of its reports hit. */
	if (strcmp(kind, "customer") != 0) {
		sql = xasprintf("SELECT r.customer FROM reports r WHERE r.customer IS NOT NULL AND"
		    " %s GROUP BY r.customer ORDER BY COUNT(*) DESC, r.customer LIMIT 1",
		    group_report_filter(kind));
		if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				info->customer = store_column_text(st, 0);
			sqlite3_finalize(st);
		}
		free(sql);
	}

	st = store_stmt(s, case_sql);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		case_id = sqlite3_column_int64(st, 0);
		info->state = store_column_text(st, 1);
		info->updated_at = (time_t)sqlite3_column_int64(st, 2);
		info->assignee = store_column_text(st, 3);
		info->recur_state = store_column_text(st, 4);
		info->recur_at = (time_t)sqlite3_column_int64(st, 5);
		info->recur_n = sqlite3_column_int64(st, 6);
	} else
		info->state = xstrdup("new");
	sqlite3_reset(st);
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
