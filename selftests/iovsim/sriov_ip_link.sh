#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# VF settings through the PF's netdev, with iproute2 as users run it:
# `ip link show <pf>` lists each enabled VF with its MAC, link state,
# spoof check and trust; `ip link set <pf> vf N mac` changes the MAC the
# VF's device offers (its driver takes it when it next probes), `state
# disable|enable|auto` takes the VF's link down and up (its virtio_net sees
# carrier go and come), vlan/rate/spoofchk/trust are stored and shown,
# bad values and VFs that are not enabled are refused and change nothing,
# `ip -s link` counts what a VF sent, and disabling the VFs resets their
# settings.  sriov_switch.sh proves with frames that the switch enforces
# them.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=1 total_vfs=4
sriov_need_tools jq

ktap_print_header
ktap_set_plan 19

pf=$(sriov_pfs)
pfdev=$PCIDEVS/$pf
pfnet=
for d in "$pfdev"/net/*; do
	[ -e "$d" ] && pfnet=${d##*/}
done

# vf_field N KEY: KEY of VF N in `ip -j link show PF` (address, link_state...),
# "null" if there is none
vf_field() {
	ip -j link show "$pfnet" | jq -r ".[0].vfinfo_list[$1].$2"
}
vf_count() {
	ip -j link show "$pfnet" | jq -r '.[0].vfinfo_list | length'
}
mac_plus() {
	local v
	v=$(( 0x${1//:/} + $2 ))
	printf '%012x' "$v" | sed 's/../&:/g; s/:$//'
}

# 1
iovsim_check "the PF has a netdev ($pfnet) with no VF listed ($(vf_count))" \
	test -n "$pfnet" -a "$(vf_count)" = 0
pmac=$(tr -d : <"/sys/class/net/$pfnet/address")
pname=$(cat "/sys/class/net/$pfnet/phys_port_name" 2>/dev/null)
sid=$(cat "/sys/class/net/$pfnet/phys_switch_id" 2>/dev/null)
iovsim_check "phys_port_name '$pname' (p0), phys_switch_id '$sid' (its MAC $pmac)" \
	test "$pname" = p0 -a "$sid" = "$pmac"

echo 3 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
pfmac=$(cat "/sys/class/net/$pfnet/address")

# 2
ok=1
for n in 0 1 2; do
	[ "$(vf_field $n address)" = "$(mac_plus "$pfmac" $((n + 1)))" ] || ok=0
	[ "$(vf_field $n link_state)" = auto ] || ok=0
	[ "$(vf_field $n spoofchk)" = true ] || ok=0
	[ "$(vf_field $n trust)" = false ] || ok=0
	[ "$(vf_field $n 'vlan_list[0].vlan // 0')" = 0 ] || ok=0
done
iovsim_check "ip link shows 3 VFs: MAC PF+n+1, link-state auto, spoofchk on, trust off, no VLAN ($(vf_count), $(vf_field 0 address))" \
	test "$ok" = 1 -a "$(vf_count)" = 3

# 3-4: a new MAC for VF 1, taken by its driver when it next probes
vf1=${vfs[1]:-none}
virtio_netdev_of() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(sriov_vf_netdev "$1")
		[ -n "$n" ] && echo "$n" && return 0
		sleep 0.1
	done
	return 1
}
ip link set "$pfnet" vf 1 mac 02:11:22:33:44:55
iovsim_check "vf 1 mac 02:11:22:33:44:55: ip link shows $(vf_field 1 address)" \
	test "$(vf_field 1 address)" = 02:11:22:33:44:55
echo "$vf1" >/sys/bus/pci/drivers/iovsim_virtio/unbind
echo "$vf1" >/sys/bus/pci/drivers/iovsim_virtio/bind
n=$(virtio_netdev_of "$vf1")
got=$(cat "/sys/class/net/$n/address" 2>/dev/null)
iovsim_check "VF 1's virtio_net, probed again, has MAC $got" \
	test "$got" = 02:11:22:33:44:55

# 5-7: bad settings change nothing
bad_set() {
	local label=$1 before out
	shift
	before=$(ip -j link show "$pfnet" | jq -c '.[0].vfinfo_list')
	if out=$(ip link set "$pfnet" "$@" 2>&1); then
		ktap_test_fail "$label: accepted"
		return
	fi
	if [ "$(ip -j link show "$pfnet" | jq -c '.[0].vfinfo_list')" = "$before" ] &&
		grep -q "$want" <<<"$out"; then
		ktap_test_pass "$label: refused ($out), nothing changed"
	else
		ktap_test_fail "$label: '$out' (want $want), or something changed"
	fi
}
want="Invalid argument"
bad_set "vf 1 mac 01:00:5e:00:00:01 (multicast)" vf 1 mac 01:00:5e:00:00:01
bad_set "vf 3 mac (VF 3 not enabled)" vf 3 mac 02:00:00:00:00:33
bad_set "vf 3 state disable (VF 3 not enabled)" vf 3 state disable

# 8-11: bad VLAN and rate values
bad_set "vf 0 vlan 4095 (reserved)" vf 0 vlan 4095
bad_set "vf 3 vlan 10 (VF 3 not enabled)" vf 3 vlan 10
want="must be <= max_tx_rate"	# iproute2 refuses it before the kernel does
bad_set "vf 0 min_tx_rate 200 max_tx_rate 100" vf 0 min_tx_rate 200 max_tx_rate 100
want="Invalid argument"
bad_set "vf 3 spoofchk off (VF 3 not enabled)" vf 3 spoofchk off

# 12-13: every setting stored and shown
ip link set "$pfnet" vf 2 vlan 100 qos 3 proto 802.1ad
ip link set "$pfnet" vf 2 min_tx_rate 10 max_tx_rate 200
ip link set "$pfnet" vf 2 spoofchk off
ip link set "$pfnet" vf 2 trust on
v=$(ip -j link show "$pfnet" | jq -c '.[0].vfinfo_list[2] | [.vlan_list[0].vlan, .vlan_list[0].qos, .vlan_list[0].protocol, .rate.min_tx, .rate.max_tx, .spoofchk, .trust]')
iovsim_check "vf 2 vlan 100 qos 3 802.1ad, rate 10..200, spoofchk off, trust on: $v" \
	test "$v" = '[100,3,"802.1ad",10,200,false,true]'
ip link set "$pfnet" vf 2 vlan 0
v=$(ip -j link show "$pfnet" | jq -c '.[0].vfinfo_list[2] | [.vlan_list[0].vlan // 0, .rate.max_tx]')
iovsim_check "vf 2 vlan 0 removes the port VLAN, leaves the rate: $v" \
	test "$v" = '[0,200]'

# 14-15: link state
vf0=${vfs[0]:-none}
n0=$(virtio_netdev_of "$vf0")
ip link set "$n0" up
carrier() { cat "/sys/class/net/$n0/carrier" 2>/dev/null; }
wait_carrier() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(carrier)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_carrier 1
ip link set "$pfnet" vf 0 state disable
wait_carrier 0
off=$(carrier)
iovsim_check "vf 0 state disable: $n0 carrier $off, ip link shows $(vf_field 0 link_state)" \
	test "$off" = 0 -a "$(vf_field 0 link_state)" = disable
ip link set "$pfnet" vf 0 state enable
wait_carrier 1
iovsim_check "vf 0 state enable: carrier $(carrier), ip link shows $(vf_field 0 link_state)" \
	test "$(carrier)" = 1 -a "$(vf_field 0 link_state)" = enable

# 16: what VF 0 sends is counted in ip -s link show <pf>
tx_packets() {
	ip -s -j link show "$pfnet" | jq -r '.[0].vfinfo_list[0].stats.tx.tx_packets // empty'
}
before=$(tx_packets)
ping -c 3 -i 0.2 -I "$n0" 198.51.100.1 >/dev/null 2>&1
after=$(tx_packets)
iovsim_check "VF 0 tx packets $before -> $after after 3 pings (ARP requests, at least 3)" \
	test -n "$before" -a -n "$after" -a $((after - before)) -ge 3

# 17: state auto (the switch is always up)
ip link set "$pfnet" vf 0 state auto
iovsim_check "vf 0 state auto: carrier $(carrier), $(vf_field 0 link_state)" \
	test "$(carrier)" = 1 -a "$(vf_field 0 link_state)" = auto

# 18: disabling the VFs resets their settings
ip link set "$pfnet" vf 0 state disable
echo 0 >"$pfdev/sriov_numvfs"
echo 3 >"$pfdev/sriov_numvfs"
v=$(ip -j link show "$pfnet" | jq -c '.[0].vfinfo_list[2] | [.vlan_list[0].vlan // 0, .rate.max_tx, .spoofchk, .trust]')
iovsim_check "VFs again: vf 1 MAC $(vf_field 1 address), vf 0 $(vf_field 0 link_state), vf 2 $v" \
	test "$(vf_field 1 address)" = "$(mac_plus "$pfmac" 2)" -a \
	"$(vf_field 0 link_state)" = auto -a "$v" = '[0,0,true,false]'
echo 0 >"$pfdev/sriov_numvfs"

ktap_finished
