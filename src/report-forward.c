/* report-forward.c: spam forwarded by a person: attached as message/rfc822 (at any depth, a
 * forward of a forward too), or quoted inline after a forward marker or as pasted headers; and
 * raw spam, the message itself with no report around it. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "forward.h"
#include "mime.h"
#include "original.h"
#include "report-formats.h"
#include "words.h"

GMimeMessage *
report_forward_inline(struct walk *w, const char *start)
{
	char *text = forward_text(start);
	GMimeMessage *msg = mime_parse(text, strlen(text), w, 0);

	free(text);
	return msg;
}

/*
 * The messages attached to the complaint itself, in order: every message/rfc822 part of its
 * tree, not those inside an attached message (a spam's own attachment is part of that spam).
 */
static void
attached_messages(GMimeObject *obj, const struct conf *conf, int depth, GPtrArray *out)
{
	GMimeMultipart *multi;
	GMimeMessage *msg;
	int i, n;

	if (depth > conf->max_mime_depth || out->len > REPORT_MAX_SAMPLES)
		return;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		if ((msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj))) != NULL)
			g_ptr_array_add(out, msg);
		return;
	}
	if (!GMIME_IS_MULTIPART(obj))
		return;
	multi = GMIME_MULTIPART(obj);
	n = g_mime_multipart_get_count(multi);
	for (i = 0; i < n; i++)
		attached_messages(g_mime_multipart_get_part(multi, i), conf, depth + 1, out);
}

/* Does a header of msg write the address? */
static int
header_mentions(GMimeMessage *msg, const struct ipaddr *ip)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	const char *value;
	int i, n = list != NULL ? g_mime_header_list_get_count(list) : 0;

	for (i = 0; i < n && i < 500; i++) {
		value = g_mime_header_get_value(g_mime_header_list_get_header_at(list, i));
		if (value != NULL && words_mention(value, ip))
			return 1;
	}
	return 0;
}

/* Is the address the client of a hop of the chain? */
static int
chain_client(const struct received_chain *chain, const struct ipaddr *ip)
{
	size_t i;

	for (i = 0; chain != NULL && i < chain->nhops; i++)
		if (chain->hops[i].has_ip && ipaddr_equal(&chain->hops[i].ip, ip))
			return 1;
	return 0;
}

/*
 * The complainant names the source ("Please stop spamming from ip 192.0.2.7") and the spam's
 * own headers bear it out (a Received hop, what the provider stamped): then that is the source,
 * also where the Received walk chose another hop (a provider's hops it cannot tell apart from
 * the sender's). A name the headers do not bear out is not taken: the walk decides.
 */
static void
complainant_source(struct walk *w, GMimeMessage *orig)
{
	struct report *r = w->report;
	struct ipaddr ip;
	char text[IPADDR_STRLEN];

	if (w->words == NULL || orig == NULL)
		return;
	/* Named beside "spam" and written in a header; or the one address named at all
	 * ("- Host ip: 192.0.2.7"), and a Received hop's client. */
	if (!(words_source_ip(w->words, 1, &ip) && header_mentions(orig, &ip)) &&
	    !(words_source_ip(w->words, 0, &ip) && chain_client(r->received, &ip)))
		return;
	ipaddr_format(&ip, text);
	if (r->source_ip != NULL && strcmp(r->source_ip, text) == 0)
		return;
	free(r->source_ip);
	free(r->source_net);
	free(r->source_ip_rule);
	r->source_ip = r->source_net = r->source_ip_rule = NULL;
	original_source_field(r, text, "the complainant's words", "complaint-text");
}

/* One spam: a forward of a forward is followed to the innermost message. */
static void
forward_sample(struct walk *w, GMimeMessage *attached)
{
	GMimeMessage *orig = mime_innermost(attached, w->conf, 1);

	original_read(w, orig, 1);
	original_source_received(w, orig);
	complainant_source(w, orig);
}

/*
 * Spam attached as message/rfc822. A person who forwards several spams at once (Outlook's and
 * Gmail's "forward as attachment" of a selection) makes one complaint about each: every
 * attached message is a report of its own, chained after the first.
 */
int
report_forward_parse(struct walk *w, GMimeMessage *msg)
{
	struct report *first = w->report;
	GPtrArray *attached;
	guint i;

	if (w->original == NULL)
		return -1;
	attached = g_ptr_array_new();
	attached_messages(g_mime_message_get_mime_part(msg), w->conf, 0, attached);
	if (attached->len == 0)
		g_ptr_array_add(attached, w->original);
	for (i = 0; i < attached->len && i < REPORT_MAX_SAMPLES; i++) {
		if (i > 0)
			w->report = report_add_sample(first);
		forward_sample(w, g_ptr_array_index(attached, i));
	}
	w->report = first;
	if (attached->len > REPORT_MAX_SAMPLES)
		report_note(first, PARSE_partial, "more than %d attached messages; the rest were "
		    "not read", REPORT_MAX_SAMPLES);
	g_ptr_array_free(attached, TRUE);
	return REPORT_forwarded;
}

