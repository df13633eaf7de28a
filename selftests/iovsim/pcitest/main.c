// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_pcitest: the test function model and its driver, one module.
 * Built with the selftests only; never installed for users.
 */
#include <linux/module.h>

#include "pcitest.h"

static int __init pcitest_init(void)
{
	int ret;

	ret = pcitest_driver_init();
	if (ret)
		return ret;
	ret = pcitest_model_init();
	if (ret)
		pcitest_driver_exit();
	return ret;
}
module_init(pcitest_init);

static void __exit pcitest_exit(void)
{
	pcitest_model_exit();
	pcitest_driver_exit();
}
module_exit(pcitest_exit);

MODULE_DESCRIPTION("iovsim test PCI function model and driver (selftests)");
MODULE_LICENSE("GPL");
