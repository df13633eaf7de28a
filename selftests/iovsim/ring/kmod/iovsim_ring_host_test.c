// SPDX-License-Identifier: GPL-2.0-only
/*
 * iovsim_ring in a real kernel.  The user-space tests cover the ring
 * rules; this covers what only a kernel has: the in-host DMA backend on
 * physical addresses (RAM accepted; MMIO, holes, the kernel image and
 * reserved pages refused, also in the middle of a range; page crossings,
 * iov_iter; use from hard and soft interrupt handlers), and one chain
 * through each ring layout placed in real pages.  Results are printed as KTAP lines that
 * selftests/iovsim/ring_host.sh relays; loading fails if any test fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/memory_hotplug.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pfn.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uio.h>
#include <linux/virtio_ring.h>
#include <iovsim/dma.h>
#include <iovsim/ring.h>

#define NR_TESTS	9

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
 * The kernel image: text, rodata, data and bss, each reached through an
 * exported symbol.  Only checked and read: writing there, were it
 * accepted, would corrupt the running kernel.
 */
static bool test_rejects_kernel_image(void)
{
	const struct {
		const char *what;
		u64 addr;
	} image[] = {
		{ "text", __pa_symbol(kfree) },
		{ "rodata", __pa_symbol(hex_asc) },
		{ "data", __pa_symbol(&jiffies) },
		{ "bss", __pa_symbol(empty_zero_page) },
	};
	bool ok = true;
	unsigned int i;
	u8 buf[8];
	u16 v;

	for (i = 0; i < ARRAY_SIZE(image); i++) {
		if (iovsim_dma_check(&host_dma, image[i].addr, 8) != -EFAULT ||
		    iovsim_dma_read(&host_dma, buf, image[i].addr, 8) !=
		    -EFAULT ||
		    iovsim_dma_read_le16(&host_dma, image[i].addr & ~1ULL,
					 &v) != -EFAULT) {
			pr_info("# kernel %s at %#llx accepted\n",
				image[i].what, image[i].addr);
			ok = false;
		}
	}
	return ok;
}

/* Whether a device may use the page at @pfn: what the backend promises. */
static bool pfn_usable(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	return page && !PageReserved(page) && page_is_ram(pfn);
}

static bool pfn_reserved_ram(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	return page && PageReserved(page) && page_is_ram(pfn);
}

/* Frames scanned for reserved RAM: the first 4 GiB. */
#define SCAN_PFNS	(SZ_4G >> PAGE_SHIFT)

static bool test_rejects_reserved(void)
{
	unsigned long pfn;
	u8 buf[8];
	u64 addr;

	for (pfn = 1; pfn < SCAN_PFNS; pfn++)
		if (pfn_reserved_ram(pfn))
			break;
	if (pfn == SCAN_PFNS) {
		pr_info("# no reserved RAM page below 4 GiB\n");
		return false;
	}
	addr = PFN_PHYS(pfn) + 64;
	if (iovsim_dma_check(&host_dma, addr, 8) != -EFAULT ||
	    iovsim_dma_read(&host_dma, buf, addr, 8) != -EFAULT) {
		pr_info("# reserved RAM page %#lx accepted\n", pfn);
		return false;
	}
	return true;
}

/*
 * A range whose first and last pages are usable RAM with reserved RAM
 * between them (the first such run below 4 GiB: on x86 there is always
 * one around the kernel image) must be refused as a whole.
 */
static bool test_rejects_reserved_middle(void)
{
	unsigned long pfn, first = 0, last = 0;
	bool in_run = false;
	u8 buf[16];
	u64 addr, len;

	for (pfn = 1; pfn < SCAN_PFNS && !last; pfn++) {
		if (pfn_usable(pfn)) {
			if (in_run)
				last = pfn;
			else
				first = pfn;
			in_run = false;
		} else if (first && pfn_reserved_ram(pfn)) {
			in_run = true;
		} else {
			first = 0;
			in_run = false;
		}
	}
	if (!last) {
		pr_info("# no reserved run between usable pages below 4 GiB\n");
		return false;
	}
	/* 8 bytes at the end of the first page, 8 at the start of the last. */
	addr = PFN_PHYS(first) + PAGE_SIZE - 8;
	len = PFN_PHYS(last - first - 1) + 16;
	if (iovsim_dma_check(&host_dma, addr, 8) ||
	    iovsim_dma_check(&host_dma, PFN_PHYS(last), 8) ||
	    iovsim_dma_check(&host_dma, addr, len) != -EFAULT ||
	    iovsim_dma_read(&host_dma, buf, addr, sizeof(buf)) != -EFAULT) {
		pr_info("# %#llx+%#llx (frames %#lx..%#lx) not refused as a whole\n",
			addr, len, first, last);
		return false;
	}
	return true;
}

