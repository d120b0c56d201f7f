/* msg.h: the one way the core says something to a person: errors, warnings and progress go to a
 * sink, which the CLI prints on standard error ("arfdesk: ...") and the console shows in its
 * status line and messages view. The core never writes to a terminal itself. */
#ifndef ARFDESK_MSG_H
#define ARFDESK_MSG_H

enum msg_kind {
	MSG_ERROR,
	MSG_WARNING,
	MSG_PROGRESS,		/* replaces the previous progress line */
	MSG_PROGRESS_END,	/* the progress is over (no text) */
};

/* Called with text already made safe (one line, no control characters); from any thread, one
 * call at a time. */
typedef void msg_sink(enum msg_kind, const char *text, void *arg);

/* Send messages to sink (NULL: standard error, as the CLI prints them). */
void	 msg_set_sink(msg_sink *, void *arg);

void	 msg_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 msg_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 msg_progress(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 msg_progress_end(void);

#endif
