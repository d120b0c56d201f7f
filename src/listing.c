/* listing.c: the reports listing (reports, the console's views): one query, a page at a time. */

#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "listing.h"
#include "report.h"
#include "store.h"
#include "util.h"

/* The columns every report query selects, in this order (see item_read). */
#define REPORT_COLUMNS \
	"r.id, m.source, r.format, r.feedback_type, r.source_ip, r.source_ip_rule," \
	" r.reported_domain, r.original_message_id, r.original_subject, r.arrival_date," \
	" m.parse_status, m.parse_error, r.seen_at, r.message_id, r.sample, m.imported_at," \
	" r.reporter, r.class, r.duplicate_of"

static void
item_read(sqlite3_stmt *st, struct report_item *it)
{
#define TEXT(i)	((const char *)sqlite3_column_text(st, (i)))
	it->id = sqlite3_column_int64(st, 0);
	it->source = TEXT(1);
	it->format = TEXT(2);
	it->feedback_type = TEXT(3);
	it->source_ip = TEXT(4);
	it->source_ip_rule = TEXT(5);
	it->reported_domain = TEXT(6);
	it->original_message_id = TEXT(7);
	it->original_subject = TEXT(8);
	it->arrival_date = (time_t)sqlite3_column_int64(st, 9);
	it->parse_status = TEXT(10);
	it->parse_error = TEXT(11);
	it->seen_at = (time_t)sqlite3_column_int64(st, 12);
	it->message_id = sqlite3_column_int64(st, 13);
	it->sample = sqlite3_column_int64(st, 14);
	it->imported_at = (time_t)sqlite3_column_int64(st, 15);
	it->reporter = TEXT(16);
	it->class = TEXT(17);
	it->duplicate_of = sqlite3_column_int64(st, 18);
#undef TEXT
}

/* The query's SQL, from constant fragments, its values bound in report_list in the same
 * order. To free. */
static char *
query_sql(const struct report_query *q)
{
	struct buf where;
	const char *desc = q->reverse ? " DESC" : "";
	const char *seen, *id;
	char *sql;
	int domain = q->kind != NULL && strcmp(q->kind, "domain") == 0;

	/* In the order the spam was seen, read from the index of the case's kind (a domain's
	 * reports through report_domains), so that the first rows come without a sort. */
	seen = domain ? "d.seen_at" : "r.seen_at";
	id = domain ? "d.report_id" : "r.id";
	buf_init(&where);
	buf_addf(&where, "%s >= ?", seen);
	if (q->until > 0)
		buf_addf(&where, " AND %s < ?", seen);
	if (q->after)
		/* The range on seen_at is the index's; the id decides within a second. */
		buf_addf(&where, " AND %s %s= ? AND (%s %s ? OR %s %s ?)", seen,
		    q->reverse ? "<" : ">", seen, q->reverse ? "<" : ">", id,
		    q->reverse ? "<" : ">");
	if (q->imported_since > 0)
		buf_adds(&where, " AND m.imported_at >= ?");
	if (domain)
		buf_adds(&where, " AND d.domain = ?");
	else if (q->kind != NULL)
		buf_addf(&where, " AND %s", group_report_filter(q->kind));
	if (q->format != NULL)
		buf_adds(&where, " AND r.format = ?");
	if (q->status != NULL)
		buf_adds(&where, " AND m.parse_status = ?");
	if (q->type != NULL && strcmp(q->type, "spam") == 0)
		buf_adds(&where, " AND r.class IN (" REPORT_SPAM_CLASSES_SQL ")");
	else if (q->type != NULL && strcmp(q->type, "all") != 0)
		buf_adds(&where, " AND r.class = ?");
	sql = xasprintf("SELECT " REPORT_COLUMNS " FROM %s JOIN messages m ON m.id = r.message_id"
	    " WHERE %s ORDER BY %s%s, %s%s LIMIT ?", domain ? "report_domains d JOIN reports r ON"
	    " r.id = d.report_id" : "reports r", where.data, seen, desc, id, desc);
	buf_free(&where);
	return sql;
}

int
report_list(struct store *s, const struct report_query *q,
    int (*fn)(const struct report_item *, void *), void *arg)
{
	struct report_item it;
	sqlite3_stmt *st;
	char *sql = query_sql(q);
	int rc, param = 0, stopped = 0;

	rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_fail(s, "preparing the report query");
	sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->since);
	if (q->until > 0)
		sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->until);
	if (q->after) {
		sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->after_seen);
		sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->after_seen);
		sqlite3_bind_int64(st, ++param, q->after_id);
	}
	if (q->imported_since > 0)
		sqlite3_bind_int64(st, ++param, (sqlite3_int64)q->imported_since);
	if (q->kind != NULL)
		sqlite3_bind_text(st, ++param, q->key, -1, SQLITE_STATIC);
	if (q->format != NULL)
		sqlite3_bind_text(st, ++param, q->format, -1, SQLITE_STATIC);
	if (q->status != NULL)
		sqlite3_bind_text(st, ++param, q->status, -1, SQLITE_STATIC);
	if (q->type != NULL && strcmp(q->type, "spam") != 0 && strcmp(q->type, "all") != 0)
		sqlite3_bind_text(st, ++param, q->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, ++param, q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		item_read(st, &it);
		if ((stopped = fn(&it, arg)) != 0)
			break;
	}
	if (stopped == 0 && rc != SQLITE_DONE)
		stopped = store_fail(s, "reading reports");
	sqlite3_finalize(st);
	return stopped;
}

int
report_get(struct store *s, int64_t id, int (*fn)(const struct report_item *, void *),
    void *arg)
{
	static const char sql[] = "SELECT " REPORT_COLUMNS
	    " FROM reports r JOIN messages m ON m.id = r.message_id WHERE r.id = ?";
	sqlite3_stmt *st = store_stmt(s, sql);
	struct report_item it;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		item_read(st, &it);
		rc = fn(&it, arg);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : store_fail(s, "reading a report");
}

int
report_urls_each(struct store *s, int64_t id,
    void (*fn)(const char *, const char *, int, void *), void *arg)
{
	static const char sql[] =
	    "SELECT url, registrable_domain FROM report_urls WHERE report_id = ? ORDER BY position";
	sqlite3_stmt *st = store_stmt(s, sql);
	struct strlist seen = { 0 };
	const char *domain;
	int first, rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		domain = (const char *)sqlite3_column_text(st, 1);
		first = domain != NULL && !strlist_contains(&seen, domain);
		if (first)
			strlist_add(&seen, domain);
		fn((const char *)sqlite3_column_text(st, 0), domain, first, arg);
	}
	sqlite3_reset(st);
	strlist_free(&seen);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "reading a report's URLs");
}
