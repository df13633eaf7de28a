/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_ring: the device side of VIRTIO 1.2 split (section 2.7) and
 * packed (section 2.8) virtqueues.
 *
 * A device model sets up one struct iovsim_ring per virtqueue from the
 * addresses the driver programmed, then loops: fetch a chain with
 * iovsim_ring_get_chain(), move data with iovsim_ring_chain_read() and
 * iovsim_ring_chain_write(), hand the chain back with
 * iovsim_ring_complete(), and raise the queue's interrupt when
 * iovsim_ring_need_interrupt() says so.  Every access to ring memory and
 * to buffers goes through the ring's DMA context.
 *
 * Errors caused by the driver.  Each is a distinct negative errno; the
 * device model answers every one of them by setting DEVICE_NEEDS_RESET.
 * The ring stays broken (every later call returns the same error) until
 * iovsim_ring_init() is called again.
 *
 *  -ELOOP      a split chain revisits a descriptor (next-pointer loop)
 *  -E2BIG      a chain has more descriptors or buffers than the queue size
 *  -EMLINK     an indirect table contains an indirect descriptor
 *  -EBADMSG    a malformed indirect descriptor: indirect descriptors not
 *              negotiated, table length 0 or not a multiple of 16, or
 *              INDIRECT together with NEXT
 *  -ENODATA    a buffer of length 0
 *  -EOVERFLOW  a buffer or table whose address + length wraps past 2^64
 *  -EFAULT     ring memory, a table or a buffer outside the memory the
 *              DMA context covers
 *  -ERANGE     the split avail index moved by more than the queue size
 *  -EDOM       a split head or next index outside its descriptor table
 *  -EPROTO     a readable (device-read) buffer after a writable one
 *  -EILSEQ     a packed chain continues into a descriptor that is not
 *              available
 *  -EFBIG      a chain's buffers add up to more than its @max_len bytes
 *
 * Errors caused by the device model itself (they do not break the ring):
 *
 *  -EINVAL     bad configuration for iovsim_ring_init(), or a completion
 *              that does not match a fetched chain
 *  -ENOBUFS    the chain has more buffers than the caller's segment array;
 *              the ring is left as it was, so the call can be retried with
 *              a bigger array
 *  -EMSGSIZE   iovsim_ring_chain_read()/_write() past the end of the chain
 */
#ifndef _IOVSIM_RING_H
#define _IOVSIM_RING_H

#include <linux/types.h>
#include <uapi/iovsim/ring.h>

struct iovsim_dma;

/**
 * enum iovsim_ring_layout - virtqueue format
 * @IOVSIM_RING_SPLIT: split virtqueue (VIRTIO 1.2 section 2.7)
 * @IOVSIM_RING_PACKED: packed virtqueue (VIRTIO_F_RING_PACKED, section 2.8)
 */
enum iovsim_ring_layout {
	IOVSIM_RING_SPLIT,
	IOVSIM_RING_PACKED,
};

/**
 * struct iovsim_ring_config - what the driver programmed for one queue
 * @layout: split or packed
 * @size: queue size, 1..32768; a power of two for the split layout
 * @desc_addr: DMA address of the descriptor area (16-byte aligned)
 * @driver_addr: driver area: the split available ring (2-byte aligned) or
 *	the packed driver event suppression structure (4-byte aligned)
 * @device_addr: device area: the split used ring (4-byte aligned) or the
 *	packed device event suppression structure (4-byte aligned)
 * @event_idx: VIRTIO_F_EVENT_IDX was negotiated
 * @indirect: VIRTIO_F_INDIRECT_DESC was negotiated
 */
struct iovsim_ring_config {
	enum iovsim_ring_layout layout;
	u32 size;
	u64 desc_addr;
	u64 driver_addr;
	u64 device_addr;
	bool event_idx;
	bool indirect;
};

/**
 * struct iovsim_ring_seg - one buffer of a chain
 * @addr: DMA address of the buffer
 * @len: its length in bytes, never 0
 */
struct iovsim_ring_seg {
	u64 addr;
	u32 len;
};

