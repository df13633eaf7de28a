// SPDX-License-Identifier: GPL-2.0-only
/*
 * devlink: one instance per bound PF (pci/<address>), whose private data
 * is the driver's state of that PF (&struct iovsim_sriov_dev).
 *
 * Ports: index 0 is the wire (flavour physical, port 0), whose netdev is
 * the PF's; in switchdev mode, index 1 + n is VF n's (flavour pcivf,
 * pfnum 0, vfnum n), whose netdev is its representor (rep.c).  All carry
 * the switch ID, the PF's MAC address.  `devlink port function set
 * pci/<pf>/<1 + n> hw_addr X` sets VF n's MAC, as `ip link set <pf> vf n
 * mac X` does.
 *
 * `devlink dev eswitch set pci/<pf> mode switchdev` creates the
 * representors of the enabled VFs and turns the switch into switchdev
 * mode (eswitch.c); enabling VFs in switchdev mode creates theirs;
 * `mode legacy` and disabling the VFs take them away.
 *
 * Locking: the devlink instance lock (devl_lock()) protects the mode and
 * the representors; devlink holds it around the eswitch and port
 * callbacks, the PF driver takes it around enabling and disabling VFs.
 * It nests inside the PF's device lock and the PCI rescan lock
 * (sriov_numvfs) and outside the VFs' device locks and RTNL
 * (representors and VF netdevs register under it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/devlink.h>

#include <iovsim/compat.h>

#include "internal.h"

#define SRIOV_PHYS_PORT		0
#define SRIOV_VF_PORT(n)	(1 + (n))

static struct iovsim_sriov_dev *sdev_of(struct devlink *devlink)
{
	return devlink_priv(devlink);
}

static void sriov_switch_id(struct iovsim_sriov_dev *sdev,
			    struct netdev_phys_item_id *id)
{
	id->id_len = ETH_ALEN;
	memcpy(id->id, sdev->pf->p.mac, ETH_ALEN);
}

static int sriov_eswitch_mode_get(struct devlink *devlink, u16 *mode)
{
	*mode = sdev_of(devlink)->switchdev ? DEVLINK_ESWITCH_MODE_SWITCHDEV :
		DEVLINK_ESWITCH_MODE_LEGACY;
	return 0;
}

/* Representors of VFs 0..@num_vfs - 1; under the devlink lock. */
static int sriov_reps_add_locked(struct iovsim_sriov_dev *sdev,
				 unsigned int num_vfs)
{
	struct iovsim_sriov_rep *rep;
	unsigned int n;

	for (n = 0; n < num_vfs; n++) {
		rep = iovsim_sriov_rep_create(sdev, n);
		if (IS_ERR(rep)) {
			pci_err(sdev->pdev, "cannot create VF %u's representor: %ld\n",
				n, PTR_ERR(rep));
			while (n--) {
				iovsim_sriov_rep_destroy(sdev->reps[n]);
				sdev->reps[n] = NULL;
			}
			return PTR_ERR(rep);
		}
		sdev->reps[n] = rep;
	}
	return 0;
}

/* Every representor goes; under the devlink lock. */
static void sriov_reps_del_locked(struct iovsim_sriov_dev *sdev)
{
	unsigned int n;

	for (n = sdev->pf->p.total_vfs; n--; ) {
		if (!sdev->reps[n])
			continue;
		iovsim_sriov_rep_destroy(sdev->reps[n]);
		sdev->reps[n] = NULL;
	}
}

/*
 * devlink eswitch set: process context, the devlink instance lock held.
 * The switch changes mode once the representors exist (to switchdev) or
 * before they go (to legacy), so no frame is sent to a missing one.
 */
static int sriov_eswitch_mode_set(struct devlink *devlink, u16 mode,
				  struct netlink_ext_ack *extack)
{
	struct iovsim_sriov_dev *sdev = sdev_of(devlink);
	bool switchdev = mode == DEVLINK_ESWITCH_MODE_SWITCHDEV;
	int ret;

