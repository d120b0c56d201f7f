/* test-forward.c: tests finding the original quoted in a complaint's text, and SpamCop's line. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])

/* forward_start: where the original starts, given as the text that must follow. */
static const struct {
	const char	*name;
	const char	*text;
	const char	*starts;	/* a prefix of the expected start, NULL: none */
} start_tests[] = {
	{ "gmail marker, short block",
	  "See below.\n\n---------- Forwarded message ---------\nFrom: A <a@x.example>\n"
	  "Subject: hi\n\nbody\n",
	  "From: A <a@x.example>" },
	{ "marker block holding Received wins",
	  "fyi\n-----Original Message-----\nFrom: s@x.example\nReceived: from x ([192.0.2.1])\n\n"
	  "body\nReceived: from later\n",
	  "From: s@x.example" },
	{ "pasted headers after a short marker block",
	  "---------- Forwarded message ---------\nFrom: s@x.example\nSubject: s\n\n"
	  "Return-Path: <b@x.example>\nReceived: from y ([192.0.2.9])\n\nspam\n",
	  "Return-Path: <b@x.example>" },
	{ "pasted headers before a marker",
	  "Delivered-To: me@example.org\nReceived: by z\n\nhtml\n---------- Forwarded message"
	  " ---------\nFrom: s@x.example\n",
	  "Delivered-To: me@example.org" },
	{ "spamcop offending message",
	  "[ SpamCop V4.8 ]\nEmail from 192.0.2.7 / Mon\n\n[ Offending message ]\n"
	  "X-Account-Key: a\nReceived: from q ([192.0.2.7])\n",
	  "X-Account-Key: a" },
	{ "marker not followed by headers",
	  "---------- Forwarded message ---------\nhello there\n", NULL },
	{ "nothing quoted", "Please stop these mails.\nThanks\n", NULL },
	{ "Received inside a sentence is not a header",
	  "I have Received: nothing useful\n", NULL },
};

static void
test_start(void **state)
{
	const char *got;
	size_t i;

	for (i = 0; i < NROWS(start_tests); i++) {
		got = forward_start(start_tests[i].text);
		if (start_tests[i].starts == NULL) {
			if (got != NULL)
				print_error("row \"%s\": expected none, got \"%.40s\"\n",
				    start_tests[i].name, got);
			assert_null(got);
			continue;
		}
		if (got == NULL || strncmp(got, start_tests[i].starts,
		    strlen(start_tests[i].starts)) != 0)
			print_error("row \"%s\": got \"%.40s\"\n", start_tests[i].name,
			    got ? got : "(none)");
		assert_non_null(got);
		assert_memory_equal(got, start_tests[i].starts, strlen(start_tests[i].starts));
	}
}

/* forward_text: quoting removed and lost folding restored, the body left alone. */
static const struct {
	const char	*name;
	const char	*in;
	const char	*out;
} text_tests[] = {
	{ "quoted", "> From: a@x.example\n> Subject: s\n>\n> body\n",
	  "From: a@x.example\nSubject: s\n\nbody\n" },
	{ "lost folding",
	  "Received: from 10.0.0.1 by mx with\nHTTPS; Mon, 2 Nov 2026\nSubject: s\n\nbody\nnot: header\n",
	  "Received: from 10.0.0.1 by mx with\n HTTPS; Mon, 2 Nov 2026\nSubject: s\n\nbody\nnot: header\n" },
	{ "base64 continuation",
	  "X-Sig: a=1;\nb=Zm9v+/==\nFrom: s@x.example\n\n",
	  "X-Sig: a=1;\n b=Zm9v+/==\nFrom: s@x.example\n\n" },
	{ "folded already", "Subject: a\n\tb\n\nx\n", "Subject: a\n\tb\n\nx\n" },
};

static void
test_text(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(text_tests); i++) {
		got = forward_text(text_tests[i].in);
		if (strcmp(got, text_tests[i].out) != 0)
			print_error("row \"%s\"\n", text_tests[i].name);
		assert_string_equal(got, text_tests[i].out);
		free(got);
	}
}

static const struct {
	const char	*text;
	const char	*ip;
} spamcop_tests[] = {
	{ "[ SpamCop V4.8.3 ]\nEmail from 178.200.164.219 / Mon, 12 Sep 2016\n", "178.200.164.219" },
	{ "Email from 2001:db8::7 / Mon\n", "2001:db8::7" },
	{ "x\r\nEmail from 192.0.2.1\r\n", "192.0.2.1" },
	{ "Email from  / nothing\n", NULL },
	{ "An Email from 192.0.2.1 in a sentence\n", NULL },
	{ "no line at all", NULL },
};

static void
test_spamcop(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(spamcop_tests); i++) {
		got = forward_spamcop_source(spamcop_tests[i].text);
		if (spamcop_tests[i].ip == NULL)
			assert_null(got);
		else {
			assert_non_null(got);
			assert_string_equal(got, spamcop_tests[i].ip);
		}
		free(got);
	}
}

static const struct {
	const char	*text;
	int		 expected;
} header_tests[] = {
	{ "Received: from x", 1 }, { "\n\nFrom: a", 1 }, { "X-Spam-Flag: YES", 1 },
	{ "hello world", 0 }, { ": no name", 0 }, { "", 0 }, { "1abc: x", 0 },
	{ "Name with space: x", 0 },
};

static void
test_looks_like_headers(void **state)
{
	size_t i;

	for (i = 0; i < NROWS(header_tests); i++) {
		if (forward_looks_like_headers(header_tests[i].text,
		    strlen(header_tests[i].text)) != header_tests[i].expected)
			print_error("row \"%s\"\n", header_tests[i].text);
		assert_int_equal(forward_looks_like_headers(header_tests[i].text,
		    strlen(header_tests[i].text)), header_tests[i].expected);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_spamcop),
		cmocka_unit_test(test_looks_like_headers),
	};

	return cmocka_run_group_tests_name("forward", tests, NULL, NULL);
}
