#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_ring's VFIO DMA backend in the running kernel: loads VFIO's
# TYPE1 IOMMU driver, iovsim_ring and the test module of ring/vfio/ (an
# emulated-IOMMU VFIO device whose file runs DMA commands through an
# iovsim VFIO DMA context), then runs ring_vfio_dma, which maps buffers
# into a TYPE1v2 container and checks the data the device moves, that
# IOVAs outside the mappings are refused, that once an unmap returned the
# device never touches the range again (its DMAs fail and are counted)
# and the vfio_dma_rw() fallback.  The test module is built on
# the host with the others (`make -C selftests/iovsim`).

. "$(dirname "$0")/lib.sh"

iovsim_require_root
iovsim_require_prog ring_vfio_dma

name=iovsim_vfio_dma_test

# A kernel built without VFIO's type1 backend lacks a prerequisite (a
# skip); one that has it but cannot load it is a failure. Through
# iovsim_load, so that what this test loads is unloaded at exit.
for m in vfio vfio_iommu_type1; do
	if ! modinfo "$m" >/dev/null 2>&1; then
		ktap_print_header
		ktap_skip_all "no $m in this kernel (CONFIG_VFIO_IOMMU_TYPE1)"
		exit "$KSFT_SKIP"
	fi
	if ! iovsim_load "$m"; then
		ktap_print_header
		ktap_exit_fail_msg "$m is in this kernel but does not load"
	fi
done

if [ -z "$(iovsim_module_file "$name")" ] ||
	[ ! -x "$IOVSIM_SELFTEST_DIR/ring_vfio_dma" ]; then
	ktap_print_header
	ktap_exit_fail_msg "no $name.ko or ring_vfio_dma: run make -C selftests/iovsim on the host"
fi

if ! iovsim_load "$name"; then
	ktap_print_header
	ktap_exit_fail_msg "cannot load $name"
fi

# ring_vfio_dma prints its own KTAP.
"$IOVSIM_SELFTEST_DIR/ring_vfio_dma"
rc=$?
if ! iovsim_unload "$name"; then
	echo "# cannot unload $name"
	rc=$KSFT_FAIL
fi
exit "$rc"
