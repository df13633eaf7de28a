// SPDX-License-Identifier: GPL-2.0-only
/*
 * Function lifecycle: models allocate a function, build its configuration
 * space, add it to the root bus (hot-add: the PCI core scans and probes it
 * at once) and remove it (hot-remove: drivers are unbound first).
 *
 * References: iovsim_fn_alloc() returns the model's reference, which
 * iovsim_fn_remove() (or iovsim_fn_discard() if the function was never
 * added) gives back.  While added, the host holds one more.  Users outside the
 * model module (iovsim_fn_get()) also pin the model's module.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "internal.h"

static void iovsim_fn_release(struct kref *ref)
{
	struct iovsim_fn *fn = container_of(ref, struct iovsim_fn, ref);

	struct iovsim_fn *pf = fn->pf;

	if (fn->ops->release)
		fn->ops->release(fn);
	iovsim_cfg_free(fn);
	kfree(fn->vfs);
	kfree(fn);
	if (pf)
		__iovsim_fn_put(pf);
}

void __iovsim_fn_put(struct iovsim_fn *fn)
{
	kref_put(&fn->ref, iovsim_fn_release);
}

/*
 * Function-level reset, the part that may sleep: the model stops what it
 * has under way, the DMA transfers in flight end, raises from before the
 * reset are dropped, then the function answers again.  On
 * system_unbound_wq: a model's quiesce may wait for its own work items,
 * which must not be queued behind this one, and may flush work of
 * workqueues that are not WQ_MEM_RECLAIM.
 */
static void iovsim_fn_reset_work(struct work_struct *work)
{
	struct iovsim_fn *fn = container_of(work, struct iovsim_fn,
					    reset_work);

	if (fn->ops->quiesce)
		fn->ops->quiesce(fn);
	wait_var_event(&fn->dma_active, !atomic_read(&fn->dma_active));
	/* raisers that saw the function before the reset are gone */
	synchronize_rcu();
	irq_work_sync(&fn->irq_work);
	iovsim_fn_irqs_drop(fn);
	/* the latch empty before the function answers: pairs with raisers */
	smp_mb();
	WRITE_ONCE(fn->resetting, false);
}

/*
 * A configuration write started a function-level reset: the space is
 * restored and fn->resetting set under cfg_lock.  Called by the pci_ops
 * write under rcu_read_lock(), in its atomic context.
 */
void iovsim_fn_flr(struct iovsim_fn *fn)
{
	smp_mb();	/* resetting before the DMA count and the latch */
	iovsim_fn_irqs_reset(fn);
	fn->ops->reset(fn);
	queue_work(system_unbound_wq, &fn->reset_work);
}

/*
 * Reset @fn as a function-level reset does, without the configuration
 * write that asks for one: a VF whose PF clears VF Enable.  A model
 * without ->reset only gets its configuration space and interrupts
 * reset: its own device state stays.  Called by the
 * pci_ops write under rcu_read_lock(), in its atomic context.
 */
void iovsim_fn_reset_state(struct iovsim_fn *fn)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&fn->cfg_lock, flags);
	if (fn->resetting) {
		raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
		return;
	}
	memcpy(fn->cfg->data, fn->cfg->init, IOVSIM_CFG_SIZE);
	if (fn->ops->reset)
		WRITE_ONCE(fn->resetting, true);
	raw_spin_unlock_irqrestore(&fn->cfg_lock, flags);
	iovsim_fn_irqs_cfg_written(fn);
	if (fn->ops->reset)
		iovsim_fn_flr(fn);
	else
		iovsim_fn_irqs_reset(fn);
}

/**
 * iovsim_fn_alloc() - allocate a function for a model to build
 * @owner: the model's module (THIS_MODULE)
 * @ops: model callbacks; ->bar_read and ->bar_write are required
 * @priv: model private data, see iovsim_fn_priv()
 *
 * The function starts with an empty type 0 header: fill it with the
 * iovsim_cfg_* builders, then iovsim_fn_add() it.  Process context.
 *
 * Return: the function, holding the caller's reference, or an ERR_PTR().
 */
