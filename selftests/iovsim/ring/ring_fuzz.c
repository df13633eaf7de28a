// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for iovsim_ring: arbitrary driver memory, an arbitrary
 * sequence of device operations, both layouts.  Any crash, sanitizer
 * report, hang or broken invariant is a bug; driver errors are not.
 *
 * Input: byte 0 features and layout, byte 1 queue size, bytes 2..65 one
 * operation each, the rest the initial contents of driver memory, where
 * the descriptor area starts at 0, the driver area at 4 KiB, the device
 * area at 8 KiB and 12 KiB..16 KiB is room for buffers.
 * IOVSIM_FUZZ_LAYOUT=split or =packed pins the layout.
 *
 * The Makefile defines IOVSIM_FUZZ_INIT and IOVSIM_FUZZ_ONE_INPUT as
 * libFuzzer's fixed entry-point names (LLVMFuzzer...), which are not
 * kernel style.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <iovsim/dma.h>
#include <iovsim/ring.h>

#define MEM_SIZE	16384
#define DESC_ADDR	0
#define DRIVER_ADDR	4096
#define DEVICE_ADDR	8192
#define HEADER		2
#define NR_OPS		64
#define MAX_HELD	8

static int pinned_layout = -1;

static const u32 split_sizes[8] = { 1, 2, 4, 8, 16, 32, 64, 256 };
static const u32 packed_sizes[8] = { 1, 3, 4, 7, 16, 33, 64, 256 };

struct held_chain {
	struct iovsim_ring_chain chain;
	struct iovsim_ring_seg segs[256];
};

static u8 mem[MEM_SIZE];
static struct held_chain held[MAX_HELD];
static bool busy[MAX_HELD];

int IOVSIM_FUZZ_INIT(int *argc, char ***argv)
{
	const char *layout = getenv("IOVSIM_FUZZ_LAYOUT");

	if (layout && !strcmp(layout, "split"))
		pinned_layout = IOVSIM_RING_SPLIT;
	else if (layout && !strcmp(layout, "packed"))
		pinned_layout = IOVSIM_RING_PACKED;
	return 0;
}

/* What iovsim_ring_get_chain() promises about a chain it returns. */
static void check_chain(const struct iovsim_ring *ring,
			const struct iovsim_ring_chain *chain)
{
	u64 readable = 0, writable = 0;
	u32 i, nr = chain->nr_readable + chain->nr_writable;

	if (!nr || nr > ring->cfg.size || nr > chain->max_segs)
		abort();
	if (!chain->nr_descs || chain->nr_descs > ring->cfg.size)
		abort();
	for (i = 0; i < nr; i++) {
		const struct iovsim_ring_seg *seg = &chain->segs[i];

		if (!seg->len || seg->addr >= MEM_SIZE ||
		    seg->len > MEM_SIZE - seg->addr)
			abort();
		if (i < chain->nr_readable)
			readable += seg->len;
		else
			writable += seg->len;
	}
	if (readable != chain->readable_len || writable != chain->writable_len)
		abort();
}

/* Touch every byte of the chain, the way a device model would. */
static u32 use_chain(const struct iovsim_ring *ring,
		     const struct iovsim_ring_chain *chain, u8 op)
{
	u8 buf[MEM_SIZE];
	size_t n;

	n = chain->readable_len < sizeof(buf) ? chain->readable_len : sizeof(buf);
	if (iovsim_ring_chain_read(ring, chain, 0, buf, n))
		abort();
	n = chain->writable_len < sizeof(buf) ? chain->writable_len : sizeof(buf);
	n = op & 1 ? n : n / 2;
	if (iovsim_ring_chain_write(ring, chain, 0, buf, n))
		abort();
	return n;
}

int IOVSIM_FUZZ_ONE_INPUT(const u8 *data, size_t size)
{
	struct iovsim_ring_config cfg = {
		.desc_addr = DESC_ADDR,
		.driver_addr = DRIVER_ADDR,
		.device_addr = DEVICE_ADDR,
	};
	const u8 *ops;
	struct iovsim_ring ring;
	struct iovsim_dma dma;
	unsigned int i, slot;
	u32 written;
	int ret;

	if (size < HEADER + NR_OPS)
		return -1;
	cfg.layout = data[0] & 1 ? IOVSIM_RING_PACKED : IOVSIM_RING_SPLIT;
	if (pinned_layout >= 0)
		cfg.layout = pinned_layout;
	cfg.event_idx = data[0] & 2;
	cfg.indirect = data[0] & 4;
	cfg.size = cfg.layout == IOVSIM_RING_SPLIT ? split_sizes[data[1] & 7] :
						     packed_sizes[data[1] & 7];
	ops = data + HEADER;
	data += HEADER + NR_OPS;
	size -= HEADER + NR_OPS;

	memset(mem, 0, sizeof(mem));
	memcpy(mem, data, size < MEM_SIZE ? size : MEM_SIZE);
	iovsim_dma_init_mem(&dma, mem, sizeof(mem));
	if (iovsim_ring_init(&ring, &dma, &cfg))
		abort();
	for (i = 0; i < MAX_HELD; i++) {
		held[i].chain.segs = held[i].segs;
		held[i].chain.max_segs = 256;
		busy[i] = false;
	}

	for (i = 0; i < NR_OPS; i++) {
		switch (ops[i] >> 5) {
		case 0: /* fetch a chain into a free slot and hold it */
		case 1:
			for (slot = 0; slot < MAX_HELD && busy[slot]; slot++)
				;
			if (slot == MAX_HELD)
				break;
			ret = iovsim_ring_get_chain(&ring, &held[slot].chain);
			if (ret < 0)
				return 0;
			if (ret > 0) {
				check_chain(&ring, &held[slot].chain);
				busy[slot] = true;
			}
			break;
		case 2: /* use and complete the held chain the op names */
		case 3:
			slot = ops[i] % MAX_HELD;
			if (!busy[slot])
				break;
			written = use_chain(&ring, &held[slot].chain, ops[i]);
			/* Ring areas were checked at init: this cannot fail. */
			if (iovsim_ring_complete(&ring, &held[slot].chain,
						 written))
				abort();
			busy[slot] = false;
			break;
		case 4:
			if (iovsim_ring_need_interrupt(&ring) < 0)
				abort();
			break;
		case 5:
			if (iovsim_ring_enable_kicks(&ring) < 0)
				return 0;
			break;
		case 6:
			if (iovsim_ring_disable_kicks(&ring) < 0)
				return 0;
			break;
		default: /* the driver scribbles on its ring meanwhile */
			mem[(ops[i] * 131u + i * 4099u) % 12288] ^= ops[i];
			break;
		}
	}
	return 0;
}
