// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_mdev: VFIO passthrough of iovsim functions.
 *
 * Bind a function to the iovsim_mdev PCI driver (driver_override, or
 * driverctl set-override <bdf> iovsim_mdev); it becomes an mdev parent
 * with one type, iovsim_mdev-passthrough.  The mdev created on it
 * (through sysfs or mdevctl) is a VFIO device with an emulated IOMMU:
 * user space (a user-space driver, QEMU's vfio-pci) opens it through its
 * VFIO group and reaches the function's configuration space, BARs and
 * MSI-X vectors as vfio-pci would present them.  See Documentation/mdev.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "internal.h"

static int __init iovsim_mdev_init(void)
{
	int ret;

	ret = mdev_register_driver(&iovsim_mdev_driver);
	if (ret)
		return ret;
	ret = iovsim_mdev_pci_init();
	if (ret)
		goto err_mdev;
	pr_info("loaded\n");
	return 0;

err_mdev:
	mdev_unregister_driver(&iovsim_mdev_driver);
	return ret;
}

static void __exit iovsim_mdev_exit(void)
{
	iovsim_mdev_pci_exit();
	mdev_unregister_driver(&iovsim_mdev_driver);
	pr_info("unloaded\n");
}

module_init(iovsim_mdev_init);
module_exit(iovsim_mdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iovsim: VFIO passthrough of iovsim PCI functions (mdev)");
MODULE_SOFTDEP("pre: vfio_iommu_type1");
