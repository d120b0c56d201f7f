/* cmd-show.c: the show command: one report in full, or its raw message (the evidence). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "evidence.h"
#include "ipaddr.h"
#include "listing.h"
#include "output.h"
#include "received.h"
#include "report.h"
#include "store.h"

static json_t *
chain_json(const struct received_chain *c)
{
	json_t *hops = json_array(), *obj;
	char ip[IPADDR_STRLEN];
	size_t i;

	for (i = 0; c != NULL && i < c->nhops; i++) {
		obj = json_object();
		json_object_set_new(obj, "position", json_integer((json_int_t)c->hops[i].position));
		json_object_set_new(obj, "from", json_safe(c->hops[i].from_host));
		if (c->hops[i].has_ip)
			ipaddr_format(&c->hops[i].ip, ip);
		json_object_set_new(obj, "ip", c->hops[i].has_ip ? json_string(ip) : json_null());
		json_object_set_new(obj, "by", json_safe(c->hops[i].by_host));
		json_object_set_new(obj, "verdict", json_string(
		    received_verdict_names[c->hops[i].verdict]));
		json_object_set_new(obj, "reason", json_safe(c->hops[i].reason));
		json_array_append_new(hops, obj);
	}
	for (i = 0; c != NULL && i < c->nstamps; i++) {
		obj = json_object();
		ipaddr_format(&c->stamps[i].ip, ip);
		json_object_set_new(obj, "stamp", json_safe(c->stamps[i].name));
		json_object_set_new(obj, "ip", json_string(ip));
		json_object_set_new(obj, "believed", json_boolean(c->stamps[i].believed));
		json_object_set_new(obj, "reason", json_safe(c->stamps[i].reason));
		json_array_append_new(hops, obj);
	}
	return hops;
}

/* The JSON of one report: the listing's object, its details and what parsing it again says. */
static int
show_json(const struct report_item *it, void *arg)
{
	struct cmd_ctx *ctx = arg;
	const struct report *sample;
	struct report parsed;
	sqlite3_stmt *detail;
	json_t *obj, *fields;
	char *text, *p, *next;

	if (evidence_detail(ctx->store, ctx->conf, it, &detail, &parsed, &sample) != 0)
		return -1;
	obj = cmd_report_json(ctx->store, it);
	json_object_set_new(obj, "source_position", json_safe(
	    (const char *)sqlite3_column_text(detail, 1)));
	json_object_set_new(obj, "reporter", json_safe(
	    (const char *)sqlite3_column_text(detail, 4)));
	json_object_set_new(obj, "user_agent", json_safe(
	    (const char *)sqlite3_column_text(detail, 5)));
	json_object_set_new(obj, "original_mail_from", json_safe(
	    (const char *)sqlite3_column_text(detail, 7)));
	json_object_set_new(obj, "original_rcpt_to", json_safe(
	    (const char *)sqlite3_column_text(detail, 8)));
	json_object_set_new(obj, "source_net", json_safe(
	    (const char *)sqlite3_column_text(detail, 12)));
	json_object_set_new(obj, "size", json_integer(sqlite3_column_int64(detail, 3)));
	json_object_set_new(obj, "samples", json_integer(sqlite3_column_int64(detail, 14)));
	fields = json_array();
	text = store_column_text(detail, 11);
	for (p = text; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, '\n');
		if (next != NULL)
			*next++ = '\0';
		json_array_append_new(fields, json_safe(p));
	}
	free(text);
	json_object_set_new(obj, "fields", fields);
	json_object_set_new(obj, "complaint_text", json_safe(sample->complaint_text));
	json_object_set_new(obj, "received", chain_json(sample->received));
	json_print_line(obj, stdout);
	report_free(&parsed);
	sqlite3_reset(detail);
	return 0;
}

/* The raw message a report came from (with the other spams of a forward, if any): to a
 * terminal made safe, to a pipe or file byte for byte. */
static int
show_raw(struct store *s, int64_t id)
{
	char *raw;
	size_t len;
	int rc = evidence_raw(s, id, &raw, &len);

	if (rc != 0)
		return rc;
	if (isatty(STDOUT_FILENO))
		output_text(stdout, raw, len);
	else if (len > 0)
		fwrite(raw, 1, len, stdout);
	free(raw);
	return 0;
}

static int
cmd_show_exec(struct cmd_ctx *ctx, struct args *args)
{
	char *end;
	long long id;
	int rc;

	errno = 0;
	id = strtoll(args->argv[0], &end, 10);
	if (errno != 0 || *end != '\0' || id < 1) {
		msg_error("show: not a report number: %s", args->argv[0]);
		return CMD_USAGE;
	}
	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;
	if (args_has(args, 'r'))
		rc = show_raw(ctx->store, id);
	else if (ctx->json)
		rc = report_get(ctx->store, id, show_json, ctx);
	else
		rc = evidence_write(ctx->store, ctx->conf, id, stdout);
	if (rc == 1)
		msg_error("show: no report %lld", id);
	return rc == 0 ? CMD_OK : CMD_FAIL;
}

static const struct cmd_option show_options[] = {
	{ "raw", 'r', NULL, "print the stored message as it was imported" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_show_entry = {
	"show", "[--raw | --json] REPORT",
	"one report in full, or its raw message (--raw)",
	show_options, 1, 1, CMD_STORE | CMD_READONLY, cmd_show_exec,
};
