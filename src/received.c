/* received.c: finds the connecting IP in Received headers written by Postfix, Sendmail, Exim,
 * qmail, Exchange, Gmail and others, and walks the chain to the hop where the spam entered the
 * complainant's provider, with what the provider stamped to corroborate it. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "families.h"
#include "received.h"
#include "urls.h"
#include "util.h"

/* Try a token as an address: "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1", "192.0.2.1:25". */
static int
token_ip(const char *start, size_t len, struct ipaddr *ip)
{
	char token[80];
	const char *open, *close;
	char *colon;

	if (len == 0 || len >= sizeof token)
		return -1;
	memcpy(token, start, len);
	token[len] = '\0';
	open = strchr(token, '[');
	if (open != NULL) {
		close = strchr(open, ']');
		if (close == NULL)
			return -1;
		token[close - token] = '\0';
		return ipaddr_parse(open + 1, ip);
	}
	/* Strip punctuation that sits around an address in prose. */
	while (len > 0 && strchr(".,;:)", token[len - 1]) != NULL)
		token[--len] = '\0';
	if (ipaddr_parse(token, ip) == 0)
		return 0;
	/* An IPv4 address with a port ("192.0.2.1:4321"). */
	colon = strchr(token, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		if (ipaddr_parse(token, ip) == 0 && ip->family == 4)
			return 0;
	}
	return -1;
}

/* The client's HELO name is what it claimed, not what the MTA saw: "helo=[10.0.0.5]". */
static int
is_helo_word(const char *s, size_t len)
{
	return len >= 5 && (strncasecmp(s, "helo=", 5) == 0 || strncasecmp(s, "ehlo=", 5) == 0);
}

/* Look for an address among the space-separated words of s[0..len). */
static int
words_ip(const char *s, size_t len, struct ipaddr *ip)
{
	size_t i = 0, start;

	while (i < len) {
		while (i < len && (isspace((unsigned char)s[i]) || s[i] == '(' || s[i] == ')'))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)s[i]) && s[i] != '(' && s[i] != ')')
			i++;
		if (i > start && !is_helo_word(s + start, i - start) &&
		    token_ip(s + start, i - start, ip) == 0)
			return 0;
	}
	return -1;
}

/* A comment that reports the HELO ("(HELO [192.168.1.100])", qmail and qpsmtpd). */
static int
is_helo_comment(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	return len >= 5 && (strncasecmp(s, "HELO", 4) == 0 || strncasecmp(s, "EHLO", 4) == 0) &&
	    isspace((unsigned char)s[4]);
}

int
received_connecting_ip(const char *value, struct ipaddr *ip)
{
	const char *p = value, *clause, *end;
	int depth = 0;
	const char *c, *open = NULL;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "from", 4) != 0 || !isspace((unsigned char)p[4]))
		return -1;
	clause = p + 4;
	/* The from clause ends at " by " outside parentheses, or at the date's ';'. */
	for (end = clause; *end != '\0'; end++) {
		if (*end == '(')
			depth++;
		else if (*end == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *end == ';')
			break;
		else if (depth == 0 && isspace((unsigned char)*end) &&
		    strncasecmp(end + 1, "by", 2) == 0 && isspace((unsigned char)end[3]))
			break;
	}
	/* First choice: an address inside a parenthesised comment, where MTAs write what they saw
	 * ("(rdns [192.0.2.1])", "(HELO x) (192.0.2.1)"); the first word may be the client's HELO. */
	depth = 0;
	for (c = clause; c < end; c++) {
		if (*c == '(') {
			if (depth++ == 0)
				open = c + 1;
		} else if (*c == ')' && depth > 0) {
			if (--depth == 0 && open != NULL &&
			    !is_helo_comment(open, (size_t)(c - open)) &&
			    words_ip(open, (size_t)(c - open), ip) == 0)
				return 0;
		}
	}
	/* Else the first word itself: Exim's "from [192.0.2.1] (helo=...)" or a bare address. */
	return words_ip(clause, (size_t)(end - clause), ip) == 0 ? 0 : -1;
}

/* ---- The chain with verdicts: where the spam entered the complainant's provider ---- */

const char *const received_verdict_names[] = {
#define RECEIVED_NAME(e, name, text) name,
	RECEIVED_VERDICTS(RECEIVED_NAME)
#undef RECEIVED_NAME
	NULL
};

const char *const received_verdict_texts[] = {
#define RECEIVED_TEXT(e, name, text) text,
	RECEIVED_VERDICTS(RECEIVED_TEXT)
#undef RECEIVED_TEXT
	NULL
};

