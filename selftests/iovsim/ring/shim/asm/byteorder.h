/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for the kernel's <asm/byteorder.h>, for the iovsim_ring
 * library build: le16_to_cpu() and friends on top of the uapi __le16_to_cpu().
 */
#ifndef _IOVSIM_SHIM_ASM_BYTEORDER_H
#define _IOVSIM_SHIM_ASM_BYTEORDER_H

#include_next <asm/byteorder.h>

#define le16_to_cpu(x)		__le16_to_cpu(x)
#define le32_to_cpu(x)		__le32_to_cpu(x)
#define le64_to_cpu(x)		__le64_to_cpu(x)
#define cpu_to_le16(x)		__cpu_to_le16(x)
#define cpu_to_le32(x)		__cpu_to_le32(x)
#define cpu_to_le64(x)		__cpu_to_le64(x)

#endif /* _IOVSIM_SHIM_ASM_BYTEORDER_H */
