/* ipaddr.c: address parsing and classification on top of inet_pton and inet_ntop. */

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "util.h"

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int
ipaddr_parse(const char *text, struct ipaddr *ip)
{
	char work[64];
	char *s, *end, *pct;
	size_t len;

	while (isspace((unsigned char)*text))
		text++;
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0 || len >= sizeof work)
		return -1;
	memcpy(work, text, len);
	work[len] = '\0';
	s = work;
	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL || end[1] != '\0')
			return -1;
		*end = '\0';
		s++;
	}
	if (str_has_prefix_ci(s, "ipv6:"))
		s += 5;
	if ((pct = strchr(s, '%')) != NULL)
		*pct = '\0';
	memset(ip, 0, sizeof *ip);
	if (inet_pton(AF_INET, s, ip->bytes) == 1) {
		ip->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ip->bytes) == 1) {
		if (memcmp(ip->bytes, v4mapped, sizeof v4mapped) == 0) {
			memmove(ip->bytes, ip->bytes + 12, 4);
			memset(ip->bytes + 4, 0, 12);
			ip->family = 4;
		} else
			ip->family = 6;
		return 0;
	}
	return -1;
}

void
ipaddr_format(const struct ipaddr *ip, char out[IPADDR_STRLEN])
{
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->bytes, out, IPADDR_STRLEN) == NULL)
		snprintf(out, IPADDR_STRLEN, "?");
}

static int
prefix_match(const unsigned char *a, const unsigned char *b, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;
	unsigned char mask;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* Ranges no spam can really come from (RFC 6890 and friends). Documentation ranges are left out
 * on purpose: sample data and tests are written with them. */
static const struct {
	int		 family;
	unsigned char	 net[16];
	int		 prefix;
	const char	*name;
} reserved[] = {
	{ 4, { 0 }, 8, "this-network" },
	{ 4, { 10 }, 8, "private" },
	{ 4, { 100, 64 }, 10, "cgnat" },
	{ 4, { 127 }, 8, "loopback" },
	{ 4, { 169, 254 }, 16, "link-local" },
	{ 4, { 172, 16 }, 12, "private" },
	{ 4, { 192, 0, 0 }, 24, "ietf-protocol" },
	{ 4, { 192, 168 }, 16, "private" },
	{ 4, { 198, 18 }, 15, "benchmarking" },
	{ 4, { 224 }, 4, "multicast" },
	{ 4, { 240 }, 4, "reserved" },
	{ 6, { 0 }, 128, "unspecified" },
	{ 6, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, "loopback" },
	{ 6, { 0x01, 0x00 }, 64, "discard" },
	{ 6, { 0xfc }, 7, "ula" },
	{ 6, { 0xfe, 0x80 }, 10, "link-local" },
	{ 6, { 0xff }, 8, "multicast" },
};

const char *
ipaddr_reserved(const struct ipaddr *ip)
{
	size_t i;

	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (reserved[i].family == ip->family &&
		    prefix_match(ip->bytes, reserved[i].net, reserved[i].prefix))
			return reserved[i].name;
	return NULL;
}

int
ipnet_parse(const char *text, struct ipnet *net)
{
	char work[64];
	char *slash, *end;
	long prefix;
	int max;

	if (strlen(text) >= sizeof work)
		return -1;
	snprintf(work, sizeof work, "%s", text);
	slash = strchr(work, '/');
	if (slash != NULL)
		*slash = '\0';
	if (ipaddr_parse(work, &net->addr) != 0)
		return -1;
	max = net->addr.family == 4 ? 32 : 128;
	if (slash == NULL) {
		net->prefix = max;
		return 0;
	}
	prefix = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end != '\0' || prefix < 0 || prefix > max)
		return -1;
	net->prefix = (int)prefix;
	return 0;
}

int
ipnet_contains(const struct ipnet *net, const struct ipaddr *ip)
{
	return net->addr.family == ip->family &&
	    prefix_match(net->addr.bytes, ip->bytes, net->prefix);
}

void
ipnet_mask(struct ipnet *net)
{
	int max = net->addr.family == 4 ? 32 : 128, bit;

	for (bit = net->prefix; bit < max; bit++)
		net->addr.bytes[bit / 8] &= (unsigned char)~(0x80 >> (bit % 8));
}

void
ipaddr_net_key(const struct ipaddr *ip, char out[IPADDR_STRLEN + 4])
{
	struct ipaddr net = *ip;
	char text[IPADDR_STRLEN];
	int keep = ip->family == 4 ? 3 : 6;

	memset(net.bytes + keep, 0, sizeof net.bytes - (size_t)keep);
	if (ip->family == 4)
		memset(net.bytes + 4, 0, 12);
	ipaddr_format(&net, text);
	snprintf(out, IPADDR_STRLEN + 4, "%s/%d", text, ip->family == 4 ? 24 : 48);
}

int
ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}
