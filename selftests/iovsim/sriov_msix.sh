#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # rx is set by sriov_frames
#
# Dynamic VF MSI-X through the PCI core's sysfs: the PF reports the pool
# (sriov_vf_total_msix = TotalVFs x the 4 vectors a VF's table has), an
# unbound VF's sriov_vf_msix_count sizes its table (lspci shows the new
# Table Size), the driver bound afterwards shares one vector between its
# queues and still carries frames; 0 gives the whole table back; out-of-range counts
# (1, 5) are refused with EINVAL and one log line and change nothing; a
# bound VF refuses any count (EBUSY, from the PCI core); disabling the
# VFs gives every VF its whole table back.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=1 total_vfs=4

ktap_print_header
ktap_set_plan 9

pf=$(sriov_pfs)
pfdev=$PCIDEVS/$pf
cleanup() {
	echo 0 >"$pfdev/sriov_numvfs" 2>/dev/null
	echo 1 >"$pfdev/sriov_drivers_autoprobe" 2>/dev/null
	iovsim_unload_all
}
trap cleanup EXIT

# table_size VF: MSI-X Table Size from the capability (lspci's Count=)
table_size() {
	lspci -s "$1" -vv 2>/dev/null | sed -n 's/.*MSI-X: Enable[+-] Count=\([0-9]*\).*/\1/p'
}
# irqs VF: the interrupt lines named after VF in /proc/interrupts (its
# configuration vector, and with a short table the one its queues share)
irqs() { grep -o "$1-[a-z]*" /proc/interrupts | sort | tr '\n' ' '; }

# 1
iovsim_check "sriov_vf_total_msix $(cat "$pfdev/sriov_vf_total_msix") (4 VFs x 4)" \
	test "$(cat "$pfdev/sriov_vf_total_msix")" = 16

echo 0 >"$pfdev/sriov_drivers_autoprobe"
echo 2 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
vf0=${vfs[0]:-none} vf1=${vfs[1]:-none}

# 2
iovsim_check "an unbound VF's table: $(table_size "$vf0") entries" \
	test "$(table_size "$vf0")" = 4

# 3-4: bad counts: EINVAL, one log line, the table as it was
bad_count() {
	local got lines
	dmesg_mark
	got=$(write_errno "$PCIDEVS/$vf0/sriov_vf_msix_count" "$1")
	lines=$(dmesg_since | grep -c .)
	iovsim_check "sriov_vf_msix_count $1 ($2): $got, $lines log line, Table Size $(table_size "$vf0")" \
		test "$got" = EINVAL -a "$lines" = 1 -a "$(table_size "$vf0")" = 4
}
bad_count 5 "table of 4"
bad_count 1 "virtio-net needs 2"

# 5-6: 2 vectors, then virtio_net
echo 2 >"$PCIDEVS/$vf0/sriov_vf_msix_count"
iovsim_check "sriov_vf_msix_count 2: Table Size $(table_size "$vf0")" \
	test "$(table_size "$vf0")" = 2
for v in "$vf0" "$vf1"; do
	echo iovsim_virtio >"$PCIDEVS/$v/driver_override"
	echo "$v" >/sys/bus/pci/drivers_probe
done
a=$(virtio_wait_for sriov_vf_netdev "$vf0")
b=$(virtio_wait_for sriov_vf_netdev "$vf1")
virtio_quiet_link "$a"
virtio_quiet_link "$b"
sriov_frames root "$a" root "$b" "$(cat "/sys/class/net/$b/address")" 100 100
iovsim_check "virtio_net on it: IRQs '$(irqs "$vf0")' (VF 1: '$(irqs "$vf1")'), 100 frames out: $rx" \
	test "$(irqs "$vf0")" = "$vf0-config $vf0-virtqueues " -a \
	"$(irqs "$vf1")" = "$vf1-config " -a \
	"$(awk '{ print $2 }' <<<"$rx")" = 100

# 7: bound: the PCI core refuses
got=$(write_errno "$PCIDEVS/$vf0/sriov_vf_msix_count" 3)
iovsim_check "bound VF: sriov_vf_msix_count 3 -> $got, Table Size still $(table_size "$vf0")" \
	test "$got" = EBUSY -a "$(table_size "$vf0")" = 2

# 8: 0 gives the whole table back
echo "$vf0" >/sys/bus/pci/drivers/iovsim_virtio/unbind
echo 0 >"$PCIDEVS/$vf0/sriov_vf_msix_count"
iovsim_check "sriov_vf_msix_count 0: Table Size $(table_size "$vf0") again" \
	test "$(table_size "$vf0")" = 4

# 9: disabling the VFs resets every table
echo 3 >"$PCIDEVS/$vf1/sriov_vf_msix_count" 2>/dev/null ||
	{ echo "$vf1" >/sys/bus/pci/drivers/iovsim_virtio/unbind;
	  echo 3 >"$PCIDEVS/$vf1/sriov_vf_msix_count"; }
before=$(table_size "$vf1")
echo 0 >"$pfdev/sriov_numvfs"
echo 2 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
iovsim_check "VF 1 had $before entries; VFs disabled and enabled again: $(table_size "${vfs[1]:-none}")" \
	test "$before" = 3 -a "$(table_size "${vfs[1]:-none}")" = 4

ktap_finished
