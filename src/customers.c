/* customers.c: the desk's customers and the complaints that hit them. */

#include <stdlib.h>
#include <string.h>

#include "customers.h"
#include "urls.h"

/* The most customers, and the most networks or domains of one, that a file may give. */
#define CUSTOMERS_MAX	1000000
#define CUSTOMER_MAX_ITEMS	10000

/* The next CSV field from *p (RFC 4180: quoted fields may hold commas, quotes doubled and line
 * ends); *end_of_row is set at a line end. NULL at the end of the text. */
static char *
csv_next(const char **p, int *end_of_row)
{
	const char *s = *p;
	struct buf b;

	if (*s == '\0')
		return NULL;
	buf_init(&b);
	if (*s == '"') {
		for (s++; *s != '\0'; s++) {
			if (*s == '"' && s[1] == '"')
				buf_addc(&b, *s++);
			else if (*s == '"') {
				s++;
				break;
			} else
				buf_addc(&b, *s);
		}
	}
	for (; *s != '\0' && *s != ',' && *s != '\n' && *s != '\r'; s++)
		buf_addc(&b, *s);
	*end_of_row = *s != ',';
	if (*s == ',')
		s++;
	else {
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
	}
	*p = s;
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

static void
customer_free(struct customer *c)
{
	free(c->id);
	free(c->name);
	free(c->email);
	free(c->nets);
	strlist_free(&c->domains);
}

/* The networks and domains of a row's two fields, checked. */
static int
customer_items(struct customer *c, const char *nets, const char *domains, char **err)
{
	char *copy, *tok, *save, *host;
	int rc = 0;

	copy = xstrdup(nets);
	for (tok = strtok_r(copy, " \t;", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, " \t;", &save)) {
		if (c->nnets == CUSTOMER_MAX_ITEMS) {
			*err = xasprintf("more than %d networks", CUSTOMER_MAX_ITEMS);
			rc = -1;
			break;
		}
		c->nets = xrealloc(c->nets, (c->nnets + 1) * sizeof *c->nets);
		if (ipnet_parse(tok, &c->nets[c->nnets]) != 0) {
			*err = xasprintf("not a network: %s", tok);
			rc = -1;
			break;
		}
		if (strchr(tok, '/') == NULL)
			c->nets[c->nnets].prefix = c->nets[c->nnets].addr.family == 4 ? 32 : 128;
		ipnet_mask(&c->nets[c->nnets]);
		c->nnets++;
	}
	free(copy);
	copy = xstrdup(domains);
	for (tok = strtok_r(copy, " \t;", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, " \t;", &save)) {
		if ((host = urls_host_name(tok)) == NULL) {
			*err = xasprintf("not a domain: %s", tok);
			rc = -1;
			break;
		}
		strlist_add_unique(&c->domains, host);
		free(host);
	}
	free(copy);
	return rc;
}

int
customers_add(struct customers *list, const char *id, const char *name, const char *email,
    const char *nets, const char *domains, char **err)
{
	struct customer c;
	size_t i;

	memset(&c, 0, sizeof c);
	*err = NULL;
	if (*id == '\0' || strlen(id) > 64 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
	    "mnopqrstuvwxyz0123456789._-") != strlen(id)) {
		*err = xasprintf("the id must be 1 to 64 letters, digits, dots, hyphens or "
		    "underscores: %s", id);
		return -1;
	}
	for (i = 0; i < list->n; i++)
		if (strcmp(list->v[i].id, id) == 0) {
			*err = xasprintf("the id %s is given twice", id);
			return -1;
		}
	if (list->n == CUSTOMERS_MAX) {
		*err = xasprintf("more than %d customers", CUSTOMERS_MAX);
		return -1;
	}
	if (customer_items(&c, nets, domains, err) != 0) {
		customer_free(&c);
		return -1;
	}
	c.id = xstrdup(id);
	c.name = *name != '\0' ? text_safe_line(name, strlen(name)) : NULL;
	c.email = *email != '\0' ? text_safe_line(email, strlen(email)) : NULL;
	list->v = xrealloc(list->v, (list->n + 1) * sizeof *list->v);
	list->v[list->n++] = c;
	return 0;
}

int
customers_parse(const char *text, struct customers *out, char **err)
{
	struct customers list = { NULL, 0 };
	const char *p = text;
	char *fields[5], *f, *why = NULL;
	int eor, line = 0, rc = 0;
	size_t i, n;

	while (*p != '\0' && rc == 0) {
		line++;
		n = 0;
		memset(fields, 0, sizeof fields);
		do {
			if ((f = csv_next(&p, &eor)) == NULL)
				break;
			if (n < 5)
				fields[n++] = f;
			else
				free(f);
		} while (!eor);
		if (n == 0 || (n == 1 && *fields[0] == '\0')) {
			for (i = 0; i < n; i++)
				free(fields[i]);
			continue;
		}
		if (line == 1 && strcmp(fields[0], "id") == 0) {
			for (i = 0; i < n; i++)
				free(fields[i]);
			continue;
		}
		if (customers_add(&list, fields[0], n > 1 ? fields[1] : "", n > 2 ? fields[2] : "",
		    n > 3 ? fields[3] : "", n > 4 ? fields[4] : "", &why) != 0) {
			*err = xasprintf("line %d: %s", line, why);
			free(why);
			rc = -1;
		}
		for (i = 0; i < n; i++)
			free(fields[i]);
	}
	if (rc != 0) {
		customers_free(&list);
		return -1;
	}
	*out = list;
	return 0;
}

void
customers_free(struct customers *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		customer_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

/* Does the domain entry hold the host (the same, or a host below it)? */
static size_t
domain_holds(const char *entry, const char *host)
{
	size_t e = strlen(entry), h = strlen(host);

	if (h == e && strcmp(entry, host) == 0)
		return e;
	if (h > e && host[h - e - 1] == '.' && strcmp(host + h - e, entry) == 0)
		return e;
	return 0;
}

const char *
customers_match_parts(const struct customers *list, const char *source_ip,
    const char *const *hosts, size_t nhosts)
{
	const struct customer *best = NULL;
	struct ipaddr ip;
	size_t i, j, k, len, best_len = 0;
	int prefix = -1;

	if (list == NULL || list->n == 0)
		return NULL;
	if (source_ip != NULL && ipaddr_parse(source_ip, &ip) == 0)
		for (i = 0; i < list->n; i++)
			for (j = 0; j < list->v[i].nnets; j++)
				if (list->v[i].nets[j].prefix > prefix &&
				    ipnet_contains(&list->v[i].nets[j], &ip)) {
					prefix = list->v[i].nets[j].prefix;
					best = &list->v[i];
				}
	if (best != NULL)
		return best->id;
	for (k = 0; k < nhosts; k++)
		for (i = 0; hosts[k] != NULL && i < list->n; i++)
			for (j = 0; j < list->v[i].domains.count; j++)
				if ((len = domain_holds(list->v[i].domains.items[j], hosts[k])) >
				    best_len) {
					best_len = len;
					best = &list->v[i];
				}
	return best != NULL ? best->id : NULL;
}

const char *
customers_match(const struct customers *list, const struct report *r)
{
	const char **hosts;
	const char *id;
	size_t i;

	if (list == NULL || list->n == 0)
		return NULL;
	hosts = xcalloc(r->nurls + 1, sizeof *hosts);
	for (i = 0; i < r->nurls; i++)
		hosts[i] = r->urls[i].host;
	id = customers_match_parts(list, r->source_ip, hosts, r->nurls);
	free(hosts);
	return id;
}
