/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_sriov internals shared by the files of the module.
 */
#ifndef _IOVSIM_SRIOV_INTERNAL_H
#define _IOVSIM_SRIOV_INTERNAL_H

#include <linux/bits.h>
#include <linux/if_ether.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/devlink.h>

#include <iovsim/netport.h>

struct ethtool_drvinfo;
struct iovsim_esw;
struct iovsim_fn;
struct iovsim_netport;
struct pci_dev;

#define IOVSIM_SRIOV_MAX_VFS		256
#define IOVSIM_SRIOV_DEFAULT_VFS	8
#define IOVSIM_SRIOV_MAX_PFS		32	/* function 0 of each slot */
#define IOVSIM_SRIOV_WIRE_LEN		16

/**
 * struct iovsim_sriov_params - what a physical function is built from
 * @total_vfs: TotalVFs, 1..IOVSIM_SRIOV_MAX_VFS
 * @mac: the PF's MAC address; VF n gets @mac + n + 1
 * @wire: label of the cable on its wire, or empty: two PFs with the same
 *	label are cabled together while both exist
 */
struct iovsim_sriov_params {
	unsigned int total_vfs;
	u8 mac[ETH_ALEN];
	char wire[IOVSIM_SRIOV_WIRE_LEN];
};

/* Switch ports that are not VFs (eswitch.c) */
#define IOVSIM_ESW_PF		(-1)
#define IOVSIM_ESW_UPLINK	(-2)

/* Why the switch dropped a frame from a port */
enum iovsim_esw_drop {
	IOVSIM_ESW_DROP_LINK,
	IOVSIM_ESW_DROP_SPOOF,
	IOVSIM_ESW_DROP_VLAN,
	IOVSIM_ESW_DROP_RATE,
	IOVSIM_ESW_DROP_NO_DEST,
	IOVSIM_ESW_NR_DROPS
};

extern const char * const iovsim_esw_drop_names[IOVSIM_ESW_NR_DROPS];

/**
 * struct iovsim_esw_vf_cfg - what the PF's administrator set for a VF
 * @mac: its MAC address (ndo_set_vf_mac, or its trusted driver's)
 * @vlan: port VLAN ID, 0 for none
 * @qos: 802.1p priority of the port VLAN tag
 * @vlan_proto: ETH_P_8021Q or ETH_P_8021AD, network order
 * @min_tx_rate: guaranteed rate in Mbit/s (reported only)
 * @max_tx_rate: rate limit in Mbit/s, 0 for none
 * @spoofchk: drop frames whose source address is not @mac
 * @trust: its driver may change @mac
 * @link_state: IFLA_VF_LINK_STATE_AUTO, _ENABLE or _DISABLE
 */
struct iovsim_esw_vf_cfg {
	u8 mac[ETH_ALEN];
	u16 vlan;
	u8 qos;
	__be16 vlan_proto;
	u32 min_tx_rate;
	u32 max_tx_rate;
	bool spoofchk;
	bool trust;
	int link_state;
};

#define IOVSIM_ESW_SET_MAC	BIT(0)
#define IOVSIM_ESW_SET_VLAN	BIT(1)
#define IOVSIM_ESW_SET_RATE	BIT(2)
#define IOVSIM_ESW_SET_SPOOFCHK	BIT(3)
#define IOVSIM_ESW_SET_TRUST	BIT(4)
#define IOVSIM_ESW_SET_LINK	BIT(5)

/**
 * struct iovsim_esw_stats - counters of a switch port
 * @in_frames: frames its device sent into the switch
 * @in_bytes: their bytes
 * @out_frames: frames delivered to its device
 * @out_bytes: their bytes
 * @out_bcast: of those, broadcast
 * @out_mcast: of those, multicast
 * @out_dropped: frames for it its device did not take
 * @drop: frames from it the switch dropped, per &enum iovsim_esw_drop
 */
struct iovsim_esw_stats {
	u64 in_frames;
	u64 in_bytes;
	u64 out_frames;
	u64 out_bytes;
	u64 out_bcast;
	u64 out_mcast;
	u64 out_dropped;
	u64 drop[IOVSIM_ESW_NR_DROPS];
};

/**
 * struct iovsim_sriov_pf - model state of a physical function
 * @id: number of the PF, unique while it exists; its VFs' ports are
 *	sr<id>vf<n>
 * @p: its parameters
 * @esw: its embedded switch, as long as the PF exists
 * @node: entry in the list of PFs (pf.c), for cabling wires
 * @wire_peer: the PF its wire is cabled to, or NULL; under the list's
 *	mutex
 */
struct iovsim_sriov_pf {
	int id;
	struct iovsim_sriov_params p;
	struct iovsim_esw *esw;
	struct list_head node;
	struct iovsim_sriov_pf *wire_peer;
};

