// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run-time control through configfs:
 *
 *   /sys/kernel/config/iovsim/<model>/		one group per registered model
 *   /sys/kernel/config/iovsim/<model>/<dev>/	mkdir: a device of that model
 *	model		the model's name (read-only)
 *	slot		-1 (first free) or 0-31: where the function goes
 *	function	0-7: its function number in the slot (above 0 needs a
 *			slot; function 0 of a slot with more functions
 *			says it is multi-function)
 *	enable		1: create the function and add it; 0: remove it
 *	address		PCI address while enabled, else empty (read-only)
 *	...		the model's own parameters
 *
 * Models appear when they register and the host knows none by name; a
 * device directory pins its model's module.  Attributes other than
 * enable cannot change while enabled (-EBUSY); bad values get -EINVAL or
 * -ERANGE and one line in the kernel log, and change nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * struct iovsim_model_cfs - configfs side of a registered model
 * @model: the model
 * @group: /sys/kernel/config/iovsim/<model>/
 * @dev_type: item type of the model's devices: host and model attributes,
 *	owned by the model's module
 * @attrs: NULL-terminated attributes of @dev_type
 * @node: entry in iovsim_models
 */
struct iovsim_model_cfs {
	struct iovsim_model *model;
	struct config_group group;
	struct config_item_type dev_type;
	struct configfs_attribute **attrs;
	struct list_head node;
};

/**
 * struct iovsim_cfs_dev - a device directory
 * @item: the configfs item
 * @model: its model
 * @lock: protects @params, @slot, @function and @fn
 * @params: the model's parameter block
 * @slot: requested slot, -1 for the first free one
 * @function: requested function number in the slot
 * @fn: the function while enabled, else NULL
 */
struct iovsim_cfs_dev {
	struct config_item item;
	struct iovsim_model *model;
	struct mutex lock;	/* protects params, slot, function and fn */
	void *params;
	int slot;
	int function;
	struct iovsim_fn *fn;
};

/* Registered models; protected by iovsim_models_lock. */
static LIST_HEAD(iovsim_models);
static DEFINE_MUTEX(iovsim_models_lock);

static struct iovsim_cfs_dev *to_cfs_dev(struct config_item *item)
{
	return container_of(item, struct iovsim_cfs_dev, item);
}

/* The one log line of a refused configfs write. */
static __printf(2, 3) void cfs_warn(struct iovsim_cfs_dev *dev,
				    const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("%s/%s: %pV", dev->model->name,
		config_item_name(&dev->item), &vaf);
	va_end(args);
}

/**
 * iovsim_model_params_lock() - lock a device directory's parameters
 * @item: the device's configfs item, as passed to an attribute method
 * @change: the caller is about to change them (a ->store method)
 *
 * For the ->show and ->store methods of model attributes.  A change while
 * the device is enabled is refused with -EBUSY and a line in the log.
 * Unlock with iovsim_model_params_unlock().
 *
 * Return: the parameter block from ->params_alloc, or ERR_PTR(-EBUSY).
 */
void *iovsim_model_params_lock(struct config_item *item, bool change)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);

	mutex_lock(&dev->lock);
	if (change && dev->fn) {
		mutex_unlock(&dev->lock);
		cfs_warn(dev, "cannot change parameters while enabled\n");
		return ERR_PTR(-EBUSY);
	}
	return dev->params;
}
EXPORT_SYMBOL_GPL(iovsim_model_params_lock);

/**
 * iovsim_model_params_unlock() - unlock a device directory's parameters
 * @item: the device's configfs item
 */
void iovsim_model_params_unlock(struct config_item *item)
{
	mutex_unlock(&to_cfs_dev(item)->lock);
}
EXPORT_SYMBOL_GPL(iovsim_model_params_unlock);

static ssize_t iovsim_dev_model_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_dev(item)->model->name);
}

static ssize_t iovsim_dev_slot_show(struct config_item *item, char *page)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%d\n", dev->slot);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t iovsim_dev_slot_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	int slot, ret;

	ret = kstrtoint(page, 0, &slot);
	if (ret) {
		cfs_warn(dev, "slot: not a number\n");
		return ret;
	}
	if (slot < -1 || slot > 31) {
		cfs_warn(dev, "slot: %d out of range -1..31\n", slot);
		return -ERANGE;
	}

	mutex_lock(&dev->lock);
	if (dev->fn) {
		cfs_warn(dev, "slot: cannot change while enabled\n");
		ret = -EBUSY;
	} else {
		dev->slot = slot;
	}
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

