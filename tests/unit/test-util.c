/* test-util.c: tests safe text, display widths, time and size parsing, SHA-256, buffers and lists. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])
/* A literal and its length, embedded NULs included. */
#define S(s)		s, sizeof(s) - 1

#define FFFD		"\xef\xbf\xbd"
#define NOW		((time_t)1717664551)	/* 2024-06-06T09:02:31Z */

/* A heap copy of exactly len bytes, without a NUL, so that valgrind sees any read past it. */
static char *
exact_copy(const char *s, size_t len)
{
	char *p = malloc(len > 0 ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* ---- text_safe ---- */

static const struct {
	const char	*name;
	const char	*input;
	size_t		 len;
	int		 keep_newline;
	const char	*expected;
} safe_tests[] = {
	{ "ascii", S("hello, world"), 0, "hello, world" },
	{ "empty", S(""), 0, "" },
	{ "UTF-8 kept", S("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"), 0,
	  "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80" },
	{ "NBSP kept", S("a\xc2\xa0" "b"), 0, "a\xc2\xa0" "b" },
	{ "largest code point kept", S("\xf4\x8f\xbf\xbf"), 0, "\xf4\x8f\xbf\xbf" },
	{ "around the surrogates kept", S("\xed\x9f\xbf\xee\x80\x80"), 0, "\xed\x9f\xbf\xee\x80\x80" },
	{ "NUL", S("a\0b"), 0, "a b" },
	{ "ESC sequence", S("\x1b[31mred\x1b[0m"), 0, " [31mred [0m" },
	{ "BEL and BS", S("a\x07\x08" "b"), 0, "a  b" },
	{ "other C0", S("\x01\x1f"), 1, "  " },
	{ "DEL", S("a\x7f" "b"), 0, "a b" },
	{ "TAB kept", S("a\tb"), 0, "a\tb" },
	{ "TAB kept with newlines", S("a\tb\n"), 1, "a\tb\n" },
	{ "LF replaced", S("a\nb"), 0, "a b" },
	{ "CRLF replaced", S("a\r\nb"), 0, "a  b" },
	{ "CR replaced", S("a\rb"), 0, "a b" },
	{ "LF kept", S("a\nb\n"), 1, "a\nb\n" },
	{ "CRLF to LF", S("a\r\nb\r\n"), 1, "a\nb\n" },
	{ "CR to LF", S("a\rb\r"), 1, "a\nb\n" },
	{ "CR CRLF to two LF", S("a\r\r\nb"), 1, "a\n\nb" },
	{ "vertical tab and form feed", S("a\x0b\x0c" "b"), 1, "a  b" },
	{ "C1 U+0080", S("\xc2\x80"), 0, " " },
	{ "C1 U+0085 (NEL)", S("a\xc2\x85" "b"), 1, "a b" },
	{ "C1 U+009B (CSI)", S("\xc2\x9b" "31m"), 0, " 31m" },
	{ "C1 U+009D (OSC)", S("\xc2\x9d" "0;title\x07"), 0, " 0;title " },
	{ "C1 U+009F", S("\xc2\x9f"), 0, " " },
	{ "U+00A0 is not C1", S("\xc2\xa0"), 0, "\xc2\xa0" },
	{ "C1 as a raw byte is invalid", S("a\x85" "b"), 0, "a" FFFD "b" },
	{ "bidi U+202A", S("\xe2\x80\xaa"), 0, " " },
	{ "bidi U+202E (RLO)", S("invoice\xe2\x80\xaegpj.exe"), 0, "invoice gpj.exe" },
	{ "bidi U+2066 (LRI)", S("a\xe2\x81\xa6" "b"), 0, "a b" },
	{ "bidi U+2069 (PDI)", S("a\xe2\x81\xa9" "b"), 0, "a b" },
	{ "U+200E (LRM)", S("\xe2\x80\x8e"), 0, " " },
	{ "U+200F (RLM)", S("\xe2\x80\x8f"), 0, " " },
	{ "U+061C (ALM)", S("\xd8\x9c"), 0, " " },
	{ "zero width space U+200B", S("pay\xe2\x80\x8bpal"), 0, "pay pal" },
	{ "ZWNJ U+200C, ZWJ U+200D", S("\xe2\x80\x8c\xe2\x80\x8d"), 0, "  " },
	{ "word joiner U+2060", S("\xe2\x81\xa0"), 0, " " },
	{ "BOM U+FEFF", S("\xef\xbb\xbfSubject"), 0, " Subject" },
	{ "U+202F (narrow NBSP) kept", S("\xe2\x80\xaf"), 0, "\xe2\x80\xaf" },
	{ "invalid byte FF", S("\xff"), 0, FFFD },
	{ "invalid byte FE", S("a\xfe" "b"), 0, "a" FFFD "b" },
	{ "lone continuation", S("\x80"), 0, FFFD },
	{ "truncated at the end", S("a\xc3"), 0, "a" FFFD },
	{ "truncated 3-byte", S("\xe6\x97"), 0, FFFD FFFD },
	{ "truncated before ASCII", S("\xc3(x"), 0, FFFD "(x" },
	{ "Latin-1 text", S("caf\xe9"), 0, "caf" FFFD },
	{ "overlong '/' in 2 bytes", S("\xc0\xaf"), 0, FFFD FFFD },
	{ "overlong NUL in 2 bytes", S("\xc0\x80"), 0, FFFD FFFD },
	{ "overlong C1", S("\xc1\xbf"), 0, FFFD FFFD },
	{ "overlong '/' in 3 bytes", S("\xe0\x80\xaf"), 0, FFFD FFFD FFFD },
	{ "overlong U+07FF in 3 bytes", S("\xe0\x9f\xbf"), 0, FFFD FFFD FFFD },
	{ "overlong '/' in 4 bytes", S("\xf0\x80\x80\xaf"), 0, FFFD FFFD FFFD FFFD },
	{ "surrogate U+D800", S("\xed\xa0\x80"), 0, FFFD FFFD FFFD },
	{ "surrogate U+DFFF", S("\xed\xbf\xbf"), 0, FFFD FFFD FFFD },
	{ "surrogate pair (CESU-8)", S("\xed\xa0\xbd\xed\xb8\x80"), 0,
	  FFFD FFFD FFFD FFFD FFFD FFFD },
	{ "past U+10FFFF", S("\xf4\x90\x80\x80"), 0, FFFD FFFD FFFD FFFD },
	{ "F5 lead byte", S("\xf5\x80\x80\x80"), 0, FFFD FFFD FFFD FFFD },
};

static void
test_text_safe(void **state)
{
	char *in, *got;
	size_t i;

	for (i = 0; i < NROWS(safe_tests); i++) {
		in = exact_copy(safe_tests[i].input, safe_tests[i].len);
		got = text_safe(in, safe_tests[i].len, safe_tests[i].keep_newline);
		if (strcmp(got, safe_tests[i].expected) != 0)
			print_error("text_safe: %s (keep_newline %d): wrong result\n",
			    safe_tests[i].name, safe_tests[i].keep_newline);
		assert_string_equal(got, safe_tests[i].expected);
		free(got);
		free(in);
	}
}

/* Only len bytes are read. */
static void
test_text_safe_len(void **state)
{
	char *got = text_safe("abc\x1b" "def", 3, 0);

	assert_string_equal(got, "abc");
	free(got);
	got = text_safe("\xc3\xa9", 1, 0);
	assert_string_equal(got, FFFD);
	free(got);
}

/* ---- text_safe_line ---- */

static const struct {
	const char	*name;
	const char	*input;
	size_t		 len;
	const char	*expected;
} line_tests[] = {
	{ "plain", S("Cheap pills"), "Cheap pills" },
	{ "trimmed", S("  Cheap pills  "), "Cheap pills" },
	{ "runs collapsed", S("Cheap   \t  pills"), "Cheap pills" },
	{ "tabs", S("\ta\tb\t"), "a b" },
	{ "newlines", S("a\r\n\tb\n\nc"), "a b c" },
	{ "controls", S("\x1b[1m bold \x1b[0m"), "[1m bold [0m" },
	{ "zero width", S("a\xe2\x80\x8b b"), "a b" },
	{ "bidi", S("\xe2\x80\xae" "abc"), "abc" },
	{ "NBSP is not collapsed", S("a\xc2\xa0\xc2\xa0" "b"), "a\xc2\xa0\xc2\xa0" "b" },
	{ "invalid", S("a \xff b"), "a " FFFD " b" },
	{ "empty", S(""), "" },
	{ "only space", S(" \t\r\n "), "" },
};

static void
test_text_safe_line(void **state)
{
	char *in, *got;
	size_t i;

	for (i = 0; i < NROWS(line_tests); i++) {
		in = exact_copy(line_tests[i].input, line_tests[i].len);
		got = text_safe_line(in, line_tests[i].len);
		if (strcmp(got, line_tests[i].expected) != 0)
			print_error("text_safe_line: %s: \"%s\", expected \"%s\"\n",
			    line_tests[i].name, got, line_tests[i].expected);
		assert_string_equal(got, line_tests[i].expected);
		free(got);
		free(in);
	}
}

/* ---- text_width and text_fit ---- */

static const struct {
	const char	*input;
	size_t		 expected;
} width_tests[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "caf\xc3\xa9", 4 },
	{ "e\xcc\x81tude", 5 },				/* combining acute accent */
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6 },	/* three CJK ideographs */
	{ "a\xe6\x97\xa5" "b", 4 },
	{ "\xef\xbc\xa1", 2 },				/* fullwidth A */
	{ "\xed\x95\x9c\xea\xb5\xad", 4 },		/* Hangul */
	{ "\xd0\xbf\xd1\x80\xd0\xb8", 3 },		/* Cyrillic */
	{ "\xff", 1 },
};