struct iovsim_fn *iovsim_fn_alloc(struct module *owner,
				  const struct iovsim_fn_ops *ops, void *priv)
{
	struct iovsim_fn *fn;
	int ret;

	if (!ops || !ops->bar_read || !ops->bar_write)
		return ERR_PTR(-EINVAL);

	fn = kzalloc(sizeof(*fn), GFP_KERNEL);
	if (!fn)
		return ERR_PTR(-ENOMEM);

	kref_init(&fn->ref);
	fn->owner = owner;
	fn->ops = ops;
	fn->priv = priv;
	fn->devfn = -1;
	fn->driver = "none";
	raw_spin_lock_init(&fn->cfg_lock);
	INIT_WORK(&fn->reset_work, iovsim_fn_reset_work);

	ret = iovsim_cfg_init(fn);
	if (ret) {
		kfree(fn);
		return ERR_PTR(ret);
	}
	return fn;
}
EXPORT_SYMBOL_GPL(iovsim_fn_alloc);

/**
 * iovsim_fn_add() - put a function on the iovsim root bus
 * @fn: a function built by its model, not yet added
 * @devfn: device/function number, or -1 for function 0 of a free slot
 *
 * The PCI core scans the function, assigns its BARs and binds the driver
 * named by iovsim_fn_set_driver(), if loaded.  Process context; not under
 * pci_lock_rescan_remove().
 *
 * A physical function (iovsim_cfg_add_sriov()) brings its VFs, which
 * answer on bus (devfn + 1) once the PCI core enables them.
 *
 * Return: 0, -EBUSY if @devfn is taken, -ENOSPC if no slot is free (or,
 * for a PF, @devfn is 0xff: its VFs would need bus 0x100), -EINVAL for a
 * bad @devfn, a VF, or a PF without all its VFs, or another negative
 * errno.  On failure the
 * caller still owns its reference (iovsim_fn_discard()).
 */
int iovsim_fn_add(struct iovsim_fn *fn, int devfn)
{
	struct pci_bus *bus = iovsim_host_bus();
	struct pci_dev *pdev;
	int ret;

	if (devfn > 0xff || devfn < -1 || WARN_ON(fn->devfn >= 0) || fn->pf)
		return -EINVAL;
	if (fn->sriov_cap && !iovsim_fn_vf(fn, fn->total_vfs - 1))
		return -EINVAL;	/* not given all its VFs */

	iovsim_cfg_snapshot(fn);
	ret = iovsim_fn_irqs_init(fn);
	if (ret)
		return ret;

	kref_get(&fn->ref);
	pci_lock_rescan_remove();
	ret = iovsim_host_insert(fn, devfn);
	if (ret < 0)
		goto err_unlock;
	fn->devfn = ret;
	ret = iovsim_sriov_add_vfs(fn);
	if (ret)
		goto err_erase;

	pdev = pci_scan_single_device(bus, fn->devfn);
	if (!pdev) {
		ret = -ENODEV;
		goto err_vfs;
	}
	pci_assign_unassigned_bus_resources(bus);
	pci_bus_add_device(pdev);
	pci_unlock_rescan_remove();
	return 0;

err_vfs:
	iovsim_sriov_remove_vfs(fn);
err_erase:
	iovsim_host_erase(fn);
	fn->devfn = -1;
err_unlock:
	pci_unlock_rescan_remove();
	iovsim_fn_irqs_kill(fn);
	synchronize_rcu();
	flush_work(&fn->reset_work);
	iovsim_fn_irqs_free(fn);
	__iovsim_fn_put(fn);
	return ret;
}
EXPORT_SYMBOL_GPL(iovsim_fn_add);

/**
 * iovsim_fn_remove() - hot-remove a function and drop the model's reference
 * @fn: a function added with iovsim_fn_add()
 *
 * Unbinds its driver, removes the pci_dev, then makes the function absent
 * (all-ones) to configuration cycles and frees its IRQs.  Process context;
 * not under pci_lock_rescan_remove().  @fn must not be used afterwards by
 * the caller.
 */
