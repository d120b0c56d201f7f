/* settings.h: the desk's settings in the database (trusted_networks, trusted_domains,
 * domain_allowlist, reopen_states): the same answers for everyone on one database. */
#ifndef ARFDESK_SETTINGS_H
#define ARFDESK_SETTINGS_H

#include <time.h>

#include "conf.h"

struct store;

/*
 * Put the database's settings over the configuration's. A database that has none yet, opened
 * to write, takes the desk keys the configuration file set (the migration from a person's
 * file); a file's value the database overrides is warned about. 0, or -1 (reported).
 */
int	 settings_apply(struct store *, struct conf *, int writable, const char *user);

/* Set (value) or unset (NULL) a desk key in the open transaction, recording who and when. */
int	 settings_set(struct store *, const char *key, const char *value, const char *user,
	    const char *note);

struct setting {
	const char	*key;
	const char	*value;		/* NULL: not set in the database (the default) */
	const char	*set_by;
	time_t		 set_at;
};

/* Call fn for each desk key, set or not, in the order of conf_desk_keys. */
int	 settings_list(struct store *, int (*fn)(const struct setting *, void *), void *);

#endif
