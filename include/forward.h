/* forward.h: the original spam quoted in a complaint's text, and SpamCop's source line. */
#ifndef ARFDESK_FORWARD_H
#define ARFDESK_FORWARD_H

#include <stddef.h>

/* Does the text start (after blank lines) with a "Name:" header line? Localized names count
 * ("Betreff:", "Objet :", "\u00c0:"), as do names in UTF-8 letters. */
int	 forward_looks_like_headers(const char *, size_t);
/* Where the quoted original starts in a body text (NUL-terminated, LF line ends), or NULL:
 * after a forward marker of Gmail, Outlook, OWA, Apple Mail, Thunderbird (en, de, fr, nl, es,
 * it), or pasted headers; pasted HTML is read as text lines. A position in text. */
const char *forward_start(const char *text);
/* The quoted original from forward_start, made parseable: pasted HTML's header block as text,
 * "> " quoting removed, lost header folding restored, localized header names made English,
 * Outlook's "[mailto:a@b]" an address, a pasted date RFC 5322 or left out. A new string. */
char	*forward_text(const char *start);
/* The address of SpamCop's "Email from ADDRESS / date" line, as written, or NULL. */
char	*forward_spamcop_source(const char *text);

#endif
