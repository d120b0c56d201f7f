/* xfer.h: libcurl's multi interface on the one event loop (loop.h): every transfer's sockets
 * and curl's timer are the loop's, so transfers of any number run side by side with the
 * keyboard, children and other engines, and nothing blocks on the network. */
#ifndef ARFDESK_XFER_H
#define ARFDESK_XFER_H

#include <curl/curl.h>

struct loop;
struct xfer;

/* A transfer ended: its result (CURLE_OK or the error). */
typedef void xfer_done_fn(CURL *, CURLcode, void *arg);

struct xfer	*xfer_new(struct loop *);
/* Free it; transfers still running are removed (their handles are the caller's). */
void		 xfer_free(struct xfer *);
/* Start a transfer: its handle set up by the caller; done is called once when it ends (the
 * handle is then out of the multi, to reuse or to clean up). 0, or -1 (reported). */
int		 xfer_add(struct xfer *, CURL *, xfer_done_fn *, void *arg);
/* Transfers running. */
int		 xfer_running(const struct xfer *);
/* The multi handle, for settings (connection limits). */
CURLM		*xfer_multi(struct xfer *);

#endif
