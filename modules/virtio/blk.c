// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk backend (VIRTIO 1.2 section 5.2) over RAM: read, write,
 * flush, get-id, discard and write-zeroes on one or more request queues.
 * The disk is an array of pages allocated on first write; a page never
 * written reads as zeroes, and discard and write-zeroes zero the range
 * (so both read back as zeroes).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/pci_ids.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include "internal.h"

#define BLK_SECTOR		512
#define BLK_HDR_LEN		16	/* struct virtio_blk_outhdr */
#define BLK_DWZ_LEN		16	/* struct virtio_blk_discard_write_zeroes */
#define BLK_MAX_DWZ_SEGS	32
#define BLK_MAX_DWZ_SECTORS	BIT(22)
#define BLK_ID_LEN		20	/* VIRTIO_BLK_ID_BYTES */
#define BLK_SEG_MAX		(IOVSIM_VIRTIO_QUEUE_SIZE - 2)
#define BLK_SIZE_MAX		SZ_64K	/* bytes per data buffer */
/* Header, seg_max data buffers of size_max, status: the longest request. */
#define BLK_MAX_CHAIN		(BLK_HDR_LEN + BLK_SEG_MAX * BLK_SIZE_MAX + 1)
/*
 * A driver that negotiated neither limit (firmware: OVMF's VirtioBlkDxe
 * sends up to 1 GiB in one buffer) gets a bound that still ends the work
 * a hostile chain costs.
 */
#define BLK_MAX_CHAIN_UNLIMITED	(BLK_HDR_LEN + SZ_1G + 1)

static DEFINE_IDA(iovsim_blk_ida);

/* Request types the counters tell apart; the last counts any other. */
enum {
	BLK_STAT_IN,
	BLK_STAT_OUT,
	BLK_STAT_FLUSH,
	BLK_STAT_GET_ID,
	BLK_STAT_DISCARD,
	BLK_STAT_WRITE_ZEROES,
	BLK_STAT_OTHER,
	BLK_NR_STATS,
};

static const char * const blk_stat_names[BLK_NR_STATS] = {
	[BLK_STAT_IN]		= "read",
	[BLK_STAT_OUT]		= "write",
	[BLK_STAT_FLUSH]	= "flush",
	[BLK_STAT_GET_ID]	= "get_id",
	[BLK_STAT_DISCARD]	= "discard",
	[BLK_STAT_WRITE_ZEROES]	= "write_zeroes",
	[BLK_STAT_OTHER]	= "other",
};

/**
 * struct iovsim_blk - a RAM disk
 * @capacity: size in bytes, a multiple of PAGE_SIZE
 * @nr_pages: pages of the disk
 * @pages: page of each PAGE_SIZE block, NULL until first written; set
 *	with cmpxchg(), freed only with the disk
 * @id: index for the serial number
 * @serial: the get-id string
 * @nr_queues: request queues
 * @ok: requests of each type completed with VIRTIO_BLK_S_OK
 * @failed: requests of each type completed with another status
 *
 * The counters are updated by every request queue's worker and read
 * through debugfs (/sys/kernel/debug/iovsim_virtio/blk/<serial>/stats).
 */
struct iovsim_blk {
	u64 capacity;
	unsigned long nr_pages;
	struct page **pages;
	int id;
	char serial[BLK_ID_LEN + 1];
	unsigned int nr_queues;
	atomic64_t ok[BLK_NR_STATS];
	atomic64_t failed[BLK_NR_STATS];
};

static unsigned int blk_stat_index(u32 type)
{
	switch (type) {
	case VIRTIO_BLK_T_IN:
		return BLK_STAT_IN;
	case VIRTIO_BLK_T_OUT:
		return BLK_STAT_OUT;
	case VIRTIO_BLK_T_FLUSH:
		return BLK_STAT_FLUSH;
	case VIRTIO_BLK_T_GET_ID:
		return BLK_STAT_GET_ID;
	case VIRTIO_BLK_T_DISCARD:
		return BLK_STAT_DISCARD;
	case VIRTIO_BLK_T_WRITE_ZEROES:
		return BLK_STAT_WRITE_ZEROES;
	}
	return BLK_STAT_OTHER;
}

