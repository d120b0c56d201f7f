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
	" m.parse_status, m.parse_error, r.seen_at, r.message_id, r.sample, m.imported_at," \
	" r.reporter, r.class, r.duplicate_of"

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
	json_object_set_new(obj, "message_id", json_integer(sqlite3_column_int64(st, 13)));
	json_object_set_new(obj, "sample", json_integer(sqlite3_column_int64(st, 14)));
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
	json_object_set_new(obj, "seen_at", json_time((time_t)sqlite3_column_int64(st, 12)));
	json_object_set_new(obj, "imported_at", json_time((time_t)sqlite3_column_int64(st, 15)));
	json_object_set_new(obj, "reporter", column_json(st, 16));
	json_object_set_new(obj, "class", column_json(st, 17));
	json_object_set_new(obj, "duplicate_of", sqlite3_column_type(st, 18) == SQLITE_NULL ?
	    json_null() : json_integer(sqlite3_column_int64(st, 18)));
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

/* One pass over the report query: JSON Lines when table is NULL, else the rows of the table. */
struct report_pass {
	struct store	*store;
	sqlite3_stmt	*st;
	struct buf	 domains;
};

static int
report_rows(struct table *table, void *arg)
{
	struct report_pass *p = arg;
	sqlite3_stmt *st = p->st;
	const char *cells[7];
	char id[24], seen[24];
	int rc;

	/* A second pass reads the query again from the start (the bindings are kept). */
	sqlite3_reset(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (table == NULL) {
			json_print_line(cmd_report_json(p->store, st), stdout);
			continue;
		}
		buf_reset(&p->domains);
		report_urls(p->store, sqlite3_column_int64(st, 0), NULL, NULL, &p->domains);
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(st, 0));
		output_time((time_t)sqlite3_column_int64(st, 12), seen, sizeof seen);
		cells[0] = id;
		cells[1] = seen;
		cells[2] = (const char *)sqlite3_column_text(st, 2);
		cells[3] = (const char *)sqlite3_column_text(st, 3);
		cells[4] = (const char *)sqlite3_column_text(st, 4);
		cells[5] = p->domains.len > 0 ? p->domains.data : NULL;
		cells[6] = (const char *)sqlite3_column_text(st, 8);
		table_add(table, cells);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(p->store, "reading reports");
}

