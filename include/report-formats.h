/* report-formats.h: the format families of the parser (one file each) and what report.c gives
 * them. Each parse function returns the format when the message is of its family and has been
 * read, or -1 to let the next one try (report.c's table gives the order). Inside the parser
 * only. */
#ifndef ARFDESK_REPORT_FORMATS_H
#define ARFDESK_REPORT_FORMATS_H

#include <stddef.h>
#include <time.h>

#include <gmime/gmime.h>

#include "mime.h"
#include "report.h"

int	 report_xarf_parse(struct walk *, GMimeMessage *);
int	 report_arf_parse(struct walk *, GMimeMessage *);
int	 report_cfbl_parse(struct walk *, GMimeMessage *);
int	 report_spamcop_parse(struct walk *, GMimeMessage *);
int	 report_forward_parse(struct walk *, GMimeMessage *);
int	 report_forward_inline_parse(struct walk *, GMimeMessage *);
int	 report_notice_parse(struct walk *, GMimeMessage *);
int	 report_raw_parse(struct walk *, GMimeMessage *);
/* Keep a header of msg among the report's fields ("Name: value"), if it has one. Returns it. */
const char *report_keep_header(struct report *, GMimeMessage *, const char *name);
/* A bare X-ARF JSON file (not mail). */
void	 report_xarf_bare(const char *raw, size_t len, struct walk *);
/* The original quoted inline in a text from start (a forward marker or pasted headers). */
GMimeMessage *report_forward_inline(struct walk *, const char *start);

/* A further spam sample after the last of first's chain (numbered, empty, status ok). */
struct report *report_add_sample(struct report *first);
/* Add a note to the report's errors and raise its status to at least status. */
void	 report_note(struct report *, enum parse_status, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* A one-line safe copy of a header value, or NULL when empty. */
char	*report_dup(const char *);
/* An RFC 5322 date, or 0. */
time_t	 report_date(const char *);

#endif
