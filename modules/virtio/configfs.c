// SPDX-License-Identifier: GPL-2.0-only
/*
 * configfs models of iovsim_virtio, under /sys/kernel/config/iovsim/:
 *
 *   virtio-blk/<dev>/	capacity (bytes, K/M/G suffixes; 1M..16G, a
 *			multiple of 4K; default 64M), queues (1..16),
 *			packed (1: offer packed virtqueues, the default;
 *			0: split virtqueues only)
 *   virtio-net/<dev>/	mac (unicast, non-zero; default 52:54:00:xx:xx:xx),
 *			mtu (68..9000), queues (pairs, 1..8), port (the
 *			name of its port), pair (the port it is cabled to,
 *			or empty), link (1 up, 0 down; may change while
 *			enabled), mq (1: offer VIRTIO_NET_F_MQ, the
 *			default; 0: do not, the driver uses one pair)
 *
 * The host adds slot, enable, address and model.  Bad values get -EINVAL
 * or -ERANGE and one line in the kernel log, and change nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <iovsim/pcihost.h>

#include "internal.h"

#define cfs_warn(item, fmt, ...) \
	pr_warn("%s: " fmt, config_item_name(item), ##__VA_ARGS__)

/* virtio-blk */

/**
 * struct blk_params - parameters of a virtio-blk device directory
 * @capacity: bytes
 * @queues: request queues
 * @packed: offer packed virtqueues
 */
struct blk_params {
	u64 capacity;
	unsigned int queues;
	bool packed;
};

static void *blk_params_alloc(void)
{
	struct blk_params *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p) {
		p->capacity = IOVSIM_BLK_DEFAULT_CAPACITY;
		p->queues = 1;
		p->packed = true;
	}
	return p;
}

static void params_free(void *params)
{
	kfree(params);
}

static struct iovsim_fn *blk_cfs_create(void *params)
{
	struct blk_params *p = params;

	return iovsim_blk_create(p->capacity, p->queues, p->packed);
}

/* Parse an unsigned number in [min, max]; logs and returns an errno. */
static int cfs_parse_uint(struct config_item *item, const char *name,
			  const char *page, unsigned int min, unsigned int max,
			  unsigned int *val)
{
	int ret = kstrtouint(page, 0, val);

	if (ret) {
		cfs_warn(item, "%s: not a number\n", name);
		return ret;
	}
	if (*val < min || *val > max) {
		cfs_warn(item, "%s: %u out of range %u..%u\n", name, *val, min,
			 max);
		return -ERANGE;
	}
	return 0;
}

/**
 * iovsim_blk_parse_capacity() - check a disk size
 * @s: the size, with an optional K, M or G suffix
 * @val: where to store it in bytes
 *
 * Return: 0, -EINVAL if it is not a size or not a multiple of 4 KiB,
 * -ERANGE outside 1 MiB..16 GiB.
 */
int iovsim_blk_parse_capacity(const char *s, u64 *val)
{
	char *end;

	s = skip_spaces(s);
	if (!isdigit(*s))
		return -EINVAL;
	*val = memparse(s, &end);
	if (*skip_spaces(end))
		return -EINVAL;
	if (*val < IOVSIM_BLK_MIN_CAPACITY || *val > IOVSIM_BLK_MAX_CAPACITY)
		return -ERANGE;
	if (*val % PAGE_SIZE)
		return -EINVAL;
	return 0;
}

