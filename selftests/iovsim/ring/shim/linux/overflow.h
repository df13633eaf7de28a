/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/overflow.h>, for the iovsim_ring
 * library build: check_add_overflow() on the compiler builtin.
 */
#ifndef _IOVSIM_SHIM_LINUX_OVERFLOW_H
#define _IOVSIM_SHIM_LINUX_OVERFLOW_H

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)

#endif /* _IOVSIM_SHIM_LINUX_OVERFLOW_H */
