// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PF driver: binds the SR-IOV NIC's physical functions (the host sets
 * their driver_override to it), gives each a devlink instance and a
 * netdev (devlink.c, netdev.c), and enables and disables their VFs when
 * user space writes sriov_numvfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#include <iovsim/pcihost.h>
#include <uapi/iovsim/pci_ids.h>

#include "internal.h"

static struct iovsim_sriov_dev *pf_dev(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

/*
 * The VFs of @pdev are disabled: each gets its initial settings back,
 * and its whole MSI-X table (sriov_vf_msix_count).  Process context.
 */
static void pf_vfs_reset(struct pci_dev *pdev)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(pdev), *vf;
	unsigned int n;

	for (n = 0; (vf = iovsim_fn_vf(fn, n)); n++)
		WARN_ON(iovsim_fn_set_msix_size(vf, iovsim_fn_msix_max(vf)));
	iovsim_sriov_vfs_reset(pf_dev(pdev)->pf);
}

/*
 * Disable the VFs of @pdev, unless one is assigned to a guest: that one's
 * guest would lose its device.  Process context, under the device lock.
 */
static int pf_disable_vfs(struct pci_dev *pdev)
{
	if (pci_vfs_assigned(pdev)) {
		pci_warn(pdev, "cannot disable VFs while one is assigned\n");
		return -EBUSY;
	}
	iovsim_sriov_vfs_disable(pf_dev(pdev));
	pf_vfs_reset(pdev);
	return 0;
}

/**
 * pf_sriov_configure() - the sriov_numvfs write: enable or disable VFs
 * @pdev: the PF
 * @num_vfs: VFs wanted, 0 to disable them
 *
 * Context: process; the PCI core holds the PF's device lock and
 * pci_lock_rescan_remove().  It has already refused to change a non-zero
 * number of VFs into another (-EBUSY) and a number above TotalVFs
 * (-ERANGE).
 *
 * In switchdev mode the VFs' representors come with them.
 *
 * Return: the number of VFs enabled, or a negative errno: -EBUSY while a
 * VF is assigned, or what pci_enable_sriov() or creating the
 * representors returns.
 */
static int pf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct iovsim_sriov_dev *sdev = pf_dev(pdev);
	int ret;

	if (!num_vfs)
		return pf_disable_vfs(pdev);
	ret = iovsim_sriov_vfs_enable(sdev, num_vfs);
	if (ret) {
		pf_vfs_reset(pdev);
		return ret;
	}
	return num_vfs;
}

/* A virtio-net VF needs a vector for its configuration, one for its queues */
#define PF_VF_MIN_MSIX	2

/**
 * pf_sriov_get_vf_total_msix() - the MSI-X vectors the PF shares out
 * @pdev: the PF
 *
 * Every VF is built with a table for one vector per queue plus one for
 * configuration changes (4 with one queue pair); the pool is that times
 * TotalVFs, so no VF's share takes from another's.
 *
 * Context: process, the PF's device lock held (sysfs
 * sriov_vf_total_msix).
 *
 * Return: the pool's size.
 */
static u32 pf_sriov_get_vf_total_msix(struct pci_dev *pdev)
{
	struct iovsim_sriov_dev *sdev = pf_dev(pdev);
	struct iovsim_fn *vf;

	vf = iovsim_fn_vf(iovsim_fn_from_pci_dev(pdev), 0);
	return vf ? iovsim_fn_msix_max(vf) * sdev->pf->p.total_vfs : 0;
}

/**
 * pf_sriov_set_msix_vec_count() - size a VF's MSI-X table
 * @vf: the VF, which no driver has
 * @count: vectors, PF_VF_MIN_MSIX up to the table it is built with; 0
 *	gives it that whole table again
 *
 * The VF's driver sees the new Table Size when it next enables MSI-X.
 * Context: process, the VF's device lock held (sysfs
 * sriov_vf_msix_count); the PCI core has checked that the VF is unbound.
 *
 * Return: 0, or -EINVAL for a count out of range (one log line), -EBUSY
 * while its MSI-X is enabled.
 */
static int pf_sriov_set_msix_vec_count(struct pci_dev *vf, int count)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(vf);
	unsigned int max;

	if (!fn)
		return -ENODEV;
	max = iovsim_fn_msix_max(fn);
	if (!count)
		count = max;
	if (count < PF_VF_MIN_MSIX || count > max) {
		pci_warn(vf, "MSI-X vector count %d out of range %d..%u\n",
			 count, PF_VF_MIN_MSIX, max);
		return -EINVAL;
	}
	return iovsim_fn_set_msix_size(fn, count);
}

static int pf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(pdev);
	struct iovsim_sriov_dev *sdev;
	int ret;

	/*
	 * Only the PFs of pf.c, whose model the netdev uses: a
	 * driver_override can bring any function here.
	 */
	if (!fn || !pdev->is_physfn || pdev->vendor != IOVSIM_PCI_VENDOR_ID ||
	    pdev->device != IOVSIM_PCI_DEVICE_ID_SRIOV_PF)
		return -ENODEV;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	sdev = iovsim_sriov_dev_create(pdev, iovsim_fn_priv(fn));
	if (IS_ERR(sdev)) {
		pci_disable_device(pdev);
		return PTR_ERR(sdev);
	}
	pci_set_drvdata(pdev, sdev);
	return 0;
}

/*
 * Unbinding takes the VFs away whatever uses them, as removing the PF
 * would: the PCI core unbinds their drivers first.
 */
static void pf_remove(struct pci_dev *pdev)
{
	struct iovsim_sriov_dev *sdev = pf_dev(pdev);

	if (pci_vfs_assigned(pdev))
		pci_warn(pdev, "removing VFs assigned to a guest\n");
	iovsim_sriov_vfs_disable(sdev);
	pf_vfs_reset(pdev);
	iovsim_sriov_dev_destroy(sdev);
	pci_set_drvdata(pdev, NULL);
	pci_disable_device(pdev);
}

static const struct pci_device_id pf_ids[] = {
	{ PCI_DEVICE(IOVSIM_PCI_VENDOR_ID, IOVSIM_PCI_DEVICE_ID_SRIOV_PF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pf_ids);

static struct pci_driver pf_driver = {
	.name			= KBUILD_MODNAME,
	.id_table		= pf_ids,
	.probe			= pf_probe,
	.remove			= pf_remove,
	.sriov_configure	= pf_sriov_configure,
	.sriov_get_vf_total_msix = pf_sriov_get_vf_total_msix,
	.sriov_set_msix_vec_count = pf_sriov_set_msix_vec_count,
};

/**
 * iovsim_sriov_driver_init() - register the PF driver
 *
 * Return: 0 or a negative errno.
 */
int iovsim_sriov_driver_init(void)
{
	return pci_register_driver(&pf_driver);
}

/**
 * iovsim_sriov_driver_exit() - unregister the PF driver
 */
void iovsim_sriov_driver_exit(void)
{
	pci_unregister_driver(&pf_driver);
}
