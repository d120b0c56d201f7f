/* test-report.c: tests report_parse on small complaints: format, status, source IP and domains. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "mimescan.h"
#include "report.h"
#include "util.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])
#define MAXDOMAINS	4

/* The original spam of the ARF cases: a private filter hop above the real source. */
#define ORIGINAL \
	"Received: from filter.fbl.example.net (filter.fbl.example.net [172.16.0.8])\n" \
	"\tby mx1.fbl.example.net (Postfix) with ESMTP id 8192A3B4C5;\n" \
	"\tThu, 06 Jun 2024 09:02:33 +0000 (UTC)\n" \
	"Received: from smtp.casino-example.net (smtp.casino-example.net [203.0.113.9])\n" \
	"\tby filter.fbl.example.net (Postfix) with ESMTP id 92A3B4C5D6;\n" \
	"\tThu, 06 Jun 2024 09:02:31 +0000 (UTC)\n" \
	"From: Casino <vip@casino-example.net>\n" \
	"To: frank@fbl.example.net\n" \
	"Subject: Your casino bonus\n" \
	"Date: Thu, 06 Jun 2024 09:02:30 +0000\n" \
	"Message-ID: <bonus.1717664550@casino-example.net>\n" \
	"Content-Type: text/plain\n" \
	"\n" \
	"Claim 500 free spins: http://play.casino-example.net/spins\n" \
	"Shop: hxxps://www[.]shop.example.co.uk/deal and https://www.w3.org/TR/\n"

/* An ARF complaint whose feedback part holds the given fields. */
#define ARF(fields) \
	"Received: from fbl-out.example.net (fbl-out.example.net [198.51.100.10])\n" \
	"\tby mx.abuse-desk.example.com (Postfix) with ESMTPS id BE7F6504486;\n" \
	"\tThu, 06 Jun 2024 09:10:00 +0000\n" \
	"From: Example FBL <fbl@fbl.example.net>\n" \
	"To: abuse@isp.example.com\n" \
	"Subject: FW: Casino bonus\n" \
	"Date: Thu, 06 Jun 2024 09:10:00 +0000\n" \
	"Message-ID: <fbl-0001@fbl.example.net>\n" \
	"MIME-Version: 1.0\n" \
	"Content-Type: multipart/report; report-type=feedback-report;\n" \
	"\tboundary=\"arf-b\"\n" \
	"\n" \
	"--arf-b\n" \
	"Content-Type: text/plain; charset=us-ascii\n" \
	"\n" \
	"This is an email abuse report. See https://www.fbl-help.example.net/arf-info\n" \
	"\n" \
	"--arf-b\n" \
	"Content-Type: message/feedback-report\n" \
	"\n" \
	"Feedback-Type: abuse\n" \
	"User-Agent: ExampleFBL/2.1\n" \
	"Version: 1\n" \
	fields \
	"Arrival-Date: Thu, 06 Jun 2024 09:02:33 +0000\n" \
	"\n" \
	"--arf-b\n" \
	"Content-Type: message/rfc822\n" \
	"Content-Disposition: inline\n" \
	"\n" \
	ORIGINAL \
	"\n" \
	"--arf-b--\n"

static const char arf_source_ip[] = ARF("Source-IP: 192.0.2.44\n");
static const char arf_source_ipv6[] = ARF("Source-IP: 2001:DB8:0:0:0:0:1:2\n");
static const char arf_bad_source_ip[] = ARF("Source-IP: 999.1.2.3\n");
static const char arf_no_source_ip[] = ARF("");

static const char arf_trusted[] =
    "From: fbl@fbl.example.net\n"
    "Subject: complaint\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: message/feedback-report\n"
    "\n"
    "Feedback-Type: abuse\n"
    "Version: 1\n"
    "\n"
    "--b\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "Received: from edge.example.org (edge.example.org [198.51.100.5]) by mx.example.org;\n"
    "\tThu, 06 Jun 2024 09:02:33 +0000\n"
    "Received: from bulk.example.com (bulk.example.com [203.0.113.20]) by edge.example.org;\n"
    "\tThu, 06 Jun 2024 09:02:32 +0000\n"
    "From: bulk@example.com\n"
    "Subject: deals\n"
    "\n"
    "--b--\n";

