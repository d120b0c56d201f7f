/* cmd-help.c: the help command: the command table, one command's usage, the config keys, or
 * the console's keys. */

#include <string.h>

#include "cmd.h"
#include "keys.h"

static int
cmd_help_exec(struct cmd_ctx *ctx, struct args *args)
{
	const struct cmd_entry *e;
	size_t i;

	if (args->argc == 1 && strcmp(args->argv[0], "config") == 0) {
		for (i = 0; i < conf_nkeys; i++)
			printf("%-18s %-8s %s\n", conf_keys[i].name,
			    *conf_keys[i].default_value ? conf_keys[i].default_value : "-",
			    conf_keys[i].summary);
		return CMD_OK;
	}
	if (args->argc == 1 && strcmp(args->argv[0], "keys") == 0) {
		/* The console's default bindings, as config lines, and its actions. */
		fputs(keys_default_bindings, stdout);
		for (i = 0; keys_action_names[i] != NULL; i++)
			printf("action %-14s %s\n", keys_action_names[i], keys_action_summaries[i]);
		return CMD_OK;
	}
	if (args->argc == 1) {
		if ((e = cmd_find(args->argv[0])) == NULL) {
			msg_error("help: unknown command: %s", args->argv[0]);
			return CMD_USAGE;
		}
		cmd_help(stdout, e);
		return CMD_OK;
	}
	printf("usage: arfdesk [-d DB] [-c CONFIG] COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		printf("  %-9s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	printf("\n'arfdesk help COMMAND' shows a command's options; 'arfdesk help config' the\n"
	    "configuration keys, 'arfdesk help keys' the console's; man arfdesk has the whole\n"
	    "story. arfdesk alone opens the console.\n");
	return CMD_OK;
}

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND | config | keys]",
	"list the commands, or one command's options, the config keys or the console's keys",
	NULL, 0, 1, 0, cmd_help_exec,
};
