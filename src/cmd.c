/* cmd.c: the command table, the one option parser every front end uses, and error reporting. */

#include <pwd.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "group.h"
#include "ipaddr.h"
#include "output.h"
#include "settings.h"
#include "store.h"
#include "tally.h"
#include "urls.h"
#include "util.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_import_entry,
	&cmd_fetch_entry,
	&cmd_reports_entry,
	&cmd_show_entry,
	&cmd_groups_entry,
	&cmd_case_entry,
	&cmd_cases_entry,
	&cmd_timeline_entry,
	&cmd_settings_entry,
	&cmd_customers_entry,
	&cmd_reparse_entry,
	&cmd_help_entry,
	&cmd_console_entry,
	&cmd_demo_entry,
	NULL,
};

int
cmd_fd_option(const char *cmd, const char *value, int *fd)
{
	struct stat sb;
	char *end;
	long n;

	if (value == NULL)
		return 0;
	n = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || n < 0 || n > 1024 || fstat((int)n, &sb) != 0) {
		msg_error("%s: --progress-fd: not an open file descriptor: %s", cmd, value);
		return -1;
	}
	*fd = (int)n;
	return 0;
}

int
args_has(const struct args *a, int flag)
{
	int i;

	for (i = 0; i < a->nopts; i++)
		if (a->opts[i].flag == flag)
			return 1;
	return 0;
}

const char **
args_all(const struct args *a, int flag, size_t *n)
{
	const char **values = xcalloc((size_t)a->nopts + 1, sizeof *values);
	int i;

	*n = 0;
	for (i = 0; i < a->nopts; i++)
		if (a->opts[i].flag == flag)
			values[(*n)++] = a->opts[i].value;
	return values;
}

const char *
args_get(const struct args *a, int flag)
{
	int i;

	for (i = a->nopts - 1; i >= 0; i--)
		if (a->opts[i].flag == flag)
			return a->opts[i].value;
	return NULL;
}

int
args_time(const struct args *a, int flag, const char *command, const char *option,
    time_t *t)
{
	const char *text = args_get(a, flag);

	*t = 0;
	if (text != NULL && time_parse_since(text, time(NULL), t) != 0) {
		msg_error("%s: --%s: not a time: %s (use 2026-11-01, 2026-11-01T12:00:00Z, "
		    "2w, 7d, 12h or 30m; a date must be in the calendar)", command, option, text);
		return -1;
	}
	return 0;
}

int
args_since(const struct args *a, const char *command, time_t *since)
{
	return args_time(a, 's', command, "since", since);
}

int
args_limit(const struct args *a, const char *command, long *limit)
{
	const char *text = args_get(a, 'n');
	char *end;

	*limit = 0;
	if (text != NULL && ((*limit = strtol(text, &end, 10)) < 1 || *end != '\0')) {
		msg_error("%s: --limit: not a positive number: %s", command, text);
		return -1;
	}
	return 0;
}

const char *
cmd_user(const struct conf *conf)
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

int
cmd_check_type(const char *type)
{
	size_t n = strlen(type);

	if (n > 0 && n <= 32 && strspn(type, "abcdefghijklmnopqrstuvwxyz0123456789-") == n)
		return 0;
	msg_error("--type: spam, all, or a class such as abuse, fraud, virus, not-spam, "
	    "auth-failure, other, login-attack, phishing: %s", type);
	return -1;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

/* The usage line, wrapped at 80 columns between bracketed groups. */
void
cmd_usage(FILE *f, const struct cmd_entry *e)
{
	const char *p = e->usage, *start;
	size_t column, len;
	int depth;

	column = (size_t)fprintf(f, "usage: arfdesk [-d DB] [-c CONFIG] %s", e->name);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		for (start = p, depth = 0; *p != '\0' && (depth > 0 || *p != ' '); p++)
			depth += (*p == '[') - (*p == ']');
		len = (size_t)(p - start);
		if (len == 0)
			break;
		if (column + 1 + len > 80) {
			fprintf(f, "\n%14s", "");
			column = 14;
		}
		column += (size_t)fprintf(f, " %.*s", (int)len, start);
	}
	fputc('\n', f);
}

