/* loop.h: the one event loop, over poll(2): file descriptors (the keyboard, children's pipes,
 * and later the DNS and HTTP engines' sockets), timers, signals through a self-pipe, and child
 * processes. Callbacks run from loop_run, one at a time, never from a signal handler. */
#ifndef ARFDESK_LOOP_H
#define ARFDESK_LOOP_H

#include <poll.h>
#include <sys/types.h>

struct loop;

/* fd is ready: revents as poll(2) sets them (POLLIN, POLLOUT, POLLHUP, POLLERR). */
typedef void loop_fd_fn(int fd, short revents, void *arg);
typedef void loop_timer_fn(void *arg);
typedef void loop_signal_fn(int signo, void *arg);
/* A child ended: its wait status. */
typedef void loop_child_fn(pid_t, int status, void *arg);

struct loop	*loop_new(void);
void		 loop_free(struct loop *);

/* Watch fd for events (POLLIN, POLLOUT); one watch per fd (adding again replaces it). */
void	 loop_add_fd(struct loop *, int fd, short events, loop_fd_fn *, void *arg);
void	 loop_fd_events(struct loop *, int fd, short events);
void	 loop_remove_fd(struct loop *, int fd);

/* Call fn after ms milliseconds, and every ms after that when repeat. Returns the timer's id
 * (never 0). */
int	 loop_add_timer(struct loop *, int ms, int repeat, loop_timer_fn *, void *arg);
void	 loop_remove_timer(struct loop *, int id);

/* Call fn (from the loop) when signo arrives. 0, or -1 (reported). */
int	 loop_add_signal(struct loop *, int signo, loop_signal_fn *, void *arg);

/* Call fn when the child pid ends (the loop reaps it: SIGCHLD is the loop's). */
void	 loop_add_child(struct loop *, pid_t, loop_child_fn *, void *arg);
/* Children being watched. */
int	 loop_children(const struct loop *);

/* Run until loop_quit; 0, or -1 when poll fails (reported). */
int	 loop_run(struct loop *);
/* Wait at most ms (-1: no limit) for one round of events and run their callbacks. 0, or -1. */
int	 loop_once(struct loop *, int ms);
void	 loop_quit(struct loop *);

#endif
