// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net backend (VIRTIO 1.2 section 5.1): MAC, MTU, link status,
 * multiple queue pairs with the control queue that selects how many are
 * in use.  No offloads are offered: every packet is a plain Ethernet frame
 * with a zero virtio_net_hdr, which is what is honestly implemented.
 *
 * Each function has a port, named by configfs (or "modN" for load-time
 * functions).  Until the SR-IOV switch attaches ports, two ports can be
 * cabled back to back ("pair"): a frame transmitted on one is received by
 * the other.  The TX worker of one function copies each frame straight
 * into a receive buffer of its peer; when the peer has no receive buffer,
 * the TX queue waits (back-pressure) and the peer's next receive-queue
 * notification wakes it.  A frame sent while either link is down, the
 * port is not cabled, or the peer's driver is not running is dropped, as
 * a NIC drops frames with no carrier.
 *
 * Locking: the cabling (&iovsim_vnet.peer) changes under iovsim_vnet_sem
 * held for writing, with RCU for the receive notifications that only
 * wake the peer.  A TX worker holds its own queue's lock, then the
 * semaphore for reading, then the peer receive queue's lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/list.h>
#include <linux/pci_ids.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/virtio_net.h>

#include <iovsim/compat.h>
#include <iovsim/pcihost.h>

#include "internal.h"

#define NET_HDR_LEN	12	/* struct virtio_net_hdr_v1, VERSION_1 */

/**
 * struct vnet_queue - per-queue data of a net function
 * @held: receive queue: a chain was fetched and not yet filled
 * @chain: receive queue: that chain (its segments are the queue's)
 * @buf: transmit queue: one frame on its way to the peer
 */
struct vnet_queue {
	bool held;
	struct iovsim_ring_chain chain;
	u8 *buf;
};

/**
 * struct iovsim_vnet - a virtio-net function and its port
 * @vdev: the function
 * @p: its parameters (port name, peer name, MAC, MTU, queue pairs)
 * @link_up: the port's link is up
 * @curr_pairs: queue pairs the driver uses (control queue)
 * @max_frame: longest frame accepted (MTU + Ethernet and VLAN headers)
 * @peer: the port cabled to this one, or NULL
 * @node: entry in iovsim_vnet_ports
 * @queues: per-queue data, 2 * queue pairs + the control queue
 */
struct iovsim_vnet {
	struct iovsim_vdev *vdev;
	struct iovsim_vnet_params p;
	bool link_up;
	unsigned int curr_pairs;
	unsigned int max_frame;
	struct iovsim_vnet __rcu *peer;
	struct list_head node;
	struct vnet_queue queues[];
};

static DECLARE_RWSEM(iovsim_vnet_sem);
static LIST_HEAD(iovsim_vnet_ports);	/* under iovsim_vnet_sem */

