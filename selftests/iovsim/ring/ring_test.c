// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of iovsim_ring, built in user space from the module's own
 * sources: every rule of the split and packed device side, checked
 * against the reference driver in vq_driver.c on both layouts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/barrier.h>
#include <linux/virtio_ring.h>

#include "dma_pages.h"
#include "kselftest_harness.h"
#include "vq_driver.h"

#define MEM_SIZE	(4u << 20)

struct ctx {
	struct vq_driver d;
	struct iovsim_ring r;
	struct iovsim_ring_chain chain;
	struct iovsim_ring_seg *segs;
};

static int ctx_init(struct ctx *c, enum iovsim_ring_layout layout,
		    u32 size, bool event_idx, bool indirect)
{
	int ret;

	ret = vq_driver_init(&c->d, layout, size, event_idx, indirect,
			     MEM_SIZE);
	if (ret)
		return ret;
	c->segs = calloc(IOVSIM_RING_MAX_SIZE + 1, sizeof(*c->segs));
	if (!c->segs)
		return -ENOMEM;
	c->chain.segs = c->segs;
	c->chain.max_segs = IOVSIM_RING_MAX_SIZE + 1;
	return iovsim_ring_init(&c->r, &c->d.dma, &c->d.cfg);
}

static void ctx_destroy(struct ctx *c)
{
	free(c->segs);
	c->segs = NULL;
	vq_driver_destroy(&c->d);
}

/* Buffers in the arena filled with a pattern derived from @seed. */
static u64 buf_alloc(struct ctx *c, u32 len, u8 seed)
{
	u64 addr = vq_alloc(&c->d, len, 8);
	u8 *p;
	u32 i;

	if (!addr)
		abort();
	p = vq_ptr(&c->d, addr);
	for (i = 0; i < len; i++)
		p[i] = seed + i * 7;
	return addr;
}

/* @n readable buffers, all at @addr. */
static void bufs_fill(struct vq_buf *b, unsigned int n, u64 addr, u32 len)
{
	while (n--)
		b[n] = (struct vq_buf){ .addr = addr, .len = len };
}

/* Post one chain of one readable and one writable buffer of 16 bytes. */
static int post_pair(struct ctx *c, u64 rd, u64 wr, u16 *id)
{
	struct vq_buf bufs[] = {
		{ .addr = rd, .len = 16 },
		{ .addr = wr, .len = 16, .write = true },
	};

	return vq_post(&c->d, bufs, 2, false, id);
}

FIXTURE(ring) {
	struct ctx c;
};

FIXTURE_VARIANT(ring) {
	enum iovsim_ring_layout layout;
};

FIXTURE_VARIANT_ADD(ring, split) {
	.layout = IOVSIM_RING_SPLIT,
};

FIXTURE_VARIANT_ADD(ring, packed) {
	.layout = IOVSIM_RING_PACKED,
};

FIXTURE_SETUP(ring)
{
	memset(&self->c, 0, sizeof(self->c));
}

FIXTURE_TEARDOWN(ring)
{
	ctx_destroy(&self->c);
}

/*
 * Rules that exist in one layout only have a fixture per layout, so that
 * no test needs to skip the other one.
 */
FIXTURE(split) {
	struct ctx c;
};

FIXTURE_SETUP(split)
{
	memset(&self->c, 0, sizeof(self->c));
}

FIXTURE_TEARDOWN(split)
{
	ctx_destroy(&self->c);
}

FIXTURE(packed) {
	struct ctx c;
};

FIXTURE_SETUP(packed)
{
	memset(&self->c, 0, sizeof(self->c));
}

FIXTURE_TEARDOWN(packed)
{
	ctx_destroy(&self->c);
}

/* A chain's data reaches the device, and the device's reply the driver. */
TEST_F(ring, data_round_trip)
{
	struct ctx *c = &self->c;
	u8 in[100], out[200], expect[100];
	u64 rd, wr;
	u16 id, used_id;
	u32 len;
	struct vq_buf bufs[2];

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	rd = buf_alloc(c, sizeof(in), 1);
	wr = buf_alloc(c, sizeof(out), 0);
	memcpy(expect, vq_ptr(&c->d, rd), sizeof(expect));
	bufs[0] = (struct vq_buf){ .addr = rd, .len = sizeof(in) };
	bufs[1] = (struct vq_buf){ .addr = wr, .len = sizeof(out),
				   .write = true };
	ASSERT_EQ(0, vq_post(&c->d, bufs, 2, false, &id));

	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(id, c->chain.id);
	EXPECT_EQ(1, c->chain.nr_readable);
	EXPECT_EQ(1, c->chain.nr_writable);
	EXPECT_EQ(sizeof(in), c->chain.readable_len);
	EXPECT_EQ(sizeof(out), c->chain.writable_len);
	EXPECT_EQ(rd, c->segs[0].addr);
	EXPECT_EQ(wr, c->segs[1].addr);

	ASSERT_EQ(0, iovsim_ring_chain_read(&c->r, &c->chain, 0, in,
					    sizeof(in)));
	EXPECT_EQ(0, memcmp(in, expect, sizeof(in)));
	memset(out, 0x5a, sizeof(out));
	ASSERT_EQ(0, iovsim_ring_chain_write(&c->r, &c->chain, 10, out, 50));
	EXPECT_EQ(-EMSGSIZE, iovsim_ring_chain_write(&c->r, &c->chain, 151,
						     out, 50));
	EXPECT_EQ(-EMSGSIZE, iovsim_ring_chain_read(&c->r, &c->chain, 1, in,
						    sizeof(in)));
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 60));
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	EXPECT_EQ(0, iovsim_ring_need_interrupt(&c->r));

	ASSERT_EQ(1, vq_get_used(&c->d, &used_id, &len));
	EXPECT_EQ(id, used_id);
	EXPECT_EQ(60, len);
	EXPECT_EQ((u8)(9 * 7), ((u8 *)vq_ptr(&c->d, wr))[9]);
	EXPECT_EQ(0x5a, ((u8 *)vq_ptr(&c->d, wr))[10]);
	EXPECT_EQ(0x5a, ((u8 *)vq_ptr(&c->d, wr))[59]);
	EXPECT_EQ((u8)(60 * 7), ((u8 *)vq_ptr(&c->d, wr))[60]);
	EXPECT_EQ(0, vq_get_used(&c->d, &used_id, &len));
	EXPECT_EQ(0, iovsim_ring_get_chain(&c->r, &c->chain));
}

