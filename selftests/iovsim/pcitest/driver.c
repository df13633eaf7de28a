// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-host driver of the iovsim test function.  It talks to the function
 * only through the BAR accessors, requests every vector's IRQ, enables
 * MSI-X (again after a reset), and shows the lot in debugfs,
 * /sys/kernel/debug/iovsim_pcitest/<pci address>/:
 *
 *	id		ID and NVEC registers (read)
 *	scratch		the first 8 scratch bytes as one 64-bit access (rw)
 *	doorbell	write a vector number: the function raises it
 *	storm		write "<vector> <n> <stagger>": every online CPU rings
 *			that doorbell n times (1-100000), the k-th online CPU
 *			starting k * stagger us (0-1000) after the first
 *	raised		the RAISED register: doorbells rung (read)
 *	irq_delay_us	each handler run busy-waits this long (0-1000,
 *			default 0), to widen races between CPUs (rw)
 *	mask		write "<vector> 1" to mask (disable_irq), "<vector> 0"
 *			to unmask
 *	vmask		write "<vector> 1" to set the Mask bit of the vector's
 *			MSI-X table entry, "<vector> 0" to clear it
 *	pba		the first 64 bits of the MSI-X pending bit array, in
 *			hex, read through the BAR accessor (read)
 *	pending		"<vector> <state>" per vector: the chip's pending
 *			state (irq_get_irqchip_state(), an errno if the chip
 *			cannot tell) (read)
 *	sync_raise	write a vector: another CPU rings its doorbell with
 *			interrupts off and keeps them off for 50 ms, while
 *			this CPU waits for the raise to be latched, then
 *			calls synchronize_irq(); read: the handler runs that
 *			synchronize_irq() waited for (1 if it did its job)
 *	counts		"<vector> <irq> <handled> <seen>" per vector, seen
 *			being RAISED as the latest handler run read it (read)
 *	bench		time one emulated config read and one BAR accessor
 *			read: the mean over the best of five rounds (read;
 *			also logged)
 *	absent		"<value> <return code>" of a config read of an absent
 *			function on the same bus, 1f.7 (read)
 *	cfgop		call the bus's pci_ops directly, as a PCI core
 *			accessor that does not check its arguments would:
 *			write "r WHERE SIZE" or "w WHERE SIZE HEXVALUE", read
 *			"<value> <return code>" of the last call
 *	dma_delay_ms	the engine's DMA_DELAY register: each copy holds
 *			the bus that long before it moves data (rw, 0-5000)
 *	dma_buf		the driver's 64 KiB DMA buffer (read, write)
 *	dma		run one copy of the function's DMA engine and wait for
 *			its completion interrupt (vector 0); write
 *			"SRC DST LEN": offsets in dma_buf;
 *			"from ADDR DST LEN": from DMA address ADDR into
 *			dma_buf; "to SRC ADDR LEN": from dma_buf to DMA
 *			address ADDR, which the driver refuses (EPERM) if it
 *			is host RAM, so that a test cannot damage the host.
 *			The write fails with the engine's verdict: EINVAL
 *			(bad length), EFAULT (address refused), EIO (bus
 *			mastering off).  Read: "copied <n> status <s>
 *			refused <r>", r being the function's DMA transfers
 *			the host refused (iovsim_fn_dma_refused()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <iovsim/pcihost.h>
#include <uapi/iovsim/pci_ids.h>

#include "pcitest.h"

#define PCITEST_BENCH_ROUNDS	5
#define PCITEST_BENCH_LOOPS	4000
#define PCITEST_DMA_BUF_SIZE	(64 * 1024)
#define PCITEST_DMA_TIMEOUT	(5 * HZ)	/* a copy takes microseconds */

/**
 * struct pcitest_vec - one vector as the driver sees it
 * @dev: the device
 * @irq: Linux IRQ
 * @handled: interrupts handled
 * @seen: the RAISED register as the latest handler run read it: once
 *	every raise has been delivered it equals RAISED, if only this
 *	vector was rung
 * @masked: masked through debugfs (disable_irq() done)
 */
struct pcitest_vec {
	struct pcitest_dev *dev;
	int irq;
	atomic_t handled;
	atomic_t seen;
	bool masked;
};

/**
 * struct pcitest_dev - driver state of a bound test function
 * @pdev: the PCI device
 * @fn: its iovsim function
 * @dir: debugfs directory
 * @lock: serializes debugfs mask changes, cfgop calls and DMA copies
 * @dma_wq: woken by every interrupt; copies wait there for DMA_STATUS
 * @buf: DMA buffer, PCITEST_DMA_BUF_SIZE bytes
 * @buf_dma: its DMA address
 * @irq_delay_us: busy wait per handler run (debugfs)
 * @sync_result: handler runs seen by the latest sync_raise (debugfs)
 * @cfgop_val: value of the last cfgop read (debugfs), under @lock
 * @cfgop_ret: return code of the last cfgop call, under @lock
 * @nvec: vectors
 * @vecs: per vector state
 */
struct pcitest_dev {
	struct pci_dev *pdev;
	struct iovsim_fn *fn;
	struct dentry *dir;
	struct mutex lock;	/* vecs[].masked, cfgop_*; serializes copies */
	wait_queue_head_t dma_wq;
	void *buf;
	dma_addr_t buf_dma;
	u32 irq_delay_us;
	int sync_result;
	u32 cfgop_val;
	int cfgop_ret;
	unsigned int nvec;
	struct pcitest_vec vecs[];
};

static struct dentry *pcitest_debugfs;

static irqreturn_t pcitest_irq(int irq, void *data)
{
	struct pcitest_vec *vec = data;

	atomic_set(&vec->seen, iovsim_bar_read32(vec->dev->fn, PCITEST_BAR_REGS,
						 PCITEST_REG_RAISED));
	udelay(min(READ_ONCE(vec->dev->irq_delay_us), 1000U));
	atomic_inc(&vec->handled);
	wake_up(&vec->dev->dma_wq);
	return IRQ_HANDLED;
}

static int pcitest_get_user(const char __user *ubuf, size_t count, char *buf,
			    size_t size)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return 0;
}

