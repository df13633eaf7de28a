#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # tx, rx are set by sriov_frames
#
# devlink and switchdev mode, through the devlink tool: each bound PF has
# a devlink instance whose port 0 is its wire (flavour physical, the PF
# netdev, phys_port_name p0); `eswitch set mode switchdev` adds a pcivf
# port and a representor netdev per enabled VF (pf0vf<n>, the PF's switch
# ID).  In switchdev mode the switch forwards nothing itself: frames from
# a VF arrive on its representor, frames sent on a representor reach the
# VF, and a bridge between representors carries VF-to-VF traffic.
# `port function set hw_addr` sets a VF's MAC; bad values are refused and
# change nothing; VFs enabled in switchdev mode get representors; back to
# legacy mode the representors go and the switch forwards again;
# unbinding the PF in switchdev mode leaves nothing behind.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=1 total_vfs=4
sriov_need_tools jq devlink

ktap_print_header
ktap_set_plan 14

pf=$(sriov_pfs)
pfdev=$PCIDEVS/$pf
dl=pci/$pf
pfnet=$(ls "$pfdev/net")

cleanup() {
	ip netns del sa 2>/dev/null
	ip netns del sb 2>/dev/null
	ip link del sdbr 2>/dev/null
	devlink dev eswitch set "$dl" mode legacy 2>/dev/null
	echo 0 >"$pfdev/sriov_numvfs" 2>/dev/null
	iovsim_unload_all
}
trap cleanup EXIT

# port INDEX JQ: JQ applied to devlink port INDEX of the PF, compact
port() {
	devlink -j port show | jq -c ".port[\"$dl/$1\"] | $2"
}
nports() { devlink -j port show | jq '.port | length'; }
mode() { devlink -j dev eswitch show "$dl" | jq -r ".dev[\"$dl\"].mode"; }

# 1-2: legacy mode: the wire's port
iovsim_check "devlink lists $dl in mode $(mode)" test "$(mode)" = legacy
iovsim_check "port 0: $(port 0 '[.flavour, .port, .netdev]') (physical, 0, $pfnet); $(nports) port(s); phys_port_name $(cat "/sys/class/net/$pfnet/phys_port_name")" \
	test "$(port 0 '[.flavour, .port, .netdev]')" = "[\"physical\",0,\"$pfnet\"]" \
	-a "$(nports)" = 1 -a "$(cat "/sys/class/net/$pfnet/phys_port_name")" = p0

echo 2 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
vfnet=()
ns=(sa sb)
for n in 0 1; do
	vfnet[n]=$(virtio_wait_for sriov_vf_netdev "${vfs[n]:-none}")
	ip netns add "${ns[n]}"
	ip link set "${vfnet[n]}" netns "${ns[n]}"
	ip netns exec "${ns[n]}" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
	ip -n "${ns[n]}" addr add "10.79.0.$((n + 1))/24" dev "${vfnet[n]}"
	ip -n "${ns[n]}" link set "${vfnet[n]}" up
done
vfmac() { ip netns exec "${ns[$1]}" cat "/sys/class/net/${vfnet[$1]}/address"; }

# 3-4: switchdev: a pcivf port and a representor per VF
devlink dev eswitch set "$dl" mode switchdev
rep=()
for n in 0 1; do
	rep[n]=$(port $((n + 1)) '.netdev' | tr -d '"')
done
iovsim_check "mode $(mode): ports $(nports); port 1 $(port 1 '[.flavour, .pfnum, .vfnum]'), port 2 $(port 2 '[.flavour, .pfnum, .vfnum]')" \
	test "$(mode)" = switchdev -a "$(nports)" = 3 -a \
	"$(port 1 '[.flavour, .pfnum, .vfnum]')" = '["pcivf",0,0]' -a \
	"$(port 2 '[.flavour, .pfnum, .vfnum]')" = '["pcivf",0,1]'
r0=/sys/class/net/${rep[0]:-none}
iovsim_check "representors ${rep[*]}: phys_port_name $(cat "$r0/phys_port_name" 2>/dev/null), switch ID $(cat "$r0/phys_switch_id" 2>/dev/null) = the PF's" \
	test "$(cat "$r0/phys_port_name" 2>/dev/null)" = pf0vf0 -a \
	"$(cat "/sys/class/net/${rep[1]:-none}/phys_port_name" 2>/dev/null)" = pf0vf1 -a \
	"$(cat "$r0/phys_switch_id" 2>/dev/null)" = "$(cat "/sys/class/net/$pfnet/phys_switch_id")"
for n in 0 1; do
	virtio_quiet_link "${rep[n]}"
done

