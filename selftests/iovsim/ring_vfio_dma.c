// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-space half of the test of iovsim_ring's VFIO DMA backend (see
 * ring/vfio/): attaches the test device's group to a TYPE1v2 container,
 * maps buffers with VFIO_IOMMU_MAP_DMA and has the device read, write and
 * copy them through an iovsim VFIO DMA context.  Checks the data, that
 * IOVAs outside the mappings are refused, that once an unmap returned the
 * device never touches the range again, and the vfio_dma_rw() fallback
 * when pages cannot be pinned.
 * Run by ring_vfio.sh, which loads the modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <linux/virtio_ring.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "ring/vfio/vfio_dma_test.h"
#include "vfio_util.h"

#define PAGE		4096u
#define NR_PAGES	4u
#define BUF_SIZE	(NR_PAGES * PAGE)
#define IOVA_A		0x100000ull
#define IOVA_C		0x400000ull

/* The test device's file and a command and result buffer for it. */
struct vdt_io {
	int dev;
	struct vdt_cmd *cmd;
	struct vdt_result *res;
};

FIXTURE(vfio) {
	int container, group;
	__u8 *a;
	struct vdt_io io;
};

static int group_path(char *path, size_t size)
{
	char link[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/sys/bus/platform/devices/" VDT_NAME "/iommu_group",
		     link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	slash = strrchr(link, '/');
	snprintf(path, size, "/dev/vfio/%.32s", slash ? slash + 1 : link);
	return 0;
}

static __u8 pattern(__u8 seed, unsigned int i)
{
	return (__u8)(seed + i * 13 + (i >> 8));
}

static __u8 *buf_alloc(__u8 seed)
{
	__u8 *p = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int i;

	if (p == MAP_FAILED)
		return NULL;
	for (i = 0; i < BUF_SIZE; i++)
		p[i] = pattern(seed, i);
	return p;
}

/*
 * Run one command on the device; the result lands in io->res.  A failed
 * write or read of the device file returns -1000 or -2000 minus errno.
 */
static int run(struct vdt_io *io, __u32 op, __u64 iova, __u64 iova2,
	       __u32 len)
{
	io->cmd->op = op;
	io->cmd->iova = iova;
	io->cmd->iova2 = iova2;
	io->cmd->len = len;
	if (pwrite(io->dev, io->cmd, sizeof(*io->cmd), 0) !=
	    (ssize_t)sizeof(*io->cmd))
		return -1000 - errno;
	if (pread(io->dev, io->res, sizeof(*io->res), 0) !=
	    (ssize_t)sizeof(*io->res))
		return -2000 - errno;
	return io->res->ret;
}

FIXTURE_SETUP(vfio)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];

	self->io.cmd = calloc(1, sizeof(*self->io.cmd));
	self->io.res = calloc(1, sizeof(*self->io.res));
	ASSERT_NE(NULL, self->io.cmd);
	ASSERT_NE(NULL, self->io.res);

	ASSERT_EQ(0, group_path(path, sizeof(path)));
	self->container = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, self->container);
	ASSERT_EQ(VFIO_API_VERSION,
		  ioctl(self->container, VFIO_GET_API_VERSION));
	ASSERT_EQ(1, ioctl(self->container, VFIO_CHECK_EXTENSION,
			   VFIO_TYPE1v2_IOMMU));
	self->group = open(path, O_RDWR);
	ASSERT_LE(0, self->group) TH_LOG("open %s: %s", path, strerror(errno));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &status));
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER,
			   &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU,
			   VFIO_TYPE1v2_IOMMU));
	self->io.dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, VDT_NAME);
	ASSERT_LE(0, self->io.dev);

	self->a = buf_alloc(1);
	ASSERT_NE(NULL, self->a);
	ASSERT_EQ(0, dma_map(self->container, self->a, IOVA_A, BUF_SIZE));
}

FIXTURE_TEARDOWN(vfio)
{
	close(self->io.dev);
	close(self->group);
	close(self->container);
	free(self->io.cmd);
	free(self->io.res);
}

