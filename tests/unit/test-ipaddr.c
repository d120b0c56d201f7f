/* test-ipaddr.c: tests address parsing, canonical text, reserved ranges, networks and net keys. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ipaddr.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])

/* ---- ipaddr_parse and ipaddr_format ---- */

static const struct {
	const char	*input;
	const char	*expected;	/* canonical text; NULL when it is not an address */
	int		 family;
} parse_tests[] = {
	/* IPv4 */
	{ "192.0.2.1", "192.0.2.1", 4 },
	{ "0.0.0.0", "0.0.0.0", 4 },
	{ "255.255.255.255", "255.255.255.255", 4 },
	{ "  192.0.2.1", "192.0.2.1", 4 },
	{ "192.0.2.1 \t\r\n", "192.0.2.1", 4 },
	{ "[192.0.2.1]", "192.0.2.1", 4 },
	{ " [198.51.100.7] ", "198.51.100.7", 4 },
	/* IPv6, RFC 5952: lower case, no leading zeros, longest zero run compressed */
	{ "2001:DB8:0:0:0:0:0:1", "2001:db8::1", 6 },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", 6 },
	{ "2001:db8::1", "2001:db8::1", 6 },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", 6 },
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 6 },
	{ "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::", 6 },
	{ "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 6 },
	{ "::1", "::1", 6 },
	{ "0:0:0:0:0:0:0:0", "::", 6 },
	{ "fe80::1", "fe80::1", 6 },
	{ "[2001:db8::2]", "2001:db8::2", 6 },
	{ "IPv6:2001:db8::5", "2001:db8::5", 6 },
	{ "ipv6:2001:DB8::5", "2001:db8::5", 6 },
	{ "[IPv6:2001:db8::6]", "2001:db8::6", 6 },
	{ "fe80::1%eth0", "fe80::1", 6 },
	{ "[fe80::abcd%25en0]", "fe80::abcd", 6 },
	{ " 2001:db8::7\n", "2001:db8::7", 6 },
	/* IPv4-mapped IPv6 is the IPv4 address */
	{ "::ffff:192.0.2.9", "192.0.2.9", 4 },
	{ "::FFFF:192.0.2.9", "192.0.2.9", 4 },
	{ "::ffff:c000:209", "192.0.2.9", 4 },
	{ "[IPv6:::ffff:203.0.113.4]", "203.0.113.4", 4 },
	/* not addresses */
	{ "999.1.2.3", NULL, 0 },
	{ "256.0.0.1", NULL, 0 },
	{ "1.2.3", NULL, 0 },
	{ "192.0.2.1.5", NULL, 0 },
	{ "192.0.2.", NULL, 0 },
	{ "abc", NULL, 0 },
	{ "", NULL, 0 },
	{ "   ", NULL, 0 },
	{ "[]", NULL, 0 },
	{ "[192.0.2.1", NULL, 0 },
	{ "[192.0.2.1]x", NULL, 0 },
	{ "192.0.2.1/24", NULL, 0 },
	{ "2001:db8:::1", NULL, 0 },
	{ "2001:db8::1::2", NULL, 0 },
	{ "12345::1", NULL, 0 },
	{ "2001:db8::g", NULL, 0 },
	{ "IPv6:", NULL, 0 },
	{ "%eth0", NULL, 0 },
	{ "mail.example.com", NULL, 0 },
	{ "1234567890123456789012345678901234567890123456789012345678901234567890", NULL, 0 },
};