static int
cmd_reports_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char *case_arg = args_get(args, 'C');
	const char *format = args_get(args, 'f'), *status = args_get(args, 'P');
	const char *type = args_get(args, 'y');
	char *kind = NULL, *key = NULL, *sql;
	const char *desc;
	struct report_pass pass;
	struct buf where;
	sqlite3 *db;
	time_t since = 0, until = 0, imported = 0;
	long limit = 0;
	int rc, param = 0, domain;

	if (args_since(args, "reports", &since) != 0 || args_limit(args, "reports", &limit) != 0 ||
	    args_time(args, 'u', "reports", "until", &until) != 0 ||
	    args_time(args, 'I', "reports", "imported-since", &imported) != 0)
		return CMD_USAGE;
	if (format != NULL && report_format_find(format) < 0) {
		msg_error("reports: --format: one of %s", report_format_list());
		return CMD_USAGE;
	}
	if (status != NULL && parse_status_find(status) < 0) {
		msg_error("reports: --status: one of ok, partial, unparsed");
		return CMD_USAGE;
	}
	if (case_arg != NULL && cmd_parse_case(case_arg, &kind, &key) != 0)
		return CMD_USAGE;
	if (type != NULL && cmd_check_type(type) != 0) {
		free(kind);
		free(key);
		return CMD_USAGE;
	}
	if (cmd_store(ctx) == NULL) {
		free(kind);
		free(key);
		return CMD_FAIL;
	}
	db = store_db(ctx->store);

	/* Assembled from constant fragments only; the values are bound below in the same order. */
	buf_init(&where);
	buf_adds(&where, "r.seen_at >= ?");
	if (args_has(args, 'u'))
		buf_adds(&where, " AND r.seen_at < ?");
	if (args_has(args, 'I'))
		buf_adds(&where, " AND m.imported_at >= ?");
	domain = kind != NULL && strcmp(kind, "domain") == 0;
	if (domain)
		buf_adds(&where, " AND d.domain = ?");
	else if (kind != NULL)
		buf_addf(&where, " AND %s", group_report_filter(kind));
	if (format != NULL)
		buf_adds(&where, " AND r.format = ?");
	if (status != NULL)
		buf_adds(&where, " AND m.parse_status = ?");
	if (type != NULL && strcmp(type, "spam") == 0)
		buf_adds(&where, " AND r.class IN (" REPORT_SPAM_CLASSES_SQL ")");
	else if (type != NULL && strcmp(type, "all") != 0)
		buf_adds(&where, " AND r.class = ?");
	/* In the order the spam was seen, read from the index of the case's kind (a domain's
	 * reports through report_domains), so that the first rows come without a sort. */
	desc = args_has(args, 'R') ? " DESC" : "";
	sql = xasprintf("SELECT " REPORT_COLUMNS " FROM %s JOIN messages m ON m.id = r.message_id"
	    " WHERE %s ORDER BY %s%s, %s%s LIMIT ?", domain ? "report_domains d JOIN reports r ON"
	    " r.id = d.report_id" : "reports r", where.data, domain ? "d.seen_at" : "r.seen_at",
	    desc, domain ? "d.report_id" : "r.id", desc);
	buf_free(&where);
	rc = sqlite3_prepare_v2(db, sql, -1, &pass.st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		free(kind);
		free(key);
		store_fail(ctx->store, "preparing the report query");
		return CMD_FAIL;
	}
	sqlite3_bind_int64(pass.st, ++param, (sqlite3_int64)since);
	if (args_has(args, 'u'))
		sqlite3_bind_int64(pass.st, ++param, (sqlite3_int64)until);
	if (args_has(args, 'I'))
		sqlite3_bind_int64(pass.st, ++param, (sqlite3_int64)imported);
	if (kind != NULL)
		sqlite3_bind_text(pass.st, ++param, key, -1, SQLITE_TRANSIENT);
	if (format != NULL)
		sqlite3_bind_text(pass.st, ++param, format, -1, SQLITE_STATIC);
	if (status != NULL)
		sqlite3_bind_text(pass.st, ++param, status, -1, SQLITE_STATIC);
	if (type != NULL && strcmp(type, "spam") != 0 && strcmp(type, "all") != 0)
		sqlite3_bind_text(pass.st, ++param, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(pass.st, ++param, limit > 0 ? limit : -1);
	free(kind);
	free(key);

	/*
	 * Nothing is kept from row to row: JSON Lines are printed as they are read, and the table
	 * reads the query twice (widths, then rows). Both passes run in one read transaction, so
	 * that an import committing in between cannot add a row (or a longer ID) the first pass
	 * did not measure. A savepoint is a transaction of its own outside one, nested inside one.
	 */
	pass.store = ctx->store;
	buf_init(&pass.domains);
	if (sqlite3_exec(db, "SAVEPOINT reports", NULL, NULL, NULL) != SQLITE_OK)
		rc = store_fail(ctx->store, "starting to read reports");
	else {
		if (ctx->json)
			rc = report_rows(NULL, &pass);
		else
			rc = table_stream(report_cols, sizeof report_cols / sizeof report_cols[0],
			    stdout, report_rows, &pass);
		sqlite3_reset(pass.st);
		sqlite3_exec(db, "RELEASE reports", NULL, NULL, NULL);
	}
	buf_free(&pass.domains);
	sqlite3_finalize(pass.st);
	return rc == 0 ? CMD_OK : CMD_FAIL;
}

static const struct cmd_option reports_options[] = {
	{ "case", 'C', "KIND:KEY", "only the reports of this case (ip:, net:, domain:)" },
	{ "since", 's', "TIME", "only reports seen since TIME (2026-11-01, 7d, 12h, ...)" },
	{ "until", 'u', "TIME", "only reports seen before TIME" },
	{ "imported-since", 'I', "TIME", "only reports imported since TIME" },
	{ "reverse", 'R', NULL, "newest first" },
	{ "format", 'f', "FORMAT", "only reports of this format (arf, xarf, spamcop, ...)" },
	{ "status", 'P', "STATUS", "only reports with this parse status: ok, partial, unparsed" },
	{ "type", 'y', "CLASS", "only spam complaints, or one class (not-spam, ...); all: any" },
	{ "limit", 'n', "N", "at most N reports" },
	{ "wide", 'W', NULL, "do not cut long domains or subjects to 60 columns" },
	{ "csv", 'V', NULL, "print the table as CSV (RFC 4180), for spreadsheets" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_reports_entry = {
	"reports",
	"[--case KIND:KEY] [--since TIME] [--until TIME] [--imported-since TIME] [--format FORMAT] "
	    "[--status STATUS] [--type CLASS] [--reverse] [--limit N] [--wide] [--csv] [--json]",
	"list reports in the order the spam was seen",
	reports_options, 0, 0, CMD_STORE | CMD_READONLY, cmd_reports_exec,
};

/* Used by show: one report by id; 0 when found, 1 when not, -1 on error. */
int
cmd_report_lookup(struct store *s, int64_t id, sqlite3_stmt **out)
{
	static const char sql[] = "SELECT " REPORT_COLUMNS
	    " FROM reports r JOIN messages m ON m.id = r.message_id WHERE r.id = ?";
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
