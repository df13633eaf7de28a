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
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/vfio.h>

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

#endif /* _IOVSIM_COMPAT_H */