/* Writes and reads across page boundaries reach the mapped buffer. */
TEST_F(vfio, read_write_data)
{
	unsigned int i;

	for (i = 0; i < 300; i++)
		self->io.cmd->data[i] = (__u8)(0xa5 ^ i);
	ASSERT_EQ(0, run(&self->io, VDT_WRITE, IOVA_A + PAGE - 100, 0, 300));
	EXPECT_EQ(0, memcmp(self->a + PAGE - 100, self->io.cmd->data, 300));
	EXPECT_EQ(pattern(1, PAGE - 101), self->a[PAGE - 101]);
	EXPECT_EQ(pattern(1, PAGE + 200), self->a[PAGE + 200]);

	ASSERT_EQ(0, run(&self->io, VDT_READ, IOVA_A + 100, 0, 3 * PAGE));
	EXPECT_EQ(0, memcmp(self->io.res->data, self->a + 100, 3 * PAGE));
	/* Every page was pinned once and is served from the cache after. */
	EXPECT_EQ(NR_PAGES, self->io.res->pinned);
	EXPECT_EQ(NR_PAGES, self->io.res->pins);
	EXPECT_LT(0, self->io.res->hits);
	EXPECT_EQ(0, self->io.res->rw_fallbacks);
}

/* DMA-to-DMA copies and the single-copy-atomic 16-bit accessors. */
TEST_F(vfio, copy_and_le16)
{
	__u8 want[6000];
	__u16 v;

	memcpy(want, self->a + 10, sizeof(want));
	ASSERT_EQ(0, run(&self->io, VDT_COPY, IOVA_A + 2 * PAGE + 7, IOVA_A + 10,
			 sizeof(want)));
	EXPECT_EQ(0, memcmp(self->a + 2 * PAGE + 7, want, sizeof(want)));

	memcpy(&v, self->a + 2, 2);
	ASSERT_EQ(0, run(&self->io, VDT_READ16, IOVA_A + 2, 0, 2));
	EXPECT_EQ(0, memcmp(self->io.res->data, &v, 2));

	v = 0xbeef;
	memcpy(self->io.cmd->data, &v, 2);
	ASSERT_EQ(0, run(&self->io, VDT_WRITE16, IOVA_A + PAGE - 2, 0, 2));
	EXPECT_EQ(0xef, self->a[PAGE - 2]);
	EXPECT_EQ(0xbe, self->a[PAGE - 1]);
	EXPECT_EQ(-EINVAL, run(&self->io, VDT_READ16, IOVA_A + 1, 0, 2));
}

/* Copies between DMA ranges and an iov_iter (a kvec in the module). */
TEST_F(vfio, iov_iter)
{
	unsigned int i;

	ASSERT_EQ(0, run(&self->io, VDT_TO_ITER, IOVA_A + 5, 0, 2 * PAGE));
	EXPECT_EQ(0, memcmp(self->io.res->data, self->a + 5, 2 * PAGE));
	for (i = 0; i < PAGE; i++)
		self->io.cmd->data[i] = (__u8)(i ^ 0x77);
	ASSERT_EQ(0, run(&self->io, VDT_FROM_ITER, IOVA_A + 3 * PAGE - 9, 0,
			 PAGE));
	EXPECT_EQ(0, memcmp(self->a + 3 * PAGE - 9, self->io.cmd->data, PAGE));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_TO_ITER, IOVA_A + BUF_SIZE - 8,
			       0, 16));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_FROM_ITER, IOVA_A - 8, 0, 16));
}

/*
 * One chain through a queue laid out in the mapped buffer: descriptors at
 * offset 0, driver area at 0x200, device area at 0x400; a readable buffer
 * across the first page boundary, a writable one in the third page.
 */
#define RING_SIZE	8
#define RD_OFF		(PAGE - 20)
#define RD_LEN		40
#define WR_OFF		(2 * PAGE + 0x100)
#define WR_LEN		30

struct wire_desc {
	__u64 addr;
	__u32 len;
	__u16 a, b;	/* split: flags, next; packed: id, flags */
};

static int run_ring(struct vdt_io *io, bool packed)
{
	unsigned int i;

	for (i = 0; i < WR_LEN; i++)
		io->cmd->data[i] = (__u8)(0xc0 + i);
	io->cmd->iova3 = IOVA_A + 0x400;
	io->cmd->packed = packed;
	io->cmd->size = RING_SIZE;
	return run(io, VDT_RING, IOVA_A, IOVA_A + 0x200, 0);
}

