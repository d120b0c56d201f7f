/* cmd-groups.c: the groups command: reports grouped by source IP, network or advertised domain,
 * with counts, first and last seen, and the state of each group's case. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "group.h"
#include "output.h"

/* The first title is the kind (IP, NET, DOMAIN): every row of one listing is of one kind. */
static const struct table_col group_cols[] = {
	{ "KEY", 0 },
	{ "REPORTS", COL_RIGHT },
	{ "REPORTERS", COL_RIGHT | COL_OPTIONAL },
	{ "NOT SPAM", COL_RIGHT | COL_OPTIONAL },
	{ "FIRST SEEN (UTC)", COL_OPTIONAL },
	{ "LAST SEEN (UTC)", 0 },
	{ "STATE", 0 },
};

/* The contract object of a group; case --json starts from it too. */
json_t *
cmd_group_json(const struct group_row *g)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "kind", json_string(g->kind));
	json_object_set_new(obj, "key", json_safe(g->key));
	json_object_set_new(obj, "reports", json_integer(g->reports));
	if (g->reporters >= 0)
		json_object_set_new(obj, "reporters", json_integer(g->reporters));
	/* Recurring: complaints seen after the case was notified, resolved or ignored. */
	json_object_set_new(obj, "recurring", json_integer(g->recur_n));
	if (g->recur_n > 0) {
		json_object_set_new(obj, "recurring_since", json_string(g->recur_state));
		json_object_set_new(obj, "recurring_at", json_time(g->recur_at));
	}
	json_object_set_new(obj, "not_spam", json_integer(g->not_spam));
	json_object_set_new(obj, "first_seen", json_time(g->first_seen));
	json_object_set_new(obj, "last_seen", json_time(g->last_seen));
	json_object_set_new(obj, "state", json_safe(g->state));
	return obj;
}

static int
group_json(const struct group_row *g, void *arg)
{
	json_print_line(cmd_group_json(g), stdout);
	return 0;
}

static int
group_table(const struct group_row *g, void *arg)
{
	char count[24], reporters[24], not_spam[24], first[24], last[24], recur[80], state[100];
	const char *cells[7];

	snprintf(count, sizeof count, "%lld", (long long)g->reports);
	snprintf(reporters, sizeof reporters, "%lld", (long long)g->reporters);
	snprintf(not_spam, sizeof not_spam, "%lld", (long long)g->not_spam);
	output_time(g->first_seen, first, sizeof first);
	output_time(g->last_seen, last, sizeof last);
	cells[0] = g->key;
	cells[1] = count;
	cells[2] = g->reporters >= 0 ? reporters : NULL;
	cells[3] = g->not_spam > 0 ? not_spam : NULL;
	cells[4] = first;
	cells[5] = last;
	group_recur_text(g->recur_state, g->recur_at, g->recur_n, recur, sizeof recur);
	if (*recur != '\0')
		snprintf(state, sizeof state, "%s, %s", g->state, recur);
	else
		snprintf(state, sizeof state, "%s", g->state);
	cells[6] = state;
	table_add(arg, cells);
	return 0;
}

