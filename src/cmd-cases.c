/* cmd-cases.c: the cases command: every case (each group is one), with its state, assignee,
 * counts and recurrence, those without reports (yet, or any more) included. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "store.h"

static const struct table_col case_cols[] = {
	{ "CASE", 0 },
	{ "STATE", 0 },
	{ "ASSIGNEE", COL_OPTIONAL },
	{ "REPORTS", COL_RIGHT },
	{ "LAST SEEN (UTC)", COL_OPTIONAL },
	{ "UPDATED (UTC)", COL_OPTIONAL },
	{ "RECURRING", COL_FLEX | COL_OPTIONAL },
};

static void
case_row(struct table *t, const struct case_info *c)
{
	char name[600], count[24], last[24], updated[24], recur[80];
	const char *cells[7];

	snprintf(name, sizeof name, "%s:%s", c->kind, c->key);
	snprintf(count, sizeof count, "%lld", (long long)c->reports);
	output_time(c->last_seen, last, sizeof last);
	output_time(c->updated_at, updated, sizeof updated);
	group_recur_text(c->recur_state, c->recur_at, c->recur_n, recur, sizeof recur);
	cells[0] = name;
	cells[1] = c->state;
	cells[2] = c->assignee;
	cells[3] = count;
	cells[4] = c->reports > 0 ? last : NULL;
	cells[5] = updated;
	cells[6] = *recur != '\0' ? recur : NULL;
	table_add(t, cells);
}

int
cmd_cases_query(const struct args *args, const struct conf *conf, struct case_query *q)
{
	const char *sort = args_get(args, 'o');

	memset(q, 0, sizeof *q);
	q->state = args_get(args, 'S');
	q->kind = args_get(args, 'k');
	q->assignee = args_get(args, 'A');
	q->unassigned = args_has(args, 'O');
	q->todo = args_has(args, 'D');
	if (q->state != NULL && case_state_find(q->state) < 0) {
		msg_error("cases: --state: one of %s", case_state_list());
		return CMD_USAGE;
	}
	if (q->kind != NULL && group_kind_find(q->kind) < 0) {
		msg_error("cases: --kind: one of %s", group_kind_list());
		return CMD_USAGE;
	}
	if (args_has(args, 'A') + args_has(args, 'M') + args_has(args, 'O') > 1) {
		msg_error("cases: --assignee, --mine and --unassigned: one at a time");
		return CMD_USAGE;
	}
	if (sort == NULL || strcmp(sort, "updated") == 0)
		q->sort = CASE_SORT_UPDATED;
	else if (strcmp(sort, "key") == 0)
		q->sort = CASE_SORT_KEY;
	else if (strcmp(sort, "reports") == 0)
		q->sort = CASE_SORT_REPORTS;
	else {
		msg_error("cases: --sort: one of updated, reports, key");
		return CMD_USAGE;
	}
	if (args_since(args, "cases", &q->since) != 0 || args_limit(args, "cases", &q->limit) != 0)
		return CMD_USAGE;
	if (args_has(args, 'M'))
		q->assignee = cmd_user(conf);
	return CMD_OK;
}

static int
case_json(const struct case_info *c, void *arg)
{
	struct group_row row;
	json_t *obj;

	(void)arg;
	case_group_row(c, &row);
	obj = cmd_group_json(&row);
	json_object_set_new(obj, "assignee", json_safe(c->assignee));
	json_object_set_new(obj, "updated_at", json_time(c->updated_at));
	json_print_line(obj, stdout);
	return 0;
}

static int
case_table(const struct case_info *c, void *arg)
{
	case_row(arg, c);
	return 0;
}

static int
cmd_cases_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct case_query q;
	struct table *table;
	int rc;

	if ((rc = cmd_cases_query(args, ctx->conf, &q)) != CMD_OK)
		return rc;
	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;
	if (ctx->json)
		return case_list(ctx->store, &q, case_json, NULL) == 0 ? CMD_OK : CMD_FAIL;
	table = table_new(case_cols, sizeof case_cols / sizeof case_cols[0]);
	rc = case_list(ctx->store, &q, case_table, table);
	if (rc == 0)
		table_print(table, stdout);
	table_free(table);
	return rc == 0 ? CMD_OK : CMD_FAIL;
}

static const struct cmd_option cases_options[] = {
	{ "state", 'S', "STATE", "only cases in this state" },
	{ "kind", 'k', "KIND", "only cases of this kind: ip, net, domain or customer" },
	{ "assignee", 'A', "USER", "only cases assigned to USER" },
	{ "mine", 'M', NULL, "only cases assigned to yourself" },
	{ "unassigned", 'O', NULL, "only cases assigned to nobody" },
	{ "todo", 'D', NULL, "only what needs a person: new, open or recurring" },
	{ "since", 's', "TIME", "only cases made, changed or reopened since TIME" },
	{ "sort", 'o', "ORDER", "updated (the default), reports or key" },
	{ "limit", 'n', "N", "at most N cases" },
	{ "wide", 'W', NULL, "do not cut long domains or subjects to 60 columns" },
	{ "csv", 'V', NULL, "print the table as CSV (RFC 4180), for spreadsheets" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_cases_entry = {
	"cases",
	"[--state STATE] [--kind KIND] [--assignee USER | --mine | --unassigned] [--todo] "
	    "[--since TIME] [--sort updated|reports|key] [--limit N] [--wide] [--csv] [--json]",
	"list the cases (every group is one), those without reports included",
	cases_options, 0, 0, CMD_STORE | CMD_READONLY, cmd_cases_exec,
};
