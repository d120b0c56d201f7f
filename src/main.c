/* main.c: global options, then dispatch to the command table. */

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "conf.h"
#include "store.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: arfdesk [-d DB] [-c CONFIG] COMMAND [OPTIONS] [ARGS]\n"
	    "       arfdesk help | -V\n");
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	struct conf conf;
	const char *config_path = NULL;
	int c, rc;

	setlocale(LC_CTYPE, "");
	memset(&ctx, 0, sizeof ctx);
	opterr = 0;
	while ((c = getopt(argc, argv, "+:c:d:hV")) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return CMD_OK;
		case 'V':
			printf("arfdesk %s\n", ARFDESK_VERSION);
			return CMD_OK;
		case ':':
			cmd_error("option -%c needs a value", optopt);
			usage(stderr);
			return CMD_USAGE;
		default:
			cmd_error("unknown option -%c", optopt);
			usage(stderr);
			return CMD_USAGE;
		}
	}
	if (optind >= argc) {
		cmd_error("no command given (the console comes in a later version; "
		    "try: arfdesk help)");
		usage(stderr);
		return CMD_USAGE;
	}
	if (conf_load(&conf, config_path) != 0)
		return CMD_FAIL;
	ctx.conf = &conf;
	rc = cmd_run(&ctx, argc - optind, argv + optind);
	store_close(ctx.store);
	conf_free(&conf);
	return rc;
}
