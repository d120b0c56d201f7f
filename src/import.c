/* import.c: the import pipeline. The caller's thread reads messages into a ring of slots; parser
 * threads hash and parse them; one writer thread stores them in ring order, so report ids follow
 * the order of the input and the sqlite connection is only ever used by one thread at a time.
 * The ring is bounded in slots and in bytes, so memory does not grow with the mailbox.
 *
 * The writer begins a transaction when a parsed message is ready and commits after
 * IMPORT_BATCH messages or IMPORT_TXN_MS, whichever comes first, waiting for the parsers inside
 * it (each commit writes the cases' counts, which cost less the more reports share them). It
 * commits at once, and pauses for a moment, when another writer is waiting for the lock (a
 * colleague's case change, another import: store_writer_waiting), so that one waits for one
 * message and a commit, not for a batch. */

#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "import.h"
#include "report.h"
#include "source.h"
#include "store.h"

/* Messages per transaction: large enough to make the store fast, small enough that an
 * interrupted import loses little work (it is redone, not duplicated, on the next run). */
#define IMPORT_BATCH	1000
/* ... and a transaction is never held longer than this, however slow the machine is. */
#define IMPORT_TXN_MS	100
/* How long the writer lets go of the database between two batches: longer than a waiting
 * writer's poll (store.c), short against a batch. */
#define IMPORT_TURN_US	3000
/* How often the writer, waiting inside a transaction, looks at the clock and for others. */
#define IMPORT_POLL_MS	2
#define RING_SIZE	128
/* Bytes of messages in the ring at most (one message may be larger: it then waits alone). */
#define RING_BYTES	(64u << 20)
/* A slot's buffer larger than this is given back after use, not kept for the next message. */
#define SLOT_KEEP	(1u << 20)
#define MAX_THREADS	8
/* The nice value of the parser threads, over the writer's and other programs'. */
#define PARSER_NICE	5
/* Wake-ups cost more than parsing on a small virtual machine: a thread is woken when this
 * many slots are ready for it, or when the one who would wake it is about to sleep. */
#define WAKE_BATCH	16

enum slot_state { SLOT_EMPTY, SLOT_FILLED, SLOT_PARSING, SLOT_PARSED };

struct slot {
	enum slot_state	 state;
	char		*source;
	char		*position;
	struct buf	 data;
	char		*refused;
	char		 sha[65];
	struct report	 report;
};

struct import {
	struct store		*store;
	const struct conf	*conf;
	const struct import_opts *opts;
	struct import_stats	*stats;

	/* One lock; three conditions, so that each wake-up goes to the one who can go on. */
	pthread_mutex_t		 lock;
	pthread_cond_t		 can_parse;	/* parsers wait for a filled slot */
	pthread_cond_t		 can_write;	/* the writer waits for the next slot to be parsed */
	pthread_cond_t		 can_produce;	/* the reader waits for a free slot */
	int			 parsers_waiting;
	int			 writer_waiting;
	int			 producer_waiting;
	struct slot		 ring[RING_SIZE];
	unsigned long		 produced;	/* slots filled so far */
	unsigned long		 parse_next;	/* next slot a parser takes */
	unsigned long		 written;	/* slots stored so far */
	unsigned long		 settled;	/* of those, the ones committed for good */
	size_t			 ring_bytes;	/* message bytes in the ring */
	int			 done;		/* no more input */
	int			 failed;	/* store error: stop */
	int			 in_txn;	/* the writer holds a write transaction */
	long			 in_batch;
	struct timespec		 txn_start;
	/* Progress: the bytes of the inputs (0: not known, standard input) and of the messages
	 * stored so far, since when, and when it was last said. */
	uint64_t		 total_bytes;
	uint64_t		 done_bytes;
	struct timespec		 start;
	struct timespec		 said;
	pthread_t		 parsers[MAX_THREADS];
	pthread_t		 writer;
	int			 nthreads;
};