void iovsim_fn_remove(struct iovsim_fn *fn)
{
	struct pci_dev *pdev;

	if (WARN_ON(fn->devfn < 0))
		return;

	/*
	 * A PF's driver disables SR-IOV when it unbinds.  Unbind it before
	 * taking the rescan lock: sriov_numvfs takes the PF's device lock,
	 * then the rescan lock.
	 */
	pdev = pci_get_slot(iovsim_host_bus(), fn->devfn);
	if (pdev && pdev->is_physfn)
		device_release_driver(&pdev->dev);

	pci_lock_rescan_remove();
	if (pdev) {
		/* the PCI core BUGs on freeing a PF with VFs enabled */
		if (pdev->is_physfn)
			pci_disable_sriov(pdev);
		pci_stop_and_remove_bus_device(pdev);
		pci_dev_put(pdev);
	}
	iovsim_sriov_remove_vfs(fn);
	iovsim_host_erase(fn);
	pci_unlock_rescan_remove();

	iovsim_fn_irqs_kill(fn);
	synchronize_rcu();
	flush_work(&fn->reset_work);	/* a reset the core did not wait for */
	iovsim_fn_irqs_free(fn);
	fn->devfn = -1;
	iovsim_sriov_drop_vfs(fn);

	__iovsim_fn_put(fn);	/* the host's */
	__iovsim_fn_put(fn);	/* the model's */
}
EXPORT_SYMBOL_GPL(iovsim_fn_remove);

/**
 * iovsim_fn_get() - take a reference to a function from outside its model
 * @fn: the function
 *
 * Also pins the model's module (and a VF's PF's model's), so it cannot be
 * unloaded while the function is open.  Release with iovsim_fn_put().
 *
 * Return: 0, or -ENODEV if the model's module is going away.
 */
int iovsim_fn_get(struct iovsim_fn *fn)
{
	if (!try_module_get(fn->owner))
		return -ENODEV;
	/* a VF's reference holds its PF, whose release is its model's */
	if (fn->pf && !try_module_get(fn->pf->owner)) {
		module_put(fn->owner);
		return -ENODEV;
	}
	kref_get(&fn->ref);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_fn_get);

/**
 * iovsim_fn_put() - drop a reference taken with iovsim_fn_get()
 * @fn: the function
 */
void iovsim_fn_put(struct iovsim_fn *fn)
{
	struct module *pf_owner = fn->pf ? fn->pf->owner : NULL;
	struct module *owner = fn->owner;

	__iovsim_fn_put(fn);
	module_put(owner);
	module_put(pf_owner);
}
EXPORT_SYMBOL_GPL(iovsim_fn_put);

/**
 * iovsim_fn_discard() - drop the model's reference to a function never added
 * @fn: a function from iovsim_fn_alloc() that is not on the bus (never
 *	added, or iovsim_fn_add() failed)
 *
 * A PF's VFs (iovsim_fn_add_vf()) go with it.  A VF cannot be discarded:
 * its PF owns it.
 */
void iovsim_fn_discard(struct iovsim_fn *fn)
{
	if (WARN_ON(fn->devfn >= 0 || fn->pf))
		return;
	iovsim_sriov_drop_vfs(fn);
	__iovsim_fn_put(fn);
}
EXPORT_SYMBOL_GPL(iovsim_fn_discard);

/**
 * iovsim_fn_priv() - the model's private data of a function
 * @fn: the function
 *
 * Return: the @priv given to iovsim_fn_alloc().
 */
void *iovsim_fn_priv(struct iovsim_fn *fn)
{
	return fn->priv;
}
EXPORT_SYMBOL_GPL(iovsim_fn_priv);

/**
 * iovsim_fn_devfn() - where a function sits on the root bus
 * @fn: the function
 *
 * Return: its devfn, or -1 if it is not added.
 */
int iovsim_fn_devfn(struct iovsim_fn *fn)
{
	return fn->devfn;
}
EXPORT_SYMBOL_GPL(iovsim_fn_devfn);

/**
 * iovsim_fn_set_driver() - name the driver allowed to bind a function
 * @fn: function being built
 * @name: driver name, a string that outlives the function
 *
 * The host sets it as the pci_dev's driver_override when the PCI core
 * adds the device, so no other driver matching its IDs binds it.  Without
 * it, "none": nothing binds until user space writes driver_override.
 */
void iovsim_fn_set_driver(struct iovsim_fn *fn, const char *name)
{
	fn->driver = name;
}
EXPORT_SYMBOL_GPL(iovsim_fn_set_driver);

/**
 * iovsim_fn_from_pci_dev() - the iovsim function behind a pci_dev
 * @pdev: a PCI device
 *
 * For drivers: the result stays valid while the caller is bound to @pdev
 * (removing a function unbinds its driver first).
 *
 * Return: the function, or NULL if @pdev is not an iovsim function.
 */
struct iovsim_fn *iovsim_fn_from_pci_dev(struct pci_dev *pdev)
{
	struct iovsim_fn *fn;

