/* view-groups.c: the groups view: cases of one kind with their counts, reporters, last seen,
 * state and assignee, recurrence, and a sparkline of complaints per day over 30 days. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmdline.h"
#include "group.h"
#include "output.h"
#include "tui.h"
#include "util.h"
#include "view.h"

/* Rows read at first: a screen or two, so that opening is quick whatever the store holds;
 * each further page as many as were read before (up to 5,000: 15 ms), so that the last row
 * (G, a search) is a few reads away. A row's counts come with its page; its reporters and days
 * when it is drawn. */
#define GROUPS_PAGE	200
#define GROUPS_PAGE_MAX	5000
#define SPARK_DAYS	30

struct group_item {
	int64_t		 id;		/* the case's row */
	char		*key;		/* "ip:192.0.2.1" */
	const char	*bare;		/* the key without its kind */
	char		*state;
	char		*recur;		/* "3 since resolved on ...", or "" */
	int64_t		 reports;
	int64_t		 reporters;
	time_t		 last_seen;
	int64_t		 days[SPARK_DAYS];
	int		 filled;	/* reporters and days read */
};

struct groups {
	struct group_query	 q;
	char			*kind, *state, *type, *in_net;
	struct group_item	*rows;
	size_t			 nrows;
	int			 keywidth;
};

static void
items_free(struct groups *g)
{
	size_t i;

	for (i = 0; i < g->nrows; i++) {
		free(g->rows[i].key);
		free(g->rows[i].state);
		free(g->rows[i].recur);
	}
	free(g->rows);
	g->rows = NULL;
	g->nrows = 0;
}

struct gather {
	struct view	*view;
	struct groups	*groups;
};

static int
gather_row(const struct group_row *r, void *arg)
{
	struct gather *ga = arg;
	struct groups *g = ga->groups;
	struct group_item *it;
	char recur[80];
	size_t n;

	g->rows = xrealloc(g->rows, (g->nrows + 1) * sizeof *g->rows);
	it = &g->rows[g->nrows++];
	memset(it, 0, sizeof *it);
	it->id = r->id;
	it->key = xasprintf("%s:%s", r->kind, r->key);
	it->bare = it->key + strlen(r->kind) + 1;
	it->state = xstrdup(r->state != NULL ? r->state : "new");
	group_recur_text(r->recur_state, r->recur_at, r->recur_n, recur, sizeof recur);
	it->recur = xstrdup(recur);
	it->reports = r->reports;
	it->reporters = -1;
	it->last_seen = r->last_seen;
	n = strlen(it->bare);
	if ((int)n > g->keywidth)
		g->keywidth = (int)n;
	return view_out_of_time(ga->view);	/* the page stops short, the next goes on */
}

/*
 * The next page of groups: after the rows read, in the case indexes' order, by OFFSET (at
 * 20,000 cases of a kind, skipping 19,000 of them costs 2 ms: keyset paging would save
 * nothing that shows; bench/README).
 */
static int
groups_more(struct view *v)
{
	struct groups *g = v->data;
	struct gather ga = { v, g };
	struct group_query q = g->q;
	size_t before = g->nrows;

	q.offset = (long)g->nrows;
	q.no_reporters = 1;
	if ((q.limit = view_page_want(v, g->q.limit, GROUPS_PAGE, GROUPS_PAGE_MAX)) == 0)
		return 0;
	if (group_list(tui_store(v->tui), &q, gather_row, &ga) < 0)
		return -1;
	v->nrows = g->nrows;
	view_page_got(v, g->nrows - before, q.limit);
	return 0;
}

/* The reporters and the days of the rows about to be drawn. */
static void
groups_fill(struct view *v, size_t from, size_t n)
{
	struct groups *g = v->data;
	struct store *st = tui_store(v->tui);
	int64_t today = (int64_t)time(NULL) / 86400;
	struct group_item *it;
	size_t i;

	for (i = from; i < from + n && i < g->nrows; i++) {
		it = &g->rows[i];
		if (it->filled)
			continue;
		it->reporters = group_reporters(st, it->id);
		group_days(st, g->kind, it->bare, today - SPARK_DAYS + 1, SPARK_DAYS, it->days);
		it->filled = 1;
	}
}

static int
groups_load(struct view *v)
{
	struct groups *g = v->data;
	size_t had = g->nrows;

	items_free(g);
	g->keywidth = 4;
	return view_load_pages(v, had);
}

/* The widths of the columns for a width: key, and the sparkline's days (0: none). */
static void
layout(const struct groups *g, int width, int *key, int *spark)
{
	/* STATE 9, REPORTS 7, WHO 5, LAST SEEN 11, with a space after each. */
	int rest = width - 36;

	/* The key whole first (the sparkline goes before a key is cut), up to 40 columns. */
	*key = g->keywidth < 40 ? g->keywidth : 40;
	if (*key > rest)
		*key = rest > 12 ? rest : 12;
	rest -= *key + 1;
	*spark = rest >= SPARK_DAYS ? SPARK_DAYS : rest >= 7 ? rest : 0;
}

static void
groups_header(struct view *v, int width, struct buf *out)
{
	struct groups *g = v->data;
	int key, spark;

	layout(g, width, &key, &spark);
	buf_addf(out, "%-9s %7s %5s %-11s %-*s %s", "STATE", "REPORTS", "WHO", "LAST SEEN", key,
	    strcmp(g->kind, "ip") == 0 ? "IP" : strcmp(g->kind, "net") == 0 ? "NET" :
	    strcmp(g->kind, "domain") == 0 ? "DOMAIN" : "CUSTOMER", spark > 0 ? "PER DAY" : "");
}

