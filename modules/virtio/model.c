// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio 1.x PCI function as the PCI core sees it (VIRTIO 1.2
 * section 4.1): IDs and class, the five vendor capabilities that locate
 * the common, notify, ISR and device-specific structures in BAR0 plus the
 * PCI configuration access capability, MSI-X with its table in BAR2.
 * BAR accesses are decoded here and handed to the common configuration
 * (common.c), the queues (queue.c) and the backend.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/virtio_pci.h>

#include <iovsim/pcihost.h>

#include "internal.h"

/*
 * /sys/kernel/debug/iovsim_virtio: the transport's per-device directories
 * (named by PCI address) and the models' counters (blk/, net/).
 */
struct dentry *iovsim_virtio_debugfs;
static struct dentry *iovsim_virtio_debugfs_blk;
static struct dentry *iovsim_virtio_debugfs_net;

/**
 * iovsim_virtio_debugfs_init() - create the module's debugfs directories
 *
 * Failures are not errors: debugfs may be absent.
 */
void iovsim_virtio_debugfs_init(void)
{
	iovsim_virtio_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	iovsim_virtio_debugfs_blk = debugfs_create_dir("blk",
						       iovsim_virtio_debugfs);
	iovsim_virtio_debugfs_net = debugfs_create_dir("net",
						       iovsim_virtio_debugfs);
}

/**
 * iovsim_virtio_debugfs_exit() - remove them, after every function is gone
 */
void iovsim_virtio_debugfs_exit(void)
{
	debugfs_remove_recursive(iovsim_virtio_debugfs);
}

static int vdev_stats_show(struct seq_file *m, void *v)
{
	struct iovsim_vdev *vdev = m->private;

	vdev->ops->stats_show(vdev, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vdev_stats);

/*
 * The counters' directory.  debugfs_remove_recursive() in
 * iovsim_vdev_free() waits for readers, so @vdev outlives them.
 */
static void vdev_debugfs_add(struct iovsim_vdev *vdev)
{
	struct dentry *parent;

	if (!vdev->ops->stats_show || !vdev->stats_name[0])
		return;
	parent = vdev->ops->device_id == IOVSIM_VIRTIO_ID_NET ?
		 iovsim_virtio_debugfs_net : iovsim_virtio_debugfs_blk;
	vdev->debugfs = debugfs_create_dir(vdev->stats_name, parent);
	debugfs_create_file("stats", 0444, vdev->debugfs, vdev,
			    &vdev_stats_fops);
}

/* Offsets in a virtio_pci_cap, from the capability's start */
#define CAP_BAR		4
#define CAP_OFFSET	8
#define CAP_LENGTH	12
#define CAP_EXTRA	16	/* notify_off_multiplier or pci_cfg_data */
#define CAP_BODY	13	/* bytes after the 3 header bytes */
#define CAP_BODY_EXTRA	17

static u64 get_le(const u8 *p, unsigned int size)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		val |= (u64)p[i] << (8 * i);
	return val;
}

static void put_le(u8 *p, unsigned int size, u64 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		p[i] = val >> (8 * i);
}

static bool in_region(u64 off, unsigned int size, u64 base, u64 len)
{
	return off >= base && off + size <= base + len;
}

static u64 vdev_device_cfg_read(struct iovsim_vdev *vdev, u64 off,
				unsigned int size)
{
	u8 buf[IOVSIM_VIRTIO_DEVICE_LEN];
	unsigned long flags;

	if (off + size > vdev->ops->config_len)
		return 0;
	spin_lock_irqsave(&vdev->lock, flags);
	vdev->ops->config_read(vdev, buf);
	spin_unlock_irqrestore(&vdev->lock, flags);
	return get_le(buf + off, size);
}

