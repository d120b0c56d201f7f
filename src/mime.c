/* mime.c: the complaint's MIME tree with GMime: parsing (never deeper than max_mime_depth),
 * the walk that finds the parts each format needs, and the decoded bytes and text of a part. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "mime.h"
#include "mimescan.h"
#include "report-formats.h"
#include "xarf.h"

/* The decoded content (transfer encoding undone) of a leaf part. */
void
mime_part_bytes(GMimePart *part, struct buf *out)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;

	buf_reset(out);
	if (content == NULL)
		return;
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	buf_add(out, bytes->data, bytes->len);
	g_object_unref(mem);
}

/* The text of a text part in UTF-8: transfer encoding undone, charset converted (iconv names by
 * GMime's table), NUL bytes made spaces so that nothing after them is lost, bad bytes replaced. */
char *
mime_text_utf8(GMimeTextPart *part)
{
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	char *converted = NULL, *safe;
	gsize written = 0;
	struct buf b;
	size_t i;

	buf_init(&b);
	mime_part_bytes(GMIME_PART(part), &b);
	for (i = 0; i < b.len; i++)
		if (b.data[i] == '\0')
			b.data[i] = ' ';
	if (b.len > 0 && charset != NULL && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
	    g_ascii_strcasecmp(charset, "us-ascii") != 0)
		converted = g_convert_with_fallback(b.data, (gssize)b.len, "UTF-8",
		    g_mime_charset_iconv_name(charset), "?", NULL, &written, NULL);
	if (converted != NULL)
		safe = text_safe(converted, written, 1);
	else
		safe = text_safe(b.data != NULL ? b.data : "", b.len, 1);
	g_free(converted);
	buf_free(&b);
	return safe;
}

static const char *
part_name(GMimePart *part)
{
	const char *name = g_mime_part_get_filename(part);

	if (name == NULL)
		name = g_mime_content_type_get_parameter(
		    g_mime_object_get_content_type(GMIME_OBJECT(part)), "name");
	return name;
}

static int
name_ends(const char *name, const char *suffix)
{
	size_t n, s = strlen(suffix);

	if (name == NULL)
		return 0;
	n = strlen(name);
	return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

static void
walk_part(struct walk *w, GMimePart *part, int depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *name = part_name(part);
	struct buf b;

	/* A saved message attached under the type of its body ("text/html; name=spam.eml", an
	 * octet stream): it is the original, when it reads as mail. */
	if (w->original == NULL && w->eml == NULL && name_ends(name, ".eml") &&
	    !g_mime_content_type_is_type(ct, "message", "*")) {
		buf_init(&b);
		mime_part_bytes(part, &b);
		if (b.len > 0 && forward_looks_like_headers(b.data, b.len) &&
		    (w->eml = mime_parse(b.data, b.len, w, 0)) != NULL) {
			if (mime_has_headers(w->eml))
				w->original = w->eml;
			else {
				g_object_unref(w->eml);
				w->eml = NULL;
			}
		}
		buf_free(&b);
		if (w->original != NULL)
			return;
	}
	if (g_mime_content_type_is_type(ct, "message", "feedback-report")) {
		if (w->feedback == NULL)
			w->feedback = part;
		return;
	}
	if (g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
	    g_mime_content_type_is_type(ct, "message", "rfc822-headers")) {
		if (w->rfc822_headers == NULL)
			w->rfc822_headers = part;
		return;
	}
	if (g_mime_content_type_is_type(ct, "application", "json") || name_ends(name, ".json")) {
		if (w->xarf_json == NULL)
			w->xarf_json = part;
		return;
	}
	if (name != NULL && strcasecmp(name, "report.txt") == 0) {
		if (w->xarf_yaml == NULL)
			w->xarf_yaml = part;
		return;
	}
	/* X-ARF JSON in the wrong clothes: attached as application/octet-stream, text/plain or a
	 * broken type, without a .json name. Known by its content. */
	if (w->xarf_json == NULL && (g_mime_content_type_is_type(ct, "application", "*") ||
	    (g_mime_content_type_is_type(ct, "text", "plain") && w->first_text != NULL))) {
		buf_init(&b);
		mime_part_bytes(part, &b);
		if (xarf_looks_like_json(b.data != NULL ? b.data : "", b.len)) {
			w->xarf_json = part;
			buf_free(&b);
			return;
		}
		buf_free(&b);
	}
	if (!g_mime_content_type_is_type(ct, "text", "*"))
		return;
	if (GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "plain") &&
	    w->first_text == NULL && depth <= 2) {
		w->first_text = GMIME_TEXT_PART(part);
		return;
	}
	if (GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "html") &&
	    w->first_html == NULL && depth <= 2)
		w->first_html = GMIME_TEXT_PART(part);
	/* X-ARF 0.2 puts its YAML report in a later text part, not always named report.txt. */
	if (w->first_text != NULL && w->xarf_yaml == NULL &&
	    g_mime_content_type_is_type(ct, "text", "plain")) {
		buf_init(&b);
		mime_part_bytes(part, &b);
		if (b.data != NULL && (strstr(b.data, "\nReport-Type:") != NULL ||
		    strstr(b.data, "\nSource-Type:") != NULL ||
		    strncmp(b.data, "Reported-From:", 14) == 0)) {
			w->xarf_yaml = part;
			buf_free(&b);
			return;
		}
		buf_free(&b);
	}
	/* Some feedback loops send the original as a plain text part after the report. */
	if (w->feedback != NULL && w->header_text == NULL && w->rfc822_headers == NULL) {
		buf_init(&b);
		mime_part_bytes(part, &b);
		if (forward_looks_like_headers(b.data ? b.data : "", b.len))
			w->header_text = part;
		buf_free(&b);
	}
}

