/* cmd-reports.c: the reports command: list reports, filtered by case, time, format or status. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "report.h"
#include "store.h"

/* The columns every report query selects, in this order (see report_row_json). */
#define REPORT_COLUMNS \
	"r.id, m.source, r.format, r.feedback_type, r.source_ip, r.source_ip_rule," \
	" r.reported_domain, r.original_message_id, r.original_subject, r.arrival_date," \
	" m.parse_status, m.parse_error, r.seen_at"

static json_t *
column_json(sqlite3_stmt *st, int i)
{
	return json_safe((const char *)sqlite3_column_text(st, i));
}

/* The URLs and the distinct registrable domains of a report, in the order they were found. */
static void
report_urls(struct store *s, int64_t id, json_t *urls, json_t *domains, struct buf *joined)
{
	static const char sql[] =
	    "SELECT url, registrable_domain FROM report_urls WHERE report_id = ? ORDER BY position";
	sqlite3_stmt *st = store_stmt(s, sql);
	struct strlist seen = { 0 };
	const char *domain;

	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (urls != NULL)
			json_array_append_new(urls, column_json(st, 0));
		domain = (const char *)sqlite3_column_text(st, 1);
		if (domain == NULL || strlist_contains(&seen, domain))
			continue;
		strlist_add(&seen, domain);
		if (domains != NULL)
			json_array_append_new(domains, json_safe(domain));
		if (joined != NULL) {
			if (joined->len > 0)
				buf_addc(joined, ',');
			buf_adds(joined, domain);
		}
	}
	sqlite3_reset(st);
	strlist_free(&seen);
}

/* The contract object of one report row (see REPORT_COLUMNS). */
json_t *
cmd_report_json(struct store *s, sqlite3_stmt *st)
{
	int64_t id = sqlite3_column_int64(st, 0);
	json_t *obj = json_object(), *urls = json_array(), *domains = json_array();

	report_urls(s, id, urls, domains, NULL);
	json_object_set_new(obj, "id", json_integer(id));
	json_object_set_new(obj, "source", column_json(st, 1));
	json_object_set_new(obj, "format", column_json(st, 2));
	json_object_set_new(obj, "feedback_type", column_json(st, 3));
	json_object_set_new(obj, "source_ip", column_json(st, 4));
	json_object_set_new(obj, "source_ip_rule", column_json(st, 5));
	json_object_set_new(obj, "domains", domains);
	json_object_set_new(obj, "urls", urls);
	json_object_set_new(obj, "reported_domain", column_json(st, 6));
	json_object_set_new(obj, "original_message_id", column_json(st, 7));
	json_object_set_new(obj, "original_subject", column_json(st, 8));
	json_object_set_new(obj, "arrival_date", json_time((time_t)sqlite3_column_int64(st, 9)));
	json_object_set_new(obj, "parse_status", column_json(st, 10));
	json_object_set_new(obj, "parse_error", column_json(st, 11));
	return obj;
}

static const struct table_col report_cols[] = {
	{ "ID", COL_RIGHT },
	{ "SEEN (UTC)", 0 },
	{ "FORMAT", COL_OPTIONAL },
	{ "TYPE", COL_OPTIONAL },
	{ "SOURCE IP", 0 },
	{ "DOMAINS", COL_FLEX },
	{ "SUBJECT", COL_FLEX | COL_OPTIONAL },
};

