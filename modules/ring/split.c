// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the device side of split virtqueues (VIRTIO 1.2 section
 * 2.7).  The driver owns the descriptor table and the available ring
 * (flags, idx, ring[], used_event); the device owns the used ring (flags,
 * idx, ring[], avail_event).  Indexes are free-running u16 counters taken
 * modulo the queue size, which is a power of two.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#include "ring_internal.h"

static u64 iovsim_split_avail_entry(const struct iovsim_ring *ring, u16 idx)
{
	return ring->cfg.driver_addr + IOVSIM_SPLIT_RING_OFF +
	       (u64)(idx & (ring->cfg.size - 1)) * sizeof(__le16);
}

static u64 iovsim_split_used_event(const struct iovsim_ring *ring)
{
	return ring->cfg.driver_addr + IOVSIM_SPLIT_RING_OFF +
	       (u64)ring->cfg.size * sizeof(__le16);
}

static u64 iovsim_split_used_entry(const struct iovsim_ring *ring, u16 idx)
{
	return ring->cfg.device_addr + IOVSIM_SPLIT_RING_OFF +
	       (u64)(idx & (ring->cfg.size - 1)) *
	       sizeof(struct iovsim_split_used_elem);
}

static u64 iovsim_split_avail_event(const struct iovsim_ring *ring)
{
	return ring->cfg.device_addr + IOVSIM_SPLIT_RING_OFF +
	       (u64)ring->cfg.size * sizeof(struct iovsim_split_used_elem);
}

/*
 * Read avail->idx.  The driver may have added at most a queue's worth of
 * entries beyond what the device consumed; anything else (including the
 * index going backwards) is a corrupted ring.
 */
static int iovsim_split_read_avail_idx(struct iovsim_ring *ring)
{
	u16 idx;
	int ret;

	ret = iovsim_dma_read_le16(ring->dma, ring->cfg.driver_addr +
				   IOVSIM_SPLIT_IDX_OFF, &idx);
	if (ret)
		return ret;
	if ((u16)(idx - ring->split.last_avail_idx) > ring->cfg.size)
		return -ERANGE;
	ring->split.avail_idx = idx;
	return 0;
}

/*
 * Follow the chain starting at descriptor @head.  Each table (the queue's
 * own, or one indirect table) is walked at most once per entry it has:
 * one more step is a loop.
 */
static int iovsim_split_walk(const struct iovsim_ring *ring, u16 head,
			     struct iovsim_ring_chain *chain)
{
	u64 table = ring->cfg.desc_addr;
	u32 table_size = ring->cfg.size;
	u32 i = head, steps = 0;
	bool indirect = false;
	struct iovsim_split_desc desc;
	u64 addr;
	u32 len;
	u16 flags;
	int ret;

	for (;;) {
		if (++steps > table_size)
			return -ELOOP;
		ret = iovsim_dma_read(ring->dma, &desc,
				      table + (u64)i * sizeof(desc),
				      sizeof(desc));
		if (ret)
			return ret;
		addr = le64_to_cpu(desc.addr);
		len = le32_to_cpu(desc.len);
		flags = le16_to_cpu(desc.flags);

		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect)
				return -EMLINK;
			ret = iovsim_chain_check_indirect(ring, addr, len, flags);
			if (ret)
				return ret;
			indirect = true;
			table = addr;
			table_size = len / sizeof(desc);
			i = 0;
			steps = 0;
			chain->nr_descs++;
			continue;
		}

		ret = iovsim_chain_add(ring, chain, addr, len,
				       flags & VRING_DESC_F_WRITE);
		if (ret)
			return ret;
		if (!indirect)
			chain->nr_descs++;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16_to_cpu(desc.next);
		if (i >= table_size)
			return -EDOM;
	}
}

int iovsim_split_get_chain(struct iovsim_ring *ring,
			   struct iovsim_ring_chain *chain)
{
	u64 entry;
	u16 head;
	int ret;

