// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_bench's measured function: what a device model does per batch.
 */
#include <errno.h>

#include "ring_bench.h"

/* Fetch and complete @nr_chains chains, then decide on one interrupt. */
int bench_device_batch(struct iovsim_ring *ring,
		       struct iovsim_ring_chain *chain, u32 nr_chains)
{
	u32 i;

	for (i = 0; i < nr_chains; i++) {
		if (iovsim_ring_get_chain(ring, chain) != 1)
			return -EIO;
		if (iovsim_ring_complete(ring, chain, chain->writable_len))
			return -EIO;
	}
	return iovsim_ring_need_interrupt(ring) < 0 ? -EIO : 0;
}
