/* forward.c: finds the original spam quoted inside a complaint's text: after a forward marker
 * (the table below, one row per client and language), as headers pasted into the body, or after
 * SpamCop's "[ Offending message ]"; makes it parseable (pasted HTML turned into lines, quoting
 * removed, lost folding restored, localized header names made English); and SpamCop's own
 * "Email from" line. Text only: the caller parses what it finds. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "urls.h"
#include "util.h"

/* Locale-free ASCII tests: the text is UTF-8 whatever LC_CTYPE says. */
#define ASCII_ALPHA(c)	(((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z'))
#define ASCII_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define ASCII_LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))

/* Bounds on untrusted input: lines of a header block looked at, a header name, an HTML tag. */
#define BLOCK_MAX_LINES	500
#define NAME_MAX_LEN	64
#define TAG_MAX_LEN	4096

/* Do n bytes at p equal word, without regard to ASCII case? */
static int
same_ci(const char *p, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ASCII_LOWER((unsigned char)p[i]) != ASCII_LOWER((unsigned char)word[i]))
			return 0;
	return 1;
}

/* Does the text at p (end bounding it) start with word, without regard to ASCII case? */
static int
prefix_ci(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && same_ci(p, n, word);
}

/* The length of a no-break space at p (U+00A0 or the narrow U+202F French typography uses). */
static size_t
nbsp_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;

	if (end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (end - p >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
		return 3;
	return 0;
}

/* Past white space: blanks, tabs, CR and no-break spaces. */
static const char *
skip_space(const char *p, const char *end)
{
	size_t n;

	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		else if ((n = nbsp_len(p, end)) > 0)
			p += n;
		else
			return p;
	}
}

