// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net backend (VIRTIO 1.2 section 5.1): MAC, MTU, link status,
 * multiple queue pairs with the control queue that selects how many are
 * in use.  No offloads are offered: every packet is a plain Ethernet frame
 * with a zero virtio_net_hdr, which is what is honestly implemented.
 *
 * Each function has a net port (include/iovsim/netport.h), named by
 * configfs (or "modN" for load-time functions).  Two ports can be cabled
 * back to back ("pair"): a frame transmitted on one is received by the
 * other.  The port of an SR-IOV VF is connected to its switch port
 * instead (iovsim_sriov).  The TX worker of a function hands each frame to
 * its port; the receiving end copies it straight into a receive buffer of
 * its driver.  As a NIC does, the device never holds a transmitted frame
 * back: every TX buffer is completed at once, and a frame that cannot be
 * delivered is dropped and counted.  Frames are dropped when either link
 * is down, the port is not connected, the receiving driver is not
 * running, has no receive buffer posted, or the frame is longer than its
 * MTU allows (or than its buffer), or when a switch drops it.  The
 * counters are in /sys/kernel/debug/iovsim_virtio/net/<port>/stats.
 *
 * Locking: the list of ports changes under iovsim_vnet_sem held for
 * writing; links change under the net port core's mutex.  A TX worker
 * holds its own queue's mutex while it sends; the receiving function
 * takes its receive queue's mutex, one nesting level down.  Counters are
 * atomic: several senders deliver to one port concurrently.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/list.h>
#include <linux/pci_ids.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/virtio_net.h>

#include <iovsim/compat.h>
#include <iovsim/netport.h>
#include <iovsim/pcihost.h>

#include "internal.h"

#define NET_HDR_LEN	12	/* struct virtio_net_hdr_v1, VERSION_1 */
/*
 * Longest chain of any queue.  Receive chains of a driver without
 * mergeable buffers span MAX_SKB_FRAGS + 2 pages (19 on a default x86
 * kernel, about 1.2 MiB with 64 KiB pages), a frame sent at most 64 KiB
 * plus its header; 2 MiB bounds what a hostile driver's chain costs.
 */
#define NET_MAX_CHAIN	SZ_2M

/* VIRTIO 1.2 feature bits 6.1's uapi header does not name */
#define NET_F_VQ_NOTF_COAL	52
#define NET_F_GUEST_USO4	54
#define NET_F_GUEST_USO6	55
#define NET_F_HOST_USO		56

/**
 * struct vnet_queue - per-queue data of a net function
 * @held: receive queue: a chain was fetched and not yet filled
 * @irq_pending: receive queue: frames were delivered since the last
 *	interrupt; the sender's flush raises it
 * @chain: receive queue: that chain (its segments are the queue's)
 * @buf: transmit queue: one frame on its way out
 */
struct vnet_queue {
	bool held;
	bool irq_pending;
	struct iovsim_ring_chain chain;
	u8 *buf;
};

/**
 * struct vnet_stats - counters of a port
 * @tx_frames: frames the driver transmitted (TX buffers completed)
 * @tx_dropped: of those, frames not delivered, whatever the reason
 * @rx_frames: frames delivered into this port's receive buffers
 * @rx_dropped_link: frames for this port dropped: its link is down
 * @rx_dropped_nobuf: frames for this port dropped: no receive buffer
 * @rx_dropped_mtu: frames for this port dropped: longer than its MTU
 *	allows (MTU + Ethernet header, + 4 when 802.1Q/802.1ad tagged)
 * @rx_dropped_bufsize: frames for this port dropped: longer than the
 *	receive buffer the driver posted
 * @ctrl_ok: control commands acknowledged with VIRTIO_NET_OK
 * @ctrl_err: control commands answered VIRTIO_NET_ERR
 */