static const char xarf_v4[] =
    "{\"xarf_version\": \"4.0.0\", \"type\": \"spam\", \"source_identifier\": \"198.51.100.33\",\n"
    " \"source_type\": \"ipv4\", \"timestamp\": \"2024-06-06T09:02:31Z\",\n"
    " \"reporter\": {\"org\": \"Example\", \"contact\": \"abuse@example.org\"}}\n";

static const char xarf_v4_space[] =
    "\n  {\"xarf_version\": \"4.0.0\", \"source_identifier\": \"[IPv6:2001:db8::33]\"}";

static const char xarf_not_json[] = "{ this is not JSON";

static const char xarf_no_version[] = "{\"hello\": \"world\"}";

static const char forward_rfc822[] =
    "From: Frank <frank@isp.example.com>\n"
    "To: abuse@isp.example.com\n"
    "Subject: Fwd: Cheap watches\n"
    "Date: Thu, 06 Jun 2024 10:00:00 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"fwd\"\n"
    "\n"
    "--fwd\n"
    "Content-Type: text/plain\n"
    "\n"
    "More spam, see attached. My own site is http://frank.example.org/\n"
    "\n"
    "--fwd\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Received: from mx.isp.example.com (mx.isp.example.com [10.0.0.25])\n"
    "\tby mail.isp.example.com; Thu, 06 Jun 2024 09:59:00 +0000\n"
    "Received: from [198.51.100.77] (port=51234 helo=watches.example.com)\n"
    "\tby mx.isp.example.com with esmtp (Exim 4.96); Thu, 06 Jun 2024 09:58:00 +0000\n"
    "From: Watches <sales@watches-example.com>\n"
    "Subject: Cheap watches\n"
    "Message-ID: <w1@watches-example.com>\n"
    "Content-Type: text/html\n"
    "\n"
    "<a href=\"http://www.watches-example.com/buy?a=1&amp;b=2\">Buy</a>\n"
    "<a href=\"https://shop.example.com.au/\">Shop</a>\n"
    "\n"
    "--fwd--\n";

static const char plain_mail[] =
    "From: someone@example.com\n"
    "To: abuse@isp.example.com\n"
    "Subject: hello\n"
    "\n"
    "Just saying hello, nothing to report.\n";

static const char garbage[] = "\x01\x02\x03 this is not mail at all \xff\xfe\n";