# 5-7: frames go to representors, not across
sriov_frames sa "${vfnet[0]}" sb "${vfnet[1]}" "$(vfmac 1)" 50 0
iovsim_check "no bridge: VF 0 -> VF 1 frames do not cross ($tx; $(awk '{ print $2 }' <<<"$rx") arrived)" \
	test "$(awk '{ print $2 }' <<<"$rx")" = 0 -a "$tx" = "$(awk '/^sent 50 failed 0 /' <<<"$tx")" -a -n "$tx"
sriov_frames sa "${vfnet[0]}" root "${rep[0]}" "$(vfmac 1)" 120 120
iovsim_check "120 frames from VF 0 arrive on its representor ${rep[0]}: $rx" \
	test "$(awk '{ print $2 }' <<<"$rx")" = 120
sriov_frames root "${rep[1]}" sb "${vfnet[1]}" "$(vfmac 1)" 120 120
iovsim_check "120 frames sent on representor ${rep[1]} reach VF 1: $rx" \
	test "$(awk '{ print $2 }' <<<"$rx")" = 120

# 8-9: a bridge between the representors
ip link add sdbr type bridge
virtio_quiet_link sdbr
for n in 0 1; do
	ip link set "${rep[n]}" master sdbr
done
iovsim_check "bridge over the representors: VF 0 pings VF 1" \
	ip netns exec sa ping -c 2 -i 0.3 -W 3 10.79.0.2
sriov_frames sa "${vfnet[0]}" sb "${vfnet[1]}" "$(vfmac 1)" 200 200
iovsim_check "200 frames VF 0 -> bridge -> VF 1 intact: $rx" \
	test "$(awk '{ print $2 }' <<<"$rx")" = 200 -a \
	"$(awk '{ print $6 }' <<<"$rx")" = 0

# 10-11: port function hw_addr
devlink port function set "$dl/2" hw_addr 02:00:00:00:5d:01
got=$(ip -j link show "$pfnet" | jq -r '.[0].vfinfo_list[1].address')
iovsim_check "port function set hw_addr 02:00:00:00:5d:01: ip link shows vf 1 $got, devlink $(port 2 '.function.hw_addr')" \
	test "$got" = 02:00:00:00:5d:01 -a \
	"$(port 2 '.function.hw_addr')" = '"02:00:00:00:5d:01"'
if out=$(devlink port function set "$dl/2" hw_addr 01:00:5e:00:00:01 2>&1); then
	res=accepted
else
	res="refused: $out"
fi
iovsim_check "hw_addr 01:00:5e:00:00:01 (multicast): $res; still $(port 2 '.function.hw_addr')" \
	test "$res" != accepted -a "$(port 2 '.function.hw_addr')" = '"02:00:00:00:5d:01"'

# 12: VFs enabled in switchdev mode get representors
ip link del sdbr
ip netns del sa
ip netns del sb
echo 0 >"$pfdev/sriov_numvfs"
n0=$(nports)
echo 3 >"$pfdev/sriov_numvfs"
iovsim_check "VFs 0 -> 3 in switchdev mode: $n0 -> $(nports) ports, port 3 $(port 3 '.flavour')" \
	test "$n0" = 1 -a "$(nports)" = 4 -a "$(port 3 '.flavour')" = '"pcivf"'

# 13: legacy again: representors gone, the switch forwards again
devlink dev eswitch set "$dl" mode legacy
mapfile -t vfs < <(sriov_vfs "$pf")
a=$(virtio_wait_for sriov_vf_netdev "${vfs[0]}")
b=$(virtio_wait_for sriov_vf_netdev "${vfs[1]}")
virtio_quiet_link "$a"
virtio_quiet_link "$b"
sriov_frames root "$a" root "$b" "$(cat "/sys/class/net/$b/address")" 60 60
iovsim_check "legacy: $(nports) port, frames VF 0 -> VF 1 forwarded again: $rx" \
	test "$(nports)" = 1 -a "$(awk '{ print $2 }' <<<"$rx")" = 60

# 14: unbinding the PF in switchdev mode leaves no netdev behind
devlink dev eswitch set "$dl" mode switchdev
before=$(ls /sys/class/net | wc -l)
echo "$pf" >/sys/bus/pci/drivers/iovsim_sriov/unbind
after=$(ls /sys/class/net | wc -l)
echo "$pf" >/sys/bus/pci/drivers/iovsim_sriov/bind
iovsim_check "unbound in switchdev mode with 3 VFs: $before -> $after netdevs (PF, 3 VFs, 3 representors gone); bound again: mode $(mode)" \
	test $((before - after)) = 7 -a "$(mode)" = legacy

ktap_finished
