/* words.c: the address a complainant's words name as the spam's source. */

#include <string.h>
#include <strings.h>

#include "util.h"
#include "words.h"

/* The most addresses looked at in one text: a note names one or two. */
#define WORDS_MAX_ADDRESSES	64

static int
address_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	    c == '.' || c == ':';
}

static int
word_char(char c)
{
	return address_char(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z');
}

/*
 * The next public address written in the text from *p on, standing alone (not inside a word or
 * a longer run of digits), into *ip, with where it starts; *p moves past it. 0 at the end.
 */
static int
next_address(const char *text, const char **p, const char **where, struct ipaddr *ip)
{
	const char *s = *p, *start;
	char token[64];
	size_t n;

	while (*s != '\0') {
		if (!address_char(*s) || (s > text && word_char(s[-1]))) {
			s++;
			continue;
		}
		for (start = s; address_char(*s); s++)
			;
		n = (size_t)(s - start);
		/* A sentence's full stop or colon is not part of the address. */
		while (n > 0 && (start[n - 1] == '.' || start[n - 1] == ':'))
			n--;
		if (n < 3 || n >= sizeof token || word_char(*s))
			continue;
		memcpy(token, start, n);
		token[n] = '\0';
		if (ipaddr_parse(token, ip) != 0 || ipaddr_reserved(ip) != NULL)
			continue;
		*p = s;
		*where = start;
		return 1;
	}
	*p = s;
	return 0;
}

/* How near "spam" must stand to an address for the words to name it as the spam's source. */
#define SPAM_NEAR	400

/* Does "spam" (any case) stand within SPAM_NEAR bytes of p, before or after? */
static int
spam_near(const char *text, const char *p)
{
	const char *s = p - text > SPAM_NEAR ? p - SPAM_NEAR : text, *q;

	for (q = s; *q != '\0' && q < p + SPAM_NEAR; q++)
		if ((*q == 's' || *q == 'S') && strncasecmp(q, "spam", 4) == 0)
			return 1;
	return 0;
}

int
words_source_ip(const char *words, int near, struct ipaddr *ip)
{
	const char *p = words, *where;
	struct ipaddr found, one;
	int count = 0, seen;

	for (seen = 0; seen < WORDS_MAX_ADDRESSES && next_address(words, &p, &where, &found);
	    seen++) {
		if (near && !spam_near(words, where))
			continue;
		if (count > 0 && ipaddr_equal(&found, &one))
			continue;
		one = found;
		if (++count > 1)
			return 0;
	}
	if (count == 1)
		*ip = one;
	return count == 1;
}

int
words_mention(const char *text, const struct ipaddr *ip)
{
	const char *p = text, *where;
	struct ipaddr found;
	int seen;

	for (seen = 0; seen < WORDS_MAX_ADDRESSES && next_address(text, &p, &where, &found);
	    seen++)
		if (ipaddr_equal(&found, ip))
			return 1;
	return 0;
}