void
mime_walk(struct walk *w, GMimeObject *obj, int depth)
{
	int i, n;

	if (obj == NULL)
		return;
	if (++w->parts > (size_t)w->conf->max_mime_parts) {
		w->too_many_parts = 1;
		return;
	}
	if (depth > w->conf->max_mime_depth) {
		w->too_deep = 1;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n && !w->too_many_parts; i++)
			mime_walk(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		if (w->original == NULL)
			w->original = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	} else if (GMIME_IS_PART(obj)) {
		walk_part(w, GMIME_PART(obj), depth);
		/* A further text/plain part, whatever kind it was taken for (a SpamCop report
		 * relayed as "report.txt" is no X-ARF YAML): an attachment a family may read. */
		if (GMIME_IS_TEXT_PART(obj) && g_mime_content_type_is_type(
		    g_mime_object_get_content_type(obj), "text", "plain") &&
		    GMIME_TEXT_PART(obj) != w->first_text && w->nattached_text < WALK_MAX_TEXTS)
			w->attached_text[w->nattached_text++] = GMIME_TEXT_PART(obj);
	}
}

static void
parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	struct walk *w = data;

	if (code == GMIME_WARN_TRUNCATED_MESSAGE || code == GMIME_WARN_MALFORMED_MULTIPART ||
	    code == GMIME_CRIT_NESTING_OVERFLOW)
		w->truncated = 1;
	if (code == GMIME_CRIT_NESTING_OVERFLOW)
		w->too_deep = 1;
}

/* GMime 3.2 counts MIME levels to 1024 (MAX_LEVEL), two for each embedded message; a tree this
 * deep may have met the limit. */
#define PARSE_DEPTH_SUSPECT	500

/*
 * Could GMime have warned about the structure of this tree as parser_warning hears it? Every
 * multipart whose close delimiter GMime did not find (GMIME_WARN_MALFORMED_MULTIPART and
 * GMIME_WARN_TRUNCATED_MESSAGE from parser_construct_multipart) has write_end_boundary unset.
 * A header block that runs into the end of the input (GMIME_WARN_TRUNCATED_MESSAGE from
 * parser_step_headers) is the last entity read, so the last one of the tree, and it has no
 * content: an empty leaf, a childless multipart, a message part without its message. And the
 * nesting limit needs a deep tree. The test may say yes where GMime was silent (an empty last
 * part), never no where it warned.
 */
