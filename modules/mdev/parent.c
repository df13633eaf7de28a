// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iovsim_mdev PCI driver: a function bound to it becomes an mdev
 * parent with one type.  It binds only through driver_override (no ID
 * table), and only to iovsim functions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include <iovsim/pcihost.h>

#include "internal.h"

static int iovsim_mdev_pci_probe(struct pci_dev *pdev,
				 const struct pci_device_id *id)
{
	struct iovsim_fn *fn = iovsim_fn_from_pci_dev(pdev);
	struct iovsim_mdev_parent *mp;
	int ret;

	if (!fn) {
		pci_info(pdev, "not an iovsim function\n");
		return -ENODEV;
	}
	/*
	 * Passthrough needs a model that reaches memory only through the
	 * DMA context it is given (else the user's IOVAs would be host
	 * physical addresses to it), and a function-level reset, which is
	 * how the function is quiesced before its DMA context changes.
	 */
	if (iovsim_fn_set_dma(fn, NULL) || pcie_reset_flr(pdev, PCI_RESET_PROBE)) {
		pci_info(pdev, "its model cannot be passed through (no DMA context or no FLR)\n");
		return -ENODEV;
	}
	mp = kzalloc(sizeof(*mp), GFP_KERNEL);
	if (!mp)
		return -ENOMEM;
	mp->pdev = pdev;
	mp->fn = fn;
	snprintf(mp->name, sizeof(mp->name), "iovsim passthrough %04x:%04x",
		 pdev->vendor, pdev->device);
	mp->type.sysfs_name = "passthrough";
	mp->type.pretty_name = mp->name;
	mp->types[0] = &mp->type;
	pci_set_drvdata(pdev, mp);
	pci_save_state(pdev);
	mp->saved = pci_store_saved_state(pdev);
	if (!mp->saved) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = mdev_register_parent(&mp->parent, &pdev->dev, &iovsim_mdev_driver,
				   mp->types, ARRAY_SIZE(mp->types));
	if (ret)
		goto err_saved;
	return 0;

err_saved:
	kfree(mp->saved);
err_free:
	kfree(mp);
	return ret;
}

/*
 * Unbinding, or removing the function: mdev_unregister_parent() removes
 * the mdev, which waits until user space has closed its VFIO device; then
 * the configuration the host had at bind comes back.
 */
static void iovsim_mdev_pci_remove(struct pci_dev *pdev)
{
	struct iovsim_mdev_parent *mp = pci_get_drvdata(pdev);

	mdev_unregister_parent(&mp->parent);
	pci_load_and_free_saved_state(pdev, &mp->saved);
	pci_restore_state(pdev);
	kfree(mp);
}

static struct pci_driver iovsim_mdev_pci_driver = {
	.name		= KBUILD_MODNAME,
	.probe		= iovsim_mdev_pci_probe,
	.remove		= iovsim_mdev_pci_remove,
};

/**
 * iovsim_mdev_pci_init() - register the iovsim_mdev PCI driver
 *
 * Return: 0 or a negative errno.
 */
int iovsim_mdev_pci_init(void)
{
	return pci_register_driver(&iovsim_mdev_pci_driver);
}

/**
 * iovsim_mdev_pci_exit() - unregister it, unbinding every function
 */
void iovsim_mdev_pci_exit(void)
{
	pci_unregister_driver(&iovsim_mdev_pci_driver);
}