static int pcitest_id_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;

	seq_printf(s, "id %#x nvec %u\n",
		   iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS, PCITEST_REG_ID),
		   iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS,
				     PCITEST_REG_NVEC));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcitest_id);

static int pcitest_counts_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;
	unsigned int v;

	for (v = 0; v < dev->nvec; v++)
		seq_printf(s, "%u %d %d %d\n", v, dev->vecs[v].irq,
			   atomic_read(&dev->vecs[v].handled),
			   atomic_read(&dev->vecs[v].seen));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcitest_counts);

/* Mean cost of one call in ns, over the best of a few rounds. */
static u64 pcitest_bench_cfg(struct pcitest_dev *dev, u32 *sink)
{
	u64 t0, best = U64_MAX;
	unsigned int r, i;
	u32 val;

	for (r = 0; r < PCITEST_BENCH_ROUNDS; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < PCITEST_BENCH_LOOPS; i++) {
			pci_read_config_dword(dev->pdev, PCI_VENDOR_ID, &val);
			*sink += val;
		}
		best = min(best, ktime_get_ns() - t0);
	}
	return div_u64(best, PCITEST_BENCH_LOOPS);
}

static u64 pcitest_bench_bar(struct pcitest_dev *dev, u32 *sink)
{
	u64 t0, best = U64_MAX;
	unsigned int r, i;

	for (r = 0; r < PCITEST_BENCH_ROUNDS; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < PCITEST_BENCH_LOOPS; i++)
			*sink += iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS,
						   PCITEST_REG_ID);
		best = min(best, ktime_get_ns() - t0);
	}
	return div_u64(best, PCITEST_BENCH_LOOPS);
}

static int pcitest_bench_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;
	u64 cfg_ns, bar_ns;
	u32 sink = 0;

	cfg_ns = pcitest_bench_cfg(dev, &sink);
	bar_ns = pcitest_bench_bar(dev, &sink);

	pci_info(dev->pdev,
		 "config read %llu ns, BAR accessor read %llu ns (best of %d rounds of %d, sink %u)\n",
		 cfg_ns, bar_ns, PCITEST_BENCH_ROUNDS, PCITEST_BENCH_LOOPS,
		 sink);
	seq_printf(s, "config_read_ns %llu\nbar_read_ns %llu\n", cfg_ns, bar_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcitest_bench);

