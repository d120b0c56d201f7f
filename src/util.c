/* util.c: allocation wrappers, buffers, string lists, terminal-safe text and time parsing. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include <openssl/sha.h>

#include "util.h"

static void
fatal_oom(void)
{
	fputs("arfdesk: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		fatal_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal_oom();
	return p;
}

void *
xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size ? size : 1);

	if (p == NULL)
		fatal_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		fatal_oom();
	va_end(ap);
	return p;
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
	b->data[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = xstrdup("");
	buf_init(b);
	return p;
}

void
strlist_add(struct strlist *l, const char *s)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->count++] = xstrdup(s);
}

int
strlist_contains(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

void
strlist_remove(struct strlist *l, const char *s)
{
	size_t i, j;

	for (i = j = 0; i < l->count; i++) {
		if (strcmp(l->items[i], s) == 0) {
			free(l->items[i]);
			continue;
		}
		l->items[j++] = l->items[i];
	}
	l->count = j;
}

void
strlist_add_unique(struct strlist *l, const char *s)
{
	if (!strlist_contains(l, s))
		strlist_add(l, s);
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = l->cap = 0;
}

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters that must never reach a terminal: they reorder or hide text, or act as controls. */
static int
cp_is_unsafe(uint32_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return 1;
	if (c == 0x061c || c == 0x200b || c == 0x200c || c == 0x200d || c == 0x200e ||
	    c == 0x200f || c == 0x2060 || c == 0xfeff)
		return 1;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return 1;
	return 0;
}

char *
text_safe(const char *in, size_t len, int keep_newline)
{
	const unsigned char *s = (const unsigned char *)in;
	struct buf b;
	size_t i = 0, n;
	uint32_t c;

	buf_init(&b);
	buf_grow(&b, len);
	while (i < len) {
		/* Printable ASCII, the common case, is copied a run at a time. */
		for (n = 0; i + n < len && s[i + n] >= 0x20 && s[i + n] < 0x7f; n++)
			;
		if (n > 0) {
			buf_add(&b, s + i, n);
			i += n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &c);
		if (n == 0) {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (c == '\t' || (keep_newline && c == '\n'))
			buf_addc(&b, (char)c);
		else if (keep_newline && c == '\r') {
			/* CRLF and bare CR become LF. */
			if (i + 1 == len || s[i + 1] != '\n')
				buf_addc(&b, '\n');
		}
		else if (cp_is_unsafe(c))
			buf_addc(&b, ' ');
		else
			buf_add(&b, s + i, n);
		i += n;
	}
	return buf_steal(&b);
}

char *
text_safe_line(const char *in, size_t len)
{
	char *s = text_safe(in, len, 0);
	char *r, *w;
	int space = 0;

	for (r = w = s; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\t') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

size_t
text_width(const char *s)
{
	size_t width = 0, n, len = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	int w;

	while (len > 0) {
		n = utf8_decode(p, len, &c);
		if (n == 0)
			n = 1, c = '?';
		w = wcwidth((wchar_t)c);
		width += w < 0 ? 1 : (size_t)w;
		p += n;
		len -= n;
	}
	return width;
}

char *
text_fit(const char *s, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), used = 0, n;
	struct buf b;
	uint32_t c;
	int w;

	if (text_width(s) <= width)
		return xstrdup(s);
	buf_init(&b);
	while (len > 0) {
		n = utf8_decode(p, len, &c);
		if (n == 0)
			n = 1, c = '?';
		w = wcwidth((wchar_t)c);
		if (w < 0)
			w = 1;
		if (used + (size_t)w + 1 > width)
			break;
		buf_add(&b, p, n);
		used += (size_t)w;
		p += n;
		len -= n;
	}
	if (width > 0)
		buf_addc(&b, '~');
	return buf_steal(&b);
}

const char *
names_join(const char *const *names, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; names[i] != NULL && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", names[i]);
	return out;
}

int
names_find(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
str_lower_inplace(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
	return 0;
}

char *
str_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int
str_has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

void
time_iso(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
time_parse_since(const char *s, time_t now, time_t *out)
{
	struct tm tm, given, back;
	char *end;
	long n;
	const char *rest;

	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno == 0 && end != s && *end != '\0' && end[1] == '\0' && n >= 0 &&
		    n < 100000) {
			switch (*end) {
			case 'd': *out = now - n * 86400; return 0;
			case 'h': *out = now - n * 3600; return 0;
			case 'm': *out = now - n * 60; return 0;
			case 'w': *out = now - n * 7 * 86400; return 0;
			}
		}
	}
	memset(&tm, 0, sizeof tm);
	rest = strptime(s, "%Y-%m-%d", &tm);
	if (rest == NULL)
		return -1;
	if (*rest == 'T' || *rest == ' ') {
		const char *t = strptime(rest + 1, "%H:%M:%S", &tm);

		if (t == NULL)
			t = strptime(rest + 1, "%H:%M", &tm);
		if (t == NULL)
			return -1;
		rest = t;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest != '\0')
		return -1;
	given = tm;
	*out = timegm(&tm);
	/* strptime takes 2026-11-31 (any day up to 31) and timegm makes it 2026-12-01: a date
	 * that is not in the calendar is an error, not another day. */
	if (gmtime_r(out, &back) == NULL || back.tm_year != given.tm_year ||
	    back.tm_mon != given.tm_mon || back.tm_mday != given.tm_mday ||
	    back.tm_hour != given.tm_hour || back.tm_min != given.tm_min ||
	    back.tm_sec != given.tm_sec)
		return -1;
	return 0;
}

int
size_parse(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long n, mult;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0': mult = 1; break;
	case 'K': mult = 1024ULL; end++; break;
	case 'M': mult = 1024ULL * 1024; end++; break;
	case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	default: return -1;
	}
	if (n > UINT64_MAX / mult)
		return -1;
	n *= mult;
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end != '\0')
		return -1;
	*out = n;
	return 0;
}

void
sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[32];
	size_t i;

	/* OpenSSL's SHA-256 uses the CPU's SHA instructions: an import hashes every message, and
	 * GLib's portable one took a sixth of the import's time. */
	SHA256(data, len, digest);
	for (i = 0; i < sizeof digest; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[64] = '\0';
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
