/* output.c: tables and JSON Lines for the command line. */

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

/*
 * A table either keeps its rows until table_print (table_new), or keeps none (table_stream):
 * then its rows are added twice, once to measure the columns and once to print them, so that
 * its memory is one row's whatever the number of rows. Both ways share the measuring, the
 * fitting and the printing of a line below.
 */
enum table_mode {
	TABLE_KEEP,		/* table_add stores the row */
	TABLE_MEASURE,		/* table_add widens the columns to the row, and forgets it */
	TABLE_PRINT,		/* table_add prints the row in the fitted widths */
};

struct table {
	const struct table_col	*cols;
	size_t			 ncols;
	enum table_mode		 mode;
	size_t			*width;		/* widest cell so far; once laid out, the fitted width */
	int			*shown;
	size_t			 last;		/* the last shown column */
	FILE			*out;		/* TABLE_PRINT */
	char			**cells;	/* TABLE_KEEP: row-major */
	size_t			 nrows;
	size_t			 cap;
};

struct table *
table_new(const struct table_col *cols, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof *t);
	size_t i;

	t->cols = cols;
	t->ncols = ncols;
	t->mode = TABLE_KEEP;
	t->width = xcalloc(ncols, sizeof *t->width);
	t->shown = xcalloc(ncols, sizeof *t->shown);
	for (i = 0; i < ncols; i++) {
		t->width[i] = text_width(cols[i].title);
		t->shown[i] = 1;
	}
	return t;
}

static int table_csv;

void
table_set_csv(int csv)
{
	table_csv = csv;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line end. */
static void
csv_field(FILE *f, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* Print one line (the titles or a row of safe cells) in the fitted widths, or as CSV. */
static void
table_line(const struct table *t, FILE *f, const char *const *cells)
{
	size_t i, pad;
	char *fitted;

	if (table_csv) {
		for (i = 0; i < t->ncols; i++) {
			if (i > 0)
				fputc(',', f);
			csv_field(f, cells[i]);
		}
		fputs("\r\n", f);
		return;
	}
	for (i = 0; i < t->ncols; i++) {
		if (!t->shown[i])
			continue;
		fitted = text_fit(cells[i], t->width[i]);
		pad = t->width[i] - text_width(fitted);
		if (t->cols[i].flags & COL_RIGHT)
			fprintf(f, "%*s%s", (int)pad, "", fitted);
		else if (i < t->last)
			fprintf(f, "%s%*s", fitted, (int)pad, "");
		else
			fputs(fitted, f);
		free(fitted);
		if (i < t->last)
			fputs("  ", f);
	}
	fputc('\n', f);
}

void
table_add(struct table *t, const char *const *cells)
{
	char **safe = xcalloc(t->ncols, sizeof *safe);
	size_t i, w;

	for (i = 0; i < t->ncols; i++)
		safe[i] = cells[i] != NULL ? text_safe_line(cells[i], strlen(cells[i])) :
		    xstrdup(table_csv ? "" : "-");
	if (t->mode == TABLE_PRINT)
		table_line(t, t->out, (const char *const *)safe);
	else
		for (i = 0; i < t->ncols; i++) {
			w = text_width(safe[i]);
			if (w > t->width[i])
				t->width[i] = w;
		}
	if (t->mode == TABLE_KEEP) {
		if (t->nrows == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 32;
			t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
		}
		memcpy(t->cells + t->nrows * t->ncols, safe, t->ncols * sizeof *safe);
		t->nrows++;
	} else
		for (i = 0; i < t->ncols; i++)
			free(safe[i]);
	free(safe);
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
/* The widest a flexible column (domains, subjects) is printed, unless --wide: a pipe has no
 * width to fit, and one long subject must not pad every line of a listing to it. */
#define FLEX_CAP	60

static int table_wide;

void
table_set_wide(int wide)
{
	table_wide = wide;
}

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

/* Once every row is measured: fit the widths to the terminal and print the titles. */
static void
table_layout(struct table *t, FILE *f)
{
	const char **titles = xcalloc(t->ncols, sizeof *titles);
	size_t i, limit = terminal_width(f);

	if (!table_wide && !table_csv)
		for (i = 0; i < t->ncols; i++)
			if ((t->cols[i].flags & COL_FLEX) && t->width[i] > FLEX_CAP)
				t->width[i] = FLEX_CAP;
	if (limit > 0 && !table_csv)
		table_fit(t, t->width, t->shown, limit);
	for (i = 0; i < t->ncols; i++) {
		titles[i] = t->cols[i].title;
		if (t->shown[i])
			t->last = i;
	}
	table_line(t, f, titles);
	free(titles);
}

void
table_print(struct table *t, FILE *f)
{
	size_t r;

	table_layout(t, f);
	for (r = 0; r < t->nrows; r++)
		table_line(t, f, (const char *const *)t->cells + r * t->ncols);
}

int
table_stream(const struct table_col *cols, size_t ncols, FILE *f,
    int (*rows)(struct table *, void *), void *arg)
{
	struct table *t = table_new(cols, ncols);
	int rc;

	/* CSV has no widths to measure: one pass. */
	t->mode = TABLE_MEASURE;
	rc = table_csv ? 0 : rows(t, arg);
	if (rc == 0) {
		table_layout(t, f);
		t->mode = TABLE_PRINT;
		t->out = f;
		rc = rows(t, arg);
	}
	table_free(t);
	return rc;
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->shown);
	free(t->width);
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
