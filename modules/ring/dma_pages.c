// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: the page walk of the in-host DMA backend.  A DMA range is
 * accepted only if every one of its pages lies in one of a set of page
 * frame ranges (System RAM) and passes the backend's own test of the page;
 * a hole or a refused page anywhere in the range, not only at its ends,
 * refuses the whole range.  Also built in user space by
 * selftests/iovsim/ring/, which tests it on made-up ranges.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <asm/page.h>

#include "dma_pages.h"

/**
 * iovsim_pfn_range_find() - the range that holds a page frame
 * @ranges: sorted by @start, not overlapping
 * @nr: number of @ranges
 * @pfn: the page frame
 *
 * Context: any; reads @ranges only.
 * Return: the range holding @pfn, or NULL.
 */
const struct iovsim_pfn_range *
iovsim_pfn_range_find(const struct iovsim_pfn_range *ranges, unsigned int nr,
		      unsigned long pfn)
{
	unsigned int lo = 0, hi = nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pfn < ranges[mid].start)
			hi = mid;
		else if (pfn >= ranges[mid].end)
			lo = mid + 1;
		else
			return &ranges[mid];
	}
	return NULL;
}

/**
 * iovsim_pages_walk() - visit every page of a DMA range, in order
 * @ranges: the page frames the range may use, sorted, not overlapping
 * @nr: number of @ranges
 * @addr: first physical address of the range
 * @len: its length; the caller checked that @addr + @len does not wrap
 * @fn: called for each piece of the range that lies in one page, after
 *	the page was found in @ranges
 * @arg: passed to @fn
 *
 * Context: any, if @fn may be called there.
 * Return: 0, -EFAULT at the first page in no range (or whose frame number
 * does not fit an unsigned long), else the first error @fn returned; the
 * pieces before it were visited.
 */
int iovsim_pages_walk(const struct iovsim_pfn_range *ranges, unsigned int nr,
		      u64 addr, u64 len, iovsim_page_fn fn, void *arg)
{
	const struct iovsim_pfn_range *r = NULL;
	size_t offset, n;
	u64 pfn;
	int ret;

	while (len) {
		pfn = addr >> PAGE_SHIFT;
		if (pfn > ULONG_MAX)
			return -EFAULT;
		if (!r || pfn < r->start || pfn >= r->end) {
			r = iovsim_pfn_range_find(ranges, nr, pfn);
			if (!r)
				return -EFAULT;
		}
		offset = addr & (PAGE_SIZE - 1);
		n = min_t(u64, len, PAGE_SIZE - offset);
		ret = fn(pfn, offset, n, arg);
		if (ret)
			return ret;
		addr += n;
		len -= n;
	}
	return 0;
}
