/* tui.c: the console: its loop, views, keys, prompt, status line, and commands run as children. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "cmd.h"
#include "cmdline.h"
#include "conf.h"
#include "draw.h"
#include "loop.h"
#include "msg.h"
#include "store.h"
#include "tui.h"
#include "util.h"
#include "view.h"

/* How often the store is asked whether another process wrote to it. */
#define WATCH_MS	1000
#define MESSAGES_MAX	1000
#define VIEWS_MAX	32

struct binding {
	int		 key;
	char		*command;
};

/* A command run as a child of the console: its output and errors as they arrive. */
struct job {
	struct tui	*tui;
	pid_t		 pid;
	int		 out, err;	/* -1: closed */
	int		 prog;		/* its --progress-fd, as JSON lines; -1: closed */
	struct buf	 progress_in;	/* what came of the last line yet */
	char		*progress;	/* the last progress, as the status line says it */
	struct buf	 output;
	struct buf	 errors;
	char		*line;		/* the command line */
	int		 exited;
	int		 status;
	int		 quiet;		/* no pager: the status line says how it went */
	int		 summary;	/* its last line of output is a summary (import) */
	struct job	*next;
};

struct prompt {
	int		 active;
	char		*label;
	struct buf	 text;
	size_t		 cursor;	/* a byte offset into text */
	void		(*done)(struct tui *, const char *);
	char		*arg;		/* for done: the case of a note */
	size_t		 history_pos;
};

struct tui {
	struct cmd_ctx	*ctx;
	struct loop	*loop;
	struct view	*views[VIEWS_MAX];
	int		 nviews;
	struct binding	*binds;
	size_t		 nbinds;
	struct strlist	 messages;	/* "HH:MM:SS error: text" */
	char		*status;
	int		 status_error;
	struct prompt	 prompt;
	struct strlist	 history;	/* command lines typed at the prompt */
	char		*search;
	int		 tag_prefix;
	struct job	*jobs;
	char		*self;		/* this binary, for children */
	int		 data_version;
	int		 reading;	/* a key reading on between keys: 'G', 'n', 'N'; 0: none */
	struct view	*reading_view;
	int		 reading_timer;
	int64_t		 reading_drawn;	/* when reading on last drew the screen */
	int		 key_ms;	/* READ_KEY_MS, or ARFDESK_READ_MS */
	int		 quit;
	int		 rows, cols;
};

struct store *
tui_store(struct tui *t)
{
	return t->ctx->store;
}

const struct conf *
tui_conf(struct tui *t)
{
	return t->ctx->conf;
}

static struct view *
top_view(struct tui *t)
{
	return t->nviews > 0 ? t->views[t->nviews - 1] : NULL;
}

static void
set_status(struct tui *t, int error, const char *text)
{
	free(t->status);
	t->status = xstrdup(text);
	t->status_error = error;
}

/* A line of the messages view, with the time and what it is; the oldest go past MESSAGES_MAX. */
static void
add_message(struct tui *t, const char *what, const char *text)
{
	char when[16], *line;
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	line = xasprintf("%s %s: %s", when, what, text);
	if (t->messages.count >= MESSAGES_MAX) {
		free(t->messages.items[0]);
		memmove(t->messages.items, t->messages.items + 1,
		    (t->messages.count - 1) * sizeof *t->messages.items);
		t->messages.count--;
	}
	strlist_add(&t->messages, line);
	free(line);
}

/* The core's messages: kept for the messages view, the last shown in the status line. */
static void
tui_sink(enum msg_kind kind, const char *text, void *arg)
{
	struct tui *t = arg;

	if (kind == MSG_PROGRESS_END)
		return;
	if (kind == MSG_PROGRESS) {
		set_status(t, 0, text);
		return;
	}
	add_message(t, kind == MSG_ERROR ? "error" : "warning", text);
	set_status(t, kind == MSG_ERROR, text);
}

static void read_stop(struct tui *);

void
tui_push(struct tui *t, struct view *v)
{
	read_stop(t);	/* it reads in the view shown */
	if (t->nviews == VIEWS_MAX) {
		/* The oldest view but the first makes room. */
		view_free(t->views[1]);
		memmove(&t->views[1], &t->views[2], (VIEWS_MAX - 2) * sizeof *t->views);
		t->nviews--;
	}
	t->views[t->nviews++] = v;
}

static void
close_view(struct tui *t)
{
	struct view *v;

	if (t->nviews <= 1) {
		t->quit = 1;
		return;
	}
	read_stop(t);
	view_free(t->views[--t->nviews]);
	v = top_view(t);
	if (v->stale)
		view_reload(v);
}

/* Lines of the screen the rows of a view get. */
static int
view_height(const struct tui *t)
{
	return t->rows > 2 ? t->rows - 2 : 0;
}

/* ------------------------------------------------------------------ drawing */

