/* view-case.c: the case view: state, assignee, customer, recurrence, counts, complaints per
 * day, the history with its notes, then the case's reports, newest first, a page at a time. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "group.h"
#include "listing.h"
#include "output.h"
#include "tui.h"
#include "util.h"
#include "view.h"

#define CASE_PAGE	100
#define CASE_DAYS	30

struct case_line {
	char		*text;
	int64_t		 report;	/* a report's row: its id; else 0 */
	time_t		 seen;
	enum draw_style	 style;
};

struct case_view {
	struct view	*view;
	char		*kind;
	char		*key;
	char		*subject;	/* "ip:192.0.2.1" */
	struct case_line *lines;
	size_t		 nlines;
	char		 rowkey[32];
};

static void
add_line(struct case_view *c, enum draw_style style, int64_t report, time_t seen,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_line(struct case_view *c, enum draw_style style, int64_t report, time_t seen,
    const char *fmt, ...)
{
	struct case_line *l;
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text == NULL)
		text = xstrdup("");
	c->lines = xrealloc(c->lines, (c->nlines + 1) * sizeof *c->lines);
	l = &c->lines[c->nlines++];
	l->text = text;
	l->report = report;
	l->seen = seen;
	l->style = style;
}

static void
lines_free(struct case_view *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++)
		free(c->lines[i].text);
	free(c->lines);
	c->lines = NULL;
	c->nlines = 0;
}

static void
add_event(struct case_view *c, const struct case_event *e)
{
	char when[24], what[200];

	output_time(e->at, when, sizeof when);
	if (strcmp(e->action, "state") == 0 || strcmp(e->action, "reopen") == 0)
		snprintf(what, sizeof what, "%s %s -> %s", e->action,
		    e->old_state != NULL ? e->old_state : "new",
		    e->new_state != NULL ? e->new_state : "?");
	else if (strcmp(e->action, "assign") == 0)
		snprintf(what, sizeof what, "assigned %s -> %s",
		    e->old_state != NULL ? e->old_state : "nobody",
		    e->new_state != NULL ? e->new_state : "nobody");
	else
		snprintf(what, sizeof what, "%s", e->action);
	add_line(c, DRAW_normal, 0, 0, "  %s  %-10s %s%s%s", when, e->user != NULL ? e->user : "-",
	    what, e->note != NULL ? ": " : "", e->note != NULL ? e->note : "");
}

static void
add_spark(struct case_view *c, struct store *s)
{
	int64_t days[CASE_DAYS], max = 0, total = 0, today = (int64_t)time(NULL) / 86400;
	struct buf line;
	int i;

	if (group_days(s, c->kind, c->key, today - CASE_DAYS + 1, CASE_DAYS, days) != 0)
		return;
	for (i = 0; i < CASE_DAYS; i++) {
		max = days[i] > max ? days[i] : max;
		total += days[i];
	}
	buf_init(&line);
	view_sparkline(days, CASE_DAYS, CASE_DAYS, &line);
	add_line(c, DRAW_spark, 0, 0, "Last 30 days:    |%s| %lld, at most %lld a day", line.data,
	    (long long)total, (long long)max);
	buf_free(&line);
}

static int
add_report(const struct report_item *it, void *arg)
{
	struct case_view *c = arg;
	char seen[24];

	output_time(it->seen_at, seen, sizeof seen);
	add_line(c, DRAW_normal, it->id, it->seen_at, "%8lld  %s  %-9s %-15s %s", (long long)it->id,
	    seen, it->format != NULL ? it->format : "-",
	    it->source_ip != NULL ? it->source_ip : "-",
	    it->original_subject != NULL ? it->original_subject : "");
	return view_out_of_time(c->view);	/* the page stops short, the next goes on */
}

/* The next page of reports: after the last one shown (newest first). */
static int
case_more(struct view *v)
{
	struct case_view *c = v->data;
	struct report_query q;
	size_t i, before;

	memset(&q, 0, sizeof q);
	q.kind = c->kind;
	q.key = c->key;
	q.reverse = 1;
	if ((q.limit = view_page_want(v, 0, CASE_PAGE, CASE_PAGE)) == 0)
		return 0;
	for (i = c->nlines; i > 0; i--)
		if (c->lines[i - 1].report != 0) {
			q.after = 1;
			q.after_seen = c->lines[i - 1].seen;
			q.after_id = c->lines[i - 1].report;
			break;
		}
	before = c->nlines;
	if (report_list(tui_store(v->tui), &q, add_report, c) < 0)
		return -1;
	v->nrows = c->nlines;
	view_page_got(v, c->nlines - before, q.limit);
	return 0;
}

