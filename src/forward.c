/* forward.c: finds the original spam quoted inside a complaint's text: after a forward marker,
 * as headers pasted into the body, or after SpamCop's "[ Offending message ]"; and SpamCop's own
 * "Email from" line. Text only: the caller parses what it finds. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forward.h"
#include "util.h"

/* Does a text begin with something that looks like a header line ("Received: from ...")? */
int
forward_looks_like_headers(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i == len || !isalpha((unsigned char)s[i]))
		return 0;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	return i < len && s[i] == ':';
}

static const char *const forward_markers[] = {
	"[ Offending message ]",
	"Forwarded message",
	"Original Message",
	"Begin forwarded message",
	"Forwarded Message",
	"Weitergeleitete Nachricht",
	"Message transféré",
};

/* Does the header block starting at text (up to its first empty line) hold a Received line? */
static int
block_has_received(const char *text)
{
	const char *line, *next;

	for (line = text; *line != '\0' && *line != '\n'; line = next) {
		if (strncasecmp(line, "Received:", 9) == 0)
			return 1;
		next = strchr(line, '\n');
		if (next == NULL)
			break;
		next++;
	}
	return 0;
}

/*
 * Where the quoted original starts in a body text, or NULL. A forward marker ("---- Forwarded
 * message ----") followed by headers that include the Received chain wins; else pasted headers
 * (a Received, Return-Path or Delivered-To line), the fullest copy of the original's header,
 * wherever they are; else the short header block after the marker.
 */
const char *
forward_start(const char *text)
{
	const char *p, *line, *marker = NULL, *found, *after = NULL;
	size_t i;

	for (i = 0; i < sizeof forward_markers / sizeof forward_markers[0]; i++)
		if ((found = strstr(text, forward_markers[i])) != NULL &&
		    (marker == NULL || found < marker))
			marker = found;
	if (marker != NULL && (p = strchr(marker, '\n')) != NULL) {
		while (*p == '\n' || *p == '\r' || *p == ' ')
			p++;
		if (forward_looks_like_headers(p, strlen(p))) {
			after = p;
			if (block_has_received(after))
				return after;
		}
	}
	for (line = text; line != NULL && *line != '\0'; line = p) {
		p = strchr(line, '\n');
		if (p != NULL)
			p++;
		if (strncasecmp(line, "Received: ", 10) == 0 ||
		    strncasecmp(line, "Return-Path:", 12) == 0 ||
		    strncasecmp(line, "Delivered-To:", 13) == 0)
			return line;
	}
	return after;
}

/* Remove a "> " quoting prefix from every line. */
static char *
unquote(const char *text)
{
	struct buf b;
	const char *p = text;
	int bol = 1;

	buf_init(&b);
	for (; *p != '\0'; p++) {
		if (bol && *p == '>') {
			if (p[1] == ' ')
				p++;
			bol = 0;
			continue;
		}
		bol = *p == '\n';
		buf_addc(&b, *p);
	}
	return buf_steal(&b);
}

/* Pasted headers often lose their folding: inside the header block, a line that is not
 * "Name: value" continues the previous one. Gmail's "From: *Name* <x@y>" parses as is. */
static char *
repair_headers(const char *text)
{
	struct buf b;
	const char *line = text, *next, *p;
	size_t len;
	int in_headers = 1;

	buf_init(&b);
	for (; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		len = (size_t)(next - line);
		if (in_headers && (len == 1 || (len == 2 && line[0] == '\r')))
			in_headers = 0;
		else if (in_headers && line[0] != ' ' && line[0] != '\t') {
			for (p = line; p < next && (isalnum((unsigned char)*p) || *p == '-'); p++)
				;
			if (p == line || p == next || *p != ':')
				buf_addc(&b, ' ');
		}
		buf_add(&b, line, len);
	}
	return buf_steal(&b);
}

char *
forward_text(const char *start)
{
	char *quoted = start[0] == '>' ? unquote(start) : NULL;
	char *text = repair_headers(quoted != NULL ? quoted : start);

	free(quoted);
	return text;
}

char *
forward_spamcop_source(const char *text)
{
	const char *p = text, *line;
	size_t n;

	for (line = p; line != NULL && *line != '\0'; line = p) {
		p = strchr(line, '\n');
		if (p != NULL)
			p++;
		if (strncmp(line, "Email from ", 11) != 0)
			continue;
		n = strcspn(line + 11, " /\r\n");
		return n > 0 && n < 64 ? xstrndup(line + 11, n) : NULL;
	}
	return NULL;
}
