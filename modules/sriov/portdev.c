// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data path of a netdev that sits on a port of the embedded switch:
 * the PF's netdev (netdev.c) and the VF representors (rep.c).  Their
 * private data starts with a &struct iovsim_sriov_portdev, so these
 * functions serve as their ndo_open, ndo_stop, ndo_start_xmit,
 * ndo_get_stats64 and ethtool get_drvinfo.
 *
 * The stack transmits in softirq context and the switch may sleep (its
 * receivers take their queues' mutexes), so ndo_start_xmit queues the
 * frame for a work item, which sends it through the netdev's port.
 * Frames for the netdev arrive in process context (a VF's transmit
 * worker, another netdev's work item) and go up through netif_rx().
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include <iovsim/netport.h>

#include "internal.h"

/* Frames ndo_start_xmit queues before it stops the queue */
#define PORTDEV_TXQ_LEN		256
/* Frames sent before the receivers are flushed (iovsim_netport_flush()) */
#define PORTDEV_BATCH		64

static struct iovsim_sriov_portdev *portdev(struct net_device *dev)
{
	return netdev_priv(dev);
}

/**
 * iovsim_sriov_portdev_open() - ndo_open: carrier on, queue started
 * @dev: the netdev
 *
 * The switch is always up.
 *
 * Return: 0.
 */
int iovsim_sriov_portdev_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	netif_start_queue(dev);
	return 0;
}

/**
 * iovsim_sriov_portdev_stop() - ndo_stop: the queue stopped and emptied
 * @dev: the netdev
 *
 * Waits for the transmit work item.  Process context, RTNL held.
 *
 * Return: 0.
 */
int iovsim_sriov_portdev_stop(struct net_device *dev)
{
	struct iovsim_sriov_portdev *pd = portdev(dev);

	netif_stop_queue(dev);
	netif_carrier_off(dev);
	cancel_work_sync(&pd->tx_work);
	skb_queue_purge(&pd->txq);
	return 0;
}

/**
 * iovsim_sriov_portdev_xmit() - ndo_start_xmit: queue a frame
 * @skb: the frame
 * @dev: the netdev
 *
 * Context: softirq (BH disabled), the netdev's queue lock held.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t iovsim_sriov_portdev_xmit(struct sk_buff *skb,
				      struct net_device *dev)
{
	struct iovsim_sriov_portdev *pd = portdev(dev);

	skb_queue_tail(&pd->txq, skb);
	if (skb_queue_len(&pd->txq) >= PORTDEV_TXQ_LEN) {
		netif_stop_queue(dev);
		/* pairs with the barrier in portdev_tx_work() */
		smp_mb();
		if (skb_queue_len(&pd->txq) < PORTDEV_TXQ_LEN / 2)
			netif_wake_queue(dev);
	}
	schedule_work(&pd->tx_work);
	return NETDEV_TX_OK;
}

/*
 * Restart a queue ndo_start_xmit stopped, once it is half empty; process
 * context.  The barrier orders the dequeues before the test of the
 * stopped bit, against ndo_start_xmit's stop and re-test.
 */
static void portdev_tx_wake(struct iovsim_sriov_portdev *pd)
{
	/* pairs with the barrier in iovsim_sriov_portdev_xmit() */
	smp_mb();
	if (netif_queue_stopped(pd->dev) &&
	    skb_queue_len(&pd->txq) < PORTDEV_TXQ_LEN / 2) {
		local_bh_disable();
		netif_wake_queue(pd->dev);
		local_bh_enable();
	}
}

