// SPDX-License-Identifier: GPL-2.0-only
/*
 * SR-IOV: physical functions (PFs) with an SR-IOV extended capability and
 * the virtual functions (VFs) behind them (PCI Express Base 6.0, 9.3).
 *
 * A model builds a PF with iovsim_cfg_add_sriov() and hands it one
 * function per VF, built like any function, with iovsim_fn_add_vf().  The
 * host turns each into a VF: Vendor and Device ID read 0xffff, the BARs
 * read zero and are sized and placed by the PF's VF BARs, Memory Space
 * Enable is the PF's VF MSE.  When the PF is added, its VFs are placed on
 * bus (PF devfn + 1), VF n at devfn n (First VF Offset set for that, VF
 * Stride 1): one bus holds up to 256 VFs, and the PFs of the root bus
 * never share a VF bus.  A VF answers configuration, BAR and DMA cycles
 * only while the PF's VF Enable is set and its index is below NumVFs,
 * which is how the PCI core's pci_enable_sriov() finds them; clearing VF
 * Enable resets every VF.  The VFs stay allocated for the life of the
 * PF: memory for TotalVFs functions is taken when the PF is built.
 *
 * Registers (all others read-only):
 *	SR-IOV Control	VF Enable, VF MSE, ARI Capable Hierarchy
 *	NumVFs		writable while VF Enable is clear, else kept
 *	System Page Size	one of the supported sizes (4K, 8K, 64K, 256K,
 *			1M, 4M), while VF Enable is clear, else kept; each VF
 *			BAR is at least that large and aligned to it
 *	VF BARn		64-bit memory BARs, sized as the VFs' BARs
 * No VF Migration, no ARI capability of our own (the root bus is not
 * ARI), Function Dependency Link is the PF itself.
 */
#include <linux/bitops.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "internal.h"

/* Supported Page Sizes: the sizes the specification requires. */
#define SRIOV_SUP_PGSIZE	0x553

/*
 * Write masks of the VF BARs for System Page Size @pgsz (a bit of
 * SRIOV_SUP_PGSIZE): each VF's share of a VF BAR is the VFs' BAR size
 * rounded up to the page, and aligned to it.  Caller holds pf->cfg_lock,
 * or builds @pf.
 */
static void sriov_set_bar_masks(struct iovsim_fn *pf, u32 pgsz)
{
	u64 page = (u64)pgsz << 12, size, mask;
	unsigned int bar, where;

	for (bar = 0; bar < IOVSIM_NR_BARS; bar++) {
		size = pf->vfs[0]->bar_size[bar];
		if (!size)
			continue;
		size = max(size, page);
		mask = ~(size - 1) & ~0xfULL;
		where = pf->sriov_cap + PCI_SRIOV_BAR + 4 * bar;
		cfg_put(pf->cfg->wmask, where, 4, lower_32_bits(mask));
		cfg_put(pf->cfg->wmask, where + 4, 4, upper_32_bits(mask));
		/* address bits below the new size read zero */
		cfg_put(pf->cfg->data, where, 4,
			(cfg_get(pf->cfg->data, where, 4) & lower_32_bits(mask)) |
			PCI_BASE_ADDRESS_MEM_TYPE_64);
	}
}

/**
 * iovsim_cfg_add_sriov() - make a function an SR-IOV physical function
 * @fn: function being built, with a PCI Express capability
 * @total_vfs: TotalVFs (and InitialVFs), 1 to 256
 *
 * Then hand the PF its @total_vfs VFs with iovsim_fn_add_vf() before
 * iovsim_fn_add().  Process context.
 *
 * Return: offset of the capability, or -EINVAL (no PCI Express
 * capability, bad @total_vfs), -EBUSY (already a PF, or added), -ENOSPC
 * or -ENOMEM.
 */