int
cmd_groups_query(const struct args *args, struct group_query *q)
{
	const char *sort = args_get(args, 'o');
	char *in_kind, *in_key = NULL;
	int rc;

	memset(q, 0, sizeof *q);
	q->kind = args_get(args, 'b') != NULL ? args_get(args, 'b') : "ip";
	q->state = args_get(args, 'S');
	q->type = args_get(args, 'y');
	q->todo = args_has(args, 'D');
	if (q->type != NULL && cmd_check_type(q->type) != 0)
		return CMD_USAGE;
	if (group_kind_find(q->kind) < 0) {
		msg_error("groups: --by: one of %s", group_kind_list());
		return CMD_USAGE;
	}
	if (q->state != NULL && case_state_find(q->state) < 0) {
		msg_error("groups: --state: one of %s", case_state_list());
		return CMD_USAGE;
	}
	if (args_since(args, "groups", &q->since) != 0 ||
	    args_limit(args, "groups", &q->limit) != 0 ||
	    args_time(args, 'u', "groups", "until", &q->until) != 0 ||
	    args_time(args, 'I', "groups", "imported-since", &q->imported_since) != 0)
		return CMD_USAGE;
	if (sort == NULL || strcmp(sort, "reports") == 0)
		q->sort = GROUP_SORT_REPORTS;
	else if (strcmp(sort, "last") == 0)
		q->sort = GROUP_SORT_LAST;
	else if (strcmp(sort, "key") == 0)
		q->sort = GROUP_SORT_KEY;
	else {
		msg_error("groups: --sort: one of reports, last, key");
		return CMD_USAGE;
	}
	/* Drill-down: the addresses of one network. */
	if (args_has(args, 'i')) {
		if (cmd_parse_case(args_get(args, 'i'), &in_kind, &in_key) != 0)
			return CMD_USAGE;
		rc = strcmp(in_kind, "net") == 0 && strcmp(q->kind, "ip") == 0;
		free(in_kind);
		if (!rc) {
			msg_error("groups: --in: a network's addresses (--by ip --in net:KEY); "
			    "nothing else holds other groups yet");
			free(in_key);
			return CMD_USAGE;
		}
		q->in_net = in_key;
	}
	return CMD_OK;
}

static int
cmd_groups_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct table_col cols[sizeof group_cols / sizeof group_cols[0]];
	struct group_query q;
	struct table *table;
	char title[16], *in_key;
	size_t i;
	int rc;

	if ((rc = cmd_groups_query(args, &q)) != CMD_OK)
		return rc;
	in_key = (char *)q.in_net;
	if (cmd_store(ctx) == NULL) {
		free(in_key);
		return CMD_FAIL;
	}
	if (ctx->json) {
		rc = group_list(ctx->store, &q, group_json, NULL);
		free(in_key);
		return rc == 0 ? CMD_OK : CMD_FAIL;
	}
	memcpy(cols, group_cols, sizeof cols);
	for (i = 0; q.kind[i] != '\0' && i + 1 < sizeof title; i++)
		title[i] = (char)toupper((unsigned char)q.kind[i]);
	title[i] = '\0';
	cols[0].title = title;
	table = table_new(cols, sizeof cols / sizeof cols[0]);
	rc = group_list(ctx->store, &q, group_table, table);
	if (rc == 0)
		table_print(table, stdout);
	table_free(table);
	free(in_key);
	return rc == 0 ? CMD_OK : CMD_FAIL;
}

static const struct cmd_option groups_options[] = {
	{ "by", 'b', "KIND", "group by ip (the default), net, domain or customer" },
	{ "state", 'S', "STATE", "only groups whose case is in this state" },
	{ "since", 's', "TIME", "only reports seen since TIME (2026-11-01, 7d, 12h, ...)" },
	{ "until", 'u', "TIME", "only reports seen before TIME" },
	{ "imported-since", 'I', "TIME", "only reports imported since TIME" },
	{ "type", 'y', "CLASS", "count spam (the default), all, or one class (not-spam, ...)" },
	{ "todo", 'D', NULL, "only what needs a person: new, open or recurring" },
	{ "in", 'i', "KIND:KEY", "only the groups inside that case (--by ip --in net:KEY)" },
	{ "sort", 'o', "ORDER", "reports (the default), last or key" },
	{ "limit", 'n', "N", "at most N groups" },
	{ "wide", 'W', NULL, "do not cut long domains or subjects to 60 columns" },
	{ "csv", 'V', NULL, "print the table as CSV (RFC 4180), for spreadsheets" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_groups_entry = {
	"groups",
	"[--by ip|net|domain|customer] [--state STATE] [--since TIME] [--until TIME] "
	    "[--imported-since TIME] [--type CLASS] [--todo] [--in net:KEY] "
	    "[--sort reports|last|key] "
	    "[--limit N] [--wide] [--csv] [--json]",
	"reports grouped by source IP, network, advertised domain or customer",
	groups_options, 0, 0, CMD_STORE | CMD_READONLY, cmd_groups_exec,
};
