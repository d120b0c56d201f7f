/* report.c: parses one complaint with GMime: detects the format, reads the feedback fields,
 * finds the embedded original, and from it the source IP and the advertised URLs. */

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "ipaddr.h"
#include "mimescan.h"
#include "received.h"
#include "report.h"
#include "urls.h"
#include "xarf.h"

static const char *const format_names[] = {
#define X(name, summary) #name,
	REPORT_FORMATS(X)
#undef X
	NULL
};

static const char *const status_names[] = {
#define X(name, summary) #name,
	PARSE_STATUSES(X)
#undef X
	NULL
};

const char *
report_format_name(enum report_format f)
{
	return format_names[f];
}

const char *
parse_status_name(enum parse_status s)
{
	return status_names[s];
}

int
report_format_find(const char *name)
{
	return names_find(format_names, name);
}

int
parse_status_find(const char *name)
{
	return names_find(status_names, name);
}

void
report_init(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		urls_init();
		done = 1;
	}
}

/* What a walk over the complaint's MIME tree found. */
struct walk {
	const struct conf	*conf;
	struct report		*report;
	size_t			 parts;
	int			 too_many_parts;
	int			 too_deep;
	int			 truncated;
	GMimePart		*feedback;	/* message/feedback-report */
	GMimeMessage		*original;	/* first message/rfc822 */
	GMimePart		*rfc822_headers;/* text/rfc822-headers */
	GMimePart		*header_text;	/* text part after the feedback part that holds headers */
	GMimePart		*xarf_json;
	GMimePart		*xarf_yaml;
	GMimeTextPart		*first_text;	/* the complaint's own first text/plain */
};

static void
report_note(struct report *r, enum parse_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report_note(struct report *r, enum parse_status status, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (r->errors.len > 0)
		buf_adds(&r->errors, "; ");
	buf_adds(&r->errors, text);
	free(text);
	if (status > r->status)
		r->status = status;
}

/* The decoded content (transfer encoding undone) of a leaf part. */
static void
part_bytes(GMimePart *part, struct buf *out)
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
static char *
text_part_utf8(GMimeTextPart *part)
{
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	char *converted = NULL, *safe;
	gsize written = 0;
	struct buf b;
	size_t i;

	buf_init(&b);
	part_bytes(GMIME_PART(part), &b);
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
	if (!g_mime_content_type_is_type(ct, "text", "*"))
		return;
	if (GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "plain") &&
	    w->first_text == NULL && depth <= 2) {
		w->first_text = GMIME_TEXT_PART(part);
		return;
	}
	/* X-ARF 0.2 puts its YAML report in a later text part, not always named report.txt. */
	if (w->first_text != NULL && w->xarf_yaml == NULL &&
	    g_mime_content_type_is_type(ct, "text", "plain")) {
		buf_init(&b);
		part_bytes(part, &b);
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
		part_bytes(part, &b);
		if (forward_looks_like_headers(b.data ? b.data : "", b.len))
			w->header_text = part;
		buf_free(&b);
	}
}

static void
walk(struct walk *w, GMimeObject *obj, int depth)
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
			walk(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		if (w->original == NULL)
			w->original = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	} else if (GMIME_IS_PART(obj))
		walk_part(w, GMIME_PART(obj), depth);
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

/* Parse raw with GMime, never deeper than max_mime_depth: what is nested below is left out of
 * GMime's input (mimescan.c), so it is never built, and the report says so. warn: take GMime's
 * warnings about the structure (for the complaint itself, not for text parsed out of it). */
static GMimeMessage *
parse_message(const char *raw, size_t len, struct walk *w, int warn)
{
	GMimeParserOptions *options = g_mime_parser_options_new();
	GMimeStream *stream;
	GMimeParser *parser;
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
	parser = g_mime_parser_new_with_stream(stream);
	if (warn)
		g_mime_parser_options_set_warning_callback(options, parser_warning, w);
	message = g_mime_parser_construct_message(parser, options);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(options);
	return message;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? text_safe_line(s, strlen(s)) : NULL;
}

