// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the device side of packed virtqueues (VIRTIO 1.2 section
 * 2.8).  Driver and device share one descriptor ring: the driver makes a
 * descriptor available by setting its AVAIL flag to the driver's wrap
 * counter and USED to the inverse; the device marks it used by setting
 * both to its own wrap counter.  The driver owns the driver event
 * suppression structure, the device the device one.
 */
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#include "ring_internal.h"

#define IOVSIM_PACKED_F_AVAIL	BIT(VRING_PACKED_DESC_F_AVAIL)
#define IOVSIM_PACKED_F_USED	BIT(VRING_PACKED_DESC_F_USED)
#define IOVSIM_PACKED_WRAP	BIT(VRING_PACKED_EVENT_F_WRAP_CTR)

static u64 iovsim_packed_desc_addr(const struct iovsim_ring *ring, u16 pos)
{
	return ring->cfg.desc_addr +
	       (u64)pos * sizeof(struct iovsim_packed_desc);
}

static bool iovsim_packed_is_avail(u16 flags, bool wrap)
{
	return !!(flags & IOVSIM_PACKED_F_AVAIL) == wrap &&
	       !!(flags & IOVSIM_PACKED_F_USED) != wrap;
}

static void iovsim_packed_advance(const struct iovsim_ring *ring, u16 *pos,
				  bool *wrap, u16 count)
{
	u32 next = (u32)*pos + count;

	if (next >= ring->cfg.size) {
		next -= ring->cfg.size;
		*wrap = !*wrap;
	}
	*pos = next;
}

/*
 * An indirect table is used in full and in order: it has no next
 * pointers, so it can hold no loop (section 2.8.19).
 */
static int iovsim_packed_walk_indirect(const struct iovsim_ring *ring,
				       u64 table, u32 len,
				       struct iovsim_ring_chain *chain)
{
	u32 i, entries = len / sizeof(struct iovsim_packed_desc);
	struct iovsim_packed_desc desc;
	u16 flags;
	int ret;

	for (i = 0; i < entries; i++) {
		ret = iovsim_dma_read(ring->dma, &desc,
				      table + (u64)i * sizeof(desc),
				      sizeof(desc));
		if (ret)
			return ret;
		flags = le16_to_cpu(desc.flags);
		if (flags & VRING_DESC_F_INDIRECT)
			return -EMLINK;
		ret = iovsim_chain_add(ring, chain, le64_to_cpu(desc.addr),
				       le32_to_cpu(desc.len),
				       flags & VRING_DESC_F_WRITE);
		if (ret)
			return ret;
	}
	return 0;
}

int iovsim_packed_get_chain(struct iovsim_ring *ring,
			    struct iovsim_ring_chain *chain)
{
	u16 pos = ring->packed.next_avail;
	bool wrap = ring->packed.avail_wrap;
	struct iovsim_packed_desc desc;
	u64 addr;
	u32 len;
	u16 flags;
	int ret;

	ret = iovsim_dma_read_le16(ring->dma, iovsim_packed_desc_addr(ring, pos) +
				   offsetof(struct iovsim_packed_desc, flags),
				   &flags);
	if (ret)
		return ret;
	if (!iovsim_packed_is_avail(flags, wrap))
		return 0;
	/* Read the chain only after the flags that made it available. */
	virt_rmb();

	iovsim_chain_reset(chain);
	for (;;) {
		ret = iovsim_dma_read(ring->dma, &desc,
				      iovsim_packed_desc_addr(ring, pos),
				      sizeof(desc));
		if (ret)
			return ret;
		flags = le16_to_cpu(desc.flags);
		/*
		 * The driver makes the head available last, so every later
		 * descriptor of the chain must be available already.
		 */
		if (!iovsim_packed_is_avail(flags, wrap))
			return -EILSEQ;
		chain->nr_descs++;

		addr = le64_to_cpu(desc.addr);
		len = le32_to_cpu(desc.len);
		if (flags & VRING_DESC_F_INDIRECT) {
			ret = iovsim_chain_check_indirect(ring, addr, len, flags);
			if (!ret)
				ret = iovsim_packed_walk_indirect(ring, addr, len,
								  chain);
		} else {
			ret = iovsim_chain_add(ring, chain, addr, len,
					       flags & VRING_DESC_F_WRITE);
		}
		if (ret)
			return ret;

		iovsim_packed_advance(ring, &pos, &wrap, 1);
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		if (chain->nr_descs == ring->cfg.size)
			return -E2BIG;
	}

	/* The buffer ID is that of the chain's last descriptor. */
	chain->id = le16_to_cpu(desc.id);
	ring->packed.next_avail = pos;
	ring->packed.avail_wrap = wrap;
	return 1;
}