static void
test_text_width(void **state)
{
	size_t i, got;

	for (i = 0; i < NROWS(width_tests); i++) {
		got = text_width(width_tests[i].input);
		if (got != width_tests[i].expected)
			print_error("text_width(\"%s\"): %zu, expected %zu\n", width_tests[i].input,
			    got, width_tests[i].expected);
		assert_int_equal(got, width_tests[i].expected);
	}
}

static const struct {
	const char	*input;
	size_t		 width;
	const char	*expected;
} fit_tests[] = {
	{ "abcdef", 10, "abcdef" },
	{ "abcdef", 6, "abcdef" },
	{ "abcdef", 5, "abcd~" },
	{ "abcdef", 2, "a~" },
	{ "abcdef", 1, "~" },
	{ "abcdef", 0, "" },
	{ "", 0, "" },
	{ "", 3, "" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, "\xe6\x97\xa5\xe6\x9c\xac~" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, "\xe6\x97\xa5~" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 3, "\xe6\x97\xa5~" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 2, "~" },
	{ "a\xe6\x97\xa5\xe6\x9c\xac", 4, "a\xe6\x97\xa5~" },
	{ "a\xe6\x97\xa5\xe6\x9c\xac", 3, "a~" },
	{ "caf\xc3\xa9s", 4, "caf~" },
	{ "caf\xc3\xa9s", 5, "caf\xc3\xa9s" },
	{ "e\xcc\x81tude", 3, "e\xcc\x81t~" },
};

