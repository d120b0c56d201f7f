/* text-scan.c: scanning UTF-8 text byte by byte without the locale: ASCII case, the no-break
 * spaces of French typography and HTML, white space, line ends. */

#include <stddef.h>
#include <string.h>

#include "text-scan.h"

/* Do n bytes at p equal word, without regard to ASCII case? */
int
text_scan_same_ci(const char *p, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ASCII_LOWER((unsigned char)p[i]) != ASCII_LOWER((unsigned char)word[i]))
			return 0;
	return 1;
}

/* Does the text at p (end bounding it) start with word, without regard to ASCII case? */
int
text_scan_prefix_ci(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && text_scan_same_ci(p, n, word);
}

/* The length of a no-break space at p (U+00A0 or the narrow U+202F French typography uses). */
size_t
text_scan_nbsp_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;

	if (end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (end - p >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
		return 3;
	return 0;
}

/* Past white space: blanks, tabs, CR and no-break spaces. */
const char *
text_scan_skip_space(const char *p, const char *end)
{
	size_t n;

	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		else if ((n = text_scan_nbsp_len(p, end)) > 0)
			p += n;
		else
			return p;
	}
}

/* The end of p..end without trailing white space. */
const char *
text_scan_trim_end(const char *p, const char *end)
{
	for (;;) {
		if (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		else if (end - p >= 2 && text_scan_nbsp_len(end - 2, end) == 2)
			end -= 2;
		else if (end - p >= 3 && text_scan_nbsp_len(end - 3, end) == 3)
			end -= 3;
		else
			return end;
	}
}

/* The end of the line at p: its '\n' or the terminating NUL. */
const char *
text_scan_line_end(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl != NULL ? nl : p + strlen(p);
}
