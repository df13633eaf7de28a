// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cost of the device side of iovsim_ring per chain: fetch (walk and
 * validate every descriptor and buffer), complete, and one interrupt
 * decision per batch.  The reference driver refills the queue between
 * batches, outside the measured function.  Buffers are not touched:
 * this measures the ring, not memcpy.
 *
 *   ring_bench [--impl iovsim|vringh] --layout split|packed --segs N
 *              [--iters BATCHES]
 *
 * prints "chains=C ns_per_chain=T".  --impl vringh runs the kernel's
 * vringh (split only) on the same rings as a reference.  bench.sh runs it
 * natively and under callgrind (collecting only bench_device_batch() or
 * vringh_bench_batch()) to build the table in Documentation/ring.rst.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring_bench.h"
#include "vringh_bench.h"
#include "vq_driver.h"

#define QUEUE_SIZE	1024
#define MAX_SEGS	16

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int refill(struct vq_driver *d, const struct vq_buf *bufs, u32 segs,
		  u32 nr_chains)
{
	u16 id;
	u32 len, i;

	while (vq_get_used(d, &id, &len) == 1)
		;
	for (i = 0; i < nr_chains; i++)
		if (vq_post(d, bufs, segs, false, &id))
			return -ENOSPC;
	return 0;
}

int main(int argc, char **argv)
{
	enum iovsim_ring_layout layout = IOVSIM_RING_SPLIT;
	struct iovsim_ring_seg segs_storage[MAX_SEGS];
	struct iovsim_ring_chain chain = {
		.segs = segs_storage,
		.max_segs = MAX_SEGS,
	};
	struct vq_buf bufs[MAX_SEGS];
	u32 segs = 1, iters = 10000, nr_chains, i;
	struct iovsim_ring ring;
	struct vq_driver d;
	u64 total_ns = 0, start;
	bool vringh = false;
	int ret;

	for (i = 1; i + 1 < (u32)argc; i += 2) {
		if (!strcmp(argv[i], "--impl"))
			vringh = !strcmp(argv[i + 1], "vringh");
		else if (!strcmp(argv[i], "--layout"))
			layout = strcmp(argv[i + 1], "packed") ?
				 IOVSIM_RING_SPLIT : IOVSIM_RING_PACKED;
		else if (!strcmp(argv[i], "--segs"))
			segs = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--iters"))
			iters = strtoul(argv[i + 1], NULL, 0);
	}
	if (!segs || segs > MAX_SEGS || !iters ||
	    (vringh && layout != IOVSIM_RING_SPLIT)) {
		fprintf(stderr,
			"usage: %s [--impl iovsim|vringh] --layout split|packed\n"
			"\t--segs 1..%d [--iters N] (vringh: split only)\n",
			argv[0], MAX_SEGS);
		return 2;
	}

	if (vq_driver_init(&d, layout, QUEUE_SIZE, true, false, 1 << 20))
		return 1;
	for (i = 0; i < segs; i++)
		bufs[i] = (struct vq_buf){
			.addr = vq_alloc(&d, 64, 64),
			.len = 64,
			.write = i >= segs / 2,
		};
	if (vringh)
		ret = vringh_bench_init(QUEUE_SIZE, vq_ptr(&d, d.cfg.desc_addr),
					vq_ptr(&d, d.cfg.driver_addr),
					vq_ptr(&d, d.cfg.device_addr));
	else
		ret = iovsim_ring_init(&ring, &d.dma, &d.cfg);
	if (ret)
		return 1;
	vq_enable_cb(&d);

	nr_chains = QUEUE_SIZE / segs;
	for (i = 0; i < iters; i++) {
		if (refill(&d, bufs, segs, nr_chains))
			return 1;
		start = now_ns();
		if (vringh)
			ret = vringh_bench_batch(nr_chains);
		else
			ret = bench_device_batch(&ring, &chain, nr_chains);
		if (ret)
			return 1;
		total_ns += now_ns() - start;
	}
	printf("chains=%llu ns_per_chain=%.1f\n",
	       (unsigned long long)iters * nr_chains,
	       (double)total_ns / ((double)iters * nr_chains));
	vq_driver_destroy(&d);
	return 0;
}
