/* report-forward.c: spam forwarded by a person: attached as message/rfc822 (at any depth, a
 * forward of a forward too), or quoted inline after a forward marker or as pasted headers. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "mime.h"
#include "original.h"
#include "report-formats.h"

GMimeMessage *
report_forward_inline(struct walk *w, const char *start)
{
	char *text = forward_text(start);
	GMimeMessage *msg = mime_parse(text, strlen(text), w, 0);

	free(text);
	return msg;
}

int
report_forward_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig;

	(void)msg;
	if (w->original == NULL)
		return 0;
	/* A forward of a forward: the spam is the innermost message. */
	orig = mime_innermost(w->original, w->conf, 1);
	original_read(w, orig, 1);
	original_source_received(w, orig);
	return 1;
}

int
report_forward_inline_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig;
	const char *start;

	(void)msg;
	if (w->human == NULL || (start = forward_start(w->human)) == NULL ||
	    (orig = w->owned = report_forward_inline(w, start)) == NULL || !mime_has_headers(orig))
		return 0;
	original_read(w, orig, 1);
	original_source_received(w, orig);
	return 1;
}
