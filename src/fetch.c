/* fetch.c: one IMAP mailbox into the store.
 *
 * A STATUS says whether there is anything new; one listing (UID FETCH with UID, FLAGS and
 * RFC822.SIZE) names the new UIDs and their seen state, which are recorded (sync_pending)
 * before any body is fetched. Bodies come one message per transfer (libcurl's IMAP fetches
 * ;UID=n) over several connections at once, driven by one multi handle on the loop, and go
 * into the import pipeline a chunk at a time. When a chunk's import has committed, its
 * messages are marked stored; then, on the server, the seen state libcurl's fetch changed is
 * put back and the action after import is taken; then they leave sync_pending and the
 * mailbox's last UID moves on. Killed at any moment, the next fetch finds what was left in
 * sync_pending and finishes it: a message stored but not acted on is acted on, not fetched
 * again; one fetched but not committed is fetched again, and the same bytes are never stored
 * twice (the store knows every message by its hash).
 */

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "conf.h"
#include "fetch.h"
#include "import.h"
#include "loop.h"
#include "msg.h"
#include "source.h"
#include "store.h"
#include "util.h"
#include "xfer.h"

/* UIDs whose bodies go through the import in one go, then are acted on in one command. */
#define FETCH_CHUNK	1000
/* Attempts at a transfer that failed for a reason that may pass (connection, timeout). */
#define FETCH_TRIES	4
#define FETCH_BACKOFF_MS 250
#define PROGRESS_MS	250
/* UIDs asked for in one search: without ESEARCH (its answer one line of UIDs, which libcurl
 * reads in a 16 KB buffer), and with it (ranges). */
#define LIST_WINDOW	1000
#define LIST_SPAN_MAX	100000

struct entry {
	int64_t		 uid;
	int		 unseen;	/* before the fetch */
	int		 stored;
	int		 fetched;	/* handed to the import this time */
	int		 gone;		/* refused or vanished: done without an action */
};

struct mailbox_run {
	struct store		*store;
	const struct conf	*conf;
	const struct fetch_target *t;
	const struct fetch_opts	*opts;
	struct fetch_stats	*stats;
	int64_t			 uidvalidity;
	struct entry		*entries;
	size_t			 nentries;
	/* The chunk being fetched. */
	struct loop		*loop;
	struct xfer		*xfer;
	struct import		*import;
	struct import_stats	 import_stats;
	size_t			 next;		/* the next entry of the chunk to start */
	size_t			 end;
	int			 running;
	int			 fatal;		/* login, certificate: the mailbox stops */
	int64_t			 started_ms;
	int64_t			 said_ms;
	long			 total;		/* bodies to fetch, for progress */
};

struct body {
	struct mailbox_run	*run;
	CURL			*easy;
	struct buf		 data;
	size_t			 entry;
	int			 tries;
	int			 too_large;
	char			 error[CURL_ERROR_SIZE];
};

static volatile sig_atomic_t fetch_interrupted;

/* ------------------------------------------------------------------ targets */

int
fetch_target_parse(const char *url, struct fetch_target *t)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *password = NULL;
	char *path = NULL, *decoded = NULL;
	int rc = -1;

	memset(t, 0, sizeof *t);
	if (u == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		msg_error("fetch: not a URL: %s (imaps://USER@HOST[:PORT]/MAILBOX)", url);
		goto out;
	}
	if (strcmp(scheme, "imaps") != 0 && strcmp(scheme, "imap") != 0) {
		msg_error("fetch: %s: the URL must be imaps:// or imap://", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
		msg_error("fetch: %s: a password in a URL is on the command line, where others "
		    "can read it; put it in ~/.netrc (machine HOST login USER password P)", url);
		goto out;
	}
	/* As it goes in a URL, encoded. */
	if (curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK || *user == '\0') {
		msg_error("fetch: %s: name the user: imaps://USER@HOST/MAILBOX", url);
		goto out;
	}
	(void)curl_url_get(u, CURLUPART_PORT, &port, 0);
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	if (path == NULL || strlen(path) <= 1)
		t->mailbox_url = xstrdup("INBOX");
	else
		t->mailbox_url = xstrdup(path + 1);
	/* A URL naming one message (;UID=n) or a search is not a mailbox. */
	if (strchr(t->mailbox_url, ';') != NULL || strchr(t->mailbox_url, '?') != NULL) {
		msg_error("fetch: %s: name a mailbox, not a message or a search", url);
		goto out;
	}
	if (t->mailbox_url[strlen(t->mailbox_url) - 1] == '/')
		t->mailbox_url[strlen(t->mailbox_url) - 1] = '\0';
	decoded = curl_easy_unescape(NULL, t->mailbox_url, 0, NULL);
	t->mailbox = xstrdup(decoded != NULL ? decoded : t->mailbox_url);
	t->imaps = strcmp(scheme, "imaps") == 0;
	/* The user in the URL, not CURLOPT_USERNAME: libcurl looks in ~/.netrc only then. */
	if (port != NULL)
		t->account = xasprintf("%s://%s@%s:%s", scheme, user, host, port);
	else
		t->account = xasprintf("%s://%s@%s", scheme, user, host);

	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(password);
	curl_free(path);
	curl_free(decoded);
	curl_url_cleanup(u);
	if (rc != 0)
		fetch_target_free(t);
	return rc;
}