/**
 * struct iovsim_sriov_portdev - data path of a netdev on a switch port
 * @dev: the netdev, whose private data starts with this
 * @port: its port, connected to a switch port while it is registered
 * @txq: frames from ndo_start_xmit, for @tx_work
 * @tx_work: sends them through @port
 * @tx_packets: counters; @tx_work and the senders into @port update them
 *	concurrently
 * @tx_bytes: ditto
 * @tx_dropped: ditto
 * @rx_packets: ditto
 * @rx_bytes: ditto
 * @rx_dropped: ditto
 */
struct iovsim_sriov_portdev {
	struct net_device *dev;
	struct iovsim_netport port;
	struct sk_buff_head txq;
	struct work_struct tx_work;
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t tx_dropped;
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t rx_dropped;
};

struct iovsim_sriov_rep;

/**
 * struct iovsim_sriov_dev - a PF bound to the PF driver, the private data
 *	of its devlink instance
 * @pdev: the PF
 * @pf: its model state
 * @netdev: its netdev
 * @phys_port: devlink port of its wire, the PF netdev's
 * @switchdev: the switch is in switchdev mode; under the devlink
 *	instance lock
 * @reps: in switchdev mode, the representor of each enabled VF (NULL
 *	for the others), @pf->p.total_vfs entries; under the devlink
 *	instance lock
 */
struct iovsim_sriov_dev {
	struct pci_dev *pdev;
	struct iovsim_sriov_pf *pf;
	struct net_device *netdev;
	struct devlink_port phys_port;
	bool switchdev;
	struct iovsim_sriov_rep **reps;
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

/* eswitch.c */
struct iovsim_esw *iovsim_esw_create(unsigned int total_vfs,
				     const u8 *pf_mac);
void iovsim_esw_destroy(struct iovsim_esw *esw);
struct iovsim_netport *iovsim_esw_port(struct iovsim_esw *esw, int index);
void iovsim_esw_set_num_vfs(struct iovsim_esw *esw, unsigned int num_vfs);
void iovsim_esw_vf_reset(struct iovsim_esw *esw, unsigned int n,
			 const u8 *mac);
void iovsim_esw_vf_get(struct iovsim_esw *esw, unsigned int n,
		       struct iovsim_esw_vf_cfg *cfg);
void iovsim_esw_vf_set(struct iovsim_esw *esw, unsigned int n,
		       const struct iovsim_esw_vf_cfg *cfg, unsigned int what);
void iovsim_esw_set_pf_mac(struct iovsim_esw *esw, const u8 *mac);
void iovsim_esw_get_stats(struct iovsim_esw *esw, int index,
			  struct iovsim_esw_stats *st);

void iovsim_esw_set_switchdev(struct iovsim_esw *esw, bool on);
struct iovsim_netport *iovsim_esw_rep_port(struct iovsim_esw *esw,
					   unsigned int n);

/* portdev.c */
int iovsim_sriov_portdev_open(struct net_device *dev);
int iovsim_sriov_portdev_stop(struct net_device *dev);
netdev_tx_t iovsim_sriov_portdev_xmit(struct sk_buff *skb,
				      struct net_device *dev);
void iovsim_sriov_portdev_stats(struct net_device *dev,
				struct rtnl_link_stats64 *st);
void iovsim_sriov_portdev_drvinfo(struct net_device *dev,
				  struct ethtool_drvinfo *info);
void iovsim_sriov_portdev_init(struct net_device *dev);

/* netdev.c */
int iovsim_sriov_netdev_create(struct iovsim_sriov_dev *sdev);
void iovsim_sriov_netdev_destroy(struct iovsim_sriov_dev *sdev);
int iovsim_sriov_vf_set_mac(struct iovsim_sriov_dev *sdev, unsigned int n,
			    const u8 *mac);
void iovsim_sriov_vfs_reset(struct iovsim_sriov_pf *pf);

/* rep.c */
struct iovsim_sriov_rep *iovsim_sriov_rep_create(struct iovsim_sriov_dev *sdev,
						 unsigned int n);
void iovsim_sriov_rep_destroy(struct iovsim_sriov_rep *rep);

/* devlink.c */
struct iovsim_sriov_dev *iovsim_sriov_dev_create(struct pci_dev *pdev,
						 struct iovsim_sriov_pf *pf);
void iovsim_sriov_dev_destroy(struct iovsim_sriov_dev *sdev);
int iovsim_sriov_vfs_enable(struct iovsim_sriov_dev *sdev,
			    unsigned int num_vfs);
void iovsim_sriov_vfs_disable(struct iovsim_sriov_dev *sdev);
int iovsim_sriov_vf_port_register(struct iovsim_sriov_dev *sdev,
				  struct devlink_port *port, unsigned int n);

/* driver.c */
int iovsim_sriov_driver_init(void);
void iovsim_sriov_driver_exit(void);

/* configfs.c */
int iovsim_sriov_configfs_init(void);
void iovsim_sriov_configfs_exit(void);

#endif /* _IOVSIM_SRIOV_INTERNAL_H */
