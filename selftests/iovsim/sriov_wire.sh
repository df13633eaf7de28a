#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # rx is set by sriov_frames
#
# Two SR-IOV NICs cabled wire to wire (configfs sriov-nic/<name>/wire,
# the same label on both): a VF of one reaches a VF and the PF of the
# other through both switches, frame by frame, and the wire counters
# (ethtool -S wire_*) count them; broadcasts cross, unicast for an
# address on neither NIC leaves on the wire and is counted there.  A NIC
# whose wire has no cable drops what it sends there (wire_tx_dropped).
# Disabling one NIC unplugs the cable: the other's frames for the wire
# are dropped again; enabling it again plugs it back.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=0
sriov_need_tools ethtool

ktap_print_header
ktap_set_plan 7

cleanup() {
	local n
	ip netns del wa 2>/dev/null
	ip netns del wb 2>/dev/null
	for n in wna wnb; do
		[ -d "$CFS/sriov-nic/$n" ] || continue
		echo 0 >"$CFS/sriov-nic/$n/enable"
		rmdir "$CFS/sriov-nic/$n"
	done
	rm -f /tmp/sw.$$.*
	iovsim_unload_all
}
trap cleanup EXIT

# nic NAME MAC: an enabled sriov-nic with 2 VFs and its wire labelled
# "cable0"; sets addr, pfnet, vfnet (VF 0's netdev)
nic() {
	local d=$CFS/sriov-nic/$1 vf
	mkdir "$d"
	echo 2 >"$d/total_vfs"
	echo "$2" >"$d/mac"
	echo cable0 >"$d/wire"
	echo 1 >"$d/enable"
	addr=$(cat "$d/address")
	pfnet=$(ls "$PCIDEVS/$addr/net")
	echo 1 >"$PCIDEVS/$addr/sriov_numvfs"
	vf=$(sriov_vfs "$addr")
	vfnet=$(virtio_wait_for sriov_vf_netdev "$vf")
}

dmesg_mark
nic wna 02:00:00:00:a0:00
pfa=$pfnet vfa=$vfnet
nic wnb 02:00:00:00:b0:00
pfb=$pfnet vfb=$vfnet
iovsim_check "two NICs with wire cable0: one 'cabled' log line" \
	test "$(dmesg_since | grep -c 'wire cable0 cabled')" = 1

ip netns add wa
ip netns add wb
ip link set "$vfa" netns wa
ip link set "$pfb" netns wb
ip link set "$vfb" netns wb
for n in wa wb; do
	ip netns exec $n sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
done
ip -n wa link set "$vfa" up
ip -n wb link set "$vfb" up
ip -n wb link set "$pfb" up
virtio_quiet_link "$pfa"

wstat() {
	sriov_in_ns "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}
good() { awk '{ print $2 }' <<<"$rx"; }

vfbmac=$(ip netns exec wb cat "/sys/class/net/$vfb/address")
pfbmac=$(ip netns exec wb cat "/sys/class/net/$pfb/address")
w0=$(wstat root "$pfa" wire_tx_frames)
sriov_frames wa "$vfa" wb "$vfb" "$vfbmac" 200 200
iovsim_check "200 frames NIC A VF 0 -> NIC B VF 0 across the wire, intact: $rx" \
	test "$(good)" = 200
iovsim_check "NIC A wire_tx_frames +$(($(wstat root "$pfa" wire_tx_frames) - w0)) (at least 200)" \
	test $(($(wstat root "$pfa" wire_tx_frames) - w0)) -ge 200
sriov_frames wa "$vfa" wb "$pfb" "$pfbmac" 100 100
iovsim_check "100 frames NIC A VF 0 -> NIC B's PF: $rx" test "$(good)" = 100
sriov_frames wb "$vfb" root "$pfa" bcast 100 100
iovsim_check "100 broadcast frames NIC B VF 0 -> NIC A's PF: $rx" \
	test "$(good)" = 100

# unplug: disable NIC B
echo 0 >"$PCIDEVS/$(cat "$CFS/sriov-nic/wnb/address")/sriov_numvfs" 2>/dev/null
ip netns del wb
echo 0 >"$CFS/sriov-nic/wnb/enable"
d0=$(wstat root "$pfa" wire_tx_dropped)
ip netns exec wa "$IOVSIM_SELFTEST_DIR/virtio_frames" send "$vfa" \
	"$vfbmac" 50 100 >/dev/null
sleep 1
iovsim_check "NIC B disabled: 50 frames for the wire dropped there (wire_tx_dropped +$(($(wstat root "$pfa" wire_tx_dropped) - d0)))" \
	test $(($(wstat root "$pfa" wire_tx_dropped) - d0)) = 50
dmesg_mark
echo 1 >"$CFS/sriov-nic/wnb/enable"
iovsim_check "NIC B enabled again: its wire is cabled again ($(dmesg_since | grep -c 'wire cable0 cabled') log line)" \
	test "$(dmesg_since | grep -c 'wire cable0 cabled')" = 1

ktap_finished
