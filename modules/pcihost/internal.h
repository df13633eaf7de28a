/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_pcihost internals shared by the files of the module.
 */
#ifndef _IOVSIM_PCIHOST_INTERNAL_H
#define _IOVSIM_PCIHOST_INTERNAL_H

#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <iovsim/pcihost.h>

#define IOVSIM_CFG_SIZE		PCI_CFG_SPACE_EXP_SIZE
#define IOVSIM_NR_BARS		PCI_STD_NUM_BARS
#define IOVSIM_MAX_VECTORS	2048	/* MSI-X table size limit */
#define IOVSIM_VECTOR_BITS	11

/**
 * struct iovsim_cfg - emulated configuration space of one function
 * @data: current contents
 * @wmask: bits a configuration write may change
 * @w1cmask: bits a configuration write of 1 clears (RW1C)
 * @init: contents at iovsim_fn_add() time, restored by a function-level reset
 * @cap_free: offset of the next free byte for a standard capability
 * @cap_last: offset of the last standard capability, 0 if none
 * @ecap_free: offset of the next free byte for an extended capability
 * @ecap_last: offset of the last extended capability, 0 if none
 *
 * Protected by &iovsim_fn.cfg_lock once the function is added; before
 * that only the model building it touches it.
 */
struct iovsim_cfg {
	u8 data[IOVSIM_CFG_SIZE];
	u8 wmask[IOVSIM_CFG_SIZE];
	u8 w1cmask[IOVSIM_CFG_SIZE];
	u8 init[IOVSIM_CFG_SIZE];
	unsigned int cap_free;
	unsigned int cap_last;
	unsigned int ecap_free;
	unsigned int ecap_last;
};

/**
 * struct iovsim_fn - one emulated PCI function
 * @ref: references: the model's (from iovsim_fn_alloc()) and any taken
 *	with iovsim_fn_get()
 * @owner: module of the model
 * @ops: model callbacks
 * @priv: model private data
 * @cfg_lock: protects @cfg.  A raw spinlock: the PCI core calls the config
 *	accessors with interrupts off, possibly under its raw pci_lock.
 * @cfg: emulated configuration space
 * @bar_size: size of each BAR, 0 if unimplemented
 * @pcie_cap: offset of the PCI Express capability, 0 if none
 * @msix_cap: offset of the MSI-X capability, 0 if none
 * @msix_max: MSI-X table size it was built with (its IRQs and the
 *	emulated table are this big; Table Size may read less)
 * @pm_cap: offset of the power management capability, 0 if none
 * @driver: driver_override given to the function's pci_dev, "none" unless
 *	the model names its driver
 * @devfn: device/function number on its bus once added, else -1
 * @busnr: its bus number: 0 (the root bus), or for a VF the bus its PF
 *	places its VFs on
 * @owner_pinned: @owner is pinned because a driver of another module is
 *	bound to the function.  Only touched by the bus notifier, which the
 *	driver core serializes per device under the device lock.
 * @hwirq_base: first hwirq of the function in the host's irq domain
 * @nr_irqs: number of Linux IRQs (the MSI-X table size)
 * @irqs: Linux IRQ number of each vector
 * @irq_pending: vectors raised but not yet delivered
 * @irq_masked: vectors masked by the irq chip (disable_irq())
 * @irq_vmasked: vectors whose MSI-X table entry has its Mask bit set
 * @msix_lock: serializes writes to @msix_table; a raw spinlock, since the
 *	BAR accessors are called from any context
 * @msix_table: the MSI-X table, @nr_irqs entries of PCI_MSIX_ENTRY_SIZE
 *	bytes; the host emulates it and the PBA, not the model
 * @msix_table_bar: BAR of @msix_table
 * @msix_table_off: offset of @msix_table in its BAR
 * @msix_pba_bar: BAR of the pending bit array, which reads @irq_pending
 * @msix_pba_off: offset of the PBA in its BAR
 * @irq_busy: vectors whose handler a CPU is running for us; that CPU
 *	delivers every raise latched meanwhile (iovsim_irq_deliver())
 * @irqs_dead: set (before an RCU grace period) when the IRQs go away;
 *	iovsim_fn_raise_irq() checks it under rcu_read_lock()
 * @irq_work: delivers pending vectors in hard interrupt context
 * @id: index of the function in the host, for @hwirq_base
 * @resetting: a function-level reset is under way: set under @cfg_lock
 *	by the configuration write that starts it, cleared by @reset_work
 * @reset_work: second half of a function-level reset, in process context
 * @dma_active: DMA transfers of the model under way (iovsim_fn_dma_begin())
 * @dma_refused: DMA transfers refused because the function may not
 *	master the bus
 * @dma: DMA context a passthrough driver gave the model
 *	(iovsim_fn_set_dma()), NULL for the model's own
 * @sriov_cap: PF: offset of its SR-IOV extended capability, else 0
 * @total_vfs: PF: TotalVFs, the length of @vfs
 * @vfs: PF: its VFs by index, each holding a reference the PF owns while
 *	it is attached (sriov.c); entries only change while the PF is not
 *	on the bus
 * @pf: VF: its PF, referenced, else NULL
 * @vf_index: VF: its index among the PF's VFs
 */
