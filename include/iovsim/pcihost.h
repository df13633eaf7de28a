/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_pcihost: the software PCI host bridge that device models plug
 * their functions into, and the API in-host drivers use to reach them.
 *
 * A device model allocates a function with iovsim_fn_alloc(), describes
 * its configuration space with the iovsim_cfg_* builders, and makes it
 * appear on the iovsim PCI domain with iovsim_fn_add().  The PCI core then
 * enumerates it like any other device.  Drivers bound to the function
 * reach its BARs only through iovsim_bar_read() and iovsim_bar_write():
 * the addresses the PCI core assigns to the BARs are never backed by
 * anything and must not be dereferenced.
 */
#ifndef _IOVSIM_PCIHOST_H
#define _IOVSIM_PCIHOST_H

#include <linux/types.h>

struct config_item;
struct configfs_attribute;
struct module;
struct pci_dev;
struct iovsim_dma;
struct iovsim_fn;
struct iovsim_model_cfs;

/**
 * struct iovsim_fn_ops - callbacks from the host into a function's model
 * @cfg_write: called after a configuration write from the PCI core has
 *	been applied to the emulated space, with the dword-aligned offset
 *	@where and the dword value before and after the write.  Context:
 *	see below.  It may use iovsim_cfg_read() and iovsim_cfg_write().
 *	Optional.
 * @bar_read: read @size (1, 2, 4 or 8) bytes at offset @off of BAR @bar.
 *	@off + @size never exceeds the BAR size and @off is naturally
 *	aligned.  May be called in atomic context: must not sleep.
 * @bar_write: write @size bytes of @val at offset @off of BAR @bar.  Same
 *	rules as @bar_read.
 * @reset: function-level reset, on a write of Initiate FLR.  The host has
 *	already restored the configuration space to its state at
 *	iovsim_fn_add() time, dropped the pending interrupts and reset the
 *	MSI-X table; the model resets its own registers.  Context: see
 *	below.  Optional; a function whose model has it advertises FLR in
 *	its PCI Express capability.
 * @quiesce: second half of a function-level reset, after @reset: stop,
 *	or wait for, everything the model still has under way for the state
 *	before the reset (work items, timers) that could DMA or raise an
 *	interrupt, and return once it is over.  Called from a work item of
 *	the host (system_unbound_wq), no host lock held; may sleep, but
 *	must not wait for anything that waits for the reset to complete:
 *	the function's pci_dev lock, a user-space configuration access, a
 *	configuration read of the function reading something other than
 *	all-ones.  Until the host is done the function answers
 *	configuration reads with all-ones and discards writes (so the PCI
 *	core's FLR waits for it), iovsim_fn_dma_begin() refuses and raises
 *	are dropped; after @quiesce the host waits for the transfers still
 *	between iovsim_fn_dma_begin() and iovsim_fn_dma_end(), and drops
 *	what was raised meanwhile.  Optional.
 * @release: the last reference to the function is gone: free the model's
 *	private data.  Process context.  Optional.
 * @dma_context: the model reaches the driver's memory only through the
 *	context iovsim_fn_dma() returns when it is not NULL, so a
 *	passthrough driver may give it one (iovsim_fn_set_dma()).  A model
 *	without it would DMA to host physical addresses whatever the user
 *	wrote: iovsim_fn_set_dma() refuses it, and so must passthrough.
 *
 * Context of @cfg_write and @reset: they are called from the config
 * write accessor (pci_ops), with the function's configuration space
 * unlocked, inside an RCU read-side critical section.  A write from user
 * space (setpci, the sysfs ``config`` file) comes with the PCI core's raw
 * spinlock pci_lock held and interrupts off; a write from the kernel (on
 * x86, whose config accesses are lockless) comes in its caller's context,
 * any one, and two CPUs may be in the callbacks of one function at once.
 * So the callbacks must not sleep and may take raw spinlocks
 * (raw_spinlock_t) only: a spinlock_t or rwlock_t is a sleeping lock on
 * PREEMPT_RT, and lockdep reports it under a raw spinlock
 * (PROVE_RAW_LOCK_NESTING).  queue_work(), irq_work_queue(),
 * iovsim_cfg_read() and iovsim_cfg_write() are fine; anything more is
 * work for a work item the model queues, and orders itself.
 */
