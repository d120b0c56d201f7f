/* test-urls.c: tests refanging, HTML decoding, URL scanning, hosts, host names, registrable
 * domains, lists, the gateways' link rewriters, public suffixes and SMTP dot-stuffing. */

#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "urls.h"
#include "util.h"

#define MAXURLS		6

/* ---- urls_refang ---- */

static const struct {
	const char	*input;
	const char	*expected;
} refang_tests[] = {
	{ "hxxp://example.com/", "http://example.com/" },
	{ "hxxps://example.com/", "https://example.com/" },
	{ "HXXPS://example.com/", "https://example.com/" },
	{ "h**p://example.com/", "http://example.com/" },
	{ "h**ps://example.com/", "https://example.com/" },
	{ "h__p://example.com/", "http://example.com/" },
	{ "example[.]com", "example.com" },
	{ "example(.)com", "example.com" },
	{ "example{.}com", "example.com" },
	{ "example[dot]com", "example.com" },
	{ "example(dot)com", "example.com" },
	{ "example{dot}com", "example.com" },
	{ "example [dot] com", "example.com" },
	{ "example [.] com", "example.com" },
	{ "example (DOT) com", "example.com" },
	{ "www[.]shop[.]example[.]net", "www.shop.example.net" },
	{ "hxxp[:]//example[.]com", "http://example.com" },
	{ "hxxp[://]example[.]com[/]path", "http://example.com/path" },
	{ "see hxxps://bad[.]example[.]org/x today", "see https://bad.example.org/x today" },
	{ "ahxxpb", "ahxxpb" },
	{ "xhxxp://example.com", "xhxxp://example.com" },
	{ "(hxxp://example.com)", "(http://example.com)" },
	{ "http://example.com/", "http://example.com/" },
	{ "Just a normal sentence. (Really.) [sic]", "Just a normal sentence. (Really.) [sic]" },
	{ "a dotted (dotty) line", "a dotted (dotty) line" },
	{ "", "" },
};

static void
test_urls_refang(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(refang_tests); i++) {
		got = urls_refang(refang_tests[i].input, strlen(refang_tests[i].input));
		unit_check_str(got, refang_tests[i].expected, "urls_refang(\"%s\")",
		    refang_tests[i].input);
		free(got);
	}
}

/* Only len bytes are read: what follows is not refanged. */
static void
test_urls_refang_len(void **state)
{
	char *got = urls_refang("hxxp://a[.]b and more", 4);

	assert_string_equal(got, "http");
	free(got);
	got = urls_refang("example[.]com", 8);
	assert_string_equal(got, "example[");
	free(got);
}

/* ---- urls_html_decode ---- */

static const struct {
	const char	*input;
	const char	*expected;
} html_tests[] = {
	{ "a &amp; b", "a & b" },
	{ "http://example&#46;com", "http://example.com" },
	{ "http://example&#x2e;com", "http://example.com" },
	{ "http://example&#X2E;com", "http://example.com" },
	{ "http&#58;//example.com", "http://example.com" },
	{ "http&#x3a;&#x2f;&#x2f;example.com", "http://example.com" },
	{ "&quot;quoted&quot;", "\"quoted\"" },
	{ "&lt;b&gt;", "<b>" },
	{ "it&apos;s", "it's" },
	{ "a&nbsp;b", "a b" },
	{ "http&colon;&sol;&sol;example&period;com", "http://example.com" },
	{ "?a=1&amp;b=2", "?a=1&b=2" },
	{ "&amp", "&" },
	{ "&#46", "." },
	{ "&#233;", "\xc3\xa9" },
	{ "&#x1F600;", "\xf0\x9f\x98\x80" },
	{ "&unknown;", "&unknown;" },
	{ "&ampere;", "&ampere;" },
	{ "&AMP;", "&AMP;" },
	{ "a & b", "a & b" },
	{ "a &", "a &" },
	{ "&", "&" },
	{ "&#", "&#" },
	{ "&#;", "&#;" },
	{ "&#x;", "&#x;" },
	{ "&#0;", "&#0;" },
	{ "&#xd800;", "&#xd800;" },
	{ "&#x110000;", "&#x110000;" },
	{ "?a=1&b=2", "?a=1&b=2" },
	{ "", "" },
};

