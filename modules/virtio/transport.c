// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-host virtio transport for iovsim virtio functions, the iovsim
 * counterpart of virtio_pci_modern: it binds the functions (their
 * driver_override names it), finds the virtio structures through the
 * vendor capabilities in configuration space, drives the registers with
 * the pcihost BAR accessors (iovsim BARs are never mapped) and the
 * interrupts with the function's Linux IRQs, one MSI-X vector per queue
 * plus one for configuration changes, or, when its MSI-X Table Size is
 * smaller than that (an SR-IOV VF whose PF gave it fewer vectors), one
 * for configuration changes and one shared by every queue.  It registers a virtio_device, so
 * the kernel's own virtio_blk and virtio_net bind to it.
 *
 * /sys/kernel/debug/iovsim_virtio/<pci address>/reset: write 1 to reset
 * the device under its running driver, as a suspend/resume cycle does
 * (the driver quiesces, the device is reset, the driver sets it up again).
 * It exercises the drivers' suspend path, and has its races (below).
 *
 * A reset of the function by the PCI core (its sysfs reset, FLR) does not
 * go that way: the virtio device is unregistered in reset_prepare, as if
 * the function were removed, and a new one registered in reset_done.  The
 * drivers' freeze and restore are written for system sleep, when no task
 * runs: virtio_net's can have its transmit queue woken by a completion
 * between stopping it and deleting the virtqueues, and transmit on freed
 * ones.  Removal is the path every driver gets right under load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include <uapi/iovsim/pci_ids.h>

#include "internal.h"

/**
 * struct vpci_region - where one virtio structure lives
 * @bar: BAR index
 * @off: offset in the BAR
 * @len: length
 */
struct vpci_region {
	unsigned int bar;
	u32 off;
	u32 len;
};

/**
 * struct vpci_vq - transport state of one virtqueue
 * @vq: the virtqueue, NULL when not set up
 * @irq: its Linux IRQ
 * @notify: offset of its notify register in the notify region
 * @name: IRQ name
 */
struct vpci_vq {
	struct virtqueue *vq;
	int irq;
	u32 notify;
	char name[48];
};

/**
 * struct vpci_virtio - one registration of a function's virtio device
 * @vdev: the virtio device
 * @vp: its function; the virtio core calls the config ops only while
 *	@vdev is registered, and @vp outlives that
 *
 * Freed by the release of @vdev, which may come after @vp is gone.
 */
struct vpci_virtio {
	struct virtio_device vdev;
	struct vpci_dev *vp;
};

/**
 * struct vpci_dev - a bound iovsim virtio function
 * @vv: its virtio device, NULL between reset_prepare and reset_done (or
 *	after a reset_done that could not register one); changed under
 *	@lock, with the device lock of @pdev held
 * @lock: protects @vv for the debugfs reset, which takes a reference
 * @pdev: the PCI device
 * @fn: its iovsim function
 * @common: common configuration
 * @isr: ISR status
 * @device: device-specific configuration (len 0 if absent)
 * @notify: notifications
 * @notify_mult: notify_off_multiplier
 * @config_irq: Linux IRQ of the configuration vector (vector 0)
 * @config_name: its name
 * @shared: every queue interrupts through vector 1
 * @vqs_irq: then its Linux IRQ, requested while queues are set up
 * @vqs_name: its name
 * @nr_queues: queues the device has
 * @vqs: per-queue state
 * @dir: debugfs directory
 */
struct vpci_dev {
	struct vpci_virtio *vv;
	struct mutex lock;	/* see @lock above */
	struct pci_dev *pdev;
	struct iovsim_fn *fn;
	struct vpci_region common;
	struct vpci_region isr;
	struct vpci_region device;
	struct vpci_region notify;
	u32 notify_mult;
	int config_irq;
	char config_name[48];
	bool shared;
	int vqs_irq;
	char vqs_name[48];
	unsigned int nr_queues;
	struct vpci_vq *vqs;
	struct dentry *dir;
};

