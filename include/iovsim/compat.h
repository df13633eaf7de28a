/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim: the one place where differences between the supported kernels
 * (Debian's 6.1 and 6.12) are papered over.  Code elsewhere in the tree
 * calls the iovsim_* wrappers below and never tests LINUX_VERSION_CODE.
 */
#ifndef _IOVSIM_COMPAT_H
#define _IOVSIM_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/virtio_config.h>
#include <net/devlink.h>
#include <linux/vfio.h>
#include <linux/eventfd.h>

/*
 * The target kernel's version: LINUX_VERSION_CODE, spelled so that the
 * tests below may include the stable sublevel that brought a backport.
 */
#define IOVSIM_KERNEL	KERNEL_VERSION(LINUX_VERSION_MAJOR,		\
				       LINUX_VERSION_PATCHLEVEL,	\
				       LINUX_VERSION_SUBLEVEL)

/*
 * driver_override moved from the bus devices (pci_dev, platform_device...)
 * into struct device, with its own lock; Debian's 6.12.117 has the stable
 * backport, 6.1 has the per-bus field.
 */
#if KERNEL_VERSION(6, 12, 117) <= IOVSIM_KERNEL
static inline int iovsim_pci_set_driver_override(struct pci_dev *pdev,
						 const char *name)
{
	return device_set_driver_override(&pdev->dev, name);
}
#else
static inline int iovsim_pci_set_driver_override(struct pci_dev *pdev,
						 const char *name)
{
	return driver_set_override(&pdev->dev, &pdev->driver_override,
				   name, strlen(name));
}
#endif

/*
 * <asm/unaligned.h> became <linux/unaligned.h> in 6.12.
 */
#if KERNEL_VERSION(6, 12, 0) <= IOVSIM_KERNEL
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * virtio_config_ops.find_vqs: from 6.11 it takes one struct virtqueue_info
 * per queue, before that parallel callbacks/names/ctx arrays.  A transport
 * declares its find_vqs as
 *
 *	static int f(struct virtio_device *vdev, unsigned int nvqs,
 *		     struct virtqueue *vqs[], IOVSIM_FIND_VQS_ARGS,
 *		     struct irq_affinity *desc)
 *
 * and reads queue i's description with IOVSIM_FIND_VQS_INFO(i).
 */
struct virtio_device;
struct virtqueue;
typedef void iovsim_vq_callback_t(struct virtqueue *vq);

/**
 * struct iovsim_vq_info - what a virtio driver asks of one virtqueue
 * @name: queue name, NULL for a queue the driver does not use
 * @callback: used-buffer callback, or NULL
 * @ctx: keep an extra context per buffer
 */
struct iovsim_vq_info {
	const char *name;
	iovsim_vq_callback_t *callback;
	bool ctx;
};

#if KERNEL_VERSION(6, 11, 0) <= IOVSIM_KERNEL
#define IOVSIM_FIND_VQS_ARGS	struct virtqueue_info vqs_info[]
#define IOVSIM_FIND_VQS_INFO(i)	iovsim_vq_info_get(vqs_info, i)

static inline struct iovsim_vq_info
iovsim_vq_info_get(const struct virtqueue_info *info, unsigned int i)
{
	return (struct iovsim_vq_info){ .name = info[i].name,
					.callback = info[i].callback,
					.ctx = info[i].ctx };
}
#else
#define IOVSIM_FIND_VQS_ARGS						\
	vq_callback_t *callbacks[], const char * const names[],		\
	const bool *ctx
#define IOVSIM_FIND_VQS_INFO(i)	iovsim_vq_info_get(callbacks, names, ctx, i)

static inline struct iovsim_vq_info
iovsim_vq_info_get(iovsim_vq_callback_t *callbacks[],
		   const char * const names[], const bool *ctx, unsigned int i)
{
	return (struct iovsim_vq_info){ .name = names[i],
					.callback = callbacks[i],
					.ctx = ctx ? ctx[i] : false };
}
#endif