static ssize_t blk_capacity_show(struct config_item *item, char *page)
{
	struct blk_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%llu\n", p->capacity);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t blk_capacity_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct blk_params *p;
	u64 val;
	int ret;

	ret = iovsim_blk_parse_capacity(page, &val);
	if (ret) {
		cfs_warn(item, "capacity: %s\n", ret == -ERANGE ?
			 "out of range 1M..16G" :
			 "not a size in bytes that is a multiple of 4K");
		return ret;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->capacity = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t blk_queues_show(struct config_item *item, char *page)
{
	struct blk_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%u\n", p->queues);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t blk_queues_store(struct config_item *item, const char *page,
				size_t count)
{
	struct blk_params *p;
	unsigned int val;
	int ret;

	ret = cfs_parse_uint(item, "queues", page, 1, IOVSIM_BLK_MAX_QUEUES,
			     &val);
	if (ret)
		return ret;
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->queues = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t blk_packed_show(struct config_item *item, char *page)
{
	struct blk_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret = sysfs_emit(page, "%d\n", p->packed);

	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t blk_packed_store(struct config_item *item, const char *page,
				size_t count)
{
	struct blk_params *p;
	bool val;
	int ret;

	ret = kstrtobool(page, &val);
	if (ret) {
		cfs_warn(item, "packed: not a boolean\n");
		return ret;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->packed = val;
	iovsim_model_params_unlock(item);
	return count;
}

CONFIGFS_ATTR(blk_, capacity);
CONFIGFS_ATTR(blk_, queues);
CONFIGFS_ATTR(blk_, packed);

static struct configfs_attribute *blk_attrs[] = {
	&blk_attr_capacity,
	&blk_attr_queues,
	&blk_attr_packed,
	NULL,
};

static struct iovsim_model iovsim_blk_model = {
	.name		= "virtio-blk",
	.owner		= THIS_MODULE,
	.attrs		= blk_attrs,
	.params_alloc	= blk_params_alloc,
	.params_free	= params_free,
	.create		= blk_cfs_create,
};

/* virtio-net */

static atomic_t vnet_port_seq = ATOMIC_INIT(0);

static void *net_params_alloc(void)
{
	struct iovsim_vnet_params *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	snprintf(p->port, sizeof(p->port), "vnet%d",
		 atomic_inc_return(&vnet_port_seq) - 1);
	p->mac[0] = 0x52;
	p->mac[1] = 0x54;
	get_random_bytes(&p->mac[3], 3);
	p->mtu = ETH_DATA_LEN;
	p->queues = 1;
	p->link = true;
	p->mq = true;
	return p;
}

static struct iovsim_fn *net_cfs_create(void *params)
{
	return iovsim_net_create(params);
}

/**
 * iovsim_vnet_parse_name() - check a port name
 * @s: the name, a trailing newline allowed
 * @name: where to store it, IOVSIM_VNET_NAME_LEN bytes
 * @empty_ok: an empty name is valid
 *
 * Return: 0, or -EINVAL unless 1 to 15 letters, digits, '-' or '_'.
 */
int iovsim_vnet_parse_name(const char *s, char *name, bool empty_ok)
{
	size_t len = strcspn(s, "\n"), i;

	if (s[len] && s[len + 1])
		return -EINVAL;
	if (len >= IOVSIM_VNET_NAME_LEN || (!len && !empty_ok))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && s[i] != '-' && s[i] != '_')
			return -EINVAL;
	memcpy(name, s, len);
	name[len] = '\0';
	return 0;
}

static ssize_t net_show(struct config_item *item, char *page,
			const char *attr)
{
	struct iovsim_vnet_params *p = iovsim_model_params_lock(item, false);
	ssize_t ret;

	if (!strcmp(attr, "mac"))
		ret = sysfs_emit(page, "%pM\n", p->mac);
	else if (!strcmp(attr, "mtu"))
		ret = sysfs_emit(page, "%u\n", p->mtu);
	else if (!strcmp(attr, "queues"))
		ret = sysfs_emit(page, "%u\n", p->queues);
	else if (!strcmp(attr, "port"))
		ret = sysfs_emit(page, "%s\n", p->port);
	else if (!strcmp(attr, "pair"))
		ret = sysfs_emit(page, "%s\n", p->pair);
	else if (!strcmp(attr, "mq"))
		ret = sysfs_emit(page, "%d\n", p->mq);
	else
		ret = sysfs_emit(page, "%d\n", p->link);
	iovsim_model_params_unlock(item);
	return ret;
}

static ssize_t net_store_mac(struct config_item *item, const char *page,
			     size_t count)
{
	struct iovsim_vnet_params *p;
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
	ether_addr_copy(p->mac, mac);
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t net_store_uint(struct config_item *item, const char *page,
			      size_t count, bool mtu)
{
	struct iovsim_vnet_params *p;
	unsigned int val;
	int ret;

	if (mtu)
		ret = cfs_parse_uint(item, "mtu", page, IOVSIM_VNET_MIN_MTU,
				     IOVSIM_VNET_MAX_MTU, &val);
	else
		ret = cfs_parse_uint(item, "queues", page, 1,
				     IOVSIM_VNET_MAX_QUEUES, &val);
	if (ret)
		return ret;
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (mtu)
		p->mtu = val;
	else
		p->queues = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t net_store_name(struct config_item *item, const char *page,
			      size_t count, bool pair)
{
	const char *attr = pair ? "pair" : "port";
	char name[IOVSIM_VNET_NAME_LEN];
	struct iovsim_vnet_params *p;

	if (iovsim_vnet_parse_name(page, name, pair)) {
		cfs_warn(item, "%s: not 1-%d letters, digits, '-' or '_'\n",
			 attr, IOVSIM_VNET_NAME_LEN - 1);
		return -EINVAL;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (!strcmp(name, pair ? p->port : p->pair) && name[0]) {
		iovsim_model_params_unlock(item);
		cfs_warn(item, "%s: a port cannot be cabled to itself\n", attr);
		return -EINVAL;
	}
	strscpy(pair ? p->pair : p->port, name, IOVSIM_VNET_NAME_LEN);
	iovsim_model_params_unlock(item);
	return count;
}

/* link may change while enabled: the function follows at once. */
static ssize_t net_store_link(struct config_item *item, const char *page,
			      size_t count)
{
	struct iovsim_vnet_params *p;
	bool up;
	int ret;

	ret = kstrtobool(page, &up);
	if (ret) {
		cfs_warn(item, "link: not a boolean\n");
		return ret;
	}
	p = iovsim_model_params_lock(item, false);
	p->link = up;
	iovsim_net_set_link(p->port, up);	/* -ENOENT: not enabled */
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t net_mq_show(struct config_item *item, char *page)
{
	return net_show(item, page, "mq");
}

static ssize_t net_mq_store(struct config_item *item, const char *page,
			    size_t count)
{
	struct iovsim_vnet_params *p;
	bool val;
	int ret;

	ret = kstrtobool(page, &val);
	if (ret) {
		cfs_warn(item, "mq: not a boolean\n");
		return ret;
	}
	p = iovsim_model_params_lock(item, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->mq = val;
	iovsim_model_params_unlock(item);
	return count;
}

static ssize_t net_mac_show(struct config_item *item, char *page)
{
	return net_show(item, page, "mac");
}

static ssize_t net_mac_store(struct config_item *item, const char *page,
			     size_t count)
{
	return net_store_mac(item, page, count);
}

static ssize_t net_mtu_show(struct config_item *item, char *page)
{
	return net_show(item, page, "mtu");
}

static ssize_t net_mtu_store(struct config_item *item, const char *page,
			     size_t count)
{
	return net_store_uint(item, page, count, true);
}

static ssize_t net_queues_show(struct config_item *item, char *page)
{
	return net_show(item, page, "queues");
}

static ssize_t net_queues_store(struct config_item *item, const char *page,
				size_t count)
{
	return net_store_uint(item, page, count, false);
}

static ssize_t net_port_show(struct config_item *item, char *page)
{
	return net_show(item, page, "port");
}

static ssize_t net_port_store(struct config_item *item, const char *page,
			      size_t count)
{
	return net_store_name(item, page, count, false);
}

static ssize_t net_pair_show(struct config_item *item, char *page)
{
	return net_show(item, page, "pair");
}

static ssize_t net_pair_store(struct config_item *item, const char *page,
			      size_t count)
{
	return net_store_name(item, page, count, true);
}

static ssize_t net_link_show(struct config_item *item, char *page)
{
	return net_show(item, page, "link");
}

static ssize_t net_link_store(struct config_item *item, const char *page,
			      size_t count)
{
	return net_store_link(item, page, count);
}

CONFIGFS_ATTR(net_, mac);
CONFIGFS_ATTR(net_, mtu);
CONFIGFS_ATTR(net_, queues);
CONFIGFS_ATTR(net_, port);
CONFIGFS_ATTR(net_, pair);
CONFIGFS_ATTR(net_, link);
CONFIGFS_ATTR(net_, mq);

static struct configfs_attribute *net_attrs[] = {
	&net_attr_mac,
	&net_attr_mtu,
	&net_attr_queues,
	&net_attr_port,
	&net_attr_pair,
	&net_attr_link,
	&net_attr_mq,
	NULL,
};

static struct iovsim_model iovsim_net_model = {
	.name		= "virtio-net",
	.owner		= THIS_MODULE,
	.attrs		= net_attrs,
	.params_alloc	= net_params_alloc,
	.params_free	= params_free,
	.create		= net_cfs_create,
};

/**
 * iovsim_virtio_configfs_init() - register the configfs models
 *
 * Return: 0 or a negative errno.
 */
int iovsim_virtio_configfs_init(void)
{
	int ret;

	ret = iovsim_model_register(&iovsim_blk_model);
	if (ret)
		return ret;
	ret = iovsim_model_register(&iovsim_net_model);
	if (ret)
		iovsim_model_unregister(&iovsim_blk_model);
	return ret;
}

/**
 * iovsim_virtio_configfs_exit() - unregister the configfs models
 */
void iovsim_virtio_configfs_exit(void)
{
	iovsim_model_unregister(&iovsim_net_model);
	iovsim_model_unregister(&iovsim_blk_model);
}
