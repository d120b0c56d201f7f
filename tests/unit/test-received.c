/* test-received.c: tests the connecting IP of Received headers and the walk to the spam source. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ipaddr.h"
#include "received.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])
#define MAXHOPS		8
#define MAXTRUSTED	4

/* ---- received_connecting_ip ---- */

static const struct {
	const char	*name;
	const char	*value;
	const char	*expected;	/* NULL: no connecting IP */
} connecting_tests[] = {
	{ "postfix",
	  "from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.net (Postfix) "
	  "with ESMTPS id 4VwXyZ1234; Thu, 06 Jun 2024 09:02:31 +0000 (UTC)",
	  "192.0.2.1" },
	{ "postfix unknown rdns",
	  "from helo.example.org (unknown [198.51.100.23]) by mx.example.net (Postfix) "
	  "with ESMTP id 8192A3B4C5; Thu, 06 Jun 2024 09:02:31 +0000",
	  "198.51.100.23" },
	{ "postfix folded",
	  "from mail.example.com (mail.example.com [192.0.2.2])\r\n\tby mx.example.net "
	  "(Postfix) with ESMTP id ABC\r\n\tfor <abuse@example.net>; Thu, 06 Jun 2024 09:02:31 +0000",
	  "192.0.2.2" },
	{ "postfix HELO is an address, parens have the real one",
	  "from [192.168.1.2] (unknown [203.0.113.5]) by mx.example.net (Postfix) with ESMTP "
	  "id 1A2B3C; Thu, 06 Jun 2024 09:02:31 +0000",
	  "203.0.113.5" },
	{ "postfix HELO is a public address, parens have the real one",
	  "from 198.51.100.99 (unknown [203.0.113.6]) by mx.example.net (Postfix); "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "203.0.113.6" },
	{ "sendmail",
	  "from host.example.com (host.example.com [192.0.2.3]) by mx.example.net "
	  "(8.15.2/8.15.2) with ESMTP id 456A1b2C003456; Thu, 6 Jun 2024 09:02:31 GMT",
	  "192.0.2.3" },
	{ "sendmail may be forged",
	  "from spoofed.example.com (dsl-77.example.net [203.0.113.77] (may be forged)) "
	  "by mx.example.net (8.14.7/8.14.7) with ESMTP id u1234; Thu, 6 Jun 2024 09:02:31 GMT",
	  "203.0.113.77" },
	{ "sendmail user@host",
	  "from client.example.org (root@client.example.org [198.51.100.4]) by mx.example.net "
	  "(8.15.2/8.15.2) with ESMTP id x; Thu, 6 Jun 2024 09:02:31 GMT",
	  "198.51.100.4" },
	{ "exim bare address with port and helo",
	  "from [192.0.2.5] (port=54321 helo=mail.example.org) by mx.example.net with esmtpa "
	  "(Exim 4.96) (envelope-from <a@example.org>) id 1sF4aB-000123-Xy; Thu, 06 Jun 2024 "
	  "09:02:31 +0000",
	  "192.0.2.5" },
	{ "exim named host",
	  "from mail.example.org ([198.51.100.5] helo=smtp.example.org) by mx.example.net with "
	  "esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) id 1sF4aB-000124-Zz; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "198.51.100.5" },
	{ "exim address with port",
	  "from mail.example.org ([203.0.113.8]:41234 helo=mail.example.org) by mx.example.net "
	  "with esmtp (Exim 4.94.2) id 1abc; Thu, 06 Jun 2024 09:02:31 +0000",
	  "203.0.113.8" },
	{ "qmail",
	  "from unknown (HELO mail.example.com) (192.0.2.7) by mx.example.net with SMTP; "
	  "6 Jun 2024 09:02:31 -0000",
	  "192.0.2.7" },
	{ "qmail with rdns and port",
	  "from mail.example.com (HELO mail.example.com) (198.51.100.7:4321) "
	  "by mx.example.net with ESMTPS; 6 Jun 2024 09:02:31 -0000",
	  "198.51.100.7" },
	{ "qpsmtpd",
	  "from host-203-0-113-10.example.net (HELO desktop) (203.0.113.10) by mx.example.net "
	  "(qpsmtpd/0.96) with ESMTP; Thu, 06 Jun 2024 11:02:31 +0200",
	  "203.0.113.10" },
	{ "exchange",
	  "from host.example.com (192.0.2.8) by mx.example.net (10.0.0.1) with Microsoft SMTP "
	  "Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.6; "
	  "Thu, 6 Jun 2024 09:02:31 +0000",
	  "192.0.2.8" },
	{ "exchange IPv6",
	  "from EXCH01.corp.example.com (2001:db8::25) by EXCH02.corp.example.com "
	  "(2001:db8::26) with Microsoft SMTP Server id 15.2.1118.30; Thu, 6 Jun 2024 09:02:31 +0000",
	  "2001:db8::25" },
	{ "gmail",
	  "from mail.example.org (mail.example.org. [192.0.2.9]) by mx.google.com with ESMTPS "
	  "id a1b2c3d4e5f6.123.2024.06.06.02.02.31 for <someone@gmail.com> (version=TLS1_3 "
	  "cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Thu, 06 Jun 2024 02:02:31 -0700 (PDT)",
	  "192.0.2.9" },
	{ "IPv6 literal",
	  "from mail.example.org (mail.example.org [IPv6:2001:db8::1]) by mx.example.net "
	  "(Postfix) with ESMTPS id 4Vw; Thu, 06 Jun 2024 09:02:31 +0000",
	  "2001:db8::1" },
	{ "IPv6 literal upper case",
	  "from mail.example.org (mail.example.org [IPV6:2001:DB8:0:0::A]) by mx.example.net; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "2001:db8::a" },
	{ "IPv4-mapped literal",
	  "from mail.example.org (mail.example.org [IPv6:::ffff:203.0.113.12]) by mx.example.net; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "203.0.113.12" },
	{ "bare address",
	  "from 203.0.113.13 by mx.example.net with SMTP; Thu, 06 Jun 2024 09:02:31 +0000",
	  "203.0.113.13" },
	{ "leading space and upper case FROM",
	  "  FROM mail.example.org (mail.example.org [192.0.2.14]) BY mx.example.net; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "192.0.2.14" },
	{ "loopback is still reported",
	  "from localhost (localhost [127.0.0.1]) by mx.example.net (Postfix) with ESMTP id Q; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  "127.0.0.1" },
	{ "address in the by clause is not the connecting IP",
	  "from mail.example.org (mail.example.org) by mx.example.net ([192.0.2.15]) with SMTP; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "by only",
	  "by mx.example.net (Postfix, from userid 1000) id 4VwXyZ; Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "by only with an address",
	  "by 2002:a05:6a10:7c9b:b0:4c2:1234:5678 with SMTP id abc; Thu, 6 Jun 2024 02:02:31 -0700",
	  NULL },
	{ "from userid",
	  "from userid 1000 by mx.example.net with local (Exim 4.96) id 1sF4aB; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "local delivery",
	  "(qmail 12345 invoked by uid 1000); 6 Jun 2024 09:02:31 -0000",
	  NULL },
	{ "name only",
	  "from mail.example.org (mail.example.org) by mx.example.net with SMTP; "
	  "Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "address-like host name",
	  "from 203-0-113-16.dsl.example.net (HELO 203.0.113.16.dsl.example.net) "
	  "by mx.example.net; Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "fromage is not from",
	  "fromage 192.0.2.17 by mx.example.net; Thu, 06 Jun 2024 09:02:31 +0000",
	  NULL },
	{ "empty", "", NULL },
	{ "from alone", "from", NULL },
	{ "from and space", "from ", NULL },
	/* BUG: Exim writes the client's HELO as "helo=NAME" inside the parentheses; when the
	 * HELO is an address literal it is taken for the connecting IP instead of [192.0.2.6]. */
	{ "exim HELO is an address literal",
	  "from [192.0.2.6] (port=4321 helo=[10.0.0.5]) by mx.example.net with esmtp "
	  "(Exim 4.96) id 1sF4aB-000125-Ab; Thu, 06 Jun 2024 09:02:31 +0000",
	  "192.0.2.6" },
	/* BUG: qmail writes "(HELO x) (IP)"; a HELO that is an address literal comes first
	 * and is taken for the connecting IP instead of the address seen, 203.0.113.11. */
	{ "qmail HELO is an address literal",
	  "from unknown (HELO [192.168.1.100]) (203.0.113.11) by mx.example.net with SMTP; "
	  "6 Jun 2024 09:02:31 -0000",
	  "203.0.113.11" },
};

static void
test_received_connecting_ip(void **state)
{
	struct ipaddr ip;
	char text[IPADDR_STRLEN];
	size_t i;
	int rc;

	for (i = 0; i < NROWS(connecting_tests); i++) {
		rc = received_connecting_ip(connecting_tests[i].value, &ip);
		if (rc == 0)
			ipaddr_format(&ip, text);
		else
			snprintf(text, sizeof text, "(none)");
		if (connecting_tests[i].expected == NULL) {
			if (rc != -1)
				print_error("%s: \"%s\": found %s, expected none\n",
				    connecting_tests[i].name, connecting_tests[i].value, text);
			assert_int_equal(rc, -1);
			continue;
		}
		if (rc != 0 || strcmp(text, connecting_tests[i].expected) != 0)
			print_error("%s: \"%s\": found %s, expected %s\n", connecting_tests[i].name,
			    connecting_tests[i].value, text, connecting_tests[i].expected);
		assert_int_equal(rc, 0);
		assert_string_equal(text, connecting_tests[i].expected);
	}
}

/* ---- received_source ---- */

static const char postfix_public[] =
    "from spam.example.com (spam.example.com [203.0.113.50]) by mx.example.net (Postfix); "
    "Thu, 06 Jun 2024 09:02:31 +0000";
static const char postfix_second[] =
    "from relay.example.org (relay.example.org [198.51.100.60]) by spam.example.com; "
    "Thu, 06 Jun 2024 09:02:30 +0000";

static const struct {
	const char	*name;
	const char	*hops[MAXHOPS];		/* top first, NULL-terminated */
	const char	*trusted[MAXTRUSTED];	/* NULL-terminated */
	const char	*expected;		/* NULL: every hop skipped */
	size_t		 hop;
} source_tests[] = {
	{ "first hop public",
	  { postfix_public, postfix_second }, { NULL }, "203.0.113.50", 1 },
	{ "private hop skipped",
	  { "from filter.example.net (filter.example.net [10.1.2.3]) by mx.example.net; x",
	    postfix_public }, { NULL }, "203.0.113.50", 2 },
	{ "172.16/12 and 192.168/16 skipped",
	  { "from a (a [172.16.5.4]) by b; x",
	    "from c (c [192.168.0.10]) by a; x",
	    postfix_public }, { NULL }, "203.0.113.50", 3 },
	{ "CGNAT hop skipped",
	  { "from cpe.example.net (cpe.example.net [100.64.3.2]) by mx.example.net; x",
	    postfix_public }, { NULL }, "203.0.113.50", 2 },
	{ "CGNAT edge is public",
	  { "from cpe.example.net (cpe.example.net [100.128.0.1]) by mx.example.net; x",
	    postfix_public }, { NULL }, "100.128.0.1", 1 },
	{ "loopback skipped",
	  { "from localhost (localhost [127.0.0.1]) by mx.example.net (Postfix); x",
	    postfix_public }, { NULL }, "203.0.113.50", 2 },
	{ "IPv6 loopback skipped",
	  { "from localhost (localhost [IPv6:::1]) by mx.example.net (Postfix); x",
	    postfix_public }, { NULL }, "203.0.113.50", 2 },
	{ "link-local skipped",
	  { "from a (a [169.254.10.20]) by b; x",
	    "from c (c [IPv6:fe80::1]) by a; x",
	    postfix_public }, { NULL }, "203.0.113.50", 3 },
	{ "ULA skipped",
	  { "from a (a [IPv6:fd00:1234::5]) by b; x",
	    "from c (c [IPv6:2001:db8::77]) by a; x" }, { NULL }, "2001:db8::77", 2 },
	{ "hops without an IP are counted",
	  { "by mx.example.net (Postfix, from userid 1000) id 4VwXyZ; x",
	    "from mail.example.org (mail.example.org) by mx.example.net; x",
	    "(qmail 12345 invoked by uid 1000); x",
	    postfix_public }, { NULL }, "203.0.113.50", 4 },
	{ "trusted network skipped",
	  { "from edge.example.net (edge.example.net [198.51.100.1]) by mx.example.net; x",
	    postfix_public }, { "198.51.100.0/24", NULL }, "203.0.113.50", 2 },
	{ "trusted host and network skipped",
	  { "from edge.example.net (edge.example.net [198.51.100.1]) by mx.example.net; x",
	    "from gw.example.net (gw.example.net [IPv6:2001:db8:5::9]) by edge.example.net; x",
	    "from spam.example.com (spam.example.com [203.0.113.50]) by gw.example.net; x" },
	  { "198.51.100.1", "2001:db8:5::/48", NULL }, "203.0.113.50", 3 },
	{ "address outside the trusted network",
	  { "from edge.example.net (edge.example.net [198.51.101.1]) by mx.example.net; x",
	    postfix_public }, { "198.51.100.0/24", NULL }, "198.51.101.1", 1 },
	{ "everything trusted",
	  { postfix_public, postfix_second }, { "0.0.0.0/0", NULL }, NULL, 0 },
	{ "every hop private",
	  { "from a (a [10.0.0.1]) by b; x",
	    "from c (c [192.168.1.1]) by a; x",
	    "from localhost (localhost [127.0.0.1]) by c; x" }, { NULL }, NULL, 0 },
	{ "no hop has an IP",
	  { "by mx.example.net (Postfix, from userid 1000); x" }, { NULL }, NULL, 0 },
	{ "no Received headers", { NULL }, { NULL }, NULL, 0 },
};

static void
test_received_source(void **state)
{
	struct ipnet trusted[MAXTRUSTED];
	struct ipaddr ip;
	char text[IPADDR_STRLEN];
	size_t i, nhops, ntrusted, hop;
	int rc;

	for (i = 0; i < NROWS(source_tests); i++) {
		for (nhops = 0; nhops < MAXHOPS && source_tests[i].hops[nhops] != NULL; nhops++)
			;
		for (ntrusted = 0; ntrusted < MAXTRUSTED &&
		    source_tests[i].trusted[ntrusted] != NULL; ntrusted++)
			assert_int_equal(ipnet_parse(source_tests[i].trusted[ntrusted],
			    &trusted[ntrusted]), 0);
		hop = 0;
		rc = received_source(source_tests[i].hops, nhops, trusted, ntrusted, &ip, &hop);
		if (rc == 0)
			ipaddr_format(&ip, text);
		else
			snprintf(text, sizeof text, "(none)");
		if (source_tests[i].expected == NULL) {
			if (rc != -1)
				print_error("%s: found %s at hop %zu, expected none\n",
				    source_tests[i].name, text, hop);
			assert_int_equal(rc, -1);
			continue;
		}
		if (rc != 0 || strcmp(text, source_tests[i].expected) != 0 ||
		    hop != source_tests[i].hop)
			print_error("%s: found %s at hop %zu, expected %s at hop %zu\n",
			    source_tests[i].name, text, hop, source_tests[i].expected,
			    source_tests[i].hop);
		assert_int_equal(rc, 0);
		assert_string_equal(text, source_tests[i].expected);
		assert_int_equal(hop, source_tests[i].hop);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_received_connecting_ip),
		cmocka_unit_test(test_received_source),
	};

	return cmocka_run_group_tests_name("received", tests, NULL, NULL);
}
