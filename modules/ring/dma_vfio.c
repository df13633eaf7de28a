// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the VFIO DMA backend.  A function passed through to user
 * space (or to a VM) by the mdev shim reaches the IOVAs user space mapped
 * into its container.  Pages are pinned with vfio_pin_pages() and kept in
 * a small cache, so ring indexes and descriptors polled again and again
 * cost one lookup and are read and written with single CPU accesses;
 * pages that cannot be pinned are reached with vfio_dma_rw() instead.
 * VFIO serves both only from the process that mapped the IOVAs or from a
 * kernel thread: see iovsim_dma_init_vfio().
 *
 * Lock order.  VFIO's type1 driver takes its iommu->lock in
 * vfio_pin_pages(), vfio_unpin_pages() and vfio_dma_rw(), and calls the
 * device's dma_unmap (hence iovsim_dma_vfio_invalidate()) holding its
 * device_list_lock, which it also takes under iommu->lock.  The cache's
 * mutex is therefore a leaf: it is never held across a call into VFIO.
 * A pin is made unlocked and entered into the cache afterwards, unless an
 * invalidation ran meanwhile (the generation count says so): then it is
 * undone at once.
 *
 * Unmaps.  VFIO's unmap calls dma_unmap, then rechecks for pins of the
 * range, notifying again while it finds any and BUGging after ten
 * notifications in a row.  An invalidated range is therefore never pinned
 * again while the context lives: its IOVAs are reached with vfio_dma_rw()
 * from then on.  The only pins the recheck can find are those made before
 * the invalidation and not yet entered into the cache, which their owner
 * undoes as soon as it sees the generation change.
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <iovsim/dma.h>

/* Pages one context keeps pinned: a ring's three areas and a few buffers. */
#define IOVSIM_DMA_VFIO_CACHE	16

/* Invalidated ranges remembered one by one; more turn pinning off. */
#define IOVSIM_DMA_VFIO_HELD	8

/**
 * struct iovsim_dma_vfio - the pin cache of a VFIO DMA context
 * @vdev: the VFIO device whose container maps the IOVAs
 * @lock: protects every other member; a leaf lock, never held across a
 *	call into VFIO (see the lock order above)
 * @open: between iovsim_dma_init_vfio() and iovsim_dma_fini_vfio()
 * @iova: page-aligned IOVA of each cache slot
 * @page: page pinned for each slot, or NULL for a free slot
 * @next: slot the next miss replaces (round robin)
 * @gen: number of invalidations so far
 * @held_first: first page-aligned IOVA of each invalidated range
 * @held_last: last IOVA of each invalidated range
 * @nr_held: ranges in @held_first and @held_last
 * @pin_off: more ranges were invalidated than fit: pin nothing any more
 * @stats: counters for tests and debugging
 *
 * A mapping handed out by the backend holds its own reference on the
 * page, so an eviction or an invalidation may unpin the page while a copy
 * is still using it.  The structure is freed by iovsim_dma_release_vfio()
 * only, so that a dma_unmap notification racing the device's close finds
 * it (closed) rather than freed memory.
 */
struct iovsim_dma_vfio {
	struct vfio_device *vdev;
	struct mutex lock; /* everything below */
	bool open;
	u64 iova[IOVSIM_DMA_VFIO_CACHE];
	struct page *page[IOVSIM_DMA_VFIO_CACHE];
	unsigned int next;
	u64 gen;
	u64 held_first[IOVSIM_DMA_VFIO_HELD];
	u64 held_last[IOVSIM_DMA_VFIO_HELD];
	unsigned int nr_held;
	bool pin_off;
	struct iovsim_dma_vfio_stats stats;
};

/* May the page at page-aligned @iova be pinned?  @v->lock held. */
static bool iovsim_dma_vfio_may_pin(const struct iovsim_dma_vfio *v,
				    u64 iova)
{
	unsigned int i;

	if (!v->open || v->pin_off)
		return false;
	for (i = 0; i < v->nr_held; i++)
		if (iova + (PAGE_SIZE - 1) >= v->held_first[i] &&
		    iova <= v->held_last[i])
			return false;
	return true;
}

/* Remember [@first, @last] as never to be pinned again; @v->lock held. */
static void iovsim_dma_vfio_hold(struct iovsim_dma_vfio *v, u64 first,
				 u64 last)
{
	unsigned int i;

	for (i = 0; i < v->nr_held; i++) {
		/* Overlapping or adjacent: widen that range. */
		if ((v->held_last[i] == U64_MAX ||
		     first <= v->held_last[i] + 1) &&
		    (last == U64_MAX || last + 1 >= v->held_first[i])) {
			v->held_first[i] = min(v->held_first[i], first);
			v->held_last[i] = max(v->held_last[i], last);
			return;
		}
	}
	if (v->nr_held == IOVSIM_DMA_VFIO_HELD) {
		v->pin_off = true;
		return;
	}
	v->held_first[v->nr_held] = first;
	v->held_last[v->nr_held] = last;
	v->nr_held++;
}

/*
 * The page at page-aligned @iova with a reference of the caller's own:
 * from the cache, else pinned into it.  -EOPNOTSUPP when it is not pinned
 * (unmapped IOVA, no lock budget, read-only mapping, a range unmapped
 * before...): the caller then tries vfio_dma_rw(), which tells the cases
 * apart.
 */
static int iovsim_dma_vfio_get(struct iovsim_dma_vfio *v, u64 iova,
			       struct page **pagep)
{
	struct page *page, *cached = NULL;
	u64 gen, victim = 0;
	bool evict = false;
	unsigned int i;
	int ret;

