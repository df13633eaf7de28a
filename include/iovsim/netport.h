/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Net ports: the one way iovsim's Ethernet devices exchange frames.
 *
 * A port is one end of a point-to-point link.  Its owner supplies
 * ->receive, which takes the frames the other end sends; the owner sends
 * through iovsim_netport_send().  A virtio-net function owns one port; so
 * does each side of the SR-IOV NIC's embedded switch (one per VF, one for
 * the PF's netdev, one for the wire).  Two virtio-net functions cabled
 * back to back are two connected ports; a VF's port is connected to its
 * switch port; two NICs' wires are their uplink ports connected.
 *
 * A link is only a pair of pointers: nothing queues, so a frame is
 * copied once, by the receiving owner, while the sender waits.
 *
 * Lifetimes: senders run inside an SRCU read-side section;
 * iovsim_netport_disconnect() clears the link and waits for every send
 * through it, so after it returns neither owner's ->receive runs for this
 * link again and either may be freed.
 */
#ifndef _IOVSIM_NETPORT_H
#define _IOVSIM_NETPORT_H

#include <linux/types.h>

struct iovsim_netport;

/**
 * struct iovsim_netport_ops - what the owner of a port does
 * @receive: take a frame sent by the other end: copy it (@frame is the
 *	sender's, read only, valid only during the call) or drop it.
 *	@frame is a whole Ethernet frame of @len bytes (header included,
 *	no FCS), at least ETH_HLEN.  @hint is a flow hint from the sender
 *	(the virtio-net transmit queue pair it came from), which a
 *	multiqueue receiver may use to choose a queue.  Context: process,
 *	may sleep; called by the other end's owner inside
 *	iovsim_netport_send(), with whatever locks that owner holds while
 *	sending (a virtio-net function: its transmit queue's mutex), so it
 *	must not take a lock of the same kind unannotated, nor send back
 *	through the same link.  Returns 0 when the frame was taken, or a
 *	negative errno saying why it was dropped (the receiver counts its
 *	own drops).
 * @flush: optional: the other end finished a batch of sends; raise what
 *	was held back for it (a virtio-net function interrupts its driver
 *	once per batch, not per frame).  Same context as @receive.  A
 *	sender calls iovsim_netport_flush() after every batch: a receiver
 *	with @flush may hold its interrupt until then.
 * @change_mac: optional: the other end asks to send from and receive at
 *	a new unicast address @mac.  Context: process, may sleep, inside
 *	iovsim_netport_change_mac().  Returns 0 to allow it, or a negative
 *	errno (-EPERM: not allowed).  Without it, any address is allowed.
 */
struct iovsim_netport_ops {
	int (*receive)(struct iovsim_netport *port, const u8 *frame,
		       unsigned int len, unsigned int hint);
	void (*flush)(struct iovsim_netport *port);
	int (*change_mac)(struct iovsim_netport *port, const u8 *mac);
};

/**
 * struct iovsim_netport - one end of a link
 * @ops: its owner's callbacks
 * @peer: the other end, or NULL; changes under the module's link mutex,
 *	read under SRCU
 */
struct iovsim_netport {
	const struct iovsim_netport_ops *ops;
	struct iovsim_netport __rcu *peer;
};

void iovsim_netport_init(struct iovsim_netport *port,
			 const struct iovsim_netport_ops *ops);
int iovsim_netport_connect(struct iovsim_netport *a, struct iovsim_netport *b);
void iovsim_netport_disconnect(struct iovsim_netport *port);
bool iovsim_netport_connected(struct iovsim_netport *port);
int iovsim_netport_send(struct iovsim_netport *port, const u8 *frame,
			unsigned int len, unsigned int hint);
void iovsim_netport_flush(struct iovsim_netport *port);
int iovsim_netport_change_mac(struct iovsim_netport *port, const u8 *mac);

#endif /* _IOVSIM_NETPORT_H */