static unsigned int vnet_ctrl_index(const struct iovsim_vnet *net)
{
	return 2 * net->p.queues;
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

/* Wake every TX queue of @net (the peer made receive buffers available). */
static void vnet_wake_tx(struct iovsim_vnet *net)
{
	unsigned int i;

	for (i = 0; i < net->p.queues; i++)
		iovsim_vq_kick_work(&net->vdev->vqs[2 * i + 1]);
}

/* Receive-queue notify: only wakes the peer's TX; atomic context. */
static bool net_notify(struct iovsim_vq *vq)
{
	struct iovsim_vnet *net = vq->vdev->priv, *peer;

	if (vq->index == vnet_ctrl_index(net) || vq->index & 1)
		return true;
	rcu_read_lock();
	peer = rcu_dereference(net->peer);
	if (peer)
		vnet_wake_tx(peer);
	rcu_read_unlock();
	return false;
}

/*
 * Make sure @rxq holds a receive chain.  Returns 1 if it does, 0 if the
 * driver has none available (notifications are enabled, so its next one
 * wakes the TX side), or a negative errno of the peer's ring.
 */
static int vnet_rx_hold(struct iovsim_vq *rx, struct vnet_queue *rxq)
{
	int ret;

	while (!rxq->held) {
		rxq->chain.segs = rx->segs;
		rxq->chain.max_segs = IOVSIM_VIRTIO_QUEUE_SIZE;
		ret = iovsim_ring_get_chain(&rx->ring, &rxq->chain);
		if (ret < 0)
			return ret;
		if (ret) {
			rxq->held = true;
			break;
		}
		ret = iovsim_ring_enable_kicks(&rx->ring);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

/* Copy one frame from @txc into the held chain of @rx.  Returns 0 or 1
 * (delivered), or a negative errno of the peer's ring.
 */
static int vnet_deliver(struct iovsim_vq *tx, struct iovsim_ring_chain *txc,
			struct vnet_queue *txq, struct iovsim_vq *rx,
			struct vnet_queue *rxq, u32 len)
{
	u8 hdr[NET_HDR_LEN] = { 0 };
	int ret;

	ret = iovsim_ring_chain_read(&tx->ring, txc, NET_HDR_LEN, txq->buf,
				     len);
	if (ret)
		return 0;	/* the TX chain is checked by the caller */
	if (rxq->chain.writable_len < NET_HDR_LEN + len)
		return 0;	/* too big for the peer's buffer: drop */
	put_unaligned_le16(1, hdr + offsetof(struct virtio_net_hdr_v1,
					     num_buffers));
	ret = iovsim_ring_chain_write(&rx->ring, &rxq->chain, 0, hdr,
				      NET_HDR_LEN);
	if (!ret)
		ret = iovsim_ring_chain_write(&rx->ring, &rxq->chain,
					      NET_HDR_LEN, txq->buf, len);
	if (!ret)
		ret = iovsim_ring_complete(&rx->ring, &rxq->chain,
					   NET_HDR_LEN + len);
	rxq->held = false;
	return ret ? ret : 1;
}

/*
 * Transmit up to @budget frames of @tx to the peer's receive queue @rx
 * (NULL: drop them).  Under tx->lock and, if @rx, rx->lock.
 */
static int vnet_tx(struct iovsim_vnet *net, struct iovsim_vq *tx,
		   struct iovsim_vnet *peer, struct iovsim_vq *rx,
		   unsigned int budget)
{
	struct vnet_queue *txq = tx->backend;
	struct vnet_queue *rxq = rx ? rx->backend : NULL;
	struct iovsim_ring_chain chain;
	unsigned int n = 0, delivered = 0;
	int ret, rret;
	u64 len;

	ret = iovsim_ring_disable_kicks(&tx->ring);
	while (!ret && n < budget) {
		if (rx) {
			rret = vnet_rx_hold(rx, rxq);
			if (rret < 0) {
				iovsim_vdev_needs_reset(peer->vdev,
							"bad receive ring",
							rret);
				rx = NULL;
			} else if (!rret) {
				break;	/* wait for the peer's buffers */
			}
		}
		chain.segs = tx->segs;
		chain.max_segs = IOVSIM_VIRTIO_QUEUE_SIZE;
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
		if (rx && len >= ETH_HLEN && len <= net->max_frame) {
			rret = vnet_deliver(tx, &chain, txq, rx, rxq, len);
			if (rret < 0) {
				iovsim_vdev_needs_reset(peer->vdev,
							"bad receive ring",
							rret);
				rx = NULL;
			}
			delivered += rret > 0;
		}
		ret = iovsim_ring_complete(&tx->ring, &chain, 0);
		n++;
	}
	if (delivered && rx) {
		rret = iovsim_vq_interrupt(rx);
		if (rret < 0)
			iovsim_vdev_needs_reset(peer->vdev, "bad receive ring",
						rret);
	}
	if (n && !ret)
		ret = iovsim_vq_interrupt(tx);
	return ret < 0 ? ret : n;
}

static int net_tx_process(struct iovsim_vq *tx, unsigned int budget)
{
	struct iovsim_vnet *net = tx->vdev->priv, *peer;
	struct iovsim_vq *rx = NULL;
	unsigned int pair;
	int ret;

	down_read(&iovsim_vnet_sem);
	peer = rcu_dereference_protected(net->peer,
					 lockdep_is_held(&iovsim_vnet_sem));
	if (peer && READ_ONCE(net->link_up) && READ_ONCE(peer->link_up)) {
		pair = (tx->index / 2) % max(READ_ONCE(peer->curr_pairs), 1U);
		rx = &peer->vdev->vqs[2 * pair];
		mutex_lock_nested(&rx->lock, SINGLE_DEPTH_NESTING);
		if (!rx->live || READ_ONCE(peer->vdev->status) &
		    VIRTIO_CONFIG_S_NEEDS_RESET) {
			mutex_unlock(&rx->lock);
			rx = NULL;
		}
	}
	ret = vnet_tx(net, tx, peer, rx, budget);
	if (rx)
		mutex_unlock(&rx->lock);
	up_read(&iovsim_vnet_sem);
	return ret;
}

/* One control command; returns bytes written or a negative errno. */
static int net_ctrl_cmd(struct iovsim_vq *vq, struct iovsim_ring_chain *chain)
{
	struct iovsim_vnet *net = vq->vdev->priv;
	u8 ack = VIRTIO_NET_ERR;
	u8 cmd[2], data[2];
	u16 pairs;
	int ret;

	if (chain->readable_len < sizeof(cmd) || !chain->writable_len)
		return -EBADMSG;
	ret = iovsim_ring_chain_read(&vq->ring, chain, 0, cmd, sizeof(cmd));
	if (ret)
		return ret;
	if (cmd[0] == VIRTIO_NET_CTRL_MQ &&
	    cmd[1] == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET &&
	    chain->readable_len >= sizeof(cmd) + sizeof(data) &&
	    !iovsim_ring_chain_read(&vq->ring, chain, sizeof(cmd), data,
				    sizeof(data))) {
		pairs = get_unaligned_le16(data);
		if (pairs >= 1 && pairs <= net->p.queues) {
			WRITE_ONCE(net->curr_pairs, pairs);
			ack = VIRTIO_NET_OK;
		}
	}
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
	return 0;	/* receive queues are filled by the peer's TX */
}

static void net_reset(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++) {
		mutex_lock(&vdev->vqs[i].lock);
		net->queues[i].held = false;
		mutex_unlock(&vdev->vqs[i].lock);
	}
	WRITE_ONCE(net->curr_pairs, 1);
}

static struct iovsim_vnet *vnet_find(const char *port)
{
	struct iovsim_vnet *net;

	list_for_each_entry(net, &iovsim_vnet_ports, node)
		if (!strcmp(net->p.port, port))
			return net;
	return NULL;
}

/* Register @net's port and cable it; under iovsim_vnet_sem for writing. */
static int vnet_attach(struct iovsim_vnet *net)
{
	struct iovsim_vnet *peer = NULL, *p;

	if (vnet_find(net->p.port)) {
		pr_warn("port %s exists already\n", net->p.port);
		return -EEXIST;
	}
	if (net->p.pair[0]) {
		peer = vnet_find(net->p.pair);
	} else {
		list_for_each_entry(p, &iovsim_vnet_ports, node)
			if (!strcmp(p->p.pair, net->p.port))
				peer = p;
	}
	if (peer && (rcu_access_pointer(peer->peer) ||
		     (peer->p.pair[0] && strcmp(peer->p.pair, net->p.port))))
		peer = NULL;
	list_add_tail(&net->node, &iovsim_vnet_ports);
	if (peer) {
		rcu_assign_pointer(net->peer, peer);
		rcu_assign_pointer(peer->peer, net);
		pr_info("port %s cabled to port %s\n", net->p.port,
			peer->p.port);
	}
	return 0;
}

static void net_detach(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv, *peer;

	down_write(&iovsim_vnet_sem);
	if (!list_empty(&net->node)) {
		peer = rcu_dereference_protected(net->peer, true);
		if (peer)
			RCU_INIT_POINTER(peer->peer, NULL);
		RCU_INIT_POINTER(net->peer, NULL);
		list_del_init(&net->node);
	}
	up_write(&iovsim_vnet_sem);
	synchronize_rcu();	/* net_notify() no longer sees the peer */
}

static void net_destroy(struct iovsim_vdev *vdev)
{
	struct iovsim_vnet *net = vdev->priv;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		kfree(net->queues[i].buf);
	kfree(net);
}

static const struct iovsim_vdev_ops iovsim_net_ops = {
	.name		= "net",
	.device_id	= IOVSIM_VIRTIO_ID_NET,
	.class		= PCI_CLASS_NETWORK_ETHERNET << 8,
	.features	= BIT_ULL(VIRTIO_NET_F_MAC) |
			  BIT_ULL(VIRTIO_NET_F_MTU) |
			  BIT_ULL(VIRTIO_NET_F_STATUS) |
			  BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |
			  BIT_ULL(VIRTIO_NET_F_MQ),
	.config_len	= sizeof(struct virtio_net_config),
	.config_read	= net_config_read,
	.process	= net_process,
	.notify		= net_notify,
	.reset		= net_reset,
	.detach		= net_detach,
	.destroy	= net_destroy,
};

/**
 * iovsim_net_create() - build a virtio-net function and its port
 * @p: parameters; @p->port must be unique
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
	net->max_frame = p->mtu + ETH_HLEN + VLAN_HLEN;
	INIT_LIST_HEAD(&net->node);
	vdev->priv = net;	/* from here iovsim_vdev_free() frees net */
	iovsim_vq_set_unbound(&vdev->vqs[nr - 1]);	/* control queue */
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

/**
 * iovsim_net_set_link() - change the link state of a port
 * @port: port name
 * @up: new state
 *
 * The driver sees the change through its configuration interrupt.
 *
 * Return: 0, or -ENOENT when no function has that port.
 */
int iovsim_net_set_link(const char *port, bool up)
{
	struct iovsim_vnet *net, *peer;

	down_read(&iovsim_vnet_sem);
	net = vnet_find(port);
	if (!net) {
		up_read(&iovsim_vnet_sem);
		return -ENOENT;
	}
	if (READ_ONCE(net->link_up) != up) {
		WRITE_ONCE(net->link_up, up);
		iovsim_vdev_config_changed(net->vdev);
		peer = rcu_dereference_protected(net->peer, true);
		vnet_wake_tx(net);
		if (peer)
			vnet_wake_tx(peer);
	}
	up_read(&iovsim_vnet_sem);
	return 0;
}