static void
groups_row(struct view *v, size_t i, int width, struct buf *out, enum draw_style *style)
{
	struct groups *g = v->data;
	struct group_item *it = &g->rows[i];
	char last[24], state[16], who[24], *key;
	struct tm tm;
	int kw, spark;

	layout(g, width, &kw, &spark);
	gmtime_r(&it->last_seen, &tm);
	strftime(last, sizeof last, "%m-%d %H:%M", &tm);
	snprintf(state, sizeof state, "%s%s", it->state, *it->recur != '\0' ? "+" : "");
	key = text_fit(it->bare, (size_t)kw);
	if (it->filled)
		snprintf(who, sizeof who, "%lld", (long long)it->reporters);
	else
		*who = '\0';	/* not read yet: a search does not need it */
	buf_addf(out, "%-9s %7lld %5s %-11s %s%*s ", state, (long long)it->reports, who, last,
	    key, kw - (int)text_width(key), "");
	free(key);
	if (spark > 0 && it->filled)
		view_sparkline(it->days, SPARK_DAYS, spark, out);
	else if (spark > 0)
		buf_addf(out, "%*s", spark, "");
	if (*it->recur != '\0')
		buf_addf(out, " %s", it->recur);
	if (*it->recur != '\0')
		*style = DRAW_recurring;
	else if (strcmp(it->state, "new") == 0)
		*style = DRAW_new;
	else if (strcmp(it->state, "resolved") == 0 || strcmp(it->state, "ignored") == 0)
		*style = DRAW_done;
}

static const char *
groups_key(struct view *v, size_t i)
{
	struct groups *g = v->data;

	return i < g->nrows ? g->rows[i].key : NULL;
}

static int
groups_enter(struct view *v, size_t i)
{
	struct groups *g = v->data;
	struct view *c;

	if (i >= g->nrows)
		return -1;
	if ((c = view_case_open(v->tui, g->kind, g->rows[i].bare)) == NULL)
		return -1;
	tui_push(v->tui, c);
	return 0;
}

static void
groups_free(struct view *v)
{
	struct groups *g = v->data;

	items_free(g);
	free(g->kind);
	free(g->state);
	free(g->type);
	free(g->in_net);
	free(g);
}

static const struct view_ops groups_ops = {
	"groups", groups_load, groups_more, groups_header, groups_row, groups_fill, groups_key, groups_enter,
	groups_key, groups_free,
};

/* The title: what is listed, and how it is filtered. */
static char *
groups_title(const struct groups *g)
{
	struct buf t;

	buf_init(&t);
	buf_addf(&t, "Groups by %s", g->kind);
	if (g->q.todo)
		buf_adds(&t, ", needs a person");
	if (g->state != NULL)
		buf_addf(&t, ", %s", g->state);
	if (g->in_net != NULL)
		buf_addf(&t, ", in net:%s", g->in_net);
	if (g->q.since > 0 || g->q.until > 0)
		buf_adds(&t, ", in a time window");
	if (g->type != NULL)
		buf_addf(&t, ", %s", g->type);
	return buf_steal(&t);
}

struct view *
view_groups_open(struct tui *tui, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_find("groups");
	struct groups *g;
	struct args args;
	struct view *v;
	char *title, *command;
	int rc;

	if (cmd_parse(e, argc, argv, &args) != CMD_OK)
		return NULL;
	g = xcalloc(1, sizeof *g);
	if ((rc = cmd_groups_query(&args, &g->q)) != CMD_OK) {
		free(g);
		return NULL;
	}
	/* The words go when the prompt is done with them: keep copies. */
	g->kind = xstrdup(g->q.kind);
	g->state = g->q.state != NULL ? xstrdup(g->q.state) : NULL;
	g->type = g->q.type != NULL ? xstrdup(g->q.type) : NULL;
	g->in_net = (char *)g->q.in_net;
	g->q.kind = g->kind;
	g->q.state = g->state;
	g->q.type = g->type;
	title = groups_title(g);
	command = cmdline_join(argv, (size_t)argc);
	v = view_new(tui, &groups_ops, title, command, g);
	free(title);
	free(command);
	if (view_reload(v) != 0) {
		view_free(v);
		return NULL;
	}
	return v;
}

/* Group by the next kind, or show only what needs a person (or everything again), in place:
 * the window, state and class asked for stay. 0, 1 when v is not a groups view, -1. */
int
view_groups_switch(struct view *v, int next_kind, int flip_todo)
{
	static const char *const kinds[] = { "ip", "net", "domain", "customer" };
	struct groups *g;
	size_t i;

	if (v->ops != &groups_ops)
		return 1;
	g = v->data;
	if (next_kind) {
		for (i = 0; i < 4 && strcmp(kinds[i], g->kind) != 0; i++)
			;
		free(g->kind);
		g->kind = xstrdup(kinds[(i + 1) % 4]);
		g->q.kind = g->kind;
		/* --in net: holds addresses only. */
		free(g->in_net);
		g->in_net = NULL;
		g->q.in_net = NULL;
		items_free(g);
		v->nrows = 0;
		v->sel = v->top = 0;
	}
	if (flip_todo)
		g->q.todo = !g->q.todo;
	free(v->title);
	v->title = groups_title(g);
	return view_reload(v);
}
