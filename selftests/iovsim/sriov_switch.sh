#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # tx, rx are set by sriov_frames
#
# The SR-IOV NIC's embedded switch, proven with frames.  Three VFs (their
# virtio_net netdevs in namespaces a, b and c) and the PF's netdev:
# numbered frames (virtio_frames) cross the switch unicast and broadcast,
# each checked for length, sequence and payload on arrival, and the
# counters the PF reports (ip -s link, ethtool -S) match them.  Each VF
# setting is proven on frames: a spoofed source is dropped and counted,
# then passes with spoofchk off; port VLANs isolate VFs, are inserted
# towards the PF (802.1Q and 802.1ad) and stripped towards the VF, and a
# VF with an 802.1Q port VLAN cannot send tagged frames while an 802.1ad
# one goes outside their own tag (Q-in-Q); link state disable drops
# both ways; an untrusted VF cannot change its MAC, a trusted one can and
# the switch follows; max_tx_rate holds a flood within 20% of the rate.
# Disabling the VFs and unloading the module while a VF floods complete
# and leave nothing behind.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=1 total_vfs=4
sriov_need_tools jq ethtool

ktap_print_header
ktap_set_plan 24

pf=$(sriov_pfs)
pfdev=$PCIDEVS/$pf
for d in "$pfdev"/net/*; do
	[ -e "$d" ] && pfnet=${d##*/}
done
echo 3 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")

cleanup() {
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	ip netns del c 2>/dev/null
	ip link del "$pfnet.10" 2>/dev/null
	ip link del "$pfnet.20" 2>/dev/null
	echo 0 >"$pfdev/sriov_numvfs" 2>/dev/null
	rm -f /tmp/sw.$$.*
	iovsim_unload_all
}
trap cleanup EXIT

# VF n's netdev, moved into its namespace (a, b, c), quiet, up
ns=(a b c)
vfnet=()
for n in 0 1 2; do
	vfnet[n]=$(virtio_wait_for sriov_vf_netdev "${vfs[n]:-none}")
	ip netns add "${ns[n]}"
	ip link set "${vfnet[n]}" netns "${ns[n]}"
	ip netns exec "${ns[n]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "${ns[n]}" link set "${vfnet[n]}" up
	ip -n "${ns[n]}" addr add "10.77.0.$((n + 1))/24" dev "${vfnet[n]}"
done
virtio_quiet_link "$pfnet"
ip addr add 10.77.0.254/24 dev "$pfnet"
pfmac=$(cat "/sys/class/net/$pfnet/address")
mac() { ip -n "${ns[$1]}" -j link show "${vfnet[$1]}" | jq -r '.[0].address'; }

# swstat VF NAME: ethtool -S counter vfVF_NAME of the PF
swstat() {
	ethtool -S "$pfnet" | awk -v k="vf$1_$2:" '$1 == k { print $2 }'
}

