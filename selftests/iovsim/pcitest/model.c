// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iovsim test function model: identification and scratch registers,
 * a doorbell that raises a chosen MSI-X vector, a DMA copy engine that
 * reaches driver memory through iovsim_ring's in-host DMA context while
 * the host lets it master the bus, function-level reset.  The host
 * emulates the MSI-X table and PBA.  Instantiated through configfs
 * (/sys/kernel/config/iovsim/pcitest/<dev>/ with nvec and revision) and
 * at load time (module parameter nr_fns).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <iovsim/dma.h>
#include <iovsim/pcihost.h>
#include <uapi/iovsim/pci_ids.h>

#include "pcitest.h"

/**
 * struct pcitest_state - model state of one test function
 * @fn: the function
 * @dma: in-host DMA context: driver memory is reached through it only
 * @dma_work: runs a copy, in process context, as a device would run it
 *	alongside the CPU
 * @lock: protects the registers below.  A raw spinlock: ->reset runs with
 *	the PCI core's raw pci_lock held on a user configuration write (an
 *	FLR through setpci), and BAR accessors come from any context.  Only
 *	queue_work(), whose pool lock is raw too, is called under it.
 * @nvec: MSI-X table size
 * @scratch: scratch register bytes
 * @raised: doorbells rung since the last reset
 * @dma_regs: DMA_SRC, DMA_DST and DMA_LEN as written by the driver
 * @dma_status: DMA_STATUS
 * @dma_copied: DMA_COPIED
 * @dma_vector: vector to raise when the running copy ends
 * @dma_src: source of the running copy, latched at START
 * @dma_dst: destination of the running copy
 * @dma_len: length of the running copy
 * @dma_delay: DMA_DELAY
 * @dma_abort: set while a reset aborts the running copy
 * @gen: bumped by each reset: a copy started before it reports nothing
 */
struct pcitest_state {
	struct iovsim_fn *fn;
	struct iovsim_dma dma;
	struct work_struct dma_work;
	raw_spinlock_t lock;	/* protects the fields below */
	unsigned int nvec;
	u8 scratch[PCITEST_SCRATCH_SIZE];
	u32 raised;
	u8 dma_regs[PCITEST_DMA_REGS_SIZE];
	u32 dma_status;
	u32 dma_copied;
	u32 dma_vector;
	u64 dma_src;
	u64 dma_dst;
	u32 dma_len;
	u32 dma_delay;
	bool dma_abort;
	u32 gen;
};

static u64 pcitest_get(const u8 *p, unsigned int size)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		val |= (u64)p[i] << (8 * i);
	return val;
}

static void pcitest_put(u8 *p, unsigned int size, u64 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		p[i] = val >> (8 * i);
}

/* Where the byte-addressed storage registers of BAR0 are, or NULL. */
static u8 *pcitest_storage(struct pcitest_state *st, u64 off,
			   unsigned int size)
{
	if (off >= PCITEST_REG_SCRATCH &&
	    off + size <= PCITEST_REG_SCRATCH + PCITEST_SCRATCH_SIZE)
		return &st->scratch[off - PCITEST_REG_SCRATCH];
	if (off >= PCITEST_REG_DMA_SRC &&
	    off + size <= PCITEST_REG_DMA_SRC + PCITEST_DMA_REGS_SIZE)
		return &st->dma_regs[off - PCITEST_REG_DMA_SRC];
	return NULL;
}

static u64 pcitest_regs_read(struct pcitest_state *st, u64 off,
			     unsigned int size)
{
	u8 *p = pcitest_storage(st, off, size);

	if (p)
		return pcitest_get(p, size);
	if (size != 4)
		return 0;
	switch (off) {
	case PCITEST_REG_ID:
		return PCITEST_ID;
	case PCITEST_REG_NVEC:
		return st->nvec;
	case PCITEST_REG_RAISED:
		return st->raised;
	case PCITEST_REG_DMA_STATUS:
		return st->dma_status;
	case PCITEST_REG_DMA_COPIED:
		return st->dma_copied;
	case PCITEST_REG_DMA_DELAY:
		return st->dma_delay;
	}
	return 0;
}

/* START written to DMA_CMD; caller holds st->lock. */
static void pcitest_dma_start(struct pcitest_state *st, u32 cmd)
{
	if (!(cmd & PCITEST_DMA_START) || st->dma_status == PCITEST_DMA_BUSY)
		return;
	st->dma_src = pcitest_get(&st->dma_regs[0], 8);
	st->dma_dst = pcitest_get(&st->dma_regs[8], 8);
	st->dma_len = pcitest_get(&st->dma_regs[16], 4);
	st->dma_vector = cmd & PCITEST_DMA_VECTOR;
	st->dma_status = PCITEST_DMA_BUSY;
	queue_work(system_unbound_wq, &st->dma_work);
}