/* The end of p..end without trailing white space. */
static const char *
trim_end(const char *p, const char *end)
{
	for (;;) {
		if (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		else if (end - p >= 2 && nbsp_len(end - 2, end) == 2)
			end -= 2;
		else if (end - p >= 3 && nbsp_len(end - 3, end) == 3)
			end -= 3;
		else
			return end;
	}
}

/* The end of the line at p: its '\n' or the terminating NUL. */
static const char *
line_end(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl != NULL ? nl : p + strlen(p);
}

/* Past a quoting prefix ("> ", ">> ", "> > "), a few levels at most. */
static const char *
unquoted(const char *p, const char *end)
{
	int depth;

	for (depth = 0; depth < 8 && p < end && *p == '>'; depth++) {
		p++;
		while (p < end && *p == ' ')
			p++;
	}
	return p;
}

/* A line holding nothing but white space and quoting. */
static int
blank_line(const char *line, const char *end)
{
	return skip_space(unquoted(line, end), end) == end;
}

/*
 * The markers clients write before the original they forward or quote. A marker counts only
 * when a header block follows it, so the words in a sentence ("below is the forwarded message")
 * are none. Words compare without regard to ASCII case (Thunderbird's "Messaggio Inoltrato" is
 * Gmail's "Messaggio inoltrato").
 */
enum marker_form {
	MARKER_DASHES,		/* the words between runs of dashes: "----- Original Message -----" */
	MARKER_COLON,		/* the words and a colon, French typography's space allowed */
	MARKER_RULE,		/* a line of underscores (Outlook's 32, OWA's; HTML's <hr>) */
	MARKER_LINE,		/* the words alone on their line */
};

static const struct forward_marker {
	const char	*client;
	const char	*lang;
	enum marker_form form;
	const char	*words;
} forward_markers[] = {
	{ "Gmail", "en", MARKER_DASHES, "Forwarded message" },
	{ "Gmail", "de", MARKER_DASHES, "Weitergeleitete Nachricht" },
	{ "Gmail", "fr", MARKER_DASHES, "Message transféré" },
	{ "Gmail", "nl", MARKER_DASHES, "Doorgestuurd bericht" },
	{ "Gmail", "es", MARKER_DASHES, "Mensaje reenviado" },
	{ "Gmail", "it", MARKER_DASHES, "Messaggio inoltrato" },
	{ "Thunderbird", "en", MARKER_DASHES, "Forwarded Message" },
	{ "Thunderbird", "de", MARKER_DASHES, "Weitergeleitete Nachricht" },
	{ "Thunderbird", "fr", MARKER_DASHES, "Message transféré" },
	{ "Thunderbird", "nl", MARKER_DASHES, "Doorgestuurd bericht" },
	{ "Thunderbird", "es", MARKER_DASHES, "Mensaje reenviado" },
	{ "Thunderbird", "it", MARKER_DASHES, "Messaggio Inoltrato" },
	{ "Yahoo", "fr", MARKER_DASHES, "Message transmis" },
	{ "GMX/WEB.DE", "de", MARKER_DASHES, "Original-Nachricht" },
	{ "Outlook", "en", MARKER_DASHES, "Original Message" },
	{ "Outlook", "de", MARKER_DASHES, "Ursprüngliche Nachricht" },
	{ "Outlook", "fr", MARKER_DASHES, "Message d'origine" },
	{ "Outlook", "fr", MARKER_DASHES, "Message d\u2019origine" },
	{ "Outlook", "nl", MARKER_DASHES, "Oorspronkelijk bericht" },
	{ "Outlook", "es", MARKER_DASHES, "Mensaje original" },
	{ "Outlook", "it", MARKER_DASHES, "Messaggio originale" },
	{ "Outlook, Outlook.com, OWA", "all", MARKER_RULE, "________________________________" },
	{ "Apple Mail", "en", MARKER_COLON, "Begin forwarded message" },
	{ "Apple Mail", "de", MARKER_COLON, "Anfang der weitergeleiteten Nachricht" },
	{ "Apple Mail", "de", MARKER_COLON, "Anfang der weitergeleiteten E-Mail" },
	{ "Apple Mail", "fr", MARKER_COLON, "Début du message réexpédié" },
	{ "Apple Mail iOS", "fr", MARKER_COLON, "Début du message transféré" },
	{ "Apple Mail", "nl", MARKER_COLON, "Begin doorgestuurd bericht" },
	{ "Apple Mail", "es", MARKER_COLON, "Inicio del mensaje reenviado" },
	{ "Apple Mail", "it", MARKER_COLON, "Inizio messaggio inoltrato" },
	{ "SpamCop", "en", MARKER_LINE, "[ Offending message ]" },
};

/* Outlook writes 32 underscores; some clients and HTML-to-text converters fewer or more. */
#define RULE_MIN	20

/* Is the line a forward marker? */
static int
marker_line(const char *line, const char *end)
{
	const struct forward_marker *m;
	const char *p, *q, *r;
	size_t i, n;

	p = skip_space(unquoted(line, end), end);
	end = trim_end(p, end);
	for (i = 0; i < sizeof forward_markers / sizeof forward_markers[0]; i++) {
		m = &forward_markers[i];
		n = strlen(m->words);
		switch (m->form) {
		case MARKER_RULE:
			for (q = p; q < end && *q == '_'; q++)
				;
			if (q == end && end - p >= RULE_MIN)
				return 1;
			break;
		case MARKER_LINE:
			if ((size_t)(end - p) == n && same_ci(p, n, m->words))
				return 1;
			break;
		case MARKER_COLON:
			if (!prefix_ci(p, end, m->words))
				break;
			q = p + n;
			if (q < end && *q == ' ')
				q++;
			else
				q += nbsp_len(q, end);
			if (q + 1 == end && *q == ':')
				return 1;
			break;
		case MARKER_DASHES:
			for (q = p; q < end && *q == '-'; q++)
				;
			if (q - p < 2)
				break;
			q = skip_space(q, end);
			if (!prefix_ci(q, end, m->words))
				break;
			q = skip_space(q + n, end);
			for (r = q; r < end && *r == '-'; r++)
				;
			if (r == end && r - q >= 2)
				return 1;
			break;
		}
	}
	return 0;
}

/*
 * Header names clients write in the header block they paste, by language, and the English name
 * each stands for. Outlook's "Sent" is the Date. The English names are here too so that French
 * typography ("Subject :") and Gmail's bold ("*From:*") are recognised for them as well.
 */
static const struct {
	const char	*name;
	const char	*english;
} header_names[] = {
	{ "From", "From" }, { "Von", "From" }, { "De", "From" }, { "Van", "From" }, { "Da", "From" },
	{ "Mittente", "From" }, { "Absender", "From" },
	{ "Sent", "Date" }, { "Date", "Date" }, { "Gesendet", "Date" }, { "Datum", "Date" },
	{ "Envoyé", "Date" }, { "Verzonden", "Date" }, { "Enviado el", "Date" }, { "Enviado", "Date" },
	{ "Fecha", "Date" }, { "Inviato", "Date" }, { "Data", "Date" },
	{ "To", "To" }, { "An", "To" }, { "À", "To" }, { "Pour", "To" }, { "Aan", "To" },
	{ "Para", "To" }, { "A", "To" },
	{ "Subject", "Subject" }, { "Betreff", "Subject" }, { "Objet", "Subject" },
	{ "Sujet", "Subject" }, { "Onderwerp", "Subject" }, { "Asunto", "Subject" },
	{ "Oggetto", "Subject" },
	{ "Cc", "Cc" }, { "Kopie (CC)", "Cc" }, { "Kopie", "Cc" }, { "Copie à", "Cc" },
	{ "Reply-To", "Reply-To" }, { "Antwort an", "Reply-To" }, { "Répondre à", "Reply-To" },
	{ "Antwoord aan", "Reply-To" }, { "Responder a", "Reply-To" }, { "Rispondi a", "Reply-To" },
};

struct header_name {
	const char	*english;	/* the English name of a name in the table, else NULL */
	size_t		 name;		/* where the name starts (after Gmail's "*") */
	size_t		 name_len;
	size_t		 value;		/* where the value starts, after the colon */
};

/*
 * Does the line s (len bytes) start with a header name and its colon? A name is a letter (an
 * ASCII one or a UTF-8 sequence) followed by letters, digits and hyphens, the colon right after
 * it; a name of the table may also have a space or a no-break space before its colon.
 */
static int
header_name(const char *s, size_t len, struct header_name *h)
{
	const char *end = s + len, *p = s, *q;
	const unsigned char *u;
	size_t i, n;
	int star = 0;

	if (p < end && *p == '*') {
		star = 1;
		p++;
	}
	h->english = NULL;
	h->name = (size_t)(p - s);
	for (i = 0; i < sizeof header_names / sizeof header_names[0]; i++) {
		n = strlen(header_names[i].name);
		if (!prefix_ci(p, end, header_names[i].name))
			continue;
		q = p + n;
		if (q < end && *q == ' ')
			q++;
		else
			q += nbsp_len(q, end);
		if (q < end && *q == ':') {
			h->english = header_names[i].english;
			h->name_len = n;
			p = q;
			goto colon;
		}
	}
	u = (const unsigned char *)p;
	if (p == end || !(ASCII_ALPHA(*u) || (*u >= 0xc2 && *u <= 0xf4)))
		return 0;
	for (q = p; q < end && q - p <= NAME_MAX_LEN; q++) {
		u = (const unsigned char *)q;
		if (!(ASCII_ALPHA(*u) || ASCII_DIGIT(*u) || *u == '-' || *u >= 0x80))
			break;
	}
	if (q == end || *q != ':' || q - p > NAME_MAX_LEN)
		return 0;
	h->name_len = (size_t)(q - p);
	p = q;
colon:
	p++;
	if (star && p < end && *p == '*')
		p++;
	h->value = (size_t)(p - s);
	return 1;
}

/* Does a text begin with something that looks like a header line ("Received: from ...")? */
int
forward_looks_like_headers(const char *s, size_t len)
{
	struct header_name h;
	size_t i = 0;

	while (i < len && (s[i] == '\r' || s[i] == '\n'))
		i++;
	return header_name(s + i, len - i, &h);
}

/* Does the header block at text (up to its first blank line) hold a Received line? */
static int
block_has_received(const char *text)
{
	const char *line, *end, *p;
	int n;

	for (line = text, n = 0; *line != '\0' && n < BLOCK_MAX_LINES; line = end + 1, n++) {
		end = line_end(line);
		if (blank_line(line, end))
			break;
		p = unquoted(line, end);
		if (prefix_ci(p, end, "Received:"))
			return 1;
		if (*end == '\0')
			break;
	}
	return 0;
}

/* The first line after end (a line's end) that is not blank, or NULL. */
static const char *
next_filled_line(const char *end)
{
	const char *line;

	while (*end != '\0') {
		line = end + 1;
		end = line_end(line);
		if (!blank_line(line, end))
			return line;
	}
	return NULL;
}

/*
 * Where the quoted original starts in a text, or NULL: a forward marker followed by headers
 * that include the Received chain wins (the first such one); else pasted headers (a Received,
 * Return-Path or Delivered-To line), the fullest copy of the original's header, wherever they
 * are; else the short header block after the first marker.
 */
static const char *
find_start(const char *text)
{
	const char *line, *end, *p, *start, *after = NULL;

	for (line = text; *line != '\0'; line = end + 1) {
		end = line_end(line);
		if (marker_line(line, end) && (p = next_filled_line(end)) != NULL) {
			start = skip_space(unquoted(p, line_end(p)), line_end(p));
			if (forward_looks_like_headers(start, (size_t)(line_end(p) - start))) {
				/* Quoted: the caller removes the quoting of every line. */
				if (*p == '>')
					start = p;
				if (block_has_received(start))
					return start;
				if (after == NULL)
					after = start;
			}
		}
		if (*end == '\0')
			break;
	}
	for (line = text; *line != '\0'; line = end + 1) {
		end = line_end(line);
		p = unquoted(line, end);
		if (prefix_ci(p, end, "Received: ") || prefix_ci(p, end, "Return-Path:") ||
		    prefix_ci(p, end, "Delivered-To:"))
			return line;
		if (*end == '\0')
			break;
	}
	return after;
}

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
		if (same_ci(p + start, i - start, html_tags[k].name))
			break;
	if (k == sizeof html_tags / sizeof html_tags[0] || next_gt >= p + n ||
	    next_gt < p + i || next_gt - p > TAG_MAX_LEN)
		return 0;
	*which = k;
	return (size_t)(next_gt - p) + 1;
}

