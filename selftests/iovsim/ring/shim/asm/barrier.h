/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <asm/barrier.h>, for the iovsim_ring
 * library build: the virt_*() barriers as C11 fences.  Like the kernel's,
 * they order accesses to memory shared with a driver that may run on
 * another CPU: read barrier = acquire, write barrier = release, full
 * barrier = sequentially consistent.
 */
#ifndef _IOVSIM_SHIM_ASM_BARRIER_H
#define _IOVSIM_SHIM_ASM_BARRIER_H

#include <stdatomic.h>

/* Orders earlier loads and stores against later loads and stores. */
#define virt_mb()	atomic_thread_fence(memory_order_seq_cst)
/* Orders earlier loads against later loads (and stores). */
#define virt_rmb()	atomic_thread_fence(memory_order_acquire)
/* Orders earlier loads and stores against later stores. */
#define virt_wmb()	atomic_thread_fence(memory_order_release)

#endif /* _IOVSIM_SHIM_ASM_BARRIER_H */