struct iovsim_fn {
	struct kref ref;
	struct module *owner;
	const struct iovsim_fn_ops *ops;
	void *priv;

	raw_spinlock_t cfg_lock;
	struct iovsim_cfg *cfg;
	u64 bar_size[IOVSIM_NR_BARS];
	unsigned int pcie_cap;
	unsigned int msix_cap;
	unsigned int msix_max;
	unsigned int pm_cap;

	const char *driver;
	int devfn;
	int busnr;
	bool owner_pinned;

	unsigned long hwirq_base;
	unsigned int nr_irqs;
	unsigned int *irqs;
	unsigned long *irq_pending;
	unsigned long *irq_masked;
	unsigned long *irq_vmasked;
	raw_spinlock_t msix_lock;
	u8 *msix_table;
	unsigned int msix_table_bar;
	u32 msix_table_off;
	unsigned int msix_pba_bar;
	u32 msix_pba_off;
	unsigned long *irq_busy;
	bool irqs_dead;
	struct irq_work irq_work;
	int id;

	bool resetting;
	struct work_struct reset_work;
	atomic_t dma_active;
	atomic_long_t dma_refused;
	const struct iovsim_dma *dma;

	unsigned int sriov_cap;
	unsigned int total_vfs;
	struct iovsim_fn **vfs;
	struct iovsim_fn *pf;
	unsigned int vf_index;
};

/* Little-endian register access to configuration space bytes. */
static inline u32 cfg_get(const u8 *p, unsigned int where, unsigned int size)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		val |= (u32)p[where + i] << (8 * i);
	return val;
}

static inline void cfg_put(u8 *p, unsigned int where, unsigned int size,
			   u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		p[where + i] = val >> (8 * i);
}

/*
 * Is VF @vf enabled: its PF's VF Enable set and its index below NumVFs.
 * A VF that is not answers nothing: no configuration, BAR or DMA cycle.
 * Sampled without the PF's cfg_lock.  Any context; caller holds a
 * reference to @vf (which holds its PF).
 */
static inline bool iovsim_vf_enabled(struct iovsim_fn *vf)
{
	const u8 *d = vf->pf->cfg->data;
	unsigned int cap = vf->pf->sriov_cap;
	u16 num;

	if (!(READ_ONCE(d[cap + PCI_SRIOV_CTRL]) & PCI_SRIOV_CTRL_VFE))
		return false;
	num = READ_ONCE(d[cap + PCI_SRIOV_NUM_VF]) |
	      READ_ONCE(d[cap + PCI_SRIOV_NUM_VF + 1]) << 8;
	return vf->vf_index < num;
}

