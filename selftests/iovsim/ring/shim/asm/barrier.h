/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <asm/barrier.h>, for the iovsim_ring
 * library build: the virt_*() barriers as C11 fences.  Like the kernel's,
 * they order accesses to memory shared with a driver that may run on
 * another CPU: read barrier = acquire, write barrier = release, full
 * barrier = sequentially consistent.
 *
 * With IOVSIM_SHIM_COUNT_BARRIERS defined (the unit tests), each barrier
 * also counts itself in iovsim_shim_barriers[], which the test program
 * defines, so that a test can tell whether one was issued between two
 * accesses of the library.
 */
#ifndef _IOVSIM_SHIM_ASM_BARRIER_H
#define _IOVSIM_SHIM_ASM_BARRIER_H

#include <stdatomic.h>

enum iovsim_shim_barrier {
	IOVSIM_SHIM_MB,
	IOVSIM_SHIM_RMB,
	IOVSIM_SHIM_WMB,
	IOVSIM_SHIM_NR_BARRIERS,
};

#ifdef IOVSIM_SHIM_COUNT_BARRIERS
extern unsigned long iovsim_shim_barriers[IOVSIM_SHIM_NR_BARRIERS];
#define iovsim_shim_barrier(kind, order) do {		\
	iovsim_shim_barriers[kind]++;			\
	atomic_thread_fence(order);			\
} while (0)
#else
#define iovsim_shim_barrier(kind, order) do {		\
	(void)(kind);					\
	atomic_thread_fence(order);			\
} while (0)
#endif

/* Orders earlier loads and stores against later loads and stores. */
#define virt_mb()	iovsim_shim_barrier(IOVSIM_SHIM_MB, memory_order_seq_cst)
/* Orders earlier loads against later loads (and stores). */
#define virt_rmb()	iovsim_shim_barrier(IOVSIM_SHIM_RMB, memory_order_acquire)
/* Orders earlier loads and stores against later stores. */
#define virt_wmb()	iovsim_shim_barrier(IOVSIM_SHIM_WMB, memory_order_release)

#endif /* _IOVSIM_SHIM_ASM_BARRIER_H */
