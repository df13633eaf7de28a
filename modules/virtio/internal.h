/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_virtio internals: the virtio 1.x PCI function model, its
 * backends (blk, net) and the in-host transport driver.
 */
#ifndef _IOVSIM_VIRTIO_INTERNAL_H
#define _IOVSIM_VIRTIO_INTERNAL_H

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <iovsim/dma.h>
#include <iovsim/ring.h>
#include <iovsim/virtio_net.h>

struct dentry;
struct iovsim_fn;
struct iovsim_vdev;
struct seq_file;
struct iovsim_vq;

/* PCI IDs (VIRTIO 1.2 section 4.1.2): modern-only devices, 0x1040 + ID */
#define IOVSIM_VIRTIO_VENDOR		0x1af4
#define IOVSIM_VIRTIO_DEVICE_BASE	0x1040
#define IOVSIM_VIRTIO_SUBSYS		0x1100
#define IOVSIM_VIRTIO_ID_NET		1
#define IOVSIM_VIRTIO_ID_BLK		2

/*
 * BAR layout.  BAR0 (64-bit) holds the virtio structures, one 4 KiB page
 * each; BAR2 (64-bit) the MSI-X table and pending bit array.
 */
#define IOVSIM_VIRTIO_BAR		0
#define IOVSIM_VIRTIO_BAR_SIZE		0x4000
#define IOVSIM_VIRTIO_COMMON_OFF	0x0000
#define IOVSIM_VIRTIO_COMMON_LEN	0x0040
#define IOVSIM_VIRTIO_ISR_OFF		0x1000
#define IOVSIM_VIRTIO_ISR_LEN		0x0004
#define IOVSIM_VIRTIO_DEVICE_OFF	0x2000
#define IOVSIM_VIRTIO_DEVICE_LEN	0x0100
#define IOVSIM_VIRTIO_NOTIFY_OFF	0x3000
#define IOVSIM_VIRTIO_NOTIFY_MULT	4
#define IOVSIM_VIRTIO_MSIX_BAR		2
#define IOVSIM_VIRTIO_MSIX_BAR_SIZE	0x2000
#define IOVSIM_VIRTIO_PBA_OFF		0x1000

/* Queues: at most this many per function, each at most this big */
#define IOVSIM_VIRTIO_MAX_QUEUES	64
#define IOVSIM_VIRTIO_QUEUE_SIZE	256
/* Chains a queue worker handles before it yields and requeues itself */
#define IOVSIM_VIRTIO_BUDGET		64

/* Common configuration offsets of VIRTIO 1.2 not in 6.1's uapi header */
#define IOVSIM_VIRTIO_COMMON_Q_NDATA	56
#define IOVSIM_VIRTIO_COMMON_Q_RESET	58
/* ISR bit 0 (queue interrupt); 6.1 has only the config bit, 0x2 */
#define IOVSIM_VIRTIO_ISR_QUEUE		0x1

/**
 * struct iovsim_vq - one virtqueue of a function
 * @vdev: the function
 * @index: queue index
 * @size: queue size the driver chose (initially the maximum)
 * @msix_vector: MSI-X vector of the queue, or VIRTIO_MSI_NO_VECTOR
 * @enabled: the driver wrote 1 to queue_enable
 * @desc: descriptor area address
 * @driver: driver area address
 * @device: device area address
 * @live: the ring is set up and the device may use it
 * @unchecked: @ring was set up without checking that its DMA context
 *	covers it (a passthrough user's context, which sleeps, and @ring is
 *	started under &iovsim_vdev.lock): the worker checks it first, and
 *	nothing else uses it until then.  Under @lock once @live.
 * @lock: serializes every use of @ring (the queue's worker, and other
 *	queues delivering into it, as a net peer's TX does)
 * @ring: device side of the ring
 * @segs: segment array for chains fetched from @ring
 * @work: processes the queue; queued by a notify
 * @wq: the workqueue @work runs on
 * @backend: per-queue data of the backend
 *
 * @size, @msix_vector, @enabled and the addresses are registers,
 * protected by &iovsim_vdev.lock.  @live changes under both
 * &iovsim_vdev.lock and @lock, so either is enough to read it.
 */
