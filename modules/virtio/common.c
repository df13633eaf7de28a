// SPDX-License-Identifier: GPL-2.0-only
/*
 * The common configuration structure (VIRTIO 1.2 section 4.1.4.3):
 * feature negotiation, the device status state machine, per-queue
 * registers, and reset.  Registers are read and written with any access
 * size the driver likes; 64-bit fields may be written in 32-bit halves.
 *
 * The driver misbehaves when it clears a status bit without a reset, sets
 * DRIVER_OK without FEATURES_OK, changes features after FEATURES_OK,
 * chooses a bad queue size, or reconfigures a queue after DRIVER_OK; the
 * device then sets DEVICE_NEEDS_RESET, logs one line and raises its
 * configuration interrupt.  A write of 0 resets from any state: status
 * reads back non-zero until every queue worker has stopped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include "internal.h"

/**
 * iovsim_virtio_transport_features() - device-independent features offered
 *
 * Return: VERSION_1, ACCESS_PLATFORM, RING_PACKED, EVENT_IDX and
 * INDIRECT_DESC, as a feature mask.
 */
u64 iovsim_virtio_transport_features(void)
{
	return BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |
	       BIT_ULL(VIRTIO_F_RING_PACKED) |
	       BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |
	       BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
}

/**
 * iovsim_vdev_has() - was a feature negotiated?
 * @vdev: the function
 * @bit: feature bit
 *
 * Return: true if the driver accepted @bit.
 */
bool iovsim_vdev_has(struct iovsim_vdev *vdev, unsigned int bit)
{
	return READ_ONCE(vdev->driver_features) & BIT_ULL(bit);
}

/* Under vdev->lock.  Return: true if the caller must raise the config IRQ. */
static bool __vdev_needs_reset(struct iovsim_vdev *vdev, const char *why,
			       int err)
{
	if (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return false;
	WRITE_ONCE(vdev->status, vdev->status | VIRTIO_CONFIG_S_NEEDS_RESET);
	pr_warn_ratelimited("%s: driver error, device needs reset: %s (%d)\n",
			    vdev->name, why, err);
	return true;
}

/**
 * iovsim_vdev_needs_reset() - the driver misbehaved: set DEVICE_NEEDS_RESET
 * @vdev: the function
 * @why: what happened, for the log
 * @err: the errno that says it, or 0
 *
 * Any context, not under &iovsim_vdev.lock.  Queue workers stop using
 * their rings until the driver resets the device.
 */
void iovsim_vdev_needs_reset(struct iovsim_vdev *vdev, const char *why,
			     int err)
{
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&vdev->lock, flags);
	raise = __vdev_needs_reset(vdev, why, err);
	spin_unlock_irqrestore(&vdev->lock, flags);
	if (raise)
		iovsim_vdev_raise(vdev, READ_ONCE(vdev->config_vector),
				  VIRTIO_PCI_ISR_CONFIG);
}

/**
 * iovsim_vdev_config_changed() - the device configuration changed
 * @vdev: the function
 *
 * Bumps config_generation and raises the configuration interrupt.  Any
 * context, not under &iovsim_vdev.lock.
 */
void iovsim_vdev_config_changed(struct iovsim_vdev *vdev)
{
	unsigned long flags;
	bool live;

	spin_lock_irqsave(&vdev->lock, flags);
	vdev->generation++;
	live = vdev->status & VIRTIO_CONFIG_S_DRIVER_OK;
	spin_unlock_irqrestore(&vdev->lock, flags);
	if (live)
		iovsim_vdev_raise(vdev, READ_ONCE(vdev->config_vector),
				  VIRTIO_PCI_ISR_CONFIG);
}

static struct iovsim_vq *vdev_selected(struct iovsim_vdev *vdev)
{
	if (vdev->queue_select >= vdev->nr_queues)
		return NULL;
	return &vdev->vqs[vdev->queue_select];
}

