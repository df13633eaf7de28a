/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_virtio's virtio-net functions, for other models to build: the
 * SR-IOV NIC's VFs are virtio-net functions (iovsim_sriov).
 */
#ifndef _IOVSIM_VIRTIO_NET_H
#define _IOVSIM_VIRTIO_NET_H

#include <linux/types.h>

struct iovsim_fn;

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
 */
struct iovsim_vnet_params {
	char port[IOVSIM_VNET_NAME_LEN];
	char pair[IOVSIM_VNET_NAME_LEN];
	u8 mac[6];
	unsigned int mtu;
	unsigned int queues;
	bool link;
	bool mq;
};

struct iovsim_fn *iovsim_net_create(const struct iovsim_vnet_params *p);
int iovsim_net_set_link(const char *port, bool up);

#endif /* _IOVSIM_VIRTIO_NET_H */
