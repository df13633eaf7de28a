// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring: module glue.  The module is a library: its only state is
 * the host DMA backend's map of System RAM ranges, and its users (the
 * iovsim device models) pin it through the symbols they import.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "ring_internal.h"

static int __init iovsim_ring_module_init(void)
{
	int ret;

	ret = iovsim_dma_host_init();
	if (ret)
		return ret;
	pr_info("loaded\n");
	return 0;
}

static void __exit iovsim_ring_module_exit(void)
{
	iovsim_dma_host_exit();
	pr_info("unloaded\n");
}

module_init(iovsim_ring_module_init);
module_exit(iovsim_ring_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iovsim: virtqueue parsing and DMA helpers for emulated devices");