struct vnet_stats {
	atomic64_t tx_frames;
	atomic64_t tx_dropped;
	atomic64_t rx_frames;
	atomic64_t rx_dropped_link;
	atomic64_t rx_dropped_nobuf;
	atomic64_t rx_dropped_mtu;
	atomic64_t rx_dropped_bufsize;
	atomic64_t ctrl_ok;
	atomic64_t ctrl_err;
};

/**
 * struct iovsim_vnet - a virtio-net function and its port
 * @vdev: the function
 * @p: its parameters (port name, peer name, MAC, MTU, queue pairs)
 * @link_up: the port's link is up
 * @curr_pairs: queue pairs the driver uses (control queue)
 * @mac: the address the driver set (VIRTIO_NET_CTRL_MAC_ADDR_SET), or
 *	the configured one; under &iovsim_vdev.lock
 * @max_frame: longest frame accepted (MTU + Ethernet and VLAN headers)
 * @port: its net port
 * @node: entry in iovsim_vnet_ports
 * @stats: counters
 * @queues: per-queue data, 2 * queue pairs + the control queue
 */
struct iovsim_vnet {
	struct iovsim_vdev *vdev;
	struct iovsim_vnet_params p;
	bool link_up;
	unsigned int curr_pairs;
	u8 mac[ETH_ALEN];
	unsigned int max_frame;
	struct iovsim_netport port;
	struct list_head node;
	struct vnet_stats stats;
	struct vnet_queue queues[];
};

static DECLARE_RWSEM(iovsim_vnet_sem);
static LIST_HEAD(iovsim_vnet_ports);	/* under iovsim_vnet_sem */

/*
 * The control queue follows the receive and transmit queues of every
 * pair the device has when VIRTIO_NET_F_MQ is negotiated, and of the one
 * pair the driver then knows of when it is not (VIRTIO 1.2 5.1.2).
 */
static unsigned int vnet_ctrl_index(struct iovsim_vnet *net)
{
	return iovsim_vdev_has(net->vdev, VIRTIO_NET_F_MQ) ?
	       2 * net->p.queues : 2;
}

static void net_config_read(struct iovsim_vdev *vdev, u8 *buf)
{
	struct iovsim_vnet *net = vdev->priv;

	memset(buf, 0, sizeof(struct virtio_net_config));
	memcpy(buf + offsetof(struct virtio_net_config, mac), net->p.mac,
	       ETH_ALEN);
	put_unaligned_le16(READ_ONCE(net->link_up) ? VIRTIO_NET_S_LINK_UP : 0,
			   buf + offsetof(struct virtio_net_config, status));
	put_unaligned_le16(net->p.queues, buf +
			   offsetof(struct virtio_net_config,
				    max_virtqueue_pairs));
	put_unaligned_le16(net->p.mtu,
			   buf + offsetof(struct virtio_net_config, mtu));
}

/*
 * Notify: receive queues have nothing to do (whoever sends to the port
 * fills them and never waits for buffers); atomic context.
 */
static bool net_notify(struct iovsim_vq *vq)
{
	struct iovsim_vnet *net = vq->vdev->priv;

	return vq->index == vnet_ctrl_index(net) || vq->index & 1;
}

/*
 * Make sure @rxq holds a receive chain.  Returns 1 if it does, 0 if the
 * driver has none available, or a negative errno of the ring.
 */
static int vnet_rx_hold(struct iovsim_vq *rx, struct vnet_queue *rxq)
{
	int ret;

	if (rxq->held)
		return 1;
	rxq->chain.segs = rx->segs;
	rxq->chain.max_segs = IOVSIM_VIRTIO_QUEUE_SIZE;
	rxq->chain.max_len = rx->vdev->ops->max_chain_len(rx->vdev);
	ret = iovsim_ring_get_chain(&rx->ring, &rxq->chain);
	if (ret > 0)
		rxq->held = true;
	return ret;
}

