#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim virtio and the device side of MSI-X: a completion the device
# signals while MSI-X is masked as a whole (Function Mask, set behind the
# driver's back with setpci) is held pending, not dropped, and sent when
# the mask is cleared: the read waiting for it completes then, with the
# right data, instead of never.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 5

reader=
cleanup() {
	[ -n "$reader" ] && kill "$reader" 2>/dev/null
	virtio_disable virtio-blk m0
	iovsim_unload_all
}
trap cleanup EXIT

addr=$(virtio_enable virtio-blk m0 capacity=16M queues=1)
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")
iovsim_check "function $addr bound, disk ${disk:-none}" \
	test -n "$disk" -a -b "/dev/$disk"

# A known block 77, written through the page cache and synced.
pattern=$(mktemp)
head -c 4096 /dev/urandom >"$pattern"
dd if="$pattern" of="/dev/$disk" bs=4096 seek=77 conv=fsync status=none

ctrl=$(setpci -s "$addr" CAP_MSIX+2.w)
iovsim_check "MSI-X enabled, not masked (Message Control $ctrl)" \
	test $((0x$ctrl & 0xc000)) -eq $((0x8000))

# Mask all vectors, then read block 77 with O_DIRECT: its completion is
# raised while masked.
setpci -s "$addr" CAP_MSIX+2.w="$(printf %04x $((0x$ctrl | 0x4000)))"
out=$(mktemp)
dd if="/dev/$disk" of="$out" bs=4096 skip=77 count=1 iflag=direct \
	status=none &
reader=$!
sleep 2
waiting=no
kill -0 "$reader" 2>/dev/null && waiting=yes
iovsim_check "a read with MSI-X function-masked waits for its interrupt (waiting: $waiting)" \
	test "$waiting" = yes

setpci -s "$addr" CAP_MSIX+2.w="$ctrl"
done_in=none
for i in $(seq 50); do
	if ! kill -0 "$reader" 2>/dev/null; then
		done_in=$((i * 100))ms
		break
	fi
	sleep 0.1
done
rc=1
[ "$done_in" != none ] && wait "$reader" && rc=0
reader=
iovsim_check "cleared mask: the held interrupt arrives, the read completes (within $done_in, status $rc)" \
	test "$rc" -eq 0
iovsim_check "and returns the block written" cmp -s "$out" "$pattern"
rm -f "$pattern" "$out"
