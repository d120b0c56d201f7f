/* html-text.h: pasted HTML (a text/plain part carrying markup, headers copied from a web view)
 * made text lines, with where each line came from. */
#ifndef ARFDESK_HTML_TEXT_H
#define ARFDESK_HTML_TEXT_H

#include <stddef.h>

/* For each line of the text made from HTML: where it starts there, and where its first
 * character came from in the HTML (SIZE_MAX: a line of white space). */
struct html_line {
	size_t	out;
	size_t	src;
};

struct html_lines {
	struct html_line *lines;
	size_t		  n;
	size_t		  cap;
};

/* Does the text hold HTML line structure (<br>, <p>, <div>, ...) or escaped angle brackets? */
int	 html_text_looks_like(const char *text);
/* Text lines from the HTML of len bytes at text: <br> ends a line, block elements start one,
 * </p> leaves a blank line, <hr> is Outlook's rule, other tags go, entities are decoded. With
 * map, also where each line came from (free map->lines). A new string. */
char	*html_text_lines(const char *text, size_t len, struct html_lines *map);
/* Where the line of the converted text holding offset off came from in the HTML, or
 * SIZE_MAX. */
size_t	 html_text_source(const struct html_lines *map, size_t off);

#endif