static void
draw_all(struct tui *t)
{
	struct view *v = top_view(t);
	struct buf line;
	struct job *j;
	size_t tagged;
	int n = 0;

	draw_size(&t->rows, &t->cols);
	buf_init(&line);
	buf_adds(&line, "arfdesk: ");
	if (v != NULL) {
		buf_adds(&line, v->title);
		buf_addf(&line, "  (%zu/%zu%s)", v->nrows > 0 ? v->sel + 1 : 0, v->nrows,
		    v->ops->more != NULL && !v->done ? "+" : "");
		if ((tagged = view_ntagged(v)) > 0)
			buf_addf(&line, "  %zu tagged", tagged);
	}
	if (t->tag_prefix)
		buf_adds(&line, "  ;");
	draw_text(0, 0, t->cols, line.data, DRAW_title);
	if (v != NULL)
		view_draw(v, 1, view_height(t), t->cols);
	buf_reset(&line);
	if (t->prompt.active) {
		size_t i, col;

		buf_adds(&line, t->prompt.label);
		buf_add(&line, t->prompt.text.data, t->prompt.cursor);
		col = text_width(line.data);
		buf_adds(&line, t->prompt.text.data + t->prompt.cursor);
		draw_text(t->rows - 1, 0, t->cols, line.data, DRAW_normal);
		i = col < (size_t)t->cols ? col : (size_t)t->cols - 1;
		draw_flush(t->rows - 1, (int)i);
		buf_free(&line);
		return;
	}
	for (j = t->jobs; j != NULL; j = j->next)
		n++;
	if (t->status != NULL)
		buf_adds(&line, t->status);
	else if (n > 0 && t->jobs->progress != NULL)
		buf_adds(&line, t->jobs->progress);
	else if (n > 0)
		buf_addf(&line, "running: %s (C-c stops it)", t->jobs->line);
	else
		buf_adds(&line, "q:close  Enter:open  /:search  t:tag  ;:tagged  ::command  ?:help");
	draw_text(t->rows - 1, 0, t->cols, line.data, t->status != NULL && t->status_error ?
	    DRAW_error : DRAW_status);
	draw_flush(-1, 0);
	buf_free(&line);
}

/* ------------------------------------------------------------------ children */

static void job_finish(struct job *);

static void
job_read(int fd, short revents, void *arg)
{
	struct job *j = arg;
	char chunk[8192];
	ssize_t n;

	(void)revents;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n > 0) {
			buf_add(fd == j->out ? &j->output : &j->errors, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* End of file (or an error: the same for a pipe). */
		loop_remove_fd(j->tui->loop, fd);
		close(fd);
		if (fd == j->out)
			j->out = -1;
		else
			j->err = -1;
		break;
	}
	if (j->out == -1 && j->err == -1 && j->exited)
		job_finish(j);
}

/* A line of progress (import --progress-fd): done of how many, the rate, the time left. */
static void
progress_line(struct job *j, const char *line)
{
	json_t *o = json_loads(line, 0, NULL);
	json_int_t done, bytes, total, eta;
	double rate;
	struct buf text;

	if (o == NULL)
		return;
	done = json_integer_value(json_object_get(o, "done"));
	bytes = json_integer_value(json_object_get(o, "bytes"));
	total = json_integer_value(json_object_get(o, "total_bytes"));
	eta = json_integer_value(json_object_get(o, "eta"));
	rate = json_number_value(json_object_get(o, "rate"));
	buf_init(&text);
	/* The command's name only: a long path would push the figures off the line. */
	buf_addf(&text, "%.*s: %lld messages", (int)strcspn(j->line, " "), j->line,
	    (long long)done);
	if (total > 0)
		buf_addf(&text, " (%.0f%%)", 100.0 * (double)bytes / (double)total);
	buf_addf(&text, ", %lld new, %.0f/s", (long long)json_integer_value(json_object_get(o,
	    "new")), rate);
	if (eta >= 0)
		buf_addf(&text, ", %lld:%02lld left", (long long)(eta / 60), (long long)(eta % 60));
	buf_adds(&text, " (C-c stops it)");
	free(j->progress);
	j->progress = buf_steal(&text);
	json_decref(o);
}

static void
job_progress(int fd, short revents, void *arg)
{
	struct job *j = arg;
	char chunk[4096], *nl, *line;
	size_t used;
	ssize_t n;
	int ended;

	(void)revents;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&j->progress_in, chunk, (size_t)n);
	/* At the end, or only for now (what is parsed below may set errno). */
	ended = n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
	/* The last whole line is what the status line says. */
	while (j->progress_in.len > 0 && (nl = strchr(j->progress_in.data, '\n')) != NULL) {
		used = (size_t)(nl + 1 - j->progress_in.data);
		*nl = '\0';
		line = xstrdup(j->progress_in.data);
		memmove(j->progress_in.data, nl + 1, j->progress_in.len - used + 1);
		j->progress_in.len -= used;
		progress_line(j, line);
		free(line);
	}
	if (ended) {
		loop_remove_fd(j->tui->loop, fd);
		close(fd);
		j->prog = -1;
	}
	draw_all(j->tui);
}

static void
job_exited(pid_t pid, int status, void *arg)
{
	struct job *j = arg;

	(void)pid;
	j->exited = 1;
	j->status = status;
	if (j->out == -1 && j->err == -1)
		job_finish(j);
}

/* Every view may show what the command changed. */
static void
reload_all(struct tui *t)
{
	int i;

	for (i = 0; i < t->nviews - 1; i++)
		t->views[i]->stale = 1;
	if (top_view(t) != NULL)
		view_reload(top_view(t));
}

