// SPDX-License-Identifier: GPL-2.0-only
/*
 * VF representors: in switchdev mode (devlink.c) each enabled VF has a
 * netdev on the PF's side.  What the VF sends comes up on its
 * representor; what is sent on the representor reaches the VF.  So the
 * host's bridge, tc or OVS between representors decides where VF frames
 * go, as with the big NICs' representors.  Each is the netdev of the
 * VF's devlink port (flavour pcivf, pfnum 0, vfnum n), which names it
 * pf0vf<n> (phys_port_name) and gives it the switch's ID.
 *
 * The data path is portdev.c's; the representor's port is connected to
 * the switch's representor port of its VF.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <iovsim/compat.h>
#include <iovsim/netport.h>

#include "internal.h"

/**
 * struct iovsim_sriov_rep - a VF representor, the private data of its
 *	netdev
 * @pd: its data path; first, for the portdev.c functions
 * @sdev: the PF
 * @vf: VF number
 * @dl_port: its devlink port, registered while it exists
 */
struct iovsim_sriov_rep {
	struct iovsim_sriov_portdev pd;
	struct iovsim_sriov_dev *sdev;
	unsigned int vf;
	struct devlink_port dl_port;
};

static const struct ethtool_ops rep_ethtool_ops = {
	.get_drvinfo		= iovsim_sriov_portdev_drvinfo,
	.get_link		= ethtool_op_get_link,
};

#ifdef IOVSIM_HAVE_NDO_GET_DEVLINK_PORT
static struct devlink_port *rep_get_devlink_port(struct net_device *dev)
{
	struct iovsim_sriov_rep *rep = netdev_priv(dev);

	return &rep->dl_port;
}
#endif

static const struct net_device_ops rep_netdev_ops = {
	.ndo_open		= iovsim_sriov_portdev_open,
	.ndo_stop		= iovsim_sriov_portdev_stop,
	.ndo_start_xmit		= iovsim_sriov_portdev_xmit,
	.ndo_get_stats64	= iovsim_sriov_portdev_stats,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
#ifdef IOVSIM_HAVE_NDO_GET_DEVLINK_PORT
	.ndo_get_devlink_port	= rep_get_devlink_port,
#endif
};

/**
 * iovsim_sriov_rep_create() - the representor of an enabled VF
 * @sdev: its PF
 * @n: VF number
 *
 * Registers its devlink port and netdev, and connects the netdev to the
 * switch.  Process context, under the devlink instance lock.
 *
 * Return: the representor or an ERR_PTR().
 */
struct iovsim_sriov_rep *iovsim_sriov_rep_create(struct iovsim_sriov_dev *sdev,
						 unsigned int n)
{
	struct iovsim_sriov_rep *rep;
	struct net_device *dev;
	int ret;

	dev = alloc_etherdev(sizeof(*rep));
	if (!dev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(dev, &sdev->pdev->dev);
	iovsim_sriov_portdev_init(dev);
	rep = netdev_priv(dev);
	rep->sdev = sdev;
	rep->vf = n;
	dev->netdev_ops = &rep_netdev_ops;
	dev->ethtool_ops = &rep_ethtool_ops;
	eth_hw_addr_random(dev);
	netif_carrier_off(dev);

	ret = iovsim_sriov_vf_port_register(sdev, &rep->dl_port, n);
	if (ret)
		goto err_free;
	iovsim_netdev_set_devlink_port(dev, &rep->dl_port);
	ret = iovsim_netport_connect(&rep->pd.port,
				     iovsim_esw_rep_port(sdev->pf->esw, n));
	if (ret)
		goto err_port;
	ret = register_netdev(dev);
	if (ret)
		goto err_disconnect;
	iovsim_devlink_port_netdev_registered(&rep->dl_port, dev);
	return rep;

err_disconnect:
	iovsim_netport_disconnect(&rep->pd.port);
err_port:
	devl_port_unregister(&rep->dl_port);
err_free:
	free_netdev(dev);
	return ERR_PTR(ret);
}

/**
 * iovsim_sriov_rep_destroy() - take a representor away
 * @rep: the representor
 *
 * Under the devlink instance lock; process context.
 */
void iovsim_sriov_rep_destroy(struct iovsim_sriov_rep *rep)
{
	struct net_device *dev = rep->pd.dev;

	iovsim_netport_disconnect(&rep->pd.port);
	iovsim_devlink_port_netdev_unregistering(&rep->dl_port);
	unregister_netdev(dev);
	devl_port_unregister(&rep->dl_port);
	free_netdev(dev);
}
