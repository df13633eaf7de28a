// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the in-host DMA backend.  Functions on the iovsim PCI
 * domain sit behind no IOMMU, so the DMA addresses in-host drivers hand
 * them are physical addresses.  A page is accepted only if it is System
 * RAM, online, and not reserved: MMIO, holes, offline or device memory,
 * the kernel image and every other PageReserved page (boot and firmware
 * reservations) are refused rather than touched.  Every page of a range
 * is checked, and the copies use accesses that report a fault instead of
 * oopsing, so that a page missing from the direct map (debug_pagealloc,
 * secretmem...) fails the access with -EFAULT.
 *
 * Which physical ranges are System RAM is the resource tree's answer, and
 * asking it takes resource_lock, which is neither safe in interrupt
 * context nor cheap.  So the tree is asked in task context only: when the
 * module loads and whenever memory goes online or offline; the answer is
 * kept as a sorted array published with RCU, which the accessors search
 * from any context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pfn.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <iovsim/dma.h>

#include "dma_pages.h"
#include "ring_internal.h"

/**
 * struct iovsim_ram_map - the System RAM ranges, as last looked up
 * @rcu: frees a replaced map once no accessor can see it
 * @nr: entries of @ranges
 * @ranges: sorted by start, not overlapping
 *
 * Read-only once published in iovsim_ram_map.
 */
struct iovsim_ram_map {
	struct rcu_head rcu;
	unsigned int nr;
	struct iovsim_pfn_range ranges[] __counted_by(nr);
};

/*
 * The current map: read under rcu_read_lock() by the accessors, from any
 * context; replaced under iovsim_ram_lock (task context only).
 */
static struct iovsim_ram_map __rcu *iovsim_ram_map;
static DEFINE_MUTEX(iovsim_ram_lock);

/* What a walk of the resource tree collects. */
struct iovsim_ram_walk {
	struct iovsim_ram_map *map;
	unsigned int max;
	unsigned int found;
};

/* Called in resource-tree order, so ranges come sorted. */
static int iovsim_ram_walk_one(struct resource *res, void *arg)
{
	struct iovsim_ram_walk *w = arg;
	unsigned long start = PFN_UP(res->start);
	unsigned long end = PFN_DOWN(res->end + 1);

	if (start >= end)
		return 0;
	if (w->map && w->found < w->max)
		w->map->ranges[w->found] = (struct iovsim_pfn_range){
			.start = start,
			.end = end,
		};
	w->found++;
	return 0;
}

static void iovsim_ram_walk(struct iovsim_ram_walk *w)
{
	w->found = 0;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, U64_MAX,
			    w, iovsim_ram_walk_one);
}

/*
 * Look the System RAM ranges up again and publish them.  Task context;
 * may sleep.  On failure the previous map stays, which refuses at worst
 * memory that has just come online.
 */