#define HOST_MAX	255	/* longest host name kept from a header (RFC 1035: 253 + dot) */
#define RECIPIENTS_MAX	64	/* recipient domains looked at for forwards */

/* RFC 3848 transmission types that say the client authenticated (Exim writes them lower case). */
static const char *const auth_protocols[] = {
	"ESMTPA", "ESMTPSA", "LMTPA", "LMTPSA", "UTF8SMTPA", "UTF8SMTPSA", "UTF8LMTPA",
	"UTF8LMTPSA", NULL
};

/* Hand-offs of mail fetched from a mailbox (fetchmail, getmail): not a connection from outside. */
static const char *const fetch_protocols[] = {
	"IMAP", "IMAP4", "IMAPS", "POP", "POP3", "POP3S", NULL
};

/* Delivery to the mailbox store (RFC 2033: LMTP is spoken only inside a site): the client is a
 * host of the receiving site whatever its name or address, and never where the mail entered. */
static const char *const delivery_protocols[] = {
	"LMTP", "LMTPS", "UTF8LMTP", "UTF8LMTPS", NULL
};

/* Fields whose addresses name the message's recipients: a hop from the recipient's own mail
 * domain (an alias or an auto-forward) is part of the complainant's path, not the sender's. */
static const char *const recipient_fields[] = {
	"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To",
	"X-Forwarded-To", "X-Forwarded-For", "X-HmXmrOriginalRecipient", "X-Rcpt-To", NULL
};

/* What the walk knows about a hop beyond its public face. */
struct hop_facts {
	int	 has_from;
	int	 authenticated;
	char	*sender;	/* provider of the sending host: family or registrable domain */
	int	 verified;	/* sender is a family whose networks hold the address */
};

/* A name and its provider (NULL: none), as name_provider found it once for this chain. */
struct provider_memo {
	char	*name;
	char	*provider;
};

struct walk {
	const struct families	*families;
	const struct received_trust *trust;
	struct received_chain	*chain;
	struct hop_facts	*facts;
	size_t			 resent;	/* Received fields above the first Resent-* field */
	struct strlist		 recipients;	/* providers of the recipients' domains */
	struct strlist		 receivers;	/* providers of the hosts at and above the choice */
	struct provider_memo	*memo;		/* a chain names its hosts several times: by, from, */
	size_t			 nmemo;		/* for, the stamps' authors */
};

static int
name_in(const char *const *names, const char *s, size_t len)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == len && strncasecmp(names[i], s, len) == 0)
			return 1;
	return 0;
}

/* The word at p (up to white space, a parenthesis or ';'), trailing dots dropped, made safe;
 * NULL when empty or longer than a host name can be. */
static char *
word_copy(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && p[n] != '\0' && !isspace((unsigned char)p[n]) &&
	    strchr("();", p[n]) == NULL)
		n++;
	while (n > 0 && p[n - 1] == '.')
		n--;
	if (n == 0 || n > HOST_MAX)
		return NULL;
	return text_safe_line(p, n);
}

/* The word w (case-insensitive) at parenthesis depth 0 in [s, end), or NULL. */
static const char *
word_at_top(const char *s, const char *end, const char *w)
{
	size_t wl = strlen(w);
	const char *p;
	int depth = 0;

	for (p = s; p < end && *p != '\0'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (p == s || isspace((unsigned char)p[-1])) &&
		    (size_t)(end - p) > wl && strncasecmp(p, w, wl) == 0 &&
		    isspace((unsigned char)p[wl]))
			return p;
	}
	return NULL;
}

/* The end of the clauses: the date's ';' at depth 0, or the end of the value. */
static const char *
clauses_end(const char *s)
{
	int depth = 0;

	for (; *s != '\0'; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (*s == ';' && depth == 0)
			break;
	}
	return s;
}

static int
is_address_word(const char *s, size_t len)
{
	struct ipaddr ip;

	return token_ip(s, len, &ip) == 0;
}

/* Keep the first of several candidates. */
static void
set_once(char **slot, char *value)
{
	if (*slot == NULL)
		*slot = value;
	else
		free(value);
}

/*
 * The names inside the from clause's comments: the one the receiver looked up, written before
 * the address ("(rdns [192.0.2.1])", sendmail's "(user@rdns [ip])"), and the HELO it reports
 * ("(HELO name)", "helo=name"). "unknown" and "unverified" are no name.
 */
