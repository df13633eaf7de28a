// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the VFIO DMA backend.  A function passed through to user
 * space (or to a VM) by the mdev shim reaches the IOVAs user space mapped
 * into its container.  Pages are pinned with vfio_pin_pages() and kept in
 * a small cache, so ring indexes and descriptors polled again and again
 * cost one lookup; pages that cannot be pinned are reached with
 * vfio_dma_rw() instead.  VFIO serves both only from the process that
 * mapped the IOVAs or from a kernel thread: see iovsim_dma_init_vfio().
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <iovsim/dma.h>

/* Pages one context keeps pinned: a ring's three areas and a few buffers. */
#define IOVSIM_DMA_VFIO_CACHE	16

/*
 * After an invalidation, pages of the range are not pinned again for this
 * long (accesses use vfio_dma_rw() meanwhile).  VFIO's unmap calls
 * @dma_unmap, then retakes its lock and checks that nothing of the range
 * is pinned; if a pin slipped in between it notifies again, and BUGs
 * after ten retries in a row.  A device polling a page of the range could
 * otherwise re-pin it in that window each time.  The unmap completes
 * microseconds after the notification; two jiffies cover it.
 */
#define IOVSIM_DMA_VFIO_HOLDOFF	2

/**
 * struct iovsim_dma_vfio - the pin cache of a VFIO DMA context
 * @vdev: the VFIO device whose container maps the IOVAs
 * @lock: protects @iova, @page, @next and @stats; held across
 *	vfio_pin_pages() and vfio_unpin_pages(), never while a caller
 *	copies data
 * @iova: page-aligned IOVA of each cache slot
 * @page: page pinned for each slot, or NULL for a free slot
 * @next: slot the next miss replaces (round robin)
 * @held_first: first page-aligned IOVA of the range not to pin again yet
 * @held_last: last IOVA of that range
 * @held_until: jiffies until which the range is held off, if @held
 * @held: a range is held off after an invalidation
 * @stats: counters for tests and debugging
 *
 * A mapping handed out by the backend holds its own reference on the
 * page, so an eviction or an invalidation may unpin the page while a copy
 * is still using it.
 */
struct iovsim_dma_vfio {
	struct vfio_device *vdev;
	struct mutex lock; /* slots, @next, @stats */
	u64 iova[IOVSIM_DMA_VFIO_CACHE];
	struct page *page[IOVSIM_DMA_VFIO_CACHE];
	unsigned int next;
	u64 held_first;
	u64 held_last;
	unsigned long held_until;
	bool held;
	struct iovsim_dma_vfio_stats stats;
};

/* May @iova be pinned now?  @v->lock held. */
static bool iovsim_dma_vfio_may_pin(struct iovsim_dma_vfio *v, u64 iova)
{
	if (!v->held || iova < v->held_first || iova > v->held_last)
		return true;
	if (time_before(jiffies, v->held_until))
		return false;
	v->held = false;
	return true;
}

/* Unpin slot @i; @v->lock held. */
static void iovsim_dma_vfio_drop(struct iovsim_dma_vfio *v, unsigned int i)
{
	vfio_unpin_pages(v->vdev, v->iova[i], 1);
	v->page[i] = NULL;
	v->stats.pinned--;
}

/*
 * The page at page-aligned @iova with a reference of the caller's own:
 * from the cache, else pinned into it.  -EOPNOTSUPP when VFIO does not
 * pin it (unmapped IOVA, no lock budget, read-only mapping...): the
 * caller then tries vfio_dma_rw(), which tells the cases apart.
 */
static int iovsim_dma_vfio_get(struct iovsim_dma_vfio *v, u64 iova,
			       struct page **pagep)
{
	struct page *page;
	unsigned int i;
	int ret;

	mutex_lock(&v->lock);
	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++) {
		if (v->page[i] && v->iova[i] == iova) {
			page = v->page[i];
			v->stats.hits++;
			goto found;
		}
	}

	if (!iovsim_dma_vfio_may_pin(v, iova)) {
		mutex_unlock(&v->lock);
		return -EOPNOTSUPP;
	}
	ret = vfio_pin_pages(v->vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);
	if (ret != 1) {
		mutex_unlock(&v->lock);
		return -EOPNOTSUPP;
	}
	i = v->next;
	v->next = (i + 1) % IOVSIM_DMA_VFIO_CACHE;
	if (v->page[i])
		iovsim_dma_vfio_drop(v, i);
	v->iova[i] = iova;
	v->page[i] = page;
	v->stats.pins++;
	v->stats.pinned++;
found:
	get_page(page);
	mutex_unlock(&v->lock);
	*pagep = page;
	return 0;
}

