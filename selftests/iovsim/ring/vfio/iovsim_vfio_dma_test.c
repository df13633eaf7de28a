// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test module for iovsim_ring's VFIO DMA backend.  It registers one
 * emulated-IOMMU VFIO device (on a platform device of its own, as an mdev
 * would be) so that user space can attach it to a TYPE1v2 container, map
 * buffers with VFIO_IOMMU_MAP_DMA and then make the device read, write
 * and copy them: each command written to the device file is run through
 * an iovsim VFIO DMA context in a work item, as a device model does, and
 * its result is read back.  The device's dma_unmap callback invalidates
 * the context's pin cache; its release frees the context.  selftests/iovsim/ring_vfio.sh drives it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>
#include <iovsim/compat.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#include "vfio_dma_test.h"

/**
 * struct vdt_dev - the test device
 * @vdev: its VFIO device
 * @lock: serializes commands: protects @cmd and @res
 * @work: runs @cmd on @dma
 * @dma: the VFIO DMA context, set up while the device is open
 * @ring: the virtqueue VDT_RING runs a chain through
 * @cmd: the command being run
 * @res: its result
 * @poll_work: the polling device thread of VDT_POLL_START
 * @poll_stop: tells @poll_work to return; set while it is not running
 * @poll_iova: where @poll_work writes
 * @poll_len: bytes of @poll_data it writes
 * @poll_data: what it writes
 * @poll_ok: writes of @poll_work that succeeded
 * @poll_failed: and those that failed
 * @unmaps: dma_unmap notifications since the device was opened
 *
 * @poll_* are set by VDT_POLL_START before @poll_work is queued and read
 * by VDT_POLL_STOP after it was flushed; @unmaps is atomic.
 */
struct vdt_dev {
	struct vfio_device vdev;
	struct mutex lock; /* one command at a time */
	struct work_struct work;
	struct iovsim_dma dma;
	struct iovsim_ring ring;
	struct vdt_cmd cmd;
	struct vdt_result res;
	struct work_struct poll_work;
	bool poll_stop;
	u64 poll_iova;
	u32 poll_len;
	u8 poll_data[64];
	u64 poll_ok;
	u64 poll_failed;
	atomic64_t unmaps;
};

static struct platform_device *vdt_pdev;
static struct vdt_dev *vdt;

/* VDT_RING: fetch one chain, exchange data with it, complete it. */
static int vdt_ring(struct vdt_dev *d)
{
	const struct vdt_cmd *c = &d->cmd;
	struct iovsim_ring_config cfg = {
		.layout = c->packed ? IOVSIM_RING_PACKED : IOVSIM_RING_SPLIT,
		.size = c->size,
		.desc_addr = c->iova,
		.driver_addr = c->iova2,
		.device_addr = c->iova3,
	};
	struct iovsim_ring_seg segs[4];
	struct iovsim_ring_chain chain = {
		.segs = segs,
		.max_segs = ARRAY_SIZE(segs),
	};
	int ret;

	ret = iovsim_ring_init(&d->ring, &d->dma, &cfg);
	if (ret)
		return ret;
	ret = iovsim_ring_get_chain(&d->ring, &chain);
	if (ret <= 0)
		return ret ? ret : -ENODATA;
	if (chain.readable_len > VDT_MAX_DATA ||
	    chain.writable_len > VDT_MAX_DATA)
		return -E2BIG;
	ret = iovsim_ring_chain_read(&d->ring, &chain, 0, d->res.data,
				     chain.readable_len);
	if (ret)
		return ret;
	ret = iovsim_ring_chain_write(&d->ring, &chain, 0, c->data,
				      chain.writable_len);
	if (ret)
		return ret;
	d->res.len = chain.readable_len;
	return iovsim_ring_complete(&d->ring, &chain, chain.writable_len);
}

