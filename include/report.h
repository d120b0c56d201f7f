/* report.h: one complaint message parsed into a report: its format, the feedback fields, the
 * embedded original, the spam's source IP and the URLs it advertised. */
#ifndef ARFDESK_REPORT_H
#define ARFDESK_REPORT_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "received.h"
#include "util.h"

/* X(name, summary): report formats. The order they are tried in is report.c's table of format
 * families. */
#define REPORT_FORMATS(X) \
	X(arf, "ARF feedback report (RFC 5965, RFC 6591)") \
	X(xarf, "X-ARF report with a JSON or YAML part") \
	X(spamcop, "SpamCop report") \
	X(forwarded, "spam forwarded as an attachment or inline") \
	X(cfbl, "complaint feedback loop (RFC 9477): the original, or ARF about it") \
	X(raw, "the spam itself, with no report around it") \
	X(notice, "a notice that names the source in words, with no spam sample") \
	X(unknown, "not mail, or mail that is no complaint")

enum report_format {
#define X(name, summary) REPORT_##name,
	REPORT_FORMATS(X)
#undef X
};

#define PARSE_STATUSES(X) \
	X(ok, "parsed completely") \
	X(partial, "parsed, but something was ignored or cut short") \
	X(unparsed, "stored raw; no report could be read")

enum parse_status {
#define X(name, summary) PARSE_##name,
	PARSE_STATUSES(X)
#undef X
};

/* The most of the complainant's words kept (bytes). */
#define REPORT_MAX_WORDS	4000

/* The most distinct URLs kept from one message. */
#define REPORT_MAX_URLS	1000

/* The most spam samples read from one complaint (several spams attached to one forward). */
#define REPORT_MAX_SAMPLES	100

struct report_url {
	char	*url;
	char	*host;		/* NULL when the URL has none */
	char	*domain;	/* registrable domain, NULL for IP literals */
};

/*
 * One complaint about one spam. A message usually holds one; a forward with several spams
 * attached holds one per spam, chained from the first by next (sample 1, 2, ...). The
 * message's parse status and notes are the first report's; the complaint's own fields
 * (reporter, dates, words, format) are the same in each.
 */
struct report {
	enum report_format	 format;
	enum parse_status	 status;
	struct buf		 errors;		/* "; "-separated notes */
	int			 sample;		/* 1-based position in the message */
	struct report		*next;			/* the message's next spam sample, or NULL */

	char	*feedback_type;
	char	*complaint_class;	/* what it complains of (report_class); NULL: no complaint */
	char	*user_agent;
	char	*version;
	char	*reporter;		/* the complaint's From */
	char	*source_ip;		/* canonical text */
	char	*source_ip_rule;	/* report-field, xarf, spamcop, received:N */
	char	*source_net;		/* /24 or /48 */
	time_t	 arrival_date;		/* 0 when unknown */
	time_t	 complaint_date;	/* the complaint's own Date, 0 when unknown */
	char	*reported_domain;
	char	*original_mail_from;
	char	*original_rcpt_to;
	char	*original_message_id;
	char	*original_subject;
	char	*auth_results;
	long	 incidents;		/* 0 when absent */
	struct strlist	 fields;		/* "Name: value" of the report's fields, in order */
	struct received_chain *received;	/* the original's chain with each hop's verdict, or
					 * NULL; not stored: `show` parses again */
	char	*complaint_text;	/* the complainant's own words (safe, newlines kept), or
					 * NULL; not stored: `show` parses the raw message again */
	char	*original_key;		/* the spam's identity: "mid:" its Message-ID, else "body:"
					 * a hash of its Date, From, Subject and body; or NULL */
	char	*content_key;		/* who complained of which spam (a hash of the reporter's
					 * address and original_key): the same twice is one
					 * complaint; NULL when either is unknown */

	struct report_url	*urls;
	size_t			 nurls;
	int			 too_many_urls;
	struct strlist		 domains;	/* distinct registrable domains, first seen first */
};

const char	*report_format_name(enum report_format);
const char	*parse_status_name(enum parse_status);
/* The enum value of a name, or -1. */
int		 report_format_find(const char *);
/* "arf, xarf, ...": every format name, for messages. */
const char	*report_format_list(void);
int		 parse_status_find(const char *);

/*
 * Complaint classes: ARF's feedback types, X-ARF's report types ("login-attack", "phishing",
 * ...) lower case, and "spam" for every form that is spam by what it is (a forward, SpamCop, a
 * notice, raw spam). The spam classes are what groups count unless told otherwise.
 */
#define REPORT_SPAM_CLASSES	"abuse", "fraud", "virus", "spam"
/* The same as an SQL list, for "class IN (" REPORT_SPAM_CLASSES_SQL ")". */
#define REPORT_SPAM_CLASSES_SQL	"'abuse', 'fraud', 'virus', 'spam'"
int	 report_class_is_spam(const char *);

/* Process-wide set-up of the MIME library; call once before report_parse. */
void	 report_init(void);
/* Parse one raw message into the first report and the chain after it. Never fails: a message
 * that cannot be read gives format unknown and status unparsed with the reason in errors. */
void	 report_parse(const char *raw, size_t len, const struct conf *, struct report *);
/* The report of a sample (1-based) in the chain, or NULL. */
const struct report *report_sample(const struct report *, int sample);
size_t	 report_samples(const struct report *);
/* Frees the report and the samples chained after it. */
void	 report_free(struct report *);

#endif