/* BAR0 read; @peek: no side effects (ISR is read-to-clear). */
static u64 vdev_regs_read(struct iovsim_vdev *vdev, u64 off,
			  unsigned int size, bool peek)
{
	unsigned long flags;
	u64 val = 0;

	if (in_region(off, size, IOVSIM_VIRTIO_COMMON_OFF,
		      IOVSIM_VIRTIO_COMMON_LEN))
		return iovsim_common_read(vdev, off - IOVSIM_VIRTIO_COMMON_OFF,
					  size);
	if (in_region(off, size, IOVSIM_VIRTIO_ISR_OFF,
		      IOVSIM_VIRTIO_ISR_LEN)) {
		spin_lock_irqsave(&vdev->lock, flags);
		if (off == IOVSIM_VIRTIO_ISR_OFF) {
			val = vdev->isr;
			if (!peek)
				vdev->isr = 0;
		}
		spin_unlock_irqrestore(&vdev->lock, flags);
		return val;
	}
	if (in_region(off, size, IOVSIM_VIRTIO_DEVICE_OFF,
		      IOVSIM_VIRTIO_DEVICE_LEN))
		return vdev_device_cfg_read(vdev,
					    off - IOVSIM_VIRTIO_DEVICE_OFF,
					    size);
	return 0;
}

static void vdev_regs_write(struct iovsim_vdev *vdev, u64 off,
			    unsigned int size, u64 val)
{
	u8 buf[8];
	unsigned long flags;
	u64 q;

	if (in_region(off, size, IOVSIM_VIRTIO_COMMON_OFF,
		      IOVSIM_VIRTIO_COMMON_LEN)) {
		iovsim_common_write(vdev, off - IOVSIM_VIRTIO_COMMON_OFF, size,
				    val);
	} else if (in_region(off, size, IOVSIM_VIRTIO_NOTIFY_OFF,
			     vdev->nr_queues * IOVSIM_VIRTIO_NOTIFY_MULT)) {
		q = (off - IOVSIM_VIRTIO_NOTIFY_OFF) /
			IOVSIM_VIRTIO_NOTIFY_MULT;
		iovsim_vq_notify(&vdev->vqs[q]);
	} else if (in_region(off, size, IOVSIM_VIRTIO_DEVICE_OFF,
			     vdev->ops->config_len) &&
		   vdev->ops->config_write) {
		put_le(buf, size, val);
		spin_lock_irqsave(&vdev->lock, flags);
		vdev->ops->config_write(vdev, off - IOVSIM_VIRTIO_DEVICE_OFF,
					buf, size);
		spin_unlock_irqrestore(&vdev->lock, flags);
	}
}

static u64 vdev_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
			 unsigned int size)
{
	struct iovsim_vdev *vdev = iovsim_fn_priv(fn);

	/* The MSI-X table and PBA (their own BAR) are the host's. */
	if (bar == IOVSIM_VIRTIO_BAR)
		return vdev_regs_read(vdev, off, size, false);
	return 0;
}

static void vdev_bar_write(struct iovsim_fn *fn, unsigned int bar, u64 off,
			   unsigned int size, u64 val)
{
	struct iovsim_vdev *vdev = iovsim_fn_priv(fn);

	if (bar == IOVSIM_VIRTIO_BAR)
		vdev_regs_write(vdev, off, size, val);
}

/*
 * VIRTIO_PCI_CAP_PCI_CFG: a write of pci_cfg_data is a BAR write of
 * cap.length bytes at cap.offset; a read of pci_cfg_data returns what
 * that BAR location held when cap.bar, cap.offset or cap.length was last
 * written (the host has no configuration-read hook, so the read is done
 * ahead, without side effects).
 *
 * ->cfg_write runs in atomic context, under the PCI core's raw pci_lock
 * for a write from user space (setpci), where neither vdev->lock nor what
 * a BAR write leads to (starting queues) may be taken.  So it only
 * records the access under the raw pci_cfg_lock, and pci_cfg_work does it
 * in process context.  Order is kept: BAR writes in the order they were
 * written; a read-ahead after the writes recorded before it, and dropped
 * if anything is written through the window before it stores its value.
 * Until the work has run, pci_cfg_data reads back what was last stored.
 */
