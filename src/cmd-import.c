/* cmd-import.c: the import command: runs the import pipeline on its paths and accounts for
 * every input in a summary. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "import.h"
#include "output.h"

static const char *const mbox_formats[] = { "mboxrd", "mboxo", NULL };

static int
cmd_import_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct import_opts opts;
	struct import_stats st;
	const char *threads = args_get(args, 't'), *format = args_get(args, 'm');
	const char *fd = args_get(args, 'F');
	char *end;
	int failed, found;

	memset(&opts, 0, sizeof opts);
	opts.quiet = args_has(args, 'q');
	opts.progress = !opts.quiet && isatty(STDERR_FILENO);
	opts.progress_fd = -1;
	if (cmd_fd_option("import", fd, &opts.progress_fd) != 0)
		return CMD_USAGE;
	if (threads != NULL && ((opts.threads = (int)strtol(threads, &end, 10)) < 1 ||
	    opts.threads > 8 || *end != '\0')) {
		msg_error("import: --threads: a number from 1 to 8");
		return CMD_USAGE;
	}
	if (format != NULL) {
		if ((found = names_find(mbox_formats, format)) < 0) {
			msg_error("import: --mbox-format: one of mboxrd, mboxo");
			return CMD_USAGE;
		}
		opts.mbox_format = found == 0 ? MBOX_RD : MBOX_O;
	}
	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;
	failed = import_paths(ctx->store, ctx->conf, args->argv, args->argc, &opts, &st) != 0;
	if (ctx->json)
		json_print_line(json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "read",
		    (json_int_t)st.read, "new", (json_int_t)(failed ? st.committed : st.added),
		    "reports", (json_int_t)st.reports, "repeats", (json_int_t)st.repeats,
		    "duplicates", (json_int_t)st.duplicates, "unparsed", (json_int_t)st.unparsed,
		    "refused", (json_int_t)st.refused, "errors", (json_int_t)st.errors), stdout);
	else if (!opts.quiet || failed) {
		printf("read %ld, new %ld, duplicates %ld, unparsed %ld, refused %ld", st.read,
		    failed ? st.committed : st.added, st.duplicates, st.unparsed, st.refused);
		/* Only when there were some: the summary of a clean run stays as it was. */
		if (st.errors > 0)
			printf(", errors %ld", st.errors);
		/* A forward with several spams attached is a report for each. */
		if (!failed && st.reports != st.added)
			printf(", reports %ld", st.reports);
		/* The same reporter's complaint about a spam stored already: linked, not counted. */
		if (!failed && st.repeats > 0)
			printf(", repeats %ld", st.repeats);
		putchar('\n');
	}
	if (failed) {
		msg_error("import: stopped by the database error above; %ld new messages were "
		    "stored before it, of %ld read. Run the same import again to go on: what is "
		    "stored counts as duplicates.", st.committed, st.read);
		return CMD_FAIL;
	}
	if (st.interrupted) {
		msg_error("import: interrupted; the %ld messages read so far are stored. Run the same "
		    "import again to go on: what is stored already counts as duplicates.", st.read);
		return CMD_FAIL;
	}
	if (st.errors > 0) {
		msg_error("import: %ld %s could not be read (named above); everything else is "
		    "stored", st.errors, st.errors == 1 ? "path or message" : "paths or messages");
		return CMD_FAIL;
	}
	return CMD_OK;
}

static const struct cmd_option import_options[] = {
	{ "quiet", 'q', NULL, "print neither the summary nor warnings about unparsed messages" },
	{ "threads", 't', "N", "parse with N threads (1 to 8)" },
	{ "mbox-format", 'm', "FORMAT", "how mbox lines are quoted: mboxrd (the default) or mboxo" },
	{ "progress-fd", 'F', "FD", "write progress as JSON lines to this file descriptor" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_import_entry = {
	"import", "[-q] [--threads N] [--mbox-format mboxrd|mboxo] [--progress-fd FD] [--json] "
	    "PATH...",
	"store and parse complaints from files, Maildirs, mboxes or stdin",
	import_options, 1, -1, CMD_STORE, cmd_import_exec,
};
