/* urls.c: finds advertised URLs in decoded text and HTML and reduces their hosts to the
 * registrable domain with libpsl; IDN conversion comes from GLib. */

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
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

/* A URL found in mail counts as the target of the gateway's wrappers around it, and only when
 * its host is a host name or an IP literal: "www..example.com" (dot-stuffing damage),
 * "exa;mple.com" and the like name nothing a desk can act on. */
static void scan_add(struct strlist *, const char *, int);
static char *percent_decode(const char *, size_t);

/*
 * A URL carried inside another's path or query, written out or percent-encoded: a tracker or
 * an affiliate network's redirect ("https://clicks.example/links/1/dlg/http://shop.example/")
 * is what the spam linked, and the site it leads to is what it advertised: both count.
 */
static void
scan_inner(struct strlist *urls, const char *url, int depth)
{
	const char *p, *rest = strstr(url, "://");
	char *decoded;
	size_t n;

	if (rest == NULL || depth >= 3)
		return;
	for (p = rest + 3; *p != '\0'; p++) {
		if (p[-1] != '/' && p[-1] != '=')
			continue;
		if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
			n = strcspn(p, "&");
			decoded = xstrndup(p, n);
			scan_add(urls, decoded, depth + 1);
			free(decoded);
			return;
		}
		if (strncasecmp(p, "http%3A%2F%2F", 13) == 0 ||
		    strncasecmp(p, "https%3A%2F%2F", 14) == 0) {
			n = strcspn(p, "&");
			decoded = percent_decode(p, n);
			scan_add(urls, decoded, depth + 1);
			free(decoded);
			return;
		}
	}
}

static void
scan_add(struct strlist *urls, const char *url, int depth)
{
	char *target = urls_unwrap(url), *host;

	if (target != NULL)
		url = target;
	host = urls_host(url);
	if (host != NULL) {
		strlist_add_unique(urls, url);
		scan_inner(urls, url, depth);
	}
	free(host);
	free(target);
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
			/* A no-break space (U+00A0) ends it as a space does. */
			if ((unsigned char)text[end] == 0xc2 && end + 1 < len &&
			    (unsigned char)text[end + 1] == 0xa0)
				break;
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
			scan_add(urls, url, 0);
		free(url);
	}
}

/*
 * Does value (n bytes, an href with no scheme) start with a host name whose last label is a
 * listed suffix ("changeyourclothes.com.sg/log.php")? Mail has no base for a relative link,
 * so such an href names a site; "images/a.gif", "page.html" and "#top" do not.
 */
static int
schemeless_site(const char *value, size_t n)
{
	size_t host = strcspn(value, "/?#");
	const char *last;
	char *name, *label;
	int ok;

	if (host > n)
		host = n;
	if (host == 0 || memchr(value, ':', host) != NULL || memchr(value, '.', host) == NULL ||
	    value[0] == '.' || strncasecmp(value, "www.", 4) == 0)
		return 0;
	name = xstrndup(value, host);
	last = strrchr(name, '.');
	label = xstrdup(last + 1);
	ok = urls_valid_host(name) && *label != '\0' && urls_is_public_suffix(label);
	free(label);
	free(name);
	return ok;
}

void
urls_scan_hrefs(const char *html, size_t len, struct strlist *urls, size_t max)
{
	const char *p = html, *end = html + len, *v;
	char quote, *url;
	size_t n;

	while (urls->count < max && (p = strcasestr(p, "href")) != NULL && p < end) {
		p += 4;
		v = p;
		while (v < end && (*v == ' ' || *v == '\t' || *v == '\n'))
			v++;
		if (v == end || *v != '=')
			continue;
		v++;
		while (v < end && (*v == ' ' || *v == '\t' || *v == '\n'))
			v++;
		quote = v < end && (*v == '"' || *v == '\'') ? *v++ : 0;
		for (n = 0; v + n < end && (quote ? v[n] != quote : !url_stop((unsigned char)v[n]))
		    && v[n] != '\n'; n++)
			;
		if (n == 0 || !schemeless_site(v, n))
			continue;
		url = xasprintf("http://%.*s", (int)n, v);
		scan_add(urls, url, 0);
		free(url);
		p = v + n;
	}
}

/* %XX sequences decoded; a malformed one and %00 (which would end the string) are kept as
 * written. */