/* Longest frame @net receives, given the frame's first bytes @frame. */
static u32 vnet_rx_max(const struct iovsim_vnet *net, const u8 *frame)
{
	__be16 proto = *(const __be16 *)(frame + 2 * ETH_ALEN);

	return net->p.mtu + ETH_HLEN +
	       (eth_type_vlan(proto) ? VLAN_HLEN : 0);
}

/*
 * Copy @frame (@len bytes) into a receive buffer of @net's queue @rx; the
 * interrupt waits for the sender's flush.  Under rx->lock.  Returns 0 (delivered), a
 * negative errno with the drop counted (-EMSGSIZE, -ENOBUFS), or -EIO
 * when the ring is broken (the device then needs a reset).
 */
static int vnet_deliver(struct iovsim_vnet *net, struct iovsim_vq *rx,
			const u8 *frame, u32 len)
{
	struct vnet_queue *rxq = rx->backend;
	u8 hdr[NET_HDR_LEN] = { 0 };
	int ret;

	if (len > vnet_rx_max(net, frame)) {
		atomic64_inc(&net->stats.rx_dropped_mtu);
		return -EMSGSIZE;
	}
	ret = vnet_rx_hold(rx, rxq);
	if (ret <= 0) {
		if (!ret) {
			atomic64_inc(&net->stats.rx_dropped_nobuf);
			return -ENOBUFS;
		}
		goto broken;
	}
	if (rxq->chain.writable_len < NET_HDR_LEN + len) {
		atomic64_inc(&net->stats.rx_dropped_bufsize);
		return -EMSGSIZE;	/* the buffer stays held */
	}
	put_unaligned_le16(1, hdr + offsetof(struct virtio_net_hdr_v1,
					     num_buffers));
	ret = iovsim_ring_chain_write(&rx->ring, &rxq->chain, 0, hdr,
				      NET_HDR_LEN);
	if (!ret)
		ret = iovsim_ring_chain_write(&rx->ring, &rxq->chain,
					      NET_HDR_LEN, frame, len);
	if (!ret)
		ret = iovsim_ring_complete(&rx->ring, &rxq->chain,
					   NET_HDR_LEN + len);
	rxq->held = false;
	if (ret)
		goto broken;
	WRITE_ONCE(rxq->irq_pending, true);
	atomic64_inc(&net->stats.rx_frames);
	return 0;

broken:
	iovsim_vdev_needs_reset(net->vdev, "bad receive ring", ret);
	return -EIO;
}

/*
 * &iovsim_netport_ops.receive: a frame for the driver.  Process context;
 * the sender may hold its own queue's mutex, so the receive queue's is
 * taken one level down.
 */
static int vnet_receive(struct iovsim_netport *port, const u8 *frame,
			unsigned int len, unsigned int hint)
{
	struct iovsim_vnet *net = container_of(port, struct iovsim_vnet, port);
	struct iovsim_vq *rx;
	unsigned int pair;
	int ret;

	if (!READ_ONCE(net->link_up)) {
		atomic64_inc(&net->stats.rx_dropped_link);
		return -ENETDOWN;
	}
	pair = hint % max(READ_ONCE(net->curr_pairs), 1U);
	rx = &net->vdev->vqs[2 * pair];
	mutex_lock_nested(&rx->lock, SINGLE_DEPTH_NESTING);
	if (!rx->live || rx->unchecked || READ_ONCE(net->vdev->status) &
	    VIRTIO_CONFIG_S_NEEDS_RESET) {
		ret = -ENETDOWN;	/* no driver yet: not counted */
	} else if (iovsim_fn_dma_begin(net->vdev->fn)) {
		ret = -ENETDOWN;	/* no bus mastering, as above */
	} else {
		ret = vnet_deliver(net, rx, frame, len);
		iovsim_fn_dma_end(net->vdev->fn);
	}
	mutex_unlock(&rx->lock);
	return ret;
}

