// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that misbehaves on purpose when loaded, and nothing else. Built
 * only by scripts/vmtest-selftest/run to prove that the VM runner and the
 * selftest runner catch what the kernel reports even when the command
 * itself passed:
 *
 *   warn=1 (default)  WARN once (a splat, and the W taint flag);
 *   leak=1            allocate an object and drop the only pointer to it
 *                     (kmemleak reports it on a kernel that has kmemleak).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool warn = true;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN once on load (default: yes)");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak one allocation on load (default: no)");

static int __init iovsim_warn_test_init(void)
{
	void *p;

	WARN(warn, "deliberate warning to test the VM runner\n");
	if (leak) {
		p = kmalloc(256, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		/* Kept alive until here, then forgotten: a leak by design. */
		pr_info("leaking %p on purpose\n", p);
	}
	return 0;
}

static void __exit iovsim_warn_test_exit(void)
{
	pr_info("unloaded\n");
}

module_init(iovsim_warn_test_init);
module_exit(iovsim_warn_test_exit);

MODULE_DESCRIPTION("Test module for scripts/vmtest: warns or leaks on load");
MODULE_LICENSE("GPL");