static void
job_finish(struct job *j)
{
	struct tui *t = j->tui;
	struct job **pp;
	char *line, *next, *text, *said;
	int code;

	for (pp = &t->jobs; *pp != NULL && *pp != j; pp = &(*pp)->next)
		;
	if (*pp == j)
		*pp = j->next;
	/* Its errors and warnings ("arfdesk: ..." lines) land in messages; what a command that
	 * worked says there ("3 cases changed") in the status line. */
	code = WIFEXITED(j->status) ? WEXITSTATUS(j->status) : -1;
	said = NULL;
	for (line = j->errors.data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, "arfdesk: ", 9) == 0)
			line += 9;
		if (strncmp(line, "warning: ", 9) == 0)
			msg_warn("%s", line + 9);
		else if (strncmp(line, "usage: ", 7) == 0 || *line == '\0' || *line == ' ')
			continue;
		else if (code == 0)
			said = line;
		else
			msg_error("%s", line);
	}
	if (j->summary && j->output.len > 0) {
		/* import: its summary line, in messages and the status line. */
		while (j->output.len > 0 && j->output.data[j->output.len - 1] == '\n')
			j->output.data[--j->output.len] = '\0';
		line = strrchr(j->output.data, '\n');
		said = line != NULL ? line + 1 : j->output.data;
		add_message(t, "note", said);
	} else if (j->output.len > 0 && !j->quiet) {
		text = xasprintf("Output of %s", j->line);
		tui_push(t, view_pager_open(t, text, j->line, j->output.data));
		free(text);
	}
	if (code == 0 && said != NULL)
		set_status(t, 0, said);
	else if (code == 0) {
		text = xasprintf("%s: done", j->line);
		set_status(t, 0, text);
		free(text);
	} else if (code != 0) {
		text = WIFSIGNALED(j->status) ? xasprintf("%s: stopped", j->line) :
		    xasprintf("%s: failed (exit %d; M shows the messages)", j->line, code);
		set_status(t, 1, text);
		free(text);
	}
	reload_all(t);
	if (j->prog >= 0) {
		loop_remove_fd(t->loop, j->prog);
		close(j->prog);
	}
	buf_free(&j->output);
	buf_free(&j->errors);
	buf_free(&j->progress_in);
	free(j->progress);
	free(j->line);
	free(j);
	draw_all(t);
}

/* Run `arfdesk -d DB [-c CONFIG] WORDS...` as a child; its output is shown in a pager when it
 * ends, or (quiet 1: a change to cases) only what it said on stderr in the status line, or
 * (quiet 2: an import) its summary, its last line of output, also in messages. The child has
 * a pipe on descriptor 3 for --progress-fd 3, shown in the status line while it runs. */
static int
job_start(struct tui *t, char *const *words, size_t n, int quiet)
{
	int out[2], err[2], prog[2], devnull;
	char **argv, cols[16];
	struct job *j;
	size_t i, k = 0;
	char *db;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
	    pipe2(prog, O_CLOEXEC) != 0) {
		msg_error("starting %s: %s", words[0], strerror(errno));
		return -1;
	}
	db = conf_database_path(t->ctx->conf, t->ctx->db_path);
	argv = xcalloc(n + 6, sizeof *argv);
	argv[k++] = t->self;
	argv[k++] = "-d";
	argv[k++] = db;
	if (t->ctx->conf->path != NULL) {
		argv[k++] = "-c";
		argv[k++] = t->ctx->conf->path;
	}
	for (i = 0; i < n; i++)
		argv[k++] = words[i];
	argv[k] = NULL;
	snprintf(cols, sizeof cols, "%d", t->cols);
	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		/* Descriptor 3: progress, for the commands given --progress-fd 3. */
		if (prog[1] == 3)
			fcntl(3, F_SETFD, 0);
		else
			dup2(prog[1], 3);
		/* Tables fitted to the pager; a closed pipe ends it as it would a shell's. */
		setenv("COLUMNS", cols, 1);
		signal(SIGPIPE, SIG_DFL);
		execv(t->self, argv);
		dprintf(STDERR_FILENO, "arfdesk: running %s: %s\n", t->self, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	close(prog[1]);
	free(argv);
	free(db);
	if (pid < 0) {
		msg_error("starting %s: %s", words[0], strerror(errno));
		close(out[0]);
		close(err[0]);
		close(prog[0]);
		return -1;
	}
	j = xcalloc(1, sizeof *j);
	j->tui = t;
	j->pid = pid;
	j->out = out[0];
	j->err = err[0];
	j->prog = prog[0];
	buf_init(&j->output);
	buf_init(&j->errors);
	buf_init(&j->progress_in);
	j->line = cmdline_join(words, n);
	j->quiet = quiet != 0;
	j->summary = quiet == 2;
	j->next = t->jobs;
	t->jobs = j;
	fcntl(j->out, F_SETFL, O_NONBLOCK);
	fcntl(j->err, F_SETFL, O_NONBLOCK);
	fcntl(j->prog, F_SETFL, O_NONBLOCK);
	loop_add_fd(t->loop, j->out, POLLIN, job_read, j);
	loop_add_fd(t->loop, j->err, POLLIN, job_read, j);
	loop_add_fd(t->loop, j->prog, POLLIN, job_progress, j);
	loop_add_child(t->loop, pid, job_exited, j);
	free(t->status);
	t->status = NULL;
	return 0;
}

/* ------------------------------------------------------------------ commands */

/* The cases %k stands for: the tagged rows' (after tag-prefix), else the selected row's. */
static int
case_keys(struct tui *t, struct strlist *keys)
{
	struct view *v = top_view(t);
	const char *k;
	size_t i;

	if (v == NULL || v->ops->case_of == NULL)
		return -1;
	if (t->tag_prefix && view_ntagged(v) > 0) {
		for (i = 0; i < v->nrows; i++)
			if (view_tagged(v, i) && (k = v->ops->case_of(v, i)) != NULL)
				strlist_add_unique(keys, k);
	} else if ((k = v->ops->case_of(v, v->sel)) != NULL)
		strlist_add(keys, k);
	return keys->count > 0 ? 0 : -1;
}

