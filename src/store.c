/* store.c: the sqlite connection. Schema migrations follow PRAGMA user_version; statements are
 * prepared once and reused, which is what makes a batched import fast. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "customers.h"
#include "store.h"
#include "tally.h"

#define STORE_CACHE	96
/* PRAGMA application_id of an arfdesk database: "ARFD". */
#define STORE_APPLICATION_ID	0x41524644
/* The WAL is cut back to this after a checkpoint instead of staying at its largest. */
#define STORE_WAL_LIMIT		(64 << 20)

struct store {
	sqlite3		*db;
	char		*path;
	char		*wal_path;
	char		*wait_path;	/* DB-waiting: a writer waiting for the lock holds a lock on it */
	int		 wait_fd;	/* this connection's own wait, or -1 */
	int		 readonly;	/* never writes: it never says it waits to */
	int		 probe_fd;	/* to ask whether others wait, or -1 */
	long		 busy_timeout_ms;
	/* While waiting for another writer: what its WAL looked like, and since when. */
	struct timespec	 progress_at;
	off_t		 wal_size;
	struct timespec	 wal_mtime;
	int		 reopen;	/* STORE_REOPEN_* of the states a complaint reopens */
	struct customers customers;	/* read on the first report written */
	struct tally	*tally;		/* the transaction's reports, to count in their cases */
	int		 replaced;	/* reports were replaced: the counts are behind */
	int		 customers_read;
	struct {
		const char	*sql;
		sqlite3_stmt	*stmt;
	} cache[STORE_CACHE];
	size_t		 ncache;
};