static void
slot_clear(struct slot *s)
{
	free(s->source);
	free(s->position);
	free(s->refused);
	s->source = s->position = s->refused = NULL;
	if (s->data.cap > SLOT_KEEP)
		buf_free(&s->data);
	else
		buf_reset(&s->data);
	s->state = SLOT_EMPTY;
}

static void *
parser_main(void *arg)
{
	struct import *p = arg;
	struct slot *s;
	unsigned long index;

	/* Parsing is the import's bulk and can wait: the writer, which holds the write lock,
	 * and a colleague's command in another terminal go first when the CPUs are busy.
	 * (On Linux a nice value is a thread's own.) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), PARSER_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->failed && p->parse_next == p->produced && !p->done) {
			if (p->writer_waiting)
				pthread_cond_signal(&p->can_write);
			p->parsers_waiting++;
			pthread_cond_wait(&p->can_parse, &p->lock);
			p->parsers_waiting--;
		}
		if (p->failed || p->parse_next == p->produced)
			break;
		index = p->parse_next++;
		s = &p->ring[index % RING_SIZE];
		s->state = SLOT_PARSING;
		pthread_mutex_unlock(&p->lock);
		if (s->refused == NULL) {
			sha256_hex(s->data.data != NULL ? s->data.data : "", s->data.len, s->sha);
			report_parse(s->data.data != NULL ? s->data.data : "", s->data.len, p->conf,
			    &s->report);
		}
		pthread_mutex_lock(&p->lock);
		s->state = SLOT_PARSED;
		if (p->writer_waiting && (index >= p->written + WAKE_BATCH - 1 ||
		    p->parse_next == p->produced))
			pthread_cond_signal(&p->can_write);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Where a message is, for a message to the user: the path, and the offset in an mbox (a
 * Maildir file's path already names it). */
static char *
slot_where(const struct slot *s)
{
	if (s->position != NULL && strncmp(s->position, "offset:", 7) == 0)
		return xasprintf("%s at byte %s", s->source, s->position + 7);
	return xstrdup(s->source);
}

/* Store one parsed slot; the writer holds no lock meanwhile. Returns -1 on a store error. */
static int
write_slot(struct import *p, struct slot *s)
{
	struct import_stats *st = p->stats;
	char *where;
	int64_t id;
	int repeats;
	int rc;

	if (s->refused != NULL) {
		st->refused++;
		where = slot_where(s);
		msg_warn("%s: refused: %s", where, s->refused);
		free(where);
		return 0;
	}
	rc = store_has_message(p->store, s->sha);
	if (rc != 0) {
		report_free(&s->report);
		if (rc < 0)
			return -1;
		st->duplicates++;
		return 0;
	}
	rc = store_add_message(p->store, s->source, s->position, s->sha, s->data.data,
	    s->data.len, &s->report, &id, &repeats);
	if (rc == 0) {
		st->added++;
		st->repeats += repeats;
		st->reports += (long)report_samples(&s->report);
		if (s->report.status == PARSE_unparsed) {
			st->unparsed++;
			if (!p->opts->quiet) {
				where = slot_where(s);
				msg_warn("%s: stored as report %lld, unparsed: %s", where,
				    (long long)id, s->report.errors.data);
				free(where);
			}
		}
	}
	report_free(&s->report);
	if (rc != 0)
		return -1;
	p->in_batch++;
	return 0;
}

static long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* The write transaction, taken only when there is something to write. */
static int
txn_begin(struct import *p)
{
	if (p->in_txn)
		return 0;
	if (store_begin(p->store) != 0)
		return -1;
	p->in_txn = 1;
	p->in_batch = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->txn_start);
	return 0;
}

static int
txn_commit(struct import *p)
{
	if (!p->in_txn)
		return 0;
	p->in_txn = 0;
	if (store_commit(p->store) != 0)
		return -1;
	p->stats->committed = p->stats->added;
	store_wal_trim(p->store);
	return 0;
}

/* Commit a full or an old batch, or any when another writer waits, and let others have the
 * database for a moment. */
