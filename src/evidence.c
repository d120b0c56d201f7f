/* evidence.c: one report as evidence (show, the console's report view) and its raw message. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "evidence.h"
#include "ipaddr.h"
#include "listing.h"
#include "output.h"
#include "received.h"
#include "report.h"
#include "store.h"
#include "util.h"

const char evidence_detail_sql[] =
    "SELECT m.source, m.source_pos, m.imported_at, m.size, r.reporter, r.user_agent,"
    " r.version, r.original_mail_from, r.original_rcpt_to, r.auth_results, r.incidents,"
    " r.fields, r.source_net, m.raw,"
    " (SELECT COUNT(*) FROM reports x WHERE x.message_id = r.message_id)"
    " FROM reports r JOIN messages m ON m.id = r.message_id WHERE r.id = ?";

static void
line(FILE *out, const char *label, const char *value)
{
	char *safe;

	if (value == NULL || *value == '\0')
		return;
	safe = text_safe_line(value, strlen(value));
	fprintf(out, "%-16s %s\n", label, safe);
	free(safe);
}

/* Lines of untrusted text, each made safe, under a label. */
static void
show_lines(FILE *out, const char *label, const char *text)
{
	char *copy, *p, *next;

	if (text == NULL)
		return;
	fprintf(out, "\n%s\n", label);
	copy = xstrdup(text);
	for (p = copy; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, '\n');
		if (next != NULL)
			*next++ = '\0';
		line(out, "", p);
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
show_chain(FILE *out, const struct received_chain *c)
{
	size_t i;
	char *text;

	if (c == NULL || c->nhops == 0)
		return;
	fprintf(out, "\nReceived chain of the original (top first):\n");
	for (i = 0; i < c->nhops; i++) {
		text = hop_text(&c->hops[i]);
		line(out, "", text);
		free(text);
	}
	for (i = 0; i < c->nstamps; i++) {
		if (i == 0)
			fprintf(out, "\nStamped by the receiving provider:\n");
		text = stamp_text(&c->stamps[i]);
		line(out, "", text);
		free(text);
	}
}

/* The advertised URLs, each with its domain, under a heading. */
struct urls_text {
	FILE	*out;
	long	 n;
};

static void
url_text(const char *url, const char *domain, int first, void *arg)
{
	struct urls_text *u = arg;
	char *p;

	(void)first;
	if (u->n++ == 0)
		fprintf(u->out, "\nAdvertised URLs:\n");
	p = xasprintf("%s  [%s]", url != NULL ? url : "", domain != NULL ? domain : "no domain");
	line(u->out, "", p);
	free(p);
}

/* The human text of one report: item, its details, its parsed sample. */
static void
write_human(struct store *s, FILE *out, const struct report_item *it, sqlite3_stmt *detail,
    const struct report *r)
{
	char when[24], *rule, *fields, *p;
	long samples = sqlite3_column_int64(detail, 14);
	struct urls_text u = { out, 0 };

	fprintf(out, "Report %lld\n", (long long)it->id);
	if (samples > 1)
		fprintf(out, "%-16s %lld, spam %lld of the %ld it holds\n", "Message:",
		    (long long)it->message_id, (long long)it->sample, samples);
	else
		fprintf(out, "%-16s %lld\n", "Message:", (long long)it->message_id);
	line(out, "Source:", (const char *)sqlite3_column_text(detail, 0));
	line(out, "Position:", (const char *)sqlite3_column_text(detail, 1));
	output_time((time_t)sqlite3_column_int64(detail, 2), when, sizeof when);
	line(out, "Imported:", when);
	line(out, "Format:", it->format);
	if (it->parse_error != NULL) {
		p = xasprintf("%s: %s", it->parse_status, it->parse_error);
		line(out, "Parse:", p);
		free(p);
	} else
		line(out, "Parse:", it->parse_status);
	line(out, "Reporter:", (const char *)sqlite3_column_text(detail, 4));
	line(out, "Feedback-Type:", it->feedback_type);
	line(out, "User-Agent:", (const char *)sqlite3_column_text(detail, 5));
	if (it->arrival_date > 0) {
		output_time(it->arrival_date, when, sizeof when);
		line(out, "Arrival (UTC):", when);
	}
	if (it->source_ip != NULL) {
		rule = xasprintf("%s (%s; network %s)", it->source_ip,
		    it->source_ip_rule != NULL ? it->source_ip_rule : "-",
		    sqlite3_column_text(detail, 12) != NULL ?
		    (const char *)sqlite3_column_text(detail, 12) : "-");
		line(out, "Source IP:", rule);
		free(rule);
	} else
		line(out, "Source IP:", "none found");
	line(out, "Reported-Domain:", it->reported_domain);
	line(out, "Mail-From:", (const char *)sqlite3_column_text(detail, 7));
	line(out, "Rcpt-To:", (const char *)sqlite3_column_text(detail, 8));
	line(out, "Message-ID:", it->original_message_id);
	line(out, "Subject:", it->original_subject);
	line(out, "Auth-Results:", (const char *)sqlite3_column_text(detail, 9));
	fields = store_column_text(detail, 11);
	show_lines(out, "Report fields:", fields);
	free(fields);
	show_chain(out, r->received);
	show_lines(out, "Complainant's words:", r->complaint_text);
	report_urls_each(s, it->id, url_text, &u);
}

int
evidence_detail(struct store *s, const struct conf *conf, const struct report_item *it,
    sqlite3_stmt **detail, struct report *parsed, const struct report **sample)
{
	const void *raw;

	*detail = store_stmt(s, evidence_detail_sql);
	sqlite3_bind_int64(*detail, 1, it->id);
	if (sqlite3_step(*detail) != SQLITE_ROW) {
		sqlite3_reset(*detail);
		return store_fail(s, "reading a report");
	}
	raw = sqlite3_column_blob(*detail, 13);
	report_parse(raw != NULL ? raw : "", (size_t)sqlite3_column_bytes(*detail, 13), conf,
	    parsed);
	/* The message parsed again holds every spam of a forward: this report's is its sample. */
	if ((*sample = report_sample(parsed, (int)it->sample)) == NULL)
		*sample = parsed;
	return 0;
}

struct write_ctx {
	struct store		*store;
	const struct conf	*conf;
	FILE			*out;
};

static int
write_item(const struct report_item *it, void *arg)
{
	struct write_ctx *w = arg;
	const struct report *sample;
	struct report parsed;
	sqlite3_stmt *detail;

	if (evidence_detail(w->store, w->conf, it, &detail, &parsed, &sample) != 0)
		return -1;
	write_human(w->store, w->out, it, detail, sample);
	report_free(&parsed);
	sqlite3_reset(detail);
	return 0;
}

int
evidence_write(struct store *s, const struct conf *conf, int64_t id, FILE *out)
{
	struct write_ctx w = { s, conf, out };

	return report_get(s, id, write_item, &w);
}

struct raw_ctx {
	struct store	*store;
	char		**raw;
	size_t		*len;
};

static int
raw_item(const struct report_item *it, void *arg)
{
	static const char sql[] = "SELECT raw FROM messages WHERE id = ?";
	struct raw_ctx *r = arg;
	sqlite3_stmt *st = store_stmt(r->store, sql);
	const void *raw;
	int rc;

	sqlite3_bind_int64(st, 1, it->message_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 1 : store_fail(r->store, "reading a raw message");
	}
	raw = sqlite3_column_blob(st, 0);
	*r->len = (size_t)sqlite3_column_bytes(st, 0);
	*r->raw = xmalloc(*r->len + 1);
	if (*r->len > 0)
		memcpy(*r->raw, raw, *r->len);
	(*r->raw)[*r->len] = '\0';
	sqlite3_reset(st);
	return 0;
}

int
evidence_raw(struct store *s, int64_t id, char **raw, size_t *len)
{
	struct raw_ctx r = { s, raw, len };

	*raw = NULL;
	*len = 0;
	return report_get(s, id, raw_item, &r);
}
