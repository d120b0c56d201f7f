/* cmd-fetch.c: the fetch command: pull new complaints from IMAP mailboxes named by URL,
 * exactly once, and say what came of each. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fetch.h"
#include "output.h"

/* A keyword for `--after flag`: an IMAP atom (RFC 3501), no spaces, brackets or quotes. */
static int
valid_keyword(const char *k)
{
	const char *p;

	if (*k == '\0' || strlen(k) > 64)
		return 0;
	for (p = k; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("(){%*\"\\]", *p) != NULL)
			return 0;
	return 1;
}

static int
after_option(const char *value, struct fetch_opts *o)
{
	if (value == NULL || strcmp(value, "none") == 0)
		o->after = FETCH_AFTER_NONE;
	else if (strncmp(value, "flag ", 5) == 0 && valid_keyword(value + 5)) {
		o->after = FETCH_AFTER_FLAG;
		o->after_arg = value + 5;
	} else if (strncmp(value, "move ", 5) == 0 && value[5] != '\0' &&
	    strpbrk(value + 5, "\r\n") == NULL) {
		o->after = FETCH_AFTER_MOVE;
		o->after_arg = value + 5;
	} else {
		msg_error("fetch: --after: none, \"flag KEYWORD\" (such as $Arfdesk) or \"move "
		    "FOLDER\"");
		return -1;
	}
	return 0;
}

static int
cmd_fetch_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct fetch_opts o;
	struct fetch_stats st;
	struct fetch_target *targets;
	const char *v;
	char *end;
	long n;
	int i, rc, status = CMD_OK;

	memset(&o, 0, sizeof o);
	o.quiet = args_has(args, 'q');
	o.progress = !o.quiet && !ctx->json && isatty(STDERR_FILENO);
	o.progress_fd = -1;
	o.connections = 4;
	o.timeout = 30;
	o.cacert = args_get(args, 'E');
	o.mark_seen = args_has(args, 'e');
	if (o.cacert != NULL && access(o.cacert, R_OK) != 0) {
		msg_error("fetch: --cacert %s: cannot be read", o.cacert);
		return CMD_USAGE;
	}
	if ((v = args_get(args, 'L')) != NULL) {
		if (strcmp(v, "off") != 0 && strcmp(v, "on") != 0) {
			msg_error("fetch: --tls: on (the default: imap:// must STARTTLS) or off");
			return CMD_USAGE;
		}
		o.tls_off = strcmp(v, "off") == 0;
	}
	if ((v = args_get(args, 'c')) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 16) {
			msg_error("fetch: --connections: a number from 1 to 16 (servers allow about "
			    "10 a user: Dovecot's mail_max_userip_connections)");
			return CMD_USAGE;
		}
		o.connections = (int)n;
	}
	if ((v = args_get(args, 'w')) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 3600) {
			msg_error("fetch: --timeout: seconds, from 1 to 3600");
			return CMD_USAGE;
		}
		o.timeout = n;
	}
	if (cmd_fd_option("fetch", args_get(args, 'F'), &o.progress_fd) != 0)
		return CMD_USAGE;
	if (after_option(args_get(args, 'X'), &o) != 0)
		return CMD_USAGE;
	targets = xcalloc((size_t)args->argc, sizeof *targets);
	for (i = 0; i < args->argc; i++)
		if (fetch_target_parse(args->argv[i], &targets[i]) != 0) {
			status = CMD_USAGE;
			goto out;
		}
	if (cmd_store(ctx) == NULL) {
		status = CMD_FAIL;
		goto out;
	}
	for (i = 0; i < args->argc; i++) {
		struct fetch_target t = targets[i];

		rc = fetch_mailbox(ctx->store, ctx->conf, &t, &o, &st);
		if (rc != 0)
			status = CMD_FAIL;
		if (ctx->json)
			json_print_line(json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b}",
			    "account", t.account, "mailbox", t.mailbox, "status", rc < 0 ? "error" :
			    rc > 0 ? "partial" : "ok", "listed", (json_int_t)st.listed, "fetched",
			    (json_int_t)st.fetched, "new", (json_int_t)st.added, "duplicates",
			    (json_int_t)st.duplicates, "refused", (json_int_t)st.refused, "failed",
			    (json_int_t)st.failed, "acted", (json_int_t)st.acted, "interrupted",
			    st.interrupted), stdout);
		else if (!o.quiet && rc >= 0) {
			printf("%s/%s: %ld new on the server, fetched %ld, new %ld, duplicates %ld",
			    t.account, t.mailbox, st.listed, st.fetched, st.added, st.duplicates);
			if (st.refused > 0)
				printf(", refused %ld", st.refused);
			if (st.failed > 0)
				printf(", failed %ld (fetched again next time)", st.failed);
			if (o.after != FETCH_AFTER_NONE)
				printf(", %s %ld", o.after == FETCH_AFTER_FLAG ? "flagged" : "moved",
				    st.acted);
			putchar('\n');
		}
		if (st.interrupted) {
			msg_error("fetch: interrupted; what was fetched is stored, and the next fetch "
			    "goes on from there");
			break;
		}
	}
out:
	for (i = 0; i < args->argc; i++)
		fetch_target_free(&targets[i]);
	free(targets);
	return status;
}

static const struct cmd_option fetch_options[] = {
	{ "cacert", 'E', "FILE", "trust the CA certificates in FILE (as curl's --cacert)" },
	{ "tls", 'L', "on|off", "off: imap:// without STARTTLS (only on a network you trust)" },
	{ "after", 'X', "ACTION", "after import, on the server: none (the default), "
	    "\"flag KEYWORD\" or \"move FOLDER\"" },
	{ "mark-seen", 'e', NULL, "leave the messages fetched \\Seen (else their seen state is "
	    "kept)" },
	{ "connections", 'c', "N", "fetch bodies over N connections at once (default 4)" },
	{ "timeout", 'w', "SECONDS", "to connect, and of silence in a transfer (default 30)" },
	{ "quiet", 'q', NULL, "print no summary" },
	{ "progress-fd", 'F', "FD", "write progress as JSON lines to this file descriptor" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_fetch_entry = {
	"fetch", "[--cacert FILE] [--tls on|off] [--after ACTION] [--mark-seen] "
	    "[--connections N] [--timeout S] [-q] [--progress-fd FD] [--json] URL...",
	"pull new complaints from IMAP mailboxes (imaps://USER@HOST[:PORT]/MAILBOX)",
	fetch_options, 1, -1, CMD_STORE, cmd_fetch_exec,
};
