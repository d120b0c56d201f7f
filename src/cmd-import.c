/* cmd-import.c: the import command: runs the import pipeline on its paths and accounts for
 * every input in a summary. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "import.h"
#include "output.h"

static int
cmd_import_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct import_opts opts;
	struct import_stats st;
	const char *threads = args_get(args, 't');
	char *end;

	memset(&opts, 0, sizeof opts);
	opts.quiet = args_has(args, 'q');
	opts.progress = !opts.quiet && isatty(STDERR_FILENO);
	if (threads != NULL && ((opts.threads = (int)strtol(threads, &end, 10)) < 1 ||
	    opts.threads > 8 || *end != '\0')) {
		cmd_error("import: --threads: a number from 1 to 8");
		return CMD_USAGE;
	}
	if (cmd_store(ctx) == NULL ||
	    import_paths(ctx->store, ctx->conf, args->argv, args->argc, &opts, &st) != 0)
		return CMD_FAIL;
	if (ctx->json)
		json_print_line(json_pack("{s:I,s:I,s:I,s:I,s:I}", "read", (json_int_t)st.read,
		    "new", (json_int_t)st.added, "duplicates", (json_int_t)st.duplicates,
		    "unparsed", (json_int_t)st.unparsed, "refused", (json_int_t)st.refused), stdout);
	else if (!opts.quiet)
		printf("read %ld, new %ld, duplicates %ld, unparsed %ld, refused %ld\n",
		    st.read, st.added, st.duplicates, st.unparsed, st.refused);
	if (st.interrupted) {
		cmd_error("import: interrupted; the %ld messages read so far are stored. Run the same "
		    "import again to go on: what is stored already counts as duplicates.", st.read);
		return CMD_FAIL;
	}
	return st.unreadable ? CMD_FAIL : CMD_OK;
}

static const struct option import_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "threads", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_import_entry = {
	"import", "[-q] [--threads N] [--json] PATH...",
	"store and parse complaints from files, Maildirs, mboxes or stdin",
	"jqt:", import_options, 1, -1, CMD_STORE, cmd_import_exec,
};
