/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of ring_bench that is measured, in a file of its own so that
 * it is never inlined and callgrind can count exactly it.
 */
#ifndef _IOVSIM_RING_BENCH_H
#define _IOVSIM_RING_BENCH_H

#include <iovsim/ring.h>

int bench_device_batch(struct iovsim_ring *ring,
		       struct iovsim_ring_chain *chain, u32 nr_chains);

#endif /* _IOVSIM_RING_BENCH_H */