/* Each entry takes the schema from version i to i + 1. Never edit one that has shipped. */
static const char *const migrations[] = {
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  source_pos TEXT,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  raw BLOB NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  imported_at INTEGER NOT NULL,"
	"  parse_status TEXT NOT NULL,"
	"  parse_error TEXT);"
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
	"  format TEXT NOT NULL,"
	"  feedback_type TEXT,"
	"  user_agent TEXT,"
	"  version TEXT,"
	"  reporter TEXT,"
	"  arrival_date INTEGER,"
	"  seen_at INTEGER NOT NULL,"
	"  source_ip TEXT,"
	"  source_ip_rule TEXT,"
	"  source_net TEXT,"
	"  reported_domain TEXT,"
	"  original_mail_from TEXT,"
	"  original_rcpt_to TEXT,"
	"  original_message_id TEXT,"
	"  original_subject TEXT,"
	"  auth_results TEXT,"
	"  incidents INTEGER,"
	"  fields TEXT);"
	"CREATE INDEX reports_ip ON reports(source_ip, seen_at);"
	"CREATE INDEX reports_net ON reports(source_net, seen_at);"
	"CREATE INDEX reports_seen ON reports(seen_at);"
	"CREATE TABLE report_urls ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  url TEXT NOT NULL,"
	"  host TEXT,"
	"  registrable_domain TEXT,"
	"  PRIMARY KEY (report_id, position)) WITHOUT ROWID;"
	/* seen_at is the report's, copied so that grouping by domain reads one index only. */
	"CREATE TABLE report_domains ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  domain TEXT NOT NULL,"
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (report_id, domain)) WITHOUT ROWID;"
	"CREATE INDEX report_domains_domain ON report_domains(domain, seen_at);"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'new',"
	"  assignee TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (kind, key));"
	"CREATE TABLE case_events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  old_state TEXT,"
	"  new_state TEXT,"
	"  note TEXT);"
	"CREATE INDEX case_events_case ON case_events(case_id, at);"
	"CREATE TABLE sync_state ("
	"  account TEXT NOT NULL,"
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL,"
	"  PRIMARY KEY (account, mailbox));",
	/* Mark the database as arfdesk's, so that another program's is never taken for one. */
	"PRAGMA application_id = 1095910980;",
	/* A report is one spam, a message may hold several (a forward with spams attached):
	 * reports get ids of their own and name their message and their place in it. The ids of
	 * existing reports (their messages' ids until now) stay. Run with foreign keys off, as
	 * sqlite's procedure for a changed table says, so that dropping the old table does not
	 * cascade to the URLs and domains. */
	"CREATE TABLE reports_new ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  sample INTEGER NOT NULL DEFAULT 1,"
	"  format TEXT NOT NULL,"
	"  feedback_type TEXT,"
	"  user_agent TEXT,"
	"  version TEXT,"
	"  reporter TEXT,"
	"  arrival_date INTEGER,"
	"  seen_at INTEGER NOT NULL,"
	"  source_ip TEXT,"
	"  source_ip_rule TEXT,"
	"  source_net TEXT,"
	"  reported_domain TEXT,"
	"  original_mail_from TEXT,"
	"  original_rcpt_to TEXT,"
	"  original_message_id TEXT,"
	"  original_subject TEXT,"
	"  auth_results TEXT,"
	"  incidents INTEGER,"
	"  fields TEXT,"
	"  UNIQUE (message_id, sample));"
	"INSERT INTO reports_new (id, message_id, sample, format, feedback_type, user_agent,"
	"  version, reporter, arrival_date, seen_at, source_ip, source_ip_rule, source_net,"
	"  reported_domain, original_mail_from, original_rcpt_to, original_message_id,"
	"  original_subject, auth_results, incidents, fields)"
	"  SELECT id, id, 1, format, feedback_type, user_agent, version, reporter, arrival_date,"
	"  seen_at, source_ip, source_ip_rule, source_net, reported_domain, original_mail_from,"
	"  original_rcpt_to, original_message_id, original_subject, auth_results, incidents,"
	"  fields FROM reports;"
	"DROP TABLE reports;"
	"ALTER TABLE reports_new RENAME TO reports;"
	"CREATE INDEX reports_ip ON reports(source_ip, seen_at);"
	"CREATE INDEX reports_net ON reports(source_net, seen_at);"
	"CREATE INDEX reports_seen ON reports(seen_at);",
	/* What a report complains of (abuse, not-spam, auth-failure, login-attack, spam ...),
	 * kept apart so that groups count spam complaints; copied beside each domain as seen_at
	 * is. Reports from before are classed by their format and Feedback-Type (an X-ARF report
	 * by the Report-Type among its fields); `reparse` classes them exactly. */
	"ALTER TABLE reports ADD COLUMN class TEXT;"
	"UPDATE reports SET class = CASE"
	"  WHEN format = 'unknown' THEN NULL"
	"  WHEN format IN ('arf', 'cfbl') AND feedback_type IS NOT NULL THEN"
	"    CASE WHEN feedback_type IN ('abuse', 'fraud', 'virus', 'other', 'not-spam',"
	"      'auth-failure') THEN feedback_type ELSE 'other' END"
	"  WHEN format = 'xarf' THEN"
	"    CASE WHEN fields LIKE '%Report-Type: spam%' OR fields LIKE '%ReportType: spam%'"
	"      OR fields LIKE '%type: spam%' THEN 'spam' ELSE 'other' END"
	"  ELSE 'spam' END;"
	"ALTER TABLE report_domains ADD COLUMN class TEXT;"
	"UPDATE report_domains SET class = (SELECT class FROM reports WHERE id = report_id);"
	/* The same reporter's complaint about the same spam again is one complaint: the later
	 * reports name the first (duplicate_of) and count nowhere; content_key says who
	 * complained of which spam. Reports from before have none until `reparse`. */
	"ALTER TABLE reports ADD COLUMN content_key TEXT;"
	"ALTER TABLE reports ADD COLUMN duplicate_of INTEGER;"
	"CREATE INDEX reports_content ON reports(content_key) WHERE content_key IS NOT NULL;"
	/* The grouping indexes cover the class and the link, so that counting reads them alone. */
	"DROP INDEX reports_ip;"
	"DROP INDEX reports_net;"
	"DROP INDEX report_domains_domain;"
	"CREATE INDEX reports_ip ON reports(source_ip, seen_at, class, duplicate_of);"
	"CREATE INDEX reports_net ON reports(source_net, seen_at, class, duplicate_of);"
	"CREATE INDEX report_domains_domain ON report_domains(domain, seen_at, class);",
	/* Recurrence: when a case's state last changed, and the spam complaints seen after a
	 * state that says the work was done (notified, resolved, ignored). */
	"ALTER TABLE cases ADD COLUMN state_at INTEGER;"
	"ALTER TABLE cases ADD COLUMN recur_state TEXT;"
	"ALTER TABLE cases ADD COLUMN recur_at INTEGER;"
	"ALTER TABLE cases ADD COLUMN recur_n INTEGER NOT NULL DEFAULT 0;"
	"UPDATE cases SET state_at = COALESCE((SELECT MAX(at) FROM case_events e"
	"  WHERE e.case_id = cases.id AND e.action = 'state'), created_at);"
	"UPDATE cases SET recur_state = state, recur_at = state_at"
	"  WHERE state IN ('notified', 'resolved', 'ignored');"
	"CREATE INDEX cases_state ON cases(state, updated_at);",
	/* The desk's settings (what decides what is stored), the same for everyone on the
	 * database, each change kept with who and when. */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE settings_history ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  old_value TEXT,"
	"  new_value TEXT,"
	"  set_by TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL,"
	"  note TEXT);",
	/* The desk's own customers, and the one each complaint hit. */
	"CREATE TABLE customers ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT,"
	"  email TEXT,"
	"  networks TEXT NOT NULL,"
	"  domains TEXT NOT NULL) WITHOUT ROWID;"
	"ALTER TABLE reports ADD COLUMN customer TEXT;"
	"CREATE INDEX reports_customer ON reports(customer, seen_at, class, duplicate_of);",
	/* Every group is a case, created by its first report, and keeps its counts (tally.c):
	 * spam complaints, all reports, not-spam reports, first and last seen, the customer, and
	 * an address's network; complaints per UTC day and class; who complained. A listing
	 * reads them in the order of an index. The counts are made by tally_rebuild after this
	 * step. */
	"ALTER TABLE cases ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN reports_all INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN not_spam INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN first_seen INTEGER;"
	"ALTER TABLE cases ADD COLUMN last_seen INTEGER;"
	"ALTER TABLE cases ADD COLUMN customer TEXT;"
	"ALTER TABLE cases ADD COLUMN parent TEXT;"
	"CREATE TABLE case_days ("
	"  kind TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  case_id INTEGER NOT NULL,"
	"  class TEXT NOT NULL,"
	"  reports INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, day, case_id, class)) WITHOUT ROWID;"
	"CREATE TABLE case_reporters ("
	"  case_id INTEGER NOT NULL,"
	"  reporter TEXT NOT NULL,"
	"  PRIMARY KEY (case_id, reporter)) WITHOUT ROWID;"
	"CREATE TABLE store_flags (name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE INDEX cases_count ON cases(kind, reports DESC, last_seen DESC, key);"
	"CREATE INDEX cases_state_count ON cases(kind, state, reports DESC, last_seen DESC, key);"
	"CREATE INDEX cases_updated ON cases(updated_at DESC, id DESC);"
	"CREATE INDEX cases_parent ON cases(parent) WHERE parent IS NOT NULL;"
	"CREATE INDEX cases_recur ON cases(id) WHERE recur_state IS NOT NULL;"
	/* Most desks' complaints hit none of their customers: only those that do are indexed. */
	"DROP INDEX reports_customer;"
	"CREATE INDEX reports_customer ON reports(customer, seen_at, class, duplicate_of)"
	"  WHERE customer IS NOT NULL;"
	/* A time window's edges read the reports in time order, with what they count. */
	"DROP INDEX reports_seen;"
	"CREATE INDEX reports_seen ON reports(seen_at, class, duplicate_of, source_ip, source_net,"
	"  customer);",
	/* ... and the domains of a window's edges in time order too: through the reports, each
	 * domain was a lookup by report id, wherever its page was. */
	"CREATE INDEX report_domains_seen ON report_domains(seen_at, domain, class);",
	/* Complaints per case, week (7 UTC days from the epoch: day / 7) and class too, so that
	 * a window of weeks reads a row a week of each case, not seven; made from the days. */
	"CREATE TABLE case_weeks ("
	"  kind TEXT NOT NULL,"
	"  week INTEGER NOT NULL,"
	"  case_id INTEGER NOT NULL,"
	"  class TEXT NOT NULL,"
	"  reports INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, week, case_id, class)) WITHOUT ROWID;"
	"INSERT INTO case_weeks (kind, week, case_id, class, reports, last_seen)"
	"  SELECT kind, day / 7, case_id, class, SUM(reports), MAX(last_seen) FROM case_days"
	"  GROUP BY kind, day / 7, case_id, class;",
	/* One case's days in order (the console's sparklines, 30 days of each row shown). */
	"CREATE INDEX case_days_case ON case_days(case_id, day);",
	/* fetch: the UIDs of a mailbox listed but not yet done (stored, then the action after
	 * import taken on the server), with their seen state before the fetch set \Seen, so
	 * that a fetch killed at any moment is finished by the next one. */
	"CREATE TABLE sync_pending ("
	"  account TEXT NOT NULL,"
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  unseen INTEGER NOT NULL DEFAULT 0,"
	"  stored INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account, mailbox, uidvalidity, uid)) WITHOUT ROWID;",
};