static void vdev_pci_cfg_work(struct work_struct *work)
{
	struct iovsim_vdev *vdev = container_of(work, struct iovsim_vdev,
						pci_cfg_work);
	struct iovsim_vdev_pci_cfg_op op;
	unsigned long flags;
	u32 seq, val;

	for (;;) {
		raw_spin_lock_irqsave(&vdev->pci_cfg_lock, flags);
		if (vdev->pci_cfg_len) {
			op = vdev->pci_cfg_ops[vdev->pci_cfg_head];
			vdev->pci_cfg_head = (vdev->pci_cfg_head + 1) %
					     IOVSIM_VIRTIO_PCI_CFG_OPS;
			vdev->pci_cfg_len--;
			raw_spin_unlock_irqrestore(&vdev->pci_cfg_lock, flags);
			vdev_regs_write(vdev, op.off, op.len, op.val);
			continue;
		}
		op = vdev->pci_cfg_peek;
		vdev->pci_cfg_peek.len = 0;
		seq = vdev->pci_cfg_seq;
		raw_spin_unlock_irqrestore(&vdev->pci_cfg_lock, flags);
		if (!op.len)
			return;

		val = vdev_regs_read(vdev, op.off, op.len, true);
		raw_spin_lock_irqsave(&vdev->pci_cfg_lock, flags);
		if (seq == vdev->pci_cfg_seq)
			iovsim_cfg_write(vdev->fn,
					 vdev->pci_cfg_cap + CAP_EXTRA, 4, val);
		raw_spin_unlock_irqrestore(&vdev->pci_cfg_lock, flags);
	}
}

static void vdev_cfg_write(struct iovsim_fn *fn, unsigned int where,
			   u32 old, u32 val)
{
	struct iovsim_vdev *vdev = iovsim_fn_priv(fn);
	unsigned int cap = vdev->pci_cfg_cap;
	struct iovsim_vdev_pci_cfg_op op;
	unsigned long flags;
	unsigned int bar, i;
	bool lost = false;

	/*
	 * Bus Master Enable set again: the queue workers left their rings
	 * alone while it was clear, and the driver may not notify again
	 * (event index): look at every ring now.  queue_work() only.
	 */
	if (where == PCI_COMMAND && !(old & PCI_COMMAND_MASTER) &&
	    val & PCI_COMMAND_MASTER) {
		for (i = 0; i < vdev->nr_queues; i++)
			iovsim_vq_kick_work(&vdev->vqs[i]);
		return;
	}
	if (where < cap + CAP_BAR || where > cap + CAP_EXTRA)
		return;
	bar = iovsim_cfg_read(fn, cap + CAP_BAR, 1);
	op.off = iovsim_cfg_read(fn, cap + CAP_OFFSET, 4);
	op.len = iovsim_cfg_read(fn, cap + CAP_LENGTH, 4);
	op.val = val;
	if (bar != IOVSIM_VIRTIO_BAR ||
	    (op.len != 1 && op.len != 2 && op.len != 4) ||
	    op.off & (op.len - 1) || op.off >= IOVSIM_VIRTIO_BAR_SIZE)
		return;

	raw_spin_lock_irqsave(&vdev->pci_cfg_lock, flags);
	vdev->pci_cfg_seq++;
	if (where != cap + CAP_EXTRA) {
		vdev->pci_cfg_peek = op;
	} else if (vdev->pci_cfg_len == IOVSIM_VIRTIO_PCI_CFG_OPS) {
		lost = true;
	} else {
		vdev->pci_cfg_ops[(vdev->pci_cfg_head + vdev->pci_cfg_len) %
				  IOVSIM_VIRTIO_PCI_CFG_OPS] = op;
		vdev->pci_cfg_len++;
		vdev->pci_cfg_peek.len = 0;	/* pci_cfg_data is the value */
	}
	raw_spin_unlock_irqrestore(&vdev->pci_cfg_lock, flags);
	if (lost)
		vdev_warn(vdev, "PCI_CFG window: %u writes pending, one dropped\n",
			  IOVSIM_VIRTIO_PCI_CFG_OPS);
	else
		queue_work(system_wq, &vdev->pci_cfg_work);
}

