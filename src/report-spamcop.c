/* report-spamcop.c: SpamCop's reports: the "Email from" source and the offending message,
 * attached or quoted after the report. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "mime.h"
#include "original.h"
#include "report-formats.h"

static void
spamcop_source(struct report *r, const char *text)
{
	char *ip = forward_spamcop_source(text);

	if (ip != NULL)
		original_source_field(r, ip, "SpamCop source", "spamcop");
	free(ip);
}

static int
is_spamcop(GMimeMessage *msg, const char *text)
{
	const char *from = g_mime_object_get_header(GMIME_OBJECT(msg), "From");
	const char *subject = g_mime_message_get_subject(msg);

	return (from != NULL && strstr(from, "spamcop.net") != NULL) ||
	    (subject != NULL && strncmp(subject, "[SpamCop", 8) == 0) ||
	    (text != NULL && strstr(text, "[ SpamCop V") != NULL);
}

int
report_spamcop_parse(struct walk *w, GMimeMessage *msg)
{
	struct report *r = w->report;
	GMimeMessage *orig;
	const char *start;

	if (!is_spamcop(msg, w->human))
		return -1;
	orig = w->original;
	if (orig == NULL && w->human != NULL && (start = forward_start(w->human)) != NULL)
		orig = w->owned = report_forward_inline(w, start);
	if (w->human != NULL)
		spamcop_source(r, w->human);
	if (orig != NULL)
		original_read(w, orig, 1);
	if (r->nurls == 0 && w->human != NULL)
		original_scan_text(r, w->human, 0, w->conf);
	original_source_received(w, orig);
	return REPORT_spamcop;
}
