/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/limits.h>, for the iovsim_ring
 * library build: SIZE_MAX and ULONG_MAX from the C library, U16_MAX.
 */
#ifndef _IOVSIM_SHIM_LINUX_LIMITS_H
#define _IOVSIM_SHIM_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <linux/types.h>
#include <limits.h>
#include <stdint.h>

#define U16_MAX		((u16)~0U)

#endif /* _IOVSIM_SHIM_LINUX_LIMITS_H */
