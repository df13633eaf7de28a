/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/minmax.h>, for the iovsim_ring
 * library build: min(), max() and their typed forms.
 */
#ifndef _IOVSIM_SHIM_LINUX_MINMAX_H
#define _IOVSIM_SHIM_LINUX_MINMAX_H

#define min(a, b) ({							\
	__typeof__(a) __min_a = (a);					\
	__typeof__(b) __min_b = (b);					\
	(void)(&__min_a == &__min_b);					\
	__min_a < __min_b ? __min_a : __min_b;				\
})
#define max(a, b) ({							\
	__typeof__(a) __max_a = (a);					\
	__typeof__(b) __max_b = (b);					\
	(void)(&__max_a == &__max_b);					\
	__max_a > __max_b ? __max_a : __max_b;				\
})
#define min_t(type, a, b)	min((type)(a), (type)(b))
#define max_t(type, a, b)	max((type)(a), (type)(b))

#endif /* _IOVSIM_SHIM_LINUX_MINMAX_H */
