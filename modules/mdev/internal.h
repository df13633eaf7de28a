/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_mdev internals: an iovsim function bound to the iovsim_mdev PCI
 * driver becomes an mdev parent with one "passthrough" type; the mdev
 * created on it is a VFIO device (emulated IOMMU) whose regions and
 * interrupts are the function's, as vfio-pci would present a PCI device.
 */
#ifndef IOVSIM_MDEV_INTERNAL_H
#define IOVSIM_MDEV_INTERNAL_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>

#include <iovsim/dma.h>

struct eventfd_ctx;
struct iovsim_fn;

/*
 * Region offsets in the VFIO device file, as vfio-pci lays them out
 * (VFIO_PCI_*_REGION_INDEX in the high bits): user space that knows
 * vfio-pci, QEMU included, needs nothing special.
 */
#define IOVSIM_MDEV_OFFSET_SHIFT	40
#define IOVSIM_MDEV_OFFSET_MASK		(BIT_ULL(IOVSIM_MDEV_OFFSET_SHIFT) - 1)
#define IOVSIM_MDEV_INDEX(pos)		((pos) >> IOVSIM_MDEV_OFFSET_SHIFT)
#define IOVSIM_MDEV_OFFSET(index)	((u64)(index) << IOVSIM_MDEV_OFFSET_SHIFT)

/**
 * struct iovsim_mdev_parent - an iovsim function bound to iovsim_mdev
 * @parent: the mdev parent, registered on @pdev
 * @type: its one type, "passthrough"
 * @types: the type list mdev_register_parent() takes
 * @pdev: the function's PCI device (drvdata points back here)
 * @fn: its iovsim function
 * @name: @type's pretty name
 * @saved: the function's configuration as the host had it at bind,
 *	restored after every reset and at unbind
 *
 * Lives from the PCI driver's probe to its remove; every mdev of the
 * parent is gone before mdev_unregister_parent() returns.
 */
struct iovsim_mdev_parent {
	struct mdev_parent parent;
	struct mdev_type type;
	struct mdev_type *types[1];
	struct pci_dev *pdev;
	struct iovsim_fn *fn;
	char name[64];
	struct pci_saved_state *saved;
};

/**
 * struct iovsim_mdev_vector - one MSI-X vector handed to user space
 * @trigger: the eventfd signalled when the function raises the vector,
 *	NULL when the vector is not set up
 * @irq: the function's Linux IRQ for the vector
 * @name: the IRQ's name
 */
struct iovsim_mdev_vector {
	struct eventfd_ctx *trigger;
	int irq;
	char name[48];
};

/**
 * struct iovsim_mdev - the VFIO device of a passed-through function
 * @vdev: the VFIO device (emulated IOMMU)
 * @mp: its parent
 * @pdev: the function's PCI device
 * @fn: its iovsim function
 * @lock: serializes every access through @vdev (region reads and writes,
 *	ioctls, open and close) and protects the fields below
 * @bars: the BAR registers as user space sees and programs them; the
 *	function's own BARs keep the addresses the host gave them
 * @bar_mask: address bits of each BAR register (0 where there is none)
 * @bar_flags: its read-only type bits (memory, 64-bit, prefetchable)
 * @nr_vectors: MSI-X vectors the function has (its Table Size)
 * @vectors: their eventfds and IRQs
 * @msix_on: user space enabled MSI-X (SET_IRQS with eventfds, even all
 *	-1, as vfio-pci): MSI-X Enable set in the function until DATA_NONE
 *	with count 0 or close
 * @req_trigger: eventfd of VFIO_PCI_REQ_IRQ_INDEX, signalled when the
 *	function is going away and user space should let the device go
 * @dma: while the device is open, the function's model reaches memory
 *	through it: the IOVAs user space mapped in its container
 */
struct iovsim_mdev {
	struct vfio_device vdev;
	struct iovsim_mdev_parent *mp;
	struct pci_dev *pdev;
	struct iovsim_fn *fn;
	struct mutex lock;	/* see @lock above */
	u32 bars[PCI_STD_NUM_BARS];
	u32 bar_mask[PCI_STD_NUM_BARS];
	u32 bar_flags[PCI_STD_NUM_BARS];
	unsigned int nr_vectors;
	struct iovsim_mdev_vector *vectors;
	bool msix_on;
	struct eventfd_ctx *req_trigger;
	struct iovsim_dma dma;
};

extern struct mdev_driver iovsim_mdev_driver;

int iovsim_mdev_pci_init(void);
void iovsim_mdev_pci_exit(void);

void iovsim_mdev_config_init(struct iovsim_mdev *md);
ssize_t iovsim_mdev_config_rw(struct iovsim_mdev *md, char __user *buf,
			      size_t count, u64 off, bool write);
int iovsim_mdev_reset(struct iovsim_mdev *md);

int iovsim_mdev_irq_init(struct iovsim_mdev *md);
void iovsim_mdev_irq_free(struct iovsim_mdev *md);
void iovsim_mdev_irq_disable(struct iovsim_mdev *md);
void iovsim_mdev_irq_restore(struct iovsim_mdev *md);
void iovsim_mdev_request(struct vfio_device *vdev, unsigned int count);
int iovsim_mdev_get_irq_info(struct iovsim_mdev *md, unsigned long arg);
int iovsim_mdev_set_irqs(struct iovsim_mdev *md, unsigned long arg);

#endif /* IOVSIM_MDEV_INTERNAL_H */
