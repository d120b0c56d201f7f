/* received.h: the Received chain of a message → the connecting IP of each hop → the spam source. */
#ifndef ARFDESK_RECEIVED_H
#define ARFDESK_RECEIVED_H

#include <stddef.h>

#include "ipaddr.h"

/* The connecting IP of one Received header's "from" clause. Returns 0 when found. */
int	 received_connecting_ip(const char *value, struct ipaddr *);

/*
 * Walk Received header values from the top (most recent first); skip hops without a connecting
 * IP, in a reserved range, or inside one of the trusted networks; give the first remaining hop's
 * IP and its 1-based position. Returns 0 when found, -1 when every hop was skipped.
 */
int	 received_source(const char *const *values, size_t count, const struct ipnet *trusted,
	    size_t ntrusted, struct ipaddr *, size_t *hop);

#endif