static const struct {
	const char		*name;
	const char		*raw;
	size_t			 len;
	const char		*trusted;	/* trusted_networks, NULL for the default */
	enum report_format	 format;
	enum parse_status	 status;
	const char		*source_ip;	/* NULL: none */
	const char		*rule;
	const char		*net;
	const char		*domains[MAXDOMAINS];	/* NULL-terminated */
} parse_tests[] = {
	{ "ARF with Source-IP", arf_source_ip, sizeof arf_source_ip - 1, NULL,
	  REPORT_arf, PARSE_ok, "192.0.2.44", "report-field", "192.0.2.0/24",
	  { "casino-example.net", "example.co.uk" } },
	{ "ARF with an IPv6 Source-IP", arf_source_ipv6, sizeof arf_source_ipv6 - 1, NULL,
	  REPORT_arf, PARSE_ok, "2001:db8::1:2", "report-field", "2001:db8::/48",
	  { "casino-example.net", "example.co.uk" } },
	{ "ARF with an invalid Source-IP", arf_bad_source_ip, sizeof arf_bad_source_ip - 1, NULL,
	  REPORT_arf, PARSE_partial, "203.0.113.9", "received:2", "203.0.113.0/24",
	  { "casino-example.net", "example.co.uk" } },
	{ "ARF without Source-IP", arf_no_source_ip, sizeof arf_no_source_ip - 1, NULL,
	  REPORT_arf, PARSE_ok, "203.0.113.9", "received:2", "203.0.113.0/24",
	  { "casino-example.net", "example.co.uk" } },
	{ "ARF with the source network trusted", arf_no_source_ip, sizeof arf_no_source_ip - 1,
	  "203.0.113.0/24", REPORT_arf, PARSE_ok, NULL, "none", NULL,
	  { "casino-example.net", "example.co.uk" } },
	{ "ARF headers only, first hop trusted", arf_trusted, sizeof arf_trusted - 1,
	  "198.51.100.0/24", REPORT_arf, PARSE_ok, "203.0.113.20", "received:2", "203.0.113.0/24",
	  { NULL } },
	/* Without configuration the reporter's edge relay is known as its own: the receiving and
	 * the sending host share a registrable domain, confirmed by the hop below. */
	{ "ARF headers only, nothing trusted", arf_trusted, sizeof arf_trusted - 1, NULL,
	  REPORT_arf, PARSE_ok, "203.0.113.20", "received:2", "203.0.113.0/24", { NULL } },
	{ "bare X-ARF v4 JSON", xarf_v4, sizeof xarf_v4 - 1, NULL,
	  REPORT_xarf, PARSE_ok, "198.51.100.33", "xarf", "198.51.100.0/24", { NULL } },
	{ "bare X-ARF v4 JSON after white space", xarf_v4_space, sizeof xarf_v4_space - 1, NULL,
	  REPORT_xarf, PARSE_ok, "2001:db8::33", "xarf", "2001:db8::/48", { NULL } },
	{ "bare JSON that is not JSON", xarf_not_json, sizeof xarf_not_json - 1, NULL,
	  REPORT_unknown, PARSE_unparsed, NULL, "none", NULL, { NULL } },
	{ "bare JSON that is not X-ARF", xarf_no_version, sizeof xarf_no_version - 1, NULL,
	  REPORT_unknown, PARSE_unparsed, NULL, "none", NULL, { NULL } },
	{ "forward as message/rfc822", forward_rfc822, sizeof forward_rfc822 - 1, NULL,
	  REPORT_forwarded, PARSE_ok, "198.51.100.77", "received:2", "198.51.100.0/24",
	  { "watches-example.com", "example.com.au" } },
	{ "mail that is no report", plain_mail, sizeof plain_mail - 1, NULL,
	  REPORT_unknown, PARSE_unparsed, NULL, "none", NULL, { NULL } },
	{ "empty input", "", 0, NULL,
	  REPORT_unknown, PARSE_unparsed, NULL, "none", NULL, { NULL } },
	{ "garbage", garbage, sizeof garbage - 1, NULL,
	  REPORT_unknown, PARSE_unparsed, NULL, "none", NULL, { NULL } },
};

/* Both NULL, or equal strings. */
static int
str_same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static const char *
str_or_null(const char *s)
{
	return s != NULL ? s : "(null)";
}

