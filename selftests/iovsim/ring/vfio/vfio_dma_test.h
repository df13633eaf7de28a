/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between iovsim_vfio_dma_test.ko and ring_vfio_dma (the
 * user-space half of the VFIO DMA backend test): user space writes one
 * command to the VFIO device file at offset 0, the module runs it through
 * an iovsim VFIO DMA context in a work item, and the result (with the
 * context's counters) is read back at offset 0.
 */
#ifndef _IOVSIM_VFIO_DMA_TEST_H
#define _IOVSIM_VFIO_DMA_TEST_H

#include <linux/types.h>

#define VDT_NAME	"iovsim_vfio_dma_test"
#define VDT_MAX_DATA	16384

enum vdt_op {
	VDT_READ = 1,	/* iovsim_dma_read() of @len bytes at @iova */
	VDT_WRITE,	/* iovsim_dma_write() of @data[0..@len) at @iova */
	VDT_COPY,	/* iovsim_dma_copy() of @len bytes, @iova2 to @iova */
	VDT_READ16,	/* iovsim_dma_read_le16() at @iova into @data */
	VDT_WRITE16,	/* iovsim_dma_write_le16() of @data[0..2) at @iova */
	VDT_CHECK,	/* iovsim_dma_check() of @len bytes at @iova */
	VDT_TO_ITER,	/* iovsim_dma_to_iter() of @len bytes at @iova */
	VDT_FROM_ITER,	/* iovsim_dma_from_iter() of @data[0..@len) */
	/*
	 * One chain through a ring of @size in layout @packed whose areas
	 * are at @iova (descriptors), @iova2 (driver) and @iova3 (device):
	 * its readable bytes go to the result's @data, @data goes to its
	 * writable buffers, and the chain is completed with their length.
	 */
	VDT_RING,
	/*
	 * Start a device thread (a work item) that writes @data[0..@len)
	 * at @iova over and over, as a polling device model does, until
	 * VDT_POLL_STOP, whose result gives its counts.
	 */
	VDT_POLL_START,
	VDT_POLL_STOP,
};

struct vdt_cmd {
	__u32 op;
	__u32 len;
	__u64 iova;
	__u64 iova2;
	__u64 iova3;
	__u32 packed;
	__u32 size;
	__u8 data[VDT_MAX_DATA];
};

struct vdt_result {
	__s32 ret;		/* what the iovsim_dma_* call returned */
	__u32 len;		/* VDT_RING: bytes the chain's buffers read */
	__u64 pinned;		/* struct iovsim_dma_vfio_stats, after it */
	__u64 hits;
	__u64 pins;
	__u64 rw_fallbacks;
	__u64 invalidated;
	__u64 raced;
	__u64 faults;
	__u64 unmaps;		/* dma_unmap notifications the device got */
	__u64 poll_ok;		/* VDT_POLL_STOP: writes that succeeded */
	__u64 poll_failed;	/* and writes that failed */
	__u8 data[VDT_MAX_DATA];	/* VDT_READ, VDT_READ16, VDT_TO_ITER */
};

#endif /* _IOVSIM_VFIO_DMA_TEST_H */