static void
test_urls_html_decode(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(html_tests); i++) {
		got = urls_html_decode(html_tests[i].input, strlen(html_tests[i].input));
		unit_check_str(got, html_tests[i].expected, "urls_html_decode(\"%s\")",
		    html_tests[i].input);
		free(got);
	}
}

/* ---- urls_scan ---- */

static const struct {
	const char	*input;
	const char	*expected[MAXURLS];	/* NULL-terminated */
} scan_tests[] = {
	{ "Visit http://example.com/offer now", { "http://example.com/offer" } },
	{ "HTTPS://Example.COM/A?b=c&d=e#f", { "HTTPS://Example.COM/A?b=c&d=e#f" } },
	{ "Go to http://example.com.", { "http://example.com" } },
	{ "Go to http://example.com/path, then", { "http://example.com/path" } },
	{ "Really? http://example.com/x?!", { "http://example.com/x" } },
	{ "end: http://example.com/a;", { "http://example.com/a" } },
	{ "(see http://example.com/a)", { "http://example.com/a" } },
	{ "(see http://example.com/a).", { "http://example.com/a" } },
	{ "[http://example.com/x]", { "http://example.com/x" } },
	{ "*http://example.com/bold*", { "http://example.com/bold" } },
	{ "<http://example.com/angle>", { "http://example.com/angle" } },
	{ "\"http://example.com/q\"", { "http://example.com/q" } },
	{ "'http://example.com/s'", { "http://example.com/s" } },
	{ "<a href=\"http://example.com/link\">click</a>", { "http://example.com/link" } },
	{ "<a href='https://example.net/x?a=1&b=2'>x</a>", { "https://example.net/x?a=1&b=2" } },
	{ "<a href=\"https://example.net/\"><img src=\"http://cdn.example.org/i.png\"></a>",
	  { "https://example.net/", "http://cdn.example.org/i.png" } },
	{ "www.example.com", { "www.example.com" } },
	{ "Buy at www.shop.example.net/deal!", { "www.shop.example.net/deal" } },
	{ "WWW.EXAMPLE.COM/x", { "WWW.EXAMPLE.COM/x" } },
	{ "http://www.example.com/", { "http://www.example.com/" } },
	{ "a http://example.com/1 b http://example.com/1 c http://example.com/2",
	  { "http://example.com/1", "http://example.com/2" } },
	{ "first http://b.example/ then http://a.example/",
	  { "http://b.example/", "http://a.example/" } },
	{ "two lines\nhttp://example.com/a\nhttp://example.com/b\r\n",
	  { "http://example.com/a", "http://example.com/b" } },
	{ "tab\thttp://example.com/t\tend", { "http://example.com/t" } },
	{ "http://user:pw@example.com:8080/p", { "http://user:pw@example.com:8080/p" } },
	{ "https://192.0.2.1/login", { "https://192.0.2.1/login" } },
	{ "nohttp://example.com/", { NULL } },
	{ "xwww.example.com", { NULL } },
	{ "foo.www.example.com", { NULL } },
	{ "my-www.example.com", { NULL } },
	{ "mail me: user@www.example.com", { NULL } },
	{ "see /www.example.com", { NULL } },
	{ "www.", { NULL } },
	{ "www..example", { NULL } },
	{ "http://", { NULL } },
	{ "http:// example.com", { NULL } },
	{ "http://localhost/", { NULL } },
	{ "ftp://example.com/file", { NULL } },
	{ "no links here at all.", { NULL } },
	{ "", { NULL } },
	/* BUG: a balanced closing parenthesis is stripped as trailing punctuation. */
	{ "http://en.example.org/wiki/Foo_(bar) and", { "http://en.example.org/wiki/Foo_(bar)" } },
	{ "(http://en.example.org/wiki/Foo_(bar))", { "http://en.example.org/wiki/Foo_(bar)" } },
	/* BUG: the closing bracket of an IPv6 literal is stripped as trailing punctuation. */
	{ "at http://[2001:db8::1] now", { "http://[2001:db8::1]" } },
	{ "at http://[2001:db8::1]/x now", { "http://[2001:db8::1]/x" } },
	/* Hosts that are no host name are left out (issue 12): dot-stuffing damage and worse. */
	{ "see http://www..example.com/offer now", { NULL } },
	{ "http://a..b.example.com/ and http://ok.example.com/", { "http://ok.example.com/" } },
	{ "http://exa;mple.com/", { NULL } },
	{ "http://a(b).example.com/", { NULL } },
	{ "http://a=b&c.example.com/", { NULL } },
	{ "http://ex%00ample.com/", { NULL } },
	{ "www.shop..example.net/x", { NULL } },
	{ "http://[not-an-address]/", { NULL } },
	/* Percent-encoded hosts are what browsers decode: kept, as written. */
	{ "http://ex%41mple.com/x", { "http://ex%41mple.com/x" } },
	/* The recipient's gateway's wrappers give the spammer's URL. */
	{ "<a href=\"https://urldefense.com/v3/__https://pharma-example.com/x__;!!AbC!dEf$\">",
	  { "https://pharma-example.com/x" } },
	{ "<a href=\"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fpills-"
	  "example.net%2F&data=05%7C01&reserved=0\">x</a> and https://pills-example.net/",
	  { "https://pills-example.net/" } },
	{ "https://urldefense.com/v3/__https://www..example.com/x__;!!AbC!dEf$",
	  { "https://urldefense.com/v3/__https://www..example.com/x__;!!AbC!dEf$" } },
	{ "https://bit.ly/3abcDEF", { "https://bit.ly/3abcDEF" } },
};

