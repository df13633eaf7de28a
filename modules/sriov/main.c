// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_sriov: an SR-IOV NIC on the iovsim PCI domain.  Each physical
 * function (pf.c) has up to 256 VFs, virtio-net functions the kernel's
 * PCI core enumerates when sriov_numvfs is written to the PF driver
 * (driver.c).
 *
 * PFs are created at load time with the module parameters below, or
 * through configfs (configfs.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include <iovsim/pcihost.h>

#include "internal.h"

static unsigned int pfs = 1;
module_param(pfs, uint, 0444);
MODULE_PARM_DESC(pfs, "physical functions to add at load time (0-32, default 1)");

static unsigned int total_vfs = IOVSIM_SRIOV_DEFAULT_VFS;
module_param(total_vfs, uint, 0444);
MODULE_PARM_DESC(total_vfs, "TotalVFs of each of them (1-256, default 8)");

static struct iovsim_fn *load_pfs[IOVSIM_SRIOV_MAX_PFS];

static void load_pfs_remove(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(load_pfs); i++) {
		if (load_pfs[i])
			iovsim_fn_remove(load_pfs[i]);
		load_pfs[i] = NULL;
	}
}

static int load_pfs_add(void)
{
	struct iovsim_sriov_params p;
	struct iovsim_fn *fn;
	unsigned int i;
	int ret;

	if (pfs > IOVSIM_SRIOV_MAX_PFS) {
		pr_err("pfs %u out of range 0..%d\n", pfs,
		       IOVSIM_SRIOV_MAX_PFS);
		return -ERANGE;
	}
	if (total_vfs < 1 || total_vfs > IOVSIM_SRIOV_MAX_VFS) {
		pr_err("total_vfs %u out of range 1..%d\n", total_vfs,
		       IOVSIM_SRIOV_MAX_VFS);
		return -ERANGE;
	}
	for (i = 0; i < pfs; i++) {
		iovsim_sriov_default_params(&p);
		p.total_vfs = total_vfs;
		fn = iovsim_sriov_pf_create(&p);
		if (IS_ERR(fn))
			return PTR_ERR(fn);
		ret = iovsim_fn_add(fn, -1);
		if (ret) {
			pr_err("cannot add PF %u: %d\n", i, ret);
			iovsim_fn_discard(fn);
			return ret;
		}
		load_pfs[i] = fn;
	}
	return 0;
}

static int __init iovsim_sriov_init(void)
{
	int ret;

	ret = iovsim_sriov_driver_init();
	if (ret)
		return ret;
	ret = load_pfs_add();
	if (ret)
		goto err_pfs;
	ret = iovsim_sriov_configfs_init();
	if (ret)
		goto err_pfs;
	pr_info("loaded\n");
	return 0;

err_pfs:
	load_pfs_remove();
	iovsim_sriov_driver_exit();
	iovsim_sriov_pf_exit();
	return ret;
}
module_init(iovsim_sriov_init);

static void __exit iovsim_sriov_exit(void)
{
	iovsim_sriov_configfs_exit();
	load_pfs_remove();
	iovsim_sriov_driver_exit();
	iovsim_sriov_pf_exit();
	pr_info("unloaded\n");
}
module_exit(iovsim_sriov_exit);

MODULE_DESCRIPTION("iovsim SR-IOV NIC: physical function model and PF driver");
MODULE_LICENSE("GPL");