/* The device thread of VDT_POLL_START. */
static void vdt_poll(struct work_struct *work)
{
	struct vdt_dev *d = container_of(work, struct vdt_dev, poll_work);

	while (!READ_ONCE(d->poll_stop)) {
		if (iovsim_dma_write(&d->dma, d->poll_iova, d->poll_data,
				     d->poll_len))
			d->poll_failed++;
		else
			d->poll_ok++;
		cond_resched();
	}
}

static void vdt_poll_stop(struct vdt_dev *d)
{
	WRITE_ONCE(d->poll_stop, true);
	cancel_work_sync(&d->poll_work);
}

static void vdt_run(struct work_struct *work)
{
	struct vdt_dev *d = container_of(work, struct vdt_dev, work);
	const struct vdt_cmd *c = &d->cmd;
	struct vdt_result *r = &d->res;
	struct iov_iter iter;
	struct kvec kv;
	u16 val;

	switch (c->op) {
	case VDT_READ:
		r->ret = iovsim_dma_read(&d->dma, r->data, c->iova, c->len);
		break;
	case VDT_WRITE:
		r->ret = iovsim_dma_write(&d->dma, c->iova, c->data, c->len);
		break;
	case VDT_COPY:
		r->ret = iovsim_dma_copy(&d->dma, c->iova, c->iova2, c->len);
		break;
	case VDT_READ16:
		r->ret = iovsim_dma_read_le16(&d->dma, c->iova, &val);
		memcpy(r->data, &val, sizeof(val));
		break;
	case VDT_WRITE16:
		memcpy(&val, c->data, sizeof(val));
		r->ret = iovsim_dma_write_le16(&d->dma, c->iova, val);
		break;
	case VDT_CHECK:
		r->ret = iovsim_dma_check(&d->dma, c->iova, c->len);
		break;
	case VDT_TO_ITER:
		kv.iov_base = r->data;
		kv.iov_len = c->len;
		iov_iter_kvec(&iter, READ, &kv, 1, c->len);
		r->ret = iovsim_dma_to_iter(&d->dma, c->iova, c->len, &iter);
		break;
	case VDT_RING:
		r->ret = vdt_ring(d);
		break;
	case VDT_POLL_START:
		if (!c->len || c->len > sizeof(d->poll_data) ||
		    !READ_ONCE(d->poll_stop)) {
			r->ret = -EINVAL;
			break;
		}
		d->poll_iova = c->iova;
		d->poll_len = c->len;
		memcpy(d->poll_data, c->data, c->len);
		d->poll_ok = 0;
		d->poll_failed = 0;
		WRITE_ONCE(d->poll_stop, false);
		queue_work(system_unbound_wq, &d->poll_work);
		r->ret = 0;
		break;
	case VDT_POLL_STOP:
		vdt_poll_stop(d);
		r->poll_ok = d->poll_ok;
		r->poll_failed = d->poll_failed;
		r->ret = 0;
		break;
	case VDT_FROM_ITER:
		kv.iov_base = (void *)c->data;
		kv.iov_len = c->len;
		iov_iter_kvec(&iter, WRITE, &kv, 1, c->len);
		r->ret = iovsim_dma_from_iter(&d->dma, c->iova, c->len, &iter);
		break;
	default:
		r->ret = -EINVAL;
	}
}

static int vdt_open_device(struct vfio_device *vdev)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);

	atomic64_set(&d->unmaps, 0);
	return iovsim_dma_init_vfio(&d->dma, vdev);
}

static void vdt_close_device(struct vfio_device *vdev)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);

	cancel_work_sync(&d->work);
	vdt_poll_stop(d);
	iovsim_dma_fini_vfio(&d->dma);
}

static void vdt_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);

	atomic64_inc(&d->unmaps);
	iovsim_dma_vfio_invalidate(&d->dma, iova, length);
}

