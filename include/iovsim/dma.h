/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim DMA contexts: how a device model reaches a driver's memory.
 *
 * A DMA address is whatever the driver wrote into a descriptor or a queue
 * register.  A DMA context turns such addresses into CPU mappings, one
 * contiguous piece at a time, and refuses every address its backend does
 * not cover.  All other iovsim code touches driver memory only through the
 * helpers declared here.
 *
 * This header is shared by the kernel module and the user-space build of
 * iovsim_ring (unit tests, fuzzer, benchmark); the iov_iter helpers exist
 * in the kernel build only.
 */
#ifndef _IOVSIM_DMA_H
#define _IOVSIM_DMA_H

#include <linux/types.h>

struct iovsim_dma;
struct iovsim_dma_vfio;
struct iov_iter;
struct vfio_device;

/**
 * struct iovsim_dma_ops - backend of a DMA context
 * @map: map the start of the range [@addr, @addr + @len) into the CPU.
 *	On success store the mapping in *@ptr and the number of bytes it
 *	covers (at least 1, at most @len) in *@mapped, and return 0.  Return
 *	-EFAULT when @addr is not covered by the backend.  @len is never 0
 *	and @addr + @len never wraps: the common code checks both.
 * @unmap: undo one successful @map; mappings are released in the
 *	reverse order of their creation.  May be NULL.
 * @check: optional fast test that the whole range is covered, without
 *	mapping it; return 0 or -EFAULT.  When NULL, the range is checked by
 *	mapping it piece by piece.
 * @rw: optional copy of the whole range [@addr, @addr + @len) to
 *	(@write false) or from (@write true) @buf without a CPU mapping.
 *	@map returns -EOPNOTSUPP for a range it covers but cannot map; the
 *	common helpers then move the bytes through @rw (without @rw they
 *	fail with -EFAULT).  Return 0 or -EFAULT.  Same range guarantees as
 *	@map.  A backend with @rw must have a @check.
 * @rw16: optional @rw of one naturally aligned 2-byte range, a ring index
 *	or flags field, as one single-copy atomic load or store; used by
 *	iovsim_dma_read_le16() and iovsim_dma_write_le16() where @map
 *	returned -EOPNOTSUPP.  Without it those fail with -EFAULT there: a
 *	byte-wise copy could see half of a driver's update.
 *
 * The callbacks may be called concurrently on one context from any
 * number of threads.  Those of the in-host and plain-memory backends
 * never sleep and take no lock: they may be called from any context,
 * hard and soft interrupt handlers and code holding (raw) spinlocks
 * included.  Those of the VFIO backend sleep (see iovsim_dma_init_vfio()).
 * The helpers below inherit the context of the backend's callbacks.
 */
struct iovsim_dma_ops {
	int (*map)(const struct iovsim_dma *dma, u64 addr, size_t len,
		   void **ptr, size_t *mapped);
	void (*unmap)(const struct iovsim_dma *dma, void *ptr);
	int (*check)(const struct iovsim_dma *dma, u64 addr, u64 len);
	int (*rw)(const struct iovsim_dma *dma, u64 addr, void *buf,
		  size_t len, bool write);
	int (*rw16)(const struct iovsim_dma *dma, u64 addr, __le16 *val,
		    bool write);
};

/**
 * struct iovsim_dma - a DMA context
 * @ops: the backend
 * @mem_base: plain-memory backend: CPU address of DMA address 0
 * @mem_size: plain-memory backend: number of bytes from @mem_base on
 * @vfio: VFIO backend: the device and its cache of pinned pages
 *
 * A context is set up once by iovsim_dma_init_host(),
 * iovsim_dma_init_mem() or iovsim_dma_init_vfio() and is read-only
 * afterwards, so it needs no lock.  The VFIO pin cache it points to has a
 * lock of its own and lives until iovsim_dma_release_vfio().
 */
struct iovsim_dma {
	const struct iovsim_dma_ops *ops;
	void *mem_base;
	size_t mem_size;
	struct iovsim_dma_vfio *vfio;
};

/**
 * iovsim_dma_init_mem() - set up a plain-memory DMA context
 * @dma: the context
 * @base: CPU address that DMA address 0 maps to
 * @size: bytes covered; DMA addresses [0, @size) are valid
 *
 * Used by the user-space build and by device models whose "driver memory"
 * is a buffer of their own.
 */
void iovsim_dma_init_mem(struct iovsim_dma *dma, void *base, size_t size);

