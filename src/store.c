/* store.c: the sqlite connection. Schema migrations follow PRAGMA user_version; statements are
 * prepared once and reused, which is what makes a batched import fast. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "store.h"

#define STORE_CACHE	48

struct store {
	sqlite3		*db;
	char		*path;
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
};

static int
store_exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		cmd_error("%s: %s", s->path, err != NULL ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st;

	*version = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "reading the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
store_migrate(struct store *s)
{
	int version;
	size_t i, latest = sizeof migrations / sizeof migrations[0];
	char *set;

	/* Read the version under the write lock: two commands opening a new database at once
	 * must not both create the tables. */
	if (store_exec(s, "BEGIN IMMEDIATE") != 0)
		return -1;
	if (schema_version(s, &version) != 0) {
		store_rollback(s);
		return -1;
	}
	if (version > (int)latest) {
		cmd_error("%s: schema version %d is newer than this arfdesk knows; upgrade arfdesk",
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

int
store_open(const char *path, int readonly, struct store **out)
{
	struct store *s = xcalloc(1, sizeof *s);
	int fd, version;

	s->path = xstrdup(path);
	if (readonly) {
		/* A command that only reads never creates a database: a mistyped -d is an error. */
		if (access(path, F_OK) != 0) {
			cmd_error("%s: no database here (import complaints first: arfdesk -d %s "
			    "import PATH)", path, path);
			goto fail;
		}
		if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
			cmd_error("%s: %s", path, sqlite3_errmsg(s->db));
			goto fail;
		}
		sqlite3_busy_timeout(s->db, 10000);
		if (schema_version(s, &version) != 0)
			goto fail;
		if (version == 0)
			cmd_error("%s: not an arfdesk database", path);
		else if (version > (int)(sizeof migrations / sizeof migrations[0]))
			cmd_error("%s: made by a newer arfdesk; upgrade arfdesk", path);
		else if (version < (int)(sizeof migrations / sizeof migrations[0]))
			cmd_error("%s: made by an older arfdesk; a command that writes (import, "
			    "reparse, case) brings it up to date", path);
		if (version != (int)(sizeof migrations / sizeof migrations[0]))
			goto fail;
		*out = s;
		return 0;
	}
	/* Create the file ourselves so that it is 0600 from the first byte: it holds evidence. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		cmd_error("%s: %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		cmd_error("%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* Raw messages are a few kB each: 16 kB pages keep most of one on a page, which makes an
	 * import write a third as many pages (page_size only takes effect on a new database). */
	if (store_exec(s, "PRAGMA page_size = 16384") != 0 || set_wal(s) != 0 ||
	    store_exec(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
	    " PRAGMA cache_size = -32768;") != 0 || store_migrate(s) != 0)
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
	sqlite3_close(s->db);
	free(s->path);
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
		cmd_error("internal error preparing SQL: %s", sqlite3_errmsg(s->db));
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
	cmd_error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return -1;
}

int
store_begin(struct store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *s)
{
	return store_exec(s, "COMMIT");
}

void
store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
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

static int
store_write_report(struct store *s, int64_t id, const struct report *r, time_t imported)
{
	static const char report_sql[] =
	    "INSERT INTO reports (id, format, feedback_type, user_agent, version, reporter,"
	    " arrival_date, seen_at, source_ip, source_ip_rule, source_net, reported_domain,"
	    " original_mail_from, original_rcpt_to, original_message_id, original_subject,"
	    " auth_results, incidents, fields)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char url_sql[] =
	    "INSERT INTO report_urls (report_id, position, url, host, registrable_domain)"
	    " VALUES (?,?,?,?,?)";
	static const char domain_sql[] =
	    "INSERT OR IGNORE INTO report_domains (report_id, domain, seen_at) VALUES (?,?,?)";
	sqlite3_stmt *st = store_stmt(s, report_sql);
	struct buf fields;
	size_t i;
	time_t seen;

	buf_init(&fields);
	for (i = 0; i < r->fields.count; i++) {
		buf_adds(&fields, r->fields.items[i]);
		buf_addc(&fields, '\n');
	}
	seen = r->arrival_date > 0 ? r->arrival_date :
	    r->complaint_date > 0 ? r->complaint_date : imported;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, report_format_name(r->format));
	store_bind_text(st, 3, r->feedback_type);
	store_bind_text(st, 4, r->user_agent);
	store_bind_text(st, 5, r->version);
	store_bind_text(st, 6, r->reporter);
	if (r->arrival_date > 0)
		sqlite3_bind_int64(st, 7, (sqlite3_int64)r->arrival_date);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)seen);
	store_bind_text(st, 9, r->source_ip);
	store_bind_text(st, 10, r->source_ip_rule);
	store_bind_text(st, 11, r->source_net);
	store_bind_text(st, 12, r->reported_domain);
	store_bind_text(st, 13, r->original_mail_from);
	store_bind_text(st, 14, r->original_rcpt_to);
	store_bind_text(st, 15, r->original_message_id);
	store_bind_text(st, 16, r->original_subject);
	store_bind_text(st, 17, r->auth_results);
	if (r->incidents > 0)
		sqlite3_bind_int64(st, 18, r->incidents);
	store_bind_text(st, 19, fields.len > 0 ? fields.data : NULL);
	buf_free(&fields);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "storing a report");
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
	for (i = 0; i < r->domains.count; i++) {
		st = store_stmt(s, domain_sql);
		sqlite3_bind_int64(st, 1, id);
		store_bind_text(st, 2, r->domains.items[i]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)seen);
		if (sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, "storing a domain");
	}
	return 0;
}

int
store_add_message(struct store *s, const char *source, const char *source_pos,
    const char *sha256, const void *raw, size_t len, const struct report *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO messages (source, source_pos, sha256, raw, size, imported_at,"
	    " parse_status, parse_error) VALUES (?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_stmt(s, sql);
	time_t now = time(NULL);

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
	*id = sqlite3_last_insert_rowid(s->db);
	return store_write_report(s, *id, r, now);
}

int
store_replace_report(struct store *s, int64_t id, const struct report *r)
{
	static const char del_sql[] = "DELETE FROM reports WHERE id = ?";
	static const char status_sql[] =
	    "UPDATE messages SET parse_status = ?, parse_error = ? WHERE id = ?";
	static const char imported_sql[] = "SELECT imported_at FROM messages WHERE id = ?";
	sqlite3_stmt *st = store_stmt(s, del_sql);
	time_t imported = time(NULL);

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "removing an old report");
	st = store_stmt(s, status_sql);
	store_bind_text(st, 1, parse_status_name(r->status));
	store_bind_text(st, 2, r->errors.len > 0 ? r->errors.data : NULL);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, "updating a message");
	st = store_stmt(s, imported_sql);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		imported = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return store_write_report(s, id, r, imported);
}