static ssize_t vdt_write(struct vfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);

	if (*ppos != 0 || count != sizeof(d->cmd))
		return -EINVAL;
	mutex_lock(&d->lock);
	if (copy_from_user(&d->cmd, buf, count)) {
		mutex_unlock(&d->lock);
		return -EFAULT;
	}
	if (d->cmd.len > VDT_MAX_DATA && d->cmd.op != VDT_CHECK &&
	    d->cmd.op != VDT_COPY) {
		mutex_unlock(&d->lock);
		return -EINVAL;
	}
	memset(&d->res, 0, sizeof(d->res));
	/* VFIO serves DMA only to the mapping process or a kworker. */
	queue_work(system_unbound_wq, &d->work);
	flush_work(&d->work);
	mutex_unlock(&d->lock);
	return count;
}

static ssize_t vdt_read(struct vfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);
	struct iovsim_dma_vfio_stats st;
	ssize_t ret = count;

	if (*ppos != 0 || count != sizeof(d->res))
		return -EINVAL;
	mutex_lock(&d->lock);
	iovsim_dma_vfio_get_stats(&d->dma, &st);
	d->res.pinned = st.pinned;
	d->res.hits = st.hits;
	d->res.pins = st.pins;
	d->res.rw_fallbacks = st.rw_fallbacks;
	d->res.invalidated = st.invalidated;
	d->res.raced = st.raced;
	d->res.faults = st.faults;
	d->res.unmaps = atomic64_read(&d->unmaps);
	if (copy_to_user(buf, &d->res, count))
		ret = -EFAULT;
	mutex_unlock(&d->lock);
	return ret;
}

static void vdt_release(struct vfio_device *vdev)
{
	struct vdt_dev *d = container_of(vdev, struct vdt_dev, vdev);

	iovsim_dma_release_vfio(&d->dma);
	mutex_destroy(&d->lock);
	iovsim_vfio_release_free(vdev);
}

static const struct vfio_device_ops vdt_ops = {
	.name = VDT_NAME,
	.release = vdt_release,
	.open_device = vdt_open_device,
	.close_device = vdt_close_device,
	.read = vdt_read,
	.write = vdt_write,
	.dma_unmap = vdt_dma_unmap,
};

/*
 * VFIO pins the module of the driver bound to the parent device while the
 * device is open: the platform device needs a driver, which does nothing.
 */
static int vdt_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver vdt_driver = {
	.probe = vdt_probe,
	.driver = {
		.name = VDT_NAME,
	},
};

static int __init vdt_init(void)
{
	int ret;

	ret = platform_driver_register(&vdt_driver);
	if (ret)
		return ret;
	vdt_pdev = platform_device_register_simple(VDT_NAME, PLATFORM_DEVID_NONE,
						   NULL, 0);
	if (IS_ERR(vdt_pdev)) {
		ret = PTR_ERR(vdt_pdev);
		goto err_driver;
	}
	if (!vdt_pdev->dev.driver) {
		ret = -ENODEV;
		goto err_pdev;
	}

	vdt = vfio_alloc_device(vdt_dev, vdev, &vdt_pdev->dev, &vdt_ops);
	if (IS_ERR(vdt)) {
		ret = PTR_ERR(vdt);
		goto err_pdev;
	}
	mutex_init(&vdt->lock);
	INIT_WORK(&vdt->work, vdt_run);
	INIT_WORK(&vdt->poll_work, vdt_poll);
	vdt->poll_stop = true;

	ret = vfio_register_emulated_iommu_dev(&vdt->vdev);
	if (ret)
		goto err_put;
	return 0;

err_put:
	vfio_put_device(&vdt->vdev);
err_pdev:
	platform_device_unregister(vdt_pdev);
err_driver:
	platform_driver_unregister(&vdt_driver);
	return ret;
}

static void __exit vdt_exit(void)
{
	vfio_unregister_group_dev(&vdt->vdev);
	vfio_put_device(&vdt->vdev);
	platform_device_unregister(vdt_pdev);
	platform_driver_unregister(&vdt_driver);
}

module_init(vdt_init);
module_exit(vdt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iovsim: test of the VFIO DMA backend of iovsim_ring");