/*
 * &iovsim_netport_ops.flush: the sender's batch is over; interrupt the
 * driver for every receive queue that got frames.  Process context, as
 * vnet_receive().
 */
static void vnet_flush(struct iovsim_netport *port)
{
	struct iovsim_vnet *net = container_of(port, struct iovsim_vnet, port);
	struct vnet_queue *rxq;
	struct iovsim_vq *rx;
	unsigned int pair;
	int ret;

	for (pair = 0; pair < net->p.queues; pair++) {
		rx = &net->vdev->vqs[2 * pair];
		rxq = rx->backend;
		if (!READ_ONCE(rxq->irq_pending))
			continue;
		mutex_lock_nested(&rx->lock, SINGLE_DEPTH_NESTING);
		if (rxq->irq_pending && rx->live) {
			ret = iovsim_vq_interrupt(rx);
			if (ret)
				iovsim_vdev_needs_reset(net->vdev,
							"bad receive ring", ret);
		}
		WRITE_ONCE(rxq->irq_pending, false);
		mutex_unlock(&rx->lock);
	}
}

/*
 * Transmit up to @budget frames of @tx through the port.  Every TX buffer
 * is completed, delivered or not.  Under tx->lock.
 */
static int net_tx_process(struct iovsim_vq *tx, unsigned int budget)
{
	struct iovsim_vnet *net = tx->vdev->priv;
	struct vnet_queue *txq = tx->backend;
	struct iovsim_ring_chain chain;
	unsigned int n = 0, delivered = 0;
	int ret;
	u64 len;

	ret = iovsim_ring_disable_kicks(&tx->ring);
	while (!ret && n < budget) {
		chain.segs = tx->segs;
		chain.max_segs = IOVSIM_VIRTIO_QUEUE_SIZE;
		chain.max_len = tx->vdev->ops->max_chain_len(tx->vdev);
		ret = iovsim_ring_get_chain(&tx->ring, &chain);
		if (ret < 0)
			break;
		if (!ret) {
			ret = iovsim_ring_enable_kicks(&tx->ring);
			if (ret <= 0)
				break;
			ret = iovsim_ring_disable_kicks(&tx->ring);
			continue;
		}
		if (chain.readable_len < NET_HDR_LEN || chain.nr_writable) {
			ret = -EBADMSG;	/* not a transmit buffer */
			break;
		}
		len = chain.readable_len - NET_HDR_LEN;
		if (READ_ONCE(net->link_up) && len >= ETH_HLEN &&
		    len <= net->max_frame &&
		    !iovsim_ring_chain_read(&tx->ring, &chain, NET_HDR_LEN,
					    txq->buf, len) &&
		    !iovsim_netport_send(&net->port, txq->buf, len,
					 tx->index / 2))
			delivered++;
		ret = iovsim_ring_complete(&tx->ring, &chain, 0);
		n++;
	}
	atomic64_add(n, &net->stats.tx_frames);
	atomic64_add(n - delivered, &net->stats.tx_dropped);
	if (n)
		iovsim_netport_flush(&net->port);
	if (n && !ret)
		ret = iovsim_vq_interrupt(tx);
	return ret < 0 ? ret : n;
}

/* VIRTIO_NET_CTRL_MAC_ADDR_SET: true if @data was a usable address. */
static bool vnet_ctrl_mac(struct iovsim_vnet *net, const u8 *data)
{
	unsigned long flags;

	if (!iovsim_vdev_has(net->vdev, VIRTIO_NET_F_CTRL_MAC_ADDR) ||
	    !is_valid_ether_addr(data) ||
	    iovsim_netport_change_mac(&net->port, data))
		return false;
	spin_lock_irqsave(&net->vdev->lock, flags);
	ether_addr_copy(net->mac, data);
	/*
	 * A switch accepted it (a trusted VF): it is the port's address
	 * from now on, as a NIC's PF records it, in the configuration too,
	 * so that a reset or the next driver keeps what the switch checks.
	 */
	if (net->p.attach)
		ether_addr_copy(net->p.mac, data);
	spin_unlock_irqrestore(&net->vdev->lock, flags);
	return true;
}

