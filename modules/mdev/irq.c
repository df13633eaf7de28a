// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X of a passed-through function, as vfio-pci presents it: one
 * eventfd per vector (VFIO_DEVICE_SET_IRQS, VFIO_PCI_MSIX_IRQ_INDEX).
 * Each vector set up is the function's own Linux IRQ, requested here,
 * whose handler signals the eventfd; MSI-X Enable is set in the function
 * from the first SET_IRQS with eventfds to a DATA_NONE with count 0 or
 * close.  The function has no INTx (its Interrupt Pin is 0) and no MSI
 * capability, so those indexes have no interrupts.  And the request
 * interrupt (VFIO_PCI_REQ_IRQ_INDEX), which asks user space to let the
 * device go when the function is being removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include "internal.h"

/**
 * iovsim_mdev_irq_init() - size the vector table of a new device
 * @md: the device
 *
 * Return: 0 or -ENOMEM.
 */
int iovsim_mdev_irq_init(struct iovsim_mdev *md)
{
	unsigned int n = iovsim_fn_msix_size(md->fn);

	if (!md->pdev->msix_cap)
		n = 0;
	n = min_t(unsigned int, n, max(iovsim_fn_nr_irqs(md->fn), 0));
	if (!n)
		return 0;
	md->vectors = kcalloc(n, sizeof(*md->vectors), GFP_KERNEL);
	if (!md->vectors)
		return -ENOMEM;
	md->nr_vectors = n;
	return 0;
}

/**
 * iovsim_mdev_irq_free() - free the vector table
 * @md: the device, every vector let go (closed)
 */
void iovsim_mdev_irq_free(struct iovsim_mdev *md)
{
	kfree(md->vectors);
	md->vectors = NULL;
	md->nr_vectors = 0;
}

/*
 * Hard interrupt context, from the function's raise: tell user space.
 * eventfd_signal() takes the eventfd's spinlock with interrupts saved.
 */
static irqreturn_t iovsim_mdev_vector_irq(int irq, void *data)
{
	struct iovsim_mdev_vector *v = data;

	iovsim_eventfd_signal(v->trigger);
	return IRQ_HANDLED;
}

/* MSI-X Enable in the function follows what user space asked for. */
static void iovsim_mdev_msix_set(struct iovsim_mdev *md, bool on)
{
	if (on != md->msix_on)
		iovsim_fn_msix_enable(md->pdev, on);
	md->msix_on = on;
}

/* Set vector @i to eventfd @fd, or let it go (@fd -1).  Under md->lock. */
static int iovsim_mdev_set_vector(struct iovsim_mdev *md, unsigned int i,
				  s32 fd)
{
	struct iovsim_mdev_vector *v = &md->vectors[i];
	struct eventfd_ctx *trigger;
	int ret;

	if (v->trigger) {
		free_irq(v->irq, v);
		eventfd_ctx_put(v->trigger);
		v->trigger = NULL;
	}
	if (fd < 0)
		return 0;
	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger))
		return PTR_ERR(trigger);
	v->irq = iovsim_fn_irq(md->fn, i);
	snprintf(v->name, sizeof(v->name), "iovsim-mdev-msix[%u](%s)", i,
		 pci_name(md->pdev));
	v->trigger = trigger;
	ret = request_irq(v->irq, iovsim_mdev_vector_irq, 0, v->name, v);
	if (ret) {
		v->trigger = NULL;
		eventfd_ctx_put(trigger);
	}
	return ret;
}

/* VFIO_PCI_REQ_IRQ_INDEX: set or let go (-1) its eventfd, or signal it. */
static int iovsim_mdev_set_req(struct iovsim_mdev *md, u32 flags, void *data)
{
	struct eventfd_ctx *trigger;
	s32 fd;

	switch (flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_EVENTFD:
		fd = *(s32 *)data;
		if (md->req_trigger) {
			eventfd_ctx_put(md->req_trigger);
			md->req_trigger = NULL;
		}
		if (fd < 0)
			return 0;
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
		md->req_trigger = trigger;
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (!*(u8 *)data)
			return 0;
		fallthrough;
	default:
		if (md->req_trigger)
			iovsim_eventfd_signal(md->req_trigger);
		return 0;
	}
}

/**
 * iovsim_mdev_request() - &vfio_device_ops.request: the function goes away
 * @vdev: the VFIO device, open
 * @count: how many times the VFIO core asked so far
 *
 * The VFIO core calls this, from the removal of the mdev (an unbind, the
 * function's removal, rmmod), until user space closes the device: signal
 * the request eventfd (QEMU then unplugs the device from its guest).
 * Process context.
 */
