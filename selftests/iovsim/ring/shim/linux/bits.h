/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/bits.h>, for the iovsim_ring
 * library build: BIT().
 */
#ifndef _IOVSIM_SHIM_LINUX_BITS_H
#define _IOVSIM_SHIM_LINUX_BITS_H

#define BIT(nr)			(1UL << (nr))

#endif /* _IOVSIM_SHIM_LINUX_BITS_H */