/* One control command; returns bytes written or a negative errno. */
static int net_ctrl_cmd(struct iovsim_vq *vq, struct iovsim_ring_chain *chain)
{
	struct iovsim_vnet *net = vq->vdev->priv;
	u8 ack = VIRTIO_NET_ERR;
	u8 cmd[2], data[ETH_ALEN];
	u64 len;
	u16 pairs;
	int ret;

	if (chain->readable_len < sizeof(cmd) || !chain->writable_len)
		return -EBADMSG;
	ret = iovsim_ring_chain_read(&vq->ring, chain, 0, cmd, sizeof(cmd));
	if (ret)
		return ret;
	len = min_t(u64, chain->readable_len - sizeof(cmd), sizeof(data));
	if (len) {
		ret = iovsim_ring_chain_read(&vq->ring, chain, sizeof(cmd),
					     data, len);
		if (ret)
			return ret;
	}
	if (cmd[0] == VIRTIO_NET_CTRL_MQ &&
	    cmd[1] == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET && len >= 2 &&
	    iovsim_vdev_has(net->vdev, VIRTIO_NET_F_MQ)) {
		pairs = get_unaligned_le16(data);
		if (pairs >= 1 && pairs <= net->p.queues) {
			WRITE_ONCE(net->curr_pairs, pairs);
			ack = VIRTIO_NET_OK;
		}
	} else if (cmd[0] == VIRTIO_NET_CTRL_MAC &&
		   cmd[1] == VIRTIO_NET_CTRL_MAC_ADDR_SET &&
		   len == ETH_ALEN && vnet_ctrl_mac(net, data)) {
		ack = VIRTIO_NET_OK;
	}
	atomic64_inc(ack == VIRTIO_NET_OK ? &net->stats.ctrl_ok :
		     &net->stats.ctrl_err);
	ret = iovsim_ring_chain_write(&vq->ring, chain, chain->writable_len - 1,
				      &ack, 1);
	return ret ? ret : 1;
}

static int net_process(struct iovsim_vq *vq, unsigned int budget)
{
	struct iovsim_vnet *net = vq->vdev->priv;

	if (vq->index == vnet_ctrl_index(net))
		return iovsim_vq_run_chains(vq, budget, net_ctrl_cmd);
	if (vq->index & 1)
		return net_tx_process(vq, budget);
	return 0;	/* receive queues are filled by vnet_receive() */
}

static void net_reset(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++) {
		mutex_lock(&vdev->vqs[i].lock);
		net->queues[i].held = false;
		WRITE_ONCE(net->queues[i].irq_pending, false);
		mutex_unlock(&vdev->vqs[i].lock);
	}
	WRITE_ONCE(net->curr_pairs, 1);
	spin_lock_irq(&vdev->lock);
	ether_addr_copy(net->mac, net->p.mac);
	spin_unlock_irq(&vdev->lock);
}

static struct iovsim_vnet *vnet_find(const char *port)
{
	struct iovsim_vnet *net;

	list_for_each_entry(net, &iovsim_vnet_ports, node)
		if (!strcmp(net->p.port, port))
			return net;
	return NULL;
}

/*
 * Register @net's port and cable it, or connect it to p.attach; under
 * iovsim_vnet_sem for writing.  A port is cabled to the one its "pair"
 * names, or to the one whose "pair" names it, if that one is free and
 * names no other.
 */