static int pcitest_absent_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;
	u32 val = 0;
	int ret;

	ret = pci_bus_read_config_dword(dev->pdev->bus, PCI_DEVFN(31, 7),
					PCI_VENDOR_ID, &val);
	seq_printf(s, "%#x %d\n", val, ret);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcitest_absent);

static int pcitest_cfgop_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;

	mutex_lock(&dev->lock);
	seq_printf(s, "%#x %d\n", dev->cfgop_val, dev->cfgop_ret);
	mutex_unlock(&dev->lock);
	return 0;
}

static int pcitest_cfgop_open(struct inode *inode, struct file *file)
{
	return single_open(file, pcitest_cfgop_show, inode->i_private);
}

static ssize_t pcitest_cfgop_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = ((struct seq_file *)file->private_data)->private;
	struct pci_bus *bus = dev->pdev->bus;
	unsigned int devfn = dev->pdev->devfn;
	int where, size, ret;
	u32 val = 0;
	char op, buf[48];

	ret = pcitest_get_user(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%c %i %i %x", &op, &where, &size, &val) < 3 ||
	    (op != 'r' && op != 'w'))
		return -EINVAL;

	mutex_lock(&dev->lock);
	if (op == 'r') {
		dev->cfgop_ret = bus->ops->read(bus, devfn, where, size, &val);
		dev->cfgop_val = val;
	} else {
		dev->cfgop_ret = bus->ops->write(bus, devfn, where, size, val);
		dev->cfgop_val = 0;
	}
	mutex_unlock(&dev->lock);
	return count;
}

static const struct file_operations pcitest_cfgop_fops = {
	.owner		= THIS_MODULE,
	.open		= pcitest_cfgop_open,
	.read		= seq_read,
	.write		= pcitest_cfgop_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int pcitest_scratch_get(void *data, u64 *val)
{
	struct pcitest_dev *dev = data;

	*val = iovsim_bar_read64(dev->fn, PCITEST_BAR_REGS,
				 PCITEST_REG_SCRATCH);
	return 0;
}

static int pcitest_scratch_set(void *data, u64 val)
{
	struct pcitest_dev *dev = data;

	iovsim_bar_write64(dev->fn, PCITEST_BAR_REGS, PCITEST_REG_SCRATCH, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pcitest_scratch_fops, pcitest_scratch_get,
			 pcitest_scratch_set, "0x%016llx\n");

static int pcitest_doorbell_set(void *data, u64 val)
{
	struct pcitest_dev *dev = data;

	if (val > U32_MAX)
		return -ERANGE;
	iovsim_bar_write32(dev->fn, PCITEST_BAR_REGS, PCITEST_REG_DOORBELL,
			   val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pcitest_doorbell_fops, NULL, pcitest_doorbell_set,
			 "%llu\n");

#define PCITEST_STORM_MAX	100000

/**
 * struct pcitest_storm - one doorbell storm from every online CPU
 * @work: per CPU
 * @dev: the device
 * @vector: the vector to ring
 * @n: doorbells per CPU
 * @delay_us: how long after the start this CPU begins
 * @waiting: CPUs not yet at the starting line
 */
struct pcitest_storm {
	struct work_struct work;
	struct pcitest_dev *dev;
	unsigned int vector;
	unsigned int n;
	unsigned int delay_us;
	atomic_t *waiting;
};

static void pcitest_storm_work(struct work_struct *work)
{
	struct pcitest_storm *st = container_of(work, struct pcitest_storm,
						work);
	unsigned long end = jiffies + HZ;
	unsigned int i;

	/* all CPUs start together (or after a second, whatever happens) */
	atomic_dec(st->waiting);
	while (atomic_read(st->waiting) && time_before(jiffies, end))
		cpu_relax();
	udelay(st->delay_us);
	for (i = 0; i < st->n; i++)
		iovsim_bar_write32(st->dev->fn, PCITEST_BAR_REGS,
				   PCITEST_REG_DOORBELL, st->vector);
}

static ssize_t pcitest_storm_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	struct pcitest_storm *storms;
	unsigned int v, n, stagger, cpu, k = 0;
	atomic_t waiting;
	char buf[32];
	int ret;

	ret = pcitest_get_user(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%u %u %u", &v, &n, &stagger) != 3 || !n ||
	    n > PCITEST_STORM_MAX || stagger > 1000)
		return -EINVAL;
	storms = kcalloc(nr_cpu_ids, sizeof(*storms), GFP_KERNEL);
	if (!storms)
		return -ENOMEM;

	cpus_read_lock();
	atomic_set(&waiting, num_online_cpus());
	for_each_online_cpu(cpu) {
		storms[cpu] = (struct pcitest_storm){
			.dev = dev, .vector = v, .n = n,
			.delay_us = min(k++ * stagger, 5000U),
			.waiting = &waiting,
		};
		INIT_WORK(&storms[cpu].work, pcitest_storm_work);
		queue_work_on(cpu, system_highpri_wq, &storms[cpu].work);
	}
	for_each_online_cpu(cpu)
		flush_work(&storms[cpu].work);
	cpus_read_unlock();
	kfree(storms);
	return count;
}

static const struct file_operations pcitest_storm_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= pcitest_storm_write,
	.llseek	= noop_llseek,
};

static int pcitest_raised_get(void *data, u64 *val)
{
	struct pcitest_dev *dev = data;

	*val = iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS, PCITEST_REG_RAISED);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pcitest_raised_fops, pcitest_raised_get, NULL,
			 "%llu\n");