static void
comment_names(const char *open, const char *close, struct received_hop *hop)
{
	const char *p = open, *start, *prev = NULL, *at;
	size_t len, prevlen = 0;
	int nword = 0, helo_next = 0;

	while (p < close) {
		while (p < close && (isspace((unsigned char)*p) || *p == '(' || *p == ')'))
			p++;
		start = p;
		while (p < close && !isspace((unsigned char)*p) && *p != '(' && *p != ')')
			p++;
		len = (size_t)(p - start);
		if (len == 0)
			break;
		if (helo_next) {
			set_once(&hop->helo, word_copy(start, start + len));
			helo_next = 0;
		} else if (nword == 0 && len == 4 && (strncasecmp(start, "HELO", 4) == 0 ||
		    strncasecmp(start, "EHLO", 4) == 0))
			helo_next = 1;
		else if (len > 5 && (strncasecmp(start, "helo=", 5) == 0 ||
		    strncasecmp(start, "ehlo=", 5) == 0))
			set_once(&hop->helo, word_copy(start + 5, start + len));
		else if (is_address_word(start, len) && prev != NULL &&
		    !is_address_word(prev, prevlen) && memchr(prev, '=', prevlen) == NULL &&
		    !(prevlen == 7 && strncasecmp(prev, "unknown", 7) == 0) &&
		    !(prevlen == 10 && strncasecmp(prev, "unverified", 10) == 0)) {
			at = memchr(prev, '@', prevlen);
			if (at != NULL) {
				prevlen -= (size_t)(at + 1 - prev);
				prev = at + 1;
			}
			set_once(&hop->from_rdns, word_copy(prev, prev + prevlen));
		}
		prev = start;
		prevlen = len;
		nword++;
	}
}

/* A header's "(authenticated" comment (sendmail, Postfix's "Authenticated sender:"),
 * OpenSMTPD's "auth=yes", or an RFC 3848 type in its with clause. */
static int
hop_authenticated(const char *value, const struct received_hop *hop)
{
	const char *p;

	if (hop->with != NULL && name_in(auth_protocols, hop->with, strlen(hop->with)))
		return 1;
	for (p = value; (p = strchr(p, '(')) != NULL; p++)
		if (strncasecmp(p + 1, "authenticated", 13) == 0)
			return 1;
	for (p = value; (p = strcasestr(p, "auth=yes")) != NULL; p++)
		if (p == value || isspace((unsigned char)p[-1]))
			return 1;
	return 0;
}

/* Read one Received value into hop's public face and the facts the walk needs. */
static void
hop_parse(const char *value, struct received_hop *hop, struct hop_facts *facts)
{
	const char *p = value, *end = clauses_end(value), *by, *with, *c, *open = NULL;
	int depth = 0;

	while (isspace((unsigned char)*p))
		p++;
	facts->has_from = strncasecmp(p, "from", 4) == 0 && isspace((unsigned char)p[4]);
	by = word_at_top(p, end, "by");
	if (by != NULL) {
		by += 2;
		while (isspace((unsigned char)*by))
			by++;
		hop->by_host = word_copy(by, end);
		with = word_at_top(by, end, "with");
		if (with != NULL) {
			with += 4;
			while (isspace((unsigned char)*with))
				with++;
			hop->with = word_copy(with, end);
		}
	}
	if (!facts->has_from)
		return;
	p += 4;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '(')
		hop->from_host = word_copy(p, by != NULL ? by : end);
	for (c = p; c < (by != NULL ? by : end); c++) {
		if (*c == '(') {
			if (depth++ == 0)
				open = c + 1;
		} else if (*c == ')' && depth > 0 && --depth == 0 && open != NULL)
			comment_names(open, c, hop);
	}
	hop->has_ip = received_connecting_ip(value, &hop->ip) == 0;
	facts->authenticated = hop_authenticated(value, hop);
}

/* The provider of a host name: its family, else its registrable domain; NULL for an address
 * literal, a single label or what is no host name. */
static char *
provider_lookup(const struct families *families, const char *name)
{
	const char *family;
	char *host;
	struct ipaddr ip;

	if (ipaddr_parse(name, &ip) == 0)
		return NULL;
	host = xstrdup(name);
	str_lower_inplace(host);
	if (!urls_valid_host(host)) {
		free(host);
		return NULL;
	}
	family = families_of_host(families, host);
	if (family != NULL) {
		free(host);
		return xstrdup(family);
	}
	name = host;
	host = urls_registrable(name);
	free((char *)name);
	return host;
}