void
fetch_target_free(struct fetch_target *t)
{
	free(t->mailbox);
	free(t->mailbox_url);
	free(t->account);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ curl */

static size_t
to_buf(char *data, size_t size, size_t n, void *arg)
{
	buf_add(arg, data, size * n);
	return size * n;
}

/* What every transfer of the mailbox shares: who, how it is secured, how long it may take. */
static void
easy_setup(CURL *c, const struct fetch_target *t, const struct fetch_opts *o, char *error)
{
	(void)t;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (o->bearer != NULL) {
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, o->bearer);
		curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
	} else if (o->password != NULL)
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password);
	else
		curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	if (o->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	if (!t->imaps && !o->tls_off)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout);
	/* A server that stops answering: less than a byte a second for the timeout. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->timeout);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
	error[0] = '\0';
}

/* Worth another try: the network or the server may be back in a moment. */
static int
may_pass(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
	    rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_WEIRD_SERVER_REPLY;
}

/* Stops the whole mailbox (it would fail the same way for every message). */
static int
is_fatal(CURLcode rc)
{
	return rc == CURLE_LOGIN_DENIED || rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_USE_SSL_FAILED ||
	    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_UNSUPPORTED_PROTOCOL ||
	    rc == CURLE_REMOTE_ACCESS_DENIED;
}

/* Say why a transfer failed, in the desk's words. */
static void
say_failure(const struct fetch_target *t, const struct fetch_opts *o, const char *what,
    CURLcode rc, const char *detail)
{
	const char *why = *detail != '\0' ? detail : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_LOGIN_DENIED:
		if (o->bearer != NULL)
			msg_error("fetch %s/%s: the server refused the OAuth2 token (%s): it may "
			    "have expired; refresh it (oauth2_command)", t->account, t->mailbox,
			    why);
		else
			msg_error("fetch %s/%s: login refused (%s): check the user and the password "
			    "in ~/.netrc (machine HOST login USER password P)", t->account,
			    t->mailbox, why);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
		msg_error("fetch %s/%s: the server's certificate is not trusted (%s); --cacert "
		    "FILE names the CA that signed it", t->account, t->mailbox, why);
		break;
	case CURLE_USE_SSL_FAILED:
		msg_error("fetch %s/%s: the server offers no STARTTLS, so the password would "
		    "cross the network in the clear; use imaps:// (or, on a network you trust, "
		    "--tls off)", t->account, t->mailbox);
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
		msg_error("fetch %s/%s: cannot reach the server: %s", t->account, t->mailbox,
		    why);
		break;
	default:
		msg_error("fetch %s/%s: %s: %s", t->account, t->mailbox, what, why);
	}
}

/*
 * One command on the control connection (STATUS, the listing, STORE, MOVE), its untagged
 * answers in out; retried while the failure may pass. CURLE_OK, or the error (reported).
 */
static CURLcode
command(CURL *c, const struct mailbox_run *r, const char *url, const char *request,
    struct buf *out, const char *what, int quiet)
{
	char error[CURL_ERROR_SIZE];
	CURLcode rc = CURLE_OK;
	int i;

	for (i = 0; i < FETCH_TRIES; i++) {
		if (i > 0)
			usleep((useconds_t)(FETCH_BACKOFF_MS << (i - 1)) * 1000);
		buf_reset(out);
		curl_easy_reset(c);
		easy_setup(c, r->t, r->opts, error);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_buf);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
		if ((rc = curl_easy_perform(c)) == CURLE_OK || !may_pass(rc) || fetch_interrupted)
			break;
	}
	if (rc != CURLE_OK && !(quiet && rc == CURLE_QUOTE_ERROR))
		say_failure(r->t, r->opts, what, rc, error);
	return rc;
}

