// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_pcihost: a PCI host bridge that exists only in software.
 *
 * The root bus hangs off a platform device, in a PCI domain of its own,
 * with bus numbers 00-ff (bus 00 for the functions models add, the others
 * for the VFs of SR-IOV physical functions, sriov.c) and a 64-bit memory window reserved above any
 * memory the machine has or can hot-plug, that nothing backs.
 * Configuration cycles are answered from the emulated configuration space
 * of the functions models add (cfgspace.c).
 *
 * The domain: x86 has no allocator of PCI domain numbers (the PCI core's
 * is for PCI_DOMAINS_GENERIC architectures only).  Firmware segments and
 * Hyper-V use 0000-ffff; VMD, the other software host bridge, takes one
 * above the highest domain in use, at least 10000, without any lock
 * against a concurrent probe.  iovsim takes one above the highest domain
 * in use and at least IOVSIM_DOMAIN_MIN, far above where VMD starts: a
 * VMD probe that looked before iovsim's bus existed picks a domain below
 * IOVSIM_DOMAIN_MIN, one that looks after it picks one above iovsim's, so
 * the two cannot pick the same number.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "internal.h"

#define IOVSIM_DOMAIN_MIN	0x18000
#define IOVSIM_WINDOW_SIZE	(64ULL << 30)
#define IOVSIM_WINDOW_MIN	(64ULL << 30)

/**
 * struct iovsim_host - the one root bus of the module
 * @pdev: parent device of the host bridge
 * @sysdata: x86 bus data, read by the PCI core for as long as the bus
 *	exists; lives as long as the module
 * @busn: bus numbers of the domain
 * @window: memory window of the root bus, a child of iomem_resource
 * @bus: the root bus
 * @fns: functions by (bus number << 8 | devfn).  Readers (the config
 *	accessors) use RCU; insertions and removals happen under
 *	pci_lock_rescan_remove(), which also serializes them with the PCI
 *	core's scans of the bus.
 */
struct iovsim_host {
	struct platform_device *pdev;
	struct pci_sysdata sysdata;
	struct resource busn;
	struct resource window;
	struct pci_bus *bus;
	struct xarray fns;
};

static struct iovsim_host host;

static unsigned long fn_key(unsigned int busnr, unsigned int devfn)
{
	return busnr << 8 | devfn;
}

struct pci_bus *iovsim_host_bus(void)
{
	return host.bus;
}

bool iovsim_host_owns(struct pci_bus *bus)
{
	return pci_domain_nr(bus) == host.sysdata.domain;
}

/* Caller holds rcu_read_lock() or pci_lock_rescan_remove(). */
struct iovsim_fn *iovsim_host_lookup(struct pci_bus *bus, unsigned int devfn)
{
	if (!iovsim_host_owns(bus))
		return NULL;
	return xa_load(&host.fns, fn_key(bus->number, devfn));
}

/*
 * Place @fn at @devfn, or at function 0 of the first free slot if @devfn
 * is negative.  Caller holds pci_lock_rescan_remove().
 *
 * Return: the devfn, or -EBUSY/-ENOSPC.
 */
int iovsim_host_insert(struct iovsim_fn *fn, int devfn)
{
	unsigned int slot;
	int ret;

	if (devfn >= 0) {
		ret = xa_insert(&host.fns, fn_key(0, devfn), fn, GFP_KERNEL);
		return ret ? (ret == -ENOMEM ? ret : -EBUSY) : devfn;
	}

	for (slot = 0; slot < 32; slot++) {
		devfn = PCI_DEVFN(slot, 0);
		ret = xa_insert(&host.fns, fn_key(0, devfn), fn, GFP_KERNEL);
		if (!ret)
			return devfn;
		if (ret != -EBUSY)
			return ret;
	}
	return -ENOSPC;
}

/*
 * Place VF @vf at @devfn of bus @busnr, where its PF's SR-IOV capability
 * routes it.  Caller holds pci_lock_rescan_remove().
 *
 * Return: 0, -EBUSY or -ENOMEM.
 */
int iovsim_host_insert_vf(struct iovsim_fn *vf, unsigned int busnr,
			  unsigned int devfn)
{
	int ret;

	ret = xa_insert(&host.fns, fn_key(busnr, devfn), vf, GFP_KERNEL);
	return ret == -ENOMEM ? ret : (ret ? -EBUSY : 0);
}

/* Caller holds pci_lock_rescan_remove(); readers are gone after an RCU GP. */
void iovsim_host_erase(struct iovsim_fn *fn)
{
	xa_erase(&host.fns, fn_key(fn->busnr, fn->devfn));
}

static int iovsim_ram_end(struct resource *res, void *arg)
{
	resource_size_t *end = arg;

	*end = max(*end, res->end);
	return 0;
}

/*
 * End of the memory ranges the ACPI SRAT describes, hot-pluggable ones
 * included, or 0.  On x86 these are what max_possible_pfn (not exported)
 * is made of: memory can only ever be hot-added inside them.
 */
static u64 iovsim_srat_mem_end(void)
{
	struct acpi_table_header *tbl;
	struct acpi_subtable_header *sub;
	struct acpi_srat_mem_affinity *ma;
	void *p, *lim;
	u64 end = 0;

	if (acpi_disabled ||
	    ACPI_FAILURE(acpi_get_table(ACPI_SIG_SRAT, 0, &tbl)))
		return 0;
	p = (void *)tbl + sizeof(struct acpi_table_srat);
	lim = (void *)tbl + tbl->length;
	while (p + sizeof(*sub) <= lim) {
		sub = p;
		if (sub->length < sizeof(*sub) || p + sub->length > lim)
			break;
		ma = p;
		if (sub->type == ACPI_SRAT_TYPE_MEMORY_AFFINITY &&
		    sub->length >= sizeof(*ma) &&
		    (ma->flags & ACPI_SRAT_MEM_ENABLED) && ma->length)
			end = max(end, ma->base_address + ma->length - 1);
		p += sub->length;
	}
	acpi_put_table(tbl);
	return end;
}

