/* cmd-customers.c: the customers command: the desk's own customers, which networks and domains
 * are theirs; importing the file replaces them and gives every report the customer it hit. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "customers.h"
#include "output.h"
#include "store.h"
#include "tally.h"

/* The largest customers file read. */
#define CUSTOMERS_MAX_SIZE	(64 << 20)

static const struct table_col customer_cols[] = {
	{ "ID", 0 },
	{ "NAME", COL_FLEX },
	{ "E-MAIL", COL_OPTIONAL },
	{ "NETWORKS", COL_FLEX | COL_OPTIONAL },
	{ "DOMAINS", COL_FLEX | COL_OPTIONAL },
};

static int
customers_import(struct cmd_ctx *ctx, const char *path)
{
	struct customers list;
	struct buf text;
	char chunk[65536], *err = NULL;
	size_t n;
	long changed;
	FILE *f;

	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		msg_error("customers: %s: %s", path, strerror(errno));
		return CMD_FAIL;
	}
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len <= CUSTOMERS_MAX_SIZE)
		buf_add(&text, chunk, n);
	if (f != stdin)
		fclose(f);
	if (text.len > CUSTOMERS_MAX_SIZE) {
		msg_error("customers: %s: larger than 64 MB", path);
		buf_free(&text);
		return CMD_FAIL;
	}
	if (customers_parse(text.data != NULL ? text.data : "", &list, &err) != 0) {
		msg_error("customers: %s: %s; nothing was changed", path, err);
		free(err);
		buf_free(&text);
		return CMD_USAGE;
	}
	buf_free(&text);
	if (cmd_store(ctx) == NULL || store_begin(ctx->store) != 0) {
		customers_free(&list);
		return CMD_FAIL;
	}
	/* Which customer a complaint hit changes the counts of customers' cases and the
	 * customer of others: counted again, in the same transaction. */
	if ((changed = store_customers_replace(ctx->store, &list)) < 0 ||
	    (changed > 0 && tally_rebuild(ctx->store) != 0) || store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		customers_free(&list);
		return CMD_FAIL;
	}
	if (ctx->json)
		json_print_line(json_pack("{s:I,s:I}", "customers", (json_int_t)list.n,
		    "reports_changed", (json_int_t)changed), stdout);
	else
		printf("customers %zu, reports whose customer changed %ld\n", list.n, changed);
	customers_free(&list);
	return CMD_OK;
}

static int
cmd_customers_exec(struct cmd_ctx *ctx, struct args *args)
{
	const struct customers *list;
	struct table *table;
	struct buf nets, domains;
	const char *cells[5];
	char ip[IPADDR_STRLEN];
	size_t i, j;
	json_t *obj;

	if (args->argc == 2 && strcmp(args->argv[0], "import") == 0)
		return customers_import(ctx, args->argv[1]);
	if (args->argc != 0) {
		msg_error("customers: customers, or customers import FILE");
		return CMD_USAGE;
	}
	ctx->readonly = 1;
	if (cmd_store(ctx) == NULL || (list = store_customer_list(ctx->store)) == NULL)
		return CMD_FAIL;
	table = ctx->json ? NULL : table_new(customer_cols, 5);
	for (i = 0; i < list->n; i++) {
		const struct customer *c = &list->v[i];

		buf_init(&nets);
		for (j = 0; j < c->nnets; j++) {
			ipaddr_format(&c->nets[j].addr, ip);
			buf_addf(&nets, "%s%s/%d", j > 0 ? " " : "", ip, c->nets[j].prefix);
		}
		buf_init(&domains);
		for (j = 0; j < c->domains.count; j++)
			buf_addf(&domains, "%s%s", j > 0 ? " " : "", c->domains.items[j]);
		if (ctx->json) {
			obj = json_pack("{s:s,s:o,s:o,s:o,s:o}", "id", c->id, "name",
			    json_safe(c->name), "email", json_safe(c->email), "networks",
			    json_safe(nets.data != NULL ? nets.data : ""), "domains",
			    json_safe(domains.data != NULL ? domains.data : ""));
			json_print_line(obj, stdout);
		} else {
			cells[0] = c->id;
			cells[1] = c->name;
			cells[2] = c->email;
			cells[3] = nets.data;
			cells[4] = domains.data;
			table_add(table, cells);
		}
		buf_free(&domains);
		buf_free(&nets);
	}
	if (table != NULL) {
		table_print(table, stdout);
		table_free(table);
	}
	return CMD_OK;
}

static const struct cmd_option customers_options[] = {
	{ "wide", 'W', NULL, "do not cut long names, networks or domains to 60 columns" },
	{ "csv", 'V', NULL, "print the table as CSV (RFC 4180), for spreadsheets" },
	CMD_OPTION_JSON,
	{ NULL, 0, NULL, NULL },
};

const struct cmd_entry cmd_customers_entry = {
	"customers", "[--wide] [--csv] [--json] [import FILE]",
	"list the desk's customers, or replace them from a CSV file",
	customers_options, 0, 2, CMD_STORE, cmd_customers_exec,
};