TEST_F(vfio, ring_chain_split)
{
	struct wire_desc *d = (void *)self->a;
	__u16 *avail = (void *)(self->a + 0x200);
	__u16 *used = (void *)(self->a + 0x400);
	__u32 *elem = (void *)(used + 2);

	memset(self->a, 0, 0x800);
	d[0] = (struct wire_desc){ IOVA_A + RD_OFF, RD_LEN, VRING_DESC_F_NEXT, 1 };
	d[1] = (struct wire_desc){ IOVA_A + WR_OFF, WR_LEN, VRING_DESC_F_WRITE, 0 };
	avail[2] = 0;		/* ring[0]: head 0 */
	avail[1] = 1;		/* idx */

	ASSERT_EQ(0, run_ring(&self->io, false));
	EXPECT_EQ(RD_LEN, self->io.res->len);
	EXPECT_EQ(0, memcmp(self->io.res->data, self->a + RD_OFF, RD_LEN));
	EXPECT_EQ(0, memcmp(self->a + WR_OFF, self->io.cmd->data, WR_LEN));
	EXPECT_EQ(1, used[1]);
	EXPECT_EQ(0, elem[0]);
	EXPECT_EQ(WR_LEN, elem[1]);

	/* A fresh queue whose buffer lies outside the mapping: refused. */
	memset(used, 0, 0x100);
	d[2] = (struct wire_desc){ IOVA_A + BUF_SIZE - 4, 8, 0, 0 };
	avail[2] = 2;
	EXPECT_EQ(-EFAULT, run_ring(&self->io, false));
	EXPECT_EQ(0, used[1]);
}

TEST_F(vfio, ring_chain_packed)
{
	struct wire_desc *d = (void *)self->a;
	__u16 avail = 1 << VRING_PACKED_DESC_F_AVAIL;
	__u16 used = avail | 1 << VRING_PACKED_DESC_F_USED;

	memset(self->a, 0, 0x800);
	d[0] = (struct wire_desc){ IOVA_A + RD_OFF, RD_LEN, 5,
				   avail | VRING_DESC_F_NEXT };
	d[1] = (struct wire_desc){ IOVA_A + WR_OFF, WR_LEN, 5,
				   avail | VRING_DESC_F_WRITE };

	ASSERT_EQ(0, run_ring(&self->io, true));
	EXPECT_EQ(RD_LEN, self->io.res->len);
	EXPECT_EQ(0, memcmp(self->io.res->data, self->a + RD_OFF, RD_LEN));
	EXPECT_EQ(0, memcmp(self->a + WR_OFF, self->io.cmd->data, WR_LEN));
	EXPECT_EQ(used, d[0].b);
	EXPECT_EQ(5, d[0].a);
	EXPECT_EQ(WR_LEN, d[0].len);
}

/* IOVAs outside the mapping are refused and change nothing. */
TEST_F(vfio, out_of_range)
{
	__u8 *copy = malloc(BUF_SIZE);

	ASSERT_NE(NULL, copy);
	memcpy(copy, self->a, BUF_SIZE);
	EXPECT_EQ(0, run(&self->io, VDT_CHECK, IOVA_A, 0, BUF_SIZE));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_CHECK, IOVA_A, 0, BUF_SIZE + 1));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_CHECK, IOVA_A - 1, 0, 2));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ, IOVA_A + BUF_SIZE, 0, 16));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ, IOVA_A + BUF_SIZE - 8, 0, 16));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ, 1ull << 50, 0, 16));
	memset(self->io.cmd->data, 0xee, 64);
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_WRITE, IOVA_A - PAGE, 0, 64));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_COPY, IOVA_A, IOVA_A + BUF_SIZE, 8));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ16, IOVA_A + BUF_SIZE, 0, 2));
	EXPECT_EQ(-EOVERFLOW, run(&self->io, VDT_READ, UINT64_MAX - 7, 0, 16));
	EXPECT_EQ(0, memcmp(copy, self->a, BUF_SIZE));
	free(copy);
}