static void
test_urls_scan(void **state)
{
	struct strlist got;
	size_t i, n, k;

	for (i = 0; i < NROWS(scan_tests); i++) {
		memset(&got, 0, sizeof got);
		urls_scan(scan_tests[i].input, strlen(scan_tests[i].input), &got, 1000);
		for (n = 0; n < MAXURLS && scan_tests[i].expected[n] != NULL; n++)
			;
		if (got.count != n)
			print_error("urls_scan(\"%s\"): %zu URLs (first \"%s\"), expected %zu\n",
			    scan_tests[i].input, got.count,
			    got.count > 0 ? got.items[0] : "", n);
		assert_int_equal(got.count, n);
		for (k = 0; k < n; k++) {
			if (strcmp(got.items[k], scan_tests[i].expected[k]) != 0)
				print_error("urls_scan(\"%s\"): URL %zu \"%s\", expected \"%s\"\n",
				    scan_tests[i].input, k, got.items[k], scan_tests[i].expected[k]);
			assert_string_equal(got.items[k], scan_tests[i].expected[k]);
		}
		strlist_free(&got);
	}
}

/* URLs already on the list are not added again, and only len bytes are read. */
static void
test_urls_scan_list(void **state)
{
	struct strlist list = { 0 };
	const char *text = "http://example.com/a http://example.com/b";

	strlist_add(&list, "http://example.com/a");
	urls_scan(text, strlen(text), &list, 1000);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.items[0], "http://example.com/a");
	assert_string_equal(list.items[1], "http://example.com/b");
	strlist_free(&list);

	urls_scan(text, strlen("http://example.com/a http://exa"), &list, 1000);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0], "http://example.com/a");
	strlist_free(&list);
}

/* ---- urls_host ---- */

