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
# The tests the module runs (NR_TESTS in ring/kmod/): each must report
# "ok" exactly once, so that a module that ran fewer, printed nothing or
# was not the one built from this tree fails instead of passing silently.
expected=9

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
results=$(dmesg_since | sed -n "s/^.*$name: //p" |
	grep -E '^(1\.\.|(not )?ok |# )')
printf '%s\n' "$results"

fail=0
if [ "$rc" -ne 0 ]; then
	echo "# insmod $name: status $rc"
	fail=1
fi
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' <<<"$results")
if [ "$plan" != "$expected" ]; then
	echo "# the module's plan is '1..$plan', expected 1..$expected"
	fail=1
fi
for ((i = 1; i <= expected; i++)); do
	n=$(grep -c -E "^ok $i( |\$)" <<<"$results")
	if [ "$n" -ne 1 ]; then
		echo "# result $i: $n 'ok' lines, expected 1"
		fail=1
	fi
done
if grep -q -E '^not ok ' <<<"$results"; then
	fail=1
fi
[ "$fail" -eq 0 ] || exit "$KSFT_FAIL"
exit "$KSFT_PASS"
