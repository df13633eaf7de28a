// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SR-IOV NIC's embedded switch: one per PF, between its VFs, the PF's
 * netdev and its wire (the uplink).  Each is a switch port, a net port
 * (include/iovsim/netport.h) whose other end is the VF's virtio-net
 * function, the PF netdev, or another NIC's uplink.
 *
 * Ingress, from a VF, in this order (each drop counted per VF and
 * reason):
 *	link	the VF's link state is disable
 *	spoof	spoof check is on and the source MAC is not the VF's
 *	vlan	the VF has an 802.1Q port VLAN and sent a VLAN-tagged frame,
 *		or an 802.1ad one and sent an 802.1ad-tagged frame
 *	rate	max_tx_rate is set and its token bucket is empty
 * then a frame from a VF with a port VLAN gets that tag inserted, outside
 * any 802.1Q tag of its own (Q-in-Q); with only a priority (qos), an
 * untagged frame gets a priority tag (VLAN 0).
 *
 * Forwarding: a unicast destination is looked up among the PF's address
 * and the addresses of the enabled VFs; a frame for none of them goes to
 * the wire (dropped as no_dest when it came from the wire).  Broadcast
 * and multicast frames go to every port but the one they came from.  A
 * VF with a port VLAN takes only frames whose outer tag is its VLAN (of
 * its protocol, 802.1Q or 802.1ad), and gets them with the tag stripped;
 * the PF, the wire and VFs without a port VLAN take every frame as it is
 * (the VFs' virtio-net devices offer no VLAN filter).  Frames never go
 * back to the wire they came from, so two cabled NICs cannot loop.
 *
 * In switchdev mode (devlink.c) the switch forwards nothing by itself:
 * what VF n sends (while its link is not disabled) goes to its
 * representor's port, what its representor sends goes to VF n as it is,
 * and the PF's netdev and the wire exchange frames with each other only,
 * as the uplink representor and the wire of a NIC in switchdev mode do.
 * The VF settings of legacy mode but the link state do not apply.
 *
 * The rate limit is a policer (a token bucket of 100 ms of traffic at the
 * rate, at least two full frames): frames over the rate are dropped, not
 * delayed.
 *
 * Locking: &iovsim_esw.lock (a spinlock, process context only) protects
 * every port's settings and token bucket.  The switch never holds it
 * while it hands a frame on: ->receive of the next port may sleep.
 * Counters are atomic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>

#include <iovsim/netport.h>

#include "internal.h"

/* Ethernet header with one VLAN tag */
#define ESW_VLAN_HLEN		(ETH_HLEN + VLAN_HLEN)
/* Longest frame a VF or the PF sends: MTU 1500, one tag */
#define ESW_MAX_FRAME		(ETH_DATA_LEN + ESW_VLAN_HLEN)

const char * const iovsim_esw_drop_names[IOVSIM_ESW_NR_DROPS] = {
	[IOVSIM_ESW_DROP_LINK]		= "link",
	[IOVSIM_ESW_DROP_SPOOF]		= "spoof",
	[IOVSIM_ESW_DROP_VLAN]		= "vlan",
	[IOVSIM_ESW_DROP_RATE]		= "rate",
	[IOVSIM_ESW_DROP_NO_DEST]	= "no_dest",
};

/**
 * struct esw_counters - what a switch port counted
 * @in_frames: frames its device sent into the switch
 * @in_bytes: their bytes
 * @out_frames: frames the switch delivered to its device
 * @out_bytes: their bytes
 * @out_bcast: of those, broadcast
 * @out_mcast: of those, multicast
 * @out_dropped: frames for it its device did not take (no buffer, link
 *	down, no driver)
 * @drop: frames from it the switch dropped, per reason
 */
struct esw_counters {
	atomic64_t in_frames;
	atomic64_t in_bytes;
	atomic64_t out_frames;
	atomic64_t out_bytes;
	atomic64_t out_bcast;
	atomic64_t out_mcast;
	atomic64_t out_dropped;
	atomic64_t drop[IOVSIM_ESW_NR_DROPS];
};

/**
 * struct esw_vport - one port of the switch
 * @port: its net port; the other end is its device
 * @esw: the switch
 * @index: VF number, or IOVSIM_ESW_PF or IOVSIM_ESW_UPLINK
 * @rep: VFs: the port its representor connects to (switchdev mode)
 * @cfg: its settings (VFs only; the PF's @cfg.mac is the PF netdev's
 *	address); under &iovsim_esw.lock
 * @tokens: rate limit: what it may send now, in nanoseconds of
 *	transmission at the rate; under &iovsim_esw.lock
 * @stamp: rate limit: when @tokens was last filled, in ns; ditto
 * @ctr: counters
 */
struct esw_vport {
	struct iovsim_netport port;
	struct iovsim_esw *esw;
	int index;
	struct iovsim_netport rep;
	struct iovsim_esw_vf_cfg cfg;
	u64 tokens;
	u64 stamp;
	struct esw_counters ctr;
};

/**
 * struct iovsim_esw - an embedded switch
 * @lock: protects the ports' @cfg and token buckets, @num_vfs and
 *	@switchdev
 * @num_vfs: VFs enabled: only those are forwarded to
 * @switchdev: in switchdev mode
 * @total_vfs: VFs it has ports for
 * @pf: the PF netdev's port
 * @uplink: the wire's port
 * @vf: the VFs' ports
 */
struct iovsim_esw {
	spinlock_t lock;	/* see above */
	unsigned int num_vfs;
	bool switchdev;
	unsigned int total_vfs;
	struct esw_vport pf;
	struct esw_vport uplink;
	struct esw_vport vf[];
};

static bool esw_is_vf(const struct esw_vport *vp)
{
	return vp->index >= 0;
}

/* Bytes per second of @mbps megabits per second */
static u64 esw_rate_bytes(u32 mbps)
{
	return (u64)mbps * 125000;
}

/*
 * Bucket depth, in nanoseconds of transmission: 100 ms at the rate, and
 * at least two full frames.  The VF's transmit worker runs in bursts,
 * tens of milliseconds apart on a loaded host: a shallower bucket would
 * overflow between them and cut the rate well below the limit.
 */
static u64 esw_burst_ns(u32 mbps)
{
	return max_t(u64, 100 * NSEC_PER_MSEC,
		     div64_u64(2ULL * ESW_MAX_FRAME * NSEC_PER_SEC,
			       esw_rate_bytes(mbps)));
}

/*
 * Take a frame of @len bytes from @vp's token bucket; under esw->lock.
 * Tokens are nanoseconds of transmission at the rate (as act_police
 * keeps them): elapsed time adds them one for one, so nothing is lost to
 * rounding and nothing overflows however long the port was idle.
 */
static bool esw_rate_take(struct esw_vport *vp, unsigned int len)
{
	u64 now = ktime_get_ns(), burst = esw_burst_ns(vp->cfg.max_tx_rate);
	u64 cost = div64_u64((u64)len * NSEC_PER_SEC,
			     esw_rate_bytes(vp->cfg.max_tx_rate));

	vp->tokens = min(burst, vp->tokens + min(burst, now - vp->stamp));
	vp->stamp = now;
	if (vp->tokens < cost)
		return false;
	vp->tokens -= cost;
	return true;
}

/* The VLAN tag of a frame, as the switch sees it: outer tag only */
struct esw_tag {
	__be16 proto;	/* 0: untagged */
	u16 vid;
};

static void esw_frame_tag(const u8 *frame, unsigned int len,
			  struct esw_tag *tag)
{
	__be16 proto = get_unaligned((const __be16 *)(frame + 2 * ETH_ALEN));

	tag->proto = 0;
	tag->vid = 0;
	if (eth_type_vlan(proto) && len >= ESW_VLAN_HLEN) {
		tag->proto = proto;
		tag->vid = get_unaligned_be16(frame + ETH_HLEN) & VLAN_VID_MASK;
	}
}

/*
 * Does @vp take a frame tagged @tag (under esw->lock)?  A port VLAN
 * admits its own VLAN only; every other port is a trunk.
 */
static bool esw_admits(const struct esw_vport *vp, const struct esw_tag *tag)
{
	if (!esw_is_vf(vp) || !vp->cfg.vlan)
		return true;
	return tag->proto == vp->cfg.vlan_proto && tag->vid == vp->cfg.vlan;
}

/**
 * struct esw_frame - a frame on its way through the switch
 * @data: the frame, with its outer tag if it has one
 * @len: its length
 * @tag: that tag
 * @untagged: @data without its outer tag, made when first needed
 * @hint: flow hint of the sender
 */
struct esw_frame {
	const u8 *data;
	unsigned int len;
	struct esw_tag tag;
	u8 *untagged;
	unsigned int hint;
};

/* Hand @f to @vp's device, as @vp wants it (tag stripped or not). */
static void esw_out(struct esw_vport *vp, struct esw_frame *f, bool strip)
{
	const u8 *data = f->data;
	unsigned int len = f->len;

	if (strip) {
		if (!f->untagged) {
			f->untagged = kmalloc(f->len - VLAN_HLEN, GFP_KERNEL);
			if (!f->untagged)
				goto dropped;
			memcpy(f->untagged, f->data, 2 * ETH_ALEN);
			memcpy(f->untagged + 2 * ETH_ALEN,
			       f->data + 2 * ETH_ALEN + VLAN_HLEN,
			       f->len - 2 * ETH_ALEN - VLAN_HLEN);
		}
		data = f->untagged;
		len -= VLAN_HLEN;
	}
	if (iovsim_netport_send(&vp->port, data, len, f->hint))
		goto dropped;
	atomic64_inc(&vp->ctr.out_frames);
	atomic64_add(len, &vp->ctr.out_bytes);
	if (is_broadcast_ether_addr(data))
		atomic64_inc(&vp->ctr.out_bcast);
	else if (is_multicast_ether_addr(data))
		atomic64_inc(&vp->ctr.out_mcast);
	return;

dropped:
	atomic64_inc(&vp->ctr.out_dropped);
}

/*
 * The port a unicast frame goes to, under esw->lock: the PF, an enabled
 * VF whose address it is and which admits its tag, or NULL.
 */
static struct esw_vport *esw_lookup(struct iovsim_esw *esw, const u8 *dst,
				    const struct esw_tag *tag)
{
	unsigned int n;

	if (ether_addr_equal(dst, esw->pf.cfg.mac))
		return &esw->pf;
	for (n = 0; n < esw->num_vfs; n++)
		if (ether_addr_equal(dst, esw->vf[n].cfg.mac) &&
		    esw_admits(&esw->vf[n], tag))
			return &esw->vf[n];
	return NULL;
}

/* Does @vp strip @tag on egress?  Under esw->lock. */
static bool esw_strips(const struct esw_vport *vp, const struct esw_tag *tag)
{
	return esw_is_vf(vp) && vp->cfg.vlan && tag->proto;
}

static void esw_flood(struct iovsim_esw *esw, struct esw_vport *src,
		      struct esw_frame *f)
{
	unsigned int n, num_vfs;
	bool admit, strip;

	spin_lock(&esw->lock);
	num_vfs = esw->num_vfs;
	spin_unlock(&esw->lock);

	if (src != &esw->pf)
		esw_out(&esw->pf, f, false);
	for (n = 0; n < num_vfs; n++) {
		if (&esw->vf[n] == src)
			continue;
		spin_lock(&esw->lock);
		admit = esw_admits(&esw->vf[n], &f->tag);
		strip = esw_strips(&esw->vf[n], &f->tag);
		spin_unlock(&esw->lock);
		if (admit)
			esw_out(&esw->vf[n], f, strip);
	}
	if (src != &esw->uplink)
		esw_out(&esw->uplink, f, false);
}

static void esw_forward(struct iovsim_esw *esw, struct esw_vport *src,
			struct esw_frame *f)
{
	struct esw_vport *dst;
	bool strip = false;

	esw_frame_tag(f->data, f->len, &f->tag);
	if (is_multicast_ether_addr(f->data)) {
		esw_flood(esw, src, f);
		return;
	}
	spin_lock(&esw->lock);
	dst = esw_lookup(esw, f->data, &f->tag);
	if (dst)
		strip = esw_strips(dst, &f->tag);
	spin_unlock(&esw->lock);
	if (!dst && src != &esw->uplink)
		dst = &esw->uplink;
	if (!dst || dst == src) {
		atomic64_inc(&src->ctr.drop[IOVSIM_ESW_DROP_NO_DEST]);
		return;
	}
	esw_out(dst, f, strip);
}

/*
 * Ingress policy of VF port @vp for a frame of @len bytes from @frame;
 * under esw->lock.  Returns the drop reason, or IOVSIM_ESW_NR_DROPS to
 * pass it, with *@push set to the tag to insert (0: none).
 */
static int esw_vf_policy(struct iovsim_esw *esw, struct esw_vport *vp,
			 const u8 *frame, unsigned int len, u32 *push)
{
	const struct iovsim_esw_vf_cfg *cfg = &vp->cfg;
	__be16 proto = get_unaligned((const __be16 *)(frame + 2 * ETH_ALEN));

	*push = 0;
	if (vp->index >= esw->num_vfs ||
	    cfg->link_state == IFLA_VF_LINK_STATE_DISABLE)
		return IOVSIM_ESW_DROP_LINK;
	if (cfg->spoofchk && !ether_addr_equal(frame + ETH_ALEN, cfg->mac))
		return IOVSIM_ESW_DROP_SPOOF;
	if (cfg->vlan && eth_type_vlan(proto) &&
	    !(cfg->vlan_proto == htons(ETH_P_8021AD) &&
	      proto == htons(ETH_P_8021Q)))
		return IOVSIM_ESW_DROP_VLAN;
	/*
	 * A port VLAN tags every frame (an 802.1ad one goes outside the
	 * VF's own 802.1Q tag, Q-in-Q); a priority tag (qos, VLAN 0) only
	 * the untagged ones.
	 */
	if (cfg->vlan || (cfg->qos && !eth_type_vlan(proto))) {
		*push = (u32)be16_to_cpu(cfg->vlan_proto) << 16 |
			cfg->qos << VLAN_PRIO_SHIFT | cfg->vlan;
		len += VLAN_HLEN;
	}
	if (cfg->max_tx_rate && !esw_rate_take(vp, len))
		return IOVSIM_ESW_DROP_RATE;
	return IOVSIM_ESW_NR_DROPS;
}

static const int esw_drop_errno[IOVSIM_ESW_NR_DROPS] = {
	[IOVSIM_ESW_DROP_LINK]		= -ENETDOWN,
	[IOVSIM_ESW_DROP_SPOOF]		= -EPERM,
	[IOVSIM_ESW_DROP_VLAN]		= -EPERM,
	[IOVSIM_ESW_DROP_RATE]		= -ENOBUFS,
	[IOVSIM_ESW_DROP_NO_DEST]	= -EHOSTUNREACH,
};

/*
 * Switchdev mode: a frame from @vp's device goes to its representor (a
 * VF) or to the other of PF and wire.  Returns 0 or the errno of a drop.
 */
static int esw_switchdev_in(struct iovsim_esw *esw, struct esw_vport *vp,
			    struct esw_frame *f)
{
	bool up;

	if (vp == &esw->pf) {
		esw_out(&esw->uplink, f, false);
		return 0;
	}
	if (vp == &esw->uplink) {
		esw_out(&esw->pf, f, false);
		return 0;
	}
	spin_lock(&esw->lock);
	up = vp->index < esw->num_vfs &&
	     vp->cfg.link_state != IFLA_VF_LINK_STATE_DISABLE;
	spin_unlock(&esw->lock);
	if (!up) {
		atomic64_inc(&vp->ctr.drop[IOVSIM_ESW_DROP_LINK]);
		return esw_drop_errno[IOVSIM_ESW_DROP_LINK];
	}
	if (iovsim_netport_send(&vp->rep, f->data, f->len, f->hint)) {
		atomic64_inc(&vp->ctr.drop[IOVSIM_ESW_DROP_NO_DEST]);
		return esw_drop_errno[IOVSIM_ESW_DROP_NO_DEST];
	}
	return 0;
}

/*
 * &iovsim_netport_ops.receive of every switch port: a frame from its
 * device.  Process context; the sender may hold its transmit queue's
 * mutex.
 */
static int esw_receive(struct iovsim_netport *port, const u8 *frame,
		       unsigned int len, unsigned int hint)
{
	struct esw_vport *vp = container_of(port, struct esw_vport, port);
	struct iovsim_esw *esw = vp->esw;
	struct esw_frame f = { .data = frame, .len = len, .hint = hint };
	int drop = IOVSIM_ESW_NR_DROPS;
	u8 *tagged = NULL;
	bool switchdev;
	u32 push = 0;

	atomic64_inc(&vp->ctr.in_frames);
	atomic64_add(len, &vp->ctr.in_bytes);
	spin_lock(&esw->lock);
	switchdev = esw->switchdev;
	spin_unlock(&esw->lock);
	if (switchdev)
		return esw_switchdev_in(esw, vp, &f);
	if (esw_is_vf(vp)) {
		spin_lock(&esw->lock);
		drop = esw_vf_policy(esw, vp, frame, len, &push);
		spin_unlock(&esw->lock);
	}
	if (drop == IOVSIM_ESW_NR_DROPS && push) {
		tagged = kmalloc(len + VLAN_HLEN, GFP_KERNEL);
		if (!tagged)
			return -ENOMEM;
		memcpy(tagged, frame, 2 * ETH_ALEN);
		put_unaligned_be32(push, tagged + 2 * ETH_ALEN);
		memcpy(tagged + 2 * ETH_ALEN + VLAN_HLEN,
		       frame + 2 * ETH_ALEN, len - 2 * ETH_ALEN);
		f.data = tagged;
		f.len = len + VLAN_HLEN;
	}
	if (drop != IOVSIM_ESW_NR_DROPS) {
		atomic64_inc(&vp->ctr.drop[drop]);
		return esw_drop_errno[drop];
	}
	esw_forward(esw, vp, &f);
	kfree(f.untagged);
	kfree(tagged);
	return 0;
}

/*
 * &iovsim_netport_ops.change_mac of a VF port: its driver wants another
 * address.  A trusted VF gets it (spoof check and forwarding follow); an
 * untrusted one keeps the address its PF gave it.  Process context.
 */
static int esw_change_mac(struct iovsim_netport *port, const u8 *mac)
{
	struct esw_vport *vp = container_of(port, struct esw_vport, port);
	struct iovsim_esw *esw = vp->esw;
	int ret = 0;

	spin_lock(&esw->lock);
	if (vp->cfg.trust)
		ether_addr_copy(vp->cfg.mac, mac);
	else if (!ether_addr_equal(vp->cfg.mac, mac))
		ret = -EPERM;
	spin_unlock(&esw->lock);
	if (ret)
		pr_info_ratelimited("VF %d is not trusted: cannot use %pM\n",
				    vp->index, mac);
	return ret;
}

/*
 * &iovsim_netport_ops.flush of every switch port: the device behind @port
 * finished a batch; flush every other port the batch may have reached.
 * Never back to @port, so two cabled NICs do not flush each other in a
 * loop.  Process context.
 */
static void esw_flush(struct iovsim_netport *port)
{
	struct esw_vport *vp = container_of(port, struct esw_vport, port);
	struct iovsim_esw *esw = vp->esw;
	unsigned int n, num_vfs;

	spin_lock(&esw->lock);
	num_vfs = esw->num_vfs;
	spin_unlock(&esw->lock);
	for (n = 0; n < num_vfs; n++)
		if (&esw->vf[n] != vp)
			iovsim_netport_flush(&esw->vf[n].port);
	if (vp != &esw->pf)
		iovsim_netport_flush(&esw->pf.port);
	if (vp != &esw->uplink)
		iovsim_netport_flush(&esw->uplink.port);
}

static const struct iovsim_netport_ops esw_vf_port_ops = {
	.receive	= esw_receive,
	.flush		= esw_flush,
	.change_mac	= esw_change_mac,
};

static const struct iovsim_netport_ops esw_port_ops = {
	.receive	= esw_receive,
	.flush		= esw_flush,
};

/*
 * &iovsim_netport_ops.receive of a VF's representor port: what the
 * representor sends goes to the VF as it is.  Process context.
 */
static int esw_rep_receive(struct iovsim_netport *port, const u8 *frame,
			   unsigned int len, unsigned int hint)
{
	struct esw_vport *vp = container_of(port, struct esw_vport, rep);
	struct esw_frame f = { .data = frame, .len = len, .hint = hint };

	esw_out(vp, &f, false);
	return 0;
}

/* &iovsim_netport_ops.flush of a representor port: flush its VF. */
static void esw_rep_flush(struct iovsim_netport *port)
{
	struct esw_vport *vp = container_of(port, struct esw_vport, rep);

	iovsim_netport_flush(&vp->port);
}

static const struct iovsim_netport_ops esw_rep_port_ops = {
	.receive	= esw_rep_receive,
	.flush		= esw_rep_flush,
};

static void esw_vport_init(struct iovsim_esw *esw, struct esw_vport *vp,
			   int index)
{
	vp->esw = esw;
	vp->index = index;
	iovsim_netport_init(&vp->port, index >= 0 ? &esw_vf_port_ops :
			    &esw_port_ops);
	iovsim_netport_init(&vp->rep, &esw_rep_port_ops);
}

/* The settings of a VF of a NIC just reset; under esw->lock. */
static void esw_vf_defaults(struct esw_vport *vp, const u8 *mac)
{
	memset(&vp->cfg, 0, sizeof(vp->cfg));
	ether_addr_copy(vp->cfg.mac, mac);
	vp->cfg.vlan_proto = htons(ETH_P_8021Q);
	vp->cfg.spoofchk = true;
	vp->cfg.link_state = IFLA_VF_LINK_STATE_AUTO;
	vp->tokens = 0;
}

/**
 * iovsim_esw_create() - build a switch
 * @total_vfs: VF ports, 1..IOVSIM_SRIOV_MAX_VFS
 * @pf_mac: the PF netdev's address
 *
 * Every VF port starts with iovsim_esw_vf_reset()'s settings for the
 * address 00:00:00:00:00:00; the caller sets each.  Process context.
 *
 * Return: the switch or NULL.
 */
struct iovsim_esw *iovsim_esw_create(unsigned int total_vfs, const u8 *pf_mac)
{
	static const u8 zero[ETH_ALEN];
	struct iovsim_esw *esw;
	unsigned int n;

	esw = kzalloc(struct_size(esw, vf, total_vfs), GFP_KERNEL);
	if (!esw)
		return NULL;
	spin_lock_init(&esw->lock);
	esw->total_vfs = total_vfs;
	esw_vport_init(esw, &esw->pf, IOVSIM_ESW_PF);
	ether_addr_copy(esw->pf.cfg.mac, pf_mac);
	esw_vport_init(esw, &esw->uplink, IOVSIM_ESW_UPLINK);
	for (n = 0; n < total_vfs; n++) {
		esw_vport_init(esw, &esw->vf[n], n);
		esw_vf_defaults(&esw->vf[n], zero);
	}
	return esw;
}

/**
 * iovsim_esw_destroy() - free a switch
 * @esw: the switch, or NULL; none of its ports may be connected any more
 */
void iovsim_esw_destroy(struct iovsim_esw *esw)
{
	unsigned int n;

	if (!esw)
		return;
	WARN_ON(iovsim_netport_connected(&esw->pf.port));
	WARN_ON(iovsim_netport_connected(&esw->uplink.port));
	for (n = 0; n < esw->total_vfs; n++) {
		WARN_ON(iovsim_netport_connected(&esw->vf[n].port));
		WARN_ON(iovsim_netport_connected(&esw->vf[n].rep));
	}
	kfree(esw);
}

/**
 * iovsim_esw_port() - a port of the switch, for its device to connect to
 * @esw: the switch
 * @index: VF number, IOVSIM_ESW_PF or IOVSIM_ESW_UPLINK
 *
 * Return: the port.
 */
struct iovsim_netport *iovsim_esw_port(struct iovsim_esw *esw, int index)
{
	if (index == IOVSIM_ESW_PF)
		return &esw->pf.port;
	if (index == IOVSIM_ESW_UPLINK)
		return &esw->uplink.port;
	return &esw->vf[index].port;
}

/**
 * iovsim_esw_set_num_vfs() - how many VFs are enabled
 * @esw: the switch
 * @num_vfs: VFs 0..@num_vfs - 1 are forwarded to from here
 *
 * Process context.
 */
void iovsim_esw_set_num_vfs(struct iovsim_esw *esw, unsigned int num_vfs)
{
	spin_lock(&esw->lock);
	esw->num_vfs = min(num_vfs, esw->total_vfs);
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_vf_reset() - give a VF port its initial settings
 * @esw: the switch
 * @n: VF number
 * @mac: its address
 *
 * Spoof check on, not trusted, no VLAN, no rate limit, link auto.
 * Process context.
 */
void iovsim_esw_vf_reset(struct iovsim_esw *esw, unsigned int n,
			 const u8 *mac)
{
	spin_lock(&esw->lock);
	esw_vf_defaults(&esw->vf[n], mac);
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_vf_get() - the settings of a VF port
 * @esw: the switch
 * @n: VF number
 * @cfg: filled with them
 *
 * Process context.
 */
void iovsim_esw_vf_get(struct iovsim_esw *esw, unsigned int n,
		       struct iovsim_esw_vf_cfg *cfg)
{
	spin_lock(&esw->lock);
	*cfg = esw->vf[n].cfg;
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_vf_set() - change some settings of a VF port
 * @esw: the switch
 * @n: VF number
 * @cfg: new settings, already checked
 * @what: which of them: IOVSIM_ESW_SET_* bits
 *
 * They apply to the next frame.  Process context.
 */
void iovsim_esw_vf_set(struct iovsim_esw *esw, unsigned int n,
		       const struct iovsim_esw_vf_cfg *cfg, unsigned int what)
{
	struct esw_vport *vp = &esw->vf[n];

	spin_lock(&esw->lock);
	if (what & IOVSIM_ESW_SET_MAC)
		ether_addr_copy(vp->cfg.mac, cfg->mac);
	if (what & IOVSIM_ESW_SET_VLAN) {
		vp->cfg.vlan = cfg->vlan;
		vp->cfg.qos = cfg->qos;
		vp->cfg.vlan_proto = cfg->vlan_proto;
	}
	if (what & IOVSIM_ESW_SET_RATE) {
		vp->cfg.min_tx_rate = cfg->min_tx_rate;
		vp->cfg.max_tx_rate = cfg->max_tx_rate;
		vp->tokens = cfg->max_tx_rate ?
			     esw_burst_ns(cfg->max_tx_rate) : 0;
		vp->stamp = ktime_get_ns();
	}
	if (what & IOVSIM_ESW_SET_SPOOFCHK)
		vp->cfg.spoofchk = cfg->spoofchk;
	if (what & IOVSIM_ESW_SET_TRUST)
		vp->cfg.trust = cfg->trust;
	if (what & IOVSIM_ESW_SET_LINK)
		vp->cfg.link_state = cfg->link_state;
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_set_pf_mac() - the PF netdev's address changed
 * @esw: the switch
 * @mac: the new one
 *
 * Process context.
 */
void iovsim_esw_set_pf_mac(struct iovsim_esw *esw, const u8 *mac)
{
	spin_lock(&esw->lock);
	ether_addr_copy(esw->pf.cfg.mac, mac);
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_get_stats() - the counters of a switch port
 * @esw: the switch
 * @index: VF number, IOVSIM_ESW_PF or IOVSIM_ESW_UPLINK
 * @st: filled with them
 */
void iovsim_esw_get_stats(struct iovsim_esw *esw, int index,
			  struct iovsim_esw_stats *st)
{
	struct esw_vport *vp = index == IOVSIM_ESW_PF ? &esw->pf :
			       index == IOVSIM_ESW_UPLINK ? &esw->uplink :
			       &esw->vf[index];
	struct esw_counters *c = &vp->ctr;
	unsigned int i;

	st->in_frames = atomic64_read(&c->in_frames);
	st->in_bytes = atomic64_read(&c->in_bytes);
	st->out_frames = atomic64_read(&c->out_frames);
	st->out_bytes = atomic64_read(&c->out_bytes);
	st->out_bcast = atomic64_read(&c->out_bcast);
	st->out_mcast = atomic64_read(&c->out_mcast);
	st->out_dropped = atomic64_read(&c->out_dropped);
	for (i = 0; i < IOVSIM_ESW_NR_DROPS; i++)
		st->drop[i] = atomic64_read(&c->drop[i]);
}

/**
 * iovsim_esw_set_switchdev() - switch between legacy and switchdev mode
 * @esw: the switch
 * @on: switchdev mode
 *
 * Applies to the next frame.  Process context.
 */
void iovsim_esw_set_switchdev(struct iovsim_esw *esw, bool on)
{
	spin_lock(&esw->lock);
	esw->switchdev = on;
	spin_unlock(&esw->lock);
}

/**
 * iovsim_esw_rep_port() - the port VF @n's representor connects to
 * @esw: the switch
 * @n: VF number
 *
 * Return: the port.
 */
struct iovsim_netport *iovsim_esw_rep_port(struct iovsim_esw *esw,
					   unsigned int n)
{
	return &esw->vf[n].rep;
}
