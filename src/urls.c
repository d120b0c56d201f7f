/* urls.c: finds advertised URLs in decoded text and HTML and reduces their hosts to the
 * registrable domain with libpsl; IDN conversion comes from GLib. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <libpsl.h>

#include "ipaddr.h"
#include "urls.h"

/* Obfuscations and what they stand for, matched without regard to case. Longest first where one
 * is the prefix of another. */
static const struct {
	const char	*from;
	const char	*to;
	int		 eat_spaces;	/* also swallow one space either side: "example [dot] com" */
} refangs[] = {
	{ "hxxps", "https", 0 },
	{ "hxxp", "http", 0 },
	{ "h**ps", "https", 0 },
	{ "h**p", "http", 0 },
	{ "h__ps", "https", 0 },
	{ "h__p", "http", 0 },
	{ "[://]", "://", 0 },
	{ "[:]", ":", 0 },
	{ "[.]", ".", 1 },
	{ "(.)", ".", 1 },
	{ "{.}", ".", 1 },
	{ "[dot]", ".", 1 },
	{ "(dot)", ".", 1 },
	{ "{dot}", ".", 1 },
	{ "[/]", "/", 0 },
};

char *
urls_refang(const char *text, size_t len)
{
	struct buf b;
	size_t i = 0, k, n;

	buf_init(&b);
	while (i < len) {
		/* Every obfuscation starts with one of these: copy other runs whole. */
		n = strcspn(text + i, "hH[({");
		if (n > 0) {
			if (n > len - i)
				n = len - i;
			buf_add(&b, text + i, n);
			i += n;
			continue;
		}
		for (k = 0; k < sizeof refangs / sizeof refangs[0]; k++) {
			/* Compare the first two bytes before the whole pattern: HTML is full of h. */
			if (tolower((unsigned char)text[i]) != refangs[k].from[0] || i + 1 >= len ||
			    tolower((unsigned char)text[i + 1]) != refangs[k].from[1])
				continue;
			n = strlen(refangs[k].from);
			if (i + n <= len && strncasecmp(text + i, refangs[k].from, n) == 0)
				break;
		}
		if (k == sizeof refangs / sizeof refangs[0]) {
			buf_addc(&b, text[i++]);
			continue;
		}
		/* "hxxp" inside a word ("ahxxpb") is not a scheme. */
		if (refangs[k].to[0] == 'h' && i > 0 && isalnum((unsigned char)text[i - 1])) {
			buf_addc(&b, text[i++]);
			continue;
		}
		if (refangs[k].eat_spaces && b.len > 0 && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		buf_adds(&b, refangs[k].to);
		i += n;
		if (refangs[k].eat_spaces && i < len && text[i] == ' ')
			i++;
	}
	return buf_steal(&b);
}

static const struct {
	const char	*name;
	const char	*text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", " " }, { "sol", "/" }, { "colon", ":" }, { "period", "." }, { "equals", "=" },
	{ "quest", "?" }, { "num", "#" }, { "percnt", "%" }, { "lowbar", "_" }, { "hyphen", "-" },
};

char *
urls_html_decode(const char *text, size_t len)
{
	struct buf b;
	size_t i = 0, j, k;
	unsigned long cp;
	char *end;
	char utf8[8];
	int n;

	buf_init(&b);
	while (i < len) {
		if (text[i] != '&') {
			const char *amp = memchr(text + i, '&', len - i);
			size_t run = amp != NULL ? (size_t)(amp - (text + i)) : len - i;

			buf_add(&b, text + i, run);
			i += run;
			continue;
		}
		if (i + 2 < len && text[i + 1] == '#') {
			j = i + 2;
			if (text[j] == 'x' || text[j] == 'X')
				cp = strtoul(text + j + 1, &end, 16);
			else
				cp = strtoul(text + j, &end, 10);
			if ((size_t)(end - text) <= len && end > text + j + (text[j] == 'x' ||
			    text[j] == 'X') && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
				n = g_unichar_to_utf8((gunichar)cp, utf8);
				buf_add(&b, utf8, (size_t)n);
				i = (size_t)(end - text);
				if (i < len && text[i] == ';')
					i++;
				continue;
			}
		}
		for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
			j = strlen(entities[k].name);
			if (i + 1 + j < len + 1 && strncmp(text + i + 1, entities[k].name, j) == 0 &&
			    (i + 1 + j == len || text[i + 1 + j] == ';' ||
			    !isalnum((unsigned char)text[i + 1 + j])))
				break;
		}
		if (k == sizeof entities / sizeof entities[0]) {
			buf_addc(&b, text[i++]);
			continue;
		}
		buf_adds(&b, entities[k].text);
		i += 1 + strlen(entities[k].name);
		if (i < len && text[i] == ';')
			i++;
	}
	return buf_steal(&b);
}

/* Bytes that end a URL in running text or an HTML attribute. */
static int
url_stop(unsigned char c)
{
	return c <= ' ' || c == 0x7f || strchr("<>\"'`{}|\\^", c) != NULL;
}

/* Does the last character of s[0..len), a ')' or ']', close a bracket opened within s? */
static int
closes_inside(const char *s, size_t len)
{
	char close = s[len - 1], open = close == ')' ? '(' : close == ']' ? '[' : 0;
	size_t i;
	int depth = 0;

	if (open == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == open)
			depth++;
		else if (s[i] == close)
			depth--;
	}
	return depth >= 0;
}