static int vnet_attach(struct iovsim_vnet *net)
{
	struct iovsim_vnet *peer = NULL, *p;
	int ret;

	if (vnet_find(net->p.port)) {
		pr_warn("port %s exists already\n", net->p.port);
		return -EEXIST;
	}
	if (net->p.attach) {
		ret = iovsim_netport_connect(&net->port, net->p.attach);
		if (ret)
			return ret;
	} else if (net->p.pair[0]) {
		peer = vnet_find(net->p.pair);
	} else {
		list_for_each_entry(p, &iovsim_vnet_ports, node)
			if (!strcmp(p->p.pair, net->p.port))
				peer = p;
	}
	if (peer && (peer->p.attach ||
		     (peer->p.pair[0] && strcmp(peer->p.pair, net->p.port)) ||
		     iovsim_netport_connect(&net->port, &peer->port)))
		peer = NULL;
	list_add_tail(&net->node, &iovsim_vnet_ports);
	if (peer)
		pr_info("port %s cabled to port %s\n", net->p.port,
			peer->p.port);
	return 0;
}

/* The function goes: no frame reaches it or leaves it from here. */
static void net_detach(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv;

	down_write(&iovsim_vnet_sem);
	list_del_init(&net->node);
	up_write(&iovsim_vnet_sem);
	iovsim_netport_disconnect(&net->port);
}

static void net_destroy(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		kfree(net->queues[i].buf);
	kfree(net);
}

static void net_stats_show(struct iovsim_vdev *vdev, struct seq_file *m)
{
	struct iovsim_vnet *net = vdev->priv;
	struct vnet_stats *st = &net->stats;
	u8 mac[ETH_ALEN];

	seq_printf(m, "tx_frames %lld\n", atomic64_read(&st->tx_frames));
	seq_printf(m, "tx_dropped %lld\n", atomic64_read(&st->tx_dropped));
	seq_printf(m, "rx_frames %lld\n", atomic64_read(&st->rx_frames));
	seq_printf(m, "rx_dropped_link %lld\n",
		   atomic64_read(&st->rx_dropped_link));
	seq_printf(m, "rx_dropped_nobuf %lld\n",
		   atomic64_read(&st->rx_dropped_nobuf));
	seq_printf(m, "rx_dropped_mtu %lld\n",
		   atomic64_read(&st->rx_dropped_mtu));
	seq_printf(m, "rx_dropped_bufsize %lld\n",
		   atomic64_read(&st->rx_dropped_bufsize));
	seq_printf(m, "ctrl_ok %lld\n", atomic64_read(&st->ctrl_ok));
	seq_printf(m, "ctrl_err %lld\n", atomic64_read(&st->ctrl_err));
	spin_lock_irq(&vdev->lock);
	ether_addr_copy(mac, net->mac);
	spin_unlock_irq(&vdev->lock);
	seq_printf(m, "mac %pM\n", mac);
}

#define NET_F(name)	BIT_ULL(VIRTIO_NET_F_##name)

/* VIRTIO 1.2 5.1.3.1: what each feature bit requires */
static const struct iovsim_feature_dep vnet_deps[] = {
	{ VIRTIO_NET_F_GUEST_TSO4, NET_F(GUEST_CSUM) },
	{ VIRTIO_NET_F_GUEST_TSO6, NET_F(GUEST_CSUM) },
	{ VIRTIO_NET_F_GUEST_ECN, NET_F(GUEST_TSO4) | NET_F(GUEST_TSO6) },
	{ VIRTIO_NET_F_GUEST_UFO, NET_F(GUEST_CSUM) },
	{ NET_F_GUEST_USO4, NET_F(GUEST_CSUM) },
	{ NET_F_GUEST_USO6, NET_F(GUEST_CSUM) },
	{ VIRTIO_NET_F_HOST_TSO4, NET_F(CSUM) },
	{ VIRTIO_NET_F_HOST_TSO6, NET_F(CSUM) },
	{ VIRTIO_NET_F_HOST_ECN, NET_F(HOST_TSO4) | NET_F(HOST_TSO6) },
	{ VIRTIO_NET_F_HOST_UFO, NET_F(CSUM) },
	{ NET_F_HOST_USO, NET_F(CSUM) },
	{ VIRTIO_NET_F_CTRL_RX, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_VLAN, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_GUEST_ANNOUNCE, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_MQ, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_MAC_ADDR, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_GUEST_OFFLOADS, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_NOTF_COAL, NET_F(CTRL_VQ) },
	{ NET_F_VQ_NOTF_COAL, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_RSS, NET_F(CTRL_VQ) },
	{ VIRTIO_NET_F_RSC_EXT, NET_F(HOST_TSO4) | NET_F(HOST_TSO6) },
};

