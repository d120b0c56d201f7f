/* cmd-case.c: the case command: show a case (a group someone works on), change its state, add
 * a note; every change is kept in its history with the time and the user. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "store.h"


static void
case_print_json(const struct case_info *c)
{
	struct group_row row;
	json_t *obj, *history = json_array(), *ev;
	size_t i;

	case_group_row(c, &row);
	obj = cmd_group_json(&row);
	json_object_set_new(obj, "assignee", json_safe(c->assignee));
	json_object_set_new(obj, "customer", json_safe(c->customer));
	json_object_set_new(obj, "updated_at", json_time(c->updated_at));
	for (i = 0; i < c->nevents; i++) {
		ev = json_object();
		json_object_set_new(ev, "at", json_time(c->events[i].at));
		json_object_set_new(ev, "user", json_safe(c->events[i].user));
		json_object_set_new(ev, "action", json_safe(c->events[i].action));
		if (c->events[i].old_state != NULL)
			json_object_set_new(ev, "from", json_safe(c->events[i].old_state));
		if (c->events[i].new_state != NULL)
			json_object_set_new(ev, "to", json_safe(c->events[i].new_state));
		if (c->events[i].note != NULL)
			json_object_set_new(ev, "note", json_safe(c->events[i].note));
		json_array_append_new(history, ev);
	}
	json_object_set_new(obj, "history", history);
	json_print_line(obj, stdout);
}

static void
case_print(const struct case_info *c)
{
	char first[24], last[24], at[24], recur[80];
	char *safe;
	size_t i;

	output_time(c->first_seen, first, sizeof first);
	output_time(c->last_seen, last, sizeof last);
	safe = text_safe_line(c->key, strlen(c->key));
	printf("Case %s:%s\n", c->kind, safe);
	free(safe);
	group_recur_text(c->recur_state, c->recur_at, c->recur_n, recur, sizeof recur);
	printf("State:    %s%s%s\n", c->state, *recur != '\0' ? ", " : "", recur);
	if (c->customer != NULL) {
		fputs("Customer: ", stdout);
		output_text(stdout, c->customer, strlen(c->customer));
		fputc('\n', stdout);
	}
	if (c->assignee != NULL) {
		fputs("Assignee: ", stdout);
		output_text(stdout, c->assignee, strlen(c->assignee));
		fputc('\n', stdout);
	}
	printf("Reports:  %lld from %lld reporter%s (first %s, last %s UTC)\n",
	    (long long)c->reports, (long long)c->reporters, c->reporters == 1 ? "" : "s", first,
	    last);
	if (c->not_spam > 0)
		printf("Not spam: %lld report%s saying so\n", (long long)c->not_spam,
		    c->not_spam == 1 ? "" : "s");
	if (c->nevents == 0) {
		printf("History:  none\n");
		return;
	}
	printf("History:\n");
	for (i = 0; i < c->nevents; i++) {
		output_time(c->events[i].at, at, sizeof at);
		if (strcmp(c->events[i].action, "state") == 0)
			safe = xasprintf("%s -> %s", c->events[i].old_state, c->events[i].new_state);
		else if (strcmp(c->events[i].action, "reopen") == 0)
			safe = xasprintf("%s -> open, reopened: %s", c->events[i].old_state,
			    c->events[i].note != NULL ? c->events[i].note : "");
		else if (strcmp(c->events[i].action, "assign") == 0)
			safe = c->events[i].new_state != NULL ? xasprintf("assigned to %s",
			    c->events[i].new_state) : xstrdup("unassigned");
		else
			safe = xasprintf("note: %s", c->events[i].note);
		printf("  %s  ", at);
		output_text(stdout, c->events[i].user, strlen(c->events[i].user));
		fputs("  ", stdout);
		output_text(stdout, safe, strlen(safe));
		fputc('\n', stdout);
		free(safe);
	}
}

/* One line of a case, when several are listed: "ip:192.0.2.1  open  bob  12 reports". */
static void
case_print_line(const struct case_info *c)
{
	char *line = xasprintf("%s:%s  %s  %s  %lld report%s", c->kind, c->key, c->state,
	    c->assignee != NULL ? c->assignee : "-", (long long)c->reports, c->reports == 1 ? "" :
	    "s");

	output_text(stdout, line, strlen(line));
	fputc('\n', stdout);
	free(line);
}

/* The most cases one command changes. */
#define CASE_MAX_KEYS	1000000

/* One case named on standard input: "KIND:KEY", or a JSON object with "kind" and "key" (a line
 * of `groups --json`). Returns 0 with the case, 1 for a line that names none, -1 (reported). */
static int
stdin_case(char *line, long lineno, char **kind, char **key)
{
	json_t *obj, *k, *v;
	char *text;
	int rc;

	line = str_trim(line);
	if (*line == '\0' || *line == '#')
		return 1;
	if (*line != '{')
		rc = cmd_parse_case(line, kind, key);
	else {
		obj = json_loads(line, 0, NULL);
		k = obj != NULL ? json_object_get(obj, "kind") : NULL;
		v = obj != NULL ? json_object_get(obj, "key") : NULL;
		if (!json_is_string(k) || !json_is_string(v)) {
			msg_error("case: standard input, line %ld: a JSON line needs \"kind\" and "
			    "\"key\"", lineno);
			json_decref(obj);
			return -1;
		}
		text = xasprintf("%s:%s", json_string_value(k), json_string_value(v));
		rc = cmd_parse_case(text, kind, key);
		free(text);
		json_decref(obj);
	}
	if (rc != 0)
		msg_error("case: standard input, line %ld: not a case", lineno);
	return rc;
}

