// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-queue processing.  A notify (a BAR write from the driver, often in
 * atomic context under the driver's queue lock) only queues the queue's
 * work item; the work runs in process context on iovsim_virtio's
 * workqueues (see iovsim_virtio_wq_init()), handles up to
 * IOVSIM_VIRTIO_BUDGET chains, and requeues itself when there is more.
 * It raises the queue's interrupt whenever it has caught up with the
 * driver, and the driver's handler runs right there, in the worker.
 *
 * A data queue's worker runs on the CPU next to the one that notified,
 * and polls the ring for up to poll_us after it caught up, with
 * notifications still suppressed: while the driver keeps submitting,
 * neither side sleeps or sends the other an IPI.  An idle queue costs
 * nothing: once the poll ends the worker re-enables notifications and
 * sleeps until the next one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#include <iovsim/pcihost.h>

#include "internal.h"

struct workqueue_struct *iovsim_virtio_wq;
static struct workqueue_struct *iovsim_virtio_queue_wq;

#define IOVSIM_VIRTIO_POLL_US_MAX	1000
/* longest a completion waits for its interrupt while the worker is busy */
#define IOVSIM_VIRTIO_SIGNAL_NS		(50 * NSEC_PER_USEC)

static unsigned int poll_us = 100;

static int poll_us_set(const char *val, const struct kernel_param *kp)
{
	unsigned int us;
	int ret;

	ret = kstrtouint(val, 0, &us);
	if (ret)
		return ret;
	if (us > IOVSIM_VIRTIO_POLL_US_MAX)
		return -ERANGE;
	WRITE_ONCE(poll_us, us);
	return 0;
}

static const struct kernel_param_ops poll_us_ops = {
	.set	= poll_us_set,
	.get	= param_get_uint,
};

module_param_cb(poll_us, &poll_us_ops, &poll_us, 0644);
MODULE_PARM_DESC(poll_us, "microseconds a queue worker keeps polling an empty ring before it sleeps (0-1000, default 100; 0: never poll)");

/*
 * Busy polling of a queue that just went empty: true to look at the ring
 * again, false to sleep.  A worker polls only right after it handled a
 * chain (the driver is active), for at most poll_us, and only while
 * nothing else wants its CPU: on the submitter's own CPU it would only
 * delay the next submission.
 */
static bool iovsim_vq_poll(u64 *end)
{
	unsigned int us = READ_ONCE(poll_us);
	u64 now;

	if (!us || need_resched() || !single_task_running())
		return false;
	now = local_clock();
	if (!*end)
		*end = now + us * NSEC_PER_USEC;
	if (time_after64(now, *end))
		return false;
	cpu_relax();
	return true;
}

/*
 * Queue @vq's work.  A data queue's worker runs on the online CPU after
 * the one that notified: the submitter keeps its CPU and the device
 * works next to it.  With one CPU online both share it.  A CPU going
 * offline meanwhile only moves the work to another CPU (the workqueue
 * core does that), which is still correct.
 */
