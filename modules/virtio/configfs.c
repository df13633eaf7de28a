// SPDX-License-Identifier: GPL-2.0-only
/*
 * configfs models of iovsim_virtio, under /sys/kernel/config/iovsim/:
 *
 *   virtio-blk/<dev>/	capacity (bytes, K/M/G suffixes; 1M..16G, a
 *			multiple of 4K; default 64M), queues (1..16)
 *   virtio-net/<dev>/	mac (unicast, non-zero; default 52:54:00:xx:xx:xx),
 *			mtu (68..9000), queues (pairs, 1..8), port (the
 *			name of its port), pair (the port it is cabled to,
 *			or empty), link (1 up, 0 down; may change while
 *			enabled)
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
 */
struct blk_params {
	u64 capacity;
	unsigned int queues;
};

static void *blk_params_alloc(void)
{
	struct blk_params *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p) {
		p->capacity = IOVSIM_BLK_DEFAULT_CAPACITY;
		p->queues = 1;
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

	return iovsim_blk_create(p->capacity, p->queues);
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

CONFIGFS_ATTR(blk_, capacity);
CONFIGFS_ATTR(blk_, queues);

static struct configfs_attribute *blk_attrs[] = {
	&blk_attr_capacity,
	&blk_attr_queues,
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

/**
 * iovsim_virtio_configfs_init() - register the configfs models
 *
 * Return: 0 or a negative errno.
 */
int iovsim_virtio_configfs_init(void)
{
	return iovsim_model_register(&iovsim_blk_model);
}

/**
 * iovsim_virtio_configfs_exit() - unregister the configfs models
 */
void iovsim_virtio_configfs_exit(void)
{
	iovsim_model_unregister(&iovsim_blk_model);
}
