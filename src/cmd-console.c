/* cmd-console.c: the console command: the triage console (what arfdesk alone opens). The console
 * itself is not in the core: main.c hands it in, so that the core links without curses. */

#include "cmd.h"

int (*cmd_console_main)(struct cmd_ctx *);

static int
cmd_console_exec(struct cmd_ctx *ctx, struct args *args)
{
	(void)args;
	if (cmd_console_main == NULL) {
		msg_error("console: not in this build");
		return CMD_FAIL;
	}
	return cmd_console_main(ctx);
}

const struct cmd_entry cmd_console_entry = {
	"console", "",
	"the triage console on a terminal (what arfdesk with no command opens)",
	NULL, 0, 0, CMD_STORE | CMD_READONLY, cmd_console_exec,
};
