/* util.h: allocation wrappers, growable buffers, safe text and time helpers shared by every module. */
#ifndef ARFDESK_UTIL_H
#define ARFDESK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
char	*buf_steal(struct buf *);

/* A list of owned strings. */
struct strlist {
	char	**items;
	size_t	  count;
	size_t	  cap;
};

void	 strlist_add(struct strlist *, const char *);
void	 strlist_add_unique(struct strlist *, const char *);
int	 strlist_contains(const struct strlist *, const char *);
/* Remove every item equal to s, keeping the order of the rest. */
void	 strlist_remove(struct strlist *, const char *);
void	 strlist_free(struct strlist *);

/*
 * Make untrusted text safe for a terminal, a table or a JSON string: invalid UTF-8 becomes U+FFFD;
 * C0 controls (but TAB when keep_tab), DEL, C1, bidi overrides and zero-width characters are
 * replaced by a space (newline too unless keep_newline, which also turns CRLF and CR into LF).
 * Returns a new string.
 */
char	*text_safe(const char *, size_t, int keep_newline);
/* The same for a one-line field: also collapses runs of white space and trims. */
char	*text_safe_line(const char *, size_t);
/* Display width (terminal columns) of a UTF-8 string made by text_safe. */
size_t	 text_width(const char *);
/* Copy at most width columns of s into a new string, ending in "~" when cut. */
char	*text_fit(const char *, size_t width);

/* The index of name in a NULL-terminated list of names, or -1. */
int	 names_find(const char *const *, const char *);
/* "a, b, c": the names of a NULL-terminated list, into out (size bytes); returns out. */
const char *names_join(const char *const *, char *out, size_t size);
int	 str_lower_inplace(char *);
char	*str_trim(char *);
int	 str_has_prefix_ci(const char *, const char *);

/* ISO 8601 UTC ("2026-11-23T05:00:00Z") of a time; writes into a buffer of at least 21 bytes. */
void	 time_iso(time_t, char *, size_t);
/* Parse "2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01 12:00" or a relative "7d", "12h", "30m"
 * (before now) into a time. Returns 0 on success, -1 if not understood. */
int	 time_parse_since(const char *, time_t now, time_t *);

/* Parse a size with an optional K, M or G suffix (powers of 1024). */
int	 size_parse(const char *, uint64_t *);

/* Hex SHA-256 (64 characters + NUL) of a byte string (OpenSSL's libcrypto). */
void	 sha256_hex(const void *, size_t, char out[65]);

/* Milliseconds on the monotonic clock. */
int64_t	 mono_ms(void);

#endif