static int iovsim_dma_vfio_map(const struct iovsim_dma *dma, u64 addr,
			       size_t len, void **ptr, size_t *mapped)
{
	size_t offset = offset_in_page(addr);
	struct page *page;
	int ret;

	ret = iovsim_dma_vfio_get(dma->vfio, addr - offset, &page);
	if (ret)
		return ret;
	/* No highmem on the supported kernels: the page is always mapped. */
	*ptr = page_address(page) + offset;
	*mapped = min_t(size_t, len, PAGE_SIZE - offset);
	return 0;
}

static void iovsim_dma_vfio_unmap(const struct iovsim_dma *dma, void *ptr)
{
	put_page(virt_to_page(ptr));
}

static int iovsim_dma_vfio_rw(const struct iovsim_dma *dma, u64 addr,
			      void *buf, size_t len, bool write)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	int ret;

	ret = vfio_dma_rw(v->vdev, addr, buf, len, write);
	mutex_lock(&v->lock);
	v->stats.rw_fallbacks++;
	if (ret)
		v->stats.faults++;
	mutex_unlock(&v->lock);
	return ret ? -EFAULT : 0;
}

/*
 * Every page of the range must be mapped in the container: pinned (and
 * thereby cached for the access that follows) or, failing that, readable
 * through vfio_dma_rw().  O(pages) VFIO calls, but only over IOVAs user
 * space did map: the first hole ends the walk.
 */
static int iovsim_dma_vfio_check(const struct iovsim_dma *dma, u64 addr,
				 u64 len)
{
	u64 iova = addr & PAGE_MASK, last = addr + len - 1;
	struct page *page;
	u8 byte;

	for (;;) {
		if (!iovsim_dma_vfio_get(dma->vfio, iova, &page))
			put_page(page);
		else if (iovsim_dma_vfio_rw(dma, iova, &byte, 1, false))
			return -EFAULT;
		if (last - iova < PAGE_SIZE)
			return 0;
		iova += PAGE_SIZE;
	}
}

static const struct iovsim_dma_ops iovsim_dma_vfio_ops = {
	.map = iovsim_dma_vfio_map,
	.unmap = iovsim_dma_vfio_unmap,
	.check = iovsim_dma_vfio_check,
	.rw = iovsim_dma_vfio_rw,
};

int iovsim_dma_init_vfio(struct iovsim_dma *dma, struct vfio_device *vdev)
{
	struct iovsim_dma_vfio *v;

	/* page_address() of a pinned page must be its mapping. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_HIGHMEM));

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->vdev = vdev;
	mutex_init(&v->lock);
	dma->ops = &iovsim_dma_vfio_ops;
	dma->mem_base = NULL;
	dma->mem_size = 0;
	dma->vfio = v;
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_init_vfio);

void iovsim_dma_fini_vfio(struct iovsim_dma *dma)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	unsigned int i;

	if (!v)
		return;
	mutex_lock(&v->lock);
	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++)
		if (v->page[i])
			iovsim_dma_vfio_drop(v, i);
	mutex_unlock(&v->lock);
	mutex_destroy(&v->lock);
	kfree(v);
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_fini_vfio);

void iovsim_dma_vfio_invalidate(struct iovsim_dma *dma, u64 iova, u64 len)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	u64 start = iova & PAGE_MASK;
	unsigned int i;

	if (!v || !len)
		return;
	mutex_lock(&v->lock);
	if (v->held) {
		/* Two unmaps in a row: hold off both (and what lies between). */
		v->held_first = min(v->held_first, start);
		v->held_last = max(v->held_last, iova + (len - 1));
	} else {
		v->held_first = start;
		v->held_last = iova + (len - 1);
	}
	v->held_until = jiffies + IOVSIM_DMA_VFIO_HOLDOFF;
	v->held = true;
	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++) {
		if (v->page[i] && v->iova[i] >= start &&
		    v->iova[i] <= iova + (len - 1)) {
			iovsim_dma_vfio_drop(v, i);
			v->stats.invalidated++;
		}
	}
	mutex_unlock(&v->lock);
}
EXPORT_SYMBOL_GPL(iovsim_dma_vfio_invalidate);

void iovsim_dma_vfio_get_stats(struct iovsim_dma *dma,
			       struct iovsim_dma_vfio_stats *stats)
{
	struct iovsim_dma_vfio *v = dma->vfio;

	mutex_lock(&v->lock);
	*stats = v->stats;
	mutex_unlock(&v->lock);
}
EXPORT_SYMBOL_GPL(iovsim_dma_vfio_get_stats);