static void blk_config_read(struct iovsim_vdev *vdev, u8 *buf)
{
	struct iovsim_blk *blk = vdev->priv;

	memset(buf, 0, sizeof(struct virtio_blk_config));
#define PUT(bits, field, val) put_unaligned_le##bits(val, \
		buf + offsetof(struct virtio_blk_config, field))
	PUT(64, capacity, blk->capacity / BLK_SECTOR);
	PUT(32, size_max, BLK_SIZE_MAX);
	PUT(32, seg_max, BLK_SEG_MAX);
	PUT(32, blk_size, BLK_SECTOR);
	PUT(16, num_queues, blk->nr_queues);
	PUT(32, max_discard_sectors, BLK_MAX_DWZ_SECTORS);
	PUT(32, max_discard_seg, BLK_MAX_DWZ_SEGS);
	PUT(32, discard_sector_alignment, PAGE_SIZE / BLK_SECTOR);
	PUT(32, max_write_zeroes_sectors, BLK_MAX_DWZ_SECTORS);
	PUT(32, max_write_zeroes_seg, BLK_MAX_DWZ_SEGS);
#undef PUT
	buf[offsetof(struct virtio_blk_config, write_zeroes_may_unmap)] = 1;
}

static struct page *blk_page(struct iovsim_blk *blk, unsigned long idx,
			     bool alloc)
{
	struct page *page = READ_ONCE(blk->pages[idx]), *old;

	if (page || !alloc)
		return page;
	page = alloc_page(GFP_NOIO | __GFP_ZERO);
	if (!page)
		return NULL;
	old = cmpxchg(&blk->pages[idx], NULL, page);
	if (old) {
		__free_page(page);
		return old;
	}
	return page;
}

static bool blk_range_ok(struct iovsim_blk *blk, u64 sector, u64 len)
{
	return sector <= blk->capacity / BLK_SECTOR &&
	       len <= blk->capacity - sector * BLK_SECTOR;
}

/*
 * Move @len bytes between the disk at @pos and the chain at @off (of its
 * writable buffers for a read, readable ones for a write).  Return a
 * VIRTIO_BLK_S_* status, or a negative errno for a bad chain.
 */
static int blk_rw(struct iovsim_blk *blk, struct iovsim_vq *vq,
		  struct iovsim_ring_chain *chain, u64 pos, u64 off, u64 len,
		  bool write)
{
	unsigned int in_page, n;
	struct page *page;
	void *kaddr;
	int ret;

	while (len) {
		in_page = offset_in_page(pos);
		n = min_t(u64, len, PAGE_SIZE - in_page);
		page = blk_page(blk, pos >> PAGE_SHIFT, write);
		if (write) {
			if (!page)
				return VIRTIO_BLK_S_IOERR;
			kaddr = page_address(page) + in_page;
			ret = iovsim_ring_chain_read(&vq->ring, chain, off,
						     kaddr, n);
		} else {
			kaddr = page ? page_address(page) + in_page :
				page_address(ZERO_PAGE(0));
			ret = iovsim_ring_chain_write(&vq->ring, chain, off,
						      kaddr, n);
		}
		if (ret)
			return ret;
		pos += n;
		off += n;
		len -= n;
	}
	return VIRTIO_BLK_S_OK;
}

static void blk_zero(struct iovsim_blk *blk, u64 pos, u64 len)
{
	unsigned int in_page, n;
	struct page *page;

	while (len) {
		in_page = offset_in_page(pos);
		n = min_t(u64, len, PAGE_SIZE - in_page);
		page = blk_page(blk, pos >> PAGE_SHIFT, false);
		if (page)
			memset(page_address(page) + in_page, 0, n);
		pos += n;
		len -= n;
		cond_resched();
	}
}

/*
 * Discard and write-zeroes: every range is read from the chain once, and
 * checked, before any is zeroed.  The ranges sit in driver memory, which
 * the driver may change at any time; zeroing from a second read would
 * trust ranges nobody checked.
 */
static int blk_discard_wz(struct iovsim_blk *blk, struct iovsim_vq *vq,
			  struct iovsim_ring_chain *chain, u32 type)
{
	u64 len = chain->readable_len - BLK_HDR_LEN;
	struct { u64 pos, len; } ranges[BLK_MAX_DWZ_SEGS];
	unsigned int i, nr_ranges;
	u8 seg[BLK_DWZ_LEN];
	u64 sector;
	u32 nr, flags;
	int ret;

