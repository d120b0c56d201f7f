/* view-report.c: the report view: a report as evidence (what was parsed, the complainant's own
 * words, the Received chain with each hop's verdict, the URLs and domains), or its raw message. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "listing.h"
#include "msg.h"
#include "tui.h"
#include "util.h"
#include "view.h"

static int
source_of(const struct report_item *it, void *arg)
{
	char **subject = arg;

	*subject = it->source_ip != NULL ? xasprintf("ip:%s", it->source_ip) : NULL;
	return 0;
}

struct view *
view_report_open(struct tui *tui, int64_t id, int raw)
{
	struct store *s = tui_store(tui);
	struct view *v;
	char *text = NULL, *title, *command, *subject = NULL, *bytes;
	size_t len = 0;
	FILE *out;
	int rc;

	if (raw) {
		rc = evidence_raw(s, id, &bytes, &len);
		if (rc == 0) {
			/* Every byte from outside made safe, the lines kept. */
			text = text_safe(bytes, len, 1);
			free(bytes);
		}
	} else {
		if ((out = open_memstream(&text, &len)) == NULL) {
			msg_error("report %lld: out of memory", (long long)id);
			return NULL;
		}
		rc = evidence_write(s, tui_conf(tui), id, out);
		fclose(out);
	}
	if (rc == 1)
		msg_error("no report %lld", (long long)id);
	if (rc != 0) {
		free(text);
		return NULL;
	}
	report_get(s, id, source_of, &subject);
	title = xasprintf("%s %lld", raw ? "Raw message of report" : "Report", (long long)id);
	command = xasprintf("show %s%lld", raw ? "--raw " : "", (long long)id);
	v = view_pager_open(tui, title, command, text);
	view_pager_subject(v, subject);
	free(title);
	free(command);
	free(subject);
	free(text);
	return v;
}
