/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to iovsim_ring: range validation and piecewise mapping shared
 * by the DMA helpers.
 */
#ifndef _IOVSIM_RING_DMA_MAP_H
#define _IOVSIM_RING_DMA_MAP_H

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <iovsim/dma.h>

/*
 * The range [@addr, @addr + @len) must not wrap around the 64-bit DMA
 * address space.  An empty range is always valid.
 */
static inline int iovsim_dma_range_ok(u64 addr, u64 len)
{
	u64 end;

	if (check_add_overflow(addr, len, &end))
		return -EOVERFLOW;
	return 0;
}

/* Map the start of a range that iovsim_dma_range_ok() accepted. */
static inline int iovsim_dma_map(const struct iovsim_dma *dma, u64 addr,
				 size_t len, void **ptr, size_t *mapped)
{
	int ret;

	ret = dma->ops->map(dma, addr, len, ptr, mapped);
	if (ret)
		return ret;
	if (WARN_ON_ONCE(*mapped == 0 || *mapped > len)) {
		if (dma->ops->unmap)
			dma->ops->unmap(dma, *ptr);
		return -EFAULT;
	}
	return 0;
}

/*
 * The backend's @map returned -EOPNOTSUPP for [@addr, @addr + @len): move
 * the bytes through its @rw instead.  Without @rw the range is unusable.
 */
static inline int iovsim_dma_rw(const struct iovsim_dma *dma, u64 addr,
				void *buf, size_t len, bool write)
{
	if (!dma->ops->rw)
		return -EFAULT;
	return dma->ops->rw(dma, addr, buf, len, write);
}

/* Bytes of the on-stack bounce buffer used when two ranges meet via @rw. */
#define IOVSIM_DMA_BOUNCE	256

static inline void iovsim_dma_unmap(const struct iovsim_dma *dma, void *ptr)
{
	if (dma->ops->unmap)
		dma->ops->unmap(dma, ptr);
}

#endif /* _IOVSIM_RING_DMA_MAP_H */