static time_t
date_parse(const char *text)
{
	GDateTime *dt = text != NULL ? g_mime_utils_header_decode_date(text) : NULL;
	time_t t = 0;

	if (dt != NULL) {
		t = (time_t)g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	return t > 0 ? t : 0;
}

/* ---- the feedback-report fields (RFC 5965 section 3, RFC 6591 section 3) ---- */

/* Text fields kept as they are, the first occurrence winning. */
static const struct {
	const char	*name;
	size_t		 offset;
} feedback_text_fields[] = {
	{ "User-Agent", offsetof(struct report, user_agent) },
	{ "Version", offsetof(struct report, version) },
	{ "Original-Mail-From", offsetof(struct report, original_mail_from) },
	{ "Original-Rcpt-To", offsetof(struct report, original_rcpt_to) },
	{ "Reported-Domain", offsetof(struct report, reported_domain) },
	{ "Authentication-Results", offsetof(struct report, auth_results) },
};

static void
feedback_field(struct report *r, const char *name, const char *value, struct strlist *uris,
    const char **source_field)
{
	char *line = xasprintf("%s: %s", name, value), **field;
	size_t i;

	strlist_add(&r->fields, line);
	free(line);
	for (i = 0; i < sizeof feedback_text_fields / sizeof feedback_text_fields[0]; i++)
		if (strcasecmp(name, feedback_text_fields[i].name) == 0) {
			field = (char **)((char *)r + feedback_text_fields[i].offset);
			if (*field == NULL)
				*field = dup_or_null(value);
			return;
		}
	if (strcasecmp(name, "Feedback-Type") == 0 && r->feedback_type == NULL) {
		r->feedback_type = dup_or_null(value);
		if (r->feedback_type != NULL)
			str_lower_inplace(r->feedback_type);
	} else if (strcasecmp(name, "Source-IP") == 0 && *source_field == NULL)
		*source_field = value;
	else if ((strcasecmp(name, "Arrival-Date") == 0 || strcasecmp(name, "Received-Date") == 0)
	    && r->arrival_date == 0)
		r->arrival_date = date_parse(value);
	else if (strcasecmp(name, "Reported-URI") == 0)
		strlist_add(uris, value);
	else if (strcasecmp(name, "Incidents") == 0)
		r->incidents = strtol(value, NULL, 10);
}

/* Split header-style text into unfolded "Name: value" fields and hand each to feedback_field.
 * Returns the Source-IP value (a copy) or NULL. */
static char *
feedback_fields(struct report *r, const char *text, size_t len, struct strlist *uris)
{
	char *copy = text_safe(text, len, 1), *line, *next, *colon;
	const char *source_field = NULL;
	char *source = NULL;
	struct strlist names = { 0 }, values = { 0 };
	size_t i;

	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if ((*line == ' ' || *line == '\t') && names.count > 0) {
			/* A folded continuation of the previous field. */
			char *joined = xasprintf("%s %s", values.items[values.count - 1], str_trim(line));

			free(values.items[values.count - 1]);
			values.items[values.count - 1] = joined;
			continue;
		}
		colon = strchr(line, ':');
		if (colon == NULL || colon == line)
			continue;
		*colon = '\0';
		strlist_add(&names, str_trim(line));
		strlist_add(&values, str_trim(colon + 1));
	}
	for (i = 0; i < names.count; i++) {
		feedback_field(r, names.items[i], values.items[i], uris, &source_field);
		if (source_field != NULL && source == NULL)
			source = xstrdup(source_field);
	}
	strlist_free(&names);
	strlist_free(&values);
	free(copy);
	return source;
}

/* ---- the original message ---- */

/* Unfolded Received header values of a message, top first. */
static void
received_values(GMimeMessage *msg, struct strlist *out)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int i, n = g_mime_header_list_get_count(list);
	GMimeHeader *h;
	const char *raw;
	char *value;

	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(list, i);
		if (strcasecmp(g_mime_header_get_name(h), "Received") != 0)
			continue;
		raw = g_mime_header_get_raw_value(h);
		if (raw == NULL)
			continue;
		value = text_safe_line(raw, strlen(raw));
		strlist_add(out, value);
		free(value);
	}
}

