/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/types.h>, for the iovsim_ring
 * library build: the fixed-width kernel types on top of the uapi ones.
 */
#ifndef _IOVSIM_SHIM_LINUX_TYPES_H
#define _IOVSIM_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif /* _IOVSIM_SHIM_LINUX_TYPES_H */
