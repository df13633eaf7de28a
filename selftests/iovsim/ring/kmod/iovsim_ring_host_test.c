// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring in a real kernel.  The user-space tests cover the ring
 * rules; this covers what only a kernel has: the in-host DMA backend on
 * physical addresses (RAM accepted, MMIO and holes refused, page
 * crossings, iov_iter), and one chain through each ring layout placed in
 * real pages.  Results are printed as KTAP lines that
 * selftests/iovsim/ring_host.sh relays; loading fails if any test fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/virtio_ring.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#define NR_TESTS	5

/* The local APIC's MMIO page: never RAM on x86. */
#define TEST_MMIO_ADDR	0xfee00000ULL
/* 2 PiB: far above the RAM of any machine (or VM) this runs on. */
#define TEST_HOLE_ADDR	BIT_ULL(51)

struct test_split_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct test_packed_desc {
	__le64 addr;
	__le32 len;
	__le16 id;
	__le16 flags;
};

static struct iovsim_dma host_dma;
static unsigned int test_nr, test_failed;

static void report(bool ok, const char *name)
{
	test_nr++;
	if (!ok)
		test_failed++;
	pr_info("%sok %u %s\n", ok ? "" : "not ", test_nr, name);
}

static bool check(bool cond, const char *what, int line)
{
	if (!cond)
		pr_info("# line %d: %s\n", line, what);
	return cond;
}

#define CHECK(cond)	check(cond, #cond, __LINE__)

static bool test_rejects_non_ram(void)
{
	u64 beyond = TEST_HOLE_ADDR;
	bool ok = true;
	u8 buf[8];

	ok &= CHECK(iovsim_dma_read(&host_dma, buf, TEST_MMIO_ADDR, 4) ==
		    -EFAULT);
	ok &= CHECK(iovsim_dma_check(&host_dma, TEST_MMIO_ADDR, 4) == -EFAULT);
	ok &= CHECK(iovsim_dma_read(&host_dma, buf, beyond, 8) == -EFAULT);
	ok &= CHECK(iovsim_dma_check(&host_dma, beyond - 8, 16) == -EFAULT);
	ok &= CHECK(iovsim_dma_read(&host_dma, buf, U64_MAX - 3, 8) ==
		    -EOVERFLOW);
	ok &= CHECK(iovsim_dma_write_le16(&host_dma, TEST_MMIO_ADDR, 1) ==
		    -EFAULT);
	return ok;
}

static bool test_page_crossing(void)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	u8 *virt, out[100], in[100];
	bool ok = false;
	u64 phys;
	int i;

	if (!pages)
		return false;
	virt = page_address(pages);
	phys = page_to_phys(pages);
	for (i = 0; i < sizeof(out); i++)
		out[i] = i * 3 + 1;
	/* 50 bytes at the end of the first page, 50 in the second. */
	if (iovsim_dma_check(&host_dma, phys, 2 * PAGE_SIZE) ||
	    iovsim_dma_write(&host_dma, phys + PAGE_SIZE - 50, out, 100) ||
	    memcmp(virt + PAGE_SIZE - 50, out, 100) ||
	    iovsim_dma_copy(&host_dma, phys, phys + PAGE_SIZE - 50, 100) ||
	    memcmp(virt, out, 100) ||
	    iovsim_dma_read(&host_dma, in, phys + PAGE_SIZE - 50, 100) ||
	    memcmp(in, out, 100))
		pr_info("# %s: data mismatch\n", __func__);
	else
		ok = true;
	__free_pages(pages, 1);
	return ok;
}

static bool test_iov_iter(void)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	u8 *virt, a[60], b[40];
	struct kvec kv[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};
	struct iov_iter iter;
	bool ok = false;
	u64 phys;
	int i;

	if (!pages)
		return false;
	virt = page_address(pages);
	phys = page_to_phys(pages);
	for (i = 0; i < 100; i++)
		virt[PAGE_SIZE - 30 + i] = i ^ 0x5a;

	iov_iter_kvec(&iter, ITER_DEST, kv, 2, 100);
	if (iovsim_dma_to_iter(&host_dma, phys + PAGE_SIZE - 30, 100, &iter))
		goto out;
	for (i = 0; i < 100; i++)
		if ((i < 60 ? a[i] : b[i - 60]) != (u8)(i ^ 0x5a))
			goto out;
	memset(virt, 0, 2 * PAGE_SIZE);
	iov_iter_kvec(&iter, ITER_SOURCE, kv, 2, 100);
	if (iovsim_dma_from_iter(&host_dma, phys + 10, 100, &iter) ||
	    memcmp(virt + 10, a, 60) || memcmp(virt + 70, b, 40))
		goto out;
	/* An iterator shorter than the range is an error, not a hang. */
	iov_iter_kvec(&iter, ITER_DEST, kv, 1, 60);
	ok = iovsim_dma_to_iter(&host_dma, phys, 100, &iter) == -EFAULT;
out:
	if (!ok)
		pr_info("# %s: failed\n", __func__);
	__free_pages(pages, 1);
	return ok;
}

/*
 * One request/response chain through a ring laid out in one zeroed page,
 * as a driver would post it, with buffers in a second page.
 */