/* The 64-byte structure as the driver would read it, little endian. */
static void vdev_common_snapshot(struct iovsim_vdev *vdev, u8 *b)
{
	struct iovsim_vq *vq = vdev_selected(vdev);
	u64 f = 0;

	memset(b, 0, IOVSIM_VIRTIO_COMMON_LEN);
	put_unaligned_le32(vdev->dfselect, b + VIRTIO_PCI_COMMON_DFSELECT);
	if (vdev->dfselect < 2)
		f = vdev->features >> (32 * vdev->dfselect);
	put_unaligned_le32(f, b + VIRTIO_PCI_COMMON_DF);
	put_unaligned_le32(vdev->gfselect, b + VIRTIO_PCI_COMMON_GFSELECT);
	f = 0;
	if (vdev->gfselect < 2)
		f = vdev->driver_features >> (32 * vdev->gfselect);
	put_unaligned_le32(f, b + VIRTIO_PCI_COMMON_GF);
	put_unaligned_le16(vdev->config_vector, b + VIRTIO_PCI_COMMON_MSIX);
	put_unaligned_le16(vdev->nr_queues, b + VIRTIO_PCI_COMMON_NUMQ);
	b[VIRTIO_PCI_COMMON_STATUS] = vdev->status;
	b[VIRTIO_PCI_COMMON_CFGGENERATION] = vdev->generation;
	put_unaligned_le16(vdev->queue_select, b + VIRTIO_PCI_COMMON_Q_SELECT);
	if (!vq)
		return;
	put_unaligned_le16(vq->size, b + VIRTIO_PCI_COMMON_Q_SIZE);
	put_unaligned_le16(vq->msix_vector, b + VIRTIO_PCI_COMMON_Q_MSIX);
	put_unaligned_le16(vq->enabled, b + VIRTIO_PCI_COMMON_Q_ENABLE);
	put_unaligned_le16(vq->index, b + VIRTIO_PCI_COMMON_Q_NOFF);
	put_unaligned_le64(vq->desc, b + VIRTIO_PCI_COMMON_Q_DESCLO);
	put_unaligned_le64(vq->driver, b + VIRTIO_PCI_COMMON_Q_AVAILLO);
	put_unaligned_le64(vq->device, b + VIRTIO_PCI_COMMON_Q_USEDLO);
	put_unaligned_le16(vq->index, b + IOVSIM_VIRTIO_COMMON_Q_NDATA);
}

/**
 * iovsim_common_read() - read the common configuration
 * @vdev: the function
 * @off: offset in the structure
 * @size: 1, 2, 4 or 8 bytes, naturally aligned
 *
 * Return: the value.
 */
u64 iovsim_common_read(struct iovsim_vdev *vdev, unsigned int off,
		       unsigned int size)
{
	u8 b[IOVSIM_VIRTIO_COMMON_LEN];
	unsigned long flags;
	unsigned int i;
	u64 val = 0;

	spin_lock_irqsave(&vdev->lock, flags);
	vdev_common_snapshot(vdev, b);
	spin_unlock_irqrestore(&vdev->lock, flags);
	for (i = 0; i < size; i++)
		val |= (u64)b[off + i] << (8 * i);
	return val;
}

static bool vdev_features_ok(struct iovsim_vdev *vdev)
{
	const struct iovsim_feature_dep *dep;
	u64 f = vdev->driver_features;
	unsigned int i;

	if (vdev->driver_features & ~vdev->features) {
		pr_info_ratelimited("%s: driver accepted features %#llx not offered\n",
				    vdev->name,
				    vdev->driver_features & ~vdev->features);
		return false;
	}
	if (!(vdev->driver_features & BIT_ULL(VIRTIO_F_VERSION_1))) {
		pr_info_ratelimited("%s: driver did not accept VERSION_1\n",
				    vdev->name);
		return false;
	}
	for (i = 0; i < vdev->ops->nr_deps; i++) {
		dep = &vdev->ops->deps[i];
		if ((f & BIT_ULL(dep->bit)) && !(f & dep->needs)) {
			pr_info_ratelimited("%s: driver accepted feature %u without any of %#llx it requires\n",
					    vdev->name, dep->bit, dep->needs);
			return false;
		}
	}
	return true;
}

