/* report.c: parses one complaint: the complaint's own headers, then the table of formats, each
 * family in a file of its own (report-arf.c, report-xarf.c, report-spamcop.c,
 * report-forward.c); the MIME tree is mime.c's, the original's reading original.c's. */

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "families.h"
#include "forward.h"
#include "html-text.h"
#include "mime.h"
#include "report-formats.h"
#include "report.h"
#include "urls.h"

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

const char *
report_format_list(void)
{
	static char list[128];

	return names_join(format_names, list, sizeof list);
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

void
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

char *
report_dup(const char *s)
{
	return s != NULL && *s != '\0' ? text_safe_line(s, strlen(s)) : NULL;
}

time_t
report_date(const char *text)
{
	GDateTime *dt = text != NULL ? g_mime_utils_header_decode_date(text) : NULL;
	time_t t = 0;

	if (dt != NULL) {
		t = (time_t)g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	return t > 0 ? t : 0;
}

/*
 * The format families, tried in this order; each parse function returns the format when the
 * message is of its family (and has read it), -1 to let the next one try. X-ARF comes first:
 * some X-ARF mails carry a feedback-report part too; an unwrapped CFBL original comes before
 * forwards, since a wrapped one is an attachment; raw spam is what mail is when nothing else
 * claims it. A new format is a row here and a file of its own.
 */
static int (*const report_families[])(struct walk *, GMimeMessage *) = {
	report_xarf_parse,
	report_arf_parse,		/* and ARF about a CFBL original */
	report_spamcop_parse,
	report_cfbl_parse,
	report_forward_parse,
	report_forward_inline_parse,
	report_notice_parse,
	report_raw_parse,
};

const char *
report_keep_header(struct report *r, GMimeMessage *msg, const char *name)
{
	const char *value = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	char *safe, *field;

	if (value == NULL)
		return NULL;
	safe = text_safe_line(value, strlen(value));
	field = xasprintf("%s: %s", name, safe);
	strlist_add(&r->fields, field);
	free(field);
	free(safe);
	return value;
}

/* Trailing white space and line ends go; the rest is bounded without cutting a UTF-8
 * sequence. A new string, or NULL when nothing is left. */
static char *
words_bounded(const char *text, size_t n)
{
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' ||
	    text[n - 1] == '\t'))
		n--;
	if (n > REPORT_MAX_WORDS) {
		n = REPORT_MAX_WORDS;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	return n > 0 ? xstrndup(text, n) : NULL;
}

/* The complainant's own words: the report's human-readable part, or a forward's note (the text
 * before the quoted original), bounded; HTML made text. */
static char *
complainant_words(const char *human)
{
	const char *start;
	char *plain, *words;
	size_t n, line;

	start = forward_start(human);
	n = start != NULL && start > human ? (size_t)(start - human) : strlen(human);
	if (html_text_looks_like(human)) {
		plain = html_text_lines(human, n, NULL);
		n = strlen(plain);
	} else
		plain = xstrndup(human, n);
	/* The forward marker line itself ("---------- Forwarded message ---------", "Begin
	 * forwarded message:", Outlook's underscores) is not the complainant's. */
	if (start != NULL && start > human) {
		while (n > 0 && (plain[n - 1] == '\n' || plain[n - 1] == '\r' ||
		    plain[n - 1] == ' '))
			n--;
		for (line = n; line > 0 && plain[line - 1] != '\n'; line--)
			;
		if (n - line < 80 && (plain[line] == '-' || plain[line] == '_' ||
		    plain[n - 1] == ':'))
			n = line;
	}
	words = words_bounded(plain, n);
	free(plain);
	return words;
}

static void
report_init_one(struct report *r, int sample)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->errors);
	r->status = PARSE_ok;
	r->sample = sample;
}

struct report *
report_add_sample(struct report *first)
{
	struct report *r = first, *s;

	while (r->next != NULL)
		r = r->next;
	s = xcalloc(1, sizeof *s);
	report_init_one(s, r->sample + 1);
	r->next = s;
	return s;
}

const struct report *
report_sample(const struct report *r, int sample)
{
	for (; r != NULL; r = r->next)
		if (r->sample == sample)
			return r;
	return NULL;
}