/* Every case the operands name ("-": the lines of standard input), checked before anything
 * changes. Returns 0, or -1 (reported). */
static int
case_keys(struct args *args, struct strlist *kinds, struct strlist *keys)
{
	char *kind, *key, *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int i, rc = 0, from_stdin = 0;

	for (i = 0; i < args->argc && rc == 0; i++) {
		if (strcmp(args->argv[i], "-") != 0) {
			if ((rc = cmd_parse_case(args->argv[i], &kind, &key)) != 0)
				break;
			strlist_add(kinds, kind);
			strlist_add(keys, key);
			free(kind);
			free(key);
			continue;
		}
		if (from_stdin++) {
			msg_error("case: - (standard input) given twice");
			return -1;
		}
		while (rc == 0 && getline(&line, &cap, stdin) >= 0) {
			if ((rc = stdin_case(line, ++lineno, &kind, &key)) == 1) {
				rc = 0;
				continue;
			}
			if (rc != 0)
				break;
			strlist_add(kinds, kind);
			strlist_add(keys, key);
			free(kind);
			free(key);
			if (keys->count > CASE_MAX_KEYS) {
				msg_error("case: more than %d cases at once", CASE_MAX_KEYS);
				rc = -1;
			}
		}
	}
	free(line);
	return rc;
}

static const char *
safe_option(const char *text, const char *option, char **clean)
{
	*clean = text_safe_line(text, strlen(text));
	if (**clean == '\0') {
		msg_error("case: --%s: empty", option);
		return NULL;
	}
	return *clean;
}

static int
cmd_case_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct case_change change;
	struct strlist kinds = { 0 }, keys = { 0 }, cleaned = { 0 };
	struct case_info info;
	const char **notes;
	char *clean;
	size_t i, nnotes;
	int rc = CMD_USAGE, changes, several;

	memset(&change, 0, sizeof change);
	change.state = args_get(args, 'S');
	change.user = cmd_user(ctx->conf);
	if (change.state != NULL && case_state_find(change.state) < 0) {
		msg_error("case: --state: one of %s", case_state_list());
		return CMD_USAGE;
	}
	if (args_has(args, 'a') + args_has(args, 'T') + args_has(args, 'U') > 1) {
		msg_error("case: --assign, --take and --unassign: one at a time");
		return CMD_USAGE;
	}
	notes = args_all(args, 'N', &nnotes);
	for (i = 0; i < nnotes; i++) {
		if (safe_option(notes[i], "note", &clean) == NULL) {
			free(clean);
			goto out;
		}
		strlist_add(&cleaned, clean);
		free(clean);
	}
	change.notes = (const char *const *)cleaned.items;
	change.nnotes = cleaned.count;
	if (args_has(args, 'a')) {
		if (safe_option(args_get(args, 'a'), "assign", &clean) == NULL) {
			free(clean);
			goto out;
		}
		strlist_add(&cleaned, clean);
		free(clean);
		change.assign = 1;
		change.assignee = cleaned.items[cleaned.count - 1];
	} else if (args_has(args, 'T')) {
		change.assign = 1;
		change.assignee = change.user;
	} else if (args_has(args, 'U'))
		change.assign = 1;
	if (case_keys(args, &kinds, &keys) != 0)
		goto out;
	if (keys.count == 0) {
		msg_error("case: no case given (standard input named none)");
		goto out;
	}
	changes = change.state != NULL || change.assign || change.nnotes > 0;
	several = keys.count > 1 || strcmp(args->argv[0], "-") == 0;
	/* Looking at a case only reads: it never creates a database. */
	ctx->readonly = !changes;
	rc = CMD_FAIL;
	if (cmd_store(ctx) == NULL)
		goto out;
	if (changes) {
		/* One change for all, in one transaction: all of them or none. */
		if (store_begin(ctx->store) != 0)
			goto out;
		for (i = 0; i < keys.count; i++)
			if (case_apply(ctx->store, kinds.items[i], keys.items[i], &change) != 0) {
				store_rollback(ctx->store);
				goto out;
			}
		if (store_commit(ctx->store) != 0)
			goto out;
	}
	for (i = 0; i < keys.count; i++) {
		if (case_get(ctx->store, kinds.items[i], keys.items[i], &info) != 0)
			goto out;
		if (info.reports == 0 && !several)
			msg_warn("no reports for %s:%s (yet)", info.kind, info.key);
		if (ctx->json)
			case_print_json(&info);
		else if (several)
			case_print_line(&info);
		else
			case_print(&info);
		case_info_free(&info);
	}
	if (several && changes && !ctx->json)
		fprintf(stderr, "arfdesk: %zu cases changed\n", keys.count);
	rc = CMD_OK;
out:
	free(notes);
	strlist_free(&cleaned);
	strlist_free(&kinds);
	strlist_free(&keys);
	return rc;
}

static const struct cmd_option case_options[] = {
	{ "state", 'S', "STATE", "set the state: new, open, notified, resolved or ignored" },
	{ "note", 'N', "TEXT", "add a note to the history (again for more notes)" },
	{ "assign", 'a', "USER", "assign the case to USER" },
	{ "take", 'T', NULL, "assign the case to yourself" },
	{ "unassign", 'U', NULL, "assign the case to nobody" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_case_entry = {
	"case", "[--state STATE] [--note TEXT]... [--assign USER | --take | --unassign] [--json] "
	    "KIND:KEY... | -",
	"show cases, or change their state, assignee or notes (history kept)",
	case_options, 1, -1, CMD_STORE, cmd_case_exec,
};
