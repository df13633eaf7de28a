#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_ring in the running kernel: loads the test module in ring/kmod/,
# which checks the in-host DMA backend on real pages and runs one chain
# through each ring layout, and relays its KTAP results from the kernel
# log. The test module is built for the running kernel here unless
# `make -C selftests/iovsim/ring kmod` on the host built it already.

. "$(dirname "$0")/lib.sh"

iovsim_require_root

kver=$(uname -r)
name=iovsim_ring_host_test
out=$IOVSIM_TOP/build/selftests/$kver/ring_host_test

ktap_print_header

src=$IOVSIM_SELFTEST_DIR/ring/kmod/$name.c
ko=$out/$name.ko
# Under TCG a build takes a minute: skip it when the module is current.
if [ "$ko" -nt "$src" ] && [ "$ko" -nt "$IOVSIM_BUILD/Module.symvers" ]; then
	:
elif ! { mkdir -p "$out" &&
	cp -p "$IOVSIM_SELFTEST_DIR/ring/kmod/Kbuild" \
		"$IOVSIM_SELFTEST_DIR/ring/kmod/$name.c" "$out/" &&
	make -s -C "/lib/modules/$kver/build" M="$out" W=1 \
		IOVSIM_TOP="$IOVSIM_TOP" \
		KBUILD_EXTRA_SYMBOLS="$IOVSIM_BUILD/Module.symvers" \
		modules >"$out/build.log" 2>&1; }; then
	sed 's/^/# /' "$out/build.log"
	ktap_exit_fail_msg "cannot build $name for $kver"
fi

if ! iovsim_load iovsim_ring; then
	ktap_exit_fail_msg "cannot load iovsim_ring"
fi

dmesg_mark
insmod "$out/$name.ko"
rc=$?
[ "$rc" -eq 0 ] && rmmod "$name"
# The module prints its plan and results; relay them as they are.
dmesg_since | sed -n "s/^.*$name: //p" | grep -E '^(1\.\.|(not )?ok |# )'
[ "$rc" -eq 0 ] || exit "$KSFT_FAIL"
exit "$KSFT_PASS"