/* Segments keep their order and direction, directly and indirectly. */
TEST_F(ring, segments_direct_and_indirect)
{
	struct ctx *c = &self->c;
	struct vq_buf bufs[5];
	u8 data[24], expect[24];
	u16 id;
	int i, pass;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 16, false, true));
	for (i = 0; i < 5; i++) {
		bufs[i].len = 8 + i;
		bufs[i].addr = buf_alloc(c, bufs[i].len, 10 * i);
		bufs[i].write = i >= 3;
	}
	/* Bytes 4..27 of the readable part: 4 of buf 0, 9, then 11 of 10. */
	memcpy(expect, (u8 *)vq_ptr(&c->d, bufs[0].addr) + 4, 4);
	memcpy(expect + 4, vq_ptr(&c->d, bufs[1].addr), 9);
	memcpy(expect + 13, vq_ptr(&c->d, bufs[2].addr), 10);
	for (pass = 0; pass < 2; pass++) {
		ASSERT_EQ(0, vq_post(&c->d, bufs, 5, pass, &id));
		ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
		EXPECT_EQ(id, c->chain.id);
		EXPECT_EQ(pass ? 1 : 5, c->chain.nr_descs);
		ASSERT_EQ(3, c->chain.nr_readable);
		ASSERT_EQ(2, c->chain.nr_writable);
		EXPECT_EQ(8 + 9 + 10, c->chain.readable_len);
		EXPECT_EQ(11 + 12, c->chain.writable_len);
		for (i = 0; i < 5; i++) {
			EXPECT_EQ(bufs[i].addr, c->segs[i].addr);
			EXPECT_EQ(bufs[i].len, c->segs[i].len);
		}
		ASSERT_EQ(0, iovsim_ring_chain_read(&c->r, &c->chain, 4, data,
						    23));
		EXPECT_EQ(0, memcmp(data, expect, 23));
		ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 23));
	}
}

/* Chains may complete in any order; the driver gets them back intact. */
TEST_F(ring, out_of_order_completion)
{
	struct ctx *c = &self->c;
	struct iovsim_ring_seg segs[3][8];
	struct iovsim_ring_chain chains[3] = {};
	struct vq_buf bufs[3];
	u16 ids[3], id;
	u32 len;
	int order[3] = { 1, 2, 0 };
	int i, round;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	for (i = 0; i < 3; i++)
		bufs[i] = (struct vq_buf){ .addr = buf_alloc(c, 32, i),
					   .len = 32, .write = true };
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, vq_post(&c->d, bufs, 3 - i, false,
					     &ids[i]));
			chains[i].segs = segs[i];
			chains[i].max_segs = 8;
			ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &chains[i]));
			ASSERT_EQ(ids[i], chains[i].id);
			ASSERT_EQ(3 - i, chains[i].nr_descs);
		}
		for (i = 0; i < 3; i++)
			ASSERT_EQ(0, iovsim_ring_complete(&c->r,
							  &chains[order[i]],
							  10 + order[i]));
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(1, vq_get_used(&c->d, &id, &len));
			EXPECT_EQ(ids[order[i]], id);
			EXPECT_EQ(10 + order[i], len);
		}
		EXPECT_EQ(8, c->d.num_free);
	}
}

/* Run @iters post/fetch/complete/reap cycles with chains of 1..3. */
static void cycle(struct __test_metadata *_metadata, struct ctx *c,
		  u32 iters)
{
	u64 buf = buf_alloc(c, 64, 3);
	struct vq_buf bufs[3] = {
		{ .addr = buf, .len = 16 },
		{ .addr = buf + 16, .len = 16 },
		{ .addr = buf + 32, .len = 32, .write = true },
	};
	u16 id, used_id;
	u32 i, n, len;

	for (i = 0; i < iters; i++) {
		n = 1 + i % 3;
		ASSERT_EQ(0, vq_post(&c->d, bufs + 3 - n, n, false, &id));
		ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
		ASSERT_EQ(id, c->chain.id);
		ASSERT_EQ(n, c->chain.nr_readable + c->chain.nr_writable);
		ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, i % 33));
		ASSERT_EQ(1, vq_get_used(&c->d, &used_id, &len));
		ASSERT_EQ(id, used_id);
		ASSERT_EQ(i % 33, len);
		ASSERT_EQ(0, iovsim_ring_get_chain(&c->r, &c->chain));
	}
}

/* 16-bit indexes and wrap counters wrap many times over. */
TEST_F(ring, index_wrap_around)
{
	struct ctx *c = &self->c;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 4, false, false));
	cycle(_metadata, c, 3 * 65536 + 17);
	EXPECT_EQ(0, c->r.in_flight);
}

TEST_F(packed, odd_size_wrap_around)
{
	struct ctx *c = &self->c;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_PACKED, 7, true, false));
	cycle(_metadata, c, 70001);
}

/* A full queue of 32768, three times over: indexes pass 65535. */
TEST_F(ring, size_32768_full_queue)
{
	struct ctx *c = &self->c;
	u64 buf;
	struct vq_buf b;
	u16 id, used_id;
	u32 i, len, round;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 32768, false, false));
	buf = buf_alloc(c, 16, 0);
	b = (struct vq_buf){ .addr = buf, .len = 16, .write = true };
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 32768; i++)
			ASSERT_EQ(0, vq_post(&c->d, &b, 1, false, &id));
		ASSERT_EQ(-ENOSPC, vq_post(&c->d, &b, 1, false, &id));
		for (i = 0; i < 32768; i++) {
			ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
			ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain,
							  i % 17));
		}
		ASSERT_EQ(0, iovsim_ring_get_chain(&c->r, &c->chain));
		for (i = 0; i < 32768; i++) {
			ASSERT_EQ(1, vq_get_used(&c->d, &used_id, &len));
			ASSERT_EQ(i % 17, len);
		}
		ASSERT_EQ(0, vq_get_used(&c->d, &used_id, &len));
	}
}

