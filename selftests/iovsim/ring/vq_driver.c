// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver-side reference virtqueues for the iovsim_ring tests.  Written
 * from the VIRTIO 1.2 driver requirements (sections 2.7.13 and 2.8.21),
 * not from the device code it checks.  A little-endian host is assumed,
 * so ring fields are plain integers.
 */
#include <assert.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bits.h>
#include <linux/virtio_ring.h>

#include "vq_driver.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "the reference driver assumes a little-endian host");

#define PACKED_F_AVAIL	BIT(VRING_PACKED_DESC_F_AVAIL)
#define PACKED_F_USED	BIT(VRING_PACKED_DESC_F_USED)
#define PACKED_WRAP	BIT(VRING_PACKED_EVENT_F_WRAP_CTR)

static u16 load16(u16 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store16(u16 *p, u16 val)
{
	__atomic_store_n(p, val, __ATOMIC_RELAXED);
}

u64 vq_alloc(struct vq_driver *d, size_t size, size_t align)
{
	size_t start = (d->mem_used + align - 1) & ~(align - 1);

	if (start > d->mem_size || size > d->mem_size - start)
		return 0;
	d->mem_used = start + size;
	return start;
}

void *vq_ptr(struct vq_driver *d, u64 addr)
{
	if (addr >= d->mem_size)
		abort();
	return d->mem + addr;
}

struct vq_split_desc *vq_split_desc(struct vq_driver *d, u16 i)
{
	return vq_ptr(d, d->cfg.desc_addr + (u64)i * 16);
}

struct vq_packed_desc *vq_packed_desc(struct vq_driver *d, u16 i)
{
	return vq_ptr(d, d->cfg.desc_addr + (u64)i * 16);
}

u16 *vq_avail_idx(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.driver_addr + 2);
}

u16 *vq_avail_ring(struct vq_driver *d, u16 i)
{
	return vq_ptr(d, d->cfg.driver_addr + 4 +
		      (u64)(i & (d->cfg.size - 1)) * 2);
}

static u16 *avail_flags(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.driver_addr);
}

static u16 *used_event(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.driver_addr + 4 + (u64)d->cfg.size * 2);
}

static u16 *used_flags(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.device_addr);
}

static u16 *used_idx(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.device_addr + 2);
}

static u32 *used_elem(struct vq_driver *d, u16 i)
{
	return vq_ptr(d, d->cfg.device_addr + 4 +
		      (u64)(i & (d->cfg.size - 1)) * 8);
}

static u16 *avail_event(struct vq_driver *d)
{
	return vq_ptr(d, d->cfg.device_addr + 4 + (u64)d->cfg.size * 8);
}

/* Packed event suppression structures: off_wrap at 0, flags at 2. */
static u16 *event_field(struct vq_driver *d, u64 area, int off)
{
	return vq_ptr(d, area + off);
}

int vq_driver_init_at(struct vq_driver *d, const struct iovsim_ring_config *cfg,
		      size_t mem_size, size_t heap_start)
{
	u32 i, size = cfg->size;

	memset(d, 0, sizeof(*d));
	d->mem = calloc(1, mem_size);
	d->ndescs = calloc(size, sizeof(*d->ndescs));
	d->tails = calloc(size, sizeof(*d->tails));
	d->free_ids = calloc(size, sizeof(*d->free_ids));
	if (!d->mem || !d->ndescs || !d->tails || !d->free_ids) {
		vq_driver_destroy(d);
		return -ENOMEM;
	}
	d->mem_size = mem_size;
	d->mem_used = heap_start;
	d->cfg = *cfg;
	iovsim_dma_init_mem(&d->dma, d->mem, mem_size);

	d->num_free = size;
	if (cfg->layout == IOVSIM_RING_SPLIT) {
		for (i = 0; i < size; i++)
			vq_split_desc(d, i)->next = (i + 1) % size;
	} else {
		for (i = 0; i < size; i++)
			d->free_ids[i] = size - 1 - i;
		d->nr_free_ids = size;
		d->avail_wrap = true;
		d->used_wrap = true;
	}
	return 0;
}

int vq_driver_init(struct vq_driver *d, enum iovsim_ring_layout layout,
		   u32 size, bool event_idx, bool indirect, size_t mem_size)
{
	struct iovsim_ring_config cfg = {
		.layout = layout,
		.size = size,
		.event_idx = event_idx,
		.indirect = indirect,
	};
	u64 desc, driver, device;

	/*
	 * Areas one after the other from 64 on, so that DMA address 0 is
	 * never handed out and can mean "no memory".
	 */
	iovsim_ring_area_sizes(layout, size, &desc, &driver, &device);
	cfg.desc_addr = 64;
	cfg.driver_addr = (cfg.desc_addr + desc + 3) & ~3ull;
	cfg.device_addr = (cfg.driver_addr + driver + 3) & ~3ull;
	if (cfg.device_addr + device > mem_size)
		return -ENOMEM;
	return vq_driver_init_at(d, &cfg, mem_size, cfg.device_addr + device);
}