/* The schema version from which cases keep counts: a database from before is counted from its
 * reports when it is upgraded. */
#define TALLY_SCHEMA	8

static int
store_exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		msg_error("%s: %s", s->path, err != NULL ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* sqlite's reason, and what it usually means when the reason is about opening files. */
static void
open_failed(struct store *s, const char *what, int code)
{
	const char *hint = "";

	code &= 0xff;
	if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_PERM)
		hint = " (sqlite keeps its -wal and -shm files beside the database: the "
		    "directory must be writable, and the file too for commands that write)";
	else if (code == SQLITE_NOTADB)
		hint = " (not an sqlite database: is -d the right file?)";
	else if (code == SQLITE_CORRUPT)
		hint = " (damaged or truncated; restore it from a backup)";
	msg_error("%s: %s%s%s%s", s->path, what != NULL ? what : "", what != NULL ? ": " : "",
	    sqlite3_errmsg(s->db), hint);
}

/* One integer from a query (a pragma, a count). Returns 0, or -1 with sqlite's reason reported:
 * "file is not a database", "database disk image is malformed", "unable to open ...". */
static int
query_int(struct store *s, const char *sql, const char *what, int *value)
{
	sqlite3_stmt *st;
	int rc;

	*value = 0;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*value = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		open_failed(s, what, sqlite3_extended_errcode(s->db));
		return -1;
	}
	return 0;
}

static int
schema_version(struct store *s, int *version)
{
	return query_int(s, "PRAGMA user_version", "reading the schema version", version);
}

/*
 * Whose database is this (its schema version into *schema)? 1: arfdesk's (marked, or made
 * before the mark by schema 1, which has these tables); 0: empty, a new one; -1: reported
 * (another program's, or unreadable). Nothing is written before this has said yes: another
 * program's file is left as it was.
 */
