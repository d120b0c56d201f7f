/* words.h: what the complainant's own words say: the one address a note or a notice names as
 * the spam's source ("Please stop spamming from ip 192.0.2.7", "(192.0.2.7) was the source of
 * spam"). Inside the parser only. */
#ifndef ARFDESK_WORDS_H
#define ARFDESK_WORDS_H

#include "ipaddr.h"

/*
 * The one public address the words name, into *ip: 1 when they name exactly one (however many
 * times), 0 when none or several. With spam_near, an address counts only when the word "spam"
 * (or "spamming", "Spam/Scam", any case) stands within 400 bytes of it: a notice's sentence or
 * list about the source, not an address in passing.
 */
int	 words_source_ip(const char *words, int spam_near, struct ipaddr *ip);
/* Does the text write the address (in any of its forms), standing alone? */
int	 words_mention(const char *text, const struct ipaddr *ip);

#endif
