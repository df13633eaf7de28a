// SPDX-License-Identifier: GPL-2.0-only
/*
 * configfs model of iovsim_sriov, under /sys/kernel/config/iovsim/:
 *
 *   sriov-nic/<dev>/	total_vfs (TotalVFs, 1..256, default 8), mac
 *			(the PF's unicast MAC address; VF n gets it + n + 1,
 *			which must not carry into the first octet: -ERANGE;
 *			default random, locally administered), wire (label
 *			of the cable on the PF's wire: two enabled NICs with
 *			the same label are cabled; up to 15 characters of
 *			[A-Za-z0-9_.-], empty for none)
 *
 * The host adds slot, function, enable, address and model.  Bad values
 * get -EINVAL or -ERANGE and one line in the kernel log, and change
 * nothing; nothing changes while enabled (-EBUSY).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <iovsim/pcihost.h>

#include "internal.h"

#define cfs_warn(item, fmt, ...) \
	pr_warn("%s: " fmt, config_item_name(item), ##__VA_ARGS__)

static void *nic_params_alloc(void)
{
	struct iovsim_sriov_params *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p)
		iovsim_sriov_default_params(p);
	return p;
}

static void nic_params_free(void *params)
{
	kfree(params);
}

static struct iovsim_fn *nic_create(void *params)
{
	return iovsim_sriov_pf_create(params);
}

static ssize_t nic_total_vfs_show(struct config_item *item, char *page)
{
	struct iovsim_sriov_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%u\n", p->total_vfs);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t nic_total_vfs_store(struct config_item *item,
				   const char *page, size_t count)
{
	struct iovsim_sriov_params *p;
	unsigned int val;
	int ret;

	ret = kstrtouint(page, 0, &val);
	if (ret) {
		cfs_warn(item, "total_vfs: not a number\n");
		return ret;
	}
	if (val < 1 || val > IOVSIM_SRIOV_MAX_VFS) {
		cfs_warn(item, "total_vfs: %u out of range 1..%d\n", val,
			 IOVSIM_SRIOV_MAX_VFS);
		return -ERANGE;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (!iovsim_sriov_mac_fits(p->mac, val)) {
		iovsim_model_params_unlock(item);
		cfs_warn(item, "total_vfs: %u VF addresses do not fit above mac %pM\n",
			 val, p->mac);
		return -ERANGE;
	}
	p->total_vfs = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t nic_mac_show(struct config_item *item, char *page)
{
	struct iovsim_sriov_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%pM\n", p->mac);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t nic_mac_store(struct config_item *item, const char *page,
			     size_t count)
{
	struct iovsim_sriov_params *p;
	u8 mac[ETH_ALEN];

	if (strlen(page) < 17 || !mac_pton(page, mac) ||
	    (page[17] && strcmp(page + 17, "\n")) ||
	    !is_valid_ether_addr(mac)) {
		cfs_warn(item, "mac: not a unicast, non-zero MAC address\n");
		return -EINVAL;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (!iovsim_sriov_mac_fits(mac, p->total_vfs)) {
		iovsim_model_params_unlock(item);
		cfs_warn(item, "mac: no room above %pM for %u VF addresses\n",
			 mac, p->total_vfs);
		return -ERANGE;
	}
	ether_addr_copy(p->mac, mac);
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t nic_wire_show(struct config_item *item, char *page)
{
	struct iovsim_sriov_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%s\n", p->wire);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t nic_wire_store(struct config_item *item, const char *page,
			      size_t count)
{
	struct iovsim_sriov_params *p;
	size_t len = strcspn(page, "\n"), i;

	if (len >= IOVSIM_SRIOV_WIRE_LEN || (page[len] && page[len + 1])) {
		cfs_warn(item, "wire: a label of up to %d characters\n",
			 IOVSIM_SRIOV_WIRE_LEN - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(page[i]) && !strchr("_.-", page[i])) {
			cfs_warn(item, "wire: only letters, digits, _ . -\n");
			return -EINVAL;
		}
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	memcpy(p->wire, page, len);
	p->wire[len] = '\0';
	iovsim_model_params_unlock(item);
	return count;
}

CONFIGFS_ATTR(nic_, total_vfs);
CONFIGFS_ATTR(nic_, mac);
CONFIGFS_ATTR(nic_, wire);

static struct configfs_attribute *nic_attrs[] = {
	&nic_attr_total_vfs,
	&nic_attr_mac,
	&nic_attr_wire,
	NULL,
};

static struct iovsim_model iovsim_sriov_nic_model = {
	.name		= "sriov-nic",
	.owner		= THIS_MODULE,
	.attrs		= nic_attrs,
	.params_alloc	= nic_params_alloc,
	.params_free	= nic_params_free,
	.create		= nic_create,
};

/**
 * iovsim_sriov_configfs_init() - register the sriov-nic configfs model
 *
 * Return: 0 or a negative errno.
 */
int iovsim_sriov_configfs_init(void)
{
	return iovsim_model_register(&iovsim_sriov_nic_model);
}

/**
 * iovsim_sriov_configfs_exit() - unregister it
 */
void iovsim_sriov_configfs_exit(void)
{
	iovsim_model_unregister(&iovsim_sriov_nic_model);
}
