/* report-xarf.c: X-ARF reports (JSON v1-v4 and YAML 0.1/0.2 in a mail, or a bare JSON file):
 * the report's own fields onto the report, and the evidence as the original. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mime.h"
#include "original.h"
#include "report-formats.h"
#include "xarf.h"

static int
read_xarf(struct walk *w, GMimeMessage *msg, struct xarf *x)
{
	struct buf b;
	const char *err = NULL, *start;
	size_t n;
	int rc = -1;

	buf_init(&b);
	if (w->xarf_json != NULL) {
		mime_part_bytes(w->xarf_json, &b);
		rc = xarf_parse_json(b.data ? b.data : "", b.len, x, &err);
		if (rc != 0)
			report_note(w->report, PARSE_partial, "%s", err);
	}
	if (rc != 0 && w->xarf_yaml != NULL) {
		mime_part_bytes(w->xarf_yaml, &b);
		rc = xarf_parse_yaml(b.data ? b.data : "", b.len, x);
	}
	/* X-ARF 0.2 mails say "X-XARF: PLAIN" and may carry the YAML in an unnamed second part. */
	if (rc != 0 && g_mime_object_get_header(GMIME_OBJECT(msg), "X-XARF") != NULL &&
	    w->header_text != NULL) {
		mime_part_bytes(w->header_text, &b);
		rc = xarf_parse_yaml(b.data ? b.data : "", b.len, x);
	}
	/* X-ARF JSON pasted into the text of a mail, by a person or a tool that knew no better. */
	if (rc != 0 && w->human != NULL && (start = strchr(w->human, '{')) != NULL &&
	    (n = xarf_json_extent(start, strlen(start))) > 0 && xarf_looks_like_json(start, n))
		rc = xarf_parse_json(start, n, x, &err);
	buf_free(&b);
	return rc;
}

static void
apply_xarf(struct walk *w, struct xarf *x)
{
	struct report *r = w->report;
	GMimeMessage *evidence;
	size_t i;

	r->format = REPORT_xarf;
	/* X-ARF's type is the class: "spam", "login-attack", "phishing", ... */
	if (x->report_type != NULL && *x->report_type != '\0') {
		r->complaint_class = text_safe_line(x->report_type, strlen(x->report_type));
		str_lower_inplace(r->complaint_class);
	}
	/* Feedback-Type is ARF's; X-ARF's own type, and every other field of the report (Service,
	 * Port, Category, Report-ID, the evidence by type and size), are kept for `show`. */
	for (i = 0; i < x->fields.count; i++)
		strlist_add(&r->fields, x->fields.items[i]);
	if (x->reported_domain != NULL)
		r->reported_domain = report_dup(x->reported_domain);
	if (x->date != NULL) {
		GDateTime *dt = g_date_time_new_from_iso8601(x->date, NULL);
		time_t t = report_date(x->date);

		if (dt != NULL) {
			t = (time_t)g_date_time_to_unix(dt);
			g_date_time_unref(dt);
		}
		if (t > 0)
			r->arrival_date = t;
	}
	if (x->source != NULL && (strstr(x->source, "://") != NULL || (x->source_type != NULL &&
	    (strcasecmp(x->source_type, "uri") == 0 || strcasecmp(x->source_type, "url") == 0))))
		/* A report about a web page: the source is the URL it names. */
		original_scan_text(r, x->source, 0, w->conf);
	else
		original_source_field(r, x->source, "X-ARF Source", "xarf");
	if (w->original == NULL && x->evidence != NULL) {
		evidence = mime_parse((const char *)x->evidence, x->evidence_len, w, 0);
		if (evidence != NULL) {
			original_read(w, evidence, 1);
			g_object_unref(evidence);
		}
	}
}

void
report_xarf_bare(const char *raw, size_t len, struct walk *w)
{
	struct xarf x;
	const char *err = NULL;

	if (xarf_parse_json(raw, len, &x, &err) != 0) {
		w->report->format = REPORT_unknown;
		report_note(w->report, PARSE_unparsed, "%s", err);
		return;
	}
	apply_xarf(w, &x);
	xarf_free(&x);
}

int
report_xarf_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig;
	struct xarf x;

	if (read_xarf(w, msg, &x) != 0)
		return -1;
	orig = w->original;
	if (orig != NULL)
		original_read(w, orig, 1);
	apply_xarf(w, &x);
	xarf_free(&x);
	original_source_received(w, orig);
	return REPORT_xarf;
}