static bool test_ring(enum iovsim_ring_layout layout)
{
	struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	struct iovsim_ring_seg segs[4];
	struct iovsim_ring_chain chain = { .segs = segs, .max_segs = 4 };
	struct iovsim_ring_config cfg = {
		.layout = layout,
		.size = 8,
		.event_idx = true,
	};
	struct iovsim_ring ring;
	u8 *virt, *bufs, req[32], resp[16];
	u64 phys;
	bool ok = false;
	int i, ret;

	if (!pages)
		return false;
	virt = page_address(pages);
	phys = page_to_phys(pages);
	bufs = virt + PAGE_SIZE;
	cfg.desc_addr = phys;
	cfg.driver_addr = phys + 1024;
	cfg.device_addr = phys + 2048;
	for (i = 0; i < sizeof(req); i++)
		bufs[i] = i + 100;

	if (layout == IOVSIM_RING_SPLIT) {
		struct test_split_desc *desc = (void *)virt;
		__le16 *avail = (void *)(virt + 1024);

		desc[3] = (struct test_split_desc){
			.addr = cpu_to_le64(phys + PAGE_SIZE),
			.len = cpu_to_le32(32),
			.flags = cpu_to_le16(VRING_DESC_F_NEXT),
			.next = cpu_to_le16(5),
		};
		desc[5] = (struct test_split_desc){
			.addr = cpu_to_le64(phys + PAGE_SIZE + 512),
			.len = cpu_to_le32(16),
			.flags = cpu_to_le16(VRING_DESC_F_WRITE),
		};
		avail[2] = cpu_to_le16(3);	/* ring[0] */
		avail[1] = cpu_to_le16(1);	/* idx */
		/* A second chain whose buffer is MMIO. */
		desc[6] = desc[5];
		desc[6].addr = cpu_to_le64(TEST_MMIO_ADDR);
		avail[3] = cpu_to_le16(6);
	} else {
		struct test_packed_desc *desc = (void *)virt;
		u16 avail = BIT(VRING_PACKED_DESC_F_AVAIL);

		desc[0] = (struct test_packed_desc){
			.addr = cpu_to_le64(phys + PAGE_SIZE),
			.len = cpu_to_le32(32),
			.flags = cpu_to_le16(avail | VRING_DESC_F_NEXT),
		};
		desc[1] = (struct test_packed_desc){
			.addr = cpu_to_le64(phys + PAGE_SIZE + 512),
			.len = cpu_to_le32(16),
			.id = cpu_to_le16(3),
			.flags = cpu_to_le16(avail | VRING_DESC_F_WRITE),
		};
		desc[2] = desc[1];
		desc[2].addr = cpu_to_le64(TEST_MMIO_ADDR);
	}

	ret = iovsim_ring_init(&ring, &host_dma, &cfg);
	if (ret)
		goto out;
	ret = iovsim_ring_get_chain(&ring, &chain);
	if (ret != 1 || chain.id != 3 || chain.nr_readable != 1 ||
	    chain.nr_writable != 1 || chain.readable_len != 32)
		goto out;
	if (iovsim_ring_chain_read(&ring, &chain, 0, req, sizeof(req)) ||
	    memcmp(req, bufs, sizeof(req)))
		goto out;
	memset(resp, 0xee, sizeof(resp));
	if (iovsim_ring_chain_write(&ring, &chain, 0, resp, sizeof(resp)) ||
	    memcmp(bufs + 512, resp, sizeof(resp)))
		goto out;
	if (iovsim_ring_complete(&ring, &chain, 16) ||
	    iovsim_ring_need_interrupt(&ring) != 1)
		goto out;

	if (layout == IOVSIM_RING_SPLIT) {
		__le16 *used = (void *)(virt + 2048);
		__le32 *elem = (void *)(virt + 2048 + 4);

		if (le16_to_cpu(used[1]) != 1 || le32_to_cpu(elem[0]) != 3 ||
		    le32_to_cpu(elem[1]) != 16)
			goto out;
		/* Make the MMIO chain available. */
		((__le16 *)(virt + 1024))[1] = cpu_to_le16(2);
	} else {
		struct test_packed_desc *desc = (void *)virt;
		u16 used = BIT(VRING_PACKED_DESC_F_AVAIL) |
			   BIT(VRING_PACKED_DESC_F_USED);

		if (le16_to_cpu(desc[0].flags) != used ||
		    le16_to_cpu(desc[0].id) != 3 ||
		    le32_to_cpu(desc[0].len) != 16)
			goto out;
	}
	/* A buffer in MMIO space is refused when the chain is fetched. */
	ok = iovsim_ring_get_chain(&ring, &chain) == -EFAULT;
out:
	if (!ok)
		pr_info("# %s(%s): failed at ret %d\n", __func__,
			layout == IOVSIM_RING_SPLIT ? "split" : "packed", ret);
	__free_pages(pages, 1);
	return ok;
}

static int __init iovsim_ring_host_test_init(void)
{
	iovsim_dma_init_host(&host_dma);
	test_nr = 0;
	test_failed = 0;

	pr_info("1..%d\n", NR_TESTS);
	report(test_rejects_non_ram(), "host DMA refuses MMIO, holes, wrap");
	report(test_page_crossing(), "host DMA across a page boundary");
	report(test_iov_iter(), "host DMA to and from an iov_iter");
	report(test_ring(IOVSIM_RING_SPLIT), "split ring chain in real pages");
	report(test_ring(IOVSIM_RING_PACKED), "packed ring chain in real pages");
	return test_failed ? -EINVAL : 0;
}

static void __exit iovsim_ring_host_test_exit(void)
{
}

module_init(iovsim_ring_host_test_init);
module_exit(iovsim_ring_host_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iovsim: in-kernel test of iovsim_ring's in-host DMA backend");