/* The longest legal chain: as many buffers as the queue size. */
TEST_F(ring, size_32768_longest_chain)
{
	struct ctx *c = &self->c;
	struct vq_buf *bufs = calloc(32769, sizeof(*bufs));
	u16 id, used_id;
	u32 i, len;
	u64 buf;

	ASSERT_NE(NULL, bufs);
	ASSERT_EQ(0, ctx_init(c, variant->layout, 32768, false, true));
	buf = buf_alloc(c, 32769, 0);
	for (i = 0; i < 32769; i++)
		bufs[i] = (struct vq_buf){ .addr = buf + i, .len = 1,
					   .write = i >= 100 };
	ASSERT_EQ(0, vq_post(&c->d, bufs, 32768, false, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(100, c->chain.nr_readable);
	EXPECT_EQ(32668, c->chain.nr_writable);
	EXPECT_EQ(32768, c->chain.nr_descs);
	EXPECT_EQ(buf + 32767, c->segs[32767].addr);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 32668));
	ASSERT_EQ(1, vq_get_used(&c->d, &used_id, &len));
	EXPECT_EQ(id, used_id);
	EXPECT_EQ(32668, len);

	ASSERT_EQ(0, vq_post(&c->d, bufs, 32768, true, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(32768, c->chain.nr_readable + c->chain.nr_writable);
	EXPECT_EQ(1, c->chain.nr_descs);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 7));
	ASSERT_EQ(1, vq_get_used(&c->d, &used_id, &len));
	EXPECT_EQ(id, used_id);
	EXPECT_EQ(7, len);

	/* One more buffer through an indirect table is too long. */
	ASSERT_EQ(0, vq_post(&c->d, bufs, 32769, true, &id));
	EXPECT_EQ(-E2BIG, iovsim_ring_get_chain(&c->r, &c->chain));
	free(bufs);
}

/* Flag-based suppression, device to driver and driver to device. */
TEST_F(ring, notify_flags)
{
	struct ctx *c = &self->c;
	u64 buf;
	u16 id;
	u32 len;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	buf = buf_alloc(c, 32, 0);

	/* Kicks: wanted by default, suppressed on request. */
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_TRUE(vq_kick_needed(&c->d));
	ASSERT_EQ(0, iovsim_ring_disable_kicks(&c->r));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_FALSE(vq_kick_needed(&c->d));
	/* Re-enabling reports the buffers posted without a kick. */
	EXPECT_EQ(1, iovsim_ring_enable_kicks(&c->r));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 1));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(0, iovsim_ring_enable_kicks(&c->r));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_TRUE(vq_kick_needed(&c->d));

	/* Interrupts: suppressed while the driver polls. */
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	vq_disable_cb(&c->d);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 2));
	EXPECT_EQ(0, iovsim_ring_need_interrupt(&c->r));
	vq_enable_cb(&c->d);
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 3));
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	EXPECT_EQ(0, iovsim_ring_need_interrupt(&c->r));
	ASSERT_EQ(1, vq_get_used(&c->d, &id, &len));
	EXPECT_EQ(1, len);
}

/* VIRTIO_F_EVENT_IDX: notify exactly when the other side's index is hit. */
TEST_F(ring, notify_event_idx)
{
	struct ctx *c = &self->c;
	struct iovsim_ring_seg segs[3][2];
	struct iovsim_ring_chain chains[3] = {};
	u64 buf;
	u16 id;
	u32 len;
	int i;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, true, false));
	buf = buf_alloc(c, 32, 0);

	/* Driver to device: one kick per crossing of avail_event. */
	ASSERT_EQ(0, iovsim_ring_enable_kicks(&c->r));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_TRUE(vq_kick_needed(&c->d));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_FALSE(vq_kick_needed(&c->d));
	ASSERT_EQ(0, iovsim_ring_disable_kicks(&c->r));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_FALSE(vq_kick_needed(&c->d));
	for (i = 0; i < 3; i++) {
		chains[i].segs = segs[i];
		chains[i].max_segs = 2;
		ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &chains[i]));
	}
	EXPECT_EQ(0, iovsim_ring_enable_kicks(&c->r));
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	EXPECT_TRUE(vq_kick_needed(&c->d));

	/* Device to driver: interrupt when used reaches used_event. */
	vq_enable_cb(&c->d);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &chains[0], 0));
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &chains[1], 0));
	EXPECT_EQ(0, iovsim_ring_need_interrupt(&c->r));
	ASSERT_EQ(1, vq_get_used(&c->d, &id, &len));
	ASSERT_EQ(1, vq_get_used(&c->d, &id, &len));
	vq_enable_cb(&c->d);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &chains[2], 0));
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	vq_disable_cb(&c->d);
}

/*
 * 65536 completions with no interrupt decision in between bring the split
 * used index back where it was: the device must still notify.
 */
TEST_F(ring, interrupt_after_long_silence)
{
	struct ctx *c = &self->c;
	u64 buf;
	u16 id;
	u32 len, i;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 4, true, false));
	buf = buf_alloc(c, 32, 0);
	vq_enable_cb(&c->d);
	for (i = 0; i < 65536; i++) {
		ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
		ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
		ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 0));
		ASSERT_EQ(1, vq_get_used(&c->d, &id, &len));
	}
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	EXPECT_EQ(0, iovsim_ring_need_interrupt(&c->r));
}

/* Hostile drivers.  Each case must give its own errno, and stick. */

static void expect_broken(struct __test_metadata *_metadata, struct ctx *c,
			  int err)
{
	EXPECT_EQ(err, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(err, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(err, iovsim_ring_need_interrupt(&c->r));
	EXPECT_EQ(err, iovsim_ring_enable_kicks(&c->r));
	EXPECT_EQ(0, c->r.in_flight);
}

/* Post @n bufs with one buffer each described by @bufs, then break it. */
static void post_or_die(struct __test_metadata *_metadata, struct ctx *c,
			const struct vq_buf *bufs, u32 n, bool indirect)
{
	u16 id;

	ASSERT_EQ(0, vq_post(&c->d, bufs, n, indirect, &id));
}

TEST_F(split, hostile_loop)
{
	struct ctx *c = &self->c;
	struct vq_buf b[3];
	u16 id;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, false));
	bufs_fill(b, 3, buf_alloc(c, 8, 0), 8);
	ASSERT_EQ(0, vq_post(&c->d, b, 3, false, &id));
	/* Last descriptor points back to the head. */
	vq_split_desc(&c->d, c->d.tails[id])->flags |= VRING_DESC_F_NEXT;
	vq_split_desc(&c->d, c->d.tails[id])->next = id;
	expect_broken(_metadata, c, -ELOOP);
}

