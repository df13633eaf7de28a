/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/stddef.h>, for the iovsim_ring
 * library build: offsetof() from the C library.
 */
#ifndef _IOVSIM_SHIM_LINUX_STDDEF_H
#define _IOVSIM_SHIM_LINUX_STDDEF_H

#include_next <linux/stddef.h>
#include <stddef.h>

#endif /* _IOVSIM_SHIM_LINUX_STDDEF_H */
