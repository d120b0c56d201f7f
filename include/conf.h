/* conf.h: the configuration file: "key = value" lines, each key declared once below, and the
 * console's `bind` and `color` lines. */
#ifndef ARFDESK_CONF_H
#define ARFDESK_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "util.h"

struct families;

/* X(name, type, default, summary): the one list that feeds the parser, `arfdesk help config`
 * and the test that arfdesk.conf.5 documents every key. */
#define CONF_KEYS(X) \
	X(database, STRING, "", "database file (default $XDG_DATA_HOME/arfdesk/arfdesk.db)") \
	X(user, STRING, "", "name recorded with case changes (default $USER)") \
	X(busy_timeout, INT, "10", "seconds to wait for a stuck writer before giving up") \
	X(max_message_size, SIZE, "25M", "larger messages are refused at import") \
	X(max_mime_depth, INT, "32", "deepest MIME nesting that is parsed") \
	X(max_mime_parts, INT, "1000", "most MIME parts parsed in one message") \
	X(trusted_networks, NETLIST, "", "relays of the desk's own, skipped in Received chains") \
	X(trusted_domains, LIST, "", \
	    "the desk's own mail domains, whose relays are skipped in Received chains") \
	X(provider_families, STRING, "", \
	    "file of mailbox provider families that extends share/providers") \
	X(domain_allowlist, LIST, "w3.org spamcop.net avast.com avg.com", \
	    "domains never counted as advertised") \
	X(reopen_states, LIST, "resolved", \
	    "case states that a new spam complaint reopens (notified, resolved, ignored)")

enum conf_type { CONF_STRING, CONF_SIZE, CONF_INT, CONF_NETLIST, CONF_LIST };

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	const char	*default_value;
	const char	*summary;
};

extern const struct conf_key conf_keys[];
extern const size_t conf_nkeys;

struct conf {
	char		*path;			/* file read, NULL if none */
	char		*database;
	char		*user;
	long		 busy_timeout;		/* seconds */
	uint64_t	 max_message_size;
	long		 max_mime_depth;
	long		 max_mime_parts;
	struct ipnet	*trusted_networks;
	size_t		 ntrusted_networks;
	struct strlist	 trusted_domains;	/* lower case, punycode, no trailing dot */
	char		*provider_families;	/* the file, as given */
	struct families	*families;		/* shipped and the file's, or NULL: shipped */
	struct strlist	 domain_allowlist;	/* the same */
	int		 reopen_states;		/* STORE_REOPEN_* flags */
	struct strlist	 from_file;		/* "key\tvalue" of what the file set, as written */
	/* The console's lines, checked by the console: "FILE:LINE\tKEY\tCOMMAND" of each
	 * `bind KEY COMMAND`, "FILE:LINE\tELEMENT\tFG\tBG" of each `color ELEMENT FG BG`. */
	struct strlist	 binds;
	struct strlist	 colors;
};

/* Load defaults, then the file: the given path (which must exist), else $ARFDESK_CONFIG, else
 * $XDG_CONFIG_HOME/arfdesk/config when it exists. Returns 0, or -1 with the error reported. */
int	 conf_load(struct conf *, const char *path);
/* Is the key the desk's, kept in the database (settings) rather than in a person's file? */
int	 conf_desk_key(const char *);
/* The value the configuration file gave the key, as written, or NULL. */
const char *conf_file_value(const struct conf *, const char *key);
/* The keys the desk keeps in the database, NULL-terminated. */
extern const char *const conf_desk_keys[];
/* Set one key from text; returns 0, or -1 and an error message in *err (to free). */
int	 conf_set(struct conf *, const char *key, const char *value, char **err);
void	 conf_free(struct conf *);
/* The database path: -d, else the config, else the XDG default (directories created). */
char	*conf_database_path(const struct conf *, const char *option);

#endif
