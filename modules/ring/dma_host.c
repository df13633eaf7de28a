// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the in-host DMA backend.  Functions on the iovsim PCI
 * domain sit behind no IOMMU, so the DMA addresses in-host drivers hand
 * them are physical addresses.  Only system RAM with a struct page is
 * accepted: MMIO, holes and memory the kernel does not manage are refused
 * rather than dereferenced.
 *
 * Which physical ranges are System RAM is the resource tree's answer, and
 * asking it walks the tree under a lock.  A ring and its buffers map the
 * same few ranges again and again, so each CPU remembers the System RAM
 * range its last lookup found; memory going online or offline empties
 * every CPU's copy (iovsim_dma_host_ram_changed()).
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/limits.h>
#include <linux/memory.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/pfn.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <iovsim/dma.h>

#include "ring_internal.h"

/**
 * struct iovsim_ram_range - a System RAM range, in page frames
 * @start: its first frame
 * @end: one past its last frame
 * @gen: the value of iovsim_ram_gen when it was looked up
 *
 * One per CPU, read and written with preemption disabled, and only in
 * task context, so never by two users at once.
 */
struct iovsim_ram_range {
	unsigned long start;
	unsigned long end;
	unsigned long gen;
};

static DEFINE_PER_CPU(struct iovsim_ram_range, iovsim_ram_cache);
/* bumped on every memory hotplug event: a cached range of an older one is stale */
static atomic_long_t iovsim_ram_gen = ATOMIC_LONG_INIT(1);

/* Lookups scan the resource tree one aligned window at a time. */
#define IOVSIM_RAM_WINDOW	(SZ_1G >> PAGE_SHIFT)

static int iovsim_ram_found(struct resource *res, void *arg)
{
	struct iovsim_ram_range *r = arg;
	unsigned long start = PFN_UP(res->start);
	unsigned long end = PFN_DOWN(res->end + 1);

	if (r->start < start || r->start >= end)
		return 0;
	r->start = start;
	r->end = end;
	return 1;
}

/*
 * True if frames [@pfn, @last] are all in one System RAM range, as
 * page_is_ram() would say of each, using and refreshing this CPU's cache.
 * False means "not in one range", not "not RAM".
 */
static bool iovsim_ram_contains(unsigned long pfn, unsigned long last)
{
	unsigned long gen = atomic_long_read(&iovsim_ram_gen);
	struct iovsim_ram_range *c, r = { .start = pfn };
	u64 win;
	bool hit;

	if (!in_task())
		return false;
	c = get_cpu_ptr(&iovsim_ram_cache);
	hit = c->gen == gen && pfn >= c->start && last < c->end;
	put_cpu_ptr(&iovsim_ram_cache);
	if (hit)
		return true;

	win = ALIGN_DOWN((u64)pfn, IOVSIM_RAM_WINDOW);
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				PFN_PHYS(win),
				PFN_PHYS(win + IOVSIM_RAM_WINDOW) - 1,
				&r, iovsim_ram_found) != 1)
		return false;
	r.gen = gen;
	c = get_cpu_ptr(&iovsim_ram_cache);
	*c = r;
	put_cpu_ptr(&iovsim_ram_cache);
	return last < r.end;
}

static bool iovsim_pfn_is_ram(unsigned long pfn)
{
	return iovsim_ram_contains(pfn, pfn) || page_is_ram(pfn);
}

/*
 * The page frame of @addr if it is RAM the kernel manages, else NULL.
 * A physical address whose frame number does not fit an unsigned long is
 * refused before it can be truncated.
 */
static struct page *iovsim_dma_host_page(u64 addr)
{
	u64 pfn = addr >> PAGE_SHIFT;

	if (pfn > ULONG_MAX || !pfn_valid(pfn) || !iovsim_pfn_is_ram(pfn))
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
	if (!iovsim_ram_contains(PHYS_PFN(addr), PHYS_PFN(addr + len - 1)) &&
	    region_intersects(addr, len, IORESOURCE_SYSTEM_RAM,
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

static int iovsim_dma_host_ram_changed(struct notifier_block *nb,
				       unsigned long action, void *data)
{
	atomic_long_inc(&iovsim_ram_gen);
	return NOTIFY_OK;
}

static struct notifier_block iovsim_dma_host_mem_nb = {
	.notifier_call = iovsim_dma_host_ram_changed,
};

/* Module init: follow memory hotplug.  Return: 0 or a negative errno. */
int iovsim_dma_host_init(void)
{
	return register_memory_notifier(&iovsim_dma_host_mem_nb);
}

void iovsim_dma_host_exit(void)
{
	unregister_memory_notifier(&iovsim_dma_host_mem_nb);
}
