#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_ring in the running kernel: loads the test module of ring/kmod/,
# which checks the in-host DMA backend on real pages and runs one chain
# through each ring layout, and relays its KTAP results from the kernel
# log.  The module is built on the host with the other test modules
# (`make -C selftests/iovsim`, into build/<kver>/selftests/), never here.

. "$(dirname "$0")/lib.sh"

iovsim_require_root

name=iovsim_ring_host_test

ktap_print_header

ko=$(iovsim_module_file "$name")
if [ -z "$ko" ]; then
	ktap_exit_fail_msg "no $name.ko under $IOVSIM_BUILD: run make -C selftests/iovsim on the host"
fi

if ! iovsim_load iovsim_ring; then
	ktap_exit_fail_msg "cannot load iovsim_ring"
fi

dmesg_mark
insmod "$ko"
rc=$?
[ "$rc" -eq 0 ] && rmmod "$name"
# The module prints its plan and results; relay them as they are.
dmesg_since | sed -n "s/^.*$name: //p" | grep -E '^(1\.\.|(not )?ok |# )'
[ "$rc" -eq 0 ] || exit "$KSFT_FAIL"
exit "$KSFT_PASS"