static const struct {
	const char	*url;
	const char	*expected;	/* NULL: no host */
} host_tests[] = {
	{ "http://example.com/", "example.com" },
	{ "http://example.com", "example.com" },
	{ "https://Shop.EXAMPLE.com/Path", "shop.example.com" },
	{ "HTTP://EXAMPLE.ORG", "example.org" },
	{ "http://example.com:8080/x", "example.com" },
	{ "http://example.com:8080", "example.com" },
	{ "http://user@example.com/", "example.com" },
	{ "http://user:pass@example.com:443/", "example.com" },
	{ "http://a@b@example.com/", "example.com" },
	{ "http://example.com./", "example.com" },
	{ "http://example.com?q=1", "example.com" },
	{ "http://example.com#frag", "example.com" },
	{ "http://example.com\\evil", "example.com" },
	{ "www.example.net/deal", "www.example.net" },
	{ "WWW.Example.NET", "www.example.net" },
	{ "http://b\xc3\xbc" "cher.example/", "xn--bcher-kva.example" },
	{ "http://B\xc3\x9c" "CHER.example/", "xn--bcher-kva.example" },
	{ "https://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84/",
	  "xn--e1afmkfd.xn--p1ai" },
	{ "http://xn--bcher-kva.example/", "xn--bcher-kva.example" },
	{ "http://192.0.2.1/login", "192.0.2.1" },
	{ "http://192.0.2.1:8080/", "192.0.2.1" },
	{ "http://[2001:db8::1]/", "2001:db8::1" },
	{ "http://[2001:db8::1]:8080/x", "2001:db8::1" },
	{ "http://[2001:db8::1/", NULL },
	{ "http:///path", NULL },
	{ "http://", NULL },
	{ "http://:80/", NULL },
	{ "http://user@/", NULL },
	{ "http://./", NULL },
	{ "http://b\xfc" "cher.example/", NULL },
	/* BUG: an IPv6 literal host is returned as written, not in lower case. */
	{ "http://[2001:DB8::A]/", "2001:db8::a" },
	/* Only host names and IP literals (issue 12). */
	{ "http://www..example.com/", NULL },
	{ "http://a..b.com/", NULL },
	{ "http://.example.com/", NULL },
	{ "http://example.com../", NULL },
	{ "http://exa;mple.com/", NULL },
	{ "http://a(b).com/", NULL },
	{ "http://a=b&c.com/", NULL },
	{ "http://ev il.com/", NULL },
	{ "http://ev\"il.com/", NULL },
	{ "http://*.example.com/", NULL },
	{ "http://[192.0.2.1]/", NULL },
	{ "http://[2001:db8::1]evil.com/", NULL },
	{ "http://[nope]/", NULL },
	/* Percent-encoding in a host: decoded first, as browsers do (WHATWG URL host parsing). */
	{ "http://ex%41mple.com/", "example.com" },
	{ "http://www%2Eexample%2ecom/", "www.example.com" },
	{ "http://b%C3%BCcher.example/", "xn--bcher-kva.example" },
	{ "http://ex%00ample.com/", NULL },
	{ "http://ex%2Fample.com/", NULL },
	{ "http://ex%3Bample.com/", NULL },
	{ "http://ex%ZZample.com/", NULL },
	{ "http://ex%FFample.com/", NULL },
	{ "http://ex%4", NULL },
};

static void
test_urls_host(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(host_tests); i++) {
		got = urls_host(host_tests[i].url);
		unit_check_str(got, host_tests[i].expected, "urls_host(\"%s\")", host_tests[i].url);
		free(got);
	}
}

/* ---- urls_valid_host and urls_host_name: case keys ---- */

#define L63	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L50	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const struct {
	const char	*host;
	int		 expected;
} valid_host_tests[] = {
	{ "example.com", 1 },
	{ "Shop.Example.CO.UK", 1 },
	{ "a-b.example.com", 1 },
	{ "my_shop.example.com", 1 },	/* DNS allows it and links use it */
	{ "_dmarc.example.com", 1 },
	{ "-a-.example.com", 1 },	/* hyphen position: not checked, as browsers do not */
	{ "xn--bcher-kva.example", 1 },
	{ "localhost", 1 },
	{ "192.0.2.1", 1 },		/* LDH; urls_registrable refuses it */
	{ L63 ".com", 1 },
	{ "a" L63 ".com", 0 },		/* a label of 64 */
	{ L63 "." L63 "." L63 "." L50 "." "bbbbbbbbbb", 1 },	/* 253 */
	{ L63 "." L63 "." L63 "." L50 "." "bbbbbbbbbbb", 0 },	/* 254 */
	{ "", 0 },
	{ ".", 0 },
	{ "example.com.", 0 },		/* canonical form: no trailing dot */
	{ ".example.com", 0 },
	{ "a..example.com", 0 },
	{ "ev\"il.com", 0 },
	{ "ev\x1b[2j.com", 0 },
	{ "ev il.com", 0 },
	{ "ev\til.com", 0 },
	{ "ev\nil.com", 0 },
	{ "exa;mple.com", 0 },
	{ "ex%41mple.com", 0 },
	{ "a(b).com", 0 },
	{ "user@example.com", 0 },
	{ "example.com:80", 0 },
	{ "example.com/x", 0 },
	{ "2001:db8::1", 0 },
	{ "caf\xc3\xa9.com", 0 },	/* not ASCII: urls_host_name converts first */
	{ "ev\xe2\x80\xae" "il.com", 0 },
};

static void
test_urls_valid_host(void **state)
{
	size_t i;
	int got;

	for (i = 0; i < NROWS(valid_host_tests); i++) {
		got = urls_valid_host(valid_host_tests[i].host);
		if (got != valid_host_tests[i].expected)
			print_error("urls_valid_host(\"%s\"): %d, expected %d\n",
			    valid_host_tests[i].host, got, valid_host_tests[i].expected);
		assert_int_equal(got, valid_host_tests[i].expected);
	}
}