	rcu_read_lock();
	fn = iovsim_host_lookup(pdev->bus, pdev->devfn);
	rcu_read_unlock();
	return fn;
}
EXPORT_SYMBOL_GPL(iovsim_fn_from_pci_dev);

/**
 * iovsim_fn_dma_begin() - let a function's model start a DMA transfer
 * @fn: the function
 *
 * A model calls it before each transfer to or from driver memory, and
 * iovsim_fn_dma_end() once the transfer is over, whatever its outcome.
 * A function masters the bus only with Bus Master Enable set, in D0 and
 * outside a function-level reset, which waits for the transfers under
 * way before it completes.  Any context; the model must not wait for the
 * function's reset between the two calls.
 *
 * Return: 0, or -EIO if the function may not master the bus now: the
 * model must not do the transfer (nor call iovsim_fn_dma_end()), and
 * reports the error as its device would; the refusal is counted
 * (iovsim_fn_dma_refused()).
 */
int iovsim_fn_dma_begin(struct iovsim_fn *fn)
{
	atomic_inc(&fn->dma_active);
	smp_mb__after_atomic();	/* count, then look at the state */
	if (iovsim_fn_may_master(fn))
		return 0;
	iovsim_fn_dma_end(fn);
	atomic_long_inc(&fn->dma_refused);
	return -EIO;
}
EXPORT_SYMBOL_GPL(iovsim_fn_dma_begin);

/**
 * iovsim_fn_dma_end() - a DMA transfer started with iovsim_fn_dma_begin()
 *	is over
 * @fn: the function
 *
 * Any context.
 */
void iovsim_fn_dma_end(struct iovsim_fn *fn)
{
	if (atomic_dec_and_test(&fn->dma_active))
		wake_up_var(&fn->dma_active);
}
EXPORT_SYMBOL_GPL(iovsim_fn_dma_end);

/**
 * iovsim_fn_dma_refused() - DMA transfers a function was refused
 * @fn: the function
 *
 * Return: how many iovsim_fn_dma_begin() calls failed since the function
 * was allocated.
 */
unsigned long iovsim_fn_dma_refused(struct iovsim_fn *fn)
{
	return atomic_long_read(&fn->dma_refused);
}
EXPORT_SYMBOL_GPL(iovsim_fn_dma_refused);

/**
 * iovsim_fn_set_dma() - give a function's DMA to another context
 * @fn: the function, quiesced: no ring of its model live (a passthrough
 *	driver calls this right after a function-level reset)
 * @dma: the context the model must reach memory through from now on (the
 *	VFIO container of a passthrough user), or NULL for the model's own
 *
 * Models take the context when their driver starts a queue
 * (iovsim_fn_dma()), so a change reaches the next queue started.  The
 * caller keeps @dma alive until it has set NULL again and quiesced the
 * function once more.  Any context.
 *
 * Return: 0, or -EOPNOTSUPP when the model does not take a DMA context
 * (&iovsim_fn_ops.dma_context): such a function cannot be passed through.
 */
int iovsim_fn_set_dma(struct iovsim_fn *fn, const struct iovsim_dma *dma)
{
	if (!fn->ops->dma_context)
		return -EOPNOTSUPP;
	WRITE_ONCE(fn->dma, dma);
	return 0;
}
EXPORT_SYMBOL_GPL(iovsim_fn_set_dma);

/**
 * iovsim_fn_wait_reset() - wait for a function-level reset to be over
 * @fn: the function
 *
 * Returns once a reset under way, if any, has quiesced the model, drained
 * its DMA and dropped its raises, even if whoever started the reset gave
 * up waiting for the function (pcie_flr() times out).  Process context;
 * may wait as long as the model's quiesce.
 */
void iovsim_fn_wait_reset(struct iovsim_fn *fn)
{
	flush_work(&fn->reset_work);
}
EXPORT_SYMBOL_GPL(iovsim_fn_wait_reset);

/**
 * iovsim_fn_dma() - the DMA context a function's model must use
 * @fn: the function
 *
 * Return: the context iovsim_fn_set_dma() gave, or NULL for the model's
 * own.  Any context.
 */
const struct iovsim_dma *iovsim_fn_dma(struct iovsim_fn *fn)
{
	return READ_ONCE(fn->dma);
}
EXPORT_SYMBOL_GPL(iovsim_fn_dma);
