/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's own host-side split ring (drivers/vhost/vringh.c, built in
 * user space through the kernel's tools/virtio shim) as a reference for
 * ring_bench.  Only plain C types cross this interface: the two sides are
 * compiled against different shims.
 */
#ifndef _IOVSIM_VRINGH_BENCH_H
#define _IOVSIM_VRINGH_BENCH_H

/* A split queue of @num entries at the given CPU addresses, EVENT_IDX on. */
int vringh_bench_init(unsigned int num, void *desc, void *avail, void *used);
/* Fetch and complete @nr_chains chains, then decide on one interrupt. */
int vringh_bench_batch(unsigned int nr_chains);

#endif /* _IOVSIM_VRINGH_BENCH_H */
