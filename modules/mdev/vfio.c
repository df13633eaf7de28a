// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mdev driver and the VFIO device of a passed-through function: the
 * regions (configuration space, BARs) and ioctls as vfio-pci has them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include "internal.h"

static struct iovsim_mdev *to_md(struct vfio_device *vdev)
{
	return container_of(vdev, struct iovsim_mdev, vdev);
}

/*
 * Open: the function starts from a reset, with the BAR registers user
 * space sees cleared to their type bits, and its model reaches memory
 * through the container user space maps: the function is quiet after the
 * reset, so no ring of its model holds the host's DMA context.  Process
 * context, the VFIO core's device-set lock held.
 */
static int iovsim_mdev_open(struct vfio_device *vdev)
{
	struct iovsim_mdev *md = to_md(vdev);
	int ret;

	/* the model's module stays while user space has its function */
	ret = iovsim_fn_get(md->fn);
	if (ret)
		return ret;
	ret = iovsim_dma_init_vfio(&md->dma, vdev);
	if (ret)
		goto err_put;
	mutex_lock(&md->lock);
	iovsim_mdev_config_init(md);
	ret = iovsim_mdev_reset(md);
	if (!ret)
		ret = iovsim_fn_set_dma(md->fn, &md->dma);
	mutex_unlock(&md->lock);
	if (ret)
		goto err_dma;
	return 0;

err_dma:
	iovsim_fn_wait_reset(md->fn);
	iovsim_dma_fini_vfio(&md->dma);
err_put:
	iovsim_fn_put(md->fn);
	return ret;
}

/*
 * Close: every vector let go, the function reset (its model quiet, none
 * of its rings live) before it gets the host's DMA context back, and left
 * with memory decoding and bus mastering off.  Same context as open.
 */
static void iovsim_mdev_close(struct vfio_device *vdev)
{
	struct iovsim_mdev *md = to_md(vdev);

	mutex_lock(&md->lock);
	iovsim_mdev_irq_disable(md);
	iovsim_mdev_reset(md);
	/*
	 * Even if the function did not answer in time (a worker stuck in a
	 * fault user space made slow), the reset is under way: wait until
	 * its model is quiet before its rings lose the container.
	 */
	iovsim_fn_wait_reset(md->fn);
	pci_write_config_word(md->pdev, PCI_COMMAND, 0);
	iovsim_fn_set_dma(md->fn, NULL);
	mutex_unlock(&md->lock);
	iovsim_dma_fini_vfio(&md->dma);
	iovsim_fn_put(md->fn);
}

/* A BAR access: naturally aligned, 1, 2, 4 or 8 bytes, inside the BAR. */
static ssize_t iovsim_mdev_bar_rw(struct iovsim_mdev *md, unsigned int bar,
				  char __user *buf, size_t count, u64 off,
				  bool write)
{
	u64 len = pci_resource_len(md->pdev, bar);
	__le64 le = 0;

	if (!md->bar_mask[bar] || off >= len || count > len - off)
		return -EINVAL;
	if ((count != 1 && count != 2 && count != 4 && count != 8) ||
	    !IS_ALIGNED(off, count))
		return -EINVAL;
	/* the low @count bytes of a little-endian value, as PCI has them */
	if (write) {
		if (copy_from_user(&le, buf, count))
			return -EFAULT;
		iovsim_bar_write(md->fn, bar, off, count, le64_to_cpu(le));
		return count;
	}
	le = cpu_to_le64(iovsim_bar_read(md->fn, bar, off, count));
	if (copy_to_user(buf, &le, count))
		return -EFAULT;
	return count;
}