static void
add_url(struct report *r, const char *url, const struct conf *conf)
{
	struct report_url *u;
	char *host = urls_host(url), *domain = NULL;
	size_t i;

	for (i = 0; i < r->nurls; i++)
		if (strcmp(r->urls[i].url, url) == 0) {
			free(host);
			return;
		}
	if (r->nurls == REPORT_MAX_URLS) {
		/* Bounded: a message with a million links must not stall the import. */
		if (!r->too_many_urls)
			report_note(r, PARSE_partial, "more than %d URLs; the rest were not read",
			    REPORT_MAX_URLS);
		r->too_many_urls = 1;
		free(host);
		return;
	}
	if (host != NULL) {
		/* Spam repeats its hosts: look each one up in the suffix list once per report. */
		for (i = 0; i < r->nurls; i++)
			if (r->urls[i].host != NULL && strcmp(r->urls[i].host, host) == 0)
				break;
		if (i < r->nurls)
			domain = r->urls[i].domain != NULL ? xstrdup(r->urls[i].domain) : NULL;
		else
			domain = urls_registrable(host);
		if (urls_listed(host, &conf->domain_allowlist) ||
		    (domain != NULL && urls_listed(domain, &conf->domain_allowlist))) {
			free(host);
			free(domain);
			return;
		}
	}
	r->urls = xrealloc(r->urls, (r->nurls + 1) * sizeof *r->urls);
	u = &r->urls[r->nurls++];
	u->url = text_safe_line(url, strlen(url));
	u->host = host;
	u->domain = domain;
	if (domain != NULL)
		strlist_add_unique(&r->domains, domain);
}

static void
scan_text(struct report *r, const char *text, int html, const struct conf *conf)
{
	struct strlist found = { 0 };
	char *decoded = NULL, *refanged;
	size_t i;

	if (html) {
		decoded = urls_html_decode(text, strlen(text));
		text = decoded;
	}
	refanged = urls_refang(text, strlen(text));
	urls_scan(refanged, strlen(refanged), &found, REPORT_MAX_URLS - r->nurls + 1);
	for (i = 0; i < found.count; i++)
		add_url(r, found.items[i], conf);
	strlist_free(&found);
	free(refanged);
	free(decoded);
}

