/* forward.h: the original spam quoted in a complaint's text, and SpamCop's source line. */
#ifndef ARFDESK_FORWARD_H
#define ARFDESK_FORWARD_H

#include <stddef.h>

/* Does the text start (after blank lines) with a "Name:" header line? */
int	 forward_looks_like_headers(const char *, size_t);
/* Where the quoted original starts in a body text (NUL-terminated, LF line ends), or NULL. */
const char *forward_start(const char *text);
/* The quoted original from forward_start, made parseable: "> " quoting removed, lost header
 * folding restored. A new string. */
char	*forward_text(const char *start);
/* The address of SpamCop's "Email from ADDRESS / date" line, as written, or NULL. */
char	*forward_spamcop_source(const char *text);

#endif
