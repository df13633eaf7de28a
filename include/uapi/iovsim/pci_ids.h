/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * PCI IDs of iovsim functions.
 *
 * iovsim functions exist only in the iovsim PCI domain, where the host
 * sets driver_override on every function: no driver outside iovsim binds
 * them by ID, whatever the IDs are.
 */
#ifndef _UAPI_IOVSIM_PCI_IDS_H
#define _UAPI_IOVSIM_PCI_IDS_H

/* Red Hat, Inc.: the vendor of QEMU's emulated devices */
#define IOVSIM_PCI_VENDOR_ID		0x1b36

/* The test function of iovsim_pcitest (selftests only) */
#define IOVSIM_PCI_DEVICE_ID_PCITEST	0x10f0

/*
 * The SR-IOV NIC's physical function (iovsim_sriov).  Its VFs are
 * virtio-net functions: VF Device ID 0x1041, and, as the PCI core reads
 * every VF's Vendor ID from its PF, vendor IOVSIM_PCI_VENDOR_ID.
 */
#define IOVSIM_PCI_DEVICE_ID_SRIOV_PF	0x10f1

#endif /* _UAPI_IOVSIM_PCI_IDS_H */
