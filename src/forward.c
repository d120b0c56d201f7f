/* forward.c: finds the original spam quoted inside a complaint's text: after a forward marker
 * (the table below, one row per client and language), as headers pasted into the body, or after
 * SpamCop's "[ Offending message ]"; makes it parseable (pasted HTML turned into lines by
 * html-text.c, quoting removed, lost folding restored, localized header names made English, a
 * pasted date read by pasted-date.c); and the sources SpamCop's text names. Text only: the
 * caller parses what it finds. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "html-text.h"
#include "pasted-date.h"
#include "text-scan.h"
#include "util.h"

/* Bounds on untrusted input: lines of a header block looked at, a header name. */
#define BLOCK_MAX_LINES	500
#define NAME_MAX_LEN	64

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
	return text_scan_skip_space(unquoted(line, end), end) == end;
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

	p = text_scan_skip_space(unquoted(line, end), end);
	end = text_scan_trim_end(p, end);
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
			if ((size_t)(end - p) == n && text_scan_same_ci(p, n, m->words))
				return 1;
			break;
		case MARKER_COLON:
			if (!text_scan_prefix_ci(p, end, m->words))
				break;
			q = p + n;
			if (q < end && *q == ' ')
				q++;
			else
				q += text_scan_nbsp_len(q, end);
			if (q + 1 == end && *q == ':')
				return 1;
			break;
		case MARKER_DASHES:
			for (q = p; q < end && *q == '-'; q++)
				;
			if (q - p < 2)
				break;
			q = text_scan_skip_space(q, end);
			if (!text_scan_prefix_ci(q, end, m->words))
				break;
			q = text_scan_skip_space(q + n, end);
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
		if (!text_scan_prefix_ci(p, end, header_names[i].name))
			continue;
		q = p + n;
		if (q < end && *q == ' ')
			q++;
		else
			q += text_scan_nbsp_len(q, end);
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
		end = text_scan_line_end(line);
		if (blank_line(line, end))
			break;
		p = unquoted(line, end);
		if (text_scan_prefix_ci(p, end, "Received:"))
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
		end = text_scan_line_end(line);
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
		end = text_scan_line_end(line);
		if (marker_line(line, end) && (p = next_filled_line(end)) != NULL) {
			start = text_scan_skip_space(unquoted(p, text_scan_line_end(p)), text_scan_line_end(p));
			if (forward_looks_like_headers(start, (size_t)(text_scan_line_end(p) - start))) {
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
		end = text_scan_line_end(line);
		p = unquoted(line, end);
		if (text_scan_prefix_ci(p, end, "Received: ") ||
		    text_scan_prefix_ci(p, end, "Received:\t") ||
		    text_scan_prefix_ci(p, end, "Return-Path:") ||
		    text_scan_prefix_ci(p, end, "Delivered-To:"))
			return line;
		if (*end == '\0')
			break;
	}
	return after;
}