/*
 * Reserve the memory window: above RAM and above every range the SRAT
 * says memory may be hot-added in, at 64 GiB or more, below the CPU's
 * address limit.  Memory hot-added outside what the SRAT announced (no
 * SRAT, a hypervisor adding a range of its own) is not foreseen.
 */
static int iovsim_window_reserve(struct resource *win)
{
	resource_size_t ram_end = 0, min, max;

	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &ram_end, iovsim_ram_end);
	ram_end = max_t(u64, ram_end, iovsim_srat_mem_end());
	min = max_t(resource_size_t, IOVSIM_WINDOW_MIN,
		    ALIGN(ram_end + 1, IOVSIM_WINDOW_SIZE));
	max = (1ULL << boot_cpu_data.x86_phys_bits) - 1;

	win->name = "iovsim PCI MMIO";
	win->flags = IORESOURCE_MEM | IORESOURCE_MEM_64;
	return allocate_resource(&iomem_resource, win, IOVSIM_WINDOW_SIZE,
				 min, max, IOVSIM_WINDOW_SIZE, NULL, NULL);
}

/*
 * One above every domain in use, and no lower than IOVSIM_DOMAIN_MIN (see
 * the top of this file).
 */
static int iovsim_free_domain(void)
{
	struct pci_bus *bus = NULL;
	int domain = IOVSIM_DOMAIN_MIN - 1;

	while ((bus = pci_find_next_bus(bus)))
		domain = max(domain, pci_domain_nr(bus));
	return domain + 1;
}

static int iovsim_root_bus_create(void)
{
	LIST_HEAD(resources);

	host.busn.name = "iovsim PCI buses";
	host.busn.start = 0;
	host.busn.end = 0xff;
	host.busn.flags = IORESOURCE_BUS;
	pci_add_resource(&resources, &host.busn);
	pci_add_resource(&resources, &host.window);
	host.bus = pci_create_root_bus(&host.pdev->dev, 0, &iovsim_pci_ops,
				       &host.sysdata, &resources);
	if (!host.bus) {
		pci_free_resource_list(&resources);
		return -ENODEV;
	}

	pci_lock_rescan_remove();
	pci_scan_child_bus(host.bus);
	pci_assign_unassigned_bus_resources(host.bus);
	pci_bus_add_devices(host.bus);
	pci_unlock_rescan_remove();
	return 0;
}

/*
 * pci_remove_root_bus() only deletes the host bridge device: the
 * reference pci_create_root_bus() returned with stays ours, and putting it
 * frees the bridge with its windows (kmemleak found them leaked).
 */
static void iovsim_root_bus_destroy(void)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(host.bus);

	pci_lock_rescan_remove();
	pci_stop_root_bus(host.bus);
	pci_remove_root_bus(host.bus);
	pci_unlock_rescan_remove();
	put_device(&bridge->dev);
	host.bus = NULL;
}

static int __init iovsim_pcihost_init(void)
{
	int ret;

	xa_init(&host.fns);
	host.sysdata.domain = iovsim_free_domain();
	host.sysdata.node = NUMA_NO_NODE;

	ret = iovsim_irq_domain_init(host.sysdata.domain);
	if (ret)
		return ret;

	host.pdev = platform_device_register_simple("iovsim_pcihost",
						    PLATFORM_DEVID_NONE,
						    NULL, 0);
	if (IS_ERR(host.pdev)) {
		ret = PTR_ERR(host.pdev);
		goto err_irq;
	}

	ret = iovsim_window_reserve(&host.window);
	if (ret) {
		dev_err(&host.pdev->dev, "no room for the MMIO window: %d\n",
			ret);
		goto err_pdev;
	}

	ret = iovsim_notifier_init();
	if (ret)
		goto err_window;

	ret = iovsim_root_bus_create();
	if (ret)
		goto err_notifier;

	ret = iovsim_configfs_init();
	if (ret)
		goto err_bus;

	dev_info(&host.pdev->dev, "PCI domain %04x, MMIO window %pR\n",
		 host.sysdata.domain, &host.window);
	return 0;

err_bus:
	iovsim_root_bus_destroy();
err_notifier:
	iovsim_notifier_exit();
err_window:
	release_resource(&host.window);
err_pdev:
	platform_device_unregister(host.pdev);
err_irq:
	iovsim_irq_domain_exit();
	return ret;
}
module_init(iovsim_pcihost_init);

static void __exit iovsim_pcihost_exit(void)
{
	iovsim_configfs_exit();
	iovsim_root_bus_destroy();
	iovsim_notifier_exit();
	release_resource(&host.window);
	platform_device_unregister(host.pdev);
	iovsim_irq_domain_exit();
	WARN_ON(!xa_empty(&host.fns));
	xa_destroy(&host.fns);
	pr_info("PCI domain %04x removed\n", host.sysdata.domain);
}
module_exit(iovsim_pcihost_exit);

MODULE_DESCRIPTION("iovsim software PCI host bridge");
MODULE_LICENSE("GPL");
