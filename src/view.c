/* view.c: the list every console view is: rows, scrolling, selection, search and tags. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "tui.h"
#include "util.h"
#include "view.h"

struct view *
view_new(struct tui *tui, const struct view_ops *ops, const char *title, const char *command,
    void *data)
{
	struct view *v = xcalloc(1, sizeof *v);

	v->tui = tui;
	v->ops = ops;
	v->title = xstrdup(title);
	v->command = xstrdup(command != NULL ? command : "");
	v->data = data;
	return v;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	if (v->ops->free != NULL)
		v->ops->free(v);
	free(v->title);
	free(v->command);
	free(v->tags);
	free(v);
}

/* Tags follow the rows: as many as there are. */
static void
tags_fit(struct view *v)
{
	size_t cap = v->tags_cap;

	if (v->nrows <= cap)
		return;
	while (cap < v->nrows)
		cap = cap > 0 ? cap * 2 : 256;
	v->tags = xrealloc(v->tags, cap);
	memset(v->tags + v->tags_cap, 0, cap - v->tags_cap);
	v->tags_cap = cap;
}

int
view_reload(struct view *v)
{
	const char *key;
	char *kept = NULL, **tagged = NULL;
	size_t i, ntagged = 0, old_sel = v->sel, old_top = v->top;
	int rc;

	/* The selection and the tags stay on their rows: remembered by key. */
	if (v->ops->key != NULL && v->sel < v->nrows && (key = v->ops->key(v, v->sel)) != NULL)
		kept = xstrdup(key);
	for (i = 0; v->ops->key != NULL && i < v->nrows; i++)
		if (view_tagged(v, i) && (key = v->ops->key(v, i)) != NULL) {
			tagged = xrealloc(tagged, (ntagged + 1) * sizeof *tagged);
			tagged[ntagged++] = xstrdup(key);
		}
	v->done = 0;
	rc = v->ops->load(v);
	v->stale = 0;
	tags_fit(v);
	memset(v->tags, 0, v->tags_cap);
	v->sel = old_sel < v->nrows ? old_sel : v->nrows > 0 ? v->nrows - 1 : 0;
	v->top = old_top <= v->sel ? old_top : v->sel;
	for (i = 0; v->ops->key != NULL && i < v->nrows; i++) {
		key = v->ops->key(v, i);
		if (key == NULL)
			continue;
		if (kept != NULL && strcmp(key, kept) == 0) {
			/* Keep it where it was on the screen when it moved. */
			if (i != v->sel) {
				v->top = i >= v->sel - v->top ? i - (v->sel - v->top) : 0;
				v->sel = i;
			}
			free(kept);
			kept = NULL;
		}
		for (size_t t = 0; t < ntagged; t++)
			if (strcmp(key, tagged[t]) == 0)
				v->tags[i] = 1;
	}
	free(kept);
	for (i = 0; i < ntagged; i++)
		free(tagged[i]);
	free(tagged);
	return rc;
}

/* Read the next page when the selection comes near the end. */
static void
fetch_more(struct view *v, size_t want)
{
	size_t before;

	while (v->ops->more != NULL && !v->done && want + 1 >= v->nrows) {
		before = v->nrows;
		if (v->ops->more(v) != 0 || v->nrows == before) {
			v->done = 1;
			break;
		}
		tags_fit(v);
	}
}

void
view_draw(struct view *v, int y, int height, int width)
{
	struct buf line;
	enum draw_style style;
	size_t i;
	int row;

	buf_init(&line);
	if (v->ops->header != NULL && height > 0) {
		v->ops->header(v, width - 2, &line);
		draw_text(y, 0, 2, "", DRAW_header);
		draw_text(y, 2, width - 2, line.data, DRAW_header);
		y++;
		height--;
	}
	if (height > 0) {
		/* The selection in sight. */
		if (v->sel < v->top)
			v->top = v->sel;
		if (v->sel >= v->top + (size_t)height)
			v->top = v->sel - (size_t)height + 1;
		fetch_more(v, v->top + (size_t)height);
	}
	for (row = y, i = v->top; row < y + height; row++, i++) {
		if (i >= v->nrows) {
			draw_text(row, 0, width, "", DRAW_normal);
			continue;
		}
		buf_reset(&line);
		style = DRAW_normal;
		v->ops->row(v, i, width - 2, &line, &style);
		if (i == v->sel)
			style = DRAW_cursor;
		else if (view_tagged(v, i))
			style = DRAW_tagged;
		draw_text(row, 0, 2, view_tagged(v, i) ? "* " : "  ", style);
		draw_text(row, 2, width - 2, line.data, style);
	}
	buf_free(&line);
}

