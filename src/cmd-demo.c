/* cmd-demo.c: the demo command: the sample campaign of share/demo imported into a database of its
 * own in a temporary directory, and the console opened on it (on a terminal). */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "store.h"

/* share/demo: beside this binary or one directory up (a checkout: ./arfdesk, or a build
 * directory's obj-asan/arfdesk), else where `make install` put it. */
static char *
demo_dir(void)
{
	char self[PATH_MAX], *slash, *dir;
	struct stat sb;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	int up;

	for (up = 0; n > 0 && up < 2; up++) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) == NULL)
			break;
		*slash = '\0';
		n = slash - self;
		dir = xasprintf("%s/share/demo", self);
		if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
			return dir;
		free(dir);
	}
	dir = xasprintf("%s/demo", ARFDESK_DATADIR);
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dir;
	free(dir);
	return NULL;
}

static void
remove_demo(const char *dir, const char *db)
{
	char *p;

	unlink(db);
	p = xasprintf("%s-wal", db);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", db);
	unlink(p);
	free(p);
	p = xasprintf("%s-waiting", db);
	unlink(p);
	free(p);
	rmdir(dir);
}

static int
cmd_demo_exec(struct cmd_ctx *ctx, struct args *args)
{
	char tmpl[PATH_MAX], *src, *db;
	const char *tmp = getenv("TMPDIR");
	int rc, console = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
	    !args_has(args, 'K');

	if ((src = demo_dir()) == NULL) {
		msg_error("demo: no share/demo beside this arfdesk or in %s", ARFDESK_DATADIR);
		return CMD_FAIL;
	}
	snprintf(tmpl, sizeof tmpl, "%s/arfdesk-demo.XXXXXX", tmp != NULL && *tmp != '\0' ? tmp :
	    "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		msg_error("demo: making a directory in %s: %s", tmp != NULL ? tmp : "/tmp",
		    strerror(errno));
		free(src);
		return CMD_FAIL;
	}
	db = xasprintf("%s/demo.db", tmpl);
	ctx->db_path = db;
	{
		char *import[] = { "import", "-q", src, NULL };

		rc = cmd_run(ctx, 3, import);
	}
	store_close(ctx->store);
	ctx->store = NULL;
	free(src);
	if (rc == CMD_OK && console) {
		char *open[] = { "console", NULL };

		rc = cmd_run(ctx, 1, open);
		store_close(ctx->store);
		ctx->store = NULL;
		remove_demo(tmpl, db);
	} else if (rc == CMD_OK) {
		char *groups[] = { "groups", "--by", "ip", "--limit", "15", NULL };

		rc = cmd_run(ctx, 5, groups);
		fflush(stdout);
		fprintf(stderr, "arfdesk: the demo database is %s; on a terminal, "
		    "arfdesk -d %s opens the console on it\n", db, db);
	}
	ctx->db_path = NULL;
	free(db);
	return rc;
}

static const struct cmd_option demo_options[] = {
	{ "keep", 'K', NULL, "print the groups and keep the database, even on a terminal" },
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_demo_entry = {
	"demo", "[--keep]",
	"import the sample campaign into a new database and open the console on it",
	demo_options, 0, 0, 0, cmd_demo_exec,
};
