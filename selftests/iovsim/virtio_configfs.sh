#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_virtio configfs: every attribute of virtio-blk and virtio-net
# rejects bad input with a clear errno, one log line, and no change;
# parameters cannot change while enabled.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 10

cleanup() {
	virtio_disable virtio-blk cb
	iovsim_unload_all
}
trap cleanup EXIT

# bad DIR ATTR VALUE ERRNO: the write fails with ERRNO, one log line, the
# attribute reads the same as before.
bad() {
	local dev=$1 attr=$2 val=$3 want=$4 before got lines
	before=$(cat "$dev/$attr")
	dmesg_mark
	got=$(write_errno "$dev/$attr" "$val")
	lines=$(dmesg_since | grep -c .)
	if [ "$got" = "$want" ] && [ "$lines" -eq 1 ] &&
		[ "$(cat "$dev/$attr")" = "$before" ]; then
		ktap_test_pass "${dev##*/}/$attr <- '$val': $want, one log line, unchanged"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "${dev##*/}/$attr <- '$val': got $got, $lines log lines, '$(cat "$dev/$attr")' (was '$before')"
	fi
}

blk=$CFS/virtio-blk/cb
mkdir "$blk"
bad "$blk" capacity abc EINVAL
bad "$blk" capacity 0 ERANGE
bad "$blk" capacity 17G ERANGE
bad "$blk" capacity 1048577 EINVAL
bad "$blk" queues 0 ERANGE
bad "$blk" queues 17 ERANGE
bad "$blk" queues x EINVAL

write_errno "$blk/capacity" 8M >/dev/null
echo 1 >"$blk/enable"
bad "$blk" capacity 4M EBUSY
bad "$blk" queues 2 EBUSY
virtio_check "capacity reads back in bytes" \
	test "$(cat "$blk/capacity")" = 8388608
echo 0 >"$blk/enable"

ktap_finished
