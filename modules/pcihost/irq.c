// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts: an irq_domain of the host in which every function owns as
 * many hwirqs as its MSI-X table has entries, each mapped to a real Linux
 * IRQ that drivers request_irq().  A model raises a vector from any
 * context; delivery is asynchronous, as a device's would be: the vector is
 * latched pending and an irq_work runs the handler in hard interrupt
 * context on the raising CPU.  A model's worker in process context can
 * instead have the handler run at once, on its own stack, and save the
 * self-IPI (iovsim_fn_raise_irq_sync()).  One CPU at a time delivers a
 * given vector, and it delivers what others raise meanwhile
 * (iovsim_irq_deliver()).
 *
 * The latch is the chip's pending state, as genirq sees it: disable_irq()
 * masks at once (the chip's ->irq_disable masks, so genirq never disables
 * lazily), so a raise while an IRQ is disabled or masked stays latched and
 * is delivered on enable_irq() or unmask;
 * irq_get_irqchip_state() reports it (PENDING) and reports a delivery
 * under way (ACTIVE), which synchronize_irq() waits for; a raise genirq
 * itself had to set aside (IRQS_PENDING) comes back through
 * ->irq_retrigger, which latches it again.
 *
 * The host also emulates the function's MSI-X table and PBA, so that it
 * honours the device side as the PCI specifications have it: a function
 * with Bus Master Enable clear or out of D0 sends no message (a raise is
 * dropped); one with MSI-X disabled or masked as a whole, or whose
 * table entry is masked, keeps the raise pending (the PBA bit reads 1)
 * and sends it once it may.
 */
#include <linux/bitmap.h>
#include <linux/bottom_half.h>
#include <linux/idr.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internal.h"

static struct irq_domain *iovsim_irq_domain;
static struct fwnode_handle *iovsim_irq_fwnode;
static DEFINE_IDA(iovsim_fn_ida);

static unsigned int iovsim_irq_vector(struct irq_data *d)
{
	struct iovsim_fn *fn = irq_data_get_irq_chip_data(d);

	return irqd_to_hwirq(d) - fn->hwirq_base;
}

/* MSI-X enabled and not masked as a whole (Function Mask). */
static bool iovsim_msix_on(struct iovsim_fn *fn)
{
	u16 ctrl = READ_ONCE(fn->cfg->data[fn->msix_cap + PCI_MSIX_FLAGS + 1]);

	ctrl <<= 8;	/* Enable and Function Mask are in the upper byte */
	return (ctrl & (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL)) ==
	       PCI_MSIX_FLAGS_ENABLE;
}

/* May a latched @vector be delivered now?  Any context. */
static bool iovsim_irq_deliverable(struct iovsim_fn *fn, unsigned int vector)
{
	return !test_bit(vector, fn->irq_masked) &&
	       !test_bit(vector, fn->irq_vmasked) &&
	       iovsim_msix_on(fn) && iovsim_fn_may_master(fn);
}

/*
 * Have the irq_work deliver @vector if it is latched and deliverable,
 * after whatever made it deliverable.  Any context.
 */
static void iovsim_irq_kick(struct iovsim_fn *fn, unsigned int vector)
{
	smp_mb__after_atomic();	/* pairs with the raiser's barrier */
	if (test_bit(vector, fn->irq_pending) &&
	    iovsim_irq_deliverable(fn, vector))
		irq_work_queue(&fn->irq_work);
}

/* Chip callbacks: called by genirq with the descriptor's raw lock held. */
static void iovsim_irq_mask(struct irq_data *d)
{
	struct iovsim_fn *fn = irq_data_get_irq_chip_data(d);

	set_bit(iovsim_irq_vector(d), fn->irq_masked);
}

static void iovsim_irq_unmask(struct irq_data *d)
{
	struct iovsim_fn *fn = irq_data_get_irq_chip_data(d);
	unsigned int vector = iovsim_irq_vector(d);

	clear_bit(vector, fn->irq_masked);
	iovsim_irq_kick(fn, vector);
}

/*
 * genirq found the IRQ disabled, without a handler or suspended when the
 * latch was delivered, and kept it as IRQS_PENDING: latch it again, to be
 * delivered once it is deliverable.
 */
static int iovsim_irq_retrigger(struct irq_data *d)
{
	struct iovsim_fn *fn = irq_data_get_irq_chip_data(d);
	unsigned int vector = iovsim_irq_vector(d);

	set_bit(vector, fn->irq_pending);
	iovsim_irq_kick(fn, vector);
	return 1;
}