void iovsim_mdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct iovsim_mdev *md = container_of(vdev, struct iovsim_mdev, vdev);

	mutex_lock(&md->lock);
	if (md->req_trigger) {
		if (!(count % 10))
			dev_info_ratelimited(&vdev->device,
					     "asking user space to release the device (%u)\n",
					     count);
		iovsim_eventfd_signal(md->req_trigger);
	} else if (!count) {
		dev_notice(&vdev->device,
			   "no request eventfd: blocked until user space releases the device\n");
	}
	mutex_unlock(&md->lock);
}

/**
 * iovsim_mdev_irq_disable() - let every interrupt go, MSI-X Enable off
 * @md: the device, under &iovsim_mdev.lock (close)
 */
void iovsim_mdev_irq_disable(struct iovsim_mdev *md)
{
	unsigned int i;

	for (i = 0; i < md->nr_vectors; i++)
		iovsim_mdev_set_vector(md, i, -1);
	iovsim_mdev_msix_set(md, false);
	if (md->req_trigger) {
		eventfd_ctx_put(md->req_trigger);
		md->req_trigger = NULL;
	}
}

/**
 * iovsim_mdev_irq_restore() - MSI-X Enable back after a reset
 * @md: the device, under &iovsim_mdev.lock
 *
 * A reset clears MSI-X Enable in the function; the vectors user space
 * has set up stay, so it is set again.
 */
void iovsim_mdev_irq_restore(struct iovsim_mdev *md)
{
	if (md->msix_on)
		iovsim_fn_msix_enable(md->pdev, true);
}

/**
 * iovsim_mdev_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @md: the device, under &iovsim_mdev.lock
 * @arg: user pointer to a &struct vfio_irq_info
 *
 * Return: 0, -EFAULT or -EINVAL.
 */
int iovsim_mdev_get_irq_info(struct iovsim_mdev *md, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.flags = 0;
	info.count = 0;
	if (info.index == VFIO_PCI_MSIX_IRQ_INDEX && md->nr_vectors) {
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info.count = md->nr_vectors;
	} else if (info.index == VFIO_PCI_REQ_IRQ_INDEX) {
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info.count = 1;
	}
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * iovsim_mdev_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @md: the device, under &iovsim_mdev.lock
 * @arg: user pointer to a &struct vfio_irq_set and its data
 *
 * MSI-X and the request interrupt, action TRIGGER only (vfio-pci has no
 * MSI-X masking either).  MSI-X: eventfds set or let go (-1) for a block
 * of vectors, which enables MSI-X in the function as vfio-pci does; all
 * of them let go and MSI-X disabled (DATA_NONE, count 0); or the
 * eventfds signalled from here (DATA_NONE, DATA_BOOL) as a loopback.  A
 * block that fails half way is undone.  Request: one eventfd.
 *
 * Return: 0, or -EINVAL, -ENOTTY (MASK, UNMASK), -EFAULT, -ENOMEM, or
 * the error of eventfd_ctx_fdget() or request_irq().
 */
int iovsim_mdev_set_irqs(struct iovsim_mdev *md, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	unsigned int i, max;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	if (hdr.index == VFIO_PCI_MSIX_IRQ_INDEX)
		max = md->nr_vectors;
	else if (hdr.index == VFIO_PCI_REQ_IRQ_INDEX)
		max = 1;
	else
		max = 0;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, max, VFIO_PCI_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;
	if (!max)
		return -EINVAL;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -ENOTTY;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	if (hdr.index == VFIO_PCI_REQ_IRQ_INDEX) {
		ret = hdr.count ? iovsim_mdev_set_req(md, hdr.flags, data) : 0;
		kfree(data);
		return ret;
	}

	switch (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!hdr.count) {
			for (i = 0; i < md->nr_vectors; i++)
				iovsim_mdev_set_vector(md, i, -1);
			iovsim_mdev_msix_set(md, false);
			break;
		}
		for (i = hdr.start; i < hdr.start + hdr.count; i++)
			if (md->vectors[i].trigger)
				iovsim_eventfd_signal(md->vectors[i].trigger);
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		for (i = 0; i < hdr.count; i++)
			if (((u8 *)data)[i] && md->vectors[hdr.start + i].trigger)
				iovsim_eventfd_signal(md->vectors[hdr.start + i].trigger);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		for (i = 0; i < hdr.count; i++) {
			ret = iovsim_mdev_set_vector(md, hdr.start + i,
						     ((s32 *)data)[i]);
			if (ret)
				break;
		}
		if (ret)
			while (i--)
				iovsim_mdev_set_vector(md, hdr.start + i, -1);
		else
			iovsim_mdev_msix_set(md, true);
		break;
	}
	kfree(data);
	return ret;
}
