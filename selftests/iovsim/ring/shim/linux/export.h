/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/export.h>, for the iovsim_ring
 * library build: symbols need no exporting in a static library.
 */
#ifndef _IOVSIM_SHIM_LINUX_EXPORT_H
#define _IOVSIM_SHIM_LINUX_EXPORT_H

#include <linux/build_bug.h>

/* Expands to a declaration, so the trailing semicolon stays valid C. */
#define EXPORT_SYMBOL_GPL(sym)	static_assert(1, #sym)

#endif /* _IOVSIM_SHIM_LINUX_EXPORT_H */
