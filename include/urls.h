/* urls.h: URLs in spam bodies: refanging, extraction from text and HTML, host and registrable
 * domain (public suffix list). */
#ifndef ARFDESK_URLS_H
#define ARFDESK_URLS_H

#include <stddef.h>

#include "util.h"

/* Load the public suffix list; called before threads start (report_init does). */
void	 urls_init(void);
/* Undo the obfuscation humans use when forwarding spam: hxxp, h**p, [.], (dot), [:]. */
char	*urls_refang(const char *, size_t);	/* NUL-terminated input */
/* Decode HTML character references (&amp; &#46; &#x2e; and the common named ones). */
char	*urls_html_decode(const char *, size_t);
/* Append the http(s) and www. URLs of already refanged text to list, skipping ones seen, until
 * the list holds max. */
void	 urls_scan(const char *, size_t, struct strlist *, size_t max);
/* The host of a URL: lower case, IDN in punycode, no port, user or trailing dot; NULL if none. */
char	*urls_host(const char *url);
/* 1 when an ASCII host is a host name: dot-separated labels of letters, digits, hyphens and
 * underscores, 1 to 63 octets each, at most 253 in all, with no trailing dot. */
int	 urls_valid_host(const char *host);
/* A host name as a person types it (a case key, not a URL): IDN converted to punycode, lower
 * case, one trailing dot dropped; NULL unless the result passes urls_valid_host. */
char	*urls_host_name(const char *name);
/* The registrable domain of a host ("www.shop.example.co.uk" -> "example.co.uk"); NULL for an IP
 * literal, a bare public suffix or a single label. */
char	*urls_registrable(const char *host);
/* 1 when host or its registrable domain is on the list (an entry matches itself and below). */
int	 urls_listed(const char *host, const struct strlist *);

#endif
