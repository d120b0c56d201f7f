/* view.h: the console's views, all of one shape (tig's view_ops): open from a command line,
 * load rows, give each row's text and key, act on Enter, close; over one list (view.c) that
 * owns scrolling, search, selection and tags, and draws the rows. */
#ifndef ARFDESK_VIEW_H
#define ARFDESK_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "util.h"

struct tui;
struct view;

struct view_ops {
	const char	*name;
	/* (Re)read the rows: the first time, after a change in the store, when asked. The list
	 * keeps the selection on the row of the same key. 0, or -1 (reported). */
	int		(*load)(struct view *);
	/* Near the end of the rows: read the next page (keyset), or NULL. 0, or -1. */
	int		(*more)(struct view *);
	/* The column titles for a width, or NULL for none. */
	void		(*header)(struct view *, int width, struct buf *);
	/* Row i's text for a width, and its style. */
	void		(*row)(struct view *, size_t i, int width, struct buf *, enum draw_style *);
	/* Before rows [from, from + n) are drawn: read what they show that their page did not
	 * (the groups' sparklines), so that paging and searching never read it; or NULL. */
	void		(*fill)(struct view *, size_t from, size_t n);
	/* Row i's key: "ip:192.0.2.1" (a case), "report:12" (a report), or NULL. */
	const char	*(*key)(struct view *, size_t i);
	/* Enter on row i. 0, or -1. */
	int		(*enter)(struct view *, size_t i);
	/* The case row i is about ("ip:192.0.2.1": itself, a case view's case, a report's
	 * source), for %k in a binding; NULL: none. */
	const char	*(*case_of)(struct view *, size_t i);
	void		(*free)(struct view *);
};

struct view {
	const struct view_ops	*ops;
	struct tui		*tui;
	char			*title;		/* the top line */
	char			*command;	/* the command line that opened it */
	void			*data;		/* the view's own */
	size_t			 nrows;		/* set by load and more */
	size_t			 top;		/* first row shown */
	size_t			 sel;		/* selected row */
	unsigned char		*tags;		/* per row; grows with nrows */
	size_t			 tags_cap;
	int			 stale;		/* the store changed while it was not shown */
	int			 done;		/* more found nothing more */
	int64_t			 deadline;	/* while pages are read for a time: its end */
};

/* A new view of ops (data given), titled; the command that opened it. */
struct view	*view_new(struct tui *, const struct view_ops *, const char *title,
		    const char *command, void *data);
void		 view_free(struct view *);
/* Load its rows again, keeping the selection on the same key. */
int		 view_reload(struct view *);
/* Draw the rows in lines [y, y + height) of width columns. */
void		 view_draw(struct view *, int y, int height, int width);
/* Movement: by n rows (negative: up), to the first or last, by a page of height rows. */
void		 view_move(struct view *, long n, int height);
void		 view_first(struct view *);
/* To the last row, reading the pages not read yet for ms milliseconds at most: 1 when it
 * stopped for time (the last row read is selected; again goes on), else 0. */
int		 view_last(struct view *, int height, int ms);
/* The next (dir 1) or previous (-1) row whose text has pattern (case-insensitive), from the
 * one after the selection, wrapping, through the pages not read yet; 0 found, -1 none, 1
 * stopped for time (ms) on the last row looked at: again goes on. */
int		 view_search(struct view *, const char *pattern, int dir, int width, int ms);
/* For a page reader (more), row by row: the time given to the read is up, so the page stops
 * here, short but not the end (the next read goes on after its last row). */
int		 view_out_of_time(const struct view *);
/* Tags: flip the selected row's; count; row i tagged; clear all. */
void		 view_tag(struct view *);
size_t		 view_ntagged(const struct view *);
int		 view_tagged(const struct view *, size_t i);
void		 view_untag_all(struct view *);

/* Paging, for the views that read a page at a time. How many rows to ask for next: page at
 * first, then as many as were read, up to most; fewer when the listing's own limit (0: none)
 * is near; 0 (and done) when it is reached. */
long		 view_page_want(struct view *, long limit, long page, long most);
/* A page asked for want rows and gave got: a short one is the last, unless its time ran out. */
void		 view_page_got(struct view *, size_t got, long want);
/* Read pages (ops->more) until at least rows rows, the end, or 30 ms. 0, -1. */
int		 view_read_pages(struct view *, size_t rows);
/* From the first page: a reload reads as many rows as were read (40 ms of them
 * at most), so that the selection can stay on its row. 0, or -1. */
int		 view_load_pages(struct view *, size_t had);
/* Complaints per day as a line of n blocks of eight heights (ASCII where UTF-8 is not shown),
 * of the last n of days[0 .. ndays). */
void		 view_sparkline(const int64_t *days, int ndays, int n, struct buf *);

/* The views. Each opens from parsed words (the command's own options, as the CLI has them);
 * NULL when the words are wrong (reported). */
struct view	*view_groups_open(struct tui *, int argc, char **argv);
struct view	*view_cases_open(struct tui *, int argc, char **argv);
struct view	*view_reports_open(struct tui *, int argc, char **argv);
struct view	*view_case_open(struct tui *, const char *kind, const char *key);
struct view	*view_report_open(struct tui *, int64_t id, int raw);
/* The groups view by the next kind (next_kind), or with the needs-a-person filter flipped
 * (flip_todo), in place. 0, 1 when the view is not a groups view, -1 (reported). */
int		 view_groups_switch(struct view *, int next_kind, int flip_todo);
/* A pager over lines of text (made safe when drawn): help, messages, a command's output. */
struct view	*view_pager_open(struct tui *, const char *title, const char *command,
		    const char *text);
/* Add lines to a pager (a command's output as it arrives). */
void		 view_pager_append(struct view *, const char *text);
/* The case a pager is about (a report's source: %k in a binding). */
void		 view_pager_subject(struct view *, const char *subject);

#endif