static int
parse_suspect(GMimeObject *obj, int depth, int last)
{
	GMimeMultipart *multipart;
	GMimeDataWrapper *content;
	GMimeMessage *message;
	int i, n;

	if (obj == NULL)
		return last;
	if (depth > PARSE_DEPTH_SUSPECT)
		return 1;
	if (GMIME_IS_MULTIPART(obj)) {
		multipart = GMIME_MULTIPART(obj);
		n = g_mime_multipart_get_count(multipart);
		if (!multipart->write_end_boundary || (last && n == 0))
			return 1;
		for (i = 0; i < n; i++)
			if (parse_suspect(g_mime_multipart_get_part(multipart, i), depth + 1,
			    last && i == n - 1))
				return 1;
		return 0;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		message = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (message == NULL)
			return last;
		return parse_suspect(g_mime_message_get_mime_part(message), depth + 2, last);
	}
	if (!last || !GMIME_IS_PART(obj))
		return 0;
	content = g_mime_part_get_content(GMIME_PART(obj));
	return content == NULL || g_mime_stream_length(g_mime_data_wrapper_get_stream(content)) <= 0;
}

static GMimeMessage *
parse_stream(GMimeStream *stream, GMimeParserOptions *options)
{
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, options);

	g_object_unref(parser);
	return message;
}

/* Parse raw with GMime, never deeper than max_mime_depth: what is nested below is left out of
 * GMime's input (mimescan.c), so it is never built, and the report says so. warn: take GMime's
 * warnings about the structure (for the complaint itself, not for text parsed out of it). */
GMimeMessage *
mime_parse(const char *raw, size_t len, struct walk *w, int warn)
{
	GMimeParserOptions *options = g_mime_parser_options_new();
	GMimeStream *stream;
	GMimeMessage *message;
	struct buf bounded;

	buf_init(&bounded);
	if (mimescan_bound(raw, len, w->conf->max_mime_depth, &bounded) > 0) {
		w->too_deep = 1;
		raw = bounded.data;
		len = bounded.len;
	}
	/* The stream keeps its own copy of the bytes. */
	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	buf_free(&bounded);
	/*
	 * With a warning callback GMime decodes every header field of the tree to check its
	 * RFC 2047 words (object_header_changed), which costs more than a tenth of an import.
	 * The tree is the same without one: parse without, and again with it only when the tree
	 * shows that GMime may have had something to say about its structure.
	 */
	message = parse_stream(stream, options);
	if (warn && message != NULL &&
	    parse_suspect(g_mime_message_get_mime_part(message), 0, 1)) {
		g_object_unref(message);
		g_mime_stream_reset(stream);
		g_mime_parser_options_set_warning_callback(options, parser_warning, w);
		message = parse_stream(stream, options);
	}
	g_object_unref(stream);
	g_mime_parser_options_free(options);
	return message;
}

int
mime_has_headers(GMimeMessage *msg)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));

	return g_mime_header_list_get_count(list) > 0 &&
	    (g_mime_object_get_header(GMIME_OBJECT(msg), "From") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Subject") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Content-Type") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Received") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Date") != NULL);
}

/* The first message/rfc822 inside a message, not looking into nested messages' own parts. */
static GMimeMessage *
inner_message(GMimeObject *obj, int depth, int max_depth)
{
	GMimeMessage *found;
	int i, n;

	if (obj == NULL || depth > max_depth)
		return NULL;
	if (GMIME_IS_MESSAGE_PART(obj))
		return g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	if (!GMIME_IS_MULTIPART(obj))
		return NULL;
	n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
	for (i = 0; i < n; i++)
		if ((found = inner_message(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i),
		    depth + 1, max_depth)) != NULL)
			return found;
	return NULL;
}

/* Follow message/rfc822 parts inward: always (forwards), or only through delivery reports. */
GMimeMessage *
mime_innermost(GMimeMessage *orig, const struct conf *conf, int always)
{
	GMimeObject *top;
	GMimeMessage *inner;
	long depth;

	for (depth = 0; depth < conf->max_mime_depth; depth++) {
		top = g_mime_message_get_mime_part(orig);
		if (!always && (top == NULL || !g_mime_content_type_is_type(
		    g_mime_object_get_content_type(top), "multipart", "report")))
			break;
		inner = inner_message(top, 0, (int)conf->max_mime_depth);
		if (inner == NULL)
			break;
		orig = inner;
	}
	return orig;
}
