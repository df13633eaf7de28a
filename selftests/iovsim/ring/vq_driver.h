/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A driver-side reference implementation of split and packed virtqueues,
 * written for the iovsim_ring tests independently of the device side: it
 * lays out a queue in a memory arena, posts chains, honours the device's
 * kick suppression and reaps used buffers.  Tests corrupt its memory on
 * purpose to play a hostile driver.
 */
#ifndef _IOVSIM_VQ_DRIVER_H
#define _IOVSIM_VQ_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iovsim/dma.h>
#include <iovsim/ring.h>

/* One buffer to post: device-readable unless @write. */
struct vq_buf {
	u64 addr;
	u32 len;
	bool write;
};

struct vq_driver {
	/* The arena standing for the driver's memory; DMA address = offset. */
	u8 *mem;
	size_t mem_size;
	size_t mem_used;
	struct iovsim_dma dma;

	/* What the device is told: areas, size, features. */
	struct iovsim_ring_config cfg;

	u32 num_free;
	/* Per head (split) or buffer ID (packed): descriptors it took. */
	u16 *ndescs;

	/* Split state. */
	u16 free_head;
	u16 *tails;
	u16 avail_idx;
	u16 kicked_avail_idx;
	u16 last_used_idx;

	/* Packed state. */
	u16 *free_ids;
	u32 nr_free_ids;
	u16 next_avail;
	bool avail_wrap;
	u32 added_since_kick;
	u16 last_used;
	bool used_wrap;
};

/* A queue laid out in a fresh arena of @mem_size bytes. */
int vq_driver_init(struct vq_driver *d, enum iovsim_ring_layout layout,
		   u32 size, bool event_idx, bool indirect, size_t mem_size);
/* The same with the areas where @cfg says; allocations from @heap_start. */
int vq_driver_init_at(struct vq_driver *d, const struct iovsim_ring_config *cfg,
		      size_t mem_size, size_t heap_start);
void vq_driver_destroy(struct vq_driver *d);

/* Bump allocation from the arena; returns the DMA address or 0 when full. */
u64 vq_alloc(struct vq_driver *d, size_t size, size_t align);
void *vq_ptr(struct vq_driver *d, u64 addr);

/*
 * Post a chain; with @indirect, as one indirect descriptor whose table is
 * allocated from the arena.  Returns 0 and the ID the device will report,
 * or -ENOSPC.
 */
int vq_post(struct vq_driver *d, const struct vq_buf *bufs, u32 n,
	    bool indirect, u16 *id);
/* Does the device want a notification for what was posted since last? */
bool vq_kick_needed(struct vq_driver *d);
/* Reap one used buffer: 1 and its ID and length, or 0. */
int vq_get_used(struct vq_driver *d, u16 *id, u32 *len);
/* Ask for (or stop asking for) used-buffer notifications. */
void vq_enable_cb(struct vq_driver *d);
void vq_disable_cb(struct vq_driver *d);

/* Wire formats as the driver sees them (little-endian host assumed). */
struct vq_split_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vq_packed_desc {
	u64 addr;
	u32 len;
	u16 id;
	u16 flags;
};

struct vq_split_desc *vq_split_desc(struct vq_driver *d, u16 i);
struct vq_packed_desc *vq_packed_desc(struct vq_driver *d, u16 i);
/* avail->idx, avail->ring[i % size], used->flags, used->idx. */
u16 *vq_avail_idx(struct vq_driver *d);
u16 *vq_avail_ring(struct vq_driver *d, u16 i);

#endif /* _IOVSIM_VQ_DRIVER_H */