static const struct iovsim_netport_ops vnet_port_ops = {
	.receive	= vnet_receive,
	.flush		= vnet_flush,
};

/* &iovsim_vdev_ops.max_chain_len: the same whatever was negotiated. */
static u64 vnet_max_chain_len(struct iovsim_vdev *vdev)
{
	return NET_MAX_CHAIN;
}

static const struct iovsim_vdev_ops iovsim_net_ops = {
	.name		= "net",
	.device_id	= IOVSIM_VIRTIO_ID_NET,
	.class		= PCI_CLASS_NETWORK_ETHERNET << 8,
	.features	= BIT_ULL(VIRTIO_NET_F_MAC) |
			  BIT_ULL(VIRTIO_NET_F_MTU) |
			  BIT_ULL(VIRTIO_NET_F_STATUS) |
			  BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |
			  BIT_ULL(VIRTIO_NET_F_MQ) |
			  BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR),
	.deps		= vnet_deps,
	.nr_deps	= ARRAY_SIZE(vnet_deps),
	.config_len	= sizeof(struct virtio_net_config),
	.max_chain_len	= vnet_max_chain_len,
	.config_read	= net_config_read,
	.process	= net_process,
	.notify		= net_notify,
	.reset		= net_reset,
	.detach		= net_detach,
	.destroy	= net_destroy,
	.stats_show	= net_stats_show,
};

/**
 * iovsim_net_create() - build a virtio-net function and its port
 * @p: parameters; @p->port must be unique
 *
 * Its port is connected to @p->attach if set, else cabled to the port
 * @p->pair names, or unconnected.  Process context.
 *
 * Return: the function, not yet added, or an ERR_PTR() (-EEXIST when the
 * port name is taken).
 */
struct iovsim_fn *iovsim_net_create(const struct iovsim_vnet_params *p)
{
	unsigned int nr = 2 * p->queues + 1, i;
	struct iovsim_vdev *vdev;
	struct iovsim_vnet *net;
	char name[40];
	int ret;

	snprintf(name, sizeof(name), "virtio-net %s", p->port);
	vdev = iovsim_vdev_alloc(&iovsim_net_ops, nr, name);
	if (IS_ERR(vdev))
		return ERR_CAST(vdev);
	net = kzalloc(struct_size(net, queues, nr), GFP_KERNEL);
	if (!net) {
		iovsim_vdev_free(vdev);
		return ERR_PTR(-ENOMEM);
	}
	net->vdev = vdev;
	net->p = *p;
	net->link_up = p->link;
	net->curr_pairs = 1;
	ether_addr_copy(net->mac, p->mac);
	net->max_frame = p->mtu + ETH_HLEN + VLAN_HLEN;
	iovsim_netport_init(&net->port, &vnet_port_ops);
	INIT_LIST_HEAD(&net->node);
	strscpy(vdev->stats_name, p->port, sizeof(vdev->stats_name));
	vdev->priv = net;	/* from here iovsim_vdev_free() frees net */
	if (!p->mq)
		vdev->features &= ~BIT_ULL(VIRTIO_NET_F_MQ);
	/* the control queue, with and without MQ */
	iovsim_vq_set_unbound(&vdev->vqs[nr - 1]);
	if (nr > 3)
		iovsim_vq_set_unbound(&vdev->vqs[2]);
	for (i = 0; i < nr; i++) {
		vdev->vqs[i].backend = &net->queues[i];
		if (!(i & 1) || i == nr - 1)
			continue;
		net->queues[i].buf = kmalloc(net->max_frame, GFP_KERNEL);
		if (!net->queues[i].buf) {
			iovsim_vdev_free(vdev);
			return ERR_PTR(-ENOMEM);
		}
	}

