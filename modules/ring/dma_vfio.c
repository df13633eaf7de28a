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
 * notifications in a row.  So when iovsim_dma_vfio_invalidate() returns,
 * the context must hold no pin of the range and must not be able to make
 * one: the range is never pinned again while the context is open (its
 * IOVAs are reached with vfio_dma_rw() from then on), and the
 * invalidation waits until no thread is between a pin decision and its
 * last VFIO pin or unpin call (@busy), holding new ones off meanwhile
 * (@drainers).  Such a thread needs VFIO's iommu->lock, which VFIO drops
 * around the notification, the mapping process's mmap lock (for writing:
 * VFIO charges the pin to its locked memory) and the leaf mutex, which
 * the waiting invalidation does not hold.  So the wait ends, unless
 * another thread holds iommu->lock while it waits for the
 * device_list_lock the notification runs under: VFIO's own lock
 * inversion (a second unmap of a range with pins, or a device joining
 * or leaving the container, at the same moment), which deadlocks as
 * well when the notification unpins a page itself, as VFIO requires.
 *
 * Atomicity.  vfio_dma_rw() copies bytes, so a ring index or flags field
 * (iovsim_dma_read_le16(), iovsim_dma_write_le16()) is only ever accessed
 * through a pinned page, with one CPU access; where the page cannot be
 * pinned such an access fails with -EFAULT (@rw16 is left NULL).
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
#include <linux/wait.h>
#include <iovsim/dma.h>

/* Pages one context keeps pinned: a ring's three areas and a few buffers. */
#define IOVSIM_DMA_VFIO_CACHE	16

/* Invalidated ranges remembered one by one; more turn pinning off. */
#define IOVSIM_DMA_VFIO_HELD	64

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
 * @busy: threads between a pin decision and their last vfio_pin_pages()
 *	or vfio_unpin_pages() call for it (pins, evictions, undone pins,
 *	the unpins of iovsim_dma_fini_vfio())
 * @drainers: invalidations waiting for @busy to drop to 0; no new pin
 *	starts meanwhile
 * @idle: woken when @busy or @drainers drops to 0
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
	unsigned int busy;
	unsigned int drainers;
	wait_queue_head_t idle;
	struct iovsim_dma_vfio_stats stats;
};

/* End one @busy window: its last VFIO call is done.  @v->lock held. */
static void iovsim_dma_vfio_unbusy(struct iovsim_dma_vfio *v)
{
	WRITE_ONCE(v->busy, v->busy - 1);
	if (!v->busy)
		wake_up_all(&v->idle);
}

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
	bool evict = false, raced = false;
	unsigned int i;
	int ret;

again:
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
	if (v->drainers) {
		/* An invalidation is waiting for the pins in flight. */
		mutex_unlock(&v->lock);
		wait_event(v->idle, !READ_ONCE(v->drainers));
		goto again;
	}
	if (!iovsim_dma_vfio_may_pin(v, iova)) {
		mutex_unlock(&v->lock);
		return -EOPNOTSUPP;
	}
	gen = v->gen;
	WRITE_ONCE(v->busy, v->busy + 1);
	mutex_unlock(&v->lock);

	ret = vfio_pin_pages(v->vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);

	mutex_lock(&v->lock);
	if (ret != 1) {
		ret = -EOPNOTSUPP;
		goto out_unbusy;
	}
	if (v->gen != gen || !v->open) {
		/* Invalidated (or closed) while pinning: undo, keep nothing. */
		v->stats.raced++;
		raced = true;
		ret = -EOPNOTSUPP;
		goto out_unpin;
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
	ret = 0;
out_unpin:
	mutex_unlock(&v->lock);

	/* Still @busy: an invalidation waits for these unpins. */
	if (cached || raced)
		vfio_unpin_pages(v->vdev, iova, 1);
	if (evict)
		vfio_unpin_pages(v->vdev, victim, 1);

	mutex_lock(&v->lock);
out_unbusy:
	iovsim_dma_vfio_unbusy(v);
	mutex_unlock(&v->lock);
	if (!ret)
		*pagep = cached ? cached : page;
	return ret;
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
		init_waitqueue_head(&v->idle);
	}
	mutex_lock(&v->lock);
	if (WARN_ON_ONCE(v->open || v->busy || v->drainers)) {
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
	/* An unmap notified meanwhile waits for these unpins. */
	WRITE_ONCE(v->busy, v->busy + 1);
	mutex_unlock(&v->lock);
	for (i = 0; i < n; i++)
		vfio_unpin_pages(v->vdev, iova[i], 1);
	mutex_lock(&v->lock);
	iovsim_dma_vfio_unbusy(v);
	mutex_unlock(&v->lock);
}
EXPORT_SYMBOL_GPL(iovsim_dma_fini_vfio);

void iovsim_dma_release_vfio(struct iovsim_dma *dma)
{
	struct iovsim_dma_vfio *v = dma->vfio;

	if (!v)
		return;
	WARN_ON_ONCE(v->open || v->busy || v->drainers);
	mutex_destroy(&v->lock);
	kfree(v);
	dma->vfio = NULL;
}
EXPORT_SYMBOL_GPL(iovsim_dma_release_vfio);

void iovsim_dma_vfio_invalidate(struct iovsim_dma *dma, u64 iova, u64 len)
{
	struct iovsim_dma_vfio *v = dma->vfio;
	u64 first = iova & PAGE_MASK, last, taken[IOVSIM_DMA_VFIO_CACHE];
	unsigned int i, n = 0;

	if (!v || !len)
		return;
	last = iova + (len - 1) < iova ? U64_MAX : iova + (len - 1);
	mutex_lock(&v->lock);
	WRITE_ONCE(v->drainers, v->drainers + 1);
	if (v->open) {
		v->gen++;
		iovsim_dma_vfio_hold(v, first, last);
		n = iovsim_dma_vfio_take(v, first, last, taken);
		v->stats.invalidated += n;
	}
	mutex_unlock(&v->lock);
	for (i = 0; i < n; i++)
		vfio_unpin_pages(v->vdev, taken[i], 1);

	/*
	 * Pins decided before the range was held are undone by their owners,
	 * and iovsim_dma_fini_vfio() may still be unpinning: wait for both,
	 * so that VFIO's recheck finds no pin of ours.  Closed or not, the
	 * range cannot be pinned afterwards (iovsim_dma_vfio_may_pin()).
	 */
	wait_event(v->idle, !READ_ONCE(v->busy));
	mutex_lock(&v->lock);
	WRITE_ONCE(v->drainers, v->drainers - 1);
	mutex_unlock(&v->lock);
	wake_up_all(&v->idle);
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