int iovsim_cfg_add_sriov(struct iovsim_fn *fn, unsigned int total_vfs)
{
	struct iovsim_fn **vfs;
	u8 *d = fn->cfg->data;
	int off, ret;

	if (fn->devfn >= 0 || fn->sriov_cap || fn->pf)
		return -EBUSY;
	if (!fn->pcie_cap || !total_vfs || total_vfs > 256)
		return -EINVAL;

	vfs = kcalloc(total_vfs, sizeof(*vfs), GFP_KERNEL);
	if (!vfs)
		return -ENOMEM;
	off = iovsim_cfg_add_ext_cap(fn, PCI_EXT_CAP_ID_SRIOV, 1,
				     PCI_EXT_CAP_SRIOV_SIZEOF);
	if (off < 0) {
		kfree(vfs);
		return off;
	}

	cfg_put(d, off + PCI_SRIOV_INITIAL_VF, 2, total_vfs);
	cfg_put(d, off + PCI_SRIOV_TOTAL_VF, 2, total_vfs);
	cfg_put(d, off + PCI_SRIOV_SUP_PGSIZE, 4, SRIOV_SUP_PGSIZE);
	cfg_put(d, off + PCI_SRIOV_SYS_PGSIZE, 4, 1);	/* 4 KiB */
	ret = iovsim_cfg_set_masks(fn, off + PCI_SRIOV_CTRL, 2,
				   PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE |
				   PCI_SRIOV_CTRL_ARI, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, off + PCI_SRIOV_NUM_VF, 2,
					   0xffff, 0);
	if (!ret)
		ret = iovsim_cfg_set_masks(fn, off + PCI_SRIOV_SYS_PGSIZE, 4,
					   SRIOV_SUP_PGSIZE, 0);
	if (ret) {
		kfree(vfs);
		return ret;
	}
	fn->vfs = vfs;
	fn->total_vfs = total_vfs;
	fn->sriov_cap = off;
	return off;
}
EXPORT_SYMBOL_GPL(iovsim_cfg_add_sriov);

/* Turn the configuration space of @vf into a VF's (9.3.4). */
static void sriov_vf_cfg(struct iovsim_fn *pf, struct iovsim_fn *vf)
{
	struct iovsim_cfg *cfg = vf->cfg;
	u16 flags;

	cfg_put(cfg->data, PCI_VENDOR_ID, 4, ~0U);
	memset(cfg->data + PCI_BASE_ADDRESS_0, 0, 6 * 4);
	memset(cfg->wmask + PCI_BASE_ADDRESS_0, 0, 6 * 4);
	/* Memory Space Enable is the PF's VF MSE; no I/O space */
	cfg->wmask[PCI_COMMAND] &= ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	/* a VF has its PF's device/port type */
	if (vf->pcie_cap) {
		flags = cfg_get(cfg->data, vf->pcie_cap + PCI_EXP_FLAGS, 2);
		flags &= ~PCI_EXP_FLAGS_TYPE;
		flags |= cfg_get(pf->cfg->data, pf->pcie_cap + PCI_EXP_FLAGS,
				   2) & PCI_EXP_FLAGS_TYPE;
		cfg_put(cfg->data, vf->pcie_cap + PCI_EXP_FLAGS, 2, flags);
	}
}

/**
 * iovsim_fn_add_vf() - give a physical function its next VF
 * @pf: function being built, with iovsim_cfg_add_sriov()
 * @vf: a function built by its model (any model), not added
 *
 * @vf becomes VF number (VFs given so far) of @pf; the PF takes over the
 * caller's reference, and @vf is added and removed with @pf.  Every VF
 * of a PF has the same BARs; the first one sets the PF's VF BARs and VF
 * Device ID.  Process context.
 *
 * Return: 0, or -EINVAL (@pf not a PF being built, @vf added or a PF or
 * VF already, BARs unlike the first VF's), -ENOSPC (TotalVFs given
 * already).  On failure the caller keeps its reference to @vf.
 */
