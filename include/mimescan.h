/* mimescan.h: bounds the MIME nesting that GMime is given, by a pass over the raw boundaries. */
#ifndef ARFDESK_MIMESCAN_H
#define ARFDESK_MIMESCAN_H

#include <stddef.h>

#include "util.h"

/*
 * Follow the multipart structure of the raw message (len bytes, not NUL-terminated) the way
 * GMime's parser reads it: header blocks, their Content-Type boundaries, embedded
 * message/rfc822 parts, and "--boundary" and "--boundary--" lines. A multipart inside more than
 * max_depth others (counted through embedded messages, as GMime stacks their boundaries) is
 * too deep: its header block is kept and its content is replaced by its own close delimiter.
 *
 * Returns 0 when nothing is nested that deep (out is left alone: parse raw as it is), or the
 * number of multiparts cut, with out holding the copy to parse instead.
 */
size_t	mimescan_bound(const char *raw, size_t len, long max_depth, struct buf *out);

#endif