static int
store_owner(struct store *s, int *schema)
{
	int app_id, version, tables, ours;

	if (query_int(s, "SELECT count(*) FROM sqlite_master", "reading the database",
	    &tables) != 0 ||
	    query_int(s, "PRAGMA application_id", "reading the database", &app_id) != 0 ||
	    schema_version(s, &version) != 0)
		return -1;
	*schema = version;
	if (app_id == STORE_APPLICATION_ID)
		return 1;
	if (app_id == 0 && version == 0 && tables == 0)
		return 0;
	if (app_id == 0 && version == 1 && query_int(s, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name IN ('messages', 'reports', 'report_urls',"
	    " 'report_domains', 'cases', 'case_events', 'sync_state')", "reading the database",
	    &ours) == 0 && ours == 7)
		return 1;
	msg_error("%s: not an arfdesk database: the sqlite database of another program (%d "
	    "schema entries, none of them arfdesk's; application_id %d, user_version %d); "
	    "arfdesk leaves it as it is (give another file with -d)", s->path, tables, app_id,
	    version);
	return -1;
}

static struct timespec
now_monotonic(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static long
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * Waiting for another connection's write lock. sqlite's own handler gives up after a fixed
 * time, however busy the others are, and polls ever more slowly, so a writer that lets go for
 * a moment is rarely seen doing so: with three imports one starved. This one polls every
 * millisecond or two and gives up only when the others have made no progress (their WAL has
 * not changed) for the whole busy timeout: a stuck holder, not a busy one.
 */
/*
 * A writer waiting for the write lock says so by holding a read lock on DB-waiting until it
 * has the write lock; a long writer (an import) asks between its transactions' steps and lets
 * it in (store_writer_waiting). POSIX locks go with their process, so a killed waiter leaves
 * none behind. The file stays, empty, beside the database, as the WAL does.
 */
static void
wait_announce(struct store *s)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

	if (s->wait_fd >= 0)
		return;
	if ((s->wait_fd = open(s->wait_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return;
	if (fcntl(s->wait_fd, F_SETLK, &fl) != 0) {
		close(s->wait_fd);
		s->wait_fd = -1;
	}
}

static void
wait_over(struct store *s)
{
	if (s->wait_fd < 0)
		return;
	close(s->wait_fd);
	s->wait_fd = -1;
}

int
store_writer_waiting(struct store *s)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

	/* Opened once and kept: closing a descriptor of a file drops every lock the process
	 * holds on it. */
	if (s->probe_fd < 0 &&
	    (s->probe_fd = open(s->wait_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return 0;
	if (fcntl(s->probe_fd, F_GETLK, &fl) != 0)
		return 0;
	return fl.l_type != F_UNLCK;
}

static int
store_busy(void *arg, int count)
{
	struct store *s = arg;
	struct timespec now = now_monotonic();
	struct stat st;
	off_t size = -1;
	struct timespec mtime = { 0, 0 };

	/* Only a writer says it waits: a reader (the console) that waited once would say so for
	 * as long as it lives, and an import would yield to nobody after every message. */
	if (count == 0 && !s->readonly)
		wait_announce(s);
	if (stat(s->wal_path, &st) == 0) {
		size = st.st_size;
		mtime = st.st_mtim;
	}
	if (count == 0 || size != s->wal_size || mtime.tv_sec != s->wal_mtime.tv_sec ||
	    mtime.tv_nsec != s->wal_mtime.tv_nsec) {
		s->progress_at = now;
		s->wal_size = size;
		s->wal_mtime = mtime;
	} else if (ms_between(&s->progress_at, &now) >= s->busy_timeout_ms)
		return 0;
	usleep(count < 20 ? 1000 : 1000 + (unsigned)(now.tv_nsec / 1000 % 1000));
	return 1;
}


static int
store_migrate(struct store *s)
{
	int version, rc;
	size_t i, latest = sizeof migrations / sizeof migrations[0];
	char *set;

	/* Up to date (the usual case): no need to wait for the write lock, which an import may
	 * hold. Else read the version again under it: two commands opening a new database at
	 * once must not both create the tables. */
	if (schema_version(s, &version) != 0)
		return -1;
	if (version == (int)latest)
		return 0;
	rc = store_exec(s, "BEGIN IMMEDIATE");
	wait_over(s);
	if (rc != 0)
		return -1;
	if (schema_version(s, &version) != 0) {
		store_rollback(s);
		return -1;
	}
	if (version > (int)latest) {
		msg_error("%s: schema version %d is newer than this arfdesk knows; upgrade arfdesk",
		    s->path, version);
		store_rollback(s);
		return -1;
	}
	for (i = (size_t)version; i < latest; i++) {
		set = xasprintf("PRAGMA user_version = %zu", i + 1);
		if (store_exec(s, migrations[i]) != 0 || store_exec(s, set) != 0) {
			free(set);
			store_rollback(s);
			return -1;
		}
		free(set);
	}
	/* Counted once every table the counts live in is there. */
	if (version < TALLY_SCHEMA && tally_rebuild(s) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_exec(s, "COMMIT");
}

/* Switching a new database to WAL takes an exclusive lock that the busy handler does not wait
 * for: when two commands open a new database at once, one is told "locked". Wait here. */
static int
set_wal(struct store *s)
{
	int tries;

	for (tries = 0; tries < 200; tries++) {
		if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) == SQLITE_OK)
			return 0;
		if (sqlite3_errcode(s->db) != SQLITE_BUSY)
			break;
		usleep(50000);
	}
	return store_fail(s, "switching to WAL");
}

/* The checks every open makes: whose database, and how new. Returns 0 or -1 (reported). */
static int
store_check(struct store *s, int readonly)
{
	int owner, version;
	int latest = (int)(sizeof migrations / sizeof migrations[0]);

	if ((owner = store_owner(s, &version)) < 0)
		return -1;
	if (version > latest) {
		msg_error("%s: made by a newer arfdesk (schema %d, this one knows %d); upgrade "
		    "arfdesk", s->path, version, latest);
		return -1;
	}
	if (!readonly)
		return 0;
	if (owner == 0) {
		msg_error("%s: an empty database (import complaints first: arfdesk -d %s import "
		    "PATH)", s->path, s->path);
		return -1;
	}
	if (version < latest) {
		msg_error("%s: made by an older arfdesk; a command that writes (import, reparse, "
		    "case) brings it up to date", s->path);
		return -1;
	}
	return 0;
}

int
store_open(const char *path, int readonly, long busy_timeout_ms, struct store **out)
{
	struct store *s = xcalloc(1, sizeof *s);
	struct stat st;
	int fd, rc;

	s->wait_fd = s->probe_fd = -1;
	s->readonly = readonly;
	s->reopen = STORE_REOPEN_RESOLVED;
	s->tally = tally_new();
	s->path = xstrdup(path);
	/* Each wrong kind of path says what it is and what is wanted, before sqlite is asked. */
	if (*path == '\0') {
		msg_error("the database path is empty (give a file, such as -d desk.db)");
		goto fail;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		msg_error("%s: a directory, not a database file (give a file in it, such as "
		    "-d %s/arfdesk.db)", path, path);
		goto fail;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		msg_error("%s: not a regular file, so no database (give a file, such as -d "
		    "desk.db)", path);
		goto fail;
	}
	s->wal_path = xasprintf("%s-wal", path);
	s->wait_path = xasprintf("%s-waiting", path);
	s->busy_timeout_ms = busy_timeout_ms > 0 ? busy_timeout_ms : 10000;
	if (readonly) {
		/* A command that only reads never creates a database: a mistyped -d is an error. */
		if (access(path, F_OK) != 0) {
			msg_error("%s: no database here (import complaints first: arfdesk -d %s "
			    "import PATH)", path, path);
			goto fail;
		}
		rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL);
	} else {
		/* Create the file ourselves so that it is 0600 from the first byte: it holds
		 * evidence. An existing file is opened as it is, never truncated. */
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			msg_error("%s: %s", path, strerror(errno));
			goto fail;
		}
		close(fd);
		rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL);
	}
	if (rc != SQLITE_OK) {
		open_failed(s, NULL, s->db != NULL ? sqlite3_extended_errcode(s->db) : rc);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, store_busy, s);
	if (store_check(s, readonly) != 0)
		goto fail;
	if (readonly) {
		*out = s;
		return 0;
	}
	/* Raw messages are a few kB each: 16 kB pages keep most of one on a page, which makes an
	 * import write a third as many pages (page_size only takes effect on a new database). */
	if (store_exec(s, "PRAGMA page_size = 16384") != 0 || set_wal(s) != 0 ||
	    store_exec(s, "PRAGMA synchronous = NORMAL;"
	    " PRAGMA cache_size = -32768; PRAGMA journal_size_limit = 67108864;") != 0 ||
	    store_migrate(s) != 0 || store_exec(s, "PRAGMA foreign_keys = ON") != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

void
store_close(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	customers_free(&s->customers);
	tally_free(s->tally);
	sqlite3_close(s->db);
	free(s->path);
	free(s->wal_path);
	free(s->wait_path);
	wait_over(s);
	if (s->probe_fd >= 0)
		close(s->probe_fd);
	free(s);
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

const char *
store_path(struct store *s)
{
	return s->path;
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].stmt);
			sqlite3_clear_bindings(s->cache[i].stmt);
			return s->cache[i].stmt;
		}
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		/* SQL text is constant: a failure here is a bug, not bad input. */
		msg_error("internal error preparing SQL: %s", sqlite3_errmsg(s->db));
		abort();
	}
	if (s->ncache == STORE_CACHE)
		abort();
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache++].stmt = st;
	return st;
}

