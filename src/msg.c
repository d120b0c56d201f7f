/* msg.c: the sink of the core's errors, warnings and progress, and its default, standard error. */

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "util.h"

static msg_sink *sink;
static void *sink_arg;
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static int progress_shown;	/* standard error: a progress line is on the screen */

/* The CLI's sink: "arfdesk: " lines, progress rewritten in place on one line. */
static void
stderr_sink(enum msg_kind kind, const char *text, void *arg)
{
	(void)arg;
	switch (kind) {
	case MSG_ERROR:
	case MSG_WARNING:
		if (progress_shown) {
			fputc('\n', stderr);
			progress_shown = 0;
		}
		fprintf(stderr, "arfdesk: %s%s\n", kind == MSG_WARNING ? "warning: " : "", text);
		break;
	case MSG_PROGRESS:
		fprintf(stderr, "\r%s", text);
		progress_shown = 1;
		break;
	case MSG_PROGRESS_END:
		if (progress_shown)
			fputc('\n', stderr);
		progress_shown = 0;
		break;
	}
}

void
msg_set_sink(msg_sink *fn, void *arg)
{
	pthread_mutex_lock(&sink_lock);
	sink = fn;
	sink_arg = arg;
	pthread_mutex_unlock(&sink_lock);
}

static void
deliver(enum msg_kind kind, const char *text)
{
	pthread_mutex_lock(&sink_lock);
	(sink != NULL ? sink : stderr_sink)(kind, text, sink_arg);
	pthread_mutex_unlock(&sink_lock);
}

/*
 * Every message names things from outside (file names, arguments, keys, mail), so it goes
 * through text_safe like standard output: each control, C1, bidi or zero-width character
 * becomes one space and invalid UTF-8 U+FFFD. A newline is one of those controls, so a message
 * stays one line and a file name cannot forge a second "arfdesk: " line after it. Unlike a table
 * cell (text_safe_line) the spacing is kept, so "a  b.eml" is named as it is; tabs, which
 * text_safe keeps, become spaces too: no C0 byte at all reaches a sink.
 */
static void
vmessage(enum msg_kind kind, const char *fmt, va_list ap)
{
	va_list copy;
	char *text, *safe, *tab;
	int len;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0) {
		deliver(kind, "(unprintable message)");
		return;
	}
	text = xmalloc((size_t)len + 1);
	vsnprintf(text, (size_t)len + 1, fmt, ap);
	safe = text_safe(text, (size_t)len, 0);
	for (tab = strchr(safe, '\t'); tab != NULL; tab = strchr(tab, '\t'))
		*tab = ' ';
	deliver(kind, safe);
	free(safe);
	free(text);
}

void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(MSG_ERROR, fmt, ap);
	va_end(ap);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(MSG_WARNING, fmt, ap);
	va_end(ap);
}

void
msg_progress(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(MSG_PROGRESS, fmt, ap);
	va_end(ap);
}

void
msg_progress_end(void)
{
	deliver(MSG_PROGRESS_END, "");
}