/* Every register to its reset value, under vdev->lock, queues stopped. */
static void vdev_reset_regs(struct iovsim_vdev *vdev)
{
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		iovsim_vq_reset_regs(&vdev->vqs[i]);
	WRITE_ONCE(vdev->driver_features, 0);
	vdev->dfselect = 0;
	vdev->gfselect = 0;
	WRITE_ONCE(vdev->config_vector, VIRTIO_MSI_NO_VECTOR);
	vdev->queue_select = 0;
	vdev->isr = 0;
	WRITE_ONCE(vdev->status, 0);
	vdev->resetting = false;
}

/* Status write, under vdev->lock.  Returns true to raise the config IRQ. */
static bool vdev_set_status(struct iovsim_vdev *vdev, u8 val)
{
	u8 old = vdev->status & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	u8 keep = vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET;
	unsigned int i;
	int ret;

	if (vdev->resetting)
		return false;
	if (!val) {
		for (i = 0; i < vdev->nr_queues; i++)
			if (vdev->vqs[i].live)
				break;
		if (i == vdev->nr_queues) {
			/* No worker can be using a ring: reset at once. */
			vdev_reset_regs(vdev);
			return false;
		}
		/* status reads back non-zero until the workers stopped */
		vdev->resetting = true;
		queue_work(iovsim_virtio_wq, &vdev->reset_work);
		return false;
	}
	val &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
	if (old & ~val)
		return __vdev_needs_reset(vdev, "status bits cleared", 0);
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(old & VIRTIO_CONFIG_S_FEATURES_OK) && !vdev_features_ok(vdev))
		val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if ((val & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(old & VIRTIO_CONFIG_S_DRIVER_OK)) {
		if (!(val & VIRTIO_CONFIG_S_FEATURES_OK))
			return __vdev_needs_reset(vdev,
						  "DRIVER_OK without FEATURES_OK",
						  0);
		WRITE_ONCE(vdev->status, val | keep);
		for (i = 0; i < vdev->nr_queues; i++) {
			ret = iovsim_vq_start(&vdev->vqs[i]);
			if (ret)
				return __vdev_needs_reset(vdev,
							  "bad queue setup",
							  ret);
		}
		if (vdev->ops->start)
			vdev->ops->start(vdev);
		return false;
	}
	WRITE_ONCE(vdev->status, val | keep);
	return false;
}

/* Queue register writes, under vdev->lock; true to raise the config IRQ */
static bool vdev_set_queue(struct iovsim_vdev *vdev, unsigned int field,
			   u64 val)
{
	struct iovsim_vq *vq = vdev_selected(vdev);

	if (!vq)
		return false;
	if (field == VIRTIO_PCI_COMMON_Q_MSIX) {
		vq->msix_vector = val < iovsim_vdev_nvec(vdev) ? val :
				   VIRTIO_MSI_NO_VECTOR;
		return false;
	}
	if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
		return __vdev_needs_reset(vdev, "queue changed after DRIVER_OK",
					  0);
	switch (field) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		if (!val || val > IOVSIM_VIRTIO_QUEUE_SIZE)
			return __vdev_needs_reset(vdev, "bad queue size", val);
		vq->size = val;
		break;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		if (val == 1)
			vq->enabled = true;
		break;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		vq->desc = val;
		break;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		vq->driver = val;
		break;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		vq->device = val;
		break;
	}
	return false;
}

static bool vdev_set_field(struct iovsim_vdev *vdev, unsigned int field,
			   u64 val)
{
	unsigned int shift;

	switch (field) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		vdev->dfselect = val;
		return false;
	case VIRTIO_PCI_COMMON_GFSELECT:
		vdev->gfselect = val;
		return false;
	case VIRTIO_PCI_COMMON_GF:
		if (vdev->gfselect >= 2)
			return false;
		if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)
			return __vdev_needs_reset(vdev,
						  "features changed after FEATURES_OK",
						  0);
		shift = 32 * vdev->gfselect;
		WRITE_ONCE(vdev->driver_features,
			   (vdev->driver_features & ~(0xffffffffULL << shift)) |
			   val << shift);
		return false;
	case VIRTIO_PCI_COMMON_MSIX:
		WRITE_ONCE(vdev->config_vector,
			   val < iovsim_vdev_nvec(vdev) ? val :
			   VIRTIO_MSI_NO_VECTOR);
		return false;
	case VIRTIO_PCI_COMMON_STATUS:
		return vdev_set_status(vdev, val);
	case VIRTIO_PCI_COMMON_Q_SELECT:
		vdev->queue_select = val;
		return false;
	case VIRTIO_PCI_COMMON_Q_SIZE:
	case VIRTIO_PCI_COMMON_Q_MSIX:
	case VIRTIO_PCI_COMMON_Q_ENABLE:
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		return vdev_set_queue(vdev, field, val);
	}
	return false;	/* read-only */
}

