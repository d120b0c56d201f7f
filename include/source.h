/* source.h: local mail sources. Each yields raw messages with a stable position: single files,
 * directories, Maildir folders, mbox files and standard input. (IMAP comes with fetch.) */
#ifndef ARFDESK_SOURCE_H
#define ARFDESK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct source_msg {
	const char	*source;	/* the file path, or "-" */
	const char	*position;	/* Maildir unique name, "offset:N" in an mbox, or NULL */
	const char	*data;		/* NULL when refused */
	size_t		 len;
	const char	*refused;	/* why it was not read (too large), or NULL */
};

/* Return 0 to go on, anything else to stop the walk with that value. */
typedef int (*source_fn)(const struct source_msg *, void *);

/*
 * Read every message under path ("-" for standard input). Messages larger than max_size are
 * passed with refused set. Returns 0, the callback's non-zero value, or -1 when the path could
 * not be read (reported).
 */
int	 source_read(const char *path, uint64_t max_size, source_fn, void *);

#endif