static struct vpci_dev *to_vpci(struct virtio_device *vdev)
{
	return container_of(vdev, struct vpci_virtio, vdev)->vp;
}

static u8 c_read8(struct vpci_dev *vp, u32 off)
{
	return iovsim_bar_read8(vp->fn, vp->common.bar, vp->common.off + off);
}

static u16 c_read16(struct vpci_dev *vp, u32 off)
{
	return iovsim_bar_read16(vp->fn, vp->common.bar, vp->common.off + off);
}

static u32 c_read32(struct vpci_dev *vp, u32 off)
{
	return iovsim_bar_read32(vp->fn, vp->common.bar, vp->common.off + off);
}

static void c_write8(struct vpci_dev *vp, u32 off, u8 val)
{
	iovsim_bar_write8(vp->fn, vp->common.bar, vp->common.off + off, val);
}

static void c_write16(struct vpci_dev *vp, u32 off, u16 val)
{
	iovsim_bar_write16(vp->fn, vp->common.bar, vp->common.off + off, val);
}

static void c_write32(struct vpci_dev *vp, u32 off, u32 val)
{
	iovsim_bar_write32(vp->fn, vp->common.bar, vp->common.off + off, val);
}

/* 64-bit fields in two 32-bit halves, as VIRTIO 1.2 4.1.3.1 allows. */
static void c_write64(struct vpci_dev *vp, u32 off, u64 val)
{
	c_write32(vp, off, lower_32_bits(val));
	c_write32(vp, off + 4, upper_32_bits(val));
}

static void vpci_get(struct virtio_device *vdev, unsigned int offset,
		     void *buf, unsigned int len)
{
	struct vpci_dev *vp = to_vpci(vdev);
	u8 *p = buf;
	u32 off;

	if (WARN_ON_ONCE(offset + len > vp->device.len))
		return;
	off = vp->device.off + offset;
	if ((len == 2 || len == 4) && !(off & (len - 1))) {
		if (len == 2)
			put_unaligned_le16(iovsim_bar_read16(vp->fn,
							     vp->device.bar,
							     off), p);
		else
			put_unaligned_le32(iovsim_bar_read32(vp->fn,
							     vp->device.bar,
							     off), p);
		return;
	}
	while (len--)
		*p++ = iovsim_bar_read8(vp->fn, vp->device.bar, off++);
}

static void vpci_set(struct virtio_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len)
{
	struct vpci_dev *vp = to_vpci(vdev);
	const u8 *p = buf;
	u32 off;

	if (WARN_ON_ONCE(offset + len > vp->device.len))
		return;
	off = vp->device.off + offset;
	while (len--)
		iovsim_bar_write8(vp->fn, vp->device.bar, off++, *p++);
}

static u32 vpci_generation(struct virtio_device *vdev)
{
	return c_read8(to_vpci(vdev), VIRTIO_PCI_COMMON_CFGGENERATION);
}

static u8 vpci_get_status(struct virtio_device *vdev)
{
	return c_read8(to_vpci(vdev), VIRTIO_PCI_COMMON_STATUS);
}

static void vpci_set_status(struct virtio_device *vdev, u8 status)
{
	/* 0 is a reset: that goes through vpci_reset() */
	WARN_ON(!status);
	c_write8(to_vpci(vdev), VIRTIO_PCI_COMMON_STATUS, status);
}

static void vpci_synchronize(struct virtio_device *vdev)
{
	struct vpci_dev *vp = to_vpci(vdev);
	unsigned int i;

	synchronize_irq(vp->config_irq);
	if (vp->shared) {
		synchronize_irq(vp->vqs_irq);
		return;
	}
	for (i = 0; i < vp->nr_queues; i++)
		if (vp->vqs[i].vq)
			synchronize_irq(vp->vqs[i].irq);
}