struct iovsim_fn_ops {
	void (*cfg_write)(struct iovsim_fn *fn, unsigned int where,
			  u32 old, u32 val);
	u64 (*bar_read)(struct iovsim_fn *fn, unsigned int bar, u64 off,
			unsigned int size);
	void (*bar_write)(struct iovsim_fn *fn, unsigned int bar, u64 off,
			  unsigned int size, u64 val);
	void (*reset)(struct iovsim_fn *fn);
	void (*quiesce)(struct iovsim_fn *fn);
	void (*release)(struct iovsim_fn *fn);
	bool dma_context;
};

/* Function lifecycle (models) */
struct iovsim_fn *iovsim_fn_alloc(struct module *owner,
				  const struct iovsim_fn_ops *ops, void *priv);
int iovsim_fn_add(struct iovsim_fn *fn, int devfn);
void iovsim_fn_remove(struct iovsim_fn *fn);
int iovsim_fn_get(struct iovsim_fn *fn);
void iovsim_fn_put(struct iovsim_fn *fn);
void iovsim_fn_discard(struct iovsim_fn *fn);
void *iovsim_fn_priv(struct iovsim_fn *fn);
int iovsim_fn_devfn(struct iovsim_fn *fn);
void iovsim_fn_set_driver(struct iovsim_fn *fn, const char *name);

/* Configuration space builders and accessors (models) */

/**
 * enum iovsim_pcie_type - device/port type of an emulated PCI Express
 *	capability
 * @IOVSIM_PCIE_ENDPOINT: PCI Express endpoint
 * @IOVSIM_PCIE_RCIEP: root complex integrated endpoint
 */
enum iovsim_pcie_type {
	IOVSIM_PCIE_ENDPOINT,
	IOVSIM_PCIE_RCIEP,
};

void iovsim_cfg_set_ids(struct iovsim_fn *fn, u16 vendor, u16 device,
			u16 subsys_vendor, u16 subsys_device, u32 class,
			u8 revision);
int iovsim_cfg_add_bar(struct iovsim_fn *fn, unsigned int bar, u64 size);
int iovsim_cfg_add_pcie(struct iovsim_fn *fn, enum iovsim_pcie_type type);
int iovsim_cfg_add_pm(struct iovsim_fn *fn);
int iovsim_cfg_add_msix(struct iovsim_fn *fn, unsigned int nvec,
			unsigned int table_bar, u32 table_off,
			unsigned int pba_bar, u32 pba_off);
int iovsim_cfg_add_vendor(struct iovsim_fn *fn, const void *data, u8 len);
int iovsim_cfg_add_ext_cap(struct iovsim_fn *fn, u16 id, u8 version,
			   unsigned int size);
int iovsim_cfg_add_sriov(struct iovsim_fn *fn, unsigned int total_vfs);
int iovsim_fn_add_vf(struct iovsim_fn *pf, struct iovsim_fn *vf);
struct iovsim_fn *iovsim_fn_vf(struct iovsim_fn *pf, unsigned int index);
int iovsim_cfg_set_masks(struct iovsim_fn *fn, unsigned int where,
			 unsigned int size, u32 wmask, u32 w1cmask);
u32 iovsim_cfg_read(struct iovsim_fn *fn, unsigned int where,
		    unsigned int size);
void iovsim_cfg_write(struct iovsim_fn *fn, unsigned int where,
		      unsigned int size, u32 val);

/* MSI-X Table Size (SR-IOV PF drivers sizing their VFs' tables) */
unsigned int iovsim_fn_msix_size(struct iovsim_fn *fn);
unsigned int iovsim_fn_msix_max(struct iovsim_fn *fn);
int iovsim_fn_set_msix_size(struct iovsim_fn *fn, unsigned int nvec);

/* Interrupts (models raise, drivers request) */
int iovsim_fn_nr_irqs(struct iovsim_fn *fn);
int iovsim_fn_irq(struct iovsim_fn *fn, unsigned int vector);
void iovsim_fn_msix_enable(struct pci_dev *pdev, bool on);
void iovsim_fn_raise_irq(struct iovsim_fn *fn, unsigned int vector);
void iovsim_fn_raise_irq_sync(struct iovsim_fn *fn, unsigned int vector);

/* Bus mastering (models) */
int iovsim_fn_dma_begin(struct iovsim_fn *fn);
void iovsim_fn_dma_end(struct iovsim_fn *fn);
unsigned long iovsim_fn_dma_refused(struct iovsim_fn *fn);
const struct iovsim_dma *iovsim_fn_dma(struct iovsim_fn *fn);

/* Passthrough drivers */
int iovsim_fn_set_dma(struct iovsim_fn *fn, const struct iovsim_dma *dma);
void iovsim_fn_wait_reset(struct iovsim_fn *fn);