/* Is @fn a PF with VF Enable set.  Any context. */
static inline bool iovsim_sriov_vfe(struct iovsim_fn *fn)
{
	return fn->sriov_cap &&
	       (READ_ONCE(fn->cfg->data[fn->sriov_cap + PCI_SRIOV_CTRL]) &
		PCI_SRIOV_CTRL_VFE);
}

/*
 * May @fn issue memory requests (DMA, MSI-X messages) now: Bus Master
 * Enable set, in D0, not being reset.  Single bytes of the configuration
 * space are sampled without cfg_lock.  Any context.
 */
static inline bool iovsim_fn_may_master(struct iovsim_fn *fn)
{
	const u8 *d = fn->cfg->data;

	if (READ_ONCE(fn->resetting))
		return false;
	if (fn->pf && !iovsim_vf_enabled(fn))
		return false;
	if (!(READ_ONCE(d[PCI_COMMAND]) & PCI_COMMAND_MASTER))
		return false;
	/* PowerState 0 is D0 */
	return !fn->pm_cap ||
	       !(READ_ONCE(d[fn->pm_cap + PCI_PM_CTRL]) &
		 PCI_PM_CTRL_STATE_MASK);
}

/* cfgspace.c */
int iovsim_cfg_init(struct iovsim_fn *fn);
void iovsim_cfg_free(struct iovsim_fn *fn);
void iovsim_cfg_snapshot(struct iovsim_fn *fn);
unsigned int iovsim_cfg_msix_size(struct iovsim_fn *fn);
extern struct pci_ops iovsim_pci_ops;

/* func.c */
void iovsim_fn_flr(struct iovsim_fn *fn);
void iovsim_fn_reset_state(struct iovsim_fn *fn);
void __iovsim_fn_put(struct iovsim_fn *fn);

/* sriov.c */
int iovsim_sriov_add_vfs(struct iovsim_fn *pf);
void iovsim_sriov_remove_vfs(struct iovsim_fn *pf);
void iovsim_sriov_drop_vfs(struct iovsim_fn *pf);
void iovsim_sriov_cfg_fixup(struct iovsim_fn *fn, unsigned int dw, u32 old);
void iovsim_sriov_reset_vfs(struct iovsim_fn *pf);
bool iovsim_sriov_vf_decodes(struct iovsim_fn *vf);

/* host.c */
struct pci_bus *iovsim_host_bus(void);
bool iovsim_host_owns(struct pci_bus *bus);
struct iovsim_fn *iovsim_host_lookup(struct pci_bus *bus, unsigned int devfn);
int iovsim_host_insert(struct iovsim_fn *fn, int devfn);
int iovsim_host_insert_vf(struct iovsim_fn *vf, unsigned int busnr,
			  unsigned int devfn);
void iovsim_host_erase(struct iovsim_fn *fn);

/* irq.c */
int iovsim_irq_domain_init(int domain_nr);
void iovsim_irq_domain_exit(void);
int iovsim_fn_irqs_init(struct iovsim_fn *fn);
void iovsim_fn_irqs_kill(struct iovsim_fn *fn);
void iovsim_fn_irqs_free(struct iovsim_fn *fn);
void iovsim_fn_irqs_cfg_written(struct iovsim_fn *fn);
void iovsim_fn_irqs_drop(struct iovsim_fn *fn);
void iovsim_fn_irqs_reset(struct iovsim_fn *fn);
bool iovsim_msix_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
			  unsigned int size, u64 *val);
bool iovsim_msix_bar_write(struct iovsim_fn *fn, unsigned int bar, u64 off,
			   unsigned int size, u64 val);

/* notifier.c */
int iovsim_notifier_init(void);
void iovsim_notifier_exit(void);

/* configfs.c */
int iovsim_configfs_init(void);
void iovsim_configfs_exit(void);

#endif /* _IOVSIM_PCIHOST_INTERNAL_H */
