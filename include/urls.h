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
 * the list holds max. A link rewritten by the recipient's gateway is appended as its target
 * (urls_unwrap); a URL whose host urls_host refuses is left out. */
void	 urls_scan(const char *, size_t, struct strlist *, size_t max);
/* The hrefs of HTML that name a site without a scheme ("example.com.sg/login"), as http:
 * URLs, added to urls (at most max in all). */
void	 urls_scan_hrefs(const char *html, size_t len, struct strlist *urls, size_t max);
/* The host of a URL as a browser reads it: percent-decoded, IDN in punycode, lower case, no
 * port, user or trailing dot; NULL unless it is a host name (urls_valid_host) or an IPv6
 * literal (returned without brackets). */
char	*urls_host(const char *url);
/* Gateways wrapped in gateways are unwrapped this many times at most. */
#define URLS_MAX_UNWRAP	8
/* The target of a link that a recipient's security gateway rewrote (Proofpoint URL Defense v1,
 * v2, v3, Microsoft Safe Links, Google's /url?q= redirector, the AMP cache), unwrapped again
 * while the target is itself such a link; NULL when url is none, or its target is not an
 * http(s) URL with a valid host (the link is then left as it is). */
char	*urls_unwrap(const char *url);
/* 1 when an ASCII host is a host name: dot-separated labels of letters, digits, hyphens and
 * underscores, 1 to 63 octets each, at most 253 in all, with no trailing dot. */
int	 urls_valid_host(const char *host);
/* A host name as a person types it (a case key, not a URL): IDN converted to punycode, lower
 * case, one trailing dot dropped; NULL unless the result passes urls_valid_host. */
char	*urls_host_name(const char *name);
/* The registrable domain of a host ("www.shop.example.co.uk" -> "example.co.uk"); NULL for an IP
 * literal, a bare public suffix or a single label. */
char	*urls_registrable(const char *host);
/* 1 when a lower- or upper-case name is on the public suffix list ("co.uk", "github.io"),
 * not counting the list's implicit "*" rule for unknown top-level names. */
int	 urls_is_public_suffix(const char *);
/* 1 when a message looks like a raw SMTP capture that kept its dot-stuffing (RFC 5321 section
 * 4.5.2): some line begins with "..", and no line with a single "." but a final terminator. */
int	 urls_dot_stuffed(const char *raw, size_t len);
/* A copy of raw with the stuffing undone: one leading dot dropped from each line that has one,
 * and a final "." terminator line dropped; its length in *out_len. */
char	*urls_unstuff(const char *raw, size_t len, size_t *out_len);
/* 1 when host or its registrable domain is on the list (an entry matches itself and below). */
int	 urls_listed(const char *host, const struct strlist *);

#endif
