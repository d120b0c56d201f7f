/* original.h: reading the original spam out of a complaint: its identity, its URLs, and its
 * source IP. Inside the parser only. */
#ifndef ARFDESK_ORIGINAL_H
#define ARFDESK_ORIGINAL_H

#include <gmime/gmime.h>

#include "conf.h"
#include "mime.h"
#include "report.h"

/* Message-ID, Subject, Return-Path and Date of the original (what is not known yet), and with
 * scan_body the URLs of every text/plain and text/html part. */
void	 original_read(struct walk *, GMimeMessage *, int scan_body);
/* The URLs in a text (HTML when html is set: entities decoded), refanged, onto the report. */
void	 original_scan_text(struct report *, const char *text, int html, const struct conf *);
/* The source IP from the original's Received chain, unless the report has one already. */
void	 original_source_received(struct walk *, GMimeMessage *);
/* A source given by a field (Source-IP, X-ARF Source, SpamCop's line): taken when it is a
 * valid address, else noted and ignored. rule is what source_ip_rule records. */
void	 original_source_field(struct report *, const char *value, const char *field,
	    const char *rule);

#endif