static void
test_text_fit(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(fit_tests); i++) {
		got = text_fit(fit_tests[i].input, fit_tests[i].width);
		if (strcmp(got, fit_tests[i].expected) != 0)
			print_error("text_fit(\"%s\", %zu): \"%s\", expected \"%s\"\n",
			    fit_tests[i].input, fit_tests[i].width, got, fit_tests[i].expected);
		assert_string_equal(got, fit_tests[i].expected);
		assert_true(text_width(got) <= fit_tests[i].width);
		free(got);
	}
}

/* ---- small string helpers ---- */

static const struct {
	const char	*input;
	const char	*trimmed;
	const char	*lower;
} str_tests[] = {
	{ "", "", "" },
	{ "abc", "abc", "abc" },
	{ "  Mixed Case \t\r\n", "Mixed Case", "  mixed case \t\r\n" },
	{ "\n\n", "", "\n\n" },
	{ "A-Z_09", "A-Z_09", "a-z_09" },
	{ "\xc3\x89t\xc3\xa9", "\xc3\x89t\xc3\xa9", "\xc3\x89t\xc3\xa9" },	/* bytes >= 0x80 kept */
};

static void
test_str_helpers(void **state)
{
	char *copy;
	size_t i;

	for (i = 0; i < NROWS(str_tests); i++) {
		copy = xstrdup(str_tests[i].input);
		assert_string_equal(str_trim(copy), str_tests[i].trimmed);
		free(copy);
		copy = xstrdup(str_tests[i].input);
		str_lower_inplace(copy);
		if (strcmp(copy, str_tests[i].lower) != 0)
			print_error("str_lower_inplace(\"%s\"): \"%s\"\n", str_tests[i].input, copy);
		assert_string_equal(copy, str_tests[i].lower);
		free(copy);
	}
	assert_true(str_has_prefix_ci("IPv6:2001:db8::1", "ipv6:"));
	assert_true(str_has_prefix_ci("abc", ""));
	assert_false(str_has_prefix_ci("ipv", "ipv6:"));
	assert_false(str_has_prefix_ci("xipv6:", "ipv6:"));
	copy = xstrndup("abcdef", 3);
	assert_string_equal(copy, "abc");
	free(copy);
	copy = xasprintf("%s-%d", "x", 42);
	assert_string_equal(copy, "x-42");
	free(copy);
}

