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
ktap_set_plan 19

cleanup() {
	virtio_disable virtio-net cn2
	virtio_disable virtio-net cn
	virtio_disable virtio-blk cb
	iovsim_unload_all
}
trap cleanup EXIT

# bad DIR ATTR VALUE ERRNO: writing VALUE to DIR/ATTR fails with ERRNO.
bad() {
	iovsim_expect_write_error "$1/$2" "$3" "$4" "${1##*/}/$2"
}

blk=$CFS/virtio-blk/cb
mkdir "$blk"
bad "$blk" capacity abc EINVAL
bad "$blk" capacity 0 ERANGE
bad "$blk" capacity 1048577 EINVAL
bad "$blk" queues 0 ERANGE
bad "$blk" queues x EINVAL
bad "$blk" packed 2 EINVAL

write_errno "$blk/capacity" 8M >/dev/null
echo 1 >"$blk/enable"
bad "$blk" capacity 4M EBUSY
iovsim_check "capacity reads back in bytes" \
	test "$(cat "$blk/capacity")" = 8388608
echo 0 >"$blk/enable"

net=$CFS/virtio-net/cn
mkdir "$net"
echo cnport >"$net/port"
bad "$net" mac zz EINVAL
bad "$net" mac 01:00:5e:00:00:01 EINVAL
bad "$net" mac 00:00:00:00:00:00 EINVAL
bad "$net" mtu 9001 ERANGE
bad "$net" queues 9 ERANGE
bad "$net" port "a b" EINVAL
bad "$net" port 0123456789abcdef EINVAL
bad "$net" pair cnport EINVAL
bad "$net" link maybe EINVAL

echo 1 >"$net/enable"
bad "$net" mtu 1500 EBUSY

mkdir "$CFS/virtio-net/cn2"
echo cnport >"$CFS/virtio-net/cn2/port"
got=$(write_errno "$CFS/virtio-net/cn2/enable" 1)
iovsim_check "a second function on a taken port name: $got, stays disabled" \
	test "$got" = EEXIST -a "$(cat "$CFS/virtio-net/cn2/enable")" = 0
echo 0 >"$net/enable"

ktap_finished