static char *
percent_decode(const char *text, size_t len)
{
	struct buf b;
	size_t i;
	int hi, lo;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (text[i] == '%' && i + 2 < len &&
		    (hi = g_ascii_xdigit_value(text[i + 1])) >= 0 &&
		    (lo = g_ascii_xdigit_value(text[i + 2])) >= 0 && (hi | lo) != 0) {
			buf_addc(&b, (char)(hi << 4 | lo));
			i += 2;
		} else
			buf_addc(&b, text[i]);
	}
	return buf_steal(&b);
}

/* The host as a browser reads it (WHATWG URL host parsing): the authority ends at / ? # or \,
 * user information and port are dropped, then the host is percent-decoded ("ex%41mple.com" is
 * example.com to every browser, and spam uses it to hide from filters) and converted to ASCII.
 * What is then not a host name (urls_valid_host) or an IPv6 literal names no host. */
char *
urls_host(const char *url)
{
	const char *p = url, *end, *at, *colon;
	struct ipaddr ip;
	char *host, *name;

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
		/* An IPv6 literal, alone or before a port. */
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close == NULL || (close + 1 != end && close[1] != ':'))
			return NULL;
		host = xstrndup(p + 1, (size_t)(close - p - 1));
		str_lower_inplace(host);
		if (ipaddr_parse(host, &ip) != 0 || strchr(host, ':') == NULL) {
			free(host);
			return NULL;
		}
		return host;
	}
	colon = memchr(p, ':', (size_t)(end - p));
	if (colon != NULL)
		end = colon;
	host = percent_decode(p, (size_t)(end - p));
	name = urls_host_name(host);
	free(host);
	return name;
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

