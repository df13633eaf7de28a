# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # top is set by scripts/demo-guest
# Demo section: I/O passthrough.  A virtio-net function handed to
# iovsim_mdev with driverctl, an mdev created with mdevctl, and a
# user-space VFIO driver (the selftests' mdev_vfio) exchanging frames
# with an in-host function through rings in its own memory.

modprobe configfs 2>/dev/null
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
cfs=/sys/kernel/config/iovsim
modprobe virtio_net
show iovsim_load iovsim_virtio || return 1
for m in vfio_iommu_type1 mdev; do
	modprobe "$m" || return 1
done
show iovsim_load iovsim_mdev || return 1

say "Two cabled virtio-net functions; the first will be passed through."
mkdir "$cfs/virtio-net/pt" "$cfs/virtio-net/host"
echo pt >"$cfs/virtio-net/pt/port"
echo 52:54:00:ab:20:01 >"$cfs/virtio-net/pt/mac"
echo host >"$cfs/virtio-net/host/port"
echo pt >"$cfs/virtio-net/host/pair"
echo 1 >"$cfs/virtio-net/pt/enable"
echo 1 >"$cfs/virtio-net/host/enable"
a=$(cat "$cfs/virtio-net/pt/address")
b=$(cat "$cfs/virtio-net/host/address")
sleep 1
peer=$(basename "$(ls -d /sys/bus/pci/devices/"$b"/virtio*/net/*)")
echo 1 >"/proc/sys/net/ipv6/conf/$peer/disable_ipv6"
ip link set "$peer" up

say "driverctl hands $a to iovsim_mdev: its netdev goes, it becomes an mdev parent."
show driverctl --nosave set-override "$a" iovsim_mdev
show mdevctl types -p "$a"
u=0b5e2c3d-7f60-4a1b-8c9d-1e2f3a4b5c6d
show mdevctl start -u $u -p "$a" --type iovsim_mdev-passthrough
show mdevctl list
show readlink /sys/bus/mdev/devices/$u/iommu_group

say "A user-space driver opens /dev/vfio/<group>: rings and buffers in its own memory, mapped into its container; frames both ways, checked byte for byte."
show env IOVSIM_MDEV_UUID=$u IOVSIM_MDEV_PCI="$a" \
	IOVSIM_MDEV_LINK="$cfs/virtio-net/pt/link" IOVSIM_MDEV_PEER="$peer" \
	"$top/selftests/iovsim/mdev_vfio" -r mdev:dma_frames || return 1

say "Stop the mdev and give the function back to its own driver, by name."
show mdevctl stop -u $u
show driverctl --nosave set-override "$a" iovsim_virtio
sleep 1
show sh -c "ls /sys/bus/pci/devices/$a/virtio*/net"
echo 0 >"$cfs/virtio-net/host/enable"
echo 0 >"$cfs/virtio-net/pt/enable"
rmdir "$cfs/virtio-net/host" "$cfs/virtio-net/pt"
show iovsim_unload iovsim_mdev
show iovsim_unload iovsim_virtio