/* provider_lookup, once per name and chain. */
static char *
name_provider(struct walk *w, const char *name)
{
	struct provider_memo *m;
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < w->nmemo; i++)
		if (strcmp(w->memo[i].name, name) == 0)
			break;
	if (i == w->nmemo) {
		w->memo = xrealloc(w->memo, (w->nmemo + 1) * sizeof *w->memo);
		m = &w->memo[w->nmemo++];
		m->name = xstrdup(name);
		m->provider = provider_lookup(w->families, name);
	}
	return w->memo[i].provider != NULL ? xstrdup(w->memo[i].provider) : NULL;
}

/* The by host's provider; an address literal counts by the family networks holding it. */
static char *
receiver_provider(struct walk *w, const char *by_host)
{
	struct ipaddr ip;
	const char *family;

	if (by_host == NULL)
		return NULL;
	if (ipaddr_parse(by_host, &ip) == 0) {
		family = families_of_ip(w->families, &ip);
		return family != NULL ? xstrdup(family) : NULL;
	}
	return name_provider(w, by_host);
}

/*
 * The sending host's provider. The name is the receiver's lookup when it shows one, else the
 * first word (often the client's HELO); a family that lists networks does not own a public
 * address outside them, whatever the host calls itself. No name: the family of the address.
 */
static void
sender_provider(struct walk *w, const struct received_hop *hop, struct hop_facts *facts)
{
	const char *name = hop->from_rdns != NULL ? hop->from_rdns : hop->from_host;
	const char *by_ip = hop->has_ip ? families_of_ip(w->families, &hop->ip) : NULL;
	char *provider = name_provider(w, name);

	if (provider != NULL && hop->has_ip && ipaddr_reserved(&hop->ip) == NULL &&
	    families_outside(w->families, provider, &hop->ip)) {
		/* A claim the address disproves: no provider, not even the address's own. */
		free(provider);
		facts->sender = NULL;
		facts->verified = 0;
		return;
	}
	if (provider == NULL && by_ip != NULL)
		provider = xstrdup(by_ip);
	facts->sender = provider;
	facts->verified = provider != NULL && by_ip != NULL && strcmp(provider, by_ip) == 0;
}