static ssize_t pcitest_mask_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	unsigned int v, mask;
	char buf[32];
	int ret;

	ret = pcitest_get_user(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%u %u", &v, &mask) != 2 || mask > 1)
		return -EINVAL;
	if (v >= dev->nvec)
		return -ERANGE;

	mutex_lock(&dev->lock);
	if (mask && !dev->vecs[v].masked)
		disable_irq(dev->vecs[v].irq);
	else if (!mask && dev->vecs[v].masked)
		enable_irq(dev->vecs[v].irq);
	dev->vecs[v].masked = mask;
	mutex_unlock(&dev->lock);
	return count;
}

static const struct file_operations pcitest_mask_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= pcitest_mask_write,
	.llseek	= noop_llseek,
};

static int pcitest_pending_show(struct seq_file *s, void *unused)
{
	struct pcitest_dev *dev = s->private;
	bool state;
	unsigned int v;
	int ret;

	for (v = 0; v < dev->nvec; v++) {
		ret = irq_get_irqchip_state(dev->vecs[v].irq,
					    IRQCHIP_STATE_PENDING, &state);
		seq_printf(s, "%u %d\n", v, ret ?: state);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcitest_pending);

#define PCITEST_SYNC_HOLD_MS	50

/**
 * struct pcitest_sync - one sync_raise
 * @dev: the device
 * @vector: the vector to ring
 * @state: 0 before the doorbell, 1 once rung, 2 when the other CPU is done
 */
struct pcitest_sync {
	struct pcitest_dev *dev;
	unsigned int vector;
	atomic_t state;
};

/* Hard interrupt context, on the other CPU: its irq_work waits for us. */
static void pcitest_sync_remote(void *data)
{
	struct pcitest_sync *sy = data;

	iovsim_bar_write32(sy->dev->fn, PCITEST_BAR_REGS, PCITEST_REG_DOORBELL,
			   sy->vector);
	atomic_set(&sy->state, 1);
	mdelay(PCITEST_SYNC_HOLD_MS);
	atomic_set_release(&sy->state, 2);
}

static ssize_t pcitest_sync_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	struct pcitest_sync sy = { .dev = dev };
	struct pcitest_vec *vec;
	unsigned int cpu;
	int n0, ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &sy.vector);
	if (ret)
		return ret;
	if (sy.vector >= dev->nvec)
		return -ERANGE;
	vec = &dev->vecs[sy.vector];

	cpus_read_lock();
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		ret = -ENODEV;	/* one CPU: nothing to race with */
		goto out;
	}
	n0 = atomic_read(&vec->handled);
	ret = smp_call_function_single(cpu, pcitest_sync_remote, &sy, 0);
	if (ret)
		goto out;
	while (!atomic_read(&sy.state))
		cpu_relax();
	synchronize_irq(vec->irq);
	WRITE_ONCE(dev->sync_result, atomic_read(&vec->handled) - n0);
	/* sy lives on this stack: wait for the other CPU to let go of it */
	while (atomic_read_acquire(&sy.state) != 2)
		cpu_relax();
out:
	cpus_read_unlock();
	return ret ?: count;
}