static int iovsim_ram_refresh(void)
{
	struct iovsim_ram_walk w = { };
	struct iovsim_ram_map *old;
	int tries;

	mutex_lock(&iovsim_ram_lock);
	/* Count, allocate, fill; again if the tree grew in between. */
	for (tries = 0; tries < 3; tries++) {
		iovsim_ram_walk(&w);
		w.max = w.found + 8;
		w.map = kzalloc(struct_size(w.map, ranges, w.max), GFP_KERNEL);
		if (!w.map)
			break;
		iovsim_ram_walk(&w);
		if (w.found <= w.max)
			break;
		kfree(w.map);
		w.map = NULL;
	}
	if (!w.map) {
		mutex_unlock(&iovsim_ram_lock);
		pr_warn("cannot record the System RAM ranges\n");
		return -ENOMEM;
	}
	w.map->nr = w.found;
	old = rcu_replace_pointer(iovsim_ram_map, w.map,
				  lockdep_is_held(&iovsim_ram_lock));
	mutex_unlock(&iovsim_ram_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/*
 * The page at @pfn if a device may reach it: online (which also rules
 * out offline sections and ZONE_DEVICE memory) and not reserved (the
 * kernel image, the memory map, boot and firmware reservations).
 */
static struct page *iovsim_dma_host_page(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page || PageReserved(page))
		return NULL;
	return page;
}

static int iovsim_dma_host_page_ok(unsigned long pfn, size_t offset,
				   size_t len, void *arg)
{
	return iovsim_dma_host_page(pfn) ? 0 : -EFAULT;
}

/*
 * Copies that report a fault instead of oopsing.  The driver's side is
 * accessed in naturally aligned units, so that an aligned 2-byte access
 * (iovsim_dma_read_le16(), iovsim_dma_write_le16()) is one single-copy
 * atomic load or store.  copy_to_kernel_nofault() is not exported to
 * modules: stores use the architecture's no-fault store directly.
 */
static int iovsim_dma_host_load(void *dst, const void *src, size_t len)
{
	u16 val;

	if (len != sizeof(val) || !IS_ALIGNED((unsigned long)src, sizeof(val)))
		return copy_from_kernel_nofault(dst, src, len) ? -EFAULT : 0;
	pagefault_disable();
	__get_kernel_nofault(&val, src, u16, fault);
	pagefault_enable();
	memcpy(dst, &val, sizeof(val));
	return 0;

fault:
	pagefault_enable();
	return -EFAULT;
}

static int iovsim_dma_host_store(void *dst, const void *src, size_t len)
{
	const u8 *in = src;
	u8 *out = dst;
	u64 v64;
	u16 v16;

	pagefault_disable();
	while (len) {
		if (len >= sizeof(v64) && IS_ALIGNED((unsigned long)out, 8)) {
			memcpy(&v64, in, sizeof(v64));
			__put_kernel_nofault(out, &v64, u64, fault);
			out += sizeof(v64);
			in += sizeof(v64);
			len -= sizeof(v64);
		} else if (len >= sizeof(v16) &&
			   IS_ALIGNED((unsigned long)out, 2)) {
			memcpy(&v16, in, sizeof(v16));
			__put_kernel_nofault(out, &v16, u16, fault);
			out += sizeof(v16);
			in += sizeof(v16);
			len -= sizeof(v16);
		} else {
			__put_kernel_nofault(out, in, u8, fault);
			out++;
			in++;
			len--;
		}
	}
	pagefault_enable();
	return 0;

fault:
	pagefault_enable();
	return -EFAULT;
}

/* Where an iovsim_dma_host_rw() copy stands. */
struct iovsim_dma_host_copy {
	u8 *buf;
	bool write;
};

static int iovsim_dma_host_copy_page(unsigned long pfn, size_t offset,
				     size_t len, void *arg)
{
	struct iovsim_dma_host_copy *c = arg;
	struct page *page = iovsim_dma_host_page(pfn);
	void *ptr;
	int ret;

	if (!page)
		return -EFAULT;
	ptr = kmap_local_page(page) + offset;
	if (c->write)
		ret = iovsim_dma_host_store(ptr, c->buf, len);
	else
		ret = iovsim_dma_host_load(c->buf, ptr, len);
	kunmap_local(ptr);
	c->buf += len;
	return ret;
}

/* Walk [@addr, @addr + @len) under RCU, through the current RAM map. */
static int iovsim_dma_host_walk(u64 addr, u64 len, iovsim_page_fn fn,
				void *arg)
{
	const struct iovsim_ram_map *map;
	int ret = -EFAULT;

	rcu_read_lock();
	map = rcu_dereference(iovsim_ram_map);
	if (map)
		ret = iovsim_pages_walk(map->ranges, map->nr, addr, len, fn,
					arg);
	rcu_read_unlock();
	return ret;
}

/*
 * The accessors never hand out a mapping: a plain memcpy() through it
 * could oops.  The common helpers move every byte through ->rw instead.
 */
static int iovsim_dma_host_map(const struct iovsim_dma *dma, u64 addr,
			       size_t len, void **ptr, size_t *mapped)
{
	return -EOPNOTSUPP;
}

/* O(pages): a bad page anywhere in the range refuses it. */
static int iovsim_dma_host_check(const struct iovsim_dma *dma, u64 addr,
				 u64 len)
{
	return iovsim_dma_host_walk(addr, len, iovsim_dma_host_page_ok, NULL);
}

/*
 * The whole range is checked before the first byte moves, so a range with
 * a bad page in the middle is refused with nothing copied (unless a page
 * goes bad between the check and the copy, which the copy reports).
 */
static int iovsim_dma_host_rw(const struct iovsim_dma *dma, u64 addr,
			      void *buf, size_t len, bool write)
{
	struct iovsim_dma_host_copy c = { .buf = buf, .write = write };
	int ret;

	ret = iovsim_dma_host_check(dma, addr, len);
	if (ret)
		return ret;
	return iovsim_dma_host_walk(addr, len, iovsim_dma_host_copy_page, &c);
}

/* iovsim_dma_host_load() and _store() move an aligned u16 in one access. */
static int iovsim_dma_host_rw16(const struct iovsim_dma *dma, u64 addr,
				__le16 *val, bool write)
{
	return iovsim_dma_host_rw(dma, addr, val, sizeof(*val), write);
}

static const struct iovsim_dma_ops iovsim_dma_host_ops = {
	.map = iovsim_dma_host_map,
	.check = iovsim_dma_host_check,
	.rw = iovsim_dma_host_rw,
	.rw16 = iovsim_dma_host_rw16,
};

void iovsim_dma_init_host(struct iovsim_dma *dma)
{
	dma->ops = &iovsim_dma_host_ops;
	dma->mem_base = NULL;
	dma->mem_size = 0;
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_init_host);

/* Memory hotplug notifier: task context, may sleep. */
static int iovsim_dma_host_ram_changed(struct notifier_block *nb,
				       unsigned long action, void *data)
{
	iovsim_ram_refresh();
	return NOTIFY_OK;
}

static struct notifier_block iovsim_dma_host_mem_nb = {
	.notifier_call = iovsim_dma_host_ram_changed,
};

/* Module init: record System RAM, follow memory hotplug. */
int iovsim_dma_host_init(void)
{
	int ret;

	ret = register_memory_notifier(&iovsim_dma_host_mem_nb);
	if (ret)
		return ret;
	/* After registering: a change from now on refreshes it again. */
	ret = iovsim_ram_refresh();
	if (ret)
		unregister_memory_notifier(&iovsim_dma_host_mem_nb);
	return ret;
}

void iovsim_dma_host_exit(void)
{
	struct iovsim_ram_map *map;

	unregister_memory_notifier(&iovsim_dma_host_mem_nb);
	/* No user is left: the module's users hold a reference on it. */
	map = rcu_replace_pointer(iovsim_ram_map, NULL, true);
	kfree_rcu(map, rcu);
	/* kfree_rcu() calls nothing of this module, but wait for its frees. */
	rcu_barrier();
}