static const struct {
	const char	*name;
	const char	*expected;	/* NULL: not a host name */
} host_name_tests[] = {
	{ "example.com", "example.com" },
	{ "WWW.Shop.Example.CO.UK", "www.shop.example.co.uk" },
	{ "example.com.", "example.com" },
	{ "my_shop.example.com", "my_shop.example.com" },
	{ "b\xc3\xbc" "cher.example", "xn--bcher-kva.example" },
	{ "B\xc3\x9c" "CHER.example.", "xn--bcher-kva.example" },
	{ "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84",
	  "xn--e1afmkfd.xn--p1ai" },
	{ L63 ".com", L63 ".com" },
	{ "a" L63 ".com", NULL },
	{ "example.com..", NULL },
	{ "", NULL },
	{ ".", NULL },
	{ "a..example.com", NULL },
	{ "ev\"il\x1b[2J.com", NULL },
	{ "ev\x1b]0;x\x07.com", NULL },
	{ "ev il.com", NULL },
	{ "ev\nil.com", NULL },
	{ "ev\xc2\x9dil.com", NULL },	/* U+009D */
	{ "ev\xe2\x80\xae" "il.com", NULL },	/* U+202E */
	{ "b\xfc" "cher.example", NULL },	/* Latin-1, not UTF-8 */
	{ "http://example.com/", NULL },	/* a URL, not a host name */
	{ "user@example.com", NULL },
	{ "example.com:8080", NULL },
	{ "[2001:db8::1]", NULL },
	{ "exa;mple.com", NULL },
};

static void
test_urls_host_name(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(host_name_tests); i++) {
		got = urls_host_name(host_name_tests[i].name);
		unit_check_str(got, host_name_tests[i].expected, "urls_host_name(\"%s\")",
		    host_name_tests[i].name);
		free(got);
	}
}

/* ---- urls_registrable ---- */

static const struct {
	const char	*host;
	const char	*expected;	/* NULL: no registrable domain */
} registrable_tests[] = {
	{ "example.com", "example.com" },
	{ "www.example.com", "example.com" },
	{ "a.b.c.example.org", "example.org" },
	{ "www.shop.example.co.uk", "example.co.uk" },
	{ "example.co.uk", "example.co.uk" },
	{ "shop.example.com.au", "example.com.au" },
	{ "mail.example.de", "example.de" },
	{ "foo.github.io", "foo.github.io" },
	{ "www.foo.github.io", "foo.github.io" },
	{ "xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai" },
	{ "www.xn--bcher-kva.example", "xn--bcher-kva.example" },
	{ "co.uk", NULL },
	{ "com", NULL },
	{ "github.io", NULL },
	{ "localhost", NULL },
	{ "192.0.2.1", NULL },
	{ "2001:db8::1", NULL },
	{ "1.2.3", NULL },
	{ "", NULL },
};

static void
test_urls_registrable(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(registrable_tests); i++) {
		got = urls_registrable(registrable_tests[i].host);
		unit_check_str(got, registrable_tests[i].expected, "urls_registrable(\"%s\")",
		    registrable_tests[i].host);
		free(got);
	}
}

/* ---- urls_listed ---- */

static const struct {
	const char	*host;
	int		 expected;
} listed_tests[] = {
	{ "w3.org", 1 },
	{ "www.w3.org", 1 },
	{ "validator.w3.org", 1 },
	{ "notw3.org", 0 },
	{ "w3.org.example.com", 0 },
	{ "org", 0 },
	{ "example.co.uk", 1 },
	{ "mail.example.co.uk", 1 },
	{ "co.uk", 0 },
	{ "other.co.uk", 0 },
	{ "mail.example.net", 1 },
	{ "a.mail.example.net", 1 },
	{ "example.net", 0 },
	{ "", 0 },
};

static void
test_urls_listed(void **state)
{
	struct strlist list = { 0 };
	size_t i;
	int got;

	strlist_add(&list, "w3.org");
	strlist_add(&list, "example.co.uk");
	strlist_add(&list, "mail.example.net");
	for (i = 0; i < NROWS(listed_tests); i++) {
		got = urls_listed(listed_tests[i].host, &list);
		if (got != listed_tests[i].expected)
			print_error("urls_listed(\"%s\"): %d, expected %d\n", listed_tests[i].host,
			    got, listed_tests[i].expected);
		assert_int_equal(got, listed_tests[i].expected);
	}
	strlist_free(&list);
	assert_int_equal(urls_listed("w3.org", &list), 0);
}