/**
 * struct iovsim_ring_chain - one available buffer chain
 * @segs: caller-provided array; on return, the @nr_readable buffers the
 *	device reads come first, then the @nr_writable buffers it writes
 * @max_segs: number of entries in @segs; IOVSIM_RING_MAX_SIZE is always
 *	enough
 * @max_len: most bytes the device accepts in one chain, readable and
 *	writable together, or 0 for no limit.  Each buffer is checked
 *	against the DMA context page by page, which for the VFIO backend
 *	means a pin per page: a device model serving an untrusted driver
 *	sets it, or one chain of 4 GiB buffers costs millions of pins.
 * @nr_readable: driver-to-device buffers
 * @nr_writable: device-to-driver buffers
 * @readable_len: total bytes of the readable buffers
 * @writable_len: total bytes of the writable buffers
 * @id: split: index of the head descriptor; packed: buffer ID
 * @nr_descs: descriptors the chain occupies in the descriptor area (an
 *	indirect table counts as one)
 *
 * The caller sets @segs, @max_segs and @max_len; iovsim_ring_get_chain()
 * fills in the rest.  The chain must be passed unchanged to iovsim_ring_complete().
 */
struct iovsim_ring_chain {
	struct iovsim_ring_seg *segs;
	u32 max_segs;
	u64 max_len;
	u32 nr_readable;
	u32 nr_writable;
	u64 readable_len;
	u64 writable_len;
	u16 id;
	u16 nr_descs;
};

/**
 * struct iovsim_ring - device-side state of one virtqueue
 * @dma: the DMA context all ring and buffer accesses go through
 * @cfg: the configuration the ring was set up with
 * @error: 0, or the driver error that broke the ring
 * @in_flight: chains fetched and not yet completed
 * @split: state of a split ring
 * @split.last_avail_idx: free-running index of the next avail entry the
 *	device will consume
 * @split.avail_idx: the driver's avail->idx as last read
 * @split.used_idx: free-running used->idx the device last published
 * @split.signalled_used: @split.used_idx at the last interrupt decision
 * @split.unsignalled: completions since the last interrupt decision,
 *	saturating above U16_MAX (then the 16-bit indexes cannot tell)
 * @packed: state of a packed ring
 * @packed.next_avail: descriptor the device will look at next
 * @packed.avail_wrap: the device's avail wrap counter
 * @packed.next_used: descriptor the next used descriptor is written to
 * @packed.used_wrap: the device's used wrap counter
 * @packed.used_since_signal: descriptors completed since the last
 *	interrupt decision, saturating at the queue size
 *
 * Locking: none inside.  A ring has one consumer: the caller serializes
 * every call on one ring (device models use the queue's own lock or a
 * single worker).  Different rings may be used concurrently, also over
 * one DMA context.
 */
struct iovsim_ring {
	const struct iovsim_dma *dma;
	struct iovsim_ring_config cfg;
	int error;
	u32 in_flight;
	union {
		struct {
			u16 last_avail_idx;
			u16 avail_idx;
			u16 used_idx;
			u16 signalled_used;
			u32 unsignalled;
		} split;
		struct {
			u16 next_avail;
			bool avail_wrap;
			u16 next_used;
			bool used_wrap;
			u32 used_since_signal;
		} packed;
	};
};

/**
 * iovsim_ring_area_sizes() - bytes of each area of a virtqueue
 * @layout: split or packed
 * @size: queue size
 * @desc: where to store the size of the descriptor area
 * @driver: where to store the size of the driver area
 * @device: where to store the size of the device area
 *
 * The sizes include the event index fields of the split rings, which exist
 * whether or not VIRTIO_F_EVENT_IDX is negotiated.
 */
void iovsim_ring_area_sizes(enum iovsim_ring_layout layout, u32 size,
			    u64 *desc, u64 *driver, u64 *device);

/**
 * iovsim_ring_init() - set up (or reset) a virtqueue's device side
 * @ring: the ring
 * @dma: DMA context of the driver's memory; must outlive @ring
 * @cfg: the queue's configuration
 *
 * Checks the size, the alignment of each area and that the DMA context
 * covers every area, then sets the ring to the state after a queue reset.
 * Ring memory is not written.
 *
 * Return: 0, -EINVAL for a bad size or alignment, -EOVERFLOW or -EFAULT
 * for an area the DMA context does not cover.
 */
int iovsim_ring_init(struct iovsim_ring *ring, const struct iovsim_dma *dma,
		     const struct iovsim_ring_config *cfg);

/**
 * iovsim_ring_setup() - iovsim_ring_init() without the DMA check
 * @ring: the ring
 * @dma: DMA context of the driver's memory; must outlive @ring
 * @cfg: the queue's configuration
 *
 * Checks the size and the alignment of each area only, so it never calls
 * into @dma: for a caller in atomic context whose DMA context sleeps (a
 * VFIO one), which calls iovsim_ring_check() later, from process context,
 * before it uses the ring.  Any context.
 *
 * Return: 0 or -EINVAL for a bad size or alignment.
 */
