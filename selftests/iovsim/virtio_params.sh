#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_virtio module parameters: blk_devices and blk_size_mb make
# disks of that size at load time, net_devices makes virtio-net functions
# cabled in pairs (mod0-mod1) that carry traffic; out-of-range values make
# the load fail with ERANGE and one log line.  poll_us is also writable at
# run time: bad values are refused with ERANGE/EINVAL and change nothing,
# and a disk works with polling off.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

iovsim_require_root
ktap_print_header
ktap_set_plan 12

cleanup() {
	ip netns del vpa 2>/dev/null
	ip netns del vpb 2>/dev/null
	iovsim_unload_all
}
trap cleanup EXIT

modprobe virtio_blk
modprobe virtio_net
iovsim_load iovsim_ring
iovsim_load iovsim_pcihost

# bad_param PARAM=VALUE: the load fails with ERANGE and one log line.
bad_param() {
	iovsim_expect_load_error iovsim_virtio "$@"
}
bad_param blk_devices=9
bad_param blk_size_mb=0
bad_param net_devices=9
bad_param poll_us=1001

iovsim_load iovsim_virtio blk_devices=2 blk_size_mb=8 net_devices=2 ||
	ktap_exit_fail_msg "cannot load iovsim_virtio with parameters"

# virtio_bound ADDR: the function has its disk or netdev.
virtio_bound() {
	virtio_disk "$1" >/dev/null || virtio_netdev "$1" >/dev/null
}

disks=() nets=()
dom=$(basename /sys/devices/platform/iovsim_pcihost/pci*:00)
dom=${dom#pci}
dom=${dom%:00}
for d in "$PCIDEVS/$dom":*; do
	a=$(basename "$d")
	virtio_wait_for virtio_bound "$a"
	if x=$(virtio_disk "$a"); then
		disks+=("$x")
	elif x=$(virtio_netdev "$a"); then
		nets+=("$x")
	fi
done

iovsim_check "blk_devices=2 blk_size_mb=8: two 8 MiB disks (${disks[*]})" \
	eval '[ ${#disks[@]} -eq 2 ] &&
		[ "$(cat "/sys/block/${disks[0]}/size")" = 16384 ] &&
		[ "$(cat "/sys/block/${disks[1]}/size")" = 16384 ]'

iovsim_check "net_devices=2: two netdevs (${nets[*]})" \
	test "${#nets[@]}" -eq 2

virtio_netns vpa "${nets[0]}" 10.78.0.1/24
virtio_netns vpb "${nets[1]}" 10.78.0.2/24
iovsim_check "mod0 and mod1 are cabled: ping" \
	eval 'ip netns exec vpa ping -q -c 2 -W 5 10.78.0.2 >/dev/null'

poll=/sys/module/iovsim_virtio/parameters/poll_us
iovsim_check "poll_us defaults to 100" test "$(cat "$poll")" = 100
# The errno is the whole answer here: the module loader would log a bad
# value at load time, a write at run time logs nothing.
iovsim_check "poll_us <- 1001: ERANGE" \
	test "$(write_errno "$poll" 1001)" = ERANGE
iovsim_check "poll_us <- abc: EINVAL" \
	test "$(write_errno "$poll" abc)" = EINVAL
iovsim_check "poll_us unchanged after bad writes" test "$(cat "$poll")" = 100

# With polling off every request needs a notify and a wake-up.
echo 0 >"$poll"
iovsim_check "poll_us=0: a disk reads back what was written" \
	eval 'head -c 1048576 /dev/urandom >/tmp/vp.in &&
		dd if=/tmp/vp.in of="/dev/${disks[0]}" bs=4k oflag=direct \
			status=none &&
		dd if="/dev/${disks[0]}" of=/tmp/vp.out bs=4k count=256 \
			iflag=direct status=none &&
		cmp /tmp/vp.in /tmp/vp.out'
rm -f /tmp/vp.in /tmp/vp.out
echo 100 >"$poll"

ktap_finished
