/* conf.c: reads the configuration file into struct conf, key by key from CONF_KEYS. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "msg.h"
#include "conf.h"
#include "families.h"
#include "store.h"
#include "urls.h"

const struct conf_key conf_keys[] = {
#define X(name, type, def, summary) { #name, CONF_##type, def, summary },
	CONF_KEYS(X)
#undef X
};
const size_t conf_nkeys = sizeof conf_keys / sizeof conf_keys[0];

/* What decides what is stored is the desk's, the same for everyone on one database: these live
 * in the database (`arfdesk settings`); the file keeps a person's own (user, the database). */
const char *const conf_desk_keys[] = {
	"trusted_networks", "trusted_domains", "domain_allowlist", "reopen_states", NULL
};

int
conf_desk_key(const char *key)
{
	return names_find(conf_desk_keys, key) >= 0;
}

const char *
conf_file_value(const struct conf *conf, const char *key)
{
	size_t i, n = strlen(key);

	for (i = conf->from_file.count; i > 0; i--)
		if (strncmp(conf->from_file.items[i - 1], key, n) == 0 &&
		    conf->from_file.items[i - 1][n] == '\t')
			return conf->from_file.items[i - 1] + n + 1;
	return NULL;
}

static void
list_split(const char *value, struct strlist *out)
{
	char *copy = xstrdup(value), *p = copy, *word;

	strlist_free(out);
	while (*p != '\0') {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		word = p;
		while (*p != '\0' && *p != ',' && !isspace((unsigned char)*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (*word != '\0')
			strlist_add(out, word);
	}
	free(copy);
}

/* A list of domains, each made canonical as a case key is (urls_host_name: lower case,
 * punycode, no trailing dot). A public suffix is refused: "co.uk" would stand for a whole
 * country's domains, "github.io" for every user's pages. out is left as it was on error. */
static int
domain_list(const char *key, const char *value, struct strlist *out, char **err)
{
	struct strlist words = { 0 }, domains = { 0 };
	char *domain;
	size_t i;
	int rc = 0;

	list_split(value, &words);
	for (i = 0; i < words.count && rc == 0; i++) {
		if ((domain = urls_host_name(words.items[i])) == NULL) {
			*err = xasprintf("%s: not a domain: %s", key, words.items[i]);
			rc = -1;
		} else if (urls_is_public_suffix(domain)) {
			*err = xasprintf("%s: %s is a public suffix, not a domain; name the "
			    "domains under it instead (example.%s)", key, domain, domain);
			rc = -1;
		} else
			strlist_add(&domains, domain);
		free(domain);
	}
	strlist_free(&words);
	if (rc != 0) {
		strlist_free(&domains);
		return rc;
	}
	strlist_free(out);
	*out = domains;
	return 0;
}

/* The most of a provider families file that is read. */
#define FAMILIES_MAX_SIZE	(1 << 20)

/*
 * provider_families: the shipped families, extended by the desk's file (share/providers' form).
 * A relative name is taken from the directory of the configuration file that gives it.
 */
static int
load_families(struct conf *conf, const char *value, char **err)
{
	struct families *families;
	const char *slash;
	char *path, *text;
	size_t len;
	FILE *f;

	families_free(conf->families);
	conf->families = NULL;
	free(conf->provider_families);
	conf->provider_families = NULL;
	if (*value == '\0')
		return 0;
	if (*value != '/' && conf->path != NULL && (slash = strrchr(conf->path, '/')) != NULL)
		path = xasprintf("%.*s/%s", (int)(slash - conf->path), conf->path, value);
	else
		path = xstrdup(value);
	if ((f = fopen(path, "r")) == NULL) {
		*err = xasprintf("provider_families: %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	text = xmalloc(FAMILIES_MAX_SIZE + 1);
	len = fread(text, 1, FAMILIES_MAX_SIZE + 1, f);
	if (ferror(f) || len > FAMILIES_MAX_SIZE) {
		*err = ferror(f) ? xasprintf("provider_families: %s: %s", path, strerror(errno)) :
		    xasprintf("provider_families: %s: larger than 1 MB", path);
		fclose(f);
		free(text);
		free(path);
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	families = families_new();
	if (families_load(families, text, path, err) != 0) {
		families_free(families);
		free(text);
		free(path);
		return -1;
	}
	free(text);
	conf->families = families;
	conf->provider_families = path;
	return 0;
}

int
conf_set(struct conf *conf, const char *key, const char *value, char **err)
{
	struct strlist words = { 0 };
	uint64_t size;
	size_t i;
	char *end;
	long n;

	if (strcmp(key, "database") == 0) {
		free(conf->database);
		conf->database = xstrdup(value);
	} else if (strcmp(key, "user") == 0) {
		free(conf->user);
		conf->user = xstrdup(value);
	} else if (strcmp(key, "busy_timeout") == 0) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || n < 1 || n > 3600) {
			*err = xasprintf("busy_timeout: not a number of seconds from 1 to 3600: %s",
			    value);
			return -1;
		}
		conf->busy_timeout = n;
	} else if (strcmp(key, "max_message_size") == 0) {
		if (size_parse(value, &size) != 0 || size == 0) {
			*err = xasprintf("max_message_size: not a size: %s", value);
			return -1;
		}
		conf->max_message_size = size;
	} else if (strcmp(key, "max_mime_depth") == 0 || strcmp(key, "max_mime_parts") == 0) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || n < 1 || n > 1000000) {
			*err = xasprintf("%s: not a number from 1 to 1000000: %s", key, value);
			return -1;
		}
		if (key[9] == 'd')
			conf->max_mime_depth = n;
		else
			conf->max_mime_parts = n;
	} else if (strcmp(key, "trusted_networks") == 0) {
		list_split(value, &words);
		free(conf->trusted_networks);
		conf->trusted_networks = xcalloc(words.count, sizeof *conf->trusted_networks);
		conf->ntrusted_networks = 0;
		for (i = 0; i < words.count; i++) {
			if (ipnet_parse(words.items[i], &conf->trusted_networks[i]) != 0) {
				*err = xasprintf("trusted_networks: not a network: %s", words.items[i]);
				strlist_free(&words);
				return -1;
			}
			conf->ntrusted_networks++;
		}
		strlist_free(&words);
	} else if (strcmp(key, "trusted_domains") == 0) {
		if (domain_list(key, value, &conf->trusted_domains, err) != 0)
			return -1;
	} else if (strcmp(key, "provider_families") == 0) {
		if (load_families(conf, value, err) != 0)
			return -1;
	} else if (strcmp(key, "reopen_states") == 0) {
		list_split(value, &words);
		conf->reopen_states = 0;
		for (i = 0; i < words.count; i++) {
			if (strcmp(words.items[i], "notified") == 0)
				conf->reopen_states |= STORE_REOPEN_NOTIFIED;
			else if (strcmp(words.items[i], "resolved") == 0)
				conf->reopen_states |= STORE_REOPEN_RESOLVED;
			else if (strcmp(words.items[i], "ignored") == 0)
				conf->reopen_states |= STORE_REOPEN_IGNORED;
			else {
				*err = xasprintf("reopen_states: not notified, resolved or ignored: %s",
				    words.items[i]);
				strlist_free(&words);
				return -1;
			}
		}
		strlist_free(&words);
	} else if (strcmp(key, "domain_allowlist") == 0) {
		if (domain_list(key, value, &conf->domain_allowlist, err) != 0)
			return -1;
	} else {
		*err = xasprintf("unknown key: %s", key);
		return -1;
	}
	return 0;
}

static char *
default_config_path(void)
{
	const char *env = getenv("ARFDESK_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg != '\0')
		return xasprintf("%s/arfdesk/config", xdg);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.config/arfdesk/config", home);
	return NULL;
}

/*
 * A console line: `bind KEY COMMAND` or `color ELEMENT FG BG`, words as the prompt splits them
 * (the command quoted when it has several). Returns 1 when it was one (kept; *rc -1 when it was
 * malformed, reported), else 0.
 */
static int
console_line(struct conf *conf, const char *path, int lineno, const char *line, int *rc)
{
	struct strlist words = { 0 };
	char *err = NULL, *kept;
	size_t want;

	if (strncmp(line, "bind", 4) == 0 && (line[4] == ' ' || line[4] == '\t'))
		want = 3;
	else if (strncmp(line, "color", 5) == 0 && (line[5] == ' ' || line[5] == '\t'))
		want = 4;
	else
		return 0;
	if (cmdline_split(line, &words, &err) != 0) {
		msg_error("%s:%d: %s", path, lineno, err);
		free(err);
		*rc = -1;
	} else if (words.count != want) {
		msg_error("%s:%d: expected %s", path, lineno, want == 3 ?
		    "bind KEY \"COMMAND\"" : "color ELEMENT FOREGROUND BACKGROUND");
		*rc = -1;
	} else {
		kept = want == 3 ? xasprintf("%s:%d\t%s\t%s", path, lineno, words.items[1],
		    words.items[2]) : xasprintf("%s:%d\t%s\t%s\t%s", path, lineno, words.items[1],
		    words.items[2], words.items[3]);
		strlist_add(want == 3 ? &conf->binds : &conf->colors, kept);
		free(kept);
	}
	strlist_free(&words);
	return *rc == 0;
}

static int
conf_read(struct conf *conf, const char *path, FILE *f)
{
	char *line = NULL, *key, *value, *eq, *hash, *err = NULL, *kv;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;

	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		key = str_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if (console_line(conf, path, lineno, key, &rc))
			continue;
		if (rc != 0)
			break;
		/* A comment may follow a value after white space: "max_mime_depth = 32  # deep". */
		for (hash = key; (hash = strchr(hash, '#')) != NULL; hash++)
			if (hash[-1] == ' ' || hash[-1] == '\t') {
				*hash = '\0';
				key = str_trim(key);
				break;
			}
		eq = strchr(key, '=');
		if (eq == NULL) {
			msg_error("%s:%d: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = str_trim(key);
		value = str_trim(eq + 1);
		kv = xasprintf("%s\t%s", key, value);
		strlist_add(&conf->from_file, kv);
		free(kv);
		if (conf_set(conf, key, value, &err) != 0) {
			msg_error("%s:%d: %s", path, lineno, err);
			free(err);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		msg_error("%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

int
conf_load(struct conf *conf, const char *path)
{
	const char *env;
	char *err = NULL, *found;
	size_t i;
	FILE *f;
	int rc;

	memset(conf, 0, sizeof *conf);
	for (i = 0; i < conf_nkeys; i++)
		if (conf_set(conf, conf_keys[i].name, conf_keys[i].default_value, &err) != 0)
			abort();
	/* A file named by -c or $ARFDESK_CONFIG must exist; the XDG default may not. */
	if (path == NULL && (env = getenv("ARFDESK_CONFIG")) != NULL && *env != '\0')
		path = env;
	found = path != NULL ? xstrdup(path) : default_config_path();
	if (found == NULL)
		return 0;
	f = fopen(found, "r");
	if (f == NULL) {
		if (path == NULL && errno == ENOENT) {
			free(found);
			return 0;
		}
		msg_error("config %s: %s", found, strerror(errno));
		free(found);
		return -1;
	}
	conf->path = found;
	rc = conf_read(conf, found, f);
	fclose(f);
	return rc;
}

void
conf_free(struct conf *conf)
{
	free(conf->path);
	free(conf->database);
	free(conf->user);
	free(conf->trusted_networks);
	strlist_free(&conf->trusted_domains);
	strlist_free(&conf->domain_allowlist);
	free(conf->provider_families);
	families_free(conf->families);
	strlist_free(&conf->from_file);
	strlist_free(&conf->binds);
	strlist_free(&conf->colors);
	memset(conf, 0, sizeof *conf);
}

/* mkdir -p for the directories above a file, mode 0700: they will hold the desk's evidence. */
static void
make_parents(const char *file)
{
	char *copy = xstrdup(file), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(copy, 0700);
		*p = '/';
	}
	free(copy);
}

char *
conf_database_path(const struct conf *conf, const char *option)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *path;

	if (option != NULL)
		return xstrdup(option);
	if (conf->database != NULL && *conf->database != '\0')
		return xstrdup(conf->database);
	if (xdg != NULL && *xdg != '\0')
		path = xasprintf("%s/arfdesk/arfdesk.db", xdg);
	else if (home != NULL && *home != '\0')
		path = xasprintf("%s/.local/share/arfdesk/arfdesk.db", home);
	else
		return xstrdup("arfdesk.db");
	make_parents(path);
	return path;
}
