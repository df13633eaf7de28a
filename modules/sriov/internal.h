/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_sriov internals shared by the files of the module.
 */
#ifndef _IOVSIM_SRIOV_INTERNAL_H
#define _IOVSIM_SRIOV_INTERNAL_H

#include <linux/if_ether.h>
#include <linux/types.h>

struct iovsim_fn;

#define IOVSIM_SRIOV_MAX_VFS		256
#define IOVSIM_SRIOV_DEFAULT_VFS	8
#define IOVSIM_SRIOV_MAX_PFS		64

/**
 * struct iovsim_sriov_params - what a physical function is built from
 * @total_vfs: TotalVFs, 1..IOVSIM_SRIOV_MAX_VFS
 * @mac: the PF's MAC address; VF n gets @mac + n + 1
 */
struct iovsim_sriov_params {
	unsigned int total_vfs;
	u8 mac[ETH_ALEN];
};

/**
 * struct iovsim_sriov_pf - model state of a physical function
 * @id: number of the PF, unique while it exists; its VFs' ports are
 *	sr<id>vf<n>
 * @p: its parameters
 */
struct iovsim_sriov_pf {
	int id;
	struct iovsim_sriov_params p;
};

/* pf.c */
void iovsim_sriov_default_params(struct iovsim_sriov_params *p);
struct iovsim_fn *iovsim_sriov_pf_create(const struct iovsim_sriov_params *p);
void iovsim_sriov_pf_exit(void);

/* driver.c */
int iovsim_sriov_driver_init(void);
void iovsim_sriov_driver_exit(void);

/* configfs.c */
int iovsim_sriov_configfs_init(void);
void iovsim_sriov_configfs_exit(void);

#endif /* _IOVSIM_SRIOV_INTERNAL_H */
