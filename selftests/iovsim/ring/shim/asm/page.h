/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <asm/page.h>, for the iovsim_ring
 * library build: the page size of the x86-64 kernels iovsim targets.
 */
#ifndef _IOVSIM_SHIM_ASM_PAGE_H
#define _IOVSIM_SHIM_ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	4096UL

#endif /* _IOVSIM_SHIM_ASM_PAGE_H */