/* Every text/plain and text/html part of the original, in MIME order. */
static void
scan_original(struct walk *w, GMimeObject *obj, int depth)
{
	GMimeContentType *ct;
	char *text;
	int i, n;

	if (obj == NULL || depth > w->conf->max_mime_depth)
		return;
	if (++w->parts > (size_t)w->conf->max_mime_parts) {
		w->too_many_parts = 1;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n && !w->too_many_parts; i++)
			scan_original(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
		return;
	}
	if (!GMIME_IS_TEXT_PART(obj))
		return;
	ct = g_mime_object_get_content_type(obj);
	if (!g_mime_content_type_is_type(ct, "text", "plain") &&
	    !g_mime_content_type_is_type(ct, "text", "html"))
		return;
	text = text_part_utf8(GMIME_TEXT_PART(obj));
	scan_text(w->report, text, g_mime_content_type_is_type(ct, "text", "html"), w->conf);
	free(text);
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
static GMimeMessage *
innermost(GMimeMessage *orig, const struct conf *conf, int always)
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

static void
read_original(struct walk *w, GMimeMessage *orig, int scan_body)
{
	struct report *r = w->report;
	GDateTime *date;
	const char *value;

	if (r->original_message_id == NULL)
		r->original_message_id = dup_or_null(g_mime_message_get_message_id(orig));
	if (r->original_subject == NULL)
		r->original_subject = dup_or_null(g_mime_message_get_subject(orig));
	if (r->original_mail_from == NULL &&
	    (value = g_mime_object_get_header(GMIME_OBJECT(orig), "Return-Path")) != NULL)
		r->original_mail_from = dup_or_null(value);
	if (r->arrival_date == 0 && (date = g_mime_message_get_date(orig)) != NULL)
		r->arrival_date = (time_t)g_date_time_to_unix(date) > 0 ?
		    (time_t)g_date_time_to_unix(date) : 0;
	if (scan_body) {
		w->parts = 0;
		scan_original(w, g_mime_message_get_mime_part(orig), 0);
	}
}

static void
set_source(struct report *r, const struct ipaddr *ip, const char *rule)
{
	char text[IPADDR_STRLEN], net[IPADDR_STRLEN + 4];

	ipaddr_format(ip, text);
	ipaddr_net_key(ip, net);
	r->source_ip = xstrdup(text);
	r->source_net = xstrdup(net);
	r->source_ip_rule = xstrdup(rule);
}

static void
source_from_received(struct walk *w, GMimeMessage *orig)
{
	struct strlist values = { 0 };
	struct ipaddr ip;
	size_t hop;
	char rule[32];

	if (orig == NULL || w->report->source_ip != NULL)
		return;
	received_values(orig, &values);
	if (received_source((const char *const *)values.items, values.count,
	    w->conf->trusted_networks, w->conf->ntrusted_networks, &ip, &hop) == 0) {
		snprintf(rule, sizeof rule, "received:%zu", hop);
		set_source(w->report, &ip, rule);
	}
	strlist_free(&values);
}

/* A given source (Source-IP, X-ARF Source, SpamCop's line): valid, or noted and ignored. */
static void
source_from_field(struct report *r, const char *value, const char *field, const char *rule)
{
	struct ipaddr ip;
	char *safe;

	if (value == NULL || *value == '\0')
		return;
	if (ipaddr_parse(value, &ip) == 0) {
		set_source(r, &ip, rule);
		return;
	}
	safe = text_safe_line(value, strlen(value));
	if (strlen(safe) > 64)
		safe[64] = '\0';
	report_note(r, PARSE_partial, "%s \"%s\" is not an IP address; ignored", field, safe);
	free(safe);
}

static GMimeMessage *
parse_inline(struct walk *w, const char *start)
{
	char *text = forward_text(start);
	GMimeMessage *msg = parse_message(text, strlen(text), w, 0);

	free(text);
	return msg;
}

static void
spamcop_source(struct report *r, const char *text)
{
	char *ip = forward_spamcop_source(text);

	if (ip != NULL)
		source_from_field(r, ip, "SpamCop source", "spamcop");
	free(ip);
}

static int
is_spamcop(GMimeMessage *msg, const char *text)
{
	const char *from = g_mime_object_get_header(GMIME_OBJECT(msg), "From");
	const char *subject = g_mime_message_get_subject(msg);

	return (from != NULL && strstr(from, "spamcop.net") != NULL) ||
	    (subject != NULL && strncmp(subject, "[SpamCop", 8) == 0) ||
	    (text != NULL && strstr(text, "[ SpamCop V") != NULL);
}

/* ---- X-ARF ---- */

static int
read_xarf(struct walk *w, GMimeMessage *msg, struct xarf *x)
{
	struct buf b;
	const char *err = NULL;
	int rc = -1;

	buf_init(&b);
	if (w->xarf_json != NULL) {
		part_bytes(w->xarf_json, &b);
		rc = xarf_parse_json(b.data ? b.data : "", b.len, x, &err);
		if (rc != 0)
			report_note(w->report, PARSE_partial, "%s", err);
	}
	if (rc != 0 && w->xarf_yaml != NULL) {
		part_bytes(w->xarf_yaml, &b);
		rc = xarf_parse_yaml(b.data ? b.data : "", b.len, x);
	}
	/* X-ARF 0.2 mails say "X-XARF: PLAIN" and may carry the YAML in an unnamed second part. */
	if (rc != 0 && g_mime_object_get_header(GMIME_OBJECT(msg), "X-XARF") != NULL &&
	    w->header_text != NULL) {
		part_bytes(w->header_text, &b);
		rc = xarf_parse_yaml(b.data ? b.data : "", b.len, x);
	}
	buf_free(&b);
	return rc;
}

static void
apply_xarf(struct walk *w, struct xarf *x)
{
	struct report *r = w->report;
	GMimeMessage *evidence;

	r->format = REPORT_xarf;
	/* Feedback-Type is ARF's; X-ARF's own type is kept with the report's fields. */
	if (x->report_type != NULL) {
		char *field = xasprintf("Report-Type: %s", x->report_type);

		strlist_add(&r->fields, field);
		free(field);
	}
	if (x->source != NULL) {
		char *field = xasprintf("Source: %s", x->source);

		strlist_add(&r->fields, field);
		free(field);
	}
	if (x->reported_domain != NULL)
		r->reported_domain = dup_or_null(x->reported_domain);
	if (x->date != NULL) {
		GDateTime *dt = g_date_time_new_from_iso8601(x->date, NULL);
		time_t t = date_parse(x->date);

		if (dt != NULL) {
			t = (time_t)g_date_time_to_unix(dt);
			g_date_time_unref(dt);
		}
		if (t > 0)
			r->arrival_date = t;
	}
	if (x->source != NULL && (strstr(x->source, "://") != NULL || (x->source_type != NULL &&
	    (strcasecmp(x->source_type, "uri") == 0 || strcasecmp(x->source_type, "url") == 0))))
		/* A report about a web page: the source is the URL it names. */
		scan_text(r, x->source, 0, w->conf);
	else
		source_from_field(r, x->source, "X-ARF Source", "xarf");
	if (w->original == NULL && x->evidence != NULL) {
		evidence = parse_message((const char *)x->evidence, x->evidence_len, w, 0);
		if (evidence != NULL) {
			read_original(w, evidence, 1);
			g_object_unref(evidence);
		}
	}
}

/* ---- the whole message ---- */

static void
parse_bare_json(const char *raw, size_t len, struct walk *w)
{
	struct xarf x;
	const char *err = NULL;

	if (xarf_parse_json(raw, len, &x, &err) != 0) {
		w->report->format = REPORT_unknown;
		report_note(w->report, PARSE_unparsed, "%s", err);
		return;
	}
	apply_xarf(w, &x);
	xarf_free(&x);
}

static int
has_headers(GMimeMessage *msg)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));

	return g_mime_header_list_get_count(list) > 0 &&
	    (g_mime_object_get_header(GMIME_OBJECT(msg), "From") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Subject") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Content-Type") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Received") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "Date") != NULL);
}

