/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/compiler.h>, for the iovsim_ring
 * library build: READ_ONCE(), WRITE_ONCE() and attributes.
 */
#ifndef _IOVSIM_SHIM_LINUX_COMPILER_H
#define _IOVSIM_SHIM_LINUX_COMPILER_H

/* Single-copy-atomic, as the kernel's are for aligned words. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define __must_check		__attribute__((__warn_unused_result__))
#define __force
#define fallthrough		__attribute__((__fallthrough__))

#endif /* _IOVSIM_SHIM_LINUX_COMPILER_H */
