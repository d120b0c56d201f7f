/* pasted-date.h: a date pasted into a forward's header block made RFC 5322. */
#ifndef ARFDESK_PASTED_DATE_H
#define ARFDESK_PASTED_DATE_H

#include <stddef.h>

/*
 * The pasted date of len bytes at value as RFC 5322 ("02 Jul 2024 09:20:11 +0200") into out
 * (size bytes), or 0: RFC 5322 dates and the long forms clients write in en, de, fr, nl, es and
 * it ("Tuesday, July 2, 2024 9:20 AM", "2. Juli 2024 um 09:20:11 MESZ"). Every word must be
 * understood and the zone given: a date in the reader's unknown zone would be a wrong date.
 */
int	 pasted_date_rfc5322(const char *value, size_t len, char *out, size_t size);

#endif
