/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/string.h>, for the iovsim_ring
 * library build: the C library's memcpy() and friends.
 */
#ifndef _IOVSIM_SHIM_LINUX_STRING_H
#define _IOVSIM_SHIM_LINUX_STRING_H

#include <string.h>

#endif /* _IOVSIM_SHIM_LINUX_STRING_H */