static ssize_t iovsim_dev_function_show(struct config_item *item, char *page)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%d\n", dev->function);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t iovsim_dev_function_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	int function, ret;

	ret = kstrtoint(page, 0, &function);
	if (ret) {
		cfs_warn(dev, "function: not a number\n");
		return ret;
	}
	if (function < 0 || function > 7) {
		cfs_warn(dev, "function: %d out of range 0..7\n", function);
		return -ERANGE;
	}

	mutex_lock(&dev->lock);
	if (dev->fn) {
		cfs_warn(dev, "function: cannot change while enabled\n");
		ret = -EBUSY;
	} else {
		dev->function = function;
	}
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

static ssize_t iovsim_dev_address_show(struct config_item *item, char *page)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	struct pci_bus *bus = iovsim_host_bus();
	ssize_t ret = 0;
	int devfn;

	mutex_lock(&dev->lock);
	if (dev->fn) {
		devfn = iovsim_fn_devfn(dev->fn);
		ret = sysfs_emit(page, "%04x:%02x:%02x.%d\n",
				 pci_domain_nr(bus), bus->number,
				 PCI_SLOT(devfn), PCI_FUNC(devfn));
	}
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t iovsim_dev_enable_show(struct config_item *item, char *page)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%d\n", !!dev->fn);
	mutex_unlock(&dev->lock);
	return ret;
}

/* Caller holds dev->lock. */
static int iovsim_dev_enable(struct iovsim_cfs_dev *dev)
{
	struct iovsim_fn *fn;
	int ret;

	if (dev->slot < 0 && dev->function) {
		cfs_warn(dev, "enable: function %d needs a slot\n",
			 dev->function);
		return -EINVAL;
	}
	fn = dev->model->create(dev->params);
	if (IS_ERR(fn)) {
		ret = PTR_ERR(fn);
		cfs_warn(dev, "enable: model cannot create the function: %d\n",
			 ret);
		return ret;
	}

	ret = iovsim_fn_add(fn, dev->slot < 0 ? -1 :
			    PCI_DEVFN(dev->slot, dev->function));
	if (ret) {
		iovsim_fn_discard(fn);
		cfs_warn(dev, "enable: cannot add the function: %d\n", ret);
		return ret;
	}
	dev->fn = fn;
	return 0;
}

/* Caller holds dev->lock. */
static void iovsim_dev_disable(struct iovsim_cfs_dev *dev)
{
	iovsim_fn_remove(dev->fn);
	dev->fn = NULL;
}

static ssize_t iovsim_dev_enable_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);
	bool enable;
	int ret;

	ret = kstrtobool(page, &enable);
	if (ret) {
		cfs_warn(dev, "enable: not a boolean\n");
		return ret;
	}

	mutex_lock(&dev->lock);
	if (enable && !dev->fn)
		ret = iovsim_dev_enable(dev);
	else if (!enable && dev->fn)
		iovsim_dev_disable(dev);
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

CONFIGFS_ATTR_RO(iovsim_dev_, model);
CONFIGFS_ATTR(iovsim_dev_, slot);
CONFIGFS_ATTR(iovsim_dev_, function);
CONFIGFS_ATTR(iovsim_dev_, enable);
CONFIGFS_ATTR_RO(iovsim_dev_, address);

static struct configfs_attribute *iovsim_dev_attrs[] = {
	&iovsim_dev_attr_model,
	&iovsim_dev_attr_slot,
	&iovsim_dev_attr_function,
	&iovsim_dev_attr_enable,
	&iovsim_dev_attr_address,
	NULL,
};

static void iovsim_dev_release(struct config_item *item)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);

	dev->model->params_free(dev->params);
	mutex_destroy(&dev->lock);
	kfree(dev);
}

static struct configfs_item_operations iovsim_dev_item_ops = {
	.release	= iovsim_dev_release,
};

static struct config_item *iovsim_model_make_item(struct config_group *group,
						  const char *name)
{
	struct iovsim_model_cfs *cfs =
		container_of(group, struct iovsim_model_cfs, group);
	struct iovsim_cfs_dev *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);

	dev->params = cfs->model->params_alloc();
	if (!dev->params) {
		kfree(dev);
		return ERR_PTR(-ENOMEM);
	}
	dev->model = cfs->model;
	dev->slot = -1;
	mutex_init(&dev->lock);
	config_item_init_type_name(&dev->item, name, &cfs->dev_type);
	return &dev->item;
}

/* rmdir: an enabled device is disabled first. */
static void iovsim_model_drop_item(struct config_group *group,
				   struct config_item *item)
{
	struct iovsim_cfs_dev *dev = to_cfs_dev(item);

