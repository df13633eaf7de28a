// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PF's netdev: the PF's own port on the embedded switch (eswitch.c),
 * and where `ip link set <pf> vf N ...` lands:
 *
 *	mac		the VF's MAC address: the switch forwards to it and
 *			checks it at once; its device offers it at once, its
 *			driver takes it when it next probes (as a NIC's VF
 *			driver does after a reset)
 *	vlan		port VLAN (802.1Q or 802.1ad) with 802.1p priority
 *	rate		max_tx_rate polices what the VF sends; min_tx_rate is
 *			kept and reported (nothing competes for a wire here)
 *	spoofchk	drop frames from the VF with another source address
 *	trust		let the VF's driver change its MAC address
 *	state		auto | enable | disable: the VF's link; its driver
 *			sees the change through the configuration interrupt,
 *			and the switch drops its frames while disabled.
 *			Auto is up: the switch is always up.
 *
 * `ip link show <pf>` reports those with each VF's counters as the switch
 * sees them; `ethtool -S <pf>` adds the drops per VF and reason.
 *
 * Its data path is portdev.c's.  It is the netdev of the PF's devlink
 * port for its wire (devlink.c), which gives it its phys_port_name (p0)
 * and switch ID.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

#include <iovsim/compat.h>
#include <iovsim/netport.h>
#include <iovsim/virtio_net.h>

#include "internal.h"

/**
 * struct pf_netdev - private data of a PF's netdev
 * @pd: its data path; first, for the portdev.c functions
 * @sdev: the PF
 */
struct pf_netdev {
	struct iovsim_sriov_portdev pd;
	struct iovsim_sriov_dev *sdev;
};

static struct iovsim_sriov_pf *pf_of(struct net_device *dev)
{
	struct pf_netdev *pn = netdev_priv(dev);

	return pn->sdev->pf;
}

static int pf_set_mac_address(struct net_device *dev, void *addr)
{
	struct pf_netdev *pn = netdev_priv(dev);
	int ret;

	ret = eth_mac_addr(dev, addr);
	if (!ret)
		iovsim_esw_set_pf_mac(pn->sdev->pf->esw, dev->dev_addr);
	return ret;
}

/* Is @vf one of the enabled VFs of @dev's PF?  Under RTNL. */
static int pf_vf_check(struct net_device *dev, int vf)
{
	struct pf_netdev *pn = netdev_priv(dev);

	if (vf < 0 || vf >= pci_num_vf(pn->sdev->pdev))
		return -EINVAL;
	return 0;
}

/* Apply VF @n's link state to its port; under RTNL or .sriov_configure. */
static int pf_vf_apply_link(struct iovsim_sriov_pf *pf, unsigned int n,
			    int state)
{
	char port[IOVSIM_VNET_NAME_LEN];

	iovsim_sriov_vf_port(pf, n, port);
	return iovsim_net_set_link(port, state != IFLA_VF_LINK_STATE_DISABLE);
}

/**
 * iovsim_sriov_vf_set_mac() - give an enabled VF a new MAC address
 * @sdev: its PF
 * @n: VF number
 * @mac: a unicast address
 *
 * The switch forwards to it and checks sources against it at once; the
 * VF's device offers it at once, its driver takes it when it next probes.
 * Process context, under RTNL or the devlink instance lock.
 *
 * Return: 0 or -EINVAL for an address that is not unicast.
 */
int iovsim_sriov_vf_set_mac(struct iovsim_sriov_dev *sdev, unsigned int n,
			    const u8 *mac)
{
	struct iovsim_esw_vf_cfg cfg;
	char port[IOVSIM_VNET_NAME_LEN];
	int ret;

	if (!is_valid_ether_addr(mac)) {
		pci_warn(sdev->pdev, "VF %u: %pM is not a unicast address\n",
			 n, mac);
		return -EINVAL;
	}
	iovsim_sriov_vf_port(sdev->pf, n, port);
	ret = iovsim_net_set_mac(port, mac);
	if (ret)
		return ret;
	ether_addr_copy(cfg.mac, mac);
	iovsim_esw_vf_set(sdev->pf->esw, n, &cfg, IOVSIM_ESW_SET_MAC);
	pci_info(sdev->pdev, "VF %u MAC %pM: its driver takes it when it next probes\n",
		 n, mac);
	return 0;
}