static int
case_load(struct view *v)
{
	struct case_view *c = v->data;
	struct store *s = tui_store(v->tui);
	struct case_info info;
	char first[24], last[24], recur[100];
	size_t i, reports = 0, header;

	for (i = 0; i < c->nlines; i++)
		reports += c->lines[i].report != 0;
	lines_free(c);
	v->nrows = 0;
	if (case_get(s, c->kind, c->key, &info) != 0)
		return -1;
	add_line(c, DRAW_label, 0, 0, "Case %s", c->subject);
	add_line(c, DRAW_normal, 0, 0, "State:           %s%s%s", info.state,
	    info.assignee != NULL ? ", assigned to " : "", info.assignee != NULL ? info.assignee :
	    "");
	group_recur_text(info.recur_state, info.recur_at, info.recur_n, recur, sizeof recur);
	if (*recur != '\0')
		add_line(c, DRAW_recurring, 0, 0, "Recurring:       %s", recur);
	if (info.customer != NULL)
		add_line(c, DRAW_normal, 0, 0, "Customer:        %s", info.customer);
	if (info.not_spam > 0)
		add_line(c, DRAW_normal, 0, 0, "Complaints:      %lld from %lld reporters (and %lld "
		    "not spam)", (long long)info.reports, (long long)info.reporters,
		    (long long)info.not_spam);
	else
		add_line(c, DRAW_normal, 0, 0, "Complaints:      %lld from %lld reporters",
		    (long long)info.reports, (long long)info.reporters);
	output_time(info.first_seen, first, sizeof first);
	output_time(info.last_seen, last, sizeof last);
	if (info.reports > 0)
		add_line(c, DRAW_normal, 0, 0, "Seen:            %s to %s", first, last);
	add_spark(c, s);
	add_line(c, DRAW_normal, 0, 0, "%s", "");
	add_line(c, DRAW_label, 0, 0, "History:");
	if (info.nevents == 0)
		add_line(c, DRAW_normal, 0, 0, "  nothing done yet");
	for (i = 0; i < info.nevents; i++)
		add_event(c, &info.events[i]);
	case_info_free(&info);
	add_line(c, DRAW_normal, 0, 0, "%s", "");
	add_line(c, DRAW_label, 0, 0, "Reports, newest first:");
	add_line(c, DRAW_header, 0, 0, "%8s  %-16s  %-9s %-15s %s", "ID", "SEEN (UTC)", "FORMAT",
	    "SOURCE IP", "SUBJECT");
	/* As many reports as were shown, so that the selection stays on its row. */
	header = c->nlines;
	v->nrows = c->nlines;
	return view_read_pages(v, header + reports);
}

static void
case_row(struct view *v, size_t i, int width, struct buf *out, enum draw_style *style)
{
	struct case_view *c = v->data;

	(void)width;
	buf_adds(out, c->lines[i].text);
	*style = c->lines[i].style;
}

static const char *
case_key(struct view *v, size_t i)
{
	struct case_view *c = v->data;

	if (i >= c->nlines)
		return NULL;
	if (c->lines[i].report == 0) {
		/* Lines above the reports are known by their place. */
		snprintf(c->rowkey, sizeof c->rowkey, "line:%zu", i);
		return c->rowkey;
	}
	snprintf(c->rowkey, sizeof c->rowkey, "report:%lld", (long long)c->lines[i].report);
	return c->rowkey;
}

static int
case_enter(struct view *v, size_t i)
{
	struct case_view *c = v->data;
	struct view *r;

	if (i >= c->nlines || c->lines[i].report == 0)
		return 0;
	if ((r = view_report_open(v->tui, c->lines[i].report, 0)) == NULL)
		return -1;
	tui_push(v->tui, r);
	return 0;
}

static const char *
case_of(struct view *v, size_t i)
{
	struct case_view *c = v->data;

	(void)i;
	return c->subject;
}

static void
case_free(struct view *v)
{
	struct case_view *c = v->data;

	lines_free(c);
	free(c->kind);
	free(c->key);
	free(c->subject);
	free(c);
}

static const struct view_ops case_ops = {
	"case", case_load, case_more, NULL, case_row, NULL, case_key, case_enter, case_of,
	case_free,
};

struct view *
view_case_open(struct tui *tui, const char *kind, const char *key)
{
	struct case_view *c = xcalloc(1, sizeof *c);
	struct view *v;
	char *title, *command;

	c->kind = xstrdup(kind);
	c->key = xstrdup(key);
	c->subject = xasprintf("%s:%s", kind, key);
	title = xasprintf("Case %s", c->subject);
	command = xasprintf("case %s", c->subject);
	v = view_new(tui, &case_ops, title, command, c);
	c->view = v;
	free(title);
	free(command);
	if (view_reload(v) != 0) {
		view_free(v);
		return NULL;
	}
	/* The first report selected, when there is one: Enter opens it. */
	for (size_t i = 0; i < c->nlines; i++)
		if (c->lines[i].report != 0) {
			v->sel = i;
			break;
		}
	return v;
}