static int
ascii_only(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
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
	if (ascii_only(name, len)) {
		/* What g_hostname_to_ascii makes of ASCII (its nameprep only lower-cases it), without
		 * its walk through every character as Unicode: most names are ASCII. (GLib's
		 * lower-casing would follow a Turkish locale and make "I" a dotless i.) */
		host = xstrndup(name, len);
	} else {
		copy = xstrndup(name, len);
		ascii = g_hostname_to_ascii(copy);
		free(copy);
		if (ascii == NULL)
			return NULL;
		host = xstrdup(ascii);
		g_free(ascii);
	}
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

static char *
registrable_lookup(const char *host)
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

/*
 * The answers of the suffix list, remembered per thread: spam and the Received chains of one
 * feedback loop name the same few hundred hosts again and again, and a lookup costs about as
 * much as parsing a header. A direct-mapped table of the last host per slot; the list itself
 * never changes once loaded, so an answer never goes stale.
 */
#define REGISTRABLE_SLOTS	512

struct registrable_slot {
	char	*host;
	char	*domain;	/* NULL: no registrable domain */
};

static pthread_key_t registrable_key;
static pthread_once_t registrable_once = PTHREAD_ONCE_INIT;

static void
registrable_cache_free(void *cache)
{
	struct registrable_slot *slots = cache;
	size_t i;

	for (i = 0; i < REGISTRABLE_SLOTS; i++) {
		free(slots[i].host);
		free(slots[i].domain);
	}
	free(slots);
}

static void
registrable_key_init(void)
{
	if (pthread_key_create(&registrable_key, registrable_cache_free) != 0)
		abort();
}

char *
urls_registrable(const char *host)
{
	struct registrable_slot *slots, *slot;
	uint32_t hash = 2166136261u;	/* FNV-1a */
	const char *p;

	pthread_once(&registrable_once, registrable_key_init);
	if ((slots = pthread_getspecific(registrable_key)) == NULL) {
		slots = xcalloc(REGISTRABLE_SLOTS, sizeof *slots);
		if (pthread_setspecific(registrable_key, slots) != 0)
			abort();
	}
	for (p = host; *p != '\0'; p++)
		hash = (hash ^ (unsigned char)*p) * 16777619u;
	slot = &slots[hash % REGISTRABLE_SLOTS];
	if (slot->host == NULL || strcmp(slot->host, host) != 0) {
		free(slot->host);
		free(slot->domain);
		slot->host = xstrdup(host);
		slot->domain = registrable_lookup(host);
	}
	return slot->domain != NULL ? xstrdup(slot->domain) : NULL;
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

int
urls_is_public_suffix(const char *domain)
{
	char *lower = xstrdup(domain);
	int rc;

	str_lower_inplace(lower);
	/* Without the "*" rule: an unknown single label ("localhost") is not a listed suffix. */
	rc = *lower != '\0' && psl_is_public_suffix2(psl_get(), lower,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
	free(lower);
	return rc;
}

/* ---- Link rewriters of the recipient's security gateway ----
 * A gateway that rewrites every link of incoming mail puts its own host in front of the
 * spammer's: unwrapped, the spammer's domain counts and the gateway's does not. A redirector
 * the spammer chose (a shortener, a tracking domain) is not here: it is what the spam
 * advertised. */

/* The value of the query parameter name (at the start of query or after '&'), up to the next
 * '&' or '#'; NULL if there is none. */
static const char *
query_param(const char *query, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			*len = strcspn(p, "&#");
			return p;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* The earliest of the ends a Proofpoint u= value may have ("&k=", or "&amp;k=" where the HTML
 * was not decoded). */
static const char *
first_of(const char *text, const char *const *ends)
{
	const char *best = NULL, *hit;

	for (; *ends != NULL; ends++)
		if ((hit = strstr(text, *ends)) != NULL && (best == NULL || hit < best))
			best = hit;
	return best;
}

/* Percent-decode, then decode HTML character references: what Proofpoint's own decoder does
 * to the u= of v1 and v2. */
static char *
proofpoint_finish(const char *value, size_t len)
{
	char *url = percent_decode(value, len), *html;

	html = urls_html_decode(url, strlen(url));
	free(url);
	return html;
}

/* v1: https://urldefense.proofpoint.com/v1/url?u=URL&k=...: u= up to &k=. */
static char *
unwrap_proofpoint_v1(const char *rest)
{
	static const char *const ends[] = { "&k=", "&amp;k=", NULL };
	const char *value, *end;
	size_t len;

	if ((value = query_param(rest, "u", &len)) == NULL || (end = first_of(value, ends)) == NULL)
		return NULL;
	return proofpoint_finish(value, (size_t)(end - value));
}

/* v2: /v2/url?u=ENC&d=...&c=...: u= up to &d= or &c=, written with '-' for '%' and '_' for
 * '/' ("https-3A__www.example.com_x"). */
static char *
unwrap_proofpoint_v2(const char *rest)
{
	static const char *const ends[] = { "&d=", "&c=", "&amp;d=", "&amp;c=", NULL };
	const char *value, *end;
	char *special, *url;
	size_t len, i;

	if ((value = query_param(rest, "u", &len)) == NULL || (end = first_of(value, ends)) == NULL)
		return NULL;
	special = xstrndup(value, (size_t)(end - value));
	for (i = 0; special[i] != '\0'; i++)
		if (special[i] == '-')
			special[i] = '%';
		else if (special[i] == '_')
			special[i] = '/';
	url = proofpoint_finish(special, strlen(special));
	free(special);
	return url;
}

/* base64url without padding (RFC 4648 section 5) into out; -1 for any other character or a
 * length that no encoding has. */
static int
base64url_decode(const char *text, size_t len, struct buf *out)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned long bits = 0;
	size_t i;
	int nbits = 0;
	const char *c;

	while (len > 0 && text[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\0' || (c = strchr(alphabet, text[i])) == NULL)
			return -1;
		bits = (bits << 6 | (unsigned long)(c - alphabet)) & 0xffffff;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			buf_addc(out, (char)(bits >> nbits & 0xff));
		}
	}
	return 0;
}

/* v3: /v3/__URL__;ENC!ORG!SIG$. The URL is percent-decoded; Proofpoint took the characters
 * it could not leave in it out and wrote a '*' for each: ENC is those characters, UTF-8 in
 * base64url, handed out in turn. "**X" stands for a run of them whose length X encodes: 'A' is
 * 2, 'B' 3, ... '_' 65 (the base64url alphabet from 2). A lone '*' is one character. */
static char *
unwrap_proofpoint_v3(const char *rest)
{
	static const char runs[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *close = strstr(rest, "__;"), *enc, *bang, *run, *next, *after;
	struct buf chars, url;
	char *decoded;
	size_t i, take;

	if (close == NULL || close == rest)
		return NULL;
	enc = close + 3;
	if ((bang = strchr(enc, '!')) == NULL)
		return NULL;
	buf_init(&chars);
	if (base64url_decode(enc, (size_t)(bang - enc), &chars) != 0 ||
	    !g_utf8_validate(chars.data != NULL ? chars.data : "", (gssize)chars.len, NULL)) {
		buf_free(&chars);
		return NULL;
	}
	decoded = percent_decode(rest, (size_t)(close - rest));
	next = chars.data != NULL ? chars.data : "";
	buf_init(&url);
	for (i = 0; decoded[i] != '\0'; i++) {
		if (decoded[i] != '*') {
			buf_addc(&url, decoded[i]);
			continue;
		}
		take = 1;
		if (decoded[i + 1] == '*' && decoded[i + 2] != '\0') {
			if ((run = strchr(runs, decoded[i + 2])) == NULL)
				goto malformed;
			take = (size_t)(run - runs) + 2;
			i += 2;
		}
		for (; take > 0; take--) {
			/* More stars than characters: not what Proofpoint writes. */
			if (next >= chars.data + chars.len)
				goto malformed;
			after = g_utf8_next_char(next);
			buf_add(&url, next, (size_t)(after - next));
			next = after;
		}
	}
	free(decoded);
	buf_free(&chars);
	return buf_steal(&url);
malformed:
	free(decoded);
	buf_free(&chars);
	buf_free(&url);
	return NULL;
}

/* Microsoft Defender for Office 365 Safe Links: https://eur01.safelinks.protection.outlook.com/
 * ?url=ENC&data=...&sdata=...&reserved=0, url= percent-encoded once. */
static char *
unwrap_safelinks(const char *rest)
{
	const char *value;
	size_t len;

	if ((value = query_param(rest, "url", &len)) == NULL)
		return NULL;
	return percent_decode(value, len);
}

/* Google's redirector: https://www.google.com/url?q=URL&sa=D&... (some links write url=). */
static char *
unwrap_google(const char *rest)
{
	const char *value;
	size_t len;

	if ((value = query_param(rest, "q", &len)) == NULL &&
	    (value = query_param(rest, "url", &len)) == NULL)
		return NULL;
	return percent_decode(value, len);
}

/* Google's AMP cache: https://SUB.cdn.ampproject.org/{c|i|r}/[s/]HOST/PATH serves HOST's page
 * ("s/" for https). */
static char *
unwrap_amp(const char *rest)
{
	int https = strncmp(rest, "s/", 2) == 0;

	if (https)
		rest += 2;
	if (*rest == '\0' || *rest == '/')
		return NULL;
	return xasprintf("%s://%s", https ? "https" : "http", rest);
}

#define PROOFPOINT_HOSTS	"urldefense.proofpoint.com urldefense.com"

/* One row per rewriter. hosts: space-separated patterns, "name" for that host, "*.name" for a
 * host below name, "name.*" for name under any public suffix (google.co.uk). paths: what the
 * path after the host starts with, space-separated (a query without a path counts as "/?");
 * decode gets what follows it and returns the target, or NULL when the link is malformed. */
static const struct unwrapper {
	const char	*name;
	const char	*hosts;
	const char	*paths;
	char		*(*decode)(const char *rest);
} unwrappers[] = {
	{ "Proofpoint URL Defense v1", PROOFPOINT_HOSTS, "/v1/url?", unwrap_proofpoint_v1 },
	{ "Proofpoint URL Defense v2", PROOFPOINT_HOSTS, "/v2/url?", unwrap_proofpoint_v2 },
	{ "Proofpoint URL Defense v3", PROOFPOINT_HOSTS, "/v3/__", unwrap_proofpoint_v3 },
	{ "Microsoft Safe Links", "*.safelinks.protection.outlook.com "
	  "*.safelinks.protection.office365.us", "/?", unwrap_safelinks },
	{ "Google redirect", "google.* www.google.*", "/url?", unwrap_google },
	{ "Google AMP cache", "cdn.ampproject.org *.cdn.ampproject.org", "/c/ /i/ /r/",
	  unwrap_amp },
};

/* The length of the pattern of the space-separated list that text starts with, or 0. */
static size_t
path_matches(const char *text, const char *patterns)
{
	const char *p = patterns;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, " ");
		if (strncmp(text, p, n) == 0)
			return n;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Does host match one of the space-separated patterns? */
static int
host_matches(const char *host, const char *patterns)
{
	size_t hl = strlen(host), n;
	const char *p = patterns;

	while (*p != '\0') {
		n = strcspn(p, " ");
		if (n > 2 && p[0] == '*' && p[1] == '.') {
			/* ".name" at the end of a longer host. */
			if (hl > n - 1 && strncmp(host + hl - (n - 1), p + 1, n - 1) == 0)
				return 1;
		} else if (n > 2 && p[n - 1] == '*' && p[n - 2] == '.') {
			if (hl > n - 1 && strncmp(host, p, n - 1) == 0 &&
			    urls_is_public_suffix(host + n - 1))
				return 1;
		} else if (hl == n && strncmp(host, p, n) == 0)
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* One layer: the target of url when a row recognises it, else NULL. The path is looked at
 * first: it rules out nearly every link before the host is converted. */
static char *
unwrap_once(const char *url)
{
	const struct unwrapper *u;
	const char *p = url, *rest;
	char *host = NULL, *path, *target = NULL;
	size_t i, n;

	if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else
		return NULL;
	rest = p + strcspn(p, "/?#\\");
	path = *rest == '?' ? xasprintf("/%s", rest) : xstrdup(rest);
	for (i = 0; i < sizeof unwrappers / sizeof unwrappers[0] && target == NULL; i++) {
		u = &unwrappers[i];
		if ((n = path_matches(path, u->paths)) == 0)
			continue;
		if (host == NULL && (host = urls_host(url)) == NULL)
			break;
		if (host_matches(host, u->hosts))
			target = u->decode(path + n);
	}
	free(path);
	free(host);
	return target;
}

/* A target worth unwrapping to: an http(s) URL whose host is a host name with a dot or an IP
 * literal, as urls_scan requires of what it finds. */
static int
unwrap_target_ok(const char *url)
{
	char *host;
	int ok;

	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return 0;
	if ((host = urls_host(url)) == NULL)
		return 0;
	ok = strchr(host, '.') != NULL || strchr(host, ':') != NULL;
	free(host);
	return ok;
}

char *
urls_unwrap(const char *url)
{
	char *current = NULL, *next;
	int depth;

	/* Gateways wrap each other (Safe Links around Proofpoint): unwrap again, a few times. */
	for (depth = 0; depth < URLS_MAX_UNWRAP; depth++) {
		next = unwrap_once(current != NULL ? current : url);
		if (next == NULL)
			break;
		if (!unwrap_target_ok(next)) {
			/* A malformed wrapper stays as it was written. */
			free(next);
			break;
		}
		free(current);
		current = next;
	}
	return current;
}

/* ---- SMTP dot-stuffing (RFC 5321 section 4.5.2) ----
 * A sender doubles the dot of every line that begins with one, and the receiver takes it away
 * again. A capture of the raw DATA stream keeps the doubled dot: after a quoted-printable soft
 * break, "http://www=" / "..example.com" decodes to "www..example.com". */

/* The start of the line after the one at i. */
static size_t
line_end(const char *raw, size_t len, size_t i)
{
	const char *nl = memchr(raw + i, '\n', len - i);

	return nl != NULL ? (size_t)(nl - raw) + 1 : len;
}

/* Is raw[i..next) the DATA terminator: a lone "." ending the stream? */
static int
is_terminator(const char *raw, size_t len, size_t i, size_t next)
{
	size_t k;

	if (raw[i] != '.' || next - i > 3)
		return 0;
	for (k = i + 1; k < next; k++)
		if (raw[k] != '\r' && raw[k] != '\n')
			return 0;
	return next == len;
}

int
urls_dot_stuffed(const char *raw, size_t len)
{
	size_t i, next, doubled = 0;

	for (i = 0; i < len; i = next) {
		next = line_end(raw, len, i);
		if (raw[i] != '.')
			continue;
		if (i + 1 < len && raw[i + 1] == '.')
			doubled++;
		else if (!is_terminator(raw, len, i, next))
			return 0;	/* a single dot: never stuffed, or undone already */
	}
	return doubled > 0;
}

char *
urls_unstuff(const char *raw, size_t len, size_t *out_len)
{
	struct buf b;
	size_t i, next;

	buf_init(&b);
	for (i = 0; i < len; i = next) {
		next = line_end(raw, len, i);
		if (is_terminator(raw, len, i, next))
			break;
		if (raw[i] == '.')
			i++;
		buf_add(&b, raw + i, next - i);
	}
	*out_len = b.len;
	return buf_steal(&b);
}
