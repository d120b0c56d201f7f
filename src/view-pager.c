/* view-pager.c: a view of lines of text: help, messages, a report's raw message, a command's
 * output. Each line is made safe when it is drawn. */

#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "util.h"
#include "view.h"

struct pager {
	char		*subject;	/* the case it is about (a report's source), or NULL */
	struct strlist	 lines;
	struct buf	 partial;	/* text after the last newline, not yet a line */
};

static int
pager_load(struct view *v)
{
	struct pager *p = v->data;

	v->nrows = p->lines.count + (p->partial.len > 0);
	return 0;
}

static void
pager_row(struct view *v, size_t i, int width, struct buf *out, enum draw_style *style)
{
	struct pager *p = v->data;
	const char *text = i < p->lines.count ? p->lines.items[i] : p->partial.data;
	const char *tab;

	(void)width;
	/* Tabs to spaces (to the next stop of 8), the rest made safe by draw_text. */
	while ((tab = strchr(text, '\t')) != NULL) {
		buf_add(out, text, (size_t)(tab - text));
		do
			buf_addc(out, ' ');
		while (out->len % 8 != 0);
		text = tab + 1;
	}
	buf_adds(out, text);
	/* Headings of help and evidence: a line that ends in a colon and starts in column 0. */
	if (out->len > 1 && out->data[0] != ' ' && out->data[out->len - 1] == ':')
		*style = DRAW_label;
}

static void
pager_free(struct view *v)
{
	struct pager *p = v->data;

	strlist_free(&p->lines);
	buf_free(&p->partial);
	free(p->subject);
	free(p);
}

static const char *
pager_case(struct view *v, size_t i)
{
	struct pager *p = v->data;

	(void)i;
	return p->subject;
}

static const struct view_ops pager_ops = {
	"pager", pager_load, NULL, NULL, pager_row, NULL, NULL, NULL, pager_case, pager_free,
};

void
view_pager_subject(struct view *v, const char *subject)
{
	struct pager *p = v->data;

	free(p->subject);
	p->subject = subject != NULL ? xstrdup(subject) : NULL;
}

void
view_pager_append(struct view *v, const char *text)
{
	struct pager *p = v->data;
	const char *nl;

	while ((nl = strchr(text, '\n')) != NULL) {
		buf_add(&p->partial, text, (size_t)(nl - text));
		/* CRLF ends a line as LF does. */
		if (p->partial.len > 0 && p->partial.data[p->partial.len - 1] == '\r')
			p->partial.data[--p->partial.len] = '\0';
		strlist_add(&p->lines, p->partial.data);
		buf_reset(&p->partial);
		text = nl + 1;
	}
	buf_adds(&p->partial, text);
	pager_load(v);
}

struct view *
view_pager_open(struct tui *tui, const char *title, const char *command, const char *text)
{
	struct pager *p = xcalloc(1, sizeof *p);
	struct view *v;

	buf_init(&p->partial);
	v = view_new(tui, &pager_ops, title, command, p);
	if (text != NULL)
		view_pager_append(v, text);
	return v;
}
