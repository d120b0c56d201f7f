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
 * passed with refused set. An entry that cannot be read is reported and the walk goes on.
 * Returns 0, the callback's non-zero value (the walk stopped there), or -1 when some entry could
 * not be read. Inside directories only regular files are read and links to directories are not
 * followed.
 */
int	 source_read(const char *path, uint64_t max_size, source_fn, void *);

/* Never import this file (the database and its WAL files, should they be under a path). */
void	 source_skip(const char *path);

#endif
