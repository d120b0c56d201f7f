/* source.c: reads local mail. A path is standard input ("-"), a Maildir (it has cur/ or new/), a
 * directory of message files (walked in name order), an mbox (it starts with "From "), or one
 * message file. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "source.h"
#include "util.h"

struct reader {
	uint64_t	 max_size;
	source_fn	 fn;
	void		*arg;
	int		 failed;	/* an entry could not be read: reported, walk goes on */
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
	cmd_error("%s: %s", path, why);
	rd->failed = 1;
	return 0;
}

static int
deliver(struct reader *rd, const char *source, const char *position, const char *data,
    size_t len, const char *refused)
{
	struct source_msg m = { source, position, data, len, refused };

	return rd->fn(&m, rd->arg);
}

/* Read a whole stream of at most max bytes; *too_big when there was more. */
static int
read_all(FILE *f, uint64_t max, struct buf *out, int *too_big)
{
	char chunk[65536];
	size_t n;

	*too_big = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > max) {
			*too_big = 1;
			return 0;
		}
		buf_add(out, chunk, n);
	}
	return ferror(f) ? -1 : 0;
}

static int
is_from_line(const char *line, size_t len)
{
	return len >= 5 && memcmp(line, "From ", 5) == 0;
}

/*
 * Split an mbox: a message starts after a "From " line that opens the file or follows an empty
 * line, and ends before the empty line ahead of the next one. GMime has an mbox mode too, but it
 * builds every message's MIME tree; only the boundaries are wanted here, and the parser runs once
 * per message later anyway.
 */
static int
read_mbox(struct reader *rd, const char *path, FILE *f, char *first, ssize_t first_len)
{
	struct buf msg;
	char *line = first, position[40];
	size_t cap = first != NULL ? (size_t)first_len + 1 : 0;
	ssize_t n;
	off_t offset = 0, start = 0;
	int prev_blank = 1, in_msg = 0, too_big = 0, rc = 0;
	char *refused = NULL;

	buf_init(&msg);
	/* The caller may have read the first line already, to see that this is an mbox. */
	while ((n = first != NULL ? first_len : getline(&line, &cap, f)) >= 0) {
		first = NULL;
		if (prev_blank && is_from_line(line, (size_t)n)) {
			if (in_msg) {
				/* The blank line before "From " belongs to the separator. */
				if (msg.len > 0 && msg.data[msg.len - 1] == '\n')
					msg.data[--msg.len] = '\0';
				if (msg.len > 0 && msg.data[msg.len - 1] == '\r')
					msg.data[--msg.len] = '\0';
				snprintf(position, sizeof position, "offset:%lld", (long long)start);
				rc = deliver(rd, path, position, too_big ? NULL : msg.data,
				    too_big ? 0 : msg.len, refused);
				free(refused);
				refused = NULL;
				if (rc != 0)
					goto done;
			}
			buf_reset(&msg);
			in_msg = 1;
			too_big = 0;
			start = offset;
			offset += n;
			prev_blank = 0;
			continue;
		}
		offset += n;
		prev_blank = (n == 1 && line[0] == '\n') || (n == 2 && line[0] == '\r');
		if (!in_msg || too_big)
			continue;
		if (msg.len + (size_t)n > rd->max_size) {
			too_big = 1;
			refused = xasprintf("larger than max_message_size (%llu bytes)",
			    (unsigned long long)rd->max_size);
			buf_reset(&msg);
			continue;
		}
		buf_add(&msg, line, (size_t)n);
	}
	if (ferror(f))
		rc = entry_failed(rd, path, strerror(errno));
	else if (in_msg) {
		snprintf(position, sizeof position, "offset:%lld", (long long)start);
		rc = deliver(rd, path, position, too_big ? NULL : msg.data, too_big ? 0 : msg.len,
		    refused);
	}
done:
	free(refused);
	free(line);
	buf_free(&msg);
	return rc;
}

/* One file: an mbox when it starts with "From ", else a single message. */
static int
read_file(struct reader *rd, const char *path, const char *position)
{
	struct buf data;
	struct stat st;
	FILE *f;
	char head[5];
	size_t n;
	int rc, too_big;
	char *why;

	f = fopen(path, "rb");
	if (f == NULL)
		return entry_failed(rd, path, strerror(errno));
	n = fread(head, 1, sizeof head, f);
	rewind(f);
	if (n == sizeof head && memcmp(head, "From ", 5) == 0) {
		rc = read_mbox(rd, path, f, NULL, 0);
		fclose(f);
		return rc;
	}
	if (fstat(fileno(f), &st) == 0 && (uint64_t)st.st_size > rd->max_size) {
		fclose(f);
		why = xasprintf("%lld bytes, larger than max_message_size (%llu bytes)",
		    (long long)st.st_size, (unsigned long long)rd->max_size);
		rc = deliver(rd, path, position, NULL, 0, why);
		free(why);
		return rc;
	}
	buf_init(&data);
	if (read_all(f, rd->max_size, &data, &too_big) != 0) {
		fclose(f);
		buf_free(&data);
		return entry_failed(rd, path, strerror(errno));
	}
	fclose(f);
	if (too_big) {
		why = xasprintf("larger than max_message_size (%llu bytes)",
		    (unsigned long long)rd->max_size);
		rc = deliver(rd, path, position, NULL, 0, why);
		free(why);
	} else
		rc = deliver(rd, path, position, data.data != NULL ? data.data : "", data.len, NULL);
	buf_free(&data);
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
		cmd_warn("%s: a link to a directory; not followed", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!given && !S_ISREG(st.st_mode)) {
			cmd_warn("%s: not a regular file; skipped", path);
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

/* Standard input: an mbox (streamed, any size) when its first line is a "From " line, else one
 * message (at most max_message_size). */
static int
read_stdin(struct reader *rd)
{
	struct buf data;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc, too_big;

	n = getline(&line, &cap, stdin);
	if (n >= 5 && memcmp(line, "From ", 5) == 0)
		return read_mbox(rd, "-", stdin, line, n);
	buf_init(&data);
	if (n > 0)
		buf_add(&data, line, (size_t)n);
	free(line);
	too_big = 0;
	if ((n >= 0 && read_all(stdin, rd->max_size, &data, &too_big) != 0) || ferror(stdin)) {
		buf_free(&data);
		return entry_failed(rd, "standard input", strerror(errno));
	}
	if (data.len == 0 && !too_big) {
		/* Nothing was given: not an empty message to keep. */
		cmd_warn("standard input is empty; nothing to import");
		buf_free(&data);
		return 0;
	}
	if (too_big || data.len > rd->max_size) {
		char *why = xasprintf("more than max_message_size (%llu bytes)",
		    (unsigned long long)rd->max_size);

		rc = deliver(rd, "-", NULL, NULL, 0, why);
		free(why);
	} else
		rc = deliver(rd, "-", NULL, data.data != NULL ? data.data : "", data.len, NULL);
	buf_free(&data);
	return rc;
}

int
source_read(const char *path, uint64_t max_size, source_fn fn, void *arg)
{
	struct reader rd = { max_size, fn, arg, 0 };
	int rc;

	rc = strcmp(path, "-") == 0 ? read_stdin(&rd) : read_path(&rd, path, 0, 1);
	return rc != 0 ? rc : rd.failed ? -1 : 0;
}