static void
test_ipaddr_parse(void **state)
{
	struct ipaddr ip;
	char text[IPADDR_STRLEN];
	size_t i;
	int rc;

	for (i = 0; i < NROWS(parse_tests); i++) {
		rc = ipaddr_parse(parse_tests[i].input, &ip);
		if (parse_tests[i].expected == NULL) {
			if (rc != -1)
				print_error("ipaddr_parse(\"%s\"): accepted, expected -1\n",
				    parse_tests[i].input);
			assert_int_equal(rc, -1);
			continue;
		}
		if (rc != 0)
			print_error("ipaddr_parse(\"%s\"): refused\n", parse_tests[i].input);
		assert_int_equal(rc, 0);
		if (ip.family != parse_tests[i].family)
			print_error("ipaddr_parse(\"%s\"): family %d, expected %d\n",
			    parse_tests[i].input, ip.family, parse_tests[i].family);
		assert_int_equal(ip.family, parse_tests[i].family);
		ipaddr_format(&ip, text);
		if (strcmp(text, parse_tests[i].expected) != 0)
			print_error("ipaddr_format(\"%s\"): \"%s\", expected \"%s\"\n",
			    parse_tests[i].input, text, parse_tests[i].expected);
		assert_string_equal(text, parse_tests[i].expected);
	}
}

/* The canonical text parses back to the same address. */
static void
test_ipaddr_roundtrip(void **state)
{
	struct ipaddr ip, again;
	char text[IPADDR_STRLEN];
	size_t i;

	for (i = 0; i < NROWS(parse_tests); i++) {
		if (parse_tests[i].expected == NULL)
			continue;
		assert_int_equal(ipaddr_parse(parse_tests[i].input, &ip), 0);
		ipaddr_format(&ip, text);
		if (ipaddr_parse(text, &again) != 0 || memcmp(&ip, &again, sizeof ip) != 0)
			print_error("\"%s\" -> \"%s\" does not parse back\n", parse_tests[i].input,
			    text);
		assert_int_equal(ipaddr_parse(text, &again), 0);
		assert_memory_equal(&ip, &again, sizeof ip);
	}
}

/* ---- ipaddr_reserved ---- */