/*
 * The device finishes a reset when status reads back 0.  It does at once
 * unless it is not answering: all ones (its BAR no longer decodes: Memory
 * Space disabled behind the driver's back, a function-level reset under
 * way, the function gone) or, for a model bug, never.  Give up then
 * rather than spin for ever; the driver's next accesses fail the same way.
 */
#define VPCI_RESET_TIMEOUT_MS	1000

static void vpci_reset(struct virtio_device *vdev)
{
	struct vpci_dev *vp = to_vpci(vdev);
	unsigned long timeout;
	u8 status;

	c_write8(vp, VIRTIO_PCI_COMMON_STATUS, 0);
	timeout = jiffies + msecs_to_jiffies(VPCI_RESET_TIMEOUT_MS);
	while ((status = c_read8(vp, VIRTIO_PCI_COMMON_STATUS))) {
		if (status == 0xff || time_after(jiffies, timeout)) {
			dev_err(&vdev->dev, "reset: status still %#x, giving up\n",
				status);
			break;
		}
		usleep_range(200, 1000);
	}
	vpci_synchronize(vdev);
}

static u64 vpci_get_features(struct virtio_device *vdev)
{
	struct vpci_dev *vp = to_vpci(vdev);
	u64 features;

	c_write32(vp, VIRTIO_PCI_COMMON_DFSELECT, 0);
	features = c_read32(vp, VIRTIO_PCI_COMMON_DF);
	c_write32(vp, VIRTIO_PCI_COMMON_DFSELECT, 1);
	features |= (u64)c_read32(vp, VIRTIO_PCI_COMMON_DF) << 32;
	return features;
}

static int vpci_finalize_features(struct virtio_device *vdev)
{
	struct vpci_dev *vp = to_vpci(vdev);

	vring_transport_features(vdev);
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "device does not offer VERSION_1\n");
		return -EINVAL;
	}
	c_write32(vp, VIRTIO_PCI_COMMON_GFSELECT, 0);
	c_write32(vp, VIRTIO_PCI_COMMON_GF, lower_32_bits(vdev->features));
	c_write32(vp, VIRTIO_PCI_COMMON_GFSELECT, 1);
	c_write32(vp, VIRTIO_PCI_COMMON_GF, upper_32_bits(vdev->features));
	return 0;
}

static bool vpci_notify(struct virtqueue *vq)
{
	struct vpci_dev *vp = to_vpci(vq->vdev);
	struct vpci_vq *info = vq->priv;

	iovsim_bar_write16(vp->fn, vp->notify.bar, info->notify, vq->index);
	return true;
}

static void vpci_del_vq(struct vpci_dev *vp, struct vpci_vq *info)
{
	struct virtqueue *vq = info->vq;

	c_write16(vp, VIRTIO_PCI_COMMON_Q_SELECT, vq->index);
	c_write16(vp, VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR);
	if (!vp->shared)
		free_irq(info->irq, vq);
	WRITE_ONCE(info->vq, NULL);
	vring_del_virtqueue(vq);
}

static void vpci_del_vqs(struct virtio_device *vdev)
{
	struct vpci_dev *vp = to_vpci(vdev);
	unsigned int i;

	/* the shared handler walks the queues: it goes first */
	if (vp->shared && vp->vqs_irq) {
		free_irq(vp->vqs_irq, vp);
		vp->vqs_irq = 0;
	}
	for (i = 0; i < vp->nr_queues; i++)
		if (vp->vqs[i].vq)
			vpci_del_vq(vp, &vp->vqs[i]);
	c_write16(vp, VIRTIO_PCI_COMMON_MSIX, VIRTIO_MSI_NO_VECTOR);
}

