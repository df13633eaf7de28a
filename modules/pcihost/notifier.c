// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI bus notifier of the host:
 *
 * - driver_override safety net: every function of the iovsim domain gets
 *   its driver_override set (to the model's driver, or to "none" for a
 *   function no model describes) before the driver core probes it, so
 *   stock drivers matching its IDs (virtio_pci matches every 0x1af4
 *   device) and mapping BARs nothing backs never bind.  Users rebind the
 *   usual way, by writing driver_override.  Except VFs: a driver_override
 *   makes the PCI core probe a VF even with its PF's
 *   sriov_drivers_autoprobe at 0, so VFs bind by their IDs (a VF's Vendor
 *   ID is its PF's, IOVSIM_PCI_VENDOR_ID, with device IDs only iovsim
 *   drivers claim).
 * - model pinning: while a driver from another module than the model is
 *   bound to a function, the model's module is pinned (for a VF, its
 *   PF's model's too).
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include <iovsim/compat.h>

#include "internal.h"

static struct iovsim_fn *iovsim_notifier_fn(struct device *dev)
{
	struct iovsim_fn *fn;

	/*
	 * The function outlives the notification: removal takes the pci_dev
	 * away, which waits for these, before the function goes.
	 */
	rcu_read_lock();
	fn = iovsim_host_lookup(to_pci_dev(dev)->bus, to_pci_dev(dev)->devfn);
	rcu_read_unlock();
	return fn;
}

static void iovsim_set_override(struct pci_dev *pdev, struct iovsim_fn *fn)
{
	const char *name = fn ? fn->driver : "none";
	int ret;

	ret = iovsim_pci_set_driver_override(pdev, name);
	if (ret)
		pci_warn(pdev, "cannot set driver_override: %d\n", ret);
}

/* Pin @fn's model, and a VF's PF's model: both serve the function. */
static bool iovsim_fn_pin_models(struct iovsim_fn *fn)
{
	if (!try_module_get(fn->owner))
		return false;
	if (fn->pf && !try_module_get(fn->pf->owner)) {
		module_put(fn->owner);
		return false;
	}
	return true;
}

static int iovsim_pci_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct device *dev = data;
	struct iovsim_fn *fn;

	if (!dev_is_pci(dev) || !iovsim_host_owns(to_pci_dev(dev)->bus))
		return NOTIFY_DONE;

	fn = iovsim_notifier_fn(dev);
	if (action == BUS_NOTIFY_ADD_DEVICE) {
		if (!to_pci_dev(dev)->is_virtfn)
			iovsim_set_override(to_pci_dev(dev), fn);
		return NOTIFY_OK;
	}
	if (!fn)
		return NOTIFY_DONE;

	switch (action) {
	case BUS_NOTIFY_BIND_DRIVER:
		/*
		 * One pin per function, whatever the number of BIND_DRIVER
		 * notifications: with DEBUG_TEST_DRIVER_REMOVE the driver
		 * core probes, removes and probes again with no
		 * UNBOUND_DRIVER in between.
		 */
		if (dev->driver->owner != fn->owner && !fn->owner_pinned)
			fn->owner_pinned = iovsim_fn_pin_models(fn);
		break;
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		if (fn->owner_pinned) {
			fn->owner_pinned = false;
			module_put(fn->owner);
			if (fn->pf)
				module_put(fn->pf->owner);
		}
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block iovsim_pci_nb = {
	.notifier_call = iovsim_pci_notify,
};

int iovsim_notifier_init(void)
{
	return bus_register_notifier(&pci_bus_type, &iovsim_pci_nb);
}

void iovsim_notifier_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &iovsim_pci_nb);
}
