/* xarf.h: the machine-readable part of X-ARF reports: JSON (v1 to v4) and YAML (v0.1, v0.2). */
#ifndef ARFDESK_XARF_H
#define ARFDESK_XARF_H

#include <stddef.h>

struct xarf {
	char		*version;
	char		*source;	/* the reported source, as written (an IP, usually) */
	char		*source_type;	/* "ipv4", "ip-address", "uri", ... when given */
	char		*report_type;	/* "spam", "login-attack", ... */
	char		*date;
	char		*reported_domain;
	unsigned char	*evidence;	/* a decoded message/rfc822 sample, if the report has one */
	size_t		 evidence_len;
};

/* Parse an X-ARF JSON object. Returns 0 when it is one (it has a version or a source), -1 when
 * the text is not JSON or not X-ARF; *err then says why (static text). */
int	 xarf_parse_json(const char *, size_t, struct xarf *, const char **err);
/* Parse the "Key: value" lines of an X-ARF 0.1/0.2 report.txt. Returns 0 when a Source or
 * Report-Type was found. */
int	 xarf_parse_yaml(const char *, size_t, struct xarf *);
void	 xarf_free(struct xarf *);

#endif
