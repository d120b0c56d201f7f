/* test-received.c: tests the connecting IP of Received headers, the walk to the spam source, the
 * chain analysis with provider families and stamped headers, and the shipped family table. */

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"
#include "ipaddr.h"
#include "received.h"
#include "util.h"

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
		unit_check_str(rc == 0 ? text : NULL, connecting_tests[i].expected, "%s: \"%s\"",
		    connecting_tests[i].name, connecting_tests[i].value);
		assert_int_equal(rc, connecting_tests[i].expected != NULL ? 0 : -1);
	}
}

/* ---- received_analyse: the source among hops that are skipped for what they are ---- */

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
	  { "from cpe.isp.example (cpe.isp.example [100.128.0.1]) by mx.example.net; x",
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
	  { "from edge.isp.example (edge.isp.example [198.51.101.1]) by mx.example.net; x",
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
	struct received_header fields[MAXHOPS];
	struct ipnet networks[MAXTRUSTED];
	struct received_trust trust;
	struct received_chain chain;
	char ip[IPADDR_STRLEN], rule[32];
	size_t i, n;
	int rc;

	for (i = 0; i < NROWS(source_tests); i++) {
		for (n = 0; n < MAXHOPS && source_tests[i].hops[n] != NULL; n++) {
			fields[n].name = "Received";
			fields[n].value = source_tests[i].hops[n];
		}
		memset(&trust, 0, sizeof trust);
		for (trust.nnetworks = 0; trust.nnetworks < MAXTRUSTED &&
		    source_tests[i].trusted[trust.nnetworks] != NULL; trust.nnetworks++)
			assert_int_equal(ipnet_parse(source_tests[i].trusted[trust.nnetworks],
			    &networks[trust.nnetworks]), 0);
		trust.networks = networks;
		rc = received_analyse(fields, n, &trust, &chain);
		if (rc == 0)
			ipaddr_format(&chain.source_ip, ip);
		unit_check_str(rc == 0 ? ip : NULL, source_tests[i].expected, "%s: source",
		    source_tests[i].name);
		snprintf(rule, sizeof rule, "received:%zu", source_tests[i].hop);
		unit_check_str(chain.rule, source_tests[i].expected != NULL ? rule : "", "%s: rule",
		    source_tests[i].name);
		assert_int_equal(rc, source_tests[i].expected != NULL ? 0 : -1);
		received_chain_free(&chain);
	}
}

/* ---- received_analyse: one hop of each form ---- */

#define MAXFIELDS	12

/* "Name: value" into a header field (name is cut at the colon in a copy). */
static void
split_fields(const char *const *lines, struct received_header *fields, char **copies, size_t *n)
{
	char *colon;

	for (*n = 0; *n < MAXFIELDS && lines[*n] != NULL; (*n)++) {
		copies[*n] = xstrdup(lines[*n]);
		colon = strchr(copies[*n], ':');
		assert_non_null(colon);
		*colon = '\0';
		fields[*n].name = copies[*n];
		fields[*n].value = colon + 1;
	}
}

static const char *
str_or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/* Each hop alone in a chain. An authenticated submission alone is chosen (nothing else names
 * where the mail came from); beside a public hop it is skipped (chain_tests). */
static const struct {
	const char	*name;
	const char	*value;
	const char	*from;		/* rDNS when shown, else the first word; "-": none */
	const char	*helo;
	const char	*ip;		/* "-": none */
	const char	*by;
	const char	*with;
	const char	*verdict;	/* of the hop alone in a chain */
} hop_tests[] = {
	{ "postfix",
	  "from helo.example.org (mail.example.org [192.0.2.1]) by mx.example.net (Postfix) "
	  "with ESMTPS id 4VwXyZ1234 for <a@example.net>; Thu, 06 Jun 2024 09:02:31 +0000 (UTC)",
	  "mail.example.org", "-", "192.0.2.1", "mx.example.net", "ESMTPS", "chosen" },
	{ "postfix unknown rdns keeps the first word",
	  "from helo.example.org (unknown [198.51.100.23]) by mx.example.net (Postfix) with ESMTP; x",
	  "helo.example.org", "-", "198.51.100.23", "mx.example.net", "ESMTP", "chosen" },
	{ "exim bare address with helo",
	  "from [192.0.2.5] (port=54321 helo=mail.example.org) by mx.example.net with esmtp "
	  "(Exim 4.96) id 1sF4aB-000123-Xy; Thu, 06 Jun 2024 09:02:31 +0000",
	  "[192.0.2.5]", "mail.example.org", "192.0.2.5", "mx.example.net", "esmtp", "chosen" },
	{ "exim named host",
	  "from mail.example.org ([198.51.100.5] helo=smtp.example.org) by mx.example.net with "
	  "esmtps (TLS1.3) (Exim 4.96) id 1sF4aB-000124-Zz; x",
	  "mail.example.org", "smtp.example.org", "198.51.100.5", "mx.example.net", "esmtps",
	  "chosen" },
	{ "exchange: bare (address) after the name",
	  "from host.example.com (192.0.2.8) by mx.example.net (10.0.0.1) with Microsoft SMTP "
	  "Server (version=TLS1_2) id 15.1.2507.6; x",
	  "host.example.com", "-", "192.0.2.8", "mx.example.net", "Microsoft", "chosen" },
	{ "no name, only (address)",
	  "from (203.0.113.9) by mx.example.net with SMTP; x",
	  "-", "-", "203.0.113.9", "mx.example.net", "SMTP", "chosen" },
	{ "yahoo: from address (EHLO name) (address)",
	  "from 127.0.0.1 (EHLO mx8.example.com) (192.0.2.8) by mta34.mail.g9.yahoo.com with "
	  "SMTP; Thu, 06 Jun 2024 09:02:31 +0000",
	  "127.0.0.1", "mx8.example.com", "192.0.2.8", "mta34.mail.g9.yahoo.com", "SMTP", "chosen" },
	{ "qmail",
	  "from unknown (HELO mail.example.com) (192.0.2.7) by mx.example.net with SMTP; x",
	  "unknown", "mail.example.com", "192.0.2.7", "mx.example.net", "SMTP", "chosen" },
	{ "sendmail user@rdns",
	  "from client.example.org (root@client.example.org [198.51.100.4]) by mx.example.net "
	  "(8.15.2/8.15.2) with ESMTP id x; x",
	  "client.example.org", "-", "198.51.100.4", "mx.example.net", "ESMTP", "chosen" },
	{ "IPv6 literal",
	  "from mail.example.org (mail.example.org [IPv6:2001:db8::1]) by mx.example.net "
	  "(Postfix) with ESMTPS id 4Vw; x",
	  "mail.example.org", "-", "2001:db8::1", "mx.example.net", "ESMTPS", "chosen" },
	{ "microsoft 365 internal hop",
	  "from BN9PR03CA0123.namprd03.prod.outlook.com (2603:10b6:408:fe::8) by "
	  "BN8PR12MB3587.namprd12.prod.outlook.com (2603:10b6:408:49::14) with Microsoft SMTP "
	  "Server (version=TLS1_2) id 15.20.7633.34; Mon, 3 Jun 2024 10:00:02 +0000",
	  "BN9PR03CA0123.namprd03.prod.outlook.com", "-", "2603:10b6:408:fe::8",
	  "BN8PR12MB3587.namprd12.prod.outlook.com", "Microsoft", "chosen" },
	{ "gmail",
	  "from mail.example.org (mail.example.org. [192.0.2.9]) by mx.google.com with ESMTPS "
	  "id a1b2c3.123 for <someone@gmail.com> (version=TLS1_3); x",
	  "mail.example.org", "-", "192.0.2.9", "mx.google.com", "ESMTPS", "chosen" },
	{ "gmail by line",
	  "by 2002:a05:6a10:7c9b:b0:4c2:1234:5678 with SMTP id abc; Thu, 6 Jun 2024 02:02:31 -0700",
	  "-", "-", "-", "2002:a05:6a10:7c9b:b0:4c2:1234:5678", "SMTP", "local" },
	{ "IPv6 loopback (::1)",
	  "from localhost (::1) by mx.example.net with ESMTP; x",
	  "localhost", "-", "::1", "mx.example.net", "ESMTP", "private" },
	{ "LMTP from loopback",
	  "from mx.example.net ([127.0.0.1]) by imap.example.net with LMTP id W/edIf; x",
	  "mx.example.net", "-", "127.0.0.1", "imap.example.net", "LMTP", "private" },
	{ "LMTP without an address",
	  "from localhost by hades.example.net with LMTP id W/edIf (envelope-from <a@b.example>) "
	  "for <rak>; x",
	  "localhost", "-", "-", "hades.example.net", "LMTP", "no-ip" },
	{ "ESMTPSA submission",
	  "from [192.0.2.44] (dsl.example.org [192.0.2.44]) by smtp.example.net (Postfix) with "
	  "ESMTPSA id 4Vw; x",
	  "dsl.example.org", "-", "192.0.2.44", "smtp.example.net", "ESMTPSA", "chosen" },
	{ "exim esmtpsa",
	  "from [198.51.100.9] (port=4321 helo=[192.168.1.5]) by mail.example.net with esmtpsa "
	  "(TLS1.3) (Exim 4.96) id 1s; x",
	  "[198.51.100.9]", "[192.168.1.5]", "198.51.100.9", "mail.example.net", "esmtpsa",
	  "chosen" },
	{ "sendmail (authenticated",
	  "from laptop.example.org (dsl.example.org [203.0.113.30]) by mail.example.net "
	  "(8.15.2/8.15.2) with ESMTP id 1 (version=TLSv1.3) (authenticated bits=0); x",
	  "dsl.example.org", "-", "203.0.113.30", "mail.example.net", "ESMTP", "chosen" },
	{ "getmail hand-off",
	  "from gw2.example.net (202.75.0.6:143) by gw2 with IMAP4 getmail6 msgid:1/2; x",
	  "gw2.example.net", "-", "202.75.0.6", "gw2", "IMAP4", "fetched" },
	{ "qmail invoked line does not start with from",
	  "(qmail 12345 invoked by uid 1000); 6 Jun 2024 09:02:31 -0000",
	  "-", "-", "-", "-", "-", "local" },
	{ "host name longer than a host name can be",
	  "from aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".example (unknown [192.0.2.99]) by mx.example.net; x",
	  "-", "-", "192.0.2.99", "mx.example.net", "-", "chosen" },
	{ "empty", "", "-", "-", "-", "-", "-", "local" },
	{ "from alone", "from", "-", "-", "-", "-", "-", "local" },
	{ "unclosed comment", "from x (y [192.0.2.1] by", "x", "-", "192.0.2.1", "-", "-",
	  "chosen" },
};

static void
test_received_hops(void **state)
{
	struct received_header field;
	struct received_chain chain;
	const struct received_hop *hop;
	char ip[IPADDR_STRLEN];
	size_t i;

	for (i = 0; i < NROWS(hop_tests); i++) {
		field.name = "Received";
		field.value = hop_tests[i].value;
		received_analyse(&field, 1, NULL, &chain);
		assert_int_equal(chain.nhops, 1);
		hop = &chain.hops[0];
		if (hop->has_ip)
			ipaddr_format(&hop->ip, ip);
		else
			snprintf(ip, sizeof ip, "-");
		if (strcmp(str_or_dash(hop->from_rdns != NULL ? hop->from_rdns : hop->from_host),
		    hop_tests[i].from) != 0 || strcmp(str_or_dash(hop->helo), hop_tests[i].helo) ||
		    strcmp(ip, hop_tests[i].ip) != 0 ||
		    strcmp(str_or_dash(hop->by_host), hop_tests[i].by) != 0 ||
		    strcmp(str_or_dash(hop->with), hop_tests[i].with) != 0 ||
		    strcmp(received_verdict_names[hop->verdict], hop_tests[i].verdict) != 0) {
			print_error("%s: from %s helo %s ip %s by %s with %s: %s\n", hop_tests[i].name,
			    str_or_dash(hop->from_rdns != NULL ? hop->from_rdns : hop->from_host),
			    str_or_dash(hop->helo), ip, str_or_dash(hop->by_host),
			    str_or_dash(hop->with), received_verdict_names[hop->verdict]);
			fail();
		}
		assert_int_equal(hop->position, 1);
		received_chain_free(&chain);
	}
}

/* ---- received_analyse: chains ---- */

static const char ms_top[] =
    "Received: from BN8PR12MB3587.namprd12.prod.outlook.com (2603:10b6:408:49::14) by "
    "SJ0PR12MB5504.namprd12.prod.outlook.com with HTTPS; Mon, 3 Jun 2024 10:00:03 +0000";
static const char ms_mailbox[] =
    "Received: from BN9PR03CA0123.namprd03.prod.outlook.com (2603:10b6:408:fe::8) by "
    "BN8PR12MB3587.namprd12.prod.outlook.com (2603:10b6:408:49::14) with Microsoft SMTP "
    "Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7633.34; "
    "Mon, 3 Jun 2024 10:00:02 +0000";
static const char ms_frontend[] =
    "Received: from BN8NAM12FT044.eop-nam12.prod.protection.outlook.com "
    "(2603:10b6:408:fe:cafe::a1) by BN9PR03CA0123.outlook.office365.com (2603:10b6:408:fe::8) "
    "with Microsoft SMTP Server (version=TLS1_2) id 15.20.7633.34 via Frontend Transport; "
    "Mon, 3 Jun 2024 10:00:02 +0000";
static const char ms_ar[] =
    "Authentication-Results: spf=pass (sender IP is 203.0.113.45) smtp.mailfrom=spam.example; "
    "dkim=none (message not signed) header.d=none;dmarc=none action=none "
    "header.from=spam.example;";
static const char ms_spf[] =
    "Received-SPF: Pass (protection.outlook.com: domain of spam.example designates "
    "203.0.113.45 as permitted sender) receiver=protection.outlook.com; client-ip=203.0.113.45; "
    "helo=mail.spam.example; pr=C";
static const char ms_entry[] =
    "Received: from mail.spam.example (203.0.113.45) by "
    "BN8NAM12FT044.mail.protection.outlook.com (10.13.182.200) with Microsoft SMTP Server id "
    "15.20.7656.12 via Frontend Transport; Mon, 3 Jun 2024 10:00:01 +0000";
static const char ms_forefront[] =
    "X-Forefront-Antispam-Report: CIP:203.0.113.45;CTRY:US;LANG:en;SCL:5;SRV:;IPV:NLI;"
    "SFV:SPM;H:mail.spam.example;PTR:mail.spam.example;CAT:SPM;DIR:INB;";

static const char gmail_forward[] =
    "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) by "
    "mx.desk.example (Postfix) with ESMTPS id 4Vz for <me@desk.example>; "
    "Mon, 03 Jun 2024 10:00:05 +0000";
static const char gmail_by[] =
    "Received: by 2002:a05:6a10:7c9b:b0:4c2:1234:5678 with SMTP id abc; "
    "Mon, 3 Jun 2024 03:00:04 -0700 (PDT)";
static const char gmail_arc[] =
    "ARC-Authentication-Results: i=1; mx.google.com; spf=pass (google.com: domain of "
    "x@spam.example designates 198.51.100.77 as permitted sender) smtp.mailfrom=x@spam.example";
static const char gmail_spf[] =
    "Received-SPF: pass (google.com: domain of x@spam.example designates 198.51.100.77 as "
    "permitted sender) client-ip=198.51.100.77;";
static const char gmail_entry[] =
    "Received: from mail.spam.example (mail.spam.example. [198.51.100.77]) by mx.google.com "
    "with ESMTPS id a1b2 for <user@gmail.com> (version=TLS1_3); Mon, 03 Jun 2024 03:00:03 -0700";

static const char cable_lmtp[] =
    "Received: from dovecot-director-02.cable.example ([96.114.154.10]) by "
    "mailstore-17.cable.example with LMTP id Xy (envelope-from <x@spam.example>) "
    "for <user@cable.example>; Mon, 03 Jun 2024 10:00:03 +0000";
static const char cable_relay[] =
    "Received: from resimta-po-31v.sys.cable.example ([96.114.154.159]) by "
    "dovecot-director-02.cable.example with ESMTP; Mon, 03 Jun 2024 10:00:02 +0000";
static const char cable_entry[] =
    "Received: from mail.spam.example ([198.51.100.20]) by resimta-po-31v.sys.cable.example "
    "with ESMTP id 5; Mon, 03 Jun 2024 10:00:01 +0000";

static const struct {
	const char	*name;
	const char	*fields[MAXFIELDS];	/* "Name: value", top first */
	const char	*networks[MAXTRUSTED];
	const char	*domains[MAXTRUSTED];
	const char	*expected;		/* "-": none */
	const char	*rule;
	const char	*verdicts;		/* of the hops, top first */
	const char	*stamps;		/* "b" believed, "n" not, in order */
} chain_tests[] = {
	{ "microsoft 365: the external sender below the internal relays",
	  { ms_top, ms_mailbox, ms_frontend, ms_ar, ms_spf, ms_entry, ms_forefront },
	  { NULL }, { NULL }, "203.0.113.45", "received:4",
	  "internal internal internal chosen", "bbb" },
	{ "forged microsoft stamps below a small ISP's hop are not believed",
	  { "Received-SPF: pass (mx.isp.example: domain of spam.example designates 203.0.113.45 "
	    "as permitted sender) client-ip=203.0.113.45;",
	    "Received: from mail.spam.example (mail.spam.example [203.0.113.45]) by "
	    "mx.isp.example (Postfix) with ESMTP id 4Vx; Mon, 03 Jun 2024 10:00:02 +0000",
	    "Authentication-Results: spf=pass (sender IP is 192.0.2.99) smtp.mailfrom=bank.example",
	    "Received-SPF: Pass (protection.outlook.com: domain of bank.example designates "
	    "192.0.2.99 as permitted sender) client-ip=192.0.2.99;",
	    "Received: from mail.bank.example (192.0.2.99) by AM0PR01.eurprd01.prod.outlook.com "
	    "with Microsoft SMTP Server; Mon, 3 Jun 2024 10:00:01 +0000",
	    "X-Forefront-Antispam-Report: CIP:192.0.2.99;SFV:NSPM;" },
	  { NULL }, { NULL }, "203.0.113.45", "received:1", "chosen below", "bnnn" },
	{ "forged authserv-id above the hop is not believed",
	  { "Authentication-Results: mx.google.com; spf=pass smtp.remote-ip=192.0.2.98",
	    "Received: from mail.spam.example (mail.spam.example [203.0.113.46]) by "
	    "mx.isp.example (Postfix) with ESMTP; x" },
	  { NULL }, { NULL }, "203.0.113.46", "received:1", "chosen", "n" },
	{ "gmail auto-forward: the sender Gmail saw",
	  { gmail_forward, "X-Forwarded-To: me@desk.example",
	    "X-Forwarded-For: user@gmail.com me@desk.example", gmail_by, gmail_arc, gmail_spf,
	    gmail_entry, "To: user@gmail.com" },
	  { NULL }, { NULL }, "198.51.100.77", "received:3", "forwarded local chosen", "bb" },
	{ "mail from a gmail account is gmail's",
	  { gmail_forward, gmail_by, "To: me@desk.example" },
	  { NULL }, { NULL }, "209.85.220.41", "received:1", "chosen below", "" },
	{ "cable ISP: LMTP and relays of one domain",
	  { cable_lmtp, cable_relay, cable_entry },
	  { NULL }, { NULL }, "198.51.100.20", "received:3", "delivered internal chosen", "" },
	{ "an authenticated submission above a public hop is skipped",
	  { "Received: from [192.0.2.44] (dsl.example.org [192.0.2.44]) by smtp.isp.example "
	    "(Postfix) with ESMTPSA id 4Vw; x",
	    "Received: from mail.spam.example (mail.spam.example [203.0.113.9]) by "
	    "mx.isp.example (Postfix) with ESMTP id 4V; x" },
	  { NULL }, { NULL }, "203.0.113.9", "received:2", "authenticated chosen", "" },
	{ "only an authenticated submission from a public address: its client",
	  { "Received: from ip145.host.example ([203.0.113.145]) by whm.relay.example with "
	    "esmtpsa (TLS1.2) (Exim 4.96) (envelope-from <x@relay.example>) id 1r; x" },
	  { NULL }, { NULL }, "203.0.113.145", "received:1", "chosen", "" },
	{ "only the site's own LMTP deliveries: no hop is the entry",
	  { "Received: from md2.store.cable.example ([198.51.100.12]) by mc19.store.cable.example "
	    "with LMTP id 2G; Thu, 4 Jul 2024 08:35:04 +0200",
	    "Received: from smtpclienthelo ([198.51.100.12]) by md2.store.cable.example with LMTP "
	    "id GO; Thu, 4 Jul 2024 08:35:04 +0200" },
	  { NULL }, { NULL }, "-", "", "delivered delivered", "" },
	{ "only LMTP deliveries, and the site's stamp among them names the client",
	  { "Received: from md2.store.cable.example ([198.51.100.12]) by mc19.store.cable.example "
	    "with LMTP id 2G; Thu, 4 Jul 2024 08:35:04 +0200",
	    "X-SourceIP: 203.0.113.77",
	    "Received: from smtpclienthelo ([198.51.100.12]) by md2.store.cable.example with LMTP "
	    "id GO; Thu, 4 Jul 2024 08:35:04 +0200",
	    "X-Originating-IP: [192.0.2.250]" },
	  { NULL }, { NULL }, "203.0.113.77", "stamp:X-SourceIP", "delivered delivered", "bn" },
	{ "two stamps that disagree among the site's hops: no source",
	  { "Received: from a.store.cable.example ([198.51.100.12]) by b.store.cable.example "
	    "with LMTP id 2G; Thu, 4 Jul 2024 08:35:04 +0200",
	    "X-SourceIP: 203.0.113.77",
	    "Authentication-Results: b.store.cable.example; spf=pass smtp.remote-ip=203.0.113.78",
	    "Received: from c ([198.51.100.12]) by a.store.cable.example with LMTP; x" },
	  { NULL }, { NULL }, "-", "", "delivered delivered", "nn" },
	{ "a HELO in the provider's domain with no hop of its own below is the entry",
	  { "Received: from mx9.cable.example (unknown [198.51.100.21]) by "
	    "mailstore.cable.example with ESMTP; x" },
	  { NULL }, { NULL }, "198.51.100.21", "received:1", "chosen", "" },
	{ "a microsoft name from outside microsoft's networks is the entry",
	  { ms_top,
	    "Received: from mail.protection.outlook.com (203.0.113.60) by "
	    "BN8NAM12FT044.mail.protection.outlook.com (10.13.182.200) with Microsoft SMTP Server; x",
	    "Received: from innocent.example (192.0.2.50) by mail.protection.outlook.com with SMTP; x" },
	  { NULL }, { NULL }, "203.0.113.60", "received:2", "internal chosen below", "" },
	{ "alias forward: the recipient's own domain relays",
	  { "Received: from localhost by hades.rak.example with LMTP id W (envelope-from "
	    "<a@tailor.example>) for <rak>; x",
	    "Delivered-To: rak@rak.example",
	    "Received: from mailly.debian.org (mailly.debian.org [82.195.75.114]) by "
	    "hades.rak.example (OpenSMTPD) with ESMTPS id 5 for <rak@rak.example>; x",
	    "Received: from [193.31.41.211] (port=57973 helo=mta211.tailor.example) by "
	    "mailly.debian.org with esmtp (Exim 4.92) id 1l; x",
	    "To: <rak@debian.org>" },
	  { NULL }, { NULL }, "193.31.41.211", "received:3", "no-ip forwarded chosen", "" },
	{ "a receiver without a domain is inside the site",
	  { "Received: from mx.trap.example (mx.trap.example [217.11.236.91]) by "
	    "prod-smtp-forward02 (Haraka) with ESMTP id 5; x",
	    "Received: from dsl.example.in (unknown [122.180.177.127]) by mx.trap.example "
	    "(Postfix) with ESMTP id 5B; x" },
	  { NULL }, { NULL }, "122.180.177.127", "received:2", "internal chosen", "" },
	{ "the provider's stamp names a hop further down",
	  { "Authentication-Results: mailbox.isp-store.example; spf=pass "
	    "smtp.mailfrom=spam.example smtp.remote-ip=198.51.100.31",
	    "Received: from relay.isp-mail.example (relay.isp-mail.example [192.0.2.30]) by "
	    "mailbox.isp-store.example with ESMTP; x",
	    "Received: from spam.example (spam.example [198.51.100.31]) by relay.isp-mail.example "
	    "with ESMTP; x" },
	  { NULL }, { NULL }, "198.51.100.31", "received:2", "internal chosen", "b" },
	{ "trusted_networks",
	  { "Received: from edge.example.net (edge.example.net [198.51.100.1]) by mx.example.net; x",
	    "Received: from spam.example.com (spam.example.com [203.0.113.50]) by edge.example.net; x" },
	  { "198.51.100.0/24", NULL }, { NULL }, "203.0.113.50", "received:2", "trusted chosen",
	  "" },
	{ "trusted_domains",
	  { "Received: from relay.partner.example (relay.partner.example [192.0.2.70]) by "
	    "mx.desk.example; x",
	    "Received: from spam.example.com (spam.example.com [203.0.113.51]) by "
	    "relay.partner.example; x" },
	  { NULL }, { "partner.example", NULL }, "203.0.113.51", "received:2", "trusted chosen",
	  "" },
	{ "redirect: the Received fields above Resent-* are the user's",
	  { "Received: from user-pc.example (user-pc.example [203.0.113.80]) by mx.desk.example; x",
	    "Resent-From: user@isp.example",
	    "Received: from spam.example (spam.example [198.51.100.90]) by mx.isp.example; x" },
	  { NULL }, { NULL }, "198.51.100.90", "received:2", "resent chosen", "" },
	{ "only the provider's own hops: the lowest",
	  { ms_top, ms_mailbox }, { NULL }, { NULL }, "2603:10b6:408:fe::8", "received:2",
	  "internal chosen", "" },
	{ "every hop private",
	  { "Received: from a (a [10.0.0.1]) by b; x", "Received: from c (c [192.168.1.1]) by a; x" },
	  { NULL }, { NULL }, "-", "", "private private", "" },
	{ "no fields", { NULL }, { NULL }, { NULL }, "-", "", "", "" },
};

static void
test_received_chains(void **state)
{
	struct received_header fields[MAXFIELDS];
	char *copies[MAXFIELDS];
	struct ipnet networks[MAXTRUSTED];
	struct received_trust trust;
	struct received_chain chain;
	struct buf verdicts, stamps;
	char ip[IPADDR_STRLEN];
	size_t i, j, n;
	int rc;

	for (i = 0; i < NROWS(chain_tests); i++) {
		split_fields(chain_tests[i].fields, fields, copies, &n);
		memset(&trust, 0, sizeof trust);
		for (j = 0; j < MAXTRUSTED && chain_tests[i].networks[j] != NULL; j++)
			assert_int_equal(ipnet_parse(chain_tests[i].networks[j], &networks[j]), 0);
		trust.networks = networks;
		trust.nnetworks = j;
		for (j = 0; j < MAXTRUSTED && chain_tests[i].domains[j] != NULL; j++)
			;
		trust.domains = chain_tests[i].domains;
		trust.ndomains = j;
		rc = received_analyse(fields, n, &trust, &chain);
		if (rc == 0)
			ipaddr_format(&chain.source_ip, ip);
		else
			snprintf(ip, sizeof ip, "-");
		buf_init(&verdicts);
		buf_adds(&verdicts, "");
		for (j = 0; j < chain.nhops; j++)
			buf_addf(&verdicts, "%s%s", j > 0 ? " " : "",
			    received_verdict_names[chain.hops[j].verdict]);
		buf_init(&stamps);
		buf_adds(&stamps, "");
		for (j = 0; j < chain.nstamps; j++)
			buf_addc(&stamps, chain.stamps[j].believed ? 'b' : 'n');
		if (strcmp(ip, chain_tests[i].expected) != 0 ||
		    strcmp(chain.rule, chain_tests[i].rule) != 0 ||
		    strcmp(verdicts.data, chain_tests[i].verdicts) != 0 ||
		    strcmp(stamps.data, chain_tests[i].stamps) != 0) {
			print_error("%s: found %s (%s), verdicts \"%s\", stamps \"%s\"\n",
			    chain_tests[i].name, ip, chain.rule, verdicts.data, stamps.data);
			for (j = 0; j < chain.nhops; j++)
				print_error("  hop %zu: %s %s\n", chain.hops[j].position,
				    received_verdict_names[chain.hops[j].verdict],
				    str_or_dash(chain.hops[j].reason));
			for (j = 0; j < chain.nstamps; j++)
				print_error("  stamp %s: %s\n", chain.stamps[j].name,
				    chain.stamps[j].reason);
			fail();
		}
		assert_int_equal(rc, strcmp(chain_tests[i].expected, "-") == 0 ? -1 : 0);
		buf_free(&verdicts);
		buf_free(&stamps);
		received_chain_free(&chain);
		for (j = 0; j < n; j++)
			free(copies[j]);
	}
}

/* ---- provider families ---- */

static const struct {
	const char	*host;
	const char	*family;	/* NULL: none */
} family_tests[] = {
	{ "bn8nam12ft044.mail.protection.outlook.com", "microsoft" },
	{ "bn9pr03ca0123.outlook.office365.com", "microsoft" },
	{ "hotmail.com", "microsoft" },
	{ "mail-sor-f41.google.com", "google" },
	{ "gmail.com", "google" },
	{ "mta34.mail.g9.yahoo.com", "yahoo" },
	{ "resimta-po-31v.sys.comcast.net", "comcast" },
	{ "mout.kundenserver.de", "united-internet" },
	{ "notoutlook.com", NULL },
	{ "outlook.com.example", NULL },
	{ "example.com", NULL },
};

static void
test_families(void **state)
{
	const struct families *builtin = families_builtin();
	struct families *desk;
	struct ipaddr ip;
	const char *family;
	char *err = NULL;
	size_t i;

	for (i = 0; i < NROWS(family_tests); i++) {
		family = families_of_host(builtin, family_tests[i].host);
		if (family_tests[i].family == NULL)
			assert_null(family);
		else {
			assert_non_null(family);
			assert_string_equal(family, family_tests[i].family);
		}
	}
	assert_int_equal(ipaddr_parse("2603:10b6:408:fe::8", &ip), 0);
	assert_string_equal(families_of_ip(builtin, &ip), "microsoft");
	assert_int_equal(families_outside(builtin, "microsoft", &ip), 0);
	assert_int_equal(ipaddr_parse("203.0.113.60", &ip), 0);
	assert_null(families_of_ip(builtin, &ip));
	assert_int_equal(families_outside(builtin, "microsoft", &ip), 1);
	assert_int_equal(families_outside(builtin, "comcast", &ip), 0);

	/* A desk's file: a new family, and more for a known one. */
	desk = families_new();
	assert_int_equal(families_load(desk, "# ours\nacme\tacme-mail.example\n"
	    "\tacme-relay.example 192.0.2.0/24\nmicrosoft contoso-relay.example\n", "desk", &err), 0);
	assert_string_equal(families_of_host(desk, "mx1.acme-relay.example"), "acme");
	assert_string_equal(families_of_host(desk, "a.contoso-relay.example"), "microsoft");
	assert_string_equal(families_of_host(desk, "hotmail.com"), "microsoft");
	assert_int_equal(ipaddr_parse("192.0.2.7", &ip), 0);
	assert_string_equal(families_of_ip(desk, &ip), "acme");
	assert_null(families_of_host(builtin, "mx1.acme-relay.example"));
	assert_int_equal(families_load(desk, "\tstray.example\n", "desk", &err), -1);
	assert_string_equal(err, "desk:1: continuation line without a family name");
	free(err);
	err = NULL;
	assert_int_equal(families_load(desk, "bad good.example\n\t300.1.2.0/24\n", "desk", &err),
	    -1);
	assert_string_equal(err, "desk:2: not a network: 300.1.2.0/24");
	free(err);
	err = NULL;
	assert_int_equal(families_load(desk, "bad not_a..domain\n", "desk", &err), -1);
	free(err);
	assert_null(families_of_host(desk, "good.example"));
	families_free(desk);
}

/* The verdict names are what JSON carries: distinct, and one per enum value. */
static void
test_verdict_names(void **state)
{
	size_t i;

	for (i = 0; i < RECEIVED_NVERDICTS; i++) {
		assert_non_null(received_verdict_names[i]);
		assert_non_null(received_verdict_texts[i]);
		assert_int_equal(names_find(received_verdict_names, received_verdict_names[i]),
		    (int)i);
	}
	assert_null(received_verdict_names[RECEIVED_NVERDICTS]);
	assert_string_equal(received_verdict_names[RECEIVED_CHOSEN], "chosen");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_received_connecting_ip),
		cmocka_unit_test(test_received_source),
		cmocka_unit_test(test_received_hops),
		cmocka_unit_test(test_received_chains),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests_name("received", tests, NULL, NULL);
}
