// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seed inputs for ring_fuzz: well-formed queues posted by the reference
 * driver, in the input format ring_fuzz.c describes, so that fuzzing
 * starts from valid chains (direct and indirect, both layouts) and
 * mutates them rather than having to discover the format.
 *
 *   ring_fuzz_seeds DIR     write the seeds into DIR
 */
#include <stdio.h>
#include <string.h>

#include "vq_driver.h"

/* Must match ring_fuzz.c. */
#define MEM_SIZE	16384
#define HEADER		2
#define NR_OPS		64
#define HEAP_START	12288

static int write_seed(const char *dir, int n, const struct vq_driver *d,
		      u8 features, u8 size_sel)
{
	/* fetch x3, complete slots 0-2, interrupt, kicks on, kicks off */
	static const u8 script[] = {
		0x00, 0x00, 0x00, 0x40, 0x42, 0x41, 0x80, 0xa0, 0xc0,
	};
	u8 ops[NR_OPS];
	char path[4096];
	FILE *f;
	int i;

	for (i = 0; i < NR_OPS; i++)
		ops[i] = script[i % sizeof(script)];
	snprintf(path, sizeof(path), "%s/seed-%02d", dir, n);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputc(features, f);
	fputc(size_sel, f);
	fwrite(ops, 1, sizeof(ops), f);
	fwrite(d->mem, 1, MEM_SIZE, f);
	return fclose(f);
}

int main(int argc, char **argv)
{
	/* Size selectors 2 and 3: 4 and 8 for split, 4 and 7 for packed. */
	static const u32 sizes[2][2] = { { 4, 8 }, { 4, 7 } };
	struct iovsim_ring_config cfg = {
		.desc_addr = 0,
		.driver_addr = 4096,
		.device_addr = 8192,
	};
	struct vq_buf bufs[3] = {
		{ .addr = HEAP_START - 512, .len = 100 },
		{ .addr = HEAP_START - 256, .len = 50, .write = true },
		{ .addr = HEAP_START - 128, .len = 60, .write = true },
	};
	struct vq_driver d;
	int layout, features, sel, n = 0;
	u16 id;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (layout = 0; layout < 2; layout++) {
		for (features = 0; features < 8; features += 2) {
			for (sel = 0; sel < 2; sel++) {
				cfg.layout = layout ? IOVSIM_RING_PACKED :
						      IOVSIM_RING_SPLIT;
				cfg.size = sizes[layout][sel];
				cfg.event_idx = features & 2;
				cfg.indirect = features & 4;
				if (vq_driver_init_at(&d, &cfg, MEM_SIZE,
						      HEAP_START))
					return 1;
				vq_post(&d, bufs, 3, false, &id);
				vq_post(&d, bufs, 1, cfg.indirect, &id);
				vq_post(&d, bufs + 1, 2, cfg.indirect, &id);
				if (write_seed(argv[1], n++, &d,
					       features | layout, 2 + sel))
					return 1;
				vq_driver_destroy(&d);
			}
		}
	}
	return 0;
}