static int
txn_check(struct import *p)
{
	if (!p->in_txn || (p->in_batch < IMPORT_BATCH && ms_since(&p->txn_start) < IMPORT_TXN_MS &&
	    !store_writer_waiting(p->store)))
		return 0;
	if (txn_commit(p) != 0)
		return -1;
	usleep(IMPORT_TURN_US);
	return 0;
}

/* Wait for the parsers (or the reader) inside a transaction, a few milliseconds at a time, so
 * that an old transaction or a waiting writer is seen. Called with the lock held. */
static void
txn_wait(struct import *p)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += IMPORT_POLL_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	p->writer_waiting++;
	pthread_cond_timedwait(&p->can_write, &p->lock, &until);
	p->writer_waiting--;
}

/* How often progress is said. */
#define PROGRESS_MS	250

/*
 * Progress: on a terminal, a line rewritten in place; to --progress-fd, a JSON line for a
 * program (the console) to show: messages done, new, duplicates, bytes done and of all, the
 * rate in messages a second, the seconds left (-1: not known), and whether it is the last.
 */
static void
progress(struct import *p, int last)
{
	long ms = ms_since(&p->start);
	double secs = ms > 0 ? ms / 1000.0 : 0.001, rate = p->written / secs;
	long eta = -1;
	char left[32] = "";

	if (!last && ms_since(&p->said) < PROGRESS_MS)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->said);
	if (p->total_bytes > 0 && p->done_bytes > 0 && p->done_bytes < p->total_bytes)
		eta = (long)((p->total_bytes - p->done_bytes) * secs / p->done_bytes);
	if (p->opts->progress_fd >= 0)
		dprintf(p->opts->progress_fd, "{\"done\":%lu,\"new\":%ld,\"duplicates\":%ld,"
		    "\"bytes\":%llu,\"total_bytes\":%llu,\"rate\":%.0f,\"eta\":%ld,"
		    "\"last\":%s}\n", p->written, p->stats->added, p->stats->duplicates,
		    (unsigned long long)p->done_bytes, (unsigned long long)p->total_bytes, rate, eta,
		    last ? "true" : "false");
	if (p->opts->progress && !last) {
		if (eta >= 0)
			snprintf(left, sizeof left, ", %ld:%02ld left", eta / 60, eta % 60);
		if (p->total_bytes > 0)
			msg_progress("importing: %lu messages (%.0f%%), %ld new, %ld duplicates, "
			    "%.0f/s%s", p->written, 100.0 * (double)p->done_bytes /
			    (double)p->total_bytes, p->stats->added, p->stats->duplicates, rate,
			    left);
		else
			msg_progress("importing: %lu messages, %ld new, %ld duplicates, %.0f/s",
			    p->written, p->stats->added, p->stats->duplicates, rate);
	}
}

static void *
writer_main(void *arg)
{
	struct import *p = arg;
	struct slot *s;
	size_t bytes;
	int rc;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->failed && !(p->written == p->produced && p->done) &&
		    (p->written == p->produced ||
		    p->ring[p->written % RING_SIZE].state != SLOT_PARSED)) {
			if (p->in_txn && ms_since(&p->txn_start) < IMPORT_TXN_MS &&
			    !store_writer_waiting(p->store)) {
				txn_wait(p);
				continue;
			}
			if (p->in_txn) {
				/* Nothing to write for a while, or someone waits: commit. */
				pthread_mutex_unlock(&p->lock);
				rc = txn_commit(p);
				if (rc == 0)
					usleep(IMPORT_TURN_US);
				pthread_mutex_lock(&p->lock);
				if (rc == 0)
					p->settled = p->written;
				if (rc != 0) {
					p->failed = 1;
					pthread_cond_broadcast(&p->can_parse);
					pthread_cond_broadcast(&p->can_produce);
				}
				continue;
			}
			if (p->producer_waiting)
				pthread_cond_signal(&p->can_produce);
			p->writer_waiting++;
			pthread_cond_wait(&p->can_write, &p->lock);
			p->writer_waiting--;
		}
		if (p->failed || (p->written == p->produced && p->done))
			break;
		s = &p->ring[p->written % RING_SIZE];
		pthread_mutex_unlock(&p->lock);
		rc = txn_begin(p);
		if (rc == 0)
			rc = write_slot(p, s);
		if (rc == 0)
			rc = txn_check(p);
		bytes = s->data.len;
		slot_clear(s);
		/* The writer owns these counters, so it is the one to show them. */
		p->done_bytes += bytes;
		pthread_mutex_lock(&p->lock);
		p->ring_bytes -= bytes;
		p->written++;
		if (rc == 0 && !p->in_txn)
			p->settled = p->written;
		if (p->opts->progress || p->opts->progress_fd >= 0)
			progress(p, 0);
		if (rc != 0) {
			p->failed = 1;
			pthread_cond_broadcast(&p->can_parse);
			pthread_cond_broadcast(&p->can_produce);
		} else if (p->producer_waiting &&
		    (RING_SIZE - (p->produced - p->written) >= WAKE_BATCH ||
		    p->ring_bytes < RING_BYTES / 2))
			pthread_cond_signal(&p->can_produce);
	}
	pthread_mutex_unlock(&p->lock);
	/* The last batch; on failure the open one is rolled back by the caller. */
	if (!p->failed && txn_commit(p) != 0)
		p->failed = 1;
	if (!p->failed) {
		pthread_mutex_lock(&p->lock);
		p->settled = p->written;
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

/* Set by SIGINT or SIGTERM: stop reading, store what was read, commit, report. */
static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
	signal(sig, SIG_DFL);	/* a second one ends the program at once */
}