static ssize_t pcitest_sync_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", READ_ONCE(dev->sync_result));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations pcitest_sync_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= pcitest_sync_read,
	.write	= pcitest_sync_write,
	.llseek	= default_llseek,
};

static ssize_t pcitest_vmask_write(struct file *file,
				   const char __user *ubuf, size_t count,
				   loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	unsigned int v, mask;
	u64 off;
	u32 ctrl;
	char buf[32];
	int ret;

	ret = pcitest_get_user(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%u %u", &v, &mask) != 2 || mask > 1)
		return -EINVAL;
	if (v >= dev->nvec)
		return -ERANGE;

	off = v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL;
	mutex_lock(&dev->lock);
	ctrl = iovsim_bar_read32(dev->fn, PCITEST_BAR_MSIX, off);
	if (mask)
		ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		ctrl &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	iovsim_bar_write32(dev->fn, PCITEST_BAR_MSIX, off, ctrl);
	mutex_unlock(&dev->lock);
	return count;
}

static const struct file_operations pcitest_vmask_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= pcitest_vmask_write,
	.llseek	= noop_llseek,
};

static int pcitest_pba_get(void *data, u64 *val)
{
	struct pcitest_dev *dev = data;

	*val = iovsim_bar_read64(dev->fn, PCITEST_BAR_MSIX, PCITEST_PBA_OFF);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pcitest_pba_fops, pcitest_pba_get, NULL,
			 "%llx\n");

static int pcitest_dma_delay_get(void *data, u64 *val)
{
	struct pcitest_dev *dev = data;

	*val = iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS,
				 PCITEST_REG_DMA_DELAY);
	return 0;
}

static int pcitest_dma_delay_set(void *data, u64 val)
{
	struct pcitest_dev *dev = data;

	if (val > PCITEST_DMA_DELAY_MAX)
		return -ERANGE;
	iovsim_bar_write32(dev->fn, PCITEST_BAR_REGS, PCITEST_REG_DMA_DELAY,
			   val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pcitest_dma_delay_fops, pcitest_dma_delay_get,
			 pcitest_dma_delay_set, "%llu\n");

static u32 pcitest_dma_status(struct pcitest_dev *dev)
{
	return iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS,
				 PCITEST_REG_DMA_STATUS);
}

/*
 * Wait for the engine to be idle; false if it stays busy.  The completion
 * interrupt wakes us; a copy ended by a reset, or a completion while the
 * vector is masked, is seen by polling.
 */
static bool pcitest_dma_wait(struct pcitest_dev *dev)
{
	unsigned long end = jiffies + PCITEST_DMA_TIMEOUT;

	do {
		if (wait_event_timeout(dev->dma_wq,
				       pcitest_dma_status(dev) !=
				       PCITEST_DMA_BUSY, HZ / 50))
			return true;
	} while (time_before(jiffies, end));
	return false;
}

/* Run one copy; caller holds dev->lock. */
static int pcitest_dma_copy(struct pcitest_dev *dev, u64 dst, u64 src,
			    u32 len)
{
	struct iovsim_fn *fn = dev->fn;

	if (!pcitest_dma_wait(dev))
		return -ETIMEDOUT;
	iovsim_bar_write64(fn, PCITEST_BAR_REGS, PCITEST_REG_DMA_SRC, src);
	iovsim_bar_write64(fn, PCITEST_BAR_REGS, PCITEST_REG_DMA_DST, dst);
	iovsim_bar_write32(fn, PCITEST_BAR_REGS, PCITEST_REG_DMA_LEN, len);
	iovsim_bar_write32(fn, PCITEST_BAR_REGS, PCITEST_REG_DMA_CMD,
			   PCITEST_DMA_START | 0);
	if (!pcitest_dma_wait(dev))
		return -ETIMEDOUT;

	switch (pcitest_dma_status(dev)) {
	case PCITEST_DMA_DONE:
		return 0;
	case PCITEST_DMA_ERR_LEN:
		return -EINVAL;
	case PCITEST_DMA_ERR_FAULT:
		return -EFAULT;
	default:	/* bus mastering off, reset under our feet */
		return -EIO;
	}
}

static bool pcitest_in_buf(u64 off, u64 len)
{
	return off <= PCITEST_DMA_BUF_SIZE && len <= PCITEST_DMA_BUF_SIZE - off;
}