static const struct {
	const char	*input;
	const char	*expected;	/* range name; NULL when a spam source can have it */
} reserved_tests[] = {
	{ "0.0.0.0", "this-network" },
	{ "0.255.255.255", "this-network" },
	{ "1.0.0.0", NULL },
	{ "10.0.0.0", "private" },
	{ "10.1.2.3", "private" },
	{ "10.255.255.255", "private" },
	{ "11.0.0.0", NULL },
	{ "9.255.255.255", NULL },
	{ "172.15.255.255", NULL },
	{ "172.16.0.0", "private" },
	{ "172.20.1.1", "private" },
	{ "172.31.255.255", "private" },
	{ "172.32.0.0", NULL },
	{ "192.168.0.0", "private" },
	{ "192.168.1.1", "private" },
	{ "192.168.255.255", "private" },
	{ "192.167.255.255", NULL },
	{ "192.169.0.0", NULL },
	{ "127.0.0.1", "loopback" },
	{ "127.255.255.254", "loopback" },
	{ "128.0.0.1", NULL },
	{ "169.254.0.1", "link-local" },
	{ "169.254.255.255", "link-local" },
	{ "169.253.255.255", NULL },
	{ "169.255.0.0", NULL },
	{ "100.64.0.0", "cgnat" },
	{ "100.64.0.1", "cgnat" },
	{ "100.100.100.100", "cgnat" },
	{ "100.127.255.255", "cgnat" },
	{ "100.63.255.255", NULL },
	{ "100.128.0.0", NULL },
	{ "192.0.0.8", "ietf-protocol" },
	{ "198.18.0.1", "benchmarking" },
	{ "198.19.255.255", "benchmarking" },
	{ "198.17.255.255", NULL },
	{ "198.20.0.0", NULL },
	{ "224.0.0.1", "multicast" },
	{ "239.255.255.255", "multicast" },
	{ "223.255.255.255", NULL },
	{ "240.0.0.1", "reserved" },
	{ "255.255.255.255", "reserved" },
	{ "::ffff:10.0.0.1", "private" },
	{ "::ffff:127.0.0.1", "loopback" },
	{ "::ffff:203.0.113.1", NULL },
	{ "::1", "loopback" },
	{ "::", "unspecified" },
	{ "::2", NULL },
	{ "100::1", "discard" },
	{ "fc00::1", "ula" },
	{ "fd12:3456:789a::1", "ula" },
	{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ula" },
	{ "fbff:ffff::1", NULL },
	{ "fe00::1", NULL },
	{ "fe80::1", "link-local" },
	{ "febf:ffff::1", "link-local" },
	{ "fec0::1", NULL },
	{ "ff00::1", "multicast" },
	{ "ff02::1", "multicast" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast" },
	/* documentation ranges stay usable: tests and sample data are written with them */
	{ "192.0.2.1", NULL },
	{ "198.51.100.1", NULL },
	{ "203.0.113.1", NULL },
	{ "2001:db8::1", NULL },
	{ "8.8.8.8", NULL },
	{ "2a00:1450:4001:82b::200e", NULL },
};

static void
test_ipaddr_reserved(void **state)
{
	struct ipaddr ip;
	const char *got;
	size_t i;

	for (i = 0; i < NROWS(reserved_tests); i++) {
		assert_int_equal(ipaddr_parse(reserved_tests[i].input, &ip), 0);
		got = ipaddr_reserved(&ip);
		if (reserved_tests[i].expected == NULL) {
			if (got != NULL)
				print_error("ipaddr_reserved(\"%s\"): \"%s\", expected NULL\n",
				    reserved_tests[i].input, got);
			assert_null(got);
			continue;
		}
		if (got == NULL)
			print_error("ipaddr_reserved(\"%s\"): NULL, expected \"%s\"\n",
			    reserved_tests[i].input, reserved_tests[i].expected);
		assert_non_null(got);
		if (strcmp(got, reserved_tests[i].expected) != 0)
			print_error("ipaddr_reserved(\"%s\"): \"%s\", expected \"%s\"\n",
			    reserved_tests[i].input, got, reserved_tests[i].expected);
		assert_string_equal(got, reserved_tests[i].expected);
	}
}

/* ---- ipnet_parse ---- */

static const struct {
	const char	*input;
	const char	*addr;		/* NULL when refused */
	int		 prefix;
} ipnet_parse_tests[] = {
	{ "192.0.2.0/24", "192.0.2.0", 24 },
	{ "10.0.0.0/8", "10.0.0.0", 8 },
	{ "0.0.0.0/0", "0.0.0.0", 0 },
	{ "192.0.2.1/32", "192.0.2.1", 32 },
	{ "192.0.2.1", "192.0.2.1", 32 },
	{ "2001:db8::/32", "2001:db8::", 32 },
	{ "2001:DB8:0:0::/48", "2001:db8::", 48 },
	{ "::/0", "::", 0 },
	{ "2001:db8::1/128", "2001:db8::1", 128 },
	{ "2001:db8::1", "2001:db8::1", 128 },
	{ "[2001:db8::]/64", "2001:db8::", 64 },
	{ "192.0.2.0/33", NULL, 0 },
	{ "2001:db8::/129", NULL, 0 },
	{ "192.0.2.0/-1", NULL, 0 },
	{ "192.0.2.0/", NULL, 0 },
	{ "192.0.2.0/24x", NULL, 0 },
	{ "192.0.2.0/2.4", NULL, 0 },
	{ "192.0.2.0/abc", NULL, 0 },
	{ "192.0.2.0/24/8", NULL, 0 },
	{ "/24", NULL, 0 },
	{ "999.0.2.0/24", NULL, 0 },
	{ "example.com/24", NULL, 0 },
	{ "", NULL, 0 },
	{ "1234567890123456789012345678901234567890123456789012345678901234567890/8", NULL, 0 },
};

static void
test_ipnet_parse(void **state)
{
	struct ipnet net;
	char text[IPADDR_STRLEN];
	size_t i;
	int rc;

	for (i = 0; i < NROWS(ipnet_parse_tests); i++) {
		rc = ipnet_parse(ipnet_parse_tests[i].input, &net);
		if (ipnet_parse_tests[i].addr == NULL) {
			if (rc != -1)
				print_error("ipnet_parse(\"%s\"): accepted, expected -1\n",
				    ipnet_parse_tests[i].input);
			assert_int_equal(rc, -1);
			continue;
		}
		if (rc != 0)
			print_error("ipnet_parse(\"%s\"): refused\n", ipnet_parse_tests[i].input);
		assert_int_equal(rc, 0);
		ipaddr_format(&net.addr, text);
		if (strcmp(text, ipnet_parse_tests[i].addr) != 0 ||
		    net.prefix != ipnet_parse_tests[i].prefix)
			print_error("ipnet_parse(\"%s\"): %s/%d, expected %s/%d\n",
			    ipnet_parse_tests[i].input, text, net.prefix,
			    ipnet_parse_tests[i].addr, ipnet_parse_tests[i].prefix);
		assert_string_equal(text, ipnet_parse_tests[i].addr);
		assert_int_equal(net.prefix, ipnet_parse_tests[i].prefix);
	}
}

/* ---- ipnet_contains ---- */

static const struct {
	const char	*net;
	const char	*addr;
	int		 expected;
} contains_tests[] = {
	{ "192.0.2.0/24", "192.0.2.0", 1 },
	{ "192.0.2.0/24", "192.0.2.255", 1 },
	{ "192.0.2.0/24", "192.0.3.0", 0 },
	{ "192.0.2.0/24", "192.0.1.255", 0 },
	{ "192.0.2.77/24", "192.0.2.1", 1 },		/* host bits are ignored */
	{ "10.0.0.0/8", "10.255.255.255", 1 },
	{ "10.0.0.0/8", "11.0.0.0", 0 },
	{ "172.16.0.0/12", "172.31.0.1", 1 },
	{ "172.16.0.0/12", "172.32.0.1", 0 },
	{ "100.64.0.0/10", "100.127.255.255", 1 },
	{ "100.64.0.0/10", "100.128.0.0", 0 },
	{ "198.51.100.128/25", "198.51.100.127", 0 },
	{ "198.51.100.128/25", "198.51.100.128", 1 },
	{ "203.0.113.5/31", "203.0.113.4", 1 },
	{ "203.0.113.5/31", "203.0.113.6", 0 },
	{ "0.0.0.0/0", "203.0.113.9", 1 },
	{ "0.0.0.0/0", "2001:db8::1", 0 },		/* /0 of IPv4 holds no IPv6 */
	{ "::/0", "2001:db8::1", 1 },
	{ "::/0", "192.0.2.1", 0 },
	{ "192.0.2.1/32", "192.0.2.1", 1 },
	{ "192.0.2.1/32", "192.0.2.2", 0 },
	{ "192.0.2.1", "192.0.2.1", 1 },
	{ "192.0.2.1", "192.0.2.0", 0 },
	{ "2001:db8::/32", "2001:db8:ffff::1", 1 },
	{ "2001:db8::/32", "2001:db9::1", 0 },
	{ "2001:db8:1234::/48", "2001:db8:1234:ffff::1", 1 },
	{ "2001:db8:1234::/48", "2001:db8:1235::1", 0 },
	{ "2001:db8::/33", "2001:db8:7fff::1", 1 },
	{ "2001:db8::/33", "2001:db8:8000::1", 0 },
	{ "2001:db8::1/128", "2001:db8::1", 1 },
	{ "2001:db8::1/128", "2001:db8::2", 0 },
	{ "192.0.2.0/24", "::ffff:192.0.2.9", 1 },	/* mapped is IPv4 */
	{ "::ffff:192.0.2.9", "192.0.2.9", 1 },
};

static void
test_ipnet_contains(void **state)
{
	struct ipnet net;
	struct ipaddr ip;
	size_t i;
	int got;

	for (i = 0; i < NROWS(contains_tests); i++) {
		assert_int_equal(ipnet_parse(contains_tests[i].net, &net), 0);
		assert_int_equal(ipaddr_parse(contains_tests[i].addr, &ip), 0);
		got = ipnet_contains(&net, &ip);
		if (got != contains_tests[i].expected)
			print_error("ipnet_contains(\"%s\", \"%s\"): %d, expected %d\n",
			    contains_tests[i].net, contains_tests[i].addr, got,
			    contains_tests[i].expected);
		assert_int_equal(got, contains_tests[i].expected);
	}
}

/* ---- ipnet_mask ---- */

static const struct {
	const char	*input;
	const char	*expected;
} mask_tests[] = {
	{ "192.0.2.77/24", "192.0.2.0/24" },
	{ "192.0.2.0/24", "192.0.2.0/24" },
	{ "10.255.255.255/8", "10.0.0.0/8" },
	{ "172.31.255.255/12", "172.16.0.0/12" },
	{ "100.127.1.1/10", "100.64.0.0/10" },
	{ "203.0.113.255/25", "203.0.113.128/25" },
	{ "203.0.113.5/31", "203.0.113.4/31" },
	{ "203.0.113.5/32", "203.0.113.5/32" },
	{ "203.0.113.5", "203.0.113.5/32" },
	{ "255.255.255.255/0", "0.0.0.0/0" },
	{ "2001:db8:1234:5678::1/48", "2001:db8:1234::/48" },
	{ "2001:db8:ffff::1/33", "2001:db8:8000::/33" },
	{ "2001:db8::1/128", "2001:db8::1/128" },
	{ "fe80::1234/10", "fe80::/10" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0", "::/0" },
};

static void
test_ipnet_mask(void **state)
{
	struct ipnet net;
	char text[IPADDR_STRLEN], got[IPADDR_STRLEN + 4];
	size_t i;

	for (i = 0; i < NROWS(mask_tests); i++) {
		assert_int_equal(ipnet_parse(mask_tests[i].input, &net), 0);
		ipnet_mask(&net);
		ipaddr_format(&net.addr, text);
		snprintf(got, sizeof got, "%s/%d", text, net.prefix);
		if (strcmp(got, mask_tests[i].expected) != 0)
			print_error("ipnet_mask(\"%s\"): \"%s\", expected \"%s\"\n",
			    mask_tests[i].input, got, mask_tests[i].expected);
		assert_string_equal(got, mask_tests[i].expected);
	}
}

/* ---- ipaddr_net_key ---- */

static const struct {
	const char	*input;
	const char	*expected;
} net_key_tests[] = {
	{ "192.0.2.1", "192.0.2.0/24" },
	{ "192.0.2.255", "192.0.2.0/24" },
	{ "203.0.113.77", "203.0.113.0/24" },
	{ "0.0.0.0", "0.0.0.0/24" },
	{ "255.255.255.255", "255.255.255.0/24" },
	{ "::ffff:198.51.100.9", "198.51.100.0/24" },
	{ "2001:db8::1", "2001:db8::/48" },
	{ "2001:db8:1234:5678:9abc::1", "2001:db8:1234::/48" },
	{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8:ffff::/48" },
	{ "2a00:1450:4001:82b::200e", "2a00:1450:4001::/48" },
	{ "::1", "::/48" },
};

static void
test_ipaddr_net_key(void **state)
{
	struct ipaddr ip;
	char key[IPADDR_STRLEN + 4];
	size_t i;

	for (i = 0; i < NROWS(net_key_tests); i++) {
		assert_int_equal(ipaddr_parse(net_key_tests[i].input, &ip), 0);
		ipaddr_net_key(&ip, key);
		if (strcmp(key, net_key_tests[i].expected) != 0)
			print_error("ipaddr_net_key(\"%s\"): \"%s\", expected \"%s\"\n",
			    net_key_tests[i].input, key, net_key_tests[i].expected);
		assert_string_equal(key, net_key_tests[i].expected);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipaddr_parse),
		cmocka_unit_test(test_ipaddr_roundtrip),
		cmocka_unit_test(test_ipaddr_reserved),
		cmocka_unit_test(test_ipnet_parse),
		cmocka_unit_test(test_ipnet_contains),
		cmocka_unit_test(test_ipnet_mask),
		cmocka_unit_test(test_ipaddr_net_key),
	};

	return cmocka_run_group_tests_name("ipaddr", tests, NULL, NULL);
}