/*
 * Up to 6.1 the @release op of a vfio_device must free it with
 * vfio_free_device(); from 6.2 the VFIO core frees it after @release.
 * Call this last in @release.
 */
#if KERNEL_VERSION(6, 2, 0) <= IOVSIM_KERNEL
static inline void iovsim_vfio_release_free(struct vfio_device *vdev)
{
}
#else
static inline void iovsim_vfio_release_free(struct vfio_device *vdev)
{
	vfio_free_device(vdev);
}
#endif

/* eventfd_signal() lost its count argument in 6.8: add one. */
#if KERNEL_VERSION(6, 8, 0) <= IOVSIM_KERNEL
static inline void iovsim_eventfd_signal(struct eventfd_ctx *ctx)
{
	eventfd_signal(ctx);
}
#else
static inline void iovsim_eventfd_signal(struct eventfd_ctx *ctx)
{
	eventfd_signal(ctx, 1);
}
#endif

/* ethtool_puts() came in 6.8: an ethtool string without formatting. */
static inline void iovsim_ethtool_puts(u8 **data, const char *str)
{
#if KERNEL_VERSION(6, 8, 0) <= IOVSIM_KERNEL
	ethtool_puts(data, str);
#else
	strscpy_pad(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
#endif
}

/*
 * devlink.  6.3 moved the port function callbacks (hw_addr get/set) from
 * devlink_ops into per-port devlink_port_ops: with
 * IOVSIM_HAVE_DEVLINK_PORT_OPS a driver defines them there and passes
 * them to iovsim_devl_port_register(), without it in its devlink_ops
 * (and passes NULL).  Under devl_lock().
 */
struct devlink_port_ops;

#if KERNEL_VERSION(6, 3, 0) <= IOVSIM_KERNEL
#define IOVSIM_HAVE_DEVLINK_PORT_OPS
#endif

static inline int iovsim_devl_port_register(struct devlink *devlink,
					    struct devlink_port *port,
					    unsigned int index,
					    const struct devlink_port_ops *ops)
{
#ifdef IOVSIM_HAVE_DEVLINK_PORT_OPS
	return devl_port_register_with_ops(devlink, port, index, ops);
#else
	return devl_port_register(devlink, port, index);
#endif
}

/*
 * Before 6.2 the stack found a netdev's devlink port (for its
 * phys_port_name and switch ID) through ndo_get_devlink_port, which a
 * driver supplies under IOVSIM_HAVE_NDO_GET_DEVLINK_PORT.
 */
#if KERNEL_VERSION(6, 2, 0) > IOVSIM_KERNEL
#define IOVSIM_HAVE_NDO_GET_DEVLINK_PORT
#endif

/* Before register_netdev(): @dev is the netdev of devlink port @port. */
static inline void iovsim_netdev_set_devlink_port(struct net_device *dev,
						  struct devlink_port *port)
{
#if KERNEL_VERSION(6, 2, 0) <= IOVSIM_KERNEL
	SET_NETDEV_DEVLINK_PORT(dev, port);
#endif
}

/* After register_netdev() of @dev, which iovsim_netdev_set_devlink_port() tied to @port. */
static inline void iovsim_devlink_port_netdev_registered(struct devlink_port *port,
							 struct net_device *dev)
{
#if KERNEL_VERSION(6, 2, 0) > IOVSIM_KERNEL
	devlink_port_type_eth_set(port, dev);
#endif
}

/* Before unregister_netdev() of the netdev of @port. */
static inline void iovsim_devlink_port_netdev_unregistering(struct devlink_port *port)
{
#if KERNEL_VERSION(6, 2, 0) > IOVSIM_KERNEL
	devlink_port_type_clear(port);
#endif
}

/* Header Type's multi-function bit got its name in 6.5. */
#ifndef PCI_HEADER_TYPE_MFD
#define PCI_HEADER_TYPE_MFD	0x80
#endif

#endif /* _IOVSIM_COMPAT_H */
