// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: copies between DMA ranges and iov_iters (kernel build).
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <iovsim/dma.h>

#include "dma_map.h"

int iovsim_dma_to_iter(const struct iovsim_dma *dma, u64 addr, size_t len,
		       struct iov_iter *iter)
{
	size_t n, copied;
	void *ptr;
	int ret;

	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;

	while (len) {
		ret = iovsim_dma_map(dma, addr, len, &ptr, &n);
		if (ret)
			return ret;
		copied = copy_to_iter(ptr, n, iter);
		iovsim_dma_unmap(dma, ptr);
		if (copied != n)
			return -EFAULT;
		addr += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_to_iter);

int iovsim_dma_from_iter(const struct iovsim_dma *dma, u64 addr, size_t len,
			 struct iov_iter *iter)
{
	size_t n, copied;
	void *ptr;
	int ret;

	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;

	while (len) {
		ret = iovsim_dma_map(dma, addr, len, &ptr, &n);
		if (ret)
			return ret;
		copied = copy_from_iter(ptr, n, iter);
		iovsim_dma_unmap(dma, ptr);
		if (copied != n)
			return -EFAULT;
		addr += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_from_iter);
