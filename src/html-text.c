/* html-text.c: pasted HTML made text lines: a text/plain part that carries the HTML of a
 * rendition, or headers copied from a web view, read as the lines a browser would show. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html-text.h"
#include "text-scan.h"
#include "urls.h"
#include "util.h"

/* Bounds on untrusted input: the length of an HTML tag. */
#define TAG_MAX_LEN	4096

/*
 * Pasted HTML: a text/plain part that carries the HTML of a rendition, or headers copied from a
 * web view (<br> line ends, &lt; for "<"). Turned into text lines before anything is looked for:
 * <br> ends a line, block elements start one, </p> leaves a blank line, <hr> becomes Outlook's
 * rule, other tags go; entities are decoded. Tags are known by name only, so "<a@x.example>"
 * and "<Name>" stay text. From the first tag on, white space and line ends are spaces, as in a
 * browser; lines before it (the complainant's note) are kept as they are.
 */
enum html_kind {
	HTML_INLINE, HTML_BREAK, HTML_BLOCK, HTML_PARA, HTML_RULE, HTML_CELL, HTML_SKIP, HTML_PRE,
};

static const struct {
	const char	*name;
	enum html_kind	 kind;
	int		 structure;	/* makes a text HTML */
} html_tags[] = {
	{ "br", HTML_BREAK, 1 }, { "p", HTML_PARA, 1 }, { "div", HTML_BLOCK, 1 },
	{ "hr", HTML_RULE, 1 }, { "table", HTML_BLOCK, 1 }, { "tr", HTML_BLOCK, 1 },
	{ "blockquote", HTML_BLOCK, 1 }, { "html", HTML_INLINE, 1 }, { "body", HTML_INLINE, 1 },
	{ "pre", HTML_PRE, 1 }, { "td", HTML_CELL, 0 }, { "th", HTML_CELL, 0 },
	{ "li", HTML_BLOCK, 0 }, { "ul", HTML_BLOCK, 0 }, { "ol", HTML_BLOCK, 0 },
	{ "dl", HTML_BLOCK, 0 }, { "dt", HTML_BLOCK, 0 }, { "dd", HTML_BLOCK, 0 },
	{ "h1", HTML_BLOCK, 0 }, { "h2", HTML_BLOCK, 0 }, { "h3", HTML_BLOCK, 0 },
	{ "h4", HTML_BLOCK, 0 }, { "h5", HTML_BLOCK, 0 }, { "h6", HTML_BLOCK, 0 },
	{ "center", HTML_BLOCK, 0 }, { "section", HTML_BLOCK, 0 }, { "article", HTML_BLOCK, 0 },
	{ "header", HTML_BLOCK, 0 }, { "footer", HTML_BLOCK, 0 }, { "address", HTML_BLOCK, 0 },
	{ "caption", HTML_BLOCK, 0 }, { "style", HTML_SKIP, 0 }, { "script", HTML_SKIP, 0 },
	{ "title", HTML_SKIP, 0 }, { "head", HTML_INLINE, 0 }, { "meta", HTML_INLINE, 0 },
	{ "link", HTML_INLINE, 0 }, { "base", HTML_INLINE, 0 }, { "a", HTML_INLINE, 0 },
	{ "b", HTML_INLINE, 0 }, { "i", HTML_INLINE, 0 }, { "u", HTML_INLINE, 0 },
	{ "s", HTML_INLINE, 0 }, { "em", HTML_INLINE, 0 }, { "strong", HTML_INLINE, 0 },
	{ "span", HTML_INLINE, 0 }, { "font", HTML_INLINE, 0 }, { "img", HTML_INLINE, 0 },
	{ "small", HTML_INLINE, 0 }, { "big", HTML_INLINE, 0 }, { "sup", HTML_INLINE, 0 },
	{ "sub", HTML_INLINE, 0 }, { "tt", HTML_INLINE, 0 }, { "code", HTML_INLINE, 0 },
	{ "strike", HTML_INLINE, 0 }, { "del", HTML_INLINE, 0 }, { "ins", HTML_INLINE, 0 },
	{ "label", HTML_INLINE, 0 }, { "wbr", HTML_INLINE, 0 }, { "tbody", HTML_INLINE, 0 },
	{ "thead", HTML_INLINE, 0 }, { "tfoot", HTML_INLINE, 0 }, { "col", HTML_INLINE, 0 },
	{ "colgroup", HTML_INLINE, 0 }, { "o:p", HTML_INLINE, 0 },
};

/* Entities that make a text with no tags worth decoding: an address pasted as "&lt;a@b&gt;". */
static const char *const html_lt_entities[] = {
	"&lt;", "&gt;", "&#60;", "&#62;", "&#x3c;", "&#x3e;", "&#060;", "&#062;",
};

