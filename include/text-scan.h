/* text-scan.h: scanning UTF-8 text byte by byte without the locale (forwards, pasted HTML and
 * dates): ASCII case, no-break spaces, white space, line ends. */
#ifndef ARFDESK_TEXT_SCAN_H
#define ARFDESK_TEXT_SCAN_H

#include <stddef.h>

/* Locale-free ASCII tests: the text is UTF-8 whatever LC_CTYPE says. */
#define ASCII_ALPHA(c)	(((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z'))
#define ASCII_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define ASCII_LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))

/* Do n bytes at p equal word, without regard to ASCII case? */
int	 text_scan_same_ci(const char *p, size_t n, const char *word);
/* Does the text at p (end bounding it) start with word, without regard to ASCII case? */
int	 text_scan_prefix_ci(const char *p, const char *end, const char *word);
/* The length of a no-break space at p (U+00A0, or U+202F), or 0. */
size_t	 text_scan_nbsp_len(const char *p, const char *end);
/* Past white space: blanks, tabs, CR and no-break spaces. */
const char *text_scan_skip_space(const char *p, const char *end);
/* The end of p..end without trailing white space. */
const char *text_scan_trim_end(const char *p, const char *end);
/* The end of the line at p: its '\n' or the terminating NUL. */
const char *text_scan_line_end(const char *p);

#endif
