/* main.c: global options, then dispatch to the command table. */

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "conf.h"
#include "store.h"
#include "tui.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: arfdesk [-d DB] [-c CONFIG] COMMAND [OPTIONS] [ARGS]\n"
	    "       arfdesk help | -h | -V\n");
}

/* Output that did not arrive (a full disk, a closed pipe) is a failure, not a success. */
static int
finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("writing standard output: %s", strerror(errno));
		return CMD_FAIL;
	}
	return rc;
}

/* Does the command line only ask for help? Then a broken config file must not stand in the
 * way of reading how to fix it. */
static int
wants_help(int argc, char **argv)
{
	int i;

	if (argc > 0 && strcmp(argv[0], "help") == 0)
		return 1;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_ctx ctx;
	struct conf conf;
	const char *config_path = NULL;
	char *console[] = { "console", NULL }, **cmd_argv;
	int c, rc, cmd_argc;

	setlocale(LC_CTYPE, "");
	memset(&ctx, 0, sizeof ctx);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'h': {
			/* The same list as `arfdesk help`, with no config or database read. */
			char *help[] = { "help", NULL };

			ctx.conf = &conf;
			conf_load(&conf, "/dev/null");
			rc = cmd_run(&ctx, 1, help);
			conf_free(&conf);
			return finish(rc);
		}
		case 'V':
			printf("arfdesk %s\n", ARFDESK_VERSION);
			return finish(CMD_OK);
		case ':':
			msg_error("option %s needs a value", argv[optind - 1]);
			usage(stderr);
			return CMD_USAGE;
		default:
			msg_error("unknown option %s", argv[optind - 1]);
			usage(stderr);
			return CMD_USAGE;
		}
	}
	cmd_console_main = tui_main;
	if (optind >= argc) {
		/* No command: the console, on a terminal. */
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			msg_error("no command given, and the console needs a terminal "
			    "(try: arfdesk help)");
			usage(stderr);
			return CMD_USAGE;
		}
		cmd_argv = console;
		cmd_argc = 1;
	} else {
		cmd_argv = argv + optind;
		cmd_argc = argc - optind;
	}
	if (conf_load(&conf, config_path) != 0) {
		if (!wants_help(cmd_argc, cmd_argv))
			return CMD_FAIL;
		conf_free(&conf);
		conf_load(&conf, "/dev/null");
	}
	ctx.conf = &conf;
	rc = cmd_run(&ctx, cmd_argc, cmd_argv);
	store_close(ctx.store);
	conf_free(&conf);
	return finish(rc);
}