/* In-host drivers */
struct iovsim_fn *iovsim_fn_from_pci_dev(struct pci_dev *pdev);
u64 iovsim_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
		    unsigned int size);
void iovsim_bar_write(struct iovsim_fn *fn, unsigned int bar, u64 off,
		      unsigned int size, u64 val);

/**
 * iovsim_bar_read8 - read a byte from a BAR of an iovsim function
 * @fn: the function, from iovsim_fn_from_pci_dev()
 * @bar: BAR index
 * @off: offset into the BAR
 *
 * Return: the value the model returns, or all-ones when the BAR is not
 * decoded (memory space disabled, offset out of range).
 */
static inline u8 iovsim_bar_read8(struct iovsim_fn *fn, unsigned int bar,
				  u64 off)
{
	return iovsim_bar_read(fn, bar, off, 1);
}

/**
 * iovsim_bar_read16 - read a 16-bit word from a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 2-byte aligned
 *
 * Return: the value, or all-ones when the access is not decoded.
 */
static inline u16 iovsim_bar_read16(struct iovsim_fn *fn, unsigned int bar,
				    u64 off)
{
	return iovsim_bar_read(fn, bar, off, 2);
}

/**
 * iovsim_bar_read32 - read a 32-bit word from a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 4-byte aligned
 *
 * Return: the value, or all-ones when the access is not decoded.
 */
static inline u32 iovsim_bar_read32(struct iovsim_fn *fn, unsigned int bar,
				    u64 off)
{
	return iovsim_bar_read(fn, bar, off, 4);
}

/**
 * iovsim_bar_read64 - read a 64-bit word from a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 8-byte aligned
 *
 * Return: the value, or all-ones when the access is not decoded.
 */
static inline u64 iovsim_bar_read64(struct iovsim_fn *fn, unsigned int bar,
				    u64 off)
{
	return iovsim_bar_read(fn, bar, off, 8);
}

/**
 * iovsim_bar_write8 - write a byte to a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR
 * @val: value to write
 */
static inline void iovsim_bar_write8(struct iovsim_fn *fn, unsigned int bar,
				     u64 off, u8 val)
{
	iovsim_bar_write(fn, bar, off, 1, val);
}

/**
 * iovsim_bar_write16 - write a 16-bit word to a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 2-byte aligned
 * @val: value to write
 */
static inline void iovsim_bar_write16(struct iovsim_fn *fn, unsigned int bar,
				      u64 off, u16 val)
{
	iovsim_bar_write(fn, bar, off, 2, val);
}

/**
 * iovsim_bar_write32 - write a 32-bit word to a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 4-byte aligned
 * @val: value to write
 */
static inline void iovsim_bar_write32(struct iovsim_fn *fn, unsigned int bar,
				      u64 off, u32 val)
{
	iovsim_bar_write(fn, bar, off, 4, val);
}

/**
 * iovsim_bar_write64 - write a 64-bit word to a BAR of an iovsim function
 * @fn: the function
 * @bar: BAR index
 * @off: offset into the BAR, 8-byte aligned
 * @val: value to write
 */
static inline void iovsim_bar_write64(struct iovsim_fn *fn, unsigned int bar,
				      u64 off, u64 val)
{
	iovsim_bar_write(fn, bar, off, 8, val);
}

/* Models and configfs */

/**
 * struct iovsim_model - a device model that configfs can instantiate
 * @name: directory name under /sys/kernel/config/iovsim/
 * @owner: module of the model, pinned while a device directory of it
 *	exists
 * @attrs: NULL-terminated configfs attributes of the model's parameters;
 *	their ->show and ->store use iovsim_model_params_lock() and
 *	iovsim_model_params_unlock().  May be NULL.
 * @params_alloc: allocate a parameter block filled with defaults, for
 *	a new device directory.  Process context.
 * @params_free: free a parameter block.
 * @create: build a function (iovsim_fn_alloc() and builders, not yet
 *	added) from a parameter block.  Return an ERR_PTR() on failure.
 * @cfs: the model's configfs group and item type; private to the host
 */
struct iovsim_model {
	const char *name;
	struct module *owner;
	struct configfs_attribute **attrs;
	void *(*params_alloc)(void);
	void (*params_free)(void *params);
	struct iovsim_fn *(*create)(void *params);
	struct iovsim_model_cfs *cfs;
};

int iovsim_model_register(struct iovsim_model *model);
void iovsim_model_unregister(struct iovsim_model *model);
void *iovsim_model_params_lock(struct config_item *item, bool change);
void iovsim_model_params_unlock(struct config_item *item);

#endif /* _IOVSIM_PCIHOST_H */