static int pf_set_vf_mac(struct net_device *dev, int vf, u8 *mac)
{
	struct pf_netdev *pn = netdev_priv(dev);
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	return iovsim_sriov_vf_set_mac(pn->sdev, vf, mac);
}

static int pf_set_vf_vlan(struct net_device *dev, int vf, u16 vlan, u8 qos,
			  __be16 proto)
{
	struct iovsim_esw_vf_cfg cfg = {
		.vlan = vlan,
		.qos = qos,
		.vlan_proto = proto,
	};
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	/* rtnetlink checked vlan <= 4095 and qos <= 7 */
	if (proto != htons(ETH_P_8021Q) && proto != htons(ETH_P_8021AD))
		return -EPROTONOSUPPORT;
	if (vlan == VLAN_N_VID - 1) {
		netdev_warn(dev, "VF %d: VLAN ID 4095 is reserved\n", vf);
		return -EINVAL;
	}
	if (!vlan && !qos)
		cfg.vlan_proto = htons(ETH_P_8021Q);
	iovsim_esw_vf_set(pf_of(dev)->esw, vf, &cfg, IOVSIM_ESW_SET_VLAN);
	return 0;
}

static int pf_set_vf_rate(struct net_device *dev, int vf, int min_tx_rate,
			  int max_tx_rate)
{
	struct iovsim_esw_vf_cfg cfg = {
		.min_tx_rate = min_tx_rate,
		.max_tx_rate = max_tx_rate,
	};
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	if (min_tx_rate < 0 || max_tx_rate < 0 ||
	    (max_tx_rate && min_tx_rate > max_tx_rate)) {
		netdev_warn(dev, "VF %d: min_tx_rate %d above max_tx_rate %d\n",
			    vf, min_tx_rate, max_tx_rate);
		return -EINVAL;
	}
	iovsim_esw_vf_set(pf_of(dev)->esw, vf, &cfg, IOVSIM_ESW_SET_RATE);
	return 0;
}

static int pf_set_vf_spoofchk(struct net_device *dev, int vf, bool on)
{
	struct iovsim_esw_vf_cfg cfg = { .spoofchk = on };
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	iovsim_esw_vf_set(pf_of(dev)->esw, vf, &cfg, IOVSIM_ESW_SET_SPOOFCHK);
	return 0;
}

static int pf_set_vf_trust(struct net_device *dev, int vf, bool on)
{
	struct iovsim_esw_vf_cfg cfg = { .trust = on };
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	iovsim_esw_vf_set(pf_of(dev)->esw, vf, &cfg, IOVSIM_ESW_SET_TRUST);
	return 0;
}

static int pf_set_vf_link_state(struct net_device *dev, int vf, int state)
{
	struct iovsim_esw_vf_cfg cfg = { .link_state = state };
	int ret;

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
	ret = pf_vf_apply_link(pf_of(dev), vf, state);
	if (!ret)
		iovsim_esw_vf_set(pf_of(dev)->esw, vf, &cfg, IOVSIM_ESW_SET_LINK);
	return ret;
}

static int pf_get_vf_config(struct net_device *dev, int vf,
			    struct ifla_vf_info *ivi)
{
	struct iovsim_esw_vf_cfg cfg;
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	iovsim_esw_vf_get(pf_of(dev)->esw, vf, &cfg);
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, cfg.mac);
	ivi->linkstate = cfg.link_state;
	ivi->vlan = cfg.vlan;
	ivi->qos = cfg.qos;
	ivi->vlan_proto = cfg.vlan_proto;
	ivi->min_tx_rate = cfg.min_tx_rate;
	ivi->max_tx_rate = cfg.max_tx_rate;
	ivi->spoofchk = cfg.spoofchk;
	ivi->trusted = cfg.trust;
	ivi->rss_query_en = 0;
	return 0;
}

