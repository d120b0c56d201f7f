/* cmd-import.c: the import command: store each message once (by sha256), parse it into a report,
 * commit in batches, and account for every input in a summary. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "report.h"
#include "source.h"
#include "store.h"

/* Messages per transaction: large enough to make the store fast, small enough that an
 * interrupted import loses little work (it is redone, not duplicated, on the next run). */
#define IMPORT_BATCH	1000

struct import {
	struct cmd_ctx	*ctx;
	int		 quiet;
	int		 progress;	/* stderr is a terminal */
	long		 read;
	long		 added;
	long		 duplicates;
	long		 unparsed;
	long		 refused;
	long		 in_batch;
	int		 failed;
	int		 store_error;
};

static int
import_one(const struct source_msg *m, void *arg)
{
	struct import *im = arg;
	struct report report;
	char sha[65];
	int64_t id;
	int rc;

	im->read++;
	if (im->progress && im->read % 1000 == 0)
		fprintf(stderr, "\rimporting: %ld read, %ld new", im->read, im->added);
	if (m->refused != NULL) {
		im->refused++;
		cmd_warn("%s%s%s: refused: %s", m->source, m->position ? " " : "",
		    m->position ? m->position : "", m->refused);
		return 0;
	}
	sha256_hex(m->data, m->len, sha);
	rc = store_has_message(im->ctx->store, sha);
	if (rc < 0) {
		im->store_error = 1;
		return -1;
	}
	if (rc == 1) {
		im->duplicates++;
		return 0;
	}
	report_parse(m->data, m->len, im->ctx->conf, &report);
	rc = store_add_message(im->ctx->store, m->source, m->position, sha, m->data, m->len,
	    &report, &id);
	if (rc == 0) {
		im->added++;
		if (report.status == PARSE_unparsed) {
			im->unparsed++;
			if (!im->quiet)
				cmd_warn("%s%s%s: stored as report %lld, unparsed: %s", m->source,
				    m->position ? " " : "", m->position ? m->position : "",
				    (long long)id, report.errors.data);
		}
	}
	report_free(&report);
	if (rc != 0) {
		im->store_error = 1;
		return -1;
	}
	if (++im->in_batch >= IMPORT_BATCH) {
		if (store_commit(im->ctx->store) != 0 || store_begin(im->ctx->store) != 0) {
			im->store_error = 1;
			return -1;
		}
		im->in_batch = 0;
	}
	return 0;
}

static int
cmd_import_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct import im;
	json_t *summary;
	int i, rc;

	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	im.quiet = args_has(args, 'q');
	im.progress = !im.quiet && isatty(STDERR_FILENO);
	report_init();
	if (store_begin(ctx->store) != 0)
		return CMD_FAIL;
	for (i = 0; i < args->argc; i++) {
		rc = source_read(args->argv[i], ctx->conf->max_message_size, import_one, &im);
		if (im.store_error) {
			store_rollback(ctx->store);
			return CMD_FAIL;
		}
		if (rc != 0)
			im.failed = 1;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		return CMD_FAIL;
	}
	if (im.progress && im.read >= 1000)
		fputc('\n', stderr);
	if (ctx->json) {
		summary = json_pack("{s:I,s:I,s:I,s:I,s:I}", "read", (json_int_t)im.read,
		    "new", (json_int_t)im.added, "duplicates", (json_int_t)im.duplicates,
		    "unparsed", (json_int_t)im.unparsed, "refused", (json_int_t)im.refused);
		json_print_line(summary, stdout);
	} else if (!im.quiet)
		printf("read %ld, new %ld, duplicates %ld, unparsed %ld, refused %ld\n",
		    im.read, im.added, im.duplicates, im.unparsed, im.refused);
	return im.failed ? CMD_FAIL : CMD_OK;
}

static const struct option import_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_import_entry = {
	"import", "[-q] [--json] PATH...",
	"store and parse complaints from files, directories, Maildirs, mboxes or - (stdin)",
	"jq", import_options, 1, -1, CMD_STORE, cmd_import_exec,
};
