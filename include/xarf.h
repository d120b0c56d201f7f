/* xarf.h: the machine-readable part of X-ARF reports: JSON (v1 to v4) and YAML (v0.1, v0.2). */
#ifndef ARFDESK_XARF_H
#define ARFDESK_XARF_H

#include <stddef.h>

#include "util.h"

/* At most this many fields are kept from one report, each value cut at XARF_FIELD_MAX bytes. */
#define XARF_MAX_FIELDS	100
#define XARF_FIELD_MAX	300

struct xarf {
	char		*version;
	char		*source;	/* the reported source, as written (an IP, usually) */
	char		*source_type;	/* "ipv4", "ip-address", "uri", ... when given */
	char		*report_type;	/* "spam", "login-attack", ... */
	char		*date;
	char		*reported_domain;
	unsigned char	*evidence;	/* a decoded message/rfc822 sample, if the report has one */
	size_t		 evidence_len;
	struct strlist	 fields;	/* every field, "Name: value" (nested: "Report.Source.IP");
					 * evidence payloads by their type and size only */
};

/* Parse an X-ARF JSON object. Returns 0 when it is one (it has a version or a source), -1 when
 * the text is not JSON or not X-ARF; *err then says why (static text). */
int	 xarf_parse_json(const char *, size_t, struct xarf *, const char **err);
/* Parse the "Key: value" lines of an X-ARF 0.1/0.2 report.txt. Returns 0 when a Source or
 * Report-Type was found. */
int	 xarf_parse_yaml(const char *, size_t, struct xarf *);
/* Does a text look like an X-ARF JSON report (an object naming X-ARF's own keys)? */
int	 xarf_looks_like_json(const char *, size_t);
/* The length of the JSON object that text starts with ('{' ... its matching '}', strings and
 * escapes respected), or 0 when it does not close within len bytes. */
size_t	 xarf_json_extent(const char *, size_t);
void	 xarf_free(struct xarf *);

#endif