/*
 * Sets @isr; true if @vector is one of the function's.  Whether MSI-X may
 * send it now (MSI-X Enable, Function Mask, the entry's Mask bit, Bus
 * Master Enable, D0) is the host's to decide: a masked vector is held
 * pending and sent on unmask, as the PCI specification has it.
 */
static bool vdev_latch(struct iovsim_vdev *vdev, u16 vector, u8 isr)
{
	unsigned long flags;

	spin_lock_irqsave(&vdev->lock, flags);
	vdev->isr |= isr;
	spin_unlock_irqrestore(&vdev->lock, flags);

	return vector != VIRTIO_MSI_NO_VECTOR && vector < iovsim_vdev_nvec(vdev);
}

/**
 * iovsim_vdev_raise() - signal the driver
 * @vdev: the function
 * @vector: MSI-X vector, or VIRTIO_MSI_NO_VECTOR
 * @isr: ISR status bit to set (VIRTIO_PCI_ISR_*)
 *
 * Any context; the handler runs later, in hard interrupt context.  While
 * MSI-X is disabled or masked (as a whole or the vector's entry), the
 * host holds the vector pending and sends it once unmasked.
 */
void iovsim_vdev_raise(struct iovsim_vdev *vdev, u16 vector, u8 isr)
{
	if (vdev_latch(vdev, vector, isr))
		iovsim_fn_raise_irq(vdev->fn, vector);
}

/**
 * iovsim_vdev_raise_sync() - signal the driver from a queue worker
 * @vdev: the function
 * @vector: MSI-X vector, or VIRTIO_MSI_NO_VECTOR
 * @isr: ISR status bit to set (VIRTIO_PCI_ISR_*)
 *
 * As iovsim_vdev_raise(), but the driver's handler runs before this
 * returns (iovsim_fn_raise_irq_sync()).  Process context, holding no
 * lock but queue mutexes: the driver's handler and what it runs next
 * only notify, and a notify takes none of them.
 */
void iovsim_vdev_raise_sync(struct iovsim_vdev *vdev, u16 vector, u8 isr)
{
	if (vdev_latch(vdev, vector, isr))
		iovsim_fn_raise_irq_sync(vdev->fn, vector);
}

/*
 * Function-level reset, first half, in the configuration write (raw
 * locks only): nothing to do here.  The registers are under vdev->lock, a
 * spinlock_t, and nothing reaches them meanwhile: the BARs no longer
 * decode (Command is 0) and configuration writes are discarded until
 * vdev_quiesce() has reset the device.
 */
static void vdev_flr(struct iovsim_fn *fn)
{
}

/*
 * Function-level reset, second half, from the host's work item: drop the
 * PCI_CFG window accesses not yet done, finish a reset the driver asked
 * for, then reset the device as a status write of 0 does, which stops
 * every queue worker (and a net peer's delivery into our queues).
 */
static void vdev_quiesce(struct iovsim_fn *fn)
{
	struct iovsim_vdev *vdev = iovsim_fn_priv(fn);
	unsigned long flags;

	raw_spin_lock_irqsave(&vdev->pci_cfg_lock, flags);
	vdev->pci_cfg_len = 0;
	vdev->pci_cfg_peek.len = 0;
	vdev->pci_cfg_seq++;
	raw_spin_unlock_irqrestore(&vdev->pci_cfg_lock, flags);
	cancel_work_sync(&vdev->pci_cfg_work);
	flush_work(&vdev->reset_work);
	iovsim_vdev_reset(vdev);
}

static void vdev_release(struct iovsim_fn *fn)
{
	iovsim_vdev_free(iovsim_fn_priv(fn));
}

static const struct iovsim_fn_ops iovsim_vdev_fn_ops = {
	.cfg_write	= vdev_cfg_write,
	.bar_read	= vdev_bar_read,
	.bar_write	= vdev_bar_write,
	.reset		= vdev_flr,
	.quiesce	= vdev_quiesce,
	.release	= vdev_release,
	.dma_context	= true,	/* the queues take iovsim_fn_dma() */
};