void
urls_scan(const char *text, size_t len, struct strlist *urls, size_t max)
{
	size_t i = 0, start, end, host;
	int www, parens;
	char *url;

	while (i < len && urls->count < max) {
		www = 0;
		/* Only 'h' (http) and 'w' (www.) can start a URL. */
		if (text[i] != 'h' && text[i] != 'H' && text[i] != 'w' && text[i] != 'W') {
			i++;
			continue;
		}
		if ((len - i >= 7 && strncasecmp(text + i, "http://", 7) == 0) ||
		    (len - i >= 8 && strncasecmp(text + i, "https://", 8) == 0))
			host = i + (text[i + 4] == ':' ? 7 : 8);
		else if (len - i >= 5 && strncasecmp(text + i, "www.", 4) == 0 &&
		    isalnum((unsigned char)text[i + 4])) {
			host = i;
			www = 1;
		} else {
			i++;
			continue;
		}
		if (i > 0 && (isalnum((unsigned char)text[i - 1]) ||
		    (www && strchr(".-@/_", text[i - 1]) != NULL))) {
			i++;
			continue;
		}
		start = i;
		parens = 0;
		for (end = host; end < len && !url_stop((unsigned char)text[end]); end++) {
			if (text[end] == '(')
				parens++;
			else if (text[end] == ')' && --parens < 0)
				break;
		}
		/* Sentence punctuation after a URL is not part of it; a closing bracket is, when it
		 * closes one opened inside the URL ("/wiki/Foo_(bar)", "http://[2001:db8::1]"). */
		while (end > host && strchr(".,;:!?)]*", text[end - 1]) != NULL &&
		    !closes_inside(text + host, end - host))
			end--;
		i = end > start ? end : start + 1;
		if (end <= host)
			continue;
		url = xstrndup(text + start, end - start);
		if (www || strchr(url + (host - start), '.') != NULL ||
		    text[host] == '[')
			strlist_add_unique(urls, url);
		free(url);
	}
}

char *
urls_host(const char *url)
{
	const char *p = url, *end, *at;
	char *host, *ascii;
	size_t len;

	if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	end = p + strcspn(p, "/?#\\");
	/* user:password@ before the host. */
	for (at = end; at > p; at--)
		if (at[-1] == '@')
			break;
	if (at > p)
		p = at;
	if (*p == '[') {
		/* An IPv6 literal. */
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close == NULL)
			return NULL;
		host = xstrndup(p + 1, (size_t)(close - p - 1));
		str_lower_inplace(host);
		return host;
	}
	len = (size_t)(end - p);
	if (memchr(p, ':', len) != NULL)
		len = (size_t)((const char *)memchr(p, ':', len) - p);
	while (len > 0 && p[len - 1] == '.')
		len--;
	if (len == 0)
		return NULL;
	host = xstrndup(p, len);
	if (!g_utf8_validate(host, -1, NULL)) {
		free(host);
		return NULL;
	}
	ascii = g_hostname_to_ascii(host);
	free(host);
	if (ascii == NULL)
		return NULL;
	host = xstrdup(ascii);
	g_free(ascii);
	str_lower_inplace(host);
	return host;
}

/* Host names as DNS and browsers take them: RFC 1123 letters, digits and hyphens, and the
 * underscore, which DNS allows (RFC 2181 section 11) and links use (_dmarc, wildcard hosts such
 * as my_shop.example.com); hyphens are not checked for position, as WHATWG URL parsing does not.
 * Labels of 1 to 63 octets, at most 253 in all (RFC 1035 section 2.3.4, without the root). */
int
urls_valid_host(const char *host)
{
	size_t label = 0, total = 0;
	const char *p;

	for (p = host; *p != '\0'; p++, total++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && total <= 253;
}

char *
urls_host_name(const char *name)
{
	size_t len = strlen(name);
	char *copy, *ascii, *host;

	/* One trailing dot is the root of an absolute name; a second would be an empty label. */
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || !g_utf8_validate(name, (gssize)len, NULL))
		return NULL;
	copy = xstrndup(name, len);
	ascii = g_hostname_to_ascii(copy);
	free(copy);
	if (ascii == NULL)
		return NULL;
	host = xstrdup(ascii);
	g_free(ascii);
	str_lower_inplace(host);
	if (!urls_valid_host(host)) {
		free(host);
		return NULL;
	}
	return host;
}

static psl_ctx_t *psl_latest_ctx;
static int psl_loaded;

void
urls_init(void)
{
	/* The newest list on the system (Debian's publicsuffix package) or the built-in one. */
	if (!psl_loaded) {
		psl_loaded = 1;
		psl_latest_ctx = psl_latest(NULL);
	}
}

static const psl_ctx_t *
psl_get(void)
{
	urls_init();
	return psl_latest_ctx != NULL ? psl_latest_ctx : psl_builtin();
}

char *
urls_registrable(const char *host)
{
	struct ipaddr ip;
	const char *reg;

	if (ipaddr_parse(host, &ip) == 0 || strchr(host, '.') == NULL)
		return NULL;
	/* A host of only digits and dots that inet_pton refused ("1.2.3") is no domain either. */
	if (strspn(host, "0123456789.") == strlen(host))
		return NULL;
	reg = psl_registrable_domain(psl_get(), host);
	return reg != NULL ? xstrdup(reg) : NULL;
}

int
urls_listed(const char *host, const struct strlist *list)
{
	size_t i, hl = strlen(host), el;

	for (i = 0; i < list->count; i++) {
		el = strlen(list->items[i]);
		if (hl == el && strcmp(host, list->items[i]) == 0)
			return 1;
		if (hl > el && host[hl - el - 1] == '.' && strcmp(host + hl - el, list->items[i]) == 0)
			return 1;
	}
	return 0;
}