int iovsim_ring_setup(struct iovsim_ring *ring, const struct iovsim_dma *dma,
		      const struct iovsim_ring_config *cfg);

/**
 * iovsim_ring_check() - does the DMA context cover every area of a ring
 * @ring: a ring iovsim_ring_setup() set up
 *
 * Context: as the DMA context's check (process context for VFIO).
 *
 * Return: 0, -EOVERFLOW or -EFAULT for an area the DMA context does not
 * cover.
 */
int iovsim_ring_check(const struct iovsim_ring *ring);

/**
 * iovsim_ring_get_chain() - fetch the next available chain
 * @ring: the ring
 * @chain: @chain->segs and @chain->max_segs set by the caller; filled in
 *	on success
 *
 * Walks the chain (direct and indirect descriptors) and validates every
 * descriptor and buffer before the chain is consumed.
 *
 * Return: 1 when a chain was fetched, 0 when none is available, or a
 * negative errno from the list at the top of this file.
 */
int iovsim_ring_get_chain(struct iovsim_ring *ring,
			  struct iovsim_ring_chain *chain);

/**
 * iovsim_ring_complete() - return a chain to the driver
 * @ring: the ring
 * @chain: a chain iovsim_ring_get_chain() fetched from @ring
 * @written: bytes the device wrote into the chain's writable buffers
 *
 * Publishes the used element (split) or used descriptor (packed).  Chains
 * may be completed in any order.  Does not notify the driver: call
 * iovsim_ring_need_interrupt() after one or more completions.
 *
 * Return: 0, -EINVAL if @written exceeds the writable length or nothing
 * is in flight, -EFAULT if ring memory is not covered, or the ring's error.
 */
int iovsim_ring_complete(struct iovsim_ring *ring,
			 const struct iovsim_ring_chain *chain, u32 written);

/**
 * iovsim_ring_need_interrupt() - must the driver be notified?
 * @ring: the ring
 *
 * Decides, for everything completed since the previous call, whether the
 * driver asked to be notified: the avail ring's NO_INTERRUPT flag or
 * used_event (split), or the driver event suppression structure (packed).
 * Contains the full barrier between publishing used entries and reading
 * the driver's suppression state.
 *
 * Return: 1 to raise the interrupt, 0 not to, or a negative errno.
 */
int iovsim_ring_need_interrupt(struct iovsim_ring *ring);

/**
 * iovsim_ring_disable_kicks() - ask the driver not to notify the device
 * @ring: the ring
 *
 * For a device that polls the ring.  Without VIRTIO_F_EVENT_IDX the
 * suppression flag is set; with it, the avail event index is left where
 * it is, so the driver stops notifying once it has passed it.
 *
 * Return: 0 or a negative errno.
 */
int iovsim_ring_disable_kicks(struct iovsim_ring *ring);

/**
 * iovsim_ring_enable_kicks() - ask the driver to notify on new buffers
 * @ring: the ring
 *
 * Clears the suppression flag or, with VIRTIO_F_EVENT_IDX, sets the avail
 * event index to the next buffer the device will consume.  Then checks,
 * after a full barrier, whether buffers were made available meanwhile:
 * the driver may not have notified for them.
 *
 * Return: 1 if buffers are available (keep polling), 0 if not (sleep
 * until the next notification), or a negative errno.
 */
int iovsim_ring_enable_kicks(struct iovsim_ring *ring);

/**
 * iovsim_ring_chain_read() - copy from a chain's readable buffers
 * @ring: the ring the chain came from
 * @chain: the chain
 * @offset: byte offset into the concatenated readable buffers
 * @buf: destination
 * @len: bytes to copy
 *
 * Return: 0, -EMSGSIZE if the range passes the readable length, -EFAULT
 * if a buffer is not covered by the DMA context.
 */
int iovsim_ring_chain_read(const struct iovsim_ring *ring,
			   const struct iovsim_ring_chain *chain, u64 offset,
			   void *buf, size_t len);

/**
 * iovsim_ring_chain_write() - copy into a chain's writable buffers
 * @ring: the ring the chain came from
 * @chain: the chain
 * @offset: byte offset into the concatenated writable buffers
 * @buf: source
 * @len: bytes to copy
 *
 * Return: as for iovsim_ring_chain_read(), against the writable length.
 */
int iovsim_ring_chain_write(const struct iovsim_ring *ring,
			    const struct iovsim_ring_chain *chain, u64 offset,
			    const void *buf, size_t len);

#endif /* _IOVSIM_RING_H */