/*
 * After VFIO_IOMMU_UNMAP_DMA returns, the device no longer reaches the
 * unmapped range.  A device thread writes into the mapping all along, as
 * a polling device model does; once the unmap returned, every DMA it
 * starts to the range fails and is counted, nothing reaches the old
 * buffer any more, and VFIO notified the device once only.  The range is
 * never pinned again (VFIO notifies again while it finds a pin, and BUGs
 * after ten notifications in a row): a new mapping at the same IOVA is
 * what the device then reaches, through vfio_dma_rw(), with no new pin.
 */
#define POLL_OFF	(PAGE + 8)
#define POLL_LEN	64u

TEST_F(vfio, unmap_ends_device_access)
{
	__u8 *b, *after = malloc(BUF_SIZE);
	__u64 unmaps, faults, pins, rw;
	unsigned int i;

	ASSERT_NE(NULL, after);
	ASSERT_EQ(0, run(&self->io, VDT_READ, IOVA_A, 0, BUF_SIZE));
	ASSERT_EQ(NR_PAGES, self->io.res->pinned);
	unmaps = self->io.res->unmaps;

	for (i = 0; i < POLL_LEN; i++)
		self->io.cmd->data[i] = (__u8)(0xd0 + i);
	ASSERT_EQ(0, run(&self->io, VDT_POLL_START, IOVA_A + POLL_OFF, 0,
			 POLL_LEN));
	usleep(20 * 1000);
	EXPECT_EQ(0, memcmp(self->a + POLL_OFF, self->io.cmd->data, POLL_LEN));

	ASSERT_EQ(0, dma_unmap(self->container, IOVA_A, BUF_SIZE));
	usleep(50 * 1000);
	/*
	 * A write the thread had in flight through a pinned page when the
	 * unmap ran may still land after the unmap returned: seen under a
	 * loaded TCG host (Documentation/ring.rst, Limits).  So the old
	 * buffer is checked from when the thread stopped on.
	 */
	ASSERT_EQ(0, run(&self->io, VDT_POLL_STOP, 0, 0, 0));
	memset(self->a, 0x11, BUF_SIZE);
	memcpy(after, self->a, BUF_SIZE);
	EXPECT_LT(0, self->io.res->poll_ok);
	EXPECT_LT(0, self->io.res->poll_failed);
	EXPECT_LE(self->io.res->poll_failed, self->io.res->faults);
	EXPECT_EQ(unmaps + 1, self->io.res->unmaps);
	EXPECT_EQ(0, self->io.res->pinned);
	EXPECT_EQ(NR_PAGES, self->io.res->invalidated);

	/* Each DMA to the range fails, is counted and writes nothing. */
	faults = self->io.res->faults;
	memset(self->io.cmd->data, 0xee, 16);
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_WRITE, IOVA_A + 5, 0, 16));
	EXPECT_EQ(faults + 1, self->io.res->faults);
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ, IOVA_A + PAGE, 0, 16));
	EXPECT_EQ(faults + 2, self->io.res->faults);
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_CHECK, IOVA_A, 0, 1));
	EXPECT_EQ(faults + 3, self->io.res->faults);
	EXPECT_EQ(0, memcmp(after, self->a, BUF_SIZE));
	pins = self->io.res->pins;
	rw = self->io.res->rw_fallbacks;

	/* A new mapping at the same IOVA: its pages, not the old ones. */
	b = buf_alloc(77);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, dma_map(self->container, b, IOVA_A, BUF_SIZE));
	ASSERT_EQ(0, run(&self->io, VDT_READ, IOVA_A + 7, 0, BUF_SIZE - 7));
	EXPECT_EQ(0, memcmp(self->io.res->data, b + 7, BUF_SIZE - 7));
	ASSERT_EQ(0, run(&self->io, VDT_WRITE, IOVA_A + 5, 0, 8));
	EXPECT_EQ(0, memcmp(b + 5, self->io.cmd->data, 8));
	EXPECT_EQ(faults + 3, self->io.res->faults);
	EXPECT_EQ(pins, self->io.res->pins);
	EXPECT_EQ(0, self->io.res->pinned);
	EXPECT_LT(rw, self->io.res->rw_fallbacks);
	EXPECT_EQ(0, memcmp(after, self->a, BUF_SIZE));
	/* Its ring indexes are not: they would be copied byte by byte. */
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ16, IOVA_A + 6, 0, 2));
	/* Unmapping the new mapping: no pin of it, no notification. */
	ASSERT_EQ(0, dma_unmap(self->container, IOVA_A, BUF_SIZE));
	ASSERT_EQ(0, run(&self->io, VDT_POLL_STOP, 0, 0, 0));
	EXPECT_EQ(unmaps + 1, self->io.res->unmaps);
	munmap(b, BUF_SIZE);
	free(after);
}

