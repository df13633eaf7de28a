// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: copies between DMA ranges and iov_iters (kernel build).
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <iovsim/dma.h>

#include "dma_map.h"

/*
 * The rest of an iov_iter copy over a range the backend cannot map,
 * bounced through a small buffer and the backend's @rw.
 */
static int iovsim_dma_iter_bounce(const struct iovsim_dma *dma, u64 addr,
				  size_t len, struct iov_iter *iter, bool to)
{
	u8 buf[IOVSIM_DMA_BOUNCE];
	size_t n;
	int ret;

	while (len) {
		n = min(len, sizeof(buf));
		if (to) {
			ret = iovsim_dma_rw(dma, addr, buf, n, false);
			if (ret)
				return ret;
			if (copy_to_iter(buf, n, iter) != n)
				return -EFAULT;
		} else {
			if (copy_from_iter(buf, n, iter) != n)
				return -EFAULT;
			ret = iovsim_dma_rw(dma, addr, buf, n, true);
			if (ret)
				return ret;
		}
		addr += n;
		len -= n;
	}
	return 0;
}

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
		if (ret == -EOPNOTSUPP)
			return iovsim_dma_iter_bounce(dma, addr, len, iter, true);
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
		if (ret == -EOPNOTSUPP)
			return iovsim_dma_iter_bounce(dma, addr, len, iter, false);
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