/* The reader is about to wait for input: what it has read must not wait with it. */
static void
reader_idle(void *arg)
{
	struct import *p = arg;

	pthread_mutex_lock(&p->lock);
	if (p->parsers_waiting && p->parse_next < p->produced)
		pthread_cond_broadcast(&p->can_parse);
	if (p->writer_waiting)
		pthread_cond_signal(&p->can_write);
	pthread_mutex_unlock(&p->lock);
}

int
import_add(struct import *p, const struct source_msg *m)
{
	struct slot *s;

	pthread_mutex_lock(&p->lock);
	while (!p->failed && (p->produced - p->written >= RING_SIZE ||
	    (p->produced > p->written && p->ring_bytes + m->len > RING_BYTES))) {
		if (p->parsers_waiting)
			pthread_cond_broadcast(&p->can_parse);
		p->producer_waiting++;
		pthread_cond_wait(&p->can_produce, &p->lock);
		p->producer_waiting--;
	}
	if (p->failed) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	s = &p->ring[p->produced % RING_SIZE];
	pthread_mutex_unlock(&p->lock);

	s->source = xstrdup(m->source);
	s->position = m->position != NULL ? xstrdup(m->position) : NULL;
	s->refused = m->refused != NULL ? xstrdup(m->refused) : NULL;
	buf_reset(&s->data);
	if (m->data != NULL)
		buf_add(&s->data, m->data, m->len);

	pthread_mutex_lock(&p->lock);
	p->stats->read++;
	p->ring_bytes += s->data.len;
	s->state = SLOT_FILLED;
	p->produced++;
	if (p->parsers_waiting && p->produced - p->parse_next >= WAKE_BATCH)
		pthread_cond_signal(&p->can_parse);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

unsigned long
import_settled(struct import *p)
{
	unsigned long n;

	pthread_mutex_lock(&p->lock);
	n = p->settled;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void
import_flush(struct import *p)
{
	reader_idle(p);
}

/* The source callback, on the caller's thread: stop at an interrupt, else hand it on. */
static int
produce(const struct source_msg *m, void *arg)
{
	if (interrupted)
		return 2;
	return import_add(arg, m) != 0 ? 1 : 0;
}

/* The bytes under a path, for progress: a file's size, a directory's files'. */
static uint64_t walked_bytes;

static int
add_size(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F && S_ISREG(sb->st_mode))
		walked_bytes += (uint64_t)sb->st_size;
	return 0;
}

static uint64_t
input_bytes(char **paths, int npaths)
{
	struct stat sb;
	int i;

	walked_bytes = 0;
	for (i = 0; i < npaths; i++) {
		/* Standard input: its size is not known. */
		if (strcmp(paths[i], "-") == 0)
			return 0;
		if (stat(paths[i], &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			nftw(paths[i], add_size, 16, FTW_PHYS);
		else if (S_ISREG(sb.st_mode))
			walked_bytes += (uint64_t)sb.st_size;
	}
	return walked_bytes;
}

struct import *
import_begin(struct store *store, const struct conf *conf, const struct import_opts *opts,
    struct import_stats *stats, uint64_t total_bytes)
{
	struct import *p = xcalloc(1, sizeof *p);
	int nthreads = opts->threads, i;
	long cpus;

	memset(stats, 0, sizeof *stats);
	/* One parser per CPU: the reading and writing threads wait most of the time (for the
	 * disk, for a parsed message), and measured on two CPUs two parsers import 12% faster
	 * than one, three no faster than two (bench/README). */
	if (nthreads <= 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = cpus > 1 ? (int)cpus : 1;
	}
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	p->nthreads = nthreads;
	p->store = store;
	p->conf = conf;
	p->opts = opts;
	p->stats = stats;
	p->total_bytes = total_bytes;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->can_parse, NULL);
	pthread_cond_init(&p->can_write, NULL);
	pthread_cond_init(&p->can_produce, NULL);
	for (i = 0; i < RING_SIZE; i++)
		buf_init(&p->ring[i].data);
	report_init();
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&p->parsers[i], NULL, parser_main, p) != 0)
			abort();
	if (pthread_create(&p->writer, NULL, writer_main, p) != 0)
		abort();
	return p;
}