static ssize_t pcitest_dma_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	u64 src, dst, len;
	bool to_buf = true, from_buf = true;
	char buf[80];
	int ret;

	ret = pcitest_get_user(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "from %llx %llu %llu", &src, &dst, &len) == 3)
		from_buf = false;
	else if (sscanf(buf, "to %llu %llx %llu", &src, &dst, &len) == 3)
		to_buf = false;
	else if (sscanf(buf, "%llu %llu %llu", &src, &dst, &len) != 3)
		return -EINVAL;

	if ((from_buf && !pcitest_in_buf(src, len)) ||
	    (to_buf && !pcitest_in_buf(dst, len)) || len > U32_MAX)
		return -ERANGE;
	/* Only the engine may refuse a destination outside the buffer. */
	if (!to_buf && len && dst + len > dst &&
	    region_intersects(dst, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return -EPERM;
	if (from_buf)
		src += dev->buf_dma;
	if (to_buf)
		dst += dev->buf_dma;

	mutex_lock(&dev->lock);
	ret = pcitest_dma_copy(dev, dst, src, len);
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

static ssize_t pcitest_dma_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;
	char buf[80];
	int len;

	len = scnprintf(buf, sizeof(buf), "copied %u status %u refused %lu\n",
			iovsim_bar_read32(dev->fn, PCITEST_BAR_REGS,
					  PCITEST_REG_DMA_COPIED),
			pcitest_dma_status(dev),
			iovsim_fn_dma_refused(dev->fn));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations pcitest_dma_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= pcitest_dma_read,
	.write	= pcitest_dma_write,
	.llseek	= default_llseek,
};

static ssize_t pcitest_buf_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, dev->buf,
				       PCITEST_DMA_BUF_SIZE);
}

static ssize_t pcitest_buf_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct pcitest_dev *dev = file->private_data;

	return simple_write_to_buffer(dev->buf, PCITEST_DMA_BUF_SIZE, ppos,
				      ubuf, count);
}

static const struct file_operations pcitest_buf_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= pcitest_buf_read,
	.write	= pcitest_buf_write,
	.llseek	= default_llseek,
};

static void pcitest_debugfs_init(struct pcitest_dev *dev)
{
	dev->dir = debugfs_create_dir(pci_name(dev->pdev), pcitest_debugfs);
	debugfs_create_file("id", 0400, dev->dir, dev, &pcitest_id_fops);
	debugfs_create_file("counts", 0400, dev->dir, dev,
			    &pcitest_counts_fops);
	debugfs_create_file("bench", 0400, dev->dir, dev,
			    &pcitest_bench_fops);
	debugfs_create_file("cfgop", 0600, dev->dir, dev, &pcitest_cfgop_fops);
	debugfs_create_file("absent", 0400, dev->dir, dev,
			    &pcitest_absent_fops);
	debugfs_create_file_unsafe("scratch", 0600, dev->dir, dev,
				   &pcitest_scratch_fops);
	debugfs_create_file_unsafe("doorbell", 0200, dev->dir, dev,
				   &pcitest_doorbell_fops);
	debugfs_create_file("mask", 0200, dev->dir, dev, &pcitest_mask_fops);
	debugfs_create_file("vmask", 0200, dev->dir, dev, &pcitest_vmask_fops);
	debugfs_create_file_unsafe("pba", 0400, dev->dir, dev,
				   &pcitest_pba_fops);
	debugfs_create_file("pending", 0400, dev->dir, dev,
			    &pcitest_pending_fops);
	debugfs_create_file("sync_raise", 0600, dev->dir, dev,
			    &pcitest_sync_fops);
	debugfs_create_file("storm", 0200, dev->dir, dev, &pcitest_storm_fops);
	debugfs_create_file_unsafe("raised", 0400, dev->dir, dev,
				   &pcitest_raised_fops);
	debugfs_create_u32("irq_delay_us", 0600, dev->dir, &dev->irq_delay_us);
	debugfs_create_file("dma", 0600, dev->dir, dev, &pcitest_dma_fops);
	debugfs_create_file_unsafe("dma_delay_ms", 0600, dev->dir, dev,
				   &pcitest_dma_delay_fops);
	debugfs_create_file_size("dma_buf", 0600, dev->dir, dev,
				 &pcitest_buf_fops, PCITEST_DMA_BUF_SIZE);
}

