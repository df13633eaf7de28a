/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <linux/bug.h>, for the iovsim_ring
 * library build: a broken invariant of iovsim_ring itself aborts the test or fuzzer run.
 */
#ifndef _IOVSIM_SHIM_LINUX_BUG_H
#define _IOVSIM_SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>

#define WARN_ON_ONCE(cond) ({						\
	int __warn_cond = !!(cond);					\
	if (__warn_cond) {						\
		fprintf(stderr, "WARNING at %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
	__warn_cond;							\
})

#endif /* _IOVSIM_SHIM_LINUX_BUG_H */
