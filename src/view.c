/* view.c: the list every console view is: rows, scrolling, selection, search and tags. */

#include <stdint.h>
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

/* How long a reload may spend reading pages before it stops where it got to: the keys stay
 * answered on a listing of any size. */
#define READ_BUDGET_MS	30

/*
 * Read pages while fewer than rows are read, until the end or (deadline not 0) the time is up,
 * also inside a page (view_out_of_time); when first, a first page whatever the time and the
 * count. 0, 1 when the time ran out first, -1 when a page could not be read (reported; the
 * rows end there).
 */
static int
read_pages(struct view *v, size_t rows, int64_t deadline, int first)
{
	size_t before;
	int64_t took = 0, start;
	int rc = 0;

	v->deadline = deadline;
	while (v->ops->more != NULL && !v->done && (first || v->nrows < rows)) {
		/* A page not begun when it would end past the time, by what the last one took
		 * (groups and cases spend theirs before their first row). */
		if (!first && deadline != 0 && mono_ms() + took >= deadline) {
			rc = 1;
			break;
		}
		first = 0;
		start = mono_ms();
		before = v->nrows;
		if (v->ops->more(v) != 0) {
			v->done = 1;
			rc = -1;
			break;
		}
		took = mono_ms() - start;
		if (v->nrows == before)
			v->done = 1;
	}
	tags_fit(v);
	v->deadline = 0;
	return rc;
}

/* Read on until row want and the one after it are read (or the end): 1 when the time ran
 * out first, else 0. */
static int
read_to(struct view *v, size_t want, int64_t deadline)
{
	return read_pages(v, want < SIZE_MAX - 2 ? want + 2 : SIZE_MAX, deadline, 0) == 1;
}

int
view_out_of_time(const struct view *v)
{
	return v->deadline != 0 && mono_ms() >= v->deadline;
}

/* Read the next page when the selection comes near the end. */
static void
fetch_more(struct view *v, size_t want)
{
	read_to(v, want, 0);
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
		if (v->ops->fill != NULL && v->top < v->nrows)
			v->ops->fill(v, v->top, v->nrows - v->top < (size_t)height ?
			    v->nrows - v->top : (size_t)height);
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

int
view_last(struct view *v, int height, int ms)
{
	/* The last row of the whole listing: the pages grow, so it is a few reads away. */
	int cut = read_to(v, SIZE_MAX - 1, mono_ms() + ms);

	v->sel = v->nrows > 0 ? v->nrows - 1 : 0;
	if (height > 0 && v->sel + 1 > (size_t)height)
		v->top = v->sel + 1 - (size_t)height;
	return cut;
}

static int
row_has(struct view *v, size_t i, const char *pattern, int width, struct buf *line)
{
	enum draw_style style;

	buf_reset(line);
	v->ops->row(v, i, width, line, &style);
	return line->data != NULL && strcasestr(line->data, pattern) != NULL;
}

/*
 * Through the whole listing, not only the rows read: forward, the next pages are read as the
 * search gets there; backward, past the first row, the rest is read to go on from the last.
 */
int
view_search(struct view *v, const char *pattern, int dir, int width, int ms)
{
	int64_t deadline = mono_ms() + ms;
	struct buf line;
	size_t i, start = v->sel;

	if (v->nrows == 0 || pattern == NULL || *pattern == '\0')
		return -1;
	buf_init(&line);
	if (dir > 0) {
		for (i = start + 1;; i++) {
			if (i >= v->nrows && read_to(v, i, deadline) != 0) {
				/* Out of time: stop on the last row looked at; n goes on. */
				v->sel = i - 1;
				buf_free(&line);
				return 1;
			}
			if (i >= v->nrows)
				break;
			if (row_has(v, i, pattern, width, &line))
				goto found;
		}
		for (i = 0; i <= start; i++)
			if (row_has(v, i, pattern, width, &line))
				goto found;
	} else {
		for (i = start; i-- > 0;)
			if (row_has(v, i, pattern, width, &line))
				goto found;
		/* Round from the end: what is not read yet first (N again reads on). */
		if (read_to(v, SIZE_MAX - 1, deadline) != 0) {
			buf_free(&line);
			return 1;
		}
		for (i = v->nrows; i-- > start;)
			if (row_has(v, i, pattern, width, &line))
				goto found;
	}
	buf_free(&line);
	return -1;
found:
	v->sel = i;
	buf_free(&line);
	return 0;
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
view_page_want(struct view *v, long limit, long page, long most)
{
	long have = (long)v->nrows;

	/* Each page as many rows as were read before it, up to most: the last row is a few
	 * reads away, and a page never takes long. */
	if (have > page)
		page = have < most ? have : most;

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
	if ((long)got < want && !view_out_of_time(v))
		v->done = 1;
}

int
view_read_pages(struct view *v, size_t rows)
{
	return read_pages(v, rows, mono_ms() + READ_BUDGET_MS, 1) < 0 ? -1 : 0;
}

int
view_load_pages(struct view *v, size_t had)
{
	v->nrows = 0;
	v->done = 0;
	return view_read_pages(v, had);
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
