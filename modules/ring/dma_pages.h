/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to iovsim_ring: the page walk of the in-host DMA backend.  It
 * is kept apart from the kernel-only parts of dma_host.c (struct page,
 * RCU, the resource tree) so that the user-space build can test it.
 */
#ifndef _IOVSIM_RING_DMA_PAGES_H
#define _IOVSIM_RING_DMA_PAGES_H

#include <linux/types.h>

/**
 * struct iovsim_pfn_range - a range of page frames
 * @start: its first frame
 * @end: one past its last frame
 */
struct iovsim_pfn_range {
	unsigned long start;
	unsigned long end;
};

/**
 * typedef iovsim_page_fn - visit one piece of a DMA range
 * @pfn: the page frame the piece is in
 * @offset: offset of the piece in the page
 * @len: bytes of the piece (at least 1; never past the end of the page)
 * @arg: the walk's argument
 *
 * Return: 0 to go on, a negative errno to stop the walk with it.
 */
typedef int (*iovsim_page_fn)(unsigned long pfn, size_t offset, size_t len,
			      void *arg);

const struct iovsim_pfn_range *
iovsim_pfn_range_find(const struct iovsim_pfn_range *ranges, unsigned int nr,
		      unsigned long pfn);
int iovsim_pages_walk(const struct iovsim_pfn_range *ranges, unsigned int nr,
		      u64 addr, u64 len, iovsim_page_fn fn, void *arg);

#endif /* _IOVSIM_RING_DMA_PAGES_H */