/* Does the text hold HTML line structure or escaped angle brackets? */
static int
looks_like_html(const char *text)
{
	const char *p, *gt = NULL;
	size_t i, k, n = strlen(text);
	int closing;

	for (p = text; (p = strpbrk(p, "<&")) != NULL; p++) {
		if (*p == '&') {
			for (i = 0; i < sizeof html_lt_entities / sizeof html_lt_entities[0]; i++)
				if (prefix_ci(p, text + n, html_lt_entities[i]))
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

/* For each line of the text made from HTML: where it starts there, and where its first
 * character came from in the HTML (SIZE_MAX: a line of white space). */
struct html_line {
	size_t	out;
	size_t	src;
};

struct html_lines {
	struct html_line *lines;
	size_t		  n;
	size_t		  cap;
};

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
		if (i < len && text[i] == '/' && len - i - 1 >= n && same_ci(text + i + 1, n, name)) {
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
		if (c == '&' && (prefix_ci(text + i, text + len, "&nbsp;") ||
		    prefix_ci(text + i, text + len, "&#160;") ||
		    prefix_ci(text + i, text + len, "&#xa0;"))) {
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
static char *
html_to_text(const char *text, size_t len, struct html_lines *map)
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
		end = line_end(line);
		o.map.lines[k].out = b.len;
		decoded = urls_html_decode(line, (size_t)(end - line));
		n = strlen(decoded);
		for (i = 0; i < n; i++)
			if ((unsigned char)decoded[i] < 0x20 && decoded[i] != '\t')
				decoded[i] = ' ';
		for (s = decoded; nbsp_len(s, decoded + n) > 0; s += nbsp_len(s, decoded + n))
			;
		e = trim_end(s, decoded + n);
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
static size_t
html_source(const struct html_lines *map, size_t off)
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

const char *
forward_start(const char *text)
{
	struct html_lines map;
	const char *found;
	char *plain;
	size_t src;

	if (!looks_like_html(text))
		return find_start(text);
	plain = html_to_text(text, strlen(text), &map);
	found = find_start(plain);
	src = found != NULL ? html_source(&map, (size_t)(found - plain)) : SIZE_MAX;
	free(plain);
	free(map.lines);
	return src != SIZE_MAX ? text + src : NULL;
}

/* Remove one level of "> " quoting from every line. */
static char *
unquote(const char *text)
{
	struct buf b;
	const char *p = text;
	int bol = 1;

	buf_init(&b);
	for (; *p != '\0'; p++) {
		if (bol && *p == '>') {
			if (p[1] == ' ')
				p++;
			bol = 0;
			continue;
		}
		bol = *p == '\n';
		buf_addc(&b, *p);
	}
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

/* Month names of the long date forms clients paste (en, de, fr, nl, es, it; full and short). */
static const struct {
	const char	*name;
	int		 month;
} month_names[] = {
	{ "january", 1 }, { "jan", 1 }, { "januar", 1 }, { "janvier", 1 }, { "janv", 1 },
	{ "januari", 1 }, { "enero", 1 }, { "ene", 1 }, { "gennaio", 1 }, { "gen", 1 },
	{ "february", 2 }, { "feb", 2 }, { "februar", 2 }, { "février", 2 }, { "févr", 2 },
	{ "fév", 2 }, { "februari", 2 }, { "febrero", 2 }, { "febbraio", 2 },
	{ "march", 3 }, { "mar", 3 }, { "märz", 3 }, { "mär", 3 }, { "mars", 3 }, { "maart", 3 },
	{ "mrt", 3 }, { "marzo", 3 },
	{ "april", 4 }, { "apr", 4 }, { "avril", 4 }, { "avr", 4 }, { "abril", 4 }, { "abr", 4 },
	{ "aprile", 4 },
	{ "may", 5 }, { "mai", 5 }, { "mei", 5 }, { "mayo", 5 }, { "maggio", 5 }, { "mag", 5 },
	{ "june", 6 }, { "jun", 6 }, { "juni", 6 }, { "juin", 6 }, { "junio", 6 }, { "giugno", 6 },
	{ "giu", 6 },
	{ "july", 7 }, { "jul", 7 }, { "juli", 7 }, { "juillet", 7 }, { "juil", 7 }, { "julio", 7 },
	{ "luglio", 7 }, { "lug", 7 },
	{ "august", 8 }, { "aug", 8 }, { "août", 8 }, { "augustus", 8 }, { "agosto", 8 },
	{ "ago", 8 },
	{ "september", 9 }, { "sep", 9 }, { "sept", 9 }, { "septembre", 9 }, { "septiembre", 9 },
	{ "setiembre", 9 }, { "settembre", 9 }, { "set", 9 },
	{ "october", 10 }, { "oct", 10 }, { "oktober", 10 }, { "okt", 10 }, { "octobre", 10 },
	{ "octubre", 10 }, { "ottobre", 10 }, { "ott", 10 },
	{ "november", 11 }, { "nov", 11 }, { "novembre", 11 }, { "noviembre", 11 },
	{ "december", 12 }, { "dec", 12 }, { "dezember", 12 }, { "dez", 12 }, { "décembre", 12 },
	{ "déc", 12 }, { "diciembre", 12 }, { "dic", 12 }, { "dicembre", 12 },
};

/* Words between the parts of a long date: "at", "um", "à", "om", "a las", "alle ore", "de". */
static const char *const date_fillers[] = {
	"at", "um", "uhr", "à", "om", "a", "las", "alle", "ore", "de", "del", "el", "le",
};

/* Time zones a pasted date names: RFC 5322's and the European ones Apple Mail writes. No
 * ambiguous one (BST, IST): a date in an unknown zone is left out, never guessed. */
static const struct {
	const char	*name;
	int		 minutes;
} zone_names[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 }, { "west", 60 },
	{ "cet", 60 }, { "cest", 120 }, { "mez", 60 }, { "mesz", 120 }, { "eet", 120 },
	{ "eest", 180 }, { "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
	{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
};

static const char *const month_abbr[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (!ASCII_DIGIT(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* An offset "+0200", "+02:00", "+2" (after "UTC"/"GMT") in minutes; 0 when not one. */
static int
zone_offset(const char *s, size_t n, int *minutes)
{
	const char *colon;
	int h, m = 0;

	if (n < 2 || (s[0] != '+' && s[0] != '-'))
		return 0;
	if ((colon = memchr(s, ':', n)) != NULL) {
		h = digits(s + 1, (size_t)(colon - s - 1));
		m = digits(colon + 1, n - (size_t)(colon - s) - 1);
		if ((size_t)(colon - s - 1) > 2 || n - (size_t)(colon - s) - 1 != 2)
			return 0;
	} else if (n == 5) {
		h = digits(s + 1, 2);
		m = digits(s + 3, 2);
	} else if (n <= 3)
		h = digits(s + 1, n - 1);
	else
		return 0;
	if (h < 0 || m < 0 || h > 14 || m > 59)
		return 0;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 1;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/*
 * A pasted date as RFC 5322 ("2 Jul 2024 09:20:11 +0200") into out, or 0. Reads RFC 5322 dates
 * and the long forms clients write in en, de, fr, nl, es and it ("Tuesday, July 2, 2024 9:20
 * AM", "2. Juli 2024 um 09:20:11 MESZ", "2 de julio de 2024, 9:20:11 CEST"). Every word must be
 * understood, and the zone must be given: Outlook's and Gmail's dates have none, and a date in
 * the reader's unknown zone would be a wrong date.
 */
static int
date_rfc5322(const char *value, size_t len, char *out, size_t size)
{
	const char *p = value, *end = value + len, *w;
	char word[40];
	size_t n, i, k;
	int ntok = 0, day = -1, month = -1, month_tok = -1, year = -1, hour = -1, min = -1;
	int sec = 0, zone = 0, have_zone = 0, ampm = 0, depth, v;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' ||
		    *p == '\n' || nbsp_len(p, end) > 0))
			p += nbsp_len(p, end) > 0 ? nbsp_len(p, end) : 1;
		if (p == end)
			break;
		if (*p == '(') {	/* a comment: "(CEST)" */
			for (depth = 0; p < end; p++) {
				depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
				if (depth == 0)
					break;
			}
			if (p == end)
				return 0;
			p++;
			continue;
		}
		for (w = p; p < end && *p != ' ' && *p != '\t' && *p != ',' && *p != '(' &&
		    *p != '\r' && *p != '\n' && nbsp_len(p, end) == 0; p++)
			;
		n = (size_t)(p - w);
		if (n >= sizeof word)
			return 0;
		for (i = 0; i < n; i++)
			word[i] = (char)ASCII_LOWER((unsigned char)w[i]);
		word[n] = '\0';
		if (strcmp(word, "a.m.") == 0 || strcmp(word, "am") == 0)
			ampm = 1;
		else if (strcmp(word, "p.m.") == 0 || strcmp(word, "pm") == 0)
			ampm = 2;
		else if (zone_offset(word, n, &v)) {
			zone = v;
			have_zone++;
		} else {
			if (n > 1 && word[n - 1] == '.')
				word[--n] = '\0';
			if ((v = digits(word, n)) >= 0) {
				if (n == 4 && year < 0)
					year = v;
				else if (n <= 2 && day < 0)
					day = v;
				else
					return 0;
			} else if (n >= 4 && n <= 8 && ASCII_DIGIT(word[0]) && strchr(word, ':') != NULL) {
				char *colon = strchr(word, ':'), *colon2 = strchr(colon + 1, ':');

				if (hour >= 0 || colon - word > 2)
					return 0;
				hour = digits(word, (size_t)(colon - word));
				min = digits(colon + 1, colon2 != NULL ? (size_t)(colon2 - colon - 1) :
				    strlen(colon + 1));
				sec = colon2 != NULL ? digits(colon2 + 1, strlen(colon2 + 1)) : 0;
				if (hour < 0 || min < 0 || sec < 0 || strlen(colon + 1) < 2)
					return 0;
			} else {
				for (k = 0; k < sizeof month_names / sizeof month_names[0]; k++)
					if (strcmp(word, month_names[k].name) == 0)
						break;
				if (k < sizeof month_names / sizeof month_names[0]) {
					/* "mar. 2 juil.": the first was the weekday. */
					if (month >= 0 && month_tok != 0)
						return 0;
					month = month_names[k].month;
					month_tok = ntok;
					ntok++;
					continue;
				}
				for (k = 0; k < sizeof zone_names / sizeof zone_names[0]; k++) {
					size_t zn = strlen(zone_names[k].name);

					if (strncmp(word, zone_names[k].name, zn) == 0 &&
					    (word[zn] == '\0' || ((k < 3) &&
					    zone_offset(word + zn, n - zn, &v))))
						break;
				}
				if (k < sizeof zone_names / sizeof zone_names[0]) {
					size_t zn = strlen(zone_names[k].name);

					zone = word[zn] == '\0' ? zone_names[k].minutes : v;
					have_zone++;
				} else {
					for (k = 0; k < sizeof date_fillers / sizeof date_fillers[0]; k++)
						if (strcmp(word, date_fillers[k]) == 0)
							break;
					/* The weekday leads; any word of letters will do there. */
					if (k == sizeof date_fillers / sizeof date_fillers[0] && ntok != 0)
						return 0;
					if (ntok == 0 && k == sizeof date_fillers / sizeof date_fillers[0])
						for (i = 0; i < n; i++)
							if (!ASCII_ALPHA(word[i]) &&
							    (unsigned char)word[i] < 0x80)
								return 0;
				}
			}
		}
		ntok++;
	}
	if (day < 1 || month < 1 || year < 1970 || year > 2099 || hour < 0 || have_zone != 1 ||
	    day > days_in_month(year, month))
		return 0;
	if (ampm != 0) {
		if (hour < 1 || hour > 12)
			return 0;
		hour = hour % 12 + (ampm == 2 ? 12 : 0);
	}
	if (hour > 23 || min > 59 || sec > 59)
		return 0;
	snprintf(out, size, "%02d %s %04d %02d:%02d:%02d %c%02d%02d", day, month_abbr[month - 1],
	    year, hour, min, sec, zone < 0 ? '-' : '+', abs(zone) / 60, abs(zone) % 60);
	return 1;
}

/* An address value with Outlook's "Name [mailto:a@b]" or "a@b<mailto:a@b>" made "<a@b>". */
static void
add_address_value(struct buf *b, const char *v, size_t n)
{
	size_t i = 0, j;
	char close;

	while (i < n) {
		if ((v[i] == '[' || v[i] == '<') && n - i > 8 && same_ci(v + i + 1, 7, "mailto:")) {
			close = v[i] == '[' ? ']' : '>';
			for (j = i + 8; j < n && j - i < 330 && v[j] != close && v[j] != '<' &&
			    v[j] != '>' && v[j] != '[' && v[j] != ']' && v[j] != ' ' && v[j] != '\n'; j++)
				;
			if (j < n && v[j] == close && j > i + 8) {
				/* "a@b<mailto:a@b>" inside "<...>": the copy goes. */
				if (!(v[i] == '<' && i > 0 && v[i - 1] != ' ' && v[i - 1] != '\t')) {
					buf_addc(b, '<');
					buf_add(b, v + i + 8, j - i - 8);
					buf_addc(b, '>');
				}
				i = j + 1;
				continue;
			}
		}
		buf_addc(b, v[i++]);
	}
}

/* One header of the pasted block: its name, and its value with any folding (without the
 * final line end). */
struct pasted_field {
	const char	*name;
	size_t		 name_len;
	struct buf	 value;
};

static void
field_flush(struct buf *b, struct pasted_field *f)
{
	const char *v = f->value.data != NULL ? f->value.data : "";
	const char *s = skip_space(v, v + f->value.len);
	char date[64];
	size_t n = (size_t)(v + f->value.len - s);

	if (f->name == NULL)
		return;
	if (same_ci(f->name, f->name_len, "Date")) {
		/* Rewritten when it can be read, else left out: never a wrong date. */
		if (date_rfc5322(s, n, date, sizeof date)) {
			buf_adds(b, "Date: ");
			buf_adds(b, date);
			buf_addc(b, '\n');
		}
	} else {
		buf_add(b, f->name, f->name_len);
		buf_adds(b, ": ");
		if (same_ci(f->name, f->name_len, "From") || same_ci(f->name, f->name_len, "To") ||
		    same_ci(f->name, f->name_len, "Cc") || same_ci(f->name, f->name_len, "Reply-To") ||
		    same_ci(f->name, f->name_len, "Sender"))
			add_address_value(b, s, n);
		else
			buf_add(b, s, n);
		buf_addc(b, '\n');
	}
	f->name = NULL;
	buf_reset(&f->value);
}

/*
 * The pasted header block made a header: localized names made English ("Betreff :" is
 * "Subject:"), Outlook's addresses and long dates repaired, and lost folding restored: a line
 * that is not "Name: value" continues the one before (a re-wrapped Received's "by mx with ESMTP
 * id ..." or "Tue, 02 Jul 2024 09:20:11 +0200"). The block ends at the first blank line; the
 * body after it is left alone. Gmail's "From: *Name* <x@y>" parses as is.
 */
static char *
repair_headers(const char *text)
{
	struct buf b;
	struct pasted_field f;
	struct header_name h;
	const char *line = text, *end, *next;

	buf_init(&b);
	memset(&f, 0, sizeof f);
	buf_init(&f.value);
	for (; *line != '\0'; line = next) {
		end = line_end(line);
		next = *end == '\n' ? end + 1 : end;
		if (blank_line(line, end)) {
			field_flush(&b, &f);
			buf_addc(&b, '\n');
			buf_adds(&b, next);
			break;
		}
		if (header_name(line, (size_t)(end - line), &h)) {
			field_flush(&b, &f);
			f.name = h.english != NULL ? h.english : line + h.name;
			f.name_len = h.english != NULL ? strlen(h.english) : h.name_len;
			buf_add(&f.value, line + h.value, (size_t)(trim_end(line + h.value, end) -
			    (line + h.value)));
			continue;
		}
		if (f.name == NULL) {
			/* Nothing to continue: kept as it is. */
			buf_add(&b, line, (size_t)(next - line));
			continue;
		}
		/* Folding, kept as it is or restored. */
		if (*line == ' ' || *line == '\t')
			buf_addc(&f.value, '\n');
		else
			buf_adds(&f.value, "\n ");
		buf_add(&f.value, line, (size_t)(trim_end(line, end) - line));
	}
	field_flush(&b, &f);
	buf_free(&f.value);
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

/*
 * Pasted HTML from start: its header block as text lines, then the body as it is (its links are
 * in href attributes a rendering would drop; the caller finds URLs in the markup).
 */
static char *
html_forward(const char *start)
{
	struct html_lines map;
	struct buf b;
	const char *line, *end, *body = NULL;
	char *plain = html_to_text(start, strlen(start), &map);
	size_t src = SIZE_MAX;

	for (line = plain; *line != '\0'; line = end + 1) {
		end = line_end(line);
		if (blank_line(line, end)) {
			body = next_filled_line(end);
			break;
		}
		if (*end == '\0') {
			line = end;
			break;
		}
	}
	if (body != NULL)
		src = html_source(&map, (size_t)(body - plain));
	buf_init(&b);
	buf_add(&b, plain, (size_t)(line - plain));
	if (src != SIZE_MAX) {
		buf_addc(&b, '\n');
		buf_adds(&b, start + src);
	}
	free(plain);
	free(map.lines);
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

char *
forward_text(const char *start)
{
	char *html = looks_like_html(start) ? html_forward(start) : NULL;
	char *quoted = NULL, *next, *text;
	const char *from = html != NULL ? html : start;
	int depth;

	for (depth = 0; depth < 8 && from[0] == '>'; depth++) {
		next = unquote(from);
		free(quoted);
		from = quoted = next;
	}
	text = repair_headers(from);
	free(quoted);
	free(html);
	return text;
}

char *
forward_spamcop_source(const char *text)
{
	const char *p = text, *line;
	size_t n;

	for (line = p; line != NULL && *line != '\0'; line = p) {
		p = strchr(line, '\n');
		if (p != NULL)
			p++;
		if (strncmp(line, "Email from ", 11) != 0)
			continue;
		n = strcspn(line + 11, " /\r\n");
		return n > 0 && n < 64 ? xstrndup(line + 11, n) : NULL;
	}
	return NULL;
}