/*
 * The copy itself, while the host lets the function master the bus (Bus
 * Master Enable set, D0, no reset under way): the bus is held DMA_DELAY
 * ms first, unless pcitest_quiesce() aborts the copy.  Both ranges are
 * validated before a byte moves, so a refused copy writes nothing;
 * iovsim_ring maps one page at a time and never touches anything but
 * host RAM.
 */
static u32 pcitest_dma_run(struct pcitest_state *st, u64 dst, u64 src,
			   u32 len, u32 delay)
{
	unsigned long end = jiffies + msecs_to_jiffies(delay);
	u32 status = PCITEST_DMA_DONE;

	if (!len || len > PCITEST_DMA_MAX)
		return PCITEST_DMA_ERR_LEN;
	if (iovsim_fn_dma_begin(st->fn))
		return PCITEST_DMA_ERR_MASTER;
	while (delay && time_before(jiffies, end) && !READ_ONCE(st->dma_abort))
		usleep_range(1000, 2000);
	if (READ_ONCE(st->dma_abort))
		status = PCITEST_DMA_IDLE;
	else if (iovsim_dma_check(&st->dma, src, len) ||
		 iovsim_dma_check(&st->dma, dst, len) ||
		 iovsim_dma_copy(&st->dma, dst, src, len))
		status = PCITEST_DMA_ERR_FAULT;
	iovsim_fn_dma_end(st->fn);
	return status;
}

static void pcitest_dma_work(struct work_struct *work)
{
	struct pcitest_state *st =
		container_of(work, struct pcitest_state, dma_work);
	u32 gen, len, vector, status, delay;
	unsigned long flags;
	u64 src, dst;

	raw_spin_lock_irqsave(&st->lock, flags);
	gen = st->gen;
	src = st->dma_src;
	dst = st->dma_dst;
	len = st->dma_len;
	vector = st->dma_vector;
	delay = st->dma_delay;
	raw_spin_unlock_irqrestore(&st->lock, flags);

	status = pcitest_dma_run(st, dst, src, len, delay);

	raw_spin_lock_irqsave(&st->lock, flags);
	if (gen != st->gen) {
		st->dma_status = PCITEST_DMA_IDLE;
		raw_spin_unlock_irqrestore(&st->lock, flags);
		return;
	}
	st->dma_status = status;
	if (status == PCITEST_DMA_DONE)
		st->dma_copied++;
	raw_spin_unlock_irqrestore(&st->lock, flags);

	iovsim_fn_raise_irq(st->fn, vector);
}

static u64 pcitest_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
			    unsigned int size)
{
	struct pcitest_state *st = iovsim_fn_priv(fn);
	unsigned long flags;
	u64 val = 0;

	raw_spin_lock_irqsave(&st->lock, flags);
	if (bar == PCITEST_BAR_REGS)
		val = pcitest_regs_read(st, off, size);
	raw_spin_unlock_irqrestore(&st->lock, flags);
	return val;
}

static void pcitest_bar_write(struct iovsim_fn *fn, unsigned int bar,
			      u64 off, unsigned int size, u64 val)
{
	struct pcitest_state *st = iovsim_fn_priv(fn);
	bool ring = false;
	unsigned long flags;
	u8 *p;

	raw_spin_lock_irqsave(&st->lock, flags);
	if (bar == PCITEST_BAR_REGS) {
		p = pcitest_storage(st, off, size);
		if (p) {
			pcitest_put(p, size, val);
		} else if (off == PCITEST_REG_DOORBELL && size == 4) {
			st->raised++;
			ring = true;
		} else if (off == PCITEST_REG_DMA_CMD && size == 4) {
			pcitest_dma_start(st, val);
		} else if (off == PCITEST_REG_DMA_DELAY && size == 4) {
			st->dma_delay = min_t(u64, val, PCITEST_DMA_DELAY_MAX);
		}
	}
	raw_spin_unlock_irqrestore(&st->lock, flags);

	if (ring)
		iovsim_fn_raise_irq(fn, val);
}

static void pcitest_reset(struct iovsim_fn *fn)
{
	struct pcitest_state *st = iovsim_fn_priv(fn);
	unsigned long flags;

	raw_spin_lock_irqsave(&st->lock, flags);
	memset(st->scratch, 0, sizeof(st->scratch));
	memset(st->dma_regs, 0, sizeof(st->dma_regs));
	st->raised = 0;
	/*
	 * A copy in flight is aborted by pcitest_quiesce(), which the host
	 * calls next, before the reset completes; until then DMA_STATUS
	 * stays BUSY, so a driver waiting for the engine to be idle before
	 * it frees its buffers is safe.
	 */
	if (st->dma_status != PCITEST_DMA_BUSY)
		st->dma_status = PCITEST_DMA_IDLE;
	st->dma_copied = 0;
	st->dma_delay = 0;
	st->gen++;
	raw_spin_unlock_irqrestore(&st->lock, flags);
}

