/* output.c: tables and JSON Lines for the command line. */

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

struct table {
	const struct table_col	*cols;
	size_t			 ncols;
	char			**cells;	/* row-major */
	size_t			 nrows;
	size_t			 cap;
};

struct table *
table_new(const struct table_col *cols, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->cols = cols;
	t->ncols = ncols;
	return t;
}

void
table_add(struct table *t, const char *const *cells)
{
	size_t i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = cells[i] != NULL ?
		    text_safe_line(cells[i], strlen(cells[i])) : xstrdup("-");
	t->nrows++;
}

static size_t
terminal_width(FILE *f)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env != NULL && atoi(env) > 0)
		return (size_t)atoi(env);
	return 0;
}

/* Width of the visible columns with their separators. */
static size_t
table_total(const struct table *t, const size_t *width, const int *shown)
{
	size_t i, total = 0, n = 0;

	for (i = 0; i < t->ncols; i++)
		if (shown[i]) {
			total += width[i];
			n++;
		}
	return total + (n > 0 ? 2 * (n - 1) : 0);
}

#define FLEX_MIN	8

/*
 * Fit the table to the limit: first leave out optional columns, rightmost first, while even
 * the flexible ones at their minimum would not fit; then narrow the widest flexible column,
 * one column of text at a time, so that the flexible ones share what is left.
 */
static void
table_fit(const struct table *t, size_t *width, int *shown, size_t limit)
{
	size_t *least = xcalloc(t->ncols, sizeof *least);
	size_t i, widest;

	for (i = 0; i < t->ncols; i++)
		least[i] = (t->cols[i].flags & COL_FLEX) && width[i] > FLEX_MIN ? FLEX_MIN :
		    width[i];
	for (i = t->ncols; i > 0 && table_total(t, least, shown) > limit; i--)
		if (t->cols[i - 1].flags & COL_OPTIONAL)
			shown[i - 1] = 0;
	while (table_total(t, width, shown) > limit) {
		widest = t->ncols;
		for (i = 0; i < t->ncols; i++)
			if (shown[i] && width[i] > least[i] &&
			    (widest == t->ncols || width[i] > width[widest]))
				widest = i;
		if (widest == t->ncols)
			break;
		width[widest]--;
	}
	free(least);
}

void
table_print(struct table *t, FILE *f)
{
	size_t *width = xcalloc(t->ncols, sizeof *width);
	int *shown = xcalloc(t->ncols, sizeof *shown);
	size_t i, r, limit = terminal_width(f), w, pad, last = 0;
	const char *cell;
	char *fitted;

	for (i = 0; i < t->ncols; i++) {
		width[i] = text_width(t->cols[i].title);
		shown[i] = 1;
	}
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			w = text_width(t->cells[r * t->ncols + i]);
			if (w > width[i])
				width[i] = w;
		}
	if (limit > 0)
		table_fit(t, width, shown, limit);
	for (i = 0; i < t->ncols; i++)
		if (shown[i])
			last = i;
	for (r = 0; r <= t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			if (!shown[i])
				continue;
			cell = r == 0 ? t->cols[i].title : t->cells[(r - 1) * t->ncols + i];
			fitted = text_fit(cell, width[i]);
			pad = width[i] - text_width(fitted);
			if (t->cols[i].flags & COL_RIGHT)
				fprintf(f, "%*s%s", (int)pad, "", fitted);
			else if (i < last)
				fprintf(f, "%s%*s", fitted, (int)pad, "");
			else
				fputs(fitted, f);
			free(fitted);
			if (i < last)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	free(shown);
	free(width);
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

json_t *
json_safe(const char *s)
{
	char *safe;
	json_t *j;

	if (s == NULL)
		return json_null();
	safe = text_safe(s, strlen(s), 1);
	j = json_string(safe);
	free(safe);
	return j != NULL ? j : json_null();
}

json_t *
json_time(time_t t)
{
	char iso[32];

	if (t <= 0)
		return json_null();
	time_iso(t, iso, sizeof iso);
	return json_string(iso);
}

void
json_print_line(json_t *obj, FILE *f)
{
	json_dumpf(obj, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(obj);
}

void
output_time(time_t t, char *out, size_t size)
{
	struct tm tm;

	if (t <= 0) {
		snprintf(out, size, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

void
output_text(FILE *f, const char *text, size_t len)
{
	char *safe = text_safe(text, len, 1);

	fputs(safe, f);
	free(safe);
}
