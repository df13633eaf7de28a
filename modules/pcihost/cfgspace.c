// SPDX-License-Identifier: GPL-2.0-only
/*
 * Configuration space emulation: the storage of each function's 4 KiB
 * space with its write masks, the capability builders models use to fill
 * it, and the pci_ops the PCI core reaches it through.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include <iovsim/compat.h>

#include "internal.h"

static bool cfg_access_ok(unsigned int where, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) &&
	       !(where & (size - 1)) && where + size <= IOVSIM_CFG_SIZE;
}

static bool cfg_building(struct iovsim_fn *fn)
{
	return !WARN_ON_ONCE(fn->devfn >= 0);
}

int iovsim_cfg_init(struct iovsim_fn *fn)
{
	struct iovsim_cfg *cfg;

	cfg = kvzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	cfg_put(cfg->wmask, PCI_COMMAND, 2,
		PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
		PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	cfg_put(cfg->w1cmask, PCI_STATUS, 2,
		PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
		PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
		PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	cfg->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	cfg->wmask[PCI_INTERRUPT_LINE] = 0xff;
	/* Interrupt Pin stays 0: no INTx, so x86 does not route one. */
	cfg->data[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;

	cfg->cap_free = PCI_STD_HEADER_SIZEOF;
	cfg->ecap_free = PCI_CFG_SPACE_SIZE;
	fn->cfg = cfg;
	return 0;
}

void iovsim_cfg_free(struct iovsim_fn *fn)
{
	kvfree(fn->cfg);
	fn->cfg = NULL;
}

/* Remember the space as built, for function-level reset. */
void iovsim_cfg_snapshot(struct iovsim_fn *fn)
{
	memcpy(fn->cfg->init, fn->cfg->data, IOVSIM_CFG_SIZE);
}

unsigned int iovsim_cfg_msix_size(struct iovsim_fn *fn)
{
	if (!fn->msix_cap)
		return 0;
	return (cfg_get(fn->cfg->data, fn->msix_cap + PCI_MSIX_FLAGS, 2) &
		PCI_MSIX_FLAGS_QSIZE) + 1;
}

/**
 * iovsim_cfg_set_ids() - set the identification registers of a function
 * @fn: function being built
 * @vendor: Vendor ID
 * @device: Device ID
 * @subsys_vendor: Subsystem Vendor ID
 * @subsys_device: Subsystem ID
 * @class: 24-bit class code (base class, subclass, programming interface)
 * @revision: Revision ID
 *
 * Call before iovsim_fn_add().
 */
void iovsim_cfg_set_ids(struct iovsim_fn *fn, u16 vendor, u16 device,
			u16 subsys_vendor, u16 subsys_device, u32 class,
			u8 revision)
{
	u8 *d = fn->cfg->data;

	if (!cfg_building(fn))
		return;
	cfg_put(d, PCI_VENDOR_ID, 2, vendor);
	cfg_put(d, PCI_DEVICE_ID, 2, device);
	cfg_put(d, PCI_REVISION_ID, 4, (class << 8) | revision);
	cfg_put(d, PCI_SUBSYSTEM_VENDOR_ID, 2, subsys_vendor);
	cfg_put(d, PCI_SUBSYSTEM_ID, 2, subsys_device);
}
EXPORT_SYMBOL_GPL(iovsim_cfg_set_ids);

/**
 * iovsim_cfg_add_bar() - implement a 64-bit memory BAR
 * @fn: function being built
 * @bar: index of the lower half: 0, 2 or 4
 * @size: size in bytes, a power of two of at least 16
 *
 * The BAR is sized by the PCI core through its write mask; its address is
 * never decoded by anything but iovsim_bar_read() and iovsim_bar_write().
 *
 * Return: 0, or -EINVAL for a bad index or size, -EBUSY if it is taken.
 */
int iovsim_cfg_add_bar(struct iovsim_fn *fn, unsigned int bar, u64 size)
{
	struct iovsim_cfg *cfg = fn->cfg;
	unsigned int where = PCI_BASE_ADDRESS_0 + 4 * bar;
	u64 mask;

	if (!cfg_building(fn))
		return -EBUSY;
	if (bar >= IOVSIM_NR_BARS || bar % 2 || size < 16 ||
	    !is_power_of_2(size))
		return -EINVAL;
	if (fn->bar_size[bar])
		return -EBUSY;

	mask = ~(size - 1) & ~0xfULL;	/* the low bits are the BAR type */
	cfg_put(cfg->data, where, 4, PCI_BASE_ADDRESS_MEM_TYPE_64);
	cfg_put(cfg->wmask, where, 4, lower_32_bits(mask));
	cfg_put(cfg->wmask, where + 4, 4, upper_32_bits(mask));
	fn->bar_size[bar] = size;
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_bar);

