/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to iovsim_ring: wire formats of the VIRTIO 1.x rings (always
 * little-endian) and the helpers the split and packed code share.
 */
#ifndef _IOVSIM_RING_INTERNAL_H
#define _IOVSIM_RING_INTERNAL_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <iovsim/ring.h>

/* A split descriptor (VIRTIO 1.2 section 2.7.5). */
struct iovsim_split_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

/* A split used element (section 2.7.8). */
struct iovsim_split_used_elem {
	__le32 id;
	__le32 len;
};

/* A packed descriptor (section 2.8.13). */
struct iovsim_packed_desc {
	__le64 addr;
	__le32 len;
	__le16 id;
	__le16 flags;
};

static_assert(sizeof(struct iovsim_split_desc) == 16, "split descriptor");
static_assert(sizeof(struct iovsim_split_used_elem) == 8, "used element");
static_assert(sizeof(struct iovsim_packed_desc) == 16, "packed descriptor");

/* Offsets inside the split avail and used rings (section 2.7.6/2.7.8). */
#define IOVSIM_SPLIT_FLAGS_OFF		0
#define IOVSIM_SPLIT_IDX_OFF		2
#define IOVSIM_SPLIT_RING_OFF		4

/* Offsets inside a packed event suppression structure (section 2.8.14). */
#define IOVSIM_PACKED_OFF_WRAP_OFF	0
#define IOVSIM_PACKED_EVENT_FLAGS_OFF	2
#define IOVSIM_PACKED_EVENT_SIZE	4

void iovsim_chain_reset(struct iovsim_ring_chain *chain);
int iovsim_chain_add(const struct iovsim_ring *ring,
		     struct iovsim_ring_chain *chain, u64 addr, u32 len,
		     bool writable);
int iovsim_chain_check_indirect(const struct iovsim_ring *ring, u64 addr,
				u32 len, u16 flags);

int iovsim_split_get_chain(struct iovsim_ring *ring,
			   struct iovsim_ring_chain *chain);
int iovsim_split_complete(struct iovsim_ring *ring,
			  const struct iovsim_ring_chain *chain, u32 written);
int iovsim_split_need_interrupt(struct iovsim_ring *ring);
int iovsim_split_set_kicks(struct iovsim_ring *ring, bool enable);

int iovsim_packed_get_chain(struct iovsim_ring *ring,
			    struct iovsim_ring_chain *chain);
int iovsim_packed_complete(struct iovsim_ring *ring,
			   const struct iovsim_ring_chain *chain, u32 written);
int iovsim_packed_need_interrupt(struct iovsim_ring *ring);
int iovsim_packed_set_kicks(struct iovsim_ring *ring, bool enable);

int iovsim_dma_host_init(void);
void iovsim_dma_host_exit(void);

#endif /* _IOVSIM_RING_INTERNAL_H */