static void iovsim_vq_queue(struct iovsim_vq *vq)
{
	unsigned int cpu;

	if (vq->wq != iovsim_virtio_queue_wq) {
		queue_work(vq->wq, &vq->work);
		return;
	}
	cpu = cpumask_next(raw_smp_processor_id(), cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	queue_work_on(cpu, vq->wq, &vq->work);
}

static void iovsim_vq_work(struct work_struct *work)
{
	struct iovsim_vq *vq = container_of(work, struct iovsim_vq, work);
	struct iovsim_vdev *vdev = vq->vdev;
	bool again = false;
	int ret;

	mutex_lock(&vq->lock);
	if (!vq->live ||
	    READ_ONCE(vdev->status) & VIRTIO_CONFIG_S_NEEDS_RESET)
		goto out;
	if (vq->unchecked) {
		ret = iovsim_ring_check(&vq->ring);
		if (ret) {
			mutex_unlock(&vq->lock);
			iovsim_vdev_needs_reset(vdev, "bad queue setup", ret);
			return;
		}
		vq->unchecked = false;
	}
	/*
	 * The ring and the buffers are driver memory: no bus mastering (Bus
	 * Master Enable clear, not in D0, a function-level reset under way),
	 * no processing.  The next notify queues the work again.
	 */
	if (iovsim_fn_dma_begin(vdev->fn))
		goto out;
	ret = vdev->ops->process(vq, IOVSIM_VIRTIO_BUDGET);
	iovsim_fn_dma_end(vdev->fn);
	if (ret < 0) {
		mutex_unlock(&vq->lock);
		iovsim_vdev_needs_reset(vdev, "bad ring or request", ret);
		return;
	}
	again = ret >= IOVSIM_VIRTIO_BUDGET;
out:
	mutex_unlock(&vq->lock);
	if (again)
		queue_work_on(raw_smp_processor_id(), vq->wq, &vq->work);
}

/**
 * iovsim_vq_init() - set up a queue of a new function
 * @vdev: the function
 * @vq: the queue
 * @index: its index
 *
 * Return: 0 or -ENOMEM.
 */
int iovsim_vq_init(struct iovsim_vdev *vdev, struct iovsim_vq *vq, u16 index)
{
	vq->vdev = vdev;
	vq->index = index;
	vq->segs = kcalloc(IOVSIM_VIRTIO_QUEUE_SIZE, sizeof(*vq->segs),
			   GFP_KERNEL);
	if (!vq->segs)
		return -ENOMEM;
	mutex_init(&vq->lock);
	INIT_WORK(&vq->work, iovsim_vq_work);
	vq->wq = iovsim_virtio_queue_wq;
	iovsim_vq_reset_regs(vq);
	return 0;
}

/**
 * iovsim_vq_free() - free a stopped queue
 * @vq: the queue
 */
void iovsim_vq_free(struct iovsim_vq *vq)
{
	if (!vq->segs)
		return;
	mutex_destroy(&vq->lock);
	kfree(vq->segs);
	vq->segs = NULL;
}

/**
 * iovsim_vq_reset_regs() - queue registers to their reset values
 * @vq: the queue, stopped; under &iovsim_vdev.lock once the function is
 *	visible
 */
void iovsim_vq_reset_regs(struct iovsim_vq *vq)
{
	vq->size = IOVSIM_VIRTIO_QUEUE_SIZE;
	vq->msix_vector = VIRTIO_MSI_NO_VECTOR;
	vq->enabled = false;
	vq->desc = 0;
	vq->driver = 0;
	vq->device = 0;
}

/**
 * iovsim_vq_start() - the driver set DRIVER_OK: bring an enabled queue up
 * @vq: the queue
 *
 * Under &iovsim_vdev.lock.  The worker is not running the ring (it is not
 * live), so the ring is set up here and published with a release store;
 * then the work is queued for buffers made available before DRIVER_OK.
 *
 * Return: 0, or the error of iovsim_ring_init() for a bad setup.
 */
int iovsim_vq_start(struct iovsim_vq *vq)
{
	struct iovsim_vdev *vdev = vq->vdev;
	struct iovsim_ring_config cfg = {
		.layout = iovsim_vdev_has(vdev, VIRTIO_F_RING_PACKED) ?
			  IOVSIM_RING_PACKED : IOVSIM_RING_SPLIT,
		.size = vq->size,
		.desc_addr = vq->desc,
		.driver_addr = vq->driver,
		.device_addr = vq->device,
		.event_idx = iovsim_vdev_has(vdev, VIRTIO_RING_F_EVENT_IDX),
		.indirect = iovsim_vdev_has(vdev, VIRTIO_RING_F_INDIRECT_DESC),
	};
	const struct iovsim_dma *dma = iovsim_fn_dma(vdev->fn);
	int ret;

	if (!vq->enabled)
		return 0;
	/*
	 * A passthrough user's DMA context (iovsim_fn_set_dma()) sleeps in
	 * its check, and this runs under vdev->lock: the worker checks.
	 */
	vq->unchecked = !!dma;
	if (dma)
		ret = iovsim_ring_setup(&vq->ring, dma, &cfg);
	else
		ret = iovsim_ring_init(&vq->ring, &vdev->dma, &cfg);
	if (ret)
		return ret;
	/* pairs with the worker's lock: the ring is set up before live */
	smp_store_release(&vq->live, true);
	iovsim_vq_queue(vq);
	return 0;
}

/**
 * iovsim_vq_stop() - stop a queue and wait for its worker
 * @vq: the queue
 *
 * Process context.  Afterwards nothing uses the ring until the next
 * iovsim_vq_start().
 */
void iovsim_vq_stop(struct iovsim_vq *vq)
{
	struct iovsim_vdev *vdev = vq->vdev;
	unsigned long flags;

	mutex_lock(&vq->lock);
	spin_lock_irqsave(&vdev->lock, flags);
	vq->live = false;
	spin_unlock_irqrestore(&vdev->lock, flags);
	mutex_unlock(&vq->lock);
	cancel_work_sync(&vq->work);
}

/**
 * iovsim_vq_notify() - the driver wrote the queue's notify register
 * @vq: the queue
 *
 * Any context: only schedules the queue's work.
 */
void iovsim_vq_notify(struct iovsim_vq *vq)
{
	const struct iovsim_vdev_ops *ops = vq->vdev->ops;

	if (ops->notify && !ops->notify(vq))
		return;
	iovsim_vq_queue(vq);
}

/**
 * iovsim_vq_kick_work() - schedule a queue's worker
 * @vq: the queue
 *
 * For backends whose queues wake each other (net TX waiting for a peer's
 * receive buffers).  Any context.
 */
void iovsim_vq_kick_work(struct iovsim_vq *vq)
{
	iovsim_vq_queue(vq);
}

/**
 * iovsim_vq_set_unbound() - run a queue's worker on any CPU
 * @vq: the queue, before the function is added
 *
 * For queues whose driver busy-waits for the answer on the CPU that
 * notified (virtio_net's control queue): a worker bound to that CPU
 * would never run.
 */
void iovsim_vq_set_unbound(struct iovsim_vq *vq)
{
	vq->wq = iovsim_virtio_wq;
}

/**
 * iovsim_vq_interrupt() - raise the queue's interrupt if the driver wants it
 * @vq: the queue, under &iovsim_vq.lock
 *
 * The driver's handler runs before this returns
 * (iovsim_vdev_raise_sync()).
 *
 * Return: 0 or the ring's error.
 */
int iovsim_vq_interrupt(struct iovsim_vq *vq)
{
	int ret = iovsim_ring_need_interrupt(&vq->ring);

	if (ret > 0)
		iovsim_vdev_raise_sync(vq->vdev, READ_ONCE(vq->msix_vector),
				       IOVSIM_VIRTIO_ISR_QUEUE);
	return ret < 0 ? ret : 0;
}

/**
 * iovsim_vq_run_chains() - the usual queue loop
 * @vq: the queue, under &iovsim_vq.lock and live
 * @budget: most chains to handle
 * @handle: called per chain; returns the bytes written into the chain's
 *	writable buffers, or a negative errno that breaks the device
 *
 * Fetches chains with notifications suppressed and completes each one.
 * The driver is interrupted when the worker has caught up, and also once
 * the oldest completion it has not been told about is
 * IOVSIM_VIRTIO_SIGNAL_NS old, so that a deep queue of large requests
 * does not hold every completion back until the last one.  Polls while
 * the driver is active (iovsim_vq_poll()), and returns with notifications
 * re-enabled when the ring is empty.
 *
 * Return: chains handled, or a negative errno.
 */
int iovsim_vq_run_chains(struct iovsim_vq *vq, unsigned int budget,
			 iovsim_chain_handler_t handle)
{
	struct iovsim_ring_chain chain;
	unsigned int n = 0;
	u64 poll_end = 0, unsignalled_since = 0;
	int ret, written;

	ret = iovsim_ring_disable_kicks(&vq->ring);
	while (!ret && n < budget) {
		chain.segs = vq->segs;
		chain.max_segs = IOVSIM_VIRTIO_QUEUE_SIZE;
		chain.max_len = vq->vdev->ops->max_chain_len(vq->vdev);
		ret = iovsim_ring_get_chain(&vq->ring, &chain);
		if (ret < 0)
			break;
		if (!ret) {
			if (unsignalled_since) {
				unsignalled_since = 0;
				ret = iovsim_vq_interrupt(vq);
				if (ret)
					break;
			}
			if (n && iovsim_vq_poll(&poll_end))
				continue;
			ret = iovsim_ring_enable_kicks(&vq->ring);
			if (ret <= 0)
				break;
			ret = iovsim_ring_disable_kicks(&vq->ring);
			continue;
		}
		poll_end = 0;
		written = handle(vq, &chain);
		if (written < 0) {
			ret = written;
			break;
		}
		ret = iovsim_ring_complete(&vq->ring, &chain, written);
		n++;
		if (!unsignalled_since) {
			unsignalled_since = local_clock();
		} else if (!ret && local_clock() - unsignalled_since >
			   IOVSIM_VIRTIO_SIGNAL_NS) {
			unsignalled_since = 0;
			ret = iovsim_vq_interrupt(vq);
		}
	}
	if (unsignalled_since) {
		int r = iovsim_vq_interrupt(vq);

		if (!ret)
			ret = r;
	}
	return ret < 0 ? ret : n;
}

/**
 * iovsim_virtio_wq_init() - create the queue workers' workqueues
 *
 * Data queue workers run on a per-CPU workqueue, on the CPU after the
 * notifying one (iovsim_vq_queue()); they are CPU-intensive, as they may
 * poll, so they do not hold back other per-CPU work, and of normal
 * priority, so that a submitter that migrated to the worker's CPU is not
 * preempted in the middle of its batch (WQ_HIGHPRI cost about a fifth of
 * the QD32 IOPS).  An unbound
 * workqueue serves resets and the queues that must not wait for a given
 * CPU.  Both are usable in memory reclaim (block writeback goes through
 * them).
 *
 * Return: 0 or -ENOMEM.
 */
int iovsim_virtio_wq_init(void)
{
	iovsim_virtio_wq = alloc_workqueue("iovsim_virtio",
					   WQ_UNBOUND | WQ_MEM_RECLAIM |
					   WQ_HIGHPRI, 0);
	if (!iovsim_virtio_wq)
		return -ENOMEM;
	iovsim_virtio_queue_wq = alloc_workqueue("iovsim_virtio_queue",
						 WQ_MEM_RECLAIM |
						 WQ_CPU_INTENSIVE, 0);
	if (!iovsim_virtio_queue_wq) {
		destroy_workqueue(iovsim_virtio_wq);
		return -ENOMEM;
	}
	return 0;
}

/**
 * iovsim_virtio_wq_exit() - destroy the workqueues
 */
void iovsim_virtio_wq_exit(void)
{
	destroy_workqueue(iovsim_virtio_queue_wq);
	destroy_workqueue(iovsim_virtio_wq);
}
