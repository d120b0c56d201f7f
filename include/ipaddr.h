/* ipaddr.h: IPv4 and IPv6 addresses: parsing, canonical text, reserved ranges and networks. */
#ifndef ARFDESK_IPADDR_H
#define ARFDESK_IPADDR_H

#include <stddef.h>

#define IPADDR_STRLEN	46

struct ipaddr {
	int		family;		/* 4 or 6; IPv4-mapped IPv6 is stored as 4 */
	unsigned char	bytes[16];	/* network order; IPv4 uses the first 4 */
};

struct ipnet {
	struct ipaddr	addr;
	int		prefix;
};

/* Parse an address, tolerating brackets, an "IPv6:" tag, a zone and surrounding space.
 * Returns 0, or -1 if the text is not an address. */
int	 ipaddr_parse(const char *, struct ipaddr *);
/* Canonical text: dotted IPv4, RFC 5952 IPv6. */
void	 ipaddr_format(const struct ipaddr *, char out[IPADDR_STRLEN]);
/* The name of the reserved range holding the address ("private", "loopback", "link-local",
 * "cgnat", "ula", ...), or NULL for an address that can be a spam source. */
const char *ipaddr_reserved(const struct ipaddr *);
/* The same address (of one family, the same 4 or 16 bytes)? */
int	 ipaddr_equal(const struct ipaddr *, const struct ipaddr *);
/* Parse "192.0.2.0/24", "2001:db8::/32" or a bare address (a host network). */
int	 ipnet_parse(const char *, struct ipnet *);
int	 ipnet_contains(const struct ipnet *, const struct ipaddr *);
/* Clear the host bits below the prefix. */
void	 ipnet_mask(struct ipnet *);
/* The default network key for grouping: the /24 of an IPv4, the /48 of an IPv6. */
void	 ipaddr_net_key(const struct ipaddr *, char out[IPADDR_STRLEN + 4]);

#endif
