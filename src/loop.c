/* loop.c: the event loop over poll(2): descriptors, timers, signals (a self-pipe) and children. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "msg.h"
#include "util.h"

struct loop_fd {
	int		 fd;
	short		 events;
	loop_fd_fn	*fn;
	void		*arg;
	int		 gone;		/* removed while callbacks ran */
};

struct loop_timer {
	int		 id;
	int64_t		 due;		/* monotonic milliseconds */
	int		 interval;	/* 0: once */
	loop_timer_fn	*fn;
	void		*arg;
	int		 gone;
};

struct loop_sig {
	int		 signo;
	loop_signal_fn	*fn;
	void		*arg;
};

struct loop_child {
	pid_t		 pid;
	loop_child_fn	*fn;
	void		*arg;
};

struct loop {
	struct loop_fd		*fds;
	size_t			 nfds;
	struct loop_timer	*timers;
	size_t			 ntimers;
	int			 next_timer;
	struct loop_sig		*sigs;
	size_t			 nsigs;
	struct loop_child	*children;
	size_t			 nchildren;
	int			 quit;
};

/* The self-pipe: a signal handler writes the signal's number, the loop reads it. One per
 * process, as signal dispositions are. */
static int sig_pipe[2] = { -1, -1 };

static void
sig_handler(int signo)
{
	unsigned char c = (unsigned char)signo;
	int saved = errno;

	/* A full pipe loses a repeat of a signal already pending: nothing is lost. */
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* nothing to do in a handler */
	}
	errno = saved;
}

static void
set_flags(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void read_signals(int, short, void *);

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof *l);

	if (sig_pipe[0] == -1) {
		if (pipe(sig_pipe) != 0) {
			msg_error("making the signal pipe: %s", strerror(errno));
			free(l);
			return NULL;
		}
		set_flags(sig_pipe[0]);
		set_flags(sig_pipe[1]);
	}
	loop_add_fd(l, sig_pipe[0], POLLIN, read_signals, l);
	return l;
}

void
loop_free(struct loop *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsigs; i++)
		signal(l->sigs[i].signo, SIG_DFL);
	free(l->fds);
	free(l->timers);
	free(l->sigs);
	free(l->children);
	free(l);
}

void
loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn *fn, void *arg)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd && !l->fds[i].gone)
			break;
	if (i == l->nfds) {
		l->fds = xrealloc(l->fds, (l->nfds + 1) * sizeof *l->fds);
		l->nfds++;
	}
	l->fds[i].fd = fd;
	l->fds[i].events = events;
	l->fds[i].fn = fn;
	l->fds[i].arg = arg;
	l->fds[i].gone = 0;
}

void
loop_fd_events(struct loop *l, int fd, short events)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd && !l->fds[i].gone)
			l->fds[i].events = events;
}

void
loop_remove_fd(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			l->fds[i].gone = 1;
}

int
loop_add_timer(struct loop *l, int ms, int repeat, loop_timer_fn *fn, void *arg)
{
	struct loop_timer *t;

	l->timers = xrealloc(l->timers, (l->ntimers + 1) * sizeof *l->timers);
	t = &l->timers[l->ntimers++];
	t->id = ++l->next_timer;
	t->due = mono_ms() + ms;
	t->interval = repeat ? (ms > 0 ? ms : 1) : 0;
	t->fn = fn;
	t->arg = arg;
	t->gone = 0;
	return t->id;
}

void
loop_remove_timer(struct loop *l, int id)
{
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].id == id)
			l->timers[i].gone = 1;
}

int
loop_add_signal(struct loop *l, int signo, loop_signal_fn *fn, void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (signo == SIGCHLD)
		sa.sa_flags |= SA_NOCLDSTOP;
	if (sigaction(signo, &sa, NULL) != 0) {
		msg_error("catching signal %d: %s", signo, strerror(errno));
		return -1;
	}
	l->sigs = xrealloc(l->sigs, (l->nsigs + 1) * sizeof *l->sigs);
	l->sigs[l->nsigs].signo = signo;
	l->sigs[l->nsigs].fn = fn;
	l->sigs[l->nsigs++].arg = arg;
	return 0;
}

/* SIGCHLD: reap every watched child that ended. */
static void
reap(int signo, void *arg)
{
	struct loop *l = arg;
	struct loop_child c;
	size_t i;
	int status;

	(void)signo;
	for (i = 0; i < l->nchildren;) {
		if (waitpid(l->children[i].pid, &status, WNOHANG) != l->children[i].pid) {
			i++;
			continue;
		}
		c = l->children[i];
		memmove(&l->children[i], &l->children[i + 1],
		    (l->nchildren - i - 1) * sizeof *l->children);
		l->nchildren--;
		if (c.fn != NULL)
			c.fn(c.pid, status, c.arg);
	}
}

