// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: building a chain from validated descriptors, and copying
 * data in and out of a fetched chain.  The rules here are the ones both
 * layouts share.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#include "dma_map.h"
#include "ring_internal.h"

void iovsim_chain_reset(struct iovsim_ring_chain *chain)
{
	chain->nr_readable = 0;
	chain->nr_writable = 0;
	chain->readable_len = 0;
	chain->writable_len = 0;
	chain->id = 0;
	chain->nr_descs = 0;
}

/* Append one buffer after checking it against every per-buffer rule. */
int iovsim_chain_add(const struct iovsim_ring *ring,
		     struct iovsim_ring_chain *chain, u64 addr, u32 len,
		     bool writable)
{
	u32 nr = chain->nr_readable + chain->nr_writable;
	int ret;

	if (!len)
		return -ENODATA;
	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;
	if (!writable && chain->nr_writable)
		return -EPROTO;
	if (nr >= ring->cfg.size)
		return -E2BIG;
	if (nr >= chain->max_segs)
		return -ENOBUFS;
	/* Before the check: its cost grows with @len. */
	if (chain->max_len &&
	    len > chain->max_len - chain->readable_len - chain->writable_len)
		return -EFBIG;
	ret = iovsim_dma_check(ring->dma, addr, len);
	if (ret)
		return ret;

	chain->segs[nr].addr = addr;
	chain->segs[nr].len = len;
	if (writable) {
		chain->nr_writable++;
		chain->writable_len += len;
	} else {
		chain->nr_readable++;
		chain->readable_len += len;
	}
	return 0;
}

/*
 * Validate a descriptor that points to an indirect table.  Its WRITE flag
 * has no meaning and is ignored (sections 2.7.5.3.2 and 2.8.19).
 */
int iovsim_chain_check_indirect(const struct iovsim_ring *ring, u64 addr,
				u32 len, u16 flags)
{
	int ret;

	if (!ring->cfg.indirect || (flags & VRING_DESC_F_NEXT))
		return -EBADMSG;
	if (!len || len % sizeof(struct iovsim_split_desc))
		return -EBADMSG;
	/* Before the check, whose cost grows with @len: no chain is longer. */
	if (len / sizeof(struct iovsim_split_desc) > ring->cfg.size)
		return -E2BIG;
	ret = iovsim_dma_range_ok(addr, len);
	if (ret)
		return ret;
	return iovsim_dma_check(ring->dma, addr, len);
}

/*
 * Copy between a CPU buffer and the byte range [@offset, @offset + @len)
 * of the concatenation of @nr segments: into the segments from @in, or
 * out of them into @out (exactly one of the two is set).
 */
static int iovsim_chain_copy(const struct iovsim_ring *ring,
			     const struct iovsim_ring_seg *segs, u32 nr,
			     u64 total, u64 offset, u8 *out, const u8 *in,
			     size_t len)
{
	size_t n;
	u32 i;
	int ret;

	if (offset > total || len > total - offset)
		return -EMSGSIZE;

	for (i = 0; i < nr && len; i++) {
		if (offset >= segs[i].len) {
			offset -= segs[i].len;
			continue;
		}
		n = min_t(u64, len, segs[i].len - offset);
		if (in) {
			ret = iovsim_dma_write(ring->dma, segs[i].addr + offset,
					       in, n);
			in += n;
		} else {
			ret = iovsim_dma_read(ring->dma, out,
					      segs[i].addr + offset, n);
			out += n;
		}
		if (ret)
			return ret;
		offset = 0;
		len -= n;
	}
	return 0;
}

int iovsim_ring_chain_read(const struct iovsim_ring *ring,
			   const struct iovsim_ring_chain *chain, u64 offset,
			   void *buf, size_t len)
{
	return iovsim_chain_copy(ring, chain->segs, chain->nr_readable,
				 chain->readable_len, offset, buf, NULL, len);
}
EXPORT_SYMBOL_GPL(iovsim_ring_chain_read);

int iovsim_ring_chain_write(const struct iovsim_ring *ring,
			    const struct iovsim_ring_chain *chain, u64 offset,
			    const void *buf, size_t len)
{
	return iovsim_chain_copy(ring, chain->segs + chain->nr_readable,
				 chain->nr_writable, chain->writable_len,
				 offset, NULL, buf, len);
}
EXPORT_SYMBOL_GPL(iovsim_ring_chain_write);