struct iovsim_vq {
	struct iovsim_vdev *vdev;
	u16 index;
	u16 size;
	u16 msix_vector;
	bool enabled;
	u64 desc;
	u64 driver;
	u64 device;
	bool live;
	bool unchecked;
	struct mutex lock;	/* protects ring, segs and backend data */
	struct iovsim_ring ring;
	struct iovsim_ring_seg *segs;
	struct work_struct work;
	struct workqueue_struct *wq;
	void *backend;
};

/**
 * struct iovsim_feature_dep - a feature bit and what it requires
 * @bit: the feature
 * @needs: the driver must also accept at least one of these bits
 */
struct iovsim_feature_dep {
	u8 bit;
	u64 needs;
};

/**
 * struct iovsim_vdev_ops - a device type's backend
 * @name: "blk" or "net", for messages
 * @device_id: virtio device ID
 * @class: PCI class code (24 bits)
 * @features: device-specific feature bits offered
 * @deps: dependencies between feature bits of the device type (VIRTIO
 *	1.2 "Feature bit requirements"); FEATURES_OK is refused when the
 *	driver accepts a bit without what it requires
 * @nr_deps: entries of @deps
 * @config_len: bytes of device-specific configuration
 * @max_chain_len: most bytes one chain of any of the device's queues may
 *	hold, readable and writable buffers together (&iovsim_ring_chain's
 *	@max_len), given the features negotiated; a longer chain breaks the
 *	device (DEVICE_NEEDS_RESET).  Called by the queue workers with
 *	&iovsim_vq.lock held.
 * @config_read: read the device-specific configuration into @buf, under
 *	&iovsim_vdev.lock
 * @config_write: a driver write into the device-specific configuration,
 *	under &iovsim_vdev.lock; may be NULL (read-only configuration)
 * @process: handle up to @budget chains of @vq, called by the queue's
 *	worker with &iovsim_vq.lock held and the ring live.  Return the
 *	number of chains handled (@budget means: call again), or a negative
 *	errno that breaks the device (DEVICE_NEEDS_RESET).
 * @notify: optional; called from the notify register write instead of
 *	queueing the queue's work (atomic context).  Return true when the
 *	work should still be queued.
 * @start: the driver set DRIVER_OK; may be NULL.  Under
 *	&iovsim_vdev.lock.
 * @detach: disconnect from anything outside the function (a net peer)
 *	before it is freed; may be NULL.  Process context.
 * @reset: the device is being reset, after every queue stopped; process
 *	context.  May be NULL.
 * @destroy: free the backend; process context.
 * @stats_show: print the function's counters, one "name value" line
 *	each, into /sys/kernel/debug/iovsim_virtio/<name>/<stats_name>/stats
 *	(&iovsim_vdev.stats_name); process context, no lock held.  May be
 *	NULL.
 */
struct iovsim_vdev_ops {
	const char *name;
	u16 device_id;
	u32 class;
	u64 features;
	const struct iovsim_feature_dep *deps;
	unsigned int nr_deps;
	unsigned int config_len;
	u64 (*max_chain_len)(struct iovsim_vdev *vdev);
	void (*config_read)(struct iovsim_vdev *vdev, u8 *buf);
	void (*config_write)(struct iovsim_vdev *vdev, unsigned int off,
			     const u8 *buf, unsigned int len);
	int (*process)(struct iovsim_vq *vq, unsigned int budget);
	bool (*notify)(struct iovsim_vq *vq);
	void (*start)(struct iovsim_vdev *vdev);
	void (*detach)(struct iovsim_vdev *vdev);
	void (*reset)(struct iovsim_vdev *vdev);
	void (*destroy)(struct iovsim_vdev *vdev);
	void (*stats_show)(struct iovsim_vdev *vdev, struct seq_file *m);
};

