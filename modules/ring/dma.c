// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: backend-independent DMA helpers.  Every access is split
 * into the pieces the backend can map, and every range is checked for
 * wrap-around before the backend sees it.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <iovsim/dma.h>

#include "dma_map.h"

int iovsim_dma_check(const struct iovsim_dma *dma, u64 addr, u64 len)
{
	void *ptr;
	size_t n;
	int ret;

	ret = iovsim_dma_range_ok(addr, len);
	if (ret || !len)
		return ret;
	if (dma->ops->check)
		return dma->ops->check(dma, addr, len);

	while (len) {
		ret = iovsim_dma_map(dma, addr, min_t(u64, len, SIZE_MAX),
				     &ptr, &n);
		/* A backend with @rw has a @check: never here. */
		if (ret == -EOPNOTSUPP)
			return -EFAULT;
		if (ret)
			return ret;
		iovsim_dma_unmap(dma, ptr);
		addr += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_check);

int iovsim_dma_read(const struct iovsim_dma *dma, void *dst, u64 addr,
		    size_t len)
{
	u8 *out = dst;
	void *ptr;
	size_t n;
	int ret;

	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;

	while (len) {
		ret = iovsim_dma_map(dma, addr, len, &ptr, &n);
		if (ret == -EOPNOTSUPP)
			return iovsim_dma_rw(dma, addr, out, len, false);
		if (ret)
			return ret;
		memcpy(out, ptr, n);
		iovsim_dma_unmap(dma, ptr);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_read);

int iovsim_dma_write(const struct iovsim_dma *dma, u64 addr, const void *src,
		     size_t len)
{
	const u8 *in = src;
	void *ptr;
	size_t n;
	int ret;

	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;

	while (len) {
		ret = iovsim_dma_map(dma, addr, len, &ptr, &n);
		/* @rw only reads @buf when @write is set. */
		if (ret == -EOPNOTSUPP)
			return iovsim_dma_rw(dma, addr, (void *)in, len, true);
		if (ret)
			return ret;
		memcpy(ptr, in, n);
		iovsim_dma_unmap(dma, ptr);
		in += n;
		addr += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_dma_write);

/* The rest of a copy one of whose ranges the backend cannot map. */
static int iovsim_dma_copy_bounce(const struct iovsim_dma *dma, u64 dst,
				  u64 src, size_t len)
{
	u8 buf[IOVSIM_DMA_BOUNCE];
	size_t n;
	int ret;

	while (len) {
		n = min(len, sizeof(buf));
		ret = iovsim_dma_read(dma, buf, src, n);
		if (ret)
			return ret;
		ret = iovsim_dma_write(dma, dst, buf, n);
		if (ret)
			return ret;
		src += n;
		dst += n;
		len -= n;
	}
	return 0;
}

int iovsim_dma_copy(const struct iovsim_dma *dma, u64 dst, u64 src,
		    size_t len)
{
	void *from, *to;
	size_t nfrom, nto, n;
	int ret;

	ret = iovsim_dma_range_ok(src, len);
	if (ret)
		return ret;
	ret = iovsim_dma_range_ok(dst, len);
	if (ret)
		return ret;

	while (len) {
		ret = iovsim_dma_map(dma, src, len, &from, &nfrom);
		if (ret == -EOPNOTSUPP)
			return iovsim_dma_copy_bounce(dma, dst, src, len);
		if (ret)
			return ret;
		ret = iovsim_dma_map(dma, dst, nfrom, &to, &nto);
		if (ret == -EOPNOTSUPP) {
			iovsim_dma_unmap(dma, from);
			return iovsim_dma_copy_bounce(dma, dst, src, len);
		}
		if (ret)
			goto unmap_src;
		n = min(nfrom, nto);
		memcpy(to, from, n);
		iovsim_dma_unmap(dma, to);
		iovsim_dma_unmap(dma, from);
		src += n;
		dst += n;
		len -= n;
	}
	return 0;

unmap_src:
	iovsim_dma_unmap(dma, from);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_dma_copy);

int iovsim_dma_read_le16(const struct iovsim_dma *dma, u64 addr, u16 *val)
{
	__le16 raw;
	void *ptr;
	size_t n;
	int ret;

	if (addr & 1)
		return -EINVAL;
	ret = iovsim_dma_range_ok(addr, sizeof(__le16));
	if (ret)
		return ret;
	ret = iovsim_dma_map(dma, addr, sizeof(__le16), &ptr, &n);
	if (ret == -EOPNOTSUPP) {
		if (!dma->ops->rw16)
			return -EFAULT;
		ret = dma->ops->rw16(dma, addr, &raw, false);
		if (!ret)
			*val = le16_to_cpu(raw);
		return ret;
	}
	if (ret)
		return ret;
	/* An aligned u16 never straddles two backend pieces. */
	if (WARN_ON_ONCE(n != sizeof(__le16)))
		ret = -EFAULT;
	else
		*val = le16_to_cpu(READ_ONCE(*(__le16 *)ptr));
	iovsim_dma_unmap(dma, ptr);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_dma_read_le16);

int iovsim_dma_write_le16(const struct iovsim_dma *dma, u64 addr, u16 val)
{
	__le16 raw;
	void *ptr;
	size_t n;
	int ret;

	if (addr & 1)
		return -EINVAL;
	ret = iovsim_dma_range_ok(addr, sizeof(__le16));
	if (ret)
		return ret;
	ret = iovsim_dma_map(dma, addr, sizeof(__le16), &ptr, &n);
	if (ret == -EOPNOTSUPP) {
		if (!dma->ops->rw16)
			return -EFAULT;
		raw = cpu_to_le16(val);
		return dma->ops->rw16(dma, addr, &raw, true);
	}
	if (ret)
		return ret;
	if (WARN_ON_ONCE(n != sizeof(__le16)))
		ret = -EFAULT;
	else
		WRITE_ONCE(*(__le16 *)ptr, cpu_to_le16(val));
	iovsim_dma_unmap(dma, ptr);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_dma_write_le16);
