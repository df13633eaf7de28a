/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_virtio's virtio-net functions, for other models to build: the
 * SR-IOV NIC's VFs are virtio-net functions (iovsim_sriov).
 */
#ifndef _IOVSIM_VIRTIO_NET_H
#define _IOVSIM_VIRTIO_NET_H

#include <linux/types.h>

struct iovsim_fn;
struct iovsim_netport;

#define IOVSIM_VNET_NAME_LEN	16

/**
 * struct iovsim_vnet_params - parameters of a virtio-net function
 * @port: name of its port, unique
 * @pair: port to cable it to, or empty
 * @mac: MAC address
 * @mtu: MTU offered to the driver
 * @queues: queue pairs
 * @link: initial link state
 * @mq: offer VIRTIO_NET_F_MQ
 * @attach: the port to connect this function's port to, for as long as
 *	the function exists (an SR-IOV VF's switch port), or NULL.  With
 *	it, @pair is ignored and no other port's pair cables to this one.
 */
struct iovsim_vnet_params {
	char port[IOVSIM_VNET_NAME_LEN];
	char pair[IOVSIM_VNET_NAME_LEN];
	u8 mac[6];
	unsigned int mtu;
	unsigned int queues;
	bool link;
	bool mq;
	struct iovsim_netport *attach;
};

/**
 * struct iovsim_net_stats - counters of a port, from its device's side
 * @tx_frames: frames its driver transmitted
 * @tx_dropped: of those, frames not delivered
 * @rx_frames: frames delivered into its receive buffers
 * @rx_dropped: frames for it dropped (no buffer, too long)
 */
struct iovsim_net_stats {
	u64 tx_frames;
	u64 tx_dropped;
	u64 rx_frames;
	u64 rx_dropped;
};

struct iovsim_fn *iovsim_net_create(const struct iovsim_vnet_params *p);
int iovsim_net_set_link(const char *port, bool up);
int iovsim_net_set_mac(const char *port, const u8 *mac);
int iovsim_net_get_stats(const char *port, struct iovsim_net_stats *st);

#endif /* _IOVSIM_VIRTIO_NET_H */
