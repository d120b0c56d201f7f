/* cmdline.h: a command line as the console's prompt, its key bindings and the config's bind
 * lines write it, split into words: white space separates, 'single' and "double" quotes keep
 * it, a backslash takes the next character as it is (outside single quotes), and # after white
 * space starts a comment. One parser for all three. */
#ifndef ARFDESK_CMDLINE_H
#define ARFDESK_CMDLINE_H

#include "util.h"

/* Split line into words (appended to out). Returns 0, or -1 with the reason in *err (to
 * free): an unclosed quote. */
int	 cmdline_split(const char *line, struct strlist *out, char **err);
/* The words back as one line that cmdline_split reads as the same words (quoted where
 * needed). To free. */
char	*cmdline_join(char *const *words, size_t n);

#endif
