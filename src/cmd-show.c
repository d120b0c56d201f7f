/* cmd-show.c: the show command: one report in full, or its raw message (the evidence). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ipaddr.h"
#include "output.h"
#include "report.h"
#include "store.h"

static const char detail_sql[] =
    "SELECT m.source, m.source_pos, m.imported_at, m.size, r.reporter, r.user_agent,"
    " r.version, r.original_mail_from, r.original_rcpt_to, r.auth_results, r.incidents,"
    " r.fields, r.source_net, m.raw,"
    " (SELECT COUNT(*) FROM reports x WHERE x.message_id = r.message_id)"
    " FROM reports r JOIN messages m ON m.id = r.message_id WHERE r.id = ?";

static void
line(const char *label, const char *value)
{
	char *safe;

	if (value == NULL || *value == '\0')
		return;
	safe = text_safe_line(value, strlen(value));
	printf("%-16s %s\n", label, safe);
	free(safe);
}

/* The raw message a report came from (with the other spams of a forward, if any). */
static int
show_raw(struct store *s, int64_t message_id)
{
	static const char sql[] = "SELECT raw FROM messages WHERE id = ?";
	sqlite3_stmt *st = store_stmt(s, sql);
	const void *raw;
	size_t len;

	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	raw = sqlite3_column_blob(st, 0);
	len = (size_t)sqlite3_column_bytes(st, 0);
	/* To a terminal the raw message is made safe; to a pipe or file it goes byte for byte. */
	if (isatty(STDOUT_FILENO))
		output_text(stdout, raw != NULL ? raw : "", len);
	else if (len > 0)
		fwrite(raw, 1, len, stdout);
	sqlite3_reset(st);
	return 0;
}

/* What is not stored but read again from the raw message: the complainant's words. */
static void
show_reparse(const struct conf *conf, sqlite3_stmt *detail, struct report *r)
{
	const void *raw = sqlite3_column_blob(detail, 13);

	report_parse(raw != NULL ? raw : "", (size_t)sqlite3_column_bytes(detail, 13), conf, r);
}

/* Lines of untrusted text, each made safe, under a label. */
static void
show_lines(const char *label, const char *text)
{
	char *copy, *p, *next;

	if (text == NULL)
		return;
	printf("\n%s\n", label);
	copy = xstrdup(text);
	for (p = copy; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, '\n');
		if (next != NULL)
			*next++ = '\0';
		line("", p);
	}
	free(copy);
}

/* One hop as `show` prints it: "3  mail.example [192.0.2.1] -> mx.isp.example  chosen". */
static char *
hop_text(const struct received_hop *h)
{
	const char *verdict = received_verdict_texts[h->verdict];
	size_t n = strlen(verdict);
	/* "internal to microsoft", "forwarded by the recipient's gmail"; else "(private)". */
	int joined = (n > 3 && strcmp(verdict + n - 3, " to") == 0) ||
	    (n > 2 && strcmp(verdict + n - 2, "'s") == 0);
	char ip[IPADDR_STRLEN];

	if (h->has_ip)
		ipaddr_format(&h->ip, ip);
	return xasprintf("%zu %s%s%s%s -> %s: %s%s%s%s", h->position,
	    h->from_host != NULL ? h->from_host : "-", h->has_ip ? " [" : "",
	    h->has_ip ? ip : "", h->has_ip ? "]" : "", h->by_host != NULL ? h->by_host : "-",
	    verdict, h->reason == NULL ? "" : joined ? " " : " (", h->reason != NULL ? h->reason :
	    "", h->reason == NULL || joined ? "" : ")");
}

static char *
stamp_text(const struct received_stamp *st)
{
	char ip[IPADDR_STRLEN];

	ipaddr_format(&st->ip, ip);
	return xasprintf("%s: %s, %s%s%s", st->name, ip, st->believed ? "believed" : "not believed",
	    st->reason != NULL ? ": " : "", st->reason != NULL ? st->reason : "");
}

/* The evidence for the source: the original's Received chain, each hop's verdict, and what the
 * provider stamped about the client. */
static void
show_chain(const struct received_chain *c)
{
	size_t i;
	char *text;

	if (c == NULL || c->nhops == 0)
		return;
	printf("\nReceived chain of the original (top first):\n");
	for (i = 0; i < c->nhops; i++) {
		text = hop_text(&c->hops[i]);
		line("", text);
		free(text);
	}
	for (i = 0; i < c->nstamps; i++) {
		if (i == 0)
			printf("\nStamped by the receiving provider:\n");
		text = stamp_text(&c->stamps[i]);
		line("", text);
		free(text);
	}
}

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

