# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # top is set by scripts/demo-guest
# Demo section: an SR-IOV PF whose VFs the kernel's PCI core enumerates
# when sriov_numvfs is written, each driven by the stock virtio_net, and
# the embedded switch between them enforcing what the PF sets.

say "iovsim_sriov adds an SR-IOV NIC's physical function (TotalVFs 8 by default)."
modprobe virtio_net
show iovsim_load iovsim_sriov || return 1
pf=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/device")" = 0x10f1 ] && [ "$(cat "$d/vendor")" = 0x1b36 ] &&
		pf=$(basename "$d") && break
done
[ -n "$pf" ] || return 1
show sh -c "lspci -vv -s $pf | sed -n '/SR-IOV/,/VF Migration/p'"
show cat "/sys/bus/pci/devices/$pf/sriov_totalvfs"

say "Four VFs: the PCI core scans them where the capability routes them (bus = PF devfn + 1)."
show sh -c "echo 4 > /sys/bus/pci/devices/$pf/sriov_numvfs"
sleep 1
show sh -c "lspci -D | grep '1041\\|Ethernet'"
show sh -c "ls -l /sys/bus/pci/devices/$pf/ | grep virtfn"
say "Each VF is a virtio-net function: the stock virtio_net gives it a netdev."
show ip -br link

pfnet=$(ls "/sys/bus/pci/devices/$pf/net")
vfnet=()
for n in 0 1; do
	vf=$(basename "$(readlink "/sys/bus/pci/devices/$pf/virtfn$n")")
	vfnet[n]=$(ls "/sys/bus/pci/devices/$vf"/virtio*/net)
done
say "The PF's netdev ($pfnet) is where iproute2 sets VFs: one 'vf N' line per VF."
show ip link show "$pfnet"

say "VF 0 and VF 1 in two namespaces ping each other through the PF's embedded switch."
for n in 0 1; do
	ip netns add "demo-vf$n"
	ip link set "${vfnet[n]}" netns "demo-vf$n"
	ip -n "demo-vf$n" addr add "10.78.0.$((n + 1))/24" dev "${vfnet[n]}"
	ip -n "demo-vf$n" link set "${vfnet[n]}" up
done
show ip netns exec demo-vf0 ping -c 2 10.78.0.2 || return 1

say "Spoof check (on by default): VF 0 sends 20 frames with a forged source address; the switch drops and counts them."
vf1mac=$(ip netns exec demo-vf1 cat "/sys/class/net/${vfnet[1]}/address")
show ip netns exec demo-vf0 "$top/selftests/iovsim/virtio_frames" send \
	"${vfnet[0]}" "$vf1mac" 20 100 src=02:00:00:00:66:66
show sh -c "ethtool -S $pfnet | grep -E 'vf0_(tx_frames|drop_spoof)'"

say "A port VLAN for VF 1 only: the two are in different VLANs now, the ping fails."
show ip link set "$pfnet" vf 1 vlan 10
show_fails ip netns exec demo-vf0 ping -c 2 -W 1 10.78.0.2 || return 1
show ip link set "$pfnet" vf 0 vlan 10
say "Both in VLAN 10: the switch tags and untags, the ping works again."
show ip netns exec demo-vf0 ping -c 2 10.78.0.2 || return 1

say "Take VF 0's link down from the PF: its virtio_net sees carrier go."
show ip link set "$pfnet" vf 0 state disable
sleep 1
show ip netns exec demo-vf0 cat "/sys/class/net/${vfnet[0]}/carrier"
show ip link set "$pfnet" vf 0 state auto
show ip -s link show "$pfnet"
ip netns del demo-vf0
ip netns del demo-vf1

say "Zero takes them all away again."
show sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
show ip -br link

say "Unload: the SR-IOV NIC first, then the virtio model its VFs are made of."
show iovsim_unload iovsim_sriov
show iovsim_unload iovsim_virtio
