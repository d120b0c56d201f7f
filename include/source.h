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

/* How an mbox escapes body lines that start with "From ": mboxrd adds a ">" to every line
 * that matches ">*From " (undone exactly); mboxo only to "From " lines (">From " is undone,
 * deeper ones are kept as they are). */
enum mbox_format { MBOX_RD, MBOX_O };

struct source_opts {
	uint64_t	 max_size;	/* larger messages are refused, and not held in memory */
	enum mbox_format mbox_format;
	/* Called before a read that would wait for input (a pipe), or NULL. */
	void		(*idle)(void *);
	void		*idle_arg;
};

/* Return 0 to go on, anything else to stop the walk with that value. */
typedef int (*source_fn)(const struct source_msg *, void *);

/*
 * Read every message under path ("-" for standard input). Messages larger than max_size are
 * passed with refused set. An entry that cannot be read (or a read error inside one) is
 * reported, counted in *errors, and the walk goes on. Returns 0, or the callback's non-zero
 * value (the walk stopped there). Inside directories only regular files are read and links to
 * directories are not followed.
 */
int	 source_read(const char *path, const struct source_opts *, source_fn, void *,
	    long *errors);

/* Never import this file (the database and its WAL files, should they be under a path). */
void	 source_skip(const char *path);

#endif