/* Second half of a reset, in process context: abort the running copy. */
static void pcitest_quiesce(struct iovsim_fn *fn)
{
	struct pcitest_state *st = iovsim_fn_priv(fn);
	unsigned long flags;

	WRITE_ONCE(st->dma_abort, true);
	cancel_work_sync(&st->dma_work);
	raw_spin_lock_irqsave(&st->lock, flags);
	st->dma_status = PCITEST_DMA_IDLE;
	raw_spin_unlock_irqrestore(&st->lock, flags);
	WRITE_ONCE(st->dma_abort, false);
}

static void pcitest_release(struct iovsim_fn *fn)
{
	struct pcitest_state *st = iovsim_fn_priv(fn);

	cancel_work_sync(&st->dma_work);
	kfree(st);
}

static const struct iovsim_fn_ops pcitest_fn_ops = {
	.bar_read	= pcitest_bar_read,
	.bar_write	= pcitest_bar_write,
	.reset		= pcitest_reset,
	.quiesce	= pcitest_quiesce,
	.release	= pcitest_release,
};

static bool endpoint;
module_param(endpoint, bool, 0444);
MODULE_PARM_DESC(endpoint, "functions are PCI Express endpoints with a link (default: root complex integrated endpoints)");

static int pcitest_build(struct iovsim_fn *fn, unsigned int nvec, u8 rev)
{
	u8 vndr[PCITEST_VNDR_LEN] = { 0 };
	int ret, cap;

	iovsim_cfg_set_ids(fn, IOVSIM_PCI_VENDOR_ID,
			   IOVSIM_PCI_DEVICE_ID_PCITEST, IOVSIM_PCI_VENDOR_ID,
			   IOVSIM_PCI_DEVICE_ID_PCITEST,
			   PCI_CLASS_OTHERS << 16, rev);
	iovsim_fn_set_driver(fn, KBUILD_MODNAME);

	ret = iovsim_cfg_add_bar(fn, PCITEST_BAR_REGS, PCITEST_BAR_SIZE);
	if (ret)
		return ret;
	ret = iovsim_cfg_add_bar(fn, PCITEST_BAR_MSIX, PCITEST_BAR_SIZE);
	if (ret)
		return ret;

	ret = iovsim_cfg_add_pcie(fn, endpoint ? IOVSIM_PCIE_ENDPOINT :
					IOVSIM_PCIE_RCIEP);
	if (ret < 0)
		return ret;
	ret = iovsim_cfg_add_pm(fn);
	if (ret < 0)
		return ret;
	ret = iovsim_cfg_add_msix(fn, nvec, PCITEST_BAR_MSIX, 0,
				  PCITEST_BAR_MSIX, PCITEST_PBA_OFF);
	if (ret < 0)
		return ret;

	pcitest_put(&vndr[PCITEST_VNDR_W1C - 3], 4, PCITEST_W1C_INIT);
	cap = iovsim_cfg_add_vendor(fn, vndr, sizeof(vndr));
	if (cap < 0)
		return cap;
	ret = iovsim_cfg_set_masks(fn, cap + PCITEST_VNDR_RW, 4, ~0U, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, cap + PCITEST_VNDR_HALF, 4,
					   PCITEST_HALF_WMASK, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, cap + PCITEST_VNDR_W1C, 4,
					   0, ~0U);
	if (ret)
		return ret;

	/* An extended capability too, so lspci shows the 4 KiB space. */
	ret = iovsim_cfg_add_ext_cap(fn, PCI_EXT_CAP_ID_VNDR, 1, 8);
	if (ret < 0)
		return ret;
	iovsim_cfg_write(fn, ret + 4, 4, 8 << 20 | 1);	/* ID 1, rev 0, length 8 */
	return 0;
}

struct iovsim_fn *pcitest_model_create(unsigned int nvec, u8 revision)
{
	struct pcitest_state *st;
	struct iovsim_fn *fn;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&st->lock);
	INIT_WORK(&st->dma_work, pcitest_dma_work);
	iovsim_dma_init_host(&st->dma);
	st->nvec = nvec;

	fn = iovsim_fn_alloc(THIS_MODULE, &pcitest_fn_ops, st);
	if (IS_ERR(fn)) {
		kfree(st);
		return fn;
	}
	st->fn = fn;
	/* From here the function owns st: ->release frees it. */
	ret = pcitest_build(fn, nvec, revision);
	if (ret) {
		iovsim_fn_discard(fn);
		return ERR_PTR(ret);
	}
	return fn;
}