int
store_fail(struct store *s, const char *what)
{
	msg_error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return -1;
}

int
store_begin(struct store *s)
{
	int rc;

	tally_clear(s->tally);
	s->replaced = 0;
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	wait_over(s);
	if (rc == SQLITE_OK)
		return 0;
	if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY) {
		msg_error("%s: database is locked: another program has held its write lock for "
		    "%ld s without writing anything (busy_timeout)", s->path,
		    s->busy_timeout_ms / 1000);
		return -1;
	}
	return store_fail(s, "starting a transaction");
}

/* The reports written are counted in their cases in the same transaction. */
int
store_commit(struct store *s)
{
	if (tally_pending(s->tally) > 0 && tally_flush(s, s->tally, s->reopen) != 0)
		return -1;
	if (s->replaced && tally_mark_stale(s) != 0)
		return -1;
	s->replaced = 0;
	return store_exec(s, "COMMIT");
}

void
store_rollback(struct store *s)
{
	tally_forget(s->tally);
	s->replaced = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void
store_tally_forget(struct store *s)
{
	tally_forget(s->tally);
}

void
store_wal_trim(struct store *s)
{
	struct stat st;

	/*
	 * sqlite starts the WAL again from its beginning only when a writer begins with every
	 * frame copied and no reader on any: with colleagues' commands coming and going, an
	 * import's WAL grew to a gigabyte, and cutting that back stopped every writer for half a
	 * second. Past journal_size_limit, copy (PASSIVE, which stops nobody) and ask for a
	 * restart (RESTART, given up at once when a reader or a writer is there): the next
	 * transaction writes from the start, and the file is cut to the limit.
	 */
	if (stat(s->wal_path, &st) != 0 || st.st_size <= STORE_WAL_LIMIT)
		return;
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	sqlite3_busy_handler(s->db, NULL, NULL);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
	sqlite3_busy_handler(s->db, store_busy, s);
}

void
store_checkpoint(struct store *s)
{
	/* Best effort: a reader in the middle of a long query keeps part of the WAL, and that
	 * is no error; journal_size_limit cuts the file back at the next checkpoint. The copy
	 * is made without stopping other writers (PASSIVE). Cutting the file to nothing does
	 * stop them, for as long as it takes to free the file (half a second for 900 MB, which
	 * store_wal_trim keeps it from reaching), so it is not done while one waits, and it
	 * gives up at once rather than wait for others. */
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (store_writer_waiting(s))
		return;
	sqlite3_busy_handler(s->db, NULL, NULL);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_handler(s->db, store_busy, s);
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

char *
store_column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *text = sqlite3_column_text(st, i);

	return text != NULL ? xstrdup((const char *)text) : NULL;
}

int
store_has_message(struct store *s, const char *sha256)
{
	static const char sql[] = "SELECT 1 FROM messages WHERE sha256 = ?";
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;

	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, "looking up a message");
}

