/* listing.h: the reports listing, in the core, for the CLI's `reports` and the console's views
 * alike: rows in the order the spam was seen, a page at a time after a key (keyset paging), so
 * that a view reads as many rows as it shows and no statement stays open between pages. */
#ifndef ARFDESK_LISTING_H
#define ARFDESK_LISTING_H

#include <stdint.h>
#include <time.h>

struct store;
struct buf;

struct report_query {
	const char	*kind;		/* the case's reports: its kind and key; NULL: all */
	const char	*key;
	time_t		 since;		/* seen at or after it; 0: any */
	time_t		 until;		/* 0: no end; else seen before it */
	time_t		 imported_since;	/* 0: any */
	const char	*format;	/* NULL: any */
	const char	*status;	/* parse status; NULL: any */
	const char	*type;		/* class: NULL (any), "spam", "all" or a class */
	int		 reverse;	/* newest first */
	long		 limit;		/* 0: no limit */
	/* A page after a row: the rows that come after (seen_at, id) in the listing's order. */
	int		 after;
	time_t		 after_seen;
	int64_t		 after_id;
};

/* One row; the strings point into the query's row (copy what is kept). */
struct report_item {
	int64_t		 id;
	int64_t		 message_id;
	int64_t		 sample;
	const char	*source;
	const char	*format;
	const char	*feedback_type;
	const char	*source_ip;
	const char	*source_ip_rule;
	const char	*reported_domain;
	const char	*original_message_id;
	const char	*original_subject;
	time_t		 arrival_date;
	const char	*parse_status;
	const char	*parse_error;
	time_t		 seen_at;
	time_t		 imported_at;
	const char	*reporter;
	const char	*class;
	int64_t		 duplicate_of;	/* 0: none */
};

/* Call fn for each report of the query, in order; stops and returns fn's value when it is not
 * 0; -1 on a store error (reported). */
int	 report_list(struct store *, const struct report_query *,
	    int (*fn)(const struct report_item *, void *), void *);
/* One report by id: fn is called once; 1 when there is none, -1 on error. */
int	 report_get(struct store *, int64_t id,
	    int (*fn)(const struct report_item *, void *), void *);
/* A report's URLs and its distinct registrable domains, in the order they were found: fn is
 * called for each URL with its domain (NULL: none) and whether the domain is new. */
int	 report_urls_each(struct store *, int64_t id,
	    void (*fn)(const char *url, const char *domain, int first, void *), void *);

#endif
