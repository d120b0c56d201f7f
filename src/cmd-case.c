/* cmd-case.c: the case command: show a case (a group someone works on), change its state, add
 * a note; every change is kept in its history with the time and the user. */

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "group.h"
#include "output.h"
#include "store.h"

static const char *
case_user(const struct conf *conf)
{
	const char *user = conf->user;
	struct passwd *pw;

	if (user != NULL && *user != '\0')
		return user;
	if ((user = getenv("USER")) != NULL && *user != '\0')
		return user;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "unknown";
}

static void
case_print_json(const struct case_info *c)
{
	struct group_row row = { c->kind, c->key, c->reports, c->first_seen, c->last_seen,
	    c->state };
	json_t *obj = cmd_group_json(&row), *history = json_array(), *ev;
	size_t i;

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
	char first[24], last[24], at[24];
	char *safe;
	size_t i;

	output_time(c->first_seen, first, sizeof first);
	output_time(c->last_seen, last, sizeof last);
	safe = text_safe_line(c->key, strlen(c->key));
	printf("Case %s:%s\n", c->kind, safe);
	free(safe);
	printf("State:    %s\n", c->state);
	printf("Reports:  %lld (first %s, last %s UTC)\n", (long long)c->reports, first, last);
	if (c->nevents == 0) {
		printf("History:  none\n");
		return;
	}
	printf("History:\n");
	for (i = 0; i < c->nevents; i++) {
		output_time(c->events[i].at, at, sizeof at);
		if (strcmp(c->events[i].action, "state") == 0)
			safe = xasprintf("%s -> %s", c->events[i].old_state, c->events[i].new_state);
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

static int
cmd_case_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char *state = args_get(args, 'S'), *note = args_get(args, 'N');
	struct case_info info;
	char *kind, *key, *clean = NULL;
	int rc = CMD_OK;

	if (state != NULL && case_state_find(state) < 0) {
		cmd_error("case: --state: one of %s", case_state_list());
		return CMD_USAGE;
	}
	if (note != NULL) {
		clean = text_safe_line(note, strlen(note));
		if (*clean == '\0') {
			cmd_error("case: --note: the note is empty");
			free(clean);
			return CMD_USAGE;
		}
	}
	if (cmd_parse_case(args->argv[0], &kind, &key) != 0) {
		free(clean);
		return CMD_USAGE;
	}
	if (cmd_store(ctx) == NULL)
		rc = CMD_FAIL;
	else if ((state != NULL || clean != NULL) &&
	    case_update(ctx->store, kind, key, state, clean, case_user(ctx->conf)) != 0)
		rc = CMD_FAIL;
	if (rc == CMD_OK && case_get(ctx->store, kind, key, &info) == 0) {
		if (info.reports == 0)
			cmd_warn("no reports for %s:%s (yet)", kind, key);
		if (ctx->json)
			case_print_json(&info);
		else
			case_print(&info);
		case_info_free(&info);
	} else
		rc = CMD_FAIL;
	free(clean);
	free(kind);
	free(key);
	return rc;
}

static const struct cmd_option case_options[] = {
	{ "state", 'S', "STATE", "set the state: new, open, notified, resolved or ignored" },
	{ "note", 'N', "TEXT", "add a note to the history" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_case_entry = {
	"case", "[--state STATE] [--note TEXT] [--json] KIND:KEY",
	"show a case, or change its state or add a note (history kept)",
	case_options, 1, 1, CMD_STORE, cmd_case_exec,
};
