// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PF's netdev: where `ip link set <pf> vf N ...` lands.  What it
 * supports today, each applied to the VF's virtio-net port:
 *
 *	mac		the VF's MAC address: its device offers the new one at
 *			once, its driver takes it when it next probes (as a
 *			NIC's VF driver does after a reset)
 *	state		auto | enable | disable: the VF's link; its driver
 *			sees the change through the configuration interrupt.
 *			The PF has no wire yet, so auto is up.
 *
 * `ip link show <pf>` reports those, with the VF's counters.  Every other
 * VF setting (VLAN, rate, spoof check, trust) needs the embedded switch,
 * which does not exist yet: they get -EOPNOTSUPP, and the VFs report
 * what they are (no spoof check; trusted, since a VF's driver may set its
 * own MAC address).  The PF's own frames have nowhere to go: transmit
 * drops and counts them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include <iovsim/virtio_net.h>

#include "internal.h"

/**
 * struct pf_netdev - private data of a PF's netdev
 * @pdev: the PF
 * @pf: its model state
 */
struct pf_netdev {
	struct pci_dev *pdev;
	struct iovsim_sriov_pf *pf;
};

static int pf_open(struct net_device *dev)
{
	netif_carrier_off(dev);	/* no wire */
	netif_start_queue(dev);
	return 0;
}

static int pf_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

static netdev_tx_t pf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Is @vf one of the enabled VFs of @dev's PF?  Under RTNL. */
static int pf_vf_check(struct net_device *dev, int vf)
{
	struct pf_netdev *pn = netdev_priv(dev);

	if (vf < 0 || vf >= pci_num_vf(pn->pdev))
		return -EINVAL;
	return 0;
}

/* Apply VF @n's link state to its port; under RTNL or .sriov_configure. */
static int pf_vf_apply_link(struct iovsim_sriov_pf *pf, unsigned int n)
{
	char port[IOVSIM_VNET_NAME_LEN];

	iovsim_sriov_vf_port(pf, n, port);
	return iovsim_net_set_link(port, pf->vf[n].link_state !=
				   IFLA_VF_LINK_STATE_DISABLE);
}

static int pf_set_vf_mac(struct net_device *dev, int vf, u8 *mac)
{
	struct pf_netdev *pn = netdev_priv(dev);
	char port[IOVSIM_VNET_NAME_LEN];
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	if (!is_valid_ether_addr(mac)) {
		netdev_warn(dev, "VF %d: %pM is not a unicast address\n", vf,
			    mac);
		return -EINVAL;
	}
	iovsim_sriov_vf_port(pn->pf, vf, port);
	ret = iovsim_net_set_mac(port, mac);
	if (ret)
		return ret;
	ether_addr_copy(pn->pf->vf[vf].mac, mac);
	netdev_info(dev, "VF %d MAC %pM: its driver takes it when it next probes\n",
		    vf, mac);
	return 0;
}

static int pf_set_vf_link_state(struct net_device *dev, int vf, int state)
{
	struct pf_netdev *pn = netdev_priv(dev);
	int ret, old;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	switch (state) {
	case IFLA_VF_LINK_STATE_AUTO:
	case IFLA_VF_LINK_STATE_ENABLE:
	case IFLA_VF_LINK_STATE_DISABLE:
		break;
	default:
		return -EINVAL;
	}
	old = pn->pf->vf[vf].link_state;
	pn->pf->vf[vf].link_state = state;
	ret = pf_vf_apply_link(pn->pf, vf);
	if (ret)
		pn->pf->vf[vf].link_state = old;
	return ret;
}

static int pf_get_vf_config(struct net_device *dev, int vf,
			    struct ifla_vf_info *ivi)
{
	struct pf_netdev *pn = netdev_priv(dev);
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, pn->pf->vf[vf].mac);
	ivi->linkstate = pn->pf->vf[vf].link_state;
	ivi->vlan = 0;
	ivi->qos = 0;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->min_tx_rate = 0;
	ivi->max_tx_rate = 0;
	ivi->spoofchk = 0;
	ivi->trusted = 1;
	ivi->rss_query_en = 0;
	return 0;
}

static int pf_get_vf_stats(struct net_device *dev, int vf,
			   struct ifla_vf_stats *vs)
{
	struct pf_netdev *pn = netdev_priv(dev);
	char port[IOVSIM_VNET_NAME_LEN];
	struct iovsim_net_stats st;
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	iovsim_sriov_vf_port(pn->pf, vf, port);
	ret = iovsim_net_get_stats(port, &st);
	if (ret)
		return ret;
	memset(vs, 0, sizeof(*vs));
	vs->rx_packets = st.rx_frames;
	vs->tx_packets = st.tx_frames;
	vs->rx_dropped = st.rx_dropped;
	vs->tx_dropped = st.tx_dropped;
	return 0;
}

static const struct net_device_ops pf_netdev_ops = {
	.ndo_open		= pf_open,
	.ndo_stop		= pf_stop,
	.ndo_start_xmit		= pf_start_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_vf_mac		= pf_set_vf_mac,
	.ndo_set_vf_link_state	= pf_set_vf_link_state,
	.ndo_get_vf_config	= pf_get_vf_config,
	.ndo_get_vf_stats	= pf_get_vf_stats,
};

/**
 * iovsim_sriov_vfs_reset() - give every VF its initial settings again
 * @pf: the PF, with no VF enabled
 *
 * Called when the VFs are disabled: the next ones start as the first did
 * (MAC address from the PF's, link auto).  Process context.
 */
void iovsim_sriov_vfs_reset(struct iovsim_sriov_pf *pf)
{
	char port[IOVSIM_VNET_NAME_LEN];
	unsigned int n;

	rtnl_lock();
	for (n = 0; n < pf->p.total_vfs; n++) {
		iovsim_sriov_vf_default_mac(pf, n, pf->vf[n].mac);
		iovsim_sriov_vf_port(pf, n, port);
		iovsim_net_set_mac(port, pf->vf[n].mac);
		pf->vf[n].link_state = IFLA_VF_LINK_STATE_AUTO;
		pf_vf_apply_link(pf, n);
	}
	rtnl_unlock();
}

/**
 * iovsim_sriov_netdev_create() - register the netdev of a PF
 * @pdev: the PF, being probed
 * @pf: its model state
 *
 * Process context.
 *
 * Return: 0 or a negative errno.
 */
int iovsim_sriov_netdev_create(struct pci_dev *pdev,
			       struct iovsim_sriov_pf *pf)
{
	struct net_device *dev;
	struct pf_netdev *pn;
	int ret;

	dev = alloc_etherdev(sizeof(*pn));
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &pdev->dev);
	pn = netdev_priv(dev);
	pn->pdev = pdev;
	pn->pf = pf;
	dev->netdev_ops = &pf_netdev_ops;
	eth_hw_addr_set(dev, pf->p.mac);
	netif_carrier_off(dev);

	ret = register_netdev(dev);
	if (ret) {
		free_netdev(dev);
		return ret;
	}
	pci_set_drvdata(pdev, dev);
	return 0;
}

/**
 * iovsim_sriov_netdev_destroy() - unregister and free a PF's netdev
 * @pdev: the PF, being removed
 */
void iovsim_sriov_netdev_destroy(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);

	unregister_netdev(dev);
	free_netdev(dev);
	pci_set_drvdata(pdev, NULL);
}
