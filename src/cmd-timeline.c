/* cmd-timeline.c: the timeline command: a case's spam complaints per day or hour, the empty
 * periods between its first and last included, for a person or a chart to read. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "report.h"
#include "store.h"

/* Empty periods are printed between the first and the last up to this many periods. */
#define TIMELINE_MAX_PERIODS	10000

static const struct table_col timeline_cols[] = {
	{ "PERIOD (UTC)", 0 },
	{ "REPORTS", COL_RIGHT },
};

static void
timeline_row(struct cmd_ctx *ctx, struct table *t, time_t at, long long n, int hours)
{
	char when[24], count[24];
	const char *cells[2];

	output_time(at, when, sizeof when);
	/* A day is its date alone. */
	if (!hours)
		when[10] = '\0';
	if (ctx->json) {
		json_print_line(json_pack("{s:o,s:I}", "period", json_time(at), "reports",
		    (json_int_t)n), stdout);
		return;
	}
	snprintf(count, sizeof count, "%lld", n);
	cells[0] = when;
	cells[1] = count;
	table_add(t, cells);
}

static int
cmd_timeline_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char *by = args_get(args, 'b');
	struct table *table = NULL;
	sqlite3_stmt *st;
	time_t since, until, at, next = 0;
	long long n;
	char *kind, *key, *sql;
	int hours, rc, fill;
	long step;

	if (by != NULL && strcmp(by, "day") != 0 && strcmp(by, "hour") != 0) {
		msg_error("timeline: --by: day or hour");
		return CMD_USAGE;
	}
	hours = by != NULL && strcmp(by, "hour") == 0;
	step = hours ? 3600 : 86400;
	if (args_since(args, "timeline", &since) != 0 ||
	    args_time(args, 'u', "timeline", "until", &until) != 0)
		return CMD_USAGE;
	if (cmd_parse_case(args->argv[0], &kind, &key) != 0)
		return CMD_USAGE;
	if (cmd_store(ctx) == NULL) {
		free(kind);
		free(key);
		return CMD_FAIL;
	}
	/* From constant fragments and the period's length; the key (the filter's ?, the first
	 * parameter) and the times are bound. */
	sql = xasprintf("SELECT r.seen_at / %ld * %ld AS t, COUNT(*) FROM reports r WHERE %s AND"
	    " r.class IN (" REPORT_SPAM_CLASSES_SQL ") AND r.duplicate_of IS NULL AND"
	    " r.seen_at >= ?2 AND (?3 = 0 OR r.seen_at < ?3) GROUP BY t ORDER BY t", step, step,
	    group_report_filter(kind));
	rc = sqlite3_prepare_v2(store_db(ctx->store), sql, -1, &st, NULL);
	free(sql);
	free(kind);
	if (rc != SQLITE_OK) {
		free(key);
		store_fail(ctx->store, "preparing the timeline");
		return CMD_FAIL;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)until);
	free(key);
	if (!ctx->json)
		table = table_new(timeline_cols, 2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		at = (time_t)sqlite3_column_int64(st, 0);
		n = sqlite3_column_int64(st, 1);
		/* The empty periods since the one before, unless that would be too many. */
		fill = next != 0 && (at - next) / step < TIMELINE_MAX_PERIODS;
		for (; fill && next < at; next += step)
			timeline_row(ctx, table, next, 0, hours);
		timeline_row(ctx, table, at, n, hours);
		next = at + step;
	}
	sqlite3_finalize(st);
	if (table != NULL) {
		if (rc == SQLITE_DONE)
			table_print(table, stdout);
		table_free(table);
	}
	if (rc != SQLITE_DONE) {
		store_fail(ctx->store, "reading the timeline");
		return CMD_FAIL;
	}
	return CMD_OK;
}

static const struct cmd_option timeline_options[] = {
	{ "by", 'b', "PERIOD", "complaints per day (the default) or hour" },
	{ "since", 's', "TIME", "from TIME on (2026-11-01, 7d, 12h, ...)" },
	{ "until", 'u', "TIME", "before TIME" },
	{ "csv", 'V', NULL, "print the table as CSV (RFC 4180), for spreadsheets" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_timeline_entry = {
	"timeline", "[--by day|hour] [--since TIME] [--until TIME] [--csv] [--json] KIND:KEY",
	"a case's spam complaints per day or hour",
	timeline_options, 1, 1, CMD_STORE | CMD_READONLY, cmd_timeline_exec,
};