# xfer FROM TO DST COUNT EXPECT [SEND OPTIONS...]: COUNT frames from VF
# FROM (or "pf", or "pf.10"...) to DST, received on TO (same notation),
# EXPECT of them expected (sriov_frames); sets tx and rx
nsof() {
	case $1 in
	pf*) echo root ;;
	*) echo "${ns[$1]}" ;;
	esac
}
ifname() {
	case $1 in
	pf*) echo "${1/pf/$pfnet}" ;;
	*) echo "${vfnet[$1]}" ;;
	esac
}
xfer() {
	local from=$1 to=$2
	shift 2
	sriov_frames "$(nsof "$from")" "$(ifname "$from")" \
		"$(nsof "$to")" "$(ifname "$to")" "$@"
}
good() { awk '{ print $2 }' <<<"$rx"; }
sent() { awk '$1 == "sent" && $4 == 0 { print $2 }' <<<"$tx"; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$rx"; }

# 1-2: ping through the switch
pings() { ip netns exec a ping -c 2 -i 0.3 -W 3 "$1" >/dev/null 2>&1; }
iovsim_check "VF 0 pings VF 1 through the switch" pings 10.77.0.2
iovsim_check "VF 0 pings the PF's netdev" pings 10.77.0.254

# 3-4: unicast frames VF 0 -> VF 1, every one intact, counted
t0=$(swstat 0 tx_frames) r1=$(swstat 1 rx_frames)
xfer 0 1 "$(mac 1)" 300 300
iovsim_check "300 unicast frames VF 0 -> VF 1 arrive intact: $rx" \
	test "$(good)" = 300 -a "$(field bad)" = 0 -a "$(field dup)" = 0
iovsim_check "ethtool -S: vf0_tx_frames +$(($(swstat 0 tx_frames) - t0)), vf1_rx_frames +$(($(swstat 1 rx_frames) - r1)) (300 each)" \
	test $(($(swstat 0 tx_frames) - t0)) -ge 300 -a \
	$(($(swstat 1 rx_frames) - r1)) -ge 300

# 5: unicast to VF 1 does not reach VF 2
xfer 0 2 "$(mac 1)" 50 0
iovsim_check "frames for VF 1 do not reach VF 2: $tx; $rx" \
	test "$(good)" = 0 -a "$(sent)" = 50

# 6-7: broadcast reaches the other VFs and the PF
xfer 0 2 bcast 100 100
iovsim_check "100 broadcast frames from VF 0 reach VF 2 intact: $rx" \
	test "$(good)" = 100 -a "$(field bcast)" = 100
xfer 1 pf bcast 100 100
iovsim_check "100 broadcast frames from VF 1 reach the PF intact: $rx" \
	test "$(good)" = 100

# 8: PF -> VF unicast
xfer pf 2 "$(mac 2)" 200 200
iovsim_check "200 frames PF -> VF 2 intact: $rx" test "$(good)" = 200

# 9-10: spoof check
s0=$(swstat 0 drop_spoof)
xfer 0 1 "$(mac 1)" 60 0 src=02:00:00:00:0e:99
iovsim_check "spoofchk on: 60 frames from VF 0 with source 02:00:00:00:0e:99 dropped ($(good) arrived), vf0_drop_spoof +$(($(swstat 0 drop_spoof) - s0))" \
	test "$(good)" = 0 -a $(($(swstat 0 drop_spoof) - s0)) = 60
ip link set "$pfnet" vf 0 spoofchk off
xfer 0 1 "$(mac 1)" 60 60 src=02:00:00:00:0e:99
iovsim_check "spoofchk off: the same 60 frames arrive: $rx" test "$(good)" = 60
ip link set "$pfnet" vf 0 spoofchk on

# 11-18: port VLANs, Q-in-Q
ip link set "$pfnet" vf 0 vlan 10
ip link set "$pfnet" vf 1 vlan 20
xfer 0 1 "$(mac 1)" 50 0
iovsim_check "VF 0 in VLAN 10, VF 1 in VLAN 20: nothing crosses ($tx; $(good) arrived)" \
	test "$(good)" = 0 -a "$(sent)" = 50
ip link set "$pfnet" vf 1 vlan 10
xfer 0 1 "$(mac 1)" 50 50
iovsim_check "both in VLAN 10: 50 frames arrive untagged: $rx" \
	test "$(good)" = 50 -a "$(field tagged)" = 0
xfer 0 pf "$pfmac" 80 80
iovsim_check "VF 0 -> PF: 80 frames arrive tagged 802.1Q VLAN 10: $rx" \
	test "$(good)" = 80 -a "$(field tagged)" = 80 -a "$(field vid)" = 10 \
	-a "$(field tpid)" = 0x8100
ip link add link "$pfnet" name "$pfnet.10" type vlan id 10
virtio_quiet_link "$pfnet.10"
xfer pf.10 0 "$(mac 0)" 80 80
iovsim_check "PF VLAN 10 -> VF 0: 80 frames arrive with the tag stripped: $rx" \
	test "$(good)" = 80 -a "$(field tagged)" = 0
v0=$(swstat 0 drop_vlan)
xfer 0 pf "$pfmac" 40 0 vlan=30
iovsim_check "VF 0 (port VLAN) sends 40 tagged frames: dropped, vf0_drop_vlan +$(($(swstat 0 drop_vlan) - v0)) ($(good) arrived)" \
	test "$(good)" = 0 -a $(($(swstat 0 drop_vlan) - v0)) = 40
ip link set "$pfnet" vf 0 vlan 20 qos 5 proto 802.1ad
xfer 0 pf "$pfmac" 60 60
iovsim_check "vlan 20 qos 5 proto 802.1ad: 60 frames reach the PF tagged 0x88a8 VLAN 20: $rx" \
	test "$(good)" = 60 -a "$(field tagged)" = 60 -a "$(field vid)" = 20 \
	-a "$(field tpid)" = 0x88a8
xfer 0 pf "$pfmac" 60 60 vlan=5
iovsim_check "802.1ad Q-in-Q: 60 frames VF 0 tagged 802.1Q VLAN 5 reach the PF with the 0x88a8 VLAN 20 tag outside it: $rx" \
	test "$(good)" = 60 -a "$(field tagged)" = 60 -a "$(field vid)" = 20 \
	-a "$(field tpid)" = 0x88a8 -a "$(field inner)" = 60 -a "$(field ivid)" = 5
ip link set "$pfnet" vf 1 vlan 20 proto 802.1ad
xfer 0 1 "$(mac 1)" 60 60 vlan=5
iovsim_check "and reach VF 1 (802.1ad VLAN 20 too) with only their own 802.1Q VLAN 5 tag: $rx" \
	test "$(good)" = 60 -a "$(field tagged)" = 60 -a "$(field vid)" = 5 \
	-a "$(field tpid)" = 0x8100 -a "$(field inner)" = 0
ip link set "$pfnet" vf 0 vlan 0
ip link set "$pfnet" vf 1 vlan 0

# 19: link state disable: what is sent to the VF is dropped and counted
# as the VF's (its device's link is down); what it would send stops at
# its own driver, whose carrier is off
ip link set "$pfnet" vf 1 state disable
sleep 0.5
d1=$(swstat 1 rx_dropped)
xfer 0 1 "$(mac 1)" 30 0
a=$(good)
xfer 1 0 "$(mac 0)" 30 0 dontwait
iovsim_check "vf 1 state disable: 0 of 30 frames reach it ($a), vf1_rx_dropped +$(($(swstat 1 rx_dropped) - d1)) (30), 0 of 30 leave it ($(good))" \
	test "$a" = 0 -a $(($(swstat 1 rx_dropped) - d1)) = 30 -a "$(good)" = 0
ip link set "$pfnet" vf 1 state auto

# 20-21: trust
if ip -n b link set "${vfnet[1]}" address 02:00:00:00:0b:01 2>/dev/null; then
	untrusted=accepted
else
	untrusted=refused
fi
iovsim_check "untrusted VF 1 cannot change its MAC ($untrusted, still $(mac 1))" \
	test "$untrusted" = refused
ip link set "$pfnet" vf 1 trust on
ip -n b link set "${vfnet[1]}" address 02:00:00:00:0b:01
xfer 1 0 "$(mac 0)" 40 40
a=$(good)
xfer 0 1 02:00:00:00:0b:01 40 40
iovsim_check "trusted VF 1 takes 02:00:00:00:0b:01 ($(mac 1)): its frames pass spoofchk ($a of 40), frames to it arrive ($(good) of 40)" \
	test "$(mac 1)" = 02:00:00:00:0b:01 -a "$a" = 40 -a "$(good)" = 40

# 22: rate.  The limit is a quarter of what a 2 s flood from VF 0 gets
# through without one (TCG and debug kernels are slow, and only a flood
# faster than the limit shows it), then a 3 s flood must get through at
# the limit, within 20%.
flood() {
	local r
	r=$(swstat 1 rx_bytes)
	xfer 0 1 "$(mac 1)" 4000000 1 "ms=$1" dontwait
	ms=$(awk '{ print $6 }' <<<"$tx")
	bytes=$(($(swstat 1 rx_bytes) - r))
	kbps=$((bytes * 8 / ${ms:-1}))
}
flood 2000
limit=$((kbps / 4000))
[ "$limit" -ge 1 ] || limit=1
ip link set "$pfnet" vf 0 max_tx_rate "$limit"
flood 3000
iovsim_check "max_tx_rate $limit Mbit/s: VF 1 received $bytes bytes in $ms ms = $kbps kbit/s ($tx)" \
	test "$kbps" -ge $((limit * 800)) -a "$kbps" -le $((limit * 1200))
ip link set "$pfnet" vf 0 max_tx_rate 0

# 23-24: the VFs go away, then the module, while VF 0 floods VF 1
flood_bg() {
	ip netns exec a "$IOVSIM_SELFTEST_DIR/virtio_frames" send \
		"${vfnet[0]}" "$(mac 1)" 4000000 1514 ms=30000 dontwait \
		>/dev/null 2>&1 &
	fpid=$!
	sleep 1
}
flood_bg
rc=$(write_errno "$pfdev/sriov_numvfs" 0)
wait "$fpid"
iovsim_check "sriov_numvfs 0 under a flood from VF 0: $rc, $(sriov_vfs "$pf" | wc -l) VFs left" \
	test "$rc" = OK -a -z "$(sriov_vfs "$pf")"
ip netns del a
ip netns del b
ip netns del c
echo 2 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
for n in 0 1; do
	vfnet[n]=$(virtio_wait_for sriov_vf_netdev "${vfs[n]:-none}")
	ip netns add "${ns[n]}"
	ip link set "${vfnet[n]}" netns "${ns[n]}"
	ip -n "${ns[n]}" link set "${vfnet[n]}" up
done
flood_bg
iovsim_unload iovsim_sriov
rc=$?
wait "$fpid"
iovsim_check "rmmod iovsim_sriov under a flood from VF 0: status $rc, $(sriov_pfs | wc -l) PFs left" \
	test "$rc" = 0 -a -z "$(sriov_pfs)"

ktap_finished
