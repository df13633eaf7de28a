// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the plain-memory DMA backend.  DMA address N is byte N of
 * one CPU buffer; anything past its end is refused.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <iovsim/dma.h>

static int iovsim_dma_mem_check(const struct iovsim_dma *dma, u64 addr,
				u64 len)
{
	if (addr >= dma->mem_size || len > dma->mem_size - addr)
		return -EFAULT;
	return 0;
}

static int iovsim_dma_mem_map(const struct iovsim_dma *dma, u64 addr,
			      size_t len, void **ptr, size_t *mapped)
{
	if (addr >= dma->mem_size)
		return -EFAULT;
	*ptr = (u8 *)dma->mem_base + addr;
	*mapped = min_t(u64, len, dma->mem_size - addr);
	return 0;
}

static const struct iovsim_dma_ops iovsim_dma_mem_ops = {
	.map = iovsim_dma_mem_map,
	.check = iovsim_dma_mem_check,
};

void iovsim_dma_init_mem(struct iovsim_dma *dma, void *base, size_t size)
{
	dma->ops = &iovsim_dma_mem_ops;
	dma->mem_base = base;
	dma->mem_size = size;
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_init_mem);
