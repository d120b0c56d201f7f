/* families.h: mailbox provider families (share/providers): which host names and networks belong
 * to one provider, so that a Received hop between two of its hosts counts as internal. */
#ifndef ARFDESK_FAMILIES_H
#define ARFDESK_FAMILIES_H

#include "ipaddr.h"

struct families;

/* The shipped table (share/providers, compiled in), parsed on first use; shared, read-only. */
const struct families *families_builtin(void);
/* A table holding the shipped families, for a desk to extend with families_load. */
struct families *families_new(void);
/*
 * Add the families of text, written as share/providers is: "name word..." blocks whose words are
 * domains or networks, continued on lines that begin with white space. A block with a known name
 * extends that family. Returns 0, or -1 with *err set ("SOURCE:LINE: ...") and the table
 * unchanged.
 */
int	 families_load(struct families *, const char *text, const char *source, char **err);
void	 families_free(struct families *);

/* The family of a lower-case host name (the host or a domain above it is listed), or NULL. */
const char *families_of_host(const struct families *, const char *host);
/* The family whose networks hold the address, or NULL. */
const char *families_of_ip(const struct families *, const struct ipaddr *);
/* 1 when the named family lists networks and none of them holds the address. */
int	 families_outside(const struct families *, const char *family, const struct ipaddr *);

#endif
