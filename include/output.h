/* output.h: how commands print: aligned tables fitted to the terminal, or JSON Lines. Every
 * string passes through the terminal-safe filter on its way out. */
#ifndef ARFDESK_OUTPUT_H
#define ARFDESK_OUTPUT_H

#include <stdio.h>
#include <time.h>

#include <jansson.h>

#define COL_RIGHT	0x1	/* right-aligned (numbers) */
#define COL_FLEX	0x2	/* narrowed (text cut with "~") when the table is too wide */
#define COL_OPTIONAL	0x4	/* left out when the table would not fit otherwise */

struct table_col {
	const char	*title;
	int		 flags;
};

struct table;

/* A table that keeps its rows until table_print. */
struct table	*table_new(const struct table_col *, size_t ncols);
/* --wide: flexible columns as wide as their widest cell (else at most 60 columns of text). */
void		 table_set_wide(int);
/* --csv: tables as RFC 4180 CSV (the same columns, every one, a title line first, CRLF). */
void		 table_set_csv(int);
/* Add a row of ncols strings (NULL prints as "-"); each is made terminal-safe. */
void		 table_add(struct table *, const char *const *cells);
/* Print, fitted to the terminal's width when stdout is one (else $COLUMNS, else no limit). */
void		 table_print(struct table *, FILE *);
void		 table_free(struct table *);
/*
 * Print a table as table_print does, without keeping its rows: rows(table, arg) is called
 * twice, first to measure the columns, then to print them, and must table_add the same rows
 * both times (read them in one transaction). Memory is one row's, however many rows there are.
 * Returns what rows returned; when the first call fails, nothing is printed.
 */
int		 table_stream(const struct table_col *, size_t ncols, FILE *,
		    int (*rows)(struct table *, void *), void *arg);

/* A JSON string made safe (valid UTF-8, no controls), or JSON null for NULL. */
json_t		*json_safe(const char *);
/* ISO 8601 UTC time, or null for 0. */
json_t		*json_time(time_t);
/* Print one JSON object as a line and release it. */
void		 json_print_line(json_t *, FILE *);

/* "2026-11-23 05:00" in UTC, or "-" for 0, into a buffer of 20 bytes or more. */
void		 output_time(time_t, char *, size_t);
/* Print untrusted text made safe, keeping newlines. */
void		 output_text(FILE *, const char *, size_t);

#endif
