// SPDX-License-Identifier: GPL-2.0-only
/*
 * Net port links (include/iovsim/netport.h): connect, disconnect, send.
 *
 * Locking: iovsim_netport_mutex serializes every change of a link; a
 * send reads the peer pointer inside an SRCU read-side section, which
 * may sleep (the receiver takes its queue's mutex) and nests (a switch
 * port's ->receive sends on through other ports).
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/srcu.h>

#include <iovsim/netport.h>

DEFINE_STATIC_SRCU(iovsim_netport_srcu);
static DEFINE_MUTEX(iovsim_netport_mutex);

/**
 * iovsim_netport_init() - set up an unconnected port
 * @port: the port, owned by the caller
 * @ops: its callbacks; ->receive is required
 */
void iovsim_netport_init(struct iovsim_netport *port,
			 const struct iovsim_netport_ops *ops)
{
	port->ops = ops;
	RCU_INIT_POINTER(port->peer, NULL);
}
EXPORT_SYMBOL_GPL(iovsim_netport_init);

/**
 * iovsim_netport_connect() - link two ports
 * @a: one port
 * @b: the other
 *
 * From here what one end sends, the other receives.  Process context.
 *
 * Return: 0, -EINVAL when @a is @b, or -EBUSY when either is connected.
 */
int iovsim_netport_connect(struct iovsim_netport *a, struct iovsim_netport *b)
{
	int ret = 0;

	if (a == b)
		return -EINVAL;
	mutex_lock(&iovsim_netport_mutex);
	if (rcu_access_pointer(a->peer) || rcu_access_pointer(b->peer)) {
		ret = -EBUSY;
	} else {
		rcu_assign_pointer(a->peer, b);
		rcu_assign_pointer(b->peer, a);
	}
	mutex_unlock(&iovsim_netport_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_netport_connect);

/**
 * iovsim_netport_disconnect() - take a port's link down
 * @port: either end; nothing happens when it is not connected
 *
 * Waits until no send through the link runs: when it returns, neither
 * end's ->receive or ->change_mac is called for this link any more.
 * Process context; may sleep; must not be called from inside a send or
 * a ->receive.
 */
void iovsim_netport_disconnect(struct iovsim_netport *port)
{
	struct iovsim_netport *peer;

	mutex_lock(&iovsim_netport_mutex);
	peer = rcu_dereference_protected(port->peer,
					 lockdep_is_held(&iovsim_netport_mutex));
	if (!peer) {
		mutex_unlock(&iovsim_netport_mutex);
		return;
	}
	RCU_INIT_POINTER(peer->peer, NULL);
	RCU_INIT_POINTER(port->peer, NULL);
	mutex_unlock(&iovsim_netport_mutex);
	/* expedited: a PF with 256 VFs disconnects 256 ports in a row */
	synchronize_srcu_expedited(&iovsim_netport_srcu);
}
EXPORT_SYMBOL_GPL(iovsim_netport_disconnect);

/**
 * iovsim_netport_connected() - is the port linked to another?
 * @port: the port
 *
 * Return: true if it is, at the time of the call.
 */
bool iovsim_netport_connected(struct iovsim_netport *port)
{
	return rcu_access_pointer(port->peer);
}
EXPORT_SYMBOL_GPL(iovsim_netport_connected);

/**
 * iovsim_netport_send() - send a frame to the other end
 * @port: the sending port
 * @frame: the frame (see &iovsim_netport_ops.receive)
 * @len: its length
 * @hint: flow hint for the receiver
 *
 * Context: process, may sleep: the other end's ->receive runs before this
 * returns.
 *
 * Return: 0 when the other end took the frame, -ENOTCONN when the port is
 * not connected, or the other end's reason for dropping it.
 */
int iovsim_netport_send(struct iovsim_netport *port, const u8 *frame,
			unsigned int len, unsigned int hint)
{
	struct iovsim_netport *peer;
	int idx, ret = -ENOTCONN;

	idx = srcu_read_lock(&iovsim_netport_srcu);
	peer = srcu_dereference(port->peer, &iovsim_netport_srcu);
	if (peer)
		ret = peer->ops->receive(peer, frame, len, hint);
	srcu_read_unlock(&iovsim_netport_srcu, idx);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_netport_send);

/**
 * iovsim_netport_flush() - end of a batch of sends
 * @port: the sending port
 *
 * The other end raises what it held back (&iovsim_netport_ops.flush).
 * Every sender calls it after its last iovsim_netport_send() of a batch.
 * Context: process, may sleep.
 */
void iovsim_netport_flush(struct iovsim_netport *port)
{
	struct iovsim_netport *peer;
	int idx;

	idx = srcu_read_lock(&iovsim_netport_srcu);
	peer = srcu_dereference(port->peer, &iovsim_netport_srcu);
	if (peer && peer->ops->flush)
		peer->ops->flush(peer);
	srcu_read_unlock(&iovsim_netport_srcu, idx);
}
EXPORT_SYMBOL_GPL(iovsim_netport_flush);

/**
 * iovsim_netport_change_mac() - ask the other end for a new address
 * @port: the asking port
 * @mac: the unicast address its owner wants to use
 *
 * Context: process, may sleep.
 *
 * Return: 0 when allowed (always, when unconnected or when the other end
 * has no ->change_mac), or the other end's negative errno.
 */
int iovsim_netport_change_mac(struct iovsim_netport *port, const u8 *mac)
{
	struct iovsim_netport *peer;
	int idx, ret = 0;

	idx = srcu_read_lock(&iovsim_netport_srcu);
	peer = srcu_dereference(port->peer, &iovsim_netport_srcu);
	if (peer && peer->ops->change_mac)
		ret = peer->ops->change_mac(peer, mac);
	srcu_read_unlock(&iovsim_netport_srcu, idx);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_netport_change_mac);