/* The desk's customers, read from the database once per connection. */
int
store_customers(struct store *s)
{
	static const char sql[] = "SELECT id, name, email, networks, domains FROM customers";
	sqlite3_stmt *st;
	char *err = NULL;
	int rc;

	if (s->customers_read)
		return 0;
	st = store_stmt(s, sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (customers_add(&s->customers, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1) != NULL ? (const char *)sqlite3_column_text(st, 1) :
		    "", sqlite3_column_text(st, 2) != NULL ? (const char *)sqlite3_column_text(st,
		    2) : "", (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4), &err) != 0) {
			msg_error("%s: a stored customer: %s", s->path, err);
			free(err);
			sqlite3_reset(st);
			return -1;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "reading the customers");
	s->customers_read = 1;
	return 0;
}

const struct customers *
store_customer_list(struct store *s)
{
	return store_customers(s) == 0 ? &s->customers : NULL;
}

/* Replace the customers (in the open transaction) and give every report the customer it hit
 * now; cases keep their history. Returns the number of reports whose customer changed. */
long
store_customers_replace(struct store *s, const struct customers *list)
{
	static const char del_sql[] = "DELETE FROM customers";
	static const char add_sql[] =
	    "INSERT INTO customers (id, name, email, networks, domains) VALUES (?,?,?,?,?)";
	static const char reports_sql[] =
	    "SELECT r.id, r.source_ip, r.customer, (SELECT group_concat(u.host, ' ')"
	    " FROM report_urls u WHERE u.report_id = r.id) FROM reports r";
	static const char set_sql[] = "UPDATE reports SET customer = ? WHERE id = ?";
	struct buf nets, hosts;
	sqlite3_stmt *st, *up;
	const char *old, *now, *text;
	char ip[IPADDR_STRLEN + 4], *copy, *tok, *save;
	struct strlist words = { 0 };
	long changed = 0;
	size_t i, j;
	int rc;

	if (sqlite3_step(store_stmt(s, del_sql)) != SQLITE_DONE)
		return store_fail(s, "removing the customers");
	for (i = 0; i < list->n; i++) {
		buf_init(&nets);
		buf_init(&hosts);
		for (j = 0; j < list->v[i].nnets; j++) {
			ipaddr_format(&list->v[i].nets[j].addr, ip);
			buf_addf(&nets, "%s%s/%d", j > 0 ? " " : "", ip, list->v[i].nets[j].prefix);
		}
		for (j = 0; j < list->v[i].domains.count; j++)
			buf_addf(&hosts, "%s%s", j > 0 ? " " : "", list->v[i].domains.items[j]);
		st = store_stmt(s, add_sql);
		store_bind_text(st, 1, list->v[i].id);
		store_bind_text(st, 2, list->v[i].name);
		store_bind_text(st, 3, list->v[i].email);
		store_bind_text(st, 4, nets.data != NULL ? nets.data : "");
		store_bind_text(st, 5, hosts.data != NULL ? hosts.data : "");
		rc = sqlite3_step(st);
		buf_free(&nets);
		buf_free(&hosts);
		if (rc != SQLITE_DONE)
			return store_fail(s, "storing a customer");
	}
	customers_free(&s->customers);
	s->customers_read = 0;
	if (store_customers(s) != 0)
		return -1;
	/* Read every report first, then write: one statement may not step while the other
	 * changes its table. */
	if (sqlite3_prepare_v2(s->db, reports_sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "reading the reports");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(st, 3);
		copy = xstrdup(text != NULL ? text : "");
		for (tok = strtok_r(copy, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save))
			strlist_add(&words, tok);
		now = customers_match_parts(&s->customers, (const char *)sqlite3_column_text(st, 1),
		    (const char *const *)words.items, words.count);
		old = (const char *)sqlite3_column_text(st, 2);
		if (!(now == NULL ? old == NULL : old != NULL && strcmp(now, old) == 0)) {
			up = store_stmt(s, set_sql);
			store_bind_text(up, 1, now);
			sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
			if (sqlite3_step(up) != SQLITE_DONE) {
				free(copy);
				strlist_free(&words);
				sqlite3_finalize(st);
				return store_fail(s, "setting a report's customer");
			}
			changed++;
		}
		free(copy);
		strlist_free(&words);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? changed : store_fail(s, "reading the reports");
}

void
store_set_reopen(struct store *s, int states)
{
	s->reopen = states;
}

/* One report of a message: under id when it is not 0 (a reparse keeps ids), else a new one;
 * a new one (recur) is counted in its cases when the transaction commits, a replaced one
 * leaves the counts to a recount (tally_rebuild). */
static int
store_write_report(struct store *s, int64_t message_id, int64_t id, const struct report *r,
    time_t imported, int64_t *out, int recur)
{
	static const char report_sql[] =
	    "INSERT INTO reports (id, message_id, sample, format, feedback_type, user_agent,"
	    " version, reporter, arrival_date, seen_at, source_ip, source_ip_rule, source_net,"
	    " reported_domain, original_mail_from, original_rcpt_to, original_message_id,"
	    " original_subject, auth_results, incidents, fields, class, content_key, duplicate_of,"
	    " customer) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char first_sql[] =
	    "SELECT id FROM reports WHERE content_key = ? AND duplicate_of IS NULL AND id != ?"
	    " ORDER BY id LIMIT 1";
	static const char url_sql[] =
	    "INSERT INTO report_urls (report_id, position, url, host, registrable_domain)"
	    " VALUES (?,?,?,?,?)";
	static const char domain_sql[] =
	    "INSERT OR IGNORE INTO report_domains (report_id, domain, seen_at, class)"
	    " VALUES (?,?,?,?)";
	sqlite3_stmt *st;
	struct buf fields;
	struct tally_report t;
	const char *customer;
	int64_t first = 0;
	size_t i;
	time_t seen;
	int rc;

	if (r->content_key != NULL) {
		st = store_stmt(s, first_sql);
		store_bind_text(st, 1, r->content_key);
		sqlite3_bind_int64(st, 2, id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			first = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, "looking for an earlier report of the same spam");
	}
	st = store_stmt(s, report_sql);

	buf_init(&fields);
	for (i = 0; i < r->fields.count; i++) {
		buf_adds(&fields, r->fields.items[i]);
		buf_addc(&fields, '\n');
	}
	seen = r->arrival_date > 0 ? r->arrival_date :
	    r->complaint_date > 0 ? r->complaint_date : imported;
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, message_id);
	sqlite3_bind_int(st, 3, r->sample > 0 ? r->sample : 1);
	store_bind_text(st, 4, report_format_name(r->format));
	store_bind_text(st, 5, r->feedback_type);
	store_bind_text(st, 6, r->user_agent);
	store_bind_text(st, 7, r->version);
	store_bind_text(st, 8, r->reporter);
	if (r->arrival_date > 0)
		sqlite3_bind_int64(st, 9, (sqlite3_int64)r->arrival_date);
	else
		sqlite3_bind_null(st, 9);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)seen);
	store_bind_text(st, 11, r->source_ip);
	store_bind_text(st, 12, r->source_ip_rule);
	store_bind_text(st, 13, r->source_net);
	store_bind_text(st, 14, r->reported_domain);
	store_bind_text(st, 15, r->original_mail_from);
	store_bind_text(st, 16, r->original_rcpt_to);
	store_bind_text(st, 17, r->original_message_id);
	store_bind_text(st, 18, r->original_subject);
	store_bind_text(st, 19, r->auth_results);
	if (r->incidents > 0)
		sqlite3_bind_int64(st, 20, r->incidents);
	else
		sqlite3_bind_null(st, 20);
	store_bind_text(st, 21, fields.len > 0 ? fields.data : NULL);
	store_bind_text(st, 22, r->complaint_class);
	store_bind_text(st, 23, r->content_key);
	if (first > 0)
		sqlite3_bind_int64(st, 24, first);
	if (store_customers(s) != 0)
		return -1;
	customer = customers_match(&s->customers, r);
	store_bind_text(st, 25, customer);
	buf_free(&fields);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "storing a report");
	id = sqlite3_last_insert_rowid(s->db);
	if (out != NULL)
		*out = id;
	for (i = 0; i < r->nurls; i++) {
		st = store_stmt(s, url_sql);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_text(st, 3, r->urls[i].url);
		store_bind_text(st, 4, r->urls[i].host);
		store_bind_text(st, 5, r->urls[i].domain);
		if (sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, "storing a URL");
	}
	/* A repeat is no complaint of its own: it groups under no domain (nor, by duplicate_of,
	 * under its address). */
	for (i = 0; first == 0 && i < r->domains.count; i++) {
		st = store_stmt(s, domain_sql);
		sqlite3_bind_int64(st, 1, id);
		store_bind_text(st, 2, r->domains.items[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)seen);
		store_bind_text(st, 4, r->complaint_class);
		if (sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, "storing a domain");
	}
	if (recur && first == 0) {
		memset(&t, 0, sizeof t);
		t.id = id;
		t.ip = r->source_ip;
		t.net = r->source_net;
		t.customer = customer;
		t.domains = (const char *const *)r->domains.items;
		t.ndomains = r->domains.count;
		t.class = r->complaint_class;
		t.seen = seen;
		t.imported = imported;
		t.reporter = r->reporter;
		tally_add(s->tally, &t);
	}
	if (!recur)
		s->replaced = 1;
	return first > 0;
}

