/* cmd.h: the command table. The CLI (and later the console's prompt and key bindings) run every
 * command through cmd_run; the man page documents exactly this table. */
#ifndef ARFDESK_CMD_H
#define ARFDESK_CMD_H

#include <getopt.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "conf.h"
#include "msg.h"

struct case_query;
struct group_query;
struct group_row;
struct report_item;
struct report_query;
struct store;

/* Exit statuses, documented under EXIT STATUS in arfdesk.1. */
enum {
	CMD_OK = 0,
	CMD_FAIL = 1,
	CMD_USAGE = 2,
	CMD_HELP = 3,		/* cmd_parse: --help was asked for (never an exit status) */
};

/* Command flags. */
#define CMD_STORE	0x1	/* uses the database (cmd_store) */
#define CMD_READONLY	0x2	/* ... only to read it */

#define ARGS_MAX_OPTS	64

/* Parsed options and operands of one command. */
struct args {
	struct {
		int	 flag;
		char	*value;
	}		 opts[ARGS_MAX_OPTS];
	int		 nopts;
	int		 argc;
	char		**argv;
};

int	 args_has(const struct args *, int flag);
/* Every value given for an option, in order, into a new array (*n of them; free it). */
const char **args_all(const struct args *, int flag, size_t *n);
/* The last value given for an option, or NULL. */
const char *args_get(const struct args *, int flag);
/* --since (-s) and --limit (-n), as the listing commands take them: 0 when absent; -1 (reported
 * with the command's name) when the value is not a time or a positive number. */
int	 args_since(const struct args *, const char *command, time_t *);
/* Any time option (flag, named option in messages) as args_since reads --since. */
int	 args_time(const struct args *, int flag, const char *command, const char *option,
	    time_t *);
int	 args_limit(const struct args *, const char *command, long *);
/* Who is at the keyboard: the config's user, else $USER, else the login name. */
const char *cmd_user(const struct conf *);
/* --type's value: spam, all or a class name (lower-case letters, digits, hyphens); 0, or -1
 * (reported). */
int	 cmd_check_type(const char *);

struct cmd_ctx {
	struct conf		*conf;
	const char		*db_path;	/* from -d, may be NULL */
	struct store		*store;		/* opened by cmd_store */
	const struct cmd_entry	*entry;		/* the command running */
	int			 json;		/* --json given */
	int			 readonly;	/* this run only reads (a command that may write) */
};

/*
 * One option of a command. A letter means one option in every command (-S is --state wherever
 * it is taken), which tests/cli.t checks over `help`; `help COMMAND` prints the table.
 */
struct cmd_option {
	const char	*name;		/* the long name */
	int		 flag;		/* the short letter */
	const char	*arg;		/* the value's name ("STATE"), or NULL for none */
	const char	*help;		/* one line */
};

/* The --json option, which every command that takes it describes alike. */
#define CMD_OPTION_JSON	{ "json", 'j', NULL, "print JSON (one object per line) instead" }

struct cmd_entry {
	const char		*name;
	const char		*usage;		/* after the name */
	const char		*summary;	/* one line */
	const struct cmd_option	*options;	/* ending with a NULL name, or NULL */
	int			 min_args;
	int			 max_args;	/* -1: no limit */
	int			 flags;
	int			(*exec)(struct cmd_ctx *, struct args *);
};

extern const struct cmd_entry *const cmd_table[];

/* --progress-fd's value (NULL: not given, *fd untouched): an open descriptor into *fd. 0, or
 * -1 with the error reported for cmd. */
int	 cmd_fd_option(const char *cmd, const char *value, int *fd);
const struct cmd_entry *cmd_find(const char *name);
/* Parse argv (argv[0] is the command's name) by the entry's options into args (its values
 * point into argv): CMD_OK, CMD_HELP (--help), or CMD_USAGE (reported; no usage printed). */
int	 cmd_parse(const struct cmd_entry *, int argc, char **argv, struct args *);
/* Parse argv (argv[0] is the command name) and run it. Returns an exit status. */
int	 cmd_run(struct cmd_ctx *, int argc, char **argv);
void	 cmd_usage(FILE *, const struct cmd_entry *);
/* The usage, the summary and a line for each option, as `help COMMAND` prints them. */
void	 cmd_help(FILE *, const struct cmd_entry *);

/* The database, opened on first use (after the command has checked its options), to write or,
 * for CMD_READONLY commands, to read. NULL when it cannot be opened (reported). */
struct store *cmd_store(struct cmd_ctx *);
/* Report a user-facing error: "arfdesk: ..." on stderr, as one line made safe by text_safe (so
 * arguments may be untrusted: file names, keys, mail). */
/* Parse "KIND:KEY" into a canonical case kind and key; reports and returns -1 if invalid. */
int	 cmd_parse_case(const char *, char **kind, char **key);

/* Shared by reports and show: the contract JSON of a report. */
json_t	*cmd_report_json(struct store *, const struct report_item *);
/* The query of groups' options (its strings point into args, but in_net: free it). CMD_OK,
 * or CMD_USAGE (reported). The console's groups view reads the same options. */
int	 cmd_groups_query(const struct args *, struct group_query *);
/* The query of reports' options (strings pointing into args, but kind and key: free them).
 * CMD_OK or CMD_USAGE (reported). */
int	 cmd_reports_query(const struct args *, struct report_query *);
/* The query of cases' options (strings pointing into args or conf). CMD_OK or CMD_USAGE. */
int	 cmd_cases_query(const struct args *, const struct conf *, struct case_query *);
/* Shared by groups and case: the contract JSON of a group. */
json_t	*cmd_group_json(const struct group_row *);

extern const struct cmd_entry cmd_fetch_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_reports_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_groups_entry;
extern const struct cmd_entry cmd_case_entry;
extern const struct cmd_entry cmd_cases_entry;
extern const struct cmd_entry cmd_timeline_entry;
extern const struct cmd_entry cmd_settings_entry;
extern const struct cmd_entry cmd_customers_entry;
extern const struct cmd_entry cmd_reparse_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_console_entry;
extern const struct cmd_entry cmd_demo_entry;
/* The console (tui_main), which main.c hands in: the core links without it. */
extern int (*cmd_console_main)(struct cmd_ctx *);

#endif