TEST_F(split, hostile_self_loop_indirect)
{
	struct ctx *c = &self->c;
	struct vq_buf b[4];
	struct vq_split_desc *t;
	u16 id;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, true));
	bufs_fill(b, 4, buf_alloc(c, 8, 0), 8);
	ASSERT_EQ(0, vq_post(&c->d, b, 4, true, &id));
	t = vq_ptr(&c->d, vq_split_desc(&c->d, id)->addr);
	t[2].next = 1;
	expect_broken(_metadata, c, -ELOOP);
}

TEST_F(packed, hostile_chain_too_long)
{
	struct ctx *c = &self->c;
	struct vq_buf b[5];
	int i;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_PACKED, 4, false, false));
	for (i = 0; i < 5; i++)
		b[i] = (struct vq_buf){ .addr = buf_alloc(c, 8, 0), .len = 8 };
	post_or_die(_metadata, c, b, 4, false);
	/* Every descriptor of the ring continues the chain. */
	vq_packed_desc(&c->d, 3)->flags |= VRING_DESC_F_NEXT;
	expect_broken(_metadata, c, -E2BIG);
}

TEST_F(ring, hostile_indirect_too_long)
{
	struct ctx *c = &self->c;
	struct vq_buf b[9];
	int i;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
	for (i = 0; i < 9; i++)
		b[i] = (struct vq_buf){ .addr = buf_alloc(c, 8, 0), .len = 8 };
	post_or_die(_metadata, c, b, 9, true);
	expect_broken(_metadata, c, -E2BIG);
}

/*
 * An indirect table longer than the queue could be, 0xfffffff0 bytes at
 * an address inside memory: refused by its length, before its pages are
 * checked (which would cost a pin per page with the VFIO backend).
 */
TEST_F(ring, hostile_indirect_table_huge)
{
	struct ctx *c = &self->c;
	struct vq_buf b = { .addr = 4096, .len = 8 };
	u16 id;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
	ASSERT_EQ(0, vq_post(&c->d, &b, 1, true, &id));
	if (variant->layout == IOVSIM_RING_SPLIT)
		vq_split_desc(&c->d, id)->len = 0xfffffff0;
	else
		vq_packed_desc(&c->d, 0)->len = 0xfffffff0;
	expect_broken(_metadata, c, -E2BIG);
}

TEST_F(ring, hostile_nested_indirect)
{
	struct ctx *c = &self->c;
	struct vq_buf b[2];
	u16 id;
	u64 table;
	struct vq_split_desc *st;
	struct vq_packed_desc *pt;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
	bufs_fill(b, 2, buf_alloc(c, 16, 0), 16);
	ASSERT_EQ(0, vq_post(&c->d, b, 2, true, &id));
	/* Entry 1 of the table points to the table itself. */
	if (variant->layout == IOVSIM_RING_SPLIT) {
		table = vq_split_desc(&c->d, id)->addr;
		st = vq_ptr(&c->d, table);
		st[1] = (struct vq_split_desc){ .addr = table, .len = 32,
			.flags = VRING_DESC_F_INDIRECT };
	} else {
		table = vq_packed_desc(&c->d, 0)->addr;
		pt = vq_ptr(&c->d, table);
		pt[1] = (struct vq_packed_desc){ .addr = table, .len = 32,
			.flags = VRING_DESC_F_INDIRECT };
	}
	expect_broken(_metadata, c, -EMLINK);
}

/* Indirect descriptors: not negotiated, bad length, or with NEXT. */
TEST_F(ring, hostile_bad_indirect)
{
	struct ctx *c = &self->c;
	struct vq_buf b[2];
	u16 id;
	int kind;

	for (kind = 0; kind < 4; kind++) {
		ctx_destroy(c);
		ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, kind != 0));
		bufs_fill(b, 2, buf_alloc(c, 16, 0), 16);
		ASSERT_EQ(0, vq_post(&c->d, b, 2, true, &id));
		if (variant->layout == IOVSIM_RING_SPLIT) {
			struct vq_split_desc *d = vq_split_desc(&c->d, id);

			if (kind == 1)
				d->len = 24;
			if (kind == 2)
				d->len = 0;
			if (kind == 3)
				d->flags |= VRING_DESC_F_NEXT;
		} else {
			struct vq_packed_desc *d = vq_packed_desc(&c->d, 0);

			if (kind == 1)
				d->len = 24;
			if (kind == 2)
				d->len = 0;
			if (kind == 3)
				d->flags |= VRING_DESC_F_NEXT;
		}
		expect_broken(_metadata, c, -EBADMSG);
	}
}

/* A buffer's length, address and direction, broken one at a time. */
static void post_bad_buf(struct __test_metadata *_metadata, struct ctx *c,
			 u64 addr, u32 len, bool indirect, int err)
{
	struct vq_buf b[3];

	b[0] = (struct vq_buf){ .addr = buf_alloc(c, 8, 0), .len = 8 };
	b[1] = (struct vq_buf){ .addr = addr, .len = len, .write = true };
	b[2] = (struct vq_buf){ .addr = buf_alloc(c, 8, 0), .len = 8,
				.write = true };
	post_or_die(_metadata, c, b, 3, indirect);
	expect_broken(_metadata, c, err);
}

TEST_F(ring, hostile_buffers)
{
	struct ctx *c = &self->c;
	static const struct {
		u64 addr;
		u32 len;
		int err;
	} cases[] = {
		{ 4096, 0, -ENODATA },
		{ UINT64_MAX - 10, 100, -EOVERFLOW },
		{ MEM_SIZE + 4096, 8, -EFAULT },
		{ MEM_SIZE - 10, 100, -EFAULT },
		{ MEM_SIZE - 10, 10, 0 },
	};
	unsigned int i, indirect;

	for (indirect = 0; indirect < 2; indirect++) {
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			ctx_destroy(c);
			ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
			if (!cases[i].err) {
				struct vq_buf b = { .addr = cases[i].addr,
						    .len = cases[i].len };
				post_or_die(_metadata, c, &b, 1, indirect);
				EXPECT_EQ(1, iovsim_ring_get_chain(&c->r,
								   &c->chain));
				continue;
			}
			post_bad_buf(_metadata, c, cases[i].addr, cases[i].len,
				     indirect, cases[i].err);
		}
	}
}

