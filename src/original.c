/* original.c: what the original spam says: its identity (Message-ID, Subject, Date), the URLs
 * in every text part, and the source IP from its Received chain or from a report's field. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "ipaddr.h"
#include "mime.h"
#include "original.h"
#include "received.h"
#include "report-formats.h"
#include "urls.h"

/* Every header field of a message, in order, as written (the Received analysis unfolds). */
static struct received_header *
header_fields(GMimeMessage *msg, size_t *n)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int i, count = g_mime_header_list_get_count(list);
	struct received_header *fields = xcalloc(count > 0 ? (size_t)count : 1, sizeof *fields);
	GMimeHeader *h;

	*n = 0;
	for (i = 0; i < count; i++) {
		h = g_mime_header_list_get_header_at(list, i);
		if (g_mime_header_get_raw_value(h) == NULL)
			continue;
		fields[*n].name = g_mime_header_get_name(h);
		fields[(*n)++].value = g_mime_header_get_raw_value(h);
	}
	return fields;
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

void
original_scan_text(struct report *r, const char *text, int html, const struct conf *conf)
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
	if (html)
		urls_scan_hrefs(text, strlen(text), &found, REPORT_MAX_URLS - r->nurls + 1);
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
	text = mime_text_utf8(GMIME_TEXT_PART(obj));
	original_scan_text(w->report, text, g_mime_content_type_is_type(ct, "text", "html"), w->conf);
	free(text);
}

/*
 * The spam's identity, the same however often and by whomever it is reported: its Message-ID;
 * without one, a hash of its Date, From, Subject and body (not of its Received or Status
 * fields, which each copy and mail client writes anew).
 */
static char *
original_identity(GMimeMessage *orig)
{
	const char *id = g_mime_message_get_message_id(orig), *v;
	static const char *const fields[] = { "Date", "From", "Subject" };
	GMimeObject *body = g_mime_message_get_mime_part(orig);
	char hex[65], *text, *lower;
	struct buf b;
	size_t i;

	if (id != NULL && *id != '\0') {
		lower = xasprintf("mid:%s", id);
		str_lower_inplace(lower);
		return lower;
	}
	buf_init(&b);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		v = g_mime_object_get_header(GMIME_OBJECT(orig), fields[i]);
		buf_adds(&b, v != NULL ? v : "");
		buf_addc(&b, '\n');
	}
	if (body != NULL && (text = g_mime_object_to_string(body, NULL)) != NULL) {
		buf_adds(&b, text);
		g_free(text);
	}
	sha256_hex(b.data != NULL ? b.data : "", b.len, hex);
	buf_free(&b);
	return xasprintf("body:%s", hex);
}

void
original_read(struct walk *w, GMimeMessage *orig, int scan_body)
{
	struct report *r = w->report;
	GDateTime *date;
	const char *value;

	if (r->original_message_id == NULL)
		r->original_message_id = report_dup(g_mime_message_get_message_id(orig));
	if (r->original_key == NULL)
		r->original_key = original_identity(orig);
	if (r->original_subject == NULL)
		r->original_subject = report_dup(g_mime_message_get_subject(orig));
	if (r->original_mail_from == NULL &&
	    (value = g_mime_object_get_header(GMIME_OBJECT(orig), "Return-Path")) != NULL)
		r->original_mail_from = report_dup(value);
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

void
original_source_received(struct walk *w, GMimeMessage *orig)
{
	const struct conf *conf = w->conf;
	struct received_trust trust = { conf->trusted_networks, conf->ntrusted_networks,
	    (const char *const *)conf->trusted_domains.items, conf->trusted_domains.count,
	    conf->families };
	struct received_header *fields;
	struct received_chain *chain;
	size_t n;
	int rc;

	/* The chain is read once, for the source and as the evidence `show` prints, also when
	 * a report field gave the source. */
	if (orig == NULL || w->report->received != NULL)
		return;
	fields = header_fields(orig, &n);
	chain = xcalloc(1, sizeof *chain);
	rc = received_analyse(fields, n, &trust, chain);
	free(fields);
	if (rc == 0 && w->report->source_ip == NULL)
		set_source(w->report, &chain->source_ip, chain->rule);
	w->report->received = chain;
}

/* A given source (Source-IP, X-ARF Source, SpamCop's line): valid, or noted and ignored. */
void
original_source_field(struct report *r, const char *value, const char *field, const char *rule)
{
	struct ipaddr ip;
	char *safe, *bare;
	size_t n;
	int rc;

	if (value == NULL || *value == '\0' || r->source_ip != NULL)
		return;
	/* An RFC 5322 comment may follow the address: "198.51.100.6 (mx.example)". */
	n = strcspn(value, "(");
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	bare = xstrndup(value, n);
	rc = ipaddr_parse(bare, &ip);
	free(bare);
	if (rc == 0) {
		set_source(r, &ip, rule);
		return;
	}
	safe = text_safe_line(value, strlen(value));
	if (strlen(safe) > 64)
		safe[64] = '\0';
	report_note(r, PARSE_partial, "%s \"%s\" is not an IP address; ignored", field, safe);
	free(safe);
}