	down_write(&iovsim_vnet_sem);
	ret = vnet_attach(net);
	up_write(&iovsim_vnet_sem);
	if (ret) {
		iovsim_vdev_free(vdev);
		return ERR_PTR(ret);
	}
	return iovsim_vdev_build(vdev);
}
EXPORT_SYMBOL_GPL(iovsim_net_create);

/**
 * iovsim_net_set_link() - change the link state of a port
 * @port: port name
 * @up: new state
 *
 * The driver sees the change through its configuration interrupt.
 * Process context.
 *
 * Return: 0, or -ENOENT when no function has that port.
 */
int iovsim_net_set_link(const char *port, bool up)
{
	struct iovsim_vnet *net;

	down_read(&iovsim_vnet_sem);
	net = vnet_find(port);
	if (!net) {
		up_read(&iovsim_vnet_sem);
		return -ENOENT;
	}
	if (READ_ONCE(net->link_up) != up) {
		WRITE_ONCE(net->link_up, up);
		iovsim_vdev_config_changed(net->vdev);
	}
	up_read(&iovsim_vnet_sem);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_net_set_link);

/**
 * iovsim_net_set_mac() - change the MAC address a port's device offers
 * @port: port name
 * @mac: unicast address
 *
 * The address in the device configuration (VIRTIO_NET_F_MAC) changes at
 * once, and so does the one in use; the driver reads the new one when it
 * next probes the device (virtio_net reads it only then), as a NIC's VF
 * driver does after its PF changed its MAC.  Process context.
 *
 * Return: 0, -EINVAL for an address that is not unicast, or -ENOENT when
 * no function has that port.
 */
int iovsim_net_set_mac(const char *port, const u8 *mac)
{
	struct iovsim_vnet *net;

	if (!is_valid_ether_addr(mac))
		return -EINVAL;
	down_read(&iovsim_vnet_sem);
	net = vnet_find(port);
	if (!net) {
		up_read(&iovsim_vnet_sem);
		return -ENOENT;
	}
	spin_lock_irq(&net->vdev->lock);
	ether_addr_copy(net->p.mac, mac);
	ether_addr_copy(net->mac, mac);
	spin_unlock_irq(&net->vdev->lock);
	iovsim_vdev_config_changed(net->vdev);
	up_read(&iovsim_vnet_sem);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_net_set_mac);

/**
 * iovsim_net_get_stats() - the counters of a port
 * @port: port name
 * @st: filled with them
 *
 * Process context.
 *
 * Return: 0, or -ENOENT when no function has that port.
 */
int iovsim_net_get_stats(const char *port, struct iovsim_net_stats *st)
{
	struct iovsim_vnet *net;
	struct vnet_stats *s;

	down_read(&iovsim_vnet_sem);
	net = vnet_find(port);
	if (!net) {
		up_read(&iovsim_vnet_sem);
		return -ENOENT;
	}
	s = &net->stats;
	st->tx_frames = atomic64_read(&s->tx_frames);
	st->tx_dropped = atomic64_read(&s->tx_dropped);
	st->rx_frames = atomic64_read(&s->rx_frames);
	st->rx_dropped = atomic64_read(&s->rx_dropped_link) +
			 atomic64_read(&s->rx_dropped_nobuf) +
			 atomic64_read(&s->rx_dropped_mtu) +
			 atomic64_read(&s->rx_dropped_bufsize);
	up_read(&iovsim_vnet_sem);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_net_get_stats);
