/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers the user-space VFIO tests share: container mappings and
 * dropping CAP_IPC_LOCK, so that RLIMIT_MEMLOCK applies to the mappings
 * made afterwards.
 */
#ifndef _IOVSIM_SELFTESTS_VFIO_UTIL_H
#define _IOVSIM_SELFTESTS_VFIO_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

/* VFIO_IOMMU_MAP_DMA of [@vaddr, @vaddr + @size) at @iova, read-write. */
static inline int dma_map(int container, void *vaddr, __u64 iova,
			  __u64 size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

static inline int dma_unmap(int container, __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;
}

/*
 * Drop CAP_IPC_LOCK from this process (the harness runs each test in a
 * child of its own): VFIO then charges pinned pages to RLIMIT_MEMLOCK.
 */
static inline int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

#endif /* _IOVSIM_SELFTESTS_VFIO_UTIL_H */
