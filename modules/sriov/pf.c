// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SR-IOV NIC's physical function, as a device model: a PCI Express
 * root complex integrated endpoint of class Ethernet controller, vendor
 * 0x1b36 device 0x10f1, with an SR-IOV capability whose VFs are
 * virtio-net functions of iovsim_virtio (one model serves every virtio-net
 * function, plain or VF).  The host (iovsim_pcihost) emulates the SR-IOV
 * capability and makes the VFs appear when VF Enable is set; the PF
 * itself has no BAR and no register of its own yet.
 *
 * Each PF has an embedded switch (eswitch.c), as long as it exists.  VF n
 * of PF <id> has port sr<id>vf<n>, connected to the switch's port for VF
 * n, and MAC address PF MAC + n + 1.  Two PFs whose wire has the same
 * label are cabled: their switches' uplink ports are connected, from
 * when the second is built until the first is released.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/idr.h>
#include <linux/if_link.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <iovsim/netport.h>
#include <iovsim/pcihost.h>
#include <iovsim/virtio_net.h>
#include <uapi/iovsim/pci_ids.h>

#include "internal.h"

static DEFINE_IDA(iovsim_sriov_ida);
static DEFINE_MUTEX(iovsim_sriov_pfs_mutex);
static LIST_HEAD(iovsim_sriov_pfs);	/* under iovsim_sriov_pfs_mutex */

/* PCI class code of an Ethernet controller: base class, subclass, prog-if */
#define SRIOV_PF_CLASS		(PCI_CLASS_NETWORK_ETHERNET << 8)

/*
 * Cable @pf's wire to the first other PF on the list with the same label
 * whose wire is free; under iovsim_sriov_pfs_mutex.
 */
static void sriov_pf_cable_locked(struct iovsim_sriov_pf *pf)
{
	struct iovsim_sriov_pf *other;

	if (!pf->p.wire[0] || pf->wire_peer)
		return;
	list_for_each_entry(other, &iovsim_sriov_pfs, node) {
		if (other == pf || other->wire_peer ||
		    strcmp(other->p.wire, pf->p.wire))
			continue;
		if (iovsim_netport_connect(iovsim_esw_port(pf->esw,
							   IOVSIM_ESW_UPLINK),
					   iovsim_esw_port(other->esw,
							   IOVSIM_ESW_UPLINK)))
			continue;
		pf->wire_peer = other;
		other->wire_peer = pf;
		pr_info("PF %d: wire %s cabled to PF %d\n", pf->id,
			pf->p.wire, other->id);
		return;
	}
}

/* Put @pf on the list and cable its wire.  Process context. */
static void sriov_pf_cable(struct iovsim_sriov_pf *pf)
{
	mutex_lock(&iovsim_sriov_pfs_mutex);
	list_add_tail(&pf->node, &iovsim_sriov_pfs);
	sriov_pf_cable_locked(pf);
	mutex_unlock(&iovsim_sriov_pfs_mutex);
}

/*
 * Take @pf off the list and unplug its cable; the PF at the other end
 * gets the next free one with the label, if any.  Process context.
 */
static void sriov_pf_uncable(struct iovsim_sriov_pf *pf)
{
	struct iovsim_sriov_pf *peer;

	mutex_lock(&iovsim_sriov_pfs_mutex);
	list_del(&pf->node);
	peer = pf->wire_peer;
	if (peer) {
		iovsim_netport_disconnect(iovsim_esw_port(pf->esw,
							  IOVSIM_ESW_UPLINK));
		peer->wire_peer = NULL;
		pf->wire_peer = NULL;
		sriov_pf_cable_locked(peer);
	}
	mutex_unlock(&iovsim_sriov_pfs_mutex);
}

/* PCI class code of an Ethernet controller: base class, subclass, prog-if */
#define SRIOV_PF_CLASS		(PCI_CLASS_NETWORK_ETHERNET << 8)

/**
 * iovsim_sriov_default_params() - parameters of a new PF
 * @p: filled with TotalVFs IOVSIM_SRIOV_DEFAULT_VFS and a random
 *	locally administered MAC address
 */
void iovsim_sriov_default_params(struct iovsim_sriov_params *p)
{
	p->total_vfs = IOVSIM_SRIOV_DEFAULT_VFS;
	eth_random_addr(p->mac);
	/* room for 256 VFs above it without carrying into the OUI */
	p->mac[4] &= 0xf0;
	p->mac[5] = 0;
}

/**
 * iovsim_sriov_mac_fits() - is there room above a PF's MAC for its VFs'
 * @mac: the PF's address
 * @total_vfs: its TotalVFs
 *
 * VF n gets @mac + n + 1: that must not carry into the first octet, whose
 * low bits say unicast/multicast and universal/local.
 *
 * Return: true if every VF address keeps @mac's first octet.
 */
bool iovsim_sriov_mac_fits(const u8 *mac, unsigned int total_vfs)
{
	u64 low = ether_addr_to_u64(mac) & GENMASK_ULL(39, 0);

	return low + total_vfs <= GENMASK_ULL(39, 0);
}

/**
 * iovsim_sriov_vf_default_mac() - the MAC address VF @n starts with
 * @pf: its PF
 * @n: VF number
 * @mac: set to the PF's address plus @n + 1, within its 48 bits
 */
