/* tally.h: the counts each case keeps of its reports (spam complaints, not-spam reports, first
 * and last seen, complaints per day and class, distinct reporters), written in the same
 * transaction as the reports, so that a listing reads as many rows as it shows. */
#ifndef ARFDESK_TALLY_H
#define ARFDESK_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;

/* The seconds of one bucket of case_days: a UTC day. */
#define TALLY_DAY	86400

/* What a report counts for, as written. */
struct tally_report {
	int64_t			 id;
	const char		*ip;		/* NULL: no source found */
	const char		*net;
	const char		*customer;	/* NULL: none of the desk's */
	const char *const	*domains;	/* the registrable domains it advertised */
	size_t			 ndomains;
	const char		*class;		/* NULL: nothing to count (unreadable) */
	time_t			 seen;
	time_t			 imported;
	const char		*reporter;
};

struct tally;

struct tally	*tally_new(void);
void		 tally_free(struct tally *);
/* Add a report that counts (not a repeat) under each of its cases. */
void		 tally_add(struct tally *, const struct tally_report *);
/* Reports added since the last flush or clear. */
size_t		 tally_pending(const struct tally *);
/* Forget what was added (a new transaction). */
void		 tally_clear(struct tally *);
/* ... and the case ids learnt (the transaction was rolled back, the cases counted again). */
void		 tally_forget(struct tally *);
/* Write the sums into the cases in the open transaction, creating the cases they are the
 * first of, and clear them. A spam complaint imported and seen after a case was notified,
 * resolved or ignored makes it recurring, and reopens it when its state is one of reopen
 * (STORE_REOPEN_*). Returns 0, or -1 reported. */
int		 tally_flush(struct store *, struct tally *, int reopen);

/* Count every case again from the reports (after a reparse, a new customer list, a migration),
 * in the open transaction: a case nobody touched that has no reports left goes; the others
 * keep their state and history. Returns 0, or -1 reported. */
int		 tally_rebuild(struct store *);

/* 1 when the counts are behind the reports (a reparse is running or was cut short), else 0. */
int	 tally_stale(struct store *);
/* Say so, in the open transaction. */
int	 tally_mark_stale(struct store *);

#endif