/* %k in words: a word that is %k becomes every key, within a word the first. */
static int
expand_keys(struct tui *t, struct strlist *words)
{
	struct strlist out = { 0 }, keys = { 0 };
	struct buf w;
	const char *p;
	size_t i, k;
	int have = -2;

	for (i = 0; i < words->count; i++)
		if (strstr(words->items[i], "%k") != NULL)
			break;
	if (i == words->count)
		return 0;
	have = case_keys(t, &keys);
	if (have != 0) {
		msg_error("no case here for %s", words->items[0]);
		strlist_free(&keys);
		return -1;
	}
	buf_init(&w);
	for (i = 0; i < words->count; i++) {
		if (strcmp(words->items[i], "%k") == 0) {
			for (k = 0; k < keys.count; k++)
				strlist_add(&out, keys.items[k]);
			continue;
		}
		buf_reset(&w);
		for (p = words->items[i]; *p != '\0'; p++)
			if (p[0] == '%' && p[1] == 'k') {
				buf_adds(&w, keys.items[0]);
				p++;
			} else
				buf_addc(&w, *p);
		strlist_add(&out, w.data);
	}
	buf_free(&w);
	strlist_free(&keys);
	strlist_free(words);
	*words = out;
	return 0;
}

static void help_open(struct tui *);
static void prompt_start(struct tui *, const char *label, const char *text,
    void (*)(struct tui *, const char *), const char *arg);

/* How long G, n and N read pages in the key's own time (ARFDESK_READ_MS), and then in each
 * slice between keys, half of that, while they read on: a key pressed meanwhile is answered
 * within a slice, and stops them. */
#define READ_KEY_MS	20
#define READ_DRAW_MS	100

static void read_slice(void *);