/* The domains after each '@' in a value, as providers, into list. */
static void
add_recipients(struct walk *w, const char *value, struct strlist *list)
{
	const char *p, *start;
	char *domain, *provider;
	size_t n;

	for (p = value; (p = strchr(p, '@')) != NULL && list->count < RECIPIENTS_MAX;) {
		start = ++p;
		n = strspn(start, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
		p += n;
		while (n > 0 && start[n - 1] == '.')
			n--;
		if (n == 0 || n > HOST_MAX)
			continue;
		domain = xstrndup(start, n);
		provider = name_provider(w, domain);
		if (provider != NULL)
			strlist_add_unique(list, provider);
		free(provider);
		free(domain);
	}
}

/* The hop below i that has a from clause was received by a host of provider: the sending host
 * of hop i wrote a Received header of its own, under the same name. */
static int
consistent_below(const struct walk *w, size_t i, const char *provider)
{
	size_t j;

	for (j = i + 1; j < w->chain->nhops; j++)
		if (w->facts[j].has_from)
			return w->chain->hops[j].provider != NULL &&
			    strcmp(w->chain->hops[j].provider, provider) == 0;
	return 0;
}

/* A trusted network holding the address, or a trusted domain the sending host is in. */
static char *
trusted_reason(const struct received_trust *trust, const struct received_hop *hop)
{
	const char *name = hop->from_rdns != NULL ? hop->from_rdns : hop->from_host;
	char text[IPADDR_STRLEN];
	size_t i, nl, dl;

	for (i = 0; i < trust->nnetworks; i++)
		if (ipnet_contains(&trust->networks[i], &hop->ip)) {
			ipaddr_format(&trust->networks[i].addr, text);
			return xasprintf("%s/%d", text, trust->networks[i].prefix);
		}
	if (name == NULL)
		return NULL;
	nl = strlen(name);
	for (i = 0; i < trust->ndomains; i++) {
		dl = strlen(trust->domains[i]);
		if ((nl == dl && strcasecmp(name, trust->domains[i]) == 0) ||
		    (nl > dl && name[nl - dl - 1] == '.' &&
		    strcasecmp(name + nl - dl, trust->domains[i]) == 0))
			return xstrdup(trust->domains[i]);
	}
	return NULL;
}

/* The verdict of hop i when nothing above it was chosen. */
static enum received_verdict
hop_verdict(const struct walk *w, size_t i, char **reason)
{
	const struct received_hop *hop = &w->chain->hops[i];
	const struct hop_facts *f = &w->facts[i];
	const char *reserved;

	*reason = NULL;
	if (i < w->resent)
		return RECEIVED_RESENT;
	if (!f->has_from)
		return RECEIVED_LOCAL;
	if (!hop->has_ip)
		return RECEIVED_NOIP;
	if ((*reason = trusted_reason(w->trust, hop)) != NULL)
		return RECEIVED_TRUSTED;
	if ((reserved = ipaddr_reserved(&hop->ip)) != NULL) {
		*reason = xstrdup(reserved);
		return RECEIVED_PRIVATE;
	}
	if (f->authenticated) {
		*reason = xstrdup(hop->with != NULL ? hop->with : "authenticated");
		return RECEIVED_AUTHENTICATED;
	}
	if (hop->with != NULL && name_in(fetch_protocols, hop->with, strlen(hop->with))) {
		*reason = xstrdup(hop->with);
		return RECEIVED_FETCHED;
	}
	if (hop->with != NULL && name_in(delivery_protocols, hop->with, strlen(hop->with))) {
		*reason = xstrdup(hop->with);
		return RECEIVED_DELIVERED;
	}
	if (f->sender == NULL)
		return RECEIVED_CHOSEN;
	/* Both ends in one provider: a family proven by its networks, or a name the hop below
	 * confirms (SpamCop's chain rule). */
	if (hop->provider != NULL && strcmp(f->sender, hop->provider) == 0 &&
	    (f->verified || consistent_below(w, i, f->sender))) {
		*reason = xstrdup(hop->provider);
		return RECEIVED_INTERNAL;
	}
	/* A receiver without a domain ("by prod-smtp-forward02", "by gw2") is a host inside the
	 * site that took the mail in; its upstream is that site's own relay. */
	if (hop->provider == NULL && hop->by_host != NULL && !is_address_word(hop->by_host,
	    strlen(hop->by_host)) && consistent_below(w, i, f->sender)) {
		*reason = xstrdup(hop->by_host);
		return RECEIVED_INTERNAL;
	}
	if (strlist_contains(&w->recipients, f->sender) && consistent_below(w, i, f->sender)) {
		*reason = xstrdup(f->sender);
		return RECEIVED_FORWARDED;
	}
	return RECEIVED_CHOSEN;
}

static void
set_verdict(struct received_hop *hop, enum received_verdict verdict, char *reason)
{
	hop->verdict = verdict;
	free(hop->reason);
	hop->reason = reason;
}

static void
choose(struct walk *w, size_t i)
{
	struct received_chain *chain = w->chain;
	size_t j;

	set_verdict(&chain->hops[i], RECEIVED_CHOSEN, NULL);
	for (j = i + 1; j < chain->nhops; j++)
		set_verdict(&chain->hops[j], RECEIVED_BELOW, NULL);
	chain->chosen = i + 1;
	chain->source_ip = chain->hops[i].ip;
	snprintf(chain->rule, sizeof chain->rule, "received:%zu", chain->hops[i].position);
}

/* From the top: the first hop that none of the rules skips. With none left, the lowest hop that
 * was skipped as the provider's own or a forwarder's is where the mail entered. */
static void
walk_chain(struct walk *w, size_t from)
{
	struct received_chain *chain = w->chain;
	enum received_verdict verdict;
	size_t i, last = 0, submitted = 0;
	char *reason;

	for (i = from; i < chain->nhops; i++) {
		verdict = hop_verdict(w, i, &reason);
		set_verdict(&chain->hops[i], verdict, reason);
		if (verdict == RECEIVED_CHOSEN) {
			choose(w, i);
			return;
		}
		if (verdict == RECEIVED_INTERNAL || verdict == RECEIVED_FORWARDED)
			last = i + 1;
		if (verdict == RECEIVED_AUTHENTICATED && submitted == 0)
			submitted = i + 1;
	}
	if (last > 0)
		choose(w, last - 1);
	/* Nothing but an authenticated submission from a public address (a chain pasted from the
	 * relay that took it, a compromised account's mail): the client that logged in is where
	 * the spam came from. */
	else if (submitted > 0)
		choose(w, submitted - 1);
}

/* ---- What the provider stamped about the client ---- */

/* Text after which an address follows in a stamped field ("" is the field's start). */
static const char *const spf_keys[] = { "client-ip=", NULL };
static const char *const ar_keys[] = {
	"sender IP is ", "smtp.remote-ip=", "client-ip=", " designates ", NULL
};
static const char *const cip_keys[] = { "CIP:", NULL };
static const char *const wims_keys[] = { "WIMS-SenderIP:", NULL };
static const char *const bare_keys[] = { "", NULL };

enum stamper_form { STAMPER_NONE, STAMPER_AUTHSERV, STAMPER_SPF_COMMENT };

static const struct stamp_kind {
	const char		*field;
	const char		*owner;	/* the family that writes it wherever it sits, or NULL:
					 * the host that received the hop below it */
	const char *const	*keys;
	enum stamper_form	 stamper;
} stamp_kinds[] = {
	{ "Received-SPF",			NULL,		spf_keys,  STAMPER_SPF_COMMENT },
	{ "Authentication-Results",		NULL,		ar_keys,   STAMPER_AUTHSERV },
	{ "ARC-Authentication-Results",		NULL,		ar_keys,   STAMPER_AUTHSERV },
	{ "X-Originating-IP",			NULL,		bare_keys, STAMPER_NONE },
	{ "X-SourceIP",				NULL,		bare_keys, STAMPER_NONE },
	/* Microsoft writes these below the Received chain, not above the hop they describe. */
	{ "X-Forefront-Antispam-Report",	"microsoft",	cip_keys,  STAMPER_NONE },
	{ "X-Microsoft-Antispam-Mailbox-Delivery", "microsoft",	wims_keys, STAMPER_NONE },
	{ "CMM-sender-ip",			"microsoft",	bare_keys, STAMPER_NONE },
};

/* The address after one of the keys. */
static int
stamp_ip(const char *value, const char *const *keys, struct ipaddr *ip)
{
	const char *p;
	size_t i, n;

	for (i = 0; keys[i] != NULL; i++) {
		p = *keys[i] == '\0' ? value : strcasestr(value, keys[i]);
		if (p == NULL)
			continue;
		p += strlen(keys[i]);
		while (isspace((unsigned char)*p))
			p++;
		n = strspn(p, "0123456789abcdefABCDEF:.[]IPVipv");
		if (token_ip(p, n, ip) == 0)
			return 0;
	}
	return -1;
}

/* RFC 8601 authserv-id (after ARC's "i=N;"), or the host in Received-SPF's "(host: ...)". */
static char *
stamp_stamper(const char *value, enum stamper_form form)
{
	const char *p = value, *end;

	if (form == STAMPER_AUTHSERV) {
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "i=", 2) == 0 && (p = strchr(p, ';')) != NULL)
			p++;
		if (p == NULL)
			return NULL;
		while (isspace((unsigned char)*p))
			p++;
		end = p + strcspn(p, "; \t");
		/* Microsoft writes no authserv-id: "spf=pass (sender IP is ...)". */
		if (memchr(p, '=', (size_t)(end - p)) != NULL || memchr(p, '(', (size_t)(end - p)))
			return NULL;
		return word_copy(p, end);
	}
	if (form == STAMPER_SPF_COMMENT && (p = strchr(value, '(')) != NULL) {
		p++;
		end = p + strcspn(p, ": )");
		if (*end == ':')
			return word_copy(p, end);
	}
	return NULL;
}

