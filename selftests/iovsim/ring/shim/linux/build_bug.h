/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/build_bug.h>, for the
 * iovsim_ring library build: static_assert() with an optional message,
 * as the kernel's.
 */
#ifndef _IOVSIM_SHIM_LINUX_BUILD_BUG_H
#define _IOVSIM_SHIM_LINUX_BUILD_BUG_H

#undef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif /* _IOVSIM_SHIM_LINUX_BUILD_BUG_H */
