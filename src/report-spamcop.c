/* report-spamcop.c: SpamCop's reports: the "Email from" source (or the several of a summary or
 * a digest of reports) and the offending message, attached or quoted after the report; in the
 * complaint's text or in a text attachment (a provider relaying the report to its customer). */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "ipaddr.h"
#include "mime.h"
#include "original.h"
#include "report-formats.h"

/* The line that opens each SpamCop report ("[ SpamCop V5.4.0 ]"). */
#define SPAMCOP_BANNER	"[ SpamCop V"
/* source_ip_rule when SpamCop names several sources, none of which is the report's. */
#define SPAMCOP_SEVERAL	"spamcop-several"
/* The most reports of a digest whose offending messages are read. */
#define SPAMCOP_MAX_REPORTS	100

/*
 * The source SpamCop names. A summary report, or a mail relaying several reports, names several
 * addresses: no one of them is the report's source, so source_ip stays empty, the rule says why,
 * every address is kept as a SpamCop-Source field and a note tells the user. Returns how many
 * distinct addresses were named.
 */
static size_t
spamcop_sources(struct report *r, const char *text)
{
	struct strlist listed = { 0 }, sources = { 0 };
	struct ipaddr ip;
	char canonical[IPADDR_STRLEN], *field;
	size_t i, n;

	if (forward_spamcop_sources(text, &listed) != 0)
		report_note(r, PARSE_partial, "SpamCop names more than %d sources; the rest were "
		    "not read", FORWARD_MAX_SOURCES);
	for (i = 0; i < listed.count; i++) {
		if (ipaddr_parse(listed.items[i], &ip) != 0) {
			/* Not an address: noted and ignored there. */
			original_source_field(r, listed.items[i], "SpamCop source", "spamcop");
			continue;
		}
		/* "192.0.2.1" and "::ffff:192.0.2.1" are one source. */
		ipaddr_format(&ip, canonical);
		strlist_add_unique(&sources, canonical);
	}
	strlist_free(&listed);
	n = sources.count;
	if (n == 1)
		original_source_field(r, sources.items[0], "SpamCop source", "spamcop");
	else if (n > 1) {
		for (i = 0; i < n; i++) {
			field = xasprintf("SpamCop-Source: %s", sources.items[i]);
			strlist_add(&r->fields, field);
			free(field);
		}
		r->source_ip_rule = xstrdup(SPAMCOP_SEVERAL);
		report_note(r, PARSE_partial, "SpamCop names %zu sources, so the report has no single "
		    "source IP; each is a SpamCop-Source field", n);
	}
	strlist_free(&sources);
	return n;
}

/* The first text attachment (text/plain after the complaint's own text) that holds a SpamCop
 * report, quoted or not: a provider's notice to its customer relaying it. To free, or NULL. */
static char *
attached_report(struct walk *w)
{
	char *text;
	size_t i;

	for (i = 0; i < w->nattached_text; i++) {
		text = mime_text_utf8(w->attached_text[i]);
		if (strstr(text, SPAMCOP_BANNER) != NULL)
			return text;
		free(text);
	}
	return NULL;
}

static int
is_spamcop(GMimeMessage *msg, const char *text)
{
	const char *from = g_mime_object_get_header(GMIME_OBJECT(msg), "From");
	const char *subject = g_mime_message_get_subject(msg);

	return (from != NULL && strstr(from, "spamcop.net") != NULL) ||
	    (subject != NULL && strncmp(subject, "[SpamCop", 8) == 0) ||
	    (text != NULL && strstr(text, SPAMCOP_BANNER) != NULL);
}

/* The first line from line on that holds a banner, or NULL. */
static const char *
banner_line(const char *line)
{
	const char *end;

	for (; *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (memmem(line, (size_t)(end - line), SPAMCOP_BANNER, strlen(SPAMCOP_BANNER)) != NULL)
			return line;
		if (*end == '\0')
			break;
	}
	return NULL;
}

/* How many SpamCop reports the text holds (counting stops at two). */
static int
spamcop_reports(const char *text)
{
	const char *banner = banner_line(text), *nl;

	if (banner == NULL)
		return 0;
	nl = strchr(banner, '\n');
	return nl != NULL && banner_line(nl + 1) != NULL ? 2 : 1;
}

/*
 * One SpamCop report of the text, onto w->report: the source it names (or the several of a
 * summary) and the offending message quoted after it, read on its own. The message is returned
 * for the caller to keep or drop, or NULL.
 */
static GMimeMessage *
spamcop_one(struct walk *w, const char *text, GMimeMessage *attached)
{
	struct report *r = w->report;
	GMimeMessage *orig = attached;
	const char *start;
	size_t sources;

	sources = spamcop_sources(r, text);
	if (orig == NULL && (start = forward_start(text)) != NULL)
		orig = report_forward_inline(w, start);
	if (orig != NULL)
		original_read(w, orig, 1);
	/* A report about a spamvertised site may quote no message: the site is in its text. A
	 * summary's text is SpamCop's list, not a spam's. */
	if (r->nurls == 0 && sources < 2)
		original_scan_text(r, text, 0, w->conf);
	/* Several sources: the offending message's chain is the source of only one. */
	if (sources < 2)
		original_source_received(w, orig);
	return orig;
}

/*
 * A mail relaying several SpamCop reports (a provider's digest for its customer): each report,
 * from its banner to the next (the words before the first belong to the first), is a complaint
 * of its own with its own source and offending message, chained after the first.
 */
static void
spamcop_digest(struct walk *w, const char *text)
{
	struct report *first = w->report;
	GMimeMessage *msg;
	const char *report, *banner, *next, *nl;
	char *one;
	int n;

	banner = banner_line(text);
	for (report = text, n = 0; report != NULL && n < SPAMCOP_MAX_REPORTS; report = next, n++) {
		nl = strchr(report == text && banner != NULL ? banner : report, '\n');
		next = nl != NULL ? banner_line(nl + 1) : NULL;
		one = next != NULL ? xstrndup(report, (size_t)(next - report)) : xstrdup(report);
		if (n > 0)
			w->report = report_add_sample(first);
		msg = spamcop_one(w, one, NULL);
		if (msg != NULL && w->owned == NULL)
			w->owned = msg;
		else if (msg != NULL)
			g_object_unref(msg);
		free(one);
	}
	w->report = first;
	if (report != NULL)
		report_note(first, PARSE_partial, "more than %d SpamCop reports; the rest were "
		    "not read", SPAMCOP_MAX_REPORTS);
}

int
report_spamcop_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig;
	const char *text = w->human;
	char *attached = NULL;

	/* The report is the complaint's own text, else a text attachment's. */
	if ((text == NULL || strstr(text, SPAMCOP_BANNER) == NULL) &&
	    (attached = attached_report(w)) != NULL)
		text = attached;
	if (!is_spamcop(msg, text)) {
		free(attached);
		return -1;
	}
	if (text != NULL && w->original == NULL && spamcop_reports(text) > 1)
		spamcop_digest(w, text);
	else if (text != NULL) {
		orig = spamcop_one(w, text, w->original);
		if (orig != NULL && orig != w->original)
			w->owned = orig;
	} else
		original_read(w, w->original, 1);
	free(attached);
	return REPORT_spamcop;
}
