/* forward.h: the original spam quoted in a complaint's text, and the sources SpamCop names. */
#ifndef ARFDESK_FORWARD_H
#define ARFDESK_FORWARD_H

#include <stddef.h>

struct strlist;

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
/* The most addresses forward_spamcop_sources gives. */
#define FORWARD_MAX_SOURCES	1000
/* The addresses SpamCop's text names as the spam's sources, as written, in order and each once,
 * onto out: that of every "Email from ADDRESS / date" line (a digest relaying several reports
 * has one each) and the first column of a summary report's table (the rows after its
 * "IP_Address Start/Length ..." line). Quoting ("> ") is looked through; only what looks like
 * an address counts (the caller parses it). Returns 0, or -1 when it stopped at
 * FORWARD_MAX_SOURCES. */
int	 forward_spamcop_sources(const char *text, struct strlist *out);

#endif