int
store_add_message(struct store *s, const char *source, const char *source_pos,
    const char *sha256, const void *raw, size_t len, const struct report *r, int64_t *id,
    int *repeats)
{
	static const char sql[] =
	    "INSERT INTO messages (source, source_pos, sha256, raw, size, imported_at,"
	    " parse_status, parse_error) VALUES (?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, sql);
	time_t now = time(NULL);
	const struct report *first;
	int64_t message_id;
	int rc;

	store_bind_text(st, 1, source);
	store_bind_text(st, 2, source_pos);
	store_bind_text(st, 3, sha256);
	sqlite3_bind_blob64(st, 4, raw, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)len);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	store_bind_text(st, 7, parse_status_name(r->status));
	store_bind_text(st, 8, r->errors.len > 0 ? r->errors.data : NULL);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "storing a message");
	message_id = sqlite3_last_insert_rowid(s->db);
	*repeats = 0;
	for (first = r; r != NULL; r = r->next) {
		if ((rc = store_write_report(s, message_id, 0, r, now, r == first ? id : NULL,
		    1)) < 0)
			return -1;
		*repeats += rc;
	}
	return 0;
}

/*
 * A message parsed again: each sample's report keeps its id (what a desk noted or a case
 * points at stays valid), a new sample gets a new one, and a sample that is no longer there
 * goes, with its URLs and domains.
 */