/* configfs */

struct pcitest_params {
	unsigned int nvec;
	u8 revision;
};

static void *pcitest_params_alloc(void)
{
	struct pcitest_params *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p)
		p->nvec = 4;
	return p;
}

static void pcitest_params_free(void *params)
{
	kfree(params);
}

static struct iovsim_fn *pcitest_cfs_create(void *params)
{
	struct pcitest_params *p = params;

	return pcitest_model_create(p->nvec, p->revision);
}

static ssize_t pcitest_show(struct config_item *item, char *page,
			    bool nvec)
{
	struct pcitest_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret;

	ret = sysfs_emit(page, "%u\n", nvec ? p->nvec : p->revision);
	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t pcitest_store(struct config_item *item, const char *page,
			     size_t count, bool nvec)
{
	const char *name = nvec ? "nvec" : "revision";
	unsigned int min = nvec ? 1 : 0;
	unsigned int max = nvec ? PCITEST_MAX_VECTORS : 0xff;
	struct pcitest_params *p;
	unsigned int val;
	int ret;

	ret = kstrtouint(page, 0, &val);
	if (ret) {
		pr_warn("%s: %s: not a number\n", config_item_name(item), name);
		return ret;
	}
	if (val < min || val > max) {
		pr_warn("%s: %s: %u out of range %u..%u\n",
			config_item_name(item), name, val, min, max);
		return -ERANGE;
	}

	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (nvec)
		p->nvec = val;
	else
		p->revision = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t pcitest_nvec_show(struct config_item *item, char *page)
{
	return pcitest_show(item, page, true);
}

static ssize_t pcitest_nvec_store(struct config_item *item, const char *page,
				  size_t count)
{
	return pcitest_store(item, page, count, true);
}

static ssize_t pcitest_revision_show(struct config_item *item, char *page)
{
	return pcitest_show(item, page, false);
}

static ssize_t pcitest_revision_store(struct config_item *item,
				      const char *page, size_t count)
{
	return pcitest_store(item, page, count, false);
}

CONFIGFS_ATTR(pcitest_, nvec);
CONFIGFS_ATTR(pcitest_, revision);

static struct configfs_attribute *pcitest_attrs[] = {
	&pcitest_attr_nvec,
	&pcitest_attr_revision,
	NULL,
};

static struct iovsim_model pcitest_model = {
	.name		= "pcitest",
	.owner		= THIS_MODULE,
	.attrs		= pcitest_attrs,
	.params_alloc	= pcitest_params_alloc,
	.params_free	= pcitest_params_free,
	.create		= pcitest_cfs_create,
};

/* Load-time functions */

static unsigned int nr_fns;
module_param(nr_fns, uint, 0444);
MODULE_PARM_DESC(nr_fns, "test functions to add at load time (0-8)");

#define PCITEST_MAX_LOAD_FNS	8
static struct iovsim_fn *pcitest_load_fns[PCITEST_MAX_LOAD_FNS];

static void pcitest_load_fns_remove(void)
{
	unsigned int i;

	for (i = 0; i < PCITEST_MAX_LOAD_FNS; i++) {
		if (pcitest_load_fns[i])
			iovsim_fn_remove(pcitest_load_fns[i]);
		pcitest_load_fns[i] = NULL;
	}
}

int pcitest_model_init(void)
{
	struct iovsim_fn *fn;
	unsigned int i;
	int ret;

	if (nr_fns > PCITEST_MAX_LOAD_FNS) {
		pr_err("nr_fns %u out of range 0..%d\n", nr_fns,
		       PCITEST_MAX_LOAD_FNS);
		return -ERANGE;
	}

	for (i = 0; i < nr_fns; i++) {
		fn = pcitest_model_create(4, 0);
		if (IS_ERR(fn)) {
			ret = PTR_ERR(fn);
			goto err_remove;
		}
		ret = iovsim_fn_add(fn, -1);
		if (ret) {
			iovsim_fn_discard(fn);
			goto err_remove;
		}
		pcitest_load_fns[i] = fn;
	}

	ret = iovsim_model_register(&pcitest_model);
	if (ret)
		goto err_remove;
	return 0;

err_remove:
	pcitest_load_fns_remove();
	return ret;
}

void pcitest_model_exit(void)
{
	iovsim_model_unregister(&pcitest_model);
	pcitest_load_fns_remove();
}