void iovsim_sriov_vf_default_mac(const struct iovsim_sriov_pf *pf,
				 unsigned int n, u8 *mac)
{
	u64 v = ether_addr_to_u64(pf->p.mac) + n + 1;

	u64_to_ether_addr(v & GENMASK_ULL(47, 0), mac);
}

/**
 * iovsim_sriov_vf_port() - the name of VF @n's port
 * @pf: its PF
 * @n: VF number
 * @port: IOVSIM_VNET_NAME_LEN bytes, set to sr<id>vf<n>
 */
void iovsim_sriov_vf_port(const struct iovsim_sriov_pf *pf, unsigned int n,
			  char *port)
{
	snprintf(port, IOVSIM_VNET_NAME_LEN, "sr%dvf%u", pf->id, n);
}

/* The PF has no BAR: the host never decodes an access for it. */
static u64 sriov_pf_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
			     unsigned int size)
{
	return ~0ULL;
}

static void sriov_pf_bar_write(struct iovsim_fn *fn, unsigned int bar,
			       u64 off, unsigned int size, u64 val)
{
}

/* Process context: the last reference to the PF is gone. */
static void sriov_pf_release(struct iovsim_fn *fn)
{
	struct iovsim_sriov_pf *pf = iovsim_fn_priv(fn);

	sriov_pf_uncable(pf);
	ida_free(&iovsim_sriov_ida, pf->id);
	iovsim_esw_destroy(pf->esw);
	kfree(pf);
}

static const struct iovsim_fn_ops sriov_pf_ops = {
	.bar_read	= sriov_pf_bar_read,
	.bar_write	= sriov_pf_bar_write,
	.release	= sriov_pf_release,
};

/* Build VF @n of @pf and hand it to the PF function @fn. */
static int sriov_add_vf(struct iovsim_sriov_pf *pf, struct iovsim_fn *fn,
			unsigned int n)
{
	struct iovsim_vnet_params vp = {
		.mtu = ETH_DATA_LEN,
		.queues = 1,
		.link = true,
		.attach = iovsim_esw_port(pf->esw, n),
	};
	struct iovsim_fn *vf;
	int ret;

	iovsim_sriov_vf_port(pf, n, vp.port);
	iovsim_sriov_vf_default_mac(pf, n, vp.mac);
	iovsim_esw_vf_reset(pf->esw, n, vp.mac);
	vf = iovsim_net_create(&vp);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	ret = iovsim_fn_add_vf(fn, vf);
	if (ret)
		iovsim_fn_discard(vf);
	return ret;
}

/**
 * iovsim_sriov_pf_create() - build a physical function and its VFs
 * @p: parameters, already checked (iovsim_sriov_mac_fits() among them)
 *
 * Process context.
 *
 * Return: the function, not yet added (iovsim_fn_add()), or an ERR_PTR().
 */
struct iovsim_fn *iovsim_sriov_pf_create(const struct iovsim_sriov_params *p)
{
	struct iovsim_sriov_pf *pf;
	struct iovsim_fn *fn;
	unsigned int n;
	int ret;

	if (!iovsim_sriov_mac_fits(p->mac, p->total_vfs))
		return ERR_PTR(-ERANGE);	/* the callers check first */
	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return ERR_PTR(-ENOMEM);
	pf->p = *p;
	INIT_LIST_HEAD(&pf->node);
	pf->esw = iovsim_esw_create(p->total_vfs, p->mac);
	if (!pf->esw) {
		ret = -ENOMEM;
		goto err_free;
	}
	pf->id = ida_alloc_max(&iovsim_sriov_ida, 999, GFP_KERNEL);
	if (pf->id < 0) {
		ret = pf->id;
		goto err_free;
	}

	/* from here the function's release frees pf */
	fn = iovsim_fn_alloc(THIS_MODULE, &sriov_pf_ops, pf);
	if (IS_ERR(fn)) {
		ret = PTR_ERR(fn);
		goto err_ida;
	}
	sriov_pf_cable(pf);

	iovsim_cfg_set_ids(fn, IOVSIM_PCI_VENDOR_ID,
			   IOVSIM_PCI_DEVICE_ID_SRIOV_PF, IOVSIM_PCI_VENDOR_ID,
			   IOVSIM_PCI_DEVICE_ID_SRIOV_PF, SRIOV_PF_CLASS, 1);
	iovsim_fn_set_driver(fn, KBUILD_MODNAME);
	ret = iovsim_cfg_add_pcie(fn, IOVSIM_PCIE_RCIEP);
	if (ret >= 0)
		ret = iovsim_cfg_add_sriov(fn, p->total_vfs);
	for (n = 0; ret >= 0 && n < p->total_vfs; n++)
		ret = sriov_add_vf(pf, fn, n);
	if (ret < 0) {
		pr_err("cannot build PF %d: %d\n", pf->id, ret);
		iovsim_fn_discard(fn);	/* frees pf */
		return ERR_PTR(ret);
	}
	return fn;

err_ida:
	ida_free(&iovsim_sriov_ida, pf->id);
err_free:
	iovsim_esw_destroy(pf->esw);
	kfree(pf);
	return ERR_PTR(ret);
}

/**
 * iovsim_sriov_pf_exit() - module unload: every PF is gone
 */
void iovsim_sriov_pf_exit(void)
{
	ida_destroy(&iovsim_sriov_ida);
}