	mutex_lock(&v->lock);
	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++) {
		if (v->page[i] && v->iova[i] == iova) {
			v->stats.hits++;
			get_page(v->page[i]);
			*pagep = v->page[i];
			mutex_unlock(&v->lock);
			return 0;
		}
	}
	if (!iovsim_dma_vfio_may_pin(v, iova)) {
		mutex_unlock(&v->lock);
		return -EOPNOTSUPP;
	}
	gen = v->gen;
	mutex_unlock(&v->lock);

	ret = vfio_pin_pages(v->vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);
	if (ret != 1)
		return -EOPNOTSUPP;

	mutex_lock(&v->lock);
	if (v->gen != gen || !v->open) {
		/* Invalidated (or closed) while pinning: undo, keep nothing. */
		v->stats.raced++;
		mutex_unlock(&v->lock);
		vfio_unpin_pages(v->vdev, iova, 1);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++) {
		/* Another thread pinned it meanwhile: use that pin. */
		if (v->page[i] && v->iova[i] == iova) {
			cached = v->page[i];
			get_page(cached);
			break;
		}
	}
	if (!cached) {
		i = v->next;
		v->next = (i + 1) % IOVSIM_DMA_VFIO_CACHE;
		if (v->page[i]) {
			evict = true;
			victim = v->iova[i];
			v->stats.pinned--;
		}
		v->iova[i] = iova;
		v->page[i] = page;
		v->stats.pins++;
		v->stats.pinned++;
		get_page(page);
	}
	mutex_unlock(&v->lock);

	if (cached) {
		vfio_unpin_pages(v->vdev, iova, 1);
		page = cached;
	}
	if (evict)
		vfio_unpin_pages(v->vdev, victim, 1);
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
	struct iovsim_dma_vfio *v = dma->vfio;

	/* page_address() of a pinned page must be its mapping. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_HIGHMEM));

	if (!v) {
		v = kzalloc(sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		mutex_init(&v->lock);
	}
	mutex_lock(&v->lock);
	if (WARN_ON_ONCE(v->open)) {
		mutex_unlock(&v->lock);
		return -EBUSY;
	}
	/* A new open: a new container, nothing held, fresh counters. */
	v->vdev = vdev;
	v->open = true;
	v->next = 0;
	v->nr_held = 0;
	v->pin_off = false;
	memset(&v->stats, 0, sizeof(v->stats));
	mutex_unlock(&v->lock);

	dma->ops = &iovsim_dma_vfio_ops;
	dma->mem_base = NULL;
	dma->mem_size = 0;
	dma->vfio = v;
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_init_vfio);

/*
 * Take every cached page of [@first, @last] out of the cache into @iova
 * and return how many; @v->lock held.
 */
static unsigned int iovsim_dma_vfio_take(struct iovsim_dma_vfio *v,
					 u64 first, u64 last, u64 *iova)
{
	unsigned int i, n = 0;

	for (i = 0; i < IOVSIM_DMA_VFIO_CACHE; i++) {
		if (v->page[i] && v->iova[i] >= first && v->iova[i] <= last) {
			iova[n++] = v->iova[i];
			v->page[i] = NULL;
			v->stats.pinned--;
		}
	}
	return n;
}

void iovsim_dma_fini_vfio(struct iovsim_dma *dma)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	u64 iova[IOVSIM_DMA_VFIO_CACHE];
	unsigned int i, n;

	if (!v)
		return;
	mutex_lock(&v->lock);
	v->open = false;
	v->gen++;
	n = iovsim_dma_vfio_take(v, 0, U64_MAX, iova);
	mutex_unlock(&v->lock);
	for (i = 0; i < n; i++)
		vfio_unpin_pages(v->vdev, iova[i], 1);
}
EXPORT_SYMBOL_GPL(iovsim_dma_fini_vfio);

void iovsim_dma_release_vfio(struct iovsim_dma *dma)
{
	struct iovsim_dma_vfio *v = dma->vfio;

	if (!v)
		return;
	WARN_ON_ONCE(v->open);
	mutex_destroy(&v->lock);
	kfree(v);
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_release_vfio);

void iovsim_dma_vfio_invalidate(struct iovsim_dma *dma, u64 iova, u64 len)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	u64 first = iova & PAGE_MASK, last, taken[IOVSIM_DMA_VFIO_CACHE];
	unsigned int i, n;

	if (!v || !len)
		return;
	last = iova + (len - 1) < iova ? U64_MAX : iova + (len - 1);
	mutex_lock(&v->lock);
	if (!v->open) {
		mutex_unlock(&v->lock);
		return;
	}
	v->gen++;
	iovsim_dma_vfio_hold(v, first, last);
	n = iovsim_dma_vfio_take(v, first, last, taken);
	v->stats.invalidated += n;
	mutex_unlock(&v->lock);
	for (i = 0; i < n; i++)
		vfio_unpin_pages(v->vdev, taken[i], 1);
}
EXPORT_SYMBOL_GPL(iovsim_dma_vfio_invalidate);

void iovsim_dma_vfio_get_stats(struct iovsim_dma *dma,
			       struct iovsim_dma_vfio_stats *stats)
{
	struct iovsim_dma_vfio *v = dma->vfio;

	if (!v) {
		memset(stats, 0, sizeof(*stats));
		return;
	}
	mutex_lock(&v->lock);
	*stats = v->stats;
	mutex_unlock(&v->lock);
}
EXPORT_SYMBOL_GPL(iovsim_dma_vfio_get_stats);
