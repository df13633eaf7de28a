/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/build_bug.h>, for the
 * iovsim_ring library build: the C library's static_assert(), which
 * needs a message (iovsim_ring always gives one).
 */
#ifndef _IOVSIM_SHIM_LINUX_BUILD_BUG_H
#define _IOVSIM_SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#endif /* _IOVSIM_SHIM_LINUX_BUILD_BUG_H */