/* ---- time_iso and time_parse_since ---- */

static const struct {
	time_t		 t;
	const char	*expected;
} iso_tests[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ NOW, "2024-06-06T09:02:31Z" },
	{ 1709251199, "2024-02-29T23:59:59Z" },
	{ 1793536496, "2026-11-01T12:34:56Z" },
};

static void
test_time_iso(void **state)
{
	char out[32];
	size_t i;

	for (i = 0; i < NROWS(iso_tests); i++) {
		time_iso(iso_tests[i].t, out, sizeof out);
		assert_string_equal(out, iso_tests[i].expected);
	}
}

static const struct {
	const char	*input;
	int		 rc;
	time_t		 expected;
} since_tests[] = {
	{ "2026-11-01", 0, 1793491200 },
	{ "2026-11-01T12:00:00Z", 0, 1793534400 },
	{ "2026-11-01T12:00:00", 0, 1793534400 },
	{ "2026-11-01T12:34:56Z", 0, 1793536496 },
	{ "2026-11-01 12:00", 0, 1793534400 },
	{ "2026-11-01T12:00", 0, 1793534400 },
	{ "2026-11-01 12:34:56", 0, 1793536496 },
	{ "2026-11-01Z", 0, 1793491200 },
	{ "2024-02-29T23:59:59Z", 0, 1709251199 },
	{ "1970-01-01", 0, 0 },
	{ "7d", 0, NOW - 7 * 86400 },
	{ "1d", 0, NOW - 86400 },
	{ "0d", 0, NOW },
	{ "12h", 0, NOW - 12 * 3600 },
	{ "30m", 0, NOW - 30 * 60 },
	{ "2w", 0, NOW - 14 * 86400 },
	{ "99999d", 0, NOW - (time_t)99999 * 86400 },
	{ "", -1, 0 },
	{ "abc", -1, 0 },
	{ "d", -1, 0 },
	{ "7x", -1, 0 },
	{ "7dd", -1, 0 },
	{ "7 d", -1, 0 },
	{ "-7d", -1, 0 },
	{ "100000d", -1, 0 },
	{ "99999999999999999999d", -1, 0 },
	/* A number without a unit: *end is tested before end[1], never past the string. */
	{ "7", -1, 0 },
	{ "2026", -1, 0 },
	{ "2026-11", -1, 0 },
	{ "2026-13-01", -1, 0 },
	{ "2026-11-01X", -1, 0 },
	{ "2026-11-01T", -1, 0 },
	{ "2026-11-01T12", -1, 0 },
	{ "2026-11-01T25:00", -1, 0 },
	{ "2026-11-01T12:00:00+02:00", -1, 0 },
	{ "2026-11-01T12:00:00Zjunk", -1, 0 },
	{ "yesterday", -1, 0 },
	/* Days that are not in the calendar: strptime takes them, timegm would move them. */
	{ "2026-11-31", -1, 0 },
	{ "2026-02-29", -1, 0 },
	{ "2026-04-31T10:00", -1, 0 },
	{ "2026-11-30T23:59:60Z", -1, 0 },
	{ "2026-12-31T23:59:59Z", 0, 1798761599 },
};

