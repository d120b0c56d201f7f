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

static int
cmd_cases_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char *state = args_get(args, 'S'), *kind = args_get(args, 'k');
	const char *assignee = args_get(args, 'A'), *sort = args_get(args, 'o');
	struct case_info *cases = NULL, *c;
	struct group_row row;
	struct table *table;
	json_t *obj;
	sqlite3_stmt *st;
	struct buf where;
	size_t n = 0, i;
	time_t since;
	long limit;
	char *sql;
	int rc, param = 0;

	if (state != NULL && case_state_find(state) < 0) {
		msg_error("cases: --state: one of %s", case_state_list());
		return CMD_USAGE;
	}
	if (kind != NULL && group_kind_find(kind) < 0) {
		msg_error("cases: --kind: one of %s", group_kind_list());
		return CMD_USAGE;
	}
	if (args_has(args, 'A') + args_has(args, 'M') + args_has(args, 'O') > 1) {
		msg_error("cases: --assignee, --mine and --unassigned: one at a time");
		return CMD_USAGE;
	}
	if (sort != NULL && strcmp(sort, "updated") != 0 && strcmp(sort, "key") != 0 &&
	    strcmp(sort, "reports") != 0) {
		msg_error("cases: --sort: one of updated, reports, key");
		return CMD_USAGE;
	}
	if (args_since(args, "cases", &since) != 0 || args_limit(args, "cases", &limit) != 0)
		return CMD_USAGE;
	if (args_has(args, 'M'))
		assignee = cmd_user(ctx->conf);
	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;

	/* From constant fragments; the values are bound below in the same order. */
	buf_init(&where);
	buf_adds(&where, "c.updated_at >= ?");
	if (state != NULL)
		buf_adds(&where, " AND c.state = ?");
	if (kind != NULL)
		buf_adds(&where, " AND c.kind = ?");
	if (assignee != NULL)
		buf_adds(&where, " AND c.assignee = ?");
	if (args_has(args, 'O'))
		buf_adds(&where, " AND c.assignee IS NULL");
	if (args_has(args, 'D'))
		buf_adds(&where, " AND " CASE_TODO);
	/* Served in the order of an index: cases_updated, cases_count (one kind), or the key. */
	sql = xasprintf("SELECT " CASE_COLUMNS " FROM cases c WHERE %s ORDER BY %s LIMIT ?",
	    where.data, sort != NULL && strcmp(sort, "key") == 0 ? "c.kind, c.key" :
	    sort != NULL && strcmp(sort, "reports") == 0 ?
	    "c.reports DESC, c.last_seen DESC, c.kind, c.key" : "c.updated_at DESC, c.id DESC");
	buf_free(&where);
	rc = sqlite3_prepare_v2(store_db(ctx->store), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		store_fail(ctx->store, "preparing the case query");
		return CMD_FAIL;
	}
	sqlite3_bind_int64(st, ++param, (sqlite3_int64)since);
	if (state != NULL)
		sqlite3_bind_text(st, ++param, state, -1, SQLITE_TRANSIENT);
	if (kind != NULL)
		sqlite3_bind_text(st, ++param, kind, -1, SQLITE_TRANSIENT);
	if (assignee != NULL)
		sqlite3_bind_text(st, ++param, assignee, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, ++param, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cases = xrealloc(cases, (n + 1) * sizeof *cases);
		c = &cases[n++];
		memset(c, 0, sizeof *c);
		case_info_read(st, c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(ctx->store, "reading cases");
		rc = CMD_FAIL;
		goto out;
	}
	if (ctx->json) {
		for (i = 0; i < n; i++) {
			case_group_row(&cases[i], &row);
			obj = cmd_group_json(&row);
			json_object_set_new(obj, "assignee", json_safe(cases[i].assignee));
			json_object_set_new(obj, "updated_at", json_time(cases[i].updated_at));
			json_print_line(obj, stdout);
		}
	} else {
		table = table_new(case_cols, sizeof case_cols / sizeof case_cols[0]);
		for (i = 0; i < n; i++)
			case_row(table, &cases[i]);
		table_print(table, stdout);
		table_free(table);
	}
	rc = CMD_OK;
out:
	for (i = 0; i < n; i++)
		case_info_free(&cases[i]);
	free(cases);
	return rc;
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
