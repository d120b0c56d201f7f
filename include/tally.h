/* tally.h: the counts each case keeps of its reports (spam complaints, not-spam reports, first
 * and last seen, complaints per day and class, distinct reporters), written in the same
 * transaction as the reports, so that a listing reads as many rows as it shows. */
#ifndef ARFDESK_TALLY_H
#define ARFDESK_TALLY_H

#include <stdint.h>
#include <time.h>

struct store;

/* The seconds of one bucket of case_days: a UTC day. */
#define TALLY_DAY	86400

/* Fold the reports with ids from first on (written in the open transaction) into their cases,
 * creating the cases they are the first of; a spam complaint seen after a case was notified,
 * resolved or ignored makes it recurring, and reopens it when its state is one of reopen
 * (STORE_REOPEN_*). Returns 0, or -1 reported. */
int	 tally_fold(struct store *, int64_t first, int reopen);

/* Count every case again from the reports (after a reparse, a new customer list, a migration),
 * in the open transaction: a case nobody touched that has no reports left goes; the others
 * keep their state and history. Returns 0, or -1 reported. */
int	 tally_rebuild(struct store *);

/* 1 when the counts are behind the reports (a reparse is running or was cut short), else 0. */
int	 tally_stale(struct store *);
/* Say so, in the open transaction. */
int	 tally_mark_stale(struct store *);

#endif
