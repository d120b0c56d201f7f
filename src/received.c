/* received.c: finds the connecting IP in Received headers written by Postfix, Sendmail, Exim,
 * qmail, Exchange, Gmail and others, and walks the chain to the first untrusted hop. */

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "received.h"
#include "util.h"

/* Try a token as an address: "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1", "192.0.2.1:25". */
static int
token_ip(const char *start, size_t len, struct ipaddr *ip)
{
	char token[80];
	const char *open, *close;
	char *colon;

	if (len == 0 || len >= sizeof token)
		return -1;
	memcpy(token, start, len);
	token[len] = '\0';
	open = strchr(token, '[');
	if (open != NULL) {
		close = strchr(open, ']');
		if (close == NULL)
			return -1;
		token[close - token] = '\0';
		return ipaddr_parse(open + 1, ip);
	}
	/* Strip punctuation that sits around an address in prose. */
	while (len > 0 && strchr(".,;:)", token[len - 1]) != NULL)
		token[--len] = '\0';
	if (ipaddr_parse(token, ip) == 0)
		return 0;
	/* An IPv4 address with a port ("192.0.2.1:4321"). */
	colon = strchr(token, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		if (ipaddr_parse(token, ip) == 0 && ip->family == 4)
			return 0;
	}
	return -1;
}

/* The client's HELO name is what it claimed, not what the MTA saw: "helo=[10.0.0.5]". */
static int
is_helo_word(const char *s, size_t len)
{
	return len >= 5 && (strncasecmp(s, "helo=", 5) == 0 || strncasecmp(s, "ehlo=", 5) == 0);
}

/* Look for an address among the space-separated words of s[0..len). */
static int
words_ip(const char *s, size_t len, struct ipaddr *ip)
{
	size_t i = 0, start;

	while (i < len) {
		while (i < len && (isspace((unsigned char)s[i]) || s[i] == '(' || s[i] == ')'))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)s[i]) && s[i] != '(' && s[i] != ')')
			i++;
		if (i > start && !is_helo_word(s + start, i - start) &&
		    token_ip(s + start, i - start, ip) == 0)
			return 0;
	}
	return -1;
}

/* A comment that reports the HELO ("(HELO [192.168.1.100])", qmail and qpsmtpd). */
static int
is_helo_comment(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	return len >= 5 && (strncasecmp(s, "HELO", 4) == 0 || strncasecmp(s, "EHLO", 4) == 0) &&
	    isspace((unsigned char)s[4]);
}

int
received_connecting_ip(const char *value, struct ipaddr *ip)
{
	const char *p = value, *clause, *end;
	int depth = 0;
	const char *c, *open = NULL;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "from", 4) != 0 || !isspace((unsigned char)p[4]))
		return -1;
	clause = p + 4;
	/* The from clause ends at " by " outside parentheses, or at the date's ';'. */
	for (end = clause; *end != '\0'; end++) {
		if (*end == '(')
			depth++;
		else if (*end == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *end == ';')
			break;
		else if (depth == 0 && isspace((unsigned char)*end) &&
		    strncasecmp(end + 1, "by", 2) == 0 && isspace((unsigned char)end[3]))
			break;
	}
	/* First choice: an address inside a parenthesised comment, where MTAs write what they saw
	 * ("(rdns [192.0.2.1])", "(HELO x) (192.0.2.1)"); the first word may be the client's HELO. */
	depth = 0;
	for (c = clause; c < end; c++) {
		if (*c == '(') {
			if (depth++ == 0)
				open = c + 1;
		} else if (*c == ')' && depth > 0) {
			if (--depth == 0 && open != NULL &&
			    !is_helo_comment(open, (size_t)(c - open)) &&
			    words_ip(open, (size_t)(c - open), ip) == 0)
				return 0;
		}
	}
	/* Else the first word itself: Exim's "from [192.0.2.1] (helo=...)" or a bare address. */
	return words_ip(clause, (size_t)(end - clause), ip) == 0 ? 0 : -1;
}

int
received_source(const char *const *values, size_t count, const struct ipnet *trusted,
    size_t ntrusted, struct ipaddr *ip, size_t *hop)
{
	size_t i, t;
	struct ipaddr cand;

	for (i = 0; i < count; i++) {
		if (received_connecting_ip(values[i], &cand) != 0)
			continue;
		if (ipaddr_reserved(&cand) != NULL)
			continue;
		for (t = 0; t < ntrusted; t++)
			if (ipnet_contains(&trusted[t], &cand))
				break;
		if (t < ntrusted)
			continue;
		*ip = cand;
		*hop = i + 1;
		return 0;
	}
	return -1;
}