int
import_end(struct import *p, int read_all)
{
	struct store *store = p->store;
	int i, rc;

	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->can_parse);
	pthread_cond_broadcast(&p->can_write);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->parsers[i], NULL);
	pthread_join(p->writer, NULL);

	/* Read to the end: the bytes between messages (mbox From lines) count as done too. */
	if (read_all && !p->failed)
		p->done_bytes = p->total_bytes;
	if (p->opts->progress_fd >= 0)
		progress(p, 1);
	if (p->opts->progress)
		msg_progress_end();
	rc = 0;
	if (p->failed) {
		if (p->in_txn)
			store_rollback(store);
		rc = -1;
	} else
		/* A large import leaves the WAL at its high-water size while another connection
		 * (the console) keeps it from being removed: give the space back. */
		store_checkpoint(store);
	for (i = 0; i < RING_SIZE; i++) {
		if (p->ring[i].state == SLOT_PARSED && p->ring[i].refused == NULL)
			report_free(&p->ring[i].report);
		slot_clear(&p->ring[i]);
		buf_free(&p->ring[i].data);
	}
	pthread_cond_destroy(&p->can_parse);
	pthread_cond_destroy(&p->can_write);
	pthread_cond_destroy(&p->can_produce);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return rc;
}

int
import_paths(struct store *store, const struct conf *conf, char **paths, int npaths,
    const struct import_opts *opts, struct import_stats *stats)
{
	struct sigaction sa, old_int, old_term;
	struct source_opts source_opts;
	struct import *p;
	int i, read_all;

	p = import_begin(store, conf, opts, stats, opts->progress || opts->progress_fd >= 0 ?
	    input_bytes(paths, npaths) : 0);
	/* The database is never a message, even when it lives under an imported directory. */
	for (i = 0; i < 3; i++) {
		char *file = xasprintf("%s%s", store_path(store), (const char *[]){ "", "-wal",
		    "-shm" }[i]);

		source_skip(file);
		free(file);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	source_opts.max_size = conf->max_message_size;
	source_opts.mbox_format = opts->mbox_format;
	source_opts.idle = reader_idle;
	source_opts.idle_arg = p;
	for (i = 0; i < npaths && !interrupted; i++)
		if (source_read(paths[i], &source_opts, produce, p, &stats->errors) != 0)
			break;	/* the pipeline failed, or an interrupt */
	read_all = i == npaths && !interrupted;
	stats->interrupted = interrupted != 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return import_end(p, read_all);
}