int iovsim_fn_add_vf(struct iovsim_fn *pf, struct iovsim_fn *vf)
{
	unsigned int i, bar, where;
	u16 did;

	if (!pf->sriov_cap || pf->devfn >= 0 || vf->devfn >= 0 ||
	    vf->pf || vf->sriov_cap || vf == pf)
		return -EINVAL;
	for (i = 0; i < pf->total_vfs && pf->vfs[i]; i++)
		;
	if (i == pf->total_vfs)
		return -ENOSPC;
	if (i && memcmp(vf->bar_size, pf->vfs[0]->bar_size,
			sizeof(vf->bar_size)))
		return -EINVAL;

	if (!i) {
		did = cfg_get(vf->cfg->data, PCI_DEVICE_ID, 2);
		cfg_put(pf->cfg->data, pf->sriov_cap + PCI_SRIOV_VF_DID, 2,
			did);
		for (bar = 0; bar < IOVSIM_NR_BARS; bar++) {
			if (!vf->bar_size[bar])
				continue;
			where = pf->sriov_cap + PCI_SRIOV_BAR + 4 * bar;
			cfg_put(pf->cfg->data, where, 4,
				PCI_BASE_ADDRESS_MEM_TYPE_64);
		}
	}
	sriov_vf_cfg(pf, vf);
	kref_get(&pf->ref);
	vf->pf = pf;
	vf->vf_index = i;
	pf->vfs[i] = vf;
	if (!i)
		sriov_set_bar_masks(pf, 1);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_fn_add_vf);

/**
 * iovsim_fn_vf() - a VF of a physical function
 * @pf: the PF
 * @index: VF number, from 0
 *
 * Return: the VF, valid for as long as the caller's reference to @pf, or
 * NULL if @pf has no such VF.
 */
struct iovsim_fn *iovsim_fn_vf(struct iovsim_fn *pf, unsigned int index)
{
	return index < pf->total_vfs ? pf->vfs[index] : NULL;
}
EXPORT_SYMBOL_GPL(iovsim_fn_vf);

/*
 * @pf was just placed on the root bus: route its VFs to bus (devfn + 1)
 * and make them answer there.  Caller holds pci_lock_rescan_remove().
 *
 * Return: 0, or a negative errno with nothing of the VFs left on the bus.
 */
int iovsim_sriov_add_vfs(struct iovsim_fn *pf)
{
	unsigned int cap = pf->sriov_cap, busnr = pf->devfn + 1, i;
	struct iovsim_fn *vf;
	unsigned long flags;
	u8 link;
	int ret;

	if (!cap)
		return 0;
	if (busnr > 0xff)
		return -ENOSPC;

	/* an endpoint's link is its ARI function number, an RCiEP's not */
	link = pf->devfn;
	if (((cfg_get(pf->cfg->data, pf->pcie_cap + PCI_EXP_FLAGS, 2) &
	      PCI_EXP_FLAGS_TYPE) >> 4) == PCI_EXP_TYPE_RC_END)
		link = PCI_FUNC(pf->devfn);
	raw_spin_lock_irqsave(&pf->cfg_lock, flags);
	for (i = 0; i < 2; i++) {
		u8 *p = i ? pf->cfg->init : pf->cfg->data;

		cfg_put(p, cap + PCI_SRIOV_VF_OFFSET, 2,
			(busnr << 8) - pf->devfn);
		cfg_put(p, cap + PCI_SRIOV_VF_STRIDE, 2, 1);
		cfg_put(p, cap + PCI_SRIOV_FUNC_LINK, 1, link);
	}
	raw_spin_unlock_irqrestore(&pf->cfg_lock, flags);

	for (i = 0; i < pf->total_vfs; i++) {
		vf = pf->vfs[i];
		iovsim_cfg_snapshot(vf);
		ret = iovsim_fn_irqs_init(vf);
		if (ret)
			goto err;
		ret = iovsim_host_insert_vf(vf, busnr, i);
		if (ret) {
			iovsim_fn_irqs_free(vf);
			goto err;
		}
		vf->busnr = busnr;
		vf->devfn = i;
	}
	return 0;

err:
	iovsim_sriov_remove_vfs(pf);
	return ret;
}

/*
 * Take @pf's VFs off the bus: the PCI core has removed their pci_devs
 * (pci_disable_sriov()) or never made them.  They stay attached to @pf.
 * Caller holds pci_lock_rescan_remove().
 */