static void
test_time_parse_since(void **state)
{
	char *in;
	time_t got;
	size_t i;
	int rc;

	for (i = 0; i < NROWS(since_tests); i++) {
		/* A heap copy of exactly the string, so that reading past it shows. */
		in = exact_copy(since_tests[i].input, strlen(since_tests[i].input) + 1);
		got = (time_t)-12345;
		rc = time_parse_since(in, NOW, &got);
		if (rc != since_tests[i].rc || (rc == 0 && got != since_tests[i].expected))
			print_error("time_parse_since(\"%s\"): %d, %lld, expected %d, %lld\n",
			    since_tests[i].input, rc, (long long)got, since_tests[i].rc,
			    (long long)since_tests[i].expected);
		assert_int_equal(rc, since_tests[i].rc);
		if (rc == 0)
			assert_int_equal(got, since_tests[i].expected);
		free(in);
	}
}

/* ---- size_parse ---- */

static const struct {
	const char	*input;
	int		 rc;
	uint64_t	 expected;
} size_tests[] = {
	{ "0", 0, 0 },
	{ "123", 0, 123 },
	{ "1K", 0, 1024 },
	{ "1k", 0, 1024 },
	{ "1KB", 0, 1024 },
	{ "25M", 0, 25 * 1024 * 1024 },
	{ "25m", 0, 25 * 1024 * 1024 },
	{ "10MB", 0, 10 * 1024 * 1024 },
	{ "10mb", 0, 10 * 1024 * 1024 },
	{ "2G", 0, 2ULL * 1024 * 1024 * 1024 },
	{ "2gb", 0, 2ULL * 1024 * 1024 * 1024 },
	{ "16777215G", 0, 16777215ULL * 1024 * 1024 * 1024 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "", -1, 0 },
	{ "M", -1, 0 },
	{ "MB", -1, 0 },
	{ "-1", -1, 0 },
	{ "+1", -1, 0 },
	{ " 1", -1, 0 },
	{ "1 ", -1, 0 },
	{ "10 M", -1, 0 },
	{ "10X", -1, 0 },
	{ "10B", -1, 0 },
	{ "10T", -1, 0 },
	{ "1.5M", -1, 0 },
	{ "10MBx", -1, 0 },
	{ "10MM", -1, 0 },
	{ "0x10", -1, 0 },
	{ "18446744073709551616", -1, 0 },
	/* BUG: the multiplication by the suffix wraps around instead of failing:
	 * 17179869185G is 2^64 + 2^30 bytes and comes back as 1073741824. */
	{ "17179869185G", -1, 0 },
};

static void
test_size_parse(void **state)
{
	uint64_t got;
	size_t i;
	int rc;

	for (i = 0; i < NROWS(size_tests); i++) {
		got = 12345;
		rc = size_parse(size_tests[i].input, &got);
		if (rc != size_tests[i].rc || (rc == 0 && got != size_tests[i].expected))
			print_error("size_parse(\"%s\"): %d, %llu, expected %d, %llu\n",
			    size_tests[i].input, rc, (unsigned long long)got, size_tests[i].rc,
			    (unsigned long long)size_tests[i].expected);
		assert_int_equal(rc, size_tests[i].rc);
		if (rc == 0)
			assert_int_equal(got, size_tests[i].expected);
		else
			assert_int_equal(got, 12345);	/* untouched on error */
	}
}

/* ---- sha256_hex ---- */