static struct virtqueue *vpci_setup_vq(struct virtio_device *vdev,
				       unsigned int index,
				       const struct iovsim_vq_info *qi)
{
	struct vpci_dev *vp = to_vpci(vdev);
	struct vpci_vq *info = &vp->vqs[index];
	u16 num, noff, vector = vp->shared ? 1 : index + 1;
	struct virtqueue *vq;
	int ret;

	if (index >= vp->nr_queues)
		return ERR_PTR(-ENOENT);
	c_write16(vp, VIRTIO_PCI_COMMON_Q_SELECT, index);
	num = c_read16(vp, VIRTIO_PCI_COMMON_Q_SIZE);
	if (!num || c_read16(vp, VIRTIO_PCI_COMMON_Q_ENABLE))
		return ERR_PTR(-ENOENT);
	noff = c_read16(vp, VIRTIO_PCI_COMMON_Q_NOFF);
	if ((u64)noff * vp->notify_mult + 2 > vp->notify.len)
		return ERR_PTR(-EINVAL);
	info->notify = vp->notify.off + noff * vp->notify_mult;

	vq = vring_create_virtqueue(index, num, SMP_CACHE_BYTES, vdev,
				    true, true, qi->ctx, vpci_notify,
				    qi->callback, qi->name);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	vq->priv = info;

	c_write16(vp, VIRTIO_PCI_COMMON_Q_SIZE, virtqueue_get_vring_size(vq));
	c_write64(vp, VIRTIO_PCI_COMMON_Q_DESCLO,
		  virtqueue_get_desc_addr(vq));
	c_write64(vp, VIRTIO_PCI_COMMON_Q_AVAILLO,
		  virtqueue_get_avail_addr(vq));
	c_write64(vp, VIRTIO_PCI_COMMON_Q_USEDLO,
		  virtqueue_get_used_addr(vq));
	c_write16(vp, VIRTIO_PCI_COMMON_Q_MSIX, vector);
	if (c_read16(vp, VIRTIO_PCI_COMMON_Q_MSIX) != vector) {
		ret = -EBUSY;
		goto err_vq;
	}

	info->irq = iovsim_fn_irq(vp->fn, vector);
	if (!vp->shared) {
		snprintf(info->name, sizeof(info->name), "%s-%s",
			 dev_name(&vdev->dev), qi->name);
		ret = request_irq(info->irq, vring_interrupt, 0, info->name,
				  vq);
		if (ret)
			goto err_vq;
	}
	WRITE_ONCE(info->vq, vq);
	c_write16(vp, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	return vq;

err_vq:
	c_write16(vp, VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR);
	vring_del_virtqueue(vq);
	return ERR_PTR(ret);
}

/* The vector every queue shares: each queue's callback may have work. */
static irqreturn_t vpci_vqs_irq(int irq, void *data)
{
	struct vpci_dev *vp = data;
	irqreturn_t ret = IRQ_NONE;
	struct virtqueue *vq;
	unsigned int i;

	for (i = 0; i < vp->nr_queues; i++) {
		vq = READ_ONCE(vp->vqs[i].vq);
		if (vq && vring_interrupt(irq, vq) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	}
	return ret;
}

static int vpci_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[], IOVSIM_FIND_VQS_ARGS,
			 struct irq_affinity *desc)
{
	struct vpci_dev *vp = to_vpci(vdev);
	unsigned int i, index = 0;
	struct iovsim_vq_info qi;
	int ret;

	c_write16(vp, VIRTIO_PCI_COMMON_MSIX, 0);
	if (c_read16(vp, VIRTIO_PCI_COMMON_MSIX) != 0)
		return -EBUSY;
	if (vp->shared) {
		vp->vqs_irq = iovsim_fn_irq(vp->fn, 1);
		snprintf(vp->vqs_name, sizeof(vp->vqs_name), "%s-virtqueues",
			 pci_name(vp->pdev));
		ret = request_irq(vp->vqs_irq, vpci_vqs_irq, 0, vp->vqs_name,
				  vp);
		if (ret) {
			vp->vqs_irq = 0;
			return ret;
		}
	}

	for (i = 0; i < nvqs; i++) {
		qi = IOVSIM_FIND_VQS_INFO(i);
		if (!qi.name) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = vpci_setup_vq(vdev, index++, &qi);
		if (IS_ERR(vqs[i])) {
			ret = PTR_ERR(vqs[i]);
			vpci_del_vqs(vdev);
			return ret;
		}
	}
	return 0;
}

static const char *vpci_bus_name(struct virtio_device *vdev)
{
	return pci_name(to_vpci(vdev)->pdev);
}

static const struct virtio_config_ops vpci_config_ops = {
	.get			= vpci_get,
	.set			= vpci_set,
	.generation		= vpci_generation,
	.get_status		= vpci_get_status,
	.set_status		= vpci_set_status,
	.reset			= vpci_reset,
	.find_vqs		= vpci_find_vqs,
	.del_vqs		= vpci_del_vqs,
	.synchronize_cbs	= vpci_synchronize,
	.get_features		= vpci_get_features,
	.finalize_features	= vpci_finalize_features,
	.bus_name		= vpci_bus_name,
};

/* Requested only while @data's virtio device is registered. */
static irqreturn_t vpci_config_irq(int irq, void *data)
{
	struct vpci_virtio *vv = data;

	virtio_config_changed(&vv->vdev);
	return IRQ_HANDLED;
}

/* Find the first usable virtio capability of @type, as virtio_pci does. */
static int vpci_find_cap(struct vpci_dev *vp, u8 type, struct vpci_region *r,
			 int *where)
{
	struct pci_dev *pdev = vp->pdev;
	u8 cap_type, bar;
	u32 off, len;
	int pos;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos > 0;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_CFG_TYPE,
				     &cap_type);
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_BAR, &bar);
		if (cap_type != type || bar >= PCI_STD_NUM_BARS ||
		    !pci_resource_len(pdev, bar))
			continue;
		pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_OFFSET, &off);
		pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_LENGTH, &len);
		if ((u64)off + len > pci_resource_len(pdev, bar))
			continue;
		r->bar = bar;
		r->off = off;
		r->len = len;
		if (where)
			*where = pos;
		return 0;
	}
	return -ENODEV;
}

