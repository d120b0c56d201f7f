/* import.h: the import pipeline: read messages from local sources, parse them on every core,
 * and store each one once, in source order, in batched transactions. */
#ifndef ARFDESK_IMPORT_H
#define ARFDESK_IMPORT_H

#include "conf.h"
#include "source.h"

struct store;

struct import_stats {
	long	read;
	long	added;
	long	reports;	/* of the added messages' (more when a forward holds several spams) */
	long	committed;	/* of added: committed (the rest is lost when the store fails) */
	long	duplicates;
	long	repeats;	/* reports of a spam the same reporter had reported already */
	long	unparsed;
	long	refused;
	long	errors;		/* paths or messages that could not be read (each reported) */
	int	interrupted;	/* SIGINT or SIGTERM stopped the reading; what was read is stored */
};

struct import_opts {
	int	quiet;		/* no per-message warnings */
	int	progress;	/* a running count on stderr */
	int	progress_fd;	/* JSON lines of progress to this descriptor; -1: none */
	int	threads;	/* parser threads; 0: one per online CPU */
	enum mbox_format mbox_format;
};

/* Import every path ("-" is standard input). Returns 0, or -1 on a store error (the batch in
 * progress is rolled back; earlier batches stay committed: stats->committed says how many). */
int	 import_paths(struct store *, const struct conf *, char **paths, int npaths,
	    const struct import_opts *, struct import_stats *);

/*
 * The pipeline for a reader of its own (fetch): begin it (total_bytes for progress, 0: not
 * known), add messages one at a time from one thread (it waits while the ring is full), and
 * end it (the last batch committed). import_settled says how many of the messages added are
 * settled for good: stored and committed, known already, or refused. import_flush wakes the
 * parsers and the writer before the reader waits for input of its own. import_add and
 * import_end return 0, or -1 on a store error (the batch in progress rolled back).
 */
struct import;
struct import	*import_begin(struct store *, const struct conf *, const struct import_opts *,
		    struct import_stats *, uint64_t total_bytes);
int		 import_add(struct import *, const struct source_msg *);
unsigned long	 import_settled(struct import *);
void		 import_flush(struct import *);
int		 import_end(struct import *, int read_all);

#endif