static void
test_report_parse(void **state)
{
	struct conf conf;
	struct report r;
	char *raw, *err;
	size_t i, k, n;

	for (i = 0; i < NROWS(parse_tests); i++) {
		assert_int_equal(conf_load(&conf, "/dev/null"), 0);
		err = NULL;
		if (parse_tests[i].trusted != NULL)
			assert_int_equal(conf_set(&conf, "trusted_networks", parse_tests[i].trusted,
			    &err), 0);
		/* Exactly len bytes on the heap, so that valgrind sees a read past the end. */
		raw = malloc(parse_tests[i].len > 0 ? parse_tests[i].len : 1);
		assert_non_null(raw);
		memcpy(raw, parse_tests[i].raw, parse_tests[i].len);
		report_parse(raw, parse_tests[i].len, &conf, &r);

		if (r.format != parse_tests[i].format || r.status != parse_tests[i].status)
			print_error("%s: %s/%s, expected %s/%s (%s)\n", parse_tests[i].name,
			    report_format_name(r.format), parse_status_name(r.status),
			    report_format_name(parse_tests[i].format),
			    parse_status_name(parse_tests[i].status),
			    r.errors.data != NULL ? r.errors.data : "no errors");
		assert_string_equal(report_format_name(r.format),
		    report_format_name(parse_tests[i].format));
		assert_string_equal(parse_status_name(r.status),
		    parse_status_name(parse_tests[i].status));
		/* A status other than ok always says why. */
		if (r.status == PARSE_ok)
			assert_int_equal(r.errors.len, 0);
		else
			assert_true(r.errors.len > 0);

		if (!str_same(r.source_ip, parse_tests[i].source_ip) ||
		    !str_same(r.source_ip_rule, parse_tests[i].rule) ||
		    !str_same(r.source_net, parse_tests[i].net))
			print_error("%s: source %s by %s in %s, expected %s by %s in %s\n",
			    parse_tests[i].name, str_or_null(r.source_ip),
			    str_or_null(r.source_ip_rule), str_or_null(r.source_net),
			    str_or_null(parse_tests[i].source_ip), parse_tests[i].rule,
			    str_or_null(parse_tests[i].net));
		if (parse_tests[i].source_ip == NULL) {
			assert_null(r.source_ip);
			assert_null(r.source_net);
		} else {
			assert_non_null(r.source_ip);
			assert_string_equal(r.source_ip, parse_tests[i].source_ip);
			assert_non_null(r.source_net);
			assert_string_equal(r.source_net, parse_tests[i].net);
		}
		assert_non_null(r.source_ip_rule);
		assert_string_equal(r.source_ip_rule, parse_tests[i].rule);

		for (n = 0; n < MAXDOMAINS && parse_tests[i].domains[n] != NULL; n++)
			;
		if (r.domains.count != n)
			print_error("%s: %zu domains (first %s), expected %zu\n", parse_tests[i].name,
			    r.domains.count, r.domains.count > 0 ? r.domains.items[0] : "-", n);
		assert_int_equal(r.domains.count, n);
		for (k = 0; k < n; k++) {
			if (strcmp(r.domains.items[k], parse_tests[i].domains[k]) != 0)
				print_error("%s: domain %zu \"%s\", expected \"%s\"\n",
				    parse_tests[i].name, k, r.domains.items[k],
				    parse_tests[i].domains[k]);
			assert_string_equal(r.domains.items[k], parse_tests[i].domains[k]);
		}
		report_free(&r);
		free(raw);
		conf_free(&conf);
	}
}

/* The other fields of the ARF case: feedback fields, the original's headers and its URLs. */
static void
test_report_arf_fields(void **state)
{
	static const char *const urls[] = {
		"http://play.casino-example.net/spins",
		"https://www.shop.example.co.uk/deal",
	};
	struct conf conf;
	struct report r;
	size_t i;

	assert_int_equal(conf_load(&conf, "/dev/null"), 0);
	report_parse(arf_source_ip, sizeof arf_source_ip - 1, &conf, &r);
	assert_string_equal(r.feedback_type, "abuse");
	assert_string_equal(r.user_agent, "ExampleFBL/2.1");
	assert_string_equal(r.version, "1");
	assert_non_null(r.reporter);
	assert_non_null(strstr(r.reporter, "fbl@fbl.example.net"));
	assert_int_equal(r.arrival_date, 1717664553);	/* 2024-06-06T09:02:33Z */
	assert_int_equal(r.complaint_date, 1717665000);	/* 2024-06-06T09:10:00Z */
	assert_string_equal(r.original_message_id, "bonus.1717664550@casino-example.net");
	assert_string_equal(r.original_subject, "Your casino bonus");
	assert_true(strlist_contains(&r.fields, "Source-IP: 192.0.2.44"));
	assert_true(strlist_contains(&r.fields, "Feedback-Type: abuse"));
	/* The complaint's own text is not scanned, and w3.org is on the default allowlist. */
	if (r.nurls != NROWS(urls))
		print_error("%zu URLs, first %s\n", r.nurls, r.nurls > 0 ? r.urls[0].url : "-");
	assert_int_equal(r.nurls, NROWS(urls));
	for (i = 0; i < NROWS(urls); i++)
		assert_string_equal(r.urls[i].url, urls[i]);
	assert_string_equal(r.urls[1].host, "www.shop.example.co.uk");
	assert_string_equal(r.urls[1].domain, "example.co.uk");
	report_free(&r);
	conf_free(&conf);
}