int
store_replace_report(struct store *s, int64_t message_id, const struct report *r)
{
	static const char find_sql[] = "SELECT id FROM reports WHERE message_id = ? AND sample = ?";
	static const char del_sql[] = "DELETE FROM reports WHERE id = ?";
	static const char rest_sql[] = "DELETE FROM reports WHERE message_id = ? AND sample > ?";
	static const char status_sql[] =
	    "UPDATE messages SET parse_status = ?, parse_error = ? WHERE id = ?";
	static const char imported_sql[] = "SELECT imported_at FROM messages WHERE id = ?";
	sqlite3_stmt *st = store_stmt(s, status_sql);
	time_t imported = time(NULL);
	int64_t id;
	int last = 0, rc;

	store_bind_text(st, 1, parse_status_name(r->status));
	store_bind_text(st, 2, r->errors.len > 0 ? r->errors.data : NULL);
	sqlite3_bind_int64(st, 3, message_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "updating a message");
	st = store_stmt(s, imported_sql);
	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		imported = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (; r != NULL; r = r->next) {
		st = store_stmt(s, find_sql);
		sqlite3_bind_int64(st, 1, message_id);
		sqlite3_bind_int(st, 2, r->sample);
		id = 0;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, "reading a report");
		if (id > 0) {
			st = store_stmt(s, del_sql);
			sqlite3_bind_int64(st, 1, id);
			if (sqlite3_step(st) != SQLITE_DONE)
				return store_fail(s, "removing an old report");
		}
		if (store_write_report(s, message_id, id, r, imported, NULL, 0) < 0)
			return -1;
		last = r->sample;
	}
	st = store_stmt(s, rest_sql);
	sqlite3_bind_int64(st, 1, message_id);
	sqlite3_bind_int(st, 2, last);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "removing an old report");
	return 0;
}
