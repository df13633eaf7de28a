/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * iovsim_ring limits that user space (VMMs, selftests, configuration
 * tools) needs to know about the virtqueues iovsim device models serve.
 */
#ifndef _UAPI_IOVSIM_RING_H
#define _UAPI_IOVSIM_RING_H

/* Largest queue size, for split and packed virtqueues (VIRTIO 1.2). */
#define IOVSIM_RING_MAX_SIZE	32768

#endif /* _UAPI_IOVSIM_RING_H */