void vq_driver_destroy(struct vq_driver *d)
{
	free(d->mem);
	free(d->ndescs);
	free(d->tails);
	free(d->free_ids);
	memset(d, 0, sizeof(*d));
}

static u64 write_split_table(struct vq_driver *d, const struct vq_buf *bufs,
			     u32 n)
{
	u64 table = vq_alloc(d, (size_t)n * 16, 16);
	struct vq_split_desc *t;
	u32 i;

	if (!table)
		return 0;
	t = vq_ptr(d, table);
	for (i = 0; i < n; i++) {
		t[i].addr = bufs[i].addr;
		t[i].len = bufs[i].len;
		t[i].flags = (bufs[i].write ? VRING_DESC_F_WRITE : 0) |
			     (i + 1 < n ? VRING_DESC_F_NEXT : 0);
		t[i].next = i + 1;
	}
	return table;
}

static int post_split(struct vq_driver *d, const struct vq_buf *bufs,
		      u32 n, bool indirect, u16 *id)
{
	u32 need = indirect ? 1 : n, k;
	u16 head = d->free_head, i = head, tail = head;
	struct vq_split_desc *desc;
	u64 table;

	if (!n || d->num_free < need)
		return -ENOSPC;
	if (indirect) {
		table = write_split_table(d, bufs, n);
		if (!table)
			return -ENOMEM;
		desc = vq_split_desc(d, head);
		desc->addr = table;
		desc->len = n * 16;
		desc->flags = VRING_DESC_F_INDIRECT;
	} else {
		/* The free list is linked through next: reuse its order. */
		for (k = 0; k < n; k++) {
			desc = vq_split_desc(d, i);
			desc->addr = bufs[k].addr;
			desc->len = bufs[k].len;
			desc->flags = (bufs[k].write ? VRING_DESC_F_WRITE : 0) |
				      (k + 1 < n ? VRING_DESC_F_NEXT : 0);
			tail = i;
			i = desc->next;
		}
	}
	d->free_head = vq_split_desc(d, tail)->next;
	d->num_free -= need;
	d->ndescs[head] = need;
	d->tails[head] = tail;

	store16(vq_avail_ring(d, d->avail_idx), head);
	atomic_thread_fence(memory_order_release);
	store16(vq_avail_idx(d), ++d->avail_idx);
	*id = head;
	return 0;
}

static void packed_flags(u16 *flags, bool wrap)
{
	*flags |= wrap ? PACKED_F_AVAIL : PACKED_F_USED;
}

static int post_packed(struct vq_driver *d, const struct vq_buf *bufs,
		       u32 n, bool indirect, u16 *id)
{
	u32 need = indirect ? 1 : n, k;
	u16 pos = d->next_avail, head_flags = 0, flags, bid;
	bool wrap = d->avail_wrap;
	struct vq_packed_desc *desc, *head = vq_packed_desc(d, pos), *t;
	u64 table = 0;

	if (!n || d->num_free < need || !d->nr_free_ids)
		return -ENOSPC;
	if (indirect) {
		table = vq_alloc(d, (size_t)n * 16, 16);
		if (!table)
			return -ENOMEM;
		t = vq_ptr(d, table);
		for (k = 0; k < n; k++) {
			t[k].addr = bufs[k].addr;
			t[k].len = bufs[k].len;
			t[k].id = 0;
			t[k].flags = bufs[k].write ? VRING_DESC_F_WRITE : 0;
		}
	}
	bid = d->free_ids[--d->nr_free_ids];

	for (k = 0; k < need; k++) {
		desc = vq_packed_desc(d, pos);
		if (indirect) {
			desc->addr = table;
			desc->len = n * 16;
			flags = VRING_DESC_F_INDIRECT;
		} else {
			desc->addr = bufs[k].addr;
			desc->len = bufs[k].len;
			flags = (bufs[k].write ? VRING_DESC_F_WRITE : 0) |
				(k + 1 < need ? VRING_DESC_F_NEXT : 0);
		}
		desc->id = bid;
		packed_flags(&flags, wrap);
		if (k)
			store16(&desc->flags, flags);
		else
			head_flags = flags;
		if (++pos == d->cfg.size) {
			pos = 0;
			wrap = !wrap;
		}
	}
	/* The head goes last: it makes the whole chain available. */
	atomic_thread_fence(memory_order_release);
	store16(&head->flags, head_flags);

	d->next_avail = pos;
	d->avail_wrap = wrap;
	d->num_free -= need;
	d->ndescs[bid] = need;
	d->added_since_kick += need;
	*id = bid;
	return 0;
}