/* Process context: send the queued frames into the switch. */
static void portdev_tx_work(struct work_struct *work)
{
	struct iovsim_sriov_portdev *pd =
		container_of(work, struct iovsim_sriov_portdev, tx_work);
	unsigned int batch = 0;
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&pd->txq))) {
		if (skb_linearize(skb) || skb->len < ETH_HLEN ||
		    iovsim_netport_send(&pd->port, skb->data, skb->len, 0)) {
			atomic64_inc(&pd->tx_dropped);
			kfree_skb(skb);
		} else {
			atomic64_inc(&pd->tx_packets);
			atomic64_add(skb->len, &pd->tx_bytes);
			consume_skb(skb);
		}
		portdev_tx_wake(pd);
		/* receivers interrupt their drivers once per batch */
		if (++batch == PORTDEV_BATCH || skb_queue_empty(&pd->txq)) {
			iovsim_netport_flush(&pd->port);
			batch = 0;
		}
		cond_resched();
	}
	portdev_tx_wake(pd);
}

/*
 * &iovsim_netport_ops.receive: a frame from the switch.  Process
 * context.  Up to the MTU with two VLAN tags: a VF's 802.1ad port VLAN
 * goes outside the VF's own 802.1Q tag (Q-in-Q).
 */
static int portdev_receive(struct iovsim_netport *port, const u8 *frame,
			   unsigned int len, unsigned int hint)
{
	struct iovsim_sriov_portdev *pd =
		container_of(port, struct iovsim_sriov_portdev, port);
	struct net_device *dev = pd->dev;
	struct sk_buff *skb;

	if (!netif_running(dev) || len > dev->mtu + VLAN_ETH_HLEN + VLAN_HLEN) {
		atomic64_inc(&pd->rx_dropped);
		return -ENETDOWN;
	}
	skb = netdev_alloc_skb_ip_align(dev, len);
	if (!skb) {
		atomic64_inc(&pd->rx_dropped);
		return -ENOMEM;
	}
	skb_put_data(skb, frame, len);
	skb->protocol = eth_type_trans(skb, dev);
	atomic64_inc(&pd->rx_packets);
	atomic64_add(len, &pd->rx_bytes);
	netif_rx(skb);
	return 0;
}

static const struct iovsim_netport_ops portdev_port_ops = {
	.receive	= portdev_receive,
};

/**
 * iovsim_sriov_portdev_stats() - ndo_get_stats64
 * @dev: the netdev
 * @st: filled with its counters
 */
void iovsim_sriov_portdev_stats(struct net_device *dev,
				struct rtnl_link_stats64 *st)
{
	struct iovsim_sriov_portdev *pd = portdev(dev);

	st->tx_packets = atomic64_read(&pd->tx_packets);
	st->tx_bytes = atomic64_read(&pd->tx_bytes);
	st->tx_dropped = atomic64_read(&pd->tx_dropped);
	st->rx_packets = atomic64_read(&pd->rx_packets);
	st->rx_bytes = atomic64_read(&pd->rx_bytes);
	st->rx_dropped = atomic64_read(&pd->rx_dropped);
}

/**
 * iovsim_sriov_portdev_drvinfo() - ethtool get_drvinfo
 * @dev: the netdev, whose parent device is its PF (SET_NETDEV_DEV)
 * @info: filled with the driver's name and the PF's PCI address
 */
void iovsim_sriov_portdev_drvinfo(struct net_device *dev,
				  struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

/**
 * iovsim_sriov_portdev_init() - set up the data path of a new netdev
 * @dev: the netdev, not registered; its private data starts with a
 *	&struct iovsim_sriov_portdev
 *
 * Its port is left unconnected: the caller connects it to a switch port
 * before it registers the netdev, and disconnects it before it
 * unregisters it (so that no frame comes up into a netdev going away).
 */
void iovsim_sriov_portdev_init(struct net_device *dev)
{
	struct iovsim_sriov_portdev *pd = portdev(dev);

	pd->dev = dev;
	/* the same skb queued twice would corrupt the queue: no pktgen clones */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	skb_queue_head_init(&pd->txq);
	INIT_WORK(&pd->tx_work, portdev_tx_work);
	iovsim_netport_init(&pd->port, &portdev_port_ops);
}