/* The names of formats and statuses, in enum order. */
static void
test_report_names(void **state)
{
	static const char *const formats[] = { "arf", "xarf", "spamcop", "forwarded", "cfbl", "raw",
	    "notice", "unknown" };
	static const char *const statuses[] = { "ok", "partial", "unparsed" };
	size_t i;

	for (i = 0; i < NROWS(formats); i++)
		assert_string_equal(report_format_name((enum report_format)i), formats[i]);
	for (i = 0; i < NROWS(statuses); i++)
		assert_string_equal(parse_status_name((enum parse_status)i), statuses[i]);
}

/* ---- MIME nesting deeper than max_mime_depth ---- */

/* depth multipart/mixed parts, each inside the one before, the innermost holding a text part;
 * broken: the innermost multipart has no delimiter line at all (GMime warns about it). */
static void
add_chain(struct buf *b, int depth, int broken)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_addf(b, "Content-Type: multipart/mixed; boundary=\"c%d\"\n\n--c%d\n", i, i);
	if (broken)
		buf_adds(b, "Content-Type: multipart/mixed; boundary=\"broken\"\n\nno delimiter\n");
	else
		buf_adds(b, "Content-Type: text/plain\n\nat the bottom: http://bottom-example.com/\n");
	for (i = depth; i-- > 0;)
		buf_addf(b, "--c%d--\n", i);
}

/* The body of an original whose multiparts nest levels deep, each with a text part first that
 * advertises levelN-example.com (N its depth inside the original, 0 for the outermost). */
static void
add_levels(struct buf *b, int levels)
{
	int i;

	for (i = 0; i < levels; i++)
		buf_addf(b, "Content-Type: multipart/mixed; boundary=\"o%d\"\n\n--o%d\n"
		    "Content-Type: text/plain\n\nhttp://level%d-example.com/\n--o%d\n", i, i, i, i);
	buf_adds(b, "Content-Type: text/plain\n\nthe end\n");
	for (i = levels; i-- > 0;)
		buf_addf(b, "--o%d--\n", i);
}

/* A forward of a spam from 198.51.100.77; original_levels 0: the spam is one text part. A third
 * part, when chain > 0 or broken, is add_chain's. */
static void
deep_forward(struct buf *b, int original_levels, int chain, int broken)
{
	buf_adds(b,
	    "From: Frank <frank@isp.example.com>\n"
	    "To: abuse@isp.example.com\n"
	    "Subject: Fwd: deep\n"
	    "Date: Thu, 06 Jun 2024 10:00:00 +0000\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"fwd\"\n"
	    "\n"
	    "--fwd\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "See the attached spam.\n"
	    "--fwd\n"
	    "Content-Type: message/rfc822\n"
	    "\n"
	    "Received: from [198.51.100.77] (helo=spam.example)\n"
	    "\tby mx.isp.example.com with esmtp; Thu, 06 Jun 2024 09:58:00 +0000\n"
	    "From: Spam <sales@shop-example.com>\n"
	    "Subject: Deals\n"
	    "Message-ID: <deep@shop-example.com>\n");
	if (original_levels > 0)
		add_levels(b, original_levels);
	else
		buf_adds(b, "Content-Type: text/plain\n\nBuy at http://www.shop-example.com/\n");
	if (chain > 0 || broken) {
		buf_adds(b, "--fwd\n");
		add_chain(b, chain, broken);
	}
	buf_adds(b, "--fwd--\n");
}

#define DEEP_NOTE(n)	"MIME nesting deeper than " #n "; the rest was not read"