/* Add one virtio_pci_cap; @extra is the trailing dword, if @has_extra. */
static int vdev_add_cap(struct iovsim_fn *fn, u8 type, u32 off, u32 len,
			bool has_extra, u32 extra)
{
	u8 body[CAP_BODY_EXTRA] = { 0 };

	body[0] = type;
	body[CAP_BAR - 3] = IOVSIM_VIRTIO_BAR;
	put_le(&body[CAP_OFFSET - 3], 4, off);
	put_le(&body[CAP_LENGTH - 3], 4, len);
	if (has_extra)
		put_le(&body[CAP_EXTRA - 3], 4, extra);
	return iovsim_cfg_add_vendor(fn, body,
				     has_extra ? CAP_BODY_EXTRA : CAP_BODY);
}

static int vdev_build(struct iovsim_vdev *vdev)
{
	struct iovsim_fn *fn = vdev->fn;
	int ret, cap;

	iovsim_cfg_set_ids(fn, IOVSIM_VIRTIO_VENDOR,
			   IOVSIM_VIRTIO_DEVICE_BASE + vdev->ops->device_id,
			   IOVSIM_VIRTIO_VENDOR, IOVSIM_VIRTIO_SUBSYS,
			   vdev->ops->class, 1);
	iovsim_fn_set_driver(fn, KBUILD_MODNAME);

	ret = iovsim_cfg_add_bar(fn, IOVSIM_VIRTIO_BAR, IOVSIM_VIRTIO_BAR_SIZE);
	if (!ret)
		ret = iovsim_cfg_add_bar(fn, IOVSIM_VIRTIO_MSIX_BAR,
					 IOVSIM_VIRTIO_MSIX_BAR_SIZE);
	if (ret)
		return ret;

	ret = iovsim_cfg_add_pcie(fn, IOVSIM_PCIE_RCIEP);
	if (ret < 0)
		return ret;
	ret = iovsim_cfg_add_msix(fn, vdev->nvec, IOVSIM_VIRTIO_MSIX_BAR, 0,
				  IOVSIM_VIRTIO_MSIX_BAR,
				  IOVSIM_VIRTIO_PBA_OFF);
	if (ret < 0)
		return ret;

	ret = vdev_add_cap(fn, VIRTIO_PCI_CAP_COMMON_CFG,
			   IOVSIM_VIRTIO_COMMON_OFF, IOVSIM_VIRTIO_COMMON_LEN,
			   false, 0);
	if (ret >= 0)
		ret = vdev_add_cap(fn, VIRTIO_PCI_CAP_NOTIFY_CFG,
				   IOVSIM_VIRTIO_NOTIFY_OFF,
				   vdev->nr_queues * IOVSIM_VIRTIO_NOTIFY_MULT,
				   true, IOVSIM_VIRTIO_NOTIFY_MULT);
	if (ret >= 0)
		ret = vdev_add_cap(fn, VIRTIO_PCI_CAP_ISR_CFG,
				   IOVSIM_VIRTIO_ISR_OFF, IOVSIM_VIRTIO_ISR_LEN,
				   false, 0);
	if (ret >= 0)
		ret = vdev_add_cap(fn, VIRTIO_PCI_CAP_DEVICE_CFG,
				   IOVSIM_VIRTIO_DEVICE_OFF,
				   vdev->ops->config_len, false, 0);
	if (ret < 0)
		return ret;

	/* bar, offset, length and data of the access window are writable */
	cap = vdev_add_cap(fn, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, true, 0);
	if (cap < 0)
		return cap;
	vdev->pci_cfg_cap = cap;
	ret = iovsim_cfg_set_masks(fn, cap + CAP_BAR, 1, 0xff, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, cap + CAP_OFFSET, 4, ~0U, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, cap + CAP_LENGTH, 4, ~0U, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, cap + CAP_EXTRA, 4, ~0U, 0);
	return ret;
}

/**
 * iovsim_vdev_alloc() - allocate the model state of a virtio function
 * @ops: the backend
 * @nr_queues: number of virtqueues, 1..IOVSIM_VIRTIO_MAX_QUEUES
 * @name: name for messages
 *
 * The backend then sets &iovsim_vdev.priv and calls iovsim_vdev_build().
 * Until then iovsim_vdev_free() undoes this.
 *
 * Return: the state, or an ERR_PTR().
 */