/**
 * iovsim_dma_init_host() - set up an in-host DMA context
 * @dma: the context
 *
 * For functions on the iovsim PCI domain driven by in-host drivers: no
 * IOMMU covers the domain, so a DMA address is a physical address.  A
 * range is accepted only if every one of its pages is System RAM, online
 * and not PageReserved (which refuses the kernel image, the memory map
 * and boot or firmware reservations); MMIO, holes, offline memory and
 * ZONE_DEVICE memory are refused too, anywhere in the range.  Bytes are
 * moved with no-fault accesses, one page at a time: a page missing from
 * the kernel's direct map fails the access with -EFAULT instead of
 * oopsing.  The System RAM ranges are read from the resource tree when
 * iovsim_ring loads and whenever memory goes online or offline.
 *
 * Context: the context's accessors may be used from any context,
 * including hard and soft interrupt handlers; they never sleep.
 * iovsim_dma_check() costs one test per page of the range.
 */
void iovsim_dma_init_host(struct iovsim_dma *dma);

/**
 * struct iovsim_dma_vfio_stats - counters of a VFIO DMA context
 * @pinned: pages the cache holds pinned now
 * @hits: mappings served from the cache
 * @pins: pages pinned with vfio_pin_pages()
 * @rw_fallbacks: accesses done with vfio_dma_rw() because the page was
 *	not pinned (VFIO refused, or its range was unmapped before)
 * @invalidated: pages unpinned because user space unmapped their IOVA
 * @raced: pins undone because an invalidation ran while they were made
 * @faults: accesses and checks refused because an IOVA of their range is
 *	not mapped in the container (never mapped, or unmapped since)
 *
 * The counters start from zero at each iovsim_dma_init_vfio().
 */
struct iovsim_dma_vfio_stats {
	u64 pinned;
	u64 hits;
	u64 pins;
	u64 rw_fallbacks;
	u64 invalidated;
	u64 raced;
	u64 faults;
};

/**
 * iovsim_dma_init_vfio() - set up a DMA context on a VFIO device's IOVAs
 * @dma: the context: zeroed before its first use, then kept by the caller
 *	until iovsim_dma_release_vfio()
 * @vdev: an emulated-IOMMU VFIO device (an mdev) whose ops have a
 *	@dma_unmap callback
 *
 * DMA addresses are IOVAs of the container user space attached @vdev to
 * (VFIO_IOMMU_MAP_DMA).  Pages are pinned with vfio_pin_pages() on first
 * use and kept in a small per-context cache (evicted round robin); when
 * a page cannot be pinned (no CAP_IPC_LOCK and RLIMIT_MEMLOCK reached, a
 * read-only mapping written to, a range user space unmapped before...)
 * the access falls back to vfio_dma_rw(), except a 2-byte ring index or
 * flags access (iovsim_dma_read_le16(), iovsim_dma_write_le16()), which
 * fails with -EFAULT there rather than be copied byte by byte.  IOVAs not
 * mapped in the container fail with -EFAULT.
 *
 * Caller context: the accessors of a VFIO context sleep, and VFIO serves
 * them only from the process that mapped the IOVAs or from a kernel
 * thread: use the context from the device's work item (or a kthread),
 * never from atomic context nor from another process's system call.  Call
 * it from @open_device; call iovsim_dma_vfio_invalidate() from
 * @dma_unmap; in @close_device stop every user, then call
 * iovsim_dma_fini_vfio(); in @release call iovsim_dma_release_vfio().
 * The same @dma may be opened again after iovsim_dma_fini_vfio().
 *
 * Return: 0, -ENOMEM, or -EBUSY if @dma is open already.
 */
int iovsim_dma_init_vfio(struct iovsim_dma *dma, struct vfio_device *vdev);

/**
 * iovsim_dma_fini_vfio() - close a VFIO DMA context
 * @dma: a context iovsim_dma_init_vfio() set up
 *
 * Unpins every cached page.  No access may be in flight or start
 * afterwards.  The context stays allocated: a @dma_unmap notification
 * VFIO sends between @close_device and the device leaving its container
 * still finds it, closed, and does nothing.  May sleep.
 */
void iovsim_dma_fini_vfio(struct iovsim_dma *dma);

/**
 * iovsim_dma_release_vfio() - free a closed VFIO DMA context
 * @dma: a context iovsim_dma_fini_vfio() closed, or never opened
 *
 * Call it from the VFIO device's @release, when VFIO can no longer call
 * @dma_unmap.
 */
void iovsim_dma_release_vfio(struct iovsim_dma *dma);

/**
 * iovsim_dma_vfio_invalidate() - forget pinned pages of an unmapped range
 * @dma: a VFIO context
 * @iova: first IOVA user space unmapped
 * @len: length of the unmapped range
 *
 * Call it from the VFIO device's @dma_unmap callback (VFIO holds its
 * device_list_lock there): it unpins every cached page of the range, as
 * VFIO requires before the unmap can complete, and marks the range so
 * that it is never pinned again while the context is open; accesses to
 * it use vfio_dma_rw() from then on (and fail once the unmap completed;
 * 2-byte index accesses fail at once).  Pins being made concurrently are
 * undone by their owners before it returns, so VFIO's recheck after the
 * notification finds none.  Unpins nothing on a closed context (but
 * still waits for iovsim_dma_fini_vfio()'s).  An access already in flight keeps its page alive
 * until it ends (its data then goes to memory no longer mapped at that
 * IOVA, as a real device's DMA racing an unmap would).  May sleep.
 */
