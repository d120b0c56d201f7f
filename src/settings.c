/* settings.c: the desk's settings, kept in the database with their history. */

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "settings.h"
#include "store.h"

int
settings_set(struct store *s, const char *key, const char *value, const char *user,
    const char *note)
{
	static const char old_sql[] = "SELECT value FROM settings WHERE key = ?";
	static const char set_sql[] =
	    "INSERT INTO settings (key, value, set_by, set_at) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT (key) DO UPDATE SET value = ?2, set_by = ?3, set_at = ?4";
	static const char unset_sql[] = "DELETE FROM settings WHERE key = ?";
	static const char history_sql[] =
	    "INSERT INTO settings_history (key, old_value, new_value, set_by, set_at, note)"
	    " VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = store_stmt(s, old_sql);
	time_t now = time(NULL);
	char *old = NULL;
	int rc;

	store_bind_text(st, 1, key);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		old = store_column_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "reading a setting");
	if ((old == NULL && value == NULL) || (old != NULL && value != NULL &&
	    strcmp(old, value) == 0)) {
		free(old);
		return 0;
	}
	st = store_stmt(s, value != NULL ? set_sql : unset_sql);
	store_bind_text(st, 1, key);
	if (value != NULL) {
		store_bind_text(st, 2, value);
		store_bind_text(st, 3, user);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		free(old);
		return store_fail(s, "storing a setting");
	}
	st = store_stmt(s, history_sql);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, old);
	store_bind_text(st, 3, value);
	store_bind_text(st, 4, user);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	store_bind_text(st, 6, note);
	free(old);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "recording a setting");
}

/* The file's desk keys into a database that has no settings yet. */
static int
settings_migrate(struct store *s, const struct conf *conf, const char *user)
{
	const char *value;
	size_t i;
	int n = 0;

	for (i = 0; conf_desk_keys[i] != NULL; i++)
		if (conf_file_value(conf, conf_desk_keys[i]) != NULL)
			n++;
	if (n == 0)
		return 0;
	if (store_begin(s) != 0)
		return -1;
	for (i = 0; conf_desk_keys[i] != NULL; i++) {
		if ((value = conf_file_value(conf, conf_desk_keys[i])) == NULL)
			continue;
		if (settings_set(s, conf_desk_keys[i], value, user,
		    "taken from the configuration file") != 0) {
			store_rollback(s);
			return -1;
		}
	}
	if (store_commit(s) != 0)
		return -1;
	msg_warn("the desk's settings (%d from %s) now live in the database, the same for everyone "
	    "on it: see arfdesk settings; remove them from the file", n, conf->path);
	return 0;
}

int
settings_apply(struct store *s, struct conf *conf, int writable, const char *user)
{
	static const char sql[] = "SELECT key, value FROM settings";
	sqlite3_stmt *st;
	const char *key, *value, *file;
	char *err = NULL;
	int rc, n = 0;

	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(st, 0);
		value = (const char *)sqlite3_column_text(st, 1);
		n++;
		/* A key of a newer arfdesk: not this one's to apply. */
		if (key == NULL || value == NULL || !conf_desk_key(key))
			continue;
		if ((file = conf_file_value(conf, key)) != NULL && strcmp(file, value) != 0)
			msg_warn("%s: %s sets it, but the desk's setting in the database is used "
			    "(arfdesk settings)", key, conf->path);
		if (conf_set(conf, key, value, &err) != 0) {
			msg_error("the database's setting %s", err);
			free(err);
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "reading the settings");
	if (n == 0 && writable)
		return settings_migrate(s, conf, user);
	return 0;
}

int
settings_list(struct store *s, int (*fn)(const struct setting *, void *), void *arg)
{
	static const char sql[] = "SELECT value, set_by, set_at FROM settings WHERE key = ?";
	struct setting set;
	sqlite3_stmt *st;
	size_t i;
	int rc, cb;

	for (i = 0; conf_desk_keys[i] != NULL; i++) {
		st = store_stmt(s, sql);
		store_bind_text(st, 1, conf_desk_keys[i]);
		memset(&set, 0, sizeof set);
		set.key = conf_desk_keys[i];
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			set.value = (const char *)sqlite3_column_text(st, 0);
			set.set_by = (const char *)sqlite3_column_text(st, 1);
			set.set_at = (time_t)sqlite3_column_int64(st, 2);
		}
		cb = rc == SQLITE_ROW || rc == SQLITE_DONE ? fn(&set, arg) :
		    store_fail(s, "reading the settings");
		sqlite3_reset(st);
		if (cb != 0)
			return cb;
	}
	return 0;
}