size_t
report_samples(const struct report *r)
{
	size_t n = 0;

	for (; r != NULL; r = r->next)
		n++;
	return n;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * The complainant's own site is not what the spam advertised: a web form's footer ("Url:
 * https://www.desk.example/report-abuse/"), footnotes, a signature. URLs on the reporter's
 * registrable domain go, unless that domain is a mailbox provider's (a Gmail user's complaint
 * about a phishing page on Google's sites keeps it).
 */
static void
drop_reporter_site(struct report *r)
{
	const char *at = r->reporter != NULL ? strrchr(r->reporter, '@') : NULL;
	char *host, *domain;
	size_t i, j, n;

	/* Only where the complaint is a person's or a desk's text around the spam: raw spam's
	 * From is the spammer's, an FBL's reports never read its own text. */
	if (at == NULL || r->nurls == 0 || (r->format != REPORT_forwarded &&
	    r->format != REPORT_spamcop && r->format != REPORT_notice))
		return;
	n = strcspn(at + 1, "> ");
	host = xstrndup(at + 1, n);
	str_lower_inplace(host);
	domain = urls_registrable(host);
	free(host);
	if (domain == NULL || families_of_host(families_builtin(), domain) != NULL) {
		free(domain);
		return;
	}
	for (i = j = 0; i < r->nurls; i++) {
		if (r->urls[i].domain != NULL && strcmp(r->urls[i].domain, domain) == 0) {
			free(r->urls[i].url);
			free(r->urls[i].host);
			free(r->urls[i].domain);
			continue;
		}
		r->urls[j++] = r->urls[i];
	}
	r->nurls = j;
	strlist_remove(&r->domains, domain);
	free(domain);
}

/*
 * Every sample of a forward is a complaint of its own by the same complainant: give each the
 * complaint's fields, and bring their notes to the first, whose status and notes are the
 * message's.
 */
static void
finish_samples(struct report *first)
{
	struct report *s;

	for (s = first->next; s != NULL; s = s->next) {
		s->format = first->format;
		s->complaint_date = first->complaint_date;
		s->reporter = dup_or_null(first->reporter);
		s->feedback_type = dup_or_null(first->feedback_type);
		s->complaint_class = dup_or_null(first->complaint_class);
		s->user_agent = dup_or_null(first->user_agent);
		s->complaint_text = dup_or_null(first->complaint_text);
		if (s->errors.len > 0)
			report_note(first, s->status, "spam %d: %s", s->sample, s->errors.data);
		s->status = first->status;
		if (s->source_ip == NULL && s->source_ip_rule == NULL)
			s->source_ip_rule = xstrdup("none");
	}
}

/*
 * Who sent the complaint, for display: "Name <address>" of its first mailbox, as written.
 * (GMime's own formatting converts every domain to punycode, a cost per message for nothing a
 * person reads.) A one-line safe copy, or NULL.
 */
/* The complaint's From address, lower case, or NULL. */
static char *
reporter_address(InternetAddressList *from)
{
	InternetAddress *a = internet_address_list_get_address(from, 0);
	const char *addr;
	char *lower;

	if (!INTERNET_ADDRESS_IS_MAILBOX(a) ||
	    (addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))) == NULL ||
	    *addr == '\0')
		return NULL;
	lower = xstrdup(addr);
	str_lower_inplace(lower);
	return lower;
}

/* Who complained of which spam, and of what: the same reporter's complaint about the same
 * spam again (a copy a mail client rewrote, a feedback loop sending twice) has the same key.
 * Called once the class is known. */
static void
content_key(struct report *r, const char *reporter)
{
	char hex[65], *text;

	if (reporter == NULL || r->original_key == NULL || r->content_key != NULL ||
	    r->format == REPORT_unknown)
		return;
	/* Its class too: a not-spam report after an abuse report is another complaint. */
	text = xasprintf("%s\n%s\n%s", reporter, r->complaint_class != NULL ?
	    r->complaint_class : "", r->original_key);
	sha256_hex(text, strlen(text), hex);
	free(text);
	r->content_key = xstrdup(hex);
}

static char *
reporter_text(InternetAddressList *from)
{
	InternetAddress *a = internet_address_list_get_address(from, 0);
	const char *name, *addr;
	char *text, *safe;

	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return NULL;
	name = internet_address_get_name(a);
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	if (addr == NULL || *addr == '\0')
		return report_dup(name);
	text = name != NULL && *name != '\0' ? xasprintf("%s <%s>", name, addr) : xstrdup(addr);
	safe = report_dup(text);
	free(text);
	return safe;
}