static ssize_t iovsim_mdev_rw(struct iovsim_mdev *md, char __user *buf,
			      size_t count, loff_t *ppos, bool write)
{
	u64 index = IOVSIM_MDEV_INDEX((u64)*ppos);
	u64 off = *ppos & IOVSIM_MDEV_OFFSET_MASK;
	ssize_t ret;

	if (*ppos < 0)
		return -EINVAL;
	mutex_lock(&md->lock);
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		ret = iovsim_mdev_config_rw(md, buf, count, off, write);
	else if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		ret = iovsim_mdev_bar_rw(md, index, buf, count, off, write);
	else
		ret = -EINVAL;
	mutex_unlock(&md->lock);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/* Process context (the user's read(2)); sleeps. */
static ssize_t iovsim_mdev_read(struct vfio_device *vdev, char __user *buf,
				size_t count, loff_t *ppos)
{
	return iovsim_mdev_rw(to_md(vdev), buf, count, ppos, false);
}

/* Process context (the user's write(2)); sleeps. */
static ssize_t iovsim_mdev_write(struct vfio_device *vdev,
				 const char __user *buf, size_t count,
				 loff_t *ppos)
{
	return iovsim_mdev_rw(to_md(vdev), (char __user *)buf, count, ppos,
			      true);
}

static int iovsim_mdev_get_info(struct iovsim_mdev *md, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static int iovsim_mdev_get_region_info(struct iovsim_mdev *md,
				       unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = IOVSIM_MDEV_OFFSET(info.index);
	info.size = 0;
	info.flags = 0;
	info.cap_offset = 0;
	if (info.index == VFIO_PCI_CONFIG_REGION_INDEX)
		info.size = md->pdev->cfg_size;
	else if (info.index <= VFIO_PCI_BAR5_REGION_INDEX &&
		 md->bar_mask[info.index])
		info.size = pci_resource_len(md->pdev, info.index);
	if (info.size)
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/* Process context (the user's ioctl(2)); sleeps. */
static long iovsim_mdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			      unsigned long arg)
{
	struct iovsim_mdev *md = to_md(vdev);
	long ret;

	mutex_lock(&md->lock);
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		ret = iovsim_mdev_get_info(md, arg);
		break;
	case VFIO_DEVICE_GET_REGION_INFO:
		ret = iovsim_mdev_get_region_info(md, arg);
		break;
	case VFIO_DEVICE_GET_IRQ_INFO:
		ret = iovsim_mdev_get_irq_info(md, arg);
		break;
	case VFIO_DEVICE_SET_IRQS:
		ret = iovsim_mdev_set_irqs(md, arg);
		break;
	case VFIO_DEVICE_RESET:
		ret = iovsim_mdev_reset(md);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&md->lock);
	return ret;
}

/*
 * User space unmaps a range of its container: the DMA context lets go of
 * what it pinned there before VFIO completes the unmap.  Called by VFIO's
 * type1 driver in the unmapping task's context, its locks held (see
 * iovsim_dma_vfio_invalidate()).
 */
static void iovsim_mdev_dma_unmap(struct vfio_device *vdev, u64 iova,
				  u64 length)
{
	iovsim_dma_vfio_invalidate(&to_md(vdev)->dma, iova, length);
}

static void iovsim_mdev_release(struct vfio_device *vdev)
{
	struct iovsim_mdev *md = to_md(vdev);

	iovsim_dma_release_vfio(&md->dma);
	iovsim_mdev_irq_free(md);
	mutex_destroy(&md->lock);
	iovsim_vfio_release_free(vdev);
}

static const struct vfio_device_ops iovsim_mdev_vfio_ops = {
	.name		= "iovsim-mdev",
	.release	= iovsim_mdev_release,
	.open_device	= iovsim_mdev_open,
	.close_device	= iovsim_mdev_close,
	.read		= iovsim_mdev_read,
	.write		= iovsim_mdev_write,
	.ioctl		= iovsim_mdev_ioctl,
	.dma_unmap	= iovsim_mdev_dma_unmap,
	.request	= iovsim_mdev_request,
};

static int iovsim_mdev_probe(struct mdev_device *mdev)
{
	struct iovsim_mdev_parent *mp =
		container_of(mdev->type, struct iovsim_mdev_parent, type);
	struct iovsim_mdev *md;
	int ret;

	md = vfio_alloc_device(iovsim_mdev, vdev, &mdev->dev,
			       &iovsim_mdev_vfio_ops);
	if (IS_ERR(md))
		return PTR_ERR(md);
	mutex_init(&md->lock);
	md->mp = mp;
	md->pdev = mp->pdev;
	md->fn = mp->fn;
	ret = iovsim_mdev_irq_init(md);
	if (ret)
		goto err_put;
	ret = vfio_register_emulated_iommu_dev(&md->vdev);
	if (ret)
		goto err_put;
	dev_set_drvdata(&mdev->dev, md);
	return 0;

err_put:
	vfio_put_device(&md->vdev);	/* release frees the vectors */
	return ret;
}

static void iovsim_mdev_remove(struct mdev_device *mdev)
{
	struct iovsim_mdev *md = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&md->vdev);
	vfio_put_device(&md->vdev);
}

static ssize_t iovsim_mdev_show_description(struct mdev_type *mtype,
					    char *buf)
{
	struct iovsim_mdev_parent *mp =
		container_of(mtype, struct iovsim_mdev_parent, type);

	return sysfs_emit(buf, "the whole function %s, passed through\n",
			  pci_name(mp->pdev));
}

struct mdev_driver iovsim_mdev_driver = {
	.device_api	= VFIO_DEVICE_API_PCI_STRING,
	.max_instances	= 1,
	.probe		= iovsim_mdev_probe,
	.remove		= iovsim_mdev_remove,
	.show_description = iovsim_mdev_show_description,
	.driver = {
		.name	= "iovsim_mdev",
		.owner	= THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
};