int vq_post(struct vq_driver *d, const struct vq_buf *bufs, u32 n,
	    bool indirect, u16 *id)
{
	if (d->cfg.layout == IOVSIM_RING_SPLIT)
		return post_split(d, bufs, n, indirect, id);
	return post_packed(d, bufs, n, indirect, id);
}

bool vq_kick_needed(struct vq_driver *d)
{
	u16 old, new, flags, off_wrap, event;

	atomic_thread_fence(memory_order_seq_cst);
	if (d->cfg.layout == IOVSIM_RING_SPLIT) {
		old = d->kicked_avail_idx;
		new = d->avail_idx;
		d->kicked_avail_idx = new;
		if (d->cfg.event_idx)
			return vring_need_event(load16(avail_event(d)), new, old);
		return !(load16(used_flags(d)) & VRING_USED_F_NO_NOTIFY);
	}

	new = d->next_avail;
	old = new - d->added_since_kick;
	d->added_since_kick = 0;
	flags = load16(event_field(d, d->cfg.device_addr, 2));
	if (flags == VRING_PACKED_EVENT_FLAG_DESC) {
		off_wrap = load16(event_field(d, d->cfg.device_addr, 0));
		event = off_wrap & ~PACKED_WRAP;
		if (!!(off_wrap & PACKED_WRAP) != d->avail_wrap)
			event -= d->cfg.size;
		return vring_need_event(event, new, old);
	}
	return flags != VRING_PACKED_EVENT_FLAG_DISABLE;
}

static int get_used_split(struct vq_driver *d, u16 *id, u32 *len)
{
	u32 *elem;
	u16 head;

	if (load16(used_idx(d)) == d->last_used_idx)
		return 0;
	atomic_thread_fence(memory_order_acquire);
	elem = used_elem(d, d->last_used_idx);
	if (elem[0] >= d->cfg.size || !d->ndescs[elem[0]])
		return -EIO;
	head = elem[0];
	*id = head;
	*len = elem[1];
	vq_split_desc(d, d->tails[head])->next = d->free_head;
	d->free_head = head;
	d->num_free += d->ndescs[head];
	d->ndescs[head] = 0;
	d->last_used_idx++;
	return 1;
}

static int get_used_packed(struct vq_driver *d, u16 *id, u32 *len)
{
	struct vq_packed_desc *desc = vq_packed_desc(d, d->last_used);
	u16 flags = load16(&desc->flags), bid;
	bool avail = flags & PACKED_F_AVAIL, used = flags & PACKED_F_USED;
	u32 pos;

	if (avail != used || used != d->used_wrap)
		return 0;
	atomic_thread_fence(memory_order_acquire);
	bid = desc->id;
	if (bid >= d->cfg.size || !d->ndescs[bid])
		return -EIO;
	*id = bid;
	*len = desc->len;
	pos = d->last_used + d->ndescs[bid];
	if (pos >= d->cfg.size) {
		pos -= d->cfg.size;
		d->used_wrap = !d->used_wrap;
	}
	d->last_used = pos;
	d->num_free += d->ndescs[bid];
	d->ndescs[bid] = 0;
	d->free_ids[d->nr_free_ids++] = bid;
	return 1;
}

int vq_get_used(struct vq_driver *d, u16 *id, u32 *len)
{
	if (d->cfg.layout == IOVSIM_RING_SPLIT)
		return get_used_split(d, id, len);
	return get_used_packed(d, id, len);
}

void vq_enable_cb(struct vq_driver *d)
{
	u16 off_wrap;

	if (d->cfg.layout == IOVSIM_RING_SPLIT) {
		if (d->cfg.event_idx)
			store16(used_event(d), d->last_used_idx);
		store16(avail_flags(d), 0);
	} else if (d->cfg.event_idx) {
		off_wrap = d->last_used | (d->used_wrap ? PACKED_WRAP : 0);
		store16(event_field(d, d->cfg.driver_addr, 0), off_wrap);
		atomic_thread_fence(memory_order_release);
		store16(event_field(d, d->cfg.driver_addr, 2),
			VRING_PACKED_EVENT_FLAG_DESC);
	} else {
		store16(event_field(d, d->cfg.driver_addr, 2),
			VRING_PACKED_EVENT_FLAG_ENABLE);
	}
	atomic_thread_fence(memory_order_seq_cst);
}

void vq_disable_cb(struct vq_driver *d)
{
	if (d->cfg.layout == IOVSIM_RING_SPLIT)
		store16(avail_flags(d), VRING_AVAIL_F_NO_INTERRUPT);
	else
		store16(event_field(d, d->cfg.driver_addr, 2),
			VRING_PACKED_EVENT_FLAG_DISABLE);
}