/* The VF's counters as the switch sees them, from the VF's side. */
static int pf_get_vf_stats(struct net_device *dev, int vf,
			   struct ifla_vf_stats *vs)
{
	struct iovsim_esw_stats st;
	unsigned int i;
	int ret;

	ret = pf_vf_check(dev, vf);
	if (ret)
		return ret;
	iovsim_esw_get_stats(pf_of(dev)->esw, vf, &st);
	memset(vs, 0, sizeof(*vs));
	vs->rx_packets = st.out_frames;
	vs->rx_bytes = st.out_bytes;
	vs->broadcast = st.out_bcast;
	vs->multicast = st.out_mcast;
	vs->rx_dropped = st.out_dropped;
	vs->tx_packets = st.in_frames;
	vs->tx_bytes = st.in_bytes;
	for (i = 0; i < IOVSIM_ESW_NR_DROPS; i++)
		vs->tx_dropped += st.drop[i];
	return 0;
}

/* ethtool -S: per VF, from the VF's side, then the wire's */
static const char * const pf_vf_stat_names[] = {
	"tx_frames", "tx_bytes", "rx_frames", "rx_bytes", "rx_dropped",
};

#define PF_VF_NR_STATS	(ARRAY_SIZE(pf_vf_stat_names) + IOVSIM_ESW_NR_DROPS)
#define PF_WIRE_NR_STATS	3

static int pf_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return pf_of(dev)->p.total_vfs * PF_VF_NR_STATS + PF_WIRE_NR_STATS;
}

static void pf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int n, i;

	if (sset != ETH_SS_STATS)
		return;
	for (n = 0; n < pf_of(dev)->p.total_vfs; n++) {
		for (i = 0; i < ARRAY_SIZE(pf_vf_stat_names); i++)
			ethtool_sprintf(&data, "vf%u_%s", n,
					pf_vf_stat_names[i]);
		for (i = 0; i < IOVSIM_ESW_NR_DROPS; i++)
			ethtool_sprintf(&data, "vf%u_drop_%s", n,
					iovsim_esw_drop_names[i]);
	}
	iovsim_ethtool_puts(&data, "wire_rx_frames");
	iovsim_ethtool_puts(&data, "wire_tx_frames");
	iovsim_ethtool_puts(&data, "wire_tx_dropped");
}

static void pf_get_ethtool_stats(struct net_device *dev,
				 struct ethtool_stats *stats, u64 *data)
{
	struct iovsim_esw_stats st;
	unsigned int n, i;

	for (n = 0; n < pf_of(dev)->p.total_vfs; n++) {
		iovsim_esw_get_stats(pf_of(dev)->esw, n, &st);
		*data++ = st.in_frames;
		*data++ = st.in_bytes;
		*data++ = st.out_frames;
		*data++ = st.out_bytes;
		*data++ = st.out_dropped;
		for (i = 0; i < IOVSIM_ESW_NR_DROPS; i++)
			*data++ = st.drop[i];
	}
	iovsim_esw_get_stats(pf_of(dev)->esw, IOVSIM_ESW_UPLINK, &st);
	*data++ = st.in_frames;
	*data++ = st.out_frames;
	*data++ = st.out_dropped;
}

static const struct ethtool_ops pf_ethtool_ops = {
	.get_drvinfo		= iovsim_sriov_portdev_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= pf_get_sset_count,
	.get_strings		= pf_get_strings,
	.get_ethtool_stats	= pf_get_ethtool_stats,
};

#ifdef IOVSIM_HAVE_NDO_GET_DEVLINK_PORT
static struct devlink_port *pf_get_devlink_port(struct net_device *dev)
{
	struct pf_netdev *pn = netdev_priv(dev);

	return &pn->sdev->phys_port;
}
#endif