void iovsim_dma_vfio_invalidate(struct iovsim_dma *dma, u64 iova, u64 len);

/**
 * iovsim_dma_vfio_get_stats() - read a VFIO context's counters
 * @dma: a VFIO context
 * @stats: where to store them
 */
void iovsim_dma_vfio_get_stats(struct iovsim_dma *dma,
			       struct iovsim_dma_vfio_stats *stats);

/**
 * iovsim_dma_check() - check that a DMA range is valid, without access
 * @dma: the context
 * @addr: first DMA address
 * @len: length in bytes; 0 is valid and always succeeds
 *
 * Return: 0, -EOVERFLOW if @addr + @len wraps around, -EFAULT if part of
 * the range is not covered by the context.
 */
int iovsim_dma_check(const struct iovsim_dma *dma, u64 addr, u64 len);

/**
 * iovsim_dma_read() - copy from a DMA range into a CPU buffer
 * @dma: the context
 * @dst: destination buffer of @len bytes
 * @addr: DMA address to read from
 * @len: bytes to copy
 *
 * Return: 0, -EOVERFLOW if the range wraps, -EFAULT if it is not covered;
 * on error @dst may have been partly written.
 */
int iovsim_dma_read(const struct iovsim_dma *dma, void *dst, u64 addr,
		    size_t len);

/**
 * iovsim_dma_write() - copy from a CPU buffer into a DMA range
 * @dma: the context
 * @addr: DMA address to write to
 * @src: source buffer of @len bytes
 * @len: bytes to copy
 *
 * Return: as for iovsim_dma_read(); on error part of the range may have
 * been written.
 */
int iovsim_dma_write(const struct iovsim_dma *dma, u64 addr, const void *src,
		     size_t len);

/**
 * iovsim_dma_copy() - copy between two DMA ranges of one context
 * @dma: the context
 * @dst: destination DMA address
 * @src: source DMA address
 * @len: bytes to copy
 *
 * Overlapping ranges are copied piece by piece in ascending order, so
 * their result is undefined, as on a real bus.
 *
 * Return: as for iovsim_dma_read().
 */
int iovsim_dma_copy(const struct iovsim_dma *dma, u64 dst, u64 src,
		    size_t len);

/**
 * iovsim_dma_read_le16() - single-copy-atomic load of a little-endian u16
 * @dma: the context
 * @addr: DMA address, 2-byte aligned
 * @val: where to store the value in CPU byte order
 *
 * Ring indexes and flags are read with this, so that a concurrently
 * writing driver is never seen half-written.
 *
 * Return: 0, -EFAULT if @addr is not covered, -EINVAL if it is misaligned.
 */
int iovsim_dma_read_le16(const struct iovsim_dma *dma, u64 addr, u16 *val);

/**
 * iovsim_dma_write_le16() - single-copy-atomic store of a little-endian u16
 * @dma: the context
 * @addr: DMA address, 2-byte aligned
 * @val: value in CPU byte order
 *
 * Return: as for iovsim_dma_read_le16().
 */
int iovsim_dma_write_le16(const struct iovsim_dma *dma, u64 addr, u16 val);

/**
 * iovsim_dma_to_iter() - copy from a DMA range into an iov_iter
 * @dma: the context
 * @addr: DMA address to read from
 * @len: bytes to copy
 * @iter: destination; advanced by the bytes copied
 *
 * Kernel build only.  May fault in user pages, so the caller must be able
 * to sleep when @iter is a user-space iterator.
 *
 * Return: 0, -EOVERFLOW or -EFAULT for the DMA range, -EFAULT when @iter
 * took fewer than @len bytes.
 */
int iovsim_dma_to_iter(const struct iovsim_dma *dma, u64 addr, size_t len,
		       struct iov_iter *iter);

/**
 * iovsim_dma_from_iter() - copy from an iov_iter into a DMA range
 * @dma: the context
 * @addr: DMA address to write to
 * @len: bytes to copy
 * @iter: source; advanced by the bytes copied
 *
 * Kernel build only; see iovsim_dma_to_iter().
 *
 * Return: as for iovsim_dma_to_iter().
 */
int iovsim_dma_from_iter(const struct iovsim_dma *dma, u64 addr, size_t len,
			 struct iov_iter *iter);

#endif /* _IOVSIM_DMA_H */
