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
 * Disable the VFs of @pdev, unless one is assigned to a guest: that one's
 * guest would lose its device.  Process context, under the device lock.
 */
static int pf_disable_vfs(struct pci_dev *pdev)
{
	if (pci_vfs_assigned(pdev)) {
		pci_warn(pdev, "cannot disable VFs while one is assigned\n");
		return -EBUSY;
	}
	iovsim_sriov_reps_del(pf_dev(pdev));
	pci_disable_sriov(pdev);
	iovsim_sriov_vfs_reset(pf_dev(pdev)->pf);
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

	/* the VFs' drivers may send as soon as they probe */
	iovsim_esw_set_num_vfs(sdev->pf->esw, num_vfs);
	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		pci_err(pdev, "cannot enable %d VFs: %d\n", num_vfs, ret);
		goto err_num;
	}
	ret = iovsim_sriov_reps_add(sdev, num_vfs);
	if (ret)
		goto err_disable;
	return num_vfs;

err_disable:
	pci_disable_sriov(pdev);
	iovsim_sriov_vfs_reset(sdev->pf);
err_num:
	iovsim_esw_set_num_vfs(sdev->pf->esw, 0);
	return ret;
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
	iovsim_sriov_reps_del(sdev);
	pci_disable_sriov(pdev);
	iovsim_sriov_vfs_reset(sdev->pf);
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
