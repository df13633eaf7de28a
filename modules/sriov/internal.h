/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_sriov internals shared by the files of the module.
 */
#ifndef _IOVSIM_SRIOV_INTERNAL_H
#define _IOVSIM_SRIOV_INTERNAL_H

#include <linux/if_ether.h>
#include <linux/types.h>

struct iovsim_fn;
struct pci_dev;

#define IOVSIM_SRIOV_MAX_VFS		256
#define IOVSIM_SRIOV_DEFAULT_VFS	8
#define IOVSIM_SRIOV_MAX_PFS		32	/* function 0 of each slot */

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
 * struct iovsim_sriov_vf - what the PF's administrator set for a VF
 * @mac: its MAC address (ndo_set_vf_mac)
 * @link_state: IFLA_VF_LINK_STATE_AUTO, _ENABLE or _DISABLE
 */
struct iovsim_sriov_vf {
	u8 mac[ETH_ALEN];
	int link_state;
};

/**
 * struct iovsim_sriov_pf - model state of a physical function
 * @id: number of the PF, unique while it exists; its VFs' ports are
 *	sr<id>vf<n>
 * @p: its parameters
 * @vf: per-VF settings, @p.total_vfs of them; under RTNL, or owned by
 *	the PF driver's .sriov_configure while no VF is enabled
 */
struct iovsim_sriov_pf {
	int id;
	struct iovsim_sriov_params p;
	struct iovsim_sriov_vf *vf;
};

/* pf.c */
void iovsim_sriov_default_params(struct iovsim_sriov_params *p);
bool iovsim_sriov_mac_fits(const u8 *mac, unsigned int total_vfs);
struct iovsim_fn *iovsim_sriov_pf_create(const struct iovsim_sriov_params *p);
void iovsim_sriov_pf_exit(void);
void iovsim_sriov_vf_port(const struct iovsim_sriov_pf *pf, unsigned int n,
			  char *port);
void iovsim_sriov_vf_default_mac(const struct iovsim_sriov_pf *pf,
				 unsigned int n, u8 *mac);

/* netdev.c */
int iovsim_sriov_netdev_create(struct pci_dev *pdev,
			       struct iovsim_sriov_pf *pf);
void iovsim_sriov_netdev_destroy(struct pci_dev *pdev);
void iovsim_sriov_vfs_reset(struct iovsim_sriov_pf *pf);

/* driver.c */
int iovsim_sriov_driver_init(void);
void iovsim_sriov_driver_exit(void);

/* configfs.c */
int iovsim_sriov_configfs_init(void);
void iovsim_sriov_configfs_exit(void);

#endif /* _IOVSIM_SRIOV_INTERNAL_H */