/*
 * A mapping made without CAP_IPC_LOCK and with no RLIMIT_MEMLOCK budget
 * cannot be pinned: every access falls back to vfio_dma_rw() and still
 * moves the right bytes, except 2-byte index accesses, which fail.
 */
TEST_F(vfio, rw_fallback_without_pinning)
{
	struct rlimit none = { 0, 0 };
	__u8 *c = buf_alloc(200);
	__u8 want[5000];
	__u16 v;
	__u64 pins, rw;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, run(&self->io, VDT_READ, IOVA_A, 0, 16));
	pins = self->io.res->pins;
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &none));
	ASSERT_EQ(0, dma_map(self->container, c, IOVA_C, BUF_SIZE));

	memset(self->io.cmd->data, 0x3c, 5000);
	ASSERT_EQ(0, run(&self->io, VDT_WRITE, IOVA_C + 3000, 0, 5000));
	EXPECT_EQ(0, memcmp(c + 3000, self->io.cmd->data, 5000));
	EXPECT_EQ(pins, self->io.res->pins);
	EXPECT_LT(0, self->io.res->rw_fallbacks);

	ASSERT_EQ(0, run(&self->io, VDT_READ, IOVA_C + 1, 0, 5000));
	EXPECT_EQ(0, memcmp(self->io.res->data, c + 1, 5000));

	ASSERT_EQ(0, run(&self->io, VDT_TO_ITER, IOVA_C + 33, 0, 5000));
	EXPECT_EQ(0, memcmp(self->io.res->data, c + 33, 5000));
	memset(self->io.cmd->data, 0x6b, 3000);
	ASSERT_EQ(0, run(&self->io, VDT_FROM_ITER, IOVA_C + 9000, 0, 3000));
	EXPECT_EQ(0, memcmp(c + 9000, self->io.cmd->data, 3000));

	/*
	 * A ring index is never copied byte by byte: where its page cannot
	 * be pinned, a 2-byte access fails and changes nothing.
	 */
	c[4] = 0x5a;
	c[5] = 0xa5;
	v = 0x1234;
	memcpy(self->io.cmd->data, &v, 2);
	rw = self->io.res->rw_fallbacks;
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_WRITE16, IOVA_C + 4, 0, 2));
	EXPECT_EQ(0x5a, c[4]);
	EXPECT_EQ(0xa5, c[5]);
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_READ16, IOVA_C + 4, 0, 2));
	EXPECT_EQ(rw, self->io.res->rw_fallbacks);

	EXPECT_EQ(0, run(&self->io, VDT_CHECK, IOVA_C, 0, BUF_SIZE));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_CHECK, IOVA_C, 0, BUF_SIZE + 1));
	EXPECT_EQ(-EFAULT, run(&self->io, VDT_WRITE, IOVA_C + BUF_SIZE - 2, 0, 4));
	EXPECT_EQ(pins, self->io.res->pins);

	/* C -> C, A -> C and C -> A: every side of the bounce. */
	memcpy(want, c + 7000, 4000);
	ASSERT_EQ(0, run(&self->io, VDT_COPY, IOVA_C + 50, IOVA_C + 7000, 4000));
	EXPECT_EQ(0, memcmp(c + 50, want, 4000));
	memcpy(want, self->a + 9, sizeof(want));
	ASSERT_EQ(0, run(&self->io, VDT_COPY, IOVA_C + 11, IOVA_A + 9, sizeof(want)));
	EXPECT_EQ(0, memcmp(c + 11, want, sizeof(want)));
	memcpy(want, c + 20, 3000);
	ASSERT_EQ(0, run(&self->io, VDT_COPY, IOVA_A + 100, IOVA_C + 20, 3000));
	EXPECT_EQ(0, memcmp(self->a + 100, want, 3000));
	munmap(c, BUF_SIZE);
}

TEST_HARNESS_MAIN
