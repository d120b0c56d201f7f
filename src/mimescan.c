/* mimescan.c: follows a raw message's MIME boundaries as GMime's parser reads them, and cuts the
 * content of multiparts nested deeper than max_mime_depth before GMime would build it. */

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mimescan.h"

/*
 * Why: GMime 3.2 builds every level down to its own limit of 1024 nested parts (MAX_LEVEL in
 * gmime-parser.c; below it, GMIME_CRIT_NESTING_OVERFLOW and the rest as one part's text), and for
 * every line that starts with "--" it compares the line with every open boundary. 400,000 nested
 * multiparts in 25 MB thus cost 10 s of strncmp, though arfdesk reads no more than
 * max_mime_depth levels of them.
 *
 * The rules below are GMime 3.2.13's (checked with messages built for each): a header block
 * ends at an empty line, or at a boundary line of an open multipart (GMime then warns
 * GMIME_WARN_PART_WITHOUT_CONTENT); lines that are not header fields do not end it; the last
 * Content-Type counts, and the first Content-Transfer-Encoding; a part of a multipart/digest
 * without a Content-Type is a message/rfc822; message/rfc822, rfc2822, global and news hold a
 * message unless they are base64, quoted-printable or uuencoded; a line is a boundary when it
 * is "--" boundary, or "--" boundary "--", then only white space, checked innermost first.
 * Where this pass could read a header differently from GMime it errs towards seeing less
 * structure, which only leaves more for GMime to parse. Nothing here changes a message that
 * is not nested too deep: then GMime gets the raw bytes themselves.
 */

/* An open multipart: its boundary, without the leading "--". */
struct bound {
	char	*text;
	size_t	 len;
	int	 digest;	/* multipart/digest: parts are message/rfc822 by default */
};

struct scan {
	const char	*raw;
	size_t		 len;
	size_t		 pos;		/* start of the next line */
	struct bound	*stack;
	size_t		 depth;		/* open multiparts */
	size_t		 cap;
	struct buf	*out;
	size_t		 copied;	/* raw before this offset is in out */
	size_t		 cuts;
};

/* One line of raw: text and length without its LF, and where the next line starts. */
struct line {
	const char	*text;
	size_t		 len;
	size_t		 next;
};

/* The fields of a header block that decide what the entity holds. */
struct head {
	const char	*content_type;	/* the value after the colon, folds and newline included */
	size_t		 content_type_len;
	const char	*encoding;
	size_t		 encoding_len;
};

enum kind {
	KIND_LEAF,
	KIND_MULTIPART,
	KIND_MESSAGE,
};

static void
line_at(const struct scan *s, size_t pos, struct line *l)
{
	const char *nl = memchr(s->raw + pos, '\n', s->len - pos);

	l->text = s->raw + pos;
	l->len = nl != NULL ? (size_t)(nl - l->text) : s->len - pos;
	l->next = nl != NULL ? pos + l->len + 1 : s->len;
}

