/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/errno.h>, for the iovsim_ring
 * library build: the uapi error numbers, which include every one iovsim_ring returns.
 */
#ifndef _IOVSIM_SHIM_LINUX_ERRNO_H
#define _IOVSIM_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif /* _IOVSIM_SHIM_LINUX_ERRNO_H */
