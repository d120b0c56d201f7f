/* received.h: the Received chain of a message → the connecting IP of each hop → the spam source. */
#ifndef ARFDESK_RECEIVED_H
#define ARFDESK_RECEIVED_H

#include <stddef.h>

#include "ipaddr.h"

struct families;

/* The connecting IP of one Received header's "from" clause. Returns 0 when found. */
int	 received_connecting_ip(const char *value, struct ipaddr *);

/* ---- The chain with verdicts: where the spam entered the complainant's provider ---- */

/* One header field of the original, in message order; value unfolded or not. */
struct received_header {
	const char	*name;
	const char	*value;
};

/* What the desk configured. Every member may be empty; families NULL means the shipped table. */
struct received_trust {
	const struct ipnet	 *networks;	/* trusted_networks */
	size_t			  nnetworks;
	const char *const	 *domains;	/* trusted_domains: lower-case registrable domains */
	size_t			  ndomains;
	const struct families	 *families;	/* families_builtin(), or the desk's families_new() */
};

/* A hop's verdict: the enum, its name (JSON, `show`) and what `show` prints before the reason. */
#define RECEIVED_VERDICTS(X) \
	X(RESENT,	 "resent",	  "skipped: the redirect's own path") \
	X(LOCAL,	 "local",	  "skipped: no from clause") \
	X(NOIP,		 "no-ip",	  "skipped: no connecting address") \
	X(TRUSTED,	 "trusted",	  "skipped: trusted by config") \
	X(PRIVATE,	 "private",	  "skipped: reserved range") \
	X(AUTHENTICATED, "authenticated", "skipped: authenticated") \
	X(FETCHED,	 "fetched",	  "skipped: fetched from a mailbox") \
	X(DELIVERED,	 "delivered",	  "skipped: delivered inside the site") \
	X(INTERNAL,	 "internal",	  "skipped: internal to") \
	X(FORWARDED,	 "forwarded",	  "skipped: forwarded by the recipient's") \
	X(CHOSEN,	 "chosen",	  "chosen") \
	X(BELOW,	 "below",	  "below")

enum received_verdict {
#define RECEIVED_ENUM(e, name, text) RECEIVED_##e,
	RECEIVED_VERDICTS(RECEIVED_ENUM)
#undef RECEIVED_ENUM
	RECEIVED_NVERDICTS
};

/* NULL-terminated, indexed by enum received_verdict (names_find reads them). */
extern const char *const received_verdict_names[];
extern const char *const received_verdict_texts[];

/* Host names are as written in the header, made safe (text_safe_line) and at most 255 bytes. */
struct received_hop {
	size_t			 position;	/* 1-based among the Received fields */
	char			*from_host;	/* first word of the from clause (HELO or rDNS); or NULL */
	char			*from_rdns;	/* the name the receiver looked up, when it shows one */
	char			*helo;		/* the HELO/EHLO it reports separately, or NULL */
	int			 has_ip;
	struct ipaddr		 ip;		/* the connecting address when has_ip */
	char			*by_host;	/* or NULL */
	char			*with;		/* protocol ("ESMTPS", "LMTPA", "IMAP4"), or NULL */
	char			*provider;	/* family or registrable domain of by_host, or NULL */
	enum received_verdict	 verdict;
	char			*reason;	/* "microsoft", "private", "ESMTPSA", "198.51.100.0/24" ...
						 * or NULL */
};

/* A header a provider stamped about the connecting client. */
struct received_stamp {
	char			*name;		/* field name as written */
	struct ipaddr		 ip;
	size_t			 above;		/* the Received position just below it; 0: below all */
	char			*stamper;	/* authserv-id or receiver it names, or NULL */
	int			 believed;	/* stamped by the provider whose hops are on top */
	char			*reason;	/* why believed or not, for `show` */
};

struct received_chain {
	struct received_hop	*hops;
	size_t			 nhops;
	struct received_stamp	*stamps;
	size_t			 nstamps;
	size_t			 chosen;	/* index into hops + 1; 0 when no hop was chosen */
	struct ipaddr		 source_ip;	/* valid when chosen */
	char			 rule[48];	/* "received:N" when chosen, "stamp:NAME" when only
					 * the site's stamp names the client, else "" */
	char			*provider;	/* provider of the top hops, or NULL */
};

/*
 * Read every header field of the original (in order) and decide which Received hop is where the
 * spam entered the complainant's provider. Returns 0 with a hop chosen, -1 when none could be;
 * out is filled in either case and must be released with received_chain_free.
 */
int	 received_analyse(const struct received_header *, size_t n, const struct received_trust *,
	    struct received_chain *out);
void	 received_chain_free(struct received_chain *);

#endif