static int
lwsp_only(const char *p, size_t n)
{
	for (; n > 0; p++, n--)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

/* The open multipart whose boundary the line is (an index into the stack), or -1; *final is
 * set for "--boundary--". */
static long
boundary_of(const struct scan *s, const struct line *l, int *final)
{
	const struct bound *b;
	const char *rest;
	size_t n = l->len, left, i;

	if (n > 0 && l->text[n - 1] == '\r')
		n--;
	if (s->depth == 0 || n < 2 || l->text[0] != '-' || l->text[1] != '-')
		return -1;
	for (i = s->depth; i-- > 0;) {
		b = &s->stack[i];
		if (n - 2 < b->len || memcmp(l->text + 2, b->text, b->len) != 0)
			continue;
		rest = l->text + 2 + b->len;
		left = n - 2 - b->len;
		if (left >= 2 && rest[0] == '-' && rest[1] == '-' && lwsp_only(rest + 2, left - 2)) {
			*final = 1;
			return (long)i;
		}
		if (lwsp_only(rest, left)) {
			*final = 0;
			return (long)i;
		}
	}
	return -1;
}

static void
pop_to(struct scan *s, size_t depth)
{
	while (s->depth > depth)
		free(s->stack[--s->depth].text);
}

static void
push(struct scan *s, char *boundary, int digest)
{
	if (s->depth == s->cap) {
		s->cap = s->cap > 0 ? 2 * s->cap : 16;
		s->stack = xrealloc(s->stack, s->cap * sizeof *s->stack);
	}
	s->stack[s->depth].text = boundary;
	s->stack[s->depth].len = strlen(boundary);
	s->stack[s->depth].digest = digest;
	s->depth++;
}

/* One header field, folded lines included: keep it when it is one of those struct head holds.
 * A field name is what comes before the colon, blanks before the colon aside; a name with a
 * blank or a control character inside is no field (GMime ignores the line). */
static void
head_field(struct head *h, const char *text, size_t n)
{
	size_t i, name = 0;
	int blank = 0;

	for (i = 0; i < n && text[i] != ':'; i++) {
		if (text[i] == ' ' || text[i] == '\t')
			blank = 1;
		else if (blank || (unsigned char)text[i] < 32 || text[i] == 127)
			return;
		else
			name = i + 1;
	}
	if (i == n || name == 0)
		return;
	if (name == 12 && strncasecmp(text, "Content-Type", 12) == 0) {
		h->content_type = text + i + 1;
		h->content_type_len = n - i - 1;
	} else if (name == 25 && strncasecmp(text, "Content-Transfer-Encoding", 25) == 0 &&
	    h->encoding == NULL) {
		h->encoding = text + i + 1;
		h->encoding_len = n - i - 1;
	}
}

/* Read the header block at s->pos. Returns 1 when it ended with its empty line (s->pos is then
 * at the content), 0 when it ended at a boundary line or at the end of the message (s->pos is
 * there: the entity has no content). */
static int
read_head(struct scan *s, struct head *h)
{
	struct line l;
	size_t start = 0;
	int open = 0, final;

	memset(h, 0, sizeof *h);
	for (; s->pos < s->len; s->pos = l.next) {
		line_at(s, s->pos, &l);
		if (l.len == 0 || (l.len == 1 && l.text[0] == '\r' && l.next > s->pos + 1)) {
			if (open)
				head_field(h, s->raw + start, s->pos - start);
			s->pos = l.next;
			return 1;
		}
		if (boundary_of(s, &l, &final) >= 0)
			break;
		if (open && (l.text[0] == ' ' || l.text[0] == '\t'))
			continue;
		if (open)
			head_field(h, s->raw + start, s->pos - start);
		start = s->pos;
		open = 1;
	}
	if (open)
		head_field(h, s->raw + start, s->pos - start);
	return 0;
}

/* Whether a Content-Type value can name a multipart or a message: GMime's parser is only
 * asked about those (a comment may come first). */
static int
maybe_container(const char *value, size_t n)
{
	while (n > 0 && (*value == ' ' || *value == '\t' || *value == '\r' || *value == '\n')) {
		value++;
		n--;
	}
	return (n > 0 && *value == '(') || (n >= 9 && strncasecmp(value, "multipart", 9) == 0) ||
	    (n >= 7 && strncasecmp(value, "message", 7) == 0);
}

static enum kind
message_kind(const struct head *h)
{
	GMimeContentEncoding encoding;
	char *value;

	if (h->encoding == NULL)
		return KIND_MESSAGE;
	value = g_strndup(h->encoding, h->encoding_len);
	encoding = g_mime_content_encoding_from_string(value);
	g_free(value);
	return encoding == GMIME_CONTENT_ENCODING_BASE64 ||
	    encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    encoding == GMIME_CONTENT_ENCODING_UUENCODE ? KIND_LEAF : KIND_MESSAGE;
}

/* What the entity of a header block holds; for a multipart, *boundary (to free) and *digest. */
static enum kind
head_kind(const struct head *h, int in_digest, char **boundary, int *digest)
{
	static const char *const message_types[] = { "rfc822", "rfc2822", "global", "news" };
	GMimeContentType *type;
	const char *param;
	enum kind kind = KIND_LEAF;
	char *value;
	size_t i;

	if (h->content_type == NULL)
		return in_digest ? message_kind(h) : KIND_LEAF;
	if (!maybe_container(h->content_type, h->content_type_len))
		return KIND_LEAF;
	/* GMime's own reading of the value: quoting, RFC 2231 parameters and all. */
	value = g_strndup(h->content_type, h->content_type_len);
	type = g_mime_content_type_parse(NULL, value);
	g_free(value);
	if (type == NULL)
		return KIND_LEAF;
	if (g_mime_content_type_is_type(type, "multipart", "*")) {
		param = g_mime_content_type_get_parameter(type, "boundary");
		if (param != NULL) {
			*boundary = xstrdup(param);
			*digest = g_mime_content_type_is_type(type, "multipart", "digest");
			kind = KIND_MULTIPART;
		}
	} else
		for (i = 0; i < sizeof message_types / sizeof message_types[0]; i++)
			if (g_mime_content_type_is_type(type, "message", message_types[i]))
				kind = message_kind(h);
	g_object_unref(type);
	return kind;
}

/* Leave out the content of a multipart that is nested too deep, up to the next boundary line
 * of an open multipart, and close it at once with its own delimiter so that GMime reads an
 * empty, well-formed multipart. */
static void
cut(struct scan *s, char *boundary)
{
	struct line l;
	int final;

	buf_add(s->out, s->raw + s->copied, s->pos - s->copied);
	/* A boundary with a newline in it can never be matched; then the cut is left open. */
	if (strchr(boundary, '\n') == NULL) {
		buf_adds(s->out, "--");
		buf_adds(s->out, boundary);
		buf_adds(s->out, "--\n");
	}
	free(boundary);
	for (; s->pos < s->len; s->pos = l.next) {
		line_at(s, s->pos, &l);
		if (boundary_of(s, &l, &final) >= 0)
			break;
	}
	s->copied = s->pos;
	s->cuts++;
}

/*
 * Whether raw names "multipart" (in any case) at least n times. Every multipart this pass sees
 * has a Content-Type field of its own whose value starts with the word (after white space or
 * a comment), and a cut needs more than max_depth + 1 of them: a message with fewer is passed
 * on as it is without reading its structure, and nearly every message has fewer.
 */
static int
names_multipart(const char *raw, size_t len, long n)
{
	static const char word[] = "multipart";
	const char *p, *end = raw + len;
	long found = 0;
	int c;

	if (n <= 0)
		return 1;
	for (c = 0; c < 2; c++)
		for (p = raw; (p = memchr(p, c == 0 ? 'm' : 'M', (size_t)(end - p))) != NULL; p++)
			if ((size_t)(end - p) >= sizeof word - 1 &&
			    strncasecmp(p, word, sizeof word - 1) == 0 && ++found >= n)
				return 1;
	return 0;
}

size_t
mimescan_bound(const char *raw, size_t len, long max_depth, struct buf *out)
{
	struct scan s;
	struct head h;
	struct line l;
	char *boundary;
	int in_head = 1, in_digest = 0, digest, final;
	long i;

	if (max_depth >= 0 && max_depth < LONG_MAX - 2 &&
	    !names_multipart(raw, len, max_depth + 2))
		return 0;
	memset(&s, 0, sizeof s);
	s.raw = raw;
	s.len = len;
	s.out = out;
	while (s.pos < s.len) {
		if (in_head) {
			in_head = 0;
			if (!read_head(&s, &h))
				continue;
			boundary = NULL;
			digest = 0;
			switch (head_kind(&h, in_digest, &boundary, &digest)) {
			case KIND_MESSAGE:
				/* The embedded message's own header block follows. */
				in_head = 1;
				in_digest = 0;
				break;
			case KIND_MULTIPART:
				if (s.depth > (size_t)max_depth)
					cut(&s, boundary);
				else
					push(&s, boundary, digest);
				break;
			case KIND_LEAF:
				break;
			}
			continue;
		}
		line_at(&s, s.pos, &l);
		if ((i = boundary_of(&s, &l, &final)) >= 0) {
			/* A parent's boundary also closes the multiparts inside it. */
			in_digest = s.stack[i].digest;
			pop_to(&s, final ? (size_t)i : (size_t)i + 1);
			in_head = !final;
		}
		s.pos = l.next;
	}
	if (s.cuts > 0)
		buf_add(out, raw + s.copied, len - s.copied);
	pop_to(&s, 0);
	free(s.stack);
	return s.cuts;
}
