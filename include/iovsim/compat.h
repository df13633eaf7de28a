/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim: the one place where differences between the supported kernels
 * (Debian's 6.1 and 6.12) are papered over.  Code elsewhere in the tree
 * calls the iovsim_* wrappers below and never tests LINUX_VERSION_CODE.
 */
#ifndef _IOVSIM_COMPAT_H
#define _IOVSIM_COMPAT_H

#include <linux/version.h>

#endif /* _IOVSIM_COMPAT_H */