/*
 * The host backend's accessors from a hard interrupt handler (an hrtimer
 * in hard mode) and a soft one (a timer): data moves, bad ranges are
 * refused, and nothing takes a lock that is not safe there (lockdep on
 * the debug kernel would say so).
 */
struct irq_test {
	struct hrtimer hrtimer;
	struct timer_list timer;
	struct completion done;
	u64 phys;
	u8 *virt;
	int ret[4];
};

static void irq_test_run(struct irq_test *t)
{
	u8 data[100], back[100];
	int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i ^ 0xc3;
	t->ret[0] = iovsim_dma_write(&host_dma, t->phys + PAGE_SIZE - 50, data,
				     sizeof(data));
	t->ret[1] = iovsim_dma_read(&host_dma, back, t->phys + PAGE_SIZE - 50,
				    sizeof(back));
	if (!t->ret[1] && memcmp(back, data, sizeof(data)))
		t->ret[1] = -EIO;
	t->ret[2] = iovsim_dma_check(&host_dma, t->phys, 2 * PAGE_SIZE);
	t->ret[3] = iovsim_dma_check(&host_dma, TEST_MMIO_ADDR, 4) == -EFAULT ?
		    0 : -EINVAL;
	complete(&t->done);
}

static enum hrtimer_restart irq_test_hard(struct hrtimer *hrtimer)
{
	irq_test_run(container_of(hrtimer, struct irq_test, hrtimer));
	return HRTIMER_NORESTART;
}

static void irq_test_soft(struct timer_list *timer)
{
	irq_test_run(container_of(timer, struct irq_test, timer));
}

static bool irq_test_ok(struct irq_test *t, const char *where)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(t->ret); i++) {
		if (t->ret[i]) {
			pr_info("# %s: step %d returned %d\n", where, i,
				t->ret[i]);
			return false;
		}
	}
	return true;
}

static bool test_interrupt_context(void)
{
	struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	struct irq_test *t;
	bool ok = false;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!pages || !t)
		goto out;
	t->phys = page_to_phys(pages);
	t->virt = page_address(pages);

	init_completion(&t->done);
	hrtimer_init(&t->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	t->hrtimer.function = irq_test_hard;
	hrtimer_start(&t->hrtimer, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&t->done);
	hrtimer_cancel(&t->hrtimer);
	if (!irq_test_ok(t, "hard irq"))
		goto out;

	memset(t->ret, 0, sizeof(t->ret));
	memset(t->virt, 0, 2 * PAGE_SIZE);
	reinit_completion(&t->done);
	timer_setup(&t->timer, irq_test_soft, 0);
	mod_timer(&t->timer, jiffies + 1);
	wait_for_completion(&t->done);
	del_timer_sync(&t->timer);
	ok = irq_test_ok(t, "soft irq");
	/* The last write, from the timer: bytes 0 and 99 of the pattern. */
	if (ok && (t->virt[PAGE_SIZE - 50] != 0xc3 ||
		   t->virt[PAGE_SIZE + 49] != (99 ^ 0xc3))) {
		pr_info("# soft irq: data not in the page\n");
		ok = false;
	}
out:
	kfree(t);
	if (pages)
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
	report(test_rejects_kernel_image(),
	       "host DMA refuses kernel text, rodata, data, bss");
	report(test_rejects_reserved(), "host DMA refuses reserved RAM");
	report(test_rejects_reserved_middle(),
	       "host DMA refuses reserved RAM in the middle of a range");
	report(test_interrupt_context(),
	       "host DMA from hard and soft interrupt handlers");
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