int
report_forward_inline_parse(struct walk *w, GMimeMessage *msg)
{
	GMimeMessage *orig;
	const char *start;

	(void)msg;
	if (w->human == NULL || (start = forward_start(w->human)) == NULL ||
	    (orig = w->owned = report_forward_inline(w, start)) == NULL || !mime_has_headers(orig))
		return -1;
	original_read(w, orig, 1);
	original_source_received(w, orig);
	complainant_source(w, orig);
	return REPORT_forwarded;
}

/*
 * A notice with no spam sample: a blocklist's or another desk's mail that names, in words, the
 * one address that sent spam ("(192.0.2.7) was the source of spam"). The words are the
 * evidence; the notice's own links and Received chain are the notifier's, not the spammer's.
 */
int
report_notice_parse(struct walk *w, GMimeMessage *msg)
{
	struct ipaddr ip;
	char text[IPADDR_STRLEN];

	(void)msg;
	if (w->original != NULL || w->words == NULL || !words_source_ip(w->words, 1, &ip))
		return -1;
	ipaddr_format(&ip, text);
	original_source_field(w->report, text, "the notice's words", "complaint-text");
	return REPORT_notice;
}

/*
 * Headers that make a mail correspondence rather than a spam sample: an automatic reply, a reply
 * in a thread, a message the receiving filter passed as clean. Such mail at abuse@ (a customer's
 * answer, an auto-reply, an unsubscribe) would otherwise give a source IP that is no spammer's.
 */
static const struct {
	const char	*name;
	const char	*value;		/* NULL: any value; else a prefix, without regard to case */
	const char	*why;
} correspondence[] = {
	{ "Auto-Submitted", "auto-", "an automatic message (Auto-Submitted)" },
	{ "In-Reply-To", NULL, "a reply (In-Reply-To)" },
	{ "References", NULL, "part of a conversation (References)" },
	{ "X-Spam-Status", "No", "passed as clean by a spam filter (X-Spam-Status: No)" },
	{ "X-Spam-Flag", "NO", "passed as clean by a spam filter (X-Spam-Flag: NO)" },
};

/* Headers kept among the fields of raw spam: how it reached the desk. Microsoft's legacy JMRP
 * sends the original with its own X-Hm* headers spliced into the header block. */
static const char *const raw_fields[] = {
	"Resent-From", "Resent-To", "Resent-Date", "Resent-Message-ID",
	"X-HmXmrOriginalRecipient", "X-SID-PRA", "X-SID-Result", "X-Message-Guid",
};

/*
 * Spam that reaches the desk as it is: a spamtrap hit relayed by its operator, a user's
 * Redirect or Bounce (Resent-* headers), legacy JMRP, or mail with nothing around it. The message
 * is its own evidence: its Received chain and its URLs. Correspondence is not spam: it stays
 * unknown, with the reason.
 */
int
report_raw_parse(struct walk *w, GMimeMessage *msg)
{
	struct report *r = w->report;
	const char *value;
	size_t i, n;

	for (i = 0; i < sizeof correspondence / sizeof correspondence[0]; i++) {
		value = g_mime_object_get_header(GMIME_OBJECT(msg), correspondence[i].name);
		if (value == NULL)
			continue;
		while (*value == ' ' || *value == '\t')
			value++;
		n = correspondence[i].value != NULL ? strlen(correspondence[i].value) : 0;
		if (n == 0 || strncasecmp(value, correspondence[i].value, n) == 0) {
			report_note(r, PARSE_unparsed, "mail, but no complaint and no spam sample: "
			    "%s", correspondence[i].why);
			return -1;
		}
	}
	for (i = 0; i < sizeof raw_fields / sizeof raw_fields[0]; i++)
		report_keep_header(r, msg, raw_fields[i]);
	if (r->original_mail_from == NULL &&
	    (value = g_mime_object_get_header(GMIME_OBJECT(msg), "X-SID-PRA")) != NULL)
		r->original_mail_from = report_dup(value);
	original_read(w, msg, 1);
	original_source_received(w, msg);
	if (r->source_ip == NULL && r->nurls == 0) {
		/* Nothing a desk could act on: no sending host, no advertised site. */
		free(r->original_message_id);
		free(r->original_subject);
		free(r->original_mail_from);
		r->original_message_id = r->original_subject = r->original_mail_from = NULL;
		r->arrival_date = 0;
		report_note(r, PARSE_unparsed, "mail, but no complaint and no spam sample: no "
		    "public Received hop and no URL");
		return -1;
	}
	return REPORT_raw;
}
