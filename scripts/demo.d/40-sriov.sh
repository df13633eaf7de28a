# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Demo section: an SR-IOV PF whose VFs the kernel's PCI core enumerates
# when sriov_numvfs is written, each driven by the stock virtio_net.

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
vf0=$(basename "$(readlink "/sys/bus/pci/devices/$pf/virtfn0")")
vfnet=$(ls "/sys/bus/pci/devices/$vf0"/virtio*/net)
say "The PF's netdev ($pfnet) is where iproute2 sets VFs: one 'vf N' line per VF."
show ip link show "$pfnet"
say "Take VF 0's link down from the PF: its virtio_net ($vfnet) sees carrier go."
show ip link set "$vfnet" up
show ip link set "$pfnet" vf 0 state disable
sleep 1
show cat "/sys/class/net/$vfnet/carrier"
show ip link set "$pfnet" vf 0 state auto
sleep 1
show cat "/sys/class/net/$vfnet/carrier"

say "Zero takes them all away again."
show sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
show ip -br link

say "Unload: the SR-IOV NIC first, then the virtio model its VFs are made of."
show iovsim_unload iovsim_sriov
show iovsim_unload iovsim_virtio