static int vpci_find_caps(struct vpci_dev *vp)
{
	int ret, notify_pos;

	ret = vpci_find_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, &vp->common, NULL);
	if (!ret && vp->common.len < VIRTIO_PCI_COMMON_Q_USEDHI + 4)
		ret = -ENODEV;
	if (!ret)
		ret = vpci_find_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, &vp->isr, NULL);
	if (!ret)
		ret = vpci_find_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, &vp->notify,
				    &notify_pos);
	if (ret) {
		pci_err(vp->pdev, "virtio capabilities missing\n");
		return ret;
	}
	pci_read_config_dword(vp->pdev, notify_pos +
			      offsetof(struct virtio_pci_notify_cap,
				       notify_off_multiplier),
			      &vp->notify_mult);
	if (vpci_find_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, &vp->device, NULL))
		vp->device.len = 0;
	return 0;
}

/*
 * The debugfs reset goes through the virtio core's freeze and restore,
 * which exist only in kernels with CONFIG_PM_SLEEP.
 */
#ifdef CONFIG_PM_SLEEP
static int vpci_debug_reset(void *data, u64 val)
{
	struct vpci_dev *vp = data;
	int ret;

	struct vpci_virtio *vv;

	if (val != 1)
		return -EINVAL;
	mutex_lock(&vp->lock);
	vv = vp->vv;
	if (vv)
		get_device(&vv->vdev.dev);
	mutex_unlock(&vp->lock);
	if (!vv)
		return -ENODEV;
	/* As the PM core: the device lock keeps its driver's probe away. */
	device_lock(&vv->vdev.dev);
	ret = -ENODEV;
	if (device_is_registered(&vv->vdev.dev) && vv->vdev.dev.driver)
		ret = virtio_device_freeze(&vv->vdev);
	if (!ret) {
		dev_info(&vv->vdev.dev, "device reset through debugfs\n");
		ret = virtio_device_restore(&vv->vdev);
	}
	device_unlock(&vv->vdev.dev);
	put_device(&vv->vdev.dev);
	return ret;
}
#else
static int vpci_debug_reset(void *data, u64 val)
{
	return -EOPNOTSUPP;
}
#endif
DEFINE_DEBUGFS_ATTRIBUTE(vpci_reset_fops, NULL, vpci_debug_reset, "%llu\n");