	if (!len || len % BLK_DWZ_LEN || len / BLK_DWZ_LEN > BLK_MAX_DWZ_SEGS)
		return VIRTIO_BLK_S_IOERR;
	nr_ranges = len / BLK_DWZ_LEN;
	for (i = 0; i < nr_ranges; i++) {
		ret = iovsim_ring_chain_read(&vq->ring, chain,
					     BLK_HDR_LEN + i * BLK_DWZ_LEN,
					     seg, sizeof(seg));
		if (ret)
			return ret;
		sector = get_unaligned_le64(seg);
		nr = get_unaligned_le32(seg + 8);
		flags = get_unaligned_le32(seg + 12);
		if (flags & ~(type == VIRTIO_BLK_T_WRITE_ZEROES ?
			      VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP : 0))
			return VIRTIO_BLK_S_UNSUPP;
		if (nr > BLK_MAX_DWZ_SECTORS ||
		    !blk_range_ok(blk, sector, (u64)nr * BLK_SECTOR))
			return VIRTIO_BLK_S_IOERR;
		ranges[i].pos = sector * BLK_SECTOR;
		ranges[i].len = (u64)nr * BLK_SECTOR;
	}
	for (i = 0; i < nr_ranges; i++)
		blk_zero(blk, ranges[i].pos, ranges[i].len);
	return VIRTIO_BLK_S_OK;
}