void
view_move(struct view *v, long n, int height)
{
	size_t target;

	(void)height;
	if (n < 0)
		target = (size_t)-n > v->sel ? 0 : v->sel - (size_t)-n;
	else {
		target = v->sel + (size_t)n;
		fetch_more(v, target);
		if (v->nrows == 0)
			target = 0;
		else if (target >= v->nrows)
			target = v->nrows - 1;
	}
	v->sel = target;
}

void
view_first(struct view *v)
{
	v->sel = 0;
	v->top = 0;
}

void
view_last(struct view *v, int height)
{
	/* A listing of pages goes to its last page read, and reads the next on the way. */
	fetch_more(v, v->nrows);
	v->sel = v->nrows > 0 ? v->nrows - 1 : 0;
	if (height > 0 && v->sel + 1 > (size_t)height)
		v->top = v->sel + 1 - (size_t)height;
}

int
view_search(struct view *v, const char *pattern, int dir, int width)
{
	struct buf line;
	enum draw_style style;
	size_t i, n = v->nrows, k;

	if (n == 0 || pattern == NULL || *pattern == '\0')
		return -1;
	buf_init(&line);
	for (k = 1; k <= n; k++) {
		i = dir > 0 ? (v->sel + k) % n : (v->sel + n - k % n) % n;
		buf_reset(&line);
		v->ops->row(v, i, width, &line, &style);
		if (line.data != NULL && strcasestr(line.data, pattern) != NULL) {
			v->sel = i;
			buf_free(&line);
			return 0;
		}
	}
	buf_free(&line);
	return -1;
}

void
view_tag(struct view *v)
{
	if (v->nrows == 0)
		return;
	tags_fit(v);
	v->tags[v->sel] = !v->tags[v->sel];
}

int
view_tagged(const struct view *v, size_t i)
{
	return i < v->tags_cap && v->tags[i];
}

size_t
view_ntagged(const struct view *v)
{
	size_t i, n = 0;

	for (i = 0; i < v->nrows && i < v->tags_cap; i++)
		n += v->tags[i] != 0;
	return n;
}

void
view_untag_all(struct view *v)
{
	if (v->tags != NULL)
		memset(v->tags, 0, v->tags_cap);
}

long
view_page_want(struct view *v, long limit, long page)
{
	long have = (long)v->nrows;

	if (limit <= 0)
		return page;
	if (have >= limit) {
		v->done = 1;
		return 0;
	}
	return limit - have < page ? limit - have : page;
}

void
view_page_got(struct view *v, size_t got, long want)
{
	if ((long)got < want)
		v->done = 1;
}

int
view_load_pages(struct view *v, size_t had)
{
	v->nrows = 0;
	v->done = 0;
	do {
		if (v->ops->more(v) != 0)
			return -1;
	} while (!v->done && v->nrows < had);
	return 0;
}

void
view_sparkline(const int64_t *days, int ndays, int n, struct buf *out)
{
	static const char *const blocks[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
	    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = " .:-=+*#%";
	int64_t max = 0;
	int i, h;

	if (n > ndays)
		n = ndays;
	for (i = ndays - n; i < ndays; i++)
		if (days[i] > max)
			max = days[i];
	for (i = ndays - n; i < ndays; i++) {
		h = max == 0 || days[i] == 0 ? 0 : 1 + (int)((days[i] * 7) / max);
		if (draw_utf8())
			buf_adds(out, blocks[h]);
		else
			buf_addc(out, ascii[h]);
	}
}
