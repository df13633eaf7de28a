// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the in-host DMA backend.  Functions on the iovsim PCI
 * domain sit behind no IOMMU, so the DMA addresses in-host drivers hand
 * them are physical addresses.  Only system RAM with a struct page is
 * accepted: MMIO, holes and memory the kernel does not manage are refused
 * rather than dereferenced.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/types.h>
#include <iovsim/dma.h>

/*
 * The page frame of @addr if it is RAM the kernel manages, else NULL.
 * A physical address whose frame number does not fit an unsigned long is
 * refused before it can be truncated.
 */
static struct page *iovsim_dma_host_page(u64 addr)
{
	u64 pfn = addr >> PAGE_SHIFT;

	if (pfn > ULONG_MAX || !pfn_valid(pfn) || !page_is_ram(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static int iovsim_dma_host_map(const struct iovsim_dma *dma, u64 addr,
			       size_t len, void **ptr, size_t *mapped)
{
	size_t offset = offset_in_page(addr);
	struct page *page;

	page = iovsim_dma_host_page(addr);
	if (!page)
		return -EFAULT;
	*ptr = kmap_local_page(page) + offset;
	*mapped = min_t(size_t, len, PAGE_SIZE - offset);
	return 0;
}

static void iovsim_dma_host_unmap(const struct iovsim_dma *dma, void *ptr)
{
	kunmap_local(ptr);
}

/*
 * One lookup in the resource tree for the whole range, so that a hostile
 * 4 GiB segment costs no more than a small one.  Every page is checked
 * again when it is mapped.
 */
static int iovsim_dma_host_check(const struct iovsim_dma *dma, u64 addr,
				 u64 len)
{
	if (addr + len - 1 > (resource_size_t)-1 || len > SIZE_MAX)
		return -EFAULT;
	if (region_intersects(addr, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS)
		return -EFAULT;
	if (!iovsim_dma_host_page(addr) ||
	    !iovsim_dma_host_page(addr + len - 1))
		return -EFAULT;
	return 0;
}

static const struct iovsim_dma_ops iovsim_dma_host_ops = {
	.map = iovsim_dma_host_map,
	.unmap = iovsim_dma_host_unmap,
	.check = iovsim_dma_host_check,
};

void iovsim_dma_init_host(struct iovsim_dma *dma)
{
	dma->ops = &iovsim_dma_host_ops;
	dma->mem_base = NULL;
	dma->mem_size = 0;
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_init_host);