static void
stamp_add(struct walk *w, const struct stamp_kind *kind, const char *name, const char *value,
    size_t above)
{
	struct received_chain *chain = w->chain;
	struct received_stamp *st;
	struct ipaddr ip;

	if (stamp_ip(value, kind->keys, &ip) != 0)
		return;
	chain->stamps = xrealloc(chain->stamps, (chain->nstamps + 1) * sizeof *chain->stamps);
	st = &chain->stamps[chain->nstamps++];
	memset(st, 0, sizeof *st);
	st->name = word_copy(name, name + strlen(name));
	if (st->name == NULL)
		st->name = xstrdup(kind->field);
	st->ip = ip;
	st->above = above;
	st->stamper = stamp_stamper(value, kind->stamper);
}

static const struct stamp_kind *
stamp_kind_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof stamp_kinds / sizeof stamp_kinds[0]; i++)
		if (strcasecmp(name, stamp_kinds[i].field) == 0)
			return &stamp_kinds[i];
	return NULL;
}

/* The providers that received the mail: the receivers at and above the chosen hop, and the
 * senders of the hops skipped as theirs. */
static void
collect_receivers(struct walk *w)
{
	struct received_chain *chain = w->chain;
	size_t i;

	strlist_free(&w->receivers);
	for (i = 0; i < chain->chosen; i++) {
		if (chain->hops[i].provider != NULL)
			strlist_add_unique(&w->receivers, chain->hops[i].provider);
		if ((chain->hops[i].verdict == RECEIVED_INTERNAL ||
		    chain->hops[i].verdict == RECEIVED_FORWARDED) && w->facts[i].sender != NULL)
			strlist_add_unique(&w->receivers, w->facts[i].sender);
	}
	free(chain->provider);
	chain->provider = NULL;
	for (i = 0; i < chain->nhops && chain->provider == NULL; i++)
		if (chain->hops[i].provider != NULL && chain->hops[i].verdict != RECEIVED_RESENT)
			chain->provider = xstrdup(chain->hops[i].provider);
}