static void
parse_mail(const char *raw, size_t len, struct walk *w)
{
	struct report *r = w->report;
	GMimeMessage *msg, *orig = NULL, *owned = NULL;
	InternetAddressList *from;
	const char *start;
	char *source_field = NULL, *human = NULL;
	struct strlist uris = { 0 };
	struct xarf x;
	struct buf b;
	size_t i;

	msg = parse_message(raw, len, w, 1);
	if (msg == NULL || !has_headers(msg)) {
		r->format = REPORT_unknown;
		report_note(r, PARSE_unparsed, len == 0 ? "empty message" :
		    "not an e-mail message (no headers)");
		if (msg != NULL)
			g_object_unref(msg);
		return;
	}
	from = g_mime_message_get_from(msg);
	if (from != NULL && internet_address_list_length(from) > 0) {
		char *text = internet_address_list_to_string(from, NULL, FALSE);

		r->reporter = dup_or_null(text);
		g_free(text);
	}
	r->complaint_date = 0;
	if (g_mime_message_get_date(msg) != NULL)
		r->complaint_date = (time_t)g_date_time_to_unix(g_mime_message_get_date(msg));

	walk(w, g_mime_message_get_mime_part(msg), 0);
	if (w->first_text != NULL)
		human = text_part_utf8(w->first_text);

	buf_init(&b);
	if (read_xarf(w, msg, &x) == 0) {
		orig = w->original;
		if (orig != NULL)
			read_original(w, orig, 1);
		apply_xarf(w, &x);
		xarf_free(&x);
		source_from_received(w, orig);
	} else if (w->feedback != NULL) {
		r->format = REPORT_arf;
		part_bytes(w->feedback, &b);
		source_field = feedback_fields(r, b.data ? b.data : "", b.len, &uris);
		if (b.len == 0)
			report_note(r, PARSE_partial, "the feedback-report part is empty");
		/* A complaint about a bounce: the spam is inside the delivery report. */
		orig = w->original != NULL ? innermost(w->original, w->conf, 0) : NULL;
		if (orig == NULL && (w->rfc822_headers != NULL || w->header_text != NULL)) {
			part_bytes(w->rfc822_headers != NULL ? w->rfc822_headers : w->header_text, &b);
			buf_adds(&b, "\n\n");
			orig = owned = parse_message(b.data, b.len, w, 0);
		}
		if (orig != NULL)
			read_original(w, orig, 1);
		for (i = 0; i < uris.count; i++)
			scan_text(r, uris.items[i], 0, w->conf);
		source_from_field(r, source_field, "Source-IP", "report-field");
		source_from_received(w, orig);
	} else if (is_spamcop(msg, human)) {
		r->format = REPORT_spamcop;
		orig = w->original;
		if (orig == NULL && human != NULL && (start = forward_start(human)) != NULL)
			orig = owned = parse_inline(w, start);
		if (human != NULL)
			spamcop_source(r, human);
		if (orig != NULL)
			read_original(w, orig, 1);
		if (r->nurls == 0 && human != NULL)
			scan_text(r, human, 0, w->conf);
		source_from_received(w, orig);
	} else if (w->original != NULL) {
		r->format = REPORT_forwarded;
		/* A forward of a forward: the spam is the innermost message. */
		orig = innermost(w->original, w->conf, 1);
		read_original(w, orig, 1);
		source_from_received(w, orig);
	} else if (human != NULL && (start = forward_start(human)) != NULL &&
	    (orig = owned = parse_inline(w, start)) != NULL && has_headers(orig)) {
		r->format = REPORT_forwarded;
		read_original(w, orig, 1);
		source_from_received(w, orig);
	} else {
		r->format = REPORT_unknown;
		report_note(r, PARSE_unparsed, "no report structure found (not ARF, X-ARF, "
		    "SpamCop or a forwarded message)");
	}
	if (w->too_many_parts)
		report_note(r, PARSE_partial, "more than %ld MIME parts; the rest were not read",
		    w->conf->max_mime_parts);
	if (w->too_deep)
		report_note(r, PARSE_partial, "MIME nesting deeper than %ld; the rest was not read",
		    w->conf->max_mime_depth);
	if (w->truncated && r->format != REPORT_unknown)
		report_note(r, PARSE_partial, "the message is truncated or its MIME structure is "
		    "broken");
	free(source_field);
	free(human);
	strlist_free(&uris);
	buf_free(&b);
	if (owned != NULL)
		g_object_unref(owned);
	g_object_unref(msg);
}