/* ---- urls_unwrap: the recipient's gateway's link rewriters ---- */

#define PP1	"https://urldefense.proofpoint.com/v1/url?u="
#define PP2	"https://urldefense.proofpoint.com/v2/url?u="
#define PP3	"https://urldefense.com/v3/__"
#define SL	"https://eur01.safelinks.protection.outlook.com/?url="
#define G	"https://www.google.com/url?q="

static const struct {
	const char	*url;
	const char	*expected;	/* NULL: not a gateway's link, or malformed: left as is */
} unwrap_tests[] = {
	/* Proofpoint v1: u= up to &k=, percent-decoded, HTML-unescaped. */
	{ PP1 "http://www.pharma-example.com/buy%3Fid%3D7&k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A"
	  "&r=IKM5u8%2B%2F&m=Ww6i&s=d358", "http://www.pharma-example.com/buy?id=7" },
	{ "https://urldefense.com/v1/url?u=http://a-example.com/x&amp;y=1&amp;k=abc&amp;r=d",
	  "http://a-example.com/x&y=1" },
	{ PP1 "http://a-example.com/", NULL },				/* no &k= */
	/* v2: u= up to &d= or &c=, '-' for '%', '_' for '/'. */
	{ PP2 "https-3A__www.pills-2Dexample.net_order-3Fref-3Dspam-26x-3D1&d=DwMFaQ&c=Vxt5e0"
	  "&r=MujL&m=QJGh&s=ew-r&e=", "https://www.pills-example.net/order?ref=spam&x=1" },
	{ "https://urldefense.proofpoint.com/v2/url?c=x&u=http-3A__a-2Dexample.org_&d=DwM",
	  "http://a-example.org/" },
	{ PP2 "garbage&d=DwM", NULL },					/* not a URL */
	{ PP2 "http-3A__www..example.com_&d=DwM", NULL },		/* empty label */
	{ PP2 "http-3A__a-2Dexample.org_", NULL },			/* no &d= or &c= */
	/* v3: the URL between __ and __;, then '*' and "**X" take characters from ENC in turn. */
	{ PP3 "https://shop.pharma-example.com/offer__;!!ABcd1234!efGH-ij_kl$",
	  "https://shop.pharma-example.com/offer" },
	{ "http://urldefense.proofpoint.com/v3/__https://www.pharma-example.com/*deal__;Iw!!Ab!cd$",
	  "https://www.pharma-example.com/#deal" },
	{ PP3 "https://pharma-example.com/p/**Bq__;JCUm!!Ab!cd$",
	  "https://pharma-example.com/p/$%&q" },
	{ PP3 "https://pharma-example.com/*a**Ab__;IyQl!!Ab!cd$",
	  "https://pharma-example.com/#a$%b" },
	{ PP3 "https://pharma-example.com/**Z__;IyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMj!!Ab!cd$",
	  "https://pharma-example.com/###########################" },
	{ PP3 "https://pharma-example.com/caf*__;w6k!!Ab!cd$",
	  "https://pharma-example.com/caf\xc3\xa9" },
	{ PP3 "https://pharma-example.com/a%20b?q=*__;Pz0m!!Ab!cd$",
	  "https://pharma-example.com/a b?q=?" },
	{ PP3 "https://pharma-example.com/x**__;!!Ab!cd$", NULL },	/* more stars than ENC */
	{ PP3 "https://pharma-example.com/**Z__;Iw!!Ab!cd$", NULL },	/* a run longer than ENC */
	{ PP3 "https://pharma-example.com/***__;Iw!!Ab!cd$", NULL },	/* "**" then no length */
	{ PP3 "https://pharma-example.com/*__;I!!Ab!cd$", NULL },	/* not base64url */
	{ PP3 "https://pharma-example.com/*__;I+w!!Ab!cd$", NULL },
	{ PP3 "https://pharma-example.com/*__;_w!!Ab!cd$", NULL },	/* not UTF-8 */
	{ PP3 "https://pharma-example.com/*__;AA!!Ab!cd$", NULL },	/* a NUL */
	{ PP3 "https://pharma-example.com/x__;Iw", NULL },		/* no '!' */
	{ PP3 "https://pharma-example.com/x", NULL },			/* no __; */
	{ PP3 "__;!!Ab!cd$", NULL },					/* no URL */
	{ PP3 "mailto:a@example.com__;!!Ab!cd$", NULL },
	{ "https://urldefense.com/v4/__https://a-example.com/__;!!Ab!cd$", NULL },
	/* Microsoft Safe Links: url= percent-decoded once. */
	{ SL "https%3A%2F%2Fwww.pharma-example.com%2Fbuy%3Fid%3D7&data=05%7C01%7C&sdata=abc%3D"
	  "&reserved=0", "https://www.pharma-example.com/buy?id=7" },
	{ "https://nam12.safelinks.protection.outlook.com?url=http%3A%2F%2Fa-example.net%2F&data=x",
	  "http://a-example.net/" },
	{ "https://gcc02.safelinks.protection.office365.us/?data=x&url=http%3A%2F%2Fa-example.net",
	  "http://a-example.net" },
	{ SL "%2Fonly%2Fa%2Fpath&data=x", NULL },
	{ SL "&data=x", NULL },
	{ "https://safelinks.protection.outlook.com.evil-example.com/?url="
	  "https%3A%2F%2Fa-example.com", NULL },
	/* Safe Links around Proofpoint: unwrapped again. */
	{ SL "https%3A%2F%2Furldefense.com%2Fv3%2F__https%3A%2F%2Fpills-example.org%2Fx__%3B!!AbC"
	  "!dEf%24&data=05%7C01", "https://pills-example.org/x" },
	{ SL "https%3A%2F%2Furldefense.proofpoint.com%2Fv2%2Furl%3Fu%3Dhttp-3A__spam-2Dexample.com_"
	  "%26d%3DDwM%26c%3Dx&data=05", "http://spam-example.com/" },
	/* ... and a malformed Proofpoint inside Safe Links: the Proofpoint link, as written. */
	{ SL "https%3A%2F%2Furldefense.com%2Fv3%2F__https%3A%2F%2Fpills-example.org%2F*__%3B!!AbC"
	  "&data=05", "https://urldefense.com/v3/__https://pills-example.org/*__;!!AbC" },
	/* Google's redirector: q=, or url=; google under any public suffix. */
	{ G "https://pharma-example.com/buy&sa=D&source=editors&ust=1&usg=AOv",
	  "https://pharma-example.com/buy" },
	{ "https://www.google.com/url?sa=t&url=https%3A%2F%2Fpharma-example.com%2F&ved=2a",
	  "https://pharma-example.com/" },
	{ "https://www.google.co.uk/url?q=http://a-example.com/", "http://a-example.com/" },
	{ "https://google.de/url?q=http://a-example.com/", "http://a-example.com/" },
	{ G "/search%3Fq%3Dx", NULL },
	{ "https://www.google.com/search?q=http://a-example.com/", NULL },
	{ "https://google.evil-example.com/url?q=https://a-example.com/", NULL },
	{ "https://www.google.evil-example/url?q=https://a-example.com/", NULL },
	/* Wrapped more than URLS_MAX_UNWRAP times: unwrapped that many times. */
	{ G G G G G G G G G G "https://a-example.com/", G G "https://a-example.com/" },
	{ G G G "https://a-example.com/", "https://a-example.com/" },
	/* The AMP cache serves the page of the host in its path. */
	{ "https://www-pharma--example-com.cdn.ampproject.org/c/s/www.pharma-example.com/amp/offer",
	  "https://www.pharma-example.com/amp/offer" },
	{ "https://cdn.ampproject.org/i/pharma-example.com/logo.png",
	  "http://pharma-example.com/logo.png" },
	{ "https://cdn.ampproject.org/x/pharma-example.com/", NULL },
	{ "https://cdn.ampproject.org/c/s/", NULL },
	/* The spammer's own redirectors are what the spam advertised: kept. */
	{ "https://bit.ly/3abcDEF", NULL },
	{ "https://t.co/xyz?url=https%3A%2F%2Fa-example.com", NULL },
	{ "https://click.tracking-example.com/?url=https%3A%2F%2Fspam-example.com", NULL },
	{ "https://click.tracking-example.com/url?q=https://spam-example.com/", NULL },
	{ "https://tracking-example.com/v3/__https://spam-example.com/__;!!Ab!cd$", NULL },
	{ "www.pharma-example.com/?url=https%3A%2F%2Fa-example.com", NULL },
	{ "http://", NULL },
	{ "", NULL },
};