	if (mode != DEVLINK_ESWITCH_MODE_LEGACY && !switchdev) {
		NL_SET_ERR_MSG_MOD(extack, "only legacy and switchdev modes");
		return -EOPNOTSUPP;
	}
	if (switchdev == sdev->switchdev)
		return 0;
	if (switchdev) {
		ret = sriov_reps_add_locked(sdev, pci_num_vf(sdev->pdev));
		if (ret) {
			NL_SET_ERR_MSG_MOD(extack, "cannot create the representors");
			return ret;
		}
		iovsim_esw_set_switchdev(sdev->pf->esw, true);
	} else {
		iovsim_esw_set_switchdev(sdev->pf->esw, false);
		sriov_reps_del_locked(sdev);
	}
	sdev->switchdev = switchdev;
	pci_info(sdev->pdev, "eswitch mode %s\n",
		 switchdev ? "switchdev" : "legacy");
	return 0;
}

/* Port function callbacks: the devlink lock held; only VF ports have them. */
static int sriov_port_hw_addr_get(struct devlink_port *port, u8 *hw_addr,
				  int *hw_addr_len,
				  struct netlink_ext_ack *extack)
{
	struct iovsim_sriov_dev *sdev = sdev_of(port->devlink);
	struct iovsim_esw_vf_cfg cfg;

	if (port->index == SRIOV_PHYS_PORT)
		return -EOPNOTSUPP;
	iovsim_esw_vf_get(sdev->pf->esw, port->index - 1, &cfg);
	ether_addr_copy(hw_addr, cfg.mac);
	*hw_addr_len = ETH_ALEN;
	return 0;
}

static int sriov_port_hw_addr_set(struct devlink_port *port,
				  const u8 *hw_addr, int hw_addr_len,
				  struct netlink_ext_ack *extack)
{
	struct iovsim_sriov_dev *sdev = sdev_of(port->devlink);
	int ret;

	if (port->index == SRIOV_PHYS_PORT)
		return -EOPNOTSUPP;
	if (hw_addr_len != ETH_ALEN || !is_valid_ether_addr(hw_addr)) {
		NL_SET_ERR_MSG_MOD(extack, "not a unicast MAC address");
		return -EINVAL;
	}
	/* VF settings change under RTNL, as ndo_set_vf_mac's do */
	rtnl_lock();
	ret = iovsim_sriov_vf_set_mac(sdev, port->index - 1, hw_addr);
	rtnl_unlock();
	return ret;
}

#ifdef IOVSIM_HAVE_DEVLINK_PORT_OPS
static const struct devlink_port_ops sriov_vf_port_ops = {
	.port_fn_hw_addr_get	= sriov_port_hw_addr_get,
	.port_fn_hw_addr_set	= sriov_port_hw_addr_set,
};

#define SRIOV_VF_PORT_OPS	(&sriov_vf_port_ops)
#else
#define SRIOV_VF_PORT_OPS	NULL
#endif

static const struct devlink_ops sriov_devlink_ops = {
	.eswitch_mode_get	= sriov_eswitch_mode_get,
	.eswitch_mode_set	= sriov_eswitch_mode_set,
#ifndef IOVSIM_HAVE_DEVLINK_PORT_OPS
	.port_function_hw_addr_get = sriov_port_hw_addr_get,
	.port_function_hw_addr_set = sriov_port_hw_addr_set,
#endif
};

/**
 * iovsim_sriov_vf_port_register() - register VF @n's devlink port
 * @sdev: its PF
 * @port: the port, zeroed, owned by its representor
 * @n: VF number
 *
 * Under the devlink instance lock.
 *
 * Return: 0 or a negative errno.
 */
int iovsim_sriov_vf_port_register(struct iovsim_sriov_dev *sdev,
				  struct devlink_port *port, unsigned int n)
{
	/* the switch ID first: setting the flavour makes it a switch port */
	sriov_switch_id(sdev, &port->attrs.switch_id);
	devlink_port_attrs_pci_vf_set(port, 0, 0, n, false);
	return iovsim_devl_port_register(priv_to_devlink(sdev), port,
					 SRIOV_VF_PORT(n), SRIOV_VF_PORT_OPS);
}

/**
 * iovsim_sriov_vfs_enable() - enable VFs, with representors in switchdev
 *	mode
 * @sdev: the PF
 * @num_vfs: VFs wanted
 *
 * Holds the devlink instance lock throughout, so that the mode cannot
 * change between the VFs and their representors.  Process context
 * (.sriov_configure: the PF's device lock held, and the rescan lock on
 * 6.12, both outside the devlink lock).
 *
 * Return: 0 or a negative errno, with no VF left enabled.
 */