/* Believe a stamp only when the provider on top wrote it: above the chosen hop (spam carries
 * forged ones below it), naming none but the provider as its author. */
static void
judge_stamps(struct walk *w)
{
	struct received_chain *chain = w->chain;
	struct received_stamp *st;
	const struct stamp_kind *kind;
	char *provider;
	size_t i;

	collect_receivers(w);
	for (i = 0; i < chain->nstamps; i++) {
		st = &chain->stamps[i];
		kind = stamp_kind_of(st->name);
		free(st->reason);
		st->believed = 0;
		if (chain->chosen == 0)
			st->reason = xstrdup("no hop chosen");
		else if (kind != NULL && kind->owner != NULL) {
			st->believed = strlist_contains(&w->receivers, kind->owner);
			st->reason = xasprintf(st->believed ? "stamped by %s" :
			    "%s is not the provider on top", kind->owner);
		} else if (st->above == 0 || st->above > chain->hops[chain->chosen - 1].position)
			st->reason = xstrdup("below the provider's hops");
		else if ((provider = name_provider(w, st->stamper)) != NULL &&
		    !strlist_contains(&w->receivers, provider)) {
			st->reason = xasprintf("names %s, not the provider", st->stamper);
			free(provider);
		} else {
			free(provider);
			provider = chain->hops[st->above - 1].provider;
			st->believed = 1;
			st->reason = xasprintf("stamped by %s", provider != NULL ? provider :
			    chain->hops[st->above - 1].by_host != NULL ?
			    chain->hops[st->above - 1].by_host : "the receiver");
		}
	}
}

/*
 * The provider names the client it saw. When no believed stamp agrees with the chosen hop but
 * one names the address of a hop further down, the provider's own relays run to that hop (two
 * domains the table does not know, say): choose it.
 */
static void
follow_stamps(struct walk *w)
{
	struct received_chain *chain = w->chain;
	const struct received_stamp *st;
	enum received_verdict verdict;
	size_t i, j, k;
	char *reason;

	if (chain->chosen == 0)
		return;
	for (i = 0; i < chain->nstamps; i++)
		if (chain->stamps[i].believed && ipaddr_equal(&chain->stamps[i].ip, &chain->source_ip))
			return;
	for (i = 0; i < chain->nstamps; i++) {
		st = &chain->stamps[i];
		if (!st->believed)
			continue;
		for (j = chain->chosen; j < chain->nhops; j++)
			if (chain->hops[j].has_ip && ipaddr_equal(&chain->hops[j].ip, &st->ip))
				break;
		if (j == chain->nhops)
			continue;
		for (k = chain->chosen - 1; k < j; k++) {
			verdict = hop_verdict(w, k, &reason);
			if (verdict == RECEIVED_CHOSEN) {
				free(reason);
				verdict = RECEIVED_INTERNAL;
				reason = xasprintf("%s, per %s", chain->hops[k].provider != NULL ?
				    chain->hops[k].provider : "the receiver", st->name);
			}
			set_verdict(&chain->hops[k], verdict, reason);
		}
		choose(w, j);
		judge_stamps(w);
		return;
	}
}

/*
 * No hop was chosen, yet every hop is the receiving site's own (deliveries, its internal
 * relays, reserved addresses), with at least one of them: what the site stamped among those
 * hops, naming one public client and no other, is where the mail came from. Stamps below the
 * hops are the sender's and count for nothing. Returns 1 when it gave the source.
 */