TEST_F(ring, hostile_indirect_table_outside_memory)
{
	struct ctx *c = &self->c;
	struct vq_buf b = { .addr = 4096, .len = 8 };
	u16 id;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
	ASSERT_EQ(0, vq_post(&c->d, &b, 1, true, &id));
	if (variant->layout == IOVSIM_RING_SPLIT)
		vq_split_desc(&c->d, id)->addr = MEM_SIZE - 8;
	else
		vq_packed_desc(&c->d, 0)->addr = MEM_SIZE - 8;
	expect_broken(_metadata, c, -EFAULT);
}

TEST_F(ring, hostile_readable_after_writable)
{
	struct ctx *c = &self->c;
	struct vq_buf b[3];
	unsigned int indirect;

	for (indirect = 0; indirect < 2; indirect++) {
		ctx_destroy(c);
		ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, true));
		b[0] = (struct vq_buf){ .addr = buf_alloc(c, 8, 0), .len = 8 };
		b[1] = (struct vq_buf){ .addr = b[0].addr, .len = 8,
					.write = true };
		b[2] = b[0];
		post_or_die(_metadata, c, b, 3, indirect);
		expect_broken(_metadata, c, -EPROTO);
	}
}

TEST_F(split, hostile_avail_idx_jump)
{
	struct ctx *c = &self->c;
	u16 jumps[] = { 9, 0xffff, 0x8000 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		ctx_destroy(c);
		ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, false));
		*vq_avail_idx(&c->d) = jumps[i];
		expect_broken(_metadata, c, -ERANGE);
	}
	/* Exactly a queue's worth is legal (the entries are zero: head 0). */
	ctx_destroy(c);
	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, false));
	*vq_avail_idx(&c->d) = 8;
	vq_split_desc(&c->d, 0)->addr = 4096;
	vq_split_desc(&c->d, 0)->len = 8;
	vq_split_desc(&c->d, 0)->flags = 0;
	EXPECT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
}

TEST_F(split, hostile_index_out_of_range)
{
	struct ctx *c = &self->c;
	struct vq_buf b[2];
	u16 id;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, false));
	bufs_fill(b, 2, 4096, 8);
	ASSERT_EQ(0, vq_post(&c->d, b, 2, false, &id));
	*vq_avail_ring(&c->d, 0) = 8;
	expect_broken(_metadata, c, -EDOM);

	ctx_destroy(c);
	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, false, false));
	ASSERT_EQ(0, vq_post(&c->d, b, 2, false, &id));
	vq_split_desc(&c->d, id)->next = 0xffff;
	expect_broken(_metadata, c, -EDOM);
}

TEST_F(packed, hostile_chain_not_available)
{
	struct ctx *c = &self->c;
	struct vq_buf b[2];

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_PACKED, 8, false, false));
	bufs_fill(b, 2, 4096, 8);
	post_or_die(_metadata, c, b, 2, false);
	/* The second descriptor still looks used from the last lap. */
	vq_packed_desc(&c->d, 1)->flags ^= (1u << VRING_PACKED_DESC_F_AVAIL);
	expect_broken(_metadata, c, -EILSEQ);
}

