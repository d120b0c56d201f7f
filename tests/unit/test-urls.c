/* test-urls.c: tests refanging, HTML decoding, URL scanning, hosts, host names, registrable domains
 * and lists. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "urls.h"
#include "util.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])
#define MAXURLS		6

/* A string or "(null)" for messages. */
static const char *
str_or_null(const char *s)
{
	return s != NULL ? s : "(null)";
}

/* Both NULL, or equal strings. */
static int
str_same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

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
		if (strcmp(got, refang_tests[i].expected) != 0)
			print_error("urls_refang(\"%s\"): \"%s\", expected \"%s\"\n",
			    refang_tests[i].input, got, refang_tests[i].expected);
		assert_string_equal(got, refang_tests[i].expected);
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
		if (strcmp(got, html_tests[i].expected) != 0)
			print_error("urls_html_decode(\"%s\"): \"%s\", expected \"%s\"\n",
			    html_tests[i].input, got, html_tests[i].expected);
		assert_string_equal(got, html_tests[i].expected);
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
};

static void
test_urls_host(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(host_tests); i++) {
		got = urls_host(host_tests[i].url);
		if (!str_same(got, host_tests[i].expected))
			print_error("urls_host(\"%s\"): \"%s\", expected \"%s\"\n",
			    host_tests[i].url, str_or_null(got), str_or_null(host_tests[i].expected));
		if (host_tests[i].expected == NULL)
			assert_null(got);
		else {
			assert_non_null(got);
			assert_string_equal(got, host_tests[i].expected);
		}
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
		if (!str_same(got, host_name_tests[i].expected))
			print_error("urls_host_name(\"%s\"): \"%s\", expected \"%s\"\n",
			    host_name_tests[i].name, str_or_null(got),
			    str_or_null(host_name_tests[i].expected));
		if (host_name_tests[i].expected == NULL)
			assert_null(got);
		else {
			assert_non_null(got);
			assert_string_equal(got, host_name_tests[i].expected);
		}
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
		if (!str_same(got, registrable_tests[i].expected))
			print_error("urls_registrable(\"%s\"): \"%s\", expected \"%s\"\n",
			    registrable_tests[i].host, str_or_null(got),
			    str_or_null(registrable_tests[i].expected));
		if (registrable_tests[i].expected == NULL)
			assert_null(got);
		else {
			assert_non_null(got);
			assert_string_equal(got, registrable_tests[i].expected);
		}
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
	};

	return cmocka_run_group_tests_name("urls", tests, NULL, NULL);
}