static const struct {
	const char	*input;
	size_t		 len;
	const char	*expected;
} sha256_tests[] = {
	{ S(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ S("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ S("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ S("The quick brown fox jumps over the lazy dog"),
	  "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592" },
};

static void
test_sha256_hex(void **state)
{
	char out[65], *million;
	size_t i;

	for (i = 0; i < NROWS(sha256_tests); i++) {
		memset(out, 'x', sizeof out);
		sha256_hex(sha256_tests[i].input, sha256_tests[i].len, out);
		if (strcmp(out, sha256_tests[i].expected) != 0)
			print_error("sha256_hex(\"%s\"): %s\n", sha256_tests[i].input, out);
		assert_string_equal(out, sha256_tests[i].expected);
	}
	/* NUL bytes are data. */
	sha256_hex("a\0b", 3, out);
	assert_string_not_equal(out, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	sha256_hex(million, 1000000, out);
	assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* ---- struct buf ---- */

static void
test_buf(void **state)
{
	struct buf b;
	char *s;
	size_t i;

	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);

	buf_adds(&b, "abc");
	buf_addc(&b, '-');
	buf_add(&b, "xyz", 2);
	buf_add(&b, "ignored", 0);
	buf_addf(&b, "[%d:%s]", 42, "ok");
	assert_int_equal(b.len, strlen("abc-xy[42:ok]"));
	assert_string_equal(b.data, "abc-xy[42:ok]");

	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");

	/* Growth past the first allocation keeps the content and the NUL. */
	for (i = 0; i < 1000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 1000);
	assert_int_equal(strlen(b.data), 1000);
	assert_true(b.cap > 1000);
	assert_int_equal(b.data[999], 'a' + 999 % 26);
	buf_addf(&b, "%0500d", 7);
	assert_int_equal(b.len, 1500);
	assert_int_equal(strlen(b.data), 1500);
	assert_int_equal(b.data[1499], '7');

	/* Embedded NULs are kept and counted. */
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);

	s = buf_steal(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_memory_equal(s, "a\0b", 4);
	free(s);

	buf_adds(&b, "x");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b);		/* twice is harmless */
}

/* ---- struct strlist ---- */

static void
test_strlist(void **state)
{
	struct strlist l = { 0 };
	char name[16];
	const char *orig = "owned";
	size_t i;

	assert_false(strlist_contains(&l, "a"));
	strlist_add(&l, "a");
	strlist_add(&l, "b");
	strlist_add(&l, "a");		/* strlist_add keeps duplicates */
	assert_int_equal(l.count, 3);
	assert_string_equal(l.items[0], "a");
	assert_string_equal(l.items[1], "b");
	assert_string_equal(l.items[2], "a");
	assert_true(strlist_contains(&l, "b"));
	assert_false(strlist_contains(&l, "B"));
	assert_false(strlist_contains(&l, ""));

	strlist_add_unique(&l, "b");
	strlist_add_unique(&l, "c");
	assert_int_equal(l.count, 4);
	assert_string_equal(l.items[3], "c");

	/* Items are copies. */
	strlist_add(&l, orig);
	assert_true(l.items[4] != orig);
	assert_string_equal(l.items[4], "owned");

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "item%zu", i);
		strlist_add_unique(&l, name);
	}
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "item%zu", i);
		strlist_add_unique(&l, name);
	}
	assert_int_equal(l.count, 105);
	assert_string_equal(l.items[104], "item99");
	assert_true(strlist_contains(&l, "item50"));

	strlist_free(&l);
	assert_null(l.items);
	assert_int_equal(l.count, 0);
	assert_int_equal(l.cap, 0);
	assert_false(strlist_contains(&l, "a"));
	strlist_add(&l, "again");
	assert_int_equal(l.count, 1);
	strlist_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_safe),
		cmocka_unit_test(test_text_safe_len),
		cmocka_unit_test(test_text_safe_line),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_fit),
		cmocka_unit_test(test_str_helpers),
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_time_parse_since),
		cmocka_unit_test(test_size_parse),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_strlist),
	};

	/* Widths are those of the UTF-8 locale. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		print_error("the C.UTF-8 locale is not available\n");
		return 1;
	}
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
