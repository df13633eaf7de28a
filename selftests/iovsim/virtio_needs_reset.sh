#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# DEVICE_NEEDS_RESET and the PCI configuration access capability: through
# the VIRTIO_PCI_CAP_PCI_CFG window (setpci, no BAR mapping) read the
# device status of a running virtio-blk function, then misbehave as a
# driver would by clearing status bits: the device sets NEEDS_RESET, logs
# one line and raises its configuration interrupt.  A reset brings it
# back and the disk works again.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
ktap_print_header
ktap_set_plan 5

cleanup() {
	virtio_disable virtio-blk nr0
	iovsim_unload_all
}
trap cleanup EXIT

addr=$(virtio_enable virtio-blk nr0 capacity=4M)
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")

# The offset of the vendor capability of cfg_type 5 (PCI_CFG).
pcicfg=
pos=$((0x$(setpci -s "$addr" 0x34.b)))
while [ "$pos" -ne 0 ]; do
	if [ "$(setpci -s "$addr" "$(printf '%x' "$pos").b")" = 09 ] &&
		[ "$(setpci -s "$addr" "$(printf '%x' $((pos + 3))).b")" = 05 ]; then
		pcicfg=$pos
		break
	fi
	pos=$((0x$(setpci -s "$addr" "$(printf '%x' $((pos + 1))).b")))
done

# cfg_window OFFSET: point the window at 1 byte of BAR0 at OFFSET.
cfg_window() {
	setpci -s "$addr" "$(printf '%x' $((pcicfg + 4))).b=00" \
		"$(printf '%x' $((pcicfg + 12))).l=1" \
		"$(printf '%x' $((pcicfg + 8))).l=$(printf '%x' "$1")"
}
cfg_data() {
	setpci -s "$addr" "$(printf '%x' $((pcicfg + 16))).b${1:+=$1}"
}
status() {
	cfg_window 0x14
	cfg_data
}

iovsim_check "PCI_CFG window at ${pcicfg:-none}: device status reads 0f (DRIVER_OK)" \
	test -n "$pcicfg" -a "$(status)" = 0f

cfgirq=$(awk -v n="$addr-config" '$NF == n { sub(":", "", $1); print $1 }' \
	/proc/interrupts)
irqs() { iovsim_irq_count "$cfgirq"; }
before=$(irqs)
dmesg_mark
cfg_window 0x14
cfg_data 03
sleep 0.5
iovsim_check "clearing status bits: NEEDS_RESET (status $(status)), one log line" \
	eval '[ "$(status)" = 4f ] &&
		[ "$(dmesg_since | grep -c "device needs reset: status bits cleared")" -eq 1 ]'
iovsim_check "and a configuration interrupt ($before -> $(irqs))" \
	test "$(irqs)" -gt "$before"

echo 1 >"/sys/kernel/debug/iovsim_virtio/$addr/reset"
iovsim_check "a reset clears it: status 0f again" test "$(status)" = 0f
# disk_works: 64 KiB written to the disk read back the same.
disk_works() {
	local f r
	f=$(mktemp)
	head -c 65536 /dev/urandom >"$f"
	dd if="$f" of="/dev/$disk" oflag=direct status=none &&
		cmp -s <(dd if="/dev/$disk" bs=64k count=1 iflag=direct \
			status=none) "$f"
	r=$?
	rm -f "$f"
	return $r
}
iovsim_check "the disk works after the reset" disk_works

ktap_finished
