/* report-arf.c: ARF feedback reports (RFC 5965, RFC 6591): the message/feedback-report fields
 * and the original in the message/rfc822 or text/rfc822-headers part; and CFBL (RFC 9477),
 * whose complaints are ARF about an original that says where to complain, or that original. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mime.h"
#include "original.h"
#include "report-formats.h"

/* Text fields kept as they are, the first occurrence winning. */
static const struct {
	const char	*name;
	size_t		 offset;
} feedback_text_fields[] = {
	{ "User-Agent", offsetof(struct report, user_agent) },
	{ "Version", offsetof(struct report, version) },
	{ "Original-Mail-From", offsetof(struct report, original_mail_from) },
	{ "Original-Rcpt-To", offsetof(struct report, original_rcpt_to) },
	{ "Reported-Domain", offsetof(struct report, reported_domain) },
	{ "Authentication-Results", offsetof(struct report, auth_results) },
};

static void
feedback_field(struct report *r, const char *name, const char *value, struct strlist *uris,
    const char **source_field)
{
	char *line = xasprintf("%s: %s", name, value), **field;
	size_t i;

	strlist_add(&r->fields, line);
	free(line);
	for (i = 0; i < sizeof feedback_text_fields / sizeof feedback_text_fields[0]; i++)
		if (strcasecmp(name, feedback_text_fields[i].name) == 0) {
			field = (char **)((char *)r + feedback_text_fields[i].offset);
			if (*field == NULL)
				*field = report_dup(value);
			return;
		}
	if (strcasecmp(name, "Feedback-Type") == 0 && r->feedback_type == NULL) {
		r->feedback_type = report_dup(value);
		if (r->feedback_type != NULL)
			str_lower_inplace(r->feedback_type);
	} else if (strcasecmp(name, "Source-IP") == 0 && *source_field == NULL)
		*source_field = value;
	else if ((strcasecmp(name, "Arrival-Date") == 0 || strcasecmp(name, "Received-Date") == 0)
	    && r->arrival_date == 0)
		r->arrival_date = report_date(value);
	else if (strcasecmp(name, "Reported-URI") == 0)
		strlist_add(uris, value);
	else if (strcasecmp(name, "Incidents") == 0)
		r->incidents = strtol(value, NULL, 10);
}

/* Split header-style text into unfolded "Name: value" fields and hand each to feedback_field.
 * Returns the Source-IP value (a copy) or NULL. */
static char *
feedback_fields(struct report *r, const char *text, size_t len, struct strlist *uris)
{
	char *copy = text_safe(text, len, 1), *line, *next, *colon;
	const char *source_field = NULL;
	char *source = NULL;
	struct strlist names = { 0 }, values = { 0 };
	size_t i;

	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if ((*line == ' ' || *line == '\t') && names.count > 0) {
			/* A folded continuation of the previous field. */
			char *joined = xasprintf("%s %s", values.items[values.count - 1], str_trim(line));

			free(values.items[values.count - 1]);
			values.items[values.count - 1] = joined;
			continue;
		}
		colon = strchr(line, ':');
		if (colon == NULL || colon == line)
			continue;
		*colon = '\0';
		strlist_add(&names, str_trim(line));
		strlist_add(&values, str_trim(colon + 1));
	}
	for (i = 0; i < names.count; i++) {
		feedback_field(r, names.items[i], values.items[i], uris, &source_field);
		if (source_field != NULL && source == NULL)
			source = xstrdup(source_field);
	}
	strlist_free(&names);
	strlist_free(&values);
	free(copy);
	return source;
}

static int	 cfbl_fields(struct report *, GMimeMessage *);

int
report_arf_parse(struct walk *w, GMimeMessage *msg)
{
	struct report *r = w->report;
	GMimeMessage *orig, *inner;
	struct strlist uris = { 0 };
	int forwarded = 0;
	char *source_field;
	struct buf b;
	size_t i;

	(void)msg;
	if (w->feedback == NULL)
		return -1;
	buf_init(&b);
	mime_part_bytes(w->feedback, &b);
	source_field = feedback_fields(r, b.data ? b.data : "", b.len, &uris);
	if (b.len == 0)
		report_note(r, PARSE_partial, "the feedback-report part is empty");
	/* A complaint about a bounce: the spam is inside the delivery report; a complaint about a
	 * user's forward: the spam is the message the user forwarded, at any depth. */
	orig = w->original != NULL ? mime_innermost(w->original, w->conf, 0) : NULL;
	if (orig != NULL && (inner = mime_innermost(orig, w->conf, 1)) != orig) {
		/* The report's Source-IP then names the forwarder, not the spammer. */
		forwarded = 1;
		orig = inner;
	}
	if (orig == NULL && (w->rfc822_headers != NULL || w->header_text != NULL)) {
		mime_part_bytes(w->rfc822_headers != NULL ? w->rfc822_headers : w->header_text, &b);
		buf_adds(&b, "\n\n");
		orig = w->owned = mime_parse(b.data, b.len, w, 0);
	}
	if (orig != NULL)
		original_read(w, orig, 1);
	for (i = 0; i < uris.count; i++)
		original_scan_text(r, uris.items[i], 0, w->conf);
	if (forwarded)
		original_source_received(w, orig);
	original_source_field(r, source_field, "Source-IP", "report-field");
	original_source_received(w, orig);
	free(source_field);
	strlist_free(&uris);
	buf_free(&b);
	/* RFC 9477: the third part of a CFBL report carries the original's CFBL-Feedback-ID
	 * (the original may be redacted down to a few headers). */
	if (orig != NULL && cfbl_fields(r, orig))
		return REPORT_cfbl;
	return REPORT_arf;
}

/*
 * The CFBL headers of a message (RFC 9477 section 3): CFBL-Address (the first one counts) and
 * CFBL-Feedback-ID, kept among the report's fields. Returns whether it has either.
 */
static int
cfbl_fields(struct report *r, GMimeMessage *msg)
{
	int found = report_keep_header(r, msg, "CFBL-Address") != NULL;

	return (report_keep_header(r, msg, "CFBL-Feedback-ID") != NULL) | found;
}

/*
 * A complaint that is the original itself, carrying CFBL-Address at the top (receivers get these
 * unwrapped, or wrapped as a lone message/rfc822): the message is the evidence.
 */
int
report_cfbl_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig = msg;

	if (g_mime_object_get_header(GMIME_OBJECT(msg), "CFBL-Address") == NULL) {
		if (w->original == NULL || g_mime_object_get_header(GMIME_OBJECT(w->original),
		    "CFBL-Address") == NULL)
			return -1;
		orig = w->original;
	}
	cfbl_fields(w->report, orig);
	original_read(w, orig, 1);
	original_source_received(w, orig);
	return REPORT_cfbl;
}