/* The tag at p ("<", n bytes on), its length up to its '>' (next_gt, p + n when there is none:
 * remembering that keeps a text of many '<' and no '>' linear), or 0 if none is known. */
static size_t
html_tag(const char *p, size_t n, const char *next_gt, size_t *which, int *closing)
{
	size_t i = 1, start, k;

	*closing = 0;
	if (i < n && p[i] == '/') {
		*closing = 1;
		i++;
	}
	for (start = i; i < n && i - start < 12 && (ASCII_ALPHA(p[i]) || ASCII_DIGIT(p[i]) ||
	    p[i] == ':'); i++)
		;
	if (i == start || i == n || !(p[i] == '>' || p[i] == '/' || p[i] == ' ' ||
	    p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		return 0;
	for (k = 0; k < sizeof html_tags / sizeof html_tags[0]; k++)
		if (text_scan_same_ci(p + start, i - start, html_tags[k].name))
			break;
	if (k == sizeof html_tags / sizeof html_tags[0] || next_gt >= p + n ||
	    next_gt < p + i || next_gt - p > TAG_MAX_LEN)
		return 0;
	*which = k;
	return (size_t)(next_gt - p) + 1;
}

/* Does the text hold HTML line structure or escaped angle brackets? */
int
html_text_looks_like(const char *text)
{
	const char *p, *gt = NULL;
	size_t i, k, n = strlen(text);
	int closing;

	for (p = text; (p = strpbrk(p, "<&")) != NULL; p++) {
		if (*p == '&') {
			for (i = 0; i < sizeof html_lt_entities / sizeof html_lt_entities[0]; i++)
				if (text_scan_prefix_ci(p, text + n, html_lt_entities[i]))
					return 1;
			continue;
		}
		if (gt == NULL || gt < p)
			gt = (gt = strchr(p, '>')) != NULL ? gt : text + n;
		if (html_tag(p, n - (size_t)(p - text), gt, &k, &closing) > 0 &&
		    html_tags[k].structure)
			return 1;
	}
	return 0;
}

struct html_out {
	struct buf	  b;
	struct html_lines map;
	int		  bol;		/* at the start of a line */
	int		  space;	/* white space seen and not yet written */
};

static void
html_newline(struct html_out *o)
{
	buf_addc(&o->b, '\n');
	o->bol = 1;
	o->space = 0;
	if (o->map.n == o->map.cap) {
		o->map.cap = o->map.cap != 0 ? o->map.cap * 2 : 64;
		o->map.lines = xrealloc(o->map.lines, o->map.cap * sizeof o->map.lines[0]);
	}
	o->map.lines[o->map.n].out = o->b.len;
	o->map.lines[o->map.n++].src = SIZE_MAX;
}

/* Write n bytes that came from src; white space at a line's start does not count as its
 * first character. */
static void
html_put(struct html_out *o, const char *s, size_t n, size_t src, int white)
{
	if (o->space && !o->bol)
		buf_addc(&o->b, ' ');
	o->space = 0;
	if (!white && o->map.lines[o->map.n - 1].src == SIZE_MAX)
		o->map.lines[o->map.n - 1].src = src;
	buf_add(&o->b, s, n);
	o->bol = 0;
}

static void
html_soft_break(struct html_out *o)
{
	if (!o->bol)
		html_newline(o);
	o->space = 0;
}

/* A paragraph's end: a blank line after it, one only. */
static void
html_para_end(struct html_out *o)
{
	html_soft_break(o);
	if (o->b.len > 0 && !(o->b.len >= 2 && o->b.data[o->b.len - 2] == '\n'))
		html_newline(o);
}

/* Where "</name" closes the element opened at i, or len. */
static size_t
html_skip_element(const char *text, size_t len, size_t i, const char *name)
{
	const char *p;
	size_t n = strlen(name);

	while (i < len && (p = memchr(text + i, '<', len - i)) != NULL) {
		i = (size_t)(p - text) + 1;
		if (i < len && text[i] == '/' && len - i - 1 >= n && text_scan_same_ci(text + i + 1, n, name)) {
			p = memchr(text + i, '>', len - i);
			return p != NULL ? (size_t)(p - text) + 1 : len;
		}
	}
	return len;
}

/* The line structure of the HTML in text: tags resolved, entities still to decode. */
static void
html_structure(const char *text, size_t len, struct html_out *o)
{
	const char *gt = NULL, *p;
	size_t i = 0, k, n;
	int in_html = 0, pre = 0, closing;
	static const char rule[] = "________________________________";

	while (i < len) {
		char c = text[i];

		if (c == '<' && (gt == NULL || gt < text + i))
			gt = (gt = memchr(text + i, '>', len - i)) != NULL ? gt : text + len;
		if (c == '<' && i + 1 < len && text[i + 1] == '!') {
			/* A comment (an unclosed one runs to the end), <!DOCTYPE>, <![endif]>. */
			if (len - i >= 4 && memcmp(text + i, "<!--", 4) == 0) {
				p = memmem(text + i + 4, len - i - 4, "-->", 3);
				i = p != NULL ? (size_t)(p - text) + 3 : len;
				continue;
			}
			if (gt < text + len && gt - (text + i) < TAG_MAX_LEN) {
				i = (size_t)(gt - text) + 1;
				continue;
			}
		}
		if (c == '<') {
			if ((n = html_tag(text + i, len - i, gt, &k, &closing)) > 0) {
				in_html = 1;
				i += n;
				switch (html_tags[k].kind) {
				case HTML_BREAK:
					html_newline(o);
					break;
				case HTML_BLOCK:
					html_soft_break(o);
					break;
				case HTML_PARA:
					if (closing)
						html_para_end(o);
					else
						html_soft_break(o);
					break;
				case HTML_RULE:
					html_soft_break(o);
					html_put(o, rule, sizeof rule - 1, i - n, 0);
					html_newline(o);
					break;
				case HTML_CELL:
					o->space = 1;
					break;
				case HTML_SKIP:
					if (!closing)
						i = html_skip_element(text, len, i, html_tags[k].name);
					break;
				case HTML_PRE:
					html_soft_break(o);
					pre = !closing;
					break;
				case HTML_INLINE:
					break;
				}
				continue;
			}
		}
		if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
			i++;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (!in_html || pre)
				html_newline(o);
			else
				o->space = 1;
			i++;
			continue;
		}
		if ((c == ' ' || c == '\t') && in_html && !pre) {
			o->space = 1;
			i++;
			continue;
		}
		/* A no-break space is content (Outlook's <div>&nbsp;</div> is a blank line), but
		 * not a line's first character. */
		if (c == '&' && (text_scan_prefix_ci(text + i, text + len, "&nbsp;") ||
		    text_scan_prefix_ci(text + i, text + len, "&#160;") ||
		    text_scan_prefix_ci(text + i, text + len, "&#xa0;"))) {
			html_put(o, "\xc2\xa0", 2, i, 1);
			i += 6;
			continue;
		}
		html_put(o, &c, 1, i, c == ' ' || c == '\t');
		i++;
	}
}

/*
 * Text lines from HTML. With map, also where each line came from (forward_start gives the
 * position in the caller's text). Entities are decoded line by line (none spans a line);
 * what decodes to a control character becomes a space, and no-break spaces around a line go.
 */
char *
html_text_lines(const char *text, size_t len, struct html_lines *map)
{
	struct html_out o;
	struct buf b;
	const char *line, *end, *s, *e;
	char *decoded;
	size_t k = 0, i, n;

	memset(&o, 0, sizeof o);
	buf_init(&o.b);
	o.bol = 1;
	o.map.cap = 64;
	o.map.lines = xmalloc(o.map.cap * sizeof o.map.lines[0]);
	o.map.lines[0].out = 0;
	o.map.lines[0].src = SIZE_MAX;
	o.map.n = 1;
	html_structure(text, len, &o);

	buf_init(&b);
	for (line = o.b.data != NULL ? o.b.data : ""; k < o.map.n; k++, line = end + 1) {
		end = text_scan_line_end(line);
		o.map.lines[k].out = b.len;
		decoded = urls_html_decode(line, (size_t)(end - line));
		n = strlen(decoded);
		for (i = 0; i < n; i++)
			if ((unsigned char)decoded[i] < 0x20 && decoded[i] != '\t')
				decoded[i] = ' ';
		for (s = decoded; text_scan_nbsp_len(s, decoded + n) > 0;
		    s += text_scan_nbsp_len(s, decoded + n))
			;
		e = text_scan_trim_end(s, decoded + n);
		buf_add(&b, s, (size_t)(e - s));
		free(decoded);
		if (*end == '\0')
			break;
		buf_addc(&b, '\n');
	}
	buf_free(&o.b);
	if (map != NULL)
		*map = o.map;
	else
		free(o.map.lines);
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

/* Where the line of the converted text holding offset off came from, or SIZE_MAX. */
size_t
html_text_source(const struct html_lines *map, size_t off)
{
	size_t lo = 0, hi = map->n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (map->lines[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	return map->n > 0 ? map->lines[lo].src : SIZE_MAX;
}
