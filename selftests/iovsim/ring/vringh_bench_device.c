// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_bench's reference device: the same work as bench_device_batch()
 * (fetch a chain, sum its writable length, complete it; one interrupt
 * decision per batch), done by the kernel's vringh on kernel-address
 * rings.  Compiled against the kernel source's tools/virtio shim, not
 * against iovsim's: see the vringh rules in Makefile.
 */
#include <linux/kernel.h>
#include <linux/virtio_config.h>
#include <linux/vringh.h>

#include "vringh_bench.h"

#define VRINGH_BENCH_MAX_SEGS	16

/* The tools/virtio kmalloc() shim hands this out when set. */
void *__kmalloc_fake, *__kfree_ignore_start, *__kfree_ignore_end;

static struct vringh vrh;
static struct kvec rkvec[VRINGH_BENCH_MAX_SEGS], wkvec[VRINGH_BENCH_MAX_SEGS];
static struct vringh_kiov riov, wiov;

int vringh_bench_init(unsigned int num, void *desc, void *avail, void *used)
{
	u64 features = (1ULL << VIRTIO_RING_F_EVENT_IDX) |
		       (1ULL << VIRTIO_F_VERSION_1);

	vringh_kiov_init(&riov, rkvec, VRINGH_BENCH_MAX_SEGS);
	vringh_kiov_init(&wiov, wkvec, VRINGH_BENCH_MAX_SEGS);
	return vringh_init_kern(&vrh, features, num, true, desc, avail, used);
}

int vringh_bench_batch(unsigned int nr_chains)
{
	unsigned int i;
	u16 head;

	for (i = 0; i < nr_chains; i++) {
		if (vringh_getdesc_kern(&vrh, &riov, &wiov, &head,
					GFP_KERNEL) != 1)
			return -EIO;
		if (vringh_complete_kern(&vrh, head,
					 vringh_kiov_length(&wiov)))
			return -EIO;
	}
	return vringh_need_notify_kern(&vrh) < 0 ? -EIO : 0;
}