static const struct {
	const char		*name;
	const char		*max_depth;	/* NULL: the default, 32 */
	int			 original_levels;
	int			 chain;
	int			 broken;
	enum parse_status	 status;
	const char		*errors;
	const char		*domains[6];	/* NULL-terminated */
} deep_tests[] = {
	/* At and under the limit: read as it always was. The third part sits at depth 1, so a
	 * chain of 31 puts its text part at depth 32. */
	{ "a part at depth 32", NULL, 0, 31, 0, PARSE_ok, "", { "shop-example.com" } },
	{ "an original nested to the limit", "4", 4, 0, 0, PARSE_ok, "",
	  { "level0-example.com", "level1-example.com", "level2-example.com",
	    "level3-example.com" } },
	/* One level deeper: the walk itself notes it, as it did. */
	{ "a part at depth 33", NULL, 0, 32, 0, PARSE_partial, DEEP_NOTE(32),
	  { "shop-example.com" } },
	/* Far deeper than GMime's own limit (1024 levels): GMime never gets there, so nothing
	 * says the message is truncated or broken, and the parts above are all read. */
	{ "2,000 nested multiparts", NULL, 0, 2000, 0, PARSE_partial, DEEP_NOTE(32),
	  { "shop-example.com" } },
	/* A broken multipart below the limit is not parsed, so GMime has nothing to warn about. */
	{ "a broken multipart at depth 41", NULL, 0, 40, 1, PARSE_partial, DEEP_NOTE(32),
	  { "shop-example.com" } },
	/* Nesting is counted through the attached message, as GMime stacks the boundaries: the
	 * original sits inside the forward's multipart, so of its six levels the fifth is the
	 * first one too deep. What lies above is read; the report says the rest was not. */
	{ "an original nested deeper than the limit", "4", 6, 0, 0, PARSE_partial, DEEP_NOTE(4),
	  { "level0-example.com", "level1-example.com", "level2-example.com",
	    "level3-example.com" } },
};

static void
test_report_deep(void **state)
{
	struct conf conf;
	struct report r;
	struct buf b;
	char *err;
	size_t i, k, n;

	for (i = 0; i < NROWS(deep_tests); i++) {
		assert_int_equal(conf_load(&conf, "/dev/null"), 0);
		err = NULL;
		if (deep_tests[i].max_depth != NULL)
			assert_int_equal(conf_set(&conf, "max_mime_depth", deep_tests[i].max_depth,
			    &err), 0);
		buf_init(&b);
		deep_forward(&b, deep_tests[i].original_levels, deep_tests[i].chain,
		    deep_tests[i].broken);
		report_parse(b.data, b.len, &conf, &r);

		if (r.status != deep_tests[i].status ||
		    strcmp(r.errors.len > 0 ? r.errors.data : "", deep_tests[i].errors) != 0)
			print_error("%s: %s (%s), expected %s (%s)\n", deep_tests[i].name,
			    parse_status_name(r.status), r.errors.len > 0 ? r.errors.data : "",
			    parse_status_name(deep_tests[i].status), deep_tests[i].errors);
		assert_string_equal(report_format_name(r.format), "forwarded");
		assert_string_equal(parse_status_name(r.status),
		    parse_status_name(deep_tests[i].status));
		assert_string_equal(r.errors.len > 0 ? r.errors.data : "", deep_tests[i].errors);
		/* The parts above the limit are read: the original's headers and its source. */
		assert_non_null(r.source_ip);
		assert_string_equal(r.source_ip, "198.51.100.77");
		assert_string_equal(r.original_subject, "Deals");
		for (n = 0; deep_tests[i].domains[n] != NULL; n++)
			;
		if (r.domains.count != n)
			print_error("%s: %zu domains (first %s), expected %zu\n", deep_tests[i].name,
			    r.domains.count, r.domains.count > 0 ? r.domains.items[0] : "-", n);
		assert_int_equal(r.domains.count, n);
		for (k = 0; k < n; k++)
			assert_string_equal(r.domains.items[k], deep_tests[i].domains[k]);
		report_free(&r);
		buf_free(&b);
		conf_free(&conf);
	}
}