static void
test_urls_unwrap(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(unwrap_tests); i++) {
		got = urls_unwrap(unwrap_tests[i].url);
		unit_check_str(got, unwrap_tests[i].expected, "urls_unwrap(\"%s\")",
		    unwrap_tests[i].url);
		free(got);
	}
}

/* ---- urls_is_public_suffix ---- */

static const struct {
	const char	*name;
	int		 expected;
} suffix_tests[] = {
	{ "co.uk", 1 },
	{ "CO.UK", 1 },
	{ "uk", 1 },
	{ "com", 1 },
	{ "com.au", 1 },
	{ "github.io", 1 },		/* the PRIVATE section counts */
	{ "xn--p1ai", 1 },
	{ "example.co.uk", 0 },
	{ "example.com", 0 },
	{ "foo.github.io", 0 },
	{ "localhost", 0 },		/* not listed: the implicit "*" rule does not count */
	{ "example", 0 },
	{ "", 0 },
};

static void
test_urls_is_public_suffix(void **state)
{
	size_t i;
	int got;

	for (i = 0; i < NROWS(suffix_tests); i++) {
		got = urls_is_public_suffix(suffix_tests[i].name);
		if (got != suffix_tests[i].expected)
			print_error("urls_is_public_suffix(\"%s\"): %d, expected %d\n",
			    suffix_tests[i].name, got, suffix_tests[i].expected);
		assert_int_equal(got, suffix_tests[i].expected);
	}
}