/* Too small a segment array is the device's problem: retry works. */
TEST_F(ring, segment_array_too_small)
{
	struct ctx *c = &self->c;
	struct vq_buf b[5];
	int i;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	for (i = 0; i < 5; i++)
		b[i] = (struct vq_buf){ .addr = 4096 + 8 * i, .len = 8 };
	post_or_die(_metadata, c, b, 5, false);
	c->chain.max_segs = 4;
	EXPECT_EQ(-ENOBUFS, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(-ENOBUFS, iovsim_ring_get_chain(&c->r, &c->chain));
	c->chain.max_segs = 5;
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(5, c->chain.nr_readable);
	EXPECT_EQ(4096 + 32, c->segs[4].addr);
}

/*
 * A chain longer than the device's max_len breaks the ring before any of
 * its buffers is checked (a 4 GiB buffer would cost a pin per page);
 * one exactly max_len long is fetched.
 */
TEST_F(ring, chain_longer_than_max_len)
{
	struct ctx *c = &self->c;
	struct vq_buf b[2];
	u16 id;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	b[0] = (struct vq_buf){ .addr = 4096, .len = 8 };
	b[1] = (struct vq_buf){ .addr = 4096 + 8, .len = 24, .write = true };
	c->chain.max_len = 32;
	ASSERT_EQ(0, vq_post(&c->d, b, 2, false, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(32, c->chain.readable_len + c->chain.writable_len);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 0));

	/* The second buffer would be unmapped too: -EFBIG comes first. */
	b[1].len = 0xffffffff;
	post_or_die(_metadata, c, b, 2, false);
	expect_broken(_metadata, c, -EFBIG);
}

/* Completions that match no fetched chain are refused. */
TEST_F(ring, completion_misuse)
{
	struct ctx *c = &self->c;
	u16 id;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	EXPECT_EQ(-EINVAL, iovsim_ring_complete(&c->r, &c->chain, 0));
	ASSERT_EQ(0, post_pair(c, 4096, 8192, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	EXPECT_EQ(-EINVAL, iovsim_ring_complete(&c->r, &c->chain, 17));
	EXPECT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 16));
	EXPECT_EQ(-EINVAL, iovsim_ring_complete(&c->r, &c->chain, 0));
}

/* Ring set-up: sizes, alignment, areas outside the driver's memory. */
TEST_F(ring, config_checks)
{
	struct ctx *c = &self->c;
	struct iovsim_ring_config cfg;
	struct iovsim_ring r;

	ASSERT_EQ(0, ctx_init(c, variant->layout, 8, false, false));
	cfg = c->d.cfg;
	EXPECT_EQ(0, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg.size = 0;
	EXPECT_EQ(-EINVAL, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg.size = 32769;
	EXPECT_EQ(-EINVAL, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg.size = 3;
	EXPECT_EQ(variant->layout == IOVSIM_RING_SPLIT ? -EINVAL : 0,
		  iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg = c->d.cfg;
	cfg.desc_addr += 8;
	EXPECT_EQ(-EINVAL, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg = c->d.cfg;
	cfg.device_addr += 2;
	EXPECT_EQ(-EINVAL, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg = c->d.cfg;
	cfg.device_addr = MEM_SIZE - 8;
	EXPECT_EQ(variant->layout == IOVSIM_RING_SPLIT ? -EFAULT : 0,
		  iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg = c->d.cfg;
	cfg.desc_addr = MEM_SIZE - 64;
	EXPECT_EQ(-EFAULT, iovsim_ring_init(&r, &c->d.dma, &cfg));
	cfg.desc_addr = UINT64_MAX - 15;
	EXPECT_EQ(-EOVERFLOW, iovsim_ring_init(&r, &c->d.dma, &cfg));
}

/* The DMA layer on its own: every range is checked. */
TEST(dma_bounds)
{
	static u8 mem[8192];
	struct iovsim_dma dma;
	u8 buf[64];
	u16 v;

	iovsim_dma_init_mem(&dma, mem, sizeof(mem));
	memset(buf, 0xab, sizeof(buf));
	EXPECT_EQ(0, iovsim_dma_write(&dma, 8192 - 64, buf, 64));
	EXPECT_EQ(0xab, mem[8191]);
	EXPECT_EQ(-EFAULT, iovsim_dma_write(&dma, 8192 - 63, buf, 64));
	EXPECT_EQ(-EFAULT, iovsim_dma_read(&dma, buf, 8192, 1));
	EXPECT_EQ(-EOVERFLOW, iovsim_dma_read(&dma, buf, UINT64_MAX, 2));
	EXPECT_EQ(0, iovsim_dma_read(&dma, buf, UINT64_MAX, 0));
	EXPECT_EQ(0, iovsim_dma_copy(&dma, 0, 8192 - 64, 64));
	EXPECT_EQ(0xab, mem[63]);
	EXPECT_EQ(-EFAULT, iovsim_dma_copy(&dma, 8192 - 32, 0, 64));
	EXPECT_EQ(-EFAULT, iovsim_dma_copy(&dma, 0, 8192 - 32, 64));
	EXPECT_EQ(0, iovsim_dma_check(&dma, 0, 8192));
	EXPECT_EQ(-EFAULT, iovsim_dma_check(&dma, 1, 8192));
	EXPECT_EQ(-EOVERFLOW, iovsim_dma_check(&dma, 2, UINT64_MAX));
	EXPECT_EQ(0, iovsim_dma_write_le16(&dma, 100, 0x1234));
	EXPECT_EQ(0x34, mem[100]);
	EXPECT_EQ(0x12, mem[101]);
	EXPECT_EQ(0, iovsim_dma_read_le16(&dma, 100, &v));
	EXPECT_EQ(0x1234, v);
	EXPECT_EQ(-EINVAL, iovsim_dma_read_le16(&dma, 101, &v));
	EXPECT_EQ(-EFAULT, iovsim_dma_read_le16(&dma, 8192, &v));
	EXPECT_EQ(-EOVERFLOW, iovsim_dma_write_le16(&dma, UINT64_MAX - 1, 1));
}

/*
 * A backend that maps only the first half of its memory and reaches the
 * second half through @rw, as the VFIO backend does with pages it cannot
 * pin: the common helpers must fall back to @rw for exactly those pieces.
 */
#define RW_MEM_SIZE	8192
#define RW_MAPPED	4096

static u8 rw_mem[RW_MEM_SIZE];
static unsigned int rw_calls;

static int rw_test_map(const struct iovsim_dma *dma, u64 addr, size_t len,
		       void **ptr, size_t *mapped)
{
	if (addr >= RW_MEM_SIZE)
		return -EFAULT;
	if (addr >= RW_MAPPED)
		return -EOPNOTSUPP;
	*ptr = rw_mem + addr;
	*mapped = len < RW_MAPPED - addr ? len : RW_MAPPED - addr;
	return 0;
}

static int rw_test_check(const struct iovsim_dma *dma, u64 addr, u64 len)
{
	return addr >= RW_MEM_SIZE || len > RW_MEM_SIZE - addr ? -EFAULT : 0;
}

static int rw_test_rw(const struct iovsim_dma *dma, u64 addr, void *buf,
		      size_t len, bool write)
{
	rw_calls++;
	if (rw_test_check(dma, addr, len))
		return -EFAULT;
	if (write)
		memcpy(rw_mem + addr, buf, len);
	else
		memcpy(buf, rw_mem + addr, len);
	return 0;
}

static unsigned int rw16_calls;

/* One aligned 2-byte access, as a backend's @rw16 must do it. */
static int rw_test_rw16(const struct iovsim_dma *dma, u64 addr, __le16 *val,
			bool write)
{
	rw16_calls++;
	if (addr & 1 || rw_test_check(dma, addr, 2))
		return -EFAULT;
	if (write)
		__atomic_store_n((__le16 *)(rw_mem + addr), *val,
				 __ATOMIC_RELAXED);
	else
		*val = __atomic_load_n((__le16 *)(rw_mem + addr),
				       __ATOMIC_RELAXED);
	return 0;
}

TEST(dma_rw_fallback)
{
	struct iovsim_dma_ops ops = {
		.map = rw_test_map,
		.check = rw_test_check,
		.rw = rw_test_rw,
	};
	struct iovsim_dma dma = { .ops = &ops };
	u8 buf[1000], want[1000];
	unsigned int i;
	u16 v;

	for (i = 0; i < RW_MEM_SIZE; i++)
		rw_mem[i] = (u8)(i * 7 + (i >> 8));

	/* Straddling the boundary: map for the first piece, @rw after. */
	rw_calls = 0;
	memcpy(want, rw_mem + RW_MAPPED - 100, sizeof(want));
	EXPECT_EQ(0, iovsim_dma_read(&dma, buf, RW_MAPPED - 100, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, want, sizeof(buf)));
	EXPECT_EQ(1, rw_calls);

	memset(buf, 0x5c, sizeof(buf));
	EXPECT_EQ(0, iovsim_dma_write(&dma, RW_MAPPED - 10, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(rw_mem + RW_MAPPED - 10, buf, sizeof(buf)));
	EXPECT_EQ(2, rw_calls);

	/* Copies in both directions and within the @rw half, bounced. */
	memcpy(want, rw_mem + 100, sizeof(want));
	EXPECT_EQ(0, iovsim_dma_copy(&dma, RW_MAPPED + 500, 100, sizeof(want)));
	EXPECT_EQ(0, memcmp(rw_mem + RW_MAPPED + 500, want, sizeof(want)));
	memcpy(want, rw_mem + RW_MAPPED + 2000, sizeof(want));
	EXPECT_EQ(0, iovsim_dma_copy(&dma, 7, RW_MAPPED + 2000, sizeof(want)));
	EXPECT_EQ(0, memcmp(rw_mem + 7, want, sizeof(want)));
	memcpy(want, rw_mem + RW_MAPPED + 3000, sizeof(want));
	EXPECT_EQ(0, iovsim_dma_copy(&dma, RW_MAPPED + 1, RW_MAPPED + 3000,
				     sizeof(want)));
	EXPECT_EQ(0, memcmp(rw_mem + RW_MAPPED + 1, want, sizeof(want)));

	/* Without @rw16 an index @map refuses is never copied by @rw. */
	i = rw_calls;
	rw_mem[RW_MAPPED + 8] = 0x12;
	rw_mem[RW_MAPPED + 9] = 0x34;
	EXPECT_EQ(-EFAULT, iovsim_dma_write_le16(&dma, RW_MAPPED + 8, 0xbeef));
	EXPECT_EQ(0x12, rw_mem[RW_MAPPED + 8]);
	EXPECT_EQ(0x34, rw_mem[RW_MAPPED + 9]);
	EXPECT_EQ(-EFAULT, iovsim_dma_read_le16(&dma, RW_MAPPED + 8, &v));
	EXPECT_EQ(i, rw_calls);

	ops.rw16 = rw_test_rw16;
	EXPECT_EQ(0, iovsim_dma_write_le16(&dma, RW_MAPPED + 8, 0xbeef));
	EXPECT_EQ(0xef, rw_mem[RW_MAPPED + 8]);
	EXPECT_EQ(0xbe, rw_mem[RW_MAPPED + 9]);
	EXPECT_EQ(0, iovsim_dma_read_le16(&dma, RW_MAPPED + 8, &v));
	EXPECT_EQ(0xbeef, v);
	EXPECT_EQ(2, rw16_calls);
	EXPECT_EQ(i, rw_calls);

	/* Bounds still hold, and nothing is written past them. */
	memcpy(want, rw_mem + RW_MEM_SIZE - 16, 16);
	EXPECT_EQ(-EFAULT, iovsim_dma_write(&dma, RW_MEM_SIZE - 16, buf, 17));
	EXPECT_EQ(0, memcmp(rw_mem + RW_MEM_SIZE - 16, want, 16));
	EXPECT_EQ(-EFAULT, iovsim_dma_read(&dma, buf, RW_MEM_SIZE, 1));
	EXPECT_EQ(-EFAULT, iovsim_dma_copy(&dma, 0, RW_MEM_SIZE - 8, 16));
	EXPECT_EQ(-EFAULT, iovsim_dma_read_le16(&dma, RW_MEM_SIZE, &v));
	EXPECT_EQ(0, iovsim_dma_check(&dma, 0, RW_MEM_SIZE));
	EXPECT_EQ(-EFAULT, iovsim_dma_check(&dma, 1, RW_MEM_SIZE));

	/* Without @rw, a range the backend cannot map is unusable. */
	ops.rw = NULL;
	ops.rw16 = NULL;
	EXPECT_EQ(-EFAULT, iovsim_dma_read(&dma, buf, RW_MAPPED, 1));
	EXPECT_EQ(-EFAULT, iovsim_dma_write_le16(&dma, RW_MAPPED, 1));
	EXPECT_EQ(-EFAULT, iovsim_dma_copy(&dma, 0, RW_MAPPED, 8));
	EXPECT_EQ(0, iovsim_dma_read(&dma, buf, RW_MAPPED - sizeof(buf),
				     sizeof(buf)));
}

/*
 * Barrier order.  The shim counts the library's barriers (the Makefile
 * builds this program with IOVSIM_SHIM_COUNT_BARRIERS), and a backend that
 * forwards to the driver's arena logs each access with the counts at that
 * moment: a barrier between two accesses shows as a count that grew.
 */
unsigned long iovsim_shim_barriers[IOVSIM_SHIM_NR_BARRIERS];

#define TRACE_MAX	64

static const struct iovsim_dma *trace_inner;
static unsigned int trace_n;
static u64 trace_addr[TRACE_MAX];
static unsigned long trace_mbs[TRACE_MAX], trace_rmbs[TRACE_MAX];

static int trace_map(const struct iovsim_dma *dma, u64 addr, size_t len,
		     void **ptr, size_t *mapped)
{
	if (trace_n < TRACE_MAX) {
		trace_addr[trace_n] = addr;
		trace_mbs[trace_n] = iovsim_shim_barriers[IOVSIM_SHIM_MB];
		trace_rmbs[trace_n] = iovsim_shim_barriers[IOVSIM_SHIM_RMB];
		trace_n++;
	}
	return trace_inner->ops->map(trace_inner, addr, len, ptr, mapped);
}

static int trace_check(const struct iovsim_dma *dma, u64 addr, u64 len)
{
	return trace_inner->ops->check(trace_inner, addr, len);
}

static const struct iovsim_dma_ops trace_ops = {
	.map = trace_map,
	.check = trace_check,
};

static struct iovsim_dma trace_dma = { .ops = &trace_ops };

/* Put the ring of @c behind the tracing backend (before any use). */
static int trace_ring(struct ctx *c)
{
	trace_inner = &c->d.dma;
	trace_n = 0;
	return iovsim_ring_init(&c->r, &trace_dma, &c->d.cfg);
}

/* Index of the last logged access at @addr, or -1. */
static int trace_find(u64 addr)
{
	int i;

	for (i = trace_n - 1; i >= 0; i--)
		if (trace_addr[i] == addr)
			return i;
	return -1;
}

/*
 * VIRTIO 1.2 section 2.8.21: the device reads the driver event
 * suppression flags, then off_wrap, with a read barrier between, or it
 * may act on an off_wrap older than the flags that told it to look.
 */
TEST_F(packed, event_flags_then_off_wrap)
{
	struct ctx *c = &self->c;
	int flags, off_wrap;
	u64 buf;
	u16 id;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_PACKED, 8, true, false));
	ASSERT_EQ(0, trace_ring(c));
	buf = buf_alloc(c, 32, 0);
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	vq_enable_cb(&c->d);
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 0));

	trace_n = 0;
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	flags = trace_find(c->d.cfg.driver_addr + 2);
	off_wrap = trace_find(c->d.cfg.driver_addr);
	ASSERT_LE(0, flags);
	ASSERT_LT(flags, off_wrap);
	EXPECT_LT(trace_mbs[flags] + trace_rmbs[flags],
		  trace_mbs[off_wrap] + trace_rmbs[off_wrap]);
}

/*
 * The split ring's event index: used->idx is stored, then used_event
 * read, with a full barrier between (section 2.7.10); used_event is the
 * only field read, so no load needs ordering against another.
 */
TEST_F(split, used_idx_then_used_event)
{
	struct ctx *c = &self->c;
	int idx, event;
	u64 buf;
	u16 id;

	ASSERT_EQ(0, ctx_init(c, IOVSIM_RING_SPLIT, 8, true, false));
	ASSERT_EQ(0, trace_ring(c));
	buf = buf_alloc(c, 32, 0);
	ASSERT_EQ(0, post_pair(c, buf, buf + 16, &id));
	ASSERT_EQ(1, iovsim_ring_get_chain(&c->r, &c->chain));
	vq_enable_cb(&c->d);

	trace_n = 0;
	ASSERT_EQ(0, iovsim_ring_complete(&c->r, &c->chain, 0));
	EXPECT_EQ(1, iovsim_ring_need_interrupt(&c->r));
	idx = trace_find(c->d.cfg.device_addr + 2);
	event = trace_find(c->d.cfg.driver_addr + 4 + 8 * 2);
	ASSERT_LE(0, idx);
	ASSERT_LT(idx, event);
	EXPECT_LT(trace_mbs[idx], trace_mbs[event]);
	/* The avail flags are not read with VIRTIO_F_EVENT_IDX. */
	EXPECT_EQ(-1, trace_find(c->d.cfg.driver_addr));
}

/*
 * The in-host backend's page walk (dma_pages.c), on made-up System RAM
 * ranges: frames 1-19 (two adjacent ranges), 30-39 and 50, with frame 35
 * refused by the backend's page test (as a PageReserved page is).
 */
#define PG		4096ull
#define WALK_REFUSED	35

static const struct iovsim_pfn_range walk_ranges[] = {
	{ 1, 10 }, { 10, 20 }, { 30, 40 }, { 50, 51 },
};

struct walk_log {
	unsigned int n;
	unsigned long pfn[64];
	size_t offset[64], len[64];
};

static int walk_page(unsigned long pfn, size_t offset, size_t len, void *arg)
{
	struct walk_log *log = arg;

	if (pfn == WALK_REFUSED)
		return -EFAULT;
	if (log->n < 64) {
		log->pfn[log->n] = pfn;
		log->offset[log->n] = offset;
		log->len[log->n] = len;
	}
	log->n++;
	return 0;
}

static int walk(struct walk_log *log, u64 addr, u64 len)
{
	memset(log, 0, sizeof(*log));
	return iovsim_pages_walk(walk_ranges, 4, addr, len, walk_page, log);
}

TEST(host_page_walk)
{
	struct walk_log log;

	/* Across two adjacent ranges: each page once, in order, in pieces. */
	ASSERT_EQ(0, walk(&log, 9 * PG + 100, 2 * PG));
	ASSERT_EQ(3, log.n);
	EXPECT_EQ(9, log.pfn[0]);
	EXPECT_EQ(100, log.offset[0]);
	EXPECT_EQ(PG - 100, log.len[0]);
	EXPECT_EQ(10, log.pfn[1]);
	EXPECT_EQ(0, log.offset[1]);
	EXPECT_EQ(PG, log.len[1]);
	EXPECT_EQ(11, log.pfn[2]);
	EXPECT_EQ(100, log.len[2]);
	EXPECT_EQ(0, walk(&log, PG, 19 * PG));
	EXPECT_EQ(19, log.n);

	/* A hole in the middle refuses the range, though both ends are RAM. */
	EXPECT_EQ(-EFAULT, walk(&log, 19 * PG, 12 * PG));
	EXPECT_EQ(1, log.n);
	EXPECT_EQ(-EFAULT, walk(&log, 5 * PG + 1, 30 * PG));
	/* So does a refused page in the middle. */
	EXPECT_EQ(-EFAULT, walk(&log, 33 * PG + 8, 4 * PG));
	EXPECT_EQ(2, log.n);
	EXPECT_EQ(0, walk(&log, 36 * PG, 4 * PG));

	/* The ends: first and last byte of each range. */
	EXPECT_EQ(-EFAULT, walk(&log, 0, 16));
	EXPECT_EQ(-EFAULT, walk(&log, PG - 1, 2));
	EXPECT_EQ(0, walk(&log, PG, 1));
	EXPECT_EQ(0, walk(&log, 39 * PG, PG));
	EXPECT_EQ(-EFAULT, walk(&log, 39 * PG, PG + 1));
	EXPECT_EQ(-EFAULT, walk(&log, 20 * PG - 1, 2));
	EXPECT_EQ(0, walk(&log, 50 * PG, PG));
	EXPECT_EQ(-EFAULT, walk(&log, 49 * PG + PG - 2, 4));
	EXPECT_EQ(-EFAULT, walk(&log, UINT64_MAX - PG, PG));

	EXPECT_EQ(NULL, iovsim_pfn_range_find(walk_ranges, 4, 0));
	EXPECT_EQ(&walk_ranges[1], iovsim_pfn_range_find(walk_ranges, 4, 19));
	EXPECT_EQ(NULL, iovsim_pfn_range_find(walk_ranges, 4, 20));
	EXPECT_EQ(&walk_ranges[2], iovsim_pfn_range_find(walk_ranges, 4, 30));
	EXPECT_EQ(NULL, iovsim_pfn_range_find(walk_ranges, 4, 40));
	EXPECT_EQ(&walk_ranges[3], iovsim_pfn_range_find(walk_ranges, 4, 50));
	EXPECT_EQ(NULL, iovsim_pfn_range_find(walk_ranges, 4, 51));
	EXPECT_EQ(NULL, iovsim_pfn_range_find(walk_ranges, 0, 5));
}

TEST_HARNESS_MAIN