static const struct net_device_ops pf_netdev_ops = {
	.ndo_open		= iovsim_sriov_portdev_open,
	.ndo_stop		= iovsim_sriov_portdev_stop,
	.ndo_start_xmit		= iovsim_sriov_portdev_xmit,
	.ndo_get_stats64	= iovsim_sriov_portdev_stats,
	.ndo_set_mac_address	= pf_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_vf_mac		= pf_set_vf_mac,
	.ndo_set_vf_vlan	= pf_set_vf_vlan,
	.ndo_set_vf_rate	= pf_set_vf_rate,
	.ndo_set_vf_spoofchk	= pf_set_vf_spoofchk,
	.ndo_set_vf_trust	= pf_set_vf_trust,
	.ndo_set_vf_link_state	= pf_set_vf_link_state,
	.ndo_get_vf_config	= pf_get_vf_config,
	.ndo_get_vf_stats	= pf_get_vf_stats,
#ifdef IOVSIM_HAVE_NDO_GET_DEVLINK_PORT
	.ndo_get_devlink_port	= pf_get_devlink_port,
#endif
};

/**
 * iovsim_sriov_vfs_reset() - give every VF its initial settings again
 * @pf: the PF, with no VF enabled
 *
 * Called when the VFs are disabled: the next ones start as the first did
 * (MAC address from the PF's, spoof check on, untrusted, no VLAN, no rate
 * limit, link auto).  Process context.
 */
void iovsim_sriov_vfs_reset(struct iovsim_sriov_pf *pf)
{
	char port[IOVSIM_VNET_NAME_LEN];
	u8 mac[ETH_ALEN];
	unsigned int n;

	iovsim_esw_set_num_vfs(pf->esw, 0);
	rtnl_lock();
	for (n = 0; n < pf->p.total_vfs; n++) {
		iovsim_sriov_vf_default_mac(pf, n, mac);
		iovsim_esw_vf_reset(pf->esw, n, mac);
		iovsim_sriov_vf_port(pf, n, port);
		iovsim_net_set_mac(port, mac);
		pf_vf_apply_link(pf, n, IFLA_VF_LINK_STATE_AUTO);
	}
	rtnl_unlock();
}

/**
 * iovsim_sriov_netdev_create() - register the netdev of a PF
 * @sdev: the PF, being probed, its devlink port registered
 *
 * Its port is connected to the switch's PF port.  Process context.
 *
 * Return: 0 or a negative errno.
 */
int iovsim_sriov_netdev_create(struct iovsim_sriov_dev *sdev)
{
	struct iovsim_sriov_pf *pf = sdev->pf;
	struct net_device *dev;
	struct pf_netdev *pn;
	int ret;

	dev = alloc_etherdev(sizeof(*pn));
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &sdev->pdev->dev);
	iovsim_netdev_set_devlink_port(dev, &sdev->phys_port);
	iovsim_sriov_portdev_init(dev);
	pn = netdev_priv(dev);
	pn->sdev = sdev;
	dev->netdev_ops = &pf_netdev_ops;
	dev->ethtool_ops = &pf_ethtool_ops;
	eth_hw_addr_set(dev, pf->p.mac);
	iovsim_esw_set_pf_mac(pf->esw, dev->dev_addr);
	netif_carrier_off(dev);

	ret = iovsim_netport_connect(&pn->pd.port,
				     iovsim_esw_port(pf->esw, IOVSIM_ESW_PF));
	if (ret)
		goto err_free;
	ret = register_netdev(dev);
	if (ret)
		goto err_disconnect;
	iovsim_devlink_port_netdev_registered(&sdev->phys_port, dev);
	sdev->netdev = dev;
	return 0;

err_disconnect:
	iovsim_netport_disconnect(&pn->pd.port);
err_free:
	free_netdev(dev);
	return ret;
}

/**
 * iovsim_sriov_netdev_destroy() - unregister and free a PF's netdev
 * @sdev: the PF, being removed
 *
 * Process context.
 */
void iovsim_sriov_netdev_destroy(struct iovsim_sriov_dev *sdev)
{
	struct net_device *dev = sdev->netdev;
	struct pf_netdev *pn = netdev_priv(dev);

	/* no frame comes up into a netdev being unregistered */
	iovsim_netport_disconnect(&pn->pd.port);
	iovsim_devlink_port_netdev_unregistering(&sdev->phys_port);
	unregister_netdev(dev);		/* ndo_stop flushed the transmit work */
	free_netdev(dev);
	sdev->netdev = NULL;
}