static void vpci_release(struct device *dev)
{
	kfree(container_of(dev_to_virtio(dev), struct vpci_virtio, vdev));
}

/*
 * Register a virtio device for @vp: MSI-X Enable, the configuration
 * interrupt, then the device, so its driver binds.  Process context, the
 * device lock of the PCI device held (probe, reset_done).
 */
static int vpci_virtio_add(struct vpci_dev *vp)
{
	struct pci_dev *pdev = vp->pdev;
	struct vpci_virtio *vv;
	int ret;

	device_lock_assert(&pdev->dev);
	vv = kzalloc(sizeof(*vv), GFP_KERNEL);
	if (!vv)
		return -ENOMEM;
	vv->vp = vp;
	vv->vdev.id.vendor = pdev->subsystem_vendor;
	vv->vdev.id.device = pdev->device - IOVSIM_VIRTIO_DEVICE_BASE;
	vv->vdev.dev.parent = &pdev->dev;
	vv->vdev.dev.release = vpci_release;
	vv->vdev.config = &vpci_config_ops;

	iovsim_fn_msix_enable(pdev, true);
	ret = request_irq(vp->config_irq, vpci_config_irq, 0, vp->config_name,
			  vv);
	if (ret)
		goto err_msix;
	ret = register_virtio_device(&vv->vdev);
	if (ret)
		goto err_register;
	mutex_lock(&vp->lock);
	vp->vv = vv;
	mutex_unlock(&vp->lock);
	return 0;

err_register:
	free_irq(vp->config_irq, vv);
	iovsim_fn_msix_enable(pdev, false);
	put_device(&vv->vdev.dev);	/* frees vv */
	return ret;
err_msix:
	iovsim_fn_msix_enable(pdev, false);
	kfree(vv);
	return ret;
}

/*
 * Unregister @vp's virtio device, if it has one: its driver is removed
 * (the virtqueues deleted, the device reset), then the interrupt and
 * MSI-X Enable go.  Same context as vpci_virtio_add().
 */
static void vpci_virtio_del(struct vpci_dev *vp)
{
	struct vpci_virtio *vv = vp->vv;

	device_lock_assert(&vp->pdev->dev);
	if (!vv)
		return;
	mutex_lock(&vp->lock);
	vp->vv = NULL;
	mutex_unlock(&vp->lock);
	get_device(&vv->vdev.dev);
	unregister_virtio_device(&vv->vdev);
	free_irq(vp->config_irq, vv);
	iovsim_fn_msix_enable(vp->pdev, false);
	put_device(&vv->vdev.dev);
}

/*
 * A reset of the function through the PCI core (sysfs reset, FLR), with
 * the device lock held: the virtio device goes before and a new one comes
 * after, as for a removal and a probe (see the top of this file).  The
 * network interface or disk of the old one disappears and a new one
 * appears in its place.
 */
static void vpci_reset_prepare(struct pci_dev *pdev)
{
	vpci_virtio_del(pci_get_drvdata(pdev));
}

static void vpci_reset_done(struct pci_dev *pdev)
{
	int ret = vpci_virtio_add(pci_get_drvdata(pdev));

	if (ret)
		pci_err(pdev, "no virtio device after the reset: %d\n", ret);
}

static const struct pci_error_handlers vpci_err_handlers = {
	.reset_prepare	= vpci_reset_prepare,
	.reset_done	= vpci_reset_done,
};

