// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: virtqueue set-up and the layout-independent entry points.
 * A driver error breaks the ring until it is set up again, so a device
 * model sees the same error however often it retries.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#include "ring_internal.h"

void iovsim_ring_area_sizes(enum iovsim_ring_layout layout, u32 size,
			    u64 *desc, u64 *driver, u64 *device)
{
	if (layout == IOVSIM_RING_PACKED) {
		*desc = (u64)size * sizeof(struct iovsim_packed_desc);
		*driver = IOVSIM_PACKED_EVENT_SIZE;
		*device = IOVSIM_PACKED_EVENT_SIZE;
		return;
	}
	*desc = (u64)size * sizeof(struct iovsim_split_desc);
	/* flags, idx, ring[size], used_event */
	*driver = IOVSIM_SPLIT_RING_OFF + (u64)size * sizeof(__le16) +
		  sizeof(__le16);
	/* flags, idx, ring[size], avail_event */
	*device = IOVSIM_SPLIT_RING_OFF +
		  (u64)size * sizeof(struct iovsim_split_used_elem) +
		  sizeof(__le16);
}
EXPORT_SYMBOL_GPL(iovsim_ring_area_sizes);

static int iovsim_ring_check_layout(const struct iovsim_ring_config *cfg)
{
	u64 driver_align, device_align;

	if (!cfg->size || cfg->size > IOVSIM_RING_MAX_SIZE)
		return -EINVAL;
	if (cfg->layout == IOVSIM_RING_SPLIT) {
		if (cfg->size & (cfg->size - 1))
			return -EINVAL;
		driver_align = VRING_AVAIL_ALIGN_SIZE;
		device_align = VRING_USED_ALIGN_SIZE;
	} else if (cfg->layout == IOVSIM_RING_PACKED) {
		driver_align = IOVSIM_PACKED_EVENT_SIZE;
		device_align = IOVSIM_PACKED_EVENT_SIZE;
	} else {
		return -EINVAL;
	}
	if (cfg->desc_addr % VRING_DESC_ALIGN_SIZE ||
	    cfg->driver_addr % driver_align ||
	    cfg->device_addr % device_align)
		return -EINVAL;
	return 0;
}

int iovsim_ring_setup(struct iovsim_ring *ring, const struct iovsim_dma *dma,
		      const struct iovsim_ring_config *cfg)
{
	int ret;

	ret = iovsim_ring_check_layout(cfg);
	if (ret)
		return ret;

	*ring = (struct iovsim_ring) {
		.dma = dma,
		.cfg = *cfg,
	};
	if (cfg->layout == IOVSIM_RING_PACKED) {
		/* Both wrap counters start at 1 (section 2.8.1). */
		ring->packed.avail_wrap = true;
		ring->packed.used_wrap = true;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_ring_setup);

int iovsim_ring_check(const struct iovsim_ring *ring)
{
	const struct iovsim_ring_config *cfg = &ring->cfg;
	u64 desc, driver, device;
	int ret;

	iovsim_ring_area_sizes(cfg->layout, cfg->size, &desc, &driver, &device);
	ret = iovsim_dma_check(ring->dma, cfg->desc_addr, desc);
	if (!ret)
		ret = iovsim_dma_check(ring->dma, cfg->driver_addr, driver);
	if (!ret)
		ret = iovsim_dma_check(ring->dma, cfg->device_addr, device);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_ring_check);

int iovsim_ring_init(struct iovsim_ring *ring, const struct iovsim_dma *dma,
		     const struct iovsim_ring_config *cfg)
{
	struct iovsim_ring tmp;
	int ret;

	ret = iovsim_ring_setup(&tmp, dma, cfg);
	if (!ret)
		ret = iovsim_ring_check(&tmp);
	if (!ret)
		*ring = tmp;
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_ring_init);

/*
 * Remember a driver error.  Errors that report a mistake of the device
 * model, or a limit of its own, leave the ring usable.
 */
static int iovsim_ring_fail(struct iovsim_ring *ring, int ret)
{
	if (ret < 0 && ret != -EINVAL && ret != -ENOBUFS)
		ring->error = ret;
	return ret;
}

int iovsim_ring_get_chain(struct iovsim_ring *ring,
			  struct iovsim_ring_chain *chain)
{
	int ret;

	if (ring->error)
		return ring->error;
	if (!chain->max_segs)
		return -EINVAL;
	if (ring->cfg.layout == IOVSIM_RING_PACKED)
		ret = iovsim_packed_get_chain(ring, chain);
	else
		ret = iovsim_split_get_chain(ring, chain);
	if (ret > 0)
		ring->in_flight++;
	return iovsim_ring_fail(ring, ret);
}
EXPORT_SYMBOL_GPL(iovsim_ring_get_chain);

int iovsim_ring_complete(struct iovsim_ring *ring,
			 const struct iovsim_ring_chain *chain, u32 written)
{
	int ret;

	if (ring->error)
		return ring->error;
	if (!ring->in_flight || written > chain->writable_len)
		return -EINVAL;
	if (ring->cfg.layout == IOVSIM_RING_PACKED)
		ret = iovsim_packed_complete(ring, chain, written);
	else
		ret = iovsim_split_complete(ring, chain, written);
	if (!ret)
		ring->in_flight--;
	return iovsim_ring_fail(ring, ret);
}
EXPORT_SYMBOL_GPL(iovsim_ring_complete);

int iovsim_ring_need_interrupt(struct iovsim_ring *ring)
{
	int ret;

	if (ring->error)
		return ring->error;
	if (ring->cfg.layout == IOVSIM_RING_PACKED)
		ret = iovsim_packed_need_interrupt(ring);
	else
		ret = iovsim_split_need_interrupt(ring);
	return iovsim_ring_fail(ring, ret);
}
EXPORT_SYMBOL_GPL(iovsim_ring_need_interrupt);

static int iovsim_ring_set_kicks(struct iovsim_ring *ring, bool enable)
{
	int ret;

	if (ring->error)
		return ring->error;
	if (ring->cfg.layout == IOVSIM_RING_PACKED)
		ret = iovsim_packed_set_kicks(ring, enable);
	else
		ret = iovsim_split_set_kicks(ring, enable);
	return iovsim_ring_fail(ring, ret);
}

int iovsim_ring_disable_kicks(struct iovsim_ring *ring)
{
	return iovsim_ring_set_kicks(ring, false);
}
EXPORT_SYMBOL_GPL(iovsim_ring_disable_kicks);

int iovsim_ring_enable_kicks(struct iovsim_ring *ring)
{
	return iovsim_ring_set_kicks(ring, true);
}
EXPORT_SYMBOL_GPL(iovsim_ring_enable_kicks);