int iovsim_packed_complete(struct iovsim_ring *ring,
			   const struct iovsim_ring_chain *chain, u32 written)
{
	u64 desc = iovsim_packed_desc_addr(ring, ring->packed.next_used);
	__le32 len = cpu_to_le32(written);
	__le16 id = cpu_to_le16(chain->id);
	u16 flags = 0;
	int ret;

	if (!chain->nr_descs || chain->nr_descs > ring->cfg.size)
		return -EINVAL;
	ret = iovsim_dma_write(ring->dma,
			       desc + offsetof(struct iovsim_packed_desc, len),
			       &len, sizeof(len));
	if (!ret)
		ret = iovsim_dma_write(ring->dma, desc +
				       offsetof(struct iovsim_packed_desc, id),
				       &id, sizeof(id));
	if (ret)
		return ret;
	if (ring->packed.used_wrap)
		flags = IOVSIM_PACKED_F_AVAIL | IOVSIM_PACKED_F_USED;
	/* ID and length must be visible before the flags that publish them. */
	virt_wmb();
	ret = iovsim_dma_write_le16(ring->dma, desc +
				    offsetof(struct iovsim_packed_desc, flags),
				    flags);
	if (ret)
		return ret;

	/* A used descriptor stands for the whole chain (section 2.8.7). */
	iovsim_packed_advance(ring, &ring->packed.next_used,
			      &ring->packed.used_wrap, chain->nr_descs);
	/* Saturate: a whole lap or more means "notify" anyway. */
	ring->packed.used_since_signal = min(ring->packed.used_since_signal +
					     chain->nr_descs, ring->cfg.size);
	return 0;
}

/*
 * Did the device, by writing used descriptors at the positions
 * [next_used - used_since_signal, next_used), reach the position the
 * driver asked to be notified at?  Positions are made linear relative to
 * the current lap; an event offset with the other wrap counter belongs to
 * the previous lap.
 */
static bool iovsim_packed_event_reached(const struct iovsim_ring *ring,
					u16 off_wrap)
{
	s32 new = ring->packed.next_used;
	s32 old = new - (s32)ring->packed.used_since_signal;
	s32 event = off_wrap & ~IOVSIM_PACKED_WRAP;

	if (ring->packed.used_since_signal >= ring->cfg.size)
		return true;
	if (!!(off_wrap & IOVSIM_PACKED_WRAP) != ring->packed.used_wrap)
		event -= ring->cfg.size;
	return event >= old && event < new;
}

int iovsim_packed_need_interrupt(struct iovsim_ring *ring)
{
	u64 event = ring->cfg.driver_addr;
	u16 flags, off_wrap;
	bool need;
	int ret;

	if (!ring->packed.used_since_signal)
		return 0;
	/* Order the used flags store before reading the driver's wishes. */
	virt_mb();
	ret = iovsim_dma_read_le16(ring->dma,
				   event + IOVSIM_PACKED_EVENT_FLAGS_OFF, &flags);
	if (ret)
		return ret;

	switch (flags) {
	case VRING_PACKED_EVENT_FLAG_DISABLE:
		need = false;
		break;
	case VRING_PACKED_EVENT_FLAG_DESC:
		if (ring->cfg.event_idx) {
			/*
			 * The driver writes off_wrap, then DESC: read
			 * off_wrap only after the flags that point at it
			 * (section 2.8.21).
			 */
			virt_rmb();
			ret = iovsim_dma_read_le16(ring->dma, event +
						   IOVSIM_PACKED_OFF_WRAP_OFF,
						   &off_wrap);
			if (ret)
				return ret;
			need = iovsim_packed_event_reached(ring, off_wrap);
			break;
		}
		fallthrough;
	default:
		/* ENABLE, and values a driver must not use: notify. */
		need = true;
		break;
	}
	ring->packed.used_since_signal = 0;
	return need;
}

int iovsim_packed_set_kicks(struct iovsim_ring *ring, bool enable)
{
	u64 event = ring->cfg.device_addr;
	u16 off_wrap, flags;
	u64 desc;
	int ret;

	if (!enable)
		return iovsim_dma_write_le16(ring->dma, event +
					     IOVSIM_PACKED_EVENT_FLAGS_OFF,
					     VRING_PACKED_EVENT_FLAG_DISABLE);

	flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	if (ring->cfg.event_idx) {
		off_wrap = ring->packed.next_avail;
		if (ring->packed.avail_wrap)
			off_wrap |= IOVSIM_PACKED_WRAP;
		ret = iovsim_dma_write_le16(ring->dma, event +
					    IOVSIM_PACKED_OFF_WRAP_OFF,
					    off_wrap);
		if (ret)
			return ret;
		/* The offset must be valid by the time the driver sees DESC. */
		virt_wmb();
		flags = VRING_PACKED_EVENT_FLAG_DESC;
	}
	ret = iovsim_dma_write_le16(ring->dma, event +
				    IOVSIM_PACKED_EVENT_FLAGS_OFF, flags);
	if (ret)
		return ret;

	/* As for split rings: re-check only after our write is visible. */
	virt_mb();
	desc = iovsim_packed_desc_addr(ring, ring->packed.next_avail);
	ret = iovsim_dma_read_le16(ring->dma, desc +
				   offsetof(struct iovsim_packed_desc, flags),
				   &flags);
	if (ret)
		return ret;
	return iovsim_packed_is_avail(flags, ring->packed.avail_wrap);
}
