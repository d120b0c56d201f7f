/* source.c: reads local mail. A path is standard input ("-"), a Maildir (it has cur/ or new/), a
 * directory of message files (walked in name order), an mbox (it starts with "From "), or one
 * message file. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "source.h"
#include "util.h"

struct reader {
	const struct source_opts *opts;
	uint64_t	 max_size;
	enum mbox_format mbox_format;
	source_fn	 fn;
	void		*arg;
	long		 errors;	/* entries that could not be read: reported, walk goes on */
};

/* Files never to import: the database itself and its WAL files, when they sit in an imported
 * directory. */
static struct {
	dev_t	dev;
	ino_t	ino;
}		skip_files[4];
static size_t	nskip_files;

void
source_skip(const char *path)
{
	struct stat st;

	if (nskip_files < sizeof skip_files / sizeof skip_files[0] && stat(path, &st) == 0) {
		skip_files[nskip_files].dev = st.st_dev;
		skip_files[nskip_files++].ino = st.st_ino;
	}
}

static int
is_skipped(const struct stat *st)
{
	size_t i;

	for (i = 0; i < nskip_files; i++)
		if (skip_files[i].dev == st->st_dev && skip_files[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* An entry that cannot be read is reported and counted; the walk goes on to the next one. A read
 * cut short by a signal stops the walk quietly: the importer says what happened. */
static int
entry_failed(struct reader *rd, const char *path, const char *why)
{
	if (errno == EINTR)
		return 2;
	msg_error("%s: %s", path, why);
	rd->errors++;
	return 0;
}

static int
deliver(struct reader *rd, const char *source, const char *position, const char *data,
    size_t len, const char *refused)
{
	struct source_msg m = { source, position, data, len, refused };

	return rd->fn(&m, rd->arg);
}

/*
 * A line reader over a file descriptor with a buffer of fixed size, so that memory stays
 * bounded however long a line is: a longer line comes in pieces. read(2), not stdio, so that a
 * message arriving through a pipe is handed on once it is there, not when 64 kB more have come.
 */
#define LINES_BUF	65536

struct lines {
	int		 fd;
	char		*buf;
	size_t		 start;		/* unread bytes are buf[start..end) */
	size_t		 end;
	int		 eof;
	uint64_t	 offset;	/* of buf[start] in the input */
	const struct source_opts *opts;	/* its idle callback, before a read that would wait */
};

static void
lines_init(struct lines *l, int fd, const struct source_opts *opts)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
	l->buf = xmalloc(LINES_BUF);
	l->opts = opts;
}

static void
lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

/* Read more input behind what is unread. Returns 0, or -1 on a read error (errno). */
static int
lines_fill(struct lines *l)
{
	ssize_t n;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	if (l->end == LINES_BUF || l->eof)
		return 0;
	if (l->opts->idle != NULL) {
		struct pollfd pfd = { l->fd, POLLIN, 0 };

		/* Input is slow (a pipe, a terminal): let what was read go on meanwhile. */
		if (poll(&pfd, 1, 0) == 0)
			l->opts->idle(l->opts->idle_arg);
	}
	n = read(l->fd, l->buf + l->end, LINES_BUF - l->end);
	if (n < 0)
		return -1;
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return 0;
}

/* Make at least want bytes readable unless the input ends first. Returns 0 or -1. */
static int
lines_peek(struct lines *l, size_t want)
{
	while (l->end - l->start < want && !l->eof)
		if (lines_fill(l) != 0)
			return -1;
	return 0;
}

/*
 * The next line, or the next piece of a long one, in *p and *n; *more is set when the line goes
 * on in the next piece. A piece that starts a line holds the whole line or a full buffer.
 * Returns 1, 0 at the end of the input, or -1 on a read error (errno).
 */
static int
lines_next(struct lines *l, const char **p, size_t *n, int *more)
{
	const char *nl;
	size_t avail;

	for (;;) {
		avail = l->end - l->start;
		nl = memchr(l->buf + l->start, '\n', avail);
		if (nl != NULL || avail == LINES_BUF || (l->eof && avail > 0)) {
			*p = l->buf + l->start;
			*n = nl != NULL ? (size_t)(nl - *p) + 1 : avail;
			*more = nl == NULL && !(l->eof && l->end - l->start == *n);
			l->start += *n;
			l->offset += *n;
			return 1;
		}
		if (l->eof)
			return 0;
		if (lines_fill(l) != 0)
			return -1;
	}
}

static int
is_from_line(const char *line, size_t len)
{
	return len >= 5 && memcmp(line, "From ", 5) == 0;
}

static int
is_blank_line(const char *line, size_t len)
{
	return (len == 1 && line[0] == '\n') || (len == 2 && line[0] == '\r' && line[1] == '\n');
}

/* Does this line carry an escaped "From " to undo: ">From " (mboxo, mboxrd) or ">>From " and
 * deeper (mboxrd only, where every such line got one more ">")? */
static int
is_escaped_from(const char *line, size_t len, enum mbox_format format)
{
	size_t i = 0;

	while (i < len && line[i] == '>')
		i++;
	if (i == 0 || (i > 1 && format != MBOX_RD))
		return 0;
	return is_from_line(line + i, len - i);
}

/* Hand on one message of an mbox, or its refusal. When an empty line ended it, that line is
 * the separator, not part of the message. */
static int
mbox_deliver(struct reader *rd, const char *path, uint64_t start, struct buf *msg,
    const char *refused, int ends_blank)
{
	char position[40];

	if (ends_blank && msg->len > 0 && msg->data[msg->len - 1] == '\n')
		msg->data[--msg->len] = '\0';
	if (ends_blank && msg->len > 0 && msg->data[msg->len - 1] == '\r')
		msg->data[--msg->len] = '\0';

	snprintf(position, sizeof position, "offset:%llu", (unsigned long long)start);
	return deliver(rd, path, position, refused != NULL ? NULL : msg->data != NULL ?
	    msg->data : "", refused != NULL ? 0 : msg->len, refused);
}

/*
 * Split an mbox: a message starts after a "From " line that opens the input or follows an
 * empty line, and ends before the empty line ahead of the next one; the empty line that ends
 * the last message is the separator too, so a message's bytes do not depend on where in the
 * file it is (an mbox that grows is read again without a duplicate). Escaped ">From " lines are
 * undone as the format says. A message over max_size is refused as soon as it passes it and
 * the rest of it is skipped, not held. GMime has an mbox mode, but it builds every message's
 * MIME tree; only the boundaries are wanted here, and the parser runs once per message later.
 */
static int
read_mbox(struct reader *rd, const char *path, struct lines *l)
{
	struct buf msg;
	const char *line;
	size_t n;
	uint64_t start = 0, line_at;
	int more, at_line_start = 1, prev_blank = 1, in_msg = 0, in_from = 0, rc = 0, got, err;
	char *refused = NULL, *why;

	buf_init(&msg);
	for (;;) {
		line_at = l->offset;
		got = lines_next(l, &line, &n, &more);
		if (got <= 0)
			break;
		if (!at_line_start) {
			/* The rest of a long line. */
			at_line_start = !more;
			if (in_from || refused != NULL)
				continue;
		} else if (prev_blank && is_from_line(line, n)) {
			if (in_msg) {
				/* A "From " line counts only after an empty line: the separator. */
				rc = mbox_deliver(rd, path, start, &msg, refused, 1);
				free(refused);
				refused = NULL;
				if (rc != 0)
					goto done;
			}
			buf_reset(&msg);
			in_msg = 1;
			in_from = more;
			start = line_at;
			prev_blank = 0;
			at_line_start = !more;
			continue;
		} else {
			in_from = 0;
			prev_blank = !more && is_blank_line(line, n);
			at_line_start = !more;
			if (is_escaped_from(line, n, rd->mbox_format)) {
				line++;
				n--;
			}
		}
		if (!in_msg || refused != NULL)
			continue;
		if (msg.len + n > rd->max_size) {
			refused = xasprintf("larger than max_message_size (%llu bytes)",
			    (unsigned long long)rd->max_size);
			buf_free(&msg);
			buf_init(&msg);
			continue;
		}
		buf_add(&msg, line, n);
	}
	if (got < 0) {
		/* What was read of this message is not the message: it is not stored. */
		err = errno;
		why = in_msg ? xasprintf("read error at byte %llu (in the message from byte "
		    "%llu, not imported): %s", (unsigned long long)l->offset,
		    (unsigned long long)start, strerror(errno)) : xasprintf("read error at "
		    "byte %llu: %s", (unsigned long long)l->offset, strerror(errno));
		errno = err;
		rc = entry_failed(rd, path, why);
		free(why);
	} else if (in_msg) {
		rc = mbox_deliver(rd, path, start, &msg, refused, prev_blank);
	}
done:
	free(refused);
	buf_free(&msg);
	return rc;
}

/*
 * One message, the whole input, or a refusal as soon as it is larger than max_size (what is
 * left of it is not read). Empty standard input is nothing to import, not an empty message.
 */
static int
read_single(struct reader *rd, const char *path, const char *position, struct lines *l,
    int is_stdin)
{
	struct buf data;
	const char *piece;
	size_t n;
	int more, got, rc, err;
	char *why;

	buf_init(&data);
	while ((got = lines_next(l, &piece, &n, &more)) > 0) {
		if (data.len + n > rd->max_size) {
			buf_free(&data);
			why = xasprintf("larger than max_message_size (%llu bytes)",
			    (unsigned long long)rd->max_size);
			rc = deliver(rd, path, position, NULL, 0, why);
			free(why);
			return rc;
		}
		buf_add(&data, piece, n);
	}
	if (got < 0) {
		err = errno;
		buf_free(&data);
		why = xasprintf("read error at byte %llu: %s", (unsigned long long)l->offset,
		    strerror(err));
		errno = err;
		rc = entry_failed(rd, is_stdin ? "standard input" : path, why);
		free(why);
		return rc;
	}
	if (is_stdin && data.len == 0) {
		msg_warn("standard input is empty; nothing to import");
		buf_free(&data);
		return 0;
	}
	rc = deliver(rd, path, position, data.data != NULL ? data.data : "", data.len, NULL);
	buf_free(&data);
	return rc;
}

/* An open file or standard input: an mbox when it starts with "From ", else one message. */
static int
read_fd(struct reader *rd, const char *path, const char *position, int fd, int is_stdin)
{
	struct lines l;
	struct stat st;
	char *why;
	int rc, err;

	lines_init(&l, fd, rd->opts);
	if (lines_peek(&l, 5) != 0) {
		err = errno;
		why = xasprintf("read error: %s", strerror(err));
		errno = err;
		rc = entry_failed(rd, is_stdin ? "standard input" : path, why);
		free(why);
	} else if (is_from_line(l.buf + l.start, l.end - l.start))
		rc = read_mbox(rd, path, &l);
	else if (!is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > rd->max_size) {
		why = xasprintf("%lld bytes, larger than max_message_size (%llu bytes)",
		    (long long)st.st_size, (unsigned long long)rd->max_size);
		rc = deliver(rd, path, position, NULL, 0, why);
		free(why);
	} else
		rc = read_single(rd, path, position, &l, is_stdin);
	lines_free(&l);
	return rc;
}

static int
read_file(struct reader *rd, const char *path, const char *position)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return entry_failed(rd, path, strerror(errno));
	rc = read_fd(rd, path, position, fd, 0);
	close(fd);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory except dot files, sorted by name. */
static int
list_dir(const char *path, struct strlist *names)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			strlist_add(names, de->d_name);
	closedir(d);
	if (names->count > 1)
		qsort(names->items, names->count, sizeof *names->items, name_cmp);
	return 0;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int read_path(struct reader *, const char *, int, int);

static int
read_maildir(struct reader *rd, const char *path)
{
	static const char *const subdirs[] = { "cur", "new" };
	struct strlist names = { 0 };
	char *dir, *file, *unique;
	struct stat st;
	size_t i, k;
	int rc = 0;

	for (k = 0; k < 2 && rc == 0; k++) {
		dir = xasprintf("%s/%s", path, subdirs[k]);
		if (!is_dir(dir)) {
			free(dir);
			continue;
		}
		if (list_dir(dir, &names) != 0) {
			rc = entry_failed(rd, dir, strerror(errno));
			free(dir);
			continue;
		}
		for (i = 0; i < names.count && rc == 0; i++) {
			file = xasprintf("%s/%s", dir, names.items[i]);
			/* The unique part of the name; flags after ":2," change when mail is read. */
			unique = xstrndup(names.items[i], strcspn(names.items[i], ":"));
			if (stat(file, &st) != 0)
				rc = entry_failed(rd, file, strerror(errno));
			else if (S_ISREG(st.st_mode) && !is_skipped(&st))
				rc = read_file(rd, file, unique);
			free(unique);
			free(file);
		}
		strlist_free(&names);
		free(dir);
	}
	return rc;
}

/*
 * A path given on the command line is read whatever it is (a FIFO too); inside a directory only
 * regular files are, and links to directories are not followed (no loops, no surprises).
 */
static int
read_path(struct reader *rd, const char *path, int depth, int given)
{
	struct strlist names = { 0 };
	struct stat st, lst;
	char *sub, *cur, *new;
	size_t i;
	int rc = 0, maildir;

	if (stat(path, &st) != 0)
		return entry_failed(rd, path, strerror(errno));
	if (!given && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && S_ISDIR(st.st_mode)) {
		msg_warn("%s: a link to a directory; not followed", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!given && !S_ISREG(st.st_mode)) {
			msg_warn("%s: not a regular file; skipped", path);
			return 0;
		}
		if (is_skipped(&st))
			return 0;
		return read_file(rd, path, NULL);
	}
	cur = xasprintf("%s/cur", path);
	new = xasprintf("%s/new", path);
	maildir = is_dir(cur) || is_dir(new);
	free(cur);
	free(new);
	if (maildir)
		return read_maildir(rd, path);
	if (depth > 32)
		return entry_failed(rd, path, "directories nested too deep");
	if (list_dir(path, &names) != 0)
		return entry_failed(rd, path, strerror(errno));
	for (i = 0; i < names.count && rc == 0; i++) {
		sub = xasprintf("%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
		    names.items[i]);
		rc = read_path(rd, sub, depth + 1, 0);
		free(sub);
	}
	strlist_free(&names);
	return rc;
}

int
source_read(const char *path, const struct source_opts *opts, source_fn fn, void *arg,
    long *errors)
{
	struct reader rd = { opts, opts->max_size, opts->mbox_format, fn, arg, 0 };
	int rc;

	/* Standard input is read as it comes: an mbox streamed, or one message. */
	rc = strcmp(path, "-") == 0 ? read_fd(&rd, "-", NULL, STDIN_FILENO, 1) :
	    read_path(&rd, path, 0, 1);
	*errors += rd.errors;
	return rc;
}