struct iovsim_vdev *iovsim_vdev_alloc(const struct iovsim_vdev_ops *ops,
				      unsigned int nr_queues, const char *name)
{
	struct iovsim_vdev *vdev;
	unsigned int i;
	int ret;

	if (!nr_queues || nr_queues > IOVSIM_VIRTIO_MAX_QUEUES)
		return ERR_PTR(-EINVAL);
	vdev = kzalloc(struct_size(vdev, vqs, nr_queues), GFP_KERNEL);
	if (!vdev)
		return ERR_PTR(-ENOMEM);
	vdev->ops = ops;
	strscpy(vdev->name, name, sizeof(vdev->name));
	spin_lock_init(&vdev->lock);
	INIT_WORK(&vdev->reset_work, iovsim_vdev_reset_work);
	raw_spin_lock_init(&vdev->pci_cfg_lock);
	INIT_WORK(&vdev->pci_cfg_work, vdev_pci_cfg_work);
	iovsim_dma_init_host(&vdev->dma);
	vdev->features = iovsim_virtio_transport_features() | ops->features;
	vdev->config_vector = VIRTIO_MSI_NO_VECTOR;
	vdev->nvec = nr_queues + 1;
	for (i = 0; i < nr_queues; i++) {
		ret = iovsim_vq_init(vdev, &vdev->vqs[i], i);
		if (ret) {
			vdev->nr_queues = i;
			iovsim_vdev_free(vdev);
			return ERR_PTR(ret);
		}
	}
	vdev->nr_queues = nr_queues;
	return vdev;
}

/**
 * iovsim_vdev_build() - make the PCI function of a virtio function
 * @vdev: from iovsim_vdev_alloc(), with its backend set up
 *
 * On success the function owns @vdev: its release frees it (backend
 * included).  On failure @vdev is freed.
 *
 * Return: the function, not yet added, or an ERR_PTR().
 */
struct iovsim_fn *iovsim_vdev_build(struct iovsim_vdev *vdev)
{
	struct iovsim_fn *fn;
	int ret;

	fn = iovsim_fn_alloc(THIS_MODULE, &iovsim_vdev_fn_ops, vdev);
	if (IS_ERR(fn)) {
		iovsim_vdev_free(vdev);
		return fn;
	}
	vdev->fn = fn;
	ret = vdev_build(vdev);
	if (ret) {
		pr_err("%s: cannot build the function: %d\n", vdev->name, ret);
		iovsim_fn_discard(fn);	/* frees vdev */
		return ERR_PTR(ret);
	}
	vdev_debugfs_add(vdev);
	return fn;
}

/**
 * iovsim_vdev_nvec() - MSI-X vectors the driver may use
 * @vdev: the function
 *
 * Its MSI-X Table Size, which an SR-IOV PF driver may have made smaller
 * than the table it is built with (sriov_vf_msix_count).  Any context.
 *
 * Return: the number of vectors.
 */
unsigned int iovsim_vdev_nvec(struct iovsim_vdev *vdev)
{
	return min(vdev->nvec, iovsim_fn_msix_size(vdev->fn));
}

/**
 * iovsim_vdev_free() - free a virtio function's model state
 * @vdev: the state
 *
 * Disconnects the backend, stops every queue, then frees it all.
 * Process context.
 */
void iovsim_vdev_free(struct iovsim_vdev *vdev)
{
	unsigned int i;

	cancel_work_sync(&vdev->pci_cfg_work);
	debugfs_remove_recursive(vdev->debugfs);
	if (vdev->priv && vdev->ops->detach)
		vdev->ops->detach(vdev);
	cancel_work_sync(&vdev->reset_work);
	for (i = 0; i < vdev->nr_queues; i++)
		iovsim_vq_stop(&vdev->vqs[i]);
	if (vdev->priv)
		vdev->ops->destroy(vdev);
	for (i = 0; i < vdev->nr_queues; i++)
		iovsim_vq_free(&vdev->vqs[i]);
	kfree(vdev);
}