/* A mailbox name as an IMAP quoted string. */
static char *
quoted(const char *name)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	buf_addc(&b, '"');
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(&b, '\\');
		if (*p != '\r' && *p != '\n')
			buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	return buf_steal(&b);
}

/* The number after a word in an answer ("UIDVALIDITY 1700000000"), or -1. */
static int64_t
number_after(const char *text, const char *word)
{
	const char *p = text;
	size_t n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || p[-1] == ' ' || p[-1] == '(') && p[n] == ' ' &&
		    isdigit((unsigned char)p[n + 1]))
			return strtoll(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

/* ------------------------------------------------------------------ the store's side */

static const char sql_state[] =
    "SELECT uidvalidity, last_uid FROM sync_state WHERE account = ? AND mailbox = ?";
static const char sql_set_state[] =
    "INSERT INTO sync_state (account, mailbox, uidvalidity, last_uid) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (account, mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
    " last_uid = excluded.last_uid";
static const char sql_forget[] =
    "DELETE FROM sync_pending WHERE account = ? AND mailbox = ? AND uidvalidity <> ?";
static const char sql_pending[] =
    "SELECT uid, unseen, stored FROM sync_pending WHERE account = ? AND mailbox = ?"
    " AND uidvalidity = ? ORDER BY uid";
static const char sql_add_pending[] =
    "INSERT OR IGNORE INTO sync_pending (account, mailbox, uidvalidity, uid, unseen)"
    " VALUES (?, ?, ?, ?, ?)";
static const char sql_mark_stored[] =
    "UPDATE sync_pending SET stored = 1 WHERE account = ? AND mailbox = ? AND uidvalidity = ?"
    " AND uid = ?";
static const char sql_done[] =
    "DELETE FROM sync_pending WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?";

static sqlite3_stmt *
stmt(struct mailbox_run *r, const char *sql)
{
	sqlite3_stmt *st = store_stmt(r->store, sql);

	sqlite3_bind_text(st, 1, r->t->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->t->mailbox, -1, SQLITE_STATIC);
	return st;
}

static int
step_done(struct mailbox_run *r, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(r->store, what);
}

static int
set_state(struct mailbox_run *r, int64_t last_uid)
{
	sqlite3_stmt *st = stmt(r, sql_set_state);

	sqlite3_bind_int64(st, 3, r->uidvalidity);
	sqlite3_bind_int64(st, 4, last_uid);
	return step_done(r, st, "recording a mailbox's last UID");
}

/* Each entry of the chunk to one statement (mark stored, or done). */
static int
entries_apply(struct mailbox_run *r, const char *sql, size_t from, size_t to,
    int (*which)(const struct entry *))
{
	sqlite3_stmt *st;
	size_t i;

	for (i = from; i < to; i++) {
		if (!which(&r->entries[i]))
			continue;
		st = stmt(r, sql);
		sqlite3_bind_int64(st, 3, r->uidvalidity);
		sqlite3_bind_int64(st, 4, r->entries[i].uid);
		if (step_done(r, st, "recording fetched messages") != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ progress */

static void
progress(struct mailbox_run *r, int last)
{
	int64_t now = mono_ms(), ms = now - r->started_ms;
	long done = r->stats->fetched + r->stats->failed + r->stats->refused;
	double rate = ms > 0 ? done * 1000.0 / (double)ms : 0;
	long eta = rate > 0 && r->total > done ? (long)((r->total - done) / rate) : -1;

	if (!last && now - r->said_ms < PROGRESS_MS)
		return;
	r->said_ms = now;
	if (r->opts->progress_fd >= 0)
		dprintf(r->opts->progress_fd, "{\"mailbox\":\"%s\",\"done\":%ld,\"total\":%ld,"
		    "\"new\":%ld,\"rate\":%.0f,\"eta\":%ld,\"last\":%s}\n", r->t->mailbox, done,
		    r->total, r->stats->added + r->import_stats.added, rate, eta,
		    last ? "true" : "false");
	if (r->opts->progress && !last) {
		if (eta >= 0)
			msg_progress("fetching %s: %ld/%ld (%.0f%%), %.0f/s, %ld:%02ld left",
			    r->t->mailbox, done, r->total, 100.0 * done / (r->total ? r->total : 1),
			    rate, eta / 60, eta % 60);
		else
			msg_progress("fetching %s: %ld/%ld, %.0f/s", r->t->mailbox, done, r->total,
			    rate);
	}
}

/* ------------------------------------------------------------------ bodies */

static void body_start(struct body *);

/* The next message of the chunk not stored yet on this handle, and so on its connection. */
static void
body_next(struct body *b)
{
	struct mailbox_run *r = b->run;

	b->tries = 0;
	while (r->next < r->end && !r->fatal && !fetch_interrupted) {
		b->entry = r->next++;
		if (!r->entries[b->entry].stored && !r->entries[b->entry].gone) {
			body_start(b);
			return;
		}
	}
	b->entry = SIZE_MAX;
}

static size_t
body_write(char *data, size_t size, size_t n, void *arg)
{
	struct body *b = arg;

	if (b->data.len + size * n > b->run->conf->max_message_size) {
		b->too_large = 1;
		return 0;
	}
	buf_add(&b->data, data, size * n);
	return size * n;
}

/* The mailbox's URL at its UIDVALIDITY, and a message's (what is fetched, and the source
 * recorded with it: the user in it, never a password). */
static char *
mailbox_url(const struct mailbox_run *r)
{
	return xasprintf("%s/%s;UIDVALIDITY=%lld", r->t->account, r->t->mailbox_url,
	    (long long)r->uidvalidity);
}

static char *
message_url(const struct mailbox_run *r, int64_t uid)
{
	return xasprintf("%s/%s;UIDVALIDITY=%lld/;UID=%lld", r->t->account, r->t->mailbox_url,
	    (long long)r->uidvalidity, (long long)uid);
}

static void
body_refused(struct body *b, const char *why)
{
	struct mailbox_run *r = b->run;
	struct entry *e = &r->entries[b->entry];
	struct source_msg m = { 0 };
	char *source = message_url(r, e->uid);

	m.source = source;
	m.refused = why;
	if (import_add(r->import, &m) != 0)
		r->fatal = 1;
	free(source);
	e->gone = 1;
	r->stats->refused++;
}

static void
retry_timer(void *arg)
{
	body_start(arg);
}

static void
body_done(CURL *easy, CURLcode rc, void *arg)
{
	struct body *b = arg;
	struct mailbox_run *r = b->run;
	struct entry *e = &r->entries[b->entry];
	struct source_msg m = { 0 };
	char *source;

	(void)easy;
	r->running--;
	if (rc == CURLE_OK && b->data.len > 0) {
		source = message_url(r, e->uid);
		m.source = source;
		m.data = b->data.data;
		m.len = b->data.len;
		if (import_add(r->import, &m) != 0)
			r->fatal = 1;
		free(source);
		e->fetched = 1;
		r->stats->fetched++;
	} else if (b->too_large)
		body_refused(b, "larger than max_message_size");
	else if (rc == CURLE_REMOTE_FILE_NOT_FOUND || rc == CURLE_OK) {
		/* Expunged (or moved) since the listing: nothing to take. */
		e->gone = 1;
	} else if (may_pass(rc) && ++b->tries < FETCH_TRIES && !fetch_interrupted && !r->fatal) {
		r->running++;
		loop_add_timer(r->loop, FETCH_BACKOFF_MS << (b->tries - 1), 0, retry_timer, b);
		progress(r, 0);
		return;
	} else {
		if (is_fatal(rc)) {
			if (!r->fatal)
				say_failure(r->t, r->opts, "fetching a message", rc, b->error);
			r->fatal = 1;
		} else {
			source = message_url(r, e->uid);
			msg_warn("fetch: %s: %s (it is fetched again next time)", source,
			    *b->error != '\0' ? b->error : curl_easy_strerror(rc));
			free(source);
		}
		r->stats->failed++;
	}
	progress(r, 0);
	body_next(b);
}

static void
body_start(struct body *b)
{
	struct mailbox_run *r = b->run;
	char *url = message_url(r, r->entries[b->entry].uid);

	buf_reset(&b->data);
	b->too_large = 0;
	curl_easy_reset(b->easy);
	easy_setup(b->easy, r->t, r->opts, b->error);
	curl_easy_setopt(b->easy, CURLOPT_URL, url);
	curl_easy_setopt(b->easy, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(b->easy, CURLOPT_WRITEDATA, b);
	free(url);
	if (b->tries == 0)
		r->running++;
	if (xfer_add(r->xfer, b->easy, body_done, b) != 0) {
		r->running--;
		r->fatal = 1;
	}
}

static void
on_interrupt(int signo, void *arg)
{
	(void)signo;
	(void)arg;
	fetch_interrupted = 1;
}

/* Fetch the bodies of entries [from, to) not stored yet into the import, n at a time. */
static int
fetch_chunk(struct mailbox_run *r, size_t from, size_t to)
{
	struct import_opts io = { 0 };
	struct body *bodies;
	int i, n = r->opts->connections > 0 ? r->opts->connections : 1, rc;

	io.quiet = r->opts->quiet;
	io.progress_fd = -1;
	r->import = import_begin(r->store, r->conf, &io, &r->import_stats, 0);
	r->next = from;
	r->end = to;
	bodies = xcalloc((size_t)n, sizeof *bodies);
	for (i = 0; i < n; i++) {
		bodies[i].run = r;
		bodies[i].easy = curl_easy_init();
		buf_init(&bodies[i].data);
		body_next(&bodies[i]);
	}
	while (r->running > 0) {
		import_flush(r->import);
		if (loop_once(r->loop, -1) != 0)
			break;
	}
	rc = import_end(r->import, 1);
	r->import = NULL;
	r->stats->added += r->import_stats.added;
	r->stats->duplicates += r->import_stats.duplicates;
	for (i = 0; i < n; i++) {
		curl_easy_cleanup(bodies[i].easy);
		buf_free(&bodies[i].data);
	}
	free(bodies);
	memset(&r->import_stats, 0, sizeof r->import_stats);
	return rc;
}

/* ------------------------------------------------------------------ actions */

/* The UIDs of entries [from, to) that which() takes, as an IMAP set ("3:7,9"), or NULL. */
static char *
uid_set(const struct entry *entries, size_t from, size_t to,
    int (*which)(const struct entry *))
{
	struct buf b;
	int64_t start = -1, prev = -1;
	size_t i;

	buf_init(&b);
	for (i = from; i <= to; i++) {
		int take = i < to && which(&entries[i]);
		int64_t uid = take ? entries[i].uid : -1;

		if (take && prev >= 0 && uid == prev + 1) {
			prev = uid;
			continue;
		}
		if (start >= 0) {
			if (b.len > 0)
				buf_addc(&b, ',');
			if (prev > start)
				buf_addf(&b, "%lld:%lld", (long long)start, (long long)prev);
			else
				buf_addf(&b, "%lld", (long long)start);
		}
		start = prev = uid;
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int
is_any(const struct entry *e)
{
	(void)e;
	return 1;
}

static int
is_stored(const struct entry *e)
{
	return e->stored;
}

static int
is_stored_unseen(const struct entry *e)
{
	return e->stored && e->unseen;
}

static int
is_fetched(const struct entry *e)
{
	return e->fetched;
}

static int
is_finished(const struct entry *e)
{
	return e->stored || e->gone;
}

/* On the server, for the stored entries of [from, to): the seen state put back, then the
 * action after import. 0, or -1 (reported: they stay pending, and are acted on next time). */
static int
act(struct mailbox_run *r, CURL *c, size_t from, size_t to)
{
	char *url = mailbox_url(r), *set, *request = NULL, *folder;
	struct buf out;
	int rc = 0;

	buf_init(&out);
	if (!r->opts->mark_seen && (set = uid_set(r->entries, from, to, is_stored_unseen)) != NULL) {
		request = xasprintf("UID STORE %s -FLAGS.SILENT (\\Seen)", set);
		if (command(c, r, url, request, &out, "keeping the seen state", 0) != CURLE_OK)
			rc = -1;
		free(request);
		free(set);
	}
	if (rc == 0 && r->opts->after != FETCH_AFTER_NONE &&
	    (set = uid_set(r->entries, from, to, is_stored)) != NULL) {
		if (r->opts->after == FETCH_AFTER_FLAG)
			request = xasprintf("UID STORE %s +FLAGS.SILENT (%s)", set,
			    r->opts->after_arg);
		else {
			folder = quoted(r->opts->after_arg);
			request = xasprintf("UID MOVE %s %s", set, folder);
			free(folder);
		}
		if (command(c, r, url, request, &out, r->opts->after == FETCH_AFTER_FLAG ?
		    "flagging the messages imported" : "moving the messages imported", 0) !=
		    CURLE_OK)
			rc = -1;
		else {
			size_t i;

			for (i = from; i < to; i++)
				r->stats->acted += r->entries[i].stored;
		}
		free(request);
		free(set);
	}
	buf_free(&out);
	free(url);
	return rc;
}

/* ------------------------------------------------------------------ the listing */

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* A sorted list of UIDs. */
struct uids {
	int64_t	*v;
	size_t	 n;
};

static void
uids_add(struct uids *u, int64_t uid)
{
	if (u->n % 1024 == 0)
		u->v = xrealloc(u->v, (u->n + 1024) * sizeof *u->v);
	u->v[u->n++] = uid;
}

static int
uid_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * The UIDs an answer to UID SEARCH names, into u: "* SEARCH 3 4 9", or with ESEARCH (RFC 4731)
 * "* ESEARCH (TAG "A5") UID ALL 3:4,9". A range larger than the window asked for is a lie
 * and is cut to it.
 */
static void
search_answer(const char *text, int64_t low, int64_t high, struct uids *u)
{
	const char *line, *p;
	char *end;
	int64_t a, b, x;

	for (line = text; line != NULL && *line != '\0'; line = strchr(line, '\n'),
	    line = line != NULL ? line + 1 : NULL) {
		if (strncmp(line, "* SEARCH", 8) == 0) {
			for (p = line + 8; *p == ' ';) {
				x = strtoll(p + 1, &end, 10);
				if (end == p + 1)
					break;
				if (x >= low && x <= high)
					uids_add(u, x);
				p = end;
			}
		} else if (strncmp(line, "* ESEARCH", 9) == 0 &&
		    (p = strstr(line, " ALL ")) != NULL && p < strchrnul(line, '\n')) {
			for (p += 5;;) {
				a = strtoll(p, &end, 10);
				if (end == p)
					break;
				b = a;
				if (*end == ':')
					b = strtoll(end + 1, &end, 10);
				if (b < a) {
					x = a;
					a = b;
					b = x;
				}
				for (x = a < low ? low : a; x <= b && x <= high; x++)
					uids_add(u, x);
				if (*end != ',')
					break;
				p = end + 1;
			}
		}
	}
}

/*
 * UID SEARCH over a set of UIDs (unseen only, or all) into u: with ESEARCH, whose answer
 * names ranges, else plainly. libcurl 7.88 counts a command's answer as its headers and gives
 * up past 300 KB of them, which a FETCH of a few hundred messages' flags reaches: a search
 * answers in one line. CURLE_OK, or the error (reported).
 */
static CURLcode
search(struct mailbox_run *r, CURL *c, const char *url, const char *set, int64_t low,
    int64_t high, int unseen, int *esearch, struct uids *u, struct buf *out)
{
	char *request;
	CURLcode rc;

	request = xasprintf("UID SEARCH %s%sUID %s", *esearch ? "RETURN (ALL) " : "",
	    unseen ? "UNSEEN " : "", set);
	rc = command(c, r, url, request, out, "listing the new messages", *esearch);
	free(request);
	if (rc != CURLE_OK && *esearch) {
		/* No ESEARCH (RFC 4731) on this server: plain SEARCH. */
		*esearch = 0;
		return search(r, c, url, set, low, high, unseen, esearch, u, out);
	}
	if (rc == CURLE_OK) {
		buf_addc(out, '\0');
		search_answer(out->data, low, high, u);
	}
	return rc;
}

/* Record the listing in sync_pending (an earlier run's seen state wins: its fetch may have
 * set \Seen since), drop what vanished, and read back the pending entries in UID order. */
static int
record_listing(struct mailbox_run *r, struct entry *pending, size_t npending)
{
	struct entry key, *found;
	sqlite3_stmt *st;
	size_t i;

	if (store_begin(r->store) != 0)
		return -1;
	for (i = 0; i < r->nentries; i++) {
		st = stmt(r, sql_add_pending);
		sqlite3_bind_int64(st, 3, r->uidvalidity);
		sqlite3_bind_int64(st, 4, r->entries[i].uid);
		sqlite3_bind_int(st, 5, r->entries[i].unseen);
		if (step_done(r, st, "recording the messages listed") != 0)
			goto fail;
	}
	for (i = 0; i < npending; i++) {
		key.uid = pending[i].uid;
		found = r->nentries > 0 ? bsearch(&key, r->entries, r->nentries, sizeof key,
		    entry_cmp) : NULL;
		if (found != NULL) {
			found->unseen = pending[i].unseen;
			found->stored = pending[i].stored;
			continue;
		}
		/* No longer on the server: expunged or moved by someone. */
		st = stmt(r, sql_done);
		sqlite3_bind_int64(st, 3, r->uidvalidity);
		sqlite3_bind_int64(st, 4, pending[i].uid);
		if (step_done(r, st, "forgetting vanished messages") != 0)
			goto fail;
	}
	return store_commit(r->store);
fail:
	store_rollback(r->store);
	return -1;
}

static int
read_pending(struct mailbox_run *r, struct entry **out, size_t *n)
{
	sqlite3_stmt *st = stmt(r, sql_pending);
	int rc;

	*out = NULL;
	*n = 0;
	sqlite3_bind_int64(st, 3, r->uidvalidity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		memset(&(*out)[*n], 0, sizeof **out);
		(*out)[*n].uid = sqlite3_column_int64(st, 0);
		(*out)[*n].unseen = sqlite3_column_int(st, 1);
		(*out)[*n].stored = sqlite3_column_int(st, 2);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(r->store, "reading the messages pending");
}

/* ------------------------------------------------------------------ a mailbox */

int
fetch_mailbox(struct store *store, const struct conf *conf, const struct fetch_target *t,
    const struct fetch_opts *opts, struct fetch_stats *stats)
{
	struct mailbox_run r;
	struct entry *pending = NULL;
	size_t npending = 0, from, to, i;
	int64_t uidvalidity_was = -1, last_uid = 0, uidnext, high, low, span;
	struct uids all = { 0 }, unseen = { 0 };
	CURLcode rc_c;
	int esearch;
	sqlite3_stmt *st;
	struct buf out;
	char *url = NULL, *request = NULL, *set, *name;
	CURL *c = curl_easy_init();
	int rc = -1, some_failed = 0, step;

	memset(&r, 0, sizeof r);
	memset(stats, 0, sizeof *stats);
	r.store = store;
	r.conf = conf;
	r.t = t;
	r.opts = opts;
	r.stats = stats;
	buf_init(&out);
	fetch_interrupted = 0;

	/* Anything new? */
	url = xasprintf("%s/", t->account);
	name = quoted(t->mailbox);
	request = xasprintf("STATUS %s (UIDVALIDITY UIDNEXT)", name);
	free(name);
	if (command(c, &r, url, request, &out, "reading the mailbox's status", 0) != CURLE_OK)
		goto out;
	buf_addc(&out, '\0');
	r.uidvalidity = number_after(out.data, "UIDVALIDITY");
	uidnext = number_after(out.data, "UIDNEXT");
	if (r.uidvalidity <= 0 || uidnext <= 0) {
		msg_error("fetch %s/%s: the server's STATUS answer has no UIDVALIDITY and UIDNEXT: "
		    "%.200s", t->account, t->mailbox, out.data);
		goto out;
	}
	st = stmt(&r, sql_state);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		uidvalidity_was = sqlite3_column_int64(st, 0);
		last_uid = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_fail(store, "reading a mailbox's state");
		goto out;
	}
	if (uidvalidity_was >= 0 && uidvalidity_was != r.uidvalidity) {
		msg_warn("fetch %s/%s: UIDVALIDITY changed (%lld, was %lld): every message is "
		    "listed again, and what is stored already is known by its content",
		    t->account, t->mailbox, (long long)r.uidvalidity, (long long)uidvalidity_was);
		last_uid = 0;
		st = stmt(&r, sql_forget);
		sqlite3_bind_int64(st, 3, r.uidvalidity);
		if (store_begin(store) != 0 || step_done(&r, st, "forgetting old UIDs") != 0 ||
		    set_state(&r, 0) != 0 || store_commit(store) != 0) {
			store_rollback(store);
			goto out;
		}
	}
	if (read_pending(&r, &pending, &npending) != 0)
		goto out;
	if (uidnext - 1 <= last_uid && npending == 0) {
		rc = 0;
		goto out;
	}

	/*
	 * The listing: which of the UIDs pending are still there, and every UID after the last
	 * one up to UIDNEXT, with the unseen ones among them, by UID SEARCH in windows (the
	 * answer's line stays short without ESEARCH). New mail after the STATUS waits for the
	 * next fetch.
	 */
	free(url);
	url = mailbox_url(&r);
	/* Does the server speak ESEARCH? A search for one UID says. */
	esearch = 1;
	if (search(&r, c, url, "1", 1, 0, 0, &esearch, &all, &out) != CURLE_OK)
		goto out;
	for (from = 0; from < npending; from = to) {
		to = from + LIST_WINDOW < npending ? from + LIST_WINDOW : npending;
		set = uid_set(pending, from, to, is_any);
		rc_c = search(&r, c, url, set, 1, INT64_MAX, 0, &esearch, &all, &out);
		free(set);
		if (rc_c != CURLE_OK)
			goto out;
	}
	span = esearch ? LIST_SPAN_MAX : LIST_WINDOW;
	for (low = last_uid + 1; low < uidnext; low += span) {
		int64_t top = low + span - 1 < uidnext - 1 ? low + span - 1 : uidnext - 1;
		char *window = xasprintf("%lld:%lld", (long long)low, (long long)top);

		rc_c = search(&r, c, url, window, low, top, 0, &esearch, &all, &out);
		if (rc_c == CURLE_OK)
			rc_c = search(&r, c, url, window, low, top, 1, &esearch, &unseen, &out);
		free(window);
		if (rc_c != CURLE_OK)
			goto out;
	}
	qsort(all.v, all.n, sizeof *all.v, uid_cmp);
	qsort(unseen.v, unseen.n, sizeof *unseen.v, uid_cmp);
	for (i = 0; i < all.n; i++) {
		if (i > 0 && all.v[i] == all.v[i - 1])
			continue;	/* pending, and above the last UID too */
		r.entries = xrealloc(r.entries, (r.nentries + 1) * sizeof *r.entries);
		memset(&r.entries[r.nentries], 0, sizeof *r.entries);
		r.entries[r.nentries].uid = all.v[i];
		r.entries[r.nentries].unseen = unseen.n > 0 && bsearch(&all.v[i], unseen.v,
		    unseen.n, sizeof *unseen.v, uid_cmp) != NULL;
		r.nentries++;
	}
	buf_free(&out);
	buf_init(&out);
	if (record_listing(&r, pending, npending) != 0)
		goto out;
	high = last_uid;
	for (i = 0; i < r.nentries; i++) {
		if (r.entries[i].uid > high)
			high = r.entries[i].uid;
		if (!r.entries[i].stored)
			r.total++;
	}
	stats->listed = (long)r.nentries;

	r.loop = loop_new();
	r.xfer = xfer_new(r.loop);
	if (r.loop == NULL || r.xfer == NULL)
		goto out;
	loop_add_signal(r.loop, SIGINT, on_interrupt, NULL);
	loop_add_signal(r.loop, SIGTERM, on_interrupt, NULL);
	r.started_ms = mono_ms();
	for (from = 0; from < r.nentries && !fetch_interrupted && !r.fatal; from = to) {
		to = from + FETCH_CHUNK < r.nentries ? from + FETCH_CHUNK : r.nentries;
		if (fetch_chunk(&r, from, to) != 0)
			goto out;
		/* Committed: stored for good. */
		if (store_begin(store) != 0 ||
		    entries_apply(&r, sql_mark_stored, from, to, is_fetched) != 0 ||
		    store_commit(store) != 0) {
			store_rollback(store);
			goto out;
		}
		for (i = from; i < to; i++)
			if (r.entries[i].fetched)
				r.entries[i].stored = 1;
		if (act(&r, c, from, to) != 0) {
			some_failed = 1;
			break;
		}
		if (store_begin(store) != 0 ||
		    entries_apply(&r, sql_done, from, to, is_finished) != 0 ||
		    set_state(&r, to == r.nentries ? high : r.entries[to - 1].uid > last_uid ?
		    r.entries[to - 1].uid : last_uid) != 0 || store_commit(store) != 0) {
			store_rollback(store);
			goto out;
		}
	}
	progress(&r, 1);
	if (opts->progress)
		msg_progress_end();
	stats->interrupted = fetch_interrupted != 0;
	rc = r.fatal ? -1 : some_failed || stats->failed > 0 || stats->interrupted ? 1 : 0;
out:
	if (r.xfer != NULL)
		xfer_free(r.xfer);
	if (r.loop != NULL)
		loop_free(r.loop);
	curl_easy_cleanup(c);
	buf_free(&out);
	free(url);
	free(request);
	free(pending);
	free(r.entries);
	free(all.v);
	free(unseen.v);
	return rc;
}
