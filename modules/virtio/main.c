// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_virtio: virtio 1.x PCI functions (virtio-blk over RAM,
 * virtio-net with back-to-back pairing) on the iovsim PCI domain, and the
 * in-host transport that lets the kernel's virtio drivers use them.
 *
 * Functions are created through configfs (configfs.c) or, at load time,
 * with the module parameters below.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_ether.h>
#include <linux/module.h>

#include <iovsim/pcihost.h>

#include "internal.h"

#define IOVSIM_VIRTIO_MAX_LOAD_FNS	8

static unsigned int blk_devices;
module_param(blk_devices, uint, 0444);
MODULE_PARM_DESC(blk_devices, "virtio-blk functions to add at load time (0-8)");

static unsigned int blk_size_mb = 64;
module_param(blk_size_mb, uint, 0444);
MODULE_PARM_DESC(blk_size_mb, "capacity of each of them in MiB (1-16384, default 64)");

static unsigned int net_devices;
module_param(net_devices, uint, 0444);
MODULE_PARM_DESC(net_devices, "virtio-net functions to add at load time (0-8); their ports are mod0, mod1...; mod1 is cabled to mod0, mod3 to mod2...");

static struct iovsim_fn *load_fns[2 * IOVSIM_VIRTIO_MAX_LOAD_FNS];

static void load_fns_remove(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(load_fns); i++) {
		if (load_fns[i])
			iovsim_fn_remove(load_fns[i]);
		load_fns[i] = NULL;
	}
}

static int load_fn_add(unsigned int slot, struct iovsim_fn *fn)
{
	int ret;

	if (IS_ERR(fn))
		return PTR_ERR(fn);
	ret = iovsim_fn_add(fn, -1);
	if (ret) {
		iovsim_fn_discard(fn);
		return ret;
	}
	load_fns[slot] = fn;
	return 0;
}

static int load_fns_add(void)
{
	unsigned int i, n = 0;
	int ret;

	if (blk_devices > IOVSIM_VIRTIO_MAX_LOAD_FNS) {
		pr_err("blk_devices %u out of range 0..%d\n", blk_devices,
		       IOVSIM_VIRTIO_MAX_LOAD_FNS);
		return -ERANGE;
	}
	if (blk_size_mb < 1 || blk_size_mb > IOVSIM_BLK_MAX_CAPACITY >> 20) {
		pr_err("blk_size_mb %u out of range 1..%llu\n", blk_size_mb,
		       IOVSIM_BLK_MAX_CAPACITY >> 20);
		return -ERANGE;
	}
	if (net_devices > IOVSIM_VIRTIO_MAX_LOAD_FNS) {
		pr_err("net_devices %u out of range 0..%d\n", net_devices,
		       IOVSIM_VIRTIO_MAX_LOAD_FNS);
		return -ERANGE;
	}
	for (i = 0; i < blk_devices; i++) {
		ret = load_fn_add(n++, iovsim_blk_create((u64)blk_size_mb << 20,
							 1, true));
		if (ret)
			return ret;
	}
	for (i = 0; i < net_devices; i++) {
		struct iovsim_vnet_params p = {
			.mac = { 0x52, 0x54, 0x00, 0x1f, 0x00, i },
			.mtu = ETH_DATA_LEN,
			.queues = 1,
			.link = true,
			.mq = true,
		};

		snprintf(p.port, sizeof(p.port), "mod%u", i);
		if (i & 1)
			snprintf(p.pair, sizeof(p.pair), "mod%u", i - 1);
		ret = load_fn_add(n++, iovsim_net_create(&p));
		if (ret)
			return ret;
	}
	return 0;
}

static int __init iovsim_virtio_init(void)
{
	int ret;

	ret = iovsim_virtio_wq_init();
	if (ret)
		return ret;
	iovsim_virtio_debugfs_init();
	ret = iovsim_transport_init();
	if (ret)
		goto err_wq;
	ret = load_fns_add();
	if (ret)
		goto err_fns;
	ret = iovsim_virtio_configfs_init();
	if (ret)
		goto err_fns;
	pr_info("loaded\n");
	return 0;

err_fns:
	load_fns_remove();
	iovsim_transport_exit();
err_wq:
	iovsim_virtio_debugfs_exit();
	iovsim_virtio_wq_exit();
	return ret;
}
module_init(iovsim_virtio_init);

static void __exit iovsim_virtio_exit(void)
{
	iovsim_virtio_configfs_exit();
	load_fns_remove();
	iovsim_transport_exit();
	iovsim_virtio_debugfs_exit();
	iovsim_virtio_wq_exit();
	pr_info("unloaded\n");
}
module_exit(iovsim_virtio_exit);

MODULE_DESCRIPTION("iovsim virtio 1.x PCI function model (blk, net) and in-host transport");
MODULE_LICENSE("GPL");
