/* evidence.h: one report as evidence, the way `show` prints it and the console's report view
 * shows it: what was parsed, the complainant's own words, the Received chain with each hop's
 * verdict, the URLs and their domains; and the raw message. */
#ifndef ARFDESK_EVIDENCE_H
#define ARFDESK_EVIDENCE_H

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

struct conf;
struct report;
struct report_item;
struct store;

/* The stored details of a report (bound: its id), in this order: source, source position,
 * imported at, size, reporter, user agent, version, original mail from, original rcpt to,
 * authentication results, incidents, fields, source network, raw message, the reports its
 * message holds. */
extern const char evidence_detail_sql[];

/* The details of a report (a row of evidence_detail_sql: sqlite3_reset it when done) and its
 * message parsed again for what is not stored (the complainant's words, the Received chain's
 * verdicts), with the report of it that this one is (report_free parsed). 0, or -1 reported. */
int	 evidence_detail(struct store *, const struct conf *, const struct report_item *,
	    sqlite3_stmt **detail, struct report *parsed, const struct report **sample);

/* The report in full, as lines of text made safe, to out. 0, 1 when there is no such report,
 * -1 on a store error (reported). */
int	 evidence_write(struct store *, const struct conf *, int64_t report_id, FILE *out);

/* The raw message a report came from (its bytes, to free, and their length). 0, 1 when there
 * is no such report, -1 on error. */
int	 evidence_raw(struct store *, int64_t report_id, char **raw, size_t *len);

#endif