/*
 * A reset of the function cleared MSI-X Enable, which the PCI core does
 * not restore for a driver outside the MSI core.
 */
static void pcitest_reset_done(struct pci_dev *pdev)
{
	iovsim_fn_msix_enable(pdev, true);
}

static const struct pci_error_handlers pcitest_err_handlers = {
	.reset_done	= pcitest_reset_done,
};

static void pcitest_free_irqs(struct pcitest_dev *dev, unsigned int n)
{
	while (n--) {
		if (dev->vecs[n].masked)
			enable_irq(dev->vecs[n].irq);
		free_irq(dev->vecs[n].irq, &dev->vecs[n]);
	}
}

static int pcitest_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(pdev);
	struct pcitest_dev *dev;
	unsigned int v, nvec;
	u32 devid;
	int ret;

	if (!fn)
		return -ENODEV;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;

	devid = iovsim_bar_read32(fn, PCITEST_BAR_REGS, PCITEST_REG_ID);
	if (devid != PCITEST_ID) {
		pci_err(pdev, "unexpected ID register %#x\n", devid);
		ret = -ENODEV;
		goto err_disable;
	}

	nvec = iovsim_fn_nr_irqs(fn);
	dev = kzalloc(struct_size(dev, vecs, nvec), GFP_KERNEL);
	if (!dev) {
		ret = -ENOMEM;
		goto err_disable;
	}
	dev->nvec = nvec;
	dev->pdev = pdev;
	dev->fn = fn;
	mutex_init(&dev->lock);
	init_waitqueue_head(&dev->dma_wq);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_free;
	dev->buf = dma_alloc_coherent(&pdev->dev, PCITEST_DMA_BUF_SIZE,
				      &dev->buf_dma, GFP_KERNEL);
	if (!dev->buf) {
		ret = -ENOMEM;
		goto err_free;
	}

	for (v = 0; v < nvec; v++) {
		dev->vecs[v].dev = dev;
		dev->vecs[v].irq = iovsim_fn_irq(fn, v);
		ret = request_irq(dev->vecs[v].irq, pcitest_irq, 0,
				  KBUILD_MODNAME, &dev->vecs[v]);
		if (ret)
			goto err_irqs;
	}

	pci_set_master(pdev);
	iovsim_fn_msix_enable(pdev, true);
	pci_set_drvdata(pdev, dev);
	pcitest_debugfs_init(dev);
	pci_info(pdev, "test function, %u vectors\n", nvec);
	return 0;

err_irqs:
	pcitest_free_irqs(dev, v);
	dma_free_coherent(&pdev->dev, PCITEST_DMA_BUF_SIZE, dev->buf,
			  dev->buf_dma);
err_free:
	mutex_destroy(&dev->lock);
	kfree(dev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void pcitest_remove(struct pci_dev *pdev)
{
	struct pcitest_dev *dev = pci_get_drvdata(pdev);

	/* Waits for debugfs operations in progress, so for their copies. */
	debugfs_remove_recursive(dev->dir);
	/* Never free memory the device may still write to. */
	if (pcitest_dma_wait(dev))
		dma_free_coherent(&pdev->dev, PCITEST_DMA_BUF_SIZE, dev->buf,
				  dev->buf_dma);
	else
		pci_warn(pdev, "DMA engine stuck busy: buffer leaked\n");
	pci_clear_master(pdev);
	iovsim_fn_msix_enable(pdev, false);
	pcitest_free_irqs(dev, dev->nvec);
	mutex_destroy(&dev->lock);
	kfree(dev);
	pci_disable_device(pdev);
}

static const struct pci_device_id pcitest_ids[] = {
	{ PCI_DEVICE(IOVSIM_PCI_VENDOR_ID, IOVSIM_PCI_DEVICE_ID_PCITEST) },
	{ }
};

static struct pci_driver pcitest_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= pcitest_ids,
	.probe		= pcitest_probe,
	.remove		= pcitest_remove,
	.err_handler	= &pcitest_err_handlers,
};

int pcitest_driver_init(void)
{
	int ret;

	pcitest_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&pcitest_driver);
	if (ret)
		debugfs_remove_recursive(pcitest_debugfs);
	return ret;
}

void pcitest_driver_exit(void)
{
	pci_unregister_driver(&pcitest_driver);
	debugfs_remove_recursive(pcitest_debugfs);
}
