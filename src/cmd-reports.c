/* cmd-reports.c: the reports command: list reports, filtered by case, time, format or status. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "group.h"
#include "listing.h"
#include "output.h"
#include "report.h"
#include "store.h"

/* The URLs and domains of a report, into JSON arrays (either may be NULL) or a joined list. */
struct urls_out {
	json_t		*urls;
	json_t		*domains;
	struct buf	*joined;
};

static void
url_out(const char *url, const char *domain, int first, void *arg)
{
	struct urls_out *o = arg;

	if (o->urls != NULL)
		json_array_append_new(o->urls, json_safe(url));
	if (!first)
		return;
	if (o->domains != NULL)
		json_array_append_new(o->domains, json_safe(domain));
	if (o->joined != NULL) {
		if (o->joined->len > 0)
			buf_addc(o->joined, ',');
		buf_adds(o->joined, domain);
	}
}

/* The contract object of one report. */
json_t *
cmd_report_json(struct store *s, const struct report_item *it)
{
	json_t *obj = json_object();
	struct urls_out o = { json_array(), json_array(), NULL };

	report_urls_each(s, it->id, url_out, &o);
	json_object_set_new(obj, "id", json_integer(it->id));
	json_object_set_new(obj, "message_id", json_integer(it->message_id));
	json_object_set_new(obj, "sample", json_integer(it->sample));
	json_object_set_new(obj, "source", json_safe(it->source));
	json_object_set_new(obj, "format", json_safe(it->format));
	json_object_set_new(obj, "feedback_type", json_safe(it->feedback_type));
	json_object_set_new(obj, "source_ip", json_safe(it->source_ip));
	json_object_set_new(obj, "source_ip_rule", json_safe(it->source_ip_rule));
	json_object_set_new(obj, "domains", o.domains);
	json_object_set_new(obj, "urls", o.urls);
	json_object_set_new(obj, "reported_domain", json_safe(it->reported_domain));
	json_object_set_new(obj, "original_message_id", json_safe(it->original_message_id));
	json_object_set_new(obj, "original_subject", json_safe(it->original_subject));
	json_object_set_new(obj, "arrival_date", json_time(it->arrival_date));
	json_object_set_new(obj, "parse_status", json_safe(it->parse_status));
	json_object_set_new(obj, "parse_error", json_safe(it->parse_error));
	json_object_set_new(obj, "seen_at", json_time(it->seen_at));
	json_object_set_new(obj, "imported_at", json_time(it->imported_at));
	json_object_set_new(obj, "reporter", json_safe(it->reporter));
	json_object_set_new(obj, "class", json_safe(it->class));
	json_object_set_new(obj, "duplicate_of", it->duplicate_of == 0 ? json_null() :
	    json_integer(it->duplicate_of));
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

/* One pass over the listing: JSON Lines when table is NULL, else the rows of the table. */
struct report_pass {
	struct store		*store;
	const struct report_query *query;
	struct table		*table;
	struct buf		 domains;
};

static int
report_row(const struct report_item *it, void *arg)
{
	struct report_pass *p = arg;
	struct urls_out o = { NULL, NULL, &p->domains };
	const char *cells[7];
	char id[24], seen[24];

	if (p->table == NULL) {
		json_print_line(cmd_report_json(p->store, it), stdout);
		return 0;
	}
	buf_reset(&p->domains);
	report_urls_each(p->store, it->id, url_out, &o);
	snprintf(id, sizeof id, "%lld", (long long)it->id);
	output_time(it->seen_at, seen, sizeof seen);
	cells[0] = id;
	cells[1] = seen;
	cells[2] = it->format;
	cells[3] = it->feedback_type;
	cells[4] = it->source_ip;
	cells[5] = p->domains.len > 0 ? p->domains.data : NULL;
	cells[6] = it->original_subject;
	table_add(p->table, cells);
	return 0;
}

static int
report_rows(struct table *table, void *arg)
{
	struct report_pass *p = arg;

	p->table = table;
	return report_list(p->store, p->query, report_row, p);
}

int
cmd_reports_query(const struct args *args, struct report_query *q)
{
	const char *case_arg = args_get(args, 'C');
	char *kind = NULL, *key = NULL;

	memset(q, 0, sizeof *q);
	q->format = args_get(args, 'f');
	q->status = args_get(args, 'P');
	q->type = args_get(args, 'y');
	q->reverse = args_has(args, 'R');
	if (args_since(args, "reports", &q->since) != 0 ||
	    args_limit(args, "reports", &q->limit) != 0 ||
	    args_time(args, 'u', "reports", "until", &q->until) != 0 ||
	    args_time(args, 'I', "reports", "imported-since", &q->imported_since) != 0)
		return CMD_USAGE;
	if (q->format != NULL && report_format_find(q->format) < 0) {
		msg_error("reports: --format: one of %s", report_format_list());
		return CMD_USAGE;
	}
	if (q->status != NULL && parse_status_find(q->status) < 0) {
		msg_error("reports: --status: one of ok, partial, unparsed");
		return CMD_USAGE;
	}
	if (q->type != NULL && cmd_check_type(q->type) != 0)
		return CMD_USAGE;
	if (case_arg != NULL && cmd_parse_case(case_arg, &kind, &key) != 0)
		return CMD_USAGE;
	q->kind = kind;
	q->key = key;
	return CMD_OK;
}

static int
cmd_reports_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct report_query q;
	struct report_pass pass;
	sqlite3 *db;
	int rc;

	if ((rc = cmd_reports_query(args, &q)) != CMD_OK)
		return rc;
	if (cmd_store(ctx) == NULL) {
		free((char *)q.kind);
		free((char *)q.key);
		return CMD_FAIL;
	}
	db = store_db(ctx->store);

	/*
	 * Nothing is kept from row to row: JSON Lines are printed as they are read, and the table
	 * reads the listing twice (widths, then rows). Both passes run in one read transaction, so
	 * that an import committing in between cannot add a row (or a longer ID) the first pass
	 * did not measure. A savepoint is a transaction of its own outside one, nested inside one.
	 */
	pass.store = ctx->store;
	pass.query = &q;
	buf_init(&pass.domains);
	if (sqlite3_exec(db, "SAVEPOINT reports", NULL, NULL, NULL) != SQLITE_OK)
		rc = store_fail(ctx->store, "starting to read reports");
	else {
		if (ctx->json)
			rc = report_rows(NULL, &pass);
		else
			rc = table_stream(report_cols, sizeof report_cols / sizeof report_cols[0],
			    stdout, report_rows, &pass);
		sqlite3_exec(db, "RELEASE reports", NULL, NULL, NULL);
	}
	buf_free(&pass.domains);
	free((char *)q.kind);
	free((char *)q.key);
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