int iovsim_sriov_vfs_enable(struct iovsim_sriov_dev *sdev,
			    unsigned int num_vfs)
{
	struct devlink *devlink = priv_to_devlink(sdev);
	struct pci_dev *pdev = sdev->pdev;
	int ret;

	devl_lock(devlink);
	/* the VFs' drivers may send as soon as they probe */
	iovsim_esw_set_num_vfs(sdev->pf->esw, num_vfs);
	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		pci_err(pdev, "cannot enable %u VFs: %d\n", num_vfs, ret);
		iovsim_esw_set_num_vfs(sdev->pf->esw, 0);
		goto out;
	}
	if (sdev->switchdev) {
		ret = sriov_reps_add_locked(sdev, num_vfs);
		if (ret) {
			pci_disable_sriov(pdev);
			iovsim_esw_set_num_vfs(sdev->pf->esw, 0);
		}
	}
out:
	devl_unlock(devlink);
	return ret;
}

/**
 * iovsim_sriov_vfs_disable() - disable the VFs, their representors first
 * @sdev: the PF
 *
 * The mode stays.  Process context, as iovsim_sriov_vfs_enable().
 */
void iovsim_sriov_vfs_disable(struct iovsim_sriov_dev *sdev)
{
	struct devlink *devlink = priv_to_devlink(sdev);

	devl_lock(devlink);
	sriov_reps_del_locked(sdev);
	pci_disable_sriov(sdev->pdev);
	iovsim_esw_set_num_vfs(sdev->pf->esw, 0);
	devl_unlock(devlink);
}

/**
 * iovsim_sriov_dev_create() - the driver's state of a PF being probed
 * @pdev: the PF, enabled
 * @pf: its model state
 *
 * Allocates its devlink instance, registers the wire's port and the PF
 * netdev, then makes the instance visible.  Legacy mode.  Process
 * context.
 *
 * Return: the state (the instance's private data) or an ERR_PTR().
 */
struct iovsim_sriov_dev *iovsim_sriov_dev_create(struct pci_dev *pdev,
						 struct iovsim_sriov_pf *pf)
{
	struct devlink_port_attrs attrs = {
		.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL,
		.phys.port_number = 0,
	};
	struct iovsim_sriov_dev *sdev;
	struct devlink *devlink;
	int ret;

	devlink = devlink_alloc(&sriov_devlink_ops, sizeof(*sdev), &pdev->dev);
	if (!devlink)
		return ERR_PTR(-ENOMEM);
	sdev = devlink_priv(devlink);
	sdev->pdev = pdev;
	sdev->pf = pf;
	sdev->reps = kcalloc(pf->p.total_vfs, sizeof(*sdev->reps), GFP_KERNEL);
	if (!sdev->reps) {
		ret = -ENOMEM;
		goto err_free;
	}

	sriov_switch_id(sdev, &attrs.switch_id);
	devlink_port_attrs_set(&sdev->phys_port, &attrs);
	devl_lock(devlink);
	ret = devl_port_register(devlink, &sdev->phys_port, SRIOV_PHYS_PORT);
	devl_unlock(devlink);
	if (ret)
		goto err_reps;
	ret = iovsim_sriov_netdev_create(sdev);
	if (ret)
		goto err_port;
	devlink_register(devlink);
	return sdev;

err_port:
	devl_lock(devlink);
	devl_port_unregister(&sdev->phys_port);
	devl_unlock(devlink);
err_reps:
	kfree(sdev->reps);
err_free:
	devlink_free(devlink);
	return ERR_PTR(ret);
}

/**
 * iovsim_sriov_dev_destroy() - undo iovsim_sriov_dev_create()
 * @sdev: the PF's state, no VF enabled any more
 *
 * Process context.
 */
void iovsim_sriov_dev_destroy(struct iovsim_sriov_dev *sdev)
{
	struct devlink *devlink = priv_to_devlink(sdev);

	devlink_unregister(devlink);
	devl_lock(devlink);
	iovsim_esw_set_switchdev(sdev->pf->esw, false);
	sriov_reps_del_locked(sdev);
	devl_unlock(devlink);
	iovsim_sriov_netdev_destroy(sdev);
	devl_lock(devlink);
	devl_port_unregister(&sdev->phys_port);
	devl_unlock(devlink);
	kfree(sdev->reps);
	devlink_free(devlink);
}