/* Is a key waiting to be read? Then reading on gives way to it. */
static int
key_waiting(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

static void
read_stop(struct tui *t)
{
	if (t->reading_timer != 0)
		loop_remove_timer(t->loop, t->reading_timer);
	t->reading_timer = 0;
	t->reading = 0;
	t->reading_view = NULL;
}

/*
 * G (to the last row of the whole listing), n or N (a search through it) for ms: when the
 * time runs out first, the loop goes on with it in slices between keys, tig style, the
 * status line saying how far it got, until it gets there or a key stops it (again goes on).
 */
static void
read_on(struct tui *t, struct view *v, int what, int ms)
{
	int height = view_height(t) - (v->ops->header != NULL), rc;
	char *text;

	if (what == 'G')
		rc = view_last(v, height, ms);
	else
		rc = view_search(v, t->search, what == 'N' ? -1 : 1, t->cols, ms);
	if (rc == 1) {
		t->reading = what;
		t->reading_view = v;
		if (t->reading_timer == 0)
			t->reading_timer = loop_add_timer(t->loop, 0, 0, read_slice, t);
		if (what == 'G')
			text = xasprintf("reading to the last row: %zu rows so far (any key stops; G "
			    "goes on)", v->nrows);
		else
			text = xasprintf("searching for %s: %zu rows read so far (any key stops; %c "
			    "goes on)", t->search, v->nrows, what);
		set_status(t, 0, text);
		free(text);
		return;
	}
	read_stop(t);
	free(t->status);
	t->status = NULL;
	if (rc < 0 && what != 'G')
		msg_error("not found: %s", t->search);
}

static void
read_slice(void *arg)
{
	struct tui *t = arg;

	t->reading_timer = 0;
	if (t->reading == 0 || top_view(t) != t->reading_view || t->prompt.active) {
		read_stop(t);
		return;
	}
	if (key_waiting()) {
		/* Its key stops it; until then, nothing read. */
		t->reading_timer = loop_add_timer(t->loop, 0, 0, read_slice, t);
		return;
	}
	read_on(t, t->reading_view, t->reading, t->key_ms > 1 ? t->key_ms / 2 : 1);
	/* How far it got ten times a second, and where it ended: drawing every slice would
	 * take a good part of the time from the reading. */
	if (t->reading == 0 || mono_ms() - t->reading_drawn >= READ_DRAW_MS) {
		draw_all(t);
		t->reading_drawn = mono_ms();
	}
}

static void
search_done(struct tui *t, const char *pattern)
{
	struct view *v = top_view(t);

	if (*pattern == '\0')
		return;
	free(t->search);
	t->search = xstrdup(pattern);
	if (v != NULL)
		read_on(t, v, 'n', t->key_ms);
}

static void
command_done(struct tui *t, const char *line)
{
	if (*line == '\0')
		return;
	if (t->history.count == 0 || strcmp(t->history.items[t->history.count - 1], line) != 0)
		strlist_add(&t->history, line);
	tui_execute(t, line);
}

static void
note_done(struct tui *t, const char *text)
{
	/* The note is one word, however it is spaced or quoted. */
	char *words[] = { "case", t->prompt.arg, "--note", (char *)text };

	if (*text != '\0')
		job_start(t, words, 4, 1);
}

static void
messages_open(struct tui *t)
{
	struct buf text;
	size_t i;

	buf_init(&text);
	if (t->messages.count == 0)
		buf_adds(&text, "No errors or warnings since the console opened.\n");
	for (i = 0; i < t->messages.count; i++)
		buf_addf(&text, "%s\n", t->messages.items[i]);
	tui_push(t, view_pager_open(t, "Messages, newest last", "messages", text.data));
	view_last(top_view(t), view_height(t) - 1, t->key_ms);
	buf_free(&text);
}

static int
run_action(struct tui *t, int action, const struct strlist *words)
{
	struct view *v = top_view(t), *nv;
	struct strlist keys = { 0 };
	int height = view_height(t) - (v != NULL && v->ops->header != NULL);
	int rc = 0;

	(void)words;
	switch (action) {
	case KEY_ACTION_move_down:
		if (v != NULL)
			view_move(v, 1, height);
		break;
	case KEY_ACTION_move_up:
		if (v != NULL)
			view_move(v, -1, height);
		break;
	case KEY_ACTION_page_down:
		if (v != NULL) {
			view_move(v, height > 1 ? height - 1 : 1, height);
			v->top = v->sel;
		}
		break;
	case KEY_ACTION_page_up:
		if (v != NULL) {
			view_move(v, -(long)(height > 1 ? height - 1 : 1), height);
			v->top = v->sel;
		}
		break;
	case KEY_ACTION_first:
		if (v != NULL)
			view_first(v);
		break;
	case KEY_ACTION_last:
		if (v != NULL)
			read_on(t, v, 'G', t->key_ms);
		break;
	case KEY_ACTION_open:
		if (v != NULL && v->ops->enter != NULL && v->nrows > 0)
			rc = v->ops->enter(v, v->sel);
		break;
	case KEY_ACTION_close:
		close_view(t);
		break;
	case KEY_ACTION_quit:
		t->quit = 1;
		break;
	case KEY_ACTION_search:
		prompt_start(t, "/", "", search_done, NULL);
		break;
	case KEY_ACTION_search_next:
	case KEY_ACTION_search_prev:
		if (t->search == NULL)
			msg_error("no search yet (/ starts one)");
		else if (v != NULL)
			read_on(t, v, action == KEY_ACTION_search_next ? 'n' : 'N', t->key_ms);
		break;
	case KEY_ACTION_tag:
		if (v != NULL) {
			view_tag(v);
			view_move(v, 1, height);
		}
		break;
	case KEY_ACTION_tag_prefix:
		if (v == NULL || view_ntagged(v) == 0)
			msg_error("no tagged rows (t tags one)");
		else
			t->tag_prefix = 2;	/* for the next command */
		break;
	case KEY_ACTION_untag_all:
		if (v != NULL)
			view_untag_all(v);
		break;
	case KEY_ACTION_prompt:
		prompt_start(t, ":", "", command_done, NULL);
		break;
	case KEY_ACTION_help:
		help_open(t);
		break;
	case KEY_ACTION_messages:
		messages_open(t);
		break;
	case KEY_ACTION_redraw:
		draw_redraw();
		break;
	case KEY_ACTION_refresh:
		if (v != NULL)
			rc = view_reload(v);
		break;
	case KEY_ACTION_next_grouping:
	case KEY_ACTION_todo:
		if (v == NULL || (rc = view_groups_switch(v, action == KEY_ACTION_next_grouping,
		    action == KEY_ACTION_todo)) == 1) {
			msg_error("%s: only in a groups view", keys_action_names[action]);
			rc = -1;
		}
		break;
	case KEY_ACTION_note:
		if (case_keys(t, &keys) != 0)
			msg_error("no case here to add a note to");
		else {
			char *label = xasprintf("Note for %s: ", keys.items[0]);

			prompt_start(t, label, "", note_done, keys.items[0]);
			free(label);
		}
		strlist_free(&keys);
		break;
	case KEY_ACTION_raw: {
		/* The report of a report view, else the selected row's. */
		const char *k = v != NULL && v->ops->key != NULL && v->nrows > 0 ?
		    v->ops->key(v, v->sel) : NULL;
		long long id = 0;

		if (v != NULL && sscanf(v->command, "show %lld", &id) != 1 &&
		    (k == NULL || sscanf(k, "report:%lld", &id) != 1)) {
			msg_error("raw: select a report first");
			rc = -1;
		} else if (v != NULL && (nv = view_report_open(t, id, 1)) != NULL)
			tui_push(t, nv);
		break;
	}
	case KEY_ACTION_cancel:
		if (t->jobs == NULL)
			msg_error("nothing is running");
		else {
			kill(t->jobs->pid, SIGTERM);
			set_status(t, 0, "stopping ...");
		}
		break;
	}
	return rc;
}

/* The commands that have a view open it; the others run as children. */
static int
run_command(struct tui *t, struct strlist *words)
{
	const char *name = words->items[0];
	const struct cmd_entry *e = cmd_find(name);
	struct view *v = NULL;
	struct args args;
	char *kind, *key, *end, **copy;
	long long id;
	int rc;

	if (e == NULL) {
		msg_error("unknown command: %s (? lists them)", name);
		return -1;
	}
	if (strcmp(name, "groups") == 0 || strcmp(name, "cases") == 0 ||
	    strcmp(name, "reports") == 0) {
		/* --json and --csv are for scripts: the view is the same listing. */
		if (name[0] == 'g')
			v = view_groups_open(t, (int)words->count, words->items);
		else if (name[0] == 'c')
			v = view_cases_open(t, (int)words->count, words->items);
		else
			v = view_reports_open(t, (int)words->count, words->items);
		if (v == NULL)
			return -1;
		tui_push(t, v);
		return 0;
	}
	if (strcmp(name, "case") == 0 || strcmp(name, "show") == 0) {
		/* getopt orders the words it parses: a copy of the array is parsed. */
		copy = xcalloc(words->count + 1, sizeof *copy);
		memcpy(copy, words->items, words->count * sizeof *copy);
		rc = cmd_parse(e, (int)words->count, copy, &args);
		if (rc == CMD_USAGE) {
			free(copy);
			return -1;
		}
		/* Only a look (one case, no change; a report's evidence) opens a view. */
		if (rc == CMD_OK && name[1] == 'a' && args.argc == 1 && args.nopts == 0 &&
		    strcmp(args.argv[0], "-") != 0) {
			if (cmd_parse_case(args.argv[0], &kind, &key) != 0)
				return -1;
			v = view_case_open(t, kind, key);
			free(kind);
			free(key);
		} else if (rc == CMD_OK && name[1] == 'h' && !args_has(&args, 'j')) {
			id = strtoll(args.argv[0], &end, 10);
			if (*end != '\0' || id < 1) {
				msg_error("show: not a report number: %s", args.argv[0]);
				return -1;
			}
			v = view_report_open(t, id, args_has(&args, 'r'));
		} else {
			/* A change: its result in the status line, not a pager. */
			free(copy);
			return job_start(t, words->items, words->count, name[1] == 'a');
		}
		free(copy);
		if (v == NULL)
			return -1;
		tui_push(t, v);
		return 0;
	}
	if (strcmp(name, "console") == 0)
		return 0;
	if (strcmp(name, "import") == 0 && words->count > 1) {
		/* Long work in the background: its progress in the status line. */
		char **argv = xcalloc(words->count + 3, sizeof *argv);

		argv[0] = "import";
		argv[1] = "--progress-fd";
		argv[2] = "3";
		memcpy(argv + 3, words->items + 1, (words->count - 1) * sizeof *argv);
		rc = job_start(t, argv, words->count + 2, 2);
		free(argv);
		if (rc == 0) {
			/* Said as the person typed it. */
			free(t->jobs->line);
			t->jobs->line = cmdline_join(words->items, words->count);
		}
		return rc;
	}
	if (strcmp(name, "help") == 0 && words->count == 1) {
		help_open(t);
		return 0;
	}
	return job_start(t, words->items, words->count, 0);
}

int
tui_execute(struct tui *t, const char *line)
{
	struct strlist words = { 0 };
	char *err;
	int action, rc;

	if (cmdline_split(line, &words, &err) != 0) {
		msg_error("%s: %s", line, err);
		free(err);
		return -1;
	}
	if (words.count == 0)
		return 0;
	if (expand_keys(t, &words) != 0) {
		strlist_free(&words);
		return -1;
	}
	if ((action = names_find(keys_action_names, words.items[0])) >= 0)
		rc = run_action(t, action, &words);
	else
		rc = run_command(t, &words);
	strlist_free(&words);
	return rc;
}

/* ------------------------------------------------------------------ help */

static void
help_open(struct tui *t)
{
	struct buf text, keys;
	const struct cmd_entry *const *e;
	char name[16];
	size_t i, k;
	int a;

	buf_init(&text);
	buf_init(&keys);
	buf_adds(&text, "Keys, and the command each runs (bind KEY COMMAND in the config):\n");
	for (i = 0; i < t->nbinds; i++) {
		/* Each command once, with every key bound to it. */
		for (k = 0; k < i; k++)
			if (strcmp(t->binds[k].command, t->binds[i].command) == 0)
				break;
		if (k < i)
			continue;
		buf_reset(&keys);
		for (k = i; k < t->nbinds; k++)
			if (strcmp(t->binds[k].command, t->binds[i].command) == 0) {
				if (keys.len > 0)
					buf_adds(&keys, " ");
				buf_adds(&keys, keys_name(t->binds[k].key, name, sizeof name));
			}
		a = names_find(keys_action_names, t->binds[i].command);
		buf_addf(&text, "  %-20s %-28s %s\n", keys.data, t->binds[i].command,
		    a >= 0 ? keys_action_summaries[a] : "");
	}
	buf_adds(&text, "\n%k in a command is the selected case; after ; (tag-prefix), every "
	    "tagged one.\n\nActions (type : and the name, or bind a key to it):\n");
	for (a = 0; a < KEY_NACTIONS; a++)
		buf_addf(&text, "  %-20s %s\n", keys_action_names[a], keys_action_summaries[a]);
	buf_adds(&text, "\nCommands (type : and the command line; groups, cases, reports, case "
	    "and show open views, the others show their output):\n");
	for (e = cmd_table; *e != NULL; e++)
		buf_addf(&text, "  %-20s %s\n", (*e)->name, (*e)->summary);
	buf_adds(&text, "\nColours (color ELEMENT FOREGROUND BACKGROUND in the config):\n");
	for (i = 0; draw_style_names[i] != NULL; i++)
		buf_addf(&text, "  %-20s %s\n", draw_style_names[i], draw_style_summaries[i]);
	tui_push(t, view_pager_open(t, "Help", "help", text.data));
	buf_free(&text);
	buf_free(&keys);
}

/* ------------------------------------------------------------------ keys and the prompt */

static void
prompt_start(struct tui *t, const char *label, const char *text,
    void (*done)(struct tui *, const char *), const char *arg)
{
	struct prompt *p = &t->prompt;

	p->active = 1;
	free(p->label);
	p->label = xstrdup(label);
	buf_reset(&p->text);
	buf_adds(&p->text, text);
	p->cursor = p->text.len;
	p->done = done;
	free(p->arg);
	p->arg = arg != NULL ? xstrdup(arg) : NULL;
	p->history_pos = t->history.count;
}

/* The byte length of the UTF-8 character before (dir -1) or at (1) a position. */
static size_t
char_len(const struct buf *b, size_t at, int dir)
{
	size_t n = 1;

	if (dir < 0) {
		while (n < at && ((unsigned char)b->data[at - n] & 0xc0) == 0x80)
			n++;
		return at > 0 ? n : 0;
	}
	while (at + n < b->len && ((unsigned char)b->data[at + n] & 0xc0) == 0x80)
		n++;
	return at < b->len ? n : 0;
}

static void
prompt_key(struct tui *t, int key)
{
	struct prompt *p = &t->prompt;
	char utf8[8], *line;
	size_t n;

	switch (key) {
	case DKEY_ENTER:
		p->active = 0;
		line = xstrdup(p->text.data);
		p->done(t, line);
		free(line);
		return;
	case DKEY_ESC:
	case DKEY_CTRL('g'):
	case DKEY_CTRL('c'):
		p->active = 0;
		return;
	case DKEY_BACKSPACE:
		if ((n = char_len(&p->text, p->cursor, -1)) > 0) {
			memmove(p->text.data + p->cursor - n, p->text.data + p->cursor,
			    p->text.len - p->cursor + 1);
			p->text.len -= n;
			p->cursor -= n;
		} else if (p->text.len == 0)
			p->active = 0;
		return;
	case DKEY_DELETE:
		if ((n = char_len(&p->text, p->cursor, 1)) > 0) {
			memmove(p->text.data + p->cursor, p->text.data + p->cursor + n,
			    p->text.len - p->cursor - n + 1);
			p->text.len -= n;
		}
		return;
	case DKEY_LEFT:
		p->cursor -= char_len(&p->text, p->cursor, -1);
		return;
	case DKEY_RIGHT:
		p->cursor += char_len(&p->text, p->cursor, 1);
		return;
	case DKEY_HOME:
	case DKEY_CTRL('a'):
		p->cursor = 0;
		return;
	case DKEY_END:
	case DKEY_CTRL('e'):
		p->cursor = p->text.len;
		return;
	case DKEY_CTRL('u'):
		buf_reset(&p->text);
		p->cursor = 0;
		return;
	case DKEY_UP:
	case DKEY_DOWN:
		if (p->done != command_done)
			return;
		if (key == DKEY_UP && p->history_pos > 0)
			p->history_pos--;
		else if (key == DKEY_DOWN && p->history_pos < t->history.count)
			p->history_pos++;
		buf_reset(&p->text);
		if (p->history_pos < t->history.count)
			buf_adds(&p->text, t->history.items[p->history_pos]);
		p->cursor = p->text.len;
		return;
	}
	if (key < ' ' || key >= 0x110000 || (key >= 0x7f && key < 0xa0))
		return;
	/* The character's UTF-8, at the cursor. */
	if (key < 0x80) {
		utf8[0] = (char)key;
		n = 1;
	} else if (key < 0x800) {
		utf8[0] = (char)(0xc0 | (key >> 6));
		utf8[1] = (char)(0x80 | (key & 0x3f));
		n = 2;
	} else if (key < 0x10000) {
		utf8[0] = (char)(0xe0 | (key >> 12));
		utf8[1] = (char)(0x80 | ((key >> 6) & 0x3f));
		utf8[2] = (char)(0x80 | (key & 0x3f));
		n = 3;
	} else {
		utf8[0] = (char)(0xf0 | (key >> 18));
		utf8[1] = (char)(0x80 | ((key >> 12) & 0x3f));
		utf8[2] = (char)(0x80 | ((key >> 6) & 0x3f));
		utf8[3] = (char)(0x80 | (key & 0x3f));
		n = 4;
	}
	buf_add(&p->text, utf8, n);
	memmove(p->text.data + p->cursor + n, p->text.data + p->cursor,
	    p->text.len - n - p->cursor);
	memcpy(p->text.data + p->cursor, utf8, n);
	p->cursor += n;
}

static void
handle_key(struct tui *t, int key)
{
	char name[16];
	size_t i;

	if (t->prompt.active) {
		prompt_key(t, key);
		return;
	}
	if (key == DKEY_RESIZE) {
		draw_resize();
		return;
	}
	free(t->status);
	t->status = NULL;
	/* The last binding of a key wins (the config's come after the defaults). */
	for (i = t->nbinds; i > 0; i--)
		if (t->binds[i - 1].key == key)
			break;
	if (i == 0) {
		msg_error("%s is not bound to anything (? shows the keys)",
		    keys_name(key, name, sizeof name));
		return;
	}
	tui_execute(t, t->binds[i - 1].command);
	/* tag-prefix holds for the one command after it. */
	if (t->tag_prefix > 0)
		t->tag_prefix--;
}

static void
on_keys(int fd, short revents, void *arg)
{
	struct tui *t = arg;
	int key, n = 0;

	(void)fd;
	(void)revents;
	while (!t->quit && draw_key(&key)) {
		/* A key stops a G or search reading on (the key then does its own). */
		read_stop(t);
		handle_key(t, key);
		n++;
	}
	if (n > 0 && !t->quit)
		draw_all(t);
}

/* ------------------------------------------------------------------ the loop */

static void
on_signal(int signo, void *arg)
{
	struct tui *t = arg;

	if (signo == SIGWINCH) {
		draw_resize();
		draw_all(t);
		return;
	}
	t->quit = 1;
	loop_quit(t->loop);
}

/* Another process wrote to the store (an import from cron, a child of ours): read again. */
static void
watch_store(void *arg)
{
	struct tui *t = arg;
	sqlite3_stmt *st;
	int version = -1;

	if (sqlite3_prepare_v2(store_db(tui_store(t)), "PRAGMA data_version", -1, &st,
	    NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version == t->data_version || version < 0)
		return;
	t->data_version = version;
	if (t->prompt.active)
		return;
	reload_all(t);
	draw_all(t);
}

static int
add_binding(struct tui *t, const char *where, const char *keyname, const char *command)
{
	int key;

	if (keys_parse(keyname, &key) != 0) {
		msg_error("%s: bind: not a key: %s (a character, C-x, F1-F12, Up, Down, Left, "
		    "Right, PageUp, PageDown, Home, End, Enter, Tab, Esc, Space, Backspace, "
		    "Delete)", where, keyname);
		return -1;
	}
	t->binds = xrealloc(t->binds, (t->nbinds + 1) * sizeof *t->binds);
	t->binds[t->nbinds].key = key;
	t->binds[t->nbinds++].command = xstrdup(command);
	return 0;
}

/* The default bindings (config text compiled in), then the config's bind and color lines. */
static void
load_bindings(struct tui *t)
{
	struct strlist words = { 0 };
	char *copy, *line, *next, *err, *where, *sep;
	const struct conf *conf = t->ctx->conf;
	size_t i;

	copy = xstrdup(keys_default_bindings);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		strlist_free(&words);
		if (cmdline_split(line, &words, &err) != 0) {
			free(err);
			continue;
		}
		if (words.count == 3)
			add_binding(t, "built in", words.items[1], words.items[2]);
	}
	strlist_free(&words);
	free(copy);
	for (i = 0; i < conf->binds.count; i++) {
		/* "FILE:LINE\tKEY\tCOMMAND" */
		where = xstrdup(conf->binds.items[i]);
		if ((sep = strchr(where, '\t')) != NULL) {
			*sep++ = '\0';
			if ((next = strchr(sep, '\t')) != NULL) {
				*next++ = '\0';
				add_binding(t, where, sep, next);
			}
		}
		free(where);
	}
	for (i = 0; i < conf->colors.count; i++) {
		char *f[4], *p;
		int k;

		where = xstrdup(conf->colors.items[i]);
		for (k = 0, p = where; k < 4 && p != NULL; k++) {
			f[k] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		if (k == 4 && draw_color(f[1], f[2], f[3], &err) != 0) {
			msg_error("%s: color: %s", f[0], err);
			free(err);
		}
		free(where);
	}
}

/* This binary, for the commands the console runs as children. */
static char *
self_path(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

	if (n > 0) {
		path[n] = '\0';
		return xstrdup(path);
	}
	return xstrdup("arfdesk");
}

static void
restore_terminal(void)
{
	draw_end();
}

int
tui_main(struct cmd_ctx *ctx)
{
	static int registered;
	struct tui t;
	struct view *first;
	struct job *j;
	const char *nocolor = getenv("NO_COLOR"), *env;
	char *end;
	char *words[] = { "groups", "--by", "ip", NULL };
	int rc = CMD_OK, i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		msg_error("the console needs a terminal; for scripts, run a command "
		    "(arfdesk help lists them)");
		return CMD_USAGE;
	}
	if (cmd_store(ctx) == NULL)
		return CMD_FAIL;
	memset(&t, 0, sizeof t);
	t.ctx = ctx;
	t.key_ms = READ_KEY_MS;
	t.self = self_path();
	t.data_version = -1;
	buf_init(&t.prompt.text);
	msg_set_sink(tui_sink, &t);
	if ((env = getenv("ARFDESK_READ_MS")) != NULL && *env != '\0') {
		long ms = strtol(env, &end, 10);

		if (*end != '\0' || ms < 1 || ms > 10000)
			msg_warn("ARFDESK_READ_MS: not a number of milliseconds from 1 to 10000: "
			    "%s", env);
		else
			t.key_ms = (int)ms;
	}
	if ((t.loop = loop_new()) == NULL) {
		msg_set_sink(NULL, NULL);
		free(t.self);
		return CMD_FAIL;
	}
	if (!registered) {
		/* An exit from anywhere (out of memory) leaves the terminal as it found it. */
		atexit(restore_terminal);
		registered = 1;
	}
	load_bindings(&t);
	if (draw_init(nocolor == NULL || *nocolor == '\0') != 0) {
		msg_set_sink(NULL, NULL);
		loop_free(t.loop);
		free(t.self);
		return CMD_FAIL;
	}
	draw_size(&t.rows, &t.cols);
	loop_add_fd(t.loop, STDIN_FILENO, POLLIN, on_keys, &t);
	loop_add_signal(t.loop, SIGWINCH, on_signal, &t);
	loop_add_signal(t.loop, SIGTERM, on_signal, &t);
	loop_add_signal(t.loop, SIGHUP, on_signal, &t);
	signal(SIGPIPE, SIG_IGN);
	loop_add_timer(t.loop, WATCH_MS, 1, watch_store, &t);
	watch_store(&t);
	first = view_groups_open(&t, 3, words);
	if (first == NULL)
		first = view_pager_open(&t, "arfdesk", "", "The groups could not be read: M shows "
		    "why.\n");
	tui_push(&t, first);
	draw_all(&t);
	while (!t.quit)
		if (loop_once(t.loop, -1) != 0) {
			rc = CMD_FAIL;
			break;
		}
	/* Children still running are stopped: an import resumes where it was. */
	for (j = t.jobs; j != NULL; j = j->next)
		kill(j->pid, SIGTERM);
	draw_end();
	msg_set_sink(NULL, NULL);
	for (i = 0; i < t.nviews; i++)
		view_free(t.views[i]);
	while ((j = t.jobs) != NULL) {
		t.jobs = j->next;
		waitpid(j->pid, NULL, 0);
		if (j->out >= 0)
			close(j->out);
		if (j->err >= 0)
			close(j->err);
		if (j->prog >= 0)
			close(j->prog);
		buf_free(&j->output);
		buf_free(&j->errors);
		buf_free(&j->progress_in);
		free(j->progress);
		free(j->line);
		free(j);
	}
	for (size_t b = 0; b < t.nbinds; b++)
		free(t.binds[b].command);
	free(t.binds);
	strlist_free(&t.messages);
	strlist_free(&t.history);
	free(t.status);
	free(t.search);
	free(t.prompt.label);
	free(t.prompt.arg);
	buf_free(&t.prompt.text);
	free(t.self);
	loop_free(t.loop);
	return rc;
}