/* mimescan_bound on its own: what GMime is given. out NULL: the message is left as it is. */
static const struct {
	const char	*name;
	const char	*raw;
	long		 max_depth;
	size_t		 cuts;
	const char	*out;
} bound_tests[] = {
	{ "flat", "Content-Type: multipart/mixed; boundary=a\n\n--a\n\nx\n--a\n\ny\n--a--\n",
	  1, 0, NULL },
	{ "two levels, limit 1", "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n", 1, 0, NULL },
	{ "three levels, limit 1: the third is emptied",
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	  "Content-Type: multipart/mixed; boundary=c\n\n--c\n\ndeep\n--c--\n--b--\n--a--\n", 1, 1,
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	  "Content-Type: multipart/mixed; boundary=c\n\n--c--\n--b--\n--a--\n" },
	{ "CRLF, quoted boundary, a parent's boundary ends the cut",
	  "Content-Type: multipart/mixed;\r\n boundary=\"a b\"\r\n\r\n--a b\r\n"
	  "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--a b--  \r\n", 0, 1,
	  "Content-Type: multipart/mixed;\r\n boundary=\"a b\"\r\n\r\n--a b\r\n"
	  "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c--\n--a b--  \r\n" },
	{ "the last Content-Type counts",
	  "Content-Type: multipart/mixed; boundary=a\nContent-Type: text/plain\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n", 0, 0, NULL },
	{ "a boundary line ends a part's header block",
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n--a\n"
	  "Content-Type: multipart/mixed; boundary=c\n\n--c\n\nx\n--c--\n--a--\n", 0, 1,
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n--a\n"
	  "Content-Type: multipart/mixed; boundary=c\n\n--c--\n--a--\n" },
	{ "an attached message's multipart counts",
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n\n"
	  "From: x@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n"
	  "--a--\n", 0, 1,
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n\n"
	  "From: x@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b--\n--a--\n" },
	{ "a digest's parts are messages by default",
	  "Content-Type: multipart/digest; boundary=a\n\n--a\n\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n", 0, 1,
	  "Content-Type: multipart/digest; boundary=a\n\n--a\n\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b--\n--a--\n" },
	{ "a base64 message/rfc822 is no message",
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n"
	  "Content-Transfer-Encoding: base64\n\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n", 0, 0, NULL },
	{ "cut up to the end, no final newline",
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx", 0, 1,
	  "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	  "Content-Type: multipart/mixed; boundary=b\n\n--b--\n" },
	{ "a header block that never ends", "Content-Type: multipart/mixed; boundary=a", 0, 0,
	  NULL },
	{ "a lone CR", "\r", 1, 0, NULL },
	{ "nothing", "", 1, 0, NULL },
};

static void
test_mimescan_bound(void **state)
{
	struct buf out;
	size_t i, len, cuts;
	char *raw;

	for (i = 0; i < NROWS(bound_tests); i++) {
		/* Exactly len bytes on the heap, not NUL-terminated: a read past the end shows. */
		len = strlen(bound_tests[i].raw);
		raw = malloc(len > 0 ? len : 1);
		assert_non_null(raw);
		memcpy(raw, bound_tests[i].raw, len);
		buf_init(&out);
		cuts = mimescan_bound(raw, len, bound_tests[i].max_depth, &out);
		if (cuts != bound_tests[i].cuts)
			print_error("%s: %zu cuts, expected %zu\n", bound_tests[i].name, cuts,
			    bound_tests[i].cuts);
		assert_int_equal(cuts, bound_tests[i].cuts);
		if (bound_tests[i].out == NULL)
			assert_int_equal(out.len, 0);
		else {
			assert_non_null(out.data);
			if (strcmp(out.data, bound_tests[i].out) != 0)
				print_error("%s: got\n%s\n", bound_tests[i].name, out.data);
			assert_string_equal(out.data, bound_tests[i].out);
		}
		buf_free(&out);
		free(raw);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_parse),
		cmocka_unit_test(test_report_arf_fields),
		cmocka_unit_test(test_report_names),
		cmocka_unit_test(test_report_deep),
		cmocka_unit_test(test_mimescan_bound),
	};

	report_init();
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