static int
stamp_source(struct walk *w)
{
	struct received_chain *chain = w->chain;
	struct received_stamp *found = NULL, *st;
	size_t i, own = 0;

	if (chain->chosen != 0)
		return 0;
	for (i = 0; i < chain->nhops; i++) {
		switch (chain->hops[i].verdict) {
		case RECEIVED_DELIVERED:
		case RECEIVED_INTERNAL:
			own++;
			break;
		case RECEIVED_PRIVATE:
		case RECEIVED_LOCAL:
		case RECEIVED_NOIP:
			break;
		default:
			return 0;
		}
	}
	if (own == 0)
		return 0;
	for (i = 0; i < chain->nstamps; i++) {
		st = &chain->stamps[i];
		if (st->above == 0 || ipaddr_reserved(&st->ip) != NULL)
			continue;
		if (found != NULL && !ipaddr_equal(&found->ip, &st->ip))
			return 0;
		if (found == NULL)
			found = st;
	}
	if (found == NULL)
		return 0;
	chain->source_ip = found->ip;
	snprintf(chain->rule, sizeof chain->rule, "stamp:%.40s", found->name);
	for (i = 0; i < chain->nstamps; i++) {
		st = &chain->stamps[i];
		if (st->above == 0 || !ipaddr_equal(&found->ip, &st->ip))
			continue;
		st->believed = 1;
		free(st->reason);
		st->reason = xstrdup("stamped among the site's own hops, none of them the entry");
	}
	return 1;
}

int
received_analyse(const struct received_header *headers, size_t n,
    const struct received_trust *trust, struct received_chain *out)
{
	static const struct received_trust no_trust;
	const struct stamp_kind *kind;
	struct received_hop *hop;
	struct walk w;
	const char *name, *forp;
	char *value;
	size_t i, count = 0;
	int resent = 0, stamped;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	if (trust == NULL)
		trust = &no_trust;
	w.trust = trust;
	w.families = trust->families != NULL ? trust->families : families_builtin();
	w.chain = out;
	for (i = 0; i < n; i++)
		if (headers[i].name != NULL && strcasecmp(headers[i].name, "Received") == 0)
			count++;
	out->hops = xcalloc(count > 0 ? count : 1, sizeof *out->hops);
	w.facts = xcalloc(count > 0 ? count : 1, sizeof *w.facts);
	for (i = 0; i < n; i++) {
		name = headers[i].name;
		if (name == NULL || headers[i].value == NULL)
			continue;
		/* Redirected or bounced mail (RFC 5322 section 3.6.6): the Received fields above
		 * the first Resent-* block are the redirect's own path. */
		if (!resent && strncasecmp(name, "Resent-", 7) == 0) {
			resent = 1;
			w.resent = out->nhops;
		}
		value = text_safe_line(headers[i].value, strlen(headers[i].value));
		if (strcasecmp(name, "Received") == 0) {
			hop = &out->hops[out->nhops];
			hop->position = out->nhops + 1;
			hop_parse(value, hop, &w.facts[out->nhops]);
			hop->provider = receiver_provider(&w, hop->by_host);
			sender_provider(&w, hop, &w.facts[out->nhops]);
			forp = word_at_top(value, clauses_end(value), "for");
			if (forp != NULL)
				add_recipients(&w, forp, &w.recipients);
			out->nhops++;
		} else if (name_in(recipient_fields, name, strlen(name)))
			add_recipients(&w, value, &w.recipients);
		else if ((kind = stamp_kind_of(name)) != NULL)
			stamp_add(&w, kind, name, value, out->nhops + 1);
		free(value);
	}
	for (i = 0; i < out->nstamps; i++)
		if (out->stamps[i].above > out->nhops)
			out->stamps[i].above = 0;
	walk_chain(&w, 0);
	judge_stamps(&w);
	follow_stamps(&w);
	stamped = stamp_source(&w);
	for (i = 0; i < out->nhops; i++)
		free(w.facts[i].sender);
	free(w.facts);
	for (i = 0; i < w.nmemo; i++) {
		free(w.memo[i].name);
		free(w.memo[i].provider);
	}
	free(w.memo);
	strlist_free(&w.recipients);
	strlist_free(&w.receivers);
	return out->chosen > 0 || stamped ? 0 : -1;
}

void
received_chain_free(struct received_chain *chain)
{
	size_t i;

	for (i = 0; i < chain->nhops; i++) {
		free(chain->hops[i].from_host);
		free(chain->hops[i].from_rdns);
		free(chain->hops[i].helo);
		free(chain->hops[i].by_host);
		free(chain->hops[i].with);
		free(chain->hops[i].provider);
		free(chain->hops[i].reason);
	}
	free(chain->hops);
	for (i = 0; i < chain->nstamps; i++) {
		free(chain->stamps[i].name);
		free(chain->stamps[i].stamper);
		free(chain->stamps[i].reason);
	}
	free(chain->stamps);
	free(chain->provider);
	memset(chain, 0, sizeof *chain);
}
