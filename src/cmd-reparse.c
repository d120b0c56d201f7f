/* cmd-reparse.c: the reparse command: parse every stored message again (after a parser fix or
 * a config change such as trusted_networks), replacing the reports and keeping the raw mail. */

#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "report.h"
#include "store.h"
#include "tally.h"

static int
cmd_reparse_exec(struct cmd_ctx *ctx, struct args *args)
{
	static const char sql[] = "SELECT id, raw FROM messages WHERE id > ? ORDER BY id LIMIT 500";
	long counts[3] = { 0, 0, 0 }, total = 0;
	struct report report;
	sqlite3_stmt *st;
	int64_t last = 0, ids[500];
	struct report reports[500];
	int n, i, rc;

	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;
	report_init();
	for (;;) {
		/* Read a batch, then write it: the read statement must be done before the writes. */
		st = store_stmt(ctx->store, sql);
		sqlite3_bind_int64(st, 1, last);
		n = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			ids[n] = sqlite3_column_int64(st, 0);
			report_parse(sqlite3_column_blob(st, 1) != NULL ?
			    sqlite3_column_blob(st, 1) : "", (size_t)sqlite3_column_bytes(st, 1),
			    ctx->conf, &reports[n]);
			last = ids[n++];
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			store_fail(ctx->store, "reading messages");
			for (i = 0; i < n; i++)
				report_free(&reports[i]);
			return CMD_FAIL;
		}
		if (n == 0)
			break;
		if (store_begin(ctx->store) != 0)
			return CMD_FAIL;
		for (i = 0; i < n; i++) {
			report = reports[i];
			if (store_replace_report(ctx->store, ids[i], &report) != 0) {
				store_rollback(ctx->store);
				for (; i < n; i++)
					report_free(&reports[i]);
				return CMD_FAIL;
			}
			counts[report.status]++;
			total++;
			report_free(&reports[i]);
		}
		if (store_commit(ctx->store) != 0)
			return CMD_FAIL;
		if (isatty(STDERR_FILENO))
			msg_progress("reparsing: %ld", total);
	}
	/* The reports are new: the cases' counts are made again from them, in one step. */
	if (isatty(STDERR_FILENO))
		msg_progress("reparsing: %ld, counting cases again ...", total);
	if (store_begin(ctx->store) != 0)
		return CMD_FAIL;
	if (tally_rebuild(ctx->store) != 0 || store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		msg_progress_end();
		return CMD_FAIL;
	}
	msg_progress_end();
	if (ctx->json)
		json_print_line(json_pack("{s:I,s:I,s:I,s:I}", "reparsed", (json_int_t)total,
		    "ok", (json_int_t)counts[PARSE_ok], "partial", (json_int_t)counts[PARSE_partial],
		    "unparsed", (json_int_t)counts[PARSE_unparsed]), stdout);
	else
		printf("reparsed %ld: ok %ld, partial %ld, unparsed %ld\n", total,
		    counts[PARSE_ok], counts[PARSE_partial], counts[PARSE_unparsed]);
	return CMD_OK;
}

static const struct cmd_option reparse_options[] = {
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_reparse_entry = {
	"reparse", "[--json]",
	"parse every stored message again with the current rules",
	reparse_options, 0, 0, CMD_STORE, cmd_reparse_exec,
};
