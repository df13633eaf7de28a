// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration space user space sees, as vfio-pci virtualizes it.
 *
 * Reads come from the function's own configuration space, except for the
 * BAR registers (user space programs addresses of its own; the function
 * keeps the ones the host gave it) and the Expansion ROM BAR (none).
 * Writes reach the function for Command, Status and the capabilities in
 * the first 256 bytes, except
 * MSI-X Message Control (VFIO_DEVICE_SET_IRQS owns MSI-X Enable) and
 * Initiate Function Level Reset, which resets the function as
 * VFIO_DEVICE_RESET does.  Other header registers and the extended space
 * (an SR-IOV capability, for one) are read-only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "internal.h"

/**
 * iovsim_mdev_config_init() - the virtual registers at open
 * @md: the device, under &iovsim_mdev.lock
 *
 * BAR registers read back their type bits and address 0 until user space
 * programs them; the high half of a 64-bit BAR is a register of its own.
 */
void iovsim_mdev_config_init(struct iovsim_mdev *md)
{
	struct pci_dev *pdev = md->pdev;
	unsigned int i;
	u32 reg;

	memset(md->bars, 0, sizeof(md->bars));
	memset(md->bar_mask, 0, sizeof(md->bar_mask));
	memset(md->bar_flags, 0, sizeof(md->bar_flags));
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		u64 len = pci_resource_len(pdev, i);

		if (!len)
			continue;
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * i, &reg);
		if (reg & PCI_BASE_ADDRESS_SPACE_IO)
			continue;	/* iovsim functions have none */
		md->bar_flags[i] = reg & ~PCI_BASE_ADDRESS_MEM_MASK;
		md->bars[i] = md->bar_flags[i];
		md->bar_mask[i] = lower_32_bits(~(len - 1)) &
				  PCI_BASE_ADDRESS_MEM_MASK;
		if ((reg & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
		    PCI_BASE_ADDRESS_MEM_TYPE_64 && i + 1 < PCI_STD_NUM_BARS) {
			md->bar_mask[i + 1] = upper_32_bits(~(len - 1));
			i++;
		}
	}
}

/**
 * iovsim_mdev_reset() - reset the function, as VFIO_DEVICE_RESET does
 * @md: the device, under &iovsim_mdev.lock
 *
 * A function-level reset written directly (pcie_flr(), as setpci would),
 * not through pci_reset_function(): it takes no device lock, so it also
 * works while an unbind or a removal holds it and waits for this device
 * to be closed.  pcie_flr() returns once the function answers again,
 * which an iovsim function does only after its model quiesced: no DMA
 * and no interrupt from before the reset is left.  Then the host's
 * configuration from bind time is restored, and the vectors user space
 * still has set up get MSI-X Enable back.
 *
 * Return: 0 or the error of pcie_flr() (-ENOTTY when the function did not
 * come back in time).
 */
int iovsim_mdev_reset(struct iovsim_mdev *md)
{
	struct pci_dev *pdev = md->pdev;
	int ret;

	ret = pcie_flr(pdev);
	pci_load_saved_state(pdev, md->mp->saved);
	pci_restore_state(pdev);
	iovsim_mdev_irq_restore(md);
	return ret;
}

static u32 iovsim_mdev_config_read32(struct iovsim_mdev *md,
				     unsigned int where)
{
	u32 val;

	if (where >= PCI_BASE_ADDRESS_0 && where <= PCI_BASE_ADDRESS_5)
		return md->bars[(where - PCI_BASE_ADDRESS_0) / 4];
	if (where == PCI_ROM_ADDRESS)
		return 0;
	if (pci_user_read_config_dword(md->pdev, where, &val))
		return ~0U;
	return val;
}

/*
 * One naturally aligned write of @size bytes at @where, @val in the low
 * bytes.  What reaches the function goes through the PCI core's user
 * accessors, as setpci's writes do.
 */
static void iovsim_mdev_config_write(struct iovsim_mdev *md,
				     unsigned int where, unsigned int size,
				     u32 val)
{
	struct pci_dev *pdev = md->pdev;
	unsigned int dw = where & ~3U, shift = 8 * (where & 3);
	u32 mask = (size == 4 ? ~0U : (1U << (8 * size)) - 1) << shift;
	u32 old;

	if (dw >= PCI_BASE_ADDRESS_0 && dw <= PCI_BASE_ADDRESS_5) {
		unsigned int i = (dw - PCI_BASE_ADDRESS_0) / 4;

		old = md->bars[i];
		md->bars[i] = (((old & ~mask) | ((val << shift) & mask)) &
			       md->bar_mask[i]) | md->bar_flags[i];
		return;
	}
	if (dw == PCI_COMMAND)
		goto write;	/* Command and Status are the function's */
	if (where < PCI_STD_HEADER_SIZEOF || where >= PCI_CFG_SPACE_SIZE ||
	    where + size > PCI_CFG_SPACE_SIZE)
		return;		/* header and extended space: read-only */
	if (pdev->msix_cap && where < pdev->msix_cap + PCI_MSIX_FLAGS + 2 &&
	    where + size > pdev->msix_cap + PCI_MSIX_FLAGS)
		return;
	if (pdev->pcie_cap && where <= pdev->pcie_cap + PCI_EXP_DEVCTL + 1 &&
	    where + size > pdev->pcie_cap + PCI_EXP_DEVCTL + 1 &&
	    (val << shift) & ((u32)PCI_EXP_DEVCTL_BCR_FLR <<
			      (8 * ((pdev->pcie_cap + PCI_EXP_DEVCTL) & 3)))) {
		iovsim_mdev_reset(md);
		return;
	}
write:
	if (size == 1)
		pci_user_write_config_byte(pdev, where, val);
	else if (size == 2)
		pci_user_write_config_word(pdev, where, val);
	else
		pci_user_write_config_dword(pdev, where, val);
}

/**
 * iovsim_mdev_config_rw() - a read or write of the configuration region
 * @md: the device, under &iovsim_mdev.lock
 * @buf: user buffer
 * @count: bytes
 * @off: offset in configuration space
 * @write: direction
 *
 * Split into naturally aligned accesses of up to 4 bytes, as vfio-pci
 * does, so any user access works.  Process context.
 *
 * Return: bytes done or a negative errno.
 */
ssize_t iovsim_mdev_config_rw(struct iovsim_mdev *md, char __user *buf,
			      size_t count, u64 off, bool write)
{
	size_t done = 0;

	if (off >= md->pdev->cfg_size || count > md->pdev->cfg_size - off)
		return -EINVAL;
	while (done < count) {
		unsigned int where = off + done, size = 4;
		__le32 le;
		u32 val;

		while (size > 1 && (where & (size - 1) || size > count - done))
			size /= 2;
		if (write) {
			le = 0;
			if (copy_from_user(&le, buf + done, size))
				return -EFAULT;
			iovsim_mdev_config_write(md, where, size,
						 le32_to_cpu(le));
		} else {
			val = iovsim_mdev_config_read32(md, where & ~3U);
			le = cpu_to_le32(val >> (8 * (where & 3)));
			if (copy_to_user(buf + done, &le, size))
				return -EFAULT;
		}
		done += size;
	}
	return done;
}
