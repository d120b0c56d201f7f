/* cmdline.c: split a command line (the prompt's, a binding's) into words, and join them back. */

#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"

int
cmdline_split(const char *line, struct strlist *out, char **err)
{
	struct buf word;
	const char *p = line;
	char quote = 0;
	int in_word = 0;

	*err = NULL;
	buf_init(&word);
	for (;; p++) {
		if (quote == 0 && (*p == '\0' || *p == ' ' || *p == '\t' || *p == '\n')) {
			if (in_word)
				strlist_add(out, word.data);
			buf_reset(&word);
			in_word = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '\0') {
			*err = xasprintf("no closing %c quote", quote);
			buf_free(&word);
			return -1;
		}
		if (quote == 0 && *p == '#' && !in_word)
			break;
		if (quote != '\'' && *p == '\\' && p[1] != '\0') {
			buf_addc(&word, *++p);
			in_word = 1;
			continue;
		}
		if (quote == 0 && (*p == '\'' || *p == '"')) {
			quote = *p;
			in_word = 1;
			continue;
		}
		if (quote != 0 && *p == quote) {
			quote = 0;
			continue;
		}
		buf_addc(&word, *p);
		in_word = 1;
	}
	buf_free(&word);
	return 0;
}

char *
cmdline_join(char *const *words, size_t n)
{
	struct buf line;
	const char *w;
	size_t i;

	buf_init(&line);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&line, ' ');
		w = words[i];
		if (*w != '\0' && strpbrk(w, " \t\n'\"\\#") == NULL) {
			buf_adds(&line, w);
			continue;
		}
		/* Single quotes keep everything but a single quote, written '\''. */
		buf_addc(&line, '\'');
		for (; *w != '\0'; w++)
			if (*w == '\'')
				buf_adds(&line, "'\\''");
			else
				buf_addc(&line, *w);
		buf_addc(&line, '\'');
	}
	return buf_steal(&line);
}