void iovsim_sriov_remove_vfs(struct iovsim_fn *pf)
{
	struct pci_bus *bus;
	struct pci_dev *pdev;
	struct iovsim_fn *vf;
	unsigned int i;

	if (!pf->sriov_cap)
		return;
	bus = pci_find_bus(pci_domain_nr(iovsim_host_bus()), pf->devfn + 1);
	for (i = 0; i < pf->total_vfs; i++) {
		vf = pf->vfs[i];
		if (vf->devfn < 0)
			continue;
		/* pci_disable_sriov() removed it, as only it can */
		pdev = bus ? pci_get_slot(bus, vf->devfn) : NULL;
		WARN_ON(pdev);
		pci_dev_put(pdev);
		iovsim_host_erase(vf);
		iovsim_fn_irqs_kill(vf);
	}
	synchronize_rcu();
	for (i = 0; i < pf->total_vfs; i++) {
		vf = pf->vfs[i];
		if (vf->devfn < 0)
			continue;
		flush_work(&vf->reset_work);
		iovsim_fn_irqs_free(vf);
		vf->devfn = -1;
	}
}

/*
 * Give back @pf's references to its VFs, which are not on the bus: when
 * the PF is removed or discarded.  Process context.
 */
void iovsim_sriov_drop_vfs(struct iovsim_fn *pf)
{
	struct iovsim_fn *vf;
	unsigned int i;

	for (i = 0; i < pf->total_vfs; i++) {
		vf = pf->vfs[i];
		if (!vf)
			continue;
		pf->vfs[i] = NULL;
		__iovsim_fn_put(vf);
	}
}

/*
 * Undo, after a configuration write to the dword at @dw of PF @fn that
 * held @old, what the SR-IOV capability does not allow: NumVFs and
 * System Page Size change only while VF Enable is clear, System Page
 * Size takes one supported size.  A new page size resizes the VF BARs.
 * Caller holds fn->cfg_lock.
 */
void iovsim_sriov_cfg_fixup(struct iovsim_fn *fn, unsigned int dw, u32 old)
{
	unsigned int cap = fn->sriov_cap;
	u8 *d = fn->cfg->data;
	bool vfe;
	u32 pgsz;

	if (!cap)
		return;
	vfe = d[cap + PCI_SRIOV_CTRL] & PCI_SRIOV_CTRL_VFE;
	if (dw == cap + PCI_SRIOV_NUM_VF && vfe) {
		cfg_put(d, dw, 4, old);
	} else if (dw == cap + PCI_SRIOV_SYS_PGSIZE) {
		pgsz = cfg_get(d, dw, 4);
		if (vfe || hweight32(pgsz) != 1) {
			cfg_put(d, dw, 4, old);
			return;
		}
		sriov_set_bar_masks(fn, pgsz);
	}
}

/*
 * PF @pf's VF Enable went from 1 to 0 (a write, or a function-level
 * reset of the PF): every VF is reset as by its own function-level
 * reset.  Called by the pci_ops write, under rcu_read_lock(), in its
 * atomic context.
 */
void iovsim_sriov_reset_vfs(struct iovsim_fn *pf)
{
	const u8 *d = pf->cfg->data;
	unsigned int i, num;

	/* VFs at NumVFs and above were never enabled since their last reset */
	num = cfg_get(d, pf->sriov_cap + PCI_SRIOV_NUM_VF, 2);
	for (i = 0; i < min(num, pf->total_vfs); i++)
		iovsim_fn_reset_state(pf->vfs[i]);
}

/*
 * Does VF @vf decode memory requests: enabled, and its PF's VF MSE set.
 * Any context.
 */
bool iovsim_sriov_vf_decodes(struct iovsim_fn *vf)
{
	const u8 *d = vf->pf->cfg->data;

	return iovsim_vf_enabled(vf) &&
	       (READ_ONCE(d[vf->pf->sriov_cap + PCI_SRIOV_CTRL]) &
		PCI_SRIOV_CTRL_MSE);
}