/*
 * PENDING: latched, not yet delivered (masked or waiting for the
 * irq_work).  ACTIVE: a delivery is under way: a CPU is delivering the
 * vector, or it is latched, deliverable and the irq_work that will
 * deliver it is queued or running.  synchronize_irq() waits for ACTIVE
 * to clear.
 */
static int iovsim_irq_get_irqchip_state(struct irq_data *d,
					enum irqchip_irq_state which,
					bool *state)
{
	struct iovsim_fn *fn = irq_data_get_irq_chip_data(d);
	unsigned int vector = iovsim_irq_vector(d);

	switch (which) {
	case IRQCHIP_STATE_PENDING:
		*state = test_bit(vector, fn->irq_pending);
		return 0;
	case IRQCHIP_STATE_ACTIVE:
		*state = test_bit(vector, fn->irq_busy) ||
			 (test_bit(vector, fn->irq_pending) &&
			  iovsim_irq_deliverable(fn, vector) &&
			  irq_work_is_busy(&fn->irq_work));
		return 0;
	case IRQCHIP_STATE_MASKED:
		*state = test_bit(vector, fn->irq_masked);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * ->irq_disable and ->irq_enable are the mask and unmask: masking costs two
 * bit operations, and raises are best kept in our latch.  A chip without
 * ->irq_disable is disabled lazily unless the IRQ has IRQ_DISABLE_UNLAZY,
 * and genirq clears that setting on the IRQ's last free_irq(), so a driver
 * bound a second time would get lazy disables.
 */
static struct irq_chip iovsim_irq_chip = {
	.name			= "iovsim",
	.irq_disable		= iovsim_irq_mask,
	.irq_enable		= iovsim_irq_unmask,
	.irq_mask		= iovsim_irq_mask,
	.irq_unmask		= iovsim_irq_unmask,
	.irq_retrigger		= iovsim_irq_retrigger,
	.irq_get_irqchip_state	= iovsim_irq_get_irqchip_state,
};

static int iovsim_irq_map(struct irq_domain *d, unsigned int virq,
			  irq_hw_number_t hwirq)
{
	irq_set_chip_and_handler(virq, &iovsim_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops iovsim_irq_domain_ops = {
	.map	= iovsim_irq_map,
	.xlate	= irq_domain_xlate_onecell,
};

int iovsim_irq_domain_init(int domain_nr)
{
	iovsim_irq_fwnode = irq_domain_alloc_named_id_fwnode("iovsim-pcihost",
							     domain_nr);
	if (!iovsim_irq_fwnode)
		return -ENOMEM;

	iovsim_irq_domain = irq_domain_create_tree(iovsim_irq_fwnode,
						   &iovsim_irq_domain_ops,
						   NULL);
	if (!iovsim_irq_domain) {
		irq_domain_free_fwnode(iovsim_irq_fwnode);
		return -ENOMEM;
	}
	return 0;
}

void iovsim_irq_domain_exit(void)
{
	irq_domain_remove(iovsim_irq_domain);
	irq_domain_free_fwnode(iovsim_irq_fwnode);
	ida_destroy(&iovsim_fn_ida);
}

/*
 * Run @vector's handler once for each batch of raises latched in
 * irq_pending, while it is deliverable.  One CPU at a time delivers a
 * vector (bit @vector of irq_busy): a raiser that finds another CPU
 * delivering leaves its raise latched, and the deliverer looks at the
 * latch again after letting go, so no raise is lost to handle_simple_irq()
 * refusing a handler that is already running elsewhere.  Any context;
 * never spins.
 */
static void iovsim_irq_deliver(struct iovsim_fn *fn, unsigned int vector)
{
	do {
		if (test_and_set_bit_lock(vector, fn->irq_busy))
			return;
		while (iovsim_irq_deliverable(fn, vector) &&
		       test_and_clear_bit(vector, fn->irq_pending))
			generic_handle_domain_irq_safe(iovsim_irq_domain,
						       fn->hwirq_base + vector);
		clear_bit_unlock(vector, fn->irq_busy);
		/* pairs with the raiser's barrier between latch and deliver */
		smp_mb__after_atomic();
	} while (test_bit(vector, fn->irq_pending) &&
		 iovsim_irq_deliverable(fn, vector));
}

static void iovsim_irq_work(struct irq_work *work)
{
	struct iovsim_fn *fn = container_of(work, struct iovsim_fn, irq_work);
	unsigned int vector;

	for_each_set_bit(vector, fn->irq_pending, fn->nr_irqs)
		iovsim_irq_deliver(fn, vector);
}

/*
 * A configuration write from the PCI core has been applied: Bus Master
 * Enable, MSI-X Enable, Function Mask or the D-state may have changed and
 * made latched vectors deliverable.  Called by the pci_ops write, under
 * rcu_read_lock() (the IRQs outlive it), after cfg_lock is released; any
 * context.
 */
void iovsim_fn_irqs_cfg_written(struct iovsim_fn *fn)
{
	if (!fn->nr_irqs)
		return;
	smp_mb();	/* the new bits before the latch: pairs with raisers */
	if (!bitmap_empty(fn->irq_pending, fn->nr_irqs))
		irq_work_queue(&fn->irq_work);
}

/* Drop every latched raise.  Any context. */
void iovsim_fn_irqs_drop(struct iovsim_fn *fn)
{
	unsigned int v;

	for_each_set_bit(v, fn->irq_pending, fn->nr_irqs)
		clear_bit(v, fn->irq_pending);
}

/*
 * Function-level reset: drop every latched raise and clear the MSI-X table
 * (Mask bits clear: see Documentation/pcihost.rst).  Any context.
 */
void iovsim_fn_irqs_reset(struct iovsim_fn *fn)
{
	unsigned long flags;
	unsigned int v;

	if (!fn->nr_irqs)
		return;
	iovsim_fn_irqs_drop(fn);
	raw_spin_lock_irqsave(&fn->msix_lock, flags);
	memset(fn->msix_table, 0, fn->nr_irqs * PCI_MSIX_ENTRY_SIZE);
	for_each_set_bit(v, fn->irq_vmasked, fn->nr_irqs)
		clear_bit(v, fn->irq_vmasked);
	raw_spin_unlock_irqrestore(&fn->msix_lock, flags);
}

static bool iovsim_msix_in(u64 off, unsigned int bar, unsigned int rbar,
			   u32 roff, u64 len)
{
	return bar == rbar && off >= roff && off - roff < len;
}

static u64 iovsim_msix_pba_len(struct iovsim_fn *fn)
{
	return DIV_ROUND_UP(fn->nr_irqs, 64) * 8;
}

/*
 * BAR accessors: true if @off is in the MSI-X table or PBA, which the
 * host emulates; the access is naturally aligned and inside the BAR.  Any
 * context.
 */
bool iovsim_msix_bar_read(struct iovsim_fn *fn, unsigned int bar, u64 off,
			  unsigned int size, u64 *val)
{
	u64 tlen = (u64)fn->nr_irqs * PCI_MSIX_ENTRY_SIZE;
	unsigned long flags;
	unsigned int i;

	*val = 0;
	if (iovsim_msix_in(off, bar, fn->msix_table_bar, fn->msix_table_off,
			   tlen)) {
		off -= fn->msix_table_off;
		raw_spin_lock_irqsave(&fn->msix_lock, flags);
		for (i = 0; i < size && off + i < tlen; i++)
			*val |= (u64)fn->msix_table[off + i] << (8 * i);
		raw_spin_unlock_irqrestore(&fn->msix_lock, flags);
		return true;
	}
	if (iovsim_msix_in(off, bar, fn->msix_pba_bar, fn->msix_pba_off,
			   iovsim_msix_pba_len(fn))) {
		off -= fn->msix_pba_off;
		for (i = 0; i < size && off + i < iovsim_msix_pba_len(fn); i++)
			*val |= (u64)bitmap_get_value8(fn->irq_pending,
						       8 * (off + i)) << (8 * i);
		return true;
	}
	return false;
}

/* A write to the table; the PBA is read-only.  Any context. */
bool iovsim_msix_bar_write(struct iovsim_fn *fn, unsigned int bar, u64 off,
			   unsigned int size, u64 val)
{
	u64 tlen = (u64)fn->nr_irqs * PCI_MSIX_ENTRY_SIZE;
	unsigned int i, entry;
	unsigned long flags;
	u8 ctrl;

	if (iovsim_msix_in(off, bar, fn->msix_pba_bar, fn->msix_pba_off,
			   iovsim_msix_pba_len(fn)))
		return true;
	if (!iovsim_msix_in(off, bar, fn->msix_table_bar, fn->msix_table_off,
			    tlen))
		return false;

	off -= fn->msix_table_off;
	entry = off / PCI_MSIX_ENTRY_SIZE;
	raw_spin_lock_irqsave(&fn->msix_lock, flags);
	for (i = 0; i < size && off + i < tlen; i++)
		fn->msix_table[off + i] = val >> (8 * i);
	ctrl = fn->msix_table[entry * PCI_MSIX_ENTRY_SIZE +
			      PCI_MSIX_ENTRY_VECTOR_CTRL];
	if (ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) {
		set_bit(entry, fn->irq_vmasked);
	} else {
		clear_bit(entry, fn->irq_vmasked);
		iovsim_irq_kick(fn, entry);
	}
	raw_spin_unlock_irqrestore(&fn->msix_lock, flags);
	return true;
}

/* Give @fn one Linux IRQ per MSI-X table entry.  Process context. */
int iovsim_fn_irqs_init(struct iovsim_fn *fn)
{
	unsigned int nr = fn->msix_max, v;
	int ret;

	u32 table, pba;

	fn->irq_work = IRQ_WORK_INIT_HARD(iovsim_irq_work);
	fn->irqs_dead = false;
	if (!nr)
		return 0;

	/* The capability's table and PBA locations are read-only. */
	raw_spin_lock_init(&fn->msix_lock);
	table = iovsim_cfg_read(fn, fn->msix_cap + PCI_MSIX_TABLE, 4);
	pba = iovsim_cfg_read(fn, fn->msix_cap + PCI_MSIX_PBA, 4);
	fn->msix_table_bar = table & PCI_MSIX_TABLE_BIR;
	fn->msix_table_off = table & PCI_MSIX_TABLE_OFFSET;
	fn->msix_pba_bar = pba & PCI_MSIX_PBA_BIR;
	fn->msix_pba_off = pba & PCI_MSIX_PBA_OFFSET;

	fn->id = ida_alloc(&iovsim_fn_ida, GFP_KERNEL);
	if (fn->id < 0)
		return fn->id;
	fn->hwirq_base = (unsigned long)fn->id << IOVSIM_VECTOR_BITS;

	ret = -ENOMEM;
	fn->irqs = kcalloc(nr, sizeof(*fn->irqs), GFP_KERNEL);
	fn->irq_pending = bitmap_zalloc(nr, GFP_KERNEL);
	fn->irq_masked = bitmap_zalloc(nr, GFP_KERNEL);
	fn->irq_vmasked = bitmap_zalloc(nr, GFP_KERNEL);
	fn->irq_busy = bitmap_zalloc(nr, GFP_KERNEL);
	fn->msix_table = kcalloc(nr, PCI_MSIX_ENTRY_SIZE, GFP_KERNEL);
	if (!fn->irqs || !fn->irq_pending || !fn->irq_masked ||
	    !fn->irq_vmasked || !fn->irq_busy || !fn->msix_table)
		goto err_free;

	for (v = 0; v < nr; v++) {
		fn->irqs[v] = irq_create_mapping(iovsim_irq_domain,
						 fn->hwirq_base + v);
		if (!fn->irqs[v])
			goto err_dispose;
		irq_set_chip_data(fn->irqs[v], fn);
	}
	fn->nr_irqs = nr;
	return 0;

err_dispose:
	while (v--)
		irq_dispose_mapping(fn->irqs[v]);
err_free:
	kfree(fn->msix_table);
	bitmap_free(fn->irq_busy);
	bitmap_free(fn->irq_vmasked);
	bitmap_free(fn->irq_masked);
	bitmap_free(fn->irq_pending);
	kfree(fn->irqs);
	fn->irqs = NULL;
	ida_free(&iovsim_fn_ida, fn->id);
	return ret;
}

/* Stop new raises; the caller then waits for an RCU grace period. */
void iovsim_fn_irqs_kill(struct iovsim_fn *fn)
{
	WRITE_ONCE(fn->irqs_dead, true);
}

/* After iovsim_fn_irqs_kill() and a grace period. */
void iovsim_fn_irqs_free(struct iovsim_fn *fn)
{
	unsigned int v;

	irq_work_sync(&fn->irq_work);
	if (!fn->nr_irqs)
		return;

	for (v = 0; v < fn->nr_irqs; v++)
		irq_dispose_mapping(fn->irqs[v]);
	kfree(fn->msix_table);
	fn->msix_table = NULL;
	bitmap_free(fn->irq_busy);
	bitmap_free(fn->irq_vmasked);
	bitmap_free(fn->irq_masked);
	bitmap_free(fn->irq_pending);
	kfree(fn->irqs);
	fn->irqs = NULL;
	fn->nr_irqs = 0;
	ida_free(&iovsim_fn_ida, fn->id);
}

/**
 * iovsim_fn_nr_irqs() - number of Linux IRQs of a function
 * @fn: an added function
 *
 * Return: its MSI-X table size, 0 without MSI-X or when not added.
 */
int iovsim_fn_nr_irqs(struct iovsim_fn *fn)
{
	return fn->nr_irqs;
}
EXPORT_SYMBOL_GPL(iovsim_fn_nr_irqs);

/**
 * iovsim_fn_irq() - the Linux IRQ of one of a function's vectors
 * @fn: an added function
 * @vector: MSI-X vector, below iovsim_fn_nr_irqs()
 *
 * For drivers: request_irq() the result.  Valid while the function is
 * added, so while the driver is bound.
 *
 * Return: the IRQ number, or -EINVAL.
 */
int iovsim_fn_irq(struct iovsim_fn *fn, unsigned int vector)
{
	if (vector >= fn->nr_irqs)
		return -EINVAL;
	return fn->irqs[vector];
}
EXPORT_SYMBOL_GPL(iovsim_fn_irq);

/**
 * iovsim_fn_msix_enable() - set or clear a function's MSI-X Enable
 * @pdev: an iovsim function; nothing happens without an MSI-X capability
 * @on: the new value of MSI-X Enable
 *
 * For drivers that take their vectors from iovsim_fn_irq() rather than
 * the PCI core's MSI code, which therefore never sets the bit for them:
 * a function raises nothing while it is clear.  A read-modify-write of
 * Message Control through the PCI core's configuration accessors (which
 * the PCI core does not restore for them after a reset either).  Process
 * or atomic context; serialize against other writers of Message Control.
 */
void iovsim_fn_msix_enable(struct pci_dev *pdev, bool on)
{
	u16 ctrl;

	if (!pdev->msix_cap)
		return;
	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	if (on)
		ctrl |= PCI_MSIX_FLAGS_ENABLE;
	else
		ctrl &= ~PCI_MSIX_FLAGS_ENABLE;
	pci_write_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, ctrl);
}
EXPORT_SYMBOL_GPL(iovsim_fn_msix_enable);

/**
 * iovsim_fn_raise_irq() - signal one of a function's vectors
 * @fn: the function
 * @vector: MSI-X vector
 *
 * For models; any context, including hard interrupt context.  The handler
 * runs later, in hard interrupt context, once per raise that finds the
 * vector not already pending.  While the IRQ is disabled or masked, MSI-X
 * is disabled or masked as a whole or the vector's table entry is masked,
 * the raise stays latched (pending, its PBA bit reads 1) and is delivered
 * once all of them allow it.  A function with Bus Master Enable clear or
 * out of D0 sends nothing: the raise is dropped.  Raising a function that
 * is not added, or a vector out of range, does nothing.
 */
void iovsim_fn_raise_irq(struct iovsim_fn *fn, unsigned int vector)
{
	rcu_read_lock();
	if (!READ_ONCE(fn->irqs_dead) && vector < fn->nr_irqs &&
	    iovsim_fn_may_master(fn)) {
		set_bit(vector, fn->irq_pending);
		iovsim_irq_kick(fn, vector);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(iovsim_fn_raise_irq);

/**
 * iovsim_fn_raise_irq_sync() - signal a vector and run its handler now
 * @fn: the function
 * @vector: MSI-X vector
 *
 * For a model's own worker, which would otherwise pay an interrupt (a
 * self-IPI) per raise.  The handler runs before this returns, as
 * generic_handle_irq_safe() runs it: on the caller's stack, with local
 * interrupts disabled; bottom halves are disabled around it, so the
 * softirqs it raises (a NAPI poll, blk-mq completions) run on return
 * instead of waking ksoftirqd.  If another CPU is running the vector's
 * handler at that moment, that CPU runs it again for this raise instead.
 * A vector that cannot be delivered is latched or dropped as by
 * iovsim_fn_raise_irq().  Raising a function that is not added, or a
 * vector out of range, does nothing.
 *
 * Context: process context, may sleep (so no spinlock held); the caller
 * must not hold a lock the driver's handler or its softirq takes, nor
 * one that the driver's MMIO writes to this function take.
 */
void iovsim_fn_raise_irq_sync(struct iovsim_fn *fn, unsigned int vector)
{
	might_sleep();
	local_bh_disable();
	rcu_read_lock();
	if (!READ_ONCE(fn->irqs_dead) && vector < fn->nr_irqs &&
	    iovsim_fn_may_master(fn)) {
		set_bit(vector, fn->irq_pending);
		smp_mb__after_atomic();	/* pairs with iovsim_irq_kick() */
		iovsim_irq_deliver(fn, vector);
	}
	rcu_read_unlock();
	local_bh_enable();
}
EXPORT_SYMBOL_GPL(iovsim_fn_raise_irq_sync);