/* Reserve @len bytes of standard capability @id and link it in. */
static int cfg_add_cap(struct iovsim_fn *fn, u8 id, unsigned int len)
{
	struct iovsim_cfg *cfg = fn->cfg;
	unsigned int off = cfg->cap_free;

	if (!cfg_building(fn))
		return -EBUSY;
	if (off + len > PCI_CFG_SPACE_SIZE)
		return -ENOSPC;

	cfg->data[off + PCI_CAP_LIST_ID] = id;
	cfg->data[off + PCI_CAP_LIST_NEXT] = 0;
	if (cfg->cap_last)
		cfg->data[cfg->cap_last + PCI_CAP_LIST_NEXT] = off;
	else
		cfg->data[PCI_CAPABILITY_LIST] = off;
	cfg->data[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	cfg->cap_last = off;
	cfg->cap_free = ALIGN(off + len, 4);
	return off;
}

/**
 * iovsim_cfg_add_pcie() - add a PCI Express capability (version 2)
 * @fn: function being built
 * @type: endpoint or root complex integrated endpoint
 *
 * The capability gives the function a 4 KiB configuration space for the
 * PCI core.  It advertises function-level reset when the model has a
 * ->reset callback; the PCI core's FLR then reaches the model.
 *
 * Return: offset of the capability, or a negative errno.
 */
int iovsim_cfg_add_pcie(struct iovsim_fn *fn, enum iovsim_pcie_type type)
{
	struct iovsim_cfg *cfg = fn->cfg;
	u16 flags = 2, devctl_wmask;
	u32 devcap = 0;
	int off;

	if (fn->pcie_cap)
		return -EBUSY;
	switch (type) {
	case IOVSIM_PCIE_ENDPOINT:
		flags |= PCI_EXP_TYPE_ENDPOINT << 4;
		break;
	case IOVSIM_PCIE_RCIEP:
		flags |= PCI_EXP_TYPE_RC_END << 4;
		break;
	default:
		return -EINVAL;
	}

	off = cfg_add_cap(fn, PCI_CAP_ID_EXP, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2);
	if (off < 0)
		return off;

	/*
	 * Only what the capability registers advertise is writable: Max
	 * Payload Size Supported is 128 bytes (DEVCAP 0), so DEVCTL's Max
	 * Payload Size stays 128; no ASPM support in LNKCAP, so LNKCTL's
	 * ASPM Control stays 0; DEVCAP2 is 0 (no completion timeout ranges,
	 * no Completion Timeout Disable, nothing else), so DEVCTL2 is
	 * read-only 0.
	 */
	devctl_wmask = PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
		       PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
		       PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_EXT_TAG |
		       PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ;
	if (fn->ops->reset) {
		devcap |= PCI_EXP_DEVCAP_FLR;
		devctl_wmask |= PCI_EXP_DEVCTL_BCR_FLR;
	}
	if (type == IOVSIM_PCIE_ENDPOINT) {
		devcap |= PCI_EXP_DEVCAP_RBER;
		/* One 2.5 GT/s lane, up. */
		cfg_put(cfg->data, off + PCI_EXP_LNKCAP, 4,
			PCI_EXP_LNKCAP_SLS_2_5GB | (1 << 4));
		cfg_put(cfg->wmask, off + PCI_EXP_LNKCTL, 2,
			PCI_EXP_LNKCTL_RCB | PCI_EXP_LNKCTL_CCC |
			PCI_EXP_LNKCTL_ES);
		cfg_put(cfg->data, off + PCI_EXP_LNKSTA, 2,
			PCI_EXP_LNKSTA_CLS_2_5GB | (1 << PCI_EXP_LNKSTA_NLW_SHIFT));
	}

	cfg_put(cfg->data, off + PCI_EXP_FLAGS, 2, flags);
	cfg_put(cfg->data, off + PCI_EXP_DEVCAP, 4, devcap);
	cfg_put(cfg->data, off + PCI_EXP_DEVCTL, 2,
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		PCI_EXP_DEVCTL_READRQ_512B);
	cfg_put(cfg->wmask, off + PCI_EXP_DEVCTL, 2, devctl_wmask);
	cfg_put(cfg->w1cmask, off + PCI_EXP_DEVSTA, 2,
		PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
		PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	fn->pcie_cap = off;
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_pcie);

/**
 * iovsim_cfg_add_pm() - add a power management capability
 * @fn: function being built
 *
 * D0 and D3hot, no PME, No_Soft_Reset set: a D3hot to D0 transition keeps
 * the function's state.  D1 and D2 are not supported: a write asking for
 * either leaves PowerState as it was, as the PCI PM specification says.
 *
 * Return: offset of the capability, or a negative errno.
 */
int iovsim_cfg_add_pm(struct iovsim_fn *fn)
{
	struct iovsim_cfg *cfg = fn->cfg;
	int off;

	if (fn->pm_cap)
		return -EBUSY;
	off = cfg_add_cap(fn, PCI_CAP_ID_PM, PCI_PM_SIZEOF);
	if (off < 0)
		return off;

	cfg_put(cfg->data, off + PCI_PM_PMC, 2, 3);	/* PM spec 1.2 */
	cfg_put(cfg->data, off + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET);
	cfg_put(cfg->wmask, off + PCI_PM_CTRL, 2, PCI_PM_CTRL_STATE_MASK);
	fn->pm_cap = off;
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_pm);

static bool cfg_bar_fits(struct iovsim_fn *fn, unsigned int bar, u32 off,
			 u64 len)
{
	return bar < IOVSIM_NR_BARS && !(off & 7) &&
	       (u64)off + len <= fn->bar_size[bar];
}

/**
 * iovsim_cfg_add_msix() - add an MSI-X capability
 * @fn: function being built
 * @nvec: table size, 1 to 2048; the function gets as many Linux IRQs
 * @table_bar: BAR holding the MSI-X table
 * @table_off: offset of the table in @table_bar, 8-byte aligned
 * @pba_bar: BAR holding the pending bit array
 * @pba_off: offset of the pending bit array in @pba_bar, 8-byte aligned
 *
 * The BARs must be added first.  The host emulates the table and the PBA
 * (accesses to them never reach the model's ->bar_read and ->bar_write)
 * and sizes the function's IRQs by @nvec.
 *
 * Return: offset of the capability, or a negative errno.
 */
int iovsim_cfg_add_msix(struct iovsim_fn *fn, unsigned int nvec,
			unsigned int table_bar, u32 table_off,
			unsigned int pba_bar, u32 pba_off)
{
	struct iovsim_cfg *cfg = fn->cfg;
	int off;

	if (fn->msix_cap)
		return -EBUSY;
	if (!nvec || nvec > IOVSIM_MAX_VECTORS ||
	    !cfg_bar_fits(fn, table_bar, table_off,
			  (u64)nvec * PCI_MSIX_ENTRY_SIZE) ||
	    !cfg_bar_fits(fn, pba_bar, pba_off, DIV_ROUND_UP(nvec, 64) * 8))
		return -EINVAL;

	off = cfg_add_cap(fn, PCI_CAP_ID_MSIX, PCI_CAP_MSIX_SIZEOF);
	if (off < 0)
		return off;

	cfg_put(cfg->data, off + PCI_MSIX_FLAGS, 2, nvec - 1);
	cfg_put(cfg->wmask, off + PCI_MSIX_FLAGS, 2,
		PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	cfg_put(cfg->data, off + PCI_MSIX_TABLE, 4, table_off | table_bar);
	cfg_put(cfg->data, off + PCI_MSIX_PBA, 4, pba_off | pba_bar);
	fn->msix_cap = off;
	fn->msix_max = nvec;
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_msix);

/**
 * iovsim_fn_msix_size() - the MSI-X Table Size a function reports now
 * @fn: the function
 *
 * Read without &iovsim_fn.cfg_lock: it changes only while no driver
 * has the function (iovsim_fn_set_msix_size()).  Any context.
 *
 * Return: the number of table entries, 0 without MSI-X.
 */
unsigned int iovsim_fn_msix_size(struct iovsim_fn *fn)
{
	return iovsim_cfg_msix_size(fn);
}
EXPORT_SYMBOL_GPL(iovsim_fn_msix_size);

/**
 * iovsim_fn_msix_max() - the MSI-X table size a function was built with
 * @fn: the function
 *
 * Return: the largest Table Size iovsim_fn_set_msix_size() accepts, 0
 * without MSI-X.
 */
unsigned int iovsim_fn_msix_max(struct iovsim_fn *fn)
{
	return fn->msix_max;
}
EXPORT_SYMBOL_GPL(iovsim_fn_msix_max);

/**
 * iovsim_fn_set_msix_size() - change the MSI-X Table Size a function reports
 * @fn: the function, which no driver has (an SR-IOV VF whose PF driver
 *	got .sriov_set_msix_vec_count)
 * @nvec: 1 to iovsim_fn_msix_max()
 *
 * The next driver to enable MSI-X reads the new size; it survives a
 * function-level reset (the field is HwInit).  The function keeps its
 * IRQs and emulated table for the size it was built with.  Process
 * context.
 *
 * Return: 0, -EINVAL for a size out of range or a function without
 * MSI-X, -EBUSY while MSI-X is enabled.
 */
int iovsim_fn_set_msix_size(struct iovsim_fn *fn, unsigned int nvec)
{
	struct iovsim_cfg *cfg = fn->cfg;
	unsigned long flags;
	unsigned int where = fn->msix_cap + PCI_MSIX_FLAGS;
	u32 flagsreg;
	int ret = 0;

	if (!fn->msix_cap || !nvec || nvec > fn->msix_max)
		return -EINVAL;
	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	flagsreg = cfg_get(cfg->data, where, 2);
	if (flagsreg & PCI_MSIX_FLAGS_ENABLE) {
		ret = -EBUSY;
	} else {
		cfg_put(cfg->data, where, 2,
			(flagsreg & ~PCI_MSIX_FLAGS_QSIZE) | (nvec - 1));
		cfg_put(cfg->init, where, 2,
			(cfg_get(cfg->init, where, 2) & ~PCI_MSIX_FLAGS_QSIZE) |
			(nvec - 1));
	}
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_fn_set_msix_size);

/**
 * iovsim_cfg_add_vendor() - add a vendor-specific capability
 * @fn: function being built
 * @data: contents after the three header bytes (ID, next, length)
 * @len: size of @data
 *
 * The contents are read-only unless the model opens bits with
 * iovsim_cfg_set_masks().
 *
 * Return: offset of the capability, or a negative errno.
 */
int iovsim_cfg_add_vendor(struct iovsim_fn *fn, const void *data, u8 len)
{
	struct iovsim_cfg *cfg = fn->cfg;
	unsigned int caplen = len + 3;
	int off;

	if (caplen > PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF)
		return -EINVAL;
	off = cfg_add_cap(fn, PCI_CAP_ID_VNDR, caplen);
	if (off < 0)
		return off;

	cfg->data[off + PCI_CAP_FLAGS] = caplen;
	memcpy(&cfg->data[off + 3], data, len);
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_vendor);

/**
 * iovsim_cfg_add_ext_cap() - reserve an extended capability
 * @fn: function being built
 * @id: extended capability ID (PCI_EXT_CAP_ID_*)
 * @version: capability version
 * @size: size in bytes including the 4-byte header
 *
 * The host writes and links the header; the model fills the body with
 * iovsim_cfg_write() and opens writable bits with iovsim_cfg_set_masks().
 * Needs a PCI Express capability for the PCI core to look at it.
 *
 * Return: offset of the capability (0x100 or above), or a negative errno.
 */
int iovsim_cfg_add_ext_cap(struct iovsim_fn *fn, u16 id, u8 version,
			   unsigned int size)
{
	struct iovsim_cfg *cfg = fn->cfg;
	unsigned int off = cfg->ecap_free;
	u32 hdr;

	if (!cfg_building(fn))
		return -EBUSY;
	if (size < 4 || version > 0xf)
		return -EINVAL;
	size = ALIGN(size, 4);
	if (off + size > IOVSIM_CFG_SIZE)
		return -ENOSPC;

	cfg_put(cfg->data, off, 4, id | (u32)version << 16);
	if (cfg->ecap_last) {
		hdr = cfg_get(cfg->data, cfg->ecap_last, 4);
		hdr |= off << 20;
		cfg_put(cfg->data, cfg->ecap_last, 4, hdr);
	}
	cfg->ecap_last = off;
	cfg->ecap_free = off + size;
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_ext_cap);

/**
 * iovsim_cfg_set_masks() - choose which bits configuration writes change
 * @fn: the function
 * @where: offset, naturally aligned for @size
 * @size: 1, 2 or 4
 * @wmask: bits a write replaces
 * @w1cmask: bits a write of 1 clears (must not overlap @wmask)
 *
 * Other bits of the register are read-only to the PCI core; the model
 * still changes them with iovsim_cfg_write().  Any context.
 *
 * Return: 0, or -EINVAL for a bad access.
 */
int iovsim_cfg_set_masks(struct iovsim_fn *fn, unsigned int where,
			 unsigned int size, u32 wmask, u32 w1cmask)
{
	unsigned long flags;

	if (!cfg_access_ok(where, size) || (wmask & w1cmask))
		return -EINVAL;

	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	cfg_put(fn->cfg->wmask, where, size, wmask);
	cfg_put(fn->cfg->w1cmask, where, size, w1cmask);
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_set_masks);

/**
 * iovsim_cfg_read() - read a function's configuration space as the model
 * @fn: the function
 * @where: offset, naturally aligned for @size
 * @size: 1, 2 or 4
 *
 * Any context.
 *
 * Return: the value, or all-ones for a bad access.
 */
u32 iovsim_cfg_read(struct iovsim_fn *fn, unsigned int where,
		    unsigned int size)
{
	unsigned long flags;
	u32 val;

	if (WARN_ON_ONCE(!cfg_access_ok(where, size)))
		return ~0U;

	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	val = cfg_get(fn->cfg->data, where, size);
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
	return val;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_read);

/**
 * iovsim_cfg_write() - write a function's configuration space as the model
 * @fn: the function
 * @where: offset, naturally aligned for @size
 * @size: 1, 2 or 4
 * @val: value
 *
 * Unlike a write from the PCI core this ignores the write masks and calls
 * no model callback: it is how a model sets read-only and status bits.
 * Any context.
 */
void iovsim_cfg_write(struct iovsim_fn *fn, unsigned int where,
		      unsigned int size, u32 val)
{
	unsigned long flags;

	if (WARN_ON_ONCE(!cfg_access_ok(where, size)))
		return;

	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	cfg_put(fn->cfg->data, where, size, val);
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
}
EXPORT_SYMBOL_GPL(iovsim_cfg_write);

/*
 * pci_ops.  x86 selects PCI_LOCKLESS_CONFIG, so these run concurrently,
 * with or without the PCI core's raw pci_lock, always with the function's
 * raw cfg_lock taken here: they never sleep.
 *
 * As the PCI core's own accessors do, an access of a size other than 1, 2
 * or 4, not naturally aligned or beyond the 4 KiB space gets
 * PCIBIOS_BAD_REGISTER_NUMBER; a devfn with no function gets
 * PCIBIOS_DEVICE_NOT_FOUND.  A failed read returns all-ones.
 */
static bool cfg_where_ok(int where, int size)
{
	return where >= 0 && cfg_access_ok(where, size);
}

/* Is there a function of @devfn's slot other than function 0? */
static bool cfg_slot_multi(struct pci_bus *bus, unsigned int devfn)
{
	unsigned int fn;

	for (fn = 1; fn < 8; fn++)
		if (iovsim_host_lookup(bus, devfn + fn))
			return true;
	return false;
}

/*
 * The function answering configuration cycles at @devfn of @bus: a VF
 * answers only while enabled.  Caller holds rcu_read_lock().
 */
static struct iovsim_fn *cfg_lookup(struct pci_bus *bus, unsigned int devfn)
{
	struct iovsim_fn *fn = iovsim_host_lookup(bus, devfn);

	if (fn && fn->pf && !iovsim_vf_enabled(fn))
		return NULL;
	return fn;
}

static int iovsim_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 *val)
{
	struct iovsim_fn *fn;
	unsigned long flags;
	int ret = PCIBIOS_SUCCESSFUL;

	if (!cfg_where_ok(where, size)) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}

	rcu_read_lock();
	fn = cfg_lookup(bus, devfn);
	if (!fn) {
		PCI_SET_ERROR_RESPONSE(val);
		ret = PCIBIOS_DEVICE_NOT_FOUND;
	} else if (READ_ONCE(fn->resetting)) {
		PCI_SET_ERROR_RESPONSE(val);	/* not ready: in an FLR */
	} else {
		raw_spin_lock_irqsave(&fn->cfg_lock, flags);
		*val = cfg_get(fn->cfg->data, where, size);
		raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
		/*
		 * Header Type bit 7: function 0 of a slot with more
		 * functions says so, or a scan stops at function 0.  It
		 * follows the functions present, so it is computed here.
		 */
		if (!fn->pf && !PCI_FUNC(devfn) && where <= PCI_HEADER_TYPE &&
		    where + size > PCI_HEADER_TYPE &&
		    cfg_slot_multi(bus, devfn))
			*val |= PCI_HEADER_TYPE_MFD << 8 * (PCI_HEADER_TYPE - where);
	}
	rcu_read_unlock();
	return ret;
}

static bool cfg_flr_requested(struct iovsim_fn *fn, unsigned int where,
			      u32 val)
{
	unsigned int devctl = fn->pcie_cap + PCI_EXP_DEVCTL;

	return fn->pcie_cap && fn->ops->reset &&
	       where == ALIGN_DOWN(devctl, 4) &&
	       (val >> (8 * (devctl & 3))) & PCI_EXP_DEVCTL_BCR_FLR;
}

/*
 * Undo what write masks cannot express, after a write to the dword at
 * @dw that held @old: PowerState takes only the states PMC advertises.
 * Caller holds fn->cfg_lock.
 */
/* PMCSR PowerState field encodings (PCI PM 1.2, 3.2.4). */
#define PMCSR_STATE_D1	1
#define PMCSR_STATE_D2	2

static void cfg_fixup(struct iovsim_fn *fn, unsigned int dw, u32 old)
{
	unsigned int pmcsr = fn->pm_cap + PCI_PM_CTRL;
	u16 pmc, state;
	u8 *d = fn->cfg->data;

	if (!fn->pm_cap || dw != ALIGN_DOWN(pmcsr, 4))
		return;
	pmc = cfg_get(d, fn->pm_cap + PCI_PM_PMC, 2);
	state = cfg_get(d, pmcsr, 2) & PCI_PM_CTRL_STATE_MASK;
	if ((state == PMCSR_STATE_D1 && !(pmc & PCI_PM_CAP_D1)) ||
	    (state == PMCSR_STATE_D2 && !(pmc & PCI_PM_CAP_D2))) {
		state = (old >> 8 * (pmcsr - dw)) & PCI_PM_CTRL_STATE_MASK;
		d[pmcsr] = (d[pmcsr] & ~PCI_PM_CTRL_STATE_MASK) | state;
	}
}

static int iovsim_pci_write(struct pci_bus *bus, unsigned int devfn,
			    int where, int size, u32 val)
{
	unsigned int i, dw = ALIGN_DOWN(where, 4);
	struct iovsim_fn *fn;
	struct iovsim_cfg *cfg;
	unsigned long flags;
	u32 old, new;
	bool flr, vfe;

	if (!cfg_where_ok(where, size))
		return PCIBIOS_BAD_REGISTER_NUMBER;

	rcu_read_lock();
	fn = cfg_lookup(bus, devfn);
	if (!fn) {
		rcu_read_unlock();
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	cfg = fn->cfg;

	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	/*
	 * An FLR discards requests; a VF its PF disabled since the lookup
	 * is gone (the reset that follows takes cfg_lock after this).
	 */
	if (fn->resetting || (fn->pf && !iovsim_vf_enabled(fn))) {
		raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
		rcu_read_unlock();
		return PCIBIOS_SUCCESSFUL;
	}
	vfe = iovsim_sriov_vfe(fn);
	old = cfg_get(cfg->data, dw, 4);
	for (i = 0; i < size; i++) {
		unsigned int a = where + i;
		u8 b = val >> (8 * i);

		cfg->data[a] = ((cfg->data[a] & ~cfg->wmask[a]) |
				(b & cfg->wmask[a])) & ~(b & cfg->w1cmask[a]);
	}
	cfg_fixup(fn, dw, old);
	iovsim_sriov_cfg_fixup(fn, dw, old);
	new = cfg_get(cfg->data, dw, 4);
	flr = cfg_flr_requested(fn, dw, new);
	if (flr) {
		memcpy(cfg->data, cfg->init, IOVSIM_CFG_SIZE);
		WRITE_ONCE(fn->resetting, true);
	}
	vfe = vfe && !iovsim_sriov_vfe(fn);
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
	/* Bus Master Enable, MSI-X Enable or the D-state may free raises. */
	iovsim_fn_irqs_cfg_written(fn);

	if (vfe)	/* VF Enable cleared: the VFs are gone */
		iovsim_sriov_reset_vfs(fn);
	if (flr)
		iovsim_fn_flr(fn);
	else if (fn->ops->cfg_write)
		fn->ops->cfg_write(fn, dw, old, new);
	rcu_read_unlock();
	return PCIBIOS_SUCCESSFUL;
}

struct pci_ops iovsim_pci_ops = {
	.read	= iovsim_pci_read,
	.write	= iovsim_pci_write,
};