static void
show_human(struct store *s, sqlite3_stmt *row, sqlite3_stmt *detail, const struct report *r)
{
	static const char url_sql[] =
	    "SELECT url, registrable_domain FROM report_urls WHERE report_id = ? ORDER BY position";
	sqlite3_stmt *st;
	char when[24], *rule, *ip, *fields, *p;
	const char *status = (const char *)sqlite3_column_text(row, 10);
	int64_t id = sqlite3_column_int64(row, 0);
	long n = 0, samples = sqlite3_column_int64(detail, 14);

	printf("Report %lld\n", (long long)id);
	if (samples > 1)
		printf("%-16s %lld, spam %lld of the %ld it holds\n", "Message:",
		    (long long)sqlite3_column_int64(row, 13),
		    (long long)sqlite3_column_int64(row, 14), samples);
	else
		printf("%-16s %lld\n", "Message:", (long long)sqlite3_column_int64(row, 13));
	line("Source:", (const char *)sqlite3_column_text(detail, 0));
	line("Position:", (const char *)sqlite3_column_text(detail, 1));
	output_time((time_t)sqlite3_column_int64(detail, 2), when, sizeof when);
	line("Imported:", when);
	line("Format:", (const char *)sqlite3_column_text(row, 2));
	if (sqlite3_column_text(row, 11) != NULL) {
		p = xasprintf("%s: %s", status, (const char *)sqlite3_column_text(row, 11));
		line("Parse:", p);
		free(p);
	} else
		line("Parse:", status);
	line("Reporter:", (const char *)sqlite3_column_text(detail, 4));
	line("Feedback-Type:", (const char *)sqlite3_column_text(row, 3));
	line("User-Agent:", (const char *)sqlite3_column_text(detail, 5));
	if (sqlite3_column_int64(row, 9) > 0) {
		output_time((time_t)sqlite3_column_int64(row, 9), when, sizeof when);
		line("Arrival (UTC):", when);
	}
	ip = (char *)sqlite3_column_text(row, 4);
	if (ip != NULL) {
		rule = xasprintf("%s (%s; network %s)", ip, sqlite3_column_text(row, 5),
		    sqlite3_column_text(detail, 12));
		line("Source IP:", rule);
		free(rule);
	} else
		line("Source IP:", "none found");
	line("Reported-Domain:", (const char *)sqlite3_column_text(row, 6));
	line("Mail-From:", (const char *)sqlite3_column_text(detail, 7));
	line("Rcpt-To:", (const char *)sqlite3_column_text(detail, 8));
	line("Message-ID:", (const char *)sqlite3_column_text(row, 7));
	line("Subject:", (const char *)sqlite3_column_text(row, 8));
	line("Auth-Results:", (const char *)sqlite3_column_text(detail, 9));
	fields = store_column_text(detail, 11);
	show_lines("Report fields:", fields);
	free(fields);
	show_chain(r->received);
	show_lines("Complainant's words:", r->complaint_text);
	st = store_stmt(s, url_sql);
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0)
			printf("\nAdvertised URLs:\n");
		p = xasprintf("%s  [%s]", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1) != NULL ? (const char *)sqlite3_column_text(st, 1) :
		    "no domain");
		line("", p);
		free(p);
	}
	sqlite3_reset(st);
}

static int
cmd_show_exec(struct cmd_ctx *ctx, struct args *args)
{
	sqlite3_stmt *row, *detail;
	json_t *obj, *fields;
	struct report parsed;
	const struct report *sample;
	char *end, *text, *p, *next;
	int64_t message_id;
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
	rc = cmd_report_lookup(ctx->store, id, &row);
	if (rc < 0)
		return CMD_FAIL;
	if (rc == 1) {
		msg_error("show: no report %lld", id);
		return CMD_FAIL;
	}
	if (args_has(args, 'r')) {
		message_id = sqlite3_column_int64(row, 13);
		sqlite3_reset(row);
		return show_raw(ctx->store, message_id) == 0 ? CMD_OK : CMD_FAIL;
	}
	detail = store_stmt(ctx->store, detail_sql);
	sqlite3_bind_int64(detail, 1, id);
	if (sqlite3_step(detail) != SQLITE_ROW) {
		sqlite3_reset(row);
		store_fail(ctx->store, "reading a report");
		return CMD_FAIL;
	}
	show_reparse(ctx->conf, detail, &parsed);
	/* The message parsed again holds every spam of a forward: this report's is its sample. */
	if ((sample = report_sample(&parsed, sqlite3_column_int(row, 14))) == NULL)
		sample = &parsed;
	if (ctx->json) {
		obj = cmd_report_json(ctx->store, row);
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
	} else
		show_human(ctx->store, row, detail, sample);
	report_free(&parsed);
	sqlite3_reset(detail);
	sqlite3_reset(row);
	return CMD_OK;
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