#define IOVSIM_VIRTIO_PCI_CFG_OPS	16

/**
 * struct iovsim_vdev_pci_cfg_op - one BAR access through the PCI_CFG window
 * @off: offset in BAR0
 * @len: 1, 2 or 4 bytes
 * @val: value written
 */
struct iovsim_vdev_pci_cfg_op {
	u32 off;
	u32 len;
	u32 val;
};

/**
 * struct iovsim_vdev - model state of one virtio PCI function
 * @fn: the iovsim function
 * @ops: its backend
 * @priv: backend data
 * @name: name for messages ("virtio-blk 3")
 * @dma: DMA context of the driver's memory
 * @lock: protects the registers below; BAR accesses come from any context
 * @features: every feature bit the device offers
 * @driver_features: what the driver wrote
 * @dfselect: device_feature_select
 * @gfselect: driver_feature_select
 * @status: device_status
 * @generation: config_generation
 * @config_vector: config_msix_vector
 * @queue_select: queue_select
 * @isr: ISR status bits not yet read
 * @resetting: a reset is in progress (status reads back non-zero)
 * @nvec: MSI-X table size it is built with; the table the driver sees
 *	may be smaller (iovsim_vdev_nvec())
 * @pci_cfg_cap: offset of the VIRTIO_PCI_CAP_PCI_CFG capability
 * @reset_work: completes a reset in process context
 * @pci_cfg_lock: protects @pci_cfg_ops, @pci_cfg_head, @pci_cfg_len,
 *	@pci_cfg_peek and @pci_cfg_seq.  A raw spinlock: ->cfg_write takes
 *	it under the PCI core's raw pci_lock.
 * @pci_cfg_ops: BAR writes through the PCI_CFG window not yet done, in
 *	the order they were written
 * @pci_cfg_head: index of the oldest of @pci_cfg_ops
 * @pci_cfg_len: number of @pci_cfg_ops
 * @pci_cfg_peek: the window to read ahead into pci_cfg_data once the
 *	writes are done; .len 0 if none
 * @pci_cfg_seq: bumped by each recorded access: a read-ahead stores its
 *	value only if nothing was written meanwhile
 * @pci_cfg_work: does the BAR accesses of the PCI_CFG window in process
 *	context
 * @stats_name: debugfs directory name of the counters (port, serial),
 *	unique among functions of the same type; set by the backend
 * @debugfs: that directory, or NULL
 * @nr_queues: number of queues
 * @vqs: the queues
 */
struct iovsim_vdev {
	struct iovsim_fn *fn;
	const struct iovsim_vdev_ops *ops;
	void *priv;
	char name[32];
	struct iovsim_dma dma;

	spinlock_t lock;	/* protects the registers */
	u64 features;
	u64 driver_features;
	u32 dfselect;
	u32 gfselect;
	u8 status;
	u8 generation;
	u16 config_vector;
	u16 queue_select;
	u8 isr;
	bool resetting;
	unsigned int nvec;
	unsigned int pci_cfg_cap;
	struct work_struct reset_work;
	raw_spinlock_t pci_cfg_lock;	/* the pci_cfg_* fields below */
	struct iovsim_vdev_pci_cfg_op pci_cfg_ops[IOVSIM_VIRTIO_PCI_CFG_OPS];
	unsigned int pci_cfg_head;
	unsigned int pci_cfg_len;
	struct iovsim_vdev_pci_cfg_op pci_cfg_peek;
	u32 pci_cfg_seq;
	struct work_struct pci_cfg_work;
	char stats_name[24];
	struct dentry *debugfs;

	unsigned int nr_queues;
	struct iovsim_vq vqs[];
};