static int
cmd_reports_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char *case_arg = args_get(args, 'C');
	const char *format = args_get(args, 'f'), *status = args_get(args, 'S');
	char *kind = NULL, *key = NULL, *sql;
	struct buf where, domains;
	struct table *table = NULL;
	sqlite3_stmt *st;
	time_t since = 0;
	long limit = 0;
	int rc, param = 0;
	char id[24], seen[24];
	const char *cells[7];

	if (args_since(args, "reports", &since) != 0 || args_limit(args, "reports", &limit) != 0)
		return CMD_USAGE;
	if (format != NULL && report_format_find(format) < 0) {
		cmd_error("reports: --format: one of arf, xarf, spamcop, forwarded, unknown");
		return CMD_USAGE;
	}
	if (status != NULL && parse_status_find(status) < 0) {
		cmd_error("reports: --status: one of ok, partial, unparsed");
		return CMD_USAGE;
	}
	if (case_arg != NULL && cmd_parse_case(case_arg, &kind, &key) != 0)
		return CMD_USAGE;
	if (cmd_store(ctx) == NULL) {
		free(kind);
		free(key);
		return CMD_FAIL;
	}

	/* Assembled from constant fragments only; the values are bound below in the same order. */
	buf_init(&where);
	buf_adds(&where, "r.seen_at >= ?");
	if (kind != NULL)
		buf_addf(&where, " AND %s", group_report_filter(kind));
	if (format != NULL)
		buf_adds(&where, " AND r.format = ?");
	if (status != NULL)
		buf_adds(&where, " AND m.parse_status = ?");
	sql = xasprintf("SELECT " REPORT_COLUMNS " FROM reports r JOIN messages m ON m.id = r.id"
	    " WHERE %s ORDER BY r.id LIMIT ?", where.data);
	buf_free(&where);
	rc = sqlite3_prepare_v2(store_db(ctx->store), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		free(kind);
		free(key);
		store_fail(ctx->store, "preparing the report query");
		return CMD_FAIL;
	}
	sqlite3_bind_int64(st, ++param, (sqlite3_int64)since);
	if (kind != NULL)
		sqlite3_bind_text(st, ++param, key, -1, SQLITE_TRANSIENT);
	if (format != NULL)
		sqlite3_bind_text(st, ++param, format, -1, SQLITE_STATIC);
	if (status != NULL)
		sqlite3_bind_text(st, ++param, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, ++param, limit > 0 ? limit : -1);
	free(kind);
	free(key);

	if (!ctx->json)
		table = table_new(report_cols, sizeof report_cols / sizeof report_cols[0]);
	buf_init(&domains);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ctx->json) {
			json_print_line(cmd_report_json(ctx->store, st), stdout);
			continue;
		}
		buf_reset(&domains);
		report_urls(ctx->store, sqlite3_column_int64(st, 0), NULL, NULL, &domains);
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(st, 0));
		output_time((time_t)sqlite3_column_int64(st, 12), seen, sizeof seen);
		cells[0] = id;
		cells[1] = seen;
		cells[2] = (const char *)sqlite3_column_text(st, 2);
		cells[3] = (const char *)sqlite3_column_text(st, 3);
		cells[4] = (const char *)sqlite3_column_text(st, 4);
		cells[5] = domains.len > 0 ? domains.data : NULL;
		cells[6] = (const char *)sqlite3_column_text(st, 8);
		table_add(table, cells);
	}
	buf_free(&domains);
	sqlite3_finalize(st);
	if (table != NULL) {
		table_print(table, stdout);
		table_free(table);
	}
	if (rc != SQLITE_DONE) {
		store_fail(ctx->store, "reading reports");
		return CMD_FAIL;
	}
	return CMD_OK;
}

static const struct option reports_options[] = {
	{ "case", required_argument, NULL, 'C' },
	{ "since", required_argument, NULL, 's' },
	{ "format", required_argument, NULL, 'f' },
	{ "status", required_argument, NULL, 'S' },
	{ "limit", required_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_reports_entry = {
	"reports",
	"[--case KIND:KEY] [--since TIME] [--format FORMAT] [--status STATUS] [--limit N] [--json]",
	"list reports in the order they were imported",
	"C:s:f:S:n:j", reports_options, 0, 0, CMD_STORE | CMD_READONLY, cmd_reports_exec,
};

/* Used by show: one report by id; 0 when found, 1 when not, -1 on error. */
int
cmd_report_lookup(struct store *s, int64_t id, sqlite3_stmt **out)
{
	static const char sql[] = "SELECT " REPORT_COLUMNS
	    " FROM reports r JOIN messages m ON m.id = r.id WHERE r.id = ?";
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = st;
		return 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : store_fail(s, "reading a report");
}