	mutex_lock(&dev->lock);
	if (dev->fn)
		iovsim_dev_disable(dev);
	mutex_unlock(&dev->lock);
	config_item_put(item);
}

static struct configfs_group_operations iovsim_model_group_ops = {
	.make_item	= iovsim_model_make_item,
	.drop_item	= iovsim_model_drop_item,
};

static const struct config_item_type iovsim_model_group_type = {
	.ct_group_ops	= &iovsim_model_group_ops,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type iovsim_root_type = {
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem iovsim_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "iovsim",
			.ci_type	= &iovsim_root_type,
		},
	},
	.su_mutex = __MUTEX_INITIALIZER(iovsim_subsys.su_mutex),
};

static struct iovsim_model_cfs *iovsim_model_find(const char *name)
{
	struct iovsim_model_cfs *cfs;

	list_for_each_entry(cfs, &iovsim_models, node)
		if (!strcmp(cfs->model->name, name))
			return cfs;
	return NULL;
}

static struct configfs_attribute **iovsim_model_attrs(struct iovsim_model *m)
{
	struct configfs_attribute **attrs;
	unsigned int nhost = ARRAY_SIZE(iovsim_dev_attrs) - 1, n = 0, i;

	while (m->attrs && m->attrs[n])
		n++;
	attrs = kcalloc(nhost + n + 1, sizeof(*attrs), GFP_KERNEL);
	if (!attrs)
		return NULL;
	for (i = 0; i < nhost; i++)
		attrs[i] = iovsim_dev_attrs[i];
	for (i = 0; i < n; i++)
		attrs[nhost + i] = m->attrs[i];
	return attrs;
}

/**
 * iovsim_model_register() - make a model instantiable through configfs
 * @model: the model; ->name, ->owner, ->params_alloc, ->params_free and
 *	->create are required.  It must stay valid until unregistered.
 *
 * Creates /sys/kernel/config/iovsim/<name>/.  Process context.
 *
 * Return: 0, -EINVAL for an incomplete model, -EEXIST if the name is
 * taken, or another negative errno.
 */
int iovsim_model_register(struct iovsim_model *model)
{
	struct iovsim_model_cfs *cfs;
	int ret;

	if (!model->name || !*model->name || strchr(model->name, '/') ||
	    !model->params_alloc || !model->params_free || !model->create)
		return -EINVAL;

	cfs = kzalloc(sizeof(*cfs), GFP_KERNEL);
	if (!cfs)
		return -ENOMEM;
	cfs->model = model;
	cfs->attrs = iovsim_model_attrs(model);
	if (!cfs->attrs) {
		ret = -ENOMEM;
		goto err_free;
	}
	cfs->dev_type.ct_item_ops = &iovsim_dev_item_ops;
	cfs->dev_type.ct_attrs = cfs->attrs;
	cfs->dev_type.ct_owner = model->owner;
	config_group_init_type_name(&cfs->group, model->name,
				    &iovsim_model_group_type);

	mutex_lock(&iovsim_models_lock);
	if (iovsim_model_find(model->name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = configfs_register_group(&iovsim_subsys.su_group, &cfs->group);
	if (ret)
		goto err_unlock;
	list_add_tail(&cfs->node, &iovsim_models);
	model->cfs = cfs;
	mutex_unlock(&iovsim_models_lock);
	return 0;

err_unlock:
	mutex_unlock(&iovsim_models_lock);
	kfree(cfs->attrs);
err_free:
	kfree(cfs);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_model_register);

/**
 * iovsim_model_unregister() - remove a model's configfs group
 * @model: a registered model
 *
 * Call from the model's module exit: its device directories pin the
 * module, so by then there are none.
 */
void iovsim_model_unregister(struct iovsim_model *model)
{
	struct iovsim_model_cfs *cfs = model->cfs;

	mutex_lock(&iovsim_models_lock);
	list_del(&cfs->node);
	mutex_unlock(&iovsim_models_lock);

	configfs_unregister_group(&cfs->group);
	model->cfs = NULL;
	kfree(cfs->attrs);
	kfree(cfs);
}
EXPORT_SYMBOL_GPL(iovsim_model_unregister);

int iovsim_configfs_init(void)
{
	config_group_init(&iovsim_subsys.su_group);
	return configfs_register_subsystem(&iovsim_subsys);
}

void iovsim_configfs_exit(void)
{
	configfs_unregister_subsystem(&iovsim_subsys);
}