#define vdev_warn(vdev, fmt, ...) \
	pr_warn_ratelimited("%s: " fmt, (vdev)->name, ##__VA_ARGS__)

/* model.c: configuration space, BAR dispatch, function lifetime */
extern struct dentry *iovsim_virtio_debugfs;
void iovsim_virtio_debugfs_init(void);
void iovsim_virtio_debugfs_exit(void);
struct iovsim_vdev *iovsim_vdev_alloc(const struct iovsim_vdev_ops *ops,
				      unsigned int nr_queues, const char *name);
struct iovsim_fn *iovsim_vdev_build(struct iovsim_vdev *vdev);
unsigned int iovsim_vdev_nvec(struct iovsim_vdev *vdev);
void iovsim_vdev_free(struct iovsim_vdev *vdev);
void iovsim_vdev_raise(struct iovsim_vdev *vdev, u16 vector, u8 isr);
void iovsim_vdev_raise_sync(struct iovsim_vdev *vdev, u16 vector, u8 isr);

/* common.c: common configuration, status machine, reset */
u64 iovsim_virtio_transport_features(void);
u64 iovsim_common_read(struct iovsim_vdev *vdev, unsigned int off,
		       unsigned int size);
void iovsim_common_write(struct iovsim_vdev *vdev, unsigned int off,
			 unsigned int size, u64 val);
void iovsim_vdev_needs_reset(struct iovsim_vdev *vdev, const char *why,
			     int err);
void iovsim_vdev_config_changed(struct iovsim_vdev *vdev);
void iovsim_vdev_reset(struct iovsim_vdev *vdev);
void iovsim_vdev_reset_work(struct work_struct *work);
bool iovsim_vdev_has(struct iovsim_vdev *vdev, unsigned int bit);

/* queue.c: per-queue processing */
extern struct workqueue_struct *iovsim_virtio_wq;
int iovsim_vq_init(struct iovsim_vdev *vdev, struct iovsim_vq *vq, u16 index);
void iovsim_vq_free(struct iovsim_vq *vq);
void iovsim_vq_reset_regs(struct iovsim_vq *vq);
int iovsim_vq_start(struct iovsim_vq *vq);
void iovsim_vq_stop(struct iovsim_vq *vq);
void iovsim_vq_notify(struct iovsim_vq *vq);
void iovsim_vq_kick_work(struct iovsim_vq *vq);
void iovsim_vq_set_unbound(struct iovsim_vq *vq);
int iovsim_vq_interrupt(struct iovsim_vq *vq);
typedef int (*iovsim_chain_handler_t)(struct iovsim_vq *vq,
				      struct iovsim_ring_chain *chain);
int iovsim_vq_run_chains(struct iovsim_vq *vq, unsigned int budget,
			 iovsim_chain_handler_t handle);
int iovsim_virtio_wq_init(void);
void iovsim_virtio_wq_exit(void);

/* blk.c */
#define IOVSIM_BLK_DEFAULT_CAPACITY	((u64)SZ_64M)
#define IOVSIM_BLK_MIN_CAPACITY		((u64)SZ_1M)
#define IOVSIM_BLK_MAX_CAPACITY		(16ULL * SZ_1G)
#define IOVSIM_BLK_MAX_QUEUES		16
struct iovsim_fn *iovsim_blk_create(u64 capacity, unsigned int queues,
				    bool packed);
int iovsim_blk_parse_capacity(const char *s, u64 *val);

/* net.c */
#define IOVSIM_VNET_MIN_MTU	68
#define IOVSIM_VNET_MAX_MTU	9000
#define IOVSIM_VNET_MAX_QUEUES	8

int iovsim_vnet_parse_name(const char *s, char *name, bool empty_ok);

/* transport.c */
int iovsim_transport_init(void);
void iovsim_transport_exit(void);

/* configfs.c */
int iovsim_virtio_configfs_init(void);
void iovsim_virtio_configfs_exit(void);

#endif /* _IOVSIM_VIRTIO_INTERNAL_H */