static int vpci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(pdev);
	struct vpci_dev *vp;
	int ret;

	if (!fn || !pdev->msix_cap ||
	    pdev->device < IOVSIM_VIRTIO_DEVICE_BASE)
		return -ENODEV;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	mutex_init(&vp->lock);
	vp->pdev = pdev;
	vp->fn = fn;

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_free;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_disable;
	ret = vpci_find_caps(vp);
	if (ret)
		goto err_disable;

	vp->nr_queues = c_read16(vp, VIRTIO_PCI_COMMON_NUMQ);
	if (!vp->nr_queues || vp->nr_queues + 1 > iovsim_fn_nr_irqs(fn) ||
	    iovsim_fn_msix_size(fn) < 2) {
		pci_err(pdev, "%u queues but %d vectors, %u in the MSI-X table\n",
			vp->nr_queues, iovsim_fn_nr_irqs(fn),
			iovsim_fn_msix_size(fn));
		ret = -ENODEV;
		goto err_disable;
	}
	vp->shared = iovsim_fn_msix_size(fn) < vp->nr_queues + 1;
	vp->vqs = kcalloc(vp->nr_queues, sizeof(*vp->vqs), GFP_KERNEL);
	if (!vp->vqs) {
		ret = -ENOMEM;
		goto err_disable;
	}

	vp->config_irq = iovsim_fn_irq(fn, 0);
	snprintf(vp->config_name, sizeof(vp->config_name), "%s-config",
		 pci_name(pdev));
	pci_set_drvdata(pdev, vp);
	ret = vpci_virtio_add(vp);
	if (ret)
		goto err_vqs;
	vp->dir = debugfs_create_dir(pci_name(pdev), iovsim_virtio_debugfs);
	debugfs_create_file_unsafe("reset", 0200, vp->dir, vp,
				   &vpci_reset_fops);
	return 0;

err_vqs:
	kfree(vp->vqs);
err_disable:
	pci_disable_device(pdev);
err_free:
	mutex_destroy(&vp->lock);
	kfree(vp);
	return ret;
}

static void vpci_remove(struct pci_dev *pdev)
{
	struct vpci_dev *vp = pci_get_drvdata(pdev);

	debugfs_remove_recursive(vp->dir);
	vpci_virtio_del(vp);
	pci_disable_device(pdev);
	kfree(vp->vqs);
	mutex_destroy(&vp->lock);
	kfree(vp);
}

/*
 * The IDs of iovsim's virtio functions, and those of the virtio VFs of an
 * iovsim SR-IOV PF: a VF's Vendor ID is its PF's (IOVSIM_PCI_VENDOR_ID).
 * The host gives no VF a driver_override (sriov_drivers_autoprobe would
 * not apply), so VFs bind by these IDs, which no other driver claims.
 */
static const struct pci_device_id vpci_ids[] = {
	{ PCI_DEVICE(IOVSIM_VIRTIO_VENDOR,
		     IOVSIM_VIRTIO_DEVICE_BASE + IOVSIM_VIRTIO_ID_NET) },
	{ PCI_DEVICE(IOVSIM_VIRTIO_VENDOR,
		     IOVSIM_VIRTIO_DEVICE_BASE + IOVSIM_VIRTIO_ID_BLK) },
	{ PCI_DEVICE(IOVSIM_PCI_VENDOR_ID,
		     IOVSIM_VIRTIO_DEVICE_BASE + IOVSIM_VIRTIO_ID_NET) },
	{ PCI_DEVICE(IOVSIM_PCI_VENDOR_ID,
		     IOVSIM_VIRTIO_DEVICE_BASE + IOVSIM_VIRTIO_ID_BLK) },
	{ }
};

static struct pci_driver vpci_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= vpci_ids,
	.probe		= vpci_probe,
	.remove		= vpci_remove,
	.err_handler	= &vpci_err_handlers,
};

/**
 * iovsim_transport_init() - register the transport driver
 *
 * Return: 0 or a negative errno.
 */
int iovsim_transport_init(void)
{
	return pci_register_driver(&vpci_driver);
}

/**
 * iovsim_transport_exit() - unregister the transport driver
 */
void iovsim_transport_exit(void)
{
	pci_unregister_driver(&vpci_driver);
}
