/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iovsim_pcitest: a test function model for iovsim_pcihost and its
 * in-host driver, built with the selftests only.
 *
 * BAR0 (4 KiB) registers; BAR2 (4 KiB) holds the MSI-X table at 0 and the
 * pending bit array at PCITEST_PBA_OFF.
 */
#ifndef _IOVSIM_PCITEST_H
#define _IOVSIM_PCITEST_H

#include <linux/types.h>

#define PCITEST_BAR_REGS	0
#define PCITEST_BAR_MSIX	2
#define PCITEST_BAR_SIZE	4096
#define PCITEST_PBA_OFF		0x800
#define PCITEST_MAX_VECTORS	64

/* BAR0 registers */
#define PCITEST_REG_ID		0x00	/* RO: PCITEST_ID */
#define PCITEST_REG_NVEC	0x04	/* RO: MSI-X table size */
#define PCITEST_REG_SCRATCH	0x08	/* RW: 16 bytes, any access size */
#define PCITEST_SCRATCH_SIZE	16
#define PCITEST_REG_DOORBELL	0x18	/* WO: raise the vector written */
#define PCITEST_REG_RAISED	0x1c	/* RO: doorbells rung since reset */

/*
 * DMA copy engine: the function copies DMA_LEN bytes from DMA address
 * DMA_SRC to DMA address DMA_DST, asynchronously, then sets DMA_STATUS
 * and raises the vector given with the command.  SRC, DST and LEN are
 * plain storage of any access size; a command while busy is ignored.  A
 * function-level reset aborts a running copy before it completes: no
 * more data moves, DMA_STATUS reads IDLE, no interrupt.
 */
#define PCITEST_REG_DMA_SRC	0x20	/* RW: 64-bit source DMA address */
#define PCITEST_REG_DMA_DST	0x28	/* RW: 64-bit destination */
#define PCITEST_REG_DMA_LEN	0x30	/* RW: bytes, 1..PCITEST_DMA_MAX */
#define PCITEST_DMA_REGS_SIZE	0x14	/* SRC, DST and LEN */
#define PCITEST_REG_DMA_CMD	0x34	/* WO: START | completion vector */
#define PCITEST_DMA_START	0x80000000
#define PCITEST_DMA_VECTOR	0x0000ffff
#define PCITEST_REG_DMA_STATUS	0x38	/* RO: PCITEST_DMA_* below */
#define PCITEST_REG_DMA_COPIED	0x3c	/* RO: copies done since reset */
#define PCITEST_REG_DMA_DELAY	0x40	/* RW: ms a copy waits before moving
					 * data (0-5000), with the bus held
					 */
#define PCITEST_DMA_DELAY_MAX	5000

#define PCITEST_DMA_IDLE	0	/* never started since reset */
#define PCITEST_DMA_BUSY	1
#define PCITEST_DMA_DONE	2
#define PCITEST_DMA_ERR_LEN	3	/* LEN 0 or above PCITEST_DMA_MAX */
#define PCITEST_DMA_ERR_FAULT	4	/* a range is not host RAM */
#define PCITEST_DMA_ERR_MASTER	5	/* Bus Master Enable is clear */

#define PCITEST_DMA_MAX		(64 * 1024)

#define PCITEST_ID		0x7e570001

/*
 * Vendor-specific capability body (after ID, next, length), for the
 * write-mask tests: a read-write dword, a dword whose odd bytes only are
 * writable, and a write-1-to-clear dword.
 */
#define PCITEST_VNDR_RW		4	/* offsets from the capability */
#define PCITEST_VNDR_HALF	8
#define PCITEST_VNDR_W1C	12
#define PCITEST_VNDR_LEN	13	/* body bytes */
#define PCITEST_HALF_WMASK	0xff00ff00
#define PCITEST_W1C_INIT	0xa5a5a5a5

struct iovsim_fn;

struct iovsim_fn *pcitest_model_create(unsigned int nvec, u8 revision);
int pcitest_model_init(void);
void pcitest_model_exit(void);
int pcitest_driver_init(void);
void pcitest_driver_exit(void);

#endif /* _IOVSIM_PCITEST_H */