const char *
forward_start(const char *text)
{
	struct html_lines map;
	const char *found;
	char *plain;
	size_t src;

	if (!html_text_looks_like(text))
		return find_start(text);
	plain = html_text_lines(text, strlen(text), &map);
	found = find_start(plain);
	src = found != NULL ? html_text_source(&map, (size_t)(found - plain)) : SIZE_MAX;
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


/* An address value with Outlook's "Name [mailto:a@b]" or "a@b<mailto:a@b>" made "<a@b>". */
static void
add_address_value(struct buf *b, const char *v, size_t n)
{
	size_t i = 0, j;
	char close;

	while (i < n) {
		if ((v[i] == '[' || v[i] == '<') && n - i > 8 && text_scan_same_ci(v + i + 1, 7, "mailto:")) {
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

/* Is the field named by n bytes at name one whose value holds addresses? */
static int
address_field(const char *name, size_t n)
{
	static const char *const names[] = { "From", "To", "Cc", "Reply-To", "Sender" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (text_scan_same_ci(name, n, names[i]))
			return 1;
	return 0;
}

/* One header of the pasted block: its name, and its value with any folding (without the
 * final line end). */
struct pasted_field {
	const char	*name;
	size_t		 name_len;
	struct buf	 value;
};

/* Does the text hold a line that starts with "--" and the boundary? */
static int
has_boundary(const char *body, const char *boundary, size_t n)
{
	const char *p;

	for (p = body; (p = strstr(p, "--")) != NULL; p += 2)
		if ((p == body || p[-1] == '\n') && strncmp(p + 2, boundary, n) == 0)
			return 1;
	return 0;
}

/*
 * A pasted Content-Type describes the original as it was sent, but what was pasted is what the
 * mail client showed: decoded, in UTF-8 (the complaint's text has been converted), a multipart
 * shown as its text. Only the type is true; a multipart only when its boundary is there (a
 * pasted raw source). Returns the value to write, or NULL to keep the given one.
 */
static char *
pasted_content_type(const char *v, size_t n, const char *body)
{
	size_t type = 0, len;
	const char *b;

	while (type < n && v[type] != ';' && v[type] != ' ' && v[type] != '\t' && v[type] != '\n')
		type++;
	if (type == 0 || memchr(v, '/', type) == NULL)
		return xstrdup("text/plain; charset=utf-8");
	if (!text_scan_prefix_ci(v, v + type, "multipart/"))
		return xasprintf("%.*s; charset=utf-8", (int)type, v);
	if ((b = strcasestr(v, "boundary=")) != NULL && b < v + n) {
		b += 9;
		if (*b == '"')
			b++;
		for (len = 0; b + len < v + n && b[len] != '"' && b[len] != ';' && b[len] != ' ' &&
		    b[len] != '\n'; len++)
			;
		if (len > 0 && body != NULL && has_boundary(body, b, len))
			return NULL;
	}
	return xstrdup("text/plain; charset=utf-8");
}

/* Is the pasted body still in its transfer encoding (a pasted raw source), not shown decoded? */
static int
pasted_still_encoded(const char *cte, size_t n, const char *body)
{
	const char *p, *end;
	size_t len;

	if (body == NULL)
		return 0;
	if (text_scan_same_ci(cte, n, "base64")) {
		/* The first line of the body is base64 alphabet only, and long. */
		p = body;
		while (*p == '\n' || *p == '\r' || *p == ' ')
			p++;
		end = text_scan_line_end(p);
		len = (size_t)(text_scan_trim_end(p, end) - p);
		return len >= 16 && strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=") >= len;
	}
	if (text_scan_same_ci(cte, n, "quoted-printable"))
		return strstr(body, "=\n") != NULL || strstr(body, "=3D") != NULL ||
		    strstr(body, "=20") != NULL;
	return 0;
}

static void
field_flush(struct buf *b, struct pasted_field *f, const char *body)
{
	const char *v = f->value.data != NULL ? f->value.data : "";
	const char *s = text_scan_skip_space(v, v + f->value.len);
	char date[64], *type;
	size_t n = (size_t)(v + f->value.len - s);

	if (f->name == NULL)
		return;
	if (text_scan_same_ci(f->name, f->name_len, "Content-Type") &&
	    (type = pasted_content_type(s, n, body)) != NULL) {
		buf_adds(b, "Content-Type: ");
		buf_adds(b, type);
		buf_addc(b, '\n');
		free(type);
	} else if (text_scan_same_ci(f->name, f->name_len, "Content-Transfer-Encoding")) {
		if (pasted_still_encoded(s, text_scan_trim_end(s, s + n) - s, body)) {
			buf_adds(b, "Content-Transfer-Encoding: ");
			buf_add(b, s, n);
			buf_addc(b, '\n');
		}
	} else if (text_scan_same_ci(f->name, f->name_len, "Date")) {
		/* Rewritten when it can be read, else left out: never a wrong date. */
		if (pasted_date_rfc5322(s, n, date, sizeof date)) {
			buf_adds(b, "Date: ");
			buf_adds(b, date);
			buf_addc(b, '\n');
		}
	} else {
		buf_add(b, f->name, f->name_len);
		buf_adds(b, ": ");
		if (address_field(f->name, f->name_len))
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
	const char *line = text, *end, *next, *body = NULL;

	/* Where the body starts: the header's Content-Type and encoding are judged by it. */
	for (line = text; *line != '\0'; line = next) {
		end = text_scan_line_end(line);
		next = *end == '\n' ? end + 1 : end;
		if (blank_line(line, end)) {
			body = next;
			break;
		}
	}
	line = text;
	buf_init(&b);
	memset(&f, 0, sizeof f);
	buf_init(&f.value);
	for (; *line != '\0'; line = next) {
		end = text_scan_line_end(line);
		next = *end == '\n' ? end + 1 : end;
		if (blank_line(line, end)) {
			field_flush(&b, &f, body);
			buf_addc(&b, '\n');
			buf_adds(&b, next);
			break;
		}
		if (header_name(line, (size_t)(end - line), &h)) {
			field_flush(&b, &f, body);
			f.name = h.english != NULL ? h.english : line + h.name;
			f.name_len = h.english != NULL ? strlen(h.english) : h.name_len;
			buf_add(&f.value, line + h.value, (size_t)(text_scan_trim_end(line + h.value, end) -
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
		buf_add(&f.value, line, (size_t)(text_scan_trim_end(line, end) - line));
	}
	field_flush(&b, &f, body);
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
	char *plain = html_text_lines(start, strlen(start), &map);
	size_t src = SIZE_MAX;

	for (line = plain; *line != '\0'; line = end + 1) {
		end = text_scan_line_end(line);
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
		src = html_text_source(&map, (size_t)(body - plain));
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

/* The most lines a signature below a pasted original has (an antivirus stamp, a name). */
#define SIGNATURE_MAX_LINES	8

/*
 * The complainant's signature below the original they pasted ("-- " and a few lines, such as
 * an antivirus program's stamp with its link) is theirs, not the spam's: cut it. Only a short
 * one at the very end: a longer tail is taken for the spam's own.
 */
static void
cut_signature(char *text)
{
	char *sig = NULL, *p;
	int lines = 0;

	for (p = text; (p = strstr(p, "\n-- ")) != NULL; p++)
		if (p[4] == '\n' || (p[4] == '\r' && p[5] == '\n') || p[4] == '\0')
			sig = p;
	if (sig == NULL)
		return;
	for (p = sig + 4; *p != '\0'; p++)
		if (*p == '\n' && p[1] != '\0' && p[1] != '\n' && ++lines > SIGNATURE_MAX_LINES)
			return;
	sig[1] = '\0';
}

/*
 * Were the headers pasted as HTML? Only the header block says: plain header lines followed by
 * an HTML body (a pasted raw source) are read as they are, or the markup before the body's
 * first text (an <a href> split over lines) would be lost.
 */
static int
headers_as_html(const char *start)
{
	const char *end = strstr(start, "\n\n"), *crlf = strstr(start, "\n\r\n");
	char *block;
	int html;

	if (crlf != NULL && (end == NULL || crlf < end))
		end = crlf;
	if (end == NULL)
		return html_text_looks_like(start);
	block = xstrndup(start, (size_t)(end - start));
	html = html_text_looks_like(block);
	free(block);
	return html;
}

char *
forward_text(const char *start)
{
	char *html = headers_as_html(start) ? html_forward(start) : NULL;
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
	cut_signature(text);
	return text;
}

/* Does the token at p (n bytes) look like an IP address: dotted IPv4 digits, or IPv6 hex digits
 * and colons? Only a look: the caller parses it. */
static int
address_like(const char *p, size_t n)
{
	size_t i, dots = 0, colons = 0, hex = 0;

	if (n < 2 || n >= 46)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '.')
			dots++;
		else if (p[i] == ':')
			colons++;
		else if (!ASCII_DIGIT(p[i])) {
			if (!((p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
				return 0;
			hex++;
		}
	}
	return colons >= 2 || (colons == 0 && hex == 0 && dots == 3);
}

/* The first word of a line (from p, end bounding it): its length, up to white space or "/". */
static size_t
first_word(const char *p, const char *end)
{
	const char *q;

	for (q = p; q < end && *q != ' ' && *q != '\t' && *q != '\r' && *q != '/'; q++)
		;
	return (size_t)(q - p);
}

/*
 * SpamCop's sources: "Email from ADDRESS / date" opens each report (a digest that relays several
 * has one such line each); a summary report is a table whose header line starts "IP_Address
 * Start/Length Trap User Mole Simp Comments", one row an address, each followed by a line of
 * its reverse DNS name, and the "Key to Columns" after it.
 */
#define SPAMCOP_EMAIL_FROM	"Email from "
#define SPAMCOP_TABLE		"IP_Address "
#define SPAMCOP_TABLE_END	"Key to Columns"

/* Add n bytes at p to out, once; -1 when out is full and this is a new one. */
static int
add_source(struct strlist *out, const char *p, size_t n)
{
	char *address = xstrndup(p, n);
	int rc = 0;

	if (!strlist_contains(out, address)) {
		if (out->count < FORWARD_MAX_SOURCES)
			strlist_add(out, address);
		else
			rc = -1;
	}
	free(address);
	return rc;
}

int
forward_spamcop_sources(const char *text, struct strlist *out)
{
	const char *line, *end, *p;
	size_t n;
	int table = 0;

	for (line = text; *line != '\0'; line = end + 1) {
		end = text_scan_line_end(line);
		p = unquoted(line, end);
		if ((size_t)(end - p) > strlen(SPAMCOP_EMAIL_FROM) &&
		    memcmp(p, SPAMCOP_EMAIL_FROM, strlen(SPAMCOP_EMAIL_FROM)) == 0) {
			p += strlen(SPAMCOP_EMAIL_FROM);
			table = 0;
		} else if (text_scan_prefix_ci(text_scan_skip_space(p, end), end, SPAMCOP_TABLE)) {
			table = 1;
			p = end;
		} else if (table && (memmem(p, (size_t)(end - p), SPAMCOP_TABLE_END,
		    strlen(SPAMCOP_TABLE_END)) != NULL || marker_line(line, end))) {
			table = 0;
			p = end;
		} else if (table)
			p = text_scan_skip_space(p, end);
		else
			p = end;
		/* p: where an address may stand on this line. */
		if (address_like(p, n = first_word(p, end)) && add_source(out, p, n) != 0)
			return -1;
		if (*end == '\0')
			break;
	}
	return 0;
}
