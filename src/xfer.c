/* xfer.c: curl multi over loop.c. curl says which sockets to watch (CURLMOPT_SOCKETFUNCTION)
 * and when to call it back (CURLMOPT_TIMERFUNCTION); the loop watches and calls
 * curl_multi_socket_action, after which ended transfers are handed to their callbacks. */

#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "msg.h"
#include "util.h"
#include "xfer.h"

struct xfer_job {
	CURL		*easy;
	xfer_done_fn	*done;
	void		*arg;
};

struct xfer {
	struct loop	*loop;
	CURLM		*multi;
	int		 timer;		/* the loop's timer for curl, or 0 */
	int		 running;
	struct xfer_job	*jobs;
	size_t		 njobs;
};

static void
reap(struct xfer *x)
{
	struct xfer_job job;
	CURLMsg *m;
	size_t i;
	int left;

	while ((m = curl_multi_info_read(x->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < x->njobs; i++)
			if (x->jobs[i].easy == m->easy_handle)
				break;
		curl_multi_remove_handle(x->multi, m->easy_handle);
		if (i == x->njobs)
			continue;
		job = x->jobs[i];
		x->jobs[i] = x->jobs[--x->njobs];
		/* The callback may start the next transfer on the same handle. */
		job.done(job.easy, m->data.result, job.arg);
	}
}

static void
on_socket(int fd, short revents, void *arg)
{
	struct xfer *x = arg;
	int flags = 0;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(x->multi, fd, flags, &x->running);
	reap(x);
}

static void
on_timer(void *arg)
{
	struct xfer *x = arg;

	x->timer = 0;
	curl_multi_socket_action(x->multi, CURL_SOCKET_TIMEOUT, 0, &x->running);
	reap(x);
}

static int
socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg, void *socketp)
{
	struct xfer *x = arg;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_remove_fd(x->loop, fd);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= POLLOUT;
	loop_add_fd(x->loop, fd, events, on_socket, x);
	return 0;
}

/* curl may not be called back from here: the loop's timer does it. */
static int
timer_cb(CURLM *multi, long ms, void *arg)
{
	struct xfer *x = arg;

	(void)multi;
	if (x->timer != 0)
		loop_remove_timer(x->loop, x->timer);
	x->timer = 0;
	if (ms >= 0)
		x->timer = loop_add_timer(x->loop, ms > 0x7fffffffL ? 0x7fffffff : (int)ms, 0,
		    on_timer, x);
	return 0;
}

struct xfer *
xfer_new(struct loop *loop)
{
	struct xfer *x = xcalloc(1, sizeof *x);

	x->loop = loop;
	if ((x->multi = curl_multi_init()) == NULL) {
		msg_error("cannot start libcurl's multi interface");
		free(x);
		return NULL;
	}
	curl_multi_setopt(x->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(x->multi, CURLMOPT_SOCKETDATA, x);
	curl_multi_setopt(x->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(x->multi, CURLMOPT_TIMERDATA, x);
	return x;
}

void
xfer_free(struct xfer *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->njobs; i++)
		curl_multi_remove_handle(x->multi, x->jobs[i].easy);
	if (x->timer != 0)
		loop_remove_timer(x->loop, x->timer);
	curl_multi_cleanup(x->multi);
	free(x->jobs);
	free(x);
}

int
xfer_add(struct xfer *x, CURL *easy, xfer_done_fn *done, void *arg)
{
	CURLMcode rc;

	x->jobs = xrealloc(x->jobs, (x->njobs + 1) * sizeof *x->jobs);
	x->jobs[x->njobs].easy = easy;
	x->jobs[x->njobs].done = done;
	x->jobs[x->njobs].arg = arg;
	if ((rc = curl_multi_add_handle(x->multi, easy)) != CURLM_OK) {
		msg_error("starting a transfer: %s", curl_multi_strerror(rc));
		return -1;
	}
	x->njobs++;
	return 0;
}

int
xfer_running(const struct xfer *x)
{
	return (int)x->njobs;
}

CURLM *
xfer_multi(struct xfer *x)
{
	return x->multi;
}
