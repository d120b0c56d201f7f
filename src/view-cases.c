/* view-cases.c: the cases view: every case (those without reports too), most recently worked
 * first, with state, assignee, counts and recurrence; Enter opens one. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmdline.h"
#include "group.h"
#include "output.h"
#include "tui.h"
#include "util.h"
#include "view.h"

#define CASES_PAGE	200
#define CASES_PAGE_MAX	5000	/* a page grows to this: see view-groups.c */

struct case_item {
	char		*key;		/* "ip:192.0.2.1" */
	char		*state;
	char		*assignee;
	char		*recur;
	int64_t		 reports;
	time_t		 last_seen;
	time_t		 updated_at;
};

struct cases {
	struct view		*view;
	struct case_query	 q;
	char			*state, *kind, *assignee;
	struct case_item	*rows;
	size_t			 nrows;
	int			 keywidth;
};

static void
items_free(struct cases *c)
{
	size_t i;

	for (i = 0; i < c->nrows; i++) {
		free(c->rows[i].key);
		free(c->rows[i].state);
		free(c->rows[i].assignee);
		free(c->rows[i].recur);
	}
	free(c->rows);
	c->rows = NULL;
	c->nrows = 0;
}

static int
gather(const struct case_info *info, void *arg)
{
	struct cases *c = arg;
	struct case_item *it;
	char recur[80];

	c->rows = xrealloc(c->rows, (c->nrows + 1) * sizeof *c->rows);
	it = &c->rows[c->nrows++];
	it->key = xasprintf("%s:%s", info->kind, info->key);
	it->state = xstrdup(info->state);
	it->assignee = info->assignee != NULL ? xstrdup(info->assignee) : NULL;
	group_recur_text(info->recur_state, info->recur_at, info->recur_n, recur, sizeof recur);
	it->recur = xstrdup(recur);
	it->reports = info->reports;
	it->last_seen = info->last_seen;
	it->updated_at = info->updated_at;
	if ((int)strlen(it->key) > c->keywidth)
		c->keywidth = (int)strlen(it->key);
	return view_out_of_time(c->view);	/* the page stops short, the next goes on */
}

/* The next page of cases: after the rows read (an index's order, by OFFSET). */
static int
cases_more(struct view *v)
{
	struct cases *c = v->data;
	struct case_query q = c->q;
	size_t before = c->nrows;

	q.offset = (long)c->nrows;
	if ((q.limit = view_page_want(v, c->q.limit, CASES_PAGE, CASES_PAGE_MAX)) == 0)
		return 0;
	if (case_list(tui_store(v->tui), &q, gather, c) < 0)
		return -1;
	v->nrows = c->nrows;
	view_page_got(v, c->nrows - before, q.limit);
	return 0;
}

static int
cases_load(struct view *v)
{
	struct cases *c = v->data;
	size_t had = c->nrows;

	items_free(c);
	c->keywidth = 4;
	return view_load_pages(v, had);
}

static int
key_width(const struct cases *c, int width)
{
	int kw = c->keywidth < 44 ? c->keywidth : 44;

	/* The key whole, first: on a narrow screen the columns after it (STATE 9, ASSIGNEE 10,
	 * REPORTS 7, LAST SEEN 11, UPDATED 11) go past the edge before a key is cut. */
	return kw < width ? kw : width > 12 ? width : 12;
}

static void
cases_header(struct view *v, int width, struct buf *out)
{
	struct cases *c = v->data;

	buf_addf(out, "%-*s %-9s %-10s %7s %-11s %-11s %s", key_width(c, width), "CASE", "STATE",
	    "ASSIGNEE", "REPORTS", "LAST SEEN", "UPDATED", "RECURRING");
}

static void
cases_row(struct view *v, size_t i, int width, struct buf *out, enum draw_style *style)
{
	struct cases *c = v->data;
	struct case_item *it = &c->rows[i];
	char last[24] = "-", updated[24] = "-", *key;
	int kw = key_width(c, width);
	struct tm tm;

	if (it->reports > 0) {
		gmtime_r(&it->last_seen, &tm);
		strftime(last, sizeof last, "%m-%d %H:%M", &tm);
	}
	if (it->updated_at > 0) {
		gmtime_r(&it->updated_at, &tm);
		strftime(updated, sizeof updated, "%m-%d %H:%M", &tm);
	}
	key = text_fit(it->key, (size_t)kw);
	buf_addf(out, "%s%*s %-9s %-10s %7lld %-11s %-11s %s", key, kw - (int)text_width(key), "",
	    it->state, it->assignee != NULL ? it->assignee : "-", (long long)it->reports, last,
	    updated, it->recur);
	free(key);
	if (*it->recur != '\0')
		*style = DRAW_recurring;
	else if (strcmp(it->state, "new") == 0)
		*style = DRAW_new;
	else if (strcmp(it->state, "resolved") == 0 || strcmp(it->state, "ignored") == 0)
		*style = DRAW_done;
}

static const char *
cases_key(struct view *v, size_t i)
{
	struct cases *c = v->data;

	return i < c->nrows ? c->rows[i].key : NULL;
}

static int
cases_enter(struct view *v, size_t i)
{
	struct cases *c = v->data;
	struct view *cv;
	char *kind, *colon;

	if (i >= c->nrows)
		return -1;
	kind = xstrdup(c->rows[i].key);
	colon = strchr(kind, ':');
	*colon = '\0';
	cv = view_case_open(v->tui, kind, colon + 1);
	free(kind);
	if (cv == NULL)
		return -1;
	tui_push(v->tui, cv);
	return 0;
}

static void
cases_free(struct view *v)
{
	struct cases *c = v->data;

	items_free(c);
	free(c->state);
	free(c->kind);
	free(c->assignee);
	free(c);
}

static const struct view_ops cases_ops = {
	"cases", cases_load, cases_more, cases_header, cases_row, NULL, cases_key, cases_enter,
	cases_key, cases_free,
};

struct view *
view_cases_open(struct tui *tui, int argc, char **argv)
{
	struct cases *c;
	struct args args;
	struct view *v;
	struct buf title;
	char *command;

	if (cmd_parse(cmd_find("cases"), argc, argv, &args) != CMD_OK)
		return NULL;
	c = xcalloc(1, sizeof *c);
	if (cmd_cases_query(&args, tui_conf(tui), &c->q) != CMD_OK) {
		free(c);
		return NULL;
	}
	c->state = c->q.state != NULL ? xstrdup(c->q.state) : NULL;
	c->kind = c->q.kind != NULL ? xstrdup(c->q.kind) : NULL;
	c->assignee = c->q.assignee != NULL ? xstrdup(c->q.assignee) : NULL;
	c->q.state = c->state;
	c->q.kind = c->kind;
	c->q.assignee = c->assignee;
	buf_init(&title);
	buf_adds(&title, "Cases");
	if (c->kind != NULL)
		buf_addf(&title, " of kind %s", c->kind);
	if (c->q.todo)
		buf_adds(&title, ", needs a person");
	if (c->state != NULL)
		buf_addf(&title, ", %s", c->state);
	if (c->assignee != NULL)
		buf_addf(&title, ", assigned to %s", c->assignee);
	if (c->q.unassigned)
		buf_adds(&title, ", unassigned");
	command = cmdline_join(argv, (size_t)argc);
	v = view_new(tui, &cases_ops, title.data, command, c);
	c->view = v;
	buf_free(&title);
	free(command);
	if (view_reload(v) != 0) {
		view_free(v);
		return NULL;
	}
	return v;
}