	if (ring->split.last_avail_idx == ring->split.avail_idx) {
		ret = iovsim_split_read_avail_idx(ring);
		if (ret)
			return ret;
		if (ring->split.last_avail_idx == ring->split.avail_idx)
			return 0;
		/* Read ring entries only after the index that covers them. */
		virt_rmb();
	}

	entry = iovsim_split_avail_entry(ring, ring->split.last_avail_idx);
	ret = iovsim_dma_read_le16(ring->dma, entry, &head);
	if (ret)
		return ret;
	if (head >= ring->cfg.size)
		return -EDOM;

	iovsim_chain_reset(chain);
	ret = iovsim_split_walk(ring, head, chain);
	if (ret)
		return ret;
	chain->id = head;
	ring->split.last_avail_idx++;
	return 1;
}

int iovsim_split_complete(struct iovsim_ring *ring,
			  const struct iovsim_ring_chain *chain, u32 written)
{
	struct iovsim_split_used_elem elem = {
		.id = cpu_to_le32(chain->id),
		.len = cpu_to_le32(written),
	};
	int ret;

	if (chain->id >= ring->cfg.size)
		return -EINVAL;
	ret = iovsim_dma_write(ring->dma,
			       iovsim_split_used_entry(ring,
						       ring->split.used_idx),
			       &elem, sizeof(elem));
	if (ret)
		return ret;
	/* The element must be visible before the index that publishes it. */
	virt_wmb();
	ret = iovsim_dma_write_le16(ring->dma, ring->cfg.device_addr +
				    IOVSIM_SPLIT_IDX_OFF,
				    ring->split.used_idx + 1);
	if (ret)
		return ret;
	ring->split.used_idx++;
	return 0;
}

int iovsim_split_need_interrupt(struct iovsim_ring *ring)
{
	u16 old = ring->split.signalled_used;
	u16 new = ring->split.used_idx;
	u16 val;
	int ret;

	if (old == new)
		return 0;
	/*
	 * Order the used->idx store before reading the driver's suppression
	 * state; pairs with the barrier the driver puts between writing
	 * used_event (or clearing NO_INTERRUPT) and re-reading used->idx.
	 */
	virt_mb();
	if (ring->cfg.event_idx) {
		ret = iovsim_dma_read_le16(ring->dma,
					   iovsim_split_used_event(ring), &val);
		if (ret)
			return ret;
		ring->split.signalled_used = new;
		return vring_need_event(val, new, old);
	}
	ret = iovsim_dma_read_le16(ring->dma, ring->cfg.driver_addr +
				   IOVSIM_SPLIT_FLAGS_OFF, &val);
	if (ret)
		return ret;
	ring->split.signalled_used = new;
	return !(val & VRING_AVAIL_F_NO_INTERRUPT);
}

int iovsim_split_set_kicks(struct iovsim_ring *ring, bool enable)
{
	int ret;

	if (ring->cfg.event_idx) {
		/*
		 * A stale avail_event already stops the driver's kicks once
		 * it has passed it: disabling needs no write.
		 */
		if (!enable)
			return 0;
		ret = iovsim_dma_write_le16(ring->dma,
					    iovsim_split_avail_event(ring),
					    ring->split.last_avail_idx);
	} else {
		ret = iovsim_dma_write_le16(ring->dma, ring->cfg.device_addr +
					    IOVSIM_SPLIT_FLAGS_OFF,
					    enable ? 0 : VRING_USED_F_NO_NOTIFY);
	}
	if (ret || !enable)
		return ret;

	/*
	 * The driver publishes avail->idx, then reads our flag or event:
	 * read avail->idx again only after our write is visible.
	 */
	virt_mb();
	ret = iovsim_split_read_avail_idx(ring);
	if (ret)
		return ret;
	if (ring->split.avail_idx == ring->split.last_avail_idx)
		return 0;
	/* As in iovsim_split_get_chain(): entries after the index. */
	virt_rmb();
	return 1;
}