void
cmd_help(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_option *o;
	char left[64];

	cmd_usage(f, e);
	fprintf(f, "%s\n", e->summary);
	if (e->options == NULL || e->options[0].name == NULL)
		return;
	fprintf(f, "\noptions:\n");
	for (o = e->options; o->name != NULL; o++) {
		snprintf(left, sizeof left, "-%c, --%s%s%s", o->flag, o->name, o->arg != NULL ? " " :
		    "", o->arg != NULL ? o->arg : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

#define CMD_MAX_OPTIONS	30

int
cmd_parse(const struct cmd_entry *e, int argc, char **argv, struct args *args)
{
	struct option longopts[CMD_MAX_OPTIONS + 2];
	char optstring[3 * CMD_MAX_OPTIONS + 4];
	size_t n = 0, len;
	int c;

	/* Options may follow operands ("case ip:192.0.2.1 --state open"); "--" ends them. */
	optstring[0] = ':';
	len = 1;
	for (; e->options != NULL && e->options[n].name != NULL && n < CMD_MAX_OPTIONS; n++) {
		longopts[n].name = e->options[n].name;
		longopts[n].has_arg = e->options[n].arg != NULL ? required_argument : no_argument;
		longopts[n].flag = NULL;
		longopts[n].val = e->options[n].flag;
		optstring[len++] = (char)e->options[n].flag;
		if (e->options[n].arg != NULL)
			optstring[len++] = ':';
	}
	longopts[n].name = "help";
	longopts[n].has_arg = no_argument;
	longopts[n].flag = NULL;
	longopts[n++].val = 'h';
	memset(&longopts[n], 0, sizeof longopts[n]);
	optstring[len++] = 'h';
	optstring[len] = '\0';

	memset(args, 0, sizeof *args);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (c == 'h')
			return CMD_HELP;
		if (c == '?' || c == ':') {
			if (c == ':')
				msg_error("%s: option %s needs a value", e->name, argv[optind - 1]);
			else if (optopt == 'd' || optopt == 'c')
				msg_error("%s: unknown option -%c (-d and -c go before the command)",
				    e->name, optopt);
			else if (optopt != 0)
				msg_error("%s: unknown option -%c", e->name, optopt);
			else
				msg_error("%s: unknown or ambiguous option %s", e->name,
				    argv[optind - 1]);
			return CMD_USAGE;
		}
		if (args->nopts == ARGS_MAX_OPTS) {
			msg_error("%s: too many options", e->name);
			return CMD_USAGE;
		}
		args->opts[args->nopts].flag = c;
		args->opts[args->nopts++].value = optarg;
	}
	args->argc = argc - optind;
	args->argv = argv + optind;
	if (args->argc < e->min_args || (e->max_args >= 0 && args->argc > e->max_args)) {
		msg_error("%s: %s", e->name, args->argc < e->min_args ? "missing argument" :
		    "too many arguments");
		return CMD_USAGE;
	}
	return CMD_OK;
}

int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_find(argv[0]);
	struct args args;
	int rc;

	if (e == NULL) {
		msg_error("unknown command: %s (try: arfdesk help)", argv[0]);
		fprintf(stderr, "usage: arfdesk [-d DB] [-c CONFIG] COMMAND [OPTIONS] [ARGS]\n");
		return CMD_USAGE;
	}
	rc = cmd_parse(e, argc, argv, &args);
	if (rc == CMD_HELP) {
		cmd_help(stdout, e);
		return CMD_OK;
	}
	if (rc != CMD_OK) {
		cmd_usage(stderr, e);
		return rc;
	}
	ctx->json = args_has(&args, 'j');
	/* --wide, of the listing commands (a letter is one option in every command). */
	table_set_wide(args_has(&args, 'W'));
	table_set_csv(args_has(&args, 'V'));
	ctx->entry = e;
	rc = e->exec(ctx, &args);
	if (rc == CMD_USAGE)
		cmd_usage(stderr, e);
	return rc;
}

struct store *
cmd_store(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if (ctx->store == NULL) {
		path = conf_database_path(ctx->conf, ctx->db_path);
		rc = store_open(path, (ctx->entry->flags & CMD_READONLY) != 0 || ctx->readonly,
		    ctx->conf->busy_timeout * 1000, &ctx->store);
		free(path);
		if (rc != 0)
			return NULL;
		/* The desk's settings from the database, before anything is parsed or counted. */
		if (settings_apply(ctx->store, ctx->conf, !((ctx->entry->flags & CMD_READONLY) ||
		    ctx->readonly), cmd_user(ctx->conf)) != 0) {
			store_close(ctx->store);
			ctx->store = NULL;
			return NULL;
		}
		store_set_reopen(ctx->store, ctx->conf->reopen_states);
		if (((ctx->entry->flags & CMD_READONLY) || ctx->readonly) &&
		    tally_stale(ctx->store))
			msg_warn("the counts of the cases are behind the reports: a reparse is "
			    "running, or was cut short (run arfdesk reparse to finish it)");
	}
	return ctx->store;
}

int
cmd_parse_case(const char *text, char **kind, char **key)
{
	const char *colon = strchr(text, ':');
	char *k, *host;
	struct ipaddr ip;
	struct ipnet net;
	char canon[IPADDR_STRLEN + 4];

	if (colon == NULL || colon == text || colon[1] == '\0') {
		msg_error("not a case: %s (expected KIND:KEY, e.g. ip:192.0.2.1)", text);
		return -1;
	}
	k = xstrndup(text, (size_t)(colon - text));
	if (group_kind_find(k) < 0) {
		msg_error("unknown case kind: %s (one of: %s)", k, group_kind_list());
		free(k);
		return -1;
	}
	*kind = k;
	/* ipaddr_parse also reads addresses as mail writes them, with spaces around, a zone
	 * ("%eth0", whatever follows it ignored), an "IPv6:" tag or a sign before the prefix
	 * length; a key is only the address (bracketed or not) and the prefix length. */
	if ((strcmp(k, "ip") == 0 || strcmp(k, "net") == 0) &&
	    colon[1 + strspn(colon + 1, "0123456789abcdefABCDEF.:/[]")] != '\0')
		goto bad;
	if (strcmp(k, "customer") == 0) {
		/* The id of the customers file: letters, digits, dots, hyphens, underscores. */
		if (strlen(colon + 1) > 64 || strspn(colon + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(colon + 1))
			goto bad;
		*key = xstrdup(colon + 1);
	} else if (strcmp(k, "ip") == 0) {
		if (ipaddr_parse(colon + 1, &ip) != 0)
			goto bad;
		ipaddr_format(&ip, canon);
		*key = xstrdup(canon);
	} else if (strcmp(k, "net") == 0) {
		/* Written as the network it names: 198.51.100.7/24 is 198.51.100.0/24. */
		if (ipnet_parse(colon + 1, &net) != 0)
			goto bad;
		/* Until enrichment brings real prefixes, networks are the /24 and the /48. */
		if (strchr(colon + 1, '/') == NULL)
			net.prefix = net.addr.family == 4 ? 24 : 48;
		if (net.prefix != (net.addr.family == 4 ? 24 : 48)) {
			msg_error("net:%s: networks are grouped as the /24 of an IPv4 address or the "
			    "/48 of an IPv6 address", colon + 1);
			free(k);
			*kind = NULL;
			return -1;
		}
		ipnet_mask(&net);
		ipaddr_format(&net.addr, canon);
		*key = xasprintf("%s/%d", canon, net.prefix);
	} else {
		/* A key is a host name, not a URL, and never anything a terminal would act on. */
		host = urls_host_name(colon + 1);
		if (host == NULL) {
			msg_error("domain:%s: not a host name (dot-separated labels of letters, "
			    "digits, hyphens and underscores)", colon + 1);
			free(k);
			*kind = NULL;
			return -1;
		}
		/* Groups are registrable domains: www.shop.example.co.uk is example.co.uk. */
		*key = urls_registrable(host);
		free(host);
		if (*key == NULL)
			goto bad;
	}
	return 0;
bad:
	msg_error("not a valid %s: %s%s", k, colon + 1, strcmp(k, "domain") == 0 ?
	    " (a registrable domain, such as example.co.uk)" : "");
	free(k);
	*kind = NULL;
	return -1;
}
