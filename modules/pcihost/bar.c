// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR accessors: the ioread/iowrite of in-host drivers.  Nothing backs the
 * addresses the PCI core assigns to iovsim BARs, so drivers never map them;
 * every access is routed here and on to the function's model, decoded as a
 * device would: memory space enabled, inside the BAR, naturally aligned.
 * Anything else is a master abort: reads return all-ones, writes are lost.
 * The MSI-X table and PBA are the host's registers (irq.c): accesses to
 * them never reach the model.
 */
#include "internal.h"

static bool iovsim_bar_decodes(struct iovsim_fn *fn, unsigned int bar,
			       u64 off, unsigned int size)
{
	if (WARN_ON_ONCE(size != 1 && size != 2 && size != 4 && size != 8))
		return false;
	if (bar >= IOVSIM_NR_BARS || off & (size - 1) ||
	    off >= fn->bar_size[bar] || size > fn->bar_size[bar] - off)
		return false;
	/* Nothing decodes while a function-level reset is under way. */
	if (READ_ONCE(fn->resetting))
		return false;
	if (fn->pf)
		return iovsim_sriov_vf_decodes(fn);
	/* A single byte: no lock needed to sample it. */
	return READ_ONCE(fn->cfg->data[PCI_COMMAND]) & PCI_COMMAND_MEMORY;
}

/**
 * iovsim_bar_read() - read from a BAR of an iovsim function
 * @fn: the function, from iovsim_fn_from_pci_dev()
 * @bar: BAR index
 * @off: offset into the BAR, naturally aligned for @size
 * @size: 1, 2, 4 or 8
 *
 * Any context the model allows; the test model and the virtio model allow
 * atomic context.
 *
 * Return: the value, or all-ones (of @size bytes) if the function does not
 * decode the access.
 */
u64 iovsim_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
		    unsigned int size)
{
	u64 ones = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	u64 val;

	if (!iovsim_bar_decodes(fn, bar, off, size))
		return ones;
	if (!iovsim_msix_bar_read(fn, bar, off, size, &val))
		val = fn->ops->bar_read(fn, bar, off, size);
	return val & ones;
}
EXPORT_SYMBOL_GPL(iovsim_bar_read);

/**
 * iovsim_bar_write() - write to a BAR of an iovsim function
 * @fn: the function, from iovsim_fn_from_pci_dev()
 * @bar: BAR index
 * @off: offset into the BAR, naturally aligned for @size
 * @size: 1, 2, 4 or 8
 * @val: value; only the low @size bytes are used
 *
 * A write the function does not decode is dropped.
 */
void iovsim_bar_write(struct iovsim_fn *fn, unsigned int bar, u64 off,
		      unsigned int size, u64 val)
{
	u64 ones = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;

	if (!iovsim_bar_decodes(fn, bar, off, size))
		return;
	val &= ones;
	if (!iovsim_msix_bar_write(fn, bar, off, size, val))
		fn->ops->bar_write(fn, bar, off, size, val);
}
EXPORT_SYMBOL_GPL(iovsim_bar_write);
