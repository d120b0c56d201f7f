/* customers.h: the desk's own customers (a hosting company's, an ISP's): which networks and
 * domains are whose, so that a complaint is grouped by the customer it hit. */
#ifndef ARFDESK_CUSTOMERS_H
#define ARFDESK_CUSTOMERS_H

#include <stddef.h>

#include "ipaddr.h"
#include "report.h"
#include "util.h"

struct customer {
	char		*id;
	char		*name;
	char		*email;
	struct ipnet	*nets;
	size_t		 nnets;
	struct strlist	 domains;	/* lower case, punycode: registrable domains or hosts */
};

struct customers {
	struct customer	*v;
	size_t		 n;
};

/*
 * Parse a customers CSV (RFC 4180; a first line "id,name,email,networks,domains" is a title):
 * each row an id, a name, an e-mail address, the networks and the domains that are the
 * customer's (several separated by spaces). 0, or -1 with *err ("line N: ...").
 */
int	 customers_parse(const char *text, struct customers *, char **err);
/* Add one customer, its networks and domains as space-separated text, checked: 0, or -1 with
 * *err. */
int	 customers_add(struct customers *, const char *id, const char *name, const char *email,
	    const char *nets, const char *domains, char **err);
void	 customers_free(struct customers *);
/* The customer a report hit: the longest network holding its source, else the most specific
 * domain holding one of its URLs' hosts; NULL when none. */
const char *customers_match(const struct customers *, const struct report *);
/* The same for a source and the hosts of its URLs (a report read back from the database). */
const char *customers_match_parts(const struct customers *, const char *source_ip,
	    const char *const *hosts, size_t nhosts);

#endif
