/* cmd-settings.c: the settings command: the desk's settings in the database (what decides what
 * is stored), listed, set and unset, each change kept with who and when. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "settings.h"
#include "store.h"

static const struct table_col setting_cols[] = {
	{ "KEY", 0 },
	{ "VALUE", COL_FLEX },
	{ "SET BY", COL_OPTIONAL },
	{ "SET (UTC)", COL_OPTIONAL },
};

static int
setting_row(const struct setting *set, void *arg)
{
	struct cmd_ctx *ctx = ((void **)arg)[0];
	struct table *t = ((void **)arg)[1];
	const char *cells[4];
	char when[24];
	size_t i;

	if (ctx->json) {
		json_print_line(json_pack("{s:s,s:o,s:o,s:o}", "key", set->key, "value",
		    json_safe(set->value), "set_by", json_safe(set->set_by), "set_at",
		    set->value != NULL ? json_time(set->set_at) : json_null()), stdout);
		return 0;
	}
	cells[0] = set->key;
	cells[1] = set->value;
	if (set->value == NULL)
		for (i = 0; i < conf_nkeys; i++)
			if (strcmp(conf_keys[i].name, set->key) == 0)
				cells[1] = *conf_keys[i].default_value != '\0' ?
				    conf_keys[i].default_value : "(none)";
	cells[2] = set->value != NULL ? set->set_by : "default";
	output_time(set->set_at, when, sizeof when);
	cells[3] = set->value != NULL ? when : NULL;
	table_add(t, cells);
	return 0;
}

static int
cmd_settings_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct conf check;
	struct buf value;
	struct table *table;
	void *pass[2];
	char *err = NULL;
	int i, rc, set;

	if (args->argc == 0) {
		ctx->readonly = 1;
		if (cmd_store(ctx) == NULL)
			return CMD_FAIL;
		table = ctx->json ? NULL : table_new(setting_cols, 4);
		pass[0] = ctx;
		pass[1] = table;
		rc = settings_list(ctx->store, setting_row, pass);
		if (table != NULL) {
			if (rc == 0)
				table_print(table, stdout);
			table_free(table);
		}
		return rc == 0 ? CMD_OK : CMD_FAIL;
	}
	set = strcmp(args->argv[0], "set") == 0;
	if ((!set && strcmp(args->argv[0], "unset") != 0) || args->argc < 2 ||
	    (!set && args->argc > 2) || (set && args->argc < 3)) {
		msg_error("settings: settings, settings set KEY VALUE..., or settings unset KEY");
		return CMD_USAGE;
	}
	if (!conf_desk_key(args->argv[1])) {
		msg_error("settings: %s is not a desk setting (one of trusted_networks, "
		    "trusted_domains, domain_allowlist, reopen_states); a person's own keys are in "
		    "the configuration file", args->argv[1]);
		return CMD_USAGE;
	}
	/* The value as the configuration file would take it, checked the same way. */
	buf_init(&value);
	for (i = 2; i < args->argc; i++) {
		if (i > 2)
			buf_addc(&value, ' ');
		buf_adds(&value, args->argv[i]);
	}
	if (set) {
		conf_load(&check, "/dev/null");
		rc = conf_set(&check, args->argv[1], value.data, &err);
		conf_free(&check);
		if (rc != 0) {
			msg_error("settings: %s", err);
			free(err);
			buf_free(&value);
			return CMD_USAGE;
		}
	}
	rc = CMD_FAIL;
	if (cmd_store(ctx) != NULL && store_begin(ctx->store) == 0) {
		if (settings_set(ctx->store, args->argv[1], set ? value.data : NULL,
		    cmd_user(ctx->conf), NULL) == 0 && store_commit(ctx->store) == 0)
			rc = CMD_OK;
		else
			store_rollback(ctx->store);
	}
	buf_free(&value);
	return rc;
}

static const struct cmd_option settings_options[] = {
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_settings_entry = {
	"settings", "[--json] [set KEY VALUE... | unset KEY]",
	"the desk's settings in the database: list, set or unset them",
	settings_options, 0, -1, CMD_STORE, cmd_settings_exec,
};
