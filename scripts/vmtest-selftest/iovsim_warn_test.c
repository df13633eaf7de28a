// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that WARNs once when loaded, and nothing else. Built only by
 * scripts/vmtest-selftest/run to prove that scripts/vmtest fails a run
 * whose kernel log shows a splat even though the command itself passed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init iovsim_warn_test_init(void)
{
	WARN(1, "deliberate warning to test the VM runner\n");
	return 0;
}

static void __exit iovsim_warn_test_exit(void)
{
	pr_info("unloaded\n");
}

module_init(iovsim_warn_test_init);
module_exit(iovsim_warn_test_exit);

MODULE_DESCRIPTION("Test module for scripts/vmtest: warns on load");
MODULE_LICENSE("GPL");