void
loop_add_child(struct loop *l, pid_t pid, loop_child_fn *fn, void *arg)
{
	size_t i;
	int have = 0;

	for (i = 0; i < l->nsigs; i++)
		have |= l->sigs[i].signo == SIGCHLD;
	if (!have)
		loop_add_signal(l, SIGCHLD, reap, l);
	l->children = xrealloc(l->children, (l->nchildren + 1) * sizeof *l->children);
	l->children[l->nchildren].pid = pid;
	l->children[l->nchildren].fn = fn;
	l->children[l->nchildren++].arg = arg;
	/* It may have ended before SIGCHLD was caught. */
	reap(SIGCHLD, l);
}

int
loop_children(const struct loop *l)
{
	return (int)l->nchildren;
}

static void
read_signals(int fd, short revents, void *arg)
{
	struct loop *l = arg;
	unsigned char got[64];
	ssize_t n, k;
	size_t i;

	(void)revents;
	while ((n = read(fd, got, sizeof got)) > 0)
		for (k = 0; k < n; k++)
			for (i = 0; i < l->nsigs; i++)
				if (l->sigs[i].signo == got[k])
					l->sigs[i].fn(got[k], l->sigs[i].arg);
}

/* Drop what was removed while callbacks ran. */
static void
compact(struct loop *l)
{
	size_t i, j;

	for (i = j = 0; i < l->nfds; i++)
		if (!l->fds[i].gone)
			l->fds[j++] = l->fds[i];
	l->nfds = j;
	for (i = j = 0; i < l->ntimers; i++)
		if (!l->timers[i].gone)
			l->timers[j++] = l->timers[i];
	l->ntimers = j;
}

/* Run the timers that are due (*ran: how many); the milliseconds until the next one (-1:
 * none). */
static int
run_timers(struct loop *l, int *ran)
{
	int64_t now = mono_ms(), next = -1;
	size_t i, n = l->ntimers;
	struct loop_timer t;

	for (i = 0; i < n; i++) {
		if (l->timers[i].gone || l->timers[i].due > now)
			continue;
		t = l->timers[i];
		if (t.interval > 0)
			l->timers[i].due = now + t.interval;
		else
			l->timers[i].gone = 1;
		(*ran)++;
		t.fn(t.arg);
	}
	compact(l);
	for (i = 0; i < l->ntimers; i++)
		if (next < 0 || l->timers[i].due - now < next)
			next = l->timers[i].due > now ? l->timers[i].due - now : 0;
	return (int)next;
}

int
loop_once(struct loop *l, int ms)
{
	struct pollfd *pfd;
	size_t i, n;
	int rc, wait, next, ran = 0;

	next = run_timers(l, &ran);
	wait = ms;
	if (next >= 0 && (wait < 0 || next < wait))
		wait = next;
	/* A timer's callback may have done what the caller waits for (a transfer ended): look
	 * at what is ready, but do not wait for more, so that the caller sees it. */
	if (ran > 0)
		wait = 0;
	n = l->nfds;
	pfd = xcalloc(n > 0 ? n : 1, sizeof *pfd);
	for (i = 0; i < n; i++) {
		pfd[i].fd = l->fds[i].fd;
		pfd[i].events = l->fds[i].events;
	}
	rc = poll(pfd, n, wait);
	if (rc < 0) {
		free(pfd);
		if (errno == EINTR)
			return 0;
		msg_error("waiting for events: %s", strerror(errno));
		return -1;
	}
	/* Callbacks may add and remove watches: the array may move, so match by fd. */
	for (i = 0; i < n && rc > 0; i++) {
		size_t j;

		if (pfd[i].revents == 0)
			continue;
		rc--;
		for (j = 0; j < l->nfds; j++)
			if (l->fds[j].fd == pfd[i].fd && !l->fds[j].gone)
				break;
		if (j < l->nfds)
			l->fds[j].fn(pfd[i].fd, pfd[i].revents, l->fds[j].arg);
	}
	free(pfd);
	compact(l);
	run_timers(l, &ran);
	return 0;
}

int
loop_run(struct loop *l)
{
	l->quit = 0;
	while (!l->quit)
		if (loop_once(l, -1) != 0)
			return -1;
	return 0;
}

void
loop_quit(struct loop *l)
{
	l->quit = 1;
}