/* Fields of the structure: offset and size, in address order. */
static const u8 vdev_fields[][2] = {
	{ VIRTIO_PCI_COMMON_DFSELECT, 4 }, { VIRTIO_PCI_COMMON_DF, 4 },
	{ VIRTIO_PCI_COMMON_GFSELECT, 4 }, { VIRTIO_PCI_COMMON_GF, 4 },
	{ VIRTIO_PCI_COMMON_MSIX, 2 }, { VIRTIO_PCI_COMMON_NUMQ, 2 },
	{ VIRTIO_PCI_COMMON_STATUS, 1 },
	{ VIRTIO_PCI_COMMON_CFGGENERATION, 1 },
	{ VIRTIO_PCI_COMMON_Q_SELECT, 2 }, { VIRTIO_PCI_COMMON_Q_SIZE, 2 },
	{ VIRTIO_PCI_COMMON_Q_MSIX, 2 }, { VIRTIO_PCI_COMMON_Q_ENABLE, 2 },
	{ VIRTIO_PCI_COMMON_Q_NOFF, 2 }, { VIRTIO_PCI_COMMON_Q_DESCLO, 8 },
	{ VIRTIO_PCI_COMMON_Q_AVAILLO, 8 }, { VIRTIO_PCI_COMMON_Q_USEDLO, 8 },
	{ IOVSIM_VIRTIO_COMMON_Q_NDATA, 2 }, { IOVSIM_VIRTIO_COMMON_Q_RESET, 2 },
};

/**
 * iovsim_common_write() - write the common configuration
 * @vdev: the function
 * @off: offset in the structure
 * @size: 1, 2, 4 or 8 bytes, naturally aligned
 * @val: the value
 *
 * Each field the access covers is merged with the bytes written and
 * applied.  Any context.
 */
void iovsim_common_write(struct iovsim_vdev *vdev, unsigned int off,
			 unsigned int size, u64 val)
{
	u8 b[IOVSIM_VIRTIO_COMMON_LEN];
	unsigned int i, f, fo, fs;
	unsigned long flags;
	bool raise = false;
	u64 fval;

	spin_lock_irqsave(&vdev->lock, flags);
	vdev_common_snapshot(vdev, b);
	for (i = 0; i < size; i++)
		b[off + i] = val >> (8 * i);
	for (f = 0; f < ARRAY_SIZE(vdev_fields); f++) {
		fo = vdev_fields[f][0];
		fs = vdev_fields[f][1];
		if (fo + fs <= off || fo >= off + size)
			continue;
		fval = 0;
		for (i = 0; i < fs; i++)
			fval |= (u64)b[fo + i] << (8 * i);
		raise |= vdev_set_field(vdev, fo, fval);
	}
	spin_unlock_irqrestore(&vdev->lock, flags);
	if (raise)
		iovsim_vdev_raise(vdev, READ_ONCE(vdev->config_vector),
				  VIRTIO_PCI_ISR_CONFIG);
}

/**
 * iovsim_vdev_reset() - reset a virtio function's device
 * @vdev: the function
 *
 * Stops every queue worker, resets the backend and the registers, and
 * only then lets status read back 0.  Process context.
 */
void iovsim_vdev_reset(struct iovsim_vdev *vdev)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		iovsim_vq_stop(&vdev->vqs[i]);
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);

	spin_lock_irqsave(&vdev->lock, flags);
	vdev_reset_regs(vdev);
	spin_unlock_irqrestore(&vdev->lock, flags);
}

/**
 * iovsim_vdev_reset_work() - complete a device reset the driver asked for
 * @work: &iovsim_vdev.reset_work
 */
void iovsim_vdev_reset_work(struct work_struct *work)
{
	iovsim_vdev_reset(container_of(work, struct iovsim_vdev, reset_work));
}
