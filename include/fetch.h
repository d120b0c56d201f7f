/* fetch.h: pull new messages from an IMAP mailbox into the store through the import pipeline,
 * exactly once: the UIDs listed are recorded before their bodies are fetched, a message counts
 * as taken only once its import committed, and the action after import (a keyword, a move)
 * and the restored seen state happen on the server only after that. */
#ifndef ARFDESK_FETCH_H
#define ARFDESK_FETCH_H

#include <stdint.h>

struct store;
struct conf;

enum fetch_after { FETCH_AFTER_NONE, FETCH_AFTER_FLAG, FETCH_AFTER_MOVE };

/* One mailbox of a server, as a URL names it: imaps://user@host:port/MAILBOX. */
struct fetch_target {
	char	*mailbox;	/* its name, decoded */
	char	*mailbox_url;	/* as it goes in a URL, encoded */
	/* "imaps://user@host:port", the user encoded: the base of every URL (libcurl reads
	 * ~/.netrc only for a user in the URL) and the key of the mailbox's sync state. */
	char	*account;
	int	 imaps;
};

struct fetch_opts {
	const char	*cacert;	/* CA file, or NULL: the system's */
	int		 tls_off;	/* imap:// without STARTTLS (else it is required) */
	int		 connections;	/* bodies fetched side by side */
	long		 timeout;	/* seconds to connect, and of silence in a transfer */
	const char	*password;	/* NULL: from ~/.netrc */
	const char	*bearer;	/* OAuth2 token (XOAUTH2), or NULL */
	enum fetch_after after;
	const char	*after_arg;	/* the keyword or the folder */
	int		 mark_seen;	/* leave \Seen set (else the seen state is kept) */
	int		 progress;	/* a running count on stderr */
	int		 progress_fd;	/* JSON lines of progress; -1: none */
	int		 quiet;
};

struct fetch_stats {
	long	listed;		/* new UIDs on the server */
	long	fetched;	/* bodies read */
	long	added;		/* stored, new */
	long	duplicates;	/* stored already (the same bytes) */
	long	refused;	/* too large */
	long	failed;		/* not fetched this time (retried next time) */
	long	acted;		/* flagged or moved */
	int	interrupted;
};

/* Parse URL (no password in it) into target. 0, or -1 with the reason reported. */
int	 fetch_target_parse(const char *url, struct fetch_target *);
void	 fetch_target_free(struct fetch_target *);
/* Fetch the new messages of one mailbox. 0; 1 when some could not be fetched (they are
 * retried next time); -1 when the mailbox could not be read at all (reported). */
int	 fetch_mailbox(struct store *, const struct conf *, const struct fetch_target *,
	    const struct fetch_opts *, struct fetch_stats *);

#endif