/* ---- urls_dot_stuffed and urls_unstuff ---- */

static const struct {
	const char	*raw;
	int		 stuffed;
	const char	*unstuffed;
} stuff_tests[] = {
	{ "a\r\n..b\r\n", 1, "a\r\n.b\r\n" },
	{ "a\r\n..b\r\n.\r\n", 1, "a\r\n.b\r\n" },
	{ "a\n..b\n.\n", 1, "a\n.b\n" },
	{ "..b", 1, ".b" },
	{ "a\n...\n", 1, "a\n..\n" },
	{ "http://www=\r\n..example.com/x\r\n.\r\n", 1, "http://www=\r\n.example.com/x\r\n" },
	{ "a\n.b\n..c\n", 0, "a\nb\n.c\n" },	/* a single dot: never stuffed */
	{ "a\n.\nb\n..c\n", 0, "a\n\nb\n.c\n" },	/* a lone dot before the end */
	{ "no dots\n", 0, "no dots\n" },
	{ "a.\n b..c\n", 0, "a.\n b..c\n" },		/* only dots at a line's start count */
	{ ".\r\n", 0, "" },
	{ "", 0, "" },
};

static void
test_urls_unstuff(void **state)
{
	size_t i, len;
	char *got;
	int stuffed;

	for (i = 0; i < NROWS(stuff_tests); i++) {
		stuffed = urls_dot_stuffed(stuff_tests[i].raw, strlen(stuff_tests[i].raw));
		if (stuffed != stuff_tests[i].stuffed)
			print_error("urls_dot_stuffed(\"%s\"): %d, expected %d\n",
			    stuff_tests[i].raw, stuffed, stuff_tests[i].stuffed);
		assert_int_equal(stuffed, stuff_tests[i].stuffed);
		got = urls_unstuff(stuff_tests[i].raw, strlen(stuff_tests[i].raw), &len);
		unit_check_str(got, stuff_tests[i].unstuffed, "urls_unstuff(\"%s\")",
		    stuff_tests[i].raw);
		assert_int_equal(len, strlen(stuff_tests[i].unstuffed));
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls_refang),
		cmocka_unit_test(test_urls_refang_len),
		cmocka_unit_test(test_urls_html_decode),
		cmocka_unit_test(test_urls_scan),
		cmocka_unit_test(test_urls_scan_list),
		cmocka_unit_test(test_urls_host),
		cmocka_unit_test(test_urls_valid_host),
		cmocka_unit_test(test_urls_host_name),
		cmocka_unit_test(test_urls_registrable),
		cmocka_unit_test(test_urls_listed),
		cmocka_unit_test(test_urls_unwrap),
		cmocka_unit_test(test_urls_is_public_suffix),
		cmocka_unit_test(test_urls_unstuff),
	};

	return cmocka_run_group_tests_name("urls", tests, NULL, NULL);
}
