/* mime.h: the complaint's MIME tree: parsing it with GMime within the configured bounds, and the
 * walk that finds the parts the format families read. Inside the parser only. */
#ifndef ARFDESK_MIME_H
#define ARFDESK_MIME_H

#include <stddef.h>

#include <gmime/gmime.h>

#include "conf.h"
#include "report.h"
#include "util.h"

/* The most further text/plain parts a walk remembers. */
#define WALK_MAX_TEXTS	8

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
	GMimeTextPart		*first_html;	/* its first text/html, for mail with no plain text */
	char			*human;		/* its text in UTF-8, made safe, or NULL */
	char			*words;		/* the complainant's words in it (the text before a
						 * quoted original, HTML made text), or NULL */
	GMimeMessage		*owned;		/* an original parsed out of a part or a text */
	GMimeMessage		*eml;		/* an .eml attachment under another type, parsed */
	char			*reporter_address;	/* the complaint's From address, lower case */
	/* The text/plain parts after first_text, the first few, whatever kind they were taken
	 * for: attachments (a provider's notice relays a SpamCop report as one). */
	GMimeTextPart		*attached_text[WALK_MAX_TEXTS];
	size_t			 nattached_text;
};

/* Parse raw with GMime, never deeper than max_mime_depth (what lies below is not built; the
 * walk is marked too deep). warn: take GMime's structure warnings (for the complaint itself). */
GMimeMessage	*mime_parse(const char *raw, size_t len, struct walk *, int warn);
/* Does it look like mail at all (some of From, Subject, Content-Type, Received, Date)? */
int		 mime_has_headers(GMimeMessage *);
/* Walk the tree from obj, filling the walk's parts (first of each kind), within the bounds. */
void		 mime_walk(struct walk *, GMimeObject *, int depth);
/* The decoded content (transfer encoding undone) of a leaf part, into out. */
void		 mime_part_bytes(GMimePart *, struct buf *out);
/* A text part in UTF-8, charset converted, NUL bytes made spaces, made safe. To free. */
char		*mime_text_utf8(GMimeTextPart *);
/* Follow message/rfc822 parts inward: always (forwards), or only through delivery reports. */
GMimeMessage	*mime_innermost(GMimeMessage *, const struct conf *, int always);

#endif