/* One request; returns bytes written into the chain or a negative errno. */
static int blk_request(struct iovsim_vq *vq, struct iovsim_ring_chain *chain)
{
	struct iovsim_blk *blk = vq->vdev->priv;
	u64 data_len, sector;
	u8 hdr[BLK_HDR_LEN];
	u32 type, written;
	int st, ret;
	u8 status;

	/* A request without header or status byte is a driver bug. */
	if (chain->readable_len < BLK_HDR_LEN || !chain->writable_len)
		return -EBADMSG;
	ret = iovsim_ring_chain_read(&vq->ring, chain, 0, hdr, sizeof(hdr));
	if (ret)
		return ret;
	type = get_unaligned_le32(hdr);
	sector = get_unaligned_le64(hdr + 8);
	written = 1;

	switch (type) {
	case VIRTIO_BLK_T_IN:
		data_len = chain->writable_len - 1;
		st = VIRTIO_BLK_S_IOERR;
		if (!(data_len % BLK_SECTOR) &&
		    blk_range_ok(blk, sector, data_len))
			st = blk_rw(blk, vq, chain, sector * BLK_SECTOR, 0,
				    data_len, false);
		if (st == VIRTIO_BLK_S_OK)
			written += data_len;
		break;
	case VIRTIO_BLK_T_OUT:
		data_len = chain->readable_len - BLK_HDR_LEN;
		st = VIRTIO_BLK_S_IOERR;
		if (!(data_len % BLK_SECTOR) &&
		    blk_range_ok(blk, sector, data_len))
			st = blk_rw(blk, vq, chain, sector * BLK_SECTOR,
				    BLK_HDR_LEN, data_len, true);
		break;
	case VIRTIO_BLK_T_FLUSH:
		st = VIRTIO_BLK_S_OK;	/* RAM: nothing is ever cached */
		break;
	case VIRTIO_BLK_T_GET_ID:
		data_len = min_t(u64, chain->writable_len - 1, BLK_ID_LEN);
		st = iovsim_ring_chain_write(&vq->ring, chain, 0, blk->serial,
					     data_len);
		if (!st)
			written += data_len;
		break;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		st = blk_discard_wz(blk, vq, chain, type);
		break;
	default:
		st = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	if (st < 0)
		return st;
	atomic64_inc(st == VIRTIO_BLK_S_OK ? &blk->ok[blk_stat_index(type)] :
		     &blk->failed[blk_stat_index(type)]);
	status = st;
	ret = iovsim_ring_chain_write(&vq->ring, chain, chain->writable_len - 1,
				      &status, 1);
	return ret ? ret : written;
}

static int blk_process(struct iovsim_vq *vq, unsigned int budget)
{
	return iovsim_vq_run_chains(vq, budget, blk_request);
}

static void blk_destroy(struct iovsim_vdev *vdev)
{
	struct iovsim_blk *blk = vdev->priv;
	unsigned long i;

	for (i = 0; i < blk->nr_pages; i++)
		if (blk->pages[i])
			__free_page(blk->pages[i]);
	kvfree(blk->pages);
	ida_free(&iovsim_blk_ida, blk->id);
	kfree(blk);
}

static void blk_stats_show(struct iovsim_vdev *vdev, struct seq_file *m)
{
	struct iovsim_blk *blk = vdev->priv;
	unsigned int i;

	for (i = 0; i < BLK_NR_STATS; i++)
		seq_printf(m, "%s %lld\n%s_failed %lld\n", blk_stat_names[i],
			   atomic64_read(&blk->ok[i]), blk_stat_names[i],
			   atomic64_read(&blk->failed[i]));
}

/*
 * &iovsim_vdev_ops.max_chain_len: what seg_max and size_max allow when
 * the driver accepted both, else (VIRTIO 1.2 5.2.3: without them the
 * device sets no such limit) 1 GiB of data.
 */
static u64 blk_max_chain_len(struct iovsim_vdev *vdev)
{
	if (iovsim_vdev_has(vdev, VIRTIO_BLK_F_SEG_MAX) &&
	    iovsim_vdev_has(vdev, VIRTIO_BLK_F_SIZE_MAX))
		return BLK_MAX_CHAIN;
	return BLK_MAX_CHAIN_UNLIMITED;
}

static const struct iovsim_vdev_ops iovsim_blk_ops = {
	.name		= "blk",
	.device_id	= IOVSIM_VIRTIO_ID_BLK,
	.class		= PCI_CLASS_STORAGE_SCSI << 8,
	.features	= BIT_ULL(VIRTIO_BLK_F_SIZE_MAX) |
			  BIT_ULL(VIRTIO_BLK_F_SEG_MAX) |
			  BIT_ULL(VIRTIO_BLK_F_BLK_SIZE) |
			  BIT_ULL(VIRTIO_BLK_F_FLUSH) |
			  BIT_ULL(VIRTIO_BLK_F_MQ) |
			  BIT_ULL(VIRTIO_BLK_F_DISCARD) |
			  BIT_ULL(VIRTIO_BLK_F_WRITE_ZEROES),
	.config_len	= sizeof(struct virtio_blk_config),
	.max_chain_len	= blk_max_chain_len,
	.config_read	= blk_config_read,
	.process	= blk_process,
	.destroy	= blk_destroy,
	.stats_show	= blk_stats_show,
};

/**
 * iovsim_blk_create() - build a virtio-blk function
 * @capacity: disk size in bytes, a multiple of PAGE_SIZE
 * @queues: request queues
 * @packed: offer VIRTIO_F_RING_PACKED (else the driver uses split rings)
 *
 * Return: the function, not yet added, or an ERR_PTR().
 */
struct iovsim_fn *iovsim_blk_create(u64 capacity, unsigned int queues,
				    bool packed)
{
	struct iovsim_vdev *vdev;
	struct iovsim_blk *blk;
	char name[32];
	int id;

	id = ida_alloc(&iovsim_blk_ida, GFP_KERNEL);
	if (id < 0)
		return ERR_PTR(id);
	snprintf(name, sizeof(name), "virtio-blk%d", id);
	vdev = iovsim_vdev_alloc(&iovsim_blk_ops, queues, name);
	if (IS_ERR(vdev)) {
		ida_free(&iovsim_blk_ida, id);
		return ERR_CAST(vdev);
	}
	if (!packed)
		vdev->features &= ~BIT_ULL(VIRTIO_F_RING_PACKED);

	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		goto err_vdev;
	blk->id = id;
	blk->capacity = capacity;
	blk->nr_queues = queues;
	blk->nr_pages = capacity >> PAGE_SHIFT;
	snprintf(blk->serial, sizeof(blk->serial), "iovsim-blk%d", id);
	strscpy(vdev->stats_name, blk->serial, sizeof(vdev->stats_name));
	blk->pages = kvcalloc(blk->nr_pages, sizeof(*blk->pages), GFP_KERNEL);
	if (!blk->pages)
		goto err_blk;
	vdev->priv = blk;	/* from here the function frees blk */
	return iovsim_vdev_build(vdev);

err_blk:
	kfree(blk);
err_vdev:
	iovsim_vdev_free(vdev);
	ida_free(&iovsim_blk_ida, id);
	return ERR_PTR(-ENOMEM);
}
