/* view-reports.c: the reports view: reports in the order the spam was seen (or newest first),
 * filtered as the reports command filters them, a page at a time; Enter opens one. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmdline.h"
#include "listing.h"
#include "output.h"
#include "tui.h"
#include "util.h"
#include "view.h"

#define REPORTS_PAGE	200

struct report_row {
	int64_t		 id;
	time_t		 seen;
	char		*text;
	char		*subject;	/* "ip:SOURCE", or NULL */
};

struct reports {
	struct view		*view;
	struct report_query	 q;
	char			*format, *status, *type;
	struct report_row	*rows;
	size_t			 nrows;
	char			 rowkey[32];
};

static void
rows_free(struct reports *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].text);
		free(r->rows[i].subject);
	}
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

static int
gather(const struct report_item *it, void *arg)
{
	struct reports *r = arg;
	struct report_row *row;
	char seen[24];

	r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof *r->rows);
	row = &r->rows[r->nrows++];
	row->id = it->id;
	row->seen = it->seen_at;
	output_time(it->seen_at, seen, sizeof seen);
	row->text = xasprintf("%8lld  %s  %-9s %-13s %-15s %s", (long long)it->id, seen,
	    it->format != NULL ? it->format : "-", it->class != NULL ? it->class : "-",
	    it->source_ip != NULL ? it->source_ip : "-",
	    it->original_subject != NULL ? it->original_subject : "");
	row->subject = it->source_ip != NULL ? xasprintf("ip:%s", it->source_ip) : NULL;
	return view_out_of_time(r->view);	/* the page stops short, the next goes on */
}

/* The next page of reports: those after the last one read (keyset on seen_at, id). */
static int
reports_more(struct view *v)
{
	struct reports *r = v->data;
	struct report_query q = r->q;
	size_t before = r->nrows;

	if ((q.limit = view_page_want(v, r->q.limit, REPORTS_PAGE, REPORTS_PAGE)) == 0)
		return 0;
	if (r->nrows > 0) {
		q.after = 1;
		q.after_seen = r->rows[r->nrows - 1].seen;
		q.after_id = r->rows[r->nrows - 1].id;
	}
	if (report_list(tui_store(v->tui), &q, gather, r) < 0)
		return -1;
	v->nrows = r->nrows;
	view_page_got(v, r->nrows - before, q.limit);
	return 0;
}

static int
reports_load(struct view *v)
{
	struct reports *r = v->data;
	size_t had = r->nrows;

	rows_free(r);
	return view_load_pages(v, had);
}

static void
reports_header(struct view *v, int width, struct buf *out)
{
	(void)v;
	(void)width;
	buf_addf(out, "%8s  %-16s  %-9s %-13s %-15s %s", "ID", "SEEN (UTC)", "FORMAT", "CLASS",
	    "SOURCE IP", "SUBJECT");
}

static void
reports_row(struct view *v, size_t i, int width, struct buf *out, enum draw_style *style)
{
	struct reports *r = v->data;

	(void)width;
	(void)style;
	buf_adds(out, r->rows[i].text);
}

static const char *
reports_key(struct view *v, size_t i)
{
	struct reports *r = v->data;

	if (i >= r->nrows)
		return NULL;
	snprintf(r->rowkey, sizeof r->rowkey, "report:%lld", (long long)r->rows[i].id);
	return r->rowkey;
}

static const char *
reports_case(struct view *v, size_t i)
{
	struct reports *r = v->data;

	return i < r->nrows ? r->rows[i].subject : NULL;
}

static int
reports_enter(struct view *v, size_t i)
{
	struct reports *r = v->data;
	struct view *rv;

	if (i >= r->nrows)
		return -1;
	if ((rv = view_report_open(v->tui, r->rows[i].id, 0)) == NULL)
		return -1;
	tui_push(v->tui, rv);
	return 0;
}

static void
reports_free(struct view *v)
{
	struct reports *r = v->data;

	rows_free(r);
	free((char *)r->q.kind);
	free((char *)r->q.key);
	free(r->format);
	free(r->status);
	free(r->type);
	free(r);
}

static const struct view_ops reports_ops = {
	"reports", reports_load, reports_more, reports_header, reports_row, NULL, reports_key,
	reports_enter, reports_case, reports_free,
};

struct view *
view_reports_open(struct tui *tui, int argc, char **argv)
{
	struct reports *r;
	struct args args;
	struct view *v;
	struct buf title;
	char *command;

	if (cmd_parse(cmd_find("reports"), argc, argv, &args) != CMD_OK)
		return NULL;
	r = xcalloc(1, sizeof *r);
	if (cmd_reports_query(&args, &r->q) != CMD_OK) {
		free(r);
		return NULL;
	}
	r->format = r->q.format != NULL ? xstrdup(r->q.format) : NULL;
	r->status = r->q.status != NULL ? xstrdup(r->q.status) : NULL;
	r->type = r->q.type != NULL ? xstrdup(r->q.type) : NULL;
	r->q.format = r->format;
	r->q.status = r->status;
	r->q.type = r->type;
	buf_init(&title);
	buf_adds(&title, "Reports");
	if (r->q.kind != NULL)
		buf_addf(&title, " of %s:%s", r->q.kind, r->q.key);
	if (r->q.reverse)
		buf_adds(&title, ", newest first");
	if (r->q.since > 0 || r->q.until > 0 || r->q.imported_since > 0)
		buf_adds(&title, ", in a time window");
	if (r->format != NULL)
		buf_addf(&title, ", %s", r->format);
	if (r->type != NULL)
		buf_addf(&title, ", %s", r->type);
	command = cmdline_join(argv, (size_t)argc);
	v = view_new(tui, &reports_ops, title.data, command, r);
	r->view = v;
	buf_free(&title);
	free(command);
	if (view_reload(v) != 0) {
		view_free(v);
		return NULL;
	}
	return v;
}