void
report_parse(const char *raw, size_t len, const struct conf *conf, struct report *r)
{
	struct walk w;
	char *copy = NULL;
	size_t i;

	memset(r, 0, sizeof *r);
	buf_init(&r->errors);
	r->status = PARSE_ok;
	memset(&w, 0, sizeof w);
	w.conf = conf;
	w.report = r;
	report_init();

	for (i = 0; i < len && isspace((unsigned char)raw[i]); i++)
		;
	if (i < len && raw[i] == '{') {
		parse_bare_json(raw + i, len - i, &w);
		if (r->source_ip == NULL)
			r->source_ip_rule = xstrdup("none");
		return;
	}
	/* Old Mac mail with bare CR line ends: GMime reads lines by LF. */
	if (len > 0 && memchr(raw, '\n', len) == NULL && memchr(raw, '\r', len) != NULL) {
		copy = xstrndup(raw, len);
		for (i = 0; i < len; i++)
			if (copy[i] == '\r')
				copy[i] = '\n';
		raw = copy;
	}
	parse_mail(raw, len, &w);
	free(copy);
	if (r->source_ip == NULL)
		r->source_ip_rule = xstrdup("none");
}

void
report_free(struct report *r)
{
	size_t i;

	buf_free(&r->errors);
	free(r->feedback_type);
	free(r->user_agent);
	free(r->version);
	free(r->reporter);
	free(r->source_ip);
	free(r->source_ip_rule);
	free(r->source_net);
	free(r->reported_domain);
	free(r->original_mail_from);
	free(r->original_rcpt_to);
	free(r->original_message_id);
	free(r->original_subject);
	free(r->auth_results);
	strlist_free(&r->fields);
	for (i = 0; i < r->nurls; i++) {
		free(r->urls[i].url);
		free(r->urls[i].host);
		free(r->urls[i].domain);
	}
	free(r->urls);
	strlist_free(&r->domains);
	memset(r, 0, sizeof *r);
}