static void
parse_mail(const char *raw, size_t len, struct walk *w)
{
	struct report *r = w->report;
	InternetAddressList *from;
	GMimeMessage *msg;
	struct report *s;
	size_t i;
	int format = -1;

	msg = mime_parse(raw, len, w, 1);
	if (msg == NULL || !mime_has_headers(msg)) {
		r->format = REPORT_unknown;
		report_note(r, PARSE_unparsed, len == 0 ? "empty message" :
		    "not an e-mail message (no headers)");
		if (msg != NULL)
			g_object_unref(msg);
		return;
	}
	from = g_mime_message_get_from(msg);
	if (from != NULL && internet_address_list_length(from) > 0) {
		r->reporter = reporter_text(from);
		w->reporter_address = reporter_address(from);
	}
	r->complaint_date = 0;
	if (g_mime_message_get_date(msg) != NULL)
		r->complaint_date = (time_t)g_date_time_to_unix(g_mime_message_get_date(msg));

	mime_walk(w, g_mime_message_get_mime_part(msg), 0);
	/* The complainant's text; a mail client that writes HTML only (many webmails) has its
	 * note and the pasted original there. */
	if (w->first_text != NULL)
		w->human = mime_text_utf8(w->first_text);
	else if (w->first_html != NULL)
		w->human = mime_text_utf8(w->first_html);
	if (w->human != NULL)
		w->words = complainant_words(w->human);
	for (i = 0; i < sizeof report_families / sizeof report_families[0] && format < 0; i++)
		format = report_families[i](w, msg);
	if (format < 0) {
		r->format = REPORT_unknown;
		if (r->errors.len == 0)
			report_note(r, PARSE_unparsed, "no report structure found (not ARF, X-ARF, "
			    "SpamCop, CFBL or a forwarded message)");
		else
			r->status = PARSE_unparsed;
	} else
		r->format = (enum report_format)format;
	/* Raw spam has no complainant's words: its text is the spammer's. */
	if (w->words != NULL && r->format != REPORT_raw && r->format != REPORT_unknown)
		r->complaint_text = xstrdup(w->words);
	if (w->too_many_parts)
		report_note(r, PARSE_partial, "more than %ld MIME parts; the rest were not read",
		    w->conf->max_mime_parts);
	if (w->too_deep)
		report_note(r, PARSE_partial, "MIME nesting deeper than %ld; the rest was not read",
		    w->conf->max_mime_depth);
	if (w->truncated && r->format != REPORT_unknown)
		report_note(r, PARSE_partial, "the message is truncated or its MIME structure is "
		    "broken");
	finish_samples(r);
	for (s = r; s != NULL; s = s->next)
		drop_reporter_site(s);
	free(w->human);
	free(w->words);
	if (w->eml != NULL)
		g_object_unref(w->eml);
	if (w->owned != NULL)
		g_object_unref(w->owned);
	g_object_unref(msg);
}

int
report_class_is_spam(const char *class)
{
	static const char *const spam[] = { REPORT_SPAM_CLASSES, NULL };

	return class != NULL && names_find(spam, class) >= 0;
}

/* ARF's feedback types (RFC 5965, 6591, 6650); any other is "other". */
static const char *const arf_classes[] = {
	"abuse", "fraud", "virus", "other", "not-spam", "auth-failure", NULL
};

/* What the report complains of: its feedback type, its X-ARF type, or spam by its form. */
static void
report_class(struct report *r)
{
	const char *type = r->feedback_type;

	if (r->complaint_class != NULL || r->format == REPORT_unknown)
		return;
	if ((r->format == REPORT_arf || r->format == REPORT_cfbl) && type != NULL)
		r->complaint_class = xstrdup(names_find(arf_classes, type) >= 0 ? type : "other");
	else if (r->format == REPORT_xarf)
		r->complaint_class = xstrdup("other");
	else
		r->complaint_class = xstrdup("spam");
}

void
report_parse(const char *raw, size_t len, const struct conf *conf, struct report *r)
{
	struct walk w;
	struct report *s;
	char *copy = NULL;
	size_t i;

	report_init_one(r, 1);
	memset(&w, 0, sizeof w);
	w.conf = conf;
	w.report = r;
	report_init();

	for (i = 0; i < len && isspace((unsigned char)raw[i]); i++)
		;
	if (i < len && raw[i] == '{') {
		report_xarf_bare(raw + i, len - i, &w);
		if (r->source_ip == NULL)
			r->source_ip_rule = xstrdup("none");
		report_class(r);
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
	/* A raw SMTP capture that kept its dot-stuffing (RFC 5321 section 4.5.2). */
	if (copy == NULL && urls_dot_stuffed(raw, len)) {
		copy = urls_unstuff(raw, len, &len);
		raw = copy;
	}
	parse_mail(raw, len, &w);
	free(copy);
	if (r->source_ip == NULL && r->source_ip_rule == NULL)
		r->source_ip_rule = xstrdup("none");
	for (s = r; s != NULL; s = s->next) {
		report_class(s);
		content_key(s, w.reporter_address);
	}
	free(w.reporter_address);
}

void
report_free(struct report *r)
{
	struct report *next = r->next;
	size_t i;

	while (next != NULL) {
		struct report *s = next;

		next = s->next;
		s->next = NULL;
		report_free(s);
		free(s);
	}
	buf_free(&r->errors);
	free(r->feedback_type);
	free(r->complaint_class);
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
	free(r->complaint_text);
	free(r->original_key);
	free(r->content_key);
	if (r->received != NULL) {
		received_chain_free(r->received);
		free(r->received);
	}
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
